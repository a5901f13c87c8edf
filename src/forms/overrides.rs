//! A municipality's changes to a library form, kept apart from it so they survive an upgrade of the library:
//! `<forms_dir>/<id>.override.toml` names the library version it was written for (`based_on`) and changes
//! texts, choice options, the handling time, the login requirement and the archive metadata, and adds
//! questions. The override is applied to the library form as it is in this binary, and the result is
//! loaded like any form file (so every rule of the format holds for it).
//!
//! A part that no longer fits the library form (a text for a question that was removed, a question whose
//! id the library now uses itself, a step that is gone) is left out and reported as a [`Misfit`]; the rest
//! is applied. `radhus check-forms` fails on misfits; the server starts, logs them and serves the form
//! without those parts. An override written for an older version that still fits is reported for review
//! with the library's changelog since that version.

use std::collections::HashMap;

use serde::Deserialize;

use super::error::{LoadError, line_col};
use super::registry::{Change, FormDef, parse_form};
use crate::ids::FormId;

/// The override file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    form: Option<String>,
    based_on: u32,
    handling_time_days: Option<u32>,
    login: Option<String>,
    login_level: Option<String>,
    listed: Option<bool>,
    #[serde(default)]
    texts: toml::Table,
    #[serde(default)]
    options: toml::Table,
    archive: Option<toml::Table>,
    #[serde(default, rename = "question")]
    questions: Vec<toml::Table>,
}

/// A parsed override, not yet applied.
#[derive(Debug)]
pub struct Override {
    pub file: String,
    pub form: FormId,
    /// The library version it was written for.
    pub based_on: u32,
    text: String,
    raw: RawOverride,
}

/// The form with the override applied, what could not be applied, and what changed in the library since.
#[derive(Debug)]
pub struct Applied {
    pub def: FormDef,
    /// Parts left out because they no longer fit the library form.
    pub misfits: Vec<LoadError>,
    /// The library's changelog entries newer than `based_on` (empty when the override is current).
    pub review: Vec<Change>,
}

/// A part of an override that could not be applied.
pub type Misfit = LoadError;

/// Whether a file name is an override's.
pub fn is_override_file(name: &str) -> bool {
    name.ends_with(".override.toml")
}

