//! Draining the outbox: 10,000 queued submissions sent to the reference
//! platform on loopback (one HTTP request each, with its idempotency key,
//! each chunk of 200 acknowledged ones removed in one transaction).
//!
//! And the UI's frame (the resident's home at 1920×1080, tiny-skia) idle
//! and while a backlog of 150,000 submissions drains to the loopback
//! platform on its own thread at the platform thread's lowered priority,
//! to show the drain never lands on the UI.
//!
//! Run: `cargo bench --bench outbox`

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use tongban::platform::{Client, ClientOptions, drain_chunk, drain_outbox};
use tongban::store::Store;
use tongban_platform::{Options, Platform};

const N: usize = 10_000;
/// Queued before the frames are measured while it drains.
const BACKLOG: usize = 150_000;
/// Alternations of a second idle and a second draining.
const PAIRS: usize = 20;

fn queue(store: &mut Store) {
    let body = br#"{"terminal":"SH-PD-0001-01","resident":"R-DEMO-0001","item":"residence-03","fields":[["phone","13800000000"]],"submitted_at":"2026-11-24T21:00:00+08:00"}"#;
    for n in 0..N {
        let resident = format!("R-DEMO-{:04}", n % 50);
        store
            .enqueue(
                tongban::store::SubmissionKind::Application,
                &resident,
                body,
                "2026-11-24T21:00:00+08:00",
            )
            .expect("enqueue");
    }
}

/// The reference platform on a loopback port with its database in `dir`.
fn start_platform(dir: &Path) -> Platform {
    let assets = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"));
    Platform::start(Options::sample(assets, dir.join("platform.db")).unwrap()).unwrap()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("outbox");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(60));
    group.bench_function("drain 10,000 submissions to the loopback platform", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let dir = tempfile::tempdir().unwrap();
                let platform = start_platform(dir.path());
                let client = Client::new(&platform.url(), ClientOptions::default()).unwrap();
                let mut store =
                    Store::open(&dir.path().join("kiosk.db"), Duration::from_secs(2)).unwrap();
                queue(&mut store);
                let started = Instant::now();
                let report = runtime
                    .block_on(drain_outbox(&client, &mut store, 200))
                    .unwrap();
                total += started.elapsed();
                assert_eq!(report.delivered, N as u64);
                assert_eq!(platform.applications().len(), N);
            }
            total
        })
    });
    group.finish();
}

fn frame(app: &tongban::app::App) {
    use iced::{Settings, Size};
    let settings = Settings {
        default_font: tongban::fonts::DEFAULT_FONT,
        ..Settings::default()
    };
    let mut ui = iced_test::Simulator::with_size(settings, Size::new(1920.0, 1080.0), app.view());
    std::hint::black_box(ui.snapshot(&tongban::theme::theme()).expect("renders"));
}

fn frames(c: &mut Criterion) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use tongban::app::{App, Message};
    if std::env::var_os("ICED_TEST_BACKEND").is_none() {
        // SAFETY: set before any renderer thread starts.
        unsafe { std::env::set_var("ICED_TEST_BACKEND", "tiny-skia") };
    }
    iced_test::renderer::graphics::text::font_system()
        .write()
        .expect("font system")
        .load_font(tongban::fonts::TONGBAN_SANS.into());
    let mut app = App::new(
        tongban::app::Options::headless(kiosk_config::defaults()),
        tongban::i18n::I18n::load().expect("texts"),
    );
    let _ = app.update(Message::Identified(tongban::demo::sample_identity()));
    let _ = app.update(Message::EnterHome);

    let mut group = c.benchmark_group("ui_frame_home_1920x1080");
    group.sample_size(20);
    group.bench_function("idle", |b| b.iter(|| frame(&app)));
    group.finish();

    // A backlog queued beforehand (untimed): enough for the drain to
    // last the whole measurement, so what is measured is draining alone,
    // not residents' submissions being taken.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    {
        let mut store = Store::open(&db, Duration::from_secs(2)).unwrap();
        let started = Instant::now();
        for _ in 0..BACKLOG / N {
            queue(&mut store);
        }
        println!(
            "{BACKLOG} queued in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let platform = start_platform(dir.path());
    let stop = Arc::new(AtomicBool::new(false));
    let paused = Arc::new(AtomicBool::new(false));
    let worker = {
        let (stop, paused) = (stop.clone(), paused.clone());
        let url = platform.url();
        std::thread::spawn(move || {
            // As the kiosk's platform thread does, a chunk at a time.
            tongban::platform::lower_thread_priority();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let client = Client::new(&url, ClientOptions::default()).unwrap();
            let mut store = Store::open(&db, Duration::from_secs(2)).unwrap();
            while !stop.load(Ordering::SeqCst) {
                if paused.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                }
                let report = runtime
                    .block_on(drain_chunk(&client, &mut store, 200))
                    .unwrap();
                if report.delivered == 0 {
                    break;
                }
            }
        })
    };
    let depth = || {
        Store::open(&dir.path().join("kiosk.db"), Duration::from_secs(2))
            .unwrap()
            .outbox_depth()
            .unwrap()
    };
    let left = depth();

    // Idle against draining, paired: this machine's speed drifts by up to
    // 2× over minutes (other guests on its host), which two criterion
    // measurements one after the other cannot tell from the drain. So:
    // alternate a second idle and a second draining, 20 times, and compare
    // the medians.
    let mut idle = Vec::new();
    let mut busy = Vec::new();
    for _ in 0..PAIRS {
        for (pause, into) in [(true, &mut idle), (false, &mut busy)] {
            paused.store(pause, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(100));
            let until = Instant::now() + Duration::from_secs(1);
            while Instant::now() < until {
                let started = Instant::now();
                frame(&app);
                into.push(started.elapsed());
            }
        }
    }
    let left_after = depth();
    stop.store(true, Ordering::SeqCst);
    paused.store(false, Ordering::SeqCst);
    // The platform going away ends the drain where it is.
    drop(platform);
    worker.join().unwrap();
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let p90 = |v: &Vec<Duration>| v[v.len() * 9 / 10];
    let (mi, mb) = (median(&mut idle), median(&mut busy));
    println!(
        "paired, {PAIRS} × (1 s idle, 1 s draining): idle median {:.1} ms (p90 {:.1}, {} frames), \
         draining median {:.1} ms (p90 {:.1}, {} frames), {:+.1} %; {} delivered meanwhile",
        mi.as_secs_f64() * 1e3,
        p90(&idle).as_secs_f64() * 1e3,
        idle.len(),
        mb.as_secs_f64() * 1e3,
        p90(&busy).as_secs_f64() * 1e3,
        busy.len(),
        (mb.as_secs_f64() / mi.as_secs_f64() - 1.0) * 100.0,
        left - left_after
    );
    assert!(left_after > 0, "the backlog ran out during the measurement");
}

criterion_group!(benches, bench, frames);
criterion_main!(benches);
