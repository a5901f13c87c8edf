//! Error pages: a heading, what happened and what to do, the error code to quote, and — for a refused
//! CSRF check — what the user sent, ready to send again.

use maud::{Markup, html};

use super::layout::{Crumb, Frame, page};
use crate::paths;

pub struct ErrorView<'a> {
    pub title: &'a str,
    pub body: String,
    pub request_id: &'a str,
    /// For CSRF refusals: the action and the fields to send again.
    pub resend: Option<(&'a str, &'a [(String, String)])>,
}

pub fn error_page(frame: &Frame<'_>, v: &ErrorView<'_>) -> Markup {
    let loc = frame.loc;
    let main = html! {
        div.error-page {
            h1 { (v.title) }
            p.lead { (v.body) }
            @if let Some((action, fields)) = v.resend {
                p { (loc.t("error-403-resend-body")) }
                div.notice.notice--warning { p { (loc.t("error-403-warning")) } }
                form method="post" action=(action) {
                    input type="hidden" name="csrf" value=(frame.csrf);
                    @for (k, val) in fields {
                        input type="hidden" name=(k) value=(val);
                    }
                    div.button-group {
                        button.button type="submit" { (loc.t("error-403-resend")) }
                        a.button.button--secondary href=(paths::PORTAL) { (loc.t("error-home")) }
                    }
                }
            } @else {
                p { a href=(paths::PORTAL) { (loc.t("error-home")) } }
            }
            p.request-id { (loc.tf("error-code", &[("id", v.request_id.to_owned().into())])) }
            p.request-id { (loc.t("error-code-help")) }
        }
    };
    let home = loc.t("breadcrumb-home");
    page(
        frame,
        v.title,
        &[
            Crumb {
                label: home,
                href: Some("/"),
            },
            Crumb {
                label: v.title,
                href: None,
            },
        ],
        main,
    )
}

/// After a login asked for by a refused POST: what it carried, ready to send again with this session's
/// token (nothing typed is lost when a login ends).
pub fn resend_after_login(frame: &Frame<'_>, action: &str, fields: &[(String, String)]) -> Markup {
    let loc = frame.loc;
    let title = loc.t("login-resend-title");
    let main = html! {
        div.panel--confirmation { h1 { (title) } }
        p.lead { (loc.t("login-resend-body")) }
        form method="post" action=(action) {
            input type="hidden" name="csrf" value=(frame.csrf);
            @for (k, val) in fields {
                input type="hidden" name=(k) value=(val);
            }
            div.button-group {
                button.button type="submit" { (loc.t("login-resend-submit")) }
            }
        }
    };
    super::layout::page_under_home(frame, title, main)
}
