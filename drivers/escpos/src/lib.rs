//! The thermal receipt printer's language (ESC/POS) without I/O: a receipt
//! builder (GBK double-byte text, alignment, emphasis, size, QR codes,
//! raster images, feed and cut) and the status it reports through real-time
//! status requests (`DLE EOT n`) and automatic status back (`GS a`), mapped
//! to the device vocabulary. The serial transport is behind the `serial`
//! feature.
//!
//! The maintained `escpos` crate (0.20) was evaluated first: it has QR,
//! raster images, `DLE EOT` parsing and serial/USB drivers, but no Chinese
//! double-byte mode (`FS &` / `FS .`), no automatic status back, and no way
//! to rasterise characters the printer cannot encode. Those are most of what
//! a Chinese kiosk needs, so this crate is small and complete instead.

use tongban_device::{CoverState, DeviceKind, DeviceState, DeviceStatus, MediaState};

#[cfg(feature = "serial")]
pub mod serial;

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const FS: u8 = 0x1C;
const DLE: u8 = 0x10;
const EOT: u8 = 0x04;

/// Horizontal alignment (`ESC a n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left.
    Left,
    /// Centred.
    Center,
    /// Right.
    Right,
}

/// How the paper is cut (`GS V`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Full cut, `1D 56 00`.
    Full,
    /// Partial cut, `1D 56 01` (what many Chinese printers do).
    Partial,
    /// Feed `n` dots then partial cut, `1D 56 41 n`.
    FeedPartial(u8),
}

/// QR error correction level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrEc {
    /// About 7 %.
    L,
    /// About 15 %.
    M,
    /// About 25 %.
    Q,
    /// About 30 %.
    H,
}

/// What cannot be turned into ESC/POS, or a reply that is not ESC/POS.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EscPosError {
    /// Characters outside GBK: the caller rasterises the line instead.
    #[error("characters GBK cannot encode: {chars:?}")]
    Unencodable {
        /// Each character that cannot be encoded, once.
        chars: Vec<char>,
    },
    /// QR data longer than `GS ( k` can carry.
    #[error("QR data of {0} bytes is too long")]
    QrTooLong(usize),
    /// QR module size outside 1..=16.
    #[error("QR module size {0} is outside 1..=16")]
    BadModule(u8),
    /// A raster image whose size does not match its data.
    #[error("bad raster image: {0}")]
    BadRaster(String),
    /// A status byte without the fixed bits `0xx1xx10`.
    #[error("status byte {0:#04x} is not an ESC/POS status")]
    BadStatus(u8),
    /// A status request other than n = 1..=4.
    #[error("no status request {0}")]
    BadRequest(u8),
}

/// Encodes text as GBK (ASCII single bytes, Chinese two bytes). `Err`
/// lists every character GBK cannot encode (each once, in order).
pub fn encode_gbk(text: &str) -> Result<Vec<u8>, Vec<char>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bad: Vec<char> = Vec::new();
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
        // GBK here means the two-byte part of GB 18030: no four-byte
        // sequences (encoding_rs's GBK encoder never makes them; it
        // replaces with an HTML entity instead).
        if unmappable || bytes.len() != 2 {
            if !bad.contains(&c) {
                bad.push(c);
            }
        } else {
            out.extend_from_slice(&bytes);
        }
    }
    if bad.is_empty() { Ok(out) } else { Err(bad) }
}

/// A receipt being built. Starts with `ESC @` (initialise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    bytes: Vec<u8>,
}

impl Default for Receipt {
    fn default() -> Self {
        Self::new()
    }
}

impl Receipt {
    /// A new receipt: `ESC @`.
    pub fn new() -> Self {
        Self {
            bytes: vec![ESC, b'@'],
        }
    }

    /// `ESC a n`.
    pub fn align(&mut self, a: Align) -> &mut Self {
        let n = match a {
            Align::Left => 0,
            Align::Center => 1,
            Align::Right => 2,
        };
        self.bytes.extend_from_slice(&[ESC, b'a', n]);
        self
    }

    /// `ESC E n`.
    pub fn bold(&mut self, on: bool) -> &mut Self {
        self.bytes.extend_from_slice(&[ESC, b'E', u8::from(on)]);
        self
    }

