//! Fallback fonts for what the embedded DejaVu Sans cannot draw (Chinese, Japanese and Korean, many
//! scripts of the world): read at run time from the font folders (`server.font_dirs`, by default where
//! Debian's `fonts-noto-core` and `fonts-noto-cjk` put them), never embedded in the binary.
//!
//! The folders are looked at once, the first time a PDF needs a character the embedded fonts lack: each
//! candidate file's character map is read (ttf-parser, nothing else of the font) and kept as ranges of
//! code points. A font is loaded in full only when a PDF needs one of its characters, and then kept for
//! the life of the process (a handful at most). A character no font in the folders has is named in the
//! PDF by its code point; the XML delivered beside it keeps the text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The font folders, as configured (set once at start; the Debian defaults otherwise).
static DIRS: OnceLock<Vec<PathBuf>> = OnceLock::new();

/// Sets the font folders; the first call wins (the server calls it at start, before any PDF).
pub fn set_dirs(dirs: Vec<PathBuf>) {
    let _ = DIRS.set(dirs);
}

fn dirs() -> &'static [PathBuf] {
    DIRS.get_or_init(|| super::DEFAULT_FONT_DIRS.iter().map(PathBuf::from).collect())
}

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

/// A fallback font, loaded: its bytes live as long as the process (see [`load`]).
pub struct Loaded {
    pub bytes: &'static [u8],
    /// Which candidate it is (the same font is added to a PDF once, under this key).
    pub key: usize,
}

pub struct Fallbacks {
    candidates: Vec<Candidate>,
    loaded: Mutex<HashMap<usize, &'static Loaded>>,
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

fn scan() -> Fallbacks {
    let mut files: Vec<PathBuf> = vec![];
    for dir in dirs() {
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
    let candidates = files
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let covers = coverage(&bytes)?;
            Some(Candidate { path, covers })
        })
        .collect::<Vec<_>>();
    tracing::debug!(fonts = candidates.len(), "PDF fallback fonts read");
    Fallbacks {
        candidates,
        loaded: Mutex::new(HashMap::new()),
    }
}

/// The fallback fonts, read from the folders the first time they are needed.
pub fn fallbacks() -> &'static Fallbacks {
    static ALL: OnceLock<Fallbacks> = OnceLock::new();
    ALL.get_or_init(scan)
}

impl Fallbacks {
    /// The first candidate (in order of preference) that has `c`.
    pub fn find(&self, c: char) -> Option<usize> {
        self.candidates.iter().position(|f| f.has(c))
    }

    /// Candidate `key`, loaded (read once, then kept).
    pub fn load(&self, key: usize) -> Option<&'static Loaded> {
        let mut loaded = self.loaded.lock().ok()?;
        if let Some(l) = loaded.get(&key) {
            return Some(l);
        }
        let path = &self.candidates.get(key)?.path;
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(font = %path.display(), "a PDF fallback font cannot be read: {e}");
                return None;
            }
        };
        // Kept for the life of the process: a font is loaded at most once, and only the few whose
        // characters a PDF has needed.
        let l: &'static Loaded = Box::leak(Box::new(Loaded {
            bytes: Box::leak(bytes.into_boxed_slice()),
            key,
        }));
        loaded.insert(key, l);
        Some(l)
    }
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
}
