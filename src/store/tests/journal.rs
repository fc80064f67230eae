//! Tests of the print-job journal: each end of a job, counted once,
//! with its ticket's result queued in the same transaction.

use super::*;

/// Takes the queued submissions out of the outbox, as delivered.
fn clear_outbox(store: &mut Store) {
    let done: Vec<i64> = store
        .outbox_head(10)
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    store.outbox_done(&done).unwrap();
}

/// The print results queued in the outbox, oldest first: (outcome,
/// printed, failed) of each.
fn queued_results(store: &Store) -> Vec<(String, u32, u32)> {
    store
        .outbox_head(100)
        .unwrap()
        .into_iter()
        .filter(|o| o.kind == SubmissionKind::PrintResult)
        .map(|o| {
            let r: tongban_platform_api::licence::PrintResult =
                serde_json::from_slice(&o.body).unwrap();
            assert_eq!(r.ticket, "T-0001");
            assert_eq!(o.resident, "ticket:T-0001");
            (r.outcome, r.printed, r.failed)
        })
        .collect()
}

/// Every end of a licence job — by the printer, by recovery after a
/// crash, by staff resolving it — queues the ticket's result with the
/// end itself, once; receipts and test pages queue nothing.
///
/// Fails on e372035: only the UI reported a job's end, so after a
/// crash mid-print (`recover_jobs`), a stop, or staff resolving an
/// uncertain job no result ever reached the platform: the ticket
/// stayed open and the resident's quota used.
#[test]
fn every_end_of_a_licence_job_queues_its_ticket_result_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    // Printed by the printer, in part: failed with 1 of 2.
    let id = store.journal_job(&a4_job(2), "t1").unwrap();
    store.mark_sending(id, "t1").unwrap();
    assert!(store.finish_job(id, 1, "paper_out", &[], "t2").unwrap());
    assert!(!store.finish_job(id, 2, "", &[], "t3").unwrap());
    assert_eq!(queued_results(&store), vec![("failed".into(), 1, 1)]);
    clear_outbox(&mut store);

    // Cut off by a crash: uncertain at the restart, then staff say
    // it printed.
    let lost = store.journal_job(&a4_job(2), "t4").unwrap();
    store.mark_sending(lost, "t4").unwrap();
    assert_eq!(store.recover_jobs("t5").unwrap(), vec![lost]);
    assert!(store.recover_jobs("t6").unwrap().is_empty());
    let entry = AuditEntry {
        at: "t7".into(),
        actor: "S1".into(),
        action: "resolve_printed".into(),
        detail: String::new(),
    };
    assert!(store.resolve_uncertain(lost, true, &entry).unwrap());
    assert!(!store.resolve_uncertain(lost, false, &entry).unwrap());
    assert_eq!(
        queued_results(&store),
        vec![("uncertain".into(), 0, 0), ("printed".into(), 2, 0)]
    );
    clear_outbox(&mut store);

    // The printer went away mid-job, and staff say it did not print.
    let gone = store.journal_job(&a4_job(1), "t8").unwrap();
    store.mark_sending(gone, "t8").unwrap();
    assert!(store.mark_uncertain(gone, "offline", "t9").unwrap());
    assert!(store.resolve_uncertain(gone, false, &entry).unwrap());
    assert_eq!(
        queued_results(&store),
        vec![("uncertain".into(), 0, 0), ("failed".into(), 0, 1)]
    );

    // A receipt has no ticket to close.
    let receipt = store
        .journal_job(
            &NewJob {
                printer: "receipt",
                kind: "receipt",
                ticket: "R-1",
                pages: 1,
            },
            "t10",
        )
        .unwrap();
    store.finish_job(receipt, 1, "", &[], "t11").unwrap();
    assert_eq!(queued_results(&store).len(), 2);
}

