//! The form engine: pure functions of a definition and answers — which steps and fields are visible,
//! applying a step's POST, validating a step or the whole form, pruning hidden answers, and the values shown
//! on check-answers. No IO: list values and "today" come in from the caller.

use std::collections::HashMap;

use time::Date;

use super::answers::{Answer, Answers, row_name};
use super::conditions::{self, Value};
use super::definition::{ChoiceDisplay, DateBound, Field, Kind, Step};
use super::registry::FormDef;
use super::validate::{self, Invalid};
use crate::i18n::{Lang, Texts};

/// One value of a tenant's list (barnehager, skoler …) valid on the day asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub id: String,
    pub label: Texts,
}

/// The lists a form may use, as valid today.
pub type Lists = HashMap<String, Vec<ListItem>>;

/// The items of each list that are valid on `day` (validity periods are inclusive `YYYY-MM-DD`).
pub fn lists_valid_on<'l>(
    lists: impl IntoIterator<Item = &'l super::lists::ValueList>,
    day: Date,
) -> Lists {
    let day = format_iso(day);
    lists
        .into_iter()
        .map(|l| {
            let items = l
                .items
                .iter()
                .filter(|i| i.valid_from.as_deref().is_none_or(|f| f <= day.as_str()))
                .filter(|i| i.valid_to.as_deref().is_none_or(|t| t >= day.as_str()))
                .map(|i| ListItem {
                    id: i.id.clone(),
                    label: i.label.clone(),
                })
                .collect();
            (l.id.clone(), items)
        })
        .collect()
}

/// A message: a catalogue key with arguments, or a form-written text (rules).
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Key(&'static str, Vec<(&'static str, String)>),
    Text(Texts),
}

impl From<Invalid> for Message {
    fn from(i: Invalid) -> Self {
        Message::Key(i.key, i.args)
    }
}

/// A problem with one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// The HTML name of the input (the summary links to its anchor).
    pub name: String,
    /// Index of the step the field is on.
    pub step: usize,
    pub message: Message,
}

pub struct Engine<'a> {
    pub def: &'a FormDef,
    pub lists: &'a Lists,
    pub today: Date,
}

const YES: &str = "ja";
const NO: &str = "nei";
const DEFAULT_TEXT_MAX: usize = 500;
/// The longest free text (`textarea`) a form takes when it sets no `max_length`.
pub const DEFAULT_TEXTAREA_MAX: usize = 10_000;

/// Parses `dd.mm.yyyy`, `d.m.yyyy` or `yyyy-mm-dd`.
pub fn parse_date(s: &str) -> Result<Date, &'static str> {
    let s = s.trim();
    let parts: Vec<&str> = if s.contains('-') {
        s.split('-').collect()
    } else {
        s.split(['.', '/']).collect()
    };
    let [a, b, c] = parts.as_slice() else {
        return Err("v-date-format");
    };
    let (y, m, d) = if s.contains('-') {
        (*a, *b, *c)
    } else {
        (*c, *b, *a)
    };
    let all_digits =
        |x: &str| !x.is_empty() && x.len() <= 4 && x.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) || y.len() != 4 {
        return Err("v-date-format");
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else {
        return Err("v-date-format");
    };
    let month = time::Month::try_from(m).map_err(|_| "v-date-not-real")?;
    Date::from_calendar_date(y, month, d).map_err(|_| "v-date-not-real")
}

/// `YYYY-MM-DD`.
pub fn format_iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub fn format_date(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

fn parse_number(s: &str) -> Option<f64> {
    let cleaned: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    cleaned
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

/// An answer the way the archive keeps it, whatever way it was typed: fødselsnummer 11 digits,
/// organisasjonsnummer 9, kontonummer 11, postnummer 4 (only digits, when what was typed is digits
/// with spaces, dots or hyphens); dates ISO 8601 (`2027-03-15`); numbers with a decimal point and no
/// grouping (`25000`, `2.5`); phone numbers E.164 (`+4741234567`); e-mail trimmed. Anything else, and
/// anything that does not read as its kind, is kept as it is.
pub fn normalised(kind: &Kind, value: &str) -> String {
    let v = value.trim();
    let digits = || {
        v.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '\u{a0}' | '.' | '-'))
            .then(|| v.chars().filter(char::is_ascii_digit).collect::<String>())
            .filter(|d| !d.is_empty())
    };
    let out = match kind {
        Kind::Fodselsnummer | Kind::Orgnr { .. } | Kind::Kontonummer | Kind::Postnummer { .. } => {
            digits()
        }
        Kind::Date { .. } => parse_date(v)
            .ok()
            .map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())),
        Kind::Number { .. } => parse_number(v).map(|_| {
            v.chars()
                .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
                .collect::<String>()
                .replace(',', ".")
                .trim_start_matches('+')
                .to_owned()
        }),
        Kind::Phone => validate::phone::check(v).ok(),
        Kind::Email => Some(v.to_owned()),
        _ => None,
    };
    out.unwrap_or_else(|| value.to_owned())
}

