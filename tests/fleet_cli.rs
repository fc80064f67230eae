//! Fleet config push as a fleet admin meets it, through the `kioskctl`
//! binary against the reference platform on a real port: a fleet key made
//! with `keygen`, a config layer signed with it, pushed, served back byte
//! for byte and never replayed; bundles signed with another key, broken or
//! missing layers and bad key files refused, each saying why; and the
//! fleet's health from the terminals' heartbeats as `fleet status` lists
//! it.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine as _;
use tongban_platform::{Options, Platform};
use tongban_platform_api::ed25519_dalek::SigningKey;
use tongban_platform_api::fleet::{AppliedBundle, BundleFile, ConfigProblem, Scope};
use tongban_platform_api::paths;
use tongban_platform_api::terminal::{DeviceReport, Heartbeat, Supply};

/// A branch layer that validates over the defaults (and sets nothing only
/// a terminal's own config sets: signing refuses that).
const BRANCH_LAYER: &str = "[service]\nhotline = \"021-12345\"\nbanner.en = \"Open on Saturday\"\n";

fn kioskctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(args)
        .output()
        .unwrap()
}

/// `kioskctl` that must succeed: its standard output.
fn ok(args: &[&str]) -> String {
    let out = kioskctl(args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `kioskctl` that must fail with exit code 1: its standard error.
fn fails(args: &[&str]) -> String {
    let out = kioskctl(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?}: {}{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn platform(dir: &Path) -> Platform {
    Platform::start(Options::sample_in(dir).unwrap()).unwrap()
}

/// Runs one call on a runtime of its own, as the tests' other side.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// `keygen --out DIR`: the key pair's paths.
fn keygen(dir: &Path) -> (PathBuf, PathBuf) {
    ok(&["keygen", "--out", s(dir)]);
    (dir.join("fleet.key"), dir.join("fleet.pub"))
}

/// A config folder holding one layer.
fn config_dir(parent: &Path, name: &str, file: &str, text: &str) -> PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(file), text).unwrap();
    dir
}

#[test]
fn keygen_writes_a_private_key_and_the_public_key_to_pin_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let keys = tmp.path().join("keys");
    let stdout = ok(&["keygen", "--out", s(&keys)]);
    let secret = keys.join("fleet.key");
    let public = keys.join("fleet.pub");

    let mode = std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let seed_text = std::fs::read_to_string(&secret).unwrap();
    assert_eq!(seed_text.lines().count(), 1, "{seed_text:?}");
    let seed: [u8; 32] = base64::engine::general_purpose::STANDARD
        .decode(seed_text.trim())
        .unwrap()
        .try_into()
        .unwrap();
    let key = SigningKey::from_bytes(&seed);
    let pinned = tongban_platform_api::key_base64(&key.verifying_key());
    assert_eq!(
        std::fs::read_to_string(&public).unwrap(),
        format!("{pinned}\n")
    );
    // The form the kiosk pins, and where to pin it.
    assert_eq!(
        tongban_platform_api::verifying_key(&pinned).unwrap(),
        key.verifying_key()
    );
    assert!(stdout.contains(&pinned), "{stdout}");
    assert!(stdout.contains("platform.fleet_public_key"), "{stdout}");
    assert!(stdout.contains("fleet.toml"), "{stdout}");
    assert!(!stdout.contains(seed_text.trim()), "the secret was printed");

    // Again into the same folder: refused, the key kept.
    let stderr = fails(&["keygen", "--out", s(&keys)]);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(stderr.contains(s(&secret)), "{stderr}");
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), seed_text);
    assert_eq!(
        std::fs::read_to_string(&public).unwrap(),
        format!("{pinned}\n")
    );

    // Each key is new.
    let (other, _) = keygen(&tmp.path().join("other"));
    assert_ne!(std::fs::read_to_string(other).unwrap(), seed_text);
}

