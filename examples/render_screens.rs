//! Renders every screen of the kiosk, in both languages and both display
//! modes, at 1920×1080, 1280×1024 and 1080×1920, to PNG files with the
//! software renderer — a quick way to review layouts without a display.
//!
//! Run: `ICED_TEST_BACKEND=tiny-skia cargo run --example render_screens -- OUT_DIR`

use std::time::{Duration, Instant};

use iced::{Settings, Size};
use iced_test::Simulator;
use tongban::app::{App, Message, Options};
use tongban::i18n::I18n;
use tongban::{demo, fonts, theme};

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| "screens".into());
    std::fs::create_dir_all(&out).expect("output folder");
    iced_test::renderer::graphics::text::font_system()
        .write()
        .expect("font system")
        .load_font(fonts::TONGBAN_SANS.into());
    let sizes = [
        ("1920x1080", Size::new(1920.0, 1080.0)),
        ("1280x1024", Size::new(1280.0, 1024.0)),
        ("1080x1920", Size::new(1080.0, 1920.0)),
    ];
    for (size_name, size) in sizes {
        for (mode, english, elder) in [
            ("zh", false, false),
            ("en", true, false),
            ("zh-elder", false, true),
            ("en-elder", true, true),
        ] {
            for screen in ["attract", "home", "idle", "out-of-service"] {
                let mut config = kiosk_config::load_dir(std::path::Path::new("kiosk-config/demo"))
                    .map(|l| l.config)
                    .unwrap_or_else(|_| kiosk_config::defaults());
                if screen == "out-of-service" {
                    config.service.in_service = false;
                    config.service.out_of_service_reason.zh = "设备维护中".into();
                    config.service.out_of_service_reason.en = "Device maintenance".into();
                }
                let options = Options {
                    demo: true,
                    ..Options::headless(config)
                };
                let mut app = App::new(options, I18n::load().expect("texts"));
                app.set_viewport(size);
                if english {
                    let _ = app.update(Message::ToggleLanguage);
                }
                if elder {
                    let _ = app.update(Message::ToggleElder);
                }
                if screen == "home" || screen == "idle" {
                    let _ = app.update(Message::Identified(demo::sample_identity()));
                    let _ = app.update(Message::EnterHome);
                }
                if screen == "idle" {
                    let _ = app.update(Message::Tick(Instant::now() + Duration::from_secs(100)));
                }
                let settings = Settings {
                    default_font: fonts::DEFAULT_FONT,
                    ..Settings::default()
                };
                let mut ui = Simulator::with_size(settings, size, app.view());
                let snapshot = ui.snapshot(&theme::theme()).expect("renders");
                let path = format!("{out}/{screen}-{mode}-{size_name}.png");
                let _ = std::fs::remove_file(&path);
                let _ = snapshot.matches_image(&path).expect("writes png");
                println!("{path}");
            }
        }
    }
}
