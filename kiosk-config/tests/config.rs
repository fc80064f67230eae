//! Behaviour of the layered config through its public API.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kiosk_config::{
    ConfigError, ConfigErrors, ErrorKind, Language, LogLevel, SCREENS, defaults, load_dir,
    load_layers,
};

fn layer(name: &str, text: &str) -> (String, String) {
    (name.to_owned(), text.to_owned())
}

fn errors_of(layers: &[(String, String)]) -> Vec<ConfigError> {
    load_layers(layers).expect_err("should be invalid").0
}

fn crate_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(sub)
}

#[test]
fn the_built_in_defaults_are_valid() {
    let loaded = load_layers(&[]).expect("defaults valid");
    assert!(loaded.layers.is_empty());
    assert_eq!(loaded.config, defaults());

    let c = defaults();
    assert!(c.service.in_service);
    assert_eq!(c.service.hotline, "12345");
    assert_eq!(c.ui.default_language, Language::ZhCn);
    assert!(!c.ui.elder_mode_default);
    assert_eq!(c.session.countdown(), Duration::from_secs(30));
    assert_eq!(c.store.path, "tongban.db");
    assert_eq!(c.logging.dir, "logs");
    assert_eq!(c.logging.level, LogLevel::Info);
    assert_eq!(c.logging.keep_files, 14);
    assert_eq!(c.devices.a4_printer.toner_yield_pages, 3000);
    assert!(c.staff.pins.is_empty());
    assert_eq!(c.staff.max_attempts, 5);
    assert_eq!(c.staff.lockout(), Duration::from_secs(300));
    assert_eq!(c.staff.long_press(), Duration::from_millis(3000));
    for screen in SCREENS {
        assert!(
            c.session.idle_timeout(screen) > c.session.countdown(),
            "{screen}"
        );
    }
}

#[test]
fn higher_layers_win_and_untouched_keys_keep_lower_values() {
    let loaded = load_layers(&[
        layer(
            "fleet.toml",
            "[service]\nhotline = \"11111\"\n\
             [terminal]\ndistrict = \"fleet\"\nbranch_name.en = \"fleet\"\n\
             [session.idle_timeout_secs]\nform = 400\nguide = 400\ncatalogue = 400\n",
        ),
        layer(
            "district.toml",
            "[terminal]\ndistrict = \"district\"\nbranch_name.en = \"district\"\n\
             [session.idle_timeout_secs]\nform = 500\nguide = 500\n",
        ),
        layer(
            "branch.toml",
            "[terminal]\nbranch_name.en = \"branch\"\n\
             [session.idle_timeout_secs]\nform = 600\n",
        ),
        layer(
            "terminal.toml",
            "[terminal]\nid = \"SH-PD-0001-01\"\n\
             [session]\nidle_timeout_secs.form = 700\n",
        ),
    ])
    .expect("valid");
    let c = &loaded.config;
    let timeouts = &c.session.idle_timeout_secs;
    // terminal > branch > district > fleet > defaults, key by key.
    assert_eq!(timeouts.form, 700);
    assert_eq!(timeouts.guide, 500);
    assert_eq!(timeouts.catalogue, 400);
    assert_eq!(timeouts.rating, 60);
    assert_eq!(c.terminal.branch_name.en, "branch");
    assert_eq!(c.terminal.district, "district");
    assert_eq!(c.service.hotline, "11111");
    assert_eq!(c.terminal.id, "SH-PD-0001-01");
    // A sibling in a deeply merged table keeps the lower value.
    assert_eq!(
        c.terminal.branch_name.zh,
        defaults().terminal.branch_name.zh
    );
    assert_eq!(c.service.name, defaults().service.name);

    assert_eq!(c.session.idle_timeout("form"), Duration::from_secs(700));
    assert_eq!(c.session.idle_timeout("home"), Duration::from_secs(120));
    assert_eq!(
        c.session.idle_timeout("no-such-screen"),
        Duration::from_secs(u64::from(timeouts.default))
    );
}

