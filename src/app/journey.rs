//! A resident's journey from identification to farewell: the ID card
//! and the scanned 随申码 that open a session, the platform's session for
//! the resident, the idle timer, and the end that wipes personal data.

use std::time::{Duration, Instant};

use ga467::serial::ReaderEvent;
use iced::Task;
use tongban_device::DeviceKind;
use tongban_scanner::serial::ScannerEvent;

use super::{App, Message, Screen};
use crate::devices::{DemoReader, identity_of, today};
use crate::screen::{News, farewell, home, identify, licences};
use crate::session::{Identity, IdlePhase, IdleTimer, Session};

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
    pub(super) fn message_id(self) -> &'static str {
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

pub(super) struct ActiveSession {
    pub(super) session: Session,
    pub(super) idle: IdleTimer,
    pub(super) phase: IdlePhase,
    /// Tells this session's answers from an earlier one's: the number of
    /// the identification attempt that opened it.
    pub(super) id: u64,
    /// Licence types the resident holds electronically (no numbers).
    pub(super) held: Vec<String>,
    /// The resident's licences as the platform listed them.
    pub(super) licences: licences::Listing,
    /// Orders this resident's submissions in the outbox: the platform's
    /// reference, or one made for the session while the platform is away.
    pub(super) resident_key: String,
    /// The item or bundle the last submission was for (for its rating).
    pub(super) last_item: Option<String>,
    /// The application number the last submission got.
    pub(super) last_application: Option<String>,
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

impl App {
    /// A new identification attempt's number.
    pub(super) fn next_attempt(&mut self) -> u64 {
        self.attempts += 1;
        self.attempts
    }

