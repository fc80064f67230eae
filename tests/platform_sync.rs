//! The kiosk's platform client against the reference platform, a real HTTP
//! server on a loopback port: conditional catalogue sync, what an
//! unchanged and a full catalogue cost on the wire, forged and older
//! catalogues refused with the held one kept, a platform that is down,
//! slow or answers garbage, heartbeats with commands in the reply, and
//! fleet bundles kept across a platform restart.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use tongban::platform::{Client, ClientError, ClientOptions, SyncOutcome, sync_catalogue};
use tongban::store::Store;
use tongban_platform::{Options, Platform};
use tongban_platform_api::terminal::{Command, Heartbeat};
use tongban_platform_api::{Catalogue, SignatureError, Signed, sample_signing_key};

fn assets() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"))
}

fn platform(dir: &Path) -> Platform {
    Platform::start(Options::sample(assets(), dir.join("platform.db")).unwrap()).unwrap()
}

fn fast() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_millis(500),
        timeout: Duration::from_secs(5),
        attempts: 3,
        backoff: Duration::from_millis(20),
    }
}

fn store(dir: &Path) -> Store {
    Store::open(&dir.join("kiosk.db"), Duration::from_secs(2)).unwrap()
}

/// The sample catalogue as version `version`, signed by `key`.
fn catalogue_v(version: u64, key: &ed25519_dalek::SigningKey) -> Signed {
    let signed = Options::sample_catalogue(assets()).unwrap();
    let mut c: Catalogue = serde_json::from_slice(&signed.payload).unwrap();
    c.version = version;
    c.issued_at = format!("2026-11-{:02}T00:00:00+08:00", 24 + version.min(5));
    Signed::sign(key, serde_json::to_vec(&c).unwrap())
}

/// A raw HTTP/1.1 GET; returns every byte of the response.
fn raw_get(platform: &Platform, path: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut stream = std::net::TcpStream::connect(platform.addr()).unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    response
}

/// The kiosk's platform thread against `platform`, heartbeating every
/// `heartbeat`: its stop flag, its events and the thread.
fn spawn_service(
    platform: &Platform,
    dir: &Path,
    heartbeat: Duration,
) -> (
    std::sync::Arc<std::sync::atomic::AtomicBool>,
    std::sync::mpsc::Receiver<tongban::platform::PlatformEvent>,
    std::thread::JoinHandle<()>,
) {
    let service = tongban::platform::PlatformService {
        url: platform.url(),
        public_key: tongban_platform_api::key_base64(&sample_signing_key().verifying_key()),
        terminal: "SH-PD-0001-01".into(),
        store: dir.join("kiosk.db"),
        heartbeat,
        catalogue_every: Duration::from_secs(600),
        refused_keep: std::time::Duration::from_secs(7 * 86_400),
        fleet: None,
        tls: None,
    };
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            tongban::platform::run_service(&service, &stop, &mut |e| {
                let _ = tx.send(e);
            })
        })
    };
    (stop, rx, thread)
}

#[tokio::test]
async fn a_first_sync_takes_the_catalogue_and_an_unchanged_one_costs_a_small_304() {
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(dir.path());
    let client = Client::new(&platform.url(), fast()).unwrap();
    let key = sample_signing_key().verifying_key();
    let mut store = store(dir.path());
    let first = sync_catalogue(&client, &key, &mut store).await.unwrap();
    assert_eq!(first, SyncOutcome::Updated { version: 1 });
    let held = store.catalogue().unwrap().unwrap();
    assert_eq!(held.version, 1);
    let second = sync_catalogue(&client, &key, &mut store).await.unwrap();
    assert_eq!(second, SyncOutcome::Unchanged);
    assert_eq!(platform.catalogue_requests(), 2);

    // On the wire: the 304 is under 1 KB, headers and all; the whole
    // catalogue, gzip-compressed as the client asks for it, under 150 KB.
    let not_modified = raw_get(&platform, "/v1/catalogue", &[("If-None-Match", &held.etag)]);
    assert!(
        not_modified.starts_with(b"HTTP/1.1 304"),
        "{}",
        String::from_utf8_lossy(&not_modified)
    );
    assert!(not_modified.len() <= 1024, "{} bytes", not_modified.len());
    let full = raw_get(&platform, "/v1/catalogue", &[("Accept-Encoding", "gzip")]);
    let text = String::from_utf8_lossy(&full[..full.len().min(600)]).to_lowercase();
    assert!(text.contains("content-encoding: gzip"), "{text}");
    assert!(full.len() <= 150 * 1024, "{} bytes", full.len());
}

