//! An 80 mm thermal receipt printer on a pseudo-terminal. It interprets the
//! ESC/POS it receives — initialise, alignment, emphasis, character size,
//! Chinese double-byte mode with GBK text, line feeds, QR codes, raster
//! images, cuts — and renders each receipt (everything up to a cut) to a
//! PNG at 576 dots wide (203 dpi). It answers real-time status
//! (`DLE EOT 1..4`), paper sensor status (`GS r 1`) and, once enabled,
//! sends automatic status back (`GS a`) on every change. It models a
//! finite roll (near end, end — printing stops mid-receipt and the rest is
//! lost), an open cover and a cutter error. Unknown or corrupt bytes are
//! skipped, never a panic.

use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use ab_glyph::{Font, FontRef, ScaleFont};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::pty::{Pty, PtyError};

/// Printable width: 72 mm at 8 dots per millimetre.
pub const WIDTH: usize = 576;
/// Dots per millimetre of paper.
const DOTS_PER_MM: u32 = 8;
/// Line spacing of the default font A line (24-dot cells, 30-dot lines).
const LINE: usize = 30;

/// How the simulated printer starts.
#[derive(Debug, Clone)]
pub struct ReceiptOptions {
    /// Paper on the roll, in millimetres.
    pub roll_mm: u32,
    /// Below this much paper the near-end sensor trips.
    pub near_end_mm: u32,
    /// Where receipts go as `receipt-0001.png`, ….
    pub out_dir: PathBuf,
    /// The font glyphs are drawn with (a CJK font).
    pub font: &'static [u8],
}

#[derive(Debug)]
struct State {
    roll_dots: u32,
    near_end_dots: u32,
    cover_open: bool,
    cutter_error: bool,
    printed: Vec<PathBuf>,
    count: u32,
    out_dir: PathBuf,
}

impl State {
    fn paper_end(&self) -> bool {
        self.roll_dots == 0
    }
    fn near_end(&self) -> bool {
        self.roll_dots < self.near_end_dots
    }
    fn offline(&self) -> bool {
        self.cover_open || self.paper_end() || self.cutter_error
    }
    fn status(&self, n: u8) -> u8 {
        let mut b = 0x12;
        match n {
            1 if self.offline() => b |= 0x08,
            2 => {
                if self.cover_open {
                    b |= 0x04;
                }
                if self.paper_end() {
                    b |= 0x20;
                }
                if self.cutter_error {
                    b |= 0x40;
                }
            }
            3 if self.cutter_error => b |= 0x08,
            4 => {
                if self.near_end() {
                    b |= 0x0C;
                }
                if self.paper_end() {
                    b |= 0x60;
                }
            }
            _ => {}
        }
        b
    }
    fn asb(&self) -> [u8; 4] {
        let mut b0 = 0x10;
        if self.offline() {
            b0 |= 0x08;
        }
        if self.cover_open {
            b0 |= 0x20;
        }
        let b1 = if self.cutter_error { 0x08 } else { 0 };
        let mut b2 = 0;
        if self.near_end() {
            b2 |= 0x03;
        }
        if self.paper_end() {
            b2 |= 0x0C;
        }
        [b0, b1, b2, 0]
    }
}

