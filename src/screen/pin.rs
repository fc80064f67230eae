//! The staff PIN pad: opened by a long press on the hidden corner of the
//! attract or out-of-service screen. Digits show as dots; the PIN is
//! checked against the argon2 hashes in config in a task (never in
//! `update`), and the entered digits are overwritten once they are sent.
//! Too many wrong PINs in a row lock entry for a while (`staff::Lockout`).

use iced::widget::{Column, Row, button, column, container, row};
use iced::{Alignment, Element, Length};
use zeroize::Zeroize;

use crate::i18n::Arg;
use crate::theme::{Space, Type, buttons, containers, palette};
use crate::widget::{self, Ctx};

/// The most and fewest digits a PIN has: those the hashes are made with.
pub use crate::staff::{PIN_MAX_DIGITS as MAX_DIGITS, PIN_MIN_DIGITS as MIN_DIGITS};

/// What the pad can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A digit key.
    Digit(char),
    /// Delete the last digit.
    Delete,
    /// Clear every digit.
    Clear,
    /// Check the PIN.
    Submit,
    /// Back to the attract screen.
    Cancel,
}

/// What the top level must do.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Check this PIN (the pad keeps no copy).
    Check(zeroize::Zeroizing<String>),
    /// Leave the pad.
    Cancel,
}

/// The last answer the pad shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A wrong PIN; this many tries are left before entry locks.
    Wrong {
        /// Tries left.
        left: u32,
    },
    /// Entry is locked for about this many seconds more.
    Locked {
        /// Seconds left.
        secs: u64,
    },
    /// No staff PIN is configured on this terminal.
    NoStaff,
}

/// The pad's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    digits: String,
    /// The PIN is being checked.
    pub checking: bool,
    /// What the last attempt came to.
    pub notice: Option<Notice>,
}

impl Drop for State {
    fn drop(&mut self) {
        self.digits.zeroize();
    }
}

impl State {
    /// Takes how the PIN check came out.
    pub fn hear(&mut self, news: &super::News<'_>) -> bool {
        match news {
            super::News::PinChecked(notice) => {
                self.checking = false;
                if notice.is_some() {
                    self.notice = *notice;
                }
                true
            }
            _ => false,
        }
    }

    /// A pad showing `notice` (entry locked, no staff).
    pub fn with(notice: Option<Notice>) -> Self {
        Self {
            digits: String::new(),
            checking: false,
            notice,
        }
    }

    /// Digits entered so far.
    pub fn len(&self) -> usize {
        self.digits.len()
    }

    /// Whether nothing is entered.
    pub fn is_empty(&self) -> bool {
        self.digits.is_empty()
    }

    fn locked(&self) -> bool {
        matches!(self.notice, Some(Notice::Locked { .. } | Notice::NoStaff))
    }

    /// Handles a key.
    pub fn update(&mut self, message: Message) -> Action {
        if self.checking && message != Message::Cancel {
            return Action::None;
        }
        match message {
            Message::Digit(d) if d.is_ascii_digit() && !self.locked() => {
                if self.digits.len() < MAX_DIGITS {
                    self.digits.push(d);
                }
                Action::None
            }
            Message::Digit(_) => Action::None,
            Message::Delete => {
                self.digits.pop();
                Action::None
            }
            Message::Clear => {
                self.digits.zeroize();
                Action::None
            }
            Message::Submit if self.digits.len() >= MIN_DIGITS && !self.locked() => {
                self.checking = true;
                let pin = zeroize::Zeroizing::new(std::mem::take(&mut self.digits));
                Action::Check(pin)
            }
            Message::Submit => Action::None,
            Message::Cancel => {
                self.digits.zeroize();
                Action::Cancel
            }
        }
    }

