//! The printed copy of an electronic licence (证照打印件): composed at
//! 300 dpi on A4 from the licence type's template and the print ticket's
//! data, with the purpose watermark ("仅供……使用，他用无效" and the date)
//! across the page and a verification QR code plus code.

use serde::Deserialize;
use tongban_laser::Bitmap;
use tongban_laser::pcl::A4_300;

use super::raster::{Ink, Page, Surface, Text};

/// A licence type's print template.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// The licence type's code.
    pub code: String,
    /// Its name, printed as the title.
    pub name: String,
    /// Its English name, printed under the title.
    pub name_en: String,
    /// The issuing authority, printed with the seal (empty: from the data).
    pub issuer: String,
    /// Whether the licence carries the holder's photo.
    pub photo: bool,
    /// The fields, in print order.
    pub fields: Vec<FieldTemplate>,
}

/// One printed field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldTemplate {
    /// Key in the licence data.
    pub key: String,
    /// Label.
    pub label: String,
    /// English label (kept for the English preview).
    pub label_en: String,
}

/// The templates shipped with the kiosk (the platform's catalogue adds
/// the rest of the 622 types; a type without one prints with `generic`).
const BUNDLED: &[(&str, &str)] = &[
    (
        "marriage.toml",
        include_str!("../../assets/licences/marriage.toml"),
    ),
    (
        "business.toml",
        include_str!("../../assets/licences/business.toml"),
    ),
    (
        "residence.toml",
        include_str!("../../assets/licences/residence.toml"),
    ),
    (
        "generic.toml",
        include_str!("../../assets/licences/generic.toml"),
    ),
];

/// A template that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("licence template {file}: {reason}")]
pub struct TemplateError {
    /// The file.
    pub file: String,
    /// What is wrong, with the line.
    pub reason: String,
}

/// Parses one template file.
pub fn parse_template(file: &str, text: &str) -> Result<Template, TemplateError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start].matches('\n').count() + 1)
            .unwrap_or(0);
        TemplateError {
            file: file.to_owned(),
            reason: format!("line {line}: {}", e.message()),
        }
    })
}

/// The bundled templates.
pub fn bundled() -> Result<Vec<Template>, TemplateError> {
    BUNDLED
        .iter()
        .map(|(file, text)| parse_template(file, text))
        .collect()
}

/// The bundled template for a licence type, or the generic one.
pub fn template_for(code: &str) -> Template {
    static ALL: std::sync::OnceLock<Vec<Template>> = std::sync::OnceLock::new();
    let all = ALL.get_or_init(|| bundled().expect("bundled templates are tested to parse"));
    all.iter()
        .find(|t| t.code == code)
        .or_else(|| all.iter().find(|t| t.code == "generic"))
        .cloned()
        .expect("the generic template is bundled")
}

pub use super::raster::Photo;

/// Everything printed on one licence copy. It holds personal data: it
/// lives only as long as the print job and its `Debug` says nothing.
#[derive(Clone)]
pub struct LicenceCopy {
    /// The template.
    pub template: Template,
    /// Title when the template is the generic one.
    pub name: String,
    /// The licence's number.
    pub number: String,
    /// Field values by key, in the template's order; for the generic
    /// template, (label, value) pairs.
    pub fields: Vec<(String, String)>,
    /// The holder's photo, where the template has one.
    pub photo: Option<Photo>,
    /// Issuing authority when the template has none.
    pub issuer: String,
    /// Date of issue, as printed.
    pub issued: String,
    /// What the copy may be used for (the watermark: 仅供{purpose}使用).
    pub purpose: String,
    /// Date printed in the watermark and footer, e.g. 2026-11-24.
    pub date: String,
    /// Time printed in the footer, e.g. 14:03.
    pub time: String,
    /// The terminal printing it.
    pub terminal: String,
    /// Verification code printed beside the QR.
    pub verify_code: String,
    /// What the QR code holds (the platform's verification address).
    pub verify_url: String,
}

impl std::fmt::Debug for LicenceCopy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LicenceCopy({})", self.template.code)
    }
}

/// The watermark's sentence.
pub fn watermark_text(purpose: &str, date: &str) -> String {
    format!("仅供{purpose}使用，他用无效  {date}")
}

