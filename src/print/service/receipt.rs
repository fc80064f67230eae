//! The receipt printer's thread: a receipt is journalled, sent, and
//! confirmed by the printer's status once it has had time to print.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use tongban_device::{DeviceKind, DeviceStatus};

use crate::print::receipt::ReceiptData;
use crate::store::{NewJob, RECEIPT_MM, Store};

use super::link::usb_receipt;
use super::thread::{report, run_printer};
use super::{
    Cause, LinkError, PrintRequest, PrinterEvent, Progress, Queue, ReceiptLink, Timing, now,
    readiness,
};

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

/// The receipt printer's thread on a serial port (or USB): reconnects while
/// the printer is away and prints what is queued until `stop`.
pub fn receipt_loop(
    service: &ReceiptService,
    timing: Timing,
    stop: &AtomicBool,
    emit: &mut dyn FnMut(PrinterEvent),
) {
    let (queue, requests) = Queue::pair();
    emit(PrinterEvent::Ready(queue));
    let store_path = service.store.as_path();
    run_printer(
        DeviceKind::ReceiptPrinter,
        &|| connect(service),
        |l| l.status(),
        timing,
        &requests,
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

/// The receipt printer named by the service: a USB printer when one is
/// chosen, else the serial port.
fn connect(service: &ReceiptService) -> Result<Box<dyn ReceiptLink>, LinkError> {
    if let Some(selector) = &service.usb {
        return usb_receipt(selector);
    }
    let printer = tongban_escpos::serial::SerialPrinter::open(&service.path, service.baud)?;
    Ok(Box::new(printer))
}

/// Prints one receipt. A thermal printer has no page counter: the receipt
/// is confirmed when, after the time it takes to print, the printer
/// reports no paper end, open cover or fault.
fn print_receipt(
    link: &mut dyn ReceiptLink,
    store_path: &std::path::Path,
    (ticket, kind): (&str, &str),
    data: &ReceiptData,
    token: u64,
    last: &mut Option<DeviceStatus>,
    emit: &mut dyn FnMut(PrinterEvent),
) -> Progress {
    let composed = match crate::print::receipt::compose(data) {
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
