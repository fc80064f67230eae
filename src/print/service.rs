//! The printing services: one thread per printer owns its connection,
//! watches its status, and runs the jobs the UI queues. Every job is
//! journalled in the store before its first byte is sent and closed only
//! on the printer's word: printed when every page is confirmed, failed
//! with the pages that did come out when the printer stops (paper out,
//! jam, cover open), uncertain when nobody can tell (the printer went away
//! mid-job). Supplies go down only for confirmed output, once.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use tongban_device::{CoverState, DeviceKind, DeviceState, DeviceStatus, MediaState, TonerState};

use tongban_laser::Bitmap;

use crate::store::{A4_SHEETS, A4_TONER, NewJob, RECEIPT_MM, Store};

/// What one confirmed A4 page uses: a sheet and a page of toner.
const A4_SUPPLIES: &[(&str, i64)] = &[(A4_SHEETS, 1), (A4_TONER, 1)];

/// Why a printer cannot print, or why a job stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    /// No printer is configured or found.
    NoPrinter,
    /// The printer does not answer.
    Offline,
    /// Out of paper.
    PaperOut,
    /// Paper jammed.
    Jammed,
    /// A cover is open.
    CoverOpen,
    /// Out of toner.
    TonerOut,
    /// A fault the printer reports (cutter, hardware).
    Fault,
    /// Another job is printing.
    Busy,
    /// The page could not be composed (bad licence data).
    Layout,
    /// The print journal cannot be written: nothing is printed unjournalled.
    Journal,
}

impl Cause {
    /// The message id residents see.
    pub fn message_id(self) -> &'static str {
        match self {
            Cause::NoPrinter => "printer-none",
            Cause::Offline => "printer-offline",
            Cause::PaperOut => "printer-paper-out",
            Cause::Jammed => "printer-jammed",
            Cause::CoverOpen => "printer-cover-open",
            Cause::TonerOut => "printer-toner-out",
            Cause::Fault => "printer-fault",
            Cause::Busy => "printer-busy",
            Cause::Layout => "printer-layout",
            Cause::Journal => "printer-journal",
        }
    }

    /// Words for the journal and logs (no personal data).
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::NoPrinter => "no printer",
            Cause::Offline => "printer not answering",
            Cause::PaperOut => "paper out",
            Cause::Jammed => "paper jam",
            Cause::CoverOpen => "cover open",
            Cause::TonerOut => "toner out",
            Cause::Fault => "printer fault",
            Cause::Busy => "printer busy",
            Cause::Layout => "layout failed",
            Cause::Journal => "journal unavailable",
        }
    }
}

/// Whether a printer in this state can take a job, and if not why.
pub fn readiness(status: &DeviceStatus) -> Result<(), Cause> {
    match status.state {
        DeviceState::NoDevice => return Err(Cause::NoPrinter),
        DeviceState::Offline => return Err(Cause::Offline),
        DeviceState::HardwareError => return Err(Cause::Fault),
        _ => {}
    }
    if status.cover == Some(CoverState::Open) {
        return Err(Cause::CoverOpen);
    }
    match status.media {
        Some(MediaState::Out) => return Err(Cause::PaperOut),
        Some(MediaState::Jammed) => return Err(Cause::Jammed),
        _ => {}
    }
    if status.toner == Some(TonerState::Out) {
        return Err(Cause::TonerOut);
    }
    if status.state == DeviceState::UserError {
        return Err(Cause::Fault);
    }
    Ok(())
}

/// A job for a printer. It holds personal data (the licence's page) only
/// until the thread has encoded it for the printer.
pub enum PrintRequest {
    /// Copies of an electronic licence on the A4 printer, one page each:
    /// the very page the resident saw in the preview.
    Licence {
        /// The UI's id for the job.
        token: u64,
        /// The platform's print ticket (no personal data).
        ticket: String,
        /// The composed page (A4 at 300 dpi).
        page: std::sync::Arc<Bitmap>,
        /// How many copies of it.
        copies: u32,
    },
    /// Staff's test page on the A4 printer (no personal data).
    TestPage {
        /// The UI's id for the job.
        token: u64,
        /// The page.
        page: std::sync::Arc<Bitmap>,
    },
    /// Staff's test receipt (no personal data).
    TestReceipt {
        /// The UI's id for the job.
        token: u64,
        /// The receipt.
        data: Box<super::receipt::ReceiptData>,
    },
    /// A receipt on the receipt printer.
    Receipt {
        /// The UI's id for the job.
        token: u64,
        /// The platform's ticket or application id (no personal data).
        ticket: String,
        /// The receipt (the applicant's name is already masked).
        data: Box<super::receipt::ReceiptData>,
    },
}

