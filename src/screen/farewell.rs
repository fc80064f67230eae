//! The end of a visit: the session is already wiped; the screen reminds the
//! resident to take their card and their papers, then the attract screen
//! returns by itself.

use iced::Element;
use iced::widget::column;

use crate::theme::{Type, palette};
use crate::widget::{self, Ctx};

/// How long the reminder shows.
pub const SHOWN_FOR: std::time::Duration = std::time::Duration::from_secs(6);

/// What the screen can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Done: back to the attract screen now.
    Done,
}

/// The screen.
pub fn view<'a>(ctx: Ctx<'a>) -> Element<'a, Message> {
    let card = column![
        ctx.text(ctx.t("farewell-title"), Type::Display)
            .color(palette::PRIMARY),
        ctx.text(ctx.t("farewell-body"), Type::Title),
        ctx.text(ctx.t("farewell-privacy"), Type::Body)
            .color(palette::TEXT_MUTED),
        widget::primary_button(ctx, ctx.t("farewell-done"), Some(Message::Done)),
    ];
    widget::centered_card(ctx, card)
}
