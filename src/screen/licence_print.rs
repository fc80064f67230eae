//! Printing copies of one of the resident's electronic licences: choose
//! what the copy is for (the purposes the config lists, or one typed on
//! the on-screen keyboard; it is printed across the copy as a watermark
//! with the date), see the exact page that will print, choose the copies
//! within what the platform's ticket allows (and the price, where the
//! service charges), print, and see how it went: pages as the printer
//! confirms them, and, if the printer stops, what happened, what to do,
//! and a retry that prints only the copies that did not come out.

use iced::widget::{Column, Row, column, container, image, row, scrollable};
use iced::{Alignment, ContentFit, Element, Length};
use kiosk_config::Localized;
use tongban_platform_api::licence::LicenceSummary;

use crate::i18n::Arg;
use crate::print::service::{Cause, Progress};
use crate::theme::{Space, Type, containers, palette};
use crate::widget::keyboard::{self, Key, Keyboard, Mode, Outcome};
use crate::widget::{self, Ctx, Layout};

/// Longest purpose a resident may type.
pub const OTHER_MAX: usize = 12;

/// Which purpose was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// One of the config's purposes (its index).
    Listed(usize),
    /// One the resident typed.
    Other,
}

/// Why there is nothing to print (the platform's ticket, or the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The day's copies of this licence are printed already.
    Quota,
    /// The licence was revoked or has expired since the list was read.
    Revoked,
    /// The platform does not know this licence for this resident.
    NotFound,
    /// The platform cannot be reached.
    Unreachable,
    /// The resident's platform session ended.
    Session,
    /// The page cannot be composed.
    Layout,
}

impl Problem {
    /// The sentence residents see.
    pub fn message_id(self) -> &'static str {
        match self {
            Problem::Quota => "licence-problem-quota",
            Problem::Revoked => "licence-problem-revoked",
            Problem::NotFound => "licence-problem-not-found",
            Problem::Unreachable => "licence-problem-unreachable",
            Problem::Session => "licence-problem-session",
            Problem::Layout => "printer-layout",
        }
    }
}

/// The page that will print, scaled for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The scaled page.
    pub image: image::Handle,
}

/// Where the job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Choosing the purpose.
    Purpose,
    /// Asking the platform for a ticket and composing the page.
    Preparing,
    /// The page as it will print; choosing copies.
    Preview,
    /// Queued or printing.
    Printing {
        /// Pages the printer confirmed.
        printed: u32,
        /// Pages asked for.
        pages: u32,
    },
    /// Everything came out.
    Done,
    /// The printer stopped.
    Failed {
        /// Pages that came out.
        printed: u32,
        /// Pages asked for.
        pages: u32,
        /// Why.
        cause: Cause,
    },
    /// Nobody can tell what came out.
    Uncertain,
    /// The job never started.
    Refused(Cause),
    /// No ticket or no page.
    Problem(Problem),
}

/// What the screen can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// One of the listed purposes was chosen.
    Purpose(usize),
    /// "Other": the resident types the purpose.
    Other,
    /// A key of the keyboard (typing the other purpose).
    Key(Key),
    /// On to the preview.
    Next,
    /// One more copy.
    More,
    /// One copy fewer.
    Fewer,
    /// Print.
    Print,
    /// Print the copies that did not come out.
    Retry,
    /// Back a step (or to the list).
    Back,
    /// Back to the resident's home.
    Finish,
}

/// What the top level must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Ask the platform for a ticket and compose the page.
    Ticket {
        /// The watermark's purpose (Chinese: the copy is a Chinese document).
        purpose: String,
        /// Most copies wanted.
        copies: u32,
    },
    /// The ticket will not be used: tell the platform.
    Cancel,
    /// Print this many copies of the prepared page.
    Print {
        /// Copies.
        copies: u32,
    },
    /// Back to the list of licences.
    List,
    /// Back to the resident's home.
    Home,
}