#[tokio::test]
async fn a_forged_truncated_or_older_catalogue_is_refused_and_the_held_one_stays() {
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(dir.path());
    let client = Client::new(&platform.url(), fast()).unwrap();
    let key = sample_signing_key().verifying_key();
    let mut store = store(dir.path());
    sync_catalogue(&client, &key, &mut store).await.unwrap();

    // Version 2, signed by somebody else.
    let intruder = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    platform.publish(catalogue_v(2, &intruder)).unwrap();
    let outcome = sync_catalogue(&client, &key, &mut store).await.unwrap();
    assert_eq!(outcome, SyncOutcome::Refused(SignatureError::Forged));
    assert_eq!(store.catalogue().unwrap().unwrap().version, 1);

    // The genuine version 2, but the body arrives cut short.
    platform
        .publish(catalogue_v(2, &sample_signing_key()))
        .unwrap();
    platform.faults().set_malformed(true);
    let outcome = sync_catalogue(&client, &key, &mut store).await.unwrap();
    assert_eq!(outcome, SyncOutcome::Refused(SignatureError::Forged));
    assert_eq!(store.catalogue().unwrap().unwrap().version, 1);
    platform.faults().clear();

    // Now it arrives whole: taken.
    let outcome = sync_catalogue(&client, &key, &mut store).await.unwrap();
    assert_eq!(outcome, SyncOutcome::Updated { version: 2 });

    // A genuine but older catalogue (a replay, a rollback) is refused.
    platform
        .publish(catalogue_v(1, &sample_signing_key()))
        .unwrap();
    let outcome = sync_catalogue(&client, &key, &mut store).await.unwrap();
    assert_eq!(
        outcome,
        SyncOutcome::Refused(SignatureError::Stale {
            offered: 1,
            held: 2
        })
    );
    assert_eq!(store.catalogue().unwrap().unwrap().version, 2);
    // The held bytes still verify.
    let held = store.catalogue().unwrap().unwrap();
    Signed::from_parts(held.payload, &held.signature)
        .unwrap()
        .verify(&key)
        .unwrap();
}

#[tokio::test]
async fn a_platform_that_is_down_slow_or_failing_is_unreachable_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let key = sample_signing_key().verifying_key();
    let mut store = store(dir.path());
    // Nothing listens here (a port that was free a moment ago).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::new(&format!("http://127.0.0.1:{port}"), fast()).unwrap();
    let err = sync_catalogue(&client, &key, &mut store).await.unwrap_err();
    assert!(err.to_string().contains("cannot be reached"), "{err}");
    assert!(store.catalogue().unwrap().is_none());

    let platform = platform(dir.path());
    let client = Client::new(
        &platform.url(),
        ClientOptions {
            timeout: Duration::from_millis(300),
            ..fast()
        },
    )
    .unwrap();
    platform.faults().set_latency(Duration::from_secs(2));
    let err = sync_catalogue(&client, &key, &mut store).await.unwrap_err();
    assert!(
        matches!(
            err,
            tongban::platform::SyncError::Client(ClientError::Unreachable(_))
        ),
        "{err}"
    );
    platform.faults().clear();
    platform.faults().set_status(503);
    let err = sync_catalogue(&client, &key, &mut store).await.unwrap_err();
    assert!(err.to_string().contains("503"), "{err}");
    // A 404 from something in between (no problem document): not the
    // platform's word, so tried again later like a 5xx.
    platform.faults().set_status(404);
    let err = sync_catalogue(&client, &key, &mut store).await.unwrap_err();
    assert!(
        matches!(
            &err,
            tongban::platform::SyncError::Client(ClientError::Unreachable(why)) if why.contains("404")
        ),
        "{err}"
    );
    assert!(store.catalogue().unwrap().is_none());
    platform.faults().clear();
    assert_eq!(
        sync_catalogue(&client, &key, &mut store).await.unwrap(),
        SyncOutcome::Updated { version: 1 }
    );
}

