//! Backup and restore of a data folder.
//!
//! A backup is a folder: `radhus.redb` (a consistent copy of the store, taken in one read transaction
//! while the server keeps writing, see [`crate::store::snapshot`]), `files/<tenant>/<id>` (every upload the
//! copy refers to), `pdf/<tenant>/<reference>.pdf` (the kept PDFs of its submissions) and, written last,
//! `manifest.json` with every file's size and SHA-256. A folder without a manifest is an interrupted backup.
//!
//! A restore checks the manifest's listing, then copies each file into a new folder beside the target,
//! checking it against the manifest as it goes (one read per file; the new folder is removed if any does not
//! match), opens the copied store (which migrates an older schema), compares its digest and only then moves
//! the folder into place. It never writes into a folder that holds anything.

use std::collections::BTreeSet;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::attachments::FileStore;
use crate::store::{Store, StoreError, migrate};

pub const MANIFEST: &str = "manifest.json";
pub const FORMAT: &str = "radhus-backup";
pub const FORMAT_VERSION: u32 = 1;
/// In the data folder: where and when the last backup was made (read by the package's purge).
pub const LAST_BACKUP: &str = "last-backup";

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub radhus_version: String,
    pub schema_version: u32,
    /// RFC 3339, UTC.
    pub created: String,
    /// The store's digest when it was copied ([`crate::store::SystemStore::digest`]).
    pub store_digest: String,
    pub submissions: u64,
    pub drafts: u64,
    pub store_rows: u64,
    /// Every file of the backup but the manifest, by path relative to the backup folder.
    pub entries: Vec<Entry>,
    /// Uploads the store refers to that were not on disk when the backup was made (already missing from
    /// the data folder; the backup is otherwise whole).
    #[serde(default)]
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

impl Manifest {
    pub fn total_bytes(&self) -> u64 {
        self.entries.iter().map(|e| e.bytes).sum()
    }

    /// One line for the operator.
    pub fn summary(&self) -> String {
        format!(
            "{} submissions, {} drafts, {} files, {} bytes, schema {}, digest {}",
            self.submissions,
            self.drafts,
            self.entries.len(),
            self.total_bytes(),
            self.schema_version,
            self.store_digest
        )
    }
}

/// Why a backup or restore did not happen. Live data is never changed by either.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{} is not empty; a backup goes into a new or empty folder", .0.display())]
    TargetNotEmpty(PathBuf),
    #[error(
        "{} is not empty; restore into a new or empty folder (it never writes over data)",
        .0.display()
    )]
    DataNotEmpty(PathBuf),
    #[error("{} is not a complete backup: {detail}", .dir.display())]
    Incomplete { dir: PathBuf, detail: String },
    #[error("{} is damaged: {detail}", .dir.display())]
    Damaged { dir: PathBuf, detail: String },
    #[error(
        "{} was made by a newer Rådhus ({what}); restore it with that version or a later one",
        .dir.display()
    )]
    TooNew { dir: PathBuf, what: String },
    #[error("{what} {}: {source}", .path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl BackupError {
    /// The command's exit code: 2 for a target that is not empty (a usage error), 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            BackupError::TargetNotEmpty(_) | BackupError::DataNotEmpty(_) => 2,
            _ => 1,
        }
    }
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> BackupError {
    let path = path.to_path_buf();
    move |source| BackupError::Io { what, path, source }
}

/// What a folder holds the store as: a backup (a copy of the store file) or an export (JSON lines, see
/// [`crate::store::snapshot::Line`]); the uploads, kept PDFs and manifest are the same in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Backup,
    Export,
}

impl Kind {
    pub fn format(self) -> &'static str {
        match self {
            Kind::Backup => FORMAT,
            Kind::Export => EXPORT_FORMAT,
        }
    }

    /// The store's file in the folder.
    pub fn store_file(self) -> &'static str {
        match self {
            Kind::Backup => crate::store::FILE_NAME,
            Kind::Export => EXPORT_FILE,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Backup => "backup",
            Kind::Export => "export",
        }
    }
}

pub const EXPORT_FORMAT: &str = "radhus-export";
/// In an export: every row of the store, one JSON object per line.
pub const EXPORT_FILE: &str = "store.jsonl";

/// [`backup`] or [`export`], timed, with the answer for the operator.
pub fn copy_out(
    kind: Kind,
    store: &Store,
    files: &FileStore,
    data_dir: &Path,
    to: &Path,
) -> Result<String, BackupError> {
    let started = std::time::Instant::now();
    let m = match kind {
        Kind::Backup => backup(store, files, data_dir, to)?,
        Kind::Export => export(store, files, data_dir, to)?,
    };
    Ok(format!(
        "{} made in {:.1} s: {}\n{}\n",
        kind.name(),
        started.elapsed().as_secs_f64(),
        to.display(),
        m.summary()
    ))
}