/// The screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The licence.
    pub licence: LicenceSummary,
    /// The purposes offered.
    pub purposes: Vec<Localized>,
    /// The one chosen.
    pub chosen: Option<Chosen>,
    /// The purpose typed under "other".
    pub other: String,
    /// The keyboard, while the other purpose is typed.
    pub keyboard: Option<Keyboard>,
    /// Where the job is.
    pub step: Step,
    /// Copies chosen.
    pub copies: u32,
    /// Copies the ticket allows.
    pub allowed: u32,
    /// Copies a ticket is asked for.
    pub max_copies: u32,
    /// Price of a copy in fen (0: free).
    pub price_fen: u32,
    /// Why the A4 printer cannot print now, if it cannot.
    pub blocked: Option<Cause>,
    /// The prepared page.
    pub preview: Option<Preview>,
    /// Copies printed in this visit (over retries).
    pub printed_total: u32,
    /// A retry is being prepared: it prints without a second preview.
    retrying: bool,
}

impl State {
    /// Takes what changed elsewhere: the A4 printer, the ticket's
    /// problem, the job's progress.
    pub fn hear(&mut self, news: &super::News<'_>) -> bool {
        use super::News;
        use tongban_device::DeviceKind;
        match news {
            News::PrinterBlocked(DeviceKind::A4Printer, cause) => self.blocked = *cause,
            News::LicenceProblem(problem) => self.problem(*problem),
            News::LicenceProgress(progress) => self.progress(*progress),
            _ => return false,
        }
        true
    }

    /// The licence whose copy this is.
    pub fn licence(&self) -> &LicenceSummary {
        &self.licence
    }

    /// Whether the screen waits for the ticket and the page.
    pub fn preparing(&self) -> bool {
        self.step == Step::Preparing
    }

    /// The purpose step for a licence.
    pub fn new(
        licence: LicenceSummary,
        purposes: Vec<Localized>,
        max_copies: u32,
        price_fen: u32,
    ) -> Self {
        Self {
            licence,
            purposes,
            chosen: None,
            other: String::new(),
            keyboard: None,
            step: Step::Purpose,
            copies: 1,
            allowed: 0,
            max_copies: max_copies.max(1),
            price_fen,
            blocked: None,
            preview: None,
            printed_total: 0,
            retrying: false,
        }
    }

