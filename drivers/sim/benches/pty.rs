//! A complete find + select + read (`20 01`, `20 02`, `30 01`) through the
//! serial transport and a real pseudo-terminal, with the simulated reader
//! pacing its answers as a 115200 bps line would. The answers need
//! 15 + 19 + 1295 = 1,329 bytes × 10 bits / 115200 bps = 115.4 ms on the
//! wire (118.0 ms with the three 10-byte requests, which the
//! pseudo-terminal carries unpaced); the rest is the driver's and the
//! system's cost.
//!
//! Run: `cargo bench -p tongban-sim --bench pty`

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ga467::Command;
use ga467::serial::Port;
use tongban_sim::{ReaderSim, SimCard, identities};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sim = ReaderSim::start_at(&dir.path().join("reader"), 115_200).unwrap();
    sim.place(SimCard::Card(Box::new(identities::resident())));
    let mut port = Port::open(sim.path(), 115_200).unwrap();
    let timeout = Duration::from_secs(2);
    let mut group = c.benchmark_group("pty_115200");
    group.sample_size(20);
    group.bench_function("find_select_read", |b| {
        b.iter(|| {
            port.expect_ok(Command::FindCard, timeout).unwrap();
            port.expect_ok(Command::SelectCard, timeout).unwrap();
            port.expect_ok(Command::ReadTextPhoto, timeout).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
