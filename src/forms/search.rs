//! Portal search over titles, keywords and synonyms. Forgives case and Norwegian letters (`soknad` finds
//! `søknad`, `aa` matches `å`), matches whole words, prefixes and parts of compound words, and ranks title
//! hits above keyword hits above description hits; a title's compound word that starts with the query
//! counts as a whole-word hit, and among equal scores the shorter title comes first. The index is derived data: built in memory at start, never stored.

use std::sync::Arc;

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

struct Entry {
    /// Position of the form in the list the index was built from.
    form: usize,
    /// Words in the title: among equal scores, the shorter (more specific) title ranks first.
    title_words: usize,
    /// (word, weight)
    words: Vec<(String, u32)>,
}

/// An index over one tenant's forms in one language.
pub struct SearchIndex {
    entries: Vec<Entry>,
}

const TITLE: u32 = 8;
const TERM: u32 = 5;
const OTHER_TITLE: u32 = 3;
const INTRO: u32 = 1;

impl SearchIndex {
    pub fn build(forms: &[Arc<FormDef>], lang: Lang) -> SearchIndex {
        let entries = forms
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut words: Vec<(String, u32)> = vec![];
                let mut add = |text: &str, weight: u32| {
                    for w in normalize(text).split(' ').filter(|w| !w.is_empty()) {
                        match words.iter_mut().find(|(x, _)| x == w) {
                            Some((_, old)) => *old = (*old).max(weight),
                            None => words.push((w.to_owned(), weight)),
                        }
                    }
                };
                add(f.title.get(lang), TITLE);
                for l in Lang::ALL {
                    for term in f.keywords.get(l).iter().chain(f.synonyms.get(l)) {
                        add(term, TERM);
                    }
                    if l != lang {
                        add(f.title.get(l), OTHER_TITLE);
                    }
                }
                add(f.intro.get(lang), INTRO);
                let title_words = normalize(f.title.get(lang)).split(' ').count();
                Entry {
                    form: i,
                    words,
                    title_words,
                }
            })
            .collect();
        SearchIndex { entries }
    }

    /// Positions of matching forms, best first. Every query word must match the start of some word.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let q = normalize(query);
        let terms: Vec<&str> = q.split(' ').filter(|w| !w.is_empty()).take(10).collect();
        if terms.is_empty() {
            return vec![];
        }
        let mut hits: Vec<(u32, usize, usize)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let mut score = 0;
                for t in &terms {
                    // Whole word, then prefix, then (for 4+ letters) inside a compound word:
                    // "plass" finds "barnehageplass", "soknad" finds "barnehagesøknad".
                    let best = e
                        .words
                        .iter()
                        .filter_map(|(w, weight)| {
                            if w == t {
                                Some(weight * 4)
                            } else if *weight == TITLE && t.len() >= 5 && w.starts_with(t) {
                                // A title's compound word that starts with the query is what the
                                // form is about: "barnehage" in "barnehageplass".
                                Some(weight * 4)
                            } else if w.starts_with(t) {
                                Some(weight * 2)
                            } else if t.len() >= 4 && w.contains(t) {
                                Some(*weight)
                            } else {
                                None
                            }
                        })
                        .max()?;
                    score += best;
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
}
