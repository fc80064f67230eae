//! The on-screen keyboard: terminals have no physical one. Digits (with X
//! for ID numbers, - for dates), letters, and Chinese by pinyin with a
//! candidate bar. `Keyboard::press` edits a value and is pure; `view`
//! draws the keys for the modes a field allows.

use iced::widget::{Row, button, column, container, row, text};
use iced::{Alignment, Element, Length};

use crate::ime;
use crate::theme::{Space, Type, buttons, containers, palette};
use crate::widget::Ctx;

/// What the keys write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 0–9 (phone, numbers).
    Digits,
    /// 0–9 and X (ID numbers).
    IdDigits,
    /// 0–9 and - (dates, YYYY-MM-DD).
    DateDigits,
    /// a–z (search by pinyin or English, Latin names).
    Letters,
    /// Chinese by pinyin.
    Pinyin,
}

/// A key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// A character key.
    Char(char),
    /// Deletes the last pinyin letter, or the last character.
    Backspace,
    /// A space.
    Space,
    /// Switches what the keys write.
    Mode(Mode),
    /// A candidate from the bar.
    Candidate(char),
    /// The next or previous page of candidates.
    Page(i32),
    /// Finished with this value.
    Done,
}

/// Candidates shown at once.
pub const CANDIDATES_PER_PAGE: usize = 8;

/// The keyboard's own state: its mode and the pinyin being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keyboard {
    /// What the keys write.
    pub mode: Option<Mode>,
    /// Pinyin letters typed and not yet turned into a character.
    pub pinyin: String,
    /// The candidate page shown.
    pub page: usize,
}

/// What a key press did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The value (or the pinyin) changed, or nothing happened.
    Edited,
    /// The resident is done with this value.
    Done,
}

impl Keyboard {
    /// A keyboard in `mode`.
    pub fn new(mode: Mode) -> Self {
        Self {
            mode: Some(mode),
            pinyin: String::new(),
            page: 0,
        }
    }

    /// The mode, digits when none was set.
    pub fn mode(&self) -> Mode {
        self.mode.unwrap_or(Mode::Digits)
    }

    /// The candidates for the pinyin typed.
    pub fn candidates(&self) -> ime::Candidates {
        ime::candidates(&self.pinyin)
    }

    /// Applies a key to `value` (at most `max_len` characters).
    pub fn press(&mut self, key: Key, value: &mut String, max_len: usize) -> Outcome {
        let room = value.chars().count() < max_len;
        match key {
            Key::Char(c) => match self.mode() {
                Mode::Pinyin if c.is_ascii_lowercase() && self.pinyin.len() < 24 => {
                    self.pinyin.push(c);
                    self.page = 0;
                }
                Mode::Pinyin if c.is_ascii_lowercase() => {}
                _ if room => value.push(c),
                _ => {}
            },
            Key::Space => {
                if self.mode() == Mode::Pinyin && !self.pinyin.is_empty() {
                    // Space takes the first candidate, as on a phone.
                    if let Some(&c) = self.candidates().chars.first() {
                        return self.press(Key::Candidate(c), value, max_len);
                    }
                } else if room && !value.is_empty() && !value.ends_with(' ') {
                    value.push(' ');
                }
            }
            Key::Backspace => {
                if !self.pinyin.is_empty() {
                    self.pinyin.pop();
                    self.page = 0;
                } else {
                    value.pop();
                }
            }
            Key::Mode(mode) => {
                self.mode = Some(mode);
                self.pinyin.clear();
                self.page = 0;
            }
            Key::Candidate(c) => {
                let consumed = self.candidates().consumes.min(self.pinyin.len());
                if room {
                    value.push(c);
                }
                self.pinyin.drain(..consumed);
                self.page = 0;
            }
            Key::Page(step) => {
                let total = self.candidates().chars.len();
                let pages = total.div_ceil(CANDIDATES_PER_PAGE).max(1);
                self.page =
                    (self.page as i64 + i64::from(step)).clamp(0, pages as i64 - 1) as usize;
            }
            Key::Done => {
                self.pinyin.clear();
                return Outcome::Done;
            }
        }
        Outcome::Edited
    }
}

/// A key's height: the touch target, except in 长者模式 on a landscape
/// screen less tall than the wide one (1280x1024), where the full elder
/// keys would push the bottom row off the screen; there they are as
/// tall as the standard ones, with the elder mode's larger labels.
fn key_height(ctx: Ctx<'_>) -> f32 {
    if ctx.m.elder && ctx.layout == super::Layout::Compact {
        crate::theme::Metrics::new(false).touch_target()
    } else {
        ctx.m.touch_target()
    }
}

