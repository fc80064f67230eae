//! Mutual TLS to the platform: the CA pinned as the only trusted root,
//! and this terminal's own certificate and key, from the PEM files
//! `[platform] ca_cert`, `client_cert` and `client_key` name (relative
//! paths under the data folder, as `paths::resolve` does).
//!
//! The files are read once, before the UI runs (`main`), and checked:
//! readable, PEM with what each should hold, a key that goes with the
//! certificate, and a key file that only its owner can read. A problem
//! is one sentence naming the file and the fix; the terminal then runs
//! without the platform — it never talks to it without its key. The
//! clients are built from the bytes held here, on whatever thread builds
//! them (the platform thread, the UI's tasks), without reading a file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use zeroize::Zeroizing;

/// Why the TLS files cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsError {
    /// A file that cannot be read (missing, no permission, a folder).
    #[error("cannot read {what} {path}: {reason}")]
    Unreadable {
        /// Which file it is, in words.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A file without what it should hold.
    #[error("{what} {path} is not usable: {reason}")]
    Garbage {
        /// Which file it is, in words.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The key file can be read by group or others.
    #[error(
        "the client key {path} can be read by others than its owner (mode {mode:04o}); \
         a terminal's key must be readable only by the kiosk user: \
         run `chmod 600 {path}` and `chown KIOSK-USER {path}` (the user the kiosk runs as)"
    )]
    KeyExposed {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A certificate without a key, or a key without a certificate.
    #[error(
        "platform.client_cert and platform.client_key go together: {given} is set, {missing} is not"
    )]
    Incomplete {
        /// The key that is set.
        given: &'static str,
        /// The key that is not.
        missing: &'static str,
    },
    /// The key and the certificate are not a pair.
    #[error("the client key {key} does not go with the certificate {cert}: {reason}")]
    Mismatch {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
        /// Why.
        reason: String,
    },
}

/// The TLS material for the platform's clients, as read from the files
/// (cheap to clone; the key's bytes are wiped when the last clone goes).
#[derive(Clone)]
pub struct Tls(Arc<Material>);

struct Material {
    /// The pinned CA's file and PEM: the only root trusted.
    ca: Option<(PathBuf, Vec<u8>)>,
    /// The certificate's and key's files, and certificate then key (PEM).
    identity: Option<(PathBuf, PathBuf, Zeroizing<Vec<u8>>)>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("ca", &self.0.ca.as_ref().map(|(p, _)| p))
            .field("client_cert", &self.0.identity.as_ref().map(|(c, _, _)| c))
            .finish_non_exhaustive()
    }
}

impl PartialEq for Tls {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.0.ca == other.0.ca
                && match (&self.0.identity, &other.0.identity) {
                    (None, None) => true,
                    (Some(a), Some(b)) => a.0 == b.0 && a.1 == b.1 && *a.2 == *b.2,
                    _ => false,
                })
    }
}

impl Eq for Tls {}

impl std::hash::Hash for Tls {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.ca.hash(state);
        if let Some((cert, key, _)) = &self.0.identity {
            cert.hash(state);
            key.hash(state);
        }
    }
}

