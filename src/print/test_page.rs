//! What staff print to check a printer: an A4 test page (frame to the
//! printable edge, rulers every centimetre, type sizes, tint steps, a QR
//! code, the terminal and time) and a test receipt in the receipt's own
//! layout. Neither carries any resident's data.

use tongban_laser::Bitmap;
use tongban_laser::pcl::A4_300;

use super::raster::{Ink, Page, Surface, Text};
use super::receipt::ReceiptData;

/// Dots per centimetre at 300 dpi.
const CM: f32 = 300.0 / 2.54;
/// The margin a laser printer cannot print in (about 4 mm).
const EDGE: i32 = 48;

/// The A4 test page at 300 dpi.
pub fn a4(terminal: &str, at: &str) -> Result<Bitmap, String> {
    let (w, h) = A4_300;
    let mut page = Page::new(w, h);
    let (w, h) = (w as i32, h as i32);
    page.frame(EDGE, EDGE, w - 2 * EDGE, h - 2 * EDGE, 4);
    // Rulers along the top and left edges: a tick every centimetre, longer
    // every five.
    let mut n = 0;
    loop {
        let x = EDGE + (n as f32 * CM).round() as i32;
        if x > w - EDGE {
            break;
        }
        let long = if n % 5 == 0 { 60 } else { 30 };
        page.fill(x, EDGE, 3, long);
        page.fill(EDGE, x.min(h - EDGE), long, 3);
        n += 1;
    }
    let cx = w as f32 / 2.0;
    page.text_centred(
        Text {
            text: "打印测试页",
            px: 140.0,
        },
        cx,
        420.0,
        Ink::Bold(3),
    );
    page.text_centred(
        Text {
            text: "Printer test page",
            px: 64.0,
        },
        cx,
        520.0,
        Ink::Solid,
    );
    let terminal_line = format!("终端 Terminal {terminal}");
    let time_line = format!("时间 Time {at}");
    for (i, line) in [terminal_line.as_str(), time_line.as_str()]
        .iter()
        .enumerate()
    {
        page.text(
            Text {
                text: line,
                px: 52.0,
            },
            300.0,
            700.0 + 80.0 * i as f32,
            Ink::Solid,
        );
    }
    // Type sizes: the smallest the licence copies use and up.
    let mut y = 1000.0;
    for px in [28.0, 36.0, 48.0, 64.0, 96.0] {
        let line = format!("{px:.0} 点 dots  政务服务 一网通办 ABCabc 0123456789");
        page.text(Text { text: &line, px }, 300.0, y, Ink::Solid);
        y += px * 1.6;
    }
    // Tint steps, as the licence backgrounds and seals use them.
    let steps = [8u8, 16, 24, 32, 40, 48, 56, 64];
    let box_w = (w - 600) / steps.len() as i32;
    for (i, level) in steps.iter().enumerate() {
        let x = 300 + i as i32 * box_w;
        let mask = super::raster::Mask {
            spans: (0..260).map(|dy| (1700 + dy, x, x + box_w - 20)).collect(),
        };
        page.stamp(&mask, 0, 0, Ink::Tint(*level));
        page.frame(x, 1700, box_w - 20, 260, 2);
    }
    // Lines of every weight the layouts draw.
    for (i, t) in [1, 2, 3, 5, 8].iter().enumerate() {
        page.fill(300, 2100 + i as i32 * 60, w - 600, *t);
    }
    let code = qrcode::QrCode::new(format!("TONGBAN-TEST {terminal} {at}").as_bytes())
        .map_err(|e| e.to_string())?;
    let side = page.qr(&code, 300, 2500, 12);
    page.text(
        Text {
            text: "扫码应读出终端号和时间 The code reads the terminal and time",
            px: 40.0,
        },
        (300 + side + 60) as f32,
        2500.0 + side as f32 / 2.0,
        Ink::Solid,
    );
    page.text_centred(
        Text {
            text: "本页不含任何个人信息 This page holds no personal data",
            px: 40.0,
        },
        cx,
        (h - 200) as f32,
        Ink::Solid,
    );
    Ok(page.bitmap)
}

/// The test receipt: the receipt's layout with test words.
pub fn receipt(terminal: &str, at: &str) -> ReceiptData {
    ReceiptData {
        heading: "一网通办 · 打印测试".into(),
        service: "凭条打印机自检 Receipt printer test".into(),
        item: "测试凭条 Test receipt".into(),
        application: "TEST".into(),
        time: at.into(),
        terminal: terminal.into(),
        masked_name: "—".into(),
        progress_url: format!("TONGBAN-TEST {terminal}"),
        qr_caption: "扫码应读出终端号 The code reads the terminal".into(),
        labels: [
            "服务".into(),
            "事项".into(),
            "编号".into(),
            "时间".into(),
            "终端".into(),
            "办理人".into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_page_is_a4_with_ink_on_it_and_the_receipt_composes() {
        let page = a4("SH-PD-0001-01", "2026-12-03 14:03:00").expect("page");
        assert_eq!((page.width, page.height), A4_300);
        let black: u32 = page.data.iter().map(|b| b.count_ones()).sum();
        // Ink, but a small part of the page (a test page must not drain
        // the toner).
        let all = (page.width * page.height) as u32;
        assert!(black > all / 200 && black < all / 5, "{black} of {all}");
        let composed =
            super::super::receipt::compose(&receipt("SH-PD-0001-01", "2026-12-03 14:03"))
                .expect("receipt");
        assert!(composed.length_mm > 40);
    }
}