impl std::fmt::Debug for PrintRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrintRequest::Licence { token, copies, .. } => {
                write!(f, "Licence(token {token}, {copies} pages)")
            }
            PrintRequest::Receipt { token, .. } => write!(f, "Receipt(token {token})"),
            PrintRequest::TestPage { token, .. } => write!(f, "TestPage(token {token})"),
            PrintRequest::TestReceipt { token, .. } => write!(f, "TestReceipt(token {token})"),
        }
    }
}

impl PrintRequest {
    /// The UI's id for the job.
    pub fn token(&self) -> u64 {
        match self {
            PrintRequest::Licence { token, .. }
            | PrintRequest::Receipt { token, .. }
            | PrintRequest::TestPage { token, .. }
            | PrintRequest::TestReceipt { token, .. } => *token,
        }
    }
}

/// Where the UI queues jobs for a printer thread.
#[derive(Clone)]
pub struct Queue(Sender<PrintRequest>);

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Queue")
    }
}

impl Queue {
    /// Queues a job without waiting. Gives it back if the thread is gone.
    pub fn submit(&self, request: PrintRequest) -> Result<(), PrintRequest> {
        self.0.send(request).map_err(|e| e.0)
    }

    /// A queue and its receiving end (tests drive loops with it).
    pub fn pair() -> (Self, Receiver<PrintRequest>) {
        let (tx, rx) = std::sync::mpsc::channel();
        (Self(tx), rx)
    }
}

/// How a job is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Journalled; bytes are going to the printer.
    Started {
        /// Journal id.
        journal: i64,
        /// Pages (or receipts) asked for.
        pages: u32,
    },
    /// The printer confirmed this many pages.
    Page {
        /// Confirmed so far.
        printed: u32,
        /// Asked for.
        pages: u32,
    },
    /// Every page came out.
    Printed,
    /// The printer stopped; `printed` pages came out.
    Failed {
        /// Confirmed pages.
        printed: u32,
        /// Asked for.
        pages: u32,
        /// Why.
        cause: Cause,
    },
    /// Nobody can tell what came out; staff check it.
    Uncertain {
        /// Why.
        cause: Cause,
    },
    /// The job never started (nothing was sent).
    Refused(Cause),
}

/// What a printer thread reports.
#[derive(Debug, Clone)]
pub enum PrinterEvent {
    /// The thread runs; jobs go here.
    Ready(Queue),
    /// The printer's state changed.
    Status(DeviceStatus),
    /// A job moved on.
    Job {
        /// The UI's id for the job.
        token: u64,
        /// Where it is.
        progress: Progress,
    },
}

