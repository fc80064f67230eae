//! Layered, validated TOML configuration of the Tongban kiosk: defaults < fleet < district <
//! branch < terminal, checked against one schema, reporting *every* error with file, line and key.
//! It does not watch files, verify signatures or apply config to a running kiosk.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The layers above the defaults, lowest first; each is `<scope>.toml`.
pub const SCOPES: [&str; 4] = ["fleet", "district", "branch", "terminal"];

/// Screens that may have their own idle timeout.
pub const SCREENS: &[&str] = &[
    "home",
    "catalogue",
    "guide",
    "form",
    "progress",
    "licences",
    "rating",
    "maintenance",
];

const DEFAULTS: &str = include_str!("../defaults.toml");
const DEFAULTS_NAME: &str = "<defaults>";

/// The merged, validated configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// This terminal.
    pub terminal: Terminal,
    /// The service as residents see it.
    pub service: Service,
    /// Display defaults.
    pub ui: Ui,
    /// Resident sessions.
    pub session: Session,
    /// The SQLite store.
    pub store: Store,
    /// Logging.
    pub logging: Logging,
    /// The devices.
    pub devices: Devices,
    /// The central platform.
    pub platform: Platform,
    /// Licence printing.
    pub licences: Licences,
    /// Maintenance mode for branch staff.
    pub staff: Staff,
}

/// `[staff]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    /// Staff who may open maintenance mode, each with the hash of their
    /// PIN; empty: maintenance mode cannot be opened on this terminal.
    pub pins: Vec<StaffPin>,
    /// The file holding the fleet's PIN pepper (relative paths under the
    /// config folder): the secret every PIN hash is made with, so hashes
    /// read from a bundle give no PIN without it. Only the terminal's own
    /// config sets it (never a bundle), and it is required once `pins`
    /// is set.
    pub pin_pepper_file: String,
    /// Wrong PINs in a row before entry locks.
    pub max_attempts: u32,
    /// How long entry stays locked, seconds.
    pub lockout_secs: u64,
    /// How long the hidden corner is pressed to open the PIN pad, ms.
    pub long_press_ms: u64,
}

impl Staff {
    /// How long entry stays locked after `max_attempts` wrong PINs.
    pub fn lockout(&self) -> Duration {
        Duration::from_secs(self.lockout_secs)
    }

    /// How long the hidden corner is pressed to open the PIN pad.
    pub fn long_press(&self) -> Duration {
        Duration::from_millis(self.long_press_ms)
    }
}

/// One entry of `[staff] pins`, written `"<staff id> <argon2id hash>"`.
/// Its `Debug` leaves the hash out.
#[derive(Clone, PartialEq, Eq)]
pub struct StaffPin {
    /// Staff id: 2-16 characters of A-Z, 0-9 and '-'.
    pub id: String,
    /// The PIN's argon2id hash as a PHC string (`$argon2id$v=19$...`).
    pub hash: String,
}

impl fmt::Debug for StaffPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaffPin")
            .field("id", &self.id)
            .field("hash", &format_args!("<argon2id hash>"))
            .finish()
    }
}

impl Serialize for StaffPin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("{} {}", self.id, self.hash))
    }
}

impl<'de> Deserialize<'de> for StaffPin {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entry = String::deserialize(deserializer)?;
        parse_staff_pin(&entry).map_err(serde::de::Error::custom)
    }
}

/// `[licences]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licences {
    /// What a copy may be used for, as residents choose it; the Chinese
    /// words go into the watermark (仅供…使用). "Other" (typed by the
    /// resident) is always offered after these.
    pub purposes: LocalizedList,
    /// Most copies one job asks for (the platform's quota may allow fewer).
    pub max_copies: u32,
    /// Price of one copy in fen (0.01 yuan); 0 is free and shows no price.
    pub price_per_copy_fen: u32,
}

/// Texts in Chinese and English, one for one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalizedList {
    /// Chinese.
    pub zh: Vec<String>,
    /// English, in the same order.
    pub en: Vec<String>,
}

impl LocalizedList {
    /// The pairs, in order.
    pub fn pairs(&self) -> impl Iterator<Item = Localized> + '_ {
        self.zh.iter().zip(&self.en).map(|(zh, en)| Localized {
            zh: zh.clone(),
            en: en.clone(),
        })
    }
}

/// `[platform]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// Base URL; empty: no platform (a terminal being set up).
    pub url: String,
    /// The platform's ed25519 public key, base64: catalogues it signs are
    /// the only ones taken.
    pub public_key: String,
    /// The fleet's ed25519 public key, base64: config bundles it signs are
    /// the only ones taken (empty: none are). Only the terminal's own
    /// config folder sets it, never a bundle.
    pub fleet_public_key: String,
    /// Seconds between heartbeats.
    pub heartbeat_secs: u32,
    /// Seconds between catalogue checks (a heartbeat command can ask for
    /// one sooner).
    pub catalogue_sync_secs: u32,
    /// The platform CA's certificate (PEM file; relative paths under the
    /// data folder): when set, the only root trusted for the platform
    /// (pinned; the built-in roots are off). Empty: the built-in roots.
    pub ca_cert: String,
    /// This terminal's own client certificate (PEM file), presented to
    /// the platform (mutual TLS). Empty: none; set with `client_key`.
    pub client_cert: String,
    /// This terminal's private key (PEM file) for `client_cert`,
    /// readable only by the kiosk user.
    pub client_key: String,
}

/// `[devices]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Devices {
    /// The ID card reader.
    pub id_reader: SerialDevice,
    /// The QR/barcode scanner.
    pub scanner: Scanner,
    /// The thermal receipt printer.
    pub receipt_printer: ReceiptPrinter,
    /// The A4 laser printer.
    pub a4_printer: A4Printer,
}

/// `[devices.receipt_printer]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptPrinter {
    /// Whether the terminal has it.
    pub enabled: bool,
    /// "serial" or "usb".
    pub transport: String,
    /// The serial port.
    pub path: String,
    /// Serial line speed.
    pub baud: u32,
    /// USB vendor:product in hex ("0519:2013").
    pub usb_id: String,
    /// Length of a full roll, in millimetres.
    pub roll_length_mm: u32,
}

