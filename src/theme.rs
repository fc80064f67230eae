//! The design system: colours, type scale, spacing, corner radii and touch
//! target sizes. Every screen takes its measures from [`Metrics`] and its
//! colours from [`palette`], so 长者模式 (elder mode) is one switch and every
//! screen looks the same. It holds no state and draws nothing itself.

use iced::widget::{button, container};
use iced::{Background, Border, Color, Shadow, Theme, color};

/// Colours of the terminal. Text/background pairs used by the screens are
/// listed in [`TEXT_PAIRS`]; a test proves each has a contrast of at least
/// 4.5:1 (WCAG 2.x, level AA for body text).
pub mod palette {
    use super::{Color, color};

    /// Page background: a very light blue-grey, easy on the eyes in a bright branch.
    pub const BACKGROUND: Color = color!(0xF3F6FA);
    /// Cards and panels.
    pub const SURFACE: Color = color!(0xFFFFFF);
    /// Body text.
    pub const TEXT: Color = color!(0x17212F);
    /// Secondary text (hints, captions).
    pub const TEXT_MUTED: Color = color!(0x45526A);
    /// Government-service blue: header band and primary actions.
    pub const PRIMARY: Color = color!(0x0A4A9F);
    /// A darker blue for pressed primary buttons.
    pub const PRIMARY_PRESSED: Color = color!(0x063774);
    /// Light tint of the primary colour for selected or secondary surfaces.
    pub const PRIMARY_TINT: Color = color!(0xE3ECF8);
    /// Text on primary surfaces.
    pub const ON_PRIMARY: Color = color!(0xFFFFFF);
    /// Good states (device online, network up).
    pub const SUCCESS: Color = color!(0x136B3A);
    /// Attention states (paper low, offline queue).
    pub const WARNING: Color = color!(0x8A4B00);
    /// Faults and the out-of-service screen.
    pub const DANGER: Color = color!(0xB3261E);
    /// Text on danger surfaces.
    pub const ON_DANGER: Color = color!(0xFFFFFF);
    /// Thin separators and card outlines.
    pub const OUTLINE: Color = color!(0xC9D3E1);
    /// Disabled controls: text.
    pub const DISABLED_TEXT: Color = color!(0x5B6577);
    /// Disabled controls: background.
    pub const DISABLED: Color = color!(0xE6EAF0);
    /// Dims the screen behind a modal overlay.
    pub const SCRIM: Color = Color::from_rgba(0.05, 0.08, 0.14, 0.72);
}

/// Every (text, background) pair a screen draws, checked for contrast.
pub const TEXT_PAIRS: &[(&str, Color, Color)] = &[
    ("text on background", palette::TEXT, palette::BACKGROUND),
    ("text on surface", palette::TEXT, palette::SURFACE),
    (
        "muted on background",
        palette::TEXT_MUTED,
        palette::BACKGROUND,
    ),
    ("muted on surface", palette::TEXT_MUTED, palette::SURFACE),
    ("on primary", palette::ON_PRIMARY, palette::PRIMARY),
    (
        "on primary pressed",
        palette::ON_PRIMARY,
        palette::PRIMARY_PRESSED,
    ),
    ("primary on tint", palette::PRIMARY, palette::PRIMARY_TINT),
    ("primary on surface", palette::PRIMARY, palette::SURFACE),
    ("text on tint", palette::TEXT, palette::PRIMARY_TINT),
    ("success on surface", palette::SUCCESS, palette::SURFACE),
    ("warning on surface", palette::WARNING, palette::SURFACE),
    ("danger on surface", palette::DANGER, palette::SURFACE),
    ("danger on background", palette::DANGER, palette::BACKGROUND),
    ("on danger", palette::ON_DANGER, palette::DANGER),
    ("disabled", palette::DISABLED_TEXT, palette::DISABLED),
];

/// WCAG 2.x contrast ratio between two opaque colours (1.0 ..= 21.0).
pub fn contrast_ratio(a: Color, b: Color) -> f32 {
    fn channel(c: f32) -> f32 {
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    fn luminance(c: Color) -> f32 {
        0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    }
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// How much larger type is in 长者模式.
pub const ELDER_SCALE: f32 = 1.4;

/// Steps of the type scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// Footer, fine print.
    Caption,
    /// Running text and hints.
    Body,
    /// Button labels and field names.
    Label,
    /// Card and section titles.
    Title,
    /// Screen headings.
    Heading,
    /// The one large line of a screen (the clock, the greeting).
    Display,
}

/// Measures of one display mode (standard or 长者模式). Screens never use
/// literal sizes; they ask the metrics of the current mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// Whether these are the 长者模式 metrics.
    pub elder: bool,
}

impl Metrics {
    /// Metrics of the standard or the elder mode.
    pub const fn new(elder: bool) -> Self {
        Self { elder }
    }

    fn scale(self) -> f32 {
        if self.elder { ELDER_SCALE } else { 1.0 }
    }

