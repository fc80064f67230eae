//! A disk that fills up, for real: the kiosk's store on a size-limited
//! tmpfs mounted for the test (tests run as root here and in CI; without
//! the right to mount they fail and say so). Filling it makes the kiosk
//! refuse new applications with a sentence — on the guide instead of the
//! form, and at submit with the form kept — while the application already
//! accepted stays in the outbox and reaches the reference platform, whose
//! heartbeat and `kioskctl fleet status` show the low disk; freeing the
//! space brings the service back. A write that hits ENOSPC with the guard
//! off fails with a clear error and keeps what was accepted, and the log
//! writer drops lines without failing.

use tongban_testkit::journey;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use iced::Size;
use journey::{shows, t, tap};
use tongban::app::{App, Message, Screen};
use tongban::disk::{self, DiskEvent};
use tongban::submit::SubmitError;

const WIDE: Size = Size::new(1920.0, 1080.0);
const TERMINAL: &str = "SH-PD-0001-01";
const MB: u64 = 1024 * 1024;

/// A tmpfs of a fixed size mounted on a temporary folder; unmounted when
/// dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size_mb: u64) -> Tmpfs {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_mb}m"), "tmpfs"])
            .arg(dir.path())
            .output();
        match output {
            Ok(out) if out.status.success() => Tmpfs { dir },
            Ok(out) => panic!(
                "tests/disk_full.rs needs root: it mounts a size-limited tmpfs (mount -t tmpfs) \
                 to fill a disk for real, and mount refused: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            Err(error) => panic!(
                "tests/disk_full.rs needs root and the mount command to mount a tmpfs: {error}"
            ),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(self.dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            let _ = Command::new("umount")
                .arg("-l")
                .arg(self.dir.path())
                .status();
        }
    }
}

/// Writes a filler file of `bytes` (or until the disk is full).
fn filler(dir: &Path, bytes: u64) -> PathBuf {
    let path = dir.join("filler.bin");
    let mut file = std::fs::File::create(&path).expect("filler");
    let chunk = vec![0x5a_u8; 64 * 1024];
    let mut left = bytes;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        if file.write_all(&chunk[..n]).is_err() {
            break;
        }
        left -= n as u64;
    }
    path
}

/// Fills the disk to the last byte.
fn fill_completely(dir: &Path) -> PathBuf {
    let path = filler(dir, u64::MAX);
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    while file.write_all(&[0; 512]).is_ok() {}
    path
}

/// Taps `text` and runs what the messages start (tasks), as the runtime
/// would.
fn tap_run(app: &mut App, text: &str) {
    let messages: Vec<Message> = {
        let mut ui = journey::simulator(app, WIDE);
        if let Err(e) = ui.click(text) {
            panic!("{text:?} is not on the screen: {e}");
        }
        ui.into_messages().collect()
    };
    for m in messages {
        let task = app.update(m);
        journey::run(task, app);
    }
}

/// [`tap_run`] on a message's text.
fn tap_run_t(app: &mut App, id: &str) {
    let text = t(app, id);
    tap_run(app, &text);
}

/// Search → 户口簿补领 → 快办 → review: the form ready to send.
fn form_ready(app: &mut App) {
    tap(app, WIDE, &t(app, "home-services"));
    tap(app, WIDE, &t(app, "services-search-hint"));
    journey::type_keys(app, WIDE, "hkb");
    tap(app, WIDE, "户口簿补领");
    tap(app, WIDE, &t(app, "guide-kuaiban"));
    assert!(matches!(app.screen(), Screen::Apply(_)));
    tap(app, WIDE, &t(app, "apply-review"));
}

/// The next event of the disk thread, within a few seconds.
fn next_change(events: &mpsc::Receiver<DiskEvent>) -> disk::DiskStatus {
    match events.recv_timeout(Duration::from_secs(10)) {
        Ok(DiskEvent::Changed(status)) => status,
        other => panic!("the disk thread said {other:?}"),
    }
}

fn reference_platform(dir: &Path) -> tongban_platform::Platform {
    use tongban_platform::{Options, Platform};
    let assets = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"));
    Platform::start(Options::sample(assets, dir.join("platform.db")).unwrap())
        .expect("the reference platform starts on 127.0.0.1")
}

