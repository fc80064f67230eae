//! The USB printer class (class 7, subclass 1; protocol 1 uni-directional,
//! 2 bi-directional): finding the printer interface, the IEEE 1284 device
//! ID, the port status, and the bulk endpoints as `std::io::Read + Write`,
//! so protocol code written over a byte stream (PJL status, ESC/POS
//! `DLE EOT`) runs over USB unchanged.
//!
//! The parsing and the choice of interface have no I/O and carry the
//! tests; [`UsbPrinter`] is the thin part that talks to libusb (`rusb`,
//! libusb built from source so no system package is needed).

use std::time::Duration;

mod io;

pub use io::{Found, UsbPrinter, list};

/// The printer interface class.
pub const CLASS_PRINTER: u8 = 7;
/// Its subclass.
pub const SUBCLASS_PRINTER: u8 = 1;
/// Protocol: uni-directional (data out only).
pub const PROTOCOL_UNIDIRECTIONAL: u8 = 1;
/// Protocol: bi-directional (replies on bulk IN).
pub const PROTOCOL_BIDIRECTIONAL: u8 = 2;

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsbError {
    /// No attached printer matches.
    #[error("no USB printer {0} is attached")]
    NotFound(String),
    /// The device is there but may not be opened.
    #[error(
        "no permission to open USB printer {0}: add the udev rule from drivers/usbprint/README.md"
    )]
    Permission(String),
    /// It went away (unplugged, powered off).
    #[error("the USB printer was disconnected")]
    Disconnected,
    /// It has no printer-class interface with a bulk OUT endpoint.
    #[error("the device has no USB printer interface")]
    NoPrinterInterface,
    /// A selector that is not vendor:product in hex.
    #[error("USB printer selector {0:?} is not vendor:product in hex (such as 0519:2013)")]
    BadSelector(String),
    /// A device ID that does not parse.
    #[error("bad IEEE 1284 device id: {0}")]
    BadDeviceId(String),
    /// Anything else libusb reported.
    #[error("USB: {0}")]
    Usb(String),
}

/// An IEEE 1284 device ID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceId {
    /// MFG / MANUFACTURER.
    pub manufacturer: String,
    /// MDL / MODEL.
    pub model: String,
    /// CMD / COMMAND SET, split on commas.
    pub command_set: Vec<String>,
    /// CLS / CLASS.
    pub class: String,
    /// DES / DESCRIPTION.
    pub description: String,
}

impl DeviceId {
    /// Parses the answer to GET_DEVICE_ID: a 2-byte big-endian length that
    /// includes itself, then `KEY:value;` pairs (keys case-sensitive).
    pub fn parse(answer: &[u8]) -> Result<Self, UsbError> {
        let [hi, lo, rest @ ..] = answer else {
            return Err(UsbError::BadDeviceId(
                "shorter than its length field".into(),
            ));
        };
        let length = usize::from(u16::from_be_bytes([*hi, *lo]));
        if length < 2 || length > answer.len() {
            return Err(UsbError::BadDeviceId(format!(
                "length field says {length} bytes, {} arrived",
                answer.len()
            )));
        }
        let body = std::str::from_utf8(&rest[..length - 2])
            .map_err(|_| UsbError::BadDeviceId("not text".into()))?;
        Self::parse_text(body)
    }

    /// Parses the `KEY:value;` text.
    pub fn parse_text(text: &str) -> Result<Self, UsbError> {
        let mut id = DeviceId::default();
        for pair in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, value)) = pair.split_once(':') else {
                return Err(UsbError::BadDeviceId(format!("{pair:?} has no ':'")));
            };
            let value = value.trim().to_owned();
            match key.trim() {
                "MFG" | "MANUFACTURER" => id.manufacturer = value,
                "MDL" | "MODEL" => id.model = value,
                "CMD" | "COMMAND SET" => {
                    id.command_set = value
                        .split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect();
                }
                "CLS" | "CLASS" => id.class = value,
                "DES" | "DESCRIPTION" => id.description = value,
                _ => {}
            }
        }
        if id.manufacturer.is_empty() && id.model.is_empty() {
            return Err(UsbError::BadDeviceId("neither MFG nor MDL".into()));
        }
        Ok(id)
    }

    /// Whether the printer speaks `language` (PCL, PJL, ESC/POS …),
    /// ignoring case.
    pub fn supports(&self, language: &str) -> bool {
        self.command_set
            .iter()
            .any(|c| c.eq_ignore_ascii_case(language))
    }
}

/// GET_PORT_STATUS: one byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortStatus {
    /// Bit 5: out of paper.
    pub paper_empty: bool,
    /// Bit 4: selected (online).
    pub selected: bool,
    /// Bit 3 clear: an error.
    pub error: bool,
}

impl PortStatus {
    /// Reads the status byte.
    pub fn from_byte(b: u8) -> Self {
        Self {
            paper_empty: b & 0x20 != 0,
            selected: b & 0x10 != 0,
            error: b & 0x08 == 0,
        }
    }
}

