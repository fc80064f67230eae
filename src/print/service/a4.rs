//! The A4 printer's thread: licence copies and test pages, each job
//! journalled before its first byte and closed on the printer's page
//! counter.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use tongban_device::{DeviceKind, DeviceStatus};
use tongban_laser::Bitmap;

use crate::store::{A4_SHEETS, A4_TONER, NewJob, Store};

use super::link::usb_a4;
use super::thread::{report, run_printer};
use super::{
    A4Link, Cause, LinkError, PrintRequest, PrinterEvent, Progress, Queue, Timing, now, readiness,
};

/// What one confirmed A4 page uses: a sheet and a page of toner.
const A4_SUPPLIES: &[(&str, i64)] = &[(A4_SHEETS, 1), (A4_TONER, 1)];

/// How to reach the A4 printer and where the journal is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct A4Service {
    /// The printer's TCP address (port 9100).
    pub address: std::net::SocketAddr,
    /// A USB printer-class printer (vendor:product) to use instead.
    pub usb: Option<String>,
    /// The store with the print journal.
    pub store: PathBuf,
}

/// The A4 printer's thread over TCP: connects (and reconnects), reports
/// status changes, and runs queued jobs until `stop`.
pub fn a4_loop(
    service: &A4Service,
    timing: Timing,
    stop: &AtomicBool,
    emit: &mut dyn FnMut(PrinterEvent),
) {
    let (queue, requests) = Queue::pair();
    emit(PrinterEvent::Ready(queue));
    run_a4(
        &|| connect(service),
        &service.store,
        timing,
        &requests,
        stop,
        emit,
    );
}

/// The A4 printer named by the service: a USB printer when one is chosen,
/// else the network printer.
fn connect(service: &A4Service) -> Result<Box<dyn A4Link>, LinkError> {
    match &service.usb {
        Some(selector) => usb_a4(selector),
        None => {
            let printer =
                tongban_laser::tcp::Printer::connect(service.address, Duration::from_secs(2))?;
            Ok(Box::new(printer))
        }
    }
}

/// The A4 loop over any link (TCP, USB, or a test double).
pub fn run_a4(
    connect: &dyn Fn() -> Result<Box<dyn A4Link>, LinkError>,
    store_path: &std::path::Path,
    timing: Timing,
    requests: &Receiver<PrintRequest>,
    stop: &AtomicBool,
    emit: &mut dyn FnMut(PrinterEvent),
) {
    run_printer(
        DeviceKind::A4Printer,
        connect,
        |l| l.status(),
        timing,
        requests,
        stop,
        emit,
        &mut |link, request, last, emit| match request {
            PrintRequest::Licence {
                token,
                ticket,
                page,
                copies,
            } => print_licences(
                link,
                store_path,
                (&ticket, "licence"),
                &page,
                copies,
                timing,
                stop,
                token,
                last,
                emit,
            ),
            PrintRequest::TestPage { token, page } => print_licences(
                link,
                store_path,
                (&format!("TEST-{token}"), "test_page"),
                &page,
                1,
                timing,
                stop,
                token,
                last,
                emit,
            ),
            PrintRequest::Receipt { token, .. } | PrintRequest::TestReceipt { token, .. } => {
                tracing::error!(token, "a receipt was queued on the A4 printer; refused");
                Progress::Refused(Cause::NoPrinter)
            }
        },
    );
}

/// Runs one licence job to its end and returns how it ended; the steps
/// before the end and status changes go to `emit` as they happen.
#[allow(clippy::too_many_arguments)]
fn print_licences(
    link: &mut dyn A4Link,
    store_path: &std::path::Path,
    (ticket, kind): (&str, &str),
    page: &Bitmap,
    copies: u32,
    timing: Timing,
    stop: &AtomicBool,
    token: u64,
    last: &mut Option<DeviceStatus>,
    emit: &mut dyn FnMut(PrinterEvent),
) -> Progress {
    let pages = copies;
    if pages == 0 || page.width == 0 || page.height == 0 {
        tracing::error!(pages, "licence job without a page; refused");
        return Progress::Refused(Cause::Layout);
    }
    let bytes = encode_copies(ticket, page, pages);
    let mut job = match journal(store_path, (ticket, kind), pages, token) {
        Ok(job) => job,
        Err(refused) => return refused,
    };
    let start = match send(link, &mut job, bytes, emit) {
        Ok(start) => start,
        Err(end) => return end,
    };
    watch_pages(link, &mut job, start, timing, stop, last, emit)
}

/// The printer's job for `pages` copies of `page`: the page encoded once
/// and sent once per copy, in a PJL job named after the ticket. The
/// encoded copies are wiped once they are in the job.
fn encode_copies(ticket: &str, page: &Bitmap, pages: u32) -> Vec<u8> {
    // One page, encoded once, sent once per copy.
    let encoded = tongban_laser::encode_page(page);
    let mut pcl = Vec::with_capacity(encoded.len() * pages as usize);
    for _ in 0..pages {
        pcl.extend_from_slice(&encoded);
    }
    let bytes = tongban_laser::pjl::job(ticket, &pcl);
    // The personal data is in `bytes` now; the rest goes.
    zeroize::Zeroize::zeroize(&mut pcl);
    drop(encoded);
    bytes
}

/// A licence job once it is in the journal: the open journal, the job's
/// id in it, how many pages it asks for, and the UI's id for it.
struct Journalled {
    store: Store,
    id: i64,
    pages: u32,
    token: u64,
}

