//! The one walk over a form's visible answers, in the form's order: step by step, each visible question
//! with its label, its answer as the citizen reads it, and for repeating groups a row per entry. The
//! check-answers page, the PDF and the archive XML all render from this, so they cannot disagree about
//! what was asked and what was answered.

use super::answers::{Answers, row_name};
use super::definition::{Field, Kind};
use super::engine::Engine;
use crate::i18n::Lang;

/// A visible step and its visible questions.
#[derive(Debug, Clone, PartialEq)]
pub struct StepSummary {
    /// The step's index in the definition.
    pub step: usize,
    /// Its position among the visible steps (0-based; the URL's `steg/{n}` is this plus one).
    pub position: usize,
    pub title: String,
    pub entries: Vec<Entry>,
}

/// One visible question.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The field's id (its anchor on the step).
    pub id: String,
    pub label: String,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A single answer as shown (empty when not answered).
    Text { name: String, text: String },
    /// Uploaded files, by the names the citizen gave them.
    Files { name: String, files: Vec<FileShown> },
    /// A repeating group: the labels of its questions, and per row the visible cells.
    Rows {
        columns: Vec<String>,
        rows: Vec<Vec<Cell>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileShown {
    pub name: String,
    pub size: u64,
}

/// One answer in a group's row: `None` where the question is hidden in that row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub name: String,
    pub label: String,
    pub value: Option<Value>,
}

impl Value {
    /// The answer as plain text: files by their names, joined by `sep`; a group has no text of its own.
    pub fn plain(&self, sep: &str) -> String {
        match self {
            Value::Text { text, .. } => text.clone(),
            Value::Files { files, .. } => files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(sep),
            Value::Rows { .. } => String::new(),
        }
    }

    /// The input name the answer was given under (a group has none of its own).
    pub fn name(&self) -> &str {
        match self {
            Value::Text { name, .. } | Value::Files { name, .. } => name,
            Value::Rows { .. } => "",
        }
    }

    /// Whether the citizen gave an answer.
    pub fn answered(&self) -> bool {
        match self {
            Value::Text { text, .. } => !text.is_empty(),
            Value::Files { files, .. } => !files.is_empty(),
            Value::Rows { rows, .. } => !rows.is_empty(),
        }
    }
}

/// Looks up an uploaded file by id: its name and size, if it is known.
pub type FileLookup<'a> = &'a dyn Fn(&str) -> Option<FileShown>;

/// Walks the visible steps and questions of `answers`.
pub fn walk(
    engine: &Engine<'_>,
    answers: &Answers,
    lang: Lang,
    yes_no: (&str, &str),
    file: FileLookup<'_>,
) -> Vec<StepSummary> {
    let def = engine.def;
    let value = |f: &Field, name: &str| -> Value {
        match f.kind {
            Kind::Attachment { .. } => Value::Files {
                name: name.to_owned(),
                files: answers
                    .get(name)
                    .map(|a| a.values())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|id| file(id))
                    .collect(),
            },
            _ => Value::Text {
                name: name.to_owned(),
                text: engine.display(f, name, answers, lang, yes_no),
            },
        }
    };
    let mut out = vec![];
    for (position, si) in engine.visible_steps(answers).into_iter().enumerate() {
        let Some(step) = def.steps.get(si) else {
            continue;
        };
        let mut entries = vec![];
        for f in step
            .fields
            .iter()
            .filter(|f| f.kind.is_input() && engine.field_visible(f, answers, None))
        {
            let v = match &f.kind {
                Kind::Group { fields, .. } => {
                    let cols: Vec<&Field> = fields.iter().filter(|s| s.kind.is_input()).collect();
                    let rows = (0..answers.row_count(&f.id))
                        .map(|i| {
                            cols.iter()
                                .map(|s| {
                                    let name = row_name(&f.id, i, &s.id);
                                    let shown = engine.field_visible(s, answers, Some((f, i)));
                                    Cell {
                                        label: label(s, lang),
                                        value: shown.then(|| value(s, &name)),
                                        name,
                                    }
                                })
                                .collect()
                        })
                        .collect();
                    Value::Rows {
                        columns: cols.iter().map(|s| label(s, lang)).collect(),
                        rows,
                    }
                }
                _ => value(f, &f.id),
            };
            entries.push(Entry {
                id: f.id.clone(),
                label: label(f, lang),
                value: v,
            });
        }
        out.push(StepSummary {
            step: si,
            position,
            title: step.title.get(lang).to_owned(),
            entries,
        });
    }
    out
}

/// A question's label in `lang` (its id when it has none).
pub fn label(f: &Field, lang: Lang) -> String {
    f.label
        .as_ref()
        .map_or_else(|| f.id.clone(), |l| l.get(lang).to_owned())
}