/// Makes a backup of the open store and the files it refers to in `to` (new, or an empty folder).
pub fn backup(
    store: &Store,
    files: &FileStore,
    data_dir: &Path,
    to: &Path,
) -> Result<Manifest, BackupError> {
    let manifest = make(Kind::Backup, store, files, data_dir, to)?;
    let note = format!("{}\t{}\n", to.display(), manifest.created);
    let _ = std::fs::write(data_dir.join(LAST_BACKUP), note);
    Ok(manifest)
}

/// Exports the open store (as JSON lines) and the files it refers to into `to` (new, or empty).
pub fn export(
    store: &Store,
    files: &FileStore,
    data_dir: &Path,
    to: &Path,
) -> Result<Manifest, BackupError> {
    make(Kind::Export, store, files, data_dir, to)
}

fn make(
    kind: Kind,
    store: &Store,
    files: &FileStore,
    data_dir: &Path,
    to: &Path,
) -> Result<Manifest, BackupError> {
    let made = prepare_empty(to, BackupError::TargetNotEmpty)?;
    let result = write_copy(kind, store, files, data_dir, to);
    if result.is_err() {
        // Nothing half-made is left to be mistaken for a backup.
        match made {
            Made::Folder => {
                let _ = std::fs::remove_dir_all(to);
            }
            Made::Nothing => clear(to),
        }
    }
    result
}

fn write_copy(
    kind: Kind,
    store: &Store,
    files: &FileStore,
    data_dir: &Path,
    to: &Path,
) -> Result<Manifest, BackupError> {
    // Removals wait from before the snapshot until its files are copied, so each one is still there.
    let hold = files.hold_removals();
    let copy = to.join(kind.store_file());
    let snap = match kind {
        Kind::Backup => {
            let snap = store.snapshot_to(&copy)?;
            // redb makes the file with the umask's mode; the export's file is made owner-only.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o600))
                .map_err(io("restricting", &copy))?;
            snap
        }
        Kind::Export => {
            let file = create_new(to, EXPORT_FILE)?;
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            let snap = store.export_to(&mut out)?;
            out.flush().map_err(io("writing", &copy))?;
            snap
        }
    };
    let created = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let mut entries = vec![hash_file(to, kind.store_file())?];
    let mut missing = vec![];
    for (tenant, id) in &snap.files {
        let rel = format!("files/{tenant}/{id}");
        match copy_in(&files.path(tenant, id), to, &rel) {
            Ok(e) => entries.push(e),
            Err(BackupError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                tracing::warn!(file = %rel, "the store refers to an upload that is not on disk");
                missing.push(rel);
            }
            Err(e) => return Err(e),
        }
    }
    drop(hold);
    for (tenant, reference) in &snap.submissions {
        let rel = format!("pdf/{tenant}/{reference}.pdf");
        let src = data_dir.join(&rel);
        // A PDF not kept yet (or cut short by a crash) is rendered when it is first needed.
        match std::fs::read(&src) {
            Ok(b) if crate::cases::pdf_complete(&b) => entries.push(write_new(to, &rel, &b)?),
            _ => {}
        }
    }
    // One flush of the backup's file system for every file and folder written above.
    sync_fs(to)?;
    let manifest = Manifest {
        format: kind.format().into(),
        format_version: FORMAT_VERSION,
        radhus_version: crate::VERSION.into(),
        schema_version: snap.schema_version,
        created,
        store_digest: snap.digest,
        submissions: snap.submissions.len() as u64,
        drafts: snap.drafts,
        store_rows: snap.rows,
        entries,
        missing,
    };
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| BackupError::Io {
        what: "writing the manifest",
        path: to.join(MANIFEST),
        source: std::io::Error::other(e),
    })?;
    // The manifest appears whole or not at all: written beside, flushed, renamed, and the rename flushed.
    let tmp = to.join(".manifest.json.tmp");
    write_synced(&tmp, &text)?;
    std::fs::rename(&tmp, to.join(MANIFEST)).map_err(io("renaming the manifest", to))?;
    sync_dir(to)?;
    Ok(manifest)
}

/// A new backup's folder name in a folder of backups: `radhus-<UTC date and time>`.
pub fn dated_name(now: time::OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year][month][day]-[hour][minute][second]");
    format!("radhus-{}", now.format(f).unwrap_or_default())
}

