//! The supplies tab: a card per supply (counter, how long it lasts at
//! this terminal's rate, when it was last counted) with its restocking
//! buttons, and the recent restocks.

use iced::widget::{Column, Row, column, container, row};
use iced::{Element, Length};

use super::service::audit_list;
use super::{Board, Message, Restock, State, short_time};
use crate::facts::SupplyFact;
use crate::i18n::Arg;
use crate::store::{A4_SHEETS, A4_TONER, AuditEntry, RECEIPT_MM};
use crate::theme::{Space, Type, containers, palette};
use crate::widget::{self, Ctx, Layout};

impl State {
    /// The supplies tab: the A4 paper, toner and receipt roll cards, then
    /// the recent restocks.
    pub(super) fn supplies<'a>(&'a self, ctx: Ctx<'a>, board: &Board<'a>) -> Element<'a, Message> {
        let card = |name: &'static str, buttons: Vec<(String, Restock)>| {
            self.supply_card(ctx, board, name, buttons)
        };
        let a4 = card(
            A4_SHEETS,
            vec![
                (
                    ctx.ta("mt-a4-full", &[("sheets", Arg::Num(board.tray_sheets))]),
                    Restock::A4Full,
                ),
                (
                    ctx.ta("mt-a4-added", &[("sheets", Arg::Num(100))]),
                    Restock::A4Added(100),
                ),
                (
                    ctx.ta("mt-a4-added", &[("sheets", Arg::Num(50))]),
                    Restock::A4Added(50),
                ),
            ],
        );
        let roll = card(
            RECEIPT_MM,
            vec![(ctx.t("mt-roll-replaced"), Restock::ReceiptRoll)],
        );
        let toner = card(A4_TONER, vec![(ctx.t("mt-toner-replaced"), Restock::Toner)]);
        let boxed = |e: Element<'a, Message>| -> Element<'a, Message> {
            container(e)
                .width(Length::Fill)
                .style(containers::card)
                .into()
        };
        // Side by side where there is room: one glance shows all three.
        let cards: Element<'a, Message> = if ctx.layout == Layout::Portrait {
            column![boxed(a4), boxed(toner), boxed(roll)]
                .spacing(ctx.sp(Space::M))
                .into()
        } else {
            row![boxed(a4), boxed(toner), boxed(roll)]
                .spacing(ctx.sp(Space::M))
                .into()
        };
        let mut col = column![
            ctx.text(ctx.t("mt-supplies-hint"), Type::Body)
                .color(palette::TEXT_MUTED),
            cards,
        ]
        .spacing(ctx.sp(Space::M));
        let restocks: Vec<&AuditEntry> = self
            .facts
            .iter()
            .flat_map(|f| f.audit.iter())
            .filter(|e| e.action.starts_with("restock") || e.action.starts_with("replace"))
            .collect();
        if !restocks.is_empty() {
            col = col.push(audit_list(ctx, "mt-recent-restocks", restocks));
        }
        col.into()
    }

    /// One supply's card: its counter, estimate and last count, then a
    /// button for each way staff restock it.
    fn supply_card<'a>(
        &'a self,
        ctx: Ctx<'a>,
        board: &Board<'a>,
        name: &'static str,
        buttons: Vec<(String, Restock)>,
    ) -> Element<'a, Message> {
        let mut col = Column::new().push(ctx.text(ctx.t(supply_words(name)), Type::Title));
        match self.supply(name) {
            Some(fact) => {
                col = col
                    .push(ctx.text(counter_line(ctx, fact, board), Type::Label))
                    .push(
                        ctx.text(estimate_line(ctx, fact), Type::Body)
                            .color(palette::TEXT_MUTED),
                    )
                    .push(
                        ctx.text(
                            ctx.ta(
                                "mt-supply-updated",
                                &[("at", Arg::Str(&short_time(&fact.updated_at)))],
                            ),
                            Type::Caption,
                        )
                        .color(palette::TEXT_MUTED),
                    );
            }
            None => {
                col = col.push(
                    ctx.text(
                        ctx.ta(
                            "mt-supply-unknown",
                            &[("supply", Arg::Str(&ctx.t(supply_words(name))))],
                        ),
                        Type::Label,
                    )
                    .color(palette::WARNING),
                );
            }
        }
        let mut actions = Row::new().spacing(ctx.sp(Space::M));
        for (label, restock) in buttons {
            actions = actions.push(widget::primary_button(
                ctx,
                label,
                Some(Message::Restock(restock)),
            ));
        }
        col.push(actions.wrap().vertical_spacing(ctx.sp(Space::S)))
            .spacing(ctx.sp(Space::S))
            .padding(ctx.sp(Space::L))
            .width(Length::Fill)
            .into()
    }
}

/// Message id naming a supply counter.
pub fn supply_words(name: &str) -> &'static str {
    match name {
        A4_SHEETS => "mt-supply-a4",
        A4_TONER => "mt-supply-toner",
        _ => "mt-supply-roll",
    }
}

/// A supply's counter against a full tray, cartridge or roll.
pub(super) fn counter_line(ctx: Ctx<'_>, fact: &SupplyFact, board: &Board<'_>) -> String {
    match fact.name.as_str() {
        A4_SHEETS => ctx.ta(
            "mt-a4-left",
            &[
                ("sheets", Arg::Num(fact.remaining)),
                ("capacity", Arg::Num(board.tray_sheets)),
            ],
        ),
        A4_TONER => ctx.ta(
            "mt-toner-left",
            &[
                ("pages", Arg::Num(fact.remaining)),
                ("capacity", Arg::Num(board.toner_pages)),
            ],
        ),
        _ => ctx.ta(
            "mt-roll-left",
            &[
                ("metres", Arg::Num(fact.remaining / 1000)),
                ("capacity", Arg::Num(board.roll_mm / 1000)),
            ],
        ),
    }
}

/// How fast a supply is used at this terminal and how many days it
/// lasts, or that there is no estimate yet.
fn estimate_line(ctx: Ctx<'_>, fact: &SupplyFact) -> String {
    match (fact.per_day, fact.days_left) {
        (Some(rate), Some(days)) => {
            let rate = if fact.name == RECEIPT_MM {
                format!("{:.1}", rate / 1000.0)
            } else {
                format!("{rate:.0}")
            };
            let id = match fact.name.as_str() {
                A4_SHEETS => "mt-estimate-a4",
                A4_TONER => "mt-estimate-toner",
                _ => "mt-estimate-roll",
            };
            ctx.ta(
                id,
                &[
                    ("rate", Arg::Str(&rate)),
                    ("days", Arg::Str(&format!("{days:.1}"))),
                ],
            )
        }
        _ => ctx.t("mt-estimate-none"),
    }
}
