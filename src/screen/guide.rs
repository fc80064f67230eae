//! An item's guide (办事指南): who may apply, the materials — each marked
//! 免提交 where the resident's electronic licence (or the ID card just
//! read) stands in for it — fees, time limit and where it is handled.
//! 快办 items go straight to the form; the others go through 好办, a few
//! yes/no questions that say whether the item fits and which materials
//! the resident must still bring. The guide can be printed on the receipt
//! printer. A "一件事" bundle shows the items one form will apply for.
//! While the terminal takes no new applications (its disk nearly full),
//! the guide and 好办 stay, and where the form would start the resident
//! reads why not and where to go instead.

use iced::widget::{Column, Row, column, container, row, scrollable};
use iced::{Alignment, Element, Length};
use tongban_platform_api::catalogue::{Catalogue, Material, Text};

use crate::i18n::Arg;
use crate::search::Target;
use crate::theme::{Space, Type, containers, palette};
use crate::widget::{self, Ctx, Layout};

/// The licence type of the resident ID card itself.
pub const ID_CARD_LICENCE: &str = "jmsfz";

/// What the screen can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Start the form (快办, or after 好办).
    Apply,
    /// Start the 好办 questions.
    Guided,
    /// The answer to the current question.
    Answer(bool),
    /// Print the guide on the receipt printer.
    Print,
    /// Back (to the list, or out of the questions).
    Back,
}

/// What the top level must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Open the form of this item or bundle.
    Apply(Target),
    /// Print this item's guide.
    Print(Target),
    /// Back to the catalogue.
    Back,
}

/// Where the resident is on this screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Reading the guide.
    Guide,
    /// 好办: answering question `n`.
    Question(usize),
    /// 好办: the answers say the item does not fit (condition `n` not met).
    NotEligible(usize),
    /// 好办: it fits; these materials (indices) must still be brought.
    Fits(Vec<usize>),
}

/// A 好办 question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Does condition `n` apply to you?
    Condition(usize),
    /// Do you have material `n` with you (on paper)?
    Material(usize),
}

/// The screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The item or bundle.
    pub target: Target,
    /// Licence types the resident holds electronically.
    pub held: Vec<String>,
    /// Where the resident is.
    pub step: Step,
    /// Materials answered "no" so far.
    missing: Vec<usize>,
    /// Whether the guide's print was sent (and how it went, by the top level).
    pub printed: Option<Result<(), String>>,
    /// No new applications now (the disk is nearly full): the form does
    /// not open; the screen says so instead. Kept up to date by the top
    /// level.
    pub paused: bool,
}

/// The materials of a target (a bundle's: every item's, once each).
pub fn materials(catalogue: &Catalogue, target: Target) -> Vec<&Material> {
    match target {
        Target::Item(i) => catalogue.items[i].guide.materials.iter().collect(),
        Target::Bundle(b) => {
            let mut seen = std::collections::HashSet::new();
            catalogue.bundles[b]
                .items
                .iter()
                .filter_map(|id| catalogue.items.iter().find(|it| &it.id == id))
                .flat_map(|it| it.guide.materials.iter())
                .filter(|m| seen.insert(m.id.clone()))
                .collect()
        }
    }
}

/// The conditions of a target.
pub fn conditions(catalogue: &Catalogue, target: Target) -> Vec<&Text> {
    match target {
        Target::Item(i) => catalogue.items[i].guide.conditions.iter().collect(),
        Target::Bundle(b) => catalogue.bundles[b]
            .items
            .first()
            .and_then(|id| catalogue.items.iter().find(|it| &it.id == id))
            .map(|it| it.guide.conditions.iter().collect())
            .unwrap_or_default(),
    }
}

/// Whether the resident's electronic licences stand in for a material.
pub fn covered(material: &Material, held: &[String]) -> bool {
    material.satisfied_by.iter().any(|l| held.contains(l))
}

