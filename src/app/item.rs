//! 事项办理 as the app runs it: an item's guide, its form, the
//! submission through the outbox, the receipt, progress and the rating.

use iced::Task;
use tongban_device::DeviceKind;

use super::{App, Message, Screen};
use crate::i18n::Arg;
use crate::print::service::{self as printing, Cause, PrintRequest, PrinterEvent};
use crate::screen::{News, apply, guide, progress, rating, services, submitted};
use crate::search::Target;
use crate::session::Identity;
use crate::store::SubmissionKind;
use crate::submit::{Sent, SubmitError};

impl App {
    /// The messages of 事项办理: the catalogue, guide, form, submission,
    /// progress and rating.
    pub(super) fn item_message(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Services(message) => {
                self.services_message(message);
                Task::none()
            }
            Message::Guide(message) => self.guide_message(message),
            Message::Apply(message) => self.apply_message(message),
            Message::Submitted(session, result) => self.submitted(session, result),
            Message::AfterSubmit(message) => self.after_submit(message),
            Message::Progress(progress::Message::Back) => {
                self.go_home();
                Task::none()
            }
            Message::Progress(progress::Message::Retry) => self.open_progress(),
            Message::Applications(session, result) => {
                self.applications(session, result);
                Task::none()
            }
            Message::Rating(message) => self.rating_message(message),
            Message::Rated(result) => {
                if let Err(error) = result {
                    tracing::warn!(%error, "rating not queued");
                }
                Task::none()
            }
            _ => Task::none(),
        }
    }

    /// An item's or bundle's guide.
    pub(super) fn open_guide(&mut self, target: Target) {
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
        guide.hear(&News::ApplicationsPaused(self.disk_low));
        self.screen = Screen::Guide(guide);
        self.reset_idle();
    }

    pub(super) fn guide_message(&mut self, message: guide::Message) -> Task<Message> {
        let (Screen::Guide(state), Some((catalogue, _))) = (&mut self.screen, &self.catalogue)
        else {
            return Task::none();
        };
        match state.update(message, catalogue) {
            guide::Action::None => {}
            guide::Action::Apply(target) => self.open_form(target),
            guide::Action::Print(target) => {
                let outcome = self
                    .print_guide(target)
                    .map(|_| ())
                    .map_err(|cause| self.ctx().t(cause.message_id()));
                self.screen.hear(News::GuidePrinted(outcome));
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
    pub(super) fn open_form(&mut self, target: Target) {
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

    pub(super) fn apply_message(&mut self, message: apply::Message) -> Task<Message> {
        let Screen::Apply(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            apply::Action::None => Task::none(),
            apply::Action::Back(target) => {
                self.open_guide(target);
                Task::none()
            }
            apply::Action::Submit(target, fields) => self.submit_form(target, fields),
        }
    }

    /// Queues the form's applications and sends them if the platform
    /// answers, in a task.
    pub(super) fn submit_form(
        &mut self,
        target: Target,
        fields: Vec<(String, String)>,
    ) -> Task<Message> {
        let (Some(active), Some((catalogue, _))) = (&self.session, &self.catalogue) else {
            return Task::none();
        };
        let items: Vec<String> = match target {
            Target::Item(i) => vec![catalogue.items[i].id.clone()],
            // One form, one application per item of the bundle.
            Target::Bundle(b) => catalogue.bundles[b].items.clone(),
        };
        let terminal = self.options.config.terminal.id.clone();
        let at = self.stamp();
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

    pub(super) fn submitted(
        &mut self,
        id: u64,
        result: Result<Vec<Sent>, SubmitError>,
    ) -> Task<Message> {
        if self.current_session() != Some(id) {
            return Task::none();
        }
        let Some(target) = (match &self.screen {
            Screen::Apply(state) => state.submitting(),
            _ => None,
        }) else {
            return Task::none();
        };
        let sent = match result {
            Ok(sent) => sent,
            Err(error) => {
                tracing::warn!(%error, "submission not taken; the form stays");
                self.screen.hear(News::SubmitFailed(error.message_id()));
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
    pub(super) fn receipt_data(
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
    pub(super) fn print_guide(&mut self, target: Target) -> Result<u64, Cause> {
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

    pub(super) fn rating_message(&mut self, message: rating::Message) -> Task<Message> {
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
                let at = self.stamp();
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
    pub(super) fn open_progress(&mut self) -> Task<Message> {
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

    pub(super) fn receipt_event(&mut self, event: PrinterEvent) -> Task<Message> {
        if self.test_job_event(&event) {
            return Task::none();
        }
        match event {
            PrinterEvent::Ready(queue) => self.receipt_queue = Some(queue),
            PrinterEvent::Status(status) => {
                self.status.set(status);
                self.report_devices();
                let blocked = self.printer_block(DeviceKind::ReceiptPrinter);
                self.screen
                    .hear(News::PrinterBlocked(DeviceKind::ReceiptPrinter, blocked));
                return self.device_changed(status, self.automatic_out_of_service().is_some());
            }
            PrinterEvent::Job { token, progress } => {
                tracing::info!(token, ?progress, "receipt job");
                let receipt = match progress {
                    printing::Progress::Printed => Some(submitted::Receipt::Printed),
                    printing::Progress::Failed { cause, .. }
                    | printing::Progress::Uncertain { cause }
                    | printing::Progress::Refused(cause) => Some(submitted::Receipt::Failed(cause)),
                    _ => None,
                };
                if self.receipt_job == Some(token)
                    && let Some(receipt) = receipt
                    && self.screen.hear(News::Receipt(receipt))
                {
                    self.receipt_job = None;
                }
            }
        }
        Task::none()
    }

    /// The catalogue screen, fresh.
    pub(super) fn open_services(&mut self) {
        if let Some((catalogue, _)) = &self.catalogue {
            self.screen = Screen::Services(services::State::new(catalogue));
            self.reset_idle();
        }
    }

    /// From the catalogue screen.
    pub(super) fn services_message(&mut self, message: services::Message) {
        if let (Screen::Services(state), Some((catalogue, index))) =
            (&mut self.screen, &self.catalogue)
        {
            match state.update(message, catalogue, index) {
                services::Action::None => {}
                services::Action::Open(target) => self.open_guide(target),
                services::Action::Home => self.go_home(),
            }
        }
    }

    /// From the screen after submitting.
    pub(super) fn after_submit(&mut self, message: submitted::Message) -> Task<Message> {
        match message {
            submitted::Message::Rate => {
                self.screen = Screen::Rating(rating::State::default());
                self.reset_idle();
                Task::none()
            }
            submitted::Message::Home => {
                self.go_home();
                Task::none()
            }
            submitted::Message::Finish => self.finish(),
        }
    }

    /// The resident's applications, from the platform, for session
    /// `session`.
    pub(super) fn applications(
        &mut self,
        session: u64,
        result: Result<
            Vec<tongban_platform_api::application::Progress>,
            crate::platform::ClientError,
        >,
    ) {
        if self.current_session() == Some(session) && matches!(self.screen, Screen::Progress(_)) {
            self.screen = Screen::Progress(match result {
                Ok(list) => progress::State::Loaded(list),
                Err(crate::platform::ClientError::Refused(401 | 403)) => {
                    progress::State::Failed("progress-error-session")
                }
                Err(error) => {
                    tracing::warn!(%error, "applications not fetched");
                    progress::State::Failed("progress-error-platform")
                }
            });
        }
    }
}
