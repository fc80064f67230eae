//! Submissions: applications (and, later, ratings), each sent with an
//! idempotency key so that a retry after a lost answer never makes a
//! second one.

use serde::{Deserialize, Serialize};

/// Request header carrying the idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// An application as the terminal submits it. It carries the resident's
/// form, so it is personal data: it lives in the terminal's outbox only
/// until the platform has acknowledged it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// The terminal that took it.
    pub terminal: String,
    /// Who applies: the platform's resident reference (not the ID number).
    pub resident: String,
    /// The item (or bundle) applied for.
    pub item: String,
    /// The form, key by key.
    pub fields: Vec<(String, String)>,
    /// When the resident submitted it (RFC 3339).
    pub submitted_at: String,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Application({} for an item {})",
            self.terminal, self.item
        )
    }
}

/// The platform's acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    /// The application number residents follow progress with.
    pub application_no: String,
}
