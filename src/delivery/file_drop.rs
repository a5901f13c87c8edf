//! The file drop: one folder per submission in the tenant's archive folder, appearing whole or not at all.
//!
//! Files are written into `.<reference>.tmp-<random>` in the same folder; a batch of deliveries is made
//! durable together (every file and folder fsynced by a few threads at once, so the disk's cache flushes
//! are shared, and nothing else on the file system is flushed), each folder is renamed to `<reference>`,
//! and the archive folder is fsynced once for the batch. If `<reference>`
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
#[derive(Serialize, Clone, Copy)]
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

/// One delivery of a batch: `files` (plus `manifest.json`) as `<archive>/<reference>/`.
pub struct Delivery<'a> {
    pub archive: &'a Path,
    pub reference: &'a str,
    pub head: ManifestHead<'a>,
    pub files: Vec<DropFile>,
    /// The mode of its files (its folders get search rights where reading is allowed).
    pub mode: u32,
}

/// Delivers `files` (plus `manifest.json`) as `<archive>/<reference>/`. Returns the manifest's SHA-256,
/// the proof recorded in the outbox. One delivery alone: [`deliver_batch`] with one item.
pub fn deliver(
    archive: &Path,
    reference: &str,
    head: &ManifestHead<'_>,
    files: Vec<DropFile>,
) -> Result<String, DropError> {
    let one = Delivery {
        archive,
        reference,
        head: *head,
        files,
        mode: crate::fs_modes::ARCHIVE_FILE,
    };
    deliver_batch(&[one], &[])
        .pop()
        .unwrap_or_else(|| Err(DropError::BadName(reference.to_owned())))
}

/// A delivery written into its temporary folder, waiting for the flush and the rename.
struct Written {
    archive: PathBuf,
    tmp: PathBuf,
    target: PathBuf,
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
    proof: String,
}

/// One delivery of a batch after [`write`]: written into its temporary folder (or found delivered
/// before, or refused), not yet durable. It no longer holds the files' contents.
pub struct Pending(Result<Step, DropError>);

/// The first half of a batch: writes one delivery into its temporary folder, nothing durable yet. A caller
/// that prepares deliveries one by one writes each at once and lets its contents go, so a batch never
/// holds all its files in memory; [`complete`] then makes the batch durable.
pub fn write(d: &Delivery<'_>) -> Pending {
    Pending(write_one(d))
}

/// Delivers many submissions together: every folder is written in full first ([`write`]), then made
/// durable and renamed together ([`complete`]). One result per delivery, in order.
pub fn deliver_batch(
    batch: &[Delivery<'_>],
    also_sync: &[PathBuf],
) -> Vec<Result<String, DropError>> {
    complete(batch.iter().map(write).collect(), also_sync)
}

/// The second half of a batch: all the written deliveries' files and folders (and the files in
/// `also_sync`, such as PDFs kept beside the store) are flushed at once by a few threads, so that the disk
/// sees one or a few cache flushes for the whole batch instead of several per delivery, and nothing outside
/// these files and folders is flushed. Then each folder is renamed to its final name and each archive
/// folder is fsynced once. One result per delivery, in order: a delivery that failed (a bad name, a
/// missing archive folder, an I/O error) leaves no folder behind and does not hold back the others.
pub fn complete(pending: Vec<Pending>, also_sync: &[PathBuf]) -> Vec<Result<String, DropError>> {
    let mut results: Vec<Option<Result<String, DropError>>> = Vec::with_capacity(pending.len());
    let mut written: Vec<(usize, Written)> = vec![];
    for (i, Pending(step)) in pending.into_iter().enumerate() {
        match step {
            Ok(Step::Done(proof)) => results.push(Some(Ok(proof))),
            Ok(Step::Written(w)) => {
                results.push(None);
                written.push((i, w));
            }
            Err(e) => results.push(Some(Err(e))),
        }
    }
    // Files first, then the folders that name them: each fsync makes its file's data and size durable.
    let files: Vec<(usize, &Path)> = written
        .iter()
        .flat_map(|(i, w)| w.files.iter().map(move |f| (*i, f.as_path())))
        .chain(also_sync.iter().map(|f| (usize::MAX, f.as_path())))
        .collect();
    let mut failed = sync_all(&files, false);
    let dirs: Vec<(usize, &Path)> = written
        .iter()
        .flat_map(|(i, w)| w.dirs.iter().map(move |d| (*i, d.as_path())))
        .collect();
    failed.extend(sync_all(&dirs, true));
    let mut archives: Vec<(&Path, Vec<usize>)> = vec![];
    for (i, w) in &written {
        let outcome = match failed.iter().find(|(j, _)| j == i) {
            Some((_, e)) => Err(DropError::Io {
                path: w.tmp.clone(),
                source: std::io::Error::new(e.kind(), e.to_string()),
            }),
            None => fs::rename(&w.tmp, &w.target).map_err(io(&w.target)),
        };
        match outcome {
            Ok(()) => {
                let archive = w.archive.as_path();
                match archives.iter_mut().find(|(a, _)| *a == archive) {
                    Some((_, v)) => v.push(*i),
                    None => archives.push((archive, vec![*i])),
                }
                if let Some(r) = results.get_mut(*i) {
                    *r = Some(Ok(w.proof.clone()));
                }
            }
            Err(e) => {
                let _ = fs::remove_dir_all(&w.tmp);
                if let Some(r) = results.get_mut(*i) {
                    *r = Some(Err(e));
                }
            }
        }
    }
    // The renames, durable: one fsync per archive folder. If it fails, the deliveries are retried and
    // find their folder (same manifest: done) or not (written again).
    for (archive, members) in archives {
        if let Err(e) = File::open(archive).and_then(|d| d.sync_all()) {
            for i in members {
                if let Some(r) = results.get_mut(i) {
                    *r = Some(Err(DropError::Io {
                        path: archive.to_path_buf(),
                        source: std::io::Error::new(e.kind(), e.to_string()),
                    }));
                }
            }
        }
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(DropError::BadName(String::new()))))
        .collect()
}

