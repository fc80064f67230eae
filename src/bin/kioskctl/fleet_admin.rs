//! The fleet admin's side of config push (`kioskctl keygen`, `config
//! sign`, `config push`, `fleet status`): the fleet key pair, a config
//! layer checked and sealed into a bundle file, and the platform's fleet
//! endpoints — pushing a bundle and reading the fleet's health.
//!
//! The secret half of the fleet key stays with the admin (a file of mode
//! 0600, never on a terminal or the platform); terminals pin the public
//! half in `platform.fleet_public_key`, and the platform takes a push only
//! when that key signed it, so a bundle file needs no other protection on
//! its way. The terminal's side is `fleet.rs`.

use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, FixedOffset, SecondsFormat};
use ed25519_dalek::SigningKey;
use sha2::Digest as _;
use tongban_platform_api::fleet::{
    AppliedBundle, BundleFile, ConfigBundle, ConfigProblem, Pushed, Scope,
};
use tongban_platform_api::paths;
use tongban_platform_api::terminal::{DeviceReport, DiskReport, Supply, TerminalHealth};
use zeroize::Zeroizing;

/// The secret key's file name in the folder `keygen` writes.
pub const KEY_FILE: &str = "fleet.key";
/// The public key's file name beside it.
pub const PUBLIC_KEY_FILE: &str = "fleet.pub";
/// The longest a bundle may be valid for, in days.
pub const MAX_VALID_DAYS: u32 = 365;

/// Connecting to the platform may take this long.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A whole call to the platform may take this long.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// The most of an error body repeated in a message, in characters.
const MESSAGE_CHARS: usize = 500;

