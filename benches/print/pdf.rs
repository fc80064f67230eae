//! The same licence layout drawn as a vector PDF — text in the bundled font
//! (embedded, only the glyphs used), lines, the seal, the QR code as
//! rectangles, the photo as an 8-bit image, the watermark as light gray
//! rotated text — which is what the usual pipeline receives and hands to
//! Ghostscript to turn into PCL. It exists to measure that pipeline beside
//! the kiosk's own.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use ab_glyph::{Font, ScaleFont};
use tongban::print::raster::{Ink, Surface, Text, font};

/// A4 in dots at 300 dpi, drawn on a page of 595.28 × 841.89 points.
pub struct PdfSurface {
    content: String,
    glyphs: BTreeMap<u16, f32>,
    photo: Option<(usize, usize, Vec<u8>)>,
}

impl PdfSurface {
    pub fn new() -> Self {
        Self {
            // Dots, y down: 0.24 pt per dot, origin at the top left.
            content: "0.24 0 0 -0.24 0 841.89 cm\n".into(),
            glyphs: BTreeMap::new(),
            photo: None,
        }
    }

    fn ink(&mut self, ink: Ink) {
        match ink {
            Ink::Solid => self.content.push_str("0 g 0 Tr\n"),
            Ink::Bold(n) => {
                let _ = writeln!(self.content, "0 g 0 G {n} w 2 Tr");
            }
            Ink::Tint(level) => {
                let _ = writeln!(self.content, "{:.3} g 0 Tr", 1.0 - f32::from(level) / 64.0);
            }
            Ink::Hatch { .. } => self.content.push_str("0.85 g 0 Tr\n"),
        }
    }

    /// The finished PDF file.
    pub fn finish(self) -> Vec<u8> {
        let font = font();
        let upem = font.units_per_em().unwrap_or(1000.0);
        let scale = 1000.0 / upem;
        let mut objects: Vec<Vec<u8>> = Vec::new();
        let deflate = |data: &[u8]| {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        };
        let stream = |dict: String, data: Vec<u8>| {
            let mut o = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
            o.extend_from_slice(&data);
            o.extend_from_slice(b"\nendstream");
            o
        };
        // 1 catalog, 2 pages, 3 page, 4 content, 5 font, 6 cid font,
        // 7 descriptor, 8 font file, 9 photo.
        objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        objects.push(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec());
        let xobject = if self.photo.is_some() {
            "/XObject << /Im1 9 0 R >>"
        } else {
            ""
        };
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents 4 0 R \
                 /Resources << /Font << /F1 5 0 R >> {xobject} >> >>"
            )
            .into_bytes(),
        );
        objects.push(stream(
            "/Filter /FlateDecode".into(),
            deflate(self.content.as_bytes()),
        ));
        objects.push(
            b"<< /Type /Font /Subtype /Type0 /BaseFont /TongbanSansSC /Encoding /Identity-H \
              /DescendantFonts [6 0 R] >>"
                .to_vec(),
        );
        let mut widths = String::new();
        for (gid, w) in &self.glyphs {
            let _ = write!(widths, "{gid} [{:.0}] ", w * scale);
        }
        objects.push(
            format!(
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TongbanSansSC \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                 /FontDescriptor 7 0 R /CIDToGIDMap /Identity /DW 1000 /W [{widths}] >>"
            )
            .into_bytes(),
        );
        objects.push(
            format!(
                "<< /Type /FontDescriptor /FontName /TongbanSansSC /Flags 4 \
                 /FontBBox [-1000 -300 2000 1200] /ItalicAngle 0 /Ascent {:.0} /Descent {:.0} \
                 /CapHeight 733 /StemV 80 /FontFile2 8 0 R >>",
                font.ascent_unscaled() * scale,
                font.descent_unscaled() * scale
            )
            .into_bytes(),
        );
        let used: Vec<u16> = self.glyphs.keys().copied().collect();
        let subset = subset_truetype(font.font_data(), &used);
        objects.push(stream(
            format!("/Filter /FlateDecode /Length1 {}", subset.len()),
            deflate(&subset),
        ));
        if let Some((w, h, gray)) = &self.photo {
            objects.push(stream(
                format!(
                    "/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray \
                     /BitsPerComponent 8 /Filter /FlateDecode"
                ),
                deflate(gray),
            ));
        }
        let mut out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}

