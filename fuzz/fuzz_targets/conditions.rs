//! The condition language (`show_if`, `required_if`, `when`): parsed against field types, and when it parses,
//! evaluated against answers drawn from the input. Neither may panic.
//!
//! Input: the expression, optionally followed by a NUL byte and bytes the answers are drawn from (without
//! a NUL, the answers are drawn from the expression itself, so the seeds need no suffix).
#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use radhus::forms::conditions::{self, CondError, Env, FieldType, Value};
use radhus::forms::definition::{ChoiceDisplay, Field, Kind};
use time::Date;

/// Short ids, one per type (`a` and `t` both text), then the fields of the test tenant's form
/// (tests/fixtures/tenant-forms/alle-felt.toml), so that the seeds from it type-check.
const FIXED: &[(&str, FieldType)] = &[
    ("a", FieldType::Text),
    ("t", FieldType::Text),
    ("n", FieldType::Number),
    ("b", FieldType::Bool),
    ("d", FieldType::Date),
    ("s", FieldType::Choice),
    ("c", FieldType::Choices),
    ("f", FieldType::PersonId),
    ("g", FieldType::Group),
    ("o", FieldType::Other),
    ("epost", FieldType::Text),
    ("fnr", FieldType::PersonId),
    ("farge", FieldType::Choice),
    ("ekstra", FieldType::Bool),
    ("antall", FieldType::Number),
    ("skole", FieldType::Choice),
    ("fodt", FieldType::Date),
    ("barn", FieldType::Group),
    ("barn_alder", FieldType::Number),
];

/// The field types: the fixed ids above, and every field of the embedded form library (as the loader types
/// them), so that the library's own conditions parse.
fn types() -> &'static HashMap<String, FieldType> {
    static TYPES: OnceLock<HashMap<String, FieldType>> = OnceLock::new();
    TYPES.get_or_init(|| {
        fn add(m: &mut HashMap<String, FieldType>, fields: &[Field]) {
            for f in fields {
                m.entry(f.id.clone()).or_insert(condition_type(&f.kind));
                if let Kind::Group { fields, .. } = &f.kind {
                    add(m, fields);
                }
            }
        }
        let mut m: HashMap<String, FieldType> =
            FIXED.iter().map(|(id, t)| ((*id).to_owned(), *t)).collect();
        if let Ok(reg) = radhus::forms::Registry::load_embedded() {
            for def in reg.all() {
                for step in &def.steps {
                    add(&mut m, &step.fields);
                }
            }
        }
        m
    })
}

/// The type the loader gives a field of this kind in conditions (as `kind_type` in
/// src/forms/definition.rs does from the kind's name). Kinds added later count as `Other` here.
fn condition_type(kind: &Kind) -> FieldType {
    match kind {
        Kind::Text { .. }
        | Kind::Textarea { .. }
        | Kind::Email
        | Kind::Phone
        | Kind::Orgnr { .. }
        | Kind::Kontonummer
        | Kind::Postnummer { .. } => FieldType::Text,
        Kind::Number { .. } => FieldType::Number,
        Kind::Date { .. } => FieldType::Date,
        Kind::Fodselsnummer => FieldType::PersonId,
        Kind::Choice {
            display: ChoiceDisplay::Checkboxes,
            ..
        } => FieldType::Choices,
        Kind::Choice { .. } | Kind::List { .. } => FieldType::Choice,
        Kind::YesNo | Kind::Consent => FieldType::Bool,
        Kind::Group { .. } => FieldType::Group,
        #[allow(unreachable_patterns)]
        _ => FieldType::Other,
    }
}

fn field_type(id: &str) -> Option<FieldType> {
    types().get(id).copied()
}

/// Answers drawn from fuzzer bytes: each question (field id, function) reads its own window of the bytes.
struct FuzzEnv<'d> {
    data: &'d [u8],
}

