//! How bytes reach a printer, whatever carries them: the A4 printer over
//! TCP or USB (PJL), the receipt printer over a serial port or USB
//! (ESC/POS), and why a link fails.

use std::time::Duration;

use tongban_device::DeviceStatus;

/// Why a printer link failed: what its driver said, or why a USB printer
/// found is not one the kiosk can use.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The A4 printer over TCP.
    #[error(transparent)]
    Tcp(#[from] tongban_laser::tcp::TcpError),
    /// PJL over another transport (USB).
    #[error(transparent)]
    Pjl(#[from] tongban_laser::link::LinkError),
    /// The receipt printer's serial or USB transport.
    #[error(transparent)]
    Transport(#[from] tongban_escpos::serial::TransportError),
    /// The USB printer class.
    #[error(transparent)]
    Usb(#[from] tongban_usbprint::UsbError),
    /// A USB printer that cannot say what it printed.
    #[error("the USB printer is uni-directional: it cannot confirm pages")]
    OneWay,
    /// A USB A4 printer without PJL and PCL.
    #[error("the USB printer {manufacturer} {model} does not speak PJL and PCL")]
    NoPjl {
        /// As its device id says.
        manufacturer: String,
        /// As its device id says.
        model: String,
    },
}

/// A connection to an A4 printer, whatever carries it.
pub trait A4Link: Send {
    /// Sends bytes.
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError>;
    /// The printer's status.
    fn status(&mut self) -> Result<DeviceStatus, LinkError>;
    /// Its page counter.
    fn pagecount(&mut self) -> Result<u64, LinkError>;
}

impl A4Link for tongban_laser::tcp::Printer {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        tongban_laser::tcp::Printer::send(self, bytes).map_err(LinkError::from)
    }

    fn status(&mut self) -> Result<DeviceStatus, LinkError> {
        tongban_laser::tcp::Printer::status(self)
            .map(|s| tongban_laser::pjl::device_status(&s))
            .map_err(LinkError::from)
    }

    fn pagecount(&mut self) -> Result<u64, LinkError> {
        tongban_laser::tcp::Printer::pagecount(self).map_err(LinkError::from)
    }
}

/// A connection to a receipt printer, whatever carries it.
pub trait ReceiptLink: Send {
    /// Sends bytes.
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError>;
    /// The printer's status.
    fn status(&mut self) -> Result<DeviceStatus, LinkError>;
}

impl ReceiptLink for tongban_escpos::serial::SerialPrinter {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        tongban_escpos::serial::SerialPrinter::send(self, bytes).map_err(LinkError::from)
    }

    fn status(&mut self) -> Result<DeviceStatus, LinkError> {
        self.poll_status()
            .map(|s| s.device_status())
            .map_err(LinkError::from)
    }
}

/// The A4 printer on USB: PJL over the printer-class bulk endpoints. Only a
/// bi-directional printer that speaks PJL and PCL is taken — without its
/// replies no page could be confirmed.
pub(super) fn usb_a4(selector: &str) -> Result<Box<dyn A4Link>, LinkError> {
    use tongban_usbprint::{Timeouts, UsbPrinter};
    let selector = selector
        .parse()
        .map_err(|e: tongban_usbprint::UsbError| LinkError::from(e))?;
    let printer = UsbPrinter::open(selector, Timeouts::default()).map_err(LinkError::from)?;
    if !printer.bidirectional() {
        return Err(LinkError::OneWay);
    }
    if let Ok(id) = printer.device_id()
        && !(id.supports("PJL") && id.supports("PCL"))
    {
        return Err(LinkError::NoPjl {
            manufacturer: id.manufacturer,
            model: id.model,
        });
    }
    Ok(Box::new(UsbA4(tongban_laser::link::PjlLink::new(
        printer,
        Duration::from_secs(2),
    ))))
}

struct UsbA4(tongban_laser::link::PjlLink<tongban_usbprint::UsbPrinter>);

impl A4Link for UsbA4 {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        self.0.send(bytes).map_err(LinkError::from)
    }

    fn status(&mut self) -> Result<DeviceStatus, LinkError> {
        self.0
            .status()
            .map(|s| tongban_laser::pjl::device_status(&s))
            .map_err(LinkError::from)
    }

    fn pagecount(&mut self) -> Result<u64, LinkError> {
        self.0.pagecount().map_err(LinkError::from)
    }
}

/// The receipt printer on USB: ESC/POS over the bulk endpoints, status by
/// `DLE EOT` where the printer answers on bulk IN, else from the port
/// status the printer class defines.
pub(super) fn usb_receipt(selector: &str) -> Result<Box<dyn ReceiptLink>, LinkError> {
    use tongban_usbprint::{Timeouts, UsbPrinter};
    let selector = selector
        .parse()
        .map_err(|e: tongban_usbprint::UsbError| LinkError::from(e))?;
    let printer = UsbPrinter::open(selector, Timeouts::default()).map_err(LinkError::from)?;
    Ok(Box::new(UsbReceipt(printer)))
}

struct UsbReceipt(tongban_usbprint::UsbPrinter);

impl ReceiptLink for UsbReceipt {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        tongban_escpos::serial::send(&mut self.0, bytes).map_err(LinkError::from)
    }

    fn status(&mut self) -> Result<DeviceStatus, LinkError> {
        if self.0.bidirectional() {
            return tongban_escpos::serial::poll_status(&mut self.0, Duration::from_millis(500))
                .map(|s| s.device_status())
                .map_err(LinkError::from);
        }
        let port = self.0.port_status().map_err(LinkError::from)?;
        let status = tongban_escpos::PrinterStatus {
            offline: !port.selected || port.error,
            paper_end: port.paper_empty,
            ..Default::default()
        };
        Ok(status.device_status())
    }
}
