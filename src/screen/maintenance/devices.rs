//! The devices tab: a card per device with its state, what it reports,
//! what to fix, its last problem, its supplies and its self-check result,
//! and test prints for the printers.

use iced::widget::{Column, Row, column, container, row};
use iced::{Alignment, Element, Length};

use tongban_device::{CoverState, DeviceKind, DeviceStatus, MediaState, TonerState};

use super::supplies::{counter_line, supply_words};
use super::{Board, Message, State, fix_for, hint_with_action};
use crate::i18n::Arg;
use crate::store::{A4_SHEETS, A4_TONER, RECEIPT_MM};
use crate::theme::{Space, Type, containers, palette};
use crate::widget::{self, Ctx, Layout};

impl State {
    /// The devices tab: the self-check button over the device cards.
    pub(super) fn devices<'a>(&'a self, ctx: Ctx<'a>, board: &Board<'a>) -> Element<'a, Message> {
        let mut cards: Vec<Element<'a, Message>> = Vec::new();
        for (i, kind) in DeviceKind::ALL.into_iter().enumerate() {
            cards.push(self.device_card(ctx, board, i, kind));
        }
        let grid = device_grid(ctx, cards);
        column![
            hint_with_action(ctx, "mt-devices-hint", "mt-self-check", Message::SelfCheck),
            grid
        ]
        .spacing(ctx.sp(Space::M))
        .into()
    }

    /// One device's card: its name and state, then whatever it has to
    /// say (`i` is its place in [`DeviceKind::ALL`]).
    fn device_card<'a>(
        &'a self,
        ctx: Ctx<'a>,
        board: &Board<'a>,
        i: usize,
        kind: DeviceKind,
    ) -> Element<'a, Message> {
        let status = board
            .status
            .device(kind)
            .copied()
            .unwrap_or(DeviceStatus::absent(kind));
        let (state_id, color) = widget::device_state_words(status.state);
        let mut card = Column::new().push(
            row![
                ctx.text(ctx.t(widget::device_words(kind)), Type::Title)
                    .width(Length::Fill),
                widget::badge(ctx, ctx.t(state_id), color),
            ]
            .spacing(ctx.sp(Space::M))
            .align_y(Alignment::Center),
        );
        if !board.configured[i] {
            card = card.push(
                ctx.text(ctx.t("mt-not-configured"), Type::Body)
                    .color(palette::TEXT_MUTED),
            );
        }
        let details = detail_lines(ctx, &status);
        if !details.is_empty() {
            card = card.push(ctx.text(details.join(" · "), Type::Body));
        }
        if let Some(fix) = fix_for(&status) {
            card = card.push(
                ctx.text(
                    ctx.ta("mt-fix-now", &[("fix", Arg::Str(&ctx.t(fix)))]),
                    Type::Body,
                )
                .color(palette::DANGER),
            );
        }
        if let Some(problem) = board.problems.iter().find(|p| p.kind == kind) {
            let what = fix_for(&problem.status)
                .map(|_| problem_words(ctx, &problem.status))
                .unwrap_or_default();
            card = card.push(
                ctx.text(
                    ctx.ta(
                        "mt-last-problem",
                        &[("at", Arg::Str(&problem.at)), ("what", Arg::Str(&what))],
                    ),
                    Type::Body,
                )
                .color(palette::TEXT_MUTED),
            );
        }
        for line in self.supply_lines(ctx, kind, board) {
            card = card.push(ctx.text(line, Type::Body).color(palette::TEXT_MUTED));
        }
        if let Some(check) = self
            .checks
            .as_ref()
            .and_then(|c| c.iter().find(|c| c.kind == kind))
        {
            let (mark, color) = if check.passed {
                ("mt-check-passed", palette::SUCCESS)
            } else {
                ("mt-check-failed", palette::DANGER)
            };
            card = card.push(
                ctx.text(
                    ctx.ta(mark, &[("what", Arg::Str(&ctx.t(check.words)))]),
                    Type::Body,
                )
                .color(color),
            );
        }
        if matches!(kind, DeviceKind::A4Printer | DeviceKind::ReceiptPrinter) {
            card = card.push(widget::secondary_button(
                ctx,
                ctx.t("mt-test-print"),
                board.configured[i].then_some(Message::TestPrint(kind)),
            ));
        }
        container(card.spacing(ctx.sp(Space::S)))
            .padding(ctx.sp(Space::L))
            .width(Length::Fill)
            .style(containers::card)
            .into()
    }

    /// The counter and estimate lines of a printer's supplies.
    fn supply_lines(&self, ctx: Ctx<'_>, kind: DeviceKind, board: &Board<'_>) -> Vec<String> {
        let names: &[&str] = match kind {
            DeviceKind::A4Printer => &[A4_SHEETS, A4_TONER],
            DeviceKind::ReceiptPrinter => &[RECEIPT_MM],
            _ => &[],
        };
        let mut lines = Vec::new();
        for name in names {
            let Some(fact) = self.supply(name) else {
                lines.push(ctx.ta(
                    "mt-supply-unknown",
                    &[("supply", Arg::Str(&ctx.t(supply_words(name))))],
                ));
                continue;
            };
            // One line each on the board; the supplies tab has the rate.
            let counter = counter_line(ctx, fact, board);
            lines.push(match fact.days_left {
                Some(days) => ctx.ta(
                    "mt-board-supply",
                    &[
                        ("counter", Arg::Str(&counter)),
                        ("days", Arg::Str(&format!("{days:.1}"))),
                    ],
                ),
                None => counter,
            });
        }
        lines
    }
}

/// The device cards: one column on a portrait display, else two a row.
fn device_grid<'a>(ctx: Ctx<'a>, cards: Vec<Element<'a, Message>>) -> Element<'a, Message> {
    if ctx.layout == Layout::Portrait {
        Column::from_vec(cards).spacing(ctx.sp(Space::M)).into()
    } else {
        let mut cards = cards.into_iter();
        let mut rows = Column::new().spacing(ctx.sp(Space::M));
        while let Some(first) = cards.next() {
            let mut line = Row::new().spacing(ctx.sp(Space::M)).push(first);
            if let Some(second) = cards.next() {
                line = line.push(second);
            }
            rows = rows.push(line);
        }
        rows.into()
    }
}

/// The sensor readings of a device, in words.
fn detail_lines(ctx: Ctx<'_>, status: &DeviceStatus) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(media) = status.media {
        let id = match media {
            MediaState::Full => "mt-media-full",
            MediaState::Low => "mt-media-low",
            MediaState::Out => "mt-media-out",
            MediaState::Jammed => "mt-media-jammed",
            MediaState::Unknown => "mt-media-unknown",
        };
        lines.push(ctx.t(id));
    }
    if let Some(toner) = status.toner {
        let id = match toner {
            TonerState::Full => "mt-toner-full",
            TonerState::Low => "mt-toner-low",
            TonerState::Out => "mt-toner-out",
            TonerState::Unknown => "mt-toner-unknown",
        };
        lines.push(ctx.t(id));
    }
    if let Some(cover) = status.cover {
        let id = match cover {
            CoverState::Closed => "mt-cover-closed",
            CoverState::Open => "mt-cover-open",
            CoverState::Unknown => "mt-cover-unknown",
        };
        lines.push(ctx.t(id));
    }
    lines
}

/// What the problem was, in words (the fix's headline).
fn problem_words(ctx: Ctx<'_>, status: &DeviceStatus) -> String {
    match crate::widget::device_detail(status) {
        Some(id) => ctx.t(id),
        None => ctx.t(widget::device_state_words(status.state).0),
    }
}
