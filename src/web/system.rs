//! `/healthz` (JSON) and `/metrics` (Prometheus text, loopback only). Answered on any host name.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use hyper::StatusCode;

use crate::http::Resp;
use crate::http::response::text;
use crate::state::State;

/// GET /metrics: Prometheus text, to loopback only.
pub fn metrics(state: &State, peer: SocketAddr) -> Resp {
    if !peer.ip().is_loopback() {
        return text(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "Not found\n",
        );
    }
    let mut body = state.metrics.render(&[(
        "radhus_delivery_failures_total",
        "Delivery attempts that failed (retried or permanent).",
        state.deliveries.failures.load(Ordering::Relaxed),
    )]);
    if let Ok(c) = state.store.system().outbox_counts() {
        body.push_str(
            "# HELP radhus_outbox_rows Outbox rows by state.\n# TYPE radhus_outbox_rows gauge\n",
        );
        for (s, n) in [
            ("pending", c.pending),
            ("failing", c.failing),
            ("failed", c.failed),
            ("delivered", c.delivered),
        ] {
            body.push_str(&format!("radhus_outbox_rows{{state=\"{s}\"}} {n}\n"));
        }
    }
    if let Ok(b) = state.store.system().backlog() {
        let age = b
            .oldest_created
            .map_or(0, |c| state.clock.unix().saturating_sub(c).max(0));
        body.push_str(&format!(
            "# HELP radhus_outbox_backlog Deliveries waiting: pending, or failing with a retry ahead.\n# TYPE radhus_outbox_backlog gauge\nradhus_outbox_backlog {}\n# HELP radhus_outbox_oldest_age_seconds Age of the oldest delivery waiting (0 when none waits).\n# TYPE radhus_outbox_oldest_age_seconds gauge\nradhus_outbox_oldest_age_seconds {age}\n",
            b.rows
        ));
    }
    body.push_str(&disk_metrics(state));
    text(
        StatusCode::OK,
        "text/plain; version=0.0.4; charset=utf-8",
        body,
    )
}

/// Free and total bytes of the file systems holding the data folder and each tenant's archive folder (an
/// archive folder that is not there, say an unmounted share, reports 0 for `radhus_archive_present`).
fn disk_metrics(state: &State) -> String {
    let mut out = String::from(
        "# HELP radhus_data_free_bytes Bytes free for Rådhus on the data folder's file system.\n# TYPE radhus_data_free_bytes gauge\n# HELP radhus_data_size_bytes Size of the data folder's file system.\n# TYPE radhus_data_size_bytes gauge\n",
    );
    if let Some(d) = crate::metrics::disk(&state.config.server.data_dir) {
        out.push_str(&format!(
            "radhus_data_free_bytes {}\nradhus_data_size_bytes {}\n",
            d.free, d.size
        ));
    }
    out.push_str(&format!(
        "# HELP radhus_data_folder_bytes Bytes in the data folder (store, uploads, kept PDFs), measured hourly.\n# TYPE radhus_data_folder_bytes gauge\nradhus_data_folder_bytes {}\n",
        state.data_bytes.load(Ordering::Relaxed)
    ));
    out.push_str("# HELP radhus_archive_present Whether the tenant's archive folder exists (1) or not (0).\n# TYPE radhus_archive_present gauge\n# HELP radhus_archive_free_bytes Bytes free on the file system of the tenant's archive folder.\n# TYPE radhus_archive_free_bytes gauge\n");
    for t in state.tenants.iter() {
        let id = &t.config.id;
        let disk = archive_disk(t);
        out.push_str(&format!(
            "radhus_archive_present{{tenant=\"{id}\"}} {}\n",
            u8::from(disk.is_some())
        ));
        if let Some(d) = disk {
            out.push_str(&format!(
                "radhus_archive_free_bytes{{tenant=\"{id}\"}} {}\n",
                d.free
            ));
        }
    }
    out
}