/// A running receipt printer simulator. Dropping it stops it.
pub struct ReceiptSim {
    state: Arc<Mutex<State>>,
    link: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl ReceiptSim {
    /// Starts a printer whose port is reached at `link`.
    pub fn start(link: &Path, options: ReceiptOptions) -> Result<Self, PtyError> {
        std::fs::create_dir_all(&options.out_dir).map_err(|e| PtyError::new(e.to_string()))?;
        let font =
            FontRef::try_from_slice(options.font).map_err(|e| PtyError::new(e.to_string()))?;
        let pty = Pty::open(link)?;
        let state = Arc::new(Mutex::new(State {
            roll_dots: options.roll_mm * DOTS_PER_MM,
            near_end_dots: options.near_end_mm * DOTS_PER_MM,
            cover_open: false,
            cutter_error: false,
            printed: Vec::new(),
            count: 0,
            out_dir: options.out_dir.clone(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop) = (state.clone(), stop.clone());
            std::thread::Builder::new()
                .name("sim-receipt-printer".into())
                .spawn(move || run(pty, font, &state, &stop))
                .map_err(|e| PtyError::new(e.to_string()))?
        };
        Ok(Self {
            state,
            link: link.to_owned(),
            stop,
            thread: Some(thread),
        })
    }

    /// The path the driver opens.
    pub fn path(&self) -> &Path {
        &self.link
    }

    /// Puts a new roll of `mm` millimetres in.
    pub fn load_roll(&self, mm: u32) {
        lock(&self.state).roll_dots = mm * DOTS_PER_MM;
    }

    /// Paper left, in millimetres.
    pub fn roll_left_mm(&self) -> u32 {
        lock(&self.state).roll_dots / DOTS_PER_MM
    }

    /// Opens or closes the cover.
    pub fn set_cover_open(&self, open: bool) {
        lock(&self.state).cover_open = open;
    }

    /// Whether the cover is open.
    pub fn cover_open(&self) -> bool {
        lock(&self.state).cover_open
    }

    /// The cutter jams (or is cleared).
    pub fn set_cutter_error(&self, error: bool) {
        lock(&self.state).cutter_error = error;
    }

    /// Whether the cutter is in error.
    pub fn cutter_error(&self) -> bool {
        lock(&self.state).cutter_error
    }

    /// Every receipt printed so far, as PNG files.
    pub fn printed(&self) -> Vec<PathBuf> {
        lock(&self.state).printed.clone()
    }
}

impl Drop for ReceiptSim {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_file(&self.link);
    }
}

fn run(mut pty: Pty, font: FontRef<'static>, state: &Mutex<State>, stop: &AtomicBool) {
    let mut printer = Interpreter::new(font);
    let mut buf = [0u8; 4096];
    let mut asb: Option<[u8; 4]> = None;
    while !stop.load(Ordering::SeqCst) {
        if let Some(sent) = asb {
            let now = lock(state).asb();
            if now != sent {
                let _ = pty.master.write_all(&now);
                asb = Some(now);
            }
        }
        let readable = {
            let mut fds = [PollFd::new(pty.master.as_fd(), PollFlags::POLLIN)];
            matches!(poll(&mut fds, PollTimeout::from(20u8)), Ok(n) if n > 0)
                && fds[0]
                    .revents()
                    .is_some_and(|r| r.contains(PollFlags::POLLIN))
        };
        if !readable {
            std::thread::sleep(Duration::from_millis(5));
            continue;
        }
        let n = match pty.master.read(&mut buf) {
            Ok(0) | Err(_) => {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            Ok(n) => n,
        };
        printer.input.extend_from_slice(&buf[..n]);
        let mut replies = Vec::new();
        printer.run(state, &mut replies, &mut asb);
        if !replies.is_empty() {
            let _ = pty.master.write_all(&replies);
        }
    }
}

/// A block of printed dots (a text line, an image, a QR code).
struct Block {
    height: usize,
    /// Rows of `WIDTH` luma bytes, 0 black.
    pixels: Vec<u8>,
}

impl Block {
    fn new(height: usize) -> Self {
        Self {
            height,
            pixels: vec![255; WIDTH * height],
        }
    }
    fn dot(&mut self, x: usize, y: usize) {
        if x < WIDTH && y < self.height {
            self.pixels[y * WIDTH + x] = 0;
        }
    }
}

struct Interpreter {
    input: Vec<u8>,
    font: FontRef<'static>,
    align: u8,
    bold: bool,
    width_mul: usize,
    height_mul: usize,
    double_byte: bool,
    /// Glyphs of the current line: (char, width multiplier, height
    /// multiplier, bold).
    line: Vec<(char, usize, usize, bool)>,
    qr: Vec<u8>,
    qr_module: usize,
    qr_ec: qrcode::EcLevel,
    /// The receipt so far.
    paper: Vec<u8>,
    /// The roll ran out in this receipt: the rest is lost.
    out_of_paper: bool,
}

impl Interpreter {
    fn new(font: FontRef<'static>) -> Self {
        Self {
            input: Vec::new(),
            font,
            align: 0,
            bold: false,
            width_mul: 1,
            height_mul: 1,
            double_byte: false,
            line: Vec::new(),
            qr: Vec::new(),
            qr_module: 3,
            qr_ec: qrcode::EcLevel::L,
            paper: Vec::new(),
            out_of_paper: false,
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.input.get(i).copied()
    }

    fn reset_modes(&mut self) {
        self.align = 0;
        self.bold = false;
        self.width_mul = 1;
        self.height_mul = 1;
        self.double_byte = false;
        self.line.clear();
    }

    /// Interprets every complete command in the input; leaves an
    /// incomplete one for the next bytes.
    fn run(&mut self, state: &Mutex<State>, replies: &mut Vec<u8>, asb: &mut Option<[u8; 4]>) {
        loop {
            let Some(&b) = self.input.first() else { return };
            let used = match b {
                0x10 => match self.input.get(1..3) {
                    None => return,
                    Some([0x04, n]) => {
                        replies.push(lock(state).status(*n));
                        3
                    }
                    Some(_) => 1,
                },
                0x1B => match self.esc(state) {
                    Some(n) => n,
                    None => return,
                },
                0x1D => match self.gs(state, replies, asb) {
                    Some(n) => n,
                    None => return,
                },
                0x1C => match self.input.get(1) {
                    None => return,
                    Some(b'&') => {
                        self.double_byte = true;
                        2
                    }
                    Some(b'.') => {
                        self.double_byte = false;
                        2
                    }
                    Some(_) => {
                        tracing::debug!("simulated receipt printer: unknown FS command skipped");
                        2
                    }
                },
                b'\n' => {
                    self.print_line(state, true);
                    1
                }
                b'\r' => 1,
                0x20..=0x7E => {
                    self.glyph(b as char);
                    1
                }
                0x81..=0xFE if self.double_byte => match self.input.get(1) {
                    None => return,
                    Some(&second) => {
                        let pair = [b, second];
                        let (text, _, bad) = encoding_rs::GBK.decode(&pair);
                        let c = if bad {
                            '?'
                        } else {
                            text.chars().next().unwrap_or('?')
                        };
                        self.glyph(c);
                        2
                    }
                },
                _ => {
                    tracing::debug!(byte = b, "simulated receipt printer: byte skipped");
                    1
                }
            };
            self.input.drain(..used);
        }
    }

    fn esc(&mut self, state: &Mutex<State>) -> Option<usize> {
        let cmd = *self.input.get(1)?;
        Some(match cmd {
            b'@' => {
                self.reset_modes();
                self.out_of_paper = false;
                2
            }
            b'a' => {
                self.align = self.at(2)? % 48 % 3;
                3
            }
            b'E' => {
                self.bold = self.at(2)? & 1 == 1;
                3
            }
            b'd' => {
                let n = usize::from(self.at(2)?);
                self.print_line(state, false);
                let block = Block::new(n * LINE);
                self.emit(block, state);
                3
            }
            // One-parameter commands this printer accepts and ignores.
            b'!' | b'-' | b'3' | b'J' | b'M' | b't' | b'G' | b'R' | b'{' | b'V' | b'r' => {
                self.at(2)?;
                3
            }
            _ => 2,
        })
    }

    fn gs(
        &mut self,
        state: &Mutex<State>,
        replies: &mut Vec<u8>,
        asb: &mut Option<[u8; 4]>,
    ) -> Option<usize> {
        let cmd = *self.input.get(1)?;
        Some(match cmd {
            b'!' => {
                let n = self.at(2)?;
                self.width_mul = usize::from(n >> 4 & 7) + 1;
                self.height_mul = usize::from(n & 7) + 1;
                3
            }
            b'V' => {
                let m = self.at(2)?;
                let len = if m == 0x41 || m == 0x42 {
                    self.at(3)?;
                    4
                } else {
                    3
                };
                self.cut(state);
                len
            }
            b'a' => {
                let n = self.at(2)?;
                if n == 0 {
                    *asb = None;
                } else {
                    let block = lock(state).asb();
                    replies.extend_from_slice(&block);
                    *asb = Some(block);
                }
                3
            }
            b'r' => {
                let n = self.at(2)?;
                if n == 1 || n == 49 {
                    let s = lock(state);
                    let mut b = 0;
                    if s.near_end() {
                        b |= 0x03;
                    }
                    if s.paper_end() {
                        b |= 0x0C;
                    }
                    replies.push(b);
                }
                3
            }
            b'v' => {
                // GS v 0 m xL xH yL yH data
                let header = self.input.get(2..8)?;
                let (xl, xh, yl, yh) = (header[2], header[3], header[4], header[5]);
                let width_bytes = usize::from(u16::from_le_bytes([xl, xh]));
                let rows = usize::from(u16::from_le_bytes([yl, yh]));
                let total = 8 + width_bytes * rows;
                let data = self.input.get(8..total)?.to_vec();
                self.print_line(state, false);
                self.raster(width_bytes, rows, &data, state);
                total
            }
            b'(' => {
                // GS ( k pL pH cn fn ...
                let header = self.input.get(2..5)?;
                let len = usize::from(u16::from_le_bytes([header[1], header[2]]));
                let body = self.input.get(5..5 + len)?.to_vec();
                if header[0] == b'k' && body.len() >= 2 && body[0] == 0x31 {
                    self.qr_function(body[1], &body[2..], state);
                }
                5 + len
            }
            _ => {
                tracing::debug!(
                    command = cmd,
                    "simulated receipt printer: unknown GS command skipped"
                );
                2
            }
        })
    }

    fn qr_function(&mut self, function: u8, args: &[u8], state: &Mutex<State>) {
        match (function, args) {
            (0x43, [n, ..]) => self.qr_module = usize::from((*n).clamp(1, 16)),
            (0x45, [n, ..]) => {
                self.qr_ec = match n {
                    48 => qrcode::EcLevel::L,
                    49 => qrcode::EcLevel::M,
                    50 => qrcode::EcLevel::Q,
                    _ => qrcode::EcLevel::H,
                }
            }
            (0x50, [0x30, data @ ..]) => self.qr = data.to_vec(),
            (0x51, _) => {
                self.print_line(state, false);
                let Ok(code) = qrcode::QrCode::with_error_correction_level(&self.qr, self.qr_ec)
                else {
                    tracing::warn!("simulated receipt printer: QR data it cannot encode");
                    return;
                };
                let n = code.width();
                let m = self.qr_module;
                let side = n * m;
                let mut block = Block::new(side + 8);
                let x0 = self.offset(side);
                let colors = code.to_colors();
                for (i, c) in colors.iter().enumerate() {
                    if *c == qrcode::Color::Dark {
                        let (mx, my) = (i % n, i / n);
                        for dy in 0..m {
                            for dx in 0..m {
                                block.dot(x0 + mx * m + dx, 4 + my * m + dy);
                            }
                        }
                    }
                }
                self.emit(block, state);
            }
            _ => {}
        }
    }

    fn offset(&self, width: usize) -> usize {
        match self.align {
            1 => WIDTH.saturating_sub(width) / 2,
            2 => WIDTH.saturating_sub(width),
            _ => 0,
        }
    }

    fn raster(&mut self, width_bytes: usize, rows: usize, data: &[u8], state: &Mutex<State>) {
        let width = (width_bytes * 8).min(WIDTH);
        let x0 = self.offset(width);
        let mut block = Block::new(rows);
        for y in 0..rows {
            for x in 0..width {
                if data[y * width_bytes + x / 8] & (0x80 >> (x % 8)) != 0 {
                    block.dot(x0 + x, y);
                }
            }
        }
        self.emit(block, state);
    }

    fn glyph(&mut self, c: char) {
        self.line
            .push((c, self.width_mul, self.height_mul, self.bold));
    }

    /// Prints the current line: on a line feed always (an empty line
    /// feeds paper), before other blocks only when it has text.
    fn print_line(&mut self, state: &Mutex<State>, feed: bool) {
        if self.line.is_empty() && !feed {
            return;
        }
        let line = std::mem::take(&mut self.line);
        let tallest = line.iter().map(|g| g.2).max().unwrap_or(self.height_mul);
        let height = 24 * tallest + 6;
        let mut block = Block::new(height);
        let cell = |c: char, w: usize| if c.is_ascii() { 12 * w } else { 24 * w };
        let total: usize = line.iter().map(|g| cell(g.0, g.1)).sum();
        let mut x = self.offset(total);
        let units = self.font.units_per_em().unwrap_or(1000.0);
        for (c, w, h, bold) in line {
            let cell_h = 24 * h;
            // The em square fills the cell's height; wide cells stretch.
            let em = cell_h as f32;
            let scale_y = em * self.font.height_unscaled() / units;
            let scale = ab_glyph::PxScale {
                x: scale_y * w as f32 / h as f32,
                y: scale_y,
            };
            let scaled = self.font.as_scaled(scale);
            let top = height - 3 - cell_h;
            let baseline = top as f32 + em * 0.88;
            let glyph = scaled.scaled_glyph(c);
            let advance = scaled.h_advance(glyph.id);
            let cw = cell(c, w) as f32;
            let left = x as f32 + ((cw - advance) / 2.0).max(0.0);
            let positioned = ab_glyph::Glyph {
                position: ab_glyph::point(left, baseline),
                ..glyph
            };
            if let Some(outlined) = self.font.outline_glyph(positioned) {
                let b = outlined.px_bounds();
                outlined.draw(|gx, gy, v| {
                    if v >= 0.5 {
                        let (px, py) = (b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32);
                        if px >= 0 && py >= 0 {
                            block.dot(px as usize, py as usize);
                            if bold {
                                block.dot(px as usize + 1, py as usize);
                            }
                        }
                    }
                });
            }
            x += cell(c, w);
        }
        self.emit(block, state);
    }

    /// Puts a block on the paper, as far as the roll goes.
    fn emit(&mut self, block: Block, state: &Mutex<State>) {
        if self.out_of_paper {
            return;
        }
        let mut s = lock(state);
        if s.cover_open || s.cutter_error {
            // A printer in error prints nothing; the data is lost.
            return;
        }
        let rows = (block.height as u32).min(s.roll_dots);
        s.roll_dots -= rows;
        self.paper
            .extend_from_slice(&block.pixels[..rows as usize * WIDTH]);
        if s.roll_dots == 0 {
            // The roll ran out in the middle: what printed comes out, the
            // rest of the receipt is lost.
            self.out_of_paper = true;
            drop(s);
            self.finish(state);
        }
    }

    fn cut(&mut self, state: &Mutex<State>) {
        self.print_line(state, false);
        if lock(state).cutter_error {
            // The cutter is stuck: nothing is cut, the printer stays in
            // error until staff clear it.
            return;
        }
        if !self.out_of_paper {
            self.finish(state);
        }
        self.out_of_paper = false;
    }

    /// Writes the receipt so far as a PNG.
    fn finish(&mut self, state: &Mutex<State>) {
        let paper = std::mem::take(&mut self.paper);
        if paper.is_empty() {
            return;
        }
        let mut s = lock(state);
        s.count += 1;
        let path = s.out_dir.join(format!("receipt-{:04}.png", s.count));
        drop(s);
        match write_png(&paper, &path) {
            Ok(()) => lock(state).printed.push(path),
            Err(error) => {
                tracing::warn!(%error, "simulated receipt printer: cannot write the receipt")
            }
        }
    }
}

fn write_png(pixels: &[u8], path: &Path) -> std::io::Result<()> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut encoder = png::Encoder::new(file, WIDTH as u32, (pixels.len() / WIDTH) as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
    writer
        .write_image_data(pixels)
        .map_err(std::io::Error::other)
}
