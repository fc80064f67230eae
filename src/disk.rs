//! The free space of the filesystem holding the store, and the guard that
//! stops new applications when it runs low (`store.min_free_mb`): better
//! to tell a resident before they start than to fail in the middle of
//! their application. What is already in the outbox is kept and still
//! sent; the guard lifts by itself once space is freed.
//!
//! Free space is a property of the filesystem, so there is one guard per
//! store in the process ([`guard`]), shared by the three places that
//! measure: a thread beside the UI ([`run_watch`], every [`CHECK_EVERY`] and
//! right away), the submit path right before it writes a new application,
//! and the platform thread for the heartbeat. Whichever of them sees the
//! space go low or come back logs it, once. Nothing here runs in `update`
//! or `view`.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use tongban_platform_api::terminal::DiskReport;

/// How often the thread beside the UI measures.
pub const CHECK_EVERY: Duration = Duration::from_secs(30);

const MB: u64 = 1024 * 1024;

/// What `statvfs` says about a filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Space {
    /// Bytes an unprivileged writer may still use.
    pub free_bytes: u64,
    /// The filesystem's size in bytes.
    pub total_bytes: u64,
}

/// Measures the filesystem holding `path` (or, while `path` does not exist
/// yet, its nearest existing folder).
pub fn measure(path: &Path) -> io::Result<Space> {
    let mut at = path;
    while !at.exists() {
        match at.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => at = parent,
            _ => {
                at = Path::new(".");
                break;
            }
        }
    }
    let c_path = CString::new(at.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL byte in the path"))?;
    // SAFETY: `c_path` is a valid NUL-terminated string and `stat` a
    // properly sized, writable `statvfs` the call fills in.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // The field types differ between platforms (u32 or u64).
    #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
    let (unit, available, blocks) = (
        (stat.f_frsize as u64).max(1),
        stat.f_bavail as u64,
        stat.f_blocks as u64,
    );
    Ok(Space {
        free_bytes: available.saturating_mul(unit),
        total_bytes: blocks.saturating_mul(unit),
    })
}

/// The disk as the kiosk sees it after a measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskStatus {
    /// Free space, MB (rounded down).
    pub free_mb: u64,
    /// Size, MB.
    pub total_mb: u64,
    /// Below the threshold: no new applications.
    pub low: bool,
}

impl DiskStatus {
    /// As the heartbeat reports it.
    pub fn report(self) -> DiskReport {
        DiskReport {
            free_mb: self.free_mb,
            total_mb: self.total_mb,
            low: self.low,
        }
    }
}

/// A change the monitor saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Free space fell below the threshold.
    Low,
    /// Free space is back above it.
    Recovered,
}

/// The guard's state, free of I/O: measurements in, status and
/// transitions out. The first measurement counts as a transition only
/// when it is low (a terminal that starts with a full disk says so; one
/// that starts fine says nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Monitor {
    min_free_mb: u64,
    low: Option<bool>,
}

impl Monitor {
    /// A monitor with this threshold; 0 never reports low.
    pub fn new(min_free_mb: u64) -> Self {
        Self {
            min_free_mb,
            low: None,
        }
    }

    /// Whether the last measurement was low (false before any).
    pub fn is_low(&self) -> bool {
        self.low == Some(true)
    }

    /// Takes a measurement.
    pub fn observe(&mut self, space: Space) -> (DiskStatus, Option<Transition>) {
        let low = self.min_free_mb > 0 && space.free_bytes < self.min_free_mb.saturating_mul(MB);
        let transition = match (self.low, low) {
            (Some(false) | None, true) => Some(Transition::Low),
            (Some(true), false) => Some(Transition::Recovered),
            _ => None,
        };
        self.low = Some(low);
        let status = DiskStatus {
            free_mb: space.free_bytes / MB,
            total_mb: space.total_bytes / MB,
            low,
        };
        (status, transition)
    }
}

/// The guard of one store: where it is, its threshold and its monitor.
#[derive(Debug)]
pub struct DiskGuard {
    /// The store's folder.
    dir: PathBuf,
    min_free_mb: u64,
    state: Mutex<GuardState>,
}

