//! Passwords: the policy a new password must meet, and hashing with argon2id (the RustCrypto `argon2`
//! crate). Pure: no IO. Hashing is slow on purpose; callers run it on a blocking thread.
//!
//! Parameters (OWASP's first recommended set for argon2id): 19 MiB of memory, 2 passes, 1 lane, a
//! 16-byte random salt, a 32-byte tag, stored as a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`), so a
//! later change of parameters still verifies old hashes (and rehashes them at the next login).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Memory in KiB, passes, lanes.
pub const M_COST_KIB: u32 = 19 * 1024;
pub const T_COST: u32 = 2;
pub const P_COST: u32 = 1;

/// The longest password accepted (characters): a passphrase fits; a megabyte does not reach argon2.
pub const MAX_LENGTH: usize = 256;

/// Common passwords (11 611 of at least eight characters, from the frequency list zxcvbn publishes
/// under the MIT licence; data/README.md), one per line, lower case.
static COMMON: &str = include_str!("../../data/common-passwords.txt");

/// Why a new password is refused (the catalogue key says it to the citizen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weak {
    TooShort {
        min: usize,
    },
    TooLong,
    Common,
    /// It contains the e-mail address's name part or the municipality's name.
    Personal,
}

impl Weak {
    pub fn key(self) -> &'static str {
        match self {
            Weak::TooShort { .. } => "password-too-short",
            Weak::TooLong => "password-too-long",
            Weak::Common => "password-common",
            Weak::Personal => "password-personal",
        }
    }
}

/// Checks a new password: length in characters, the common list (also with digits or a `!` stripped
/// from its end, "sommer2026!" as "sommer"), and words the citizen or the site is known by.
pub fn check_new(password: &str, min: usize, personal: &[&str]) -> Result<(), Weak> {
    let chars = password.chars().count();
    if chars < min {
        return Err(Weak::TooShort { min });
    }
    if chars > MAX_LENGTH {
        return Err(Weak::TooLong);
    }
    let lower = password.to_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c == '!' || c == '.');
    // Digits alone are a PIN, however many.
    if stem.is_empty() || is_common(&lower) || (stem.chars().count() >= 4 && is_common(stem)) {
        return Err(Weak::Common);
    }
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    if distinct.len() <= 2 {
        return Err(Weak::Common);
    }
    for word in personal {
        let w = word.to_lowercase();
        if w.chars().count() >= 4 && lower.contains(&w) {
            return Err(Weak::Personal);
        }
    }
    Ok(())
}

fn is_common(lower: &str) -> bool {
    COMMON.lines().any(|l| l == lower)
}

fn hasher() -> Result<Argon2<'static>, String> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, Some(32)).map_err(|e| e.to_string())?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The PHC string for `password` with a new random salt.
pub fn hash(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the PHC string. A malformed stored hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let Ok(h) = hasher() else {
        return false;
    };
    h.verify_password(password.as_bytes(), &parsed).is_ok()
}

/// Spends the time of one verification on a hash no password matches: a login for an unknown e-mail
/// address takes as long as one with a wrong password.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(phc) = DUMMY.get_or_init(|| hash("no password matches this one").ok()) {
        let _ = verify(password, phc);
    }
}

/// Whether a stored hash was made with other parameters than today's (rehash at the next login).
pub fn outdated(phc: &str) -> bool {
    let want = format!("$argon2id$v=19$m={M_COST_KIB},t={T_COST},p={P_COST}$");
    !phc.starts_with(&want)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_documented_parameters_and_verify() {
        let h = hash("lang nok passfrase").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("lang nok passfrase", &h));
        assert!(!verify("lang nok passfrasE", &h));
        assert!(!verify("lang nok passfrase", "not a hash"));
        assert!(!outdated(&h));
        assert_ne!(
            h,
            hash("lang nok passfrase").unwrap(),
            "a new salt each time"
        );
    }

    #[test]
    fn the_policy_refuses_short_common_and_personal_passwords() {
        assert_eq!(check_new("kort", 12, &[]), Err(Weak::TooShort { min: 12 }));
        assert_eq!(check_new(&"x".repeat(300), 12, &[]), Err(Weak::TooLong));
        assert_eq!(check_new("password1234", 12, &[]), Err(Weak::Common));
        assert_eq!(check_new("Qwertyuiop12345", 12, &[]), Err(Weak::Common));
        assert_eq!(check_new("aaaaaaaaaaaaaa", 12, &[]), Err(Weak::Common));
        assert_eq!(check_new("123456789012", 12, &[]), Err(Weak::Common));
        assert_eq!(
            check_new("kari.nordmann-99", 12, &["kari.nordmann", "Eksempel"]),
            Err(Weak::Personal)
        );
        assert_eq!(
            check_new("eksempelkommune!", 12, &["kari", "Eksempel"]),
            Err(Weak::Personal)
        );
        assert!(check_new("blå hest på tur i fjellet", 12, &["kari"]).is_ok());
        // Length counts characters, not bytes.
        assert!(check_new("æøåæøåæøåæøæ", 12, &[]).is_ok());
    }
}