/// What went wrong on the admin's side.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// `keygen` would overwrite a file.
    #[error(
        "{} already exists: a fleet key is never overwritten (move it away first if you mean to replace the fleet key)",
        .0.display()
    )]
    Exists(PathBuf),
    /// A file or folder cannot be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The operating system gave no random bytes.
    #[error("the operating system gave no random bytes: {0}")]
    Random(String),
    /// A key file that does not hold a fleet key.
    #[error(
        "{} is not a fleet key: expected one line of base64 for a 32-byte ed25519 seed, as `kioskctl keygen` writes to {KEY_FILE}",
        .0.display()
    )]
    BadKey(PathBuf),
    /// The public key given where the secret one was meant.
    #[error(
        "{} holds the public key, not the secret one: sign with {KEY_FILE}",
        .0.display()
    )]
    PublicKey(PathBuf),
    /// The key does not match the public key kept beside it.
    #[error(
        "{} is not the secret half of {}: the public keys differ",
        key.display(),
        public.display()
    )]
    Mismatch {
        /// The secret key's file.
        key: PathBuf,
        /// The public key's file beside it.
        public: PathBuf,
    },
    /// The config layer of the bundle's scope is not in the folder.
    #[error("{} is missing: a bundle for {scope} carries the {} layer", path.display(), scope.layer())]
    MissingLayer {
        /// Where it was looked for.
        path: PathBuf,
        /// The bundle's scope.
        scope: Scope,
    },
    /// The layer does not validate over the built-in defaults.
    #[error("{} has {} config error(s)", path.display(), errors.0.len())]
    Config {
        /// The layer.
        path: PathBuf,
        /// Every error, with file, line and key.
        errors: kiosk_config::ConfigErrors,
    },
    /// The layer sets what only a terminal's own folder sets (what names
    /// it, the platform it talks to and the keys and TLS files it trusts):
    /// terminals refuse such a bundle.
    #[error(
        "{} sets {key}: only a terminal's own config sets it, and terminals refuse a bundle that does",
        path.display()
    )]
    OwnKey {
        /// The layer.
        path: PathBuf,
        /// The key, `section.key`.
        key: String,
    },
    /// A validity outside 1 to [`MAX_VALID_DAYS`] days.
    #[error("a bundle is valid for 1 to {MAX_VALID_DAYS} days, not {0}")]
    Validity(u32),
    /// A file that is not a bundle file.
    #[error("{} is not a config bundle file: {reason}", path.display())]
    NotABundle {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The admin's TLS files (`--ca`, `--client-cert`, `--client-key`).
    #[error("{0}")]
    Tls(#[from] tongban::platform::tls::TlsError),
    /// A platform URL that is not http(s).
    #[error("{url:?} is not a platform URL: {reason}")]
    BadUrl {
        /// As given.
        url: String,
        /// Why.
        reason: String,
    },
    /// No connection, or none in time.
    #[error("cannot reach the platform at {url}: {reason}")]
    Unreachable {
        /// What was asked for.
        url: String,
        /// Why, in the words of the network stack.
        reason: String,
    },
    /// The platform answered with an error status.
    #[error("{url} answered {status}: {message}")]
    Status {
        /// What was asked for.
        url: String,
        /// The status code.
        code: u16,
        /// The status code and its reason (`409 Conflict`).
        status: String,
        /// The error text of the body (or the reason, for an empty body).
        message: String,
    },
    /// An answer that is not what the contract says.
    #[error("the answer from {url} is not what was expected: {reason}")]
    Unreadable {
        /// What was asked for.
        url: String,
        /// Why.
        reason: String,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> AdminError + '_ {
    move |source| AdminError::Io {
        path: path.to_owned(),
        source,
    }
}

// ---------------------------------------------------------------------------
// The fleet key

/// A new fleet key from the operating system's CSPRNG.
pub fn generate_key() -> Result<SigningKey, AdminError> {
    let mut seed = Zeroizing::new([0u8; 32]);
    getrandom::fill(seed.as_mut()).map_err(|e| AdminError::Random(e.to_string()))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// The files `keygen` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPairFiles {
    /// The secret seed (mode 0600).
    pub secret: PathBuf,
    /// The public key.
    pub public: PathBuf,
    /// The public key as the kiosk pins it (base64).
    pub public_base64: String,
}

/// Writes `key` to `dir` (created, mode 0700, if missing): [`KEY_FILE`]
/// with the 32-byte secret seed in base64 on one line, created with mode
/// 0600, and [`PUBLIC_KEY_FILE`] with the public key in the base64 form the
/// kiosk pins. Refuses when either file exists, and leaves nothing behind
/// when it fails midway.
pub fn write_key_pair(dir: &Path, key: &SigningKey) -> Result<KeyPairFiles, AdminError> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io_error(dir))?;
    let secret = dir.join(KEY_FILE);
    let public = dir.join(PUBLIC_KEY_FILE);
    for path in [&secret, &public] {
        if path.symlink_metadata().is_ok() {
            return Err(AdminError::Exists(path.clone()));
        }
    }
    let public_base64 = tongban_platform_api::key_base64(&key.verifying_key());
    let seed = Zeroizing::new(format!(
        "{}\n",
        base64::engine::general_purpose::STANDARD.encode(key.to_bytes())
    ));
    create_new(&secret, 0o600, seed.as_bytes())?;
    if let Err(error) = create_new(&public, 0o644, format!("{public_base64}\n").as_bytes()) {
        let _ = std::fs::remove_file(&secret);
        return Err(error);
    }
    Ok(KeyPairFiles {
        secret,
        public,
        public_base64,
    })
}

/// Creates a file that must not exist yet, with `mode`, and writes it
/// through to the disk.
fn create_new(path: &Path, mode: u32, bytes: &[u8]) -> Result<(), AdminError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => AdminError::Exists(path.to_owned()),
            _ => io_error(path)(e),
        })?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = std::fs::remove_file(path);
        return Err(io_error(path)(e));
    }
    Ok(())
}

/// A fleet key read from its file.
#[derive(Debug)]
pub struct KeyFile {
    /// The key.
    pub key: SigningKey,
    /// The file's permission bits when others than its owner may read or
    /// change it (a warning, not a refusal).
    pub loose_mode: Option<u32>,
}

