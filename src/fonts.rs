//! The bundled CJK font (Tongban Sans SC, built from Noto Sans CJK SC and
//! GNU Unifont under the SIL OFL 1.1; see assets/fonts/OFL.txt). It is the
//! kiosk's default font so Chinese renders on machines without CJK fonts.

/// The font file.
pub const TONGBAN_SANS: &[u8] = include_bytes!("../assets/fonts/TongbanSansSC-Regular.ttf");

/// Its family name.
pub const FAMILY: &str = "Tongban Sans SC";

/// The font as iced names it.
pub const DEFAULT_FONT: iced::Font = iced::Font::with_name(FAMILY);
