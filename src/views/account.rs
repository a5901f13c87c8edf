//! Citizens' account pages: log in, register, forgotten password, a new password, the account's
//! settings, Mine saker (drafts and cases), one case, and the pages that say what happened. Pure
//! functions of their view models.

use maud::{Markup, html};

use super::layout::{Crumb, Frame, page, page_under_home};
use crate::i18n::Loc;
use crate::paths;

/// One text input with its label, hint and error, wired for screen readers.
pub struct Input<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub kind: &'a str,
    pub value: &'a str,
    pub autocomplete: &'a str,
    pub hint: Option<String>,
    pub error: Option<String>,
}

fn input(loc: Loc<'_>, i: &Input<'_>) -> Markup {
    let id = format!("f-{}", i.name);
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let described: Vec<&str> = [
        i.hint.as_ref().map(|_| hint_id.as_str()),
        i.error.as_ref().map(|_| err_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let described = (!described.is_empty()).then(|| described.join(" "));
    html! {
        div class=(if i.error.is_some() { "field field--error" } else { "field" }) {
            label.field__label for=(id) { (i.label) }
            @if let Some(h) = &i.hint { p.field__hint id=(hint_id) { (h) } }
            @if let Some(e) = &i.error {
                p.field__error id=(err_id) { span.visually-hidden { (loc.t("error-prefix")) " " } (e) }
            }
            input.input id=(id) type=(i.kind) name=(i.name) value=(i.value) autocomplete=(i.autocomplete)
                spellcheck="false" aria-describedby=[described] aria-invalid=[i.error.as_ref().map(|_| "true")];
        }
    }
}

/// The error summary at the top of a page with inputs: each error links to its input.
fn summary(loc: Loc<'_>, inputs: &[&Input<'_>], general: Option<&str>) -> Markup {
    let errors: Vec<(String, &str)> = inputs
        .iter()
        .filter_map(|i| i.error.as_deref().map(|e| (format!("#f-{}", i.name), e)))
        .collect();
    html! {
        @if !errors.is_empty() || general.is_some() {
            div.error-summary role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title" {
                h2.error-summary__title #error-summary-title { (loc.t("error-summary-title")) }
                ul.error-summary__list {
                    @if let Some(g) = general { li { (g) } }
                    @for (href, e) in &errors { li { a href=(href) { (e) } } }
                }
            }
        }
    }
}

fn notice(n: Option<&str>) -> Markup {
    html! { @if let Some(n) = n { div.notice role="status" { p { (n) } } } }
}

/// What a refused POST carried, kept through the login page so that nothing typed is lost: the action
/// and its fields, url-encoded in one hidden field.
pub struct Kept<'a> {
    pub action: &'a str,
    pub fields: &'a str,
}

/// A button that logs in through an OpenID provider (a POST, so the provider is only asked when the
/// citizen presses it).
pub struct ProviderButton<'a> {
    pub title: &'a str,
    pub action: String,
    /// The level asked for (`substantial`, `high`), when the page needs one.
    pub level: Option<&'static str>,
}

fn provider_buttons(
    frame: &Frame<'_>,
    buttons: &[ProviderButton<'_>],
    back: Option<&str>,
    kept: Option<&Kept<'_>>,
) -> Markup {
    let loc = frame.loc;
    html! {
        @for b in buttons {
            form.provider-login method="post" action=(b.action) {
                input type="hidden" name="csrf" value=(frame.csrf);
                @if let Some(t) = back { input type="hidden" name="til" value=(t); }
                @if let Some(l) = b.level { input type="hidden" name="niva" value=(l); }
                @if let Some(k) = kept {
                    input type="hidden" name="bevart-til" value=(k.action);
                    input type="hidden" name="bevart" value=(k.fields);
                }
                button.button type="submit" { (loc.tf("login-with", &[("provider", b.title.to_owned().into())])) }
            }
        }
    }
}

pub struct LoginView<'a> {
    pub providers: Vec<ProviderButton<'a>>,
    /// The password form is shown (not when the page needs a level a password cannot give).
    pub password_form: bool,
    pub email: Input<'a>,
    pub password: Input<'a>,
    /// A same-site path to return to after the login.
    pub back_to: Option<&'a str>,
    pub notice: Option<String>,
    pub general_error: Option<String>,
    pub kept: Option<Kept<'a>>,
    /// Registration is open (an SMTP server can send the links).
    pub can_register: bool,
}

