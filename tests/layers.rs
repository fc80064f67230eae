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

/// Every Rust file under `src`: its path relative to `src` (with `/`)
/// and its text.
fn sources(src: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files
        .iter()
        .map(|file| {
            let relative = file
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (relative, std::fs::read_to_string(file).unwrap())
        })
        .collect()
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
    let files = sources(&src);
    assert!(files.len() > 40, "found only {} files", files.len());
    let mut wrong = Vec::new();
    let mut ui = 0;
    for (relative, code) in &files {
        if UI
            .iter()
            .any(|p| relative == *p || (p.ends_with('/') && relative.starts_with(p)))
        {
            ui += usize::from(names_iced(code));
        } else if names_iced(code) {
            wrong.push(relative.clone());
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

/// Files of the UI that may read the system's clock: the subscriptions
/// stamp what they send, and the options take the process's start.
const CLOCK_READERS: &[&str] = &["app/subscription.rs", "app/options.rs"];

#[test]
fn update_and_view_read_the_time_from_the_app_s_clock() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (relative, code) in sources(&src) {
        let ui = ["app.rs", "app/", "screen/", "widget/"]
            .iter()
            .any(|p| relative == *p || (p.ends_with('/') && relative.starts_with(p)));
        if !ui || CLOCK_READERS.contains(&relative.as_str()) || relative.contains("tests") {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or_default();
            if ["Instant::now()", "Local::now()", "SystemTime::now()"]
                .iter()
                .any(|call| line.contains(call))
            {
                wrong.push(format!("{relative}:{}", n + 1));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the UI reads the system clock instead of Options::clock at {wrong:?}"
    );
}

/// Longest a source file under `src/` may be, in lines.
const MAX_FILE_LINES: usize = 800;
/// Longest a function may be, in lines.
const MAX_FN_LINES: usize = 120;

/// `(file, first line, name, lines)` of every function in `code`, found
/// the way rustfmt lays them out: a `fn` line and the `}` at its indent.
fn functions(code: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let Some(at) = trimmed.find("fn ") else {
            continue;
        };
        let head = &trimmed[..at];
        let is_fn = head.split_whitespace().all(|w| {
            w == "pub" || w.starts_with("pub(") || ["async", "const", "unsafe"].contains(&w)
        });
        if !is_fn || trimmed.starts_with("//") {
            continue;
        }
        let name: String = trimmed[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // A declaration without a body (a trait's) ends in `;`.
        let close = " ".repeat(indent) + "}";
        let end = lines[i..]
            .iter()
            .position(|l| {
                *l == close || (l.trim_end().ends_with(';') && !l.contains('{') && *l == lines[i])
            })
            .map(|n| i + n);
        if let Some(end) = end {
            found.push((i + 1, name, end - i + 1));
        }
    }
    found
}

/// The module a `crate::a::b::c` path names: the longest prefix that is a
/// module file.
fn module_of<'a>(path: &str, modules: &'a [String]) -> Option<&'a String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find_map(|candidate| modules.iter().find(|m| **m == candidate))
}

/// The library's modules (files under `src/`, binaries left out) and the
/// modules each names through `crate::`, a module and its own
/// submodules not counted.
fn module_graph(src: &Path) -> Vec<(String, Vec<String>)> {
    let mut modules = Vec::new();
    let mut library = Vec::new();
    for (relative, code) in sources(src) {
        if relative.starts_with("bin/") || relative == "lib.rs" || relative == "main.rs" {
            continue;
        }
        let module = relative
            .trim_end_matches(".rs")
            .trim_end_matches("/mod")
            .replace('/', "::");
        library.push((module.clone(), code));
        modules.push(module);
    }
    let mut graph = Vec::new();
    for (module, code) in &library {
        let mut uses = Vec::new();
        for line in code.lines() {
            let line = line.split("//").next().unwrap_or_default();
            for (at, _) in line.match_indices("crate::") {
                let path: String = line[at + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                let path = path.trim_end_matches(':');
                // `crate::a::{b, c}`: the braces name submodules too.
                let mut paths = vec![path.to_owned()];
                if let Some(group) = line[at + 7 + path.len()..].strip_prefix("::{") {
                    for item in group.split([',', '}']) {
                        let item = item.trim().split("::").next().unwrap_or_default();
                        if item.starts_with(|c: char| c.is_lowercase()) {
                            paths.push(format!("{path}::{item}"));
                        }
                    }
                }
                for path in paths {
                    if let Some(target) = module_of(&path, &modules)
                        && target != module
                        && !target.starts_with(&format!("{module}::"))
                        && !module.starts_with(&format!("{target}::"))
                        && !uses.contains(target)
                    {
                        uses.push(target.clone());
                    }
                }
            }
        }
        graph.push((module.clone(), uses));
    }
    graph
}

/// Modules of the UI proper that nothing below it may name: the app, its
/// screens and widgets, the theme, and the subscription bridge.
const UI_MODULES: &[&str] = &["app", "screen", "widget", "theme", "subscriptions"];

fn in_ui(module: &str) -> bool {
    UI_MODULES
        .iter()
        .any(|ui| module == *ui || module.starts_with(&format!("{ui}::")))
}

/// Every `(module, UI module it names)` where a module outside the UI
/// names one inside it: a service or domain module reaching up.
fn upward(graph: &[(String, Vec<String>)]) -> Vec<(String, String)> {
    graph
        .iter()
        .filter(|(module, _)| !in_ui(module))
        .flat_map(|(module, uses)| {
            uses.iter()
                .filter(|target| in_ui(target))
                .map(move |target| (module.clone(), target.clone()))
        })
        .collect()
}

#[test]
fn services_and_the_domain_never_name_the_ui() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let wrong = upward(&graph);
    assert!(
        wrong.is_empty(),
        "modules below the UI that name it: {wrong:#?}"
    );
    let graph = vec![
        (
            "print::prepare".to_owned(),
            vec!["screen::licence_print".to_owned()],
        ),
        ("screen::home".to_owned(), vec!["print".to_owned()]),
    ];
    assert_eq!(
        upward(&graph),
        vec![(
            "print::prepare".to_owned(),
            "screen::licence_print".to_owned()
        )]
    );
}

/// The cycles in the graph: each strongly connected part of more than one
/// module (Tarjan).
fn cycles(graph: &[(String, Vec<String>)]) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a [(String, Vec<String>)],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        stack: Vec<usize>,
        on_stack: Vec<bool>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    impl Walk<'_> {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.next);
            self.low[v] = self.next;
            self.next += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            let targets: Vec<usize> = self.graph[v]
                .1
                .iter()
                .filter_map(|t| self.graph.iter().position(|(m, _)| m == t))
                .collect();
            for w in targets {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(i) if self.on_stack[w] => self.low[v] = self.low[v].min(i),
                    Some(_) => {}
                }
            }
            if Some(self.low[v]) == self.index[v] {
                let mut part = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    part.push(self.graph[w].0.clone());
                    if w == v {
                        break;
                    }
                }
                if part.len() > 1 {
                    part.sort();
                    self.found.push(part);
                }
            }
        }
    }
    let n = graph.len();
    let mut walk = Walk {
        graph,
        index: vec![None; n],
        low: vec![0; n],
        stack: Vec::new(),
        on_stack: vec![false; n],
        next: 0,
        found: Vec::new(),
    };
    for v in 0..n {
        if walk.index[v].is_none() {
            walk.visit(v);
        }
    }
    walk.found
}