impl State {
    /// Takes what changed elsewhere: the licences the resident holds,
    /// the disk, how the guide's print went.
    pub fn hear(&mut self, news: &super::News<'_>) -> bool {
        use super::News;
        match news {
            News::Held(held) => self.held = held.to_vec(),
            News::ApplicationsPaused(paused) => self.paused = *paused,
            News::GuidePrinted(outcome) => self.printed = Some(outcome.clone()),
            _ => return false,
        }
        true
    }

    /// The guide of `target` for a resident holding `held` licence types.
    pub fn new(target: Target, held: Vec<String>) -> Self {
        Self {
            target,
            held,
            step: Step::Guide,
            missing: Vec::new(),
            printed: None,
            paused: false,
        }
    }

    /// Whether the target is 快办 (a bundle is filled in one go, too).
    pub fn kuaiban(&self, catalogue: &Catalogue) -> bool {
        match self.target {
            Target::Item(i) => catalogue.items[i].kuaiban,
            Target::Bundle(_) => true,
        }
    }

    /// The 好办 questions: the conditions, then each material no licence
    /// stands in for.
    pub fn questions(&self, catalogue: &Catalogue) -> Vec<Question> {
        let conditions = conditions(catalogue, self.target).len();
        (0..conditions)
            .map(Question::Condition)
            .chain(
                materials(catalogue, self.target)
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| !covered(m, &self.held))
                    .map(|(i, _)| Question::Material(i)),
            )
            .collect()
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, catalogue: &Catalogue) -> Action {
        match message {
            Message::Apply if self.paused => {}
            Message::Apply => return Action::Apply(self.target),
            Message::Print => return Action::Print(self.target),
            Message::Guided => {
                self.missing.clear();
                self.step = Step::Question(0);
            }
            Message::Answer(yes) => {
                let Step::Question(n) = self.step else {
                    return Action::None;
                };
                let questions = self.questions(catalogue);
                match questions.get(n) {
                    Some(Question::Condition(c)) if !yes => self.step = Step::NotEligible(*c),
                    Some(Question::Material(m)) if !yes => self.missing.push(*m),
                    _ => {}
                }
                if self.step == Step::Question(n) {
                    self.step = if n + 1 < questions.len() {
                        Step::Question(n + 1)
                    } else {
                        Step::Fits(self.missing.clone())
                    };
                }
            }
            Message::Back => match self.step {
                Step::Guide => return Action::Back,
                _ => self.step = Step::Guide,
            },
        }
        Action::None
    }

    /// The screen.
    pub fn view<'a>(&'a self, ctx: Ctx<'a>, catalogue: &'a Catalogue) -> Element<'a, Message> {
        let pick = move |t: &'a Text| ctx.pick_text(t);
        let (name, department) = match self.target {
            Target::Item(i) => (
                pick(&catalogue.items[i].name),
                Some(pick(&catalogue.items[i].department)),
            ),
            Target::Bundle(b) => (pick(&catalogue.bundles[b].name), None),
        };
        let title = widget::title_bar(
            ctx,
            name.to_owned(),
            department.map(str::to_owned),
            Some((ctx.t("back"), Message::Back)),
        );
        let body: Element<'a, Message> = match &self.step {
            Step::Guide => self.guide(ctx, catalogue, pick),
            Step::Question(n) => self.question(ctx, catalogue, *n, pick),
            Step::NotEligible(c) => {
                let condition = conditions(catalogue, self.target)
                    .get(*c)
                    .map(|t| pick(t).to_owned())
                    .unwrap_or_default();
                column![
                    ctx.text(ctx.t("guided-not-eligible"), Type::Title),
                    ctx.text(condition, Type::Label),
                    ctx.text(ctx.t("guided-not-eligible-next"), Type::Body)
                        .color(palette::TEXT_MUTED),
                    widget::primary_button(ctx, ctx.t("guided-back-to-guide"), Some(Message::Back)),
                ]
                .spacing(ctx.sp(Space::L))
                .into()
            }
            Step::Fits(missing) => {
                let all = materials(catalogue, self.target);
                let mut col = Column::new()
                    .push(ctx.text(ctx.t("guided-fits"), Type::Title))
                    .spacing(ctx.sp(Space::M));
                if missing.is_empty() {
                    col = col.push(ctx.text(ctx.t("guided-nothing-missing"), Type::Label));
                } else {
                    col = col.push(ctx.text(ctx.t("guided-bring"), Type::Label));
                    for m in missing {
                        if let Some(material) = all.get(*m) {
                            col = col
                                .push(ctx.text(format!("• {}", pick(&material.name)), Type::Label));
                        }
                    }
                    let place = match self.target {
                        Target::Item(i) => pick(&catalogue.items[i].guide.place).to_owned(),
                        Target::Bundle(_) => String::new(),
                    };
                    col = col.push(
                        ctx.text(
                            ctx.ta("guided-bring-where", &[("place", Arg::Str(&place))]),
                            Type::Body,
                        )
                        .color(palette::TEXT_MUTED),
                    );
                }
                col = col.push(
                    row![
                        widget::secondary_button(
                            ctx,
                            ctx.t("guided-back-to-guide"),
                            Some(Message::Back)
                        ),
                        widget::primary_button(
                            ctx,
                            ctx.t("guide-apply"),
                            (!self.paused).then_some(Message::Apply)
                        ),
                    ]
                    .spacing(ctx.sp(Space::L)),
                );
                if self.paused {
                    col = col.push(paused_notice(ctx));
                }
                col.into()
            }
        };
        widget::body(
            ctx,
            column![title, body]
                .spacing(ctx.sp(Space::L))
                .height(Length::Fill),
        )
    }

    fn question<'a>(
        &self,
        ctx: Ctx<'a>,
        catalogue: &'a Catalogue,
        n: usize,
        pick: impl Fn(&'a Text) -> &'a str,
    ) -> Element<'a, Message> {
        let questions = self.questions(catalogue);
        let (prompt, subject) = match questions.get(n) {
            Some(Question::Condition(c)) => (
                ctx.t("guided-condition"),
                conditions(catalogue, self.target)
                    .get(*c)
                    .map(|t| pick(t).to_owned())
                    .unwrap_or_default(),
            ),
            Some(Question::Material(m)) => (
                ctx.t("guided-material"),
                materials(catalogue, self.target)
                    .get(*m)
                    .map(|t| pick(&t.name).to_owned())
                    .unwrap_or_default(),
            ),
            None => (String::new(), String::new()),
        };
        let answer = |label: String, yes: bool| {
            widget::primary_button(ctx, label, Some(Message::Answer(yes)))
                .width(Length::Fill)
                .height(ctx.m.large_target())
        };
        column![
            ctx.text(
                ctx.ta(
                    "guided-step",
                    &[
                        ("step", Arg::Num(n as i64 + 1)),
                        ("steps", Arg::Num(questions.len() as i64))
                    ]
                ),
                Type::Body
            )
            .color(palette::TEXT_MUTED),
            ctx.text(prompt, Type::Label),
            container(ctx.text(subject, Type::Heading))
                .padding(ctx.sp(Space::L))
                .width(Length::Fill)
                .style(containers::card),
            row![
                answer(ctx.t("guided-no"), false),
                answer(ctx.t("guided-yes"), true)
            ]
            .spacing(ctx.sp(Space::L)),
        ]
        .spacing(ctx.sp(Space::L))
        .max_width(1100)
        .into()
    }

    fn guide<'a>(
        &'a self,
        ctx: Ctx<'a>,
        catalogue: &'a Catalogue,
        pick: impl Fn(&'a Text) -> &'a str + Copy,
    ) -> Element<'a, Message> {
        let section = |title: String| ctx.text(title, Type::Title).color(palette::PRIMARY);
        // Conditions, fee, time limit, place.
        let mut facts = Column::new().spacing(ctx.sp(Space::S));
        facts = facts.push(section(ctx.t("guide-conditions")));
        for c in conditions(catalogue, self.target) {
            facts = facts.push(ctx.text(format!("• {}", pick(c)), Type::Body));
        }
        match self.target {
            Target::Item(i) => {
                let g = &catalogue.items[i].guide;
                facts = facts
                    .push(section(ctx.t("guide-fee")))
                    .push(ctx.text(pick(&g.fee), Type::Body))
                    .push(section(ctx.t("guide-time-limit")))
                    .push(ctx.text(
                        ctx.ta(
                            "guide-days",
                            &[("days", Arg::Num(i64::from(g.time_limit_days)))],
                        ),
                        Type::Body,
                    ))
                    .push(section(ctx.t("guide-place")))
                    .push(ctx.text(pick(&g.place), Type::Body));
            }
            Target::Bundle(b) => {
                facts = facts.push(section(ctx.t("guide-bundle-items")));
                for id in &catalogue.bundles[b].items {
                    if let Some(item) = catalogue.items.iter().find(|it| &it.id == id) {
                        facts = facts.push(ctx.text(format!("• {}", pick(&item.name)), Type::Body));
                    }
                }
            }
        }
        // Materials, each marked where a licence stands in for it.
        let mut mats = Column::new()
            .spacing(ctx.sp(Space::S))
            .push(section(ctx.t("guide-materials")));
        for m in materials(catalogue, self.target) {
            let mut line = Row::new()
                .spacing(ctx.sp(Space::S))
                .align_y(Alignment::Center)
                .push(container(ctx.text(pick(&m.name), Type::Body)).width(Length::Fill));
            if covered(m, &self.held) {
                line = line.push(widget::badge(
                    ctx,
                    ctx.t("guide-no-paper"),
                    palette::SUCCESS,
                ));
            } else {
                line = line.push(widget::badge(ctx, ctx.t("guide-bring"), palette::WARNING));
            }
            mats = mats.push(line);
        }
        mats = mats.push(
            ctx.text(ctx.t("guide-no-paper-hint"), Type::Caption)
                .color(palette::TEXT_MUTED),
        );
        let card = |c: Column<'a, Message>| {
            container(c)
                .padding(ctx.sp(Space::L))
                .width(Length::Fill)
                .style(containers::card)
        };
        let columns: Element<'a, Message> = if ctx.layout == Layout::Wide {
            row![card(facts), card(mats)]
                .spacing(ctx.sp(Space::L))
                .into()
        } else {
            column![card(mats), card(facts)]
                .spacing(ctx.sp(Space::L))
                .into()
        };
        let kuaiban = self.kuaiban(catalogue);
        let mut actions = Row::new()
            .spacing(ctx.sp(Space::L))
            .align_y(Alignment::Center)
            .push(widget::secondary_button(
                ctx,
                ctx.t("guide-print"),
                Some(Message::Print),
            ));
        if let Some(outcome) = &self.printed {
            let words = match outcome {
                Ok(()) => ctx.t("guide-printed"),
                Err(reason) => reason.clone(),
            };
            actions = actions.push(ctx.text(words, Type::Body).color(palette::TEXT_MUTED));
        }
        actions = actions.push(container(iced::widget::space()).width(Length::Fill));
        if kuaiban {
            actions = actions.push(widget::primary_button(
                ctx,
                ctx.t("guide-kuaiban"),
                (!self.paused).then_some(Message::Apply),
            ));
        } else {
            actions = actions.push(widget::primary_button(
                ctx,
                ctx.t("guide-guided"),
                Some(Message::Guided),
            ));
        }
        let mut screen = column![scrollable(columns).height(Length::Fill)];
        if self.paused {
            screen = screen.push(paused_notice(ctx));
        }
        screen.push(actions).spacing(ctx.sp(Space::L)).into()
    }
}

/// Why the form does not open now, and where to go instead.
fn paused_notice<'a>(ctx: Ctx<'a>) -> Element<'a, Message> {
    container(
        ctx.text(ctx.t("guide-disk-low"), Type::Label)
            .color(palette::TEXT),
    )
    .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
    .width(Length::Fill)
    .style(containers::notice)
    .into()
}
