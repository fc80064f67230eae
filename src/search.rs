//! Finding an item in the catalogue from what a resident types on the
//! on-screen keyboard: Chinese (户口), full pinyin (hukou, "hu kou"), pinyin
//! initials (hkqy), a mix of whole syllables and initials (hukouqy), or
//! English words. Pure and allocation-light: the index is built once per
//! catalogue and each keystroke costs one pass over it.

use tongban_platform_api::catalogue::Catalogue;

/// What a hit points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// An item, by its index in `Catalogue::items`.
    Item(usize),
    /// A "一件事" bundle, by its index in `Catalogue::bundles`.
    Bundle(usize),
}

/// A match, with how good it is (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// What matched.
    pub target: Target,
    /// Its score.
    pub score: u32,
}

struct Entry {
    target: Target,
    /// The Chinese name.
    zh: String,
    /// The Chinese name's characters counted (for tie-breaks).
    zh_len: usize,
    /// Pinyin syllables, lower case, ü as v.
    syllables: Vec<String>,
    /// The syllables joined.
    joined: String,
    /// Their initials.
    initials: String,
    /// The English name, lower case.
    en: String,
    /// Offered as 快办 (ranked first on a tie).
    kuaiban: bool,
}

/// A search index over one catalogue.
pub struct SearchIndex {
    entries: Vec<Entry>,
}

/// How well a typed query matches, best first.
mod score {
    pub const NAME_EXACT: u32 = 1000;
    pub const INITIALS_EXACT: u32 = 950;
    pub const PINYIN_EXACT: u32 = 940;
    pub const NAME_PREFIX: u32 = 900;
    pub const PINYIN_PREFIX: u32 = 860;
    pub const INITIALS_PREFIX: u32 = 850;
    pub const NAME_CONTAINS: u32 = 700;
    pub const PINYIN_INSIDE: u32 = 660;
    pub const INITIALS_INSIDE: u32 = 640;
    pub const ENGLISH_WORD: u32 = 600;
    pub const NAME_SCATTERED: u32 = 500;
    pub const ENGLISH_INSIDE: u32 = 400;
}

impl SearchIndex {
    /// Indexes the items and bundles of a catalogue.
    pub fn new(catalogue: &Catalogue) -> Self {
        let mut entries = Vec::with_capacity(catalogue.items.len() + catalogue.bundles.len());
        for (i, item) in catalogue.items.iter().enumerate() {
            entries.push(Entry::new(
                Target::Item(i),
                &item.name.zh,
                &item.pinyin,
                &item.name.en,
                item.kuaiban,
            ));
        }
        for (i, bundle) in catalogue.bundles.iter().enumerate() {
            // Bundles carry no pinyin in the catalogue; their names are
            // found by Chinese and English, and by the items' pinyin of
            // the same words where the resident types the item instead.
            entries.push(Entry::new(
                Target::Bundle(i),
                &bundle.name.zh,
                "",
                &bundle.name.en,
                false,
            ));
        }
        Self { entries }
    }

    /// The matches for `query`, best first (at most `limit`). An empty
    /// query matches nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let query = Query::new(query);
        if query.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u32, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.score(&query).map(|s| (s, i)))
            .collect();
        // Best score first; then shorter names (closer to what was typed),
        // 快办 before the rest, and catalogue order.
        hits.sort_by(|a, b| {
            let (ea, eb) = (&self.entries[a.1], &self.entries[b.1]);
            b.0.cmp(&a.0)
                .then(ea.zh_len.cmp(&eb.zh_len))
                .then(eb.kuaiban.cmp(&ea.kuaiban))
                .then(a.1.cmp(&b.1))
        });
        hits.truncate(limit);
        hits.into_iter()
            .map(|(score, i)| Hit {
                target: self.entries[i].target,
                score,
            })
            .collect()
    }
}

impl Entry {
    fn new(target: Target, zh: &str, pinyin: &str, en: &str, kuaiban: bool) -> Self {
        let syllables: Vec<String> = pinyin
            .split_whitespace()
            .map(|s| s.to_lowercase().replace('ü', "v"))
            .collect();
        Self {
            target,
            zh: zh.to_owned(),
            zh_len: zh.chars().count(),
            joined: syllables.concat(),
            initials: syllables.iter().filter_map(|s| s.chars().next()).collect(),
            syllables,
            en: en.to_lowercase(),
            kuaiban,
        }
    }

    fn score(&self, q: &Query) -> Option<u32> {
        let mut best = None::<u32>;
        let mut take = |s: u32| best = Some(best.map_or(s, |b| b.max(s)));
        if q.has_han {
            if self.zh == q.text {
                take(score::NAME_EXACT);
            } else if self.zh.starts_with(&q.text) {
                take(score::NAME_PREFIX);
            } else if self.zh.contains(&q.text) {
                take(score::NAME_CONTAINS);
            } else if scattered(&self.zh, &q.text) {
                take(score::NAME_SCATTERED);
            }
            return best;
        }
        let letters = &q.letters;
        if !self.syllables.is_empty() && !letters.is_empty() {
            if self.initials == *letters {
                take(score::INITIALS_EXACT);
            }
            if self.joined == *letters {
                take(score::PINYIN_EXACT);
            }
            if let Some(from) = spell_from(&self.syllables, 0, letters) {
                // Whole syllables, initials or both, from the first
                // syllable: the resident is typing this name.
                take(if from.all_full {
                    score::PINYIN_PREFIX
                } else {
                    score::INITIALS_PREFIX
                });
            }
            for start in 1..self.syllables.len() {
                if let Some(from) = spell_from(&self.syllables, start, letters) {
                    take(if from.all_full {
                        score::PINYIN_INSIDE
                    } else {
                        score::INITIALS_INSIDE
                    });
                    break;
                }
            }
        }
        if !q.words.is_empty() {
            let words: Vec<&str> = self
                .en
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            // Every typed word starts a word of the name.
            if q.words
                .iter()
                .all(|qw| words.iter().any(|w| w.starts_with(qw.as_str())))
            {
                take(score::ENGLISH_WORD);
            } else if q.words.len() == 1 && q.words[0].len() >= 3 && self.en.contains(&q.words[0]) {
                take(score::ENGLISH_INSIDE);
            }
        }
        best
    }
}

