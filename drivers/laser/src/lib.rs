//! The A4 printer's languages without I/O: PJL job wrapping, PJL status and
//! page-count replies mapped to the device vocabulary, and PCL 5 raster
//! pages compressed row by row with PackBits (mode 2) or delta row (mode 3),
//! whichever is smaller — plus the decoders a simulator needs to turn the
//! bytes back into pages. `link` holds the PJL conversation over any byte
//! stream; `tcp` puts it on port 9100 (the USB printer class transport,
//! `tongban-usbprint`, gives the kiosk another stream for it).

pub mod compress;
pub mod link;
pub mod pcl;
pub mod pjl;
pub mod tcp;

pub use pcl::{Bitmap, PageDecoder, encode_page};