#[test]
fn filling_the_disk_gives_the_resident_the_sentence_and_loses_nothing_accepted() {
    let disk_dir = Tmpfs::mount(48);
    let store = disk_dir.path().join("kiosk.db");
    drop(tongban::store::Store::open(&store, Duration::from_secs(2)).unwrap());
    let mut config = journey::demo_config();
    config.store.min_free_mb = 16;
    let (mut app, _receipts, _licences) = journey::licence_app_with(config, Some(store.clone()));

    // The thread beside the UI, as the subscription runs it (quicker).
    let guard = disk::guard(&store, 16);
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, events) = mpsc::channel();
    let watcher = {
        let (guard, stop) = (Arc::clone(&guard), Arc::clone(&stop));
        std::thread::spawn(move || {
            disk::run_watch(&guard, Duration::from_millis(200), &stop, &mut |e| {
                let _ = tx.send(e);
            })
        })
    };
    let recheck = events.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(matches!(recheck, DiskEvent::Watching(_)));
    let _ = app.update(Message::Disk(recheck));
    let first = next_change(&events);
    assert!(!first.low, "{first:?}");
    let _ = app.update(Message::Disk(DiskEvent::Changed(first)));

    // An application accepted into the outbox (the platform the kiosk's
    // waiting client knows does not answer: it is queued).
    journey::identify(&mut app);
    form_ready(&mut app);
    tap_run_t(&mut app, "apply-submit");
    assert!(shows(&app, WIDE, "申请已保存，将自动提交"));
    assert_eq!(journey::outbox(&store).len(), 1);

    // The next resident is filling in a form when the disk fills up (some
    // space is left: a write would still succeed, but the guard's
    // threshold is not met).
    let _ = app.update(Message::EndSession);
    journey::identify(&mut app);
    form_ready(&mut app);
    let free = disk::measure(disk_dir.path()).unwrap().free_bytes;
    let fill = filler(disk_dir.path(), free - 4 * MB);
    assert!(disk::measure(disk_dir.path()).unwrap().free_bytes < 16 * MB);

    // Submitting: the sentence, the form kept, nothing written.
    tap_run_t(&mut app, "apply-submit");
    let sentence = t(&app, "submit-error-disk-low");
    assert!(sentence.contains("暂时不能受理新的申请"), "{sentence}");
    assert!(shows(&app, WIDE, &sentence));
    assert!(matches!(app.screen(), Screen::Apply(_)));
    assert!(shows(&app, WIDE, "138****0001"), "the form is kept");
    assert_eq!(journey::outbox(&store).len(), 1);
    // The refusal asked the thread to measure at once: the screens follow.
    let low = next_change(&events);
    assert!(low.low && low.free_mb < 16, "{low:?}");
    let _ = app.update(Message::Disk(DiskEvent::Changed(low)));

    // A resident opening an item now reads why instead of getting a form.
    let _ = app.update(Message::EndSession);
    journey::identify(&mut app);
    assert!(shows(&app, WIDE, &t(&app, "home-applications-paused")));
    assert!(shows(&app, WIDE, &t(&app, "home-services-disk-low")));
    tap(&mut app, WIDE, "户口簿补领");
    assert!(matches!(app.screen(), Screen::Guide(_)));
    assert!(shows(&app, WIDE, &t(&app, "guide-disk-low")));
    journey::tap_t(&mut app, WIDE, "guide-kuaiban");
    assert!(
        matches!(app.screen(), Screen::Guide(_)),
        "the form does not open"
    );
    // The guide can still be printed and taken to the counter.
    assert!(shows(&app, WIDE, &t(&app, "guide-print")));
    // In English too.
    let _ = app.update(Message::ToggleLanguage);
    assert!(shows(&app, WIDE, &t(&app, "guide-disk-low")));
    assert!(t(&app, "guide-disk-low").contains("cannot take new applications"));
    let _ = app.update(Message::ToggleLanguage);

    // The accepted application is still sent, and the heartbeat tells the
    // fleet about the disk: the platform thread, as the kiosk runs it.
    let platform_dir = tempfile::tempdir().unwrap();
    let platform = reference_platform(platform_dir.path());
    let service = tongban::platform::PlatformService {
        url: platform.url(),
        public_key: String::new(),
        terminal: TERMINAL.into(),
        store: store.clone(),
        heartbeat: Duration::from_secs(1),
        catalogue_every: Duration::from_secs(600),
        refused_keep: std::time::Duration::from_secs(7 * 86_400),
        fleet: None,
        tls: None,
    };
    let platform_stop = Arc::new(AtomicBool::new(false));
    let platform_thread = {
        let stop = Arc::clone(&platform_stop);
        std::thread::spawn(move || tongban::platform::run_service(&service, &stop, &mut |_| {}))
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while (platform.applications().is_empty() || platform.heartbeats(TERMINAL).is_empty())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    platform_stop.store(true, Ordering::SeqCst);
    platform_thread.join().unwrap();
    let delivered = platform.applications();
    assert_eq!(delivered.len(), 1, "the accepted application arrived");
    assert!(
        journey::outbox(&store).is_empty(),
        "delivered, so gone from the outbox"
    );
    let beat = platform.heartbeats(TERMINAL).pop().expect("a heartbeat");
    let report = beat.disk.expect("the heartbeat reports the disk");
    assert!(
        report.low && report.free_mb < 16 && report.total_mb >= 40,
        "{report:?}"
    );
    let status = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(["fleet", "status", "--platform", &platform.url()])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&status.stdout);
    assert!(status.status.success(), "{table}");
    assert!(table.contains("DISK"), "{table}");
    let row = table
        .lines()
        .find(|l| l.contains(TERMINAL))
        .expect("the row");
    assert!(row.contains("LOW"), "{table}");

    // Space freed: the service returns by itself, at the next check.
    std::fs::remove_file(&fill).unwrap();
    let back = next_change(&events);
    assert!(!back.low, "{back:?}");
    let _ = app.update(Message::Disk(DiskEvent::Changed(back)));
    assert!(!shows(&app, WIDE, &t(&app, "guide-disk-low")));
    journey::tap_t(&mut app, WIDE, "guide-kuaiban");
    assert!(matches!(app.screen(), Screen::Apply(_)));
    journey::tap_t(&mut app, WIDE, "apply-review");
    tap_run_t(&mut app, "apply-submit");
    assert!(shows(&app, WIDE, "申请已保存，将自动提交"));
    assert_eq!(journey::outbox(&store).len(), 1);

    // The thread sleeps at most 200 ms before it sees the stop.
    stop.store(true, Ordering::SeqCst);
    watcher.join().unwrap();
}

