//! The cross-tenant handle, [`SystemStore`] (made by [`Store::system`]): for the delivery workers, the
//! sweeps, the control socket, metrics and tests — never for a request handler, which reaches data only
//! through its tenant's [`TenantStore`](super::tenant::TenantStore).

use std::collections::HashSet;

use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata};

use super::tenant::{get, put_outbox};
use super::{Store, StoreError, key_value, keys, records};
use crate::cases::records::{Draft, OutboxRow, OutboxState};
use crate::ids::{FileId, TenantId};

pub struct SystemStore<'s> {
    pub(super) store: &'s Store,
}

/// Outbox rows by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: u64,
    pub failing: u64,
    pub failed: u64,
    pub delivered: u64,
}

/// Entries of the due index a lane looks at per read: enough for many batches, bounded when another
/// lane's rows queue up in front.
pub const SCAN: usize = 4096;

/// What waits for delivery ([`SystemStore::backlog`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    pub rows: u64,
    pub oldest_created: Option<i64>,
}

impl Store {
    /// The handle that reads across tenants (workers, sweeps, control socket, metrics).
    pub fn system(&self) -> SystemStore<'_> {
        SystemStore { store: self }
    }
}

impl SystemStore<'_> {
    /// Walks the first [`SCAN`] entries of the due index (only those due by `until`, if given) with their
    /// rows, in due order, until `visit` returns false. Returns how many entries the whole index holds.
    fn walk_due(
        &self,
        until: Option<i64>,
        mut visit: impl FnMut(i64, OutboxRow) -> bool,
    ) -> Result<u64, StoreError> {
        let tx = self.store.db()?.begin_read()?;
        let due = tx.open_table(key_value::DUEAT_OUTBOXKEY)?;
        let rows = tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)?;
        let entries = match until {
            Some(t) => due.range(..keys::due(t.saturating_add(1), "").as_str())?,
            None => due.iter()?,
        };
        for entry in entries.take(SCAN) {
            let (k, _) = entry?;
            let (Some(key), Some(at)) = (
                keys::outbox_key_of_due(k.value()),
                keys::due_time(k.value()),
            ) else {
                continue;
            };
            if let Some(v) = rows.get(key)?
                && !visit(at, records::decode(v.value())?)
            {
                break;
            }
        }
        Ok(due.len()?)
    }

    /// Rows that are pending, or failing with their next try due, in the order they became due; at most
    /// `limit`, of those `want` accepts (a delivery lane takes its own targets and skips rows it has in
    /// flight). Reads the due index, never the whole outbox, and looks at no more than [`SCAN`] entries.
    pub fn due_deliveries(
        &self,
        now: i64,
        limit: usize,
        want: impl Fn(&OutboxRow) -> bool,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let mut out = vec![];
        self.walk_due(Some(now), |_, row| {
            if want(&row) {
                out.push(row);
            }
            out.len() < limit
        })?;
        Ok(out)
    }

    /// When the first row `want` accepts will be due (to sleep until then), if any among the first
    /// [`SCAN`] entries of the due index.
    pub fn next_due(&self, want: impl Fn(&OutboxRow) -> bool) -> Result<Option<i64>, StoreError> {
        let mut next = None;
        self.walk_due(None, |at, row| {
            if want(&row) {
                next = Some(at);
            }
            next.is_none()
        })?;
        Ok(next)
    }

    /// The backlog: rows waiting for delivery (pending, or failing with a retry ahead) and the time the
    /// oldest of them was created. The index is ordered by due time and a row created earlier may be due
    /// later (a retry), so the oldest is looked for among the first [`SCAN`] entries.
    pub fn backlog(&self) -> Result<Backlog, StoreError> {
        let mut oldest: Option<i64> = None;
        let rows = self.walk_due(None, |_, row| {
            oldest = Some(oldest.map_or(row.created, |o| o.min(row.created)));
            true
        })?;
        Ok(Backlog {
            rows,
            oldest_created: oldest,
        })
    }

    /// Every outbox row (the `deliveries` command), optionally only those not delivered; oldest first.
    pub fn all_deliveries(&self, undelivered_only: bool) -> Result<Vec<OutboxRow>, StoreError> {
        let tx = self.store.db()?.begin_read()?;
        let t = tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)?;
        let mut out = vec![];
        for row in t.iter()? {
            let (_, v) = row?;
            let r: OutboxRow = records::decode(v.value())?;
            if !undelivered_only || !matches!(r.state, OutboxState::Delivered { .. }) {
                out.push(r);
            }
        }
        out.sort_by_key(|r| r.created);
        Ok(out)
    }

    /// The outbox's rows by state, from the counts kept with the rows (one read); a store that has not
    /// changed a row since it began keeping them is counted row by row.
    pub fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let tx = self.store.db()?.begin_read()?;
        let kept = match tx.open_table(key_value::META) {
            Ok(meta) => meta
                .get(super::tenant::OUTBOX_COUNTS)?
                .and_then(|v| super::tenant::decode_counts(v.value())),
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(e.into()),
        };
        let c = match kept {
            Some(c) => c,
            None => match tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW) {
                Ok(t) => super::tenant::count_rows(&t)?,
                Err(redb::TableError::TableDoesNotExist(_)) => [0; 4],
                Err(e) => return Err(e.into()),
            },
        };
        let [pending, failing, failed, delivered] = c;
        Ok(OutboxCounts {
            pending,
            failing,
            failed,
            delivered,
        })
    }

    /// Sets the states of rows in one durable transaction (a delivery is only recorded once it is on
    /// disk; a batch of them together), keeping the due index in step.
    pub async fn set_delivery_states(
        &self,
        changes: Vec<(OutboxRow, OutboxState)>,
    ) -> Result<(), StoreError> {
        self.store
            .write(true, move |tx| {
                for (row, state) in changes {
                    let key = keys::outbox(&row.tenant, &row.reference, &row.target);
                    let Some(mut row) =
                        get::<OutboxRow>(tx, key_value::TENANTREFERENCETARGET_OUTBOXROW, &key)?
                    else {
                        continue;
                    };
                    let old = std::mem::replace(&mut row.state, state);
                    put_outbox(tx, &key, Some(&old), &row)?;
                }
                Ok(())
            })
            .await
    }

    /// Removes drafts whose lifetime is over (submitted ones included: the submission holds the answers).
    pub async fn expire_drafts(&self, now: i64) -> Result<usize, StoreError> {
        self.store
            .write(true, move |tx| {
                let mut n = 0;
                tx.open_table(key_value::TENANTDRAFT_DRAFT)?
                    .retain(|_, v| {
                        let keep = records::decode::<Draft>(v).is_ok_and(|d| d.expires > now);
                        n += usize::from(!keep);
                        keep
                    })?;
                Ok(n)
            })
            .await
    }

    /// Every `(tenant, file id)` held by a draft or owned by a submission — what the orphan sweep keeps.
    pub fn held_files(&self) -> Result<HashSet<(TenantId, FileId)>, StoreError> {
        let tx = self.store.db()?.begin_read()?;
        let mut held = HashSet::new();
        for entry in tx.open_table(key_value::TENANTDRAFT_DRAFT)?.iter()? {
            let (_, v) = entry?;
            if let Ok(d) = records::decode::<Draft>(v.value()) {
                for id in d.files.keys() {
                    held.insert((d.tenant.clone(), id.clone()));
                }
            }
        }
        for entry in tx.open_table(key_value::TENANTFILE_REFERENCE)?.iter()? {
            let (k, _) = entry?;
            if let Some((t, id)) = k.value().split_once('/')
                && let (Ok(t), Ok(id)) = (TenantId::parse(t), FileId::parse(id))
            {
                held.insert((t, id));
            }
        }
        Ok(held)
    }

    /// A digest of every table's contents: equal digests mean nothing was written (used by the hostile-HTTP
    /// test to prove that refused requests change nothing).
    pub fn digest(&self) -> Result<String, StoreError> {
        digest_of(&self.store.db()?.begin_read()?)
    }
}

/// [`SystemStore::digest`] of what one read transaction sees.
pub(super) fn digest_of(tx: &redb::ReadTransaction) -> Result<String, StoreError> {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for def in key_value::ALL {
        let table = tx.open_table(def)?;
        for row in table.iter()? {
            let (k, v) = row?;
            h.update(k.value().as_bytes());
            h.update([0]);
            h.update(v.value());
            h.update([0]);
        }
    }
    let counters = tx.open_table(key_value::TENANT_REFERENCECOUNTER)?;
    for row in counters.iter()? {
        let (k, v) = row?;
        h.update(k.value().as_bytes());
        h.update(v.value().to_be_bytes());
    }
    for t in [key_value::DUEAT_OUTBOXKEY] {
        for row in tx.open_table(t)?.iter()? {
            let (k, _) = row?;
            h.update(k.value().as_bytes());
        }
    }
    for row in tx.open_table(key_value::TENANTFILE_REFERENCE)?.iter()? {
        let (k, v) = row?;
        h.update(k.value().as_bytes());
        h.update(v.value().as_bytes());
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
