//! The part that talks to libusb.

use std::io::{Read, Write};
use std::time::Duration;

use rusb::{Context, Device, DeviceHandle, UsbContext};

use crate::{
    Choice, ControlRequest, DeviceId, Direction, EndpointInfo, InterfaceInfo, PortStatus, Selector,
    Timeouts, Transfer, UsbError, choose_interface, get_device_id, get_port_status, soft_reset,
};

fn usb_error(e: rusb::Error, what: &str) -> UsbError {
    match e {
        rusb::Error::NoDevice => UsbError::Disconnected,
        rusb::Error::Access => UsbError::Permission(what.to_owned()),
        rusb::Error::NotFound => UsbError::NotFound(what.to_owned()),
        other => UsbError::Usb(format!("{what}: {other}")),
    }
}

/// An attached printer-class device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Bus number.
    pub bus: u8,
    /// Address on the bus.
    pub address: u8,
    /// idVendor.
    pub vendor_id: u16,
    /// idProduct.
    pub product_id: u16,
    /// Its device ID, when it could be read (needs permission to open).
    pub device_id: Option<DeviceId>,
}

fn interfaces<T: UsbContext>(device: &Device<T>) -> Result<(u8, Vec<InterfaceInfo>), rusb::Error> {
    let config = device.active_config_descriptor()?;
    let mut out = Vec::new();
    for interface in config.interfaces() {
        for d in interface.descriptors() {
            out.push(InterfaceInfo {
                number: d.interface_number(),
                alt_setting: d.setting_number(),
                class: d.class_code(),
                subclass: d.sub_class_code(),
                protocol: d.protocol_code(),
                endpoints: d
                    .endpoint_descriptors()
                    .map(|e| EndpointInfo {
                        address: e.address(),
                        direction: match e.direction() {
                            rusb::Direction::In => Direction::In,
                            rusb::Direction::Out => Direction::Out,
                        },
                        transfer: match e.transfer_type() {
                            rusb::TransferType::Bulk => Transfer::Bulk,
                            rusb::TransferType::Interrupt => Transfer::Interrupt,
                            _ => Transfer::Other,
                        },
                    })
                    .collect(),
            });
        }
    }
    Ok((config.number().saturating_sub(1), out))
}

fn control_in<T: UsbContext>(
    handle: &DeviceHandle<T>,
    request: ControlRequest,
    buf: &mut [u8],
) -> Result<usize, rusb::Error> {
    handle.read_control(
        request.request_type,
        request.request,
        request.value,
        request.index,
        buf,
        Duration::from_secs(2),
    )
}

/// Every attached device with a printer interface. On a machine without
/// one (or without USB at all) the list is empty, not an error.
pub fn list() -> Vec<Found> {
    let Ok(context) = Context::new() else {
        return Vec::new();
    };
    let Ok(devices) = context.devices() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for device in devices.iter() {
        let Ok(desc) = device.device_descriptor() else {
            continue;
        };
        let Ok((config_index, infos)) = interfaces(&device) else {
            continue;
        };
        let Some(choice) = choose_interface(&infos) else {
            continue;
        };
        let device_id = device.open().ok().and_then(|handle| {
            let mut buf = [0u8; 1024];
            let request = get_device_id(config_index, choice.interface, choice.alt_setting);
            let n = control_in(&handle, request, &mut buf).ok()?;
            DeviceId::parse(&buf[..n]).ok()
        });
        found.push(Found {
            bus: device.bus_number(),
            address: device.address(),
            vendor_id: desc.vendor_id(),
            product_id: desc.product_id(),
            device_id,
        });
    }
    found
}

/// An open USB printer: its claimed printer interface and bulk endpoints.
/// The kernel's usblp driver is detached while it is open and given the
/// interface back on drop.
pub struct UsbPrinter {
    handle: DeviceHandle<Context>,
    choice: Choice,
    config_index: u8,
    reattach: bool,
    timeouts: Timeouts,
    selector: Selector,
}

impl std::fmt::Debug for UsbPrinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UsbPrinter({}, {:?})", self.selector, self.choice)
    }
}

