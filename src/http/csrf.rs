//! CSRF tokens and the signed session cookie, both keyed by the store's secret key (stable across
//! restarts: the key lives in the store or the config).
//!
//! - The CSRF secret of a session is HMAC-SHA256 of its id. A page never shows the secret itself: every
//!   rendered token is a fresh random mask followed by the secret XOR that mask, so no two responses carry
//!   the same token and compression beside reflected text cannot reveal it (BREACH).
//! - The session cookie is the id and a MAC of it. A client cannot choose its own session id: an id
//!   this server did not issue is never adopted (session fixation).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac;
use subtle::ConstantTimeEq;

use crate::ids::SessionId;

/// The hidden form field that carries the token.
pub const FIELD: &str = "csrf";

/// Bytes of the CSRF secret and of its mask.
const SECRET_LEN: usize = 32;
/// Bytes of the session cookie's MAC (128 bits).
const COOKIE_MAC_LEN: usize = 16;

pub use crate::site_key::SiteKey;

fn mac(key: &SiteKey, domain: &[u8], session: &SessionId) -> Option<[u8; SECRET_LEN]> {
    let mut m = key.keyed();
    m.update(domain);
    m.update(session.as_str().as_bytes());
    Some(m.finalize().into_bytes().into())
}

/// A token for a form on this page: fresh for every call.
pub fn token(key: &SiteKey, session: &SessionId) -> String {
    let Some(secret) = mac(key, b"radhus-csrf-v1:", session) else {
        return String::new();
    };
    let mut mask = [0u8; SECRET_LEN];
    rand::Rng::fill_bytes(&mut rand::rng(), &mut mask);
    let mut out = mask.to_vec();
    out.extend(mask.iter().zip(secret).map(|(m, s)| m ^ s));
    URL_SAFE_NO_PAD.encode(out)
}

/// Whether `given` is a token made by [`token`] for this session (under any mask).
pub fn verify(key: &SiteKey, session: &SessionId, given: &str) -> bool {
    let Some(secret) = mac(key, b"radhus-csrf-v1:", session) else {
        return false;
    };
    let Ok(raw) = URL_SAFE_NO_PAD.decode(given) else {
        return false;
    };
    if raw.len() != 2 * SECRET_LEN {
        return false;
    }
    let (mask, masked) = raw.split_at(SECRET_LEN);
    let unmasked: Vec<u8> = mask.iter().zip(masked).map(|(m, x)| m ^ x).collect();
    bool::from(unmasked.as_slice().ct_eq(&secret))
}

/// The session cookie's value: the id, a dot, and its MAC.
pub fn cookie_value(key: &SiteKey, session: &SessionId) -> String {
    let tag = mac(key, b"radhus-sid-v1:", session)
        .map(|m| URL_SAFE_NO_PAD.encode(&m[..COOKIE_MAC_LEN]))
        .unwrap_or_default();
    format!("{}.{tag}", session.as_str())
}

/// What a session cookie holds.
#[derive(Debug, PartialEq, Eq)]
pub enum FromCookie {
    /// An id this server issued (its MAC is right).
    Issued(SessionId),
    /// A bare id without a MAC, as cookies were before they were signed: adopted only if the store holds
    /// a session under it (so an upgrade loses no citizen's draft), never otherwise.
    Unsigned(SessionId),
    /// Missing, malformed, or with a wrong MAC.
    None,
}

pub fn from_cookie(key: &SiteKey, value: Option<&str>) -> FromCookie {
    let Some(value) = value else {
        return FromCookie::None;
    };
    match value.split_once('.') {
        Some((id, tag)) => {
            let Some(id) = SessionId::parse(id) else {
                return FromCookie::None;
            };
            let Some(m) = mac(key, b"radhus-sid-v1:", &id) else {
                return FromCookie::None;
            };
            let expected = URL_SAFE_NO_PAD.encode(&m[..COOKIE_MAC_LEN]);
            if bool::from(expected.as_bytes().ct_eq(tag.as_bytes())) {
                FromCookie::Issued(id)
            } else {
                FromCookie::None
            }
        }
        None => SessionId::parse(value).map_or(FromCookie::None, FromCookie::Unsigned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &[u8]) -> SiteKey {
        SiteKey::new(s).unwrap()
    }

    #[test]
    fn tokens_bind_to_session_and_key_under_a_fresh_mask() {
        let a = SessionId::generate().unwrap();
        let b = SessionId::generate().unwrap();
        let t = token(&k(b"k1"), &a);
        let u = token(&k(b"k1"), &a);
        assert_ne!(t, u, "a fresh mask every time");
        assert!(verify(&k(b"k1"), &a, &t));
        assert!(verify(&k(b"k1"), &a, &u));
        assert!(!verify(&k(b"k1"), &b, &t));
        assert!(!verify(&k(b"k2"), &a, &t));
        assert!(!verify(&k(b"k1"), &a, ""));
        assert!(!verify(&k(b"k1"), &a, &t[1..]));
        assert!(!verify(&k(b"k1"), &a, &format!("{t}AA")));
        // The bare secret (an unmasked token, as before) is not a token.
        let secret = mac(&k(b"k1"), b"radhus-csrf-v1:", &a).unwrap();
        assert!(!verify(&k(b"k1"), &a, &URL_SAFE_NO_PAD.encode(secret)));
    }

    #[test]
    fn session_cookies_are_signed() {
        let a = SessionId::generate().unwrap();
        let v = cookie_value(&k(b"k1"), &a);
        assert_eq!(
            from_cookie(&k(b"k1"), Some(&v)),
            FromCookie::Issued(a.clone())
        );
        assert_eq!(from_cookie(&k(b"k2"), Some(&v)), FromCookie::None);
        let forged = format!("{}.{}", a.as_str(), "A".repeat(22));
        assert_eq!(from_cookie(&k(b"k1"), Some(&forged)), FromCookie::None);
        assert_eq!(
            from_cookie(&k(b"k1"), Some(a.as_str())),
            FromCookie::Unsigned(a.clone())
        );
        assert_eq!(from_cookie(&k(b"k1"), Some("x.y")), FromCookie::None);
        assert_eq!(from_cookie(&k(b"k1"), None), FromCookie::None);
    }
}
