//! The byte protocol of second-generation ID card readers with a SAM module
//! (GA 467-2013 / GA/T 467-2019), without any I/O: frames to bytes and bytes
//! to frames (resynchronising on the preamble), commands, the SW3 status
//! codes, the 256-byte text block of the four card types, and the device
//! logic of polling a reader (module `poller`). A transport that owns a
//! serial port (module `serial`, feature `serial`) and a simulator that
//! answers like a reader are built on them; neither ever touches a port or
//! a clock.

pub mod frame;
pub mod poller;
#[cfg(feature = "serial")]
pub mod serial;
pub mod text;

pub use frame::{
    Baud, Command, Decoder, FrameError, Request, Response, Status, TextPhoto, encode_request,
    encode_response, split_read,
};
pub use text::{
    CardIdentity, CardKind, Date, DecodeError, Sex, Validity, id_number_is_valid, nation_name,
};
