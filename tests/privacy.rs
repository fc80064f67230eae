//! Personal data lives only in the types that overwrite it when they go:
//! the list below is the list (ARCHITECTURE.md points here) of every type
//! that holds a resident's data in the kiosk's memory, and each one must be
//! `ZeroizeOnDrop` (derived, or a `Drop` that overwrites every personal
//! field). A new type that holds personal data joins this list.

use zeroize::ZeroizeOnDrop;

fn overwritten_when_dropped<T: ZeroizeOnDrop>() {}

/// Fails on e372035 (does not compile): the raw GA467 answers and the
/// decoder's buffer, the platform's resident sessions and their clones,
/// identifications, applications, outgoing bodies and the holder's photo
/// were dropped without being overwritten.
#[test]
fn every_type_that_holds_personal_data_overwrites_it_when_dropped() {
    // What the card reader delivers.
    overwritten_when_dropped::<ga467::frame::Decoder>();
    overwritten_when_dropped::<ga467::frame::Response>();
    overwritten_when_dropped::<ga467::text::CardIdentity>();
    overwritten_when_dropped::<ga467::poller::Poller>();
    // The resident's session and what the platform says of them.
    overwritten_when_dropped::<tongban::session::Identity>();
    overwritten_when_dropped::<tongban::session::Session>();
    overwritten_when_dropped::<tongban_platform_api::resident::Identification>();
    overwritten_when_dropped::<tongban_platform_api::resident::ResidentSession>();
    // What the resident submits, on its way out.
    overwritten_when_dropped::<tongban_platform_api::application::Application>();
    overwritten_when_dropped::<tongban::store::Outgoing>();
    // The holder's photo on a licence copy.
    overwritten_when_dropped::<tongban::print::licence::Photo>();
}
