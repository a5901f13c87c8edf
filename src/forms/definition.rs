//! The typed form definition: steps, fields of every kind, conditions and rules, parsed once at load from
//! the raw TOML with positions, so every problem is reported as `file:line:col: message`.
//!
//! Checks at load: field ids unique in the form (and inside each group), keys that do not apply to a
//! field's kind, missing keys a kind needs, conditions that do not parse or mention unknown fields or
//! fields asked on a later step, rules that point at unknown fields, bad date bounds and patterns.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use super::conditions::{self, Expr, FieldType};
use super::registry::LoadError;
use crate::i18n::Texts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceDisplay {
    Radio,
    Select,
    Checkboxes,
}

/// A date bound: a fixed day or today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    Today,
    Day(time::Date),
}

#[derive(Debug, Clone)]
pub struct ChoiceOption {
    pub value: String,
    pub label: Option<Texts>,
}

#[derive(Debug)]
pub enum Kind {
    Text {
        min_length: Option<usize>,
        max_length: Option<usize>,
        pattern: Option<regex::Regex>,
    },
    Textarea {
        max_length: Option<usize>,
        rows: u32,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
        integer: bool,
        unit: Option<Texts>,
    },
    Date {
        not_before: Option<DateBound>,
        not_after: Option<DateBound>,
        min_age: Option<u32>,
        max_age: Option<u32>,
    },
    Email,
    Phone,
    Fodselsnummer,
    /// `fills`: a text field the organisation's name from Enhetsregisteret goes into (when a lookup is
    /// configured and the field is empty).
    Orgnr {
        fills: Option<String>,
    },
    Kontonummer,
    Postnummer {
        fills: Option<String>,
    },
    Address,
    Choice {
        display: ChoiceDisplay,
        options: Vec<ChoiceOption>,
        min_selected: Option<usize>,
        max_selected: Option<usize>,
    },
    List {
        list: String,
        display: ChoiceDisplay,
    },
    YesNo,
    Consent,
    Attachment {
        accept: Vec<String>,
        max_size_mb: f64,
        max_files: u32,
    },
    Group {
        min: usize,
        max: usize,
        fields: Vec<Field>,
    },
    Info {
        text: Texts,
    },
    Heading {
        text: Texts,
    },
}

impl Kind {
    /// Whether the field takes an answer (info and headings do not).
    pub fn is_input(&self) -> bool {
        !matches!(self, Kind::Info { .. } | Kind::Heading { .. })
    }
}

#[derive(Debug)]
pub struct Field {
    pub id: String,
    pub kind: Kind,
    pub label: Option<Texts>,
    pub hint: Option<Texts>,
    pub required: bool,
    pub required_if: Option<Expr>,
    pub show_if: Option<Expr>,
    /// `show_if` depends on an answer given on the same page: the page always renders the field (a script
    /// may hide it) and the server decides from the posted answers whether it counts.
    pub reveal_on_page: bool,
    pub autocomplete: Option<String>,
    /// A consent box where the citizen's consent is the legal basis for what it names
    /// (`consent_is_legal_basis = true`); every other box is a confirmation and must be worded as one.
    pub consent_basis: bool,
    /// What a logged-in citizen's draft starts with in this field: `prefill = "profile.name"` and the
    /// like, or (outside groups) what the field's `autocomplete` token says it takes from the person
    /// filling in the form (`name`, `tel`, `email`, `street-address`).
    pub prefill: Option<Prefill>,
}

/// Where a prefilled answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefill {
    /// The account's profile.
    Name,
    Phone,
    Email,
    Address,
    /// The national identity number a provider (ID-porten) vouched for.
    Fnr,
}

impl Prefill {
    pub fn parse(s: &str) -> Option<Prefill> {
        Some(match s {
            "profile.name" => Prefill::Name,
            "profile.phone" => Prefill::Phone,
            "profile.email" => Prefill::Email,
            "profile.address" => Prefill::Address,
            "person.fnr" => Prefill::Fnr,
            _ => return None,
        })
    }

    fn from_autocomplete(token: &str) -> Option<Prefill> {
        Some(match token {
            "name" => Prefill::Name,
            "tel" => Prefill::Phone,
            "email" => Prefill::Email,
            "street-address" => Prefill::Address,
            _ => return None,
        })
    }

