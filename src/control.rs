//! The control socket: `<data>/control.sock`, a Unix socket only the service user (and root) can open. The
//! `radhus deliveries` command talks to the running server through it, since the server holds the store.
//! One request line in (`deliveries`, `deliveries failing`, `retry <reference>`), a text answer out.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixListener;
use tokio::sync::watch;

use crate::app::State;
use crate::store::Store;
use crate::store::forms::{OutboxRow, OutboxState};

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

pub async fn serve(listener: UnixListener, state: Arc<State>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let state = state.clone();
                tokio::spawn(async move {
                    let (r, mut w) = stream.into_split();
                    let mut line = String::new();
                    let mut reader = BufReader::new(r.take(4096));
                    if reader.read_line(&mut line).await.is_err() {
                        return;
                    }
                    let answer = answer(&state.store, line.trim(), Some(&state)).await;
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

/// Answers one request against a store (the running server's, or one opened by the command itself).
pub async fn answer(store: &Store, request: &str, state: Option<&State>) -> String {
    let mut words = request.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some("deliveries"), failing, None) if failing.is_none_or(|f| f == "failing") => {
            match store.all_deliveries(failing.is_some()) {
                Ok(rows) => table(&rows),
                Err(e) => format!("error: {e}\n"),
            }
        }
        (Some("retry"), Some(reference), None) => {
            let tenants: Vec<String> = match store.all_deliveries(false) {
                Ok(rows) => rows.into_iter().filter(|r| r.reference == reference).map(|r| r.tenant).collect(),
                Err(e) => return format!("error: {e}\n"),
            };
            let mut n = 0;
            let mut seen: Vec<String> = vec![];
            for t in tenants {
                if seen.contains(&t) {
                    continue;
                }
                seen.push(t.clone());
                let Ok(tenant) = crate::ids::TenantId::parse(&t) else { continue };
                match store.retry_deliveries(&tenant, reference).await {
                    Ok(k) => n += k,
                    Err(e) => return format!("error: {e}\n"),
                }
            }
            if let Some(s) = state {
                s.delivery_wake.notify_one();
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
            r.tenant, r.reference, r.target, state, attempts, detail
        ));
    }
    out.push_str(&format!("{} rows\n", rows.len()));
    out
}
