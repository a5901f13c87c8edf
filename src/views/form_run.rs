//! Pages of the way through a form: a step, the control page, check-answers, the receipt.

use maud::{Markup, html};

use super::fields::{FieldCtx, field, label_of, message_text};
use super::layout::{Crumb, Frame, page, page_under_home};
use crate::forms::FormDef;
use crate::forms::answers::{Answers, anchor};
use crate::forms::engine::{Engine, FieldError};
use crate::forms::summary::{FileShown, StepSummary, Value};
use crate::i18n::Loc;
use crate::ids::{FileId, Reference};
use crate::paths;

fn crumbs<'a>(loc: Loc<'a>, f: &'a FormDef, href: &'a str) -> Vec<Crumb<'a>> {
    vec![
        Crumb {
            label: loc.t("breadcrumb-home"),
            href: Some("/"),
        },
        Crumb {
            label: f.title.get(loc.lang),
            href: Some(href),
        },
    ]
}

fn error_summary(
    loc: Loc<'_>,
    def: &FormDef,
    errors: &[FieldError],
    link: &dyn Fn(&FieldError) -> String,
) -> Markup {
    let texts: Vec<String> = errors
        .iter()
        .map(|e| {
            let label = def
                .field_for_name(&e.name)
                .map(|(_, f)| label_of(loc, f))
                .unwrap_or_default();
            message_text(loc, &e.message, &label)
        })
        .collect();
    // The same question asked on two steps (a name, a phone number) gives the same text: each link then
    // says which step it goes to, so no two links read alike.
    let twice = |t: &String| texts.iter().filter(|x| *x == t).count() > 1;
    html! {
        div.error-summary role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title" {
            h2.error-summary__title #error-summary-title { (loc.t("error-summary-title")) }
            ul.error-summary__list {
                @for (e, text) in errors.iter().zip(&texts) {
                    li { a href=(link(e)) {
                        @if twice(text) && let Some(step) = def.steps.get(e.step) {
                            (step.title.get(loc.lang)) ": "
                        }
                        (text)
                    } }
                }
            }
        }
    }
}

pub struct StepView<'a> {
    pub engine: &'a Engine<'a>,
    pub answers: &'a Answers,
    pub errors: &'a [FieldError],
    /// Position among the visible steps (0-based) and the step's index in the definition.
    pub position: usize,
    pub step: usize,
    pub visible: &'a [usize],
    /// Where "Next" returns to (`?fra=oppsummering` after a change link).
    pub action: String,
    pub files: &'a std::collections::BTreeMap<FileId, crate::attachments::StoredFile>,
    /// Said above the step: the draft continues on the form version it was started on.
    pub notice: Option<String>,
    /// The step has a file input: the form is sent as multipart.
    pub uploads: bool,
    /// A logged-in citizen: when the idle timeout ends her login (Norwegian time, "23:41") and how many
    /// seconds are left. The page says so and offers a button that saves the step and extends it.
    pub idle: Option<(String, i64)>,
}

pub fn step(frame: &Frame<'_>, v: &StepView<'_>) -> Markup {
    let loc = frame.loc;
    let def = v.engine.def;
    let Some(step) = def.steps.get(v.step) else {
        return html! {};
    };
    let landing = paths::landing(&def.id);
    let cx = FieldCtx {
        loc,
        engine: v.engine,
        answers: v.answers,
        errors: v.errors,
        files: v.files,
    };
    let total = v.visible.len();
    let main = html! {
        @if !v.errors.is_empty() {
            (error_summary(loc, def, v.errors, &|e| format!("#{}", anchor(&e.name))))
        }
        @if let Some(n) = &v.notice {
            div.notice role="status" { p { (n) } }
        }
        @if let Some((until, left)) = &v.idle {
            // WCAG 2.2.1: the time limit is said before it ends, with one button that extends it (and
            // saves what was typed). The script turns this into an alert two minutes before the end.
            div.notice.idle-notice data-idle-left=(left) {
                p.idle-notice__text { (loc.tf("idle-notice", &[("time", until.clone().into())])) }
                p.idle-notice__soon hidden { (loc.t("idle-soon")) }
                button.button.button--secondary type="submit" form="step-form" name="handling" value="forleng" { (loc.t("idle-extend")) }
            }
        }
        span.caption { (def.title.get(loc.lang)) }
        h1 { (step.title.get(loc.lang)) }
        nav aria-label=(loc.t("progress-label")) {
            p.progress__text { (loc.tf("progress-text", &[("current", (v.position + 1).into()), ("total", total.into())])) }
            ol.progress {
                @for (i, si) in v.visible.iter().enumerate() {
                    @let title = def.steps.get(*si).map_or("", |s| s.title.get(loc.lang));
                    @if i == v.position {
                        li.progress__step.progress__step--current aria-current="step" { (title) }
                    } @else if i < v.position {
                        li.progress__step.progress__step--done { (title) span.visually-hidden { " (" (loc.t("progress-done")) ")" } }
                    } @else {
                        li.progress__step { (title) }
                    }
                }
            }
        }
        form #step-form method="post" action=(v.action) enctype=[v.uploads.then_some("multipart/form-data")] novalidate {
            input type="hidden" name="csrf" value=(frame.csrf);
            // Enter in a text field submits the first button in the form: make that "Next", not "Add".
            button.visually-hidden type="submit" name="handling" value="neste" tabindex="-1" aria-hidden="true" { (loc.t("button-next")) }
            @for f in &step.fields { (field(&cx, f, None)) }
            div.button-group {
                button.button type="submit" name="handling" value="neste" { (loc.t("button-next")) }
                @if v.action.ends_with("?fra=oppsummering") {
                    button.button.button--secondary type="submit" name="handling" value="tilbake" { (loc.t("button-back-to-summary")) }
                } @else {
                    button.button.button--secondary type="submit" name="handling" value="tilbake" { (loc.t("button-back")) }
                }
            }
        }
    };
    // A page with errors says so first in its title, which a screen reader reads on arrival.
    let title = if v.errors.is_empty() {
        step.title.get(loc.lang).to_owned()
    } else {
        format!("{} {}", loc.t("error-prefix"), step.title.get(loc.lang))
    };
    page(frame, &title, &crumbs(loc, def, &landing), main)
}

