//! The XML documents of an archive delivery: our own `submission.xml` and the Noark 5 `arkivmelding.xml`.
//!
//! - [`submission_xml`] writes Rådhus' documented format (namespace `urn:radhus:submission:1`, schema
//!   `docs/submission.xsd`, embedded as [`SUBMISSION_XSD`]): the reference, tenant, form, language and
//!   times, then every visible answer with its label and display value in form order, then the files.
//! - [`arkivmelding_xml`] writes an eFormidling arkivmelding. It has one `saksmappe` holding one incoming
//!   `journalpost`, with a `dokumentbeskrivelse` for each delivered file. The output stays inside the
//!   subset that is valid under both published eFormidling schema variants (`docs/arkivmelding/`).
//!
//! Both functions are pure, so the same submission and context always give the same bytes. Delivery is
//! idempotent: it compares manifests, and so it needs byte-identical output. The arkivmelding's
//! `systemID`s are UUIDs derived by SHA-256 from the tenant, the reference and the element's path, and
//! every time is the submission time.
//!
//! Text is written as UTF-8 with an XML declaration, and the writer escapes it. Some characters cannot
//! occur in an XML 1.0 document at all: the control characters other than tab, LF and CR, and U+FFFE and
//! U+FFFF. These are replaced with U+FFFD, so the output is always well-formed. Some inputs would make
//! the output fail its schema: an empty reference, tenant id, form id, answer name or file name; an
//! answer or file name that occurs twice; a form hash that is not a SHA-256 hex digest; a MIME type that
//! cannot be parsed; a time outside the years 1–9999. In those cases both functions refuse with
//! [`XmlError`] and write nothing. `docs/delivery.md` documents both documents element by element.

use std::borrow::Cow;
use std::collections::BTreeSet;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::cases::records::Submission;
use crate::forms::answers::{Answer, Answers};
use crate::forms::{Archive, ScreenedPart, Screening};

/// The XSD of our own format, embedded (`docs/submission.xsd`).
pub const SUBMISSION_XSD: &str = include_str!("../../docs/submission.xsd");

/// The namespace of `submission.xml`.
const SUBMISSION_NS: &str = "urn:radhus:submission:1";

const ARKIVMELDING_NS: &str = "http://www.arkivverket.no/standarder/noark5/arkivmelding";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// Our elements inside the journalpost's `virksomhetsspesifikkeMetadata`.
const RECEIPT_NS: &str = "urn:radhus:arkiv:1";

/// Our name in the arkivmelding: `system`, `opprettetAv`, `arkivertAv`, `tilknyttetAv`, `saksansvarlig`.
const SYSTEM: &str = "Rådhus";
/// The sender's name when no answer gives one.
const UNKNOWN_SENDER: &str = "Ukjent avsender";

/// One answer as shown to a person: the field's label in the submission's language and the display value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub step: String,
    pub label: String,
    pub value: String,
    /// HTML name, e.g. "sosken[0].navn"
    pub name: String,
}

/// What both documents need besides the submission.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// "Eksempel kommune"
    pub tenant_name: &'a str,
    /// In the submission's language.
    pub form_title: &'a str,
    /// Every visible answer, in form order.
    pub rows: &'a [Row],
    /// Files delivered beside the XML (e.g. "submission.pdf", "attachments/1-bilde.jpg"), with their MIME type.
    pub files: &'a [(String, String)],
    /// The form's archive metadata: title pattern, document type, classification, screening.
    pub archive: &'a Archive,
    /// SHA-256 (hex) of delivered files by name, recorded in the journalpost so the archive can check
    /// each file it receives.
    pub checksums: &'a [(String, String)],
    /// The record's language (the tenant's `archive_language`); None: nynorsk for a nynorsk submission,
    /// else bokmål.
    pub record_lang: Option<crate::i18n::Lang>,
    /// Record titles of attachments by file name: the question and the citizen's own file name
    /// ("Sakkyndig uttalelse: uttalelse allergi.pdf"). A file without one is titled by its name.
    pub titles: &'a [(String, String)],
}

#[derive(Debug, thiserror::Error)]
pub enum XmlError {
    #[error("cannot write XML: {0}")]
    Write(String),
}

fn io_error(e: std::io::Error) -> XmlError {
    XmlError::Write(e.to_string())
}

/// Our own documented format: root `<submission xmlns="urn:radhus:submission:1">`, valid against
/// [`SUBMISSION_XSD`].
pub fn submission_xml(sub: &Submission, cx: &Context<'_>) -> Result<Vec<u8>, XmlError> {
    check(sub, cx)?;
    let started = Stamp::new(sub.draft_started, "draft_started")?;
    let submitted = Stamp::new(sub.submitted, "submitted")?;

    let mut d = Doc::new()?;
    d.open("submission", &[("xmlns", SUBMISSION_NS)])?;
    d.leaf("reference", &[], sub.reference.as_str())?;

    d.open("tenant", &[("id", sub.tenant.as_str())])?;
    d.leaf("name", &[], cx.tenant_name)?;
    d.close("tenant")?;

    let version = sub.form_version.to_string();
    d.open(
        "form",
        &[
            ("id", sub.form.as_str()),
            ("version", &version),
            ("sha256", &sub.form_hash),
        ],
    )?;
    d.leaf("title", &[], cx.form_title)?;
    d.close("form")?;

    d.leaf("language", &[], sub.lang.code())?;
    d.leaf("started", &[], &started.date_time)?;
    d.leaf("submitted", &[], &submitted.date_time)?;

    if cx.rows.is_empty() {
        d.empty("answers", &[])?;
    } else {
        d.open("answers", &[])?;
        for row in cx.rows {
            d.open("answer", &[("name", &row.name), ("step", &row.step)])?;
            d.leaf("label", &[], &row.label)?;
            d.leaf("value", &[], &row.value)?;
            for (part, value) in raw_values(&sub.answers, &row.name) {
                match part {
                    Some(part) => d.leaf("raw", &[("part", part)], value)?,
                    None => d.leaf("raw", &[], value)?,
                }
            }
            d.close("answer")?;
        }
        d.close("answers")?;
    }

    if cx.files.is_empty() {
        d.empty("files", &[])?;
    } else {
        d.open("files", &[])?;
        for (name, mime) in cx.files {
            d.empty("file", &[("name", name), ("type", mime)])?;
        }
        d.close("files")?;
    }

    d.close("submission")?;
    Ok(d.finish())
}

