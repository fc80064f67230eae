//! One module per screen, each with its own `Message`, an `update` that
//! returns an `Action` for the top level where it needs one, and a `view`.
//! The top level (`app`) routes between them and draws the header, footer
//! and overlays around them. It never writes a screen's fields: what
//! changes elsewhere while a screen shows reaches it as [`News`], which
//! the screen takes in its `hear` (or ignores).

pub mod apply;
pub mod attract;
pub mod farewell;
pub mod guide;
pub mod home;
pub mod identified;
pub mod identify;
pub mod licence_print;
pub mod licences;
pub mod list;
pub mod maintenance;
pub mod out_of_service;
pub mod pin;
pub mod progress;
pub mod rating;
pub mod services;
pub mod submitted;

use tongban_device::DeviceKind;

use crate::print::service::{Cause, Progress};

/// What the top level tells the screen that shows when something it
/// shows changed elsewhere: a printer, the disk, the platform, the answer
/// a task brought. Each screen's `hear` takes the news it is about and
/// says whether it did.
#[derive(Debug, Clone, PartialEq)]
pub enum News<'a> {
    /// What the platform has made available: the catalogue, and the
    /// platform itself (licences and progress need it).
    Availability {
        /// The catalogue is on this terminal.
        catalogue: bool,
        /// The platform answers.
        platform: bool,
    },
    /// Why a printer cannot print now (`None`: it can).
    PrinterBlocked(DeviceKind, Option<Cause>),
    /// New applications stop (the disk is nearly full) or start again.
    ApplicationsPaused(bool),
    /// The platform listed the resident's licences (or could not).
    Licences(&'a licences::Listing),
    /// The licence types the resident holds electronically.
    Held(&'a [String]),
    /// No print ticket or no page for the licence copy.
    LicenceProblem(crate::print::prepare::Unprintable),
    /// The A4 printer's progress on the licence copy.
    LicenceProgress(Progress),
    /// How the receipt after a submission is doing.
    Receipt(submitted::Receipt),
    /// How the guide's print went (the sentence why not).
    GuidePrinted(Result<(), String>),
    /// The submission was not taken: the sentence's Fluent id.
    SubmitFailed(&'static str),
    /// The scanner read a code (a form field being edited takes it).
    Scanned(&'a str),
    /// The staff PIN was checked: wrong (with what the pad says now), or
    /// right (`None`: maintenance mode opens instead).
    PinChecked(Option<pin::Notice>),
    /// The store's facts for the maintenance board, or why not.
    Facts(Result<&'a crate::facts::Facts, &'a str>),
    /// The answer to the last maintenance action.
    StaffOutcome(maintenance::Outcome),
    /// The self-check's lines.
    SelfCheck(Vec<maintenance::Check>),
}
