//! Maintenance mode, for branch staff after their PIN: the device board
//! (each device's state, what it needs and how to fix it, test prints and
//! a self-check), supplies (counters, how long they last at this
//! terminal's rate, restocking), the outbox and print journal (force a
//! sync, resolve uncertain jobs) and the service state (out of service
//! with a reason, back in service). Facts from the store arrive in a task
//! (`facts::load`); device states are the live ones the app holds.

use iced::widget::{Column, Row, button, column, container, row, scrollable};
use iced::{Alignment, Element, Length};

use tongban_device::{CoverState, DeviceKind, DeviceState, DeviceStatus, MediaState, TonerState};

use crate::facts::{Facts, SupplyFact};
use crate::i18n::Arg;
use crate::status::TerminalStatus;
use crate::store::{A4_SHEETS, A4_TONER, RECEIPT_MM};
use crate::store::{AuditEntry, JobRecord, JobState, SubmissionKind};
use crate::theme::{Space, Type, buttons, containers, palette};
use crate::widget::{self, Ctx, Layout};

/// The parts of maintenance mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    /// Devices: state, problems, test prints, self-check.
    #[default]
    Devices,
    /// Paper, rolls and toner.
    Supplies,
    /// Outbox and print journal.
    Queue,
    /// In or out of service, and the audit log.
    Service,
}

/// A restocking staff report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restock {
    /// The A4 tray was filled to capacity.
    A4Full,
    /// This many sheets were added to the A4 tray.
    A4Added(u32),
    /// A new receipt roll.
    ReceiptRoll,
    /// A new toner cartridge.
    Toner,
}

impl Restock {
    /// The audit log's action.
    pub fn action(self) -> &'static str {
        match self {
            Restock::A4Full | Restock::A4Added(_) => "restock_a4_paper",
            Restock::ReceiptRoll => "replace_receipt_roll",
            Restock::Toner => "replace_toner",
        }
    }

    /// The supply counter it resets.
    pub fn supply(self) -> &'static str {
        match self {
            Restock::A4Full | Restock::A4Added(_) => A4_SHEETS,
            Restock::ReceiptRoll => RECEIPT_MM,
            Restock::Toner => A4_TONER,
        }
    }
}

/// Reasons staff can give for taking the terminal out of service (message
/// ids; the words go to residents in both languages).
pub const REASONS: [&str; 4] = [
    "oos-reason-maintenance",
    "oos-reason-supplies",
    "oos-reason-network",
    "oos-reason-device",
];

/// What the maintenance screen can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Show a part.
    Tab(Tab),
    /// Staff restocked.
    Restock(Restock),
    /// Print a test page (A4) or a test receipt.
    TestPrint(DeviceKind),
    /// Check every device now.
    SelfCheck,
    /// Take the terminal out of service with one of [`REASONS`].
    OutOfService(usize),
    /// Serve residents again.
    InService,
    /// Send the outbox now.
    Sync,
    /// Staff checked an uncertain job: printed or not.
    Resolve(i64, bool),
    /// Read the facts again.
    Refresh,
    /// Leave maintenance mode.
    Exit,
}

/// What the top level must do (all of it I/O, done in tasks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Record a restock.
    Restock(Restock),
    /// Print a test page or receipt.
    TestPrint(DeviceKind),
    /// Run the self-check.
    SelfCheck,
    /// Out of service with this reason's message id.
    OutOfService(&'static str),
    /// Back in service.
    InService,
    /// Send the outbox now.
    Sync,
    /// Resolve an uncertain job.
    Resolve(i64, bool),
    /// Load the facts again.
    Refresh,
    /// Leave.
    Exit,
}

/// One device's result in a self-check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// Which device.
    pub kind: DeviceKind,
    /// Whether it passed.
    pub passed: bool,
    /// Message id of what was checked or found.
    pub words: &'static str,
}

/// The newest problem a device reported, kept after it clears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Which device.
    pub kind: DeviceKind,
    /// The status it reported.
    pub status: DeviceStatus,
    /// When (HH:MM:SS, local).
    pub at: String,
}

/// Who took the terminal out of service, if anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceState {
    /// Serving residents.
    InService,
    /// Out of service by staff (or config) with this reason.
    ByStaff(String),
    /// Out of service by the platform's command.
    ByPlatform(String),
    /// Out of service by itself: a device it cannot work without failed.
    Automatic(String),
}

impl ServiceState {
    /// The reason residents read on the out-of-service screen (empty in
    /// service).
    pub fn reason(&self) -> &str {
        match self {
            Self::InService => "",
            Self::ByStaff(r) | Self::ByPlatform(r) | Self::Automatic(r) => r,
        }
    }
}

