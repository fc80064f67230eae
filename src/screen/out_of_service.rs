//! The out-of-service screen: replaces the attract screen when config or
//! staff take the terminal out of service, with the reason and where to go.

use iced::widget::{Column, container};
use iced::{Alignment, Element, Length};

use crate::i18n::Arg;
use crate::theme::{Space, Type, containers, palette};
use crate::widget::Ctx;

/// The screen has nothing to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {}

/// The screen. `reason` is already in the current language (may be empty).
pub fn view<'a>(ctx: Ctx<'a>, reason: &str, hotline: &str) -> Element<'a, Message> {
    let mut card = Column::new()
        .push(
            container(ctx.text(ctx.t("out-of-service-title"), Type::Heading))
                .padding([ctx.sp(Space::L), ctx.sp(Space::Xl)])
                .width(Length::Fill)
                .style(containers::danger_band),
        )
        .push(ctx.text(ctx.t("out-of-service-body"), Type::Title))
        .spacing(ctx.sp(Space::Xl))
        .align_x(Alignment::Start);
    if !reason.trim().is_empty() {
        card = card.push(
            ctx.text(
                ctx.ta(
                    "out-of-service-reason",
                    &[("reason", Arg::Str(reason.trim()))],
                ),
                Type::Title,
            )
            .color(palette::DANGER),
        );
    }
    card = card.push(
        ctx.text(
            ctx.ta("out-of-service-hotline", &[("hotline", Arg::Str(hotline))]),
            Type::Label,
        )
        .color(palette::TEXT_MUTED),
    );
    container(
        container(card.padding(ctx.sp(Space::Xl)))
            .max_width(1200)
            .style(containers::card),
    )
    .padding(ctx.sp(Space::Xl))
    .center(Length::Fill)
    .into()
}
