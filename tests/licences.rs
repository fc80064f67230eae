//! The licence printing journey on the kiosk's real `update` and `view`
//! (iced_test): the resident's licences grouped and searchable, the
//! purpose (listed or typed), the preview of the page that will print
//! with copies within the ticket, printing, and every failure with its
//! sentence and next step. The platform's answers and the A4 printer's
//! thread are played by the test.

use iced::Size;
use tongban::app::{App, Message, Screen};
use tongban::print::prepare::Unprintable;
use tongban::print::service::{Cause, PrintRequest, PrinterEvent, Progress};
use tongban::screen::licence_print::Step;
use tongban_device::MediaState;

use journey::*;
use tongban_testkit::journey;

const WIDE: Size = Size::new(1920.0, 1080.0);

/// What the A4 printer's thread writes to the journal for a licence job
/// under `ticket` that ended with `printed` of `pages` (the thread is
/// played by the test; the journal queues the ticket's result).
fn printer_journals(store: &std::path::Path, ticket: &str, pages: u32, printed: u32) {
    let mut s =
        tongban::store::Store::open(store, std::time::Duration::from_secs(2)).expect("store");
    let job = tongban::store::NewJob {
        printer: "a4",
        kind: "licence",
        ticket,
        pages,
    };
    let id = s
        .journal_job(&job, "2026-12-03T10:00:00+08:00")
        .expect("journal");
    s.mark_sending(id, "2026-12-03T10:00:01+08:00")
        .expect("sending");
    let reason = if printed == pages { "" } else { "paper_out" };
    s.finish_job(id, printed, reason, &[], "2026-12-03T10:00:30+08:00")
        .expect("end");
}

fn tap_t_n(app: &mut tongban::app::App, id: &str) {
    tap(app, WIDE, &t(app, id));
}

/// Home → 证照打印 → 上海市居住证 → 办理银行业务 → 下一步.
fn to_preview(app: &mut tongban::app::App, allowed: u32) {
    identify(app);
    tap_t_n(app, "home-licences");
    assert!(matches!(app.screen(), Screen::Licences(_)));
    tap(app, WIDE, "上海市居住证");
    tap(app, WIDE, "办理银行业务");
    tap_t_n(app, "licence-next");
    let Screen::LicencePrint(state) = app.screen() else {
        panic!("not on the licence screen");
    };
    assert_eq!(state.step, Step::Preparing);
    assert!(shows(app, WIDE, &t(app, "licence-preparing")));
    let _ = app.update(prepared(app, "TK00000001", allowed));
}

#[test]
fn the_licences_are_grouped_by_issuer_and_only_those_in_force_open() {
    let (mut app, _receipts, _jobs) = licence_app(None);
    identify(&mut app);
    tap_t_n(&mut app, "home-licences");
    for text in [
        "上海市居住证",
        "上海市公安局",
        "结婚证",
        "婚姻登记机关",
        "有效期至 2027-01-01",
        "长期有效",
        "共 6 个证照，按发证部门分组",
        "第 1 / 2 页",
    ] {
        assert!(shows(&app, WIDE, text), "{text}");
    }
    // Expired and revoked ones are shown but do not open.
    let next = format!("{} ›", t(&app, "page-next"));
    tap(&mut app, WIDE, &next);
    for text in [
        "公安交通管理部门",
        "已过期",
        "已注销",
        "有效期至 2026-06-30",
    ] {
        assert!(shows(&app, WIDE, text), "{text}");
    }
    tap(&mut app, WIDE, "机动车驾驶证");
    assert!(matches!(app.screen(), Screen::Licences(_)));
    let previous = format!("‹ {}", t(&app, "page-previous"));
    tap(&mut app, WIDE, &previous);
    assert!(matches!(app.screen(), Screen::Licences(_)));
    tap(&mut app, WIDE, "结婚证");
    assert!(matches!(app.screen(), Screen::LicencePrint(_)));
}

#[test]
fn licences_are_found_by_pinyin_initials_on_the_keyboard() {
    let (mut app, _receipts, _jobs) = licence_app(None);
    identify(&mut app);
    tap_t_n(&mut app, "home-licences");
    tap_t_n(&mut app, "licences-search-hint");
    type_keys(&mut app, WIDE, "xlzs");
    assert!(shows(&app, WIDE, "学历证书"));
    assert!(!shows(&app, WIDE, "结婚证"));
    tap_t_n(&mut app, "kb-done");
    assert!(shows(&app, WIDE, "共 1 个证照，按发证部门分组"));
}

