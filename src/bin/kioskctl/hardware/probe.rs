//! A probe of one configured device (`kioskctl devices probe NAME`): opens
//! it with the kiosk's own driver and asks what the kiosk asks. The
//! drivers' conversations live in `serial`, `usb` and `tcp`, one per
//! transport; this part holds what a probe finds and how it is said.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use tongban_device::DeviceStatus;

use super::access::{Access, access};
use super::{ACCESS_HINT, Configured, Target, target};

mod serial;
mod tcp;
mod usb;

use serial::{probe_reader, probe_scanner, probe_serial_receipt};
use tcp::probe_tcp;
use usb::probe_usb;

/// Why a probe got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// Nothing at the configured place.
    NotFound,
    /// There, but this user may not open it.
    PermissionDenied,
    /// Opened, but nothing answered in time.
    Timeout,
    /// It answered something that is not its protocol.
    Garbage,
    /// The config does not say where it is.
    Config,
    /// Anything else the system said.
    Io,
}

/// What a probe found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe {
    /// Which device.
    pub device: Configured,
    /// Where the config says it is.
    pub target: Target,
    /// Whether the config enables it.
    pub enabled: bool,
    /// What it answered, in order (`status`, `sam_id`, `device_id` …).
    pub answers: Vec<Answer>,
    /// Its status in the device vocabulary, when it gave one.
    pub status: Option<DeviceStatus>,
    /// Why it did not answer.
    pub failure: Option<Failure>,
    /// The sentence for installers, when it did not answer.
    pub error: Option<String>,
}

/// One thing a device answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// What was asked (`status`, `sam_id`, `device_id`, `pagecount` …).
    pub key: String,
    /// What it said.
    pub value: String,
}

fn answer(key: &str, value: impl Into<String>) -> Answer {
    Answer {
        key: key.to_owned(),
        value: value.into(),
    }
}

/// How long a probe waits.
#[derive(Debug, Clone, Copy)]
pub struct ProbeTimes {
    /// For each answer of a reader or printer.
    pub answer: Duration,
    /// For a code from the scanner (it only speaks when it scans).
    pub scan: Duration,
}

impl Default for ProbeTimes {
    fn default() -> Self {
        Self {
            answer: Duration::from_secs(2),
            scan: Duration::from_secs(2),
        }
    }
}

type Answered = (Vec<Answer>, Option<DeviceStatus>);
type Failed = (Failure, String);

impl Probe {
    /// The probe's result as text for a terminal.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{} ({}{})\n",
            self.device,
            self.target,
            if self.enabled {
                ""
            } else {
                "; disabled in config"
            }
        );
        for a in &self.answers {
            out.push_str(&format!("  {:<14} {}\n", a.key, a.value));
        }
        if let Some(error) = &self.error {
            out.push_str(&format!("  no answer: {error}\n"));
        }
        out
    }
}

/// Opens the configured device with its driver and asks what the kiosk
/// asks: the reader's SAM status and id, a printer's status (and its 1284
/// id and page count where it has them), a code from the scanner.
pub fn probe(devices: &kiosk_config::Devices, device: Configured, times: ProbeTimes) -> Probe {
    let (target, enabled) = target(devices, device);
    let result = match (&target, device) {
        (Target::Serial { path, baud }, Configured::IdReader) => {
            check_node(path).and_then(|()| probe_reader(path, *baud, times.answer))
        }
        (Target::Serial { path, baud }, Configured::Scanner) => {
            let terminator = tongban_scanner::Terminator::parse(&devices.scanner.terminator)
                .unwrap_or(tongban_scanner::Terminator::Any);
            check_node(path).and_then(|()| {
                probe_scanner(
                    path,
                    *baud,
                    terminator,
                    devices.scanner.max_length as usize,
                    times.scan,
                )
            })
        }
        (Target::Serial { path, baud }, _) => {
            check_node(path).and_then(|()| probe_serial_receipt(path, *baud, times.answer))
        }
        (Target::Usb { usb_id }, _) => probe_usb(device, usb_id, times.answer),
        (Target::Tcp { address }, _) => probe_tcp(address, times.answer),
    };
    let (answers, status, failure, error) = match result {
        Ok((answers, status)) => (answers, status, None, None),
        Err((failure, sentence)) => (Vec::new(), None, Some(failure), Some(sentence)),
    };
    Probe {
        device,
        target,
        enabled,
        answers,
        status,
        failure,
        error,
    }
}

/// Whether the configured node is there and may be opened.
pub(super) fn check_node(path: &Path) -> Result<(), Failed> {
    match access(path) {
        Access::ReadWrite => Ok(()),
        Access::Missing => Err((
            Failure::NotFound,
            format!(
                "{} does not exist: the device is unplugged, or the path in config is wrong (see the serial ports `kioskctl devices` lists)",
                path.display()
            ),
        )),
        Access::Denied(why) => Err((Failure::PermissionDenied, format!("{why}: {ACCESS_HINT}"))),
    }
}

/// A status in words: state, then paper, toner and cover where known.
pub fn status_words(status: &DeviceStatus) -> String {
    let word = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let mut words = vec![status.state.as_str().to_owned()];
    if let Some(m) = status.media {
        words.push(format!("paper {}", word(serde_json::json!(m))));
    }
    if let Some(t) = status.toner {
        words.push(format!("toner {}", word(serde_json::json!(t))));
    }
    if let Some(c) = status.cover {
        words.push(format!("cover {}", word(serde_json::json!(c))));
    }
    words.join(", ")
}

/// The SAM id as readers print it (`05.01-20261124-0000000001-0000000000`):
/// two little-endian 16-bit numbers, four BCD bytes, two big-endian 32-bit
/// numbers; anything else as hex.
pub fn sam_id_text(data: &[u8]) -> String {
    if let [a0, a1, b0, b1, c @ .., d0, d1, d2, d3, e0, e1, e2, e3] = data
        && c.len() == 4
    {
        return format!(
            "{:02}.{:02}-{:02x}{:02x}{:02x}{:02x}-{:010}-{:010}",
            u16::from_le_bytes([*a0, *a1]),
            u16::from_le_bytes([*b0, *b1]),
            c[0],
            c[1],
            c[2],
            c[3],
            u32::from_be_bytes([*d0, *d1, *d2, *d3]),
            u32::from_be_bytes([*e0, *e1, *e2, *e3]),
        );
    }
    data.iter().map(|b| format!("{b:02x}")).collect()
}
