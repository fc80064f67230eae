//! Fleet configuration: bundles of config files signed with the fleet key
//! for one scope (the whole fleet, a district, a branch or one terminal),
//! and the fleet's health as the platform sees it from heartbeats.
//!
//! A bundle travels as a [`BundleFile`]: one self-contained JSON file with
//! the bundle's exact bytes and the signature over them. The platform only
//! stores and serves these files, so they can as well be served by any
//! static HTTP server or object store; a terminal trusts a bundle because of
//! the fleet key it pins, never because of where it came from.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::{SignatureError, Signed};

/// Where a bundle applies. Layers stack in this order, the later winning:
/// fleet < district < branch < terminal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Every terminal.
    Fleet,
    /// The terminals of one district (by its id, e.g. `PD`).
    District(String),
    /// The terminals of one branch (by its id, e.g. `SH-PD-0001`).
    Branch(String),
    /// One terminal (by its id, e.g. `SH-PD-0001-01`).
    Terminal(String),
}

/// A scope that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a scope: use fleet, district:ID, branch:ID or terminal:ID, \
     where an ID has 1 to 32 of A-Z, 0-9 and '-'"
)]
pub struct ScopeError(pub String);

impl Scope {
    /// `fleet`, `district`, `branch` or `terminal` (the config layer's
    /// file name without `.toml`).
    pub fn layer(&self) -> &'static str {
        match self {
            Scope::Fleet => "fleet",
            Scope::District(_) => "district",
            Scope::Branch(_) => "branch",
            Scope::Terminal(_) => "terminal",
        }
    }

    /// The scopes that apply to a terminal, broadest first.
    pub fn chain(district: Option<&str>, branch: Option<&str>, terminal: &str) -> Vec<Scope> {
        let mut chain = vec![Scope::Fleet];
        chain.extend(district.map(|d| Scope::District(d.to_owned())));
        chain.extend(branch.map(|b| Scope::Branch(b.to_owned())));
        chain.push(Scope::Terminal(terminal.to_owned()));
        chain
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Fleet => f.write_str("fleet"),
            Scope::District(id) => write!(f, "district:{id}"),
            Scope::Branch(id) => write!(f, "branch:{id}"),
            Scope::Terminal(id) => write!(f, "terminal:{id}"),
        }
    }
}

impl FromStr for Scope {
    type Err = ScopeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ScopeError(s.to_owned());
        if s == "fleet" {
            return Ok(Scope::Fleet);
        }
        let (kind, id) = s.split_once(':').ok_or_else(bad)?;
        let id_ok = (1..=32).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(bad());
        }
        match kind {
            "district" => Ok(Scope::District(id.to_owned())),
            "branch" => Ok(Scope::Branch(id.to_owned())),
            "terminal" => Ok(Scope::Terminal(id.to_owned())),
            _ => Err(bad()),
        }
    }
}

impl Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A signed set of config files for one scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigBundle {
    /// Where it applies.
    pub scope: Scope,
    /// Greater than every earlier bundle's for the same scope.
    pub version: u64,
    /// When it was signed (RFC 3339).
    pub issued_at: String,
    /// After this (RFC 3339) no terminal takes it.
    pub expires_at: String,
    /// The config layer for the scope, as TOML text (`branch.toml` …),
    /// by file name.
    pub files: BTreeMap<String, String>,
}

/// The format tag of a bundle file.
pub const BUNDLE_FORMAT: &str = "tongban-config-bundle/1";

/// A bundle as stored, pushed and served: the bundle's exact JSON bytes
/// and the fleet key's signature over them, both base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleFile {
    /// [`BUNDLE_FORMAT`].
    pub format: String,
    /// The bundle's JSON, base64.
    pub payload: String,
    /// ed25519 over the payload bytes, base64.
    pub signature: String,
}

