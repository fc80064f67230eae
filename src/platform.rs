//! The kiosk's client of the central platform (reqwest with rustls, on the
//! tokio runtime; never on the UI thread). Every call has a timeout;
//! transient failures (no connection, a timeout, a 5xx, an answer cut
//! short) are retried with jittered exponential backoff. So far: the
//! catalogue, fetched with `If-None-Match` so an unchanged one costs a
//! 304, verified against the pinned platform key and swapped into the
//! store in one statement — a failed, forged or older catalogue leaves the
//! held one in place — and the heartbeat.

use std::time::Duration;

use ed25519_dalek::VerifyingKey;
use tongban_platform_api::resident::ResidentSession;
use tongban_platform_api::terminal::{Heartbeat, HeartbeatReply};
use tongban_platform_api::{SIGNATURE_HEADER, SignatureError, Signed, accept_catalogue, paths};

use crate::store::{HeldCatalogue, Outgoing, Store, StoreError, SubmissionKind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use tongban_platform_api::application::IDEMPOTENCY_HEADER;
use tongban_platform_api::problem::Problem;
use tongban_platform_api::terminal::{Command, StaffAction};

pub mod tls;

/// The most staff actions (audit entries) one heartbeat carries.
pub const STAFF_ACTIONS_PER_HEARTBEAT: u32 = 50;

/// What went wrong talking to the platform.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// No connection, a timeout, a 5xx or an answer cut short, after every
    /// retry.
    #[error("the platform cannot be reached: {0}")]
    Unreachable(String),
    /// The platform refused the request (a 4xx carrying its problem
    /// document; a 4xx without one is a proxy's and `Unreachable`).
    #[error("the platform refused the request: HTTP {0}")]
    Refused(u16),
    /// The platform refused a submission for good, with its reason (only
    /// [`Client::submit`]: the outbox keeps the reason for staff).
    #[error("the platform refused the submission: HTTP {}: {}: {}", .0.status, .0.code, .0.detail)]
    Rejected(Box<Problem>),
    /// An answer that is not what the contract says.
    #[error("the platform answered something unreadable: {0}")]
    Garbage(String),
}

/// How the client behaves.
#[derive(Debug, Clone, Copy)]
pub struct ClientOptions {
    /// Connecting may take this long.
    pub connect_timeout: Duration,
    /// A whole call may take this long.
    pub timeout: Duration,
    /// Tries per call (the first included).
    pub attempts: u32,
    /// The first backoff; each next one doubles, with ±50 % jitter.
    pub backoff: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(3),
            timeout: Duration::from_secs(15),
            attempts: 4,
            backoff: Duration::from_millis(500),
        }
    }
}

/// A client of one platform.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    options: ClientOptions,
}

/// The most an answer may hold, decoded (gzip included): more is a
/// platform fault, never read into memory.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// The most a catalogue may hold, decoded.
pub const CATALOGUE_LIMIT: usize = 8 * 1024 * 1024;

/// Whether a failure is worth another try.
enum Failure {
    Transient(String),
    Final(ClientError),
    /// The platform's own refusal (a problem document).
    Refused(Problem),
}

/// The field of the platform's acknowledgement that carries a
/// submission's number; a print result has none (it is acknowledged with
/// an empty 204 and known by its ticket).
pub fn acknowledgement_field(kind: SubmissionKind) -> Option<&'static str> {
    match kind {
        SubmissionKind::Application => Some("application_no"),
        SubmissionKind::Rating => Some("rating_id"),
        SubmissionKind::PrintResult => None,
    }
}

impl Client {
    /// A client of the platform at `base` (`http://127.0.0.1:8600`).
    pub fn new(base: &str, options: ClientOptions) -> Result<Self, ClientError> {
        Self::with_tls(base, options, None)
    }

