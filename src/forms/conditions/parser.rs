//! The recursive-descent parser and the load-time type checks.

use super::eval::{parse_bool, parse_date, parse_number};
use super::lexer::{Lexer, Tk, Tok, is_reserved};
use super::{CmpOp, CondError, Expr, FieldType, MAX_DEPTH, MAX_LEN, Node, Operand, Value};

/// What an operand is, for the checks at load time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Date,
    Bool,
    /// A text, choice or fødselsnummer field.
    Text,
    Choices,
    /// A string literal: becomes a number, date or yes/no value next to one of those.
    StrLit,
}

/// An operand with what the checks need to know about it.
#[derive(Debug, Clone)]
struct Side {
    op: Operand,
    kind: Kind,
    desc: String,
    start: usize,
}

struct Parser<'a, 'f> {
    src: &'a str,
    lex: Lexer<'a>,
    cur: Tok,
    /// How the previous token is shown in messages ("after '=='").
    prev: Option<String>,
    depth: usize,
    lookup: &'f dyn Fn(&str) -> Option<FieldType>,
    fields: Vec<(String, usize)>,
}

/// Parses once at load. `field` answers the type of a field id, or None if the id does not exist
/// (→ error "unknown field 'x'"). Type mismatches that can be known at load time are errors (see
/// the module documentation).
pub fn parse(src: &str, field: &dyn Fn(&str) -> Option<FieldType>) -> Result<Expr, CondError> {
    if let Some((offset, _)) = src.char_indices().nth(MAX_LEN) {
        let n = src.chars().count();
        return Err(CondError::new(
            offset,
            format!("expression is too long: {n} characters, at most {MAX_LEN} are allowed"),
        ));
    }
    let mut lex = Lexer { src, pos: 0 };
    let cur = lex.next()?;
    let mut p = Parser {
        src,
        lex,
        cur,
        prev: None,
        depth: 0,
        lookup: field,
        fields: Vec::new(),
    };
    let node = p.parse_or()?;
    match p.cur.kind {
        Tk::End => Ok(Expr {
            node,
            fields: p.fields,
        }),
        Tk::RParen => Err(CondError::new(
            p.cur.start,
            "unexpected ')': there is no '(' to close",
        )),
        Tk::Op(_) => {
            let mut e = p.expected("'and', 'or' or end of expression");
            e.message.push_str(" (comparisons cannot be chained)");
            Err(e)
        }
        _ => Err(p.expected("'and', 'or' or end of expression")),
    }
}

impl Parser<'_, '_> {
    fn describe(&self, tok: &Tok) -> String {
        let text = self.src.get(tok.start..tok.end).unwrap_or("");
        match tok.kind {
            Tk::End => "end of expression".to_owned(),
            Tk::Str(_) if text.chars().count() > 40 => {
                format!("{}…\"", text.chars().take(36).collect::<String>())
            }
            Tk::Str(_) => text.to_owned(),
            _ => format!("'{text}'"),
        }
    }

    fn advance(&mut self) -> Result<(), CondError> {
        self.prev = Some(self.describe(&self.cur));
        self.cur = self.lex.next()?;
        Ok(())
    }

    /// "expected {what} after {previous token} but found {current token}".
    fn expected(&self, what: &str) -> CondError {
        let found = self.describe(&self.cur);
        let message = match &self.prev {
            Some(prev) => format!("expected {what} after {prev} but found {found}"),
            None => format!("expected {what} but found {found}"),
        };
        CondError::new(self.cur.start, message)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(&self.cur.kind, Tk::Word(x) if x == w)
    }

