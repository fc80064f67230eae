//! Simple drawn pictograms (no image files): the service emblem, an ID card
//! on a reader, a QR code, and the three entries of a resident's home.
//! Drawn with the canvas so they stay sharp at any size and in 长者模式.

use iced::widget::canvas::{self, Frame, Geometry, Path, Stroke};
use iced::widget::{Canvas, canvas as canvas_widget};
use iced::{Color, Element, Point, Rectangle, Renderer, Size, Theme, mouse};

use crate::theme::palette;

/// Which pictogram.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Emblem,
    IdCard,
    Qr,
    Services,
    Licences,
    Progress,
    Check,
    Dot(u32),
}

struct Pictogram {
    kind: Kind,
}

impl<M> canvas::Program<M> for Pictogram {
    // The cache lives in the widget tree, so a pictogram is tessellated once
    // and every later frame reuses the same geometry: the renderer then sees
    // nothing changed there and redraws nothing.
    type State = Drawn;

    fn draw(
        &self,
        drawn: &Drawn,
        renderer: &Renderer,
        _theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<Geometry> {
        // The same tree slot may show another pictogram after a screen
        // change: start over then.
        if drawn.kind.replace(Some(self.kind)) != Some(self.kind) {
            drawn.cache.clear();
        }
        vec![drawn.cache.draw(renderer, bounds.size(), |frame| {
            self.paint(frame, bounds.size());
        })]
    }
}

/// What a pictogram's slot in the widget tree remembers.
#[derive(Default)]
pub struct Drawn {
    cache: canvas::Cache,
    kind: std::cell::Cell<Option<Kind>>,
}

impl Pictogram {
    fn paint(&self, frame: &mut Frame, size: Size) {
        let s = size.width.min(size.height);
        match self.kind {
            Kind::Emblem => emblem_shape(frame, s),
            Kind::IdCard => id_card(frame, s),
            Kind::Qr => qr(frame, s),
            Kind::Services => services(frame, s),
            Kind::Licences => licences(frame, s),
            Kind::Progress => progress(frame, s),
            Kind::Check => check(frame, s),
            Kind::Dot(rgba) => {
                let c = Color::from_rgba8(
                    (rgba >> 24) as u8,
                    (rgba >> 16) as u8,
                    (rgba >> 8) as u8,
                    1.0,
                );
                frame.fill(&Path::circle(Point::new(s / 2.0, s / 2.0), s / 2.0), c);
            }
        }
    }
}

fn rounded(frame: &mut Frame, x: f32, y: f32, w: f32, h: f32, r: f32, fill: Color) {
    frame.fill(
        &Path::rounded_rectangle(Point::new(x, y), Size::new(w, h), r.into()),
        fill,
    );
}

fn stroke(width: f32, color: Color) -> Stroke<'static> {
    Stroke::default().with_width(width).with_color(color)
}

fn emblem_shape(frame: &mut Frame, s: f32) {
    // A white rounded square with a blue "通" stroke mark: two nested arcs.
    rounded(frame, 0.0, 0.0, s, s, s * 0.22, Color::WHITE);
    let c = Point::new(s / 2.0, s / 2.0);
    frame.stroke(
        &Path::circle(c, s * 0.30),
        stroke(s * 0.09, palette::PRIMARY),
    );
    frame.fill(&Path::circle(c, s * 0.11), palette::PRIMARY);
}

fn id_card(frame: &mut Frame, s: f32) {
    let w = s;
    let h = s * 0.63;
    let y = (s - h) / 2.0;
    rounded(frame, 0.0, y, w, h, s * 0.06, palette::PRIMARY_TINT);
    frame.stroke(
        &Path::rounded_rectangle(Point::new(0.0, y), Size::new(w, h), (s * 0.06).into()),
        stroke(s * 0.025, palette::PRIMARY),
    );
    // photo
    rounded(
        frame,
        w * 0.64,
        y + h * 0.18,
        w * 0.26,
        h * 0.56,
        s * 0.02,
        palette::PRIMARY,
    );
    // text lines
    for (i, len) in [0.42_f32, 0.34, 0.46, 0.30].iter().enumerate() {
        let ly = y + h * (0.22 + i as f32 * 0.16);
        rounded(
            frame,
            w * 0.09,
            ly,
            w * len,
            h * 0.07,
            h * 0.035,
            palette::PRIMARY,
        );
    }
    // number line
    rounded(
        frame,
        w * 0.09,
        y + h * 0.84,
        w * 0.81,
        h * 0.06,
        h * 0.03,
        palette::TEXT_MUTED,
    );
}

