//! Mutual TLS between the terminal and the reference platform. Every test
//! makes its own CA and certificates with rcgen (the server's for
//! 127.0.0.1, terminals' naming them by `urn:tongban:terminal:ID`), keys
//! written with mode 0600 in a temporary folder, and starts the platform
//! with client certificates required.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
    SanType,
};
use tongban::platform::tls::{Tls, TlsError};
use tongban::platform::{Client, ClientError, ClientOptions, PlatformEvent, PlatformService};
use tongban::store::Store;
use tongban_platform::{Options, Platform, ServerTls};
use tongban_platform_api::application::Application;
use tongban_platform_api::terminal::Heartbeat;
use tongban_platform_api::{Catalogue, Signed, sample_signing_key};

const TERMINAL: &str = "SH-PD-0001-01";
const OTHER: &str = "SH-PD-0001-02";

type Ca = CertifiedIssuer<'static, KeyPair>;

fn new_ca(name: &str) -> Ca {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A certificate signed by `ca` with these names: (certificate PEM, key
/// PEM).
fn leaf(ca: &Ca, common_name: &str, names: Vec<SanType>) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.subject_alt_names = names;
    let cert = params.signed_by(&key, ca).unwrap();
    (cert.pem(), key.serialize_pem())
}

/// A terminal's certificate: `urn:tongban:terminal:ID`.
fn terminal_cert(ca: &Ca, id: &str) -> (String, String) {
    let urn = format!("{}{id}", tongban_platform::TERMINAL_URN);
    leaf(ca, id, vec![SanType::URI(urn.as_str().try_into().unwrap())])
}

/// Writes a file with `mode`.
fn write(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// A terminal's files: the pinned CA, its certificate and key (0600).
fn terminal_files(dir: &Path, pinned: &Ca, cert: &(String, String)) -> Tls {
    let ca = write(dir, "platform-ca.pem", &pinned.pem(), 0o644);
    let crt = write(dir, "terminal.crt", &cert.0, 0o644);
    let key = write(dir, "terminal.key", &cert.1, 0o600);
    Tls::from_files(Some(&ca), Some(&crt), Some(&key))
        .unwrap()
        .unwrap()
}

fn assets() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"))
}

fn options(dir: &Path) -> Options {
    Options {
        port: 0,
        db: dir.join("platform.db"),
        catalogue: Options::sample_catalogue(assets()).unwrap(),
        ticket_ttl: tongban_platform::TICKET_TTL,
    }
}

/// The reference platform on 127.0.0.1 serving HTTPS with `server_ca`'s
/// certificate for 127.0.0.1, requiring client certificates from
/// `client_ca`.
fn platform(dir: &Path, server_ca: &Ca, client_ca: &Ca) -> Platform {
    let (cert, key) = leaf(
        server_ca,
        "reference platform",
        vec![SanType::IpAddress([127, 0, 0, 1].into())],
    );
    let tls = ServerTls {
        cert_chain: cert.into_bytes(),
        key: key.into_bytes(),
        client_ca: client_ca.pem().into_bytes(),
    };
    let platform = Platform::start_tls(options(dir), tls).unwrap();
    assert!(platform.url().starts_with("https://127.0.0.1:"));
    platform
}

/// One try per call, short timeouts: a refusal shows at once.
fn fast() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_millis(500),
        timeout: Duration::from_secs(5),
        attempts: 1,
        backoff: Duration::from_millis(10),
    }
}

fn beat(terminal: &str) -> Heartbeat {
    serde_json::from_value(serde_json::json!({
        "terminal": terminal,
        "at": "2026-11-24T09:00:00+08:00",
        "devices": [],
        "supplies": [],
        "outbox_depth": 0,
    }))
    .unwrap()
}

fn application(terminal: &str) -> Application {
    Application {
        terminal: terminal.into(),
        resident: "R-DEMO-0001".into(),
        item: "residence-01".into(),
        fields: vec![("phone".into(), "13800000000".into())],
        submitted_at: "2026-11-24T21:00:00+08:00".into(),
    }
}

