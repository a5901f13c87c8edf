//! Stands in for `render.rs` when the crate is built without the `pdf` feature — only the fuzz build is
//! (instrumenting printpdf and lopdf for the fuzzer takes half its build time, and no fuzzed parser reaches
//! PDF code). Every PDF then fails with [`PdfError::NotBuilt`], so a PDF-less build cannot pass for a
//! working one.

use super::doc::{PdfDoc, PdfError};

/// No fonts without the `pdf` feature.
pub struct Fonts;

impl Fonts {
    pub fn load() -> Result<Fonts, PdfError> {
        Err(PdfError::NotBuilt)
    }
}

pub fn render(_fonts: &Fonts, _doc: &PdfDoc) -> Result<Vec<u8>, PdfError> {
    Err(PdfError::NotBuilt)
}
