//! Languages (bokmål, nynorsk, English), negotiation and message catalogues.
//!
//! Catalogues are Fluent files embedded in the binary (`nb.ftl`, `nn.ftl`, `en.ftl`) and parsed once at
//! start. Messages without arguments are resolved up front into a map, so the common case on a hot page is a
//! hash lookup; messages with arguments go through Fluent. No IO happens here.

use std::collections::HashMap;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A supported language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Nb,
    Nn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Nb, Lang::Nn, Lang::En];

    /// The BCP 47 tag used in `<html lang>`, cookies and form files.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::Nn => "nn",
            Lang::En => "en",
        }
    }

    /// The language's own name, as shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Nb => "Bokmål",
            Lang::Nn => "Nynorsk",
            Lang::En => "English",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "nb" => Some(Lang::Nb),
            "nn" => Some(Lang::Nn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Picks the language from an `Accept-Language` header: the supported language with the highest q-value.
/// `no` and `no-*` count as bokmål. Malformed entries are skipped, never an error.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(Lang, f32)> = None;
    for part in header.split(',').take(32) {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let mut q = 1.0f32;
        for p in pieces {
            if let Some(v) = p.trim().strip_prefix("q=") {
                q = v.trim().parse().unwrap_or(0.0);
            }
        }
        if !(q > 0.0 && q <= 1.0) {
            continue;
        }
        let primary = tag.split('-').next().unwrap_or("");
        let lang = match primary {
            "nb" | "no" => Lang::Nb,
            "nn" => Lang::Nn,
            "en" => Lang::En,
            _ => continue,
        };
        if best.is_none_or(|(_, bq)| q > bq) {
            best = Some((lang, q));
        }
    }
    best.map(|(l, _)| l)
}

/// Why a catalogue could not be loaded (a build defect; tests catch it).
#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("catalogue {lang}.ftl does not parse: {detail}")]
    Parse { lang: &'static str, detail: String },
}

struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    simple: HashMap<String, String>,
}

/// All three catalogues. Cheap to clone (an `Arc`).
#[derive(Clone)]
pub struct I18n {
    cats: Arc<[Catalogue; 3]>,
}

/// Per language: the UI catalogue, then the validation messages (kept apart because they are many).
const SOURCES: [(Lang, &str); 3] = [
    (
        Lang::Nb,
        concat!(
            include_str!("nb.ftl"),
            "\n",
            include_str!("validation.nb.ftl")
        ),
    ),
    (
        Lang::Nn,
        concat!(
            include_str!("nn.ftl"),
            "\n",
            include_str!("validation.nn.ftl")
        ),
    ),
    (
        Lang::En,
        concat!(
            include_str!("en.ftl"),
            "\n",
            include_str!("validation.en.ftl")
        ),
    ),
];

impl I18n {
    pub fn load() -> Result<I18n, I18nError> {
        let mut cats = Vec::with_capacity(3);
        for (lang, src) in SOURCES {
            cats.push(load_catalogue(lang, src)?);
        }
        let cats: [Catalogue; 3] = cats.try_into().map_err(|_| I18nError::Parse {
            lang: "all",
            detail: "expected three catalogues".into(),
        })?;
        Ok(I18n {
            cats: Arc::new(cats),
        })
    }

    /// A handle bound to one language, passed to views.
    pub fn loc(&self, lang: Lang) -> Loc<'_> {
        Loc { i18n: self, lang }
    }

    fn cat(&self, lang: Lang) -> &Catalogue {
        let [nb, nn, en] = &*self.cats;
        match lang {
            Lang::Nb => nb,
            Lang::Nn => nn,
            Lang::En => en,
        }
    }

    /// The message ids of one catalogue (for the completeness test).
    pub fn ids(&self, lang: Lang) -> Vec<String> {
        let src = SOURCES
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or("", |(_, s)| s);
        message_ids(src)
    }

    /// The resolved text of a message without arguments, if it exists and is not empty.
    pub fn lookup(&self, lang: Lang, key: &str) -> Option<String> {
        let cat = self.cat(lang);
        if let Some(s) = cat.simple.get(key) {
            return Some(s.clone());
        }
        let msg = cat.bundle.get_message(key)?;
        let pattern = msg.value()?;
        let mut errors = vec![];
        let text = cat.bundle.format_pattern(pattern, None, &mut errors);
        (!text.trim().is_empty()).then(|| text.into_owned())
    }
}

fn message_ids(src: &str) -> Vec<String> {
    src.lines()
        .filter_map(|l| {
            let (id, _) = l.split_once('=')?;
            let id = id.trim_end();
            let ok = !id.is_empty()
                && !l.starts_with([' ', '#', '\t', '.'])
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            ok.then(|| id.to_owned())
        })
        .collect()
}