    /// Whether a field of `kind` can hold it.
    fn fits(self, kind: &Kind) -> bool {
        match self {
            Prefill::Name => matches!(kind, Kind::Text { .. }),
            Prefill::Phone => matches!(kind, Kind::Phone | Kind::Text { .. }),
            Prefill::Email => matches!(kind, Kind::Email | Kind::Text { .. }),
            Prefill::Address => matches!(kind, Kind::Address),
            Prefill::Fnr => matches!(kind, Kind::Fodselsnummer),
        }
    }
}

#[derive(Debug)]
pub struct Rule {
    pub when: Expr,
    /// The field the message is shown beside.
    pub field: String,
    pub message: Texts,
}

#[derive(Debug)]
pub struct Step {
    pub id: String,
    pub title: Texts,
    pub show_if: Option<Expr>,
    pub fields: Vec<Field>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    id: Spanned<String>,
    title: Texts,
    show_if: Option<Spanned<String>>,
    #[serde(default, rename = "field")]
    fields: Vec<Spanned<RawField>>,
    #[serde(default, rename = "rule")]
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    when: Spanned<String>,
    error: Spanned<String>,
    message: Texts,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    id: Spanned<String>,
    kind: Spanned<String>,
    label: Option<Texts>,
    hint: Option<Texts>,
    text: Option<Texts>,
    required: Option<bool>,
    required_if: Option<Spanned<String>>,
    show_if: Option<Spanned<String>>,
    autocomplete: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    pattern: Option<Spanned<String>>,
    rows: Option<u32>,
    min: Option<f64>,
    max: Option<f64>,
    integer: Option<bool>,
    unit: Option<Texts>,
    not_before: Option<Spanned<String>>,
    not_after: Option<Spanned<String>>,
    min_age: Option<u32>,
    max_age: Option<u32>,
    options: Option<Vec<String>>,
    option_labels: Option<BTreeMap<String, Texts>>,
    min_selected: Option<usize>,
    max_selected: Option<usize>,
    list: Option<String>,
    display: Option<String>,
    fills: Option<Spanned<String>>,
    accept: Option<Vec<String>>,
    max_size_mb: Option<f64>,
    max_files: Option<u32>,
    fields: Option<Vec<Spanned<RawField>>>,
    consent_is_legal_basis: Option<bool>,
    prefill: Option<Spanned<String>>,
}

impl RawField {
    /// Kind-specific keys that are set (for "does not apply" checks).
    fn specific_keys(&self) -> Vec<&'static str> {
        let mut v = vec![];
        macro_rules! k {
            ($($name:ident),*) => {$( if self.$name.is_some() { v.push(stringify!($name)); } )*};
        }
        k!(
            text,
            min_length,
            max_length,
            pattern,
            rows,
            min,
            max,
            integer,
            unit,
            not_before,
            not_after,
            min_age,
            max_age,
            options,
            option_labels,
            min_selected,
            max_selected,
            list,
            display,
            fills,
            accept,
            max_size_mb,
            max_files,
            fields,
            consent_is_legal_basis
        );
        v
    }
}

/// Which kind-specific keys each kind accepts.
fn allowed_keys(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "text" => &["min_length", "max_length", "pattern"],
        "textarea" => &["max_length", "rows"],
        "number" => &["min", "max", "integer", "unit"],
        "date" => &["not_before", "not_after", "min_age", "max_age"],
        "email" | "phone" | "fodselsnummer" | "kontonummer" | "address" | "yes-no" => &[],
        "consent" => &["consent_is_legal_basis"],
        "postnummer" | "orgnr" => &["fills"],
        "radio" | "select" => &["options", "option_labels"],
        "checkboxes" => &["options", "option_labels", "min_selected", "max_selected"],
        "list" => &["list", "display"],
        "attachment" => &["accept", "max_size_mb", "max_files"],
        "group" => &["min", "max", "fields"],
        "info" | "heading" => &["text"],
        _ => return None,
    })
}

const KINDS: &str = "text, textarea, number, date, email, phone, fodselsnummer, orgnr, kontonummer, \
postnummer, address, radio, select, checkboxes, list, yes-no, consent, attachment, group, info, heading";

