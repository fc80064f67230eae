//! Printing a copy of one of the resident's electronic licences: choose the
//! purpose (printed across the copy as a watermark) and the number of
//! copies, print, and see how it went — pages as the printer confirms
//! them, and, if the printer stops, what happened and what to do.

use iced::widget::{Column, Row, column, container, row, scrollable};
use iced::{Alignment, Element, Length};

use crate::i18n::Arg;
use crate::print::service::{Cause, Progress};
use crate::theme::{Space, Type, containers, palette};
use crate::widget::{self, Ctx, Layout};

/// What a copy may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// 办理入学手续.
    School,
    /// 办理社保业务.
    SocialSecurity,
    /// 办理银行业务.
    Bank,
    /// 办理住房业务.
    Housing,
    /// 核验身份.
    Identity,
}

impl Purpose {
    /// Every purpose, in display order.
    pub const ALL: [Purpose; 5] = [
        Purpose::School,
        Purpose::SocialSecurity,
        Purpose::Bank,
        Purpose::Housing,
        Purpose::Identity,
    ];

    fn message_id(self) -> &'static str {
        match self {
            Purpose::School => "purpose-school",
            Purpose::SocialSecurity => "purpose-social-security",
            Purpose::Bank => "purpose-bank",
            Purpose::Housing => "purpose-housing",
            Purpose::Identity => "purpose-identity",
        }
    }

    /// The words in the watermark (仅供{…}使用): always Chinese, whatever
    /// the screen's language, because the copy is a Chinese document.
    pub fn watermark(self) -> &'static str {
        match self {
            Purpose::School => "办理入学手续",
            Purpose::SocialSecurity => "办理社保业务",
            Purpose::Bank => "办理银行业务",
            Purpose::Housing => "办理住房业务",
            Purpose::Identity => "核验身份",
        }
    }
}

/// Where the job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Choosing purpose and copies.
    Choose,
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
}

/// What the screen can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A purpose was chosen.
    Purpose(Purpose),
    /// One more copy.
    More,
    /// One copy fewer.
    Fewer,
    /// Print.
    Print,
    /// Back to home (before printing, or after it ended).
    Back,
}

/// What the top level must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Queue the job.
    Print {
        /// Watermark purpose.
        purpose: Purpose,
        /// Copies.
        copies: u32,
    },
    /// Return to the resident's home.
    Home,
}

/// The screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The licence's name (e.g. 上海市居住证).
    pub licence_name: String,
    /// Its number.
    pub licence_number: String,
    /// The chosen purpose.
    pub purpose: Option<Purpose>,
    /// Copies asked for.
    pub copies: u32,
    /// Most copies the ticket allows.
    pub max_copies: u32,
    /// Where the job is.
    pub step: Step,
    /// Why the A4 printer cannot print now, if it cannot.
    pub blocked: Option<Cause>,
}

