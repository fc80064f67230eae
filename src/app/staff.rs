//! Branch staff in the app: the hidden long press that opens the PIN pad,
//! the PIN checked in a task against the argon2 hashes in config with a
//! lockout after too many wrong ones, maintenance mode and what it does
//! (every action's I/O in a task, every staff action in the audit log),
//! out of service by staff or by the terminal itself, and the supply
//! counter that closes licence printing when the tray is known empty.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Local;
use iced::Task;
use tongban_device::{DeviceKind, DeviceState, DeviceStatus};

use super::{App, Message, Screen};
use crate::facts::Facts;
use crate::screen::maintenance::{self, Outcome, Problem, ServiceState};
use crate::screen::{News, pin};
use crate::session::{IdlePhase, IdleTimer};
use crate::store::{A4_SHEETS, AuditEntry, Store, StoreError};

mod board;
mod pin_pad;
mod test_print;

/// Actor of the audit entries the terminal writes by itself.
pub(super) const SYSTEM: &str = "system";

/// Staff state kept by the app between screens.
#[derive(Debug)]
pub(super) struct StaffDesk {
    /// Wrong PINs and the lock they lead to.
    pub lockout: crate::staff::Lockout,
    /// The press on the hidden corner now held, by number.
    pub corner: Option<u64>,
    /// Presses so far.
    pub presses: u64,
    /// Maintenance mode's idle timer (with the pad's).
    pub idle: Option<(IdleTimer, IdlePhase)>,
    /// The newest problem of each device.
    pub problems: Vec<Problem>,
    /// Out of service by staff, with the reason in both languages.
    pub out_of_service: Option<kiosk_config::Localized>,
    /// Sheets the A4 tray has by the counter, once read.
    pub a4_sheets: Option<i64>,
    /// A test print the board waits for: its token.
    pub test_job: Option<u64>,
    /// Ticks since the facts were last read.
    pub since_refresh: u32,
    /// Devices whose threads have reported (before that a configured
    /// device shows offline, which is not a failure).
    pub heard: Vec<DeviceKind>,
    /// When what is left of the PIN lock was last stored, while it counts.
    pub lock_kept: Option<Instant>,
}

impl StaffDesk {
    pub(super) fn new(
        config: &kiosk_config::Config,
        out_of_service: Option<kiosk_config::Localized>,
        locked_for: Option<Duration>,
        failures: u32,
        now: Instant,
    ) -> Self {
        let mut lockout = crate::staff::Lockout::new(
            config.staff.max_attempts,
            Duration::from_secs(config.staff.lockout_secs),
        );
        if let Some(left) = locked_for {
            lockout.lock_until(now + left, now);
        } else {
            lockout.resume_failures(failures);
        }
        Self {
            lockout,
            corner: None,
            presses: 0,
            idle: None,
            problems: Vec::new(),
            out_of_service,
            a4_sheets: None,
            test_job: None,
            since_refresh: 0,
            heard: Vec::new(),
            lock_kept: None,
        }
    }
}

/// How often what is left of a PIN lock is stored while it counts down.
const KEEP_LOCK_EVERY: Duration = Duration::from_secs(30);

/// What staff messages the app handles.
#[derive(Debug, Clone)]
pub enum StaffMessage {
    /// The hidden corner was pressed (true) or let go (false).
    Corner(bool),
    /// A press on the corner has lasted long enough, if still held.
    Held(u64),
    /// From the PIN pad.
    Pin(pin::Message),
    /// The PIN matched this staff member (or none).
    PinChecked(Option<String>),
    /// From maintenance mode.
    Maintenance(maintenance::Message),
    /// The store's facts were read (or why not).
    Facts(Result<Box<Facts>, String>),
    /// An action's I/O ended: what to tell staff.
    Done(Outcome),
    /// The A4 tray's counter (none: never set).
    Sheets(Option<i64>),
    /// A test page was composed.
    TestPage(Result<Arc<tongban_laser::Bitmap>, String>),
}

