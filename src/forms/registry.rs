//! Form definitions as the portal needs them, with file-, line- and column-precise load errors.

pub use super::error::LoadError;
use super::error::line_col;
use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::i18n::{Lang, TextLists, Texts};
use crate::ids::FormId;

/// The portal's topics, in the order the start page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    Barnehage,
    SkoleOgSfo,
    HelseOgOmsorg,
    BoligOgOkonomi,
    ByggOgEiendom,
    VeiOgTrafikk,
    VannOgAvfall,
    KulturOgFritid,
    NaeringOgBevilling,
    PolitikkOgInnsyn,
    Arbeid,
    Kontakt,
}

impl Topic {
    pub const ORDER: [Topic; 12] = [
        Topic::Barnehage,
        Topic::SkoleOgSfo,
        Topic::HelseOgOmsorg,
        Topic::BoligOgOkonomi,
        Topic::ByggOgEiendom,
        Topic::VeiOgTrafikk,
        Topic::VannOgAvfall,
        Topic::KulturOgFritid,
        Topic::NaeringOgBevilling,
        Topic::PolitikkOgInnsyn,
        Topic::Arbeid,
        Topic::Kontakt,
    ];

    /// The id used in files and in HTML anchors.
    pub fn id(self) -> &'static str {
        match self {
            Topic::Barnehage => "barnehage",
            Topic::SkoleOgSfo => "skole-og-sfo",
            Topic::HelseOgOmsorg => "helse-og-omsorg",
            Topic::BoligOgOkonomi => "bolig-og-okonomi",
            Topic::ByggOgEiendom => "bygg-og-eiendom",
            Topic::VeiOgTrafikk => "vei-og-trafikk",
            Topic::VannOgAvfall => "vann-og-avfall",
            Topic::KulturOgFritid => "kultur-og-fritid",
            Topic::NaeringOgBevilling => "naering-og-bevilling",
            Topic::PolitikkOgInnsyn => "politikk-og-innsyn",
            Topic::Arbeid => "arbeid",
            Topic::Kontakt => "kontakt",
        }
    }

    /// The catalogue key of the topic's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Topic::Barnehage => "topic-barnehage",
            Topic::SkoleOgSfo => "topic-skole-og-sfo",
            Topic::HelseOgOmsorg => "topic-helse-og-omsorg",
            Topic::BoligOgOkonomi => "topic-bolig-og-okonomi",
            Topic::ByggOgEiendom => "topic-bygg-og-eiendom",
            Topic::VeiOgTrafikk => "topic-vei-og-trafikk",
            Topic::VannOgAvfall => "topic-vann-og-avfall",
            Topic::KulturOgFritid => "topic-kultur-og-fritid",
            Topic::NaeringOgBevilling => "topic-naering-og-bevilling",
            Topic::PolitikkOgInnsyn => "topic-politikk-og-innsyn",
            Topic::Arbeid => "topic-arbeid",
            Topic::Kontakt => "topic-kontakt",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoginRequirement {
    None,
    Optional,
    Required,
}

/// Ordered: a login at a higher level admits to every lower one.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum LoginLevel {
    Low,
    Substantial,
    High,
}

/// Names of case statuses in three languages, each optional: `received`, `in_progress`, `decided`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StatusNames {
    pub received: Option<Texts>,
    pub in_progress: Option<Texts>,
    pub decided: Option<Texts>,
}

impl StatusNames {
    /// The name of a status (`received`, `in_progress`, `decided`), if one is given.
    pub fn get(&self, status: &str) -> Option<&Texts> {
        match status {
            "received" => self.received.as_ref(),
            "in_progress" => self.in_progress.as_ref(),
            "decided" => self.decided.as_ref(),
            _ => None,
        }
    }
}

/// A form the receipt offers next (a service chain), and which answers go into its new draft:
/// `carry = { "<field in the next form>" = "<field in this form>" }`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub form: String,
    #[serde(default)]
    pub carry: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub url: String,
    pub title: Texts,
}

