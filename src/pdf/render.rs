//! PDF rendering of submissions (receipts, case documents) and blank paper forms.
//!
//! Layout is done here, line by line, with glyph advance widths read from the embedded
//! DejaVu Sans fonts; printpdf 0.12 (feature `text_layout`, which subsets the fonts) turns
//! the drawing operations into a PDF. The document printpdf builds is then completed with
//! lopdf (the same lopdf printpdf uses): document language, a structure tree (tagged PDF),
//! XMP metadata and correct dates.
//!
//! Page: A4, 20 mm margins, 11 pt body text. Every page has a footer with "n / m".

use std::borrow::Cow;
use std::collections::HashMap;
use std::mem;
use std::sync::{Mutex, OnceLock};

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use printpdf::{
    Codepoint, Color, DictItem, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont,
    PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem,
};
use time::{OffsetDateTime, UtcOffset};

use super::doc::{Block, PdfDoc, PdfError};
use super::logo::{Cap, Join, Seg, VectorLogo};

/// `themes/fonts/DejaVuSans*.ttf`, packed with zlib by build.rs (half the size in the binary).
const REGULAR_TTF_Z: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/DejaVuSans.ttf.z"));
const BOLD_TTF_Z: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/DejaVuSans-Bold.ttf.z"));

/// Written to the Info dictionary and XMP as the creating application.
const CREATOR: &str = "Rådhus";
const PRODUCER: &str = "Rådhus (printpdf 0.12)";

const PT_PER_MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * PT_PER_MM;
const PAGE_H: f32 = 297.0 * PT_PER_MM;
const MARGIN: f32 = 20.0 * PT_PER_MM;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Top of the text area.
const TOP: f32 = PAGE_H - MARGIN;
/// Lowest point content may reach; the footer sits below it.
const BOTTOM: f32 = MARGIN;
/// Baseline of the footer text.
const FOOTER_BASELINE: f32 = 12.0 * PT_PER_MM;

/// Height of one writing line in a blank text box.
const WRITING_LINE: f32 = 8.0 * PT_PER_MM;
/// Side of the square tick box of a blank choice.
const TICK_BOX: f32 = 10.0;
const BULLET_INDENT: f32 = 14.0;
const CHOICE_INDENT: f32 = 18.0;
const CELL_PAD: f32 = 4.0;
/// Height of the logo at the top of page 1, and the space between it and the header text.
const LOGO_H: f32 = 40.0;
const LOGO_GAP: f32 = 10.0;

const BLACK: f32 = 0.0;
const GREY_TEXT: f32 = 0.35;
const GREY_RULE: f32 = 0.55;
const GREY_LIGHT_RULE: f32 = 0.78;
const GREY_HEADER_FILL: f32 = 0.92;

/// Characters below this code point get their advance width cached at load time.
const WIDTH_CACHE_CHARS: u32 = 0x2200;
const NO_GLYPH: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Style {
    bold: bool,
    size: f32,
    /// Line height (distance between baselines).
    lh: f32,
    grey: f32,
}

const BODY: Style = Style {
    bold: false,
    size: 11.0,
    lh: 15.0,
    grey: BLACK,
};
const LABEL: Style = Style {
    bold: true,
    size: 11.0,
    lh: 15.0,
    grey: BLACK,
};
const TITLE: Style = Style {
    bold: true,
    size: 18.0,
    lh: 23.0,
    grey: BLACK,
};
const HEADING: Style = Style {
    bold: true,
    size: 13.5,
    lh: 18.0,
    grey: BLACK,
};
const SMALL: Style = Style {
    bold: false,
    size: 9.0,
    lh: 12.0,
    grey: GREY_TEXT,
};
/// The municipality's name beside its logo.
const LETTERHEAD: Style = Style {
    bold: true,
    size: 13.0,
    lh: 17.0,
    grey: BLACK,
};
const HINT: Style = Style {
    bold: false,
    size: 9.5,
    lh: 12.5,
    grey: GREY_TEXT,
};
const CELL: Style = Style {
    bold: false,
    size: 10.0,
    lh: 13.0,
    grey: BLACK,
};
const CELL_HEAD: Style = Style {
    bold: true,
    size: 10.0,
    lh: 13.0,
    grey: BLACK,
};

/// One parsed font face and its metrics.
struct Face {
    font: ParsedFont,
    /// The same font for the shaper (right-to-left text).
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
    /// Advance width (font units) of every char below `WIDTH_CACHE_CHARS`, `NO_GLYPH` if
    /// the font has no glyph for it.
    widths: Vec<u32>,
}

impl Face {
    fn parse(bytes: &'static [u8], name: &'static str) -> Result<Face, PdfError> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or(PdfError::Font(name))?;
        Face::with(font, bytes, name)
    }

    /// A font packed by build.rs: unpacked once; the parsed font keeps its own copy of the bytes, which
    /// the shaper borrows for the life of the process (the fonts are parsed once and never dropped).
    fn unpack(packed: &[u8], name: &'static str) -> Result<Face, PdfError> {
        use std::io::Read;
        let mut bytes = Vec::new();
        flate2::read::ZlibDecoder::new(packed)
            .read_to_end(&mut bytes)
            .map_err(|_| PdfError::Font(name))?;
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or(PdfError::Font(name))?;
        drop(bytes);
        let kept = Box::leak(Box::new(font.source_bytes().ok_or(PdfError::Font(name))?));
        Face::with(font, kept.as_slice(), name)
    }

    fn with(font: ParsedFont, bytes: &'static [u8], name: &'static str) -> Result<Face, PdfError> {
        let shaper = rustybuzz::Face::from_slice(bytes, 0).ok_or(PdfError::Font(name))?;
        let units_per_em = f32::from(font.font_metrics.units_per_em.max(1));
        let widths = (0..WIDTH_CACHE_CHARS)
            .map(|cp| {
                font.lookup_glyph_index(cp)
                    .map_or(NO_GLYPH, |gid| u32::from(font.get_horizontal_advance(gid)))
            })
            .collect();
        Ok(Face {
            font,
            shaper,
            units_per_em,
            widths,
        })
    }

    /// Advance width of `c` in font units, `None` if the font has no glyph for it.
    fn advance(&self, c: char) -> Option<u32> {
        let cp = u32::from(c);
        match self.widths.get(cp as usize) {
            Some(&NO_GLYPH) => None,
            Some(&w) => Some(w),
            None => self
                .font
                .lookup_glyph_index(cp)
                .map(|gid| u32::from(self.font.get_horizontal_advance(gid))),
        }
    }

    /// Whether `c` is drawn as itself: not a control character (dropped), and in this font or a
    /// fallback font from the font folders (else named).
    fn drawable(&self, c: char) -> bool {
        !c.is_control() && (self.advance(c).is_some() || fallback_face(c).is_some())
    }

    fn char_width(&self, c: char, size: f32) -> f32 {
        match self.advance(c) {
            Some(a) => a as f32 * size / self.units_per_em,
            None => fallback_face(c).map_or(0.0, |(_, f)| {
                f.advance(c).unwrap_or(0) as f32 * size / f.units_per_em
            }),
        }
    }

    fn text_width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.char_width(c, size)).sum()
    }

    /// `word` with control characters dropped and every character the font cannot draw named visibly
    /// by its code point ("[U+4E2D]"), never silently replaced: the XML delivered beside the PDF keeps
    /// the text itself.
    fn clean<'w>(&self, word: &'w str) -> Cow<'w, str> {
        if word.chars().all(|c| self.drawable(c)) {
            return Cow::Borrowed(word);
        }
        let mut out = String::with_capacity(word.len() + 8);
        for c in word.chars() {
            if self.drawable(c) {
                out.push(c);
            } else if !c.is_control() {
                out.push_str(&format!("[U+{:04X}]", u32::from(c)));
            }
        }
        Cow::Owned(out)
    }

    /// A line with right-to-left text (Arabic, Hebrew), ordered and shaped: the Unicode bidirectional
    /// algorithm puts its runs in visual order, and the shaper (rustybuzz) picks each run's glyphs
    /// (Arabic letters joined in their initial, medial and final forms), left to right as drawn. Each
    /// glyph carries the text it stands for, so the PDF's text reads back in logical order. None for a
    /// line without right-to-left text: it is drawn as text.
    fn shaped(&self, line: &str) -> Option<Vec<Codepoint>> {
        use unicode_bidi::{BidiClass, BidiInfo, bidi_class};
        if !line
            .chars()
            .any(|c| matches!(bidi_class(c), BidiClass::R | BidiClass::AL))
        {
            return None;
        }
        let bidi = BidiInfo::new(line, None);
        let para = bidi.paragraphs.first()?;
        let (levels, runs) = bidi.visual_runs(para, para.range.clone());
        let mut out = vec![];
        for run in runs {
            let text = line.get(run.clone())?;
            let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
            let mut buffer = rustybuzz::UnicodeBuffer::new();
            buffer.push_str(text);
            buffer.set_direction(if rtl {
                rustybuzz::Direction::RightToLeft
            } else {
                rustybuzz::Direction::LeftToRight
            });
            buffer.guess_segment_properties();
            let glyphs = rustybuzz::shape(&self.shaper, &[], buffer);
            // Clusters are byte offsets into `text`; a cluster's text runs to the next one up.
            let mut starts: Vec<usize> = glyphs
                .glyph_infos()
                .iter()
                .map(|g| g.cluster as usize)
                .collect();
            starts.sort_unstable();
            starts.dedup();
            let mut told = std::collections::HashSet::new();
            for (info, pos) in glyphs.glyph_infos().iter().zip(glyphs.glyph_positions()) {
                let start = info.cluster as usize;
                let end = starts
                    .iter()
                    .copied()
                    .find(|s| *s > start)
                    .unwrap_or(text.len());
                let gid = u16::try_from(info.glyph_id).ok()?;
                // The first glyph of a cluster stands for its text; the others add nothing to it.
                let cid = told
                    .insert(start)
                    .then(|| text.get(start..end).map(str::to_owned))
                    .flatten();
                let natural = i32::from(self.font.get_horizontal_advance(gid));
                let offset = (natural - pos.x_advance) as f32 * 1000.0 / self.units_per_em;
                out.push(Codepoint { gid, offset, cid });
            }
        }
        Some(out)
    }

    /// Breaks `text` into lines no wider than `max_width` points at font size `size`.
    ///
    /// Lines break at spaces; a word wider than a whole line is broken after a `-`, `/`,
    /// `_` or `.` if there is one far enough along, else between any two characters.
    /// `'\n'` starts a new line, and empty lines are kept.
    ///
    /// A line that ends where a space or a newline was keeps a trailing space (invisible),
    /// so that text extraction and screen readers see the words apart rather than glued
    /// together across the line break.
    fn wrap(&self, text: &str, size: f32, max_width: f32) -> Vec<String> {
        let space = self.char_width(' ', size);
        let mut out = Vec::new();
        let mut raw_lines = text.split('\n').peekable();
        while let Some(raw) = raw_lines.next() {
            let mut line = String::new();
            let mut width = 0.0_f32;
            for word in raw.split([' ', '\t', '\r']).filter(|w| !w.is_empty()) {
                let word = self.clean(word);
                if word.is_empty() {
                    continue;
                }
                let w = self.text_width(&word, size);
                if !line.is_empty() && width + space + w <= max_width {
                    line.push(' ');
                    line.push_str(&word);
                    width += space + w;
                    continue;
                }
                if !line.is_empty() {
                    line.push(' ');
                    out.push(mem::take(&mut line));
                    width = 0.0;
                }
                if w <= max_width {
                    line.push_str(&word);
                    width = w;
                    continue;
                }
                // Byte offset in `line` just after the last break character, and the
                // width of the line up to there.
                let mut last_break: Option<(usize, f32)> = None;
                for c in word.chars() {
                    let cw = self.char_width(c, size);
                    if !line.is_empty() && width + cw > max_width {
                        match last_break {
                            Some((at, w_at)) if at < line.len() && w_at >= max_width / 3.0 => {
                                let rest = line.split_off(at);
                                out.push(mem::replace(&mut line, rest));
                                width -= w_at;
                            }
                            _ => {
                                out.push(mem::take(&mut line));
                                width = 0.0;
                            }
                        }
                        last_break = None;
                    }
                    line.push(c);
                    width += cw;
                    if matches!(c, '-' | '/' | '_' | '.') {
                        last_break = Some((line.len(), width));
                    }
                }
            }
            if !line.is_empty() && raw_lines.peek().is_some() {
                line.push(' ');
            }
            out.push(line);
        }
        out
    }
}

