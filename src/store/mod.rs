//! The store: the only code that touches redb. One file (`radhus.redb`) in the data folder.
//!
//! Opening runs migrations ([`migrate`]), refuses a store written by a newer version, and refuses a data
//! folder that another process holds open (redb locks the file) with a message that says so.

pub mod accounts;
pub mod key_value;
pub mod keys;
pub mod migrate;
pub mod records;
pub mod sessions;
pub mod snapshot;
pub mod system;
pub mod tenant;
pub mod writer;

pub use system::{OutboxCounts, SystemStore};
pub use tenant::{Edited, PinnedForm, ReceiptMail, ReceiptMailAdded, SubmitRequest, TenantStore};

use std::path::{Path, PathBuf};

use redb::{Database, ReadableDatabase};

/// Store failures. Messages are for operators and logs, never shown to citizens.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the data folder {} is in use by another radhus process (the store file {} is locked); stop the other process or use another --data folder",
        .dir.display(), .file.display()
    )]
    Locked { dir: PathBuf, file: PathBuf },
    #[error(
        "the store {} was written by a newer version of Rådhus (schema version {found}; this version supports up to {supported}); upgrade Rådhus or restore a backup made by this version",
        .path.display()
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("cannot create the data folder {}: {source}", .dir.display())]
    DataDir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the store {}: {detail}", .path.display())]
    Open { path: PathBuf, detail: String },
    #[error("damaged {what} record: {detail}")]
    Corrupt { what: &'static str, detail: String },
    #[error("no random numbers from the operating system: {0}")]
    Random(String),
    #[error("store: {0}")]
    Db(#[from] redb::Error),
    #[error("store write failed: {0}")]
    Write(String),
    #[error("the store is closed")]
    Closed,
}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Db(e.into())
            }
        }
    )*};
}
from_redb!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::DatabaseError
);

/// An open store. Reads run on the caller's thread; writes go through the writer thread ([`writer`]).
pub struct Store {
    shared: std::sync::Arc<writer::Shared>,
    path: PathBuf,
    secret_key: [u8; 32],
    writer: Option<std::sync::mpsc::Sender<writer::Request>>,
    writer_thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Store {
    /// Stops the writer after it has flushed, so the file is closed (and its lock released) on return.
    fn drop(&mut self) {
        self.writer.take();
        if let Some(t) = self.writer_thread.take() {
            let _ = t.join();
        }
    }
}

pub const FILE_NAME: &str = "radhus.redb";

/// The store's own page cache.
pub const CACHE_BYTES: usize = 2 << 20;

impl Store {
    /// Opens (or creates) the store in `data_dir` and migrates it to the current schema.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        // The citizens' data: owner-only, whatever the umask or an older install made it.
        crate::fs_modes::create_dirs(data_dir, crate::fs_modes::PRIVATE_DIR)
            .and_then(|()| crate::fs_modes::set_mode(data_dir, crate::fs_modes::PRIVATE_DIR))
            .map_err(|source| StoreError::DataDir {
                dir: data_dir.to_path_buf(),
                source,
            })?;
        let path = data_dir.join(FILE_NAME);
        // redb caches pages up to 1 GiB by default, and keeps them: after a burst of submissions that
        // held the process at its peak. The hot part of the store (sessions, drafts, the due index) fits
        // in a few MiB; older pages are read from the OS page cache when needed.
        let db = match redb::Builder::new()
            .set_cache_size(CACHE_BYTES)
            .create(&path)
        {
            Ok(db) => db,
            Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
                return Err(StoreError::Locked {
                    dir: data_dir.to_path_buf(),
                    file: path,
                });
            }
            Err(e) => {
                return Err(StoreError::Open {
                    path,
                    detail: e.to_string(),
                });
            }
        };
        crate::fs_modes::set_mode(&path, crate::fs_modes::PRIVATE_FILE).map_err(|e| {
            StoreError::Open {
                path: path.clone(),
                detail: e.to_string(),
            }
        })?;
        migrate::run(&db, &path)?;
        let secret_key = read_secret(&db)?;
        let shared = std::sync::Arc::new(writer::Shared::new(db, path.clone()));
        let (tx, thread) = writer::spawn(shared.clone()).map_err(|e| StoreError::Open {
            path: path.clone(),
            detail: format!("cannot start the writer thread: {e}"),
        })?;
        Ok(Store {
            shared,
            path,
            secret_key,
            writer: Some(tx),
            writer_thread: Some(thread),
        })
    }

    /// Runs `f` inside the writer's next transaction. `durable` writes are acknowledged only after an
    /// fsync-backed commit (shared with whatever else is waiting: group commit); others may commit without
    /// fsync and become durable within [`writer::FLUSH_AFTER`].
    async fn write<R: Send + 'static>(
        &self,
        durable: bool,
        f: impl FnOnce(&redb::WriteTransaction) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        let (tx, rx) = tokio::sync::oneshot::channel::<Result<R, String>>();
        let job: writer::Job = Box::new(move |wtx| {
            let wtx = match wtx {
                Ok(w) => w,
                Err(msg) => {
                    let _ = tx.send(Err(msg.clone()));
                    return Err(StoreError::Write(msg));
                }
            };
            match f(wtx) {
                Ok(r) => Ok(Box::new(move |commit: Result<(), String>| {
                    let _ = tx.send(commit.map(|()| r));
                })),
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                    Err(e)
                }
            }
        });
        let sender = self.writer.as_ref().ok_or(StoreError::Closed)?;
        sender
            .send(writer::Request { durable, job })
            .map_err(|_| StoreError::Closed)?;
        match rx.await {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(e)) => Err(StoreError::Write(e)),
            Err(_) => Err(StoreError::Write("the transaction was abandoned".into())),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The database, for a read. Missing only while the writer reopens it after an I/O error.
    pub(crate) fn db(&self) -> Result<std::sync::Arc<Database>, StoreError> {
        self.shared.db().ok_or_else(|| {
            StoreError::Write(
                self.failing()
                    .unwrap_or_else(|| "the store is being reopened".into()),
            )
        })
    }

    /// Why writes fail now (an I/O error the writer has not yet recovered from), or None.
    pub fn failing(&self) -> Option<String> {
        self.shared.failing()
    }

    /// The store's own random key (CSRF tokens), created by the first migration.
    pub fn secret_key(&self) -> &[u8; 32] {
        &self.secret_key
    }

    /// A cheap read that proves the store answers (for `/healthz`).
    pub fn ping(&self) -> Result<u32, StoreError> {
        if let Some(why) = self.failing() {
            return Err(StoreError::Write(why));
        }
        migrate::schema_version(&*self.db()?)
    }

    /// An empty write through the writer thread: proves it still takes and commits transactions (the
    /// systemd watchdog's probe). Not flushed at once; the writer's next flush makes it durable.
    pub async fn probe_writer(&self) -> Result<(), StoreError> {
        self.write(false, |_| Ok(())).await
    }

    /// Test support: see [`migrate::force_schema_version`].
    pub fn force_schema_version(&self, v: u32) -> Result<(), StoreError> {
        migrate::force_schema_version(&*self.db()?, v)
    }
}

