//! The PDFs' fallback fonts as files: the font folders (`server.font_dirs`, by default where Debian's
//! `fonts-noto-core` and `fonts-noto-cjk` put them) as a [`crate::pdf::fallback::FontSource`].
//!
//! The folders are looked at once, the first time a PDF needs a character the embedded fonts lack: each
//! candidate file's character map is read (ttf-parser, nothing else of the font) and kept as ranges of
//! code points. A file is read in full only when a PDF needs one of its characters.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One font file that may stand in, with the code points it covers.
struct Candidate {
    path: PathBuf,
    /// Sorted, non-overlapping, inclusive ranges.
    covers: Vec<(u32, u32)>,
}

impl Candidate {
    fn has(&self, c: char) -> bool {
        let cp = u32::from(c);
        let at = self.covers.partition_point(|(_, end)| *end < cp);
        self.covers.get(at).is_some_and(|(start, _)| *start <= cp)
    }
}

/// The font folders, read when first needed.
pub struct FontFolders {
    dirs: Vec<PathBuf>,
    candidates: OnceLock<Vec<Candidate>>,
}

impl FontFolders {
    pub fn new(dirs: Vec<PathBuf>) -> FontFolders {
        FontFolders {
            dirs,
            candidates: OnceLock::new(),
        }
    }

    /// The default folders (Debian's Noto fonts).
    pub fn debian() -> FontFolders {
        FontFolders::new(
            crate::pdf::DEFAULT_FONT_DIRS
                .iter()
                .map(PathBuf::from)
                .collect(),
        )
    }

    fn candidates(&self) -> &[Candidate] {
        self.candidates.get_or_init(|| scan(&self.dirs))
    }
}

impl crate::pdf::fallback::FontSource for FontFolders {
    fn find(&self, c: char) -> Option<usize> {
        self.candidates().iter().position(|f| f.has(c))
    }

    fn read(&self, key: usize) -> Option<Vec<u8>> {
        let path = &self.candidates().get(key)?.path;
        match std::fs::read(path) {
            Ok(b) => Some(b),
            Err(e) => {
                tracing::warn!(font = %path.display(), "a PDF fallback font cannot be read: {e}");
                None
            }
        }
    }
}

/// Regular upright text faces only: no serif, mono, display, UI, condensed, italic or bold variants,
/// which would only ever duplicate a regular face's coverage.
fn wanted(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let font = [".ttf", ".otf", ".ttc"].iter().any(|e| lower.ends_with(e));
    let regular = lower.contains("regular");
    let variant = [
        "mono",
        "serif",
        "display",
        "ui-",
        "condensed",
        "italic",
        "looped",
        "unjoined",
    ]
    .iter()
    .any(|v| lower.contains(v));
    font && regular && !variant
}

/// Preference: Noto Sans itself, then the script fonts by name, the big CJK collections last.
fn rank(path: &Path) -> (u8, String) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let class = if name.starts_with("NotoSans-") {
        0
    } else if name.contains("CJK") {
        2
    } else {
        1
    };
    (class, name)
}

fn coverage(bytes: &[u8]) -> Option<Vec<(u32, u32)>> {
    let face = ttf_parser::Face::parse(bytes, 0).ok()?;
    let mut points: Vec<u32> = vec![];
    for sub in face.tables().cmap?.subtables {
        if sub.is_unicode() {
            sub.codepoints(|cp| points.push(cp));
        }
    }
    points.sort_unstable();
    points.dedup();
    let mut ranges: Vec<(u32, u32)> = vec![];
    for cp in points {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == cp => *end = cp,
            _ => ranges.push((cp, cp)),
        }
    }
    Some(ranges)
}

fn scan(dirs: &[PathBuf]) -> Vec<Candidate> {
    let mut files: Vec<PathBuf> = vec![];
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.file_name().is_some_and(|n| wanted(&n.to_string_lossy()))),
        );
    }
    files.sort_by_key(|p| rank(p));
    let candidates: Vec<Candidate> = files
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let covers = coverage(&bytes)?;
            Some(Candidate { path, covers })
        })
        .collect();
    tracing::debug!(fonts = candidates.len(), "PDF fallback fonts read");
    candidates
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_text_faces_are_candidates() {
        assert!(wanted("NotoSansCJK-Regular.ttc"));
        assert!(wanted("NotoSansArmenian-Regular.ttf"));
        assert!(!wanted("NotoSansArmenian-Bold.ttf"));
        assert!(!wanted("NotoSerifCJK-Regular.ttc"));
        assert!(!wanted("NotoSansMono-Regular.ttf"));
        assert!(!wanted("NotoSans-Italic.ttf"));
        assert!(!wanted("README"));
    }

    #[test]
    fn ranges_find_their_code_points() {
        let c = Candidate {
            path: PathBuf::new(),
            covers: vec![(0x41, 0x5a), (0x4e00, 0x9fff)],
        };
        for (ch, has) in [
            ('A', true),
            ('Z', true),
            ('a', false),
            ('王', true),
            ('😀', false),
        ] {
            assert_eq!(c.has(ch), has, "{ch}");
        }
    }

    #[test]
    fn an_empty_or_missing_folder_has_no_fonts() {
        use crate::pdf::fallback::FontSource;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Broken-Regular.ttf"), b"not a font").unwrap();
        let f = FontFolders::new(vec![dir.path().to_path_buf(), "/no/such/folder".into()]);
        assert_eq!(f.find('王'), None);
    }
}
