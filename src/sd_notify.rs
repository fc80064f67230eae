//! The service manager's notify protocol (`sd_notify(3)`), spoken by the
//! kiosk itself: `READY=1` once the first frame is on screen, `WATCHDOG=1`
//! while the UI loop runs, `STOPPING=1` when asked to stop.
//!
//! The watchdog is driven from the UI loop: `update` counts a beat on every
//! [`ServiceManager::beat_every`] tick (an atomic add, no I/O), and a
//! thread of its own sends `WATCHDOG=1` every half watchdog interval only
//! if the count moved since the last ping. A frozen `update` or `view`
//! stops the beats, the pings stop, and systemd restarts the kiosk.
//!
//! Under the kiosk compositor the service's main process is `cage`, so
//! `WATCHDOG_PID` names cage, not the kiosk; the kiosk takes the watchdog
//! anyway (the unit sets `NotifyAccess=all`) and names itself the main
//! process with `MAINPID=` on `READY=1`, so a hang is signalled to the
//! kiosk and its exit ends the service.

use std::io;
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// The kiosk's side of the service manager; inert when the kiosk was not
/// started by one (no `NOTIFY_SOCKET`).
#[derive(Clone, Default)]
pub struct ServiceManager {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    notes: mpsc::Sender<Note>,
    beats: AtomicU64,
    watchdog: Option<Duration>,
}

enum Note {
    Ready,
    Stopping,
}

impl std::fmt::Debug for ServiceManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner {
            None => f.write_str("ServiceManager(none)"),
            Some(inner) => write!(f, "ServiceManager(watchdog {:?})", inner.watchdog),
        }
    }
}

/// Why the environment's notify settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// `NOTIFY_SOCKET` is neither a path nor an abstract name.
    #[error("NOTIFY_SOCKET {0:?} is not an absolute path or an @abstract name")]
    Socket(String),
    /// `WATCHDOG_USEC` is not a number of microseconds.
    #[error("WATCHDOG_USEC {0:?} is not a positive number of microseconds")]
    Watchdog(String),
    /// The socket could not be made.
    #[error("cannot open a socket to the service manager: {0}")]
    Io(#[from] io::Error),
}

/// What the environment says: where to send notes and how often the
/// watchdog wants a ping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `NOTIFY_SOCKET`.
    pub socket: String,
    /// `WATCHDOG_USEC`, if set and not zero.
    pub watchdog: Option<Duration>,
}

impl Settings {
    /// Reads `NOTIFY_SOCKET` and `WATCHDOG_USEC` from the values given
    /// (`None`: not set). No socket: not under a service manager.
    pub fn parse(
        socket: Option<&str>,
        watchdog_usec: Option<&str>,
    ) -> Result<Option<Self>, NotifyError> {
        let Some(socket) = socket.filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        if !(socket.starts_with('/') || socket.starts_with('@')) || socket.len() < 2 {
            return Err(NotifyError::Socket(socket.to_string()));
        }
        let watchdog = match watchdog_usec.filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => match text.trim().parse::<u64>() {
                Ok(0) => None,
                Ok(usec) => Some(Duration::from_micros(usec)),
                Err(_) => return Err(NotifyError::Watchdog(text.to_string())),
            },
        };
        Ok(Some(Self {
            socket: socket.to_string(),
            watchdog,
        }))
    }
}

impl ServiceManager {
    /// Not under a service manager: every call does nothing.
    pub fn none() -> Self {
        Self::default()
    }