    /// The platform's answer to the 随申码 scanned in `attempt`. Only the
    /// attempt the waiting screen still waits for counts: an answer for an
    /// earlier scan, or one that comes after the resident cancelled, the
    /// wait timed out, a card was read or staff took the terminal, would
    /// open someone else's session for whoever stands there now.
    pub(super) fn suishenma_session(
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
                let started = self.start_session(identity, self.instant(), attempt);
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

    pub(super) fn reader_event(&mut self, event: ReaderEvent) -> Task<Message> {
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
                    return self.start_session(identity_of(&card), self.instant(), attempt);
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

    pub(super) fn scanner_event(&mut self, event: ScannerEvent) -> Task<Message> {
        match event {
            ScannerEvent::State(state) => return self.device_state(DeviceKind::QrScanner, state),
            ScannerEvent::Scanned(scan) => {
                if self.session.is_some() {
                    // A form takes a scanned code into the field being
                    // edited; anywhere else a scan changes nothing.
                    if self.screen.hear(News::Scanned(scan.text())) {
                        tracing::info!("code scanned into a form field");
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
                                since: self.instant(),
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

    /// Why no identification can start now, if none can.
    pub(super) fn identification_refused(&self) -> Option<&'static str> {
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
    pub(super) fn leave_farewell_for_next(&mut self) {
        if matches!(self.screen, Screen::Farewell(_)) {
            self.language = self.options.config.ui.default_language;
            self.elder = self.options.config.ui.elder_mode_default;
        }
    }

    /// Opens the session of the resident identified in `attempt`. A
    /// 随申码 still awaited is given up: the person at the terminal now
    /// is the one identified.
    pub(super) fn start_session(
        &mut self,
        identity: Identity,
        now: Instant,
        attempt: u64,
    ) -> Task<Message> {
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
    pub(super) fn ask_platform_session(&self, id: u64) -> Task<Message> {
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

    /// The platform's answer for the resident identified in session `id`:
    /// kept in the session; then their licences are asked for.
    pub(super) fn platform_session(
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
                self.screen.hear(News::Licences(&active.licences));
                Task::none()
            }
        }
    }

    /// The number of the open session, if one is open.
    pub(super) fn current_session(&self) -> Option<u64> {
        self.session.as_ref().map(|a| a.id)
    }

    pub(super) fn activity(&mut self, now: Instant) {
        if let Some(active) = &mut self.session {
            active.idle.touch(now);
            active.phase = active.idle.phase(now);
        }
    }

    pub(super) fn tick(&mut self, now: Instant) -> Task<Message> {
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
    pub(super) fn end_session(&mut self, reason: EndReason) -> Task<Message> {
        let release = self.release_ticket();
        if let Some(mut active) = self.session.take() {
            let age = active.session.age(self.instant());
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

    /// The resident is done: the session is wiped now, and the reminder to
    /// take card and papers shows for a while.
    pub(super) fn finish(&mut self) -> Task<Message> {
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

    pub(super) fn leave_farewell(&mut self) {
        if matches!(self.screen, Screen::Farewell(_)) {
            self.screen = Screen::Attract;
            self.apply_pending_config();
            self.language = self.options.config.ui.default_language;
            self.elder = self.options.config.ui.elder_mode_default;
        }
    }

    pub(super) fn show_notice(&mut self, notice: Notice) -> Task<Message> {
        self.notices_shown += 1;
        let id = self.notices_shown;
        self.notice = Some((notice, id));
        // The timer is made inside the future, on the runtime that polls it.
        Task::perform(
            async { tokio::time::sleep(Duration::from_secs(12)).await },
            move |()| Message::ClearNotice(id),
        )
    }

    pub(super) fn go_home(&mut self) {
        if self.session.is_some() {
            self.screen = Screen::Home(self.home_state());
            self.reset_idle();
        }
    }

    pub(super) fn reset_idle(&mut self) {
        let (timeout, now) = (self.idle_timeout(), self.instant());
        if let Some(active) = &mut self.session {
            active.idle.reset(timeout, now);
            active.phase = IdlePhase::Active;
        }
    }

    /// A fresh home for the open session, with what is available now.
    pub(super) fn home_state(&self) -> home::State {
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

    /// From the resident's home: the entry or item chosen.
    pub(super) fn home_message(&mut self, message: home::Message) -> Task<Message> {
        let Screen::Home(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            home::Action::None => Task::none(),
            home::Action::Open(home::Entry::Licences) => {
                tracing::info!("entry chosen: licences");
                self.open_licences()
            }
            home::Action::Open(home::Entry::Services) => {
                tracing::info!("entry chosen: services");
                self.open_services();
                Task::none()
            }
            home::Action::Open(home::Entry::Progress) => {
                tracing::info!("entry chosen: progress");
                self.open_progress()
            }
            home::Action::Item(i) => {
                tracing::info!("most used item chosen");
                self.open_guide(crate::search::Target::Item(i));
                Task::none()
            }
            home::Action::Finish => self.finish(),
        }
    }

    /// The resident gave up waiting for their 随申码 to be confirmed.
    pub(super) fn cancel_identification(&mut self) {
        if let Screen::Identifying(state) = &self.screen {
            tracing::info!(attempt = state.attempt, "identification cancelled");
            self.screen = Screen::Attract;
        }
    }

    /// The "identity confirmed" card has shown long enough.
    pub(super) fn enter_home(&mut self) {
        let now = self.instant();
        if self.confirming
            && let Some(active) = &mut self.session
        {
            self.confirming = false;
            active.idle.touch(now);
        }
    }

    /// The resident tapped "continue" on the idle warning.
    pub(super) fn extend_session(&mut self, now: Instant) {
        self.staff_activity(now);
        if let Some(active) = &mut self.session {
            active.idle.touch(now);
            active.phase = IdlePhase::Active;
            tracing::info!("session extended after idle warning");
        }
    }

    /// One second passed: the clock, the PIN lock, maintenance mode's
    /// timer, the wait for a 随申码, and the session's idle timer.
    pub(super) fn second(&mut self, now: Instant) -> Task<Message> {
        self.now = self.local();
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
        Task::batch([lock, self.tick(now)])
    }
}