/// Turns byte offsets into `file:line:col` errors.
pub(super) struct Locator<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub errors: Vec<LoadError>,
}

impl Locator<'_> {
    pub fn at(&mut self, offset: usize, message: impl Into<String>) {
        let (line, col) = super::error::line_col(self.text, offset);
        self.errors.push(LoadError {
            file: self.file.to_owned(),
            line,
            col,
            message: message.into(),
        });
    }
}

fn parse_date_bound(s: &str) -> Option<DateBound> {
    if s == "today" {
        return Some(DateBound::Today);
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, fmt).ok().map(DateBound::Day)
}

/// Field ids and types of the whole form, with the step each is asked on (groups' fields included).
struct Catalogue {
    types: HashMap<String, (FieldType, usize)>,
}

fn id_ok(id: &str) -> bool {
    let mut c = id.chars();
    c.next().is_some_and(|f| f.is_ascii_lowercase())
        && c.all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        && id.len() <= 64
}

/// Builds the steps; all problems are pushed to `loc`.
pub(super) fn build_steps(raw: Vec<RawStep>, loc: &mut Locator<'_>) -> Vec<Step> {
    // Pass 1: every field id, its type (from its kind name) and step, for conditions.
    let mut cat = Catalogue {
        types: HashMap::new(),
    };
    for (si, s) in raw.iter().enumerate() {
        for f in &s.fields {
            let f = f.get_ref();
            let t = kind_type(f.kind.get_ref());
            if cat.types.contains_key(f.id.get_ref()) {
                loc.at(
                    f.id.span().start,
                    format!(
                        "the field id \"{}\" is used twice in this form",
                        f.id.get_ref()
                    ),
                );
            }
            cat.types.insert(f.id.get_ref().clone(), (t, si));
            for sub in f.fields.iter().flatten() {
                let sub = sub.get_ref();
                // Group fields are named `group[i].field` in answers; conditions inside the row see them.
                cat.types
                    .entry(sub.id.get_ref().clone())
                    .or_insert((kind_type(sub.kind.get_ref()), si));
            }
        }
    }
    let mut step_ids: Vec<String> = vec![];
    let mut steps = vec![];
    for (si, s) in raw.into_iter().enumerate() {
        if !id_ok(s.id.get_ref()) {
            loc.at(
                s.id.span().start,
                format!(
                    "step id \"{}\" may only contain a–z, 0–9 and _, starting with a letter",
                    s.id.get_ref()
                ),
            );
        }
        if step_ids.contains(s.id.get_ref()) {
            loc.at(
                s.id.span().start,
                format!("the step id \"{}\" is used twice", s.id.get_ref()),
            );
        }
        step_ids.push(s.id.get_ref().clone());
        let show_if = s
            .show_if
            .as_ref()
            .and_then(|c| condition(c, "show_if", si, &cat, &[], loc));
        let fields: Vec<Field> = s
            .fields
            .into_iter()
            .filter_map(|f| build_field(f, si, &cat, &[], loc))
            .collect();
        let mut rules = vec![];
        for r in s.rules {
            let r = r.into_inner();
            let when = condition(&r.when, "when", si, &cat, &[], loc);
            let target = r.error.get_ref();
            let on_step = fields.iter().any(|f| &f.id == target);
            if !on_step {
                loc.at(
                    r.error.span().start,
                    format!("error = \"{target}\" must name a field on this step"),
                );
            }
            if let Some(when) = when {
                rules.push(Rule {
                    when,
                    field: target.clone(),
                    message: r.message,
                });
            }
        }
        steps.push(Step {
            id: s.id.into_inner(),
            title: s.title,
            show_if,
            fields,
            rules,
        });
    }
    steps
}

fn kind_type(kind: &str) -> FieldType {
    match kind {
        "text" | "textarea" | "email" | "phone" | "orgnr" | "kontonummer" | "postnummer" => {
            FieldType::Text
        }
        "number" => FieldType::Number,
        "date" => FieldType::Date,
        "fodselsnummer" => FieldType::PersonId,
        "checkboxes" => FieldType::Choices,
        "radio" | "select" | "list" => FieldType::Choice,
        "yes-no" | "consent" => FieldType::Bool,
        "group" => FieldType::Group,
        _ => FieldType::Other,
    }
}

