//! Decoding a complete 1,295-byte text+photo answer (`30 01`): frame,
//! checksum, split, and the text block to an identity.
//!
//! Run: `cargo bench -p ga467 --bench decode`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ga467::text::{CardIdentity, CardKind, Date, Sex, Validity};
use ga467::{Decoder, Status, encode_response, split_read};

fn sample() -> Vec<u8> {
    let identity = CardIdentity {
        kind: CardKind::ResidentId,
        name: "测试居民甲".into(),
        english_name: String::new(),
        sex: Sex::Female,
        nation: 1,
        nationality: String::new(),
        birth: Date::parse("19491231").unwrap(),
        address: "上海市浦东新区示例路1号".into(),
        number: "11010519491231002X".into(),
        authority: "上海市公安局浦东分局".into(),
        valid_from: Date::parse("20200101").unwrap(),
        valid_to: Validity::Indefinite,
        pass_number: String::new(),
        issue_count: String::new(),
        card_version: String::new(),
    };
    let mut data = vec![0x01, 0x00, 0x04, 0x00];
    data.extend_from_slice(&ga467::text::encode(&identity));
    data.extend((0..1024).map(|i| (i * 7) as u8));
    encode_response(0, 0, Status::Ok, &data)
}

fn bench(c: &mut Criterion) {
    let frame = sample();
    assert_eq!(frame.len(), 1295);
    let mut decoder = Decoder::new();
    c.bench_function("decode_read_response_1295_bytes", |b| {
        b.iter(|| {
            decoder.push(black_box(&frame));
            let response = decoder.next_response().unwrap().unwrap();
            let parts = split_read(&response.data, false).unwrap();
            black_box(ga467::text::decode(parts.text).unwrap())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
