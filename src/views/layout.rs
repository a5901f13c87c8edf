//! The page frame: skip link, header with logo and language switch, broadcast slot, main, footer.

use maud::{DOCTYPE, Markup, html};

use crate::i18n::{Lang, Loc};
use crate::paths;

/// What every page needs from its request, prepared by the handler.
pub struct Frame<'a> {
    pub loc: Loc<'a>,
    pub tenant_name: &'a str,
    pub css_url: &'a str,
    pub logo_url: &'a str,
    pub csrf: &'a str,
    /// The current path and query, where the language switch returns to.
    pub here: &'a str,
    pub contact_email: &'a str,
    pub contact_phone: Option<&'a str>,
    /// `<meta name="description">`
    pub description: Option<&'a str>,
    /// `<meta name="keywords">`
    pub keywords: Option<String>,
    /// Broadcast messages (filled by the admin issue).
    pub broadcasts: &'a [String],
    /// The `id` of a form on the page the language buttons submit instead of their own (a step: what
    /// was typed is saved before the page is shown in the new language).
    pub switch_form: Option<&'a str>,
    /// A script the page may use (`defer`): the pages work without it.
    pub script_url: Option<&'a str>,
}

pub struct Crumb<'a> {
    pub label: &'a str,
    pub href: Option<&'a str>,
}

/// A page whose breadcrumbs are the portal and itself.
pub fn page_under_home(frame: &Frame<'_>, title: &str, main: Markup) -> Markup {
    let crumbs = [
        Crumb {
            label: frame.loc.t("breadcrumb-home"),
            href: Some("/"),
        },
        Crumb {
            label: title,
            href: None,
        },
    ];
    page(frame, title, &crumbs, main)
}

pub fn page(frame: &Frame<'_>, title: &str, crumbs: &[Crumb<'_>], main: Markup) -> Markup {
    let loc = frame.loc;
    html! {
        (DOCTYPE)
        html lang=(loc.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (frame.tenant_name) }
                @if let Some(d) = frame.description { meta name="description" content=(d); }
                @if let Some(k) = &frame.keywords { meta name="keywords" content=(k); }
                link rel="stylesheet" href=(frame.css_url);
                link rel="icon" href=(frame.logo_url) type="image/svg+xml";
                @if let Some(src) = frame.script_url { script src=(src) defer {} }
            }
            body {
                a.skip-link href="#main" { (loc.t("skip-link")) }
                header.site-header {
                    div.site-header__inner.container {
                        a.site-header__brand href=(paths::PORTAL) {
                            img.site-header__logo src=(frame.logo_url) alt="";
                            span.site-header__name { (frame.tenant_name) }
                        }
                        div.site-header__tools {
                            a.site-header__link href=(paths::MY_CASES) { (loc.t("header-my-cases")) }
                            (language_switch(frame))
                        }
                    }
                }
                @if !frame.broadcasts.is_empty() {
                    div.broadcast role="region" aria-label=(loc.t("broadcast-label")) {
                        div.container {
                            @for b in frame.broadcasts { p.broadcast__message { (b) } }
                        }
                    }
                }
                main #main .main.container tabindex="-1" {
                    @if !crumbs.is_empty() {
                        nav.breadcrumbs aria-label=(loc.t("breadcrumb-label")) {
                            ol {
                                @for c in crumbs {
                                    li {
                                        @match c.href {
                                            Some(h) => a href=(h) { (c.label) },
                                            None => span aria-current="page" { (c.label) },
                                        }
                                    }
                                }
                            }
                        }
                    }
                    (main)
                }
                footer.site-footer {
                    div.container {
                        h2.visually-hidden { (loc.t("footer-contact")) }
                        p { strong { (frame.tenant_name) } }
                        ul.site-footer__contact {
                            li { (loc.t("footer-email")) ": " a href={ "mailto:" (frame.contact_email) } { (frame.contact_email) } }
                            @if let Some(p) = frame.contact_phone {
                                li { (loc.t("footer-phone")) ": " a href={ "tel:" (p.replace(' ', "")) } { (p) } }
                            }
                        }
                        p { (loc.t("footer-about")) }
                        ul.site-footer__links {
                            li { a href=(paths::PRIVACY) { (loc.t("footer-privacy")) } }
                            li { a href=(paths::ACCESSIBILITY) { (loc.t("footer-accessibility")) } }
                        }
                    }
                }
            }
        }
    }
}

fn language_switch(frame: &Frame<'_>) -> Markup {
    let current = frame.loc.lang;
    html! {
        form.lang-switch method="post" action=(paths::LANGUAGE) {
            input type="hidden" name="csrf" value=(frame.csrf);
            input type="hidden" name="tilbake" value=(frame.here);
            span.lang-switch__label.visually-hidden { (frame.loc.t("lang-switch-label")) }
            @for l in Lang::ALL {
                @let current = (l == current).then_some("true");
                @match frame.switch_form {
                    Some(id) => button.lang-switch__button type="submit" form=(id) name="handling" value={ "sprak:" (l.code()) } lang=(l.code()) aria-current=[current] { (l.native_name()) },
                    None => button.lang-switch__button type="submit" name="lang" value=(l.code()) lang=(l.code()) aria-current=[current] { (l.native_name()) },
                }
            }
        }
    }
}