#[test]
fn render_names_the_layer_that_set_each_key_and_reads_back() {
    let loaded = load_layers(&[
        layer("fleet.toml", "[service]\nhotline = \"11111\"\n"),
        layer("terminal.toml", "[session.idle_timeout_secs]\nform = 600\n"),
    ])
    .expect("valid");
    let rendered = loaded.render();
    assert!(
        rendered.contains("form = 600  # terminal.toml\n"),
        "{rendered}"
    );
    assert!(
        rendered.contains("hotline = \"11111\"  # fleet.toml\n"),
        "{rendered}"
    );
    assert!(
        rendered.contains("home = 120  # <defaults>\n"),
        "{rendered}"
    );
    assert!(
        rendered.contains("[session.idle_timeout_secs]\n"),
        "{rendered}"
    );
    let back: toml::Table = toml::from_str(&rendered).expect("render gives TOML");
    assert_eq!(back, loaded.merged);
}

#[test]
fn the_broken_example_gives_exactly_its_three_errors() {
    let dir = crate_dir("examples/broken");
    let errors = load_dir(&dir).expect_err("broken").0;
    let file = dir.join("terminal.toml").display().to_string();
    assert_eq!(
        errors,
        vec![
            ConfigError {
                file: file.clone(),
                line: Some(5),
                key: "ui.defualt_language".into(),
                kind: ErrorKind::UnknownKey {
                    suggestion: Some("ui.default_language".into()),
                },
            },
            ConfigError {
                file: file.clone(),
                line: Some(8),
                key: "service.in_service".into(),
                kind: ErrorKind::WrongType {
                    expected: "a boolean (true or false)",
                    found: "a string",
                },
            },
            ConfigError {
                file: file.clone(),
                line: Some(11),
                key: "session.idle_timeout_secs.form".into(),
                kind: ErrorKind::OutOfRange {
                    min: 30,
                    max: 1800,
                    found: 5,
                },
            },
        ]
    );
    let shown = ConfigErrors(errors).to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 3, "{shown}");
    assert_eq!(
        lines[0],
        format!("{file}:5: ui.defualt_language: unknown key (did you mean `ui.default_language`?)")
    );
    assert_eq!(
        lines[1],
        format!(
            "{file}:8: service.in_service: wrong type: expected a boolean (true or false), found a string"
        )
    );
    assert_eq!(
        lines[2],
        format!(
            "{file}:11: session.idle_timeout_secs.form: out of range: 30 ≤ value ≤ 1800, found 5"
        )
    );
}

#[test]
fn a_syntax_error_names_file_and_line() {
    let errors = errors_of(&[layer(
        "branch.toml",
        "[terminal]\nid = \"SH-1\"\ndistrict = \n",
    )]);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].file, "branch.toml");
    assert_eq!(errors[0].line, Some(3));
    assert!(matches!(errors[0].kind, ErrorKind::Syntax(_)), "{errors:?}");
    assert!(
        errors[0]
            .to_string()
            .starts_with("branch.toml:3: syntax error: ")
    );
}

#[test]
fn errors_of_every_layer_are_reported_together() {
    let errors = errors_of(&[
        layer(
            "fleet.toml",
            "[logging]\nlevel = \"loud\"\nkeep_files = 0\n",
        ),
        layer("district.toml", "[terminal\n"),
        layer(
            "terminal.toml",
            "[terminal]\nid = \"sh pd 1\"\n[store]\npath = \"\"\n",
        ),
    ]);
    let found: Vec<_> = errors
        .iter()
        .map(|e| (e.file.as_str(), e.line, e.key.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("fleet.toml", Some(2), "logging.level"),
            ("fleet.toml", Some(3), "logging.keep_files"),
            ("district.toml", Some(1), ""),
            ("terminal.toml", Some(2), "terminal.id"),
            ("terminal.toml", Some(4), "store.path"),
        ]
    );
    assert!(matches!(errors[2].kind, ErrorKind::Syntax(_)));
    assert!(matches!(errors[4].kind, ErrorKind::Invalid(_)));
}

