//! What a PDF is made of: the document model [`render`](super::render) lays out, and its errors. Always
//! compiled, also without the `pdf` feature, so the rest of the crate builds the same either way.

use time::OffsetDateTime;

/// Errors from [`Fonts::load`] and [`render`].
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// An embedded font could not be parsed (a broken build, not a run-time condition).
    #[error("the embedded font {0} could not be parsed")]
    Font(&'static str),
    /// `PdfDoc::lang` is not a language tag such as "nb", "nn" or "en".
    #[error("invalid document language {0:?}")]
    Lang(String),
    /// The PDF printpdf produced did not have the expected shape (pages, catalog, info).
    #[error("could not complete the PDF structure: {0}")]
    Structure(String),
    /// Writing the PDF failed.
    #[error("could not write the PDF: {0}")]
    Write(String),
    /// This build was made without the `pdf` feature (only the fuzz build is).
    #[cfg(not(feature = "pdf"))]
    #[error("this build of Rådhus has no PDF support (the `pdf` feature is off)")]
    NotBuilt,
}

/// A document to render.
#[derive(Clone, Debug)]
pub struct PdfDoc {
    /// PDF metadata Title, also the big heading on page 1.
    pub title: String,
    /// Metadata Author (the municipality's name).
    pub author: String,
    pub subject: Option<String>,
    /// Document language ("nb", "nn", "en"): written as /Lang in the catalog and as
    /// dc:language in the XMP metadata.
    pub lang: String,
    /// Creation and modification date in the metadata.
    pub created: OffsetDateTime,
    /// Small text at the top of page 1 (municipality name).
    pub header: String,
    /// The municipality's logo, drawn at the top of page 1 beside the header (a decoration: the header
    /// names the municipality in text).
    pub logo: Option<std::sync::Arc<super::VectorLogo>>,
    /// Small text at the bottom of every page, next to the "n / m" page number.
    pub footer: String,
    pub blocks: Vec<Block>,
}

/// A piece of content, laid out top to bottom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Section heading (bold, larger).
    Heading(String),
    /// Wrapped text; `'\n'` starts a new line.
    Paragraph(String),
    /// Label in bold, the value beneath it (wrapped; may contain `'\n'`).
    Answer { label: String, value: String },
    /// Columns share the width; cells wrap; the header row is repeated after a page break.
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A bulleted list.
    Bullets(Vec<String>),
    /// For a blank paper form: label, optional hint, an empty box of `lines` writing lines.
    BlankText {
        label: String,
        hint: Option<String>,
        lines: u32,
    },
    /// For a blank paper form: label, optional hint, one empty square to tick per option.
    BlankChoice {
        label: String,
        hint: Option<String>,
        options: Vec<String>,
    },
}
