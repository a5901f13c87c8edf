//! PDFs: the submission as sent (for the archive, the receipt download and the e-mail copy) and a blank
//! form for filling in on paper. Laid out by [`render`] with printpdf and the embedded DejaVu Sans.

mod doc;
mod logo;
#[cfg(feature = "pdf")]
mod render;
#[cfg(not(feature = "pdf"))]
#[path = "without.rs"]
mod render;

use std::sync::OnceLock;

pub use doc::{Block, PdfDoc, PdfError};
pub use logo::{LogoError, VectorLogo};
pub use render::{Fonts, render};

use crate::app::Tenant;
use crate::forms::FormDef;
use crate::forms::answers::row_name;
use crate::forms::definition::{ChoiceDisplay, Field, Kind};
use crate::forms::engine::{Engine, norway_time, today_in_norway};
use crate::i18n::{I18n, Lang};
use crate::store::forms::Submission;

/// The fonts, parsed once.
pub fn fonts() -> Result<&'static Fonts, String> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| Fonts::load().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

fn label(f: &Field, lang: Lang) -> String {
    f.label
        .as_ref()
        .map_or_else(|| f.id.clone(), |l| l.get(lang).to_owned())
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb => "nb",
        Lang::Nn => "nn",
        Lang::En => "en",
    }
}

