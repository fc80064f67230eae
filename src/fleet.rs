//! Fleet config on the terminal: the signed bundles it holds, how they
//! layer over its own config folder, and how a new one is taken — checked
//! (signature against the pinned fleet key, scope, a newer version,
//! expiry, the merged config valid, the fleet key untouched), written
//! atomically, health-checked (every device the new config enables can be
//! opened), and kept as the last known good; or rolled back to the last
//! known good, with the reason kept for the heartbeat.
//!
//! On disk, under the data folder's `fleet/`: `current/LAYER.json` is the
//! bundle file applied for each layer (`fleet`, `district`, `branch`,
//! `terminal`), `good/LAYER.json` the last known good set. A bundle's layer
//! goes on top of the terminal's own file of that layer (so defaults <
//! fleet < fleet bundle < district < district bundle < … < terminal
//! bundle); what names the terminal — its id, district and branch ids —
//! and the pinned fleet key stay the terminal's own. Every file is replaced
//! by write, fsync, rename, fsync of the folder, so a stop at any moment
//! leaves either the old file or the new one, never a torn one.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kiosk_config::{Config, ConfigErrors, Loaded};

use crate::store::Store;
use tongban_platform_api::ed25519_dalek::VerifyingKey;
use tongban_platform_api::fleet::{
    AppliedBundle, BundleError, BundleFile, ConfigBundle, ConfigProblem, Scope,
};

/// The config layers a bundle can replace, lowest first.
pub const LAYERS: [&str; 4] = ["fleet", "district", "branch", "terminal"];

/// What went wrong with fleet config.
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    /// The bundle is not taken (signature, scope, version, expiry).
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// The config it makes is not valid.
    #[error("the config it makes is not valid: {0}")]
    Invalid(String),
    /// It sets what only the terminal's own folder sets.
    #[error("a bundle may not set {0}: only the terminal's own config does")]
    OwnKey(String),
    /// A configured device cannot be opened with it.
    #[error("health check failed: {0}")]
    Health(String),
    /// The files could not be written or read.
    #[error("{path}: {reason}")]
    Io {
        /// Which file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

fn io(path: &Path, e: impl std::fmt::Display) -> FleetError {
    FleetError::Io {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

/// Replaces `path` with `bytes` so that a stop at any moment leaves the
/// old file or the new one: a temporary file written and fsynced, renamed
/// over it, the folder fsynced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), FleetError> {
    let dir = path.parent().ok_or_else(|| io(path, "no folder"))?;
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let tmp = path.with_extension("json.tmp");
    {
        let mut file = std::fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
        file.write_all(bytes).map_err(|e| io(&tmp, e))?;
        file.sync_all().map_err(|e| io(&tmp, e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> Result<(), FleetError> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io(dir, e))
}

/// Removes `path` (if there) durably.
fn remove_durably(path: &Path) -> Result<(), FleetError> {
    match std::fs::remove_file(path) {
        Ok(()) => sync_dir(path.parent().unwrap_or(Path::new("."))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path, e)),
    }
}

/// The terminal's own config layers: `(file, text)` of each of
/// `fleet.toml` … `terminal.toml` in `dir` that exists.
pub fn local_layers(dir: &Path) -> Result<BTreeMap<String, (String, String)>, FleetError> {
    let mut layers = BTreeMap::new();
    for layer in LAYERS {
        let path = dir.join(format!("{layer}.toml"));
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                layers.insert(layer.to_owned(), (path.display().to_string(), text));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&path, e)),
        }
    }
    Ok(layers)
}

/// A bundle held for one layer: its file's bytes and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// The bundle file as received.
    pub bytes: Vec<u8>,
    /// The verified bundle.
    pub bundle: ConfigBundle,
}

/// The bundles of one set (`current` or `good`), by layer, each verified
/// again with the pinned key; files that do not verify are left out (and
/// logged).
pub fn read_set(dir: &Path, key: &VerifyingKey) -> BTreeMap<String, Held> {
    let mut set = BTreeMap::new();
    for layer in LAYERS {
        let path = dir.join(format!("{layer}.json"));
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        match BundleFile::parse(&bytes).and_then(|f| f.open(key)) {
            Ok(bundle) if bundle.scope.layer() == layer => {
                set.insert(layer.to_owned(), Held { bytes, bundle });
            }
            Ok(bundle) => tracing::error!(
                file = %path.display(), scope = %bundle.scope, "held bundle is for another layer; ignored"
            ),
            Err(error) => {
                tracing::error!(file = %path.display(), %error, "held bundle does not verify; ignored")
            }
        }
    }
    set
}

