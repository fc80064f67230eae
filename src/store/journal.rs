//! The print-job journal: every job is written down before its first byte
//! goes to a printer and follows it to its end (printed, failed, or
//! uncertain until staff resolve it), so a crash never leaves a job
//! guessed printed or printed twice. A licence job's end queues its
//! ticket's result in the outbox in the same transaction.

use rusqlite::{OptionalExtension, params};

use super::audit::insert_audit;
use super::outbox::enqueue_in;
use super::supplies::use_supply;
use super::{
    A4_SHEETS, A4_TONER, AuditEntry, JobState, Store, StoreError, SubmissionKind, begin, classify,
    record_from_row,
};

/// A print job to journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewJob<'a> {
    /// `a4` or `receipt`.
    pub printer: &'a str,
    /// `licence`, `receipt`, `guide`, `test`.
    pub kind: &'a str,
    /// The platform's ticket id, or empty.
    pub ticket: &'a str,
    /// Pages (or copies) asked for.
    pub pages: u32,
}

/// A journalled print job.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JobRecord {
    /// Id.
    pub id: i64,
    /// Printer.
    pub printer: String,
    /// Kind.
    pub kind: String,
    /// Ticket id.
    pub ticket: String,
    /// Pages asked for.
    pub pages: u32,
    /// Pages the printer confirmed.
    pub printed: u32,
    /// Where it is.
    pub state: JobState,
    /// Why it failed or is uncertain.
    pub reason: String,
    /// When it was journalled (RFC 3339).
    pub created_at: String,
    /// When its state last changed (RFC 3339).
    pub updated_at: String,
}

/// The columns [`job_row`] reads, in its order.
const JOB_COLUMNS: &str =
    "id, printer, kind, ticket, pages, printed, state, reason, created_at, updated_at";

/// A `print_jobs` row selected as [`JOB_COLUMNS`].
fn job_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobRecord> {
    Ok(record_from_row!(
        r,
        JobRecord {
            id,
            printer,
            kind,
            ticket,
            pages,
            printed,
            state,
            reason,
            created_at,
            updated_at,
        }
    ))
}

/// How a licence print job ended goes to the platform with the job's end,
/// in the same transaction: a ticket is closed exactly once per end
/// (printed or failed by the printer, uncertain after a crash or a lost
/// printer, then printed or not as staff resolve it), whoever decided it.
/// Jobs without a ticket (receipts, test pages) report nothing.
fn queue_print_result(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    outcome: JobState,
    at: &str,
) -> rusqlite::Result<()> {
    let job: Option<(String, String, u32, u32)> = tx
        .query_row(
            "SELECT kind, ticket, pages, printed FROM print_jobs WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((kind, ticket, pages, printed)) = job else {
        return Ok(());
    };
    if kind != "licence" || ticket.is_empty() {
        return Ok(());
    }
    let failed = match outcome {
        JobState::Uncertain => 0,
        _ => pages.saturating_sub(printed),
    };
    let result = tongban_platform_api::licence::PrintResult {
        ticket: ticket.clone(),
        printed,
        failed,
        outcome: outcome.as_str().to_owned(),
    };
    let body = serde_json::to_vec(&result)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    // Results of one ticket go out in the order they were decided.
    enqueue_in(
        tx,
        SubmissionKind::PrintResult,
        &format!("ticket:{ticket}"),
        &body,
        at,
    )?;
    Ok(())
}

