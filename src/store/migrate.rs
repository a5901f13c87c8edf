//! Schema migrations: an ordered list, each step in its own write transaction that also bumps
//! `meta.schema_version`. A store whose version is newer than [`CURRENT`] is refused, never touched.

use redb::{Database, ReadableDatabase, WriteTransaction};

use super::{StoreError, key_value};

pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub run: fn(&WriteTransaction) -> Result<(), StoreError>,
}

/// The ordered list. Append only; never edit a step that has shipped.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "create tables and the secret key",
        run: v1_create,
    },
    Migration {
        version: 2,
        name: "owners of uploaded files",
        run: v2_file_owners,
    },
];

/// The schema version this build writes.
pub const CURRENT: u32 = 2;

fn v2_file_owners(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(key_value::TENANTFILE_REFERENCE)?;
    Ok(())
}

fn v1_create(tx: &WriteTransaction) -> Result<(), StoreError> {
    for def in key_value::ALL {
        tx.open_table(def)?;
    }
    tx.open_table(key_value::TENANT_REFERENCECOUNTER)?;
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| StoreError::Random(e.to_string()))?;
    tx.open_table(key_value::META)?
        .insert("secret_key", key.as_slice())?;
    Ok(())
}

/// Reads the schema version (0 for a new, empty store).
pub fn schema_version(db: &Database) -> Result<u32, StoreError> {
    let tx = db.begin_read()?;
    let table = match tx.open_table(key_value::META) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let Some(v) = table.get("schema_version")? else {
        return Ok(0);
    };
    let bytes: [u8; 4] = v.value().try_into().map_err(|_| StoreError::Corrupt {
        what: "meta.schema_version",
        detail: "not 4 bytes".into(),
    })?;
    Ok(u32::from_be_bytes(bytes))
}

/// Brings the store up to [`CURRENT`], one transaction per step.
pub fn run(db: &Database, path: &std::path::Path) -> Result<(), StoreError> {
    let found = schema_version(db)?;
    if found > CURRENT {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: CURRENT,
        });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        let tx = db.begin_write()?;
        (m.run)(&tx)?;
        tx.open_table(key_value::META)?
            .insert("schema_version", m.version.to_be_bytes().as_slice())?;
        tx.commit()?;
        tracing::info!(version = m.version, name = m.name, "store migrated");
    }
    Ok(())
}

/// Test support: marks a store as written by a future version.
pub fn force_schema_version(db: &Database, version: u32) -> Result<(), StoreError> {
    let tx = db.begin_write()?;
    tx.open_table(key_value::META)?
        .insert("schema_version", version.to_be_bytes().as_slice())?;
    tx.commit()?;
    Ok(())
}
