//! PCL 5 raster pages: a 1-bit page encoded row by row with whichever of
//! PackBits (mode 2) and delta row (mode 3) is smaller, and a decoder for
//! the subset the kiosk sends (and modes 0, 2 and 3), which the printer
//! simulator uses to render what it receives.

use crate::compress::{apply_delta, delta_row, packbits, unpackbits};

const ESC: u8 = 0x1B;

/// A 1-bit page: rows of `(width + 7) / 8` bytes, most significant bit
/// first, 1 = black.
#[derive(Clone, PartialEq, Eq)]
pub struct Bitmap {
    /// Width in dots.
    pub width: usize,
    /// Height in dots.
    pub height: usize,
    /// Packed rows.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Bitmap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bitmap({}×{})", self.width, self.height)
    }
}

impl Bitmap {
    /// An all-white page.
    pub fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            data: vec![0; width.div_ceil(8) * height],
        }
    }

    /// Bytes per row.
    pub fn stride(&self) -> usize {
        self.width.div_ceil(8)
    }

    /// One row.
    pub fn row(&self, y: usize) -> &[u8] {
        &self.data[y * self.stride()..(y + 1) * self.stride()]
    }

    /// Sets a dot black.
    pub fn set(&mut self, x: usize, y: usize) {
        if x < self.width && y < self.height {
            let stride = self.stride();
            self.data[y * stride + x / 8] |= 0x80 >> (x % 8);
        }
    }

    /// Whether a dot is black.
    pub fn get(&self, x: usize, y: usize) -> bool {
        x < self.width
            && y < self.height
            && self.data[y * self.stride() + x / 8] & (0x80 >> (x % 8)) != 0
    }
}

/// A4 at 300 dpi: 2480 × 3508 dots.
pub const A4_300: (usize, usize) = (2480, 3508);

fn command(out: &mut Vec<u8>, family: &[u8], value: usize, terminator: u8) {
    out.push(ESC);
    out.extend_from_slice(family);
    out.extend_from_slice(value.to_string().as_bytes());
    out.push(terminator);
}

/// Rows sent in one combined escape sequence (see [`encode_page`]).
const ROWS_PER_SEQUENCE: usize = 128;

/// One page as PCL: reset, A4 portrait, 300 dpi raster, rows compressed
/// with the smaller of modes 2 and 3 (a mode change costs its own
/// parameter), end of raster, form feed.
///
/// Rows go in PCL's combined escape sequences: `ESC*b` once, then for each
/// row `[mode m]` `length w` and its data, the last row of the sequence
/// ending in an uppercase `W` (PCL 5 lets parameterised commands of one
/// group share their prefix; binary data follows its command's
/// terminator). A row identical to the one above costs two bytes (`0w`)
/// instead of five, which on a page inked on every row (a frame, a
/// diagonal watermark) is most of the size of the page.
pub fn encode_page(page: &Bitmap) -> Vec<u8> {
    let mut out = Vec::with_capacity(page.data.len() / 8);
    out.extend_from_slice(b"\x1bE\x1b&l26A\x1b&l0O\x1b*t300R");
    command(&mut out, b"*r", page.width, b'S');
    command(&mut out, b"*r", page.height, b'T');
    out.extend_from_slice(b"\x1b*p0x0Y\x1b*r1A");
    let mut seed = vec![0u8; page.stride()];
    let mut mode = 0u8;
    for (y, row) in page.data.chunks_exact(page.stride().max(1)).enumerate() {
        if y % ROWS_PER_SEQUENCE == 0 {
            out.extend_from_slice(b"\x1b*b");
        }
        // Trailing white needs no bytes in mode 2: short rows are padded.
        let used = row.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
        let pb = packbits(&row[..used]);
        let dr = delta_row(&seed, row);
        let switch_cost = |m: u8| if mode == m { 0 } else { 2 };
        let (m, data) = if dr.len() + switch_cost(3) <= pb.len() + switch_cost(2) {
            (3, dr)
        } else {
            (2, pb)
        };
        if m != mode {
            out.push(b'0' + m);
            out.push(b'm');
            mode = m;
        }
        out.extend_from_slice(data.len().to_string().as_bytes());
        let last = (y + 1) % ROWS_PER_SEQUENCE == 0 || y + 1 == page.height;
        out.push(if last { b'W' } else { b'w' });
        out.extend_from_slice(&data);
        seed.copy_from_slice(row);
    }
    out.extend_from_slice(b"\x1b*rC\x0c");
    out
}

