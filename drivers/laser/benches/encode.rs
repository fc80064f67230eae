//! Encoding one A4 page at 300 dpi as PCL raster (modes 2/3 per row), for a
//! page shaped like a licence copy: a border, many lines of text-like
//! strokes, a dithered photo block, a QR-like block and a diagonal
//! watermark. Composition (fonts, template) is not included here.
//!
//! Run: `cargo bench -p tongban-laser --bench encode` (prints the size too)

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tongban_laser::pcl::A4_300;
use tongban_laser::{Bitmap, encode_page};

fn licence_like_page() -> Bitmap {
    let (w, h) = A4_300;
    let mut page = Bitmap::new(w, h);
    let mut rng: u32 = 0x2545_F491;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 17;
        rng ^= rng << 5;
        rng
    };
    for y in 0..h {
        for x in 0..w {
            let border = (150..158).contains(&x)
                || (w - 158..w - 150).contains(&x)
                || (150..158).contains(&y)
                || (h - 158..h - 150).contains(&y);
            // 40 lines of "text": strokes 3 dots wide in 36-dot cells.
            let line = (400..2000).contains(&y) && (y - 400) % 40 < 28;
            let glyph = line
                && (300..2100).contains(&x)
                && (x / 3 + (y - 400) / 40 * 7) % 12 < 3
                && (x / 36 + y / 40) % 9 != 0;
            // A 400×500 photo, ordered-dither-like noise.
            let photo = (1900..2300).contains(&x) && (2300..2800).contains(&y) && next() % 3 == 0;
            // A QR-like 330×330 block of 10-dot modules.
            let qr = (300..630).contains(&x)
                && (2900..3230).contains(&y)
                && ((x / 10) * 31 + (y / 10) * 17) % 7 < 3;
            // A diagonal watermark band.
            let d = (x as i64 - (h - y) as i64 / 2).rem_euclid(900);
            let watermark = d < 60 && (x + y) % 4 == 0;
            if border || glyph || photo || qr || watermark {
                page.set(x, y);
            }
        }
    }
    page
}

fn bench(c: &mut Criterion) {
    let page = licence_like_page();
    let bytes = encode_page(&page);
    println!(
        "licence-like A4 page: {} bytes of PCL ({} bytes uncompressed)",
        bytes.len(),
        page.data.len()
    );
    c.bench_function("encode_a4_300dpi_licence_like", |b| {
        b.iter(|| black_box(encode_page(black_box(&page))))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