// Layout, in dots at 300 dpi (11.8 dots per millimetre).
const MARGIN: i32 = 140;
const LABEL_PX: f32 = 56.0;
const VALUE_PX: f32 = 56.0;
const ROW: i32 = 140;
const LINE: i32 = 76;
const PHOTO_W: i32 = 390;
const PHOTO_H: i32 = 520;

/// Composes the page for the printer: A4 at 300 dpi, 1 bit.
pub fn compose(copy: &LicenceCopy) -> Result<Bitmap, qrcode::types::QrError> {
    let (w, h) = A4_300;
    let mut page = Page::new(w, h);
    draw(copy, &mut page)?;
    Ok(page.bitmap)
}

/// Draws the licence copy on an A4 surface of 2480 × 3508 dots.
pub fn draw(copy: &LicenceCopy, page: &mut impl Surface) -> Result<(), qrcode::types::QrError> {
    // The watermark goes first; everything else is inked over it.
    watermark(page, &watermark_text(&copy.purpose, &copy.date));
    border(page);
    heading(copy, page);
    title(copy, page);
    fields(copy, page);
    photo(copy, page);
    issue(copy, page);
    verification(copy, page)?;
    footer(copy, page);
    Ok(())
}

/// The double frame around the page.
fn border(page: &mut impl Surface) {
    let (w, h) = page.size();
    page.frame(MARGIN, MARGIN, w - 2 * MARGIN, h - 2 * MARGIN, 8);
    page.frame(
        MARGIN + 22,
        MARGIN + 22,
        w - 2 * MARGIN - 44,
        h - 2 * MARGIN - 44,
        3,
    );
}

/// The line across the top: what the page is, and the licence's number.
fn heading(copy: &LicenceCopy, page: &mut impl Surface) {
    let (w, _) = page.size();
    let right = w - MARGIN;
    let small = |t| Text { text: t, px: 40.0 };
    page.text(
        small("电子证照打印件  Electronic licence copy"),
        (MARGIN + 80) as f32,
        (MARGIN + 110) as f32,
        Ink::Solid,
    );
    let number = format!("证照编号 No. {}", copy.number);
    page.text_right(
        small(&number),
        (right - 80) as f32,
        (MARGIN + 110) as f32,
        Ink::Solid,
    );
}

/// The licence type's name (the copy's own for the generic template), its
/// English name, and the rule under them.
fn title(copy: &LicenceCopy, page: &mut impl Surface) {
    let (w, _) = page.size();
    let cx = w as f32 / 2.0;
    let title = if copy.template.code == "generic" && !copy.name.is_empty() {
        copy.name.as_str()
    } else {
        copy.template.name.as_str()
    };
    page.text_centred(
        Text {
            text: title,
            px: 150.0,
        },
        cx,
        560.0,
        Ink::Bold(3),
    );
    if copy.template.code != "generic" {
        page.text_centred(
            Text {
                text: &copy.template.name_en,
                px: 52.0,
            },
            cx,
            650.0,
            Ink::Solid,
        );
    }
    page.fill(MARGIN + 80, 720, w - 2 * MARGIN - 160, 4);
}

/// Where the holder's photo goes: its top left corner.
fn photo_corner(page: &impl Surface) -> (i32, i32) {
    let (w, _) = page.size();
    let right = w - MARGIN;
    (right - 120 - PHOTO_W, 820)
}

/// The (label, value) rows in print order: the template's fields with the
/// copy's values, or the copy's own pairs for the generic template.
fn rows(copy: &LicenceCopy) -> Vec<(String, String)> {
    if copy.template.code == "generic" {
        copy.fields.clone()
    } else {
        copy.template
            .fields
            .iter()
            .map(|f| {
                let value = copy
                    .fields
                    .iter()
                    .find(|(k, _)| *k == f.key)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                (f.label.clone(), value)
            })
            .collect()
    }
}

