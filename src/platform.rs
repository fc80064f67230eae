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
use tongban_platform_api::terminal::{Heartbeat, HeartbeatReply};
use tongban_platform_api::{SIGNATURE_HEADER, SignatureError, Signed, accept_catalogue, paths};

use crate::store::{HeldCatalogue, Outgoing, Store, StoreError};
use tongban_platform_api::application::{Accepted, IDEMPOTENCY_HEADER};

/// What went wrong talking to the platform.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// No connection, a timeout, a 5xx or an answer cut short, after every
    /// retry.
    #[error("the platform cannot be reached: {0}")]
    Unreachable(String),
    /// The platform refused the request (4xx).
    #[error("the platform refused the request: HTTP {0}")]
    Refused(u16),
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

/// Whether a failure is worth another try.
enum Failure {
    Transient(String),
    Final(ClientError),
}

impl Client {
    /// A client of the platform at `base` (`http://127.0.0.1:8600`).
    pub fn new(base: &str, options: ClientOptions) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
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
            check_status(status)?;
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
            let payload = response.bytes().await.map_err(transient)?.to_vec();
            let signed = Signed::from_parts(payload, &signature)
                .map_err(|e| Failure::Final(ClientError::Garbage(e.to_string())))?;
            Ok(Fetched::Catalogue { signed, etag })
        })
        .await
    }

    /// Submits one queued submission with its idempotency key. A retry
    /// after a lost answer gets the same acknowledgement, never a second
    /// application.
    pub async fn submit(&self, outgoing: &Outgoing) -> Result<Accepted, ClientError> {
        let path = match outgoing.kind.as_str() {
            "application" => paths::APPLICATIONS,
            _ => paths::RATINGS,
        };
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
            check_status(response.status())?;
            let bytes = response.bytes().await.map_err(transient)?;
            serde_json::from_slice(&bytes)
                .map_err(|e| Failure::Final(ClientError::Garbage(e.to_string())))
        })
        .await
    }

    /// Sends a heartbeat; the reply carries the platform's commands.
    pub async fn heartbeat(&self, beat: &Heartbeat) -> Result<HeartbeatReply, ClientError> {
        let url = format!("{}{}", self.base, paths::heartbeat(&beat.terminal));
        self.retry("heartbeat", || async {
            let response = self
                .http
                .post(&url)
                .json(beat)
                .send()
                .await
                .map_err(transient)?;
            check_status(response.status())?;
            let bytes = response.bytes().await.map_err(transient)?;
            serde_json::from_slice(&bytes)
                .map_err(|e| Failure::Final(ClientError::Garbage(e.to_string())))
        })
        .await
    }
}

fn transient(e: reqwest::Error) -> Failure {
    Failure::Transient(e.to_string())
}

fn check_status(status: reqwest::StatusCode) -> Result<(), Failure> {
    if status.is_success() {
        Ok(())
    } else if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        Err(Failure::Transient(format!("HTTP {}", status.as_u16())))
    } else {
        Err(Failure::Final(ClientError::Refused(status.as_u16())))
    }
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
    let held = store.catalogue()?.map(|h| h.version);
    let catalogue = match accept_catalogue(&signed, key, held) {
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
    let etag = store.catalogue()?.map(|h| h.etag);
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
/// acknowledged submissions in one transaction. A platform that cannot be
/// reached stops the drain where it is, so every resident's submissions
/// still arrive in the order they were made. Blocking store calls: run it
/// on its own task, never on the UI thread.
pub async fn drain_outbox(
    client: &Client,
    store: &mut Store,
    chunk: u32,
) -> Result<DrainReport, StoreError> {
    let mut report = DrainReport::default();
    loop {
        let head = store.outbox_head(chunk)?;
        if head.is_empty() {
            return Ok(report);
        }
        let mut done = Vec::with_capacity(head.len());
        for outgoing in &head {
            match client.submit(outgoing).await {
                Ok(_) => done.push(outgoing.id),
                Err(ClientError::Refused(status)) => {
                    store.outbox_done(&done)?;
                    report.delivered += done.len() as u64;
                    done.clear();
                    tracing::warn!(
                        id = outgoing.id,
                        status,
                        "submission refused by the platform"
                    );
                    store.outbox_reject(outgoing.id, &format!("HTTP {status}"))?;
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
    }
}