    /// `GS ! n`: width and height multipliers, each 1..=8 (clamped).
    pub fn size(&mut self, width: u8, height: u8) -> &mut Self {
        let w = width.clamp(1, 8) - 1;
        let h = height.clamp(1, 8) - 1;
        self.bytes.extend_from_slice(&[GS, b'!', (w << 4) | h]);
        self
    }

    /// Text without a line feed. Non-ASCII text goes in Chinese
    /// double-byte mode: `FS &`, GBK bytes, `FS .`.
    pub fn text(&mut self, s: &str) -> Result<&mut Self, EscPosError> {
        let encoded = encode_gbk(s).map_err(|chars| EscPosError::Unencodable { chars })?;
        if s.is_ascii() {
            self.bytes.extend_from_slice(&encoded);
        } else {
            self.bytes.extend_from_slice(&[FS, b'&']);
            self.bytes.extend_from_slice(&encoded);
            self.bytes.extend_from_slice(&[FS, b'.']);
        }
        Ok(self)
    }

    /// Text and a line feed.
    pub fn line(&mut self, s: &str) -> Result<&mut Self, EscPosError> {
        self.text(s)?;
        self.bytes.push(b'\n');
        Ok(self)
    }

    /// `ESC d n`: feed `lines` lines.
    pub fn feed(&mut self, lines: u8) -> &mut Self {
        self.bytes.extend_from_slice(&[ESC, b'd', lines]);
        self
    }

    /// A QR code (model 2): module size, error correction, store the data,
    /// print it — `GS ( k` with function 165/167/169/180/181.
    pub fn qr(&mut self, data: &[u8], module: u8, ec: QrEc) -> Result<&mut Self, EscPosError> {
        if !(1..=16).contains(&module) {
            return Err(EscPosError::BadModule(module));
        }
        // pL pH count the 3 bytes `31 50 30` plus the data.
        let stored = data.len() + 3;
        if stored > 7092 {
            return Err(EscPosError::QrTooLong(data.len()));
        }
        let ec = match ec {
            QrEc::L => 48,
            QrEc::M => 49,
            QrEc::Q => 50,
            QrEc::H => 51,
        };
        let k = [GS, b'(', b'k'];
        self.bytes.extend_from_slice(&k);
        self.bytes
            .extend_from_slice(&[0x04, 0x00, 0x31, 0x41, 0x32, 0x00]);
        self.bytes.extend_from_slice(&k);
        self.bytes
            .extend_from_slice(&[0x03, 0x00, 0x31, 0x43, module]);
        self.bytes.extend_from_slice(&k);
        self.bytes.extend_from_slice(&[0x03, 0x00, 0x31, 0x45, ec]);
        self.bytes.extend_from_slice(&k);
        self.bytes.extend_from_slice(&[
            (stored & 0xFF) as u8,
            (stored >> 8) as u8,
            0x31,
            0x50,
            0x30,
        ]);
        self.bytes.extend_from_slice(data);
        self.bytes.extend_from_slice(&k);
        self.bytes
            .extend_from_slice(&[0x03, 0x00, 0x31, 0x51, 0x30]);
        Ok(self)
    }

    /// A 1-bit raster image, `GS v 0 0 xL xH yL yH data`: rows packed most
    /// significant bit first, `width_bytes` bytes per row, 1 = black.
    pub fn raster(
        &mut self,
        width_bytes: u16,
        height: u16,
        data: &[u8],
    ) -> Result<&mut Self, EscPosError> {
        let expected = usize::from(width_bytes) * usize::from(height);
        if width_bytes == 0 || height == 0 || data.len() != expected {
            return Err(EscPosError::BadRaster(format!(
                "{width_bytes} bytes × {height} rows needs {expected} bytes, got {}",
                data.len()
            )));
        }
        let [xl, xh] = width_bytes.to_le_bytes();
        let [yl, yh] = height.to_le_bytes();
        self.bytes
            .extend_from_slice(&[GS, b'v', b'0', 0, xl, xh, yl, yh]);
        self.bytes.extend_from_slice(data);
        Ok(self)
    }

