//! Request handlers, one file per route group, and the route table (`routes.rs`) they are reached
//! through. A handler reads the request, asks the case layer, the engine or the store, and renders a
//! view; it never builds HTML itself.

pub mod account;
pub mod assets;
pub mod errors;
pub mod form_run;
pub mod language;
pub mod my_cases;
pub mod oidc;
pub mod portal;
pub mod routes;
pub mod system;

use std::sync::Arc;

use crate::forms::FormDef;
use crate::http::error::WebError;
use crate::http::request::Ctx;
use crate::ids::{FormId, Reference};
use crate::views::Frame;

/// What the pipeline hands a handler (see [`crate::http::Call`]).
pub type Request<'a> = crate::http::Call<'a>;

/// Typed access to a request's parameters and fields: a malformed id is a 404 before any lookup.
pub trait Read<'a> {
    fn field(&self, name: &str) -> Option<&'a str>;
    /// The `{form}` parameter, as a form the tenant offers.
    fn form(&self) -> Result<&'a Arc<FormDef>, WebError>;
    /// The `{reference}` parameter.
    fn reference(&self) -> Result<Reference, WebError>;
    /// The `{n}` parameter of a step URL: 1-based; None when it is not a number from 1 up.
    fn step_number(&self) -> Option<usize>;
}

impl<'a> Read<'a> for Request<'a> {
    fn field(&self, name: &str) -> Option<&'a str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn form(&self) -> Result<&'a Arc<FormDef>, WebError> {
        self.params
            .get("form")
            .and_then(|f| FormId::parse(f).ok())
            .and_then(|f| self.ctx.tenant.form(&f))
            .ok_or(WebError::NotFound)
    }

    fn reference(&self) -> Result<Reference, WebError> {
        self.params
            .get("reference")
            .and_then(|r| Reference::parse(r).ok())
            .ok_or(WebError::NotFound)
    }

    fn step_number(&self) -> Option<usize> {
        self.params
            .get("n")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n >= 1)
    }
}

/// The page frame for a request, with optional description and keywords for `<meta>`.
pub fn frame<'a>(ctx: &'a Ctx<'_>, csrf: &'a str, here: &'a str) -> Frame<'a> {
    let t = &ctx.tenant;
    Frame {
        loc: ctx.loc(),
        tenant_name: &t.config.name,
        css_url: &t.urls.css,
        logo_url: &t.urls.logo,
        csrf,
        here,
        contact_email: &t.config.contact_email,
        contact_phone: t.config.contact_phone.as_deref(),
        description: None,
        keywords: None,
        broadcasts: &[],
        switch_form: None,
        script_url: None,
    }
}

/// Stands in for the CSRF token when a page is rendered for the cache; never a valid token (tokens are
/// base64url, this has characters they cannot have).
const TOKEN_SLOT: &str = "~csrf~slot~";

/// A page that is the same for every visitor but for the CSRF token (the portal, a form's landing page):
/// rendered once per tenant, language and `key`, kept split at the token, and joined with this request's
/// token. Pages with a query string are rendered each time.
pub fn cached_page(ctx: &Ctx<'_>, key: &str, render: impl FnOnce(&str) -> String) -> String {
    let token = ctx.csrf_token();
    if ctx.query.is_some() {
        return render(&token);
    }
    let state = ctx.state;
    let cache_key = (state.tenant_index(ctx.tenant), ctx.lang, key.to_owned());
    let parts = match state.pages.get(&cache_key) {
        Some(p) => p,
        None => {
            let parts = Arc::new(
                render(TOKEN_SLOT)
                    .split(TOKEN_SLOT)
                    .map(str::to_owned)
                    .collect::<Vec<_>>(),
            );
            state.pages.put(cache_key, parts.clone());
            parts
        }
    };
    parts.join(token.as_str())
}

/// Runs CPU-heavy work (a PDF render) on a blocking thread, at most `State::heavy` at once, so that the
/// async threads keep serving pages whatever is asked for.
pub async fn heavy<T: Send + 'static>(
    state: &crate::state::State,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, WebError> {
    let _permit = state
        .heavy
        .acquire()
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| WebError::Internal(format!("a render stopped: {e}")))
}
