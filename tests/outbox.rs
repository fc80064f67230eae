//! Submissions never lost and never doubled: the outbox against the
//! reference platform on a real port — an answer lost after the platform
//! committed, a platform that is down while a thousand submissions queue,
//! and a submission the platform refuses.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use tongban::platform::{Client, ClientError, ClientOptions, drain_outbox};
use tongban::store::Store;
use tongban_platform::{Options, Platform};
use tongban_platform_api::application::Application;

const TERMINAL: &str = "SH-PD-0001-01";

fn assets() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"))
}

fn start(dir: &Path, port: u16) -> Platform {
    let options = Options::sample(assets(), dir.join("platform.db")).unwrap();
    Platform::start(Options { port, ..options }).unwrap()
}

fn fast() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_millis(300),
        timeout: Duration::from_secs(5),
        attempts: 3,
        backoff: Duration::from_millis(10),
    }
}

/// Queues an application of `resident` for item `n` (fictional data).
fn enqueue(store: &mut Store, resident: &str, n: usize) -> String {
    let app = Application {
        terminal: TERMINAL.into(),
        resident: resident.into(),
        item: format!("residence-{:02}", n % 10 + 1),
        fields: vec![("phone".into(), "13800000000".into())],
        submitted_at: "2026-11-24T21:00:00+08:00".into(),
    };
    let body = serde_json::to_vec(&app).unwrap();
    store
        .enqueue(
            tongban::store::SubmissionKind::Application,
            resident,
            &body,
            "2026-11-24T21:00:00+08:00",
        )
        .unwrap()
}

#[tokio::test]
async fn an_answer_lost_after_the_commit_is_retried_and_the_platform_holds_one_application() {
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path(), 0);
    let client = Client::new(&platform.url(), fast()).unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db"), Duration::from_secs(2)).unwrap();
    let key = enqueue(&mut store, "R-DEMO-0001", 0);
    platform.faults().drop_after_commit_times(1);
    let report = drain_outbox(&client, &mut store, 50).await.unwrap();
    assert_eq!((report.delivered, report.stopped), (1, None));
    let held = platform.applications();
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0].0, key);
    assert_eq!(store.outbox_depth().unwrap(), 0);
    // The resident can follow it, under their session.
    let session = client
        .session(&tongban_platform_api::resident::Identification::Suishenma {
            token: "ZGVtby1yZXNpZGVudC0wMDAx".into(),
        })
        .await
        .unwrap();
    let progress = client.progress(&session, "SH0000000001").await.unwrap();
    assert_eq!(
        (progress.state.as_str(), progress.item.as_str()),
        ("received", "residence-01")
    );
    assert_eq!(
        client.progress(&session, "SH0000000099").await.unwrap_err(),
        ClientError::Refused(404)
    );
}

#[tokio::test]
async fn a_thousand_submissions_queued_while_the_platform_is_down_arrive_once_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::new(&format!("http://127.0.0.1:{port}"), fast()).unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db"), Duration::from_secs(2)).unwrap();
    let mut expected: HashMap<String, Vec<String>> = HashMap::new();
    for n in 0..1000 {
        let resident = format!("R-DEMO-{:04}", n % 17);
        let key = enqueue(&mut store, &resident, n);
        expected.entry(resident).or_default().push(key);
    }
    // Down: nothing goes, nothing is lost.
    let report = drain_outbox(&client, &mut store, 100).await.unwrap();
    assert_eq!(report.delivered, 0);
    assert!(matches!(report.stopped, Some(ClientError::Unreachable(_))));
    assert_eq!(store.outbox_depth().unwrap(), 1000);

    // Back: all of them, once, each resident's in the order made.
    let platform = start(dir.path(), port);
    let report = drain_outbox(&client, &mut store, 100).await.unwrap();
    assert_eq!(
        (report.delivered, report.rejected, report.stopped),
        (1000, 0, None)
    );
    assert_eq!(store.outbox_depth().unwrap(), 0);
    let held = platform.applications();
    assert_eq!(held.len(), 1000);
    let mut seen: HashMap<String, Vec<String>> = HashMap::new();
    for (key, resident, _) in held {
        seen.entry(resident).or_default().push(key);
    }
    assert_eq!(seen, expected);
    // Draining again sends nothing more.
    let report = drain_outbox(&client, &mut store, 100).await.unwrap();
    assert_eq!(report.delivered, 0);
    assert_eq!(platform.applications().len(), 1000);
}

