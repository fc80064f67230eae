//! A serial QR/barcode scanner sends each code as text followed by CR or
//! LF. The codec here cuts the byte stream into codes, rejects overlong or
//! non-text input with a reason, and recognises a 随申码 (the city's personal
//! QR code) from anything else. Feature `serial` adds the port and the read
//! loop of the scanner's device thread. No UI, no platform.

#[cfg(feature = "serial")]
pub mod serial;

use std::fmt;

use zeroize::Zeroize;

/// What ends a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Terminator {
    /// Carriage return (0x0D).
    Cr,
    /// Line feed (0x0A).
    Lf,
    /// Either; a CR LF pair counts once.
    Any,
}

impl Terminator {
    /// From config text: "cr", "lf" or "any".
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "cr" => Terminator::Cr,
            "lf" => Terminator::Lf,
            "any" => Terminator::Any,
            _ => return None,
        })
    }

    fn ends(self, byte: u8) -> bool {
        match self {
            Terminator::Cr => byte == b'\r',
            Terminator::Lf => byte == b'\n',
            Terminator::Any => byte == b'\r' || byte == b'\n',
        }
    }
}

/// Why a scan was rejected (never containing the scanned text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    /// Longer than the limit; the rest up to the next terminator is dropped.
    #[error("code longer than {limit} bytes")]
    TooLong {
        /// The limit.
        limit: usize,
    },
    /// Not UTF-8, or contains control characters.
    #[error("code is not text")]
    NotText,
}

/// A scanned code. May identify a person: `Debug` redacts it and it is
/// overwritten when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Scan(String);

impl Scan {
    /// A scan of `text` (for tests and simulators; the decoder makes the
    /// real ones).
    pub fn new(text: String) -> Self {
        Self(text)
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.0
    }
}

impl Drop for Scan {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Scan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scan(<{} chars>)", self.0.chars().count())
    }
}

/// Cuts a byte stream into codes.
#[derive(Debug)]
pub struct LineDecoder {
    terminator: Terminator,
    limit: usize,
    buf: Vec<u8>,
    overflow: bool,
    last_was_cr: bool,
}

impl LineDecoder {
    /// A decoder for codes of at most `limit` bytes.
    pub fn new(terminator: Terminator, limit: usize) -> Self {
        Self {
            terminator,
            limit,
            buf: Vec::new(),
            overflow: false,
            last_was_cr: false,
        }
    }

    /// Feeds bytes; returns every code (or rejection) they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Result<Scan, ScanError>> {
        let mut out = Vec::new();
        for &byte in bytes {
            let lf_after_cr =
                self.terminator == Terminator::Any && byte == b'\n' && self.last_was_cr;
            self.last_was_cr = byte == b'\r';
            if lf_after_cr {
                continue;
            }
            if self.terminator.ends(byte) {
                if let Some(item) = self.finish() {
                    out.push(item);
                }
                continue;
            }
            if self.buf.len() >= self.limit {
                self.overflow = true;
                self.buf.zeroize();
                self.buf.clear();
            } else if !self.overflow {
                self.buf.push(byte);
            }
        }
        out
    }

    fn finish(&mut self) -> Option<Result<Scan, ScanError>> {
        let bytes = std::mem::take(&mut self.buf);
        if std::mem::take(&mut self.overflow) {
            return Some(Err(ScanError::TooLong { limit: self.limit }));
        }
        if bytes.is_empty() {
            return None;
        }
        let result = match String::from_utf8(bytes) {
            Ok(text) if !text.chars().any(char::is_control) => Ok(Scan(text)),
            Ok(mut text) => {
                text.zeroize();
                Err(ScanError::NotText)
            }
            Err(e) => {
                e.into_bytes().zeroize();
                Err(ScanError::NotText)
            }
        };
        Some(result)
    }
}

/// What a code is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// A 随申码: the token after the prefix, for the platform to resolve.
    Suishenma(Scan),
    /// Anything else: not a 随申码.
    Other,
}

/// Recognises a 随申码: `prefix` followed by a token of 16 to 512
/// characters from the URL-safe base64 alphabet. The prefix comes from
/// config (the platform decides the payload format).
pub fn classify(scan: &Scan, prefix: &str) -> Code {
    let Some(token) = scan.text().strip_prefix(prefix) else {
        return Code::Other;
    };
    let valid = (16..=512).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=');
    if valid {
        Code::Suishenma(Scan(token.to_owned()))
    } else {
        Code::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "SSM1:";

    fn texts(results: Vec<Result<Scan, ScanError>>) -> Vec<Result<String, ScanError>> {
        results
            .into_iter()
            .map(|r| r.map(|s| s.text().to_owned()))
            .collect()
    }

    #[test]
    fn codes_are_cut_at_the_configured_terminator() {
        let mut cr = LineDecoder::new(Terminator::Cr, 64);
        assert_eq!(
            texts(cr.push(b"ABC\rDEF\r")),
            vec![Ok("ABC".into()), Ok("DEF".into())]
        );
        let mut lf = LineDecoder::new(Terminator::Lf, 64);
        assert_eq!(texts(lf.push(b"AB")), vec![]);
        assert_eq!(texts(lf.push(b"C\n")), vec![Ok("ABC".into())]);
        let mut any = LineDecoder::new(Terminator::Any, 64);
        assert_eq!(
            texts(any.push(b"ONE\r\nTWO\nTHREE\r")),
            vec![Ok("ONE".into()), Ok("TWO".into()), Ok("THREE".into())]
        );
        // Empty lines (a lone terminator) are nothing.
        assert_eq!(texts(any.push(b"\r\r\n\n")), vec![]);
    }

    #[test]
    fn overlong_and_non_text_input_is_rejected_with_a_reason() {
        let mut d = LineDecoder::new(Terminator::Cr, 8);
        assert_eq!(
            texts(d.push(b"123456789012\rOK\r")),
            vec![Err(ScanError::TooLong { limit: 8 }), Ok("OK".into())]
        );
        assert_eq!(
            texts(d.push(&[0xff, 0xfe, b'\r'])),
            vec![Err(ScanError::NotText)]
        );
        assert_eq!(texts(d.push(b"A\x07B\r")), vec![Err(ScanError::NotText)]);
        // Limits count bytes: two CJK characters are six, three are nine.
        assert_eq!(texts(d.push("中文\r".as_bytes())), vec![Ok("中文".into())]);
        assert_eq!(
            texts(d.push("中文码\r".as_bytes())),
            vec![Err(ScanError::TooLong { limit: 8 })]
        );
    }

    #[test]
    fn a_suishenma_is_recognised_and_anything_else_is_not_one() {
        let scan = |s: &str| Scan(s.to_owned());
        let token = "aGVsbG8td29ybGQtMTIzNDU2Nzg5";
        assert_eq!(
            classify(&scan(&format!("{PREFIX}{token}")), PREFIX),
            Code::Suishenma(scan(token))
        );
        for other in [
            "https://example.invalid/item/1",
            "6901234567892",
            "SSM1:short",
            "SSM1:has spaces in the token!",
            "ssm1:aGVsbG8td29ybGQtMTIzNDU2Nzg5",
        ] {
            assert_eq!(classify(&scan(other), PREFIX), Code::Other, "{other}");
        }
    }

    #[test]
    fn debug_output_does_not_show_the_code() {
        let text = format!("{:?}", Scan("SSM1:secret-token-value".into()));
        assert!(!text.contains("secret"), "{text}");
    }
}
