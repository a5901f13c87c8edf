//! One field of any kind, following the GOV.UK/designsystemet patterns: label, hint, error message beside
//! the input (`aria-describedby`, `aria-invalid`), fieldsets with legends for groups of inputs.

use maud::{Markup, html};

use crate::forms::answers::{Answers, anchor, row_name};
use crate::forms::definition::{ChoiceDisplay, Field, Kind};
use crate::forms::engine::{Engine, FieldError, Message};
use crate::i18n::{Loc, Texts};

/// Everything a field needs to render itself.
pub struct FieldCtx<'a> {
    pub loc: Loc<'a>,
    pub engine: &'a Engine<'a>,
    pub answers: &'a Answers,
    pub errors: &'a [FieldError],
    /// The draft's uploaded files, by id.
    pub files: &'a std::collections::BTreeMap<crate::ids::FileId, crate::attachments::StoredFile>,
}

/// A message in the page's language; catalogue messages get the field's label as `label`.
pub fn message_text(loc: Loc<'_>, m: &Message, label: &str) -> String {
    match m {
        Message::Text(t) => t.get(loc.lang).to_owned(),
        Message::Key(key, args) => {
            // Numbers go in as numbers, so plural variants ([one] / *[other]) are chosen right; what the
            // citizen typed ("0000", "012") goes in as typed, not as the number it reads as.
            let mut fargs: Vec<(&'static str, fluent_bundle::FluentValue<'_>)> = args
                .iter()
                .map(|(k, v)| {
                    let number = v.parse::<f64>().ok().filter(|n| n.to_string() == *v);
                    // Limits the way the language writes numbers ("60 000", "2,5"): as text where
                    // that differs from the digits (no plural form then depends on it: ≥ 10 000 or a
                    // fraction is "other" in all three languages). What the citizen typed stays as
                    // typed.
                    let written = number
                        .filter(|_| ["min", "max"].contains(k))
                        .filter(|n| n.abs() >= 10_000.0 || n.fract() != 0.0)
                        .and_then(|_| crate::forms::engine::format_number(v, loc.lang));
                    let value = match (written, number) {
                        (Some(w), _) => w.into(),
                        (None, Some(n)) => fluent_bundle::FluentValue::from(n),
                        (None, None) => v.clone().into(),
                    };
                    (*k, value)
                })
                .collect();
            fargs.push(("label", label.to_owned().into()));
            loc.tf(key, &fargs)
        }
    }
}

fn text<'t>(loc: Loc<'_>, t: &'t Option<Texts>) -> Option<&'t str> {
    t.as_ref().map(|t| t.get(loc.lang))
}

pub fn label_of(loc: Loc<'_>, f: &Field) -> String {
    text(loc, &f.label).unwrap_or(&f.id).to_owned()
}

struct Parts {
    id: String,
    /// "Svar bare hvis du svarte «Ja» på …": a follow-up question shown on the same page as the answer
    /// it depends on (see [`follow_up`]).
    condition: Option<String>,
    hint_id: Option<String>,
    error_id: Option<String>,
    error: Option<String>,
}

