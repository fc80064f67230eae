//! The printing services against the printer simulators: the journal,
//! supply counters and device states a resident and staff depend on.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tongban::print::service::{
    A4_SHEETS, A4Service, Cause, PrintRequest, PrinterEvent, Progress, Queue, Timing, a4_loop,
};
use tongban::store::Store;
use tongban_device::{CoverState, DeviceState, DeviceStatus, MediaState, TonerState};
use tongban_sim::LaserSim;

struct Running {
    queue: Queue,
    events: mpsc::Receiver<PrinterEvent>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start(service: A4Service, timing: Timing) -> Running {
    let (tx, events) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            a4_loop(&service, timing, &stop, &mut |e| {
                let _ = tx.send(e);
            })
        })
    };
    let queue = match events.recv_timeout(Duration::from_secs(5)).unwrap() {
        PrinterEvent::Ready(q) => q,
        other => panic!("first event {other:?}"),
    };
    Running {
        queue,
        events,
        stop,
        thread: Some(thread),
    }
}

impl Running {
    /// Waits for a status matching `want`; returns how long it took.
    fn wait_status(&self, want: impl Fn(&DeviceStatus) -> bool) -> Duration {
        let started = Instant::now();
        loop {
            let left = Duration::from_secs(10).saturating_sub(started.elapsed());
            match self.events.recv_timeout(left) {
                Ok(PrinterEvent::Status(s)) if want(&s) => return started.elapsed(),
                Ok(_) => {}
                Err(e) => panic!("no such status: {e}"),
            }
        }
    }

    /// Waits for the job's final progress, collecting the steps and the
    /// last status reported meanwhile.
    fn wait_job(&self, token: u64) -> (Vec<Progress>, Progress) {
        self.wait_job_and_status(token).0
    }

    fn wait_job_and_status(&self, token: u64) -> ((Vec<Progress>, Progress), Option<DeviceStatus>) {
        let mut steps = Vec::new();
        let mut status = None;
        let started = Instant::now();
        loop {
            let left = Duration::from_secs(30).saturating_sub(started.elapsed());
            match self.events.recv_timeout(left) {
                Ok(PrinterEvent::Job { token: t, progress }) if t == token => match progress {
                    Progress::Started { .. } | Progress::Page { .. } => steps.push(progress),
                    end => return ((steps, end), status),
                },
                Ok(PrinterEvent::Status(s)) => status = Some(s),
                Ok(_) => {}
                Err(e) => panic!("job did not end: {e}"),
            }
        }
    }
}

fn licence(purpose: &str) -> tongban::print::licence::LicenceCopy {
    tongban::demo::sample_licence(purpose, "2026-11-24", "14:03")
}

#[test]
fn paper_running_out_mid_job_fails_it_and_a_restart_counts_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(1, &dir.path().join("pages")).unwrap();
    let db = dir.path().join("kiosk.db");
    {
        let mut store = Store::open(&db, Duration::from_secs(2)).unwrap();
        store
            .set_supply(A4_SHEETS, 1, "2026-11-24T14:00:00+08:00")
            .unwrap();
    }
    let running = start(
        A4Service {
            address: sim.addr(),
            store: db.clone(),
        },
        Timing::default(),
    );
    running.wait_status(|s| s.state == DeviceState::Online);
    running
        .queue
        .submit(PrintRequest::Licence {
            token: 7,
            ticket: "T-2026-0001".into(),
            copies: vec![licence("办理入学手续"), licence("办理入学手续")],
        })
        .unwrap();
    let ((steps, end), status) = running.wait_job_and_status(7);
    assert!(
        matches!(steps[0], Progress::Started { pages: 2, .. }),
        "{steps:?}"
    );
    assert_eq!(
        end,
        Progress::Failed {
            printed: 1,
            pages: 2,
            cause: Cause::PaperOut
        }
    );
    // The tray is out, as the printer says.
    assert_eq!(status.unwrap().media, Some(MediaState::Out));
    assert_eq!(sim.printed().len(), 1);
    drop(running);

    // A restart: the finished job is left alone; the sheet is counted once.
    let mut store = Store::open(&db, Duration::from_secs(2)).unwrap();
    assert!(
        store
            .recover_jobs("2026-11-24T14:10:00+08:00")
            .unwrap()
            .is_empty()
    );
    let job = store.job(1).unwrap().unwrap();
    assert_eq!(
        (job.state.as_str(), job.printed, job.pages),
        ("failed", 1, 2)
    );
    assert_eq!(job.reason, "paper out");
    assert_eq!(store.supply(A4_SHEETS).unwrap(), Some(0));
    drop(store);
    let mut store = Store::open(&db, Duration::from_secs(2)).unwrap();
    assert!(
        store
            .recover_jobs("2026-11-24T14:20:00+08:00")
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.supply(A4_SHEETS).unwrap(), Some(0));
}

