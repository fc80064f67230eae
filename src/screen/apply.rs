//! Filling in an item's (or a bundle's) form: fields from the ID card are
//! filled and locked, the platform's record offers the phone; a tap on a
//! field opens the on-screen keyboard that suits it (digits, letters,
//! pinyin) — or the scanner, where a code is expected — and a wrong value
//! gets a sentence under it. A review page comes before submitting.

use iced::widget::{Column, Row, button, column, container, row, scrollable};
use iced::{Alignment, Element, Length};
use tongban_platform_api::catalogue::{Catalogue, FieldKind, Text};
use zeroize::Zeroize;

use crate::form::{Form, Source, masked};
use crate::i18n::Arg;
use crate::search::Target;
use crate::theme::{Space, Type, buttons, containers, palette};
use crate::widget::keyboard::{self, Key, Keyboard, Outcome};
use crate::widget::{self, Ctx};

/// What the screen can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Edit a field.
    Edit(usize),
    /// A key of the keyboard.
    Key(Key),
    /// A choice of a choice field.
    Choose(usize, String),
    /// Leave the field being edited without keeping the change.
    Cancel,
    /// On to the review page.
    Review,
    /// Back from the review page to the form.
    Change,
    /// Submit.
    Submit,
    /// Back to the guide.
    Back,
}

/// What the top level must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Submit the form's answers for this item or bundle.
    Submit(Target, Vec<(String, String)>),
    /// Back to this item's or bundle's guide.
    Back(Target),
}

/// Where the resident is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Filling in.
    Fill,
    /// Reading it over.
    Review,
    /// Sent to be saved and submitted; waiting.
    Submitting,
    /// It could not be saved (the Fluent id of why); nothing was sent and
    /// the form is kept.
    Failed(&'static str),
}

/// The screen's state. Holds personal data (the form): wiped on drop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The item or bundle applied for.
    pub target: Target,
    /// The form.
    pub form: Form,
    /// The field being edited, its draft and the keyboard.
    pub editing: Option<usize>,
    draft: String,
    keyboard: Keyboard,
    /// Where the resident is.
    pub step: Step,
}

impl Drop for State {
    fn drop(&mut self) {
        self.draft.zeroize();
    }
}

impl State {
    /// Takes a scanned code into the field being edited, or the reason
    /// the submission was not taken.
    pub fn hear(&mut self, news: &super::News<'_>) -> bool {
        match news {
            super::News::Scanned(code) if self.editing.is_some() => self.scanned(code),
            super::News::SubmitFailed(why) if self.step == Step::Submitting => {
                self.step = Step::Failed(why);
            }
            _ => return false,
        }
        true
    }

    /// The item or bundle whose submission the screen waits for, if it
    /// waits for one.
    pub fn submitting(&self) -> Option<Target> {
        (self.step == Step::Submitting).then_some(self.target)
    }

    /// A form for `target`.
    pub fn new(target: Target, form: Form) -> Self {
        Self {
            target,
            form,
            editing: None,
            draft: String::new(),
            keyboard: Keyboard::default(),
            step: Step::Fill,
        }
    }

    /// The value being typed into the field being edited.
    pub fn draft(&self) -> &str {
        &self.draft
    }

    fn start_editing(&mut self, i: usize) {
        let Some(field) = self.form.fields().get(i) else {
            return;
        };
        if !self.form.editable(i) {
            return;
        }
        self.editing = Some(i);
        self.draft.zeroize();
        self.draft = self.form.value(i).to_owned();
        let modes = keyboard::modes_for(field.kind);
        self.keyboard = modes.first().map(|m| Keyboard::new(*m)).unwrap_or_default();
    }

    fn keep_draft(&mut self) {
        if let Some(i) = self.editing.take() {
            let value = std::mem::take(&mut self.draft);
            self.form.set(i, value.trim().to_owned());
            let mut value = value;
            value.zeroize();
            self.form.check_field(i);
        }
    }