/// In a folder of dated backups, removes all but the newest `keep` complete ones, and interrupted ones
/// older than the newest complete one. Returns the folders removed.
pub fn rotate(parent: &Path, keep: usize) -> Result<Vec<PathBuf>, BackupError> {
    let mut dated: Vec<(String, PathBuf, bool)> = vec![];
    for e in std::fs::read_dir(parent)
        .map_err(io("reading", parent))?
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        let p = e.path();
        if name.starts_with("radhus-") && p.is_dir() {
            let complete = p.join(MANIFEST).is_file();
            dated.push((name, p, complete));
        }
    }
    dated.sort();
    let newest_complete = dated.iter().rev().find(|d| d.2).map(|d| d.0.clone());
    let mut complete_seen = 0;
    let mut removed = vec![];
    for (name, p, complete) in dated.into_iter().rev() {
        let drop = if complete {
            complete_seen += 1;
            complete_seen > keep.max(1)
        } else {
            newest_complete.as_ref().is_some_and(|n| name < *n)
        };
        if drop {
            std::fs::remove_dir_all(&p).map_err(io("removing the old backup", &p))?;
            removed.push(p);
        }
    }
    Ok(removed)
}

/// Restores the backup in `from` as the data folder `data` (new, or an empty folder).
pub fn restore(from: &Path, data: &Path) -> Result<Manifest, BackupError> {
    put_in_place(Kind::Backup, from, data)
}

/// Imports the export in `from` as the data folder `data` (new, or an empty folder).
pub fn import(from: &Path, data: &Path) -> Result<Manifest, BackupError> {
    put_in_place(Kind::Export, from, data)
}

fn put_in_place(kind: Kind, from: &Path, data: &Path) -> Result<Manifest, BackupError> {
    let manifest = read_manifest(kind, from)?;
    if data.exists() && !is_empty_dir(data)? {
        return Err(BackupError::DataNotEmpty(data.to_path_buf()));
    }
    // The listing is checked first; each file as it is copied into a new folder beside the target, which
    // is removed if any does not match.
    check_listing(kind, from, &manifest)?;
    let parent = match data.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = data
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".into());
    std::fs::create_dir_all(&parent).map_err(io("creating", &parent))?;
    let staging = parent.join(format!(".{name}.restoring-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = restore_into(kind, from, &manifest, &staging).and_then(|()| {
        if data.exists() {
            std::fs::remove_dir(data).map_err(io("replacing the empty folder", data))?;
        }
        std::fs::rename(&staging, data)
            .map_err(io("moving the restored folder into place", data))?;
        sync_dir(&parent)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result?;
    Ok(manifest)
}

fn restore_into(
    kind: Kind,
    from: &Path,
    manifest: &Manifest,
    staging: &Path,
) -> Result<(), BackupError> {
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(staging)
        .map_err(io("creating", staging))?;
    for e in &manifest.entries {
        if kind == Kind::Export && e.path == EXPORT_FILE {
            // Read into a new store below, not copied.
            check_entry(from, e, hash_file(from, &e.path))?;
            continue;
        }
        // Copied and hashed in one pass: what lands is what the manifest names.
        check_entry(from, e, copy_in(&from.join(&e.path), staging, &e.path))?;
    }
    if kind == Kind::Export {
        let src = from.join(EXPORT_FILE);
        let file = std::fs::File::open(&src).map_err(io("reading", &src))?;
        let mut lines = std::io::BufReader::with_capacity(1 << 20, file);
        let made = staging.join(crate::store::FILE_NAME);
        crate::store::snapshot::import(&mut lines, &made).map_err(|e| BackupError::Damaged {
            dir: from.to_path_buf(),
            detail: format!("{EXPORT_FILE} does not import: {e}"),
        })?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&made, std::fs::Permissions::from_mode(0o600))
            .map_err(io("restricting", &made))?;
    }
    sync_fs(staging)?;
    // The copied store opens (migrated if it is from an earlier schema) and, when no migration ran, holds
    // exactly what was backed up.
    let store = Store::open(staging)?;
    if manifest.schema_version == migrate::CURRENT {
        let digest = store.system().digest()?;
        if digest != manifest.store_digest {
            return Err(BackupError::Damaged {
                dir: from.to_path_buf(),
                detail: format!(
                    "the store's digest is {digest}, the manifest says {}",
                    manifest.store_digest
                ),
            });
        }
    }
    drop(store);
    Ok(())
}

/// Reads and checks the manifest of a backup or export folder (format, versions).
pub fn read_manifest(kind: Kind, from: &Path) -> Result<Manifest, BackupError> {
    let path = from.join(MANIFEST);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BackupError::Incomplete {
                dir: from.to_path_buf(),
                detail: format!(
                    "it has no {MANIFEST} (a {0} writes it last, so this one was interrupted or is not a {0})",
                    kind.name()
                ),
            });
        }
        Err(e) => return Err(io("reading", &path)(e)),
    };
    let damaged = |detail: String| BackupError::Damaged {
        dir: from.to_path_buf(),
        detail,
    };
    let m: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| damaged(format!("{MANIFEST} does not read: {e}")))?;
    if m.format != kind.format() {
        return Err(damaged(format!(
            "{MANIFEST} is not the manifest of a Rådhus {} (format {:?})",
            kind.name(),
            m.format
        )));
    }
    if m.format_version > FORMAT_VERSION {
        return Err(BackupError::TooNew {
            dir: from.to_path_buf(),
            what: format!(
                "backup format {}, this version reads up to {FORMAT_VERSION}",
                m.format_version
            ),
        });
    }
    if m.schema_version > migrate::CURRENT {
        return Err(BackupError::TooNew {
            dir: from.to_path_buf(),
            what: format!(
                "store schema {} by Rådhus {}, this version supports up to schema {}",
                m.schema_version,
                m.radhus_version,
                migrate::CURRENT
            ),
        });
    }
    Ok(m)
}