/// A class-specific control request on the printer interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlRequest {
    /// bmRequestType.
    pub request_type: u8,
    /// bRequest.
    pub request: u8,
    /// wValue.
    pub value: u16,
    /// wIndex.
    pub index: u16,
}

/// GET_DEVICE_ID (`A1 00`): wValue the configuration index, wIndex the
/// interface in the high byte and the alternate setting in the low byte.
pub fn get_device_id(config_index: u8, interface: u8, alt_setting: u8) -> ControlRequest {
    ControlRequest {
        request_type: 0xA1,
        request: 0x00,
        value: u16::from(config_index),
        index: (u16::from(interface) << 8) | u16::from(alt_setting),
    }
}

/// GET_PORT_STATUS (`A1 01`): wIndex the interface.
pub fn get_port_status(interface: u8) -> ControlRequest {
    ControlRequest {
        request_type: 0xA1,
        request: 0x01,
        value: 0,
        index: u16::from(interface),
    }
}

/// SOFT_RESET (`21 02`; Linux's usblp sends `23`, to the other-recipient
/// type, which some printers need instead): wIndex the interface.
pub fn soft_reset(interface: u8) -> ControlRequest {
    ControlRequest {
        request_type: 0x21,
        request: 0x02,
        value: 0,
        index: u16::from(interface),
    }
}

/// Direction of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Host to device.
    Out,
    /// Device to host.
    In,
}

/// Transfer type of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    /// Bulk.
    Bulk,
    /// Interrupt.
    Interrupt,
    /// Anything else.
    Other,
}

/// An endpoint as its descriptor says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointInfo {
    /// bEndpointAddress.
    pub address: u8,
    /// Direction.
    pub direction: Direction,
    /// Transfer type.
    pub transfer: Transfer,
}

/// An interface alternate setting as its descriptor says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceInfo {
    /// bInterfaceNumber.
    pub number: u8,
    /// bAlternateSetting.
    pub alt_setting: u8,
    /// bInterfaceClass.
    pub class: u8,
    /// bInterfaceSubClass.
    pub subclass: u8,
    /// bInterfaceProtocol.
    pub protocol: u8,
    /// Its endpoints.
    pub endpoints: Vec<EndpointInfo>,
}

/// The printer interface chosen, and its endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Interface number.
    pub interface: u8,
    /// Alternate setting.
    pub alt_setting: u8,
    /// Bulk OUT endpoint address.
    pub bulk_out: u8,
    /// Bulk IN endpoint address (bi-directional printers).
    pub bulk_in: Option<u8>,
}

/// Picks the printer interface: class 7 subclass 1, bi-directional
/// preferred over uni-directional (replies need it), with a bulk OUT
/// endpoint.
pub fn choose_interface(interfaces: &[InterfaceInfo]) -> Option<Choice> {
    let candidate = |i: &InterfaceInfo| -> Option<(u8, Choice)> {
        if i.class != CLASS_PRINTER || i.subclass != SUBCLASS_PRINTER {
            return None;
        }
        let bulk = |d: Direction| {
            i.endpoints
                .iter()
                .find(|e| e.direction == d && e.transfer == Transfer::Bulk)
                .map(|e| e.address)
        };
        let bulk_out = bulk(Direction::Out)?;
        let bulk_in = if i.protocol >= PROTOCOL_BIDIRECTIONAL {
            bulk(Direction::In)
        } else {
            None
        };
        let rank = match (i.protocol, bulk_in) {
            (PROTOCOL_BIDIRECTIONAL, Some(_)) => 2,
            (PROTOCOL_UNIDIRECTIONAL, _) => 1,
            _ => 0,
        };
        Some((
            rank,
            Choice {
                interface: i.number,
                alt_setting: i.alt_setting,
                bulk_out,
                bulk_in,
            },
        ))
    };
    interfaces
        .iter()
        .filter_map(candidate)
        .max_by_key(|(rank, _)| *rank)
        .map(|(_, c)| c)
}

/// Which printer to open: `vendor:product` in hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Selector {
    /// idVendor.
    pub vendor: u16,
    /// idProduct.
    pub product: u16,
}

impl std::str::FromStr for Selector {
    type Err = UsbError;

    fn from_str(s: &str) -> Result<Self, UsbError> {
        let bad = || UsbError::BadSelector(s.to_owned());
        let (v, p) = s.split_once(':').ok_or_else(bad)?;
        let hex = |t: &str| {
            (t.len() == 4)
                .then(|| u16::from_str_radix(t, 16).ok())
                .flatten()
                .ok_or_else(bad)
        };
        Ok(Self {
            vendor: hex(v)?,
            product: hex(p)?,
        })
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04x}:{:04x}", self.vendor, self.product)
    }
}

