//! The language switch: a POST (with CSRF token) that remembers the choice in a cookie and in the
//! server-side session, then returns to the page the user was on.

use hyper::header::{self, HeaderValue};

use super::Request;
use crate::http::Resp;
use crate::http::error::WebError;
use crate::http::request::{LANG_COOKIE, safe_return_path};
use crate::http::response::see_other;
use crate::i18n::Lang;
use crate::store::sessions::Session;

pub async fn switch(r: &Request<'_, '_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let lang = r
        .field("lang")
        .and_then(Lang::parse)
        .ok_or_else(|| WebError::BadRequest("unknown language".into()))?;
    let back = r.field("tilbake").and_then(safe_return_path).unwrap_or("/");

    let store = &ctx.state.store;
    let now = unix_now();
    let mut s = store
        .session(&ctx.session)?
        .unwrap_or_else(|| Session::new(now));
    s.lang = Some(lang);
    s.updated = now;
    store.save_session(&ctx.session, s, false).await?;

    let mut resp = see_other(back);
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; Secure; HttpOnly; SameSite=Lax",
        lang.code()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
