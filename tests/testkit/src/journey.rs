//! Drives the kiosk's real `update` and `view` through a resident's
//! journey with iced_test, as a finger would: find a text on screen, tap
//! it, feed the messages back. Shared by the UI tests, the screen renderer,
//! `locate` (coordinates for xdotool) and the frame benchmark. Answers that
//! would come from tasks (the platform, the outbox) are given as messages.

use std::sync::{Arc, Once};

use iced::{Settings, Size};
use iced_test::Simulator;
use tongban::app::{App, Message, Options};
use tongban::i18n::I18n;
use tongban::platform::{CatalogueData, PlatformEvent};
use tongban::print::service::{PrintRequest, PrinterEvent, Queue};
use tongban::{demo, fonts};
use tongban_device::{CoverState, DeviceKind, DeviceState, DeviceStatus, MediaState};
use tongban_platform_api::catalogue::Catalogue;
use tongban_platform_api::resident::ResidentSession;

/// The sample catalogue the kiosk ships.
pub fn catalogue() -> Arc<Catalogue> {
    static CATALOGUE: std::sync::OnceLock<Arc<Catalogue>> = std::sync::OnceLock::new();
    CATALOGUE
        .get_or_init(|| {
            let signed = tongban::platform::seed().expect("seed catalogue");
            Arc::new(serde_json::from_slice(&signed.payload).expect("catalogue parses"))
        })
        .clone()
}

/// Loads the bundled font into the simulator's font system, once.
pub fn load_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        iced_test::renderer::graphics::text::font_system()
            .write()
            .expect("font system")
            .load_font(fonts::TONGBAN_SANS.into());
    });
}

/// The demo terminal's config.
pub fn demo_config() -> kiosk_config::Config {
    kiosk_config::load_dir(std::path::Path::new("kiosk-config/demo"))
        .map(|l| l.config)
        .unwrap_or_else(|_| kiosk_config::defaults())
}

/// A kiosk with the sample catalogue, a store at `store` and a receipt
/// printer that answers; receipts arrive on the returned receiver.
pub fn app_with_printer(
    store: Option<std::path::PathBuf>,
) -> (App, std::sync::mpsc::Receiver<PrintRequest>) {
    let (app, receipts, licences) = licence_app(store);
    // Licence jobs sent to nobody are dropped with the receiver; keep it
    // for the app's life so printing is accepted.
    std::mem::forget(licences);
    (app, receipts)
}

/// The A4 printer's status with its tray `media`.
pub fn a4_status(media: MediaState) -> Message {
    Message::A4(PrinterEvent::Status(DeviceStatus {
        kind: DeviceKind::A4Printer,
        state: if media == MediaState::Out {
            DeviceState::UserError
        } else {
            DeviceState::Online
        },
        media: Some(media),
        toner: Some(tongban_device::TonerState::Full),
        cover: Some(CoverState::Closed),
    }))
}

/// The receipt printer's status with its roll `media` and `cover`.
pub fn receipt_status(media: MediaState, cover: CoverState) -> Message {
    Message::Receipt(PrinterEvent::Status(DeviceStatus {
        kind: DeviceKind::ReceiptPrinter,
        state: if media == MediaState::Out || cover == CoverState::Open {
            DeviceState::UserError
        } else {
            DeviceState::Online
        },
        media: Some(media),
        toner: None,
        cover: Some(cover),
    }))
}

/// Every device a terminal has, configured in `options` (the test plays
/// their threads; print jobs are journalled in `store`).
pub fn every_device(options: &mut Options, store: &std::path::Path) {
    options.devices.reader = Some(tongban::devices::ReaderKey {
        path: "/dev/null".into(),
        baud: 115_200,
    });
    options.devices.scanner = Some(tongban::devices::ScannerKey {
        path: "/dev/null".into(),
        baud: 9600,
        terminator: tongban_scanner::Terminator::Any,
        limit: 1024,
    });
    options.devices.a4 = Some(tongban::print::service::A4Service {
        address: "127.0.0.1:9100".parse().expect("address"),
        usb: None,
        store: store.to_owned(),
    });
    options.devices.receipt = Some(tongban::print::service::ReceiptService {
        path: "/dev/null".into(),
        usb: None,
        baud: 9600,
        store: store.to_owned(),
    });
}