impl State {
    /// The choose step for a licence.
    pub fn new(licence_name: String, licence_number: String, max_copies: u32) -> Self {
        Self {
            licence_name,
            licence_number,
            purpose: None,
            copies: 1,
            max_copies: max_copies.max(1),
            step: Step::Choose,
            blocked: None,
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Action {
        match (message, self.step) {
            (Message::Purpose(p), Step::Choose) => self.purpose = Some(p),
            (Message::More, Step::Choose) => self.copies = (self.copies + 1).min(self.max_copies),
            (Message::Fewer, Step::Choose) => self.copies = self.copies.saturating_sub(1).max(1),
            (Message::Print, Step::Choose) => {
                if let (Some(purpose), None) = (self.purpose, self.blocked) {
                    self.step = Step::Printing {
                        printed: 0,
                        pages: self.copies,
                    };
                    return Action::Print {
                        purpose,
                        copies: self.copies,
                    };
                }
            }
            (Message::Back, Step::Printing { .. }) => {}
            (Message::Back, _) => return Action::Home,
            _ => {}
        }
        Action::None
    }

    /// The printing service reported on the job.
    pub fn progress(&mut self, progress: Progress) {
        self.step = match progress {
            Progress::Started { pages, .. } => Step::Printing { printed: 0, pages },
            Progress::Page { printed, pages } => Step::Printing { printed, pages },
            Progress::Printed => Step::Done,
            Progress::Failed {
                printed,
                pages,
                cause,
            } => Step::Failed {
                printed,
                pages,
                cause,
            },
            Progress::Uncertain { .. } => Step::Uncertain,
            Progress::Refused(cause) => Step::Refused(cause),
        };
    }

    /// Whether a job is under way (the session must not end under it).
    pub fn printing(&self) -> bool {
        matches!(self.step, Step::Printing { .. })
    }

    /// The screen.
    pub fn view<'a>(&self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let wide = ctx.layout == Layout::Wide;
        // One line: what is being printed, and its number.
        let licence = Row::new()
            .push(ctx.text(self.licence_name.clone(), Type::Title))
            .push(
                ctx.text(
                    ctx.ta(
                        "licence-number",
                        &[("number", Arg::Str(&self.licence_number))],
                    ),
                    Type::Body,
                )
                .color(palette::TEXT_MUTED),
            )
            .spacing(ctx.sp(Space::L))
            .align_y(Alignment::Center)
            .wrap();
        let body: Element<'a, Message> = match self.step {
            Step::Choose => self.choose(ctx),
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
                vec![ctx.t("licence-done-take")],
                containers::notice,
            ),
            Step::Failed {
                printed,
                pages,
                cause,
            } => outcome(
                ctx,
                ctx.t("licence-failed"),
                vec![
                    ctx.t(cause.message_id()),
                    ctx.ta(
                        "licence-failed-pages",
                        &[
                            ("printed", Arg::Num(i64::from(printed))),
                            ("pages", Arg::Num(i64::from(pages))),
                        ],
                    ),
                ],
                containers::danger_band,
            ),
            Step::Uncertain => outcome(
                ctx,
                ctx.t("licence-uncertain"),
                vec![ctx.t("licence-uncertain-body")],
                containers::danger_band,
            ),
            Step::Refused(cause) => outcome(
                ctx,
                ctx.t("licence-failed"),
                vec![ctx.t(cause.message_id())],
                containers::danger_band,
            ),
        };
        let mut page = Column::new()
            .push(
                container(licence)
                    .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
                    .width(Length::Fill)
                    .style(containers::card),
            )
            .push(body)
            .spacing(ctx.sp(Space::L))
            .max_width(1400);
        if !self.printing() && self.step != Step::Choose {
            page = page.push(widget::primary_button(
                ctx,
                ctx.t("licence-finish"),
                Some(Message::Back),
            ));
        }
        scrollable(
            container(page)
                .padding(ctx.sp(if wide { Space::Xl } else { Space::M }))
                .center_x(Length::Fill),
        )
        .height(Length::Fill)
        .into()
    }

    fn choose<'a>(&self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let purposes: Vec<Element<'a, Message>> = Purpose::ALL
            .iter()
            .map(|p| {
                let label = ctx.t(p.message_id());
                let chosen = self.purpose == Some(*p);
                let button = if chosen {
                    widget::primary_button(ctx, format!("✓ {label}"), Some(Message::Purpose(*p)))
                } else {
                    widget::secondary_button(ctx, label, Some(Message::Purpose(*p)))
                };
                button.width(Length::Fill).into()
            })
            .collect();
        // Three a row on every display: the print button must stay in view
        // without scrolling, even in 长者模式.
        let per_row = 3;
        let mut grid = Column::new().spacing(ctx.sp(Space::M));
        let mut it = purposes.into_iter().peekable();
        while it.peek().is_some() {
            let mut line = Row::new().spacing(ctx.sp(Space::M));
            for _ in 0..per_row {
                match it.next() {
                    Some(b) => line = line.push(b),
                    None => line = line.push(container("").width(Length::Fill)),
                }
            }
            grid = grid.push(line);
        }
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
                (self.copies < self.max_copies).then_some(Message::More)
            ),
        ]
        .spacing(ctx.sp(Space::L))
        .align_y(Alignment::Center);
        let can_print = self.purpose.is_some() && self.blocked.is_none();
        let print = widget::primary_button(
            ctx,
            ctx.t("licence-print"),
            can_print.then_some(Message::Print),
        );
        let back = widget::secondary_button(ctx, ctx.t("licence-back"), Some(Message::Back));
        // Narrower displays put the copies on their own line so the print
        // button never leaves the screen.
        let actions: Element<'a, Message> = if ctx.layout == Layout::Wide {
            row![back, container("").width(Length::Fill), copies, print]
                .spacing(ctx.sp(Space::L))
                .align_y(Alignment::Center)
                .into()
        } else {
            column![
                copies,
                row![back, container("").width(Length::Fill), print]
                    .spacing(ctx.sp(Space::L))
                    .align_y(Alignment::Center)
            ]
            .spacing(ctx.sp(Space::M))
            .into()
        };
        let mut content = column![
            ctx.text(ctx.t("licence-purpose-title"), Type::Title),
            ctx.text(ctx.t("licence-purpose-hint"), Type::Body)
                .color(palette::TEXT_MUTED),
            grid,
        ]
        .spacing(ctx.sp(Space::M));
        if let Some(cause) = self.blocked {
            content = content.push(
                container(ctx.text(ctx.t(cause.message_id()), Type::Label))
                    .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
                    .width(Length::Fill)
                    .style(containers::danger_band),
            );
        }
        content.push(actions).into()
    }
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

    #[test]
    fn printing_needs_a_purpose_and_a_printer_that_can_print() {
        let mut s = State::new("上海市居住证".into(), "JZZ-1".into(), 2);
        assert_eq!(s.update(Message::Print), Action::None);
        s.update(Message::Purpose(Purpose::Bank));
        s.blocked = Some(Cause::PaperOut);
        assert_eq!(s.update(Message::Print), Action::None);
        s.blocked = None;
        s.update(Message::More);
        s.update(Message::More);
        assert_eq!(s.copies, 2, "the ticket allows two");
        assert_eq!(
            s.update(Message::Print),
            Action::Print {
                purpose: Purpose::Bank,
                copies: 2
            }
        );
        // No way back while pages are coming out.
        assert_eq!(s.update(Message::Back), Action::None);
        s.progress(Progress::Failed {
            printed: 1,
            pages: 2,
            cause: Cause::PaperOut,
        });
        assert_eq!(s.update(Message::Back), Action::Home);
    }
}
