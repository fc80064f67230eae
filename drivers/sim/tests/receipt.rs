//! The ESC/POS driver against the receipt printer simulator over a real
//! pseudo-terminal: receipts rendered to PNG (QR read back), status for
//! every paper and fault condition, automatic status back on change.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tongban_escpos::serial::SerialPrinter;
use tongban_escpos::{Align, Cut, QrEc, Receipt, enable_asb, parse_asb};
use tongban_sim::{ReceiptOptions, ReceiptSim};

fn font() -> &'static [u8] {
    static FONT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    FONT.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../assets/fonts/TongbanSansSC-Regular.ttf");
        std::fs::read(path).expect("the bundled font")
    })
}

fn start(dir: &Path, roll_mm: u32) -> ReceiptSim {
    ReceiptSim::start(
        &dir.join("receipt-printer"),
        ReceiptOptions {
            roll_mm,
            near_end_mm: 1000,
            out_dir: dir.join("out"),
            font: font(),
        },
    )
    .unwrap()
}

fn wait_printed(sim: &ReceiptSim, n: usize) -> Vec<PathBuf> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let printed = sim.printed();
        if printed.len() >= n {
            return printed;
        }
        assert!(
            Instant::now() < deadline,
            "{} receipts, expected {n}",
            printed.len()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn gray(path: &Path) -> (usize, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width as usize, info.height as usize, buf)
}

fn sample(qr: &str) -> Vec<u8> {
    let mut r = Receipt::new();
    r.align(Align::Center);
    // A 16×16 black square as the "logo".
    r.raster(2, 16, &[0xFF; 32]).unwrap();
    r.bold(true).size(1, 2);
    r.line("一网通办 回执").unwrap();
    r.bold(false).size(1, 1).align(Align::Left);
    r.line("申请编号：SH2026112400001").unwrap();
    r.line("事项：居住证签注").unwrap();
    r.align(Align::Center);
    r.qr(qr.as_bytes(), 6, QrEc::M).unwrap();
    r.feed(2).cut(Cut::Partial);
    r.into_bytes()
}

#[test]
fn a_receipt_prints_to_png_with_its_text_logo_and_a_qr_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start(dir.path(), 5000);
    let mut printer = SerialPrinter::open(sim.path(), 115_200).unwrap();
    let url = "http://127.0.0.1/progress/SH2026112400001";
    printer.send(&sample(url)).unwrap();
    let printed = wait_printed(&sim, 1);
    let (w, h, pixels) = gray(&printed[0]);
    assert_eq!(w, 576);
    // Logo, two text heights, QR (at least 25 modules × 6 dots), feed.
    assert!(h > 16 + 54 + 30 + 30 + 150, "{h} rows");
    let black = pixels.iter().filter(|p| **p < 128).count();
    assert!(black > 2000, "{black} black dots");
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let codes: Vec<String> = image
        .detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, c)| c))
        .collect();
    assert_eq!(codes, vec![url.to_owned()]);
    // The paper used is what printed.
    assert_eq!(sim.roll_left_mm(), (5000 * 8 - h as u32) / 8);
    let status = printer.poll_status().unwrap();
    assert!(!status.offline && !status.paper_near_end && !status.paper_end);
}

#[test]
fn the_roll_runs_near_end_then_out_in_the_middle_of_a_receipt() {
    let dir = tempfile::tempdir().unwrap();
    // Enough for a bit more than half a receipt, and below near end.
    let sim = start(dir.path(), 30);
    let mut printer = SerialPrinter::open(sim.path(), 115_200).unwrap();
    let s = printer.poll_status().unwrap();
    assert!(s.paper_near_end && !s.paper_end && !s.offline);
    assert_eq!(
        s.device_status().media,
        Some(tongban_device::MediaState::Low)
    );
    printer.send(&sample("http://127.0.0.1/p/1")).unwrap();
    let printed = wait_printed(&sim, 1);
    let (_, h, _) = gray(&printed[0]);
    assert_eq!(h, 30 * 8, "only what the roll held came out");
    let s = printer.poll_status().unwrap();
    assert!(s.paper_end && s.offline, "{s:?}");
    assert_eq!(
        s.device_status().media,
        Some(tongban_device::MediaState::Out)
    );
    // A new roll: back online, and the next receipt prints whole.
    sim.load_roll(5000);
    let s = printer.poll_status().unwrap();
    assert!(!s.paper_end && !s.offline);
    printer.send(&sample("http://127.0.0.1/p/2")).unwrap();
    let printed = wait_printed(&sim, 2);
    assert!(gray(&printed[1]).1 > 30 * 8);
}

#[test]
fn cover_and_cutter_faults_show_in_status_and_nothing_prints_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start(dir.path(), 5000);
    let mut printer = SerialPrinter::open(sim.path(), 115_200).unwrap();
    sim.set_cover_open(true);
    let s = printer.poll_status().unwrap();
    assert!(s.cover_open && s.offline);
    assert_eq!(
        s.device_status().cover,
        Some(tongban_device::CoverState::Open)
    );
    sim.set_cover_open(false);
    sim.set_cutter_error(true);
    let s = printer.poll_status().unwrap();
    assert!(s.cutter_error && s.offline);
    assert_eq!(
        s.device_status().state,
        tongban_device::DeviceState::HardwareError
    );
    printer.send(&sample("http://127.0.0.1/p/3")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(sim.printed().is_empty());
    assert_eq!(sim.roll_left_mm(), 5000);
}

#[test]
fn automatic_status_back_reports_each_change() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start(dir.path(), 5000);
    let mut port = serialport::new(sim.path().to_string_lossy(), 115_200)
        .timeout(Duration::from_millis(50))
        .open()
        .unwrap();
    std::io::Write::write_all(&mut port, &enable_asb()).unwrap();
    let mut read_block = || {
        let mut block = [0u8; 4];
        let mut got = 0;
        let deadline = Instant::now() + Duration::from_secs(3);
        while got < 4 {
            assert!(Instant::now() < deadline, "no status block");
            if let Ok(n) = port.read(&mut block[got..]) {
                got += n;
            }
        }
        parse_asb(block).unwrap()
    };
    let first = read_block();
    assert!(!first.offline);
    sim.set_cover_open(true);
    let changed = read_block();
    assert!(changed.cover_open && changed.offline);
    sim.set_cover_open(false);
    sim.load_roll(100);
    let near = read_block();
    assert!(!near.cover_open);
    let near = if near.paper_near_end {
        near
    } else {
        read_block()
    };
    assert!(near.paper_near_end);
}

#[test]
fn garbage_and_unknown_commands_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start(dir.path(), 5000);
    let mut printer = SerialPrinter::open(sim.path(), 115_200).unwrap();
    let mut bytes = vec![0x00, 0xFF, 0x1B, b'~', 0x1D, b'Z', 0x1C, b'z', 0x80, 0x07];
    bytes.extend_from_slice(&sample("http://127.0.0.1/p/4"));
    printer.send(&bytes).unwrap();
    wait_printed(&sim, 1);
    assert!(printer.poll_status().is_ok());
}