    /// Takes the service manager's settings out of the environment
    /// (`NOTIFY_SOCKET`, `WATCHDOG_USEC`, `WATCHDOG_PID`), so processes the
    /// kiosk starts (the demo's platform) do not speak for it; `None` when
    /// not started by one. [`ServiceManager::start`] them once logging is
    /// set up.
    ///
    /// Call it first thing in `main`, before any other thread exists.
    pub fn take_env() -> Result<Option<Settings>, NotifyError> {
        let socket = std::env::var("NOTIFY_SOCKET").ok();
        let watchdog = std::env::var("WATCHDOG_USEC").ok();
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] {
            // SAFETY: called at the start of `main`, while the process has
            // one thread; nothing reads the environment concurrently.
            unsafe { std::env::remove_var(name) };
        }
        Settings::parse(socket.as_deref(), watchdog.as_deref())
    }

    /// Starts the thread that speaks to the socket.
    pub fn start(settings: &Settings) -> Result<Self, NotifyError> {
        let link = Link::open(&settings.socket)?;
        let (notes, inbox) = mpsc::channel();
        let inner = Arc::new(Inner {
            notes,
            beats: AtomicU64::new(0),
            watchdog: settings.watchdog,
        });
        let shared = Arc::clone(&inner);
        std::thread::Builder::new()
            .name("sd-notify".into())
            .spawn(move || run(&link, &inbox, &shared))?;
        tracing::info!(watchdog = ?settings.watchdog, "under a service manager");
        Ok(Self { inner: Some(inner) })
    }

    /// Whether a watchdog wants pings.
    pub fn watchdog(&self) -> Option<Duration> {
        self.inner.as_ref().and_then(|i| i.watchdog)
    }

    /// How often the UI loop should beat: a quarter of the watchdog
    /// interval, so every ping (each half interval) has beats behind it.
    pub fn beat_every(&self) -> Option<Duration> {
        self.watchdog()
            .map(|w| (w / 4).max(Duration::from_millis(50)))
    }

    /// The UI loop ran (called from `update`; an atomic add).
    pub fn beat(&self) {
        if let Some(inner) = &self.inner {
            inner.beats.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The first frame is on screen: the service has started.
    pub fn ready(&self) {
        self.note(Note::Ready);
    }

    /// The kiosk was asked to stop and is stopping.
    pub fn stopping(&self) {
        self.note(Note::Stopping);
    }

    fn note(&self, note: Note) {
        if let Some(inner) = &self.inner {
            // The thread outlives the UI; a send only fails after it ended.
            let _ = inner.notes.send(note);
        }
    }
}

/// The datagram socket to the service manager.
struct Link {
    socket: UnixDatagram,
    to: SocketAddr,
}

impl Link {
    fn open(path: &str) -> Result<Self, NotifyError> {
        let to = match path.strip_prefix('@') {
            Some(name) => {
                use std::os::linux::net::SocketAddrExt;
                SocketAddr::from_abstract_name(name.as_bytes())?
            }
            None => SocketAddr::from_pathname(path)?,
        };
        let socket = UnixDatagram::unbound()?;
        Ok(Self { socket, to })
    }

    fn send(&self, text: &str) {
        if let Err(error) = self.socket.send_to_addr(text.as_bytes(), &self.to) {
            tracing::warn!(%error, note = text.lines().next().unwrap_or(""), "the service manager did not take a note");
        }
    }
}

fn run(link: &Link, inbox: &mpsc::Receiver<Note>, inner: &Inner) {
    let ping_every = inner
        .watchdog
        .map(|w| (w / 2).max(Duration::from_millis(100)));
    let mut next_ping = ping_every.map(|every| Instant::now() + every);
    let mut seen = inner.beats.load(Ordering::Relaxed);
    let mut withheld = false;
    loop {
        let note = match next_ping {
            Some(at) => match inbox.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(note) => Some(note),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            },
            None => match inbox.recv() {
                Ok(note) => Some(note),
                Err(_) => return,
            },
        };
        match note {
            Some(Note::Ready) => {
                link.send(&format!(
                    "READY=1\nMAINPID={}\nSTATUS=serving",
                    std::process::id()
                ));
                tracing::info!("ready: told the service manager");
            }
            Some(Note::Stopping) => {
                link.send("STOPPING=1\nSTATUS=stopping");
                tracing::info!("stopping: told the service manager");
            }
            None => {
                let beats = inner.beats.load(Ordering::Relaxed);
                if beats != seen {
                    link.send("WATCHDOG=1");
                    if withheld {
                        tracing::warn!("the UI loop runs again; watchdog pings resumed");
                        withheld = false;
                    }
                    seen = beats;
                } else if !withheld {
                    tracing::error!(
                        "the UI loop has not run for half the watchdog interval; \
                         withholding watchdog pings so the service manager restarts the kiosk"
                    );
                    withheld = true;
                }
                if let (Some(at), Some(every)) = (&mut next_ping, ping_every) {
                    *at += every;
                    // After a long stall of this thread, ping on time again
                    // rather than in a burst.
                    let now = Instant::now();
                    if *at < now {
                        *at = now + every;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listen() -> (tempfile::TempDir, UnixDatagram, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let socket = UnixDatagram::bind(&path).unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        (dir, socket, path.display().to_string())
    }

    fn receive(socket: &UnixDatagram) -> String {
        let mut buf = [0u8; 512];
        let n = socket.recv(&mut buf).unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    #[test]
    fn settings_are_read_and_checked() {
        assert_eq!(Settings::parse(None, Some("1000")).unwrap(), None);
        assert_eq!(Settings::parse(Some(""), None).unwrap(), None);
        let s = Settings::parse(Some("/run/systemd/notify"), Some("30000000"))
            .unwrap()
            .unwrap();
        assert_eq!(s.watchdog, Some(Duration::from_secs(30)));
        let s = Settings::parse(Some("@abstract"), Some("0"))
            .unwrap()
            .unwrap();
        assert_eq!(s.watchdog, None, "0 means no watchdog");
        assert!(matches!(
            Settings::parse(Some("relative/path"), None),
            Err(NotifyError::Socket(_))
        ));
        let error = Settings::parse(Some("/run/notify"), Some("thirty")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "WATCHDOG_USEC \"thirty\" is not a positive number of microseconds"
        );
    }

    #[test]
    fn ready_and_stopping_reach_the_socket() {
        let (_dir, socket, path) = listen();
        let manager = ServiceManager::start(&Settings {
            socket: path,
            watchdog: None,
        })
        .unwrap();
        manager.ready();
        let ready = receive(&socket);
        assert!(ready.starts_with("READY=1\n"), "{ready}");
        assert!(ready.contains(&format!("MAINPID={}", std::process::id())));
        manager.stopping();
        assert!(receive(&socket).starts_with("STOPPING=1"));
    }

    #[test]
    fn pings_follow_the_beats_and_stop_when_they_stop() {
        let (_dir, socket, path) = listen();
        let watchdog = Duration::from_millis(400);
        let manager = ServiceManager::start(&Settings {
            socket: path,
            watchdog: Some(watchdog),
        })
        .unwrap();
        assert_eq!(manager.beat_every(), Some(Duration::from_millis(100)));
        // Beating: a ping every 200 ms.
        let beating = {
            let manager = manager.clone();
            std::thread::spawn(move || {
                for _ in 0..12 {
                    manager.beat();
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        };
        let started = Instant::now();
        let mut pings = 0;
        while started.elapsed() < Duration::from_millis(1000) {
            if receive(&socket) == "WATCHDOG=1" {
                pings += 1;
            }
        }
        beating.join().unwrap();
        assert!(pings >= 3, "{pings} pings in a second of beats");
        // No beats: no pings, however long the socket waits.
        socket
            .set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        while socket.recv(&mut [0u8; 64]).is_ok() {}
        socket
            .set_read_timeout(Some(Duration::from_millis(900)))
            .unwrap();
        let mut buf = [0u8; 64];
        assert!(
            socket.recv(&mut buf).is_err(),
            "a ping came without the UI loop beating"
        );
        // Beats again: pings again.
        manager.beat();
        socket
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        assert_eq!(receive(&socket), "WATCHDOG=1");
    }

    #[test]
    fn without_a_socket_nothing_happens() {
        let manager = ServiceManager::none();
        manager.ready();
        manager.beat();
        manager.stopping();
        assert_eq!(manager.watchdog(), None);
        assert_eq!(manager.beat_every(), None);
    }
}
