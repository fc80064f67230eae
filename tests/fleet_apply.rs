//! A kiosk killed at any moment while it applies fleet config leaves a
//! valid config on disk: this test runs the applying code in a child
//! process (itself, re-run with an environment variable) taking bundle
//! after bundle — healthy ones and ones that fail their health check and
//! roll back — and kills it with SIGKILL after a random delay, well over
//! a hundred times; after each kill the terminal's config loads, is one of
//! the configs the bundles make, and every held file verifies.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use tongban::fleet::{LAYERS, read_set};
use tongban_platform_api::fleet::{BundleFile, ConfigBundle, Scope, sample_fleet_signing_key};

use terminal::{Lcg, open_terminal, terminal};
use tongban_testkit::terminal;

const LOOP_VAR: &str = "TONGBAN_FLEET_APPLY_LOOP";
const TEST: &str = "killing_the_kiosk_while_it_applies_always_leaves_a_valid_config";

/// Bundle `version` for `scope`: every third one names a receipt printer
/// port that does not exist (it rolls back); the others set a banner that
/// says their version.
fn bundle(scope: &Scope, version: u64) -> Vec<u8> {
    let now = chrono::Local::now();
    let text = if version.is_multiple_of(3) {
        "[devices.receipt_printer]\nenabled = true\npath = \"/dev/ttyTONGBAN-NOPE\"\n".to_owned()
    } else {
        format!("[service]\nbanner.en = \"{} v{version}\"\n", scope.layer())
    };
    let b = ConfigBundle {
        scope: scope.clone(),
        version,
        issued_at: now.to_rfc3339(),
        expires_at: (now + chrono::Duration::days(1)).to_rfc3339(),
        files: BTreeMap::from([(format!("{}.toml", scope.layer()), text)]),
    };
    serde_json::to_vec(&BundleFile::seal(&sample_fleet_signing_key(), &b)).unwrap()
}

/// The child: applies bundles to the branch and district scopes in turn,
/// for ever (until killed).
fn apply_forever(dir: &Path) -> ! {
    let fleet = open_terminal(dir);
    let scopes: [Scope; 2] = [
        "branch:SH-PD-0001".parse().unwrap(),
        "district:PD".parse().unwrap(),
    ];
    loop {
        for scope in &scopes {
            let held = fleet
                .held()
                .get(scope.layer())
                .map_or(0, |h| h.bundle.version);
            let _ = fleet.consider(
                scope,
                &bundle(scope, held + 1),
                chrono::Local::now().fixed_offset(),
            );
        }
    }
}

#[test]
fn killing_the_kiosk_while_it_applies_always_leaves_a_valid_config() {
    if let Some(dir) = std::env::var_os(LOOP_VAR) {
        apply_forever(Path::new(&dir));
    }
    let dir = tempfile::tempdir().unwrap();
    let fleet = terminal(dir.path());
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Lcg(seed);
    let me = std::env::current_exe().unwrap();
    let mut applied_at_some_point = 0;
    for run in 0..120 {
        let mut child = Command::new(&me)
            .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
            .env(LOOP_VAR, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The child needs a few milliseconds to start; then it writes.
        std::thread::sleep(Duration::from_millis(15 + rng.next(120)));
        child.kill().unwrap();
        child.wait().unwrap();
        // What is on disk: every held file whole and verified, and a
        // config that loads.
        for set in ["current", "good"] {
            let folder = dir.path().join("data/fleet").join(set);
            let held = read_set(&folder, &fleet.key);
            for layer in LAYERS {
                let path = folder.join(format!("{layer}.json"));
                if path.exists() {
                    assert!(
                        held.contains_key(layer),
                        "run {run} (seed {seed}): {} is torn",
                        path.display()
                    );
                }
            }
        }
        let loaded = fleet
            .load()
            .unwrap_or_else(|e| panic!("run {run} (seed {seed}): no valid config: {e}"));
        let banner = &loaded.config.service.banner.en;
        assert!(
            banner.is_empty() || banner.starts_with("branch v") || banner.starts_with("district v"),
            "run {run}: {banner:?}"
        );
        // Never the broken printer port.
        assert!(
            !loaded.config.devices.receipt_printer.enabled,
            "run {run} (seed {seed}): a config that failed its health check is in force"
        );
        if !fleet.applied().is_empty() {
            applied_at_some_point += 1;
        }
    }
    assert!(
        applied_at_some_point > 60,
        "the child applied bundles in only {applied_at_some_point} of 120 runs"
    );
}

/// Pushes a bundle to the reference platform as `kioskctl config push`
/// does.
fn push(platform: &tongban_platform::Platform, scope: &Scope, bytes: Vec<u8>) -> u16 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        reqwest::Client::new()
            .put(format!("{}/v1/fleet/bundles/{scope}", platform.url()))
            .body(bytes)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
}

