//! Drawing on 1-bit printer pages. Everything is composed straight into
//! the packed page the printer receives — there is no full-page grayscale
//! buffer to convert afterwards (an A4 page at 300 dpi would be 8.7 MB of
//! it). Each element is turned to black and white the way it reads best:
//! text and lines by threshold (crisp edges), tints by an ordered dither,
//! the watermark by a light hatch (a regular pattern that also compresses
//! well), photos by error diffusion (Floyd–Steinberg: smooth tones stay
//! legible).

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, OutlineCurve, Point, ScaleFont, point};
use ab_glyph_rasterizer::Rasterizer;
use tongban_laser::Bitmap;

use crate::fonts::TONGBAN_SANS;

/// The bundled font, parsed once.
pub fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| {
        FontRef::try_from_slice(TONGBAN_SANS).expect("the bundled font is a valid OpenType font")
    })
}

/// Whether the bundled font has a glyph for every character of `text`.
pub fn covers(text: &str) -> bool {
    let font = font();
    text.chars()
        .filter(|c| !c.is_whitespace())
        .all(|c| font.glyph_id(c).0 != 0)
}

/// How covered pixels are inked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ink {
    /// Black where coverage ≥ ½: sharp text and lines.
    Solid,
    /// Solid, thickened by this many dots (a bold face from the regular
    /// one).
    Bold(u8),
    /// A gray tint: covered pixels are black where the 8×8 Bayer matrix is
    /// below `level` (of 64).
    Tint(u8),
    /// A light hatch: vertical lines `width` dots wide every `pitch` dots.
    /// Every row inside a shape is the same, so delta rows cost only where
    /// the shape's edges move.
    Hatch {
        /// Line pitch in dots.
        pitch: u8,
        /// Line width in dots.
        width: u8,
    },
}

/// 8×8 Bayer matrix for ordered dithering.
const BAYER: [[u8; 8]; 8] = [
    [0, 32, 8, 40, 2, 34, 10, 42],
    [48, 16, 56, 24, 50, 18, 58, 26],
    [12, 44, 4, 36, 14, 46, 6, 38],
    [60, 28, 52, 20, 62, 30, 54, 22],
    [3, 35, 11, 43, 1, 33, 9, 41],
    [51, 19, 59, 27, 49, 17, 57, 25],
    [15, 47, 7, 39, 13, 45, 5, 37],
    [63, 31, 55, 23, 61, 29, 53, 21],
];

/// Covered pixels as horizontal spans, relative to an origin: cheap to
/// stamp many times (the watermark is one line stamped across the page).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mask {
    /// (y, x0, x1): pixels x0..x1 of row y are covered.
    pub spans: Vec<(i32, i32, i32)>,
}

impl Mask {
    /// The bounding box (x0, y0, x1, y1), or `None` when empty.
    pub fn bounds(&self) -> Option<(i32, i32, i32, i32)> {
        let mut it = self.spans.iter();
        let &(y, a, b) = it.next()?;
        let mut bounds = (a, y, b, y + 1);
        for &(y, a, b) in it {
            bounds.0 = bounds.0.min(a);
            bounds.1 = bounds.1.min(y);
            bounds.2 = bounds.2.max(b);
            bounds.3 = bounds.3.max(y + 1);
        }
        Some(bounds)
    }
}

/// A text run laid out with the bundled font at `px` pixels per em
/// height.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    /// The characters.
    pub text: &'a str,
    /// Size: the font's ascent-to-descent height in dots.
    pub px: f32,
}

impl Text<'_> {
    /// The advance width in dots.
    pub fn width(&self) -> f32 {
        let scaled = font().as_scaled(self.px);
        self.text
            .chars()
            .map(|c| scaled.h_advance(scaled.glyph_id(c)))
            .sum()
    }

    /// Ascent in dots (baseline to top).
    pub fn ascent(&self) -> f32 {
        font().as_scaled(self.px).ascent()
    }

    /// The coverage of the run with its baseline starting at `origin`,
    /// rotated by `angle` radians (counter-clockwise on the page) about the
    /// origin; covered means coverage ≥ ½.
    pub fn mask(&self, origin: (f32, f32), angle: f32) -> Mask {
        let font = font();
        let scaled = font.as_scaled(self.px);
        let (sx, sy) = (scaled.h_scale_factor(), scaled.v_scale_factor());
        let (sin, cos) = (-angle).sin_cos();
        let mut mask = Mask::default();
        let mut pen = 0.0f32;
        for c in self.text.chars() {
            let id = font.glyph_id(c);
            let advance = scaled.h_advance(id);
            if let Some(outline) = font.outline(id) {
                // Font units (y up) → run coordinates (y down) → page.
                let place = |p: &Point| {
                    let (lx, ly) = (pen + p.x * sx, -p.y * sy);
                    point(
                        origin.0 + lx * cos - ly * sin,
                        origin.1 + lx * sin + ly * cos,
                    )
                };
                rasterise(&outline.curves, place, &mut mask);
            }
            pen += advance;
        }
        mask
    }
}

