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
    #[error("is not a valid identifier of this kind")]
    Malformed,
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

/// What every string id has besides its own `parse`: `as_str`, display, a short debug form, conversion
/// from and to `String` (serde reads ids through `parse`, so a stored id is checked like a typed one), and
/// lookup by `&str` in maps keyed by the id.
macro_rules! string_id {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
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

macro_rules! slug_id {
    ($name:ident, $max:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(
            Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, IdError> {
                check_slug(s, $max)?;
                Ok(Self(s.to_owned()))
            }
        }
        string_id!($name);
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

/// Random ids made here and handed to clients (drafts, files, later accounts and staff): a fixed length
/// over a fixed alphabet, so that one read from a URL or a form is checked before it reaches a handler.
macro_rules! token_id {
    ($name:ident, $len:expr, $alphabet:expr, $bytes:expr, $encode:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(
            Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const LEN: usize = $len;

            pub fn parse(s: &str) -> Result<Self, IdError> {
                if s.is_empty() {
                    return Err(IdError::Empty);
                }
                if s.len() != Self::LEN || !s.bytes().all($alphabet) {
                    return Err(IdError::Malformed);
                }
                Ok(Self(s.to_owned()))
            }

            /// A fresh random id from the operating system's generator.
            pub fn generate() -> Result<Self, getrandom::Error> {
                let mut buf = [0u8; $bytes];
                getrandom::fill(&mut buf)?;
                Ok(Self($encode(&buf)))
            }
        }
        string_id!($name);
    };
}

fn base64url(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

token_id!(
    DraftId,
    43,
    is_base64url,
    32,
    base64url,
    "A draft: 32 random bytes, base64url (43 characters)."
);
token_id!(
    FileId,
    32,
    is_lower_hex,
    16,
    hex,
    "An uploaded file (also its name on disk): 16 random bytes as 32 lower-case hex digits."
);
token_id!(
    AccountId,
    22,
    is_base64url,
    16,
    base64url,
    "A citizen's account (the accounts issue): 16 random bytes, base64url."
);
token_id!(
    StaffId,
    22,
    is_base64url,
    16,
    base64url,
    "A member of staff (the staff issue): 16 random bytes, base64url."
);

/// A submission's reference within its tenant: the year, a dash and a counter of at least five digits
/// (`2026-00017`). Gap-free per tenant, shown to the citizen and used as the archive folder's name.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Reference(String);

impl Reference {
    pub fn new(year: i32, n: u64) -> Reference {
        Reference(format!("{year:04}-{n:05}"))
    }

    pub fn parse(s: &str) -> Result<Reference, IdError> {
        if s.is_empty() {
            return Err(IdError::Empty);
        }
        let ok = s.len() <= 24
            && s.split_once('-').is_some_and(|(y, n)| {
                y.len() == 4
                    && n.len() >= 5
                    && y.bytes().all(|b| b.is_ascii_digit())
                    && n.bytes().all(|b| b.is_ascii_digit())
            });
        if ok {
            Ok(Reference(s.to_owned()))
        } else {
            Err(IdError::Malformed)
        }
    }
}

string_id!(Reference);

/// Where an outbox row goes: the archive folder, a target the tenant configured (`[[tenant.target]]`, by name), or the n-th
/// copy of the receipt to the citizen (stored as `kvittering-<n>`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Target {
    /// The tenant's archive folder (the file drop), `archive` in form files.
    Archive,
    Configured(TargetName),
    ReceiptCopy(u32),
    /// A mail asking the citizen to confirm the address a receipt copy is to go to (its link queues the
    /// copy): `kvittering-bekreft-<n>`.
    ReceiptConfirm(u32),
    /// A notice to the citizen that her case changed (status or message): `varsel-<n>`.
    Notice(u32),
}

/// A configured delivery target's name, e.g. `saksystem`: 1–40 of a–z, 0–9 and `-` (the configuration's
/// rule; `archive` and `kvittering…` are reserved for [`Target::Archive`] and [`Target::ReceiptCopy`]).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TargetName(String);

impl TargetName {
    pub fn parse(s: &str) -> Result<TargetName, IdError> {
        if s.is_empty() {
            return Err(IdError::Empty);
        }
        if s.len() > 40 {
            return Err(IdError::TooLong(40));
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(IdError::BadChar);
        }
        if s == "archive"
            || s.starts_with(Target::RECEIPT_PREFIX.trim_end_matches('-'))
            || s.starts_with(Target::NOTICE_PREFIX)
        {
            return Err(IdError::Malformed);
        }
        Ok(TargetName(s.to_owned()))
    }
}

string_id!(TargetName);

impl Target {
    const RECEIPT_PREFIX: &'static str = "kvittering-";
    const CONFIRM_PREFIX: &'static str = "kvittering-bekreft-";
    const NOTICE_PREFIX: &'static str = "varsel-";

    pub fn parse(s: &str) -> Result<Target, IdError> {
        if s == "archive" {
            return Ok(Target::Archive);
        }
        if let Some(n) = s.strip_prefix(Self::CONFIRM_PREFIX)
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            return n
                .parse()
                .map(Target::ReceiptConfirm)
                .map_err(|_| IdError::Malformed);
        }
        if let Some(n) = s.strip_prefix(Self::NOTICE_PREFIX)
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            return n
                .parse()
                .map(Target::Notice)
                .map_err(|_| IdError::Malformed);
        }
        if let Some(n) = s.strip_prefix(Self::RECEIPT_PREFIX)
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            return n
                .parse()
                .map(Target::ReceiptCopy)
                .map_err(|_| IdError::Malformed);
        }
        TargetName::parse(s).map(Target::Configured)
    }

    /// The name as stored and shown (`arkiv`, `kvittering-2`).
    pub fn name(&self) -> String {
        self.to_string()
    }
}