/// The fallback font (from the font folders) that draws `c`, parsed once and kept: its key and face.
fn fallback_face(c: char) -> Option<(usize, &'static Face)> {
    let key = super::fallback::find(c)?;
    fallback_face_of(key).map(|f| (key, f))
}

/// The fallback face under `key`, parsed the first time (a face that cannot be parsed is remembered as
/// such, and its characters are named instead).
fn fallback_face_of(key: usize) -> Option<&'static Face> {
    static PARSED: OnceLock<Mutex<HashMap<usize, Option<&'static Face>>>> = OnceLock::new();
    let mut parsed = PARSED
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .ok()?;
    if let Some(face) = parsed.get(&key) {
        return *face;
    }
    let face = super::fallback::load(key).and_then(|l| match Face::parse(l.bytes, "fallback") {
        Ok(f) => Some(&*Box::leak(Box::new(f))),
        Err(e) => {
            tracing::warn!("a PDF fallback font cannot be used: {e}");
            None
        }
    });
    parsed.insert(key, face);
    face
}

/// Splits a line into runs drawn with one font each: None for the embedded font, else the fallback's
/// key.
fn font_runs<'t>(primary: &Face, line: &'t str) -> Vec<(Option<usize>, &'t str)> {
    let mut runs: Vec<(Option<usize>, &str)> = vec![];
    let mut start = 0;
    let mut current: Option<Option<usize>> = None;
    for (i, c) in line.char_indices() {
        let font = if primary.advance(c).is_some() || c == ' ' {
            None
        } else {
            fallback_face(c).map(|(k, _)| k)
        };
        match current {
            Some(f) if f == font => {}
            Some(f) => {
                if let Some(run) = line.get(start..i) {
                    runs.push((f, run));
                }
                start = i;
                current = Some(font);
            }
            None => current = Some(font),
        }
    }
    if let (Some(f), Some(run)) = (current, line.get(start..))
        && !run.is_empty()
    {
        runs.push((f, run));
    }
    runs
}

/// Every text a document draws (for choosing its fallback fonts before drawing).
fn doc_texts(doc: &PdfDoc) -> Vec<&str> {
    let mut out: Vec<&str> = vec![&doc.title, &doc.header, &doc.footer];
    for b in &doc.blocks {
        match b {
            Block::Heading(t) | Block::Paragraph(t) => out.push(t),
            Block::Answer { label, value } => out.extend([label.as_str(), value.as_str()]),
            Block::Table { headers, rows } => {
                out.extend(headers.iter().map(String::as_str));
                out.extend(rows.iter().flatten().map(String::as_str));
            }
            Block::Bullets(items) => out.extend(items.iter().map(String::as_str)),
            Block::BlankText { label, hint, .. } => {
                out.push(label);
                out.extend(hint.as_deref());
            }
            Block::BlankChoice {
                label,
                hint,
                options,
            } => {
                out.push(label);
                out.extend(hint.as_deref());
                out.extend(options.iter().map(String::as_str));
            }
        }
    }
    out
}

/// The two embedded fonts (DejaVu Sans and DejaVu Sans Bold), parsed once.
///
/// Parsing takes a few milliseconds: load once at start-up and share (it is `Send + Sync`).
pub struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    /// Parses the embedded TTFs.
    pub fn load() -> Result<Fonts, PdfError> {
        let fonts = Fonts {
            regular: Face::unpack(REGULAR_TTF_Z, "DejaVuSans.ttf")?,
            bold: Face::unpack(BOLD_TTF_Z, "DejaVuSans-Bold.ttf")?,
        };
        // A character no font has is named in ASCII ("[U+4E2D]"): the embedded fonts must draw those.
        for (face, name) in [
            (&fonts.regular, "DejaVuSans.ttf"),
            (&fonts.bold, "DejaVuSans-Bold.ttf"),
        ] {
            if "[]U+0123456789ABCDEF"
                .chars()
                .any(|c| face.advance(c).is_none())
            {
                return Err(PdfError::Font(name));
            }
        }
        Ok(fonts)
    }

    fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }
}

/// Renders `doc` to the bytes of a PDF file.
pub fn render(fonts: &Fonts, doc: &PdfDoc) -> Result<Vec<u8>, PdfError> {
    let lang = checked_lang(&doc.lang)?;
    let mut pdf = PdfDocument::new(&doc.title);
    let regular = pdf.add_font(&fonts.regular.font);
    let bold = pdf.add_font(&fonts.bold.font);
    // The fallback fonts this document needs, each added once.
    let mut fallback_ids: HashMap<usize, FontId> = HashMap::new();
    for text in doc_texts(doc) {
        for c in text.chars() {
            if fonts.regular.advance(c).is_some() && fonts.bold.advance(c).is_some() {
                continue;
            }
            if let Some((key, face)) = fallback_face(c) {
                fallback_ids
                    .entry(key)
                    .or_insert_with(|| pdf.add_font(&face.font));
            }
        }
    }

    let mut writer = Writer::new(fonts, regular, bold);
    writer.fallback_ids = fallback_ids;
    writer.front(doc);
    for block in &doc.blocks {
        writer.block(block);
    }
    let (pages, tree) = writer.finish(&doc.footer);

    let info = &mut pdf.metadata.info;
    info.author.clone_from(&doc.author);
    info.subject = doc.subject.clone().unwrap_or_default();
    info.creator = CREATOR.to_owned();
    info.producer = PRODUCER.to_owned();
    // Overwritten in `complete` with the local offset; printpdf writes its dates as UTC.
    let created = printpdf::DateTime::from_unix_timestamp(doc.created.unix_timestamp())
        .unwrap_or(printpdf::DateTime::epoch());
    info.creation_date = created;
    info.modification_date = created;
    info.metadata_date = created;
    pdf.with_pages(pages);

    let mut warnings = Vec::new();
    // `secure: false` keeps the raw path operators the logo is drawn with (`Op::Unknown`); every
    // operator here is made by this module, none comes from outside.
    let options = PdfSaveOptions {
        secure: false,
        ..PdfSaveOptions::default()
    };
    let mut lo = pdf.to_lopdf_document(&options, &mut warnings);
    complete(&mut lo, doc, lang, &tree)?;
    compress(&mut lo);
    let mut out = Vec::new();
    // Object streams and a cross-reference stream (PDF 1.5): the structure tree's many
    // small dictionaries get compressed too; ~25 % smaller files for ~0.8 ms.
    lo.save_modern(&mut out)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(out)
}

