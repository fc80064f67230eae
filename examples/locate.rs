//! Prints where a text is on the kiosk's screen, so scripts can tap it in
//! the real window with xdotool without hard-coding coordinates.
//!
//! Run: `cargo run --example locate -- WxH LANG ELDER SCREEN TEXT`
//! e.g. `cargo run --example locate -- 1920x1080 zh false attract English`
//! prints `1643 59` (the centre, in window pixels).

use iced::{Settings, Size};
use iced_test::Simulator;
use tongban::app::{App, Message, Options};
use tongban::i18n::I18n;
use tongban::{demo, fonts};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [size, language, elder, screen, text] = args.as_slice() else {
        eprintln!("usage: locate WxH zh|en true|false attract|home|licence TEXT");
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
    let mut options = Options {
        demo: true,
        ..Options::headless(config)
    };
    if screen == "licence" {
        // A printer that answers: the licence entry opens.
        options.devices.a4 = Some(tongban::print::service::A4Service {
            address: "127.0.0.1:9100".parse().expect("address"),
            usb: None,
            store: std::env::temp_dir().join("locate.db"),
        });
    }
    let mut app = App::new(options, I18n::load().expect("texts"));
    app.set_viewport(size);
    if language == "en" {
        let _ = app.update(Message::ToggleLanguage);
    }
    if elder == "true" {
        let _ = app.update(Message::ToggleElder);
    }
    if screen == "home" || screen == "licence" {
        let _ = app.update(Message::Identified(demo::sample_identity()));
        let _ = app.update(Message::EnterHome);
    }
    if screen == "licence" {
        use tongban_device::{
            CoverState, DeviceKind, DeviceState, DeviceStatus, MediaState, TonerState,
        };
        let _ = app.update(Message::A4(tongban::print::service::PrinterEvent::Status(
            DeviceStatus {
                kind: DeviceKind::A4Printer,
                state: DeviceState::Online,
                media: Some(MediaState::Full),
                toner: Some(TonerState::Full),
                cover: Some(CoverState::Closed),
            },
        )));
        let _ = app.update(Message::Home(tongban::screen::home::Message::Open(
            tongban::screen::home::Entry::Licences,
        )));
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