#[tokio::test]
async fn a_refused_submission_is_kept_for_staff_and_does_not_hold_up_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path(), 0);
    let client = Client::new(&platform.url(), fast()).unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db"), Duration::from_secs(2)).unwrap();
    enqueue(&mut store, "R-DEMO-0001", 0);
    store
        .enqueue(
            tongban::store::SubmissionKind::Application,
            "R-DEMO-0001",
            br#"{"not": "an application"}"#,
            "2026-11-24T21:00:00+08:00",
        )
        .unwrap();
    enqueue(&mut store, "R-DEMO-0001", 2);
    let report = drain_outbox(&client, &mut store, 10).await.unwrap();
    assert_eq!((report.delivered, report.rejected), (2, 1));
    assert_eq!(store.outbox_depth().unwrap(), 0);
    assert_eq!(platform.applications().len(), 2);
}

#[tokio::test]
async fn ratings_go_out_through_the_same_outbox_once() {
    use tongban_platform_api::application::Rating;
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path(), 0);
    let client = Client::new(&platform.url(), fast()).unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db"), Duration::from_secs(2)).unwrap();
    let rating = Rating {
        terminal: TERMINAL.into(),
        application_no: None,
        item: "residence-03".into(),
        score: 4,
        reasons: Vec::new(),
        rated_at: "2026-11-24T21:05:00+08:00".into(),
    };
    let body = serde_json::to_vec(&rating).unwrap();
    store
        .enqueue(
            tongban::store::SubmissionKind::Rating,
            "R-DEMO-0001",
            &body,
            "2026-11-24T21:05:00+08:00",
        )
        .unwrap();
    platform.faults().drop_after_commit_times(1);
    let report = drain_outbox(&client, &mut store, 10).await.unwrap();
    assert_eq!((report.delivered, report.stopped), (1, None));
    assert_eq!(platform.ratings().len(), 1);
}

/// A store made anew (a corrupt one moved aside, a purge and reinstall, a
/// replaced unit keeping its terminal id) never sends a key the platform
/// holds for another submission: the new resident's application arrives
/// as a new one with its own number.
///
/// Fails on e372035: keys were `{terminal}-{rowid}`, so the new store's
/// first key was the old store's first key; the platform answered 200
/// with the OLD application number and the new application was deleted
/// from the outbox as delivered — lost, its receipt showing another
/// resident's number.
#[tokio::test]
async fn a_store_made_anew_never_reuses_a_key_and_each_application_gets_its_own_number() {
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path(), 0);
    let client = Client::new(&platform.url(), fast()).unwrap();
    let path = dir.path().join("kiosk.db");

    let mut first = Store::open(&path, Duration::from_secs(2)).unwrap();
    let first_key = enqueue(&mut first, "R-DEMO-0001", 0);
    assert_eq!(first_key.len(), 32, "128 random bits as hex: {first_key}");
    assert!(first_key.chars().all(|c| c.is_ascii_hexdigit()));
    let report = drain_outbox(&client, &mut first, 10).await.unwrap();
    assert_eq!(report.delivered, 1);
    drop(first);

    // The store is made anew: the file and its WAL go.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut second = Store::open(&path, Duration::from_secs(2)).unwrap();
    let second_key = enqueue(&mut second, "R-DEMO-0002", 5);
    assert_ne!(first_key, second_key);
    let report = drain_outbox(&client, &mut second, 10).await.unwrap();
    assert_eq!((report.delivered, report.rejected), (1, 0));

    let held = platform.applications();
    assert_eq!(held.len(), 2, "both applications arrive: {held:?}");
    assert_eq!(
        held[1],
        (second_key, "R-DEMO-0002".into(), "residence-06".into())
    );
    // Keys are unique however many a store makes.
    let keys: std::collections::HashSet<String> = (0..500)
        .map(|n| enqueue(&mut second, "R-DEMO-0003", n))
        .collect();
    assert_eq!(keys.len(), 500);
}

/// A 4xx that is not the platform's own refusal — a proxy's 408, 413 or
/// 429, with an HTML page or nothing — is retried later, never taken as
/// final: the submission stays queued and arrives once the path is
/// clear.
///
/// Fails on e372035: every 4xx but 429 was final, so a proxy's 413 or
/// 408 marked the resident's application refused for good.
#[tokio::test]
async fn a_proxys_4xx_is_retried_and_the_application_still_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path(), 0);
    let client = Client::new(&platform.url(), fast()).unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db"), Duration::from_secs(2)).unwrap();
    enqueue(&mut store, "R-DEMO-0001", 0);
    for status in [408, 413, 429, 400] {
        // The fault injection answers like a proxy: a bare status, no
        // problem document.
        platform.faults().set_status(status);
        let report = drain_outbox(&client, &mut store, 10).await.unwrap();
        assert_eq!((report.delivered, report.rejected), (0, 0), "HTTP {status}");
        assert!(
            matches!(report.stopped, Some(ClientError::Unreachable(_))),
            "HTTP {status}: {:?}",
            report.stopped
        );
        assert_eq!(store.outbox_depth().unwrap(), 1, "HTTP {status}");
        assert_eq!(store.outbox_rejected().unwrap(), 0, "HTTP {status}");
    }
    platform.faults().clear();
    let report = drain_outbox(&client, &mut store, 10).await.unwrap();
    assert_eq!((report.delivered, report.rejected), (1, 0));
    assert_eq!(platform.applications().len(), 1);
}