/// `[devices.a4_printer]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct A4Printer {
    /// Whether the terminal has it.
    pub enabled: bool,
    /// "tcp" (port 9100) or "usb".
    pub transport: String,
    /// host:port for TCP.
    pub address: String,
    /// USB vendor:product in hex ("03f0:002a").
    pub usb_id: String,
    /// Sheets a full tray holds.
    pub tray_sheets: u32,
    /// Pages a full toner cartridge prints.
    pub toner_yield_pages: u32,
}

/// `[devices.scanner]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scanner {
    /// Whether the terminal has it.
    pub enabled: bool,
    /// The port.
    pub path: String,
    /// Line speed.
    pub baud: u32,
    /// What ends a code: "cr", "lf" or "any".
    pub terminator: String,
    /// Longest code accepted, in bytes.
    pub max_length: u32,
    /// What a 随申码 payload starts with.
    pub suishenma_prefix: String,
}

/// A device on a serial port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SerialDevice {
    /// Whether the terminal has it.
    pub enabled: bool,
    /// The port; prefer a stable udev name over /dev/ttyUSBn.
    pub path: String,
    /// Line speed.
    pub baud: u32,
}

/// A text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// `[terminal]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terminal {
    /// Terminal id as the platform knows it.
    pub id: String,
    /// District of the branch.
    pub district: String,
    /// The district's id for the district config scope (empty: none).
    pub district_id: String,
    /// The branch's id for the branch config scope (empty: none).
    pub branch_id: String,
    /// Branch name.
    pub branch_name: Localized,
}

/// `[service]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Name in the header band.
    pub name: Localized,
    /// Whether the terminal serves residents.
    pub in_service: bool,
    /// Shown while out of service.
    pub out_of_service_reason: Localized,
    /// Helpline.
    pub hotline: String,
    /// A line for residents on the attract screen (empty: none).
    pub banner: Localized,
}

/// Languages of the kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    /// 简体中文 (the default).
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// `[ui]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ui {
    /// Language a session starts in.
    pub default_language: Language,
    /// Whether sessions start in 长者模式.
    pub elder_mode_default: bool,
}

/// `[session]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Length of the idle warning, seconds.
    pub countdown_secs: u32,
    /// Idle timeouts per screen, seconds.
    pub idle_timeout_secs: IdleTimeouts,
}

/// `[session.idle_timeout_secs]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct IdleTimeouts {
    /// Screens without their own value.
    pub default: u32,
    pub home: u32,
    pub catalogue: u32,
    pub guide: u32,
    pub form: u32,
    pub progress: u32,
    pub licences: u32,
    pub rating: u32,
    pub maintenance: u32,
}

impl IdleTimeouts {
    fn get(&self, screen: &str) -> u32 {
        match screen {
            "home" => self.home,
            "catalogue" => self.catalogue,
            "guide" => self.guide,
            "form" => self.form,
            "progress" => self.progress,
            "licences" => self.licences,
            "rating" => self.rating,
            "maintenance" => self.maintenance,
            _ => self.default,
        }
    }
}

impl Session {
    /// The idle timeout of `screen` (its own value, else the default).
    pub fn idle_timeout(&self, screen: &str) -> Duration {
        Duration::from_secs(u64::from(self.idle_timeout_secs.get(screen)))
    }

    /// Length of the idle warning.
    pub fn countdown(&self) -> Duration {
        Duration::from_secs(u64::from(self.countdown_secs))
    }
}

/// `[store]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Store {
    /// Database file.
    pub path: String,
    /// Free space, in MB, the store's filesystem must keep: below it the
    /// kiosk takes no new submissions (those already accepted are kept
    /// and still sent). 0 turns the guard off.
    pub min_free_mb: u64,
    /// Days a submission the platform refused keeps its body (the
    /// resident's form) for staff; after that only what it was for, when
    /// and why are kept.
    pub refused_keep_days: u64,
}

/// Log levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum LogLevel {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

impl LogLevel {
    /// As a tracing filter directive.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Trace => "trace",
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        }
    }
}

/// `[logging]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Logging {
    /// Log folder.
    pub dir: String,
    /// Level.
    pub level: LogLevel,
    /// Files kept (today's included); the oldest is deleted beyond it.
    pub keep_files: u32,
    /// Size at which the current file is rotated early, MB; the logs
    /// never take more than `keep_files` × `max_file_mb`.
    pub max_file_mb: u32,
}

// ---------------------------------------------------------------------------
// Schema

#[derive(Debug, Clone, Copy)]
enum Rule {
    Table(&'static [(&'static str, Rule)]),
    /// One of a few integers (line speeds).
    IntOneOf(&'static [i64]),
    Str(Text),
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    OneOf(&'static [&'static str]),
    /// An array of 1 to `max` non-empty strings of at most `chars`
    /// characters each.
    List {
        max: usize,
        chars: usize,
    },
    /// Staff and their PIN hashes: an array of at most [`MAX_STAFF`]
    /// `"<staff id> <argon2id hash>"` strings, each id once.
    StaffPins,
}

/// Most entries in `[staff] pins`: a PIN is checked against every one.
const MAX_STAFF: usize = 32;

#[derive(Debug, Clone, Copy)]
enum Text {
    Any,
    NonEmpty,
    TerminalId,
    /// Empty, or a USB vendor:product pair in hex ("0519:2013").
    UsbId,
    /// host:port with a numeric IP address ("127.0.0.1:9100").
    SocketAddr,
    /// Empty, or an http(s) URL.
    Url,
    /// Empty, or 32 bytes in base64 (an ed25519 public key).
    PublicKey,
    /// Empty, or the id of a config scope: 1-32 of A-Z, 0-9 and '-'.
    ScopeId,
}

const LOCALIZED: &[(&str, Rule)] = &[("zh", Rule::Str(Text::Any)), ("en", Rule::Str(Text::Any))];
const TIMEOUT: Rule = Rule::Int { min: 30, max: 1800 };

