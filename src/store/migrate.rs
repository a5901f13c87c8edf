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
    Migration {
        version: 3,
        name: "drafts keyed by tenant, the due index of the outbox, pinned form versions",
        run: v3_tenant_drafts_due_index,
    },
    Migration {
        version: 4,
        name: "citizens' accounts, their e-mail index and single-use links; case histories",
        run: v4_accounts,
    },
];

/// The schema version this build writes.
pub const CURRENT: u32 = MIGRATIONS.len() as u32;

fn v4_accounts(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(key_value::TENANTACCOUNT_ACCOUNT)?;
    tx.open_table(key_value::TENANTEMAIL_EMAILOWNER)?;
    tx.open_table(key_value::TOKENHASH_ACCOUNTTOKEN)?;
    tx.open_table(key_value::TENANTREFERENCE_CASEHISTORY)?;
    Ok(())
}

/// Drafts move under their tenant's key; every undelivered outbox row enters the due index.
fn v3_tenant_drafts_due_index(tx: &WriteTransaction) -> Result<(), StoreError> {
    use super::records;
    use crate::cases::records::{Draft, OutboxRow, OutboxState};
    use redb::ReadableTable;
    {
        let old = tx.open_table(key_value::DRAFTID_DRAFT)?;
        let mut new = tx.open_table(key_value::TENANTDRAFT_DRAFT)?;
        for row in old.iter()? {
            let (k, v) = row?;
            let draft: Draft = records::decode(v.value())?;
            let id = crate::ids::DraftId::parse(k.value()).map_err(|e| StoreError::Corrupt {
                what: "draft id",
                detail: e.to_string(),
            })?;
            new.insert(super::keys::draft(&draft.tenant, &id).as_str(), v.value())?;
        }
    }
    tx.delete_table(key_value::DRAFTID_DRAFT)?;
    {
        let rows = tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)?;
        let mut due = tx.open_table(key_value::DUEAT_OUTBOXKEY)?;
        for row in rows.iter()? {
            let (k, v) = row?;
            let r: OutboxRow = records::decode(v.value())?;
            let at = match r.state {
                OutboxState::Pending => Some(r.created),
                OutboxState::Failing { next_try, .. } => Some(next_try),
                OutboxState::Delivered { .. } | OutboxState::Failed { .. } => None,
            };
            if let Some(at) = at {
                due.insert(super::keys::due(at, k.value()).as_str(), ())?;
            }
        }
    }
    tx.open_table(key_value::TENANTFORMHASH_FORMVERSION)?;
    Ok(())
}

fn v2_file_owners(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(key_value::TENANTFILE_REFERENCE)?;
    Ok(())
}

fn v1_create(tx: &WriteTransaction) -> Result<(), StoreError> {
    for def in key_value::V1 {
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
