//! A resident session: the platform recognises a resident from an
//! identification (ID card read at the terminal, or a 随申码 scanned) and
//! answers with a short-lived session and a reference that carries no
//! personal data.

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// How the resident identified. Personal data: its `Debug` says only the
/// kind, it is sent once, over TLS, and not kept by the terminal, and
/// every copy is overwritten when dropped.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Identification {
    /// An identity document read by the card reader.
    IdCard {
        /// The document number.
        number: String,
        /// The name on it.
        name: String,
    },
    /// A 随申码's token (the payload after its prefix).
    Suishenma {
        /// The token.
        token: String,
    },
}

impl std::fmt::Debug for Identification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Identification::IdCard { .. } => f.write_str("Identification::IdCard(..)"),
            Identification::Suishenma { .. } => f.write_str("Identification::Suishenma(..)"),
        }
    }
}

/// The platform's answer: who, for how long. Personal data (the token
/// opens the resident's own data; the phone): every copy is overwritten
/// when dropped.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct ResidentSession {
    /// The platform's resident reference (used in applications, ratings).
    pub resident: String,
    /// Bearer token for the resident's own data, until `expires_at`.
    pub token: String,
    /// RFC 3339.
    pub expires_at: String,
    /// The name as the screen shows it (张*三).
    pub masked_name: String,
    /// The mobile number the resident registered with the platform,
    /// masked (`138****1234`): enough for the resident to recognise it,
    /// not a number to prefill a form with. Personal data: held in the
    /// session only, never logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl std::fmt::Debug for ResidentSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ResidentSession({})", self.resident)
    }
}

/// A mainland mobile number as the platform shows a registered one
/// (138****1234): in a form, it stands for the number the platform holds.
pub fn is_masked_phone(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b[2].is_ascii_digit()
        && b[3..7].iter().all(|&c| c == b'*')
        && b[7..].iter().all(u8::is_ascii_digit)
}
