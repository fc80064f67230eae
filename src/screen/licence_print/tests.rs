//! Tests of the steps from purpose to printed copies, and of prices.

use tongban_platform_api::catalogue::Text;
use tongban_platform_api::licence::LicenceStatus;

use super::*;

fn state() -> State {
    let licence = LicenceSummary {
        id: "LIC-1".into(),
        licence_type: "jzz".into(),
        name: Text {
            zh: "上海市居住证".into(),
            en: "Shanghai residence permit".into(),
        },
        number_masked: "JZZ-************0123".into(),
        issued_on: "2026-01-01".into(),
        issuer: Text::default(),
        valid_until: None,
        status: LicenceStatus::Valid,
    };
    let purposes = vec![Localized {
        zh: "办理银行业务".into(),
        en: "Banking".into(),
    }];
    State::new(licence, purposes, 3, 0)
}

fn preview() -> Preview {
    Preview {
        image: image::Handle::from_rgba(1, 1, vec![255u8; 4]),
    }
}

#[test]
fn a_purpose_leads_to_a_ticket_then_a_preview_within_what_it_allows() {
    let mut s = state();
    assert_eq!(s.update(Message::Next), Action::None, "no purpose yet");
    s.update(Message::Purpose(0));
    s.blocked = Some(Cause::PaperOut);
    assert_eq!(s.update(Message::Next), Action::None, "no paper");
    s.blocked = None;
    assert_eq!(
        s.update(Message::Next),
        Action::Ticket {
            purpose: "办理银行业务".into(),
            copies: 3
        }
    );
    assert_eq!(s.prepared(2, preview()), Action::None);
    assert_eq!(s.step, Step::Preview);
    s.update(Message::More);
    s.update(Message::More);
    assert_eq!(s.copies, 2, "the ticket allows two");
    assert_eq!(s.update(Message::Print), Action::Print { copies: 2 });
    assert_eq!(
        s.update(Message::Finish),
        Action::None,
        "not while printing"
    );
}

#[test]
fn another_purpose_is_typed_in_chinese() {
    let mut s = state();
    s.update(Message::Other);
    for c in "ban".chars() {
        s.update(Message::Key(Key::Char(c)));
    }
    s.update(Message::Key(Key::Candidate('办')));
    assert_eq!(s.other, "办");
    s.update(Message::Key(Key::Done));
    assert!(s.keyboard.is_none());
    assert!(matches!(s.update(Message::Next), Action::Ticket { purpose, .. } if purpose == "办"));
}

/// At the preview of a page whose ticket allows three copies.
fn previewing() -> State {
    let mut s = state();
    s.update(Message::Purpose(0));
    s.update(Message::Next);
    s.prepared(3, preview());
    s
}

#[test]
fn leaving_the_preview_cancels_the_ticket() {
    let mut s = previewing();
    assert_eq!(s.update(Message::Back), Action::Cancel);
    assert_eq!(s.step, Step::Purpose);
}

#[test]
fn a_failed_job_retries_only_the_missing_copies_without_a_second_preview() {
    let mut s = previewing();
    s.update(Message::More);
    s.update(Message::Print);
    s.progress(Progress::Failed {
        printed: 1,
        pages: 2,
        cause: Cause::PaperOut,
    });
    s.blocked = Some(Cause::PaperOut);
    assert_eq!(s.update(Message::Retry), Action::None, "still no paper");
    s.blocked = None;
    assert_eq!(
        s.update(Message::Retry),
        Action::Ticket {
            purpose: "办理银行业务".into(),
            copies: 1
        }
    );
    assert_eq!(s.prepared(1, preview()), Action::Print { copies: 1 });
    s.progress(Progress::Printed);
    assert_eq!(s.printed_total, 2);
    assert_eq!(s.update(Message::Finish), Action::Home);
}

#[test]
fn a_refused_ticket_says_why_and_goes_back_to_the_purpose() {
    let mut s = state();
    s.update(Message::Purpose(0));
    s.update(Message::Next);
    s.problem(Unprintable::Quota);
    assert_eq!(s.step, Step::Problem(Unprintable::Quota));
    s.update(Message::Back);
    assert_eq!(s.step, Step::Purpose);
}

#[test]
fn prices_read_in_yuan() {
    assert_eq!(yuan(0), "0.00");
    assert_eq!(yuan(50), "0.50");
    assert_eq!(yuan(1205), "12.05");
}