#[test]
fn a_signed_bundle_is_pushed_served_back_as_signed_and_never_replayed() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, public) = keygen(&tmp.path().join("keys"));
    let config = config_dir(tmp.path(), "config", "branch.toml", BRANCH_LAYER);
    let bundle_path = tmp.path().join("branch-3.json");
    let stdout = ok(&[
        "config",
        "sign",
        "--key",
        s(&key),
        "--scope",
        "branch:SH-PD-0001",
        "--version",
        "3",
        s(&config),
        "--out",
        s(&bundle_path),
    ]);
    let bytes = std::fs::read(&bundle_path).unwrap();
    let digest = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&bytes));
    for expected in ["branch:SH-PD-0001", "version:  3", "(in 30 days)", &digest] {
        assert!(stdout.contains(expected), "{expected:?} in {stdout}");
    }

    // The file opens with the public key and carries the layer as written,
    // valid for 30 days from now.
    let pinned =
        tongban_platform_api::verifying_key(&std::fs::read_to_string(&public).unwrap()).unwrap();
    let bundle = BundleFile::parse(&bytes).unwrap().open(&pinned).unwrap();
    assert_eq!(bundle.scope, "branch:SH-PD-0001".parse::<Scope>().unwrap());
    assert_eq!(bundle.version, 3);
    assert_eq!(bundle.files["branch.toml"], BRANCH_LAYER);
    assert_eq!(bundle.files.len(), 1);
    let expires = chrono::DateTime::parse_from_rfc3339(&bundle.expires_at).unwrap();
    let issued = chrono::DateTime::parse_from_rfc3339(&bundle.issued_at).unwrap();
    assert_eq!(expires - issued, chrono::Duration::days(30));
    let since = chrono::Local::now().fixed_offset() - issued;
    assert!(since.num_seconds().abs() < 120, "issued {issued}");
    assert!(stdout.contains(&bundle.expires_at), "{stdout}");

    let server = platform(tmp.path());
    server.set_fleet_key(pinned);
    let url = server.url();
    let stdout = ok(&["config", "push", "--platform", &url, s(&bundle_path)]);
    assert!(
        stdout.contains("pushed:   branch:SH-PD-0001 version 3"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{url}/v1/fleet/bundles/branch:SH-PD-0001")),
        "{stdout}"
    );

    // The platform serves the file exactly as signed.
    let served = block_on(async {
        let response = reqwest::get(format!(
            "{url}{}",
            paths::bundle(&"branch:SH-PD-0001".parse().unwrap())
        ))
        .await
        .unwrap();
        assert_eq!(response.status(), 200);
        response.bytes().await.unwrap()
    });
    assert_eq!(served.as_ref(), bytes.as_slice());

    // The same version again: refused, with the platform's reason.
    let stderr = fails(&["config", "push", "--platform", &url, s(&bundle_path)]);
    assert!(stderr.contains("409"), "{stderr}");
    assert!(
        stderr.contains("version 3 for branch:SH-PD-0001 is not newer than version 3"),
        "{stderr}"
    );

    // A newer bundle signed with another key: refused as forged.
    let (stranger, _) = keygen(&tmp.path().join("stranger"));
    let forged = tmp.path().join("branch-4.json");
    ok(&[
        "config",
        "sign",
        "--key",
        s(&stranger),
        "--scope",
        "branch:SH-PD-0001",
        "--version",
        "4",
        "--expires-in-days",
        "1",
        s(&config),
        "--out",
        s(&forged),
    ]);
    let stderr = fails(&["config", "push", "--platform", &url, s(&forged)]);
    assert!(stderr.contains("403"), "{stderr}");
    assert!(stderr.contains("signature"), "{stderr}");
    assert!(stderr.contains("fleet key"), "{stderr}");
    // Still version 3 served.
    let served = block_on(async {
        reqwest::get(format!("{url}/v1/fleet/bundles/branch:SH-PD-0001"))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
    });
    assert_eq!(served.as_ref(), bytes.as_slice());

    // A file that is not a bundle is refused before anything is sent.
    let stderr = fails(&["config", "push", "--platform", &url, s(&public)]);
    assert!(stderr.contains("not a config bundle file"), "{stderr}");

    // Nobody listening: the URL that could not be reached is named.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let stderr = fails(&["config", "push", "--platform", &closed, s(&bundle_path)]);
    assert!(
        stderr.contains(&format!(
            "cannot reach the platform at {closed}/v1/fleet/bundles/branch:SH-PD-0001"
        )),
        "{stderr}"
    );

    // Only http(s) platforms.
    let stderr = fails(&[
        "config",
        "push",
        "--platform",
        "ftp://127.0.0.1/",
        s(&bundle_path),
    ]);
    assert!(stderr.contains("http:// or https://"), "{stderr}");
}

