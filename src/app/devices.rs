//! The terminal's devices, disk and platform as the app hears them: state
//! changes for the status bar and the heartbeat, what a printer's state
//! means for printing, the demo's keys, and the platform's events.

use std::sync::Arc;

use iced::{Task, keyboard};
use tongban_device::{DeviceKind, DeviceState};

use super::{App, Message};
use crate::devices::{DemoReader, DemoScanner};
use crate::print::service::{self as printing, Cause};
use crate::screen::News;
use crate::search::SearchIndex;

impl App {
    /// Demo mode's keys: F2 places the sample card (on the simulated reader
    /// when there is one), F3 lifts it, F4 places a card that will not read,
    /// F5 an expired card, F6 unplugs or replugs the reader; F7 scans the
    /// sample 随申码 and F8 a code that is not one; F9 cycles the A4 tray
    /// (one sheet left, empty, full), F10 opens or closes its cover; F11
    /// cycles the receipt roll (near end, out, new), F12 opens or closes
    /// the receipt printer's cover.
    pub(super) fn demo_key(&mut self, key: keyboard::key::Named) -> Task<Message> {
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

    /// Why a printer cannot print now, if it cannot.
    pub(super) fn printer_block(&self, kind: DeviceKind) -> Option<Cause> {
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

    pub(super) fn device_state(&mut self, kind: DeviceKind, state: DeviceState) -> Task<Message> {
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

    /// Tells the platform service the devices' states changed.
    pub(super) fn report_devices(&self) {
        if let Some(sink) = &self.device_sink {
            sink.send(&self.status.devices);
        }
    }

    /// The disk thread's news: applications stop or start again. A form
    /// already open stays; its submission is checked again when sent.
    pub(super) fn disk_event(&mut self, event: crate::disk::DiskEvent) {
        match event {
            crate::disk::DiskEvent::Watching(recheck) => self.disk_recheck = Some(recheck),
            crate::disk::DiskEvent::Changed(status) => {
                self.disk_low = status.low;
                self.screen.hear(News::ApplicationsPaused(status.low));
            }
        }
    }

    /// Whether the reader is reading a card right now.
    pub(super) fn reading(&self) -> bool {
        self.session.is_none()
            && self
                .status
                .device(DeviceKind::IdCardReader)
                .is_some_and(|d| d.state == DeviceState::Busy)
    }

    /// Whether the terminal has a reader that cannot read now.
    pub(super) fn reader_unavailable(&self) -> bool {
        self.options.devices.reader.is_some()
            && self
                .status
                .device(DeviceKind::IdCardReader)
                .is_some_and(|d| !d.state.is_usable())
    }

    pub(super) fn platform_event(&mut self, event: crate::platform::PlatformEvent) {
        self.apply_platform_event(event);
        // The home's entries follow what the platform made available.
        self.screen.hear(News::Availability {
            catalogue: self.catalogue_version.is_some(),
            platform: self.status.network == crate::status::NetworkState::Online,
        });
    }

    pub(super) fn apply_platform_event(&mut self, event: crate::platform::PlatformEvent) {
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
}
