//! Portal pages: the start page with forms by topic, search results, a form's landing page.

use std::sync::Arc;

use maud::{Markup, html};

use super::layout::{Crumb, Frame, page};
use crate::forms::{FormDef, LoginLevel, LoginRequirement, Topic};
use crate::i18n::Loc;
use crate::paths;

fn search_form(loc: Loc<'_>, query: &str) -> Markup {
    html! {
        form.search method="get" action=(paths::SEARCH) role="search" {
            label.search__label for="q" { (loc.t("search-label")) }
            p.field__hint #q-hint { (loc.t("search-hint")) }
            div.search__row {
                input.search__input #q type="search" name="q" value=(query) aria-describedby="q-hint" autocomplete="off" maxlength="200";
                button.search__button type="submit" { (loc.t("search-button")) }
            }
        }
    }
}

fn form_item(loc: Loc<'_>, f: &FormDef) -> Markup {
    html! {
        li.form-list__item {
            a.form-list__link href=(paths::landing(&f.id)) { (f.title.get(loc.lang)) }
            p.form-list__desc { (f.intro.get(loc.lang)) }
        }
    }
}

pub fn start(frame: &Frame<'_>, intro: &str, forms: &[Arc<FormDef>]) -> Markup {
    let loc = frame.loc;
    let main = html! {
        h1 { (loc.t("portal-heading")) }
        p.lead { (intro) }
        (search_form(loc, ""))
        @if forms.is_empty() {
            p.empty-state { (loc.t("portal-no-forms")) }
        } @else {
            h2.visually-hidden { (loc.t("portal-topics")) }
            div.topic-list {
                @for topic in Topic::ORDER {
                    @let in_topic: Vec<&Arc<FormDef>> = forms.iter().filter(|f| f.topic == topic).collect();
                    @if !in_topic.is_empty() {
                        section.topic #(topic.id()) aria-labelledby={ "t-" (topic.id()) } {
                            h2.topic__title #{ "t-" (topic.id()) } { (loc.t(topic.label_key())) }
                            ul.form-list {
                                @for f in in_topic { (form_item(loc, f)) }
                            }
                        }
                    }
                }
            }
        }
    };
    page(frame, loc.t("portal-heading"), &[], main)
}

/// The search page. `elsewhere`: library forms that match but this municipality does not offer (shown
/// only when none of its own do).
pub fn search(
    frame: &Frame<'_>,
    query: &str,
    hits: &[&Arc<FormDef>],
    elsewhere: &[&Arc<FormDef>],
) -> Markup {
    let loc = frame.loc;
    let main = html! {
        h1 { (loc.t("search-heading")) }
        (search_form(loc, query))
        div.results {
            @if query.trim().is_empty() {
                p.empty-state { (loc.t("search-empty")) }
            } @else if hits.is_empty() && !elsewhere.is_empty() {
                p.empty-state { (loc.tf("search-not-offered", &[("query", query.to_owned().into()), ("tenant", frame.tenant_name.to_owned().into())])) }
                ul.list {
                    @for f in elsewhere.iter().take(5) { li { (f.title.get(loc.lang)) } }
                }
                p { (loc.t("search-not-offered-contact")) " " a href={ "mailto:" (frame.contact_email) } { (frame.contact_email) } }
            } @else if hits.is_empty() {
                p.empty-state { (loc.tf("search-none", &[("query", query.to_owned().into())])) }
            } @else {
                p.results__count { (loc.tf("search-count", &[("count", hits.len().into()), ("query", query.to_owned().into())])) }
                ul.form-list {
                    @for f in hits { (form_item(loc, f)) }
                }
            }
            p { a href=(paths::PORTAL) { (loc.t("search-all-forms")) } }
        }
    };
    let home = loc.t("breadcrumb-home");
    let title = loc.t("search-heading");
    page(
        frame,
        title,
        &[
            Crumb {
                label: home,
                href: Some("/"),
            },
            Crumb {
                label: title,
                href: None,
            },
        ],
        main,
    )
}

fn login_text<'a>(loc: Loc<'a>, f: &FormDef) -> &'a str {
    match (f.login, f.login_level) {
        (LoginRequirement::None, _) => loc.t("form-login-none"),
        (LoginRequirement::Optional, _) => loc.t("form-login-optional"),
        (LoginRequirement::Required, Some(LoginLevel::High)) => loc.t("form-login-required-high"),
        (LoginRequirement::Required, Some(LoginLevel::Substantial)) => {
            loc.t("form-login-required-substantial")
        }
        (LoginRequirement::Required, _) => loc.t("form-login-required-low"),
    }
}

/// A form's landing page. `offered`: the highest login level this installation offers (none without
/// accounts or a provider).
pub fn landing(frame: &Frame<'_>, f: &FormDef, offered: Option<LoginLevel>) -> Markup {
    let loc = frame.loc;
    let lang = loc.lang;
    let title = f.title.get(lang);
    let main = html! {
        h1 { (title) }
        p.lead { (f.intro.get(lang)) }
        @if !f.can_start_with(offered) {
            div.notice role="note" { p { (loc.t("form-login-unavailable")) } }
        } @else {
            @if f.login == LoginRequirement::Required {
                div.notice role="note" { p { (loc.t("form-login-needed-note")) } }
            }
            form method="post" action=(paths::start(&f.id)) {
                input type="hidden" name="csrf" value=(frame.csrf);
                button.button.button--start type="submit" { (loc.t("form-start")) }
            }
        }
        h2 { (loc.t("form-about")) }
        dl.facts {
            @if let Some(who) = &f.who_can_apply {
                div { dt.facts__key { (loc.t("form-who")) } dd.facts__value { (who.get(lang)) } }
            }
            @if let Some(days) = f.handling_time_days {
                div { dt.facts__key { (loc.t("form-handling-time")) } dd.facts__value { (loc.tf("form-handling-days", &[("days", days.into())])) } }
            }
            // What the privacy statement points to: the act the municipality handles this under.
            @if let Some(basis) = &f.legal_basis {
                div { dt.facts__key { (loc.t("form-legal-basis")) } dd.facts__value { (basis.get(lang)) } }
            }
            div { dt.facts__key { (loc.t("form-login")) } dd.facts__value { (login_text(loc, f)) } }
        }
        @if let Some(need) = &f.what_you_need {
            @if !need.get(lang).is_empty() {
                h2 { (loc.t("form-need")) }
                ul.checklist { @for item in need.get(lang) { li { (item) } } }
            }
        }
        h2 { (loc.t("form-read-more")) }
        ul.links {
            @for l in &f.links { li { a href=(l.url) { (l.title.get(lang)) } } }
            li { a href=(paths::blank_pdf(&f.id)) download { (loc.t("form-blank-pdf")) } }
        }
    };
    let home = loc.t("breadcrumb-home");
    page(
        frame,
        title,
        &[
            Crumb {
                label: home,
                href: Some("/"),
            },
            Crumb {
                label: title,
                href: None,
            },
        ],
        main,
    )
}