    /// The pad.
    pub fn view<'a>(&self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let locked = self.locked();
        let dots = (0..self.digits.len().max(MIN_DIGITS))
            .map(|i| if i < self.digits.len() { "●" } else { "○" })
            .collect::<Vec<_>>()
            .join(" ");
        let key = |label: String, message: Message, enabled: bool| -> Element<'a, Message> {
            button(ctx.text(label, Type::Title).center().width(Length::Fill))
                .width(Length::Fixed(ctx.m.touch_target() * 2.2))
                .height(Length::Fixed(ctx.m.touch_target() * 1.25))
                .style(buttons::key(false))
                .on_press_maybe(enabled.then_some(message))
                .into()
        };
        let can_type = !locked && !self.checking;
        let mut pad = Column::new().spacing(ctx.sp(Space::M));
        for keys in [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9']] {
            let mut line = Row::new().spacing(ctx.sp(Space::M));
            for d in keys {
                line = line.push(key(d.to_string(), Message::Digit(d), can_type));
            }
            pad = pad.push(line);
        }
        pad = pad.push(
            row![
                key(ctx.t("pin-clear"), Message::Clear, can_type),
                key("0".into(), Message::Digit('0'), can_type),
                key(ctx.t("pin-delete"), Message::Delete, can_type),
            ]
            .spacing(ctx.sp(Space::M)),
        );
        let notice: Option<(String, iced::Color)> = match self.notice {
            _ if self.checking => Some((ctx.t("pin-checking"), palette::TEXT_MUTED)),
            Some(Notice::Wrong { left }) => Some((
                ctx.ta("pin-wrong", &[("left", Arg::Num(i64::from(left)))]),
                palette::DANGER,
            )),
            Some(Notice::Locked { secs }) => Some((
                ctx.ta(
                    "pin-locked",
                    &[(
                        "minutes",
                        Arg::Num(i64::try_from(secs.div_ceil(60)).unwrap_or(1)),
                    )],
                ),
                palette::DANGER,
            )),
            Some(Notice::NoStaff) => Some((ctx.t("pin-no-staff"), palette::DANGER)),
            None => None,
        };
        let mut card = Column::new()
            .push(ctx.text(ctx.t("pin-title"), Type::Heading))
            .push(
                ctx.text(ctx.t("pin-hint"), Type::Body)
                    .color(palette::TEXT_MUTED),
            )
            .push(
                container(ctx.text(dots, Type::Display).color(palette::PRIMARY))
                    .center_x(Length::Fill),
            );
        if let Some((words, color)) = notice {
            card = card.push(ctx.text(words, Type::Label).color(color));
        }
        let actions = row![
            widget::secondary_button(ctx, ctx.t("pin-cancel"), Some(Message::Cancel)),
            widget::primary_button(
                ctx,
                ctx.t("pin-submit"),
                (can_type && self.digits.len() >= MIN_DIGITS).then_some(Message::Submit),
            ),
        ]
        .spacing(ctx.sp(Space::L));
        let card = card
            .push(container(pad).center_x(Length::Fill))
            .push(container(actions).center_x(Length::Fill))
            .spacing(ctx.sp(Space::L))
            .align_x(Alignment::Start)
            .padding(ctx.sp(Space::Xl))
            .width(Length::Fixed(
                ctx.m.touch_target() * 2.2 * 3.0 + ctx.sp(Space::Xl) * 4.0,
            ));
        container(column![container(card).style(containers::card)])
            .padding(ctx.sp(Space::L))
            .center(Length::Fill)
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_taken_up_to_the_limit_and_submitted_once() {
        let mut pad = State::default();
        for d in "123456789".chars() {
            assert_eq!(pad.update(Message::Digit(d)), Action::None);
        }
        assert_eq!(pad.len(), MAX_DIGITS);
        let _ = pad.update(Message::Delete);
        assert_eq!(pad.len(), MAX_DIGITS - 1);
        match pad.update(Message::Submit) {
            Action::Check(pin) => assert_eq!(pin.as_str(), "1234567"),
            other => panic!("{other:?}"),
        }
        // The pad keeps nothing, and waits for the answer.
        assert!(pad.is_empty());
        assert_eq!(pad.update(Message::Digit('1')), Action::None);
        assert!(pad.is_empty());
    }

    /// Fails on e372035: a 5-digit PIN was sent to be checked.
    #[test]
    fn too_short_a_pin_and_a_locked_pad_submit_nothing() {
        let mut pad = State::default();
        for d in "12345".chars() {
            let _ = pad.update(Message::Digit(d));
        }
        assert_eq!(pad.update(Message::Submit), Action::None);
        let mut locked = State::with(Some(Notice::Locked { secs: 300 }));
        let _ = locked.update(Message::Digit('1'));
        assert!(locked.is_empty());
        assert_eq!(locked.update(Message::Cancel), Action::Cancel);
    }
}