const SCHEMA: &[(&str, Rule)] = &[
    (
        "terminal",
        Rule::Table(&[
            ("id", Rule::Str(Text::TerminalId)),
            ("district", Rule::Str(Text::Any)),
            ("district_id", Rule::Str(Text::ScopeId)),
            ("branch_id", Rule::Str(Text::ScopeId)),
            ("branch_name", Rule::Table(LOCALIZED)),
        ]),
    ),
    (
        "service",
        Rule::Table(&[
            ("name", Rule::Table(LOCALIZED)),
            ("in_service", Rule::Bool),
            ("out_of_service_reason", Rule::Table(LOCALIZED)),
            ("hotline", Rule::Str(Text::NonEmpty)),
            ("banner", Rule::Table(LOCALIZED)),
        ]),
    ),
    (
        "ui",
        Rule::Table(&[
            ("default_language", Rule::OneOf(&["zh-CN", "en"])),
            ("elder_mode_default", Rule::Bool),
        ]),
    ),
    (
        "session",
        Rule::Table(&[
            ("countdown_secs", Rule::Int { min: 20, max: 120 }),
            (
                "idle_timeout_secs",
                Rule::Table(&[
                    ("default", TIMEOUT),
                    ("home", TIMEOUT),
                    ("catalogue", TIMEOUT),
                    ("guide", TIMEOUT),
                    ("form", TIMEOUT),
                    ("progress", TIMEOUT),
                    ("licences", TIMEOUT),
                    ("rating", TIMEOUT),
                    ("maintenance", TIMEOUT),
                ]),
            ),
        ]),
    ),
    (
        "store",
        Rule::Table(&[
            ("path", Rule::Str(Text::NonEmpty)),
            (
                "min_free_mb",
                Rule::Int {
                    min: 0,
                    max: 1_000_000,
                },
            ),
            ("refused_keep_days", Rule::Int { min: 0, max: 90 }),
        ]),
    ),
    (
        "logging",
        Rule::Table(&[
            ("dir", Rule::Str(Text::NonEmpty)),
            (
                "level",
                Rule::OneOf(&["trace", "debug", "info", "warn", "error"]),
            ),
            ("keep_files", Rule::Int { min: 1, max: 365 }),
            ("max_file_mb", Rule::Int { min: 1, max: 1024 }),
        ]),
    ),
    (
        "platform",
        Rule::Table(&[
            ("url", Rule::Str(Text::Url)),
            ("public_key", Rule::Str(Text::PublicKey)),
            ("fleet_public_key", Rule::Str(Text::PublicKey)),
            ("heartbeat_secs", Rule::Int { min: 10, max: 3600 }),
            (
                "catalogue_sync_secs",
                Rule::Int {
                    min: 60,
                    max: 86_400,
                },
            ),
            ("ca_cert", Rule::Str(Text::Any)),
            ("client_cert", Rule::Str(Text::Any)),
            ("client_key", Rule::Str(Text::Any)),
        ]),
    ),
    (
        "licences",
        Rule::Table(&[
            (
                "purposes",
                Rule::Table(&[
                    ("zh", Rule::List { max: 12, chars: 16 }),
                    ("en", Rule::List { max: 12, chars: 40 }),
                ]),
            ),
            ("max_copies", Rule::Int { min: 1, max: 10 }),
            (
                "price_per_copy_fen",
                Rule::Int {
                    min: 0,
                    max: 10_000,
                },
            ),
        ]),
    ),
    (
        "devices",
        Rule::Table(&[
            (
                "id_reader",
                Rule::Table(&[
                    ("enabled", Rule::Bool),
                    ("path", Rule::Str(Text::NonEmpty)),
                    ("baud", Rule::IntOneOf(&[9600, 19200, 38400, 57600, 115200])),
                ]),
            ),
            (
                "scanner",
                Rule::Table(&[
                    ("enabled", Rule::Bool),
                    ("path", Rule::Str(Text::NonEmpty)),
                    ("baud", Rule::IntOneOf(&[9600, 19200, 38400, 57600, 115200])),
                    ("terminator", Rule::OneOf(&["cr", "lf", "any"])),
                    ("max_length", Rule::Int { min: 16, max: 4096 }),
                    ("suishenma_prefix", Rule::Str(Text::NonEmpty)),
                ]),
            ),
            (
                "receipt_printer",
                Rule::Table(&[
                    ("enabled", Rule::Bool),
                    ("transport", Rule::OneOf(&["serial", "usb"])),
                    ("path", Rule::Str(Text::NonEmpty)),
                    ("baud", Rule::IntOneOf(&[9600, 19200, 38400, 57600, 115200])),
                    ("usb_id", Rule::Str(Text::UsbId)),
                    (
                        "roll_length_mm",
                        Rule::Int {
                            min: 1000,
                            max: 300_000,
                        },
                    ),
                ]),
            ),
            (
                "a4_printer",
                Rule::Table(&[
                    ("enabled", Rule::Bool),
                    ("transport", Rule::OneOf(&["tcp", "usb"])),
                    ("address", Rule::Str(Text::SocketAddr)),
                    ("usb_id", Rule::Str(Text::UsbId)),
                    ("tray_sheets", Rule::Int { min: 1, max: 5000 }),
                    (
                        "toner_yield_pages",
                        Rule::Int {
                            min: 100,
                            max: 100_000,
                        },
                    ),
                ]),
            ),
        ]),
    ),
    (
        "staff",
        Rule::Table(&[
            ("pins", Rule::StaffPins),
            ("pin_pepper_file", Rule::Str(Text::Any)),
            ("max_attempts", Rule::Int { min: 3, max: 10 }),
            (
                "lockout_secs",
                Rule::Int {
                    min: 30,
                    max: 86_400,
                },
            ),
            (
                "long_press_ms",
                Rule::Int {
                    min: 1000,
                    max: 10_000,
                },
            ),
        ]),
    ),
];

