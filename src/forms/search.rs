//! Portal search over titles, keywords and synonyms. Forgives case and Norwegian letters (`soknad` finds
//! `søknad`, `aa` matches `å`), matches whole words, prefixes and parts of compound words, and ranks title
//! hits above keyword hits above description hits; a title's compound word that starts with the query
//! counts as a whole-word hit, and among equal scores the shorter title comes first. The index is derived data: built in memory at start, never stored.

use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};

use super::FormDef;
use crate::i18n::Lang;

/// Lower-cases and folds a text to ASCII words separated by single spaces.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'æ' | 'ä' => out.push_str("ae"),
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => out.push('o'),
            'å' | 'á' | 'à' | 'â' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ü' | 'ú' => out.push('u'),
            'í' | 'ï' => out.push('i'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
        }
    }
    // The old spelling of å is "aa" (Aasen, Haakon); treat both the same.
    let out = out.replace("aa", "a");
    out.trim_end().to_owned()
}

/// Words that belong together though no stemmer joins them: the noun and the verb of what a form does
/// (folded). A query word in a family also finds its other members: "søknad" finds "Søk om …".
const FAMILIES: &[&[&str]] = &[
    &[
        "soknad",
        "soknader",
        "soknaden",
        "soknadene",
        "soknadar",
        "soknadane",
        "soke",
        "sok",
        "soker",
        "sokje",
        "sokjer",
        "apply",
        "application",
        "applications",
    ],
    &[
        "melding",
        "meldinga",
        "meldingen",
        "melde",
        "meld",
        "meldt",
        "report",
    ],
    &["klage", "klag", "klager", "complain", "complaint", "appeal"],
    &[
        "endring",
        "endringa",
        "endringen",
        "endre",
        "endra",
        "change",
    ],
    &["bestilling", "bestille", "bestill", "order", "book"],
    &["varsling", "varsle", "varslar", "varsler", "whistleblowing"],
    &["oppsigelse", "oppseiing", "seie", "cancel", "cancellation"],
];

fn family(word: &str) -> Option<&'static [&'static str]> {
    FAMILIES.iter().copied().find(|f| f.contains(&word))
}

/// A word as the index keeps it: folded, and its stem folded.
struct Word {
    text: String,
    stem: String,
    weight: u32,
}

struct Entry {
    /// Position of the form in the list the index was built from.
    form: usize,
    /// Words in the title: among equal scores, the shorter (more specific) title ranks first.
    title_words: usize,
    words: Vec<Word>,
}

/// An index over one tenant's forms in one language.
pub struct SearchIndex {
    entries: Vec<Entry>,
    /// Every folded word of the index once, for typo matching.
    vocabulary: Vec<String>,
}

const TITLE: u32 = 8;
const TERM: u32 = 5;
const OTHER_TITLE: u32 = 3;
const INTRO: u32 = 1;

fn stemmer(lang: Lang) -> Stemmer {
    match lang {
        Lang::En => Stemmer::create(Algorithm::English),
        Lang::Nb | Lang::Nn => Stemmer::create(Algorithm::Norwegian),
    }
}

