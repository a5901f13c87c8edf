//! Themes: the embedded default theme (`themes/default`), embedded examples, and a tenant's overrides from a
//! folder named in the config (`theme.toml` with `[colors]` and `extra_css`, and `logo.svg`).
//!
//! The result per tenant is one stylesheet (default CSS + a `:root` block of overridden custom properties +
//! extra CSS) and one logo, served under content-hashed names by [`crate::assets`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

const DEFAULT_CSS: &str = include_str!("../themes/default/theme.css");
const DEFAULT_LOGO: &[u8] = include_bytes!("../themes/default/logo.svg");
const PROVESTAD_TOML: &str = include_str!("../themes/provestad/theme.toml");
const PROVESTAD_LOGO: &[u8] = include_bytes!("../themes/provestad/logo.svg");
const PROVESTAD_EXTRA: &str = include_str!("../themes/provestad/extra.css");

/// A theme ready to serve.
#[derive(Debug, Clone)]
pub struct Theme {
    pub css: String,
    pub logo_svg: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("{}: {detail}", .file.display())]
    File { file: PathBuf, detail: String },
    #[error("unknown built-in theme \"{0}\"")]
    Unknown(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeToml {
    #[serde(default)]
    colors: BTreeMap<String, String>,
    extra_css: Option<String>,
}

/// Colour values are written into CSS, so only plain colour syntax is allowed (no `;`, `}` or `url(`).
fn safe_colour(v: &str) -> bool {
    let hex = v.strip_prefix('#').is_some_and(|h| {
        matches!(h.len(), 3 | 4 | 6 | 8) && h.bytes().all(|b| b.is_ascii_hexdigit())
    });
    let named = !v.is_empty() && v.len() <= 20 && v.bytes().all(|b| b.is_ascii_lowercase());
    hex || named
}

fn parse_toml(text: &str, file: &Path) -> Result<ThemeToml, ThemeError> {
    let t: ThemeToml = toml::from_str(text).map_err(|e| ThemeError::File {
        file: file.to_path_buf(),
        detail: e.message().to_owned(),
    })?;
    for (k, v) in &t.colors {
        let key_ok = !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
        if !key_ok || !safe_colour(v) {
            return Err(ThemeError::File {
                file: file.to_path_buf(),
                detail: format!(
                    "colors.{k}: \"{v}\" is not a colour; use #rgb, #rrggbb or a CSS colour name"
                ),
            });
        }
    }
    Ok(t)
}

fn overrides(t: &ThemeToml) -> String {
    if t.colors.is_empty() {
        return String::new();
    }
    let mut s = String::from("\n:root {\n");
    for (k, v) in &t.colors {
        s.push_str(&format!("  --color-{k}: {v};\n"));
    }
    s.push_str("}\n");
    s
}

fn read(file: &Path) -> Result<Vec<u8>, ThemeError> {
    std::fs::read(file).map_err(|e| ThemeError::File {
        file: file.to_path_buf(),
        detail: e.to_string(),
    })
}

/// Builds a tenant's theme from a built-in theme name and an optional override folder.
pub fn build(name: &str, dir: Option<&Path>) -> Result<Theme, ThemeError> {
    let mut css = DEFAULT_CSS.to_owned();
    let mut logo = DEFAULT_LOGO.to_vec();
    match name {
        "default" => {}
        "provestad" => {
            let t = parse_toml(PROVESTAD_TOML, Path::new("themes/provestad/theme.toml"))?;
            css.push_str(&overrides(&t));
            css.push('\n');
            css.push_str(PROVESTAD_EXTRA);
            logo = PROVESTAD_LOGO.to_vec();
        }
        other => return Err(ThemeError::Unknown(other.to_owned())),
    }
    if let Some(dir) = dir {
        let toml_path = dir.join("theme.toml");
        if toml_path.is_file() {
            let text = String::from_utf8(read(&toml_path)?).map_err(|_| ThemeError::File {
                file: toml_path.clone(),
                detail: "is not UTF-8".into(),
            })?;
            let t = parse_toml(&text, &toml_path)?;
            css.push_str(&overrides(&t));
            if let Some(extra) = &t.extra_css {
                let extra_path = dir.join(extra);
                if extra.contains("..") || extra.contains('/') {
                    return Err(ThemeError::File {
                        file: toml_path,
                        detail: format!(
                            "extra_css: \"{extra}\" must be a file name in the theme folder"
                        ),
                    });
                }
                let extra_css =
                    String::from_utf8(read(&extra_path)?).map_err(|_| ThemeError::File {
                        file: extra_path.clone(),
                        detail: "is not UTF-8".into(),
                    })?;
                css.push('\n');
                css.push_str(&extra_css);
            }
        }
        let logo_path = dir.join("logo.svg");
        if logo_path.is_file() {
            logo = read(&logo_path)?;
        }
    }
    Ok(Theme {
        css,
        logo_svg: logo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_and_overrides() {
        let d = build("default", None).unwrap();
        let p = build("provestad", None).unwrap();
        assert!(p.css.len() > d.css.len());
        assert!(p.css.contains("--color-primary: #0b6b5e"));
        assert_ne!(d.logo_svg, p.logo_svg);
        assert!(build("nope", None).is_err());

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("theme.toml"),
            "[colors]\nprimary = \"#123456\"\n",
        )
        .unwrap();
        let t = build("default", Some(dir.path())).unwrap();
        assert!(t.css.ends_with(":root {\n  --color-primary: #123456;\n}\n"));

        std::fs::write(
            dir.path().join("theme.toml"),
            "[colors]\nprimary = \"red;}body{\"\n",
        )
        .unwrap();
        let e = build("default", Some(dir.path())).unwrap_err().to_string();
        assert!(e.contains("is not a colour"), "{e}");
    }
}
