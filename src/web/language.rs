//! The language switch: a POST (with CSRF token) that remembers the choice in a cookie and in the
//! server-side session, then returns to the page the user was on.

use hyper::header::{self, HeaderValue};

use super::Read as _;
use super::Request;
use crate::http::Resp;
use crate::http::error::WebError;
use crate::http::request::{Ctx, LANG_COOKIE, safe_return_path};
use crate::http::response::see_other;
use crate::i18n::Lang;

pub async fn switch(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let lang = r
        .field("lang")
        .and_then(Lang::parse)
        .ok_or_else(|| WebError::BadRequest("unknown language".into()))?;
    let back = r.field("tilbake").and_then(safe_return_path).unwrap_or("/");
    ctx.spend_session_if_new()?;
    let mut resp = see_other(back);
    remember(ctx, lang, &mut resp).await?;
    Ok(resp)
}

/// Keeps the chosen language in the session and in a cookie set on `resp`. Also used by a step's own
/// language buttons, which save what was typed first (see [`crate::cases::Action::Language`]).
pub async fn remember(ctx: &Ctx<'_>, lang: Lang, resp: &mut Resp) -> Result<(), WebError> {
    ctx.state
        .store
        .update_session(&ctx.session, ctx.state.clock.unix(), false, move |s| {
            s.lang = Some(lang)
        })
        .await?;
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; Secure; HttpOnly; SameSite=Lax",
        lang.code()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(())
}