    /// Font size in logical pixels of a step of the type scale.
    pub fn text(self, step: Type) -> f32 {
        let base: f32 = match step {
            Type::Caption => 18.0,
            Type::Body => 22.0,
            Type::Label => 26.0,
            Type::Title => 32.0,
            Type::Heading => 44.0,
            Type::Display => 60.0,
        };
        (base * self.scale()).round()
    }

    /// Minimum height and width of anything a finger must hit.
    pub fn touch_target(self) -> f32 {
        if self.elder { 88.0 } else { 64.0 }
    }

    /// Height of the large entry buttons of a screen (a comfortable
    /// multiple of the touch target).
    pub fn large_target(self) -> f32 {
        self.touch_target() * 1.5
    }

    /// Spacing steps: 4, 8, 16, 24, 40, 64 logical pixels in standard mode,
    /// a little looser in 长者模式 so larger type does not crowd.
    pub fn space(self, step: Space) -> f32 {
        let base: f32 = match step {
            Space::Xs => 4.0,
            Space::S => 8.0,
            Space::M => 16.0,
            Space::L => 24.0,
            Space::Xl => 40.0,
            Space::Xxl => 64.0,
        };
        if self.elder {
            (base * 1.2).round()
        } else {
            base
        }
    }
}

/// Steps of the spacing scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    /// 4 px.
    Xs,
    /// 8 px.
    S,
    /// 16 px.
    M,
    /// 24 px.
    L,
    /// 40 px.
    Xl,
    /// 64 px.
    Xxl,
}

/// Corner radii.
pub mod radius {
    /// Chips and small badges.
    pub const SMALL: f32 = 8.0;
    /// Buttons.
    pub const MEDIUM: f32 = 14.0;
    /// Cards and overlays.
    pub const LARGE: f32 = 22.0;
}

/// The iced theme built from the palette.
pub fn theme() -> Theme {
    Theme::custom(
        "Tongban",
        iced::theme::Palette {
            background: palette::BACKGROUND,
            text: palette::TEXT,
            primary: palette::PRIMARY,
            success: palette::SUCCESS,
            warning: palette::WARNING,
            danger: palette::DANGER,
        },
    )
}

fn border(color: Color, width: f32, radius: f32) -> Border {
    Border {
        color,
        width,
        radius: radius.into(),
    }
}

/// Surfaces are flat: outlines separate them. (Blurred shadows also
/// accumulated into grey under tiny-skia's partial redraws.)
fn soft_shadow() -> Shadow {
    Shadow::default()
}

/// Container styles.
pub mod containers {
    use super::*;

    /// A plain coloured surface with its text colour, no outline.
    fn filled(background: Color, text_color: Color) -> container::Style {
        container::Style {
            background: Some(Background::Color(background)),
            text_color: Some(text_color),
            ..container::Style::default()
        }
    }

    /// A coloured surface with its text colour and an outline.
    fn outlined(background: Color, text_color: Color, edge: Border) -> container::Style {
        container::Style {
            border: edge,
            ..filled(background, text_color)
        }
    }

    /// The header band across the top of a screen.
    pub fn header(_: &Theme) -> container::Style {
        filled(palette::PRIMARY, palette::ON_PRIMARY)
    }

    /// The footer status bar.
    pub fn footer(_: &Theme) -> container::Style {
        outlined(
            palette::SURFACE,
            palette::TEXT_MUTED,
            border(palette::OUTLINE, 1.0, 0.0),
        )
    }

    /// A card on the page background.
    pub fn card(_: &Theme) -> container::Style {
        container::Style {
            shadow: soft_shadow(),
            ..outlined(
                palette::SURFACE,
                palette::TEXT,
                border(palette::OUTLINE, 1.0, radius::LARGE),
            )
        }
    }

    /// A tinted band for notices.
    pub fn notice(_: &Theme) -> container::Style {
        let edge = border(palette::PRIMARY_TINT, 0.0, radius::MEDIUM);
        outlined(palette::PRIMARY_TINT, palette::TEXT, edge)
    }

    /// The whole page.
    pub fn page(_: &Theme) -> container::Style {
        filled(palette::BACKGROUND, palette::TEXT)
    }

    /// The out-of-service banner.
    pub fn danger_band(_: &Theme) -> container::Style {
        filled(palette::DANGER, palette::ON_DANGER)
    }

    /// The dimmed screen behind a modal overlay.
    pub fn scrim(_: &Theme) -> container::Style {
        container::Style {
            background: Some(Background::Color(palette::SCRIM)),
            ..container::Style::default()
        }
    }

    /// A small rounded badge (device state, demo mode).
    pub fn badge(color: Color) -> impl Fn(&Theme) -> container::Style {
        move |_| outlined(palette::SURFACE, color, border(color, 1.5, radius::SMALL))
    }
}

/// Button styles.
pub mod buttons {
    use super::*;

    /// The one shape every button style takes: a filled background with a
    /// coloured outline, so each style only says which colours it uses.
    fn filled(
        (background, text_color, outline): (Color, Color, Color),
        outline_width: f32,
        corner: f32,
        shadow: Shadow,
    ) -> button::Style {
        button::Style {
            background: Some(Background::Color(background)),
            text_color,
            border: border(outline, outline_width, corner),
            shadow,
            snap: true,
        }
    }