/// Threads that flush a batch's files together: the block layer merges their cache flushes.
const SYNC_THREADS: usize = 8;

/// fsyncs every path (files, or folders with `dirs`) from a few threads; returns the failures with the
/// index of the delivery they belong to.
fn sync_all(paths: &[(usize, &Path)], dirs: bool) -> Vec<(usize, std::io::Error)> {
    let sync = |(i, p): &(usize, &Path)| {
        File::open(p)
            .and_then(|f| if dirs { f.sync_all() } else { f.sync_data() })
            .err()
            .map(|e| (*i, e))
    };
    let panicked =
        |(i, _): &(usize, &Path)| Some((*i, std::io::Error::other("a flush thread panicked")));
    super::in_threads(paths, SYNC_THREADS, sync, panicked)
        .into_iter()
        .flatten()
        .collect()
}

enum Step {
    /// Delivered before (same manifest): nothing to write.
    Done(String),
    Written(Written),
}

fn write_one(d: &Delivery<'_>) -> Result<Step, DropError> {
    let (archive, reference) = (d.archive, d.reference);
    if !safe_relative(reference) || reference.contains('/') {
        return Err(DropError::BadName(reference.to_owned()));
    }
    for f in &d.files {
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
    let manifest = manifest(&d.head, &d.files);
    let ours = hex(&Sha256::digest(&manifest));
    let target = archive.join(reference);
    if target.exists() {
        let found = fs::read(target.join("manifest.json"))
            .map(|m| hex(&Sha256::digest(&m)))
            .unwrap_or_default();
        return if found == ours {
            Ok(Step::Done(ours))
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
    let dir_mode = crate::fs_modes::dir_mode_for(d.mode);
    fs::create_dir(&tmp)
        .and_then(|()| crate::fs_modes::set_mode(&tmp, dir_mode))
        .map_err(io(&tmp))?;
    // A failed attempt takes its temporary folder away; one a crash leaves is removed by
    // `sweep_leftovers` when the server starts again.
    match write_folder(&tmp, &d.files, manifest, d.mode) {
        Ok((files, dirs)) => Ok(Step::Written(Written {
            archive: archive.to_path_buf(),
            tmp,
            target,
            files,
            dirs,
            proof: ours,
        })),
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
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

/// Writes `files` and the manifest into the new folder `tmp`, not yet durable; returns the files and
/// folders written, for the batch's flush.
fn write_folder(
    tmp: &Path,
    files: &[DropFile],
    manifest: Vec<u8>,
    mode: u32,
) -> Result<(Vec<PathBuf>, Vec<PathBuf>), DropError> {
    use crate::fs_modes::{create_dirs, create_file, dir_mode_for, set_mode};
    let mut dirs = vec![tmp.to_path_buf()];
    let mut written = vec![];
    let manifest_file = DropFile::bytes("manifest.json", manifest);
    for f in files.iter().chain([&manifest_file]) {
        let path = tmp.join(&f.name);
        if let Some(parent) = path.parent()
            && !dirs.iter().any(|d| d == parent)
        {
            // Set after creating: the configured mode, whatever the process's umask.
            create_dirs(parent, dir_mode_for(mode))
                .and_then(|()| set_mode(parent, dir_mode_for(mode)))
                .map_err(io(parent))?;
            dirs.push(parent.to_path_buf());
        }
        match &f.content {
            Content::Bytes(b) => {
                let mut file = create_file(&path, mode).map_err(io(&path))?;
                file.write_all(b).map_err(io(&path))?;
                file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(mode))
                    .map_err(io(&path))?;
            }
            // copy_file_range where the file system allows it.
            Content::Stored { path: from, .. } => {
                fs::copy(from, &path).map_err(io(from))?;
                // The copy has the stored file's owner-only mode.
                set_mode(&path, mode).map_err(io(&path))?;
            }
        }
        written.push(path);
    }
    Ok((written, dirs))
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
        let proof = deliver(dir.path(), "2026-00001", &head(), files()).unwrap();
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
            deliver(dir.path(), "2026-00001", &head(), files()).unwrap(),
            proof
        );
        // Different content: refused, nothing overwritten.
        let mut other = files();
        other[0] = DropFile::bytes("submission.xml", b"<y/>".to_vec());
        let err = deliver(dir.path(), "2026-00001", &head(), other).unwrap_err();
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
        deliver(dir.path(), "2026-00002", &head(), files()).unwrap();
        // An attempt that fails half-way (a stored file has gone) leaves no temporary folder.
        let gone = vec![DropFile {
            name: "attachments/1-a.pdf".into(),
            content: Content::Stored {
                path: dir.path().join("no-such-file"),
                size: 1,
                sha256: "0".repeat(64),
            },
        }];
        assert!(deliver(dir.path(), "2026-00005", &head(), gone).is_err());
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
                    deliver(dir.path(), "2026-00003", &head(), f),
                    Err(DropError::BadName(_))
                ),
                "{bad}"
            );
        }
        let missing = dir.path().join("nope");
        assert!(matches!(
            deliver(&missing, "2026-00004", &head(), files()),
            Err(DropError::Unavailable { .. })
        ));
    }

    #[test]
    fn a_batch_delivers_each_folder_whole_and_one_failure_holds_back_no_other() {
        let dir = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let kept = dir.path().join("kept.pdf");
        fs::write(&kept, b"%PDF-1.7 ... %%EOF").unwrap();
        let refs = [
            "2026-00010",
            "2026-00011",
            "../x",
            "2026-00013",
            "2026-00014",
        ];
        let archives = [
            dir.path(),
            other.path(),
            dir.path(),
            missing.as_path(),
            dir.path(),
        ];
        let batch: Vec<Delivery<'_>> = refs
            .iter()
            .zip(archives)
            .map(|(r, a)| Delivery {
                archive: a,
                reference: r,
                head: ManifestHead {
                    reference: r,
                    ..head()
                },
                files: files(),
                mode: crate::fs_modes::ARCHIVE_FILE,
            })
            .collect();
        let results = deliver_batch(&batch, std::slice::from_ref(&kept));
        assert_eq!(results.len(), 5);
        assert!(results[0].is_ok() && results[1].is_ok() && results[4].is_ok());
        assert!(matches!(results[2], Err(DropError::BadName(_))));
        assert!(matches!(results[3], Err(DropError::Unavailable { .. })));
        for (r, a) in [(0, dir.path()), (1, other.path()), (4, dir.path())] {
            let folder = a.join(refs[r]);
            assert_eq!(fs::read(folder.join("submission.xml")).unwrap(), b"<x/>");
            let m: serde_json::Value =
                serde_json::from_slice(&fs::read(folder.join("manifest.json")).unwrap()).unwrap();
            assert_eq!(m["reference"], refs[r]);
        }
        // Again, as after a crash between the flush and the outbox's record: done, nothing rewritten.
        let again = deliver_batch(&batch[..2], &[]);
        assert_eq!(again[0].as_ref().unwrap(), results[0].as_ref().unwrap());
        assert_eq!(again[1].as_ref().unwrap(), results[1].as_ref().unwrap());
        let tmp: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .chain(fs::read_dir(other.path()).unwrap())
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(TMP_MARK))
            .collect();
        assert!(tmp.is_empty(), "{tmp:?}");
    }
}