/// Reads a fleet key file as `keygen` writes it: the 32-byte secret seed
/// in base64 on one line. A public key has the same form, so where a
/// [`PUBLIC_KEY_FILE`] sits beside the file the key must be its secret
/// half: that catches the public key given in its place, and a key from
/// another pair.
pub fn read_key(path: &Path) -> Result<KeyFile, AdminError> {
    let meta = std::fs::metadata(path).map_err(io_error(path))?;
    let mode = meta.permissions().mode() & 0o777;
    let bytes = Zeroizing::new(std::fs::read(path).map_err(io_error(path))?);
    let text = std::str::from_utf8(&bytes).map_err(|_| AdminError::BadKey(path.to_owned()))?;
    let seed = Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| AdminError::BadKey(path.to_owned()))?,
    );
    let seed: &[u8; 32] = seed
        .as_slice()
        .try_into()
        .map_err(|_| AdminError::BadKey(path.to_owned()))?;
    let key = SigningKey::from_bytes(seed);
    let beside = path.with_file_name(PUBLIC_KEY_FILE);
    if let Ok(public) = std::fs::read_to_string(&beside) {
        if public.trim() == text.trim() {
            return Err(AdminError::PublicKey(path.to_owned()));
        }
        if tongban_platform_api::verifying_key(&public)
            .is_ok_and(|public| public != key.verifying_key())
        {
            return Err(AdminError::Mismatch {
                key: path.to_owned(),
                public: beside,
            });
        }
    }
    Ok(KeyFile {
        key,
        loose_mode: (mode & 0o077 != 0).then_some(mode),
    })
}

// ---------------------------------------------------------------------------
// Bundles

/// The bundle for `scope`: its layer (`{layer}.toml`, e.g. `branch.toml`
/// for `branch:SH-PD-0001`) read from `dir` and validated over the built-in
/// defaults, issued at `now` and valid for `valid_days` (1 to
/// [`MAX_VALID_DAYS`]). Other layers in `dir` are not part of it.
pub fn bundle_from_dir(
    dir: &Path,
    scope: &Scope,
    version: u64,
    now: DateTime<FixedOffset>,
    valid_days: u32,
) -> Result<ConfigBundle, AdminError> {
    if !(1..=MAX_VALID_DAYS).contains(&valid_days) {
        return Err(AdminError::Validity(valid_days));
    }
    let name = format!("{}.toml", scope.layer());
    let path = dir.join(&name);
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| AdminError::Io {
            path: path.clone(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the file is not UTF-8 text",
            ),
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(AdminError::MissingLayer {
                path,
                scope: scope.clone(),
            });
        }
        Err(e) => return Err(io_error(&path)(e)),
    };
    if let Err(errors) = kiosk_config::load_layers(&[(path.display().to_string(), text.clone())]) {
        return Err(AdminError::Config { path, errors });
    }
    if let Some(key) = tongban::fleet::own_key_in(&text) {
        return Err(AdminError::OwnKey { path, key });
    }
    let expires = now + chrono::Duration::days(i64::from(valid_days));
    Ok(ConfigBundle {
        scope: scope.clone(),
        version,
        issued_at: now.to_rfc3339_opts(SecondsFormat::Secs, false),
        expires_at: expires.to_rfc3339_opts(SecondsFormat::Secs, false),
        files: [(name, text)].into(),
    })
}

/// A sealed bundle as the file written, pushed and served: pretty JSON
/// with a final newline.
pub fn bundle_file_bytes(file: &BundleFile) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(file).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// What a bundle file says about itself, read without checking its
/// signature (that is the platform's and the terminals' to do).
pub fn peek(path: &Path, bytes: &[u8]) -> Result<ConfigBundle, AdminError> {
    let not_a_bundle = |reason: String| AdminError::NotABundle {
        path: path.to_owned(),
        reason,
    };
    let file = BundleFile::parse(bytes).map_err(|e| not_a_bundle(e.to_string()))?;
    let payload = file
        .payload_bytes()
        .map_err(|e| not_a_bundle(e.to_string()))?;
    serde_json::from_slice(&payload).map_err(|e| not_a_bundle(format!("its payload: {e}")))
}

/// The SHA-256 of a file's bytes, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------
// The platform

/// Which terminals the fleet view lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this district's.
    pub district: Option<String>,
    /// Only this branch's.
    pub branch: Option<String>,
}

/// The fleet view as the platform answered it.
#[derive(Debug, Clone)]
pub struct FleetView {
    /// The terminals, read.
    pub terminals: Vec<TerminalHealth>,
    /// The answer's body as it came.
    pub body: String,
}