/// Parses a condition; the error position points into the file. `row` lists a group's own field ids.
fn condition(
    src: &Spanned<String>,
    key: &str,
    step: usize,
    cat: &Catalogue,
    row: &[(String, FieldType)],
    loc: &mut Locator<'_>,
) -> Option<Expr> {
    let lookup = |id: &str| -> Option<FieldType> {
        row.iter()
            .find(|(r, _)| r == id)
            .map(|(_, t)| *t)
            .or_else(|| cat.types.get(id).map(|(t, _)| *t))
    };
    // The span covers the quotes; expression offsets start one character later.
    let base = src.span().start + 1;
    match conditions::parse(src.get_ref(), &lookup) {
        Ok(expr) => {
            for f in expr.fields() {
                if row.iter().any(|(r, _)| *r == f) {
                    continue;
                }
                if let Some((_, asked_on)) = cat.types.get(&f)
                    && *asked_on > step
                {
                    let at = expr.field_offset(&f).unwrap_or(0);
                    loc.at(base + at, format!("{key} refers to \"{f}\", which is asked on a later step; a condition may only use answers given on this or an earlier step"));
                    return None;
                }
            }
            Some(expr)
        }
        Err(e) => {
            loc.at(base + e.offset, format!("{key}: {}", e.message));
            None
        }
    }
}