impl Engine<'_> {
    /// Every answer [`normalised`] by its question's kind (an address's postnummer too), for the archive.
    pub fn normalised_answers(&self, a: &Answers) -> Answers {
        let mut out = a.clone();
        for (key, answer) in out.values.iter_mut() {
            let Some((_, f)) = self.def.field_for_name(key) else {
                continue;
            };
            let kind = match (&f.kind, key.rsplit_once('.')) {
                (Kind::Address, Some((_, "postnummer"))) => &Kind::Postnummer { fills: None },
                (Kind::Address, _) => continue,
                (k, _) => k,
            };
            match answer {
                Answer::One(v) => *v = normalised(kind, v),
                Answer::Many(vs) => {
                    for v in vs {
                        *v = normalised(kind, v);
                    }
                }
            }
        }
        out
    }
}

/// `digits` in groups of three from the right, `sep` between: "10000" → "10 000".
pub fn group_digits(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A number as the language writes it: "25 000", "2,5" (bokmål, nynorsk: a no-break space between
/// thousands, a decimal comma); "25,000", "2.5" (English). Four digits stay together ("2027", "1500"), as
/// Språkrådet allows and a year needs. From what was typed ("25000", "25 000", "2.5"), keeping the
/// decimals given; None when it is not a number.
pub fn format_number(typed: &str, lang: Lang) -> Option<String> {
    let n = parse_number(typed)?;
    let cleaned: String = typed
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect::<String>()
        .replace(',', ".");
    let plain = |s: &str| s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty();
    let unsigned = cleaned.trim_start_matches(['+', '-']);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) if plain(i) && plain(f) => (i.to_owned(), Some(f.to_owned())),
        None if plain(unsigned) => (unsigned.to_owned(), None),
        // "1e5" and the like: from the value.
        _ => {
            let s = fmt_number(n.abs());
            match s.split_once('.') {
                Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
                None => (s, None),
            }
        }
    };
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let (group, decimal) = match lang {
        Lang::En => (',', '.'),
        Lang::Nb | Lang::Nn => ('\u{a0}', ','),
    };
    let mut out = String::new();
    if n < 0.0 {
        out.push('−');
    }
    if int.len() > 4 {
        out.push_str(&group_digits(int, group));
    } else {
        out.push_str(int);
    }
    if let Some(f) = frac {
        out.push(decimal);
        out.push_str(&f);
    }
    Some(out)
}

fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Whole years from `born` to `today`.
pub fn age(born: Date, today: Date) -> i32 {
    let mut years = today.year() - born.year();
    if (u8::from(today.month()), today.day()) < (u8::from(born.month()), born.day()) {
        years -= 1;
    }
    years
}

/// The condition environment: answers at top level, or inside one row of a group.
struct Env<'e> {
    eng: &'e Engine<'e>,
    a: &'e Answers,
    row: Option<(&'e Field, usize)>,
}

impl Env<'_> {
    /// The field an id names here and the answer name it is stored under.
    fn resolve(&self, id: &str) -> Option<(&Field, String)> {
        if let Some((group, i)) = self.row
            && let Kind::Group { fields, .. } = &group.kind
            && let Some(f) = fields.iter().find(|f| f.id == id)
        {
            return Some((f, row_name(&group.id, i, id)));
        }
        self.eng.def.field(id).map(|f| (f, id.to_owned()))
    }
}

