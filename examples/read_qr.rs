//! Prints what the QR codes on a PNG say, one per line (a printed receipt
//! or licence page from the printer simulators), for scripts.
//!
//! Run: `cargo run --example read_qr -- FILE.png`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: read_qr FILE.png");
        std::process::exit(2);
    };
    let file = std::fs::File::open(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let grey: Vec<u8> = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| p[0])
        .collect();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey[y * w + x]);
    let mut found = false;
    for grid in prepared.detect_grids() {
        if let Ok((_, content)) = grid.decode() {
            println!("{content}");
            found = true;
        }
    }
    if !found {
        eprintln!("{path}: no QR code found");
        std::process::exit(1);
    }
}
