//! Draining the outbox: 10,000 queued submissions sent to the reference
//! platform on loopback (one HTTP request each, with its idempotency key,
//! each chunk of 200 acknowledged ones removed in one transaction).
//!
//! And the UI's frame (the resident's home at 1920×1080, tiny-skia) idle
//! and while the outbox is busy on its own thread — queueing and draining
//! to the loopback platform without pause — to show the drain never lands
//! on the UI.
//!
//! Run: `cargo bench --bench outbox`

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use tongban::platform::{Client, ClientOptions, drain_outbox};
use tongban::store::Store;
use tongban_platform::{Options, Platform};

const N: usize = 10_000;

fn queue(store: &mut Store) {
    let body = br#"{"terminal":"SH-PD-0001-01","resident":"R-DEMO-0001","item":"residence-03","fields":[["phone","13800000000"]],"submitted_at":"2026-11-24T21:00:00+08:00"}"#;
    for n in 0..N {
        let resident = format!("R-DEMO-{:04}", n % 50);
        store
            .enqueue(
                "application",
                "SH-PD-0001-01",
                &resident,
                body,
                "2026-11-24T21:00:00+08:00",
            )
            .expect("enqueue");
    }
}

fn bench(c: &mut Criterion) {
    let assets = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"));
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
                let platform = Platform::start(Options {
                    port: 0,
                    db: dir.path().join("platform.db"),
                    catalogue: Options::sample_catalogue(assets).unwrap(),
                })
                .unwrap();
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

    // The outbox kept busy: batches of 500 queued and drained, until told
    // to stop.
    let assets = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"));
    let dir = tempfile::tempdir().unwrap();
    let platform = Platform::start(Options {
        port: 0,
        db: dir.path().join("platform.db"),
        catalogue: Options::sample_catalogue(assets).unwrap(),
    })
    .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let drained = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let worker = {
        let (stop, drained) = (stop.clone(), drained.clone());
        let (url, db) = (platform.url(), dir.path().join("kiosk.db"));
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let client = Client::new(&url, ClientOptions::default()).unwrap();
            let mut store = Store::open(&db, Duration::from_secs(2)).unwrap();
            let body = br#"{"terminal":"SH-PD-0001-01","resident":"R-DEMO-0001","item":"residence-03","fields":[],"submitted_at":"2026-11-24T21:00:00+08:00"}"#;
            while !stop.load(Ordering::SeqCst) {
                for _ in 0..500 {
                    store
                        .enqueue("application", "SH-PD-0001-01", "R-DEMO-0001", body, "now")
                        .unwrap();
                }
                let report = runtime
                    .block_on(drain_outbox(&client, &mut store, 200))
                    .unwrap();
                drained.fetch_add(report.delivered, Ordering::SeqCst);
            }
        })
    };
    group.bench_function("while the outbox drains", |b| b.iter(|| frame(&app)));
    stop.store(true, Ordering::SeqCst);
    worker.join().unwrap();
    group.finish();
    println!(
        "submissions delivered while frames were measured: {}",
        drained.load(Ordering::SeqCst)
    );
}

criterion_group!(benches, bench, frames);
criterion_main!(benches);
