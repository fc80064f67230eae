//! The top level of the kiosk UI: routes between screens, owns the resident
//! session and its idle timer, and draws the header, footer and overlays.
//! `update` and `view` never block and never do I/O: clocks, signals and
//! device events arrive as messages from subscriptions.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Local, Timelike, Weekday};
use iced::futures::{SinkExt, Stream};
use iced::{Element, Event, Size, Subscription, Task, event, keyboard, mouse, touch, window};
use kiosk_config::Config;

use crate::devices::{Configured, identity_of, today};
pub use crate::devices::{DemoReader, DemoScanner};
use crate::i18n::{Arg, I18n, Language};
use crate::print::service::{self as printing, Cause, PrintRequest, PrinterEvent, Queue};
use crate::screen::{
    apply, attract, farewell, guide, home, identified, identify, licence_print, licences,
    maintenance, out_of_service, pin, progress, rating, services, submitted,
};

mod staff;
use crate::search::{SearchIndex, Target};
use crate::session::{Identity, IdlePhase, IdleTimer, Session};
use crate::status::TerminalStatus;
use crate::store::SubmissionKind;
use crate::submit::{Sent, SubmitError};
use crate::theme::Metrics;
use crate::widget::{self, Ctx, HeaderInfo, Layout};
use ga467::serial::ReaderEvent;
pub use staff::{
    OUT_OF_SERVICE, PIN_FAILURES, PIN_LOCK_LEFT, PIN_LOCKED_UNTIL, StaffMessage, stored_failures,
    stored_lock, stored_out_of_service,
};
use tongban_device::{DeviceKind, DeviceState};
use tongban_platform_api::catalogue::Catalogue;
use tongban_scanner::serial::ScannerEvent;

/// How long a stop waits for the licence print job under way (systemd's
/// stop timeout in the unit is longer).
const STOP_GRACE: Duration = Duration::from_secs(10);

/// How the kiosk was started.
#[derive(Debug, Clone)]
pub struct Options {
    /// The validated, merged configuration.
    pub config: Arc<Config>,
    /// Demo mode: demo controls show.
    pub demo: bool,
    /// Exit as soon as the first frame has been presented (start-up timing).
    pub exit_after_first_frame: bool,
    /// When the process started, for start-up timing.
    pub started: Instant,
    /// Whether the window covers the whole monitor (the kiosk) or is a
    /// normal window (development).
    pub fullscreen: bool,
    /// The devices the terminal has (and the demo's simulated ones).
    pub devices: Configured,
    /// The central platform, if one is configured.
    pub platform: Option<crate::platform::PlatformService>,
    /// The kiosk's store, where submissions queue.
    pub store: Option<std::path::PathBuf>,
    /// Out of service by staff when the kiosk stopped, with the reason.
    pub staff_out_of_service: Option<kiosk_config::Localized>,
    /// What is left of a staff PIN lockout from before a restart.
    pub pin_locked_for: Option<Duration>,
    /// Wrong staff PINs in a row from before a restart.
    pub pin_failures: u32,
    /// The fleet's PIN pepper (read at start from the file the terminal's
    /// own config names); without it no PIN opens maintenance mode.
    pub staff_pepper: Option<crate::staff::Pepper>,
    /// The service manager (systemd) the kiosk reports to, if any.
    pub service_manager: crate::sd_notify::ServiceManager,
}

impl Options {
    /// A kiosk with this config, no devices, windowed, not in demo mode:
    /// what tests, examples and benchmarks drive through `update` and
    /// `view`.
    pub fn headless(config: Config) -> Self {
        Self {
            config: Arc::new(config),
            demo: false,
            exit_after_first_frame: false,
            started: Instant::now(),
            fullscreen: false,
            devices: Configured::default(),
            platform: None,
            store: None,
            staff_out_of_service: None,
            pin_locked_for: None,
            pin_failures: 0,
            staff_pepper: None,
            service_manager: crate::sd_notify::ServiceManager::none(),
        }
    }
}

/// A short message on the attract screen about the last card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The card has expired.
    CardExpired,
    /// The card could not be read.
    CardReadFailed,
    /// A kind of card the terminal does not take.
    CardUnsupported,
    /// A 随申码 was scanned but there is no platform to resolve it.
    SuishenmaNeedsPlatform,
    /// The platform does not know the 随申码 (expired, or not a resident's).
    SuishenmaUnknown,
    /// A code that is not a 随申码.
    NotSuishenma,
    /// The scanner read something that is not a usable code.
    ScanUnreadable,
    /// The platform did not confirm a 随申码 in time.
    IdentifyTimeout,
}

impl Notice {
    fn message_id(self) -> &'static str {
        match self {
            Notice::CardExpired => "notice-card-expired",
            Notice::CardReadFailed => "notice-card-read-failed",
            Notice::CardUnsupported => "notice-card-unsupported",
            Notice::SuishenmaNeedsPlatform => "notice-suishenma-needs-platform",
            Notice::SuishenmaUnknown => "notice-suishenma-unknown",
            Notice::NotSuishenma => "notice-not-suishenma",
            Notice::ScanUnreadable => "notice-scan-unreadable",
            Notice::IdentifyTimeout => "notice-identify-timeout",
        }
    }
}

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
        Result<crate::print::prepare::Prepared, (licence_print::Problem, Option<String>)>,
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

/// Which screen shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Waiting for a resident.
    Attract,
    /// Waiting for the platform to confirm a scanned 随申码 (no session
    /// yet).
    Identifying(identify::State),
    /// A resident's home.
    Home(home::State),
    /// The resident's licences.
    Licences(licences::State),
    /// Printing a licence copy.
    LicencePrint(Box<licence_print::State>),
    /// The catalogue and search.
    Services(services::State),
    /// An item's guide.
    Guide(guide::State),
    /// Filling in a form.
    Apply(Box<apply::State>),
    /// After submitting.
    Submitted(submitted::State),
    /// The resident's applications.
    Progress(progress::State),
    /// Rating the service.
    Rating(rating::State),
    /// "Take your card and papers" (the session is already wiped).
    Farewell(u64),
    /// The staff PIN pad.
    Pin(pin::State),
    /// Maintenance mode.
    Maintenance(Box<maintenance::State>),
}

impl Screen {
    /// The key of this screen's idle timeout in config.
    fn timeout_key(&self) -> &'static str {
        match self {
            Screen::Attract | Screen::Identifying(_) | Screen::Farewell(_) => "default",
            Screen::Home(_) | Screen::Submitted(_) => "home",
            Screen::LicencePrint(_) | Screen::Licences(_) => "licences",
            Screen::Services(_) => "catalogue",
            Screen::Guide(_) => "guide",
            Screen::Apply(_) => "form",
            Screen::Progress(_) => "progress",
            Screen::Rating(_) => "rating",
            Screen::Pin(_) | Screen::Maintenance(_) => "maintenance",
        }
    }
}

/// A print ticket while it is used: its page, and what the printer
/// confirmed so far. The page is personal data, wiped when done.
struct HeldTicket {
    ticket: String,
    page: Arc<tongban_laser::Bitmap>,
    /// Copies sent to the printer (0: not printed yet).
    sent: u32,
    /// Pages the printer confirmed.
    confirmed: u32,
}

struct ActiveSession {
    session: Session,
    idle: IdleTimer,
    phase: IdlePhase,
    /// Tells this session's answers from an earlier one's: the number of
    /// the identification attempt that opened it.
    id: u64,
    /// Licence types the resident holds electronically (no numbers).
    held: Vec<String>,
    /// The resident's licences as the platform listed them.
    licences: licences::Listing,
    /// Orders this resident's submissions in the outbox: the platform's
    /// reference, or one made for the session while the platform is away.
    resident_key: String,
    /// The item or bundle the last submission was for (for its rating).
    last_item: Option<String>,
    /// The application number the last submission got.
    last_application: Option<String>,
}

/// Why a session ended (logged; carries no personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The resident chose to finish.
    Finished,
    /// Nobody touched the screen for the screen's timeout.
    IdleTimeout,
    /// The kiosk is stopping.
    Shutdown,
}

/// The kiosk UI.
pub struct App {
    options: Options,
    i18n: I18n,
    language: Language,
    elder: bool,
    viewport: Size,
    now: DateTime<Local>,
    status: TerminalStatus,
    screen: Screen,
    session: Option<ActiveSession>,
    frames_seen: u32,
    /// SIGTERM came; the kiosk stops once the print job it waits for ends.
    stopping: bool,
    notice: Option<(Notice, u64)>,
    notices_shown: u64,
    demo_unplugged: bool,
    spin: u8,
    confirming: bool,
    a4_queue: Option<Queue>,
    receipt_queue: Option<Queue>,
    jobs_queued: u64,
    /// The job the licence screen waits for.
    licence_job: Option<u64>,
    /// The print ticket and page being previewed or printed.
    licence_ticket: Option<HeldTicket>,
    /// Out of service by the platform's command, with its reason.
    remote_out_of_service: Option<kiosk_config::Localized>,
    /// The catalogue version held.
    catalogue_version: Option<u64>,
    /// Calls the platform from tasks (never from `update` itself).
    platform_client: Option<crate::platform::Client>,
    /// Where device states go for the heartbeat.
    device_sink: Option<crate::platform::DeviceSink>,
    /// The catalogue held, and its search index.
    catalogue: Option<(Arc<Catalogue>, Arc<SearchIndex>)>,
    /// Calls made while the resident waits (short timeouts).
    waiting_client: Option<crate::platform::Client>,
    /// Identification attempts so far, by card or 随申码: each has the
    /// next number, a session takes its attempt's number, and every
    /// answer about an identification carries it.
    attempts: u64,
    /// The receipt the screen after submitting waits for.
    receipt_job: Option<u64>,
    /// Farewells shown so far.
    farewells: u64,
    /// The catalogue screen as the resident left it for a guide.
    services_state: Option<services::State>,
    /// A catalogue that arrived during a session, taken when the attract
    /// screen comes back: the session's screens hold indices into the
    /// catalogue it started with.
    pending_catalogue: Option<(Arc<Catalogue>, Arc<SearchIndex>)>,
    /// Flips each time the window asks for the style (after every
    /// update): see [`App::style`].
    style_flip: std::cell::Cell<bool>,
    /// Branch staff: lockout, maintenance mode's timer, out of service.
    staff: staff::StaffDesk,
    /// Fleet config that came during a session, applied when it ends.
    pending_config: Option<Arc<Config>>,
    /// The store's disk is nearly full: no new applications (see
    /// [`crate::disk`]).
    disk_low: bool,
    /// Asks the disk thread to measure now.
    disk_recheck: Option<crate::disk::Recheck>,
}

