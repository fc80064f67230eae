//! The reference central platform: a real HTTP server (axum on tokio) on
//! a loopback port, with its state in SQLite, for the kiosk's tests,
//! benchmarks and demo. It implements the whole contract
//! (`platform-api/openapi.json`): the signed catalogue with conditional
//! requests (ETag, 304) and gzip; resident sessions, licences, print
//! tickets with a daily quota and print results; applications and ratings
//! under idempotency keys, and progress; terminal heartbeats (and the
//! staff actions they carry), answered with the commands queued for the
//! terminal; and fleet config bundles per scope
//! with the fleet's health (`fleet.rs`).
//!
//! It and its contract agree exactly: every request body is held to the
//! document's own schema before it is read (`contract.rs`), and every
//! refusal it makes (any 4xx) is a problem document (`refuse`).
//! Idempotency keys are bound to the terminal and the body first sent
//! with them; print tickets close with their result or expire after
//! [`Options::ticket_ttl`].
//!
//! [`Platform::start`] serves plain HTTP (the demo, benchmarks, most
//! tests); [`Platform::start_tls`] serves HTTPS requiring client
//! certificates from a client CA, and holds each terminal to the id its
//! certificate names (`urn:tongban:terminal:ID`; `tls.rs`).
//!
//! Tests make it misbehave through [`Faults`]: added latency, an error
//! status for every call, malformed bodies, and a connection closed after
//! the work is done but before the answer.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rusqlite::OptionalExtension;
use sha2::Digest;
use tongban_platform_api::application::{
    Accepted, Application, IDEMPOTENCY_HEADER, Progress, Rating, RatingAccepted, is_idempotency_key,
};
use tongban_platform_api::licence::{
    LicenceStatus, LicenceSummary, PrintResult, PrintTicket, TicketRequest,
};
use tongban_platform_api::problem::{self, Problem, codes};
use tongban_platform_api::resident::{Identification, ResidentSession};
use tongban_platform_api::terminal::{Command, Heartbeat, HeartbeatReply, StaffAction};
use tongban_platform_api::{Catalogue, SIGNATURE_HEADER, Signed, VERSION_HEADER, paths};

mod contract;
mod fleet;
mod tls;

pub use contract::document as contract_document;
use tls::{PeerExt, not_a_terminal, wrong_terminal};
pub use tls::{ServerTls, TERMINAL_URN};

/// What the server was asked to get wrong.
#[derive(Debug, Default)]
pub struct Faults {
    latency_ms: AtomicU64,
    status: AtomicU16,
    malformed: AtomicBool,
    /// How many more answers to drop after committing.
    drop_after_commit: AtomicU64,
}

impl Faults {
    /// Every answer waits this long first.
    pub fn set_latency(&self, latency: Duration) {
        self.latency_ms
            .store(latency.as_millis() as u64, Ordering::SeqCst);
    }

    /// Every call fails with this status (0: none).
    pub fn set_status(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// Bodies are cut short (the platform "answers garbage").
    pub fn set_malformed(&self, on: bool) {
        self.malformed.store(on, Ordering::SeqCst);
    }

    /// The work is committed, then the connection is closed without an
    /// answer — every time while on.
    pub fn set_drop_after_commit(&self, on: bool) {
        self.drop_after_commit
            .store(if on { u64::MAX } else { 0 }, Ordering::SeqCst);
    }

    /// The same for the next `times` answers only.
    pub fn drop_after_commit_times(&self, times: u64) {
        self.drop_after_commit.store(times, Ordering::SeqCst);
    }

    fn take_drop(&self) -> bool {
        self.drop_after_commit
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }

    /// Back to a well-behaved server.
    pub fn clear(&self) {
        self.set_latency(Duration::ZERO);
        self.set_status(0);
        self.set_malformed(false);
        self.set_drop_after_commit(false);
    }
}

/// Starting the server failed.
#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    /// The port or the runtime.
    #[error("cannot start the reference platform: {0}")]
    Start(String),
    /// The database.
    #[error("reference platform database: {0}")]
    Db(#[from] rusqlite::Error),
    /// The seed catalogue.
    #[error("seed catalogue: {0}")]
    Seed(String),
    /// The certificates and keys of [`Platform::start_tls`].
    #[error("reference platform TLS: {0}")]
    Tls(String),
    /// The built-in contract's schemas.
    #[error("reference platform contract: {0}")]
    Contract(String),
}

struct Shared {
    db: Mutex<rusqlite::Connection>,
    catalogue: Mutex<Published>,
    faults: Faults,
    catalogue_requests: AtomicU64,
    fleet: fleet::Fleet,
    ticket_ttl: Duration,
    contract: contract::Contract,
    /// Copies per day of every licence type instead of the catalogue's.
    copies_per_day: Mutex<Option<u32>>,
}

#[derive(Clone)]
struct Published {
    signed: Signed,
    version: u64,
    etag: String,
}

impl Published {
    fn new(signed: Signed) -> Result<Self, PlatformError> {
        let catalogue: Catalogue = serde_json::from_slice(&signed.payload)
            .map_err(|e| PlatformError::Seed(e.to_string()))?;
        let digest = sha2::Sha256::digest(&signed.payload);
        let etag = format!(
            "\"v{}-{:02x}{:02x}{:02x}{:02x}\"",
            catalogue.version, digest[0], digest[1], digest[2], digest[3]
        );
        Ok(Self {
            signed,
            version: catalogue.version,
            etag,
        })
    }
}

/// How to start the server.
#[derive(Debug, Clone)]
pub struct Options {
    /// 127.0.0.1 port; 0 picks a free one.
    pub port: u16,
    /// The SQLite database (created if missing).
    pub db: PathBuf,
    /// The catalogue served at start.
    pub catalogue: Signed,
    /// How long a print ticket stays open without a result: then it
    /// expires and its copies go back to the resident's daily quota (a
    /// result that comes later is still recorded). [`TICKET_TTL`] unless
    /// a test wants seconds.
    pub ticket_ttl: Duration,
}

/// How long a print ticket stays open without a result, by default.
pub const TICKET_TTL: Duration = Duration::from_secs(15 * 60);

impl Options {
    /// A platform on a free loopback port with its database at `db`,
    /// serving the shipped sample catalogue from `assets`, tickets open
    /// for [`TICKET_TTL`].
    pub fn sample(assets: &Path, db: PathBuf) -> Result<Self, PlatformError> {
        Ok(Self {
            port: 0,
            db,
            catalogue: Self::sample_catalogue(assets)?,
            ticket_ttl: TICKET_TTL,
        })
    }

    /// [`Options::sample`] with the repository's `assets/` and the
    /// database `platform.db` in `dir`.
    pub fn sample_in(dir: &Path) -> Result<Self, PlatformError> {
        let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets");
        Self::sample(&assets, dir.join("platform.db"))
    }

