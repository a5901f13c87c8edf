//! Delivery: the outbox workers and the targets. Only this module (and, later, OIDC) uses the network or
//! writes outside the data folder.
//!
//! A submission's transaction writes one outbox row per target; [`worker`] picks due rows, renders the
//! files ([`xml`], the manifest), delivers them ([`file_drop`]), and records the outcome durably.

pub mod email;
pub mod file_drop;
pub mod http_post;
pub mod package;
pub mod worker;
pub mod xml;

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

use crate::ids::TenantId;

/// What the delivery workers share with the rest of the appliance: the wake-up after a submission, the
/// failure count for metrics, and which tenants' deliveries wait on a failing target (for `/healthz`).
#[derive(Debug, Default)]
pub struct DeliveryStatus {
    pub(crate) archive_wake: tokio::sync::Notify,
    pub(crate) others_wake: tokio::sync::Notify,
    pub failures: AtomicU64,
    health: Mutex<HashMap<TenantId, String>>,
    /// How many times each lane (archive, others) has gone round its loop: a lane turns at least once a
    /// second while it works, so a count that stands still means a stuck lane (the watchdog reads it).
    turns: [AtomicU64; 2],
}

impl DeliveryStatus {
    /// Wakes both delivery lanes (a submission committed, or a retry was asked for). A lane busy with a
    /// batch finds the wake-up waiting when it is done: none is lost.
    pub fn wake(&self) {
        self.archive_wake.notify_one();
        self.others_wake.notify_one();
    }

    /// The lanes' turn counts: (archive, others).
    pub fn turns(&self) -> (u64, u64) {
        let [a, o] = &self.turns;
        (
            a.load(std::sync::atomic::Ordering::Relaxed),
            o.load(std::sync::atomic::Ordering::Relaxed),
        )
    }

    pub(crate) fn turned(&self, archive: bool) {
        let [a, o] = &self.turns;
        if archive { a } else { o }.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Tenants whose last delivery attempt failed and will be retried, with the error.
    pub fn waiting(&self) -> Vec<(String, String)> {
        self.health
            .lock()
            .map(|h| h.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
            .unwrap_or_default()
    }

    fn failed(&self, tenant: &TenantId, error: &str) {
        if let Ok(mut h) = self.health.lock() {
            h.insert(tenant.clone(), error.to_owned());
        }
    }

    fn delivered(&self, tenant: &TenantId) {
        if let Ok(mut h) = self.health.lock() {
            h.remove(tenant);
        }
    }
}

/// Maps `items` with `f` on up to `threads` scoped threads, keeping their order (the archive lane prepares
/// a batch on two, the file drop flushes one on eight). A thread that panics gives `failed` for each item
/// of its share, so every item has exactly one result.
pub(crate) fn in_threads<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
    failed: impl Fn(&T) -> R,
) -> Vec<R> {
    let per = items.len().div_ceil(threads.max(1)).max(1);
    if per >= items.len() {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(per)
            .map(|chunk| {
                (
                    chunk,
                    s.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()),
                )
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(chunk, h)| {
                h.join()
                    .unwrap_or_else(|_| chunk.iter().map(&failed).collect())
            })
            .collect()
    })
}
