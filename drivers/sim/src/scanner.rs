//! A serial QR/barcode scanner on a pseudo-terminal: each `scan` sends the
//! code and its terminator, as the real scanner does when it reads one. It
//! can also send raw bytes (non-text, overlong) and vanish and come back.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::pty::{Pty, PtyError};

/// A running scanner simulator. Dropping it removes its path.
pub struct ScannerSim {
    pty: Mutex<Option<Pty>>,
    link: PathBuf,
    terminator: &'static [u8],
}

/// A sample 随申码 payload for the reference platform's format (prefix
/// `SSM1:` and a token); fictional.
pub const SAMPLE_SUISHENMA: &str = "SSM1:ZGVtby1yZXNpZGVudC0wMDAx";

impl ScannerSim {
    /// Starts a scanner at `link` that ends codes with `terminator`
    /// (`b"\r"`, `b"\n"` or `b"\r\n"`).
    pub fn start(link: &Path, terminator: &'static [u8]) -> Result<Self, PtyError> {
        Ok(Self {
            pty: Mutex::new(Some(Pty::open(link)?)),
            link: link.to_owned(),
            terminator,
        })
    }

    fn pty(&self) -> MutexGuard<'_, Option<Pty>> {
        self.pty.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The path the driver opens.
    pub fn path(&self) -> &Path {
        &self.link
    }

    /// Scans a code. Does nothing while unplugged.
    pub fn scan(&self, code: &str) {
        let mut bytes = code.as_bytes().to_vec();
        bytes.extend_from_slice(self.terminator);
        self.send_raw(&bytes);
    }

    /// Sends bytes as they are.
    pub fn send_raw(&self, bytes: &[u8]) {
        if let Some(pty) = self.pty().as_mut() {
            let _ = pty.master.write_all(bytes);
        }
    }

    /// Unplugs the scanner: the port closes and the path goes.
    pub fn vanish(&self) {
        *self.pty() = None;
        let _ = std::fs::remove_file(&self.link);
    }

    /// Plugs it back in at the same path.
    pub fn come_back(&self) -> Result<(), PtyError> {
        *self.pty() = Some(Pty::open(&self.link)?);
        Ok(())
    }
}

impl Drop for ScannerSim {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.link);
    }
}