/// Compresses every stream that may be (lopdf's own `compress` uses zlib's slowest level, 9, which cost
/// a fifth of the server's CPU per submission). Level 1 renders a 2-page submission in 2.5 ms against
/// 3.5 ms at level 6, for a file about a fifth larger (41 KB against 34 KB): the PDF is made once per
/// submission and kept, and CPU per submission is what bounds the appliance (docs/cpu-profile.md).
fn compress(lo: &mut lopdf::Document) {
    use std::io::Write;
    for object in lo.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            let mut enc =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(LEVEL));
            let Ok(packed) = enc.write_all(&stream.content).and_then(|()| enc.finish()) else {
                continue;
            };
            if packed.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(packed);
            }
        }
    }
}

const LEVEL: u32 = 1;

fn checked_lang(lang: &str) -> Result<&str, PdfError> {
    let ok = !lang.is_empty()
        && lang.len() <= 35
        && lang.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(lang)
    } else {
        Err(PdfError::Lang(lang.to_owned()))
    }
}

// ---------------------------------------------------------------------------------------
// Structure tree (tagged PDF), collected while laying out.

/// Index of the Document element, the root of the structure tree.
const DOCUMENT: usize = 0;

#[derive(Debug)]
enum Kid {
    Elem(usize),
    /// A marked-content sequence: page index and its MCID on that page.
    Content {
        page: usize,
        mcid: usize,
    },
}

#[derive(Debug)]
struct Elem {
    tag: &'static str,
    parent: usize,
    kids: Vec<Kid>,
    /// A table header cell (/Scope /Column).
    column_header: bool,
}

#[derive(Debug)]
struct Tree {
    elems: Vec<Elem>,
    /// Per page: the element each MCID belongs to (the page's entry in the ParentTree).
    parent_tree: Vec<Vec<usize>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    Nothing,
    Content(usize),
    Artifact,
}

// ---------------------------------------------------------------------------------------
// Layout

/// One table cell: its structure element and its wrapped lines.
struct Cell {
    elem: usize,
    lines: Vec<String>,
}

struct Writer<'a> {
    fonts: &'a Fonts,
    regular: FontId,
    bold: FontId,
    /// Finished pages.
    pages: Vec<Vec<Op>>,
    /// Operations of the current page.
    ops: Vec<Op>,
    /// Top of the free space on the current page.
    y: f32,
    fill: Option<f32>,
    stroke: Option<(f32, f32)>,
    open: Open,
    tree: Tree,
    /// The fallback fonts added to this document, by key.
    fallback_ids: HashMap<usize, FontId>,
}

impl<'a> Writer<'a> {
    fn new(fonts: &'a Fonts, regular: FontId, bold: FontId) -> Self {
        Writer {
            fonts,
            regular,
            bold,
            pages: Vec::new(),
            ops: Vec::new(),
            y: TOP,
            fill: None,
            stroke: None,
            open: Open::Nothing,
            fallback_ids: HashMap::new(),
            tree: Tree {
                elems: vec![Elem {
                    tag: "Document",
                    parent: DOCUMENT,
                    kids: Vec::new(),
                    column_header: false,
                }],
                parent_tree: vec![Vec::new()],
            },
        }
    }

    // -- structure ----------------------------------------------------------------------

    fn elem(&mut self, tag: &'static str, parent: usize) -> usize {
        let id = self.tree.elems.len();
        self.tree.elems.push(Elem {
            tag,
            parent,
            kids: Vec::new(),
            column_header: false,
        });
        if let Some(p) = self.tree.elems.get_mut(parent) {
            p.kids.push(Kid::Elem(id));
        }
        id
    }

    /// Makes what is drawn next part of element `elem`.
    fn mark(&mut self, elem: usize) {
        if self.open == Open::Content(elem) {
            return;
        }
        self.close_marked();
        let page = self.pages.len();
        let Some(mcids) = self.tree.parent_tree.get_mut(page) else {
            return;
        };
        let mcid = mcids.len();
        mcids.push(elem);
        let tag = match self.tree.elems.get_mut(elem) {
            Some(e) => {
                e.kids.push(Kid::Content { page, mcid });
                e.tag
            }
            None => return,
        };
        let mut props = std::collections::BTreeMap::new();
        props.insert("MCID".to_owned(), DictItem::Int(mcid as i64));
        self.ops.push(Op::BeginMarkedContentWithProperties {
            tag: tag.to_owned(),
            properties: DictItem::Dict { map: props },
        });
        self.open = Open::Content(elem);
    }

    /// Makes what is drawn next an artifact (decoration, not content).
    fn artifact(&mut self) {
        if self.open == Open::Artifact {
            return;
        }
        self.close_marked();
        self.ops.push(Op::BeginMarkedContent {
            tag: "Artifact".to_owned(),
        });
        self.open = Open::Artifact;
    }

    fn close_marked(&mut self) {
        if self.open != Open::Nothing {
            self.ops.push(Op::EndMarkedContent);
            self.open = Open::Nothing;
        }
    }

    // -- drawing ------------------------------------------------------------------------

    fn set_fill(&mut self, grey: f32) {
        if self.fill != Some(grey) {
            self.ops.push(Op::SetFillColor {
                col: grey_color(grey),
            });
            self.fill = Some(grey);
        }
    }

    fn set_stroke(&mut self, grey: f32, width: f32) {
        let Some((g, w)) = self.stroke else {
            self.ops.push(Op::SetOutlineColor {
                col: grey_color(grey),
            });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
            self.stroke = Some((grey, width));
            return;
        };
        if g != grey {
            self.ops.push(Op::SetOutlineColor {
                col: grey_color(grey),
            });
        }
        if w != width {
            self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        }
        self.stroke = Some((grey, width));
    }

    /// Draws one line of text with its baseline at `baseline`.
    fn show(&mut self, style: Style, x: f32, baseline: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        self.set_fill(style.grey);
        let primary = self.fonts.face(style.bold);
        let own = if style.bold {
            self.bold.clone()
        } else {
            self.regular.clone()
        };
        // Runs of characters only a fallback font has are drawn with that font, one after the other.
        let mut x = x;
        for (key, run) in font_runs(primary, text) {
            let (font, item, width) = match key
                .and_then(|k| Some((self.fallback_ids.get(&k)?.clone(), fallback_face_of(k)?)))
            {
                Some((id, face)) => (
                    id,
                    TextItem::Text(run.to_owned()),
                    face.text_width(run, style.size),
                ),
                None => (
                    own.clone(),
                    match primary.shaped(run) {
                        Some(glyphs) => TextItem::GlyphIds(glyphs),
                        None => TextItem::Text(run.to_owned()),
                    },
                    primary.text_width(run, style.size),
                ),
            };
            self.ops.extend([
                Op::StartTextSection,
                Op::SetFont {
                    font: PdfFontHandle::External(font),
                    size: Pt(style.size),
                },
                Op::SetTextCursor {
                    pos: Point {
                        x: Pt(x),
                        y: Pt(baseline),
                    },
                },
                Op::ShowText { items: vec![item] },
                Op::EndTextSection,
            ]);
            x += width;
        }
    }

    fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, grey: f32, width: f32) {
        self.artifact();
        self.set_stroke(grey, width);
        self.ops.push(Op::DrawRectangle {
            rectangle: rect(x, y, w, h, PaintMode::Stroke),
        });
    }

    fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, grey: f32) {
        self.artifact();
        self.set_fill(grey);
        self.ops.push(Op::DrawRectangle {
            rectangle: rect(x, y, w, h, PaintMode::Fill),
        });
    }

    fn hline(&mut self, x1: f32, x2: f32, y: f32, grey: f32, width: f32) {
        self.artifact();
        self.set_stroke(grey, width);
        let point = |x| LinePoint {
            p: Point { x: Pt(x), y: Pt(y) },
            bezier: false,
        };
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![point(x1), point(x2)],
                is_closed: false,
            },
        });
    }

    /// A raw content-stream operator with number operands.
    fn raw(&mut self, op: &str, operands: &[f32]) {
        self.ops.push(Op::Unknown {
            key: op.to_owned(),
            value: operands.iter().map(|v| DictItem::Real(*v)).collect(),
        });
    }

    fn path(&mut self, path: &[Seg]) {
        for seg in path {
            match *seg {
                Seg::Move(x, y) => self.raw("m", &[x, y]),
                Seg::Line(x, y) => self.raw("l", &[x, y]),
                Seg::Cubic(x1, y1, x2, y2, x, y) => self.raw("c", &[x1, y1, x2, y2, x, y]),
                Seg::Close => self.raw("h", &[]),
            }
        }
    }

    /// Draws `logo` as an artifact with its top left corner at (`x`, `top`), `height` tall; returns
    /// its width. The paths are drawn with raw operators, so open paths stay open and every subpath
    /// keeps its own closing.
    fn logo(&mut self, logo: &VectorLogo, x: f32, top: f32, height: f32) -> f32 {
        let [vx, vy, vw, vh] = logo.view;
        let scale = height / vh;
        self.artifact();
        self.raw("q", &[]);
        // viewBox units, y down → points, y up.
        self.raw(
            "cm",
            &[scale, 0.0, 0.0, -scale, x - vx * scale, top + vy * scale],
        );
        for shape in &logo.shapes {
            self.raw("q", &[]);
            for clip in &shape.clips {
                self.path(&clip.path);
                self.raw(if clip.even_odd { "W*" } else { "W" }, &[]);
                self.raw("n", &[]);
            }
            if let Some([r, g, b]) = shape.fill {
                self.raw("rg", &[r, g, b]);
            }
            if let Some(stroke) = &shape.stroke {
                let [r, g, b] = stroke.color;
                self.raw("RG", &[r, g, b]);
                self.raw("w", &[stroke.width]);
                let join = match stroke.join {
                    Join::Miter => 0.0,
                    Join::Round => 1.0,
                    Join::Bevel => 2.0,
                };
                self.raw("j", &[join]);
                let cap = match stroke.cap {
                    Cap::Butt => 0.0,
                    Cap::Round => 1.0,
                    Cap::Square => 2.0,
                };
                self.raw("J", &[cap]);
            }
            self.path(&shape.path);
            let paint = match (shape.fill.is_some(), shape.stroke.is_some(), shape.even_odd) {
                (true, true, false) => "B",
                (true, true, true) => "B*",
                (true, false, false) => "f",
                (true, false, true) => "f*",
                (false, true, _) => "S",
                (false, false, _) => "n",
            };
            self.raw(paint, &[]);
            self.raw("Q", &[]);
        }
        self.raw("Q", &[]);
        // The graphics state is back to what it was, but the cached colours are not known to match.
        self.fill = None;
        self.stroke = None;
        vw * scale
    }

    // -- pages --------------------------------------------------------------------------

    fn wrap(&self, style: Style, text: &str, width: f32) -> Vec<String> {
        self.fonts.face(style.bold).wrap(text, style.size, width)
    }

    fn space_left(&self) -> f32 {
        self.y - BOTTOM
    }

    fn at_page_top(&self) -> bool {
        self.y >= TOP - 0.01
    }

    fn new_page(&mut self) {
        self.close_marked();
        self.pages.push(mem::take(&mut self.ops));
        self.tree.parent_tree.push(Vec::new());
        self.y = TOP;
        self.fill = None;
        self.stroke = None;
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty).
    fn ensure(&mut self, height: f32) {
        if height > self.space_left() && !self.at_page_top() {
            self.new_page();
        }
    }

    /// Vertical space between blocks; none at the top of a page.
    fn gap(&mut self, height: f32) {
        if !self.at_page_top() {
            self.y = (self.y - height).max(BOTTOM);
        }
    }

    /// Draws wrapped `lines` as content of `elem`, breaking pages between lines.
    fn lines(&mut self, elem: usize, style: Style, x: f32, lines: &[String]) {
        for line in lines {
            self.ensure(style.lh);
            if !line.is_empty() {
                self.mark(elem);
                self.show(style, x, baseline(self.y, style), line);
            }
            self.y -= style.lh;
        }
    }

    /// A new element `tag` under `parent` holding `text`, wrapped to the full width.
    fn text_elem(&mut self, parent: usize, tag: &'static str, style: Style, text: &str) {
        let lines = self.wrap(style, text, CONTENT_W);
        let elem = self.elem(tag, parent);
        self.lines(elem, style, MARGIN, &lines);
    }

    fn finish(mut self, footer: &str) -> (Vec<PdfPage>, Tree) {
        self.close_marked();
        self.pages.push(mem::take(&mut self.ops));
        let mut pages = mem::take(&mut self.pages);
        let total = pages.len();
        let mut out = Vec::with_capacity(total);
        for (index, ops) in pages.iter_mut().enumerate() {
            self.ops = mem::take(ops);
            self.fill = None;
            self.stroke = None;
            self.footer(footer, index + 1, total);
            out.push(PdfPage::new(Mm(210.0), Mm(297.0), mem::take(&mut self.ops)));
        }
        (out, self.tree)
    }

    fn footer(&mut self, text: &str, page: usize, total: usize) {
        self.close_marked();
        let mut props = std::collections::BTreeMap::new();
        props.insert("Type".to_owned(), DictItem::Name(b"Pagination".to_vec()));
        props.insert("Subtype".to_owned(), DictItem::Name(b"Footer".to_vec()));
        self.ops.push(Op::BeginMarkedContentWithProperties {
            tag: "Artifact".to_owned(),
            properties: DictItem::Dict { map: props },
        });
        self.open = Open::Artifact;
        self.hline(
            MARGIN,
            PAGE_W - MARGIN,
            FOOTER_BASELINE + SMALL.lh,
            GREY_LIGHT_RULE,
            0.5,
        );
        let number = format!("{page} / {total}");
        let number_w = self.fonts.face(SMALL.bold).text_width(&number, SMALL.size);
        self.show(SMALL, PAGE_W - MARGIN - number_w, FOOTER_BASELINE, &number);
        let first = self
            .wrap(SMALL, text, CONTENT_W - number_w - 12.0)
            .into_iter()
            .next();
        if let Some(line) = first {
            self.show(SMALL, MARGIN, FOOTER_BASELINE, &line);
        }
        self.close_marked();
    }

    // -- blocks -------------------------------------------------------------------------

    /// Logo, header line and title on page 1.
    fn front(&mut self, doc: &PdfDoc) {
        let logo_w = match &doc.logo {
            Some(logo) => self.logo(logo, MARGIN, self.y, LOGO_H) + LOGO_GAP,
            None => 0.0,
        };
        let has_header = !doc.header.trim().is_empty();
        if has_header {
            // Beside a logo the municipality's name is a letterhead: larger, its lines centred on the
            // logo's height.
            let style = if logo_w > 0.0 { LETTERHEAD } else { SMALL };
            let lines = self.wrap(style, &doc.header, CONTENT_W - logo_w);
            if logo_w > 0.0 {
                let text_h = style.lh * lines.len() as f32;
                self.y -= ((LOGO_H - text_h) / 2.0).max(0.0);
            }
            let elem = self.elem("P", DOCUMENT);
            self.lines(elem, style, MARGIN + logo_w, &lines);
        }
        if logo_w > 0.0 {
            self.y = self.y.min(TOP - LOGO_H);
        }
        if has_header || logo_w > 0.0 {
            let y = self.y - 3.0;
            self.hline(MARGIN, PAGE_W - MARGIN, y, GREY_LIGHT_RULE, 0.5);
            self.y -= 12.0;
        }
        if !doc.title.trim().is_empty() {
            self.text_elem(DOCUMENT, "H1", TITLE, &doc.title);
            self.gap(10.0);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(text) => self.heading(text),
            Block::Paragraph(text) => {
                self.text_elem(DOCUMENT, "P", BODY, text);
                self.gap(8.0);
            }
            Block::Answer { label, value } => self.answer(label, value),
            Block::Table { headers, rows } => self.table(headers, rows),
            Block::Bullets(items) => self.bullets(items),
            Block::BlankText { label, hint, lines } => {
                self.blank_text(label, hint.as_deref(), *lines);
            }
            Block::BlankChoice {
                label,
                hint,
                options,
            } => {
                self.blank_choice(label, hint.as_deref(), options);
            }
        }
    }

    fn heading(&mut self, text: &str) {
        self.gap(6.0);
        let lines = self.wrap(HEADING, text, CONTENT_W);
        // Keep the heading with two lines of what follows.
        self.ensure(lines.len() as f32 * HEADING.lh + 2.0 * BODY.lh);
        let elem = self.elem("H2", DOCUMENT);
        self.lines(elem, HEADING, MARGIN, &lines);
        self.gap(4.0);
    }

    /// Label and optional hint of a blank field, kept together with `keep` points of what
    /// follows.
    fn field_label(&mut self, parent: usize, label: &str, hint: Option<&str>, keep: f32) {
        let label_lines = self.wrap(LABEL, label, CONTENT_W);
        let hint_lines = match hint {
            Some(h) if !h.trim().is_empty() => self.wrap(HINT, h, CONTENT_W),
            _ => Vec::new(),
        };
        self.ensure(label_lines.len() as f32 * LABEL.lh + hint_lines.len() as f32 * HINT.lh + keep);
        let elem = self.elem("P", parent);
        self.lines(elem, LABEL, MARGIN, &label_lines);
        if !hint_lines.is_empty() {
            let elem = self.elem("P", parent);
            self.lines(elem, HINT, MARGIN, &hint_lines);
        }
    }

    fn answer(&mut self, label: &str, value: &str) {
        let div = self.elem("Div", DOCUMENT);
        let value_lines = if value.trim().is_empty() {
            Vec::new()
        } else {
            self.wrap(BODY, value, CONTENT_W)
        };
        let keep = if value_lines.is_empty() {
            0.0
        } else {
            BODY.lh + 1.0
        };
        self.field_label(div, label, None, keep);
        if !value_lines.is_empty() {
            self.y -= 1.0;
            let elem = self.elem("P", div);
            self.lines(elem, BODY, MARGIN, &value_lines);
        }
        self.gap(8.0);
    }

    fn bullets(&mut self, items: &[String]) {
        let list = self.elem("L", DOCUMENT);
        for item in items {
            let lines = self.wrap(BODY, item, CONTENT_W - BULLET_INDENT);
            let li = self.elem("LI", list);
            let lbl = self.elem("Lbl", li);
            let body = self.elem("LBody", li);
            for (i, line) in lines.iter().enumerate() {
                self.ensure(BODY.lh);
                let base = baseline(self.y, BODY);
                if i == 0 {
                    self.mark(lbl);
                    self.show(BODY, MARGIN + 3.0, base, "•");
                }
                if !line.is_empty() {
                    self.mark(body);
                    self.show(BODY, MARGIN + BULLET_INDENT, base, line);
                }
                self.y -= BODY.lh;
            }
            self.y -= 2.0;
        }
        self.gap(6.0);
    }

    fn blank_text(&mut self, label: &str, hint: Option<&str>, lines: u32) {
        let div = self.elem("Div", DOCUMENT);
        let rows = lines.max(1);
        // Keep the label with (up to) three writing lines.
        let keep = 3.0 + rows.min(3) as f32 * WRITING_LINE;
        self.field_label(div, label, hint, keep);
        self.y -= 3.0;
        let mut left = rows;
        while left > 0 {
            let mut fit = (self.space_left() / WRITING_LINE).floor().max(0.0) as u32;
            if fit == 0 {
                if !self.at_page_top() {
                    self.new_page();
                    continue;
                }
                fit = 1;
            }
            let n = fit.min(left);
            let height = n as f32 * WRITING_LINE;
            let bottom = self.y - height;
            for k in 1..n {
                let y = self.y - k as f32 * WRITING_LINE;
                self.hline(MARGIN + 6.0, PAGE_W - MARGIN - 6.0, y, GREY_LIGHT_RULE, 0.4);
            }
            self.stroke_rect(MARGIN, bottom, CONTENT_W, height, GREY_RULE, 0.75);
            self.y = bottom;
            left -= n;
            if left > 0 {
                self.new_page();
            }
        }
        self.gap(12.0);
    }

    fn blank_choice(&mut self, label: &str, hint: Option<&str>, options: &[String]) {
        let div = self.elem("Div", DOCUMENT);
        self.field_label(div, label, hint, 3.0 + BODY.lh);
        self.y -= 3.0;
        let list = self.elem("L", div);
        for option in options {
            let lines = self.wrap(BODY, option, CONTENT_W - CHOICE_INDENT);
            let li = self.elem("LI", list);
            let body = self.elem("LBody", li);
            for (i, line) in lines.iter().enumerate() {
                self.ensure(BODY.lh);
                if i == 0 {
                    let box_y = self.y - BODY.lh / 2.0 - TICK_BOX / 2.0;
                    self.stroke_rect(MARGIN + 1.0, box_y, TICK_BOX, TICK_BOX, GREY_RULE, 0.75);
                }
                if !line.is_empty() {
                    self.mark(body);
                    self.show(BODY, MARGIN + CHOICE_INDENT, baseline(self.y, BODY), line);
                }
                self.y -= BODY.lh;
            }
            self.y -= 4.0;
        }
        self.gap(8.0);
    }

    fn table(&mut self, headers: &[String], rows: &[Vec<String>]) {
        let columns = rows
            .iter()
            .map(Vec::len)
            .chain([headers.len()])
            .max()
            .unwrap_or(0);
        if columns == 0 {
            return;
        }
        let col_w = CONTENT_W / columns as f32;
        let text_w = col_w - 2.0 * CELL_PAD;
        let table = self.elem("Table", DOCUMENT);

        let header_row = if headers.is_empty() {
            None
        } else {
            let tr = self.elem("TR", table);
            let cells: Vec<Cell> = (0..columns)
                .map(|i| {
                    let text = headers.get(i).map_or("", String::as_str);
                    let elem = self.elem("TH", tr);
                    if let Some(e) = self.tree.elems.get_mut(elem) {
                        e.column_header = true;
                    }
                    Cell {
                        elem,
                        lines: self.wrap(CELL_HEAD, text, text_w),
                    }
                })
                .collect();
            Some(cells)
        };
        let header_h = header_row
            .as_ref()
            .map_or(0.0, |cells| row_height(cells, CELL_HEAD));
        // Repeat the header after a page break unless it is unreasonably tall.
        let repeat = header_row
            .as_deref()
            .filter(|_| header_h <= (TOP - BOTTOM) / 3.0);
        let first_row_h = CELL.lh + 2.0 * CELL_PAD;

        self.gap(2.0);
        self.ensure(header_h + first_row_h);
        if let Some(cells) = &header_row {
            self.table_row(cells, CELL_HEAD, col_w, None);
        }
        for row in rows {
            let tr = self.elem("TR", table);
            let cells: Vec<Cell> = (0..columns)
                .map(|i| {
                    let text = row.get(i).map_or("", String::as_str);
                    let elem = self.elem("TD", tr);
                    Cell {
                        elem,
                        lines: self.wrap(CELL, text, text_w),
                    }
                })
                .collect();
            self.table_row(&cells, CELL, col_w, repeat);
        }
        self.gap(10.0);
    }

    /// Draws one table row, split over pages if it is taller than the space left. After
    /// each page break the `repeat` row (the table header) is drawn again as an artifact.
    fn table_row(&mut self, cells: &[Cell], style: Style, col_w: f32, repeat: Option<&[Cell]>) {
        let total = cells
            .iter()
            .map(|c| c.lines.len())
            .max()
            .unwrap_or(0)
            .max(1);
        let full_h = total as f32 * style.lh + 2.0 * CELL_PAD;
        let repeat_h = repeat.map_or(0.0, |r| row_height(r, CELL_HEAD));
        if full_h > self.space_left() && full_h <= TOP - BOTTOM - repeat_h && !self.at_page_top() {
            self.table_page_break(col_w, repeat);
        }
        let mut start = 0;
        while start < total {
            let room = (self.space_left() - 2.0 * CELL_PAD) / style.lh;
            let mut fit = room.floor().max(0.0) as usize;
            if fit == 0 {
                if !self.at_page_top() {
                    self.table_page_break(col_w, repeat);
                    continue;
                }
                fit = 1;
            }
            let n = fit.min(total - start);
            self.row_slice(cells, style, col_w, start, n, false);
            start += n;
            if start < total {
                self.table_page_break(col_w, repeat);
            }
        }
    }

    fn table_page_break(&mut self, col_w: f32, repeat: Option<&[Cell]>) {
        self.new_page();
        if let Some(cells) = repeat {
            let total = cells
                .iter()
                .map(|c| c.lines.len())
                .max()
                .unwrap_or(0)
                .max(1);
            self.row_slice(cells, CELL_HEAD, col_w, 0, total, true);
        }
    }

    /// Lines `start..start + n` of every cell of a row, with cell borders. A header row
    /// gets a grey background.
    fn row_slice(
        &mut self,
        cells: &[Cell],
        style: Style,
        col_w: f32,
        start: usize,
        n: usize,
        as_artifact: bool,
    ) {
        let height = n as f32 * style.lh + 2.0 * CELL_PAD;
        let top = self.y;
        let bottom = top - height;
        if style.bold {
            self.fill_rect(MARGIN, bottom, CONTENT_W, height, GREY_HEADER_FILL);
        }
        for (i, cell) in cells.iter().enumerate() {
            let x = MARGIN + i as f32 * col_w + CELL_PAD;
            for (k, line) in cell.lines.iter().skip(start).take(n).enumerate() {
                if line.is_empty() {
                    continue;
                }
                if as_artifact {
                    self.artifact();
                } else {
                    self.mark(cell.elem);
                }
                let line_top = top - CELL_PAD - k as f32 * style.lh;
                self.show(style, x, baseline(line_top, style), line);
            }
        }
        for i in 0..cells.len() {
            let x = MARGIN + i as f32 * col_w;
            self.stroke_rect(x, bottom, col_w, height, GREY_RULE, 0.5);
        }
        self.y = bottom;
    }
}

