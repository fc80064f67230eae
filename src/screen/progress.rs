//! 办件查询: the resident's applications from the platform, newest first,
//! each with a timeline of where it is (received → accepted → in review →
//! approved or rejected → completed).

use iced::widget::{Column, Row, column, container, row, scrollable};
use iced::{Alignment, Element, Length};
use tongban_platform_api::application::Progress;
use tongban_platform_api::catalogue::Catalogue;

use crate::theme::{Space, Type, containers, palette};
use crate::widget::{self, Ctx, Layout};

/// What the screen can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Ask the platform again.
    Retry,
    /// Back to the resident's home.
    Back,
}

/// What the screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Asking the platform.
    Loading,
    /// The applications, newest first.
    Loaded(Vec<Progress>),
    /// The platform could not answer (the Fluent id of why).
    Failed(&'static str),
}

/// The steps of the timeline, in order.
const STEPS: [&str; 5] = ["received", "accepted", "in_review", "decided", "completed"];

/// Where an application's state sits on the timeline.
pub fn step_of(state: &str) -> usize {
    match state {
        "received" => 0,
        "accepted" => 1,
        "in_review" => 2,
        "approved" | "rejected" => 3,
        "completed" => 4,
        _ => 0,
    }
}

impl State {
    /// The screen.
    pub fn view<'a>(
        &'a self,
        ctx: Ctx<'a>,
        catalogue: Option<&'a Catalogue>,
    ) -> Element<'a, Message> {
        let title = widget::title_bar(
            ctx,
            ctx.t("progress-title"),
            Some(ctx.t("progress-hint")),
            Some((ctx.t("back"), Message::Back)),
        );
        let content: Element<'a, Message> = match self {
            State::Loading => ctx
                .text(ctx.t("progress-loading"), Type::Label)
                .color(palette::TEXT_MUTED)
                .into(),
            State::Failed(reason) => column![
                ctx.text(ctx.t(reason), Type::Label).color(palette::DANGER),
                widget::primary_button(ctx, ctx.t("progress-retry"), Some(Message::Retry)),
            ]
            .spacing(ctx.sp(Space::L))
            .into(),
            State::Loaded(list) if list.is_empty() => ctx
                .text(ctx.t("progress-none"), Type::Label)
                .color(palette::TEXT_MUTED)
                .into(),
            State::Loaded(list) => {
                let mut col = Column::new().spacing(ctx.sp(Space::M));
                for p in list {
                    col = col.push(application(ctx, p, catalogue));
                }
                scrollable(col).height(Length::Fill).into()
            }
        };
        widget::body(
            ctx,
            column![title, content]
                .spacing(ctx.sp(Space::L))
                .height(Length::Fill),
        )
    }
}

fn application<'a>(
    ctx: Ctx<'a>,
    p: &'a Progress,
    catalogue: Option<&'a Catalogue>,
) -> Element<'a, Message> {
    let name = catalogue
        .and_then(|c| c.items.iter().find(|i| i.id == p.item))
        .map(|i| ctx.pick_text(&i.name).to_owned())
        .unwrap_or_else(|| p.item.clone());
    let updated = p
        .updated_at
        .get(..16)
        .unwrap_or(&p.updated_at)
        .replace('T', " ");
    let head = row![
        container(ctx.text(name, Type::Label)).width(Length::Fill),
        ctx.text(p.application_no.clone(), Type::Body)
            .color(palette::TEXT_MUTED),
    ]
    .spacing(ctx.sp(Space::M))
    .align_y(Alignment::Center);
    let at = step_of(&p.state);
    let rejected = p.state == "rejected";
    let mut line = Row::new()
        .spacing(ctx.sp(Space::S))
        .align_y(Alignment::Center);
    for (i, step) in STEPS.iter().enumerate() {
        let id = match (*step, rejected) {
            ("decided", true) => "progress-state-rejected".to_owned(),
            ("decided", false) => "progress-state-approved".to_owned(),
            (s, _) => format!("progress-state-{}", s.replace('_', "-")),
        };
        let color = if i < at {
            palette::SUCCESS
        } else if i == at && rejected {
            palette::DANGER
        } else if i == at {
            palette::PRIMARY
        } else {
            palette::DISABLED_TEXT
        };
        let mark = if i < at {
            "●"
        } else if i == at {
            "◉"
        } else {
            "○"
        };
        line = line.push(
            row![
                ctx.text(mark, Type::Label).color(color),
                ctx.text(ctx.t(&id), Type::Body).color(color)
            ]
            .spacing(ctx.sp(Space::Xs))
            .align_y(Alignment::Center),
        );
        if i + 1 < STEPS.len() {
            line = line.push(ctx.text("—", Type::Body).color(palette::OUTLINE));
        }
    }
    let timeline: Element<'a, Message> = if ctx.layout == Layout::Portrait {
        scrollable(line)
            .direction(iced::widget::scrollable::Direction::Horizontal(
                Default::default(),
            ))
            .into()
    } else {
        line.wrap().into()
    };
    container(
        column![
            head,
            timeline,
            ctx.text(
                ctx.ta(
                    "progress-updated",
                    &[("at", crate::i18n::Arg::Str(&updated))]
                ),
                Type::Caption
            )
            .color(palette::TEXT_MUTED)
        ]
        .spacing(ctx.sp(Space::S)),
    )
    .padding(ctx.sp(Space::L))
    .width(Length::Fill)
    .style(containers::card)
    .into()
}