// ---------------------------------------------------------------------------
// Errors

/// One thing wrong with a config.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    /// The file as given, or `<defaults>` / `<merged>`.
    pub file: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// Dotted key (empty for whole-file errors).
    pub key: String,
    /// What is wrong.
    pub kind: ErrorKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    /// The file is not valid TOML.
    Syntax(String),
    /// No such key.
    UnknownKey {
        /// A known key spelt similarly.
        suggestion: Option<String>,
    },
    /// The value has the wrong type.
    WrongType {
        /// What the key takes.
        expected: &'static str,
        /// What was given.
        found: &'static str,
    },
    /// A number outside its range.
    OutOfRange {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
        /// Given.
        found: i64,
    },
    /// Any other bad value.
    Invalid(String),
    /// A `.toml` file that is not a known layer.
    UnknownFile {
        /// The file names allowed.
        expected: Vec<String>,
    },
    /// The file or folder cannot be read.
    Io(String),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Syntax(message) => write!(f, "syntax error: {message}"),
            ErrorKind::UnknownKey {
                suggestion: Some(s),
            } => {
                write!(f, "unknown key (did you mean `{s}`?)")
            }
            ErrorKind::UnknownKey { suggestion: None } => write!(f, "unknown key"),
            ErrorKind::WrongType { expected, found } => {
                write!(f, "wrong type: expected {expected}, found {found}")
            }
            ErrorKind::OutOfRange { min, max, found } => {
                write!(f, "out of range: {min} ≤ value ≤ {max}, found {found}")
            }
            ErrorKind::Invalid(reason) => write!(f, "invalid value: {reason}"),
            ErrorKind::UnknownFile { expected } => {
                write!(
                    f,
                    "unknown config file; expected one of {}",
                    expected.join(", ")
                )
            }
            ErrorKind::Io(reason) => write!(f, "cannot read: {reason}"),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// Every error found in a config.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Loading

/// A loaded config and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The result.
    pub config: Config,
    /// Files actually read, lowest layer first.
    pub layers: Vec<PathBuf>,
    /// The merged TOML.
    pub merged: toml::Table,
    /// For each dotted key, where its value was set.
    sources: BTreeMap<String, Source>,
}

/// Where a value of the merged config was set.
#[derive(Debug, Clone, PartialEq)]
struct Source {
    /// The layer's name as given, or `<defaults>`.
    file: String,
    /// 1-based line in that layer, where known.
    line: Option<usize>,
}

impl Loaded {
    /// The merged config as TOML, each key followed by the layer that set it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        render_table(&self.merged, "", &self.sources, &mut out);
        out
    }
}

fn render_table(
    table: &toml::Table,
    prefix: &str,
    sources: &BTreeMap<String, Source>,
    out: &mut String,
) {
    let mut wrote_header = false;
    for (key, value) in table {
        if value.is_table() {
            continue;
        }
        if !wrote_header && !prefix.is_empty() {
            out.push_str(&format!("\n[{prefix}]\n"));
            wrote_header = true;
        }
        let source = sources
            .get(&dotted(prefix, key))
            .map(|source| source.file.as_str())
            .unwrap_or(DEFAULTS_NAME);
        out.push_str(&format!("{key} = {value}  # {source}\n"));
    }
    for (key, value) in table {
        if let toml::Value::Table(sub) = value {
            render_table(sub, &dotted(prefix, key), sources, out);
        }
    }
}

/// `prefix.key`, or `key` at the top.
fn dotted(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// The built-in defaults.
pub fn defaults() -> Config {
    load_layers(&[])
        .map(|loaded| loaded.config)
        .expect("the built-in defaults are valid (tested)")
}

/// Loads a config folder: `fleet.toml`, `district.toml`, `branch.toml` and
/// `terminal.toml` (each optional) over the defaults. Any other `.toml` file
/// is an error; other files are ignored.
pub fn load_dir(dir: &Path) -> Result<Loaded, ConfigErrors> {
    let dir_name = dir.display().to_string();
    let io_error = |file: String, e: &dyn fmt::Display| ConfigError {
        file,
        line: None,
        key: String::new(),
        kind: ErrorKind::Io(e.to_string()),
    };
    let entries =
        std::fs::read_dir(dir).map_err(|e| ConfigErrors(vec![io_error(dir_name.clone(), &e)]))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| ConfigErrors(vec![io_error(dir_name.clone(), &e)]))?;
        paths.push(entry.path());
    }
    paths.sort();

    let expected: Vec<String> = SCOPES.iter().map(|s| format!("{s}.toml")).collect();
    let mut errors = Vec::new();
    let mut names = Vec::new();
    for path in paths {
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if expected.contains(&name) {
            names.push(name);
        } else {
            errors.push(ConfigError {
                file: path.display().to_string(),
                line: None,
                key: String::new(),
                kind: ErrorKind::UnknownFile {
                    expected: expected.clone(),
                },
            });
        }
    }

    let mut layers = Vec::new();
    let mut read = Vec::new();
    for name in &expected {
        if !names.contains(name) {
            continue;
        }
        let path = dir.join(name);
        let shown = path.display().to_string();
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    layers.push((shown, text));
                    read.push(path);
                }
                Err(_) => errors.push(io_error(shown, &"the file is not UTF-8 text")),
            },
            Err(e) => errors.push(io_error(shown, &e)),
        }
    }
    match load_layers(&layers) {
        Ok(mut loaded) if errors.is_empty() => {
            loaded.layers = read;
            Ok(loaded)
        }
        Ok(_) => Err(ConfigErrors(errors)),
        Err(ConfigErrors(more)) => {
            errors.extend(more);
            Err(ConfigErrors(errors))
        }
    }
}

/// One layer that is valid TOML (it may still break the schema).
struct Parsed {
    name: String,
    table: toml::Table,
    /// 1-based line of each dotted key.
    lines: BTreeMap<String, usize>,
}

