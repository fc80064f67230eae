//! Device simulators as a process of their own, for scripts that probe
//! devices with an installed `kioskctl` (scripts/e2e-package): the ID card
//! reader on a pseudo-terminal reached through LINK, and the A4 printer on
//! loopback TCP. Prints `reader PATH` and `a4 ADDRESS`, then runs until its
//! standard input closes.
//!
//! `cargo run --example device_sims -- /dev/tongban-sim-reader`

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let link = std::env::args()
        .nth(1)
        .context("usage: device_sims LINK (where the reader's port appears)")?;
    let reader = tongban_sim::ReaderSim::start(Path::new(&link))
        .map_err(|e| anyhow::anyhow!("cannot start the reader at {link}: {e}"))?;
    let pages = tempfile::tempdir()?;
    let laser = tongban_sim::LaserSim::start(50, pages.path())
        .context("cannot start the A4 printer on loopback")?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "reader {}", reader.path().display())?;
    writeln!(stdout, "a4 {}", laser.addr())?;
    stdout.flush()?;
    // Until whoever started us closes our standard input.
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    Ok(())
}
