//! Norwegian person identifiers (fødselsnummer and its relatives): fødselsnummer, D-nummer, H-nummer and
//! Skatteetaten's synthetic test numbers (Tenor / Test-Norge, month + 80).
//!
//! This module owns the whole check of an 11-digit person number `DDMMYY III K1 K2`:
//! - the format (11 digits; spaces, hyphens and dots are ignored);
//! - the date: day + 40 marks a D-nummer, month + 40 an H-nummer, month + 80 a synthetic number (which
//!   may be combined with day + 40); the date must exist;
//! - the century, from the individnummer `III` and the year `YY` (combinations that no rule assigns to a
//!   century are invalid);
//! - a birth date in the future (relative to the `today` the caller passes) is invalid;
//! - both check digits. K1 follows the **2032 rule**: the weighted sum may leave remainder 0, 1, 2 or 3,
//!   which accepts every number valid under the old rule (remainder 0) and the numbers Skatteetaten issues
//!   from 2032. K2 is unchanged.
//!
//! Decisions:
//! - An H-nummer (month + 40) is accepted and reported as [`Kind::HNummer`]. A number with both day + 40
//!   and month + 40 is reported as an H-nummer too: month + 40 means it is not a Folkeregister identity
//!   (or is a NAV Dolly test number), which matters more to a caller than the D-nummer day.
//! - Synthetic numbers (month + 80) are accepted and flagged with [`Person::synthetic`]; a production
//!   deployment can refuse them. Month + 40 is never flagged synthetic: in production it is an H-nummer.
//! - Gender is not derived: numbers issued from 2032 are gender-neutral.
//! - FH-numbers (first digit 8 or 9, no date) are not accepted: they fail the date check.
//!
//! When several things are wrong, the message names the first of: characters, length, impossible day or
//! month, undefined century, impossible date (e.g. 29 February in a non-leap year), future date, check
//! digits. A typing error in the date part usually also breaks the check digits; naming the date points
//! the citizen to where the mistake is.

use time::{Date, Month};

use super::{Invalid, digits_only};

/// What kind of person number it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An ordinary fødselsnummer.
    Fodselsnummer,
    /// A D-nummer (day + 40), given to people who are not, or not yet, registered as residents.
    DNummer,
    /// An H-nummer (hjelpenummer, month + 40): an internal help number, not a Folkeregister identity.
    HNummer,
}

/// What a valid person number tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub kind: Kind,
    /// A Skatteetaten synthetic test number (month + 80): never a real person.
    pub synthetic: bool,
    pub birth_date: Date,
}

const K1_WEIGHTS: [u32; 10] = [3, 7, 6, 1, 8, 9, 4, 5, 2, 1];
const K2_WEIGHTS: [u32; 11] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1];

/// Remainders that the K1 sum may leave under the 2032 rule (the legacy rule allows only 0).
const K1_REMAINDERS_2032: [u32; 4] = [0, 1, 2, 3];

/// Accepts 11 digits, spaces allowed anywhere (stripped). `today` is for "born in the future" (invalid).
///
/// Hyphens and dots are ignored like spaces (e.g. `130972-48022`).
pub fn check(input: &str, today: Date) -> Result<Person, Invalid> {
    let digits = digits_only(input, is_separator).map_err(|()| Invalid::new("v-fnr-digits"))?;
    let count = digits.len();
    let digits: [u8; 11] = digits
        .try_into()
        .map_err(|_| Invalid::new("v-fnr-length").with("count", count))?;
    let [d1, d2, m1, m2, y1, y2, i1, i2, i3, _, _] = digits;

    let (day, d_number) = match d1 * 10 + d2 {
        day @ 1..=31 => (day, false),
        day @ 41..=71 => (day - 40, true),
        _ => return Err(Invalid::new("v-fnr-date")),
    };
    let (month, h_number, synthetic) = match m1 * 10 + m2 {
        month @ 1..=12 => (month, false, false),
        month @ 41..=52 => (month - 40, true, false),
        month @ 81..=92 => (month - 80, false, true),
        _ => return Err(Invalid::new("v-fnr-date")),
    };
    let yy = i32::from(y1 * 10 + y2);
    let individnummer = u16::from(i1) * 100 + u16::from(i2) * 10 + u16::from(i3);
    let century = century(individnummer, yy).ok_or_else(|| Invalid::new("v-fnr-century"))?;

    let month = Month::try_from(month).map_err(|_| Invalid::new("v-fnr-date"))?;
    let birth_date = Date::from_calendar_date(century + yy, month, day)
        .map_err(|_| Invalid::new("v-fnr-date"))?;
    if birth_date > today {
        return Err(Invalid::new("v-fnr-future"));
    }
    if !checksums_ok(&digits) {
        return Err(Invalid::new("v-fnr-checksum"));
    }

    let kind = if h_number {
        Kind::HNummer
    } else if d_number {
        Kind::DNummer
    } else {
        Kind::Fodselsnummer
    };
    Ok(Person {
        kind,
        synthetic,
        birth_date,
    })
}

