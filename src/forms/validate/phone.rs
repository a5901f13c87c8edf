//! Phone numbers: Norwegian numbers and international numbers in E.164 form, normalised to E.164
//! (`+4741234567`).
//!
//! Accepted:
//! - a Norwegian number: 8 digits, the first 2–9, optionally preceded by `+47` or `0047`;
//! - an international number: `+` (or the international prefix `00`) followed by 8–15 digits in all,
//!   country code included, the country code not starting with 0 (E.164 allows at most 15 digits).
//!
//! Spaces and hyphens anywhere are ignored. Anything else (letters, brackets, dots, a `+` that is not
//! first) is refused rather than guessed at: `+44 (0)20 …` would otherwise silently become a wrong
//! number. Whether the number is in use is not checked, and neither are the number plans of other
//! countries.

use super::Invalid;

/// Checks a phone number and returns it in E.164 form (`"+4741234567"`).
pub fn check(input: &str) -> Result<String, Invalid> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let (plus, rest) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    if rest.is_empty() {
        return Err(Invalid::new("v-phone-format"));
    }
    if !rest.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::new("v-phone-characters"));
    }
    let international = if plus {
        Some(rest)
    } else {
        rest.strip_prefix("00")
    };
    let Some(international) = international else {
        return norwegian(rest);
    };
    if let Some(national) = international.strip_prefix("47") {
        return norwegian(national);
    }
    if international.starts_with('0') {
        return Err(Invalid::new("v-phone-country"));
    }
    if !(8..=15).contains(&international.len()) {
        return Err(Invalid::new("v-phone-international-length"));
    }
    Ok(format!("+{international}"))
}

/// A Norwegian number without country code: 8 digits, the first 2–9.
fn norwegian(national: &str) -> Result<String, Invalid> {
    let first_ok = national
        .bytes()
        .next()
        .is_some_and(|b| (b'2'..=b'9').contains(&b));
    if national.len() == 8 && first_ok {
        Ok(format!("+47{national}"))
    } else {
        Err(Invalid::new("v-phone-format"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::super::testutil::assert_catalogued;
    use super::*;

    #[test]
    fn good() {
        for (input, e164) in [
            ("41234567", "+4741234567"),
            ("412 34 567", "+4741234567"),
            ("41 23 45 67", "+4741234567"),
            ("412-34-567", "+4741234567"),
            (" 41234567 ", "+4741234567"),
            ("+4741234567", "+4741234567"),
            ("+47 412 34 567", "+4741234567"),
            ("0047 41234567", "+4741234567"),
            ("004741234567", "+4741234567"),
            ("22 33 44 55", "+4722334455"),
            ("99999999", "+4799999999"),
            ("+47 79 02 12 34", "+4779021234"),
            ("+46 70 123 45 67", "+46701234567"),
            ("0046 70 123 45 67", "+46701234567"),
            ("+44 20 7946 0958", "+442079460958"),
            ("+1 202-555-0123", "+12025550123"),
            ("+354 5512345", "+3545512345"),
            ("+298 123456", "+298123456"),
            ("+12345678", "+12345678"),
            ("+123456789012345", "+123456789012345"),
        ] {
            assert_eq!(check(input), Ok(e164.to_string()), "{input:?}");
        }
    }

    #[test]
    fn bad() {
        for (input, key) in [
            ("", "v-phone-format"),
            ("   ", "v-phone-format"),
            ("+", "v-phone-format"),
            ("4123456", "v-phone-format"),
            ("412345678", "v-phone-format"),
            ("01234567", "v-phone-format"),
            ("12345678", "v-phone-format"),
            ("041234567", "v-phone-format"),
            ("+47 4123456", "v-phone-format"),
            ("+47 412345678", "v-phone-format"),
            ("+47 01234567", "v-phone-format"),
            ("0047 1234 5678", "v-phone-format"),
            ("47 41234567", "v-phone-format"),
            ("4123456a", "v-phone-characters"),
            ("tlf 41234567", "v-phone-characters"),
            ("(+47) 41234567", "v-phone-characters"),
            ("+44 (0)20 7946 0958", "v-phone-characters"),
            ("412.34.567", "v-phone-characters"),
            ("41+234567", "v-phone-characters"),
            ("++4741234567", "v-phone-characters"),
            ("+0441234567", "v-phone-country"),
            ("000441234567", "v-phone-country"),
            ("+46 123", "v-phone-international-length"),
            ("+1234567", "v-phone-international-length"),
            ("+1234567890123456", "v-phone-international-length"),
            ("0046 12", "v-phone-international-length"),
        ] {
            let got = check(input).unwrap_err();
            assert_eq!(got, Invalid::new(key), "{input:?}");
            assert_catalogued(&got);
        }
    }
}
