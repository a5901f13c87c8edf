//! The site's secret key (the store's, or the configuration's), keyed into HMAC-SHA256 once: each use
//! clones the keyed state instead of hashing the key again. CSRF tokens and session cookies
//! (`http::csrf`) are made with it; `state::State` holds it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The site's key, keyed into HMAC-SHA256 once: each use clones the keyed state instead of hashing the
/// key again (half the work of an HMAC over a session id, on every request).
#[derive(Clone)]
pub struct SiteKey(Hmac<Sha256>);

impl SiteKey {
    pub fn new(key: &[u8]) -> Option<SiteKey> {
        Hmac::<Sha256>::new_from_slice(key).ok().map(SiteKey)
    }
}

impl std::fmt::Debug for SiteKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SiteKey(…)")
    }
}

impl SiteKey {
    /// A fresh HMAC under the key, ready for input.
    pub fn keyed(&self) -> Hmac<Sha256> {
        self.0.clone()
    }
}
