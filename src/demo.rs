//! Demo mode: what a newcomer needs to try the terminal on one machine. The
//! simulated reader (started by `main`) carries the sample cards of
//! `tongban_sim::identities`; this fictional resident is used where no
//! reader is simulated (tests). The platform part adds the reference
//! platform here.

use crate::session::{DocumentKind, Identity, IdentitySource};

/// The sample resident of the demo. Fictional: the name reads "demo
/// resident" and the number, though well formed, belongs to nobody.
pub fn sample_identity() -> Identity {
    Identity {
        name: "演示居民".into(),
        number: "310115195001010012".into(),
        kind: DocumentKind::ResidentId,
        source: IdentitySource::IdCard,
    }
}
