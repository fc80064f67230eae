//! The A4 printer over TCP port 9100 (raw printing with PJL replies on the
//! same connection): send a job, ask for status and page count.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::link::{LinkError, PjlLink};
use crate::pjl::Status;

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
    /// The conversation on the connection failed.
    #[error(transparent)]
    Link(#[from] LinkError),
}

/// A connection to a printer's port 9100.
pub struct Printer {
    link: PjlLink<TcpStream>,
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
            .map_err(|e| LinkError::Io(e.to_string()))?;
        let _ = stream.set_nodelay(true);
        Ok(Self {
            link: PjlLink::new(stream, timeout),
        })
    }

    /// Sends bytes (a whole PJL job).
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), TcpError> {
        self.link.send(bytes).map_err(TcpError::from)
    }

    /// Waits for the next complete reply (ending with FF).
    pub fn reply(&mut self) -> Result<String, TcpError> {
        self.link.reply().map_err(TcpError::from)
    }

    /// Asks for and reads the status.
    pub fn status(&mut self) -> Result<Status, TcpError> {
        self.link.status().map_err(TcpError::from)
    }

    /// Asks for and reads the page count.
    pub fn pagecount(&mut self) -> Result<u64, TcpError> {
        self.link.pagecount().map_err(TcpError::from)
    }
}