/// What went wrong decoding PCL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PclError {
    /// Data ended inside a command or row.
    #[error("PCL data truncated")]
    Truncated,
    /// A compression mode this decoder does not know.
    #[error("unsupported compression mode {0}")]
    Mode(usize),
    /// Raster data before the page size was given.
    #[error("raster data without a width")]
    NoWidth,
}

/// Turns a PCL stream into pages.
#[derive(Debug, Default)]
pub struct PageDecoder {
    width: usize,
    height: usize,
    mode: usize,
    seed: Vec<u8>,
    rows: Vec<u8>,
    row_count: usize,
    in_raster: bool,
    pages: Vec<Bitmap>,
}

impl PageDecoder {
    /// A decoder at the start of a job.
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes a complete PCL stream; returns the pages it holds.
    pub fn decode(mut self, data: &[u8]) -> Result<Vec<Bitmap>, PclError> {
        let mut i = 0;
        while i < data.len() {
            match data[i] {
                ESC => {
                    i += 1;
                    let Some(&kind) = data.get(i) else {
                        return Err(PclError::Truncated);
                    };
                    if kind == b'E' {
                        self.finish_page();
                        i += 1;
                        continue;
                    }
                    // Parameterised: ESC kind group value... terminator (uppercase ends).
                    let group = *data.get(i + 1).ok_or(PclError::Truncated)?;
                    i += 2;
                    loop {
                        let start = i;
                        while i < data.len()
                            && (data[i].is_ascii_digit()
                                || data[i] == b'.'
                                || data[i] == b'-'
                                || data[i] == b'+')
                        {
                            i += 1;
                        }
                        let value: usize = std::str::from_utf8(&data[start..i])
                            .ok()
                            .and_then(|s| s.parse::<f64>().ok())
                            .map_or(0, |v| v.max(0.0) as usize);
                        let Some(&term) = data.get(i) else {
                            return Err(PclError::Truncated);
                        };
                        i += 1;
                        let last = term.is_ascii_uppercase();
                        let t = term.to_ascii_uppercase();
                        i = self.apply(kind, group, t, value, data, i)?;
                        if last {
                            break;
                        }
                    }
                }
                0x0C => {
                    self.finish_page();
                    i += 1;
                }
                _ => i += 1,
            }
        }
        self.finish_page();
        Ok(self.pages)
    }

    fn apply(
        &mut self,
        kind: u8,
        group: u8,
        term: u8,
        value: usize,
        data: &[u8],
        mut i: usize,
    ) -> Result<usize, PclError> {
        match (kind, group, term) {
            (b'*', b'r', b'S') => self.width = value,
            (b'*', b'r', b'T') => self.height = value,
            (b'*', b'r', b'A') => {
                if self.width == 0 {
                    return Err(PclError::NoWidth);
                }
                self.in_raster = true;
                self.seed = vec![0; self.width.div_ceil(8)];
            }
            (b'*', b'r', b'C') | (b'*', b'r', b'B') => self.in_raster = false,
            (b'*', b'b', b'M') => self.mode = value,
            (b'*', b'b', b'W') => {
                let bytes = data.get(i..i + value).ok_or(PclError::Truncated)?;
                i += value;
                self.row(bytes)?;
            }
            _ => {}
        }
        Ok(i)
    }

    fn row(&mut self, bytes: &[u8]) -> Result<(), PclError> {
        if self.width == 0 {
            return Err(PclError::NoWidth);
        }
        let stride = self.width.div_ceil(8);
        let mut row = Vec::with_capacity(stride);
        match self.mode {
            0 => row.extend_from_slice(&bytes[..bytes.len().min(stride)]),
            2 => {
                if !unpackbits(bytes, stride, &mut row) {
                    return Err(PclError::Truncated);
                }
            }
            3 => {
                row = self.seed.clone();
                if !apply_delta(bytes, &mut row) {
                    return Err(PclError::Truncated);
                }
            }
            other => return Err(PclError::Mode(other)),
        }
        row.resize(stride, 0);
        self.seed.copy_from_slice(&row);
        self.rows.extend_from_slice(&row);
        self.row_count += 1;
        Ok(())
    }

