//! Norwegian postal codes (postnummer): the format check, the lookup of the poststed (place name) in
//! Bring's postal code register, and the display form of a poststed.
//!
//! The register (`data/postnummerregister.tsv`, see `data/README.md`) is embedded in the binary and parsed
//! lazily, once, into a lookup table. Its rows are tab-separated: postnummer, poststed, kommunenummer,
//! kommunenavn, kategori.
//!
//! Categories (decision):
//! - `G` (street and place addresses), `P` (post office boxes) and `B` (both) are valid postal codes. A
//!   post box code is a valid postal address, so it is accepted even where a street address is asked for;
//!   telling those apart is the form's business, not the register's.
//! - `S` (service postal codes, e.g. 0018 OSLO) are "not used in postal addresses". [`check`] rejects them
//!   with their own message (`v-postnummer-service`), and [`poststed`] returns `None` for them, so that
//!   `poststed(p).is_some()` means exactly "usable in an address".

use std::collections::HashMap;
use std::sync::OnceLock;

use super::Invalid;

const SOURCE: &str = include_str!("../../../data/postnummerregister.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    poststed: &'static str,
    /// Service postal code (category `S`): not used in postal addresses.
    service: bool,
}

fn register() -> &'static HashMap<&'static str, Entry> {
    static REGISTER: OnceLock<HashMap<&'static str, Entry>> = OnceLock::new();
    REGISTER.get_or_init(|| parse(SOURCE))
}

/// Parses the register. Lines that do not have the expected shape are skipped (a test checks that none
/// is skipped in the shipped file).
fn parse(src: &'static str) -> HashMap<&'static str, Entry> {
    let mut map = HashMap::with_capacity(5200);
    for line in src.lines() {
        let mut fields = line.split('\t');
        let (Some(nr), Some(sted), Some(_kommunenr), Some(_kommune), Some(category)) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            continue;
        };
        let sted = sted.trim();
        if !is_four_digits(nr) || sted.is_empty() {
            continue;
        }
        let service = match category.trim() {
            "G" | "P" | "B" => false,
            "S" => true,
            _ => continue,
        };
        map.insert(
            nr,
            Entry {
                poststed: sted,
                service,
            },
        );
    }
    map
}

fn is_four_digits(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The poststed of a postal code as the register writes it (upper case): `"0150"` → `Some("OSLO")`.
/// Accepts only exactly 4 digits (no spaces). `None` for unknown codes and for service codes (category S).
pub fn poststed(postnummer: &str) -> Option<&'static str> {
    if !is_four_digits(postnummer) {
        return None;
    }
    register()
        .get(postnummer)
        .filter(|e| !e.service)
        .map(|e| e.poststed)
}

/// Checks a postal code typed by a citizen (surrounding spaces ignored) and returns its poststed.
///
/// Invalid if it is not 4 digits (`v-postnummer-format`), not in the register (`v-postnummer-unknown`), or
/// a service code not used in addresses (`v-postnummer-service`).
pub fn check(input: &str) -> Result<&'static str, Invalid> {
    let nr = input.trim();
    if !is_four_digits(nr) {
        return Err(Invalid::new("v-postnummer-format"));
    }
    match register().get(nr) {
        None => Err(Invalid::new("v-postnummer-unknown").with("postnummer", nr)),
        Some(e) if e.service => Err(Invalid::new("v-postnummer-service").with("postnummer", nr)),
        Some(e) => Ok(e.poststed),
    }
}

