//! Submitting what a resident filled in (applications) or gave (ratings):
//! committed to the outbox first, then — when the platform answers and
//! nothing of the same resident waits ahead — sent at once, so the
//! resident leaves with the platform's application number. Otherwise the
//! platform thread delivers it later and the receipt carries the
//! terminal's reference. Runs in a task, never in `update`.
//!
//! A new application is refused before anything is written while the
//! store's disk is nearly full (`store.min_free_mb`, measured again right
//! then by the store's [`crate::disk`] guard): the form stays and the
//! resident is told, rather than a write failing halfway. Ratings and
//! print results, which close what was already done, are still taken.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::platform::{Client, ClientOptions};
use crate::store::{Outgoing, Store, StoreError, SubmissionKind};

/// What one submission became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The platform's application number (or rating id), or the outbox key
    /// while it waits.
    pub number: String,
    /// Whether the platform has it.
    pub delivered: bool,
}

/// Why nothing was taken. The form stays on screen; nothing was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// The disk is nearly full: new applications are not taken until
    /// space is freed. Nothing was written.
    #[error("the disk is nearly full")]
    DiskLow,
    /// The disk is full.
    #[error("the disk is full")]
    DiskFull,
    /// The store could not be written.
    #[error("the store cannot be written")]
    Store,
    /// The terminal has no store to queue in.
    #[error("no store")]
    NoStore,
}

impl SubmitError {
    /// The Fluent id of the sentence for the resident.
    pub fn message_id(self) -> &'static str {
        match self {
            SubmitError::DiskLow => "submit-error-disk-low",
            SubmitError::DiskFull => "submit-error-disk-full",
            SubmitError::Store | SubmitError::NoStore => "submit-error-store",
        }
    }
}

/// The options of the call made while the resident waits: short, so a
/// platform that is slow to answer leaves the submission to the outbox
/// rather than keeping the resident.
pub fn waiting_options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(6),
        attempts: 2,
        backoff: Duration::from_millis(300),
    }
}

/// What to submit.
pub struct Submission {
    /// The kiosk's store.
    pub store: Option<PathBuf>,
    /// What it is.
    pub kind: SubmissionKind,
    /// The resident's reference (orders their submissions).
    pub resident: String,
    /// The JSON bodies, in order (several for a bundle).
    pub bodies: Vec<Vec<u8>>,
    /// When (RFC 3339).
    pub at: String,
}

