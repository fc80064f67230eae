//! The outbox: submissions (applications, ratings, print results) kept
//! until the platform acknowledges them, each always sent with its own
//! idempotency key, and those the platform refused kept for staff.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, SubmissionKind, begin, classify, record_from_row};

/// A submission waiting in the outbox.
#[derive(Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Its place in the queue.
    pub id: i64,
    /// What it is.
    pub kind: SubmissionKind,
    /// The platform's resident reference.
    pub resident: String,
    /// Sent with every try.
    pub idempotency_key: String,
    /// The JSON body.
    pub body: Vec<u8>,
}

/// The body is a resident's form: overwritten when dropped.
impl Drop for Outgoing {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.body);
    }
}

impl zeroize::ZeroizeOnDrop for Outgoing {}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Outgoing({} #{})", self.kind, self.id)
    }
}

/// A refused submission, for staff.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refused {
    /// Its place in the outbox.
    pub id: i64,
    /// What it is.
    pub kind: SubmissionKind,
    /// What it was for: the item (application, rating) or the ticket.
    pub summary: String,
    /// When it was taken (RFC 3339).
    pub created_at: String,
    /// When the platform refused it (Unix seconds).
    pub refused_unix: Option<i64>,
    /// The platform's reason.
    pub reason: String,
    /// Whether the resident's form is still kept (dropped after
    /// `store.refused_keep_days`).
    pub body_kept: bool,
}

/// Adds one submission to the outbox inside the caller's transaction
/// and returns its idempotency key: 128 bits from SQLite's CSPRNG.
pub(super) fn enqueue_in(
    tx: &rusqlite::Transaction<'_>,
    kind: SubmissionKind,
    resident: &str,
    body: &[u8],
    at: &str,
) -> rusqlite::Result<String> {
    tx.query_row(
        "INSERT INTO outbox (kind, resident, idempotency_key, body, created_at)
         VALUES (?1, ?2, lower(hex(randomblob(16))), ?3, ?4)
         RETURNING idempotency_key",
        params![kind, resident, body, at],
        |r| r.get(0),
    )
}

impl Store {
    /// Puts a submission in the outbox, committed before the resident is
    /// told it was taken. Returns its idempotency key (see
    /// [`Store::enqueue_all`]).
    pub fn enqueue(
        &mut self,
        kind: SubmissionKind,
        resident: &str,
        body: &[u8],
        at: &str,
    ) -> Result<String, StoreError> {
        let mut keys = self.enqueue_all(kind, resident, &[body], at)?;
        Ok(keys.remove(0))
    }

    /// Puts several submissions of one resident in the outbox in one
    /// transaction (a "一件事" bundle: all of them or none). Returns their
    /// idempotency keys, in order: 128 random bits each (32 hex digits),
    /// unique for ever — a store made anew (a corrupt one moved aside, a
    /// purge and reinstall, a replaced unit keeping its terminal id) never
    /// sends a key the platform already holds for another submission.
    pub fn enqueue_all(
        &mut self,
        kind: SubmissionKind,
        resident: &str,
        bodies: &[impl AsRef<[u8]>],
        at: &str,
    ) -> Result<Vec<String>, StoreError> {
        let tx = begin(&mut self.conn, &self.path)?;
        let mut keys = Vec::with_capacity(bodies.len());
        for body in bodies {
            keys.push(
                enqueue_in(&tx, kind, resident, body.as_ref(), at)
                    .map_err(|e| classify(&self.path, e))?,
            );
        }
        tx.commit().map_err(|e| classify(&self.path, e))?;
        Ok(keys)
    }