#[test]
fn terminal_ids_and_choices_are_checked() {
    for bad in [
        "",
        "SH",
        "sh-pd-0001",
        "SH PD",
        "SH_PD_0001",
        &"A".repeat(33),
    ] {
        let text = format!("[terminal]\nid = \"{bad}\"\n");
        let errors = errors_of(&[layer("terminal.toml", &text)]);
        assert_eq!(errors.len(), 1, "{bad:?}: {errors:?}");
        assert_eq!(errors[0].key, "terminal.id");
        assert!(matches!(errors[0].kind, ErrorKind::Invalid(_)), "{bad:?}");
    }
    for good in ["SH-PD-0001-01", "ABC", &"A".repeat(32)] {
        let text = format!("[terminal]\nid = \"{good}\"\n");
        assert!(
            load_layers(&[layer("terminal.toml", &text)]).is_ok(),
            "{good:?}"
        );
    }
    let errors = errors_of(&[layer(
        "fleet.toml",
        "[ui]\ndefault_language = \"fr\"\n[logging]\ndir = \"\"\n",
    )]);
    let keys: Vec<_> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["ui.default_language", "logging.dir"]);
    // The district may be empty; English chosen by a layer is read.
    let loaded = load_layers(&[layer(
        "fleet.toml",
        "[terminal]\ndistrict = \"\"\n[ui]\ndefault_language = \"en\"\n",
    )])
    .expect("valid");
    assert_eq!(loaded.config.ui.default_language, Language::En);
}

#[test]
fn printer_addresses_transports_and_usb_ids_are_checked() {
    let errors = errors_of(&[layer(
        "terminal.toml",
        "[devices.a4_printer]\ntransport = \"lpd\"\naddress = \"printer.local\"\nusb_id = \"3f0:2a\"\n\
         [devices.receipt_printer]\nusb_id = \"0519-2013\"\nroll_length_mm = 10\n",
    )]);
    let keys: Vec<_> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "devices.a4_printer.transport",
            "devices.a4_printer.address",
            "devices.a4_printer.usb_id",
            "devices.receipt_printer.usb_id",
            "devices.receipt_printer.roll_length_mm",
        ]
    );
    assert!(errors[1].to_string().contains("IP:port"), "{}", errors[1]);
    assert!(
        errors[2].to_string().contains("vendor:product"),
        "{}",
        errors[2]
    );
    let loaded = load_layers(&[layer(
        "terminal.toml",
        "[devices.a4_printer]\nenabled = true\ntransport = \"usb\"\nusb_id = \"03F0:002a\"\n\
         [devices.receipt_printer]\nenabled = true\naddress_is_not_a_key = 1\n",
    )]);
    // The receipt printer has no address: a misplaced key is an error too.
    assert!(loaded.is_err());
    let loaded = load_layers(&[layer(
        "terminal.toml",
        "[devices.a4_printer]\nenabled = true\ntransport = \"usb\"\nusb_id = \"03F0:002a\"\n",
    )])
    .expect("valid");
    assert_eq!(loaded.config.devices.a4_printer.usb_id, "03F0:002a");
}

#[test]
fn floats_are_not_integers_and_tables_are_not_values() {
    let errors = errors_of(&[layer(
        "terminal.toml",
        "[session]\ncountdown_secs = 30.0\n[ui]\nelder_mode_default = { on = true }\n",
    )]);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].key, "session.countdown_secs");
    assert_eq!(errors[0].line, Some(2));
    assert_eq!(
        errors[0].kind,
        ErrorKind::WrongType {
            expected: "an integer",
            found: "a float"
        }
    );
    assert_eq!(
        errors[0].to_string(),
        "terminal.toml:2: session.countdown_secs: wrong type: expected an integer, found a float"
    );
    assert_eq!(errors[1].key, "ui.elder_mode_default");
}

