//! What a request carries after the pipeline has read it: tenant, language, session, request id; and the
//! bounded, timed reading of form bodies.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap};

use super::error::WebError;
use crate::i18n::{self, Lang, Loc};
use crate::ids::SessionId;
use crate::state::{State, Tenant};

pub const SESSION_COOKIE: &str = "__Host-sid";
pub const LANG_COOKIE: &str = "__Host-lang";

/// A short id per request, unique within a process run: a random prefix and a counter.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

static COUNTER: AtomicU64 = AtomicU64::new(0);
static PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();

impl RequestId {
    pub fn next() -> RequestId {
        let prefix = PREFIX.get_or_init(|| {
            let mut b = [0u8; 3];
            let _ = getrandom::fill(&mut b);
            b.iter().map(|x| format!("{x:02x}")).collect()
        });
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        RequestId(format!("{prefix}-{n:06}"))
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Finds a cookie's value. Malformed pairs are skipped.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"'))
}

/// Whether the request names its host more than once, or in two ways that disagree (two `Host` headers,
/// or `:authority`/an absolute URI and a `Host` for another name): such a request is refused, never
/// routed by whichever came first.
pub fn host_ambiguous(req: &hyper::Request<Incoming>) -> bool {
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let first = hosts.next();
    if hosts.next().is_some() {
        return true;
    }
    let (Some(authority), Some(header)) = (req.uri().authority(), first) else {
        return false;
    };
    let name = |s: &str| {
        let s = match s.rsplit_once(':') {
            Some((n, port)) if port.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => s,
        };
        s.trim_end_matches('.').to_ascii_lowercase()
    };
    !header
        .to_str()
        .is_ok_and(|h| name(h) == name(authority.host()))
}

/// The host name a request is for: `:authority` (HTTP/2) or `Host`, lower-cased, without port.
pub fn host(req: &hyper::Request<Incoming>) -> Option<String> {
    let raw = match req.uri().host() {
        Some(h) => h.to_owned(),
        None => {
            let h = req.headers().get(header::HOST)?.to_str().ok()?;
            match h.rsplit_once(':') {
                Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name.to_owned(),
                _ => h.to_owned(),
            }
        }
    };
    Some(raw.trim_end_matches('.').to_ascii_lowercase())
}

/// Everything a handler needs to know about the request it serves.
pub struct Ctx<'a> {
    pub state: &'a State,
    pub tenant: &'a Tenant,
    pub lang: Lang,
    /// The language came from the user's explicit choice (cookie), not negotiation.
    pub lang_chosen: bool,
    pub session: SessionId,
    /// The session id was made for this request (no valid cookie came with it).
    pub new_session: bool,
    /// The session id the response's cookie carries: a new session's, or the one a handler rotated to.
    pub set_session: std::sync::Mutex<Option<SessionId>>,
    pub request_id: RequestId,
    pub path: String,
    pub query: Option<String>,
    pub accepts_gzip: bool,
    /// The request's `If-None-Match` (for responses with an entity tag).
    pub if_none_match: Option<String>,
    /// The client's address (behind a trusted proxy, from `X-Forwarded-For`).
    pub client_ip: std::net::IpAddr,
    /// The host name the request was for (lower case, no port).
    pub host: String,
    /// The session's login, read when first asked for ([`Ctx::login`]).
    pub login: std::sync::OnceLock<crate::auth::LoginState>,
    /// The response sets the session cookie even though it answers a POST (a login or logout moved the
    /// session, after a valid CSRF token).
    pub cookie_on_post: std::sync::atomic::AtomicBool,
}