impl Parts {
    fn describedby(&self) -> Option<String> {
        let v: Vec<&str> = [self.hint_id.as_deref(), self.error_id.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        (!v.is_empty()).then(|| v.join(" "))
    }
}

/// The length limit a text question states in its hint, before the citizen meets it: a text field's own
/// `max_length`, a free-text field's own or the engine's default.
fn stated_limit(f: &Field) -> Option<usize> {
    match &f.kind {
        Kind::Text { max_length, .. } => *max_length,
        Kind::Textarea { max_length, .. } => {
            Some(max_length.unwrap_or(crate::forms::engine::DEFAULT_TEXTAREA_MAX))
        }
        _ => None,
    }
}

/// A count as the page's language writes it: "10 000" (nb, nn), "10,000" (en).
fn grouped(loc: Loc<'_>, n: usize) -> String {
    let digits = n.to_string();
    let sep = if loc.lang == crate::i18n::Lang::En {
        ','
    } else {
        '\u{a0}'
    };
    crate::forms::engine::group_digits(&digits, sep)
}

/// Whether a postnummer question on the form fills this field in (`fills = "…"`).
fn filled_from_postcode(cx: &FieldCtx<'_>, f: &Field) -> bool {
    cx.engine.def.steps.iter().any(|s| {
        s.fields
            .iter()
            .any(|x| matches!(&x.kind, Kind::Postnummer { fills: Some(t) } if *t == f.id))
    })
}

/// The hint as shown: the form's hint, then the length limit unless the form's hint states it already
/// ("Høyst 4000 tegn").
fn hint_text(cx: &FieldCtx<'_>, f: &Field) -> Option<String> {
    let own = text(cx.loc, &f.hint);
    // A poststed the postnummer fills: said so, true with and without JavaScript (the server fills it).
    // Consent that is the legal basis can be withdrawn: said where it is given.
    let filled = filled_from_postcode(cx, f)
        .then(|| cx.loc.t("hint-filled-from-postcode"))
        .or_else(|| f.consent_basis.then(|| cx.loc.t("hint-consent-withdraw")));
    let hint = match (own, filled) {
        (Some(h), Some(x)) => Some(format!("{h} {x}")),
        (h, x) => h.or(x).map(str::to_owned),
    };
    let hint = hint.as_deref();
    let limit = stated_limit(f)
        .filter(|n| {
            !hint.is_some_and(|h| {
                h.replace([' ', '\u{a0}', ',', '.'], "")
                    .contains(&n.to_string())
            })
        })
        .map(|n| {
            cx.loc
                .tf("hint-max-length", &[("max", grouped(cx.loc, n).into())])
        });
    match (hint, limit) {
        (Some(h), Some(l)) => Some(format!("{h} {l}")),
        (h, l) => h.map(str::to_owned).or(l),
    }
}

fn parts(cx: &FieldCtx<'_>, f: &Field, name: &str) -> Parts {
    let id = anchor(name);
    let condition = f.reveal_on_page.then(|| condition_text(cx, f)).flatten();
    let err = cx
        .errors
        .iter()
        .find(|e| e.name == name)
        .map(|e| message_text(cx.loc, &e.message, &label_of(cx.loc, f)));
    Parts {
        hint_id: (f.hint.is_some()
            || stated_limit(f).is_some()
            || condition.is_some()
            || filled_from_postcode(cx, f)
            || f.consent_basis)
            .then(|| format!("{id}-hint")),
        condition,
        error_id: err.as_ref().map(|_| format!("{id}-error")),
        error: err,
        id,
    }
}

fn hint_and_error(cx: &FieldCtx<'_>, f: &Field, p: &Parts) -> Markup {
    html! {
        @if let Some(hid) = &p.hint_id {
            @let hint = hint_text(cx, f);
            @if hint.is_some() || p.condition.is_some() {
                p.field__hint id=(hid) {
                    @if let Some(c) = &p.condition { span.field__condition { (c) } }
                    @if p.condition.is_some() && hint.is_some() { " " }
                    @if let Some(h) = hint { (h) }
                }
            }
        }
        @if let (Some(e), Some(eid)) = (&p.error, &p.error_id) {
            p.field__error id=(eid) { span.visually-hidden { (cx.loc.t("error-prefix")) " " } (e) }
        }
    }
}

fn label_text(cx: &FieldCtx<'_>, f: &Field) -> Markup {
    let optional = !f.required && f.required_if.is_none() && !matches!(f.kind, Kind::Consent);
    let label = label_of(cx.loc, f);
    // Forms often write "(valgfritt)" in the label themselves; don't say it twice.
    let says_optional = label.contains('(');
    html! { (label) @if optional && !says_optional { " " span.field__optional { (cx.loc.t("optional")) } } }
}

fn input_attrs(
    kind: &Kind,
) -> (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
) {
    // (type, inputmode, width class, default autocomplete)
    match kind {
        Kind::Email => ("email", None, Some("input--width-20"), Some("email")),
        Kind::Phone => ("tel", None, Some("input--width-11"), Some("tel")),
        Kind::Fodselsnummer => (
            "text",
            Some("numeric"),
            Some("input--width-11"),
            Some("off"),
        ),
        Kind::Orgnr { .. } => ("text", Some("numeric"), Some("input--width-11"), None),
        Kind::Kontonummer => ("text", Some("numeric"), Some("input--width-11"), None),
        Kind::Postnummer { .. } => (
            "text",
            Some("numeric"),
            Some("input--width-4"),
            Some("postal-code"),
        ),
        Kind::Number { integer: true, .. } => {
            ("text", Some("numeric"), Some("input--width-8"), None)
        }
        Kind::Number { .. } => ("text", Some("decimal"), Some("input--width-8"), None),
        Kind::Date { .. } => ("text", None, Some("input--width-11"), None),
        _ => ("text", None, None, None),
    }
}

/// The HTML value a condition's literal stands for: a yes-no question posts "ja" or "nei".
fn posted(v: &crate::forms::conditions::Value) -> Option<String> {
    use crate::forms::conditions::Value;
    match v {
        Value::Bool(true) => Some("ja".into()),
        Value::Bool(false) => Some("nei".into()),
        Value::Text(t) => Some(t.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Date(_) | Value::Null | Value::List(_) => None,
    }
}

/// How the page shows an answer the condition names: the option's label, "Ja"/"Nei".
fn answer_label(cx: &FieldCtx<'_>, q: &Field, v: &crate::forms::conditions::Value) -> String {
    let value = posted(v).unwrap_or_default();
    match &q.kind {
        Kind::YesNo | Kind::Consent => match value.as_str() {
            "ja" => cx.loc.t("answer-yes").to_owned(),
            _ => cx.loc.t("answer-no").to_owned(),
        },
        Kind::Choice { options, .. } => options
            .iter()
            .find(|o| o.value == value)
            .and_then(|o| o.label.as_ref())
            .map_or(value, |l| l.get(cx.loc.lang).to_owned()),
        Kind::List { list, .. } => cx
            .engine
            .list_items(list)
            .iter()
            .find(|i| i.id == value)
            .map_or(value, |i| i.label.get(cx.loc.lang).to_owned()),
        _ => value,
    }
}

/// The condition of a follow-up question in words, for pages without the script (and screen readers):
/// "Svar bare hvis du svarte «Ja» på «Har barnet særlige behov?»." A condition that is not one answer to
/// one question gets a general sentence.
/// Text and headings say "Gjelder bare hvis …" instead.
fn condition_text(cx: &FieldCtx<'_>, f: &Field) -> Option<String> {
    let expr = f.show_if.as_ref()?;
    let loc = cx.loc;
    // (if, if not, generic)
    let keys = if f.kind.is_input() {
        ("follow-up-if", "follow-up-if-not", "follow-up-generic")
    } else {
        (
            "follow-up-text-if",
            "follow-up-text-if-not",
            "follow-up-text-generic",
        )
    };
    let Some(simple) = expr.answered_as() else {
        return Some(loc.t(keys.2).to_owned());
    };
    let Some(q) = cx.engine.def.field(&simple.field) else {
        return Some(loc.t(keys.2).to_owned());
    };
    let answers: Vec<String> = simple
        .values
        .iter()
        .map(|v| {
            loc.tf(
                "follow-up-answer",
                &[("answer", answer_label(cx, q, v).into())],
            )
        })
        .collect();
    let answer = answers.join(&format!(" {} ", loc.t("follow-up-or")));
    let key = if simple.negated { keys.1 } else { keys.0 };
    Some(loc.tf(
        key,
        &[
            ("answer", answer.into()),
            ("question", label_of(loc, q).into()),
        ],
    ))
}

/// Renders a field (top level: `row` is None) with its current answer and error.
pub fn field(cx: &FieldCtx<'_>, f: &Field, row: Option<(&Field, usize)>) -> Markup {
    let name = match row {
        Some((g, i)) => row_name(&g.id, i, &f.id),
        None => f.id.clone(),
    };
    // Questions revealed by an answer on this same page are always rendered: without JavaScript the
    // citizen sees them all, each saying when to answer it, and the server decides from the posted
    // answers whether it counts. The optional script (`follow-up.js`) hides those that do not apply.
    let visible = cx.engine.field_visible(f, cx.answers, row);
    if !visible && !f.reveal_on_page {
        return html! {};
    }
    let body = field_body(cx, f, &name);
    let Some(simple) = f
        .reveal_on_page
        .then(|| f.show_if.as_ref().and_then(|e| e.answered_as()))
        .flatten()
    else {
        return body;
    };
    // The question the condition names, as posted: a sibling in the same row, or a top-level field.
    let source = match row {
        Some((g, i)) if matches!(&g.kind, Kind::Group { fields, .. } if fields.iter().any(|x| x.id == simple.field)) => {
            row_name(&g.id, i, &simple.field)
        }
        _ => simple.field.clone(),
    };
    let values: Vec<String> = simple.values.iter().filter_map(posted).collect();
    let values = serde_json::to_string(&values).unwrap_or_else(|_| "[]".into());
    html! {
        div.follow-up data-follow-up=(source) data-follow-values=(values) data-follow-negated=[simple.negated.then_some("")] {
            (body)
        }
    }
}

fn field_body(cx: &FieldCtx<'_>, f: &Field, name: &str) -> Markup {
    let name = name.to_owned();
    let p = parts(cx, f, &name);
    let value = cx.answers.text(&name).to_owned();
    let cls = if p.error.is_some() {
        "field field--error"
    } else {
        "field"
    };
    let invalid = p.error.as_ref().map(|_| "true");
    match &f.kind {
        Kind::Info { text } => html! { div.notice {
            @if let Some(c) = &p.condition { p.field__hint { span.field__condition { (c) } } }
            p { (text.get(cx.loc.lang)) }
        } },
        Kind::Heading { text } => html! {
            h2 { (text.get(cx.loc.lang)) }
            @if let Some(c) = &p.condition { p.field__hint { span.field__condition { (c) } } }
        },
        Kind::Group { .. } => group(cx, f),
        Kind::Textarea { rows, .. } => html! {
            div class=(cls) {
                label.field__label for=(p.id) { (label_text(cx, f)) }
                (hint_and_error(cx, f, &p))
                textarea.textarea.input--error[p.error.is_some()] id=(p.id) name=(name) rows=(rows) aria-describedby=[p.describedby()] aria-invalid=[invalid] { (value) }
            }
        },
        Kind::Choice {
            display, options, ..
        } => {
            let items: Vec<(String, String)> = options
                .iter()
                .map(|o| {
                    (
                        o.value.clone(),
                        o.label
                            .as_ref()
                            .map_or_else(|| o.value.clone(), |l| l.get(cx.loc.lang).to_owned()),
                    )
                })
                .collect();
            choice(cx, f, &name, &p, *display, &items)
        }
        Kind::List { list, display } => {
            let items: Vec<(String, String)> = cx
                .engine
                .list_items(list)
                .iter()
                .map(|i| (i.id.clone(), i.label.get(cx.loc.lang).to_owned()))
                .collect();
            choice(cx, f, &name, &p, *display, &items)
        }
        Kind::YesNo => {
            let items = vec![
                ("ja".to_owned(), cx.loc.t("answer-yes").to_owned()),
                ("nei".to_owned(), cx.loc.t("answer-no").to_owned()),
            ];
            choice(cx, f, &name, &p, ChoiceDisplay::Radio, &items)
        }
        Kind::Consent => html! {
            div class=(cls) {
                (hint_and_error(cx, f, &p))
                div.checkboxes {
                    div.checkboxes__item {
                        input id=(p.id) type="checkbox" name=(name) value="ja" checked[value == "ja"] aria-describedby=[p.describedby()] aria-invalid=[invalid];
                        label for=(p.id) { (label_of(cx.loc, f)) }
                    }
                }
            }
        },
        Kind::Address => address(cx, f, &name),
        Kind::Attachment {
            accept,
            max_size_mb,
            max_files,
        } => attachment(cx, f, &name, &p, (accept, *max_size_mb, *max_files)),
        kind => {
            let (ty, mode, width, auto) = input_attrs(kind);
            let autocomplete = f.autocomplete.as_deref().or(auto);
            let unit = match kind {
                Kind::Number { unit: Some(u), .. } => Some(u.get(cx.loc.lang)),
                _ => None,
            };
            let class = format!(
                "input{}{}",
                width.map(|w| format!(" {w}")).unwrap_or_default(),
                if p.error.is_some() {
                    " input--error"
                } else {
                    ""
                }
            );
            let spell = matches!(
                kind,
                Kind::Email | Kind::Fodselsnummer | Kind::Orgnr { .. } | Kind::Kontonummer
            )
            .then_some("false");
            html! {
                div class=(cls) {
                    label.field__label for=(p.id) { (label_text(cx, f)) }
                    (hint_and_error(cx, f, &p))
                    @if let Some(u) = unit {
                        div.input__with-unit {
                            input class=(class) id=(p.id) name=(name) type=(ty) value=(value) inputmode=[mode] autocomplete=[autocomplete] spellcheck=[spell] aria-describedby=[p.describedby()] aria-invalid=[invalid];
                            span.input__unit { (u) }
                        }
                    } @else {
                        input class=(class) id=(p.id) name=(name) type=(ty) value=(value) inputmode=[mode] autocomplete=[autocomplete] spellcheck=[spell] aria-describedby=[p.describedby()] aria-invalid=[invalid];
                    }
                }
            }
        }
    }
}

/// A file input with the files already uploaded (each with a Remove button) and an Upload button, so it
/// works without JavaScript: choosing a file and pressing Upload or Next both send it.
fn attachment(
    cx: &FieldCtx<'_>,
    f: &Field,
    name: &str,
    p: &Parts,
    (accept, max_mb, max_files): (&[String], f64, u32),
) -> Markup {
    let ids: Vec<&str> = cx.answers.get(name).map(|a| a.values()).unwrap_or_default();
    let held: Vec<&crate::attachments::StoredFile> =
        ids.iter().filter_map(|id| cx.files.get(*id)).collect();
    let room = (max_files as usize).saturating_sub(held.len());
    // The generated rules ("PDF, up to 10 MB, at most 3 files") unless the form's own hint says it.
    let rules_id = f.hint.is_none().then(|| format!("{}-rules", p.id));
    let describedby = match (&rules_id, p.describedby()) {
        (Some(r), Some(d)) => Some(format!("{r} {d}")),
        (Some(r), None) => Some(r.clone()),
        (None, d) => d,
    };
    let max = if max_mb.fract() == 0.0 {
        format!("{max_mb:.0}")
    } else {
        format!("{max_mb}")
    };
    let rules = cx.loc.tf(
        "attachment-rules",
        &[
            ("types", crate::attachments::accept_names(accept).into()),
            ("max", max.into()),
            ("count", max_files.into()),
        ],
    );
    let cls = if p.error.is_some() {
        "field field--error"
    } else {
        "field"
    };
    html! {
        div class=(cls) {
            @if room > 0 {
                label.field__label for=(p.id) { (label_text(cx, f)) }
            } @else {
                p.field__label id=(p.id) { (label_text(cx, f)) }
            }
            @if let Some(rid) = &rules_id { p.field__hint id=(rid) { (rules) } }
            (hint_and_error(cx, f, p))
            @if !held.is_empty() {
                ul.file-list aria-label=(cx.loc.t("attachment-uploaded")) {
                    @for file in &held {
                        li.file-list__item {
                            span.file-list__name { (file.name) }
                            " "
                            span.file-list__size { "(" (crate::attachments::format_size(file.size, cx.loc.lang)) ")" }
                            " "
                            button.button.button--link type="submit" name="handling" value={ "fjern-fil:" (file.id) } {
                                (cx.loc.t("attachment-remove")) span.visually-hidden { " " (file.name) }
                            }
                        }
                    }
                }
            }
            @if room > 0 {
                input.file-input id=(p.id) type="file" name=(name) accept=(crate::attachments::accept_attr(accept)) multiple[room > 1] aria-describedby=[describedby] aria-invalid=[p.error.as_ref().map(|_| "true")];
                button.button.button--secondary.file-upload type="submit" name="handling" value="last-opp" { (cx.loc.t("attachment-upload")) }
            }
        }
    }
}

fn choice(
    cx: &FieldCtx<'_>,
    f: &Field,
    name: &str,
    p: &Parts,
    display: ChoiceDisplay,
    items: &[(String, String)],
) -> Markup {
    let selected: Vec<String> = cx
        .answers
        .get(name)
        .map(|a| a.values().into_iter().map(str::to_owned).collect())
        .unwrap_or_default();
    let cls = if p.error.is_some() {
        "field field--error"
    } else {
        "field"
    };
    let invalid = p.error.as_ref().map(|_| "true");
    match display {
        ChoiceDisplay::Select => html! {
            div class=(cls) {
                label.field__label for=(p.id) { (label_text(cx, f)) }
                (hint_and_error(cx, f, p))
                select.select.input--error[p.error.is_some()] id=(p.id) name=(name) aria-describedby=[p.describedby()] aria-invalid=[invalid] {
                    option value="" { (cx.loc.t("select-placeholder")) }
                    @for (v, l) in items { option value=(v) selected[selected.contains(v)] { (l) } }
                }
            }
        },
        ChoiceDisplay::Radio | ChoiceDisplay::Checkboxes => {
            let (ty, wrap, item) = if display == ChoiceDisplay::Radio {
                ("radio", "radios", "radios__item")
            } else {
                ("checkbox", "checkboxes", "checkboxes__item")
            };
            html! {
                div class=(cls) {
                    fieldset.fieldset aria-describedby=[p.describedby()] {
                        legend.fieldset__legend.field__label { (label_text(cx, f)) }
                        (hint_and_error(cx, f, p))
                        div class=(wrap) {
                            @for (i, (v, l)) in items.iter().enumerate() {
                                @let id = if i == 0 { p.id.clone() } else { format!("{}-{}", p.id, i + 1) };
                                div class=(item) {
                                    input id=(id) type=(ty) name=(name) value=(v) checked[selected.contains(v)] aria-invalid=[invalid];
                                    label for=(id) { (l) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn address(cx: &FieldCtx<'_>, f: &Field, name: &str) -> Markup {
    // Autofill tokens only for the citizen's own address (the form marks it with
    // `autocomplete = "street-address"`): a venue's, a property's or a payer's address must not be filled
    // with hers. Three inputs take the line tokens; `street-address` belongs to a multi-line field.
    let own = f.autocomplete.is_some();
    let field_label = label_of(cx.loc, f);
    let part = |p: &str,
                label_key: &'static str,
                auto: &'static str,
                width: &'static str,
                mode: Option<&'static str>,
                hint: Option<&str>| {
        let auto = own.then_some(auto);
        let pname = format!("{name}.{p}");
        let id = anchor(&pname);
        let err = cx
            .errors
            .iter()
            .find(|e| e.name == pname)
            .map(|e| message_text(cx.loc, &e.message, &field_label));
        let eid = format!("{id}-error");
        let hid = format!("{id}-hint");
        let value = cx.answers.text(&pname).to_owned();
        let describedby: Vec<&str> = [
            hint.map(|_| hid.as_str()),
            err.as_ref().map(|_| eid.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let describedby = (!describedby.is_empty()).then(|| describedby.join(" "));
        html! {
            div.field.field--error[err.is_some()] {
                label.field__label for=(id) { (cx.loc.t(label_key)) }
                @if let Some(h) = hint { p.field__hint id=(hid) { (h) } }
                @if let Some(e) = &err { p.field__error id=(eid) { span.visually-hidden { (cx.loc.t("error-prefix")) " " } (e) } }
                input class={ "input " (width) @if err.is_some() { " input--error" } } id=(id) name=(pname) type="text" value=(value) autocomplete=[auto] inputmode=[mode] aria-describedby=[describedby] aria-invalid=[err.as_ref().map(|_| "true")];
            }
        }
    };
    html! {
        fieldset.fieldset {
            legend.fieldset__legend.field__label { (label_text(cx, f)) }
            @if let Some(c) = f.reveal_on_page.then(|| condition_text(cx, f)).flatten() { p.field__hint { span.field__condition { (c) } } }
            @if let Some(h) = text(cx.loc, &f.hint) { p.field__hint { (h) } }
            (part("gate", "address-street", "address-line1", "input--width-20", None, None))
            (part("postnummer", "address-postnummer", "postal-code", "input--width-4", Some("numeric"), None))
            (part("poststed", "address-poststed", "address-level2", "input--width-20", None, Some(cx.loc.t("hint-filled-from-postcode"))))
        }
    }
}

fn group(cx: &FieldCtx<'_>, g: &Field) -> Markup {
    let Kind::Group { max, fields, .. } = &g.kind else {
        return html! {};
    };
    let n = cx.answers.row_count(&g.id);
    let gid = anchor(&g.id);
    let err = cx
        .errors
        .iter()
        .find(|e| e.name == g.id)
        .map(|e| message_text(cx.loc, &e.message, &label_of(cx.loc, g)));
    html! {
        fieldset.fieldset.repeat-group.field--error[err.is_some()] id=(gid) {
            legend.fieldset__legend.field__label { (label_text(cx, g)) }
            @if let Some(c) = g.reveal_on_page.then(|| condition_text(cx, g)).flatten() { p.field__hint { span.field__condition { (c) } } }
            @if let Some(h) = text(cx.loc, &g.hint) { p.field__hint { (h) } }
            @if let Some(e) = &err { p.field__error { span.visually-hidden { (cx.loc.t("error-prefix")) " " } (e) } }
            @for i in 0..n {
                div.repeat-row id={ (gid) "-row-" (i) } {
                    h3 { (cx.loc.tf("row-label", &[("n", (i + 1).into())])) }
                    @for sub in fields { (field(cx, sub, Some((g, i)))) }
                    button.button.button--secondary type="submit" name="handling" value={ "fjern:" (g.id) ":" (i) } {
                        (cx.loc.t("button-remove-row")) span.visually-hidden { " " (label_of(cx.loc, g)) " " (i + 1) }
                    }
                }
            }
            @if n < *max {
                button.button.button--secondary type="submit" name="handling" value={ "legg-til:" (g.id) } {
                    (cx.loc.t("button-add-row")) span.visually-hidden { ": " (label_of(cx.loc, g)) }
                }
            }
        }
    }
}
