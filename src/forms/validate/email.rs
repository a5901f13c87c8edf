//! E-mail addresses: a practical syntax check, not a full RFC 5322 parser, and no DNS lookup.
//!
//! Accepted: `local@domain` with exactly one `@`, surrounding spaces trimmed, at most 254 characters.
//! - The local part has 1–64 characters: letters and digits (Unicode letters too, for internationalised
//!   addresses), and ``! # $ % & ' * + / = ? ^ _ ` { | } ~ - .``; dots not first, not last and not two in
//!   a row. Quoted local parts (`"john doe"@…`) are refused: practically nobody has one.
//! - The domain has at least two labels separated by dots. A label has 1–63 letters (Unicode letters
//!   allowed, e.g. `blåbær.no`), digits and hyphens, and does not begin or end with a hyphen. The last
//!   label (the top-level domain) has at least 2 characters and only letters, or is a punycode label
//!   (`xn--…`). IP-address literals (`[192.0.2.1]`) are refused.
//!
//! Lengths are counted in characters, not bytes. The address is returned trimmed, otherwise as typed.

use super::Invalid;

const MAX_TOTAL: usize = 254;
const MAX_LOCAL: usize = 64;
const MAX_LABEL: usize = 63;

/// Checks an e-mail address and returns it without surrounding spaces.
pub fn check(input: &str) -> Result<String, Invalid> {
    let address = input.trim();
    if address.is_empty() {
        return Err(Invalid::new("v-email-format"));
    }
    if address.chars().any(char::is_whitespace) {
        return Err(Invalid::new("v-email-spaces"));
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Err(Invalid::new("v-email-missing-at"));
    };
    if domain.contains('@') {
        return Err(Invalid::new("v-email-many-at"));
    }
    if address.chars().count() > MAX_TOTAL {
        return Err(Invalid::new("v-email-too-long"));
    }
    check_local(local)?;
    check_domain(domain)?;
    Ok(address.to_string())
}

fn check_local(local: &str) -> Result<(), Invalid> {
    if local.is_empty() {
        return Err(Invalid::new("v-email-local-missing"));
    }
    if local.chars().count() > MAX_LOCAL {
        return Err(Invalid::new("v-email-local-too-long"));
    }
    let allowed = |c: char| c.is_alphanumeric() || c == '.' || "!#$%&'*+/=?^_`{|}~-".contains(c);
    if !local.chars().all(allowed) {
        return Err(Invalid::new("v-email-local-characters"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(Invalid::new("v-email-local-dots"));
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), Invalid> {
    let allowed = |c: char| c.is_alphanumeric() || c == '-' || c == '.';
    if !domain.chars().all(allowed) {
        return Err(Invalid::new("v-email-domain-characters"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty() && l.chars().count() <= MAX_LABEL && !l.starts_with('-') && !l.ends_with('-')
    };
    let tld_ok = labels.last().is_some_and(|tld| {
        let tld = tld.to_lowercase();
        match tld.strip_prefix("xn--") {
            Some(puny) => {
                !puny.is_empty() && puny.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            }
            None => tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic),
        }
    });
    if labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
        return Err(Invalid::new("v-email-domain"));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::super::testutil::assert_catalogued;
    use super::*;

    #[test]
    fn good() {
        for (input, out) in [
            ("ola@eksempel.no", "ola@eksempel.no"),
            ("  ola@eksempel.no \n", "ola@eksempel.no"),
            ("Ola.Nordmann@Eksempel.NO", "Ola.Nordmann@Eksempel.NO"),
            ("kari+skjema@post.kommune.no", "kari+skjema@post.kommune.no"),
            ("o'brien@example.co.uk", "o'brien@example.co.uk"),
            ("a@b.no", "a@b.no"),
            (
                "x_y-z@sub-domain.example.com",
                "x_y-z@sub-domain.example.com",
            ),
            ("1234@567.no", "1234@567.no"),
            ("post@blåbær.no", "post@blåbær.no"),
            ("ørjan@eksempel.no", "ørjan@eksempel.no"),
            ("user@xn--blbr-roaf.no", "user@xn--blbr-roaf.no"),
            ("user@example.xn--p1ai", "user@example.xn--p1ai"),
            ("user@пример.рф", "user@пример.рф"),
            (
                "!#$%&'*+/=?^_`{|}~-@example.org",
                "!#$%&'*+/=?^_`{|}~-@example.org",
            ),
        ] {
            assert_eq!(check(input), Ok(out.to_string()), "{input:?}");
        }
        let local64 = "a".repeat(64);
        assert!(check(&format!("{local64}@eksempel.no")).is_ok());
        let label63 = "b".repeat(63);
        assert!(check(&format!("ola@{label63}.no")).is_ok());
        // 254 characters in all is allowed.
        let domain = format!(
            "{}.{}.{}.no",
            "c".repeat(63),
            "d".repeat(63),
            "e".repeat(58)
        );
        let address = format!("{local64}@{domain}");
        assert_eq!(address.chars().count(), 254);
        assert!(check(&address).is_ok());
    }

    #[test]
    fn bad() {
        let long_local = format!("{}@eksempel.no", "a".repeat(65));
        let long_label = format!("ola@{}.no", "b".repeat(64));
        let too_long = format!(
            "{}@{}.{}.{}.no",
            "a".repeat(64),
            "c".repeat(63),
            "d".repeat(63),
            "e".repeat(59)
        );
        let cases: Vec<(&str, &str)> = vec![
            ("", "v-email-format"),
            ("   ", "v-email-format"),
            ("ola nordmann@eksempel.no", "v-email-spaces"),
            ("ola@eksempel .no", "v-email-spaces"),
            ("ola.eksempel.no", "v-email-missing-at"),
            ("ola", "v-email-missing-at"),
            ("ola@@eksempel.no", "v-email-many-at"),
            ("ola@kari@eksempel.no", "v-email-many-at"),
            (&too_long, "v-email-too-long"),
            ("@eksempel.no", "v-email-local-missing"),
            (&long_local, "v-email-local-too-long"),
            ("ola,nordmann@eksempel.no", "v-email-local-characters"),
            ("\"ola\"@eksempel.no", "v-email-local-characters"),
            ("ola<x>@eksempel.no", "v-email-local-characters"),
            (".ola@eksempel.no", "v-email-local-dots"),
            ("ola.@eksempel.no", "v-email-local-dots"),
            ("ola..n@eksempel.no", "v-email-local-dots"),
            ("ola@", "v-email-domain"),
            ("ola@eksempel", "v-email-domain"),
            ("ola@eksempel.", "v-email-domain"),
            ("ola@.eksempel.no", "v-email-domain"),
            ("ola@eksempel..no", "v-email-domain"),
            ("ola@eksempel.n", "v-email-domain"),
            ("ola@eksempel.n0", "v-email-domain"),
            ("ola@eksempel.123", "v-email-domain"),
            ("ola@-eksempel.no", "v-email-domain"),
            ("ola@eksempel-.no", "v-email-domain"),
            ("ola@eksempel.xn--", "v-email-domain"),
            (&long_label, "v-email-domain"),
            ("ola@eksempel,no", "v-email-domain-characters"),
            ("ola@eks_empel.no", "v-email-domain-characters"),
            ("ola@[192.0.2.1]", "v-email-domain-characters"),
        ];
        for (input, key) in cases {
            let got = check(input).unwrap_err();
            assert_eq!(got, Invalid::new(key), "{input:?}");
            assert_catalogued(&got);
        }
    }
}