/// Loads layers given as (name for messages, TOML text), lowest first, over
/// the defaults.
pub fn load_layers(layers: &[(String, String)]) -> Result<Loaded, ConfigErrors> {
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    let all = std::iter::once((DEFAULTS_NAME.to_owned(), DEFAULTS.to_owned()))
        .chain(layers.iter().cloned());
    for (name, text) in all {
        let document = match toml_edit::Document::parse(text.as_str()) {
            Ok(document) => document,
            Err(e) => {
                errors.push(ConfigError {
                    line: e.span().map(|s| line_of(&text, s.start)),
                    file: name,
                    key: String::new(),
                    kind: ErrorKind::Syntax(e.message().trim().to_owned()),
                });
                continue;
            }
        };
        check_table(&name, &text, document.as_table(), SCHEMA, "", &mut errors);
        let mut lines = BTreeMap::new();
        key_lines(&text, document.as_table(), SCHEMA, "", &mut lines);
        match toml::from_str::<toml::Table>(&text) {
            Ok(table) => parsed.push(Parsed { name, table, lines }),
            Err(e) => errors.push(ConfigError {
                line: e.span().map(|s| line_of(&text, s.start)),
                file: name,
                key: String::new(),
                kind: ErrorKind::Syntax(e.message().trim().to_owned()),
            }),
        }
    }

    // Merge even when a layer broke the schema, so the cross-field check can
    // still report alongside the other errors.
    let mut merged = toml::Table::new();
    let mut sources = BTreeMap::new();
    for layer in parsed {
        merge(
            &mut merged,
            layer.table,
            "",
            &layer.name,
            &layer.lines,
            &mut sources,
        );
    }
    errors.extend(cross_check(&merged, &sources));
    if !errors.is_empty() {
        return Err(ConfigErrors(errors));
    }

    let config: Config =
        toml::Value::Table(merged.clone())
            .try_into()
            .map_err(|e: toml::de::Error| {
                ConfigErrors(vec![ConfigError {
                    file: "<merged>".into(),
                    line: None,
                    key: String::new(),
                    kind: ErrorKind::Invalid(e.message().to_owned()),
                }])
            })?;
    Ok(Loaded {
        config,
        layers: Vec::new(),
        merged,
        sources,
    })
}

/// The idle warning must be shorter than every idle timeout. Values that are
/// missing or break the schema are skipped: they are reported already.
fn cross_check(merged: &toml::Table, sources: &BTreeMap<String, Source>) -> Vec<ConfigError> {
    idle_check(merged, sources)
        .into_iter()
        .chain(purposes_check(merged, sources))
        .chain(tls_check(merged, sources))
        .chain(pepper_check(merged, sources))
        .chain(usb_check(merged, sources))
        .collect()
}

/// A printer on USB needs its vendor:product to be found.
fn usb_check(merged: &toml::Table, sources: &BTreeMap<String, Source>) -> Vec<ConfigError> {
    let Some(devices) = merged.get("devices") else {
        return Vec::new();
    };
    ["receipt_printer", "a4_printer"]
        .into_iter()
        .filter_map(|name| {
            let device = devices.get(name)?;
            let text = |key: &str| device.get(key).and_then(|v| v.as_str()).unwrap_or("");
            let enabled = device.get("enabled").and_then(|v| v.as_bool()) == Some(true);
            (enabled && text("transport") == "usb" && text("usb_id").trim().is_empty()).then(|| {
                merged_error(
                    sources,
                    &format!("devices.{name}.transport"),
                    format!(
                        "transport is \"usb\" but devices.{name}.usb_id is empty: set the \
                             printer's vendor:product in hex (`kioskctl devices` lists them)"
                    ),
                )
            })
        })
        .collect()
}

/// Staff PINs are hashed with the fleet's pepper: a terminal with PINs
/// names the file holding it.
fn pepper_check(merged: &toml::Table, sources: &BTreeMap<String, Source>) -> Option<ConfigError> {
    let staff = merged.get("staff")?;
    let pins = staff.get("pins")?.as_array()?;
    let pepper = staff
        .get("pin_pepper_file")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    // A list that breaks the schema is reported already.
    let strings = pins.iter().all(toml::Value::is_str);
    (strings && !pins.is_empty() && pepper.trim().is_empty()).then(|| {
        merged_error(
            sources,
            "staff.pins",
            "staff PINs are set but staff.pin_pepper_file is not: PIN hashes are made with \
             the fleet's pepper (`kioskctl staff hash-pin --pepper-file FILE`), and each \
             terminal's own terminal.toml names the file holding it"
                .into(),
        )
    })
}

/// Mutual TLS: the client certificate and key go together, and
/// certificates need an `https://` platform URL.
fn tls_check(merged: &toml::Table, sources: &BTreeMap<String, Source>) -> Option<ConfigError> {
    let platform = merged.get("platform")?;
    let set = |key: &str| {
        platform
            .get(key)
            .and_then(|v| v.as_str())
            .is_some_and(|v| !v.trim().is_empty())
    };
    let url = platform.get("url").and_then(|v| v.as_str()).unwrap_or("");
    if url.starts_with("http://") {
        let keys: Vec<&str> = ["ca_cert", "client_cert", "client_key"]
            .into_iter()
            .filter(|k| set(k))
            .collect();
        if let Some(first) = keys.first() {
            return Some(merged_error(
                sources,
                &format!("platform.{first}"),
                format!(
                    "certificates ({}) are set but platform.url is {url:?}: \
                     they are only used over TLS, so the URL must start with https://",
                    keys.join(", ")
                ),
            ));
        }
    }
    match (set("client_cert"), set("client_key")) {
        (true, false) => Some(merged_error(
            sources,
            "platform.client_cert",
            "a client certificate without platform.client_key: set both (the terminal's \
             certificate and its private key) or neither"
                .into(),
        )),
        (false, true) => Some(merged_error(
            sources,
            "platform.client_key",
            "a client key without platform.client_cert: set both (the terminal's \
             certificate and its private key) or neither"
                .into(),
        )),
        _ => None,
    }
}

