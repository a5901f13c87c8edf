//! A consistent copy of the whole store, taken while the server runs: one read transaction (redb keeps the
//! pages it sees until it ends, whatever the writer commits meanwhile) copied table by table into a new
//! store file. The same transaction names the files the copy refers to, so a backup holds exactly what its
//! store needs. Every table of the current schema is copied; a table this code does not know (a schema
//! change that forgot the backup) fails the copy instead of leaving it out.

use std::collections::BTreeSet;
use std::path::Path;

use redb::{
    Database, Durability, Key, MultimapTableHandle, ReadTransaction, ReadableDatabase,
    ReadableTable, TableDefinition, TableHandle, Value, WriteTransaction,
};

use super::{Store, StoreError, key_value, migrate, records};
use crate::cases::records::{Draft, Submission};
use crate::ids::{FileId, Reference, TenantId};

/// What a snapshot holds and refers to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub schema_version: u32,
    /// [`super::SystemStore::digest`] of the copied contents.
    pub digest: String,
    /// Uploaded files held by a draft or owned by a submission.
    pub files: BTreeSet<(TenantId, FileId)>,
    /// Every submission (its kept PDF, if there is one, belongs in a backup too).
    pub submissions: Vec<(TenantId, Reference)>,
    pub drafts: u64,
    pub rows: u64,
}

/// Rows copied per write transaction into the new file (the last commit makes them all durable).
const CHUNK: u64 = 20_000;

impl Store {
    /// Copies the store as it is now into a new store file at `dest` (which must not exist).
    pub fn snapshot_to(&self, dest: &Path) -> Result<Snapshot, StoreError> {
        let open = |detail: String| StoreError::Open {
            path: dest.to_path_buf(),
            detail,
        };
        if dest.exists() {
            return Err(open("the file exists already".into()));
        }
        let read = self.db()?.begin_read()?;
        only_known_tables(&read)?;
        let out = Database::create(dest).map_err(|e| open(e.to_string()))?;
        let mut copier = Copier::new(&out)?;
        for def in key_value::ALL {
            copier.table(&read, def)?;
        }
        copier.table(&read, key_value::DUEAT_OUTBOXKEY)?;
        copier.table(&read, key_value::TENANT_REFERENCECOUNTER)?;
        copier.table(&read, key_value::TENANTFILE_REFERENCE)?;
        let rows = copier.finish()?;
        let mut snap = refers_to(&read)?;
        snap.rows = rows;
        snap.schema_version = schema_of(&read)?;
        snap.digest = super::system::digest_of(&read)?;
        drop(out);
        // The copy reads back as what was copied.
        let copy = Database::create(dest).map_err(|e| open(e.to_string()))?;
        let again = super::system::digest_of(&copy.begin_read()?)?;
        if again != snap.digest {
            return Err(open(format!(
                "the copy's digest {again} differs from the store's {}",
                snap.digest
            )));
        }
        Ok(snap)
    }
}

/// Refuses a store with a table this code does not know: a backup or export would leave it out.
fn only_known_tables(read: &ReadTransaction) -> Result<(), StoreError> {
    let mut names: BTreeSet<String> = read.list_tables()?.map(|t| t.name().to_owned()).collect();
    names.extend(read.list_multimap_tables()?.map(|t| t.name().to_owned()));
    let known = known_tables();
    match names.iter().find(|n| !known.contains(&n.as_str())) {
        Some(unknown) => Err(StoreError::Corrupt {
            what: "store table",
            detail: format!(
                "the table {unknown:?} is not known to backup and export; this build cannot copy it"
            ),
        }),
        None => Ok(()),
    }
}

/// The tables of the current schema, by name.
fn known_tables() -> Vec<&'static str> {
    let mut names: Vec<&str> = key_value::ALL.iter().map(|d| d.name()).collect();
    names.push(key_value::DUEAT_OUTBOXKEY.name());
    names.push(key_value::TENANT_REFERENCECOUNTER.name());
    names.push(key_value::TENANTFILE_REFERENCE.name());
    names
}

fn schema_of(read: &ReadTransaction) -> Result<u32, StoreError> {
    let meta = read.open_table(key_value::META)?;
    let v = meta.get("schema_version")?.ok_or(StoreError::Corrupt {
        what: "meta.schema_version",
        detail: "missing".into(),
    })?;
    let bytes: [u8; 4] = v.value().try_into().map_err(|_| StoreError::Corrupt {
        what: "meta.schema_version",
        detail: "not 4 bytes".into(),
    })?;
    Ok(u32::from_be_bytes(bytes))
}