impl conditions::Env for Env<'_> {
    fn value(&self, id: &str) -> Value {
        let Some((f, name)) = self.resolve(id) else {
            return Value::Null;
        };
        let Some(ans) = self.a.get(&name).filter(|a| !a.is_empty()) else {
            return Value::Null;
        };
        let s = ans.as_str().trim();
        match &f.kind {
            Kind::Number { .. } => parse_number(s).map_or(Value::Null, Value::Number),
            Kind::Date { .. } => parse_date(s).map_or(Value::Null, Value::Date),
            Kind::YesNo | Kind::Consent => match s {
                YES => Value::Bool(true),
                NO => Value::Bool(false),
                _ => Value::Null,
            },
            Kind::Choice {
                display: ChoiceDisplay::Checkboxes,
                ..
            } => Value::List(ans.values().into_iter().map(str::to_owned).collect()),
            _ => Value::Text(s.to_owned()),
        }
    }

    fn count(&self, group: &str) -> usize {
        self.a.row_count(group)
    }

    fn today(&self) -> Date {
        self.eng.today
    }

    fn birth_date(&self, id: &str) -> Option<Date> {
        let (f, name) = self.resolve(id)?;
        let s = self.a.text(&name);
        match f.kind {
            Kind::Date { .. } => parse_date(s).ok(),
            Kind::Fodselsnummer => validate::fnr::birth_date(s, self.eng.today),
            _ => None,
        }
    }
}

impl<'a> Engine<'a> {
    pub fn new(def: &'a FormDef, lists: &'a Lists, today: Date) -> Self {
        Engine { def, lists, today }
    }

    fn eval(&self, e: &conditions::Expr, a: &Answers, row: Option<(&Field, usize)>) -> bool {
        e.eval(&Env { eng: self, a, row })
    }

    pub fn step_visible(&self, step: &Step, a: &Answers) -> bool {
        step.show_if.as_ref().is_none_or(|c| self.eval(c, a, None))
    }

    /// Indexes of the steps the citizen sees, in order.
    pub fn visible_steps(&self, a: &Answers) -> Vec<usize> {
        (0..self.def.steps.len())
            .filter(|i| {
                self.def
                    .steps
                    .get(*i)
                    .is_some_and(|s| self.step_visible(s, a))
            })
            .collect()
    }

    pub fn field_visible(&self, f: &Field, a: &Answers, row: Option<(&Field, usize)>) -> bool {
        f.show_if.as_ref().is_none_or(|c| self.eval(c, a, row))
    }

    fn required(&self, f: &Field, a: &Answers, row: Option<(&Field, usize)>) -> bool {
        f.required || f.required_if.as_ref().is_some_and(|c| self.eval(c, a, row))
    }

    /// The items of a list field valid today.
    pub fn list_items(&self, list: &str) -> &[ListItem] {
        self.lists.get(list).map_or(&[], Vec::as_slice)
    }

    /// Copies a step's inputs from a POST into the answers. Unknown names are ignored; rows keep their count.
    pub fn apply(&self, step: usize, a: &mut Answers, posted: &[(String, String)]) {
        let Some(step) = self.def.steps.get(step) else {
            return;
        };
        let take = |name: &str| -> Vec<String> {
            posted
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
                .collect()
        };
        for f in &step.fields {
            match &f.kind {
                Kind::Group { fields, .. } => {
                    for i in 0..a.row_count(&f.id) {
                        for sub in fields {
                            apply_one(sub, &row_name(&f.id, i, &sub.id), a, &take);
                        }
                    }
                }
                _ => apply_one(f, &f.id, a, &take),
            }
        }
        self.fill_poststed(step, a);
    }

    /// A valid postnummer fills an empty poststed (the address's own, or the field named by `fills`).
    fn fill_poststed(&self, step: &Step, a: &mut Answers) {
        let mut fills: Vec<(String, String)> = vec![];
        for f in &step.fields {
            match &f.kind {
                Kind::Address => {
                    fills.push((format!("{}.postnummer", f.id), format!("{}.poststed", f.id)))
                }
                Kind::Postnummer {
                    fills: Some(target),
                } => fills.push((f.id.clone(), target.clone())),
                _ => {}
            }
        }
        for (pn, target) in fills {
            if let Some(place) = validate::postnummer::poststed(a.text(&pn).trim())
                && a.text(&target).trim().is_empty()
            {
                a.set(
                    target,
                    Answer::One(validate::postnummer::poststed_display(place)),
                );
            }
        }
    }