impl UsbPrinter {
    /// Opens the first attached printer matching `selector`.
    pub fn open(selector: Selector, timeouts: Timeouts) -> Result<Self, UsbError> {
        let name = selector.to_string();
        let context = Context::new().map_err(|e| usb_error(e, &name))?;
        let devices = context.devices().map_err(|e| usb_error(e, &name))?;
        let device = devices
            .iter()
            .find(|d| {
                d.device_descriptor().is_ok_and(|desc| {
                    desc.vendor_id() == selector.vendor && desc.product_id() == selector.product
                })
            })
            .ok_or_else(|| UsbError::NotFound(name.clone()))?;
        let (config_index, infos) = interfaces(&device).map_err(|e| usb_error(e, &name))?;
        let choice = choose_interface(&infos).ok_or(UsbError::NoPrinterInterface)?;
        let handle = device.open().map_err(|e| usb_error(e, &name))?;
        let reattach = handle
            .kernel_driver_active(choice.interface)
            .unwrap_or(false);
        if reattach {
            handle
                .detach_kernel_driver(choice.interface)
                .map_err(|e| usb_error(e, &name))?;
        }
        handle
            .claim_interface(choice.interface)
            .map_err(|e| usb_error(e, &name))?;
        if choice.alt_setting != 0 {
            handle
                .set_alternate_setting(choice.interface, choice.alt_setting)
                .map_err(|e| usb_error(e, &name))?;
        }
        tracing::info!(printer = %selector, interface = choice.interface, bidirectional = choice.bulk_in.is_some(), "USB printer opened");
        Ok(Self {
            handle,
            choice,
            config_index,
            reattach,
            timeouts,
            selector,
        })
    }

    /// Whether the printer answers on bulk IN.
    pub fn bidirectional(&self) -> bool {
        self.choice.bulk_in.is_some()
    }

    /// Its IEEE 1284 device ID.
    pub fn device_id(&self) -> Result<DeviceId, UsbError> {
        let mut buf = [0u8; 1024];
        let request = get_device_id(
            self.config_index,
            self.choice.interface,
            self.choice.alt_setting,
        );
        let n = control_in(&self.handle, request, &mut buf)
            .map_err(|e| usb_error(e, "GET_DEVICE_ID"))?;
        DeviceId::parse(&buf[..n])
    }

    /// GET_PORT_STATUS.
    pub fn port_status(&self) -> Result<PortStatus, UsbError> {
        let mut buf = [0u8; 1];
        let n = control_in(
            &self.handle,
            get_port_status(self.choice.interface),
            &mut buf,
        )
        .map_err(|e| usb_error(e, "GET_PORT_STATUS"))?;
        if n != 1 {
            return Err(UsbError::Usb("GET_PORT_STATUS answered nothing".into()));
        }
        Ok(PortStatus::from_byte(buf[0]))
    }

    /// SOFT_RESET: the printer drops what it buffered.
    pub fn soft_reset(&self) -> Result<(), UsbError> {
        let r = soft_reset(self.choice.interface);
        self.handle
            .write_control(
                r.request_type,
                r.request,
                r.value,
                r.index,
                &[],
                Duration::from_secs(2),
            )
            .map(|_| ())
            .map_err(|e| usb_error(e, "SOFT_RESET"))
    }
}

fn io_error(e: rusb::Error) -> std::io::Error {
    match e {
        rusb::Error::Timeout => std::io::ErrorKind::TimedOut.into(),
        rusb::Error::NoDevice => {
            std::io::Error::new(std::io::ErrorKind::NotConnected, UsbError::Disconnected)
        }
        other => std::io::Error::other(other.to_string()),
    }
}

impl Write for UsbPrinter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Chunks of 16 KiB keep each transfer within one timeout.
        let chunk = &buf[..buf.len().min(16 * 1024)];
        self.handle
            .write_bulk(self.choice.bulk_out, chunk, self.timeouts.write)
            .map_err(io_error)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Read for UsbPrinter {
    /// Reads what the printer sent on bulk IN; nothing within the read
    /// timeout is `ErrorKind::TimedOut` (try again), a uni-directional
    /// printer always reads nothing.
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some(endpoint) = self.choice.bulk_in else {
            return Err(std::io::ErrorKind::TimedOut.into());
        };
        match self.handle.read_bulk(endpoint, buf, self.timeouts.read) {
            // A zero-length packet is "nothing yet", not end of stream.
            Ok(0) => Err(std::io::ErrorKind::TimedOut.into()),
            Ok(n) => Ok(n),
            Err(e) => Err(io_error(e)),
        }
    }
}

impl Drop for UsbPrinter {
    fn drop(&mut self) {
        let _ = self.handle.release_interface(self.choice.interface);
        if self.reattach {
            let _ = self.handle.attach_kernel_driver(self.choice.interface);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_on_a_machine_without_printers_is_empty_not_an_error() {
        // CI machines have no USB printer; the call must simply return.
        let found = list();
        assert!(found.iter().all(|f| f.vendor_id != 0 || f.product_id != 0));
    }

    #[test]
    fn opening_a_printer_that_is_not_there_names_it() {
        let selector: Selector = "ffff:fffe".parse().unwrap();
        let err = UsbPrinter::open(selector, Timeouts::default()).unwrap_err();
        assert!(
            matches!(&err, UsbError::NotFound(s) if s == "ffff:fffe")
                || matches!(err, UsbError::Usb(_)),
            "{err}"
        );
    }
}