/// The files and submissions the snapshot refers to.
fn refers_to(read: &ReadTransaction) -> Result<Snapshot, StoreError> {
    let mut snap = Snapshot::default();
    for entry in read.open_table(key_value::TENANTDRAFT_DRAFT)?.iter()? {
        let (_, v) = entry?;
        let d: Draft = records::decode(v.value())?;
        snap.drafts += 1;
        for id in d.files.keys() {
            snap.files.insert((d.tenant.clone(), id.clone()));
        }
    }
    for entry in read.open_table(key_value::TENANTFILE_REFERENCE)?.iter()? {
        let (k, _) = entry?;
        if let Some((t, id)) = k.value().split_once('/')
            && let (Ok(t), Ok(id)) = (TenantId::parse(t), FileId::parse(id))
        {
            snap.files.insert((t, id));
        }
    }
    for entry in read
        .open_table(key_value::TENANTREFERENCE_SUBMISSION)?
        .iter()?
    {
        let (_, v) = entry?;
        let s: Submission = records::decode(v.value())?;
        snap.submissions.push((s.tenant, s.reference));
    }
    Ok(snap)
}

struct Copier<'d> {
    out: &'d Database,
    tx: Option<WriteTransaction>,
    in_tx: u64,
    rows: u64,
}

impl<'d> Copier<'d> {
    fn new(out: &'d Database) -> Result<Copier<'d>, StoreError> {
        Ok(Copier {
            out,
            tx: Some(out.begin_write()?),
            in_tx: 0,
            rows: 0,
        })
    }

    /// The transaction rows go into now.
    fn tx(&self) -> Result<&WriteTransaction, StoreError> {
        self.tx.as_ref().ok_or(StoreError::Closed)
    }

    /// Counts a row written through [`Copier::tx`]; a full chunk is committed.
    fn wrote(&mut self) -> Result<(), StoreError> {
        self.in_tx += 1;
        self.rows += 1;
        if self.in_tx >= CHUNK {
            self.commit_chunk()?;
        }
        Ok(())
    }

    fn table<K: Key + 'static, V: Value + 'static>(
        &mut self,
        read: &ReadTransaction,
        def: TableDefinition<K, V>,
    ) -> Result<(), StoreError> {
        let from = match read.open_table(def) {
            Ok(t) => t,
            // A table the store has not made yet (none of its rows were ever written) has nothing to copy.
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let mut rows = from.iter()?;
        loop {
            let tx = self.tx.as_ref().ok_or(StoreError::Closed)?;
            let mut to = tx.open_table(def)?;
            let mut full = false;
            for row in rows.by_ref() {
                let (k, v) = row?;
                to.insert(k.value(), v.value())?;
                self.in_tx += 1;
                self.rows += 1;
                if self.in_tx >= CHUNK {
                    full = true;
                    break;
                }
            }
            drop(to);
            if !full {
                return Ok(());
            }
            self.commit_chunk()?;
        }
    }

    /// Commits what is copied so far without waiting for the disk; [`Copier::finish`] makes it durable.
    fn commit_chunk(&mut self) -> Result<(), StoreError> {
        if let Some(mut tx) = self.tx.take() {
            let _ = tx.set_durability(Durability::None);
            tx.commit()?;
        }
        self.tx = Some(self.out.begin_write()?);
        self.in_tx = 0;
        Ok(())
    }

    fn finish(mut self) -> Result<u64, StoreError> {
        if let Some(tx) = self.tx.take() {
            tx.commit()?;
        }
        Ok(self.rows)
    }
}

/// One line of an export (`store.jsonl`): a table, a key and the value in the form its table keeps it.
/// Record values (`[format][version][JSON]`, see [`records`]) carry their JSON byte for byte, so an import
/// writes exactly what was exported; other values are typed (`u64`, `text`, none for a key-only index)
/// or, for the store's own facts, base64 bytes.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Line {
    pub table: String,
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Box<serde_json::value::RawValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub u64: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Line {
    fn of_bytes(table: &str, key: &str, v: &[u8]) -> Line {
        use base64::Engine as _;
        let mut line = Line::key_only(table, key);
        match v {
            [format @ 1, version, payload @ ..] if table != key_value::META.name() => {
                if let Some(raw) = std::str::from_utf8(payload)
                    .ok()
                    .and_then(|s| serde_json::value::RawValue::from_string(s.to_owned()).ok())
                {
                    line.format = Some(*format);
                    line.version = Some(*version);
                    line.record = Some(raw);
                    return line;
                }
                line.bytes = Some(base64::engine::general_purpose::STANDARD.encode(v));
            }
            _ => line.bytes = Some(base64::engine::general_purpose::STANDARD.encode(v)),
        }
        line
    }

    fn key_only(table: &str, key: &str) -> Line {
        Line {
            table: table.to_owned(),
            key: key.to_owned(),
            format: None,
            version: None,
            record: None,
            bytes: None,
            u64: None,
            text: None,
        }
    }

    /// The stored bytes of a bytes-valued line.
    fn value_bytes(&self) -> Result<Vec<u8>, String> {
        use base64::Engine as _;
        match (&self.record, &self.bytes) {
            (Some(raw), None) => {
                let mut out = vec![self.format.unwrap_or(1), self.version.ok_or("no version")?];
                out.extend_from_slice(raw.get().as_bytes());
                Ok(out)
            }
            (None, Some(b)) => base64::engine::general_purpose::STANDARD
                .decode(b)
                .map_err(|e| format!("bytes are not base64: {e}")),
            _ => Err("needs either a record or bytes".into()),
        }
    }
}

impl Store {
    /// Writes every row of the store, as it is now (one read transaction), as JSON lines to `out`.
    pub fn export_to(&self, out: &mut dyn std::io::Write) -> Result<Snapshot, StoreError> {
        let read = self.db()?.begin_read()?;
        let io = |e: std::io::Error| StoreError::Write(format!("writing the export: {e}"));
        only_known_tables(&read)?;
        let mut rows = 0u64;
        let mut emit = |line: Line| -> Result<(), StoreError> {
            let mut text = serde_json::to_vec(&line).map_err(|e| StoreError::Corrupt {
                what: "export line",
                detail: e.to_string(),
            })?;
            text.push(b'\n');
            out.write_all(&text).map_err(io)?;
            rows += 1;
            Ok(())
        };
        for def in key_value::ALL {
            for row in read.open_table(def)?.iter()? {
                let (k, v) = row?;
                emit(Line::of_bytes(def.name(), k.value(), v.value()))?;
            }
        }
        for row in read
            .open_table(key_value::TENANT_REFERENCECOUNTER)?
            .iter()?
        {
            let (k, v) = row?;
            let mut line = Line::key_only(key_value::TENANT_REFERENCECOUNTER.name(), k.value());
            line.u64 = Some(v.value());
            emit(line)?;
        }
        for row in read.open_table(key_value::DUEAT_OUTBOXKEY)?.iter()? {
            let (k, _) = row?;
            emit(Line::key_only(key_value::DUEAT_OUTBOXKEY.name(), k.value()))?;
        }
        for row in read.open_table(key_value::TENANTFILE_REFERENCE)?.iter()? {
            let (k, v) = row?;
            let mut line = Line::key_only(key_value::TENANTFILE_REFERENCE.name(), k.value());
            line.text = Some(v.value().to_owned());
            emit(line)?;
        }
        let mut snap = refers_to(&read)?;
        snap.rows = rows;
        snap.schema_version = schema_of(&read)?;
        snap.digest = super::system::digest_of(&read)?;
        Ok(snap)
    }
}

/// Makes a new store file at `dest` from an export's lines (written by this schema version), and returns
/// its digest. Every line must name a table of this schema and carry the value its table keeps.
pub fn import(lines: &mut dyn std::io::BufRead, dest: &Path) -> Result<String, StoreError> {
    let bad = |n: u64, detail: String| StoreError::Corrupt {
        what: "export line",
        detail: format!("line {n}: {detail}"),
    };
    if dest.exists() {
        return Err(StoreError::Open {
            path: dest.to_path_buf(),
            detail: "the file exists already".into(),
        });
    }
    let db = Database::create(dest).map_err(|e| StoreError::Open {
        path: dest.to_path_buf(),
        detail: e.to_string(),
    })?;
    let mut copier = Copier::new(&db)?;
    // The tables of this schema, empty (the export's META brings the key and the version).
    {
        let t = copier.tx()?;
        for def in key_value::ALL {
            t.open_table(def)?;
        }
        t.open_table(key_value::TENANT_REFERENCECOUNTER)?;
        t.open_table(key_value::DUEAT_OUTBOXKEY)?;
        t.open_table(key_value::TENANTFILE_REFERENCE)?;
    }
    let mut n = 0u64;
    let mut text = String::new();
    loop {
        text.clear();
        let read = lines
            .read_line(&mut text)
            .map_err(|e| StoreError::Write(format!("reading the export: {e}")))?;
        if read == 0 {
            break;
        }
        n += 1;
        if text.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(&text).map_err(|e| bad(n, e.to_string()))?;
        let t = copier.tx()?;
        let name = line.table.as_str();
        if let Some(def) = key_value::ALL.iter().find(|d| d.name() == name) {
            let v = line.value_bytes().map_err(|e| bad(n, e))?;
            t.open_table(*def)?
                .insert(line.key.as_str(), v.as_slice())?;
        } else if name == key_value::TENANT_REFERENCECOUNTER.name() {
            let v = line
                .u64
                .ok_or_else(|| bad(n, "a counter needs u64".into()))?;
            t.open_table(key_value::TENANT_REFERENCECOUNTER)?
                .insert(line.key.as_str(), v)?;
        } else if name == key_value::DUEAT_OUTBOXKEY.name() {
            t.open_table(key_value::DUEAT_OUTBOXKEY)?
                .insert(line.key.as_str(), ())?;
        } else if name == key_value::TENANTFILE_REFERENCE.name() {
            let v = line
                .text
                .as_deref()
                .ok_or_else(|| bad(n, "a file owner needs text".into()))?;
            t.open_table(key_value::TENANTFILE_REFERENCE)?
                .insert(line.key.as_str(), v)?;
        } else {
            return Err(bad(
                n,
                format!("the table {name:?} is not part of this schema"),
            ));
        }
        copier.wrote()?;
    }
    copier.finish()?;
    let read = db.begin_read()?;
    let version = schema_of(&read)?;
    if version != migrate::CURRENT {
        return Err(StoreError::Corrupt {
            what: "export",
            detail: format!(
                "it is of store schema {version}; this version imports schema {}",
                migrate::CURRENT
            ),
        });
    }
    super::system::digest_of(&read)
}
