//! The kiosk UI driven through its real `view` and `update` with iced_test:
//! language switching, 长者模式, the idle warning and session expiry, the
//! out-of-service screen, touch taps, and layouts at every supported size.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use iced::{Event, Point, Rectangle, Settings, Size, touch};
use iced_test::Simulator;
use iced_test::selector::Candidate;
use kiosk_config::{Config, Language};
use tongban::app::{App, Message, Options, Screen};
use tongban::i18n::I18n;
use tongban::{demo, fonts};

const WIDE: Size = Size::new(1920.0, 1080.0);
const SQUARE: Size = Size::new(1280.0, 1024.0);
const PORTRAIT: Size = Size::new(1080.0, 1920.0);
const PRIVACY: &str = "办理结束或离开后，您的信息会立即从本机清除。";

use tongban_testkit::journey;

fn load_font_once() {
    journey::load_font();
}

fn app_with(config: Config) -> App {
    let options = Options::headless(config);
    App::new(options, I18n::load().expect("texts"))
}

fn app() -> App {
    app_with(kiosk_config::defaults())
}

fn simulator(app: &App, size: Size) -> Simulator<'_, Message> {
    load_font_once();
    let settings = Settings {
        default_font: fonts::DEFAULT_FONT,
        ..Settings::default()
    };
    Simulator::with_size(settings, size, app.view())
}

fn shows(app: &App, size: Size, text: &str) -> bool {
    simulator(app, size).find(text).is_ok()
}

fn text_bounds(app: &App, size: Size, text: &str) -> Rectangle {
    simulator(app, size)
        .find(text)
        .unwrap_or_else(|e| panic!("{text:?} not on screen: {e}"))
        .bounds()
}

/// The innermost container (a button is one) around the centre of `text`.
fn target_around(app: &App, size: Size, text: &str) -> Rectangle {
    let center = text_bounds(app, size, text).center();
    let found = Arc::new(Mutex::new(Vec::<Rectangle>::new()));
    let sink = found.clone();
    let _ = simulator(app, size).find(move |candidate: Candidate<'_>| -> Option<()> {
        if let Candidate::Container { bounds, .. } = candidate
            && bounds.contains(center)
        {
            sink.lock().unwrap().push(bounds);
        }
        None
    });
    let all = found.lock().unwrap();
    *all.iter()
        .min_by(|a, b| (a.width * a.height).total_cmp(&(b.width * b.height)))
        .expect("a container around the text")
}

/// Clicks `text` with the mouse and feeds the resulting messages back.
fn click(app: &mut App, text: &str) {
    let messages: Vec<Message> = {
        let mut ui = simulator(app, WIDE);
        let _ = ui
            .click(text)
            .unwrap_or_else(|e| panic!("cannot click {text:?}: {e}"));
        ui.into_messages().collect()
    };
    assert!(!messages.is_empty(), "clicking {text:?} did nothing");
    for message in messages {
        let _ = app.update(message);
    }
}