/// The sample catalogue as version 2, signed by the sample key.
fn catalogue_v2() -> Signed {
    let signed = Options::sample_catalogue(assets()).unwrap();
    let mut c: Catalogue = serde_json::from_slice(&signed.payload).unwrap();
    c.version = 2;
    Signed::sign(&sample_signing_key(), serde_json::to_vec(&c).unwrap())
}

#[test]
fn a_terminal_with_a_valid_certificate_heartbeats_takes_the_catalogue_and_sends_its_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let ca = new_ca("Tongban test CA");
    let platform = platform(dir.path(), &ca, &ca);
    platform.publish(catalogue_v2()).unwrap();
    let tls = terminal_files(dir.path(), &ca, &terminal_cert(&ca, TERMINAL));
    // An application waits in the outbox, as a submission made while the
    // platform was away leaves it.
    let mut store = Store::open(&dir.path().join("kiosk.db"), Duration::from_secs(2)).unwrap();
    let body = serde_json::to_vec(&application(TERMINAL)).unwrap();
    let key = store
        .enqueue(
            tongban::store::SubmissionKind::Application,
            "R-DEMO-0001",
            &body,
            "2026-11-24T21:00:00+08:00",
        )
        .unwrap();
    drop(store);
    // The kiosk's own platform thread, as `main` starts it.
    let service = PlatformService {
        url: platform.url(),
        public_key: tongban_platform_api::key_base64(&sample_signing_key().verifying_key()),
        terminal: TERMINAL.into(),
        store: dir.path().join("kiosk.db"),
        heartbeat: Duration::from_millis(200),
        catalogue_every: Duration::from_secs(600),
        refused_keep: std::time::Duration::from_secs(7 * 86_400),
        fleet: None,
        tls: Some(tls),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let thread = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            tongban::platform::run_service(&service, &stop, &mut |e| {
                let _ = tx.send(e);
            })
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut events = Vec::new();
    while !(events.contains(&PlatformEvent::Catalogue(2))
        && events.contains(&PlatformEvent::Outbox(0))
        && !platform.applications().is_empty())
    {
        assert!(Instant::now() < deadline, "no sync: {events:?}");
        if let Ok(e) = rx.recv_timeout(Duration::from_millis(100)) {
            events.push(e);
        }
    }
    stop.store(true, Ordering::SeqCst);
    thread.join().unwrap();
    assert!(events.contains(&PlatformEvent::Online), "{events:?}");
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, PlatformEvent::Offline(_))),
        "{events:?}"
    );
    assert!(!platform.heartbeats(TERMINAL).is_empty());
    assert!(platform.catalogue_requests() >= 1);
    let held = platform.applications();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].0, key);
}

#[tokio::test]
async fn a_client_without_a_certificate_is_refused_in_the_handshake() {
    let dir = tempfile::tempdir().unwrap();
    let ca = new_ca("Tongban test CA");
    let platform = platform(dir.path(), &ca, &ca);
    // It trusts the platform (the CA pinned) but has no certificate.
    let ca_file = write(dir.path(), "platform-ca.pem", &ca.pem(), 0o644);
    let tls = Tls::from_files(Some(&ca_file), None, None)
        .unwrap()
        .unwrap();
    assert!(!tls.has_identity());
    let client = Client::with_tls(&platform.url(), fast(), Some(&tls)).unwrap();
    // The platform's alert in the handshake, said as unreachable.
    let refused = client.heartbeat(&beat(TERMINAL)).await;
    assert!(
        matches!(&refused, Err(ClientError::Unreachable(why)) if why.contains("CertificateRequired")),
        "{refused:?}"
    );
    let refused = client
        .submit(&outgoing(TERMINAL, "00000000000000000000000000000001"))
        .await;
    assert!(
        matches!(refused, Err(ClientError::Unreachable(_))),
        "{refused:?}"
    );
    // Plain HTTP to the TLS port gets nothing either.
    let plain = Client::new(&platform.url().replace("https://", "http://"), fast()).unwrap();
    assert!(plain.heartbeat(&beat(TERMINAL)).await.is_err());
    assert!(platform.heartbeats(TERMINAL).is_empty());
    assert!(platform.applications().is_empty());
}

