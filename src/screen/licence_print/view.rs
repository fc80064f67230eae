//! The licence printing screen's views, one per step: the purpose (a grid
//! of choices, or the keyboard for another), the preview with the copies
//! and the price, and the steps after it (preparing, printing, and how it
//! went, with the buttons that lead on).

use iced::widget::{Column, Row, column, container, image, row, scrollable};
use iced::{Alignment, ContentFit, Element, Length};

use super::{Chosen, Message, State, Step, yuan};
use crate::i18n::Arg;
use crate::print::service::Cause;
use crate::theme::{Space, Type, containers, palette};
use crate::widget::keyboard::{self, Keyboard, Mode};
use crate::widget::{self, Ctx, Layout};

impl State {
    /// The screen.
    pub fn view<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let wide = ctx.layout == Layout::Wide;
        let header = self.header(ctx);
        let body: Element<'a, Message> = match self.step {
            Step::Purpose => return self.purpose_view(ctx, header),
            Step::Preview => return self.preview_view(ctx, header),
            Step::Preparing => preparing_body(ctx),
            Step::Printing { printed, pages } => printing_body(ctx, printed, pages),
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
            } => failed_body(ctx, printed, pages, cause),
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
        let (actions, hint) = self.actions(ctx);
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

    /// One line: what is being printed, and its number, in a card.
    fn header<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
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
        container(licence)
            .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
            .width(Length::Fill)
            .style(containers::card)
            .into()
    }

    /// The buttons under a step after the preview, and the hint below
    /// them, if any: finish, retry or back to the purpose, as the step
    /// allows.
    fn actions<'a>(&'a self, ctx: Ctx<'a>) -> (Row<'a, Message>, Option<Element<'a, Message>>) {
        let mut actions = Row::new()
            .spacing(ctx.sp(Space::L))
            .align_y(Alignment::Center);
        let mut hint = None;
        match self.step {
            Step::Failed { printed, pages, .. } if printed < pages => {
                actions = actions.push(finish(ctx));
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
                            .color(palette::TEXT_MUTED)
                            .into(),
                    );
                }
            }
            Step::Problem(_) => {
                actions = actions.push(finish(ctx));
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
        (actions, hint)
    }

    /// The purpose step: the choices, or the keyboard while another
    /// purpose is typed, then back and next.
    fn purpose_view<'a>(
        &'a self,
        ctx: Ctx<'a>,
        header: Element<'a, Message>,
    ) -> Element<'a, Message> {
        let mut content = Column::new().spacing(ctx.sp(Space::M));
        // Typing in 长者模式 on a screen less tall than the wide one: the
        // keys need the room of the licence's card (the title says what
        // is chosen).
        let cramped = ctx.m.elder && ctx.layout == Layout::Compact;
        if self.keyboard.is_none() || !cramped {
            content = content.push(header);
        }
        content = content.push(ctx.text(ctx.t("licence-purpose-title"), Type::Title));
        if let Some(kb) = &self.keyboard {
            return self.typing_view(ctx, kb, content);
        }
        content = content.push(
            ctx.text(ctx.t("licence-purpose-hint"), Type::Body)
                .color(palette::TEXT_MUTED),
        );
        content = content.push(scrollable(self.purpose_grid(ctx)).height(Length::Fill));
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

    /// Typing the other purpose: the field, a sample of the watermark,
    /// then the keyboard, under what `content` holds already.
    fn typing_view<'a>(
        &'a self,
        ctx: Ctx<'a>,
        kb: &'a Keyboard,
        mut content: Column<'a, Message>,
    ) -> Element<'a, Message> {
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
        content =
            content.push(keyboard::view(ctx, kb, &[Mode::Pinyin, Mode::Letters]).map(Message::Key));
        widget::body(ctx, content)
    }

    /// The purposes as large choices and "other" last, four a row on a
    /// wide display (two for elders and on narrower ones).
    fn purpose_grid<'a>(&'a self, ctx: Ctx<'a>) -> Column<'a, Message> {
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
        grid
    }

    /// The preview step: the page as it will print beside (or above) its
    /// details, copies and price, with back and print.
    fn preview_view<'a>(
        &'a self,
        ctx: Ctx<'a>,
        header: Element<'a, Message>,
    ) -> Element<'a, Message> {
        let picture = self.picture(ctx);
        // Landscape screens put the details beside the page; portrait
        // ones under it, where they take what they need and the page the
        // rest (a fixed share of the height cut the print button off).
        let wide = ctx.layout != Layout::Portrait;
        let details = self.preview_details(ctx, wide);
        let main: Element<'a, Message> = if wide {
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
            column![container(picture).height(Length::Fill), details]
                .spacing(ctx.sp(Space::M))
                .height(Length::Fill)
                .into()
        };
        widget::body(ctx, column![header, main].spacing(ctx.sp(Space::M)))
    }

    /// The page that will print, scaled to fit its card.
    fn picture<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        match &self.preview {
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
        }
    }

    /// What the copy is for, the copies and what they cost, a printer
    /// problem if there is one, then back and print (at the foot of the
    /// column when `to_foot`, beside the picture on a wide screen).
    fn preview_details<'a>(&'a self, ctx: Ctx<'a>, to_foot: bool) -> Column<'a, Message> {
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
        details = details.push(self.copies_row(ctx));
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
        details = details.push(self.price(ctx));
        if let Some(cause) = self.blocked {
            details = details.push(
                container(ctx.text(ctx.t(cause.message_id()), Type::Label))
                    .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
                    .width(Length::Fill)
                    .style(containers::danger_band),
            );
        }
        if to_foot {
            details = details.push(container(iced::widget::space()).height(Length::Fill));
        }
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
        details
    }

    /// Fewer, the copies chosen, more (within what the ticket allows).
    fn copies_row<'a>(&'a self, ctx: Ctx<'a>) -> Row<'a, Message> {
        row![
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
        .align_y(Alignment::Center)
    }

    /// The price of the copies where the service charges, else that they
    /// are free.
    fn price<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        if self.price_fen > 0 {
            let total = self.price_fen * self.copies;
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
            .style(containers::notice)
            .into()
        } else {
            ctx.text(ctx.t("licence-free"), Type::Body)
                .color(palette::SUCCESS)
                .into()
        }
    }
}

