//! Device simulators for tests and the demo. Each speaks the real device's
//! bytes over a pseudo-terminal (reusing the driver's codec from the other
//! side), so drivers are tested through a real tty exactly as they talk to
//! hardware. They can be told to misbehave: noise, corrupt frames, faults,
//! vanishing like an unplugged USB adapter and coming back.

pub mod identities;
pub mod laser;
pub mod pty;
pub mod reader;
pub mod receipt;
pub mod scanner;

pub use laser::LaserSim;
pub use reader::{ReaderSim, SamHealth, SimCard};
pub use receipt::{ReceiptOptions, ReceiptSim};
pub use scanner::{SAMPLE_SUISHENMA, ScannerSim};