#[tokio::test]
async fn a_certificate_from_another_ca_is_refused_in_the_handshake() {
    let dir = tempfile::tempdir().unwrap();
    let ca = new_ca("Tongban test CA");
    let rogue = new_ca("Somebody else's CA");
    let platform = platform(dir.path(), &ca, &ca);
    // The right terminal id, the platform's CA pinned, but signed by
    // another CA.
    let tls = terminal_files(dir.path(), &ca, &terminal_cert(&rogue, TERMINAL));
    let client = Client::with_tls(&platform.url(), fast(), Some(&tls)).unwrap();
    // The platform's alert in the handshake, said as unreachable.
    let refused = client.heartbeat(&beat(TERMINAL)).await;
    assert!(
        matches!(&refused, Err(ClientError::Unreachable(why)) if why.contains("UnknownCA")),
        "{refused:?}"
    );
    assert!(platform.heartbeats(TERMINAL).is_empty());
}

/// An application as the outbox holds it.
fn outgoing(terminal: &str, key: &str) -> tongban::store::Outgoing {
    tongban::store::Outgoing {
        id: 1,
        kind: tongban::store::SubmissionKind::Application,
        resident: "R-DEMO-0001".into(),
        idempotency_key: key.into(),
        body: serde_json::to_vec(&application(terminal)).unwrap(),
    }
}

#[tokio::test]
async fn a_terminal_cannot_heartbeat_or_submit_as_another_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let ca = new_ca("Tongban test CA");
    let platform = platform(dir.path(), &ca, &ca);
    let tls = terminal_files(dir.path(), &ca, &terminal_cert(&ca, TERMINAL));
    let client = Client::with_tls(&platform.url(), fast(), Some(&tls)).unwrap();
    // Its own id: taken.
    client.heartbeat(&beat(TERMINAL)).await.unwrap();
    // Another terminal's: 403, through the kiosk's own client.
    assert_eq!(
        client.heartbeat(&beat(OTHER)).await,
        Err(ClientError::Refused(403))
    );
    // A submission keeps the platform's reason for staff.
    let refused = client
        .submit(&outgoing(OTHER, "00000000000000000000000000000002"))
        .await;
    assert!(
        matches!(&refused, Err(ClientError::Rejected(p)) if p.status == 403 && p.code == "wrong_terminal"),
        "{refused:?}"
    );
    // The refusal says why, in a problem document.
    let http = tls
        .apply(reqwest::Client::builder())
        .unwrap()
        .build()
        .unwrap();
    let response = http
        .post(format!("{}/v1/terminals/{OTHER}/heartbeat", platform.url()))
        .json(&beat(OTHER))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let error: serde_json::Value = response.json().await.unwrap();
    let error = error["detail"].as_str().unwrap();
    assert!(
        error.contains("belongs to another terminal") && error.contains(OTHER),
        "{error}"
    );
    // Nothing was stored for the other terminal; its own heartbeat was.
    assert!(platform.heartbeats(OTHER).is_empty());
    assert_eq!(platform.heartbeats(TERMINAL).len(), 1);
    assert!(platform.applications().is_empty());
    // Its own application goes through.
    client
        .submit(&outgoing(TERMINAL, "00000000000000000000000000000003"))
        .await
        .unwrap();
    assert_eq!(platform.applications().len(), 1);
    // A certificate from the right CA that names no terminal speaks for
    // none.
    let (cert, key) = leaf(&ca, "no terminal", Vec::new());
    let anonymous = terminal_files(dir.path(), &ca, &(cert, key));
    let client = Client::with_tls(&platform.url(), fast(), Some(&anonymous)).unwrap();
    assert_eq!(
        client.heartbeat(&beat(TERMINAL)).await,
        Err(ClientError::Refused(403))
    );
    assert_eq!(platform.heartbeats(TERMINAL).len(), 1);
}