fn qr(frame: &mut Frame, s: f32) {
    rounded(frame, 0.0, 0.0, s, s, s * 0.08, palette::PRIMARY_TINT);
    let m = s / 25.0;
    let origin = 2.5 * m;
    let finder = |frame: &mut Frame, x: f32, y: f32| {
        rounded(frame, x, y, 7.0 * m, 7.0 * m, m, palette::PRIMARY);
        rounded(
            frame,
            x + m,
            y + m,
            5.0 * m,
            5.0 * m,
            m * 0.5,
            palette::PRIMARY_TINT,
        );
        rounded(
            frame,
            x + 2.0 * m,
            y + 2.0 * m,
            3.0 * m,
            3.0 * m,
            m * 0.5,
            palette::PRIMARY,
        );
    };
    finder(frame, origin, origin);
    finder(frame, origin + 13.0 * m, origin);
    finder(frame, origin, origin + 13.0 * m);
    // A fixed scatter of data modules (decorative, not a readable code).
    const MODULES: [(u8, u8); 34] = [
        (9, 1),
        (10, 3),
        (8, 5),
        (11, 6),
        (9, 8),
        (1, 9),
        (3, 10),
        (5, 9),
        (7, 11),
        (9, 10),
        (10, 12),
        (12, 9),
        (14, 10),
        (16, 9),
        (18, 11),
        (13, 13),
        (15, 14),
        (17, 13),
        (19, 15),
        (14, 16),
        (16, 17),
        (18, 18),
        (13, 19),
        (15, 19),
        (17, 20),
        (19, 19),
        (10, 15),
        (9, 17),
        (11, 18),
        (10, 20),
        (12, 14),
        (19, 12),
        (20, 17),
        (12, 16),
    ];
    for (x, y) in MODULES {
        rounded(
            frame,
            origin + f32::from(x) * m,
            origin + f32::from(y) * m,
            m * 1.3,
            m * 1.3,
            m * 0.3,
            palette::PRIMARY,
        );
    }
}

fn services(frame: &mut Frame, s: f32) {
    // A folder with a tick.
    rounded(
        frame,
        0.0,
        s * 0.18,
        s * 0.45,
        s * 0.2,
        s * 0.05,
        palette::PRIMARY,
    );
    rounded(
        frame,
        0.0,
        s * 0.26,
        s,
        s * 0.62,
        s * 0.07,
        palette::PRIMARY,
    );
    let mut b = canvas::path::Builder::new();
    b.move_to(Point::new(s * 0.30, s * 0.56));
    b.line_to(Point::new(s * 0.45, s * 0.71));
    b.line_to(Point::new(s * 0.72, s * 0.43));
    frame.stroke(&b.build(), stroke(s * 0.08, Color::WHITE));
}

fn licences(frame: &mut Frame, s: f32) {
    // A page with a seal.
    rounded(
        frame,
        s * 0.12,
        0.0,
        s * 0.76,
        s,
        s * 0.06,
        palette::PRIMARY,
    );
    for i in 0..3 {
        rounded(
            frame,
            s * 0.24,
            s * (0.16 + i as f32 * 0.14),
            s * 0.52,
            s * 0.06,
            s * 0.03,
            Color::WHITE,
        );
    }
    frame.stroke(
        &Path::circle(Point::new(s * 0.6, s * 0.74), s * 0.13),
        stroke(s * 0.05, Color::WHITE),
    );
}

fn progress(frame: &mut Frame, s: f32) {
    // A timeline of three steps.
    frame.stroke(
        &Path::line(Point::new(s * 0.2, s * 0.15), Point::new(s * 0.2, s * 0.85)),
        stroke(s * 0.06, palette::PRIMARY),
    );
    for (i, done) in [true, true, false].iter().enumerate() {
        let y = s * (0.15 + i as f32 * 0.35);
        let c = Point::new(s * 0.2, y);
        if *done {
            frame.fill(&Path::circle(c, s * 0.12), palette::PRIMARY);
        } else {
            frame.fill(&Path::circle(c, s * 0.12), Color::WHITE);
            frame.stroke(
                &Path::circle(c, s * 0.10),
                stroke(s * 0.05, palette::PRIMARY),
            );
        }
        rounded(
            frame,
            s * 0.42,
            y - s * 0.05,
            s * 0.55,
            s * 0.1,
            s * 0.05,
            palette::PRIMARY,
        );
    }
}

fn check(frame: &mut Frame, s: f32) {
    frame.fill(
        &Path::circle(Point::new(s / 2.0, s / 2.0), s / 2.0),
        palette::SUCCESS,
    );
    let mut b = canvas::path::Builder::new();
    b.move_to(Point::new(s * 0.28, s * 0.52));
    b.line_to(Point::new(s * 0.44, s * 0.68));
    b.line_to(Point::new(s * 0.74, s * 0.36));
    frame.stroke(&b.build(), stroke(s * 0.09, Color::WHITE));
}

fn pictogram<'a, M: 'a>(kind: Kind, size: f32) -> Element<'a, M> {
    let c: Canvas<Pictogram, M> = canvas_widget(Pictogram { kind }).width(size).height(size);
    c.into()
}

/// Declares one public constructor a pictogram, so that each kind is drawn
/// by the same `pictogram` call and only its name and doc differ.
macro_rules! pictogram_constructors {
    ($($(#[$doc:meta])* $name:ident => $kind:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name<'a, M: 'a>(size: f32) -> Element<'a, M> {
                pictogram(Kind::$kind, size)
            }
        )*
    };
}

pictogram_constructors! {
    /// The service emblem shown in the header.
    emblem => Emblem;
    /// An ID card.
    id_card_icon => IdCard;
    /// A QR code.
    qr_icon => Qr;
    /// 事项办理.
    services_icon => Services;
    /// 证照打印.
    licences_icon => Licences;
    /// 办件查询.
    progress_icon => Progress;
    /// A tick in a green disc: done, recognised.
    check_icon => Check;
}

/// A status dot.
pub fn dot<'a, M: 'a>(color: Color, size: f32) -> Element<'a, M> {
    let [r, g, b, _] = color.into_rgba8();
    let rgba = (u32::from(r) << 24) | (u32::from(g) << 16) | (u32::from(b) << 8) | 0xff;
    pictogram(Kind::Dot(rgba), size)
}
