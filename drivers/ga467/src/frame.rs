//! Frames: `AA AA AA 96 69 | LEN_HI LEN_LO | body | CHK` where LEN counts
//! every byte after itself (CHK included) and CHK is the XOR of LEN_HI up to
//! the last body byte. Requests carry `CMD PARA data`, responses
//! `SW1 SW2 SW3 data`.

use zeroize::Zeroize;

/// The five bytes that open every frame.
pub const PREAMBLE: [u8; 5] = [0xAA, 0xAA, 0xAA, 0x96, 0x69];

/// The largest LEN accepted. The longest answer (text, photo and
/// fingerprint, `30 10`) is about 2.3 KB; anything far beyond is noise.
pub const MAX_LEN: usize = 4096;

/// Smallest LEN of a response: SW1 SW2 SW3 CHK.
const MIN_RESPONSE_LEN: usize = 4;

/// Reader commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Reset the SAM (`10 FF`).
    ResetSam,
    /// SAM status (`11 FF`).
    SamStatus,
    /// SAM id (`12 FF`).
    SamId,
    /// Find a card (`20 01`).
    FindCard,
    /// Select the card found (`20 02`).
    SelectCard,
    /// Read text and photo (`30 01`).
    ReadTextPhoto,
    /// Read the appended address (`30 03`).
    ReadAppendedAddress,
    /// Read text, photo and fingerprint (`30 10`).
    ReadTextPhotoFingerprint,
    /// Set the line speed (`60 00..04`).
    SetBaud(Baud),
}

/// Line speeds the reader can be switched to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Baud {
    /// 115200 bps (`00`), the default.
    B115200,
    /// 57600 bps (`01`).
    B57600,
    /// 38400 bps (`02`).
    B38400,
    /// 19200 bps (`03`).
    B19200,
    /// 9600 bps (`04`).
    B9600,
}

impl Baud {
    /// Bits per second.
    pub fn bps(self) -> u32 {
        match self {
            Baud::B115200 => 115_200,
            Baud::B57600 => 57_600,
            Baud::B38400 => 38_400,
            Baud::B19200 => 19_200,
            Baud::B9600 => 9_600,
        }
    }

    fn code(self) -> u8 {
        match self {
            Baud::B115200 => 0,
            Baud::B57600 => 1,
            Baud::B38400 => 2,
            Baud::B19200 => 3,
            Baud::B9600 => 4,
        }
    }

    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Baud::B115200,
            1 => Baud::B57600,
            2 => Baud::B38400,
            3 => Baud::B19200,
            4 => Baud::B9600,
            _ => return None,
        })
    }
}

impl Command {
    /// `CMD PARA`.
    pub fn code(self) -> [u8; 2] {
        match self {
            Command::ResetSam => [0x10, 0xFF],
            Command::SamStatus => [0x11, 0xFF],
            Command::SamId => [0x12, 0xFF],
            Command::FindCard => [0x20, 0x01],
            Command::SelectCard => [0x20, 0x02],
            Command::ReadTextPhoto => [0x30, 0x01],
            Command::ReadAppendedAddress => [0x30, 0x03],
            Command::ReadTextPhotoFingerprint => [0x30, 0x10],
            Command::SetBaud(baud) => [0x60, baud.code()],
        }
    }

    /// The command of a `CMD PARA` pair, for the simulator.
    pub fn from_code(code: [u8; 2]) -> Option<Self> {
        Some(match code {
            [0x10, 0xFF] => Command::ResetSam,
            [0x11, 0xFF] => Command::SamStatus,
            [0x12, 0xFF] => Command::SamId,
            [0x20, 0x01] => Command::FindCard,
            [0x20, 0x02] => Command::SelectCard,
            [0x30, 0x01] => Command::ReadTextPhoto,
            [0x30, 0x03] => Command::ReadAppendedAddress,
            [0x30, 0x10] => Command::ReadTextPhotoFingerprint,
            [0x60, n] => Command::SetBaud(Baud::from_code(n)?),
            _ => return None,
        })
    }
}