/// The short answer of the last action, shown at the top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done: the sentence's message id and its arguments.
    Done(&'static str, Vec<(&'static str, String)>),
    /// Failed, with the sentence's id and why (no personal data).
    Failed(&'static str, String),
}

/// The maintenance screen's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// The staff member signed in.
    pub staff: String,
    /// The part shown.
    pub tab: Tab,
    /// The store's facts (`None` until the first load).
    pub facts: Option<Facts>,
    /// Why the facts could not be read.
    pub facts_error: Option<String>,
    /// The last self-check.
    pub checks: Option<Vec<Check>>,
    /// The last action's answer.
    pub outcome: Option<Outcome>,
}

/// What the view needs besides the state, held by the app.
#[derive(Debug, Clone)]
pub struct Board<'s> {
    /// Live device states.
    pub status: &'s TerminalStatus,
    /// The last problem of each device.
    pub problems: &'s [Problem],
    /// Whether the terminal serves residents.
    pub service: ServiceState,
    /// Devices configured on this terminal.
    pub configured: [bool; 4],
    /// Sheets in a full A4 tray.
    pub tray_sheets: i64,
    /// A full receipt roll in millimetres.
    pub roll_mm: i64,
    /// Pages a toner cartridge prints.
    pub toner_pages: i64,
    /// Days a refused submission keeps the resident's form
    /// (`store.refused_keep_days`).
    pub refused_keep_days: u64,
}

impl State {
    /// Takes the facts, the self-check and each action's answer.
    pub fn hear(&mut self, news: &super::News<'_>) -> bool {
        use super::News;
        match news {
            News::Facts(Ok(facts)) => {
                self.facts = Some((*facts).clone());
                self.facts_error = None;
            }
            News::Facts(Err(error)) => self.facts_error = Some((*error).to_owned()),
            News::StaffOutcome(outcome) => self.outcome = Some(outcome.clone()),
            News::SelfCheck(checks) => self.checks = Some(checks.clone()),
            _ => return false,
        }
        true
    }

    /// Maintenance mode for `staff`.
    pub fn new(staff: String) -> Self {
        Self {
            staff,
            ..Self::default()
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Tab(tab) => {
                self.tab = tab;
                self.outcome = None;
                Action::Refresh
            }
            Message::Restock(r) => Action::Restock(r),
            Message::TestPrint(kind) => Action::TestPrint(kind),
            Message::SelfCheck => Action::SelfCheck,
            Message::OutOfService(i) => REASONS
                .get(i)
                .map_or(Action::None, |id| Action::OutOfService(id)),
            Message::InService => Action::InService,
            Message::Sync => Action::Sync,
            Message::Resolve(id, printed) => Action::Resolve(id, printed),
            Message::Refresh => Action::Refresh,
            Message::Exit => Action::Exit,
        }
    }

    /// The supply fact named `name`, if the store has it.
    pub fn supply(&self, name: &str) -> Option<&SupplyFact> {
        self.facts
            .as_ref()?
            .supplies
            .iter()
            .find(|s| s.name == name)
    }