impl Surface for PdfSurface {
    fn size(&self) -> (i32, i32) {
        (2480, 3508)
    }

    fn text_at(&mut self, text: Text<'_>, origin: (f32, f32), angle: f32, ink: Ink) {
        let font = font();
        let scaled = font.as_scaled(text.px);
        let em = scaled.h_scale_factor() * font.units_per_em().unwrap_or(1000.0);
        let mut hex = String::new();
        for c in text.text.chars() {
            let id = font.glyph_id(c);
            self.glyphs.insert(id.0, font.h_advance_unscaled(id));
            let _ = write!(hex, "{:04X}", id.0);
        }
        self.ink(ink);
        let (sin, cos) = angle.sin_cos();
        let _ = writeln!(
            self.content,
            "BT /F1 1 Tf {:.4} {:.4} {:.4} {:.4} {:.2} {:.2} Tm <{hex}> Tj ET",
            em * cos,
            -em * sin,
            -em * sin,
            -em * cos,
            origin.0,
            origin.1
        );
    }

    fn fill(&mut self, x: i32, y: i32, w: i32, h: i32) {
        let _ = writeln!(self.content, "0 g {x} {y} {w} {h} re f");
    }

    fn ring(&mut self, cx: i32, cy: i32, r: i32, t: i32) {
        self.content.push_str("0 g\n");
        for radius in [r as f32, (r - t) as f32] {
            circle(&mut self.content, cx as f32, cy as f32, radius);
        }
        self.content.push_str("f*\n");
    }

    fn polygon(&mut self, corners: &[(f32, f32)]) {
        self.content.push_str("0 g ");
        for (i, (x, y)) in corners.iter().enumerate() {
            let _ = write!(
                self.content,
                "{x:.1} {y:.1} {} ",
                if i == 0 { "m" } else { "l" }
            );
        }
        self.content.push_str("h f\n");
    }

    fn qr(&mut self, code: &qrcode::QrCode, x: i32, y: i32, module: i32) -> i32 {
        let n = code.width() as i32;
        let colors = code.to_colors();
        self.content.push_str("0 g\n");
        for my in 0..n {
            for mx in 0..n {
                if colors[(my * n + mx) as usize] == qrcode::Color::Dark {
                    let _ = writeln!(
                        self.content,
                        "{} {} {module} {module} re",
                        x + (mx + 4) * module,
                        y + (my + 4) * module
                    );
                }
            }
        }
        self.content.push_str("f\n");
        (n + 8) * module
    }

    fn photo(&mut self, photo: &tongban::print::raster::Photo, x: i32, y: i32, w: usize, h: usize) {
        let (gray, src_w) = (&photo.gray, photo.width);
        let src_h = gray.len() / src_w.max(1);
        self.photo = Some((src_w, src_h, gray.to_vec()));
        let _ = writeln!(
            self.content,
            "q {w} 0 0 -{h} {x} {} cm /Im1 Do Q",
            y + h as i32
        );
    }
}

fn circle(out: &mut String, cx: f32, cy: f32, r: f32) {
    let k = 0.552_284_8 * r;
    let _ = writeln!(
        out,
        "{:.1} {cy:.1} m {:.1} {:.1} {:.1} {:.1} {cx:.1} {:.1} c {:.1} {:.1} {:.1} {:.1} {:.1} {cy:.1} c \
         {:.1} {:.1} {:.1} {:.1} {cx:.1} {:.1} c {:.1} {:.1} {:.1} {:.1} {:.1} {cy:.1} c h",
        cx + r,
        cx + r,
        cy + k,
        cx + k,
        cy + r,
        cy + r,
        cx - k,
        cy + r,
        cx - r,
        cy + k,
        cx - r,
        cx - r,
        cy - k,
        cx - k,
        cy - r,
        cy - r,
        cx + k,
        cy - r,
        cx + r,
        cy - k,
        cx + r,
    );
}

