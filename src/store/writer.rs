//! The single writer: one thread owns every write transaction. Callers send jobs; the thread runs all jobs
//! waiting at that moment in ONE transaction and commits once (group commit), then answers each caller.
//!
//! Write classes (DESIGN §5): *acknowledged* jobs (submissions) make the batch's commit durable and their
//! callers hear back only after it; *progress* jobs (draft answers) may commit without fsync and are made
//! durable by the next durable commit or by a flush at most [`FLUSH_AFTER`] later. A crash can lose the
//! last second of typing, never an acknowledged submission.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use redb::{Database, Durability, WriteTransaction};

use super::StoreError;

pub const FLUSH_AFTER: Duration = Duration::from_millis(500);
const MAX_BATCH: usize = 512;

/// What a job hands back after running inside the transaction: a callback told whether the commit held.
pub type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;
/// A write: given the transaction, it does its work and returns how to report the commit's outcome; given
/// an error instead (the batch could not start or failed before it ran), it reports that error.
pub type Job =
    Box<dyn FnOnce(Result<&WriteTransaction, String>) -> Result<Completion, StoreError> + Send>;

pub struct Request {
    pub durable: bool,
    pub job: Job,
}

pub fn spawn(db: Arc<Database>) -> std::io::Result<(Sender<Request>, std::thread::JoinHandle<()>)> {
    let (tx, rx) = channel::<Request>();
    let handle = std::thread::Builder::new()
        .name("radhus-writer".into())
        .spawn(move || run(&db, &rx))?;
    Ok((tx, handle))
}

fn run(db: &Database, rx: &Receiver<Request>) {
    let mut dirty = false;
    loop {
        let first = if dirty {
            match rx.recv_timeout(FLUSH_AFTER) {
                Ok(r) => r,
                Err(RecvTimeoutError::Timeout) => {
                    dirty = !flush(db);
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match rx.recv() {
                Ok(r) => r,
                Err(_) => break,
            }
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        let durable = batch.iter().any(|r| r.durable);
        let outcome = run_batch(db, batch, durable);
        if outcome {
            dirty = !durable;
        }
    }
    if dirty {
        flush(db);
    }
}

/// Runs a batch in one transaction. Returns whether it committed.
fn run_batch(db: &Database, batch: Vec<Request>, durable: bool) -> bool {
    let mut tx = match db.begin_write() {
        Ok(tx) => tx,
        Err(e) => {
            fail_all(batch, &e.to_string());
            return false;
        }
    };
    if !durable {
        let _ = tx.set_durability(Durability::None);
    }
    let mut completions = Vec::with_capacity(batch.len());
    let mut failed: Option<String> = None;
    let mut rest = batch.into_iter();
    for req in rest.by_ref() {
        match (req.job)(Ok(&tx)) {
            Ok(c) => completions.push(c),
            Err(e) => {
                failed = Some(e.to_string());
                break;
            }
        }
    }
    if let Some(e) = failed {
        // A storage error inside the transaction: nothing of this batch is kept; tell everyone.
        drop(tx);
        for c in completions {
            c(Err(e.clone()));
        }
        fail_all(rest.collect(), &e);
        return false;
    }
    match tx.commit() {
        Ok(()) => {
            for c in completions {
                c(Ok(()));
            }
            true
        }
        Err(e) => {
            let msg = e.to_string();
            for c in completions {
                c(Err(msg.clone()));
            }
            false
        }
    }
}

fn fail_all(batch: Vec<Request>, msg: &str) {
    // Jobs that never ran are told why, so every caller sees the real error (a full disk, say).
    for req in batch {
        let _ = (req.job)(Err(msg.to_owned()));
    }
    tracing::error!(error = msg, "store write failed");
}

/// An empty durable commit: makes earlier non-durable commits durable. Returns whether it succeeded.
fn flush(db: &Database) -> bool {
    match db.begin_write() {
        Ok(tx) => tx.commit().is_ok(),
        Err(_) => false,
    }
}
