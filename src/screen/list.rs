//! Lists that fill the space the display has: how many rows (and issuer
//! headings) fit in the height a screen has left for its list, so a wide
//! landscape screen, a 1280×1024 one and a portrait one each show as many
//! large rows as they can hold, and no page leaves half the screen empty.

use std::ops::Range;

/// The measures of a list: one row's height, the gap between rows, and a
/// heading's height (for lists grouped under headings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    /// Height of one row of items.
    pub row: f32,
    /// Gap between rows (and between a heading and its rows).
    pub gap: f32,
    /// Height of a group's heading.
    pub heading: f32,
}

/// Cuts `count` items, `columns` to a row, into pages that each fit in
/// `height`. `group(i)` names the group item `i` is under (`None`: no
/// headings); a page shows a heading before its first item and wherever
/// the group changes, and a heading starts a new row. Every page holds at
/// least one item, so a list too tall for the screen still pages (the
/// screen scrolls what overflows).
pub fn pages<'g>(
    count: usize,
    columns: usize,
    height: f32,
    measures: Measures,
    group: impl Fn(usize) -> Option<&'g str>,
) -> Vec<Range<usize>> {
    let columns = columns.max(1);
    let mut pages = Vec::new();
    let mut start = 0;
    let mut used = 0.0_f32;
    let mut in_row = 0;
    let mut i = 0;
    while i < count {
        let first = i == start;
        let heading = group(i).is_some() && (first || group(i) != group(i - 1));
        let mut need = 0.0;
        if heading {
            need += measures.heading + if first { 0.0 } else { measures.gap };
        }
        let new_row = heading || in_row == 0 || in_row == columns;
        if new_row {
            need += measures.row + if first && !heading { 0.0 } else { measures.gap };
        }
        if !first && used + need > height {
            pages.push(start..i);
            start = i;
            used = 0.0;
            in_row = 0;
            continue;
        }
        used += need;
        in_row = if new_row { 1 } else { in_row + 1 };
        i += 1;
    }
    if start < count || pages.is_empty() {
        pages.push(start..count);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: Measures = Measures {
        row: 80.0,
        gap: 16.0,
        heading: 30.0,
    };

    #[test]
    fn rows_fill_the_height_two_to_a_row() {
        // Five rows of 80 with four gaps of 16 take 464.
        let pages = pages(23, 2, 470.0, M, |_| None);
        assert_eq!(pages, vec![0..10, 10..20, 20..23]);
        assert_eq!(super::pages(0, 2, 470.0, M, |_| None), vec![0..0]);
    }

    #[test]
    fn a_heading_takes_room_and_starts_a_row() {
        let groups = ["a", "a", "a", "b", "b"];
        // Heading a (30), row [0,1] (16+80), row [2] (96), heading b
        // (46), row [3,4] (96): 364.
        let all = pages(5, 2, 364.0, M, |i| Some(groups[i]));
        assert_eq!(all, vec![0..5]);
        // One pixel less: b's row goes to the next page, under its heading.
        let cut = pages(5, 2, 363.0, M, |i| Some(groups[i]));
        assert_eq!(cut, vec![0..3, 3..5]);
    }

    #[test]
    fn a_screen_too_short_still_shows_one_item_a_page() {
        assert_eq!(pages(3, 1, 10.0, M, |_| None), vec![0..1, 1..2, 2..3]);
    }
}