/// The file as written. Steps, delivery and decisions belong to the form engine; they are kept raw here.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForm {
    id: String,
    version: u32,
    topic: Topic,
    login: LoginRequirement,
    login_level: Option<LoginLevel>,
    #[serde(default = "yes")]
    listed: bool,
    #[serde(default = "yes")]
    receipt_copy: bool,
    handling_time_days: Option<u32>,
    title: Texts,
    intro: Texts,
    who_can_apply: Option<Texts>,
    what_you_need: Option<TextLists>,
    #[serde(default)]
    keywords: TextLists,
    #[serde(default)]
    synonyms: TextLists,
    receipt: Option<Texts>,
    #[serde(default, rename = "link")]
    links: Vec<Link>,
    /// Forms offered on the receipt, with the answers carried into the new draft.
    #[serde(default, rename = "follow_up")]
    follow_ups: Vec<FollowUp>,
    /// The form's own names of case statuses.
    #[serde(default)]
    status_names: StatusNames,
    #[serde(default, rename = "step")]
    steps: Vec<super::definition::RawStep>,
    // Read by the form engine and the delivery workers; accepted here so the file format is one.
    #[serde(default)]
    delivery: Vec<RawDelivery>,
    #[serde(default)]
    #[allow(dead_code)]
    decision: Vec<toml::Value>,
    legal_basis: Option<Texts>,
    last_reviewed: Option<toml::value::Datetime>,
    #[serde(default)]
    changes: Vec<RawChange>,
    archive: Option<Archive>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    version: u32,
    date: toml::value::Datetime,
    radhus: Option<String>,
    text: Texts,
}

/// One entry of a form's changelog: what changed in a version of the form, and in which Rådhus release.
#[derive(Debug, Clone)]
pub struct Change {
    pub version: u32,
    pub date: time::Date,
    /// The Rådhus release that first shipped this version ("0.2.0").
    pub radhus: Option<String>,
    pub text: Texts,
}

/// A text in the archive's languages (the archive record is written in bokmål or nynorsk).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ArchiveTexts {
    pub nb: String,
    pub nn: String,
}

impl ArchiveTexts {
    /// The text in `lang`; English is archived in bokmål.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nn => &self.nn,
            Lang::Nb | Lang::En => &self.nb,
        }
    }
}

/// A class in the municipality's classification scheme (Noark 5 `klassifikasjon`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    /// The scheme: "KL" (the K-codes), "FE", a municipality's own.
    pub system: String,
    /// The class in it: "A10".
    pub id: String,
    pub title: String,
}

/// Whether the whole document or parts of it are screened (Noark 5 `skjermingDokument`).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ScreenedPart {
    Whole,
    Part,
}

/// Screening (skjerming) of the archived record, with its legal basis.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Screening {
    /// The access code (Noark `tilgangsrestriksjon`): "13" for duty of confidentiality, …
    pub code: String,
    /// The legal basis (`skjermingshjemmel`): "Offl. § 13 jf. fvl. § 13 første ledd nr. 1".
    pub basis: String,
    /// The metadata screened (`skjermingMetadata`): "Tittel mappe", "Korrespondansepart", …
    pub metadata: Vec<String>,
    #[serde(default = "whole")]
    pub document: ScreenedPart,
}

fn whole() -> ScreenedPart {
    ScreenedPart::Whole
}

/// What the archive record (`arkivmelding.xml`) takes from the form.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Archive {
    /// The record's title; `{field}` is replaced with that top-level field's answer.
    pub title: Option<ArchiveTexts>,
    /// The main document's `dokumenttype` ("Søknad", "Melding", "Klage").
    pub document_type: Option<String>,
    pub classification: Option<Classification>,
    pub screening: Option<Screening>,
}

impl Archive {
    /// The fields a title names, in order: `{barn_navn}` → "barn_navn".
    pub fn title_fields(text: &str) -> Vec<&str> {
        let mut out = vec![];
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    out.push(&after[..end]);
                    rest = &after[end + 1..];
                }
                None => break,
            }
        }
        out
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDelivery {
    target: String,
}

