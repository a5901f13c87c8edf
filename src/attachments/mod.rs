//! Uploaded files: judged by content, stored durably on disk under `<data>/files/<tenant>/<id>`, described
//! in the draft (and later the submission) by [`StoredFile`].
//!
//! A file is written to `<data>/files/tmp/`, fsynced, optionally scanned by ClamAV, then renamed into its
//! tenant's folder — and only then recorded in the draft in a durable transaction. A crash between the two
//! leaves an orphan that [`FileStore::sweep`] removes; it can never leave a draft or a submission pointing at
//! a missing file. The submission's transaction records each of its files as owned (the store table
//! `tenantfile_reference`), so the sweep keeps them for good.

pub mod clamav;
pub mod structure;

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::ids::{FileId, TenantId};

/// An uploaded file: stored under `<data>/files/<tenant>/<id>`, described here.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct StoredFile {
    /// Random id (also the file name on disk).
    pub id: FileId,
    /// The input name it was uploaded through (`vedlegg`, `barn[0].vedlegg`).
    pub field: String,
    /// The citizen's name for it, cleaned of paths and control characters (for display only).
    pub name: String,
    pub size: u64,
    /// Lowercase hex.
    pub sha256: String,
    /// Judged from the content, not the name.
    pub content_type: String,
    /// Extension for the content type (`pdf`, `jpg` …).
    pub ext: String,
}

/// A kind of file a form may accept, judged by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    /// The name used in form definitions (`accept = ["pdf", "jpeg"]`).
    pub name: &'static str,
    pub mime: &'static str,
    pub ext: &'static str,
}

/// Every type a form may name. Content sniffing by the `infer` crate decides which one a file is.
pub const TYPES: &[FileType] = &[
    FileType {
        name: "pdf",
        mime: "application/pdf",
        ext: "pdf",
    },
    FileType {
        name: "jpeg",
        mime: "image/jpeg",
        ext: "jpg",
    },
    FileType {
        name: "png",
        mime: "image/png",
        ext: "png",
    },
    FileType {
        name: "gif",
        mime: "image/gif",
        ext: "gif",
    },
    FileType {
        name: "tiff",
        mime: "image/tiff",
        ext: "tif",
    },
    FileType {
        name: "heic",
        mime: "image/heif",
        ext: "heic",
    },
    FileType {
        name: "docx",
        mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ext: "docx",
    },
    FileType {
        name: "xlsx",
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ext: "xlsx",
    },
    FileType {
        name: "odt",
        mime: "application/vnd.oasis.opendocument.text",
        ext: "odt",
    },
];

/// The type a form definition names, if it is one we know.
pub fn type_named(name: &str) -> Option<&'static FileType> {
    let name = if name == "jpg" { "jpeg" } else { name };
    TYPES.iter().find(|t| t.name == name)
}

/// What the first bytes of a file say it is (only types in [`TYPES`]).
pub fn sniff(prefix: &[u8]) -> Option<&'static FileType> {
    let found = infer::get(prefix)?;
    let mime = match found.mime_type() {
        "image/heic" => "image/heif",
        m => m,
    };
    TYPES.iter().find(|t| t.mime == mime)
}

