//! The kiosk under a service manager, as systemd runs it (`Type=notify`,
//! `WatchdogSec=`): a notify socket of the test's own receives `READY=1`
//! after the first frame, `WATCHDOG=1` at the interval asked for while the
//! UI loop runs and none once it hangs, and `STOPPING=1` then a clean exit
//! on SIGTERM.
//!
//! These start the real kiosk window, so they need a display:
//! `scripts/e2e-service` runs them under Xvfb (in `.ci/run`).

use std::io::Read;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NEEDS_DISPLAY: &str = "needs a display: scripts/e2e-service runs it under Xvfb";

struct Kiosk {
    child: Child,
    stderr: PathBuf,
    _dir: tempfile::TempDir,
    socket: UnixDatagram,
}

impl Kiosk {
    /// The demo kiosk, fullscreen, with a notify socket and the watchdog
    /// interval given.
    fn start(watchdog: Duration) -> Self {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "these tests {NEEDS_DISPLAY}"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify.sock");
        let socket = UnixDatagram::bind(&path).unwrap();
        let stderr = dir.path().join("kiosk.err");
        let child = Command::new(env!("CARGO_BIN_EXE_tongban"))
            .arg("--demo")
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .env("NOTIFY_SOCKET", &path)
            .env("WATCHDOG_USEC", watchdog.as_micros().to_string())
            .env("WATCHDOG_PID", "1")
            .env("ICED_BACKEND", "tiny-skia")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        Self {
            child,
            stderr,
            _dir: dir,
            socket,
        }
    }

    /// The next note within `wait`, with when it came.
    fn note(&self, wait: Duration) -> Option<(String, Instant)> {
        self.socket.set_read_timeout(Some(wait)).unwrap();
        let mut buf = [0u8; 1024];
        let n = self.socket.recv(&mut buf).ok()?;
        Some((
            String::from_utf8_lossy(&buf[..n]).into_owned(),
            Instant::now(),
        ))
    }

    /// Waits for a note starting with `prefix`, returning it and the
    /// watchdog pings seen before it.
    fn until(&self, prefix: &str, wait: Duration) -> (String, Vec<Instant>) {
        let deadline = Instant::now() + wait;
        let mut pings = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "no {prefix} within {wait:?}; the kiosk said:\n{}",
                self.log()
            );
            if let Some((note, at)) = self.note(left) {
                if note.starts_with(prefix) {
                    return (note, pings);
                }
                if note == "WATCHDOG=1" {
                    pings.push(at);
                }
            }
        }
    }

    /// Watchdog pings within `span`.
    fn pings_during(&self, span: Duration) -> Vec<Instant> {
        let end = Instant::now() + span;
        let mut pings = Vec::new();
        loop {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return pings;
            }
            if let Some((note, at)) = self.note(left)
                && note == "WATCHDOG=1"
            {
                pings.push(at);
            }
        }
    }

    fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = std::fs::File::open(&self.stderr) {
            let _ = file.read_to_string(&mut text);
        }
        text
    }

    /// The log once it holds `needle`: the kiosk logs a notification
    /// after sending it, so the line may trail the datagram a little.
    fn log_with(&self, needle: &str, wait: Duration) -> String {
        let deadline = Instant::now() + wait;
        loop {
            let log = self.log();
            if log.contains(needle) || Instant::now() > deadline {
                return log;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn signal(&self, signal: i32) {
        let pid = i32::try_from(self.child.id()).unwrap();
        // SAFETY: kill(2) on the child this test started.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    }

    fn wait_exit(&mut self, wait: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "still running {wait:?} later; the kiosk said:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Kiosk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn position(log: &str, needle: &str) -> usize {
    log.find(needle)
        .unwrap_or_else(|| panic!("the kiosk never logged {needle:?}:\n{log}"))
}

#[test]
#[ignore = "needs a display: scripts/e2e-service runs it under Xvfb"]
fn ready_after_the_first_frame_then_pings_that_stop_when_the_ui_hangs() {
    let watchdog = Duration::from_secs(2);
    let kiosk = Kiosk::start(watchdog);
    let (ready, _) = kiosk.until("READY=1", Duration::from_secs(60));
    assert!(
        ready.contains(&format!("MAINPID={}", kiosk.child.id())),
        "READY names the kiosk as the main process: {ready:?}"
    );
    let log = kiosk.log_with("ready: told the service manager", Duration::from_secs(5));
    assert!(
        position(&log, "first frame presented") < position(&log, "ready: told the service manager"),
        "READY went before the first frame:\n{log}"
    );

    // The UI loop runs: a ping every half interval (1 s).
    let pings = kiosk.pings_during(Duration::from_secs(6));
    assert!(
        (4..=8).contains(&pings.len()),
        "{} pings in 6 s with a 2 s watchdog",
        pings.len()
    );
    for gap in pings.windows(2).map(|w| w[1] - w[0]) {
        assert!(
            gap >= Duration::from_millis(700) && gap <= Duration::from_millis(1300),
            "pings {gap:?} apart, not every 1 s"
        );
    }

    // SIGUSR1 (demo only) blocks `update`: after at most one ping already
    // earned, none for twice the interval — systemd would restart it.
    kiosk.signal(libc::SIGUSR1);
    let frozen = Instant::now();
    let pings = kiosk.pings_during(Duration::from_secs(5));
    let late: Vec<_> = pings
        .iter()
        .filter(|at| at.duration_since(frozen) > Duration::from_millis(1200))
        .collect();
    assert!(
        late.is_empty(),
        "{} pings more than 1.2 s after the UI loop froze",
        late.len()
    );
    let log = kiosk.log();
    position(&log, "the UI loop freezes now");
    position(&log, "withholding watchdog pings");
}

#[test]
#[ignore = "needs a display: scripts/e2e-service runs it under Xvfb"]
fn sigterm_says_stopping_and_exits_cleanly() {
    let mut kiosk = Kiosk::start(Duration::from_secs(10));
    kiosk.until("READY=1", Duration::from_secs(60));
    kiosk.signal(libc::SIGTERM);
    kiosk.until("STOPPING=1", Duration::from_secs(2));
    let status = kiosk.wait_exit(Duration::from_secs(5));
    assert!(status.success(), "exit {status:?}:\n{}", kiosk.log());
    let log = kiosk.log();
    assert!(
        position(&log, "termination requested") < position(&log, "stopped"),
        "{log}"
    );
    store_is_closed(&kiosk._dir.path().join("data"));
}

/// The store was checkpointed into the main file at the stop: it opens
/// and reads without its write-ahead log.
fn store_is_closed(data: &Path) {
    let db = data.join("tongban.db");
    let wal = data.join("tongban.db-wal");
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(
        wal_len, 0,
        "the write-ahead log still holds {wal_len} bytes"
    );
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let ok: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}
