//! Fallback fonts for what the embedded DejaVu Sans cannot draw (Chinese, Japanese and Korean, many
//! scripts of the world). This layer does no IO: the fonts come from a [`FontSource`] installed at start
//! (the server's reads the font folders, `server.font_dirs`: see `crate::font_files`). Without one, a
//! character DejaVu lacks is named in the PDF by its code point.
//!
//! A font is loaded when a PDF first needs one of its characters, and then kept for the life of the
//! process (a handful at most).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Where fallback fonts come from.
pub trait FontSource: Send + Sync {
    /// The font (by key, in order of preference) that has `c`, if any.
    fn find(&self, c: char) -> Option<usize>;
    /// The bytes of font `key` (read once per process).
    fn read(&self, key: usize) -> Option<Vec<u8>>;
}

static SOURCE: OnceLock<Box<dyn FontSource>> = OnceLock::new();

/// Installs the source of fallback fonts; the first call wins (the server's at start).
pub fn set_source(source: Box<dyn FontSource>) {
    let _ = SOURCE.set(source);
}

/// A fallback font, loaded: its bytes live as long as the process.
pub struct Loaded {
    pub bytes: &'static [u8],
}

/// The fonts loaded so far, by key.
fn loaded() -> &'static Mutex<HashMap<usize, &'static Loaded>> {
    static LOADED: OnceLock<Mutex<HashMap<usize, &'static Loaded>>> = OnceLock::new();
    LOADED.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The fallback font that has `c`, if a source is installed and one of its fonts does.
pub fn find(c: char) -> Option<usize> {
    SOURCE.get()?.find(c)
}

/// Font `key`, loaded (read once, then kept).
pub fn load(key: usize) -> Option<&'static Loaded> {
    let mut loaded = loaded().lock().ok()?;
    if let Some(l) = loaded.get(&key) {
        return Some(l);
    }
    let bytes = SOURCE.get()?.read(key)?;
    // Kept for the life of the process: a font is loaded at most once, and only the few whose characters
    // a PDF has needed.
    let l: &'static Loaded = Box::leak(Box::new(Loaded {
        bytes: Box::leak(bytes.into_boxed_slice()),
    }));
    loaded.insert(key, l);
    Some(l)
}
