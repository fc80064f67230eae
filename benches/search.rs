//! Catalogue search per keystroke: what the kiosk does between a key tap
//! and the next frame as a resident types a query on the on-screen
//! keyboard, over the full sample catalogue (128 items and the bundle).
//!
//! Run: `cargo bench --bench search`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tongban::search::SearchIndex;
use tongban_platform_api::catalogue::Catalogue;

fn bench(c: &mut Criterion) {
    let signed = tongban::platform::seed().expect("seed catalogue");
    let catalogue: Catalogue = serde_json::from_slice(&signed.payload).expect("catalogue");
    c.bench_function("search/build_index", |b| {
        b.iter(|| black_box(SearchIndex::new(&catalogue)))
    });
    let index = SearchIndex::new(&catalogue);
    let mut group = c.benchmark_group("search/keystroke");
    // Each query as typed, one keystroke at a time: the prefixes are what
    // the screen searches for.
    for typed in [
        "hkqy",
        "hukouqianyi",
        "户口迁移",
        "household register",
        "jzz",
    ] {
        let prefixes: Vec<String> = typed
            .char_indices()
            .map(|(i, c)| typed[..i + c.len_utf8()].to_owned())
            .collect();
        group.bench_function(typed, |b| {
            b.iter(|| {
                for p in &prefixes {
                    black_box(index.search(p, 60));
                }
            })
        });
    }
    group.finish();
    // The worst single keystroke: one letter matches the most names.
    c.bench_function("search/one_letter_h", |b| {
        b.iter(|| black_box(index.search("h", 60)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