/// Why a bundle is not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// Not a bundle file, or its payload is not a bundle.
    #[error("not a config bundle: {0}")]
    Unreadable(String),
    /// The signature does not hold.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// Signed for another scope than the one it was offered for.
    #[error("the bundle is for {bundle}, not {expected}")]
    WrongScope {
        /// What the bundle says.
        bundle: Scope,
        /// Where it was offered.
        expected: String,
    },
    /// Not newer than the one held for its scope (a replay or roll-back).
    #[error("version {offered} for {scope} is not newer than version {held}")]
    Stale {
        /// Its scope.
        scope: Scope,
        /// Offered.
        offered: u64,
        /// Held.
        held: u64,
    },
    /// Past its expiry.
    #[error("the bundle for {scope} expired at {expires_at}")]
    Expired {
        /// Its scope.
        scope: Scope,
        /// When.
        expires_at: String,
    },
}

impl BundleFile {
    /// Signs a bundle with the fleet key (the admin's side).
    pub fn seal(key: &SigningKey, bundle: &ConfigBundle) -> Self {
        let payload = serde_json::to_vec(bundle).unwrap_or_default();
        let signed = Signed::sign(key, payload);
        Self {
            format: BUNDLE_FORMAT.to_owned(),
            payload: base64::engine::general_purpose::STANDARD.encode(&signed.payload),
            signature: signed.signature_base64(),
        }
    }

    /// Reads a bundle file's bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self, BundleError> {
        let file: BundleFile =
            serde_json::from_slice(bytes).map_err(|e| BundleError::Unreadable(e.to_string()))?;
        if file.format != BUNDLE_FORMAT {
            return Err(BundleError::Unreadable(format!(
                "format {:?}, expected {BUNDLE_FORMAT:?}",
                file.format
            )));
        }
        Ok(file)
    }

    /// The payload's bytes (the signed bundle document), unchecked.
    pub fn payload_bytes(&self) -> Result<Vec<u8>, BundleError> {
        base64::engine::general_purpose::STANDARD
            .decode(self.payload.trim())
            .map_err(|_| BundleError::Unreadable("the payload is not base64".into()))
    }

    /// Checks the signature against the fleet key and reads the bundle.
    /// Scope, version and expiry are the holder's to check
    /// ([`ConfigBundle::check`]).
    pub fn open(&self, key: &VerifyingKey) -> Result<ConfigBundle, BundleError> {
        let payload = self.payload_bytes()?;
        let signed = Signed::from_parts(payload, &self.signature)?;
        signed.verify(key)?;
        serde_json::from_slice(&signed.payload).map_err(|e| BundleError::Unreadable(e.to_string()))
    }
}

impl ConfigBundle {
    /// Whether this bundle may replace `held` (the version held for the
    /// same scope) at `now` for a holder expecting `expected`.
    pub fn check(
        &self,
        expected: &Scope,
        held: Option<u64>,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<(), BundleError> {
        if &self.scope != expected {
            return Err(BundleError::WrongScope {
                bundle: self.scope.clone(),
                expected: expected.to_string(),
            });
        }
        if let Some(held) = held
            && self.version <= held
        {
            return Err(BundleError::Stale {
                scope: self.scope.clone(),
                offered: self.version,
                held,
            });
        }
        let expires = chrono::DateTime::parse_from_rfc3339(&self.expires_at).map_err(|e| {
            BundleError::Unreadable(format!("expires_at {:?}: {e}", self.expires_at))
        })?;
        if expires <= now {
            return Err(BundleError::Expired {
                scope: self.scope.clone(),
                expires_at: self.expires_at.clone(),
            });
        }
        Ok(())
    }
}

/// The fleet key of the reference platform and the demo, derived from a
/// published phrase: it signs nothing a real terminal trusts. A real fleet
/// makes its own with `kioskctl keygen` and pins the public half.
pub fn sample_fleet_signing_key() -> SigningKey {
    use sha2::Digest;
    let seed: [u8; 32] =
        sha2::Sha256::digest(b"tongban reference fleet sample key; not for production").into();
    SigningKey::from_bytes(&seed)
}

/// A bundle version a terminal runs, per scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedBundle {
    /// Its scope.
    pub scope: Scope,
    /// Its version.
    pub version: u64,
}

