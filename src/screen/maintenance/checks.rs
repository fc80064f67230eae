//! What needs fixing on a device, and the self-check staff run from the
//! devices tab.

use tongban_device::{CoverState, DeviceKind, DeviceState, DeviceStatus, MediaState, TonerState};

use super::Check;
use crate::status::TerminalStatus;

/// Whether a status is a problem staff should know of.
pub fn is_problem(status: &DeviceStatus) -> bool {
    fix_for(status).is_some()
}

/// How staff fix what a device reports, if anything needs fixing (message
/// id): what stops it first, then what will stop it soon.
pub fn fix_for(status: &DeviceStatus) -> Option<&'static str> {
    let printer = matches!(
        status.kind,
        DeviceKind::A4Printer | DeviceKind::ReceiptPrinter
    );
    match status.state {
        DeviceState::NoDevice => return None,
        DeviceState::Offline => return Some("mt-fix-offline"),
        DeviceState::HardwareError if status.kind == DeviceKind::IdCardReader => {
            return Some("mt-fix-reader");
        }
        DeviceState::HardwareError if !printer => return Some("mt-fix-hardware"),
        _ => {}
    }
    let roll = status.kind == DeviceKind::ReceiptPrinter;
    match (status.media, status.cover, status.toner) {
        (Some(MediaState::Out), _, _) if roll => Some("mt-fix-roll-out"),
        (Some(MediaState::Out), _, _) => Some("mt-fix-paper-out"),
        (Some(MediaState::Jammed), _, _) => Some("mt-fix-jammed"),
        (_, Some(CoverState::Open), _) => Some("mt-fix-cover-open"),
        (_, _, Some(TonerState::Out)) => Some("mt-fix-toner-out"),
        _ if status.state == DeviceState::HardwareError => Some("mt-fix-hardware"),
        _ if status.state == DeviceState::UserError => Some("mt-fix-user-error"),
        (_, _, Some(TonerState::Low)) => Some("mt-fix-toner-low"),
        (Some(MediaState::Low), _, _) if roll => Some("mt-fix-roll-low"),
        (Some(MediaState::Low), _, _) => Some("mt-fix-paper-low"),
        _ => None,
    }
}

/// A self-check from the devices' latest reports: the reader answers with
/// its SAM working (its thread checks the SAM on every open), the scanner
/// is open, the printers report ready. Devices not configured are left
/// out.
pub fn self_check(status: &TerminalStatus, configured: [bool; 4]) -> Vec<Check> {
    DeviceKind::ALL
        .into_iter()
        .zip(configured)
        .filter(|(_, on)| *on)
        .map(|(kind, _)| {
            let s = status
                .device(kind)
                .copied()
                .unwrap_or(DeviceStatus::absent(kind));
            let (passed, words) = match kind {
                DeviceKind::IdCardReader => match s.state {
                    DeviceState::Online | DeviceState::Busy => (true, "mt-check-sam"),
                    DeviceState::HardwareError => (false, "mt-check-sam-failed"),
                    _ => (false, "mt-check-no-answer"),
                },
                DeviceKind::QrScanner => match s.state {
                    DeviceState::Online | DeviceState::Busy => (true, "mt-check-scanner"),
                    _ => (false, "mt-check-no-answer"),
                },
                DeviceKind::A4Printer | DeviceKind::ReceiptPrinter => {
                    match crate::print::service::readiness(&s) {
                        Ok(()) => (true, "mt-check-ready"),
                        Err(cause) => (false, cause_words(cause)),
                    }
                }
            };
            Check {
                kind,
                passed,
                words,
            }
        })
        .collect()
}

/// The message id of why a printer failed its self-check.
fn cause_words(cause: crate::print::service::Cause) -> &'static str {
    use crate::print::service::Cause;
    match cause {
        Cause::PaperOut => "device-detail-paper-out",
        Cause::Jammed => "device-detail-jammed",
        Cause::CoverOpen => "device-detail-cover-open",
        Cause::TonerOut => "device-detail-toner-out",
        Cause::Offline | Cause::NoPrinter => "mt-check-no-answer",
        _ => "device-state-hardware-error",
    }
}
