//! Request handlers, one file per route group. A handler reads the request, calls the engine and the
//! store, and renders a view; it never builds HTML itself.

pub mod assets;
pub mod errors;
pub mod form_run;
pub mod language;
pub mod portal;
pub mod system;

use crate::http::request::Ctx;
use crate::views::Frame;

/// What the pipeline hands a handler: the context, the path parameter, and the verified form fields.
pub struct Request<'a, 'c> {
    pub ctx: &'a Ctx<'c>,
    pub params: &'a [&'a str],
    pub form: &'a [(String, String)],
    /// A `multipart/form-data` body not read yet (upload routes only); the handler takes it.
    pub body: Option<&'a BodySlot>,
}

/// A request body handed to the handler unread.
pub type BodySlot = std::sync::Mutex<Option<(hyper::HeaderMap, hyper::body::Incoming)>>;

impl Request<'_, '_> {
    /// The n-th path parameter.
    pub fn param(&self, n: usize) -> Option<&str> {
        self.params.get(n).copied()
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
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
    }
}
