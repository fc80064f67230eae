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
use crate::screen::{attract, home, identified, licence_print, out_of_service};
use crate::session::{Identity, IdlePhase, IdleTimer, Session};
use crate::status::TerminalStatus;
use crate::theme::Metrics;
use crate::widget::{self, Ctx, HeaderInfo, Layout};
use ga467::serial::ReaderEvent;
use tongban_device::{DeviceKind, DeviceState};
use tongban_scanner::serial::ScannerEvent;

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
    /// From the licence printing screen.
    LicencePrint(licence_print::Message),
    /// From the A4 printer's service thread.
    A4(PrinterEvent),
    /// From the receipt printer's service thread.
    Receipt(PrinterEvent),
    /// From the platform service.
    Platform(crate::platform::PlatformEvent),
    /// The platform's answer to a scanned 随申码.
    SuishenmaSession(
        Result<tongban_platform_api::resident::ResidentSession, crate::platform::ClientError>,
    ),
}

/// Which screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// Waiting for a resident.
    Attract,
    /// A resident's home.
    Home(home::State),
    /// Printing a licence copy.
    LicencePrint(licence_print::State),
}

impl Screen {
    /// The key of this screen's idle timeout in config.
    fn timeout_key(&self) -> &'static str {
        match self {
            Screen::Attract => "default",
            Screen::Home(_) => "home",
            Screen::LicencePrint(_) => "licences",
        }
    }
}