    /// The screen.
    pub fn view<'a>(&'a self, ctx: Ctx<'a>, board: Board<'a>) -> Element<'a, Message> {
        let board = &board;
        let tabs = [
            (Tab::Devices, "mt-tab-devices"),
            (Tab::Supplies, "mt-tab-supplies"),
            (Tab::Queue, "mt-tab-queue"),
            (Tab::Service, "mt-tab-service"),
        ];
        let mut bar = Row::new().spacing(ctx.sp(Space::S));
        for (tab, id) in tabs {
            bar = bar.push(
                button(ctx.text(ctx.t(id), Type::Label).center())
                    .padding([0.0, ctx.sp(Space::L)])
                    .height(ctx.m.touch_target())
                    .style(buttons::key(self.tab == tab))
                    .on_press(Message::Tab(tab)),
            );
        }
        let top = row![
            column![
                ctx.text(ctx.t("mt-title"), Type::Heading),
                ctx.text(
                    ctx.ta("mt-signed-in", &[("staff", Arg::Str(&self.staff))]),
                    Type::Body
                )
                .color(palette::TEXT_MUTED),
            ]
            .width(Length::Fill)
            .spacing(ctx.sp(Space::Xs)),
            widget::secondary_button(ctx, ctx.t("mt-refresh"), Some(Message::Refresh)),
            widget::primary_button(ctx, ctx.t("mt-exit"), Some(Message::Exit)),
        ]
        .spacing(ctx.sp(Space::L))
        .align_y(Alignment::Center);

        let mut page = Column::new()
            .push(top)
            .push(bar.wrap().vertical_spacing(ctx.sp(Space::S)));
        if let Some(outcome) = &self.outcome {
            let (words, color) = match outcome {
                Outcome::Done(id, args) => {
                    // A value that is a message id (a supply's name) is
                    // shown in the current language.
                    let words: Vec<(&str, String)> = args
                        .iter()
                        .map(|(k, v)| {
                            (
                                *k,
                                if v.starts_with("mt-") {
                                    ctx.t(v)
                                } else {
                                    v.clone()
                                },
                            )
                        })
                        .collect();
                    let args: Vec<(&str, Arg<'_>)> =
                        words.iter().map(|(k, v)| (*k, Arg::Str(v))).collect();
                    (ctx.ta(id, &args), palette::SUCCESS)
                }
                Outcome::Failed(id, why) => {
                    (ctx.ta(id, &[("why", Arg::Str(why))]), palette::DANGER)
                }
            };
            page = page.push(
                container(ctx.text(words, Type::Label).color(color))
                    .padding([ctx.sp(Space::S), ctx.sp(Space::L)])
                    .width(Length::Fill)
                    .style(containers::notice),
            );
        }
        if let Some(error) = &self.facts_error {
            page = page.push(
                ctx.text(
                    ctx.ta("mt-facts-error", &[("why", Arg::Str(error))]),
                    Type::Body,
                )
                .color(palette::DANGER),
            );
        }
        let content = match self.tab {
            Tab::Devices => self.devices(ctx, board),
            Tab::Supplies => self.supplies(ctx, board),
            Tab::Queue => self.queue(ctx, board),
            Tab::Service => self.service(ctx, board),
        };
        page = page.push(content);
        scrollable(
            container(page.spacing(ctx.sp(Space::L)).max_width(1700))
                .padding(ctx.sp(Space::L))
                .center_x(Length::Fill),
        )
        .height(Length::Fill)
        .into()
    }

    fn devices<'a>(&'a self, ctx: Ctx<'a>, board: &Board<'a>) -> Element<'a, Message> {
        let mut cards: Vec<Element<'a, Message>> = Vec::new();
        for (i, kind) in DeviceKind::ALL.into_iter().enumerate() {
            let status = board
                .status
                .device(kind)
                .copied()
                .unwrap_or(DeviceStatus::absent(kind));
            let (state_id, color) = widget::device_state_words(status.state);
            let mut card = Column::new().push(
                row![
                    ctx.text(ctx.t(widget::device_words(kind)), Type::Title)
                        .width(Length::Fill),
                    widget::badge(ctx, ctx.t(state_id), color),
                ]
                .spacing(ctx.sp(Space::M))
                .align_y(Alignment::Center),
            );
            if !board.configured[i] {
                card = card.push(
                    ctx.text(ctx.t("mt-not-configured"), Type::Body)
                        .color(palette::TEXT_MUTED),
                );
            }
            let details = detail_lines(ctx, &status);
            if !details.is_empty() {
                card = card.push(ctx.text(details.join(" · "), Type::Body));
            }
            if let Some(fix) = fix_for(&status) {
                card = card.push(
                    ctx.text(
                        ctx.ta("mt-fix-now", &[("fix", Arg::Str(&ctx.t(fix)))]),
                        Type::Body,
                    )
                    .color(palette::DANGER),
                );
            }
            if let Some(problem) = board.problems.iter().find(|p| p.kind == kind) {
                let what = fix_for(&problem.status)
                    .map(|_| problem_words(ctx, &problem.status))
                    .unwrap_or_default();
                card = card.push(
                    ctx.text(
                        ctx.ta(
                            "mt-last-problem",
                            &[("at", Arg::Str(&problem.at)), ("what", Arg::Str(&what))],
                        ),
                        Type::Body,
                    )
                    .color(palette::TEXT_MUTED),
                );
            }
            for line in self.supply_lines(ctx, kind, board) {
                card = card.push(ctx.text(line, Type::Body).color(palette::TEXT_MUTED));
            }
            if let Some(check) = self
                .checks
                .as_ref()
                .and_then(|c| c.iter().find(|c| c.kind == kind))
            {
                let (mark, color) = if check.passed {
                    ("mt-check-passed", palette::SUCCESS)
                } else {
                    ("mt-check-failed", palette::DANGER)
                };
                card = card.push(
                    ctx.text(
                        ctx.ta(mark, &[("what", Arg::Str(&ctx.t(check.words)))]),
                        Type::Body,
                    )
                    .color(color),
                );
            }
            if matches!(kind, DeviceKind::A4Printer | DeviceKind::ReceiptPrinter) {
                card = card.push(widget::secondary_button(
                    ctx,
                    ctx.t("mt-test-print"),
                    board.configured[i].then_some(Message::TestPrint(kind)),
                ));
            }
            cards.push(
                container(card.spacing(ctx.sp(Space::S)))
                    .padding(ctx.sp(Space::L))
                    .width(Length::Fill)
                    .style(containers::card)
                    .into(),
            );
        }
        let grid: Element<'a, Message> = if ctx.layout == Layout::Portrait {
            Column::from_vec(cards).spacing(ctx.sp(Space::M)).into()
        } else {
            let mut cards = cards.into_iter();
            let mut rows = Column::new().spacing(ctx.sp(Space::M));
            while let Some(first) = cards.next() {
                let mut line = Row::new().spacing(ctx.sp(Space::M)).push(first);
                if let Some(second) = cards.next() {
                    line = line.push(second);
                }
                rows = rows.push(line);
            }
            rows.into()
        };
        column![
            row![
                ctx.text(ctx.t("mt-devices-hint"), Type::Body)
                    .color(palette::TEXT_MUTED)
                    .width(Length::Fill),
                widget::primary_button(ctx, ctx.t("mt-self-check"), Some(Message::SelfCheck)),
            ]
            .spacing(ctx.sp(Space::L))
            .align_y(Alignment::Center),
            grid
        ]
        .spacing(ctx.sp(Space::M))
        .into()
    }

    /// The counter and estimate lines of a printer's supplies.
    fn supply_lines(&self, ctx: Ctx<'_>, kind: DeviceKind, board: &Board<'_>) -> Vec<String> {
        let names: &[&str] = match kind {
            DeviceKind::A4Printer => &[A4_SHEETS, A4_TONER],
            DeviceKind::ReceiptPrinter => &[RECEIPT_MM],
            _ => &[],
        };
        let mut lines = Vec::new();
        for name in names {
            let Some(fact) = self.supply(name) else {
                lines.push(ctx.ta(
                    "mt-supply-unknown",
                    &[("supply", Arg::Str(&ctx.t(supply_words(name))))],
                ));
                continue;
            };
            // One line each on the board; the supplies tab has the rate.
            let counter = counter_line(ctx, fact, board);
            lines.push(match fact.days_left {
                Some(days) => ctx.ta(
                    "mt-board-supply",
                    &[
                        ("counter", Arg::Str(&counter)),
                        ("days", Arg::Str(&format!("{days:.1}"))),
                    ],
                ),
                None => counter,
            });
        }
        lines
    }

    fn supplies<'a>(&'a self, ctx: Ctx<'a>, board: &Board<'a>) -> Element<'a, Message> {
        let card = |name: &'static str, buttons: Vec<(String, Restock)>| -> Element<'a, Message> {
            let mut col = Column::new().push(ctx.text(ctx.t(supply_words(name)), Type::Title));
            match self.supply(name) {
                Some(fact) => {
                    col = col
                        .push(ctx.text(counter_line(ctx, fact, board), Type::Label))
                        .push(
                            ctx.text(estimate_line(ctx, fact), Type::Body)
                                .color(palette::TEXT_MUTED),
                        )
                        .push(
                            ctx.text(
                                ctx.ta(
                                    "mt-supply-updated",
                                    &[("at", Arg::Str(&short_time(&fact.updated_at)))],
                                ),
                                Type::Caption,
                            )
                            .color(palette::TEXT_MUTED),
                        );
                }
                None => {
                    col = col.push(
                        ctx.text(
                            ctx.ta(
                                "mt-supply-unknown",
                                &[("supply", Arg::Str(&ctx.t(supply_words(name))))],
                            ),
                            Type::Label,
                        )
                        .color(palette::WARNING),
                    );
                }
            }
            let mut actions = Row::new().spacing(ctx.sp(Space::M));
            for (label, restock) in buttons {
                actions = actions.push(widget::primary_button(
                    ctx,
                    label,
                    Some(Message::Restock(restock)),
                ));
            }
            col.push(actions.wrap().vertical_spacing(ctx.sp(Space::S)))
                .spacing(ctx.sp(Space::S))
                .padding(ctx.sp(Space::L))
                .width(Length::Fill)
                .into()
        };
        let a4 = card(
            A4_SHEETS,
            vec![
                (
                    ctx.ta("mt-a4-full", &[("sheets", Arg::Num(board.tray_sheets))]),
                    Restock::A4Full,
                ),
                (
                    ctx.ta("mt-a4-added", &[("sheets", Arg::Num(100))]),
                    Restock::A4Added(100),
                ),
                (
                    ctx.ta("mt-a4-added", &[("sheets", Arg::Num(50))]),
                    Restock::A4Added(50),
                ),
            ],
        );
        let roll = card(
            RECEIPT_MM,
            vec![(ctx.t("mt-roll-replaced"), Restock::ReceiptRoll)],
        );
        let toner = card(A4_TONER, vec![(ctx.t("mt-toner-replaced"), Restock::Toner)]);
        let boxed = |e: Element<'a, Message>| -> Element<'a, Message> {
            container(e)
                .width(Length::Fill)
                .style(containers::card)
                .into()
        };
        // Side by side where there is room: one glance shows all three.
        let cards: Element<'a, Message> = if ctx.layout == Layout::Portrait {
            column![boxed(a4), boxed(toner), boxed(roll)]
                .spacing(ctx.sp(Space::M))
                .into()
        } else {
            row![boxed(a4), boxed(toner), boxed(roll)]
                .spacing(ctx.sp(Space::M))
                .into()
        };
        let mut col = column![
            ctx.text(ctx.t("mt-supplies-hint"), Type::Body)
                .color(palette::TEXT_MUTED),
            cards,
        ]
        .spacing(ctx.sp(Space::M));
        let restocks: Vec<&AuditEntry> = self
            .facts
            .iter()
            .flat_map(|f| f.audit.iter())
            .filter(|e| e.action.starts_with("restock") || e.action.starts_with("replace"))
            .collect();
        if !restocks.is_empty() {
            col = col.push(audit_list(ctx, "mt-recent-restocks", restocks));
        }
        col.into()
    }

    fn queue<'a>(&'a self, ctx: Ctx<'a>, board: &Board<'a>) -> Element<'a, Message> {
        let Some(facts) = &self.facts else {
            return ctx.text(ctx.t("mt-loading"), Type::Body).into();
        };
        let age = facts
            .outbox_oldest_secs
            .map(|s| duration_words(ctx, s))
            .unwrap_or_else(|| ctx.t("mt-none"));
        let outbox = column![
            ctx.text(ctx.t("mt-outbox"), Type::Title),
            ctx.text(
                ctx.ta(
                    "mt-outbox-counts",
                    &[
                        (
                            "waiting",
                            Arg::Num(i64::try_from(facts.outbox_depth).unwrap_or(i64::MAX))
                        ),
                        (
                            "rejected",
                            Arg::Num(i64::try_from(facts.outbox_rejected).unwrap_or(i64::MAX))
                        ),
                        ("age", Arg::Str(&age)),
                    ],
                ),
                Type::Label,
            ),
            row![
                ctx.text(ctx.t("mt-sync-hint"), Type::Body)
                    .color(palette::TEXT_MUTED)
                    .width(Length::Fill),
                widget::primary_button(ctx, ctx.t("mt-sync"), Some(Message::Sync)),
            ]
            .spacing(ctx.sp(Space::L))
            .align_y(Alignment::Center),
        ]
        .spacing(ctx.sp(Space::S));
        let mut outbox = outbox;
        if !facts.refused.is_empty() {
            outbox = outbox.push(
                ctx.text(
                    ctx.ta(
                        "mt-refused-hint",
                        &[(
                            "days",
                            Arg::Num(i64::try_from(board.refused_keep_days).unwrap_or(i64::MAX)),
                        )],
                    ),
                    Type::Body,
                )
                .color(palette::WARNING),
            );
            for refused in &facts.refused {
                outbox = outbox.push(
                    ctx.text(refused_words(ctx, refused), Type::Body)
                        .color(palette::TEXT_MUTED),
                );
            }
        }
        let j = &facts.journal;
        let num = |n: u64| Arg::Num(i64::try_from(n).unwrap_or(i64::MAX));
        let mut journal = column![
            ctx.text(ctx.t("mt-journal"), Type::Title),
            ctx.text(
                ctx.ta(
                    "mt-journal-counts",
                    &[
                        ("printed", num(j.printed)),
                        ("failed", num(j.failed)),
                        ("uncertain", num(j.uncertain)),
                        ("open", num(j.journalled + j.sending)),
                    ],
                ),
                Type::Label,
            ),
        ]
        .spacing(ctx.sp(Space::S));
        if facts.uncertain.is_empty() {
            journal = journal.push(
                ctx.text(ctx.t("mt-no-uncertain"), Type::Body)
                    .color(palette::TEXT_MUTED),
            );
        } else {
            journal = journal.push(
                ctx.text(ctx.t("mt-uncertain-hint"), Type::Body)
                    .color(palette::WARNING),
            );
            for job in &facts.uncertain {
                journal = journal.push(
                    row![
                        ctx.text(job_words(ctx, job), Type::Body)
                            .width(Length::Fill),
                        widget::secondary_button(
                            ctx,
                            ctx.t("mt-resolve-printed"),
                            Some(Message::Resolve(job.id, true))
                        ),
                        widget::secondary_button(
                            ctx,
                            ctx.t("mt-resolve-not-printed"),
                            Some(Message::Resolve(job.id, false))
                        ),
                    ]
                    .spacing(ctx.sp(Space::M))
                    .align_y(Alignment::Center),
                );
            }
        }
        if !facts.recent_jobs.is_empty() {
            journal = journal.push(
                ctx.text(ctx.t("mt-recent-jobs"), Type::Label)
                    .color(palette::TEXT_MUTED),
            );
            for job in &facts.recent_jobs {
                journal = journal.push(
                    ctx.text(job_words(ctx, job), Type::Body)
                        .color(palette::TEXT_MUTED),
                );
            }
        }
        let boxed = |e: Column<'a, Message>| -> Element<'a, Message> {
            container(e.padding(ctx.sp(Space::L)))
                .width(Length::Fill)
                .style(containers::card)
                .into()
        };
        column![boxed(outbox), boxed(journal)]
            .spacing(ctx.sp(Space::M))
            .into()
    }

    fn service<'a>(&'a self, ctx: Ctx<'a>, board: &Board<'a>) -> Element<'a, Message> {
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
fn audit_list<'a>(ctx: Ctx<'a>, title: &str, entries: Vec<&AuditEntry>) -> Element<'a, Message> {
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