/// Reads a file the TLS config names.
fn read(what: &'static str, path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|e| TlsError::Unreadable {
        what,
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

/// The certificates in a PEM file, or why there are none.
fn certificates(
    what: &'static str,
    path: &Path,
    pem: &[u8],
) -> Result<Vec<reqwest::Certificate>, TlsError> {
    let garbage = |reason: String| TlsError::Garbage {
        what,
        path: path.to_owned(),
        reason,
    };
    let certs =
        reqwest::Certificate::from_pem_bundle(pem).map_err(|e| garbage(super::error_chain(&e)))?;
    if certs.is_empty() {
        return Err(garbage(
            "no PEM certificate in it (-----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    Ok(certs)
}

impl Tls {
    /// The files `[platform]` names, resolved under `data_dir`, read and
    /// checked; `None` when none is set (plain platform, built-in roots).
    pub fn load(
        data_dir: &Path,
        platform: &kiosk_config::Platform,
    ) -> Result<Option<Self>, TlsError> {
        let path = |p: &str| (!p.is_empty()).then(|| crate::paths::resolve(data_dir, p));
        Self::from_files(
            path(&platform.ca_cert).as_deref(),
            path(&platform.client_cert).as_deref(),
            path(&platform.client_key).as_deref(),
        )
    }

    /// The pinned CA, and this terminal's certificate and key, from their
    /// files (each optional, but certificate and key go together).
    pub fn from_files(
        ca: Option<&Path>,
        client_cert: Option<&Path>,
        client_key: Option<&Path>,
    ) -> Result<Option<Self>, TlsError> {
        let ca = match ca {
            Some(path) => {
                let pem = read("the platform CA certificate", path)?;
                certificates("the platform CA certificate", path, &pem)?;
                Some((path.to_owned(), pem))
            }
            None => None,
        };
        let identity = match (client_cert, client_key) {
            (None, None) => None,
            (Some(_), None) => {
                return Err(TlsError::Incomplete {
                    given: "platform.client_cert",
                    missing: "platform.client_key",
                });
            }
            (None, Some(_)) => {
                return Err(TlsError::Incomplete {
                    given: "platform.client_key",
                    missing: "platform.client_cert",
                });
            }
            (Some(cert), Some(key)) => Some(identity(cert, key)?),
        };
        if ca.is_none() && identity.is_none() {
            return Ok(None);
        }
        let tls = Self(Arc::new(Material { ca, identity }));
        // The pair is checked now (a key that is not this certificate's
        // would only fail later, at every connection).
        if let Some((cert, key, _)) = &tls.0.identity {
            tls.apply(reqwest::Client::builder())
                .and_then(|b| b.build().map_err(|e| super::error_chain(&e)))
                .map_err(|reason| TlsError::Mismatch {
                    cert: cert.clone(),
                    key: key.clone(),
                    reason,
                })?;
        }
        Ok(Some(tls))
    }

    /// Whether a client certificate is presented.
    pub fn has_identity(&self) -> bool {
        self.0.identity.is_some()
    }

    /// Sets up a client builder: only the pinned CA as a root (the built-in
    /// roots off), this terminal's certificate presented, https only.
    pub fn apply(
        &self,
        mut builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, String> {
        builder = builder.use_rustls_tls().https_only(true);
        if let Some((path, pem)) = &self.0.ca {
            builder = builder.tls_built_in_root_certs(false);
            for cert in
                certificates("the platform CA certificate", path, pem).map_err(|e| e.to_string())?
            {
                builder = builder.add_root_certificate(cert);
            }
        }
        if let Some((_, _, pem)) = &self.0.identity {
            let identity = reqwest::Identity::from_pem(pem).map_err(|e| super::error_chain(&e))?;
            builder = builder.identity(identity);
        }
        Ok(builder)
    }
}

/// This terminal's certificate and key: the key file owner-only, both PEM
/// with what they should hold.
fn identity(cert: &Path, key: &Path) -> Result<(PathBuf, PathBuf, Zeroizing<Vec<u8>>), TlsError> {
    let cert_pem = read("the client certificate", cert)?;
    certificates("the client certificate", cert, &cert_pem)?;
    let meta = std::fs::metadata(key).map_err(|e| TlsError::Unreadable {
        what: "the client key",
        path: key.to_owned(),
        reason: e.to_string(),
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            return Err(TlsError::KeyExposed {
                path: key.to_owned(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let key_pem = Zeroizing::new(read("the client key", key)?);
    let has_key = [
        "-----BEGIN PRIVATE KEY-----",
        "-----BEGIN EC PRIVATE KEY-----",
        "-----BEGIN RSA PRIVATE KEY-----",
    ]
    .iter()
    .any(|marker| {
        key_pem
            .windows(marker.len())
            .any(|w| w == marker.as_bytes())
    });
    if !has_key {
        return Err(TlsError::Garbage {
            what: "the client key",
            path: key.to_owned(),
            reason: "no PEM private key in it (PKCS#8, EC or RSA: -----BEGIN PRIVATE KEY-----)"
                .into(),
        });
    }
    let mut pem = Zeroizing::new(Vec::with_capacity(cert_pem.len() + key_pem.len() + 1));
    pem.extend_from_slice(&cert_pem);
    pem.push(b'\n');
    pem.extend_from_slice(&key_pem);
    if let Err(e) = reqwest::Identity::from_pem(&pem) {
        return Err(TlsError::Garbage {
            what: "the client key",
            path: key.to_owned(),
            reason: super::error_chain(&e),
        });
    }
    Ok((cert.to_owned(), key.to_owned(), pem))
}