/// A form file's text: the library's is compiled into the binary and only referred to; a tenant's own
/// file is kept as read.
#[derive(Debug, Clone)]
pub enum FormSource {
    Embedded(&'static str),
    Owned(Arc<str>),
}

impl FormSource {
    pub fn as_str(&self) -> &str {
        match self {
            FormSource::Embedded(s) => s,
            FormSource::Owned(s) => s,
        }
    }
}

/// A loaded form definition.
#[derive(Debug)]
pub struct FormDef {
    pub id: FormId,
    pub version: u32,
    pub topic: Topic,
    pub login: LoginRequirement,
    pub login_level: Option<LoginLevel>,
    /// Shown on the portal and in search; unlisted forms are reachable by URL only.
    pub listed: bool,
    /// Whether the receipt offers a copy by e-mail (off for forms whose very existence is sensitive,
    /// such as whistle-blowing).
    pub receipt_copy: bool,
    /// Forms the receipt offers next, with the answers carried over.
    pub follow_ups: Vec<FollowUp>,
    /// The form's own names of case statuses (before the tenant's and the catalogue's).
    pub status_names: StatusNames,
    pub handling_time_days: Option<u32>,
    pub title: Texts,
    pub intro: Texts,
    pub who_can_apply: Option<Texts>,
    pub what_you_need: Option<TextLists>,
    pub keywords: TextLists,
    pub synonyms: TextLists,
    pub receipt: Option<Texts>,
    pub links: Vec<Link>,
    pub steps: Vec<super::definition::Step>,
    /// Where submissions go (`archive`, …): one outbox row each.
    pub delivery_targets: Vec<String>,
    /// SHA-256 of the file, recorded with every submission so it can be shown as it was filled in.
    pub content_hash: String,
    /// The file the form came from, for messages.
    pub file: String,
    /// The file's text, kept so a draft's version can be pinned in the store when it starts.
    pub source: FormSource,
    /// The law the service rests on, as a citizen reads it.
    pub legal_basis: Option<Texts>,
    /// When the form was last checked against the law and the service.
    pub last_reviewed: Option<time::Date>,
    /// The form's changelog, newest first.
    pub changes: Vec<Change>,
    /// Title, document type, classification and screening for the archive record.
    pub archive: Archive,
    /// Top-level field id → (step, position).
    index: HashMap<String, (usize, usize)>,
}

impl FormDef {
    /// Whether a citizen can start this form where the best login on offer is `offered`: a form that
    /// requires a login needs one at its level (the router's access check refuses the rest).
    pub fn can_start_with(&self, offered: Option<LoginLevel>) -> bool {
        self.login != LoginRequirement::Required
            || offered.is_some_and(|o| o >= self.login_level.unwrap_or(LoginLevel::Low))
    }

    /// A top-level field by id.
    pub fn field(&self, id: &str) -> Option<&super::definition::Field> {
        let (s, f) = self.index.get(id)?;
        self.steps.get(*s)?.fields.get(*f)
    }

    /// The step a top-level field is on.
    pub fn step_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).map(|(s, _)| *s)
    }

    /// Finds the field behind an answer name (`navn`, `adresse.gate`, `g[0].navn`) and its step.
    pub fn field_for_name(&self, name: &str) -> Option<(usize, &super::definition::Field)> {
        let top = name.split(['[', '.']).next().unwrap_or(name);
        let step = self.step_of(top)?;
        let f = self.field(top)?;
        if let (super::definition::Kind::Group { fields, .. }, Some((_, rest))) =
            (&f.kind, name.split_once("]."))
        {
            return fields.iter().find(|s| s.id == rest).map(|s| (step, s));
        }
        Some((step, f))
    }
}

fn position_of(text: &str, needle: &str) -> (usize, usize) {
    text.find(needle).map_or((1, 1), |off| line_col(text, off))
}

