//! What comes out of the printers: the licence copy (and the receipt) are
//! sent through the printer simulators exactly as the kiosk sends them,
//! the PNG each simulator renders is compared with the committed reference
//! image, and the QR codes are read back from the PNG.
//!
//! After an intended layout change, regenerate the references with
//! `UPDATE_REFERENCE=1 cargo test --test print_output` and look at them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tongban_laser::tcp::Printer;
use tongban_sim::LaserSim;

/// A decoded PNG as one luma byte per pixel.
struct Gray {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

fn read_png(path: &Path) -> Gray {
    let mut decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    ));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (width, height) = (info.width as usize, info.height as usize);
    let channels = info.color_type.samples();
    let depth_bytes = if info.bit_depth == png::BitDepth::Sixteen {
        2
    } else {
        1
    };
    let pixels = (0..width * height)
        .map(|i| {
            let row = i / width;
            let col = i % width;
            let at = row * info.line_size + col * channels * depth_bytes;
            buf[at]
        })
        .collect();
    Gray {
        width,
        height,
        pixels,
    }
}

fn reference(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/print")
        .join(name)
}

/// Compares a printed PNG with its reference: same size, and fewer than
/// one dot in ten thousand different (glyph rasterising may differ in the
/// last bit between compilers; a layout change moves far more).
fn assert_matches_reference(printed: &Path, name: &str) {
    let path = reference(name);
    if std::env::var_os("UPDATE_REFERENCE").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(printed, &path).unwrap();
    }
    let a = read_png(printed);
    let b = read_png(&path);
    assert_eq!((a.width, a.height), (b.width, b.height), "{name}: size");
    let differing = a
        .pixels
        .iter()
        .zip(&b.pixels)
        .filter(|(x, y)| (**x < 128) != (**y < 128))
        .count();
    assert!(
        differing * 10_000 < a.pixels.len(),
        "{name}: {differing} dots differ from the reference {} (printed: {})",
        path.display(),
        printed.display()
    );
}

/// Every QR code on the image, decoded.
fn qr_codes(image: &Gray) -> Vec<String> {
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(image.width, image.height, |x, y| {
            image.pixels[y * image.width + x]
        });
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, content)| content))
        .collect()
}

#[test]
fn a_licence_copy_prints_as_its_reference_and_its_qr_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(5, &dir.path().join("a4")).unwrap();
    let copy = tongban::demo::sample_licence("办理入学手续", "2026-11-24", "14:03");
    let page = tongban::print::licence::compose(&copy).unwrap();
    let job = tongban_laser::pjl::job("T-REF", &tongban_laser::encode_page(&page));
    let mut printer = Printer::connect(sim.addr(), Duration::from_secs(5)).unwrap();
    printer.send(&job).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while sim.printed().is_empty() {
        assert!(std::time::Instant::now() < deadline, "no page printed");
        std::thread::sleep(Duration::from_millis(20));
    }
    let printed = &sim.printed()[0];
    assert_matches_reference(printed, "licence-copy.png");
    let image = read_png(printed);
    assert_eq!((image.width, image.height), (2480, 3508));
    assert_eq!(qr_codes(&image), vec![copy.verify_url.clone()]);
}

#[test]
fn a_receipt_prints_as_its_reference_and_its_qr_reads_back() {
    use tongban_escpos::serial::SerialPrinter;
    use tongban_sim::{ReceiptOptions, ReceiptSim};
    let dir = tempfile::tempdir().unwrap();
    let sim = ReceiptSim::start(
        &dir.path().join("receipt-printer"),
        ReceiptOptions {
            roll_mm: 5000,
            near_end_mm: 1000,
            out_dir: dir.path().join("out"),
            font: tongban::fonts::TONGBAN_SANS,
        },
    )
    .unwrap();
    let mut data = tongban::demo::sample_receipt("2026-11-24 14:03");
    // 䶮 (CJK Extension A, used in names) is outside GBK: that line goes
    // as an image drawn with the bundled font.
    data.item = "居住证签注（刘䶮）".into();
    let receipt = tongban::print::receipt::compose(&data).unwrap();
    let mut printer = SerialPrinter::open(sim.path(), 115_200).unwrap();
    printer.send(&receipt.bytes).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while sim.printed().is_empty() {
        assert!(std::time::Instant::now() < deadline, "no receipt printed");
        std::thread::sleep(Duration::from_millis(20));
    }
    let printed = &sim.printed()[0];
    assert_matches_reference(printed, "receipt.png");
    let image = read_png(printed);
    assert_eq!(image.width, 576);
    assert_eq!(qr_codes(&image), vec![data.progress_url.clone()]);
    // The layout's own estimate of the paper it needs is the paper used.
    let used_mm = 5000 - sim.roll_left_mm();
    assert!(
        receipt.length_mm.abs_diff(used_mm) <= 2,
        "estimated {} mm, used {used_mm} mm",
        receipt.length_mm
    );
}
