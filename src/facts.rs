//! What branch staff see about the terminal, read from the store: supplies
//! with how fast they go and how long the rest lasts, the outbox, the print
//! journal and the jobs nobody could tell the outcome of, the audit log,
//! and each device's last state. Shared by the maintenance screen and
//! `kioskctl show`; it reads the store and decides nothing.

use chrono::{DateTime, FixedOffset, Local};
use tongban_device::{DeviceKind, DeviceStatus};

use crate::store::{AuditEntry, JobRecord, JobState, Store, StoreError};

/// How far back supply use counts for the rate, in days.
pub const USAGE_WINDOW_DAYS: i64 = 14;

/// The newest print jobs listed.
pub const RECENT_JOBS: u32 = 10;
/// How many refused submissions staff see.
pub const RECENT_REFUSED: u32 = 10;

/// The newest audit entries listed.
pub const RECENT_AUDIT: u32 = 10;

/// The terminal-state key prefix of devices' last states.
const DEVICE_KEY: &str = "device.";

/// A supply counter and what its recent use says about it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SupplyFact {
    /// The counter (`a4_sheets`, `a4_toner_pages`, `receipt_mm`).
    pub name: String,
    /// What is left, in the counter's unit.
    pub remaining: i64,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
    /// Use per day over the last [`USAGE_WINDOW_DAYS`] days; none when
    /// nothing was used.
    pub per_day: Option<f64>,
    /// Days the rest lasts at that rate.
    pub days_left: Option<f64>,
}

/// A device's last state as the kiosk recorded it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersistedDevice {
    /// The state.
    pub status: DeviceStatus,
    /// Since when (RFC 3339).
    pub at: String,
}

/// Print jobs in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct JournalCounts {
    /// Journalled, not sent yet.
    pub journalled: u64,
    /// Being sent.
    pub sending: u64,
    /// Printed in full.
    pub printed: u64,
    /// Stopped with some or no pages printed.
    pub failed: u64,
    /// Nobody could tell what came out; for staff to resolve.
    pub uncertain: u64,
}

/// Everything staff see about the terminal at one moment.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Facts {
    /// Every supply counter, by name.
    pub supplies: Vec<SupplyFact>,
    /// Submissions waiting for the platform.
    pub outbox_depth: u64,
    /// Submissions the platform refused for good.
    pub outbox_rejected: u64,
    /// How long the oldest waiting submission has waited, in seconds.
    pub outbox_oldest_secs: Option<u64>,
    /// The newest [`RECENT_REFUSED`] refused submissions, newest first:
    /// what each was for, when, why, and whether its form is still kept.
    pub refused: Vec<crate::store::Refused>,
    /// Print jobs in each state.
    pub journal: JournalCounts,
    /// The uncertain print jobs, newest first.
    pub uncertain: Vec<JobRecord>,
    /// The newest [`RECENT_JOBS`] print jobs, newest first.
    pub recent_jobs: Vec<JobRecord>,
    /// The newest [`RECENT_AUDIT`] audit entries, newest first.
    pub audit: Vec<AuditEntry>,
    /// Each device's last recorded state, in status-bar order; a device
    /// never recorded is missing.
    pub devices: Vec<PersistedDevice>,
}