    fn enter(&mut self) -> Result<(), CondError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(CondError::new(
                self.cur.start,
                format!(
                    "expression is nested too deeply: at most {MAX_DEPTH} levels of parentheses and 'not' are allowed"
                ),
            ));
        }
        Ok(())
    }

    fn note_field(&mut self, name: &str, at: usize) {
        if !self.fields.iter().any(|(f, _)| f == name) {
            self.fields.push((name.to_owned(), at));
        }
    }

    fn parse_or(&mut self) -> Result<Node, CondError> {
        let first = self.parse_and()?;
        if !self.is_word("or") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.is_word("or") {
            self.advance()?;
            items.push(self.parse_and()?);
        }
        Ok(Node::Or(items))
    }

    fn parse_and(&mut self) -> Result<Node, CondError> {
        let first = self.parse_not()?;
        if !self.is_word("and") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.is_word("and") {
            self.advance()?;
            items.push(self.parse_not()?);
        }
        Ok(Node::And(items))
    }

    fn parse_not(&mut self) -> Result<Node, CondError> {
        if self.is_word("not") {
            self.enter()?;
            self.advance()?;
            let inner = self.parse_not()?;
            self.depth -= 1;
            return Ok(Node::Not(Box::new(inner)));
        }
        if self.cur.kind == Tk::LParen {
            let open = self.cur.start;
            self.enter()?;
            self.advance()?;
            let inner = self.parse_or()?;
            match self.cur.kind {
                Tk::RParen => {}
                Tk::End => {
                    return Err(CondError::new(
                        self.cur.start,
                        format!(
                            "expected ')' to close the '(' at offset {open} but found end of expression"
                        ),
                    ));
                }
                _ => return Err(self.expected("'and', 'or' or ')'")),
            }
            self.advance()?;
            self.depth -= 1;
            return Ok(inner);
        }
        self.parse_comparison()
    }

    fn parse_comparison(&mut self) -> Result<Node, CondError> {
        let mut left = self.parse_operand("a condition")?;
        let at = self.cur.start;
        match self.cur.kind {
            Tk::Op(op) => {
                self.advance()?;
                let mut right = self.parse_operand("a value")?;
                check_pair(op, at, &mut left, &mut right)?;
                return Ok(Node::Cmp {
                    op,
                    left: left.op,
                    right: right.op,
                });
            }
            Tk::Word(ref w) if w == "in" || w == "not" => {
                let negated = w == "not";
                self.advance()?;
                if negated {
                    if !self.is_word("in") {
                        return Err(self.expected("'in'"));
                    }
                    self.advance()?;
                }
                let list = self.parse_list(&mut left, at)?;
                return Ok(Node::In {
                    operand: left.op,
                    negated,
                    list,
                });
            }
            Tk::Word(ref w) if w == "is" => {
                self.advance()?;
                let negated = self.is_word("not");
                if negated {
                    self.advance()?;
                }
                if !self.is_word("empty") {
                    let (what, after) = if negated {
                        ("'empty'", "'is not'")
                    } else {
                        ("'empty' or 'not empty'", "'is'")
                    };
                    let found = self.describe(&self.cur);
                    return Err(CondError::new(
                        self.cur.start,
                        format!("expected {what} after {after} but found {found}"),
                    ));
                }
                self.advance()?;
                if !matches!(left.op, Operand::Field(_) | Operand::Age(_)) {
                    return Err(CondError::new(
                        at,
                        format!(
                            "'is empty' can only test a field or age(), not {}",
                            left.desc
                        ),
                    ));
                }
                return Ok(Node::Empty {
                    operand: left.op,
                    negated,
                });
            }
            _ => {}
        }
        let mut e = self.expected("a comparison (==, !=, <, <=, >, >=, in, not in, is)");
        if let (Operand::Field(name), Kind::Bool) = (&left.op, left.kind) {
            e.message
                .push_str(&format!("; to test a yes/no field, write '{name} == true'"));
        }
        Err(e)
    }

    fn parse_operand(&mut self, what: &str) -> Result<Side, CondError> {
        let start = self.cur.start;
        let side = |op, kind, desc: String| Side {
            op,
            kind,
            desc,
            start,
        };
        let result = match &self.cur.kind {
            Tk::Num(n) => side(
                Operand::Lit(Value::Number(*n)),
                Kind::Number,
                "a number".to_owned(),
            ),
            Tk::Str(s) => {
                let desc = format!("the text {}", self.describe(&self.cur));
                side(Operand::Lit(Value::Text(s.clone())), Kind::StrLit, desc)
            }
            Tk::Word(w) if w == "true" || w == "false" => side(
                Operand::Lit(Value::Bool(w == "true")),
                Kind::Bool,
                w.clone(),
            ),
            Tk::Word(w) if w == "today" => side(Operand::Today, Kind::Date, "today".to_owned()),
            Tk::Word(w) if !is_reserved(w) => {
                let name = w.clone();
                if self.lex.next_is_lparen() {
                    if name == "age" || name == "count" {
                        return self.parse_call(name, start);
                    }
                    return Err(CondError::new(
                        start,
                        format!("unknown function '{name}': the functions are age() and count()"),
                    ));
                }
                let ft = self.field_type(&name, start)?;
                let kind = match ft {
                    FieldType::Text | FieldType::Choice | FieldType::PersonId => Kind::Text,
                    FieldType::Number => Kind::Number,
                    FieldType::Bool => Kind::Bool,
                    FieldType::Date => Kind::Date,
                    FieldType::Choices => Kind::Choices,
                    FieldType::Group => {
                        return Err(CondError::new(
                            start,
                            format!(
                                "'{name}' is a repeating group and cannot be used as a value; use count({name})"
                            ),
                        ));
                    }
                    FieldType::Other => {
                        return Err(CondError::new(
                            start,
                            format!(
                                "'{name}' cannot be used in a condition: it is {}",
                                ft.noun()
                            ),
                        ));
                    }
                };
                self.note_field(&name, start);
                side(Operand::Field(name), kind, ft.as_operand().to_owned())
            }
            _ => return Err(self.expected(what)),
        };
        self.advance()?;
        Ok(result)
    }

    fn field_type(&self, name: &str, at: usize) -> Result<FieldType, CondError> {
        (self.lookup)(name).ok_or_else(|| {
            let hint = match name {
                "age" => "; to get an age in years, write age(field)",
                "count" => "; to count the rows of a repeating group, write count(group)",
                _ => "",
            };
            CondError::new(at, format!("unknown field '{name}'{hint}"))
        })
    }

    /// `age(field)` or `count(group)`; the current token is the function's name.
    fn parse_call(&mut self, fname: String, start: usize) -> Result<Side, CondError> {
        self.advance()?; // the name
        self.advance()?; // '('
        let arg_at = self.cur.start;
        let name = match &self.cur.kind {
            Tk::Word(w) if !is_reserved(w) => w.clone(),
            _ => {
                let found = self.describe(&self.cur);
                return Err(CondError::new(
                    arg_at,
                    format!("expected a field name inside {fname}() but found {found}"),
                ));
            }
        };
        let ft = self.field_type(&name, arg_at)?;
        let op = if fname == "age" {
            if !matches!(ft, FieldType::Date | FieldType::PersonId) {
                return Err(CondError::new(
                    arg_at,
                    format!(
                        "age() needs a date or fødselsnummer field, but '{name}' is {}",
                        ft.noun()
                    ),
                ));
            }
            Operand::Age(name.clone())
        } else {
            if ft != FieldType::Group {
                return Err(CondError::new(
                    arg_at,
                    format!(
                        "count() needs a repeating group, but '{name}' is {}",
                        ft.noun()
                    ),
                ));
            }
            Operand::Count(name.clone())
        };
        self.note_field(&name, arg_at);
        self.advance()?;
        if self.cur.kind != Tk::RParen {
            return Err(self.expected("')'"));
        }
        self.advance()?;
        Ok(Side {
            op,
            kind: Kind::Number,
            desc: format!("{fname}({name})"),
            start,
        })
    }

    /// The `[...]` after `in`; `at` is where `in` (or `not in`) starts.
    fn parse_list(&mut self, left: &mut Side, at: usize) -> Result<Vec<Value>, CondError> {
        if left.kind == Kind::Bool {
            return Err(CondError::new(
                at,
                format!("'in' cannot be used with {}: use == or !=", left.desc),
            ));
        }
        if self.cur.kind != Tk::LBracket {
            return Err(self.expected("a list like [\"a\", \"b\"]"));
        }
        self.advance()?;
        if self.cur.kind == Tk::RBracket {
            return Err(self.expected("at least one value in the list"));
        }
        let mut items = Vec::new();
        loop {
            let start = self.cur.start;
            let desc = self.describe(&self.cur);
            let (value, kind, desc) = match &self.cur.kind {
                Tk::Num(n) => (Value::Number(*n), Kind::Number, "a number".to_owned()),
                Tk::Str(s) => (
                    Value::Text(s.clone()),
                    Kind::StrLit,
                    format!("the text {desc}"),
                ),
                Tk::Word(w) if w == "true" || w == "false" => {
                    (Value::Bool(w == "true"), Kind::Bool, w.clone())
                }
                _ => return Err(self.expected("a number, a text in double quotes, true or false")),
            };
            let mut item = Side {
                op: Operand::Lit(value),
                kind,
                desc,
                start,
            };
            check_pair(CmpOp::Eq, start, left, &mut item)?;
            if let Operand::Lit(v) = item.op {
                items.push(v);
            }
            self.advance()?;
            match self.cur.kind {
                Tk::Comma => {
                    self.advance()?;
                    if self.cur.kind == Tk::RBracket {
                        break;
                    }
                }
                Tk::RBracket => break,
                _ => return Err(self.expected("',' or ']'")),
            }
        }
        self.advance()?; // ']'
        Ok(items)
    }
}

