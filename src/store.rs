//! The kiosk's one SQLite file (WAL, bundled SQLite): schema migrations in
//! code and errors that say what is wrong with the file (locked, corrupt,
//! disk full) in words staff can act on. It holds no personal data except a
//! submission waiting in the outbox (added by the sync part of the kiosk).
//! Calls block: the UI reaches the store only through tasks off its thread.
//!
//! This file opens the store, migrates it and says what is wrong with it;
//! each concern's methods on [`Store`] live in a child module: the
//! `outbox`, the print-job `journal`, the staff `audit` log, the
//! `catalogue` held, the `supplies` counters and the terminal's `state`
//! (with the configs applied).

mod audit;
mod catalogue;
mod journal;
mod outbox;
mod state;
mod supplies;
#[cfg(test)]
mod tests;

pub use audit::AuditEntry;
pub use catalogue::HeldCatalogue;
pub use journal::{JobRecord, NewJob};
pub use outbox::{Outgoing, Refused};
pub use supplies::{A4_SHEETS, A4_TONER, RECEIPT_MM};

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

/// The outbox's columns after `kind`, as migrations 5 and 6 both create
/// them: one text, so that the table 6 rebuilds cannot drift from the one
/// its `SELECT *` copies. Released: never edit it.
macro_rules! outbox_columns_after_kind {
    () => {
        "
        resident         TEXT NOT NULL,
        idempotency_key  TEXT NOT NULL UNIQUE,
        body             BLOB NOT NULL,
        state            TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'rejected')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        last_error       TEXT NOT NULL DEFAULT '',
        created_at       TEXT NOT NULL"
    };
}

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
    // 3: the print journal and supply counters.
    "CREATE TABLE print_jobs (
        id          INTEGER PRIMARY KEY,
        printer     TEXT NOT NULL,
        kind        TEXT NOT NULL,
        ticket      TEXT NOT NULL DEFAULT '',
        pages       INTEGER NOT NULL CHECK (pages > 0),
        printed     INTEGER NOT NULL DEFAULT 0,
        state       TEXT NOT NULL CHECK (state IN
                        ('journalled', 'sending', 'printed', 'failed', 'uncertain')),
        reason      TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX print_jobs_state ON print_jobs (state);
    CREATE TABLE supplies (
        name        TEXT PRIMARY KEY,
        remaining   INTEGER NOT NULL,
        updated_at  TEXT NOT NULL
    );",
    // 4: the catalogue held: the platform's exact bytes and signature, so
    // it is verified again whenever it is read.
    "CREATE TABLE catalogue (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        version     INTEGER NOT NULL,
        etag        TEXT NOT NULL,
        payload     BLOB NOT NULL,
        signature   TEXT NOT NULL,
        fetched_at  TEXT NOT NULL
    );",
    // 5: the outbox: submissions waiting for the platform's
    // acknowledgement, each with the idempotency key it is always sent
    // with. AUTOINCREMENT: an id (and so a key) is never reused.
    concat!(
        "CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        kind             TEXT NOT NULL CHECK (kind IN ('application', 'rating')),",
        outbox_columns_after_kind!(),
        "
    );"
    ),
    // 6: print results (how printing under a ticket ended) go through
    // the outbox too; SQLite cannot change a CHECK, so the table is
    // rebuilt with its rows, ids and AUTOINCREMENT counter (an id, and so
    // an idempotency key, is never reused, even of a delivered submission).
    concat!(
        "CREATE TABLE outbox_v6 (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        kind             TEXT NOT NULL
                         CHECK (kind IN ('application', 'rating', 'print_result')),",
        outbox_columns_after_kind!(),
        "
    );
    INSERT INTO outbox_v6 SELECT * FROM outbox;
    CREATE TEMP TABLE outbox_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'outbox';
    DROP TABLE outbox;
    ALTER TABLE outbox_v6 RENAME TO outbox;
    DELETE FROM sqlite_sequence WHERE name = 'outbox';
    INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', seq FROM outbox_seq;
    DROP TABLE outbox_seq;"
    ),
    // 7: whether the platform has been told of each audit entry (they go
    // out with heartbeats), and every confirmed use of a supply, for
    // estimating how long the rest lasts.
    "ALTER TABLE audit_log ADD COLUMN reported INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE supply_usage (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL,
        amount  INTEGER NOT NULL,
        at      TEXT NOT NULL
    );
    CREATE INDEX supply_usage_name_at ON supply_usage (name, at);",
    // 8: a refused submission keeps what staff need to act on it (what it
    // was for, when and why it was refused); its body only for
    // `store.refused_keep_days`. Rows refused before this get the full
    // time from now. (Keys are random from now on; rows already queued
    // keep theirs: the platform may hold them under it.)
    "ALTER TABLE outbox ADD COLUMN summary TEXT NOT NULL DEFAULT '';
    ALTER TABLE outbox ADD COLUMN refused_unix INTEGER;
    UPDATE outbox SET refused_unix = CAST(strftime('%s', 'now') AS INTEGER)
        WHERE state = 'rejected';",
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
    /// There is no store to read yet (opened read-only before the kiosk
    /// first ran).
    #[error(
        "there is no Tongban database at {path}; the kiosk creates it when it first starts (check --data-dir and the config's store.path)"
    )]
    NotCreated {
        /// Where it was looked for.
        path: PathBuf,
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

/// Builds `$record` from `$row`, whose columns are the listed fields in
/// the same order: the one way a SELECT list fills the struct it is read
/// into (fields are evaluated in the order written).
macro_rules! record_from_row {
    ($row:expr, $record:ident { $($field:ident),* $(,)? }) => {{
        let mut column = 0_usize..;
        $record {
            $($field: $row.get(column.next().unwrap_or_default())?,)*
        }
    }};
}
use record_from_row;

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// An enum stored as one word per variant (what the table's CHECK
/// allows): `as_str`, `Display`, `ToSql` and `FromSql`, which refuses any
/// other word.
macro_rules! stored_word {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant,)+
        }

        impl $name {
            /// The stored word.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                match value.as_str()? {
                    $($word => Ok(Self::$variant),)+
                    other => Err(rusqlite::types::FromSqlError::Other(
                        format!(concat!("unknown ", stringify!($name), " {:?}"), other).into(),
                    )),
                }
            }
        }
    };
}

