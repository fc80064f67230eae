//! The fleet key, bundles, the platform client and the fleet view in short.

use super::*;

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T09:00:00+08:00").unwrap()
}

#[test]
fn a_key_pair_is_written_once_with_a_private_secret() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let key = generate_key().unwrap();
    let files = write_key_pair(&keys, &key).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&files.secret), 0o600);
    assert_eq!(mode(&keys), 0o700);
    let read = read_key(&files.secret).unwrap();
    assert_eq!(read.key.to_bytes(), key.to_bytes());
    assert_eq!(read.loose_mode, None);
    assert_eq!(
        std::fs::read_to_string(&files.public).unwrap().trim(),
        files.public_base64
    );
    // The public key is not taken for the secret one.
    assert!(matches!(
        read_key(&files.public),
        Err(AdminError::PublicKey(p)) if p == files.public
    ));
    assert_eq!(
        tongban_platform_api::verifying_key(&files.public_base64).unwrap(),
        key.verifying_key()
    );
    // Never overwritten, whichever file is there.
    let other = generate_key().unwrap();
    assert_ne!(other.to_bytes(), key.to_bytes());
    assert!(matches!(
        write_key_pair(&keys, &other),
        Err(AdminError::Exists(p)) if p == files.secret
    ));
    std::fs::remove_file(&files.secret).unwrap();
    assert!(matches!(
        write_key_pair(&keys, &other),
        Err(AdminError::Exists(p)) if p == files.public
    ));
    assert!(!files.secret.exists());
}

#[test]
fn a_key_file_must_hold_a_32_byte_seed_and_a_loose_mode_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fleet.key");
    for bad in ["", "not base64!\n", "AAAA\n", &"QUFB".repeat(20)] {
        std::fs::write(&path, bad).unwrap();
        assert!(
            matches!(read_key(&path), Err(AdminError::BadKey(_))),
            "{bad:?}"
        );
    }
    let seed = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
    std::fs::write(&path, format!("  {seed}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let read = read_key(&path).unwrap();
    assert_eq!(read.key.to_bytes(), [7u8; 32]);
    assert_eq!(read.loose_mode, Some(0o644));
    assert!(matches!(
        read_key(&dir.path().join("absent")),
        Err(AdminError::Io { .. })
    ));
    // Beside another pair's public key: not taken.
    let other = SigningKey::from_bytes(&[8u8; 32]).verifying_key();
    let public = dir.path().join(PUBLIC_KEY_FILE);
    std::fs::write(&public, tongban_platform_api::key_base64(&other)).unwrap();
    assert!(matches!(
        read_key(&path),
        Err(AdminError::Mismatch { public: p, .. }) if p == public
    ));
}

#[test]
fn a_bundle_carries_the_scopes_layer_checked_over_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let branch = "[service]\nhotline = \"021-12345\"\n";
    std::fs::write(dir.path().join("branch.toml"), branch).unwrap();
    std::fs::write(dir.path().join("fleet.toml"), "[ui]\nnonsense = 1\n").unwrap();
    let scope: Scope = "branch:SH-PD-0001".parse().unwrap();
    let bundle = bundle_from_dir(dir.path(), &scope, 7, now(), 30).unwrap();
    assert_eq!(bundle.scope, scope);
    assert_eq!(bundle.version, 7);
    assert_eq!(bundle.issued_at, "2026-11-24T09:00:00+08:00");
    assert_eq!(bundle.expires_at, "2026-12-24T09:00:00+08:00");
    assert_eq!(
        bundle.files,
        [("branch.toml".to_owned(), branch.to_owned())].into()
    );

    // The fleet layer has an error: named with file, line and key.
    let Err(AdminError::Config { errors, .. }) =
        bundle_from_dir(dir.path(), &Scope::Fleet, 1, now(), 30)
    else {
        panic!("a broken layer was signed");
    };
    let text = errors.to_string();
    assert!(
        text.contains("fleet.toml:2: ui.nonsense: unknown key"),
        "{text}"
    );
    assert!(matches!(
        bundle_from_dir(dir.path(), &"district:PD".parse().unwrap(), 1, now(), 30),
        Err(AdminError::MissingLayer { path, .. }) if path.ends_with("district.toml")
    ));
    for days in [0, MAX_VALID_DAYS + 1] {
        assert!(matches!(
            bundle_from_dir(dir.path(), &scope, 7, now(), days),
            Err(AdminError::Validity(d)) if d == days
        ));
    }
}

