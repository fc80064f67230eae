//! The receipt printer over a serial port, and the protocol steps written
//! over any `Read + Write` so a USB printer-class link can use them too:
//! send a receipt, and poll `DLE EOT 1..4` into a [`PrinterStatus`] (the
//! poll's logic is the pure [`StatusPoll`]; this only moves its bytes).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::{EscPosError, PrinterStatus, StatusPoll};

/// Talking to the printer failed.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The port cannot be opened (unplugged, wrong path, no permission).
    #[error("cannot open {path}: {reason}")]
    Open {
        /// The port.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// Reading or writing failed.
    #[error("printer connection failed: {0}")]
    Io(String),
    /// No answer to a status request in time.
    #[error("the printer is not answering (no status within {0:?})")]
    NoAnswer(Duration),
    /// An answer that is not ESC/POS status.
    #[error("the printer answered garbage: {0}")]
    Garbage(#[from] EscPosError),
}

/// Sends bytes, all of them.
pub fn send(io: &mut impl Write, bytes: &[u8]) -> Result<(), TransportError> {
    io.write_all(bytes)
        .and_then(|()| io.flush())
        .map_err(|e| TransportError::Io(e.to_string()))
}

/// Reads one byte, waiting until `deadline`.
fn read_byte(
    io: &mut impl Read,
    deadline: Instant,
    timeout: Duration,
) -> Result<u8, TransportError> {
    let mut byte = [0u8; 1];
    loop {
        if Instant::now() >= deadline {
            return Err(TransportError::NoAnswer(timeout));
        }
        match io.read(&mut byte) {
            Ok(1) => return Ok(byte[0]),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::Interrupted
                ) => {}
            Err(e) => return Err(TransportError::Io(e.to_string())),
        }
    }
}

/// Asks `DLE EOT 1..4` and builds the printer's status from the replies:
/// pumps a [`StatusPoll`] over `io`, each reply within `timeout` of its
/// request.
pub fn poll_status<T: Read + Write>(
    io: &mut T,
    timeout: Duration,
) -> Result<PrinterStatus, TransportError> {
    let mut poll = StatusPoll::new();
    while let Some(request) = poll.poll_request() {
        send(io, &request)?;
        let deadline = Instant::now() + timeout;
        while poll.awaits_reply() {
            poll.push(read_byte(io, deadline, timeout)?)?;
        }
    }
    Ok(poll.status().expect("every request was answered"))
}

/// A receipt printer on a serial port.
pub struct SerialPrinter {
    port: Box<dyn serialport::SerialPort>,
    timeout: Duration,
}

impl std::fmt::Debug for SerialPrinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SerialPrinter({:?})", self.port.name())
    }
}

impl SerialPrinter {
    /// Opens the port, 8N1, no flow control.
    pub fn open(path: &Path, baud: u32) -> Result<Self, TransportError> {
        let port = serialport::new(path.to_string_lossy(), baud)
            .data_bits(serialport::DataBits::Eight)
            .parity(serialport::Parity::None)
            .stop_bits(serialport::StopBits::One)
            .flow_control(serialport::FlowControl::None)
            .timeout(Duration::from_millis(50))
            .open()
            .map_err(|e| TransportError::Open {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            port,
            timeout: Duration::from_millis(500),
        })
    }

    /// Sends a receipt (or any ESC/POS).
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        send(&mut self.port, bytes)
    }

    /// Polls the status.
    pub fn poll_status(&mut self) -> Result<PrinterStatus, TransportError> {
        // Whatever is left in the buffer (a late reply, an ASB block) is
        // stale by now.
        let _ = self.port.clear(serialport::ClearBuffer::Input);
        poll_status(&mut self.port, self.timeout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A printer double: answers each `DLE EOT n` from a table.
    struct Fake {
        replies: std::collections::VecDeque<u8>,
        answers: [u8; 5],
        extra_before: Vec<u8>,
    }

    impl Write for Fake {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if buf.len() == 3 && buf[0] == 0x10 && buf[1] == 0x04 {
                self.replies.extend(self.extra_before.drain(..));
                self.replies.push_back(self.answers[usize::from(buf[2])]);
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Read for Fake {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match self.replies.pop_front() {
                Some(b) => {
                    buf[0] = b;
                    Ok(1)
                }
                None => Err(std::io::ErrorKind::TimedOut.into()),
            }
        }
    }

    #[test]
    fn a_poll_reads_four_replies_and_skips_an_asb_block() {
        let mut fake = Fake {
            replies: Default::default(),
            answers: [0, 0x12, 0x12, 0x12, 0x1E],
            extra_before: vec![0x10, 0x00, 0x03, 0x00],
        };
        let s = poll_status(&mut fake, Duration::from_millis(100)).unwrap();
        assert!(s.paper_near_end && !s.paper_end);
    }

    #[test]
    fn silence_and_garbage_are_clear_errors() {
        struct Silent;
        impl Write for Silent {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        impl Read for Silent {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::TimedOut.into())
            }
        }
        let err = poll_status(&mut Silent, Duration::from_millis(30)).unwrap_err();
        assert!(matches!(err, TransportError::NoAnswer(_)), "{err}");
        assert!(err.to_string().contains("not answering"));
        let mut garbage = Fake {
            replies: Default::default(),
            answers: [0, 0xFF, 0xFF, 0xFF, 0xFF],
            extra_before: vec![],
        };
        let err = poll_status(&mut garbage, Duration::from_millis(30)).unwrap_err();
        assert!(
            matches!(err, TransportError::Garbage(EscPosError::BadStatus(0xFF))),
            "{err}"
        );
    }

    #[test]
    fn opening_a_missing_port_names_it() {
        let err =
            SerialPrinter::open(Path::new("/dev/does-not-exist-tongban"), 115_200).unwrap_err();
        assert!(
            err.to_string().contains("/dev/does-not-exist-tongban"),
            "{err}"
        );
    }
}
