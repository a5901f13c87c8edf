//! The condition language of form definitions: `show_if`, `required_if` and `[[step.rule]] when`.
//!
//! An expression is parsed once, when the form is loaded ([`parse`]), against the types of the
//! form's fields, so that misspelt fields and comparisons that can never make sense are load
//! errors with a byte offset, not surprises when a citizen fills in the form. Evaluation
//! ([`Expr::eval`]) never fails and never panics: it answers `true` or `false`.
//!
//! # Grammar
//!
//! ```text
//! condition  = or ;
//! or         = and { "or" and } ;
//! and        = not { "and" not } ;
//! not        = "not" not | "(" or ")" | comparison ;
//! comparison = operand ( cmp_op operand
//!                      | [ "not" ] "in" list
//!                      | "is" [ "not" ] "empty" ) ;
//! cmp_op     = "==" | "!=" | "<" | "<=" | ">" | ">=" ;
//! operand    = field | number | string | "true" | "false" | "today"
//!            | "age" "(" field ")" | "count" "(" field ")" ;
//! list       = "[" literal { "," literal } [ "," ] "]" ;      (* at least one value *)
//! literal    = number | string | "true" | "false" ;
//! field      = [a-z_] [a-z0-9_]* ;                            (* not a reserved word *)
//! number     = [ "-" ] digit { digit } [ "." digit { digit } ] ;
//! string     = '"' { any character but '"' and '\' | '\"' | '\\' } '"' ;
//! ```
//!
//! Precedence, loosest first: `or`, `and`, `not`, then a comparison (`==` … `>=`, `in`,
//! `not in`, `is empty`, `is not empty`). So `not a == 1 and b == 2` is
//! `(not (a == 1)) and (b == 2)`. Comparisons do not chain (`1 < x < 5` is an error), and a
//! value on its own is not a condition: write `svar_onskes == true`, not `svar_onskes`.
//! Reserved words, always lower case: `and or not in is empty true false today`. `age` and
//! `count` are functions only when a `(` follows. An expression may have at most
//! [`MAX_LEN`] characters and at most [`MAX_DEPTH`] levels of parentheses and `not`.
//!
//! # Semantics
//!
//! - **Null.** A missing or empty answer is Null: no answer, a text that is empty or only
//!   whitespace, a checkbox answer with nothing ticked, `age()` of a field without a birth date.
//!   Every comparison and every `in` / `not in` involving Null is **false**, `!=` and `not in`
//!   included. So `x != 1` is false while `x` is unanswered, but `not (x == 1)` is **true**:
//!   `not` negates the whole comparison. An unanswered yes/no question is neither `== true` nor
//!   `== false`. To test for an answer, use `x is empty` / `x is not empty`, which are true
//!   respectively false for Null (and so for an empty text or an empty list). Comparing with
//!   `""` is therefore always false; write `x is empty`.
//! - **Text and numbers.** A text that reads as a number (`5`, `-3`, `2.5`, `2,5`) compares
//!   numerically with a number, so a select whose options are `"5"`, `"6"`, `"7"` satisfies
//!   `trinn >= 5` and `trinn in [5, 6, 7]`. A text that is not a number is never equal to a
//!   number (`==` false, `!=` true) and never ordered with one (`<` … `>=` false). `==` between
//!   two texts is exact: case, spaces and leading zeros count (`"05" != "5"`). Ordering two
//!   texts compares numerically if both are numbers, by date if both are dates, and otherwise
//!   by Unicode code points (so zero-padded `"HH:MM"` times order correctly).
//! - **Dates.** Dates compare chronologically. A string literal compared with a date (a date
//!   field or `today`) must be a date `"YYYY-MM-DD"`; this is checked at load time. A text
//!   answer that is a `YYYY-MM-DD` date compares as a date against a date.
//! - **Lists** (checkbox answers). `list in [..]` is true if any ticked value is in the
//!   literal list; `list not in [..]` is true if none is. `list == "a"` is true if `"a"` is
//!   ticked and `list != "a"` if it is not. Two lists are equal if they hold the same values.
//! - **Yes/no.** Booleans compare only with `==` and `!=` (`yes_no == true`); the strings
//!   `"true"` and `"false"` are accepted for `true` and `false`.
//! - **`today`** is the engine's current date ([`Env::today`]).
//! - **`age(f)`** is the number of whole years from the birth date of `f` (a date field, or the
//!   birth date in a fødselsnummer) to today: a child born 2020-03-15 is 5 on 2026-03-14 and 6
//!   on 2026-03-15. Someone born on 29 February has their birthday on 1 March in other years.
//!   A birth date in the future gives a negative age; no birth date gives Null.
//! - **`count(g)`** is the number of rows in the repeating group `g` (0 if none; never Null).
//!
//! # Load-time checks
//!
//! [`parse`] rejects, with the byte offset of the offending part: unknown fields and
//! functions; repeating groups and info/heading/attachment/address fields used as values;
//! `count()` of anything but a group; `age()` of anything but a date or fødselsnummer field;
//! `<`, `<=`, `>`, `>=` with a yes/no or checkbox value; `in` with a yes/no value; a date
//! compared with a number or a yes/no value; a string literal that cannot be what it is
//! compared with (a non-date with a date, a non-number with a number field, anything but
//! `"true"`/`"false"` with a yes/no field); a yes/no field compared with a text; two checkbox
//! fields compared with each other; `is empty` on something other than a field or `age()`;
//! and an empty list `in []` (it could never match, so it is taken as a mistake). A type error
//! points at the operator (or at `in`, `is`, the function's argument, or the string literal
//! that cannot be converted); a syntax error points at the token found where something else
//! was expected, or at the end of the expression. Offsets are byte offsets into the expression.

use std::fmt;

use time::Date;

mod eval;
mod lexer;
mod parser;

pub use parser::parse;

/// The longest expression accepted, in characters.
pub const MAX_LEN: usize = 2000;
/// The deepest nesting of parentheses and `not` accepted.
pub const MAX_DEPTH: usize = 64;

/// What the loader knows about a field, for checks at load time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Number,
    Bool,
    Date,
    /// radio/select/list: a text among options.
    Choice,
    /// checkboxes: a list of texts.
    Choices,
    /// fødselsnummer: text that also has a birth date.
    PersonId,
    Group,
    /// info/heading/attachment/address: cannot be used in conditions.
    Other,
}

impl FieldType {
    /// How an error message names a field of this type: "'navn' is text".
    fn noun(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "a number",
            FieldType::Bool => "a yes/no answer",
            FieldType::Date => "a date",
            FieldType::Choice => "a choice",
            FieldType::Choices => "a set of checkboxes",
            FieldType::PersonId => "a fødselsnummer",
            FieldType::Group => "a repeating group",
            FieldType::Other => "an info, heading, attachment or address field",
        }
    }

    /// How an error message describes a reference to a field of this type.
    fn as_operand(self) -> &'static str {
        match self {
            FieldType::Text => "a text field",
            FieldType::Number => "a number field",
            FieldType::Bool => "a yes/no field",
            FieldType::Date => "a date field",
            FieldType::Choice => "a choice field",
            FieldType::Choices => "a checkbox field",
            FieldType::PersonId => "a fødselsnummer field",
            FieldType::Group => "a repeating group",
            FieldType::Other => "an info, heading, attachment or address field",
        }
    }
}

