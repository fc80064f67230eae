//! Prints where a text is on the kiosk's screen, so scripts can tap it in
//! the real window with xdotool without hard-coding coordinates.
//!
//! Run: `cargo run --example locate -- WxH LANG ELDER SCREEN TEXT...`
//! e.g. `cargo run --example locate -- 1920x1080 zh false attract English`
//! prints `1643 59` (the centre, in window pixels). With SCREEN `journey`
//! the demo resident is identified and every TEXT but the last is tapped
//! first, as a resident would, so scripts can find a text several screens
//! into a journey: `locate 1920x1080 zh false journey 事项办理 确认提交`.
//! With `journey-all` every TEXT's place is printed, one line each, tapping
//! each in turn (a licence copy being prepared gets the sample ticket and
//! page); with `reach:SCREEN` the text is found on a screen of
//! `journey::SCREENS` reached as a resident reaches it, and with
//! `staff:NAME` on the staff screen `staff-NAME` of
//! `journey::STAFF_SCREENS` (`staff:pin`, `staff:board`, …).

use tongban_testkit::journey;

use iced::{Settings, Size};
use iced_test::Simulator;
use tongban::app::{App, Message, Options};
use tongban::i18n::I18n;
use tongban::{demo, fonts};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [size, language, elder, screen, texts @ ..] = args.as_slice() else {
        eprintln!(
            "usage: locate WxH zh|en true|false attract|home|journey|journey-all|reach:SCREEN TEXT..."
        );
        std::process::exit(2);
    };
    let Some((text, steps)) = texts.split_last() else {
        eprintln!(
            "usage: locate WxH zh|en true|false attract|home|journey|journey-all|reach:SCREEN TEXT..."
        );
        std::process::exit(2);
    };
    let (w, h) = size.split_once('x').expect("WxH");
    let size = Size::new(w.parse().expect("width"), h.parse().expect("height"));
    iced_test::renderer::graphics::text::font_system()
        .write()
        .expect("font system")
        .load_font(fonts::TONGBAN_SANS.into());
    let config = kiosk_config::load_dir(std::path::Path::new("kiosk-config/demo"))
        .map(|l| l.config)
        .unwrap_or_else(|_| kiosk_config::defaults());
    let options = Options {
        demo: true,
        ..Options::headless(config)
    };
    let mut app = if screen.starts_with("staff:") {
        journey::staff_app()
    } else if screen.starts_with("journey") || screen.starts_with("reach:") {
        journey::app(None)
    } else {
        App::new(options, I18n::load().expect("texts"))
    };
    app.set_viewport(size);
    if language == "en" {
        let _ = app.update(Message::ToggleLanguage);
    }
    if elder == "true" {
        let _ = app.update(Message::ToggleElder);
    }
    if screen == "journey" {
        journey::identify(&mut app);
        for step in steps {
            journey::tap(&mut app, size, step);
        }
    }
    if let Some(target) = screen.strip_prefix("staff:") {
        // A staff screen reached the way staff reach it.
        journey::reach_staff(&mut app, size, &format!("staff-{target}"));
    }
    if let Some(target) = screen.strip_prefix("reach:") {
        // A screen reached the way a resident reaches it.
        journey::reach(&mut app, size, target);
    }
    if screen == "journey-all" {
        // Every text's place, tapping each after locating it: one line per
        // text, for a script that taps the whole path.
        journey::identify(&mut app);
        for step in texts {
            match journey::locate(&app, size, step) {
                Some((x, y)) => println!("{} {}", x.round(), y.round()),
                None => {
                    eprintln!("{step:?} is not on the screen");
                    std::process::exit(1);
                }
            }
            journey::tap(&mut app, size, step);
            // A licence copy being prepared: the platform's ticket and the
            // page arrive (in the real kiosk, from a task).
            if let tongban::app::Screen::LicencePrint(s) = app.screen()
                && s.step == tongban::screen::licence_print::Step::Preparing
            {
                let ready = journey::prepared(&app, "TK00000001", 3);
                let _ = app.update(ready);
            }
        }
        return;
    }
    if screen == "home" {
        let _ = app.update(Message::Identified(demo::sample_identity()));
        let _ = app.update(Message::EnterHome);
    }
    let settings = Settings {
        default_font: fonts::DEFAULT_FONT,
        ..Settings::default()
    };
    let mut ui = Simulator::with_size(settings, size, app.view());
    match ui.find(text.as_str()) {
        Ok(target) => {
            let c = target.bounds().center();
            println!("{} {}", c.x.round(), c.y.round());
        }
        Err(e) => {
            eprintln!("{text:?} is not on the screen: {e}");
            std::process::exit(1);
        }
    }
}
