//! 证照打印 as the app runs it: the resident's licences from the
//! platform, the print ticket asked and composed in a task, the page sent
//! to the A4 printer, the job's progress, and the ticket given back or
//! reported when the printing ends.

use std::sync::Arc;

use chrono::{Datelike, Timelike};
use iced::Task;
use tongban_device::DeviceKind;

use super::{App, Message, Screen};
use crate::print::prepare::Unprintable;
use crate::print::service::{self as printing, Cause, PrintRequest, PrinterEvent};
use crate::screen::{News, licence_print, licences};
use crate::store::SubmissionKind;

/// A print ticket while it is used: its page, and what the printer
/// confirmed so far. The page is personal data, wiped when done.
pub(super) struct HeldTicket {
    pub(super) ticket: String,
    pub(super) page: Arc<tongban_laser::Bitmap>,
    /// Copies sent to the printer (0: not printed yet).
    pub(super) sent: u32,
    /// Pages the printer confirmed.
    pub(super) confirmed: u32,
}

impl App {
    /// The messages of 证照打印: the screens', the platform's listing, the
    /// prepared page, the A4 printer's events.
    pub(super) fn licence_message(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Licences(message) => self.licences_message(message),
            Message::LicencePrint(message) => self.licence_print_message(message),
            Message::LicencePrepared(session, result) => self.licence_prepared(session, result),
            Message::PrintReported(result) => {
                if let Err(error) = result {
                    tracing::error!(%error, "print result not queued");
                }
                Task::none()
            }
            Message::HeldLicences(session, result) => {
                self.held_licences(session, result);
                Task::none()
            }
            Message::A4(event) => self.a4_event(event),
            _ => Task::none(),
        }
    }

    /// 证照打印: the resident's licences, as the platform listed them at
    /// identification (asked again if that failed).
    pub(super) fn open_licences(&mut self) -> Task<Message> {
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
    pub(super) fn reload_licences(&mut self) -> Task<Message> {
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
                self.screen
                    .hear(News::Licences(&licences::Listing::Unreachable));
                Task::none()
            }
        }
    }

    /// The platform listed the resident's licences (or could not).
    pub(super) fn held_licences(
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
                self.screen.hear(News::Held(&active.held));
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
        self.screen.hear(News::Licences(&active.licences));
    }

    pub(super) fn licences_message(&mut self, message: licences::Message) -> Task<Message> {
        let Screen::Licences(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
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
                state.hear(&News::PrinterBlocked(
                    DeviceKind::A4Printer,
                    self.printer_block(DeviceKind::A4Printer),
                ));
                self.screen = Screen::LicencePrint(Box::new(state));
                self.reset_idle();
                Task::none()
            }
        }
    }

    pub(super) fn licence_print_message(
        &mut self,
        message: licence_print::Message,
    ) -> Task<Message> {
        let Screen::LicencePrint(state) = &mut self.screen else {
            return Task::none();
        };
        let licence = state.licence().clone();
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
    pub(super) fn ask_ticket(
        &mut self,
        licence: &tongban_platform_api::licence::LicenceSummary,
        purpose: String,
        copies: u32,
    ) -> Task<Message> {
        let release = self.release_ticket();
        let problem = |app: &mut Self, p: Unprintable| {
            app.screen.hear(News::LicenceProblem(p));
        };
        let Some(active) = &self.session else {
            return release;
        };
        let id = active.id;
        let Some(platform) = active.session.platform().cloned() else {
            problem(self, Unprintable::Session);
            return release;
        };
        let Some(client) = self.waiting_client.clone() else {
            problem(self, Unprintable::Unreachable);
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
    pub(super) fn licence_prepared(
        &mut self,
        session: u64,
        result: Result<crate::print::prepare::Prepared, (Unprintable, Option<String>)>,
    ) -> Task<Message> {
        let waiting = self.current_session() == Some(session)
            && matches!(&self.screen, Screen::LicencePrint(s) if s.preparing());
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
                if waiting {
                    self.screen.hear(News::LicenceProblem(problem));
                }
                match ticket {
                    Some(ticket) => self.report_print(&ticket, 0, 0, "cancelled"),
                    None => Task::none(),
                }
            }
        }
    }

    /// Sends the prepared page to the A4 printer.
    pub(super) fn print_licence(&mut self, copies: u32) {
        self.jobs_queued += 1;
        let token = self.jobs_queued;
        let Some(held) = &mut self.licence_ticket else {
            tracing::error!("print asked without a ticket");
            self.screen
                .hear(News::LicenceProgress(printing::Progress::Refused(
                    Cause::Layout,
                )));
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
                self.screen
                    .hear(News::LicenceProgress(printing::Progress::Refused(
                        Cause::Offline,
                    )));
            }
        }
    }

    /// Gives back a ticket that was not printed (the platform returns its
    /// copies to the day's quota) and wipes its page.
    pub(super) fn release_ticket(&mut self) -> Task<Message> {
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
    pub(super) fn send_outbox_now(&self) {
        if let Some(sink) = &self.device_sink {
            sink.sync_now();
        }
    }

    /// Queues how printing under a ticket ended for the platform, in the
    /// outbox with the resident's other submissions.
    pub(super) fn report_print(
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
            at: self.stamp(),
        };
        let client = self.waiting_client.clone();
        Task::perform(
            crate::submit::submit(submission, client),
            Message::PrintReported,
        )
    }

    pub(super) fn a4_event(&mut self, event: PrinterEvent) -> Task<Message> {
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

    pub(super) fn a4_event_inner(&mut self, event: PrinterEvent) -> Task<Message> {
        if self.test_job_event(&event) {
            return Task::none();
        }
        match event {
            PrinterEvent::Ready(queue) => self.a4_queue = Some(queue),
            PrinterEvent::Status(status) => {
                self.status.set(status);
                self.report_devices();
                let blocked = self.printer_block(DeviceKind::A4Printer);
                self.screen
                    .hear(News::PrinterBlocked(DeviceKind::A4Printer, blocked));
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
                self.screen.hear(News::LicenceProgress(progress));
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
}
