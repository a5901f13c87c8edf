//! Typed identifiers, parsed at the boundary so that a malformed id never reaches a handler or the store.

use std::fmt;

/// Why a string is not a valid identifier.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {0} characters")]
    TooLong(usize),
    #[error("may only contain lowercase letters a–z, digits and '-', and must start with a letter")]
    BadChar,
}

/// Slugs: `[a-z][a-z0-9-]*`, bounded length. Used for tenant and form ids.
fn check_slug(s: &str, max: usize) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    if s.len() > max {
        return Err(IdError::TooLong(max));
    }
    let mut chars = s.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if !first_ok || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(IdError::BadChar);
    }
    Ok(())
}

macro_rules! slug_id {
    ($name:ident, $max:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, IdError> {
                check_slug(s, $max)?;
                Ok(Self(s.to_owned()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

slug_id!(TenantId, 32, "A tenant (municipality), e.g. `eksempel`.");
slug_id!(
    FormId,
    64,
    "A form, e.g. `barnehage-soknad`; also its stable URL `/skjema/<id>`."
);

/// A session id: 32 random bytes, base64url without padding (43 characters).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    pub const LEN: usize = 43;

    pub fn parse(s: &str) -> Option<Self> {
        let ok = s.len() == Self::LEN
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Self(s.to_owned()))
    }

    /// A fresh random id from the operating system's generator.
    pub fn generate() -> Result<Self, getrandom::Error> {
        use base64::Engine;
        let mut buf = [0u8; 32];
        getrandom::fill(&mut buf)?;
        Ok(Self(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionId {
    // Never log a whole session id: it is a bearer secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({}…)", self.0.get(..6).unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for (input, ok) in [
            ("eksempel", true),
            ("a-1", true),
            ("", false),
            ("1abc", false),
            ("Abc", false),
            ("a/b", false),
            ("a..b", false),
            ("søknad", false),
        ] {
            assert_eq!(TenantId::parse(input).is_ok(), ok, "{input}");
        }
        assert_eq!(TenantId::parse(&"a".repeat(33)), Err(IdError::TooLong(32)));
    }

    #[test]
    fn session_ids() {
        let id = SessionId::generate().unwrap();
        assert_eq!(id.as_str().len(), SessionId::LEN);
        assert!(SessionId::parse(id.as_str()).is_some());
        assert!(SessionId::parse("short").is_none());
        assert!(SessionId::parse(&"=".repeat(43)).is_none());
    }
}