/// A kiosk with the receivers of its receipt and A4 printers' queues.
pub type LicenceApp = (
    App,
    std::sync::mpsc::Receiver<PrintRequest>,
    std::sync::mpsc::Receiver<PrintRequest>,
);

/// A kiosk as [`app_with_printer`] with an A4 printer too, whose thread
/// the test plays: licence jobs arrive on the second receiver.
pub fn licence_app(store: Option<std::path::PathBuf>) -> LicenceApp {
    licence_app_with(demo_config(), store)
}

/// [`licence_app`] with its own config.
pub fn licence_app_with(
    config: kiosk_config::Config,
    store: Option<std::path::PathBuf>,
) -> LicenceApp {
    licence_app_at("http://127.0.0.1:9", config, store)
}

/// A kiosk as [`app`] whose platform is at `url` (the reference platform
/// a test started): the tasks `update` returns call it.
pub fn app_at(url: &str) -> App {
    let (app, receipts, licences) = licence_app_at(url, demo_config(), None);
    std::mem::forget(receipts);
    std::mem::forget(licences);
    app
}

/// [`licence_app_with`] with the platform at `url`.
pub fn licence_app_at(
    url: &str,
    config: kiosk_config::Config,
    store: Option<std::path::PathBuf>,
) -> LicenceApp {
    let mut options = Options {
        demo: true,
        store: store.clone(),
        ..Options::headless(config)
    };
    options.platform = Some(tongban::platform::PlatformService {
        url: url.into(),
        public_key: String::new(),
        terminal: "SH-PD-0001-01".into(),
        store: std::env::temp_dir().join("journey-platform.db"),
        heartbeat: std::time::Duration::from_secs(30),
        catalogue_every: std::time::Duration::from_secs(600),
        refused_keep: std::time::Duration::from_secs(7 * 86_400),
        fleet: None,
        tls: None,
    });
    options.devices.a4 = Some(tongban::print::service::A4Service {
        address: "127.0.0.1:9100".parse().expect("address"),
        usb: None,
        store: store
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("journey.db")),
    });
    options.devices.receipt = Some(tongban::print::service::ReceiptService {
        path: "/dev/null".into(),
        usb: None,
        baud: 9600,
        store: store.unwrap_or_else(|| std::env::temp_dir().join("journey.db")),
    });
    let mut app = App::new(options, I18n::load().expect("texts"));
    let _ = app.update(Message::Platform(PlatformEvent::CatalogueData(
        CatalogueData(catalogue()),
    )));
    let _ = app.update(Message::Platform(PlatformEvent::Online));
    let (queue, receipts) = Queue::pair();
    let _ = app.update(Message::Receipt(PrinterEvent::Ready(queue)));
    let _ = app.update(receipt_status(MediaState::Full, CoverState::Closed));
    let (queue, licences) = Queue::pair();
    let _ = app.update(Message::A4(PrinterEvent::Ready(queue)));
    let _ = app.update(a4_status(MediaState::Full));
    (app, receipts, licences)
}

/// The composed page of the sample licence (composed once: it takes a
/// while in a debug build).
pub fn sample_page() -> Arc<tongban_laser::Bitmap> {
    static PAGE: std::sync::OnceLock<Arc<tongban_laser::Bitmap>> = std::sync::OnceLock::new();
    PAGE.get_or_init(|| {
        let copy = demo::sample_licence("办理银行业务", "2026-12-03", "10:00");
        Arc::new(tongban::print::licence::compose(&copy).expect("composes"))
    })
    .clone()
}

/// The platform's answer to a ticket request: `allowed` copies, and the
/// page composed from it, for the open session.
pub fn prepared(app: &App, ticket: &str, allowed: u32) -> Message {
    let page = sample_page();
    let preview = tongban::print::prepare::PreviewImage::of(&page, 5);
    Message::LicencePrepared(
        app.session_number().expect("a session"),
        Ok(tongban::print::prepare::Prepared {
            ticket: ticket.into(),
            allowed,
            page,
            preview,
        }),
    )
}

