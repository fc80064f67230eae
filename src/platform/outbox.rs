//! The outbox sender: queued submissions delivered in order, a chunk at a
//! time, each chunk's acknowledged ones removed in one transaction; and
//! the forms of refused ones dropped after their keep time.

use std::time::Duration;

use super::{Client, ClientError};
use crate::store::{Store, StoreError};

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
