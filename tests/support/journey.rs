//! Drives the kiosk's real `update` and `view` through a resident's
//! journey with iced_test, as a finger would: find a text on screen, tap
//! it, feed the messages back. Shared by the UI tests, the screen renderer,
//! `locate` (coordinates for xdotool) and the frame benchmark. Answers that
//! would come from tasks (the platform, the outbox) are given as messages.

#![allow(dead_code)]

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
    let mut options = Options {
        demo: true,
        store: store.clone(),
        ..Options::headless(demo_config())
    };
    // A platform the app may call from tasks; tests run no tasks, so it is
    // never reached (answers are given as messages).
    options.platform = Some(tongban::platform::PlatformService {
        url: "http://127.0.0.1:9".into(),
        public_key: String::new(),
        terminal: "SH-PD-0001-01".into(),
        store: std::env::temp_dir().join("journey-platform.db"),
        heartbeat: std::time::Duration::from_secs(30),
        catalogue_every: std::time::Duration::from_secs(600),
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
    let _ = app.update(Message::Receipt(PrinterEvent::Status(DeviceStatus {
        kind: DeviceKind::ReceiptPrinter,
        state: DeviceState::Online,
        media: Some(MediaState::Full),
        toner: None,
        cover: Some(CoverState::Closed),
    })));
    (app, receipts)
}

/// A kiosk with the sample catalogue and a store at `store`.
pub fn app(store: Option<std::path::PathBuf>) -> App {
    let (app, receipts) = app_with_printer(store);
    // Receipts sent to nobody are dropped with the receiver; keep it for
    // the app's life so printing is accepted.
    std::mem::forget(receipts);
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

/// Types `letters` on the on-screen keyboard.
pub fn type_keys(app: &mut App, size: Size, letters: &str) {
    for c in letters.chars() {
        tap(app, size, &c.to_string());
    }
}

/// Every screen of the resident journeys, by name, in journey order.
pub const SCREENS: &[&str] = &[
    "attract",
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
    identify(app);
    let session = app.session_number().expect("session");
    match screen {
        "home" => {}
        "services" => tap_n(t(app, "home-services"), app),
        "category" => {
            tap_n(t(app, "home-services"), app);
            let name = match app.language() {
                tongban::i18n::Language::ZhCn => "户籍",
                tongban::i18n::Language::En => "Household registration",
            };
            tap_n(name.to_string(), app);
        }
        "search" => {
            tap_n(t(app, "home-services"), app);
            tap_n(t(app, "services-search-hint"), app);
            type_keys(app, size, "hkqy");
        }
        "guided" | "fits" => {
            tap_n(t(app, "home-services"), app);
            tap_n(t(app, "services-search-hint"), app);
            type_keys(app, size, "hkqy");
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
            let bundle = match app.language() {
                tongban::i18n::Language::ZhCn => "出生一件事",
                tongban::i18n::Language::En => "Having a baby: one application",
            };
            tap_n(bundle.to_string(), app);
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
    let _ = app.update(Message::HeldLicences(
        session,
        Ok(vec!["hkb".into(), "jzz".into()]),
    ));
    let _ = app.update(Message::EnterHome);
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
