//! Renders a [`WebError`] as a translated page in the tenant's frame, with the request id.

use hyper::header::{self, HeaderValue};

use super::frame;
use crate::http::Resp;
use crate::http::error::WebError;
use crate::http::request::Ctx;
use crate::http::response::html;
use crate::views::errors::{ErrorView, error_page};

pub fn page(ctx: &Ctx<'_>, e: &WebError) -> Resp {
    match e {
        WebError::LoginNeeded { .. } => return super::account::login_needed(ctx, e),
        WebError::StepUp { .. } => return super::account::step_up(ctx, e),
        _ => {}
    }
    let loc = ctx.loc();
    let (title_key, body_key) = e.keys();
    let body = match e {
        WebError::TooLarge { limit } => loc.tf(
            body_key,
            &[("limit", format!("{} kB", limit.div_ceil(1024)).into())],
        ),
        _ => loc.t(body_key).to_owned(),
    };
    let resend = match e {
        WebError::Csrf { action, fields } => Some((action.as_str(), fields.as_slice())),
        _ => None,
    };
    let csrf = ctx.csrf_token();
    // Error pages switch language back to the start page: the failed URL may not be safe to repeat.
    let f = frame(ctx, &csrf, "/");
    let view = ErrorView {
        title: loc.t(title_key),
        body,
        request_id: &ctx.request_id.0,
        resend,
    };
    let mut resp = html(e.status(), error_page(&f, &view).into_string());
    let h = resp.headers_mut();
    match e {
        WebError::MethodNotAllowed(allow) => {
            if let Ok(v) = HeaderValue::from_str(allow) {
                h.insert(header::ALLOW, v);
            }
        }
        WebError::TooMany { retry_after, .. } => {
            if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                h.insert(header::RETRY_AFTER, v);
            }
        }
        WebError::TooLarge { .. } | WebError::Timeout | WebError::HeadersTooLarge => {
            // The rest of the body was not read; the connection cannot be reused.
            h.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        _ => {}
    }
    resp
}