fn read_secret(db: &Database) -> Result<[u8; 32], StoreError> {
    let tx = db.begin_read()?;
    let table = tx.open_table(key_value::META)?;
    let v = table.get("secret_key")?.ok_or(StoreError::Corrupt {
        what: "meta.secret_key",
        detail: "missing".into(),
    })?;
    v.value().try_into().map_err(|_| StoreError::Corrupt {
        what: "meta.secret_key",
        detail: "not 32 bytes".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::SessionId;

    #[test]
    fn a_write_that_panics_fails_alone_and_the_writer_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let failed = rt.block_on(store.write(true, |_| -> Result<(), StoreError> {
            panic!("a bug inside a write")
        }));
        assert!(failed.is_err());
        let id = SessionId::generate().unwrap();
        rt.block_on(store.update_session(&id, 5, true, |s| s.lang = Some(crate::i18n::Lang::En)))
            .unwrap();
        assert_eq!(
            store.session(&id).unwrap().and_then(|s| s.lang),
            Some(crate::i18n::Lang::En)
        );
        assert!(store.failing().is_none());
    }

    #[test]
    fn open_migrate_reopen_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.ping().unwrap(), migrate::CURRENT);
        let key = *store.secret_key();
        let id = SessionId::generate().unwrap();
        let mut s = sessions::Session::new(1);
        s.updated = 2;
        s.lang = Some(crate::i18n::Lang::Nn);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let saved = s.clone();
        rt.block_on(store.update_session(&id, 2, true, move |x| *x = saved))
            .unwrap();

        // A second open of the same folder while the first is open is refused clearly.
        let err = Store::open(dir.path()).err().unwrap();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().contains("in use by another radhus process"));

        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.secret_key(), &key, "the key survives a restart");
        assert_eq!(store.session(&id).unwrap(), Some(s));
        assert_eq!(rt.block_on(store.system().expire_sessions(3)).unwrap(), 1);
        assert_eq!(store.session(&id).unwrap(), None);

        store.force_schema_version(migrate::CURRENT + 1).unwrap();
        drop(store);
        let err = Store::open(dir.path()).err().unwrap();
        assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    }
}