/// Why a printer link failed: what its driver said, or why a USB printer
/// found is not one the kiosk can use.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The A4 printer over TCP.
    #[error(transparent)]
    Tcp(#[from] tongban_laser::tcp::TcpError),
    /// PJL over another transport (USB).
    #[error(transparent)]
    Pjl(#[from] tongban_laser::link::LinkError),
    /// The receipt printer's serial or USB transport.
    #[error(transparent)]
    Transport(#[from] tongban_escpos::serial::TransportError),
    /// The USB printer class.
    #[error(transparent)]
    Usb(#[from] tongban_usbprint::UsbError),
    /// A USB printer that cannot say what it printed.
    #[error("the USB printer is uni-directional: it cannot confirm pages")]
    OneWay,
    /// A USB A4 printer without PJL and PCL.
    #[error("the USB printer {manufacturer} {model} does not speak PJL and PCL")]
    NoPjl {
        /// As its device id says.
        manufacturer: String,
        /// As its device id says.
        model: String,
    },
}

/// A connection to an A4 printer, whatever carries it.
pub trait A4Link: Send {
    /// Sends bytes.
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError>;
    /// The printer's status.
    fn status(&mut self) -> Result<DeviceStatus, LinkError>;
    /// Its page counter.
    fn pagecount(&mut self) -> Result<u64, LinkError>;
}

impl A4Link for tongban_laser::tcp::Printer {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        tongban_laser::tcp::Printer::send(self, bytes).map_err(LinkError::from)
    }

    fn status(&mut self) -> Result<DeviceStatus, LinkError> {
        tongban_laser::tcp::Printer::status(self)
            .map(|s| tongban_laser::pjl::device_status(&s))
            .map_err(LinkError::from)
    }

    fn pagecount(&mut self) -> Result<u64, LinkError> {
        tongban_laser::tcp::Printer::pagecount(self).map_err(LinkError::from)
    }
}

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

fn now() -> String {
    chrono::Local::now().to_rfc3339()
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
    let address = service.address;
    let usb = service.usb.clone();
    let connect = move || -> Result<Box<dyn A4Link>, LinkError> {
        match &usb {
            Some(selector) => usb_a4(selector),
            None => tongban_laser::tcp::Printer::connect(address, Duration::from_secs(2))
                .map(|p| Box::new(p) as Box<dyn A4Link>)
                .map_err(LinkError::from),
        }
    };
    run_a4(&connect, &service.store, timing, &requests, stop, emit);
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

/// A job run on a connected printer that can print; returns how it ended.
type RunJob<'a, L> = dyn FnMut(&mut L, PrintRequest, &mut Option<DeviceStatus>, &mut dyn FnMut(PrinterEvent)) -> Progress
    + 'a;

/// The body every printer thread shares: keep a link (reconnecting while
/// the printer is away), report status changes, refuse a job the printer
/// cannot take now, and run the others with `job`.
#[allow(clippy::too_many_arguments)]
fn run_printer<L: ?Sized>(
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
fn report(
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

    let mut store = match Store::open(store_path, Duration::from_secs(2)) {
        Ok(store) => store,
        Err(error) => {
            tracing::error!(%error, "print journal unavailable; job refused");
            return Progress::Refused(Cause::Journal);
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
            return Progress::Refused(Cause::Journal);
        }
    };
    let uncertain = |store: &mut Store, cause: Cause| {
        if let Err(error) = store.mark_uncertain(id, cause.as_str(), &now()) {
            tracing::error!(%error, job = id, "cannot mark the job uncertain");
        }
        tracing::warn!(job = id, cause = cause.as_str(), "print job uncertain");
        Progress::Uncertain { cause }
    };
    let start = match link.pagecount() {
        Ok(n) => n,
        Err(error) => {
            tracing::warn!(%error, "no page count before the job");
            // Nothing was sent: the job failed with nothing printed.
            let _ = store.finish_job(id, 0, Cause::Offline.as_str(), &[], &now());
            return Progress::Failed {
                printed: 0,
                pages,
                cause: Cause::Offline,
            };
        }
    };
    if let Err(error) = store.mark_sending(id, &now()) {
        tracing::error!(%error, job = id, "journal refused the job's start");
        let _ = store.finish_job(id, 0, Cause::Journal.as_str(), &[], &now());
        return Progress::Refused(Cause::Journal);
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
        return uncertain(&mut store, Cause::Offline);
    }

    let mut printed = 0u32;
    let mut moved = Instant::now();
    loop {
        if stop.load(Ordering::SeqCst) {
            // Stopping mid-job: the restart shows it as uncertain.
            return uncertain(&mut store, Cause::Offline);
        }
        std::thread::sleep(timing.poll.min(Duration::from_millis(250)));
        let count = match link.pagecount() {
            Ok(n) => n,
            Err(_) => return uncertain(&mut store, Cause::Offline),
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
            return match store.finish_job(id, printed, "", A4_SUPPLIES, &now()) {
                Ok(_) => {
                    tracing::info!(job = id, pages, "licence job printed");
                    Progress::Printed
                }
                Err(error) => {
                    tracing::error!(%error, job = id, "printed, but the journal cannot say so");
                    Progress::Printed
                }
            };
        }
        let current = match link.status() {
            Ok(s) => s,
            Err(_) => return uncertain(&mut store, Cause::Offline),
        };
        report(last, current, emit);
        match readiness(&current) {
            Err(cause) if moved.elapsed() >= timing.stalled => {
                let _ = store.finish_job(id, printed, cause.as_str(), A4_SUPPLIES, &now());
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
                return uncertain(&mut store, Cause::Offline);
            }
            _ => {}
        }
    }
}

/// A connection to a receipt printer, whatever carries it.
pub trait ReceiptLink: Send {
    /// Sends bytes.
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError>;
    /// The printer's status.
    fn status(&mut self) -> Result<DeviceStatus, LinkError>;
}

impl ReceiptLink for tongban_escpos::serial::SerialPrinter {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        tongban_escpos::serial::SerialPrinter::send(self, bytes).map_err(LinkError::from)
    }

    fn status(&mut self) -> Result<DeviceStatus, LinkError> {
        self.poll_status()
            .map(|s| s.device_status())
            .map_err(LinkError::from)
    }
}

/// How to reach the receipt printer and where the journal is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReceiptService {
    /// The serial port.
    pub path: PathBuf,
    /// A USB printer-class printer (vendor:product) to use instead.
    pub usb: Option<String>,
    /// Its speed.
    pub baud: u32,
    /// The store with the print journal.
    pub store: PathBuf,
}

/// The receipt printer's thread on a serial port.
pub fn receipt_loop(
    service: &ReceiptService,
    timing: Timing,
    stop: &AtomicBool,
    emit: &mut dyn FnMut(PrinterEvent),
) {
    let (queue, requests) = Queue::pair();
    emit(PrinterEvent::Ready(queue));
    let (path, baud) = (service.path.clone(), service.baud);
    let usb = service.usb.clone();
    let connect = move || -> Result<Box<dyn ReceiptLink>, LinkError> {
        match &usb {
            Some(selector) => usb_receipt(selector),
            None => tongban_escpos::serial::SerialPrinter::open(&path, baud)
                .map(|p| Box::new(p) as Box<dyn ReceiptLink>)
                .map_err(LinkError::from),
        }
    };
    run_receipt(&connect, &service.store, timing, &requests, stop, emit);
}

/// The receipt loop over any link.
pub fn run_receipt(
    connect: &dyn Fn() -> Result<Box<dyn ReceiptLink>, LinkError>,
    store_path: &std::path::Path,
    timing: Timing,
    requests: &Receiver<PrintRequest>,
    stop: &AtomicBool,
    emit: &mut dyn FnMut(PrinterEvent),
) {
    run_printer(
        DeviceKind::ReceiptPrinter,
        connect,
        |l| l.status(),
        timing,
        requests,
        stop,
        emit,
        &mut |link, request, last, emit| match request {
            PrintRequest::Receipt {
                token,
                ticket,
                data,
            } => print_receipt(
                link,
                store_path,
                (&ticket, "receipt"),
                &data,
                token,
                last,
                emit,
            ),
            PrintRequest::TestReceipt { token, data } => print_receipt(
                link,
                store_path,
                (&format!("TEST-{token}"), "test_receipt"),
                &data,
                token,
                last,
                emit,
            ),
            PrintRequest::Licence { token, .. } | PrintRequest::TestPage { token, .. } => {
                tracing::error!(
                    token,
                    "a licence was queued on the receipt printer; refused"
                );
                Progress::Refused(Cause::NoPrinter)
            }
        },
    );
}

/// Prints one receipt. A thermal printer has no page counter: the receipt
/// is confirmed when, after the time it takes to print, the printer
/// reports no paper end, open cover or fault.
fn print_receipt(
    link: &mut dyn ReceiptLink,
    store_path: &std::path::Path,
    (ticket, kind): (&str, &str),
    data: &super::receipt::ReceiptData,
    token: u64,
    last: &mut Option<DeviceStatus>,
    emit: &mut dyn FnMut(PrinterEvent),
) -> Progress {
    let composed = match super::receipt::compose(data) {
        Ok(c) => c,
        Err(error) => {
            tracing::error!(%error, "receipt cannot be composed");
            return Progress::Refused(Cause::Layout);
        }
    };
    let mut store = match Store::open(store_path, Duration::from_secs(2)) {
        Ok(store) => store,
        Err(error) => {
            tracing::error!(%error, "print journal unavailable; receipt refused");
            return Progress::Refused(Cause::Journal);
        }
    };
    let job = NewJob {
        printer: "receipt",
        kind,
        ticket,
        pages: 1,
    };
    let id = match store.journal_job(&job, &now()) {
        Ok(id) => id,
        Err(error) => {
            tracing::error!(%error, "receipt cannot be journalled; refused");
            return Progress::Refused(Cause::Journal);
        }
    };
    if let Err(error) = store.mark_sending(id, &now()) {
        tracing::error!(%error, job = id, "journal refused the receipt's start");
        let _ = store.finish_job(id, 0, Cause::Journal.as_str(), &[], &now());
        return Progress::Refused(Cause::Journal);
    }
    emit(PrinterEvent::Job {
        token,
        progress: Progress::Started {
            journal: id,
            pages: 1,
        },
    });
    let uncertain = |store: &mut Store, cause: Cause| {
        let _ = store.mark_uncertain(id, cause.as_str(), &now());
        tracing::warn!(job = id, cause = cause.as_str(), "receipt uncertain");
        Progress::Uncertain { cause }
    };
    if let Err(error) = link.send(&composed.bytes) {
        tracing::warn!(%error, job = id, "sending the receipt failed");
        return uncertain(&mut store, Cause::Offline);
    }
    // About 150 mm/s, and at least a moment for the printer to take it in.
    let printing = Duration::from_millis(u64::from(composed.length_mm) * 1000 / 150)
        .max(Duration::from_millis(300));
    std::thread::sleep(printing);
    let status = match link.status() {
        Ok(s) => s,
        Err(_) => return uncertain(&mut store, Cause::Offline),
    };
    report(last, status, emit);
    match readiness(&status) {
        Ok(()) => {
            let _ = store.finish_job(
                id,
                1,
                "",
                &[(RECEIPT_MM, i64::from(composed.length_mm))],
                &now(),
            );
            tracing::info!(job = id, length_mm = composed.length_mm, "receipt printed");
            Progress::Printed
        }
        Err(cause) => {
            let _ = store.finish_job(id, 0, cause.as_str(), &[], &now());
            tracing::warn!(job = id, cause = cause.as_str(), "receipt failed");
            Progress::Failed {
                printed: 0,
                pages: 1,
                cause,
            }
        }
    }
}

/// The A4 printer on USB: PJL over the printer-class bulk endpoints. Only a
/// bi-directional printer that speaks PJL and PCL is taken — without its
/// replies no page could be confirmed.
fn usb_a4(selector: &str) -> Result<Box<dyn A4Link>, LinkError> {
    use tongban_usbprint::{Timeouts, UsbPrinter};
    let selector = selector
        .parse()
        .map_err(|e: tongban_usbprint::UsbError| LinkError::from(e))?;
    let printer = UsbPrinter::open(selector, Timeouts::default()).map_err(LinkError::from)?;
    if !printer.bidirectional() {
        return Err(LinkError::OneWay);
    }
    if let Ok(id) = printer.device_id()
        && !(id.supports("PJL") && id.supports("PCL"))
    {
        return Err(LinkError::NoPjl {
            manufacturer: id.manufacturer,
            model: id.model,
        });
    }
    Ok(Box::new(UsbA4(tongban_laser::link::PjlLink::new(
        printer,
        Duration::from_secs(2),
    ))))
}

struct UsbA4(tongban_laser::link::PjlLink<tongban_usbprint::UsbPrinter>);

impl A4Link for UsbA4 {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        self.0.send(bytes).map_err(LinkError::from)
    }

    fn status(&mut self) -> Result<DeviceStatus, LinkError> {
        self.0
            .status()
            .map(|s| tongban_laser::pjl::device_status(&s))
            .map_err(LinkError::from)
    }

    fn pagecount(&mut self) -> Result<u64, LinkError> {
        self.0.pagecount().map_err(LinkError::from)
    }
}

/// The receipt printer on USB: ESC/POS over the bulk endpoints, status by
/// `DLE EOT` where the printer answers on bulk IN, else from the port
/// status the printer class defines.
fn usb_receipt(selector: &str) -> Result<Box<dyn ReceiptLink>, LinkError> {
    use tongban_usbprint::{Timeouts, UsbPrinter};
    let selector = selector
        .parse()
        .map_err(|e: tongban_usbprint::UsbError| LinkError::from(e))?;
    let printer = UsbPrinter::open(selector, Timeouts::default()).map_err(LinkError::from)?;
    Ok(Box::new(UsbReceipt(printer)))
}

struct UsbReceipt(tongban_usbprint::UsbPrinter);

impl ReceiptLink for UsbReceipt {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        tongban_escpos::serial::send(&mut self.0, bytes).map_err(LinkError::from)
    }

    fn status(&mut self) -> Result<DeviceStatus, LinkError> {
        if self.0.bidirectional() {
            return tongban_escpos::serial::poll_status(&mut self.0, Duration::from_millis(500))
                .map(|s| s.device_status())
                .map_err(LinkError::from);
        }
        let port = self.0.port_status().map_err(LinkError::from)?;
        let status = tongban_escpos::PrinterStatus {
            offline: !port.selected || port.error,
            paper_end: port.paper_empty,
            ..Default::default()
        };
        Ok(status.device_status())
    }
}