/// The fields: label column, value column wrapped to its width; rows
/// beside the photo are narrower.
fn fields(copy: &LicenceCopy, page: &mut impl Surface) {
    let (w, _) = page.size();
    let right = w - MARGIN;
    let (photo_x, photo_y) = photo_corner(page);
    let label_x = MARGIN + 120;
    let value_x = label_x + 560;
    let mut y = 820;
    for (label, value) in &rows(copy) {
        let beside_photo = copy.template.photo && y < photo_y + PHOTO_H + 40;
        let limit = if beside_photo {
            photo_x - 60
        } else {
            right - 120
        };
        let lines = wrap(value, VALUE_PX, (limit - value_x) as f32);
        let baseline = y + 90;
        page.text(
            Text {
                text: label,
                px: LABEL_PX,
            },
            label_x as f32,
            baseline as f32,
            Ink::Bold(1),
        );
        for (i, line) in lines.iter().enumerate() {
            page.text(
                Text {
                    text: line,
                    px: VALUE_PX,
                },
                value_x as f32,
                (baseline + i as i32 * LINE) as f32,
                Ink::Solid,
            );
        }
        y += ROW + (lines.len().max(1) as i32 - 1) * LINE;
        page.fill(label_x, y - 24, limit - label_x, 2);
    }
}

/// The holder's photo in its frame, or words saying there is none, where
/// the template has a photo.
fn photo(copy: &LicenceCopy, page: &mut impl Surface) {
    if !copy.template.photo {
        return;
    }
    let (photo_x, photo_y) = photo_corner(page);
    page.frame(photo_x - 6, photo_y - 6, PHOTO_W + 12, PHOTO_H + 12, 3);
    match &copy.photo {
        Some(photo) => page.photo(photo, photo_x, photo_y, PHOTO_W as usize, PHOTO_H as usize),
        None => page.text_centred(
            Text {
                text: "无照片 No photo",
                px: 44.0,
            },
            (photo_x + PHOTO_W / 2) as f32,
            (photo_y + PHOTO_H / 2) as f32,
            Ink::Solid,
        ),
    }
}

/// Issuer, date of issue and the seal, bottom right.
fn issue(copy: &LicenceCopy, page: &mut impl Surface) {
    let (w, h) = page.size();
    let right = w - MARGIN;
    let issuer = if copy.template.issuer.is_empty() {
        copy.issuer.as_str()
    } else {
        copy.template.issuer.as_str()
    };
    let seal = (right - 480, h - MARGIN - 980);
    self::seal(page, seal, 230, issuer);
    page.text_right(
        Text {
            text: issuer,
            px: 64.0,
        },
        (right - 160) as f32,
        (seal.1 + 330) as f32,
        Ink::Bold(1),
    );
    let issued = format!("发证日期 {}", copy.issued);
    page.text_right(
        Text {
            text: &issued,
            px: 56.0,
        },
        (right - 160) as f32,
        (seal.1 + 420) as f32,
        Ink::Solid,
    );
}

/// Verification, bottom left: the QR code of the verification address,
/// the verification code beside it, and how to use them.
fn verification(copy: &LicenceCopy, page: &mut impl Surface) -> Result<(), qrcode::types::QrError> {
    let (_, h) = page.size();
    let code = qrcode::QrCode::with_error_correction_level(
        copy.verify_url.as_bytes(),
        qrcode::EcLevel::M,
    )?;
    let qr_y = h - MARGIN - 700;
    let side = page.qr(&code, MARGIN + 60, qr_y, 11);
    let tx = (MARGIN + 60 + side + 20) as f32;
    let code_line = format!("验证码 {}", copy.verify_code);
    page.text(
        Text {
            text: &code_line,
            px: 60.0,
        },
        tx,
        (qr_y + 170) as f32,
        Ink::Bold(1),
    );
    page.text(
        Text {
            text: "扫码或在“一网通办”输入验证码核验",
            px: 44.0,
        },
        tx,
        (qr_y + 260) as f32,
        Ink::Solid,
    );
    page.text(
        Text {
            text: "Scan or enter the code on 一网通办 to verify",
            px: 40.0,
        },
        tx,
        (qr_y + 330) as f32,
        Ink::Solid,
    );
    Ok(())
}

/// The footer: which terminal printed the copy, and when.
fn footer(copy: &LicenceCopy, page: &mut impl Surface) {
    let (w, h) = page.size();
    let cx = w as f32 / 2.0;
    let footer = format!(
        "本件由一网通办自助终端 {} 于 {} {} 打印，内容与电子证照一致",
        copy.terminal, copy.date, copy.time
    );
    page.text_centred(
        Text {
            text: &footer,
            px: 38.0,
        },
        cx,
        (h - MARGIN - 60) as f32,
        Ink::Solid,
    );
}