    /// A code read by the scanner while a field is being edited: it goes
    /// into the field (a code is typed by no one).
    pub fn scanned(&mut self, code: &str) {
        if let Some(i) = self.editing {
            let max = self.form.fields()[i].max_len as usize;
            self.draft.zeroize();
            self.draft = code.chars().take(max).collect();
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Edit(i) => {
                if self.editing.is_some() {
                    self.keep_draft();
                }
                self.start_editing(i);
            }
            Message::Key(key) => {
                if let Some(i) = self.editing {
                    let max = self.form.fields()[i].max_len as usize;
                    if self.keyboard.press(key, &mut self.draft, max) == Outcome::Done {
                        self.keep_draft();
                        // On to the next field that still needs something.
                        if let Some(next) = self.form.first_open()
                            && self.form.problem(next).is_none()
                            && self.form.fields()[next].kind != FieldKind::Choice
                            && next != i
                        {
                            self.start_editing(next);
                        }
                    }
                }
            }
            Message::Choose(i, choice) => {
                self.form.set(i, choice);
                self.form.check_field(i);
            }
            Message::Cancel => {
                self.editing = None;
                self.draft.zeroize();
            }
            Message::Review => {
                self.keep_draft();
                match self.form.check_all() {
                    None => self.step = Step::Review,
                    Some(first) => {
                        if self.form.fields()[first].kind != FieldKind::Choice {
                            self.start_editing(first);
                        }
                    }
                }
            }
            Message::Change => self.step = Step::Fill,
            Message::Submit => {
                if self.step == Step::Review && self.form.is_valid() {
                    self.step = Step::Submitting;
                    return Action::Submit(self.target, self.form.entries());
                }
                if let Step::Failed(_) = self.step {
                    self.step = Step::Submitting;
                    return Action::Submit(self.target, self.form.entries());
                }
            }
            Message::Back => {
                if self.step == Step::Review {
                    self.step = Step::Fill;
                } else if self.editing.is_some() {
                    self.editing = None;
                    self.draft.zeroize();
                } else if self.step != Step::Submitting {
                    return Action::Back(self.target);
                }
            }
        }
        Action::None
    }

