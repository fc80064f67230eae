//! The printing services against the printer simulators: the journal,
//! supply counters and device states a resident and staff depend on.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tongban::print::service::{
    A4Service, Cause, PrintRequest, PrinterEvent, Progress, Queue, Timing, a4_loop,
};
use tongban::store::{A4_SHEETS, A4_TONER, Store};
use tongban_device::{CoverState, DeviceState, DeviceStatus, MediaState, TonerState};
use tongban_sim::LaserSim;

/// A printer thread running its loop: stopped and joined when dropped.
struct Running {
    thread: Option<std::thread::JoinHandle<()>>,
    stop: Arc<AtomicBool>,
    /// Where the kiosk queues jobs, and what the thread tells it.
    queue: Queue,
    events: mpsc::Receiver<PrinterEvent>,
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
    start_loop(move |stop, emit| a4_loop(&service, timing, stop, emit))
}

/// Runs a printer thread's loop as the kiosk does and waits for its queue.
fn start_loop(
    run: impl FnOnce(&AtomicBool, &mut dyn FnMut(PrinterEvent)) + Send + 'static,
) -> Running {
    let (tx, events) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            run(&stop, &mut |e| {
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

/// The composed page of the sample licence, as the kiosk hands it to the
/// printer after the resident saw it in the preview.
fn page(purpose: &str) -> std::sync::Arc<tongban_laser::Bitmap> {
    std::sync::Arc::new(tongban::print::licence::compose(&licence(purpose)).expect("composes"))
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
            usb: None,
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
            page: page("办理入学手续"),
            copies: 2,
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
            usb: None,
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
            page: page("办事"),
            copies: 1,
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
fn a_full_job_is_printed_and_its_sheets_and_toner_counted() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(10, &dir.path().join("pages")).unwrap();
    let db = dir.path().join("kiosk.db");
    {
        let mut store = Store::open(&db, Duration::from_secs(2)).unwrap();
        store
            .set_supply(A4_SHEETS, 10, "2026-11-24T14:00:00+08:00")
            .unwrap();
        store
            .set_supply(A4_TONER, 3000, "2026-11-24T14:00:00+08:00")
            .unwrap();
    }
    let running = start(
        A4Service {
            address: sim.addr(),
            usb: None,
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
            page: page("办理社保业务"),
            copies: 1,
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
    assert_eq!(store.job(1).unwrap().unwrap().state.as_str(), "printed");
    assert_eq!(store.supply(A4_SHEETS).unwrap(), Some(9));
    assert_eq!(store.supply(A4_TONER).unwrap(), Some(2999));
    assert_eq!(sim.sheets(), 9);
    // Each use is recorded for the estimate of how long the rest lasts.
    for supply in [A4_SHEETS, A4_TONER] {
        let (used, first) = store.usage_since(supply, "2000-01-01T00:00:00Z").unwrap();
        assert_eq!(used, 1, "{supply}");
        assert!(first.is_some(), "{supply}");
    }
}

#[test]
fn cover_jam_and_toner_reach_the_device_state_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(10, &dir.path().join("pages")).unwrap();
    let running = start(
        A4Service {
            address: sim.addr(),
            usb: None,
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
            usb: None,
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

/// A printer that takes the job and then never moves its page counter nor
/// reports an error: what a printer that hangs, or a kiosk stopped in the
/// middle, leaves behind.
struct Hanging {
    sent: Arc<AtomicBool>,
}

impl tongban::print::service::A4Link for Hanging {
    fn send(&mut self, _bytes: &[u8]) -> Result<(), tongban::print::service::LinkError> {
        self.sent.store(true, Ordering::SeqCst);
        Ok(())
    }
    fn status(&mut self) -> Result<DeviceStatus, tongban::print::service::LinkError> {
        Ok(DeviceStatus {
            kind: tongban_device::DeviceKind::A4Printer,
            state: DeviceState::Online,
            media: Some(MediaState::Full),
            toner: Some(TonerState::Full),
            cover: Some(CoverState::Closed),
        })
    }
    fn pagecount(&mut self) -> Result<u64, tongban::print::service::LinkError> {
        Ok(41)
    }
}

#[test]
fn a_job_cut_off_by_a_stop_is_uncertain_and_never_counted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    Store::open(&db, Duration::from_secs(2))
        .unwrap()
        .set_supply(A4_SHEETS, 10, "2026-11-24T14:00:00+08:00")
        .unwrap();
    let sent = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let (queue, requests) = Queue::pair();
    let (tx, events) = mpsc::channel();
    let thread = {
        let (sent, stop, db) = (sent.clone(), stop.clone(), db.clone());
        std::thread::spawn(move || {
            let connect = move || -> Result<Box<dyn tongban::print::service::A4Link>, tongban::print::service::LinkError> {
                Ok(Box::new(Hanging { sent: sent.clone() }))
            };
            tongban::print::service::run_a4(
                &connect,
                &db,
                Timing::default(),
                &requests,
                &stop,
                &mut |e| {
                    let _ = tx.send(e);
                },
            )
        })
    };
    queue
        .submit(PrintRequest::Licence {
            token: 3,
            ticket: "T-3".into(),
            page: page("核验身份"),
            copies: 1,
        })
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !sent.load(Ordering::SeqCst) {
        assert!(Instant::now() < deadline, "job never sent");
        std::thread::sleep(Duration::from_millis(10));
    }
    // The kiosk stops while the page is "in the printer".
    stop.store(true, Ordering::SeqCst);
    thread.join().unwrap();
    let end = events
        .try_iter()
        .filter_map(|e| match e {
            PrinterEvent::Job { progress, .. } => Some(progress),
            _ => None,
        })
        .last();
    assert_eq!(
        end,
        Some(Progress::Uncertain {
            cause: Cause::Offline
        })
    );
    let mut store = Store::open(&db, Duration::from_secs(2)).unwrap();
    let job = store.job(1).unwrap().unwrap();
    assert_eq!((job.state.as_str(), job.printed), ("uncertain", 0));
    assert_eq!(store.uncertain_jobs().unwrap().len(), 1);
    // A restart leaves it uncertain for staff and counts nothing.
    assert!(
        store
            .recover_jobs("2026-11-24T15:00:00+08:00")
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.supply(A4_SHEETS).unwrap(), Some(10));
}

mod receipt {
    use super::*;
    use tongban::print::service::{ReceiptService, receipt_loop};
    use tongban::store::RECEIPT_MM;
    use tongban_sim::{ReceiptOptions, ReceiptSim};

    fn sim(dir: &std::path::Path, roll_mm: u32) -> ReceiptSim {
        ReceiptSim::start(
            &dir.join("receipt-printer"),
            ReceiptOptions {
                roll_mm,
                near_end_mm: 1000,
                out_dir: dir.join("receipts"),
                font: tongban::fonts::TONGBAN_SANS,
            },
        )
        .unwrap()
    }

    fn start_receipt(sim: &ReceiptSim, db: &std::path::Path) -> Running {
        let service = ReceiptService {
            path: sim.path().to_owned(),
            baud: 115_200,
            usb: None,
            store: db.to_owned(),
        };
        start_loop(move |stop, emit| receipt_loop(&service, Timing::default(), stop, emit))
    }

    fn submit(running: &Running, token: u64) {
        running
            .queue
            .submit(PrintRequest::Receipt {
                token,
                ticket: format!("SH-{token}"),
                data: Box::new(tongban::demo::sample_receipt("2026-11-24 14:03")),
            })
            .unwrap();
    }

    #[test]
    fn a_receipt_prints_and_its_paper_is_counted_once() {
        let dir = tempfile::tempdir().unwrap();
        let sim = sim(dir.path(), 5000);
        let db = dir.path().join("kiosk.db");
        Store::open(&db, Duration::from_secs(2))
            .unwrap()
            .set_supply(RECEIPT_MM, 5000, "2026-11-24T14:00:00+08:00")
            .unwrap();
        let running = start_receipt(&sim, &db);
        running.wait_status(|s| s.state == DeviceState::Online);
        submit(&running, 1);
        let (_, end) = running.wait_job(1);
        assert_eq!(end, Progress::Printed);
        assert_eq!(sim.printed().len(), 1);
        drop(running);
        let mut store = Store::open(&db, Duration::from_secs(2)).unwrap();
        assert!(
            store
                .recover_jobs("2026-11-24T15:00:00+08:00")
                .unwrap()
                .is_empty()
        );
        let used = 5000 - store.supply(RECEIPT_MM).unwrap().unwrap();
        let real = i64::from(5000 - sim.roll_left_mm());
        assert!(
            (used - real).abs() <= 2,
            "counted {used} mm, used {real} mm"
        );
        assert_eq!(
            store
                .usage_since(RECEIPT_MM, "2000-01-01T00:00:00Z")
                .unwrap()
                .0,
            used
        );
    }

    #[test]
    fn the_roll_running_out_mid_receipt_fails_it_and_counts_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let sim = sim(dir.path(), 20);
        let db = dir.path().join("kiosk.db");
        Store::open(&db, Duration::from_secs(2))
            .unwrap()
            .set_supply(RECEIPT_MM, 20, "2026-11-24T14:00:00+08:00")
            .unwrap();
        let running = start_receipt(&sim, &db);
        running.wait_status(|s| s.media == Some(MediaState::Low));
        submit(&running, 2);
        let ((_, end), status) = running.wait_job_and_status(2);
        assert_eq!(
            end,
            Progress::Failed {
                printed: 0,
                pages: 1,
                cause: Cause::PaperOut
            }
        );
        assert_eq!(status.unwrap().media, Some(MediaState::Out));
        drop(running);
        let store = Store::open(&db, Duration::from_secs(2)).unwrap();
        assert_eq!(store.job(1).unwrap().unwrap().state.as_str(), "failed");
        assert_eq!(store.supply(RECEIPT_MM).unwrap(), Some(20));
    }

    #[test]
    fn near_end_and_cover_open_reach_the_device_state_within_two_seconds() {
        let dir = tempfile::tempdir().unwrap();
        let sim = sim(dir.path(), 5000);
        let running = start_receipt(&sim, &dir.path().join("kiosk.db"));
        running.wait_status(|s| s.state == DeviceState::Online);
        let limit = Duration::from_secs(2);
        sim.load_roll(500);
        let took = running.wait_status(|s| s.media == Some(MediaState::Low));
        assert!(took < limit, "near end after {took:?}");
        sim.set_cover_open(true);
        let took = running.wait_status(|s| s.cover == Some(CoverState::Open));
        assert!(took < limit, "cover open after {took:?}");
        sim.set_cover_open(false);
        sim.set_cutter_error(true);
        let took = running.wait_status(|s| s.state == DeviceState::HardwareError);
        assert!(took < limit, "cutter error after {took:?}");
        drop(sim);
        running.wait_status(|s| s.state == DeviceState::Offline);
    }
}
