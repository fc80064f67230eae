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
    /// Who issued it (the type's issuer; residents' lists group by it).
    #[serde(default)]
    pub issuer: Text,
    /// Last day it is valid (`YYYY-MM-DD`); none for licences without
    /// an end (a household register, a marriage certificate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// Whether copies may be printed of it.
    #[serde(default)]
    pub status: LicenceStatus,
}

/// Whether a licence is in force.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    /// In force: copies may be printed.
    #[default]
    Valid,
    /// Past its last valid day: listed, not printable.
    Expired,
    /// Revoked by its issuer: listed, not printable.
    Revoked,
}

impl LicenceStatus {
    /// As written in the contract.
    pub fn as_str(self) -> &'static str {
        match self {
            LicenceStatus::Valid => "valid",
            LicenceStatus::Expired => "expired",
            LicenceStatus::Revoked => "revoked",
        }
    }
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
    /// Most copies wanted; the ticket allows at most this many, fewer
    /// when the day's quota has fewer left.
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
    /// Copies this ticket allows (what is left of the day's quota, at
    /// most what was asked for). They count against the quota until the
    /// result says how many were printed.
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
/// nothing. Only printed copies count against the day's quota; copies
/// that failed, and a ticket cancelled before printing, give theirs back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintResult {
    /// The ticket.
    pub ticket: String,
    /// Pages the printer confirmed.
    pub printed: u32,
    /// Pages sent that did not come out (paper out, jam).
    #[serde(default)]
    pub failed: u32,
    /// `printed`, `failed`, `uncertain` (nobody can tell what came out:
    /// staff check), or `cancelled` (the resident left before printing).
    pub outcome: String,
}

/// Outcomes a print result may report.
pub const OUTCOMES: [&str; 4] = ["printed", "failed", "uncertain", "cancelled"];