impl App {
    /// The UI in its start state: the attract screen in the configured
    /// default language.
    pub fn new(options: Options, i18n: I18n) -> Self {
        let config = &options.config;
        let mut status = TerminalStatus::unconfigured();
        // A configured device is offline until its thread reports.
        if options.devices.scanner.is_some() {
            status.set_state(DeviceKind::QrScanner, DeviceState::Offline);
        }
        if options.devices.reader.is_some() {
            status.set_state(DeviceKind::IdCardReader, DeviceState::Offline);
        }
        if options.devices.a4.is_some() {
            status.set_state(DeviceKind::A4Printer, DeviceState::Offline);
        }
        if options.devices.receipt.is_some() {
            status.set_state(DeviceKind::ReceiptPrinter, DeviceState::Offline);
        }
        if options.platform.is_some() {
            status.network = crate::status::NetworkState::Offline;
        }
        // The store's disk guard, shared with submissions and the
        // heartbeat; measuring starts with the subscription.
        if let Some(store) = &options.store {
            crate::disk::guard(store, config.store.min_free_mb);
        }
        Self {
            language: config.ui.default_language,
            elder: config.ui.elder_mode_default,
            i18n,
            viewport: Size::new(1920.0, 1080.0),
            now: Local::now(),
            status,
            screen: Screen::Attract,
            session: None,
            frames_seen: 0,
            stopping: false,
            notice: None,
            notices_shown: 0,
            demo_unplugged: false,
            spin: 0,
            confirming: false,
            a4_queue: None,
            receipt_queue: None,
            jobs_queued: 0,
            licence_job: None,
            licence_ticket: None,
            remote_out_of_service: None,
            catalogue_version: None,
            device_sink: None,
            platform_client: options.platform.as_ref().and_then(|p| {
                p.client(crate::platform::ClientOptions::default())
                    .map_err(|error| tracing::error!(%error, "no platform client"))
                    .ok()
            }),
            waiting_client: options
                .platform
                .as_ref()
                .and_then(|p| p.client(crate::submit::waiting_options()).ok()),
            catalogue: None,
            attempts: 0,
            receipt_job: None,
            farewells: 0,
            pending_catalogue: None,
            services_state: None,
            style_flip: std::cell::Cell::new(false),
            staff: staff::StaffDesk::new(
                config,
                options.staff_out_of_service.clone(),
                options.pin_locked_for,
                options.pin_failures,
            ),
            pending_config: None,
            disk_low: false,
            disk_recheck: None,
            options,
        }
    }

    /// The window's style. The background alternates between two colours
    /// that look the same (they differ by far less than one step of 8-bit
    /// colour): the software renderer redraws the whole window when the
    /// background changes, instead of only the regions its damage tracking
    /// finds, which in iced 0.14 misses text that appears or moves (a new
    /// screen's texts were left undrawn in the real window). A full frame
    /// costs at most a few milliseconds (BENCHMARKS.md), and the style is
    /// asked for once per update, not per animation frame.
    pub fn style(&self, theme: &iced::Theme) -> iced::theme::Style {
        let flip = !self.style_flip.get();
        self.style_flip.set(flip);
        let mut style = iced::theme::Base::base(theme);
        if flip {
            style.background_color.b += 1.0e-6;
        }
        style
    }

    /// The UI and its first task: in fullscreen, fit the window to the
    /// monitor even where no window manager applies the fullscreen request
    /// (a bare X server).
    pub fn boot(options: Options, i18n: I18n) -> (Self, Task<Message>) {
        let fullscreen = options.fullscreen;
        let mut app = Self::new(options, i18n);
        let task = if fullscreen {
            window::oldest()
                .and_then(|id| window::monitor_size(id).map(move |size| Message::Monitor(id, size)))
        } else {
            Task::none()
        };
        let sheets = app.read_sheets();
        // What is left of a PIN lock is stored again at each start.
        let lock = app.keep_pin_lock(Instant::now());
        (app, Task::batch([task, sheets, lock]))
    }

    /// The window title.
    pub fn title(&self) -> String {
        let service = &self.options.config.service.name;
        match self.language {
            Language::ZhCn => service.zh.clone(),
            Language::En => service.en.clone(),
        }
    }

    /// The current language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Whether 长者模式 is on.
    pub fn elder_mode(&self) -> bool {
        self.elder
    }

    /// The current screen.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// Whether the "identity confirmed" card shows over the home screen.
    pub fn confirming_identity(&self) -> bool {
        self.confirming
    }

    /// The licence job the screen waits for (its token), if any.
    pub fn licence_job(&self) -> Option<u64> {
        self.licence_job
    }

    /// The number of the open session (answers from tasks carry it).
    pub fn session_number(&self) -> Option<u64> {
        self.current_session()
    }

    /// Whether a resident session is open.
    pub fn has_session(&self) -> bool {
        self.session.is_some()
    }

    /// Whether the idle warning shows.
    pub fn idle_warning(&self) -> Option<u64> {
        if self.in_staff_mode() {
            return self.staff_warning();
        }
        match self.session.as_ref()?.phase {
            IdlePhase::Warning { remaining_secs } => Some(remaining_secs),
            _ => None,
        }
    }

    /// Whether the out-of-service screen replaces the attract screen: by
    /// config, by staff, by the platform's command, or by the terminal
    /// itself when no device can identify residents.
    pub fn out_of_service(&self) -> bool {
        !self.options.config.service.in_service
            || self.remote_out_of_service.is_some()
            || self.staff.out_of_service.is_some()
            || self.automatic_out_of_service().is_some()
    }

    /// The catalogue version held, once the platform service says.
    pub fn catalogue_version(&self) -> Option<u64> {
        self.catalogue_version
    }

    /// The identification attempt the waiting screen waits for, if it
    /// shows.
    pub fn identification_attempt(&self) -> Option<u64> {
        match &self.screen {
            Screen::Identifying(state) => Some(state.attempt),
            _ => None,
        }
    }

    /// A new identification attempt's number.
    fn next_attempt(&mut self) -> u64 {
        self.attempts += 1;
        self.attempts
    }

    /// The platform's answer to the 随申码 scanned in `attempt`. Only the
    /// attempt the waiting screen still waits for counts: an answer for an
    /// earlier scan, or one that comes after the resident cancelled, the
    /// wait timed out, a card was read or staff took the terminal, would
    /// open someone else's session for whoever stands there now.
    fn suishenma_session(
        &mut self,
        attempt: u64,
        result: Result<
            tongban_platform_api::resident::ResidentSession,
            crate::platform::ClientError,
        >,
    ) -> Task<Message> {
        if self.identification_attempt() != Some(attempt) {
            // The attempt number only: the answer is someone's identity.
            tracing::info!(
                attempt,
                answered = result.is_ok(),
                "随申码 answer dropped: not the identification the terminal waits for"
            );
            return Task::none();
        }
        self.screen = Screen::Attract;
        match result {
            Ok(session) => {
                tracing::info!(attempt, "随申码 resolved by the platform");
                self.notice = None;
                let identity = Identity {
                    name: session.masked_name.clone(),
                    number: String::new(),
                    kind: crate::session::DocumentKind::ResidentId,
                    source: crate::session::IdentitySource::SuishenmaQr,
                    sex: String::new(),
                    birth: String::new(),
                    address: String::new(),
                };
                let started = self.start_session(identity, Instant::now(), attempt);
                let licences = self.platform_session(attempt, Ok(session));
                Task::batch([started, licences])
            }
            Err(crate::platform::ClientError::Refused(404)) => {
                tracing::info!("随申码 not known to the platform");
                self.show_notice(Notice::SuishenmaUnknown)
            }
            Err(error) => {
                tracing::warn!(%error, "随申码 could not be resolved");
                self.show_notice(Notice::SuishenmaNeedsPlatform)
            }
        }
    }

    fn platform_event(&mut self, event: crate::platform::PlatformEvent) {
        self.apply_platform_event(event);
        // The home's entries follow what the platform made available.
        if let Screen::Home(state) = &mut self.screen {
            state.catalogue_ready = self.catalogue_version.is_some();
            state.platform_ready = self.status.network == crate::status::NetworkState::Online;
        }
    }

    fn apply_platform_event(&mut self, event: crate::platform::PlatformEvent) {
        use crate::platform::PlatformEvent;
        use crate::status::NetworkState;
        use tongban_platform_api::terminal::Command;
        match event {
            PlatformEvent::Ready(sink) => {
                sink.send(&self.status.devices);
                self.device_sink = Some(sink);
            }
            PlatformEvent::Online => self.status.network = NetworkState::Online,
            PlatformEvent::Offline(_) => self.status.network = NetworkState::Offline,
            PlatformEvent::Catalogue(version) => self.catalogue_version = Some(version),
            PlatformEvent::CatalogueData(crate::platform::CatalogueData(catalogue)) => {
                self.catalogue_version = Some(catalogue.version);
                let index = Arc::new(SearchIndex::new(&catalogue));
                // A session's screens (the home's most used items, a list,
                // a guide, a form, the catalogue screen kept for "back")
                // hold indices into the catalogue the session started
                // with: the resident finishes on it, and the new one
                // applies when the attract screen comes back.
                if self.session.is_some() && self.catalogue.is_some() {
                    tracing::info!(
                        version = catalogue.version,
                        "new catalogue taken when this session ends"
                    );
                    self.pending_catalogue = Some((catalogue, index));
                } else {
                    self.catalogue = Some((catalogue, index));
                    self.pending_catalogue = None;
                }
            }
            PlatformEvent::Outbox(_) => {}
            PlatformEvent::Command(Command::OutOfService {
                reason_zh,
                reason_en,
            }) => {
                tracing::info!("out of service by the platform's command");
                self.remote_out_of_service = Some(kiosk_config::Localized {
                    zh: reason_zh,
                    en: reason_en,
                });
            }
            PlatformEvent::Command(Command::InService) => {
                tracing::info!("back in service by the platform's command");
                self.remote_out_of_service = None;
            }
            PlatformEvent::Command(other) => {
                tracing::debug!(?other, "platform command not for the UI")
            }
            PlatformEvent::Config(crate::platform::ConfigData(config)) => {
                if self.session.is_none() && !self.in_staff_mode() {
                    self.apply_config(config);
                } else {
                    // Never in the middle of a resident's session or a
                    // staff member's work: when it ends.
                    tracing::info!("new config waits for the terminal to be idle");
                    self.pending_config = Some(config);
                }
            }
        }
    }

    /// Puts a new config in force while nobody is served: texts, banner,
    /// timeouts, PINs, licence purposes and the rest the UI reads apply at
    /// once; what the services were started with (devices, store,
    /// logging, the platform's address) at the next start.
    fn apply_config(&mut self, config: Arc<Config>) {
        let old = &self.options.config;
        let restart = [
            ("devices", old.devices != config.devices),
            ("store", old.store != config.store),
            ("logging", old.logging != config.logging),
            ("platform", old.platform != config.platform),
        ];
        for (section, changed) in restart {
            if changed {
                tracing::info!(section, "config change takes effect at the next start");
            }
        }
        if matches!(self.screen, Screen::Attract) {
            self.language = config.ui.default_language;
            self.elder = config.ui.elder_mode_default;
        }
        self.options.config = config;
        tracing::info!("new config in force");
    }

    /// A config that waited for the terminal to be idle.
    fn apply_pending_config(&mut self) {
        if let Some(config) = self.pending_config.take() {
            self.apply_config(config);
        }
    }

    /// The config in force.
    pub fn config(&self) -> &Config {
        &self.options.config
    }

