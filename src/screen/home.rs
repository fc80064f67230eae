//! The resident's home after identification: a greeting with the masked
//! name and large entries for 事项办理, 证照打印 and 办件查询. An entry is
//! enabled only when what it needs (the catalogue, the platform) is there;
//! otherwise the screen says why and where to go instead. While the disk
//! is nearly full, 事项办理 stays open for reading and printing guides and
//! says, on itself and under the entries, that no application can be
//! submitted here now.

use iced::widget::{Column, column, container, row, scrollable};
use iced::{Alignment, Element, Length};

use crate::i18n::Arg;
use crate::print::service::Cause;
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
    /// One of the most used items was chosen (its index in the catalogue).
    Item(usize),
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
    /// Show an item's guide.
    Item(usize),
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
    /// Why the A4 printer cannot print (licence copies need it).
    pub a4_blocked: Option<Cause>,
    /// Why the receipt printer cannot print (a submission ends with a
    /// receipt).
    pub receipt_blocked: Option<Cause>,
    /// This terminal offers 事项办理.
    pub services_offered: bool,
    /// The disk is nearly full: guides can be read, but no new
    /// application is taken.
    pub applications_paused: bool,
    /// This terminal offers 证照打印.
    pub licences_offered: bool,
    /// This terminal offers 办件查询.
    pub progress_offered: bool,
    /// The most used items: catalogue index and name.
    pub popular: Vec<(usize, tongban_platform_api::catalogue::Text)>,
}

/// Why an entry is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// No catalogue yet.
    NoCatalogue,
    /// No platform reachable.
    NoPlatform,
    /// The terminal does not offer it (yet).
    NotOffered,
    /// Its printer cannot print.
    Printer(Cause),
}

