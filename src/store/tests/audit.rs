//! Tests of the staff audit log.

use super::*;

#[test]
fn audit_entries_are_reported_oldest_first_and_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    for n in 0..5 {
        store
            .audit(&staff(&format!("t{n}"), "restock", &format!("n={n}")))
            .unwrap();
    }
    let first = store.unreported_audit(3).unwrap();
    assert_eq!(
        first.iter().map(|(_, e)| e.at.as_str()).collect::<Vec<_>>(),
        ["t0", "t1", "t2"]
    );
    let ids: Vec<i64> = first.iter().map(|(id, _)| *id).collect();
    store.mark_audit_reported(&ids).unwrap();
    let rest = store.unreported_audit(3).unwrap();
    assert_eq!(
        rest.iter().map(|(_, e)| e.at.as_str()).collect::<Vec<_>>(),
        ["t3", "t4"]
    );
    store
        .mark_audit_reported(&rest.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .unwrap();
    assert!(store.unreported_audit(3).unwrap().is_empty());
    // Reported entries stay in the log for staff.
    assert_eq!(store.audit_log(10).unwrap().len(), 5);
}