/// "2026-12-03T14:03:12.123+08:00" as "12-03 14:03".
pub fn short_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t.format("%m-%d %H:%M").to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}

fn duration_words(ctx: Ctx<'_>, secs: u64) -> String {
    let n = |v: u64| Arg::Num(i64::try_from(v).unwrap_or(i64::MAX));
    if secs < 120 {
        ctx.ta("mt-age-seconds", &[("n", n(secs))])
    } else if secs < 2 * 3600 {
        ctx.ta("mt-age-minutes", &[("n", n(secs / 60))])
    } else if secs < 2 * 86_400 {
        ctx.ta("mt-age-hours", &[("n", n(secs / 3600))])
    } else {
        ctx.ta("mt-age-days", &[("n", n(secs / 86_400))])
    }
}

/// One refused submission for staff: what it was for, when it was taken,
/// the platform's reason, and whether the resident's form is still kept.
fn refused_words(ctx: Ctx<'_>, refused: &crate::store::Refused) -> String {
    let kept = if refused.body_kept {
        ctx.t("mt-refused-form-kept")
    } else {
        ctx.t("mt-refused-form-dropped")
    };
    ctx.ta(
        "mt-refused-line",
        &[
            (
                "kind",
                Arg::Str(&ctx.t(match refused.kind {
                    SubmissionKind::Application => "mt-submission-application",
                    SubmissionKind::Rating => "mt-submission-rating",
                    SubmissionKind::PrintResult => "mt-submission-print-result",
                })),
            ),
            ("item", Arg::Str(&refused.summary)),
            ("at", Arg::Str(&short_time(&refused.created_at))),
            ("reason", Arg::Str(&refused.reason)),
            ("kept", Arg::Str(&kept)),
        ],
    )
}