struct ActiveSession {
    session: Session,
    idle: IdleTimer,
    phase: IdlePhase,
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
    /// Out of service by the platform's command, with its reason.
    remote_out_of_service: Option<kiosk_config::Localized>,
    /// The catalogue version held.
    catalogue_version: Option<u64>,
    /// Calls the platform from tasks (never from `update` itself).
    platform_client: Option<crate::platform::Client>,
    /// Where device states go for the heartbeat.
    device_sink: Option<crate::platform::DeviceSink>,
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
            notice: None,
            notices_shown: 0,
            demo_unplugged: false,
            spin: 0,
            confirming: false,
            a4_queue: None,
            receipt_queue: None,
            jobs_queued: 0,
            licence_job: None,
            remote_out_of_service: None,
            catalogue_version: None,
            device_sink: None,
            platform_client: options.platform.as_ref().and_then(|p| {
                crate::platform::Client::new(&p.url, crate::platform::ClientOptions::default())
                    .map_err(|error| tracing::error!(%error, "no platform client"))
                    .ok()
            }),
            options,
        }
    }

    /// The UI and its first task: in fullscreen, fit the window to the
    /// monitor even where no window manager applies the fullscreen request
    /// (a bare X server).
    pub fn boot(options: Options, i18n: I18n) -> (Self, Task<Message>) {
        let fullscreen = options.fullscreen;
        let app = Self::new(options, i18n);
        let task = if fullscreen {
            window::oldest()
                .and_then(|id| window::monitor_size(id).map(move |size| Message::Monitor(id, size)))
        } else {
            Task::none()
        };
        (app, task)
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

    /// Whether a resident session is open.
    pub fn has_session(&self) -> bool {
        self.session.is_some()
    }

    /// Whether the idle warning shows.
    pub fn idle_warning(&self) -> Option<u64> {
        match self.session.as_ref()?.phase {
            IdlePhase::Warning { remaining_secs } => Some(remaining_secs),
            _ => None,
        }
    }

    /// Whether the out-of-service screen replaces the attract screen: by
    /// config, or by the platform's command.
    pub fn out_of_service(&self) -> bool {
        !self.options.config.service.in_service || self.remote_out_of_service.is_some()
    }

    /// The catalogue version held, once the platform service says.
    pub fn catalogue_version(&self) -> Option<u64> {
        self.catalogue_version
    }

    fn suishenma_session(
        &mut self,
        result: Result<
            tongban_platform_api::resident::ResidentSession,
            crate::platform::ClientError,
        >,
    ) -> Task<Message> {
        match result {
            Ok(session) if self.session.is_none() => {
                tracing::info!("随申码 resolved by the platform");
                self.notice = None;
                let identity = Identity {
                    name: session.masked_name.clone(),
                    number: String::new(),
                    kind: crate::session::DocumentKind::ResidentId,
                    source: crate::session::IdentitySource::SuishenmaQr,
                };
                self.start_session(identity, Instant::now())
            }
            Ok(_) => Task::none(),
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
        }
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
                            self.open_licences();
                        }
                        home::Action::Open(entry) => {
                            tracing::info!(?entry, "entry chosen");
                        }
                        home::Action::Finish => self.end_session(EndReason::Finished),
                    }
                }
            }
            Message::Identified(identity) => return self.start_session(identity, Instant::now()),
            Message::EnterHome => {
                if self.confirming && self.session.is_some() {
                    self.confirming = false;
                    if let Some(active) = &mut self.session {
                        active.idle.touch(Instant::now());
                    }
                }
            }
            Message::Spin => self.spin = self.spin.wrapping_add(1),
            Message::LicencePrint(message) => {
                if let Screen::LicencePrint(state) = &mut self.screen {
                    match state.update(message) {
                        licence_print::Action::None => {}
                        licence_print::Action::Print { purpose, copies } => {
                            self.print_licence(purpose, copies);
                        }
                        licence_print::Action::Home => self.go_home(),
                    }
                }
            }
            Message::A4(event) => self.a4_event(event),
            Message::Receipt(event) => self.receipt_event(event),
            Message::Platform(event) => self.platform_event(event),
            Message::SuishenmaSession(result) => return self.suishenma_session(result),
            Message::Activity => self.activity(Instant::now()),
            Message::Key(key) => {
                self.activity(Instant::now());
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
                self.tick(now);
            }
            Message::Clock(now) => self.now = now,
            Message::ExtendSession => {
                if let Some(active) = &mut self.session {
                    active.idle.touch(Instant::now());
                    active.phase = IdlePhase::Active;
                    tracing::info!("session extended after idle warning");
                }
            }
            Message::EndSession => self.end_session(EndReason::Finished),
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
                    if self.options.exit_after_first_frame {
                        return iced::exit();
                    }
                }
            }
            Message::Terminate => {
                tracing::info!("termination requested; stopping");
                if self.session.is_some() {
                    self.end_session(EndReason::Shutdown);
                }
                return iced::exit();
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
            ReaderEvent::State(state) => self.device_state(DeviceKind::IdCardReader, state),
            ReaderEvent::Card(card) => {
                if self.session.is_some() {
                    tracing::info!("card ignored: a session is open");
                } else if card.valid_to.is_expired(today(self.now)) {
                    tracing::info!(kind = ?card.kind, "expired card refused");
                    return self.show_notice(Notice::CardExpired);
                } else {
                    self.notice = None;
                    return self.start_session(identity_of(&card), Instant::now());
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
            ScannerEvent::State(state) => self.device_state(DeviceKind::QrScanner, state),
            ScannerEvent::Scanned(scan) => {
                if self.session.is_some() {
                    // Forms take scanned codes once they exist; until then
                    // a scan during a session changes nothing.
                    tracing::debug!("scan during a session ignored");
                    return Task::none();
                }
                let prefix = &self.options.config.devices.scanner.suishenma_prefix;
                return match tongban_scanner::classify(&scan, prefix) {
                    tongban_scanner::Code::Suishenma(token) => match self.platform_client.clone() {
                        // The platform resolves it to a resident, on the
                        // runtime, not here.
                        Some(client) => {
                            tracing::info!("随申码 scanned; asking the platform");
                            let identification =
                                tongban_platform_api::resident::Identification::Suishenma {
                                    token: token.text().to_owned(),
                                };
                            Task::perform(
                                async move { client.session(&identification).await },
                                Message::SuishenmaSession,
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
            Some(status) => printing::readiness(status).err(),
            None => Some(Cause::NoPrinter),
        }
    }

    /// A fresh home for the open session, with what is available now.
    fn home_state(&self) -> home::State {
        home::State {
            catalogue_ready: self.catalogue_version.is_some(),
            platform_ready: self.status.network == crate::status::NetworkState::Online,
            licences_ready: self.options.demo,
            // Licence printing works from the demo's sample licence until
            // the platform's licences arrive; the item journeys and
            // progress are not offered yet.
            licences_offered: self.options.demo,
            a4_blocked: self.printer_block(DeviceKind::A4Printer),
            receipt_blocked: self.printer_block(DeviceKind::ReceiptPrinter),
            ..home::State::default()
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

    /// The licence printing screen for the resident's licence. Until the
    /// platform supplies licences, the demo's sample licence is the only
    /// one.
    fn open_licences(&mut self) {
        if !self.options.demo {
            return;
        }
        let sample = crate::demo::sample_licence("", "", "");
        let mut state =
            licence_print::State::new(sample.template.name.clone(), sample.number.clone(), 3);
        state.blocked = self.printer_block(DeviceKind::A4Printer);
        self.screen = Screen::LicencePrint(state);
        self.reset_idle();
    }

    fn print_licence(&mut self, purpose: licence_print::Purpose, copies: u32) {
        self.jobs_queued += 1;
        let token = self.jobs_queued;
        let date = format!(
            "{:04}-{:02}-{:02}",
            self.now.year(),
            self.now.month(),
            self.now.day()
        );
        let time = format!("{:02}:{:02}", self.now.hour(), self.now.minute());
        let copy = crate::demo::sample_licence(purpose.watermark(), &date, &time);
        let request = PrintRequest::Licence {
            token,
            ticket: format!("DEMO-{token:06}"),
            copies: vec![copy; copies as usize],
        };
        let queued = self.a4_queue.as_ref().map(|q| q.submit(request));
        match queued {
            Some(Ok(())) => {
                tracing::info!(token, copies, "licence job queued");
                self.licence_job = Some(token);
            }
            _ => {
                tracing::warn!(token, "no A4 printing service to take the job");
                if let Screen::LicencePrint(state) = &mut self.screen {
                    state.progress(printing::Progress::Refused(Cause::Offline));
                }
            }
        }
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

    fn receipt_event(&mut self, event: PrinterEvent) {
        match event {
            PrinterEvent::Ready(queue) => self.receipt_queue = Some(queue),
            PrinterEvent::Status(status) => {
                self.status.set(status);
                self.report_devices();
                let blocked = self.printer_block(DeviceKind::ReceiptPrinter);
                if let Screen::Home(state) = &mut self.screen {
                    state.receipt_blocked = blocked;
                }
            }
            PrinterEvent::Job { token, progress } => {
                tracing::info!(token, ?progress, "receipt job")
            }
        }
    }

    fn a4_event(&mut self, event: PrinterEvent) {
        match event {
            PrinterEvent::Ready(queue) => self.a4_queue = Some(queue),
            PrinterEvent::Status(status) => {
                self.status.set(status);
                self.report_devices();
                let blocked = self.printer_block(DeviceKind::A4Printer);
                match &mut self.screen {
                    Screen::Home(state) => state.a4_blocked = blocked,
                    Screen::LicencePrint(state) => state.blocked = blocked,
                    Screen::Attract => {}
                }
            }
            PrinterEvent::Job { token, progress } => {
                tracing::info!(token, ?progress, "licence job");
                if self.licence_job == Some(token)
                    && let Screen::LicencePrint(state) = &mut self.screen
                {
                    state.progress(progress);
                    // The resident reads the outcome with a full timeout.
                    if !state.printing() {
                        self.licence_job = None;
                        self.reset_idle();
                    }
                }
            }
        }
    }

    /// Tells the platform service the devices' states changed.
    fn report_devices(&self) {
        if let Some(sink) = &self.device_sink {
            sink.send(&self.status.devices);
        }
    }

    fn device_state(&mut self, kind: DeviceKind, state: DeviceState) {
        tracing::info!(
            device = kind.as_str(),
            state = state.as_str(),
            "device state"
        );
        self.status.set_state(kind, state);
        self.report_devices();
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

    fn start_session(&mut self, identity: Identity, now: Instant) -> Task<Message> {
        if self.session.is_some() {
            // A second card while a session is open is ignored: the current
            // resident finishes first.
            tracing::info!("identification ignored: a session is open");
            return Task::none();
        }
        if self.out_of_service() {
            tracing::info!("identification ignored: out of service");
            return Task::none();
        }
        // Home opens at once, under a short "identity confirmed" card: the
        // resident sees they were recognised (masked name) before choosing.
        self.screen = Screen::Home(self.home_state());
        self.confirming = true;
        let config = &self.options.config.session;
        let idle = IdleTimer::new(self.idle_timeout(), config.countdown(), now);
        tracing::info!(source = ?identity.source, kind = ?identity.kind, "session started");
        self.session = Some(ActiveSession {
            session: Session::start(identity, now),
            idle,
            phase: IdlePhase::Active,
        });
        Task::perform(
            async { tokio::time::sleep(Duration::from_millis(1200)).await },
            |()| Message::EnterHome,
        )
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

    fn tick(&mut self, now: Instant) {
        let Some(active) = &mut self.session else {
            return;
        };
        let phase = active.idle.phase(now);
        if let IdlePhase::Warning { remaining_secs } = phase
            && !matches!(active.phase, IdlePhase::Warning { .. })
        {
            tracing::info!(remaining_secs, "idle warning shown");
        }
        active.phase = phase;
        if phase == IdlePhase::Expired {
            self.end_session(EndReason::IdleTimeout);
        }
    }

    fn end_session(&mut self, reason: EndReason) {
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
        // In the demo the resident takes their card with them.
        if let Some(DemoReader(sim)) = &self.options.devices.demo_reader {
            sim.remove();
        }
        // The next resident starts from the terminal's defaults.
        self.language = self.options.config.ui.default_language;
        self.elder = self.options.config.ui.elder_mode_default;
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
        let body: Element<'_, Message> = match (&self.screen, &self.session) {
            (Screen::Home(state), Some(active)) => state
                .view(ctx, &active.session.identity().masked_name())
                .map(Message::Home),
            (Screen::LicencePrint(state), Some(_)) => state.view(ctx).map(Message::LicencePrint),

            _ if self.out_of_service() => out_of_service::view(
                ctx,
                ctx.pick(
                    self.remote_out_of_service
                        .as_ref()
                        .unwrap_or(&config.service.out_of_service_reason),
                ),
                &config.service.hotline,
            )
            .map(|never| match never {}),
            _ => attract::view(
                ctx,
                attract::Info {
                    hotline: &config.service.hotline,
                    demo: self.options.demo,
                    notice: self.notice().map(Notice::message_id),
                    reading: self.reading().then_some(self.spin),
                    reader_unavailable: self.reader_unavailable(),
                },
            )
            .map(Message::Attract),
        };
        let footer = widget::footer(ctx, &config.terminal.id, &self.status, self.options.demo);
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
        if self.session.is_some() {
            subscriptions.push(iced::time::every(Duration::from_secs(1)).map(Message::Tick));
        } else {
            // Only once a minute at the attract screen: the clock shows
            // minutes, and an idle terminal should cost next to nothing.
            subscriptions.push(Subscription::run(minute_clock));
        }
        if self.frames_seen == 0 {
            subscriptions.push(window::frames().map(|_| Message::Frame));
        }
        if self.reading() {
            subscriptions
                .push(iced::time::every(Duration::from_millis(250)).map(|_| Message::Spin));
        }
        if let Some(key) = &self.options.devices.scanner {
            subscriptions.push(crate::devices::scanner(key.clone()).map(Message::Scanner));
        }
        if let Some(key) = &self.options.devices.reader {
            subscriptions.push(crate::devices::reader(key.clone()).map(Message::Reader));
        }
        if let Some(service) = &self.options.devices.a4 {
            subscriptions.push(printing::a4(service.clone()).map(Message::A4));
        }
        if let Some(service) = &self.options.devices.receipt {
            subscriptions.push(printing::receipt(service.clone()).map(Message::Receipt));
        }
        if let Some(service) = &self.options.platform {
            subscriptions.push(crate::platform::service(service.clone()).map(Message::Platform));
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