fn row_height(cells: &[Cell], style: Style) -> f32 {
    let lines = cells
        .iter()
        .map(|c| c.lines.len())
        .max()
        .unwrap_or(0)
        .max(1);
    lines as f32 * style.lh + 2.0 * CELL_PAD
}

/// Baseline of a line of text whose line box starts at `top`: glyphs (ascent 0.93 em,
/// descent 0.24 em for DejaVu Sans) are centred in the line box.
fn baseline(top: f32, style: Style) -> f32 {
    let half_leading = (style.lh - 1.17 * style.size) / 2.0;
    top - half_leading - 0.93 * style.size
}

fn grey_color(grey: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: grey,
        icc_profile: None,
    })
}

fn rect(x: f32, y: f32, w: f32, h: f32, mode: PaintMode) -> Rect {
    Rect {
        x: Pt(x),
        y: Pt(y),
        width: Pt(w),
        height: Pt(h),
        mode: Some(mode),
        winding_order: None,
    }
}

// ---------------------------------------------------------------------------------------
// Completing the PDF printpdf built: structure tree, /Lang, /MarkInfo, XMP, dates.

fn name(n: &str) -> Object {
    Object::Name(n.as_bytes().to_vec())
}

fn missing(what: &str) -> PdfError {
    PdfError::Structure(what.to_owned())
}

