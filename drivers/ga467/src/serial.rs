//! The reader on a serial port (feature `serial`): a port that sends one
//! request and waits, with a timeout, for its response; and the poll loop a
//! device thread runs — find → select → read, each card read once, removal
//! noticed, the port reopened after it disappears — reporting in the
//! device vocabulary of `tongban-device`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tongban_device::DeviceState;

use crate::frame::{Command, Decoder, FrameError, Response, Status, encode_request, split_read};
use crate::text::{self, CardIdentity, DecodeError};

/// What went wrong talking to the reader.
#[derive(Debug, thiserror::Error)]
pub enum ReaderError {
    /// The port cannot be opened (absent, no permission).
    #[error("cannot open {path}: {reason}")]
    Open {
        /// The port.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// The port failed while in use (unplugged).
    #[error("port failed: {0}")]
    Io(String),
    /// No complete answer in time.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The answer was damaged.
    #[error("damaged answer: {0}")]
    Frame(FrameError),
    /// The reader answered with a failure status.
    #[error("reader status {0:?}")]
    Status(Status),
    /// The card's text block makes no sense.
    #[error("card text: {0}")]
    Decode(DecodeError),
}

/// An open reader port.
pub struct Port {
    port: Box<dyn serialport::SerialPort>,
    decoder: Decoder,
}

impl Port {
    /// Opens the reader at `path` with `baud` bps, 8N1.
    pub fn open(path: &Path, baud: u32) -> Result<Self, ReaderError> {
        // serialport's builder starts at 8N1 without flow control.
        let opened = serialport::new(path.to_string_lossy(), baud)
            .timeout(Duration::from_millis(50))
            .open();
        let port = opened.map_err(|e| ReaderError::Open {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(Self {
            port,
            decoder: Decoder::new(),
        })
    }

    /// Sends a command and waits up to `timeout` for its response. Noise
    /// before the response is skipped; a damaged response is an error.
    pub fn transact(
        &mut self,
        command: Command,
        timeout: Duration,
    ) -> Result<Response, ReaderError> {
        self.decoder.clear();
        let _ = self.port.clear(serialport::ClearBuffer::Input);
        self.port
            .write_all(&encode_request(command, &[]))
            .map_err(|e| ReaderError::Io(e.to_string()))?;
        let deadline = Instant::now() + timeout;
        // Overwritten when it goes: it held a card's bytes.
        let mut buf = zeroize::Zeroizing::new([0u8; 2048]);
        loop {
            while let Some(item) = self.decoder.next_response() {
                match item {
                    Ok(response) => return Ok(response),
                    Err(FrameError::Garbage(_)) => {}
                    Err(error) => return Err(ReaderError::Frame(error)),
                }
            }
            if Instant::now() >= deadline {
                return Err(ReaderError::Timeout(timeout));
            }
            match self.port.read(buf.as_mut_slice()) {
                Ok(0) => return Err(ReaderError::Io("the port closed".into())),
                Ok(n) => self.decoder.push(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(ReaderError::Io(e.to_string())),
            }
        }
    }

    /// Sends a command that must succeed.
    pub fn expect_ok(
        &mut self,
        command: Command,
        timeout: Duration,
    ) -> Result<Response, ReaderError> {
        let response = self.transact(command, timeout)?;
        if response.status.is_success() {
            Ok(response)
        } else {
            Err(ReaderError::Status(response.status))
        }
    }

    /// Selects and reads the card that was found, and reads it a second
    /// time: only two identical text blocks make an identity. The frame's
    /// XOR checksum misses errors that cancel out, and a wrong name or
    /// number must never reach a resident's session.
    pub fn read_card(&mut self, timeout: Duration) -> Result<CardIdentity, ReaderError> {
        let first = self.read_text(timeout)?;
        let again = self.read_text(timeout)?;
        if first != again {
            return Err(ReaderError::Frame(FrameError::Mismatch));
        }
        text::decode(&first).map_err(ReaderError::Decode)
    }

    fn read_text(&mut self, timeout: Duration) -> Result<zeroize::Zeroizing<Vec<u8>>, ReaderError> {
        self.expect_ok(Command::SelectCard, timeout)?;
        let response = self.expect_ok(Command::ReadTextPhoto, timeout)?;
        let parts = split_read(&response.data, false).map_err(ReaderError::Frame)?;
        Ok(zeroize::Zeroizing::new(parts.text.to_vec()))
    }
}

/// What the poll loop reports.
#[derive(Debug, Clone, PartialEq)]
pub enum ReaderEvent {
    /// The reader's state changed.
    State(DeviceState),
    /// A card was read (once per placing).
    Card(Box<CardIdentity>),
    /// A card was found but could not be read; the resident should place it
    /// again.
    ReadFailed(ReadFailure),
    /// The card was taken away.
    Removed,
}

/// Why a card could not be read (no personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFailure {
    /// The reader reported a failure status.
    Status(Status),
    /// The answer was damaged or late.
    Line,
    /// The text block did not decode.
    Text,
}

/// How the poll loop runs.
#[derive(Debug, Clone)]
pub struct PollConfig {
    /// The port (a stable udev name in production).
    pub path: PathBuf,
    /// Line speed.
    pub baud: u32,
    /// Time between find-card polls.
    pub interval: Duration,
    /// Timeout of reading a card (text and photo).
    pub timeout: Duration,
    /// Timeout of the quick commands (SAM status, find card): a reader
    /// answers them in milliseconds, so one that stays silent this long is
    /// gone, and staff see it within seconds.
    pub probe_timeout: Duration,
    /// Time between attempts to reopen a missing port.
    pub reconnect: Duration,
}

impl PollConfig {
    /// The usual timings: poll every 300 ms (a placed card is shown within
    /// a second), 5 s to read a card, 1 s for the quick commands, retry
    /// the port every second.
    pub fn new(path: impl Into<PathBuf>, baud: u32) -> Self {
        Self {
            path: path.into(),
            baud,
            interval: Duration::from_millis(300),
            timeout: Duration::from_secs(5),
            probe_timeout: Duration::from_secs(1),
            reconnect: Duration::from_secs(1),
        }
    }
}

fn sleep_unless_stopped(duration: Duration, stop: &AtomicBool) {
    let deadline = Instant::now() + duration;
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= deadline {
            return;
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(20)));
    }
}

/// Runs until `stop` is set: opens the port (again and again while it is
/// missing), checks the SAM, then polls for cards. Each placed card is read
/// once; its removal is reported; a damaged read is reported and retried
/// while the card stays. `emit` receives every event; state events only on
/// change.
pub fn poll_loop(config: &PollConfig, stop: &AtomicBool, mut emit: impl FnMut(ReaderEvent)) {
    let mut state = DeviceState::NoDevice;
    let mut set_state = |new: DeviceState, emit: &mut dyn FnMut(ReaderEvent)| {
        if new != state {
            state = new;
            emit(ReaderEvent::State(new));
        }
    };
    // Whether the card on the reader has been dealt with (read or failed
    // for good), so it is not read every second.
    let mut card_done = false;
    let mut card_present = false;
    let mut failures = 0u32;
    while !stop.load(Ordering::SeqCst) {
        let mut port = match Port::open(&config.path, config.baud) {
            Ok(port) => port,
            Err(error) => {
                tracing::debug!(%error, "reader port unavailable");
                set_state(DeviceState::Offline, &mut emit);
                sleep_unless_stopped(config.reconnect, stop);
                continue;
            }
        };
        // The SAM must be healthy before cards are worth finding.
        match port.transact(Command::SamStatus, config.probe_timeout) {
            Ok(r) if r.status.is_success() => set_state(DeviceState::Online, &mut emit),
            Ok(r) => {
                tracing::warn!(status = ?r.status, "reader SAM fault");
                set_state(DeviceState::HardwareError, &mut emit);
                sleep_unless_stopped(config.interval.max(config.reconnect), stop);
                continue;
            }
            Err(error) => {
                tracing::warn!(%error, "reader does not answer");
                set_state(DeviceState::Offline, &mut emit);
                sleep_unless_stopped(config.reconnect, stop);
                continue;
            }
        }
        'polling: while !stop.load(Ordering::SeqCst) {
            match port.transact(Command::FindCard, config.probe_timeout) {
                Ok(r) if r.status == Status::FindOk => {
                    card_present = true;
                    if !card_done {
                        set_state(DeviceState::Busy, &mut emit);
                        match port.read_card(config.timeout) {
                            Ok(identity) => {
                                card_done = true;
                                failures = 0;
                                emit(ReaderEvent::Card(Box::new(identity)));
                            }
                            Err(ReaderError::Io(e)) => {
                                tracing::warn!(error = %e, "reader port failed");
                                set_state(DeviceState::Offline, &mut emit);
                                break 'polling;
                            }
                            Err(error) => {
                                failures += 1;
                                tracing::info!(%error, failures, "card read failed");
                                let failure = match error {
                                    ReaderError::Status(s) => ReadFailure::Status(s),
                                    ReaderError::Decode(_) => ReadFailure::Text,
                                    _ => ReadFailure::Line,
                                };
                                // Ask the resident to place it again after
                                // the third try in a row (once per placing),
                                // and keep trying while the card stays.
                                if failures == 3 {
                                    emit(ReaderEvent::ReadFailed(failure));
                                }
                            }
                        }
                        set_state(DeviceState::Online, &mut emit);
                    }
                }
                Ok(r) if r.status.is_sam_fault() => {
                    set_state(DeviceState::HardwareError, &mut emit);
                    break 'polling;
                }
                Ok(_) => {
                    if card_present {
                        emit(ReaderEvent::Removed);
                    }
                    card_present = false;
                    card_done = false;
                    failures = 0;
                }
                Err(ReaderError::Frame(error)) => {
                    tracing::debug!(%error, "damaged frame while polling");
                }
                Err(ReaderError::Timeout(_)) => {
                    set_state(DeviceState::Offline, &mut emit);
                    break 'polling;
                }
                Err(error) => {
                    tracing::warn!(%error, "reader port failed");
                    set_state(DeviceState::Offline, &mut emit);
                    break 'polling;
                }
            }
            sleep_unless_stopped(config.interval, stop);
        }
        sleep_unless_stopped(config.reconnect, stop);
    }
}