/// Checks every file of a backup or export against its manifest: present, the size and SHA-256 it lists, no
/// path outside the folder, the store among them.
pub fn verify(kind: Kind, from: &Path, m: &Manifest) -> Result<(), BackupError> {
    check_listing(kind, from, m)?;
    for e in &m.entries {
        check_entry(from, e, hash_file(from, &e.path))?;
    }
    Ok(())
}

/// What the manifest lists, before any file is read: paths inside the folder, each once, the store among
/// them.
fn check_listing(kind: Kind, from: &Path, m: &Manifest) -> Result<(), BackupError> {
    let damaged = |detail: String| BackupError::Damaged {
        dir: from.to_path_buf(),
        detail,
    };
    let mut seen = BTreeSet::new();
    for e in &m.entries {
        let rel = Path::new(&e.path);
        if e.path.is_empty()
            || !rel.components().all(|c| matches!(c, Component::Normal(_)))
            || !seen.insert(e.path.as_str())
        {
            return Err(damaged(format!(
                "the manifest lists {:?}, which is not a file of a backup",
                e.path
            )));
        }
    }
    if !seen.contains(kind.store_file()) {
        return Err(damaged(format!(
            "the manifest does not list the store ({})",
            kind.store_file()
        )));
    }
    Ok(())
}

/// One listed file as read (`got`: hashed in place or while copied) against its manifest entry.
fn check_entry(from: &Path, e: &Entry, got: Result<Entry, BackupError>) -> Result<(), BackupError> {
    let damaged = |detail: String| BackupError::Damaged {
        dir: from.to_path_buf(),
        detail,
    };
    let got = match got {
        Ok(g) => g,
        Err(BackupError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Err(BackupError::Incomplete {
                dir: from.to_path_buf(),
                detail: format!("{} is missing", e.path),
            });
        }
        Err(err) => return Err(err),
    };
    if got.bytes != e.bytes {
        return Err(damaged(format!(
            "{} has {} bytes, the manifest says {}",
            e.path, got.bytes, e.bytes
        )));
    }
    if got.sha256 != e.sha256 {
        return Err(damaged(format!(
            "{} does not have the SHA-256 the manifest lists",
            e.path
        )));
    }
    Ok(())
}

enum Made {
    Folder,
    Nothing,
}

/// Makes `dir` (owner only) or accepts it if it is an empty folder.
fn prepare_empty(dir: &Path, not_empty: fn(PathBuf) -> BackupError) -> Result<Made, BackupError> {
    if dir.exists() {
        if !is_empty_dir(dir)? {
            return Err(not_empty(dir.to_path_buf()));
        }
        return Ok(Made::Nothing);
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io("creating", dir))?;
    Ok(Made::Folder)
}

fn is_empty_dir(dir: &Path) -> Result<bool, BackupError> {
    let mut entries = std::fs::read_dir(dir).map_err(io("reading", dir))?;
    Ok(entries.next().is_none())
}

/// Empties a folder this code found empty and then wrote into.
fn clear(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            let _ = if p.is_dir() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
        }
    }
}