#[tokio::test]
async fn a_platform_whose_certificate_is_not_from_the_pinned_ca_is_refused_by_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let ca = new_ca("Tongban test CA");
    let impostor = new_ca("Impostor CA");
    // The platform's server certificate is from another CA; it would take
    // the terminal's certificate.
    let platform = platform(dir.path(), &impostor, &ca);
    let tls = terminal_files(dir.path(), &ca, &terminal_cert(&ca, TERMINAL));
    let client = Client::with_tls(&platform.url(), fast(), Some(&tls)).unwrap();
    let refused = client.heartbeat(&beat(TERMINAL)).await;
    let Err(ClientError::Unreachable(why)) = refused else {
        panic!("{refused:?}");
    };
    // The reason names the certificate the terminal would not trust.
    assert!(why.contains("UnknownIssuer"), "{why}");
    assert!(platform.heartbeats(TERMINAL).is_empty());
}

#[test]
fn a_key_file_others_can_read_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let ca = new_ca("Tongban test CA");
    let (cert, key) = terminal_cert(&ca, TERMINAL);
    let crt = write(dir.path(), "terminal.crt", &cert, 0o644);
    let key_file = write(dir.path(), "terminal.key", &key, 0o644);
    let error = Tls::from_files(None, Some(&crt), Some(&key_file)).unwrap_err();
    assert!(
        matches!(error, TlsError::KeyExposed { mode: 0o644, .. }),
        "{error:?}"
    );
    let sentence = error.to_string();
    assert!(
        sentence.contains(&key_file.display().to_string()),
        "{sentence}"
    );
    assert!(
        sentence.contains(&format!("chmod 600 {}", key_file.display())),
        "{sentence}"
    );
    assert!(sentence.contains("(mode 0644)"), "{sentence}");
    // Group-readable is refused too; owner-only is taken.
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert!(matches!(
        Tls::from_files(None, Some(&crt), Some(&key_file)),
        Err(TlsError::KeyExposed { mode: 0o640, .. })
    ));
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(
        Tls::from_files(None, Some(&crt), Some(&key_file))
            .unwrap()
            .is_some()
    );
}

#[test]
fn missing_garbage_and_mismatched_files_are_said_with_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let ca = new_ca("Tongban test CA");
    let (cert, key) = terminal_cert(&ca, TERMINAL);
    let crt = write(dir.path(), "terminal.crt", &cert, 0o644);
    let key_file = write(dir.path(), "terminal.key", &key, 0o600);
    let named = |error: TlsError, path: &Path| {
        let sentence = error.to_string();
        assert!(sentence.contains(&path.display().to_string()), "{sentence}");
        sentence
    };
    // A missing CA file.
    let missing = dir.path().join("nowhere.pem");
    let error = Tls::from_files(Some(&missing), Some(&crt), Some(&key_file)).unwrap_err();
    assert!(matches!(error, TlsError::Unreadable { .. }), "{error:?}");
    named(error, &missing);
    // A CA file that is not PEM.
    let garbage = write(dir.path(), "garbage.pem", "not a certificate\n", 0o644);
    let error = Tls::from_files(Some(&garbage), None, None).unwrap_err();
    assert!(
        named(error, &garbage).contains("no PEM certificate"),
        "garbage CA"
    );
    // A certificate file holding the key.
    let error = Tls::from_files(None, Some(&key_file), Some(&key_file)).unwrap_err();
    assert!(matches!(error, TlsError::Garbage { .. }), "{error:?}");
    named(error, &key_file);
    // A key file holding a certificate.
    let not_key = write(dir.path(), "not.key", &cert, 0o600);
    let error = Tls::from_files(None, Some(&crt), Some(&not_key)).unwrap_err();
    assert!(
        named(error, &not_key).contains("no PEM private key"),
        "certificate as key"
    );
    // Another certificate's key.
    let (_, other_key) = terminal_cert(&ca, OTHER);
    let other_key = write(dir.path(), "other.key", &other_key, 0o600);
    let error = Tls::from_files(None, Some(&crt), Some(&other_key)).unwrap_err();
    assert!(matches!(error, TlsError::Mismatch { .. }), "{error:?}");
    named(error, &other_key);
    // A certificate without its key.
    assert!(matches!(
        Tls::from_files(None, Some(&crt), None),
        Err(TlsError::Incomplete { .. })
    ));
}

