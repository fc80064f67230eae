//! Tests of the supply counters: what printing spends, what staff
//! restock, and the use recorded for the estimate.

use super::*;

#[test]
fn a_confirmed_job_counts_every_supply_it_uses_and_records_the_use() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_with_a4_supplies(&dir, 100, 2000);
    let both = [("a4_sheets", 1), ("a4_toner_pages", 1)];
    let id = store.journal_job(&a4_job(3), "t1").unwrap();
    store
        .finish_job(id, 2, "jammed", &both, "2026-11-24T10:00:00+08:00")
        .unwrap();
    // A job with nothing printed uses nothing and records no use.
    let none = store.journal_job(&a4_job(1), "t2").unwrap();
    store
        .finish_job(none, 0, "offline", &both, "2026-11-24T11:00:00+08:00")
        .unwrap();
    assert_eq!(store.supply("a4_sheets").unwrap(), Some(98));
    assert_eq!(store.supply("a4_toner_pages").unwrap(), Some(1998));
    let since = "2026-11-01T00:00:00+08:00";
    let first = Some("2026-11-24T10:00:00+08:00".to_owned());
    assert_eq!(
        store.usage_since("a4_sheets", since).unwrap(),
        (2, first.clone())
    );
    assert_eq!(
        store.usage_since("a4_toner_pages", since).unwrap(),
        (2, first)
    );
    let rows: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM supply_usage", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 2);
    // The counters say when they last changed.
    assert_eq!(
        store.supply_counters().unwrap(),
        [
            ("a4_sheets".into(), 98, "2026-11-24T10:00:00+08:00".into()),
            (
                "a4_toner_pages".into(),
                1998,
                "2026-11-24T10:00:00+08:00".into()
            ),
        ]
    );
}

#[test]
fn usage_is_compared_as_instants_whatever_offset_it_was_written_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    store.set_supply("receipt_mm", 50_000, "t0").unwrap();
    // 02:00 UTC is 10:00 in Shanghai; 01:59:59.5 UTC is just before.
    for (mm, at) in [
        (100, "2026-11-24T01:59:59.500Z"),
        (200, "2026-11-24T10:00:00.000000001+08:00"),
        (300, "2026-11-24T03:00:00Z"),
        (400, "2026-11-24T12:30:00.25+08:00"),
    ] {
        let id = store.journal_job(&receipt_job(), at).unwrap();
        store
            .finish_job(id, 1, "", &[("receipt_mm", mm)], at)
            .unwrap();
    }
    assert_eq!(
        store
            .usage_since("receipt_mm", "2026-11-24T10:00:00+08:00")
            .unwrap(),
        (900, Some("2026-11-24T10:00:00.000000001+08:00".into()))
    );
    assert_eq!(
        store
            .usage_since("receipt_mm", "2026-11-24T04:00:00Z")
            .unwrap(),
        (400, Some("2026-11-24T12:30:00.25+08:00".into()))
    );
    assert_eq!(
        store
            .usage_since("receipt_mm", "2026-11-25T00:00:00+08:00")
            .unwrap(),
        (0, None)
    );
    assert_eq!(
        store
            .usage_since("a4_sheets", "2026-11-01T00:00:00+08:00")
            .unwrap(),
        (0, None)
    );
}

#[test]
fn a_restock_sets_the_counter_and_its_audit_entry_together_or_neither() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    store.set_supply("a4_sheets", 3, "t0").unwrap();
    store
        .restock("a4_sheets", 500, &staff("t1", "restock", "a4_sheets=500"))
        .unwrap();
    assert_eq!(store.supply("a4_sheets").unwrap(), Some(500));
    assert_eq!(
        store.audit_log(10).unwrap(),
        [staff("t1", "restock", "a4_sheets=500")]
    );
    // An audit entry that cannot be written (the disk is full) leaves
    // the counter as it was.
    fill_disk(&store);
    let err = store
        .restock(
            "a4_sheets",
            250,
            &staff("t2", "restock", &"x".repeat(1 << 20)),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::DiskFull { .. }), "{err:?}");
    assert_eq!(store.supply("a4_sheets").unwrap(), Some(500));
    assert_eq!(store.audit_log(10).unwrap().len(), 1);
}
