//! Submissions: applications (and, later, ratings), each sent with an
//! idempotency key so that a retry after a lost answer never makes a
//! second one.

use serde::{Deserialize, Serialize};

/// Request header carrying the idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// Whether `key` is an idempotency key as the contract takes it: 32
/// lowercase hex digits (128 random bits). The platform binds a key to
/// the terminal and the exact body first sent with it.
pub fn is_idempotency_key(key: &str) -> bool {
    key.len() == 32 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

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

/// A rating (好差评) of a service, as the terminal submits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// The terminal that took it.
    pub terminal: String,
    /// The application rated, where there is one.
    pub application_no: Option<String>,
    /// The item rated.
    pub item: String,
    /// 1 (非常不满意) to 5 (非常满意).
    pub score: u8,
    /// Reasons chosen from the platform's list (codes, not free text).
    pub reasons: Vec<String>,
    /// When it was given (RFC 3339).
    pub rated_at: String,
}

/// The platform's acknowledgement of a rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingAccepted {
    /// The platform's id for the rating.
    pub rating_id: String,
}

/// Where an application is (办理进度).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The application number.
    pub application_no: String,
    /// The item applied for.
    pub item: String,
    /// `received`, `accepted`, `in_review`, `approved`, `rejected` or
    /// `completed`.
    pub state: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}
