//! `radhus check-forms`: the library passes; each invalid fixture under `tests/fixtures/forms-invalid/`
//! gives exactly the errors in its `.expected` file, as FILE:LINE:COL: message, with exit code 1.

use std::path::Path;
use std::process::Command;

use crate::support::bin;

#[test]
fn the_library_and_its_examples_pass() {
    let out = Command::new(bin()).arg("check-forms").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("forms ok\n"));
    let out = Command::new(bin())
        .arg("check-forms")
        .arg("forms")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_invalid_fixture_gives_its_exact_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/fixtures/forms-invalid");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        n += 1;
        let rel = path.strip_prefix(root).unwrap();
        let want = std::fs::read_to_string(path.with_extension("expected")).unwrap();
        let out = Command::new(bin())
            .arg("check-forms")
            .arg(rel)
            .current_dir(root)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", rel.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let errors: String = stderr
            .lines()
            .filter(|l| l.contains(".toml:"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(errors, want, "{}", rel.display());
        // The library call says the same (tests run in the package root).
        let lib = radhus::form_files::load(&[rel.to_path_buf()]);
        let text: String = lib
            .err()
            .unwrap()
            .iter()
            .map(|e| format!("{e}\n"))
            .collect();
        assert_eq!(text, want, "{} via the library", rel.display());
    }
    assert!(n >= 12, "{n} fixtures");
}
