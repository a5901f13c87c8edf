//! Evaluation against the engine's answers. Never fails, never panics.

use std::cmp::Ordering;

use time::{Date, Month};

use super::{CmpOp, Env, Node, Operand, Value, age_in_years};

pub(super) fn eval_node(node: &Node, env: &dyn Env) -> bool {
    match node {
        Node::Or(items) => items.iter().any(|n| eval_node(n, env)),
        Node::And(items) => items.iter().all(|n| eval_node(n, env)),
        Node::Not(inner) => !eval_node(inner, env),
        Node::Cmp { op, left, right } => {
            let (a, b) = (operand_value(left, env), operand_value(right, env));
            match op {
                CmpOp::Eq => equal(&a, &b) == Some(true),
                CmpOp::Ne => equal(&a, &b) == Some(false),
                CmpOp::Lt => order(&a, &b) == Some(Ordering::Less),
                CmpOp::Le => matches!(order(&a, &b), Some(Ordering::Less | Ordering::Equal)),
                CmpOp::Gt => order(&a, &b) == Some(Ordering::Greater),
                CmpOp::Ge => matches!(order(&a, &b), Some(Ordering::Greater | Ordering::Equal)),
            }
        }
        Node::In {
            operand,
            negated,
            list,
        } => {
            let v = operand_value(operand, env);
            let found = match &v {
                Value::Null => return false,
                Value::List(xs) => xs.iter().any(|x| list.iter().any(|l| text_eq(x, l))),
                _ => list.iter().any(|l| scalar_eq(&v, l)),
            };
            found != *negated
        }
        Node::Empty { operand, negated } => {
            (operand_value(operand, env) == Value::Null) != *negated
        }
    }
}

fn operand_value(op: &Operand, env: &dyn Env) -> Value {
    match op {
        Operand::Field(f) => normalize(env.value(f)),
        Operand::Lit(v) => v.clone(),
        Operand::Today => Value::Date(env.today()),
        Operand::Age(f) => env.birth_date(f).map_or(Value::Null, |b| {
            Value::Number(f64::from(age_in_years(b, env.today())))
        }),
        Operand::Count(g) => Value::Number(env.count(g) as f64),
    }
}

/// Empty and blank texts, lists with nothing in them and NaN are Null.
fn normalize(v: Value) -> Value {
    match &v {
        Value::Text(s) if s.trim().is_empty() => Value::Null,
        Value::List(xs) if xs.iter().all(|x| x.trim().is_empty()) => Value::Null,
        Value::Number(n) if n.is_nan() => Value::Null,
        _ => v,
    }
}

/// `Some(equal?)`, or None if either side is Null.
fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::List(xs), Value::List(ys)) => {
            Some(xs.iter().all(|x| ys.contains(x)) && ys.iter().all(|y| xs.contains(y)))
        }
        (Value::List(xs), v) | (v, Value::List(xs)) => Some(xs.iter().any(|x| text_eq(x, v))),
        _ => Some(scalar_eq(a, b)),
    }
}

fn scalar_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Date(x), Value::Date(y)) => x == y,
        (Value::Text(t), v) | (v, Value::Text(t)) => text_eq(t, v),
        _ => false,
    }
}

/// A text against any value: exact against a text, by meaning against a number, date or yes/no.
fn text_eq(t: &str, v: &Value) -> bool {
    match v {
        Value::Text(u) => t == u,
        Value::Number(n) => parse_number(t) == Some(*n),
        Value::Date(d) => parse_date(t) == Some(*d),
        Value::Bool(b) => parse_bool(t) == Some(*b),
        Value::Null | Value::List(_) => false,
    }
}

/// The order of two values, or None if they have none (Null, lists, yes/no, unlike kinds).
fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Text(t), Value::Number(n)) => parse_number(t)?.partial_cmp(n),
        (Value::Number(n), Value::Text(t)) => n.partial_cmp(&parse_number(t)?),
        (Value::Text(t), Value::Date(d)) => Some(parse_date(t)?.cmp(d)),
        (Value::Date(d), Value::Text(t)) => Some(d.cmp(&parse_date(t)?)),
        (Value::Text(x), Value::Text(y)) => match (parse_number(x), parse_number(y)) {
            (Some(p), Some(q)) => p.partial_cmp(&q),
            _ => match (parse_date(x), parse_date(y)) {
                (Some(p), Some(q)) => Some(p.cmp(&q)),
                _ => Some(x.as_str().cmp(y.as_str())),
            },
        },
        _ => None,
    }
}

/// `5`, `-3`, `2.5` or `2,5`, with optional surrounding whitespace.
pub(super) fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = match body.split_once(['.', ',']) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !frac.is_none_or(digits) {
        return None;
    }
    t.replace(',', ".").parse().ok()
}

/// A calendar date written `YYYY-MM-DD`.
pub(super) fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |x: &str, n: usize| x.len() == n && x.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

pub(super) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}