impl Override {
    /// Parses an override file; `file` names it in messages and gives the form id when `form` is not set.
    pub fn parse(file: &str, text: &str) -> Result<Override, Vec<LoadError>> {
        let err = |(line, col): (usize, usize), message: String| {
            vec![LoadError {
                file: file.to_owned(),
                line,
                col,
                message,
            }]
        };
        let raw: RawOverride = toml::from_str(text).map_err(|e| {
            let pos = e.span().map_or((1, 1), |s| line_col(text, s.start));
            err(pos, e.message().trim_end().to_owned())
        })?;
        let stem = file
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".override.toml"))
            .unwrap_or_default();
        let id = raw.form.clone().unwrap_or_else(|| stem.to_owned());
        if raw.form.as_deref().is_some_and(|f| f != stem) {
            return Err(err(
                position_of(text, "form"),
                format!("form = \"{id}\" does not match the file name (expected \"{stem}\")"),
            ));
        }
        let form = FormId::parse(&id)
            .map_err(|e| err(position_of(text, "form"), format!("form \"{id}\" {e}")))?;
        Ok(Override {
            file: file.to_owned(),
            form,
            based_on: raw.based_on,
            text: text.to_owned(),
            raw,
        })
    }

    fn misfit(&self, needle: &str, message: String) -> Misfit {
        let (line, col) = position_of(&self.text, needle);
        LoadError {
            file: self.file.clone(),
            line,
            col,
            message,
        }
    }

    /// Applies the override to `base`, the library form of the same id.
    pub fn apply(&self, base: &FormDef) -> Result<Applied, Vec<LoadError>> {
        if self.based_on > base.version {
            return Err(vec![self.misfit(
                "based_on",
                format!(
                    "based_on = {} is newer than the library's {} version {}",
                    self.based_on, base.id, base.version
                ),
            )]);
        }
        let mut table: toml::Table = toml::from_str(base.source.as_str()).map_err(|e| {
            vec![self.misfit("form", format!("the library form cannot be read: {e}"))]
        })?;
        let mut misfits = vec![];
        let mut parts: Vec<Part> = vec![];
        for (k, v) in [
            (
                "handling_time_days",
                self.raw
                    .handling_time_days
                    .map(|d| toml::Value::Integer(i64::from(d))),
            ),
            ("login", self.raw.login.clone().map(toml::Value::String)),
            (
                "login_level",
                self.raw.login_level.clone().map(toml::Value::String),
            ),
            ("listed", self.raw.listed.map(toml::Value::Boolean)),
        ] {
            if let Some(v) = v {
                parts.push(Part::Set(k, v));
            }
        }
        if self.raw.login.as_deref().is_some_and(|l| l != "required")
            && self.raw.login_level.is_none()
        {
            parts.push(Part::Remove("login_level"));
        }
        for (path, v) in &self.raw.texts {
            parts.push(Part::Text(path.clone(), v.clone()));
        }
        for (path, v) in &self.raw.options {
            parts.push(Part::Options(path.clone(), v.clone()));
        }
        if let Some(a) = &self.raw.archive {
            parts.push(Part::Archive(a.clone()));
        }
        for q in &self.raw.questions {
            parts.push(Part::Question(q.clone()));
        }
        // Each part on its own first: one that does not fit the form's structure is left out by name.
        let mut fitting = vec![];
        for p in parts {
            let mut trial = table.clone();
            match p.apply(&mut trial) {
                Ok(()) => fitting.push(p),
                Err((needle, message)) => misfits.push(self.misfit(&needle, message)),
            }
        }
        let name = format!("{} (on {} version {})", self.file, base.id, base.version);
        // Then all together; a part that makes the whole form invalid (a question whose condition names a
        // field the library removed) is found by adding the parts one by one.
        let mut applied: Vec<Part> = vec![];
        let all = {
            let mut t = table.clone();
            fitting
                .iter()
                .try_for_each(|p| p.apply(&mut t))
                .ok()
                .map(|()| t)
        };
        let def = match all
            .as_ref()
            .map(|t| parse_form(&name, &to_text(t), Some(base.id.as_str())))
        {
            Some(Ok(def)) => def,
            _ => {
                for p in fitting {
                    let mut trial = table.clone();
                    if p.apply(&mut trial).is_err() {
                        continue;
                    }
                    match parse_form(&name, &to_text(&trial), Some(base.id.as_str())) {
                        Ok(_) => {
                            table = trial;
                            applied.push(p);
                        }
                        Err(e) => {
                            let why = e.first().map(|e| e.message.clone()).unwrap_or_default();
                            misfits.push(self.misfit(
                                &p.needle(),
                                format!(
                                    "{} does not fit {} version {}: {why}",
                                    p.describe(),
                                    base.id,
                                    base.version
                                ),
                            ));
                        }
                    }
                }
                parse_form(&name, &to_text(&table), Some(base.id.as_str()))?
            }
        };
        let review = base
            .changes
            .iter()
            .filter(|c| c.version > self.based_on)
            .cloned()
            .collect();
        Ok(Applied {
            def,
            misfits,
            review,
        })
    }
}

fn to_text(t: &toml::Table) -> String {
    toml::to_string(t).unwrap_or_default()
}

fn position_of(text: &str, needle: &str) -> (usize, usize) {
    text.find(needle).map_or((1, 1), |off| line_col(text, off))
}

