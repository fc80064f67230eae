//! The serial ports this machine has (from sysfs), with the USB adapter
//! each sits on, its stable names, whether this user may open it and which
//! configured devices name it.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::access::{Access, access};
use super::{Configured, Target, target};

/// The USB device a serial port sits on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsbOf {
    /// `vvvv:pppp`.
    pub id: String,
    /// Its serial number, when it has one.
    pub serial: Option<String>,
    /// Manufacturer and product strings, when it has them.
    pub product: Option<String>,
}

/// A serial port this machine has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SerialPort {
    /// `/dev/ttyUSB0` …
    pub path: PathBuf,
    /// The kernel driver (`ftdi_sio`, `cdc_acm`, `serial8250` …).
    pub driver: Option<String>,
    /// The USB device, for a USB-serial adapter.
    pub usb: Option<UsbOf>,
    /// Its stable names (`/dev/serial/by-id/…`, `by-path`).
    pub links: Vec<PathBuf>,
    /// Whether this user may open it read-write.
    pub access: Access,
    /// The configured devices that name it.
    pub configured: Vec<Configured>,
}

fn read_trimmed(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// The USB device above a sysfs device: the first ancestor with idVendor.
fn usb_ancestor(device: &Path) -> Option<UsbOf> {
    let mut dir = std::fs::canonicalize(device).ok()?;
    loop {
        if let (Some(vendor), Some(product)) = (
            read_trimmed(&dir.join("idVendor")),
            read_trimmed(&dir.join("idProduct")),
        ) {
            let names: Vec<String> = ["manufacturer", "product"]
                .iter()
                .filter_map(|f| read_trimmed(&dir.join(f)))
                .collect();
            return Some(UsbOf {
                id: format!("{vendor}:{product}"),
                serial: read_trimmed(&dir.join("serial")),
                product: (!names.is_empty()).then(|| names.join(" ")),
            });
        }
        if !dir.pop() || dir == Path::new("/sys/devices") {
            return None;
        }
    }
}

/// Symlinks in the /dev/serial folders that lead to `node`.
fn links_to(node: &Path) -> Vec<PathBuf> {
    let mut links = Vec::new();
    for folder in ["/dev/serial/by-id", "/dev/serial/by-path"] {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        for entry in entries.flatten() {
            if std::fs::canonicalize(entry.path()).is_ok_and(|p| p == node) {
                links.push(entry.path());
            }
        }
    }
    links.sort();
    links
}

/// The configured serial devices whose path leads to `node`.
fn configured_serial(devices: Option<&kiosk_config::Devices>, node: &Path) -> Vec<Configured> {
    let Some(devices) = devices else {
        return Vec::new();
    };
    Configured::ALL
        .into_iter()
        .filter(|d| match target(devices, *d).0 {
            Target::Serial { path, .. } => {
                path == node || std::fs::canonicalize(&path).is_ok_and(|p| p == node)
            }
            _ => false,
        })
        .collect()
}

/// The driver of a tty's device: the first one up the device tree that is
/// not the serial core's own (`port`, `ctrl` on the serial-base bus of
/// newer kernels).
fn serial_driver(device: &Path) -> Option<String> {
    let mut dir = std::fs::canonicalize(device).ok()?;
    loop {
        if let Ok(link) = std::fs::read_link(dir.join("driver"))
            && !link.to_string_lossy().contains("/bus/serial-base/")
        {
            return link.file_name().map(|n| n.to_string_lossy().into_owned());
        }
        if !dir.pop() || !dir.starts_with("/sys/devices/") {
            return None;
        }
    }
}

/// The serial ports in `/sys/class/tty` with a device behind them; the
/// legacy 8250 ports the kernel always lists are left out unless a UART
/// answers there.
pub fn serial_ports(devices: Option<&kiosk_config::Devices>) -> Vec<SerialPort> {
    let Ok(entries) = std::fs::read_dir("/sys/class/tty") else {
        return Vec::new();
    };
    let mut ports = Vec::new();
    for entry in entries.flatten() {
        let class = entry.path();
        let device = class.join("device");
        if !device.exists() {
            continue;
        }
        let driver = serial_driver(&device);
        // A legacy port with no UART says type 0 (PORT_UNKNOWN).
        if read_trimmed(&class.join("type")).as_deref() == Some("0") {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let node = PathBuf::from("/dev").join(&name);
        ports.push(SerialPort {
            driver,
            usb: usb_ancestor(&device),
            links: links_to(&node),
            access: access(&node),
            configured: configured_serial(devices, &node),
            path: node,
        });
    }
    ports.sort_by(|a, b| a.path.cmp(&b.path));
    ports
}
