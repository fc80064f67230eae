//! The reader on a serial port (feature `serial`): a port that sends one
//! request and waits, with a timeout, for its response; and the poll loop a
//! device thread runs, which pumps the [`Poller`] (find → select → read,
//! each card read once, removal noticed) over the port, reopens the port
//! after it disappears and sleeps between polls.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::frame::{Command, Decoder, FrameError, Response, Status, encode_request, split_read};
use crate::poller::{ExchangeError, Poller, Timings};
pub use crate::poller::{ReadFailure, ReaderEvent};
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

    /// The timings the poller runs by.
    pub fn timings(&self) -> Timings {
        Timings {
            interval: self.interval,
            timeout: self.timeout,
            probe_timeout: self.probe_timeout,
            reconnect: self.reconnect,
        }
    }
}

/// Sleeps until `deadline`, waking early when `stop` is set.
fn sleep_until_unless_stopped(deadline: Instant, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= deadline {
            return;
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(20)));
    }
}

/// How a failed exchange looks to the poller.
fn exchange_error(error: ReaderError) -> ExchangeError {
    match error {
        ReaderError::Timeout(_) => ExchangeError::NoAnswer,
        ReaderError::Frame(error) => ExchangeError::Damaged(error),
        other => ExchangeError::PortFailed(other.to_string()),
    }
}

/// Runs until `stop` is set: pumps a [`Poller`] over the port — opens the
/// port (again and again while it is missing), sends the command the
/// poller asks for and hands back the answer, sleeps until the poller
/// next wants to act. The device logic (SAM check, each card read once,
/// removal, three failures) is the poller's. `emit` receives every event;
/// state events only on change.
pub fn poll_loop(config: &PollConfig, stop: &AtomicBool, mut emit: impl FnMut(ReaderEvent)) {
    let mut poller = Poller::new(config.timings(), Instant::now());
    let mut port: Option<Port> = None;
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if poller.poll_open(now) {
            // A port that failed is closed before it is opened again.
            port = None;
            match Port::open(&config.path, config.baud) {
                Ok(opened) => {
                    port = Some(opened);
                    poller.handle_opened(now);
                }
                Err(error) => {
                    tracing::debug!(%error, "reader port unavailable");
                    poller.handle_open_failed(now);
                }
            }
        } else if let Some(transmit) = poller.poll_command(now) {
            let answer = match port.as_mut() {
                Some(port) => port
                    .transact(transmit.command, transmit.timeout)
                    .map_err(exchange_error),
                None => Err(ExchangeError::PortFailed("the port is not open".into())),
            };
            poller.handle_response(Instant::now(), answer);
        }
        if !poller.wants_port() {
            port = None;
        }
        while let Some(event) = poller.poll_event() {
            emit(event);
        }
        if let Some(deadline) = poller.poll_timeout() {
            sleep_until_unless_stopped(deadline, stop);
        }
    }
}