    fn finish_page(&mut self) {
        if self.row_count == 0 {
            return;
        }
        let height = self.height.max(self.row_count);
        let mut page = Bitmap::new(self.width, height);
        page.data[..self.rows.len()].copy_from_slice(&self.rows);
        self.pages.push(page);
        self.rows.clear();
        self.row_count = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_page(width: usize, height: usize) -> Bitmap {
        let mut page = Bitmap::new(width, height);
        for y in 0..height {
            for x in 0..width {
                // A frame, a diagonal and a block of text-like stripes.
                let border = x < 4 || y < 4 || x + 4 >= width || y + 4 >= height;
                let diagonal = x == y || x == y + 1;
                let stripes =
                    (100..300).contains(&x) && (50..90).contains(&y) && (x / 3 + y) % 5 == 0;
                if border || diagonal || stripes {
                    page.set(x, y);
                }
            }
        }
        page
    }

    #[test]
    fn a_page_starts_with_the_documented_setup_commands_and_ends_the_raster() {
        let bytes = encode_page(&Bitmap::new(16, 2));
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.starts_with("\u{1b}E\u{1b}&l26A\u{1b}&l0O\u{1b}*t300R\u{1b}*r16S\u{1b}*r2T"),
            "{text:?}"
        );
        assert!(text.contains("\u{1b}*r1A"));
        assert!(text.ends_with("\u{1b}*rC\u{c}"));
    }

    #[test]
    fn pages_round_trip_through_the_decoder() {
        for (w, h) in [(8, 1), (13, 7), (400, 120)] {
            let page = sample_page(w, h);
            let pages = PageDecoder::new().decode(&encode_page(&page)).unwrap();
            assert_eq!(pages, vec![page]);
        }
    }

    #[test]
    fn each_row_uses_the_smaller_mode() {
        // Identical rows cost nothing in mode 3; a first busy row is best
        // in mode 2.
        let mut page = Bitmap::new(800, 50);
        for y in 0..50 {
            for x in (0..800).step_by(3) {
                page.set(x, y);
            }
        }
        let bytes = encode_page(&page);
        let text = String::from_utf8_lossy(&bytes);
        // The first row in mode 2, then mode 3 where 49 identical rows
        // cost `0w` each, in one combined sequence.
        assert!(text.contains("\u{1b}*b2m"), "{text:?}");
        assert!(text.contains("3m0w"));
        assert_eq!(text.matches("0w").count() + text.matches("0W").count(), 49);
        assert_eq!(text.matches("\u{1b}*b").count(), 1);
        // Far smaller than uncompressed.
        assert!(bytes.len() < page.data.len() / 4, "{} bytes", bytes.len());
    }

    #[test]
    fn a_blank_a4_page_is_tiny() {
        let (w, h) = A4_300;
        let bytes = encode_page(&Bitmap::new(w, h));
        // Two bytes a row, and a prefix every 128 rows.
        assert!(
            bytes.len() < 3508 * 2 + 28 * 3 + 64,
            "{} bytes",
            bytes.len()
        );
        let pages = PageDecoder::new().decode(&bytes).unwrap();
        assert_eq!((pages[0].width, pages[0].height), (w, h));
    }

    #[test]
    fn combined_sequences_split_anywhere_decode_alike() {
        // Separate commands per row and one combined sequence are the same
        // page.
        let separate =
            b"\x1b*r16S\x1b*r3T\x1b*r1A\x1b*b2M\x1b*b3W\x01\xff\x0f\x1b*b3M\x1b*b0W\x1b*b0W\x1b*rC";
        let combined = b"\x1b*r16S\x1b*r3T\x1b*r1A\x1b*b2m3w\x01\xff\x0f3m0w0W\x1b*rC";
        let a = PageDecoder::new().decode(separate).unwrap();
        let b = PageDecoder::new().decode(combined).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0].row(2), &[0xff, 0x0f]);
    }

    #[test]
    fn uncompressed_rows_decode_too() {
        let data = b"\x1bE\x1b*r16S\x1b*r2T\x1b*r1A\x1b*b0m2W\xff\x01\x1b*b2W\x80\x00\x1b*rC";
        let pages = PageDecoder::new().decode(data).unwrap();
        assert_eq!(pages[0].row(0), &[0xff, 0x01]);
        assert_eq!(pages[0].row(1), &[0x80, 0x00]);
        assert_eq!(
            PageDecoder::new().decode(b"\x1b*b2W\x00\x00"),
            Err(PclError::NoWidth)
        );
        assert_eq!(
            PageDecoder::new().decode(b"\x1b*r8S\x1b*r1A\x1b*b5M\x1b*b1W\x00"),
            Err(PclError::Mode(5))
        );
    }
}