#[test]
fn a_misspelt_key_gets_a_suggestion_when_one_is_close() {
    let errors = errors_of(&[layer(
        "fleet.toml",
        "[session.idle_timout_secs]\nform = 300\n",
    )]);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].key, "session.idle_timout_secs");
    assert_eq!(errors[0].line, Some(1));
    assert_eq!(
        errors[0].kind,
        ErrorKind::UnknownKey {
            suggestion: Some("session.idle_timeout_secs".into())
        }
    );

    let errors = errors_of(&[layer("fleet.toml", "[sesion]\ncountdown_secs = 30\n")]);
    assert_eq!(
        errors[0].kind,
        ErrorKind::UnknownKey {
            suggestion: Some("session".into())
        }
    );
    // Nothing close: no suggestion.
    for text in ["[printers]\n", "[terminal]\nbranch_name.fr = \"x\"\n"] {
        let errors = errors_of(&[layer("fleet.toml", text)]);
        assert_eq!(errors.len(), 1, "{text}");
        assert_eq!(errors[0].kind, ErrorKind::UnknownKey { suggestion: None });
        assert!(errors[0].to_string().ends_with(": unknown key"));
    }
}

#[test]
fn the_idle_warning_must_be_shorter_than_every_timeout() {
    // Both set in one layer: reported at the countdown's line.
    let errors = errors_of(&[layer(
        "terminal.toml",
        "[session]\ncountdown_secs = 60\n[session.idle_timeout_secs]\nrating = 60\n",
    )]);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].file, "terminal.toml");
    assert_eq!(errors[0].line, Some(2));
    assert_eq!(errors[0].key, "session.countdown_secs");
    assert!(matches!(errors[0].kind, ErrorKind::Invalid(_)));
    let shown = errors[0].to_string();
    assert!(shown.contains("rating (60 s, terminal.toml)"), "{shown}");

    // A timeout lowered above the countdown: the countdown is still the key
    // reported, in the layer that set it (here the defaults).
    let errors = errors_of(&[
        layer("fleet.toml", "[session]\ncountdown_secs = 40\n"),
        layer("branch.toml", "[session.idle_timeout_secs]\nhome = 35\n"),
    ]);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].file, "fleet.toml");
    assert_eq!(errors[0].line, Some(2));
    assert!(errors[0].to_string().contains("home (35 s, branch.toml)"));

    let errors = errors_of(&[layer(
        "branch.toml",
        "[session.idle_timeout_secs]\nrating = 30\n",
    )]);
    assert_eq!(errors[0].file, "<defaults>");
    assert_eq!(errors[0].key, "session.countdown_secs");
    assert!(errors[0].line.is_some());
}

#[test]
fn the_cross_field_check_is_reported_alongside_other_errors_but_not_twice() {
    let errors = errors_of(&[layer(
        "terminal.toml",
        "[ui]\nelder_mode_default = 1\n[session.idle_timeout_secs]\nrating = 30\nform = 5\n",
    )]);
    let keys: Vec<_> = errors.iter().map(|e| e.key.as_str()).collect();
    // `form = 5` is out of range and not reported again by the cross check.
    assert_eq!(
        keys,
        [
            "ui.elder_mode_default",
            "session.idle_timeout_secs.form",
            "session.countdown_secs"
        ]
    );
    assert!(!errors[2].to_string().contains("form"), "{}", errors[2]);
}

#[test]
fn a_folder_with_an_unknown_toml_file_is_an_error_and_other_files_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("termnal.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("fleet.toml"),
        "[service]\nhotline = \"1\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("README.txt"), "ignored").unwrap();
    let errors = load_dir(dir.path()).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].file.ends_with("termnal.toml"));
    assert_eq!(
        errors[0].kind,
        ErrorKind::UnknownFile {
            expected: vec![
                "fleet.toml".into(),
                "district.toml".into(),
                "branch.toml".into(),
                "terminal.toml".into()
            ]
        }
    );
    let shown = errors[0].to_string();
    assert!(shown.contains("unknown config file"), "{shown}");
    assert!(
        shown.contains("expected one of fleet.toml, district.toml, branch.toml, terminal.toml")
    );

    std::fs::remove_file(dir.path().join("termnal.toml")).unwrap();
    let loaded = load_dir(dir.path()).expect("valid");
    assert_eq!(loaded.layers, vec![dir.path().join("fleet.toml")]);
    assert_eq!(loaded.config.service.hotline, "1");
}

#[test]
fn a_missing_folder_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let errors = load_dir(&missing).unwrap_err().0;
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].file, missing.display().to_string());
    assert!(matches!(errors[0].kind, ErrorKind::Io(_)));
}