/// Each purpose needs its English words: the two lists pair up.
fn purposes_check(merged: &toml::Table, sources: &BTreeMap<String, Source>) -> Option<ConfigError> {
    let purposes = merged.get("licences")?.get("purposes")?;
    let zh = purposes.get("zh")?.as_array()?.len();
    let en = purposes.get("en")?.as_array()?.len();
    if zh == en {
        return None;
    }
    Some(merged_error(
        sources,
        "licences.purposes.en",
        format!("{en} English purposes for {zh} Chinese ones: each purpose needs both"),
    ))
}

/// An error found in the merged config, placed where `key` was set.
fn merged_error(sources: &BTreeMap<String, Source>, key: &str, reason: String) -> ConfigError {
    let source = sources.get(key);
    ConfigError {
        file: source
            .map(|source| source.file.clone())
            .unwrap_or_else(|| "<merged>".into()),
        line: source.and_then(|source| source.line),
        key: key.into(),
        kind: ErrorKind::Invalid(reason),
    }
}

fn idle_check(merged: &toml::Table, sources: &BTreeMap<String, Source>) -> Option<ConfigError> {
    let key = "session.countdown_secs";
    let countdown = valid_int(merged, key)?;
    let mut too_short = Vec::new();
    for screen in std::iter::once("default").chain(SCREENS.iter().copied()) {
        let timeout_key = format!("session.idle_timeout_secs.{screen}");
        let Some(timeout) = valid_int(merged, &timeout_key) else {
            continue;
        };
        if timeout <= countdown {
            let set_in = sources
                .get(&timeout_key)
                .map(|source| source.file.as_str())
                .unwrap_or("<merged>");
            too_short.push(format!("{screen} ({timeout} s, {set_in})"));
        }
    }
    if too_short.is_empty() {
        return None;
    }
    Some(merged_error(
        sources,
        key,
        format!(
            "the idle warning ({countdown} s) must be shorter than every idle timeout; too short: {}",
            too_short.join(", ")
        ),
    ))
}

/// The integer at a dotted key of the merged table, if the schema accepts it.
fn valid_int(merged: &toml::Table, dotted_key: &str) -> Option<i64> {
    let mut rules = SCHEMA;
    let mut table = merged;
    let mut parts = dotted_key.split('.').peekable();
    while let Some(part) = parts.next() {
        let (_, rule) = rules.iter().find(|(name, _)| *name == part)?;
        let value = table.get(part)?;
        if parts.peek().is_none() {
            let found = value.as_integer()?;
            return match rule {
                Rule::Int { min, max } if (*min..=*max).contains(&found) => Some(found),
                _ => None,
            };
        }
        match rule {
            Rule::Table(sub) => rules = sub,
            _ => return None,
        }
        table = value.as_table()?;
    }
    None
}

fn merge(
    into: &mut toml::Table,
    from: toml::Table,
    prefix: &str,
    layer: &str,
    lines: &BTreeMap<String, usize>,
    sources: &mut BTreeMap<String, Source>,
) {
    for (key, value) in from {
        let path = dotted(prefix, &key);
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(existing)), toml::Value::Table(table)) => {
                merge(existing, table, &path, layer, lines, sources);
            }
            (_, toml::Value::Table(table)) => {
                let mut fresh = toml::Table::new();
                merge(&mut fresh, table, &path, layer, lines, sources);
                into.insert(key, toml::Value::Table(fresh));
            }
            (_, value) => {
                let source = Source {
                    file: layer.to_owned(),
                    line: lines.get(&path).copied(),
                };
                sources.insert(path, source);
                into.insert(key, value);
            }
        }
    }
}

/// Records the 1-based line of every key of a parsed document, descending
/// only as deep as the schema (unknown keys are reported anyway).
fn key_lines(
    text: &str,
    table: &dyn toml_edit::TableLike,
    rules: &'static [(&'static str, Rule)],
    prefix: &str,
    lines: &mut BTreeMap<String, usize>,
) {
    for (key, item) in table.iter() {
        let path = dotted(prefix, key);
        if let Some(line) = line_of_key(text, table, key, item) {
            lines.insert(path.clone(), line);
        }
        let sub_rules = rules.iter().find_map(|(name, rule)| match rule {
            Rule::Table(sub) if *name == key => Some(*sub),
            _ => None,
        });
        if let (Some(sub_rules), Some(sub)) = (sub_rules, item.as_table_like()) {
            key_lines(text, sub, sub_rules, &path, lines);
        }
    }
}

/// The line of `key` in `table`: where the key is written, else its value.
fn line_of_key(
    text: &str,
    table: &dyn toml_edit::TableLike,
    key: &str,
    item: &toml_edit::Item,
) -> Option<usize> {
    table
        .key(key)
        .and_then(toml_edit::Key::span)
        .or_else(|| item.span())
        .map(|span| line_of(text, span.start))
}

fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn kind_of(item: &toml_edit::Item) -> &'static str {
    match item {
        toml_edit::Item::None => "nothing",
        toml_edit::Item::Table(_) => "a table",
        toml_edit::Item::ArrayOfTables(_) => "an array of tables",
        toml_edit::Item::Value(value) => match value {
            toml_edit::Value::String(_) => "a string",
            toml_edit::Value::Integer(_) => "an integer",
            toml_edit::Value::Float(_) => "a float",
            toml_edit::Value::Boolean(_) => "a boolean",
            toml_edit::Value::Datetime(_) => "a date-time",
            toml_edit::Value::Array(_) => "an array",
            toml_edit::Value::InlineTable(_) => "a table",
        },
    }
}