fn job_words(ctx: Ctx<'_>, job: &JobRecord) -> String {
    let printer = if job.printer == "a4" {
        ctx.t("device-a4-printer")
    } else {
        ctx.t("device-receipt-printer")
    };
    ctx.ta(
        "mt-job-line",
        &[
            ("id", Arg::Num(job.id)),
            ("printer", Arg::Str(&printer)),
            ("kind", Arg::Str(&known(ctx, "mt-kind-", &job.kind))),
            ("printed", Arg::Num(i64::from(job.printed))),
            ("pages", Arg::Num(i64::from(job.pages))),
            (
                "state",
                Arg::Str(&ctx.t(match job.state {
                    JobState::Journalled => "mt-job-journalled",
                    JobState::Sending => "mt-job-sending",
                    JobState::Printed => "mt-job-printed",
                    JobState::Failed => "mt-job-failed",
                    JobState::Uncertain => "mt-job-uncertain",
                })),
            ),
            ("reason", Arg::Str(&known(ctx, "mt-reason-", &job.reason))),
            ("at", Arg::Str(&short_time(&job.updated_at))),
        ],
    )
}

/// The journal's word in the current language where the texts have it
/// (`prefix` + the word with spaces and punctuation as dashes), else as
/// it is.
fn known(ctx: Ctx<'_>, prefix: &str, word: &str) -> String {
    if word.is_empty() {
        return String::new();
    }
    let slug: String = word
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let id = format!("{prefix}{slug}");
    if ctx.i18n.has(&id) {
        ctx.t(&id)
    } else {
        word.to_owned()
    }
}