    /// The screen.
    pub fn view<'a>(&'a self, ctx: Ctx<'a>, catalogue: &'a Catalogue) -> Element<'a, Message> {
        let pick = move |t: &'a Text| ctx.pick_text(t);
        let name = match self.target {
            Target::Item(i) => pick(&catalogue.items[i].name),
            Target::Bundle(b) => pick(&catalogue.bundles[b].name),
        };
        let subtitle = match self.step {
            Step::Fill => ctx.t("apply-fill-hint"),
            _ => ctx.t("apply-review-hint"),
        };
        let back_label = match self.step {
            Step::Review => ctx.t("apply-change"),
            _ => ctx.t("back"),
        };
        let back = (self.step != Step::Submitting).then_some((back_label, Message::Back));
        // While a field is edited, the keyboard needs the room: the field's
        // own label heads the screen and Cancel goes back.
        if let (Step::Fill, Some(i)) = (&self.step, self.editing) {
            return widget::body(ctx, self.editor(ctx, i, pick));
        }
        let title = widget::title_bar(ctx, name.to_owned(), Some(subtitle), back);
        let content: Element<'a, Message> = match (&self.step, self.editing) {
            (Step::Fill, None) => self.fields(ctx, pick),
            _ => self.review(ctx, pick),
        };
        widget::body(
            ctx,
            column![title, content]
                .spacing(ctx.sp(Space::L))
                .height(Length::Fill),
        )
    }

    fn shown_value(&self, i: usize) -> String {
        let field = &self.form.fields()[i];
        let value = self.form.value(i);
        match self.form.source(i) {
            // What came from the card or the platform is shown masked.
            Source::IdCard | Source::Platform => masked(field.kind, value),
            _ => value.to_owned(),
        }
    }

    fn fields<'a>(
        &'a self,
        ctx: Ctx<'a>,
        pick: impl Fn(&'a Text) -> &'a str + Copy,
    ) -> Element<'a, Message> {
        let mut list = Column::new().spacing(ctx.sp(Space::M));
        for (i, field) in self.form.fields().iter().enumerate() {
            let mut head = Row::new()
                .spacing(ctx.sp(Space::S))
                .align_y(Alignment::Center)
                .push(
                    ctx.text(pick(&field.label), Type::Body)
                        .color(palette::TEXT_MUTED),
                );
            if field.required {
                head = head.push(ctx.text("*", Type::Body).color(palette::DANGER));
            }
            match self.form.source(i) {
                Source::IdCard => {
                    head = head.push(widget::badge(
                        ctx,
                        ctx.t("apply-from-card"),
                        palette::PRIMARY,
                    ));
                }
                Source::IdCardEditable => {
                    head = head.push(widget::badge(
                        ctx,
                        ctx.t("apply-from-card-editable"),
                        palette::PRIMARY,
                    ));
                }
                Source::Platform => {
                    head = head.push(widget::badge(
                        ctx,
                        ctx.t("apply-from-platform"),
                        palette::PRIMARY,
                    ));
                }
                Source::Resident => {}
            }
            let mut cell = Column::new().spacing(ctx.sp(Space::Xs)).push(head);
            if field.kind == FieldKind::Choice {
                let mut choices = Row::new().spacing(ctx.sp(Space::S));
                for c in &field.choices {
                    let selected = self.form.value(i) == c.zh;
                    choices = choices.push(
                        button(ctx.text(pick(c), Type::Label).center())
                            .padding([0.0, ctx.sp(Space::L)])
                            .height(ctx.m.touch_target())
                            .style(buttons::key(selected))
                            .on_press(Message::Choose(i, c.zh.clone())),
                    );
                }
                cell = cell.push(choices.wrap());
            } else {
                let value = self.shown_value(i);
                let shown = if value.is_empty() {
                    ctx.text(ctx.t("apply-tap-to-fill"), Type::Label)
                        .color(palette::TEXT_MUTED)
                } else {
                    ctx.text(value, Type::Label)
                };
                let mut line = Row::new()
                    .align_y(Alignment::Center)
                    .spacing(ctx.sp(Space::M))
                    .push(container(shown).width(Length::Fill));
                let (tag, colour) = if self.form.editable(i) {
                    ("apply-edit", palette::PRIMARY)
                } else {
                    ("apply-locked", palette::TEXT_MUTED)
                };
                line = line.push(ctx.text(ctx.t(tag), Type::Body).color(colour));
                cell = cell.push(
                    button(container(line).center_y(Length::Fill))
                        .width(Length::Fill)
                        .height(ctx.m.touch_target())
                        .padding([0.0, ctx.sp(Space::L)])
                        .style(buttons::row)
                        .on_press_maybe(self.form.editable(i).then_some(Message::Edit(i))),
                );
            }
            if let Some(problem) = self.form.problem(i) {
                let max = i64::from(field.max_len);
                cell = cell.push(
                    ctx.text(
                        ctx.ta(problem.message_id(), &[("max", Arg::Num(max))]),
                        Type::Body,
                    )
                    .color(palette::DANGER),
                );
            }
            list = list.push(cell);
        }
        let next = widget::primary_button(ctx, ctx.t("apply-review"), Some(Message::Review));
        column![
            scrollable(list).height(Length::Fill),
            row![container(iced::widget::space()).width(Length::Fill), next]
        ]
        .spacing(ctx.sp(Space::L))
        .into()
    }

    fn editor<'a>(
        &'a self,
        ctx: Ctx<'a>,
        i: usize,
        pick: impl Fn(&'a Text) -> &'a str,
    ) -> Element<'a, Message> {
        let field = &self.form.fields()[i];
        let pending = self.keyboard.pinyin.as_str();
        let typed = format!("{}{}▏", self.draft, pending);
        let mut top = Column::new()
            .spacing(ctx.sp(Space::S))
            .push(ctx.text(pick(&field.label), Type::Label));
        top = top.push(
            container(ctx.text(typed, Type::Title))
                .padding([ctx.sp(Space::S), ctx.sp(Space::L)])
                .width(Length::Fill)
                .style(containers::card),
        );
        let hint = match field.kind {
            FieldKind::Date => Some(ctx.t("apply-date-hint")),
            FieldKind::Phone => Some(ctx.t("apply-phone-hint")),
            FieldKind::IdNumber => Some(ctx.t("apply-id-hint")),
            FieldKind::Text if field.key.contains("code") || field.key.contains("plate") => {
                Some(ctx.t("apply-scan-hint"))
            }
            _ => None,
        };
        if let Some(hint) = hint {
            top = top.push(ctx.text(hint, Type::Body).color(palette::TEXT_MUTED));
        }
        if let Some(problem) = self.form.problem(i) {
            top = top.push(
                ctx.text(
                    ctx.ta(
                        problem.message_id(),
                        &[("max", Arg::Num(i64::from(field.max_len)))],
                    ),
                    Type::Body,
                )
                .color(palette::DANGER),
            );
        }
        let cancel =
            widget::secondary_button(ctx, ctx.t("apply-cancel-edit"), Some(Message::Cancel));
        column![
            row![container(top).width(Length::Fill), cancel]
                .spacing(ctx.sp(Space::L))
                .align_y(Alignment::Start),
            container(iced::widget::space()).height(Length::Fill),
            keyboard::view(ctx, &self.keyboard, keyboard::modes_for(field.kind)).map(Message::Key),
        ]
        .spacing(ctx.sp(Space::M))
        .into()
    }

    fn review<'a>(
        &'a self,
        ctx: Ctx<'a>,
        pick: impl Fn(&'a Text) -> &'a str,
    ) -> Element<'a, Message> {
        let mut list = Column::new().spacing(ctx.sp(Space::S));
        for (i, field) in self.form.fields().iter().enumerate() {
            let value = self.form.value(i);
            if value.is_empty() {
                continue;
            }
            let shown = match field.kind {
                FieldKind::IdNumber | FieldKind::Phone => masked(field.kind, value),
                FieldKind::Choice => field
                    .choices
                    .iter()
                    .find(|c| c.zh == value)
                    .map(|c| pick(c).to_owned())
                    .unwrap_or_else(|| value.to_owned()),
                _ => value.to_owned(),
            };
            list = list.push(
                row![
                    container(
                        ctx.text(pick(&field.label), Type::Body)
                            .color(palette::TEXT_MUTED)
                    )
                    .width(Length::FillPortion(2)),
                    container(ctx.text(shown, Type::Label)).width(Length::FillPortion(5)),
                ]
                .spacing(ctx.sp(Space::M))
                .align_y(Alignment::Center),
            );
        }
        let status: Element<'a, Message> = match &self.step {
            Step::Submitting => ctx
                .text(ctx.t("apply-submitting"), Type::Label)
                .color(palette::PRIMARY)
                .into(),
            Step::Failed(reason) => ctx
                .text(ctx.t(reason), Type::Label)
                .color(palette::DANGER)
                .into(),
            _ => container(iced::widget::space()).into(),
        };
        let submit_label = match self.step {
            Step::Failed(_) => ctx.t("apply-try-again"),
            _ => ctx.t("apply-submit"),
        };
        let submit = widget::primary_button(
            ctx,
            submit_label,
            matches!(self.step, Step::Review | Step::Failed(_)).then_some(Message::Submit),
        );
        column![
            scrollable(
                container(list)
                    .padding(ctx.sp(Space::L))
                    .width(Length::Fill)
                    .style(containers::card)
            )
            .height(Length::Fill),
            row![container(status).width(Length::Fill), submit]
                .spacing(ctx.sp(Space::L))
                .align_y(Alignment::Center),
        ]
        .spacing(ctx.sp(Space::L))
        .into()
    }
}
