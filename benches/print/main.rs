//! Print output: composing and encoding one A4 licence copy at 300 dpi
//! (watermark, seal, photo, QR) into the PCL the printer receives; the
//! receipt as ESC/POS; and, in the same run, the usual pipeline for the
//! same licence page — the page as a vector PDF turned into PCL by
//! Ghostscript (`gs -q -dNOPAUSE -dBATCH -sDEVICE=ljet4 -r300`).
//!
//! Run: `cargo bench --bench print` (prints the sizes too; needs `gs` for
//! the comparison, which `scripts/bench-print` installs).

mod pdf;

use std::hint::black_box;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use tongban::print::licence;

fn licence_copy() -> licence::LicenceCopy {
    tongban::demo::sample_licence("办理入学手续", "2026-11-24", "14:03")
}

fn bench(c: &mut Criterion) {
    let copy = licence_copy();
    // Warm the font once, as the kiosk does at its first print.
    let pcl = tongban_laser::encode_page(&licence::compose(&copy).unwrap());
    println!("licence page: {} bytes of PCL", pcl.len());
    c.bench_function("licence page: compose + encode (A4, 300 dpi)", |b| {
        b.iter(|| {
            let page = licence::compose(black_box(&copy)).unwrap();
            black_box(tongban_laser::encode_page(&page))
        })
    });

    let receipt = tongban::demo::sample_receipt("2026-11-24 14:03");
    let composed = tongban::print::receipt::compose(&receipt).unwrap();
    println!(
        "receipt: {} bytes of ESC/POS, {} mm of paper",
        composed.bytes.len(),
        composed.length_mm
    );
    c.bench_function("receipt: compose (ESC/POS, logo, QR)", |b| {
        b.iter(|| tongban::print::receipt::compose(black_box(&receipt)).unwrap())
    });
    let mut rare = receipt.clone();
    rare.item = "居住证签注（刘䶮）".into();
    c.bench_function(
        "receipt: compose with a line drawn as an image (䶮)",
        |b| b.iter(|| tongban::print::receipt::compose(black_box(&rare)).unwrap()),
    );

    let mut surface = pdf::PdfSurface::new();
    licence::draw(&copy, &mut surface).unwrap();
    let pdf = surface.finish();
    let dir = tempfile::tempdir().unwrap();
    let pdf_path = dir.path().join("licence.pdf");
    let out_path = dir.path().join("licence.pcl");
    std::fs::write(&pdf_path, &pdf).unwrap();
    if let Ok(keep) = std::env::var("PRINT_BENCH_KEEP") {
        let _ = std::fs::copy(&pdf_path, std::path::Path::new(&keep).join("licence.pdf"));
    }
    println!("licence page as PDF: {} bytes", pdf.len());
    let gs = |out: &std::path::Path| {
        Command::new("gs")
            .args(["-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=ljet4", "-r300"])
            .arg(format!("-sOutputFile={}", out.display()))
            .arg(&pdf_path)
            .status()
    };
    match gs(&out_path) {
        Ok(status) if status.success() => {
            let size = std::fs::metadata(&out_path).map(|m| m.len()).unwrap_or(0);
            println!("licence page through Ghostscript ljet4: {size} bytes of PCL");
            let mut group = c.benchmark_group("usual pipeline");
            group.sample_size(10);
            group.bench_function(
                "licence page: Ghostscript PDF -> PCL (ljet4, 300 dpi)",
                |b| b.iter(|| assert!(gs(&out_path).unwrap().success())),
            );
            group.finish();
        }
        other => println!("Ghostscript not usable ({other:?}); comparison skipped"),
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
