//! Building responses: security headers on every response, compression, cache rules.

use std::io::Write;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Response, StatusCode};

pub type Resp = Response<Full<Bytes>>;

/// No inline script or style anywhere; everything comes from our own origin.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The headers every response carries, whatever produced it.
pub fn security_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=63072000; includeSubDomains"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
}

fn with_body(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Resp {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// An HTML page that must not be cached by shared caches (it may carry a CSRF token).
pub fn html(status: StatusCode, body: String) -> Resp {
    let mut r = with_body(status, "text/html; charset=utf-8", body);
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, private"),
    );
    r
}

pub fn text(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Resp {
    let mut r = with_body(status, content_type, body);
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A PDF for download, with its file name.
pub fn pdf(bytes: Vec<u8>, filename: &str) -> Resp {
    let mut r = with_body(StatusCode::OK, "application/pdf", bytes);
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// A document that is the same for everyone (a blank paper form) with its entity tag: a client that
/// has it gets 304 Not Modified.
pub fn shared_pdf(bytes: Bytes, filename: &str, etag: &str, if_none_match: Option<&str>) -> Resp {
    let fresh =
        if_none_match.is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut r = if fresh {
        let mut r = Response::new(Full::new(Bytes::new()));
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        with_body(StatusCode::OK, "application/pdf", bytes)
    };
    let h = r.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache"),
    );
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// 303 See Other to a path on the same site (POST/redirect/GET).
pub fn see_other(location: &str) -> Resp {
    let mut r = Response::new(Full::new(Bytes::new()));
    *r.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A static asset; `gzip` is used when the client accepts it.
pub fn asset(a: &crate::assets::Asset, accepts_gzip: bool) -> Resp {
    let (body, gz) = match (&a.gzip, accepts_gzip) {
        (Some(g), true) => (g.clone(), true),
        _ => (a.body.clone(), false),
    };
    let mut r = with_body(StatusCode::OK, a.content_type, body);
    let h = r.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if gz {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    r
}

/// Compresses an HTML response body in place when it is worth it and the client accepts gzip.
pub fn maybe_gzip(resp: &mut Resp, accepts_gzip: bool) {
    use http_body_util::BodyExt;
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !accepts_gzip || !is_html || resp.headers().contains_key(header::CONTENT_ENCODING) {
        return;
    }
    // Full<Bytes> is always ready; take its single frame without awaiting.
    let mut body = std::mem::take(resp.body_mut());
    let Some(Some(Ok(frame))) = futures_poll_once(body.frame()) else {
        return;
    };
    let Ok(data) = frame.into_data() else { return };
    if data.len() < 1024 {
        *resp.body_mut() = Full::new(data);
        return;
    }
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::fast(),
    );
    let compressed = enc.write_all(&data).and_then(|()| enc.finish());
    match compressed {
        Ok(out) => {
            *resp.body_mut() = Full::new(Bytes::from(out));
            let h = resp.headers_mut();
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        Err(_) => *resp.body_mut() = Full::new(data),
    }
}

/// Polls a future once; `Full` bodies resolve immediately.
fn futures_poll_once<F: std::future::Future>(f: F) -> Option<F::Output> {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match f.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => Some(v),
        std::task::Poll::Pending => None,
    }
}