    /// Sets the viewport size (the window reports it; tests set it).
    pub fn set_viewport(&mut self, size: Size) {
        self.viewport = size;
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            i18n: &self.i18n,
            language: self.language,
            m: Metrics::new(self.elder),
            layout: Layout::of(self.viewport),
        }
    }

    fn idle_timeout(&self) -> Duration {
        self.options
            .config
            .session
            .idle_timeout(self.screen.timeout_key())
    }

    /// Handles a message. Never blocks.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::ToggleLanguage => {
                self.language = match self.language {
                    Language::ZhCn => Language::En,
                    Language::En => Language::ZhCn,
                };
                tracing::debug!(
                    language = crate::i18n::tag(self.language),
                    "language switched"
                );
            }
            Message::ToggleElder => {
                self.elder = !self.elder;
                tracing::debug!(elder = self.elder, "elder mode switched");
            }
            Message::Attract(attract::Message::DemoPlaceCard) => {
                if self.options.demo {
                    return self.demo_key(keyboard::key::Named::F2);
                }
            }
            Message::Home(message) => {
                if let Screen::Home(state) = &mut self.screen {
                    match state.update(message) {
                        home::Action::None => {}
                        home::Action::Open(home::Entry::Licences) => {
                            tracing::info!("entry chosen: licences");
                            return self.open_licences();
                        }
                        home::Action::Open(home::Entry::Services) => {
                            tracing::info!("entry chosen: services");
                            if let Some((catalogue, _)) = &self.catalogue {
                                self.screen = Screen::Services(services::State::new(catalogue));
                                self.reset_idle();
                            }
                        }
                        home::Action::Open(home::Entry::Progress) => {
                            tracing::info!("entry chosen: progress");
                            return self.open_progress();
                        }
                        home::Action::Item(i) => {
                            tracing::info!("most used item chosen");
                            self.open_guide(Target::Item(i));
                        }
                        home::Action::Finish => return self.finish(),
                    }
                }
            }
            Message::Identified(identity) => {
                let attempt = self.next_attempt();
                return self.start_session(identity, Instant::now(), attempt);
            }
            Message::Identify(identify::Message::Cancel) => {
                if let Screen::Identifying(state) = &self.screen {
                    tracing::info!(attempt = state.attempt, "identification cancelled");
                    self.screen = Screen::Attract;
                }
            }
            Message::EnterHome => {
                if self.confirming && self.session.is_some() {
                    self.confirming = false;
                    if let Some(active) = &mut self.session {
                        active.idle.touch(Instant::now());
                    }
                }
            }
            Message::Spin => self.spin = self.spin.wrapping_add(1),
            Message::Licences(message) => return self.licences_message(message),
            Message::LicencePrint(message) => return self.licence_print_message(message),
            Message::LicencePrepared(session, result) => {
                return self.licence_prepared(session, result);
            }
            Message::PrintReported(result) => {
                if let Err(error) = result {
                    tracing::error!(%error, "print result not queued");
                }
            }
            Message::Services(message) => {
                if let (Screen::Services(state), Some((catalogue, index))) =
                    (&mut self.screen, &self.catalogue)
                {
                    match state.update(message, catalogue, index, self.elder) {
                        services::Action::None => {}
                        services::Action::Open(target) => self.open_guide(target),
                        services::Action::Home => self.go_home(),
                    }
                }
            }
            Message::Guide(message) => return self.guide_message(message),
            Message::Apply(message) => return self.apply_message(message),
            Message::Submitted(session, result) => return self.submitted(session, result),
            Message::AfterSubmit(message) => match message {
                submitted::Message::Rate => {
                    self.screen = Screen::Rating(rating::State::default());
                    self.reset_idle();
                }
                submitted::Message::Home => self.go_home(),
                submitted::Message::Finish => return self.finish(),
            },
            Message::Progress(progress::Message::Back) => self.go_home(),
            Message::Progress(progress::Message::Retry) => return self.open_progress(),
            Message::Applications(session, result) => {
                if self.current_session() == Some(session)
                    && let Screen::Progress(state) = &mut self.screen
                {
                    *state = match result {
                        Ok(list) => progress::State::Loaded(list),
                        Err(crate::platform::ClientError::Refused(401 | 403)) => {
                            progress::State::Failed("progress-error-session")
                        }
                        Err(error) => {
                            tracing::warn!(%error, "applications not fetched");
                            progress::State::Failed("progress-error-platform")
                        }
                    };
                }
            }
            Message::Rating(message) => return self.rating_message(message),
            Message::Rated(result) => {
                if let Err(error) = result {
                    tracing::warn!(%error, "rating not queued");
                }
            }
            Message::PlatformSession(session, result) => {
                return self.platform_session(session, result);
            }
            Message::HeldLicences(session, result) => self.held_licences(session, result),
            Message::Farewell(farewell::Message::Done) => self.leave_farewell(),
            Message::FarewellOver(n) => {
                if self.screen == Screen::Farewell(n) {
                    self.leave_farewell();
                }
            }
            Message::A4(event) => return self.a4_event(event),
            Message::Receipt(event) => return self.receipt_event(event),
            Message::Platform(event) => self.platform_event(event),
            Message::Disk(event) => self.disk_event(event),
            Message::SuishenmaSession(attempt, result) => {
                return self.suishenma_session(attempt, result);
            }
            Message::Activity => {
                self.activity(Instant::now());
                self.staff_activity(Instant::now());
            }
            Message::Key(key) => {
                self.activity(Instant::now());
                self.staff_activity(Instant::now());
                if let (true, keyboard::Key::Named(named)) = (self.options.demo, key) {
                    return self.demo_key(named);
                }
            }
            Message::Reader(event) => return self.reader_event(event),
            Message::Scanner(event) => return self.scanner_event(event),
            Message::ClearNotice(id) => {
                if self.notice.is_some_and(|(_, shown)| shown == id) {
                    self.notice = None;
                }
            }
            Message::Tick(now) => {
                self.now = Local::now();
                let lock = self.keep_pin_lock(now);
                if self.staff.idle.is_some() {
                    return Task::batch([lock, self.staff_tick(now)]);
                }
                if let Screen::Identifying(state) = &self.screen {
                    if state.expired(now) {
                        // The answer, if it still comes, is dropped.
                        tracing::info!(
                            attempt = state.attempt,
                            "no answer to the 随申码 in time; identification abandoned"
                        );
                        self.screen = Screen::Attract;
                        return Task::batch([lock, self.show_notice(Notice::IdentifyTimeout)]);
                    }
                    return lock;
                }
                return Task::batch([lock, self.tick(now)]);
            }
            Message::Clock(now) => {
                self.now = now;
                return self.keep_pin_lock(Instant::now());
            }
            Message::ExtendSession => {
                self.staff_activity(Instant::now());
                if let Some(active) = &mut self.session {
                    active.idle.touch(Instant::now());
                    active.phase = IdlePhase::Active;
                    tracing::info!("session extended after idle warning");
                }
            }
            Message::EndSession if self.in_staff_mode() => {
                return self.update(Message::Staff(StaffMessage::Maintenance(
                    maintenance::Message::Exit,
                )));
            }
            Message::EndSession => return self.finish(),
            Message::Staff(message) => return self.staff_message(message),
            Message::Resized(size) => self.viewport = size,
            Message::Monitor(id, Some(size)) => {
                tracing::info!(
                    width = size.width,
                    height = size.height,
                    "fitting the window to the monitor"
                );
                return Task::batch([
                    window::move_to(id, iced::Point::ORIGIN),
                    window::resize(id, size),
                    window::set_mode(id, window::Mode::Fullscreen),
                ]);
            }
            Message::Monitor(_, None) => tracing::warn!("monitor size unknown"),
            Message::Frame => {
                self.frames_seen = self.frames_seen.saturating_add(1);
                if self.frames_seen == 1 {
                    tracing::info!(
                        elapsed_ms = self.options.started.elapsed().as_millis() as u64,
                        "first frame presented"
                    );
                    self.options.service_manager.ready();
                    if self.options.exit_after_first_frame {
                        return iced::exit();
                    }
                }
            }
            Message::Terminate => {
                if self.stopping {
                    return Task::none();
                }
                self.stopping = true;
                self.options.service_manager.stopping();
                tracing::info!("termination requested; stopping");
                if self.licence_job.is_some() {
                    // Pages are coming out: let the printer finish them, so
                    // the journal says what came out instead of "uncertain".
                    tracing::info!(
                        grace_secs = STOP_GRACE.as_secs(),
                        "waiting for the licence print job before stopping"
                    );
                    // The timer is made when the runtime polls it, inside
                    // its reactor, not here.
                    return Task::perform(async { tokio::time::sleep(STOP_GRACE).await }, |()| {
                        Message::StopNow
                    });
                }
                return self.update(Message::StopNow);
            }
            Message::StopNow => {
                if self.licence_job.is_some() {
                    tracing::warn!(
                        "stopping with a print job still open; it is journalled as uncertain"
                    );
                }
                if self.session.is_some() {
                    // An unused ticket's release would need the runtime
                    // that is stopping; the platform's open tickets lapse.
                    let _ = self.end_session(EndReason::Shutdown);
                }
                return iced::exit();
            }
            Message::Alive => self.options.service_manager.beat(),
            Message::CloseRequested(id) => {
                if self.options.fullscreen {
                    // Kiosk mode: only maintenance mode leads anywhere else.
                    tracing::info!("window close request ignored (kiosk mode)");
                } else {
                    return window::close(id);
                }
            }
            Message::DemoFreeze => {
                if self.options.demo {
                    tracing::warn!("demo: the UI loop freezes now (SIGUSR1), to try the watchdog");
                    loop {
                        std::thread::sleep(Duration::from_secs(3600));
                    }
                }
            }
        }
        Task::none()
    }

    /// Demo mode's keys: F2 places the sample card (on the simulated reader
    /// when there is one), F3 lifts it, F4 places a card that will not read,
    /// F5 an expired card, F6 unplugs or replugs the reader; F7 scans the
    /// sample 随申码 and F8 a code that is not one; F9 cycles the A4 tray
    /// (one sheet left, empty, full), F10 opens or closes its cover; F11
    /// cycles the receipt roll (near end, out, new), F12 opens or closes
    /// the receipt printer's cover.
    fn demo_key(&mut self, key: keyboard::key::Named) -> Task<Message> {
        use keyboard::key::Named;
        use tongban_sim::{SimCard, identities};
        if let (Some(DemoScanner(scanner)), Named::F7 | Named::F8) =
            (&self.options.devices.demo_scanner, key)
        {
            if key == Named::F7 {
                scanner.scan(tongban_sim::SAMPLE_SUISHENMA);
            } else {
                scanner.scan("6901234567892");
            }
            tracing::info!(?key, "demo control");
            return Task::none();
        }
        if let (Some(crate::devices::DemoLaser(printer)), Named::F9 | Named::F10) =
            (&self.options.devices.demo_a4, key)
        {
            if key == Named::F9 {
                // The tray: one sheet left (a two-copy job runs out
                // midway), then empty, then full again.
                printer.load(match printer.sheets() {
                    0 => crate::devices::DEMO_TRAY_SHEETS,
                    1 => 0,
                    _ => 1,
                });
            } else {
                printer.set_cover_open(!printer.cover_open());
            }
            tracing::info!(?key, "demo control");
            return Task::none();
        }
        if let (Some(crate::devices::DemoReceipt(printer)), Named::F11 | Named::F12) =
            (&self.options.devices.demo_receipt, key)
        {
            if key == Named::F11 {
                // The roll: near its end, then out, then a new roll.
                let left = printer.roll_left_mm();
                printer.load_roll(if left == 0 {
                    crate::devices::DEMO_ROLL_MM
                } else if left < crate::devices::DEMO_NEAR_END_MM {
                    0
                } else {
                    crate::devices::DEMO_NEAR_END_MM / 2
                });
            } else {
                printer.set_cover_open(!printer.cover_open());
            }
            tracing::info!(?key, "demo control");
            return Task::none();
        }
        let Some(DemoReader(sim)) = &self.options.devices.demo_reader else {
            if key == Named::F2 && self.session.is_none() {
                return self.update(Message::Identified(crate::demo::sample_identity()));
            }
            return Task::none();
        };
        match key {
            Named::F2 => sim.place(SimCard::Card(Box::new(identities::resident()))),
            Named::F3 => sim.remove(),
            Named::F4 => sim.place(SimCard::Unreadable),
            Named::F5 => sim.place(SimCard::Card(Box::new(identities::expired_resident()))),
            Named::F6 => {
                self.demo_unplugged = !self.demo_unplugged;
                if self.demo_unplugged {
                    sim.vanish();
                } else {
                    sim.come_back();
                }
            }
            _ => return Task::none(),
        }
        tracing::info!(?key, "demo control");
        Task::none()
    }

    fn reader_event(&mut self, event: ReaderEvent) -> Task<Message> {
        match event {
            ReaderEvent::State(state) => {
                return self.device_state(DeviceKind::IdCardReader, state);
            }
            ReaderEvent::Card(card) => {
                if self.session.is_some() {
                    tracing::info!("card ignored: a session is open");
                } else if card.valid_to.is_expired(today(self.now)) {
                    tracing::info!(kind = ?card.kind, "expired card refused");
                    return self.show_notice(Notice::CardExpired);
                } else {
                    self.notice = None;
                    let attempt = self.next_attempt();
                    return self.start_session(identity_of(&card), Instant::now(), attempt);
                }
            }
            ReaderEvent::ReadFailed(failure) => {
                tracing::info!(?failure, "card could not be read");
                if self.session.is_none() {
                    let unsupported = matches!(
                        failure,
                        ga467::serial::ReadFailure::Status(ga467::Status::UnknownCardType)
                            | ga467::serial::ReadFailure::Text
                    );
                    return self.show_notice(if unsupported {
                        Notice::CardUnsupported
                    } else {
                        Notice::CardReadFailed
                    });
                }
            }
            ReaderEvent::Removed => tracing::debug!("card lifted"),
        }
        Task::none()
    }

    fn scanner_event(&mut self, event: ScannerEvent) -> Task<Message> {
        match event {
            ScannerEvent::State(state) => return self.device_state(DeviceKind::QrScanner, state),
            ScannerEvent::Scanned(scan) => {
                if self.session.is_some() {
                    // A form takes a scanned code into the field being
                    // edited; anywhere else a scan changes nothing.
                    if let Screen::Apply(state) = &mut self.screen
                        && state.editing.is_some()
                    {
                        tracing::info!("code scanned into a form field");
                        state.scanned(scan.text());
                    } else {
                        tracing::debug!("scan during a session ignored");
                    }
                    return Task::none();
                }
                if let Some(why) = self.identification_refused() {
                    tracing::info!("scan ignored: {why}");
                    return Task::none();
                }
                let prefix = &self.options.config.devices.scanner.suishenma_prefix;
                return match tongban_scanner::classify(&scan, prefix) {
                    tongban_scanner::Code::Suishenma(token) => match self.waiting_client.clone() {
                        // The platform resolves it to a resident, on the
                        // runtime, not here, with the short timeouts of a
                        // call the resident waits for; the waiting screen
                        // holds the attempt the answer must match.
                        Some(client) => {
                            let attempt = self.next_attempt();
                            tracing::info!(attempt, "随申码 scanned; asking the platform");
                            self.leave_farewell_for_next();
                            self.notice = None;
                            self.screen = Screen::Identifying(identify::State {
                                attempt,
                                since: Instant::now(),
                            });
                            let identification =
                                tongban_platform_api::resident::Identification::Suishenma {
                                    token: token.text().to_owned(),
                                };
                            Task::perform(
                                async move { client.session(&identification).await },
                                move |result| Message::SuishenmaSession(attempt, result),
                            )
                        }
                        None => {
                            tracing::info!("随申码 scanned; no platform to resolve it");
                            self.show_notice(Notice::SuishenmaNeedsPlatform)
                        }
                    },
                    tongban_scanner::Code::Other => {
                        tracing::info!("code scanned that is not a 随申码");
                        self.show_notice(Notice::NotSuishenma)
                    }
                };
            }
            ScannerEvent::Rejected(reason) => {
                tracing::info!(%reason, "scan rejected");
                if self.session.is_none() {
                    return self.show_notice(Notice::ScanUnreadable);
                }
            }
        }
        Task::none()
    }

    /// Why a printer cannot print now, if it cannot.
    fn printer_block(&self, kind: DeviceKind) -> Option<Cause> {
        let configured = match kind {
            DeviceKind::A4Printer => self.options.devices.a4.is_some(),
            DeviceKind::ReceiptPrinter => self.options.devices.receipt.is_some(),
            _ => false,
        };
        if !configured {
            return Some(Cause::NoPrinter);
        }
        match self.status.device(kind) {
            Some(status) => printing::readiness(status).err().or_else(|| {
                // The counter says the tray is empty before the sensor
                // does (staff tell the terminal when they refill it).
                (kind == DeviceKind::A4Printer && self.staff.a4_sheets == Some(0))
                    .then_some(Cause::PaperOut)
            }),
            None => Some(Cause::NoPrinter),
        }
    }

    /// A fresh home for the open session, with what is available now.
    fn home_state(&self) -> home::State {
        home::State {
            catalogue_ready: self.catalogue_version.is_some(),
            platform_ready: self.status.network == crate::status::NetworkState::Online,
            services_offered: true,
            progress_offered: true,
            popular: self
                .catalogue
                .as_ref()
                .map(|(c, _)| {
                    c.items
                        .iter()
                        .enumerate()
                        .filter(|(_, i)| i.kuaiban)
                        .take(4)
                        .map(|(n, i)| (n, i.name.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            licences_offered: true,
            a4_blocked: self.printer_block(DeviceKind::A4Printer),
            receipt_blocked: self.printer_block(DeviceKind::ReceiptPrinter),
            applications_paused: self.disk_low,
        }
    }

    fn go_home(&mut self) {
        if self.session.is_some() {
            self.screen = Screen::Home(self.home_state());
            self.reset_idle();
        }
    }

    fn reset_idle(&mut self) {
        let timeout = self.idle_timeout();
        if let Some(active) = &mut self.session {
            active.idle.reset(timeout, Instant::now());
            active.phase = IdlePhase::Active;
        }
    }

    /// 证照打印: the resident's licences, as the platform listed them at
    /// identification (asked again if that failed).
    fn open_licences(&mut self) -> Task<Message> {
        let Some(active) = &self.session else {
            return Task::none();
        };
        let listing = active.licences.clone();
        let reload = matches!(
            listing,
            licences::Listing::Unreachable | licences::Listing::Unknown
        );
        self.screen = Screen::Licences(licences::State::new(if reload {
            licences::Listing::Loading
        } else {
            listing
        }));
        self.reset_idle();
        if reload {
            return self.reload_licences();
        }
        Task::none()
    }

    /// Asks the platform for the resident's licences again: under their
    /// platform session, or for a session first if there is none yet.
    fn reload_licences(&mut self) -> Task<Message> {
        let Some(active) = &mut self.session else {
            return Task::none();
        };
        active.licences = licences::Listing::Loading;
        let id = active.id;
        match (
            active.session.platform().cloned(),
            self.platform_client.clone(),
        ) {
            (Some(platform), Some(client)) => {
                Task::perform(async move { client.licences(&platform).await }, move |r| {
                    Message::HeldLicences(id, r)
                })
            }
            (None, Some(_)) => self.ask_platform_session(id),
            (_, None) => {
                active.licences = licences::Listing::Unreachable;
                if let Screen::Licences(state) = &mut self.screen {
                    state.set_listing(licences::Listing::Unreachable);
                }
                Task::none()
            }
        }
    }

    /// The platform listed the resident's licences (or could not).
    fn held_licences(
        &mut self,
        session: u64,
        result: Result<
            Vec<tongban_platform_api::licence::LicenceSummary>,
            crate::platform::ClientError,
        >,
    ) {
        let Some(active) = self.session.as_mut().filter(|a| a.id == session) else {
            return;
        };
        active.licences = match result {
            Ok(list) => {
                tracing::info!(count = list.len(), "electronic licences known");
                active.held = list
                    .iter()
                    .filter(|l| l.status == tongban_platform_api::licence::LicenceStatus::Valid)
                    .map(|l| l.licence_type.clone())
                    .collect();
                if let Screen::Guide(state) = &mut self.screen {
                    state.held = active.held.clone();
                }
                licences::Listing::Ready(list)
            }
            Err(crate::platform::ClientError::Refused(401 | 403 | 404)) => {
                tracing::info!("the platform did not list the resident's licences");
                licences::Listing::Unknown
            }
            Err(error) => {
                tracing::warn!(%error, "licences not fetched");
                licences::Listing::Unreachable
            }
        };
        if let Screen::Licences(state) = &mut self.screen {
            state.set_listing(active.licences.clone());
        }
    }

    fn licences_message(&mut self, message: licences::Message) -> Task<Message> {
        let Screen::Licences(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message, self.elder) {
            licences::Action::None => Task::none(),
            licences::Action::Home => {
                self.go_home();
                Task::none()
            }
            licences::Action::Reload => self.reload_licences(),
            licences::Action::Pick(licence) => {
                tracing::info!(licence_type = %licence.licence_type, "licence chosen");
                let config = &self.options.config.licences;
                let mut state = licence_print::State::new(
                    *licence,
                    config.purposes.pairs().collect(),
                    config.max_copies,
                    config.price_per_copy_fen,
                );
                state.blocked = self.printer_block(DeviceKind::A4Printer);
                self.screen = Screen::LicencePrint(Box::new(state));
                self.reset_idle();
                Task::none()
            }
        }
    }

    fn licence_print_message(&mut self, message: licence_print::Message) -> Task<Message> {
        let Screen::LicencePrint(state) = &mut self.screen else {
            return Task::none();
        };
        let licence = state.licence.clone();
        match state.update(message) {
            licence_print::Action::None => Task::none(),
            licence_print::Action::Ticket { purpose, copies } => {
                self.ask_ticket(&licence, purpose, copies)
            }
            licence_print::Action::Print { copies } => {
                self.print_licence(copies);
                Task::none()
            }
            licence_print::Action::Cancel => self.release_ticket(),
            licence_print::Action::List => {
                let release = self.release_ticket();
                let listing = self
                    .session
                    .as_ref()
                    .map(|a| a.licences.clone())
                    .unwrap_or(licences::Listing::Unknown);
                self.screen = Screen::Licences(licences::State::new(listing));
                self.reset_idle();
                release
            }
            licence_print::Action::Home => {
                let release = self.release_ticket();
                self.go_home();
                release
            }
        }
    }

    /// Asks the platform for a ticket for `copies` copies of `licence`
    /// for `purpose`, and composes the page, in a task.
    fn ask_ticket(
        &mut self,
        licence: &tongban_platform_api::licence::LicenceSummary,
        purpose: String,
        copies: u32,
    ) -> Task<Message> {
        let release = self.release_ticket();
        let problem = |app: &mut Self, p: licence_print::Problem| {
            if let Screen::LicencePrint(state) = &mut app.screen {
                state.problem(p);
            }
        };
        let Some(active) = &self.session else {
            return release;
        };
        let id = active.id;
        let Some(platform) = active.session.platform().cloned() else {
            problem(self, licence_print::Problem::Session);
            return release;
        };
        let Some(client) = self.waiting_client.clone() else {
            problem(self, licence_print::Problem::Unreachable);
            return release;
        };
        let kind = self.catalogue.as_ref().and_then(|(c, _)| {
            c.licence_types
                .iter()
                .find(|t| t.code == licence.licence_type)
        });
        let info = crate::print::prepare::CopyInfo {
            template: kind
                .map(|t| t.template.clone())
                .unwrap_or_else(|| "generic".into()),
            name: licence.name.zh.clone(),
            purpose: purpose.clone(),
            date: format!(
                "{:04}-{:02}-{:02}",
                self.now.year(),
                self.now.month(),
                self.now.day()
            ),
            time: format!("{:02}:{:02}", self.now.hour(), self.now.minute()),
            terminal: self.options.config.terminal.id.clone(),
        };
        let request = tongban_platform_api::licence::TicketRequest {
            terminal: self.options.config.terminal.id.clone(),
            resident: platform.resident.clone(),
            licence: licence.id.clone(),
            purpose,
            copies,
        };
        let ask = Task::perform(
            crate::print::prepare::prepare(client, platform, request, info),
            move |r| Message::LicencePrepared(id, r),
        );
        Task::batch([release, ask])
    }

    /// The ticket came and the page is composed, or why not. A ticket that
    /// nobody waits for any more (the resident left) is given back.
    fn licence_prepared(
        &mut self,
        session: u64,
        result: Result<crate::print::prepare::Prepared, (licence_print::Problem, Option<String>)>,
    ) -> Task<Message> {
        let waiting = self.current_session() == Some(session)
            && matches!(&self.screen, Screen::LicencePrint(s) if s.step == licence_print::Step::Preparing);
        match result {
            Ok(prepared) if waiting => {
                let release = self.release_ticket();
                let crate::print::prepare::Prepared {
                    ticket,
                    allowed,
                    page,
                    preview,
                } = prepared;
                self.licence_ticket = Some(HeldTicket {
                    ticket,
                    page,
                    sent: 0,
                    confirmed: 0,
                });
                let mut print = None;
                if let Screen::LicencePrint(state) = &mut self.screen {
                    let image = iced::widget::image::Handle::from_rgba(
                        preview.width,
                        preview.height,
                        preview.rgba,
                    );
                    let action = state.prepared(allowed, licence_print::Preview { image });
                    if let licence_print::Action::Print { copies } = action {
                        print = Some(copies);
                    }
                }
                tracing::info!(allowed, retry = print.is_some(), "licence page ready");
                if let Some(copies) = print {
                    self.print_licence(copies);
                }
                self.reset_idle();
                release
            }
            Ok(prepared) => {
                tracing::info!(ticket = %prepared.ticket, "ticket came after the resident left; given back");
                crate::print::prepare::wipe_page(prepared.page);
                self.report_print(&prepared.ticket, 0, 0, "cancelled")
            }
            Err((problem, ticket)) => {
                if waiting && let Screen::LicencePrint(state) = &mut self.screen {
                    state.problem(problem);
                }
                match ticket {
                    Some(ticket) => self.report_print(&ticket, 0, 0, "cancelled"),
                    None => Task::none(),
                }
            }
        }
    }

    /// Sends the prepared page to the A4 printer.
    fn print_licence(&mut self, copies: u32) {
        self.jobs_queued += 1;
        let token = self.jobs_queued;
        let Some(held) = &mut self.licence_ticket else {
            tracing::error!("print asked without a ticket");
            if let Screen::LicencePrint(state) = &mut self.screen {
                state.progress(printing::Progress::Refused(Cause::Layout));
            }
            return;
        };
        let request = PrintRequest::Licence {
            token,
            ticket: held.ticket.clone(),
            page: held.page.clone(),
            copies,
        };
        held.sent = copies;
        let queued = self.a4_queue.as_ref().map(|q| q.submit(request));
        match queued {
            Some(Ok(())) => {
                tracing::info!(token, copies, "licence job queued");
                self.licence_job = Some(token);
            }
            _ => {
                tracing::warn!(token, "no A4 printing service to take the job");
                held.sent = 0;
                if let Screen::LicencePrint(state) = &mut self.screen {
                    state.progress(printing::Progress::Refused(Cause::Offline));
                }
            }
        }
    }

    /// Gives back a ticket that was not printed (the platform returns its
    /// copies to the day's quota) and wipes its page.
    fn release_ticket(&mut self) -> Task<Message> {
        if self.licence_ticket.as_ref().is_some_and(|h| h.sent > 0) {
            // Its pages are printing: the job's end reports it and wipes
            // the page, session or not.
            return Task::none();
        }
        let Some(held) = self.licence_ticket.take() else {
            return Task::none();
        };
        let HeldTicket { ticket, page, .. } = held;
        crate::print::prepare::wipe_page(page);
        self.report_print(&ticket, 0, 0, "cancelled")
    }

    /// Asks the platform service to send the outbox now (a print result
    /// the journal queued), without waiting for the next heartbeat.
    fn send_outbox_now(&self) {
        if let Some(sink) = &self.device_sink {
            sink.sync_now();
        }
    }

    /// Queues how printing under a ticket ended for the platform, in the
    /// outbox with the resident's other submissions.
    fn report_print(
        &self,
        ticket: &str,
        printed: u32,
        failed: u32,
        outcome: &str,
    ) -> Task<Message> {
        tracing::info!(ticket, printed, failed, outcome, "print result queued");
        let result = tongban_platform_api::licence::PrintResult {
            ticket: ticket.to_owned(),
            printed,
            failed,
            outcome: outcome.to_owned(),
        };
        let Ok(body) = serde_json::to_vec(&result) else {
            return Task::none();
        };
        let resident = self
            .session
            .as_ref()
            .map(|a| a.resident_key.clone())
            .unwrap_or_else(|| format!("T-{}-prints", self.options.config.terminal.id));
        let submission = crate::submit::Submission {
            store: self.options.store.clone(),
            kind: SubmissionKind::PrintResult,
            resident,
            bodies: vec![body],
            at: chrono::Local::now().to_rfc3339(),
        };
        let client = self.waiting_client.clone();
        Task::perform(
            crate::submit::submit(submission, client),
            Message::PrintReported,
        )
    }

    /// Queues a receipt on the receipt printer (the end of a submission).
    /// Returns the job's token, whose progress arrives as
    /// `Message::Receipt`, or why it cannot print.
    pub fn print_receipt(
        &mut self,
        ticket: String,
        data: crate::print::receipt::ReceiptData,
    ) -> Result<u64, Cause> {
        if let Some(cause) = self.printer_block(DeviceKind::ReceiptPrinter) {
            return Err(cause);
        }
        self.jobs_queued += 1;
        let token = self.jobs_queued;
        let queue = self.receipt_queue.as_ref().ok_or(Cause::Offline)?;
        queue
            .submit(PrintRequest::Receipt {
                token,
                ticket,
                data: Box::new(data),
            })
            .map_err(|_| Cause::Offline)?;
        tracing::info!(token, "receipt queued");
        Ok(token)
    }

    fn receipt_event(&mut self, event: PrinterEvent) -> Task<Message> {
        if self.test_job_event(&event) {
            return Task::none();
        }
        match event {
            PrinterEvent::Ready(queue) => self.receipt_queue = Some(queue),
            PrinterEvent::Status(status) => {
                self.status.set(status);
                self.report_devices();
                let blocked = self.printer_block(DeviceKind::ReceiptPrinter);
                if let Screen::Home(state) = &mut self.screen {
                    state.receipt_blocked = blocked;
                }
                return self.device_changed(status, self.automatic_out_of_service().is_some());
            }
            PrinterEvent::Job { token, progress } => {
                tracing::info!(token, ?progress, "receipt job");
                if self.receipt_job == Some(token)
                    && let Screen::Submitted(state) = &mut self.screen
                {
                    match progress {
                        printing::Progress::Printed => {
                            state.receipt = submitted::Receipt::Printed;
                            self.receipt_job = None;
                        }
                        printing::Progress::Failed { cause, .. }
                        | printing::Progress::Uncertain { cause }
                        | printing::Progress::Refused(cause) => {
                            state.receipt = submitted::Receipt::Failed(cause);
                            self.receipt_job = None;
                        }
                        _ => {}
                    }
                }
            }
        }
        Task::none()
    }

    fn a4_event(&mut self, event: PrinterEvent) -> Task<Message> {
        if let PrinterEvent::Job {
            progress: printing::Progress::Printed | printing::Progress::Failed { .. },
            ..
        } = &event
        {
            // Pages came out: the tray's counter went down.
            let sheets = self.read_sheets();
            let rest = self.a4_event_inner(event);
            return Task::batch([sheets, rest]);
        }
        self.a4_event_inner(event)
    }

    fn a4_event_inner(&mut self, event: PrinterEvent) -> Task<Message> {
        if self.test_job_event(&event) {
            return Task::none();
        }
        match event {
            PrinterEvent::Ready(queue) => self.a4_queue = Some(queue),
            PrinterEvent::Status(status) => {
                self.status.set(status);
                self.report_devices();
                let blocked = self.printer_block(DeviceKind::A4Printer);
                match &mut self.screen {
                    Screen::Home(state) => state.a4_blocked = blocked,
                    Screen::LicencePrint(state) => state.blocked = blocked,
                    _ => {}
                }
                return self.device_changed(status, self.automatic_out_of_service().is_some());
            }
            PrinterEvent::Job { token, progress } => {
                tracing::info!(token, ?progress, "licence job");
                if self.licence_job != Some(token) {
                    return Task::none();
                }
                if let Some(held) = &mut self.licence_ticket
                    && let printing::Progress::Page { printed, .. } = progress
                {
                    held.confirmed = printed;
                }
                if let Screen::LicencePrint(state) = &mut self.screen {
                    state.progress(progress);
                }
                // How a journalled job ended is already in the outbox: the
                // journal queued it with the job's end (`Store::finish_job`,
                // `mark_uncertain`), so it reaches the platform even if
                // the kiosk stops now. A job refused before it was
                // journalled gives its ticket back from here.
                let ended = match progress {
                    printing::Progress::Printed
                    | printing::Progress::Failed { .. }
                    | printing::Progress::Uncertain { .. } => Some(false),
                    printing::Progress::Refused(_) => Some(true),
                    _ => None,
                };
                if let Some(report_here) = ended {
                    self.licence_job = None;
                    // The resident reads the outcome with a full timeout.
                    self.reset_idle();
                    let stop = if self.stopping {
                        // The stop waited for this job; its result goes
                        // to the platform first.
                        Task::done(Message::StopNow)
                    } else {
                        Task::none()
                    };
                    if let Some(held) = self.licence_ticket.take() {
                        let report = if report_here {
                            self.report_print(&held.ticket, 0, 0, "failed")
                        } else {
                            self.send_outbox_now();
                            Task::none()
                        };
                        crate::print::prepare::wipe_page(held.page);
                        return report.chain(stop);
                    }
                    return stop;
                }
            }
        }
        Task::none()
    }

    /// The number of the open session, if one is open.
    fn current_session(&self) -> Option<u64> {
        self.session.as_ref().map(|a| a.id)
    }

    /// The platform's answer for the resident identified in session `id`:
    /// kept in the session; then their licences are asked for.
    fn platform_session(
        &mut self,
        id: u64,
        result: Result<
            tongban_platform_api::resident::ResidentSession,
            crate::platform::ClientError,
        >,
    ) -> Task<Message> {
        let Some(active) = self.session.as_mut().filter(|a| a.id == id) else {
            return Task::none();
        };
        match result {
            Ok(platform) => {
                tracing::info!("resident session opened on the platform");
                active.resident_key = platform.resident.clone();
                active.session.set_platform(platform.clone());
                let Some(client) = self.platform_client.clone() else {
                    return Task::none();
                };
                Task::perform(async move { client.licences(&platform).await }, move |r| {
                    Message::HeldLicences(id, r)
                })
            }
            Err(error) => {
                tracing::info!(%error, "no resident session on the platform");
                active.licences = match error {
                    crate::platform::ClientError::Refused(404) => licences::Listing::Unknown,
                    _ => licences::Listing::Unreachable,
                };
                if let Screen::Licences(state) = &mut self.screen {
                    state.set_listing(active.licences.clone());
                }
                Task::none()
            }
        }
    }

    /// The disk thread's news: applications stop or start again. A form
    /// already open stays; its submission is checked again when sent.
    fn disk_event(&mut self, event: crate::disk::DiskEvent) {
        match event {
            crate::disk::DiskEvent::Watching(recheck) => self.disk_recheck = Some(recheck),
            crate::disk::DiskEvent::Changed(status) => {
                self.disk_low = status.low;
                match &mut self.screen {
                    Screen::Home(state) => state.applications_paused = status.low,
                    Screen::Guide(state) => state.paused = status.low,
                    _ => {}
                }
            }
        }
    }

    /// An item's or bundle's guide.
    fn open_guide(&mut self, target: Target) {
        let Some(active) = &self.session else {
            return;
        };
        if self.catalogue.is_none() {
            return;
        }
        let mut held = active.held.clone();
        // The ID card just read is the identity document itself.
        if active.session.identity().source == crate::session::IdentitySource::IdCard {
            held.push(guide::ID_CARD_LICENCE.to_owned());
        }
        if let Screen::Services(state) = &self.screen {
            self.services_state = Some(state.clone());
        }
        let mut guide = guide::State::new(target, held);
        guide.paused = self.disk_low;
        self.screen = Screen::Guide(guide);
        self.reset_idle();
    }

    fn guide_message(&mut self, message: guide::Message) -> Task<Message> {
        let (Screen::Guide(state), Some((catalogue, _))) = (&mut self.screen, &self.catalogue)
        else {
            return Task::none();
        };
        match state.update(message, catalogue) {
            guide::Action::None => {}
            guide::Action::Apply => {
                let target = state.target;
                self.open_form(target);
            }
            guide::Action::Print => {
                let target = state.target;
                let outcome = self
                    .print_guide(target)
                    .map(|_| ())
                    .map_err(|cause| self.ctx().t(cause.message_id()));
                if let Screen::Guide(state) = &mut self.screen {
                    state.printed = Some(outcome);
                }
            }
            guide::Action::Back => {
                let catalogue = catalogue.clone();
                self.screen = Screen::Services(
                    self.services_state
                        .take()
                        .unwrap_or_else(|| services::State::new(&catalogue)),
                );
                self.reset_idle();
            }
        }
        Task::none()
    }

    /// The form of an item or bundle, prefilled for the resident.
    fn open_form(&mut self, target: Target) {
        let (Some(active), Some((catalogue, _))) = (&self.session, &self.catalogue) else {
            return;
        };
        let fields = match target {
            Target::Item(i) => &catalogue.items[i].form,
            Target::Bundle(b) => &catalogue.bundles[b].form,
        };
        let identity = active.session.identity();
        // A 随申码 session knows the name only masked: nothing is
        // prefilled from it.
        let blank;
        let identity = if identity.source == crate::session::IdentitySource::SuishenmaQr {
            blank = Identity {
                name: String::new(),
                number: String::new(),
                kind: identity.kind,
                source: identity.source,
                sex: String::new(),
                birth: String::new(),
                address: String::new(),
            };
            &blank
        } else {
            identity
        };
        // The platform answers the registered phone masked (138****1234):
        // the form offers it as it is, and the platform fills in the
        // number it holds (the resident can type another instead).
        let phone = active.session.platform().and_then(|p| p.phone.as_deref());
        let form = crate::form::Form::new(fields, identity, phone);
        self.screen = Screen::Apply(Box::new(apply::State::new(target, form)));
        self.reset_idle();
    }

    fn apply_message(&mut self, message: apply::Message) -> Task<Message> {
        let Screen::Apply(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            apply::Action::None => Task::none(),
            apply::Action::Back => {
                let target = state.target;
                self.open_guide(target);
                Task::none()
            }
            apply::Action::Submit => self.submit_form(),
        }
    }

    /// Queues the form's applications and sends them if the platform
    /// answers, in a task.
    fn submit_form(&mut self) -> Task<Message> {
        let (Screen::Apply(state), Some(active), Some((catalogue, _))) =
            (&self.screen, &self.session, &self.catalogue)
        else {
            return Task::none();
        };
        let items: Vec<String> = match state.target {
            Target::Item(i) => vec![catalogue.items[i].id.clone()],
            // One form, one application per item of the bundle.
            Target::Bundle(b) => catalogue.bundles[b].items.clone(),
        };
        let terminal = self.options.config.terminal.id.clone();
        let at = chrono::Local::now().to_rfc3339();
        let fields = state.form.entries();
        let bodies = items
            .iter()
            .filter_map(|item| {
                serde_json::to_vec(&tongban_platform_api::application::Application {
                    terminal: terminal.clone(),
                    resident: active.resident_key.clone(),
                    item: item.clone(),
                    fields: fields.clone(),
                    submitted_at: at.clone(),
                })
                .ok()
            })
            .collect();
        let submission = crate::submit::Submission {
            store: self.options.store.clone(),
            kind: SubmissionKind::Application,
            resident: active.resident_key.clone(),
            bodies,
            at,
        };
        let client = if self.status.network == crate::status::NetworkState::Online {
            self.waiting_client.clone()
        } else {
            None
        };
        let id = active.id;
        tracing::info!(applications = items.len(), "submitting");
        Task::perform(crate::submit::submit(submission, client), move |r| {
            Message::Submitted(id, r)
        })
    }

    fn submitted(&mut self, id: u64, result: Result<Vec<Sent>, SubmitError>) -> Task<Message> {
        if self.current_session() != Some(id) {
            return Task::none();
        }
        let Screen::Apply(state) = &mut self.screen else {
            return Task::none();
        };
        if state.step != apply::Step::Submitting {
            return Task::none();
        }
        let sent = match result {
            Ok(sent) => sent,
            Err(error) => {
                tracing::warn!(%error, "submission not taken; the form stays");
                state.step = apply::Step::Failed(error.message_id());
                if error == SubmitError::DiskLow
                    && let Some(recheck) = &self.disk_recheck
                {
                    // The screens follow the guard at once, not at the
                    // next check.
                    recheck.now();
                }
                return Task::none();
            }
        };
        let target = state.target;
        let Some((catalogue, _)) = self.catalogue.clone() else {
            return Task::none();
        };
        let items: Vec<&tongban_platform_api::catalogue::Item> = match target {
            Target::Item(i) => vec![&catalogue.items[i]],
            Target::Bundle(b) => catalogue.bundles[b]
                .items
                .iter()
                .filter_map(|id| catalogue.items.iter().find(|it| &it.id == id))
                .collect(),
        };
        let made: Vec<submitted::Made> = items
            .iter()
            .zip(&sent)
            .map(|(item, s)| submitted::Made {
                item: item.name.clone(),
                number: s.number.clone(),
                delivered: s.delivered,
            })
            .collect();
        tracing::info!(
            delivered = sent.iter().filter(|s| s.delivered).count(),
            queued = sent.iter().filter(|s| !s.delivered).count(),
            "submission taken"
        );
        if let Some(active) = &mut self.session {
            active.last_item = Some(match target {
                Target::Item(i) => catalogue.items[i].id.clone(),
                Target::Bundle(b) => catalogue.bundles[b].id.clone(),
            });
            active.last_application = sent
                .first()
                .filter(|s| s.delivered)
                .map(|s| s.number.clone());
        }
        // The receipt: one per application, in the resident's language.
        let mut receipt = submitted::Receipt::Printing;
        self.receipt_job = None;
        for (item, s) in items.iter().zip(&sent) {
            let data = self.receipt_data(item, s);
            match self.print_receipt(s.number.clone(), data) {
                Ok(token) => self.receipt_job = Some(token),
                Err(cause) => {
                    tracing::warn!(?cause, "receipt cannot print");
                    receipt = submitted::Receipt::Failed(cause);
                    break;
                }
            }
        }
        self.screen = Screen::Submitted(submitted::State {
            made,
            receipt,
            rated: false,
        });
        self.reset_idle();
        Task::none()
    }

    /// What the receipt of one application says.
    fn receipt_data(
        &self,
        item: &tongban_platform_api::catalogue::Item,
        sent: &Sent,
    ) -> crate::print::receipt::ReceiptData {
        let ctx = self.ctx();
        let base = self
            .options
            .platform
            .as_ref()
            .map(|p| p.url.trim_end_matches('/').to_owned())
            .unwrap_or_default();
        let masked_name = self
            .session
            .as_ref()
            .map(|a| a.session.identity().masked_name())
            .unwrap_or_default();
        crate::print::receipt::ReceiptData {
            heading: ctx.t("slip-heading"),
            service: ctx.pick_text(&item.department).to_owned(),
            item: ctx.pick_text(&item.name).to_owned(),
            application: sent.number.clone(),
            time: self.now.format("%Y-%m-%d %H:%M").to_string(),
            terminal: self.options.config.terminal.id.clone(),
            masked_name,
            progress_url: format!(
                "{base}{}",
                tongban_platform_api::paths::progress(&sent.number)
            ),
            qr_caption: if sent.delivered {
                ctx.t("slip-qr-caption")
            } else {
                ctx.t("slip-queued-caption")
            },
            labels: [
                ctx.t("slip-label-service"),
                ctx.t("slip-label-item"),
                if sent.delivered {
                    ctx.t("slip-label-number")
                } else {
                    ctx.t("slip-label-reference")
                },
                ctx.t("slip-label-time"),
                ctx.t("slip-label-terminal"),
                ctx.t("slip-label-applicant"),
            ],
        }
    }

    /// Prints an item's guide on the receipt printer.
    fn print_guide(&mut self, target: Target) -> Result<u64, Cause> {
        let Some((catalogue, _)) = self.catalogue.clone() else {
            return Err(Cause::NoPrinter);
        };
        let Target::Item(i) = target else {
            return Err(Cause::NoPrinter);
        };
        let item = &catalogue.items[i];
        let ctx = self.ctx();
        let materials: Vec<String> = item
            .guide
            .materials
            .iter()
            .map(|m| ctx.pick_text(&m.name).to_owned())
            .collect();
        let data = crate::print::receipt::ReceiptData {
            heading: ctx.t("slip-guide-heading"),
            service: ctx.pick_text(&item.department).to_owned(),
            item: ctx.pick_text(&item.name).to_owned(),
            application: materials.join("；"),
            time: ctx.ta(
                "guide-days",
                &[("days", Arg::Num(i64::from(item.guide.time_limit_days)))],
            ),
            terminal: ctx.pick_text(&item.guide.fee).to_owned(),
            masked_name: ctx.pick_text(&item.guide.place).to_owned(),
            progress_url: String::new(),
            qr_caption: self.now.format("%Y-%m-%d %H:%M").to_string(),
            labels: [
                ctx.t("slip-label-service"),
                ctx.t("slip-label-item"),
                ctx.t("guide-materials"),
                ctx.t("guide-time-limit"),
                ctx.t("guide-fee"),
                ctx.t("guide-place"),
            ],
        };
        self.print_receipt(format!("guide-{}", item.id), data)
    }

    fn rating_message(&mut self, message: rating::Message) -> Task<Message> {
        let Screen::Rating(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            rating::Action::None => Task::none(),
            rating::Action::Skip => self.finish(),
            rating::Action::Send { score, reasons } => {
                let Some(active) = &self.session else {
                    return Task::none();
                };
                let at = chrono::Local::now().to_rfc3339();
                let terminal = self.options.config.terminal.id.clone();
                let rating = tongban_platform_api::application::Rating {
                    terminal: terminal.clone(),
                    application_no: active.last_application.clone(),
                    item: active.last_item.clone().unwrap_or_default(),
                    score,
                    reasons,
                    rated_at: at.clone(),
                };
                let Ok(body) = serde_json::to_vec(&rating) else {
                    return self.finish();
                };
                let submission = crate::submit::Submission {
                    store: self.options.store.clone(),
                    kind: SubmissionKind::Rating,
                    resident: active.resident_key.clone(),
                    bodies: vec![body],
                    at,
                };
                tracing::info!(score, "rating given");
                // Through the outbox: the platform thread delivers it.
                let queued = Task::perform(crate::submit::submit(submission, None), Message::Rated);
                Task::batch([queued, self.finish()])
            }
        }
    }

    /// The resident's applications, asked of the platform in a task.
    fn open_progress(&mut self) -> Task<Message> {
        let Some(active) = &self.session else {
            return Task::none();
        };
        let id = active.id;
        let (Some(client), Some(platform)) = (
            self.platform_client.clone(),
            active.session.platform().cloned(),
        ) else {
            self.screen = Screen::Progress(progress::State::Failed("progress-error-no-session"));
            self.reset_idle();
            return Task::none();
        };
        self.screen = Screen::Progress(progress::State::Loading);
        self.reset_idle();
        Task::perform(
            async move { client.applications(&platform).await },
            move |r| Message::Applications(id, r),
        )
    }

    /// The resident is done: the session is wiped now, and the reminder to
    /// take card and papers shows for a while.
    fn finish(&mut self) -> Task<Message> {
        // The farewell speaks the resident's language and size; the next
        // resident gets the terminal's defaults once it is gone.
        let (language, elder) = (self.language, self.elder);
        let release = self.end_session(EndReason::Finished);
        self.language = language;
        self.elder = elder;
        self.farewells += 1;
        let n = self.farewells;
        self.screen = Screen::Farewell(n);
        Task::batch([
            release,
            Task::perform(
                async { tokio::time::sleep(farewell::SHOWN_FOR).await },
                move |()| Message::FarewellOver(n),
            ),
        ])
    }

    fn leave_farewell(&mut self) {
        if matches!(self.screen, Screen::Farewell(_)) {
            self.screen = Screen::Attract;
            self.apply_pending_config();
            self.language = self.options.config.ui.default_language;
            self.elder = self.options.config.ui.elder_mode_default;
        }
    }

    /// Tells the platform service the devices' states changed.
    fn report_devices(&self) {
        if let Some(sink) = &self.device_sink {
            sink.send(&self.status.devices);
        }
    }

    fn device_state(&mut self, kind: DeviceKind, state: DeviceState) -> Task<Message> {
        tracing::info!(
            device = kind.as_str(),
            state = state.as_str(),
            "device state"
        );
        let automatic = self.automatic_out_of_service().is_some();
        self.status.set_state(kind, state);
        self.report_devices();
        let status = *self.status.device(kind).expect("just set");
        self.device_changed(status, automatic)
    }

    fn show_notice(&mut self, notice: Notice) -> Task<Message> {
        self.notices_shown += 1;
        let id = self.notices_shown;
        self.notice = Some((notice, id));
        // The timer is made inside the future, on the runtime that polls it.
        Task::perform(
            async { tokio::time::sleep(Duration::from_secs(12)).await },
            move |()| Message::ClearNotice(id),
        )
    }

    /// The notice on the attract screen, if any.
    pub fn notice(&self) -> Option<Notice> {
        self.notice.map(|(n, _)| n)
    }

    /// Why no identification can start now, if none can.
    fn identification_refused(&self) -> Option<&'static str> {
        if self.session.is_some() {
            // A second card while a session is open is ignored: the current
            // resident finishes first.
            Some("a session is open")
        } else if self.out_of_service() {
            Some("out of service")
        } else if self.in_staff_mode() {
            Some("staff are at the terminal")
        } else {
            None
        }
    }

    /// A new resident during the last one's farewell starts from the
    /// terminal's defaults.
    fn leave_farewell_for_next(&mut self) {
        if matches!(self.screen, Screen::Farewell(_)) {
            self.language = self.options.config.ui.default_language;
            self.elder = self.options.config.ui.elder_mode_default;
        }
    }

    /// Opens the session of the resident identified in `attempt`. A
    /// 随申码 still awaited is given up: the person at the terminal now
    /// is the one identified.
    fn start_session(&mut self, identity: Identity, now: Instant, attempt: u64) -> Task<Message> {
        if let Some(why) = self.identification_refused() {
            tracing::info!("identification ignored: {why}");
            return Task::none();
        }
        if let Screen::Identifying(state) = &self.screen {
            tracing::info!(
                attempt = state.attempt,
                "随申码 no longer awaited: another identification came"
            );
        }
        self.leave_farewell_for_next();
        // Home opens at once, under a short "identity confirmed" card: the
        // resident sees they were recognised (masked name) before choosing.
        self.screen = Screen::Home(self.home_state());
        self.confirming = true;
        let config = &self.options.config.session;
        let idle = IdleTimer::new(self.idle_timeout(), config.countdown(), now);
        tracing::info!(
            source = ?identity.source,
            kind = ?identity.kind,
            attempt,
            "session started"
        );
        let id = attempt;
        // Until the platform answers, the resident's submissions are
        // ordered under a reference made for this session alone.
        let resident_key = {
            use std::hash::BuildHasher;
            let n = std::collections::hash_map::RandomState::new().hash_one(now);
            format!("T-{}-{n:016x}", self.options.config.terminal.id)
        };
        self.session = Some(ActiveSession {
            session: Session::start(identity, now),
            idle,
            phase: IdlePhase::Active,
            id,
            held: Vec::new(),
            licences: if self.platform_client.is_some() {
                licences::Listing::Loading
            } else {
                licences::Listing::Unreachable
            },
            resident_key,
            last_item: None,
            last_application: None,
        });
        // A card read here: the platform is asked for the resident's
        // session (their reference, licences, registered phone) in a task.
        let ask = self.ask_platform_session(id);
        Task::batch([
            ask,
            Task::perform(
                async { tokio::time::sleep(Duration::from_millis(1200)).await },
                |()| Message::EnterHome,
            ),
        ])
    }

    /// Asks the platform for the session of the resident identified by
    /// card in session `id` (a 随申码 session has one from the start).
    fn ask_platform_session(&self, id: u64) -> Task<Message> {
        let Some(active) = self.session.as_ref().filter(|a| a.id == id) else {
            return Task::none();
        };
        let identity = active.session.identity();
        match (&self.platform_client, identity.source) {
            (Some(client), crate::session::IdentitySource::IdCard) => {
                let client = client.clone();
                let identification = tongban_platform_api::resident::Identification::IdCard {
                    number: identity.number.clone(),
                    name: identity.name.clone(),
                };
                Task::perform(
                    async move { client.session(&identification).await },
                    move |r| Message::PlatformSession(id, r),
                )
            }
            _ => Task::none(),
        }
    }

    /// Whether the reader is reading a card right now.
    fn reading(&self) -> bool {
        self.session.is_none()
            && self
                .status
                .device(DeviceKind::IdCardReader)
                .is_some_and(|d| d.state == DeviceState::Busy)
    }

    /// Whether the terminal has a reader that cannot read now.
    fn reader_unavailable(&self) -> bool {
        self.options.devices.reader.is_some()
            && self
                .status
                .device(DeviceKind::IdCardReader)
                .is_some_and(|d| !d.state.is_usable())
    }

    fn activity(&mut self, now: Instant) {
        if let Some(active) = &mut self.session {
            active.idle.touch(now);
            active.phase = active.idle.phase(now);
        }
    }

    fn tick(&mut self, now: Instant) -> Task<Message> {
        let Some(active) = &mut self.session else {
            return Task::none();
        };
        if self.licence_job.is_some() {
            // Waiting for the printer is not being away.
            active.idle.touch(now);
        }
        let phase = active.idle.phase(now);
        if let IdlePhase::Warning { remaining_secs } = phase
            && !matches!(active.phase, IdlePhase::Warning { .. })
        {
            tracing::info!(remaining_secs, "idle warning shown");
        }
        active.phase = phase;
        if phase == IdlePhase::Expired {
            return self.end_session(EndReason::IdleTimeout);
        }
        Task::none()
    }

    /// Ends the session: personal data wiped, an unused print ticket
    /// given back (the returned task reports it).
    fn end_session(&mut self, reason: EndReason) -> Task<Message> {
        let release = self.release_ticket();
        if let Some(mut active) = self.session.take() {
            let age = active.session.age(Instant::now());
            active.session.wipe();
            debug_assert!(active.session.is_wiped());
            tracing::info!(
                ?reason,
                seconds = age.as_secs(),
                "session ended; personal data wiped"
            );
        }
        self.screen = Screen::Attract;
        self.confirming = false;
        self.receipt_job = None;
        self.services_state = None;
        if let Some(pending) = self.pending_catalogue.take() {
            self.catalogue = Some(pending);
        }
        // In the demo the resident takes their card with them.
        if let Some(DemoReader(sim)) = &self.options.devices.demo_reader {
            sim.remove();
        }
        // The next resident starts from the terminal's defaults.
        self.language = self.options.config.ui.default_language;
        self.elder = self.options.config.ui.elder_mode_default;
        self.apply_pending_config();
        release
    }

    /// The whole window.
    pub fn view(&self) -> Element<'_, Message> {
        let ctx = self.ctx();
        let config = &self.options.config;
        let header = widget::header(
            ctx,
            HeaderInfo {
                service: ctx.pick(&config.service.name),
                branch: ctx.pick(&config.terminal.branch_name),
                date: self.date_line(),
                time: format!("{:02}:{:02}", self.now.hour(), self.now.minute()),
                elder: self.elder,
            },
            Message::ToggleLanguage,
            Message::ToggleElder,
        );
        let service_state = self.service_state();
        let out_of_service = service_state != maintenance::ServiceState::InService;
        let oos_reason = service_state.reason().to_owned();
        let body: Element<'_, Message> = match (&self.screen, &self.session) {
            (Screen::Home(state), Some(active)) => state
                .view(ctx, &active.session.identity().masked_name())
                .map(Message::Home),
            (Screen::Licences(state), Some(_)) => state.view(ctx).map(Message::Licences),
            (Screen::LicencePrint(state), Some(_)) => state.view(ctx).map(Message::LicencePrint),
            (Screen::Services(state), Some(_)) if self.catalogue.is_some() => {
                let (catalogue, _) = self.catalogue.as_ref().expect("checked");
                state.view(ctx, catalogue).map(Message::Services)
            }
            (Screen::Guide(state), Some(_)) if self.catalogue.is_some() => {
                let (catalogue, _) = self.catalogue.as_ref().expect("checked");
                state.view(ctx, catalogue).map(Message::Guide)
            }
            (Screen::Apply(state), Some(_)) if self.catalogue.is_some() => {
                let (catalogue, _) = self.catalogue.as_ref().expect("checked");
                state.view(ctx, catalogue).map(Message::Apply)
            }
            (Screen::Submitted(state), Some(_)) => state.view(ctx).map(Message::AfterSubmit),
            (Screen::Progress(state), Some(_)) => state
                .view(ctx, self.catalogue.as_ref().map(|(c, _)| c.as_ref()))
                .map(Message::Progress),
            (Screen::Rating(state), Some(_)) => state.view(ctx).map(Message::Rating),
            (Screen::Identifying(_), None) => identify::view(ctx).map(Message::Identify),
            (Screen::Farewell(_), None) => farewell::view(ctx).map(Message::Farewell),
            (Screen::Pin(state), None) => state
                .view(ctx)
                .map(|m| Message::Staff(StaffMessage::Pin(m))),
            (Screen::Maintenance(state), None) => state
                .view(
                    ctx,
                    maintenance::Board {
                        status: &self.status,
                        problems: &self.staff.problems,
                        service: service_state,
                        configured: self.configured(),
                        tray_sheets: i64::from(config.devices.a4_printer.tray_sheets),
                        roll_mm: i64::from(config.devices.receipt_printer.roll_length_mm),
                        toner_pages: i64::from(config.devices.a4_printer.toner_yield_pages),
                        refused_keep_days: config.store.refused_keep_days,
                    },
                )
                .map(|m| Message::Staff(StaffMessage::Maintenance(m))),

            _ if out_of_service => out_of_service::view(ctx, &oos_reason, &config.service.hotline)
                .map(|never| match never {}),
            _ => attract::view(
                ctx,
                attract::Info {
                    hotline: &config.service.hotline,
                    demo: self.options.demo,
                    notice: self.notice().map(Notice::message_id),
                    reading: self.reading().then_some(self.spin),
                    reader_unavailable: self.reader_unavailable(),
                    banner: ctx.pick(&config.service.banner),
                },
            )
            .map(Message::Attract),
        };
        let footer = widget::footer(ctx, &config.terminal.id, &self.status, self.options.demo);
        // The staff entry: a long press on the status bar while no
        // resident is served.
        let footer = if self.session.is_none() && !self.in_staff_mode() {
            iced::widget::mouse_area(footer)
                .on_press(Message::Staff(StaffMessage::Corner(true)))
                .on_release(Message::Staff(StaffMessage::Corner(false)))
                .into()
        } else {
            footer
        };
        let page = widget::page(header, body, footer);
        if let (true, Some(active)) = (self.confirming, &self.session) {
            let card = identified::view(ctx, &active.session.identity().masked_name())
                .map(|never| match never {});
            return widget::modal(page, card);
        }
        match self.idle_warning() {
            Some(remaining) => widget::modal(
                page,
                widget::idle_card(ctx, remaining, Message::ExtendSession, Message::EndSession),
            ),
            None => page,
        }
    }

    fn date_line(&self) -> String {
        let weekday = match self.now.weekday() {
            Weekday::Mon => "weekday-mon",
            Weekday::Tue => "weekday-tue",
            Weekday::Wed => "weekday-wed",
            Weekday::Thu => "weekday-thu",
            Weekday::Fri => "weekday-fri",
            Weekday::Sat => "weekday-sat",
            Weekday::Sun => "weekday-sun",
        };
        let weekday = self.ctx().t(weekday);
        self.ctx().ta(
            "date-long",
            &[
                ("year", Arg::Num(i64::from(self.now.year()))),
                ("month", Arg::Num(i64::from(self.now.month()))),
                ("day", Arg::Num(i64::from(self.now.day()))),
                ("weekday", Arg::Str(&weekday)),
            ],
        )
    }

    /// Clocks, input, window size and signals.
    pub fn subscription(&self) -> Subscription<Message> {
        let mut subscriptions = vec![
            event::listen_with(on_event),
            Subscription::run(termination_signals),
        ];
        if self.session.is_some()
            || self.staff.idle.is_some()
            || matches!(self.screen, Screen::Identifying(_))
        {
            subscriptions.push(iced::time::every(Duration::from_secs(1)).map(Message::Tick));
        } else {
            // Only once a minute at the attract screen: the clock shows
            // minutes, and an idle terminal should cost next to nothing.
            subscriptions.push(Subscription::run(minute_clock));
        }
        if self.frames_seen == 0 {
            subscriptions.push(window::frames().map(|_| Message::Frame));
        }
        if let Some(every) = self.options.service_manager.beat_every() {
            subscriptions.push(iced::time::every(every).map(|_| Message::Alive));
        }
        if self.options.fullscreen {
            subscriptions.push(window::close_requests().map(Message::CloseRequested));
        }
        if self.options.demo {
            subscriptions.push(Subscription::run(demo_freeze_signal));
        }
        if self.reading() {
            subscriptions
                .push(iced::time::every(Duration::from_millis(250)).map(|_| Message::Spin));
        }
        if let Some(key) = &self.options.devices.scanner {
            subscriptions.push(crate::subscriptions::scanner(key.clone()).map(Message::Scanner));
        }
        if let Some(key) = &self.options.devices.reader {
            subscriptions.push(crate::subscriptions::reader(key.clone()).map(Message::Reader));
        }
        if let Some(service) = &self.options.devices.a4 {
            subscriptions.push(crate::subscriptions::a4(service.clone()).map(Message::A4));
        }
        if let Some(service) = &self.options.devices.receipt {
            subscriptions
                .push(crate::subscriptions::receipt(service.clone()).map(Message::Receipt));
        }
        if let Some(service) = &self.options.platform {
            subscriptions
                .push(crate::subscriptions::platform(service.clone()).map(Message::Platform));
        }
        if let Some(store) = &self.options.store {
            subscriptions.push(
                crate::subscriptions::disk(crate::disk::WatchKey {
                    store: store.clone(),
                    min_free_mb: self.options.config.store.min_free_mb,
                })
                .map(Message::Disk),
            );
        }
        Subscription::batch(subscriptions)
    }
}