/// Noark 5 arkivmelding (eFormidling variant).
///
/// The document holds one `saksmappe` with one incoming `journalpost` ("Inngående dokument"). The sender
/// is the `korrespondansepart` ("Avsender"), named by `sender_name`, and the form title is the
/// `tittel`. There is one `dokumentbeskrivelse` for each file in `cx.files`. The main document
/// (`Hoveddokument`, number 1) is `submission.pdf` if it is listed, otherwise `submission.xml` if it is
/// listed, otherwise the first file. The other files are `Vedlegg`, numbered from 2 in their given
/// order. `antallFiler` is the number of files referenced. When the list of files is empty, the
/// journalpost has no document at all, and both schemas allow that.
///
/// The output is deterministic. Each `systemID` is a UUID derived from SHA-256 of the tenant, the
/// reference and the element's path, and every date is `sub.submitted` in Norwegian time.
pub fn arkivmelding_xml(sub: &Submission, cx: &Context<'_>) -> Result<Vec<u8>, XmlError> {
    check(sub, cx)?;
    let at = Stamp::new(sub.submitted, "submitted")?;
    // The record is in Norwegian: the tenant's archive language, or nynorsk for a nynorsk submission and
    // bokmål for every other (an English-speaking citizen's too); the citizen's own language is
    // recorded beside it.
    let record_lang = cx.record_lang.unwrap_or(match sub.lang {
        crate::i18n::Lang::Nn => crate::i18n::Lang::Nn,
        _ => crate::i18n::Lang::Nb,
    });
    let words = Words::for_lang(record_lang.code());
    let form_title = if cx.form_title.trim().is_empty() {
        sub.form.as_str()
    } else {
        cx.form_title
    };
    // The record's title from the form's pattern (in nynorsk for a nynorsk submission, else bokmål), and
    // the public title: the pattern without the answers it names.
    let (title, public_title) = match &cx.archive.title {
        Some(t) => {
            let pattern = t.get(record_lang);
            (
                fill_title(pattern, |name| {
                    cx.rows
                        .iter()
                        .find(|r| r.name == name)
                        .map(|r| r.value.as_str())
                }),
                fill_title(pattern, |_| None),
            )
        }
        None => (form_title.to_owned(), form_title.to_owned()),
    };
    let title = title.as_str();
    let screening = cx.archive.screening.as_ref();
    let screened = |what: &str| screening.is_some_and(|s| s.metadata.iter().any(|m| m == what));
    let id = |path: &str| system_id(sub.tenant.as_str(), sub.reference.as_str(), path);
    let mappe_id = id("mappe");
    let documents = documents(cx.files);
    let attachments = documents.len().saturating_sub(1).to_string();

    let mut d = Doc::new()?;
    d.open(
        "arkivmelding",
        &[("xmlns", ARKIVMELDING_NS), ("xmlns:xsi", XSI_NS)],
    )?;
    d.leaf("system", &[], SYSTEM)?;
    d.leaf("meldingId", &[], &id("meldingId"))?;
    d.leaf("tidspunkt", &[], &at.date_time)?;
    d.leaf("antallFiler", &[], &documents.len().to_string())?;

    d.open("mappe", &[("xsi:type", "saksmappe")])?;
    d.leaf("systemID", &[], &mappe_id)?;
    d.leaf("tittel", &[], title)?;
    if screened("Tittel mappe") {
        d.leaf("offentligTittel", &[], &public_title)?;
    }
    d.leaf("opprettetDato", &[], &at.date_time)?;
    d.leaf("opprettetAv", &[], SYSTEM)?;
    if let Some(s) = screening {
        write_screening(&mut d, s)?;
    }
    if let Some(c) = &cx.archive.classification {
        d.open("klassifikasjon", &[])?;
        d.leaf("referanseKlassifikasjonssystem", &[], &c.system)?;
        d.leaf("klasseID", &[], &c.id)?;
        d.leaf("tittel", &[], &c.title)?;
        d.close("klassifikasjon")?;
    }

    // The journalpost. Its elements come in the order of the schema's extension chain:
    // registrering, then basisregistrering, then journalpost.
    d.open("basisregistrering", &[("xsi:type", "journalpost")])?;
    d.leaf("systemID", &[], &id("mappe/journalpost"))?;
    d.leaf("opprettetDato", &[], &at.date_time)?;
    d.leaf("opprettetAv", &[], SYSTEM)?;
    d.leaf("arkivertDato", &[], &at.date_time)?;
    d.leaf("arkivertAv", &[], SYSTEM)?;
    d.leaf("referanseForelderMappe", &[], &mappe_id)?;
    if let Some(s) = screening {
        write_screening(&mut d, s)?;
    }
    for doc in &documents {
        let doc_title = match (doc.main, doc.name) {
            (true, _) => title,
            (false, "submission.xml") => words.data_title,
            (false, name) => cx.titles.iter().find(|(n, _)| n == name).map_or_else(
                || name.rsplit('/').next().unwrap_or(name),
                |(_, t)| t.as_str(),
            ),
        };
        let doc_type = match (doc.main, doc.name, &cx.archive.document_type) {
            (true, _, Some(t)) => t.as_str(),
            (_, "submission.pdf" | "submission.xml", _) => "Skjema",
            _ => "Vedlegg",
        };
        d.open("dokumentbeskrivelse", &[])?;
        d.leaf(
            "systemID",
            &[],
            &id(&format!(
                "mappe/journalpost/dokumentbeskrivelse/{}",
                doc.name
            )),
        )?;
        d.leaf("dokumenttype", &[], doc_type)?;
        d.leaf("dokumentstatus", &[], "Dokumentet er ferdigstilt")?;
        d.leaf("tittel", &[], doc_title)?;
        d.leaf("opprettetDato", &[], &at.date_time)?;
        d.leaf("opprettetAv", &[], SYSTEM)?;
        d.leaf(
            "tilknyttetRegistreringSom",
            &[],
            if doc.main { "Hoveddokument" } else { "Vedlegg" },
        )?;
        d.leaf("dokumentnummer", &[], &doc.number.to_string())?;
        d.leaf("tilknyttetDato", &[], &at.date_time)?;
        d.leaf("tilknyttetAv", &[], SYSTEM)?;
        if let Some(s) = screening {
            write_screening(&mut d, s)?;
        }
        d.open("dokumentobjekt", &[])?;
        d.leaf("versjonsnummer", &[], "1")?;
        d.leaf("variantformat", &[], "Produksjonsformat")?;
        d.leaf("opprettetDato", &[], &at.date_time)?;
        d.leaf("opprettetAv", &[], SYSTEM)?;
        d.leaf("referanseDokumentfil", &[], doc.name)?;
        d.close("dokumentobjekt")?;
        d.close("dokumentbeskrivelse")?;
    }
    d.leaf("tittel", &[], title)?;
    if screened("Tittel journalpost") {
        d.leaf("offentligTittel", &[], &public_title)?;
    }
    d.leaf(
        "beskrivelse",
        &[],
        &format!("{} {}", words.description, sub.reference),
    )?;
    // What the archive schema has no element for: the citizen's language and each file's checksum.
    d.open("virksomhetsspesifikkeMetadata", &[])?;
    d.open("radhus:mottak", &[("xmlns:radhus", RECEIPT_NS)])?;
    d.leaf("radhus:innsendtSpraak", &[], sub.lang.code())?;
    for (name, sha) in cx.checksums {
        d.leaf(
            "radhus:sjekksum",
            &[("fil", name), ("algoritme", "SHA-256")],
            sha,
        )?;
    }
    d.close("radhus:mottak")?;
    d.close("virksomhetsspesifikkeMetadata")?;
    // Honest about what happened: the eFormidling schemas allow only statuses of handled records, so
    // the note says that no archivist has looked at it yet.
    d.open("merknad", &[])?;
    d.leaf("merknadstekst", &[], words.unhandled)?;
    d.leaf("merknadstype", &[], "Mottak")?;
    d.leaf("merknadsdato", &[], &at.date_time)?;
    d.leaf("merknadRegistrertAv", &[], SYSTEM)?;
    d.close("merknad")?;
    d.leaf("journalposttype", &[], "Inngående dokument")?;
    d.leaf("journalstatus", &[], "Journalført")?;
    d.leaf("journaldato", &[], &at.date)?;
    d.leaf("dokumentetsDato", &[], &at.date)?;
    d.leaf("mottattDato", &[], &at.date_time)?;
    d.leaf("antallVedlegg", &[], &attachments)?;
    d.open("korrespondansepart", &[])?;
    d.leaf("korrespondanseparttype", &[], "Avsender")?;
    d.leaf("korrespondansepartNavn", &[], &sender_name(cx.rows))?;
    d.close("korrespondansepart")?;
    d.close("basisregistrering")?;

    // The rest of the saksmappe (without saksaar and sakssekvensnummer, which the docs variant lacks).
    d.leaf("saksdato", &[], &at.date)?;
    d.leaf("administrativEnhet", &[], cx.tenant_name)?;
    d.leaf("saksansvarlig", &[], SYSTEM)?;
    d.leaf("saksstatus", &[], "Under behandling")?;
    d.close("mappe")?;

    d.close("arkivmelding")?;
    Ok(d.finish())
}

