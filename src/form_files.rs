//! Form files on disk: a tenant's own form folder, and the files `radhus check-forms` is given. Reads
//! them and hands the texts to the pure loader ([`crate::forms::Registry::from_files`]), so `forms/`
//! itself does no IO.

use std::path::{Path, PathBuf};

use crate::forms::overrides::{Override, is_override_file};
use crate::forms::{Change, LoadError, Registry};
use crate::ids::FormId;

fn is_form_file(p: &Path) -> bool {
    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        n.ends_with(".toml") && !n.ends_with(".example.toml") && !is_override_file(n)
    })
}

fn is_override(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(is_override_file)
}

/// An override written for an older version of its library form that still fits: the library's changes
/// since then, for the municipality to review.
#[derive(Debug)]
pub struct Review {
    pub file: String,
    pub form: FormId,
    pub based_on: u32,
    pub version: u32,
    pub changes: Vec<Change>,
}

/// A tenant's forms folder: its own forms, and the library forms with its overrides applied.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The tenant's own forms and the overridden library forms (these replace the library's by id).
    pub registry: Registry,
    /// Override parts left out because they do not fit this version of the library.
    pub misfits: Vec<LoadError>,
    pub reviews: Vec<Review>,
}

/// Loads a tenant's forms folder (or the files `check-forms` is given): form files, and override files
/// (`<id>.override.toml`) applied to the forms of `library`.
pub fn load_with_overrides(
    paths: &[PathBuf],
    library: &Registry,
) -> Result<Loaded, Vec<LoadError>> {
    let mut errors = vec![];
    let mut overrides = vec![];
    for f in files(paths, &mut errors).iter().filter(|f| is_override(f)) {
        match std::fs::read_to_string(f) {
            Ok(t) => match Override::parse(&f.display().to_string(), &t) {
                Ok(o) => overrides.push(o),
                Err(mut e) => errors.append(&mut e),
            },
            Err(e) => errors.push(io_error(f, &e)),
        }
    }
    let mut registry = match load(paths) {
        Ok(r) => r,
        Err(mut e) => {
            errors.append(&mut e);
            Registry::default()
        }
    };
    let mut loaded = Loaded::default();
    for o in overrides {
        if registry.contains(&o.form) {
            errors.push(LoadError {
                file: o.file.clone(),
                line: 1,
                col: 1,
                message: format!(
                    "the folder has its own form \"{}\" too; a form is either the tenant's own or an override of the library's",
                    o.form
                ),
            });
            continue;
        }
        let Some(base) = library.get(&o.form) else {
            loaded.misfits.push(LoadError {
                file: o.file.clone(),
                line: 1,
                col: 1,
                message: format!(
                    "the library has no form \"{}\" in this version, so the override is not used",
                    o.form
                ),
            });
            continue;
        };
        match o.apply(base) {
            Ok(applied) => {
                loaded.misfits.extend(applied.misfits);
                if !applied.review.is_empty() {
                    loaded.reviews.push(Review {
                        file: o.file.clone(),
                        form: o.form.clone(),
                        based_on: o.based_on,
                        version: base.version,
                        changes: applied.review,
                    });
                }
                if let Err(e) = registry.add(applied.def) {
                    errors.push(e);
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        loaded.registry = registry;
        Ok(loaded)
    } else {
        Err(errors)
    }
}

/// The files named, with folders listed (sorted).
fn files(paths: &[PathBuf], errors: &mut Vec<LoadError>) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = vec![];
    for p in paths {
        if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(rd) => {
                    let mut found: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    found.sort();
                    files.extend(found);
                }
                Err(e) => errors.push(io_error(p, &e)),
            }
        } else {
            files.push(p.clone());
        }
    }
    files
}

fn io_error(p: &Path, e: &std::io::Error) -> LoadError {
    LoadError {
        file: p.display().to_string(),
        line: 1,
        col: 1,
        message: format!("cannot read: {e}"),
    }
}

/// Loads every form file (`*.toml`, not `*.example.toml`) in the given files and folders.
pub fn load(paths: &[PathBuf]) -> Result<Registry, Vec<LoadError>> {
    let mut errors = vec![];
    let files: Vec<PathBuf> = files(paths, &mut errors)
        .into_iter()
        .filter(|f| is_form_file(f))
        .collect();
    let mut texts = vec![];
    for f in files {
        match std::fs::read_to_string(&f) {
            Ok(t) => texts.push((f.display().to_string(), t)),
            Err(e) => errors.push(io_error(&f, &e)),
        }
    }
    let loaded = Registry::from_files(texts.iter().map(|(n, t)| (n.clone(), t.as_str())));
    match loaded {
        Ok(r) if errors.is_empty() => Ok(r),
        Ok(_) => Err(errors),
        Err(mut e) => {
            errors.append(&mut e);
            Err(errors)
        }
    }
}