/// Why the blocking part queued nothing.
enum NotQueued {
    /// The disk guard refused a new application.
    DiskLow,
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for NotQueued {
    fn from(error: StoreError) -> Self {
        NotQueued::Store(error)
    }
}

/// Queues the submission and, if the platform answers, delivers it.
pub async fn submit(
    submission: Submission,
    client: Option<Client>,
) -> Result<Vec<Sent>, SubmitError> {
    let Submission {
        store,
        kind,
        resident,
        bodies,
        at,
    } = submission;
    let store = store.ok_or(SubmitError::NoStore)?;
    let (keys, ahead) = queue(&store, kind, &resident, &bodies, at).await?;
    tracing::info!(
        kind = kind.as_str(),
        count = keys.len(),
        "submission queued"
    );
    let mut sent: Vec<Sent> = keys
        .iter()
        .map(|k| Sent {
            number: k.clone(),
            delivered: false,
        })
        .collect();
    let Some(client) = client else {
        return Ok(sent);
    };
    if ahead > 0 {
        tracing::info!(
            ahead,
            "earlier submissions of this resident wait; left to the outbox"
        );
        return Ok(sent);
    }
    let done = deliver(&client, kind, &resident, &keys, bodies, &mut sent).await;
    if !done.is_empty() {
        remove_delivered(store, done).await;
    }
    Ok(sent)
}

/// Commits the submission to the outbox (off the async threads): its
/// outbox keys, and how many of the same resident's submissions wait
/// ahead of it. A new application is refused first while the disk is
/// nearly full.
async fn queue(
    store: &Path,
    kind: SubmissionKind,
    resident: &str,
    bodies: &[Vec<u8>],
    at: String,
) -> Result<(Vec<String>, u64), SubmitError> {
    let queued = {
        // This copy of the forms is overwritten when the task is done
        // with it, whatever way it ends; the outbox holds them.
        let (store, resident, bodies) = (
            store.to_owned(),
            resident.to_owned(),
            zeroize::Zeroizing::new(bodies.to_vec()),
        );
        tokio::task::spawn_blocking(move || -> Result<(Vec<String>, u64), NotQueued> {
            if kind == SubmissionKind::Application
                && crate::disk::registered(&store).is_some_and(|guard| guard.refuses_new())
            {
                return Err(NotQueued::DiskLow);
            }
            let mut s = Store::open(&store, Duration::from_secs(2))?;
            let keys = s.enqueue_all(kind, &resident, bodies.as_slice(), &at)?;
            let ahead = match keys.first() {
                Some(k) => s.outbox_ahead_of(k)?,
                None => 0,
            };
            Ok((keys, ahead))
        })
        .await
    };
    match queued {
        Ok(Ok(q)) => Ok(q),
        Ok(Err(NotQueued::DiskLow)) => {
            tracing::warn!("application not taken: the disk is nearly full");
            Err(SubmitError::DiskLow)
        }
        Ok(Err(NotQueued::Store(StoreError::DiskFull { .. }))) => {
            tracing::error!("submission not taken: the disk is full");
            Err(SubmitError::DiskFull)
        }
        Ok(Err(NotQueued::Store(error))) => {
            tracing::error!(%error, "submission not taken");
            Err(SubmitError::Store)
        }
        Err(error) => {
            tracing::error!(%error, "submission task failed");
            Err(SubmitError::Store)
        }
    }
}

/// Sends the queued submissions in order while the resident waits,
/// marking each the platform acknowledged in `sent`; stops at the first
/// that fails (the rest stay queued). Returns the outbox keys delivered.
async fn deliver(
    client: &Client,
    kind: SubmissionKind,
    resident: &str,
    keys: &[String],
    bodies: Vec<Vec<u8>>,
    sent: &mut [Sent],
) -> Vec<String> {
    // The acknowledgement's number; a print result has none (it is
    // known by its ticket).
    let field = crate::platform::acknowledgement_field(kind);
    let mut done = Vec::new();
    for (i, (key, body)) in keys.iter().zip(bodies).enumerate() {
        let outgoing = Outgoing {
            id: 0,
            kind: kind.to_owned(),
            resident: resident.to_owned(),
            idempotency_key: key.clone(),
            body,
        };
        match client.submit(&outgoing).await {
            Ok(ack) => {
                let number = match field {
                    Some(field) => ack.get(field).and_then(|v| v.as_str()).map(str::to_owned),
                    None => Some(key.clone()),
                };
                if let Some(number) = number {
                    sent[i] = Sent {
                        number,
                        delivered: true,
                    };
                    done.push(key.clone());
                }
            }
            Err(error) => {
                // The rest stay queued, in order, for the platform thread.
                tracing::info!(%error, "submission left to the outbox");
                break;
            }
        }
    }
    done
}

/// Removes the submissions delivered at once from the outbox, and folds
/// the WAL's old pages (which still hold the forms) into the file.
async fn remove_delivered(store: PathBuf, done: Vec<String>) {
    let removed = tokio::task::spawn_blocking(move || -> Result<(), StoreError> {
        let mut s = Store::open(&store, Duration::from_secs(2))?;
        for key in &done {
            s.outbox_done_key(key)?;
        }
        // The WAL's old pages still hold the form: fold them in.
        s.checkpoint()
    })
    .await;
    if !matches!(removed, Ok(Ok(()))) {
        // Harmless: the platform thread sends them again and the
        // platform answers with the same numbers.
        tracing::warn!("delivered submissions not yet removed from the outbox");
    }
}