/// A parse or type error: byte offset into the expression and a message that says what was
/// expected and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CondError {
    pub offset: usize,
    pub message: String,
}

impl CondError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        CondError {
            offset,
            message: message.into(),
        }
    }
}

impl fmt::Display for CondError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for CondError {}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    node: Node,
    /// Every field mentioned, in order of first appearance, with the byte offset of that mention.
    fields: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Or(Vec<Node>),
    And(Vec<Node>),
    Not(Box<Node>),
    Cmp {
        op: CmpOp,
        left: Operand,
        right: Operand,
    },
    In {
        operand: Operand,
        negated: bool,
        list: Vec<Value>,
    },
    Empty {
        operand: Operand,
        negated: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    fn text(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Field(String),
    /// Never `Value::Null` or `Value::List`.
    Lit(Value),
    Today,
    Age(String),
    Count(String),
}

/// A value as the engine supplies it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(time::Date),
    List(Vec<String>),
}

/// What evaluation needs from the engine.
pub trait Env {
    fn value(&self, field: &str) -> Value;
    fn count(&self, group: &str) -> usize;
    fn today(&self) -> time::Date;
    /// For age(): the birth date of a field (a date field's value, or a fødselsnummer's birth date).
    fn birth_date(&self, field: &str) -> Option<time::Date>;
}

impl Expr {
    /// Whether the condition holds for these answers.
    pub fn eval(&self, env: &dyn Env) -> bool {
        eval::eval_node(&self.node, env)
    }

    /// Every field id the expression mentions (for "refers to a field on a later step" checks and
    /// dependency tracking), in order of first appearance, without duplicates.
    pub fn fields(&self) -> Vec<String> {
        self.fields.iter().map(|(f, _)| f.clone()).collect()
    }

    /// The byte offset in the source of the first mention of `field`, for error messages.
    pub fn field_offset(&self, field: &str) -> Option<usize> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, at)| *at)
    }

    /// The condition as "one answer to one question", when it is that simple: `x == v`, `x != v`,
    /// `x in [v, w]`, `x == v or x == w` (and their negations). Follow-up questions say it in words
    /// ("Svar bare hvis du svarte «Ja» på …"). None for anything else (ages, counts, dates, two fields).
    pub fn answered_as(&self) -> Option<AnsweredAs> {
        simple(&self.node)
    }
}

/// See [`Expr::answered_as`].
#[derive(Debug, Clone, PartialEq)]
pub struct AnsweredAs {
    pub field: String,
    /// The answers that make the condition hold (or, `negated`, that make it fail). Never empty.
    pub values: Vec<Value>,
    pub negated: bool,
}

fn simple(node: &Node) -> Option<AnsweredAs> {
    let lit = |o: &Operand| match o {
        Operand::Lit(v) => Some(v.clone()),
        _ => None,
    };
    match node {
        Node::Cmp { op, left, right } => {
            let (field, value) = match (left, right) {
                (Operand::Field(f), r) => (f.clone(), lit(r)?),
                (l, Operand::Field(f)) => (f.clone(), lit(l)?),
                _ => return None,
            };
            let negated = match op {
                CmpOp::Eq => false,
                CmpOp::Ne => true,
                _ => return None,
            };
            Some(AnsweredAs {
                field,
                values: vec![value],
                negated,
            })
        }
        Node::In {
            operand: Operand::Field(f),
            negated,
            list,
        } if !list.is_empty() => Some(AnsweredAs {
            field: f.clone(),
            values: list.clone(),
            negated: *negated,
        }),
        Node::Not(inner) => simple(inner).map(|a| AnsweredAs {
            negated: !a.negated,
            ..a
        }),
        Node::Or(parts) => {
            let mut all: Option<AnsweredAs> = None;
            for p in parts {
                let a = simple(p)?;
                if a.negated {
                    return None;
                }
                match &mut all {
                    None => all = Some(a),
                    Some(acc) if acc.field == a.field => acc.values.extend(a.values),
                    Some(_) => return None,
                }
            }
            all
        }
        _ => None,
    }
}

