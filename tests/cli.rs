//! The binaries as an admin or installer meets them: `kioskctl config check`
//! on good and bad folders, `kioskctl show` reading a terminal's store
//! without changing it, and the kiosk refusing to start on a bad config
//! or a damaged database, saying why — before any window opens.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs `kioskctl config check` on a folder of the repository.
fn config_check(dir: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(["config", "check"])
        .arg(repo(dir))
        .output()
        .unwrap()
}

/// Runs the kiosk with no display, as a misconfigured service would.
fn kiosk(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tongban"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

/// The kiosk started with the config folder `config` and data in `data`.
fn kiosk_on(config: &Path, data: &Path) -> std::process::Output {
    kiosk(&[
        "--config".as_ref(),
        config.as_ref(),
        "--data-dir".as_ref(),
        data.as_ref(),
    ])
}

#[test]
fn config_check_prints_the_merged_config_with_the_layer_of_each_key() {
    let out = config_check("kiosk-config/demo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("valid"), "{stdout}");
    assert!(stdout.contains("id = \"SH-PD-0001-01\"  # "), "{stdout}");
    assert!(stdout.contains("terminal.toml"), "{stdout}");
    assert!(stdout.contains("home = 120  # <defaults>"), "{stdout}");
}

#[test]
fn config_check_lists_every_error_with_file_line_and_key_and_fails() {
    let out = config_check("kiosk-config/examples/broken");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("3 error(s)"), "{stderr}");
    for expected in [
        "terminal.toml:5: ui.defualt_language: unknown key (did you mean `ui.default_language`?)",
        "terminal.toml:8: service.in_service: wrong type: expected a boolean (true or false), found a string",
        "terminal.toml:11: session.idle_timeout_secs.form: out of range: 30 ≤ value ≤ 1800, found 5",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
}

#[test]
fn the_kiosk_refuses_to_start_on_an_invalid_config_and_says_why() {
    let data = tempfile::tempdir().unwrap();
    let config = repo("kiosk-config/examples/broken");
    let out = kiosk_on(&config, data.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("refusing to start"), "{stderr}");
    assert!(
        stderr.contains("session.idle_timeout_secs.form"),
        "{stderr}"
    );
    // Nothing was created: the kiosk stopped before touching its data.
    assert!(!data.path().join("tongban.db").exists());
}

#[test]
fn the_kiosk_refuses_to_start_on_a_damaged_database_and_keeps_it() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("tongban.db");
    std::fs::write(
        &db,
        b"this is not a database, but it may be evidence".repeat(200),
    )
    .unwrap();
    let before = std::fs::read(&db).unwrap();
    let config = repo("kiosk-config/demo");
    let out = kiosk_on(&config, data.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("corrupt"), "{stderr}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn without_a_display_the_kiosk_says_so_and_logs_to_its_file() {
    let data = tempfile::tempdir().unwrap();
    let out = kiosk(&[
        "--demo".as_ref(),
        "--data-dir".as_ref(),
        data.path().as_ref(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("no display"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let logs: Vec<_> = std::fs::read_dir(data.path().join("logs"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let log = logs.join("");
    assert!(log.contains("starting"), "log: {log}");
    assert!(log.contains("no display"), "log: {log}");
}

/// Runs `kioskctl show` on the demo config with `data` as the data folder.
fn show(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .arg("show")
        .args(args)
        .arg("--config")
        .arg(repo("kiosk-config/demo"))
        .arg("--data-dir")
        .arg(data)
        .output()
        .unwrap()
}

/// `show` that must succeed: its standard output.
fn shown(data: &Path, args: &[&str]) -> String {
    let out = show(data, args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// A terminal's store as a kiosk leaves it after two days of work: the
/// tray restocked, 40 sheets printed since, a job nobody could tell the
/// outcome of, a submission waiting, the A4 printer out of paper.
fn worked_store(db: &Path) {
    use tongban::store::{AuditEntry, NewJob, Store};
    let now = chrono::Local::now();
    let ago = |hours: i64| (now - chrono::Duration::hours(hours)).to_rfc3339();
    let mut store = Store::open(db, std::time::Duration::from_secs(2)).unwrap();
    store
        .restock(
            "a4_sheets",
            490,
            &AuditEntry {
                at: ago(50),
                actor: "S-0042".into(),
                action: "restock".into(),
                detail: "a4_sheets=490".into(),
            },
        )
        .unwrap();
    let job = |pages| NewJob {
        printer: "a4",
        kind: "licence",
        ticket: "T-2026-0007",
        pages,
    };
    let printed = store.journal_job(&job(40), &ago(48)).unwrap();
    store
        .finish_job(printed, 40, "", &[("a4_sheets", 1)], &ago(48))
        .unwrap();
    let lost = store.journal_job(&job(2), &ago(1)).unwrap();
    store.mark_uncertain(lost, "offline", &ago(1)).unwrap();
    // The tickets' results the journal queued have reached the platform.
    let delivered: Vec<i64> = store
        .outbox_head(10)
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    store.outbox_done(&delivered).unwrap();
    store
        .enqueue(
            tongban::store::SubmissionKind::Rating,
            "R-1",
            b"{}",
            &ago(2),
        )
        .unwrap();
    tongban::facts::record_device(
        &mut store,
        &tongban_device::DeviceStatus {
            kind: tongban_device::DeviceKind::A4Printer,
            state: tongban_device::DeviceState::UserError,
            media: Some(tongban_device::MediaState::Out),
            toner: Some(tongban_device::TonerState::Full),
            cover: Some(tongban_device::CoverState::Closed),
        },
        &ago(1),
    )
    .unwrap();
}

#[test]
fn kioskctl_show_tells_staff_what_the_store_knows_and_changes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("tongban.db");
    worked_store(&db);
    let before = std::fs::read(&db).unwrap();
    let modified = std::fs::metadata(&db).unwrap().modified().unwrap();

    let devices = shown(data.path(), &["devices"]);
    let printer = devices
        .lines()
        .find(|l| l.starts_with("a4_printer"))
        .unwrap_or_else(|| panic!("{devices}"));
    for word in ["user_error", "out", "full", "closed"] {
        assert!(printer.contains(word), "{devices}");
    }
    assert!(
        devices
            .lines()
            .any(|l| l.starts_with("id_card_reader") && l.ends_with("never reported")),
        "{devices}"
    );

    // 40 sheets in the two days since they were first used: 20 a day,
    // and the 450 left last 22.5 days.
    let supplies = shown(data.path(), &["supplies"]);
    let sheets = supplies
        .lines()
        .find(|l| l.starts_with("a4_sheets"))
        .unwrap_or_else(|| panic!("{supplies}"));
    let cells: Vec<&str> = sheets.split_whitespace().collect();
    assert_eq!(&cells[1..4], ["450", "20.0", "22.5"], "{supplies}");

    let outbox = shown(data.path(), &["outbox"]);
    assert!(outbox.contains("waiting:   1"), "{outbox}");
    assert!(outbox.contains("2 h 0 min waiting"), "{outbox}");

    let journal = shown(data.path(), &["journal"]);
    assert!(journal.contains("printed 1"), "{journal}");
    assert!(journal.contains("uncertain 1"), "{journal}");
    let uncertain = journal
        .split("Latest jobs")
        .next()
        .unwrap()
        .lines()
        .find(|l| l.starts_with("2 "))
        .unwrap_or_else(|| panic!("{journal}"));
    for word in ["a4", "0/2", "uncertain", "T-2026-0007", "offline"] {
        assert!(uncertain.contains(word), "{journal}");
    }

    let audit = shown(data.path(), &["audit"]);
    assert!(audit.lines().nth(1).unwrap().contains("S-0042"), "{audit}");
    assert!(audit.contains("restock"), "{audit}");

    // The same as JSON, for scripts.
    let json = |topic: &str| -> serde_json::Value {
        serde_json::from_str(&shown(data.path(), &[topic, "--json"])).unwrap()
    };
    let supplies = json("supplies");
    assert_eq!(supplies[0]["name"], "a4_sheets");
    assert_eq!(supplies[0]["remaining"], 450);
    let per_day = supplies[0]["per_day"].as_f64().unwrap();
    assert!((per_day - 20.0).abs() < 0.01, "{supplies}");
    let devices = json("devices");
    assert_eq!(devices.as_array().unwrap().len(), 4);
    assert_eq!(devices[0]["kind"], "id_card_reader");
    assert!(devices[0]["status"].is_null());
    assert_eq!(devices[3]["status"]["state"], "user_error");
    assert_eq!(devices[3]["status"]["media"], "out");
    let journal = json("journal");
    assert_eq!(journal["counts"]["uncertain"], 1);
    assert_eq!(journal["uncertain"][0]["ticket"], "T-2026-0007");
    assert_eq!(journal["recent"].as_array().unwrap().len(), 2);
    assert_eq!(json("outbox")["depth"], 1);
    assert_eq!(json("audit")[0]["actor"], "S-0042");

    // Not a byte of the database changed, and nothing was marked (the
    // audit entry still waits for the platform).
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&db).unwrap().modified().unwrap(),
        modified
    );
    let mut kiosk = tongban::store::Store::open(&db, std::time::Duration::from_secs(2)).unwrap();
    assert_eq!(kiosk.unreported_audit(10).unwrap().len(), 1);

    // While the kiosk runs and writes, kioskctl reads alongside it.
    kiosk
        .audit(&tongban::store::AuditEntry {
            at: chrono::Local::now().to_rfc3339(),
            actor: "S-0007".into(),
            action: "in_service".into(),
            detail: String::new(),
        })
        .unwrap();
    let audit = shown(data.path(), &["audit"]);
    assert!(audit.lines().nth(1).unwrap().contains("S-0007"), "{audit}");
}

#[test]
fn kioskctl_show_says_what_is_missing_broken_or_damaged() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("tongban.db");

    // No store yet: said so, and none is created by looking.
    let out = show(data.path(), &["supplies"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no Tongban database"), "{stderr}");
    assert!(stderr.contains(&db.display().to_string()), "{stderr}");
    assert!(!db.exists());

    // A config with errors: every one listed, as `config check` does.
    let out = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(["show", "audit", "--config"])
        .arg(repo("kiosk-config/examples/broken"))
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("3 error(s)"), "{stderr}");
    assert!(
        stderr.contains("session.idle_timeout_secs.form"),
        "{stderr}"
    );

    // A damaged file: said so, and kept as it was.
    std::fs::write(&db, b"not a database".repeat(600)).unwrap();
    let out = show(data.path(), &["journal"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("corrupt"), "{stderr}");
    assert_eq!(std::fs::read(&db).unwrap(), b"not a database".repeat(600));
}

/// Runs `kioskctl staff hash-pin` with `stdin` as the typed PIN.
fn hash_pin(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(["staff", "hash-pin"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A kioskctl that refuses its arguments exits without reading.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

/// The hash is made with the fleet's PIN pepper (`--pepper-file`,
/// required), and only a terminal naming that pepper opens with it. Fails
/// on e372035: there was no pepper, and 4-digit PINs were hashed.
#[test]
fn kioskctl_hashes_a_pin_read_from_stdin_into_an_entry_the_config_takes() {
    let dir = tempfile::tempdir().unwrap();
    let pepper_file = dir.path().join("pin-pepper");
    std::fs::write(&pepper_file, "a fleet's pepper, long enough\n").unwrap();
    let pepper_arg = pepper_file.to_str().unwrap();
    let out = hash_pin(&["--id", "BR-07", "--pepper-file", pepper_arg], "246813\n");
    assert!(out.status.success(), "{out:?}");
    let entry = String::from_utf8(out.stdout).unwrap();
    let entry = entry.trim();
    assert!(entry.starts_with("BR-07 $argon2id$v=19$"), "{entry}");
    assert!(!entry.contains("246813"));
    // The entry goes into a branch's config, the terminal's own names the
    // pepper, and the PIN opens with it.
    std::fs::write(
        dir.path().join("branch.toml"),
        format!("[staff]\npins = [\"{entry}\"]\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("terminal.toml"),
        "[staff]\npin_pepper_file = \"pin-pepper\"\n",
    )
    .unwrap();
    let config = kiosk_config::load_dir(dir.path()).expect("valid").config;
    let pepper = tongban::staff::Pepper::configured(dir.path(), &config.staff)
        .unwrap()
        .unwrap();
    assert_eq!(
        tongban::staff::verify(&config.staff.pins, "246813", &pepper).as_deref(),
        Some("BR-07")
    );
    assert_eq!(
        tongban::staff::verify(&config.staff.pins, "246814", &pepper),
        None
    );
    // Another fleet's pepper opens nothing.
    let other = tongban::staff::Pepper::new(b"another fleet's pepper, also long").unwrap();
    assert_eq!(
        tongban::staff::verify(&config.staff.pins, "246813", &other),
        None
    );
    // A PIN that is not 6-8 digits is refused, without echoing it.
    for short in ["12ab56", "1234"] {
        let out = hash_pin(&["--pepper-file", pepper_arg], &format!("{short}\n"));
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("PIN"), "{err}");
        assert!(!err.contains(short), "{err}");
    }
    // No pepper, no hash.
    let out = hash_pin(&[], "246813\n");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--pepper-file"),
        "{out:?}"
    );
}
