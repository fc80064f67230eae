//! What the kiosk and the central platform exchange (the catalogue of
//! service items and licence types, residents' sessions, licences and
//! applications, print tickets, terminal heartbeats, fleet config bundles
//! and the fleet's health), and how the platform signs the catalogue so a
//! terminal can tell a genuine one from a forged or replayed one.
//! Both sides use these types; neither knows the other's insides.
//!
//! The signature covers the exact bytes of the catalogue document as the
//! platform serves them (`Signed::payload`), not a re-serialisation, so a
//! terminal built with older types still verifies what it received.

use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

pub mod application;
pub mod catalogue;
pub mod fleet;
pub mod licence;
pub mod problem;
pub mod resident;
pub mod terminal;

pub use catalogue::Catalogue;
/// The signature crate, so both sides name the same key types.
pub use ed25519_dalek;

/// A document and the platform's ed25519 signature over its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    /// The document, exactly as served (JSON).
    pub payload: Vec<u8>,
    /// ed25519 over `payload`.
    pub signature: [u8; 64],
}

impl std::fmt::Debug for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signed({} bytes)", self.payload.len())
    }
}

/// Why a signed document is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The signature does not match the pinned key.
    #[error("the signature does not match the platform's key")]
    Forged,
    /// The signature is not 64 bytes of base64.
    #[error("the signature is malformed")]
    Malformed,
    /// A public key that is not 32 bytes of base64 for an ed25519 point.
    #[error("the platform key is malformed")]
    BadKey,
    /// The document is genuine but older than (or as old as) the one held.
    #[error("version {offered} is not newer than the version {held} already held")]
    Stale {
        /// Offered.
        offered: u64,
        /// Held.
        held: u64,
    },
    /// The signed bytes are not a document of this kind.
    #[error("the signed document does not parse: {0}")]
    Unreadable(String),
}

impl Signed {
    /// Signs `payload` (the platform side).
    pub fn sign(key: &SigningKey, payload: Vec<u8>) -> Self {
        let signature = key.sign(&payload).to_bytes();
        Self { payload, signature }
    }

    /// The signature as base64 (the `X-Signature` header, the `.sig` file).
    pub fn signature_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.signature)
    }

    /// Takes a payload and its base64 signature as received.
    pub fn from_parts(payload: Vec<u8>, signature_base64: &str) -> Result<Self, SignatureError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(signature_base64.trim())
            .map_err(|_| SignatureError::Malformed)?;
        let signature: [u8; 64] = bytes.try_into().map_err(|_| SignatureError::Malformed)?;
        Ok(Self { payload, signature })
    }

    /// Checks the signature against the pinned key.
    pub fn verify(&self, key: &VerifyingKey) -> Result<(), SignatureError> {
        key.verify(&self.payload, &Signature::from_bytes(&self.signature))
            .map_err(|_| SignatureError::Forged)
    }
}

/// Reads a pinned public key given as base64 (config).
pub fn verifying_key(base64_key: &str) -> Result<VerifyingKey, SignatureError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64_key.trim())
        .map_err(|_| SignatureError::BadKey)?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| SignatureError::BadKey)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| SignatureError::BadKey)
}

/// A public key as base64 (for config).
pub fn key_base64(key: &VerifyingKey) -> String {
    base64::engine::general_purpose::STANDARD.encode(key.to_bytes())
}

/// The reference platform's signing key, derived from a published phrase:
/// for the sample catalogue, the reference server, tests and the demo
/// only. It is not a secret and signs nothing a real terminal trusts — a
/// real platform signs with its own key, whose public half the fleet config
/// pins.
pub fn sample_signing_key() -> SigningKey {
    use sha2::Digest;
    let seed: [u8; 32] =
        sha2::Sha256::digest(b"tongban reference platform sample key; not for production").into();
    SigningKey::from_bytes(&seed)
}

/// Verifies a signed catalogue and reads it, refusing one that is not
/// newer than `held` (a replayed or rolled-back catalogue).
pub fn accept_catalogue(
    signed: &Signed,
    key: &VerifyingKey,
    held: Option<u64>,
) -> Result<Catalogue, SignatureError> {
    signed.verify(key)?;
    let catalogue: Catalogue = serde_json::from_slice(&signed.payload)
        .map_err(|e| SignatureError::Unreadable(e.to_string()))?;
    if let Some(held) = held
        && catalogue.version <= held
    {
        return Err(SignatureError::Stale {
            offered: catalogue.version,
            held,
        });
    }
    Ok(catalogue)
}

/// Paths of the platform's HTTP interface.
pub mod paths {
    /// GET: the catalogue (conditional with `If-None-Match`).
    pub const CATALOGUE: &str = "/v1/catalogue";
    /// GET: a resident's licences (`/v1/residents/{id}/licences`).
    pub fn licences(resident: &str) -> String {
        format!("/v1/residents/{resident}/licences")
    }
    /// GET: a resident's applications (`/v1/residents/{id}/applications`).
    pub fn resident_applications(resident: &str) -> String {
        format!("/v1/residents/{resident}/applications")
    }
    /// POST: a print ticket for copies of a licence.
    pub const PRINT_TICKETS: &str = "/v1/print-tickets";
    /// POST: how printing under a ticket ended.
    pub const PRINT_RESULTS: &str = "/v1/print-results";
    /// POST: a resident session from an identification.
    pub const SESSIONS: &str = "/v1/sessions";
    /// POST: an application, with an `Idempotency-Key` header.
    pub const APPLICATIONS: &str = "/v1/applications";
    /// GET: an application's progress (`/v1/applications/{no}`).
    pub fn progress(application_no: &str) -> String {
        format!("/v1/applications/{application_no}")
    }
    /// POST: a rating (好差评), with an `Idempotency-Key` header.
    pub const RATINGS: &str = "/v1/ratings";
    /// POST: a terminal's heartbeat (`/v1/terminals/{id}/heartbeat`).
    pub fn heartbeat(terminal: &str) -> String {
        format!("/v1/terminals/{terminal}/heartbeat")
    }
    /// GET (conditional) or PUT: the bundle file for a scope
    /// (`/v1/fleet/bundles/branch:SH-PD-0001`).
    pub fn bundle(scope: &crate::fleet::Scope) -> String {
        format!("/v1/fleet/bundles/{scope}")
    }
    /// GET: every terminal's health (`?district=&branch=` filter).
    pub const FLEET_TERMINALS: &str = "/v1/fleet/terminals";
}

/// Response header carrying the base64 signature of the catalogue bytes.
pub const SIGNATURE_HEADER: &str = "x-signature";
/// Response header carrying the catalogue version.
pub const VERSION_HEADER: &str = "x-catalogue-version";