/// A record title from its pattern: each `{field}` is replaced with `value(field)`. A field without an
/// answer is left out together with the separator before it (" – ", " - ", ", ", ": "), so
/// "Søknad – {navn}" without a name is "Søknad". Spaces inside an answer are collapsed to one.
pub fn fill_title<'v>(pattern: &str, value: impl Fn(&str) -> Option<&'v str>) -> String {
    const SEPARATORS: [&str; 4] = [" – ", " - ", ", ", ": "];
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = &rest[start + 1..start + len];
        let answer = value(name)
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|v| !v.is_empty());
        match answer {
            Some(v) => out.push_str(&v),
            None => {
                if let Some(sep) = SEPARATORS.iter().find(|s| out.ends_with(*s)) {
                    out.truncate(out.len() - sep.len());
                }
            }
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out.trim().to_owned()
}

/// Noark 5 `skjerming`: access code, legal basis, what metadata is screened, and how much of the document.
fn write_screening(d: &mut Doc, s: &Screening) -> Result<(), XmlError> {
    d.open("skjerming", &[])?;
    d.leaf("tilgangsrestriksjon", &[], &s.code)?;
    d.leaf("skjermingshjemmel", &[], &s.basis)?;
    for m in &s.metadata {
        d.leaf("skjermingMetadata", &[], m)?;
    }
    d.leaf(
        "skjermingDokument",
        &[],
        match s.document {
            ScreenedPart::Whole => "Skjerming av hele dokumentet",
            ScreenedPart::Part => "Skjerming av deler av dokumentet",
        },
    )?;
    d.close("skjerming")
}

/// The sender's name for the arkivmelding, taken from the answers in `rows` whose name contains "navn".
///
/// Answers inside repeating groups are skipped, because `sosken[0].navn` is not the sender, and so are
/// empty answers. Only the last dotted segment of a name counts, compared without case. The first
/// answer of the best tier wins:
/// 1. the segment is exactly `navn`;
/// 2. the segment names the sender, such as `soker_navn`, `avsender_navn` or `innsender_navn`;
/// 3. any other segment that contains `navn`, such as `org_navn`.
///
/// If the winner is a first name (`…fornavn`) and the matching `…etternavn` has a value, or the other
/// way round, the two are joined as "first last". With no candidate the result is "Ukjent avsender".
fn sender_name(rows: &[Row]) -> String {
    const SENDER_WORDS: [&str; 5] = ["soker", "søker", "avsender", "innsender", "sender"];
    let value_of = |name: &str| {
        rows.iter()
            .find(|r| r.name.to_lowercase() == name)
            .map(|r| r.value.trim())
            .filter(|v| !v.is_empty())
    };
    let mut best: Option<(u8, &Row, String)> = None;
    for row in rows {
        if row.name.contains('[') || row.value.trim().is_empty() {
            continue;
        }
        let lower = row.name.to_lowercase();
        let last = lower.rsplit('.').next().unwrap_or(lower.as_str());
        if !last.contains("navn") {
            continue;
        }
        let tier = if last == "navn" {
            1
        } else if SENDER_WORDS.iter().any(|w| last.starts_with(w)) {
            2
        } else {
            3
        };
        if best.as_ref().is_none_or(|(t, _, _)| tier < *t) {
            best = Some((tier, row, lower.clone()));
        }
    }
    let Some((_, row, lower)) = best else {
        return UNKNOWN_SENDER.to_owned();
    };
    let value = row.value.trim();
    let joined = if let Some(stem) = lower.strip_suffix("fornavn") {
        value_of(&format!("{stem}etternavn")).map(|last| format!("{value} {last}"))
    } else if let Some(stem) = lower.strip_suffix("etternavn") {
        value_of(&format!("{stem}fornavn")).map(|first| format!("{first} {value}"))
    } else {
        None
    };
    joined.unwrap_or_else(|| value.to_owned())
}

/// Fixed texts of the arkivmelding in the submission's language.
struct Words {
    /// The title of `submission.xml` when it is not the main document.
    data_title: &'static str,
    /// The journalpost's `beskrivelse`, followed by the reference.
    description: &'static str,
    /// The journalpost's `merknad`: received automatically, not yet handled by an archivist.
    unhandled: &'static str,
}

impl Words {
    fn for_lang(code: &str) -> Self {
        match code {
            "nn" => Words {
                data_title: "Skjemadata (maskinlesbare)",
                description: "Innsendt skjema, referanse",
                unhandled: "Motteke og registrert automatisk av Rådhus. Ikkje kontrollert eller journalført av arkivet enno.",
            },
            _ => Words {
                data_title: "Skjemadata (maskinlesbar)",
                description: "Innsendt skjema, referanse",
                unhandled: "Mottatt og registrert automatisk av Rådhus. Ikke kontrollert eller journalført av arkivet ennå.",
            },
        }
    }
}

/// A file as the arkivmelding references it.
struct DocRef<'a> {
    name: &'a str,
    main: bool,
    /// `dokumentnummer`: 1 for the main document, then 2, 3, … in the given order.
    number: usize,
}

/// The files in dokumentnummer order: the main document first, then the others as given.
fn documents(files: &[(String, String)]) -> Vec<DocRef<'_>> {
    let main = files
        .iter()
        .position(|(n, _)| n == "submission.pdf")
        .or_else(|| files.iter().position(|(n, _)| n == "submission.xml"))
        .unwrap_or(0);
    let mut out = Vec::with_capacity(files.len());
    if let Some((name, _)) = files.get(main) {
        out.push(DocRef {
            name,
            main: true,
            number: 1,
        });
    }
    for (i, (name, _)) in files.iter().enumerate() {
        if i != main {
            out.push(DocRef {
                name,
                main: false,
                number: out.len() + 1,
            });
        }
    }
    out
}

/// The stored values behind an answer: the values under `name` itself, then the values of its parts
/// (`name.part`, e.g. `adresse.gate`) for composite fields.
fn raw_values<'s>(answers: &'s Answers, name: &str) -> Vec<(Option<&'s str>, &'s str)> {
    let mut out: Vec<(Option<&str>, &str)> = answers
        .get(name)
        .map(Answer::values)
        .unwrap_or_default()
        .into_iter()
        .map(|v| (None, v))
        .collect();
    let prefix = format!("{name}.");
    for (key, answer) in answers.values.range(prefix.clone()..) {
        let Some(part) = key.strip_prefix(prefix.as_str()) else {
            break;
        };
        if part.is_empty() {
            continue;
        }
        out.extend(answer.values().into_iter().map(|v| (Some(part), v)));
    }
    out
}

