//! CSRF tokens: HMAC-SHA256 of the session id under the store's secret key. Stateless to check, bound to
//! the session, and stable across restarts (the key lives in the store or the config).

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::ids::SessionId;

/// The hidden form field that carries the token.
pub const FIELD: &str = "csrf";

fn mac(key: &[u8], session: &SessionId) -> Option<Vec<u8>> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).ok()?;
    m.update(b"radhus-csrf-v1:");
    m.update(session.as_str().as_bytes());
    Some(m.finalize().into_bytes().to_vec())
}

pub fn token(key: &[u8], session: &SessionId) -> String {
    mac(key, session)
        .map(|m| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(m))
        .unwrap_or_default()
}

pub fn verify(key: &[u8], session: &SessionId, given: &str) -> bool {
    let expected = token(key, session);
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_bind_to_session_and_key() {
        let a = SessionId::generate().unwrap();
        let b = SessionId::generate().unwrap();
        let t = token(b"k1", &a);
        assert!(verify(b"k1", &a, &t));
        assert!(!verify(b"k1", &b, &t));
        assert!(!verify(b"k2", &a, &t));
        assert!(!verify(b"k1", &a, ""));
        assert!(!verify(b"k1", &a, &t[1..]));
    }
}