impl TryFrom<String> for Target {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Target::parse(&s)
    }
}
impl From<Target> for String {
    fn from(t: Target) -> String {
        t.to_string()
    }
}
impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Archive => f.write_str("archive"),
            Target::Configured(n) => f.write_str(n.as_str()),
            Target::ReceiptCopy(n) => write!(f, "{}{n}", Self::RECEIPT_PREFIX),
            Target::ReceiptConfirm(n) => write!(f, "{}{n}", Self::CONFIRM_PREFIX),
            Target::Notice(n) => write!(f, "{}{n}", Self::NOTICE_PREFIX),
        }
    }
}
impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({self})")
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

    #[test]
    fn typed_ids() {
        let d = DraftId::generate().unwrap();
        assert_eq!(DraftId::parse(d.as_str()), Ok(d));
        assert_eq!(DraftId::parse("short"), Err(IdError::Malformed));
        let f = FileId::generate().unwrap();
        assert_eq!(f.as_str().len(), 32);
        assert!(FileId::parse(&"A".repeat(32)).is_err(), "upper-case hex");
        assert!(FileId::parse("../../etc/passwd").is_err());
        assert_eq!(Reference::new(2026, 17).as_str(), "2026-00017");
        for bad in [
            "",
            "2026",
            "2026-1",
            "26-00001",
            "2026-0001a",
            "2026-00001/x",
            "2026--00001",
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Target::parse("kvittering-3"), Ok(Target::ReceiptCopy(3)));
        assert_eq!(
            Target::parse("kvittering-bekreft-2"),
            Ok(Target::ReceiptConfirm(2))
        );
        assert_eq!(
            Target::ReceiptConfirm(2).to_string(),
            "kvittering-bekreft-2"
        );
        assert_eq!(Target::parse("archive"), Ok(Target::Archive));
        assert_eq!(
            Target::parse("arkiv").map(|t| t.to_string()).as_deref(),
            Ok("arkiv")
        );
        assert!(Target::parse("Arkiv/../x").is_err());
        let json = serde_json::to_string(&Target::ReceiptCopy(2)).unwrap();
        assert_eq!(json, "\"kvittering-2\"");
        assert!(serde_json::from_str::<Reference>("\"x\"").is_err());
    }
}