    /// A client of the platform at `base` over mutual TLS when `tls` is
    /// given (`tls::Tls`: the pinned CA alone trusted, this terminal's
    /// certificate presented, https only).
    pub fn with_tls(
        base: &str,
        options: ClientOptions,
        tls: Option<&tls::Tls>,
    ) -> Result<Self, ClientError> {
        let mut builder = reqwest::Client::builder();
        if let Some(tls) = tls {
            builder = tls.apply(builder).map_err(ClientError::Unreachable)?;
        }
        let http = builder
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .gzip(true)
            .build()
            .map_err(|e| ClientError::Unreachable(e.to_string()))?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            options,
        })
    }

    /// Runs `call` until it succeeds, fails for good, or runs out of tries.
    async fn retry<T, F, Fut>(&self, what: &str, mut call: F) -> Result<T, ClientError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        let mut delay = self.options.backoff;
        let mut last = String::new();
        for attempt in 1..=self.options.attempts.max(1) {
            match call().await {
                Ok(v) => return Ok(v),
                Err(Failure::Final(e)) => return Err(e),
                Err(Failure::Refused(problem)) if problem.is_retryable() => {
                    tracing::debug!(call = what, attempt, status = problem.status, code = %problem.code,
                        "the platform asked to wait; retrying");
                    last = format!("HTTP {} ({})", problem.status, problem.code);
                }
                Err(Failure::Refused(problem)) => {
                    return Err(ClientError::Refused(problem.status));
                }
                Err(Failure::Transient(reason)) => {
                    tracing::debug!(call = what, attempt, %reason, "platform call failed; retrying");
                    last = reason;
                }
            }
            if attempt < self.options.attempts {
                tokio::time::sleep(jitter(delay)).await;
                delay = delay.saturating_mul(2);
            }
        }
        Err(ClientError::Unreachable(last))
    }

    /// One call whose answer is a JSON document: sent, retried while the
    /// failure is transient, read. Statuses in `final_statuses` are
    /// refusals even where they would otherwise be retried.
    async fn json<T, B>(
        &self,
        what: &str,
        build: B,
        final_statuses: &[u16],
    ) -> Result<T, ClientError>
    where
        T: serde::de::DeserializeOwned,
        B: Fn() -> reqwest::RequestBuilder,
    {
        self.retry(what, || async {
            let response = build().send().await.map_err(transient)?;
            let response = match check_status(response).await {
                Ok(r) => r,
                // The platform's own refusal, final here even where it
                // would otherwise be retried (a used-up quota's 429).
                Err(Failure::Refused(problem)) if final_statuses.contains(&problem.status) => {
                    return Err(Failure::Final(ClientError::Refused(problem.status)));
                }
                Err(other) => return Err(other),
            };
            let bytes = read_capped(response, BODY_LIMIT).await?;
            serde_json::from_slice(&bytes)
                .map_err(|e| Failure::Final(ClientError::Garbage(e.to_string())))
        })
        .await
    }

    /// Fetches the catalogue unless the platform's matches `etag`.
    pub async fn fetch_catalogue(&self, etag: Option<&str>) -> Result<Fetched, ClientError> {
        let url = format!("{}{}", self.base, paths::CATALOGUE);
        self.retry("catalogue", || async {
            let mut request = self.http.get(&url);
            if let Some(etag) = etag {
                request = request.header(reqwest::header::IF_NONE_MATCH, etag);
            }
            let response = request.send().await.map_err(transient)?;
            let status = response.status();
            if status == reqwest::StatusCode::NOT_MODIFIED {
                return Ok(Fetched::NotModified);
            }
            let response = check_status(response).await?;
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            let etag = header("etag").unwrap_or_default();
            let signature = header(SIGNATURE_HEADER).ok_or_else(|| {
                Failure::Final(ClientError::Garbage("no signature header".into()))
            })?;
            let payload = read_capped(response, CATALOGUE_LIMIT).await?;
            let signed = Signed::from_parts(payload, &signature)
                .map_err(|e| Failure::Final(ClientError::Garbage(e.to_string())))?;
            Ok(Fetched::Catalogue { signed, etag })
        })
        .await
    }

    /// Submits one queued submission with its idempotency key. A retry
    /// after a lost answer gets the same acknowledgement, never a second
    /// application or rating. Returns the acknowledgement (`Accepted` for
    /// an application, `RatingAccepted` for a rating).
    pub async fn submit(&self, outgoing: &Outgoing) -> Result<serde_json::Value, ClientError> {
        // What each kind goes to, and the field its acknowledgement must
        // carry (a print result is acknowledged with an empty 204).
        let path = match outgoing.kind {
            SubmissionKind::Application => paths::APPLICATIONS,
            SubmissionKind::PrintResult => paths::PRINT_RESULTS,
            SubmissionKind::Rating => paths::RATINGS,
        };
        let expected = acknowledgement_field(outgoing.kind);
        let url = format!("{}{}", self.base, path);
        self.retry("submit", || async {
            let response = self
                .http
                .post(&url)
                .header(IDEMPOTENCY_HEADER, &outgoing.idempotency_key)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(outgoing.body.clone())
                .send()
                .await
                .map_err(transient)?;
            // A refusal keeps the platform's reason: the outbox holds it
            // for staff.
            let response = match check_status(response).await {
                Err(Failure::Refused(problem)) if !problem.is_retryable() => {
                    return Err(Failure::Final(ClientError::Rejected(Box::new(problem))));
                }
                other => other?,
            };
            let Some(expected) = expected else {
                return Ok(serde_json::Value::Null);
            };
            let bytes = read_capped(response, BODY_LIMIT).await?;
            let ack: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|e| Failure::Final(ClientError::Garbage(e.to_string())))?;
            if ack.get(expected).and_then(|v| v.as_str()).is_none() {
                return Err(Failure::Final(ClientError::Garbage(format!(
                    "acknowledgement without {expected}"
                ))));
            }
            Ok(ack)
        })
        .await
    }

    /// A resident session from an identification. An unknown resident is
    /// `Refused(404)`. The identification is personal data: it is sent
    /// and dropped, never logged.
    pub async fn session(
        &self,
        identification: &tongban_platform_api::resident::Identification,
    ) -> Result<tongban_platform_api::resident::ResidentSession, ClientError> {
        let url = format!("{}{}", self.base, paths::SESSIONS);
        self.json("session", || self.http.post(&url).json(identification), &[])
            .await
    }

    /// The resident's licences, under their session's token (an expired
    /// session is `Refused(401)`).
    pub async fn licences(
        &self,
        session: &ResidentSession,
    ) -> Result<Vec<tongban_platform_api::licence::LicenceSummary>, ClientError> {
        let url = format!("{}{}", self.base, paths::licences(&session.resident));
        self.json(
            "licences",
            || self.http.get(&url).bearer_auth(&session.token),
            &[],
        )
        .await
    }

    /// The resident's applications and where each is, newest first.
    pub async fn applications(
        &self,
        session: &ResidentSession,
    ) -> Result<Vec<tongban_platform_api::application::Progress>, ClientError> {
        let url = format!(
            "{}{}",
            self.base,
            paths::resident_applications(&session.resident)
        );
        self.json(
            "applications",
            || self.http.get(&url).bearer_auth(&session.token),
            &[],
        )
        .await
    }

    /// A print ticket: the authorisation and the data to print. A used-up
    /// daily quota is `Refused(429)`.
    pub async fn print_ticket(
        &self,
        session: &ResidentSession,
        request: &tongban_platform_api::licence::TicketRequest,
    ) -> Result<tongban_platform_api::licence::PrintTicket, ClientError> {
        let url = format!("{}{}", self.base, paths::PRINT_TICKETS);
        // A quota refusal is final here, not a reason to retry.
        self.json(
            "print ticket",
            || {
                self.http
                    .post(&url)
                    .bearer_auth(&session.token)
                    .json(request)
            },
            &[429],
        )
        .await
    }

    /// Reports how printing under a ticket ended (safe to repeat with the
    /// same `idempotency_key`, which is bound to this very result).
    pub async fn print_result(
        &self,
        result: &tongban_platform_api::licence::PrintResult,
        idempotency_key: &str,
    ) -> Result<(), ClientError> {
        let url = format!("{}{}", self.base, paths::PRINT_RESULTS);
        self.retry("print result", || async {
            let response = self
                .http
                .post(&url)
                .header(IDEMPOTENCY_HEADER, idempotency_key)
                .json(result)
                .send()
                .await
                .map_err(transient)?;
            check_status(response).await.map(drop)
        })
        .await
    }

    /// Where one of the resident's applications is, under their
    /// session's token. An unknown number is `Refused(404)`, another
    /// resident's `Refused(403)`.
    pub async fn progress(
        &self,
        session: &ResidentSession,
        application_no: &str,
    ) -> Result<tongban_platform_api::application::Progress, ClientError> {
        let url = format!("{}{}", self.base, paths::progress(application_no));
        self.json(
            "progress",
            || self.http.get(&url).bearer_auth(&session.token),
            &[],
        )
        .await
    }

    /// The config bundle file served for `scope`: `None` when there is
    /// none (404) or it is the one tagged `etag` (304). Returns the file
    /// and its ETag.
    pub async fn bundle(
        &self,
        scope: &tongban_platform_api::fleet::Scope,
        etag: Option<&str>,
    ) -> Result<Option<(Vec<u8>, String)>, ClientError> {
        let url = format!("{}{}", self.base, paths::bundle(scope));
        self.retry("config bundle", || async {
            let mut request = self.http.get(&url);
            if let Some(etag) = etag {
                request = request.header(reqwest::header::IF_NONE_MATCH, etag);
            }
            let response = request.send().await.map_err(transient)?;
            let status = response.status();
            if status == reqwest::StatusCode::NOT_MODIFIED
                || status == reqwest::StatusCode::NOT_FOUND
            {
                return Ok(None);
            }
            let response = check_status(response).await?;
            let etag = response
                .headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let bytes = read_capped(response, BODY_LIMIT).await?;
            Ok(Some((bytes, etag)))
        })
        .await
    }

    /// Sends a heartbeat; the reply carries the platform's commands.
    pub async fn heartbeat(&self, beat: &Heartbeat) -> Result<HeartbeatReply, ClientError> {
        let url = format!("{}{}", self.base, paths::heartbeat(&beat.terminal));
        self.json("heartbeat", || self.http.post(&url).json(beat), &[])
            .await
    }
}