    /// Problems on one step (visible fields only, then the step's rules).
    pub fn validate_step(&self, si: usize, a: &Answers) -> Vec<FieldError> {
        let Some(step) = self.def.steps.get(si) else {
            return vec![];
        };
        let mut out = vec![];
        for f in &step.fields {
            if !self.field_visible(f, a, None) {
                continue;
            }
            if let Kind::Group { min, max, fields } = &f.kind {
                let n = a.row_count(&f.id);
                if n < *min {
                    out.push(err(
                        &f.id,
                        si,
                        Message::Key("v-group-min", vec![("min", min.to_string())]),
                    ));
                }
                if n > *max {
                    out.push(err(
                        &f.id,
                        si,
                        Message::Key("v-group-max", vec![("max", max.to_string())]),
                    ));
                }
                for i in 0..n {
                    for sub in fields {
                        if self.field_visible(sub, a, Some((f, i))) {
                            self.check_field(
                                sub,
                                &row_name(&f.id, i, &sub.id),
                                a,
                                Some((f, i)),
                                si,
                                &mut out,
                            );
                        }
                    }
                }
                continue;
            }
            self.check_field(f, &f.id, a, None, si, &mut out);
        }
        for r in &step.rules {
            let already = out.iter().any(|e| e.name == r.field);
            if !already && self.eval(&r.when, a, None) {
                out.push(err(&r.field, si, Message::Text(r.message.clone())));
            }
        }
        out
    }

    /// Problems across every visible step: the control page.
    pub fn validate_all(&self, a: &Answers) -> Vec<FieldError> {
        self.visible_steps(a)
            .into_iter()
            .flat_map(|i| self.validate_step(i, a))
            .collect()
    }

    fn check_field(
        &self,
        f: &Field,
        name: &str,
        a: &Answers,
        row: Option<(&Field, usize)>,
        si: usize,
        out: &mut Vec<FieldError>,
    ) {
        if !f.kind.is_input() {
            return;
        }
        if let Kind::Attachment { max_files, .. } = f.kind {
            // The answer lists the ids of the files the draft holds; the files were judged on upload.
            let n = a.get(name).map_or(0, |v| v.values().len());
            if n == 0 && self.required(f, a, row) {
                out.push(err(name, si, Message::Key("v-required-file", vec![])));
            } else if n > max_files as usize {
                out.push(err(
                    name,
                    si,
                    Message::Key("v-file-too-many", vec![("max", max_files.to_string())]),
                ));
            }
            return;
        }
        if let Kind::Address = f.kind {
            let req = self.required(f, a, row);
            let parts = ["gate", "postnummer", "poststed"];
            let any = parts
                .iter()
                .any(|p| !a.text(&format!("{name}.{p}")).trim().is_empty());
            for p in parts {
                let pname = format!("{name}.{p}");
                let v = a.text(&pname).trim().to_owned();
                if v.is_empty() {
                    if req || any {
                        out.push(err(&pname, si, Message::Key(address_key(p), vec![])));
                    }
                } else if has_control(&v, false) {
                    out.push(err(&pname, si, Message::Key("v-control-chars", vec![])));
                } else if p == "postnummer"
                    && let Err(e) = validate::postnummer::check(&v)
                {
                    out.push(err(&pname, si, e.into()));
                } else if v.chars().count() > 200 {
                    out.push(err(
                        &pname,
                        si,
                        Message::Key("v-too-long", vec![("max", "200".into())]),
                    ));
                }
            }
            return;
        }
        let ans = a.get(name);
        if ans.is_none_or(Answer::is_empty) {
            if self.required(f, a, row) {
                let key = match f.kind {
                    Kind::Consent => "v-required-consent",
                    Kind::Choice { .. } | Kind::List { .. } | Kind::YesNo => "v-required-choice",
                    _ => "v-required",
                };
                out.push(err(name, si, Message::Key(key, vec![])));
            }
            return;
        }
        let Some(ans) = ans else { return };
        let multiline = matches!(f.kind, Kind::Textarea { .. });
        if ans.values().iter().any(|v| has_control(v, multiline)) {
            out.push(err(name, si, Message::Key("v-control-chars", vec![])));
            return;
        }
        if let Err(m) = self.check_value(f, ans) {
            out.push(err(name, si, m));
        }
    }