/// The control page: every missing or invalid answer across all steps, each linking to its field.
pub fn control(
    frame: &Frame<'_>,
    engine: &Engine<'_>,
    answers: &Answers,
    errors: &[FieldError],
) -> Markup {
    let loc = frame.loc;
    let def = engine.def;
    let visible = engine.visible_steps(answers);
    let landing = paths::landing(&def.id);
    let link = |e: &FieldError| {
        let pos = visible
            .iter()
            .position(|s| *s == e.step)
            .map_or(1, |p| p + 1);
        format!(
            "{}?fra=oppsummering#{}",
            paths::step(&def.id, pos - 1),
            anchor(&e.name)
        )
    };
    let title = loc.t("control-title");
    let main = html! {
        h1 { (title) }
        p.lead { (loc.t("control-intro")) }
        (error_summary(loc, def, errors, &link))
    };
    let title = if errors.is_empty() {
        title.to_owned()
    } else {
        format!("{} {title}", loc.t("error-prefix"))
    };
    page(frame, &title, &crumbs(loc, def, &landing), main)
}

/// Check-answers: every visible answer with a change link, then the send button.
/// The names and sizes of the files an attachment answer holds: "a.pdf (1,2 MB), b.jpg (340 kB)".
/// Files as the check-answers page lists them: name and size.
fn files_text(loc: crate::i18n::Loc<'_>, files: &[FileShown]) -> String {
    files
        .iter()
        .map(|f| {
            format!(
                "{} ({})",
                f.name,
                crate::attachments::format_size(f.size, loc.lang)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn value_text(loc: crate::i18n::Loc<'_>, v: &Value) -> String {
    match v {
        Value::Text { text, .. } => text.clone(),
        Value::Files { files, .. } => files_text(loc, files),
        Value::Rows { .. } => String::new(),
    }
}

/// The check-answers page, from the one summary walk ([`crate::forms::summary`]).
pub fn check_answers(frame: &Frame<'_>, def: &FormDef, summary: &[StepSummary]) -> Markup {
    let loc = frame.loc;
    let landing = paths::landing(&def.id);
    let title = loc.t("check-title");
    let main = html! {
        span.caption { (def.title.get(loc.lang)) }
        h1 { (title) }
        p.lead { (loc.t("check-intro")) }
        @for step in summary {
            h2 { (step.title) }
            dl.summary-list {
                @for e in &step.entries {
                    @let href = format!("{}?fra=oppsummering#{}", paths::step(&def.id, step.position), anchor(&e.id));
                    div.summary-list__row {
                        dt.summary-list__key { (e.label) }
                        dd.summary-list__value {
                            @match &e.value {
                                Value::Rows { rows, .. } => {
                                    @if rows.is_empty() { (loc.t("check-not-answered")) }
                                    @for row in rows {
                                        p {
                                            @for (j, c) in row.iter().filter_map(|c| c.value.as_ref().map(|v| (c, v))).enumerate() {
                                                @if j > 0 { br; }
                                                (c.0.label) ": " (value_text(loc, c.1))
                                            }
                                        }
                                    }
                                }
                                v => {
                                    @let shown = value_text(loc, v);
                                    @if shown.is_empty() { (loc.t("check-not-answered")) } @else { (shown) }
                                }
                            }
                        }
                        dd.summary-list__actions {
                            a href=(href) { (loc.t("check-change")) span.visually-hidden { " " (e.label) } }
                        }
                    }
                }
            }
        }
        h2 { (loc.t("check-send-heading")) }
        p { (loc.t("check-declaration")) }
        form method="post" action=(paths::send(&def.id)) {
            input type="hidden" name="csrf" value=(frame.csrf);
            button.button type="submit" { (loc.t("check-send")) }
        }
    };
    page(frame, title, &crumbs(loc, def, &landing), main)
}

pub struct ReceiptView<'a> {
    pub reference: &'a Reference,
    pub date: String,
    pub time: String,
    /// A copy can be sent by e-mail (an SMTP server is configured); otherwise the form is not shown.
    pub can_email: bool,
    /// The e-mail copy form: what was typed, a message about it, or the address a copy goes to.
    pub email_value: &'a str,
    pub email_error: Option<String>,
    pub email_sent: Option<String>,
    /// Forms offered next (title, start URL), with some answers carried over.
    pub follow_ups: Vec<(String, String)>,
}

pub fn receipt(frame: &Frame<'_>, def: &FormDef, v: &ReceiptView<'_>) -> Markup {
    let loc = frame.loc;
    let title = loc.t("receipt-title");
    let main = html! {
        div.panel--confirmation {
            h1 { (title) }
            p { (loc.t("receipt-reference")) br; strong #reference-id { (v.reference) } }
        }
        p { (def.title.get(loc.lang)) }
        p { (loc.tf("receipt-when", &[("date", v.date.clone().into()), ("time", v.time.clone().into())])) }
        h2 { (loc.t("receipt-next")) }
        @if let Some(r) = &def.receipt { p { (r.get(loc.lang)) } }
        @if let Some(days) = def.handling_time_days {
            p { (loc.t("form-handling-time")) ": " (loc.tf("form-handling-days", &[("days", days.into())])) }
        }
        p { (loc.t("receipt-keep")) }
        p { a href=(paths::receipt_pdf(&def.id, v.reference)) download { (loc.t("receipt-pdf")) } }
        @if !v.follow_ups.is_empty() {
            h2 { (loc.t("receipt-follow-ups")) }
            p { (loc.t("receipt-follow-ups-intro")) }
            @for (title, action) in &v.follow_ups {
                form.follow-up-form method="post" action=(action) {
                    input type="hidden" name="csrf" value=(frame.csrf);
                    input type="hidden" name="fra" value=(v.reference.as_str());
                    input type="hidden" name="fra-skjema" value=(def.id.as_str());
                    button.button.button--secondary type="submit" { (loc.tf("receipt-follow-up-start", &[("form", title.clone().into())])) }
                }
            }
        }
        @if v.can_email {
        h2 { (loc.t("receipt-email-heading")) }
        @if let Some(to) = &v.email_sent {
            div.notice role="status" { p { (loc.tf("receipt-email-sent", &[("address", to.clone().into())])) } }
        }
        form method="post" action=(paths::receipt_email(&def.id, v.reference)) novalidate {
            input type="hidden" name="csrf" value=(frame.csrf);
            div class=(if v.email_error.is_some() { "field field--error" } else { "field" }) {
                label.field__label for="f-epost" { (loc.t("receipt-email-label")) }
                p.field__hint #f-epost-hint { (loc.t("receipt-email-hint")) }
                @if let Some(e) = &v.email_error {
                    p.field__error #f-epost-error { span.visually-hidden { (loc.t("error-prefix")) " " } (e) }
                }
                input.input #f-epost type="email" name="epost" value=(v.email_value) autocomplete="email" spellcheck="false"
                    aria-describedby=(if v.email_error.is_some() { "f-epost-hint f-epost-error" } else { "f-epost-hint" })
                    aria-invalid=[v.email_error.as_ref().map(|_| "true")];
            }
            button.button.button--secondary type="submit" { (loc.t("receipt-email-send")) }
        }
        }
        p { a href=(paths::PORTAL) { (loc.t("receipt-new")) } }
    };
    page_under_home(frame, title, main)
}

/// The page a confirmation link opens: what the copy is and where it goes, and the button that sends it
/// (a button, not the link itself, so that a mail scanner following links sends nothing).
pub struct ConfirmView<'a> {
    pub reference: &'a Reference,
    pub address: &'a str,
    /// The action with the link's query, when the link is valid and the copy not yet sent.
    pub action: Option<String>,
    /// What happened, when something did (sent, too soon, the link expired).
    pub message: Option<String>,
}

pub fn receipt_confirm(frame: &Frame<'_>, def: &FormDef, v: &ConfirmView<'_>) -> Markup {
    let loc = frame.loc;
    let title = loc.t("confirm-title");
    let main = html! {
        h1 { (title) }
        p { (def.title.get(loc.lang)) ", " (loc.t("receipt-reference")) " " strong { (v.reference) } }
        @if let Some(m) = &v.message {
            div.notice role="status" { p { (m) } }
        }
        @if let Some(action) = &v.action {
            p { (loc.tf("confirm-body", &[("address", v.address.to_owned().into())])) }
            form method="post" action=(action) {
                input type="hidden" name="csrf" value=(frame.csrf);
                button.button type="submit" { (loc.t("confirm-send")) }
            }
        }
        p { a href=(paths::PORTAL) { (loc.t("error-home")) } }
    };
    page_under_home(frame, title, main)
}
