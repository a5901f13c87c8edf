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
        let read = self.db.begin_read()?;
        let mut names: BTreeSet<String> =
            read.list_tables()?.map(|t| t.name().to_owned()).collect();
        names.extend(read.list_multimap_tables()?.map(|t| t.name().to_owned()));
        let known = known_tables();
        if let Some(unknown) = names.iter().find(|n| !known.contains(&n.as_str())) {
            return Err(StoreError::Corrupt {
                what: "store table",
                detail: format!(
                    "the table {unknown:?} is not known to the backup; this build cannot copy it"
                ),
            });
        }
        let out = Database::create(dest).map_err(|e| open(e.to_string()))?;
        let mut copier = Copier {
            out: &out,
            tx: Some(out.begin_write()?),
            in_tx: 0,
            rows: 0,
        };
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
    let version = u32::from_be_bytes(bytes);
    debug_assert!(version <= migrate::CURRENT);
    Ok(version)
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

impl Copier<'_> {
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
