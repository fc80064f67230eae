//! The hardware a terminal can see, for installers wiring a new terminal
//! (`kioskctl devices`): the serial ports and USB printers on this machine
//! with whether this user may open them, the udev rules that give the kiosk
//! user the configured devices, and a probe of one configured device with
//! the kiosk's own driver. Nothing here runs in the kiosk's UI; every call
//! blocks.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::Serialize;

// Each concern in its own file: who may open a device node, the serial
// ports and USB printers this machine has, the listing that puts them
// beside the config, the udev rules, and the probe of one device.
mod access;
mod listing;
mod probe;
mod serial_ports;
mod udev;
mod usb_printers;

#[cfg(test)]
mod tests;

pub use listing::listing;
pub use probe::{ProbeTimes, probe};
pub use udev::udev_rules;

/// The system user and group the kiosk runs as on an installed terminal.
pub const KIOSK_USER: &str = "tongban";

/// Where libusb finds USB devices.
const USB_BUS: &str = "/dev/bus/usb";

/// What installers are told when the kiosk user may not open a device.
const ACCESS_HINT: &str = "give the kiosk user the device: `kioskctl devices udev-rules > \
     /etc/udev/rules.d/70-tongban.rules && udevadm control --reload && udevadm trigger` \
     (the package's postinst does this), and check the user is in the dialout group";

/// A device of the terminal's config, by the name of its `[devices.*]`
/// table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Configured {
    /// `[devices.id_reader]`.
    IdReader,
    /// `[devices.scanner]`.
    Scanner,
    /// `[devices.receipt_printer]`.
    ReceiptPrinter,
    /// `[devices.a4_printer]`.
    A4Printer,
}

impl Configured {
    /// Every configured device, in config order.
    pub const ALL: [Configured; 4] = [
        Configured::IdReader,
        Configured::Scanner,
        Configured::ReceiptPrinter,
        Configured::A4Printer,
    ];

    /// The name of its config table.
    pub fn as_str(self) -> &'static str {
        match self {
            Configured::IdReader => "id_reader",
            Configured::Scanner => "scanner",
            Configured::ReceiptPrinter => "receipt_printer",
            Configured::A4Printer => "a4_printer",
        }
    }
}

impl fmt::Display for Configured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Configured {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "{s:?} is not a device: use id_reader, scanner, receipt_printer or a4_printer"
                )
            })
    }
}

/// Where a configured device is reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "transport")]
pub enum Target {
    /// A serial port (or a symlink to one).
    Serial {
        /// The path from config.
        path: PathBuf,
        /// Line speed.
        baud: u32,
    },
    /// A USB printer-class device by vendor:product.
    Usb {
        /// `vvvv:pppp` from config, as written there.
        usb_id: String,
    },
    /// Raw TCP (port 9100).
    Tcp {
        /// host:port from config.
        address: String,
    },
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Serial { path, baud } => write!(f, "serial {} at {baud} baud", path.display()),
            Target::Usb { usb_id } => write!(f, "USB {usb_id}"),
            Target::Tcp { address } => write!(f, "TCP {address}"),
        }
    }
}

/// Where the config says a device is, and whether it is enabled.
pub fn target(devices: &kiosk_config::Devices, device: Configured) -> (Target, bool) {
    let serial = |path: &str, baud: u32| Target::Serial {
        path: PathBuf::from(path),
        baud,
    };
    match device {
        Configured::IdReader => {
            let d = &devices.id_reader;
            (serial(&d.path, d.baud), d.enabled)
        }
        Configured::Scanner => {
            let d = &devices.scanner;
            (serial(&d.path, d.baud), d.enabled)
        }
        Configured::ReceiptPrinter => {
            let d = &devices.receipt_printer;
            let target = if d.transport == "usb" {
                Target::Usb {
                    usb_id: d.usb_id.clone(),
                }
            } else {
                serial(&d.path, d.baud)
            };
            (target, d.enabled)
        }
        Configured::A4Printer => {
            let d = &devices.a4_printer;
            let target = if d.transport == "usb" {
                Target::Usb {
                    usb_id: d.usb_id.clone(),
                }
            } else {
                Target::Tcp {
                    address: d.address.clone(),
                }
            };
            (target, d.enabled)
        }
    }
}