/// The actions a task gives within `wait`, run as the runtime would (its
/// timers that wait longer are left).
pub fn actions(
    task: iced::Task<Message>,
    wait: std::time::Duration,
) -> Vec<iced_runtime::Action<Message>> {
    use iced::futures::StreamExt;
    let Some(mut stream) = iced_runtime::task::into_stream(task) else {
        return Vec::new();
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let deadline = tokio::time::Instant::now() + wait;
        let mut actions = Vec::new();
        while let Ok(Some(action)) = tokio::time::timeout_at(deadline, stream.next()).await {
            actions.push(action);
        }
        actions
    })
}

/// The messages among a task's [`actions`] within `wait`.
pub fn outputs(task: iced::Task<Message>, wait: std::time::Duration) -> Vec<Message> {
    actions(task, wait)
        .into_iter()
        .filter_map(|action| match action {
            iced_runtime::Action::Output(message) => Some(message),
            _ => None,
        })
        .collect()
}

/// Runs what `update` returned, as the runtime would, for up to a few
/// seconds (tasks that wait longer, such as the farewell's timer, are
/// left), and feeds what it produces back into `update`.
pub fn run(task: iced::Task<Message>, app: &mut App) {
    for message in outputs(task, std::time::Duration::from_secs(4)) {
        let next = app.update(message);
        run(next, app);
    }
}

/// What waits in the store's outbox: kind and JSON body, in order.
pub fn outbox(store: &std::path::Path) -> Vec<(String, serde_json::Value)> {
    let s = tongban::store::Store::open(store, std::time::Duration::from_secs(2)).expect("store");
    s.outbox_head(100)
        .expect("outbox")
        .into_iter()
        .map(|o| {
            (
                o.kind.as_str().to_owned(),
                serde_json::from_slice(&o.body).expect("JSON body"),
            )
        })
        .collect()
}

/// A kiosk with the sample catalogue, a store at `store` and both
/// printers ready.
pub fn app(store: Option<std::path::PathBuf>) -> App {
    let (app, receipts, licences) = licence_app(store);
    // Jobs sent to nobody are dropped with the receivers; keep them for
    // the app's life so printing is accepted.
    std::mem::forget(receipts);
    std::mem::forget(licences);
    app
}

/// A message in the app's current language.
pub fn t(app: &App, id: &str) -> String {
    I18n::load().expect("texts").tr(app.language(), id)
}

/// An item's name in the app's current language.
pub fn item_name(app: &App, id: &str) -> String {
    let c = catalogue();
    let item = c.items.iter().find(|i| i.id == id).expect("item");
    match app.language() {
        tongban::i18n::Language::ZhCn => item.name.zh.clone(),
        tongban::i18n::Language::En => item.name.en.clone(),
    }
}

/// From home, the catalogue's search with "hkqy" typed (户口迁移).
fn search_hkqy(app: &mut App, size: Size, tap_n: &mut dyn FnMut(String, &mut App)) {
    tap_n(t(app, "home-services"), app);
    tap_n(t(app, "services-search-hint"), app);
    type_keys(app, size, "hkqy");
}

/// `zh` or `en`, as the app's language is.
fn zh_en(app: &App, zh: &str, en: &str) -> String {
    match app.language() {
        tongban::i18n::Language::ZhCn => zh.to_string(),
        tongban::i18n::Language::En => en.to_string(),
    }
}

/// Types `letters` on the on-screen keyboard.
pub fn type_keys(app: &mut App, size: Size, letters: &str) {
    for c in letters.chars() {
        tap(app, size, &c.to_string());
    }
}

/// Every screen of the resident journeys, by name, in journey order.
pub const SCREENS: &[&str] = &[
    "attract",
    "identifying",
    "home",
    "services",
    "category",
    "search",
    "guide",
    "guided",
    "fits",
    "form",
    "form-phone",
    "form-error",
    "form-pinyin",
    "review",
    "submitted",
    "submitted-queued",
    "bundle-form",
    "progress",
    "rating",
    "licences",
    "licences-search",
    "licence-purpose",
    "licence-other",
    "licence-preview",
    "licence-printing",
    "licence-failed",
    "licence-done",
    "licence-problem",
    "farewell",
];