/// The shape a newcomer can hold in their head: no file under `src/`
/// over 800 lines, no function over 120, and no module that reaches back
/// into a module that reaches it (run alone with
/// `cargo test --test layers shape`).
#[test]
fn shape_no_long_files_no_long_functions_no_module_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long_files = Vec::new();
    let mut long_fns = Vec::new();
    for (relative, code) in sources(&src) {
        let lines = code.lines().count();
        if lines > MAX_FILE_LINES {
            long_files.push(format!("{relative}: {lines} lines"));
        }
        for (at, name, length) in functions(&code) {
            if length > MAX_FN_LINES {
                long_fns.push(format!("{relative}:{at} {name}: {length} lines"));
            }
        }
    }
    let graph = module_graph(&src);
    assert!(graph.len() > 40, "found only {} modules", graph.len());
    let cycles = cycles(&graph);
    assert!(
        long_files.is_empty() && long_fns.is_empty() && cycles.is_empty(),
        "files over {MAX_FILE_LINES} lines: {long_files:#?}\n\
         functions over {MAX_FN_LINES} lines: {long_fns:#?}\n\
         module cycles: {cycles:#?}"
    );
}

#[test]
fn the_shape_check_finds_functions_and_cycles() {
    let code = "fn a() {\n    1\n}\n\nimpl X {\n    pub(crate) async fn b(&self) {\n        2;\n        3;\n    }\n}\n";
    assert_eq!(
        functions(code),
        vec![(1, "a".to_owned(), 3), (6, "b".to_owned(), 4)]
    );
    let graph = vec![
        ("a".to_owned(), vec!["b".to_owned()]),
        ("b".to_owned(), vec!["c".to_owned()]),
        ("c".to_owned(), vec!["a".to_owned()]),
        ("d".to_owned(), vec!["a".to_owned()]),
    ];
    assert_eq!(cycles(&graph), vec![vec!["a", "b", "c"]]);
}