#[test]
fn a_file_that_is_not_utf8_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("branch.toml"), [0xff, 0xfe, 0x00]).unwrap();
    let errors = load_dir(dir.path()).unwrap_err().0;
    assert_eq!(errors.len(), 1);
    assert!(errors[0].file.ends_with("branch.toml"));
    assert!(matches!(errors[0].kind, ErrorKind::Io(_)));
}

#[test]
fn a_layer_that_cannot_be_read_is_an_error_naming_it() {
    // A folder where a file should be cannot be read on any platform, even
    // by root.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("terminal.toml")).unwrap();
    let errors = load_dir(dir.path()).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].file.ends_with("terminal.toml"));
    assert!(matches!(errors[0].kind, ErrorKind::Io(_)));
}

#[test]
fn the_demo_folder_loads() {
    let dir = crate_dir("demo");
    let loaded = load_dir(&dir).expect("demo config valid");
    let expected: Vec<PathBuf> = ["fleet", "district", "branch", "terminal"]
        .iter()
        .map(|scope| dir.join(format!("{scope}.toml")))
        .collect();
    assert_eq!(loaded.layers, expected);
    let c = &loaded.config;
    assert_eq!(c.terminal.id, "SH-PD-0001-01");
    assert_eq!(c.terminal.district, "浦东新区");
    assert_eq!(c.terminal.branch_name.zh, "示例银行浦东支行");
    assert_eq!(c.store.path, "tongban.db");
    assert_eq!(c.logging.dir, "logs");
    let staff: Vec<_> = c.staff.pins.iter().map(|pin| pin.id.as_str()).collect();
    assert_eq!(staff, ["DEMO-01"]);
    let rendered = loaded.render();
    let terminal = dir.join("terminal.toml").display().to_string();
    assert!(
        rendered.contains(&format!("id = \"SH-PD-0001-01\"  # {terminal}\n")),
        "{rendered}"
    );
}

#[test]
fn no_input_makes_it_panic() {
    let inputs = [
        "",
        "=",
        "[",
        "a = [1,",
        "[[session]]\n",
        "session = 1",
        "\u{0}",
        "[terminal]\nid = 5",
        "[terminal]\nid = \"é\"\n",
        "[session]\nidle_timeout_secs = 5\n",
        "[session.idle_timeout_secs]\nform = 99999999999999999\n",
        "[session.idle_timeout_secs]\nform = -1\n",
        "[session]\ncountdown_secs = \"30\"\n",
        "terminal = { id = \"SH-1\", branch_name = [] }\n",
        "[logging]\nlevel = 1979-05-27T07:32:00Z\n",
        "\u{feff}[ui]\nelder_mode_default = true\n",
    ];
    for text in inputs {
        for name in ["fleet.toml", "terminal.toml"] {
            let _ = load_layers(&[layer(name, text), layer("branch.toml", text)]);
        }
    }
    // Deep nesting hits the parser's recursion limit, not the stack.
    let deep = [
        format!("a = {}", "[".repeat(100_000)),
        format!("[{}]", vec!["session"; 100_000].join(".")),
    ];
    for text in deep {
        let errors = errors_of(&[layer("fleet.toml", &text)]);
        assert!(matches!(errors[0].kind, ErrorKind::Syntax(_)), "{errors:?}");
    }
}

#[test]
fn the_platform_url_and_key_are_checked() {
    let errors = errors_of(&[layer(
        "fleet.toml",
        "[platform]\nurl = \"ftp://x\"\npublic_key = \"abc\"\nheartbeat_secs = 1\n",
    )]);
    let keys: Vec<_> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "platform.url",
            "platform.public_key",
            "platform.heartbeat_secs"
        ]
    );
    let loaded = load_layers(&[layer(
        "fleet.toml",
        "[platform]\nurl = \"https://platform.example\"\npublic_key = \"cHal2KoGlSwWiwvypv1SbAp/D1fzUA63vP5sYKm4nY4=\"\n",
    )])
    .expect("valid");
    assert_eq!(loaded.config.platform.url, "https://platform.example");
    assert_eq!(loaded.config.platform.heartbeat_secs, 60);
}

