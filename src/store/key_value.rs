//! Every redb table, declared in one place and named `key_value` after what maps to what.
//!
//! Values are records encoded by [`super::records`] (a format byte, a record version, then JSON), except
//! where the value type says otherwise. Composite keys join their parts with `/` (tenant ids, form ids and
//! references never contain it).

use redb::TableDefinition;

/// Store-wide facts: `schema_version` (u32, big-endian), `secret_key` (32 random bytes).
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// Server-side sessions, by session id.
pub const SESSIONID_SESSION: TableDefinition<&str, &[u8]> =
    TableDefinition::new("sessionid_session");

/// Drafts (answers in progress), by random draft id.
pub const DRAFTID_DRAFT: TableDefinition<&str, &[u8]> = TableDefinition::new("draftid_draft");

/// Submissions, by `tenant/reference`.
pub const TENANTREFERENCE_SUBMISSION: TableDefinition<&str, &[u8]> =
    TableDefinition::new("tenantreference_submission");

/// The last reference number given per tenant (u64). Bumped in the submission's own transaction, so a
/// number is used exactly when its submission is committed: gap-free, never reused.
pub const TENANT_REFERENCECOUNTER: TableDefinition<&str, u64> =
    TableDefinition::new("tenant_referencecounter");

/// Delivery outbox: one row per (submission, target), by `tenant/reference/target`.
pub const TENANTREFERENCETARGET_OUTBOXROW: TableDefinition<&str, &[u8]> =
    TableDefinition::new("tenantreferencetarget_outboxrow");

/// A tenant's lists of values (barnehager, skoler …), by `tenant/list`.
pub const TENANTLIST_VALUELIST: TableDefinition<&str, &[u8]> =
    TableDefinition::new("tenantlist_valuelist");

/// Which submission owns an uploaded file, by `tenant/file id` (value: the reference). Written in the
/// submission's transaction; a file on disk that no submission and no live draft holds is an orphan.
pub const TENANTFILE_REFERENCE: TableDefinition<&str, &str> =
    TableDefinition::new("tenantfile_reference");

/// Every table with record values, for the migration that creates them.
pub const ALL: [TableDefinition<&str, &[u8]>; 6] = [
    META,
    SESSIONID_SESSION,
    DRAFTID_DRAFT,
    TENANTREFERENCE_SUBMISSION,
    TENANTREFERENCETARGET_OUTBOXROW,
    TENANTLIST_VALUELIST,
];