    fn check_value(&self, f: &Field, ans: &Answer) -> Result<(), Message> {
        let s = ans.as_str().trim();
        let chars = s.chars().count();
        let key = |k: &'static str| Message::Key(k, vec![]);
        match &f.kind {
            Kind::Text {
                min_length,
                max_length,
                pattern,
            } => {
                let max = max_length.unwrap_or(DEFAULT_TEXT_MAX);
                if chars > max {
                    return Err(Message::Key("v-too-long", vec![("max", max.to_string())]));
                }
                if let Some(min) = min_length
                    && chars < *min
                {
                    return Err(Message::Key("v-too-short", vec![("min", min.to_string())]));
                }
                if let Some(p) = pattern
                    && !p.is_match(s)
                {
                    return Err(key("v-pattern"));
                }
            }
            Kind::Textarea { max_length, .. } => {
                let max = max_length.unwrap_or(DEFAULT_TEXTAREA_MAX);
                if chars > max {
                    return Err(Message::Key("v-too-long", vec![("max", max.to_string())]));
                }
            }
            Kind::Number {
                min, max, integer, ..
            } => {
                let n = parse_number(s).ok_or_else(|| {
                    // A count is asked as a whole number; its example says so.
                    key(if *integer {
                        "v-number-format-integer"
                    } else {
                        "v-number-format"
                    })
                })?;
                if *integer && n.fract() != 0.0 {
                    return Err(key("v-number-integer"));
                }
                if let Some(min) = min
                    && n < *min
                {
                    return Err(Message::Key(
                        "v-number-min",
                        vec![("min", fmt_number(*min))],
                    ));
                }
                if let Some(max) = max
                    && n > *max
                {
                    return Err(Message::Key(
                        "v-number-max",
                        vec![("max", fmt_number(*max))],
                    ));
                }
            }
            Kind::Date {
                not_before,
                not_after,
                min_age,
                max_age,
            } => {
                let d = parse_date(s).map_err(key)?;
                match not_before {
                    Some(DateBound::Today) if d < self.today => return Err(key("v-date-past")),
                    Some(DateBound::Day(b)) if d < *b => {
                        return Err(Message::Key(
                            "v-date-after",
                            vec![("date", format_date(*b))],
                        ));
                    }
                    _ => {}
                }
                match not_after {
                    Some(DateBound::Today) if d > self.today => return Err(key("v-date-future")),
                    Some(DateBound::Day(b)) if d > *b => {
                        return Err(Message::Key(
                            "v-date-before",
                            vec![("date", format_date(*b))],
                        ));
                    }
                    _ => {}
                }
                let years = age(d, self.today);
                if let Some(min) = min_age
                    && years < *min as i32
                {
                    return Err(Message::Key("v-age-min", vec![("years", min.to_string())]));
                }
                if let Some(max) = max_age
                    && years > *max as i32
                {
                    return Err(Message::Key("v-age-max", vec![("years", max.to_string())]));
                }
            }
            Kind::Email => validate::email::check(s).map(drop)?,
            Kind::Phone => validate::phone::check(s).map(drop)?,
            Kind::Fodselsnummer => validate::fnr::check(s, self.today).map(drop)?,
            Kind::Orgnr { .. } => validate::orgnr::check(s).map(drop)?,
            Kind::Kontonummer => validate::kontonr::check(s).map(drop)?,
            Kind::Postnummer { .. } => validate::postnummer::check(s).map(drop)?,
            Kind::Choice {
                options,
                min_selected,
                max_selected,
                display,
            } => {
                let values = ans.values();
                if values
                    .iter()
                    .any(|v| !options.iter().any(|o| o.value == *v))
                {
                    return Err(key("v-choice-unknown"));
                }
                if *display == ChoiceDisplay::Checkboxes {
                    if let Some(min) = min_selected
                        && values.len() < *min
                    {
                        return Err(Message::Key(
                            "v-choices-min",
                            vec![("min", min.to_string())],
                        ));
                    }
                    if let Some(max) = max_selected
                        && values.len() > *max
                    {
                        return Err(Message::Key(
                            "v-choices-max",
                            vec![("max", max.to_string())],
                        ));
                    }
                } else if values.len() > 1 {
                    return Err(key("v-choice-unknown"));
                }
            }
            Kind::List { list, .. } if !self.list_items(list).iter().any(|i| i.id == s) => {
                return Err(key("v-choice-unknown"));
            }
            Kind::YesNo if s != YES && s != NO => return Err(key("v-choice-unknown")),
            Kind::Consent if s != YES => return Err(key("v-required-consent")),
            _ => {}
        }
        Ok(())
    }

