//! A pseudo-terminal in raw mode reachable through a stable path: a symlink
//! that is moved to the new terminal when the device "comes back", as udev
//! keeps a device's name across a replug.

use std::fs::File;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use nix::pty::openpty;
use nix::sys::termios::{SetArg, cfmakeraw, tcgetattr, tcsetattr};

/// The simulator's end of a pseudo-terminal. The slave end stays open in
/// the simulator too, so the terminal lives until the simulator drops it,
/// whoever opens or closes the path meanwhile.
pub struct Pty {
    /// Read and write the device's side here.
    pub master: File,
    _slave: OwnedFd,
    /// The terminal's own path (/dev/pts/N).
    pub tty: PathBuf,
}

/// A pseudo-terminal could not be made.
#[derive(Debug, thiserror::Error)]
#[error("pseudo-terminal: {0}")]
pub struct PtyError(String);

impl PtyError {
    /// An error with this description.
    pub(crate) fn new(reason: String) -> Self {
        Self(reason)
    }
}

impl Pty {
    /// Opens a raw pseudo-terminal and points `link` at it.
    pub fn open(link: &Path) -> Result<Self, PtyError> {
        let pair = openpty(None, None).map_err(|e| PtyError(e.to_string()))?;
        let mut termios = tcgetattr(&pair.slave).map_err(|e| PtyError(e.to_string()))?;
        cfmakeraw(&mut termios);
        tcsetattr(&pair.slave, SetArg::TCSANOW, &termios).map_err(|e| PtyError(e.to_string()))?;
        let tty = nix::unistd::ttyname(&pair.slave).map_err(|e| PtyError(e.to_string()))?;
        let tmp = link.with_extension("new");
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(&tty, &tmp).map_err(|e| PtyError(e.to_string()))?;
        std::fs::rename(&tmp, link).map_err(|e| PtyError(e.to_string()))?;
        Ok(Self {
            master: File::from(pair.master),
            _slave: pair.slave,
            tty,
        })
    }
}