#[test]
fn the_preview_shows_the_page_and_copies_stay_within_the_ticket() {
    let (mut app, _receipts, jobs) = licence_app(None);
    to_preview(&mut app, 2);
    for text in [
        "打印预览：即将打印的页面",
        "用途水印：仅供办理银行业务使用",
        "今日本证照最多还可打印 2 份",
        "本服务免费",
        "份数：1",
    ] {
        assert!(shows(&app, WIDE, text), "{text}");
    }
    tap(&mut app, WIDE, "+");
    tap(&mut app, WIDE, "+");
    assert!(
        shows(&app, WIDE, "份数：2"),
        "no more than the ticket allows"
    );
    tap_t_n(&mut app, "licence-print");
    let Ok(PrintRequest::Licence {
        ticket,
        page,
        copies,
        ..
    }) = jobs.try_recv()
    else {
        panic!("no job queued");
    };
    assert_eq!((ticket.as_str(), copies), ("TK00000001", 2));
    assert!(
        std::sync::Arc::ptr_eq(&page, &sample_page()),
        "the printer gets the very page the preview showed"
    );
}

#[test]
fn a_price_line_shows_when_the_service_charges() {
    let mut config = demo_config();
    config.licences.price_per_copy_fen = 50;
    let (mut app, _receipts, _jobs) = licence_app_with(config, None);
    to_preview(&mut app, 3);
    assert!(shows(&app, WIDE, "每份 0.50 元，合计 0.50 元"));
    tap(&mut app, WIDE, "+");
    assert!(shows(&app, WIDE, "每份 0.50 元，合计 1.00 元"));
}

#[test]
fn another_purpose_is_typed_with_pinyin_and_goes_into_the_watermark() {
    let (mut app, _receipts, _jobs) = licence_app(None);
    identify(&mut app);
    tap_t_n(&mut app, "home-licences");
    tap(&mut app, WIDE, "上海市居住证");
    tap_t_n(&mut app, "licence-other");
    type_keys(&mut app, WIDE, "chu");
    tap(&mut app, WIDE, "出");
    type_keys(&mut app, WIDE, "guo");
    tap(&mut app, WIDE, "国");
    assert!(shows(&app, WIDE, "打印件上将印有：仅供出国使用，他用无效"));
    tap_t_n(&mut app, "kb-done");
    assert!(shows(&app, WIDE, "✓ 其他：出国"));
    tap_t_n(&mut app, "licence-next");
    let Screen::LicencePrint(state) = app.screen() else {
        panic!("not on the licence screen");
    };
    assert_eq!(state.purpose().as_deref(), Some("出国"));
    assert_eq!(state.step, Step::Preparing);
}

#[test]
fn paper_out_midway_reports_what_came_out_and_a_retry_prints_only_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("kiosk.db");
    let (mut app, _receipts, jobs) = licence_app(Some(store.clone()));
    to_preview(&mut app, 3);
    tap(&mut app, WIDE, "+");
    tap_t_n(&mut app, "licence-print");
    let Ok(PrintRequest::Licence { token, copies, .. }) = jobs.try_recv() else {
        panic!("no job queued");
    };
    assert_eq!(copies, 2);
    let job = |token, progress| Message::A4(PrinterEvent::Job { token, progress });
    let _ = app.update(job(
        token,
        Progress::Started {
            journal: 1,
            pages: 2,
        },
    ));
    let _ = app.update(job(
        token,
        Progress::Page {
            printed: 1,
            pages: 2,
        },
    ));
    assert!(shows(&app, WIDE, "已打印 1 / 2 页"));
    let _ = app.update(a4_status(MediaState::Out));
    // The result goes to the platform through the outbox, queued by the
    // journal with the job's end.
    printer_journals(&store, "TK00000001", 2, 1);
    let report = app.update(job(
        token,
        Progress::Failed {
            printed: 1,
            pages: 2,
            cause: Cause::PaperOut,
        },
    ));
    run(report, &mut app);
    let queued = outbox(&store);
    assert_eq!(queued.len(), 1);
    assert_eq!(
        queued[0],
        (
            "print_result".to_string(),
            serde_json::json!({"ticket": "TK00000001", "printed": 1, "failed": 1, "outcome": "failed"})
        )
    );
    for text in [
        "打印未完成",
        "打印机缺纸，请联系网点工作人员。",
        "已打印 1 / 2 页，其余未打印。",
        "补打未打印的 1 份",
    ] {
        assert!(shows(&app, WIDE, text), "{text}");
    }
    // No paper: the retry waits.
    tap(&mut app, WIDE, "补打未打印的 1 份");
    assert!(
        matches!(app.screen(), Screen::LicencePrint(s) if matches!(s.step, Step::Failed { .. }))
    );
    let _ = app.update(a4_status(MediaState::Full));
    tap(&mut app, WIDE, "补打未打印的 1 份");
    let Screen::LicencePrint(state) = app.screen() else {
        panic!("not on the licence screen");
    };
    assert_eq!(state.step, Step::Preparing);
    // A new ticket for the missing copy; it prints without a second preview.
    let _ = app.update(prepared(&app, "TK00000002", 1));
    let Ok(PrintRequest::Licence {
        token,
        copies,
        ticket,
        ..
    }) = jobs.try_recv()
    else {
        panic!("no retry queued");
    };
    assert_eq!((ticket.as_str(), copies), ("TK00000002", 1));
    printer_journals(&store, "TK00000002", 1, 1);
    let report = app.update(job(token, Progress::Printed));
    run(report, &mut app);
    assert!(shows(&app, WIDE, "共打印 2 份。"));
    assert_eq!(
        outbox(&store)[1].1,
        serde_json::json!({"ticket": "TK00000002", "printed": 1, "failed": 0, "outcome": "printed"})
    );
}

