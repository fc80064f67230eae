//! HTTPS with client certificates required (mutual TLS), for
//! [`Platform::start_tls`](crate::Platform::start_tls).
//!
//! The server presents its certificate and key, and asks every client for
//! a certificate that the client CA signed: a client without one, or with
//! one from another CA, is refused in the handshake (rustls'
//! `WebPkiClientVerifier`), before any request is read. The accept loop
//! is our own (tokio-rustls, then hyper serving the axum router) so that
//! each connection's requests carry what its certificate says: [`Peer`],
//! an extension of every request.
//!
//! A certificate names its terminal by a URI in its subject alternative
//! names: `urn:tongban:terminal:ID` ([`TERMINAL_URN`]), for instance
//! `urn:tongban:terminal:SH-PD-0001-01`. The handlers compare that id
//! with the terminal a request speaks for (the heartbeat's path and body,
//! the application's, rating's and print ticket's `terminal`, the
//! terminal whose ticket a print result closes, a `terminal:ID` bundle
//! scope) and answer 403 with a problem document (code `wrong_terminal`)
//! when they differ
//! ([`wrong_terminal`]). Requests a terminal makes for its residents
//! (sessions, licences, applications, progress) and fleet-wide bundles
//! need a certificate that names a terminal. The catalogue (public and
//! signed) and the fleet admin's calls (a push is authorised by its
//! signature) need only a certificate the client CA signed.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tongban_platform_api::problem::codes;

use crate::PlatformError;

/// The URI prefix of the subject alternative name that says which
/// terminal a client certificate belongs to.
pub const TERMINAL_URN: &str = "urn:tongban:terminal:";

/// What the server needs to require client certificates: its own
/// certificate chain and key, and the CA that signs the terminals'
/// certificates (all PEM).
#[derive(Clone)]
pub struct ServerTls {
    /// The server's certificate, then any intermediates (PEM).
    pub cert_chain: Vec<u8>,
    /// The server's private key (PEM).
    pub key: Vec<u8>,
    /// The CA whose certificates clients must present (PEM).
    pub client_ca: Vec<u8>,
}

impl std::fmt::Debug for ServerTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerTls(..)")
    }
}

impl ServerTls {
    /// Reads the three PEM files (`--tls-cert`, `--tls-key`,
    /// `--client-ca`); a file that cannot be read is named.
    pub fn from_files(
        cert_chain: &std::path::Path,
        key: &std::path::Path,
        client_ca: &std::path::Path,
    ) -> Result<Self, PlatformError> {
        let read = |path: &std::path::Path, what: &str| {
            std::fs::read(path)
                .map_err(|e| PlatformError::Tls(format!("{what} {}: {e}", path.display())))
        };
        Ok(Self {
            cert_chain: read(cert_chain, "cannot read the server certificate")?,
            key: read(key, "cannot read the server key")?,
            client_ca: read(client_ca, "cannot read the client CA")?,
        })
    }

    /// The rustls server config: client certificates from the client CA
    /// required, HTTP/1.1.
    pub(crate) fn config(&self) -> Result<rustls::ServerConfig, PlatformError> {
        let bad =
            |what: &str, e: &dyn std::fmt::Display| PlatformError::Tls(format!("{what}: {e}"));
        let certs = CertificateDer::pem_slice_iter(&self.cert_chain)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad("the server certificate is not PEM", &e))?;
        if certs.is_empty() {
            return Err(PlatformError::Tls(
                "the server certificate file holds no certificate".into(),
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(&self.key)
            .map_err(|e| bad("the server key is not a PEM private key", &e))?;
        let mut roots = rustls::RootCertStore::empty();
        let mut cas = 0;
        for ca in CertificateDer::pem_slice_iter(&self.client_ca) {
            let ca = ca.map_err(|e| bad("the client CA is not PEM", &e))?;
            roots
                .add(ca)
                .map_err(|e| bad("the client CA is not a usable certificate", &e))?;
            cas += 1;
        }
        if cas == 0 {
            return Err(PlatformError::Tls(
                "the client CA file holds no certificate".into(),
            ));
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            Arc::new(roots),
            provider.clone(),
        )
        .build()
        .map_err(|e| bad("the client CA", &e))?;
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| bad("TLS versions", &e))?
            .with_client_cert_verifier(verifier)
            .with_single_cert(certs, key)
            .map_err(|e| bad("the server certificate and key", &e))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }
}

/// What the client's certificate says, on every request of a mutual TLS
/// connection (absent on plain HTTP).
#[derive(Debug, Clone)]
pub(crate) struct Peer {
    /// The terminal its `urn:tongban:terminal:` URI names, if any.
    pub(crate) terminal: Option<String>,
}

impl Peer {
    /// From the certificates the client presented (its own first).
    fn of(certs: Option<&[CertificateDer<'_>]>) -> Self {
        let terminal = certs
            .and_then(|c| c.first())
            .and_then(|der| {
                let cert = webpki::EndEntityCert::try_from(der).ok()?;
                cert.valid_uri_names()
                    .find_map(|uri| uri.strip_prefix(TERMINAL_URN).map(str::to_owned))
            })
            .filter(|id| !id.is_empty());
        Self { terminal }
    }
}

/// The client's certificate as a request extension (present only under
/// mutual TLS).
pub(crate) type PeerExt = Option<axum::Extension<Peer>>;

/// 403 with a problem document (code `wrong_terminal`).
fn forbidden(error: String) -> Response {
    crate::refuse(StatusCode::FORBIDDEN, codes::WRONG_TERMINAL, error)
}

/// The refusal when the request speaks for `terminal` but the client
/// certificate belongs to another one (or names none); `None` on plain
/// HTTP or when they match.
pub(crate) fn wrong_terminal(peer: &PeerExt, terminal: &str) -> Option<Response> {
    let axum::Extension(peer) = peer.as_ref()?;
    match &peer.terminal {
        Some(own) if own == terminal => None,
        Some(own) => Some(forbidden(format!(
            "the client certificate belongs to another terminal: it is {own}'s, \
             and this request is for terminal {terminal}"
        ))),
        None => Some(no_terminal()),
    }
}

/// The refusal when a terminal's request comes with a certificate that
/// names no terminal; `None` on plain HTTP or when it names one.
pub(crate) fn not_a_terminal(peer: &PeerExt) -> Option<Response> {
    let axum::Extension(peer) = peer.as_ref()?;
    match peer.terminal {
        Some(_) => None,
        None => Some(no_terminal()),
    }
}

fn no_terminal() -> Response {
    forbidden(format!(
        "the client certificate names no terminal (a subject alternative name \
         {TERMINAL_URN}ID is needed)"
    ))
}

/// Accepts connections until `stop`: each one's handshake (a client
/// certificate from the client CA required, ten seconds at most), then
/// its requests served by `app` with the [`Peer`] extension.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    config: rustls::ServerConfig,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    tokio::pin!(stop);
    loop {
        let (tcp, _) = tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let stream =
                match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await {
                    Ok(Ok(stream)) => stream,
                    Ok(Err(error)) => {
                        tracing::info!(%error, "TLS handshake refused");
                        return;
                    }
                    Err(_) => {
                        tracing::info!("TLS handshake timed out");
                        return;
                    }
                };
            let peer = Peer::of(stream.get_ref().1.peer_certificates());
            let service =
                hyper_util::service::TowerToHyperService::new(app.layer(axum::Extension(peer)));
            if let Err(error) = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(%error, "connection ended");
            }
        });
    }
}