    /// The shipped sample catalogue, signed by the sample key.
    pub fn sample_catalogue(assets: &Path) -> Result<Signed, PlatformError> {
        let dir = assets.join("catalogue");
        let payload = std::fs::read(dir.join("catalogue.json"))
            .map_err(|e| PlatformError::Seed(e.to_string()))?;
        let signature = std::fs::read_to_string(dir.join("catalogue.json.sig"))
            .map_err(|e| PlatformError::Seed(e.to_string()))?;
        Signed::from_parts(payload, &signature).map_err(|e| PlatformError::Seed(e.to_string()))
    }
}

/// A running reference platform. Dropping it stops it.
pub struct Platform {
    addr: SocketAddr,
    /// Serving HTTPS with client certificates required.
    https: bool,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Platform {
    /// Starts the server on 127.0.0.1 and returns once it listens.
    pub fn start(options: Options) -> Result<Self, PlatformError> {
        Self::serve(options, None)
    }

    /// Starts the server serving HTTPS on 127.0.0.1 with client
    /// certificates required (mutual TLS, see `tls.rs`): a client without
    /// a certificate the client CA signed is refused in the handshake, and
    /// a terminal's requests must speak for the terminal its certificate
    /// names (403 otherwise).
    pub fn start_tls(options: Options, tls: ServerTls) -> Result<Self, PlatformError> {
        Self::serve(options, Some(tls))
    }

    fn serve(options: Options, tls: Option<ServerTls>) -> Result<Self, PlatformError> {
        // Checked before anything starts: bad certificates are said now.
        let tls_config = tls.as_ref().map(ServerTls::config).transpose()?;
        let https = tls_config.is_some();
        let db = rusqlite::Connection::open(&options.db)?;
        // A commit appends to the WAL and does not wait for the disk: an
        // fsync per heartbeat took 10–60 ms while the disk was busy, and
        // a stand-in platform need not survive a power cut (a crash of
        // the process loses nothing). The WAL goes into the database file
        // in the background (`checkpoints`); SQLite itself checkpoints
        // inside a commit only if that falls 10,000 pages behind.
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA wal_autocheckpoint = 10000;
             CREATE TABLE IF NOT EXISTS heartbeats (
                 terminal TEXT NOT NULL, at TEXT NOT NULL, body TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS staff_actions (
                 terminal TEXT NOT NULL, at TEXT NOT NULL, staff TEXT NOT NULL,
                 action TEXT NOT NULL, detail TEXT NOT NULL,
                 UNIQUE (terminal, at, staff, action, detail));
             CREATE TABLE IF NOT EXISTS terminals (
                 terminal TEXT PRIMARY KEY, district TEXT, branch TEXT,
                 received_at TEXT NOT NULL, received_unix INTEGER NOT NULL,
                 body TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS bundles (
                 scope TEXT PRIMARY KEY, version INTEGER NOT NULL,
                 body BLOB NOT NULL, pushed_at TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS commands (
                 id INTEGER PRIMARY KEY, terminal TEXT NOT NULL, body TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS residents (
                 resident TEXT PRIMARY KEY, id_number TEXT NOT NULL UNIQUE,
                 name TEXT NOT NULL, suishenma TEXT NOT NULL UNIQUE, phone TEXT);
             CREATE TABLE IF NOT EXISTS sessions (
                 token TEXT PRIMARY KEY, resident TEXT NOT NULL,
                 expires_unix INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS licences (
                 id TEXT PRIMARY KEY, resident TEXT NOT NULL, licence_type TEXT NOT NULL,
                 number TEXT NOT NULL, issued_on TEXT NOT NULL, fields TEXT NOT NULL,
                 valid_until TEXT, revoked INTEGER NOT NULL DEFAULT 0);
             CREATE TABLE IF NOT EXISTS tickets (
                 ticket TEXT PRIMARY KEY, resident TEXT NOT NULL, licence TEXT NOT NULL,
                 copies INTEGER NOT NULL, day TEXT NOT NULL,
                 printed INTEGER, outcome TEXT, failed INTEGER, purpose TEXT);
             CREATE TABLE IF NOT EXISTS ratings (
                 id INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,
                 terminal TEXT NOT NULL, score INTEGER NOT NULL, body TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS applications (
                 id INTEGER PRIMARY KEY, application_no TEXT NOT NULL UNIQUE,
                 idempotency_key TEXT NOT NULL UNIQUE, terminal TEXT NOT NULL,
                 resident TEXT NOT NULL, item TEXT NOT NULL, body TEXT NOT NULL,
                 received_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
                 state TEXT NOT NULL DEFAULT 'received',
                 updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
             CREATE TABLE IF NOT EXISTS print_results (
                 idempotency_key TEXT PRIMARY KEY, terminal TEXT NOT NULL,
                 body_sha256 TEXT NOT NULL, ticket TEXT NOT NULL);",
        )?;
        // A database from before residents had a phone gets the column.
        let has_phone = db.prepare("SELECT phone FROM residents LIMIT 0").is_ok();
        if !has_phone {
            db.execute("ALTER TABLE residents ADD COLUMN phone TEXT", [])?;
        }
        // Databases from before licences had a validity, and tickets a
        // failed count, get the columns.
        for (probe, alter) in [
            (
                "SELECT valid_until FROM licences LIMIT 0",
                "ALTER TABLE licences ADD COLUMN valid_until TEXT",
            ),
            (
                "SELECT revoked FROM licences LIMIT 0",
                "ALTER TABLE licences ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0",
            ),
            (
                "SELECT failed FROM tickets LIMIT 0",
                "ALTER TABLE tickets ADD COLUMN failed INTEGER",
            ),
            (
                "SELECT purpose FROM tickets LIMIT 0",
                "ALTER TABLE tickets ADD COLUMN purpose TEXT",
            ),
            (
                "SELECT terminal FROM tickets LIMIT 0",
                "ALTER TABLE tickets ADD COLUMN terminal TEXT",
            ),
            // Tickets expire; an uncertain one is resolved once.
            (
                "SELECT issued_ms FROM tickets LIMIT 0",
                "ALTER TABLE tickets ADD COLUMN issued_ms INTEGER",
            ),
            (
                "SELECT resolved FROM tickets LIMIT 0",
                "ALTER TABLE tickets ADD COLUMN resolved INTEGER NOT NULL DEFAULT 0",
            ),
            // Idempotency keys are bound to the body first sent with them.
            (
                "SELECT body_sha256 FROM applications LIMIT 0",
                "ALTER TABLE applications ADD COLUMN body_sha256 TEXT",
            ),
            (
                "SELECT body_sha256 FROM ratings LIMIT 0",
                "ALTER TABLE ratings ADD COLUMN body_sha256 TEXT",
            ),
        ] {
            if db.prepare(probe).is_err() {
                db.execute(alter, [])?;
            }
        }
        seed_residents(&db)?;
        let fleet = fleet::Fleet::load(&db)?;
        // Opened after the schema, which it never writes.
        let checkpointer = rusqlite::Connection::open(&options.db)?;
        let shared = Arc::new(Shared {
            fleet,
            db: Mutex::new(db),
            catalogue: Mutex::new(Published::new(options.catalogue)?),
            faults: Faults::default(),
            catalogue_requests: AtomicU64::new(0),
            ticket_ttl: options.ticket_ttl,
            contract: contract::Contract::load().map_err(PlatformError::Contract)?,
            copies_per_day: Mutex::new(None),
        });
        let listener = std::net::TcpListener::bind(("127.0.0.1", options.port))
            .map_err(|e| PlatformError::Start(e.to_string()))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| PlatformError::Start(e.to_string()))?;
        let addr = listener
            .local_addr()
            .map_err(|e| PlatformError::Start(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("reference-platform")
            .on_thread_start(lower_thread_priority)
            .build()
            .map_err(|e| PlatformError::Start(e.to_string()))?;
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let app = router(shared.clone());
        let thread = std::thread::Builder::new()
            .name("reference-platform".into())
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::spawn(checkpoints(checkpointer));
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(error) => {
                            tracing::error!(%error, "reference platform cannot listen");
                            return;
                        }
                    };
                    match tls_config {
                        Some(config) => tls::serve(listener, app, config, stop_rx).await,
                        None => {
                            let _ = axum::serve(listener, app)
                                .with_graceful_shutdown(async {
                                    let _ = stop_rx.await;
                                })
                                .await;
                        }
                    }
                });
            })
            .map_err(|e| PlatformError::Start(e.to_string()))?;
        Ok(Self {
            addr,
            https,
            shared,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// The base URL (`http://127.0.0.1:PORT`, or `https://` under
    /// [`Platform::start_tls`]).
    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// The address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The fault switches.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Serves a new catalogue from now on.
    pub fn publish(&self, signed: Signed) -> Result<(), PlatformError> {
        let published = Published::new(signed)?;
        *self
            .shared
            .catalogue
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = published;
        Ok(())
    }

    /// Catalogue requests answered so far (200 or 304).
    pub fn catalogue_requests(&self) -> u64 {
        self.shared.catalogue_requests.load(Ordering::SeqCst)
    }

    /// Bundles pushed from now on must be signed by this fleet key (the
    /// sample fleet key until told otherwise).
    pub fn set_fleet_key(&self, key: tongban_platform_api::ed25519_dalek::VerifyingKey) {
        self.shared.fleet.set_key(key);
    }

    /// From now on each resident may print this many copies of every
    /// licence a day, whatever the catalogue says (a long test prints more
    /// than a day's quota).
    pub fn set_copies_per_day(&self, copies: u32) {
        *self
            .shared
            .copies_per_day
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(copies);
    }

    /// Heartbeats stored for a terminal.
    pub fn heartbeats(&self, terminal: &str) -> Vec<Heartbeat> {
        let db = self.shared.db.lock().unwrap_or_else(|e| e.into_inner());
        let mut stmt =
            match db.prepare("SELECT body FROM heartbeats WHERE terminal = ?1 ORDER BY rowid") {
                Ok(s) => s,
                Err(_) => return Vec::new(),
            };
        stmt.query_map([terminal], |r| r.get::<_, String>(0))
            .map(|rows| {
                rows.filter_map(Result::ok)
                    .filter_map(|b| serde_json::from_str(&b).ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The staff actions a terminal reported, in the order they arrived.
    pub fn staff_actions(&self, terminal: &str) -> Vec<StaffAction> {
        let db = self.shared.db.lock().unwrap_or_else(|e| e.into_inner());
        staff_actions(&db, terminal, u32::MAX).unwrap_or_default()
    }

    /// Applications terminals submitted (not the sample ones made at a
    /// counter), in the order they were received: (idempotency key,
    /// resident, item).
    pub fn applications(&self) -> Vec<(String, String, String)> {
        let db = self.shared.db.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(mut stmt) = db.prepare(
            "SELECT idempotency_key, resident, item FROM applications
             WHERE terminal != 'counter' ORDER BY id",
        ) else {
            return Vec::new();
        };
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map(|rows| rows.filter_map(Result::ok).collect())
            .unwrap_or_default()
    }

    /// Moves an application on (what a department's system would do).
    pub fn set_progress(&self, application_no: &str, state: &str) -> Result<(), PlatformError> {
        self.shared
            .db
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .execute(
                "UPDATE applications SET state = ?2, updated_at = ?3 WHERE application_no = ?1",
                [application_no, state, &now()],
            )?;
        Ok(())
    }

    /// Ratings held: (idempotency key, score).
    pub fn ratings(&self) -> Vec<(String, u8)> {
        let db = self.shared.db.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(mut stmt) = db.prepare("SELECT idempotency_key, score FROM ratings ORDER BY id")
        else {
            return Vec::new();
        };
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map(|rows| rows.filter_map(Result::ok).collect())
            .unwrap_or_default()
    }

    /// Queues a command for a terminal's next heartbeat.
    pub fn queue_command(&self, terminal: &str, command: &Command) -> Result<(), PlatformError> {
        let body =
            serde_json::to_string(command).map_err(|e| PlatformError::Seed(e.to_string()))?;
        self.shared
            .db
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .execute(
                "INSERT INTO commands (terminal, body) VALUES (?1, ?2)",
                [terminal, &body],
            )?;
        Ok(())
    }
}

impl Drop for Platform {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Moves the WAL into the database file every second, on a blocking
/// thread with its own connection, while requests go on writing: the
/// checkpoint's fsyncs are the only ones left (`synchronous = NORMAL`), and
/// no request waits for them.
async fn checkpoints(conn: rusqlite::Connection) {
    let conn = Arc::new(Mutex::new(conn));
    let mut every = tokio::time::interval(Duration::from_secs(1));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let conn = conn.clone();
        let done = tokio::task::spawn_blocking(move || {
            conn.lock().unwrap_or_else(|e| e.into_inner()).query_row(
                "PRAGMA wal_checkpoint(PASSIVE)",
                [],
                |_| Ok(()),
            )
        })
        .await;
        if let Ok(Err(error)) = done {
            tracing::warn!(%error, "checkpoint failed");
        }
    }
}

/// The newest `limit` staff actions of a terminal, oldest first.
pub(crate) fn staff_actions(
    db: &rusqlite::Connection,
    terminal: &str,
    limit: u32,
) -> rusqlite::Result<Vec<StaffAction>> {
    let mut stmt = db.prepare(
        "SELECT at, staff, action, detail FROM
             (SELECT rowid, * FROM staff_actions WHERE terminal = ?1 ORDER BY rowid DESC LIMIT ?2)
         ORDER BY rowid",
    )?;
    stmt.query_map(rusqlite::params![terminal, limit], |r| {
        Ok(StaffAction {
            at: r.get(0)?,
            staff: r.get(1)?,
            action: r.get(2)?,
            detail: r.get(3)?,
        })
    })?
    .collect()
}

/// The reference platform stands in for a machine elsewhere; sharing a
/// machine with the kiosk (demo, tests, benchmarks), its threads run at
/// nice 10 so that it does not take the CPU the kiosk's UI would have had
/// on a real terminal.
fn lower_thread_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain integers in and out; on Linux PRIO_PROCESS with a
    // thread id sets that one thread's nice value.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(paths::CATALOGUE, get(catalogue))
        .route("/v1/terminals/{id}/heartbeat", post(heartbeat))
        .route(paths::APPLICATIONS, post(application))
        .route("/v1/applications/{no}", get(progress))
        .route(paths::RATINGS, post(rating))
        .route(paths::SESSIONS, post(session))
        .route("/v1/residents/{id}/licences", get(licences))
        .route(
            "/v1/residents/{id}/applications",
            get(resident_applications),
        )
        .route(paths::PRINT_TICKETS, post(print_ticket))
        .route(paths::PRINT_RESULTS, post(print_result))
        .route(
            "/v1/fleet/bundles/{scope}",
            get(fleet::bundle).put(fleet::push),
        )
        .route(paths::FLEET_TERMINALS, get(fleet::terminals))
        .fallback(|| async { refuse(StatusCode::NOT_FOUND, codes::NOT_FOUND, "no such path") })
        .layer(axum::middleware::from_fn(problem_for_every_refusal))
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
        .with_state(shared)
}

/// Latency, then an error status if one is set.
async fn misbehave(shared: &Shared) -> Option<Response> {
    let latency = shared.faults.latency_ms.load(Ordering::SeqCst);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    match shared.faults.status.load(Ordering::SeqCst) {
        0 => None,
        status => {
            // What a proxy or load balancer in front would send: an HTML
            // page, never a problem document, so a terminal can tell it
            // from the platform's own refusals.
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (
                status,
                [(header::CONTENT_TYPE, "text/html")],
                format!("<html><body><h1>{status}</h1><hr>proxy</body></html>"),
            )
                .into_response();
            response.extensions_mut().insert(Simulated);
            Some(response)
        }
    }
}

/// Marks the fault switch's answers, which stand for a proxy's and are
/// left as they are.
#[derive(Debug, Clone, Copy)]
struct Simulated;

/// The platform's own refusal: a problem document (`platform_api::problem`)
/// with its code and a sentence without personal data.
pub(crate) fn refuse(status: StatusCode, code: &str, detail: impl Into<String>) -> Response {
    let problem = Problem::new(status.as_u16(), code, detail);
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(problem::CONTENT_TYPE),
        )],
        body,
    )
        .into_response()
}

/// Refusals the handlers do not make themselves (an unknown path, a
/// method the path does not take, a body over the size limit, a query
/// that does not parse) come from the framework as bare 4xx: they get
/// their problem document here. The fault switch's answers stay as a
/// proxy would send them.
async fn problem_for_every_refusal(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(problem::CONTENT_TYPE));
    if !status.is_client_error() || is_problem || response.extensions().get::<Simulated>().is_some()
    {
        return response;
    }
    let (code, detail) = match status {
        StatusCode::NOT_FOUND => (codes::NOT_FOUND, "no such path"),
        StatusCode::METHOD_NOT_ALLOWED => (
            codes::METHOD_NOT_ALLOWED,
            "the path does not take this method",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (codes::TOO_LARGE, "the body is larger than 2 MB"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (codes::INVALID_BODY, "the body is not JSON"),
        _ => (
            codes::INVALID_PATH,
            "the path or query is not one the platform takes",
        ),
    };
    refuse(status, code, detail)
}

/// A response whose body fails mid-stream: the client sees the connection
/// end without a complete answer.
fn dropped() -> Response {
    let body = Body::from_stream(futures_util_stream());
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_LENGTH, "1000")
        .body(body)
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn futures_util_stream()
-> impl tokio_stream_like::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    tokio_stream_like::once(Err(std::io::Error::other(
        "connection dropped by the fault switch",
    )))
}

/// A minimal one-item stream, to avoid a dependency for one line.
mod tokio_stream_like {
    pub use futures_core::Stream;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    pub struct Once<T>(Option<T>);

    pub fn once<T>(item: T) -> Once<T> {
        Once(Some(item))
    }

    impl<T: Unpin> Stream for Once<T> {
        type Item = T;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<T>> {
            Poll::Ready(self.0.take())
        }
    }
}

async fn catalogue(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    shared.catalogue_requests.fetch_add(1, Ordering::SeqCst);
    let published = shared
        .catalogue
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let etag = HeaderValue::from_str(&published.etag).unwrap_or(HeaderValue::from_static("\"\""));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == published.etag));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let mut body = published.signed.payload.clone();
    if shared.faults.malformed.load(Ordering::SeqCst) {
        body.truncate(body.len() / 3);
    }
    let signature = HeaderValue::from_str(&published.signed.signature_base64())
        .unwrap_or(HeaderValue::from_static(""));
    (
        StatusCode::OK,
        [
            (header::ETAG, etag),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::HeaderName::from_static(SIGNATURE_HEADER), signature),
            (
                header::HeaderName::from_static(VERSION_HEADER),
                HeaderValue::from(published.version),
            ),
        ],
        body,
    )
        .into_response()
}

async fn heartbeat(
    State(shared): State<Arc<Shared>>,
    UrlPath(id): UrlPath<String>,
    peer: PeerExt,
    body: axum::body::Bytes,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    if let Some(r) = wrong_terminal(&peer, &id) {
        return r;
    }
    let beat: Heartbeat = match shared.contract.read("Heartbeat", &body) {
        Ok(b) => b,
        Err(why) => return refuse(StatusCode::BAD_REQUEST, codes::INVALID_BODY, why),
    };
    if beat.terminal != id {
        return refuse(
            StatusCode::BAD_REQUEST,
            codes::PATH_MISMATCH,
            "the heartbeat names another terminal than the path",
        );
    }
    let mut commands = {
        let mut db = shared.db.lock().unwrap_or_else(|e| e.into_inner());
        let result = (|| -> rusqlite::Result<Vec<Command>> {
            let tx = db.transaction()?;
            tx.execute(
                "INSERT INTO heartbeats (terminal, at, body) VALUES (?1, ?2, ?3)",
                [
                    &beat.terminal,
                    &beat.at,
                    &String::from_utf8_lossy(&body).into_owned(),
                ],
            )?;
            fleet::record(&tx, &beat, &body)?;
            // A heartbeat sent again after a lost answer repeats its staff
            // actions; each is kept once.
            for action in &beat.staff_actions {
                tx.execute(
                    "INSERT OR IGNORE INTO staff_actions (terminal, at, staff, action, detail)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    [
                        &beat.terminal,
                        &action.at,
                        &action.staff,
                        &action.action,
                        &action.detail,
                    ],
                )?;
            }
            let commands: Vec<Command> = {
                let mut stmt =
                    tx.prepare("DELETE FROM commands WHERE terminal = ?1 RETURNING body")?;
                let rows = stmt.query_map([&beat.terminal], |r| r.get::<_, String>(0))?;
                rows.filter_map(Result::ok)
                    .filter_map(|b| serde_json::from_str(&b).ok())
                    .collect()
            };
            tx.commit()?;
            Ok(commands)
        })();
        match result {
            Ok(c) => c,
            Err(error) => {
                tracing::error!(%error, "heartbeat not stored");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    };
    // Asked with the database unlocked: a push holds the bundles while it
    // stores into the database, so asking under the database's lock could
    // deadlock the two (it did, in `benches/fleet.rs`).
    if shared.fleet.waiting_for(&beat) && !commands.contains(&Command::SyncConfig) {
        commands.push(Command::SyncConfig);
    }
    if shared.faults.take_drop() {
        return dropped();
    }
    if shared.faults.malformed.load(Ordering::SeqCst) {
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"commands\": [",
        )
            .into_response();
    }
    axum::Json(HeartbeatReply { commands }).into_response()
}

async fn application(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    peer: PeerExt,
    body: axum::body::Bytes,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    let Some(key) = idempotency_key(&headers) else {
        return no_key();
    };
    let app: Application = match shared.contract.read("Application", &body) {
        Ok(v) => v,
        Err(why) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, codes::INVALID_BODY, why),
    };
    if let Some(r) = wrong_terminal(&peer, &app.terminal) {
        return r;
    }
    let digest = sha256_hex(&body);
    let stored = with_registered_phone(&shared, &app, &body);
    let result = {
        let mut db = shared.db.lock().unwrap_or_else(|e| e.into_inner());
        (|| -> rusqlite::Result<Option<(String, bool)>> {
            let tx = db.transaction()?;
            // The same key again from the same terminal with the same
            // body: the same answer, nothing new. With another body or
            // from another terminal: refused, never another's number.
            let existing: Option<(String, String, Option<String>, String)> = tx
                .query_row(
                    "SELECT application_no, terminal, body_sha256, body FROM applications
                     WHERE idempotency_key = ?1",
                    [&key],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            if let Some((no, terminal, held, held_body)) = existing {
                let held = held.unwrap_or_else(|| sha256_hex(held_body.as_bytes()));
                return Ok((terminal == app.terminal && held == digest).then_some((no, false)));
            }
            // Numbered in the order terminals submitted them (the sample
            // applications have numbers of their own).
            let next: i64 = tx.query_row(
                "SELECT COUNT(*) + 1 FROM applications WHERE terminal != 'counter'",
                [],
                |r| r.get(0),
            )?;
            let no = format!("SH{next:010}");
            tx.execute(
                "INSERT INTO applications (application_no, idempotency_key, terminal, resident, item, body,
                     received_at, updated_at, body_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
                [&no, &key, &app.terminal, &app.resident, &app.item, &stored, &now(), &digest],
            )?;
            tx.commit()?;
            Ok(Some((no, true)))
        })()
    };
    let (application_no, created) = match result {
        Ok(Some(r)) => r,
        Ok(None) => return key_reused(),
        Err(error) => {
            tracing::error!(%error, "application not stored");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if shared.faults.take_drop() {
        return dropped();
    }
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (status, axum::Json(Accepted { application_no })).into_response()
}

async fn rating(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    peer: PeerExt,
    body: axum::body::Bytes,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    let Some(key) = idempotency_key(&headers) else {
        return no_key();
    };
    let rating: Rating = match shared.contract.read("Rating", &body) {
        Ok(v) => v,
        Err(why) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, codes::INVALID_BODY, why),
    };
    if let Some(r) = wrong_terminal(&peer, &rating.terminal) {
        return r;
    }
    let digest = sha256_hex(&body);
    let result = {
        let mut db = shared.db.lock().unwrap_or_else(|e| e.into_inner());
        (|| -> rusqlite::Result<Option<(i64, bool)>> {
            let tx = db.transaction()?;
            // Bound to terminal and body, as an application's key.
            let existing: Option<(i64, String, Option<String>, String)> = tx
                .query_row(
                    "SELECT id, terminal, body_sha256, body FROM ratings WHERE idempotency_key = ?1",
                    [&key],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            if let Some((id, terminal, held, held_body)) = existing {
                let held = held.unwrap_or_else(|| sha256_hex(held_body.as_bytes()));
                return Ok((terminal == rating.terminal && held == digest).then_some((id, false)));
            }
            tx.execute(
                "INSERT INTO ratings (idempotency_key, terminal, score, body, body_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    key,
                    rating.terminal,
                    rating.score,
                    String::from_utf8_lossy(&body).into_owned(),
                    digest
                ],
            )?;
            let id = tx.last_insert_rowid();
            tx.commit()?;
            Ok(Some((id, true)))
        })()
    };
    let (id, created) = match result {
        Ok(Some(r)) => r,
        Ok(None) => return key_reused(),
        Err(error) => {
            tracing::error!(%error, "rating not stored");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if shared.faults.take_drop() {
        return dropped();
    }
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (
        status,
        axum::Json(RatingAccepted {
            rating_id: format!("RT{id:08}"),
        }),
    )
        .into_response()
}

/// The seeded residents are fictional sample data: the first two match
/// the simulated ID cards and 随申码 of the demo. An ID card identifies
/// only by its number and the name on it together (an unknown number
/// and a wrong name get the same 404, so numbers cannot be tried one by
/// one), and the registered phone comes back masked.
async fn session(
    State(shared): State<Arc<Shared>>,
    peer: PeerExt,
    body: axum::body::Bytes,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    if let Some(r) = not_a_terminal(&peer) {
        return r;
    }
    let identification: Identification = match shared.contract.read("Identification", &body) {
        Ok(v) => v,
        Err(why) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, codes::INVALID_BODY, why),
    };
    let found: Option<(String, String, Option<String>)> = {
        let db = shared.db.lock().unwrap_or_else(|e| e.into_inner());
        let row = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?));
        match &identification {
            Identification::IdCard { number, name } => db.query_row(
                "SELECT resident, name, phone FROM residents WHERE id_number = ?1 AND name = ?2",
                [number, name],
                row,
            ),
            Identification::Suishenma { token } => db.query_row(
                "SELECT resident, name, phone FROM residents WHERE suishenma = ?1",
                [token],
                row,
            ),
        }
        .ok()
    };
    let Some((resident, name, phone)) = found else {
        return refuse(StatusCode::NOT_FOUND, codes::NOT_FOUND, "no such resident");
    };
    let masked_name = mask(&name);
    let mut bytes = [0u8; 32];
    if getrandom::fill(&mut bytes).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let expires = chrono::Local::now() + chrono::Duration::minutes(SESSION_MINUTES);
    let stored = shared.db.lock().unwrap_or_else(|e| e.into_inner()).execute(
        "INSERT INTO sessions (token, resident, expires_unix) VALUES (?1, ?2, ?3)",
        rusqlite::params![token, resident, expires.timestamp()],
    );
    if let Err(error) = stored {
        tracing::error!(%error, "session not stored");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    axum::Json(ResidentSession {
        resident,
        token,
        expires_at: expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        masked_name,
        phone: phone.as_deref().map(mask_phone),
    })
    .into_response()
}

/// Now, as the platform writes times (RFC 3339, local offset).
fn now() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// How long a resident session's token is good for.
const SESSION_MINUTES: i64 = 30;

/// The resident's own data needs the bearer token of one of their
/// unexpired sessions: the refusal (401 without one, 403 for another
/// resident's data), or none.
fn refusal(shared: &Shared, headers: &HeaderMap, resident: &str) -> Option<Response> {
    match session_owner(shared, headers) {
        Err(why) => Some(refuse(StatusCode::UNAUTHORIZED, codes::UNAUTHORIZED, why)),
        Ok(owner) if owner != resident => Some(refuse(
            StatusCode::FORBIDDEN,
            codes::FORBIDDEN,
            "another resident's data",
        )),
        Ok(_) => None,
    }
}

/// The resident whose unexpired session's bearer token the request
/// carries, or why there is none (the sentence of the 401).
fn session_owner(shared: &Shared, headers: &HeaderMap) -> Result<String, &'static str> {
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return Err("a resident session token is required");
    };
    let owner: Option<String> = shared
        .db
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .query_row(
            "SELECT resident FROM sessions WHERE token = ?1 AND expires_unix > ?2",
            rusqlite::params![token.trim(), chrono::Local::now().timestamp()],
            |r| r.get(0),
        )
        .ok();
    owner.ok_or("the session token is unknown or expired")
}

/// The application as the office gets it: a field whose value is the
/// resident's registered phone masked as their session showed it
/// (138****1234) holds the number the platform has on record, which the
/// terminal never saw. Any other value is kept as sent. (The idempotency
/// binding is over the bytes the terminal sent.)
fn with_registered_phone(shared: &Shared, app: &Application, body: &[u8]) -> String {
    let sent = String::from_utf8_lossy(body).into_owned();
    let masked = tongban_platform_api::resident::is_masked_phone;
    if !app.fields.iter().any(|(_, v)| masked(v)) {
        return sent;
    }
    let phone: Option<String> = shared
        .db
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .query_row(
            "SELECT phone FROM residents WHERE resident = ?1",
            [&app.resident],
            |r| r.get(0),
        )
        .ok()
        .flatten();
    let Some(phone) = phone else {
        return sent;
    };
    let shown = mask_phone(&phone);
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return sent;
    };
    if let Some(fields) = value.get_mut("fields").and_then(|f| f.as_array_mut()) {
        for field in fields {
            if field.get(1).and_then(|v| v.as_str()) == Some(shown.as_str()) {
                field[1] = serde_json::Value::String(phone.clone());
            }
        }
    }
    serde_json::to_string(&value).unwrap_or(sent)
}

/// 13800001234 → 138****1234: enough for the resident to recognise, too
/// little for anyone else to use.
fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n < 8 {
        return "*".repeat(n);
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 3 || i >= n - 4 { *c } else { '*' })
        .collect()
}

/// 张三 → 张*, 张三丰 → 张*丰.
fn mask(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 | 1 => name.to_owned(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// The sample residents (`assets/catalogue/residents.json`: fictional
/// people, their licences and applications in several states), built into
/// the server so every way of starting it has them.
const SAMPLE_RESIDENTS: &str = include_str!("../../../assets/catalogue/residents.json");

#[derive(serde::Deserialize)]
struct SampleResidents {
    residents: Vec<SampleResident>,
}

#[derive(serde::Deserialize)]
struct SampleResident {
    resident: String,
    id_number: String,
    name: String,
    suishenma: String,
    #[serde(default)]
    phone: Option<String>,
    licences: Vec<SampleLicence>,
    applications: Vec<SampleApplication>,
}

#[derive(serde::Deserialize)]
struct SampleLicence {
    id: String,
    licence_type: String,
    number: String,
    issued_on: String,
    fields: Vec<(String, String)>,
    #[serde(default)]
    valid_until: Option<String>,
    #[serde(default)]
    revoked: bool,
}

#[derive(serde::Deserialize)]
struct SampleApplication {
    application_no: String,
    item: String,
    state: String,
    received_at: String,
    updated_at: String,
}

fn seed_residents(db: &rusqlite::Connection) -> Result<(), PlatformError> {
    let sample: SampleResidents = serde_json::from_str(SAMPLE_RESIDENTS)
        .map_err(|e| PlatformError::Seed(format!("residents.json: {e}")))?;
    for r in sample.residents {
        db.execute(
            "INSERT OR IGNORE INTO residents (resident, id_number, name, suishenma, phone)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![r.resident, r.id_number, r.name, r.suishenma, r.phone],
        )?;
        for l in r.licences {
            let fields = serde_json::to_string(&l.fields).unwrap_or_default();
            db.execute(
                "INSERT OR IGNORE INTO licences
                     (id, resident, licence_type, number, issued_on, fields, valid_until, revoked)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![
                    l.id,
                    r.resident,
                    l.licence_type,
                    l.number,
                    l.issued_on,
                    fields,
                    l.valid_until,
                    l.revoked
                ],
            )?;
        }
        for a in r.applications {
            db.execute(
                "INSERT OR IGNORE INTO applications
                     (application_no, idempotency_key, terminal, resident, item, body,
                      received_at, state, updated_at)
                 VALUES (?1, 'sample-' || ?1, 'counter', ?2, ?3, '{}', ?4, ?5, ?6)",
                [
                    &a.application_no,
                    &r.resident,
                    &a.item,
                    &a.received_at,
                    &a.state,
                    &a.updated_at,
                ],
            )?;
        }
    }
    Ok(())
}

/// Copies one resident may print of one licence in a day (the reference
/// platform's print quota).
pub const COPIES_PER_DAY: u32 = 3;

/// A licence type as the published catalogue describes it; an unknown
/// code gets empty names and the default quota.
fn licence_type(shared: &Shared, code: &str) -> tongban_platform_api::catalogue::LicenceType {
    let mut kind = published_licence_type(shared, code);
    if let Some(copies) = *shared
        .copies_per_day
        .lock()
        .unwrap_or_else(|e| e.into_inner())
    {
        kind.copies_per_day = copies;
    }
    kind
}

/// A licence type as the published catalogue has it.
fn published_licence_type(
    shared: &Shared,
    code: &str,
) -> tongban_platform_api::catalogue::LicenceType {
    let published = shared
        .catalogue
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    serde_json::from_slice::<Catalogue>(&published.signed.payload)
        .ok()
        .and_then(|c| c.licence_types.into_iter().find(|l| l.code == code))
        .unwrap_or_else(|| tongban_platform_api::catalogue::LicenceType {
            code: code.to_owned(),
            name: Default::default(),
            issuer: Default::default(),
            template: "generic".into(),
            copies_per_day: COPIES_PER_DAY,
        })
}

/// Whether a licence is in force on `today` (`YYYY-MM-DD`).
fn licence_status(valid_until: Option<&str>, revoked: bool, today: &str) -> LicenceStatus {
    if revoked {
        LicenceStatus::Revoked
    } else if valid_until.is_some_and(|last| last < today) {
        LicenceStatus::Expired
    } else {
        LicenceStatus::Valid
    }
}

fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

async fn licences(
    State(shared): State<Arc<Shared>>,
    UrlPath(resident): UrlPath<String>,
    headers: HeaderMap,
    peer: PeerExt,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    if let Some(r) = not_a_terminal(&peer) {
        return r;
    }
    if let Some(r) = refusal(&shared, &headers, &resident) {
        return r;
    }
    type Row = (String, String, String, String, Option<String>, bool);
    let rows: Vec<Row> = {
        let db = shared.db.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(mut stmt) = db.prepare(
            "SELECT id, licence_type, number, issued_on, valid_until, revoked
             FROM licences WHERE resident = ?1 ORDER BY id",
        ) else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        stmt.query_map([&resident], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .map(|rows| rows.filter_map(Result::ok).collect())
        .unwrap_or_default()
    };
    let today = today();
    let list: Vec<LicenceSummary> = rows
        .into_iter()
        .map(|(id, code, number, issued_on, valid_until, revoked)| {
            let keep = number.chars().count().saturating_sub(4);
            let number_masked = number
                .chars()
                .enumerate()
                .map(|(i, c)| if i < 4 || i >= keep { c } else { '*' })
                .collect();
            let kind = licence_type(&shared, &code);
            LicenceSummary {
                id,
                name: kind.name,
                issuer: kind.issuer,
                licence_type: code,
                number_masked,
                issued_on,
                status: licence_status(valid_until.as_deref(), revoked, &today),
                valid_until,
            }
        })
        .collect();
    axum::Json(list).into_response()
}

async fn print_ticket(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    peer: PeerExt,
    body: axum::body::Bytes,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    let request: TicketRequest = match shared.contract.read("TicketRequest", &body) {
        Ok(v) => v,
        Err(why) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, codes::INVALID_BODY, why),
    };
    if let Some(r) = wrong_terminal(&peer, &request.terminal) {
        return r;
    }
    if let Some(r) = refusal(&shared, &headers, &request.resident) {
        return r;
    }
    // The quota counts per calendar day where the platform is.
    let day = today();
    let result =
        {
            let mut db = shared.db.lock().unwrap_or_else(|e| e.into_inner());
            (|| -> rusqlite::Result<Result<PrintTicket, (StatusCode, &'static str, &'static str)>> {
            let tx = db.transaction()?;
            type Found = (String, String, String, String, Option<String>, bool);
            let found: Option<Found> = tx
                .query_row(
                    "SELECT licence_type, number, issued_on, fields, valid_until, revoked
                     FROM licences WHERE id = ?1 AND resident = ?2",
                    [&request.licence, &request.resident],
                    |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                        ))
                    },
                )
                .ok();
            let Some((code, number, issued_on, fields, valid_until, revoked)) = found else {
                return Ok(Err((
                    StatusCode::NOT_FOUND,
                    codes::NOT_FOUND,
                    "no such licence of this resident",
                )));
            };
            match licence_status(valid_until.as_deref(), revoked, &day) {
                LicenceStatus::Valid => {}
                LicenceStatus::Revoked => {
                    return Ok(Err((StatusCode::GONE, codes::GONE, "the licence is revoked")));
                }
                LicenceStatus::Expired => {
                    return Ok(Err((
                        StatusCode::GONE,
                        codes::GONE,
                        "the licence has expired",
                    )));
                }
            }
            let kind = licence_type(&shared, &code);
            // Printed copies count; so do copies on tickets still open.
            // Failed copies, cancelled tickets and tickets expired without
            // a result give theirs back.
            let now_ms = chrono::Local::now().timestamp_millis();
            let open_since = now_ms.saturating_sub(shared.ticket_ttl.as_millis() as i64);
            let used: u32 = tx.query_row(
                "SELECT COALESCE(SUM(CASE
                     WHEN outcome IS NOT NULL THEN printed
                     WHEN COALESCE(issued_ms, 0) > ?4 THEN copies
                     ELSE 0 END), 0)
                 FROM tickets WHERE resident = ?1 AND licence = ?2 AND day = ?3",
                rusqlite::params![request.resident, request.licence, day, open_since],
                |r| r.get(0),
            )?;
            let left = kind.copies_per_day.saturating_sub(used);
            if left == 0 {
                return Ok(Err((
                    StatusCode::TOO_MANY_REQUESTS,
                    codes::QUOTA_EXHAUSTED,
                    "the day's copies of this licence are used up",
                )));
            }
            let copies = request.copies.min(left);
            let n: i64 = tx.query_row("SELECT COUNT(*) + 1 FROM tickets", [], |r| r.get(0))?;
            let ticket = format!("TK{n:08}");
            tx.execute(
                "INSERT INTO tickets (ticket, resident, licence, copies, day, purpose, terminal,
                     issued_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![
                    ticket,
                    request.resident,
                    request.licence,
                    copies,
                    day,
                    request.purpose,
                    request.terminal,
                    now_ms
                ],
            )?;
            tx.commit()?;
            let verify_code = format!("V{n:04}-{}", &ticket[ticket.len() - 4..]);
            Ok(Ok(PrintTicket {
                verify_url: format!("http://127.0.0.1/verify/{verify_code}"),
                verify_code,
                ticket,
                licence_type: code,
                number,
                fields: serde_json::from_str(&fields).unwrap_or_default(),
                issuer: if kind.issuer.zh.is_empty() {
                    "上海市公安局".into()
                } else {
                    kind.issuer.zh
                },
                issued_on,
                copies,
            }))
        })()
        };
    match result {
        Ok(Ok(ticket)) => (StatusCode::CREATED, axum::Json(ticket)).into_response(),
        Ok(Err((status, code, why))) => refuse(status, code, why),
        Err(error) => {
            tracing::error!(%error, "ticket not issued");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Records a ticket's outcome once; the same report again is accepted and
/// changes nothing; a different one for the same ticket is a conflict,
/// but for the one resolution of an `uncertain` result (staff found out
/// what came out): `printed` or `failed`, once. A ticket that expired
/// without a result still takes its late one (its printed pages count).
async fn print_result(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    peer: PeerExt,
    body: axum::body::Bytes,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    if let Some(r) = not_a_terminal(&peer) {
        return r;
    }
    let Some(key) = idempotency_key(&headers) else {
        return no_key();
    };
    let result: PrintResult = match shared.contract.read("PrintResult", &body) {
        Ok(v) => v,
        Err(why) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, codes::INVALID_BODY, why),
    };
    let db = shared.db.lock().unwrap_or_else(|e| e.into_inner());
    // Only the terminal the ticket was issued to closes it.
    let issued_to: Option<Option<String>> = db
        .query_row(
            "SELECT terminal FROM tickets WHERE ticket = ?1",
            [&result.ticket],
            |r| r.get(0),
        )
        .ok();
    if let Some(Some(terminal)) = &issued_to
        && let Some(r) = wrong_terminal(&peer, terminal)
    {
        return r;
    }
    // The key is bound to the ticket's terminal and the exact body: the
    // same report again is answered as before, another under its key is
    // refused.
    let terminal = issued_to.flatten().unwrap_or_default();
    let digest = sha256_hex(&body);
    let held_key: Option<(String, String)> = match db
        .query_row(
            "SELECT terminal, body_sha256 FROM print_results WHERE idempotency_key = ?1",
            [&key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
    {
        Ok(held) => held,
        Err(error) => {
            tracing::error!(%error, "print result keys unreadable");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match held_key {
        Some((t, d)) if t == terminal && d == digest => {
            return StatusCode::NO_CONTENT.into_response();
        }
        Some(_) => return key_reused(),
        None => {}
    }
    let remember = || {
        db.execute(
            "INSERT INTO print_results (idempotency_key, terminal, body_sha256, ticket)
             VALUES (?1, ?2, ?3, ?4)",
            [&key, &terminal, &digest, &result.ticket],
        )
    };
    type Held = (u32, Option<u32>, Option<String>, Option<u32>, bool);
    let held: Option<Held> = db
        .query_row(
            "SELECT copies, printed, outcome, failed, resolved FROM tickets WHERE ticket = ?1",
            [&result.ticket],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .ok();
    let record = |resolved: bool| {
        let stored = db
            .execute(
                "UPDATE tickets SET printed = ?2, outcome = ?3, failed = ?4, resolved = ?5
                 WHERE ticket = ?1",
                rusqlite::params![
                    result.ticket,
                    result.printed,
                    result.outcome,
                    result.failed,
                    resolved
                ],
            )
            .and_then(|_| remember());
        match stored {
            Ok(_) => StatusCode::NO_CONTENT.into_response(),
            Err(error) => {
                tracing::error!(%error, "print result not stored");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    };
    match held {
        None => refuse(StatusCode::NOT_FOUND, codes::NOT_FOUND, "no such ticket"),
        // Summed wide: two u32 counts near the top overflowed (a panic in
        // a debug build, a wrap that let the report through otherwise).
        Some((copies, ..))
            if u64::from(result.printed) + u64::from(result.failed) > u64::from(copies) =>
        {
            refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::TOO_MANY_PAGES,
                "more pages reported than the ticket allows",
            )
        }
        Some((_, _, None, _, _)) => record(false),
        Some((_, printed, outcome, failed, _))
            if printed == Some(result.printed)
                && outcome.as_deref() == Some(result.outcome.as_str())
                && failed.unwrap_or(0) == result.failed =>
        {
            match remember() {
                Ok(_) => StatusCode::NO_CONTENT.into_response(),
                Err(error) => {
                    tracing::error!(%error, "print result not stored");
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
            }
        }
        Some((_, _, Some(outcome), _, false))
            if outcome == "uncertain"
                && matches!(result.outcome.as_str(), "printed" | "failed") =>
        {
            record(true)
        }
        Some(_) => refuse(
            StatusCode::CONFLICT,
            codes::CONFLICT,
            "a different result was already reported for this ticket",
        ),
    }
}

/// The resident's applications, newest first.
async fn resident_applications(
    State(shared): State<Arc<Shared>>,
    UrlPath(resident): UrlPath<String>,
    headers: HeaderMap,
    peer: PeerExt,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    if let Some(r) = not_a_terminal(&peer) {
        return r;
    }
    if let Some(r) = refusal(&shared, &headers, &resident) {
        return r;
    }
    let list: rusqlite::Result<Vec<Progress>> = {
        let db = shared.db.lock().unwrap_or_else(|e| e.into_inner());
        db.prepare(
            "SELECT application_no, item, state, updated_at FROM applications
             WHERE resident = ?1 ORDER BY received_at DESC, id DESC",
        )
        .and_then(|mut stmt| {
            stmt.query_map([&resident], |r| {
                Ok(Progress {
                    application_no: r.get(0)?,
                    item: r.get(1)?,
                    state: r.get(2)?,
                    updated_at: r.get(3)?,
                })
            })?
            .collect()
        })
    };
    match list {
        Ok(list) => axum::Json(list).into_response(),
        Err(error) => {
            tracing::error!(%error, "applications not listed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// An application's progress, for the resident whose it is only (their
/// session's token): 401 without one, 404 for no such number, 403 for
/// another resident's.
async fn progress(
    State(shared): State<Arc<Shared>>,
    UrlPath(no): UrlPath<String>,
    headers: HeaderMap,
    peer: PeerExt,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    if let Some(r) = not_a_terminal(&peer) {
        return r;
    }
    let owner = match session_owner(&shared, &headers) {
        Ok(owner) => owner,
        Err(why) => return refuse(StatusCode::UNAUTHORIZED, codes::UNAUTHORIZED, why),
    };
    let found: Option<(String, Progress)> = shared
        .db
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .query_row(
            "SELECT resident, application_no, item, state, updated_at FROM applications
             WHERE application_no = ?1",
            [&no],
            |r| {
                Ok((
                    r.get(0)?,
                    Progress {
                        application_no: r.get(1)?,
                        item: r.get(2)?,
                        state: r.get(3)?,
                        updated_at: r.get(4)?,
                    },
                ))
            },
        )
        .ok();
    match found {
        Some((resident, _)) if resident != owner => refuse(
            StatusCode::FORBIDDEN,
            codes::FORBIDDEN,
            "another resident's application",
        ),
        Some((_, p)) => axum::Json(p).into_response(),
        None => refuse(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            "no such application",
        ),
    }
}

/// The request's idempotency key, if it is one (32 lowercase hex digits).
fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|k| is_idempotency_key(k))
        .map(str::to_owned)
}

/// The refusal of a request without an idempotency key.
fn no_key() -> Response {
    refuse(
        StatusCode::BAD_REQUEST,
        codes::INVALID_HEADER,
        "an Idempotency-Key header of 32 lowercase hex digits is required",
    )
}

/// The refusal of a key already used with another body or by another
/// terminal.
fn key_reused() -> Response {
    refuse(
        StatusCode::UNPROCESSABLE_ENTITY,
        codes::KEY_REUSED,
        "this Idempotency-Key was used before with another body or by another terminal",
    )
}

/// SHA-256 of the exact bytes, in hex.
fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