/// A real argon2id hash (default parameters) of a PIN; the config checks
/// only its form.
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$MCUpixPelnjar74Hn8RD1A$B2VOmtamH7N2k/vTeDduns5qh4Pa6xMYrzJv5QCMg1M";

fn staff_layer(entries: &[&str]) -> (String, String) {
    let list: Vec<String> = entries.iter().map(|e| format!("    \"{e}\",\n")).collect();
    layer(
        "branch.toml",
        &format!(
            "[staff]\npins = [\n{}]\npin_pepper_file = \"pin-pepper\"\n",
            list.concat()
        ),
    )
}

/// Staff PINs need the fleet's pepper: a config with PINs and no
/// `pin_pepper_file` is refused, saying where the pepper comes from.
/// Fails on e372035: there was no pepper, and PINs were taken without.
#[test]
fn staff_pins_without_a_pepper_file_are_refused() {
    let errors = errors_of(&[layer(
        "branch.toml",
        &format!("[staff]\npins = [\"BR-01 {HASH}\"]\n"),
    )]);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let shown = errors[0].to_string();
    assert!(
        shown.starts_with("branch.toml:2: staff.pins: ")
            && shown.contains("staff.pin_pepper_file")
            && shown.contains("--pepper-file"),
        "{shown}"
    );
    // Named by the terminal's own file, the PINs are taken.
    let loaded = load_layers(&[
        layer(
            "branch.toml",
            &format!("[staff]\npins = [\"BR-01 {HASH}\"]\n"),
        ),
        layer(
            "terminal.toml",
            "[staff]\npin_pepper_file = \"/etc/tongban/pin-pepper\"\n",
        ),
    ])
    .expect("valid");
    assert_eq!(
        loaded.config.staff.pin_pepper_file,
        "/etc/tongban/pin-pepper"
    );
    assert_eq!(loaded.config.staff.pins.len(), 1);
}

#[test]
fn staff_pins_are_read_and_their_debug_leaves_the_hash_out() {
    let cheaper = HASH.replace("m=19456,t=2,p=1", "m=47104,t=1,p=1");
    let loaded = load_layers(&[
        staff_layer(&[&format!("BR-01 {HASH}"), &format!("  TECH-7\t{cheaper} ")]),
        layer(
            "terminal.toml",
            "[staff]\nmax_attempts = 3\nlockout_secs = 30\nlong_press_ms = 1000\n",
        ),
    ])
    .expect("valid");
    let staff = &loaded.config.staff;
    let pins: Vec<_> = staff
        .pins
        .iter()
        .map(|pin| (pin.id.as_str(), pin.hash.as_str()))
        .collect();
    assert_eq!(pins, [("BR-01", HASH), ("TECH-7", cheaper.as_str())]);
    assert_eq!(staff.max_attempts, 3);
    assert_eq!(staff.lockout(), Duration::from_secs(30));
    assert_eq!(staff.long_press(), Duration::from_secs(1));

    let shown = format!("{:?}", loaded.config);
    assert!(shown.contains("BR-01"), "{shown}");
    assert!(!shown.contains("argon2id$"), "{shown}");
    assert!(!shown.contains("B2VOmtam"), "{shown}");
}

#[test]
fn a_higher_layer_replaces_the_staff_list() {
    let loaded = load_layers(&[
        layer(
            "fleet.toml",
            &format!("[staff]\npins = [\"FLEET-1 {HASH}\"]\n"),
        ),
        staff_layer(&[&format!("BR-01 {HASH}")]),
    ])
    .expect("valid");
    let ids: Vec<_> = loaded
        .config
        .staff
        .pins
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(ids, ["BR-01"]);
    // An empty list at the terminal closes maintenance mode there.
    let loaded = load_layers(&[
        staff_layer(&[&format!("BR-01 {HASH}")]),
        layer("terminal.toml", "[staff]\npins = []\n"),
    ])
    .expect("valid");
    assert!(loaded.config.staff.pins.is_empty());
}