pub fn login(frame: &Frame<'_>, v: &LoginView<'_>) -> Markup {
    let loc = frame.loc;
    let title = loc.t("login-title");
    let main = html! {
        (summary(loc, &[&v.email, &v.password], v.general_error.as_deref()))
        (notice(v.notice.as_deref()))
        h1 { (title) }
        @if !v.providers.is_empty() {
            p.lead { (loc.t("login-provider-intro")) }
            (provider_buttons(frame, &v.providers, v.back_to, v.kept.as_ref()))
            @if v.password_form { h2 { (loc.t("login-password-heading")) } }
        }
        @if v.password_form {
        p.lead { (loc.t("login-intro")) }
        form method="post" action=(paths::LOGIN) novalidate {
            input type="hidden" name="csrf" value=(frame.csrf);
            @if let Some(b) = v.back_to { input type="hidden" name="til" value=(b); }
            @if let Some(k) = &v.kept {
                input type="hidden" name="bevart-til" value=(k.action);
                input type="hidden" name="bevart" value=(k.fields);
            }
            (input(loc, &v.email))
            (input(loc, &v.password))
            div.button-group {
                button.button type="submit" { (loc.t("login-submit")) }
            }
        }
        p { a href=(paths::FORGOT) { (loc.t("login-forgot")) } }
        @if v.can_register {
            h2 { (loc.t("login-no-account")) }
            p { (loc.t("login-register-intro")) " " a href=(paths::REGISTER) { (loc.t("login-register-link")) } }
        }
        }
        p { (loc.t("login-without")) }
    };
    page_under_home(frame, title, main)
}

pub struct RegisterView<'a> {
    pub email: Input<'a>,
    pub password: Input<'a>,
}

pub fn register(frame: &Frame<'_>, v: &RegisterView<'_>) -> Markup {
    let loc = frame.loc;
    let title = loc.t("register-title");
    let main = html! {
        (summary(loc, &[&v.email, &v.password], None))
        h1 { (title) }
        p.lead { (loc.t("register-intro")) }
        form method="post" action=(paths::REGISTER) novalidate {
            input type="hidden" name="csrf" value=(frame.csrf);
            (input(loc, &v.email))
            (input(loc, &v.password))
            p { (loc.t("register-privacy")) " " a href=(paths::PRIVACY) { (loc.t("footer-privacy")) } }
            div.button-group { button.button type="submit" { (loc.t("register-submit")) } }
        }
        p { a href=(paths::LOGIN) { (loc.t("register-have-account")) } }
    };
    page_under_home(frame, title, main)
}

/// A page with one form of inputs (forgotten password, a new password, confirm a deletion).
pub struct FormView<'a> {
    pub title: &'a str,
    pub intro: String,
    pub action: &'a str,
    pub inputs: Vec<Input<'a>>,
    pub submit: &'a str,
    pub general_error: Option<String>,
}

pub fn form_page(frame: &Frame<'_>, v: &FormView<'_>) -> Markup {
    let loc = frame.loc;
    let refs: Vec<&Input<'_>> = v.inputs.iter().collect();
    let main = html! {
        (summary(loc, &refs, v.general_error.as_deref()))
        h1 { (v.title) }
        p.lead { (v.intro) }
        form method="post" action=(v.action) novalidate {
            input type="hidden" name="csrf" value=(frame.csrf);
            @for i in &v.inputs { (input(loc, i)) }
            div.button-group { button.button type="submit" { (v.submit) } }
        }
    };
    page_under_home(frame, v.title, main)
}

/// A page that says what happened, with links on.
pub struct MessageView<'a> {
    pub title: &'a str,
    pub paragraphs: Vec<String>,
    pub links: Vec<(&'a str, String)>,
    /// A panel that confirms (green) rather than a plain heading.
    pub confirmation: bool,
}

pub fn message(frame: &Frame<'_>, v: &MessageView<'_>) -> Markup {
    let main = html! {
        @if v.confirmation {
            div.panel--confirmation { h1 { (v.title) } }
        } @else {
            h1 { (v.title) }
        }
        @for p in &v.paragraphs { p { (p) } }
        @if !v.links.is_empty() {
            ul.link-list { @for (label, href) in &v.links { li { a href=(href) { (label) } } } }
        }
    };
    page_under_home(frame, v.title, main)
}

