//! The single writer: one thread owns every write transaction. Callers send jobs; the thread runs all jobs
//! waiting at that moment in ONE transaction and commits once (group commit), then answers each caller.
//!
//! Write classes (DESIGN §5): *acknowledged* jobs (submissions, drafts, uploads) make the batch's commit
//! durable and their callers hear back only after it; *progress* jobs (a session's language choice, the
//! watchdog's probe) may commit without fsync and are made durable by the next durable commit or by a
//! flush at most [`FLUSH_AFTER`] later. A crash can lose the last second of a language choice, never an
//! acknowledged submission or a saved draft. (Drafts were progress writes until a full disk showed that a
//! flush failing later loses saves the citizen was already told about.)
//!
//! After an I/O error (a full disk, a file-size limit) redb refuses every further write until the file is
//! opened again. The writer then marks the store *failing* (with the reason, for `/healthz`), answers
//! every write at once with that reason, and tries to heal every [`HEAL_EVERY`]: when a probe file of
//! [`PROBE_BYTES`] can be written and flushed in the data folder, it closes the database and opens it
//! again (redb repairs it from its last durable commit). Reads go on from the old handle meanwhile.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use redb::{Database, Durability, WriteTransaction};

use super::StoreError;

pub const FLUSH_AFTER: Duration = Duration::from_millis(500);
/// How often a failing store tries to heal.
pub const HEAL_EVERY: Duration = Duration::from_secs(1);
/// The room a healing store wants to see before it opens the file again.
const PROBE_BYTES: usize = 1 << 20;
const MAX_BATCH: usize = 512;

/// What the store's handles and the writer share: the database (replaced when it is reopened) and
/// whether writes fail now.
pub struct Shared {
    db: RwLock<Option<Arc<Database>>>,
    path: PathBuf,
    failing: Mutex<Option<String>>,
}

impl Shared {
    pub fn new(db: Database, path: PathBuf) -> Shared {
        Shared {
            db: RwLock::new(Some(Arc::new(db))),
            path,
            failing: Mutex::new(None),
        }
    }

    /// The database; None only for the moment it is being reopened.
    pub fn db(&self) -> Option<Arc<Database>> {
        self.db.read().ok()?.clone()
    }

    pub fn failing(&self) -> Option<String> {
        self.failing.lock().ok()?.clone()
    }

    fn set_failing(&self, why: Option<String>) {
        if let Ok(mut f) = self.failing.lock() {
            match (&*f, &why) {
                (None, Some(w)) => {
                    tracing::error!(error = %w, "the store cannot write; it reopens itself once there is room")
                }
                (Some(_), None) => tracing::warn!("the store writes again"),
                _ => {}
            }
            *f = why;
        }
    }

    /// Heals a failing store if the data folder has room again: closes the database and opens it anew.
    fn heal(&self) -> Result<(), String> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        probe(dir).map_err(|e| format!("still no room in {}: {e}", dir.display()))?;
        let old = self.db.write().map_err(|e| e.to_string())?.take();
        if let Some(old) = old {
            // Readers hold the handle only for the moment they start a transaction.
            let until = Instant::now() + Duration::from_secs(2);
            while Arc::strong_count(&old) > 1 && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(5));
            }
            drop(old);
        }
        let opened = redb::Builder::new()
            .set_cache_size(super::CACHE_BYTES)
            .create(&self.path);
        let mut slot = self.db.write().map_err(|e| e.to_string())?;
        match opened {
            Ok(db) => {
                *slot = Some(Arc::new(db));
                Ok(())
            }
            Err(e) => Err(format!("reopening {}: {e}", self.path.display())),
        }
    }
}

/// Writes and flushes a file of [`PROBE_BYTES`] in `dir`, then removes it.
fn probe(dir: &Path) -> std::io::Result<()> {
    let mut f = tempfile::NamedTempFile::new_in(dir)?;
    f.write_all(&vec![0u8; PROBE_BYTES])?;
    f.as_file().sync_all()
}

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

pub fn spawn(
    shared: Arc<Shared>,
) -> std::io::Result<(Sender<Request>, std::thread::JoinHandle<()>)> {
    let (tx, rx) = channel::<Request>();
    let handle = std::thread::Builder::new()
        .name("radhus-writer".into())
        .spawn(move || run(&shared, &rx))?;
    Ok((tx, handle))
}