/// Rasterises one outline, transformed by `place`, into spans.
fn rasterise(curves: &[OutlineCurve], place: impl Fn(&Point) -> Point, mask: &mut Mask) {
    let mut min = point(f32::MAX, f32::MAX);
    let mut max = point(f32::MIN, f32::MIN);
    let mut placed = Vec::with_capacity(curves.len());
    for curve in curves {
        let pts: [Point; 4] = match curve {
            OutlineCurve::Line(a, b) => [place(a), place(b), point(0.0, 0.0), point(0.0, 0.0)],
            OutlineCurve::Quad(a, b, c) => [place(a), place(b), place(c), point(0.0, 0.0)],
            OutlineCurve::Cubic(a, b, c, d) => [place(a), place(b), place(c), place(d)],
        };
        let n = match curve {
            OutlineCurve::Line(..) => 2,
            OutlineCurve::Quad(..) => 3,
            OutlineCurve::Cubic(..) => 4,
        };
        for p in &pts[..n] {
            min.x = min.x.min(p.x);
            min.y = min.y.min(p.y);
            max.x = max.x.max(p.x);
            max.y = max.y.max(p.y);
        }
        placed.push((n, pts));
    }
    if placed.is_empty() {
        return;
    }
    let (x0, y0) = (min.x.floor(), min.y.floor());
    let w = (max.x.ceil() - x0) as usize + 1;
    let h = (max.y.ceil() - y0) as usize + 1;
    let mut r = Rasterizer::new(w, h);
    let o = |p: Point| point(p.x - x0, p.y - y0);
    for (n, p) in placed {
        match n {
            2 => r.draw_line(o(p[0]), o(p[1])),
            3 => r.draw_quad(o(p[0]), o(p[1]), o(p[2])),
            _ => r.draw_cubic(o(p[0]), o(p[1]), o(p[2]), o(p[3])),
        }
    }
    let mut run: Option<(u32, u32, u32)> = None;
    let (ox, oy) = (x0 as i32, y0 as i32);
    r.for_each_pixel_2d(|x, y, c| {
        let covered = c >= 0.5;
        match (&mut run, covered) {
            (Some((ry, _, end)), true) if *ry == y && *end == x => *end = x + 1,
            (current, covered) => {
                if let Some((ry, a, b)) = current.take() {
                    mask.spans
                        .push((oy + ry as i32, ox + a as i32, ox + b as i32));
                }
                if covered {
                    *current = Some((y, x, x + 1));
                }
            }
        }
    });
    if let Some((ry, a, b)) = run {
        mask.spans
            .push((oy + ry as i32, ox + a as i32, ox + b as i32));
    }
}

/// A 1-bit page being composed.
#[derive(Debug, Clone)]
pub struct Page {
    /// The packed page (1 = black).
    pub bitmap: Bitmap,
    /// Photos are dithered in cells of this many dots (2 at 300 dpi: a
    /// 150 dpi photo, as legible and a quarter of the bytes).
    pub photo_cell: usize,
}

/// A grayscale photo (0 black … 255 white).
#[derive(Clone, PartialEq, Eq)]
pub struct Photo {
    /// Width in pixels.
    pub width: usize,
    /// Rows of pixels.
    pub gray: Vec<u8>,
}

/// A holder's photo is personal data: overwritten when dropped.
impl Drop for Photo {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.gray);
    }
}

impl zeroize::ZeroizeOnDrop for Photo {}

impl std::fmt::Debug for Photo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Photo({}×{})",
            self.width,
            self.gray.len() / self.width.max(1)
        )
    }
}

impl Page {
    /// A white page of `width` × `height` dots.
    pub fn new(width: usize, height: usize) -> Self {
        Self {
            bitmap: Bitmap::new(width, height),
            photo_cell: 2,
        }
    }

    /// Width in dots.
    pub fn width(&self) -> usize {
        self.bitmap.width
    }

    /// Height in dots.
    pub fn height(&self) -> usize {
        self.bitmap.height
    }