/// A read-then-write transaction takes the write lock first, so a
/// writer on another connection makes it wait rather than fail.
///
/// Fails on e372035: `finish_job` began DEFERRED, read the job under a
/// snapshot, and when another connection committed meanwhile its
/// write failed with SQLITE_BUSY (the snapshot was stale), losing the
/// print result.
#[test]
fn a_concurrent_writer_makes_a_job_end_wait_instead_of_fail() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let mut store = Store::open(&path, Duration::from_secs(5)).unwrap();
    let id = store.journal_job(&a4_job(1), "t1").unwrap();
    store.mark_sending(id, "t1").unwrap();
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let writer = std::thread::spawn(move || {
        let mut other = Store::open(&path, Duration::from_secs(5)).unwrap();
        let tx = other
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        let entry = AuditEntry {
            at: "t1".into(),
            actor: "S1".into(),
            action: "restock_a4".into(),
            detail: String::new(),
        };
        crate::store::audit::insert_audit(&tx, &entry).unwrap();
        locked_tx.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        tx.commit().unwrap();
    });
    locked_rx.recv().unwrap();
    assert!(store.finish_job(id, 1, "", &[], "t2").unwrap());
    writer.join().unwrap();
    assert_eq!(store.job(id).unwrap().unwrap().state, JobState::Printed);
}

#[test]
fn a_job_printed_in_full_counts_its_sheets_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    store.set_supply("a4_sheets", 500, "t0").unwrap();
    let id = store.journal_job(&a4_job(2), "t1").unwrap();
    assert_eq!(store.job(id).unwrap().unwrap().state, JobState::Journalled);
    store.mark_sending(id, "t2").unwrap();
    assert!(
        store
            .finish_job(id, 2, "", &[("a4_sheets", 1)], "t3")
            .unwrap()
    );
    // A second confirmation (a duplicate status reply) changes nothing.
    assert!(
        !store
            .finish_job(id, 2, "", &[("a4_sheets", 1)], "t4")
            .unwrap()
    );
    let job = store.job(id).unwrap().unwrap();
    assert_eq!((job.state, job.printed), (JobState::Printed, 2));
    assert_eq!(store.supply("a4_sheets").unwrap(), Some(498));
}

#[test]
fn paper_out_after_one_of_two_pages_fails_the_job_and_counts_one_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    store.set_supply("a4_sheets", 1, "t0").unwrap();
    let id = store.journal_job(&a4_job(2), "t1").unwrap();
    store.mark_sending(id, "t2").unwrap();
    assert!(
        store
            .finish_job(id, 1, "paper out", &[("a4_sheets", 1)], "t3")
            .unwrap()
    );
    let job = store.job(id).unwrap().unwrap();
    assert_eq!(
        (job.state.as_str(), job.printed, job.reason.as_str()),
        ("failed", 1, "paper out")
    );
    assert_eq!(store.supply("a4_sheets").unwrap(), Some(0));
}

#[test]
fn a_job_cut_off_by_a_crash_is_uncertain_after_restart_and_never_counted() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut store = open(&dir);
        store.set_supply("a4_sheets", 100, "t0").unwrap();
        let id = store.journal_job(&a4_job(3), "t1").unwrap();
        store.mark_sending(id, "t2").unwrap();
        id
        // The kiosk dies here: no finish.
    };
    let mut store = open(&dir);
    assert_eq!(store.recover_jobs("t3").unwrap(), vec![id]);
    let job = store.job(id).unwrap().unwrap();
    assert_eq!(job.state, JobState::Uncertain);
    assert_eq!(store.supply("a4_sheets").unwrap(), Some(100));
    // Nothing finishes an uncertain job by accident, and a second
    // restart finds nothing new.
    assert!(
        !store
            .finish_job(id, 3, "", &[("a4_sheets", 1)], "t4")
            .unwrap()
    );
    assert!(store.recover_jobs("t5").unwrap().is_empty());
    assert!(store.mark_sending(id, "t6").is_err());
}

