//! Uploads judged by their structure, not only by their first bytes (which [`super::sniff`] reads): a
//! PDF must parse, an image's header must give a size within the pixel limit, an office document must be
//! a whole zip archive with its parts, and no file may also be a web page or a script (a polyglot that
//! an archive viewer or a browser could run). Pure: bytes in, a verdict out (fuzzed in
//! `fuzz/fuzz_targets/upload_check.rs`).

use std::sync::LazyLock;

use super::FileType;

/// The largest image accepted, in pixels (a 200-megapixel phone photo fits).
pub const MAX_PIXELS: u64 = 250_000_000;

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// It is not a whole, readable file of its type (cut short, broken, or only a header).
    Unreadable,
    /// An image larger than [`MAX_PIXELS`]; the megapixels it has.
    TooManyPixels(u64),
    /// It also holds a web page, a script or (in a PDF) actions that run code.
    Active,
}

/// Markup and script that a browser or a viewer would run, anywhere in the file.
static ACTIVE: LazyLock<Option<regex::bytes::Regex>> = LazyLock::new(|| {
    regex::bytes::Regex::new(
        r"(?i-u)<(script|html|iframe|svg|body|object|embed|frameset|meta\s+http-equiv)[\s>/]|<!doctype\s+html|<\?php|javascript:",
    )
    .ok()
});

/// PDF names of actions that run code or other programs.
static PDF_ACTIONS: LazyLock<Option<regex::bytes::Regex>> = LazyLock::new(|| {
    regex::bytes::Regex::new(r"/(JavaScript|JS|Launch|RichMedia)[\s/<>\[\]()]").ok()
});

/// Checks a whole file of type `kind` (as judged by its first bytes).
pub fn check(kind: &FileType, bytes: &[u8]) -> Result<(), Problem> {
    if ACTIVE.as_ref().is_none_or(|re| re.is_match(bytes)) {
        return Err(Problem::Active);
    }
    match kind.name {
        "pdf" => pdf(bytes),
        "jpeg" | "png" | "gif" | "tiff" | "heic" => image(bytes),
        "docx" => zip(bytes, b"[Content_Types].xml"),
        "xlsx" => zip(bytes, b"[Content_Types].xml"),
        "odt" => zip(bytes, b"mimetype"),
        _ => Err(Problem::Unreadable),
    }
}

fn image(bytes: &[u8]) -> Result<(), Problem> {
    let size = imagesize::blob_size(bytes).map_err(|_| Problem::Unreadable)?;
    let pixels = (size.width as u64).saturating_mul(size.height as u64);
    if pixels == 0 {
        return Err(Problem::Unreadable);
    }
    if pixels > MAX_PIXELS {
        return Err(Problem::TooManyPixels(pixels / 1_000_000));
    }
    // A header alone is not an image: the smallest real files are far larger than their header.
    let header_only = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Jpeg) => !bytes.ends_with(&[0xFF, 0xD9]) && bytes.len() < 128,
        _ => bytes.len() < 24,
    };
    if header_only {
        return Err(Problem::Unreadable);
    }
    Ok(())
}

fn pdf(bytes: &[u8]) -> Result<(), Problem> {
    let tail = last(bytes, 1024);
    let whole = (bytes.starts_with(b"%PDF-1.") || bytes.starts_with(b"%PDF-2."))
        && contains(tail, b"%%EOF")
        && contains(last(bytes, 64 * 1024), b"startxref");
    if !whole {
        return Err(Problem::Unreadable);
    }
    if PDF_ACTIONS.as_ref().is_none_or(|re| re.is_match(bytes)) {
        return Err(Problem::Active);
    }
    parsed_pdf(bytes)
}