/// Message id naming a supply counter.
pub fn supply_words(name: &str) -> &'static str {
    match name {
        A4_SHEETS => "mt-supply-a4",
        A4_TONER => "mt-supply-toner",
        _ => "mt-supply-roll",
    }
}

fn counter_line(ctx: Ctx<'_>, fact: &SupplyFact, board: &Board<'_>) -> String {
    match fact.name.as_str() {
        A4_SHEETS => ctx.ta(
            "mt-a4-left",
            &[
                ("sheets", Arg::Num(fact.remaining)),
                ("capacity", Arg::Num(board.tray_sheets)),
            ],
        ),
        A4_TONER => ctx.ta(
            "mt-toner-left",
            &[
                ("pages", Arg::Num(fact.remaining)),
                ("capacity", Arg::Num(board.toner_pages)),
            ],
        ),
        _ => ctx.ta(
            "mt-roll-left",
            &[
                ("metres", Arg::Num(fact.remaining / 1000)),
                ("capacity", Arg::Num(board.roll_mm / 1000)),
            ],
        ),
    }
}

fn estimate_line(ctx: Ctx<'_>, fact: &SupplyFact) -> String {
    match (fact.per_day, fact.days_left) {
        (Some(rate), Some(days)) => {
            let rate = if fact.name == RECEIPT_MM {
                format!("{:.1}", rate / 1000.0)
            } else {
                format!("{rate:.0}")
            };
            let id = match fact.name.as_str() {
                A4_SHEETS => "mt-estimate-a4",
                A4_TONER => "mt-estimate-toner",
                _ => "mt-estimate-roll",
            };
            ctx.ta(
                id,
                &[
                    ("rate", Arg::Str(&rate)),
                    ("days", Arg::Str(&format!("{days:.1}"))),
                ],
            )
        }
        _ => ctx.t("mt-estimate-none"),
    }
}