fn complete(
    lo: &mut lopdf::Document,
    doc: &PdfDoc,
    lang: &str,
    tree: &Tree,
) -> Result<(), PdfError> {
    // Structure trees, /Lang and marked content need PDF 1.4+; printpdf writes 1.3.
    lo.version = "1.7".to_owned();

    let page_ids: Vec<ObjectId> = lo.get_pages().into_values().collect();
    if page_ids.len() != tree.parent_tree.len() {
        return Err(missing("page count differs from the layout"));
    }
    let page_id = |p: usize| page_ids.get(p).copied().ok_or_else(|| missing("page"));

    let root_id = lo.new_object_id();
    let elem_ids: Vec<ObjectId> = tree.elems.iter().map(|_| lo.new_object_id()).collect();
    let elem_id = |e: usize| elem_ids.get(e).copied().ok_or_else(|| missing("element"));

    for (index, elem) in tree.elems.iter().enumerate() {
        let mut dict = Dictionary::new();
        dict.set("Type", name("StructElem"));
        dict.set("S", name(elem.tag));
        let parent = if index == DOCUMENT {
            root_id
        } else {
            elem_id(elem.parent)?
        };
        dict.set("P", Object::Reference(parent));
        let first_page = elem.kids.iter().find_map(|k| match k {
            Kid::Content { page, .. } => Some(*page),
            Kid::Elem(_) => None,
        });
        if let Some(page) = first_page {
            dict.set("Pg", Object::Reference(page_id(page)?));
        }
        let mut kids = Vec::with_capacity(elem.kids.len());
        for kid in &elem.kids {
            kids.push(match kid {
                Kid::Elem(e) => Object::Reference(elem_id(*e)?),
                Kid::Content { page, mcid } if Some(*page) == first_page => {
                    Object::Integer(*mcid as i64)
                }
                Kid::Content { page, mcid } => Object::Dictionary(Dictionary::from_iter([
                    ("Type", name("MCR")),
                    ("Pg", Object::Reference(page_id(*page)?)),
                    ("MCID", Object::Integer(*mcid as i64)),
                ])),
            });
        }
        dict.set("K", Object::Array(kids));
        if elem.column_header {
            dict.set(
                "A",
                Dictionary::from_iter([("O", name("Table")), ("Scope", name("Column"))]),
            );
        }
        lo.set_object(elem_id(index)?, dict);
    }

    let mut nums = Vec::with_capacity(2 * tree.parent_tree.len());
    for (page, mcids) in tree.parent_tree.iter().enumerate() {
        let refs = mcids
            .iter()
            .map(|e| elem_id(*e).map(Object::Reference))
            .collect::<Result<Vec<_>, _>>()?;
        nums.push(Object::Integer(page as i64));
        nums.push(Object::Array(refs));
        let page_dict = lo
            .get_dictionary_mut(page_id(page)?)
            .map_err(|e| PdfError::Structure(format!("page: {e}")))?;
        page_dict.set("StructParents", Object::Integer(page as i64));
        page_dict.set("Tabs", name("S"));
    }
    let parent_tree = lo.add_object(Dictionary::from_iter([("Nums", Object::Array(nums))]));
    lo.set_object(
        root_id,
        Dictionary::from_iter([
            ("Type", name("StructTreeRoot")),
            ("K", Object::Reference(elem_id(DOCUMENT)?)),
            ("ParentTree", Object::Reference(parent_tree)),
            (
                "ParentTreeNextKey",
                Object::Integer(tree.parent_tree.len() as i64),
            ),
        ]),
    );

    let xmp = Stream::new(
        Dictionary::from_iter([("Type", name("Metadata")), ("Subtype", name("XML"))]),
        xmp_metadata(doc, lang).into_bytes(),
    )
    .with_compression(false);
    let xmp_id = lo.add_object(xmp);
    // PDF/A: how to read the colours (sRGB), and an identifier of the file in its trailer.
    let profile = lo.add_object(
        Stream::new(
            Dictionary::from_iter([("N", Object::Integer(3))]),
            super::icc::srgb(),
        )
        .with_compression(true),
    );
    let output_intent = lo.add_object(Dictionary::from_iter([
        ("Type", name("OutputIntent")),
        ("S", name("GTS_PDFA1")),
        (
            "OutputConditionIdentifier",
            Object::string_literal("sRGB IEC61966-2.1"),
        ),
        ("Info", Object::string_literal("sRGB IEC61966-2.1")),
        ("DestOutputProfile", Object::Reference(profile)),
    ]));
    let id = file_id(doc);
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );

    let catalog = lo
        .catalog_mut()
        .map_err(|e| PdfError::Structure(format!("catalog: {e}")))?;
    catalog.set("StructTreeRoot", Object::Reference(root_id));
    catalog.set(
        "MarkInfo",
        Dictionary::from_iter([("Marked", Object::Boolean(true))]),
    );
    catalog.set("Lang", Object::string_literal(lang));
    catalog.set(
        "ViewerPreferences",
        Dictionary::from_iter([("DisplayDocTitle", Object::Boolean(true))]),
    );
    catalog.set("Metadata", Object::Reference(xmp_id));
    catalog.set(
        "OutputIntents",
        Object::Array(vec![Object::Reference(output_intent)]),
    );

    // The Info dictionary: printpdf writes the dates as if they were UTC, an empty
    // Identifier and Keywords, and a PDF/X version although the file is not PDF/X.
    let info_id = lo
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .map_err(|e| PdfError::Structure(format!("info: {e}")))?;
    let info = lo
        .get_dictionary_mut(info_id)
        .map_err(|e| PdfError::Structure(format!("info: {e}")))?;
    for key in ["GTS_PDFXVersion", "Trapped", "Identifier", "Keywords"] {
        info.remove(key.as_bytes());
    }
    if doc.subject.as_deref().is_none_or(str::is_empty) {
        info.remove(b"Subject");
    }
    let date = Object::String(pdf_date(doc.created).into_bytes(), StringFormat::Literal);
    info.set("CreationDate", date.clone());
    info.set("ModDate", date);
    Ok(())
}

