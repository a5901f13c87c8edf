//! Pure validation of the values citizens type into forms: Norwegian identifiers (fødselsnummer and its
//! variants, organisasjonsnummer, kontonummer), postal codes, phone numbers and e-mail addresses.
//!
//! Every check is a pure function: no IO, no clock (the caller passes `today` where a date matters), no
//! global state except the postal register, which is embedded in the binary and parsed once. A check either
//! returns the value in its normalised form or an [`Invalid`]: the key of a message in the catalogues
//! `src/i18n/validation.{nb,nn,en}.ftl` plus the message's arguments. Each distinct problem has its own
//! key, so the citizen learns what to fix ("you typed 10 digits") rather than only that something is wrong.
//!
//! Harmless separators are ignored where people commonly type them (spaces in numbers, dots in account
//! numbers), following the GOV.UK advice to accept unambiguous input in any reasonable format.

pub mod email;
pub mod fnr;
pub mod kontonr;
pub mod orgnr;
pub mod phone;
pub mod postnummer;

/// A validation failure: the catalogue key of the message (in validation.*.ftl) and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Invalid {
    /// A failure with the message `key` and no arguments yet.
    #[must_use]
    pub fn new(key: &'static str) -> Self {
        Invalid {
            key,
            args: Vec::new(),
        }
    }

    /// Adds the argument `name` (a Fluent variable, `{ $name }` in the catalogue).
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

/// Collects the ASCII digits of `input`, skipping the characters `skip` accepts (separators).
/// `Err(())` if any other character is present.
fn digits_only(input: &str, skip: impl Fn(char) -> bool) -> Result<Vec<u8>, ()> {
    let mut out = Vec::with_capacity(input.len());
    for c in input.chars() {
        if skip(c) {
            continue;
        }
        match c.to_digit(10) {
            // to_digit(10) is Some only for '0'..='9', so the value fits in a u8.
            Some(d) => out.push(u8::try_from(d).map_err(|_| ())?),
            None => return Err(()),
        }
    }
    Ok(out)
}

/// The weighted digit sum modulo 11, the core of every Norwegian mod-11 check. The shorter of the two
/// slices decides how many digits are weighed.
fn weighted_mod11(digits: &[u8], weights: &[u32]) -> u32 {
    digits
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(*d) * w)
        .sum::<u32>()
        % 11
}

/// The message keys of a mod-11 number: bad characters, wrong length, wrong check digit.
struct Mod11Keys {
    digits: &'static str,
    length: &'static str,
    checksum: &'static str,
}

/// A number of `N` digits whose last digit is a mod-11 check digit over `weights` (`K = 11 − sum mod 11`,
/// 11 → 0, 10 → never issued), after skipping the separators `skip` accepts. Returns the digits.
fn mod11_number<const N: usize>(
    input: &str,
    skip: impl Fn(char) -> bool,
    weights: &[u32],
    keys: &Mod11Keys,
) -> Result<String, Invalid> {
    let digits = digits_only(input, skip).map_err(|()| Invalid::new(keys.digits))?;
    let count = digits.len();
    let digits: [u8; N] = digits
        .try_into()
        .map_err(|_| Invalid::new(keys.length).with("count", count))?;
    let k = digits.last().copied().unwrap_or(0);
    let ok = match 11 - weighted_mod11(&digits, weights) {
        11 => k == 0,
        10 => false,
        expected => u32::from(k) == expected,
    };
    if !ok {
        return Err(Invalid::new(keys.checksum));
    }
    Ok(digits.iter().map(|d| char::from(b'0' + d)).collect())
}

/// Helpers shared by the unit tests of the submodules: the repository root, the CSV vectors, and the
/// message catalogues.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
pub(crate) mod testutil {
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    use std::path::PathBuf;
    use std::sync::OnceLock;

    use super::Invalid;