/// GET /healthz: the state as JSON. From loopback with details (store error, which tenants' deliveries
/// wait and why); from anywhere else the status alone, since tenant ids and error texts are not for the
/// public.
pub fn healthz(state: &State, peer: SocketAddr) -> Resp {
    let store = state.store.ping();
    let shutting_down = state.shutting_down.load(Ordering::Relaxed);
    let delivery: Vec<(String, String)> = state.deliveries.waiting();
    let (status, code) = match (&store, shutting_down) {
        // Still serving and accepting submissions; deliveries wait and are retried.
        (Ok(_), false) if !delivery.is_empty() => ("degraded", StatusCode::OK),
        (Ok(_), false) => ("ok", StatusCode::OK),
        (Ok(_), true) => ("stopping", StatusCode::SERVICE_UNAVAILABLE),
        (Err(_), _) => ("failing", StatusCode::SERVICE_UNAVAILABLE),
    };
    if !peer.ip().is_loopback() {
        let body = serde_json::json!({ "status": status });
        return text(code, "application/json", body.to_string());
    }
    let body = serde_json::json!({
        "status": status,
        "version": crate::VERSION,
        "uptime_seconds": state.started.elapsed().as_secs(),
        "store": match &store { Ok(v) => serde_json::json!({"ok": true, "schema_version": v}), Err(e) => serde_json::json!({"ok": false, "error": e.to_string()}) },
        "tenants": state.tenants.len(),
        "backlog": match state.store.system().backlog() {
            Ok(b) => serde_json::json!({
                "rows": b.rows,
                "oldest_age_seconds": b.oldest_created.map(|c| state.clock.unix().saturating_sub(c).max(0)),
            }),
            Err(e) => serde_json::json!({"error": e.to_string()}),
        },
        "disk": {
            "data": crate::metrics::disk(&state.config.server.data_dir).map(|d| serde_json::json!({"free_bytes": d.free, "size_bytes": d.size, "folder_bytes": state.data_bytes.load(Ordering::Relaxed)})),
            "archives": state.tenants.iter().map(|t| {
                let disk = archive_disk(t);
                serde_json::json!({
                    "tenant": t.config.id.as_str(),
                    "present": disk.is_some(),
                    "free_bytes": disk.map(|d| d.free),
                })
            }).collect::<Vec<_>>(),
        },
        "tls": {
            "self_signed": state.cert_self_signed.load(Ordering::Relaxed),
            "not_after": match state.cert_not_after.load(Ordering::Relaxed) {
                0 => None,
                t => time::OffsetDateTime::from_unix_timestamp(t).ok().and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok()),
            },
        },
        "warnings": warnings(state),
        "deliveries_waiting": delivery.iter().map(|(t, e)| serde_json::json!({"tenant": t, "error": e})).collect::<Vec<_>>(),
    });
    text(code, "application/json", body.to_string())
}

/// What an operator should act on before it becomes a failure (loopback `/healthz`).
fn warnings(state: &State) -> Vec<String> {
    let mut out = vec![];
    if state.cert_self_signed.load(Ordering::Relaxed) {
        out.push(
            "the certificate is self-signed (no certificate files, or none from the ACME CA yet); browsers warn about it"
                .into(),
        );
    }
    let not_after = state.cert_not_after.load(Ordering::Relaxed);
    if not_after != 0
        && let Some(w) = crate::http::tls::expiry_warning(not_after, state.clock.unix())
    {
        out.push(w);
    }
    if let Some(e) = state.acme_error.lock().ok().and_then(|e| e.clone()) {
        out.push(e);
    }
    out
}

/// The file system of a tenant's archive folder; None when the folder is not there (say, a share that is
/// not mounted).
fn archive_disk(t: &crate::state::Tenant) -> Option<crate::metrics::Disk> {
    let dir = &t.config.archive_dir;
    crate::metrics::disk(dir).filter(|_| dir.is_dir())
}