/// The display form of a poststed: `"BERGEN"` → `"Bergen"`, `"MO I RANA"` → `"Mo i Rana"`,
/// `"ÅLESUND"` → `"Ålesund"`, `"NY-ÅLESUND"` → `"Ny-Ålesund"`, `"KRISTIANSAND S"` → `"Kristiansand S"`.
///
/// Each word (and each part of a hyphenated word) gets a capital first letter; the small words *i*, *og*
/// and *på* are lower case except at the start; other one-letter words (the compass points in
/// `KRISTIANSAND S`, `KRISTIANSUND N`) stay capitals.
pub fn poststed_display(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        if i > 0 && matches!(lower.as_str(), "i" | "og" | "på") {
            out.push_str(&lower);
        } else if lower.chars().count() == 1 {
            out.push_str(&lower.to_uppercase());
        } else {
            for (j, part) in lower.split('-').enumerate() {
                if j > 0 {
                    out.push('-');
                }
                let mut chars = part.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::super::testutil::assert_catalogued;
    use super::*;

    #[test]
    fn whole_register_parses() {
        let lines = SOURCE.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(lines, 5122, "the shipped snapshot has 5,122 rows");
        assert_eq!(
            register().len(),
            lines,
            "a line of the register was skipped or duplicated"
        );
        assert_eq!(register().values().filter(|e| e.service).count(), 4);
    }

    #[test]
    fn lookups() {
        assert_eq!(poststed("0150"), Some("OSLO"));
        assert_eq!(check("0150"), Ok("OSLO"));
        assert_eq!(check(" 0150 "), Ok("OSLO"));
        assert_eq!(poststed("9170"), Some("LONGYEARBYEN"));
        assert_eq!(check("9170"), Ok("LONGYEARBYEN"));
        assert_eq!(poststed("5003"), Some("BERGEN"));
        assert_eq!(poststed("8601"), Some("MO I RANA"));
        // P (post boxes) and B (both) are valid postal codes.
        assert_eq!(poststed("0001"), Some("OSLO"));
        assert_eq!(check("0010"), Ok("OSLO"));
        // Only exactly four digits.
        assert_eq!(poststed(" 0150"), None);
        assert_eq!(poststed("150"), None);
        assert_eq!(poststed("01500"), None);
        assert_eq!(poststed("0000"), None);
        assert_eq!(poststed("０１５０"), None);
    }

    #[test]
    fn messages() {
        let cases: &[(&str, Invalid)] = &[
            (
                "0000",
                Invalid::new("v-postnummer-unknown").with("postnummer", "0000"),
            ),
            (
                "9999",
                Invalid::new("v-postnummer-unknown").with("postnummer", "9999"),
            ),
            ("12a4", Invalid::new("v-postnummer-format")),
            ("", Invalid::new("v-postnummer-format")),
            ("150", Invalid::new("v-postnummer-format")),
            ("01 50", Invalid::new("v-postnummer-format")),
            ("N-0150", Invalid::new("v-postnummer-format")),
            (
                "0018",
                Invalid::new("v-postnummer-service").with("postnummer", "0018"),
            ),
        ];
        for (input, expected) in cases {
            let got = check(input).unwrap_err();
            assert_eq!(&got, expected, "{input:?}");
            assert_catalogued(&got);
        }
        assert_eq!(
            poststed("0018"),
            None,
            "service codes are not address codes"
        );
    }

    #[test]
    fn display() {
        for (raw, shown) in [
            ("BERGEN", "Bergen"),
            ("MO I RANA", "Mo i Rana"),
            ("ÅLESUND", "Ålesund"),
            ("NY-ÅLESUND", "Ny-Ålesund"),
            ("ÅNA-SIRA", "Åna-Sira"),
            ("NES PÅ HEDMARKEN", "Nes på Hedmarken"),
            ("BØ I VESTERÅLEN", "Bø i Vesterålen"),
            ("KRISTIANSAND S", "Kristiansand S"),
            ("KRISTIANSUND N", "Kristiansund N"),
            ("JAN MAYEN", "Jan Mayen"),
            ("LONGYEARBYEN", "Longyearbyen"),
            ("STRAND OG SJØ", "Strand og Sjø"),
            ("I", "I"),
            ("", ""),
        ] {
            assert_eq!(poststed_display(raw), shown, "{raw}");
        }
    }

    /// Every poststed in the register survives display and back: nothing is lost but case.
    #[test]
    fn display_round_trips_the_register() {
        for e in register().values() {
            let shown = poststed_display(e.poststed);
            assert_eq!(shown.to_uppercase(), e.poststed, "{}", e.poststed);
            assert!(shown.chars().next().unwrap().is_uppercase(), "{shown}");
        }
    }
}