/// The load-time check of `a op b`; turns string literals into numbers, dates or yes/no values
/// next to those. Errors point at `at` (the operator) or at the offending literal.
fn check_pair(op: CmpOp, at: usize, a: &mut Side, b: &mut Side) -> Result<(), CondError> {
    if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
        for s in [&*a, &*b] {
            let why = match s.kind {
                Kind::Bool => "yes/no values can only be compared with == or !=",
                Kind::Choices => "use ==, !=, 'in' or 'is empty'",
                _ => continue,
            };
            return Err(CondError::new(
                at,
                format!("'{}' cannot be used with {}: {why}", op.text(), s.desc),
            ));
        }
    }
    convert_literal(a, b)?;
    convert_literal(b, a)?;
    let text = |k: Kind| if k == Kind::StrLit { Kind::Text } else { k };
    use Kind::{Choices, Date, Number, Text};
    let ok = match (text(a.kind), text(b.kind)) {
        (x, y) if x == y => x != Choices,
        (Number | Date | Choices, Text) | (Text, Number | Date | Choices) => true,
        (Number, Choices) | (Choices, Number) => true,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(CondError::new(
            at,
            format!("cannot compare {} with {}", a.desc, b.desc),
        ))
    }
}

/// If `lit` is a string literal and `other` a number, date or yes/no value, makes `lit` one too.
fn convert_literal(lit: &mut Side, other: &Side) -> Result<(), CondError> {
    let (Kind::StrLit, Operand::Lit(Value::Text(s))) = (lit.kind, &lit.op) else {
        return Ok(());
    };
    let (value, problem) = match other.kind {
        Kind::Number => (
            parse_number(s).map(Value::Number),
            ", which is not a number",
        ),
        Kind::Date => (
            parse_date(s).map(Value::Date),
            ", which is not a date (write dates as \"YYYY-MM-DD\")",
        ),
        Kind::Bool => (parse_bool(s).map(Value::Bool), ": use true or false"),
        _ => return Ok(()),
    };
    match value {
        Some(v) => {
            lit.op = Operand::Lit(v);
            lit.kind = other.kind;
            Ok(())
        }
        None => Err(CondError::new(
            lit.start,
            format!("cannot compare {} with {}{problem}", other.desc, lit.desc),
        )),
    }
}