    /// The watermark's words for the chosen purpose, if one is complete.
    pub fn purpose(&self) -> Option<String> {
        match self.chosen? {
            Chosen::Listed(i) => self.purposes.get(i).map(|p| p.zh.clone()),
            Chosen::Other => {
                let typed = self.other.trim();
                (!typed.is_empty()).then(|| typed.to_owned())
            }
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Action {
        match (message, self.step) {
            (Message::Purpose(i), Step::Purpose) if i < self.purposes.len() => {
                self.chosen = Some(Chosen::Listed(i));
                self.keyboard = None;
            }
            (Message::Other, Step::Purpose) => {
                self.chosen = Some(Chosen::Other);
                self.keyboard = Some(Keyboard::new(Mode::Pinyin));
            }
            (Message::Key(key), Step::Purpose) => {
                if let Some(kb) = &mut self.keyboard
                    && kb.press(key, &mut self.other, OTHER_MAX) == Outcome::Done
                {
                    self.keyboard = None;
                }
            }
            (Message::Next, Step::Purpose) => {
                if let (Some(purpose), None) = (self.purpose(), self.blocked) {
                    self.keyboard = None;
                    self.step = Step::Preparing;
                    self.retrying = false;
                    return Action::Ticket {
                        purpose,
                        copies: self.max_copies,
                    };
                }
            }
            (Message::More, Step::Preview) => self.copies = (self.copies + 1).min(self.allowed),
            (Message::Fewer, Step::Preview) => self.copies = self.copies.saturating_sub(1).max(1),
            (Message::Print, Step::Preview) if self.blocked.is_none() && self.copies >= 1 => {
                self.step = Step::Printing {
                    printed: 0,
                    pages: self.copies,
                };
                return Action::Print {
                    copies: self.copies,
                };
            }
            (Message::Retry, Step::Failed { printed, pages, .. })
                if self.blocked.is_none() && printed < pages =>
            {
                if let Some(purpose) = self.purpose() {
                    self.step = Step::Preparing;
                    self.retrying = true;
                    self.preview = None;
                    return Action::Ticket {
                        purpose,
                        copies: pages - printed,
                    };
                }
            }
            (Message::Back, Step::Purpose) if self.keyboard.is_some() => self.keyboard = None,
            (Message::Back, Step::Purpose) => return Action::List,
            (Message::Back, Step::Preview) => {
                self.step = Step::Purpose;
                self.preview = None;
                return Action::Cancel;
            }
            (Message::Back, Step::Problem(_)) => {
                self.step = Step::Purpose;
            }
            (Message::Finish, step) if !matches!(step, Step::Printing { .. } | Step::Preparing) => {
                return Action::Home;
            }
            _ => {}
        }
        Action::None
    }

    /// The ticket came and the page is composed: the preview, or, for a
    /// retry, straight to printing (the resident saw the page already).
    pub fn prepared(&mut self, allowed: u32, preview: Preview) -> Action {
        if self.step != Step::Preparing {
            return Action::None;
        }
        self.allowed = allowed.max(1);
        self.preview = Some(preview);
        if self.retrying {
            self.retrying = false;
            // The ticket may allow fewer than were missing.
            self.copies = self.allowed;
            self.step = Step::Printing {
                printed: 0,
                pages: self.copies,
            };
            return Action::Print {
                copies: self.copies,
            };
        }
        self.copies = 1;
        self.step = Step::Preview;
        Action::None
    }

    /// No ticket or no page.
    pub fn problem(&mut self, problem: Problem) {
        if self.step == Step::Preparing {
            self.step = Step::Problem(problem);
            self.retrying = false;
        }
    }

    /// The printing service reported on the job.
    pub fn progress(&mut self, progress: Progress) {
        self.step = match progress {
            Progress::Started { pages, .. } => Step::Printing { printed: 0, pages },
            Progress::Page { printed, pages } => Step::Printing { printed, pages },
            Progress::Printed => {
                if let Step::Printing { pages, .. } = self.step {
                    self.printed_total += pages;
                }
                Step::Done
            }
            Progress::Failed {
                printed,
                pages,
                cause,
            } => {
                self.printed_total += printed;
                Step::Failed {
                    printed,
                    pages,
                    cause,
                }
            }
            Progress::Uncertain { .. } => Step::Uncertain,
            Progress::Refused(cause) => Step::Refused(cause),
        };
    }

    /// Whether a job is under way (the session must not end under it).
    pub fn printing(&self) -> bool {
        matches!(self.step, Step::Printing { .. })
    }

    /// The screen.
    pub fn view<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let wide = ctx.layout == Layout::Wide;
        // One line: what is being printed, and its number.
        let name = ctx.pick_text(&self.licence.name);
        let licence = Row::new()
            .push(ctx.text(name, Type::Title))
            .push(
                ctx.text(
                    ctx.ta(
                        "licence-number",
                        &[("number", Arg::Str(&self.licence.number_masked))],
                    ),
                    Type::Body,
                )
                .color(palette::TEXT_MUTED),
            )
            .spacing(ctx.sp(Space::L))
            .align_y(Alignment::Center)
            .wrap();
        let header = container(licence)
            .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
            .width(Length::Fill)
            .style(containers::card);
        let body: Element<'a, Message> = match self.step {
            Step::Purpose => return self.purpose_view(ctx, header.into()),
            Step::Preview => return self.preview_view(ctx, header.into()),
            Step::Preparing => column![
                ctx.text(ctx.t("licence-preparing"), Type::Heading),
                ctx.text(ctx.t("licence-preparing-body"), Type::Title)
                    .color(palette::TEXT_MUTED),
            ]
            .spacing(ctx.sp(Space::L))
            .into(),
            Step::Printing { printed, pages } => column![
                ctx.text(ctx.t("licence-printing"), Type::Heading),
                ctx.text(
                    ctx.ta(
                        "licence-printing-pages",
                        &[
                            ("printed", Arg::Num(i64::from(printed))),
                            ("pages", Arg::Num(i64::from(pages)))
                        ]
                    ),
                    Type::Title
                ),
                ctx.text(ctx.t("licence-printing-wait"), Type::Body)
                    .color(palette::TEXT_MUTED),
            ]
            .spacing(ctx.sp(Space::L))
            .into(),
            Step::Done => outcome(
                ctx,
                ctx.t("licence-done"),
                vec![
                    ctx.ta(
                        "licence-done-copies",
                        &[("copies", Arg::Num(i64::from(self.printed_total)))],
                    ),
                    ctx.t("licence-done-take"),
                ],
                containers::notice,
            ),
            Step::Failed {
                printed,
                pages,
                cause,
            } => {
                let mut lines = vec![
                    ctx.t(cause.message_id()),
                    ctx.ta(
                        "licence-failed-pages",
                        &[
                            ("printed", Arg::Num(i64::from(printed))),
                            ("pages", Arg::Num(i64::from(pages))),
                        ],
                    ),
                ];
                if printed > 0 {
                    lines.push(ctx.t("licence-failed-take"));
                }
                outcome(ctx, ctx.t("licence-failed"), lines, containers::danger_band)
            }
            Step::Uncertain => outcome(
                ctx,
                ctx.t("licence-uncertain"),
                vec![ctx.t("licence-uncertain-body")],
                containers::danger_band,
            ),
            Step::Refused(cause) => outcome(
                ctx,
                ctx.t("licence-failed"),
                vec![ctx.t(cause.message_id()), ctx.t("licence-refused-body")],
                containers::danger_band,
            ),
            Step::Problem(problem) => outcome(
                ctx,
                ctx.t("licence-problem"),
                vec![ctx.t(problem.message_id())],
                containers::danger_band,
            ),
        };
        let mut page = Column::new()
            .push(header)
            .push(body)
            .spacing(ctx.sp(Space::L))
            .max_width(1400);
        let mut actions = Row::new()
            .spacing(ctx.sp(Space::L))
            .align_y(Alignment::Center);
        let mut hint = None;
        match self.step {
            Step::Failed { printed, pages, .. } if printed < pages => {
                actions = actions.push(widget::secondary_button(
                    ctx,
                    ctx.t("licence-finish"),
                    Some(Message::Finish),
                ));
                actions = actions.push(widget::primary_button(
                    ctx,
                    ctx.ta(
                        "licence-retry",
                        &[("copies", Arg::Num(i64::from(pages - printed)))],
                    ),
                    self.blocked.is_none().then_some(Message::Retry),
                ));
                // Below the buttons, so they stay where they are when the
                // printer comes back.
                if self.blocked.is_some() {
                    hint = Some(
                        ctx.text(ctx.t("licence-retry-when"), Type::Body)
                            .color(palette::TEXT_MUTED),
                    );
                }
            }
            Step::Problem(_) => {
                actions = actions.push(widget::secondary_button(
                    ctx,
                    ctx.t("licence-finish"),
                    Some(Message::Finish),
                ));
                actions = actions.push(widget::primary_button(
                    ctx,
                    ctx.t("licence-problem-back"),
                    Some(Message::Back),
                ));
            }
            Step::Printing { .. } | Step::Preparing => {}
            _ => {
                actions = actions.push(widget::primary_button(
                    ctx,
                    ctx.t("licence-finish"),
                    Some(Message::Finish),
                ));
            }
        }
        page = page.push(actions);
        if let Some(hint) = hint {
            page = page.push(hint);
        }
        scrollable(
            container(page)
                .padding(ctx.sp(if wide { Space::Xl } else { Space::M }))
                .center_x(Length::Fill),
        )
        .height(Length::Fill)
        .into()
    }