fn beat(terminal: &str) -> Heartbeat {
    Heartbeat {
        catalogue_version: Some(1),
        ..Heartbeat::new(terminal, "2026-11-24T21:00:00+08:00")
    }
}

#[tokio::test]
async fn heartbeats_are_stored_and_bring_back_queued_commands_once() {
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(dir.path());
    let client = Client::new(&platform.url(), fast()).unwrap();
    platform
        .queue_command("SH-PD-0001-01", &Command::SyncCatalogue)
        .unwrap();
    let reply = client.heartbeat(&beat("SH-PD-0001-01")).await.unwrap();
    assert_eq!(reply.commands, vec![Command::SyncCatalogue]);
    let reply = client.heartbeat(&beat("SH-PD-0001-01")).await.unwrap();
    assert!(reply.commands.is_empty());
    assert_eq!(platform.heartbeats("SH-PD-0001-01").len(), 2);

    // A reply that is not JSON is garbage, not a crash.
    platform.faults().set_malformed(true);
    let err = client.heartbeat(&beat("SH-PD-0001-01")).await.unwrap_err();
    assert!(matches!(err, ClientError::Garbage(_)), "{err}");
    platform.faults().clear();

    // Stored, then the connection dropped before the answer: the client
    // tries again and gets through once the link is back.
    platform.faults().set_drop_after_commit(true);
    let err = client.heartbeat(&beat("SH-PD-0001-01")).await.unwrap_err();
    assert!(matches!(err, ClientError::Unreachable(_)), "{err}");
    platform.faults().clear();
    assert!(client.heartbeat(&beat("SH-PD-0001-01")).await.is_ok());
}

#[test]
fn the_platform_thread_seeds_the_catalogue_beats_drains_and_obeys() {
    use std::sync::atomic::Ordering;
    use tongban::platform::PlatformEvent;
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(dir.path());
    {
        let mut store = store(dir.path());
        store
            .set_supply("a4_sheets", 42, "2026-11-24T21:00:00+08:00")
            .unwrap();
        let app = tongban_platform_api::application::Application {
            terminal: "SH-PD-0001-01".into(),
            resident: "R-DEMO-0001".into(),
            item: "residence-03".into(),
            fields: Vec::new(),
            submitted_at: "2026-11-24T21:00:00+08:00".into(),
        };
        store
            .enqueue(
                tongban::store::SubmissionKind::Application,
                "R-DEMO-0001",
                &serde_json::to_vec(&app).unwrap(),
                "now",
            )
            .unwrap();
    }
    platform
        .queue_command(
            "SH-PD-0001-01",
            &Command::OutOfService {
                reason_zh: "维护".into(),
                reason_en: "Maintenance".into(),
            },
        )
        .unwrap();
    let (stop, rx, thread) = spawn_service(&platform, dir.path(), Duration::from_millis(200));
    let mut events = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let with_devices = || {
        platform.heartbeats("SH-PD-0001-01").iter().any(|b| {
            b.devices
                .iter()
                .any(|d| d.detail.as_deref() == Some("paper_out"))
        })
    };
    while !events.contains(&PlatformEvent::Outbox(0)) || !with_devices() {
        assert!(std::time::Instant::now() < deadline, "{events:?}");
        if let Ok(e) = rx.recv_timeout(Duration::from_millis(100)) {
            // The UI hands over its device states as they change.
            if let PlatformEvent::Ready(sink) = &e {
                use tongban_device::{
                    CoverState, DeviceKind, DeviceState, DeviceStatus, MediaState, TonerState,
                };
                sink.send(&[DeviceStatus {
                    kind: DeviceKind::A4Printer,
                    state: DeviceState::UserError,
                    media: Some(MediaState::Out),
                    toner: Some(TonerState::Full),
                    cover: Some(CoverState::Closed),
                }]);
            }
            events.push(e);
        }
    }
    stop.store(true, Ordering::SeqCst);
    thread.join().unwrap();
    // The shipped catalogue was taken at first boot, the platform answered,
    // its command reached the UI, and the queued application went out.
    assert!(events.contains(&PlatformEvent::Catalogue(1)), "{events:?}");
    assert!(events.contains(&PlatformEvent::Online), "{events:?}");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, PlatformEvent::Command(Command::OutOfService { .. })))
    );
    assert_eq!(platform.applications().len(), 1);
    let beats = platform.heartbeats("SH-PD-0001-01");
    let first = &beats[0];
    assert_eq!(first.catalogue_version, Some(1));
    assert_eq!(first.outbox_depth, 1);
    assert_eq!(first.supplies[0].name, "a4_sheets");
    assert_eq!(first.supplies[0].remaining, 42);
}