/// A failure worth another try. Its words go to the log: the URL, which
/// names the resident's platform reference on their own paths, is left out;
/// the causes are kept (a refused TLS handshake says why).
fn transient(e: reqwest::Error) -> Failure {
    Failure::Transient(error_chain(&e.without_url()))
}

/// An error and each of its causes, joined with ": " (a TLS handshake's
/// reason sits several causes deep).
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A success passes. Otherwise: a 5xx, and a 4xx without the platform's
/// problem document (a proxy's or load balancer's 408, 413, 429, an HTML
/// error page), are transient; the platform's own refusal is
/// `Failure::Refused`, final unless it asks to wait (408, 425, 429).
async fn check_status(response: reqwest::Response) -> Result<reqwest::Response, Failure> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    if !status.is_client_error() {
        return Err(Failure::Transient(format!("HTTP {}", status.as_u16())));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = read_capped(response, BODY_LIMIT).await.unwrap_or_default();
    match Problem::from_response(status.as_u16(), content_type.as_deref(), &body) {
        Some(problem) => Err(Failure::Refused(problem)),
        None => Err(Failure::Transient(format!(
            "HTTP {} without the platform's problem document (a proxy's?)",
            status.as_u16()
        ))),
    }
}

/// Reads an answer's body, at most `limit` bytes decoded: a longer one
/// (announced or streamed) is the platform's fault, final for this call,
/// and is never held whole in memory.
async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, Failure> {
    let too_long = || {
        Failure::Final(ClientError::Garbage(format!(
            "an answer longer than {limit} bytes"
        )))
    };
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_long());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transient)? {
        if body.len() + chunk.len() > limit {
            return Err(too_long());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// ±50 % of `delay`, from the clock's low bits (no randomness crate needed
/// for spreading retries of a fleet apart).
fn jitter(delay: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let factor = 0.5 + f64::from(nanos % 1000) / 1000.0;
    delay.mul_f64(factor)
}

/// What a catalogue fetch brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// The held catalogue is current (a 304).
    NotModified,
    /// A catalogue, not yet verified.
    Catalogue {
        /// Its bytes and signature.
        signed: Signed,
        /// The platform's ETag.
        etag: String,
    },
}

/// How a catalogue sync ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// The held catalogue is current.
    Unchanged,
    /// A newer catalogue is now held.
    Updated {
        /// Its version.
        version: u64,
    },
    /// The platform's catalogue was refused; the held one stays.
    Refused(SignatureError),
}