    /// Cuts the paper.
    pub fn cut(&mut self, cut: Cut) -> &mut Self {
        match cut {
            Cut::Full => self.bytes.extend_from_slice(&[GS, b'V', 0x00]),
            Cut::Partial => self.bytes.extend_from_slice(&[GS, b'V', 0x01]),
            Cut::FeedPartial(n) => self.bytes.extend_from_slice(&[GS, b'V', 0x41, n]),
        }
        self
    }

    /// The bytes so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The finished bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// `DLE EOT n`: real-time status request n (1 printer, 2 offline cause, 3
/// error cause, 4 roll paper sensor).
pub fn status_request(n: u8) -> [u8; 3] {
    [DLE, EOT, n]
}

/// `GS a n` turning on automatic status back for drawer/online, error and
/// roll paper sensor changes (bits 1, 2 and 3; bits 0 drawer and 5 panel
/// left out).
pub fn enable_asb() -> [u8; 3] {
    [GS, b'a', 0b0000_1110]
}

/// What the printer says about itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrinterStatus {
    /// Offline (cover open, paper end or an error).
    pub offline: bool,
    /// The cover is open.
    pub cover_open: bool,
    /// The roll is nearly used up.
    pub paper_near_end: bool,
    /// The roll has run out.
    pub paper_end: bool,
    /// The autocutter failed.
    pub cutter_error: bool,
    /// An error that needs the power cycled.
    pub unrecoverable: bool,
    /// An error that clears by itself (print head too hot).
    pub auto_recoverable: bool,
}

impl PrinterStatus {
    /// The status in the device vocabulary.
    pub fn device_status(&self) -> DeviceStatus {
        let media = if self.paper_end {
            MediaState::Out
        } else if self.paper_near_end {
            MediaState::Low
        } else {
            MediaState::Full
        };
        let state = if self.cutter_error || self.unrecoverable {
            DeviceState::HardwareError
        } else if self.paper_end || self.cover_open {
            DeviceState::UserError
        } else if self.auto_recoverable {
            DeviceState::Busy
        } else if self.offline {
            DeviceState::Offline
        } else {
            DeviceState::Online
        };
        DeviceStatus {
            kind: DeviceKind::ReceiptPrinter,
            state,
            media: Some(media),
            toner: None,
            cover: Some(if self.cover_open {
                CoverState::Open
            } else {
                CoverState::Closed
            }),
        }
    }
}

fn check(byte: u8) -> Result<u8, EscPosError> {
    // Every real-time status byte reads 0xx1xx10.
    if byte & 0b1001_0011 == 0b0001_0010 {
        Ok(byte)
    } else {
        Err(EscPosError::BadStatus(byte))
    }
}

/// Applies the reply byte to request `n` to a status, so that a poll of
/// n = 1..=4 builds the whole status.
pub fn apply_status_byte(status: &mut PrinterStatus, n: u8, byte: u8) -> Result<(), EscPosError> {
    let b = check(byte)?;
    match n {
        1 => status.offline = b & 0x08 != 0,
        2 => {
            status.cover_open = b & 0x04 != 0;
            // Bit 5: printing stopped because the paper ran out.
            if b & 0x20 != 0 {
                status.paper_end = true;
            }
        }
        3 => {
            status.cutter_error = b & 0x08 != 0;
            status.unrecoverable = b & 0x20 != 0;
            status.auto_recoverable = b & 0x40 != 0;
        }
        4 => {
            // Some models set one bit of each pair, some both. The roll
            // sensor only adds paper end: it must not clear what request 2
            // said (printing stopped by paper end).
            status.paper_near_end = b & 0x0C != 0;
            if b & 0x60 != 0 {
                status.paper_end = true;
            }
        }
        other => return Err(EscPosError::BadRequest(other)),
    }
    Ok(())
}