/// A TrueType font with every glyph but `keep` (and the components they
/// use) emptied, glyph ids unchanged, and the tables a PDF renderer does
/// not need dropped: how PDF writers embed a subset of a large CJK font.
pub fn subset_truetype(data: &[u8], keep: &[u16]) -> Vec<u8> {
    let be16 = |d: &[u8], o: usize| u16::from_be_bytes([d[o], d[o + 1]]);
    let be32 = |d: &[u8], o: usize| u32::from_be_bytes([d[o], d[o + 1], d[o + 2], d[o + 3]]);
    let count = usize::from(be16(data, 4));
    let mut tables: BTreeMap<[u8; 4], &[u8]> = BTreeMap::new();
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = data[rec..rec + 4].try_into().unwrap();
        let (off, len) = (be32(data, rec + 8) as usize, be32(data, rec + 12) as usize);
        tables.insert(tag, &data[off..off + len]);
    }
    let head = tables[b"head"];
    let long = be16(head, 50) == 1;
    let loca = tables[b"loca"];
    let glyf = tables[b"glyf"];
    let glyph_count = usize::from(be16(tables[b"maxp"], 4));
    let range = |g: usize| -> (usize, usize) {
        if long {
            (be32(loca, g * 4) as usize, be32(loca, g * 4 + 4) as usize)
        } else {
            (
                usize::from(be16(loca, g * 2)) * 2,
                usize::from(be16(loca, g * 2 + 2)) * 2,
            )
        }
    };
    // Glyph 0 (.notdef), the ones asked for, and composite components.
    let mut wanted: Vec<usize> = std::iter::once(0)
        .chain(keep.iter().map(|g| usize::from(*g)))
        .collect();
    let mut keep_set = std::collections::BTreeSet::new();
    while let Some(g) = wanted.pop() {
        if g >= glyph_count || !keep_set.insert(g) {
            continue;
        }
        let (a, b) = range(g);
        if b > a && (be16(glyf, a) as i16) < 0 {
            let mut p = a + 10;
            loop {
                let flags = be16(glyf, p);
                wanted.push(usize::from(be16(glyf, p + 2)));
                p += 4 + if flags & 1 != 0 { 4 } else { 2 };
                p += if flags & 8 != 0 {
                    2
                } else if flags & 0x40 != 0 {
                    4
                } else if flags & 0x80 != 0 {
                    8
                } else {
                    0
                };
                if flags & 0x20 == 0 {
                    break;
                }
            }
        }
    }
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity((glyph_count + 1) * 4);
    for g in 0..glyph_count {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if keep_set.contains(&g) {
            let (a, b) = range(g);
            new_glyf.extend_from_slice(&glyf[a..b]);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    let mut new_head = head.to_vec();
    new_head[50..52].copy_from_slice(&1u16.to_be_bytes());
    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = Vec::new();
    for (tag, body) in &tables {
        match tag {
            b"glyf" => out_tables.push((*tag, new_glyf.clone())),
            b"loca" => out_tables.push((*tag, new_loca.clone())),
            b"head" => out_tables.push((*tag, new_head.clone())),
            b"hhea" | b"hmtx" | b"maxp" | b"cvt " | b"fpgm" | b"prep" | b"OS/2" | b"post"
            | b"name" => out_tables.push((*tag, body.to_vec())),
            _ => {}
        }
    }
    let n = out_tables.len();
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&(n as u16).to_be_bytes());
    let pow = 1u16 << (15 - (n as u16).leading_zeros());
    out.extend_from_slice(&(pow * 16).to_be_bytes());
    out.extend_from_slice(&(pow.trailing_zeros() as u16).to_be_bytes());
    out.extend_from_slice(&((n as u16) * 16 - pow * 16).to_be_bytes());
    let mut offset = 12 + 16 * n;
    let mut body = Vec::new();
    for (tag, data) in &out_tables {
        out.extend_from_slice(tag);
        let sum = data
            .chunks(4)
            .map(|c| {
                let mut b = [0u8; 4];
                b[..c.len()].copy_from_slice(c);
                u32::from_be_bytes(b)
            })
            .fold(0u32, u32::wrapping_add);
        out.extend_from_slice(&sum.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        body.extend_from_slice(data);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        offset = 12 + 16 * n + body.len();
    }
    out.extend_from_slice(&body);
    out
}