/// `D:YYYYMMDDHHmmSS+HH'mm'`
fn pdf_date(t: OffsetDateTime) -> String {
    let (sign, h, m) = offset_parts(t.offset());
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}{sign}{h:02}'{m:02}'",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `YYYY-MM-DDTHH:mm:SS+HH:mm`
fn xmp_date(t: OffsetDateTime) -> String {
    let (sign, h, m) = offset_parts(t.offset());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{h:02}:{m:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn offset_parts(offset: UtcOffset) -> (char, u8, u8) {
    let seconds = offset.whole_seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let h = u8::try_from(abs / 3600).unwrap_or(0);
    let m = u8::try_from(abs % 3600 / 60).unwrap_or(0);
    (sign, h, m)
}

/// Escapes text for XML, dropping control characters XML 1.0 does not allow.
fn xml_escape(s: &str) -> Cow<'_, str> {
    let plain = |c: char| {
        !matches!(c, '&' | '<' | '>' | '"' | '\'')
            && (!c.is_control() || matches!(c, '\t' | '\n' | '\r'))
    };
    if s.chars().all(plain) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The file identifier of the trailer: the first 16 bytes of SHA-256 over the title, subject and time,
/// so the same document always gets the same identifier.
fn file_id(doc: &PdfDoc) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [
        doc.title.as_str(),
        doc.subject.as_deref().unwrap_or(""),
        &doc.created.unix_timestamp().to_string(),
    ] {
        h.update(part.len().to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().take(16).copied().collect()
}

fn xmp_metadata(doc: &PdfDoc, lang: &str) -> String {
    let date = xmp_date(doc.created);
    let description = match doc.subject.as_deref() {
        Some(s) if !s.is_empty() => format!(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            xml_escape(s)
        ),
        _ => String::new(),
    };
    format!(
        "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
<rdf:Description rdf:about=\"\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" \
xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
<dc:format>application/pdf</dc:format>\n\
<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n\
{description}\
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>\n\
<xmp:CreateDate>{date}</xmp:CreateDate>\n\
<xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
<xmp:MetadataDate>{date}</xmp:MetadataDate>\n\
<xmp:CreatorTool>{creator}</xmp:CreatorTool>\n\
<pdf:Producer>{producer}</pdf:Producer>\n\
</rdf:Description>\n\
<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" \
xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n\
<pdfaid:part>2</pdfaid:part>\n\
<pdfaid:conformance>U</pdfaid:conformance>\n\
<pdfuaid:part>1</pdfuaid:part>\n\
</rdf:Description>\n\
<rdf:Description rdf:about=\"\" \
xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n\
<pdfaSchema:schema>PDF/UA identification</pdfaSchema:schema>\n\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n\
<pdfaProperty:name>part</pdfaProperty:name>\n\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n\
<pdfaProperty:category>internal</pdfaProperty:category>\n\
<pdfaProperty:description>The part of ISO 14289 (PDF/UA) the file follows</pdfaProperty:description>\n\
</rdf:li></rdf:Seq></pdfaSchema:property>\n\
</rdf:li></rdf:Bag></pdfaExtension:schemas>\n\
</rdf:Description>\n\
</rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"w\"?>",
        title = xml_escape(&doc.title),
        author = xml_escape(&doc.author),
        creator = xml_escape(CREATOR),
        producer = xml_escape(PRODUCER),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::process::Command;
    use std::sync::OnceLock;

    fn fonts() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts::load().unwrap())
    }

    /// 2026-01-05 10:00:00 +01:00
    fn created() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_767_603_600)
            .unwrap()
            .to_offset(UtcOffset::from_hms(1, 0, 0).unwrap())
    }

    fn doc(title: &str, blocks: Vec<Block>) -> PdfDoc {
        PdfDoc {
            title: title.to_owned(),
            author: "Ærøy kommune".to_owned(),
            subject: Some("Søknad om støtte".to_owned()),
            lang: "nb".to_owned(),
            created: created(),
            header: "Ærøy kommune – Tjenestetorget".to_owned(),
            logo: None,
            footer: "Referanse 2026-00017".to_owned(),
            blocks,
        }
    }

    fn answer(label: &str, value: &str) -> Block {
        Block::Answer {
            label: label.to_owned(),
            value: value.to_owned(),
        }
    }

    /// `answers` answers with a 10-row table in the middle (40 answers: 3 pages).
    fn large_submission(answers: u32) -> PdfDoc {
        let mut blocks = vec![Block::Heading("Opplysninger om søker".to_owned())];
        for i in 1..=answers {
            let value = match i % 4 {
                0 => format!("Svar nummer {i}: Ærlig Østby Åsen, «Storgata» {i}, 9999 Ørsta."),
                1 => "Ja".to_owned(),
                2 => format!("{i} 000 €"),
                _ => format!(
                    "Dette er et lengre svar på spørsmål {i}, som går over flere linjer fordi \
                     søkeren hadde mye å si om saken – både om bakgrunnen og om det som skjer nå."
                ),
            };
            blocks.push(answer(&format!("Spørsmål {i}: Hva er ditt svar?"), &value));
            if i == answers / 2 {
                blocks.push(Block::Table {
                    headers: vec!["Navn".into(), "Fødselsdato".into(), "Relasjon".into()],
                    rows: (1..=10)
                        .map(|r| {
                            vec![
                                format!("Barn Ærlig {r}"),
                                format!("{r:02}.0{}.2015", r % 9 + 1),
                                "Barn".into(),
                            ]
                        })
                        .collect(),
                });
            }
        }
        doc("Søknad om startlån – Ærøy", blocks)
    }

    fn many_answers(n: u32) -> PdfDoc {
        let blocks = (1..=n)
            .map(|i| {
                answer(
                    &format!("Spørsmål {i}"),
                    &format!("Svar {i}: æøå ÆØÅ – «ok»"),
                )
            })
            .collect();
        doc("Mange svar", blocks)
    }

    fn every_block_kind() -> PdfDoc {
        let long_word: String = "æøåÆØÅ0123456789".repeat(13).chars().take(200).collect();
        doc(
            "Alle blokktyper – «test» æøå",
            vec![
                Block::Heading("Overskrift ÆØÅ".into()),
                Block::Paragraph(format!("Et avsnitt med et langt ord: {long_word} og mer tekst etterpå.")),
                answer("Adresse", "Storgata 1\n9999 Ørsta\n\nNorge"),
                answer("Tomt svar", ""),
                Block::Table {
                    headers: vec!["Vedlegg".into(), "Størrelse".into()],
                    rows: vec![
                        vec!["søknad.pdf".into(), "120 kB".into()],
                        vec!["bilde-av-en-veldig-lang-filnavn-uten-mellomrom-som-må-brytes.jpg".into()],
                    ],
                },
                Block::Bullets(vec![
                    "Kopi av skattemelding".into(),
                    "Lønnsslipp for de siste tre månedene, med en lang forklaring som må brytes over flere linjer i listen".into(),
                ]),
                Block::BlankText {
                    label: "Beskriv behovet".into(),
                    hint: Some("Skriv tydelig med blokkbokstaver".into()),
                    lines: 4,
                },
                Block::BlankChoice {
                    label: "Sivilstand".into(),
                    hint: None,
                    options: vec!["Gift".into(), "Samboer".into(), "Enslig".into()],
                },
                Block::BlankText { label: "Underskrift".into(), hint: None, lines: 1 },
            ],
        )
    }

    fn long_table() -> PdfDoc {
        let rows = (1..=90)
            .map(|r| vec![format!("Person {r}"), "01.01.2000".into(), "Barn".into()])
            .collect();
        let table = Block::Table {
            headers: vec!["Navn".into(), "Fødselsdato".into(), "Relasjon".into()],
            rows,
        };
        doc("Tabell", vec![table])
    }

    fn tall_box_form() -> PdfDoc {
        let blocks = vec![
            Block::Paragraph("Innledning".into()),
            Block::BlankText {
                label: "Forklar".into(),
                hint: None,
                lines: 40,
            },
            Block::BlankChoice {
                label: "Valg".into(),
                hint: Some("Kryss av én".into()),
                options: vec!["Ja".into(), "Nei".into()],
            },
        ];
        doc("Skjema", blocks)
    }

    fn write_tmp(name: &str, bytes: &[u8]) -> PathBuf {
        let path =
            std::env::temp_dir().join(format!("radhus-pdf-{}-{name}.pdf", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn run(cmd: &str, args: &[&str], path: &PathBuf) -> String {
        let out = Command::new(cmd)
            .args(args)
            .arg(path)
            .arg("-")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{cmd} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn pdfinfo(path: &PathBuf, args: &[&str]) -> String {
        let out = Command::new("pdfinfo")
            .args(args)
            .arg(path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pdfinfo failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn info_field(info: &str, key: &str) -> String {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .unwrap_or_else(|| panic!("no {key} in pdfinfo output:\n{info}"))
            .trim()
            .to_owned()
    }

    fn pages(path: &PathBuf) -> usize {
        info_field(&pdfinfo(path, &[]), "Pages").parse().unwrap()
    }

    /// Every word pdftotext finds lies inside the margins, or in the footer band.
    fn assert_inside_margins(path: &PathBuf) {
        let html = run("pdftotext", &["-bbox"], path);
        let attr = |tag: &str, name: &str| -> f32 {
            let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            let rest = tag.get(start..).unwrap();
            rest.get(..rest.find('"').unwrap())
                .unwrap()
                .parse()
                .unwrap()
        };
        let mut words = 0;
        for tag in html.split("<word ").skip(1) {
            words += 1;
            let (x0, x1) = (attr(tag, "xMin"), attr(tag, "xMax"));
            let (y0, y1) = (attr(tag, "yMin"), attr(tag, "yMax"));
            assert!(
                x0 >= MARGIN - 0.5 && x1 <= PAGE_W - MARGIN + 0.5,
                "word outside x margins: {tag}"
            );
            let in_content = y0 >= MARGIN - 3.0 && y1 <= PAGE_H - BOTTOM + 3.0;
            let in_footer = y0 >= PAGE_H - 16.0 * PT_PER_MM && y1 <= PAGE_H - 8.0 * PT_PER_MM;
            assert!(
                in_content || in_footer,
                "word outside the page's text area: {tag}"
            );
        }
        assert!(words > 0);
    }

    /// The footer's "n / m" (pdftotext sometimes drops the spaces around the slash).
    fn has_page_number(text: &str, n: usize, m: usize) -> bool {
        text.contains(&format!("{n} / {m}")) || text.contains(&format!("{n}/{m}"))
    }

    #[test]
    fn fonts_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Fonts>();
    }

    #[test]
    fn norwegian_text_is_extractable_and_metadata_is_set() {
        let d = doc(
            "Vedtak – Ærlig Østby Åsen",
            vec![
                Block::Heading("Søknad om støtte".into()),
                Block::Paragraph("Søker: Ærøy æøå ÆØÅ – «sitat» koster 100 €.".into()),
                answer("Fødselsnummer og navn", "Åse Øvergård Blåbær"),
            ],
        );
        let path = write_tmp("norwegian", &render(fonts(), &d).unwrap());
        let text = run("pdftotext", &[], &path);
        for s in [
            "Vedtak – Ærlig Østby Åsen",
            "Ærøy kommune – Tjenestetorget",
            "Søknad om støtte",
            "Søker: Ærøy æøå ÆØÅ – «sitat» koster 100 €.",
            "Fødselsnummer og navn",
            "Åse Øvergård Blåbær",
            "Referanse 2026-00017",
        ] {
            assert!(text.contains(s), "{s:?} missing from:\n{text}");
        }
        assert!(has_page_number(&text, 1, 1), "{text}");
        let info = pdfinfo(&path, &[]);
        assert_eq!(info_field(&info, "Title"), "Vedtak – Ærlig Østby Åsen");
        assert_eq!(info_field(&info, "Author"), "Ærøy kommune");
        assert_eq!(info_field(&info, "Subject"), "Søknad om støtte");
        assert_eq!(info_field(&info, "Pages"), "1");
        assert_eq!(info_field(&info, "Tagged"), "yes");
        assert_eq!(info_field(&info, "Page size"), "595.276 x 841.89 pts (A4)");
        let created = info_field(&pdfinfo(&path, &["-isodates"]), "CreationDate");
        assert_eq!(created, "2026-01-05T10:00:00+01");
        assert!(!info.contains("1970"), "{info}");
        let meta = pdfinfo(&path, &["-meta"]);
        assert!(
            meta.contains("<rdf:li xml:lang=\"x-default\">Vedtak – Ærlig Østby Åsen</rdf:li>"),
            "{meta}"
        );
        assert!(meta.contains("<rdf:li>nb</rdf:li>"), "{meta}");
        let parsed = lopdf::Document::load(&path).unwrap();
        let catalog = parsed.catalog().unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"nb");
        let mark_info = catalog.get(b"MarkInfo").unwrap().as_dict().unwrap();
        assert!(mark_info.get(b"Marked").unwrap().as_bool().unwrap());
        let prefs = catalog
            .get(b"ViewerPreferences")
            .unwrap()
            .as_dict()
            .unwrap();
        assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
        assert!(
            catalog
                .get(b"StructTreeRoot")
                .unwrap()
                .as_reference()
                .is_ok()
        );
        // PDF/A-2u and PDF/UA-1, said in the XMP (with the extension schema PDF/A wants for pdfuaid),
        // an sRGB output intent and a file identifier.
        for s in [
            "<pdfaid:part>2</pdfaid:part>",
            "<pdfaid:conformance>U</pdfaid:conformance>",
            "<pdfuaid:part>1</pdfuaid:part>",
            "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
        ] {
            assert!(meta.contains(s), "{s} in {meta}");
        }
        let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
        let intent = parsed
            .get_dictionary(intents[0].as_reference().unwrap())
            .unwrap();
        assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
        let profile = parsed
            .get_object(
                intent
                    .get(b"DestOutputProfile")
                    .unwrap()
                    .as_reference()
                    .unwrap(),
            )
            .unwrap()
            .as_stream()
            .unwrap();
        assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
        let icc = profile.decompressed_content().unwrap();
        assert_eq!(&icc[36..40], b"acsp");
        let ids = parsed.trailer.get(b"ID").unwrap().as_array().unwrap();
        assert_eq!(ids.len(), 2);
        assert_eq!(ids[0].as_str().unwrap().len(), 16);
        let fonts = Command::new("pdffonts").arg(&path).output().unwrap();
        let fonts = String::from_utf8(fonts.stdout).unwrap();
        assert_eq!(fonts.matches("DejaVuSans").count(), 2, "{fonts}");
        for line in fonts.lines().skip(2) {
            assert!(
                line.contains(" yes yes yes "),
                "font not embedded+subset+unicode: {line}"
            );
        }
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn structure_tree_matches_the_content() {
        let path = write_tmp("struct", &render(fonts(), &every_block_kind()).unwrap());
        let tree = pdfinfo(&path, &["-struct-text"]);
        for s in [
            "Document",
            "H1 (block)",
            "\"Alle blokktyper – «test» æøå\"",
            "H2 (block)",
            "Table (block)",
            "TR",
            "TH:",
            "/Scope /Column",
            "\"Vedlegg\"",
            "TD",
            "\"søknad.pdf\"",
            "L (block)",
            "LI (block)",
            "LBody (block)",
            "\"Kopi av skattemelding\"",
            "\"Gift\"",
        ] {
            assert!(
                tree.contains(s),
                "{s:?} missing from structure tree:\n{tree}"
            );
        }
        // Footer and repeated headers are artifacts, not content.
        assert!(!tree.contains("Referanse"), "{tree}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn every_block_kind_renders_inside_the_margins() {
        let d = every_block_kind();
        let path = write_tmp("every", &render(fonts(), &d).unwrap());
        let text = run("pdftotext", &[], &path);
        for s in [
            "Overskrift ÆØÅ",
            "Storgata 1",
            "9999 Ørsta",
            "Tomt svar",
            "Størrelse",
            "søknad.pdf",
            "Kopi av skattemelding",
            "Beskriv behovet",
            "Skriv tydelig med blokkbokstaver",
            "Sivilstand",
            "Samboer",
            "Underskrift",
        ] {
            assert!(text.contains(s), "{s:?} missing from:\n{text}");
        }
        let long_word: String = "æøåÆØÅ0123456789".repeat(13).chars().take(200).collect();
        assert!(
            text.replace('\n', "").contains(&long_word),
            "long word lost:\n{text}"
        );
        assert_inside_margins(&path);
        std::fs::remove_file(path).unwrap();
    }

    /// Names and answers in right-to-left scripts are shaped and ordered, and read back in logical order;
    /// Sami letters are drawn; what no font has is named, never replaced.
    #[test]
    fn right_to_left_text_is_shaped_ordered_and_reads_back() {
        // The server's source of fallback fonts: Debian's Noto folders (installed for the tests).
        crate::pdf::fallback::set_source(Box::new(crate::font_files::FontFolders::debian()));
        let d = doc(
            "Skjema",
            vec![
                answer("Navn", "محمد علي"),
                answer("Adresse", "شارع الملك ١٢"),
                answer("Hebraisk navn", "שלום כהן"),
                answer("Blandet", "Navn: محمد, født 1990"),
                answer("Samisk", "Máret Áŋŋá Čuđe"),
                answer("Kinesisk", "王小明"),
                answer("Koreansk og amharisk", "김민준 አበበ በቀለ"),
                answer("Ingen skrift", "x\u{E000}y"),
            ],
        );
        let path = write_tmp("rtl", &render(fonts(), &d).unwrap());
        let text = run("pdftotext", &[], &path);
        for s in [
            "محمد علي",
            "שלום כהן",
            "Máret Áŋŋá Čuđe",
            // From the fallback fonts in the font folders (fonts-noto-cjk, fonts-noto-core).
            "王小明",
            "김민준 አበበ በቀለ",
            "x[U+E000]y",
        ] {
            assert!(text.contains(s), "{s:?} missing in:\n{text}");
        }
        // Shaped: Arabic letters take their joined forms (no isolated-form-only run of glyphs), so
        // the drawn glyphs differ from a plain character-by-character mapping.
        let face = &fonts().regular;
        let glyphs = face.shaped("محمد").unwrap();
        let plain: Vec<u16> = "محمد"
            .chars()
            .rev()
            .filter_map(|c| face.font.lookup_glyph_index(u32::from(c)))
            .collect();
        let drawn: Vec<u16> = glyphs.iter().map(|g| g.gid).collect();
        assert_eq!(drawn.len(), 4);
        assert_ne!(drawn, plain, "joined forms");
        assert!(
            face.shaped("Ola Nordmann").is_none(),
            "left-to-right text is drawn as text"
        );
        // The fallback fonts are embedded (subset), beside DejaVu.
        let listed = Command::new("pdffonts").arg(&path).output().unwrap();
        let listed = String::from_utf8_lossy(&listed.stdout);
        assert!(listed.contains("NotoSansCJK"), "{listed}");
        assert!(listed.contains("NotoSansEthiopic"), "{listed}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn large_submission_is_three_pages() {
        let d = large_submission(40);
        let path = write_tmp("large", &render(fonts(), &d).unwrap());
        assert_eq!(pages(&path), 3);
        let text = run("pdftotext", &[], &path);
        for s in [
            "Spørsmål 1: Hva er ditt svar?",
            "Spørsmål 40: Hva er ditt svar?",
            "Barn Ærlig 10",
            "38 000 €",
        ] {
            assert!(text.contains(s), "{s:?} missing");
        }
        assert_inside_margins(&path);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn five_hundred_answers_make_many_pages() {
        let path = write_tmp("500", &render(fonts(), &many_answers(500)).unwrap());
        let n = pages(&path);
        assert!(n > 15, "only {n} pages");
        let text = run("pdftotext", &[], &path);
        for i in [1, 250, 500] {
            assert!(
                text.contains(&format!("Svar {i}: æøå ÆØÅ – «ok»")),
                "answer {i} missing"
            );
        }
        assert!(has_page_number(&text, n, n));
        assert!(has_page_number(&text, 1, n));
        assert_inside_margins(&path);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn long_answer_continues_on_the_next_page() {
        let long = (1..=150)
            .map(|i| format!("Linje {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let path = write_tmp(
            "long",
            &render(fonts(), &doc("Langt svar", vec![answer("Lang", &long)])).unwrap(),
        );
        assert!(pages(&path) >= 3);
        let text = run("pdftotext", &[], &path);
        assert!(text.contains("Linje 150"));
        assert_inside_margins(&path);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn table_header_is_repeated_after_a_page_break() {
        let path = write_tmp("table", &render(fonts(), &long_table()).unwrap());
        let n = pages(&path);
        assert!(n >= 2);
        let text = run("pdftotext", &[], &path);
        assert_eq!(text.matches("Fødselsdato").count(), n);
        assert!(text.contains("Person 90"));
        assert_inside_margins(&path);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_row_taller_than_a_page_is_split() {
        let tall = (1..=80)
            .map(|i| format!("Linje {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let table = Block::Table {
            headers: vec!["A".into(), "B".into()],
            rows: vec![vec!["kort".into(), tall]],
        };
        let path = write_tmp(
            "tallrow",
            &render(fonts(), &doc("Høy rad", vec![table])).unwrap(),
        );
        assert_eq!(pages(&path), 2);
        assert!(run("pdftotext", &[], &path).contains("Linje 80"));
        assert_inside_margins(&path);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_tall_blank_box_continues_on_the_next_page() {
        let path = write_tmp("tallbox", &render(fonts(), &tall_box_form()).unwrap());
        assert_eq!(pages(&path), 2);
        assert_inside_margins(&path);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn wrap_measures_glyphs_and_breaks_long_words() {
        let face = &fonts().regular;
        let long: String = "x".repeat(200);
        let lines = face.wrap(&format!("Start {long} slutt"), 11.0, 200.0);
        assert!(lines.len() >= 4, "{lines:?}");
        for l in &lines {
            assert!(
                face.text_width(l.trim_end(), 11.0) <= 200.0,
                "{l:?} too wide"
            );
        }
        assert_eq!(lines.concat().replace(' ', ""), format!("Start{long}slutt"));
        // "Start" stays on its own line, as the long word does not fit behind it.
        assert_eq!(lines.first().map(String::as_str), Some("Start "));
        // Long words break after '-', '/', '_' or '.' when there is one far enough along.
        let name = "bilde-av-en-veldig-lang-filnavn-uten-mellomrom-som-må-brytes.jpg";
        let lines = face.wrap(name, 10.0, 200.0);
        assert_eq!(lines.concat(), name);
        assert!(lines.len() >= 2);
        for l in lines.iter().take(lines.len() - 1) {
            assert!(l.ends_with('-'), "{lines:?}");
        }
        // Bold is wider than regular.
        assert!(fonts().bold.text_width("Ærøy", 11.0) > face.text_width("Ærøy", 11.0));
        // 'i' is narrower than 'W': widths come from the font, not a fixed guess.
        assert!(face.text_width("iiii", 11.0) < face.text_width("WWWW", 11.0));
    }

    #[test]
    fn wrap_keeps_line_breaks_and_empty_lines() {
        let face = &fonts().regular;
        assert_eq!(
            face.wrap("a\n\nb  c\r\n", 11.0, 400.0),
            vec!["a ", "", "b c ", ""]
        );
        assert_eq!(face.wrap("", 11.0, 400.0), vec![""]);
    }

    #[test]
    fn characters_without_glyph_are_named_and_controls_dropped() {
        let face = &fonts().regular;
        // A private-use character is in no font.
        assert_eq!(
            face.wrap("a\u{E000}b\u{7}c", 11.0, 400.0),
            vec!["a[U+E000]bc"]
        );
        // Sami letters are in the font.
        assert_eq!(face.wrap("Áŋŋá Čđŧž", 11.0, 400.0), vec!["Áŋŋá Čđŧž"]);
    }

    #[test]
    fn xml_is_escaped() {
        assert_eq!(xml_escape("Ærøy"), "Ærøy");
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;\n"
        );
    }

    #[test]
    fn invalid_language_is_rejected() {
        let mut d = doc("x", Vec::new());
        d.lang = "nb) /Foo (".into();
        assert!(matches!(render(fonts(), &d), Err(PdfError::Lang(_))));
        d.lang = "nn".into();
        assert!(render(fonts(), &d).is_ok());
    }

    #[test]
    fn empty_document_renders_one_page() {
        let mut d = doc("", Vec::new());
        d.header.clear();
        d.footer.clear();
        d.subject = None;
        let path = write_tmp("empty", &render(fonts(), &d).unwrap());
        assert_eq!(pages(&path), 1);
        std::fs::remove_file(path).unwrap();
    }
}
