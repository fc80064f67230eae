//! The scanner on a serial port: the read loop of its device thread. It
//! reopens the port while it is missing and reports codes and state.

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tongban_device::DeviceState;

use crate::{LineDecoder, Scan, ScanError, Terminator};

/// What the read loop reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScannerEvent {
    /// The scanner's state changed.
    State(DeviceState),
    /// A code was scanned.
    Scanned(Scan),
    /// A scan was rejected.
    Rejected(ScanError),
}

/// How the read loop runs.
#[derive(Debug, Clone)]
pub struct ScannerConfig {
    /// The port.
    pub path: PathBuf,
    /// Line speed.
    pub baud: u32,
    /// What ends a code.
    pub terminator: Terminator,
    /// Longest code accepted, in bytes.
    pub limit: usize,
    /// Time between attempts to reopen a missing port.
    pub reconnect: Duration,
}

/// Runs until `stop` is set.
pub fn read_loop(config: &ScannerConfig, stop: &AtomicBool, mut emit: impl FnMut(ScannerEvent)) {
    let mut state = DeviceState::NoDevice;
    let mut set = |new: DeviceState, emit: &mut dyn FnMut(ScannerEvent)| {
        if new != state {
            state = new;
            emit(ScannerEvent::State(new));
        }
    };
    while !stop.load(Ordering::SeqCst) {
        let port = serialport::new(config.path.to_string_lossy(), config.baud)
            .timeout(Duration::from_millis(100))
            .open();
        let mut port = match port {
            Ok(port) => port,
            Err(error) => {
                tracing::debug!(%error, "scanner port unavailable");
                set(DeviceState::Offline, &mut emit);
                std::thread::sleep(config.reconnect);
                continue;
            }
        };
        set(DeviceState::Online, &mut emit);
        let mut decoder = LineDecoder::new(config.terminator, config.limit);
        let mut buf = [0u8; 512];
        while !stop.load(Ordering::SeqCst) {
            match port.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    for item in decoder.push(&buf[..n]) {
                        emit(match item {
                            Ok(scan) => ScannerEvent::Scanned(scan),
                            Err(e) => ScannerEvent::Rejected(e),
                        });
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => {
                    tracing::warn!(%error, "scanner port failed");
                    break;
                }
            }
        }
        set(DeviceState::Offline, &mut emit);
        std::thread::sleep(config.reconnect);
    }
}
