//! The top level of the kiosk UI: routes between screens, owns the resident
//! session and its idle timer, and draws the header, footer and overlays.
//! `update` and `view` never block and never do I/O: clocks, signals and
//! device events arrive as messages from subscriptions.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Local};
use iced::{Size, Task, keyboard, window};
use kiosk_config::Config;

pub use crate::devices::{DemoReader, DemoScanner};
use crate::i18n::{I18n, Language};
use crate::print::service::Queue;
use crate::screen::{attract, farewell, identify, maintenance, services};
use crate::search::SearchIndex;
use crate::session::IdlePhase;
use crate::status::TerminalStatus;
use crate::theme::Metrics;
use crate::widget::{Ctx, Layout};
use tongban_device::{DeviceKind, DeviceState};
use tongban_platform_api::catalogue::Catalogue;

mod devices;
mod item;
mod journey;
mod licence;
mod lifecycle;
mod message;
mod options;
mod screen;
mod staff;
mod subscription;
mod view;

use journey::ActiveSession;
pub use journey::{EndReason, Notice};
use licence::HeldTicket;
pub use message::Message;
pub use options::Options;
pub use screen::Screen;
pub use staff::{
    OUT_OF_SERVICE, PIN_FAILURES, PIN_LOCK_LEFT, PIN_LOCKED_UNTIL, StaffMessage, stored_failures,
    stored_lock, stored_out_of_service,
};

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
            now: options.clock.local(),
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
                options.clock.instant(),
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
        let lock = app.keep_pin_lock(app.instant());
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

    /// Switches to the other language.
    fn toggle_language(&mut self) {
        self.language = match self.language {
            Language::ZhCn => Language::En,
            Language::En => Language::ZhCn,
        };
        tracing::debug!(
            language = crate::i18n::tag(self.language),
            "language switched"
        );
    }

    /// Handles a message. Never blocks. Each kind of message goes to the
    /// part of the app that owns what it is about.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::ToggleLanguage => {
                self.toggle_language();
                Task::none()
            }
            Message::ToggleElder => {
                self.elder = !self.elder;
                tracing::debug!(elder = self.elder, "elder mode switched");
                Task::none()
            }
            Message::Attract(attract::Message::DemoPlaceCard) if self.options.demo => {
                self.demo_key(keyboard::key::Named::F2)
            }
            Message::Attract(_) => Task::none(),
            Message::Home(message) => self.home_message(message),
            message @ (Message::Licences(_)
            | Message::LicencePrint(_)
            | Message::LicencePrepared(..)
            | Message::PrintReported(_)
            | Message::HeldLicences(..)
            | Message::A4(_)) => self.licence_message(message),
            message @ (Message::Services(_)
            | Message::Guide(_)
            | Message::Apply(_)
            | Message::Submitted(..)
            | Message::AfterSubmit(_)
            | Message::Progress(_)
            | Message::Applications(..)
            | Message::Rating(_)
            | Message::Rated(_)) => self.item_message(message),
            Message::Identified(identity) => {
                let attempt = self.next_attempt();
                self.start_session(identity, self.instant(), attempt)
            }
            Message::Identify(identify::Message::Cancel) => {
                self.cancel_identification();
                Task::none()
            }
            Message::EnterHome => {
                self.enter_home();
                Task::none()
            }
            Message::Spin => {
                self.spin = self.spin.wrapping_add(1);
                Task::none()
            }
            Message::PlatformSession(session, result) => self.platform_session(session, result),
            Message::Farewell(farewell::Message::Done) => {
                self.leave_farewell();
                Task::none()
            }
            Message::FarewellOver(n) => {
                if self.screen == Screen::Farewell(n) {
                    self.leave_farewell();
                }
                Task::none()
            }
            Message::Receipt(event) => self.receipt_event(event),
            Message::Platform(event) => {
                self.platform_event(event);
                Task::none()
            }
            Message::Disk(event) => {
                self.disk_event(event);
                Task::none()
            }
            Message::SuishenmaSession(attempt, result) => self.suishenma_session(attempt, result),
            Message::Activity => {
                self.activity(self.instant());
                self.staff_activity(self.instant());
                Task::none()
            }
            Message::Key(key) => {
                self.activity(self.instant());
                self.staff_activity(self.instant());
                match (self.options.demo, key) {
                    (true, keyboard::Key::Named(named)) => self.demo_key(named),
                    _ => Task::none(),
                }
            }
            Message::Reader(event) => self.reader_event(event),
            Message::Scanner(event) => self.scanner_event(event),
            Message::ClearNotice(id) => {
                if self.notice.is_some_and(|(_, shown)| shown == id) {
                    self.notice = None;
                }
                Task::none()
            }
            Message::Tick(now) => self.second(now),
            Message::Clock(now) => {
                self.now = now;
                self.keep_pin_lock(self.instant())
            }
            Message::ExtendSession => {
                self.extend_session(self.instant());
                Task::none()
            }
            Message::EndSession if self.in_staff_mode() => self.update(Message::Staff(
                StaffMessage::Maintenance(maintenance::Message::Exit),
            )),
            Message::EndSession => self.finish(),
            Message::Staff(message) => self.staff_message(message),
            message @ (Message::Resized(_)
            | Message::Monitor(..)
            | Message::Frame
            | Message::Terminate
            | Message::StopNow
            | Message::Alive
            | Message::CloseRequested(_)
            | Message::DemoFreeze) => self.lifecycle(message),
        }
    }

    /// The time now on the app's clock (`Options::clock`), for timers.
    fn instant(&self) -> Instant {
        self.options.clock.instant()
    }

    /// The wall-clock time now on the app's clock.
    fn local(&self) -> chrono::DateTime<Local> {
        self.options.clock.local()
    }

    /// [`App::local`] as RFC 3339, for what is written down.
    fn stamp(&self) -> String {
        self.local().to_rfc3339()
    }

    /// The notice on the attract screen, if any.
    pub fn notice(&self) -> Option<Notice> {
        self.notice.map(|(n, _)| n)
    }
}
