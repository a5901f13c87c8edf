//! Norwegian bank account numbers (kontonummer): eleven digits, written `XXXX.XX.XXXXX` (bank
//! registration number, account group, account number, check digit). The last digit is a mod-11 check
//! digit with the weights 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 (remainder 0 gives check digit 0; account numbers
//! whose check digit would be 10 are never issued).
//!
//! Spaces, dots and hyphens are ignored. A valid checksum does not mean that the account exists, and the
//! bank registration number is not checked against any register. IBAN (`NO` + 13 digits) and the legacy
//! 7-digit postgiro numbers are not accepted.

use super::{Invalid, Mod11Keys, mod11_number};

const WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// Accepts 11 digits; spaces and dots (and hyphens) are ignored. Returns the 11 digits.
pub fn check(input: &str) -> Result<String, Invalid> {
    check_strict(input, |c| c.is_whitespace() || c == '.' || c == '-')
}

/// The check itself, after skipping the characters `skip` accepts.
fn check_strict(input: &str, skip: impl Fn(char) -> bool) -> Result<String, Invalid> {
    let keys = Mod11Keys {
        digits: "v-kontonr-digits",
        length: "v-kontonr-length",
        checksum: "v-kontonr-checksum",
    };
    mod11_number::<11>(input, skip, &WEIGHTS, &keys)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::super::testutil::{assert_catalogued, read_csv};
    use super::*;

    #[test]
    fn every_vector_gives_its_expected_result() {
        let rows = read_csv("no-kontonummer.csv");
        assert!(rows.len() >= 14, "only {} rows", rows.len());
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
                        "v-kontonr-checksum"
                    } else if value.chars().all(|c| c.is_ascii_digit()) {
                        "v-kontonr-length"
                    } else {
                        "v-kontonr-digits"
                    };
                    assert!(reason.starts_with("checksum") || reason.starts_with("format"));
                    assert_eq!(inv.key, expected, "{value}");
                }
            }
            // The public check normalises first: a formatted row ("normalise first") is valid once its
            // separators are gone; every other row gives the CSV's verdict unchanged.
            let public = check(value);
            if row["note"].contains("normalise") {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                assert_eq!(public, Ok(digits), "{value}");
            } else {
                assert_eq!(public, strict, "{value}");
            }
        }
    }

    #[test]
    fn messages_and_formatting() {
        for input in [
            "8601.11.17947",
            "8601 11 17947",
            " 86011117947 ",
            "8601-11-17947",
        ] {
            assert_eq!(check(input), Ok("86011117947".to_string()), "{input}");
        }
        let cases: &[(&str, Invalid)] = &[
            ("", Invalid::new("v-kontonr-length").with("count", 0)),
            (
                "8601.11.1794",
                Invalid::new("v-kontonr-length").with("count", 10),
            ),
            ("NO93 8601 1117 947", Invalid::new("v-kontonr-digits")),
            ("8601,11,17947", Invalid::new("v-kontonr-digits")),
            ("86011117949", Invalid::new("v-kontonr-checksum")),
            ("12345600050", Invalid::new("v-kontonr-checksum")),
        ];
        for (input, expected) in cases {
            let got = check(input).unwrap_err();
            assert_eq!(&got, expected, "{input:?}");
            assert_catalogued(&got);
        }
    }
}
