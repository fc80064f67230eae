//! What a frame of each resident journey screen costs at 1920×1080 with
//! the software renderer, at scale factor 1 as on the terminal: build the
//! view, lay it out, draw it with tiny-skia and read the pixels back. The
//! renderer is kept between frames, as the window keeps it. Before the
//! criterion groups, 60 frames of every screen are timed one by one and
//! the 95th percentile is printed for BENCHMARKS.md.
//!
//! Run: `ICED_TEST_BACKEND=tiny-skia cargo bench --bench screens`

use tongban_testkit::journey;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use iced::Size;
use iced_test::core::renderer::Headless;
use iced_test::core::theme::Base;
use iced_test::runtime::UserInterface;
use iced_test::runtime::user_interface::Cache;
use tongban::app::{App, Message};
use tongban::{fonts, theme};

const SIZE: Size = Size::new(1920.0, 1080.0);

type Renderer = iced_test::renderer::Renderer;

fn renderer() -> Renderer {
    iced::futures::executor::block_on(<Renderer as Headless>::new(
        fonts::DEFAULT_FONT,
        iced::Pixels(16.0),
        Some("tiny-skia"),
    ))
    .expect("headless tiny-skia renderer")
}

fn frame(app: &App, renderer: &mut Renderer) {
    let theme = theme::theme();
    let base = theme.base();
    let mut ui = UserInterface::build(app.view(), SIZE, Cache::default(), renderer);
    // The redraw event first, as the runtime sends it: widgets settle
    // their status (a button is active, not disabled) on it.
    let mut messages = Vec::new();
    let _ = ui.update(
        &[iced::Event::Window(iced::window::Event::RedrawRequested(
            iced::time::Instant::now(),
        ))],
        iced::mouse::Cursor::Unavailable,
        renderer,
        &mut iced_test::core::clipboard::Null,
        &mut messages,
    );
    ui.draw(
        renderer,
        &theme,
        &iced_test::core::renderer::Style {
            text_color: base.text_color,
        },
        iced::mouse::Cursor::Unavailable,
    );
    let pixels = renderer.screenshot(
        iced::Size::new(SIZE.width as u32, SIZE.height as u32),
        1.0,
        base.background_color,
    );
    black_box(pixels);
}

fn screen(name: &str, elder: bool) -> App {
    let mut app = journey::app(None);
    if elder {
        let _ = app.update(Message::ToggleElder);
    }
    journey::reach(&mut app, SIZE, name);
    app
}

fn bench(c: &mut Criterion) {
    // glibc moves its mmap and trim thresholds as large blocks come and
    // go: once the licence preview's page has been allocated and freed,
    // the 8 MB read-back buffer of every later frame comes from fresh
    // pages, and their faults add some 7 ms to each frame of every screen
    // measured after it. Fixed thresholds give every screen the same
    // allocator (the window reads nothing back; see BENCHMARKS.md).
    // SAFETY: mallopt only sets allocator parameters; called before any
    // other thread runs.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
    journey::load_font();
    let mut renderer = renderer();
    println!("frame time at 1920×1080, scale 1, tiny-skia (60 frames each):");
    println!("| screen | median | p95 |");
    println!("|---|---|---|");
    // The first screen is measured again at the end: a process's first
    // second runs slower on this machine, whatever it draws.
    let passes = [false, true].map(|elder| (elder, journey::SCREENS.to_vec()));
    let again = [(false, vec![journey::SCREENS[0]])];
    for (elder, screens) in passes.into_iter().chain(again) {
        for name in &screens {
            let app = screen(name, elder);
            // Warm: the first frames of the first screen fill the glyph
            // caches for every screen after it.
            for _ in 0..20 {
                frame(&app, &mut renderer);
            }
            let mut times: Vec<Duration> = (0..60)
                .map(|_| {
                    let t = Instant::now();
                    frame(&app, &mut renderer);
                    t.elapsed()
                })
                .collect();
            times.sort();
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            println!(
                "| {name}{} | {:.1} ms | {:.1} ms |",
                if elder { " (长者模式)" } else { "" },
                ms(times[30]),
                ms(times[56])
            );
        }
    }
    let mut group = c.benchmark_group("screen_frame_1920x1080_scale1");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for name in journey::SCREENS {
        let app = screen(name, false);
        group.bench_function(*name, |b| b.iter(|| frame(&app, &mut renderer)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