    /// Queued submissions of the same resident taken before the one with
    /// this key (it may be sent at once only when there are none, so each
    /// resident's submissions arrive in order).
    pub fn outbox_ahead_of(&self, key: &str) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM outbox o JOIN outbox me
                   ON o.resident = me.resident AND o.id < me.id
                 WHERE me.idempotency_key = ?1 AND o.state = 'queued'",
                [key],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// Removes one acknowledged submission by its key (sent at once by the
    /// UI's task; the platform thread may have sent it too, harmlessly).
    pub fn outbox_done_key(&mut self, key: &str) -> Result<(), StoreError> {
        self.execute("DELETE FROM outbox WHERE idempotency_key = ?1", [key])
    }

    /// The oldest `limit` queued submissions, in the order they were
    /// taken.
    pub fn outbox_head(&self, limit: u32) -> Result<Vec<Outgoing>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, kind, resident, idempotency_key, body FROM outbox
                 WHERE state = 'queued' ORDER BY id LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([limit], |r| {
                Ok(record_from_row!(
                    r,
                    Outgoing {
                        id,
                        kind,
                        resident,
                        idempotency_key,
                        body
                    }
                ))
            })
            .map_err(|e| classify(&self.path, e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| classify(&self.path, e))
    }

    /// Removes acknowledged submissions (one transaction for the lot: a
    /// crash before it only means they are sent again, which their keys
    /// make harmless).
    pub fn outbox_done(&mut self, ids: &[i64]) -> Result<(), StoreError> {
        self.execute_each("DELETE FROM outbox WHERE id = ?1", ids)
    }

    /// The platform refused a submission for good: it stays, marked, for
    /// staff to see (what it was for, when and why), and stops holding up
    /// the queue. Its body — the resident's form — goes after
    /// `store.refused_keep_days` ([`Store::outbox_drop_refused_bodies`]).
    pub fn outbox_reject(&mut self, id: i64, reason: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE outbox SET state = 'rejected', last_error = ?2, attempts = attempts + 1,
                     refused_unix = CAST(strftime('%s', 'now') AS INTEGER),
                     summary = CASE WHEN json_valid(CAST(body AS TEXT))
                         THEN COALESCE(json_extract(CAST(body AS TEXT), '$.item'),
                                       json_extract(CAST(body AS TEXT), '$.ticket'), '')
                         ELSE '' END
                 WHERE id = ?1",
                params![id, reason],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Drops the body (the resident's form) of every submission refused
    /// at or before `before_unix`, keeping what staff need: kind, what it
    /// was for, when, why. Returns how many bodies went.
    pub fn outbox_drop_refused_bodies(&mut self, before_unix: i64) -> Result<usize, StoreError> {
        self.conn
            .execute(
                "UPDATE outbox SET body = x''
                 WHERE state = 'rejected' AND refused_unix <= ?1 AND length(body) > 0",
                [before_unix],
            )
            .map_err(|e| self.err(e))
    }

    /// The newest `limit` refused submissions, newest first (for staff).
    pub fn outbox_refused(&self, limit: u32) -> Result<Vec<Refused>, StoreError> {
        self.query_all(
            "SELECT id, kind, summary, created_at, refused_unix, last_error, length(body) > 0
             FROM outbox WHERE state = 'rejected' ORDER BY id DESC LIMIT ?1",
            [limit],
            |r| {
                Ok(record_from_row!(
                    r,
                    Refused {
                        id,
                        kind,
                        summary,
                        created_at,
                        refused_unix,
                        reason,
                        body_kept,
                    }
                ))
            },
        )
    }

    /// How many submissions are in `state`.
    fn outbox_count(&self, state: &str) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM outbox WHERE state = ?1",
                [state],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// Submissions still waiting.
    pub fn outbox_depth(&self) -> Result<u64, StoreError> {
        self.outbox_count("queued")
    }

    /// Submissions the platform refused for good, kept for staff.
    pub fn outbox_rejected(&self) -> Result<u64, StoreError> {
        self.outbox_count("rejected")
    }

    /// When the oldest submission still waiting was taken (RFC 3339).
    pub fn outbox_oldest(&self) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT created_at FROM outbox WHERE state = 'queued' ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }
}
