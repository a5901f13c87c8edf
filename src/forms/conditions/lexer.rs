//! The lexer: source text to tokens, with the byte offset of each.

use super::{CmpOp, CondError};

pub(super) const RESERVED: [&str; 9] = [
    "and", "or", "not", "in", "is", "empty", "true", "false", "today",
];

pub(super) fn is_reserved(w: &str) -> bool {
    RESERVED.contains(&w)
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tk {
    Word(String),
    Num(f64),
    Str(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Op(CmpOp),
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tok {
    pub(super) kind: Tk,
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) struct Lexer<'a> {
    pub(super) src: &'a str,
    pub(super) pos: usize,
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn bump_while(&mut self, f: impl Fn(char) -> bool) {
        while self.peek().is_some_and(&f) {
            self.bump();
        }
    }

    fn text_from(&self, start: usize) -> &'a str {
        self.src.get(start..self.pos).unwrap_or("")
    }

    /// Whether the next non-space character (after the token just lexed) is `(`.
    pub(super) fn next_is_lparen(&self) -> bool {
        self.rest().trim_start().starts_with('(')
    }

    pub(super) fn next(&mut self) -> Result<Tok, CondError> {
        self.bump_while(char::is_whitespace);
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok(Tok {
                kind: Tk::End,
                start,
                end: start,
            });
        };
        let err = |m: &str| Err(CondError::new(start, m));
        let kind = match c {
            '(' | ')' | '[' | ']' | ',' => {
                self.bump();
                match c {
                    '(' => Tk::LParen,
                    ')' => Tk::RParen,
                    '[' => Tk::LBracket,
                    ']' => Tk::RBracket,
                    _ => Tk::Comma,
                }
            }
            '=' | '!' | '<' | '>' => {
                self.bump();
                let eq = self.peek() == Some('=');
                if eq {
                    self.bump();
                }
                match (c, eq) {
                    ('=', true) => Tk::Op(CmpOp::Eq),
                    ('=', false) => return err("unexpected '=': use '==' to compare"),
                    ('!', true) => Tk::Op(CmpOp::Ne),
                    ('!', false) => {
                        return err(
                            "unexpected '!': use 'not' to negate a condition, or '!=' for 'not equal'",
                        );
                    }
                    ('<', true) => Tk::Op(CmpOp::Le),
                    ('<', false) if self.peek() == Some('>') => {
                        return err("unexpected '<>': use '!=' for 'not equal'");
                    }
                    ('<', false) => Tk::Op(CmpOp::Lt),
                    ('>', true) => Tk::Op(CmpOp::Ge),
                    _ => Tk::Op(CmpOp::Gt),
                }
            }
            '&' | '|' => {
                let word = if c == '&' { "and" } else { "or" };
                let op = if self.peek2() == Some(c) {
                    format!("{c}{c}")
                } else {
                    c.to_string()
                };
                return Err(CondError::new(
                    start,
                    format!("unexpected '{op}': use '{word}'"),
                ));
            }
            '"' => self.string(start)?,
            '\'' => {
                return err(
                    "unexpected \"'\": strings are written in double quotes, like \"annet\"",
                );
            }
            '-' if !self.peek2().is_some_and(|d| d.is_ascii_digit()) => {
                return err("unexpected '-': only a number can follow a minus sign, like -3");
            }
            '-' | '0'..='9' => self.number(start)?,
            c if c.is_alphabetic() || c == '_' => self.word(start)?,
            c => {
                return Err(CondError::new(
                    start,
                    format!("unexpected character '{}'", c.escape_debug()),
                ));
            }
        };
        Ok(Tok {
            kind,
            start,
            end: self.pos,
        })
    }

    fn number(&mut self, start: usize) -> Result<Tk, CondError> {
        if self.peek() == Some('-') {
            self.bump();
        }
        self.bump_while(|c| c.is_ascii_digit());
        if self.peek() == Some('.') {
            self.bump();
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                let text = self.text_from(start);
                return Err(CondError::new(
                    start,
                    format!("invalid number '{text}': expected a digit after '.'"),
                ));
            }
            self.bump_while(|c| c.is_ascii_digit());
        }
        if self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            self.bump_while(|c| c.is_alphanumeric() || c == '_' || c == '.');
            let text = self.text_from(start);
            return Err(CondError::new(start, format!("invalid number '{text}'")));
        }
        let text = self.text_from(start);
        text.parse::<f64>()
            .map(Tk::Num)
            .map_err(|_| CondError::new(start, format!("invalid number '{text}'")))
    }

    fn word(&mut self, start: usize) -> Result<Tk, CondError> {
        self.bump_while(|c| c.is_alphanumeric() || c == '_');
        let w = self.text_from(start);
        let valid = w
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if valid {
            return Ok(Tk::Word(w.to_owned()));
        }
        let lower = w.to_lowercase();
        let message = if is_reserved(&lower) || lower == "age" || lower == "count" {
            format!("unknown word '{w}': keywords are lower case, write '{lower}'")
        } else {
            format!("invalid field name '{w}': field ids use only a-z, 0-9 and '_'")
        };
        Err(CondError::new(start, message))
    }

    fn string(&mut self, start: usize) -> Result<Tk, CondError> {
        let unclosed = || {
            CondError::new(
                start,
                "unclosed string: expected a closing '\"' before end of expression",
            )
        };
        self.bump();
        let mut s = String::new();
        loop {
            let at = self.pos;
            match self.bump() {
                None => return Err(unclosed()),
                Some('"') => return Ok(Tk::Str(s)),
                Some('\\') => match self.bump() {
                    Some(c @ ('"' | '\\')) => s.push(c),
                    None => return Err(unclosed()),
                    Some(c) => {
                        return Err(CondError::new(
                            at,
                            format!(
                                "unknown escape '\\{}' in string: only \\\" and \\\\ are allowed",
                                c.escape_debug()
                            ),
                        ));
                    }
                },
                Some(c) => s.push(c),
            }
        }
    }
}
