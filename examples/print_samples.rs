//! Composes the demo licence copy and writes it as a PNG, to look at.
//! Run: `cargo run --release --example print_samples -- OUT_DIR`

fn main() -> anyhow::Result<()> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&out)?;
    let copy = tongban::demo::sample_licence("办理入学手续", "2026-11-24", "14:03");
    let started = std::time::Instant::now();
    let page = tongban::print::licence::compose(&copy)?;
    let composed = started.elapsed();
    let pcl = tongban_laser::encode_page(&page);
    println!(
        "composed in {composed:?}, encoded in {:?}: {} bytes",
        started.elapsed() - composed,
        pcl.len()
    );
    tongban_sim::laser::write_png(&page, &out.join("licence.png"))?;
    Ok(())
}