#[test]
fn a_job_on_a_printer_without_paper_is_refused_before_anything_is_journalled() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(0, &dir.path().join("pages")).unwrap();
    let db = dir.path().join("kiosk.db");
    let running = start(
        A4Service {
            address: sim.addr(),
            store: db.clone(),
        },
        Timing::default(),
    );
    running.wait_status(|s| s.media == Some(MediaState::Out));
    running
        .queue
        .submit(PrintRequest::Licence {
            token: 1,
            ticket: "T".into(),
            copies: vec![licence("办事")],
        })
        .unwrap();
    let (steps, end) = running.wait_job(1);
    assert!(steps.is_empty());
    assert_eq!(end, Progress::Refused(Cause::PaperOut));
    drop(running);
    let store = Store::open(&db, Duration::from_secs(2)).unwrap();
    assert_eq!(store.job(1).unwrap(), None);
}

#[test]
fn a_full_job_is_printed_and_its_sheets_counted() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(10, &dir.path().join("pages")).unwrap();
    let db = dir.path().join("kiosk.db");
    Store::open(&db, Duration::from_secs(2))
        .unwrap()
        .set_supply(A4_SHEETS, 10, "2026-11-24T14:00:00+08:00")
        .unwrap();
    let running = start(
        A4Service {
            address: sim.addr(),
            store: db.clone(),
        },
        Timing::default(),
    );
    running.wait_status(|s| s.state == DeviceState::Online);
    running
        .queue
        .submit(PrintRequest::Licence {
            token: 2,
            ticket: "T-2".into(),
            copies: vec![licence("办理社保业务")],
        })
        .unwrap();
    let (steps, end) = running.wait_job(2);
    assert_eq!(end, Progress::Printed);
    assert!(steps.contains(&Progress::Page {
        printed: 1,
        pages: 1
    }));
    drop(running);
    let store = Store::open(&db, Duration::from_secs(2)).unwrap();
    assert_eq!(store.job(1).unwrap().unwrap().state, "printed");
    assert_eq!(store.supply(A4_SHEETS).unwrap(), Some(9));
    assert_eq!(sim.sheets(), 9);
}

#[test]
fn cover_jam_and_toner_reach_the_device_state_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(10, &dir.path().join("pages")).unwrap();
    let running = start(
        A4Service {
            address: sim.addr(),
            store: dir.path().join("kiosk.db"),
        },
        Timing::default(),
    );
    running.wait_status(|s| s.state == DeviceState::Online);
    let limit = Duration::from_secs(2);

    sim.set_cover_open(true);
    let took = running.wait_status(|s| s.cover == Some(CoverState::Open));
    assert!(took < limit, "cover open after {took:?}");
    sim.set_cover_open(false);
    running.wait_status(|s| s.state == DeviceState::Online);

    sim.set_jammed(true);
    let took = running.wait_status(|s| s.media == Some(MediaState::Jammed));
    assert!(took < limit, "jam after {took:?}");
    sim.set_jammed(false);
    running.wait_status(|s| s.state == DeviceState::Online);

    sim.set_toner_low(true);
    let took = running.wait_status(|s| s.toner == Some(TonerState::Low));
    assert!(took < limit, "toner low after {took:?}");
}

#[test]
fn a_printer_that_goes_away_is_offline_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(10, &dir.path().join("pages")).unwrap();
    let addr = sim.addr();
    let running = start(
        A4Service {
            address: addr,
            store: dir.path().join("kiosk.db"),
        },
        Timing {
            reconnect: Duration::from_millis(200),
            ..Timing::default()
        },
    );
    running.wait_status(|s| s.state == DeviceState::Online);
    drop(sim);
    running.wait_status(|s| s.state == DeviceState::Offline);
}
