//! `kioskctl devices` as an installer meets it: each configured device
//! probed with the kiosk's driver through the simulators (which speak the
//! real protocols on pseudo-terminals and loopback TCP), the sentence and
//! exit status when a device is missing, silent, or answers garbage, the
//! listing of this machine's ports and printers, and the udev rules made
//! from a config.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tongban_sim::{LaserSim, ReaderSim, ReceiptOptions, ReceiptSim, SamHealth, ScannerSim};

/// A config folder whose terminal.toml is `terminal`.
fn config(terminal: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("terminal.toml"), terminal).unwrap();
    dir
}

fn kioskctl(config: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kioskctl"));
    command
        .arg("devices")
        .args(args)
        .arg("--config")
        .arg(config);
    command
}

fn run(config: &Path, args: &[&str]) -> Output {
    kioskctl(config, args).output().unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// The value a probe's JSON gives for `key`.
fn answer(probe: &serde_json::Value, key: &str) -> String {
    probe["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == key)
        .map(|a| a["value"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no {key} in {probe}"))
}

fn reader_config(path: &Path) -> tempfile::TempDir {
    config(&format!(
        "[devices.id_reader]\nenabled = true\npath = {:?}\nbaud = 115200\n",
        path.display().to_string()
    ))
}

#[test]
fn the_reader_answers_its_sam_status_and_id() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ReaderSim::start(&dir.path().join("id-reader")).unwrap();
    let conf = reader_config(sim.path());

    let out = run(conf.path(), &["probe", "id_reader"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "id_reader (serial {} at 115200 baud)\n",
            sim.path().display()
        )),
        "{stdout}"
    );
    assert!(stdout.contains("status         online"), "{stdout}");
    assert!(stdout.contains("sam_status     Ok"), "{stdout}");
    assert!(
        stdout.contains("sam_id         05.01-20261124-0000000001-0000000000"),
        "{stdout}"
    );

    let out = run(conf.path(), &["probe", "id_reader", "--json"]);
    assert!(out.status.success());
    let probe = json(&out);
    assert_eq!(probe["device"], "id_reader");
    assert_eq!(probe["enabled"], true);
    assert_eq!(probe["failure"], serde_json::Value::Null);
    assert_eq!(probe["status"]["state"], "online");
    assert_eq!(
        answer(&probe, "sam_id"),
        "05.01-20261124-0000000001-0000000000"
    );
    assert!(sim.requests() >= 4, "two probes, two requests each");
}

#[test]
fn a_reader_whose_sam_fails_answers_with_a_hardware_error() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ReaderSim::start(&dir.path().join("id-reader")).unwrap();
    sim.set_sam(SamHealth::SelfTestFailed);
    let conf = reader_config(sim.path());
    let out = run(conf.path(), &["probe", "id_reader", "--json"]);
    assert!(out.status.success(), "it answered: {:?}", text(&out));
    let probe = json(&out);
    assert_eq!(probe["status"]["state"], "hardware_error");
    assert_eq!(answer(&probe, "sam_status"), "SamSelfTestFailed");
    assert_eq!(answer(&probe, "sam_id"), "refused: SamSelfTestFailed");
}

#[test]
fn a_reader_answering_garbage_is_said_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ReaderSim::start(&dir.path().join("id-reader")).unwrap();
    sim.corrupt_next();
    let conf = reader_config(sim.path());
    let out = run(conf.path(), &["probe", "id_reader"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("answers garbage"), "{stdout}");
    assert!(
        stderr.contains("kioskctl: id_reader does not answer: ")
            && stderr.contains("answers garbage (checksum"),
        "{stderr}"
    );
}

#[test]
fn a_port_where_nothing_answers_times_out_with_a_sentence() {
    // A scanner's port: open, but it never answers a reader's request.
    let dir = tempfile::tempdir().unwrap();
    let silent = ScannerSim::start(&dir.path().join("silent"), b"\r\n").unwrap();
    let conf = reader_config(silent.path());
    let started = Instant::now();
    let out = run(conf.path(), &["probe", "id_reader", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(started.elapsed() < Duration::from_secs(10));
    let probe = json(&out);
    assert_eq!(probe["failure"], "timeout");
    let error = probe["error"].as_str().unwrap();
    assert!(
        error.contains("nothing answered the SAM status request within 2s")
            && error.contains("115200 baud"),
        "{error}"
    );
}

#[test]
fn a_configured_path_that_does_not_exist_is_said_and_fails() {
    let conf = config(
        "[devices.receipt_printer]\nenabled = true\ntransport = \"serial\"\npath = \"/dev/ttyUSB-tongban-none\"\n",
    );
    let out = run(conf.path(), &["probe", "receipt_printer"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stderr.contains(
            "kioskctl: receipt_printer does not answer: /dev/ttyUSB-tongban-none does not exist: the device is unplugged, or the path in config is wrong"
        ),
        "{stderr}"
    );
    let out = run(conf.path(), &["probe", "receipt_printer", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["failure"], "not_found");
}

#[test]
fn the_scanner_reports_a_code_by_its_length_only() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ScannerSim::start(&dir.path().join("qr-scanner"), b"\r\n").unwrap();
    let conf = config(&format!(
        "[devices.scanner]\nenabled = true\npath = {:?}\nbaud = 9600\n",
        sim.path().display().to_string()
    ));
    let mut child = kioskctl(conf.path(), &["probe", "scanner", "--wait", "10"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Scan until the probe has heard one (it opens the port first).
    let deadline = Instant::now() + Duration::from_secs(15);
    while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(300));
        sim.scan(tongban_sim::SAMPLE_SUISHENMA);
    }
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("status         online"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "scan           a code of {} bytes",
            tongban_sim::SAMPLE_SUISHENMA.len()
        )),
        "{stdout}"
    );
    assert!(
        !stdout.contains(tongban_sim::SAMPLE_SUISHENMA),
        "a code may be a resident's token: {stdout}"
    );
}

#[test]
fn the_receipt_printer_answers_its_status_and_an_open_cover() {
    let dir = tempfile::tempdir().unwrap();
    // Five metres of paper, near its end below one.
    let options = ReceiptOptions {
        out_dir: dir.path().join("out"),
        font: tongban::fonts::TONGBAN_SANS,
        roll_mm: 5000,
        near_end_mm: 1000,
    };
    let sim = ReceiptSim::start(&dir.path().join("receipt-printer"), options).unwrap();
    let conf = config(&format!(
        "[devices.receipt_printer]\nenabled = true\ntransport = \"serial\"\npath = {:?}\nbaud = 115200\n",
        sim.path().display().to_string()
    ));
    let out = run(conf.path(), &["probe", "receipt_printer", "--json"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let probe = json(&out);
    assert_eq!(probe["status"]["state"], "online");
    assert_eq!(answer(&probe, "status"), "online, paper full, cover closed");

    sim.set_cover_open(true);
    let out = run(conf.path(), &["probe", "receipt_printer"]);
    let (stdout, _) = text(&out);
    assert!(out.status.success(), "it answered: {stdout}");
    assert!(stdout.contains("cover open"), "{stdout}");
    assert!(sim.printed().is_empty(), "a probe prints nothing");
}

#[test]
fn the_a4_printer_answers_over_loopback_tcp() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(10, &dir.path().join("a4")).unwrap();
    let conf = config(&format!(
        "[devices.a4_printer]\nenabled = true\ntransport = \"tcp\"\naddress = \"{}\"\n",
        sim.addr()
    ));
    let out = run(conf.path(), &["probe", "a4_printer", "--json"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let probe = json(&out);
    assert_eq!(probe["target"]["transport"], "tcp");
    assert_eq!(probe["status"]["state"], "online");
    assert!(answer(&probe, "pjl_status").starts_with("10001"), "{probe}");
    assert_eq!(answer(&probe, "pagecount"), sim.pagecount().to_string());

    sim.load(0);
    let out = run(conf.path(), &["probe", "a4_printer"]);
    let (stdout, _) = text(&out);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("paper out"), "{stdout}");
}

#[test]
fn an_a4_printer_that_is_off_is_said() {
    // A loopback port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let conf = config(&format!(
        "[devices.a4_printer]\nenabled = true\ntransport = \"tcp\"\naddress = \"{port}\"\n"
    ));
    let out = run(conf.path(), &["probe", "a4_printer", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let probe = json(&out);
    assert_eq!(probe["failure"], "not_found");
    assert!(
        probe["error"]
            .as_str()
            .unwrap()
            .starts_with(&format!("nothing takes connections on {port}")),
        "{probe}"
    );
}

#[test]
fn a_usb_printer_that_is_not_attached_is_said() {
    let conf = config(
        "[devices.receipt_printer]\nenabled = true\ntransport = \"usb\"\nusb_id = \"0519:f00d\"\n",
    );
    let out = run(conf.path(), &["probe", "receipt_printer", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let probe = json(&out);
    assert_eq!(probe["failure"], "not_found");
    assert!(
        probe["error"]
            .as_str()
            .unwrap()
            .contains("no USB printer 0519:f00d is attached"),
        "{probe}"
    );
}

#[test]
fn devices_lists_this_machine_and_where_each_configured_device_is() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ReaderSim::start(&dir.path().join("id-reader")).unwrap();
    let conf = reader_config(sim.path());
    let out = run(conf.path(), &[]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    let sections: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(' '))
        .collect();
    assert_eq!(
        sections,
        ["Serial ports", "USB printers", "Configured devices"],
        "{stdout}"
    );
    // The reader's path is a link to a pseudo-terminal it may open.
    let node = std::fs::canonicalize(sim.path()).unwrap();
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("id_reader"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains("enabled"), "{line}");
    assert!(
        line.ends_with(&format!("-> {}, read-write", node.display())),
        "{line}"
    );
    assert!(
        stdout.contains("  a4_printer       disabled TCP 127.0.0.1:9100"),
        "{stdout}"
    );

    let out = run(conf.path(), &["--json"]);
    assert!(out.status.success());
    let listing = json(&out);
    assert!(listing["serial_ports"].is_array() && listing["usb_printers"].is_array());
    assert_eq!(listing["configured"].as_array().unwrap().len(), 4);
    // Every port listed says whether this user may open it.
    for port in listing["serial_ports"].as_array().unwrap() {
        assert!(
            port["path"].as_str().unwrap().starts_with("/dev/tty"),
            "{port}"
        );
        assert!(port["access"]["access"].is_string(), "{port}");
    }
}

#[test]
fn devices_without_a_readable_config_still_lists_the_machine_but_fails() {
    let out = run(Path::new("/nonexistent/tongban"), &[]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.starts_with("Serial ports\n"), "{stdout}");
    assert!(
        stdout.contains("(the config could not be read)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("/nonexistent/tongban: 1 error(s)"),
        "{stderr}"
    );
}

#[test]
fn udev_rules_come_from_the_config_and_a_bad_usb_id_names_its_file_and_key() {
    let conf = config(
        "[devices.scanner]\nenabled = true\npath = \"/dev/ttyACM0\"\n\
         [devices.a4_printer]\nenabled = true\ntransport = \"usb\"\nusb_id = \"03f0:002a\"\n",
    );
    let out = run(conf.path(), &["udev-rules"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains(r#"SUBSYSTEM=="tty", KERNEL=="ttyACM0", GROUP="tongban", MODE="0660""#),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            r#"ATTRS{idVendor}=="03f0", ATTRS{idProduct}=="002a", GROUP="tongban", MODE="0660""#
        ),
        "{stdout}"
    );

    let conf = config(
        "[devices.a4_printer]\nenabled = true\ntransport = \"usb\"\nusb_id = \"03f0002a\"\n",
    );
    let out = run(conf.path(), &["udev-rules"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.is_empty(), "no half rules file: {stdout}");
    assert!(
        stderr.contains("terminal.toml:4: devices.a4_printer.usb_id:")
            && stderr.contains("vendor:product in hex"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_device_name_lists_the_names() {
    let conf = config("");
    let out = run(conf.path(), &["probe", "printer"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("use id_reader, scanner, receipt_printer or a4_printer"),
        "{stderr}"
    );
}
