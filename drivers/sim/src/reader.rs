//! An ID card reader (GA/T 467 SAM module) on a pseudo-terminal. It answers
//! requests with the real frames, holds a card or none, and can be told to
//! fail: SAM errors, a card that cannot be read, noise or a corrupt frame on
//! the line, and vanishing (the port closes, as on a USB unplug) and coming
//! back at the same path.

use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use ga467::text::{self, CardIdentity};
use ga467::{Command, Decoder, Status, encode_response};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::pty::{Pty, PtyError};

/// What lies on the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimCard {
    /// A card that reads as this identity.
    Card(Box<CardIdentity>),
    /// A card that is found and selected but fails to read (`41`).
    Unreadable,
}

/// The SAM module's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamHealth {
    /// Working.
    Ok,
    /// Self-test failed (`60`).
    SelfTestFailed,
    /// Not authorised (`66`).
    NotAuthorised,
}

#[derive(Debug)]
struct State {
    card: Option<SimCard>,
    sam: SamHealth,
    noise: Vec<u8>,
    corrupt_next: bool,
    present: bool,
    reads: u32,
    requests: u32,
    /// Bytes corrupted per 10,000 sent.
    corruption: u32,
    rng: u32,
}

/// A running reader simulator. Dropping it stops it and removes its path.
pub struct ReaderSim {
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    link: PathBuf,
    thread: Option<JoinHandle<()>>,
}

/// The simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// No pseudo-terminal.
    #[error(transparent)]
    Pty(#[from] PtyError),
}

/// A fake WLT photo: 1024 opaque bytes.
const PHOTO_LEN: usize = 1024;

impl ReaderSim {
    /// Starts a reader reachable at `link` (a symlink the simulator owns),
    /// answering at 115200 bps.
    pub fn start(link: &Path) -> Result<Self, SimError> {
        Self::start_at(link, 115_200)
    }