/// A form that needs a higher login level than the citizen has.
pub struct StepUpView<'a> {
    pub needed: &'a str,
    pub have: &'a str,
    pub back_to: &'a str,
    /// Providers that can give the level needed.
    pub providers: Vec<ProviderButton<'a>>,
}

pub fn step_up(frame: &Frame<'_>, v: &StepUpView<'_>) -> Markup {
    let loc = frame.loc;
    let title = loc.t("stepup-title");
    let main = html! {
        h1 { (title) }
        p.lead { (loc.tf("stepup-body", &[("needed", v.needed.to_owned().into()), ("have", v.have.to_owned().into())])) }
        @if v.providers.is_empty() {
            p { (loc.t("stepup-none-here")) }
        } @else {
            p { (loc.t("stepup-login-again")) }
            (provider_buttons(frame, &v.providers, Some(v.back_to), None))
        }
        p { (loc.t("stepup-kept")) }
        ul.link-list {
            li { a href=(v.back_to) { (loc.t("stepup-back")) } }
            li { a href=(paths::MY_CASES) { (loc.t("my-cases-title")) } }
        }
    };
    page_under_home(frame, title, main)
}

pub struct DraftRow {
    pub form_title: String,
    pub continue_href: String,
    pub delete_action: Option<String>,
    pub attach_action: Option<String>,
    pub updated: String,
    pub expires: String,
    pub newer_version: bool,
}

pub struct CaseRow {
    /// Changes not seen yet.
    pub unread: usize,
    pub reference: String,
    pub form_title: String,
    pub sent: String,
    pub status: String,
    pub href: String,
}

/// The same identity's cases and drafts in another municipality of this installation.
pub struct Elsewhere {
    pub municipality: String,
    pub cases: Vec<CaseRow>,
    pub drafts: usize,
    /// That municipality's Mine saker (its own host: the citizen logs in there too).
    pub href: String,
}

pub struct MyCasesView<'a> {
    /// Other municipalities where the same e-ID has cases or drafts.
    pub elsewhere: Vec<Elsewhere>,
    /// Changes of all cases not seen yet.
    pub unread: usize,
    pub email: &'a str,
    pub last_login: Option<String>,
    pub drafts: Vec<DraftRow>,
    /// Drafts of this browser not kept with the account (attached only when the citizen asks).
    pub browser_drafts: Vec<DraftRow>,
    pub cases: Vec<CaseRow>,
    pub notice: Option<String>,
}

fn draft_table(frame: &Frame<'_>, rows: &[DraftRow], caption: &str) -> Markup {
    let loc = frame.loc;
    html! {
        div.table-wrap { table.table {
            caption.visually-hidden { (caption) }
            thead { tr {
                th scope="col" { (loc.t("my-cases-form")) }
                th scope="col" { (loc.t("my-cases-updated")) }
                th scope="col" { (loc.t("my-cases-expires")) }
                th scope="col" { span.visually-hidden { (loc.t("my-cases-actions")) } }
            } }
            tbody {
                @for d in rows {
                    tr {
                        td {
                            a href=(d.continue_href) { (loc.t("my-cases-continue")) " " (d.form_title) }
                            @if d.newer_version { br; span.field__hint { (loc.t("my-cases-newer-version")) } }
                        }
                        td { (d.updated) }
                        td { (d.expires) }
                        td {
                            @if let Some(a) = &d.attach_action {
                                form method="post" action=(a) {
                                    input type="hidden" name="csrf" value=(frame.csrf);
                                    button.button.button--secondary type="submit" { (loc.t("my-cases-attach")) span.visually-hidden { ": " (d.form_title) } }
                                }
                            }
                            @if let Some(a) = &d.delete_action {
                                form method="post" action=(a) {
                                    input type="hidden" name="csrf" value=(frame.csrf);
                                    button.button.button--secondary type="submit" { (loc.t("my-cases-delete")) span.visually-hidden { ": " (d.form_title) } }
                                }
                            }
                        }
                    }
                }
            }
        } }
    }
}