/// The layers in force: for each scope, the terminal's own file and then
/// the bundle held for it.
pub fn effective_layers(
    local: &BTreeMap<String, (String, String)>,
    held: &BTreeMap<String, Held>,
) -> Vec<(String, String)> {
    let mut layers = Vec::new();
    for layer in LAYERS {
        layers.extend(local.get(layer).cloned());
        if let Some(h) = held.get(layer) {
            let file = format!("{layer}.toml");
            let text = h.bundle.files.get(&file).cloned().unwrap_or_default();
            layers.push((
                format!("bundle {}@{} ({file})", h.bundle.scope, h.bundle.version),
                text,
            ));
        }
    }
    layers
}

/// Keys only the terminal's own folder sets: what names it (and so its
/// scopes), the key that vouches for bundles, and what keeps it reachable —
/// the platform's URL and the key that vouches for catalogues, its TLS
/// identity and pinned CA. A bundle pointing any of these elsewhere would
/// cut the terminal off from the platform, and so from the bundle fixing
/// it (or hand it to another platform). Where its store is: the store
/// keeps the highest bundle version taken per scope, which a store moved
/// elsewhere would forget. And the file holding the fleet's PIN pepper:
/// the pepper never travels in a bundle, and a bundle naming another file
/// could swap in a pepper of its own choosing.
pub const OWN_KEYS: [(&str, &str); 11] = [
    ("terminal", "id"),
    ("terminal", "district_id"),
    ("terminal", "branch_id"),
    ("platform", "url"),
    ("platform", "public_key"),
    ("platform", "fleet_public_key"),
    ("platform", "ca_cert"),
    ("platform", "client_cert"),
    ("platform", "client_key"),
    ("store", "path"),
    ("staff", "pin_pepper_file"),
];

/// The first of [`OWN_KEYS`] a config layer's text sets, as
/// `section.key`, if any (text that is not TOML sets none: it is refused
/// as invalid anyway).
pub fn own_key_in(text: &str) -> Option<String> {
    let table = text.parse::<toml::Table>().ok()?;
    OWN_KEYS.iter().find_map(|(section, key)| {
        table
            .get(*section)
            .and_then(|t| t.get(*key))
            .map(|_| format!("{section}.{key}"))
    })
}

/// The first of [`OWN_KEYS`] a bundle's files set, if any.
fn sets_own_key(bundle: &ConfigBundle) -> Option<String> {
    bundle.files.values().find_map(|text| own_key_in(text))
}