impl<'a> Ctx<'a> {
    pub fn loc(&self) -> Loc<'a> {
        self.state.i18n.loc(self.lang)
    }

    /// The session the response leaves the browser with: the one a handler rotated to, or the request's.
    pub fn session_now(&self) -> SessionId {
        self.set_session
            .lock()
            .ok()
            .and_then(|s| s.clone())
            .unwrap_or_else(|| self.session.clone())
    }

    /// A CSRF token for a form on this page, for the session the response leaves the browser with.
    pub fn csrf_token(&self) -> String {
        super::csrf::token(&self.state.site_key, &self.session_now())
    }

    /// Spends from the client's, the tenant's and the appliance's budget of `spend` (429 when over).
    pub fn spend(&self, spend: crate::budgets::Spend, n: u64) -> Result<(), WebError> {
        self.state
            .budgets
            .spend(
                spend,
                n,
                self.client_ip,
                self.state.tenant_index(self.tenant),
                self.state.clock.unix(),
            )
            .map_err(WebError::from)
    }

    /// Whether the budget of `spend` has room left (before reading what has no known size yet).
    pub fn budget_left(&self, spend: crate::budgets::Spend) -> Result<(), WebError> {
        self.state
            .budgets
            .has_room(
                spend,
                self.client_ip,
                self.state.tenant_index(self.tenant),
                self.state.clock.unix(),
            )
            .map_err(WebError::from)
    }

    /// Spends one session from the budget when this session has nothing stored yet (its first write).
    pub fn spend_session_if_new(&self) -> Result<(), WebError> {
        if self.state.store.session(&self.session)?.is_none() {
            self.spend(crate::budgets::Spend::Session, 1)?;
        }
        Ok(())
    }

    /// The session's login as it is now (checked against its account and the timeouts), read once per
    /// request. A store that cannot be read counts as not logged in.
    pub fn login(&self) -> &crate::auth::LoginState {
        self.login.get_or_init(|| {
            let state = self.state;
            let session = state.store.session(&self.session).ok().flatten();
            crate::auth::current(
                &state.store,
                &self.tenant.config.id,
                session.as_ref(),
                &state.config.accounts,
                state.clock.unix(),
            )
            .unwrap_or(crate::auth::LoginState::None)
        })
    }

    /// The logged-in account, if any.
    pub fn account(&self) -> Option<&crate::auth::records::Account> {
        self.login().current().map(|c| &c.account)
    }

    /// Moves the browser to a new session id now, on the answer to this POST too (login, logout).
    pub fn move_session(&self, to: SessionId) {
        self.cookie_on_post
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.rotate_session(to);
    }

    /// Moves the browser to a new session id (the response sets its cookie).
    pub fn rotate_session(&self, to: SessionId) {
        if let Ok(mut s) = self.set_session.lock() {
            *s = Some(to);
        }
    }

    /// The current path with query, for "come back here" links.
    pub fn here(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }

    /// The query parameter `name`, percent-decoded (lossy for broken UTF-8: it is only used for search).
    pub fn query_param(&self, name: &str) -> Option<String> {
        let q = self.query.as_deref()?;
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

/// Chooses the language: explicit choice (cookie) > `Accept-Language` > tenant default.
pub fn negotiate(headers: &HeaderMap, tenant_default: Lang) -> (Lang, bool) {
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(Lang::parse) {
        return (l, true);
    }
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(i18n::from_accept_language);
    (accepted.unwrap_or(tenant_default), false)
}

/// Bytes of the request line and headers, as a client sent them (approximately: names, values, separators).
pub fn header_bytes(req: &hyper::Request<Incoming>) -> usize {
    let uri = req.uri().to_string().len();
    req.headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum::<usize>()
        + uri
}

/// Reads a body up to `limit` bytes within `timeout`: 413 early from `Content-Length`, 413 when a
/// chunked body grows past the limit, 408 when the client is too slow.
pub async fn read_body(
    headers: &HeaderMap,
    body: Incoming,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, WebError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(WebError::TooLarge { limit });
    }
    match tokio::time::timeout(timeout, Limited::new(body, limit).collect()).await {
        Err(_) => Err(WebError::Timeout),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            Err(WebError::TooLarge { limit })
        }
        Ok(Err(e)) => Err(WebError::BadRequest(format!("reading the body: {e}"))),
    }
}

/// Decodes `application/x-www-form-urlencoded` strictly: broken percent-encoding or invalid UTF-8 is a 400,
/// never silently replaced.
pub fn parse_form(body: &[u8]) -> Result<Vec<(String, String)>, WebError> {
    let mut out = vec![];
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (
                pair.get(..i).unwrap_or(&[]),
                pair.get(i + 1..).unwrap_or(&[]),
            ),
            None => (pair, &[][..]),
        };
        out.push((decode_component(k)?, decode_component(v)?));
        if out.len() > 10_000 {
            return Err(WebError::BadRequest("too many form fields".into()));
        }
    }
    Ok(out)
}

fn decode_component(raw: &[u8]) -> Result<String, WebError> {
    let plus: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    // Reject '%' not followed by two hex digits (percent_decode would pass it through).
    let mut i = 0;
    while let Some(rel) = plus
        .get(i..)
        .and_then(|s| s.iter().position(|b| *b == b'%'))
    {
        let at = i + rel;
        let ok = plus
            .get(at + 1..at + 3)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        if !ok {
            return Err(WebError::BadRequest(
                "broken percent-encoding in form data".into(),
            ));
        }
        i = at + 3;
    }
    let bytes: Vec<u8> = percent_encoding::percent_decode(&plus).collect();
    String::from_utf8(bytes)
        .map_err(|_| WebError::BadRequest("form data is not valid UTF-8".into()))
}

/// A same-site path to return to: must start with one '/', no backslash or control characters.
pub fn safe_return_path(p: &str) -> Option<&str> {
    let ok = p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && p.len() < 2048
        && !p.chars().any(char::is_control);
    ok.then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding() {
        assert_eq!(
            parse_form(b"a=1&b=%C3%A6+%C3%B8&c").unwrap(),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "æ ø".into()),
                ("c".into(), String::new())
            ]
        );
        assert!(parse_form(b"a=%ZZ").is_err());
        assert!(parse_form(b"a=%C3").is_err(), "truncated UTF-8");
        assert!(parse_form(b"a=%").is_err());
        assert!(parse_form(b"").unwrap().is_empty());
    }

    #[test]
    fn return_paths() {
        assert_eq!(safe_return_path("/sok?q=a"), Some("/sok?q=a"));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "",
            "x",
            "/a\nb",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
    }
}