pub fn my_cases(frame: &Frame<'_>, v: &MyCasesView<'_>) -> Markup {
    let loc = frame.loc;
    let title = loc.t("my-cases-title");
    let main = html! {
        (notice(v.notice.as_deref()))
        h1 { (title) }
        p.lead { (loc.tf("my-cases-logged-in-as", &[("email", v.email.to_owned().into())])) }
        @if let Some(l) = &v.last_login { p { (loc.tf("my-cases-last-login", &[("when", l.clone().into())])) } }
        div.button-group {
            a.button.button--secondary href=(paths::ACCOUNT) { (loc.t("account-title")) }
            form method="post" action=(paths::LOGOUT) {
                input type="hidden" name="csrf" value=(frame.csrf);
                button.button.button--secondary type="submit" { (loc.t("logout-submit")) }
            }
        }
        h2 { (loc.t("my-cases-drafts")) }
        @if v.drafts.is_empty() { p { (loc.t("my-cases-no-drafts")) } }
        @else { (draft_table(frame, &v.drafts, loc.t("my-cases-drafts"))) }
        @if !v.browser_drafts.is_empty() {
            h2 { (loc.t("my-cases-browser-drafts")) }
            p { (loc.t("my-cases-browser-drafts-intro")) }
            (draft_table(frame, &v.browser_drafts, loc.t("my-cases-browser-drafts")))
        }
        h2 { (loc.t("my-cases-sent")) }
        @if v.unread > 0 { p { strong { (loc.tf("my-cases-unread-total", &[("count", v.unread.into())])) } } }
        @if v.cases.is_empty() { p { (loc.t("my-cases-none-sent")) } }
        @else {
            div.table-wrap { table.table {
                caption.visually-hidden { (loc.t("my-cases-sent")) }
                thead { tr {
                    th scope="col" { (loc.t("my-cases-reference")) }
                    th scope="col" { (loc.t("my-cases-form")) }
                    th scope="col" { (loc.t("my-cases-sent-at")) }
                    th scope="col" { (loc.t("my-cases-status")) }
                } }
                tbody {
                    @for c in &v.cases {
                        tr {
                            td {
                                a href=(c.href) { (c.reference) }
                                @if c.unread > 0 { " " strong.badge { (loc.tf("my-cases-unread", &[("count", c.unread.into())])) } }
                            }
                            td { (c.form_title) }
                            td { (c.sent) }
                            td { (c.status) }
                        }
                    }
                }
            } }
        }
        @if !v.elsewhere.is_empty() {
            h2 { (loc.t("my-cases-elsewhere")) }
            p { (loc.t("my-cases-elsewhere-intro")) }
            @for e in &v.elsewhere {
                h3 { (e.municipality) }
                @if e.drafts > 0 { p { (loc.tf("my-cases-elsewhere-drafts", &[("count", e.drafts.into())])) } }
                @if !e.cases.is_empty() {
                    div.table-wrap { table.table {
                        caption.visually-hidden { (loc.t("my-cases-sent")) ": " (e.municipality) }
                        thead { tr {
                            th scope="col" { (loc.t("my-cases-reference")) }
                            th scope="col" { (loc.t("my-cases-form")) }
                            th scope="col" { (loc.t("my-cases-sent-at")) }
                            th scope="col" { (loc.t("my-cases-status")) }
                        } }
                        tbody {
                            @for c in &e.cases {
                                tr {
                                    td { a href=(c.href) { (c.reference) } }
                                    td { (c.form_title) }
                                    td { (c.sent) }
                                    td { (c.status) }
                                }
                            }
                        }
                    } }
                }
                p { a href=(e.href) { (loc.tf("my-cases-elsewhere-link", &[("municipality", e.municipality.clone().into())])) } }
            }
        }
    };
    page_under_home(frame, title, main)
}

pub struct CaseView<'a> {
    /// Starts a new draft of the form with this case's answers (when the form is still offered).
    pub copy_action: Option<String>,
    pub reference: &'a str,
    pub form_title: &'a str,
    pub sent: String,
    pub status: String,
    /// (when, what) oldest first.
    pub history: Vec<(String, String)>,
    pub pdf_href: String,
}

