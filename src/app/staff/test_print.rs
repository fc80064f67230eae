//! Test pages from maintenance mode: composed in a task, queued on the
//! printer, and the board told how the job went.

use std::sync::Arc;

use iced::Task;
use tongban_device::DeviceKind;

use super::{SYSTEM, StaffMessage};
use crate::app::{App, Message};
use crate::print::service::{self as printing, PrintRequest, PrinterEvent, Progress};
use crate::screen::News;
use crate::screen::maintenance::Outcome;

impl App {
    pub(in crate::app) fn test_print(&mut self, kind: DeviceKind) -> Task<Message> {
        if self.staff.test_job.is_some() {
            return Task::none();
        }
        if let Some(cause) = self.printer_block(kind) {
            self.screen.hear(News::StaffOutcome(Outcome::Failed(
                "mt-failed-test-print",
                cause.as_str().into(),
            )));
            return Task::none();
        }
        let terminal = self.options.config.terminal.id.clone();
        let at = self.local().format("%Y-%m-%d %H:%M:%S").to_string();
        match kind {
            DeviceKind::A4Printer => Task::perform(
                async move {
                    tokio::task::spawn_blocking(move || crate::print::test_page::a4(&terminal, &at))
                        .await
                        .map_err(|e| e.to_string())
                        .and_then(|r| r.map(Arc::new))
                },
                |r| Message::Staff(StaffMessage::TestPage(r)),
            ),
            DeviceKind::ReceiptPrinter => {
                self.jobs_queued += 1;
                let token = self.jobs_queued;
                let request = PrintRequest::TestReceipt {
                    token,
                    data: Box::new(crate::print::test_page::receipt(&terminal, &at)),
                };
                self.queue_test(kind, token, request)
            }
            _ => Task::none(),
        }
    }

    pub(in crate::app) fn test_page_ready(
        &mut self,
        result: Result<Arc<tongban_laser::Bitmap>, String>,
    ) -> Task<Message> {
        match result {
            Ok(page) => {
                self.jobs_queued += 1;
                let token = self.jobs_queued;
                self.queue_test(
                    DeviceKind::A4Printer,
                    token,
                    PrintRequest::TestPage { token, page },
                )
            }
            Err(why) => {
                tracing::error!(%why, "test page not composed");
                self.screen.hear(News::StaffOutcome(Outcome::Failed(
                    "mt-failed-test-print",
                    why,
                )));
                Task::none()
            }
        }
    }

    pub(in crate::app) fn queue_test(
        &mut self,
        kind: DeviceKind,
        token: u64,
        request: PrintRequest,
    ) -> Task<Message> {
        let queue = match kind {
            DeviceKind::A4Printer => self.a4_queue.as_ref(),
            _ => self.receipt_queue.as_ref(),
        };
        let queued = queue.is_some_and(|q| q.submit(request).is_ok());
        let outcome = if queued {
            self.staff.test_job = Some(token);
            Outcome::Done("mt-test-printing", Vec::new())
        } else {
            Outcome::Failed(
                "mt-failed-test-print",
                printing::Cause::Offline.as_str().into(),
            )
        };
        self.screen.hear(News::StaffOutcome(outcome));
        let staff = self.screen.staff().unwrap_or(SYSTEM).to_owned();
        if queued {
            self.audit(&staff, "test_print", kind.as_str().into())
        } else {
            Task::none()
        }
    }

    /// A printer's job event: the test print's end, if it is the one
    /// waited for. Returns whether it was.
    pub(in crate::app) fn test_job_event(&mut self, event: &PrinterEvent) -> bool {
        let PrinterEvent::Job { token, progress } = event else {
            return false;
        };
        let Some(waiting) = self.staff.test_job else {
            return false;
        };
        if *token != waiting {
            return false;
        }
        let outcome = match progress {
            Progress::Printed => Some(Outcome::Done("mt-done-test-print", Vec::new())),
            Progress::Failed { cause, .. }
            | Progress::Uncertain { cause }
            | Progress::Refused(cause) => Some(Outcome::Failed(
                "mt-failed-test-print",
                cause.as_str().into(),
            )),
            _ => None,
        };
        if let Some(outcome) = outcome {
            self.staff.test_job = None;
            self.screen.hear(News::StaffOutcome(outcome));
        }
        true
    }
}