/// Timeouts of the bulk transfers.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// A write that takes longer failed (the printer is not taking data).
    pub write: Duration,
    /// A read that finds nothing returns `TimedOut`.
    pub read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            write: Duration::from_secs(5),
            read: Duration::from_millis(100),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_requests_are_the_class_requests_of_the_protocol_notes() {
        assert_eq!(
            get_device_id(0, 1, 0),
            ControlRequest {
                request_type: 0xA1,
                request: 0x00,
                value: 0,
                index: 0x0100
            }
        );
        assert_eq!(get_device_id(0, 0, 1).index, 0x0001);
        assert_eq!(
            get_port_status(2),
            ControlRequest {
                request_type: 0xA1,
                request: 0x01,
                value: 0,
                index: 2
            }
        );
        let reset = soft_reset(0);
        assert_eq!((reset.request_type, reset.request), (0x21, 0x02));
    }

    #[test]
    fn device_ids_parse_with_their_length_prefix() {
        let text = "MFG:Hewlett-Packard;CMD:PJL,PML,PCL,POSTSCRIPT,PCLXL;MDL:HP LaserJet M404dn;CLS:PRINTER;DES:HP LaserJet M404dn;";
        let mut answer = ((text.len() + 2) as u16).to_be_bytes().to_vec();
        answer.extend_from_slice(text.as_bytes());
        let id = DeviceId::parse(&answer).unwrap();
        assert_eq!(id.manufacturer, "Hewlett-Packard");
        assert_eq!(id.model, "HP LaserJet M404dn");
        assert_eq!(id.class, "PRINTER");
        assert!(id.supports("PCL") && id.supports("pjl") && !id.supports("ESC/POS"));
        // Long key names, spaces, a trailing pair without ';'.
        let thermal = DeviceId::parse_text(
            "MANUFACTURER:Xprinter ; COMMAND SET:ESC/POS;MODEL:XP-80C;CLASS:PRINTER;DESCRIPTION:80mm thermal",
        )
        .unwrap();
        assert_eq!(thermal.manufacturer, "Xprinter");
        assert!(thermal.supports("ESC/POS"));
        assert_eq!(thermal.description, "80mm thermal");
        // Keys are case-sensitive: "mfg" is not MFG.
        assert!(DeviceId::parse_text("mfg:x;mdl:y;").is_err());
    }

    #[test]
    fn bad_device_ids_are_errors_not_panics() {
        assert!(DeviceId::parse(&[]).is_err());
        assert!(DeviceId::parse(&[0x00]).is_err());
        // Length larger than the answer.
        assert!(DeviceId::parse(&[0x00, 0x40, b'M']).is_err());
        // Length smaller than itself.
        assert!(DeviceId::parse(&[0x00, 0x01]).is_err());
        // Not UTF-8.
        assert!(DeviceId::parse(&[0x00, 0x04, 0xFF, 0xFE]).is_err());
        assert!(DeviceId::parse_text("no colon here;").is_err());
    }

    #[test]
    fn port_status_bits() {
        let s = PortStatus::from_byte(0x18);
        assert!(!s.paper_empty && s.selected && !s.error);
        let s = PortStatus::from_byte(0x30);
        assert!(s.paper_empty && s.selected && s.error);
        assert!(PortStatus::from_byte(0x00).error);
    }

    #[test]
    fn the_bidirectional_printer_interface_is_chosen() {
        let ep = |address, direction, transfer| EndpointInfo {
            address,
            direction,
            transfer,
        };
        // (number, alternate setting), (class, subclass, protocol).
        let iface = |(number, alt_setting), (class, subclass, protocol), endpoints| InterfaceInfo {
            number,
            alt_setting,
            class,
            subclass,
            protocol,
            endpoints,
        };
        let storage = iface(
            (0, 0),
            (8, 6, 0x50),
            vec![ep(0x01, Direction::Out, Transfer::Bulk)],
        );
        let uni = iface(
            (1, 0),
            (7, 1, 1),
            vec![ep(0x02, Direction::Out, Transfer::Bulk)],
        );
        let bi = iface(
            (1, 1),
            (7, 1, 2),
            vec![
                ep(0x81, Direction::In, Transfer::Interrupt),
                ep(0x82, Direction::In, Transfer::Bulk),
                ep(0x02, Direction::Out, Transfer::Bulk),
            ],
        );
        let choice = choose_interface(&[storage.clone(), uni.clone(), bi]).unwrap();
        assert_eq!(
            choice,
            Choice {
                interface: 1,
                alt_setting: 1,
                bulk_out: 0x02,
                bulk_in: Some(0x82)
            }
        );
        let only_uni = choose_interface(&[storage.clone(), uni]).unwrap();
        assert_eq!(only_uni.bulk_in, None);
        assert_eq!(choose_interface(&[storage]), None);
    }

    #[test]
    fn selectors_are_vendor_product_in_hex() {
        let s: Selector = "0519:2013".parse().unwrap();
        assert_eq!((s.vendor, s.product), (0x0519, 0x2013));
        assert_eq!(s.to_string(), "0519:2013");
        for bad in ["", "0519", "519:2013", "0519-2013", "zzzz:0000"] {
            assert!(
                matches!(bad.parse::<Selector>(), Err(UsbError::BadSelector(_))),
                "{bad}"
            );
        }
    }
}
