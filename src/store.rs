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
    "CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        kind             TEXT NOT NULL CHECK (kind IN ('application', 'rating')),
        resident         TEXT NOT NULL,
        idempotency_key  TEXT NOT NULL UNIQUE,
        body             BLOB NOT NULL,
        state            TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'rejected')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        last_error       TEXT NOT NULL DEFAULT '',
        created_at       TEXT NOT NULL
    );",
    // 6: print results (how printing under a ticket ended) go through
    // the outbox too; SQLite cannot change a CHECK, so the table is
    // rebuilt with its rows, ids and AUTOINCREMENT counter (an id, and so
    // an idempotency key, is never reused, even of a delivered submission).
    "CREATE TABLE outbox_v6 (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        kind             TEXT NOT NULL
                         CHECK (kind IN ('application', 'rating', 'print_result')),
        resident         TEXT NOT NULL,
        idempotency_key  TEXT NOT NULL UNIQUE,
        body             BLOB NOT NULL,
        state            TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'rejected')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        last_error       TEXT NOT NULL DEFAULT '',
        created_at       TEXT NOT NULL
    );
    INSERT INTO outbox_v6 SELECT * FROM outbox;
    CREATE TEMP TABLE outbox_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'outbox';
    DROP TABLE outbox;
    ALTER TABLE outbox_v6 RENAME TO outbox;
    DELETE FROM sqlite_sequence WHERE name = 'outbox';
    INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', seq FROM outbox_seq;
    DROP TABLE outbox_seq;",
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

/// One audit entry.
const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)";
/// A piece of terminal state, replaced.
const SET_STATE: &str = "INSERT INTO terminal_state (key, value, at) VALUES (?1, ?2, ?3)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, at = excluded.at";

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

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

/// The catalogue as held: what the platform signed, byte for byte.
#[derive(Clone, PartialEq, Eq)]
pub struct HeldCatalogue {
    /// Its version.
    pub version: u64,
    /// The platform's ETag for it.
    pub etag: String,
    /// The document.
    pub payload: Vec<u8>,
    /// Its signature, base64.
    pub signature: String,
}

impl std::fmt::Debug for HeldCatalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "HeldCatalogue(v{}, {} bytes)",
            self.version,
            self.payload.len()
        )
    }
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

/// Supply counter of the A4 tray (the store keeps the supply counters;
/// printing spends them and staff restock them), in sheets.
pub const A4_SHEETS: &str = "a4_sheets";
/// Supply counter of the A4 printer's toner cartridge, in the pages it
/// has left.
pub const A4_TONER: &str = "a4_toner_pages";
/// Supply counter of the receipt roll, in millimetres.
pub const RECEIPT_MM: &str = "receipt_mm";

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

/// The columns [`job_row`] reads, in its order.
const JOB_COLUMNS: &str =
    "id, printer, kind, ticket, pages, printed, state, reason, created_at, updated_at";