#[test]
fn the_config_takes_the_tls_paths_and_refuses_half_or_plain_http_setups() {
    let layer = |text: &str| vec![("terminal.toml".to_owned(), text.to_owned())];
    let good = kiosk_config::load_layers(&layer(
        "[platform]\nurl = \"https://127.0.0.1:8600\"\nca_cert = \"tls/platform-ca.pem\"\n\
         client_cert = \"tls/terminal.crt\"\nclient_key = \"tls/terminal.key\"\n",
    ))
    .unwrap();
    assert_eq!(good.config.platform.client_key, "tls/terminal.key");
    // Relative paths are under the data folder, like the store's.
    let data = tempfile::tempdir().unwrap();
    let error = Tls::load(data.path(), &good.config.platform).unwrap_err();
    let TlsError::Unreadable { path, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(path, &data.path().join("tls/platform-ca.pem"));
    // Nothing set: no TLS.
    assert!(
        Tls::load(data.path(), &kiosk_config::defaults().platform)
            .unwrap()
            .is_none()
    );

    let errors = kiosk_config::load_layers(&layer(
        "[platform]\nurl = \"https://127.0.0.1:8600\"\nclient_cert = \"terminal.crt\"\n",
    ))
    .unwrap_err();
    let text = errors.to_string();
    assert!(
        text.contains("terminal.toml:3: platform.client_cert")
            && text.contains("without platform.client_key"),
        "{text}"
    );
    let errors = kiosk_config::load_layers(&layer(
        "[platform]\nurl = \"https://127.0.0.1:8600\"\nclient_key = \"terminal.key\"\n",
    ))
    .unwrap_err();
    assert!(
        errors.to_string().contains("without platform.client_cert"),
        "{errors}"
    );
    let errors = kiosk_config::load_layers(&layer(
        "[platform]\nurl = \"http://127.0.0.1:8600\"\nclient_cert = \"a.crt\"\nclient_key = \"a.key\"\n",
    ))
    .unwrap_err();
    let text = errors.to_string();
    assert!(
        text.contains("terminal.toml:3: platform.client_cert") && text.contains("https://"),
        "{text}"
    );
}

#[test]
fn kioskctl_config_check_reports_a_key_others_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("tls")).unwrap();
    std::fs::create_dir_all(&config).unwrap();
    let ca = new_ca("Tongban test CA");
    let (cert, key) = terminal_cert(&ca, TERMINAL);
    write(&data.join("tls"), "platform-ca.pem", &ca.pem(), 0o644);
    write(&data.join("tls"), "terminal.crt", &cert, 0o644);
    let key_file = write(&data.join("tls"), "terminal.key", &key, 0o644);
    // Relative paths, under the data folder given.
    std::fs::write(
        config.join("terminal.toml"),
        "[platform]\nurl = \"https://127.0.0.1:8600\"\nca_cert = \"tls/platform-ca.pem\"\n\
         client_cert = \"tls/terminal.crt\"\nclient_key = \"tls/terminal.key\"\n",
    )
    .unwrap();
    let check = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kioskctl"))
            .args(["config", "check"])
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .output()
            .unwrap()
    };
    let out = check();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("chmod 600 {}", key_file.display())),
        "{stderr}"
    );
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = check();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `kioskctl` with the arguments, its status, stdout and stderr.
fn kioskctl(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_fleet_admin_with_a_certificate_pushes_and_reads_the_fleet_and_one_without_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let server_ca = new_ca("Tongban platform CA");
    let client_ca = new_ca("Tongban client CA");
    let server = platform(dir.path(), &server_ca, &client_ca);
    let url = server.url();
    let s = |p: &Path| p.display().to_string();
    let ca = write(dir.path(), "platform-ca.pem", &server_ca.pem(), 0o644);
    let (cert, key) = leaf(&client_ca, "fleet admin", Vec::new());
    let cert = write(dir.path(), "admin.crt", &cert, 0o644);
    let key = write(dir.path(), "admin.key", &key, 0o600);

    // A branch layer signed with a fleet key the platform holds.
    let keys = dir.path().join("keys");
    assert!(kioskctl(&["keygen", "--out", &s(&keys)]).0);
    let public = std::fs::read_to_string(keys.join("fleet.pub")).unwrap();
    server.set_fleet_key(tongban_platform_api::verifying_key(&public).unwrap());
    let layer = dir.path().join("layer");
    std::fs::create_dir_all(&layer).unwrap();
    std::fs::write(
        layer.join("branch.toml"),
        "[service]\nbanner.zh = \"今日 12:00 起暂停服务\"\nbanner.en = \"Closed from 12:00 today\"\n",
    )
    .unwrap();
    let bundle = dir.path().join("bundle.json");
    let (signed, _, stderr) = kioskctl(&[
        "config",
        "sign",
        "--key",
        &s(&keys.join("fleet.key")),
        "--scope",
        "branch:SH-PD-0001",
        "--version",
        "1",
        &s(&layer),
        "--out",
        &s(&bundle),
    ]);
    assert!(signed, "{stderr}");

    // Without a certificate the handshake fails, said in words.
    let (pushed, _, stderr) = kioskctl(&["config", "push", "--platform", &url, &s(&bundle)]);
    assert!(!pushed);
    assert!(stderr.contains("cannot reach the platform"), "{stderr}");
    let (read, _, stderr) = kioskctl(&["fleet", "status", "--platform", &url, "--ca", &s(&ca)]);
    assert!(!read);
    assert!(stderr.contains("cannot reach the platform"), "{stderr}");

    // With the admin's certificate from the client CA: pushed and read.
    let tls = [
        "--ca",
        &s(&ca),
        "--client-cert",
        &s(&cert),
        "--client-key",
        &s(&key),
    ];
    let mut args = vec!["config", "push", "--platform", &url];
    args.extend(tls);
    let bundle_arg = s(&bundle);
    args.push(&bundle_arg);
    let (pushed, stdout, stderr) = kioskctl(&args);
    assert!(pushed, "{stderr}");
    assert!(
        stdout.contains("pushed:   branch:SH-PD-0001 version 1"),
        "{stdout}"
    );
    let mut args = vec!["fleet", "status", "--platform", &url, "--json"];
    args.extend(tls);
    let (read, stdout, stderr) = kioskctl(&args);
    assert!(read, "{stderr}");
    // No terminal has reported to this platform yet: an empty fleet.
    let fleet: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(fleet, serde_json::json!([]), "{stdout}");

    // Half a pair, a plain URL with TLS files, a key others can read.
    let (ok, _, stderr) = kioskctl(&[
        "fleet",
        "status",
        "--platform",
        &url,
        "--client-cert",
        &s(&cert),
    ]);
    assert!(!ok);
    assert!(stderr.contains("--client-key"), "{stderr}");
    let plain = url.replace("https://", "http://");
    let mut args = vec!["fleet", "status", "--platform", &plain];
    args.extend(tls);
    let (ok, _, stderr) = kioskctl(&args);
    assert!(!ok);
    assert!(stderr.contains("must start with https://"), "{stderr}");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut args = vec!["fleet", "status", "--platform", &url];
    args.extend(tls);
    let (ok, _, stderr) = kioskctl(&args);
    assert!(!ok);
    assert!(stderr.contains("chmod 600"), "{stderr}");
}
