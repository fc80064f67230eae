//! What the terminal keeps about itself across restarts: pieces of
//! terminal state (out of service, device health) and the configs applied.

use rusqlite::{OptionalExtension, params};

use super::{AuditEntry, Store, StoreError};

/// A piece of terminal state, replaced.
const SET_STATE: &str = "INSERT INTO terminal_state (key, value, at) VALUES (?1, ?2, ?3)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, at = excluded.at";

impl Store {
    /// Sets a piece of terminal state that survives restarts.
    pub fn set_state(&mut self, key: &str, value: &str, at: &str) -> Result<(), StoreError> {
        self.execute(SET_STATE, params![key, value, at])
    }

    /// Sets a piece of terminal state and writes the audit entry that says
    /// who changed it, in one transaction: never one without the other.
    pub fn set_state_audited(
        &mut self,
        key: &str,
        value: &str,
        entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        self.execute_audited(SET_STATE, params![key, value, entry.at], entry)
    }

    /// Reads a piece of terminal state.
    pub fn state(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT value FROM terminal_state WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every piece of terminal state whose key starts with `prefix`, by
    /// key: (key, value, when it was set).
    pub fn states_with_prefix(
        &self,
        prefix: &str,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        self.query_all(
            "SELECT key, value, at FROM terminal_state
                 WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
            [prefix],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    /// Records that a config was applied, unless the same one was the last
    /// applied. Returns whether a row was written.
    pub fn record_config_applied(
        &mut self,
        fingerprint: &str,
        layers: &str,
        at: &str,
    ) -> Result<bool, StoreError> {
        let last: Option<String> = self
            .conn
            .query_row(
                "SELECT fingerprint FROM config_applied ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if last.as_deref() == Some(fingerprint) {
            return Ok(false);
        }
        self.conn
            .execute(
                "INSERT INTO config_applied (applied_at, fingerprint, layers) VALUES (?1, ?2, ?3)",
                params![at, fingerprint, layers],
            )
            .map_err(|e| self.err(e))?;
        Ok(true)
    }

    /// How many configs have been applied on this terminal.
    pub fn configs_applied(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM config_applied", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }
}
