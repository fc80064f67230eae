//! Renders the kiosk's screens with the software renderer at scale factor
//! 1, as a resident reaches them (the real `update` and `view`, driven by
//! taps), to PNG — a quick way to review layouts without a display.
//!
//! Run: `ICED_TEST_BACKEND=tiny-skia cargo run --example render_screens -- OUT_DIR [--docs] [--only=PREFIX]`
//!
//! Without `--docs`: every screen in both languages and both display modes
//! at 1920×1080, 1280×1024 and 1080×1920, named `SCREEN-MODE-SIZE.png`.
//! With `--docs`: the set committed under `docs/screens/`, 1920×1080 in
//! Chinese, English and 长者模式, named `SCREEN-zh.png`, `SCREEN-en.png`,
//! `SCREEN-elder.png`.

use tongban_testkit::journey;

use std::time::{Duration, Instant};

use iced::Size;
use tongban::app::Message;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "screens".into());
    let docs = args.iter().any(|a| a == "--docs");
    // `--only=PREFIX`: just the screens whose names start so.
    let only = args
        .iter()
        .find_map(|a| a.strip_prefix("--only="))
        .unwrap_or("");
    std::fs::create_dir_all(&out).expect("output folder");
    let wide = ("1920x1080", Size::new(1920.0, 1080.0));
    let sizes: Vec<(&str, Size)> = if docs {
        vec![wide]
    } else {
        vec![
            wide,
            ("1280x1024", Size::new(1280.0, 1024.0)),
            ("1080x1920", Size::new(1080.0, 1920.0)),
        ]
    };
    let modes: &[(&str, bool, bool)] = if docs {
        &[
            ("zh", false, false),
            ("en", true, false),
            ("elder", false, true),
        ]
    } else {
        &[
            ("zh", false, false),
            ("en", true, false),
            ("zh-elder", false, true),
            ("en-elder", true, true),
        ]
    };
    let mut screens: Vec<&str> = journey::SCREENS.to_vec();
    screens.extend(["idle", "out-of-service"]);
    screens.extend(journey::STAFF_SCREENS);
    for (size_name, size) in sizes {
        for (mode, english, elder) in modes {
            for screen in &screens {
                if !screen.starts_with(only) {
                    continue;
                }
                if docs && *elder && screen.starts_with("staff-") {
                    // Staff screens: Chinese and English are enough.
                    continue;
                }
                let mut app = if *screen == "out-of-service" {
                    let mut config = journey::demo_config();
                    config.service.in_service = false;
                    config.service.out_of_service_reason.zh = "设备维护中".into();
                    config.service.out_of_service_reason.en = "Device maintenance".into();
                    tongban::app::App::new(
                        tongban::app::Options {
                            demo: true,
                            ..tongban::app::Options::headless(config)
                        },
                        tongban::i18n::I18n::load().expect("texts"),
                    )
                } else if screen.starts_with("staff-") {
                    journey::staff_app()
                } else {
                    journey::app(None)
                };
                app.set_viewport(size);
                if *english {
                    let _ = app.update(Message::ToggleLanguage);
                }
                if *elder {
                    let _ = app.update(Message::ToggleElder);
                }
                if *screen == "idle" {
                    journey::reach(&mut app, size, "home");
                    let _ = app.update(Message::Tick(Instant::now() + Duration::from_secs(100)));
                } else if screen.starts_with("staff-") {
                    journey::reach_staff(&mut app, size, screen);
                } else if *screen != "out-of-service" {
                    journey::reach(&mut app, size, screen);
                }
                let path = if docs {
                    format!("{out}/{screen}-{mode}.png")
                } else {
                    format!("{out}/{screen}-{mode}-{size_name}.png")
                };
                journey::screenshot_png(&app, size, std::path::Path::new(&path));
                println!("{path}");
            }
        }
    }
}