/// The reference platform and a terminal's platform thread talking to it
/// with a heartbeat every 300 ms; stopped when dropped.
struct Synced {
    platform: tongban_platform::Platform,
    events: std::sync::mpsc::Receiver<tongban::platform::PlatformEvent>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Synced {
    /// The platform's database in `dir`, the terminal's folder there too
    /// and its store at `store` under it.
    fn start(dir: &Path, store: &str) -> Self {
        use tongban::platform::PlatformService;
        use tongban_platform::{Options, Platform};
        let platform = Platform::start(Options::sample_in(dir).unwrap()).unwrap();
        let service = PlatformService {
            url: platform.url(),
            public_key: tongban_platform_api::key_base64(
                &tongban_platform_api::sample_signing_key().verifying_key(),
            ),
            terminal: "SH-PD-0001-01".into(),
            store: dir.join(store),
            heartbeat: Duration::from_millis(300),
            catalogue_every: Duration::from_secs(600),
            refused_keep: Duration::from_secs(7 * 86_400),
            fleet: Some(terminal(dir)),
            tls: None,
        };
        let (tx, events) = std::sync::mpsc::channel();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = std::thread::spawn({
            let stop = std::sync::Arc::clone(&stop);
            move || tongban::platform::run_service(&service, &stop, &mut |e| drop(tx.send(e)))
        });
        Self {
            platform,
            events,
            stop,
            thread: Some(thread),
        }
    }

    /// The next config the thread hands the UI (within 10 s).
    fn next_config(&self) -> std::sync::Arc<kiosk_config::Config> {
        use tongban::platform::{ConfigData, PlatformEvent};
        loop {
            match self.events.recv_timeout(Duration::from_secs(10)) {
                Ok(PlatformEvent::Config(ConfigData(config))) => return config,
                Ok(_) => {}
                Err(e) => panic!("no config came: {e}"),
            }
        }
    }

    /// Whether the terminal's last heartbeat comes to satisfy `test`
    /// within 5 s.
    fn reports(&self, test: impl Fn(&tongban_platform_api::terminal::Heartbeat) -> bool) -> bool {
        (0..50).any(|_| {
            std::thread::sleep(Duration::from_millis(100));
            self.platform
                .heartbeats("SH-PD-0001-01")
                .last()
                .is_some_and(&test)
        })
    }
}

impl Drop for Synced {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

/// A bundle for `scope` of `version`, in force for `lasts` from now, with
/// `branch.toml` holding `toml`, sealed by the sample fleet key.
fn sealed(scope: &Scope, version: u64, lasts: chrono::Duration, toml: String) -> Vec<u8> {
    let now = chrono::Local::now();
    let b = ConfigBundle {
        scope: scope.clone(),
        version,
        issued_at: now.to_rfc3339(),
        expires_at: (now + lasts).to_rfc3339(),
        files: BTreeMap::from([("branch.toml".into(), toml)]),
    };
    serde_json::to_vec(&BundleFile::seal(&sample_fleet_signing_key(), &b)).unwrap()
}

#[test]
fn a_pushed_bundle_reaches_the_terminal_with_the_next_heartbeat_and_a_broken_one_rolls_back() {
    let dir = tempfile::tempdir().unwrap();
    let synced = Synced::start(dir.path(), "kiosk.db");
    let branch: Scope = "branch:SH-PD-0001".parse().unwrap();
    let day = chrono::Duration::days(1);
    let banner = sealed(
        &branch,
        1,
        day,
        "[service]\nbanner.zh = \"第 1 版\"\n".into(),
    );
    assert_eq!(push(&synced.platform, &branch, banner) / 100, 2);
    let config = synced.next_config();
    assert_eq!(config.service.banner.zh, "第 1 版");
    // The fleet view shows the version the terminal runs.
    let ran = synced.reports(|t| t.config.iter().any(|a| a.scope == branch && a.version == 1));
    assert!(ran, "the heartbeat reports branch:SH-PD-0001@1");
    // A bundle whose printer port does not exist: rolled back, and the
    // fleet view says so.
    let broken = "[devices.receipt_printer]\nenabled = true\npath = \"/dev/ttyTONGBAN-NOPE\"\n";
    let broken = sealed(&branch, 2, day, broken.into());
    assert_eq!(push(&synced.platform, &branch, broken) / 100, 2);
    let config = synced.next_config();
    assert_eq!(config.service.banner.zh, "第 1 版", "the last known good");
    assert!(!config.devices.receipt_printer.enabled);
    let reported = synced.reports(|t| {
        t.config_problem.as_ref().is_some_and(|p| {
            p.version == 2 && p.action == "rolled_back" && p.reason.contains("ttyTONGBAN-NOPE")
        })
    });
    assert!(reported, "the heartbeat reports the rollback");
}

/// A bundle that expires while the kiosk runs stops applying at its
/// expiry: the UI gets the config of the layers below it, and the
/// heartbeat no longer lists it and reports it expired. Fails on e372035:
/// the expired bundle stayed in force, and nothing was reported.
#[test]
fn a_bundle_expiring_while_the_kiosk_runs_stops_applying_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let synced = Synced::start(dir.path(), "data/tongban.db");
    let branch: Scope = "branch:SH-PD-0001".parse().unwrap();
    let now = chrono::Local::now();
    let toml = "[service]\nbanner.en = \"until it expires\"\n".into();
    let bytes = sealed(&branch, 1, chrono::Duration::seconds(3), toml);
    assert_eq!(push(&synced.platform, &branch, bytes) / 100, 2);
    assert_eq!(synced.next_config().service.banner.en, "until it expires");
    let config = synced.next_config();
    assert!(
        chrono::Local::now() >= now + chrono::Duration::seconds(3),
        "a new config came before the expiry"
    );
    assert_eq!(config.service.banner.en, "", "the layers below");
    let reported = synced.reports(|t| {
        t.config.is_empty()
            && t.config_problem
                .as_ref()
                .is_some_and(|p| p.version == 1 && p.action == "expired")
    });
    assert!(reported, "the heartbeat reports the expiry");
}
