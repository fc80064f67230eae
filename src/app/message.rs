//! Everything the UI can be told: the screens' messages, the clocks,
//! the window, the devices' and services' events, and the answers of the
//! tasks the app started.

use std::time::Instant;

use chrono::{DateTime, Local};
use ga467::serial::ReaderEvent;
use iced::{Size, keyboard, window};
use tongban_scanner::serial::ScannerEvent;

use super::StaffMessage;
use crate::print::prepare::Unprintable;
use crate::print::service::PrinterEvent;
use crate::screen::{
    apply, attract, farewell, guide, home, identify, licence_print, licences, progress, rating,
    services, submitted,
};
use crate::session::Identity;
use crate::submit::{Sent, SubmitError};

/// Everything the UI can be told.
#[derive(Debug, Clone)]
pub enum Message {
    /// Switch to the other language.
    ToggleLanguage,
    /// Switch 长者模式 on or off.
    ToggleElder,
    /// From the attract screen.
    Attract(attract::Message),
    /// From the resident's home.
    Home(home::Message),
    /// From the screen that waits for a 随申码 to be confirmed.
    Identify(identify::Message),
    /// A resident identified (ID card or 随申码).
    Identified(Identity),
    /// A tap, click or key anywhere: the resident is still there.
    Activity,
    /// A key was pressed.
    Key(keyboard::Key),
    /// One second passed during a session.
    Tick(Instant),
    /// The wall clock moved to a new minute.
    Clock(DateTime<Local>),
    /// The resident tapped "continue" on the idle warning.
    ExtendSession,
    /// The resident chose to end the session.
    EndSession,
    /// The window changed size.
    Resized(Size),
    /// A frame was presented.
    Frame,
    /// The service manager asked the kiosk to stop (SIGTERM or SIGINT).
    Terminate,
    /// Stop now, whether or not the print job being waited for ended.
    StopNow,
    /// The UI loop's beat for the service manager's watchdog.
    Alive,
    /// The window system asked to close the window (ignored in kiosk mode).
    CloseRequested(window::Id),
    /// Demo mode: SIGUSR1 freezes the UI loop, to try the watchdog.
    DemoFreeze,
    /// The size of the monitor the window is on.
    Monitor(window::Id, Option<Size>),
    /// From the ID card reader's device thread.
    Reader(ReaderEvent),
    /// From the scanner's device thread.
    Scanner(ScannerEvent),
    /// A notice has been shown long enough.
    ClearNotice(u64),
    /// The identified screen has been shown long enough.
    EnterHome,
    /// Animation step of the "reading your card" indicator.
    Spin,
    /// From the list of the resident's licences.
    Licences(licences::Message),
    /// From the licence printing screen.
    LicencePrint(licence_print::Message),
    /// The ticket came and the page is composed (or why not), for the
    /// session it was asked in.
    LicencePrepared(
        u64,
        Result<crate::print::prepare::Prepared, (Unprintable, Option<String>)>,
    ),
    /// A print result was queued for the platform (or could not be).
    PrintReported(Result<Vec<Sent>, SubmitError>),
    /// From the A4 printer's service thread.
    A4(PrinterEvent),
    /// From the receipt printer's service thread.
    Receipt(PrinterEvent),
    /// From the platform service.
    Platform(crate::platform::PlatformEvent),
    /// From the thread that watches the store's free disk space.
    Disk(crate::disk::DiskEvent),
    /// The platform's answer to a scanned 随申码, for the identification
    /// attempt it was asked in (the scan's: an answer for another attempt,
    /// or one that comes after the wait ended, is dropped).
    SuishenmaSession(
        u64,
        Result<tongban_platform_api::resident::ResidentSession, crate::platform::ClientError>,
    ),
    /// The platform's session for a resident identified by card, for the
    /// session it was asked in (the card's identification attempt).
    PlatformSession(
        u64,
        Result<tongban_platform_api::resident::ResidentSession, crate::platform::ClientError>,
    ),
    /// The resident's electronic licences, from the platform.
    HeldLicences(
        u64,
        Result<Vec<tongban_platform_api::licence::LicenceSummary>, crate::platform::ClientError>,
    ),
    /// From the catalogue screen.
    Services(services::Message),
    /// From an item's guide.
    Guide(guide::Message),
    /// From the form.
    Apply(apply::Message),
    /// The form's submission was taken (or could not be).
    Submitted(u64, Result<Vec<Sent>, SubmitError>),
    /// From the screen after submitting.
    AfterSubmit(submitted::Message),
    /// From the progress screen.
    Progress(progress::Message),
    /// The resident's applications, from the platform.
    Applications(
        u64,
        Result<Vec<tongban_platform_api::application::Progress>, crate::platform::ClientError>,
    ),
    /// From the rating screen.
    Rating(rating::Message),
    /// A rating was queued (or could not be).
    Rated(Result<Vec<Sent>, SubmitError>),
    /// From the farewell screen.
    Farewell(farewell::Message),
    /// The farewell has shown long enough.
    FarewellOver(u64),
    /// Branch staff: the PIN pad and maintenance mode.
    Staff(StaffMessage),
}
