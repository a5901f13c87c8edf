//! Invalid configuration files under `tests/fixtures/config/`, each with the exact error text it must
//! produce (`NAME.expected`, where `{file}` stands for the file's path and `{dir}` for its folder). The
//! library call and the real binary (`check-config`, exit code 2) must both say exactly that.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::bin;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

/// Copies a fixture into a folder with a real certificate and key beside it.
fn stage(fixture: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    radhus::http::tls::write_self_signed(
        &["eksempel.localhost"],
        &dir.path().join("tls/cert.pem"),
        &dir.path().join("tls/key.pem"),
    )
    .unwrap();
    std::fs::write(dir.path().join("secret.txt"), "s".repeat(40)).unwrap();
    let path = dir.path().join(fixture.file_name().unwrap());
    std::fs::copy(fixture, &path).unwrap();
    (dir, path)
}

fn expected(fixture: &Path, staged: &Path) -> Option<String> {
    let text = std::fs::read_to_string(fixture.with_extension("expected")).ok()?;
    Some(
        text.trim_end()
            .replace("{file}", &staged.display().to_string())
            .replace("{dir}", &staged.parent().unwrap().display().to_string()),
    )
}

#[test]
fn every_fixture_gives_its_exact_error() {
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    let list = fixtures();
    assert!(list.len() >= 8);
    for fixture in list {
        let (_dir, staged) = stage(&fixture);
        let result = radhus::config::load(&staged, &|id| reg.contains(id));
        let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
        match expected(&fixture, &staged) {
            None => {
                assert!(
                    result.is_ok(),
                    "{name} should be valid: {}",
                    result.err().unwrap()
                );
                let out = Command::new(bin())
                    .arg("check-config")
                    .arg(&staged)
                    .output()
                    .unwrap();
                assert_eq!(
                    out.status.code(),
                    Some(0),
                    "{name}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            Some(want) => {
                let got = result
                    .err()
                    .unwrap_or_else(|| panic!("{name} should fail"))
                    .to_string();
                assert_eq!(got, want, "{name}");
                let out = Command::new(bin())
                    .arg("check-config")
                    .arg(&staged)
                    .output()
                    .unwrap();
                assert_eq!(out.status.code(), Some(2), "{name}");
                assert_eq!(
                    String::from_utf8_lossy(&out.stderr).trim_end(),
                    want,
                    "{name} via the binary"
                );
                let out = Command::new(bin())
                    .args(["serve", "--config"])
                    .arg(&staged)
                    .output()
                    .unwrap();
                assert_eq!(out.status.code(), Some(2), "{name}: serve refuses it too");
            }
        }
    }
}

#[test]
fn a_logo_the_pdfs_cannot_draw_is_a_warning_not_an_error() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config/valid.toml");
    let (dir, staged) = stage(&fixture);
    let theme = dir.path().join("theme");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("logo.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text x="1" y="5">E</text></svg>"#,
    )
    .unwrap();
    let mut text = std::fs::read_to_string(&staged).unwrap();
    text.push_str("theme_dir = \"theme\"\n");
    std::fs::write(&staged, text).unwrap();
    let out = Command::new(bin())
        .arg("check-config")
        .arg(&staged)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        format!(
            "{}: warning: tenant[0] (eksempel): logo.svg cannot be drawn in PDFs, so PDFs are made \
             without the logo: <text> is not supported in PDF logos",
            staged.display()
        )
    );
}