/// Why a sync could not run.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The platform.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The store.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Verifies what was fetched and swaps it in. Blocking (the store): call
/// it off the UI thread.
pub fn apply_catalogue(
    fetched: Fetched,
    key: &VerifyingKey,
    store: &mut Store,
    at: &str,
) -> Result<SyncOutcome, StoreError> {
    let Fetched::Catalogue { signed, etag } = fetched else {
        return Ok(SyncOutcome::Unchanged);
    };
    let held = store.catalogue()?;
    // The very document held (the first-boot seed, fetched once without
    // an ETag): only remember the platform's ETag for it.
    if let Some(h) = &held
        && h.payload == signed.payload
    {
        store.set_catalogue_etag(&etag)?;
        return Ok(SyncOutcome::Unchanged);
    }
    let catalogue = match accept_catalogue(&signed, key, held.map(|h| h.version)) {
        Ok(c) => c,
        Err(reason) => {
            tracing::warn!(%reason, "catalogue refused; the held one stays");
            return Ok(SyncOutcome::Refused(reason));
        }
    };
    let swapped = store.swap_catalogue(
        &HeldCatalogue {
            version: catalogue.version,
            etag,
            signature: signed.signature_base64(),
            payload: signed.payload,
        },
        at,
    )?;
    if !swapped {
        // Another writer got a newer one in first.
        return Ok(SyncOutcome::Unchanged);
    }
    tracing::info!(
        version = catalogue.version,
        items = catalogue.items.len(),
        "catalogue updated"
    );
    Ok(SyncOutcome::Updated {
        version: catalogue.version,
    })
}

/// One catalogue sync: a conditional fetch, then verify and swap.
pub async fn sync_catalogue(
    client: &Client,
    key: &VerifyingKey,
    store: &mut Store,
) -> Result<SyncOutcome, SyncError> {
    let etag = store.catalogue_tag()?.map(|(_, etag)| etag);
    let fetched = client.fetch_catalogue(etag.as_deref()).await?;
    let at = chrono::Local::now().to_rfc3339();
    Ok(apply_catalogue(fetched, key, store, &at)?)
}

/// What a drain of the outbox did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DrainReport {
    /// Acknowledged and removed.
    pub delivered: u64,
    /// Refused for good by the platform (kept, marked, for staff).
    pub rejected: u64,
    /// Why it stopped early (the platform went away); the rest waits.
    pub stopped: Option<ClientError>,
}

/// Sends the outbox in order, `chunk` at a time, removing each chunk's
/// acknowledged submissions in one transaction, until it is empty. A
/// platform that cannot be reached stops the drain where it is, so every
/// resident's submissions still arrive in the order they were made.
/// Blocking store calls: run it on its own task, never on the UI thread.
pub async fn drain_outbox(
    client: &Client,
    store: &mut Store,
    chunk: u32,
) -> Result<DrainReport, StoreError> {
    let mut report = DrainReport::default();
    loop {
        let step = drain_chunk(client, store, chunk).await?;
        report.delivered += step.delivered;
        report.rejected += step.rejected;
        if step.stopped.is_some() || step.delivered + step.rejected == 0 {
            report.stopped = step.stopped;
            return Ok(report);
        }
    }
}

