//! The client calls: a [`Client`] of one platform, the calls it makes
//! (catalogue, submissions, resident sessions and what hangs off them,
//! print tickets, config bundles, the heartbeat) and how each is sent —
//! with a timeout, retried with jittered exponential backoff while the
//! failure is transient, its answer read with a cap.

use std::time::Duration;

use tongban_platform_api::application::IDEMPOTENCY_HEADER;
use tongban_platform_api::problem::Problem;
use tongban_platform_api::resident::ResidentSession;
use tongban_platform_api::terminal::{Heartbeat, HeartbeatReply};
use tongban_platform_api::{SIGNATURE_HEADER, Signed, paths};

use super::tls;
use crate::store::{Outgoing, SubmissionKind};

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
