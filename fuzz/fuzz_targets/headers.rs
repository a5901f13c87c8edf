//! Request header values and ids taken from requests: Accept-Language, the session cookie, session and form
//! ids, and the portal search query. Nothing may panic.
#![no_main]

use std::sync::OnceLock;

use http::{HeaderMap, HeaderValue, header};
use libfuzzer_sys::fuzz_target;
use radhus::forms::Registry;
use radhus::forms::search::{SearchIndex, normalize};
use radhus::i18n::{Lang, from_accept_language};
use radhus::ids::{FormId, SessionId};

/// The portal's search index over the embedded forms, built once.
fn index() -> &'static Option<SearchIndex> {
    static INDEX: OnceLock<Option<SearchIndex>> = OnceLock::new();
    INDEX.get_or_init(|| {
        Registry::load_embedded()
            .ok()
            .map(|r| SearchIndex::build(r.all(), Lang::Nb))
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    let _ = from_accept_language(&text);

    if let Ok(v) = HeaderValue::from_bytes(data) {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, v.clone());
        if let Some(sid) = radhus::http::request::cookie(&headers, "__Host-sid") {
            let _ = SessionId::parse(sid);
        }
        headers.insert(header::ACCEPT_LANGUAGE, v);
        let _ = radhus::http::request::negotiate(&headers, Lang::Nb);
    }

    if let Some(id) = SessionId::parse(&text) {
        assert_eq!(id.as_str(), text);
    }
    if let Ok(id) = FormId::parse(&text) {
        assert_eq!(id.as_str(), text);
    }

    let n = normalize(&text);
    // Its contract: ASCII words separated by single spaces.
    assert!(
        n.is_ascii() && !n.starts_with(' ') && !n.ends_with(' ') && !n.contains("  "),
        "normalize({text:?}) = {n:?}"
    );
    if let Some(idx) = index() {
        let _ = idx.search(&text);
    }
});
