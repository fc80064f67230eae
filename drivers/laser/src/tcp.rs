//! The A4 printer over TCP port 9100 (raw printing with PJL replies on the
//! same connection): send a job, ask for status and page count.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::pjl::{self, Status};

/// Talking to the printer failed.
#[derive(Debug, thiserror::Error)]
pub enum TcpError {
    /// No connection.
    #[error("cannot connect to {addr}: {reason}")]
    Connect {
        /// The printer.
        addr: SocketAddr,
        /// What the system said.
        reason: String,
    },
    /// The connection failed.
    #[error("printer connection failed: {0}")]
    Io(String),
    /// No (complete) reply in time.
    #[error("no reply within {0:?}")]
    Timeout(Duration),
    /// A reply that does not parse.
    #[error("unreadable reply")]
    Reply,
}

/// A connection to a printer's port 9100.
pub struct Printer {
    stream: TcpStream,
    pending: Vec<u8>,
    timeout: Duration,
}

impl Printer {
    /// Connects with `timeout` for the connection and each reply.
    pub fn connect(addr: SocketAddr, timeout: Duration) -> Result<Self, TcpError> {
        let stream = TcpStream::connect_timeout(&addr, timeout).map_err(|e| TcpError::Connect {
            addr,
            reason: e.to_string(),
        })?;
        stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .map_err(|e| TcpError::Io(e.to_string()))?;
        let _ = stream.set_nodelay(true);
        Ok(Self {
            stream,
            pending: Vec::new(),
            timeout,
        })
    }

    /// Sends bytes (a whole PJL job).
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), TcpError> {
        self.stream
            .write_all(bytes)
            .map_err(|e| TcpError::Io(e.to_string()))
    }

    /// Waits for the next complete reply (ending with FF).
    pub fn reply(&mut self) -> Result<String, TcpError> {
        let deadline = Instant::now() + self.timeout;
        let mut buf = [0u8; 1024];
        loop {
            if let Some(reply) = pjl::split_replies(&mut self.pending).into_iter().next() {
                return Ok(reply);
            }
            if Instant::now() >= deadline {
                return Err(TcpError::Timeout(self.timeout));
            }
            match self.stream.read(&mut buf) {
                Ok(0) => return Err(TcpError::Io("the printer closed the connection".into())),
                Ok(n) => self.pending.extend_from_slice(&buf[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(TcpError::Io(e.to_string())),
            }
        }
    }

    /// Asks for and reads the status.
    pub fn status(&mut self) -> Result<Status, TcpError> {
        self.send(&pjl::info_status())?;
        loop {
            let reply = self.reply()?;
            if reply.contains("INFO STATUS") {
                return pjl::parse_status(&reply).ok_or(TcpError::Reply);
            }
        }
    }

    /// Asks for and reads the page count.
    pub fn pagecount(&mut self) -> Result<u64, TcpError> {
        self.send(&pjl::info_pagecount())?;
        loop {
            let reply = self.reply()?;
            if reply.contains("INFO PAGECOUNT") {
                return pjl::parse_pagecount(&reply).ok_or(TcpError::Reply);
            }
        }
    }
}