/// One change an override makes.
#[derive(Debug, Clone)]
enum Part {
    Set(&'static str, toml::Value),
    Remove(&'static str),
    Text(String, toml::Value),
    Options(String, toml::Value),
    Archive(toml::Table),
    Question(toml::Table),
}

type Fit = Result<(), (String, String)>;

impl Part {
    fn needle(&self) -> String {
        match self {
            Part::Set(k, _) | Part::Remove(k) => (*k).to_owned(),
            Part::Text(p, _) | Part::Options(p, _) => format!("\"{p}\""),
            Part::Archive(_) => "[archive]".into(),
            Part::Question(q) => q
                .get("id")
                .and_then(|v| v.as_str())
                .map_or("[[question]]".into(), |id| format!("\"{id}\"")),
        }
    }

    fn describe(&self) -> String {
        match self {
            Part::Set(k, _) | Part::Remove(k) => (*k).to_owned(),
            Part::Text(p, _) => format!("texts.\"{p}\""),
            Part::Options(p, _) => format!("options.\"{p}\""),
            Part::Archive(_) => "[archive]".into(),
            Part::Question(q) => format!(
                "question \"{}\"",
                q.get("id").and_then(|v| v.as_str()).unwrap_or("?")
            ),
        }
    }

    fn apply(&self, form: &mut toml::Table) -> Fit {
        let fail = |m: String| Err((self.needle(), m));
        match self {
            Part::Set(k, v) => {
                form.insert((*k).to_owned(), v.clone());
                Ok(())
            }
            Part::Remove(k) => {
                form.remove(*k);
                Ok(())
            }
            Part::Text(path, v) => {
                let Some(new) = v.as_table() else {
                    return fail(format!("texts.\"{path}\" must be a table of nb, nn and en"));
                };
                if new
                    .keys()
                    .any(|k| !matches!(k.as_str(), "nb" | "nn" | "en"))
                {
                    return fail(format!("texts.\"{path}\" takes only nb, nn and en"));
                }
                let segments: Vec<&str> = path.split('.').collect();
                let (target, key): (&mut toml::Table, &str) = match segments.as_slice() {
                    [key @ ("title" | "intro" | "receipt" | "who_can_apply" | "legal_basis")] => {
                        (form, key)
                    }
                    [step, "title"] => match step_table(form, step) {
                        Some(s) => (s, "title"),
                        None => return fail(no_step(step)),
                    },
                    [
                        step,
                        fields @ ..,
                        key @ ("label" | "hint" | "text" | "unit"),
                    ] if !fields.is_empty() => match field_table(form, step, fields) {
                        Ok(f) => (f, key),
                        Err(m) => return fail(m),
                    },
                    _ => {
                        return fail(format!(
                            "texts.\"{path}\": a text is \"title\", \"intro\", \"receipt\", \"who_can_apply\", \"<step>.title\" or \"<step>.<question>.label\" (or .hint, .text, .unit)"
                        ));
                    }
                };
                match target.get_mut(key) {
                    Some(toml::Value::Table(old)) => {
                        for (l, t) in new {
                            old.insert(l.clone(), t.clone());
                        }
                        Ok(())
                    }
                    _ if new.len() == 3 => {
                        target.insert(key.to_owned(), v.clone());
                        Ok(())
                    }
                    _ => fail(format!(
                        "texts.\"{path}\": the library form has no such text, so all of nb, nn and en are needed"
                    )),
                }
            }
            Part::Options(path, v) => {
                let segments: Vec<&str> = path.split('.').collect();
                let [step, fields @ ..] = segments.as_slice() else {
                    return fail(format!("options.\"{path}\" must name <step>.<question>"));
                };
                let Some(new) = v.as_table() else {
                    return fail(format!(
                        "options.\"{path}\" must be a table of options and option_labels"
                    ));
                };
                if new
                    .keys()
                    .any(|k| !matches!(k.as_str(), "options" | "option_labels"))
                {
                    return fail(format!(
                        "options.\"{path}\" takes only options and option_labels"
                    ));
                }
                let field = match field_table(form, step, fields) {
                    Ok(f) => f,
                    Err(m) => return fail(m),
                };
                if !field.contains_key("options") {
                    return fail(format!("options.\"{path}\": that question has no options"));
                }
                for (k, x) in new {
                    field.insert(k.clone(), x.clone());
                }
                Ok(())
            }
            Part::Archive(a) => {
                let archive = form
                    .entry("archive")
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                if let Some(t) = archive.as_table_mut() {
                    for (k, x) in a {
                        t.insert(k.clone(), x.clone());
                    }
                }
                Ok(())
            }
            Part::Question(q) => {
                let mut q = q.clone();
                let step = q.remove("step").and_then(|v| v.as_str().map(str::to_owned));
                let after = q
                    .remove("after")
                    .and_then(|v| v.as_str().map(str::to_owned));
                let Some(step) = step else {
                    return fail("a [[question]] needs step = \"<step id>\"".into());
                };
                let Some(id) = q.get("id").and_then(|v| v.as_str()).map(str::to_owned) else {
                    return fail("a [[question]] needs an id".into());
                };
                if field_ids(form).contains_key(&id) {
                    return fail(format!(
                        "question \"{id}\": the library form has a question with this id now; rename yours"
                    ));
                }
                let Some(s) = step_table(form, &step) else {
                    return fail(no_step(&step));
                };
                let fields = s
                    .entry("field")
                    .or_insert_with(|| toml::Value::Array(vec![]));
                let Some(fields) = fields.as_array_mut() else {
                    return fail(no_step(&step));
                };
                let at = match &after {
                    None => fields.len(),
                    Some(a) => match fields
                        .iter()
                        .position(|f| f.get("id").and_then(|v| v.as_str()) == Some(a.as_str()))
                    {
                        Some(i) => i + 1,
                        None => {
                            return fail(format!(
                                "question \"{id}\": after = \"{a}\", but step \"{step}\" has no such question"
                            ));
                        }
                    },
                };
                fields.insert(at, toml::Value::Table(q));
                Ok(())
            }
        }
    }
}

fn no_step(step: &str) -> String {
    format!("the library form has no step \"{step}\"")
}

fn step_table<'t>(form: &'t mut toml::Table, id: &str) -> Option<&'t mut toml::Table> {
    form.get_mut("step")?
        .as_array_mut()?
        .iter_mut()
        .filter_map(|s| s.as_table_mut())
        .find(|s| s.get("id").and_then(|v| v.as_str()) == Some(id))
}

