//! Maintenance mode, for branch staff after their PIN: the device board
//! (each device's state, what it needs and how to fix it, test prints and
//! a self-check), supplies (counters, how long they last at this
//! terminal's rate, restocking), the outbox and print journal (force a
//! sync, resolve uncertain jobs) and the service state (out of service
//! with a reason, back in service). Facts from the store arrive in a task
//! (`facts::load`); device states are the live ones the app holds.
//!
//! Each tab's view is a child module (`devices`, `supplies`, `queue`,
//! `service`); `checks` says what needs fixing and runs the self-check.

mod checks;
mod devices;
mod queue;
mod service;
mod supplies;
#[cfg(test)]
mod tests;

use iced::widget::{Column, Row, button, column, container, row, scrollable};
use iced::{Alignment, Element, Length};

use tongban_device::{DeviceKind, DeviceStatus};

use crate::facts::{Facts, SupplyFact};
use crate::i18n::Arg;
use crate::status::TerminalStatus;
use crate::store::{A4_SHEETS, A4_TONER, RECEIPT_MM};
use crate::theme::{Space, Type, buttons, containers, palette};
use crate::widget::{self, Ctx};

pub use checks::{fix_for, is_problem, self_check};
pub use supplies::supply_words;

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

    /// The screen: the title bar, the tabs, the last action's answer, and
    /// the part shown.
    pub fn view<'a>(&'a self, ctx: Ctx<'a>, board: Board<'a>) -> Element<'a, Message> {
        let board = &board;
        let bar = self.tab_bar(ctx);
        let top = self.title_bar(ctx);
        let mut page = Column::new().push(top).push(bar);
        if let Some(outcome) = &self.outcome {
            page = page.push(outcome_notice(ctx, outcome));
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

    /// One key per part of maintenance mode, the part shown lit.
    fn tab_bar<'a>(&self, ctx: Ctx<'a>) -> Element<'a, Message> {
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
        bar.wrap().vertical_spacing(ctx.sp(Space::S)).into()
    }

    /// The title, who is signed in, and the refresh and exit buttons.
    fn title_bar<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        row![
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
        .align_y(Alignment::Center)
        .into()
    }
}

/// The last action's answer in its band: green when done, red when it
/// failed.
/// A tab's muted hint with its one action beside it (self-check, sync).
fn hint_with_action<'a>(
    ctx: Ctx<'a>,
    hint: &str,
    action: &str,
    message: Message,
) -> Element<'a, Message> {
    row![
        ctx.text(ctx.t(hint), Type::Body)
            .color(palette::TEXT_MUTED)
            .width(Length::Fill),
        widget::primary_button(ctx, ctx.t(action), Some(message)),
    ]
    .spacing(ctx.sp(Space::L))
    .align_y(Alignment::Center)
    .into()
}

fn outcome_notice<'a>(ctx: Ctx<'a>, outcome: &Outcome) -> Element<'a, Message> {
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
            let args: Vec<(&str, Arg<'_>)> = words.iter().map(|(k, v)| (*k, Arg::Str(v))).collect();
            (ctx.ta(id, &args), palette::SUCCESS)
        }
        Outcome::Failed(id, why) => (ctx.ta(id, &[("why", Arg::Str(why))]), palette::DANGER),
    };
    container(ctx.text(words, Type::Label).color(color))
        .padding([ctx.sp(Space::S), ctx.sp(Space::L)])
        .width(Length::Fill)
        .style(containers::notice)
        .into()
}

/// "2026-12-03T14:03:12.123+08:00" as "12-03 14:03".
pub fn short_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t.format("%m-%d %H:%M").to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}
