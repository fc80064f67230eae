//! User-facing text in Chinese (zh-CN, the default) and English through
//! Fluent resources in `assets/i18n/`. Screens ask for a message by id in the
//! current language; switching language changes no other state. This module
//! does not format dates itself beyond picking the localised patterns.

use std::collections::BTreeSet;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
pub use kiosk_config::Language;

/// The Fluent source of each language, compiled in.
pub const SOURCES: [(Language, &str); 2] = [
    (Language::ZhCn, include_str!("../assets/i18n/zh-CN.ftl")),
    (Language::En, include_str!("../assets/i18n/en.ftl")),
];

/// Every language the kiosk offers, in the order the switch cycles them.
pub const LANGUAGES: [Language; 2] = [Language::ZhCn, Language::En];

/// The loaded bundles of every language. Cheap to clone.
#[derive(Clone)]
pub struct I18n {
    bundles: Arc<[(Language, FluentBundle<FluentResource>); 2]>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

/// A Fluent resource that does not parse or a duplicate message.
#[derive(Debug, thiserror::Error)]
#[error("{language} messages: {reason}")]
pub struct I18nError {
    language: &'static str,
    reason: String,
}

impl I18n {
    /// Parses the compiled-in resources.
    pub fn load() -> Result<Self, I18nError> {
        let zh = bundle(Language::ZhCn, SOURCES[0].1)?;
        let en = bundle(Language::En, SOURCES[1].1)?;
        Ok(Self {
            bundles: Arc::new([(Language::ZhCn, zh), (Language::En, en)]),
        })
    }

    fn bundle(&self, language: Language) -> &FluentBundle<FluentResource> {
        &self
            .bundles
            .iter()
            .find(|(l, _)| *l == language)
            .expect("every language has a bundle")
            .1
    }

    /// The message `id` in `language`. A missing message shows its id, so a
    /// gap is visible on screen and caught by the tests, never a blank.
    pub fn tr(&self, language: Language, id: &str) -> String {
        self.format(language, id, None)
    }

    /// Whether there is a message `id` (both languages have the same).
    pub fn has(&self, id: &str) -> bool {
        self.bundle(Language::ZhCn).has_message(id)
    }

    /// The message `id` with arguments.
    pub fn tr_args(&self, language: Language, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Str(s) => fluent_args.set(*name, FluentValue::from(*s)),
                Arg::Num(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        self.format(language, id, Some(&fluent_args))
    }

    fn format(&self, language: Language, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle(language);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(message_id = id, ?language, "missing message");
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(message_id = id, ?language, "message formatting failed");
        }
        text.into_owned()
    }

    /// The ids of every message of `language`.
    pub fn message_ids(language: Language) -> BTreeSet<String> {
        let source = SOURCES
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, s)| *s)
            .unwrap_or_default();
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
        resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }
}

/// A Fluent argument.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// Text.
    Str(&'a str),
    /// A number (plural rules apply).
    Num(i64),
}

fn bundle(language: Language, source: &str) -> Result<FluentBundle<FluentResource>, I18nError> {
    let (tag, id): (&'static str, unic_langid::LanguageIdentifier) = match language {
        Language::ZhCn => ("zh-CN", unic_langid::langid!("zh-CN")),
        Language::En => ("en", unic_langid::langid!("en")),
    };
    let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| I18nError {
        language: tag,
        reason: format!(
            "{} syntax error(s), first: {:?}",
            errors.len(),
            errors.first()
        ),
    })?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks would show as boxes on some fonts and are not
    // needed: no message mixes right-to-left text.
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).map_err(|errors| I18nError {
        language: tag,
        reason: format!("duplicate messages: {errors:?}"),
    })?;
    Ok(bundle)
}

/// Language tag as shown in logs and stored preferences.
pub fn tag(language: Language) -> &'static str {
    match language {
        Language::ZhCn => "zh-CN",
        Language::En => "en",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_id_exists_in_both_languages() {
        let zh = I18n::message_ids(Language::ZhCn);
        let en = I18n::message_ids(Language::En);
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(only_zh.is_empty(), "missing in en.ftl: {only_zh:?}");
        assert!(only_en.is_empty(), "missing in zh-CN.ftl: {only_en:?}");
        assert!(zh.len() > 20, "resources look empty: {}", zh.len());
    }

    #[test]
    fn every_message_formats_without_errors_in_both_languages() {
        let i18n = I18n::load().expect("resources parse");
        for language in LANGUAGES {
            for id in I18n::message_ids(language) {
                let text = i18n.tr_args(
                    language,
                    &id,
                    &[
                        ("name", Arg::Str("X")),
                        ("seconds", Arg::Num(20)),
                        ("id", Arg::Str("T")),
                        ("hotline", Arg::Str("12345")),
                        ("key", Arg::Str("F2")),
                        ("year", Arg::Num(2026)),
                        ("month", Arg::Num(11)),
                        ("day", Arg::Num(24)),
                        ("weekday", Arg::Str("w")),
                        ("time", Arg::Str("09:30")),
                        ("reason", Arg::Str("r")),
                        ("count", Arg::Num(3)),
                        ("page", Arg::Num(1)),
                        ("pages", Arg::Num(4)),
                        ("step", Arg::Num(1)),
                        ("steps", Arg::Num(5)),
                        ("place", Arg::Str("p")),
                        ("days", Arg::Num(5)),
                        ("at", Arg::Str("2026-12-03 10:00")),
                        ("max", Arg::Num(40)),
                    ],
                );
                assert!(!text.trim().is_empty(), "{id} is empty in {language:?}");
                assert_ne!(text, id, "{id} did not resolve in {language:?}");
            }
        }
    }

    /// Every `.rs` file under `dir`, read: the test below sees each new
    /// module without a list to keep.
    fn rust_sources(dir: &std::path::Path) -> Vec<String> {
        let mut found = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                found.extend(rust_sources(&path));
            } else if path.extension().is_some_and(|x| x == "rs") {
                found.push(std::fs::read_to_string(&path).unwrap());
            }
        }
        found
    }

    #[test]
    fn every_message_id_the_code_names_exists() {
        // Message ids are string literals such as "attract-idcard-title".
        // Collect every literal in the sources that looks like an id of a
        // known family (its first word is the first word of some message)
        // and check that it resolves in both languages.
        let zh = I18n::message_ids(Language::ZhCn);
        let families: BTreeSet<&str> = zh.iter().filter_map(|id| id.split('-').next()).collect();
        let mut used = BTreeSet::new();
        let sources = rust_sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
        assert!(
            sources.len() > 40,
            "found only {} source files",
            sources.len()
        );
        for source in &sources {
            for (i, literal) in source.split('"').enumerate() {
                if i % 2 == 0 {
                    continue;
                }
                // A literal ending in '-' is a prefix the code completes.
                let looks_like_id = literal.contains('-')
                    && !literal.ends_with('-')
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                let family = literal.split('-').next().unwrap_or_default();
                if looks_like_id && families.contains(family) {
                    used.insert(literal.to_owned());
                }
            }
        }
        assert!(used.len() > 20, "found only {used:?}");
        for language in LANGUAGES {
            let ids = I18n::message_ids(language);
            let missing: Vec<_> = used.iter().filter(|id| !ids.contains(*id)).collect();
            assert!(
                missing.is_empty(),
                "used but missing in {language:?}: {missing:?}"
            );
        }
    }
}