impl App {
    /// Runs `work` on the store in a blocking task; `map` makes its
    /// answer a message. Without a store (tests with none), an error.
    fn with_store<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
        map: impl FnOnce(Result<T, String>) -> Message + Send + 'static,
    ) -> Task<Message> {
        let Some(path) = self.options.store.clone() else {
            return Task::done(map(Err("no store configured".into())));
        };
        Task::perform(
            async move {
                tokio::task::spawn_blocking(move || {
                    let mut store = Store::open(&path, Duration::from_secs(2))?;
                    work(&mut store)
                })
                .await
                .map_err(|e| e.to_string())
                .and_then(|r| r.map_err(|e| e.to_string()))
            },
            map,
        )
    }

    /// Writes to the store in a task that tells the UI nothing; a failure
    /// is logged as `what` not written.
    fn write_store(
        &self,
        what: &'static str,
        work: impl FnOnce(&mut Store) -> Result<(), StoreError> + Send + 'static,
    ) -> Task<Message> {
        let Some(path) = self.options.store.clone() else {
            tracing::debug!(what, "no store: not written");
            return Task::none();
        };
        Task::future(async move {
            let written = tokio::task::spawn_blocking(move || {
                let mut store = Store::open(&path, Duration::from_secs(2))?;
                work(&mut store)
            })
            .await;
            match written {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::error!(%error, what, "not written"),
                Err(error) => tracing::error!(%error, what, "not written"),
            }
        })
        .discard()
    }

    /// Appends to the audit log in a task (failures are logged).
    pub(super) fn audit(&self, actor: &str, action: &str, detail: String) -> Task<Message> {
        let entry = AuditEntry {
            at: self.stamp(),
            actor: actor.to_owned(),
            action: action.to_owned(),
            detail,
        };
        tracing::info!(actor, action, "audit");
        self.write_store("audit entry", move |s| s.audit(&entry))
    }

    /// Keeps what is left of a PIN lock in the store as it counts down
    /// (at start, then every [`KEEP_LOCK_EVERY`], and once more when it
    /// ends): a restart resumes it from there, never from a wall-clock
    /// instant a wrong clock could put years away.
    pub(super) fn keep_pin_lock(&mut self, at: Instant) -> Task<Message> {
        let left = self.staff.lockout.remaining(at);
        let secs = match (left, self.staff.lock_kept) {
            (Some(_), Some(kept)) if at.duration_since(kept) < KEEP_LOCK_EVERY => {
                return Task::none();
            }
            (Some(left), _) => {
                self.staff.lock_kept = Some(at);
                left.as_secs() + u64::from(left.subsec_nanos() > 0)
            }
            (None, Some(_)) => {
                self.staff.lock_kept = None;
                0
            }
            (None, None) => return Task::none(),
        };
        let at = self.stamp();
        self.write_store("PIN lock", move |s| {
            s.set_state(PIN_LOCK_LEFT, &secs.to_string(), &at)?;
            // As earlier versions kept it: read once at start, then gone.
            s.set_state(PIN_LOCKED_UNTIL, "", &at)
        })
    }

    /// Reads the A4 tray's counter (at start and after A4 jobs).
    pub(super) fn read_sheets(&self) -> Task<Message> {
        self.with_store(
            |s| s.supply(A4_SHEETS),
            |r| Message::Staff(StaffMessage::Sheets(r.ok().flatten())),
        )
    }

    fn load_facts(&self) -> Task<Message> {
        let now = self.local();
        self.with_store(
            move |s| crate::facts::load(s, now).map(Box::new),
            |r| Message::Staff(StaffMessage::Facts(r)),
        )
    }

    /// Whether the PIN pad or maintenance mode shows.
    pub(super) fn in_staff_mode(&self) -> bool {
        matches!(self.screen, Screen::Pin(_) | Screen::Maintenance(_))
    }

    /// Why the terminal took itself out of service, if it did: it cannot
    /// identify anyone when every identification device it has (reader,
    /// scanner) has reported failing.
    pub fn automatic_out_of_service(&self) -> Option<&'static str> {
        let devices = &self.options.devices;
        let configured = [
            (devices.reader.is_some(), DeviceKind::IdCardReader),
            (devices.scanner.is_some(), DeviceKind::QrScanner),
        ];
        let mut any = false;
        for (on, kind) in configured {
            if !on {
                continue;
            }
            any = true;
            let failed = self.staff.heard.contains(&kind)
                && self.status.device(kind).is_none_or(|d| {
                    matches!(
                        d.state,
                        DeviceState::Offline | DeviceState::HardwareError | DeviceState::NoDevice
                    )
                });
            if !failed {
                return None;
            }
        }
        any.then_some("oos-auto-identification")
    }

    /// The service state as staff see it.
    pub(super) fn service_state(&self) -> ServiceState {
        let ctx = self.ctx();
        if let Some(reason) = &self.staff.out_of_service {
            ServiceState::ByStaff(ctx.pick(reason).to_owned())
        } else if let Some(reason) = &self.remote_out_of_service {
            ServiceState::ByPlatform(ctx.pick(reason).to_owned())
        } else if !self.options.config.service.in_service {
            ServiceState::ByStaff(
                ctx.pick(&self.options.config.service.out_of_service_reason)
                    .to_owned(),
            )
        } else if let Some(id) = self.automatic_out_of_service() {
            ServiceState::Automatic(ctx.t(id))
        } else {
            ServiceState::InService
        }
    }

    /// The devices configured on this terminal, in `DeviceKind::ALL` order.
    pub(super) fn configured(&self) -> [bool; 4] {
        let d = &self.options.devices;
        [
            d.reader.is_some(),
            d.scanner.is_some(),
            d.receipt.is_some(),
            d.a4.is_some(),
        ]
    }

    /// A device's status changed: keep its problem for the board, keep it
    /// for `kioskctl`, and note the terminal going out of or back into
    /// service by itself.
    pub(super) fn device_changed(
        &mut self,
        status: DeviceStatus,
        was_automatic: bool,
    ) -> Task<Message> {
        if !self.staff.heard.contains(&status.kind) {
            self.staff.heard.push(status.kind);
        }
        if maintenance::is_problem(&status) {
            let problem = Problem {
                kind: status.kind,
                status,
                at: self.local().format("%m-%d %H:%M:%S").to_string(),
            };
            match self
                .staff
                .problems
                .iter_mut()
                .find(|p| p.kind == status.kind)
            {
                Some(slot) => *slot = problem,
                None => self.staff.problems.push(problem),
            }
        }
        let at = self.stamp();
        let mut tasks = vec![self.write_store("device state", move |s| {
            crate::facts::record_device(s, &status, &at)
        })];
        let automatic = self.automatic_out_of_service().is_some();
        if automatic != was_automatic {
            let (action, words) = if automatic {
                tracing::warn!("out of service by itself: no device can identify residents");
                ("auto_out_of_service", "no identification device works")
            } else {
                tracing::info!("back in service by itself: a device can identify residents again");
                ("auto_in_service", "an identification device works again")
            };
            tasks.push(self.audit(SYSTEM, action, words.into()));
        }
        Task::batch(tasks)
    }

    /// Idle handling while staff are at the terminal.
    pub(super) fn staff_tick(&mut self, now: Instant) -> Task<Message> {
        let Some((idle, phase)) = &mut self.staff.idle else {
            return Task::none();
        };
        *phase = idle.phase(now);
        if *phase == IdlePhase::Expired {
            let staff = self.screen.staff().map(str::to_owned);
            tracing::info!("maintenance mode timed out");
            let leave = self.leave_staff_mode();
            return match staff {
                Some(staff) => Task::batch([
                    leave,
                    self.audit(&staff, "maintenance_timeout", String::new()),
                ]),
                None => leave,
            };
        }
        self.staff.since_refresh += 1;
        if self.staff.since_refresh >= 10 && matches!(self.screen, Screen::Maintenance(_)) {
            self.staff.since_refresh = 0;
            return self.load_facts();
        }
        Task::none()
    }

    /// The idle warning's seconds while staff are at the terminal.
    pub(super) fn staff_warning(&self) -> Option<u64> {
        match self.staff.idle.as_ref()?.1 {
            IdlePhase::Warning { remaining_secs } => Some(remaining_secs),
            _ => None,
        }
    }

    /// Staff touched the screen.
    pub(super) fn staff_activity(&mut self, now: Instant) {
        if let Some((idle, phase)) = &mut self.staff.idle {
            idle.touch(now);
            *phase = idle.phase(now);
        }
    }

    fn start_staff_idle(&mut self) {
        let session = &self.options.config.session;
        let timeout = session.idle_timeout("maintenance");
        self.staff.idle = Some((
            IdleTimer::new(timeout, session.countdown(), self.instant()),
            IdlePhase::Active,
        ));
    }

    /// Back to the attract (or out-of-service) screen.
    pub(super) fn leave_staff_mode(&mut self) -> Task<Message> {
        self.screen = Screen::Attract;
        self.staff.idle = None;
        self.staff.corner = None;
        self.staff.test_job = None;
        self.apply_pending_config();
        self.language = self.options.config.ui.default_language;
        self.elder = self.options.config.ui.elder_mode_default;
        Task::none()
    }

    /// Handles a staff message.
    pub(super) fn staff_message(&mut self, message: StaffMessage) -> Task<Message> {
        match message {
            StaffMessage::Corner(true) => {
                if self.session.is_some() || self.in_staff_mode() {
                    return Task::none();
                }
                self.staff.presses += 1;
                let n = self.staff.presses;
                self.staff.corner = Some(n);
                let hold = Duration::from_millis(self.options.config.staff.long_press_ms);
                Task::perform(async move { tokio::time::sleep(hold).await }, move |()| {
                    Message::Staff(StaffMessage::Held(n))
                })
            }
            StaffMessage::Corner(false) => {
                self.staff.corner = None;
                Task::none()
            }
            StaffMessage::Held(n) => {
                if self.staff.corner == Some(n) {
                    self.staff.corner = None;
                    return self.open_pin_pad();
                }
                Task::none()
            }
            StaffMessage::Pin(message) => self.pin_message(message),
            StaffMessage::PinChecked(found) => self.pin_checked(found),
            StaffMessage::Maintenance(message) => self.maintenance_message(message),
            StaffMessage::Facts(result) => {
                // The facts carry the tray's counter: it counts for the
                // home even when staff have already left the board.
                if let Ok(facts) = &result {
                    self.staff.a4_sheets = facts
                        .supplies
                        .iter()
                        .find(|s| s.name == A4_SHEETS)
                        .map(|s| s.remaining);
                }
                if let Err(error) = &result {
                    tracing::error!(%error, "maintenance facts not read");
                }
                self.screen
                    .hear(News::Facts(result.as_deref().map_err(String::as_str)));
                self.refresh_home();
                Task::none()
            }
            StaffMessage::Done(outcome) => {
                self.screen.hear(News::StaffOutcome(outcome));
                self.load_facts()
            }
            StaffMessage::Sheets(sheets) => {
                self.staff.a4_sheets = sheets;
                self.refresh_home();
                Task::none()
            }
            StaffMessage::TestPage(result) => self.test_page_ready(result),
        }
    }

    /// The home's licence entry follows the A4 printer and its counter.
    pub(super) fn refresh_home(&mut self) {
        let blocked = self.printer_block(DeviceKind::A4Printer);
        self.screen
            .hear(News::PrinterBlocked(DeviceKind::A4Printer, blocked));
    }
}