#[tokio::test]
async fn a_scanned_suishenma_or_a_read_card_becomes_a_resident_session() {
    use tongban_platform_api::resident::Identification;
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(dir.path());
    let client = Client::new(&platform.url(), fast()).unwrap();
    // The demo's sample 随申码, as the scanner simulator sends it.
    let token = tongban_sim::SAMPLE_SUISHENMA.strip_prefix("SSM1:").unwrap();
    let session = client
        .session(&Identification::Suishenma {
            token: token.into(),
        })
        .await
        .unwrap();
    assert_eq!(session.resident, "R-DEMO-0001");
    assert_eq!(session.masked_name, "测***甲");
    // Its Debug carries no personal data.
    let id = Identification::IdCard {
        number: "11010519491231002X".into(),
        name: "测试居民甲".into(),
    };
    assert!(!format!("{id:?}").contains("1101"));
    assert_eq!(client.session(&id).await.unwrap().resident, "R-DEMO-0001");
    let err = client
        .session(&Identification::Suishenma {
            token: "nobody".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err, ClientError::Refused(404));
}

#[tokio::test]
async fn a_resident_s_licence_gets_a_print_ticket_that_prints_within_the_day_s_quota() {
    use tongban_platform_api::licence::TicketRequest;
    use tongban_platform_api::resident::Identification;
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(dir.path());
    let client = Client::new(&platform.url(), fast()).unwrap();
    let session = client
        .session(&Identification::Suishenma {
            token: "ZGVtby1yZXNpZGVudC0wMDAx".into(),
        })
        .await
        .unwrap();
    let licences = client.licences(&session).await.unwrap();
    assert_eq!(licences.len(), 7);
    assert!(
        !licences[0].number_masked.contains("2026-000"),
        "{}",
        licences[0].number_masked
    );
    let ask = |copies| TicketRequest {
        terminal: "SH-PD-0001-01".into(),
        resident: "R-DEMO-0001".into(),
        licence: licences[0].id.clone(),
        purpose: "办理入学手续".into(),
        copies,
    };
    let ticket = client.print_ticket(&session, &ask(3)).await.unwrap();
    assert_eq!(ticket.copies, 3);
    assert_eq!(ticket.licence_type, "jzz");
    // The ticket has what the licence layout needs.
    let copy = tongban::print::licence::LicenceCopy {
        template: tongban::print::licence::template_for("residence"),
        name: String::new(),
        number: ticket.number.clone(),
        fields: ticket.fields.clone(),
        photo: None,
        issuer: ticket.issuer.clone(),
        issued: ticket.issued_on.clone(),
        purpose: "办理入学手续".into(),
        date: "2026-11-24".into(),
        time: "21:00".into(),
        terminal: "SH-PD-0001-01".into(),
        verify_code: ticket.verify_code.clone(),
        verify_url: ticket.verify_url.clone(),
    };
    assert!(tongban::print::licence::compose(&copy).is_ok());
    // The quota is used up: refused, and not retried.
    assert_eq!(
        client.print_ticket(&session, &ask(1)).await.unwrap_err(),
        ClientError::Refused(429)
    );
}

#[tokio::test]
async fn a_second_resident_can_neither_see_nor_print_the_first_resident_s_licences() {
    use tongban_platform_api::licence::TicketRequest;
    use tongban_platform_api::resident::Identification;
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(dir.path());
    let client = Client::new(&platform.url(), fast()).unwrap();
    let first = client
        .session(&Identification::Suishenma {
            token: "ZGVtby1yZXNpZGVudC0wMDAx".into(),
        })
        .await
        .unwrap();
    let second = client
        .session(&Identification::Suishenma {
            token: "ZGVtby1yZXNpZGVudC0wMDAy".into(),
        })
        .await
        .unwrap();
    let theirs = client.licences(&first).await.unwrap();
    let mine = client.licences(&second).await.unwrap();
    assert!(
        mine.iter().all(|m| theirs.iter().all(|t| t.id != m.id)),
        "each resident lists only their own"
    );
    // The first resident's list under the second resident's token.
    let mut borrowed = first.clone();
    borrowed.token = second.token.clone();
    assert_eq!(
        client.licences(&borrowed).await.unwrap_err(),
        ClientError::Refused(403)
    );
    // A ticket for the first resident's licence: in the first resident's
    // name under the second's token, or in the second's own name.
    let ask = |resident: &str| TicketRequest {
        terminal: "SH-PD-0001-01".into(),
        resident: resident.into(),
        licence: theirs[0].id.clone(),
        purpose: "办理入学手续".into(),
        copies: 1,
    };
    assert_eq!(
        client
            .print_ticket(&second, &ask(&first.resident))
            .await
            .unwrap_err(),
        ClientError::Refused(403)
    );
    assert_eq!(
        client
            .print_ticket(&second, &ask(&second.resident))
            .await
            .unwrap_err(),
        ClientError::Refused(404)
    );
    // The first resident still has the whole day's quota.
    let ticket = client
        .print_ticket(&first, &ask(&first.resident))
        .await
        .unwrap();
    assert_eq!(ticket.copies, 1);
}

#[test]
fn pushed_bundles_outlive_a_platform_restart() {
    use tongban_platform_api::fleet::{BundleFile, ConfigBundle, Scope, sample_fleet_signing_key};
    let dir = tempfile::tempdir().unwrap();
    let file = BundleFile::seal(
        &sample_fleet_signing_key(),
        &ConfigBundle {
            scope: Scope::Fleet,
            version: 4,
            issued_at: "2026-11-24T09:00:00+08:00".into(),
            expires_at: "2099-01-01T00:00:00+08:00".into(),
            files: [(
                "fleet.toml".to_owned(),
                "[ui]\nelder_mode_default = true\n".to_owned(),
            )]
            .into(),
        },
    );
    let body = serde_json::to_vec(&file).unwrap();
    {
        let p = platform(dir.path());
        let mut stream = std::net::TcpStream::connect(p.addr()).unwrap();
        write!(
            stream,
            "PUT /v1/fleet/bundles/fleet HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .unwrap();
        stream.write_all(&body).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    }
    let p = platform(dir.path());
    let answer = raw_get(&p, "/v1/fleet/bundles/fleet", &[]);
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.contains("etag: \"fleet-v4\""), "{text}");
    let served = text.split("\r\n\r\n").nth(1).unwrap();
    assert_eq!(BundleFile::parse(served.as_bytes()).unwrap(), file);
}

#[test]
fn staff_actions_reach_the_platform_with_the_next_heartbeat_once() {
    use std::sync::atomic::Ordering;
    use tongban::store::AuditEntry;
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(dir.path());
    let restock = AuditEntry {
        at: "2026-11-24T09:05:00+08:00".into(),
        actor: "S-0042".into(),
        action: "restock".into(),
        detail: "a4_sheets=500".into(),
    };
    store(dir.path())
        .restock("a4_sheets", 500, &restock)
        .unwrap();
    // The platform is failing at first: the entry stays unreported.
    platform.faults().set_status(503);
    let (stop, _rx, thread) = spawn_service(&platform, dir.path(), Duration::from_millis(150));
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(store(dir.path()).unreported_audit(10).unwrap().len(), 1);
    assert!(platform.staff_actions("SH-PD-0001-01").is_empty());
    platform.faults().clear();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while platform.staff_actions("SH-PD-0001-01").is_empty()
        || !store(dir.path()).unreported_audit(10).unwrap().is_empty()
    {
        assert!(std::time::Instant::now() < deadline, "never reported");
        std::thread::sleep(Duration::from_millis(50));
    }
    // One taken by the platform is not sent again; a later one follows.
    let back = AuditEntry {
        at: "2026-11-24T09:10:00+08:00".into(),
        actor: "S-0042".into(),
        action: "in_service".into(),
        detail: String::new(),
    };
    store(dir.path()).audit(&back).unwrap();
    while platform.staff_actions("SH-PD-0001-01").len() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the second never came"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let beats_before = platform.heartbeats("SH-PD-0001-01").len();
    while platform.heartbeats("SH-PD-0001-01").len() < beats_before + 2 {
        assert!(std::time::Instant::now() < deadline, "heartbeats stopped");
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::SeqCst);
    thread.join().unwrap();
    let reported = platform.staff_actions("SH-PD-0001-01");
    assert_eq!(
        reported
            .iter()
            .map(|a| (a.staff.as_str(), a.action.as_str(), a.detail.as_str()))
            .collect::<Vec<_>>(),
        [
            ("S-0042", "restock", "a4_sheets=500"),
            ("S-0042", "in_service", "")
        ]
    );
    assert_eq!(reported[0].at, restock.at);
    // Each went in exactly one heartbeat the platform took.
    let carried: usize = platform
        .heartbeats("SH-PD-0001-01")
        .iter()
        .map(|b| b.staff_actions.len())
        .sum();
    assert_eq!(carried, 2);
    assert!(store(dir.path()).unreported_audit(10).unwrap().is_empty());
    assert_eq!(store(dir.path()).audit_log(10).unwrap().len(), 2);
}

#[test]
fn a_long_backlog_drains_a_chunk_at_a_time_between_heartbeats() {
    use std::sync::atomic::Ordering;
    use tongban::platform::PlatformEvent;
    const QUEUED: u64 = 1_000;
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(dir.path());
    {
        let mut store = store(dir.path());
        let body = br#"{"terminal":"SH-PD-0001-01","resident":"R-DEMO-0001","item":"residence-03","fields":[],"submitted_at":"2026-11-24T21:00:00+08:00"}"#;
        for _ in 0..QUEUED {
            store
                .enqueue(
                    tongban::store::SubmissionKind::Application,
                    "R-DEMO-0001",
                    body,
                    "now",
                )
                .unwrap();
        }
    }
    // Slow enough that the backlog outlasts several heartbeats.
    platform.faults().set_latency(Duration::from_millis(3));
    let (stop, rx, thread) = spawn_service(&platform, dir.path(), Duration::from_millis(250));
    let mut depths = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let midway = || {
        platform
            .heartbeats("SH-PD-0001-01")
            .iter()
            .filter(|b| (1..QUEUED).contains(&b.outbox_depth))
            .count()
    };
    // Heartbeats go on during the drain: wait for two that report the
    // backlog part way down.
    while midway() < 2 {
        assert!(std::time::Instant::now() < deadline, "{depths:?}");
        if let Ok(PlatformEvent::Outbox(n)) = rx.recv_timeout(Duration::from_millis(20)) {
            depths.push(n);
        }
    }
    // A stop is taken between chunks (about 0.6 s each here), not after
    // the whole backlog (3 s and more).
    let started = std::time::Instant::now();
    stop.store(true, Ordering::SeqCst);
    thread.join().unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    depths.extend(rx.try_iter().filter_map(|e| match e {
        PlatformEvent::Outbox(n) => Some(n),
        _ => None,
    }));
    // The UI saw the depth go down chunk by chunk, never up.
    assert!(depths.contains(&(QUEUED - 200)), "{depths:?}");
    assert!(depths.windows(2).all(|w| w[1] <= w[0]), "{depths:?}");
    // Stopped part way: what was not delivered is still queued.
    let left = store(dir.path()).outbox_depth().unwrap();
    assert!(left > 0, "the backlog was gone before the stop");
    assert_eq!(platform.applications().len() as u64 + left, QUEUED);
}

#[tokio::test]
async fn a_resident_s_own_data_needs_their_session_and_lists_their_applications() {
    use tongban_platform_api::resident::Identification;
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(dir.path());
    let client = Client::new(&platform.url(), fast()).unwrap();
    let card = |number: &str, name: &str| Identification::IdCard {
        number: number.into(),
        name: name.into(),
    };
    let first = client
        .session(&card("11010519491231002X", "测试居民甲"))
        .await
        .unwrap();
    let second = client
        .session(&card("440524188001010014", "测试居民乙"))
        .await
        .unwrap();
    assert_ne!(first.token, second.token);
    assert_eq!(first.token.len(), 64, "256 random bits");
    // The sample applications, newest first, in several states.
    let mine = client.applications(&second).await.unwrap();
    let states: Vec<&str> = mine.iter().map(|p| p.state.as_str()).collect();
    assert_eq!(states, ["received", "accepted", "rejected"]);
    // One submitted now comes first, with the time it was received.
    let app = tongban_platform_api::application::Application {
        terminal: "SH-PD-0001-01".into(),
        resident: second.resident.clone(),
        item: "hukou-09".into(),
        fields: Vec::new(),
        submitted_at: chrono::Local::now().to_rfc3339(),
    };
    let mut store = store(dir.path());
    store
        .enqueue(
            tongban::store::SubmissionKind::Application,
            &second.resident,
            &serde_json::to_vec(&app).unwrap(),
            "now",
        )
        .unwrap();
    tongban::platform::drain_outbox(&client, &mut store, 10)
        .await
        .unwrap();
    let mine = client.applications(&second).await.unwrap();
    assert_eq!(mine.len(), 4);
    assert_eq!(mine[0].item, "hukou-09");
    assert!(chrono::DateTime::parse_from_rfc3339(&mine[0].updated_at).is_ok());
    // Another resident's token, a made-up one: refused, not retried.
    let mut borrowed = first.clone();
    borrowed.resident = second.resident.clone();
    assert_eq!(
        client.licences(&borrowed).await.unwrap_err(),
        ClientError::Refused(403)
    );
    let mut made_up = first.clone();
    made_up.token = "0".repeat(64);
    assert_eq!(
        client.applications(&made_up).await.unwrap_err(),
        ClientError::Refused(401)
    );
    assert_eq!(client.licences(&first).await.unwrap().len(), 7);
}

/// The held catalogue is verified again when the kiosk loads it: one
/// altered on disk is dropped, never shown, and the shipped (or the
/// platform's next) catalogue takes its place.
///
/// Fails on e372035: the held catalogue was parsed at start and handed to
/// the UI without checking its signature, so an edited file put its
/// items and guides before residents.
#[test]
fn a_held_catalogue_altered_on_disk_is_dropped_at_load_and_never_shown() {
    use std::sync::atomic::Ordering;
    use tongban::platform::PlatformEvent;
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(dir.path());
    {
        let mut store = store(dir.path());
        let signed = catalogue_v(5, &sample_signing_key());
        // Altered after it was taken: another item's name, same version
        // and signature.
        let mut c: Catalogue = serde_json::from_slice(&signed.payload).unwrap();
        c.items[0].name.zh = "被篡改的事项".into();
        let held = tongban::store::HeldCatalogue {
            version: 5,
            etag: "\"v5\"".into(),
            payload: serde_json::to_vec(&c).unwrap(),
            signature: signed.signature_base64(),
        };
        assert!(
            store
                .swap_catalogue(&held, "2026-11-24T21:00:00+08:00")
                .unwrap()
        );
    }
    let (stop, rx, thread) = spawn_service(&platform, dir.path(), Duration::from_millis(200));
    let mut events = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !events.contains(&PlatformEvent::Catalogue(1)) {
        assert!(std::time::Instant::now() < deadline, "{events:?}");
        if let Ok(e) = rx.recv_timeout(Duration::from_millis(100)) {
            events.push(e);
        }
    }
    stop.store(true, Ordering::SeqCst);
    thread.join().unwrap();
    assert!(!events.contains(&PlatformEvent::Catalogue(5)), "{events:?}");
    for e in &events {
        if let PlatformEvent::CatalogueData(data) = e {
            assert_ne!(data.0.version, 5);
            assert!(data.0.items.iter().all(|i| i.name.zh != "被篡改的事项"));
        }
    }
    assert_eq!(
        store(dir.path()).catalogue_tag().unwrap().map(|t| t.0),
        Some(1)
    );
}

/// A loopback server that answers every request with `head` and then
/// `body`; returns its address.
fn one_answer_server(head: String, body: Vec<u8>) -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { return };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    addr
}