/// The admin's client of the platform's fleet endpoints. One try per
/// call: the admin sees a failure at once and decides.
#[derive(Debug, Clone)]
pub struct FleetClient {
    http: reqwest::Client,
    base: String,
}

impl FleetClient {
    /// A client of the platform at `base` (`http://` or `https://`, no
    /// query or fragment).
    #[cfg(test)]
    pub fn new(base: &str) -> Result<Self, AdminError> {
        Self::with_tls(base, None)
    }

    /// A client of the platform at `base` that trusts only the pinned CA
    /// and presents the admin's certificate, as a platform requiring
    /// client certificates wants (`https://` only).
    pub fn with_tls(
        base: &str,
        tls: Option<&tongban::platform::tls::Tls>,
    ) -> Result<Self, AdminError> {
        let bad = |reason: &str| AdminError::BadUrl {
            url: base.to_owned(),
            reason: reason.to_owned(),
        };
        let url = reqwest::Url::parse(base).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("use http:// or https://"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("it names no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("the platform's base URL takes no query or fragment"));
        }
        let mut builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(CALL_TIMEOUT);
        if let Some(tls) = tls {
            if url.scheme() != "https" {
                return Err(bad(
                    "a CA or client certificate was given: the platform's URL must start with https://",
                ));
            }
            builder = tls.apply(builder).map_err(|e| bad(&e))?;
        }
        let http = builder.build().map_err(|e| bad(&e.to_string()))?;
        Ok(Self {
            http,
            base: url.as_str().trim_end_matches('/').to_owned(),
        })
    }

    /// The base URL, without a final `/`.
    #[cfg(test)]
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The URL of a scope's bundle file.
    pub fn bundle_url(&self, scope: &Scope) -> String {
        format!("{}{}", self.base, paths::bundle(scope))
    }

    /// PUTs a bundle file's bytes for `scope`; the platform checks the
    /// signature, scope, version and expiry, and answers what it now
    /// serves.
    pub async fn push(&self, scope: &Scope, bytes: Vec<u8>) -> Result<Pushed, AdminError> {
        let url = self.bundle_url(scope);
        let response = self
            .http
            .put(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(bytes)
            .send()
            .await;
        let body = answer(&url, response).await?;
        serde_json::from_slice(&body).map_err(|e| AdminError::Unreadable {
            url,
            reason: e.to_string(),
        })
    }

    /// Every terminal's last heartbeat as the platform holds it, within
    /// `filter`.
    pub async fn terminals(&self, filter: &Filter) -> Result<FleetView, AdminError> {
        let mut url = reqwest::Url::parse(&format!("{}{}", self.base, paths::FLEET_TERMINALS))
            .map_err(|e| AdminError::BadUrl {
                url: self.base.clone(),
                reason: e.to_string(),
            })?;
        for (name, value) in [("district", &filter.district), ("branch", &filter.branch)] {
            if let Some(value) = value {
                url.query_pairs_mut().append_pair(name, value);
            }
        }
        let url = url.to_string();
        let response = self.http.get(&url).send().await;
        let body = answer(&url, response).await?;
        let unreadable = |reason: String| AdminError::Unreadable {
            url: url.clone(),
            reason,
        };
        let body = String::from_utf8(body).map_err(|_| unreadable("not UTF-8 text".into()))?;
        let terminals = serde_json::from_str(&body).map_err(|e| unreadable(e.to_string()))?;
        Ok(FleetView { terminals, body })
    }
}

/// The body of a successful answer, or the error it stands for.
async fn answer(
    url: &str,
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<Vec<u8>, AdminError> {
    let response = response.map_err(|e| AdminError::Unreachable {
        url: url.to_owned(),
        reason: reason(&e),
    })?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| AdminError::Unreadable {
        url: url.to_owned(),
        reason: format!("the answer was cut short: {}", reason(&e)),
    });
    if status.is_success() {
        return body.map(|b| b.to_vec());
    }
    let body = body.unwrap_or_default();
    Err(AdminError::Status {
        url: url.to_owned(),
        code: status.as_u16(),
        status: status.to_string(),
        message: error_text(&body)
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("no reason").to_owned()),
    })
}

/// What went wrong with a call, from the innermost causes (the outermost
/// only repeats the URL).
fn reason(error: &reqwest::Error) -> String {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !causes.iter().any(|c: &String| c.contains(&text)) {
            causes.push(text);
        }
        source = cause.source();
    }
    if error.is_timeout() {
        causes.insert(0, "no answer in time".into());
    }
    if causes.is_empty() {
        error.to_string()
    } else {
        causes.join(": ")
    }
}