/// A `systemID`: the first 128 bits of SHA-256 over the length-prefixed tenant, reference and element
/// path, shaped as an RFC 9562 version 8 (custom) UUID.
fn system_id(tenant: &str, reference: &str, path: &str) -> String {
    let mut h = Sha256::new();
    for part in ["radhus:arkivmelding:1", tenant, reference, path] {
        h.update(u64::try_from(part.len()).unwrap_or(u64::MAX).to_be_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    let mut s = String::with_capacity(36);
    for (i, byte) in digest.iter().take(16).enumerate() {
        let byte = match i {
            6 => (byte & 0x0f) | 0x80, // version 8
            8 => (byte & 0x3f) | 0x80, // variant 0b10
            _ => *byte,
        };
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push_str(&format!("{byte:02x}"));
    }
    s
}

/// A unix time as xs:dateTime in Norwegian time with its offset (`2026-12-04T00:15:00+01:00`) and
/// xs:date (the Norwegian date: a submission just after midnight is dated the day it was sent).
struct Stamp {
    date_time: String,
    date: String,
}

impl Stamp {
    fn new(unix: i64, what: &str) -> Result<Self, XmlError> {
        let bad = || XmlError::Write(format!("{what} ({unix}) is not a time in the years 1–9999"));
        let t = OffsetDateTime::from_unix_timestamp(unix).map_err(|_| bad())?;
        if !(1..=9999).contains(&t.year()) {
            return Err(bad());
        }
        let t = crate::forms::engine::norway_offset(t);
        if !(1..=9999).contains(&t.year()) {
            return Err(bad());
        }
        let fmt = |e: time::error::Format| XmlError::Write(e.to_string());
        Ok(Stamp {
            date_time: t
                .format(format_description!(
                    "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory]:[offset_minute]"
                ))
                .map_err(fmt)?,
            date: t
                .format(format_description!("[year]-[month]-[day]"))
                .map_err(fmt)?,
        })
    }
}

/// Refuses input that would make either document fail its schema.
fn check(sub: &Submission, cx: &Context<'_>) -> Result<(), XmlError> {
    let refuse = |what: String| Err(XmlError::Write(what));
    for (what, value) in [
        ("reference", sub.reference.as_str()),
        ("tenant id", sub.tenant.as_str()),
        ("form id", sub.form.as_str()),
    ] {
        if value.is_empty() {
            return refuse(format!("the {what} is empty"));
        }
    }
    if sub.form_hash.len() != 64
        || !sub
            .form_hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return refuse(format!(
            "the form hash {:?} is not a lower-case SHA-256 hex digest",
            sub.form_hash
        ));
    }
    let mut names = BTreeSet::new();
    for row in cx.rows {
        if row.name.is_empty() {
            return refuse("an answer has an empty name".to_owned());
        }
        if !names.insert(row.name.as_str()) {
            return refuse(format!("the answer {:?} occurs twice", row.name));
        }
    }
    let mut files = BTreeSet::new();
    for (name, mime) in cx.files {
        if name.is_empty() {
            return refuse("a file has an empty name".to_owned());
        }
        if !files.insert(name.as_str()) {
            return refuse(format!("the file {name:?} is listed twice"));
        }
        if !is_mime_type(mime) {
            return refuse(format!("the file {name:?} has a bad MIME type {mime:?}"));
        }
    }
    if i32::try_from(cx.files.len()).is_err() {
        return refuse("too many files".to_owned());
    }
    Ok(())
}

/// `type/subtype` with RFC 6838 name characters, optionally followed by `;parameters` on one line.
/// This is the same rule as the `MimeType` pattern in `docs/submission.xsd`.
fn is_mime_type(s: &str) -> bool {
    let (essence, params) = s.split_once(';').unwrap_or((s, ""));
    let name = |part: &str| {
        let mut chars = part.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
            && chars.all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    essence
        .split_once('/')
        .is_some_and(|(t, sub)| name(t) && name(sub))
        && !params.contains(['\n', '\r'])
}

/// Whether XML 1.0 allows the character in a document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Replaces the characters XML 1.0 forbids with U+FFFD.
fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            s.chars()
                .map(|c| if xml_char(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    }
}

/// A small writer over quick-xml: indented by two spaces, with text and attribute values cleaned and
/// escaped.
struct Doc {
    w: Writer<Vec<u8>>,
}

impl Doc {
    fn new() -> Result<Self, XmlError> {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .map_err(io_error)?;
        Ok(Doc { w })
    }

    fn start<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attrs {
            start.push_attribute((*key, clean(value).as_ref()));
        }
        start
    }

    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), XmlError> {
        self.w
            .write_event(Event::Start(Self::start(name, attrs)))
            .map_err(io_error)
    }

    fn close(&mut self, name: &str) -> Result<(), XmlError> {
        self.w
            .write_event(Event::End(BytesEnd::new(name)))
            .map_err(io_error)
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), XmlError> {
        self.w
            .write_event(Event::Empty(Self::start(name, attrs)))
            .map_err(io_error)
    }

    /// `<name attrs>text</name>`.
    fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Result<(), XmlError> {
        self.open(name, attrs)?;
        self.w
            .write_event(Event::Text(BytesText::new(&clean(text))))
            .map_err(io_error)?;
        self.close(name)
    }

    fn finish(self) -> Vec<u8> {
        let mut out = self.w.into_inner();
        out.push(b'\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::*;
    use crate::i18n::Lang;

    /// The repository root: `RADHUS_ROOT` if set (a scratch crate that includes this module by path),
    /// otherwise the manifest directory of the crate being tested.
    fn root() -> PathBuf {
        PathBuf::from(
            std::env::var("RADHUS_ROOT").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()),
        )
    }

    fn submission_schema() -> PathBuf {
        root().join("docs/submission.xsd")
    }

    /// The two eFormidling variants; the safe subset must validate against both.
    fn arkivmelding_schemas() -> [PathBuf; 2] {
        [
            root().join("docs/arkivmelding/arkivmelding.xsd"),
            root().join("docs/arkivmelding/docs-variant/arkivmelding.xsd"),
        ]
    }

    fn xmllint(args: &[&str], file: &Path) -> std::process::Output {
        match Command::new("xmllint").args(args).arg(file).output() {
            Ok(out) => out,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                panic!("xmllint is missing: apt-get install libxml2-utils")
            }
            Err(e) => panic!("cannot run xmllint: {e}"),
        }
    }

    /// Writes `bytes` to `dir/name` and validates the file against `schema` with xmllint.
    fn validate(dir: &Path, name: &str, bytes: &[u8], schema: &Path) -> Result<(), String> {
        assert!(schema.is_file(), "missing schema {}", schema.display());
        let file = dir.join(name);
        std::fs::write(&file, bytes).unwrap();
        let schema = schema.to_str().unwrap();
        let out = xmllint(&["--noout", "--nonet", "--schema", schema], &file);
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    fn assert_valid(dir: &Path, name: &str, bytes: &[u8], schema: &Path) {
        if let Err(e) = validate(dir, name, bytes, schema) {
            panic!(
                "{name} does not validate against {}:\n{e}\n{}",
                schema.display(),
                String::from_utf8_lossy(bytes)
            );
        }
    }

    /// Evaluates an XPath string expression over the document with xmllint (a different parser
    /// from ours, so this checks the escaping both ways).
    fn xpath(dir: &Path, bytes: &[u8], expr: &str) -> String {
        let file = dir.join("xpath.xml");
        std::fs::write(&file, bytes).unwrap();
        let out = xmllint(&["--xpath", expr], &file);
        assert!(
            out.status.success(),
            "xpath {expr}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // xmllint ends a string result with one newline of its own.
        let text = String::from_utf8(out.stdout).unwrap();
        text.strip_suffix('\n').unwrap_or(&text).to_owned()
    }

    fn row(step: &str, name: &str, label: &str, value: &str) -> Row {
        Row {
            step: step.into(),
            label: label.into(),
            value: value.into(),
            name: name.into(),
        }
    }

    const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    // 2026-03-14T09:15:00Z and 2026-03-14T08:58:20Z.
    const SUBMITTED: i64 = 1_773_479_700;
    const STARTED: i64 = 1_773_478_700;

    fn sample() -> (Submission, Vec<Row>, Vec<(String, String)>) {
        let mut answers = Answers::default();
        let mut set = |k: &str, v: Answer| answers.set(k.to_owned(), v);
        set("barn_navn", Answer::One("Øyvind Ærlig".into()));
        set("sosken[0].sosken_navn", Answer::One("Åse Ærlig".into()));
        set("sosken[1].sosken_navn", Answer::One("Bjørn Ærlig".into()));
        set(
            "dyr",
            Answer::Many(vec!["hund".into(), "".into(), "katt".into()]),
        );
        set("adresse.gate", Answer::One("Storgata 1".into()));
        set("adresse.postnummer", Answer::One("3801".into()));
        set(
            "merknad",
            Answer::One("<b>Hei</b> & \"god\" dag\r\nlinje 2\tmed tab".into()),
        );
        set("soker_navn", Answer::One("Kari Ærlig-Øvrebø".into()));
        answers.rows.insert("sosken".into(), 2);
        let sub = Submission {
            tenant: crate::ids::TenantId::parse("eksempel").unwrap(),
            reference: crate::ids::Reference::parse("2026-00042").unwrap(),
            form: crate::ids::FormId::parse("barnehage-soknad").unwrap(),
            form_version: 3,
            form_hash: HASH.into(),
            lang: Lang::Nb,
            answers,
            draft_started: STARTED,
            submitted: SUBMITTED,
            files: vec![],
            account: None,
        };
        let rows = vec![
            row("Om barnet", "barn_navn", "Barnets navn", "Øyvind Ærlig"),
            row(
                "Søsken",
                "sosken[0].sosken_navn",
                "Søsken 1 – Navn",
                "Åse Ærlig",
            ),
            row(
                "Søsken",
                "sosken[1].sosken_navn",
                "Søsken 2 – Navn",
                "Bjørn Ærlig",
            ),
            row("Husstand", "dyr", "Dyr i huset", "Hund, katt"),
            row("Husstand", "adresse", "Adresse", "Storgata 1, 3801 Bø"),
            row(
                "Husstand <&> \"x\"",
                "merknad",
                "Merknad",
                "<b>Hei</b> & \"god\" dag\r\nlinje 2\tmed tab",
            ),
            row("Om deg", "soker_navn", "Ditt navn", "Kari Ærlig-Øvrebø"),
        ];
        let files = vec![
            ("submission.xml".to_owned(), "application/xml".to_owned()),
            ("submission.pdf".to_owned(), "application/pdf".to_owned()),
            (
                "attachments/1-bilde.jpg".to_owned(),
                "image/jpeg".to_owned(),
            ),
        ];
        (sub, rows, files)
    }

    fn cx<'a>(rows: &'a [Row], files: &'a [(String, String)]) -> Context<'a> {
        Context {
            tenant_name: "Eksempel kommune",
            form_title: "Søknad om barnehageplass",
            rows,
            files,
            archive: &NO_ARCHIVE,
            titles: &[],
            record_lang: None,
            checksums: &[],
        }
    }

    static NO_ARCHIVE: Archive = Archive {
        title: None,
        document_type: None,
        classification: None,
        screening: None,
    };

    /// The form's archive metadata: the title from its pattern (the answer named, in nynorsk for a nynorsk
    /// submission), the public title without it, the document type, the class and the screening, read back
    /// element by element from output valid under both schemas.
    #[test]
    fn archive_metadata_fills_title_class_and_screening() {
        let dir = tempfile::tempdir().unwrap();
        let (mut sub, rows, files) = sample();
        let archive = Archive {
            title: Some(crate::forms::ArchiveTexts {
                nb: "Søknad om barnehageplass – {barn_navn}".into(),
                nn: "Søknad om barnehageplass for {barn_navn}".into(),
            }),
            document_type: Some("Søknad".into()),
            classification: Some(crate::forms::Classification {
                system: "KL".into(),
                id: "A10".into(),
                title: "Barnehager".into(),
            }),
            screening: Some(Screening {
                code: "13".into(),
                basis: "Offl. § 13 jf. fvl. § 13 første ledd nr. 1".into(),
                metadata: vec!["Tittel mappe".into(), "Korrespondansepart".into()],
                document: ScreenedPart::Part,
            }),
        };
        let sums = [("submission.pdf".to_owned(), "ab".repeat(32))];
        let titles = [(
            "attachments/1-bilde.jpg".to_owned(),
            "Bilde av skaden: bilde.jpg".to_owned(),
        )];
        let c = Context {
            archive: &archive,
            checksums: &sums,
            titles: &titles,
            ..cx(&rows, &files)
        };
        let xml = arkivmelding_xml(&sub, &c).unwrap();
        for schema in arkivmelding_schemas() {
            assert_valid(dir.path(), "arkivmelding.xml", &xml, &schema);
        }
        let text = String::from_utf8(xml.clone()).unwrap();
        assert!(text.contains(&format!(
            "<radhus:sjekksum fil=\"submission.pdf\" algoritme=\"SHA-256\">{}</radhus:sjekksum>",
            "ab".repeat(32)
        )));
        assert!(text.contains("<tittel>Bilde av skaden: bilde.jpg</tittel>"));
        let get = |expr: &str| xpath(dir.path(), &xml, &format!("string({expr})"));
        let el = |path: &str| {
            path.split('/')
                .map(|p| format!("*[local-name()='{p}']"))
                .collect::<Vec<_>>()
                .join("/")
        };
        assert_eq!(
            get(&format!("/{}", el("arkivmelding/mappe/tittel"))),
            "Søknad om barnehageplass – Øyvind Ærlig"
        );
        assert_eq!(
            get(&format!("/{}", el("arkivmelding/mappe/offentligTittel"))),
            "Søknad om barnehageplass"
        );
        // Only the folder's title was listed as screened: the journalpost has no public title.
        assert_eq!(
            get(&format!(
                "count(/{})",
                el("arkivmelding/mappe/basisregistrering/offentligTittel")
            )),
            "0"
        );
        assert_eq!(
            get(&format!(
                "/{}",
                el("arkivmelding/mappe/klassifikasjon/klasseID")
            )),
            "A10"
        );
        assert_eq!(
            get(&format!(
                "/{}",
                el("arkivmelding/mappe/klassifikasjon/referanseKlassifikasjonssystem")
            )),
            "KL"
        );
        // On the folder, the journalpost and each of the three documents.
        for (at, copies) in [
            ("arkivmelding/mappe/skjerming", 1),
            ("arkivmelding/mappe/basisregistrering/skjerming", 1),
            (
                "arkivmelding/mappe/basisregistrering/dokumentbeskrivelse/skjerming",
                3,
            ),
        ] {
            assert_eq!(
                get(&format!("/{}/{}", el(at), el("tilgangsrestriksjon"))),
                "13",
                "{at}"
            );
            assert_eq!(
                get(&format!("/{}/{}", el(at), el("skjermingshjemmel"))),
                "Offl. § 13 jf. fvl. § 13 første ledd nr. 1"
            );
            assert_eq!(
                get(&format!("/{}/{}", el(at), el("skjermingDokument"))),
                "Skjerming av deler av dokumentet"
            );
            assert_eq!(
                get(&format!("count(/{}/{})", el(at), el("skjermingMetadata"))),
                (2 * copies).to_string()
            );
            assert_eq!(
                get(&format!("/{}/{}[2]", el(at), el("skjermingMetadata"))),
                "Korrespondansepart"
            );
        }
        // The main document carries the form's document type; the others keep theirs.
        let doc = |n: usize, what: &str| {
            get(&format!(
                "//*[local-name()='dokumentbeskrivelse'][{n}]/*[local-name()='{what}']"
            ))
        };
        assert_eq!(doc(1, "dokumenttype"), "Søknad");
        assert_eq!(doc(1, "tittel"), "Søknad om barnehageplass – Øyvind Ærlig");
        assert_eq!(doc(3, "dokumenttype"), "Vedlegg");

        // A nynorsk submission takes the nynorsk pattern; without the answer, the title stops before it.
        sub.lang = Lang::Nn;
        let xml = arkivmelding_xml(&sub, &c).unwrap();
        let get = |expr: &str| xpath(dir.path(), &xml, &format!("string({expr})"));
        assert_eq!(
            get(&format!("/{}", el("arkivmelding/mappe/tittel"))),
            "Søknad om barnehageplass for Øyvind Ærlig"
        );
        // A tenant whose archive language is nynorsk gets nynorsk records from bokmål and English
        // submissions too (and one whose archive language is bokmål, bokmål from nynorsk).
        for (lang, archive_lang, want) in [
            (
                Lang::Nb,
                Lang::Nn,
                "Søknad om barnehageplass for Øyvind Ærlig",
            ),
            (
                Lang::En,
                Lang::Nn,
                "Søknad om barnehageplass for Øyvind Ærlig",
            ),
            (
                Lang::Nn,
                Lang::Nb,
                "Søknad om barnehageplass – Øyvind Ærlig",
            ),
        ] {
            sub.lang = lang;
            let c = Context {
                record_lang: Some(archive_lang),
                ..c
            };
            let xml = arkivmelding_xml(&sub, &c).unwrap();
            assert_eq!(
                xpath(
                    dir.path(),
                    &xml,
                    &format!("string(/{})", el("arkivmelding/mappe/tittel"))
                ),
                want,
                "{lang:?} into {archive_lang:?}"
            );
            assert_eq!(
                xpath(
                    dir.path(),
                    &xml,
                    "string(//*[local-name()='innsendtSpraak'])"
                ),
                lang.code()
            );
        }
        let no_name: Vec<Row> = rows
            .iter()
            .filter(|r| r.name != "barn_navn")
            .cloned()
            .collect();
        let c = Context {
            archive: &archive,
            ..cx(&no_name, &files)
        };
        sub.lang = Lang::Nb;
        let xml = arkivmelding_xml(&sub, &c).unwrap();
        assert_eq!(
            xpath(
                dir.path(),
                &xml,
                &format!("string(/{})", el("arkivmelding/mappe/tittel"))
            ),
            "Søknad om barnehageplass"
        );
    }

    #[test]
    fn titles_are_filled_and_cut_where_an_answer_is_missing() {
        let v = |name: &str| match name {
            "navn" => Some("  Kari   Nordmann "),
            "tom" => Some(" "),
            _ => None,
        };
        assert_eq!(fill_title("Søknad – {navn}", v), "Søknad – Kari Nordmann");
        assert_eq!(fill_title("Søknad – {tom}", v), "Søknad");
        assert_eq!(
            fill_title("Søknad: {x}, {navn}", v),
            "Søknad, Kari Nordmann"
        );
        assert_eq!(fill_title("{navn}: klage", v), "Kari Nordmann: klage");
        assert_eq!(fill_title("Uten {", v), "Uten {");
        assert_eq!(fill_title("Melding", v), "Melding");
    }

    /// A submission just after midnight Norwegian time is dated that day in both documents, winter and
    /// summer, and both stay valid.
    #[test]
    fn times_are_norwegian_with_their_offset() {
        let dir = tempfile::tempdir().unwrap();
        let (mut sub, rows, files) = sample();
        for (utc, local, date) in [
            // 2026-12-03T23:30:00Z: winter, +01:00
            (1_796_340_600, "2026-12-04T00:30:00+01:00", "2026-12-04"),
            // 2026-07-01T22:30:00Z: summer, +02:00
            (1_782_945_000, "2026-07-02T00:30:00+02:00", "2026-07-02"),
        ] {
            sub.submitted = utc;
            sub.draft_started = utc - 60;
            let xml = submission_xml(&sub, &cx(&rows, &files)).unwrap();
            assert_valid(dir.path(), "submission.xml", &xml, &submission_schema());
            let text = String::from_utf8(xml).unwrap();
            assert!(
                text.contains(&format!("<submitted>{local}</submitted>")),
                "{text}"
            );
            let ark = arkivmelding_xml(&sub, &cx(&rows, &files)).unwrap();
            let text = String::from_utf8(ark).unwrap();
            assert!(
                text.contains(&format!("<journaldato>{date}</journaldato>")),
                "{text}"
            );
            assert!(text.contains(&format!("<mottattDato>{local}</mottattDato>")));
        }
    }

    #[test]
    fn submission_xml_validates_and_keeps_the_text() {
        let dir = tempfile::tempdir().unwrap();
        let (sub, rows, files) = sample();
        let xml = submission_xml(&sub, &cx(&rows, &files)).unwrap();
        assert_valid(dir.path(), "submission.xml", &xml, &submission_schema());

        let text = String::from_utf8(xml.clone()).unwrap();
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<submission xmlns=\"urn:radhus:submission:1\">"));
        assert!(
            text.contains("Kari Ærlig-Øvrebø"),
            "æøå are written as UTF-8, not as references"
        );
        // Norwegian time with its offset.
        assert!(text.contains("<submitted>2026-03-14T10:15:00+01:00</submitted>"));
        assert!(text.contains("<started>2026-03-14T09:58:20+01:00</started>"));
        assert!(text.contains(&format!(
            "<form id=\"barnehage-soknad\" version=\"3\" sha256=\"{HASH}\">"
        )));
        assert!(text.contains("<file name=\"attachments/1-bilde.jpg\" type=\"image/jpeg\"/>"));

        // Another parser reads back exactly what we were given.
        let value = |name: &str| {
            xpath(
                dir.path(),
                &xml,
                &format!(
                    "string(//*[local-name()='answer'][@name='{name}']/*[local-name()='value'])"
                ),
            )
        };
        assert_eq!(
            value("merknad"),
            "<b>Hei</b> & \"god\" dag\r\nlinje 2\tmed tab"
        );
        assert_eq!(value("sosken[1].sosken_navn"), "Bjørn Ærlig");
        assert_eq!(
            xpath(
                dir.path(),
                &xml,
                "string(//*[local-name()='answer'][@name='merknad']/@step)"
            ),
            "Husstand <&> \"x\""
        );
        // Answers in form order; repeating-group rows carry their index in the name.
        assert_eq!(
            xpath(
                dir.path(),
                &xml,
                "string(//*[local-name()='answer'][2]/@name)"
            ),
            "sosken[0].sosken_navn"
        );
        // The checkbox list: display value plus one raw element per stored value (empty ones dropped).
        assert!(text.contains(
            "<answer name=\"dyr\" step=\"Husstand\">\n      <label>Dyr i huset</label>\n      <value>Hund, katt</value>\n      <raw>hund</raw>\n      <raw>katt</raw>\n    </answer>"
        ));
        // A composite field: its parts as raw elements.
        assert!(text.contains("<raw part=\"gate\">Storgata 1</raw>"));
        assert!(text.contains("<raw part=\"postnummer\">3801</raw>"));
    }

    #[test]
    fn the_embedded_schema_is_the_documented_one() {
        let on_disk = std::fs::read_to_string(submission_schema()).unwrap();
        assert_eq!(SUBMISSION_XSD, on_disk);
        assert!(SUBMISSION_XSD.contains("targetNamespace=\"urn:radhus:submission:1\""));
        assert!(SUBMISSION_XSD.contains("elementFormDefault=\"qualified\""));
    }

    #[test]
    fn arkivmelding_validates_against_both_eformidling_variants() {
        let dir = tempfile::tempdir().unwrap();
        let (sub, rows, files) = sample();
        let xml = arkivmelding_xml(&sub, &cx(&rows, &files)).unwrap();
        for schema in arkivmelding_schemas() {
            assert_valid(dir.path(), "arkivmelding.xml", &xml, &schema);
        }
        let text = String::from_utf8(xml.clone()).unwrap();
        assert!(text.contains("<antallFiler>3</antallFiler>"));
        assert!(text.contains("<antallVedlegg>2</antallVedlegg>"));
        assert!(text.contains("<journalposttype>Inngående dokument</journalposttype>"));
        assert!(text.contains("<tittel>Søknad om barnehageplass</tittel>"));
        assert!(text.contains("<journaldato>2026-03-14</journaldato>"));
        assert!(text.contains("<beskrivelse>Innsendt skjema, referanse 2026-00042</beskrivelse>"));
        assert!(text.contains("<administrativEnhet>Eksempel kommune</administrativEnhet>"));
        // The applicant, not the child (barn_navn) nor a sibling (sosken[0].sosken_navn).
        assert!(
            text.contains("<korrespondansepartNavn>Kari Ærlig-Øvrebø</korrespondansepartNavn>")
        );

        // The PDF is the main document; the XML and the picture follow as attachments, in order.
        let doc = |n: usize, what: &str| {
            xpath(
                dir.path(),
                &xml,
                &format!(
                    "string(//*[local-name()='dokumentbeskrivelse'][{n}]/*[local-name()='{what}'])"
                ),
            )
        };
        assert_eq!(doc(1, "tilknyttetRegistreringSom"), "Hoveddokument");
        assert_eq!(doc(1, "dokumentnummer"), "1");
        let file = |n: usize| {
            xpath(
                dir.path(),
                &xml,
                &format!(
                    "string(//*[local-name()='dokumentbeskrivelse'][{n}]//*[local-name()='referanseDokumentfil'])"
                ),
            )
        };
        assert_eq!(file(1), "submission.pdf");
        assert_eq!(file(2), "submission.xml");
        assert_eq!(file(3), "attachments/1-bilde.jpg");
        assert_eq!(doc(2, "tilknyttetRegistreringSom"), "Vedlegg");
        assert_eq!(doc(2, "tittel"), "Skjemadata (maskinlesbar)");
        assert_eq!(doc(3, "dokumentnummer"), "3");
        assert_eq!(doc(3, "tittel"), "1-bilde.jpg");
        assert_eq!(doc(3, "dokumenttype"), "Vedlegg");

        // systemIDs: UUID-shaped, distinct, the journalpost points at its saksmappe.
        let ids: Vec<String> = (1..=5)
            .map(|n| {
                xpath(
                    dir.path(),
                    &xml,
                    &format!("string((//*[local-name()='systemID'])[{n}])"),
                )
            })
            .collect();
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), 5, "{ids:?}");
        for id in &ids {
            assert_eq!(id.len(), 36);
            assert_eq!(id.chars().nth(14), Some('8'), "version 8: {id}");
        }
        assert_eq!(
            xpath(
                dir.path(),
                &xml,
                "string(//*[local-name()='referanseForelderMappe'])"
            ),
            ids[0]
        );
    }

    #[test]
    fn without_the_pdf_submission_xml_is_the_main_document() {
        let dir = tempfile::tempdir().unwrap();
        let (sub, rows, _) = sample();
        let files = vec![
            (
                "attachments/1-bilde.jpg".to_owned(),
                "image/jpeg".to_owned(),
            ),
            ("submission.xml".to_owned(), "application/xml".to_owned()),
        ];
        let xml = arkivmelding_xml(&sub, &cx(&rows, &files)).unwrap();
        for schema in arkivmelding_schemas() {
            assert_valid(dir.path(), "arkivmelding.xml", &xml, &schema);
        }
        let file = |n: usize| {
            xpath(
                dir.path(),
                &xml,
                &format!(
                    "string(//*[local-name()='dokumentbeskrivelse'][{n}]//*[local-name()='referanseDokumentfil'])"
                ),
            )
        };
        assert_eq!(file(1), "submission.xml");
        assert_eq!(file(2), "attachments/1-bilde.jpg");
        assert_eq!(
            xpath(
                dir.path(),
                &xml,
                "string(//*[local-name()='dokumentbeskrivelse'][1]/*[local-name()='tittel'])"
            ),
            "Søknad om barnehageplass"
        );
    }

    #[test]
    fn the_same_submission_gives_the_same_bytes() {
        let (sub, rows, files) = sample();
        let (sub2, rows2, files2) = sample();
        let a = (
            submission_xml(&sub, &cx(&rows, &files)).unwrap(),
            arkivmelding_xml(&sub, &cx(&rows, &files)).unwrap(),
        );
        let b = (
            submission_xml(&sub2, &cx(&rows2, &files2)).unwrap(),
            arkivmelding_xml(&sub2, &cx(&rows2, &files2)).unwrap(),
        );
        assert_eq!(a, b);

        // The ids depend on the tenant and the reference.
        let mut other = sub.clone();
        other.reference = crate::ids::Reference::parse("2026-00043").unwrap();
        let c = arkivmelding_xml(&other, &cx(&rows, &files)).unwrap();
        assert_ne!(a.1, c);
        assert_eq!(
            system_id("eksempel", "2026-00042", "mappe"),
            system_id("eksempel", "2026-00042", "mappe")
        );
        assert_ne!(
            system_id("eksempel", "2026-00042", "mappe"),
            system_id("eksempel2", "026-00042", "mappe")
        );
    }

    #[test]
    fn no_files_and_no_answers_still_validate() {
        let dir = tempfile::tempdir().unwrap();
        let (mut sub, _, _) = sample();
        sub.answers = Answers::default();
        sub.lang = Lang::En;
        let c = Context {
            tenant_name: "Eksempel kommune",
            form_title: "Contact form",
            rows: &[],
            files: &[],
            archive: &NO_ARCHIVE,
            titles: &[],
            record_lang: None,
            checksums: &[],
        };
        let ark = arkivmelding_xml(&sub, &c).unwrap();
        for schema in arkivmelding_schemas() {
            assert_valid(dir.path(), "arkivmelding.xml", &ark, &schema);
        }
        let text = String::from_utf8(ark).unwrap();
        assert!(text.contains("<antallFiler>0</antallFiler>"));
        assert!(text.contains("<antallVedlegg>0</antallVedlegg>"));
        assert!(!text.contains("dokumentbeskrivelse"));
        assert!(text.contains("<korrespondansepartNavn>Ukjent avsender</korrespondansepartNavn>"));
        // An English submission's record is in bokmål, with the citizen's language beside it.
        assert!(text.contains("<beskrivelse>Innsendt skjema, referanse 2026-00042</beskrivelse>"));
        assert!(text.contains("<radhus:innsendtSpraak>en</radhus:innsendtSpraak>"));
        assert!(text.contains("<merknadstekst>Mottatt og registrert automatisk av Rådhus."));

        let own = submission_xml(&sub, &c).unwrap();
        assert_valid(dir.path(), "submission.xml", &own, &submission_schema());
        let text = String::from_utf8(own).unwrap();
        assert!(
            text.contains("<answers/>")
                && text.contains("<files/>")
                && text.contains("<language>en</language>")
        );
    }

    #[test]
    fn characters_xml_cannot_carry_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let (sub, mut rows, files) = sample();
        rows[0].value = "a\u{1}b\u{FFFF}c\u{7}".into();
        rows[0].step = "steg\u{0}".into();
        let c = cx(&rows, &files);
        let own = submission_xml(&sub, &c).unwrap();
        assert_valid(dir.path(), "submission.xml", &own, &submission_schema());
        assert!(
            String::from_utf8(own)
                .unwrap()
                .contains("<value>a\u{FFFD}b\u{FFFD}c\u{FFFD}</value>")
        );
        rows[6].value = "Kari\u{8} Nordmann".into();
        let ark = arkivmelding_xml(&sub, &cx(&rows, &files)).unwrap();
        for schema in arkivmelding_schemas() {
            assert_valid(dir.path(), "arkivmelding.xml", &ark, &schema);
        }
    }

    #[test]
    fn the_validation_is_not_vacuous() {
        // Sanity check of the harness: a short code where the schema wants the full text must fail.
        let dir = tempfile::tempdir().unwrap();
        let (sub, rows, files) = sample();
        let xml = String::from_utf8(arkivmelding_xml(&sub, &cx(&rows, &files)).unwrap()).unwrap();
        let broken = xml.replace("Inngående dokument", "I");
        for schema in arkivmelding_schemas() {
            assert!(validate(dir.path(), "broken.xml", broken.as_bytes(), &schema).is_err());
        }
        let own = String::from_utf8(submission_xml(&sub, &cx(&rows, &files)).unwrap()).unwrap();
        let broken = own.replace("<language>nb</language>", "<language>sv</language>");
        assert!(
            validate(
                dir.path(),
                "broken.xml",
                broken.as_bytes(),
                &submission_schema()
            )
            .is_err()
        );
        let twice = own.replace("name=\"dyr\"", "name=\"barn_navn\"");
        assert!(
            validate(
                dir.path(),
                "twice.xml",
                twice.as_bytes(),
                &submission_schema()
            )
            .is_err()
        );
    }

    #[test]
    fn input_the_schemas_would_reject_is_refused() {
        let (sub, rows, files) = sample();
        let refused = |sub: &Submission, rows: &[Row], files: &[(String, String)]| {
            let c = cx(rows, files);
            submission_xml(sub, &c).is_err() && arkivmelding_xml(sub, &c).is_err()
        };
        assert!(!refused(&sub, &rows, &files));

        let mut bad = sub.clone();
        bad.form_hash = "abc".into();
        assert!(refused(&bad, &rows, &files));
        let mut bad = sub.clone();
        bad.form_hash = HASH.to_uppercase();
        assert!(refused(&bad, &rows, &files));
        let mut bad = sub.clone();
        bad.submitted = 300_000_000_000; // the year 11476
        assert!(refused(&bad, &rows, &files));
        let mut bad = sub.clone();
        bad.draft_started = -62_135_596_801; // 0000-12-31
        assert!(submission_xml(&bad, &cx(&rows, &files)).is_err());

        let mut twice = rows.clone();
        twice.push(rows[0].clone());
        assert!(refused(&sub, &twice, &files));
        let mut nameless = rows.clone();
        nameless[1].name = String::new();
        assert!(refused(&sub, &nameless, &files));

        let mut dup = files.clone();
        dup.push(files[0].clone());
        assert!(refused(&sub, &rows, &dup));
        for mime in [
            "",
            "pdf",
            "application/",
            "/pdf",
            "a/b/c",
            "text/plain; charset=utf-8\n",
        ] {
            let odd = vec![("x.bin".to_owned(), mime.to_owned())];
            assert!(refused(&sub, &rows, &odd), "{mime:?}");
        }
        for mime in [
            "application/pdf",
            "image/svg+xml",
            "text/plain; charset=utf-8",
            "application/vnd.oasis.opendocument.text",
        ] {
            assert!(is_mime_type(mime), "{mime:?}");
        }
        let err = submission_xml(&bad, &cx(&rows, &files))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("cannot write XML: draft_started"), "{err}");
    }

    #[test]
    fn the_sender_is_found_by_name() {
        let r = |name: &str, value: &str| row("s", name, "l", value);
        assert_eq!(sender_name(&[]), "Ukjent avsender");
        assert_eq!(
            sender_name(&[r("epost", "a@b.no"), r("sosken[0].navn", "Ida")]),
            "Ukjent avsender"
        );
        assert_eq!(
            sender_name(&[r("org_navn", "Havnevik IL"), r("kontakt_navn", "Jon Eide")]),
            "Havnevik IL"
        );
        assert_eq!(
            sender_name(&[r("barn_navn", "Jonas"), r("soker_navn", " Marte Berg ")]),
            "Marte Berg"
        );
        assert_eq!(
            sender_name(&[r("org_navn", "Lag"), r("kontakt.navn", "Per")]),
            "Per"
        );
        assert_eq!(sender_name(&[r("navn", ""), r("rep_navn", "Tor")]), "Tor");
        assert_eq!(
            sender_name(&[r("soker.fornavn", "Kari"), r("soker.etternavn", "Nordmann")]),
            "Kari Nordmann"
        );
        assert_eq!(
            sender_name(&[r("Etternavn", "Nordmann"), r("Fornavn", "Kari")]),
            "Kari Nordmann"
        );
        assert_eq!(sender_name(&[r("fornavn", "Kari")]), "Kari");
    }
}