    /// Starts a reader that paces its answers as a line at `baud` bps, 8N1
    /// (ten bits a byte), would deliver them.
    pub fn start_at(link: &Path, baud: u32) -> Result<Self, SimError> {
        let state = Arc::new(Mutex::new(State {
            card: None,
            sam: SamHealth::Ok,
            noise: Vec::new(),
            corrupt_next: false,
            present: true,
            reads: 0,
            requests: 0,
            corruption: 0,
            rng: 0x9E37_79B9,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let pty = Pty::open(link)?;
        let thread = {
            let state = state.clone();
            let stop = stop.clone();
            let link = link.to_owned();
            std::thread::Builder::new()
                .name("sim-id-reader".into())
                .spawn(move || run(pty, &link, &state, &stop, baud))
                .expect("spawn simulator thread")
        };
        Ok(Self {
            state,
            stop,
            link: link.to_owned(),
            thread: Some(thread),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The path the driver opens.
    pub fn path(&self) -> &Path {
        &self.link
    }

    /// Places a card on the reader.
    pub fn place(&self, card: SimCard) {
        self.state().card = Some(card);
    }

    /// Takes the card away.
    pub fn remove(&self) {
        self.state().card = None;
    }

    /// Sets the SAM's health.
    pub fn set_sam(&self, health: SamHealth) {
        self.state().sam = health;
    }

    /// Sends these bytes before the next answer.
    pub fn inject_noise(&self, bytes: &[u8]) {
        self.state().noise.extend_from_slice(bytes);
    }

    /// Flips a bit in the checksum of the next answer.
    pub fn corrupt_next(&self) {
        self.state().corrupt_next = true;
    }

    /// Corrupts this many of every 10,000 bytes sent (100 = 1 %), at
    /// random, until set back to 0.
    pub fn set_corruption(&self, per_10000: u32) {
        self.state().corruption = per_10000;
    }

    /// Closes the port and removes the path, as an unplugged USB adapter.
    pub fn vanish(&self) {
        self.state().present = false;
    }

    /// Plugs the reader back in: a new terminal at the same path.
    pub fn come_back(&self) {
        self.state().present = true;
    }

    /// How many text+photo reads were answered successfully.
    pub fn reads(&self) -> u32 {
        self.state().reads
    }

    /// How many requests arrived.
    pub fn requests(&self) -> u32 {
        self.state().requests
    }
}

impl Drop for ReaderSim {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let _ = std::fs::remove_file(&self.link);
    }
}

/// Writes `bytes` no faster than a serial line at `baud` bps would carry
/// them (a pseudo-terminal itself has no speed).
fn write_paced(out: &mut impl Write, bytes: &[u8], baud: u32) -> std::io::Result<()> {
    const CHUNK: usize = 32;
    let per_byte = std::time::Duration::from_secs_f64(10.0 / f64::from(baud.max(1)));
    let start = std::time::Instant::now();
    for (i, chunk) in bytes.chunks(CHUNK).enumerate() {
        // Each chunk is released when its last byte would have arrived.
        let due = per_byte * u32::try_from(i * CHUNK + chunk.len()).unwrap_or(u32::MAX);
        if let Some(wait) = due.checked_sub(start.elapsed()) {
            std::thread::sleep(wait);
        }
        out.write_all(chunk)?;
    }
    Ok(())
}

fn run(pty: Pty, link: &Path, state: &Mutex<State>, stop: &AtomicBool, baud: u32) {
    let mut pty = Some(pty);
    let mut decoder = Decoder::new();
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::SeqCst) {
        let present = state.lock().map(|s| s.present).unwrap_or(true);
        match (&pty, present) {
            (Some(_), false) => {
                pty = None;
                let _ = std::fs::remove_file(link);
                decoder.clear();
                continue;
            }
            (None, true) => match Pty::open(link) {
                Ok(p) => pty = Some(p),
                Err(e) => {
                    tracing::warn!(%e, "simulated reader cannot come back");
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
            },
            (None, false) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
                continue;
            }
            (Some(_), true) => {}
        }
        let Some(p) = pty.as_mut() else { continue };
        let readable = {
            let mut fds = [PollFd::new(p.master.as_fd(), PollFlags::POLLIN)];
            matches!(poll(&mut fds, PollTimeout::from(20u8)), Ok(n) if n > 0)
                && fds[0]
                    .revents()
                    .is_some_and(|r| r.contains(PollFlags::POLLIN))
        };
        if !readable {
            // POLLHUP (nobody has the port open) also lands here.
            std::thread::sleep(std::time::Duration::from_millis(5));
            continue;
        }
        let n = match p.master.read(&mut buf) {
            Ok(0) | Err(_) => {
                std::thread::sleep(std::time::Duration::from_millis(5));
                continue;
            }
            Ok(n) => n,
        };
        decoder.push(&buf[..n]);
        while let Some(item) = decoder.next_request() {
            let answer = {
                let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                s.requests += 1;
                let mut out = std::mem::take(&mut s.noise);
                let mut frame = match item {
                    Ok(request) => answer(&mut s, request.code),
                    Err(ga467::FrameError::Checksum { .. }) => {
                        encode_response(0, 0, Status::ChecksumError, &[])
                    }
                    Err(ga467::FrameError::Length(_)) => {
                        encode_response(0, 0, Status::LengthError, &[])
                    }
                    Err(ga467::FrameError::Garbage(_) | ga467::FrameError::Mismatch) => Vec::new(),
                };
                if s.corruption > 0 {
                    for byte in frame.iter_mut() {
                        s.rng ^= s.rng << 13;
                        s.rng ^= s.rng >> 17;
                        s.rng ^= s.rng << 5;
                        if s.rng % 10_000 < s.corruption {
                            *byte ^= 1 << (s.rng >> 16 & 7);
                        }
                    }
                }
                if s.corrupt_next && !frame.is_empty() {
                    s.corrupt_next = false;
                    if let Some(last) = frame.last_mut() {
                        *last ^= 0x5A;
                    }
                }
                out.append(&mut frame);
                out
            };
            if !answer.is_empty() {
                let _ = write_paced(&mut p.master, &answer, baud);
            }
        }
    }
}

fn answer(s: &mut State, code: [u8; 2]) -> Vec<u8> {
    let ok = |data: &[u8]| encode_response(0, 0, Status::Ok, data);
    let fail = |status: Status| encode_response(0, 0, status, &[]);
    let sam_error = match s.sam {
        SamHealth::Ok => None,
        SamHealth::SelfTestFailed => Some(Status::SamSelfTestFailed),
        SamHealth::NotAuthorised => Some(Status::SamNotAuthorised),
    };
    let Some(command) = Command::from_code(code) else {
        return fail(Status::BadCommand);
    };
    match command {
        Command::ResetSam | Command::SetBaud(_) => ok(&[]),
        Command::SamStatus => sam_error.map_or_else(|| ok(&[]), fail),
        Command::SamId => match sam_error {
            Some(e) => fail(e),
            None => ok(&[
                0x05, 0x00, 0x01, 0x00, 0x20, 0x26, 0x11, 0x24, 0, 0, 0, 1, 0, 0, 0, 0,
            ]),
        },
        _ if sam_error.is_some() => fail(sam_error.unwrap_or(Status::UnknownError)),
        Command::FindCard => match s.card {
            Some(_) => encode_response(0, 0, Status::FindOk, &[0, 0, 0, 0]),
            None => fail(Status::FindFailed),
        },
        Command::SelectCard => match s.card {
            Some(_) => ok(&[0; 8]),
            None => fail(Status::SelectFailed),
        },
        Command::ReadTextPhoto | Command::ReadTextPhotoFingerprint => match &s.card {
            Some(SimCard::Card(identity)) => {
                let with_fingerprint = command == Command::ReadTextPhotoFingerprint;
                let mut data = vec![0x01, 0x00, 0x04, 0x00];
                if with_fingerprint {
                    data.extend_from_slice(&[0x00, 0x00]);
                }
                data.extend_from_slice(&text::encode(identity));
                data.extend((0..PHOTO_LEN).map(|i| (i * 7) as u8));
                s.reads += 1;
                ok(&data)
            }
            Some(SimCard::Unreadable) | None => fail(Status::ReadFailed),
        },
        Command::ReadAppendedAddress => match s.card {
            Some(SimCard::Card(_)) => fail(Status::NoContent),
            _ => fail(Status::ReadFailed),
        },
    }
}
