//! Tests of the store: opening, migrations and what is wrong with a
//! file here, each concern's in its own child module; the helpers
//! every test opens and fills a store with.

use super::*;

mod audit;
mod journal;
mod supplies;

fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("kiosk.db"), Duration::from_millis(100)).expect("opens")
}

/// Caps the file at its current size, so that the next large write cannot
/// fit: exactly as when the disk is full.
fn fill_disk(store: &Store) {
    let pages: u64 = store
        .connection()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store
        .connection()
        .execute_batch(&format!("PRAGMA max_page_count = {pages}"))
        .unwrap();
}

/// A store with the A4 tray and toner counters set (at "t0").
fn open_with_a4_supplies(dir: &tempfile::TempDir, sheets: i64, toner: i64) -> Store {
    let mut store = open(dir);
    store.set_supply("a4_sheets", sheets, "t0").unwrap();
    store.set_supply("a4_toner_pages", toner, "t0").unwrap();
    store
}

/// A one-page receipt with no ticket.
fn receipt_job() -> NewJob<'static> {
    NewJob {
        printer: "receipt",
        kind: "receipt",
        ticket: "",
        pages: 1,
    }
}

fn a4_job(pages: u32) -> NewJob<'static> {
    NewJob {
        printer: "a4",
        kind: "licence",
        ticket: "T-0001",
        pages,
    }
}

fn staff(at: &str, action: &str, detail: &str) -> AuditEntry {
    AuditEntry {
        at: at.into(),
        actor: "S-0042".into(),
        action: action.into(),
        detail: detail.into(),
    }
}

#[test]
fn moving_the_outbox_to_version_6_keeps_its_rows_and_never_reuses_an_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    {
        // A version 5 store with one submission delivered (deleted)
        // after another that still waits.
        let conn = Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..5] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 5;
             INSERT INTO outbox (kind, resident, idempotency_key, body, created_at)
                 VALUES ('application', 'R1', 'T-1', x'7B7D', 'now'),
                        ('rating', 'R1', 'T-2', x'7B7D', 'now');
             DELETE FROM outbox WHERE id = 2;",
        )
        .unwrap();
    }
    let mut store = Store::open(&path, Duration::from_millis(100)).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let head = store.outbox_head(10).unwrap();
    assert_eq!(head.len(), 1);
    assert_eq!((head[0].id, head[0].kind), (1, SubmissionKind::Application));
    let key = store
        .enqueue(SubmissionKind::PrintResult, "R1", b"{}", "now")
        .unwrap();
    let head = store.outbox_head(10).unwrap();
    assert_eq!(head[1].idempotency_key, key);
    assert_eq!(head[1].id, 3, "id 2 was used by a delivered submission");
    // The row queued before keeps the key it may have reached the
    // platform under.
    assert_eq!(head[0].idempotency_key, "T-1");
}

#[test]
fn connections_opening_a_new_file_at_once_migrate_it_once() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..40 {
        let path = dir.path().join(format!("kiosk-{round}.db"));
        let start = std::sync::Barrier::new(4);
        let opened: Vec<Result<u32, String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        Store::open(&path, Duration::from_secs(2))
                            .and_then(|s| s.schema_version())
                            .map_err(|e| e.to_string())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for result in opened {
            assert_eq!(result, Ok(SCHEMA_VERSION), "round {round}");
        }
    }
}

#[test]
fn a_new_file_gets_every_migration_and_wal() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let mode: String = store
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = open(&dir);
        assert!(
            store
                .record_config_applied("abc", "defaults", "2026-11-24T08:00:00+08:00")
                .unwrap()
        );
        assert!(
            !store
                .record_config_applied("abc", "defaults", "2026-11-24T08:01:00+08:00")
                .unwrap()
        );
        store.set_state("out_of_service", "paper", "t").unwrap();
    }
    let store = open(&dir);
    assert_eq!(store.configs_applied().unwrap(), 1);
    assert_eq!(
        store.state("out_of_service").unwrap().as_deref(),
        Some("paper")
    );
}

#[test]
fn a_file_that_is_not_a_database_is_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    std::fs::write(&path, vec![0x5a; 8192]).unwrap();
    let err = Store::open(&path, Duration::from_millis(100)).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("corrupt"));
    // Nothing was overwritten: the evidence is still there.
    assert_eq!(std::fs::read(&path).unwrap(), vec![0x5a; 8192]);
}

#[test]
fn a_database_locked_by_another_process_is_reported_as_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    drop(open(&dir));
    let other = Connection::open(&path).unwrap();
    other
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
        .unwrap();
    let err = Store::open(&path, Duration::from_millis(50)).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err:?}");
    assert!(err.to_string().contains("locked"));
}