    /// Blackens dots x0..x1 of row y (clipped), whole bytes at a time.
    fn span(&mut self, y: i32, x0: i32, x1: i32) {
        let (w, h) = (self.bitmap.width as i32, self.bitmap.height as i32);
        if y < 0 || y >= h {
            return;
        }
        let (x0, x1) = (x0.max(0), x1.min(w));
        if x0 >= x1 {
            return;
        }
        let stride = self.bitmap.stride();
        let row = &mut self.bitmap.data[y as usize * stride..(y as usize + 1) * stride];
        let (x0, x1) = (x0 as usize, x1 as usize);
        let (b0, b1) = (x0 / 8, (x1 - 1) / 8);
        let head = 0xFFu8 >> (x0 % 8);
        let tail = 0xFFu8 << (7 - (x1 - 1) % 8);
        if b0 == b1 {
            row[b0] |= head & tail;
        } else {
            row[b0] |= head;
            row[b0 + 1..b1].fill(0xFF);
            row[b1] |= tail;
        }
    }

    /// Blackens dots of a span where the tint's dither pattern says so.
    fn tint_span(&mut self, y: i32, x0: i32, x1: i32, level: u8) {
        let (w, h) = (self.bitmap.width as i32, self.bitmap.height as i32);
        if y < 0 || y >= h {
            return;
        }
        let bayer = &BAYER[y as usize % 8];
        for x in x0.max(0)..x1.min(w) {
            if bayer[x as usize % 8] < level {
                self.bitmap.set(x as usize, y as usize);
            }
        }
    }

    /// Blackens the hatch's columns that fall in a span.
    fn hatch_span(&mut self, y: i32, x0: i32, x1: i32, pitch: u8, width: u8) {
        let (pitch, width) = (i32::from(pitch.max(1)), i32::from(width));
        let mut x = x0 - x0.rem_euclid(pitch);
        while x < x1 {
            self.span(y, x.max(x0), (x + width).min(x1));
            x += pitch;
        }
    }

    /// Stamps a mask at an offset.
    pub fn stamp(&mut self, mask: &Mask, dx: i32, dy: i32, ink: Ink) {
        for &(y, x0, x1) in &mask.spans {
            let (y, x0, x1) = (y + dy, x0 + dx, x1 + dx);
            match ink {
                Ink::Solid => self.span(y, x0, x1),
                Ink::Bold(extra) => {
                    let extra = i32::from(extra);
                    for k in 0..=extra.min(2) {
                        self.span(y + k, x0, x1 + extra);
                    }
                }
                Ink::Tint(level) => self.tint_span(y, x0, x1, level),
                Ink::Hatch { pitch, width } => self.hatch_span(y, x0, x1, pitch, width),
            }
        }
    }
}

/// What a layout draws on, in dots with y down: the printer's 1-bit page,
/// or anything else that wants the same layout (a PDF of it, to compare
/// with the usual print pipeline).
pub trait Surface {
    /// Width and height in dots.
    fn size(&self) -> (i32, i32);
    /// Draws a text run with its baseline starting at `origin`, rotated by
    /// `angle` radians counter-clockwise about it.
    fn text_at(&mut self, text: Text<'_>, origin: (f32, f32), angle: f32, ink: Ink);
    /// Fills a rectangle.
    fn fill(&mut self, x: i32, y: i32, w: i32, h: i32);
    /// A ring centred on (cx, cy), outer radius `r`, `t` thick.
    fn ring(&mut self, cx: i32, cy: i32, r: i32, t: i32);
    /// Fills a polygon.
    fn polygon(&mut self, corners: &[(f32, f32)]);
    /// A QR code with a 4-module quiet zone at (x, y); returns its side.
    fn qr(&mut self, code: &qrcode::QrCode, x: i32, y: i32, module: i32) -> i32;
    /// A grayscale photo scaled into `w` × `h` dots at (x, y).
    fn photo(&mut self, photo: &Photo, x: i32, y: i32, w: usize, h: usize);

    /// Draws text with its baseline starting at (x, y).
    fn text(&mut self, text: Text<'_>, x: f32, y: f32, ink: Ink) {
        self.text_at(text, (x, y), 0.0, ink);
    }

    /// Draws text centred on `cx`.
    fn text_centred(&mut self, text: Text<'_>, cx: f32, y: f32, ink: Ink) {
        self.text(text, cx - text.width() / 2.0, y, ink);
    }

    /// Draws text ending at `right`.
    fn text_right(&mut self, text: Text<'_>, right: f32, y: f32, ink: Ink) {
        self.text(text, right - text.width(), y, ink);
    }

    /// A rectangle's outline, `t` dots thick, inside its bounds.
    fn frame(&mut self, x: i32, y: i32, w: i32, h: i32, t: i32) {
        self.fill(x, y, w, t);
        self.fill(x, y + h - t, w, t);
        self.fill(x, y, t, h);
        self.fill(x + w - t, y, t, h);
    }
}

impl Surface for Page {
    fn size(&self) -> (i32, i32) {
        (self.bitmap.width as i32, self.bitmap.height as i32)
    }

