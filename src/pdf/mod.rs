//! PDFs: the submission as sent (for the archive, the receipt download and the e-mail copy) and a blank
//! form for filling in on paper. Laid out by [`render`] with printpdf and the embedded DejaVu Sans.

mod doc;
#[cfg(feature = "pdf")]
pub mod fallback;
#[cfg(feature = "pdf")]
mod icc;
mod logo;
#[cfg(feature = "pdf")]
mod render;
#[cfg(not(feature = "pdf"))]
#[path = "without.rs"]
mod render;

use std::sync::OnceLock;

/// Where Debian's `fonts-noto-core` and `fonts-noto-cjk` install their fonts: the default
/// `server.font_dirs`, the folders the PDFs take fallback fonts from.
pub const DEFAULT_FONT_DIRS: [&str; 2] = [
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/noto",
];

pub use doc::{Block, PdfDoc, PdfError};
pub use logo::{LogoError, VectorLogo};
pub use render::{Fonts, render};

use crate::cases::records::Submission;
use crate::forms::FormDef;
use crate::forms::definition::{ChoiceDisplay, Field, Kind};
use crate::forms::engine::{Engine, Lists, today_in_norway};
use crate::forms::summary::{self, Value, label};
use crate::i18n::{I18n, Lang};

/// What a PDF's head and foot say about the municipality: its name, its logo and how to reach it.
#[derive(Debug, Clone)]
pub struct Letterhead {
    pub name: String,
    /// None when the theme's logo uses what PDFs cannot draw (logged at start).
    pub logo: Option<std::sync::Arc<VectorLogo>>,
    pub contact_email: String,
    /// Where paper forms are sent (`postal_address`), if the tenant says.
    pub postal_address: Option<String>,
}

/// The fonts, parsed once.
pub fn fonts() -> Result<&'static Fonts, String> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| Fonts::load().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb => "nb",
        Lang::Nn => "nn",
        Lang::En => "en",
    }
}

/// The submission as the citizen sent it (rendered anew; callers keep it: see
/// `cases::kept_pdf`): every visible answer with its label in the submission's language, groups as
/// tables, and the attachments.
pub fn submission_pdf(
    i18n: &I18n,
    head: &Letterhead,
    lists: &Lists,
    def: &FormDef,
    sub: &Submission,
) -> Result<Vec<u8>, String> {
    let lang = sub.lang;
    let loc = i18n.loc(lang);
    let at = sub.submitted_at();
    let engine = Engine::new(def, lists, today_in_norway(at));
    let yes_no = (loc.t("answer-yes"), loc.t("answer-no"));
    // Norwegian time with its offset, as the archive's XML has it: "04.12.2026 00:30 (UTC+01:00)".
    let local = crate::forms::engine::norway_offset(at);
    let when = format!(
        "{} {:02}:{:02} (UTC+{:02}:00)",
        crate::forms::engine::format_date(local.date()),
        local.hour(),
        local.minute(),
        local.offset().whole_hours()
    );
    let file = |id: &str| sub.file_shown(id);
    let cell_text = |v: &Value| v.plain("\n");
    let mut blocks = vec![Block::Paragraph(format!(
        "{}: {}\n{}: {when}",
        loc.t("pdf-reference"),
        sub.reference,
        loc.t("pdf-sent")
    ))];
    for step in summary::walk(&engine, &sub.answers, lang, yes_no, &file) {
        let mut step_blocks = vec![];
        for e in step.entries.iter().filter(|e| e.value.answered()) {
            match &e.value {
                Value::Rows { columns, rows } => {
                    step_blocks.push(Block::Paragraph(e.label.clone()));
                    step_blocks.push(Block::Table {
                        headers: columns.clone(),
                        rows: rows
                            .iter()
                            .map(|r| {
                                r.iter()
                                    .map(|c| c.value.as_ref().map(cell_text).unwrap_or_default())
                                    .collect()
                            })
                            .collect(),
                    });
                }
                v => step_blocks.push(Block::Answer {
                    label: e.label.clone(),
                    value: cell_text(v),
                }),
            }
        }
        if !step_blocks.is_empty() {
            blocks.push(Block::Heading(step.title));
            blocks.extend(step_blocks);
        }
    }
    if !sub.files.is_empty() {
        blocks.push(Block::Heading(loc.t("pdf-attachments").to_owned()));
        blocks.push(Block::Bullets(
            sub.files
                .iter()
                .map(|f| {
                    format!(
                        "{} ({})",
                        f.name,
                        crate::attachments::format_size(f.size, lang)
                    )
                })
                .collect(),
        ));
    }
    // Its own title, not the blank form's: what was sent, and under which reference.
    let form_title = def.title.get(lang).to_owned();
    let title = loc.tf(
        "pdf-title-submission",
        &[
            ("form", form_title.clone().into()),
            ("reference", sub.reference.to_string().into()),
        ],
    );
    let doc = PdfDoc {
        title: title.clone(),
        author: head.name.clone(),
        subject: Some(format!("{} {}", loc.t("pdf-reference"), sub.reference)),
        lang: lang_code(lang).to_owned(),
        created: at,
        header: head.name.clone(),
        logo: head.logo.clone(),
        footer: format!(
            "{} · {} {}",
            form_title,
            loc.t("pdf-reference"),
            sub.reference
        ),
        blocks,
    };
    render(fonts()?, &doc).map_err(|e| e.to_string())
}

