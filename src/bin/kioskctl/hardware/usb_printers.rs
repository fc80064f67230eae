//! The USB printer-class devices attached to this machine, each with its
//! IEEE 1284 device id (or why it could not be read) and which configured
//! devices name it.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use super::access::{Access, access};
use super::{ACCESS_HINT, Configured, Target, target};

/// A USB printer this machine has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsbPrinter {
    /// Bus number.
    pub bus: u8,
    /// Address on the bus.
    pub address: u8,
    /// `vvvv:pppp`.
    pub id: String,
    /// Its device node.
    pub node: PathBuf,
    /// The IEEE 1284 device id it answered.
    pub device_id: Option<DeviceIdOf>,
    /// Why there is no device id.
    pub unreadable: Option<String>,
    /// The configured devices that name it.
    pub configured: Vec<Configured>,
}

/// An IEEE 1284 device id, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceIdOf {
    /// MFG.
    pub manufacturer: String,
    /// MDL.
    pub model: String,
    /// CMD.
    pub command_set: Vec<String>,
}

impl From<tongban_usbprint::DeviceId> for DeviceIdOf {
    fn from(id: tongban_usbprint::DeviceId) -> Self {
        Self {
            manufacturer: id.manufacturer,
            model: id.model,
            command_set: id.command_set,
        }
    }
}

impl fmt::Display for DeviceIdOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "MFG:{};MDL:{};CMD:{};",
            self.manufacturer,
            self.model,
            self.command_set.join(",")
        )
    }
}

/// The configured USB printers with this vendor:product.
fn configured_usb(devices: Option<&kiosk_config::Devices>, id: &str) -> Vec<Configured> {
    let Some(devices) = devices else {
        return Vec::new();
    };
    Configured::ALL
        .into_iter()
        .filter(|d| match target(devices, *d).0 {
            Target::Usb { usb_id } => usb_id.eq_ignore_ascii_case(id),
            _ => false,
        })
        .collect()
}

/// The attached USB printer-class devices, each with its IEEE 1284 id or
/// why it could not be read.
pub fn usb_printers(devices: Option<&kiosk_config::Devices>) -> Vec<UsbPrinter> {
    tongban_usbprint::list()
        .into_iter()
        .map(|found| {
            let id = format!("{:04x}:{:04x}", found.vendor_id, found.product_id);
            let node = PathBuf::from(format!(
                "/dev/bus/usb/{:03}/{:03}",
                found.bus, found.address
            ));
            let unreadable = match (&found.device_id, access(&node)) {
                (Some(_), _) => None,
                (None, Access::Denied(why)) => Some(format!("{why}; {ACCESS_HINT}")),
                (None, Access::Missing) => Some(format!("{} is missing", node.display())),
                (None, Access::ReadWrite) => {
                    Some("the printer did not answer GET_DEVICE_ID with a valid id".into())
                }
            };
            UsbPrinter {
                bus: found.bus,
                address: found.address,
                configured: configured_usb(devices, &id),
                id,
                node,
                device_id: found.device_id.map(DeviceIdOf::from),
                unreadable,
            }
        })
        .collect()
}
