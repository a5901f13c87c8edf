//! The file drop: one folder per submission in the tenant's archive folder, appearing whole or not at all.
//!
//! Files are written into `.<reference>.tmp-<random>` in the same folder, made durable together with
//! `syncfs` (one flush of the archive's file system instead of an fsync per file and folder), the folder
//! is renamed to `<reference>`, and the archive folder is fsynced. If `<reference>`
//! exists already with the same `manifest.json`, the delivery counts as done (idempotent); if its manifest
//! differs, nothing is overwritten and the delivery fails loudly. A failed attempt removes its temporary
//! folder; those a crash leaves are removed by [`sweep_leftovers`] when the delivery worker starts.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum DropError {
    #[error("the archive folder {} is not available: {source}", .dir.display())]
    Unavailable {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("writing {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} already exists with different content; it is never overwritten (manifest sha256 {found}, this delivery {ours})", .path.display())]
    Conflict {
        path: PathBuf,
        found: String,
        ours: String,
    },
    #[error("unsafe file name {0:?}")]
    BadName(String),
}

/// A file of the delivery, relative to the submission's folder (`attachments/1-bilde.jpg`).
pub struct DropFile {
    pub name: String,
    pub content: Content,
}

/// Made for the delivery (XML, PDF), or an uploaded file copied from the store without reading it into
/// memory (its size and SHA-256 were taken when it was uploaded).
pub enum Content {
    Bytes(Vec<u8>),
    Stored {
        path: std::path::PathBuf,
        size: u64,
        sha256: String,
    },
}

impl DropFile {
    pub fn bytes(name: impl Into<String>, bytes: Vec<u8>) -> DropFile {
        DropFile {
            name: name.into(),
            content: Content::Bytes(bytes),
        }
    }

    fn size(&self) -> u64 {
        match &self.content {
            Content::Bytes(b) => b.len() as u64,
            Content::Stored { size, .. } => *size,
        }
    }

    fn sha256(&self) -> String {
        match &self.content {
            Content::Bytes(b) => hex(&Sha256::digest(b)),
            Content::Stored { sha256, .. } => sha256.clone(),
        }
    }
}

#[derive(Serialize)]
struct ManifestFile<'a> {
    name: &'a str,
    size: u64,
    sha256: String,
}

/// What the manifest says about the submission (everything but the files).
#[derive(Serialize)]
pub struct ManifestHead<'a> {
    pub reference: &'a str,
    pub tenant: &'a str,
    pub form: &'a str,
    pub form_version: u32,
    pub form_hash: &'a str,
}

#[derive(Serialize)]
struct Manifest<'a> {
    #[serde(flatten)]
    head: &'a ManifestHead<'a>,
    files: Vec<ManifestFile<'a>>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest (deterministic: the same submission always gives the same bytes).