/// The birth date of a valid person number (see [`check`]), or `None` if the number is not valid.
pub fn birth_date(input: &str, today: Date) -> Option<Date> {
    check(input, today).ok().map(|p| p.birth_date)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '-' || c == '.'
}

/// The first year of the century a person was born in, from the individnummer and the two-digit year.
fn century(individnummer: u16, yy: i32) -> Option<i32> {
    match (individnummer, yy) {
        (0..=499, _) => Some(1900),
        (500..=749, 54..=99) => Some(1800),
        (500..=999, 0..=39) => Some(2000),
        (900..=999, 40..=99) => Some(1900),
        _ => None,
    }
}

/// The remainders of the two weighted sums: (K1 sum over digits 1–10, K2 sum over digits 1–11).
fn remainders(digits: &[u8; 11]) -> (u32, u32) {
    (
        super::weighted_mod11(digits, &K1_WEIGHTS),
        super::weighted_mod11(digits, &K2_WEIGHTS),
    )
}

/// Both check digits, K1 under the 2032 rule.
fn checksums_ok(digits: &[u8; 11]) -> bool {
    let (r1, r2) = remainders(digits);
    K1_REMAINDERS_2032.contains(&r1) && r2 == 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use time::macros::date;

    use super::super::testutil::{assert_catalogued, read_csv};
    use super::*;

    const TODAY: Date = date!(2026 - 01 - 01);

    fn parse_date(s: &str) -> Date {
        let mut parts = s.split('-').map(|p| p.parse::<i32>().unwrap());
        let (y, m, d) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        Date::from_calendar_date(
            y,
            Month::try_from(u8::try_from(m).unwrap()).unwrap(),
            u8::try_from(d).unwrap(),
        )
        .unwrap()
    }

    /// The failed-check code of the CSV that a message key stands for.
    fn code(key: &str) -> &'static str {
        match key {
            "v-fnr-length" | "v-fnr-digits" => "format",
            "v-fnr-date" => "date",
            "v-fnr-century" => "century",
            "v-fnr-future" => "future",
            "v-fnr-checksum" => "K", // K1 or K2
            other => panic!("unexpected key {other}"),
        }
    }

    #[test]
    fn every_vector_gives_its_expected_result() {
        let rows = read_csv("no-personidentifikator.csv");
        assert!(rows.len() >= 60, "only {} rows", rows.len());
        let (mut valid, mut invalid) = (0, 0);
        for row in &rows {
            let value = &row["value"];
            let expected = &row["valid_2032_rule"] == "true";
            let result = check(value, TODAY);
            match result {
                Ok(person) => {
                    assert!(
                        expected,
                        "{value} accepted, expected invalid ({})",
                        row["note"]
                    );
                    valid += 1;
                    let ty = row["type"].as_str();
                    let kind = match ty {
                        "fnr" | "tnr" => Kind::Fodselsnummer,
                        "dnr" | "dnr+tnr" => Kind::DNummer,
                        "hnr" | "dnr+hnr" => Kind::HNummer,
                        other => panic!("{value}: unknown type {other}"),
                    };
                    assert_eq!(person.kind, kind, "{value} ({ty})");
                    assert_eq!(person.synthetic, ty.contains("tnr"), "{value} ({ty})");
                    assert_eq!(person.birth_date, parse_date(&row["birth_date"]), "{value}");
                    assert_eq!(birth_date(value, TODAY), Some(person.birth_date));
                }
                Err(inv) => {
                    assert!(
                        !expected,
                        "{value} rejected with {inv:?}, expected valid ({})",
                        row["note"]
                    );
                    invalid += 1;
                    assert_catalogued(&inv);
                    let failed = &row["failed_checks_2032"];
                    assert!(
                        failed.split(';').any(|f| f.starts_with(code(inv.key))),
                        "{value}: {} does not match the CSV's failed checks {failed}",
                        inv.key
                    );
                    assert_eq!(birth_date(value, TODAY), None);
                }
            }
        }
        assert!(
            valid >= 40 && invalid >= 20,
            "{valid} valid, {invalid} invalid"
        );
    }

    /// The legacy K1 rule (remainder 0) is the subset the CSV's `valid_legacy` column describes; this pins
    /// down that the remainders are computed the way the reference defines them.
    #[test]
    fn legacy_k1_column_agrees_with_remainder_zero() {
        for row in read_csv("no-personidentifikator.csv") {
            let Ok(digits) = digits_only(&row["value"], |_| false) else {
                continue;
            };
            let Ok(digits) = <[u8; 11]>::try_from(digits) else {
                continue;
            };
            let (r1, r2) = remainders(&digits);
            let legacy = &row["failed_checks_legacy"];
            let now = &row["failed_checks_2032"];
            assert_eq!(
                r1 != 0,
                legacy.split(';').any(|f| f == "K1"),
                "{}",
                row["value"]
            );
            assert_eq!(
                !K1_REMAINDERS_2032.contains(&r1),
                now.split(';').any(|f| f == "K1"),
                "{}",
                row["value"]
            );
            assert_eq!(
                r2 != 0,
                now.split(';').any(|f| f == "K2"),
                "{}",
                row["value"]
            );
        }
    }

    #[test]
    fn formatting_is_ignored() {
        for input in [
            "13097248022",
            " 13097248022 ",
            "130972 48022",
            "130972-48022",
            "13.09.72 480 22",
            "1 3 0 9 7 2 4 8 0 2 2",
            "130972\u{a0}48022",
        ] {
            let p = check(input, TODAY).unwrap();
            assert_eq!(p.birth_date, date!(1972 - 09 - 13), "{input}");
            assert_eq!(p.kind, Kind::Fodselsnummer);
            assert!(!p.synthetic);
        }
    }

    #[test]
    fn messages() {
        let cases: &[(&str, Invalid)] = &[
            ("", Invalid::new("v-fnr-length").with("count", 0)),
            ("1309724802", Invalid::new("v-fnr-length").with("count", 10)),
            (
                "130972 480222",
                Invalid::new("v-fnr-length").with("count", 12),
            ),
            ("1309724802O", Invalid::new("v-fnr-digits")),
            ("13/09/72 48022", Invalid::new("v-fnr-digits")),
            ("+13097248022", Invalid::new("v-fnr-digits")),
            ("13097248023", Invalid::new("v-fnr-checksum")),
            ("40097248022", Invalid::new("v-fnr-date")),
            ("02013299997", Invalid::new("v-fnr-future")),
            ("01816075080", Invalid::new("v-fnr-century")),
        ];
        for (input, expected) in cases {
            let got = check(input, TODAY).unwrap_err();
            assert_eq!(&got, expected, "{input:?}");
            assert_catalogued(&got);
        }
    }

    #[test]
    fn future_is_relative_to_today() {
        // Born 2032-01-02 (valid under the 2032 rule): in the future now, valid from that day on.
        assert_eq!(
            check("02013299997", date!(2032 - 01 - 01)).unwrap_err().key,
            "v-fnr-future"
        );
        let p = check("02013299997", date!(2032 - 01 - 02)).unwrap();
        assert_eq!(p.birth_date, date!(2032 - 01 - 02));
    }

    #[test]
    fn century_table() {
        assert_eq!(century(0, 99), Some(1900));
        assert_eq!(century(499, 0), Some(1900));
        assert_eq!(century(500, 54), Some(1800));
        assert_eq!(century(749, 99), Some(1800));
        assert_eq!(century(500, 53), None);
        assert_eq!(century(500, 39), Some(2000));
        assert_eq!(century(999, 0), Some(2000));
        assert_eq!(century(750, 40), None);
        assert_eq!(century(899, 99), None);
        assert_eq!(century(900, 40), Some(1900));
        assert_eq!(century(999, 99), Some(1900));
    }
}
