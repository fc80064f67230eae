//! The staff audit log: who did what on the terminal, kept for staff and
//! reported to the platform with the heartbeats.

use rusqlite::{Connection, params};

use super::{Store, StoreError, begin, classify};

/// Writes one audit entry on `conn` (a transaction, where it must go with
/// the change it records).
pub(super) fn insert_audit(conn: &Connection, entry: &AuditEntry) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
        params![entry.at, entry.actor, entry.action, entry.detail],
    )
    .map(|_| ())
}

/// One row of the staff audit log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// RFC 3339 time.
    pub at: String,
    /// Staff id or "system".
    pub actor: String,
    /// What was done.
    pub action: String,
    /// Free text without personal data.
    pub detail: String,
}

/// An audit entry selected as at, actor, action, detail.
fn audit_row(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        at: r.get(first)?,
        actor: r.get(first + 1)?,
        action: r.get(first + 2)?,
        detail: r.get(first + 3)?,
    })
}

impl Store {
    /// Appends to the staff audit log.
    pub fn audit(&mut self, entry: &AuditEntry) -> Result<(), StoreError> {
        insert_audit(&self.conn, entry).map_err(|e| self.err(e))
    }

    /// Runs `sql` with `params` and writes the audit entry that says who
    /// did it, in one transaction: never one without the other.
    pub(super) fn execute_audited<P: rusqlite::Params>(
        &mut self,
        sql: &str,
        params: P,
        entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        let tx = begin(&mut self.conn, &self.path)?;
        tx.execute(sql, params)
            .map_err(|e| classify(&self.path, e))?;
        insert_audit(&tx, entry).map_err(|e| classify(&self.path, e))?;
        tx.commit().map_err(|e| classify(&self.path, e))
    }

    /// The newest `limit` audit entries, newest first.
    pub fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([limit], |r| audit_row(r, 0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The oldest `limit` audit entries the platform has not been told of
    /// yet, oldest first, with their ids for [`Store::mark_audit_reported`].
    pub fn unreported_audit(&self, limit: u32) -> Result<Vec<(i64, AuditEntry)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, at, actor, action, detail FROM audit_log
                 WHERE reported = 0 ORDER BY id LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([limit], |r| Ok((r.get(0)?, audit_row(r, 1)?)))
            .map_err(|e| classify(&self.path, e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| classify(&self.path, e))
    }

    /// The platform took these audit entries (its heartbeat answer came):
    /// they are not sent again.
    pub fn mark_audit_reported(&mut self, ids: &[i64]) -> Result<(), StoreError> {
        self.execute_each("UPDATE audit_log SET reported = 1 WHERE id = ?1", ids)
    }
}