/// Parses one form file. `file` names it in messages; `expected_id` (from the file name) must match `id`.
/// Every problem found is returned, each as `file:line:col: message`.
pub fn parse_form(
    file: &str,
    text: &str,
    expected_id: Option<&str>,
) -> Result<FormDef, Vec<LoadError>> {
    let one = |(line, col): (usize, usize), message: String| {
        vec![LoadError {
            file: file.to_owned(),
            line,
            col,
            message,
        }]
    };
    let mut raw: RawForm = toml::from_str(text).map_err(|e| {
        let pos = e.span().map_or((1, 1), |s| line_col(text, s.start));
        one(pos, e.message().trim_end().to_owned())
    })?;
    let id = FormId::parse(&raw.id)
        .map_err(|e| one(position_of(text, "id"), format!("id \"{}\" {e}", raw.id)))?;
    if let Some(expected) = expected_id
        && expected != raw.id
    {
        return Err(one(
            position_of(text, "id"),
            format!(
                "id \"{}\" does not match the file name (expected \"{expected}\")",
                raw.id
            ),
        ));
    }
    match (raw.login, raw.login_level) {
        (LoginRequirement::Required, None) => {
            return Err(one(
                position_of(text, "login"),
                "login = \"required\" needs login_level = \"low\", \"substantial\" or \"high\""
                    .into(),
            ));
        }
        (LoginRequirement::None | LoginRequirement::Optional, Some(_)) => {
            return Err(one(
                position_of(text, "login_level"),
                "login_level is only used with login = \"required\"".into(),
            ));
        }
        _ => {}
    }
    for lang in Lang::ALL {
        for (key, t) in [("title", &raw.title), ("intro", &raw.intro)] {
            if t.get(lang).trim().is_empty() {
                return Err(one(
                    position_of(text, &format!("[{key}]")),
                    format!("{key}.{} must not be empty", lang.code()),
                ));
            }
        }
    }
    let mut loc = super::definition::Locator {
        file,
        text,
        errors: vec![],
    };
    let steps = super::definition::build_steps(std::mem::take(&mut raw.steps), &mut loc);
    if !loc.errors.is_empty() {
        return Err(loc.errors);
    }
    let mut index = HashMap::new();
    for (si, st) in steps.iter().enumerate() {
        for (fi, f) in st.fields.iter().enumerate() {
            index.insert(f.id.clone(), (si, fi));
        }
    }
    let meta = metadata(&raw, &index, &steps).map_err(|m| one(position_of(text, m.0), m.1))?;
    // What a follow-up carries must be answers of this form.
    for fu in &raw.follow_ups {
        if FormId::parse(&fu.form).is_err() {
            return Err(one(
                position_of(text, &fu.form),
                format!("follow_up form \"{}\" is not a form id", fu.form),
            ));
        }
        for from in fu.carry.values() {
            if !index.contains_key(from) {
                return Err(one(
                    position_of(text, from),
                    format!(
                        "follow_up \"{}\": carry names \"{from}\", which is no field of this form",
                        fu.form
                    ),
                ));
            }
        }
    }
    use sha2::Digest;
    let content_hash = sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut delivery_targets: Vec<String> = raw.delivery.into_iter().map(|d| d.target).collect();
    if delivery_targets.is_empty() {
        delivery_targets.push("archive".into());
    }
    Ok(FormDef {
        delivery_targets,
        id,
        version: raw.version,
        topic: raw.topic,
        login: raw.login,
        login_level: raw.login_level,
        listed: raw.listed,
        receipt_copy: raw.receipt_copy,
        follow_ups: raw.follow_ups,
        status_names: raw.status_names,
        handling_time_days: raw.handling_time_days,
        title: raw.title,
        intro: raw.intro,
        who_can_apply: raw.who_can_apply,
        what_you_need: raw.what_you_need,
        keywords: raw.keywords,
        synonyms: raw.synonyms,
        receipt: raw.receipt,
        links: raw.links,
        steps,
        content_hash,
        file: file.to_owned(),
        source: FormSource::Owned(Arc::from(text)),
        legal_basis: raw.legal_basis,
        last_reviewed: meta.last_reviewed,
        changes: meta.changes,
        archive: raw.archive.unwrap_or_default(),
        index,
    })
}

struct Meta {
    last_reviewed: Option<time::Date>,
    changes: Vec<Change>,
}