fn key_button<'a>(ctx: Ctx<'a>, label: String, key: Key, selected: bool) -> Element<'a, Key> {
    button(
        ctx.text(label, Type::Label)
            .center()
            .width(Length::Fill)
            .height(Length::Fill)
            .align_y(Alignment::Center),
    )
    .width(Length::Fill)
    .height(key_height(ctx))
    .padding(0)
    .style(buttons::key(selected))
    .on_press(key)
    .into()
}

fn wide_key<'a>(
    ctx: Ctx<'a>,
    label: String,
    key: Key,
    portion: u16,
    primary: bool,
) -> Element<'a, Key> {
    let b = button(
        ctx.text(label, Type::Label)
            .center()
            .width(Length::Fill)
            .height(Length::Fill)
            .align_y(Alignment::Center),
    )
    .width(Length::FillPortion(portion))
    .height(key_height(ctx))
    .padding(0)
    .on_press(key);
    if primary {
        b.style(buttons::primary).into()
    } else {
        b.style(buttons::key(false)).into()
    }
}

fn letter_row<'a>(ctx: Ctx<'a>, letters: &str) -> Element<'a, Key> {
    Row::with_children(
        letters
            .chars()
            .map(|c| key_button(ctx, c.to_string(), Key::Char(c), false)),
    )
    .spacing(ctx.sp(Space::S))
    .into()
}

/// The keyboard for `kb`, offering the `modes` the value allows.
pub fn view<'a>(ctx: Ctx<'a>, kb: &Keyboard, modes: &[Mode]) -> Element<'a, Key> {
    let gap = ctx.sp(Space::S);
    let mode = kb.mode();
    let mut rows = column![].spacing(gap);
    if mode == Mode::Pinyin {
        rows = rows.push(candidate_bar(ctx, kb));
    }
    match mode {
        Mode::Digits | Mode::IdDigits | Mode::DateDigits => {
            let extra = match mode {
                Mode::IdDigits => Some('X'),
                Mode::DateDigits => Some('-'),
                _ => None,
            };
            // Three rows of four, so the keys and Done fit in 长者模式 too.
            let extra_key: Element<'a, Key> = match extra {
                Some(c) => key_button(ctx, c.to_string(), Key::Char(c), false),
                None => container(text("")).width(Length::Fill).into(),
            };
            rows = rows
                .push(
                    row![
                        key_button(ctx, "1".into(), Key::Char('1'), false),
                        key_button(ctx, "2".into(), Key::Char('2'), false),
                        key_button(ctx, "3".into(), Key::Char('3'), false),
                        key_button(ctx, ctx.t("kb-backspace"), Key::Backspace, false),
                    ]
                    .spacing(gap),
                )
                .push(
                    row![
                        key_button(ctx, "4".into(), Key::Char('4'), false),
                        key_button(ctx, "5".into(), Key::Char('5'), false),
                        key_button(ctx, "6".into(), Key::Char('6'), false),
                        extra_key,
                    ]
                    .spacing(gap),
                )
                .push(
                    row![
                        key_button(ctx, "7".into(), Key::Char('7'), false),
                        key_button(ctx, "8".into(), Key::Char('8'), false),
                        key_button(ctx, "9".into(), Key::Char('9'), false),
                        key_button(ctx, "0".into(), Key::Char('0'), false),
                    ]
                    .spacing(gap),
                );
        }
        Mode::Letters | Mode::Pinyin => {
            rows = rows
                .push(letter_row(ctx, "qwertyuiop"))
                .push(letter_row(ctx, "asdfghjkl"))
                .push(
                    row![
                        letter_row(ctx, "zxcvbnm"),
                        wide_key(ctx, ctx.t("kb-backspace"), Key::Backspace, 1, false)
                    ]
                    .spacing(gap),
                );
        }
    }
    // The bottom row: the other modes, space where it makes sense, done.
    let mut bottom = Row::new().spacing(gap);
    for m in modes {
        if *m == mode {
            continue;
        }
        let label = match m {
            Mode::Digits | Mode::IdDigits | Mode::DateDigits => "kb-digits",
            Mode::Letters => "kb-letters",
            Mode::Pinyin => "kb-pinyin",
        };
        bottom = bottom.push(wide_key(ctx, ctx.t(label), Key::Mode(*m), 2, false));
    }
    if matches!(mode, Mode::Letters | Mode::Pinyin) {
        bottom = bottom.push(wide_key(ctx, ctx.t("kb-space"), Key::Space, 4, false));
    }
    bottom = bottom.push(wide_key(ctx, ctx.t("kb-done"), Key::Done, 2, true));
    rows = rows.push(bottom);
    container(rows)
        .padding(ctx.sp(Space::M))
        .width(Length::Fill)
        .style(containers::card)
        .into()
}