/// Splits `text` into lines no wider than `width` at `px`.
pub fn wrap(text: &str, px: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        let mut candidate = line.clone();
        candidate.push(c);
        let closing = "，。、；：）》」』”’！？,.;:)!?".contains(c);
        if !line.is_empty()
            && !closing
            && (Text {
                text: &candidate,
                px,
            })
            .width()
                > width
        {
            lines.push(std::mem::take(&mut line));
            line.push(c);
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The purpose watermark: one line at 30°, drawn
/// three times across the page as a light hatch.
fn watermark(page: &mut impl Surface, text: &str) {
    let run = Text { text, px: 140.0 };
    let angle = std::f32::consts::FRAC_PI_6;
    let Some((x0, y0, x1, y1)) = run.mask((0.0, 0.0), angle).bounds() else {
        return;
    };
    // Three lines across the page, centred on its upper, middle and lower
    // parts.
    let (w, h) = page.size();
    let (mw, mh) = (x1 - x0, y1 - y0);
    for centre in [h / 5, h / 2, h * 4 / 5] {
        let origin = ((w - mw) / 2 - x0, centre - mh / 2 - y0);
        page.text_at(
            run,
            (origin.0 as f32, origin.1 as f32),
            angle,
            Ink::Hatch { pitch: 6, width: 1 },
        );
    }
}

/// A round seal: a ring, a star, and the issuer's name along the top arc.
fn seal(page: &mut impl Surface, (cx, cy): (i32, i32), r: i32, issuer: &str) {
    page.ring(cx, cy, r, 14);
    let star: Vec<(f32, f32)> = (0..10)
        .map(|i| {
            let a = std::f32::consts::PI * i as f32 / 5.0;
            let rr = if i % 2 == 0 { 80.0 } else { 32.0 };
            (cx as f32 + rr * a.sin(), cy as f32 - rr * a.cos())
        })
        .collect();
    page.polygon(&star);
    let chars: Vec<char> = issuer.chars().collect();
    if chars.is_empty() {
        return;
    }
    let px = 62.0;
    let baseline_r = (r - 24) as f32 - Text { text: "国", px }.ascent();
    let spread = (200.0f32).to_radians().min(chars.len() as f32 * 0.42);
    for (i, c) in chars.iter().enumerate() {
        let phi = if chars.len() == 1 {
            0.0
        } else {
            -spread / 2.0 + spread * i as f32 / (chars.len() - 1) as f32
        };
        let s = c.to_string();
        let glyph = Text { text: &s, px };
        let half = glyph.width() / 2.0;
        // On the baseline circle, then back half a glyph along the tangent.
        let (sin, cos) = phi.sin_cos();
        let origin = (
            cx as f32 + baseline_r * sin - half * cos,
            cy as f32 - baseline_r * cos - half * sin,
        );
        page.text_at(glyph, origin, -phi, Ink::Bold(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_templates_parse_and_a_typo_is_named_with_its_line() {
        let all = bundled().unwrap();
        assert!(all.iter().any(|t| t.code == "generic"));
        assert_eq!(template_for("no-such-type").code, "generic");
        assert_eq!(template_for("marriage").name, "结婚证");
        let err = parse_template(
            "x.toml",
            "code = \"x\"\nname = \"x\"\nname_en = \"x\"\nissuer = \"\"\nphoto = false\nfeilds = []\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("x.toml: line 6"), "{err}");
        assert!(err.to_string().contains("feilds"), "{err}");
    }

    #[test]
    fn long_values_wrap_within_the_column() {
        let one = (Text {
            text: "一",
            px: 62.0,
        })
        .width();
        let lines = wrap("一二三四五六七八九十一二三四五六七八九十", 62.0, one * 8.5);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.chars().count() <= 8));
        assert!(wrap("", 62.0, 100.0).is_empty());
    }

    #[test]
    fn the_watermark_names_the_purpose_and_date() {
        assert_eq!(
            watermark_text("办理居住证", "2026-11-24"),
            "仅供办理居住证使用，他用无效  2026-11-24"
        );
    }
}
