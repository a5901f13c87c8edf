//! Norwegian organisasjonsnummer (Enhetsregisteret): nine digits, the last a mod-11 check digit with the
//! weights 3, 2, 7, 6, 5, 4, 3, 2 (remainder 0 gives check digit 0; a check digit of 10 is never issued).
//! Underenheter (bedriftsnummer) have the same format and are accepted too.
//!
//! The first digit is **not** checked. Real entities' numbers begin with 8 or 9 in practice, but the
//! project's reference notes that this is not a verified Brreg rule, and Brønnøysundregistrene's synthetic
//! test organisations (Tenor) begin with 2 or 3, e.g. 310211036. The checksum is the rule; the test vectors
//! expect those synthetic numbers to be valid.
//!
//! Spaces, hyphens and dots are ignored (`974 760 673`). The VAT form `NO 974 760 673 MVA` is not accepted:
//! a form asking for an organisasjonsnummer should get one.

use super::{Invalid, Mod11Keys, mod11_number};

const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

/// Accepts 9 digits; spaces (and hyphens and dots) are ignored. Returns the 9 digits.
pub fn check(input: &str) -> Result<String, Invalid> {
    check_strict(input, |c| c.is_whitespace() || c == '-' || c == '.')
}

/// The check itself, after skipping the characters `skip` accepts.
fn check_strict(input: &str, skip: impl Fn(char) -> bool) -> Result<String, Invalid> {
    let keys = Mod11Keys {
        digits: "v-orgnr-digits",
        length: "v-orgnr-length",
        checksum: "v-orgnr-checksum",
    };
    mod11_number::<9>(input, skip, &WEIGHTS, &keys)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::super::testutil::{assert_catalogued, read_csv};
    use super::*;

    #[test]
    fn every_vector_gives_its_expected_result() {
        let rows = read_csv("no-organisasjonsnummer.csv");
        assert!(rows.len() >= 25, "only {} rows", rows.len());
        for row in &rows {
            let value = row["value"].as_str();
            let valid = &row["valid"] == "true";
            let reason = row["reason"].as_str();
            // The CSV's verdict is that of a strict digits-only check.
            let strict = check_strict(value, |_| false);
            assert_eq!(
                strict.is_ok(),
                valid,
                "{value}: {strict:?} ({})",
                row["note"]
            );
            match &strict {
                Ok(digits) => assert_eq!(digits, value),
                Err(inv) => {
                    assert_catalogued(inv);
                    let expected = if reason.starts_with("checksum") {
                        "v-orgnr-checksum"
                    } else if value.chars().all(|c| c.is_ascii_digit()) {
                        "v-orgnr-length"
                    } else {
                        "v-orgnr-digits"
                    };
                    assert!(reason.starts_with("checksum") || reason.starts_with("format"));
                    assert_eq!(inv.key, expected, "{value}");
                }
            }
            // The public check normalises first: a formatted row ("normalise … before validating") is
            // valid once its separators are gone; every other row gives the CSV's verdict unchanged.
            let public = check(value);
            if row["note"].contains("normalise") {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                assert_eq!(public, Ok(digits), "{value}");
            } else {
                assert_eq!(public, strict, "{value}");
            }
            // First digit 8 or 9 is not a validity rule.
            if valid && &row["first_digit_8_or_9"] == "false" {
                assert!(public.is_ok());
            }
        }
    }

    #[test]
    fn messages_and_formatting() {
        assert_eq!(check(" 974 760 673 "), Ok("974760673".to_string()));
        assert_eq!(check("974-760-673"), Ok("974760673".to_string()));
        assert_eq!(check("974.760.673"), Ok("974760673".to_string()));
        assert_eq!(check("310211036"), Ok("310211036".to_string()));
        let cases: &[(&str, Invalid)] = &[
            ("", Invalid::new("v-orgnr-length").with("count", 0)),
            ("97476067", Invalid::new("v-orgnr-length").with("count", 8)),
            (
                "9747606733",
                Invalid::new("v-orgnr-length").with("count", 10),
            ),
            ("NO 974 760 673 MVA", Invalid::new("v-orgnr-digits")),
            ("974760674", Invalid::new("v-orgnr-checksum")),
            ("900000090", Invalid::new("v-orgnr-checksum")),
        ];
        for (input, expected) in cases {
            let got = check(input).unwrap_err();
            assert_eq!(&got, expected, "{input:?}");
            assert_catalogued(&got);
        }
    }
}
