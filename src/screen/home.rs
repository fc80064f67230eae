//! The resident's home after identification: a greeting with the masked
//! name and large entries for 事项办理, 证照打印 and 办件查询. An entry is
//! enabled only when what it needs (the catalogue, the platform) is there;
//! otherwise the screen says why and where to go instead.

use iced::widget::{Column, column, container, row, scrollable};
use iced::{Alignment, Element, Length};

use crate::i18n::Arg;
use crate::theme::{Space, Type, containers, palette};
use crate::widget::{self, Ctx, Layout, icon};

/// Entries of the home screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// 事项办理.
    Services,
    /// 证照打印.
    Licences,
    /// 办件查询.
    Progress,
}

/// What the home screen can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// An entry was chosen.
    Open(Entry),
    /// The resident is done.
    Finish,
}

/// What the top level must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Go to an entry's first screen.
    Open(Entry),
    /// End the session.
    Finish,
}

/// What the resident's home knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// Whether the service catalogue is on this terminal.
    pub catalogue_ready: bool,
    /// Whether the platform can be reached (licences and progress need it).
    pub platform_ready: bool,
}

impl State {
    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Open(entry) if self.is_available(entry) => Action::Open(entry),
            Message::Open(_) => Action::None,
            Message::Finish => Action::Finish,
        }
    }

    /// Whether an entry can be used now.
    pub fn is_available(&self, entry: Entry) -> bool {
        match entry {
            Entry::Services => self.catalogue_ready,
            Entry::Licences | Entry::Progress => self.platform_ready,
        }
    }

    /// The screen. `masked_name` is the resident's name as shown on screen.
    pub fn view<'a>(&self, ctx: Ctx<'a>, masked_name: &str) -> Element<'a, Message> {
        let wide = ctx.layout == Layout::Wide;
        // Narrow and portrait displays stack the entries, icon beside words.
        let horizontal = !wide;
        let icon_size = ctx.m.text(Type::Display) * if wide { 1.3 } else { 1.0 };
        let entry = |e: Entry| -> Element<'a, Message> {
            let (picture, title, hint) = match e {
                Entry::Services => (
                    icon::services_icon(icon_size),
                    "home-services",
                    "home-services-hint",
                ),
                Entry::Licences => (
                    icon::licences_icon(icon_size),
                    "home-licences",
                    "home-licences-hint",
                ),
                Entry::Progress => (
                    icon::progress_icon(icon_size),
                    "home-progress",
                    "home-progress-hint",
                ),
            };
            let on_press = self.is_available(e).then_some(Message::Open(e));
            widget::tile(
                ctx,
                picture,
                ctx.t(title),
                ctx.t(hint),
                horizontal,
                on_press,
            )
            .into()
        };
        let entries: Element<'a, Message> = if horizontal {
            column![
                entry(Entry::Services),
                entry(Entry::Licences),
                entry(Entry::Progress)
            ]
            .spacing(ctx.sp(Space::M))
            .into()
        } else {
            row![
                entry(Entry::Services),
                entry(Entry::Licences),
                entry(Entry::Progress)
            ]
            .spacing(ctx.sp(Space::L))
            .into()
        };

        let greeting = column![
            ctx.text(
                ctx.ta("home-greeting", &[("name", Arg::Str(masked_name))]),
                Type::Heading,
            ),
            ctx.text(
                ctx.t("home-choose"),
                if wide { Type::Label } else { Type::Body }
            )
            .color(palette::TEXT_MUTED)
        ]
        .spacing(ctx.sp(Space::Xs));
        let finish = widget::secondary_button(ctx, ctx.t("home-finish"), Some(Message::Finish));
        let top = row![container(greeting).width(Length::Fill), finish]
            .spacing(ctx.sp(Space::L))
            .align_y(Alignment::Center);

        let mut body = Column::new()
            .push(top)
            .push(entries)
            .spacing(ctx.sp(if wide { Space::L } else { Space::M }))
            .max_width(1600);
        if !self.catalogue_ready || !self.platform_ready {
            body = body.push(
                container(
                    ctx.text(ctx.t("home-unavailable"), Type::Body)
                        .color(palette::TEXT),
                )
                .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
                .width(Length::Fill)
                .style(containers::notice),
            );
        }
        scrollable(
            container(body)
                .padding(ctx.sp(if wide { Space::Xl } else { Space::M }))
                .center_x(Length::Fill),
        )
        .height(Length::Fill)
        .into()
    }
}
