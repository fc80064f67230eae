//! What a terminal reports about itself, and what the platform may ask of
//! it in reply.

use serde::{Deserialize, Serialize};

use crate::fleet::{AppliedBundle, ConfigProblem};

/// A terminal's heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heartbeat {
    /// The terminal's id (SH-PD-0001-01).
    pub terminal: String,
    /// When it was sent (RFC 3339).
    pub at: String,
    /// The catalogue version held, if any.
    pub catalogue_version: Option<u64>,
    /// Its district's id, for the district config scope (none: it has
    /// not been given one).
    #[serde(default)]
    pub district: Option<String>,
    /// Its branch's id, for the branch config scope.
    #[serde(default)]
    pub branch: Option<String>,
    /// The config bundle versions it runs, per scope.
    #[serde(default)]
    pub config: Vec<AppliedBundle>,
    /// The last bundle it refused or rolled back, until a later one
    /// applies.
    #[serde(default)]
    pub config_problem: Option<ConfigProblem>,
    /// Each device and its state, in the XFS vocabulary (`online`,
    /// `user_error` …) with what needs doing (`paper_out` …).
    pub devices: Vec<DeviceReport>,
    /// Supply counters (`a4_sheets`, `receipt_mm`).
    pub supplies: Vec<Supply>,
    /// Submissions waiting in the outbox.
    pub outbox_depth: u64,
    /// What branch staff did on the terminal since the last heartbeat the
    /// platform took (oldest first; at most 50 at a time, the rest
    /// follow).
    #[serde(default)]
    pub staff_actions: Vec<StaffAction>,
    /// The free space of the disk holding its store (none: not measured,
    /// or a terminal from before it was reported).
    #[serde(default)]
    pub disk: Option<DiskReport>,
}

impl Heartbeat {
    /// A heartbeat from `terminal` at `at` that reports nothing else: no
    /// catalogue, scope, config, devices, supplies or staff actions.
    pub fn new(terminal: impl Into<String>, at: impl Into<String>) -> Self {
        Self {
            terminal: terminal.into(),
            at: at.into(),
            catalogue_version: None,
            district: None,
            branch: None,
            config: Vec::new(),
            config_problem: None,
            devices: Vec::new(),
            supplies: Vec::new(),
            outbox_depth: 0,
            staff_actions: Vec::new(),
            disk: None,
        }
    }
}

/// One terminal in the fleet view: its last heartbeat and when it came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalHealth {
    /// The terminal.
    pub terminal: String,
    /// Its district id, as it reported.
    pub district: Option<String>,
    /// Its branch id, as it reported.
    pub branch: Option<String>,
    /// When the platform received its last heartbeat (RFC 3339).
    pub last_heartbeat: String,
    /// Seconds since then, at the time of the answer.
    pub seconds_since: u64,
    /// The catalogue version it holds.
    pub catalogue_version: Option<u64>,
    /// The bundle versions it runs.
    pub config: Vec<AppliedBundle>,
    /// A bundle it refused or rolled back.
    pub config_problem: Option<ConfigProblem>,
    /// Its devices.
    pub devices: Vec<DeviceReport>,
    /// Its supplies.
    pub supplies: Vec<Supply>,
    /// Submissions waiting in its outbox.
    pub outbox_depth: u64,
    /// The latest thing branch staff did on it, as it reported.
    #[serde(default)]
    pub last_staff_action: Option<StaffAction>,
    /// The disk holding its store, as its last heartbeat reported it.
    #[serde(default)]
    pub disk: Option<DiskReport>,
}

/// The disk holding a terminal's store, as its heartbeat reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiskReport {
    /// Free space (what the kiosk may still use), MB.
    pub free_mb: u64,
    /// The filesystem's size, MB.
    pub total_mb: u64,
    /// Whether free space is below the terminal's `store.min_free_mb`:
    /// it takes no new applications until space is freed (those already
    /// accepted are kept and still sent).
    pub low: bool,
}

/// Something branch staff did on a terminal: restocking a supply, taking
/// it out of service or back, resolving a print job nobody could tell
/// the outcome of. It names the staff member by their staff id and
/// carries no resident's personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAction {
    /// When it was done (RFC 3339, the terminal's clock).
    pub at: String,
    /// The staff id, or `system` for what the terminal did by itself.
    pub staff: String,
    /// What was done (`restock`, `out_of_service`, `in_service`,
    /// `resolve_print_job` …).
    pub action: String,
    /// Details without personal data (`a4_sheets=500`, `job 12 printed`).
    pub detail: String,
}

/// One device in a heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceReport {
    /// `id_card_reader`, `qr_scanner`, `receipt_printer`, `a4_printer`.
    pub kind: String,
    /// `online`, `offline`, `user_error`, `hardware_error`, `busy`,
    /// `no_device`.
    pub state: String,
    /// Media, toner or cover detail where there is one.
    pub detail: Option<String>,
}

/// A supply counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supply {
    /// Its name.
    pub name: String,
    /// What is left.
    pub remaining: i64,
}

/// The platform's answer to a heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HeartbeatReply {
    /// What the terminal should do now.
    pub commands: Vec<Command>,
}

/// Something the platform asks a terminal to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Fetch the catalogue now.
    SyncCatalogue,
    /// A config bundle newer than the one it runs waits for one of its
    /// scopes: fetch the bundles now.
    SyncConfig,
    /// Stop serving residents, showing this reason.
    OutOfService {
        /// Shown on the out-of-service screen.
        reason_zh: String,
        /// The same in English.
        reason_en: String,
    },
    /// Serve residents again.
    InService,
}