fn toml_date(d: &toml::value::Datetime) -> Option<time::Date> {
    match (d.date, d.time, d.offset) {
        (Some(day), None, None) => time::Month::try_from(day.month)
            .ok()
            .and_then(|m| time::Date::from_calendar_date(i32::from(day.year), m, day.day).ok()),
        _ => None,
    }
}

/// Checks the form's review date, changelog and archive metadata. An error names the key to point at.
fn metadata(
    raw: &RawForm,
    index: &HashMap<String, (usize, usize)>,
    steps: &[super::definition::Step],
) -> Result<Meta, (&'static str, String)> {
    let last_reviewed = match &raw.last_reviewed {
        None => None,
        Some(d) => Some(toml_date(d).ok_or((
            "last_reviewed",
            format!("last_reviewed = {d} must be a date such as 2026-12-04"),
        ))?),
    };
    let mut changes = vec![];
    let mut prev: Option<u32> = None;
    for c in &raw.changes {
        let date = toml_date(&c.date).ok_or((
            "[[changes]]",
            format!(
                "changes: date = {} must be a date such as 2026-12-04",
                c.date
            ),
        ))?;
        if c.version > raw.version {
            return Err((
                "[[changes]]",
                format!(
                    "changes: version {} is newer than the form's version {}",
                    c.version, raw.version
                ),
            ));
        }
        if prev.is_some_and(|p| c.version >= p) {
            return Err((
                "[[changes]]",
                format!(
                    "changes: version {} must come after a higher version (newest first)",
                    c.version
                ),
            ));
        }
        for lang in Lang::ALL {
            if c.text.get(lang).trim().is_empty() {
                return Err((
                    "[[changes]]",
                    format!(
                        "changes: version {} has no text in {}",
                        c.version,
                        lang.code()
                    ),
                ));
            }
        }
        prev = Some(c.version);
        changes.push(Change {
            version: c.version,
            date,
            radhus: c.radhus.clone(),
            text: c.text.clone(),
        });
    }
    // A changelog that does not reach the form's version yet is allowed (a municipality raising the
    // version of its own form); the library's own are checked to be complete by a test.
    if let Some(a) = &raw.archive {
        if let Some(t) = &a.title {
            for text in [&t.nb, &t.nn] {
                if text.trim().is_empty() {
                    return Err(("[archive]", "archive.title must not be empty".into()));
                }
                for name in Archive::title_fields(text) {
                    let field = index
                        .get(name)
                        .and_then(|(s, f)| steps.get(*s)?.fields.get(*f));
                    match field.map(|f| &f.kind) {
                        Some(k)
                            if k.is_input()
                                && !matches!(
                                    k,
                                    super::definition::Kind::Group { .. }
                                        | super::definition::Kind::Attachment { .. }
                                ) => {}
                        _ => {
                            return Err((
                                "[archive]",
                                format!(
                                    "archive.title names {{{name}}}, which is not a question of this form outside a group"
                                ),
                            ));
                        }
                    }
                }
            }
        }
        if let Some(sc) = &a.screening
            && (sc.code.trim().is_empty() || sc.basis.trim().is_empty() || sc.metadata.is_empty())
        {
            return Err((
                "[archive]",
                "archive.screening needs code, basis and at least one metadata entry".into(),
            ));
        }
        if let Some(c) = &a.classification
            && [&c.system, &c.id, &c.title]
                .iter()
                .any(|v| v.trim().is_empty())
        {
            return Err((
                "[archive]",
                "archive.classification needs system, id and title".into(),
            ));
        }
    }
    Ok(Meta {
        last_reviewed,
        changes,
    })
}

/// All known forms.
#[derive(Debug, Default)]
pub struct Registry {
    forms: Vec<Arc<FormDef>>,
    by_id: HashMap<FormId, usize>,
}