#[derive(Debug)]
struct GuardState {
    monitor: Monitor,
    /// Measuring failed last time (said once, not at every check).
    failing: bool,
}

impl DiskGuard {
    /// Measures now, logs a transition, and returns what it found (none
    /// if the filesystem cannot be measured: then nothing is refused).
    pub fn check(&self) -> Option<DiskStatus> {
        let measured = measure(&self.dir);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let space = match measured {
            Ok(space) => space,
            Err(error) => {
                if !state.failing {
                    tracing::warn!(%error, dir = %self.dir.display(), "free disk space cannot be measured; new applications are not held back");
                    state.failing = true;
                }
                return None;
            }
        };
        state.failing = false;
        let (status, transition) = state.monitor.observe(space);
        match transition {
            Some(Transition::Low) => tracing::warn!(
                free_mb = status.free_mb,
                min_free_mb = self.min_free_mb,
                "disk nearly full: new applications are refused; the outbox is kept and still sent"
            ),
            Some(Transition::Recovered) => tracing::info!(
                free_mb = status.free_mb,
                min_free_mb = self.min_free_mb,
                "disk space freed: new applications are taken again"
            ),
            None => {}
        }
        Some(status)
    }

    /// Whether a new application must be refused now (measured now).
    pub fn refuses_new(&self) -> bool {
        self.check().is_some_and(|s| s.low)
    }
}

/// The guards of the stores of this process, by store path.
static GUARDS: Mutex<Vec<(PathBuf, Arc<DiskGuard>)>> = Mutex::new(Vec::new());

/// The guard of the store at `store` (its database file) with this
/// threshold: the one already made for it, or a new one in its place when
/// the threshold differs. Makes no measurement.
pub fn guard(store: &Path, min_free_mb: u64) -> Arc<DiskGuard> {
    let mut guards = GUARDS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, g)) = guards
        .iter()
        .find(|(path, g)| path == store && g.min_free_mb == min_free_mb)
    {
        return Arc::clone(g);
    }
    let dir = match store.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let made = Arc::new(DiskGuard {
        dir,
        min_free_mb,
        state: Mutex::new(GuardState {
            monitor: Monitor::new(min_free_mb),
            failing: false,
        }),
    });
    guards.retain(|(path, _)| path != store);
    guards.push((store.to_path_buf(), Arc::clone(&made)));
    made
}

/// The guard made for the store at `store`, if the kiosk made one.
pub fn registered(store: &Path) -> Option<Arc<DiskGuard>> {
    let guards = GUARDS.lock().unwrap_or_else(|e| e.into_inner());
    guards
        .iter()
        .find(|(path, _)| path == store)
        .map(|(_, g)| Arc::clone(g))
}

/// The disk of the store at `store` for the heartbeat, measured now: low
/// as its guard judges it (a store without a guard is never low).
pub fn report(store: &Path) -> Option<DiskReport> {
    let status = match registered(store) {
        Some(guard) => guard.check()?,
        None => Monitor::new(0).observe(measure(store).ok()?).0,
    };
    Some(status.report())
}

/// Asks the watching thread to measure now (after a submission found the
/// disk low, so the screens follow at once).
#[derive(Debug, Clone)]
pub struct Recheck(mpsc::Sender<()>);

impl Recheck {
    /// Measure now.
    pub fn now(&self) {
        let _ = self.0.send(());
    }
}

impl PartialEq for Recheck {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// What the watching thread tells the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum DiskEvent {
    /// The thread runs; this asks it to measure now.
    Watching(Recheck),
    /// Free space went below the threshold or came back (also the first
    /// measurement).
    Changed(DiskStatus),
}

/// What the watch is kept by: the store's database file and the
/// threshold.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WatchKey {
    /// The store's database file.
    pub store: PathBuf,
    /// `store.min_free_mb`.
    pub min_free_mb: u64,
}