fn field_table<'t>(
    form: &'t mut toml::Table,
    step: &str,
    path: &[&str],
) -> Result<&'t mut toml::Table, String> {
    let mut here = step_table(form, step).ok_or_else(|| no_step(step))?;
    for (i, id) in path.iter().enumerate() {
        let found = here
            .get_mut("field")
            .and_then(|f| f.as_array_mut())
            .and_then(|fs| {
                fs.iter_mut()
                    .filter_map(|f| f.as_table_mut())
                    .find(|f| f.get("id").and_then(|v| v.as_str()) == Some(*id))
            });
        here = found.ok_or_else(|| {
            format!(
                "the library form has no question \"{}\" on step \"{step}\"",
                path.iter()
                    .take(i + 1)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(".")
            )
        })?;
    }
    Ok(here)
}

/// Every field id in the form, groups included.
fn field_ids(form: &toml::Table) -> HashMap<String, ()> {
    fn walk(fields: Option<&toml::Value>, out: &mut HashMap<String, ()>) {
        for f in fields.and_then(|f| f.as_array()).into_iter().flatten() {
            if let Some(id) = f.get("id").and_then(|v| v.as_str()) {
                out.insert(id.to_owned(), ());
            }
            walk(f.get("field"), out);
        }
    }
    let mut out = HashMap::new();
    for s in form
        .get("step")
        .and_then(|s| s.as_array())
        .into_iter()
        .flatten()
    {
        walk(s.get("field"), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
id = "demo"
version = 2
topic = "kontakt"
login = "none"
title = { nb = "Demo", nn = "Demo", en = "Demo" }
intro = { nb = "Om demo", nn = "Om demo", en = "About the demo" }

[[changes]]
version = 2
date = 2026-12-01
text = { nb = "Nytt spørsmål om tema.", nn = "Nytt spørsmål om tema.", en = "A new question on topic." }

[[changes]]
version = 1
date = 2026-11-01
text = { nb = "Første versjon.", nn = "Fyrste versjon.", en = "First version." }

[[step]]
id = "om"
title = { nb = "Om", nn = "Om", en = "About" }

  [[step.field]]
  id = "navn"
  kind = "text"
  label = { nb = "Navn", nn = "Namn", en = "Name" }

  [[step.field]]
  id = "tema"
  kind = "radio"
  options = ["a", "b"]
  label = { nb = "Tema", nn = "Tema", en = "Topic" }
"#;

    fn base() -> FormDef {
        parse_form("forms/demo.toml", BASE, Some("demo")).unwrap()
    }

    fn apply(text: &str) -> Applied {
        Override::parse("tenant/demo.override.toml", text)
            .unwrap()
            .apply(&base())
            .unwrap()
    }

    #[test]
    fn texts_options_questions_and_handling_time_are_applied() {
        let a = apply(
            r#"
based_on = 2
handling_time_days = 14
[texts]
"title" = { nb = "Vår demo" }
"om.navn.hint" = { nb = "Fullt navn", nn = "Fullt namn", en = "Full name" }
[options]
"om.tema" = { options = ["a", "b", "c"] }
[archive]
classification = { system = "FE", id = "070", title = "Demo" }
[[question]]
step = "om"
after = "navn"
id = "telefon"
kind = "phone"
label = { nb = "Telefon", nn = "Telefon", en = "Phone" }
"#,
        );
        assert!(a.misfits.is_empty(), "{:?}", a.misfits);
        assert!(a.review.is_empty());
        let d = a.def;
        assert_eq!(d.title.nb, "Vår demo");
        assert_eq!(d.title.nn, "Demo");
        assert_eq!(d.handling_time_days, Some(14));
        assert_eq!(
            d.field("navn")
                .and_then(|f| f.hint.as_ref())
                .map(|h| h.en.as_str()),
            Some("Full name")
        );
        let ids: Vec<&str> = d.steps[0].fields.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["navn", "telefon", "tema"]);
        match &d.field("tema").map(|f| &f.kind) {
            Some(crate::forms::definition::Kind::Choice { options, .. }) => {
                assert_eq!(options.len(), 3)
            }
            k => panic!("{k:?}"),
        }
        assert_eq!(
            d.archive.classification.as_ref().map(|c| c.id.as_str()),
            Some("070")
        );
        assert_ne!(
            d.content_hash,
            base().content_hash,
            "the pinned version is the form as served"
        );
    }

    #[test]
    fn parts_that_no_longer_fit_are_left_out_and_named() {
        let a = apply(
            r#"
based_on = 1
handling_time_days = 10
[texts]
"om.adresse.label" = { nb = "Adresse" }
"borte.title" = { nb = "Borte" }
[[question]]
step = "om"
id = "tema"
kind = "text"
label = { nb = "Tema", nn = "Tema", en = "Topic" }
[[question]]
step = "om"
id = "extra"
kind = "text"
show_if = "fjernet == 'x'"
label = { nb = "Ekstra", nn = "Ekstra", en = "Extra" }
"#,
        );
        let m: Vec<String> = a.misfits.iter().map(|m| m.to_string()).collect();
        assert_eq!(m.len(), 4, "{m:#?}");
        assert!(
            m.iter()
                .any(|m| m.contains("no question \"adresse\" on step \"om\"")),
            "{m:#?}"
        );
        assert!(m.iter().any(|m| m.contains("no step \"borte\"")), "{m:#?}");
        assert!(
            m.iter().any(|m| m
                .contains("question \"tema\": the library form has a question with this id now")),
            "{m:#?}"
        );
        assert!(
            m.iter()
                .any(|m| m.contains("question \"extra\" does not fit demo version 2")),
            "{m:#?}"
        );
        // Each message points into the override file.
        assert!(
            m.iter()
                .all(|m| m.starts_with("tenant/demo.override.toml:")),
            "{m:#?}"
        );
        // What fits is applied; the library's changes since version 1 are listed for review.
        assert_eq!(a.def.handling_time_days, Some(10));
        assert_eq!(a.review.iter().map(|c| c.version).collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn bad_override_files_are_refused() {
        let e = Override::parse("t/demo.override.toml", "based_on = 1\ncolour = \"red\"\n")
            .unwrap_err();
        assert!(e[0].to_string().contains("unknown field `colour`"), "{e:?}");
        let e = Override::parse("t/demo.override.toml", "form = \"other\"\nbased_on = 1\n")
            .unwrap_err();
        assert!(
            e[0].to_string().contains("does not match the file name"),
            "{e:?}"
        );
        let o = Override::parse("t/demo.override.toml", "based_on = 3\n").unwrap();
        let e = o.apply(&base()).unwrap_err();
        assert!(
            e[0].to_string()
                .contains("newer than the library's demo version 2"),
            "{e:?}"
        );
    }
}