/// A `print_jobs` row selected as [`JOB_COLUMNS`].
fn job_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobRecord> {
    Ok(JobRecord {
        id: r.get(0)?,
        printer: r.get(1)?,
        kind: r.get(2)?,
        ticket: r.get(3)?,
        pages: r.get(4)?,
        printed: r.get(5)?,
        state: r.get(6)?,
        reason: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
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

/// Counts `amount` of a supply as used, inside the caller's transaction:
/// its counter goes down (never below zero) and the use is recorded for
/// the estimate of how long the rest lasts. Nothing happens for nothing
/// used.
fn use_supply(
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

/// Adds one submission to the outbox inside the caller's transaction
/// and returns its idempotency key: 128 bits from SQLite's CSPRNG.
fn enqueue_in(
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

    fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }

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
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| classify(&self.path, e))?;
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
                INSERT_AUDIT,
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

    /// Runs `sql` (taking one id) for each of `ids`, in one transaction.
    fn execute_each(&mut self, sql: &str, ids: &[i64]) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(&self.path, e))?;
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

    /// Sets a piece of terminal state that survives restarts.
    pub fn set_state(&mut self, key: &str, value: &str, at: &str) -> Result<(), StoreError> {
        self.conn
            .execute(SET_STATE, params![key, value, at])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Sets a piece of terminal state and writes the audit entry that says
    /// who changed it, in one transaction: never one without the other.
    pub fn set_state_audited(
        &mut self,
        key: &str,
        value: &str,
        entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(&self.path, e))?;
        tx.execute(SET_STATE, params![key, value, entry.at])
            .map_err(|e| classify(&self.path, e))?;
        tx.execute(
            INSERT_AUDIT,
            params![entry.at, entry.actor, entry.action, entry.detail],
        )
        .map_err(|e| classify(&self.path, e))?;
        tx.commit().map_err(|e| classify(&self.path, e))
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
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(&self.path, e))?;
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
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(&self.path, e))?;
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
        tx.execute(
            INSERT_AUDIT,
            params![entry.at, entry.actor, entry.action, entry.detail],
        )
        .map_err(|e| classify(&self.path, e))?;
        tx.commit().map_err(|e| classify(&self.path, e))?;
        Ok(true)
    }

    /// Nobody can tell what came out (the printer went away or stopped
    /// answering mid-job): the job is uncertain, and no supply is counted.
    /// Only a job still journalled or sending changes; returns whether it
    /// did.
    pub fn mark_uncertain(&mut self, id: i64, reason: &str, at: &str) -> Result<bool, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(&self.path, e))?;
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
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(&self.path, e))?;
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

    /// Sets a supply counter (staff restocked).
    pub fn set_supply(&mut self, name: &str, remaining: i64, at: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO supplies (name, remaining, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name) DO UPDATE SET remaining = excluded.remaining, updated_at = excluded.updated_at",
                params![name, remaining, at],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Staff restocked a supply: its counter is set and the audit entry
    /// written, in one transaction (both or neither).
    pub fn restock(
        &mut self,
        name: &str,
        remaining: i64,
        entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(&self.path, e))?;
        tx.execute(
            "INSERT INTO supplies (name, remaining, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(name) DO UPDATE SET remaining = excluded.remaining, updated_at = excluded.updated_at",
            params![name, remaining, entry.at],
        )
        .map_err(|e| classify(&self.path, e))?;
        tx.execute(
            INSERT_AUDIT,
            params![entry.at, entry.actor, entry.action, entry.detail],
        )
        .map_err(|e| classify(&self.path, e))?;
        tx.commit().map_err(|e| classify(&self.path, e))
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

    /// The catalogue held, if any.
    pub fn catalogue(&self) -> Result<Option<HeldCatalogue>, StoreError> {
        self.conn
            .query_row(
                "SELECT version, etag, payload, signature FROM catalogue WHERE id = 1",
                [],
                |r| {
                    Ok(HeldCatalogue {
                        version: r.get::<_, i64>(0)? as u64,
                        etag: r.get(1)?,
                        payload: r.get(2)?,
                        signature: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The version and ETag of the catalogue held, without reading it.
    pub fn catalogue_tag(&self) -> Result<Option<(u64, String)>, StoreError> {
        self.conn
            .query_row(
                "SELECT version, etag FROM catalogue WHERE id = 1",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Forgets the held catalogue (it no longer verifies): the next one
    /// offered is taken whatever its version.
    pub fn forget_catalogue(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM catalogue WHERE id = 1", [])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Records the platform's ETag for the catalogue held.
    pub fn set_catalogue_etag(&mut self, etag: &str) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE catalogue SET etag = ?1 WHERE id = 1", [etag])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Replaces the held catalogue in one statement: a reader sees the old
    /// one or the new one, never a mix, and a crash keeps the old one.
    /// A catalogue that is not newer than the one held is refused (returns
    /// `false`) — the version check is in the same statement.
    pub fn swap_catalogue(&mut self, held: &HeldCatalogue, at: &str) -> Result<bool, StoreError> {
        let changed = self
            .conn
            .execute(
                "INSERT INTO catalogue (id, version, etag, payload, signature, fetched_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET version = excluded.version, etag = excluded.etag,
                     payload = excluded.payload, signature = excluded.signature,
                     fetched_at = excluded.fetched_at
                 WHERE excluded.version > catalogue.version",
                params![
                    held.version as i64,
                    held.etag,
                    held.payload,
                    held.signature,
                    at
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(changed == 1)
    }

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
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(&self.path, e))?;
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
        self.conn
            .execute("DELETE FROM outbox WHERE idempotency_key = ?1", [key])
            .map(|_| ())
            .map_err(|e| self.err(e))
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
                Ok(Outgoing {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    resident: r.get(2)?,
                    idempotency_key: r.get(3)?,
                    body: r.get(4)?,
                })
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
                Ok(Refused {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    summary: r.get(2)?,
                    created_at: r.get(3)?,
                    refused_unix: r.get(4)?,
                    reason: r.get(5)?,
                    body_kept: r.get(6)?,
                })
            },
        )
    }

    /// Submissions still waiting.
    pub fn outbox_depth(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM outbox WHERE state = 'queued'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// Submissions the platform refused for good, kept for staff.
    pub fn outbox_rejected(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM outbox WHERE state = 'rejected'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
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
    fn moving_the_outbox_to_version_6_keeps_its_rows_and_never_reuses_an_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        {
            // A version 5 store with one submission delivered (deleted)
            // after another that still waits.
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..5] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 5;
                 INSERT INTO outbox (kind, resident, idempotency_key, body, created_at)
                     VALUES ('application', 'R1', 'T-1', x'7B7D', 'now'),
                            ('rating', 'R1', 'T-2', x'7B7D', 'now');
                 DELETE FROM outbox WHERE id = 2;",
            )
            .unwrap();
        }
        let mut store = Store::open(&path, Duration::from_millis(100)).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let head = store.outbox_head(10).unwrap();
        assert_eq!(head.len(), 1);
        assert_eq!((head[0].id, head[0].kind), (1, SubmissionKind::Application));
        let key = store
            .enqueue(SubmissionKind::PrintResult, "R1", b"{}", "now")
            .unwrap();
        let head = store.outbox_head(10).unwrap();
        assert_eq!(head[1].idempotency_key, key);
        assert_eq!(head[1].id, 3, "id 2 was used by a delivered submission");
        // The row queued before keeps the key it may have reached the
        // platform under.
        assert_eq!(head[0].idempotency_key, "T-1");
    }

    #[test]
    fn connections_opening_a_new_file_at_once_migrate_it_once() {
        let dir = tempfile::tempdir().unwrap();
        for round in 0..40 {
            let path = dir.path().join(format!("kiosk-{round}.db"));
            let start = std::sync::Barrier::new(4);
            let opened: Vec<Result<u32, String>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..4)
                    .map(|_| {
                        scope.spawn(|| {
                            start.wait();
                            Store::open(&path, Duration::from_secs(2))
                                .and_then(|s| s.schema_version())
                                .map_err(|e| e.to_string())
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            for result in opened {
                assert_eq!(result, Ok(SCHEMA_VERSION), "round {round}");
            }
        }
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

    fn a4_job(pages: u32) -> NewJob<'static> {
        NewJob {
            printer: "a4",
            kind: "licence",
            ticket: "T-0001",
            pages,
        }
    }

    /// The print results queued in the outbox, oldest first: (outcome,
    /// printed, failed) of each.
    fn queued_results(store: &Store) -> Vec<(String, u32, u32)> {
        store
            .outbox_head(100)
            .unwrap()
            .into_iter()
            .filter(|o| o.kind == SubmissionKind::PrintResult)
            .map(|o| {
                let r: tongban_platform_api::licence::PrintResult =
                    serde_json::from_slice(&o.body).unwrap();
                assert_eq!(r.ticket, "T-0001");
                assert_eq!(o.resident, "ticket:T-0001");
                (r.outcome, r.printed, r.failed)
            })
            .collect()
    }

    /// Every end of a licence job — by the printer, by recovery after a
    /// crash, by staff resolving it — queues the ticket's result with the
    /// end itself, once; receipts and test pages queue nothing.
    ///
    /// Fails on e372035: only the UI reported a job's end, so after a
    /// crash mid-print (`recover_jobs`), a stop, or staff resolving an
    /// uncertain job no result ever reached the platform: the ticket
    /// stayed open and the resident's quota used.
    #[test]
    fn every_end_of_a_licence_job_queues_its_ticket_result_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        // Printed by the printer, in part: failed with 1 of 2.
        let id = store.journal_job(&a4_job(2), "t1").unwrap();
        store.mark_sending(id, "t1").unwrap();
        assert!(store.finish_job(id, 1, "paper_out", &[], "t2").unwrap());
        assert!(!store.finish_job(id, 2, "", &[], "t3").unwrap());
        assert_eq!(queued_results(&store), vec![("failed".into(), 1, 1)]);
        let done: Vec<i64> = store
            .outbox_head(10)
            .unwrap()
            .iter()
            .map(|o| o.id)
            .collect();
        store.outbox_done(&done).unwrap();

        // Cut off by a crash: uncertain at the restart, then staff say
        // it printed.
        let lost = store.journal_job(&a4_job(2), "t4").unwrap();
        store.mark_sending(lost, "t4").unwrap();
        assert_eq!(store.recover_jobs("t5").unwrap(), vec![lost]);
        assert!(store.recover_jobs("t6").unwrap().is_empty());
        let entry = AuditEntry {
            at: "t7".into(),
            actor: "S1".into(),
            action: "resolve_printed".into(),
            detail: String::new(),
        };
        assert!(store.resolve_uncertain(lost, true, &entry).unwrap());
        assert!(!store.resolve_uncertain(lost, false, &entry).unwrap());
        assert_eq!(
            queued_results(&store),
            vec![("uncertain".into(), 0, 0), ("printed".into(), 2, 0)]
        );
        let done: Vec<i64> = store
            .outbox_head(10)
            .unwrap()
            .iter()
            .map(|o| o.id)
            .collect();
        store.outbox_done(&done).unwrap();

        // The printer went away mid-job, and staff say it did not print.
        let gone = store.journal_job(&a4_job(1), "t8").unwrap();
        store.mark_sending(gone, "t8").unwrap();
        assert!(store.mark_uncertain(gone, "offline", "t9").unwrap());
        assert!(store.resolve_uncertain(gone, false, &entry).unwrap());
        assert_eq!(
            queued_results(&store),
            vec![("uncertain".into(), 0, 0), ("failed".into(), 0, 1)]
        );

        // A receipt has no ticket to close.
        let receipt = store
            .journal_job(
                &NewJob {
                    printer: "receipt",
                    kind: "receipt",
                    ticket: "R-1",
                    pages: 1,
                },
                "t10",
            )
            .unwrap();
        store.finish_job(receipt, 1, "", &[], "t11").unwrap();
        assert_eq!(queued_results(&store).len(), 2);
    }

    /// A read-then-write transaction takes the write lock first, so a
    /// writer on another connection makes it wait rather than fail.
    ///
    /// Fails on e372035: `finish_job` began DEFERRED, read the job under a
    /// snapshot, and when another connection committed meanwhile its
    /// write failed with SQLITE_BUSY (the snapshot was stale), losing the
    /// print result.
    #[test]
    fn a_concurrent_writer_makes_a_job_end_wait_instead_of_fail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let mut store = Store::open(&path, Duration::from_secs(5)).unwrap();
        let id = store.journal_job(&a4_job(1), "t1").unwrap();
        store.mark_sending(id, "t1").unwrap();
        let (locked_tx, locked_rx) = std::sync::mpsc::channel();
        let writer = std::thread::spawn(move || {
            let mut other = Store::open(&path, Duration::from_secs(5)).unwrap();
            let tx = other
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .unwrap();
            tx.execute(INSERT_AUDIT, params!["t1", "S1", "restock_a4", ""])
                .unwrap();
            locked_tx.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(300));
            tx.commit().unwrap();
        });
        locked_rx.recv().unwrap();
        assert!(store.finish_job(id, 1, "", &[], "t2").unwrap());
        writer.join().unwrap();
        assert_eq!(store.job(id).unwrap().unwrap().state, JobState::Printed);
    }

    /// A store from before version 8 keeps its refused rows, which get the
    /// full keep time from the upgrade.
    #[test]
    fn refused_rows_from_before_version_8_are_kept_their_full_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("PRAGMA journal_mode = WAL").unwrap();
            for sql in &MIGRATIONS[..7] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 7).unwrap();
            conn.execute(
                "INSERT INTO outbox (kind, resident, idempotency_key, body, state, last_error, created_at)
                 VALUES ('application', 'R1', 'T-1', '{\"item\":\"x\"}', 'rejected', 'HTTP 422', 'then')",
                [],
            )
            .unwrap();
        }
        let mut store = Store::open(&path, Duration::from_secs(2)).unwrap();
        let refused = store.outbox_refused(10).unwrap();
        assert_eq!(refused.len(), 1);
        assert!(refused[0].body_kept);
        let now = chrono::Utc::now().timestamp();
        assert!(
            refused[0]
                .refused_unix
                .is_some_and(|t| (now - t).abs() < 60)
        );
        assert_eq!(store.outbox_drop_refused_bodies(now - 86_400).unwrap(), 0);
        assert_eq!(store.outbox_drop_refused_bodies(now + 1).unwrap(), 1);
    }

    #[test]
    fn a_job_printed_in_full_counts_its_sheets_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        store.set_supply("a4_sheets", 500, "t0").unwrap();
        let id = store.journal_job(&a4_job(2), "t1").unwrap();
        assert_eq!(store.job(id).unwrap().unwrap().state, JobState::Journalled);
        store.mark_sending(id, "t2").unwrap();
        assert!(
            store
                .finish_job(id, 2, "", &[("a4_sheets", 1)], "t3")
                .unwrap()
        );
        // A second confirmation (a duplicate status reply) changes nothing.
        assert!(
            !store
                .finish_job(id, 2, "", &[("a4_sheets", 1)], "t4")
                .unwrap()
        );
        let job = store.job(id).unwrap().unwrap();
        assert_eq!((job.state, job.printed), (JobState::Printed, 2));
        assert_eq!(store.supply("a4_sheets").unwrap(), Some(498));
    }

    #[test]
    fn paper_out_after_one_of_two_pages_fails_the_job_and_counts_one_sheet() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        store.set_supply("a4_sheets", 1, "t0").unwrap();
        let id = store.journal_job(&a4_job(2), "t1").unwrap();
        store.mark_sending(id, "t2").unwrap();
        assert!(
            store
                .finish_job(id, 1, "paper out", &[("a4_sheets", 1)], "t3")
                .unwrap()
        );
        let job = store.job(id).unwrap().unwrap();
        assert_eq!(
            (job.state.as_str(), job.printed, job.reason.as_str()),
            ("failed", 1, "paper out")
        );
        assert_eq!(store.supply("a4_sheets").unwrap(), Some(0));
    }

    #[test]
    fn a_job_cut_off_by_a_crash_is_uncertain_after_restart_and_never_counted() {
        let dir = tempfile::tempdir().unwrap();
        let id = {
            let mut store = open(&dir);
            store.set_supply("a4_sheets", 100, "t0").unwrap();
            let id = store.journal_job(&a4_job(3), "t1").unwrap();
            store.mark_sending(id, "t2").unwrap();
            id
            // The kiosk dies here: no finish.
        };
        let mut store = open(&dir);
        assert_eq!(store.recover_jobs("t3").unwrap(), vec![id]);
        let job = store.job(id).unwrap().unwrap();
        assert_eq!(job.state, JobState::Uncertain);
        assert_eq!(store.supply("a4_sheets").unwrap(), Some(100));
        // Nothing finishes an uncertain job by accident, and a second
        // restart finds nothing new.
        assert!(
            !store
                .finish_job(id, 3, "", &[("a4_sheets", 1)], "t4")
                .unwrap()
        );
        assert!(store.recover_jobs("t5").unwrap().is_empty());
        assert!(store.mark_sending(id, "t6").is_err());
    }

    fn staff(at: &str, action: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            at: at.into(),
            actor: "S-0042".into(),
            action: action.into(),
            detail: detail.into(),
        }
    }

    #[test]
    fn version_7_keeps_the_audit_log_to_be_reported_and_starts_counting_supply_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        {
            // A version 6 store with two audit entries from before.
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..6] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 6;
                 INSERT INTO audit_log (at, actor, action) VALUES
                     ('2026-11-20T09:00:00+08:00', 'S-1', 'restock'),
                     ('2026-11-21T09:00:00+08:00', 'S-2', 'out_of_service');",
            )
            .unwrap();
        }
        let mut store = Store::open(&path, Duration::from_millis(100)).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        // Entries from before were never reported: they go with the next
        // heartbeat.
        let unreported = store.unreported_audit(10).unwrap();
        assert_eq!(
            unreported
                .iter()
                .map(|(_, e)| e.action.as_str())
                .collect::<Vec<_>>(),
            ["restock", "out_of_service"]
        );
        store.set_supply("a4_sheets", 10, "t0").unwrap();
        let id = store.journal_job(&a4_job(1), "t1").unwrap();
        store
            .finish_job(id, 1, "", &[("a4_sheets", 1)], "2026-11-24T10:00:00+08:00")
            .unwrap();
        assert_eq!(
            store
                .usage_since("a4_sheets", "2026-11-24T00:00:00+08:00")
                .unwrap(),
            (1, Some("2026-11-24T10:00:00+08:00".into()))
        );
    }

    #[test]
    fn a_confirmed_job_counts_every_supply_it_uses_and_records_the_use() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        store.set_supply("a4_sheets", 100, "t0").unwrap();
        store.set_supply("a4_toner_pages", 2000, "t0").unwrap();
        let both = [("a4_sheets", 1), ("a4_toner_pages", 1)];
        let id = store.journal_job(&a4_job(3), "t1").unwrap();
        store
            .finish_job(id, 2, "jammed", &both, "2026-11-24T10:00:00+08:00")
            .unwrap();
        // A job with nothing printed uses nothing and records no use.
        let none = store.journal_job(&a4_job(1), "t2").unwrap();
        store
            .finish_job(none, 0, "offline", &both, "2026-11-24T11:00:00+08:00")
            .unwrap();
        assert_eq!(store.supply("a4_sheets").unwrap(), Some(98));
        assert_eq!(store.supply("a4_toner_pages").unwrap(), Some(1998));
        let since = "2026-11-01T00:00:00+08:00";
        let first = Some("2026-11-24T10:00:00+08:00".to_owned());
        assert_eq!(
            store.usage_since("a4_sheets", since).unwrap(),
            (2, first.clone())
        );
        assert_eq!(
            store.usage_since("a4_toner_pages", since).unwrap(),
            (2, first)
        );
        let rows: i64 = store
            .connection()
            .query_row("SELECT COUNT(*) FROM supply_usage", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2);
        // The counters say when they last changed.
        assert_eq!(
            store.supply_counters().unwrap(),
            [
                ("a4_sheets".into(), 98, "2026-11-24T10:00:00+08:00".into()),
                (
                    "a4_toner_pages".into(),
                    1998,
                    "2026-11-24T10:00:00+08:00".into()
                ),
            ]
        );
    }

    #[test]
    fn usage_is_compared_as_instants_whatever_offset_it_was_written_in() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        store.set_supply("receipt_mm", 50_000, "t0").unwrap();
        // 02:00 UTC is 10:00 in Shanghai; 01:59:59.5 UTC is just before.
        for (mm, at) in [
            (100, "2026-11-24T01:59:59.500Z"),
            (200, "2026-11-24T10:00:00.000000001+08:00"),
            (300, "2026-11-24T03:00:00Z"),
            (400, "2026-11-24T12:30:00.25+08:00"),
        ] {
            let id = store
                .journal_job(
                    &NewJob {
                        printer: "receipt",
                        kind: "receipt",
                        ticket: "",
                        pages: 1,
                    },
                    at,
                )
                .unwrap();
            store
                .finish_job(id, 1, "", &[("receipt_mm", mm)], at)
                .unwrap();
        }
        assert_eq!(
            store
                .usage_since("receipt_mm", "2026-11-24T10:00:00+08:00")
                .unwrap(),
            (900, Some("2026-11-24T10:00:00.000000001+08:00".into()))
        );
        assert_eq!(
            store
                .usage_since("receipt_mm", "2026-11-24T04:00:00Z")
                .unwrap(),
            (400, Some("2026-11-24T12:30:00.25+08:00".into()))
        );
        assert_eq!(
            store
                .usage_since("receipt_mm", "2026-11-25T00:00:00+08:00")
                .unwrap(),
            (0, None)
        );
        assert_eq!(
            store
                .usage_since("a4_sheets", "2026-11-01T00:00:00+08:00")
                .unwrap(),
            (0, None)
        );
    }

    #[test]
    fn a_restock_sets_the_counter_and_its_audit_entry_together_or_neither() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        store.set_supply("a4_sheets", 3, "t0").unwrap();
        store
            .restock("a4_sheets", 500, &staff("t1", "restock", "a4_sheets=500"))
            .unwrap();
        assert_eq!(store.supply("a4_sheets").unwrap(), Some(500));
        assert_eq!(
            store.audit_log(10).unwrap(),
            [staff("t1", "restock", "a4_sheets=500")]
        );
        // An audit entry that cannot be written (the disk is full) leaves
        // the counter as it was.
        let pages: u64 = store
            .connection()
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        store
            .connection()
            .execute_batch(&format!("PRAGMA max_page_count = {pages}"))
            .unwrap();
        let err = store
            .restock(
                "a4_sheets",
                250,
                &staff("t2", "restock", &"x".repeat(1 << 20)),
            )
            .unwrap_err();
        assert!(matches!(err, StoreError::DiskFull { .. }), "{err:?}");
        assert_eq!(store.supply("a4_sheets").unwrap(), Some(500));
        assert_eq!(store.audit_log(10).unwrap().len(), 1);
    }

    #[test]
    fn staff_resolve_an_uncertain_job_once_counting_only_pages_not_yet_counted() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        store.set_supply("a4_sheets", 100, "t0").unwrap();
        store.set_supply("a4_toner_pages", 1000, "t0").unwrap();
        let lost = store.journal_job(&a4_job(3), "t1").unwrap();
        store.mark_sending(lost, "t2").unwrap();
        assert!(store.mark_uncertain(lost, "offline", "t3").unwrap());
        let at = "2026-11-24T15:00:00+08:00";
        let entry = staff(at, "resolve_print_job", "job 1 printed");
        assert!(store.resolve_uncertain(lost, true, &entry).unwrap());
        let job = store.job(lost).unwrap().unwrap();
        assert_eq!(
            (job.state.as_str(), job.printed, job.updated_at.as_str()),
            ("printed", 3, at)
        );
        assert_eq!(store.supply("a4_sheets").unwrap(), Some(97));
        assert_eq!(store.supply("a4_toner_pages").unwrap(), Some(997));
        assert_eq!(
            store
                .usage_since("a4_sheets", "2026-11-24T00:00:00+08:00")
                .unwrap(),
            (3, Some(at.into()))
        );
        assert_eq!(store.audit_log(10).unwrap(), std::slice::from_ref(&entry));
        // Resolved is resolved: a second answer changes nothing.
        assert!(!store.resolve_uncertain(lost, false, &entry).unwrap());
        assert_eq!(store.job(lost).unwrap().unwrap().state, JobState::Printed);
        assert_eq!(store.supply("a4_sheets").unwrap(), Some(97));
        assert_eq!(store.audit_log(10).unwrap().len(), 1);

        // Not printed: failed, nothing counted.
        let other = store.journal_job(&a4_job(2), "t4").unwrap();
        store.mark_uncertain(other, "offline", "t5").unwrap();
        let entry = staff(at, "resolve_print_job", "job 2 not printed");
        assert!(store.resolve_uncertain(other, false, &entry).unwrap());
        let job = store.job(other).unwrap().unwrap();
        assert_eq!(
            (job.state.as_str(), job.printed, job.reason.as_str()),
            ("failed", 0, "not printed (resolved by staff)")
        );
        assert_eq!(store.supply("a4_sheets").unwrap(), Some(97));

        // A receipt printed after all counts no paper (its length is not
        // journalled); a job that was never uncertain is not touched.
        store.set_supply("receipt_mm", 5000, "t0").unwrap();
        let receipt = store
            .journal_job(
                &NewJob {
                    printer: "receipt",
                    kind: "receipt",
                    ticket: "",
                    pages: 1,
                },
                "t6",
            )
            .unwrap();
        store.mark_uncertain(receipt, "offline", "t7").unwrap();
        assert!(store.resolve_uncertain(receipt, true, &entry).unwrap());
        assert_eq!(store.supply("receipt_mm").unwrap(), Some(5000));
        let fine = store.journal_job(&a4_job(1), "t8").unwrap();
        assert!(!store.resolve_uncertain(fine, true, &entry).unwrap());
        assert_eq!(
            store.job(fine).unwrap().unwrap().state,
            JobState::Journalled
        );
        assert!(!store.resolve_uncertain(999, true, &entry).unwrap());
        assert_eq!(store.audit_log(10).unwrap().len(), 3);
    }

    #[test]
    fn audit_entries_are_reported_oldest_first_and_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        for n in 0..5 {
            store
                .audit(&staff(&format!("t{n}"), "restock", &format!("n={n}")))
                .unwrap();
        }
        let first = store.unreported_audit(3).unwrap();
        assert_eq!(
            first.iter().map(|(_, e)| e.at.as_str()).collect::<Vec<_>>(),
            ["t0", "t1", "t2"]
        );
        let ids: Vec<i64> = first.iter().map(|(id, _)| *id).collect();
        store.mark_audit_reported(&ids).unwrap();
        let rest = store.unreported_audit(3).unwrap();
        assert_eq!(
            rest.iter().map(|(_, e)| e.at.as_str()).collect::<Vec<_>>(),
            ["t3", "t4"]
        );
        store
            .mark_audit_reported(&rest.iter().map(|(id, _)| *id).collect::<Vec<_>>())
            .unwrap();
        assert!(store.unreported_audit(3).unwrap().is_empty());
        // Reported entries stay in the log for staff.
        assert_eq!(store.audit_log(10).unwrap().len(), 5);
    }

    #[test]
    fn the_journal_and_outbox_are_summed_up_for_staff() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        // Test pages: no ticket, so nothing for the outbox.
        let test_page = NewJob {
            kind: "test",
            ticket: "",
            ..a4_job(1)
        };
        for n in 0..4 {
            let id = store.journal_job(&test_page, &format!("t{n}")).unwrap();
            if n < 3 {
                store.finish_job(id, 1, "", &[], "t9").unwrap();
            }
        }
        assert_eq!(
            store.job_counts().unwrap(),
            [(JobState::Journalled, 1), (JobState::Printed, 3)]
        );
        let recent = store.recent_jobs(2).unwrap();
        assert_eq!(recent.iter().map(|j| j.id).collect::<Vec<_>>(), [4, 3]);
        assert_eq!(
            (recent[1].created_at.as_str(), recent[1].updated_at.as_str()),
            ("t2", "t9")
        );
        assert_eq!(store.outbox_oldest().unwrap(), None);
        store
            .enqueue(SubmissionKind::Rating, "R1", b"{}", "first")
            .unwrap();
        store
            .enqueue(SubmissionKind::Rating, "R2", b"{}", "second")
            .unwrap();
        store.outbox_reject(1, "HTTP 422").unwrap();
        assert_eq!(store.outbox_oldest().unwrap().as_deref(), Some("second"));
        assert_eq!(store.outbox_rejected().unwrap(), 1);
        assert_eq!(store.outbox_depth().unwrap(), 1);
        store.set_state("device.a4_printer", "{}", "t1").unwrap();
        store.set_state("device.qr_scanner", "{}", "t2").unwrap();
        store.set_state("devices", "x", "t3").unwrap();
        store.set_state("out_of_service", "x", "t4").unwrap();
        assert_eq!(
            store
                .states_with_prefix("device.")
                .unwrap()
                .into_iter()
                .map(|(k, _, _)| k)
                .collect::<Vec<_>>(),
            ["device.a4_printer", "device.qr_scanner"]
        );
    }

    #[test]
    fn a_read_only_store_reads_while_the_kiosk_writes_and_never_writes_itself() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let mut kiosk = open(&dir);
        kiosk.audit(&staff("t0", "restock", "")).unwrap();
        let mut reader = Store::open_read_only(&path).unwrap();
        assert_eq!(reader.audit_log(10).unwrap().len(), 1);
        // The kiosk goes on writing; the reader sees it.
        kiosk.audit(&staff("t1", "in_service", "")).unwrap();
        assert_eq!(reader.audit_log(10).unwrap().len(), 2);
        let err = reader.audit(&staff("t2", "forged", "")).unwrap_err();
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
        assert!(reader.set_supply("a4_sheets", 1, "t3").is_err());
        drop(kiosk);
        assert_eq!(reader.audit_log(10).unwrap().len(), 2);
        let unreported = reader.unreported_audit(10).unwrap().len();
        assert_eq!(unreported, 2);
    }

    #[test]
    fn a_read_only_open_says_what_is_wrong_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        // Nothing there: not created, and nothing is created by looking.
        let err = Store::open_read_only(&path).unwrap_err();
        assert!(matches!(err, StoreError::NotCreated { .. }), "{err:?}");
        assert!(err.to_string().contains("creates it when it first starts"));
        assert!(!path.exists());
        // An empty file is no store either.
        std::fs::write(&path, b"").unwrap();
        let err = Store::open_read_only(&path).unwrap_err();
        assert!(matches!(err, StoreError::NotCreated { .. }), "{err:?}");
        // Not a database.
        std::fs::write(&path, vec![0x5a; 8192]).unwrap();
        let err = Store::open_read_only(&path).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), vec![0x5a; 8192]);
        // From a newer kiosk.
        std::fs::remove_file(&path).unwrap();
        drop(open(&dir));
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let err = Store::open_read_only(&path).unwrap_err();
        assert!(matches!(err, StoreError::NewerSchema { .. }), "{err:?}");
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