/// Brings a fresh app to `screen` the way a resident would. Returns the
/// taps it took from the resident's home.
pub fn reach(app: &mut App, size: Size, screen: &str) -> usize {
    let mut taps = 0;
    let mut tap_n = |text: String, app: &mut App| {
        tap(app, size, &text);
        taps += 1;
    };
    if screen == "attract" {
        return 0;
    }
    if screen == "identifying" {
        // A scanned 随申码 the platform has not confirmed yet.
        let _ = app.update(Message::Scanner(
            tongban_scanner::serial::ScannerEvent::Scanned(tongban_scanner::Scan::new(
                tongban_sim::SAMPLE_SUISHENMA.to_owned(),
            )),
        ));
        return 0;
    }
    identify(app);
    let session = app.session_number().expect("session");
    match screen {
        "home" => {}
        "services" => tap_n(t(app, "home-services"), app),
        "category" => {
            tap_n(t(app, "home-services"), app);
            tap_n(zh_en(app, "户籍", "Household registration"), app);
        }
        "search" => search_hkqy(app, size, &mut tap_n),
        "guided" | "fits" => {
            search_hkqy(app, size, &mut tap_n);
            tap_n(item_name(app, "hukou-02"), app);
            tap_n(t(app, "guide-guided"), app);
            if screen == "fits" {
                for _ in 0..4 {
                    if shows(app, size, &t(app, "guided-yes")) {
                        tap_n(t(app, "guided-yes"), app);
                    }
                }
            }
        }
        "bundle-form" => {
            tap_n(t(app, "home-services"), app);
            let bundle = zh_en(app, "出生一件事", "Having a baby: one application");
            tap_n(bundle, app);
            tap_n(t(app, "guide-kuaiban"), app);
        }
        "progress" => {
            tap_n(t(app, "home-progress"), app);
            let _ = app.update(Message::Applications(session, Ok(sample_progress())));
        }
        "rating" => {
            reach_form(app, &mut tap_n);
            tap_n(t(app, "apply-review"), app);
            tap_n(t(app, "apply-submit"), app);
            let _ = app.update(Message::Submitted(session, Ok(vec![delivered()])));
            tap_n(t(app, "submitted-rate"), app);
            tap_n(t(app, "rating-level-5"), app);
            tap_n(t(app, "rating-reason-fast"), app);
        }
        "farewell" => {
            tap_n(t(app, "finish"), app);
        }
        licence if licence.starts_with("licence") => reach_licence(app, size, licence, &mut tap_n),
        _ => {
            reach_form(app, &mut tap_n);
            match screen {
                "guide" | "form" => {}
                "form-phone" | "form-error" => {
                    tap_n("138****0001".to_string(), app);
                    if screen == "form-error" {
                        for _ in 0..3 {
                            tap_n(t(app, "kb-backspace"), app);
                        }
                        tap_n(t(app, "kb-done"), app);
                    }
                }
                "form-pinyin" => {
                    tap_n(tongban::demo::sample_identity().address.clone(), app);
                    for _ in 0..4 {
                        tap_n(t(app, "kb-backspace"), app);
                    }
                    type_keys(app, size, "shang");
                }
                "review" | "submitted" | "submitted-queued" => {
                    tap_n(t(app, "apply-review"), app);
                    if screen != "review" {
                        tap_n(t(app, "apply-submit"), app);
                        let sent = if screen == "submitted" {
                            delivered()
                        } else {
                            tongban::submit::Sent {
                                number: "SH-DEMO-0001-17".into(),
                                delivered: false,
                            }
                        };
                        let _ = app.update(Message::Submitted(session, Ok(vec![sent])));
                    }
                }
                other => panic!("no screen {other}"),
            }
        }
    }
    if screen == "guide" {
        // reach_form went one step too far: back to the guide.
        tap(app, size, &format!("‹ {}", t(app, "back")));
    }
    taps
}