/// Whole years from `birth` to `today` (negative if `birth` is in the future). Someone born on
/// 29 February has their birthday on 1 March in years that have no 29 February.
pub fn age_in_years(birth: Date, today: Date) -> i32 {
    let years = today.year() - birth.year();
    if (u8::from(today.month()), today.day()) < (u8::from(birth.month()), birth.day()) {
        years - 1
    } else {
        years
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use time::macros::date;

    use FieldType::{Bool, Choice, Choices, Group, Number, Other, PersonId, Text};

    // ------------------------------------------------------------ the form library's conditions

    /// Field types per form, as the loader derives them from `kind` (text, textarea, email, phone,
    /// orgnr, kontonummer, postnummer → Text; radio, select, list → Choice; checkboxes → Choices;
    /// yes-no, consent → Bool; fodselsnummer → PersonId; info, heading, attachment, address → Other).
    /// Only the fields of forms that have conditions are listed, all of them.
    #[rustfmt::skip]
    const FORM_FIELDS: &[(&str, &[(&str, FieldType)])] = &[
        ("barnehage-soknad", &[
            ("barn_navn", Text), ("barn_fnr", PersonId), ("startdato", FieldType::Date), ("onsker_info", Other),
            ("valg_1", Choice), ("valg_2", Choice), ("valg_3", Choice), ("plasstype", Choice), ("sosken_info", Other),
            ("sosken_barnehage", Group), ("sosken_navn", Text), ("sosken_bhg", Choice), ("saerlige_behov", Bool),
            ("behov_beskrivelse", Text), ("sakkyndig_uttalelse", Other), ("soker_navn", Text), ("soker_telefon", Text),
            ("soker_epost", Text), ("soker_adresse", Other), ("samtykke_innhenting", Bool),
        ]),
        ("feil-vei-gatelys", &[
            ("fare_info", Other), ("feiltype", Choice), ("feiltype_annet", Text), ("sted", Text), ("postnummer", Text),
            ("poststed", Text), ("lyktestolpe_nr", Text), ("beskrivelse", Text), ("bilder", Other), ("kontakt_ok", Bool),
            ("navn", Text), ("telefon", Text), ("epost", Text),
        ]),
        ("innsynskrav", &[
            ("dokument", Text), ("periode", Other), ("fra_dato", FieldType::Date), ("til_dato", FieldType::Date),
            ("format", Choice), ("postadresse", Other), ("navn", Text), ("epost", Text), ("for_organisasjon", Bool),
            ("orgnr", Text),
        ]),
        ("kontaktskjema", &[
            ("personvern_info", Other), ("emne", Choice), ("saksnummer", Text), ("melding", Text), ("svar_onskes", Bool),
            ("svarmetode", Choice), ("epost", Text), ("telefon", Text), ("navn", Text),
        ]),
        ("kulturmidler", &[
            ("org_navn", Text), ("orgnr", Text), ("kontonummer", Text), ("tittel", Text), ("beskrivelse", Text),
            ("malgruppe", Choices), ("fra_dato", FieldType::Date), ("til_dato", FieldType::Date), ("deltakere", Number),
            ("belop", Number), ("totalbudsjett", Number), ("budsjett", Other), ("kontakt_navn", Text),
            ("kontakt_rolle", Text), ("kontakt_telefon", Text), ("kontakt_epost", Text), ("bekreftelse", Bool),
        ]),
        ("parkering-forflytningshemmet", &[
            ("soker_fnr", PersonId), ("soker_navn", Text), ("soker_adresse", Other), ("soker_telefon", Text),
            ("rolle", Choice), ("gyldig_forerkort", Bool), ("behov_beskrivelse", Text), ("varighet", Choice),
            ("legeerklaering", Other), ("pa_vegne", Bool), ("rep_navn", Text), ("rep_fnr", PersonId),
            ("rep_relasjon", Choice), ("samtykke", Bool),
        ]),
        ("sfo-soknad", &[
            ("barn_navn", Text), ("barn_fnr", PersonId), ("skole", Choice), ("trinn", Choice), ("saerlige_behov", Bool),
            ("sfo", Choice), ("plasstype", Choice), ("startdato", FieldType::Date), ("sosken_info", Other),
            ("sosken_sfo", Group), ("sosken_navn", Text), ("sosken_fodt", FieldType::Date), ("foresatt_navn", Text),
            ("foresatt_telefon", Text), ("foresatt_epost", Text),
        ]),
        ("skjenkebevilling-enkelt", &[
            ("arrangor_navn", Text), ("arrangor_orgnr", Text), ("arrangor_telefon", Text), ("arrangor_epost", Text),
            ("arrangement_navn", Text), ("dato", FieldType::Date), ("skjenking_fra", Text), ("skjenking_til", Text),
            ("sted_navn", Text), ("sted_adresse", Other), ("inne_ute", Choice), ("gjester", Number),
            ("apent_for_alle", Bool), ("skjenketid_info", Other), ("alkoholgrupper", Choices), ("ansvarlig_navn", Text),
            ("ansvarlig_fnr", PersonId), ("ansvarlig_telefon", Text), ("bekreftelse", Bool),
        ]),
        ("slamtomming", &[
            ("eiendom_adresse", Other), ("gnr", Text), ("bnr", Text), ("tanktype", Choice), ("tank_volum", Number),
            ("onsket_uke", FieldType::Date), ("adkomst", Text), ("pris_overskrift", Other), ("pris_info", Other),
            ("bestiller_navn", Text), ("bestiller_telefon", Text), ("bestiller_epost", Text), ("annen_betaler", Bool),
            ("betaler_navn", Text), ("betaler_adresse", Other),
        ]),
    ];

    /// Every distinct condition in forms/*.toml (show_if, required_if, when), with the fields it uses.
    const FORM_CONDITIONS: &[(&str, &str, &[&str])] = &[
        ("barnehage-soknad", "age(barn_fnr) >= 6", &["barn_fnr"]),
        (
            "barnehage-soknad",
            "valg_2 is not empty and valg_2 == valg_1",
            &["valg_2", "valg_1"],
        ),
        (
            "barnehage-soknad",
            "valg_3 is not empty and (valg_3 == valg_1 or valg_3 == valg_2)",
            &["valg_3", "valg_1", "valg_2"],
        ),
        (
            "barnehage-soknad",
            "valg_3 is not empty and valg_2 is empty",
            &["valg_3", "valg_2"],
        ),
        (
            "barnehage-soknad",
            "saerlige_behov == true",
            &["saerlige_behov"],
        ),
        ("feil-vei-gatelys", r#"feiltype == "annet""#, &["feiltype"]),
        (
            "feil-vei-gatelys",
            r#"feiltype == "gatelys""#,
            &["feiltype"],
        ),
        ("feil-vei-gatelys", "kontakt_ok == true", &["kontakt_ok"]),
        (
            "feil-vei-gatelys",
            "kontakt_ok == true and telefon is empty",
            &["kontakt_ok", "telefon"],
        ),
        (
            "innsynskrav",
            "fra_dato is not empty and til_dato is not empty and til_dato < fra_dato",
            &["fra_dato", "til_dato"],
        ),
        ("innsynskrav", r#"format == "papir""#, &["format"]),
        (
            "innsynskrav",
            "for_organisasjon == true",
            &["for_organisasjon"],
        ),
        ("kontaktskjema", "svar_onskes == true", &["svar_onskes"]),
        (
            "kontaktskjema",
            r#"svar_onskes == true and svarmetode == "epost""#,
            &["svar_onskes", "svarmetode"],
        ),
        (
            "kontaktskjema",
            r#"svar_onskes == true and svarmetode == "telefon""#,
            &["svar_onskes", "svarmetode"],
        ),
        (
            "kulturmidler",
            "til_dato < fra_dato",
            &["til_dato", "fra_dato"],
        ),
        (
            "kulturmidler",
            "belop > totalbudsjett",
            &["belop", "totalbudsjett"],
        ),
        (
            "parkering-forflytningshemmet",
            r#"rolle == "sjafor""#,
            &["rolle"],
        ),
        (
            "parkering-forflytningshemmet",
            r#"rolle == "sjafor" and gyldig_forerkort == false"#,
            &["rolle", "gyldig_forerkort"],
        ),
        (
            "parkering-forflytningshemmet",
            "pa_vegne == true",
            &["pa_vegne"],
        ),
        (
            "parkering-forflytningshemmet",
            "pa_vegne == true and rep_fnr == soker_fnr",
            &["pa_vegne", "rep_fnr", "soker_fnr"],
        ),
        ("sfo-soknad", r#"trinn in ["5", "6", "7"]"#, &["trinn"]),
        (
            "sfo-soknad",
            r#"trinn in ["5", "6", "7"] and saerlige_behov == false"#,
            &["trinn", "saerlige_behov"],
        ),
        (
            "skjenkebevilling-enkelt",
            "age(ansvarlig_fnr) < 20",
            &["ansvarlig_fnr"],
        ),
        ("slamtomming", "annen_betaler == true", &["annen_betaler"]),
    ];

    fn form_lookup(form: &str) -> impl Fn(&str) -> Option<FieldType> + '_ {
        let fields = FORM_FIELDS
            .iter()
            .find(|(f, _)| *f == form)
            .map(|(_, fs)| *fs)
            .unwrap_or(&[]);
        move |id: &str| fields.iter().find(|(f, _)| *f == id).map(|(_, t)| *t)
    }

    #[test]
    fn every_form_condition_parses() {
        for (form, src, fields) in FORM_CONDITIONS {
            let expr =
                parse(src, &form_lookup(form)).unwrap_or_else(|e| panic!("{form}: {src}: {e}"));
            assert_eq!(expr.fields(), *fields, "{form}: {src}");
        }
    }

    /// Reads forms/*.toml and checks that every condition in them is in FORM_CONDITIONS (so it is
    /// parsed above against its form's field table), and parses.
    #[test]
    fn form_library_conditions_are_all_covered() {
        let here = std::path::Path::new(file!());
        let here = if here.is_absolute() {
            here.to_path_buf()
        } else {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(here)
        };
        let forms = here.ancestors().nth(4).unwrap().join("forms");
        let mut seen = 0;
        for entry in
            std::fs::read_dir(&forms).unwrap_or_else(|e| panic!("{}: {e}", forms.display()))
        {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(form) = name
                .strip_suffix(".toml")
                .filter(|f| !f.ends_with(".example"))
            else {
                continue;
            };
            // The table is a corpus for the forms listed in FORM_FIELDS; every other form's conditions
            // are parsed and type-checked by the loader (the registry tests and `check-forms`).
            if !FORM_FIELDS.iter().any(|(f, _)| *f == form) {
                continue;
            }
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                let line = line.trim();
                let Some(key) = ["show_if", "required_if", "when"].into_iter().find(|k| {
                    line.strip_prefix(k)
                        .is_some_and(|r| r.trim_start().starts_with('='))
                }) else {
                    continue;
                };
                let value = line[key.len()..].trim_start()[1..].trim();
                let src =
                    toml_string(value).unwrap_or_else(|| panic!("{name}: cannot read {line}"));
                assert!(
                    FORM_CONDITIONS
                        .iter()
                        .any(|(f, s, _)| *f == form && *s == src),
                    "{name}: condition {src:?} is not in FORM_CONDITIONS; add it (and the form's fields to FORM_FIELDS)"
                );
                parse(&src, &form_lookup(form)).unwrap_or_else(|e| panic!("{name}: {src}: {e}"));
                seen += 1;
            }
        }
        assert!(
            seen >= 30,
            "only {seen} conditions found in {}",
            forms.display()
        );
    }

    /// A one-line TOML string: 'literal' or "basic" (with \" and \\ escapes).
    fn toml_string(v: &str) -> Option<String> {
        if let Some(rest) = v.strip_prefix('\'') {
            return rest.find('\'').map(|end| rest[..end].to_owned());
        }
        let mut out = String::new();
        let mut chars = v.strip_prefix('"')?.chars();
        loop {
            match chars.next()? {
                '"' => return Some(out),
                '\\' => out.push(chars.next()?),
                c => out.push(c),
            }
        }
    }

    // ---------------------------------------------------------------------- a test environment

    const TODAY: Date = date!(2026 - 03 - 15);

    fn types(id: &str) -> Option<FieldType> {
        Some(match id {
            "navn" | "telefon" => Text,
            "tall" | "belop" => Number,
            "ja" => Bool,
            "dato" | "fra_dato" | "til_dato" => FieldType::Date,
            "trinn" | "valg_1" | "valg_2" => Choice,
            "boks" => Choices,
            "fnr" => PersonId,
            "rader" => Group,
            "vedlegg" => Other,
            _ => return None,
        })
    }

    type Answers = Vec<(&'static str, Value)>;

    /// Values by field; `birth:<field>` gives a field's birth date, `count:<group>` a group's rows.
    struct TestEnv(Answers);

    impl TestEnv {
        fn get(&self, key: &str) -> Option<&Value> {
            self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
        }
    }

    impl Env for TestEnv {
        fn value(&self, field: &str) -> Value {
            self.get(field).cloned().unwrap_or(Value::Null)
        }
        fn count(&self, group: &str) -> usize {
            match self.get(&format!("count:{group}")) {
                Some(Value::Number(n)) => *n as usize,
                _ => 0,
            }
        }
        fn today(&self) -> Date {
            TODAY
        }
        fn birth_date(&self, field: &str) -> Option<Date> {
            match (self.get(&format!("birth:{field}")), self.get(field)) {
                (Some(Value::Date(d)), _) | (None, Some(Value::Date(d))) => Some(*d),
                _ => None,
            }
        }
    }

    fn t(s: &str) -> Value {
        Value::Text(s.to_owned())
    }
    fn n(x: f64) -> Value {
        Value::Number(x)
    }
    fn b(x: bool) -> Value {
        Value::Bool(x)
    }
    fn d(y: i32, m: u8, day: u8) -> Value {
        Value::Date(Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), day).unwrap())
    }
    fn l(xs: &[&str]) -> Value {
        Value::List(xs.iter().map(|s| (*s).to_owned()).collect())
    }

    // ------------------------------------------------------------------- said in words

    #[test]
    fn simple_conditions_are_one_answer_to_one_question() {
        let said = |src: &str| parser::parse(src, &types).unwrap().answered_as();
        let a = |field: &str, values: Vec<Value>, negated: bool| {
            Some(AnsweredAs {
                field: field.to_owned(),
                values,
                negated,
            })
        };
        assert_eq!(said("ja == true"), a("ja", vec![b(true)], false));
        assert_eq!(said("true == ja"), a("ja", vec![b(true)], false));
        assert_eq!(said("trinn != \"a\""), a("trinn", vec![t("a")], true));
        assert_eq!(
            said("trinn in [\"a\", \"b\"]"),
            a("trinn", vec![t("a"), t("b")], false)
        );
        assert_eq!(
            said("trinn == \"a\" or trinn == \"b\""),
            a("trinn", vec![t("a"), t("b")], false)
        );
        assert_eq!(said("not ja == true"), a("ja", vec![b(true)], true));
        // Not one answer to one question: said generically.
        for src in [
            "trinn == \"a\" or valg_1 == \"b\"",
            "trinn == \"a\" and ja == true",
            "tall > 5",
            "trinn == \"a\" or trinn != \"b\"",
            "age(fnr) >= 18",
            "count(rader) > 1",
            "navn is not empty",
        ] {
            assert_eq!(said(src), None, "{src}");
        }
    }

    // ------------------------------------------------------------------------------ evaluation

    #[test]
    fn evaluation_table() {
        let null = Value::Null;
        let cases: Vec<(&str, Answers, bool)> = vec![
            // == and != on numbers; Null makes every comparison false, `not` negates the result
            ("tall == 5", vec![("tall", n(5.0))], true),
            ("tall == 5", vec![("tall", n(4.0))], false),
            ("tall == 5", vec![], false),
            ("tall != 5", vec![("tall", n(4.0))], true),
            ("tall != 5", vec![("tall", n(5.0))], false),
            ("tall != 5", vec![], false),
            ("tall != 5", vec![("tall", null.clone())], false),
            ("not (tall == 5)", vec![], true),
            ("not (tall != 5)", vec![], true),
            ("not tall == 5", vec![("tall", n(4.0))], true),
            ("not not tall == 5", vec![("tall", n(5.0))], true),
            ("tall == 2.5", vec![("tall", n(2.5))], true),
            ("tall == -3", vec![("tall", n(-3.0))], true),
            ("tall == \"5\"", vec![("tall", n(5.0))], true),
            ("tall == 5", vec![("tall", n(f64::NAN))], false),
            // ordering
            ("tall < 5", vec![("tall", n(4.0))], true),
            ("tall < 5", vec![("tall", n(5.0))], false),
            ("tall <= 5", vec![("tall", n(5.0))], true),
            ("tall <= 5", vec![("tall", n(6.0))], false),
            ("tall > 5", vec![("tall", n(6.0))], true),
            ("tall > 5", vec![("tall", n(5.0))], false),
            ("tall >= 5", vec![("tall", n(5.0))], true),
            ("tall >= 5", vec![("tall", n(4.9))], false),
            ("tall > -3", vec![("tall", n(-2.0))], true),
            ("tall < 5", vec![], false),
            ("tall >= 5", vec![], false),
            (
                "belop > tall",
                vec![("belop", n(10.0)), ("tall", n(9.0))],
                true,
            ),
            ("belop > tall", vec![("belop", n(10.0))], false),
            // text answers against numbers: numeric when the text is a number
            ("trinn == 5", vec![("trinn", t("5"))], true),
            ("trinn == 5", vec![("trinn", t("05"))], true),
            ("trinn == 5", vec![("trinn", t("fem"))], false),
            ("trinn != 5", vec![("trinn", t("fem"))], true),
            ("trinn >= 5", vec![("trinn", t("10"))], true),
            ("trinn < 5", vec![("trinn", t("10"))], false),
            ("trinn > 5", vec![("trinn", t("fem"))], false),
            ("trinn <= 5", vec![("trinn", t("fem"))], false),
            ("tall == 2.5", vec![("tall", t("2,5"))], true),
            ("tall == 2.5", vec![("tall", t(" 2.5 "))], true),
            ("navn == 5", vec![("navn", t("5e0"))], false),
            // text against text: == exact, ordering numeric / by date / by code point
            ("trinn == \"5\"", vec![("trinn", t("5"))], true),
            ("trinn == \"05\"", vec![("trinn", t("5"))], false),
            ("navn == \"Ola\"", vec![("navn", t("Ola"))], true),
            ("navn == \"Ola\"", vec![("navn", t("ola"))], false),
            ("navn != \"Ola\"", vec![("navn", t("ola"))], true),
            (
                "navn == \"si \\\"hei\\\"\"",
                vec![("navn", t("si \"hei\""))],
                true,
            ),
            ("navn == \"a\\\\b\"", vec![("navn", t("a\\b"))], true),
            ("navn == \"Ærlig\"", vec![("navn", t("Ærlig"))], true),
            (
                "valg_1 == valg_2",
                vec![("valg_1", t("a")), ("valg_2", t("a"))],
                true,
            ),
            (
                "valg_1 == valg_2",
                vec![("valg_1", t("a")), ("valg_2", t("b"))],
                false,
            ),
            (
                "valg_1 != valg_2",
                vec![("valg_1", t("a")), ("valg_2", t("b"))],
                true,
            ),
            ("valg_1 == valg_2", vec![("valg_1", t("a"))], false),
            ("valg_1 != valg_2", vec![("valg_1", t("a"))], false),
            (
                "navn < telefon",
                vec![("navn", t("9")), ("telefon", t("10"))],
                true,
            ),
            (
                "navn < telefon",
                vec![("navn", t("b")), ("telefon", t("a"))],
                false,
            ),
            ("navn < \"18:30\"", vec![("navn", t("08:00"))], true),
            (
                "navn < telefon",
                vec![("navn", t("2026-01-31")), ("telefon", t("2026-02-01"))],
                true,
            ),
            ("navn == \"\"", vec![("navn", t(""))], false),
            ("navn == \"\"", vec![("navn", t("x"))], false),
            // in / not in
            (r#"trinn in ["5", "6", "7"]"#, vec![("trinn", t("6"))], true),
            (
                r#"trinn in ["5", "6", "7"]"#,
                vec![("trinn", t("4"))],
                false,
            ),
            (r#"trinn in ["5", "6", "7"]"#, vec![], false),
            (
                r#"trinn not in ["5", "6", "7"]"#,
                vec![("trinn", t("4"))],
                true,
            ),
            (
                r#"trinn not in ["5", "6", "7"]"#,
                vec![("trinn", t("6"))],
                false,
            ),
            (r#"trinn not in ["5", "6", "7"]"#, vec![], false),
            (r#"not (trinn in ["5", "6", "7"])"#, vec![], true),
            ("trinn in [5, 6, 7]", vec![("trinn", t("6"))], true),
            ("trinn in [5, 6, 7,]", vec![("trinn", t("8"))], false),
            ("tall in [1, 2.5, \"3\"]", vec![("tall", n(3.0))], true),
            ("tall in [1, 2.5]", vec![("tall", n(2.5))], true),
            ("tall not in [1, 2.5]", vec![("tall", n(2.0))], true),
            (
                r#"dato in ["2026-03-15", "2026-12-24"]"#,
                vec![("dato", d(2026, 12, 24))],
                true,
            ),
            // checkbox lists
            (
                r#"boks in ["a", "b"]"#,
                vec![("boks", l(&["c", "b"]))],
                true,
            ),
            (r#"boks in ["a", "b"]"#, vec![("boks", l(&["c"]))], false),
            (r#"boks in ["a", "b"]"#, vec![("boks", l(&[]))], false),
            (r#"boks not in ["a"]"#, vec![("boks", l(&["b"]))], true),
            (
                r#"boks not in ["a"]"#,
                vec![("boks", l(&["a", "b"]))],
                false,
            ),
            (r#"boks not in ["a"]"#, vec![("boks", l(&[]))], false),
            (r#"boks == "a""#, vec![("boks", l(&["b", "a"]))], true),
            (r#"boks == "a""#, vec![("boks", l(&["b"]))], false),
            (r#"boks != "a""#, vec![("boks", l(&["b"]))], true),
            (r#"boks != "a""#, vec![("boks", l(&["a"]))], false),
            (r#"boks != "a""#, vec![("boks", l(&[]))], false),
            ("boks == 5", vec![("boks", l(&["5"]))], true),
            (
                "boks == navn",
                vec![("boks", l(&["x", "y"])), ("navn", t("y"))],
                true,
            ),
            // is empty / is not empty
            ("navn is empty", vec![], true),
            ("navn is empty", vec![("navn", t(""))], true),
            ("navn is empty", vec![("navn", t("  "))], true),
            ("navn is empty", vec![("navn", t("x"))], false),
            ("navn is not empty", vec![("navn", t("x"))], true),
            ("navn is not empty", vec![], false),
            ("boks is empty", vec![("boks", l(&[]))], true),
            ("boks is empty", vec![("boks", l(&["a"]))], false),
            ("boks is not empty", vec![("boks", l(&["a"]))], true),
            ("ja is empty", vec![("ja", b(false))], false),
            ("ja is empty", vec![], true),
            ("tall is empty", vec![("tall", n(0.0))], false),
            ("tall is empty", vec![("tall", n(f64::NAN))], true),
            ("dato is not empty", vec![("dato", d(2026, 1, 1))], true),
            // yes/no
            ("ja == true", vec![("ja", b(true))], true),
            ("ja == true", vec![("ja", b(false))], false),
            ("ja == false", vec![("ja", b(false))], true),
            ("ja == false", vec![], false),
            ("ja != true", vec![], false),
            ("ja != true", vec![("ja", b(false))], true),
            ("not (ja == true)", vec![], true),
            ("ja == true", vec![("ja", t("true"))], true),
            ("ja == \"true\"", vec![("ja", b(true))], true),
            ("ja == \"false\"", vec![("ja", b(true))], false),
            // dates and today (today is 2026-03-15)
            ("dato < today", vec![("dato", d(2026, 3, 14))], true),
            ("dato < today", vec![("dato", d(2026, 3, 15))], false),
            ("dato <= today", vec![("dato", d(2026, 3, 15))], true),
            ("dato > today", vec![("dato", d(2027, 1, 1))], true),
            ("dato >= today", vec![], false),
            (
                "dato == \"2026-03-15\"",
                vec![("dato", d(2026, 3, 15))],
                true,
            ),
            (
                "dato != \"2026-03-15\"",
                vec![("dato", d(2026, 3, 16))],
                true,
            ),
            (
                "dato > \"2026-01-01\"",
                vec![("dato", t("2026-02-01"))],
                true,
            ),
            (
                "dato > \"2026-01-01\"",
                vec![("dato", t("01.02.2026"))],
                false,
            ),
            ("dato == today", vec![("dato", t("2026-03-15"))], true),
            ("\"2026-03-15\" == today", vec![], true),
            ("navn == today", vec![("navn", t("2026-03-15"))], true),
            ("navn < today", vec![("navn", t("snart"))], false),
            (
                "til_dato < fra_dato",
                vec![("fra_dato", d(2026, 2, 1)), ("til_dato", d(2026, 1, 31))],
                true,
            ),
            (
                "til_dato < fra_dato",
                vec![("fra_dato", d(2026, 2, 1)), ("til_dato", d(2026, 2, 1))],
                false,
            ),
            (
                "til_dato < fra_dato",
                vec![("til_dato", d(2026, 1, 31))],
                false,
            ),
            // age(): the day before and the day of the 6th birthday
            (
                "age(fnr) >= 6",
                vec![("fnr", t("16032012345")), ("birth:fnr", d(2020, 3, 16))],
                false,
            ),
            (
                "age(fnr) == 5",
                vec![("fnr", t("16032012345")), ("birth:fnr", d(2020, 3, 16))],
                true,
            ),
            (
                "age(fnr) >= 6",
                vec![("fnr", t("15032012345")), ("birth:fnr", d(2020, 3, 15))],
                true,
            ),
            ("age(fnr) == 6", vec![("birth:fnr", d(2020, 3, 15))], true),
            ("age(fnr) < 20", vec![("birth:fnr", d(2006, 3, 16))], true),
            ("age(fnr) < 20", vec![("birth:fnr", d(2006, 3, 15))], false),
            ("age(fnr) < 20", vec![], false),
            ("age(fnr) >= 6", vec![], false),
            ("not (age(fnr) >= 6)", vec![], true),
            ("age(fnr) is empty", vec![], true),
            (
                "age(fnr) is not empty",
                vec![("birth:fnr", d(2020, 3, 15))],
                true,
            ),
            ("age(dato) == 1", vec![("dato", d(2025, 3, 15))], true),
            ("age(dato) == 0", vec![("dato", d(2025, 3, 16))], true),
            ("age(dato) < 0", vec![("dato", d(2026, 3, 16))], true),
            // count()
            ("count(rader) == 0", vec![], true),
            ("count(rader) == 0", vec![("count:rader", n(2.0))], false),
            ("count(rader) >= 2", vec![("count:rader", n(3.0))], true),
            ("count(rader) > 3", vec![("count:rader", n(3.0))], false),
            (
                "count(rader) in [1, 2]",
                vec![("count:rader", n(2.0))],
                true,
            ),
            // and / or / not and their precedence
            (
                "tall == 1 and ja == true",
                vec![("tall", n(1.0)), ("ja", b(true))],
                true,
            ),
            (
                "tall == 1 and ja == true",
                vec![("tall", n(1.0)), ("ja", b(false))],
                false,
            ),
            (
                "tall == 1 or ja == true",
                vec![("tall", n(2.0)), ("ja", b(true))],
                true,
            ),
            ("tall == 1 or ja == true", vec![("tall", n(2.0))], false),
            (
                "tall == 1 or tall == 2 and ja == true",
                vec![("tall", n(1.0)), ("ja", b(false))],
                true,
            ),
            (
                "(tall == 1 or tall == 2) and ja == true",
                vec![("tall", n(1.0)), ("ja", b(false))],
                false,
            ),
            (
                "not ja == true and tall == 1",
                vec![("tall", n(1.0)), ("ja", b(true))],
                false,
            ),
            (
                "not ja == true and tall == 1",
                vec![("tall", n(1.0)), ("ja", b(false))],
                true,
            ),
            (
                "not (ja == true and tall == 1)",
                vec![("tall", n(1.0)), ("ja", b(false))],
                true,
            ),
            ("((((tall == 1))))", vec![("tall", n(1.0))], true),
            (
                "valg_2 is not empty and (valg_2 == valg_1 or valg_2 == \"x\")",
                vec![("valg_1", t("a")), ("valg_2", t("x"))],
                true,
            ),
        ];
        let mut failures = Vec::new();
        for (src, values, want) in &cases {
            let expr = parse(src, &types).unwrap_or_else(|e| panic!("{src}: {e}"));
            if expr.eval(&TestEnv(values.clone())) != *want {
                failures.push(format!("{src} with {values:?}: expected {want}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} failed:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
        assert!(cases.len() >= 150, "{}", cases.len());
    }

    #[test]
    fn age_at_birthday_boundaries() {
        assert_eq!(
            age_in_years(date!(2020 - 03 - 16), date!(2026 - 03 - 15)),
            5
        );
        assert_eq!(
            age_in_years(date!(2020 - 03 - 15), date!(2026 - 03 - 15)),
            6
        );
        assert_eq!(
            age_in_years(date!(2020 - 02 - 29), date!(2026 - 02 - 28)),
            5
        );
        assert_eq!(
            age_in_years(date!(2020 - 02 - 29), date!(2026 - 03 - 01)),
            6
        );
        assert_eq!(
            age_in_years(date!(2020 - 02 - 29), date!(2028 - 02 - 29)),
            8
        );
        assert_eq!(
            age_in_years(date!(2020 - 12 - 31), date!(2021 - 01 - 01)),
            0
        );
        assert_eq!(
            age_in_years(date!(2027 - 01 - 01), date!(2026 - 03 - 15)),
            -1
        );
    }

    // ---------------------------------------------------------------------------------- errors

    #[test]
    fn invalid_expressions() {
        let cases: &[(&str, usize, &str)] = &[
            // names
            ("trin == 5", 0, "unknown field 'trin'"),
            ("tall == 1 and trin == 5", 14, "unknown field 'trin'"),
            (
                "count == 1",
                0,
                "unknown field 'count'; to count the rows of a repeating group, write count(group)",
            ),
            (
                "age >= 6",
                0,
                "unknown field 'age'; to get an age in years, write age(field)",
            ),
            (
                "foo(navn) == 1",
                0,
                "unknown function 'foo': the functions are age() and count()",
            ),
            (
                "Trinn == 5",
                0,
                "invalid field name 'Trinn': field ids use only a-z, 0-9 and '_'",
            ),
            (
                "særlige == true",
                0,
                "invalid field name 'særlige': field ids use only a-z, 0-9 and '_'",
            ),
            (
                "tall == 1 AND ja == true",
                10,
                "unknown word 'AND': keywords are lower case, write 'and'",
            ),
            // missing operands and conditions
            ("", 0, "expected a condition but found end of expression"),
            ("   ", 3, "expected a condition but found end of expression"),
            (
                "tall ==",
                7,
                "expected a value after '==' but found end of expression",
            ),
            (
                "tall == and ja == true",
                8,
                "expected a value after '==' but found 'and'",
            ),
            ("== 5", 0, "expected a condition but found '=='"),
            (
                "tall == 1 and",
                13,
                "expected a condition after 'and' but found end of expression",
            ),
            (
                "tall == 1 or or ja == true",
                13,
                "expected a condition after 'or' but found 'or'",
            ),
            (
                "not",
                3,
                "expected a condition after 'not' but found end of expression",
            ),
            (
                "tall",
                4,
                "expected a comparison (==, !=, <, <=, >, >=, in, not in, is) after 'tall' but found end of expression",
            ),
            (
                "ja and tall == 1",
                3,
                "expected a comparison (==, !=, <, <=, >, >=, in, not in, is) after 'ja' but found 'and'; to test a yes/no field, write 'ja == true'",
            ),
            // parentheses
            (
                "(tall == 1",
                10,
                "expected ')' to close the '(' at offset 0 but found end of expression",
            ),
            (
                "ja == true and ((tall == 1)",
                27,
                "expected ')' to close the '(' at offset 15 but found end of expression",
            ),
            (
                "(tall == 1 navn",
                11,
                "expected 'and', 'or' or ')' after '1' but found 'navn'",
            ),
            ("tall == 1)", 9, "unexpected ')': there is no '(' to close"),
            ("()", 1, "expected a condition after '(' but found ')'"),
            (
                "tall == (1)",
                8,
                "expected a value after '==' but found '('",
            ),
            // trailing garbage and chains
            (
                "tall == 1 navn",
                10,
                "expected 'and', 'or' or end of expression after '1' but found 'navn'",
            ),
            (
                "tall == 1 not ja == true",
                10,
                "expected 'and', 'or' or end of expression after '1' but found 'not'",
            ),
            (
                "1 < tall < 5",
                9,
                "expected 'and', 'or' or end of expression after 'tall' but found '<' (comparisons cannot be chained)",
            ),
            // bad tokens
            ("tall = 5", 5, "unexpected '=': use '==' to compare"),
            ("ja == true && tall > 1", 11, "unexpected '&&': use 'and'"),
            ("ja == true & tall > 1", 11, "unexpected '&': use 'and'"),
            ("ja == true || tall > 1", 11, "unexpected '||': use 'or'"),
            (
                "!ja",
                0,
                "unexpected '!': use 'not' to negate a condition, or '!=' for 'not equal'",
            ),
            ("tall <> 1", 5, "unexpected '<>': use '!=' for 'not equal'"),
            ("tall == 1 # kommentar", 10, "unexpected character '#'"),
            (
                "tall == -x",
                8,
                "unexpected '-': only a number can follow a minus sign, like -3",
            ),
            (
                "tall == 1.",
                8,
                "invalid number '1.': expected a digit after '.'",
            ),
            ("tall == 1.5.2", 8, "invalid number '1.5.2'"),
            ("tall == 5kr", 8, "invalid number '5kr'"),
            // strings
            (
                "navn == \"abc",
                8,
                "unclosed string: expected a closing '\"' before end of expression",
            ),
            (
                "navn == \"abc\\\"",
                8,
                "unclosed string: expected a closing '\"' before end of expression",
            ),
            (
                "navn == 'abc'",
                8,
                "unexpected \"'\": strings are written in double quotes, like \"annet\"",
            ),
            (
                "navn == \"a\\nb\"",
                10,
                "unknown escape '\\n' in string: only \\\" and \\\\ are allowed",
            ),
            // in, not in, is
            (
                "trinn in []",
                10,
                "expected at least one value in the list after '[' but found ']'",
            ),
            (
                "trinn in \"5\"",
                9,
                "expected a list like [\"a\", \"b\"] after 'in' but found \"5\"",
            ),
            (
                "trinn in [navn]",
                10,
                "expected a number, a text in double quotes, true or false after '[' but found 'navn'",
            ),
            (
                "trinn in [\"5\" \"6\"]",
                14,
                "expected ',' or ']' after \"5\" but found \"6\"",
            ),
            (
                "trinn in [\"5\"",
                13,
                "expected ',' or ']' after \"5\" but found end of expression",
            ),
            (
                "trinn in [\"5\",,]",
                14,
                "expected a number, a text in double quotes, true or false after ',' but found ','",
            ),
            (
                "trinn not [\"5\"]",
                10,
                "expected 'in' after 'not' but found '['",
            ),
            (
                "navn is full",
                8,
                "expected 'empty' or 'not empty' after 'is' but found 'full'",
            ),
            (
                "navn is not full",
                12,
                "expected 'empty' after 'is not' but found 'full'",
            ),
            (
                "navn is",
                7,
                "expected 'empty' or 'not empty' after 'is' but found end of expression",
            ),
            // functions
            (
                "age(navn) >= 6",
                4,
                "age() needs a date or fødselsnummer field, but 'navn' is text",
            ),
            (
                "age(rader) >= 6",
                4,
                "age() needs a date or fødselsnummer field, but 'rader' is a repeating group",
            ),
            (
                "count(trinn) > 1",
                6,
                "count() needs a repeating group, but 'trinn' is a choice",
            ),
            (
                "count(ja) > 1",
                6,
                "count() needs a repeating group, but 'ja' is a yes/no answer",
            ),
            ("count(ukjent) > 1", 6, "unknown field 'ukjent'"),
            (
                "age() > 1",
                4,
                "expected a field name inside age() but found ')'",
            ),
            (
                "age(today) > 1",
                4,
                "expected a field name inside age() but found 'today'",
            ),
            ("age(fnr > 1", 8, "expected ')' after 'fnr' but found '>'"),
            // types
            ("dato == 5", 5, "cannot compare a date field with a number"),
            (
                "dato > count(rader)",
                5,
                "cannot compare a date field with count(rader)",
            ),
            ("today == 5", 6, "cannot compare today with a number"),
            ("age(fnr) == today", 9, "cannot compare age(fnr) with today"),
            (
                "dato == ja",
                5,
                "cannot compare a date field with a yes/no field",
            ),
            (
                "dato > tall",
                5,
                "cannot compare a date field with a number field",
            ),
            (
                "dato in [5]",
                9,
                "cannot compare a date field with a number",
            ),
            (
                "dato > \"2024-13-01\"",
                7,
                "cannot compare a date field with the text \"2024-13-01\", which is not a date (write dates as \"YYYY-MM-DD\")",
            ),
            (
                "dato in [\"2024-01-01\", \"1.1.2024\"]",
                23,
                "cannot compare a date field with the text \"1.1.2024\", which is not a date (write dates as \"YYYY-MM-DD\")",
            ),
            (
                "tall == \"abc\"",
                8,
                "cannot compare a number field with the text \"abc\", which is not a number",
            ),
            (
                "ja == \"ja\"",
                6,
                "cannot compare a yes/no field with the text \"ja\": use true or false",
            ),
            ("ja == 1", 3, "cannot compare a yes/no field with a number"),
            (
                "ja == navn",
                3,
                "cannot compare a yes/no field with a text field",
            ),
            ("navn == true", 5, "cannot compare a text field with true"),
            (
                "trinn in [\"5\", false]",
                15,
                "cannot compare a choice field with false",
            ),
            (
                "boks == boks",
                5,
                "cannot compare a checkbox field with a checkbox field",
            ),
            (
                "ja < true",
                3,
                "'<' cannot be used with a yes/no field: yes/no values can only be compared with == or !=",
            ),
            (
                "tall >= false",
                5,
                "'>=' cannot be used with false: yes/no values can only be compared with == or !=",
            ),
            (
                "boks > 2",
                5,
                "'>' cannot be used with a checkbox field: use ==, !=, 'in' or 'is empty'",
            ),
            (
                "ja in [true]",
                3,
                "'in' cannot be used with a yes/no field: use == or !=",
            ),
            (
                "ja not in [true]",
                3,
                "'in' cannot be used with a yes/no field: use == or !=",
            ),
            (
                "rader == 1",
                0,
                "'rader' is a repeating group and cannot be used as a value; use count(rader)",
            ),
            (
                "rader is empty",
                0,
                "'rader' is a repeating group and cannot be used as a value; use count(rader)",
            ),
            (
                "vedlegg is empty",
                0,
                "'vedlegg' cannot be used in a condition: it is an info, heading, attachment or address field",
            ),
            (
                "5 is empty",
                2,
                "'is empty' can only test a field or age(), not a number",
            ),
            (
                "count(rader) is empty",
                13,
                "'is empty' can only test a field or age(), not count(rader)",
            ),
        ];
        let mut failures = Vec::new();
        for (src, offset, message) in cases {
            let want = CondError {
                offset: *offset,
                message: (*message).to_owned(),
            };
            match parse(src, &types) {
                Ok(_) => failures.push(format!("{src:?}: parsed, expected {want:?}")),
                Err(e) if e != want => {
                    failures.push(format!("{src:?}:\n   got  {e:?}\n   want {want:?}"))
                }
                Err(_) => {}
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} failed:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn length_and_depth_limits() {
        let ok = format!("{:<2000}", "tall == 1");
        assert!(parse(&ok, &types).is_ok());
        let long = format!("{:<2001}", "tall == 1");
        assert_eq!(
            parse(&long, &types),
            Err(CondError {
                offset: 2000,
                message: "expression is too long: 2001 characters, at most 2000 are allowed".into()
            })
        );
        // characters, not bytes: 1000 'ø' in a string are 2000 bytes
        let wide = format!("navn == \"{}\"", "ø".repeat(1000));
        assert!(parse(&wide, &types).is_ok());

        let nested = |k: usize| format!("{}tall == 1{}", "(".repeat(k), ")".repeat(k));
        assert!(parse(&nested(64), &types).is_ok());
        let deep = "expression is nested too deeply: at most 64 levels of parentheses and 'not' are allowed";
        assert_eq!(
            parse(&nested(65), &types),
            Err(CondError {
                offset: 64,
                message: deep.into()
            })
        );
        assert!(parse(&nested(600), &types).is_err());
        let nots = |k: usize| format!("{}tall == 1", "not ".repeat(k));
        assert!(
            parse(&nots(64), &types)
                .unwrap()
                .eval(&TestEnv(vec![("tall", n(1.0))]))
        );
        assert_eq!(
            parse(&nots(65), &types),
            Err(CondError {
                offset: 256,
                message: deep.into()
            })
        );
        // long flat chains are not nesting
        let chain = vec!["tall == 1"; 140].join(" and ");
        assert!(
            parse(&chain, &types)
                .unwrap()
                .eval(&TestEnv(vec![("tall", n(1.0))]))
        );
    }

    #[test]
    fn fields_in_order_without_duplicates() {
        let e = parse(
            "valg_2 is not empty and (valg_2 == valg_1 or age(fnr) > 1 or count(rader) > 0 or valg_1 == \"x\")",
            &types,
        )
        .unwrap();
        assert_eq!(e.fields(), ["valg_2", "valg_1", "fnr", "rader"]);
        assert_eq!(e.field_offset("valg_1"), Some(35));
        assert_eq!(e.field_offset("fnr"), Some(49));
        assert_eq!(e.field_offset("ja"), None);
        assert!(
            parse("today > \"2020-01-01\"", &types)
                .unwrap()
                .fields()
                .is_empty()
        );
    }

    #[test]
    fn string_literal_next_to_a_date_is_a_date() {
        let a = parse("dato == \"2026-03-15\"", &types).unwrap();
        let b = parse("\"2026-03-15\" == dato", &types).unwrap();
        assert!(a.eval(&TestEnv(vec![("dato", d(2026, 3, 15))])));
        assert!(b.eval(&TestEnv(vec![("dato", d(2026, 3, 15))])));
        // next to a text field it stays a text
        assert!(
            !parse("navn == \"2026-03-15\"", &types)
                .unwrap()
                .eval(&TestEnv(vec![("navn", t("2026-3-15"))]))
        );
    }

    /// A small deterministic pseudo-random generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[self.next(xs.len())]
        }
    }

    /// A random, mostly well-formed condition (types may clash).
    fn random_condition(r: &mut Rng, depth: usize) -> String {
        const FIELDS: &[&str] = &[
            "tall",
            "navn",
            "ja",
            "dato",
            "boks",
            "trinn",
            "fnr",
            "age(fnr)",
            "count(rader)",
            "today",
        ];
        const OPS: &[&str] = &["==", "!=", "<", "<=", ">", ">="];
        const LITS: &[&str] = &[
            "5",
            "-3",
            "2.5",
            "\"5\"",
            "\"a\"",
            "\"2026-03-15\"",
            "true",
            "false",
            "today",
            "navn",
            "tall",
        ];
        match if depth > 3 { r.next(3) } else { r.next(7) } {
            0 => format!("{} {} {}", r.pick(FIELDS), r.pick(OPS), r.pick(LITS)),
            1 => format!(
                "{} {}in [{}, {}]",
                r.pick(FIELDS),
                r.pick(&["", "not "]),
                r.pick(&LITS[..8]),
                r.pick(&LITS[..8])
            ),
            2 => format!("{} is {}empty", r.pick(FIELDS), r.pick(&["", "not "])),
            3 => format!("not {}", random_condition(r, depth + 1)),
            4 => format!("({})", random_condition(r, depth + 1)),
            5 => format!(
                "{} and {}",
                random_condition(r, depth + 1),
                random_condition(r, depth + 1)
            ),
            _ => format!(
                "{} or {}",
                random_condition(r, depth + 1),
                random_condition(r, depth + 1)
            ),
        }
    }

    /// Random conditions, some of them mangled: parsing and evaluating never panic, and every error
    /// points inside the expression at a character boundary.
    #[test]
    fn never_panics() {
        const NOISE: &[&str] = &[
            "==", "=", "!", "(", ")", "[", "]", ",", "\"", "\\", "&&", "ø", "'", "1.", "-", "and",
            "not", "is", "in", "x",
        ];
        let envs = [
            TestEnv(vec![]),
            TestEnv(vec![
                ("tall", t("x")),
                ("navn", n(f64::INFINITY)),
                ("ja", l(&["a"])),
                ("dato", b(true)),
                ("boks", t("a")),
                ("trinn", d(2026, 1, 1)),
                ("fnr", n(-0.0)),
                ("birth:fnr", d(9999, 12, 31)),
                ("count:rader", n(1e9)),
            ]),
            TestEnv(vec![
                ("tall", n(5.0)),
                ("navn", t("5")),
                ("ja", b(false)),
                ("boks", l(&["5", ""])),
                ("dato", t("2026-03-15")),
            ]),
        ];
        let mut r = Rng(0x2545_f491_4f6c_dd1d);
        let (mut parsed, total) = (0, 20_000);
        for i in 0..total {
            let mut src = random_condition(&mut r, 0);
            if i % 2 == 1 {
                // mangle: insert noise at a character boundary
                let at = src
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(r.next(src.chars().count().max(1)))
                    .unwrap_or(0);
                src.insert_str(at, r.pick(NOISE));
            }
            match parse(&src, &types) {
                Ok(e) => {
                    parsed += 1;
                    for env in &envs {
                        e.eval(env);
                    }
                }
                Err(e) => {
                    assert!(
                        e.offset <= src.len() && src.is_char_boundary(e.offset),
                        "{src:?}: {e:?}"
                    );
                    assert!(!e.message.is_empty());
                }
            }
        }
        assert!(parsed > total / 10, "only {parsed} of {total} parsed");
    }
}