    /// The answers that count: visible steps and fields only (hidden answers are dropped on submit).
    /// The ids of the files the answers hold, in the order of the form (fields, then rows).
    pub fn file_ids(&self, a: &Answers) -> Vec<String> {
        let mut out: Vec<String> = vec![];
        let mut push = |name: &str| {
            if let Some(v) = a.get(name) {
                out.extend(v.values().into_iter().map(str::to_owned));
            }
        };
        for step in &self.def.steps {
            for f in &step.fields {
                match &f.kind {
                    Kind::Attachment { .. } => push(&f.id),
                    Kind::Group { fields, .. } => {
                        for i in 0..a.row_count(&f.id) {
                            for sub in fields {
                                if let Kind::Attachment { .. } = sub.kind {
                                    push(&row_name(&f.id, i, &sub.id));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }

    pub fn prune(&self, a: &Answers) -> Answers {
        let mut keep: Vec<String> = vec![];
        let mut rows = std::collections::BTreeMap::new();
        for si in self.visible_steps(a) {
            let Some(step) = self.def.steps.get(si) else {
                continue;
            };
            for f in step
                .fields
                .iter()
                .filter(|f| self.field_visible(f, a, None))
            {
                match &f.kind {
                    Kind::Group { fields, .. } => {
                        let n = a.row_count(&f.id);
                        rows.insert(f.id.clone(), n);
                        for i in 0..n {
                            for sub in fields
                                .iter()
                                .filter(|s| self.field_visible(s, a, Some((f, i))))
                            {
                                keep.push(row_name(&f.id, i, &sub.id));
                            }
                        }
                    }
                    Kind::Address => {
                        for p in ["gate", "postnummer", "poststed"] {
                            keep.push(format!("{}.{p}", f.id));
                        }
                    }
                    _ => keep.push(f.id.clone()),
                }
            }
        }
        let mut out = a.clone();
        out.retain(&|k| keep.iter().any(|n| n == k));
        out.rows = rows;
        out
    }

    /// The answer as a person reads it (check-answers, receipt, PDF).
    pub fn display(
        &self,
        f: &Field,
        name: &str,
        a: &Answers,
        lang: Lang,
        yes_no: (&str, &str),
    ) -> String {
        if let Kind::Address = f.kind {
            let g = a.text(&format!("{name}.gate"));
            let p = a.text(&format!("{name}.postnummer"));
            let s = a.text(&format!("{name}.poststed"));
            let place = format!("{} {}", p.trim(), s.trim());
            return [g.trim(), place.trim()]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
        }
        let Some(ans) = a.get(name) else {
            return String::new();
        };
        let s = ans.as_str().trim();
        let option_label = |options: &[super::definition::ChoiceOption], v: &str| {
            options
                .iter()
                .find(|o| o.value == v)
                .and_then(|o| o.label.as_ref().map(|l| l.get(lang).to_owned()))
                .unwrap_or_else(|| v.to_owned())
        };
        match &f.kind {
            Kind::Choice { options, .. } => ans
                .values()
                .iter()
                .map(|v| option_label(options, v))
                .collect::<Vec<_>>()
                .join(", "),
            Kind::List { list, .. } => self
                .list_items(list)
                .iter()
                .find(|i| i.id == s)
                .map_or_else(|| s.to_owned(), |i| i.label.get(lang).to_owned()),
            Kind::YesNo => match s {
                YES => yes_no.0.to_owned(),
                NO => yes_no.1.to_owned(),
                _ => s.to_owned(),
            },
            Kind::Consent => {
                if s == YES {
                    yes_no.0.to_owned()
                } else {
                    String::new()
                }
            }
            Kind::Date { .. } => parse_date(s).map_or_else(|_| s.to_owned(), format_date),
            Kind::Number { unit, .. } => {
                let n = format_number(s, lang).unwrap_or_else(|| s.to_owned());
                match unit {
                    Some(u) => format!("{n} {}", u.get(lang)),
                    None => n,
                }
            }
            Kind::Phone => validate::phone::check(s).unwrap_or_else(|_| s.to_owned()),
            _ => s.to_owned(),
        }
    }
}

fn address_key(part: &str) -> &'static str {
    match part {
        "gate" => "v-address-street",
        "postnummer" => "v-address-postnummer",
        _ => "v-address-poststed",
    }
}

fn err(name: &str, step: usize, message: Message) -> FieldError {
    FieldError {
        name: name.to_owned(),
        step,
        message,
    }
}

/// Control characters are refused in every text answer (a line break and a tab only in free text).
fn has_control(s: &str, multiline: bool) -> bool {
    s.chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}

/// Bidirectional embedding, override and isolate controls: they make a name display as another name.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What the server keeps of a typed text. Free text keeps bidi controls, visibly escaped (`[U+202E]`),
/// so that a reader sees them and they change nothing; every other text loses them. Line ends become
/// `\n`.
pub fn clean_text(s: &str, multiline: bool) -> String {
    if !s.contains(is_bidi_control) && !s.contains('\r') {
        return s.to_owned();
    }
    let s = s.replace("\r\n", "\n");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_bidi_control(c) {
            if multiline {
                out.push_str(&format!("[U+{:04X}]", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn apply_one(f: &Field, name: &str, a: &mut Answers, take: &dyn Fn(&str) -> Vec<String>) {
    let multiline = matches!(f.kind, Kind::Textarea { .. });
    let take = |n: &str| -> Vec<String> {
        take(n)
            .into_iter()
            .map(|v| clean_text(&v, multiline))
            .collect()
    };
    match &f.kind {
        Kind::Info { .. } | Kind::Heading { .. } | Kind::Attachment { .. } | Kind::Group { .. } => {
        }
        Kind::Address => {
            for p in ["gate", "postnummer", "poststed"] {
                let n = format!("{name}.{p}");
                let v = take(&n).into_iter().next().unwrap_or_default();
                a.set(n, Answer::One(v));
            }
        }
        Kind::Choice {
            display: ChoiceDisplay::Checkboxes,
            ..
        } => {
            let v: Vec<String> = take(name).into_iter().filter(|s| !s.is_empty()).collect();
            a.set(name.to_owned(), Answer::Many(v));
        }
        Kind::Consent => {
            let ticked = take(name).iter().any(|v| v == YES);
            a.set(
                name.to_owned(),
                Answer::One(if ticked { YES.into() } else { String::new() }),
            );
        }
        _ => {
            let v = take(name).into_iter().next().unwrap_or_default();
            a.set(name.to_owned(), Answer::One(v));
        }
    }
}

/// Converts an example file's TOML value into answers (`true`/`false` → ja/nei, arrays → rows or lists).
pub fn answers_from_example(def: &FormDef, table: &toml::Table) -> Answers {
    let mut a = Answers::default();
    for (k, v) in table {
        let field = def.field(k);
        match (v, field.map(|f| &f.kind)) {
            (toml::Value::Array(rows), Some(Kind::Group { .. })) => {
                a.rows.insert(k.clone(), rows.len());
                for (i, row) in rows.iter().enumerate() {
                    if let toml::Value::Table(t) = row {
                        for (sk, sv) in t {
                            a.set(row_name(k, i, sk), Answer::One(scalar(sv)));
                        }
                    }
                }
            }
            (toml::Value::Array(vals), _) => {
                a.set(k.clone(), Answer::Many(vals.iter().map(scalar).collect()));
            }
            (toml::Value::Table(t), _) => {
                for (sk, sv) in t {
                    a.set(format!("{k}.{sk}"), Answer::One(scalar(sv)));
                }
            }
            (v, _) => a.set(k.clone(), Answer::One(scalar(v))),
        }
    }
    a
}

fn scalar(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Boolean(true) => YES.into(),
        toml::Value::Boolean(false) => NO.into(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        other => other.to_string(),
    }
}

/// Today's date in Norway. A citizen at 23:30 must get their own today.
pub fn today_in_norway(now: time::OffsetDateTime) -> Date {
    norway_time(now).date()
}

/// Wall-clock time in Norway (CET/CEST by the EU rule: summer time from the last Sunday of March to the
/// last Sunday of October, switching at 01:00 UTC).
pub fn norway_time(now: time::OffsetDateTime) -> time::PrimitiveDateTime {
    let t = norway_offset(now);
    time::PrimitiveDateTime::new(t.date(), t.time())
}

/// The same instant in Norwegian time with its offset (+01:00 in winter, +02:00 in summer), for the
/// archive's timestamps: `2026-12-04T00:15:00+01:00` is dated the day it was sent.
pub fn norway_offset(now: time::OffsetDateTime) -> time::OffsetDateTime {
    let utc = now.to_offset(time::UtcOffset::UTC);
    let year = utc.year();
    let last_sunday = |month: time::Month| -> Option<time::PrimitiveDateTime> {
        let last = Date::from_calendar_date(year, month, 31).ok()?;
        let back = last.weekday().number_days_from_sunday();
        let day = last.checked_sub(time::Duration::days(i64::from(back)))?;
        day.with_hms(1, 0, 0).ok()
    };
    let summer = match (
        last_sunday(time::Month::March),
        last_sunday(time::Month::October),
    ) {
        (Some(start), Some(end)) => {
            let t = time::PrimitiveDateTime::new(utc.date(), utc.time());
            t >= start && t < end
        }
        _ => false,
    };
    let hours: i8 = if summer { 2 } else { 1 };
    match time::UtcOffset::from_hms(hours, 0, 0) {
        Ok(offset) => utc.to_offset(offset),
        Err(_) => utc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn dates() {
        for (input, expected) in [
            ("16.08.2027", Ok(date!(2027 - 08 - 16))),
            ("1.2.2027", Ok(date!(2027 - 02 - 01))),
            ("2027-08-16", Ok(date!(2027 - 08 - 16))),
            ("31.02.2027", Err("v-date-not-real")),
            ("16.13.2027", Err("v-date-not-real")),
            ("16.08.27", Err("v-date-format")),
            ("i morgen", Err("v-date-format")),
            ("", Err("v-date-format")),
        ] {
            assert_eq!(parse_date(input), expected, "{input}");
        }
        assert_eq!(format_date(date!(2027 - 08 - 06)), "06.08.2027");
    }

    #[test]
    fn ages_turn_on_the_birthday() {
        let born = date!(2020 - 03 - 14);
        assert_eq!(age(born, date!(2026 - 03 - 13)), 5);
        assert_eq!(age(born, date!(2026 - 03 - 14)), 6);
    }

    #[test]
    fn norwegian_today() {
        // 23:30 in Oslo in winter is 22:30 UTC: still the same day.
        assert_eq!(
            today_in_norway(datetime!(2026-11-24 22:30 UTC)),
            date!(2026 - 11 - 24)
        );
        // 00:30 in Oslo in winter is 23:30 UTC the day before.
        assert_eq!(
            today_in_norway(datetime!(2026-11-24 23:30 UTC)),
            date!(2026 - 11 - 25)
        );
        // Summer: UTC+2.
        assert_eq!(
            today_in_norway(datetime!(2026-07-01 22:30 UTC)),
            date!(2026 - 07 - 02)
        );
    }

    #[test]
    fn answers_are_normalised_for_the_archive() {
        let fnr = Kind::Fodselsnummer;
        for (kind, typed, kept) in [
            (&fnr, "130972 48022", "13097248022"),
            (&fnr, " 130972-48022 ", "13097248022"),
            (&Kind::Orgnr { fills: None }, "974 760 673", "974760673"),
            (&Kind::Kontonummer, "1234.56.78903", "12345678903"),
            (&Kind::Postnummer { fills: None }, " 0150", "0150"),
            (&Kind::Email, " kari@example.no ", "kari@example.no"),
            (&Kind::Phone, "412 34 567", "+4741234567"),
            // not a number of its kind: kept as typed
            (&fnr, "ukjent", "ukjent"),
        ] {
            assert_eq!(normalised(kind, typed), kept, "{typed}");
        }
        let date = Kind::Date {
            not_before: None,
            not_after: None,
            min_age: None,
            max_age: None,
        };
        assert_eq!(normalised(&date, "15.03.2027"), "2027-03-15");
        let number = Kind::Number {
            min: None,
            max: None,
            integer: false,
            unit: None,
        };
        assert_eq!(normalised(&number, "25 000"), "25000");
        assert_eq!(normalised(&number, "2,5"), "2.5");
        assert_eq!(
            normalised(
                &Kind::Text {
                    max_length: None,
                    min_length: None,
                    pattern: None
                },
                " as typed "
            ),
            " as typed "
        );
    }

    #[test]
    fn numbers_as_each_language_writes_them() {
        for (typed, nb, en) in [
            ("25000", "25\u{a0}000", "25,000"),
            ("25 000", "25\u{a0}000", "25,000"),
            ("1234567,50", "1\u{a0}234\u{a0}567,50", "1,234,567.50"),
            ("2.5", "2,5", "2.5"),
            ("007", "7", "7"),
            ("0", "0", "0"),
            ("-1200", "−1200", "−1200"),
            ("2027", "2027", "2027"),
            ("-12000", "−12\u{a0}000", "−12,000"),
            ("999", "999", "999"),
            ("1e5", "100\u{a0}000", "100,000"),
        ] {
            assert_eq!(
                format_number(typed, Lang::Nb).as_deref(),
                Some(nb),
                "{typed}"
            );
            assert_eq!(
                format_number(typed, Lang::Nn).as_deref(),
                Some(nb),
                "{typed}"
            );
            assert_eq!(
                format_number(typed, Lang::En).as_deref(),
                Some(en),
                "{typed}"
            );
        }
        assert_eq!(format_number("tolv", Lang::Nb), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("12 500"), Some(12500.0));
        assert_eq!(parse_number("2,5"), Some(2.5));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("inf"), None);
    }
}