/// Answers are read up to a cap (8 MB for the catalogue, 1 MB for
/// everything else), counted after gzip is undone: more is the
/// platform's fault, never held whole in memory.
///
/// Fails on e372035: bodies were read whole, so a 2 MB heartbeat reply
/// was taken, and a 100 MB answer gzipped to 100 KB was inflated into
/// memory.
#[tokio::test]
async fn answers_longer_than_their_cap_are_refused_even_when_gzipped() {
    use flate2::{Compression, write::GzEncoder};
    // A valid reply, padded past 1 MB.
    let mut big = br#"{"commands": []"#.to_vec();
    big.extend(std::iter::repeat_n(b' ', 2 * 1024 * 1024));
    big.push(b'}');
    let addr = one_answer_server(
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            big.len()
        ),
        big.clone(),
    );
    let client = Client::new(&format!("http://{addr}"), fast()).unwrap();
    let err = client.heartbeat(&beat("SH-PD-0001-01")).await.unwrap_err();
    assert!(
        matches!(&err, ClientError::Garbage(why) if why.contains("longer than")),
        "{err:?}"
    );

    // The same, gzipped, with no length announced: cut off while inflating.
    let mut bomb = GzEncoder::new(Vec::new(), Compression::best());
    bomb.write_all(br#"{"commands": []"#).unwrap();
    for _ in 0..100 {
        bomb.write_all(&vec![b' '; 1024 * 1024]).unwrap();
    }
    bomb.write_all(b"}").unwrap();
    let bomb = bomb.finish().unwrap();
    assert!(bomb.len() < 200 * 1024);
    let addr = one_answer_server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n".into(),
        bomb,
    );
    let client = Client::new(&format!("http://{addr}"), fast()).unwrap();
    let err = client.heartbeat(&beat("SH-PD-0001-01")).await.unwrap_err();
    assert!(
        matches!(&err, ClientError::Garbage(why) if why.contains("longer than")),
        "{err:?}"
    );
}