impl Registry {
    /// Loads the forms compiled into the binary. Every error is returned, not just the first.
    pub fn load_embedded() -> Result<Registry, Vec<LoadError>> {
        let mut reg = Self::from_files(
            super::embedded::FORMS
                .iter()
                .map(|(n, t)| (format!("forms/{n}"), *t)),
        )?;
        // The texts are in the binary already: refer to them instead of keeping copies.
        for (f, (_, text)) in reg.forms.iter_mut().zip(super::embedded::FORMS.iter()) {
            if let Some(def) = Arc::get_mut(f) {
                def.source = FormSource::Embedded(text);
            }
        }
        Ok(reg)
    }

    /// Loads forms from `(file name, text)` pairs.
    pub fn from_files<'a>(
        files: impl Iterator<Item = (String, &'a str)>,
    ) -> Result<Registry, Vec<LoadError>> {
        let files: Vec<(String, &str)> = files.collect();
        // One thread: parsing the library on both cores made the cold start about 10 ms shorter but kept
        // about 4 MiB more (each thread's malloc arena); memory is the scarcer of the two here.
        let parsed: Vec<Result<FormDef, Vec<LoadError>>> = files
            .iter()
            .map(|(name, text)| {
                let stem = name
                    .rsplit('/')
                    .next()
                    .and_then(|n| n.strip_suffix(".toml"));
                parse_form(name, text, stem)
            })
            .collect();
        let mut reg = Registry::default();
        let mut errors = vec![];
        for ((name, _), result) in files.iter().zip(parsed) {
            let name = name.clone();
            match result {
                Ok(def) => {
                    if reg.by_id.contains_key(&def.id) {
                        errors.push(LoadError {
                            file: name,
                            line: 1,
                            col: 1,
                            message: format!("a form with id \"{}\" is already loaded", def.id),
                        });
                        continue;
                    }
                    reg.by_id.insert(def.id.clone(), reg.forms.len());
                    reg.forms.push(Arc::new(def));
                }
                Err(e) => errors.extend(e),
            }
        }
        if errors.is_empty() {
            Ok(reg)
        } else {
            Err(errors)
        }
    }

    /// Adds a form; an id already loaded is an error.
    pub fn add(&mut self, def: FormDef) -> Result<(), LoadError> {
        if self.by_id.contains_key(&def.id) {
            return Err(LoadError {
                file: def.file.clone(),
                line: 1,
                col: 1,
                message: format!("a form with id \"{}\" is already loaded", def.id),
            });
        }
        self.by_id.insert(def.id.clone(), self.forms.len());
        self.forms.push(Arc::new(def));
        Ok(())
    }