#[test]
fn a_pin_hash_that_is_not_argon2id_is_refused_saying_how_to_make_one() {
    let salt_and_hash = "MCUpixPelnjar74Hn8RD1A$B2VOmtamH7N2k/vTeDduns5qh4Pa6xMYrzJv5QCMg1M";
    let cases = [
        // Plain text.
        ("135790".to_owned(), "not an argon2id hash: "),
        ("password".to_owned(), "not an argon2id hash: "),
        // bcrypt, and another PHC algorithm.
        (
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW".to_owned(),
            "not an argon2id hash",
        ),
        (
            format!("$argon2i$v=19$m=19456,t=2,p=1${salt_and_hash}"),
            "not an argon2id hash (it is argon2i): ",
        ),
        (
            format!("$pbkdf2-sha256$i=600000${salt_and_hash}"),
            "not an argon2id hash (it is pbkdf2-sha256): ",
        ),
        // Malformed argon2id.
        (
            "$argon2id$v=19$m=19456,t=2,p=1".to_owned(),
            "a malformed argon2id hash (no salt or no hash): ",
        ),
        (
            format!("$argon2id$v=18$m=19456,t=2,p=1${salt_and_hash}"),
            "a malformed argon2id hash (unknown version): ",
        ),
        (
            format!("$argon2id$v=19$m=1,t=2,p=1${salt_and_hash}"),
            "a malformed argon2id hash (",
        ),
        (
            format!("$argon2id$v=19$m=19456,t=2,p=1$!!${salt_and_hash}"),
            "not an argon2id hash: ",
        ),
        (
            format!("$argon2id$v=19$m=1048576,t=2,p=1${salt_and_hash}"),
            "an argon2id hash too costly to check on a terminal (at most m=65536, t=10, p=4): ",
        ),
    ];
    for (hash, says) in cases {
        let errors = errors_of(&[staff_layer(&[&format!("BR-01 {hash}")])]);
        assert_eq!(errors.len(), 1, "{hash}: {errors:#?}");
        let error = &errors[0];
        assert_eq!(
            (error.file.as_str(), error.line, error.key.as_str()),
            ("branch.toml", Some(3), "staff.pins"),
            "{hash}"
        );
        assert!(matches!(error.kind, ErrorKind::Invalid(_)), "{hash}");
        let shown = error.to_string();
        assert!(
            shown.starts_with(&format!(
                "branch.toml:3: staff.pins: invalid value: entry 1: staff BR-01: {says}"
            )),
            "{hash}: {shown}"
        );
        assert!(
            shown.ends_with("make one with `kioskctl staff hash-pin`"),
            "{hash}: {shown}"
        );
        // The hash is not repeated in the report.
        assert!(!shown.contains(&hash), "{shown}");
    }
}

#[test]
fn staff_ids_are_checked_and_each_is_given_once() {
    for (entry, says) in [
        (
            "D".to_owned(),
            "\"<staff id> <argon2id hash of the PIN>\" expected, found 1 word(s)",
        ),
        (
            format!("DEMO 01 {HASH}"),
            "\"<staff id> <argon2id hash of the PIN>\" expected, found 3 word(s)",
        ),
        (String::new(), "expected, found 0 word(s)"),
        (
            format!("D {HASH}"),
            "a staff id has 2 to 16 characters, found 1",
        ),
        (
            format!("{} {HASH}", "A".repeat(17)),
            "a staff id has 2 to 16 characters, found 17",
        ),
        (
            format!("demo-01 {HASH}"),
            "a staff id uses only A-Z, 0-9 and '-', found 'd'",
        ),
        (
            format!("DEMO_01 {HASH}"),
            "a staff id uses only A-Z, 0-9 and '-', found '_'",
        ),
        (
            format!("张三 {HASH}"),
            "a staff id uses only A-Z, 0-9 and '-', found '张'",
        ),
    ] {
        let errors = errors_of(&[staff_layer(&[&format!("OK-1 {HASH}"), &entry])]);
        assert_eq!(errors.len(), 1, "{entry:?}: {errors:#?}");
        assert_eq!(errors[0].key, "staff.pins");
        assert_eq!(errors[0].line, Some(4), "{entry:?}");
        let shown = errors[0].to_string();
        assert!(shown.contains("entry 2: "), "{shown}");
        assert!(shown.contains(says), "{entry:?}: {shown}");
    }
    for good in ["AB", "0123456789ABCDEF", "BR-01"] {
        let loaded = load_layers(&[staff_layer(&[&format!("{good} {HASH}")])]);
        assert!(loaded.is_ok(), "{good}: {loaded:?}");
    }

    let errors = errors_of(&[staff_layer(&[
        &format!("BR-01 {HASH}"),
        &format!("BR-02 {HASH}"),
        &format!("BR-01 {HASH}"),
    ])]);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].to_string(),
        "branch.toml:5: staff.pins: invalid value: entry 3: staff id BR-01 is already entry 1; \
         each staff member has one PIN"
    );
}

