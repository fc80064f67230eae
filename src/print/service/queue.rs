//! What goes to a printer thread and what comes back: the jobs the UI
//! queues, the queue itself, and the progress and status a thread reports.

use std::sync::mpsc::{Receiver, Sender};

use tongban_device::DeviceStatus;
use tongban_laser::Bitmap;

use super::Cause;

/// A job for a printer. It holds personal data (the licence's page) only
/// until the thread has encoded it for the printer.
pub enum PrintRequest {
    /// Copies of an electronic licence on the A4 printer, one page each:
    /// the very page the resident saw in the preview.
    Licence {
        /// The UI's id for the job.
        token: u64,
        /// The platform's print ticket (no personal data).
        ticket: String,
        /// The composed page (A4 at 300 dpi).
        page: std::sync::Arc<Bitmap>,
        /// How many copies of it.
        copies: u32,
    },
    /// Staff's test page on the A4 printer (no personal data).
    TestPage {
        /// The UI's id for the job.
        token: u64,
        /// The page.
        page: std::sync::Arc<Bitmap>,
    },
    /// Staff's test receipt (no personal data).
    TestReceipt {
        /// The UI's id for the job.
        token: u64,
        /// The receipt.
        data: Box<crate::print::receipt::ReceiptData>,
    },
    /// A receipt on the receipt printer.
    Receipt {
        /// The UI's id for the job.
        token: u64,
        /// The platform's ticket or application id (no personal data).
        ticket: String,
        /// The receipt (the applicant's name is already masked).
        data: Box<crate::print::receipt::ReceiptData>,
    },
}

impl std::fmt::Debug for PrintRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrintRequest::Licence { token, copies, .. } => {
                write!(f, "Licence(token {token}, {copies} pages)")
            }
            PrintRequest::Receipt { token, .. } => write!(f, "Receipt(token {token})"),
            PrintRequest::TestPage { token, .. } => write!(f, "TestPage(token {token})"),
            PrintRequest::TestReceipt { token, .. } => write!(f, "TestReceipt(token {token})"),
        }
    }
}

impl PrintRequest {
    /// The UI's id for the job.
    pub fn token(&self) -> u64 {
        match self {
            PrintRequest::Licence { token, .. }
            | PrintRequest::Receipt { token, .. }
            | PrintRequest::TestPage { token, .. }
            | PrintRequest::TestReceipt { token, .. } => *token,
        }
    }
}

/// Where the UI queues jobs for a printer thread.
#[derive(Clone)]
pub struct Queue(Sender<PrintRequest>);

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Queue")
    }
}

impl Queue {
    /// Queues a job without waiting. Gives it back if the thread is gone.
    pub fn submit(&self, request: PrintRequest) -> Result<(), PrintRequest> {
        self.0.send(request).map_err(|e| e.0)
    }

    /// A queue and its receiving end (tests drive loops with it).
    pub fn pair() -> (Self, Receiver<PrintRequest>) {
        let (tx, rx) = std::sync::mpsc::channel();
        (Self(tx), rx)
    }
}

/// How a job is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Journalled; bytes are going to the printer.
    Started {
        /// Journal id.
        journal: i64,
        /// Pages (or receipts) asked for.
        pages: u32,
    },
    /// The printer confirmed this many pages.
    Page {
        /// Confirmed so far.
        printed: u32,
        /// Asked for.
        pages: u32,
    },
    /// Every page came out.
    Printed,
    /// The printer stopped; `printed` pages came out.
    Failed {
        /// Confirmed pages.
        printed: u32,
        /// Asked for.
        pages: u32,
        /// Why.
        cause: Cause,
    },
    /// Nobody can tell what came out; staff check it.
    Uncertain {
        /// Why.
        cause: Cause,
    },
    /// The job never started (nothing was sent).
    Refused(Cause),
}

/// What a printer thread reports.
#[derive(Debug, Clone)]
pub enum PrinterEvent {
    /// The thread runs; jobs go here.
    Ready(Queue),
    /// The printer's state changed.
    Status(DeviceStatus),
    /// A job moved on.
    Job {
        /// The UI's id for the job.
        token: u64,
        /// Where it is.
        progress: Progress,
    },
}