/// Taps `text` with a finger (touch events, not the mouse).
fn tap(app: &mut App, text: &str) {
    let messages: Vec<Message> = {
        let mut ui = simulator(app, WIDE);
        let target = ui.find(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let position = target.bounds().center();
        let finger = touch::Finger(1);
        ui.point_at(position);
        let _ = ui.simulate([
            Event::Touch(touch::Event::FingerPressed {
                id: finger,
                position,
            }),
            Event::Touch(touch::Event::FingerLifted {
                id: finger,
                position,
            }),
        ]);
        ui.into_messages().collect()
    };
    assert!(!messages.is_empty(), "tapping {text:?} did nothing");
    for message in messages {
        let _ = app.update(message);
    }
}

/// A resident identifies; the "identity confirmed" moment passes.
fn identify(app: &mut App) {
    let _ = app.update(Message::Identified(demo::sample_identity()));
    assert!(app.confirming_identity());
    let _ = app.update(Message::EnterHome);
    assert!(!app.confirming_identity());
}

#[test]
fn attract_screen_says_how_to_begin_and_shows_branch_terminal_and_devices() {
    let app = app();
    let config = kiosk_config::defaults();
    for text in [
        "放置身份证",
        "扫描随申码",
        config.terminal.branch_name.zh.as_str(),
        config.service.name.zh.as_str(),
        "English",
        "长者模式",
        "身份证阅读器：未连接",
        "网络：未配置平台",
    ] {
        assert!(
            shows(&app, WIDE, text),
            "{text:?} missing from the attract screen"
        );
    }
    assert!(shows(&app, WIDE, &format!("终端 {}", config.terminal.id)));
}

#[test]
fn language_switch_changes_visible_text_both_ways() {
    let mut app = app();
    click(&mut app, "English");
    assert_eq!(app.language(), Language::En);
    assert!(shows(&app, WIDE, "Place your ID card"));
    assert!(shows(&app, WIDE, "Scan your Suishenma"));
    assert!(!shows(&app, WIDE, "放置身份证"));
    click(&mut app, "中文");
    assert_eq!(app.language(), Language::ZhCn);
    assert!(shows(&app, WIDE, "放置身份证"));
}

#[test]
fn language_switch_keeps_the_session_and_the_screen() {
    let mut app = app();
    identify(&mut app);
    assert!(shows(&app, WIDE, "演**民，您好"));
    click(&mut app, "English");
    assert!(app.has_session());
    assert!(matches!(app.screen(), Screen::Home(_)));
    assert!(shows(&app, WIDE, "Hello, 演**民"));
    assert!(shows(&app, WIDE, "Print licences"));
}

#[test]
fn elder_mode_enlarges_type_and_touch_targets() {
    let mut app = app();
    let normal_text = text_bounds(&app, WIDE, PRIVACY);
    let normal_switch = target_around(&app, WIDE, "English");
    assert!(normal_switch.height >= 64.0, "switch {normal_switch:?}");

    click(&mut app, "长者模式");
    assert!(app.elder_mode());
    let elder_text = text_bounds(&app, WIDE, PRIVACY);
    let elder_switch = target_around(&app, WIDE, "English");
    let ratio = elder_text.height / normal_text.height;
    assert!((1.3..=1.5).contains(&ratio), "type grew by {ratio}");
    assert!(elder_switch.height >= 88.0, "switch {elder_switch:?}");

    // The idle warning's button in 长者模式 too.
    identify(&mut app);
    let _ = app.update(Message::Tick(Instant::now() + Duration::from_secs(105)));
    let button = target_around(&app, WIDE, "继续办理");
    assert!(button.height >= 88.0, "continue button {button:?}");
    // While the warning shows, the switches behind it take no taps.
    let mut ui = simulator(&app, WIDE);
    let _ = ui.click("标准字号").expect("visible behind the overlay");
    assert_eq!(ui.into_messages().count(), 0);
    // Continue, then back to standard text.
    tap(&mut app, "继续办理");
    click(&mut app, "标准字号");
    assert!(!app.elder_mode());
}

#[test]
fn idle_overlay_appears_before_timeout_and_one_tap_extends() {
    let mut app = app();
    let config = kiosk_config::defaults();
    let timeout = config.session.idle_timeout("home");
    let countdown = config.session.countdown();
    assert!(countdown >= Duration::from_secs(20));
    identify(&mut app);
    let t0 = Instant::now();

    let _ = app.update(Message::Tick(
        t0 + timeout - countdown - Duration::from_secs(2),
    ));
    assert_eq!(app.idle_warning(), None);
    assert!(!shows(&app, WIDE, "您还在办理吗？"));

    let _ = app.update(Message::Tick(
        t0 + timeout - countdown + Duration::from_secs(1),
    ));
    let remaining = app.idle_warning().expect("warning shows");
    assert!(remaining >= 18, "{remaining}");
    assert!(shows(&app, WIDE, "您还在办理吗？"));
    assert!(shows(&app, WIDE, &remaining.to_string()));

    tap(&mut app, "继续办理");
    assert_eq!(app.idle_warning(), None);
    assert!(app.has_session());
    assert!(!shows(&app, WIDE, "您还在办理吗？"));
    let _ = app.update(Message::Tick(Instant::now() + Duration::from_secs(5)));
    assert_eq!(app.idle_warning(), None);
}

#[test]
fn idle_expiry_returns_to_attract_with_the_session_wiped() {
    let mut config = kiosk_config::defaults();
    config.ui.default_language = Language::ZhCn;
    let mut app = app_with(config.clone());
    identify(&mut app);
    click(&mut app, "English");
    assert!(shows(&app, WIDE, "Hello, 演**民"));
    let timeout = config.session.idle_timeout("home");
    let _ = app.update(Message::Tick(
        Instant::now() + timeout + Duration::from_secs(1),
    ));
    assert!(!app.has_session());
    assert_eq!(app.screen(), &Screen::Attract);
    // The next resident gets the terminal's defaults and nothing of the last.
    assert_eq!(app.language(), Language::ZhCn);
    assert!(shows(&app, WIDE, "放置身份证"));
    assert!(!shows(&app, WIDE, "Hello, 演**民"));
    assert!(!shows(&app, WIDE, "演**民，您好"));
}

#[test]
fn ending_from_the_warning_or_home_returns_to_attract() {
    let mut app = app();
    identify(&mut app);
    click(&mut app, "结束办理");
    assert!(!app.has_session());
    identify(&mut app);
    let _ = app.update(Message::Tick(Instant::now() + Duration::from_secs(100)));
    tap(&mut app, "立即退出");
    assert!(!app.has_session());
    // The reminder to take card and papers, then the attract screen.
    assert!(shows(&app, WIDE, "请取走您的身份证和回执"));
    assert!(shows(&app, WIDE, "您的信息已从本终端清除。"));
    tap(&mut app, "完成");
    assert!(shows(&app, WIDE, "放置身份证"));
}

#[test]
fn home_entries_say_why_they_are_unavailable_without_a_catalogue() {
    let mut app = app();
    identify(&mut app);
    for text in ["事项办理", "证照打印", "办件查询", "结束办理"] {
        assert!(shows(&app, WIDE, text), "{text}");
    }
    for line in [
        "本终端尚未取得办事目录。",
        "本终端暂未连接政务服务平台。",
        "暂不能使用的业务已注明原因。可到柜台办理，或稍后再试。",
    ] {
        assert!(shows(&app, WIDE, line), "{line}");
    }
    // Tapping a disabled entry does nothing and keeps the resident home.
    let mut ui = simulator(&app, WIDE);
    let _ = ui.click("事项办理").expect("entry visible");
    assert_eq!(ui.into_messages().count(), 0);
}

#[test]
fn out_of_service_screen_replaces_attract_and_refuses_identification() {
    let mut config = kiosk_config::defaults();
    config.service.in_service = false;
    config.service.out_of_service_reason.zh = "打印机维护中".into();
    config.service.out_of_service_reason.en = "Printer maintenance".into();
    let mut app = app_with(config);
    assert!(shows(&app, WIDE, "本终端暂停服务"));
    assert!(shows(&app, WIDE, "原因：打印机维护中"));
    assert!(!shows(&app, WIDE, "放置身份证"));
    let _ = app.update(Message::Identified(demo::sample_identity()));
    assert!(!app.has_session());
    click(&mut app, "English");
    assert!(shows(&app, WIDE, "Reason: Printer maintenance"));
}

#[test]
fn a_touch_tap_works_like_a_click() {
    let mut app = app();
    tap(&mut app, "English");
    assert_eq!(app.language(), Language::En);
    tap(&mut app, "Large text");
    assert!(app.elder_mode());
}

/// Every text of a screen lies fully inside the window and is not cut by a
/// scrollable, at each supported size, language and mode.
#[test]
fn every_screen_fits_landscape_square_and_portrait_displays() {
    let config = kiosk_config::defaults();
    let branch = config.terminal.branch_name.clone();
    for size in [WIDE, SQUARE, PORTRAIT] {
        for (language, elder) in [
            (Language::ZhCn, false),
            (Language::ZhCn, true),
            (Language::En, false),
            (Language::En, true),
        ] {
            let mut app = app();
            app.set_viewport(size);
            if language == Language::En {
                let _ = app.update(Message::ToggleLanguage);
            }
            if elder {
                let _ = app.update(Message::ToggleElder);
            }
            let (begin, qr, branch_name) = match language {
                Language::ZhCn => ("放置身份证", "扫描随申码", branch.zh.as_str()),
                Language::En => (
                    "Place your ID card",
                    "Scan your Suishenma",
                    branch.en.as_str(),
                ),
            };
            let help = match language {
                Language::ZhCn => "需要帮助请咨询网点工作人员，或拨打热线 12345。",
                Language::En => "For help, ask the branch staff or call 12345.",
            };
            for text in [begin, qr, branch_name, help] {
                assert_fits(&app, size, text);
            }
            identify(&mut app);
            let entries = match language {
                Language::ZhCn => ["事项办理", "证照打印", "办件查询", "结束办理"],
                Language::En => ["Services", "Print licences", "Track applications", "Finish"],
            };
            let notice = match language {
                Language::ZhCn => "暂不能使用的业务已注明原因。可到柜台办理，或稍后再试。",
                Language::En => {
                    "Services that cannot be used now say why. You can use a service counter, or try again later."
                }
            };
            for text in entries.into_iter().chain([notice]) {
                assert_fits(&app, size, text);
            }
            let _ = app.update(Message::Tick(Instant::now() + Duration::from_secs(105)));
            let cont = match language {
                Language::ZhCn => "继续办理",
                Language::En => "Continue",
            };
            assert_fits(&app, size, cont);
        }
    }
}

fn assert_fits(app: &App, size: Size, text: &str) {
    let target = simulator(app, size)
        .find(text)
        .unwrap_or_else(|e| panic!("{text:?} missing at {size:?}: {e}"));
    let bounds = target.bounds();
    let visible = target
        .visible_bounds()
        .unwrap_or_else(|| panic!("{text:?} not visible at {size:?}"));
    let window = Rectangle::new(Point::ORIGIN, size);
    assert!(
        (visible.width - bounds.width).abs() < 0.5 && (visible.height - bounds.height).abs() < 0.5,
        "{text:?} is clipped at {size:?}: {bounds:?} visible {visible:?} (elder {}, {:?})",
        app.elder_mode(),
        app.language()
    );
    assert!(
        bounds.x >= 0.0
            && bounds.y >= 0.0
            && bounds.x + bounds.width <= window.width + 0.5
            && bounds.y + bounds.height <= window.height + 0.5,
        "{text:?} outside the window at {size:?}: {bounds:?}"
    );
}

fn card_event(identity: ga467::CardIdentity) -> Message {
    Message::Reader(ga467::serial::ReaderEvent::Card(Box::new(identity)))
}

#[test]
fn a_card_read_by_the_reader_confirms_the_masked_name_then_opens_home() {
    let mut app = app();
    let _ = app.update(Message::Reader(ga467::serial::ReaderEvent::State(
        tongban_device::DeviceState::Busy,
    )));
    assert!(shows(&app, WIDE, "正在读取证件，请勿移动  ●○○○"));
    let _ = app.update(Message::Spin);
    assert!(shows(&app, WIDE, "正在读取证件，请勿移动  ●●○○"));
    let _ = app.update(card_event(tongban_sim::identities::resident()));
    assert!(app.has_session());
    assert!(shows(&app, WIDE, "身份已确认"));
    assert!(shows(&app, WIDE, "测***甲，欢迎您"));
    let _ = app.update(Message::EnterHome);
    assert!(shows(&app, WIDE, "测***甲，您好"));
}

#[test]
fn an_unsupported_card_and_an_offline_reader_point_to_the_qr_path() {
    let mut app = app();
    let _ = app.update(Message::Reader(ga467::serial::ReaderEvent::ReadFailed(
        ga467::serial::ReadFailure::Status(ga467::Status::UnknownCardType),
    )));
    assert!(shows(
        &app,
        WIDE,
        "暂不支持此类证件。请使用居民身份证、港澳台居民居住证或外国人永久居留身份证，或扫描随申码。"
    ));
    let options = Options {
        devices: tongban::devices::Configured {
            reader: Some(tongban::devices::ReaderKey {
                path: "/dev/null".into(),
                baud: 115_200,
            }),
            ..Default::default()
        },
        ..Options::headless(kiosk_config::defaults())
    };
    let mut app = App::new(options, I18n::load().unwrap());
    // A configured reader starts offline until its thread reports.
    assert!(shows(
        &app,
        WIDE,
        "读卡器暂时无法使用，请扫描随申码，或联系网点工作人员。"
    ));
    let _ = app.update(Message::Reader(ga467::serial::ReaderEvent::State(
        tongban_device::DeviceState::Online,
    )));
    assert!(!shows(
        &app,
        WIDE,
        "读卡器暂时无法使用，请扫描随申码，或联系网点工作人员。"
    ));
}

#[test]
fn an_expired_card_is_refused_with_a_sentence_and_no_session() {
    let mut app = app();
    let _ = app.update(card_event(tongban_sim::identities::expired_resident()));
    assert!(!app.has_session());
    assert!(shows(
        &app,
        WIDE,
        "此证件已过期，请使用有效证件，或到柜台办理。"
    ));
    click(&mut app, "English");
    assert!(shows(
        &app,
        WIDE,
        "This card has expired. Please use a valid card, or go to the counter."
    ));
}

#[test]
fn a_card_that_cannot_be_read_asks_the_resident_to_place_it_again() {
    let mut app = app();
    let _ = app.update(Message::Reader(ga467::serial::ReaderEvent::ReadFailed(
        ga467::serial::ReadFailure::Status(ga467::Status::ReadFailed),
    )));
    assert!(!app.has_session());
    assert!(shows(
        &app,
        WIDE,
        "未能读取证件。请将证件平放在读卡区，保持不动后再试。"
    ));
    // A good card afterwards clears the notice and starts the session.
    let _ = app.update(card_event(tongban_sim::identities::permit()));
    assert!(app.has_session());
    assert!(!shows(
        &app,
        WIDE,
        "未能读取证件。请将证件平放在读卡区，保持不动后再试。"
    ));
}

#[test]
fn the_footer_shows_the_reader_state_the_driver_reports() {
    let mut app = app();
    for (state, text) in [
        (tongban_device::DeviceState::Online, "身份证阅读器：正常"),
        (tongban_device::DeviceState::Offline, "身份证阅读器：离线"),
        (
            tongban_device::DeviceState::HardwareError,
            "身份证阅读器：故障",
        ),
    ] {
        let _ = app.update(Message::Reader(ga467::serial::ReaderEvent::State(state)));
        assert!(shows(&app, WIDE, text), "{text}");
    }
}

fn scanned(text: &str) -> Message {
    Message::Scanner(tongban_scanner::serial::ScannerEvent::Scanned(
        tongban_scanner::Scan::new(text.to_owned()),
    ))
}

#[test]
fn a_scanned_suishenma_is_recognised_and_other_codes_are_named_as_not_one() {
    let mut app = app();
    let _ = app.update(scanned(tongban_sim::SAMPLE_SUISHENMA));
    assert!(!app.has_session());
    assert!(shows(
        &app,
        WIDE,
        "已识别随申码，但本终端尚未连接政务服务平台，暂不能扫码办理。请使用身份证。"
    ));
    let _ = app.update(scanned("6901234567892"));
    assert!(shows(
        &app,
        WIDE,
        "这不是随申码。请打开“随申办”App，出示随申码。"
    ));
    let _ = app.update(Message::Scanner(
        tongban_scanner::serial::ScannerEvent::Rejected(tongban_scanner::ScanError::NotText),
    ));
    assert!(shows(
        &app,
        WIDE,
        "未能识别这个二维码，请将手机屏幕调亮后重新扫描。"
    ));
    let _ = app.update(Message::Scanner(
        tongban_scanner::serial::ScannerEvent::State(tongban_device::DeviceState::Online),
    ));
    assert!(shows(&app, WIDE, "扫码器：正常"));
}

#[test]
fn a_receipt_is_queued_only_on_a_receipt_printer_that_can_print() {
    use tongban::print::service::{Cause, PrintRequest, PrinterEvent, Queue, ReceiptService};
    use tongban_device::{CoverState, DeviceKind, DeviceState, DeviceStatus, MediaState};
    let mut options = Options::headless(kiosk_config::defaults());
    options.devices.receipt = Some(ReceiptService {
        path: "/dev/null".into(),
        baud: 115_200,
        usb: None,
        store: std::env::temp_dir().join("unused.db"),
    });
    let mut app = App::new(options, I18n::load().expect("texts"));
    let (queue, requests) = Queue::pair();
    let _ = app.update(Message::Receipt(PrinterEvent::Ready(queue)));
    let status = |media| {
        Message::Receipt(PrinterEvent::Status(DeviceStatus {
            kind: DeviceKind::ReceiptPrinter,
            state: if media == MediaState::Out {
                DeviceState::UserError
            } else {
                DeviceState::Online
            },
            media: Some(media),
            toner: None,
            cover: Some(CoverState::Closed),
        }))
    };
    let receipt = || demo::sample_receipt("2026-11-24 14:03");
    // Not heard from yet: offline.
    assert_eq!(
        app.print_receipt("T".into(), receipt()),
        Err(Cause::Offline)
    );
    let _ = app.update(status(MediaState::Out));
    assert_eq!(
        app.print_receipt("T".into(), receipt()),
        Err(Cause::PaperOut)
    );
    assert!(shows(&app, WIDE, "凭条打印机：缺纸"));
    // Near its end it still prints, and the footer says so.
    let _ = app.update(status(MediaState::Low));
    assert!(shows(&app, WIDE, "凭条打印机：纸将用尽"));
    let token = app.print_receipt("T-9".into(), receipt()).expect("queued");
    match requests.try_recv() {
        Ok(PrintRequest::Receipt {
            token: t, ticket, ..
        }) => {
            assert_eq!((t, ticket.as_str()), (token, "T-9"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_platform_link_shows_in_the_footer_and_its_commands_take_the_terminal_out_of_service() {
    use tongban::platform::{PlatformEvent, PlatformService};
    use tongban_platform_api::terminal::Command;
    let mut options = Options::headless(kiosk_config::defaults());
    options.platform = Some(PlatformService {
        url: "http://127.0.0.1:9".into(),
        public_key: String::new(),
        terminal: "SH-PD-0001-01".into(),
        store: std::env::temp_dir().join("unused.db"),
        heartbeat: Duration::from_secs(60),
        catalogue_every: Duration::from_secs(600),
        refused_keep: std::time::Duration::from_secs(7 * 86_400),
        fleet: None,
        tls: None,
    });
    let mut app = App::new(options, I18n::load().expect("texts"));
    assert!(shows(&app, WIDE, "网络：离线"));
    let _ = app.update(Message::Platform(PlatformEvent::Online));
    assert!(shows(&app, WIDE, "网络：已连接"));
    let _ = app.update(Message::Platform(PlatformEvent::Catalogue(3)));
    assert_eq!(app.catalogue_version(), Some(3));
    let _ = app.update(Message::Platform(PlatformEvent::Command(
        Command::OutOfService {
            reason_zh: "系统升级".into(),
            reason_en: "System upgrade".into(),
        },
    )));
    assert!(app.out_of_service());
    assert!(shows(&app, WIDE, "原因：系统升级"));
    let _ = app.update(Message::Platform(PlatformEvent::Command(
        Command::InService,
    )));
    assert!(!app.out_of_service());
    let _ = app.update(Message::Platform(PlatformEvent::Offline("down".into())));
    assert!(shows(&app, WIDE, "网络：离线"));
}

/// Whether any text on screen contains `part`.
fn shows_part(app: &App, part: &str) -> bool {
    simulator(app, WIDE)
        .find(move |candidate: Candidate<'_>| match candidate {
            Candidate::Text { content, .. } if content.contains(part) => Some(()),
            _ => None,
        })
        .is_ok()
}

fn resident_a() -> tongban_platform_api::resident::ResidentSession {
    tongban_platform_api::resident::ResidentSession {
        resident: "R-DEMO-0001".into(),
        token: "0123456789abcdef0123".into(),
        expires_at: "2026-11-24T23:59:59+08:00".into(),
        masked_name: "测***甲".into(),
        phone: None,
    }
}

/// Scans the sample 随申码 on a terminal with a platform: the attempt the
/// waiting screen waits for.
fn scan_suishenma(app: &mut App) -> u64 {
    let _ = app.update(scanned(tongban_sim::SAMPLE_SUISHENMA));
    app.identification_attempt()
        .expect("waiting for the platform")
}

#[test]
fn a_suishenma_the_platform_knows_opens_a_session_and_an_unknown_one_says_so() {
    use tongban::platform::ClientError;
    let mut app = journey::app(None);
    let attempt = scan_suishenma(&mut app);
    let _ = app.update(Message::SuishenmaSession(
        attempt,
        Err(ClientError::Refused(404)),
    ));
    assert!(!app.has_session());
    assert!(shows(
        &app,
        WIDE,
        "未能识别此随申码。请在“随申办”中刷新随申码后重试，或使用身份证。"
    ));
    let attempt = scan_suishenma(&mut app);
    let _ = app.update(Message::SuishenmaSession(
        attempt,
        Err(ClientError::Unreachable("down".into())),
    ));
    assert!(shows(
        &app,
        WIDE,
        "已识别随申码，但本终端尚未连接政务服务平台，暂不能扫码办理。请使用身份证。"
    ));
    let attempt = scan_suishenma(&mut app);
    let _ = app.update(Message::SuishenmaSession(attempt, Ok(resident_a())));
    assert!(app.has_session());
    let _ = app.update(Message::EnterHome);
    assert!(shows(&app, WIDE, "测***甲，您好"));
}

/// While the platform checks a 随申码 the screen says so, in each
/// language, with a cancel button; cancelling, the wait running out or a
/// newer scan leave the answer for that scan with nobody.
///
/// Fails on e372035: the scan left the attract screen unchanged (no
/// "正在核验身份…", nothing to cancel), and an answer, whenever it came,
/// opened a session.
#[test]
fn the_wait_for_a_suishenma_says_so_and_cancelling_or_timing_out_drops_its_answer() {
    let mut app = journey::app(None);
    let attempt = scan_suishenma(&mut app);
    assert!(shows(&app, WIDE, "正在核验身份…"));
    assert!(shows(&app, WIDE, "取消"));
    assert!(!shows(&app, WIDE, PRIVACY));
    for size in [SQUARE, PORTRAIT, WIDE] {
        app.set_viewport(size);
        for text in ["正在核验身份…", "取消"] {
            assert_fits(&app, size, text);
        }
    }
    tap(&mut app, "取消");
    assert_eq!(app.screen(), &Screen::Attract);
    assert!(shows(&app, WIDE, PRIVACY));
    let _ = app.update(Message::SuishenmaSession(attempt, Ok(resident_a())));
    assert!(!app.has_session());
    assert!(!shows_part(&app, "测***甲"));

    // In English; nobody cancels and the platform does not answer in time.
    let _ = app.update(Message::ToggleLanguage);
    let attempt = scan_suishenma(&mut app);
    assert!(shows(&app, WIDE, "Checking your identity…"));
    assert!(shows(&app, WIDE, "Cancel"));
    let _ = app.update(Message::ToggleElder);
    for size in [SQUARE, PORTRAIT, WIDE] {
        app.set_viewport(size);
        for text in ["Checking your identity…", "Cancel"] {
            assert_fits(&app, size, text);
        }
    }
    let _ = app.update(Message::ToggleElder);
    let _ = app.update(Message::Tick(Instant::now() + Duration::from_secs(5)));
    assert_eq!(app.identification_attempt(), Some(attempt), "still waiting");
    let _ = app.update(Message::Tick(Instant::now() + Duration::from_secs(21)));
    assert_eq!(app.screen(), &Screen::Attract);
    assert!(shows(
        &app,
        WIDE,
        "Your identity could not be checked in time. Please scan your Suishenma again, or use your ID card."
    ));
    let _ = app.update(Message::SuishenmaSession(attempt, Ok(resident_a())));
    assert!(!app.has_session());

    // A card read while a code is checked: the card's holder is served,
    // and the code's answer is not theirs.
    let attempt = scan_suishenma(&mut app);
    let _ = app.update(card_event(tongban_sim::identities::permit()));
    assert!(app.has_session());
    let _ = app.update(Message::SuishenmaSession(attempt, Ok(resident_a())));
    let _ = app.update(Message::EnterHome);
    assert!(shows(&app, WIDE, "Hello, 测**澳"));
    assert!(shows_part(&app, "测**澳"));
    assert!(!shows_part(&app, "测***甲"));
    let _ = app.update(Message::EndSession);
    let _ = app.update(Message::Farewell(tongban::screen::farewell::Message::Done));

    // A second scan replaces the first: only its own answer counts.
    let first = scan_suishenma(&mut app);
    let second = scan_suishenma(&mut app);
    assert_ne!(first, second);
    let _ = app.update(Message::SuishenmaSession(first, Ok(resident_a())));
    assert!(!app.has_session());
    assert_eq!(app.identification_attempt(), Some(second));
    let _ = app.update(Message::SuishenmaSession(second, Ok(resident_a())));
    assert!(app.has_session());
}

#[test]
fn fleet_config_applies_at_the_attract_screen_and_waits_for_a_session_to_end() {
    use tongban::platform::{ConfigData, PlatformEvent};
    let mut app = app();
    let with_banner = |zh: &str| {
        let mut config = kiosk_config::defaults();
        config.service.banner.zh = zh.into();
        config.service.hotline = "021-12345".into();
        Message::Platform(PlatformEvent::Config(ConfigData(Arc::new(config))))
    };
    // At the attract screen: at once, no restart.
    let _ = app.update(with_banner("本网点周六照常营业"));
    assert!(shows(&app, WIDE, "本网点周六照常营业"));
    assert_eq!(app.config().service.hotline, "021-12345");
    // During a session: not in the middle of it; after it.
    identify(&mut app);
    let _ = app.update(with_banner("本网点春节休息"));
    assert_eq!(app.config().service.banner.zh, "本网点周六照常营业");
    let _ = app.update(Message::EndSession);
    let _ = app.update(Message::Farewell(tongban::screen::farewell::Message::Done));
    assert_eq!(app.config().service.banner.zh, "本网点春节休息");
    assert!(shows(&app, WIDE, "本网点春节休息"));
}