#[test]
fn a_full_disk_is_reported_as_disk_full_and_keeps_what_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    store
        .audit(&AuditEntry {
            at: "t0".into(),
            actor: "system".into(),
            action: "first".into(),
            detail: String::new(),
        })
        .unwrap();
    // Cap the file at its current size: the next large write cannot fit,
    // exactly as when the disk is full.
    fill_disk(&store);
    let err = store
        .audit(&AuditEntry {
            at: "t1".into(),
            actor: "system".into(),
            action: "big".into(),
            detail: "x".repeat(1 << 20),
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::DiskFull { .. }), "{err:?}");
    assert!(err.to_string().contains("full"));
    let log = store.audit_log(10).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "first");
}

#[test]
fn version_7_keeps_the_audit_log_to_be_reported_and_starts_counting_supply_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    {
        // A version 6 store with two audit entries from before.
        let conn = Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..6] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 6;
             INSERT INTO audit_log (at, actor, action) VALUES
                 ('2026-11-20T09:00:00+08:00', 'S-1', 'restock'),
                 ('2026-11-21T09:00:00+08:00', 'S-2', 'out_of_service');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path, Duration::from_millis(100)).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    // Entries from before were never reported: they go with the next
    // heartbeat.
    let unreported = store.unreported_audit(10).unwrap();
    assert_eq!(
        unreported
            .iter()
            .map(|(_, e)| e.action.as_str())
            .collect::<Vec<_>>(),
        ["restock", "out_of_service"]
    );
    store.set_supply("a4_sheets", 10, "t0").unwrap();
    let id = store.journal_job(&a4_job(1), "t1").unwrap();
    store
        .finish_job(id, 1, "", &[("a4_sheets", 1)], "2026-11-24T10:00:00+08:00")
        .unwrap();
    assert_eq!(
        store
            .usage_since("a4_sheets", "2026-11-24T00:00:00+08:00")
            .unwrap(),
        (1, Some("2026-11-24T10:00:00+08:00".into()))
    );
}

/// A store from before version 8 keeps its refused rows, which get the
/// full keep time from the upgrade.
#[test]
fn refused_rows_from_before_version_8_are_kept_their_full_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = WAL").unwrap();
        for sql in &MIGRATIONS[..7] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
        conn.execute(
            "INSERT INTO outbox (kind, resident, idempotency_key, body, state, last_error, created_at)
             VALUES ('application', 'R1', 'T-1', '{\"item\":\"x\"}', 'rejected', 'HTTP 422', 'then')",
            [],
        )
        .unwrap();
    }
    let mut store = Store::open(&path, Duration::from_secs(2)).unwrap();
    let refused = store.outbox_refused(10).unwrap();
    assert_eq!(refused.len(), 1);
    assert!(refused[0].body_kept);
    let now = chrono::Utc::now().timestamp();
    assert!(
        refused[0]
            .refused_unix
            .is_some_and(|t| (now - t).abs() < 60)
    );
    assert_eq!(store.outbox_drop_refused_bodies(now - 86_400).unwrap(), 0);
    assert_eq!(store.outbox_drop_refused_bodies(now + 1).unwrap(), 1);
}

#[test]
fn a_read_only_store_reads_while_the_kiosk_writes_and_never_writes_itself() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let mut kiosk = open(&dir);
    kiosk.audit(&staff("t0", "restock", "")).unwrap();
    let mut reader = Store::open_read_only(&path).unwrap();
    assert_eq!(reader.audit_log(10).unwrap().len(), 1);
    // The kiosk goes on writing; the reader sees it.
    kiosk.audit(&staff("t1", "in_service", "")).unwrap();
    assert_eq!(reader.audit_log(10).unwrap().len(), 2);
    let err = reader.audit(&staff("t2", "forged", "")).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
    assert!(reader.set_supply("a4_sheets", 1, "t3").is_err());
    drop(kiosk);
    assert_eq!(reader.audit_log(10).unwrap().len(), 2);
    let unreported = reader.unreported_audit(10).unwrap().len();
    assert_eq!(unreported, 2);
}

#[test]
fn a_read_only_open_says_what_is_wrong_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    // Nothing there: not created, and nothing is created by looking.
    let err = Store::open_read_only(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotCreated { .. }), "{err:?}");
    assert!(err.to_string().contains("creates it when it first starts"));
    assert!(!path.exists());
    // An empty file is no store either.
    std::fs::write(&path, b"").unwrap();
    let err = Store::open_read_only(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotCreated { .. }), "{err:?}");
    // Not a database.
    std::fs::write(&path, vec![0x5a; 8192]).unwrap();
    let err = Store::open_read_only(&path).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), vec![0x5a; 8192]);
    // From a newer kiosk.
    std::fs::remove_file(&path).unwrap();
    drop(open(&dir));
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = Store::open_read_only(&path).unwrap_err();
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err:?}");
}

#[test]
fn a_database_from_a_newer_kiosk_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    drop(open(&dir));
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = Store::open(&path, Duration::from_millis(50)).unwrap_err();
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err:?}");
}
