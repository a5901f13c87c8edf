//! Answers as the citizen gave them, keyed by HTML input name: `navn`, `adresse.gate`, `sosken[0].navn`.
//! Checkboxes hold several values; repeating groups record how many rows exist.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    One(String),
    Many(Vec<String>),
}

impl Answer {
    pub fn as_str(&self) -> &str {
        match self {
            Answer::One(s) => s,
            Answer::Many(v) => v.first().map_or("", String::as_str),
        }
    }

    pub fn values(&self) -> Vec<&str> {
        match self {
            Answer::One(s) if s.is_empty() => vec![],
            Answer::One(s) => vec![s.as_str()],
            Answer::Many(v) => v
                .iter()
                .map(String::as_str)
                .filter(|s| !s.is_empty())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.values().iter().all(|s| s.trim().is_empty())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    pub values: BTreeMap<String, Answer>,
    /// Rows per repeating group.
    pub rows: BTreeMap<String, usize>,
}

/// The HTML name of a field inside a group row.
pub fn row_name(group: &str, row: usize, field: &str) -> String {
    format!("{group}[{row}].{field}")
}

/// The HTML id for a name (also the fragment the error summary links to).
pub fn anchor(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 2);
    s.push_str("f-");
    for c in name.chars() {
        s.push(if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        });
    }
    while s.ends_with('-') {
        s.pop();
    }
    s
}

impl Answers {
    pub fn get(&self, name: &str) -> Option<&Answer> {
        self.values.get(name)
    }

    pub fn text(&self, name: &str) -> &str {
        self.values.get(name).map_or("", Answer::as_str)
    }

    pub fn set(&mut self, name: String, value: Answer) {
        self.values.insert(name, value);
    }

    pub fn row_count(&self, group: &str) -> usize {
        self.rows.get(group).copied().unwrap_or(0)
    }

    /// Removes row `row` of `group`, shifting later rows up.
    pub fn remove_row(&mut self, group: &str, row: usize) {
        let n = self.row_count(group);
        if row >= n {
            return;
        }
        let prefix = format!("{group}[");
        let mut moved = BTreeMap::new();
        let keys: Vec<String> = self
            .values
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect();
        for k in keys {
            let Some(v) = self.values.remove(&k) else {
                continue;
            };
            let rest = &k[prefix.len()..];
            let Some((idx, field)) = rest.split_once("].") else {
                continue;
            };
            let Ok(i) = idx.parse::<usize>() else {
                continue;
            };
            if i == row {
                continue;
            }
            let ni = if i > row { i - 1 } else { i };
            moved.insert(row_name(group, ni, field), v);
        }
        self.values.extend(moved);
        self.rows.insert(group.to_owned(), n - 1);
    }

    /// Keeps only the names in `keep` (hidden answers are dropped on submit).
    pub fn retain(&mut self, keep: &dyn Fn(&str) -> bool) {
        self.values.retain(|k, _| keep(k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_and_row_removal() {
        assert_eq!(anchor("sosken[0].navn"), "f-sosken-0--navn");
        assert_eq!(anchor("adresse.gate"), "f-adresse-gate");
        let mut a = Answers::default();
        for i in 0..3 {
            a.set(row_name("g", i, "n"), Answer::One(format!("v{i}")));
        }
        a.rows.insert("g".into(), 3);
        a.remove_row("g", 1);
        assert_eq!(a.row_count("g"), 2);
        assert_eq!(a.text("g[0].n"), "v0");
        assert_eq!(a.text("g[1].n"), "v2");
        assert!(a.get("g[2].n").is_none());
    }
}