/// A bundle the terminal did not keep, reported until a later one applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigProblem {
    /// The bundle's scope.
    pub scope: Scope,
    /// Its version.
    pub version: u64,
    /// `refused` (never applied, or — a file put back on disk — older than
    /// a version already taken), `rolled_back` (applied, then the last
    /// known good restored) or `expired` (held, and no longer applied
    /// since its expiry: the layers below apply).
    pub action: String,
    /// Why, in the words of the terminal's log.
    pub reason: String,
}

/// What the platform answers a push with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pushed {
    /// The scope.
    pub scope: Scope,
    /// The version now served for it.
    pub version: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(scope: Scope, version: u64) -> ConfigBundle {
        ConfigBundle {
            scope,
            version,
            issued_at: "2026-11-24T09:00:00+08:00".into(),
            expires_at: "2026-12-24T09:00:00+08:00".into(),
            files: BTreeMap::from([(
                "branch.toml".into(),
                "[service]\nhotline = \"12345\"\n".into(),
            )]),
        }
    }

    fn at(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn scopes_read_and_write_the_same() {
        for s in [
            "fleet",
            "district:PD",
            "branch:SH-PD-0001",
            "terminal:SH-PD-0001-01",
        ] {
            assert_eq!(s.parse::<Scope>().unwrap().to_string(), s);
        }
        for bad in [
            "",
            "Fleet",
            "branch",
            "branch:",
            "branch:sh-pd",
            "city:SH",
            "branch:A B",
        ] {
            assert!(bad.parse::<Scope>().is_err(), "{bad:?} parsed");
        }
        assert_eq!(
            Scope::chain(Some("PD"), Some("SH-PD-0001"), "SH-PD-0001-01")
                .iter()
                .map(Scope::layer)
                .collect::<Vec<_>>(),
            ["fleet", "district", "branch", "terminal"]
        );
    }

    #[test]
    fn a_sealed_bundle_opens_with_the_fleet_key_only() {
        let key = sample_fleet_signing_key();
        let b = bundle(Scope::Branch("SH-PD-0001".into()), 3);
        let file = BundleFile::seal(&key, &b);
        let bytes = serde_json::to_vec(&file).unwrap();
        let parsed = BundleFile::parse(&bytes).unwrap();
        assert_eq!(parsed.open(&key.verifying_key()).unwrap(), b);
        let other = SigningKey::from_bytes(&[7; 32]);
        assert!(matches!(
            parsed.open(&other.verifying_key()),
            Err(BundleError::Signature(SignatureError::Forged))
        ));
        // One changed byte of the payload: forged.
        let mut payload = base64::engine::general_purpose::STANDARD
            .decode(&parsed.payload)
            .unwrap();
        let last = payload.len() - 2;
        payload[last] ^= 1;
        let tampered = BundleFile {
            payload: base64::engine::general_purpose::STANDARD.encode(payload),
            ..parsed.clone()
        };
        assert!(tampered.open(&key.verifying_key()).is_err());
        assert!(matches!(
            BundleFile::parse(br#"{"format":"zip","payload":"","signature":""}"#),
            Err(BundleError::Unreadable(_))
        ));
    }

    #[test]
    fn scope_version_and_expiry_are_checked() {
        let b = bundle(Scope::Branch("SH-PD-0001".into()), 3);
        let now = at("2026-11-25T09:00:00+08:00");
        let mine = Scope::Branch("SH-PD-0001".into());
        assert_eq!(b.check(&mine, Some(2), now), Ok(()));
        assert_eq!(b.check(&mine, None, now), Ok(()));
        assert!(matches!(
            b.check(&Scope::Branch("SH-PD-0002".into()), None, now),
            Err(BundleError::WrongScope { .. })
        ));
        assert!(matches!(
            b.check(&mine, Some(3), now),
            Err(BundleError::Stale {
                offered: 3,
                held: 3,
                ..
            })
        ));
        assert!(matches!(
            b.check(&mine, None, at("2026-12-24T09:00:00+08:00")),
            Err(BundleError::Expired { .. })
        ));
    }
}