fn check_table(
    file: &str,
    text: &str,
    table: &dyn toml_edit::TableLike,
    rules: &'static [(&'static str, Rule)],
    prefix: &str,
    errors: &mut Vec<ConfigError>,
) {
    for (key, item) in table.iter() {
        let path = dotted(prefix, key);
        let line = line_of_key(text, table, key, item);
        let error = |kind| ConfigError {
            file: file.to_owned(),
            line,
            key: path.clone(),
            kind,
        };
        let Some((_, rule)) = rules.iter().find(|(name, _)| *name == key) else {
            let suggestion = suggest(key, rules).map(|name| dotted(prefix, name));
            errors.push(error(ErrorKind::UnknownKey { suggestion }));
            continue;
        };
        let found = kind_of(item);
        match (rule, item) {
            (Rule::Table(sub), item) => match item.as_table_like() {
                Some(sub_table) => check_table(file, text, sub_table, sub, &path, errors),
                None => errors.push(error(ErrorKind::WrongType {
                    expected: "a table",
                    found,
                })),
            },
            (Rule::Bool, toml_edit::Item::Value(toml_edit::Value::Boolean(_))) => {}
            (Rule::Bool, _) => errors.push(error(ErrorKind::WrongType {
                expected: "a boolean (true or false)",
                found,
            })),
            (Rule::Int { min, max }, toml_edit::Item::Value(toml_edit::Value::Integer(v))) => {
                let value = *v.value();
                if value < *min || value > *max {
                    errors.push(error(ErrorKind::OutOfRange {
                        min: *min,
                        max: *max,
                        found: value,
                    }));
                }
            }
            (Rule::IntOneOf(options), toml_edit::Item::Value(toml_edit::Value::Integer(v))) => {
                if !options.contains(v.value()) {
                    let list: Vec<String> = options.iter().map(i64::to_string).collect();
                    errors.push(error(ErrorKind::Invalid(format!(
                        "{} is not one of {}",
                        v.value(),
                        list.join(", ")
                    ))));
                }
            }
            (Rule::IntOneOf(_), _) => errors.push(error(ErrorKind::WrongType {
                expected: "an integer",
                found,
            })),
            (Rule::Int { .. }, _) => errors.push(error(ErrorKind::WrongType {
                expected: "an integer",
                found,
            })),
            (Rule::Str(check), toml_edit::Item::Value(toml_edit::Value::String(s))) => {
                if let Err(reason) = check_text(*check, s.value()) {
                    errors.push(error(ErrorKind::Invalid(reason)));
                }
            }
            (Rule::Str(_), _) => errors.push(error(ErrorKind::WrongType {
                expected: "a string",
                found,
            })),
            (Rule::OneOf(options), toml_edit::Item::Value(toml_edit::Value::String(s))) => {
                if !options.contains(&s.value().as_str()) {
                    let quoted: Vec<String> = options.iter().map(|o| format!("\"{o}\"")).collect();
                    errors.push(error(ErrorKind::Invalid(format!(
                        "\"{}\" is not one of {}",
                        s.value(),
                        quoted.join(", ")
                    ))));
                }
            }
            (Rule::OneOf(_), _) => errors.push(error(ErrorKind::WrongType {
                expected: "a string",
                found,
            })),
            (Rule::List { max, chars }, toml_edit::Item::Value(toml_edit::Value::Array(a))) => {
                if a.is_empty() || a.len() > *max {
                    errors.push(error(ErrorKind::Invalid(format!(
                        "a list of 1 to {max} texts, found {}",
                        a.len()
                    ))));
                }
                for (i, v) in a.iter().enumerate() {
                    match v.as_str() {
                        Some(t) if t.trim().is_empty() => errors.push(error(ErrorKind::Invalid(
                            format!("text {} is empty", i + 1),
                        ))),
                        Some(t) if t.chars().count() > *chars => {
                            errors.push(error(ErrorKind::Invalid(format!(
                                "text {} is longer than {chars} characters",
                                i + 1
                            ))))
                        }
                        Some(_) => {}
                        None => errors.push(error(ErrorKind::Invalid(format!(
                            "text {} is not a string",
                            i + 1
                        )))),
                    }
                }
            }
            (Rule::List { .. }, _) => errors.push(error(ErrorKind::WrongType {
                expected: "an array of strings",
                found,
            })),
            (Rule::StaffPins, toml_edit::Item::Value(toml_edit::Value::Array(a))) => {
                for (entry_line, reason) in check_staff_pins(text, a) {
                    errors.push(ConfigError {
                        line: entry_line.or(line),
                        ..error(ErrorKind::Invalid(reason))
                    });
                }
            }
            (Rule::StaffPins, _) => errors.push(error(ErrorKind::WrongType {
                expected: "an array of strings",
                found,
            })),
        }
    }
}

/// What is wrong with `[staff] pins`, each with the line of the entry it is
/// in where known.
fn check_staff_pins(text: &str, pins: &toml_edit::Array) -> Vec<(Option<usize>, String)> {
    let mut problems = Vec::new();
    if pins.len() > MAX_STAFF {
        problems.push((
            None,
            format!("at most {MAX_STAFF} staff, found {}", pins.len()),
        ));
    }
    let mut seen = BTreeMap::new();
    for (i, value) in pins.iter().enumerate() {
        let n = i + 1;
        let line = value.span().map(|span| line_of(text, span.start));
        let Some(entry) = value.as_str() else {
            problems.push((line, format!("entry {n} is not a string")));
            continue;
        };
        match parse_staff_pin(entry) {
            Ok(pin) => {
                if let Some(first) = seen.insert(pin.id.clone(), n) {
                    problems.push((
                        line,
                        format!(
                            "entry {n}: staff id {} is already entry {first}; each staff member has one PIN",
                            pin.id
                        ),
                    ));
                }
            }
            Err(reason) => problems.push((line, format!("entry {n}: {reason}"))),
        }
    }
    problems
}

/// Where a PIN hash comes from, for the errors that refuse one.
const HASH_PIN: &str = "make one with `kioskctl staff hash-pin`";

/// `"<staff id> <argon2id hash>"` as a [`StaffPin`], or why not.
fn parse_staff_pin(entry: &str) -> Result<StaffPin, String> {
    let words: Vec<&str> = entry.split_whitespace().collect();
    let [id, hash] = words[..] else {
        return Err(format!(
            "\"<staff id> <argon2id hash of the PIN>\" expected, found {} word(s)",
            words.len()
        ));
    };
    let len = id.chars().count();
    if !(2..=16).contains(&len) {
        return Err(format!("a staff id has 2 to 16 characters, found {len}"));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "a staff id uses only A-Z, 0-9 and '-', found {c:?}"
        ));
    }
    check_pin_hash(hash).map_err(|reason| format!("staff {id}: {reason}"))?;
    Ok(StaffPin {
        id: id.to_owned(),
        hash: hash.to_owned(),
    })
}

