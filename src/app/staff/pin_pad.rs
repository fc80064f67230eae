//! The staff PIN pad: opened by the long press, the PIN checked in a task
//! against the argon2 hashes in config, wrong PINs counted and the entry
//! locked after too many (the count and the lock outlast a restart).

use iced::Task;

use super::{PIN_FAILURES, PIN_LOCK_LEFT, SYSTEM, StaffMessage};
use crate::app::{App, Message, Screen};
use crate::screen::{News, maintenance, pin};
use crate::store::AuditEntry;

impl App {
    /// Opens the PIN pad (nothing while a resident is served).
    pub(in crate::app) fn open_pin_pad(&mut self) -> Task<Message> {
        if self.session.is_some()
            || self.in_staff_mode()
            || matches!(self.screen, Screen::Farewell(_))
        {
            return Task::none();
        }
        let notice =
            if self.options.config.staff.pins.is_empty() || self.options.staff_pepper.is_none() {
                Some(pin::Notice::NoStaff)
            } else {
                self.staff
                    .lockout
                    .remaining(self.instant())
                    .map(|d| pin::Notice::Locked {
                        secs: d.as_secs().max(1),
                    })
            };
        tracing::info!("staff PIN pad opened");
        self.screen = Screen::Pin(pin::State::with(notice));
        self.start_staff_idle();
        Task::none()
    }

    pub(in crate::app) fn pin_message(&mut self, message: pin::Message) -> Task<Message> {
        let Screen::Pin(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            pin::Action::None => Task::none(),
            pin::Action::Cancel => {
                tracing::info!("staff PIN pad left");
                self.leave_staff_mode()
            }
            pin::Action::Check(pin) => {
                if let Some(left) = self.staff.lockout.remaining(self.instant()) {
                    self.screen.hear(News::PinChecked(Some(pin::Notice::Locked {
                        secs: left.as_secs().max(1),
                    })));
                    return Task::none();
                }
                let pins = self.options.config.staff.pins.clone();
                let Some(pepper) = self.options.staff_pepper.clone() else {
                    self.screen
                        .hear(News::PinChecked(Some(pin::Notice::NoStaff)));
                    return Task::none();
                };
                Task::perform(
                    async move {
                        tokio::task::spawn_blocking(move || {
                            crate::staff::verify(&pins, &pin, &pepper)
                        })
                        .await
                        .ok()
                        .flatten()
                    },
                    |found| Message::Staff(StaffMessage::PinChecked(found)),
                )
            }
        }
    }

    pub(in crate::app) fn pin_checked(&mut self, found: Option<String>) -> Task<Message> {
        if !matches!(self.screen, Screen::Pin(_)) {
            return Task::none();
        }
        match found {
            Some(staff) => {
                self.staff.lockout.succeeded();
                tracing::info!(staff = %staff, "maintenance mode opened");
                self.screen = Screen::Maintenance(Box::new(maintenance::State::new(staff.clone())));
                self.start_staff_idle();
                let at = self.stamp();
                Task::batch([
                    self.audit(&staff, "maintenance_open", String::new()),
                    self.load_facts(),
                    self.write_store("wrong PIN count", move |s| {
                        s.set_state(PIN_FAILURES, "0", &at)
                    }),
                ])
            }
            None => match self.staff.lockout.failed(self.instant()) {
                crate::staff::Attempt::Wrong { left } => {
                    tracing::warn!(left, "wrong staff PIN");
                    self.screen
                        .hear(News::PinChecked(Some(pin::Notice::Wrong { left })));
                    // The count outlasts a restart too.
                    let failures = self.staff.lockout.failures().to_string();
                    let at = self.stamp();
                    self.write_store("wrong PIN count", move |s| {
                        s.set_state(PIN_FAILURES, &failures, &at)
                    })
                }
                crate::staff::Attempt::Locked { for_secs } => {
                    tracing::warn!(for_secs, "too many wrong staff PINs: entry locked");
                    self.screen.hear(News::PinChecked(Some(pin::Notice::Locked {
                        secs: for_secs,
                    })));
                    let max = self.options.config.staff.max_attempts;
                    // The lock outlasts a restart (power cycling does not
                    // buy more tries): what is left of it is stored, not
                    // until when, so a wrong clock cannot stretch it.
                    self.staff.lock_kept = Some(self.instant());
                    let entry = AuditEntry {
                        at: self.stamp(),
                        actor: SYSTEM.into(),
                        action: "pin_lockout".into(),
                        detail: format!("{max} wrong PINs in a row; entry locked for {for_secs} s"),
                    };
                    tracing::info!(actor = SYSTEM, action = "pin_lockout", "audit");
                    self.write_store("PIN lockout", move |s| {
                        s.set_state(PIN_FAILURES, "0", &entry.at)?;
                        s.set_state_audited(PIN_LOCK_LEFT, &for_secs.to_string(), &entry)
                    })
                }
            },
        }
    }
}