/// Bytes as megabytes for messages: "10", "2.5".
pub fn megabytes(bytes: u64) -> String {
    let v = bytes as f64 / 1_000_000.0;
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The `accept` attribute for a file input: extensions and MIME types of the allowed types.
pub fn accept_attr(accept: &[String]) -> String {
    let mut out: Vec<String> = vec![];
    for t in accept.iter().filter_map(|a| type_named(a)) {
        out.push(format!(".{}", t.ext));
        if t.name == "jpeg" {
            out.push(".jpeg".into());
        }
        out.push(t.mime.into());
    }
    out.join(",")
}

/// Human names of the allowed types for messages: "PDF, JPEG".
pub fn accept_names(accept: &[String]) -> String {
    accept
        .iter()
        .filter_map(|a| type_named(a))
        .map(|t| t.name.to_uppercase())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The citizen's file name made fit to show: no folders, no control or direction-changing characters,
/// at most 120 characters.
pub fn display_name(original: &str, ext: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(*c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        format!("vedlegg.{ext}")
    } else {
        cleaned
    }
}

/// A name safe on any file system and in any archive: ASCII letters, digits, `-` and `_`, the stem at
/// most 60 characters, and the extension of the type the content has (never the one the citizen gave).
pub fn safe_name(display: &str, ext: &str) -> String {
    let stem = display.rsplit_once('.').map_or(display, |(s, _)| s);
    let mut out = String::new();
    for c in stem.chars() {
        let mapped: &str = match c {
            'æ' => "ae",
            'Æ' => "Ae",
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => "o",
            'Ø' | 'Ö' => "O",
            'å' => "aa",
            'Å' => "Aa",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'á' | 'à' | 'â' | 'ä' => "a",
            'ü' | 'ú' => "u",
            c if c.is_ascii_alphanumeric() || c == '_' => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if mapped == "-" && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push_str(mapped);
    }
    let mut stem: String = out.trim_matches('-').chars().take(60).collect();
    while stem.ends_with('-') {
        stem.pop();
    }
    if stem.is_empty() {
        stem.push_str("vedlegg");
    }
    format!("{stem}.{ext}")
}

/// "340 kB", "1,2 MB" (a comma in Norwegian).
pub fn format_size(bytes: u64, lang: crate::i18n::Lang) -> String {
    let comma = !matches!(lang, crate::i18n::Lang::En);
    let (v, unit) = if bytes >= 1_000_000 {
        (bytes as f64 / 1_000_000.0, "MB")
    } else if bytes >= 1000 {
        (bytes as f64 / 1000.0, "kB")
    } else {
        return format!("{bytes} B");
    };
    let s = if v < 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    };
    let s = if comma { s.replace('.', ",") } else { s };
    format!("{s} {unit}")
}

/// A random file id (also its name on disk).
pub fn new_id() -> io::Result<FileId> {
    FileId::generate().map_err(|e| io::Error::other(e.to_string()))
}

/// The folder holding every tenant's files. Clones share their removal holds.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
    holds: std::sync::Arc<std::sync::Mutex<Holds>>,
}

/// Removals wait while a backup copies files: a file its snapshot refers to stays until it is copied.
#[derive(Debug, Default)]
struct Holds {
    active: usize,
    deferred: Vec<PathBuf>,
}

/// While alive, [`FileStore::remove`] and [`FileStore::sweep`] delete nothing; removals asked for meanwhile
/// happen when the last hold ends.
pub struct RemovalHold {
    holds: std::sync::Arc<std::sync::Mutex<Holds>>,
}

impl Drop for RemovalHold {
    fn drop(&mut self) {
        let deferred = {
            let mut h = self.holds.lock().unwrap_or_else(|p| p.into_inner());
            h.active = h.active.saturating_sub(1);
            if h.active > 0 {
                return;
            }
            std::mem::take(&mut h.deferred)
        };
        for p in deferred {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// How long an unreferenced file is left alone (an upload whose draft write is still under way).
pub const ORPHAN_GRACE: Duration = Duration::from_secs(3600);

impl FileStore {
    pub fn new(data_dir: &Path) -> FileStore {
        FileStore {
            root: data_dir.join("files"),
            holds: Default::default(),
        }
    }

    /// Holds every removal until the returned guard is dropped (taken before a backup's snapshot).
    pub fn hold_removals(&self) -> RemovalHold {
        self.holds.lock().unwrap_or_else(|p| p.into_inner()).active += 1;
        RemovalHold {
            holds: self.holds.clone(),
        }
    }

    /// Whether removals are held; if so, `path` is queued for when they no longer are.
    fn held(&self, path: &Path) -> bool {
        let mut h = self.holds.lock().unwrap_or_else(|p| p.into_inner());
        if h.active > 0 {
            h.deferred.push(path.to_path_buf());
        }
        h.active > 0
    }

    pub fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Where a stored file lives (the typed ids cannot name anything outside the tenant's folder).
    pub fn path(&self, tenant: &TenantId, id: &FileId) -> PathBuf {
        self.root.join(tenant.as_str()).join(id.as_str())
    }

    /// Moves a finished, fsynced temporary file into its tenant's folder and makes the rename durable.
    pub fn commit(&self, tmp: &Path, tenant: &TenantId, id: &FileId) -> io::Result<PathBuf> {
        let dest = self.path(tenant, id);
        let dir = self.root.join(tenant.as_str());
        crate::fs_modes::create_dirs(&dir, crate::fs_modes::PRIVATE_DIR)?;
        std::fs::rename(tmp, &dest)?;
        std::fs::File::open(&dir)?.sync_all()?;
        Ok(dest)
    }

    pub fn read(&self, tenant: &TenantId, id: &FileId) -> io::Result<Vec<u8>> {
        std::fs::read(self.path(tenant, id))
    }

    /// Removes one file (after the draft that held it no longer does).
    pub fn remove(&self, tenant: &TenantId, id: &FileId) {
        let path = self.path(tenant, id);
        if !self.held(&path) {
            let _ = std::fs::remove_file(path);
        }
    }

    /// Deletes files older than `grace` that no live draft and no submission holds, and leftover
    /// temporary files. `keep(tenant, id)` says whether a file is held. Returns how many were removed.
    pub fn sweep(&self, grace: Duration, keep: &dyn Fn(&str, &str) -> bool) -> usize {
        let now = SystemTime::now();
        let old = |p: &Path| {
            std::fs::metadata(p)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age >= grace)
        };
        let mut removed = 0;
        let Ok(tenants) = std::fs::read_dir(&self.root) else {
            return 0;
        };
        for t in tenants.flatten() {
            let tenant = t.file_name().to_string_lossy().into_owned();
            let Ok(files) = std::fs::read_dir(t.path()) else {
                continue;
            };
            for f in files.flatten() {
                let id = f.file_name().to_string_lossy().into_owned();
                let p = f.path();
                let tmp = tenant == "tmp";
                if old(&p)
                    && (tmp || !keep(&tenant, &id))
                    && !self.held(&p)
                    && std::fs::remove_file(&p).is_ok()
                {
                    removed += 1;
                }
            }
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe() {
        assert_eq!(
            display_name("C:\\Users\\kari\\søknad.pdf", "pdf"),
            "søknad.pdf"
        );
        assert_eq!(display_name("../../etc/passwd", "pdf"), "passwd");
        assert_eq!(display_name("a\u{202e}fdp.exe", "pdf"), "afdp.exe");
        assert_eq!(display_name("\u{0}\n", "pdf"), "vedlegg.pdf");
        assert_eq!(display_name(".hidden", "png"), "hidden");
        assert_eq!(
            safe_name("Legeerklæring Ørjan Åsen.pdf", "pdf"),
            "Legeerklaering-Orjan-Aasen.pdf"
        );
        assert_eq!(safe_name("rapport.exe", "pdf"), "rapport.pdf");
        assert_eq!(safe_name("///", "jpg"), "vedlegg.jpg");
        assert_eq!(safe_name(&"x".repeat(200), "png").len(), 64);
    }

    #[test]
    fn content_decides_the_type() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3").map(|t| t.name), Some("pdf"));
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").map(|t| t.name),
            Some("png")
        );
        assert_eq!(
            sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0").map(|t| t.name),
            Some("jpeg")
        );
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"), None);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(type_named("jpg").map(|t| t.name), Some("jpeg"));
        assert!(type_named("exe").is_none());
    }

    #[test]
    fn sizes_read_well() {
        use crate::i18n::Lang;
        assert_eq!(format_size(512, Lang::Nb), "512 B");
        assert_eq!(format_size(340_000, Lang::Nb), "340 kB");
        assert_eq!(format_size(1_234_567, Lang::Nb), "1,2 MB");
        assert_eq!(format_size(1_234_567, Lang::En), "1.2 MB");
    }
}