    /// The main action of a screen.
    pub fn primary(_: &Theme, status: button::Status) -> button::Style {
        let background = match status {
            button::Status::Pressed => palette::PRIMARY_PRESSED,
            button::Status::Disabled => palette::DISABLED,
            _ => palette::PRIMARY,
        };
        let text_color = match status {
            button::Status::Disabled => palette::DISABLED_TEXT,
            _ => palette::ON_PRIMARY,
        };
        filled(
            (background, text_color, background),
            0.0,
            radius::MEDIUM,
            soft_shadow(),
        )
    }

    /// Secondary actions: outlined on a light surface.
    pub fn secondary(_: &Theme, status: button::Status) -> button::Style {
        let (background, text_color, outline) = match status {
            button::Status::Pressed => (palette::PRIMARY_TINT, palette::PRIMARY, palette::PRIMARY),
            button::Status::Disabled => {
                (palette::DISABLED, palette::DISABLED_TEXT, palette::DISABLED)
            }
            _ => (palette::SURFACE, palette::PRIMARY, palette::PRIMARY),
        };
        filled(
            (background, text_color, outline),
            2.0,
            radius::MEDIUM,
            Shadow::default(),
        )
    }

    /// Switches in the header band (language, 长者模式): white outline on blue.
    pub fn header(selected: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
        move |_, status| {
            let pressed = matches!(status, button::Status::Pressed);
            let (background, text_color) = if selected || pressed {
                (palette::SURFACE, palette::PRIMARY)
            } else {
                (palette::PRIMARY, palette::ON_PRIMARY)
            };
            let outline = palette::ON_PRIMARY;
            filled(
                (background, text_color, outline),
                2.0,
                radius::MEDIUM,
                Shadow::default(),
            )
        }
    }

    /// The colours of an outlined control on the light surface (a key, a
    /// tile): tinted when pressed, grey when disabled.
    fn outlined_colors(status: button::Status) -> (Color, Color, Color) {
        match status {
            button::Status::Pressed => (palette::PRIMARY_TINT, palette::TEXT, palette::PRIMARY),
            button::Status::Disabled => {
                (palette::DISABLED, palette::DISABLED_TEXT, palette::OUTLINE)
            }
            _ => (palette::SURFACE, palette::TEXT, palette::OUTLINE),
        }
    }

    /// A key of the on-screen keyboard, or a choice among several
    /// (`selected` shows the one taken).
    pub fn key(selected: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
        move |_, status| {
            let (background, text_color, outline) = if selected {
                (palette::PRIMARY, palette::ON_PRIMARY, palette::PRIMARY)
            } else {
                outlined_colors(status)
            };
            filled(
                (background, text_color, outline),
                1.5,
                radius::SMALL,
                Shadow::default(),
            )
        }
    }

    /// A row of a list the resident picks from (an item, an application).
    pub fn row(_: &Theme, status: button::Status) -> button::Style {
        let (background, outline) = match status {
            button::Status::Pressed => (palette::PRIMARY_TINT, palette::PRIMARY),
            button::Status::Hovered => (palette::SURFACE, palette::PRIMARY),
            _ => (palette::SURFACE, palette::OUTLINE),
        };
        filled(
            (background, palette::TEXT, outline),
            1.5,
            radius::MEDIUM,
            Shadow::default(),
        )
    }

    /// A large entry tile on a resident's home screen.
    pub fn tile(_: &Theme, status: button::Status) -> button::Style {
        let (background, text_color, outline) = outlined_colors(status);
        filled(
            (background, text_color, outline),
            1.5,
            radius::LARGE,
            soft_shadow(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_colour_pair_meets_four_and_a_half_to_one() {
        for (name, fg, bg) in TEXT_PAIRS {
            let ratio = contrast_ratio(*fg, *bg);
            assert!(ratio >= 4.5, "{name}: contrast {ratio:.2} is below 4.5:1");
        }
    }

    #[test]
    fn contrast_of_black_on_white_is_twenty_one() {
        let ratio = contrast_ratio(Color::BLACK, Color::WHITE);
        assert!((ratio - 21.0).abs() < 0.01);
    }

    #[test]
    fn touch_targets_are_64_normally_and_88_in_elder_mode() {
        assert!(Metrics::new(false).touch_target() >= 64.0);
        assert!(Metrics::new(true).touch_target() >= 88.0);
    }

    #[test]
    fn elder_mode_type_is_about_one_point_four_times_larger() {
        let (normal, elder) = (Metrics::new(false), Metrics::new(true));
        for step in [
            Type::Caption,
            Type::Body,
            Type::Label,
            Type::Title,
            Type::Heading,
            Type::Display,
        ] {
            let ratio = elder.text(step) / normal.text(step);
            assert!((1.35..=1.45).contains(&ratio), "{step:?}: {ratio}");
        }
    }
}