/// Copies everything from `src` into `to` (a sink, for only hashing), a MiB at a time, hashing it; returns
/// the entry for `rel`.
fn pump(src: &Path, mut to: impl Write, rel: &str, dest: &Path) -> Result<Entry, BackupError> {
    use sha2::Digest;
    use std::io::Read;
    let mut from = std::fs::File::open(src).map_err(io("reading", src))?;
    let mut hash = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = from.read(&mut buf).map_err(io("reading", src))?;
        let Some(chunk) = buf.get(..n).filter(|c| !c.is_empty()) else {
            break;
        };
        to.write_all(chunk).map_err(io("writing", dest))?;
        hash.update(chunk);
        bytes += chunk.len() as u64;
    }
    Ok(Entry {
        path: rel.to_owned(),
        bytes,
        sha256: crate::delivery::package::hex(&hash.finalize()),
    })
}

/// Size and SHA-256 of `root/rel`.
fn hash_file(root: &Path, rel: &str) -> Result<Entry, BackupError> {
    let path = root.join(rel);
    pump(&path, std::io::sink(), rel, &path)
}

/// Copies `src` to `root/rel` (a new file, owner only), hashing what it copies.
fn copy_in(src: &Path, root: &Path, rel: &str) -> Result<Entry, BackupError> {
    // A missing source is reported before anything is created.
    std::fs::metadata(src).map_err(io("reading", src))?;
    let to = create_new(root, rel)?;
    pump(src, to, rel, &root.join(rel))
}

fn write_new(root: &Path, rel: &str, bytes: &[u8]) -> Result<Entry, BackupError> {
    use sha2::Digest;
    let dest = root.join(rel);
    create_new(root, rel)?
        .write_all(bytes)
        .map_err(io("writing", &dest))?;
    Ok(Entry {
        path: rel.to_owned(),
        bytes: bytes.len() as u64,
        sha256: crate::delivery::package::hex(&sha2::Sha256::digest(bytes)),
    })
}

fn create_new(root: &Path, rel: &str) -> Result<std::fs::File, BackupError> {
    let dest = root.join(rel);
    if let Some(dir) = dest.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io("creating", dir))?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&dest)
        .map_err(io("creating", &dest))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(io("creating", path))?;
    f.write_all(bytes).map_err(io("writing", path))?;
    f.sync_all().map_err(io("flushing", path))
}

fn sync_dir(dir: &Path) -> Result<(), BackupError> {
    std::fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(io("flushing", dir))
}

/// Flushes the whole file system `dir` is on (every file the backup wrote, in one call).
fn sync_fs(dir: &Path) -> Result<(), BackupError> {
    use std::os::fd::AsRawFd;
    let f = std::fs::File::open(dir).map_err(io("flushing", dir))?;
    // SAFETY: syncfs on a file descriptor this function owns for the duration of the call.
    if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
        return Err(io("flushing", dir)(std::io::Error::last_os_error()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_the_newest_complete_backups() {
        let dir = tempfile::tempdir().unwrap();
        let make = |name: &str, complete: bool| {
            let p = dir.path().join(name);
            std::fs::create_dir(&p).unwrap();
            if complete {
                std::fs::write(p.join(MANIFEST), "{}").unwrap();
            }
        };
        make("radhus-20260101-020000", true);
        make("radhus-20260102-020000", false);
        make("radhus-20260103-020000", true);
        make("radhus-20260104-020000", true);
        make("radhus-20260105-020000", false);
        make("something-else", true);
        let removed = rotate(dir.path(), 2).unwrap();
        let names: Vec<_> = removed
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["radhus-20260102-020000", "radhus-20260101-020000"]);
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        // The newest interrupted one may still be running.
        assert_eq!(
            left,
            [
                "radhus-20260103-020000",
                "radhus-20260104-020000",
                "radhus-20260105-020000",
                "something-else"
            ]
        );
        assert_eq!(
            dated_name(time::macros::datetime!(2026-12-04 02:30:05 UTC)),
            "radhus-20261204-023005"
        );
    }

    #[test]
    fn removals_wait_for_the_backup_that_holds_them() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileStore::new(dir.path());
        let t = crate::ids::TenantId::parse("eksempel").unwrap();
        let id = crate::attachments::new_id().unwrap();
        let path = files.path(&t, &id);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"x").unwrap();
        let hold = files.hold_removals();
        let second = files.clone().hold_removals();
        files.remove(&t, &id);
        assert_eq!(files.sweep(std::time::Duration::ZERO, &|_, _| false), 0);
        assert!(path.exists(), "held while a backup copies");
        drop(hold);
        assert!(path.exists(), "held while any backup copies");
        drop(second);
        assert!(!path.exists(), "removed when the last hold ends");
    }
}
