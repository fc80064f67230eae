//! The bundled font covers what residents' names and licences need: all of
//! GB 2312 and the whole CJK Unified Ideographs block, read from the font's
//! own character map.

use ttf_parser::Face;

const FONT: &[u8] = include_bytes!("../assets/fonts/TongbanSansSC-Regular.ttf");

fn face() -> Face<'static> {
    Face::parse(FONT, 0).expect("the bundled font parses")
}

fn missing(face: &Face<'_>, chars: impl Iterator<Item = char>) -> Vec<String> {
    chars
        .filter(|c| face.glyph_index(*c).is_none())
        .map(|c| format!("U+{:04X}", c as u32))
        .collect()
}

/// Fails naming how many of `chars` the face lacks and the first twenty.
fn assert_covers(face: &Face<'_>, chars: impl Iterator<Item = char>) {
    let missing = missing(face, chars);
    assert!(
        missing.is_empty(),
        "{} missing: {:?}",
        missing.len(),
        &missing[..missing.len().min(20)]
    );
}

#[test]
fn the_font_covers_every_cjk_unified_ideograph() {
    let face = face();
    let chars = (0x4E00u32..=0x9FFF).filter_map(char::from_u32);
    assert_covers(&face, chars);
}

#[test]
fn the_font_covers_all_of_gb2312() {
    let face = face();
    let table = include_str!("data/gb2312.txt");
    let chars: Vec<char> = table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::chars)
        .collect();
    assert_eq!(chars.len(), 7445, "the GB 2312 table has 7445 characters");
    assert_covers(&face, chars.into_iter());
}

#[test]
fn the_font_covers_rare_name_characters_and_latin() {
    let face = face();
    // Rare characters seen in names (Extension A and late URO additions),
    // plus what English text and ID numbers need.
    let sample = "㛃䶮龘𬌗堃喆昇淼犇鑫垚燚赟珺玥翀頔ABCXYZabcxyz0123456789·—“”《》，。：；？！（）";
    let missing = missing(&face, sample.chars().filter(|c| (*c as u32) <= 0xFFFF));
    assert!(missing.is_empty(), "missing: {missing:?}");
}

#[test]
fn the_font_is_named_tongban_sans_sc() {
    let face = face();
    let family = face
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::FAMILY)
        .find_map(|n| n.to_string());
    assert_eq!(family.as_deref(), Some(tongban_family()));
}

fn tongban_family() -> &'static str {
    tongban::fonts::FAMILY
}