    fn text_at(&mut self, text: Text<'_>, origin: (f32, f32), angle: f32, ink: Ink) {
        let mask = text.mask(origin, angle);
        self.stamp(&mask, 0, 0, ink);
    }

    /// Fills a rectangle.
    fn fill(&mut self, x: i32, y: i32, w: i32, h: i32) {
        for row in y..y + h {
            self.span(row, x, x + w);
        }
    }

    /// Draws a ring centred on (cx, cy) with outer radius `r`, `t` thick.
    fn ring(&mut self, cx: i32, cy: i32, r: i32, t: i32) {
        let (ro, ri) = (r * r, (r - t).max(0).pow(2));
        for dy in -r..=r {
            let yy = dy * dy;
            let outer = ((ro - yy) as f32).sqrt() as i32;
            if yy >= ri {
                self.span(cy + dy, cx - outer, cx + outer + 1);
            } else {
                let inner = ((ri - yy) as f32).sqrt() as i32;
                self.span(cy + dy, cx - outer, cx - inner);
                self.span(cy + dy, cx + inner + 1, cx + outer + 1);
            }
        }
    }

    /// Fills a polygon (even-odd) given its corners.
    fn polygon(&mut self, corners: &[(f32, f32)]) {
        let Some(top) = corners.iter().map(|p| p.1).reduce(f32::min) else {
            return;
        };
        let bottom = corners.iter().map(|p| p.1).fold(top, f32::max);
        for y in top.floor() as i32..=bottom.ceil() as i32 {
            let yc = y as f32 + 0.5;
            let mut xs: Vec<f32> = Vec::new();
            for (i, a) in corners.iter().enumerate() {
                let b = corners[(i + 1) % corners.len()];
                if (a.1 <= yc) != (b.1 <= yc) {
                    xs.push(a.0 + (yc - a.1) / (b.1 - a.1) * (b.0 - a.0));
                }
            }
            xs.sort_by(f32::total_cmp);
            for pair in xs.chunks_exact(2) {
                self.span(y, pair[0].round() as i32, pair[1].round() as i32);
            }
        }
    }

    /// Draws a QR code with its top-left module at (x, y), `module` dots
    /// per module, and a quiet zone of 4 modules painted white around it.
    /// Returns the side in dots including the quiet zone.
    fn qr(&mut self, code: &qrcode::QrCode, x: i32, y: i32, module: i32) -> i32 {
        let n = code.width() as i32;
        let colors = code.to_colors();
        for my in 0..n {
            let mut mx = 0;
            while mx < n {
                if colors[(my * n + mx) as usize] == qrcode::Color::Dark {
                    let start = mx;
                    while mx < n && colors[(my * n + mx) as usize] == qrcode::Color::Dark {
                        mx += 1;
                    }
                    for row in 0..module {
                        self.span(
                            y + (my + 4) * module + row,
                            x + (start + 4) * module,
                            x + (mx + 4) * module,
                        );
                    }
                } else {
                    mx += 1;
                }
            }
        }
        (n + 8) * module
    }