/// The terminal-state key of what is left of a PIN lock, in whole
/// seconds, as last stored (at lock time, at each start and as it counts
/// down): a duration, so a clock that runs ahead cannot stretch it.
pub const PIN_LOCK_LEFT: &str = "pin_lock_left_secs";

/// The terminal-state key of the wrong PINs in a row so far.
pub const PIN_FAILURES: &str = "pin_failures";

/// The terminal-state key earlier versions kept a PIN lock in: until when
/// (RFC 3339), which a clock running ahead made last for years. Read once
/// at start (capped like the rest), then cleared.
pub const PIN_LOCKED_UNTIL: &str = "pin_locked_until";

/// How long PIN entry stays locked after a restart: what the store says is
/// left, never more than `lockout` (the configured lock's length).
pub fn stored_lock(
    store: &Store,
    lockout: Duration,
    now: chrono::DateTime<Local>,
) -> Result<Option<Duration>, StoreError> {
    let left = store
        .state(PIN_LOCK_LEFT)?
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_secs);
    let legacy = store
        .state(PIN_LOCKED_UNTIL)?
        .and_then(|v| chrono::DateTime::parse_from_rfc3339(&v).ok())
        .and_then(|until| (until.with_timezone(&Local) - now).to_std().ok());
    Ok(left
        .into_iter()
        .chain(legacy)
        .max()
        .map(|d| d.min(lockout))
        .filter(|d| !d.is_zero()))
}

/// The wrong PINs in a row before a restart.
pub fn stored_failures(store: &Store) -> Result<u32, StoreError> {
    Ok(store
        .state(PIN_FAILURES)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// The terminal-state key of out of service by staff.
pub const OUT_OF_SERVICE: &str = "out_of_service";

/// Out of service by staff as the store keeps it (an empty value: in
/// service), read at start.
pub fn stored_out_of_service(value: Option<&str>) -> Option<kiosk_config::Localized> {
    let value: serde_json::Value = serde_json::from_str(value?).ok()?;
    Some(kiosk_config::Localized {
        zh: value.get("zh")?.as_str()?.to_owned(),
        en: value.get("en")?.as_str()?.to_owned(),
    })
}
