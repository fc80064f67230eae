//! Waiting for the platform to confirm who scanned a 随申码: the screen
//! says the terminal is checking, and a cancel button gives the terminal
//! back at once. The wait belongs to one identification attempt; an answer
//! for any other attempt, or one that comes after this screen has gone, is
//! never shown to anyone (`app.rs` drops it).

use std::time::{Duration, Instant};

use iced::Element;
use iced::widget::column;

use crate::theme::{Type, palette};
use crate::widget::{self, Ctx, icon};

/// How long the screen waits for the platform before it gives up and the
/// attract screen returns. The call itself is made with the short
/// timeouts of a call the resident waits for, so this is a backstop.
pub const WAIT_AT_MOST: Duration = Duration::from_secs(20);

/// What the screen can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The resident (or the next one) gives up waiting.
    Cancel,
}

/// The attempt the screen waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    /// The identification attempt whose answer is awaited.
    pub attempt: u64,
    /// When the wait began.
    pub since: Instant,
}

impl State {
    /// Whether the wait has lasted too long at `now`.
    pub fn expired(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.since) >= WAIT_AT_MOST
    }
}

/// The screen.
pub fn view<'a>(ctx: Ctx<'a>) -> Element<'a, Message> {
    let size = ctx.m.text(Type::Display) * 1.4;
    let card = column![
        icon::qr_icon(size),
        ctx.text(ctx.t("identify-checking"), Type::Heading)
            .color(palette::PRIMARY),
        ctx.text(ctx.t("identify-wait"), Type::Body)
            .color(palette::TEXT_MUTED),
        widget::secondary_button(ctx, ctx.t("identify-cancel"), Some(Message::Cancel)),
    ];
    widget::centered_card(ctx, card)
}