    fn purpose_view<'a>(
        &'a self,
        ctx: Ctx<'a>,
        header: Element<'a, Message>,
    ) -> Element<'a, Message> {
        let mut content = Column::new().push(header).spacing(ctx.sp(Space::M));
        content = content.push(ctx.text(ctx.t("licence-purpose-title"), Type::Title));
        if let Some(kb) = &self.keyboard {
            // Typing the other purpose: the field, then the keyboard.
            let pending = kb.pinyin.as_str();
            let typed = if self.other.is_empty() && pending.is_empty() {
                ctx.text(ctx.t("licence-other-hint"), Type::Label)
                    .color(palette::TEXT_MUTED)
            } else {
                ctx.text(format!("{}▏{}", self.other, pending), Type::Label)
            };
            content = content.push(
                container(typed)
                    .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
                    .width(Length::Fill)
                    .style(containers::card),
            );
            content = content.push(
                ctx.text(
                    ctx.ta(
                        "licence-watermark-sample",
                        &[("purpose", Arg::Str(self.other.trim()))],
                    ),
                    Type::Body,
                )
                .color(palette::TEXT_MUTED),
            );
            content = content.push(container(iced::widget::space()).height(Length::Fill));
            content = content
                .push(keyboard::view(ctx, kb, &[Mode::Pinyin, Mode::Letters]).map(Message::Key));
            return widget::body(ctx, content);
        }
        content = content.push(
            ctx.text(ctx.t("licence-purpose-hint"), Type::Body)
                .color(palette::TEXT_MUTED),
        );
        let mut buttons: Vec<Element<'a, Message>> = self
            .purposes
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let label = ctx.pick(p).to_owned();
                choice(
                    ctx,
                    label,
                    self.chosen == Some(Chosen::Listed(i)),
                    Message::Purpose(i),
                )
            })
            .collect();
        let other = if self.chosen == Some(Chosen::Other) && !self.other.trim().is_empty() {
            ctx.ta(
                "licence-other-typed",
                &[("purpose", Arg::Str(self.other.trim()))],
            )
        } else {
            ctx.t("licence-other")
        };
        buttons.push(choice(
            ctx,
            other,
            self.chosen == Some(Chosen::Other),
            Message::Other,
        ));
        let per_row = if ctx.layout == Layout::Wide && !ctx.m.elder {
            4
        } else {
            2
        };
        let mut grid = Column::new().spacing(ctx.sp(Space::M));
        let mut it = buttons.into_iter().peekable();
        while it.peek().is_some() {
            let mut line = Row::new().spacing(ctx.sp(Space::M));
            for _ in 0..per_row {
                match it.next() {
                    Some(b) => line = line.push(b),
                    None => line = line.push(container(iced::widget::space()).width(Length::Fill)),
                }
            }
            grid = grid.push(line);
        }
        content = content.push(scrollable(grid).height(Length::Fill));
        if let Some(cause) = self.blocked {
            content = content.push(
                container(ctx.text(ctx.t(cause.message_id()), Type::Label))
                    .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
                    .width(Length::Fill)
                    .style(containers::danger_band),
            );
        }
        let ready = self.purpose().is_some() && self.blocked.is_none();
        content = content.push(
            row![
                widget::secondary_button(ctx, ctx.t("licence-back"), Some(Message::Back)),
                container(iced::widget::space()).width(Length::Fill),
                widget::primary_button(ctx, ctx.t("licence-next"), ready.then_some(Message::Next)),
            ]
            .spacing(ctx.sp(Space::L))
            .align_y(Alignment::Center),
        );
        widget::body(ctx, content)
    }

    fn preview_view<'a>(
        &'a self,
        ctx: Ctx<'a>,
        header: Element<'a, Message>,
    ) -> Element<'a, Message> {
        let picture: Element<'a, Message> = match &self.preview {
            Some(p) => container(
                image(p.image.clone())
                    .content_fit(ContentFit::Contain)
                    .width(Length::Fill)
                    .height(Length::Fill),
            )
            .padding(ctx.sp(Space::S))
            .style(containers::card)
            .into(),
            None => container(ctx.text(ctx.t("licence-preparing"), Type::Body)).into(),
        };
        let purpose = self.purpose().unwrap_or_default();
        let mut details = Column::new()
            .push(ctx.text(ctx.t("licence-preview-title"), Type::Title))
            .push(
                ctx.text(
                    ctx.ta(
                        "licence-preview-purpose",
                        &[("purpose", Arg::Str(&purpose))],
                    ),
                    Type::Body,
                )
                .color(palette::TEXT_MUTED),
            )
            .push(
                ctx.text(ctx.t("licence-preview-verify"), Type::Body)
                    .color(palette::TEXT_MUTED),
            )
            .spacing(ctx.sp(Space::M));
        let copies = row![
            widget::secondary_button(ctx, "−".into(), (self.copies > 1).then_some(Message::Fewer)),
            ctx.text(
                ctx.ta(
                    "licence-copies",
                    &[("copies", Arg::Num(i64::from(self.copies)))]
                ),
                Type::Label
            ),
            widget::secondary_button(
                ctx,
                "+".into(),
                (self.copies < self.allowed).then_some(Message::More)
            ),
        ]
        .spacing(ctx.sp(Space::L))
        .align_y(Alignment::Center);
        details = details.push(copies);
        details = details.push(
            ctx.text(
                ctx.ta(
                    "licence-allowed",
                    &[("copies", Arg::Num(i64::from(self.allowed)))],
                ),
                Type::Body,
            )
            .color(palette::TEXT_MUTED),
        );
        if self.price_fen > 0 {
            let total = self.price_fen * self.copies;
            details = details.push(
                container(ctx.text(
                    ctx.ta(
                        "licence-price",
                        &[
                            ("each", Arg::Str(&yuan(self.price_fen))),
                            ("total", Arg::Str(&yuan(total))),
                        ],
                    ),
                    Type::Label,
                ))
                .padding([ctx.sp(Space::S), ctx.sp(Space::M)])
                .style(containers::notice),
            );
        } else {
            details = details.push(
                ctx.text(ctx.t("licence-free"), Type::Body)
                    .color(palette::SUCCESS),
            );
        }
        if let Some(cause) = self.blocked {
            details = details.push(
                container(ctx.text(ctx.t(cause.message_id()), Type::Label))
                    .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
                    .width(Length::Fill)
                    .style(containers::danger_band),
            );
        }
        details = details.push(container(iced::widget::space()).height(Length::Fill));
        details = details.push(
            row![
                widget::secondary_button(ctx, ctx.t("licence-preview-back"), Some(Message::Back)),
                widget::primary_button(
                    ctx,
                    ctx.t("licence-print"),
                    self.blocked.is_none().then_some(Message::Print)
                ),
            ]
            .spacing(ctx.sp(Space::L))
            .align_y(Alignment::Center)
            .wrap(),
        );
        let main: Element<'a, Message> = if ctx.layout == Layout::Wide {
            row![
                container(picture)
                    .width(Length::FillPortion(2))
                    .height(Length::Fill),
                container(details)
                    .width(Length::FillPortion(3))
                    .height(Length::Fill),
            ]
            .spacing(ctx.sp(Space::Xl))
            .height(Length::Fill)
            .into()
        } else {
            column![
                container(picture).height(Length::FillPortion(3)),
                container(details).height(Length::FillPortion(2)),
            ]
            .spacing(ctx.sp(Space::M))
            .height(Length::Fill)
            .into()
        };
        widget::body(ctx, column![header, main].spacing(ctx.sp(Space::M)))
    }
}

