//! HTTP: one pipeline for every request —
//! limits → route → tenant (by host) → language → session → CSRF (POST) → handler → headers.
//!
//! Every response, whatever produced it, leaves through [`finish`], which adds the security headers and the
//! request id, sets the session cookie when one was made, compresses, and records metrics.

pub mod acme;
pub mod conn;
pub mod csrf;
pub mod error;
pub mod multipart;
pub mod request;
pub mod response;
pub mod router;
pub mod server;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, StatusCode};

use crate::ids::SessionId;
use crate::state::State;
use error::WebError;
use request::{Ctx, RequestId};
pub use response::Resp;
use router::{BodyLimit, Handler, Match, Route, Site};
pub use router::{BodySlot, Params, Request as Call};

/// Serves one request. Never panics on input; every failure becomes a page.
pub async fn handle(
    state: Arc<State>,
    site: &'static Site,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Resp {
    let started = Instant::now();
    let rid = RequestId::next();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut class = "none";
    let mut resp = dispatch(&state, site, req, peer, &rid, (&method, &path), &mut class).await;
    let h = resp.headers_mut();
    response::security_headers(h);
    if let Ok(v) = HeaderValue::from_str(&rid.0) {
        h.insert("x-request-id", v);
    }
    let status = resp.status();
    let elapsed = started.elapsed();
    state.metrics.record(class, status.as_u16(), elapsed);
    // The links in account mails carry their token in the path: never in the log.
    let path = loggable(&path);
    if status.is_server_error() {
        tracing::error!(request_id = %rid, %method, %path, status = status.as_u16(), "request failed");
    } else if status.is_client_error() {
        tracing::info!(request_id = %rid, %method, %path, status = status.as_u16(), "request refused");
    } else {
        tracing::debug!(request_id = %rid, %method, %path, status = status.as_u16(), us = elapsed.as_micros() as u64, "request");
    }
    resp
}

/// The path as the log may show it: the token of a link from an account mail replaced by `…`.
pub fn loggable(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in [
        "/konto/bekreft/",
        "/konto/ny-epost/",
        "/konto/nytt-passord/",
    ] {
        if path.starts_with(prefix) && path.len() > prefix.len() {
            return format!("{prefix}…").into();
        }
    }
    path.into()
}

/// A page for a host that belongs to no tenant: says nothing about which tenants exist.
fn unknown_host() -> Resp {
    response::text(
        StatusCode::NOT_FOUND,
        "text/plain; charset=utf-8",
        "Not found\n",
    )
}

async fn dispatch(
    state: &State,
    site: &Site,
    req: Request<Incoming>,
    peer: SocketAddr,
    rid: &RequestId,
    (method, path): (&Method, &str),
    class: &mut &'static str,
) -> Resp {
    if request::host_ambiguous(&req) {
        return response::text(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            "Bad request: the host is named more than once\n",
        );
    }
    let too_big_headers = request::header_bytes(&req) > state.config.limits.max_header_bytes;
    let found = router::find(site.routes, method, path);

    // System routes answer on any host name (health checks come by IP).
    if let Match::Found { route, .. } = &found
        && let Handler::System(system) = route.handler
        && !too_big_headers
    {
        *class = route.class.label();
        return system(state, peer);
    }

    let Some(tenant) = request::host(&req).and_then(|h| state.tenant_for(&h)) else {
        return unknown_host();
    };
    let (lang, lang_chosen) = request::negotiate(req.headers(), tenant.config.default_lang);
    let (session, new_session) = match csrf::from_cookie(
        &state.site_key,
        request::cookie(req.headers(), request::SESSION_COOKIE),
    ) {
        csrf::FromCookie::Issued(id) => (id, false),
        // A cookie from before they were signed: kept only for a session the store holds.
        csrf::FromCookie::Unsigned(id) if state.store.session(&id).ok().flatten().is_some() => {
            (id, false)
        }
        _ => match SessionId::generate() {
            Ok(s) => (s, true),
            Err(e) => {
                let ctx_err = WebError::Internal(format!("no session id: {e}"));
                tracing::error!(request_id = %rid, "{ctx_err}");
                return response::text(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "text/plain; charset=utf-8",
                    "Internal error\n",
                );
            }
        },
    };
    let accepts_gzip = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let ctx = Ctx {
        state,
        tenant,
        lang,
        lang_chosen,
        set_session: std::sync::Mutex::new(new_session.then(|| session.clone())),
        session,
        new_session,
        request_id: rid.clone(),
        path: path.to_owned(),
        query: req.uri().query().map(str::to_owned),
        accepts_gzip,
        client_ip: crate::budgets::client_ip(
            peer.ip(),
            req.headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok()),
            &state.config.limits.trusted_proxies,
        ),
        if_none_match: req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        login: std::sync::OnceLock::new(),
        host: request::host(&req).unwrap_or_default(),
        cookie_on_post: std::sync::atomic::AtomicBool::new(false),
    };

    let result = if too_big_headers {
        Err(WebError::HeadersTooLarge)
    } else if state.shutting_down.load(Ordering::Relaxed) && method == Method::POST {
        // In-flight requests finish; new writes are refused cleanly rather than cut off.
        Err(WebError::Unavailable)
    } else {
        match found {
            Match::NotFound => Err(WebError::NotFound),
            Match::WrongMethod(allow) => Err(WebError::MethodNotAllowed(allow)),
            Match::Found { route, params } => {
                *class = route.class.label();
                run(&ctx, route, &params, req).await
            }
        }
    };
    let mut resp = match result {
        Ok(r) => r,
        Err(e) => {
            match &e {
                WebError::Internal(detail) | WebError::StorageFull(detail) => {
                    tracing::error!(request_id = %rid, error = %detail, "internal error");
                }
                // What was wrong with the request, for the operator (the page says it plainly).
                WebError::BadRequest(_) | WebError::Timeout | WebError::TooLarge { .. } => {
                    tracing::info!(request_id = %rid, reason = %e, "bad request");
                }
                _ => {}
            }
            (site.error_page)(&ctx, &e)
        }
    };
    finish(&ctx, method, &mut resp);
    resp
}

