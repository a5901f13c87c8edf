//! Every redb table, declared in one place and named `key_value` after what maps to what.
//!
//! Values are records encoded by [`super::records`] (a format byte, a record version, then JSON), except
//! where the value type says otherwise. Composite keys join their parts with `/` (tenant ids, form ids and
//! references never contain it).

use redb::TableDefinition;

/// Store-wide facts: `schema_version` (u32, big-endian), `secret_key` (32 random bytes), `outbox_counts`
/// (the outbox rows by state: pending, failing, failed, delivered, four big-endian u64).
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// Server-side sessions, by session id.
pub const SESSIONID_SESSION: TableDefinition<&str, &[u8]> =
    TableDefinition::new("sessionid_session");

/// Schema 1–2 kept drafts by draft id alone; migration 3 moves them to [`TENANTDRAFT_DRAFT`].
pub const DRAFTID_DRAFT: TableDefinition<&str, &[u8]> = TableDefinition::new("draftid_draft");

/// Drafts (answers in progress), by `tenant/draft id`.
pub const TENANTDRAFT_DRAFT: TableDefinition<&str, &[u8]> =
    TableDefinition::new("tenantdraft_draft");

/// The outbox rows that are due or will be, by `<due at, 20 digits>/<outbox key>`: pending rows at their
/// creation time, failing rows at their next try. Delivered and failed rows leave it. The workers read
/// the due part of this index instead of scanning the outbox.
pub const DUEAT_OUTBOXKEY: TableDefinition<&str, ()> = TableDefinition::new("dueat_outboxkey");

/// The form definitions (TOML source) that drafts and submissions were made on, by `tenant/form/hash`,
/// so a draft continues and a submission renders on its own version after the library changes.
pub const TENANTFORMHASH_FORMVERSION: TableDefinition<&str, &[u8]> =
    TableDefinition::new("tenantformhash_formversion");

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

/// Citizens' password accounts, by `tenant/account id`.
pub const TENANTACCOUNT_ACCOUNT: TableDefinition<&str, &[u8]> =
    TableDefinition::new("tenantaccount_account");

/// Which account has an e-mail address, by `tenant/address` (lower-cased).
pub const TENANTEMAIL_EMAILOWNER: TableDefinition<&str, &[u8]> =
    TableDefinition::new("tenantemail_emailowner");

/// Single-use links sent by mail (verify, reset, new address), by the SHA-256 of the token (hex).
pub const TOKENHASH_ACCOUNTTOKEN: TableDefinition<&str, &[u8]> =
    TableDefinition::new("tokenhash_accounttoken");

/// What happened to a case after it was received (status changes, messages), by `tenant/reference`.
pub const TENANTREFERENCE_CASEHISTORY: TableDefinition<&str, &[u8]> =
    TableDefinition::new("tenantreference_casehistory");

/// The record tables of schema 1, for the migration that creates them.
pub const V1: [TableDefinition<&str, &[u8]>; 6] = [
    META,
    SESSIONID_SESSION,
    DRAFTID_DRAFT,
    TENANTREFERENCE_SUBMISSION,
    TENANTREFERENCETARGET_OUTBOXROW,
    TENANTLIST_VALUELIST,
];

/// Every table with record values in the current schema (the digest reads these).
pub const ALL: [TableDefinition<&str, &[u8]>; 11] = [
    META,
    SESSIONID_SESSION,
    TENANTDRAFT_DRAFT,
    TENANTREFERENCE_SUBMISSION,
    TENANTREFERENCETARGET_OUTBOXROW,
    TENANTLIST_VALUELIST,
    TENANTFORMHASH_FORMVERSION,
    TENANTACCOUNT_ACCOUNT,
    TENANTEMAIL_EMAILOWNER,
    TOKENHASH_ACCOUNTTOKEN,
    TENANTREFERENCE_CASEHISTORY,
];
