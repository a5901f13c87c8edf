//! The layering rules of `ARCHITECTURE.md`, checked on the source: every `crate::…` path outside test
//! modules, per top-level module, against the modules it must not reach; and no IO in the pure layers.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// For each top-level module: the modules it must not name.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "forms",
        &[
            "app", "state", "store", "http", "web", "views", "delivery", "cases", "config", "pdf",
            "control", "cli",
        ],
    ),
    (
        "views",
        &[
            "app", "state", "store", "http", "web", "delivery", "cases", "config", "control", "cli",
        ],
    ),
    (
        "i18n",
        &[
            "app", "state", "store", "http", "web", "views", "delivery", "cases", "config", "pdf",
            "forms", "control", "cli",
        ],
    ),
    (
        "pdf",
        &[
            "app", "state", "store", "http", "web", "views", "delivery", "config", "control", "cli",
        ],
    ),
    (
        "store",
        &[
            "app", "state", "http", "web", "views", "delivery", "pdf", "control", "cli",
        ],
    ),
    (
        "http",
        &["app", "web", "delivery", "cases", "control", "cli", "pdf"],
    ),
    (
        "delivery",
        &["app", "http", "web", "views", "control", "cli"],
    ),
    (
        "config",
        &[
            "app",
            "state",
            "store",
            "http",
            "web",
            "views",
            "delivery",
            "cases",
            "attachments",
            "control",
            "cli",
        ],
    ),
    (
        "cases",
        &["app", "http", "web", "views", "delivery", "control", "cli"],
    ),
    ("state", &["app", "http", "web", "control", "cli"]),
    (
        "backup",
        &["app", "state", "http", "web", "views", "control", "cli"],
    ),
    ("watchdog", &["http", "web", "views", "control", "cli"]),
    (
        "attachments",
        &[
            "app", "state", "store", "http", "web", "views", "delivery", "cases", "control", "cli",
        ],
    ),
    (
        "paths",
        &[
            "app", "state", "store", "http", "web", "views", "delivery", "cases", "control", "cli",
        ],
    ),
    (
        "ids",
        &[
            "app", "state", "store", "http", "web", "views", "delivery", "cases", "forms",
            "control", "cli",
        ],
    ),
];

/// The layers that do no IO: what they must not use.
const PURE: &[&str] = &["forms", "views", "i18n", "pdf"];
const IO: &[&str] = &[
    "std::fs",
    "tokio::fs",
    "std::net",
    "tokio::net",
    "File::open",
    "File::create",
    "std::env::var",
    "ureq::",
    "lettre::",
    "redb::",
];

/// The code of a file without its test module (everything from the first `#[cfg(test)]` on).
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

/// The top-level modules a piece of code names through `crate::…`, `crate::{…}` included.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.trim()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name = ident(part);
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Every rule a module's code breaks, as readable lines.
fn violations(module: &str, file: &str, code: &str) -> Vec<String> {
    let mut out = vec![];
    if let Some((_, banned)) = FORBIDDEN.iter().find(|(m, _)| *m == module) {
        for named in named_modules(code) {
            if banned.contains(&named.as_str()) {
                out.push(format!("{file}: {module}/ must not import crate::{named}"));
            }
        }
    }
    if PURE.contains(&module) {
        for io in IO {
            if code.contains(io) {
                out.push(format!("{file}: {module}/ does no IO, but uses {io}"));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_checker_finds_what_it_looks_for() {
    let bad = "use crate::store::Store;\nuse crate::{ids::FormId, http};\nfn f() { std::fs::read(\"x\"); }\n#[cfg(test)]\nmod tests { use crate::app::App; }";
    let v = violations("forms", "forms/x.rs", without_tests(bad));
    assert_eq!(
        v,
        vec![
            "forms/x.rs: forms/ must not import crate::http",
            "forms/x.rs: forms/ must not import crate::store",
            "forms/x.rs: forms/ does no IO, but uses std::fs",
        ]
    );
    assert!(
        violations("web", "web/x.rs", bad).is_empty(),
        "web may use anything"
    );
}

#[test]
fn layers_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    files.sort();
    let mut found = vec![];
    let mut checked = BTreeSet::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let module = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        checked.insert(module.clone());
        let text = std::fs::read_to_string(f).unwrap();
        found.extend(violations(
            &module,
            &rel.display().to_string(),
            without_tests(&text),
        ));
    }
    for (m, _) in FORBIDDEN {
        assert!(
            checked.contains(*m),
            "no module {m} under src/: update the rules"
        );
    }
    assert!(
        found.is_empty(),
        "imports that break the layers:\n{}",
        found.join("\n")
    );
}