#[test]
fn the_staff_list_has_strings_and_at_most_32_entries() {
    let errors = errors_of(&[layer(
        "terminal.toml",
        &format!("[staff]\npins = \"BR-01 {HASH}\"\n"),
    )]);
    assert_eq!(
        errors[0].kind,
        ErrorKind::WrongType {
            expected: "an array of strings",
            found: "a string"
        }
    );
    assert_eq!(errors[0].line, Some(2));

    let errors = errors_of(&[layer("terminal.toml", "[staff]\npins = [1, [\"x\"]]\n")]);
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "terminal.toml:2: staff.pins: invalid value: entry 1 is not a string",
            "terminal.toml:2: staff.pins: invalid value: entry 2 is not a string",
        ]
    );

    let ids: Vec<String> = (1..=33).map(|n| format!("BR-{n:02} {HASH}")).collect();
    let entries: Vec<&str> = ids.iter().map(String::as_str).collect();
    let errors = errors_of(&[staff_layer(&entries)]);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].line, Some(2));
    assert!(
        errors[0]
            .to_string()
            .ends_with("at most 32 staff, found 33")
    );
    assert!(load_layers(&[staff_layer(&entries[..32])]).is_ok());
}

#[test]
fn staff_timings_and_the_toner_yield_are_in_range() {
    let errors = errors_of(&[layer(
        "terminal.toml",
        "[staff]\nmax_attempts = 2\nlockout_secs = 29\nlong_press_ms = 999\n\
         [devices.a4_printer]\ntoner_yield_pages = 99\n",
    )]);
    let found: Vec<_> = errors.iter().map(|e| (e.key.as_str(), &e.kind)).collect();
    assert_eq!(
        found,
        [
            (
                "staff.max_attempts",
                &ErrorKind::OutOfRange {
                    min: 3,
                    max: 10,
                    found: 2
                }
            ),
            (
                "staff.lockout_secs",
                &ErrorKind::OutOfRange {
                    min: 30,
                    max: 86_400,
                    found: 29
                }
            ),
            (
                "staff.long_press_ms",
                &ErrorKind::OutOfRange {
                    min: 1000,
                    max: 10_000,
                    found: 999
                }
            ),
            (
                "devices.a4_printer.toner_yield_pages",
                &ErrorKind::OutOfRange {
                    min: 100,
                    max: 100_000,
                    found: 99
                }
            ),
        ]
    );
    let errors = errors_of(&[layer(
        "terminal.toml",
        "[staff]\nmax_attempts = 11\nlockout_secs = 86401\nlong_press_ms = 10001\n\
         [devices.a4_printer]\ntoner_yield_pages = 100001\n",
    )]);
    assert_eq!(errors.len(), 4, "{errors:#?}");
    let loaded = load_layers(&[layer(
        "terminal.toml",
        "[staff]\nmax_attempts = 10\nlockout_secs = 86400\nlong_press_ms = 10000\n\
         [devices.a4_printer]\ntoner_yield_pages = 100000\n",
    )])
    .expect("valid");
    assert_eq!(loaded.config.staff.lockout(), Duration::from_secs(86_400));
    assert_eq!(loaded.config.devices.a4_printer.toner_yield_pages, 100_000);
    // A misspelt staff key is named with the right one.
    let errors = errors_of(&[layer("terminal.toml", "[staff]\nmax_attempt = 4\n")]);
    assert_eq!(
        errors[0].kind,
        ErrorKind::UnknownKey {
            suggestion: Some("staff.max_attempts".into())
        }
    );
}
