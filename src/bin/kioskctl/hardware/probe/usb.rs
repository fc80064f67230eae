//! Probing a USB printer: its IEEE 1284 id, its port status, and its
//! status over PJL (the A4 printer) or ESC/POS (the receipt printer) when
//! it talks back.

use std::path::Path;
use std::time::Duration;

use super::serial::escpos_failure;
use super::{Answered, Failed, Failure, answer, status_words};
use crate::hardware::usb_printers::DeviceIdOf;
use crate::hardware::{ACCESS_HINT, Configured, USB_BUS};

fn usb_failure(e: tongban_usbprint::UsbError) -> Failed {
    use tongban_usbprint::UsbError;
    let failure = match &e {
        UsbError::NotFound(_) | UsbError::Disconnected => Failure::NotFound,
        UsbError::Permission(_) => Failure::PermissionDenied,
        UsbError::BadSelector(_) => Failure::Config,
        UsbError::BadDeviceId(_) | UsbError::NoPrinterInterface => Failure::Garbage,
        UsbError::Usb(_) => Failure::Io,
    };
    let hint = match failure {
        Failure::PermissionDenied => format!("; {ACCESS_HINT}"),
        Failure::NotFound => {
            "; `kioskctl devices` lists the USB printers attached, with their ids".to_owned()
        }
        _ => String::new(),
    };
    (failure, format!("{e}{hint}"))
}

pub(super) fn probe_usb(
    device: Configured,
    usb_id: &str,
    timeout: Duration,
) -> Result<Answered, Failed> {
    use tongban_usbprint::{Selector, Timeouts, UsbPrinter};
    if usb_id.is_empty() {
        return Err((
            Failure::Config,
            format!(
                "devices.{device}.usb_id is empty while its transport is \"usb\": set vendor:product in hex (see `kioskctl devices`)"
            ),
        ));
    }
    let selector: Selector = usb_id.parse().map_err(usb_failure)?;
    if !Path::new(USB_BUS).is_dir() {
        return Err((
            Failure::NotFound,
            format!(
                "no USB printer {selector} is attached: this machine shows no USB bus ({USB_BUS} is missing)"
            ),
        ));
    }
    let mut printer = UsbPrinter::open(
        selector,
        Timeouts {
            write: timeout,
            ..Timeouts::default()
        },
    )
    .map_err(usb_failure)?;
    let mut answers = Vec::new();
    let device_id = printer.device_id();
    match &device_id {
        Ok(id) => answers.push(answer(
            "device_id",
            DeviceIdOf::from(id.clone()).to_string(),
        )),
        Err(e) => answers.push(answer("device_id", format!("unreadable: {e}"))),
    }
    answers.push(answer(
        "bidirectional",
        if printer.bidirectional() { "yes" } else { "no" }.to_owned(),
    ));
    let port = printer.port_status().map_err(usb_failure)?;
    answers.push(answer(
        "port_status",
        format!(
            "selected {}, paper empty {}, error {}",
            port.selected, port.paper_empty, port.error
        ),
    ));
    let status = if device == Configured::A4Printer && printer.bidirectional() {
        let mut link = tongban_laser::link::PjlLink::new(printer, timeout);
        let status = link
            .status()
            .map_err(|e| (Failure::Timeout, format!("PJL status over USB: {e}")))?;
        if let Ok(pages) = link.pagecount() {
            answers.push(answer("pagecount", pages.to_string()));
        }
        tongban_laser::pjl::device_status(&status)
    } else if printer.bidirectional() {
        tongban_escpos::serial::poll_status(&mut printer, timeout)
            .map_err(|e| escpos_failure(&format!("USB {usb_id}"), e))?
            .device_status()
    } else {
        tongban_escpos::PrinterStatus {
            offline: !port.selected || port.error,
            paper_end: port.paper_empty,
            ..Default::default()
        }
        .device_status()
    };
    answers.insert(0, answer("status", status_words(&status)));
    Ok((answers, Some(status)))
}