    /// Adds or replaces forms (a tenant's own folder overrides the library by id).
    pub fn overlay(&self, other: Registry) -> Registry {
        let mut forms: Vec<Arc<FormDef>> = self
            .forms
            .iter()
            .filter(|f| !other.contains(&f.id))
            .cloned()
            .collect();
        forms.extend(other.forms);
        let by_id = forms
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.clone(), i))
            .collect();
        Registry { forms, by_id }
    }

    /// The forms with a change first shipped in Rådhus `release` ("0.1.0"), each with that change.
    pub fn changed_in(&self, release: &str) -> Vec<(&Arc<FormDef>, &Change)> {
        self.forms
            .iter()
            .filter_map(|f| {
                f.changes
                    .iter()
                    .find(|c| c.radhus.as_deref() == Some(release))
                    .map(|c| (f, c))
            })
            .collect()
    }

    pub fn get(&self, id: &FormId) -> Option<&Arc<FormDef>> {
        self.by_id.get(id).and_then(|i| self.forms.get(*i))
    }

    pub fn contains(&self, id: &FormId) -> bool {
        self.by_id.contains_key(id)
    }

    pub fn all(&self) -> &[Arc<FormDef>] {
        &self.forms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_form_loads() {
        let reg = Registry::load_embedded().unwrap_or_else(|errs| {
            panic!(
                "{}",
                errs.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        assert!(reg.all().len() >= 5, "{}", reg.all().len());
    }

    /// Every library form names its legal basis, when it was last reviewed, its changelog up to its
    /// version, and what the archive record needs; health, care, social and whistle-blowing forms are
    /// screened with a legal basis.
    #[test]
    fn every_library_form_has_its_metadata_and_sensitive_ones_are_screened() {
        const SCREENED: [&str; 6] = [
            "varsling",
            "barnehage-redusert-betaling",
            "sfo-redusert-betaling",
            "ettergivelse-skatt",
            "kommunal-bolig",
            "startlan",
        ];
        let reg = Registry::load_embedded().unwrap();
        let mut problems = vec![];
        for f in reg.all() {
            let mut lacks = vec![];
            if f.legal_basis.is_none() {
                lacks.push("legal_basis");
            }
            if f.last_reviewed.is_none() {
                lacks.push("last_reviewed");
            }
            if f.changes.first().map(|c| c.version) != Some(f.version) {
                lacks.push("a changelog entry for its version");
            }
            if f.changes.iter().any(|c| c.radhus.is_none()) {
                lacks.push("the Rådhus release of each change");
            }
            if f.archive.title.is_none() {
                lacks.push("archive.title");
            }
            if f.archive.document_type.is_none() {
                lacks.push("archive.document_type");
            }
            if f.archive.classification.is_none() {
                lacks.push("archive.classification");
            }
            let must_screen = f.topic == Topic::HelseOgOmsorg || SCREENED.contains(&f.id.as_str());
            if must_screen && f.archive.screening.is_none() {
                lacks.push("archive.screening");
            }
            if !lacks.is_empty() {
                problems.push(format!("{}: lacks {}", f.id, lacks.join(", ")));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn changelogs_and_archive_titles_are_checked_at_load() {
        let base = "id = \"x\"\nversion = 2\ntopic = \"kontakt\"\nlogin = \"none\"\ntitle = { nb = \"X\", nn = \"X\", en = \"X\" }\nintro = { nb = \"X\", nn = \"X\", en = \"X\" }\n";
        let step = "[[step]]\nid = \"s\"\ntitle = { nb = \"S\", nn = \"S\", en = \"S\" }\n[[step.field]]\nid = \"navn\"\nkind = \"text\"\nlabel = { nb = \"N\", nn = \"N\", en = \"N\" }\n";
        let text = |c: &str| format!("{base}{c}\n{step}");
        let change = |v: u32| {
            format!(
                "[[changes]]\nversion = {v}\ndate = 2026-12-01\nradhus = \"0.1.0\"\ntext = {{ nb = \"E\", nn = \"E\", en = \"C\" }}\n"
            )
        };
        let err = |c: &str| {
            parse_form("forms/x.toml", &text(c), Some("x"))
                .unwrap_err()
                .remove(0)
                .message
        };
        assert!(
            parse_form(
                "forms/x.toml",
                &text(&format!("{}{}", change(2), change(1))),
                Some("x")
            )
            .is_ok()
        );
        assert!(parse_form("forms/x.toml", &text(&change(1)), Some("x")).is_ok());
        assert!(err(&change(3)).contains("newer than the form's version 2"));
        assert!(err(&format!("{}{}", change(1), change(2))).contains("newest first"));
        let archive = |t: &str| {
            format!(
                "{}[archive]\ntitle = {{ nb = \"{t}\", nn = \"{t}\" }}\n",
                change(2)
            )
        };
        assert!(
            parse_form(
                "forms/x.toml",
                &text(&archive("Melding – {navn}")),
                Some("x")
            )
            .is_ok()
        );
        assert!(err(&archive("Melding – {nvan}")).contains("archive.title names {nvan}"));
        assert!(
            err("last_reviewed = \"i fjor\"\n").contains("invalid type")
                || err("last_reviewed = \"i fjor\"\n").contains("date")
        );
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let text = "id = \"x\"\nversion = 1\ntopic = \"nowhere\"\n";
        let e = parse_form("forms/x.toml", text, Some("x"))
            .unwrap_err()
            .remove(0);
        assert_eq!(e.file, "forms/x.toml");
        assert_eq!((e.line, e.col), (3, 9));
        assert!(
            e.message.contains("unknown variant `nowhere`"),
            "{}",
            e.message
        );
    }
}