    /// The repository root: `RADHUS_ROOT` if set (a scratch crate that includes this module by path),
    /// otherwise the manifest directory of the crate being tested.
    pub fn root() -> PathBuf {
        PathBuf::from(
            std::env::var("RADHUS_ROOT").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()),
        )
    }

    /// Reads `tests/fixtures/identifiers/<name>` as a list of rows keyed by the header's column names.
    pub fn read_csv(name: &str) -> Vec<HashMap<String, String>> {
        let path = root().join("tests/fixtures/identifiers").join(name);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header = split_csv_line(lines.next().unwrap());
        lines
            .map(|line| {
                let fields = split_csv_line(line);
                assert_eq!(fields.len(), header.len(), "{name}: bad row {line}");
                header.iter().cloned().zip(fields).collect()
            })
            .collect()
    }

    /// Splits one CSV line (RFC 4180 quoting: `"a, b"` and `""` inside quotes).
    fn split_csv_line(line: &str) -> Vec<String> {
        let mut fields = vec![];
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(std::mem::take(&mut cur)),
                _ => cur.push(c),
            }
        }
        fields.push(cur);
        fields
    }

    /// One catalogue: message id → full source text of its value (continuation lines included).
    pub type Catalogue = BTreeMap<String, String>;

    /// Parses the messages of a Fluent file: an id line `key = value` at column 0, followed by any
    /// continuation lines (indented, or a selector's closing `}`). Comments and blank lines are skipped.
    pub fn parse_ftl(src: &str) -> Catalogue {
        let mut out = Catalogue::new();
        let mut current: Option<String> = None;
        for line in src.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if line.starts_with([' ', '\t', '}']) {
                let key = current
                    .as_ref()
                    .unwrap_or_else(|| panic!("continuation without a message: {line}"));
                let v = out.get_mut(key).unwrap();
                v.push('\n');
                v.push_str(line.trim());
                continue;
            }
            let (id, value) = line
                .split_once('=')
                .unwrap_or_else(|| panic!("not a message line: {line}"));
            let id = id.trim().to_string();
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "bad id {id}"
            );
            assert!(
                out.insert(id.clone(), value.trim().to_string()).is_none(),
                "duplicate id {id}"
            );
            current = Some(id);
        }
        out
    }

    /// The variables (`$name`) a message uses.
    pub fn variables(value: &str) -> BTreeSet<String> {
        let mut vars = BTreeSet::new();
        let mut rest = value;
        while let Some(i) = rest.find('$') {
            rest = &rest[i + 1..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            vars.insert(name);
        }
        vars
    }

    /// The three validation catalogues, read once: (language, messages).
    pub fn catalogues() -> &'static [(&'static str, Catalogue); 3] {
        static CATS: OnceLock<[(&'static str, Catalogue); 3]> = OnceLock::new();
        CATS.get_or_init(|| {
            ["nb", "nn", "en"].map(|lang| {
                let path = root().join(format!("src/i18n/validation.{lang}.ftl"));
                let src = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                (lang, parse_ftl(&src))
            })
        })
    }

    /// Asserts that `inv` can be shown: its key is in every catalogue, and the arguments it carries are
    /// exactly the variables the message uses.
    pub fn assert_catalogued(inv: &Invalid) {
        let given: BTreeSet<String> = inv.args.iter().map(|(n, _)| n.to_string()).collect();
        for (lang, cat) in catalogues() {
            let value = cat
                .get(inv.key)
                .unwrap_or_else(|| panic!("{} is not in validation.{lang}.ftl", inv.key));
            assert_eq!(
                variables(value),
                given,
                "validation.{lang}.ftl: {} uses other variables than the code gives",
                inv.key
            );
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::testutil::{catalogues, root, variables};
    use super::*;

    /// Keys the form engine uses for ordinary fields; no validator in this module produces them.
    const GENERIC_KEYS: &[&str] = &[
        "v-required",
        "v-required-file",
        "v-file-too-many",
        "v-file-total-count",
        "v-file-empty",
        "v-file-too-large",
        "v-file-total-size",
        "v-file-type",
        "v-file-infected",
        "v-file-scan-failed",
        "v-file-unreadable",
        "v-file-budget",
        "v-file-too-many-pixels",
        "v-file-active",
        "v-control-chars",
        "v-required-choice",
        "v-required-consent",
        "v-too-long",
        "v-too-short",
        "v-pattern",
        "v-number-format",
        "v-number-format-integer",
        "v-number-integer",
        "v-number-min",
        "v-number-max",
        "v-date-format",
        "v-date-not-real",
        "v-date-before",
        "v-date-after",
        "v-date-future",
        "v-date-past",
        "v-age-min",
        "v-age-max",
        "v-choice-unknown",
        "v-choices-min",
        "v-choices-max",
        "v-group-min",
        "v-group-max",
    ];

    #[test]
    fn invalid_builder() {
        let inv = Invalid::new("v-fnr-length").with("count", 10);
        assert_eq!(inv.key, "v-fnr-length");
        assert_eq!(inv.args, vec![("count", "10".to_string())]);
    }

    #[test]
    fn helpers() {
        assert_eq!(digits_only("12 3", |c| c == ' '), Ok(vec![1, 2, 3]));
        assert_eq!(digits_only("12a", |c| c == ' '), Err(()));
        assert_eq!(
            digits_only("١٢", |_| false),
            Err(()),
            "only ASCII digits count"
        );
        assert_eq!(weighted_mod11(&[1, 2], &[3, 4]), 0);
        assert_eq!(weighted_mod11(&[1, 2, 9], &[3, 4]), 0);
    }

    #[test]
    fn catalogues_have_identical_non_empty_key_sets() {
        let cats = catalogues();
        let (_, nb) = &cats[0];
        assert!(nb.len() >= GENERIC_KEYS.len());
        for (lang, cat) in cats {
            let a: Vec<&String> = nb.keys().collect();
            let b: Vec<&String> = cat.keys().collect();
            assert_eq!(
                a, b,
                "validation.{lang}.ftl has another key set than validation.nb.ftl"
            );
            for (key, value) in cat {
                assert!(
                    !value.trim().is_empty(),
                    "validation.{lang}.ftl: {key} is empty"
                );
                assert!(
                    key.starts_with("v-"),
                    "validation.{lang}.ftl: {key} lacks the v- prefix"
                );
                // The same variables in every language, so the engine can pass one set of arguments.
                assert_eq!(
                    variables(value),
                    variables(&nb[key]),
                    "validation.{lang}.ftl: {key} uses other variables than nb"
                );
                // Light syntax checks: balanced placeables, and a default variant in every selector.
                let open = value.matches('{').count();
                assert_eq!(open, value.matches('}').count(), "{lang}: {key} braces");
                assert_eq!(
                    value.matches("->").count(),
                    value.matches("*[").count(),
                    "{lang}: {key} needs one default variant per selector"
                );
            }
        }
        for key in GENERIC_KEYS {
            assert!(nb.contains_key(*key), "generic key {key} is missing");
        }
    }

    /// Every key the validators construct exists in the catalogue, and every catalogue key is either
    /// constructed here or one of the generic keys for the form engine (no stale messages).
    #[test]
    fn every_key_used_exists_and_every_key_is_used() {
        let (_, nb) = &catalogues()[0];
        let dir = root().join("src/forms/validate");
        let pattern = "Invalid::new(\"";
        let mut used = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            for (i, _) in src.match_indices(pattern) {
                let rest = &src[i + pattern.len()..];
                let key = &rest[..rest.find('"').unwrap()];
                assert!(
                    nb.contains_key(key),
                    "{}: key {key} is not in validation.nb.ftl",
                    path.display()
                );
                used.insert(key.to_string());
            }
        }
        assert!(used.len() > 20, "found only {} keys", used.len());
        for key in nb.keys() {
            assert!(
                used.contains(key) || GENERIC_KEYS.contains(&key.as_str()),
                "validation.nb.ftl: {key} is neither used by a validator nor a generic key"
            );
        }
    }
}
