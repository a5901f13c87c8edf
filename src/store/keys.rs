//! Every store key, built in one place. Composite keys join their parts with `/`: tenant ids, form ids,
//! draft and file ids, references and target names never contain it (their types refuse it), so a
//! tenant's keys all start with `<tenant>/` and a prefix scan never reaches another tenant.

use crate::ids::{DraftId, FileId, FormId, Reference, Target, TenantId};

/// Everything of one tenant in a tenant-keyed table.
pub fn tenant_prefix(t: &TenantId) -> String {
    format!("{t}/")
}

pub fn draft(t: &TenantId, d: &DraftId) -> String {
    format!("{t}/{d}")
}

pub fn submission(t: &TenantId, r: &Reference) -> String {
    format!("{t}/{r}")
}

pub fn outbox(t: &TenantId, r: &Reference, target: &Target) -> String {
    format!("{t}/{r}/{target}")
}

/// Every outbox row of one submission.
pub fn outbox_prefix(t: &TenantId, r: &Reference) -> String {
    format!("{t}/{r}/")
}

/// The receipt copies of one submission (`kvittering-<n>` rows).
pub fn receipt_copy_prefix(t: &TenantId, r: &Reference) -> String {
    format!("{t}/{r}/kvittering-")
}

pub fn file_owner(t: &TenantId, f: &FileId) -> String {
    format!("{t}/{f}")
}

pub fn value_list(t: &TenantId, list: &str) -> String {
    format!("{t}/{list}")
}

/// A form version a draft or submission of the tenant was made on, by content hash.
pub fn form_version(t: &TenantId, f: &FormId, hash: &str) -> String {
    format!("{t}/{f}/{hash}")
}

/// The due index: rows ordered by when they are due (zero-padded unix seconds), then by row key.
pub fn due(at: i64, outbox_key: &str) -> String {
    format!("{:020}/{outbox_key}", at.max(0))
}

/// The outbox key inside a due-index key.
pub fn outbox_key_of_due(due_key: &str) -> Option<&str> {
    due_key.split_once('/').map(|(_, k)| k)
}

/// The due time inside a due-index key.
pub fn due_time(due_key: &str) -> Option<i64> {
    due_key.split_once('/').and_then(|(t, _)| t.parse().ok())
}

pub fn account(t: &TenantId, a: &crate::ids::AccountId) -> String {
    format!("{t}/{a}")
}

/// The identity index's key (in the e-mail index's table; addresses always have an `@`, these never):
/// `identity` is `pid:<number>` or `oidc:<provider>:<sub>`.
pub fn identity(t: &TenantId, identity: &str) -> String {
    format!("{t}/{identity}")
}

/// The e-mail index's key: the address lower-cased.
pub fn email(t: &TenantId, address: &str) -> String {
    format!("{t}/{}", address.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_keys_sort_by_time_and_round_trip() {
        let a = due(9, "t/2026-00001/archive");
        let b = due(10, "t/2026-00002/archive");
        assert!(a < b, "zero-padded: 9 sorts before 10");
        assert_eq!(outbox_key_of_due(&a), Some("t/2026-00001/archive"));
        assert_eq!(due_time(&b), Some(10));
    }
}
