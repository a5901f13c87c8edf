//! Every redb table, declared in one place and named `key_value` after what maps to what.
//!
//! Values are records encoded by [`super::records`] (a format byte, a record version, then JSON).

use redb::TableDefinition;

/// Store-wide facts: `schema_version` (u32, big-endian), `secret_key` (32 random bytes).
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// Server-side sessions, by session id.
pub const SESSIONID_SESSION: TableDefinition<&str, &[u8]> =
    TableDefinition::new("sessionid_session");

/// Every table, for migrations that create them and for `radhus` tools that list them.
pub const ALL: [TableDefinition<&str, &[u8]>; 2] = [META, SESSIONID_SESSION];