/// The preparing step: the ticket and the page are on their way.
fn preparing_body<'a>(ctx: Ctx<'a>) -> Element<'a, Message> {
    column![
        ctx.text(ctx.t("licence-preparing"), Type::Heading),
        ctx.text(ctx.t("licence-preparing-body"), Type::Title)
            .color(palette::TEXT_MUTED),
    ]
    .spacing(ctx.sp(Space::L))
    .into()
}

/// The printing step: pages the printer confirmed of those asked for.
fn printing_body<'a>(ctx: Ctx<'a>, printed: u32, pages: u32) -> Element<'a, Message> {
    column![
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
    .into()
}

/// The printer stopped: why, the pages that came out, and to take them.
fn failed_body<'a>(ctx: Ctx<'a>, printed: u32, pages: u32, cause: Cause) -> Element<'a, Message> {
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

/// A purpose as a large choice, ticked when chosen.
fn choice<'a>(ctx: Ctx<'a>, label: String, chosen: bool, message: Message) -> Element<'a, Message> {
    let button = if chosen {
        widget::primary_button(ctx, format!("✓ {label}"), Some(message))
    } else {
        widget::secondary_button(ctx, label, Some(message))
    };
    button.width(Length::Fill).into()
}

/// How a job went: the title in a band of `style`, then a line each.
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

/// "Finish": back to the resident's home.
fn finish<'a>(ctx: Ctx<'a>) -> iced::widget::Button<'a, Message> {
    widget::secondary_button(ctx, ctx.t("licence-finish"), Some(Message::Finish))
}