#[test]
fn leaving_the_preview_gives_the_ticket_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("kiosk.db");
    let (mut app, _receipts, _jobs) = licence_app(Some(store.clone()));
    to_preview(&mut app, 3);
    let mut ui = simulator(&app, WIDE);
    let _ = ui
        .click(t(&app, "licence-preview-back").as_str())
        .expect("back");
    let messages: Vec<Message> = ui.into_messages().collect();
    for m in messages {
        let task = app.update(m);
        run(task, &mut app);
    }
    assert_eq!(
        outbox(&store),
        vec![(
            "print_result".to_string(),
            serde_json::json!({"ticket": "TK00000001", "printed": 0, "failed": 0, "outcome": "cancelled"})
        )]
    );
    assert!(shows(&app, WIDE, "请选择用途"));
}

#[test]
fn refused_tickets_and_an_unreachable_platform_each_say_what_to_do() {
    for (problem, sentence) in [
        (
            Unprintable::Quota,
            "此证照今日可打印的份数已用完，请明天再来。",
        ),
        (
            Unprintable::Revoked,
            "此证照已注销或已过期，不能打印。如有疑问，请咨询发证部门。",
        ),
        (
            Unprintable::Unreachable,
            "终端暂时连不上政务服务平台，无法取得打印授权。请稍后再试或到柜台办理。",
        ),
    ] {
        let (mut app, _receipts, _jobs) = licence_app(None);
        identify(&mut app);
        tap_t_n(&mut app, "home-licences");
        tap(&mut app, WIDE, "上海市居住证");
        tap(&mut app, WIDE, "办理银行业务");
        tap_t_n(&mut app, "licence-next");
        let session = app.session_number().expect("session");
        let _ = app.update(Message::LicencePrepared(session, Err((problem, None))));
        assert!(shows(&app, WIDE, "暂不能打印此证照"), "{problem:?}");
        assert!(shows(&app, WIDE, sentence), "{problem:?}");
        tap_t_n(&mut app, "licence-problem-back");
        assert!(shows(&app, WIDE, "请选择用途"));
    }
}

#[test]
fn no_licences_and_no_platform_are_said_before_the_resident_starts() {
    let (mut app, _receipts, _jobs) = licence_app(None);
    identify(&mut app);
    let session = app.session_number().expect("session");
    let _ = app.update(Message::HeldLicences(session, Ok(Vec::new())));
    tap_t_n(&mut app, "home-licences");
    assert!(shows(&app, WIDE, "您暂无可打印的电子证照"));
    tap_t_n(&mut app, "licence-finish");
    // The platform goes away: the entry closes and says why.
    let _ = app.update(Message::Platform(
        tongban::platform::PlatformEvent::Offline("down".into()),
    ));
    assert!(shows(
        &app,
        WIDE,
        "证照打印需要连接政务服务平台，目前无法连接。请稍后再试或到柜台办理。"
    ));
}