#[test]
fn a_write_that_hits_enospc_fails_clearly_and_keeps_what_was_accepted() {
    let disk_dir = Tmpfs::mount(8);
    let store = disk_dir.path().join("kiosk.db");
    // The guard off: the write itself meets the full disk.
    disk::guard(&store, 0);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let application = |fields: Vec<(String, String)>| {
        serde_json::to_vec(&tongban_platform_api::application::Application {
            terminal: TERMINAL.into(),
            resident: "R-DEMO-0001".into(),
            item: "hukou-04".into(),
            fields,
            submitted_at: "2026-12-03T10:00:00+08:00".into(),
        })
        .unwrap()
    };
    let submission = |body: Vec<u8>| tongban::submit::Submission {
        store: Some(store.clone()),
        kind: tongban::store::SubmissionKind::Application,
        resident: "R-DEMO-0001".into(),
        bodies: vec![body],
        at: "2026-12-03T10:00:00+08:00".into(),
    };
    let first = application(vec![("phone".into(), "13800000000".into())]);
    let sent = runtime
        .block_on(tongban::submit::submit(submission(first.clone()), None))
        .expect("accepted while there is room");
    assert!(!sent[0].delivered);

    // A reader keeps the store's WAL and shared memory in place, as the
    // running kiosk's other connections do.
    let reader = tongban::store::Store::open(&store, Duration::from_secs(2)).unwrap();
    let fill = fill_completely(disk_dir.path());
    assert!(disk::measure(disk_dir.path()).unwrap().free_bytes < 64 * 1024);

    // The log writer on the same full disk: lines dropped, never an error.
    let mut log =
        tongban::logging::RotatingFile::open(&disk_dir.path().join("logs"), 3, MB).unwrap();
    for i in 0..200 {
        let line = format!("2026-12-03 INFO line {i} {}\n", "x".repeat(300));
        assert_eq!(log.write(line.as_bytes()).unwrap(), line.len());
    }
    assert!(log.lost_lines() > 0);

    let big = application(
        (0..64)
            .map(|i| (format!("note_{i}"), "一".repeat(2000)))
            .collect(),
    );
    let error = runtime
        .block_on(tongban::submit::submit(submission(big), None))
        .expect_err("no room for it");
    assert_eq!(error, SubmitError::DiskFull);
    let i18n = tongban::i18n::I18n::load().unwrap();
    let sentence = i18n.tr(tongban::i18n::Language::ZhCn, error.message_id());
    assert!(sentence.contains("存储空间已满"), "{sentence}");
    drop(reader);

    // What was accepted is there, whole; the refused one left nothing.
    std::fs::remove_file(&fill).unwrap();
    // With room again the log resumes and says what it lost.
    log.write_all(b"2026-12-03 INFO room again\n").unwrap();
    let lost = log.lost_lines();
    drop(log);
    let logged: String = std::fs::read_dir(disk_dir.path().join("logs"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(
        logged.contains(&format!("{lost} log lines were lost")),
        "{logged}"
    );
    assert!(logged.ends_with("room again\n"), "{logged}");
    let held = journey::outbox(&store);
    assert_eq!(held.len(), 1);
    assert_eq!(
        held[0].1,
        serde_json::from_slice::<serde_json::Value>(&first).unwrap()
    );
    // And the store takes applications again.
    runtime
        .block_on(tongban::submit::submit(submission(first), None))
        .expect("taken again once there is room");
    assert_eq!(journey::outbox(&store).len(), 2);
}