/// Sends the oldest `chunk` queued submissions, as [`drain_outbox`] does,
/// and returns: the platform thread drains a long backlog a chunk at a
/// time, so heartbeats and a stop are never held up behind it.
pub async fn drain_chunk(
    client: &Client,
    store: &mut Store,
    chunk: u32,
) -> Result<DrainReport, StoreError> {
    let mut report = DrainReport::default();
    let head = store.outbox_head(chunk)?;
    let mut done = Vec::with_capacity(head.len());
    for outgoing in &head {
        match client.submit(outgoing).await {
            Ok(_) => done.push(outgoing.id),
            Err(ClientError::Rejected(problem)) => {
                store.outbox_done(&done)?;
                report.delivered += done.len() as u64;
                done.clear();
                tracing::warn!(
                    id = outgoing.id,
                    status = problem.status,
                    code = %problem.code,
                    "submission refused by the platform"
                );
                let reason = format!(
                    "HTTP {} {}: {}",
                    problem.status, problem.code, problem.detail
                );
                store.outbox_reject(outgoing.id, &reason)?;
                report.rejected += 1;
            }
            Err(error) => {
                store.outbox_done(&done)?;
                report.delivered += done.len() as u64;
                tracing::info!(%error, delivered = report.delivered, "outbox drain paused");
                report.stopped = Some(error);
                return Ok(report);
            }
        }
    }
    store.outbox_done(&done)?;
    report.delivered += done.len() as u64;
    Ok(report)
}

/// The sample catalogue shipped with the kiosk: the first-boot catalogue
/// where it verifies against the pinned key (the demo).
pub const SEED_CATALOGUE: &[u8] = include_bytes!("../assets/catalogue/catalogue.json");
/// Its signature by the reference platform's sample key.
pub const SEED_SIGNATURE: &str = include_str!("../assets/catalogue/catalogue.json.sig");

/// The shipped catalogue as signed bytes.
pub fn seed() -> Result<Signed, SignatureError> {
    Signed::from_parts(SEED_CATALOGUE.to_vec(), SEED_SIGNATURE)
}

/// What the platform service needs; a change restarts it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlatformService {
    /// The platform's base URL.
    pub url: String,
    /// Its pinned public key, base64.
    pub public_key: String,
    /// This terminal's id.
    pub terminal: String,
    /// The kiosk's store (catalogue, outbox).
    pub store: PathBuf,
    /// Between heartbeats.
    pub heartbeat: Duration,
    /// Between catalogue checks.
    pub catalogue_every: Duration,
    /// How long a refused submission keeps its body
    /// (`store.refused_keep_days`).
    pub refused_keep: Duration,
    /// Fleet config bundles, when a fleet key is pinned.
    pub fleet: Option<crate::fleet::Fleet>,
    /// Mutual TLS (pinned CA, this terminal's certificate), when the
    /// config sets it; read before the service starts.
    pub tls: Option<tls::Tls>,
}

impl PlatformService {
    /// A client of this platform, over mutual TLS when configured.
    pub fn client(&self, options: ClientOptions) -> Result<Client, ClientError> {
        Client::with_tls(&self.url, options, self.tls.as_ref())
    }
}

/// Where the UI sends the devices' states for the heartbeat.
#[derive(Clone)]
pub struct DeviceSink(
    std::sync::mpsc::Sender<Vec<tongban_platform_api::terminal::DeviceReport>>,
    std::sync::Arc<AtomicBool>,
);

impl std::fmt::Debug for DeviceSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceSink")
    }
}

impl PartialEq for DeviceSink {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for DeviceSink {}

impl DeviceSink {
    /// Hands the current device states over, without waiting.
    pub fn send(&self, devices: &[tongban_device::DeviceStatus]) {
        let reports = devices
            .iter()
            .map(|d| tongban_platform_api::terminal::DeviceReport {
                kind: d.kind.as_str().into(),
                state: d.state.as_str().into(),
                detail: crate::widget::device_detail(d)
                    .map(|id| id.trim_start_matches("device-detail-").replace('-', "_")),
            })
            .collect();
        let _ = self.0.send(reports);
    }

    /// Staff asked for a sync: the service stops waiting and sends a
    /// heartbeat and the outbox now. Returns whether a service listens.
    pub fn sync_now(&self) -> bool {
        self.1.store(true, Ordering::SeqCst);
        std::sync::Arc::strong_count(&self.1) > 1
    }
}

/// A parsed catalogue handed to the UI (its `Debug` says only the
/// version).
#[derive(Clone, PartialEq, Eq)]
pub struct CatalogueData(pub std::sync::Arc<tongban_platform_api::catalogue::Catalogue>);

impl std::fmt::Debug for CatalogueData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CatalogueData(v{})", self.0.version)
    }
}

/// Tells the UI which catalogue is held, and hands it over parsed — only
/// once its signature checks against the pinned key again: a held
/// catalogue altered on disk (or held under a key no longer pinned) is
/// never shown to a resident, and one that fails is dropped, so the seed
/// or the platform's next catalogue takes its place instead of a
/// stale-version refusal keeping it for ever. Returns whether one was
/// handed over.
fn emit_catalogue(
    store: &mut Store,
    key: Option<&VerifyingKey>,
    emit: &mut dyn FnMut(PlatformEvent),
) -> bool {
    let held = match store.catalogue() {
        Ok(Some(held)) => held,
        Ok(None) => return false,
        Err(error) => {
            tracing::error!(%error, "held catalogue unreadable");
            return false;
        }
    };
    let Some(key) = key else {
        tracing::error!("no platform key pinned: the held catalogue cannot be verified; not used");
        return false;
    };
    let checked = Signed::from_parts(held.payload, &held.signature)
        .and_then(|signed| accept_catalogue(&signed, key, None));
    match checked {
        Ok(catalogue) => {
            emit(PlatformEvent::Catalogue(held.version));
            emit(PlatformEvent::CatalogueData(CatalogueData(
                std::sync::Arc::new(catalogue),
            )));
            true
        }
        Err(error) => {
            tracing::error!(%error, version = held.version, "held catalogue fails verification; dropped");
            if let Err(error) = store.forget_catalogue() {
                tracing::error!(%error, "cannot drop the held catalogue");
            }
            false
        }
    }
}

