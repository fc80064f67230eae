//! The moment after identification: a card over the resident's home that
//! shows the terminal recognised them (masked name); it goes by itself.

use iced::widget::{Column, container};
use iced::{Alignment, Element, Length};

use crate::i18n::Arg;
use crate::theme::{Space, Type, palette};
use crate::widget::{Ctx, icon};

/// The screen has nothing to ask for; it moves on by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {}

/// The screen.
pub fn view<'a>(ctx: Ctx<'a>, masked_name: &str) -> Element<'a, Message> {
    let size = ctx.m.text(Type::Display) * 1.6;
    let card = Column::new()
        .push(icon::check_icon(size))
        .push(
            ctx.text(ctx.t("identified-title"), Type::Heading)
                .color(palette::SUCCESS),
        )
        .push(ctx.text(
            ctx.ta("identified-welcome", &[("name", Arg::Str(masked_name))]),
            Type::Title,
        ))
        .push(
            ctx.text(ctx.t("identified-opening"), Type::Label)
                .color(palette::TEXT_MUTED),
        )
        .spacing(ctx.sp(Space::L))
        .align_x(Alignment::Center)
        .padding(ctx.sp(Space::Xl));
    container(card).center_x(Length::Fill).into()
}