#[test]
fn sign_refuses_a_broken_or_missing_layer_and_a_key_that_is_not_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, public) = keygen(&tmp.path().join("keys"));
    let out = tmp.path().join("bundle.json");
    let sign = |key: &Path, scope: &str, dir: &Path| {
        kioskctl(&[
            "config",
            "sign",
            "--key",
            s(key),
            "--scope",
            scope,
            "--version",
            "1",
            s(dir),
            "--out",
            s(&out),
        ])
    };
    let stderr_of = |out: &Output| String::from_utf8_lossy(&out.stderr).into_owned();

    // A layer with errors: every one, with file, line and key.
    let broken = config_dir(
        tmp.path(),
        "broken",
        "branch.toml",
        "[ui]\ndefualt_language = \"en\"\n\n[session]\ncountdown_secs = 5\n",
    );
    let result = sign(&key, "branch:SH-PD-0001", &broken);
    let stderr = stderr_of(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("2 error(s)"), "{stderr}");
    for expected in [
        "branch.toml:2: ui.defualt_language: unknown key (did you mean `ui.default_language`?)",
        "branch.toml:5: session.countdown_secs: out of range",
        "nothing signed",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in {stderr}");
    }
    assert!(!out.exists());

    // The scope's layer is not in the folder (another layer is).
    let good = config_dir(tmp.path(), "good", "branch.toml", BRANCH_LAYER);
    let result = sign(&key, "district:PD", &good);
    let stderr = stderr_of(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{} is missing", s(&good.join("district.toml")))),
        "{stderr}"
    );
    assert!(!out.exists());

    // The public key is not the fleet key, nor is anything else.
    let result = sign(&public, "branch:SH-PD-0001", &good);
    let stderr = stderr_of(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("holds the public key"), "{stderr}");
    let junk = tmp.path().join("junk.key");
    std::fs::write(&junk, "not a key\n").unwrap();
    let result = sign(&junk, "branch:SH-PD-0001", &good);
    let stderr = stderr_of(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is not a fleet key"), "{stderr}");
    assert!(stderr.contains("32-byte"), "{stderr}");
    assert!(!out.exists());

    // A key others can read: signed, with a warning.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let result = sign(&key, "branch:SH-PD-0001", &good);
    let stderr = stderr_of(&result);
    assert!(result.status.success(), "{stderr}");
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("0644"), "{stderr}");
    assert!(stderr.contains("chmod 600"), "{stderr}");
    assert!(out.exists());

    // Scopes, versions and validity outside what a bundle takes.
    for (flag, value) in [
        ("--scope", "branch:sh-pd"),
        ("--version", "0"),
        ("--expires-in-days", "0"),
        ("--expires-in-days", "366"),
    ] {
        let mut args = vec![
            "config",
            "sign",
            "--key",
            s(&key),
            "--scope",
            "fleet",
            "--version",
            "1",
            s(&good),
            "--out",
            s(&out),
        ];
        match args.iter().position(|a| *a == flag) {
            Some(at) => args[at + 1] = value,
            None => args.extend([flag, value]),
        }
        let result = kioskctl(&args);
        assert_eq!(result.status.code(), Some(2), "{flag} {value}");
        assert!(stderr_of(&result).contains(value), "{flag} {value}");
    }
}

/// A heartbeat of a terminal in the Pudong or Huangpu district.
fn beat(terminal: &str, branch: &str) -> Heartbeat {
    let district = branch.split('-').nth(1).unwrap();
    Heartbeat {
        terminal: terminal.into(),
        at: chrono::Local::now().to_rfc3339(),
        catalogue_version: Some(1),
        district: Some(district.into()),
        branch: Some(branch.into()),
        config: vec![AppliedBundle {
            scope: Scope::Fleet,
            version: 3,
        }],
        config_problem: None,
        devices: [
            "id_card_reader",
            "qr_scanner",
            "receipt_printer",
            "a4_printer",
        ]
        .iter()
        .map(|kind| DeviceReport {
            kind: (*kind).into(),
            state: "online".into(),
            detail: None,
        })
        .collect(),
        supplies: vec![
            Supply {
                name: "a4_sheets".into(),
                remaining: 450,
            },
            Supply {
                name: "receipt_mm".into(),
                remaining: 61_000,
            },
        ],
        outbox_depth: 0,
        staff_actions: Vec::new(),
        disk: None,
    }
}

fn send(url: &str, beat: &Heartbeat) {
    block_on(async {
        let response = reqwest::Client::new()
            .post(format!("{url}{}", paths::heartbeat(&beat.terminal)))
            .json(beat)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
    });
}