/// The SW3 byte: the only byte that decides success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// `90` success.
    Ok,
    /// `9F` a card was found.
    FindOk,
    /// `91` no such item on the card (e.g. no appended address).
    NoContent,
    /// `10` the reader saw a checksum error in our request.
    ChecksumError,
    /// `11` the reader saw a length error in our request.
    LengthError,
    /// `21` unknown command.
    BadCommand,
    /// `23` not authorised.
    Unauthorised,
    /// `24` unknown error.
    UnknownError,
    /// `31` the card failed to authenticate the SAM.
    CardAuthenticatingSamFailed,
    /// `32` the SAM failed to authenticate the card.
    SamAuthenticatingCardFailed,
    /// `33` verification failed.
    VerificationFailed,
    /// `37` fingerprint error.
    FingerprintError,
    /// `3F` information length error.
    InformationLengthError,
    /// `40` unknown card type.
    UnknownCardType,
    /// `41` reading the card failed.
    ReadFailed,
    /// `47` random number failed.
    RandomNumberFailed,
    /// `60` SAM self-test failed.
    SamSelfTestFailed,
    /// `66` SAM not authorised.
    SamNotAuthorised,
    /// `80` no card found.
    FindFailed,
    /// `81` selecting the card failed.
    SelectFailed,
    /// Any other value.
    Other(u8),
}

impl Status {
    /// The byte.
    pub fn code(self) -> u8 {
        match self {
            Status::Ok => 0x90,
            Status::FindOk => 0x9F,
            Status::NoContent => 0x91,
            Status::ChecksumError => 0x10,
            Status::LengthError => 0x11,
            Status::BadCommand => 0x21,
            Status::Unauthorised => 0x23,
            Status::UnknownError => 0x24,
            Status::CardAuthenticatingSamFailed => 0x31,
            Status::SamAuthenticatingCardFailed => 0x32,
            Status::VerificationFailed => 0x33,
            Status::FingerprintError => 0x37,
            Status::InformationLengthError => 0x3F,
            Status::UnknownCardType => 0x40,
            Status::ReadFailed => 0x41,
            Status::RandomNumberFailed => 0x47,
            Status::SamSelfTestFailed => 0x60,
            Status::SamNotAuthorised => 0x66,
            Status::FindFailed => 0x80,
            Status::SelectFailed => 0x81,
            Status::Other(b) => b,
        }
    }

    /// The status of a byte.
    pub fn from_code(code: u8) -> Self {
        match code {
            0x90 => Status::Ok,
            0x9F => Status::FindOk,
            0x91 => Status::NoContent,
            0x10 => Status::ChecksumError,
            0x11 => Status::LengthError,
            0x21 => Status::BadCommand,
            0x23 => Status::Unauthorised,
            0x24 => Status::UnknownError,
            0x31 => Status::CardAuthenticatingSamFailed,
            0x32 => Status::SamAuthenticatingCardFailed,
            0x33 => Status::VerificationFailed,
            0x37 => Status::FingerprintError,
            0x3F => Status::InformationLengthError,
            0x40 => Status::UnknownCardType,
            0x41 => Status::ReadFailed,
            0x47 => Status::RandomNumberFailed,
            0x60 => Status::SamSelfTestFailed,
            0x66 => Status::SamNotAuthorised,
            0x80 => Status::FindFailed,
            0x81 => Status::SelectFailed,
            other => Status::Other(other),
        }
    }

    /// Whether the command succeeded.
    pub fn is_success(self) -> bool {
        matches!(self, Status::Ok | Status::FindOk)
    }

    /// Whether the SAM module (not the card) is at fault: staff must act.
    pub fn is_sam_fault(self) -> bool {
        matches!(
            self,
            Status::SamSelfTestFailed | Status::SamNotAuthorised | Status::Unauthorised
        )
    }
}

/// A decoded response frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// SW1 (may carry the card's own status).
    pub sw1: u8,
    /// SW2.
    pub sw2: u8,
    /// SW3: success or the reason for failure.
    pub status: Status,
    /// What follows SW3, CHK excluded (a card's text and photo:
    /// overwritten when the response is dropped).
    pub data: Vec<u8>,
}