/// Home → 证照打印 and on, to one of the licence printing screens.
fn reach_licence(
    app: &mut App,
    size: Size,
    screen: &str,
    tap_n: &mut impl FnMut(String, &mut App),
) {
    use tongban::print::service::{Cause, Progress};
    tap_n(t(app, "home-licences"), app);
    match screen {
        "licences" => return,
        "licences-search" => {
            tap_n(t(app, "licences-search-hint"), app);
            type_keys(app, size, "jz");
            return;
        }
        _ => {}
    }
    let name = match app.language() {
        tongban::i18n::Language::ZhCn => "上海市居住证",
        tongban::i18n::Language::En => "Shanghai residence permit",
    };
    tap_n(name.to_string(), app);
    if screen == "licence-other" {
        tap_n(t(app, "licence-other"), app);
        type_keys(app, size, "chu");
        tap_n("出".to_string(), app);
        type_keys(app, size, "guo");
        return;
    }
    let purpose = match app.language() {
        tongban::i18n::Language::ZhCn => "办理银行业务",
        tongban::i18n::Language::En => "Banking",
    };
    tap_n(purpose.to_string(), app);
    if screen == "licence-purpose" {
        return;
    }
    tap_n(t(app, "licence-next"), app);
    if screen == "licence-problem" {
        let session = app.session_number().expect("session");
        let _ = app.update(Message::LicencePrepared(
            session,
            Err((tongban::print::prepare::Unprintable::Quota, None)),
        ));
        return;
    }
    let _ = app.update(prepared(app, "TK00000001", 3));
    if screen == "licence-preview" {
        return;
    }
    tap_n("+".to_string(), app);
    tap_n(t(app, "licence-print"), app);
    let Some(token) = app.licence_job() else {
        panic!("no licence job");
    };
    let job = |progress| Message::A4(PrinterEvent::Job { token, progress });
    let _ = app.update(job(Progress::Started {
        journal: 1,
        pages: 2,
    }));
    let _ = app.update(job(Progress::Page {
        printed: 1,
        pages: 2,
    }));
    match screen {
        "licence-printing" => {}
        "licence-failed" => {
            let _ = app.update(a4_status(MediaState::Out));
            let _ = app.update(job(Progress::Failed {
                printed: 1,
                pages: 2,
                cause: Cause::PaperOut,
            }));
        }
        "licence-done" => {
            let _ = app.update(job(Progress::Printed));
        }
        other => panic!("no screen {other}"),
    }
}

/// Home → 事项办理 → search "hkb" → 户口簿补领 → 快办: the form.
fn reach_form(app: &mut App, tap_n: &mut impl FnMut(String, &mut App)) {
    tap_n(t(app, "home-services"), app);
    tap_n(t(app, "services-search-hint"), app);
    for c in "hkb".chars() {
        tap_n(c.to_string(), app);
    }
    tap_n(item_name(app, "hukou-04"), app);
    tap_n(t(app, "guide-kuaiban"), app);
}

/// The answer of a platform that took the application.
pub fn delivered() -> tongban::submit::Sent {
    tongban::submit::Sent {
        number: "SH2026120300001".into(),
        delivered: true,
    }
}

/// The demo resident's applications as the platform lists them.
pub fn sample_progress() -> Vec<tongban_platform_api::application::Progress> {
    [
        (
            "SH2026120300001",
            "hukou-04",
            "received",
            "2026-12-03T10:02:00+08:00",
        ),
        (
            "SH2026110003",
            "social-01",
            "in_review",
            "2026-11-28T15:40:00+08:00",
        ),
        (
            "SH2026110002",
            "fund-02",
            "rejected",
            "2026-11-20T09:12:00+08:00",
        ),
        (
            "SH2026110001",
            "hukou-09",
            "completed",
            "2026-11-12T11:30:00+08:00",
        ),
    ]
    .into_iter()
    .map(
        |(no, item, state, at)| tongban_platform_api::application::Progress {
            application_no: no.into(),
            item: item.into(),
            state: state.into(),
            updated_at: at.into(),
        },
    )
    .collect()
}

/// The platform's session for the demo resident (fictional), with their
/// registered phone.
pub fn platform_session() -> ResidentSession {
    ResidentSession {
        resident: "R-DEMO-0001".into(),
        token: "0123456789abcdef0123456789abcdef".into(),
        expires_at: "2026-12-31T23:59:59+08:00".into(),
        masked_name: "演**民".into(),
        phone: Some("13800000001".into()),
    }
}

/// Identifies the demo resident by card, as the platform answers, and
/// enters their home.
pub fn identify(app: &mut App) {
    let _ = app.update(Message::Identified(demo::sample_identity()));
    let session = app.session_number().expect("a session");
    let _ = app.update(Message::PlatformSession(session, Ok(platform_session())));
    let _ = app.update(Message::HeldLicences(session, Ok(sample_licences())));
    let _ = app.update(Message::EnterHome);
}

