//! What the kiosk prints and how: page and receipt layouts composed at the
//! printers' resolutions, and the printing service that journals every job
//! before its first byte and closes it when the printer confirms.

pub mod licence;
pub mod prepare;
pub mod raster;
pub mod receipt;
pub mod service;
pub mod test_page;
