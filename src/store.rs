//! The kiosk's one SQLite file (WAL, bundled SQLite): schema migrations in
//! code and errors that say what is wrong with the file (locked, corrupt,
//! disk full) in words staff can act on. It holds no personal data except a
//! submission waiting in the outbox (added by the sync part of the kiosk).
//! Calls block: the UI reaches the store only through tasks off its thread.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};

/// Schema migrations, applied in order; `PRAGMA user_version` records how
/// many have run. Never edit a released migration: append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: config versions applied and the staff audit log.
    "CREATE TABLE config_applied (
        id          INTEGER PRIMARY KEY,
        applied_at  TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        layers      TEXT NOT NULL
    );
    CREATE TABLE audit_log (
        id       INTEGER PRIMARY KEY,
        at       TEXT NOT NULL,
        actor    TEXT NOT NULL,
        action   TEXT NOT NULL,
        detail   TEXT NOT NULL DEFAULT ''
    );",
    // 2: service state that must survive a restart (out of service set by staff).
    "CREATE TABLE terminal_state (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL,
        at     TEXT NOT NULL
    );",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// What went wrong with the store, in terms of the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process holds the database.
    #[error(
        "the database {path} is locked by another process (is a second kiosk running?); stop it and start again"
    )]
    Locked {
        /// The database file.
        path: PathBuf,
    },
    /// The file is not a database or is damaged.
    #[error(
        "the database {path} is corrupt or not a Tongban database; move it aside so a new one is created, and keep it for analysis"
    )]
    Corrupt {
        /// The database file.
        path: PathBuf,
    },
    /// No space left.
    #[error("the disk holding {path} is full; free space, then try again (nothing was lost)")]
    DiskFull {
        /// The database file.
        path: PathBuf,
    },
    /// The file or its folder cannot be written.
    #[error("cannot write the database {path}: {reason}")]
    ReadOnly {
        /// The database file.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// Written by a newer kiosk.
    #[error(
        "the database {path} has schema version {found}, newer than this kiosk's {supported}; install the newer kiosk again"
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// Version found in the file.
        found: u32,
        /// Newest version this build knows.
        supported: u32,
    },
    /// Anything else SQLite reported.
    #[error("database {path}: {reason}")]
    Other {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        reason: String,
    },
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// One row of the staff audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
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

impl Store {
    /// Opens (creating if needed) the database at `path`, checks it and
    /// applies pending migrations. `busy` is how long to wait for a lock.
    pub fn open(path: &Path, busy: Duration) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::ReadOnly {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        conn.busy_timeout(busy).map_err(|e| classify(path, e))?;
        let mut store = Self {
            conn,
            path: path.to_owned(),
        };
        store.prepare()?;
        Ok(store)
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }

    fn prepare(&mut self) -> Result<(), StoreError> {
        // Reading the header is the first thing that fails on a file that is
        // not a database; quick_check finds damaged pages.
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Other {
                path: self.path.clone(),
                reason: format!("cannot switch to WAL journal (got {mode})"),
            });
        }
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(|e| self.err(e))?;
        let check: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if check != "ok" {
            return Err(StoreError::Corrupt {
                path: self.path.clone(),
            });
        }
        self.migrate()
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let current: u32 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if current > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found: current,
                supported: SCHEMA_VERSION,
            });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let version = index as u32 + 1;
            let tx = self
                .conn
                .transaction()
                .map_err(|e| classify(&self.path, e))?;
            tx.execute_batch(sql).map_err(|e| classify(&self.path, e))?;
            tx.pragma_update(None, "user_version", version)
                .map_err(|e| classify(&self.path, e))?;
            tx.commit().map_err(|e| classify(&self.path, e))?;
            tracing::info!(version, "store migrated");
        }
        Ok(())
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))
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

    /// Appends to the staff audit log.
    pub fn audit(&mut self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
                params![entry.at, entry.actor, entry.action, entry.detail],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// The newest `limit` audit entries, newest first.
    pub fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([limit], |r| {
                Ok(AuditEntry {
                    at: r.get(0)?,
                    actor: r.get(1)?,
                    action: r.get(2)?,
                    detail: r.get(3)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Sets a piece of terminal state that survives restarts.
    pub fn set_state(&mut self, key: &str, value: &str, at: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO terminal_state (key, value, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value, at = excluded.at",
                params![key, value, at],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
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

    /// Flushes the WAL into the main file; called on a clean shutdown.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .map_err(|e| self.err(e))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    #[cfg(test)]
    fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Turns a SQLite error into what it means for the file.
fn classify(path: &Path, error: rusqlite::Error) -> StoreError {
    let path = path.to_owned();
    if let rusqlite::Error::SqliteFailure(ffi, ref message) = error {
        match ffi.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                return StoreError::Locked { path };
            }
            ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
                return StoreError::Corrupt { path };
            }
            ErrorCode::DiskFull => return StoreError::DiskFull { path },
            ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                return StoreError::ReadOnly {
                    path,
                    reason: message.clone().unwrap_or_else(|| ffi.to_string()),
                };
            }
            _ => {}
        }
    }
    StoreError::Other {
        path,
        reason: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &tempfile::TempDir) -> Store {
        Store::open(&dir.path().join("kiosk.db"), Duration::from_millis(100)).expect("opens")
    }

    #[test]
    fn a_new_file_gets_every_migration_and_wal() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir);
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let mode: String = store
            .connection()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn data_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut store = open(&dir);
            assert!(
                store
                    .record_config_applied("abc", "defaults", "2026-11-24T08:00:00+08:00")
                    .unwrap()
            );
            assert!(
                !store
                    .record_config_applied("abc", "defaults", "2026-11-24T08:01:00+08:00")
                    .unwrap()
            );
            store.set_state("out_of_service", "paper", "t").unwrap();
        }
        let store = open(&dir);
        assert_eq!(store.configs_applied().unwrap(), 1);
        assert_eq!(
            store.state("out_of_service").unwrap().as_deref(),
            Some("paper")
        );
    }

    #[test]
    fn a_file_that_is_not_a_database_is_reported_as_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        std::fs::write(&path, vec![0x5a; 8192]).unwrap();
        let err = Store::open(&path, Duration::from_millis(100)).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        assert!(err.to_string().contains("corrupt"));
        // Nothing was overwritten: the evidence is still there.
        assert_eq!(std::fs::read(&path).unwrap(), vec![0x5a; 8192]);
    }

    #[test]
    fn a_database_locked_by_another_process_is_reported_as_locked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        drop(open(&dir));
        let other = Connection::open(&path).unwrap();
        other
            .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
            .unwrap();
        let err = Store::open(&path, Duration::from_millis(50)).unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err:?}");
        assert!(err.to_string().contains("locked"));
    }

    #[test]
    fn a_full_disk_is_reported_as_disk_full_and_keeps_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        store
            .audit(&AuditEntry {
                at: "t0".into(),
                actor: "system".into(),
                action: "first".into(),
                detail: String::new(),
            })
            .unwrap();
        // Cap the file at its current size: the next large write cannot fit,
        // exactly as when the disk is full.
        let pages: u64 = store
            .connection()
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        store
            .connection()
            .execute_batch(&format!("PRAGMA max_page_count = {pages}"))
            .unwrap();
        let err = store
            .audit(&AuditEntry {
                at: "t1".into(),
                actor: "system".into(),
                action: "big".into(),
                detail: "x".repeat(1 << 20),
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::DiskFull { .. }), "{err:?}");
        assert!(err.to_string().contains("full"));
        let log = store.audit_log(10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].action, "first");
    }

    #[test]
    fn a_database_from_a_newer_kiosk_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        drop(open(&dir));
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let err = Store::open(&path, Duration::from_millis(50)).unwrap_err();
        assert!(matches!(err, StoreError::NewerSchema { .. }), "{err:?}");
    }
}