/// What the platform service tells the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlatformEvent {
    /// The service runs; device states go here.
    Ready(DeviceSink),
    /// The platform answered.
    Online,
    /// It did not (why, without personal data).
    Offline(String),
    /// This catalogue version is held.
    Catalogue(u64),
    /// The catalogue held, parsed (off the UI thread) for the screens.
    CatalogueData(CatalogueData),
    /// Submissions waiting.
    Outbox(u64),
    /// The platform asked for something the UI does.
    Command(Command),
    /// Fleet config changed what is in force (applied or rolled back).
    Config(ConfigData),
}

/// The platform service's thread: a heartbeat every `heartbeat` (with
/// the staff actions not yet reported, marked once the platform took
/// them), the catalogue when due or asked for, the outbox whenever it
/// holds anything — on its own current-thread runtime and its own store
/// connection, never on the UI's.
pub fn run_service(
    service: &PlatformService,
    stop: &AtomicBool,
    emit: &mut dyn FnMut(PlatformEvent),
) {
    lower_thread_priority();
    let (device_tx, device_rx) = std::sync::mpsc::channel();
    let wake = std::sync::Arc::new(AtomicBool::new(false));
    emit(PlatformEvent::Ready(DeviceSink(device_tx, wake.clone())));
    let mut devices = Vec::new();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(error) => {
            tracing::error!(%error, "platform service cannot start");
            return;
        }
    };
    let mut store = loop {
        match Store::open(&service.store, Duration::from_secs(2)) {
            Ok(s) => break s,
            Err(error) => {
                tracing::error!(%error, "platform service: store unavailable; retrying");
                if sleep_unless_stopped(Duration::from_secs(5), stop, None) {
                    return;
                }
            }
        }
    };
    let key = match tongban_platform_api::verifying_key(&service.public_key) {
        Ok(k) => Some(k),
        Err(error) => {
            tracing::error!(%error, "no usable platform key pinned; catalogues will not be taken");
            None
        }
    };
    // The held catalogue, verified; none (first boot), or one dropped
    // because it no longer verifies: the shipped one, if the pinned key
    // vouches for it.
    if !emit_catalogue(&mut store, key.as_ref(), emit) {
        // First boot: the shipped catalogue, if the pinned key vouches for it.
        if let (Some(key), Ok(None)) = (&key, store.catalogue())
            && let Ok(seed) = seed()
        {
            let at = chrono::Local::now().to_rfc3339();
            match apply_catalogue(
                Fetched::Catalogue {
                    signed: seed,
                    etag: String::new(),
                },
                key,
                &mut store,
                &at,
            ) {
                Ok(outcome) => tracing::info!(?outcome, "first-boot catalogue"),
                Err(error) => tracing::warn!(%error, "first-boot catalogue not stored"),
            }
        }
        emit_catalogue(&mut store, key.as_ref(), emit);
    }
    release_freed_memory();
    let client = match service.client(ClientOptions::default()) {
        Ok(c) => c,
        Err(error) => {
            tracing::error!(%error, "platform client cannot start");
            return;
        }
    };
    let mut catalogue_due = std::time::Instant::now();
    let mut purge_due = std::time::Instant::now();
    let mut online: Option<bool> = None;
    // The last bundle refused or rolled back, reported until one applies;
    // the ETag of the bundle last fetched per scope.
    // A bundle held but set aside at start (expired, or older than one
    // already taken) is reported the same way.
    let mut config_problem: Option<tongban_platform_api::fleet::ConfigProblem> =
        service.fleet.as_ref().and_then(|f| {
            f.problems_at(chrono::Local::now().fixed_offset())
                .into_iter()
                .next()
        });
    let mut bundle_tags: std::collections::BTreeMap<String, String> = Default::default();
    // The bundles in force, to notice one expiring while the kiosk runs.
    let mut in_force = service.fleet.as_ref().map(|f| f.applied());
    while !stop.load(Ordering::SeqCst) {
        let beat_started = std::time::Instant::now();
        if let Some(fleet) = &service.fleet {
            expire_bundles(fleet, &mut in_force, &mut config_problem, emit);
        }
        if wake.swap(false, Ordering::SeqCst) {
            tracing::info!("sync asked for by staff");
        }
        if let Some(latest) = device_rx.try_iter().last() {
            devices = latest;
        }
        // Staff actions not yet reported, oldest first; more follow with
        // the next heartbeats.
        let staff_actions = store
            .unreported_audit(STAFF_ACTIONS_PER_HEARTBEAT)
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "staff actions unreadable; not reported this time");
                Vec::new()
            });
        let beat = Heartbeat {
            terminal: service.terminal.clone(),
            at: chrono::Local::now().to_rfc3339(),
            catalogue_version: store.catalogue_tag().ok().flatten().map(|(v, _)| v),
            district: service.fleet.as_ref().and_then(|f| f.district()),
            branch: service.fleet.as_ref().and_then(|f| f.branch()),
            config: service
                .fleet
                .as_ref()
                .map(|f| f.applied())
                .unwrap_or_default(),
            config_problem: config_problem.clone(),
            // Device states come from the UI; supplies from the store.
            devices: devices.clone(),
            supplies: store
                .supplies()
                .unwrap_or_default()
                .into_iter()
                .map(|(name, remaining)| tongban_platform_api::terminal::Supply { name, remaining })
                .collect(),
            outbox_depth: store.outbox_depth().unwrap_or(0),
            staff_actions: staff_actions
                .iter()
                .map(|(_, e)| StaffAction {
                    at: e.at.clone(),
                    staff: e.actor.clone(),
                    action: e.action.clone(),
                    detail: e.detail.clone(),
                })
                .collect(),
            // Measured now, off the UI thread; low as the store's disk
            // guard judges it (`store.min_free_mb`).
            disk: crate::disk::report(&service.store),
        };
        match runtime.block_on(client.heartbeat(&beat)) {
            Ok(reply) => {
                // The platform has them: they are not sent again.
                let ids: Vec<i64> = staff_actions.iter().map(|(id, _)| *id).collect();
                if let Err(error) = store.mark_audit_reported(&ids) {
                    tracing::warn!(%error, "staff actions sent but not marked; they go again");
                }
                if online != Some(true) {
                    tracing::info!("platform online");
                    emit(PlatformEvent::Online);
                    online = Some(true);
                }
                let mut sync_config = false;
                for command in reply.commands {
                    tracing::info!(?command, "platform command");
                    match command {
                        Command::SyncCatalogue => catalogue_due = std::time::Instant::now(),
                        Command::SyncConfig => sync_config = true,
                        other => emit(PlatformEvent::Command(other)),
                    }
                }
                if sync_config && let Some(fleet) = &service.fleet {
                    sync_bundles(
                        &runtime,
                        &client,
                        fleet,
                        &mut bundle_tags,
                        &mut config_problem,
                        emit,
                    );
                    in_force = Some(fleet.applied());
                }
            }
            Err(error) => {
                if online != Some(false) {
                    tracing::warn!(%error, "platform offline");
                    emit(PlatformEvent::Offline(error.to_string()));
                    online = Some(false);
                }
            }
        }
        if online == Some(true) {
            if let Some(key) = &key
                && std::time::Instant::now() >= catalogue_due
            {
                match runtime.block_on(sync_catalogue(&client, key, &mut store)) {
                    Ok(SyncOutcome::Updated { version }) => {
                        tracing::info!(version, "catalogue updated");
                        emit_catalogue(&mut store, Some(key), emit);
                        release_freed_memory();
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "catalogue sync failed"),
                }
                catalogue_due = std::time::Instant::now() + service.catalogue_every;
            }
            // A chunk at a time until the outbox is empty or the next
            // heartbeat is due; the UI sees the depth go down.
            let (mut delivered, mut rejected) = (0, 0);
            while store.outbox_depth().unwrap_or(0) > 0
                && !stop.load(Ordering::SeqCst)
                && beat_started.elapsed() < service.heartbeat
            {
                match runtime.block_on(drain_chunk(&client, &mut store, 200)) {
                    Ok(report) => {
                        delivered += report.delivered;
                        rejected += report.rejected;
                        emit(PlatformEvent::Outbox(store.outbox_depth().unwrap_or(0)));
                        if report.stopped.is_some() {
                            break;
                        }
                    }
                    Err(error) => {
                        tracing::error!(%error, "outbox drain failed");
                        break;
                    }
                }
            }
            if delivered + rejected > 0 {
                // Old page images in the WAL still hold what was sent:
                // fold them into the (securely deleted) file.
                if let Err(error) = store.checkpoint() {
                    tracing::debug!(%error, "checkpoint after draining deferred");
                }
                tracing::info!(delivered, rejected, "outbox drained");
            }
        }
        if std::time::Instant::now() >= purge_due {
            drop_old_refused_bodies(&mut store, service.refused_keep);
            purge_due = std::time::Instant::now() + Duration::from_secs(3600);
        }
        emit(PlatformEvent::Outbox(store.outbox_depth().unwrap_or(0)));
        if sleep_unless_stopped(
            service.heartbeat.saturating_sub(beat_started.elapsed()),
            stop,
            Some(&wake),
        ) {
            return;
        }
    }
}

