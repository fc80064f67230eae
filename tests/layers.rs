//! The kiosk's layers, as the folder map in ARCHITECTURE.md draws them:
//! only the UI (the app, its screens and widgets, the theme, the fonts and
//! `main`) and `subscriptions` (the bridge from service threads to the UI)
//! name iced. Services, the store, drivers and the domain stay plain Rust,
//! so they are tested and reused without a window.

use std::path::{Path, PathBuf};

/// Paths under `src/` (relative, with `/`) that may name iced.
const UI: &[&str] = &[
    "app.rs",
    "app/",
    "screen/",
    "widget/",
    "theme.rs",
    "fonts.rs",
    "main.rs",
    "subscriptions.rs",
];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|x| x == "rs") {
            found.push(path);
        }
    }
}

/// Whether `code` refers to the iced crate (a path or a `use`), comments
/// left out.
fn names_iced(code: &str) -> bool {
    code.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .any(|line| {
            line.match_indices("iced").any(|(at, _)| {
                let before = line[..at].chars().next_back();
                let after = &line[at + 4..];
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && (after.starts_with("::")
                        || after.starts_with(';')
                        || after.starts_with(" as"))
            })
        })
}

#[test]
fn only_the_ui_and_the_subscription_bridge_name_iced() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 40, "found only {} files", files.len());
    let mut wrong = Vec::new();
    let mut ui = 0;
    for file in &files {
        let relative = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let code = std::fs::read_to_string(file).unwrap();
        if UI
            .iter()
            .any(|p| relative == *p || (p.ends_with('/') && relative.starts_with(p)))
        {
            ui += usize::from(names_iced(&code));
        } else if names_iced(&code) {
            wrong.push(relative);
        }
    }
    assert!(ui > 10, "the check finds iced in only {ui} UI files");
    assert!(
        wrong.is_empty(),
        "outside the UI, these name iced: {wrong:?}"
    );
}

#[test]
fn the_check_sees_a_use_and_a_path_but_not_a_word() {
    assert!(names_iced("use iced::Subscription;"));
    assert!(names_iced(
        "    let h = iced::widget::image::Handle::from_rgba(1, 1, v);"
    ));
    assert!(!names_iced("//! iced UI, resident session"));
    assert!(!names_iced("\"info,iced_winit=warn\""));
    assert!(!names_iced("fn a_loose_mode_is_noticed() {}"));
}
