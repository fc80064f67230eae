//! The binaries as an admin or installer meets them: `kioskctl config check`
//! on good and bad folders, and the kiosk refusing to start on a bad config
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
    let out = kiosk(&[
        "--config".as_ref(),
        config.as_ref(),
        "--data-dir".as_ref(),
        data.path().as_ref(),
    ]);
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
    let out = kiosk(&[
        "--config".as_ref(),
        config.as_ref(),
        "--data-dir".as_ref(),
        data.path().as_ref(),
    ]);
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
