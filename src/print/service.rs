//! The printing services: one thread per printer owns its connection,
//! watches its status, and runs the jobs the UI queues. Every job is
//! journalled in the store before its first byte is sent and closed only
//! on the printer's word: printed when every page is confirmed, failed
//! with the pages that did come out when the printer stops (paper out,
//! jam, cover open), uncertain when nobody can tell (the printer went away
//! mid-job). Supplies go down only for confirmed output, once.

mod a4;
mod cause;
mod link;
mod queue;
mod receipt;
mod thread;

pub use a4::{A4Service, a4_loop, run_a4};
pub use cause::{Cause, readiness};
pub use link::{A4Link, LinkError, ReceiptLink};
pub use queue::{PrintRequest, PrinterEvent, Progress, Queue};
pub use receipt::{ReceiptService, receipt_loop};
pub use thread::Timing;

/// The time journal entries are stamped with.
fn now() -> String {
    chrono::Local::now().to_rfc3339()
}