async fn run(
    ctx: &Ctx<'_>,
    route: &Route,
    params: &Params<'_>,
    req: Request<Incoming>,
) -> Result<Resp, WebError> {
    let Handler::Page(handler) = route.handler else {
        return Err(WebError::NotFound);
    };
    // Only a route that follows its form's login rule needs the form looked up, and only a route that
    // needs a login reads it.
    let form_login = (route.access == router::Access::Form)
        .then(|| params.get("form"))
        .flatten()
        .and_then(|f| crate::ids::FormId::parse(f).ok())
        .and_then(|f| ctx.tenant.form(&f).map(|d| (d.login, d.login_level)));
    // A form's pages and the citizen's own read the login (any form is filled in logged in when she
    // is, and using it extends the login's idle time).
    let reads_login = matches!(
        route.access,
        router::Access::Citizen(_) | router::Access::Form
    );
    let have = if reads_login {
        let login = ctx.login();
        if let Some(c) = login.current()
            && c.touch
        {
            crate::auth::touch(&ctx.state.store, &ctx.session, ctx.state.clock.unix()).await?;
        }
        Some(login.clone())
    } else {
        None
    };
    let refused = match router::check_access(
        route.access,
        form_login,
        have.as_ref(),
        ctx.state.login_offered(ctx.tenant),
    ) {
        Ok(()) => None,
        // A POST refused for want of a login keeps what it carried (below), so that nothing typed is
        // lost: the login page carries it, and after the login it can be sent again.
        Err(e @ WebError::LoginNeeded { .. })
            if route.method == Method::POST
                && !(route.body == BodyLimit::Upload && multipart::is_multipart(req.headers())) =>
        {
            Some(e)
        }
        Err(e) => return Err(e),
    };
    let body = route.body;
    let slot: BodySlot = std::sync::Mutex::new(None);
    let multipart = body == BodyLimit::Upload && multipart::is_multipart(req.headers());
    let form = match body {
        BodyLimit::None => None,
        BodyLimit::Upload if multipart => {
            // The handler reads the stream itself (CSRF is its first part). A body declared larger
            // than any submission may be is refused before a byte of it is read.
            let limits = &ctx.state.config.limits;
            let whole = limits
                .max_upload_bytes
                .saturating_add(limits.max_form_bytes as u64)
                .saturating_add(64 * 1024);
            multipart::refuse_declared_over(req.headers(), whole)?;
            let (parts, body) = req.into_parts();
            if let Ok(mut s) = slot.lock() {
                *s = Some((parts.headers, body));
            }
            None
        }
        BodyLimit::Form | BodyLimit::Upload => {
            let (parts, body) = req.into_parts();
            let ctype = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let limits = &ctx.state.config.limits;
            let bytes = request::read_body(
                &parts.headers,
                body,
                limits.max_form_bytes,
                limits.body_timeout,
            )
            .await?;
            if !ctype.starts_with("application/x-www-form-urlencoded") {
                return Err(WebError::UnsupportedMediaType);
            }
            let fields = request::parse_form(&bytes)?;
            let token = fields
                .iter()
                .find(|(k, _)| k == csrf::FIELD)
                .map(|(_, v)| v.as_str());
            let valid = !ctx.new_session
                && token.is_some_and(|t| csrf::verify(&ctx.state.site_key, &ctx.session, t));
            if !valid {
                let kept = fields
                    .into_iter()
                    .filter(|(k, _)| k != csrf::FIELD)
                    .collect();
                return Err(WebError::Csrf {
                    action: ctx.path.clone(),
                    fields: kept,
                });
            }
            Some(fields)
        }
    };
    if let Some(WebError::LoginNeeded { level, ended, .. }) = refused {
        return Err(WebError::LoginNeeded {
            level,
            ended,
            resend: Some((
                ctx.path.clone(),
                form.unwrap_or_default()
                    .into_iter()
                    .filter(|(k, _)| k != csrf::FIELD)
                    .collect(),
            )),
        });
    }
    let form = form.unwrap_or_default();
    let call = Call {
        ctx,
        params,
        form: &form,
        body: multipart.then_some(&slot),
    };
    handler(&call).await
}

/// Headers that depend on the request context: the session cookie and compression.
///
/// The session cookie is set only on an HTML page answering a GET: never on a POST's answer, so a
/// cross-site POST (which arrives without the SameSite=Lax cookie) cannot replace or wipe a citizen's
/// session through its error page.
fn finish(ctx: &Ctx<'_>, method: &Method, resp: &mut Resp) {
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let to_set = ctx.set_session.lock().ok().and_then(|s| s.clone());
    let moved = ctx.cookie_on_post.load(Ordering::Relaxed);
    if let Some(id) = to_set
        && ((is_html && (method == Method::GET || method == Method::HEAD)) || moved)
    {
        let c = format!(
            "{}={}; Path=/; Secure; HttpOnly; SameSite=Lax",
            request::SESSION_COOKIE,
            csrf::cookie_value(&ctx.state.site_key, &id)
        );
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response::maybe_gzip(resp, ctx.accepts_gzip);
}