/// The demo resident's licences as the platform lists them: in force,
/// expired and revoked, from several departments (all fictional).
pub fn sample_licences() -> Vec<tongban_platform_api::licence::LicenceSummary> {
    use tongban_platform_api::catalogue::Text;
    use tongban_platform_api::licence::{LicenceStatus, LicenceSummary};
    let text = |zh: &str, en: &str| Text {
        zh: zh.into(),
        en: en.into(),
    };
    let licence = |id: &str,
                   code: &str,
                   name: Text,
                   issuer: Text,
                   number: &str,
                   valid_until: Option<&str>,
                   status: LicenceStatus| LicenceSummary {
        id: id.into(),
        licence_type: code.into(),
        name,
        number_masked: number.into(),
        issued_on: "2026-01-01".into(),
        issuer,
        valid_until: valid_until.map(str::to_owned),
        status,
    };
    let police = text("上海市公安局", "Shanghai Public Security Bureau");
    vec![
        licence(
            "LIC-0001",
            "jzz",
            text("上海市居住证", "Shanghai residence permit"),
            police.clone(),
            "JZZ-************0123",
            Some("2027-01-01"),
            LicenceStatus::Valid,
        ),
        licence(
            "LIC-0002",
            "jhz",
            text("结婚证", "Marriage certificate"),
            text("婚姻登记机关", "Marriage registry"),
            "J310***********0456",
            None,
            LicenceStatus::Valid,
        ),
        licence(
            "LIC-0005",
            "hkb",
            text("居民户口簿", "Household register"),
            text("公安机关", "Public security bureau"),
            "HKB-************0321",
            None,
            LicenceStatus::Valid,
        ),
        licence(
            "LIC-0010",
            "xlzs",
            text("学历证书", "Academic certificate"),
            text("教育机构", "Educational institution"),
            "XLZS-************0654",
            None,
            LicenceStatus::Valid,
        ),
        licence(
            "LIC-0008",
            "jsz",
            text("机动车驾驶证", "Driving licence"),
            text("公安交通管理部门", "Traffic police"),
            "JSZ-************8877",
            Some("2026-06-30"),
            LicenceStatus::Expired,
        ),
        licence(
            "LIC-0009",
            "xsz",
            text("机动车行驶证", "Vehicle licence"),
            text("公安交通管理部门", "Traffic police"),
            "XSZ-************4455",
            None,
            LicenceStatus::Revoked,
        ),
    ]
}

/// A simulator on the app's current view.
pub fn simulator(app: &App, size: Size) -> Simulator<'_, Message> {
    load_font();
    let settings = Settings {
        default_font: fonts::DEFAULT_FONT,
        ..Settings::default()
    };
    Simulator::with_size(settings, size, app.view())
}

/// Whether `text` is on screen.
pub fn shows(app: &App, size: Size, text: &str) -> bool {
    simulator(app, size).find(text).is_ok()
}

/// Taps `text` and feeds the messages back; panics when it is not there.
pub fn tap(app: &mut App, size: Size, text: &str) {
    let messages: Vec<Message> = {
        let mut ui = simulator(app, size);
        if let Err(e) = ui.click(text) {
            panic!("{text:?} is not on the screen: {e}");
        }
        ui.into_messages().collect()
    };
    for m in messages {
        let _ = app.update(m);
    }
}

/// Where `text` is (its centre), if it is on screen.
pub fn locate(app: &App, size: Size, text: &str) -> Option<(f32, f32)> {
    let mut ui = simulator(app, size);
    ui.find(text).ok().map(|t| {
        let c = t.bounds().center();
        (c.x, c.y)
    })
}

/// Taps the text of message `id` in the app's current language.
pub fn tap_t(app: &mut App, size: Size, id: &str) {
    let text = t(app, id);
    tap(app, size, &text);
}

