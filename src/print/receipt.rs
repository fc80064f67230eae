//! The receipt (回执) for a submitted application, as ESC/POS for an 80 mm
//! thermal printer (576 dots at 203 dpi): a raster logo, the service and
//! item, the application number, time, terminal, the applicant's masked
//! name and a QR code to the progress page, then a cut. Text goes in GBK
//! double-byte mode; a line with a character GBK cannot encode is drawn
//! with the bundled font and sent as a raster image instead, so nothing is
//! ever dropped.

use std::sync::OnceLock;

use tongban_escpos::{Align, Cut, EscPosError, QrEc, Receipt};

use super::raster::{Ink, Page, Surface, Text};

/// Printable width of an 80 mm roll at 203 dpi.
pub const WIDTH_DOTS: usize = 576;
/// Font A cells per line (12 dots each; a Chinese character takes two).
pub const CELLS: usize = 48;

/// What a receipt says. It holds the masked name only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptData {
    /// Heading, e.g. 一网通办 · 自助终端.
    pub heading: String,
    /// The department or service handling the item.
    pub service: String,
    /// The item applied for.
    pub item: String,
    /// The application number.
    pub application: String,
    /// When it was submitted, as printed.
    pub time: String,
    /// The terminal's id.
    pub terminal: String,
    /// The applicant's name, masked (张*三).
    pub masked_name: String,
    /// Where the QR code leads (the application's progress page).
    pub progress_url: String,
    /// The line under the QR code.
    pub qr_caption: String,
    /// Labels, in the receipt's language: service, item, application
    /// number, time, terminal, applicant.
    pub labels: [String; 6],
}

/// Cells a string takes in font A (ASCII one, anything else two).
pub fn cells(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Splits `text` into lines of at most `width` cells.
pub fn wrap_cells(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = if c.is_ascii() { 1 } else { 2 };
        if used + w > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        line.push(c);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The receipt being built, counting the paper it will use.
struct Out {
    r: Receipt,
    /// Dots of paper so far.
    dots: usize,
    /// Current character height multiplier.
    tall: usize,
}

impl Out {
    fn size(&mut self, w: u8, h: u8) {
        self.r.size(w, h);
        self.tall = usize::from(h.clamp(1, 8));
    }

    /// Adds a line as text, or as a raster image when GBK cannot encode it.
    fn line(&mut self, text: &str) -> Result<(), EscPosError> {
        match self.r.line(text) {
            Ok(_) => {
                self.dots += 24 * self.tall + 6;
                Ok(())
            }
            Err(EscPosError::Unencodable { chars }) => {
                tracing::debug!(count = chars.len(), "receipt line drawn as an image");
                let (width_bytes, height, data) = rasterise_line(text);
                self.r.raster(width_bytes, height, &data)?;
                self.dots += usize::from(height);
                Ok(())
            }
            Err(other) => Err(other),
        }
    }

    fn raster(&mut self, width_bytes: u16, height: u16, data: &[u8]) -> Result<(), EscPosError> {
        self.r.raster(width_bytes, height, data)?;
        self.dots += usize::from(height);
        Ok(())
    }

    fn feed(&mut self, lines: u8) {
        self.r.feed(lines);
        self.dots += 30 * usize::from(lines);
    }

    fn qr(&mut self, data: &[u8], module: u8) -> Result<(), EscPosError> {
        self.r.qr(data, module, QrEc::M)?;
        let modules = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M)
            .map(|c| c.width())
            .unwrap_or(0);
        // The code and a few dots of margin above and below.
        self.dots += modules * usize::from(module) + 8;
        Ok(())
    }
}

/// A composed receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// ESC/POS for the printer.
    pub bytes: Vec<u8>,
    /// Paper it takes, in millimetres (8 dots each).
    pub length_mm: u32,
}

/// Draws one line of text as a printer would in font A: 24-dot glyphs on
/// a 30-dot line, left aligned.
pub fn rasterise_line(text: &str) -> (u16, u16, Vec<u8>) {
    use ab_glyph::Font;
    let mut page = Page::new(WIDTH_DOTS, 30);
    // A 24-dot em, as the printer's own Chinese font.
    let font = super::raster::font();
    let px = 24.0 * font.height_unscaled() / font.units_per_em().unwrap_or(1000.0);
    let run = Text { text, px };
    page.text(run, 0.0, 3.0 + 24.0 * 0.88, Ink::Solid);
    (WIDTH_DOTS.div_ceil(8) as u16, 30, page.bitmap.data)
}