fn build_field(
    f: Spanned<RawField>,
    step: usize,
    cat: &Catalogue,
    row: &[(String, FieldType)],
    loc: &mut Locator<'_>,
) -> Option<Field> {
    let start = f.span().start;
    let f = f.into_inner();
    let id = f.id.get_ref().clone();
    if !id_ok(&id) {
        loc.at(
            f.id.span().start,
            format!("field id \"{id}\" may only contain a–z, 0–9 and _, starting with a letter"),
        );
    }
    let kind_name = f.kind.get_ref().as_str();
    let Some(allowed) = allowed_keys(kind_name) else {
        loc.at(
            f.kind.span().start,
            format!("unknown kind \"{kind_name}\"; use one of: {KINDS}"),
        );
        return None;
    };
    for k in f.specific_keys() {
        if !allowed.contains(&k) {
            loc.at(
                start,
                format!("field \"{id}\": {k} does not apply to a field of kind \"{kind_name}\""),
            );
        }
    }
    let needs_label = !matches!(kind_name, "info" | "heading");
    if needs_label && f.label.is_none() {
        loc.at(
            start,
            format!("field \"{id}\" needs a label = {{ nb, nn, en }}"),
        );
    }
    let show_if = f
        .show_if
        .as_ref()
        .and_then(|c| condition(c, "show_if", step, cat, row, loc));
    let needs = |what: &str| format!("field \"{id}\" of kind \"{kind_name}\" needs {what}");
    let options = || -> Vec<ChoiceOption> {
        let labels = f.option_labels.clone().unwrap_or_default();
        f.options
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|value| ChoiceOption {
                label: labels.get(&value).cloned(),
                value,
            })
            .collect()
    };
    let kind = match kind_name {
        "text" => {
            let pattern = match &f.pattern {
                None => None,
                Some(p) => match regex::Regex::new(&format!("^(?:{})$", p.get_ref())) {
                    Ok(r) => Some(r),
                    Err(e) => {
                        loc.at(
                            p.span().start,
                            format!(
                                "pattern \"{}\" does not compile: {}",
                                p.get_ref(),
                                e.to_string()
                                    .lines()
                                    .last()
                                    .unwrap_or("")
                                    .trim_start_matches("error: ")
                            ),
                        );
                        None
                    }
                },
            };
            Kind::Text {
                min_length: f.min_length,
                max_length: f.max_length,
                pattern,
            }
        }
        "textarea" => Kind::Textarea {
            max_length: f.max_length,
            rows: f.rows.unwrap_or(5),
        },
        "number" => Kind::Number {
            min: f.min,
            max: f.max,
            integer: f.integer.unwrap_or(false),
            unit: f.unit.clone(),
        },
        "date" => {
            let mut bound = |b: &Option<Spanned<String>>| {
                b.as_ref().and_then(|s| {
                    let r = parse_date_bound(s.get_ref());
                    if r.is_none() {
                        loc.at(
                            s.span().start,
                            format!(
                                "\"{}\" is not \"today\" or a date written YYYY-MM-DD",
                                s.get_ref()
                            ),
                        );
                    }
                    r
                })
            };
            Kind::Date {
                not_before: bound(&f.not_before),
                not_after: bound(&f.not_after),
                min_age: f.min_age,
                max_age: f.max_age,
            }
        }
        "email" => Kind::Email,
        "phone" => Kind::Phone,
        "fodselsnummer" => Kind::Fodselsnummer,
        "orgnr" => {
            if let Some(target) = &f.fills
                && !cat.types.contains_key(target.get_ref())
                && !row.iter().any(|(r, _)| r == target.get_ref())
            {
                loc.at(
                    target.span().start,
                    format!(
                        "fills = \"{}\" names no field in this form",
                        target.get_ref()
                    ),
                );
            }
            Kind::Orgnr {
                fills: f.fills.as_ref().map(|s| s.get_ref().clone()),
            }
        }
        "kontonummer" => Kind::Kontonummer,
        "postnummer" => {
            if let Some(target) = &f.fills
                && !cat.types.contains_key(target.get_ref())
                && !row.iter().any(|(r, _)| r == target.get_ref())
            {
                loc.at(
                    target.span().start,
                    format!(
                        "fills = \"{}\" names no field in this form",
                        target.get_ref()
                    ),
                );
            }
            Kind::Postnummer {
                fills: f.fills.as_ref().map(|s| s.get_ref().clone()),
            }
        }
        "address" => Kind::Address,
        "radio" | "select" | "checkboxes" => {
            let opts = options();
            if opts.is_empty() {
                loc.at(start, needs("options = [\"…\", …]"));
            }
            if let Some(labels) = &f.option_labels {
                for key in labels.keys() {
                    if !opts.iter().any(|o| &o.value == key) {
                        loc.at(start, format!("field \"{id}\": option_labels has \"{key}\", which is not among the options"));
                    }
                }
            }
            let display = match kind_name {
                "radio" => ChoiceDisplay::Radio,
                "select" => ChoiceDisplay::Select,
                _ => ChoiceDisplay::Checkboxes,
            };
            Kind::Choice {
                display,
                options: opts,
                min_selected: f.min_selected,
                max_selected: f.max_selected,
            }
        }
        "list" => {
            let display = match f.display.as_deref() {
                None | Some("radio") => ChoiceDisplay::Radio,
                Some("select") => ChoiceDisplay::Select,
                Some(other) => {
                    loc.at(
                        start,
                        format!(
                            "field \"{id}\": display = \"{other}\" is not \"radio\" or \"select\""
                        ),
                    );
                    ChoiceDisplay::Radio
                }
            };
            match &f.list {
                Some(l) => Kind::List {
                    list: l.clone(),
                    display,
                },
                None => {
                    loc.at(start, needs("list = \"<list id>\""));
                    Kind::List {
                        list: String::new(),
                        display,
                    }
                }
            }
        }
        "yes-no" => Kind::YesNo,
        "consent" => {
            // A box the citizen must tick to send the form is not consent (consent is freely given):
            // unless consent is the legal basis, the box confirms and says so ("Jeg bekrefter …",
            // "Jeg er kjent med …"), never "samtykker".
            let asks = f.label.as_ref().is_some_and(|l| {
                [l.nb.as_str(), l.nn.as_str(), l.en.as_str()]
                    .iter()
                    .any(|t| asks_for_consent(t))
            });
            if asks && f.consent_is_legal_basis != Some(true) {
                loc.at(
                    start,
                    format!(
                        "field \"{id}\": the box asks for consent (\"samtykker\", \"I agree\"); word it as a \
                         confirmation (\"Jeg bekrefter …\", \"Jeg er kjent med …\"), or set \
                         consent_is_legal_basis = true if consent is the legal basis for what it names"
                    ),
                );
            }
            Kind::Consent
        }
        "attachment" => Kind::Attachment {
            accept: f
                .accept
                .clone()
                .unwrap_or_else(|| vec!["pdf".into(), "jpeg".into(), "png".into()]),
            max_size_mb: f.max_size_mb.unwrap_or(10.0),
            max_files: f.max_files.unwrap_or(1),
        },
        "group" => {
            let subs = f.fields.unwrap_or_default();
            if subs.is_empty() {
                loc.at(start, needs("fields = [ … ]"));
            }
            let row_types: Vec<(String, FieldType)> = subs
                .iter()
                .map(|s| {
                    (
                        s.get_ref().id.get_ref().clone(),
                        kind_type(s.get_ref().kind.get_ref()),
                    )
                })
                .collect();
            let mut seen: Vec<&str> = vec![];
            for (sid, _) in &row_types {
                if seen.contains(&sid.as_str()) {
                    loc.at(
                        start,
                        format!("group \"{id}\": the field id \"{sid}\" is used twice"),
                    );
                }
                seen.push(sid);
            }
            let fields: Vec<Field> = subs
                .into_iter()
                .filter_map(|s| build_field(s, step, cat, &row_types, loc))
                .collect();
            if fields.iter().any(|s| matches!(s.kind, Kind::Group { .. })) {
                loc.at(
                    start,
                    format!("group \"{id}\": a group cannot contain another group"),
                );
            }
            let min = f.min.unwrap_or(0.0).max(0.0) as usize;
            let max = f.max.unwrap_or(20.0).max(0.0) as usize;
            if max == 0 || min > max {
                loc.at(start, format!("group \"{id}\": min ({min}) must be at most max ({max}), and max at least 1"));
            }
            return Some(Field {
                id,
                kind: Kind::Group {
                    min,
                    max: max.min(500),
                    fields,
                },
                label: f.label,
                hint: f.hint,
                required: f.required.unwrap_or(false),
                required_if: None,
                reveal_on_page: show_if
                    .as_ref()
                    .is_some_and(|e| same_page(e, step, cat, row)),
                show_if,
                autocomplete: None,
                consent_basis: false,
                prefill: None,
            });
        }
        "info" | "heading" => {
            let Some(text) = f.text.clone() else {
                loc.at(start, needs("text = { nb, nn, en }"));
                return None;
            };
            if kind_name == "info" {
                Kind::Info { text }
            } else {
                Kind::Heading { text }
            }
        }
        _ => return None,
    };
    // Explicit, or from the autocomplete token of a field outside a group (a group's rows are about
    // others: children, siblings).
    let prefill = match &f.prefill {
        Some(p) => match Prefill::parse(p.get_ref()) {
            Some(x) if x.fits(&kind) => Some(x),
            Some(_) => {
                loc.at(
                    p.span().start,
                    format!(
                        "field \"{id}\": prefill \"{}\" does not fit a field of kind \"{kind_name}\"",
                        p.get_ref()
                    ),
                );
                None
            }
            None => {
                loc.at(
                    p.span().start,
                    format!(
                        "field \"{id}\": prefill \"{}\" is not one of profile.name, profile.phone, profile.email, profile.address, person.fnr",
                        p.get_ref()
                    ),
                );
                None
            }
        },
        None if row.is_empty() => f
            .autocomplete
            .as_deref()
            .and_then(Prefill::from_autocomplete)
            .filter(|p| p.fits(&kind)),
        None => None,
    };
    Some(Field {
        prefill,
        id,
        kind,
        label: f.label,
        hint: f.hint,
        required: f.required.unwrap_or(false),
        required_if: f
            .required_if
            .as_ref()
            .and_then(|c| condition(c, "required_if", step, cat, row, loc)),
        reveal_on_page: show_if
            .as_ref()
            .is_some_and(|e| same_page(e, step, cat, row)),
        show_if,
        autocomplete: f.autocomplete,
        consent_basis: f.consent_is_legal_basis == Some(true),
    })
}

/// Whether a box's text asks for consent rather than confirming something.
fn asks_for_consent(text: &str) -> bool {
    let t = text.to_lowercase();
    ["samtykk", "i agree", "i consent", "i give my consent"]
        .iter()
        .any(|w| t.contains(w))
}

/// Whether a condition mentions a field asked on the same step (or in the same group row).
fn same_page(e: &Expr, step: usize, cat: &Catalogue, row: &[(String, FieldType)]) -> bool {
    e.fields().iter().any(|f| {
        row.iter().any(|(r, _)| r == f) || cat.types.get(f).is_some_and(|(_, s)| *s == step)
    })
}
