//! The body every printer thread shares: keeping a link to the printer,
//! reporting its status as it changes, and running or refusing the jobs
//! queued on it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use tongban_device::{DeviceKind, DeviceState, DeviceStatus};

use super::{Cause, LinkError, PrintRequest, PrinterEvent, Progress, readiness};

/// Timings of a printer loop (tests shorten them).
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// How often the status is asked for.
    pub poll: Duration,
    /// Wait before reconnecting to a printer that is away.
    pub reconnect: Duration,
    /// A job whose pages stop coming with the printer in an error state
    /// this long has failed.
    pub stalled: Duration,
    /// A job with no page and no error this long is uncertain.
    pub silent: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(500),
            reconnect: Duration::from_secs(1),
            stalled: Duration::from_secs(2),
            silent: Duration::from_secs(120),
        }
    }
}

/// A job run on a connected printer that can print; returns how it ended.
pub(super) type RunJob<'a, L> = dyn FnMut(&mut L, PrintRequest, &mut Option<DeviceStatus>, &mut dyn FnMut(PrinterEvent)) -> Progress
    + 'a;

/// The body every printer thread shares: keep a link (reconnecting while
/// the printer is away), report status changes, refuse a job the printer
/// cannot take now, and run the others with `job`.
#[allow(clippy::too_many_arguments)]
pub(super) fn run_printer<L: ?Sized>(
    kind: DeviceKind,
    connect: &dyn Fn() -> Result<Box<L>, LinkError>,
    status_of: fn(&mut L) -> Result<DeviceStatus, LinkError>,
    timing: Timing,
    requests: &Receiver<PrintRequest>,
    stop: &AtomicBool,
    emit: &mut dyn FnMut(PrinterEvent),
    job: &mut RunJob<'_, L>,
) {
    let mut link: Option<Box<L>> = None;
    let mut last: Option<DeviceStatus> = None;
    let offline = DeviceStatus {
        state: DeviceState::Offline,
        ..DeviceStatus::absent(kind)
    };
    let mut next_connect = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        if link.is_none() && Instant::now() >= next_connect {
            match connect() {
                Ok(l) => {
                    tracing::info!(device = kind.as_str(), "printer connected");
                    link = Some(l);
                }
                Err(error) => {
                    tracing::debug!(device = kind.as_str(), %error, "printer not reachable");
                    report(&mut last, offline, emit);
                    next_connect = Instant::now() + timing.reconnect;
                }
            }
        }
        if let Some(l) = link.as_mut() {
            match status_of(l) {
                Ok(status) => report(&mut last, status, emit),
                Err(error) => {
                    tracing::warn!(device = kind.as_str(), %error, "printer stopped answering");
                    link = None;
                    report(&mut last, offline, emit);
                    next_connect = Instant::now() + timing.reconnect;
                }
            }
        }
        let request = match requests.recv_timeout(timing.poll) {
            Ok(request) => request,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let token = request.token();
        let status = last.unwrap_or(offline);
        let progress = match (link.as_mut(), readiness(&status)) {
            (Some(l), Ok(())) => job(l, request, &mut last, emit),
            (None, _) => Progress::Refused(Cause::Offline),
            (_, Err(cause)) => Progress::Refused(cause),
        };
        if matches!(progress, Progress::Uncertain { .. }) {
            link = None;
            next_connect = Instant::now() + timing.reconnect;
        }
        emit(PrinterEvent::Job { token, progress });
    }
}

/// Reports a status when it changed.
pub(super) fn report(
    last: &mut Option<DeviceStatus>,
    status: DeviceStatus,
    emit: &mut dyn FnMut(PrinterEvent),
) {
    if *last != Some(status) {
        tracing::info!(
            device = status.kind.as_str(),
            state = status.state.as_str(),
            media = ?status.media,
            toner = ?status.toner,
            cover = ?status.cover,
            "printer status"
        );
        *last = Some(status);
        emit(PrinterEvent::Status(status));
    }
}