/// The PDF parses, and no object (in compressed object streams too) asks for code to run.
#[cfg(feature = "pdf")]
fn parsed_pdf(bytes: &[u8]) -> Result<(), Problem> {
    use lopdf::Object;
    let doc = lopdf::Document::load_mem(bytes).map_err(|_| Problem::Unreadable)?;
    if doc.get_pages().is_empty() {
        return Err(Problem::Unreadable);
    }
    let runs_code = |d: &lopdf::Dictionary| {
        d.has(b"JS")
            || d.has(b"JavaScript")
            || d.has(b"Launch")
            || matches!(d.get(b"S"), Ok(Object::Name(n)) if n == b"JavaScript" || n == b"Launch")
    };
    let active = doc.objects.values().any(|o| match o {
        Object::Dictionary(d) => runs_code(d),
        Object::Stream(s) => runs_code(&s.dict),
        _ => false,
    });
    if active {
        return Err(Problem::Active);
    }
    Ok(())
}

/// Without the PDF library (the fuzz build): the outline checks above only.
#[cfg(not(feature = "pdf"))]
fn parsed_pdf(_bytes: &[u8]) -> Result<(), Problem> {
    Ok(())
}

/// A whole zip archive: its end record at the end, its central directory inside the file, its first
/// entry at the start, and the part that names the document's type.
fn zip(bytes: &[u8], part: &[u8]) -> Result<(), Problem> {
    const EOCD: &[u8] = b"PK\x05\x06";
    if !bytes.starts_with(b"PK\x03\x04") || bytes.len() < 22 {
        return Err(Problem::Unreadable);
    }
    // The end record is 22 bytes plus a comment of at most 65,535.
    let from = bytes.len().saturating_sub(22 + 65_535);
    let at = last(bytes, 22 + 65_535)
        .windows(EOCD.len())
        .rposition(|w| w == EOCD)
        .map(|i| from + i)
        .ok_or(Problem::Unreadable)?;
    let field = |off: usize, len: usize| -> Option<u64> {
        let b = bytes.get(at + off..at + off + len)?;
        Some(b.iter().rev().fold(0u64, |n, x| (n << 8) | u64::from(*x)))
    };
    let (entries, size, offset) = (
        field(10, 2).ok_or(Problem::Unreadable)?,
        field(12, 4).ok_or(Problem::Unreadable)?,
        field(16, 4).ok_or(Problem::Unreadable)?,
    );
    let end = offset.saturating_add(size);
    if entries == 0 || end > at as u64 {
        return Err(Problem::Unreadable);
    }
    let directory = bytes
        .get(offset as usize..end as usize)
        .ok_or(Problem::Unreadable)?;
    if !directory.starts_with(b"PK\x01\x02") || !contains(directory, part) {
        return Err(Problem::Unreadable);
    }
    Ok(())
}

/// The last `n` bytes (all of them when there are fewer).
fn last(bytes: &[u8], n: usize) -> &[u8] {
    bytes.get(bytes.len().saturating_sub(n)..).unwrap_or(bytes)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attachments::type_named;

    fn kind(n: &str) -> &'static FileType {
        type_named(n).unwrap()
    }

    /// A real 1×1 PNG.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn images_by_their_header_and_size() {
        assert_eq!(check(kind("png"), PNG), Ok(()));
        assert_eq!(
            check(kind("jpeg"), &[0xFF, 0xD8, 0xFF]),
            Err(Problem::Unreadable)
        );
        let mut huge = PNG.to_vec();
        huge[16..24].copy_from_slice(&[0, 0, 0x80, 0, 0, 0, 0x80, 0]);
        assert_eq!(check(kind("png"), &huge), Err(Problem::TooManyPixels(1073)));
        let mut page = PNG.to_vec();
        page.extend_from_slice(b"<html><script>alert(1)</script>");
        assert_eq!(check(kind("png"), &page), Err(Problem::Active));
    }

    #[test]
    fn pdfs_must_be_whole_and_run_nothing() {
        assert_eq!(check(kind("pdf"), b"%PDF-1.7\n"), Err(Problem::Unreadable));
        let with_js = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\nstartxref\n0\n%%EOF\n";
        assert_eq!(check(kind("pdf"), with_js), Err(Problem::Active));
    }

    #[test]
    fn office_files_must_be_whole_zips_with_their_parts() {
        assert_eq!(
            check(kind("docx"), b"PK\x03\x04junk"),
            Err(Problem::Unreadable)
        );
        assert_eq!(check(kind("odt"), b"PK\x03\x04"), Err(Problem::Unreadable));
    }
}