/// Reads a 4-byte automatic status back block: byte 1 bit 3 offline, bit 5
/// cover open; byte 2 bit 3 cutter error, bit 5 unrecoverable, bit 6
/// auto-recoverable; byte 3 `0x03` near end, `0x0C` paper end. Byte 1 has
/// the fixed bits `0xx1xx00`, bytes 2–4 `0xx0xxxx`.
pub fn parse_asb(block: [u8; 4]) -> Result<PrinterStatus, EscPosError> {
    if block[0] & 0b1001_0011 != 0b0001_0000 {
        return Err(EscPosError::BadStatus(block[0]));
    }
    for b in &block[1..] {
        if b & 0b1001_0000 != 0 {
            return Err(EscPosError::BadStatus(*b));
        }
    }
    Ok(PrinterStatus {
        offline: block[0] & 0x08 != 0,
        cover_open: block[0] & 0x20 != 0,
        cutter_error: block[1] & 0x08 != 0,
        unrecoverable: block[1] & 0x20 != 0,
        auto_recoverable: block[1] & 0x40 != 0,
        paper_near_end: block[2] & 0x03 != 0,
        paper_end: block[2] & 0x0C != 0,
    })
}

/// Whether a byte can start an automatic status back block (so a reader
/// can tell it from a real-time status reply, whose bit 1 is set).
pub fn is_asb_header(byte: u8) -> bool {
    byte & 0b1001_0011 == 0b0001_0000
}

/// A status poll without I/O: which `DLE EOT n` to send next (n = 1..=4,
/// each once its predecessor is answered) and the status the replies add
/// up to. An automatic status back block that arrives in between (4 bytes,
/// the first `0xx1xx00`) is skipped, since the printer may send one at any
/// time. A transport sends what [`StatusPoll::poll_request`] gives, feeds
/// every byte it reads to [`StatusPoll::push`], and stops when
/// [`StatusPoll::status`] is `Some`.
#[derive(Debug, Clone, Default)]
pub struct StatusPoll {
    /// The last request sent (0 before the first).
    sent: u8,
    /// Whether the last request sent has been answered.
    answered: bool,
    /// Bytes of an automatic status back block still to skip.
    asb_left: u8,
    status: PrinterStatus,
}

impl StatusPoll {
    /// A poll that has sent nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The request to send now: the first at once, each next one after
    /// the previous is answered, `None` while a reply is awaited or when
    /// all four are answered.
    pub fn poll_request(&mut self) -> Option<[u8; 3]> {
        if self.sent >= 4 || (self.sent > 0 && !self.answered) {
            return None;
        }
        self.sent += 1;
        self.answered = false;
        Some(status_request(self.sent))
    }

    /// Whether a reply to the last request is still awaited.
    pub fn awaits_reply(&self) -> bool {
        self.sent > 0 && !self.answered
    }

    /// A byte from the printer. Bytes that arrive when no reply is
    /// awaited are stale and ignored; a reply without the fixed bits of a
    /// status is an error.
    pub fn push(&mut self, byte: u8) -> Result<(), EscPosError> {
        if !self.awaits_reply() {
            return Ok(());
        }
        if self.asb_left > 0 {
            self.asb_left -= 1;
        } else if is_asb_header(byte) {
            self.asb_left = 3;
        } else {
            apply_status_byte(&mut self.status, self.sent, byte)?;
            self.answered = true;
        }
        Ok(())
    }