stored_word! {
    /// What a submission in the outbox is: each kind goes to its own
    /// platform endpoint.
    pub enum SubmissionKind {
        /// A resident's application for an item.
        Application = "application",
        /// A resident's rating of the service.
        Rating = "rating",
        /// How printing under a licence ticket ended.
        PrintResult = "print_result",
    }
}

stored_word! {
    /// Where a journalled print job is.
    pub enum JobState {
        /// Journalled, not yet sent to the printer.
        Journalled = "journalled",
        /// Being sent; the printer has not said how it ended.
        Sending = "sending",
        /// Every page came out.
        Printed = "printed",
        /// Some or all pages did not come out.
        Failed = "failed",
        /// Nobody knows what came out (the kiosk stopped or the printer
        /// went away mid-job): staff resolve it.
        Uncertain = "uncertain",
    }
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
        store.prepare(busy)?;
        Ok(store)
    }

    /// Opens the database at `path` for reading only, as `kioskctl` does:
    /// nothing is created, migrated or written, so staff commands never
    /// change the kiosk's data (every write through this handle fails).
    /// A missing or never-initialised file is [`StoreError::NotCreated`],
    /// one written by a newer kiosk [`StoreError::NewerSchema`]; an older
    /// schema is read as far as its tables go.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        if !path.exists() {
            return Err(StoreError::NotCreated {
                path: path.to_owned(),
            });
        }
        // Failing to open a file for reading is not about writing it.
        let cannot_read = |e: rusqlite::Error| match classify(path, e) {
            StoreError::ReadOnly { path, reason } => StoreError::Other {
                path,
                reason: format!("cannot read it: {reason}"),
            },
            other => other,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(cannot_read)?;
        conn.busy_timeout(Duration::from_secs(2))
            .map_err(cannot_read)?;
        conn.execute_batch("PRAGMA query_only = ON")
            .map_err(cannot_read)?;
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(cannot_read)?;
        if check != "ok" {
            return Err(StoreError::Corrupt {
                path: path.to_owned(),
            });
        }
        let store = Self {
            conn,
            path: path.to_owned(),
        };
        match store.schema_version()? {
            0 => Err(StoreError::NotCreated {
                path: path.to_owned(),
            }),
            found if found > SCHEMA_VERSION => Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found,
                supported: SCHEMA_VERSION,
            }),
            _ => Ok(store),
        }
    }

    /// What a SQLite error means for this store's file.
    fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }

    /// Readies a file opened for writing: WAL, the pragmas every
    /// connection needs, an integrity check, then the pending migrations.
    fn prepare(&mut self, busy: Duration) -> Result<(), StoreError> {
        // Reading the header is the first thing that fails on a file that is
        // not a database; quick_check finds damaged pages. Switching a new
        // file to WAL needs it alone and SQLite answers "busy" at once
        // rather than waiting, so that is retried for the busy time.
        let deadline = std::time::Instant::now() + busy;
        let mode: String = loop {
            match self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            {
                Ok(mode) => break mode,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if matches!(
                        e.code,
                        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                    ) && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(self.err(e)),
            }
        };
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Other {
                path: self.path.clone(),
                reason: format!("cannot switch to WAL journal (got {mode})"),
            });
        }
        self.conn
            // secure_delete: a delivered submission's bytes are overwritten,
            // not left in free pages of the file.
            .execute_batch(
                "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
            )
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

    /// Applies the migrations the file has not had yet, one transaction
    /// each.
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
        if current == SCHEMA_VERSION {
            return Ok(());
        }
        // Each step takes the write lock first and reads the version under
        // it: two connections opening a new file at once (the UI's tasks,
        // the printer and platform threads) never apply a step twice.
        loop {
            let tx = begin(&mut self.conn, &self.path)?;
            let current: u32 = tx
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(|e| classify(&self.path, e))?;
            let Some(sql) = MIGRATIONS.get(current as usize) else {
                return Ok(());
            };
            let version = current + 1;
            tx.execute_batch(sql).map_err(|e| classify(&self.path, e))?;
            tx.pragma_update(None, "user_version", version)
                .map_err(|e| classify(&self.path, e))?;
            tx.commit().map_err(|e| classify(&self.path, e))?;
            tracing::info!(version, "store migrated");
        }
    }

    /// Runs one statement that changes the file.
    fn execute<P: rusqlite::Params>(&self, sql: &str, params: P) -> Result<(), StoreError> {
        self.conn
            .execute(sql, params)
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Every row `sql` selects with `params`, each read by `map`.
    fn query_all<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params, map)
            .map_err(|e| classify(&self.path, e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| classify(&self.path, e))
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Runs `sql` (taking one id) for each of `ids`, in one transaction.
    fn execute_each(&mut self, sql: &str, ids: &[i64]) -> Result<(), StoreError> {
        let tx = begin(&mut self.conn, &self.path)?;
        {
            let mut stmt = tx
                .prepare_cached(sql)
                .map_err(|e| classify(&self.path, e))?;
            for id in ids {
                stmt.execute([id]).map_err(|e| classify(&self.path, e))?;
            }
        }
        tx.commit().map_err(|e| classify(&self.path, e))
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

    /// The connection itself, for tests that inspect or constrain the file.
    #[cfg(test)]
    fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Starts a write transaction on `conn` (the store's file at `path`),
/// taking the write lock at once so that what it reads stays true until
/// it commits.
fn begin<'c>(
    conn: &'c mut Connection,
    path: &Path,
) -> Result<rusqlite::Transaction<'c>, StoreError> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| classify(path, e))
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
