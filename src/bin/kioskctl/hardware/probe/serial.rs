//! Probing devices on a serial port: the GA/T 467 ID card reader, the QR
//! scanner and an ESC/POS receipt printer.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tongban_device::DeviceStatus;

use super::{Answered, Failed, Failure, answer, sam_id_text, status_words};

pub(super) fn probe_reader(path: &Path, baud: u32, timeout: Duration) -> Result<Answered, Failed> {
    use ga467::frame::Command;
    use ga467::serial::{Port, ReaderError};
    let mut port = Port::open(path, baud).map_err(|e| (Failure::Io, e.to_string()))?;
    let said = |e: ReaderError| match e {
        ReaderError::Timeout(t) => (
            Failure::Timeout,
            format!(
                "{} opened, but nothing answered the SAM status request within {t:?}: the reader is off, is not a GA/T 467 reader, or runs at another speed than {baud} baud",
                path.display()
            ),
        ),
        ReaderError::Frame(f) => (
            Failure::Garbage,
            format!(
                "{} answers garbage ({f}): another device is on this port, or the speed is not {baud} baud",
                path.display()
            ),
        ),
        other => (Failure::Io, format!("{}: {other}", path.display())),
    };
    let status = port.transact(Command::SamStatus, timeout).map_err(said)?;
    let mut answers = vec![answer("sam_status", format!("{:?}", status.status))];
    let state = if status.status.is_success() {
        tongban_device::DeviceState::Online
    } else {
        tongban_device::DeviceState::HardwareError
    };
    let id = port.transact(Command::SamId, timeout).map_err(said)?;
    if id.status.is_success() {
        answers.push(answer("sam_id", sam_id_text(&id.data)));
    } else {
        answers.push(answer("sam_id", format!("refused: {:?}", id.status)));
    }
    let status = DeviceStatus {
        state,
        ..DeviceStatus::absent(tongban_device::DeviceKind::IdCardReader)
    };
    answers.insert(0, answer("status", status_words(&status)));
    Ok((answers, Some(status)))
}

pub(super) fn probe_scanner(
    path: &Path,
    baud: u32,
    terminator: tongban_scanner::Terminator,
    limit: usize,
    wait: Duration,
) -> Result<Answered, Failed> {
    use tongban_scanner::serial::{ScannerConfig, ScannerEvent, read_loop};
    let config = ScannerConfig {
        path: path.to_owned(),
        baud,
        terminator,
        limit,
        reconnect: Duration::from_millis(200),
    };
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let mut opened = false;
    let mut scanned: Option<Result<usize, String>> = None;
    let mut failed = false;
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        let stop = &stop;
        s.spawn(move || read_loop(&config, stop, |e| drop(tx.send(e))));
        while started.elapsed() < wait && scanned.is_none() && !failed {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(ScannerEvent::State(state)) => {
                    opened = state.is_usable();
                    failed = !opened;
                }
                Ok(ScannerEvent::Scanned(scan)) => scanned = Some(Ok(scan.text().len())),
                Ok(ScannerEvent::Rejected(e)) => scanned = Some(Err(e.to_string())),
                Err(_) => {}
            }
        }
        stop.store(true, Ordering::SeqCst);
    });
    if !opened {
        return Err((
            Failure::Io,
            format!(
                "{} exists and may be opened, but the serial driver refused it (in use by another program, or not a serial port)",
                path.display()
            ),
        ));
    }
    let status = DeviceStatus {
        state: tongban_device::DeviceState::Online,
        ..DeviceStatus::absent(tongban_device::DeviceKind::QrScanner)
    };
    // Only the length: a code may be a resident's token.
    let scan = match scanned {
        Some(Ok(len)) => format!("a code of {len} bytes"),
        Some(Err(e)) => return Err((Failure::Garbage, format!("{}: {e}", path.display()))),
        None => format!(
            "none within {:?} (a scanner speaks only when it scans: scan a code while probing, or wait longer with --wait)",
            wait
        ),
    };
    Ok((
        vec![
            answer("status", status_words(&status)),
            answer("scan", scan),
        ],
        Some(status),
    ))
}

pub(super) fn escpos_failure(path: &str, e: tongban_escpos::serial::TransportError) -> Failed {
    use tongban_escpos::serial::TransportError;
    match e {
        TransportError::NoAnswer(t) => (
            Failure::Timeout,
            format!(
                "{path} opened, but the printer did not answer a status request (DLE EOT) within {t:?}: it is off, not an ESC/POS printer, or at another speed"
            ),
        ),
        TransportError::Garbage(g) => (
            Failure::Garbage,
            format!("{path} answers garbage to DLE EOT: {g}"),
        ),
        other => (Failure::Io, format!("{path}: {other}")),
    }
}

pub(super) fn probe_serial_receipt(
    path: &Path,
    baud: u32,
    timeout: Duration,
) -> Result<Answered, Failed> {
    let shown = path.display().to_string();
    let mut printer = tongban_escpos::serial::SerialPrinter::open(path, baud)
        .map_err(|e| (Failure::Io, e.to_string()))?;
    // The driver's own poll waits 500 ms for each byte; try until the
    // probe's time is up, as a printer just switched on may be slow.
    let deadline = Instant::now() + timeout;
    let status = loop {
        match printer.poll_status() {
            Ok(s) => break s.device_status(),
            Err(e) if Instant::now() >= deadline => return Err(escpos_failure(&shown, e)),
            Err(tongban_escpos::serial::TransportError::NoAnswer(_)) => {}
            Err(e) => return Err(escpos_failure(&shown, e)),
        }
    };
    Ok((vec![answer("status", status_words(&status))], Some(status)))
}
