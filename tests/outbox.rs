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
    Platform::start(Options {
        port,
        db: dir.join("platform.db"),
        catalogue: Options::sample_catalogue(assets()).unwrap(),
        ticket_ttl: tongban_platform::TICKET_TTL,
    })
    .unwrap()
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
            "application",
            TERMINAL,
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
            "application",
            TERMINAL,
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
            "rating",
            TERMINAL,
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
