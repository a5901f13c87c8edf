//! The language of the form library, checked by machine: no nynorsk or English text is a copy of its
//! bokmål text, and every bokmål and nynorsk word passes Debian's hunspell dictionaries (`nb_NO`,
//! `nn_NO`) or is on the reviewed list in `forms/words/`. Keywords and synonyms are left out: they hold
//! the other written standard's spellings and common misspellings on purpose, so search finds them.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A text in three languages found in a form file, with where it is.
struct Triple {
    at: String,
    nb: String,
    nn: String,
    en: String,
}

fn flat(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Array(a) => Some(
            a.iter()
                .filter_map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(" \n "),
        ),
        _ => None,
    }
}

fn collect(v: &toml::Value, at: &str, out: &mut Vec<Triple>) {
    match v {
        toml::Value::Table(t) => {
            if let (Some(nb), Some(nn)) = (t.get("nb").and_then(flat), t.get("nn").and_then(flat)) {
                // Archive titles are in bokmål and nynorsk only; their `{field}` placeholders are ids,
                // not words.
                let strip = |s: String| {
                    let mut out = String::new();
                    let mut rest = s.as_str();
                    while let (Some(a), Some(b)) = (rest.find('{'), rest.find('}')) {
                        if b < a {
                            break;
                        }
                        out.push_str(&rest[..a]);
                        rest = &rest[b + 1..];
                    }
                    out.push_str(rest);
                    out
                };
                out.push(Triple {
                    at: at.to_owned(),
                    nb: strip(nb),
                    nn: strip(nn),
                    en: t.get("en").and_then(flat).unwrap_or_default(),
                });
            }
            for (k, x) in t {
                if k != "keywords" && k != "synonyms" {
                    collect(x, &format!("{at}.{k}"), out);
                }
            }
        }
        toml::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                collect(x, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn form_texts() -> Vec<(String, Vec<Triple>)> {
    let mut out = vec![];
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("forms"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.ends_with(".toml") && !n.ends_with(".example.toml")
        })
        .collect();
    files.sort();
    for f in files {
        let v: toml::Value = toml::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let mut t = vec![];
        collect(&v, "", &mut t);
        out.push((f.file_name().unwrap().to_string_lossy().into_owned(), t));
    }
    out
}

/// The words of a text: letters only (hyphenated compounds become their parts, as hunspell reads them).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The words hunspell does not know, with the dictionary `dic`.
fn unknown(dic: &str, words: &BTreeSet<String>) -> BTreeSet<String> {
    let mut child = Command::new("hunspell")
        .args(["-d", dic, "-l"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("hunspell is not installed: apt-get install hunspell hunspell-no (scripts/install-test-peers does this)");
    let mut stdin = child.stdin.take().unwrap();
    let input: String = words.iter().map(|w| format!("{w}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "hunspell -d {dic} failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

fn allowed(file: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// The dictionaries tell bokmål from nynorsk: the check can fail.
#[test]
fn the_dictionaries_catch_bokmal_in_nynorsk() {
    let nn: BTreeSet<String> = words("Du må ikke glemme hva du skrev om hjemmet")
        .into_iter()
        .collect();
    let bad = unknown("nn_NO", &nn);
    for w in ["ikke", "hva", "hjemmet"] {
        assert!(bad.contains(w), "{w} passed as nynorsk: {bad:?}");
    }
    let nb: BTreeSet<String> = words("Søknaden din er sendt").into_iter().collect();
    assert!(unknown("nb_NO", &nb).is_empty());
}

/// A form whose nynorsk is its bokmål copied: most sentences are word for word the same. Some are the
/// same in both written standards ("Vi sender svaret på søknaden hit"), so the rule is a share per form:
/// at most a third of its texts of three words or more. English is never the bokmål (four words or more;
/// shorter ones are names and addresses).
#[test]
fn no_translation_is_a_copy_of_the_bokmal() {
    const MAX_SAME_SHARE: f64 = 1.0 / 3.0;
    let norm = |s: &str| words(s).join(" ").to_lowercase();
    let mut copies = vec![];
    for (file, texts) in form_texts() {
        let long: Vec<&Triple> = texts.iter().filter(|t| words(&t.nb).len() >= 3).collect();
        let same = long.iter().filter(|t| norm(&t.nn) == norm(&t.nb)).count();
        if !long.is_empty() && same as f64 / long.len() as f64 > MAX_SAME_SHARE {
            copies.push(format!(
                "{file}: {same} of {} nynorsk texts are the bokmål word for word",
                long.len()
            ));
        }
        for t in &texts {
            if words(&t.nb).len() >= 4 && norm(&t.en) == norm(&t.nb) {
                copies.push(format!("{file}{}: en is the nb text: {}", t.at, t.nb));
            }
        }
    }
    assert!(copies.is_empty(), "{}", copies.join("\n"));
}

/// The share rule finds a form copied into nynorsk.
#[test]
fn a_form_copied_into_nynorsk_is_found() {
    let text = std::fs::read_to_string(root().join("forms/kontaktskjema.toml")).unwrap();
    let mut v: toml::Value = toml::from_str(&text).unwrap();
    fn copy_nb(v: &mut toml::Value) {
        match v {
            toml::Value::Table(t) => {
                if let (Some(nb), true) = (t.get("nb").cloned(), t.contains_key("nn")) {
                    t.insert("nn".into(), nb);
                }
                for (_, x) in t.iter_mut() {
                    copy_nb(x);
                }
            }
            toml::Value::Array(a) => a.iter_mut().for_each(copy_nb),
            _ => {}
        }
    }
    copy_nb(&mut v);
    let mut t = vec![];
    collect(&v, "", &mut t);
    let norm = |s: &str| words(s).join(" ").to_lowercase();
    let long: Vec<&Triple> = t.iter().filter(|t| words(&t.nb).len() >= 3).collect();
    let same = long.iter().filter(|t| norm(&t.nn) == norm(&t.nb)).count();
    assert_eq!(same, long.len(), "every text is now a copy");
}

#[test]
fn bokmal_and_nynorsk_pass_the_spell_checker() {
    let mut nb = BTreeSet::new();
    let mut nn = BTreeSet::new();
    for (_, texts) in form_texts() {
        for t in texts {
            nb.extend(words(&t.nb));
            nn.extend(words(&t.nn));
        }
    }
    let mut problems = vec![];
    for (lang, dic, set) in [("nb", "nb_NO", &nb), ("nn", "nn_NO", &nn)] {
        let ok = allowed(&root().join(format!("forms/words/{lang}.txt")));
        let bad: Vec<String> = unknown(dic, set).difference(&ok).cloned().collect();
        if !bad.is_empty() {
            problems.push(format!(
                "{lang}: not in {dic} nor in forms/words/{lang}.txt: {}",
                bad.join(", ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every form in the library is found in each language by at least one of its keywords and one of its
/// synonyms (the words a citizen types, not only the title).
#[test]
fn every_form_is_found_by_a_keyword_and_a_synonym() {
    use radhus::forms::search::SearchIndex;
    use radhus::i18n::Lang;
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    let forms = reg.all().to_vec();
    let mut missing = vec![];
    for lang in Lang::ALL {
        let idx = SearchIndex::build(&forms, lang);
        for (i, f) in forms.iter().enumerate() {
            let found = |terms: &[String]| terms.iter().any(|t| idx.search(t).contains(&i));
            if !found(f.keywords.get(lang)) {
                missing.push(format!("{} ({}): no keyword finds it", f.id, lang.code()));
            }
            if !found(f.synonyms.get(lang)) {
                missing.push(format!("{} ({}): no synonym finds it", f.id, lang.code()));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