/// The words of a text, each folded and with its stem (by `stem`) folded: "Søknader" → ("soknader",
/// "soknad").
fn words_of(text: &str, stem: &Stemmer) -> Vec<(String, String)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            let lower = w.to_lowercase();
            let stemmed = normalize(&stem.stem(&lower));
            // Folding can split a word ("e-post" never gets here; "ß" is dropped): keep each part.
            normalize(&lower)
                .split(' ')
                .filter(|p| !p.is_empty())
                .map(|p| (p.to_owned(), stemmed.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// How far a typed word may be from a word of the index: one slip in a word of 4–7 letters, two in a
/// longer one; none in a shorter one (too many words are three letters apart).
fn allowed_typos(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Whether `typed` is `word` (or the start of a compound `word`) with at most `k` slips: a letter
/// missing, extra, wrong, or two letters swapped.
fn near(typed: &str, word: &str, k: usize) -> bool {
    let (t, w) = (typed.as_bytes(), word.as_bytes());
    // Slips are rare in the first letter and cheap to rule out there: most of the vocabulary is skipped
    // before any distance is computed.
    let first_fits = match (t, w) {
        ([a, ..], [b, ..]) if a == b => true,
        ([a, b, ..], [c, d, ..]) => a == d && b == c,
        _ => false,
    };
    if !first_fits || w.len() + k < t.len() {
        return false;
    }
    if w.len() <= t.len() + k && strsim::osa_distance(typed, word) <= k {
        return true;
    }
    // A compound word that starts with the typed one: "barnehge" in "barnehageplass".
    (t.len().saturating_sub(1)..=t.len() + 1)
        .filter(|n| *n >= 4 && *n < w.len())
        .any(|n| {
            word.get(..n)
                .is_some_and(|p| strsim::osa_distance(typed, p) <= k)
        })
}

/// One word of a query, with what it may match.
struct Term {
    text: String,
    /// The query word's stems (Norwegian and English: a query may be in either).
    stems: [String; 2],
    family: Option<&'static [&'static str]>,
    /// Words of the index it is a slip away from (only when nothing matches it as typed).
    near: Vec<String>,
}

impl SearchIndex {
    pub fn build(forms: &[Arc<FormDef>], lang: Lang) -> SearchIndex {
        let own = stemmer(lang);
        let stemmers: Vec<(Lang, Stemmer)> = Lang::ALL.iter().map(|l| (*l, stemmer(*l))).collect();
        let stem_of = |l: Lang| -> &Stemmer {
            stemmers
                .iter()
                .find(|(x, _)| *x == l)
                .map_or(&own, |(_, s)| s)
        };
        let mut vocabulary: Vec<String> = vec![];
        let entries = forms
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut words: Vec<Word> = vec![];
                let mut add = |text: &str, weight: u32, stem: &Stemmer| {
                    for (w, st) in words_of(text, stem) {
                        match words.iter_mut().find(|x| x.text == w) {
                            Some(old) => old.weight = old.weight.max(weight),
                            None => words.push(Word {
                                text: w,
                                stem: st,
                                weight,
                            }),
                        }
                    }
                };
                add(f.title.get(lang), TITLE, &own);
                for l in Lang::ALL {
                    for term in f.keywords.get(l).iter().chain(f.synonyms.get(l)) {
                        add(term, TERM, stem_of(l));
                    }
                    if l != lang {
                        add(f.title.get(l), OTHER_TITLE, stem_of(l));
                    }
                }
                add(f.intro.get(lang), INTRO, &own);
                vocabulary.extend(words.iter().map(|w| w.text.clone()));
                let title_words = normalize(f.title.get(lang)).split(' ').count();
                Entry {
                    form: i,
                    words,
                    title_words,
                }
            })
            .collect();
        vocabulary.sort_unstable();
        vocabulary.dedup();
        SearchIndex {
            entries,
            vocabulary,
        }
    }

    /// How well `word` answers `t`, if at all.
    fn score(t: &Term, w: &Word) -> Option<u32> {
        let weight = w.weight;
        let stem_hit = w.stem.len() >= 3 && t.stems.contains(&w.stem);
        if w.text == t.text || stem_hit {
            Some(weight * 4)
        } else if t
            .family
            .is_some_and(|f| f.contains(&w.text.as_str()) || f.contains(&w.stem.as_str()))
            // A longer form of the word ("avfallsbeholderen" of "avfallsbeholder"), which a one-pass
            // stemmer does not bring back to the same stem.
            || (w.stem.len() >= 5
                && t.text.len() <= w.stem.len() + 4
                && t.text.starts_with(&w.stem))
        {
            Some(weight * 3)
        } else if weight == TITLE
            && [&t.text, &t.stems[0], &t.stems[1]]
                .iter()
                .any(|p| p.len() >= 5 && w.text.starts_with(p.as_str()))
        {
            // A title's compound word that starts with the query (or its stem) is what the form is
            // about: "barnehage" and "barnehagen" in "barnehageplass".
            Some(weight * 4)
        } else if w.text.starts_with(&t.text) {
            Some(weight * 2)
        } else if t.text.len() >= 4 && w.text.contains(&t.text) {
            // Inside a compound word: "plass" finds "barnehageplass".
            Some(weight)
        } else if t.near.contains(&w.text) {
            Some(weight.div_ceil(2))
        } else {
            None
        }
    }

    /// Positions of matching forms, best first. Every query word must match some word of the form: as
    /// typed, as a word form of it (søknader, søknad), as a word of its family (søknad, søk), as the
    /// start or part of a compound word, or, when nothing matches it as typed, with a slip or two.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let nb = Stemmer::create(Algorithm::Norwegian);
        let en = Stemmer::create(Algorithm::English);
        let terms: Vec<Term> = query
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(10)
            .flat_map(|w| {
                let lower = w.to_lowercase();
                let stems = [normalize(&nb.stem(&lower)), normalize(&en.stem(&lower))];
                normalize(&lower)
                    .split(' ')
                    .filter(|p| !p.is_empty())
                    .map(|p| Term {
                        family: family(p).or_else(|| stems.iter().find_map(|s| family(s))),
                        text: p.to_owned(),
                        stems: stems.clone(),
                        near: vec![],
                    })
                    .collect::<Vec<_>>()
            })
            .take(10)
            .map(|mut t| {
                let k = allowed_typos(t.text.len());
                let matched = self
                    .entries
                    .iter()
                    .any(|e| e.words.iter().any(|w| Self::score(&t, w).is_some()));
                if k > 0 && !matched {
                    t.near = self
                        .vocabulary
                        .iter()
                        .filter(|v| near(&t.text, v, k))
                        .cloned()
                        .collect();
                }
                t
            })
            .collect();
        if terms.is_empty() {
            return vec![];
        }
        let mut hits: Vec<(u32, usize, usize)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let mut score = 0;
                for t in &terms {
                    score += e.words.iter().filter_map(|w| Self::score(t, w)).max()?;
                }
                Some((score, e.title_words, e.form))
            })
            .collect();
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        hits.into_iter().map(|(_, _, f)| f).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::Registry;

    #[test]
    fn normalizes() {
        for (input, expected) in [
            ("Søknad om BARNEHAGEPLASS", "soknad om barnehageplass"),
            ("Særskilte behov", "saerskilte behov"),
            ("Ås / Aasen", "as asen"),
            ("  e-post?! ", "e post"),
            ("", ""),
        ] {
            assert_eq!(normalize(input), expected, "{input}");
        }
    }

    #[test]
    fn finds_by_letters_synonyms_and_prefixes() {
        let reg = Registry::load_embedded().unwrap();
        let forms = reg.all().to_vec();
        let idx = SearchIndex::build(&forms, Lang::Nb);
        let id = |q: &str| -> Vec<String> {
            idx.search(q)
                .iter()
                .map(|i| forms[*i].id.to_string())
                .collect()
        };
        assert_eq!(
            id("barnehage").first().map(String::as_str),
            Some("barnehage-soknad")
        );
        assert!(id("soknad barnehage").contains(&"barnehage-soknad".to_string()));
        assert!(id("SØKNAD BARNEHAGE").contains(&"barnehage-soknad".to_string()));
        assert!(
            id("bhg").contains(&"barnehage-soknad".to_string()),
            "synonym"
        );
        assert!(
            id("barneh").contains(&"barnehage-soknad".to_string()),
            "prefix"
        );
        assert!(id("xyzzy").is_empty());
        assert!(id("   ").is_empty());
    }

    fn ids(lang: Lang) -> impl Fn(&str) -> Vec<String> {
        let reg = Registry::load_embedded().unwrap();
        let forms = reg.all().to_vec();
        let idx = SearchIndex::build(&forms, lang);
        move |q: &str| {
            idx.search(q)
                .iter()
                .map(|i| forms[*i].id.to_string())
                .collect()
        }
    }

    #[test]
    fn every_application_is_found_by_soknad_in_every_word_form() {
        let reg = Registry::load_embedded().unwrap();
        // Every form whose bokmål title asks to apply ("Søk om …", "Søk på …").
        let applications: Vec<String> = reg
            .all()
            .iter()
            .filter(|f| f.title.nb.starts_with("Søk ") || f.title.nb.contains("søknad"))
            .map(|f| f.id.to_string())
            .collect();
        assert!(applications.len() >= 30, "{applications:?}");
        for (lang, queries) in [
            (
                Lang::Nb,
                &["søknad", "søknader", "søknaden", "søke", "søk", "soknad"][..],
            ),
            (Lang::Nn, &["søknad", "søknadene", "søkje", "søknad"][..]),
            (Lang::En, &["application", "apply", "søknad"][..]),
        ] {
            let id = ids(lang);
            for q in queries {
                let found = id(q);
                let missing: Vec<&String> =
                    applications.iter().filter(|a| !found.contains(a)).collect();
                assert!(missing.is_empty(), "{lang:?} «{q}» misses {missing:?}");
            }
        }
    }

    #[test]
    fn typos_and_word_forms_are_forgiven_but_not_guessed_wildly() {
        let id = ids(Lang::Nb);
        let first = |q: &str| id(q).first().cloned().unwrap_or_default();
        for (q, want) in [
            ("barnehgae", "barnehage-soknad"),
            ("barnehge", "barnehage-soknad"),
            ("brnehage", "barnehage-soknad"),
            ("skjenkebevilning", "skjenkebevilling"),
            ("trygghetsalram", "trygghetsalarm"),
            ("ledsagerbeivs", "ledsagerbevis"),
            ("gatelyset", "feil-vei-gatelys"),
            ("båtplasser", "batplass"),
            ("avfallsbeholderen", "avfallsabonnement"),
            // compound words, parts of them, and a slip in one
            ("parkeringstillatelse", "parkering-forflytningshemmet"),
            ("grovafall", "grovavfall"),
        ] {
            assert_eq!(first(q), want, "«{q}»: {:?}", id(q));
        }
        // Three letters are not guessed at, nor are words far from any in the library.
        assert!(id("qzx").is_empty());
        assert!(
            id("flyplassutvidelse").is_empty(),
            "{:?}",
            id("flyplassutvidelse")
        );
        // A typo is a fallback: a word that matches as typed is not widened.
        let exact = id("skoleskyss");
        assert_eq!(exact.first().map(String::as_str), Some("skoleskyss"));
    }
}
