//! The tenant's privacy statement (personvernerklæring) and accessibility statement
//! (tilgjengelighetserklæring), linked from every page's footer. The facts come from the configuration
//! (`[tenant.privacy]`, `[tenant.accessibility]`) with defaults from the tenant; the words from the
//! catalogues.

use maud::{Markup, html};

use super::layout::{Frame, page_under_home};

/// The facts both statements name.
pub struct Facts<'a> {
    pub tenant: &'a str,
    pub controller: &'a str,
    pub privacy_email: &'a str,
    pub dpo_email: Option<&'a str>,
    pub feedback_email: &'a str,
    pub statement_url: Option<&'a str>,
    /// How long an untouched draft is kept, in days, and one never past its first step, in hours.
    pub draft_days: u64,
    pub first_step_hours: u64,
    /// Citizens can have password accounts here.
    pub accounts: bool,
}

fn mail(address: &str) -> Markup {
    html! { a href={ "mailto:" (address) } { (address) } }
}

pub fn privacy(frame: &Frame<'_>, f: &Facts<'_>) -> Markup {
    let loc = frame.loc;
    let title = loc.t("privacy-title");
    let main = html! {
        h1 { (title) }
        p.lead { (loc.tf("privacy-intro", &[("controller", f.controller.into())])) }
        h2 { (loc.t("privacy-controller-heading")) }
        p { (loc.tf("privacy-controller", &[("controller", f.controller.into())])) " " (mail(f.privacy_email)) }
        @if let Some(dpo) = f.dpo_email {
            p { (loc.t("privacy-dpo")) " " (mail(dpo)) }
        }
        h2 { (loc.t("privacy-what-heading")) }
        p { (loc.t("privacy-what")) }
        p { (loc.t("privacy-purpose")) }
        h2 { (loc.t("privacy-basis-heading")) }
        p { (loc.t("privacy-basis")) }
        p { (loc.t("privacy-basis-special")) }
        p { (loc.t("privacy-basis-consent")) }
        h2 { (loc.t("privacy-storage-heading")) }
        p { (loc.tf("privacy-storage-drafts", &[("days", f.draft_days.into()), ("hours", f.first_step_hours.into())])) }
        p { (loc.t("privacy-storage-sent")) }
        @if f.accounts { p { (loc.t("privacy-storage-account")) } }
        p { (loc.t("privacy-email-copies")) }
        h2 { (loc.t("privacy-cookies-heading")) }
        p { (loc.t("privacy-cookies")) }
        h2 { (loc.t("privacy-rights-heading")) }
        ul.list {
            li { (loc.t("privacy-right-access")) }
            li { (loc.t("privacy-right-rectify")) }
            li { (loc.t("privacy-right-erase")) }
            li { (loc.t("privacy-right-object")) }
        }
        p { (loc.t("privacy-rights-how")) " " (mail(f.privacy_email)) }
        p { (loc.t("privacy-complain")) " " a href="https://www.datatilsynet.no/" { "datatilsynet.no" } }
    };
    page_under_home(frame, title, main)
}

pub fn accessibility(frame: &Frame<'_>, f: &Facts<'_>) -> Markup {
    let loc = frame.loc;
    let title = loc.t("accessibility-title");
    let main = html! {
        h1 { (title) }
        p.lead { (loc.tf("accessibility-intro", &[("tenant", f.tenant.into())])) }
        h2 { (loc.t("accessibility-standard-heading")) }
        p { (loc.t("accessibility-standard")) }
        h2 { (loc.t("accessibility-tested-heading")) }
        p { (loc.t("accessibility-tested")) }
        h2 { (loc.t("accessibility-known-heading")) }
        ul.list {
            li { (loc.t("accessibility-known-pdf")) }
            li { (loc.t("accessibility-known-forms")) }
        }
        h2 { (loc.t("accessibility-feedback-heading")) }
        p { (loc.t("accessibility-feedback")) " " (mail(f.feedback_email)) }
        p { (loc.t("accessibility-authority")) " " a href="https://www.uutilsynet.no/" { "uutilsynet.no" } }
        @if let Some(url) = f.statement_url {
            p { (loc.t("accessibility-official")) " " a href=(url) { (url) } }
        }
    };
    page_under_home(frame, title, main)
}
