//! The control socket: `<data>/control.sock`, a Unix socket only the service user (and root) can open. The
//! `radhus deliveries` and `radhus backup` commands talk to the running server through it, since the server
//! holds the store. One request line in (`deliveries`, `deliveries failing`, `retry <reference>`,
//! `backup <absolute folder>`, `export <absolute folder>`), a text answer out; an answer that starts with `error: ` is a failure.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixListener;
use tokio::sync::watch;

use crate::attachments::FileStore;
use crate::backup::Kind;
use crate::cases::records::{OutboxRow, OutboxState};
use crate::delivery::DeliveryStatus;
use crate::ids::{Reference, TenantId};
use crate::store::Store;

/// What the control socket works with: the store, and the delivery workers' wake-up.
#[derive(Clone)]
pub struct Handles {
    pub store: Arc<Store>,
    pub wake: Arc<DeliveryStatus>,
    pub files: FileStore,
    pub data_dir: PathBuf,
}

pub const SOCKET: &str = "control.sock";

pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET)
}

/// Binds the socket (replacing a stale one) with owner-only permissions.
pub fn bind(data_dir: &Path) -> std::io::Result<UnixListener> {
    use std::os::unix::fs::PermissionsExt;
    let path = socket_path(data_dir);
    let _ = std::fs::remove_file(&path);
    let l = UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(l)
}

pub async fn serve(listener: UnixListener, handles: Handles, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let handles = handles.clone();
                tokio::spawn(async move {
                    let (r, mut w) = stream.into_split();
                    let mut line = String::new();
                    let mut reader = BufReader::new(r.take(4096));
                    if reader.read_line(&mut line).await.is_err() {
                        return;
                    }
                    let line = line.trim();
                    let answer = if let Some(to) = line.strip_prefix("backup ") {
                        copy_out(&handles, Kind::Backup, PathBuf::from(to)).await
                    } else if let Some(to) = line.strip_prefix("export ") {
                        copy_out(&handles, Kind::Export, PathBuf::from(to)).await
                    } else {
                        answer(&handles.store, line, Some(&handles.wake)).await
                    };
                    let _ = w.write_all(answer.as_bytes()).await;
                });
            }
            _ = stop.changed() => break,
        }
    }
    if let Ok(addr) = listener.local_addr()
        && let Some(p) = addr.as_pathname()
    {
        let _ = std::fs::remove_file(p);
    }
}

/// Makes a backup or an export of the running server's store and files (off the async threads; requests
/// go on meanwhile).
async fn copy_out(h: &Handles, kind: Kind, to: PathBuf) -> String {
    if !to.is_absolute() {
        return format!("error: {} is not an absolute path\n", to.display());
    }
    let (store, files, data_dir) = (h.store.clone(), h.files.clone(), h.data_dir.clone());
    let made = tokio::task::spawn_blocking(move || {
        crate::backup::copy_out(kind, &store, &files, &data_dir, &to)
    })
    .await;
    match made {
        Ok(Ok(answer)) => {
            tracing::info!(kind = ?kind, "{}", answer.trim_end());
            answer
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, kind = ?kind, "backup or export failed");
            format!("error: {e}\n")
        }
        Err(e) => format!("error: the {kind:?} stopped: {e}\n"),
    }
}

/// Answers one request against a store (the running server's, or one opened by the command itself).
pub async fn answer(store: &Store, request: &str, wake: Option<&DeliveryStatus>) -> String {
    let mut words = request.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some("deliveries"), failing, None) if failing.is_none_or(|f| f == "failing") => {
            match store.system().all_deliveries(failing.is_some()) {
                Ok(rows) => table(&rows),
                Err(e) => format!("error: {e}\n"),
            }
        }
        (Some("retry"), Some(reference), None) => {
            let Ok(reference) = Reference::parse(reference) else {
                return format!("error: {reference:?} is not a reference (like 2026-00017)\n");
            };
            let tenants: Vec<TenantId> = match store.system().all_deliveries(false) {
                Ok(rows) => rows.into_iter().filter(|r| r.reference == reference).map(|r| r.tenant).collect(),
                Err(e) => return format!("error: {e}\n"),
            };
            let mut n = 0;
            let mut seen: Vec<TenantId> = vec![];
            for t in tenants {
                if seen.contains(&t) {
                    continue;
                }
                seen.push(t.clone());
                match store.tenant(&t).retry_deliveries(&reference).await {
                    Ok(k) => n += k,
                    Err(e) => return format!("error: {e}\n"),
                }
            }
            if let Some(s) = wake {
                s.wake();
            }
            if seen.is_empty() {
                format!("error: no submission has the reference {reference}\n")
            } else {
                format!("{n} deliveries of {reference} will be tried again\n")
            }
        }
        _ => "error: unknown request; use \"deliveries\", \"deliveries failing\" or \"retry <reference>\"\n".into(),
    }
}

fn table(rows: &[OutboxRow]) -> String {
    let mut out = format!(
        "{:<12} {:<12} {:<8} {:<10} {:>8}  {}\n",
        "TENANT", "REFERENCE", "TARGET", "STATE", "ATTEMPTS", "DETAIL"
    );
    for r in rows {
        let (state, attempts, detail) = match &r.state {
            OutboxState::Pending => ("pending", 0, String::new()),
            OutboxState::Delivered { proof, .. } => ("delivered", 0, proof.clone()),
            OutboxState::Failing {
                attempts,
                last_error,
                ..
            } => ("failing", *attempts, last_error.clone()),
            OutboxState::Failed {
                attempts,
                last_error,
            } => ("failed", *attempts, last_error.clone()),
        };
        out.push_str(&format!(
            "{:<12} {:<12} {:<8} {:<10} {:>8}  {}\n",
            r.tenant.as_str(),
            r.reference.as_str(),
            r.target.to_string(),
            state,
            attempts,
            detail
        ));
    }
    out.push_str(&format!("{} rows\n", rows.len()));
    out
}