/// The thread beside the UI (`subscriptions::disk` runs it): measures
/// right away and every `every`, and tells the UI only when the guard's
/// answer changes (so an idle terminal is not woken every half minute).
pub fn run_watch(
    guard: &DiskGuard,
    every: Duration,
    stop: &AtomicBool,
    emit: &mut dyn FnMut(DiskEvent),
) {
    let (tx, rx) = mpsc::channel();
    emit(DiskEvent::Watching(Recheck(tx)));
    let mut told: Option<bool> = None;
    while !stop.load(Ordering::SeqCst) {
        if let Some(status) = guard.check()
            && told != Some(status.low)
        {
            emit(DiskEvent::Changed(status));
            told = Some(status.low);
        }
        match rx.recv_timeout(every) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => std::thread::sleep(every),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space(free_mb: u64) -> Space {
        Space {
            free_bytes: free_mb * MB + 123,
            total_bytes: 1000 * MB,
        }
    }

    #[test]
    fn the_monitor_reports_each_transition_once() {
        let mut m = Monitor::new(200);
        // Starting with room: nothing to say.
        assert_eq!(m.observe(space(500)).1, None);
        assert!(!m.is_low());
        assert_eq!(m.observe(space(300)).1, None);
        // Falling below: said once, however often it is measured.
        let (status, t) = m.observe(space(150));
        assert_eq!(t, Some(Transition::Low));
        assert_eq!(
            status,
            DiskStatus {
                free_mb: 150,
                total_mb: 1000,
                low: true
            }
        );
        assert_eq!(m.observe(space(100)).1, None);
        assert_eq!(m.observe(space(199)).1, None);
        assert!(m.is_low());
        // Exactly the threshold is enough.
        assert_eq!(m.observe(space(200)).1, Some(Transition::Recovered));
        assert_eq!(m.observe(space(900)).1, None);
        assert_eq!(m.observe(space(0)).1, Some(Transition::Low));
    }

    #[test]
    fn a_terminal_that_starts_low_says_so() {
        let mut m = Monitor::new(200);
        assert_eq!(m.observe(space(10)).1, Some(Transition::Low));
    }

    #[test]
    fn a_threshold_of_zero_never_refuses() {
        let mut m = Monitor::new(0);
        let (status, t) = m.observe(Space {
            free_bytes: 0,
            total_bytes: 0,
        });
        assert!(!status.low);
        assert_eq!(t, None);
    }

    #[test]
    fn measuring_a_real_folder_and_one_not_made_yet() {
        let dir = tempfile::tempdir().unwrap();
        let here = measure(dir.path()).unwrap();
        assert!(here.total_bytes > 0 && here.free_bytes <= here.total_bytes);
        // A store folder not created yet is measured where it will be.
        let later = measure(&dir.path().join("not/yet/tongban.db")).unwrap();
        assert_eq!(later.total_bytes, here.total_bytes);
    }

    #[test]
    fn the_watching_thread_tells_the_ui_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("tongban.db");
        // No filesystem has this much free: low from the first measurement.
        let g = guard(&store, u64::MAX / MB);
        assert!(Arc::ptr_eq(&g, &guard(&store, u64::MAX / MB)));
        assert!(Arc::ptr_eq(&g, &registered(&store).unwrap()));
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let thread = {
            let (g, stop) = (Arc::clone(&g), Arc::clone(&stop));
            std::thread::spawn(move || {
                run_watch(&g, Duration::from_secs(3600), &stop, &mut |e| {
                    tx.send(e).unwrap()
                })
            })
        };
        let Ok(DiskEvent::Watching(recheck)) = rx.recv() else {
            panic!("the thread hands over its recheck first");
        };
        let Ok(DiskEvent::Changed(first)) = rx.recv() else {
            panic!("then the first measurement");
        };
        assert!(first.low);
        // Checks asked for again: measured, but nothing new to tell.
        recheck.now();
        recheck.now();
        std::thread::sleep(Duration::from_millis(200));
        stop.store(true, Ordering::SeqCst);
        recheck.now();
        thread.join().unwrap();
        assert!(rx.try_iter().next().is_none());
        assert!(g.state.lock().unwrap().monitor.is_low());
        assert!(g.refuses_new());
        // A store without a guard is measured for the heartbeat, never low.
        let report = report(&dir.path().join("other.db")).unwrap();
        assert!(!report.low && report.total_mb > 0);
    }
}