impl Store {
    /// Records a print job before its first byte is sent. `ticket` is the
    /// platform's ticket id (no personal data).
    pub fn journal_job(&mut self, job: &NewJob<'_>, at: &str) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO print_jobs (printer, kind, ticket, pages, state, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'journalled', ?5, ?5)",
                params![job.printer, job.kind, job.ticket, job.pages, at],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The first byte is about to go to the printer. Only a journalled job
    /// can start sending.
    pub fn mark_sending(&mut self, id: i64, at: &str) -> Result<(), StoreError> {
        let changed = self
            .conn
            .execute(
                "UPDATE print_jobs SET state = 'sending', updated_at = ?2
                 WHERE id = ?1 AND state = 'journalled'",
                params![id, at],
            )
            .map_err(|e| self.err(e))?;
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::Other {
                path: self.path.clone(),
                reason: format!("print job {id} is not waiting to be sent"),
            })
        }
    }

    /// The printer confirmed `printed` pages and the job is over: printed if
    /// all pages came out, failed otherwise. Each supply counter in
    /// `supplies` (name, use per page) goes down by its use × the pages
    /// confirmed and the use is recorded, in the same transaction, and
    /// only once: a job that is already over is left alone and
    /// `Ok(false)` returned.
    pub fn finish_job(
        &mut self,
        id: i64,
        printed: u32,
        reason: &str,
        supplies: &[(&str, i64)],
        at: &str,
    ) -> Result<bool, StoreError> {
        let tx = begin(&mut self.conn, &self.path)?;
        let row: Option<(u32, JobState)> = tx
            .query_row(
                "SELECT pages, state FROM print_jobs WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| classify(&self.path, e))?;
        let Some((pages, state)) = row else {
            return Ok(false);
        };
        if !matches!(state, JobState::Sending | JobState::Journalled) {
            return Ok(false);
        }
        let printed = printed.min(pages);
        let new_state = if printed == pages {
            JobState::Printed
        } else {
            JobState::Failed
        };
        tx.execute(
            "UPDATE print_jobs SET state = ?2, printed = ?3, reason = ?4, updated_at = ?5 WHERE id = ?1",
            params![id, new_state, printed, reason, at],
        )
        .map_err(|e| classify(&self.path, e))?;
        queue_print_result(&tx, id, new_state, at).map_err(|e| classify(&self.path, e))?;
        for (name, per_page) in supplies {
            use_supply(&tx, name, per_page * i64::from(printed), at)
                .map_err(|e| classify(&self.path, e))?;
        }
        tx.commit().map_err(|e| classify(&self.path, e))?;
        Ok(true)
    }

    /// Staff say how an uncertain job ended, having looked at what came
    /// out: `printed` makes it printed in full — for the A4 printer the
    /// sheets and toner of the pages not yet counted go down now —,
    /// otherwise it failed. The audit entry is written in the same
    /// transaction. Only an uncertain job changes; `Ok(false)` for any
    /// other (already resolved, or never uncertain). A receipt's length is
    /// not journalled, so resolving one counts no paper.
    pub fn resolve_uncertain(
        &mut self,
        id: i64,
        printed: bool,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let tx = begin(&mut self.conn, &self.path)?;
        let row: Option<(String, u32, u32)> = tx
            .query_row(
                "SELECT printer, pages, printed FROM print_jobs WHERE id = ?1 AND state = 'uncertain'",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| classify(&self.path, e))?;
        let Some((printer, pages, counted)) = row else {
            return Ok(false);
        };
        if printed {
            tx.execute(
                "UPDATE print_jobs SET state = 'printed', printed = pages, reason = '', updated_at = ?2
                 WHERE id = ?1",
                params![id, entry.at],
            )
            .map_err(|e| classify(&self.path, e))?;
            if printer == "a4" {
                let uncounted = i64::from(pages.saturating_sub(counted));
                for name in [A4_SHEETS, A4_TONER] {
                    use_supply(&tx, name, uncounted, &entry.at)
                        .map_err(|e| classify(&self.path, e))?;
                }
            }
        } else {
            tx.execute(
                "UPDATE print_jobs SET state = 'failed', reason = 'not printed (resolved by staff)',
                     updated_at = ?2
                 WHERE id = ?1",
                params![id, entry.at],
            )
            .map_err(|e| classify(&self.path, e))?;
        }
        let outcome = if printed {
            JobState::Printed
        } else {
            JobState::Failed
        };
        queue_print_result(&tx, id, outcome, &entry.at).map_err(|e| classify(&self.path, e))?;
        insert_audit(&tx, entry).map_err(|e| classify(&self.path, e))?;
        tx.commit().map_err(|e| classify(&self.path, e))?;
        Ok(true)
    }

    /// Nobody can tell what came out (the printer went away or stopped
    /// answering mid-job): the job is uncertain, and no supply is counted.
    /// Only a job still journalled or sending changes; returns whether it
    /// did.
    pub fn mark_uncertain(&mut self, id: i64, reason: &str, at: &str) -> Result<bool, StoreError> {
        let tx = begin(&mut self.conn, &self.path)?;
        let changed = tx
            .execute(
                "UPDATE print_jobs SET state = 'uncertain', reason = ?2, updated_at = ?3
                 WHERE id = ?1 AND state IN ('journalled', 'sending')",
                params![id, reason, at],
            )
            .map_err(|e| classify(&self.path, e))?;
        if changed == 1 {
            queue_print_result(&tx, id, JobState::Uncertain, at)
                .map_err(|e| classify(&self.path, e))?;
        }
        tx.commit().map_err(|e| classify(&self.path, e))?;
        Ok(changed == 1)
    }

    /// Print jobs that are uncertain, newest first (for staff).
    pub fn uncertain_jobs(&self) -> Result<Vec<JobRecord>, StoreError> {
        self.query_all(
            &format!(
                "SELECT {JOB_COLUMNS} FROM print_jobs WHERE state = 'uncertain' ORDER BY id DESC"
            ),
            [],
            job_row,
        )
    }

    /// The newest `limit` print jobs, newest first, in any state.
    pub fn recent_jobs(&self, limit: u32) -> Result<Vec<JobRecord>, StoreError> {
        self.query_all(
            &format!("SELECT {JOB_COLUMNS} FROM print_jobs ORDER BY id DESC LIMIT ?1"),
            [limit],
            job_row,
        )
    }

    /// How many print jobs are in each state, by state (states without a
    /// job are left out).
    pub fn job_counts(&self) -> Result<Vec<(JobState, u64)>, StoreError> {
        self.query_all(
            "SELECT state, COUNT(*) FROM print_jobs GROUP BY state ORDER BY state",
            [],
            |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)),
        )
    }

    /// After a restart: jobs that were journalled or sending when the kiosk
    /// stopped are uncertain — nobody knows what came out — and are shown as
    /// such instead of being guessed printed or retried. Returns their ids.
    pub fn recover_jobs(&mut self, at: &str) -> Result<Vec<i64>, StoreError> {
        let tx = begin(&mut self.conn, &self.path)?;
        let mut ids: Vec<i64> = {
            let mut stmt = tx
                .prepare(
                    "UPDATE print_jobs
                     SET state = 'uncertain', reason = 'the kiosk stopped during the job', updated_at = ?1
                     WHERE state IN ('journalled', 'sending')
                     RETURNING id",
                )
                .map_err(|e| classify(&self.path, e))?;
            let rows = stmt
                .query_map([at], |r| r.get(0))
                .map_err(|e| classify(&self.path, e))?;
            rows.collect::<Result<_, _>>()
                .map_err(|e| classify(&self.path, e))?
        };
        ids.sort_unstable();
        // Each ticket learns that nobody knows what came out; staff's
        // resolution follows as its final result.
        for id in &ids {
            queue_print_result(&tx, *id, JobState::Uncertain, at)
                .map_err(|e| classify(&self.path, e))?;
        }
        tx.commit().map_err(|e| classify(&self.path, e))?;
        Ok(ids)
    }

    /// A print job as journalled.
    pub fn job(&self, id: i64) -> Result<Option<JobRecord>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {JOB_COLUMNS} FROM print_jobs WHERE id = ?1"),
                [id],
                job_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }
}