/// `kioskctl config sign` refuses a layer that sets what only a
/// terminal's own folder sets (terminals would refuse the bundle).
/// Fails on e372035: a layer setting `platform.url` was signed.
#[test]
fn a_layer_setting_a_terminal_s_own_keys_is_not_signed() {
    let dir = tempfile::tempdir().unwrap();
    let scope: Scope = "branch:SH-PD-0001".parse().unwrap();
    for (text, key) in [
        (
            "[platform]\nurl = \"https://elsewhere.example.com\"\n",
            "platform.url",
        ),
        (
            "[platform]\nclient_key = \"/tmp/k.pem\"\nclient_cert = \"/tmp/c.pem\"\n",
            "platform.client_cert",
        ),
        (
            "[terminal]\nbranch_id = \"SH-PD-0002\"\n",
            "terminal.branch_id",
        ),
    ] {
        std::fs::write(dir.path().join("branch.toml"), text).unwrap();
        match bundle_from_dir(dir.path(), &scope, 1, now(), 30) {
            Err(e @ AdminError::OwnKey { .. }) => {
                assert!(e.to_string().contains(key), "{e}")
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn a_sealed_bundle_file_is_read_back_without_its_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("terminal.toml"), "").unwrap();
    let scope: Scope = "terminal:SH-PD-0001-01".parse().unwrap();
    let bundle = bundle_from_dir(dir.path(), &scope, 2, now(), 1).unwrap();
    let key = SigningKey::from_bytes(&[9; 32]);
    let bytes = bundle_file_bytes(&BundleFile::seal(&key, &bundle));
    assert!(bytes.ends_with(b"}\n"));
    assert_eq!(peek(Path::new("b.json"), &bytes).unwrap(), bundle);
    assert_eq!(
        BundleFile::parse(&bytes)
            .unwrap()
            .open(&key.verifying_key())
            .unwrap(),
        bundle
    );
    assert!(matches!(
        peek(Path::new("b.json"), b"{\"format\":\"zip\"}"),
        Err(AdminError::NotABundle { .. })
    ));
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn only_http_urls_name_a_platform() {
    assert_eq!(
        FleetClient::new("http://127.0.0.1:8080/").unwrap().base(),
        "http://127.0.0.1:8080"
    );
    let client = FleetClient::new("https://platform.example/api").unwrap();
    assert_eq!(
        client.bundle_url(&"branch:SH-PD-0001".parse().unwrap()),
        "https://platform.example/api/v1/fleet/bundles/branch:SH-PD-0001"
    );
    for bad in [
        "127.0.0.1:8080",
        "ftp://platform.example",
        "file:///etc/passwd",
        "http://platform.example/?x=1",
        "",
    ] {
        assert!(
            matches!(FleetClient::new(bad), Err(AdminError::BadUrl { .. })),
            "{bad:?}"
        );
    }
}

#[test]
fn error_bodies_are_read_as_text_or_json() {
    assert_eq!(error_text(b"  \n"), None);
    assert_eq!(
        error_text(b"refused: the signature does not match\n").as_deref(),
        Some("refused: the signature does not match")
    );
    assert_eq!(
        error_text(br#"{"error":"quota","code":7}"#).as_deref(),
        Some("quota")
    );
    assert_eq!(
        error_text(br#"{"status":403,"code":"bad_signature","detail":"refused"}"#).as_deref(),
        Some("refused")
    );
    let long = error_text("错".repeat(600).as_bytes()).unwrap();
    assert_eq!(long.chars().count(), MESSAGE_CHARS + 1);
}

#[test]
fn pretty_json_keeps_the_order_and_indents_as_serde_json_does() {
    let text = r#"[{"z":1,"a":[],"m":{"k":"a,b:{[\"]}"},"e":{}},{ "b" : [1, 2] }]"#;
    let pretty = pretty_json(text).unwrap();
    assert_eq!(
        pretty,
        "[\n  {\n    \"z\": 1,\n    \"a\": [],\n    \"m\": {\n      \"k\": \"a,b:{[\\\"]}\"\n    },\n    \"e\": {}\n  },\n  {\n    \"b\": [\n      1,\n      2\n    ]\n  }\n]\n"
    );
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&pretty).unwrap(),
        value
    );
    assert!(pretty_json("[1,").is_err());
    assert_eq!(pretty_json("[]").unwrap(), "[]\n");
}

fn health(terminal: &str, branch: Option<&str>) -> TerminalHealth {
    TerminalHealth {
        terminal: terminal.into(),
        district: None,
        branch: branch.map(str::to_owned),
        last_heartbeat: "2026-11-24T09:00:00+08:00".into(),
        seconds_since: 5,
        catalogue_version: None,
        config: Vec::new(),
        config_problem: None,
        devices: Vec::new(),
        supplies: Vec::new(),
        outbox_depth: 0,
        last_staff_action: None,
        disk: None,
    }
}

#[test]
fn the_fleet_view_in_short() {
    let mut list = vec![
        health("T-3", None),
        health("T-2", Some("B-2")),
        health("T-9", Some("B-1")),
        health("T-1", Some("B-2")),
    ];
    sort_for_table(&mut list);
    let order: Vec<&str> = list.iter().map(|t| t.terminal.as_str()).collect();
    assert_eq!(order, ["T-9", "T-1", "T-2", "T-3"]);

    let applied = |scope: &str, version| AppliedBundle {
        scope: scope.parse().unwrap(),
        version,
    };
    assert_eq!(versions(&[]), "-");
    assert_eq!(
        versions(&[applied("branch:B-1", 7), applied("fleet", 3)]),
        "fleet:3 branch:7"
    );
    assert_eq!(problem(None), "-");
    assert_eq!(
        problem(Some(&ConfigProblem {
            scope: "branch:B-1".parse().unwrap(),
            version: 8,
            action: "rolled_back".into(),
            reason: "the UI did not start".into(),
        })),
        "branch:8 rolled_back: the UI did not start"
    );

    let device = |kind: &str, state: &str, detail: Option<&str>| DeviceReport {
        kind: kind.into(),
        state: state.into(),
        detail: detail.map(str::to_owned),
    };
    assert_eq!(devices(&[]), "-");
    assert_eq!(
        devices(&[
            device("id_card_reader", "online", None),
            device("qr_scanner", "no_device", None)
        ]),
        "ok"
    );
    assert_eq!(
        devices(&[
            device("id_card_reader", "offline", None),
            device("a4_printer", "user_error", Some("paper_out")),
            device("receipt_printer", "online", Some("near_end")),
        ]),
        "id_card_reader=offline a4_printer=user_error(paper_out)"
    );
    let supplies = [Supply {
        name: "a4_sheets".into(),
        remaining: 450,
    }];
    assert_eq!(supply(&supplies, "a4_sheets"), "450");
    assert_eq!(supply(&supplies, "receipt_mm"), "-");

    assert_eq!(disk(None), "-");
    let report = |free_mb, low| DiskReport {
        free_mb,
        total_mb: 64_000,
        low,
    };
    assert_eq!(disk(Some(&report(150, true))), "LOW 150 MB free of 64000");
    assert_eq!(disk(Some(&report(9_000, false))), "ok 9000 MB free");
}