/// Drops the bodies (residents' forms) of submissions refused longer ago
/// than `keep`, keeping what staff need (item, time, reason).
pub fn drop_old_refused_bodies(store: &mut Store, keep: Duration) {
    let now = chrono::Utc::now().timestamp();
    let before = now.saturating_sub(i64::try_from(keep.as_secs()).unwrap_or(i64::MAX));
    match store.outbox_drop_refused_bodies(before) {
        Ok(0) => {}
        Ok(dropped) => {
            tracing::info!(
                dropped,
                "refused submissions' forms dropped after their keep time"
            );
            if let Err(error) = store.checkpoint() {
                tracing::debug!(%error, "checkpoint after dropping forms deferred");
            }
        }
        Err(error) => tracing::warn!(%error, "cannot drop refused submissions' forms"),
    }
}

/// A bundle stops applying at its expiry, not only when it is offered:
/// when the bundles in force change by themselves (one expired), the
/// config in force now (the layers below it) goes to the UI and the
/// heartbeat reports why until a later bundle applies.
fn expire_bundles(
    fleet: &crate::fleet::Fleet,
    in_force: &mut Option<Vec<tongban_platform_api::fleet::AppliedBundle>>,
    problem: &mut Option<tongban_platform_api::fleet::ConfigProblem>,
    emit: &mut dyn FnMut(PlatformEvent),
) {
    let now = chrono::Local::now().fixed_offset();
    let applied = fleet.applied_at(now);
    if in_force.as_ref() == Some(&applied) {
        return;
    }
    *in_force = Some(applied);
    if let Some(why) = fleet.problems_at(now).into_iter().next() {
        tracing::warn!(scope = %why.scope, version = why.version, reason = %why.reason, "fleet config bundle no longer applies");
        *problem = Some(why);
    }
    match fleet.load_at(now) {
        Ok(loaded) => emit(PlatformEvent::Config(ConfigData(std::sync::Arc::new(
            loaded.config,
        )))),
        Err(error) => tracing::error!(%error, "fleet config: the config in force cannot be loaded"),
    }
}

