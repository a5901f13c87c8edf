//! A POSTed `application/x-www-form-urlencoded` body (strict decoding) and a `return_to` path.
//! Nothing may panic; a decoded body must survive re-encoding unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use radhus::http::request::{parse_form, safe_return_path};

fuzz_target!(|data: &[u8]| {
    if let Ok(pairs) = parse_form(data) {
        // Property: what was decoded, encoded again, decodes to the same pairs.
        let mut enc = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            enc.append_pair(k, v);
        }
        let again = parse_form(enc.finish().as_bytes());
        assert!(
            again.as_ref().is_ok_and(|p| *p == pairs),
            "re-encoded form data decodes differently: {pairs:?} -> {again:?}"
        );
        for (_, v) in &pairs {
            check_return_path(v);
        }
    }
    check_return_path(&String::from_utf8_lossy(data));
});

fn check_return_path(p: &str) {
    if let Some(ok) = safe_return_path(p) {
        assert_eq!(ok, p);
        assert!(ok.starts_with('/') && !ok.starts_with("//") && !ok.contains('\\'));
    }
}