#[test]
fn licence_printing_leaves_the_home_with_the_reason_while_the_tray_is_empty() {
    let (mut app, _receipts, _jobs) = licence_app(None);
    let _ = app.update(a4_status(MediaState::Out));
    identify(&mut app);
    assert!(shows(
        &app,
        WIDE,
        "证照打印暂停：打印机缺纸，请联系网点工作人员。其他业务照常办理。"
    ));
    assert!(!shows(&app, WIDE, "证照打印"), "the entry is gone");
    let _ = app.update(a4_status(MediaState::Full));
    tap_t_n(&mut app, "home-licences");
    assert!(matches!(app.screen(), Screen::Licences(_)));
}

#[test]
fn a_ticket_that_comes_after_the_resident_left_is_given_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("kiosk.db");
    let (mut app, _receipts, _jobs) = licence_app(Some(store.clone()));
    identify(&mut app);
    tap_t_n(&mut app, "home-licences");
    tap(&mut app, WIDE, "上海市居住证");
    tap(&mut app, WIDE, "办理银行业务");
    tap_t_n(&mut app, "licence-next");
    let late = prepared(&app, "TK00000003", 2);
    let end = app.update(Message::EndSession);
    run(end, &mut app);
    let task = app.update(late);
    run(task, &mut app);
    assert_eq!(
        outbox(&store)
            .into_iter()
            .map(|(_, body)| body["outcome"].clone())
            .collect::<Vec<_>>(),
        vec![serde_json::json!("cancelled")]
    );
}

#[test]
fn the_licence_screens_fit_every_display_in_both_languages_and_large_type() {
    for size in [WIDE, Size::new(1280.0, 1024.0), Size::new(1080.0, 1920.0)] {
        for (english, elder) in [(false, false), (false, true), (true, false), (true, true)] {
            let (mut app, _receipts, _jobs) = licence_app(None);
            app.set_viewport(size);
            identify(&mut app);
            if english {
                let _ = app.update(Message::ToggleLanguage);
            }
            if elder {
                let _ = app.update(Message::ToggleElder);
            }
            let entry = t(&app, "home-licences");
            tap(&mut app, size, &entry);
            let name = if english {
                "Shanghai residence permit"
            } else {
                "上海市居住证"
            };
            assert!(
                locate(&app, size, name).is_some(),
                "{size:?} {english} {elder}"
            );
            tap(&mut app, size, name);
            let purpose = if english {
                "Banking"
            } else {
                "办理银行业务"
            };
            tap(&mut app, size, purpose);
            let next = t(&app, "licence-next");
            assert!(
                locate(&app, size, &next).is_some(),
                "next at {size:?} {english} {elder}"
            );
            tap(&mut app, size, &next);
            let _ = app.update(prepared(&app, "TK1", 3));
            let print = t(&app, "licence-print");
            assert!(
                locate(&app, size, &print).is_some(),
                "print at {size:?} {english} {elder}"
            );
        }
    }
}

/// The preview's one copy sent to the printer: the job's token.
fn print_one_copy(app: &mut App, jobs: &std::sync::mpsc::Receiver<PrintRequest>) -> u64 {
    to_preview(app, 3);
    tap_t_n(app, "licence-print");
    let Ok(PrintRequest::Licence { token, .. }) = jobs.try_recv() else {
        panic!("no job queued");
    };
    token
}

/// The outbox once that copy came out.
fn one_copy_printed() -> Vec<(String, serde_json::Value)> {
    vec![(
        "print_result".to_string(),
        serde_json::json!({"ticket": "TK00000001", "printed": 1, "failed": 0, "outcome": "printed"}),
    )]
}

#[test]
fn waiting_for_the_printer_does_not_time_the_session_out_and_the_result_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("kiosk.db");
    let (mut app, _receipts, jobs) = licence_app(Some(store.clone()));
    let token = print_one_copy(&mut app, &jobs);
    assert!(app.licence_job().is_some(), "printing");
    assert!(app.has_session(), "before");
    // Far past every idle timeout, with the printer still at work.
    let later = std::time::Instant::now() + std::time::Duration::from_secs(3600);
    let _ = app.update(Message::Tick(later));
    assert!(app.has_session(), "the resident waits for their pages");
    printer_journals(&store, "TK00000001", 1, 1);
    let report = app.update(Message::A4(PrinterEvent::Job {
        token,
        progress: Progress::Printed,
    }));
    run(report, &mut app);
    assert_eq!(outbox(&store), one_copy_printed());
}