/// The query, normalised once per keystroke.
struct Query {
    /// As typed, trimmed.
    text: String,
    /// Whether it holds a Chinese character (then Chinese matching only).
    has_han: bool,
    /// Lower-case letters only (pinyin is typed without spaces or tones).
    letters: String,
    /// Lower-case words (English).
    words: Vec<String>,
}

impl Query {
    fn new(raw: &str) -> Self {
        let text: String = raw.split_whitespace().collect::<Vec<_>>().join("");
        let has_han = text.chars().any(is_han);
        let lower = raw.to_lowercase();
        Self {
            letters: lower
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .map(|c| if c == 'ü' { 'v' } else { c })
                .collect(),
            words: lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect(),
            has_han,
            text: if has_han {
                text
            } else {
                lower.trim().to_owned()
            },
        }
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// A Chinese character (CJK Unified Ideographs and Extension A).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// The characters of `needle` appear in `name` in order (户迁 → 户口迁移).
fn scattered(name: &str, needle: &str) -> bool {
    let mut chars = name.chars();
    needle
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|n| chars.any(|c| c == n))
}

struct Spelled {
    /// Every syllable used was typed in full.
    all_full: bool,
}

/// Whether `letters` spells the syllables from `start` on, each typed in
/// full or by its initial, the last one possibly cut short
/// ("hukouqy", "hkqianyi", "huk").
fn spell_from(syllables: &[String], start: usize, letters: &str) -> Option<Spelled> {
    fn walk(syllables: &[String], letters: &[u8], all_full: bool) -> Option<bool> {
        if letters.is_empty() {
            return Some(all_full);
        }
        let (first, rest) = syllables.split_first()?;
        let s = first.as_bytes();
        // The syllable in full, then more.
        if letters.len() >= s.len()
            && &letters[..s.len()] == s
            && let Some(full) = walk(rest, &letters[s.len()..], all_full)
        {
            return Some(full);
        }
        // The typing stops inside this syllable.
        if letters.len() < s.len() && s.starts_with(letters) {
            return Some(all_full && letters.len() > 1);
        }
        // Its initial only, then more.
        if letters[0] == s[0] {
            return walk(rest, &letters[1..], false);
        }
        None
    }
    walk(&syllables[start..], letters.as_bytes(), true).map(|all_full| Spelled { all_full })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> (Catalogue, SearchIndex) {
        let signed = crate::platform::seed().expect("seed catalogue");
        let catalogue: Catalogue = serde_json::from_slice(&signed.payload).expect("parses");
        let index = SearchIndex::new(&catalogue);
        (catalogue, index)
    }

    fn names(c: &Catalogue, hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| match h.target {
                Target::Item(i) => c.items[i].name.zh.clone(),
                Target::Bundle(i) => c.bundles[i].name.zh.clone(),
            })
            .collect()
    }

    #[test]
    fn chinese_full_pinyin_and_initials_all_find_household_moves() {
        let (c, index) = index();
        for query in [
            "户口迁移",
            "hkqy",
            "hukouqianyi",
            "hu kou qian yi",
            "hukouqy",
        ] {
            let found = names(&c, &index.search(query, 10));
            assert!(
                found.len() >= 2 && found[..2].iter().all(|n| n.starts_with("户口迁移")),
                "{query}: {found:?}"
            );
        }
        let hukou = names(&c, &index.search("hukou", 20));
        assert!(hukou.iter().any(|n| n.starts_with("户口迁移")), "{hukou:?}");
        assert!(hukou.iter().all(|n| n.contains("户口")), "{hukou:?}");
        let zh = names(&c, &index.search("户口", 20));
        assert!(zh.iter().any(|n| n == "户口迁移（迁入）"), "{zh:?}");
    }

    #[test]
    fn the_best_match_comes_first() {
        let (c, index) = index();
        // An exact name beats a name that merely starts with it.
        let found = names(&c, &index.search("户口簿补领", 5));
        assert_eq!(found[0], "户口簿补领");
        // Initials of the whole name beat a name that contains them.
        let found = names(&c, &index.search("hkbbl", 5));
        assert_eq!(found, ["户口簿补领"]);
        // Typing from the first syllable beats a match further in.
        let found = names(&c, &index.search("jzz", 10));
        assert!(found[0].starts_with("居住证"), "{found:?}");
        let hits = index.search("jzz", 10);
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn english_words_and_bundles_are_found() {
        let (c, index) = index();
        let found = names(&c, &index.search("household register", 5));
        assert!(found.iter().any(|n| n.starts_with("户口簿")), "{found:?}");
        let found = names(&c, &index.search("出生", 10));
        assert!(found.iter().any(|n| n == "出生一件事"), "{found:?}");
        let found = names(&c, &index.search("baby", 10));
        assert!(found.iter().any(|n| n == "出生一件事"), "{found:?}");
    }

    #[test]
    fn nothing_typed_or_nothing_close_finds_nothing() {
        let (_, index) = index();
        assert!(index.search("", 10).is_empty());
        assert!(index.search("   ", 10).is_empty());
        assert!(index.search("zzzzzz", 10).is_empty());
        assert!(index.search("鑫鑫", 10).is_empty());
    }
}