/// A blank form for paper: every question with an empty box or boxes to tick, in the page's language.
pub fn blank_pdf(
    i18n: &I18n,
    head: &Letterhead,
    lists: &Lists,
    def: &FormDef,
    lang: Lang,
    now: time::OffsetDateTime,
) -> Result<Vec<u8>, String> {
    let loc = i18n.loc(lang);
    let engine = Engine::new(def, lists, today_in_norway(now));
    let mut blocks = vec![Block::Paragraph(loc.t("pdf-blank-intro").to_owned())];
    blocks.push(Block::Paragraph(def.intro.get(lang).to_owned()));
    for step in &def.steps {
        blocks.push(Block::Heading(step.title.get(lang).to_owned()));
        for f in &step.fields {
            blank_field(&engine, f, lang, loc, &mut blocks);
        }
    }
    // Signed and sent: a signature line, and where the paper goes.
    blocks.push(Block::Heading(loc.t("pdf-blank-sign-heading").to_owned()));
    for key in ["pdf-blank-place-date", "pdf-blank-signature"] {
        blocks.push(Block::BlankText {
            label: loc.t(key).to_owned(),
            hint: None,
            lines: 1,
        });
    }
    blocks.push(Block::Paragraph(match &head.postal_address {
        Some(a) => loc.tf(
            "pdf-blank-send-to",
            &[
                ("name", head.name.clone().into()),
                ("address", a.clone().into()),
            ],
        ),
        None => loc.tf(
            "pdf-blank-hand-in",
            &[
                ("name", head.name.clone().into()),
                ("email", head.contact_email.clone().into()),
            ],
        ),
    }));
    let form_title = def.title.get(lang).to_owned();
    let title = loc.tf("pdf-title-blank", &[("form", form_title.clone().into())]);
    let doc = PdfDoc {
        title: title.clone(),
        author: head.name.clone(),
        subject: Some(loc.t("pdf-blank-subject").to_owned()),
        lang: lang_code(lang).to_owned(),
        created: now,
        header: head.name.clone(),
        logo: head.logo.clone(),
        footer: format!("{form_title} · {}", head.contact_email),
        blocks,
    };
    render(fonts()?, &doc).map_err(|e| e.to_string())
}

fn blank_field(
    engine: &Engine<'_>,
    f: &Field,
    lang: Lang,
    loc: crate::i18n::Loc<'_>,
    blocks: &mut Vec<Block>,
) {
    let hint = f.hint.as_ref().map(|h| h.get(lang).to_owned());
    let lbl = label(f, lang);
    let options_of = |options: &[crate::forms::definition::ChoiceOption]| -> Vec<String> {
        options
            .iter()
            .map(|o| {
                o.label
                    .as_ref()
                    .map_or_else(|| o.value.clone(), |l| l.get(lang).to_owned())
            })
            .collect()
    };
    let block = match &f.kind {
        Kind::Info { text } => Block::Paragraph(text.get(lang).to_owned()),
        Kind::Heading { text } => Block::Heading(text.get(lang).to_owned()),
        Kind::Textarea { .. } => Block::BlankText {
            label: lbl,
            hint,
            lines: 5,
        },
        Kind::Address => Block::BlankText {
            label: lbl,
            hint: Some(loc.t("pdf-blank-address").to_owned()),
            lines: 2,
        },
        Kind::Choice {
            options, display, ..
        } => Block::BlankChoice {
            label: lbl,
            hint: hint.or_else(|| {
                matches!(display, ChoiceDisplay::Checkboxes)
                    .then(|| loc.t("pdf-blank-tick-any").to_owned())
            }),
            options: options_of(options),
        },
        Kind::List { list, .. } => Block::BlankChoice {
            label: lbl,
            hint,
            options: engine
                .list_items(list)
                .iter()
                .map(|i| i.label.get(lang).to_owned())
                .collect(),
        },
        Kind::YesNo => Block::BlankChoice {
            label: lbl,
            hint,
            options: vec![
                loc.t("answer-yes").to_owned(),
                loc.t("answer-no").to_owned(),
            ],
        },
        Kind::Consent => Block::BlankChoice {
            label: if f.consent_basis {
                loc.t("pdf-blank-consent")
            } else {
                loc.t("pdf-blank-confirm")
            }
            .to_owned(),
            hint: None,
            options: vec![lbl],
        },
        Kind::Attachment { accept, .. } => Block::Paragraph(format!(
            "{}: {lbl} ({})",
            loc.t("pdf-blank-attach"),
            crate::attachments::accept_names(accept)
        )),
        Kind::Group { fields, .. } => {
            blocks.push(Block::Paragraph(lbl));
            let cols: Vec<String> = fields
                .iter()
                .filter(|s| s.kind.is_input())
                .map(|s| label(s, lang))
                .collect();
            let empty = vec![String::new(); cols.len()];
            Block::Table {
                headers: cols,
                rows: vec![empty.clone(), empty.clone(), empty],
            }
        }
        _ => Block::BlankText {
            label: lbl,
            hint,
            lines: 1,
        },
    };
    blocks.push(block);
}