pub fn manifest(head: &ManifestHead<'_>, files: &[DropFile]) -> Vec<u8> {
    let m = Manifest {
        head,
        files: files
            .iter()
            .map(|f| ManifestFile {
                name: &f.name,
                size: f.size(),
                sha256: f.sha256(),
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&m).unwrap_or_default();
    out.push(b'\n');
    out
}

fn safe_relative(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.starts_with('.'))
        && !name.chars().any(|c| c.is_control() || c == '\\')
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DropError + '_ {
    move |source| DropError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn sync_dir(dir: &Path) -> Result<(), DropError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

/// Delivers `files` (plus `manifest.json`) as `<archive>/<reference>/`. Returns the manifest's SHA-256,
/// the proof recorded in the outbox.
pub fn deliver(
    archive: &Path,
    reference: &str,
    head: &ManifestHead<'_>,
    files: &[DropFile],
) -> Result<String, DropError> {
    if !safe_relative(reference) || reference.contains('/') {
        return Err(DropError::BadName(reference.to_owned()));
    }
    for f in files {
        if !safe_relative(&f.name) || f.name == "manifest.json" {
            return Err(DropError::BadName(f.name.clone()));
        }
    }
    let meta = fs::metadata(archive).map_err(|source| DropError::Unavailable {
        dir: archive.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(DropError::Unavailable {
            dir: archive.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"),
        });
    }
    let manifest = manifest(head, files);
    let ours = hex(&Sha256::digest(&manifest));
    let target = archive.join(reference);
    if target.exists() {
        let found = fs::read(target.join("manifest.json"))
            .map(|m| hex(&Sha256::digest(&m)))
            .unwrap_or_default();
        return if found == ours {
            Ok(ours)
        } else {
            Err(DropError::Conflict {
                path: target,
                found,
                ours,
            })
        };
    }
    let mut rnd = [0u8; 6];
    let _ = getrandom::fill(&mut rnd);
    let tmp = archive.join(format!(".{reference}{TMP_MARK}{}", hex(&rnd)));
    fs::create_dir(&tmp).map_err(io(&tmp))?;
    // A failed attempt takes its temporary folder away; one a crash leaves is removed by
    // `sweep_leftovers` when the server starts again.
    write_folder(&tmp, files, manifest)
        .and_then(|()| fs::rename(&tmp, &target).map_err(io(&target)))
        .inspect_err(|_| {
            let _ = fs::remove_dir_all(&tmp);
        })?;
    sync_dir(archive)?;
    Ok(ours)
}

/// Marks a temporary folder: `.<reference>.tmp-<random>`.
const TMP_MARK: &str = ".tmp-";

/// Removes the temporary folders of deliveries a crash interrupted (never visible under a final name).
/// Called once per archive folder when the delivery worker starts, so a delivery need not list a folder
/// that may hold years of submissions. Returns how many were removed.
pub fn sweep_leftovers(archive: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    for e in fs::read_dir(archive)? {
        let e = e?;
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.contains(TMP_MARK) && e.file_type()?.is_dir() {
            fs::remove_dir_all(e.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Writes `files` and the manifest into the new folder `tmp` and makes them durable.
fn write_folder(tmp: &Path, files: &[DropFile], manifest: Vec<u8>) -> Result<(), DropError> {
    let mut dirs = vec![tmp.to_path_buf()];
    let manifest_file = DropFile::bytes("manifest.json", manifest);
    for f in files.iter().chain([&manifest_file]) {
        let path = tmp.join(&f.name);
        if let Some(parent) = path.parent()
            && !dirs.iter().any(|d| d == parent)
        {
            fs::create_dir_all(parent).map_err(io(parent))?;
            dirs.push(parent.to_path_buf());
        }
        match &f.content {
            Content::Bytes(b) => {
                let mut file = File::create(&path).map_err(io(&path))?;
                file.write_all(b).map_err(io(&path))?;
            }
            // copy_file_range where the file system allows it.
            Content::Stored { path: from, .. } => {
                fs::copy(from, &path).map_err(io(from))?;
            }
        }
    }
    // One flush of the archive's file system makes every file and folder written above durable: the
    // same guarantee as an fsync of each of them (five to seven), for the price of about one (three
    // times the deliveries per second). It also writes whatever else is unwritten on that file system;
    // an archive share is not expected to carry much besides deliveries. syncfs reports write-back
    // errors since Linux 5.8.
    File::open(tmp)
        .map_err(io(tmp))
        .and_then(|d| rustix::fs::syncfs(&d).map_err(|e| io(tmp)(e.into())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> ManifestHead<'static> {
        ManifestHead {
            reference: "2026-00001",
            tenant: "eksempel",
            form: "kontaktskjema",
            form_version: 1,
            form_hash: "abc",
        }
    }

    fn files() -> Vec<DropFile> {
        vec![
            DropFile::bytes("submission.xml", b"<x/>".to_vec()),
            DropFile::bytes("attachments/1-bilde.jpg", vec![0xff, 0xd8, 0xff]),
        ]
    }

    #[test]
    fn delivers_whole_once_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let proof = deliver(dir.path(), "2026-00001", &head(), &files()).unwrap();
        let folder = dir.path().join("2026-00001");
        assert_eq!(fs::read(folder.join("submission.xml")).unwrap(), b"<x/>");
        assert_eq!(
            fs::read(folder.join("attachments/1-bilde.jpg")).unwrap(),
            vec![0xff, 0xd8, 0xff]
        );
        let m: serde_json::Value =
            serde_json::from_slice(&fs::read(folder.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(m["reference"], "2026-00001");
        assert_eq!(m["files"][1]["size"], 3);
        assert_eq!(m["files"][0]["sha256"], hex(&Sha256::digest(b"<x/>")));
        // Again: the same content counts as delivered.
        assert_eq!(
            deliver(dir.path(), "2026-00001", &head(), &files()).unwrap(),
            proof
        );
        // Different content: refused, nothing overwritten.
        let mut other = files();
        other[0] = DropFile::bytes("submission.xml", b"<y/>".to_vec());
        let err = deliver(dir.path(), "2026-00001", &head(), &other).unwrap_err();
        assert!(matches!(err, DropError::Conflict { .. }), "{err}");
        assert_eq!(fs::read(folder.join("submission.xml")).unwrap(), b"<x/>");
        // No temporary folders are left.
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["2026-00001"]);
    }

    #[test]
    fn leftovers_are_cleaned_and_bad_names_and_missing_folders_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".2026-00002.tmp-deadbeef")).unwrap();
        fs::write(
            dir.path().join(".2026-00002.tmp-deadbeef/submission.xml"),
            "half",
        )
        .unwrap();
        fs::create_dir(dir.path().join("2026-00001")).unwrap();
        fs::write(dir.path().join(".not-ours"), "").unwrap();
        assert_eq!(sweep_leftovers(dir.path()).unwrap(), 1);
        assert!(!dir.path().join(".2026-00002.tmp-deadbeef").exists());
        assert!(dir.path().join("2026-00001").exists() && dir.path().join(".not-ours").exists());
        deliver(dir.path(), "2026-00002", &head(), &files()).unwrap();
        // An attempt that fails half-way (a stored file has gone) leaves no temporary folder.
        let gone = vec![DropFile {
            name: "attachments/1-a.pdf".into(),
            content: Content::Stored {
                path: dir.path().join("no-such-file"),
                size: 1,
                sha256: "0".repeat(64),
            },
        }];
        assert!(deliver(dir.path(), "2026-00005", &head(), &gone).is_err());
        let left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        for bad in ["../x", "/etc/passwd", "a/../b", ".hidden", "a\\b", ""] {
            let f = vec![DropFile::bytes(bad, vec![])];
            assert!(
                matches!(
                    deliver(dir.path(), "2026-00003", &head(), &f),
                    Err(DropError::BadName(_))
                ),
                "{bad}"
            );
        }
        let missing = dir.path().join("nope");
        assert!(matches!(
            deliver(&missing, "2026-00004", &head(), &files()),
            Err(DropError::Unavailable { .. })
        ));
    }
}
