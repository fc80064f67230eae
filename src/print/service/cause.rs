//! Why a printer cannot take a job, or why one stopped, read from the
//! printer's state.

use tongban_device::{CoverState, DeviceState, DeviceStatus, MediaState, TonerState};

/// Why a printer cannot print, or why a job stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    /// No printer is configured or found.
    NoPrinter,
    /// The printer does not answer.
    Offline,
    /// Out of paper.
    PaperOut,
    /// Paper jammed.
    Jammed,
    /// A cover is open.
    CoverOpen,
    /// Out of toner.
    TonerOut,
    /// A fault the printer reports (cutter, hardware).
    Fault,
    /// Another job is printing.
    Busy,
    /// The page could not be composed (bad licence data).
    Layout,
    /// The print journal cannot be written: nothing is printed unjournalled.
    Journal,
}

impl Cause {
    /// The message id residents see.
    pub fn message_id(self) -> &'static str {
        match self {
            Cause::NoPrinter => "printer-none",
            Cause::Offline => "printer-offline",
            Cause::PaperOut => "printer-paper-out",
            Cause::Jammed => "printer-jammed",
            Cause::CoverOpen => "printer-cover-open",
            Cause::TonerOut => "printer-toner-out",
            Cause::Fault => "printer-fault",
            Cause::Busy => "printer-busy",
            Cause::Layout => "printer-layout",
            Cause::Journal => "printer-journal",
        }
    }

    /// Words for the journal and logs (no personal data).
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::NoPrinter => "no printer",
            Cause::Offline => "printer not answering",
            Cause::PaperOut => "paper out",
            Cause::Jammed => "paper jam",
            Cause::CoverOpen => "cover open",
            Cause::TonerOut => "toner out",
            Cause::Fault => "printer fault",
            Cause::Busy => "printer busy",
            Cause::Layout => "layout failed",
            Cause::Journal => "journal unavailable",
        }
    }
}

/// Whether a printer in this state can take a job, and if not why.
pub fn readiness(status: &DeviceStatus) -> Result<(), Cause> {
    match status.state {
        DeviceState::NoDevice => return Err(Cause::NoPrinter),
        DeviceState::Offline => return Err(Cause::Offline),
        DeviceState::HardwareError => return Err(Cause::Fault),
        _ => {}
    }
    if status.cover == Some(CoverState::Open) {
        return Err(Cause::CoverOpen);
    }
    match status.media {
        Some(MediaState::Out) => return Err(Cause::PaperOut),
        Some(MediaState::Jammed) => return Err(Cause::Jammed),
        _ => {}
    }
    if status.toner == Some(TonerState::Out) {
        return Err(Cause::TonerOut);
    }
    if status.state == DeviceState::UserError {
        return Err(Cause::Fault);
    }
    Ok(())
}
