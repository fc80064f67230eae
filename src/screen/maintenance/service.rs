//! The service tab: whether the terminal serves residents and who decided
//! it, taking it out of service with a reason or back in, and the audit
//! log of what staff did.

use iced::widget::{Column, Row, column, container};
use iced::{Element, Length};

use super::{Board, Message, REASONS, ServiceState, State, short_time};
use crate::i18n::Arg;
use crate::store::AuditEntry;
use crate::theme::{Space, Type, containers, palette};
use crate::widget::{self, Ctx};

impl State {
    /// The service tab: the service state card, then the audit log.
    pub(super) fn service<'a>(&'a self, ctx: Ctx<'a>, board: &Board<'a>) -> Element<'a, Message> {
        let (state_words, color) = match &board.service {
            ServiceState::InService => (ctx.t("mt-in-service"), palette::SUCCESS),
            ServiceState::ByStaff(reason) => (
                ctx.ta("mt-out-by-staff", &[("reason", Arg::Str(reason))]),
                palette::DANGER,
            ),
            ServiceState::ByPlatform(reason) => (
                ctx.ta("mt-out-by-platform", &[("reason", Arg::Str(reason))]),
                palette::DANGER,
            ),
            ServiceState::Automatic(reason) => (
                ctx.ta("mt-out-automatic", &[("reason", Arg::Str(reason))]),
                palette::DANGER,
            ),
        };
        let mut col = Column::new()
            .push(ctx.text(ctx.t("mt-service"), Type::Title))
            .push(ctx.text(state_words, Type::Label).color(color));
        match &board.service {
            ServiceState::ByStaff(_) => {
                col = col.push(widget::primary_button(
                    ctx,
                    ctx.t("mt-back-in-service"),
                    Some(Message::InService),
                ));
            }
            ServiceState::InService | ServiceState::Automatic(_) => {
                col = col.push(
                    ctx.text(ctx.t("mt-oos-choose"), Type::Body)
                        .color(palette::TEXT_MUTED),
                );
                let mut reasons = Row::new().spacing(ctx.sp(Space::M));
                for (i, id) in REASONS.iter().enumerate() {
                    reasons = reasons.push(widget::secondary_button(
                        ctx,
                        ctx.t(id),
                        Some(Message::OutOfService(i)),
                    ));
                }
                col = col.push(reasons.wrap().vertical_spacing(ctx.sp(Space::S)));
            }
            ServiceState::ByPlatform(_) => {
                col = col.push(
                    ctx.text(ctx.t("mt-platform-decides"), Type::Body)
                        .color(palette::TEXT_MUTED),
                );
            }
        }
        col = col.push(
            ctx.text(ctx.t("mt-automatic-hint"), Type::Body)
                .color(palette::TEXT_MUTED),
        );
        let mut page = column![
            container(col.spacing(ctx.sp(Space::M)).padding(ctx.sp(Space::L)))
                .width(Length::Fill)
                .style(containers::card)
        ]
        .spacing(ctx.sp(Space::M));
        if let Some(facts) = &self.facts
            && !facts.audit.is_empty()
        {
            page = page.push(audit_list(ctx, "mt-audit", facts.audit.iter().collect()));
        }
        page.into()
    }
}

/// The audit entries under a title, newest first.
pub(super) fn audit_list<'a>(
    ctx: Ctx<'a>,
    title: &str,
    entries: Vec<&AuditEntry>,
) -> Element<'a, Message> {
    let mut col = Column::new().push(ctx.text(ctx.t(title), Type::Title));
    for entry in entries {
        col = col.push(ctx.text(
            ctx.ta(
                "mt-audit-line",
                &[
                    ("at", Arg::Str(&short_time(&entry.at))),
                    ("staff", Arg::Str(&entry.actor)),
                    ("action", Arg::Str(&ctx.t(&action_words(&entry.action)))),
                    ("detail", Arg::Str(&entry.detail)),
                ],
            ),
            Type::Body,
        ));
    }
    container(col.spacing(ctx.sp(Space::S)).padding(ctx.sp(Space::L)))
        .width(Length::Fill)
        .style(containers::card)
        .into()
}

/// The message id naming an audit action (unknown ones as themselves).
fn action_words(action: &str) -> String {
    format!("mt-action-{}", action.replace('_', "-"))
}
