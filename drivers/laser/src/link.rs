//! PJL conversation over any byte stream (a TCP socket, a USB printer's
//! bulk endpoints): send a job, ask for status or page count and read the
//! reply (replies end with a form feed; unsolicited status may come
//! between).

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::pjl::{self, Status};

/// Talking to the printer failed.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
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

/// A PJL conversation over `T`. Reads on `T` should time out quickly
/// (`TimedOut` or `WouldBlock`): the wait for a whole reply is `timeout`.
#[derive(Debug)]
pub struct PjlLink<T> {
    io: T,
    pending: Vec<u8>,
    timeout: Duration,
}

impl<T: Read + Write> PjlLink<T> {
    /// A conversation waiting up to `timeout` for each reply.
    pub fn new(io: T, timeout: Duration) -> Self {
        Self {
            io,
            pending: Vec::new(),
            timeout,
        }
    }

    /// The stream underneath.
    pub fn get_ref(&self) -> &T {
        &self.io
    }

    /// Sends bytes (a whole PJL job).
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        self.io
            .write_all(bytes)
            .and_then(|()| self.io.flush())
            .map_err(|e| LinkError::Io(e.to_string()))
    }

    /// Waits for the next complete reply (ending with FF).
    pub fn reply(&mut self) -> Result<String, LinkError> {
        let deadline = Instant::now() + self.timeout;
        let mut buf = [0u8; 1024];
        loop {
            if let Some(reply) = pjl::split_replies(&mut self.pending).into_iter().next() {
                return Ok(reply);
            }
            if Instant::now() >= deadline {
                return Err(LinkError::Timeout(self.timeout));
            }
            match self.io.read(&mut buf) {
                Ok(0) => return Err(LinkError::Io("the printer closed the connection".into())),
                Ok(n) => {
                    self.pending.extend_from_slice(&buf[..n]);
                    // A printer that streams without form feeds is not
                    // speaking PJL; do not hold its bytes for ever.
                    if self.pending.len() > 64 * 1024 {
                        self.pending.clear();
                        return Err(LinkError::Reply);
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock
                            | std::io::ErrorKind::TimedOut
                            | std::io::ErrorKind::Interrupted
                    ) => {}
                Err(e) => return Err(LinkError::Io(e.to_string())),
            }
        }
    }

    /// Asks for and reads the status.
    pub fn status(&mut self) -> Result<Status, LinkError> {
        self.send(&pjl::info_status())?;
        loop {
            let reply = self.reply()?;
            if reply.contains("INFO STATUS") {
                return pjl::parse_status(&reply).ok_or(LinkError::Reply);
            }
        }
    }

    /// Asks for and reads the page count.
    pub fn pagecount(&mut self) -> Result<u64, LinkError> {
        self.send(&pjl::info_pagecount())?;
        loop {
            let reply = self.reply()?;
            if reply.contains("INFO PAGECOUNT") {
                return pjl::parse_pagecount(&reply).ok_or(LinkError::Reply);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers from a script, one chunk per read, then times out.
    struct Script(std::collections::VecDeque<Vec<u8>>, Vec<u8>);

    impl Read for Script {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match self.0.pop_front() {
                Some(chunk) => {
                    buf[..chunk.len()].copy_from_slice(&chunk);
                    Ok(chunk.len())
                }
                None => Err(std::io::ErrorKind::TimedOut.into()),
            }
        }
    }

    impl Write for Script {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.1.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn replies_split_across_reads_and_unsolicited_status_in_between() {
        let script = Script(
            [
                b"@PJL USTATUS DEVICE\r\nCODE=10001\r\n\x0c@PJL INFO ST".to_vec(),
                b"ATUS\r\nCODE=40021\r\nDISPLAY=\"Close cover\"\r\nONLINE=FALSE\r\n\x0c".to_vec(),
            ]
            .into(),
            Vec::new(),
        );
        let mut link = PjlLink::new(script, Duration::from_millis(200));
        let status = link.status().unwrap();
        assert_eq!(status.code, 40021);
        assert_eq!(link.get_ref().1, pjl::info_status());
    }

    #[test]
    fn silence_garbage_and_a_closed_connection_are_errors() {
        let mut silent = PjlLink::new(
            Script(Default::default(), Vec::new()),
            Duration::from_millis(30),
        );
        assert!(matches!(silent.pagecount(), Err(LinkError::Timeout(_))));
        let mut garbage = PjlLink::new(
            Script(
                [b"@PJL INFO PAGECOUNT\r\nlots\r\n\x0c".to_vec()].into(),
                Vec::new(),
            ),
            Duration::from_millis(100),
        );
        assert!(matches!(garbage.pagecount(), Err(LinkError::Reply)));
        let flood = vec![b'x'; 1024];
        let mut endless = PjlLink::new(
            Script(std::iter::repeat_n(flood, 80).collect(), Vec::new()),
            Duration::from_secs(5),
        );
        assert!(matches!(endless.status(), Err(LinkError::Reply)));
    }
}