    /// The printer's status, once all four requests are answered.
    pub fn status(&self) -> Option<PrinterStatus> {
        (self.sent == 4 && self.answered).then_some(self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_bytes_are_exactly_those_of_the_protocol_notes() {
        let mut r = Receipt::new();
        r.qr(b"AB", 6, QrEc::M).unwrap();
        let expected: Vec<u8> = [
            &[0x1B, 0x40][..],
            &[0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00],
            &[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06],
            &[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31],
            &[0x1D, 0x28, 0x6B, 0x05, 0x00, 0x31, 0x50, 0x30, b'A', b'B'],
            &[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30],
        ]
        .concat();
        assert_eq!(r.as_bytes(), expected.as_slice());
        // A long payload carries its length in pL pH.
        let mut r = Receipt::new();
        r.qr(&[b'x'; 300], 3, QrEc::H).unwrap();
        let b = r.as_bytes();
        let store = b.windows(3).position(|w| w == [0x31, 0x50, 0x30]).unwrap();
        assert_eq!(&b[store - 2..store], &[0x2F, 0x01]); // 303
        assert!(b.windows(5).any(|w| w == [0x03, 0x00, 0x31, 0x45, 0x33]));
        assert_eq!(
            Receipt::new().qr(b"x", 0, QrEc::L).unwrap_err(),
            EscPosError::BadModule(0)
        );
        assert_eq!(
            Receipt::new().qr(b"x", 17, QrEc::L).unwrap_err(),
            EscPosError::BadModule(17)
        );
        assert!(matches!(
            Receipt::new().qr(&vec![0; 8000], 3, QrEc::L),
            Err(EscPosError::QrTooLong(8000))
        ));
    }

    #[test]
    fn cuts_initialise_raster_and_text_are_byte_exact() {
        let mut r = Receipt::new();
        r.cut(Cut::Full)
            .cut(Cut::Partial)
            .cut(Cut::FeedPartial(0x30));
        assert_eq!(
            r.as_bytes(),
            &[
                0x1B, 0x40, 0x1D, 0x56, 0x00, 0x1D, 0x56, 0x01, 0x1D, 0x56, 0x41, 0x30
            ]
        );
        let mut r = Receipt::new();
        r.raster(2, 1, &[0xF0, 0x0F]).unwrap();
        assert_eq!(
            &r.as_bytes()[2..],
            &[0x1D, 0x76, 0x30, 0x00, 0x02, 0x00, 0x01, 0x00, 0xF0, 0x0F]
        );
        assert!(matches!(
            Receipt::new().raster(2, 2, &[0; 3]),
            Err(EscPosError::BadRaster(_))
        ));
        let mut r = Receipt::new();
        r.align(Align::Center).bold(true).size(2, 2).feed(3);
        assert_eq!(
            &r.as_bytes()[2..],
            &[
                0x1B, 0x61, 0x01, 0x1B, 0x45, 0x01, 0x1D, 0x21, 0x11, 0x1B, 0x64, 0x03
            ]
        );
    }

    #[test]
    fn chinese_goes_in_double_byte_mode_and_unencodable_characters_are_named() {
        let mut r = Receipt::new();
        r.line("No.1 回执").unwrap();
        // 回 is BB D8 in GBK, 执 is D6 B4.
        assert_eq!(
            &r.as_bytes()[2..],
            &[
                0x1C, 0x26, b'N', b'o', b'.', b'1', b' ', 0xBB, 0xD8, 0xD6, 0xB4, 0x1C, 0x2E, b'\n'
            ]
        );
        let mut r = Receipt::new();
        r.line("plain").unwrap();
        assert_eq!(&r.as_bytes()[2..], b"plain\n");
        // 𠀀 (Extension B) and an emoji are outside GBK.
        let err = Receipt::new().text("张𠀀😀𠀀").unwrap_err();
        assert_eq!(
            err,
            EscPosError::Unencodable {
                chars: vec!['𠀀', '😀']
            }
        );
        // € is the single byte 0x80 in Windows' GBK, which a printer in
        // double-byte mode does not take: it is rasterised too.
        assert_eq!(encode_gbk("€"), Err(vec!['€']));
        // The fullwidth yen sign is in the two-byte set.
        assert_eq!(encode_gbk("￥").unwrap(), vec![0xA3, 0xA4]);
    }

    #[test]
    fn status_requests_and_every_status_bit() {
        assert_eq!(status_request(1), [0x10, 0x04, 0x01]);
        assert_eq!(status_request(4), [0x10, 0x04, 0x04]);
        assert_eq!(enable_asb(), [0x1D, 0x61, 0x0E]);
        let fresh = |n: u8, b: u8| {
            let mut s = PrinterStatus::default();
            apply_status_byte(&mut s, n, b).map(|()| s)
        };
        assert_eq!(fresh(1, 0x12).unwrap(), PrinterStatus::default());
        assert!(fresh(1, 0x1A).unwrap().offline);
        assert!(fresh(2, 0x16).unwrap().cover_open);
        assert!(fresh(2, 0x32).unwrap().paper_end);
        assert!(fresh(3, 0x1A).unwrap().cutter_error);
        assert!(fresh(3, 0x32).unwrap().unrecoverable);
        assert!(fresh(3, 0x52).unwrap().auto_recoverable);
        for near in [0x1E, 0x16, 0x1A] {
            let s = fresh(4, near).unwrap();
            assert!(s.paper_near_end && !s.paper_end, "{near:#x}");
        }
        for end in [0x7E, 0x72, 0x32, 0x52] {
            assert!(fresh(4, end).unwrap().paper_end, "{end:#x}");
        }
        // Printing stopped by paper end (request 2) stays paper end when
        // the roll sensor (request 4, asked after it) sees paper.
        let mut stopped = fresh(2, 0x32).unwrap();
        apply_status_byte(&mut stopped, 4, 0x12).unwrap();
        assert!(stopped.paper_end);
        // Bytes without the fixed pattern are errors, not statuses.
        for bad in [0x00, 0xFF, 0x10, 0x13, 0x92] {
            assert_eq!(fresh(1, bad), Err(EscPosError::BadStatus(bad)));
        }
        assert_eq!(fresh(5, 0x12), Err(EscPosError::BadRequest(5)));
    }

    #[test]
    fn automatic_status_back_blocks_parse_and_garbage_is_refused() {
        let ok = parse_asb([0x10, 0x00, 0x00, 0x00]).unwrap();
        assert_eq!(ok, PrinterStatus::default());
        let s = parse_asb([0x38, 0x08, 0x0C, 0x00]).unwrap();
        assert!(s.offline && s.cover_open && s.cutter_error && s.paper_end);
        assert!(parse_asb([0x10, 0x00, 0x03, 0x00]).unwrap().paper_near_end);
        assert!(parse_asb([0x12, 0, 0, 0]).is_err());
        assert!(parse_asb([0x10, 0x80, 0, 0]).is_err());
        assert!(is_asb_header(0x10) && !is_asb_header(0x12));
    }

    #[test]
    fn a_status_poll_asks_one_request_at_a_time_and_skips_asb_blocks() {
        let mut poll = StatusPoll::new();
        assert_eq!(poll.poll_request(), Some([0x10, 0x04, 0x01]));
        // Nothing more until request 1 is answered.
        assert_eq!(poll.poll_request(), None);
        // An automatic status back block first (paper end in byte 3),
        // then the reply: the block says nothing about request 1.
        for byte in [0x10, 0x00, 0x0C, 0x00, 0x12] {
            poll.push(byte).unwrap();
        }
        assert!(!poll.awaits_reply());
        for (n, reply) in [(2, 0x16), (3, 0x12), (4, 0x1E)] {
            assert_eq!(poll.poll_request(), Some(status_request(n)));
            assert_eq!(poll.status(), None);
            poll.push(reply).unwrap();
        }
        // A late byte after the last reply is stale.
        poll.push(0xFF).unwrap();
        assert_eq!(poll.poll_request(), None);
        let status = poll.status().unwrap();
        assert!(status.cover_open && status.paper_near_end);
        assert!(!status.paper_end && !status.offline);
        let mut garbage = StatusPoll::new();
        garbage.poll_request();
        assert_eq!(garbage.push(0xFF), Err(EscPosError::BadStatus(0xFF)));
    }

    #[test]
    fn statuses_map_to_the_device_vocabulary() {
        let ok = PrinterStatus::default().device_status();
        assert_eq!(
            (ok.state, ok.media, ok.cover),
            (
                DeviceState::Online,
                Some(MediaState::Full),
                Some(CoverState::Closed)
            )
        );
        let low = PrinterStatus {
            paper_near_end: true,
            ..Default::default()
        }
        .device_status();
        assert_eq!(
            (low.state, low.media),
            (DeviceState::Online, Some(MediaState::Low))
        );
        let end = PrinterStatus {
            paper_end: true,
            offline: true,
            ..Default::default()
        }
        .device_status();
        assert_eq!(
            (end.state, end.media),
            (DeviceState::UserError, Some(MediaState::Out))
        );
        let cover = PrinterStatus {
            cover_open: true,
            offline: true,
            ..Default::default()
        }
        .device_status();
        assert_eq!(
            (cover.state, cover.cover),
            (DeviceState::UserError, Some(CoverState::Open))
        );
        let cutter = PrinterStatus {
            cutter_error: true,
            ..Default::default()
        }
        .device_status();
        assert_eq!(cutter.state, DeviceState::HardwareError);
        let off = PrinterStatus {
            offline: true,
            ..Default::default()
        }
        .device_status();
        assert_eq!(off.state, DeviceState::Offline);
    }
}