/// Validates a set of layers. (What names the terminal and the fleet key
/// stay its own: a bundle that sets them is refused before this.)
fn validate(layers: &[(String, String)]) -> Result<Loaded, FleetError> {
    let loaded = kiosk_config::load_layers(layers).map_err(|e: ConfigErrors| {
        FleetError::Invalid(
            e.0.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    Ok(loaded)
}

/// Whether every device `config` enables can be opened: serial ports
/// exist and open, the A4 printer's TCP port accepts a connection. USB
/// devices are left to their services (they are found by id).
pub fn health_check(config: &Config) -> Result<(), String> {
    let d = &config.devices;
    let serial = |what: &str, path: &str| -> Result<(), String> {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map(drop)
            .map_err(|e| format!("{what} at {path} cannot be opened: {e}"))
    };
    if d.id_reader.enabled {
        serial("the ID card reader", &d.id_reader.path)?;
    }
    if d.scanner.enabled {
        serial("the scanner", &d.scanner.path)?;
    }
    if d.receipt_printer.enabled && d.receipt_printer.transport == "serial" {
        serial("the receipt printer", &d.receipt_printer.path)?;
    }
    if d.a4_printer.enabled && d.a4_printer.transport == "tcp" {
        let address: std::net::SocketAddr = d
            .a4_printer
            .address
            .parse()
            .map_err(|e| format!("the A4 printer's address: {e}"))?;
        std::net::TcpStream::connect_timeout(&address, Duration::from_secs(2))
            .map(drop)
            .map_err(|e| format!("the A4 printer at {address} cannot be reached: {e}"))?;
    }
    Ok(())
}

/// The terminal-state key prefix of the highest bundle version ever taken
/// for a scope (`fleet.highest.branch:SH-PD-0001`).
pub const HIGHEST_PREFIX: &str = "fleet.highest.";

/// The fleet config of one terminal: where its bundles live, its own
/// folder, the pinned key, its scopes and its store.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fleet {
    /// `DATA/fleet`.
    pub dir: PathBuf,
    /// The terminal's own config folder.
    pub config_dir: PathBuf,
    /// The pinned fleet key (from the terminal's own folder).
    pub key: VerifyingKey,
    /// The key as configured (base64), which no bundle may change.
    pub key_text: String,
    /// The scopes that apply to this terminal, broadest first.
    pub scopes: Vec<Scope>,
    /// The store (its place is the terminal's own): it keeps the highest
    /// version ever taken per scope, which files on disk cannot lower.
    pub store: PathBuf,
}

/// What considering a bundle came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Applied: the new config.
    Applied {
        /// Its scope.
        scope: Scope,
        /// Its version.
        version: u64,
        /// The config in force now.
        config: Box<Config>,
    },
    /// Not taken; the running config stays.
    Refused(ConfigProblem),
    /// Applied, failed its health check, and the last known good is back.
    RolledBack {
        /// Why.
        problem: ConfigProblem,
        /// The config in force again.
        config: Box<Config>,
    },
}

/// A bundle offered that passed every check before it is written.
struct Vetted {
    /// Its version.
    version: u64,
    /// Whether no bundle was held before it.
    first: bool,
    /// The bundles in force with it, by layer.
    next: BTreeMap<String, Held>,
    /// The config they make.
    loaded: Loaded,
}

/// Refuses a bundle offered for `scope`: logged, and the reason kept for
/// the heartbeat; the running config stays.
fn refused(scope: &Scope, version: u64, reason: String) -> Outcome {
    tracing::warn!(%scope, version, %reason, "config bundle refused; the running config stays");
    Outcome::Refused(ConfigProblem {
        scope: scope.clone(),
        version,
        action: "refused".into(),
        reason,
    })
}

/// How long opening the store may wait for another connection.
const STORE_BUSY: Duration = Duration::from_secs(2);

fn local_now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

impl Fleet {
    /// The fleet config of a terminal with `config` (its own folder's),
    /// or `None` when no fleet key is pinned.
    pub fn new(data_dir: &Path, config_dir: &Path, config: &Config) -> Option<Self> {
        let key_text = config.platform.fleet_public_key.clone();
        let key = tongban_platform_api::verifying_key(&key_text).ok()?;
        let t = &config.terminal;
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Some(Self {
            dir: data_dir.join("fleet"),
            config_dir: config_dir.to_owned(),
            key,
            key_text,
            scopes: Scope::chain(
                opt(&t.district_id).as_deref(),
                opt(&t.branch_id).as_deref(),
                &t.id,
            ),
            store: crate::paths::store_path(data_dir, config),
        })
    }

    /// A loaded config with the fleet key the terminal pins (the demo
    /// pins one its folder does not name).
    fn pinned(&self, mut loaded: Loaded) -> Loaded {
        loaded.config.platform.fleet_public_key = self.key_text.clone();
        loaded
    }

    fn current(&self) -> PathBuf {
        self.dir.join("current")
    }

    fn good(&self) -> PathBuf {
        self.dir.join("good")
    }

    fn open_store(&self) -> Result<Store, FleetError> {
        Store::open(&self.store, STORE_BUSY).map_err(|e| io(&self.store, e))
    }

    /// The highest version ever taken, per scope (`branch:SH-PD-0001`).
    pub fn highest(&self) -> Result<BTreeMap<String, u64>, FleetError> {
        let store = self.open_store()?;
        let states = store
            .states_with_prefix(HIGHEST_PREFIX)
            .map_err(|e| io(&self.store, e))?;
        Ok(states
            .into_iter()
            .filter_map(|(key, value, _)| {
                let scope = key.strip_prefix(HIGHEST_PREFIX)?.to_owned();
                Some((scope, value.parse().ok()?))
            })
            .collect())
    }

    /// Keeps the versions of `set` as the highest taken for their scopes
    /// (never lowering one).
    fn record_highest<'a>(
        &self,
        set: impl IntoIterator<Item = &'a Held>,
    ) -> Result<(), FleetError> {
        let mut store = self.open_store()?;
        let at = chrono::Local::now().to_rfc3339();
        for held in set {
            let key = format!("{HIGHEST_PREFIX}{}", held.bundle.scope);
            let known = store
                .state(&key)
                .map_err(|e| io(&self.store, e))?
                .and_then(|v| v.parse::<u64>().ok());
            if known.is_none_or(|v| v < held.bundle.version) {
                store
                    .set_state(&key, &held.bundle.version.to_string(), &at)
                    .map_err(|e| io(&self.store, e))?;
            }
        }
        Ok(())
    }

    /// The bundles of a set that are for this terminal's scopes now: a
    /// bundle held for a branch (or district) the terminal's own config no
    /// longer names does not apply.
    fn in_scope(&self, set: BTreeMap<String, Held>) -> BTreeMap<String, Held> {
        set.into_iter()
            .filter(|(_, h)| {
                let mine = self.scopes.contains(&h.bundle.scope);
                if !mine {
                    tracing::debug!(
                        scope = %h.bundle.scope,
                        "held bundle is for a scope this terminal no longer has; not applied"
                    );
                }
                mine
            })
            .collect()
    }

    /// What of a set may be in force at `now`, and why the rest is set
    /// aside: expired bundles stop applying at their expiry, and one older
    /// than a version already taken for its scope (a file put back on
    /// disk) never applies.
    fn usable(
        &self,
        set: BTreeMap<String, Held>,
        highest: &BTreeMap<String, u64>,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> (BTreeMap<String, Held>, Vec<ConfigProblem>) {
        let mut usable = BTreeMap::new();
        let mut aside = Vec::new();
        for (layer, h) in self.in_scope(set) {
            let b = &h.bundle;
            let problem = |action: &str, reason: String| ConfigProblem {
                scope: b.scope.clone(),
                version: b.version,
                action: action.into(),
                reason,
            };
            if let Some(&taken) = highest.get(&b.scope.to_string())
                && b.version < taken
            {
                aside.push(problem(
                    "refused",
                    format!(
                        "version {} for {} is older than version {taken} already taken; \
                         it is not applied again",
                        b.version, b.scope
                    ),
                ));
            } else if let Err(e @ BundleError::Expired { .. }) = b.check(&b.scope, None, now) {
                aside.push(problem("expired", format!("{e}; the layers below apply")));
            } else {
                usable.insert(layer, h);
            }
        }
        (usable, aside)
    }

    /// The bundles applied now and for this terminal's scopes, by layer
    /// (some may have expired since: see [`Fleet::applied_at`]).
    pub fn held(&self) -> BTreeMap<String, Held> {
        self.in_scope(read_set(&self.current(), &self.key))
    }

    /// The bundles in force at `now`, and those held but set aside (why,
    /// for the heartbeat).
    pub fn in_force_at(
        &self,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<(BTreeMap<String, Held>, Vec<ConfigProblem>), FleetError> {
        let highest = self.highest()?;
        Ok(self.usable(self.held(), &highest, now))
    }

    /// The district id among the scopes, if any.
    pub fn district(&self) -> Option<String> {
        self.scopes.iter().find_map(|s| match s {
            Scope::District(id) => Some(id.clone()),
            _ => None,
        })
    }

    /// The branch id among the scopes, if any.
    pub fn branch(&self) -> Option<String> {
        self.scopes.iter().find_map(|s| match s {
            Scope::Branch(id) => Some(id.clone()),
            _ => None,
        })
    }

    /// The bundle versions in force now (for the heartbeat).
    pub fn applied(&self) -> Vec<AppliedBundle> {
        self.applied_at(local_now())
    }

    /// The bundle versions in force at `now`: held, for this terminal's
    /// scopes, not expired, not older than one already taken.
    pub fn applied_at(&self, now: chrono::DateTime<chrono::FixedOffset>) -> Vec<AppliedBundle> {
        let set = match self.in_force_at(now) {
            Ok((set, _)) => set,
            Err(error) => {
                tracing::error!(%error, "fleet config: the versions taken cannot be read");
                BTreeMap::new()
            }
        };
        set.into_values()
            .map(|h| AppliedBundle {
                scope: h.bundle.scope,
                version: h.bundle.version,
            })
            .collect()
    }

    /// The bundles held but not in force at `now`, and why (expired, or
    /// older than a version already taken), for the heartbeat.
    pub fn problems_at(&self, now: chrono::DateTime<chrono::FixedOffset>) -> Vec<ConfigProblem> {
        self.in_force_at(now).map(|(_, p)| p).unwrap_or_default()
    }

    /// The config to start with (see [`Fleet::load_at`]), now.
    pub fn load(&self) -> Result<Loaded, FleetError> {
        self.load_at(local_now())
    }

    /// The config in force at `now`: the terminal's own layers with the
    /// applied bundles that are for its scopes, not expired and not older
    /// than a version already taken; if that does not hold (a file
    /// damaged, a rule changed, or — when the kiosk stopped before an
    /// applied set became the last known good — a device it enables that
    /// cannot be opened), the last known good; else the terminal's own
    /// alone.
    pub fn load_at(
        &self,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Loaded, FleetError> {
        let local = local_layers(&self.config_dir)?;
        let highest = self.highest()?;
        let (current, aside) = self.usable(read_set(&self.current(), &self.key), &highest, now);
        for problem in &aside {
            tracing::warn!(scope = %problem.scope, version = problem.version, reason = %problem.reason, "held config bundle set aside");
        }
        let (good, _) = self.usable(read_set(&self.good(), &self.key), &highest, now);
        let unproven = current != good;
        for (which, held) in [("current", current), ("last known good", good)] {
            if held.is_empty() && which == "current" {
                break;
            }
            let checked = validate(&effective_layers(&local, &held))
                .map(|l| self.pinned(l))
                .and_then(|loaded| match (which, unproven) {
                    ("current", true) => health_check(&loaded.config)
                        .map(|()| loaded)
                        .map_err(FleetError::Health),
                    _ => Ok(loaded),
                });
            match checked {
                Ok(loaded) => {
                    if which != "current" {
                        tracing::warn!(
                            "fleet config: the applied bundles do not hold; running the last known good"
                        );
                        self.restore_good()?;
                    } else if unproven {
                        // It passed its health check now: it is the last
                        // known good from here on.
                        self.promote_good()?;
                    }
                    self.record_highest(held.values())?;
                    return Ok(loaded);
                }
                Err(error) => tracing::error!(%error, set = which, "fleet config set not usable"),
            }
        }
        validate(&effective_layers(&local, &BTreeMap::new())).map(|l| self.pinned(l))
    }

    /// Considers a bundle file offered for `scope` (fetched, or from any
    /// static server): checked, applied, health-checked, kept or rolled
    /// back. `now` is when (for expiry).
    pub fn consider(
        &self,
        scope: &Scope,
        bytes: &[u8],
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Outcome {
        let vetted = match self.vet(scope, bytes, now) {
            Ok(v) => v,
            Err(refusal) => return refusal,
        };
        let version = vetted.version;
        // Before the first bundle, what runs now is the last known good.
        if vetted.first
            && let Err(e) = self.promote_good()
        {
            return refused(scope, version, e.to_string());
        }
        let target = self.current().join(format!("{}.json", scope.layer()));
        if let Err(e) = write_atomically(&target, bytes) {
            return refused(scope, version, e.to_string());
        }
        tracing::info!(%scope, version, "config bundle written");
        match health_check(&vetted.loaded.config) {
            Ok(()) => self.keep(scope, version, &vetted.next, vetted.loaded),
            Err(reason) => self.roll_back(scope, version, reason, now),
        }
    }

    /// Every check of a bundle offered for `scope` before anything is
    /// written — signature, scope, version, expiry, what only the
    /// terminal sets, the merged config valid — or the refusal.
    fn vet(
        &self,
        scope: &Scope,
        bytes: &[u8],
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Vetted, Outcome> {
        let bundle = BundleFile::parse(bytes)
            .and_then(|f| f.open(&self.key))
            .map_err(|e| refused(scope, 0, e.to_string()))?;
        let version = bundle.version;
        let refuse = |reason: String| refused(scope, version, reason);
        if bundle.scope == *scope && !self.scopes.contains(scope) {
            return Err(refuse(format!(
                "{scope} is not one of this terminal's scopes"
            )));
        }
        let highest = self.highest().map_err(|e| refuse(e.to_string()))?;
        // Versions count per scope, and a version once taken stays taken
        // whatever the files on disk say: a bundle must be newer than the
        // one held, and never older than the highest taken. The highest
        // itself is taken again when the terminal no longer holds it (its
        // fleet folder lost, or the store moved to a new data folder):
        // otherwise it would run without its scope's bundle until the next
        // version.
        let held = self.held();
        let (in_force, _) = self.usable(held.clone(), &highest, now);
        let held_here = held
            .get(scope.layer())
            .filter(|h| h.bundle.scope == *scope)
            .map(|h| h.bundle.version);
        let taken = highest.get(&scope.to_string()).copied();
        let floor = match (held_here, taken) {
            (Some(h), t) => Some(h.max(t.unwrap_or(0))),
            (None, Some(t)) if version < t => {
                return Err(refuse(format!(
                    "version {version} for {scope} is older than version {t} already taken"
                )));
            }
            (None, _) => None,
        };
        bundle
            .check(scope, floor, now)
            .map_err(|e| refuse(e.to_string()))?;
        let local = local_layers(&self.config_dir).map_err(|e| refuse(e.to_string()))?;
        if let Some(key) = sets_own_key(&bundle) {
            return Err(refuse(FleetError::OwnKey(key).to_string()));
        }
        let mut next = in_force;
        next.insert(
            scope.layer().to_owned(),
            Held {
                bytes: bytes.to_vec(),
                bundle,
            },
        );
        let loaded = validate(&effective_layers(&local, &next))
            .map(|l| self.pinned(l))
            .map_err(|e| refuse(e.to_string()))?;
        Ok(Vetted {
            version,
            first: held.is_empty(),
            next,
            loaded,
        })
    }

    /// Keeps a bundle written that passed its health check: its set is
    /// the last known good from here on, its versions the highest taken.
    fn keep(
        &self,
        scope: &Scope,
        version: u64,
        next: &BTreeMap<String, Held>,
        loaded: Loaded,
    ) -> Outcome {
        if let Err(error) = self.promote_good() {
            tracing::error!(%error, "config applied but not kept as last known good");
        }
        if let Err(error) = self.record_highest(next.values()) {
            tracing::error!(%error, "config applied but its version not kept as taken");
        }
        tracing::info!(%scope, version, "config bundle applied");
        Outcome::Applied {
            scope: scope.clone(),
            version,
            config: Box::new(loaded.config),
        }
    }

    /// Puts the last known good back after a bundle written failed its
    /// health check for `reason`, and loads what is in force again.
    fn roll_back(
        &self,
        scope: &Scope,
        version: u64,
        reason: String,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Outcome {
        tracing::warn!(%scope, version, %reason, "config bundle failed its health check; rolling back");
        let problem = ConfigProblem {
            scope: scope.clone(),
            version,
            action: "rolled_back".into(),
            reason: format!("health check: {reason}"),
        };
        let back = self.restore_good().and_then(|()| self.load_at(now));
        match back {
            Ok(loaded) => Outcome::RolledBack {
                problem,
                config: Box::new(loaded.config),
            },
            Err(error) => {
                tracing::error!(%error, "rollback failed");
                Outcome::Refused(ConfigProblem {
                    reason: format!("{}; rollback failed: {error}", problem.reason),
                    ..problem
                })
            }
        }
    }

    /// Keeps the applied set as the last known good.
    fn promote_good(&self) -> Result<(), FleetError> {
        self.copy_set(&self.current(), &self.good())
    }

    /// Puts the last known good set back in force.
    fn restore_good(&self) -> Result<(), FleetError> {
        self.copy_set(&self.good(), &self.current())
    }

    fn copy_set(&self, from: &Path, to: &Path) -> Result<(), FleetError> {
        std::fs::create_dir_all(to).map_err(|e| io(to, e))?;
        for layer in LAYERS {
            let source = from.join(format!("{layer}.json"));
            let target = to.join(format!("{layer}.json"));
            match std::fs::read(&source) {
                Ok(bytes) => write_atomically(&target, &bytes)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => remove_durably(&target)?,
                Err(e) => return Err(io(&source, e)),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
