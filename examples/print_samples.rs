//! Composes the demo licence copy and staff's test prints (the A4 test
//! page and the test receipt, the receipt through the receipt printer's
//! simulator) and writes them as PNGs, to look at.
//! Run: `cargo run --release --example print_samples -- OUT_DIR`

use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&out)?;
    let copy = tongban::demo::sample_licence("办理入学手续", "2026-11-24", "14:03");
    let started = Instant::now();
    let page = tongban::print::licence::compose(&copy)?;
    let composed = started.elapsed();
    let pcl = tongban_laser::encode_page(&page);
    println!(
        "composed in {composed:?}, encoded in {:?}: {} bytes",
        started.elapsed() - composed,
        pcl.len()
    );
    tongban_sim::laser::write_png(&page, &out.join("licence.png"))?;

    let at = "2026-12-03 14:03";
    let test_page = tongban::print::test_page::a4("SH-PD-0001-01", at)
        .map_err(|e| anyhow::anyhow!("the A4 test page: {e}"))?;
    tongban_sim::laser::write_png(&test_page, &out.join("test-page.png"))?;

    let receipt =
        tongban::print::receipt::compose(&tongban::print::test_page::receipt("SH-PD-0001-01", at))?;
    let sim = tongban_sim::ReceiptSim::start(
        &out.join("receipt-printer"),
        tongban_sim::ReceiptOptions {
            roll_mm: 5000,
            near_end_mm: 1000,
            out_dir: out.join("receipts"),
            font: tongban::fonts::TONGBAN_SANS,
        },
    )?;
    let mut printer = tongban_escpos::serial::SerialPrinter::open(sim.path(), 115_200)?;
    printer.send(&receipt.bytes)?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while sim.printed().is_empty() {
        anyhow::ensure!(Instant::now() < deadline, "the test receipt did not print");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::fs::copy(&sim.printed()[0], out.join("test-receipt.png"))?;
    println!(
        "wrote licence.png, test-page.png, test-receipt.png in {}",
        out.display()
    );
    Ok(())
}
