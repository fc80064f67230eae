//! The device status vocabulary every Tongban driver reports in, taken from
//! CEN/XFS (XFS4IoT) so staff, logs and the fleet view speak one language.
//! It holds no I/O and knows no device protocol; drivers map their bytes to it.

use serde::{Deserialize, Serialize};

/// The devices of a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// Second-generation ID card reader (GA/T 467 SAM module).
    IdCardReader,
    /// QR/barcode scanner (随申码).
    QrScanner,
    /// Thermal receipt printer (ESC/POS).
    ReceiptPrinter,
    /// A4 laser printer (PJL/PCL).
    A4Printer,
}

impl DeviceKind {
    /// Every device, in the order a status bar lists them.
    pub const ALL: [DeviceKind; 4] = [
        DeviceKind::IdCardReader,
        DeviceKind::QrScanner,
        DeviceKind::ReceiptPrinter,
        DeviceKind::A4Printer,
    ];

    /// Stable identifier for logs, config and the platform.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceKind::IdCardReader => "id_card_reader",
            DeviceKind::QrScanner => "qr_scanner",
            DeviceKind::ReceiptPrinter => "receipt_printer",
            DeviceKind::A4Printer => "a4_printer",
        }
    }
}

/// The state of a device (XFS `device` status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    /// Working.
    Online,
    /// Known but not answering (unplugged, powered off).
    Offline,
    /// Broken: needs a technician.
    HardwareError,
    /// Needs a person: cover open, paper out, card jammed.
    UserError,
    /// Working on a request.
    Busy,
    /// No such device is configured or found.
    NoDevice,
}

impl DeviceState {
    /// Whether the device can serve a resident now (possibly after a wait).
    pub fn is_usable(self) -> bool {
        matches!(self, DeviceState::Online | DeviceState::Busy)
    }

    /// Stable identifier for logs and the platform.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceState::Online => "online",
            DeviceState::Offline => "offline",
            DeviceState::HardwareError => "hardware_error",
            DeviceState::UserError => "user_error",
            DeviceState::Busy => "busy",
            DeviceState::NoDevice => "no_device",
        }
    }
}

/// A printer's media supply (A4 tray, receipt roll).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaState {
    /// Plenty left.
    Full,
    /// Running low: restock soon.
    Low,
    /// Empty.
    Out,
    /// Paper jammed.
    Jammed,
    /// The device does not say.
    Unknown,
}

/// Toner of the A4 printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TonerState {
    /// Plenty left.
    Full,
    /// Running low.
    Low,
    /// Empty.
    Out,
    /// The device does not say.
    Unknown,
}

/// A cover or door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverState {
    /// Closed.
    Closed,
    /// Open: the device cannot work.
    Open,
    /// The device does not say.
    Unknown,
}

/// Everything a device reports at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeviceStatus {
    /// Which device.
    pub kind: DeviceKind,
    /// Its state.
    pub state: DeviceState,
    /// Paper, for printers.
    pub media: Option<MediaState>,
    /// Toner, for the A4 printer.
    pub toner: Option<TonerState>,
    /// Cover, where the device has one.
    pub cover: Option<CoverState>,
}

/// What a device needs done, the most pressing first: a printer out of
/// paper or jammed cannot print at all, an open cover or no toner stops
/// it too, and low toner or paper will soon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// Load paper.
    PaperOut,
    /// Clear a jam.
    Jammed,
    /// Close the cover.
    CoverOpen,
    /// Replace the toner.
    TonerOut,
    /// Toner is running low.
    TonerLow,
    /// Paper is running low.
    PaperLow,
}

impl Need {
    /// The wire word (`paper_out`, `cover_open` …) heartbeats carry.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PaperOut => "paper_out",
            Self::Jammed => "jammed",
            Self::CoverOpen => "cover_open",
            Self::TonerOut => "toner_out",
            Self::TonerLow => "toner_low",
            Self::PaperLow => "paper_low",
        }
    }
}

impl DeviceStatus {
    /// What the device needs done, if anything (the most pressing need).
    pub fn need(&self) -> Option<Need> {
        match (self.media, self.cover, self.toner) {
            (Some(MediaState::Out), _, _) => Some(Need::PaperOut),
            (Some(MediaState::Jammed), _, _) => Some(Need::Jammed),
            (_, Some(CoverState::Open), _) => Some(Need::CoverOpen),
            (_, _, Some(TonerState::Out)) => Some(Need::TonerOut),
            (_, _, Some(TonerState::Low)) => Some(Need::TonerLow),
            (Some(MediaState::Low), _, _) => Some(Need::PaperLow),
            _ => None,
        }
    }

    /// A device that is not configured or not found.
    pub fn absent(kind: DeviceKind) -> Self {
        Self {
            kind,
            state: DeviceState::NoDevice,
            media: None,
            toner: None,
            cover: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_serialise_in_the_xfs_vocabulary() {
        let status = DeviceStatus {
            kind: DeviceKind::A4Printer,
            state: DeviceState::UserError,
            media: Some(MediaState::Out),
            toner: Some(TonerState::Low),
            cover: Some(CoverState::Closed),
        };
        let json = serde_json::to_string(&status).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"a4_printer","state":"user_error","media":"out","toner":"low","cover":"closed"}"#
        );
        for state in [
            DeviceState::Online,
            DeviceState::Offline,
            DeviceState::HardwareError,
            DeviceState::UserError,
            DeviceState::Busy,
            DeviceState::NoDevice,
        ] {
            assert_eq!(
                serde_json::to_string(&state).unwrap(),
                format!("\"{}\"", state.as_str())
            );
        }
    }

    #[test]
    fn needs_serialise_as_their_wire_words_and_the_most_pressing_wins() {
        for need in [
            Need::PaperOut,
            Need::Jammed,
            Need::CoverOpen,
            Need::TonerOut,
            Need::TonerLow,
            Need::PaperLow,
        ] {
            assert_eq!(
                serde_json::to_string(&need).unwrap(),
                format!("\"{}\"", need.as_str())
            );
        }
        let mut status = DeviceStatus {
            media: Some(MediaState::Low),
            toner: Some(TonerState::Low),
            cover: Some(CoverState::Open),
            ..DeviceStatus::absent(DeviceKind::A4Printer)
        };
        assert_eq!(status.need(), Some(Need::CoverOpen));
        status.cover = Some(CoverState::Closed);
        assert_eq!(status.need(), Some(Need::TonerLow));
        status.toner = Some(TonerState::Full);
        assert_eq!(status.need(), Some(Need::PaperLow));
        status.media = Some(MediaState::Out);
        assert_eq!(status.need(), Some(Need::PaperOut));
        status.media = Some(MediaState::Full);
        assert_eq!(status.need(), None);
    }

    #[test]
    fn only_online_and_busy_devices_are_usable() {
        assert!(DeviceState::Online.is_usable());
        assert!(DeviceState::Busy.is_usable());
        assert!(!DeviceState::UserError.is_usable());
        assert!(!DeviceState::NoDevice.is_usable());
    }
}