impl Drop for Response {
    fn drop(&mut self) {
        self.data.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for Response {}

/// What was wrong with bytes from the line. The decoder drops the bad frame
/// and looks for the next preamble, so an error never stalls reading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// CHK did not match.
    #[error("checksum mismatch: frame says {found:#04x}, bytes give {expected:#04x}")]
    Checksum {
        /// From the bytes.
        expected: u8,
        /// In the frame.
        found: u8,
    },
    /// LEN is too small for a response or beyond [`MAX_LEN`].
    #[error("length {0} out of bounds ({MIN_RESPONSE_LEN}..={MAX_LEN})")]
    Length(usize),
    /// Bytes before a preamble that belong to no frame.
    #[error("{0} stray byte(s) skipped before a frame")]
    Garbage(usize),
    /// Two reads of the same card disagreed.
    #[error("two reads of the card disagree")]
    Mismatch,
}

fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |acc, b| acc ^ b)
}

fn frame(body: &[u8]) -> Vec<u8> {
    let len = body.len() + 1;
    let mut out = Vec::with_capacity(PREAMBLE.len() + 2 + len);
    out.extend_from_slice(&PREAMBLE);
    out.push((len >> 8) as u8);
    out.push(len as u8);
    out.extend_from_slice(body);
    out.push(checksum(&out[PREAMBLE.len()..]));
    out
}

/// The bytes of a request.
pub fn encode_request(command: Command, data: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(2 + data.len());
    body.extend_from_slice(&command.code());
    body.extend_from_slice(data);
    frame(&body)
}

/// The bytes of a response (for simulators and tests).
pub fn encode_response(sw1: u8, sw2: u8, status: Status, data: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(3 + data.len());
    body.extend_from_slice(&[sw1, sw2, status.code()]);
    body.extend_from_slice(data);
    frame(&body)
}

/// A decoded request (what a simulator receives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `CMD PARA`; see [`Command::from_code`].
    pub code: [u8; 2],
    /// Data after `CMD PARA`.
    pub data: Vec<u8>,
}

/// Turns a byte stream into frames. Feed it whatever the line delivers, in
/// any pieces; take frames out with [`Decoder::next_response`] or
/// [`Decoder::next_request`].
///
/// Answers carry a card's text and photo (personal data): bytes the
/// decoder is done with are overwritten, never left in its buffer's
/// spare capacity, and the buffer is overwritten when it is dropped.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
}