#[test]
fn fleet_status_lists_each_terminals_config_devices_and_supplies_by_branch() {
    let tmp = tempfile::tempdir().unwrap();
    let server = platform(tmp.path());
    let url = server.url();

    let status = |filter: &[&str]| {
        let mut args = vec!["fleet", "status", "--platform", url.as_str()];
        args.extend_from_slice(filter);
        ok(&args)
    };
    let stdout = status(&[]);
    assert!(
        stdout.contains("No terminal has sent a heartbeat"),
        "{stdout}"
    );

    // Pudong 0001-02: paper out, a rolled-back branch bundle, a backlog.
    let mut troubled = beat("SH-PD-0001-02", "SH-PD-0001");
    troubled.config.push(AppliedBundle {
        scope: "branch:SH-PD-0001".parse().unwrap(),
        version: 7,
    });
    troubled.config_problem = Some(ConfigProblem {
        scope: "branch:SH-PD-0001".parse().unwrap(),
        version: 8,
        action: "rolled_back".into(),
        reason: "the kiosk did not come back up".into(),
    });
    troubled.devices[3].state = "user_error".into();
    troubled.devices[3].detail = Some("paper_out".into());
    troubled.devices[1].state = "no_device".into();
    troubled.supplies[0].remaining = 0;
    troubled.outbox_depth = 12;
    send(&url, &troubled);
    let mut fine = beat("SH-PD-0001-01", "SH-PD-0001");
    fine.config.insert(
        0,
        AppliedBundle {
            scope: "branch:SH-PD-0001".parse().unwrap(),
            version: 7,
        },
    );
    send(&url, &fine);
    send(&url, &beat("SH-HP-0003-01", "SH-HP-0003"));

    let stdout = status(&[]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines[0].starts_with("TERMINAL"), "{stdout}");
    // By branch, then terminal.
    let order: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(order, ["SH-HP-0003-01", "SH-PD-0001-01", "SH-PD-0001-02"]);
    let row = |terminal: &str| {
        *lines
            .iter()
            .find(|l| l.starts_with(terminal))
            .unwrap_or_else(|| panic!("{terminal} in {stdout}"))
    };
    let hp = row("SH-HP-0003-01");
    for expected in ["SH-HP-0003", " ago", "fleet:3", " ok ", "450", "61000"] {
        assert!(hp.contains(expected), "{expected:?} in {hp}");
    }
    assert!(
        row("SH-PD-0001-01").contains("fleet:3 branch:7"),
        "{stdout}"
    );
    let pd = row("SH-PD-0001-02");
    for expected in [
        "fleet:3 branch:7",
        "a4_printer=user_error(paper_out)",
        " 12 ",
        "branch:8 rolled_back: the kiosk did not come back up",
    ] {
        assert!(pd.contains(expected), "{expected:?} in {pd}");
    }
    assert!(!pd.contains("qr_scanner"), "{pd}");
    let cells: Vec<&str> = pd.split_whitespace().collect();
    let paper = cells
        .iter()
        .position(|c| c.starts_with("a4_printer"))
        .unwrap();
    assert_eq!(&cells[paper + 1..paper + 4], ["0", "61000", "12"], "{pd}");

    // One branch, one district.
    let stdout = status(&["--branch", "SH-PD-0001"]);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(!stdout.contains("SH-HP-0003"), "{stdout}");
    let stdout = status(&["--district", "HP"]);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.contains("SH-HP-0003-01"), "{stdout}");
    let stdout = status(&["--branch", "SH-XX-0009"]);
    assert!(
        stdout.contains("No terminal of branch SH-XX-0009"),
        "{stdout}"
    );

    // JSON as the platform answered it, for scripts.
    let stdout = status(&["--branch", "SH-PD-0001", "--json"]);
    assert!(stdout.starts_with("[\n  {\n    \"terminal\": "), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 2, "{stdout}");
    let pd = list
        .iter()
        .find(|t| t["terminal"] == "SH-PD-0001-02")
        .unwrap();
    assert_eq!(pd["config_problem"]["version"], 8);
    assert_eq!(pd["outbox_depth"], 12);
    assert_eq!(pd["devices"][3]["detail"], "paper_out");

    // A filter that is not an id, and a platform that is away.
    let result = kioskctl(&["fleet", "status", "--platform", &url, "--branch", "sh pd"]);
    assert_eq!(result.status.code(), Some(2));
    server.faults().set_status(503);
    let stderr = fails(&["fleet", "status", "--platform", &url]);
    assert!(stderr.contains("503 Service Unavailable"), "{stderr}");
}
