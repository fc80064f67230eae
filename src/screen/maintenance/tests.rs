//! Tests of what needs fixing and of the self-check.

use tongban_device::{CoverState, DeviceKind, DeviceState, DeviceStatus, MediaState, TonerState};

use super::*;
use crate::status::TerminalStatus;

fn status(kind: DeviceKind, state: DeviceState) -> DeviceStatus {
    DeviceStatus {
        state,
        ..DeviceStatus::absent(kind)
    }
}

#[test]
fn each_problem_has_its_fix_and_a_working_device_none() {
    let a4 = |media, cover, toner| DeviceStatus {
        kind: DeviceKind::A4Printer,
        state: DeviceState::UserError,
        media: Some(media),
        toner: Some(toner),
        cover: Some(cover),
    };
    assert_eq!(
        fix_for(&a4(MediaState::Out, CoverState::Closed, TonerState::Full)),
        Some("mt-fix-paper-out")
    );
    assert_eq!(
        fix_for(&a4(MediaState::Full, CoverState::Open, TonerState::Full)),
        Some("mt-fix-cover-open")
    );
    let mut low = a4(MediaState::Low, CoverState::Closed, TonerState::Full);
    low.state = DeviceState::Online;
    assert_eq!(fix_for(&low), Some("mt-fix-paper-low"));
    low.media = Some(MediaState::Full);
    assert_eq!(fix_for(&low), None);
    let mut roll = a4(MediaState::Out, CoverState::Closed, TonerState::Full);
    roll.kind = DeviceKind::ReceiptPrinter;
    roll.toner = None;
    assert_eq!(fix_for(&roll), Some("mt-fix-roll-out"));
    assert_eq!(
        fix_for(&status(DeviceKind::IdCardReader, DeviceState::Offline)),
        Some("mt-fix-offline")
    );
    assert_eq!(
        fix_for(&status(
            DeviceKind::IdCardReader,
            DeviceState::HardwareError
        )),
        Some("mt-fix-reader")
    );
    assert_eq!(
        fix_for(&status(DeviceKind::QrScanner, DeviceState::NoDevice)),
        None
    );
}

#[test]
fn the_self_check_covers_only_configured_devices_and_names_what_failed() {
    let mut terminal = TerminalStatus::unconfigured();
    terminal.set_state(DeviceKind::IdCardReader, DeviceState::Online);
    terminal.set_state(DeviceKind::QrScanner, DeviceState::Offline);
    terminal.set(DeviceStatus {
        kind: DeviceKind::A4Printer,
        state: DeviceState::UserError,
        media: Some(MediaState::Out),
        toner: Some(TonerState::Full),
        cover: Some(CoverState::Closed),
    });
    let checks = self_check(&terminal, [true, true, false, true]);
    assert_eq!(checks.len(), 3);
    assert_eq!(
        checks
            .iter()
            .map(|c| (c.kind, c.passed, c.words))
            .collect::<Vec<_>>(),
        vec![
            (DeviceKind::IdCardReader, true, "mt-check-sam"),
            (DeviceKind::QrScanner, false, "mt-check-no-answer"),
            (DeviceKind::A4Printer, false, "device-detail-paper-out"),
        ]
    );
}
