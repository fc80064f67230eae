//! 好差评: the resident rates the service in five levels, with reasons to
//! pick if they wish; the rating goes through the outbox like an
//! application.

use iced::widget::{Row, button, column, container, row};
use iced::{Alignment, Element, Length};

use crate::theme::{Space, Type, buttons, palette};
use crate::widget::{self, Ctx};

/// The five levels, 5 (非常满意) first.
pub const LEVELS: [u8; 5] = [5, 4, 3, 2, 1];

/// Reasons offered for a good rating (codes the platform knows).
pub const GOOD_REASONS: [&str; 4] = ["fast", "simple", "clear", "no_paper"];
/// Reasons offered for a poor one.
pub const POOR_REASONS: [&str; 4] = ["slow", "complicated", "unclear", "device"];

/// What the screen can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A level was chosen.
    Score(u8),
    /// A reason was tapped (on or off).
    Reason(&'static str),
    /// Send it.
    Send,
    /// Leave without rating.
    Skip,
}

/// What the top level must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Queue this rating.
    Send {
        /// 1–5.
        score: u8,
        /// Reason codes.
        reasons: Vec<String>,
    },
    /// Leave.
    Skip,
}

/// The screen's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct State {
    /// The level chosen.
    pub score: Option<u8>,
    /// The reasons chosen.
    pub reasons: Vec<&'static str>,
    /// Whether it was sent (thanks shows).
    pub sent: bool,
}

impl State {
    /// The reasons that fit the level chosen.
    pub fn offered(&self) -> &'static [&'static str] {
        match self.score {
            Some(s) if s >= 4 => &GOOD_REASONS,
            Some(_) => &POOR_REASONS,
            None => &[],
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Score(s) if (1..=5).contains(&s) => {
                if self.score.is_some_and(|old| (old >= 4) != (s >= 4)) {
                    self.reasons.clear();
                }
                self.score = Some(s);
            }
            Message::Score(_) => {}
            Message::Reason(r) => {
                if let Some(i) = self.reasons.iter().position(|x| *x == r) {
                    self.reasons.remove(i);
                } else if self.offered().contains(&r) {
                    self.reasons.push(r);
                }
            }
            Message::Send => {
                if let (Some(score), false) = (self.score, self.sent) {
                    self.sent = true;
                    return Action::Send {
                        score,
                        reasons: self.reasons.iter().map(|r| (*r).to_owned()).collect(),
                    };
                }
            }
            Message::Skip => return Action::Skip,
        }
        Action::None
    }

    /// The screen.
    pub fn view<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let title = widget::title_bar(ctx, ctx.t("rating-title"), Some(ctx.t("rating-hint")), None);
        let mut levels = Row::new().spacing(ctx.sp(Space::M));
        for level in LEVELS {
            levels = levels.push(
                button(
                    column![
                        ctx.text("★".repeat(level as usize), Type::Label).center(),
                        ctx.text(ctx.t(&format!("rating-level-{level}")), Type::Label)
                            .center(),
                    ]
                    .spacing(ctx.sp(Space::Xs))
                    .align_x(Alignment::Center)
                    .width(Length::Fill),
                )
                .width(Length::Fill)
                .padding(ctx.sp(Space::M))
                .style(buttons::key(self.score == Some(level)))
                .on_press(Message::Score(level)),
            );
        }
        let mut reasons = Row::new().spacing(ctx.sp(Space::S));
        for r in self.offered() {
            reasons = reasons.push(
                button(
                    ctx.text(
                        ctx.t(&format!("rating-reason-{}", r.replace('_', "-"))),
                        Type::Label,
                    )
                    .center(),
                )
                .padding([0.0, ctx.sp(Space::L)])
                .height(ctx.m.touch_target())
                .style(buttons::key(self.reasons.contains(r)))
                .on_press(Message::Reason(r)),
            );
        }
        let after: Element<'a, Message> = if self.sent {
            ctx.text(ctx.t("rating-thanks"), Type::Title)
                .color(palette::SUCCESS)
                .into()
        } else {
            row![
                widget::secondary_button(ctx, ctx.t("rating-skip"), Some(Message::Skip)),
                container(iced::widget::space()).width(Length::Fill),
                widget::primary_button(
                    ctx,
                    ctx.t("rating-send"),
                    self.score.map(|_| Message::Send)
                ),
            ]
            .spacing(ctx.sp(Space::L))
            .into()
        };
        let mut col = column![title, levels].spacing(ctx.sp(Space::L));
        if self.score.is_some() {
            col = col.push(
                ctx.text(ctx.t("rating-reasons"), Type::Label)
                    .color(palette::TEXT_MUTED),
            );
            col = col.push(reasons.wrap());
        }
        col = col
            .push(container(iced::widget::space()).height(Length::Fill))
            .push(after);
        widget::body(ctx, col.height(Length::Fill))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_then_reasons_that_fit_it_then_send_once() {
        let mut s = State::default();
        assert_eq!(s.update(Message::Send), Action::None);
        s.update(Message::Score(5));
        s.update(Message::Reason("fast"));
        s.update(Message::Reason("slow")); // not offered for a good rating
        assert_eq!(s.reasons, ["fast"]);
        s.update(Message::Score(2));
        assert!(s.reasons.is_empty());
        s.update(Message::Reason("slow"));
        assert_eq!(
            s.update(Message::Send),
            Action::Send {
                score: 2,
                reasons: vec!["slow".into()]
            }
        );
        assert_eq!(s.update(Message::Send), Action::None);
    }
}