fn load_catalogue(lang: Lang, src: &'static str) -> Result<Catalogue, I18nError> {
    let res = FluentResource::try_new(src.to_owned()).map_err(|(_, errs)| I18nError::Parse {
        lang: lang.code(),
        detail: format!("{errs:?}"),
    })?;
    let langid: unic_langid::LanguageIdentifier =
        lang.code().parse().map_err(|e| I18nError::Parse {
            lang: lang.code(),
            detail: format!("{e}"),
        })?;
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Isolation marks (U+2068/U+2069) would end up inside HTML attributes and e-mails.
    bundle.set_use_isolating(false);
    bundle.add_resource(res).map_err(|errs| I18nError::Parse {
        lang: lang.code(),
        detail: format!("{errs:?}"),
    })?;
    let mut simple = HashMap::new();
    for id in message_ids(src) {
        let Some(msg) = bundle.get_message(&id) else {
            continue;
        };
        let Some(pattern) = msg.value() else { continue };
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, None, &mut errors);
        if errors.is_empty() {
            simple.insert(id, text.into_owned());
        }
    }
    Ok(Catalogue { bundle, simple })
}

/// A catalogue bound to one language: `loc.t("key")`, `loc.tf("key", &[("n", 3.into())])`.
#[derive(Clone, Copy)]
pub struct Loc<'a> {
    i18n: &'a I18n,
    pub lang: Lang,
}

impl<'a> Loc<'a> {
    /// A message without arguments. A missing key shows the key itself (the catalogue test prevents that).
    pub fn t(&self, key: &'static str) -> &'a str {
        match self.i18n.cat(self.lang).simple.get(key) {
            Some(s) => s.as_str(),
            None => key,
        }
    }

    /// A message with arguments.
    pub fn tf(&self, key: &'static str, args: &[(&'static str, FluentValue<'_>)]) -> String {
        let cat = self.i18n.cat(self.lang);
        let Some(pattern) = cat.bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = vec![];
        cat.bundle
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language() {
        for (header, expected) in [
            ("nb-NO,nb;q=0.9,en;q=0.8", Some(Lang::Nb)),
            ("nn", Some(Lang::Nn)),
            ("no", Some(Lang::Nb)),
            ("de-DE,de;q=0.9,en;q=0.5", Some(Lang::En)),
            ("en;q=0.5, nn;q=0.9", Some(Lang::Nn)),
            ("de, fr", None),
            ("", None),
            (";;;,,q=x", None),
            ("nb;q=abc, en", Some(Lang::En)),
            ("nn;q=0", None),
        ] {
            assert_eq!(from_accept_language(header), expected, "{header}");
        }
    }

    #[test]
    fn every_key_is_in_every_catalogue_and_not_empty() {
        let i18n = I18n::load().unwrap();
        let mut all: Vec<String> = Lang::ALL.iter().flat_map(|l| i18n.ids(*l)).collect();
        all.sort();
        all.dedup();
        assert!(all.len() > 20);
        let mut problems = vec![];
        for lang in Lang::ALL {
            for id in &all {
                if i18n.lookup(lang, id).is_none() {
                    problems.push(format!("{}.ftl: {id} is missing or empty", lang.code()));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Every literal key the code passes to `.t("…")` or `.tf("…"` exists in the catalogues.
    #[test]
    fn every_key_used_in_code_exists() {
        let i18n = I18n::load().unwrap();
        let known: std::collections::HashSet<String> = i18n.ids(Lang::Nb).into_iter().collect();
        let mut missing = vec![];
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                // This file documents the call forms in its own comments.
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("i18n/mod.rs") {
                    continue;
                }
                let src = std::fs::read_to_string(&path).unwrap();
                for pat in [".t(\"", ".tf(\""] {
                    for (i, _) in src.match_indices(pat) {
                        let rest = &src[i + pat.len()..];
                        let key = &rest[..rest.find('"').unwrap()];
                        if !known.contains(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys used but not in nb.ftl:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn arguments_are_formatted() {
        let i18n = I18n::load().unwrap();
        let s = i18n
            .loc(Lang::En)
            .tf("search-count", &[("count", 3.into())]);
        assert!(s.contains('3'), "{s}");
    }
}

/// A text in all three languages, as written in configuration and form files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub nb: String,
    pub nn: String,
    pub en: String,
}

impl Texts {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nb => &self.nb,
            Lang::Nn => &self.nn,
            Lang::En => &self.en,
        }
    }
}

/// A list of texts per language (keywords, checklists).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct TextLists {
    #[serde(default)]
    pub nb: Vec<String>,
    #[serde(default)]
    pub nn: Vec<String>,
    #[serde(default)]
    pub en: Vec<String>,
}

impl TextLists {
    pub fn get(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Nb => &self.nb,
            Lang::Nn => &self.nn,
            Lang::En => &self.en,
        }
    }
}
