//! A resident's electronic licences, and the print ticket that authorises
//! printing a copy of one: what to print, how many copies, and the
//! verification code printed with it.

use serde::{Deserialize, Serialize};

use crate::catalogue::Text;

/// One of the resident's licences, as listed for choosing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceSummary {
    /// The platform's id of this licence.
    pub id: String,
    /// Its type (a catalogue licence type code).
    pub licence_type: String,
    /// The type's name.
    pub name: Text,
    /// The licence number, masked for the list.
    pub number_masked: String,
    /// Date of issue.
    pub issued_on: String,
}

/// Asking to print copies of a licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRequest {
    /// The terminal.
    pub terminal: String,
    /// The resident (from the session).
    pub resident: String,
    /// Which licence.
    pub licence: String,
    /// What the copy is for (printed in the watermark).
    pub purpose: String,
    /// Copies wanted.
    pub copies: u32,
}

/// The platform's authorisation to print, with what to print. Personal
/// data: it lives only as long as the print job.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintTicket {
    /// The ticket id (journalled with the print job).
    pub ticket: String,
    /// The licence type code (selects the template).
    pub licence_type: String,
    /// The licence number.
    pub number: String,
    /// Field values by template key.
    pub fields: Vec<(String, String)>,
    /// Issuing authority.
    pub issuer: String,
    /// Date of issue.
    pub issued_on: String,
    /// Copies this ticket allows.
    pub copies: u32,
    /// Printed beside the QR code.
    pub verify_code: String,
    /// What the QR code holds.
    pub verify_url: String,
}

impl std::fmt::Debug for PrintTicket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrintTicket({}, {} copies)", self.ticket, self.copies)
    }
}

/// How printing under a ticket ended, reported once it is known (the
/// print journal's outcome). Sent again after a lost answer, it changes
/// nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintResult {
    /// The ticket.
    pub ticket: String,
    /// Pages the printer confirmed.
    pub printed: u32,
    /// `printed`, `failed` or `uncertain`.
    pub outcome: String,
}