/// The logo: a seal-like ring with 通 in it, then 一网通办, drawn once.
pub fn logo() -> &'static (u16, u16, Vec<u8>) {
    static LOGO: OnceLock<(u16, u16, Vec<u8>)> = OnceLock::new();
    LOGO.get_or_init(|| {
        let (w, h) = (320usize, 104usize);
        let mut page = Page::new(w, h);
        page.ring(52, 52, 50, 7);
        let mark = Text {
            text: "通",
            px: 64.0,
        };
        page.text_centred(mark, 52.0, 52.0 + mark.ascent() / 2.0 - 4.0, Ink::Bold(1));
        let name = Text {
            text: "一网通办",
            px: 52.0,
        };
        page.text(name, 118.0, 52.0 + name.ascent() / 2.0 - 2.0, Ink::Bold(1));
        ((w / 8) as u16, h as u16, page.bitmap.data)
    })
}

/// The receipt as ESC/POS bytes, with the paper it takes.
pub fn compose(data: &ReceiptData) -> Result<Composed, EscPosError> {
    let mut out = Out {
        r: Receipt::new(),
        dots: 0,
        tall: 1,
    };
    out.r.align(Align::Center);
    let (lw, lh, logo) = logo();
    out.raster(*lw, *lh, logo)?;
    out.feed(1);
    out.r.bold(true);
    out.size(1, 2);
    out.line(&data.heading)?;
    out.r.bold(false);
    out.size(1, 1);
    out.r.align(Align::Left);
    out.line(&"-".repeat(CELLS))?;
    let values = [
        &data.service,
        &data.item,
        &data.application,
        &data.time,
        &data.terminal,
        &data.masked_name,
    ];
    for (index, (label, value)) in data.labels.iter().zip(values).enumerate() {
        let label = format!("{label}：");
        let indent = cells(&label);
        if index == 2 {
            // The number is what staff and residents read out: its own
            // line, bold and tall.
            out.line(&label)?;
            out.r.bold(true);
            out.size(1, 2);
            for part in wrap_cells(value, CELLS) {
                out.line(&part)?;
            }
            out.r.bold(false);
            out.size(1, 1);
            continue;
        }
        for (i, part) in wrap_cells(value, CELLS - indent).iter().enumerate() {
            if i == 0 {
                out.line(&format!("{label}{part}"))?;
            } else {
                out.line(&format!("{}{part}", " ".repeat(indent)))?;
            }
        }
    }
    out.line(&"-".repeat(CELLS))?;
    out.r.align(Align::Center);
    // A guide has nowhere to lead: no code, only its closing line.
    if !data.progress_url.is_empty() {
        out.qr(data.progress_url.as_bytes(), 6)?;
    }
    out.line(&data.qr_caption)?;
    out.feed(3);
    out.r.cut(Cut::Partial);
    Ok(Composed {
        length_mm: out.dots.div_ceil(8) as u32,
        bytes: out.r.into_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_by_cells_where_chinese_counts_double() {
        assert_eq!(cells("申请编号：SH2026"), 16);
        let lines = wrap_cells("上海市黄浦区人民路100号", 10);
        assert!(lines.iter().all(|l| cells(l) <= 10), "{lines:?}");
        assert_eq!(lines.concat(), "上海市黄浦区人民路100号");
        assert_eq!(wrap_cells("", 10), vec![String::new()]);
    }

    #[test]
    fn the_logo_and_rasterised_lines_have_the_printer_width() {
        let (w, h, data) = logo();
        assert_eq!(data.len(), usize::from(*w) * usize::from(*h));
        assert!(data.iter().any(|b| *b != 0));
        let (w, h, data) = rasterise_line("𠀀 test");
        assert_eq!((w, h), (72, 30));
        assert!(data.iter().any(|b| *b != 0));
    }
}
