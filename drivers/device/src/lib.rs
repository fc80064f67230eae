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

impl DeviceStatus {
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
    fn only_online_and_busy_devices_are_usable() {
        assert!(DeviceState::Online.is_usable());
        assert!(DeviceState::Busy.is_usable());
        assert!(!DeviceState::UserError.is_usable());
        assert!(!DeviceState::NoDevice.is_usable());
    }
}