/// The hash must be an argon2id PHC string the kiosk can verify in
/// reasonable time (every entry is tried for each PIN typed).
fn check_pin_hash(hash: &str) -> Result<(), String> {
    use argon2::password_hash::PasswordHash;

    let Ok(parsed) = PasswordHash::new(hash) else {
        return Err(format!("not an argon2id hash: {HASH_PIN}"));
    };
    if parsed.algorithm != argon2::ARGON2ID_IDENT {
        return Err(format!(
            "not an argon2id hash (it is {}): {HASH_PIN}",
            parsed.algorithm
        ));
    }
    let malformed = |what: &str| Err(format!("a malformed argon2id hash ({what}): {HASH_PIN}"));
    if parsed.salt.is_none() || parsed.hash.is_none() {
        return malformed("no salt or no hash");
    }
    if parsed
        .version
        .is_some_and(|v| argon2::Version::try_from(v).is_err())
    {
        return malformed("unknown version");
    }
    let params = match argon2::Params::try_from(&parsed) {
        Ok(params) => params,
        Err(e) => return malformed(&e.to_string()),
    };
    if params.m_cost() > MAX_M_COST || params.t_cost() > MAX_T_COST || params.p_cost() > MAX_P_COST
    {
        return Err(format!(
            "an argon2id hash too costly to check on a terminal (at most m={MAX_M_COST}, \
             t={MAX_T_COST}, p={MAX_P_COST}): {HASH_PIN}"
        ));
    }
    Ok(())
}

/// Costliest argon2id parameters accepted for a PIN hash: memory in KiB,
/// passes, lanes (the defaults are m=19456, t=2, p=1).
const MAX_M_COST: u32 = 65_536;
const MAX_T_COST: u32 = 10;
const MAX_P_COST: u32 = 4;

fn check_text(rule: Text, value: &str) -> Result<(), String> {
    match rule {
        Text::Any => Ok(()),
        Text::NonEmpty if value.trim().is_empty() => Err("must not be empty".into()),
        Text::NonEmpty => Ok(()),
        Text::TerminalId => {
            let len = value.chars().count();
            if !(3..=32).contains(&len) {
                return Err(format!("a terminal id has 3 to 32 characters, found {len}"));
            }
            if let Some(c) = value
                .chars()
                .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-'))
            {
                return Err(format!(
                    "a terminal id uses only A-Z, 0-9 and '-', found {c:?}"
                ));
            }
            Ok(())
        }
        Text::UsbId if value.is_empty() => Ok(()),
        Text::UsbId => {
            let hex4 = |p: &str| p.len() == 4 && p.chars().all(|c| c.is_ascii_hexdigit());
            match value.split_once(':') {
                Some((v, p)) if hex4(v) && hex4(p) => Ok(()),
                _ => Err(format!(
                    "a USB id is vendor:product in hex, such as \"0519:2013\", found {value:?}"
                )),
            }
        }
        Text::Url if value.is_empty() => Ok(()),
        Text::Url => {
            let rest = value
                .strip_prefix("https://")
                .or_else(|| value.strip_prefix("http://"))
                .ok_or_else(|| format!("a URL starts with https:// or http://, found {value:?}"))?;
            if rest.is_empty() || rest.contains(char::is_whitespace) {
                return Err(format!("{value:?} is not a URL"));
            }
            Ok(())
        }
        Text::ScopeId if value.is_empty() => Ok(()),
        Text::ScopeId => {
            let len = value.chars().count();
            if len > 32 {
                return Err(format!("a scope id has 1 to 32 characters, found {len}"));
            }
            match value
                .chars()
                .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-'))
            {
                Some(c) => Err(format!(
                    "a scope id uses only A-Z, 0-9 and '-', found {c:?}"
                )),
                None => Ok(()),
            }
        }
        Text::PublicKey if value.is_empty() => Ok(()),
        Text::PublicKey => {
            let base64 = value.len() == 44
                && value.ends_with('=')
                && value[..43]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/');
            if base64 {
                Ok(())
            } else {
                Err("a public key is 32 bytes in base64 (44 characters ending in '=')".into())
            }
        }
        Text::SocketAddr => value
            .parse::<std::net::SocketAddr>()
            .map(|_| ())
            .map_err(|_| {
                format!("an address is IP:port, such as \"192.168.1.50:9100\", found {value:?}")
            }),
    }
}

/// The known key closest to `key`, if it is within two edits and the edit
/// does not rewrite the whole key (`fr` is not a typo of `zh`).
fn suggest(key: &str, rules: &[(&'static str, Rule)]) -> Option<&'static str> {
    rules
        .iter()
        .map(|(name, _)| (*name, edit_distance(name, key)))
        .filter(|(name, distance)| *distance <= 2 && *distance < name.chars().count())
        .min_by_key(|(_, distance)| *distance)
        .map(|(name, _)| name)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current[j + 1] = (previous[j] + cost)
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of the schema has a value in `defaults.toml`, so each layer
    /// above may leave any key out. (Behaviour is tested in `tests/`.)
    #[test]
    fn the_defaults_hold_every_key_of_the_schema() {
        fn walk(rules: &[(&str, Rule)], table: &toml::Table, prefix: &str) {
            for (name, rule) in rules {
                let value = table
                    .get(*name)
                    .unwrap_or_else(|| panic!("defaults.toml lacks {prefix}{name}"));
                if let Rule::Table(sub) = rule {
                    let sub_table = value.as_table().expect("a table");
                    walk(sub, sub_table, &format!("{prefix}{name}."));
                }
            }
        }
        let loaded = load_layers(&[]).expect("defaults valid");
        walk(SCHEMA, &loaded.merged, "");
    }
}
