//! Form files on disk: a tenant's own form folder, and the files `radhus check-forms` is given. Reads
//! them and hands the texts to the pure loader ([`crate::forms::Registry::from_files`]), so `forms/`
//! itself does no IO.

use std::path::{Path, PathBuf};

use crate::forms::{LoadError, Registry};

fn is_form_file(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".toml") && !n.ends_with(".example.toml"))
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
    let mut files: Vec<PathBuf> = vec![];
    let mut errors = vec![];
    for p in paths {
        if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(rd) => {
                    let mut found: Vec<_> = rd
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|f| is_form_file(f))
                        .collect();
                    found.sort();
                    files.extend(found);
                }
                Err(e) => errors.push(io_error(p, &e)),
            }
        } else {
            files.push(p.clone());
        }
    }
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