/// Fetches the bundle of each of the terminal's scopes and takes the new
/// ones (`Fleet::consider`): the UI gets the config in force after each
/// one applied or rolled back; a refusal or rollback is kept for the
/// heartbeat until a later bundle applies.
fn sync_bundles(
    runtime: &tokio::runtime::Runtime,
    client: &Client,
    fleet: &crate::fleet::Fleet,
    tags: &mut std::collections::BTreeMap<String, String>,
    problem: &mut Option<tongban_platform_api::fleet::ConfigProblem>,
    emit: &mut dyn FnMut(PlatformEvent),
) {
    use crate::fleet::Outcome;
    let held = fleet.held();
    for scope in &fleet.scopes {
        let tag = tags.get(&scope.to_string()).map(String::as_str);
        let (bytes, etag) = match runtime.block_on(client.bundle(scope, tag)) {
            Ok(Some(found)) => found,
            Ok(None) => continue,
            Err(error) => {
                tracing::warn!(%scope, %error, "config bundle not fetched");
                continue;
            }
        };
        tags.insert(scope.to_string(), etag);
        if held.get(scope.layer()).is_some_and(|h| h.bytes == bytes) {
            continue;
        }
        match fleet.consider(scope, &bytes, chrono::Local::now().fixed_offset()) {
            Outcome::Applied {
                version, config, ..
            } => {
                tracing::info!(%scope, version, "fleet config applied");
                *problem = None;
                emit(PlatformEvent::Config(ConfigData(std::sync::Arc::new(
                    *config,
                ))));
            }
            Outcome::RolledBack {
                problem: why,
                config,
            } => {
                tracing::warn!(%scope, version = why.version, reason = %why.reason, "fleet config rolled back");
                *problem = Some(why);
                emit(PlatformEvent::Config(ConfigData(std::sync::Arc::new(
                    *config,
                ))));
            }
            Outcome::Refused(why) => *problem = Some(why),
        }
    }
}

/// A config for the UI (its `Debug` says only the terminal).
#[derive(Clone)]
pub struct ConfigData(pub std::sync::Arc<kiosk_config::Config>);

impl PartialEq for ConfigData {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl Eq for ConfigData {}

impl std::fmt::Debug for ConfigData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConfigData({})", self.0.terminal.id)
    }
}

/// Lowers the calling thread's scheduling priority (nice 10): the
/// platform's work — heartbeats, catalogue parsing, draining thousands of
/// queued submissions — is never urgent to the second, while the UI's
/// frames are. When the cores are contended the scheduler gives them to
/// the UI first. Only this thread changes.
pub fn lower_thread_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take and return plain integers; on
    // Linux PRIO_PROCESS with a thread id sets that one thread's nice value.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        if libc::setpriority(libc::PRIO_PROCESS, tid, 10) != 0 {
            tracing::debug!("platform thread keeps its priority");
        }
    }
}

/// Hands memory freed after reading a whole catalogue (a few megabytes
/// of short-lived parsing) back to the system, so the kiosk's resident
/// size does not keep that high-water mark for months.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap pages; it touches no
    // live allocation and is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Sleeps in short steps, or until `wake` is set; true when stopped
/// meanwhile.
fn sleep_unless_stopped(total: Duration, stop: &AtomicBool, wake: Option<&AtomicBool>) -> bool {
    let until = std::time::Instant::now() + total;
    while std::time::Instant::now() < until {
        if stop.load(Ordering::SeqCst) {
            return true;
        }
        if wake.is_some_and(|w| w.load(Ordering::SeqCst)) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.load(Ordering::SeqCst)
}
