//! The delivery outbox: rows written in the submission's transaction, picked by the delivery workers, and
//! marked delivered, failing (with the next try) or failed, each change in its own durable commit.
//!
//! Reading due rows spans all tenants: only the delivery workers (system code) do that; per-tenant views
//! use [`Store::outbox_rows`](super::Store::outbox_rows).

use redb::{ReadableDatabase, ReadableTable};

use super::forms::{OutboxRow, OutboxState};
use super::{Store, StoreError, key_value, records};

impl Store {
    /// Rows that are pending, or failing with their next try due, oldest first; at most `limit`.
    pub fn due_deliveries(
        &self,
        now: i64,
        limit: usize,
    ) -> Result<Vec<(String, OutboxRow)>, StoreError> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)?;
        let mut out = vec![];
        for row in t.iter()? {
            let (k, v) = row?;
            let r: OutboxRow = records::decode(v.value())?;
            let due = match &r.state {
                OutboxState::Pending => true,
                OutboxState::Failing { next_try, .. } => *next_try <= now,
                OutboxState::Delivered { .. } | OutboxState::Failed { .. } => false,
            };
            if due {
                out.push((k.value().to_owned(), r));
            }
        }
        out.sort_by_key(|(_, r)| r.created);
        out.truncate(limit);
        Ok(out)
    }

    /// Every outbox row (the `deliveries` command), optionally only those not delivered.
    pub fn all_deliveries(&self, undelivered_only: bool) -> Result<Vec<OutboxRow>, StoreError> {
        let tx = self.db.begin_read()?;
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

    /// Counts by state: (pending, failing, failed, delivered).
    pub fn outbox_counts(&self) -> Result<(u64, u64, u64, u64), StoreError> {
        let mut c = (0, 0, 0, 0);
        for r in self.all_deliveries(false)? {
            match r.state {
                OutboxState::Pending => c.0 += 1,
                OutboxState::Failing { .. } => c.1 += 1,
                OutboxState::Failed { .. } => c.2 += 1,
                OutboxState::Delivered { .. } => c.3 += 1,
            }
        }
        Ok(c)
    }

    /// Sets a row's state (durable: a delivery is only recorded once it is on disk).
    pub async fn set_delivery_state(
        &self,
        key: String,
        state: OutboxState,
    ) -> Result<(), StoreError> {
        self.write(true, move |tx| {
            let mut t = tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)?;
            let Some(mut row) = t
                .get(key.as_str())?
                .map(|v| records::decode::<OutboxRow>(v.value()))
                .transpose()?
            else {
                return Ok(());
            };
            row.state = state;
            let bytes = records::encode(&row)?;
            t.insert(key.as_str(), bytes.as_slice())?;
            Ok(())
        })
        .await
    }

    /// Makes every undelivered row of a submission pending again ("deliver again"); returns how many.
    pub async fn retry_deliveries(
        &self,
        tenant: &crate::ids::TenantId,
        reference: &str,
    ) -> Result<usize, StoreError> {
        let prefix = format!("{tenant}/{reference}/");
        self.write(true, move |tx| {
            let mut t = tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)?;
            let mut keys = vec![];
            for row in t.range(prefix.as_str()..)? {
                let (k, v) = row?;
                if !k.value().starts_with(&prefix) {
                    break;
                }
                let r: OutboxRow = records::decode(v.value())?;
                if !matches!(r.state, OutboxState::Delivered { .. }) {
                    keys.push((k.value().to_owned(), r));
                }
            }
            let n = keys.len();
            for (k, mut r) in keys {
                r.state = OutboxState::Pending;
                let bytes = records::encode(&r)?;
                t.insert(k.as_str(), bytes.as_slice())?;
            }
            Ok(n)
        })
        .await
    }
}