/// Draws the app's current view at scale factor 1 with tiny-skia, as the
/// terminal's window does, and writes it to `path` as PNG.
pub fn screenshot_png(app: &App, size: Size, path: &std::path::Path) {
    use iced_test::core::renderer::Headless;
    use iced_test::core::theme::Base;
    load_font();
    let mut renderer =
        iced::futures::executor::block_on(<iced_test::renderer::Renderer as Headless>::new(
            fonts::DEFAULT_FONT,
            iced::Pixels(16.0),
            Some("tiny-skia"),
        ))
        .expect("headless tiny-skia renderer");
    let theme = tongban::theme::theme();
    let base = theme.base();
    let mut ui = iced_test::runtime::UserInterface::build(
        app.view(),
        size,
        iced_test::runtime::user_interface::Cache::default(),
        &mut renderer,
    );
    // The redraw event first, as the runtime sends it: widgets settle
    // their status (a button is active, not disabled) on it.
    let mut messages = Vec::new();
    let _ = ui.update(
        &[iced::Event::Window(iced::window::Event::RedrawRequested(
            iced::time::Instant::now(),
        ))],
        iced::mouse::Cursor::Unavailable,
        &mut renderer,
        &mut iced_test::core::clipboard::Null,
        &mut messages,
    );
    ui.draw(
        &mut renderer,
        &theme,
        &iced_test::core::renderer::Style {
            text_color: base.text_color,
        },
        iced::mouse::Cursor::Unavailable,
    );
    let (w, h) = (size.width as u32, size.height as u32);
    let rgba = renderer.screenshot(iced::Size::new(w, h), 1.0, base.background_color);
    let file = std::fs::File::create(path).expect("png file");
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().expect("png header");
    // The screen is opaque: three channels compress better than four.
    let rgb: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    writer.write_image_data(&rgb).expect("png data");
}

/// The staff screens, by name, as staff reach them.
pub const STAFF_SCREENS: &[&str] = &[
    "staff-pin",
    "staff-pin-locked",
    "staff-board",
    "staff-board-problems",
    "staff-supplies",
    "staff-queue",
    "staff-service",
];

/// A kiosk as [`app`] with the reader and scanner configured and working
/// too: what branch staff see on the demo terminal.
pub fn staff_app() -> App {
    let mut config = demo_config();
    config.staff.long_press_ms = 1000;
    // The demo's sample PIN pepper, as the kiosk reads it at start.
    let staff_pepper = tongban::staff::Pepper::configured(
        std::path::Path::new("kiosk-config/demo"),
        &config.staff,
    )
    .and_then(Result::ok);
    let (mut app, receipts, licences) = {
        let mut options = Options {
            demo: true,
            staff_pepper,
            ..Options::headless(config)
        };
        every_device(&mut options, &std::env::temp_dir().join("journey.db"));
        let mut app = App::new(options, I18n::load().expect("texts"));
        let (queue, receipts) = Queue::pair();
        let _ = app.update(Message::Receipt(PrinterEvent::Ready(queue)));
        let (queue, licences) = Queue::pair();
        let _ = app.update(Message::A4(PrinterEvent::Ready(queue)));
        (app, receipts, licences)
    };
    std::mem::forget(receipts);
    std::mem::forget(licences);
    let _ = app.update(Message::Reader(ga467::serial::ReaderEvent::State(
        DeviceState::Online,
    )));
    let _ = app.update(Message::Scanner(
        tongban_scanner::serial::ScannerEvent::State(DeviceState::Online),
    ));
    let _ = app.update(receipt_status(MediaState::Full, CoverState::Closed));
    let _ = app.update(a4_status(MediaState::Full));
    app
}