impl Drop for Decoder {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for Decoder {}

impl Decoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes from the line. The buffer grows to a whole frame's
    /// room at once, and an old allocation is overwritten before it is
    /// given back, so no copy of a card's bytes is left in freed memory.
    pub fn push(&mut self, bytes: &[u8]) {
        let needed = self.buf.len() + bytes.len();
        if needed > self.buf.capacity() {
            let mut grown = Vec::with_capacity(needed.max(PREAMBLE.len() + 2 + MAX_LEN));
            grown.extend_from_slice(&self.buf);
            self.buf.zeroize();
            self.buf = grown;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Drops the first `n` bytes held and overwrites every byte position
    /// they (or the moved rest) leave behind.
    fn consume(&mut self, n: usize) {
        let len = self.buf.len();
        let n = n.min(len);
        self.buf.copy_within(n.., 0);
        self.buf[len - n..].zeroize();
        self.buf.truncate(len - n);
    }

    /// Bytes held that form no complete frame yet.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// Forgets everything held (after a timeout or a reconnect).
    pub fn clear(&mut self) {
        self.buf.zeroize();
    }

    /// The next complete frame's body (between LEN and CHK), or an error
    /// about bytes that were dropped, or `None` until more bytes arrive.
    fn next_body(&mut self, min_len: usize) -> Option<Result<Vec<u8>, FrameError>> {
        let start = find(&self.buf, &PREAMBLE);
        match start {
            None => {
                // Keep a tail that may be the start of a preamble.
                let keep = longest_preamble_prefix_suffix(&self.buf);
                let dropped = self.buf.len() - keep;
                self.consume(dropped);
                return (dropped > 0).then_some(Err(FrameError::Garbage(dropped)));
            }
            Some(0) => {}
            Some(n) => {
                self.consume(n);
                return Some(Err(FrameError::Garbage(n)));
            }
        }
        if self.buf.len() < PREAMBLE.len() + 2 {
            return None;
        }
        let len = usize::from(self.buf[5]) << 8 | usize::from(self.buf[6]);
        if !(min_len..=MAX_LEN).contains(&len) {
            // Not a frame after all: skip this preamble and look again.
            self.consume(1);
            return Some(Err(FrameError::Length(len)));
        }
        let total = PREAMBLE.len() + 2 + len;
        if self.buf.len() < total {
            return None;
        }
        let expected = checksum(&self.buf[PREAMBLE.len()..total - 1]);
        let found = self.buf[total - 1];
        if expected != found {
            self.consume(1);
            return Some(Err(FrameError::Checksum { expected, found }));
        }
        let body = self.buf[PREAMBLE.len() + 2..total - 1].to_vec();
        self.consume(total);
        Some(Ok(body))
    }

    /// The next response.
    pub fn next_response(&mut self) -> Option<Result<Response, FrameError>> {
        self.next_body(MIN_RESPONSE_LEN).map(|body| {
            body.map(|mut b| {
                let response = Response {
                    sw1: b[0],
                    sw2: b[1],
                    status: Status::from_code(b[2]),
                    data: b[3..].to_vec(),
                };
                b.zeroize();
                response
            })
        })
    }

    /// The next request.
    pub fn next_request(&mut self) -> Option<Result<Request, FrameError>> {
        self.next_body(3).map(|body| {
            body.map(|mut b| {
                let request = Request {
                    code: [b[0], b[1]],
                    data: b[2..].to_vec(),
                };
                b.zeroize();
                request
            })
        })
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// How many bytes at the end of `buf` could begin a preamble.
fn longest_preamble_prefix_suffix(buf: &[u8]) -> usize {
    (1..PREAMBLE.len())
        .rev()
        .find(|&k| buf.len() >= k && buf[buf.len() - k..] == PREAMBLE[..k])
        .unwrap_or(0)
}

/// The lengths of a text+photo answer (`30 01`): text and photo as the
/// reader reports them, and the data split accordingly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPhoto<'a> {
    /// The 256-byte text block.
    pub text: &'a [u8],
    /// The WLT photo, compressed (kept opaque).
    pub photo: &'a [u8],
    /// The fingerprint, for `30 10`.
    pub fingerprint: Option<&'a [u8]>,
}

/// Splits the data of a read answer. `with_fingerprint` for `30 10`.
pub fn split_read(data: &[u8], with_fingerprint: bool) -> Result<TextPhoto<'_>, FrameError> {
    let header = if with_fingerprint { 6 } else { 4 };
    if data.len() < header {
        return Err(FrameError::Length(data.len()));
    }
    let be = |i: usize| usize::from(data[i]) << 8 | usize::from(data[i + 1]);
    let text_len = be(0);
    let photo_len = be(2);
    let finger_len = if with_fingerprint { be(4) } else { 0 };
    if data.len() < header + text_len + photo_len + finger_len {
        return Err(FrameError::Length(data.len()));
    }
    let text = &data[header..header + text_len];
    let photo = &data[header + text_len..header + text_len + photo_len];
    let fingerprint = with_fingerprint
        .then(|| &data[header + text_len + photo_len..header + text_len + photo_len + finger_len]);
    Ok(TextPhoto {
        text,
        photo,
        fingerprint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }

    #[test]
    fn find_card_request_matches_the_documented_bytes() {
        assert_eq!(
            encode_request(Command::FindCard, &[]),
            hex("AA AA AA 96 69 00 03 20 01 22")
        );
    }

    #[test]
    fn every_command_round_trips_through_its_code() {
        let all = [
            Command::ResetSam,
            Command::SamStatus,
            Command::SamId,
            Command::FindCard,
            Command::SelectCard,
            Command::ReadTextPhoto,
            Command::ReadAppendedAddress,
            Command::ReadTextPhotoFingerprint,
            Command::SetBaud(Baud::B115200),
            Command::SetBaud(Baud::B9600),
        ];
        for command in all {
            assert_eq!(Command::from_code(command.code()), Some(command));
            let mut d = Decoder::new();
            d.push(&encode_request(command, &[]));
            let request = d.next_request().unwrap().unwrap();
            assert_eq!(Command::from_code(request.code), Some(command));
        }
        assert_eq!(Command::from_code([0x60, 0x05]), None);
    }

    #[test]
    fn captured_responses_decode_to_their_status() {
        let cases = [
            ("AA AA AA 96 69 00 04 00 00 90 94", Status::Ok, 0),
            (
                "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97",
                Status::FindOk,
                4,
            ),
            ("AA AA AA 96 69 00 04 00 00 80 84", Status::FindFailed, 0),
            ("AA AA AA 96 69 00 04 00 00 41 45", Status::ReadFailed, 0),
        ];
        for (bytes, status, data_len) in cases {
            let mut d = Decoder::new();
            d.push(&hex(bytes));
            let response = d.next_response().unwrap().unwrap();
            assert_eq!(response.status, status, "{bytes}");
            assert_eq!(response.data.len(), data_len);
            assert!(d.next_response().is_none());
            assert_eq!(encode_response(0, 0, status, &response.data), hex(bytes));
        }
    }

    #[test]
    fn every_sw3_code_is_typed_and_round_trips() {
        let codes = [
            0x90, 0x9F, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x37, 0x3F, 0x40,
            0x41, 0x47, 0x60, 0x66, 0x80, 0x81,
        ];
        for code in codes {
            let status = Status::from_code(code);
            assert!(!matches!(status, Status::Other(_)), "{code:#x} untyped");
            assert_eq!(status.code(), code);
        }
        assert_eq!(Status::from_code(0x55), Status::Other(0x55));
        assert!(Status::Ok.is_success() && Status::FindOk.is_success());
        assert!(!Status::NoContent.is_success());
        assert!(Status::SamSelfTestFailed.is_sam_fault());
    }

    #[test]
    fn bytes_arriving_one_at_a_time_make_the_same_frame() {
        let bytes = hex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
        let mut d = Decoder::new();
        for (i, b) in bytes.iter().enumerate() {
            d.push(&[*b]);
            let got = d.next_response();
            if i + 1 < bytes.len() {
                assert!(got.is_none(), "frame early at byte {i}");
            } else {
                assert_eq!(got.unwrap().unwrap().status, Status::FindOk);
            }
        }
    }

    #[test]
    fn noise_before_a_frame_is_reported_and_skipped() {
        let mut d = Decoder::new();
        d.push(&[0x00, 0xAA, 0x13, 0xAA, 0xAA]);
        d.push(&hex("AA AA AA 96 69 00 04 00 00 90 94"));
        assert_eq!(d.next_response(), Some(Err(FrameError::Garbage(5))));
        assert_eq!(d.next_response().unwrap().unwrap().status, Status::Ok);
        assert_eq!(d.pending(), 0);
    }

    #[test]
    fn a_corrupt_checksum_drops_that_frame_and_keeps_the_next() {
        let mut bad = hex("AA AA AA 96 69 00 04 00 00 90 94");
        bad[10] ^= 0xFF;
        let mut d = Decoder::new();
        d.push(&bad);
        d.push(&hex("AA AA AA 96 69 00 04 00 00 80 84"));
        let mut statuses = Vec::new();
        let mut errors = Vec::new();
        while let Some(item) = d.next_response() {
            match item {
                Ok(r) => statuses.push(r.status),
                Err(e) => errors.push(e),
            }
        }
        assert!(matches!(errors[0], FrameError::Checksum { .. }));
        assert_eq!(statuses, vec![Status::FindFailed]);
    }

    #[test]
    fn an_impossible_length_is_rejected_without_waiting_for_it() {
        let mut d = Decoder::new();
        d.push(&hex("AA AA AA 96 69 FF FF 00"));
        assert_eq!(d.next_response(), Some(Err(FrameError::Length(0xFFFF))));
        d.push(&hex("AA AA AA 96 69 00 04 00 00 90 94"));
        let mut last = None;
        while let Some(item) = d.next_response() {
            last = Some(item);
        }
        assert_eq!(last.unwrap().unwrap().status, Status::Ok);
    }

    /// Every byte the decoder allocated, initialised or not as `Vec`
    /// sees it (all of it was written: by the line, or overwritten).
    fn whole_allocation(decoder: &Decoder) -> Vec<u8> {
        // SAFETY: the buffer's allocation is `capacity` bytes long, and
        // every byte of it up to the highest length it ever had was
        // written; the test only reads positions it pushed bytes into.
        let len = decoder.buf.capacity();
        unsafe { std::slice::from_raw_parts(decoder.buf.as_ptr(), len) }.to_vec()
    }

    /// A card's answer leaves no copy of itself in the decoder's buffer
    /// once it is taken out, nor where noise before it was dropped.
    ///
    /// Fails on e372035: `drain` moved the rest down and left the frame's
    /// bytes (name, number, photo) in the buffer's spare capacity until
    /// the next answer overwrote them.
    #[test]
    fn a_taken_answer_leaves_no_copy_in_the_decoders_buffer() {
        let secret = "测试居民甲 110101199001011234".as_bytes();
        let mut decoder = Decoder::new();
        decoder.push(&[0x01, 0x02, 0x03]);
        let frame = encode_response(0, 0, Status::Ok, secret);
        // In pieces, as a line delivers them, with the next frame's start.
        let (a, b) = frame.split_at(frame.len() / 2);
        decoder.push(a);
        decoder.push(b);
        decoder.push(&PREAMBLE[..3]);
        let mut taken = None;
        while let Some(item) = decoder.next_response() {
            if let Ok(response) = item {
                taken = Some(response);
            }
        }
        assert_eq!(taken.as_ref().map(|r| r.data.as_slice()), Some(secret));
        assert_eq!(decoder.pending(), 3);
        let held = whole_allocation(&decoder);
        let used = held.len().min(3 + frame.len() + 3);
        assert!(
            !held[..used].windows(secret.len()).any(|w| w == secret),
            "the answer is still in the decoder's buffer"
        );
        assert!(held[3..used].iter().all(|&b| b == 0), "{:?}", &held[..used]);
    }

    #[test]
    fn a_read_answer_splits_into_text_and_opaque_photo() {
        let mut data = vec![0x01, 0x00, 0x04, 0x00];
        data.extend(std::iter::repeat_n(0x41, 256));
        data.extend(std::iter::repeat_n(0x57, 1024));
        let frame = encode_response(0, 0, Status::Ok, &data);
        // The documented size and offsets of a 30 01 answer.
        assert_eq!(frame.len(), 1295);
        assert_eq!(&frame[5..7], &[0x05, 0x08]);
        assert_eq!(&frame[10..14], &[0x01, 0x00, 0x04, 0x00]);
        let mut d = Decoder::new();
        d.push(&frame);
        let response = d.next_response().unwrap().unwrap();
        let parts = split_read(&response.data, false).unwrap();
        assert_eq!(parts.text.len(), 256);
        assert_eq!(parts.photo.len(), 1024);
        assert!(split_read(&response.data[..100], false).is_err());
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_decoder() {
        // A simple deterministic generator stands in for a fuzzer here.
        let mut x: u32 = 0x1234_5678;
        let mut d = Decoder::new();
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let byte = if x.is_multiple_of(7) {
                PREAMBLE[(x as usize >> 3) % 5]
            } else {
                x as u8
            };
            d.push(&[byte]);
            while d.next_response().is_some() {}
            assert!(d.pending() <= PREAMBLE.len() + 2 + MAX_LEN);
        }
    }
}