impl State {
    /// Takes what changed elsewhere: availability, printers, the disk.
    pub fn hear(&mut self, news: &super::News<'_>) -> bool {
        use super::News;
        use tongban_device::DeviceKind;
        match *news {
            News::Availability {
                catalogue,
                platform,
            } => {
                self.catalogue_ready = catalogue;
                self.platform_ready = platform;
            }
            News::PrinterBlocked(DeviceKind::A4Printer, cause) => self.a4_blocked = cause,
            News::PrinterBlocked(DeviceKind::ReceiptPrinter, cause) => {
                self.receipt_blocked = cause;
            }
            News::ApplicationsPaused(paused) => self.applications_paused = paused,
            _ => return false,
        }
        true
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Open(entry) if self.is_available(entry) => Action::Open(entry),
            Message::Open(_) => Action::None,
            Message::Item(i) if self.is_available(Entry::Services) => Action::Item(i),
            Message::Item(_) => Action::None,
            Message::Finish => Action::Finish,
        }
    }

    /// Whether an entry can be used now.
    pub fn is_available(&self, entry: Entry) -> bool {
        self.closed(entry).is_none()
    }

    /// Why an entry is closed, if it is: what it needs first, then whether
    /// this terminal offers it, then its printer.
    pub fn closed(&self, entry: Entry) -> Option<Closed> {
        let (needs, offered, printer) = match entry {
            Entry::Services => (
                (!self.catalogue_ready).then_some(Closed::NoCatalogue),
                self.services_offered,
                self.receipt_blocked,
            ),
            Entry::Licences => (
                (!self.platform_ready).then_some(Closed::NoPlatform),
                self.licences_offered,
                self.a4_blocked,
            ),
            Entry::Progress => (
                (!self.platform_ready).then_some(Closed::NoPlatform),
                self.progress_offered,
                None,
            ),
        };
        needs
            .or((!offered).then_some(Closed::NotOffered))
            .or(printer.map(Closed::Printer))
    }

    /// The printer problem that keeps an entry closed, if that is why.
    pub fn printer_block(&self, entry: Entry) -> Option<Cause> {
        match self.closed(entry) {
            Some(Closed::Printer(cause)) => Some(cause),
            _ => None,
        }
    }

    /// The screen. `masked_name` is the resident's name as shown on screen.
    pub fn view<'a>(&self, ctx: Ctx<'a>, masked_name: &str) -> Element<'a, Message> {
        let wide = ctx.layout == Layout::Wide;
        // A printer that cannot print takes licence printing off the
        // screen; a sentence under the entries says why.
        let paused = self.printer_block(Entry::Licences);
        let entries = self.entries(ctx, wide, paused);
        let top = top_bar(ctx, masked_name, wide);

        let mut body = Column::new().push(top).push(entries);
        if self.applications_paused && self.is_available(Entry::Services) {
            body = body.push(notice(ctx, ctx.t("home-applications-paused"), Type::Label));
        }
        if let Some(cause) = paused {
            body = body.push(notice(
                ctx,
                ctx.ta(
                    "home-licences-paused",
                    &[("why", Arg::Str(&ctx.t(cause.message_id())))],
                ),
                Type::Label,
            ));
        }
        if !self.popular.is_empty() && self.is_available(Entry::Services) {
            body = body.push(self.popular_items(ctx));
        }
        let mut body = body
            .spacing(ctx.sp(if wide { Space::L } else { Space::M }))
            .max_width(1600);
        // Entries that show closed say so (a paused one has its sentence).
        if [Entry::Services, Entry::Licences, Entry::Progress]
            .iter()
            .filter(|e| !(**e == Entry::Licences && paused.is_some()))
            .any(|e| !self.is_available(*e))
        {
            body = body.push(notice(ctx, ctx.t("home-elsewhere"), Type::Body));
        }
        scrollable(
            container(body)
                .padding(ctx.sp(if wide { Space::Xl } else { Space::M }))
                .center_x(Length::Fill),
        )
        .height(Length::Fill)
        .into()
    }

    /// The entries shown (licence printing left out while its printer is
    /// `paused`): a row on a wide display, else stacked.
    fn entries<'a>(&self, ctx: Ctx<'a>, wide: bool, paused: Option<Cause>) -> Element<'a, Message> {
        // Narrow and portrait displays stack the entries, icon beside words.
        let horizontal = !wide;
        let icon_size = ctx.m.text(Type::Display) * if wide { 1.3 } else { 1.0 };
        let shown: Vec<Element<'a, Message>> = [Entry::Services, Entry::Licences, Entry::Progress]
            .into_iter()
            .filter(|e| !(*e == Entry::Licences && paused.is_some()))
            .map(|e| self.entry_tile(ctx, e, icon_size, horizontal))
            .collect();
        if horizontal {
            Column::from_vec(shown)
                .spacing(ctx.sp(Space::M))
                .width(Length::Fill)
                .into()
        } else {
            iced::widget::Row::from_vec(shown)
                .spacing(ctx.sp(Space::L))
                .width(Length::Fill)
                .into()
        }
    }

    /// One entry as a tile, saying on itself why it is closed if it is.
    fn entry_tile<'a>(
        &self,
        ctx: Ctx<'a>,
        e: Entry,
        icon_size: f32,
        horizontal: bool,
    ) -> Element<'a, Message> {
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
        // A closed entry says why on itself, before the resident
        // starts (a printer that cannot print, no catalogue, no
        // platform).
        let hint = match self.closed(e) {
            None if e == Entry::Services && self.applications_paused => {
                ctx.t("home-services-disk-low")
            }
            None => ctx.t(hint),
            Some(Closed::Printer(cause)) => ctx.t(cause.message_id()),
            Some(Closed::NoCatalogue) => ctx.t("home-no-catalogue"),
            Some(Closed::NoPlatform) if e == Entry::Licences => ctx.t("home-licences-no-platform"),
            Some(Closed::NoPlatform) => ctx.t("home-no-platform"),
            Some(Closed::NotOffered) => ctx.t("home-not-offered"),
        };
        widget::tile(ctx, picture, ctx.t(title), hint, horizontal, on_press).into()
    }

    /// The most used items, a button each, under their title.
    fn popular_items<'a>(&self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let mut items = iced::widget::Row::new().spacing(ctx.sp(Space::M));
        for (i, name) in &self.popular {
            items = items.push(
                iced::widget::button(
                    ctx.text(ctx.pick_text(name).to_owned(), Type::Label)
                        .center()
                        .width(Length::Fill),
                )
                .width(Length::Fill)
                .padding([0.0, ctx.sp(Space::M)])
                .height(ctx.m.touch_target())
                .style(crate::theme::buttons::row)
                .on_press(Message::Item(*i)),
            );
        }
        column![
            ctx.text(ctx.t("home-popular"), Type::Label)
                .color(palette::TEXT_MUTED),
            items
        ]
        .spacing(ctx.sp(Space::S))
        .into()
    }
}

/// The greeting with the resident's masked name, what to do, and the
/// finish button.
fn top_bar<'a>(ctx: Ctx<'a>, masked_name: &str, wide: bool) -> Element<'a, Message> {
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
    row![container(greeting).width(Length::Fill), finish]
        .spacing(ctx.sp(Space::L))
        .align_y(Alignment::Center)
        .into()
}

/// A sentence in a notice band across the page.
fn notice<'a>(ctx: Ctx<'a>, words: String, size: Type) -> Element<'a, Message> {
    container(ctx.text(words, size).color(palette::TEXT))
        .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
        .width(Length::Fill)
        .style(containers::notice)
        .into()
}