fn on_event(event: Event, _status: event::Status, _window: window::Id) -> Option<Message> {
    match event {
        Event::Window(window::Event::Resized(size)) => Some(Message::Resized(size)),
        Event::Window(window::Event::Opened { size, .. }) => Some(Message::Resized(size)),
        Event::Mouse(mouse::Event::ButtonPressed(_)) => Some(Message::Activity),
        Event::Touch(touch::Event::FingerPressed { .. }) => Some(Message::Activity),
        // Alt+F4, Ctrl+W, Alt+Tab and the like are someone at the keyboard,
        // nothing more: no shortcut closes or leaves the kiosk, and the
        // demo's keys are the bare F keys.
        Event::Keyboard(keyboard::Event::KeyPressed { modifiers, .. })
            if modifiers.alt() || modifiers.control() || modifiers.logo() =>
        {
            Some(Message::Activity)
        }
        Event::Keyboard(keyboard::Event::KeyPressed { key, .. }) => Some(Message::Key(key)),
        _ => None,
    }
}

fn minute_clock() -> impl Stream<Item = Message> {
    iced::futures::stream::unfold((), |()| async {
        let now = Local::now();
        let into_minute = Duration::from_secs(u64::from(now.second()))
            + Duration::from_nanos(u64::from(now.nanosecond().min(999_999_999)));
        let wait = Duration::from_secs(60).saturating_sub(into_minute) + Duration::from_millis(20);
        tokio::time::sleep(wait).await;
        Some((Message::Clock(Local::now()), ()))
    })
}

/// Demo mode: SIGUSR1 freezes the UI loop (the watchdog drill).
fn demo_freeze_signal() -> impl Stream<Item = Message> {
    iced::stream::channel(1, async |mut output| {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::user_defined1()) {
            Ok(mut usr1) => {
                if usr1.recv().await.is_some() {
                    let _ = output.send(Message::DemoFreeze).await;
                }
            }
            Err(error) => tracing::warn!(%error, "demo: cannot listen for SIGUSR1"),
        }
        std::future::pending::<()>().await;
    })
}

fn termination_signals() -> impl Stream<Item = Message> {
    iced::stream::channel(1, async |mut output| {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
                let _ = output.send(Message::Terminate).await;
            }
            _ => tracing::error!("cannot listen for termination signals"),
        }
        std::future::pending::<()>().await;
    })
}