fn exits(actions: &[iced_runtime::Action<Message>]) -> bool {
    actions
        .iter()
        .any(|a| matches!(a, iced_runtime::Action::Exit))
}

#[test]
fn a_stop_waits_for_the_licence_being_printed_and_reports_it_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("kiosk.db");
    let (mut app, _receipts, jobs) = licence_app(Some(store.clone()));
    let token = print_one_copy(&mut app, &jobs);
    // SIGTERM with pages coming out: no exit yet, a grace timer instead.
    let stop = app.update(Message::Terminate);
    let now = actions(stop, std::time::Duration::from_millis(500));
    assert!(!exits(&now), "stopped in the middle of the job");
    assert!(app.has_session(), "the resident's pages are still coming");
    // A second signal changes nothing.
    assert!(!exits(&actions(
        app.update(Message::Terminate),
        std::time::Duration::from_millis(100)
    )));
    // The printer finishes: the result goes to the outbox, then the stop.
    printer_journals(&store, "TK00000001", 1, 1);
    let end = app.update(Message::A4(PrinterEvent::Job {
        token,
        progress: Progress::Printed,
    }));
    let outputs = outputs(end, std::time::Duration::from_secs(4));
    assert_eq!(
        outbox(&store),
        one_copy_printed(),
        "the result is journalled before the stop"
    );
    let mut exited = false;
    for message in outputs {
        exited |= exits(&actions(
            app.update(message),
            std::time::Duration::from_millis(500),
        ));
    }
    assert!(exited, "no exit once the job ended");
    assert!(!app.has_session(), "the session is wiped at the stop");
}

#[test]
fn a_stop_with_nothing_printing_exits_at_once() {
    let (mut app, _receipts, _jobs) = licence_app(None);
    to_preview(&mut app, 3);
    let stop = app.update(Message::Terminate);
    assert!(exits(&actions(stop, std::time::Duration::from_millis(500))));
    assert!(!app.has_session());
}

/// A 1280x1024 terminal, in both display modes: the preview's print button
/// and every key of the keyboards for the licence search and for another
/// purpose are on the screen (a fixed share of the height cut the print
/// button off, and 长者模式's keys pushed the bottom row off).
#[test]
fn a_1280x1024_screen_shows_the_print_button_and_every_key() {
    const SQUARE: Size = Size::new(1280.0, 1024.0);
    let letters = "qwertyuiopasdfghjklzxcvbnm";
    let open = |elder: bool| {
        let (mut app, receipts, jobs) = licence_app(None);
        app.set_viewport(SQUARE);
        identify(&mut app);
        if elder {
            let _ = app.update(Message::ToggleElder);
        }
        let licences = t(&app, "home-licences");
        tap(&mut app, SQUARE, &licences);
        (app, receipts, jobs)
    };
    for elder in [false, true] {
        // The search's keyboard.
        let (mut app, _receipts, _jobs) = open(elder);
        let hint = t(&app, "licences-search-hint");
        tap(&mut app, SQUARE, &hint);
        type_keys(&mut app, SQUARE, letters);
        let done = t(&app, "kb-done");
        tap(&mut app, SQUARE, &done);

        // Another purpose's keyboard, with its candidates.
        let (mut app, _receipts, _jobs) = open(elder);
        tap(&mut app, SQUARE, "上海市居住证");
        let other = t(&app, "licence-other");
        tap(&mut app, SQUARE, &other);
        type_keys(&mut app, SQUARE, "guo");
        tap(&mut app, SQUARE, "国");
        type_keys(&mut app, SQUARE, letters);
        tap(&mut app, SQUARE, &done);

        // The preview, and printing from it.
        let (mut app, _receipts, _jobs) = open(elder);
        tap(&mut app, SQUARE, "上海市居住证");
        tap(&mut app, SQUARE, "办理银行业务");
        let next = t(&app, "licence-next");
        tap(&mut app, SQUARE, &next);
        let _ = app.update(prepared(&app, "TK00000001", 3));
        let print = t(&app, "licence-print");
        tap(&mut app, SQUARE, &print);
        let Screen::LicencePrint(state) = app.screen() else {
            panic!("not on the licence screen");
        };
        assert!(
            matches!(state.step, Step::Printing { .. }),
            "elder {elder}: {:?}",
            state.step
        );
    }
}
