//! Draining the outbox: 10,000 queued submissions sent to the reference
//! platform on loopback (one HTTP request each, with its idempotency key,
//! each chunk of 200 acknowledged ones removed in one transaction).
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

criterion_group!(benches, bench);
criterion_main!(benches);
