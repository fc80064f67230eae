//! The kiosk's own log file (the rotating file set up at start) records a
//! whole resident session — identification, language switch, idle warning,
//! finish — without a trace of the resident's name or document number.

use std::time::{Duration, Instant};

use tongban::app::{App, Message, Options};
use tongban::i18n::I18n;
use tongban::{demo, logging};

#[test]
fn a_whole_session_logged_at_trace_level_contains_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    // SAFETY: this test binary has one test and sets the variable before
    // any thread reads it.
    unsafe { std::env::remove_var("RUST_LOG") };
    let guard = logging::init(dir.path(), "trace", 3).expect("logging starts");

    let identity = demo::sample_identity();
    let (name, number, masked) = (
        identity.name.clone(),
        identity.number.clone(),
        identity.masked_name(),
    );
    let options = Options {
        demo: true,
        ..Options::headless(kiosk_config::defaults())
    };
    let mut app = App::new(options, I18n::load().unwrap());
    let _ = app.update(Message::Identified(identity));
    let _ = app.update(Message::EnterHome);
    // Log every message the way a careless debug line would.
    let messages = [
        Message::ToggleLanguage,
        Message::ToggleElder,
        Message::Tick(Instant::now() + Duration::from_secs(100)),
        Message::ExtendSession,
        Message::Identified(demo::sample_identity()),
        Message::EndSession,
    ];
    for message in messages {
        tracing::debug!(?message, "message");
        let _ = app.update(message);
    }
    drop(app);
    drop(guard);

    let mut text = String::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        text.push_str(&std::fs::read_to_string(&path).unwrap());
    }
    assert!(text.contains("session started"), "log: {text}");
    assert!(text.contains("idle warning shown"), "log: {text}");
    assert!(text.contains("session ended"), "log: {text}");
    for secret in [
        name.as_str(),
        number.as_str(),
        masked.as_str(),
        &number[6..14],
    ] {
        assert!(
            !text.contains(secret),
            "the log contains {secret:?}:\n{text}"
        );
    }
}
