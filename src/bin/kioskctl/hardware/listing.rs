//! What `kioskctl devices` shows: the serial ports and USB printers this
//! machine has, and where each configured device is among them, as data
//! (for `--json`) and as text.

use std::path::Path;

use serde::Serialize;

use super::access::access;
use super::serial_ports::{SerialPort, serial_ports};
use super::usb_printers::{UsbPrinter, usb_printers};
use super::{Configured, Target, USB_BUS, target};

/// A configured device and where it is on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfiguredEntry {
    /// Which device.
    pub device: Configured,
    /// Whether the config enables it.
    pub enabled: bool,
    /// Where the config says it is.
    pub target: Target,
    /// What is there: the node a serial path leads to and its access, a
    /// USB printer's bus and address, or nothing found.
    pub found: String,
}

/// What `kioskctl devices` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    /// The serial ports.
    pub serial_ports: Vec<SerialPort>,
    /// The USB printers.
    pub usb_printers: Vec<UsbPrinter>,
    /// The configured devices (none when the config could not be read).
    pub configured: Vec<ConfiguredEntry>,
}

/// Looks at this machine: serial ports, USB printers, and where each
/// configured device is.
pub fn listing(devices: Option<&kiosk_config::Devices>) -> Listing {
    let serial_ports = serial_ports(devices);
    let usb_printers = usb_printers(devices);
    let configured = devices
        .map(|devices| {
            Configured::ALL
                .into_iter()
                .map(|device| {
                    let (target, enabled) = target(devices, device);
                    let found = match &target {
                        Target::Serial { path, .. } => match std::fs::canonicalize(path) {
                            Ok(node) if node != *path => {
                                format!("{}, {}", node.display(), access(&node))
                            }
                            _ => access(path).to_string(),
                        },
                        Target::Usb { usb_id } => usb_printers
                            .iter()
                            .find(|p| p.id.eq_ignore_ascii_case(usb_id))
                            .map_or_else(
                                || "not attached".to_owned(),
                                |p| format!("bus {:03} address {:03}", p.bus, p.address),
                            ),
                        Target::Tcp { .. } => "on the network (probe it)".to_owned(),
                    };
                    ConfiguredEntry {
                        device,
                        enabled,
                        target,
                        found,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Listing {
        serial_ports,
        usb_printers,
        configured,
    }
}

fn marks(configured: &[Configured]) -> String {
    if configured.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = configured.iter().map(|c| c.as_str()).collect();
        format!("  <= {}", names.join(", "))
    }
}

impl Listing {
    /// The listing as text for a terminal.
    pub fn render(&self) -> String {
        let mut out = String::from("Serial ports\n");
        if self.serial_ports.is_empty() {
            out.push_str("  (none)\n");
        }
        for port in &self.serial_ports {
            out.push_str(&format!(
                "  {}  driver {}  {}{}\n",
                port.path.display(),
                port.driver.as_deref().unwrap_or("?"),
                port.access,
                marks(&port.configured)
            ));
            if let Some(usb) = &port.usb {
                out.push_str(&format!(
                    "      USB {}{}{}\n",
                    usb.id,
                    usb.serial
                        .as_deref()
                        .map(|s| format!(" serial {s}"))
                        .unwrap_or_default(),
                    usb.product
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                ));
            }
            for link in &port.links {
                out.push_str(&format!("      {}\n", link.display()));
            }
        }
        out.push_str("\nUSB printers\n");
        if self.usb_printers.is_empty() && !Path::new(USB_BUS).is_dir() {
            out.push_str(&format!("  (none: no USB bus, {USB_BUS} is missing)\n"));
        } else if self.usb_printers.is_empty() {
            out.push_str("  (none)\n");
        }
        for printer in &self.usb_printers {
            out.push_str(&format!(
                "  bus {:03} address {:03}  {}{}\n",
                printer.bus,
                printer.address,
                printer.id,
                marks(&printer.configured)
            ));
            match (&printer.device_id, &printer.unreadable) {
                (Some(id), _) => out.push_str(&format!("      1284 id {id}\n")),
                (None, Some(why)) => out.push_str(&format!("      1284 id unreadable: {why}\n")),
                (None, None) => {}
            }
        }
        out.push_str("\nConfigured devices\n");
        if self.configured.is_empty() {
            out.push_str("  (the config could not be read)\n");
        }
        for entry in &self.configured {
            out.push_str(&format!(
                "  {:<16} {:<8} {}  -> {}\n",
                entry.device.as_str(),
                if entry.enabled { "enabled" } else { "disabled" },
                entry.target,
                entry.found
            ));
        }
        out
    }
}