/// The sensor readings of a device, in words.
fn detail_lines(ctx: Ctx<'_>, status: &DeviceStatus) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(media) = status.media {
        let id = match media {
            MediaState::Full => "mt-media-full",
            MediaState::Low => "mt-media-low",
            MediaState::Out => "mt-media-out",
            MediaState::Jammed => "mt-media-jammed",
            MediaState::Unknown => "mt-media-unknown",
        };
        lines.push(ctx.t(id));
    }
    if let Some(toner) = status.toner {
        let id = match toner {
            TonerState::Full => "mt-toner-full",
            TonerState::Low => "mt-toner-low",
            TonerState::Out => "mt-toner-out",
            TonerState::Unknown => "mt-toner-unknown",
        };
        lines.push(ctx.t(id));
    }
    if let Some(cover) = status.cover {
        let id = match cover {
            CoverState::Closed => "mt-cover-closed",
            CoverState::Open => "mt-cover-open",
            CoverState::Unknown => "mt-cover-unknown",
        };
        lines.push(ctx.t(id));
    }
    lines
}

/// What the problem was, in words (the fix's headline).
fn problem_words(ctx: Ctx<'_>, status: &DeviceStatus) -> String {
    match crate::widget::device_detail(status) {
        Some(id) => ctx.t(id),
        None => ctx.t(widget::device_state_words(status.state).0),
    }
}

/// Whether a status is a problem staff should know of.
pub fn is_problem(status: &DeviceStatus) -> bool {
    fix_for(status).is_some()
}

/// How staff fix what a device reports, if anything needs fixing (message
/// id): what stops it first, then what will stop it soon.
pub fn fix_for(status: &DeviceStatus) -> Option<&'static str> {
    let printer = matches!(
        status.kind,
        DeviceKind::A4Printer | DeviceKind::ReceiptPrinter
    );
    match status.state {
        DeviceState::NoDevice => return None,
        DeviceState::Offline => return Some("mt-fix-offline"),
        DeviceState::HardwareError if status.kind == DeviceKind::IdCardReader => {
            return Some("mt-fix-reader");
        }
        DeviceState::HardwareError if !printer => return Some("mt-fix-hardware"),
        _ => {}
    }
    let roll = status.kind == DeviceKind::ReceiptPrinter;
    match (status.media, status.cover, status.toner) {
        (Some(MediaState::Out), _, _) if roll => Some("mt-fix-roll-out"),
        (Some(MediaState::Out), _, _) => Some("mt-fix-paper-out"),
        (Some(MediaState::Jammed), _, _) => Some("mt-fix-jammed"),
        (_, Some(CoverState::Open), _) => Some("mt-fix-cover-open"),
        (_, _, Some(TonerState::Out)) => Some("mt-fix-toner-out"),
        _ if status.state == DeviceState::HardwareError => Some("mt-fix-hardware"),
        _ if status.state == DeviceState::UserError => Some("mt-fix-user-error"),
        (_, _, Some(TonerState::Low)) => Some("mt-fix-toner-low"),
        (Some(MediaState::Low), _, _) if roll => Some("mt-fix-roll-low"),
        (Some(MediaState::Low), _, _) => Some("mt-fix-paper-low"),
        _ => None,
    }
}

