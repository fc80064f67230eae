//! Supply counters (paper, toner, receipt roll): printing spends them,
//! staff restock them, and every use is recorded for the estimate of how
//! long the rest lasts.

use rusqlite::{OptionalExtension, params};

use super::{AuditEntry, Store, StoreError};

/// A supply counter, replaced (name, remaining, when).
const SET_SUPPLY: &str = "INSERT INTO supplies (name, remaining, updated_at) VALUES (?1, ?2, ?3)
     ON CONFLICT(name) DO UPDATE SET remaining = excluded.remaining, updated_at = excluded.updated_at";

/// Supply counter of the A4 tray (the store keeps the supply counters;
/// printing spends them and staff restock them), in sheets.
pub const A4_SHEETS: &str = "a4_sheets";
/// Supply counter of the A4 printer's toner cartridge, in the pages it
/// has left.
pub const A4_TONER: &str = "a4_toner_pages";
/// Supply counter of the receipt roll, in millimetres.
pub const RECEIPT_MM: &str = "receipt_mm";

/// Counts `amount` of a supply as used, inside the caller's transaction:
/// its counter goes down (never below zero) and the use is recorded for
/// the estimate of how long the rest lasts. Nothing happens for nothing
/// used.
pub(super) fn use_supply(
    tx: &rusqlite::Transaction<'_>,
    name: &str,
    amount: i64,
    at: &str,
) -> rusqlite::Result<()> {
    if amount <= 0 {
        return Ok(());
    }
    tx.execute(
        "UPDATE supplies SET remaining = MAX(remaining - ?2, 0), updated_at = ?3 WHERE name = ?1",
        params![name, amount, at],
    )?;
    tx.execute(
        "INSERT INTO supply_usage (name, amount, at) VALUES (?1, ?2, ?3)",
        params![name, amount, at],
    )?;
    Ok(())
}

impl Store {
    /// Sets a supply counter (staff restocked).
    pub fn set_supply(&mut self, name: &str, remaining: i64, at: &str) -> Result<(), StoreError> {
        self.execute(SET_SUPPLY, params![name, remaining, at])
    }

    /// Staff restocked a supply: its counter is set and the audit entry
    /// written, in one transaction (both or neither).
    pub fn restock(
        &mut self,
        name: &str,
        remaining: i64,
        entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        self.execute_audited(SET_SUPPLY, params![name, remaining, entry.at], entry)
    }

    /// How much of a supply was used from `since` (RFC 3339) on, and when
    /// the first of those uses was. Times are compared as instants, so
    /// entries written under another UTC offset count correctly.
    pub fn usage_since(
        &self,
        name: &str,
        since: &str,
    ) -> Result<(i64, Option<String>), StoreError> {
        self.conn
            .query_row(
                "SELECT COALESCE(SUM(amount), 0),
                        (SELECT at FROM supply_usage
                         WHERE name = ?1 AND julianday(at) >= julianday(?2)
                         ORDER BY julianday(at), id LIMIT 1)
                 FROM supply_usage WHERE name = ?1 AND julianday(at) >= julianday(?2)",
                params![name, since],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))
    }

    /// A supply counter, if set.
    pub fn supply(&self, name: &str) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row(
                "SELECT remaining FROM supplies WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every supply counter with when it last changed, by name: (name,
    /// remaining, updated at).
    pub fn supply_counters(&self) -> Result<Vec<(String, i64, String)>, StoreError> {
        self.query_all(
            "SELECT name, remaining, updated_at FROM supplies ORDER BY name",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    /// Every supply counter, by name.
    pub fn supplies(&self) -> Result<Vec<(String, i64)>, StoreError> {
        self.query_all(
            "SELECT name, remaining FROM supplies ORDER BY name",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }
}
