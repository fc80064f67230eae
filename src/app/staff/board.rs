//! Maintenance mode's actions: each one's I/O in a task and each one in
//! the audit log.

use iced::Task;

use super::{OUT_OF_SERVICE, StaffMessage};
use crate::app::{App, Message, Screen};
use crate::screen::News;
use crate::screen::maintenance::{self, Outcome, Restock};
use crate::store::AuditEntry;

impl App {
    pub(in crate::app) fn maintenance_message(
        &mut self,
        message: maintenance::Message,
    ) -> Task<Message> {
        let staff = self.screen.staff().unwrap_or_default().to_owned();
        let Screen::Maintenance(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            maintenance::Action::None => Task::none(),
            maintenance::Action::Refresh => self.load_facts(),
            maintenance::Action::Exit => {
                tracing::info!("maintenance mode closed");
                let audit = self.audit(&staff, "maintenance_close", String::new());
                Task::batch([self.leave_staff_mode(), audit])
            }
            maintenance::Action::Restock(restock) => self.restock(&staff, restock),
            maintenance::Action::SelfCheck => self.self_check(&staff),
            maintenance::Action::TestPrint(kind) => self.test_print(kind),
            maintenance::Action::OutOfService(reason) => self.take_out_of_service(staff, reason),
            maintenance::Action::InService => self.put_in_service(staff),
            maintenance::Action::Sync => {
                let sent = self
                    .device_sink
                    .as_ref()
                    .is_some_and(|sink| sink.sync_now());
                let outcome = if sent {
                    Outcome::Done("mt-done-sync", Vec::new())
                } else {
                    Outcome::Failed("mt-failed-sync", "no platform configured".into())
                };
                self.screen.hear(News::StaffOutcome(outcome));
                self.audit(&staff, "force_sync", String::new())
            }
            maintenance::Action::Resolve(id, printed) => self.resolve(staff, id, printed),
        }
    }

    pub(in crate::app) fn restock(&mut self, staff: &str, restock: Restock) -> Task<Message> {
        let Screen::Maintenance(state) = &self.screen else {
            return Task::none();
        };
        let devices = &self.options.config.devices;
        let tray = i64::from(devices.a4_printer.tray_sheets);
        let before = state.supply(restock.supply()).map(|s| s.remaining);
        let remaining = match restock {
            Restock::A4Full => tray,
            Restock::A4Added(n) => (before.unwrap_or(0) + i64::from(n)).min(tray),
            Restock::ReceiptRoll => i64::from(devices.receipt_printer.roll_length_mm),
            Restock::Toner => i64::from(devices.a4_printer.toner_yield_pages),
        };
        let name = restock.supply();
        let detail = match before {
            Some(b) => format!("{name} {b} -> {remaining}"),
            None => format!("{name} -> {remaining}"),
        };
        tracing::info!(supply = name, remaining, "restocked by staff");
        let entry = AuditEntry {
            at: self.stamp(),
            actor: staff.to_owned(),
            action: restock.action().into(),
            detail,
        };
        let words = maintenance::supply_words(name);
        self.with_store(
            move |s| s.restock(name, remaining, &entry),
            move |r| {
                Message::Staff(StaffMessage::Done(match r {
                    Ok(()) => Outcome::Done(
                        "mt-done-restock",
                        vec![
                            ("supply", words.to_owned()),
                            ("remaining", remaining.to_string()),
                        ],
                    ),
                    Err(why) => Outcome::Failed("mt-failed-not-kept", why),
                }))
            },
        )
    }

    /// Checks every configured device, shows the lines and audits it.
    fn self_check(&mut self, staff: &str) -> Task<Message> {
        let checks = maintenance::self_check(&self.status, self.configured());
        let passed = checks.iter().filter(|c| c.passed).count();
        let detail = format!("{passed} of {} devices passed", checks.len());
        let outcome = Outcome::Done(
            "mt-done-self-check",
            vec![
                ("passed", passed.to_string()),
                ("total", checks.len().to_string()),
            ],
        );
        self.screen.hear(News::SelfCheck(checks));
        self.screen.hear(News::StaffOutcome(outcome));
        self.audit(staff, "self_check", detail)
    }

    /// Staff take the terminal out of service, for the reason they chose;
    /// it is kept (and audited) in the store so it outlasts a restart.
    fn take_out_of_service(&mut self, staff: String, reason: &'static str) -> Task<Message> {
        let reason = kiosk_config::Localized {
            zh: self.i18n.tr(crate::i18n::Language::ZhCn, reason),
            en: self.i18n.tr(crate::i18n::Language::En, reason),
        };
        tracing::info!("out of service by staff");
        let value =
            serde_json::json!({ "zh": reason.zh, "en": reason.en, "staff": staff }).to_string();
        let detail = reason.en.clone();
        self.staff.out_of_service = Some(reason);
        let entry = AuditEntry {
            at: self.stamp(),
            actor: staff,
            action: "out_of_service".into(),
            detail,
        };
        self.with_store(
            move |s| s.set_state_audited(OUT_OF_SERVICE, &value, &entry),
            |r| {
                Message::Staff(StaffMessage::Done(match r {
                    Ok(()) => Outcome::Done("mt-done-out-of-service", Vec::new()),
                    Err(why) => Outcome::Failed("mt-failed-not-kept", why),
                }))
            },
        )
    }

    /// Staff put the terminal back in service.
    fn put_in_service(&mut self, staff: String) -> Task<Message> {
        tracing::info!("back in service by staff");
        self.staff.out_of_service = None;
        let entry = AuditEntry {
            at: self.stamp(),
            actor: staff,
            action: "in_service".into(),
            detail: String::new(),
        };
        self.with_store(
            move |s| s.set_state_audited(OUT_OF_SERVICE, "", &entry),
            |r| {
                Message::Staff(StaffMessage::Done(match r {
                    Ok(()) => Outcome::Done("mt-done-in-service", Vec::new()),
                    Err(why) => Outcome::Failed("mt-failed-not-kept", why),
                }))
            },
        )
    }

    /// Staff say whether an uncertain licence job's pages came out.
    fn resolve(&mut self, staff: String, id: i64, printed: bool) -> Task<Message> {
        let entry = AuditEntry {
            at: self.stamp(),
            actor: staff,
            action: if printed {
                "resolve_printed"
            } else {
                "resolve_not_printed"
            }
            .into(),
            detail: format!("print job {id}"),
        };
        // The journal queues the ticket's final result with the
        // resolution; the platform service is woken to send it.
        let sink = self.device_sink.clone();
        self.with_store(
            move |s| s.resolve_uncertain(id, printed, &entry),
            move |r| {
                Message::Staff(StaffMessage::Done(match r {
                    Ok(true) => {
                        if let Some(sink) = &sink {
                            sink.sync_now();
                        }
                        Outcome::Done("mt-done-resolved", vec![("id", id.to_string())])
                    }
                    Ok(false) => Outcome::Failed(
                        "mt-failed-resolve",
                        "the job is no longer uncertain".into(),
                    ),
                    Err(why) => Outcome::Failed("mt-failed-resolve", why),
                }))
            },
        )
    }
}