/// Fen as yuan: 150 → "1.50".
pub fn yuan(fen: u32) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// A purpose as a large choice, ticked when chosen.
fn choice<'a>(ctx: Ctx<'a>, label: String, chosen: bool, message: Message) -> Element<'a, Message> {
    let button = if chosen {
        widget::primary_button(ctx, format!("✓ {label}"), Some(message))
    } else {
        widget::secondary_button(ctx, label, Some(message))
    };
    button.width(Length::Fill).into()
}

fn outcome<'a>(
    ctx: Ctx<'a>,
    title: String,
    lines: Vec<String>,
    style: fn(&iced::Theme) -> container::Style,
) -> Element<'a, Message> {
    let mut col = Column::new()
        .push(
            container(ctx.text(title, Type::Heading))
                .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
                .width(Length::Fill)
                .style(style),
        )
        .spacing(ctx.sp(Space::M));
    for line in lines {
        col = col.push(ctx.text(line, Type::Title));
    }
    col.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongban_platform_api::catalogue::Text;
    use tongban_platform_api::licence::LicenceStatus;

    fn state() -> State {
        let licence = LicenceSummary {
            id: "LIC-1".into(),
            licence_type: "jzz".into(),
            name: Text {
                zh: "上海市居住证".into(),
                en: "Shanghai residence permit".into(),
            },
            number_masked: "JZZ-************0123".into(),
            issued_on: "2026-01-01".into(),
            issuer: Text::default(),
            valid_until: None,
            status: LicenceStatus::Valid,
        };
        let purposes = vec![Localized {
            zh: "办理银行业务".into(),
            en: "Banking".into(),
        }];
        State::new(licence, purposes, 3, 0)
    }

    fn preview() -> Preview {
        Preview {
            image: image::Handle::from_rgba(1, 1, vec![255u8; 4]),
        }
    }

    #[test]
    fn a_purpose_leads_to_a_ticket_then_a_preview_within_what_it_allows() {
        let mut s = state();
        assert_eq!(s.update(Message::Next), Action::None, "no purpose yet");
        s.update(Message::Purpose(0));
        s.blocked = Some(Cause::PaperOut);
        assert_eq!(s.update(Message::Next), Action::None, "no paper");
        s.blocked = None;
        assert_eq!(
            s.update(Message::Next),
            Action::Ticket {
                purpose: "办理银行业务".into(),
                copies: 3
            }
        );
        assert_eq!(s.prepared(2, preview()), Action::None);
        assert_eq!(s.step, Step::Preview);
        s.update(Message::More);
        s.update(Message::More);
        assert_eq!(s.copies, 2, "the ticket allows two");
        assert_eq!(s.update(Message::Print), Action::Print { copies: 2 });
        assert_eq!(
            s.update(Message::Finish),
            Action::None,
            "not while printing"
        );
    }

    #[test]
    fn another_purpose_is_typed_in_chinese() {
        let mut s = state();
        s.update(Message::Other);
        for c in "ban".chars() {
            s.update(Message::Key(Key::Char(c)));
        }
        s.update(Message::Key(Key::Candidate('办')));
        assert_eq!(s.other, "办");
        s.update(Message::Key(Key::Done));
        assert!(s.keyboard.is_none());
        assert!(
            matches!(s.update(Message::Next), Action::Ticket { purpose, .. } if purpose == "办")
        );
    }

    /// At the preview of a page whose ticket allows three copies.
    fn previewing() -> State {
        let mut s = state();
        s.update(Message::Purpose(0));
        s.update(Message::Next);
        s.prepared(3, preview());
        s
    }

    #[test]
    fn leaving_the_preview_cancels_the_ticket() {
        let mut s = previewing();
        assert_eq!(s.update(Message::Back), Action::Cancel);
        assert_eq!(s.step, Step::Purpose);
    }

    #[test]
    fn a_failed_job_retries_only_the_missing_copies_without_a_second_preview() {
        let mut s = previewing();
        s.update(Message::More);
        s.update(Message::Print);
        s.progress(Progress::Failed {
            printed: 1,
            pages: 2,
            cause: Cause::PaperOut,
        });
        s.blocked = Some(Cause::PaperOut);
        assert_eq!(s.update(Message::Retry), Action::None, "still no paper");
        s.blocked = None;
        assert_eq!(
            s.update(Message::Retry),
            Action::Ticket {
                purpose: "办理银行业务".into(),
                copies: 1
            }
        );
        assert_eq!(s.prepared(1, preview()), Action::Print { copies: 1 });
        s.progress(Progress::Printed);
        assert_eq!(s.printed_total, 2);
        assert_eq!(s.update(Message::Finish), Action::Home);
    }

    #[test]
    fn a_refused_ticket_says_why_and_goes_back_to_the_purpose() {
        let mut s = state();
        s.update(Message::Purpose(0));
        s.update(Message::Next);
        s.problem(Problem::Quota);
        assert_eq!(s.step, Step::Problem(Problem::Quota));
        s.update(Message::Back);
        assert_eq!(s.step, Step::Purpose);
    }

    #[test]
    fn prices_read_in_yuan() {
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(50), "0.50");
        assert_eq!(yuan(1205), "12.05");
    }
}