/// Reads the facts from the store; `now` is the moment rates and ages are
/// taken at. Blocking: call it off the UI thread.
pub fn load(store: &Store, now: DateTime<Local>) -> Result<Facts, StoreError> {
    let now = now.fixed_offset();
    let since = (now - chrono::Duration::days(USAGE_WINDOW_DAYS)).to_rfc3339();
    let supplies = store
        .supply_counters()?
        .into_iter()
        .map(|(name, remaining, updated_at)| {
            let (used, first) = store.usage_since(&name, &since)?;
            let first = first.and_then(|t| DateTime::parse_from_rfc3339(&t).ok());
            let (per_day, days_left) = estimate(remaining, used, first, now);
            Ok(SupplyFact {
                name,
                remaining,
                updated_at,
                per_day,
                days_left,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let outbox_oldest_secs = store
        .outbox_oldest()?
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| (now - t).num_seconds().max(0) as u64);
    let mut journal = JournalCounts::default();
    for (state, n) in store.job_counts()? {
        match state {
            JobState::Journalled => journal.journalled = n,
            JobState::Sending => journal.sending = n,
            JobState::Printed => journal.printed = n,
            JobState::Failed => journal.failed = n,
            JobState::Uncertain => journal.uncertain = n,
        }
    }
    let mut devices: Vec<PersistedDevice> = store
        .states_with_prefix(DEVICE_KEY)?
        .into_iter()
        .filter_map(|(key, value, at)| match serde_json::from_str(&value) {
            Ok(status) => Some(PersistedDevice { status, at }),
            Err(error) => {
                tracing::warn!(%key, %error, "recorded device state unreadable");
                None
            }
        })
        .collect();
    devices.sort_by_key(|d| DeviceKind::ALL.iter().position(|k| *k == d.status.kind));
    Ok(Facts {
        supplies,
        outbox_depth: store.outbox_depth()?,
        outbox_rejected: store.outbox_rejected()?,
        outbox_oldest_secs,
        refused: store.outbox_refused(RECENT_REFUSED)?,
        journal,
        uncertain: store.uncertain_jobs()?,
        recent_jobs: store.recent_jobs(RECENT_JOBS)?,
        audit: store.audit_log(RECENT_AUDIT)?,
        devices,
    })
}

/// Records a device's state for staff (`terminal_state` key
/// `device.<kind>`, the status as JSON). A state equal to the one recorded
/// is left alone, so `at` keeps saying since when it holds.
pub fn record_device(store: &mut Store, status: &DeviceStatus, at: &str) -> Result<(), StoreError> {
    let key = format!("{DEVICE_KEY}{}", status.kind.as_str());
    let unchanged = store
        .state(&key)?
        .and_then(|v| serde_json::from_str::<DeviceStatus>(&v).ok())
        .is_some_and(|held| held == *status);
    if unchanged {
        return Ok(());
    }
    let value = serde_json::to_string(status).map_err(|e| StoreError::Other {
        path: store.path().to_owned(),
        reason: format!("device state not recorded: {e}"),
    })?;
    store.set_state(&key, &value, at)
}

/// How fast a supply goes and how long the rest lasts: `used` over the
/// time since `first_use` (the first use within the window; the whole
/// window when unknown), counted as at least one day so a morning's use
/// is not taken for a day's. Returns (per day, days left); both none when
/// nothing was used.
pub fn estimate(
    remaining: i64,
    used: i64,
    first_use: Option<DateTime<FixedOffset>>,
    now: DateTime<FixedOffset>,
) -> (Option<f64>, Option<f64>) {
    if used <= 0 {
        return (None, None);
    }
    let window = chrono::Duration::days(USAGE_WINDOW_DAYS);
    let span = first_use.map_or(window, |first| (now - first).min(window));
    let days = (span.num_seconds() as f64 / 86_400.0).max(1.0);
    let per_day = used as f64 / days;
    (Some(per_day), Some(remaining.max(0) as f64 / per_day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SubmissionKind;
    use std::time::Duration;
    use tongban_device::{CoverState, DeviceState, MediaState, TonerState};

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn nothing_used_means_no_rate_and_no_estimate() {
        let now = at("2026-11-24T12:00:00+08:00");
        assert_eq!(estimate(500, 0, None, now), (None, None));
        assert_eq!(
            estimate(500, 0, Some(at("2026-11-20T12:00:00+08:00")), now),
            (None, None)
        );
    }

    #[test]
    fn the_rate_is_over_the_days_since_the_first_use() {
        let now = at("2026-11-24T12:00:00+08:00");
        // 100 sheets in 4 days: 25 a day, 300 left last 12 days.
        let (per_day, left) = estimate(300, 100, Some(at("2026-11-20T12:00:00+08:00")), now);
        assert_eq!(per_day, Some(25.0));
        assert_eq!(left, Some(12.0));
    }

    #[test]
    fn a_morning_s_use_counts_as_a_day_not_as_a_burst() {
        let now = at("2026-11-24T12:00:00+08:00");
        let (per_day, left) = estimate(90, 10, Some(at("2026-11-24T09:00:00+08:00")), now);
        assert_eq!(per_day, Some(10.0));
        assert_eq!(left, Some(9.0));
    }

    #[test]
    fn the_rate_never_spans_more_than_the_window_and_an_empty_counter_lasts_no_days() {
        let now = at("2026-11-24T12:00:00+08:00");
        let (per_day, left) = estimate(-3, 140, None, now);
        assert_eq!(per_day, Some(10.0));
        assert_eq!(left, Some(0.0));
        // A first use under another offset is the same instant.
        let (per_day, _) = estimate(0, 140, Some(at("2026-11-10T04:00:00Z")), now);
        assert_eq!(per_day, Some(10.0));
    }

    fn entry(at: &str, action: &str) -> AuditEntry {
        AuditEntry {
            at: at.into(),
            actor: "S-0042".into(),
            action: action.into(),
            detail: String::new(),
        }
    }

    /// The tray restocked to 500 and 40 sheets used over two days; the
    /// toner used before the window does not count.
    fn stock_and_print(store: &mut Store) {
        store
            .restock(
                "a4_sheets",
                500,
                &entry("2026-11-22T12:00:00+08:00", "restock"),
            )
            .unwrap();
        store
            .set_supply("a4_toner_pages", 3000, "2026-11-01T12:00:00+08:00")
            .unwrap();
        for (pages, when) in [
            (10, "2026-11-01T12:00:00+08:00"),
            (40, "2026-11-22T12:00:00+08:00"),
        ] {
            let id = store.journal_job(&new_job(pages), when).unwrap();
            store
                .finish_job(
                    id,
                    pages,
                    "",
                    &[("a4_sheets", 1), ("a4_toner_pages", 1)],
                    when,
                )
                .unwrap();
        }
    }

    /// A licence job of `pages` pages on the A4 printer.
    fn new_job(pages: u32) -> crate::store::NewJob<'static> {
        crate::store::NewJob {
            printer: "a4",
            kind: "licence",
            ticket: "T-1",
            pages,
        }
    }

    /// A job sent and then lost track of; returns its id.
    fn lose_a_job(store: &mut Store) -> i64 {
        let lost = store
            .journal_job(&new_job(2), "2026-11-24T11:00:00+08:00")
            .unwrap();
        store
            .mark_sending(lost, "2026-11-24T11:00:01+08:00")
            .unwrap();
        store
            .mark_uncertain(lost, "offline", "2026-11-24T11:00:05+08:00")
            .unwrap();
        lost
    }

    /// The journal's queued results delivered, then one rating waiting
    /// and one the platform refused.
    fn queue_one_and_refuse_one(store: &mut Store) {
        // The tickets' results the journal queued have been delivered.
        let head = store.outbox_head(100).unwrap();
        let delivered: Vec<i64> = head.iter().map(|o| o.id).collect();
        store.outbox_done(&delivered).unwrap();
        store
            .enqueue(
                SubmissionKind::Rating,
                "R1",
                b"{}",
                "2026-11-24T11:30:00+08:00",
            )
            .unwrap();
        let refused = store
            .enqueue(
                SubmissionKind::Rating,
                "R2",
                b"{}",
                "2026-11-24T11:40:00+08:00",
            )
            .unwrap();
        let refused_id = store
            .outbox_head(10)
            .unwrap()
            .into_iter()
            .find(|o| o.idempotency_key == refused)
            .unwrap()
            .id;
        store.outbox_reject(refused_id, "HTTP 422").unwrap();
    }

    /// The A4 printer out of paper and the card reader absent, the
    /// printer's state recorded twice; returns the printer's state.
    fn record_devices(store: &mut Store) -> DeviceStatus {
        let printer = DeviceStatus {
            kind: DeviceKind::A4Printer,
            state: DeviceState::UserError,
            media: Some(MediaState::Out),
            toner: Some(TonerState::Low),
            cover: Some(CoverState::Closed),
        };
        record_device(store, &printer, "2026-11-24T10:00:00+08:00").unwrap();
        record_device(
            store,
            &DeviceStatus::absent(DeviceKind::IdCardReader),
            "2026-11-24T08:00:00+08:00",
        )
        .unwrap();
        // The same state again keeps its time.
        record_device(store, &printer, "2026-11-24T11:00:00+08:00").unwrap();
        printer
    }

    #[test]
    fn facts_come_from_the_store_as_staff_need_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::open(&dir.path().join("kiosk.db"), Duration::from_millis(500)).unwrap();
        let now: DateTime<Local> = at("2026-11-24T12:00:00+08:00").with_timezone(&Local);
        stock_and_print(&mut store);
        let lost = lose_a_job(&mut store);
        queue_one_and_refuse_one(&mut store);
        let printer = record_devices(&mut store);

        let facts = load(&store, now).unwrap();
        let sheets = &facts.supplies[0];
        assert_eq!((sheets.name.as_str(), sheets.remaining), ("a4_sheets", 450));
        assert_eq!(sheets.per_day, Some(20.0));
        assert_eq!(sheets.days_left, Some(22.5));
        let toner = &facts.supplies[1];
        assert_eq!(
            (toner.name.as_str(), toner.remaining),
            ("a4_toner_pages", 2950)
        );
        assert_eq!(toner.per_day, Some(20.0));
        assert_eq!(facts.outbox_depth, 1);
        assert_eq!(facts.outbox_rejected, 1);
        assert_eq!(facts.refused.len(), 1);
        assert_eq!(
            (facts.refused[0].kind, facts.refused[0].reason.as_str()),
            (SubmissionKind::Rating, "HTTP 422")
        );
        assert!(facts.refused[0].body_kept);
        assert_eq!(facts.outbox_oldest_secs, Some(30 * 60));
        assert_eq!(
            facts.journal,
            JournalCounts {
                printed: 2,
                uncertain: 1,
                ..JournalCounts::default()
            }
        );
        assert_eq!(facts.uncertain.len(), 1);
        assert_eq!(facts.uncertain[0].id, lost);
        assert_eq!(facts.uncertain[0].created_at, "2026-11-24T11:00:00+08:00");
        assert_eq!(
            facts.recent_jobs.iter().map(|j| j.id).collect::<Vec<_>>(),
            [lost, 2, 1]
        );
        assert_eq!(facts.audit, [entry("2026-11-22T12:00:00+08:00", "restock")]);
        assert_eq!(facts.devices.len(), 2);
        assert_eq!(facts.devices[0].status.kind, DeviceKind::IdCardReader);
        assert_eq!(facts.devices[1].status, printer);
        assert_eq!(facts.devices[1].at, "2026-11-24T10:00:00+08:00");
    }

    #[test]
    fn an_empty_store_has_no_facts_to_tell() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("kiosk.db"), Duration::from_millis(500)).unwrap();
        let facts = load(&store, Local::now()).unwrap();
        assert!(facts.supplies.is_empty());
        assert_eq!(facts.outbox_oldest_secs, None);
        assert_eq!(facts.journal, JournalCounts::default());
        assert!(facts.devices.is_empty() && facts.audit.is_empty());
    }
}