/// A self-check from the devices' latest reports: the reader answers with
/// its SAM working (its thread checks the SAM on every open), the scanner
/// is open, the printers report ready. Devices not configured are left
/// out.
pub fn self_check(status: &TerminalStatus, configured: [bool; 4]) -> Vec<Check> {
    DeviceKind::ALL
        .into_iter()
        .zip(configured)
        .filter(|(_, on)| *on)
        .map(|(kind, _)| {
            let s = status
                .device(kind)
                .copied()
                .unwrap_or(DeviceStatus::absent(kind));
            let (passed, words) = match kind {
                DeviceKind::IdCardReader => match s.state {
                    DeviceState::Online | DeviceState::Busy => (true, "mt-check-sam"),
                    DeviceState::HardwareError => (false, "mt-check-sam-failed"),
                    _ => (false, "mt-check-no-answer"),
                },
                DeviceKind::QrScanner => match s.state {
                    DeviceState::Online | DeviceState::Busy => (true, "mt-check-scanner"),
                    _ => (false, "mt-check-no-answer"),
                },
                DeviceKind::A4Printer | DeviceKind::ReceiptPrinter => {
                    match crate::print::service::readiness(&s) {
                        Ok(()) => (true, "mt-check-ready"),
                        Err(cause) => (false, cause_words(cause)),
                    }
                }
            };
            Check {
                kind,
                passed,
                words,
            }
        })
        .collect()
}

fn cause_words(cause: crate::print::service::Cause) -> &'static str {
    use crate::print::service::Cause;
    match cause {
        Cause::PaperOut => "device-detail-paper-out",
        Cause::Jammed => "device-detail-jammed",
        Cause::CoverOpen => "device-detail-cover-open",
        Cause::TonerOut => "device-detail-toner-out",
        Cause::Offline | Cause::NoPrinter => "mt-check-no-answer",
        _ => "device-state-hardware-error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(kind: DeviceKind, state: DeviceState) -> DeviceStatus {
        DeviceStatus {
            state,
            ..DeviceStatus::absent(kind)
        }
    }

    #[test]
    fn each_problem_has_its_fix_and_a_working_device_none() {
        let a4 = |media, cover, toner| DeviceStatus {
            kind: DeviceKind::A4Printer,
            state: DeviceState::UserError,
            media: Some(media),
            toner: Some(toner),
            cover: Some(cover),
        };
        assert_eq!(
            fix_for(&a4(MediaState::Out, CoverState::Closed, TonerState::Full)),
            Some("mt-fix-paper-out")
        );
        assert_eq!(
            fix_for(&a4(MediaState::Full, CoverState::Open, TonerState::Full)),
            Some("mt-fix-cover-open")
        );
        let mut low = a4(MediaState::Low, CoverState::Closed, TonerState::Full);
        low.state = DeviceState::Online;
        assert_eq!(fix_for(&low), Some("mt-fix-paper-low"));
        low.media = Some(MediaState::Full);
        assert_eq!(fix_for(&low), None);
        let mut roll = a4(MediaState::Out, CoverState::Closed, TonerState::Full);
        roll.kind = DeviceKind::ReceiptPrinter;
        roll.toner = None;
        assert_eq!(fix_for(&roll), Some("mt-fix-roll-out"));
        assert_eq!(
            fix_for(&status(DeviceKind::IdCardReader, DeviceState::Offline)),
            Some("mt-fix-offline")
        );
        assert_eq!(
            fix_for(&status(
                DeviceKind::IdCardReader,
                DeviceState::HardwareError
            )),
            Some("mt-fix-reader")
        );
        assert_eq!(
            fix_for(&status(DeviceKind::QrScanner, DeviceState::NoDevice)),
            None
        );
    }

    #[test]
    fn the_self_check_covers_only_configured_devices_and_names_what_failed() {
        let mut terminal = TerminalStatus::unconfigured();
        terminal.set_state(DeviceKind::IdCardReader, DeviceState::Online);
        terminal.set_state(DeviceKind::QrScanner, DeviceState::Offline);
        terminal.set(DeviceStatus {
            kind: DeviceKind::A4Printer,
            state: DeviceState::UserError,
            media: Some(MediaState::Out),
            toner: Some(TonerState::Full),
            cover: Some(CoverState::Closed),
        });
        let checks = self_check(&terminal, [true, true, false, true]);
        assert_eq!(checks.len(), 3);
        assert_eq!(
            checks
                .iter()
                .map(|c| (c.kind, c.passed, c.words))
                .collect::<Vec<_>>(),
            vec![
                (DeviceKind::IdCardReader, true, "mt-check-sam"),
                (DeviceKind::QrScanner, false, "mt-check-no-answer"),
                (DeviceKind::A4Printer, false, "device-detail-paper-out"),
            ]
        );
    }
}