pub fn case(frame: &Frame<'_>, v: &CaseView<'_>) -> Markup {
    let loc = frame.loc;
    let title = loc.tf(
        "case-title",
        &[("reference", v.reference.to_owned().into())],
    );
    let main = html! {
        span.caption { (v.form_title) }
        h1 { (title) }
        dl.summary-list {
            div.summary-list__row { dt.summary-list__key { (loc.t("my-cases-sent-at")) } dd.summary-list__value { (v.sent) } }
            div.summary-list__row { dt.summary-list__key { (loc.t("my-cases-status")) } dd.summary-list__value { (v.status) } }
        }
        h2 { (loc.t("case-history")) }
        ol.case-history {
            @for (when, what) in &v.history { li { (when) ": " (what) } }
        }
        p { a href=(v.pdf_href) download { (loc.t("receipt-pdf")) } }
        @if let Some(a) = &v.copy_action {
            h2 { (loc.t("case-copy-heading")) }
            p { (loc.t("case-copy-body")) }
            form method="post" action=(a) {
                input type="hidden" name="csrf" value=(frame.csrf);
                button.button.button--secondary type="submit" { (loc.t("case-copy-submit")) }
            }
        }
    };
    let my = loc.t("my-cases-title");
    let crumbs = [
        Crumb {
            label: loc.t("breadcrumb-home"),
            href: Some(paths::PORTAL),
        },
        Crumb {
            label: my,
            href: Some(paths::MY_CASES),
        },
        Crumb {
            label: &title,
            href: None,
        },
    ];
    page(frame, &title, &crumbs, main)
}

pub struct AccountView<'a> {
    pub email: &'a str,
    /// The account logs in with a password (else only through a provider: no password or address to
    /// change, and deleting needs no password).
    pub password_account: bool,
    pub notice: Option<String>,
    /// Name, phone, street address, postnummer: what forms are prefilled with.
    pub profile: [Input<'a>; 4],
    pub change_password: [Input<'a>; 2],
    pub change_email: [Input<'a>; 2],
    pub delete: Input<'a>,
}

pub fn account(frame: &Frame<'_>, v: &AccountView<'_>) -> Markup {
    let loc = frame.loc;
    let title = loc.t("account-title");
    let all: Vec<&Input<'_>> = v
        .profile
        .iter()
        .chain(v.change_password.iter())
        .chain(v.change_email.iter())
        .chain(std::iter::once(&v.delete))
        .collect();
    let main = html! {
        (summary(loc, &all, None))
        (notice(v.notice.as_deref()))
        h1 { (title) }
        p.lead { (loc.tf("my-cases-logged-in-as", &[("email", v.email.to_owned().into())])) }
        @if v.password_account {
        h2 #profil { (loc.t("account-profile-heading")) }
        p { (loc.t("account-profile-intro")) }
        form method="post" action=(paths::ACCOUNT_PROFILE) novalidate {
            input type="hidden" name="csrf" value=(frame.csrf);
            @for i in &v.profile { (input(loc, i)) }
            div.button-group { button.button type="submit" { (loc.t("account-profile-submit")) } }
        }
        h2 #passord { (loc.t("account-password-heading")) }
        form method="post" action=(paths::ACCOUNT_PASSWORD) novalidate {
            input type="hidden" name="csrf" value=(frame.csrf);
            @for i in &v.change_password { (input(loc, i)) }
            div.button-group { button.button type="submit" { (loc.t("account-password-submit")) } }
        }
        h2 #epost { (loc.t("account-email-heading")) }
        form method="post" action=(paths::ACCOUNT_EMAIL) novalidate {
            input type="hidden" name="csrf" value=(frame.csrf);
            @for i in &v.change_email { (input(loc, i)) }
            div.button-group { button.button type="submit" { (loc.t("account-email-submit")) } }
        }
        }
        h2 #slett { (loc.t("account-delete-heading")) }
        p { (loc.t("account-delete-body")) }
        form method="post" action=(paths::ACCOUNT_DELETE) novalidate {
            input type="hidden" name="csrf" value=(frame.csrf);
            @if v.password_account { (input(loc, &v.delete)) }
            div.button-group { button.button type="submit" { (loc.t("account-delete-submit")) } }
        }
        p { a href=(paths::MY_CASES) { (loc.t("my-cases-title")) } }
    };
    page_under_home(frame, title, main)
}