/// The submission's PDF, rendered once and kept under `<data>/pdf/<tenant>/<reference>.pdf`: the archive,
/// the HTTP and e-mail targets, the receipt download and every retry get the same bytes (printpdf's
/// output is not byte-for-byte repeatable, and the file drop's idempotency compares manifests).
pub fn submission_pdf_kept(
    data_dir: &std::path::Path,
    i18n: &I18n,
    tenant: &Tenant,
    def: &FormDef,
    sub: &Submission,
) -> Result<Vec<u8>, String> {
    let dir = data_dir.join("pdf").join(&sub.tenant);
    let path = dir.join(format!("{}.pdf", sub.reference));
    if let Ok(b) = std::fs::read(&path) {
        return Ok(b);
    }
    let bytes = submission_pdf(i18n, tenant, def, sub)?;
    let io = |e: std::io::Error| format!("keeping the PDF in {}: {e}", dir.display());
    std::fs::create_dir_all(&dir).map_err(io)?;
    let tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
    std::fs::write(tmp.path(), &bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    // Create-if-absent: when two callers race, the first file wins and both return it.
    match std::fs::hard_link(tmp.path(), &path) {
        Ok(()) => {
            std::fs::File::open(&dir)
                .and_then(|d| d.sync_all())
                .map_err(io)?;
            Ok(bytes)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => std::fs::read(&path).map_err(io),
        Err(e) => Err(io(e)),
    }
}

/// The submission as the citizen sent it (rendered anew; callers use [`submission_pdf_kept`]): every visible answer with its label in the submission's
/// language, groups as tables, and the attachments.
fn submission_pdf(
    i18n: &I18n,
    tenant: &Tenant,
    def: &FormDef,
    sub: &Submission,
) -> Result<Vec<u8>, String> {
    let lang = sub.lang;
    let loc = i18n.loc(lang);
    let today = today_in_norway(time::OffsetDateTime::now_utc());
    let lists = tenant.lists(today);
    let engine = Engine::new(def, &lists, today);
    let yes_no = (loc.t("answer-yes"), loc.t("answer-no"));
    let at = time::OffsetDateTime::from_unix_timestamp(sub.submitted)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let local = norway_time(at);
    let when = format!(
        "{} {:02}:{:02}",
        crate::forms::engine::format_date(local.date()),
        local.hour(),
        local.minute()
    );
    let files_of = |name: &str| -> String {
        sub.answers
            .get(name)
            .map(|a| a.values())
            .unwrap_or_default()
            .iter()
            .filter_map(|id| sub.files.iter().find(|f| f.id == *id))
            .map(|f| f.name.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut blocks = vec![Block::Paragraph(format!(
        "{}: {}\n{}: {when}",
        loc.t("pdf-reference"),
        sub.reference,
        loc.t("pdf-sent")
    ))];
    for step in &def.steps {
        let mut step_blocks = vec![];
        for f in step.fields.iter().filter(|f| f.kind.is_input()) {
            match &f.kind {
                Kind::Group { fields, .. } => {
                    let n = sub.answers.row_count(&f.id);
                    if n == 0 {
                        continue;
                    }
                    let cols: Vec<&Field> = fields.iter().filter(|s| s.kind.is_input()).collect();
                    let rows = (0..n)
                        .map(|i| {
                            cols.iter()
                                .map(|s| {
                                    let name = row_name(&f.id, i, &s.id);
                                    match s.kind {
                                        Kind::Attachment { .. } => files_of(&name),
                                        _ => engine.display(s, &name, &sub.answers, lang, yes_no),
                                    }
                                })
                                .collect()
                        })
                        .collect();
                    step_blocks.push(Block::Paragraph(label(f, lang)));
                    step_blocks.push(Block::Table {
                        headers: cols.iter().map(|s| label(s, lang)).collect(),
                        rows,
                    });
                }
                Kind::Attachment { .. } => {
                    if sub.answers.get(&f.id).is_some() {
                        let v = files_of(&f.id);
                        step_blocks.push(Block::Answer {
                            label: label(f, lang),
                            value: if v.is_empty() {
                                loc.t("check-not-answered").to_owned()
                            } else {
                                v
                            },
                        });
                    }
                }
                Kind::Address => {
                    if sub.answers.get(&format!("{}.gate", f.id)).is_some() {
                        step_blocks.push(Block::Answer {
                            label: label(f, lang),
                            value: engine.display(f, &f.id, &sub.answers, lang, yes_no),
                        });
                    }
                }
                _ => {
                    if sub.answers.get(&f.id).is_some() {
                        let v = engine.display(f, &f.id, &sub.answers, lang, yes_no);
                        step_blocks.push(Block::Answer {
                            label: label(f, lang),
                            value: if v.is_empty() {
                                loc.t("check-not-answered").to_owned()
                            } else {
                                v
                            },
                        });
                    }
                }
            }
        }
        if !step_blocks.is_empty() {
            blocks.push(Block::Heading(step.title.get(lang).to_owned()));
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
    let title = def.title.get(lang).to_owned();
    let doc = PdfDoc {
        title: title.clone(),
        author: tenant.config.name.clone(),
        subject: Some(format!("{} {}", loc.t("pdf-reference"), sub.reference)),
        lang: lang_code(lang).to_owned(),
        created: at,
        header: tenant.config.name.clone(),
        logo: tenant.pdf_logo.clone(),
        footer: format!("{} · {} {}", title, loc.t("pdf-reference"), sub.reference),
        blocks,
    };
    render(fonts()?, &doc).map_err(|e| e.to_string())
}

/// A blank form for paper: every question with an empty box or boxes to tick, in the page's language.
pub fn blank_pdf(
    i18n: &I18n,
    tenant: &Tenant,
    def: &FormDef,
    lang: Lang,
) -> Result<Vec<u8>, String> {
    let loc = i18n.loc(lang);
    let today = today_in_norway(time::OffsetDateTime::now_utc());
    let lists = tenant.lists(today);
    let engine = Engine::new(def, &lists, today);
    let mut blocks = vec![Block::Paragraph(loc.t("pdf-blank-intro").to_owned())];
    blocks.push(Block::Paragraph(def.intro.get(lang).to_owned()));
    for step in &def.steps {
        blocks.push(Block::Heading(step.title.get(lang).to_owned()));
        for f in &step.fields {
            blank_field(&engine, f, lang, loc, &mut blocks);
        }
    }
    let title = def.title.get(lang).to_owned();
    let doc = PdfDoc {
        title: title.clone(),
        author: tenant.config.name.clone(),
        subject: Some(loc.t("pdf-blank-subject").to_owned()),
        lang: lang_code(lang).to_owned(),
        created: time::OffsetDateTime::now_utc(),
        header: tenant.config.name.clone(),
        logo: tenant.pdf_logo.clone(),
        footer: format!("{title} · {}", tenant.config.contact_email),
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
            label: loc.t("pdf-blank-consent").to_owned(),
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