fn candidate_bar<'a>(ctx: Ctx<'a>, kb: &Keyboard) -> Element<'a, Key> {
    let gap = ctx.sp(Space::S);
    let candidates = kb.candidates();
    let mut bar = Row::new().spacing(gap).align_y(Alignment::Center);
    let reading = if kb.pinyin.is_empty() {
        ctx.t("kb-pinyin-hint")
    } else {
        kb.pinyin.clone()
    };
    bar = bar.push(
        container(ctx.text(reading, Type::Label).color(palette::PRIMARY))
            .width(Length::FillPortion(2))
            .align_y(Alignment::Center),
    );
    let start = kb.page * CANDIDATES_PER_PAGE;
    let shown: Vec<char> = candidates
        .chars
        .iter()
        .skip(start)
        .take(CANDIDATES_PER_PAGE)
        .copied()
        .collect();
    for i in 0..CANDIDATES_PER_PAGE {
        bar = bar.push(match shown.get(i) {
            Some(&c) => key_button(ctx, c.to_string(), Key::Candidate(c), false),
            None => container(text("")).width(Length::Fill).into(),
        });
    }
    let more = candidates.chars.len() > start + CANDIDATES_PER_PAGE;
    bar = bar
        .push(
            button(ctx.text("◀", Type::Label).center().width(Length::Fill))
                .width(Length::Fill)
                .height(key_height(ctx))
                .style(buttons::key(false))
                .on_press_maybe((kb.page > 0).then_some(Key::Page(-1))),
        )
        .push(
            button(ctx.text("▶", Type::Label).center().width(Length::Fill))
                .width(Length::Fill)
                .height(key_height(ctx))
                .style(buttons::key(false))
                .on_press_maybe(more.then_some(Key::Page(1))),
        );
    bar.into()
}

/// The modes a field of `kind` allows, the first being where it starts.
pub fn modes_for(kind: tongban_platform_api::catalogue::FieldKind) -> &'static [Mode] {
    use tongban_platform_api::catalogue::FieldKind;
    match kind {
        FieldKind::Phone | FieldKind::Number => &[Mode::Digits],
        FieldKind::IdNumber => &[Mode::IdDigits],
        FieldKind::Date => &[Mode::DateDigits],
        FieldKind::Text | FieldKind::Address => &[Mode::Pinyin, Mode::Letters, Mode::Digits],
        FieldKind::Choice => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_letters_become_a_character_through_the_candidate_bar() {
        let mut kb = Keyboard::new(Mode::Pinyin);
        let mut value = String::new();
        for c in "hukou".chars() {
            kb.press(Key::Char(c), &mut value, 40);
        }
        assert_eq!(value, "");
        assert_eq!(kb.candidates().reading, "hu");
        kb.press(Key::Candidate('户'), &mut value, 40);
        assert_eq!((value.as_str(), kb.pinyin.as_str()), ("户", "kou"));
        // Space takes the first candidate.
        kb.press(Key::Space, &mut value, 40);
        assert_eq!(value, "户口");
        kb.press(Key::Backspace, &mut value, 40);
        assert_eq!(value, "户");
        assert_eq!(kb.press(Key::Done, &mut value, 40), Outcome::Done);
    }

    #[test]
    fn digits_stop_at_the_field_length_and_pages_stay_in_range() {
        let mut kb = Keyboard::new(Mode::Digits);
        let mut value = String::new();
        for _ in 0..15 {
            kb.press(Key::Char('1'), &mut value, 11);
        }
        assert_eq!(value.len(), 11);
        let mut kb = Keyboard::new(Mode::Pinyin);
        kb.press(Key::Char('s'), &mut value, 11);
        kb.press(Key::Page(-1), &mut value, 11);
        assert_eq!(kb.page, 0);
        kb.press(Key::Page(1), &mut value, 11);
        assert_eq!(kb.page, 1);
        kb.press(Key::Mode(Mode::Letters), &mut value, 11);
        assert!(kb.pinyin.is_empty());
    }
}