    /// Dithered by error diffusion in cells of `self.photo_cell` dots.
    fn photo(&mut self, photo: &Photo, x: i32, y: i32, w: usize, h: usize) {
        let (gray, src_w) = (photo.gray.as_slice(), photo.width);
        let cell = self.photo_cell.max(1);
        let (cw, ch) = (w / cell, h / cell);
        let src_h = gray.len() / src_w.max(1);
        if src_w == 0 || src_h == 0 || cw == 0 || ch == 0 {
            return;
        }
        let (w, h) = (cw, ch);
        // Nearest-neighbour scale into a working row buffer with error
        // carried to the next row (Floyd–Steinberg, serpentine-free).
        let mut current = vec![0f32; w + 2];
        let mut next = vec![0f32; w + 2];
        for row in 0..h {
            let sy = row * src_h / h;
            for col in 0..w {
                let sx = col * src_w / w;
                // Levels: near-white backgrounds print as paper, near-black
                // as solid, the rest stretched between (less toner noise,
                // fewer bytes, more contrast on a laser printer).
                let v = (f32::from(gray[sy * src_w + sx]) - 16.0) * 255.0 / (228.0 - 16.0);
                current[col + 1] += v.clamp(0.0, 255.0);
            }
            for col in 0..w {
                let old = current[col + 1];
                let black = old < 128.0;
                let error = old - if black { 0.0 } else { 255.0 };
                if black {
                    let (px, py) = (x + (col * cell) as i32, y + (row * cell) as i32);
                    for dy in 0..cell as i32 {
                        self.span(py + dy, px, px + cell as i32);
                    }
                }
                current[col + 2] += error * 7.0 / 16.0;
                next[col] += error * 3.0 / 16.0;
                next[col + 1] += error * 5.0 / 16.0;
                next[col + 2] += error / 16.0;
            }
            std::mem::swap(&mut current, &mut next);
            next.fill(0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn black(page: &Page) -> usize {
        page.bitmap
            .data
            .iter()
            .map(|b| b.count_ones() as usize)
            .sum()
    }

    #[test]
    fn spans_fill_exactly_the_dots_asked_for() {
        let mut page = Page::new(40, 3);
        page.fill(3, 1, 20, 1);
        for x in 0..40 {
            assert_eq!(page.bitmap.get(x, 1), (3..23).contains(&x), "x={x}");
            assert!(!page.bitmap.get(x, 0) && !page.bitmap.get(x, 2));
        }
        // Clipped, never out of bounds.
        page.fill(-10, -5, 100, 100);
        assert_eq!(black(&page), 40 * 3);
    }

    #[test]
    fn text_is_solid_black_on_white_and_rotation_keeps_the_ink() {
        let text = Text {
            text: "仅供办事使用",
            px: 60.0,
        };
        let flat = text.mask((10.0, 80.0), 0.0);
        let (x0, y0, x1, y1) = flat.bounds().unwrap();
        assert!(x0 >= 9 && y0 >= 10 && y1 <= 100, "{x0} {y0} {x1} {y1}");
        assert!((x1 - x0) as f32 > text.width() * 0.9);
        let area = |m: &Mask| m.spans.iter().map(|s| (s.2 - s.1) as i64).sum::<i64>();
        let turned = text.mask((200.0, 400.0), std::f32::consts::FRAC_PI_6);
        let (a, b) = (area(&flat), area(&turned));
        assert!((a - b).abs() * 10 < a, "ink {a} vs {b} after rotation");
        // Turned counter-clockwise: the end of the run is higher up.
        let (_, ty0, tx1, ty1) = turned.bounds().unwrap();
        assert!((ty1 - ty0) as f32 > text.width() / 2.0 && tx1 > 200);
    }

    #[test]
    fn a_tint_inks_about_its_level() {
        let mut page = Page::new(64, 64);
        let square = Mask {
            spans: (0..64).map(|y| (y, 0, 64)).collect(),
        };
        page.stamp(&square, 0, 0, Ink::Tint(8));
        assert_eq!(black(&page), 64 * 64 * 8 / 64);
    }

    #[test]
    fn photos_keep_their_tones_after_dithering() {
        // A horizontal ramp from black to white.
        let ramp: Vec<u8> = (0..64).flat_map(|_| (0..=255u8).step_by(4)).collect();
        let mut page = Page::new(64, 64);
        page.photo_cell = 1;
        let ramp = Photo {
            width: 64,
            gray: ramp,
        };
        page.photo(&ramp, 0, 0, 64, 64);
        let dark: usize = (0..64).map(|y| usize::from(page.bitmap.get(4, y))).sum();
        let light: usize = (0..64).map(|y| usize::from(page.bitmap.get(60, y))).sum();
        let middle: usize = (0..64).map(|y| usize::from(page.bitmap.get(32, y))).sum();
        assert!(dark > 55 && light < 9 && (20..44).contains(&middle));
    }

    #[test]
    fn qr_modules_land_on_the_grid() {
        let code = qrcode::QrCode::new(b"T").unwrap();
        let mut page = Page::new(300, 300);
        let side = page.qr(&code, 0, 0, 10);
        assert_eq!(side, (21 + 8) * 10);
        // The finder pattern's corner module is dark, the quiet zone white.
        assert!(page.bitmap.get(45, 45));
        assert!(!page.bitmap.get(35, 35));
    }

    #[test]
    fn the_font_covers_chinese_and_reports_gaps() {
        assert!(covers("仅供办事使用，他用无效"));
        assert!(!covers("\u{10FFFD}"));
    }
}