impl Journalled {
    /// Marks the job uncertain (staff check what came out) and says so.
    fn uncertain(&mut self, cause: Cause) -> Progress {
        let id = self.id;
        if let Err(error) = self.store.mark_uncertain(id, cause.as_str(), &now()) {
            tracing::error!(%error, job = id, "cannot mark the job uncertain");
        }
        tracing::warn!(job = id, cause = cause.as_str(), "print job uncertain");
        Progress::Uncertain { cause }
    }
}

/// Opens the print journal and records the job in it before anything is
/// sent; without a journal the job is refused.
fn journal(
    store_path: &std::path::Path,
    (ticket, kind): (&str, &str),
    pages: u32,
    token: u64,
) -> Result<Journalled, Progress> {
    let mut store = match Store::open(store_path, Duration::from_secs(2)) {
        Ok(store) => store,
        Err(error) => {
            tracing::error!(%error, "print journal unavailable; job refused");
            return Err(Progress::Refused(Cause::Journal));
        }
    };
    let job = NewJob {
        printer: "a4",
        kind,
        ticket,
        pages,
    };
    let id = match store.journal_job(&job, &now()) {
        Ok(id) => id,
        Err(error) => {
            tracing::error!(%error, "print job cannot be journalled; refused");
            return Err(Progress::Refused(Cause::Journal));
        }
    };
    Ok(Journalled {
        store,
        id,
        pages,
        token,
    })
}

/// Reads the page counter the job's pages are counted from, marks the job
/// as sending, and sends it (wiping the bytes after). Returns the counter
/// before the job, or how the job ended when it cannot go on.
fn send(
    link: &mut dyn A4Link,
    job: &mut Journalled,
    bytes: Vec<u8>,
    emit: &mut dyn FnMut(PrinterEvent),
) -> Result<u64, Progress> {
    let (id, pages, token) = (job.id, job.pages, job.token);
    let store = &mut job.store;
    let start = match link.pagecount() {
        Ok(n) => n,
        Err(error) => {
            tracing::warn!(%error, "no page count before the job");
            // Nothing was sent: the job failed with nothing printed.
            let _ = store.finish_job(id, 0, Cause::Offline.as_str(), &[], &now());
            return Err(Progress::Failed {
                printed: 0,
                pages,
                cause: Cause::Offline,
            });
        }
    };
    if let Err(error) = store.mark_sending(id, &now()) {
        tracing::error!(%error, job = id, "journal refused the job's start");
        let _ = store.finish_job(id, 0, Cause::Journal.as_str(), &[], &now());
        return Err(Progress::Refused(Cause::Journal));
    }
    emit(PrinterEvent::Job {
        token,
        progress: Progress::Started { journal: id, pages },
    });
    tracing::info!(job = id, pages, bytes = bytes.len(), "licence job sent");
    let sent = link.send(&bytes);
    let mut bytes = bytes;
    zeroize::Zeroize::zeroize(&mut bytes);
    if let Err(error) = sent {
        tracing::warn!(%error, job = id, "sending the job failed");
        return Err(job.uncertain(Cause::Offline));
    }
    Ok(start)
}

/// Follows a sent job on the printer's page counter until every page is
/// confirmed (printed), the printer stays in an error with no page coming
/// (failed), or nobody can tell (uncertain: a stop, a link gone quiet or
/// lost). Pages and status changes go to `emit` as they happen.
fn watch_pages(
    link: &mut dyn A4Link,
    job: &mut Journalled,
    start: u64,
    timing: Timing,
    stop: &AtomicBool,
    last: &mut Option<DeviceStatus>,
    emit: &mut dyn FnMut(PrinterEvent),
) -> Progress {
    let (id, pages, token) = (job.id, job.pages, job.token);
    let mut printed = 0u32;
    let mut moved = Instant::now();
    loop {
        if stop.load(Ordering::SeqCst) {
            // Stopping mid-job: the restart shows it as uncertain.
            return job.uncertain(Cause::Offline);
        }
        std::thread::sleep(timing.poll.min(Duration::from_millis(250)));
        let count = match link.pagecount() {
            Ok(n) => n,
            Err(_) => return job.uncertain(Cause::Offline),
        };
        let now_printed = (count.saturating_sub(start) as u32).min(pages);
        if now_printed != printed {
            printed = now_printed;
            moved = Instant::now();
            emit(PrinterEvent::Job {
                token,
                progress: Progress::Page { printed, pages },
            });
        }
        if printed == pages {
            return printed_in_full(job, printed);
        }
        let current = match link.status() {
            Ok(s) => s,
            Err(_) => return job.uncertain(Cause::Offline),
        };
        report(last, current, emit);
        match readiness(&current) {
            Err(cause) if moved.elapsed() >= timing.stalled => {
                let _ = job
                    .store
                    .finish_job(id, printed, cause.as_str(), A4_SUPPLIES, &now());
                tracing::warn!(
                    job = id,
                    printed,
                    pages,
                    cause = cause.as_str(),
                    "licence job failed"
                );
                return Progress::Failed {
                    printed,
                    pages,
                    cause,
                };
            }
            _ if moved.elapsed() >= timing.silent => {
                return job.uncertain(Cause::Offline);
            }
            _ => {}
        }
    }
}

/// Closes a job whose every page came out, counting the supplies they
/// used; it printed even when the journal cannot record it.
fn printed_in_full(job: &mut Journalled, printed: u32) -> Progress {
    let (id, pages) = (job.id, job.pages);
    match job.store.finish_job(id, printed, "", A4_SUPPLIES, &now()) {
        Ok(_) => {
            tracing::info!(job = id, pages, "licence job printed");
            Progress::Printed
        }
        Err(error) => {
            tracing::error!(%error, job = id, "printed, but the journal cannot say so");
            Progress::Printed
        }
    }
}
