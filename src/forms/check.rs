//! Checks that go beyond loading: each form's example answers must fill it completely and validly, so the
//! tests, the benchmark and anyone trying a form can rely on them.

use super::engine::{Engine, Lists, answers_from_example};
use super::registry::{LoadError, Registry};

/// Problems with example files, as `file:line:col: message`.
pub fn examples(registry: &Registry, files: &[(String, String)]) -> Vec<LoadError> {
    let lists = library_lists();
    let today = super::engine::today_in_norway(time::OffsetDateTime::now_utc());
    let mut out = vec![];
    for (file, text) in files {
        let err = |message: String| LoadError {
            file: file.clone(),
            line: 1,
            col: 1,
            message,
        };
        let stem = file
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".example.toml"))
            .unwrap_or("");
        let Some(def) = registry.all().iter().find(|f| f.id.as_str() == stem) else {
            out.push(err(format!("no form \"{stem}\" for this example file")));
            continue;
        };
        let table: toml::Table = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                let (line, col) = e
                    .span()
                    .map_or((1, 1), |s| super::error::line_col(text, s.start));
                out.push(LoadError {
                    file: file.clone(),
                    line,
                    col,
                    message: e.message().to_owned(),
                });
                continue;
            }
        };
        for key in table.keys() {
            if def.field(key).is_none() {
                let pos = text
                    .find(key.as_str())
                    .map_or((1, 1), |o| super::error::line_col(text, o));
                out.push(LoadError {
                    file: file.clone(),
                    line: pos.0,
                    col: pos.1,
                    message: format!("\"{key}\" is not a field of {}", def.id),
                });
            }
        }
        let answers = answers_from_example(def, &table);
        let engine = Engine::new(def, &lists, today);
        for e in engine.validate_all(&answers) {
            out.push(err(format!(
                "the example does not fill the form validly: {} ({:?})",
                e.name, e.message
            )));
        }
    }
    out
}

/// The library's lists of values as valid today (what a new tenant starts with).
pub fn library_lists() -> Lists {
    let today = super::engine::today_in_norway(time::OffsetDateTime::now_utc());
    super::engine::lists_valid_on(&super::embedded_lists().unwrap_or_default(), today)
}