/// What the store of a terminal in use holds, for the board (sample
/// figures; the job tickets are platform ids, not personal data).
pub fn sample_facts() -> tongban::facts::Facts {
    use tongban::facts::{Facts, JournalCounts, SupplyFact};
    use tongban::store::{AuditEntry, JobRecord, JobState};
    let supply = |name: &str, remaining: i64, per_day: f64| SupplyFact {
        name: name.into(),
        remaining,
        updated_at: "2026-12-03T08:10:00+08:00".into(),
        per_day: Some(per_day),
        days_left: Some(remaining as f64 / per_day),
    };
    let job =
        |id: i64, kind: &str, pages: u32, printed: u32, state: JobState, reason: &str| JobRecord {
            id,
            printer: if kind == "receipt" { "receipt" } else { "a4" }.into(),
            kind: kind.into(),
            ticket: format!("TK{id:08}"),
            pages,
            printed,
            state,
            reason: reason.into(),
            created_at: "2026-12-03T10:42:00+08:00".into(),
            updated_at: format!("2026-12-03T10:{:02}:00+08:00", 40 + id),
        };
    let audit = |at: &str, actor: &str, action: &str, detail: &str| AuditEntry {
        at: format!("2026-12-03T{at}:00+08:00"),
        actor: actor.into(),
        action: action.into(),
        detail: detail.into(),
    };
    Facts {
        supplies: vec![
            supply("a4_sheets", 36, 12.0),
            supply("a4_toner_pages", 2100, 40.0),
            supply("receipt_mm", 52_000, 1_200.0),
        ],
        outbox_depth: 3,
        outbox_rejected: 1,
        outbox_oldest_secs: Some(420),
        refused: vec![tongban::store::Refused {
            id: 41,
            kind: tongban::store::SubmissionKind::Application,
            summary: "hukou-07".into(),
            created_at: "2026-11-28T15:20:00+08:00".into(),
            refused_unix: Some(1_764_314_500),
            reason: "HTTP 422 invalid_body: the item is no longer offered".into(),
            body_kept: false,
        }],
        journal: JournalCounts {
            journalled: 0,
            sending: 0,
            printed: 412,
            failed: 3,
            uncertain: 1,
        },
        uncertain: vec![job(
            7,
            "licence",
            2,
            1,
            JobState::Uncertain,
            "printer not answering",
        )],
        recent_jobs: vec![
            job(9, "receipt", 1, 1, JobState::Printed, ""),
            job(8, "licence", 1, 1, JobState::Printed, ""),
            job(
                7,
                "licence",
                2,
                1,
                JobState::Uncertain,
                "printer not answering",
            ),
        ],
        audit: vec![
            audit("09:02", "DEMO-01", "maintenance_open", ""),
            audit("08:10", "DEMO-01", "restock_a4_paper", "a4_sheets 4 -> 50"),
            audit(
                "08:09",
                "DEMO-01",
                "replace_receipt_roll",
                "receipt_mm 900 -> 80000",
            ),
            audit("08:05", "DEMO-01", "maintenance_open", ""),
        ],
        devices: Vec::new(),
    }
}

/// Brings a fresh [`staff_app`] to a staff screen the way staff reach it
/// (the PIN's check and the store's facts, which come from tasks in the
/// kiosk, are given as messages).
pub fn reach_staff(app: &mut App, size: Size, screen: &str) {
    use tongban::app::StaffMessage;
    let _ = app.update(Message::Staff(StaffMessage::Corner(true)));
    let _ = app.update(Message::Staff(StaffMessage::Held(1)));
    match screen {
        "staff-pin" => {
            for d in ["1", "3", "5"] {
                tap(app, size, d);
            }
            return;
        }
        "staff-pin-locked" => {
            for _ in 0..app_max_attempts() {
                let _ = app.update(Message::Staff(StaffMessage::PinChecked(None)));
            }
            return;
        }
        _ => {}
    }
    let _ = app.update(Message::Staff(StaffMessage::PinChecked(Some(
        "DEMO-01".into(),
    ))));
    let _ = app.update(Message::Staff(StaffMessage::Facts(Ok(Box::new(
        sample_facts(),
    )))));
    match screen {
        "staff-board" => {}
        "staff-board-problems" => {
            let _ = app.update(Message::A4(PrinterEvent::Status(DeviceStatus {
                kind: DeviceKind::A4Printer,
                state: DeviceState::UserError,
                media: Some(MediaState::Out),
                toner: Some(tongban_device::TonerState::Low),
                cover: Some(CoverState::Closed),
            })));
            let _ = app.update(Message::Reader(ga467::serial::ReaderEvent::State(
                DeviceState::Offline,
            )));
            tap_t(app, size, "mt-self-check");
        }
        "staff-supplies" => tap_t(app, size, "mt-tab-supplies"),
        "staff-queue" => tap_t(app, size, "mt-tab-queue"),
        "staff-service" => tap_t(app, size, "mt-tab-service"),
        other => panic!("no staff screen {other:?}"),
    }
}

fn app_max_attempts() -> u32 {
    demo_config().staff.max_attempts
}