/// The error text of an error answer's body: the `error` or `message` of
/// a JSON object, otherwise the text itself; `None` for an empty body.
pub fn error_text(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let from_json = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| {
            // A problem document's sentence is its `detail`.
            ["detail", "error", "message"]
                .iter()
                .find_map(|k| v.get(k).and_then(|m| m.as_str()).map(str::to_owned))
        });
    let message = from_json.unwrap_or_else(|| text.to_owned());
    Some(match message.char_indices().nth(MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message,
    })
}

/// JSON text re-indented as `serde_json`'s pretty printer would, keeping
/// every key, its order and every value exactly as written; an error for
/// text that is not JSON.
pub fn pretty_json(text: &str) -> Result<String, serde_json::Error> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)?;
    fn newline(out: &mut String, depth: usize) {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
                match chars.next_if(|c| matches!(*c, '}' | ']')) {
                    Some(close) => out.push(close),
                    None => {
                        depth += 1;
                        newline(&mut out, depth);
                    }
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out.push('\n');
    Ok(out)
}

// ---------------------------------------------------------------------------
// The fleet view in short

/// Terminals in the order the status table lists them: by branch (those
/// without one last), then by terminal id.
pub fn sort_for_table(terminals: &mut [TerminalHealth]) {
    terminals.sort_by(|a, b| {
        (a.branch.is_none(), &a.branch, &a.terminal).cmp(&(
            b.branch.is_none(),
            &b.branch,
            &b.terminal,
        ))
    });
}

/// The bundle versions a terminal runs, broadest scope first
/// (`fleet:3 branch:7`), or `-`.
pub fn versions(config: &[AppliedBundle]) -> String {
    let mut applied: Vec<&AppliedBundle> = config.iter().collect();
    applied.sort_by(|a, b| a.scope.cmp(&b.scope));
    let words: Vec<String> = applied
        .iter()
        .map(|a| format!("{}:{}", a.scope.layer(), a.version))
        .collect();
    if words.is_empty() {
        "-".into()
    } else {
        words.join(" ")
    }
}

/// A bundle the terminal refused or rolled back
/// (`branch:8 rolled_back: …`), or `-`.
pub fn problem(problem: Option<&ConfigProblem>) -> String {
    problem.map_or("-".into(), |p| {
        format!(
            "{}:{} {}: {}",
            p.scope.layer(),
            p.version,
            p.action,
            p.reason
        )
    })
}

/// The devices that need a look (`a4_printer=user_error(paper_out)`, the
/// detail where there is one), `ok` when each is online or not fitted, or
/// `-` when none was reported.
pub fn devices(devices: &[DeviceReport]) -> String {
    if devices.is_empty() {
        return "-".into();
    }
    let trouble: Vec<String> = devices
        .iter()
        .filter(|d| !matches!(d.state.as_str(), "online" | "no_device"))
        .map(|d| match &d.detail {
            Some(detail) if !detail.is_empty() => format!("{}={}({detail})", d.kind, d.state),
            _ => format!("{}={}", d.kind, d.state),
        })
        .collect();
    if trouble.is_empty() {
        "ok".into()
    } else {
        trouble.join(" ")
    }
}

/// The disk holding the terminal's store: `LOW 150 MB free of 64000` while
/// it takes no new applications, `ok` (the free MB) otherwise, `-` when
/// not reported.
pub fn disk(disk: Option<&DiskReport>) -> String {
    match disk {
        None => "-".into(),
        Some(d) if d.low => format!("LOW {} MB free of {}", d.free_mb, d.total_mb),
        Some(d) => format!("ok {} MB free", d.free_mb),
    }
}

/// A supply counter's value, or `-` when it was not reported.
pub fn supply(supplies: &[Supply], name: &str) -> String {
    supplies
        .iter()
        .find(|s| s.name == name)
        .map_or("-".into(), |s| s.remaining.to_string())
}

#[cfg(test)]
mod tests;
