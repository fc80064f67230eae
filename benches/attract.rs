//! What a frame of the attract screen and of a resident's home costs with
//! the software renderer at 1920×1080: building the view, laying it out and
//! drawing it with tiny-skia. Every redraw of a terminal without a GPU pays
//! this, so it bounds the CPU an idle terminal uses.
//!
//! Run: `ICED_TEST_BACKEND=tiny-skia cargo bench --bench attract`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use iced::{Settings, Size};
use iced_test::Simulator;
use tongban::app::{App, Message, Options};
use tongban::i18n::I18n;
use tongban::{demo, fonts, theme};

fn app(elder: bool, session: bool) -> App {
    let options = Options::headless(kiosk_config::defaults());
    let mut app = App::new(options, I18n::load().expect("texts"));
    if elder {
        let _ = app.update(Message::ToggleElder);
    }
    if session {
        let _ = app.update(Message::Identified(demo::sample_identity()));
        let _ = app.update(Message::EnterHome);
    }
    app
}

fn frame(app: &App) {
    let settings = Settings {
        default_font: fonts::DEFAULT_FONT,
        ..Settings::default()
    };
    let mut ui = Simulator::with_size(settings, Size::new(1920.0, 1080.0), app.view());
    let snapshot = ui.snapshot(&theme::theme()).expect("renders");
    black_box(snapshot);
}

fn bench(c: &mut Criterion) {
    if std::env::var_os("ICED_TEST_BACKEND").is_none() {
        // SAFETY: set before any renderer thread starts.
        unsafe { std::env::set_var("ICED_TEST_BACKEND", "tiny-skia") };
    }
    iced_test::renderer::graphics::text::font_system()
        .write()
        .expect("font system")
        .load_font(fonts::TONGBAN_SANS.into());

    let attract = app(false, false);
    let elder = app(true, false);
    let home = app(false, true);
    let mut group = c.benchmark_group("frame_1920x1080_tiny_skia");
    group.sample_size(20);
    group.bench_function("attract", |b| b.iter(|| frame(&attract)));
    group.bench_function("attract_elder", |b| b.iter(|| frame(&elder)));
    group.bench_function("home", |b| b.iter(|| frame(&home)));
    group.finish();

    c.bench_function("view_build_attract", |b| {
        b.iter(|| black_box(attract.view()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