impl FuzzEnv<'_> {
    /// Up to 24 bytes, starting at a place that depends on `key`.
    fn bytes(&self, key: &str) -> &[u8] {
        if self.data.is_empty() {
            return &[];
        }
        // FNV-1a: a cheap, stable hash.
        let h = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        let start = usize::try_from(h % self.data.len() as u64).unwrap_or(0);
        let end = (start + 24).min(self.data.len());
        self.data.get(start..end).unwrap_or(&[])
    }

    fn u64_of(b: &[u8]) -> u64 {
        let mut buf = [0u8; 8];
        for (d, s) in buf.iter_mut().zip(b) {
            *d = *s;
        }
        u64::from_le_bytes(buf)
    }

    /// Any date `time` can represent, biased towards ones near 2026 (where the real answers are).
    fn date_of(b: &[u8]) -> Date {
        let x = Self::u64_of(b);
        let near = time::macros::date!(2026 - 11 - 24).to_julian_day();
        let jd = if x & 1 == 0 {
            near + i32::try_from((x >> 1) % 80_000).unwrap_or(0) - 40_000
        } else {
            let lo = Date::MIN.to_julian_day();
            let span = u64::try_from(Date::MAX.to_julian_day() - lo).unwrap_or(1) + 1;
            lo + i32::try_from((x >> 1) % span).unwrap_or(0)
        };
        Date::from_julian_day(jd).unwrap_or(Date::MIN)
    }

    fn number_of(sel: u8, b: &[u8]) -> f64 {
        if sel & 0x40 != 0 {
            // Small integers and halves, which conditions compare against.
            f64::from(b.first().copied().unwrap_or(0) as i8)
                / if sel & 0x20 != 0 { 2.0 } else { 1.0 }
        } else {
            f64::from_bits(Self::u64_of(b)) // includes NaN, infinities, subnormals
        }
    }

    fn text_of(b: &[u8]) -> String {
        String::from_utf8_lossy(b).into_owned()
    }
}

impl Env for FuzzEnv<'_> {
    fn value(&self, field: &str) -> Value {
        let b = self.bytes(field);
        let (sel, rest) = match b.split_first() {
            Some((s, r)) => (*s, r),
            None => return Value::Null,
        };
        match sel % 8 {
            0 => Value::Null,
            // Any kind of value, whatever the field's type: evaluation must cope.
            1 => Value::Text(Self::text_of(rest)),
            2 => Value::Number(Self::number_of(sel, rest)),
            3 => Value::Bool(sel & 0x80 != 0),
            4 => Value::Date(Self::date_of(rest)),
            5 => Value::List(rest.split(|c| *c == b',').map(Self::text_of).collect()),
            // The kind of value the engine supplies for the field's type.
            _ => match field_type(field) {
                Some(FieldType::Number) => Value::Number(Self::number_of(sel, rest)),
                Some(FieldType::Bool) => Value::Bool(sel & 0x80 != 0),
                Some(FieldType::Date) => Value::Date(Self::date_of(rest)),
                Some(FieldType::Choices) => {
                    Value::List(rest.split(|c| *c == b',').map(Self::text_of).collect())
                }
                _ => Value::Text(Self::text_of(rest)),
            },
        }
    }

    fn count(&self, group: &str) -> usize {
        let b = self.bytes(&format!("count({group})"));
        let x = Self::u64_of(b);
        // Mostly small, sometimes anything.
        usize::try_from(if x & 0x100 == 0 { x & 0xf } else { x }).unwrap_or(usize::MAX)
    }

    fn today(&self) -> Date {
        let b = self.bytes("today");
        if b.first().is_some_and(|s| s % 4 == 0) {
            Self::date_of(b.get(1..).unwrap_or(&[]))
        } else {
            time::macros::date!(2026 - 11 - 24)
        }
    }

    fn birth_date(&self, field: &str) -> Option<Date> {
        let b = self.bytes(&format!("age({field})"));
        let (sel, rest) = b.split_first()?;
        (sel % 5 != 0).then(|| Self::date_of(rest))
    }
}

fuzz_target!(|data: &[u8]| {
    let (src, answers) = match data.iter().position(|b| *b == 0) {
        Some(i) => (
            data.get(..i).unwrap_or(&[]),
            data.get(i + 1..).unwrap_or(&[]),
        ),
        None => (data, data),
    };
    let Ok(src) = std::str::from_utf8(src) else {
        return;
    };
    let expr = match conditions::parse(src, &field_type) {
        Ok(e) => e,
        Err(CondError { offset, message }) => {
            assert!(
                offset <= src.len(),
                "error offset {offset} past the end: {message}"
            );
            assert!(!message.is_empty());
            return;
        }
    };
    for f in expr.fields() {
        assert!(expr.field_offset(&f).is_some(), "no offset for {f}");
    }
    let env = FuzzEnv { data: answers };
    let held = expr.eval(&env);
    // `not` negates the whole condition (module docs, "Null"): `not (e)` is exactly the opposite of `e`.
    // Skipped when the wrapper itself is too long or too deep to parse.
    if let Ok(negated) = conditions::parse(&format!("not ({src})"), &field_type) {
        assert_eq!(
            negated.eval(&env),
            !held,
            "not ({src}) is not the opposite of {src}"
        );
    }
});
