//! After submitting: the application number the platform gave (or, with
//! the platform away, the terminal's reference and the promise that it
//! will be sent by itself), how the receipt is printing, and what next:
//! rate the service, another item, or finish.

use iced::widget::{Column, column, container, row};
use iced::{Alignment, Element, Length};

use crate::print::service::Cause;
use crate::theme::{Space, Type, containers, palette};
use crate::widget::{self, Ctx};

/// One application made by the submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// The item's name in the current language at the time.
    pub item: tongban_platform_api::catalogue::Text,
    /// The platform's application number, or the terminal's reference
    /// while it waits in the outbox.
    pub number: String,
    /// Whether the platform has it already.
    pub delivered: bool,
}

/// How the receipt is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// Queued or printing.
    Printing,
    /// Printed: take it.
    Printed,
    /// Could not print (why).
    Failed(Cause),
}

/// What the screen can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Rate the service.
    Rate,
    /// Back to the resident's home for another item.
    Home,
    /// Finish.
    Finish,
}

/// The screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The applications made.
    pub made: Vec<Made>,
    /// The receipt.
    pub receipt: Receipt,
    /// Whether the resident has rated already.
    pub rated: bool,
}

impl State {
    /// Takes the receipt printer's news about the receipt.
    pub fn hear(&mut self, news: &super::News<'_>) -> bool {
        match news {
            super::News::Receipt(receipt) => {
                self.receipt = *receipt;
                true
            }
            _ => false,
        }
    }

    /// The screen.
    pub fn view<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let delivered = self.made.iter().all(|m| m.delivered);
        let (title, note) = if delivered {
            (ctx.t("submitted-title"), ctx.t("submitted-note"))
        } else {
            (
                ctx.t("submitted-queued-title"),
                ctx.t("submitted-queued-note"),
            )
        };
        let mut numbers = Column::new().spacing(ctx.sp(Space::M));
        for m in &self.made {
            let label = if m.delivered {
                ctx.t("submitted-number")
            } else {
                ctx.t("submitted-reference")
            };
            numbers = numbers.push(
                column![
                    ctx.text(ctx.pick_text(&m.item).to_owned(), Type::Label),
                    row![
                        ctx.text(label, Type::Body).color(palette::TEXT_MUTED),
                        ctx.text(m.number.clone(), Type::Heading)
                            .color(palette::PRIMARY),
                    ]
                    .spacing(ctx.sp(Space::M))
                    .align_y(Alignment::Center),
                ]
                .spacing(ctx.sp(Space::Xs)),
            );
        }
        let receipt = match self.receipt {
            Receipt::Printing => (ctx.t("submitted-receipt-printing"), palette::TEXT_MUTED),
            Receipt::Printed => (ctx.t("submitted-receipt-printed"), palette::SUCCESS),
            Receipt::Failed(cause) => (
                format!(
                    "{} {}",
                    ctx.t("submitted-receipt-failed"),
                    ctx.t(cause.message_id())
                ),
                palette::DANGER,
            ),
        };
        let rate = widget::secondary_button(
            ctx,
            ctx.t("submitted-rate"),
            (!self.rated).then_some(Message::Rate),
        );
        let home = widget::secondary_button(ctx, ctx.t("submitted-another"), Some(Message::Home));
        let finish = widget::primary_button(ctx, ctx.t("finish"), Some(Message::Finish));
        let card = column![
            ctx.text(title, Type::Heading).color(if delivered {
                palette::SUCCESS
            } else {
                palette::WARNING
            }),
            ctx.text(note, Type::Body).color(palette::TEXT_MUTED),
            container(numbers)
                .padding(ctx.sp(Space::L))
                .width(Length::Fill)
                .style(containers::notice),
            ctx.text(receipt.0, Type::Label).color(receipt.1),
        ]
        .spacing(ctx.sp(Space::L));
        widget::body(
            ctx,
            column![
                container(card)
                    .padding(ctx.sp(Space::Xl))
                    .width(Length::Fill)
                    .style(containers::card),
                container(iced::widget::space()).height(Length::Fill),
                row![
                    rate,
                    home,
                    container(iced::widget::space()).width(Length::Fill),
                    finish
                ]
                .spacing(ctx.sp(Space::L)),
            ]
            .spacing(ctx.sp(Space::L)),
        )
    }
}