/// The platform's own refusal is final and its reason is kept for staff
/// with what the submission was for; the resident's form goes after
/// `store.refused_keep_days`, the item, time and reason stay.
///
/// Fails on e372035: the reason was only "HTTP 422", nothing said what
/// the submission was for, and the form stayed on disk for ever.
#[tokio::test]
async fn a_refusal_keeps_its_reason_and_item_and_the_form_goes_after_its_keep_time() {
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path(), 0);
    let client = Client::new(&platform.url(), fast()).unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db"), Duration::from_secs(2)).unwrap();
    // An application for an item, but with a score the contract forbids
    // in its form: a rating with a score of 9 is refused for good.
    let rating = tongban_platform_api::application::Rating {
        terminal: TERMINAL.into(),
        application_no: Some("SH0000000001".into()),
        item: "residence-03".into(),
        score: 9,
        reasons: Vec::new(),
        rated_at: "2026-11-24T21:05:00+08:00".into(),
    };
    store
        .enqueue(
            tongban::store::SubmissionKind::Rating,
            "R-DEMO-0001",
            &serde_json::to_vec(&rating).unwrap(),
            "2026-11-24T21:05:00+08:00",
        )
        .unwrap();
    let report = drain_outbox(&client, &mut store, 10).await.unwrap();
    assert_eq!((report.delivered, report.rejected), (0, 1));
    let refused = store.outbox_refused(10).unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].kind, tongban::store::SubmissionKind::Rating);
    assert_eq!(refused[0].summary, "residence-03");
    assert!(
        refused[0].reason.starts_with("HTTP 422 invalid_body"),
        "{}",
        refused[0].reason
    );
    assert!(refused[0].body_kept);

    // Within the keep time nothing goes; after it, the form does.
    tongban::platform::drop_old_refused_bodies(&mut store, Duration::from_secs(7 * 86_400));
    assert!(store.outbox_refused(10).unwrap()[0].body_kept);
    tongban::platform::drop_old_refused_bodies(&mut store, Duration::ZERO);
    let refused = store.outbox_refused(10).unwrap();
    assert!(!refused[0].body_kept);
    assert_eq!(refused[0].summary, "residence-03");
    assert!(refused[0].reason.contains("invalid_body"));
    assert_eq!(store.outbox_rejected().unwrap(), 1);
    assert_eq!(store.outbox_depth().unwrap(), 0);
}

/// A form that keeps the resident's registered phone as the platform
/// showed it (138****0001) reaches the office with the number the
/// platform holds; the terminal never had it.
///
/// Fails on e372035: the platform gave the whole phone to anyone who
/// sent an ID number; with the phone masked (issue item), nothing filled
/// it back in and the office got a number it could not call.
#[tokio::test]
async fn the_registered_phone_reaches_the_office_whole_though_the_terminal_saw_it_masked() {
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path(), 0);
    let client = Client::new(&platform.url(), fast()).unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db"), Duration::from_secs(2)).unwrap();
    let app = Application {
        terminal: TERMINAL.into(),
        resident: "R-DEMO-0001".into(),
        item: "residence-03".into(),
        fields: vec![("phone".into(), "138****0001".into())],
        submitted_at: "2026-11-24T21:00:00+08:00".into(),
    };
    store
        .enqueue(
            tongban::store::SubmissionKind::Application,
            "R-DEMO-0001",
            &serde_json::to_vec(&app).unwrap(),
            "2026-11-24T21:00:00+08:00",
        )
        .unwrap();
    let report = drain_outbox(&client, &mut store, 10).await.unwrap();
    assert_eq!((report.delivered, report.rejected), (1, 0));
    let db = rusqlite::Connection::open(dir.path().join("platform.db")).unwrap();
    let body: String = db
        .query_row(
            "SELECT body FROM applications WHERE terminal = ?1",
            [TERMINAL],
            |r| r.get(0),
        )
        .unwrap();
    let held: Application = serde_json::from_str(&body).unwrap();
    assert_eq!(held.fields[0].1, "13800000001");
}