#[test]
fn staff_resolve_an_uncertain_job_once_counting_only_pages_not_yet_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_with_a4_supplies(&dir, 100, 1000);
    let lost = store.journal_job(&a4_job(3), "t1").unwrap();
    store.mark_sending(lost, "t2").unwrap();
    assert!(store.mark_uncertain(lost, "offline", "t3").unwrap());
    let at = "2026-11-24T15:00:00+08:00";
    let entry = staff(at, "resolve_print_job", "job 1 printed");
    assert!(store.resolve_uncertain(lost, true, &entry).unwrap());
    let job = store.job(lost).unwrap().unwrap();
    assert_eq!(
        (job.state.as_str(), job.printed, job.updated_at.as_str()),
        ("printed", 3, at)
    );
    assert_eq!(store.supply("a4_sheets").unwrap(), Some(97));
    assert_eq!(store.supply("a4_toner_pages").unwrap(), Some(997));
    assert_eq!(
        store
            .usage_since("a4_sheets", "2026-11-24T00:00:00+08:00")
            .unwrap(),
        (3, Some(at.into()))
    );
    assert_eq!(store.audit_log(10).unwrap(), std::slice::from_ref(&entry));
    // Resolved is resolved: a second answer changes nothing.
    assert!(!store.resolve_uncertain(lost, false, &entry).unwrap());
    assert_eq!(store.job(lost).unwrap().unwrap().state, JobState::Printed);
    assert_eq!(store.supply("a4_sheets").unwrap(), Some(97));
    assert_eq!(store.audit_log(10).unwrap().len(), 1);

    // Not printed: failed, nothing counted.
    let other = store.journal_job(&a4_job(2), "t4").unwrap();
    store.mark_uncertain(other, "offline", "t5").unwrap();
    let entry = staff(at, "resolve_print_job", "job 2 not printed");
    assert!(store.resolve_uncertain(other, false, &entry).unwrap());
    let job = store.job(other).unwrap().unwrap();
    assert_eq!(
        (job.state.as_str(), job.printed, job.reason.as_str()),
        ("failed", 0, "not printed (resolved by staff)")
    );
    assert_eq!(store.supply("a4_sheets").unwrap(), Some(97));

    // A receipt printed after all counts no paper (its length is not
    // journalled); a job that was never uncertain is not touched.
    store.set_supply("receipt_mm", 5000, "t0").unwrap();
    let receipt = store.journal_job(&receipt_job(), "t6").unwrap();
    store.mark_uncertain(receipt, "offline", "t7").unwrap();
    assert!(store.resolve_uncertain(receipt, true, &entry).unwrap());
    assert_eq!(store.supply("receipt_mm").unwrap(), Some(5000));
    let fine = store.journal_job(&a4_job(1), "t8").unwrap();
    assert!(!store.resolve_uncertain(fine, true, &entry).unwrap());
    assert_eq!(
        store.job(fine).unwrap().unwrap().state,
        JobState::Journalled
    );
    assert!(!store.resolve_uncertain(999, true, &entry).unwrap());
    assert_eq!(store.audit_log(10).unwrap().len(), 3);
}

#[test]
fn the_journal_and_outbox_are_summed_up_for_staff() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    // Test pages: no ticket, so nothing for the outbox.
    let test_page = NewJob {
        kind: "test",
        ticket: "",
        ..a4_job(1)
    };
    for n in 0..4 {
        let id = store.journal_job(&test_page, &format!("t{n}")).unwrap();
        if n < 3 {
            store.finish_job(id, 1, "", &[], "t9").unwrap();
        }
    }
    assert_eq!(
        store.job_counts().unwrap(),
        [(JobState::Journalled, 1), (JobState::Printed, 3)]
    );
    let recent = store.recent_jobs(2).unwrap();
    assert_eq!(recent.iter().map(|j| j.id).collect::<Vec<_>>(), [4, 3]);
    assert_eq!(
        (recent[1].created_at.as_str(), recent[1].updated_at.as_str()),
        ("t2", "t9")
    );
    assert_eq!(store.outbox_oldest().unwrap(), None);
    store
        .enqueue(SubmissionKind::Rating, "R1", b"{}", "first")
        .unwrap();
    store
        .enqueue(SubmissionKind::Rating, "R2", b"{}", "second")
        .unwrap();
    store.outbox_reject(1, "HTTP 422").unwrap();
    assert_eq!(store.outbox_oldest().unwrap().as_deref(), Some("second"));
    assert_eq!(store.outbox_rejected().unwrap(), 1);
    assert_eq!(store.outbox_depth().unwrap(), 1);
    store.set_state("device.a4_printer", "{}", "t1").unwrap();
    store.set_state("device.qr_scanner", "{}", "t2").unwrap();
    store.set_state("devices", "x", "t3").unwrap();
    store.set_state("out_of_service", "x", "t4").unwrap();
    assert_eq!(
        store
            .states_with_prefix("device.")
            .unwrap()
            .into_iter()
            .map(|(k, _, _)| k)
            .collect::<Vec<_>>(),
        ["device.a4_printer", "device.qr_scanner"]
    );
}