/// What a batch or a flush came to.
enum Outcome {
    Committed,
    /// A job's own error: nothing of the batch was kept, the store is fine.
    Refused,
    /// The storage failed: the store must be reopened before it writes again.
    Io(String),
}

fn run(shared: &Shared, rx: &Receiver<Request>) {
    let mut dirty = false;
    let mut last_heal: Option<Instant> = None;
    // Heals when it is time (at most every HEAL_EVERY); true when the store writes.
    let healthy = |last_heal: &mut Option<Instant>| -> bool {
        let Some(why) = shared.failing() else {
            return true;
        };
        if last_heal.is_some_and(|t| t.elapsed() < HEAL_EVERY) {
            return false;
        }
        *last_heal = Some(Instant::now());
        match shared.heal() {
            Ok(()) => {
                shared.set_failing(None);
                true
            }
            Err(e) => {
                tracing::debug!(error = %e, failing = %why, "the store is not healed yet");
                false
            }
        }
    };
    loop {
        let failing = shared.failing().is_some();
        let first = if dirty || failing {
            match rx.recv_timeout(if failing { HEAL_EVERY } else { FLUSH_AFTER }) {
                Ok(r) => r,
                Err(RecvTimeoutError::Timeout) => {
                    if !healthy(&mut last_heal) {
                        continue;
                    }
                    if dirty && let Some(db) = shared.db() {
                        match flush(&db) {
                            Outcome::Io(e) => shared.set_failing(Some(e)),
                            _ => dirty = false,
                        }
                    }
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
        let db = match (healthy(&mut last_heal), shared.db()) {
            (true, Some(db)) => db,
            _ => {
                let why = shared
                    .failing()
                    .unwrap_or_else(|| "the store is being reopened".into());
                fail_all(batch, &format!("the store cannot write now: {why}"));
                continue;
            }
        };
        let durable = batch.iter().any(|r| r.durable);
        match run_batch(&db, batch, durable) {
            // A durable commit makes the earlier ones durable too.
            Outcome::Committed => dirty = !durable,
            Outcome::Refused => {}
            Outcome::Io(e) => shared.set_failing(Some(e)),
        }
    }
    if dirty && let Some(db) = shared.db() {
        flush(&db);
    }
}

/// Whether a job's error is the storage failing (rather than the job refusing).
fn is_io(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Db(redb::Error::Io(_) | redb::Error::PreviousIo)
    )
}

/// Runs a batch in one transaction.
fn run_batch(db: &Database, batch: Vec<Request>, durable: bool) -> Outcome {
    let mut tx = match db.begin_write() {
        Ok(tx) => tx,
        Err(e) => {
            let msg = e.to_string();
            fail_all(batch, &msg);
            return Outcome::Io(msg);
        }
    };
    if !durable {
        let _ = tx.set_durability(Durability::None);
    }
    let mut completions = Vec::with_capacity(batch.len());
    let mut failed: Option<(String, bool)> = None;
    let mut rest = batch.into_iter();
    for req in rest.by_ref() {
        // A job that panics (a bug) fails its batch, not the writer: every later write would otherwise
        // find the store closed until a restart.
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (req.job)(Ok(&tx))));
        match ran {
            Ok(Ok(c)) => completions.push(c),
            Ok(Err(e)) => {
                failed = Some((e.to_string(), is_io(&e)));
                break;
            }
            Err(_) => {
                tracing::error!("a store write panicked; its batch is not kept");
                failed = Some(("a store write failed unexpectedly".to_owned(), false));
                break;
            }
        }
    }
    if let Some((e, io)) = failed {
        // An error inside the transaction: nothing of this batch is kept; tell everyone.
        drop(tx);
        for c in completions {
            c(Err(e.clone()));
        }
        fail_all(rest.collect(), &e);
        return if io { Outcome::Io(e) } else { Outcome::Refused };
    }
    match tx.commit() {
        Ok(()) => {
            for c in completions {
                c(Ok(()));
            }
            Outcome::Committed
        }
        Err(e) => {
            let msg = e.to_string();
            for c in completions {
                c(Err(msg.clone()));
            }
            Outcome::Io(msg)
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

/// An empty durable commit: makes earlier non-durable commits durable.
fn flush(db: &Database) -> Outcome {
    match db.begin_write().map(WriteTransaction::commit) {
        Ok(Ok(())) => Outcome::Committed,
        Ok(Err(e)) => Outcome::Io(e.to_string()),
        Err(e) => Outcome::Io(e.to_string()),
    }
}
