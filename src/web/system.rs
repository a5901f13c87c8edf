//! `/healthz` (JSON) and `/metrics` (Prometheus text, loopback only). Answered on any host name.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use hyper::StatusCode;

use crate::app::State;
use crate::http::Resp;
use crate::http::response::text;
use crate::http::router::Handler;

pub async fn handle(state: &State, handler: Handler, peer: SocketAddr) -> Resp {
    match handler {
        Handler::Healthz => healthz(state),
        Handler::Metrics if peer.ip().is_loopback() => {
            let mut body = state.metrics.render(&[(
                "radhus_delivery_failures_total",
                "Delivery attempts that failed (retried or permanent).",
                state.metrics.delivery_failures.load(Ordering::Relaxed),
            )]);
            if let Ok((pending, failing, failed, delivered)) = state.store.outbox_counts() {
                body.push_str("# HELP radhus_outbox_rows Outbox rows by state.\n# TYPE radhus_outbox_rows gauge\n");
                for (s, n) in [
                    ("pending", pending),
                    ("failing", failing),
                    ("failed", failed),
                    ("delivered", delivered),
                ] {
                    body.push_str(&format!("radhus_outbox_rows{{state=\"{s}\"}} {n}\n"));
                }
            }
            text(
                StatusCode::OK,
                "text/plain; version=0.0.4; charset=utf-8",
                body,
            )
        }
        _ => text(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "Not found\n",
        ),
    }
}

fn healthz(state: &State) -> Resp {
    let store = state.store.ping();
    let shutting_down = state.shutting_down.load(Ordering::Relaxed);
    let delivery: Vec<(String, String)> = state
        .delivery_health
        .lock()
        .map(|h| h.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let (status, code) = match (&store, shutting_down) {
        // Still serving and accepting submissions; deliveries wait and are retried.
        (Ok(_), false) if !delivery.is_empty() => ("degraded", StatusCode::OK),
        (Ok(_), false) => ("ok", StatusCode::OK),
        (Ok(_), true) => ("stopping", StatusCode::SERVICE_UNAVAILABLE),
        (Err(_), _) => ("failing", StatusCode::SERVICE_UNAVAILABLE),
    };
    let body = serde_json::json!({
        "status": status,
        "version": crate::VERSION,
        "uptime_seconds": state.started.elapsed().as_secs(),
        "store": match &store { Ok(v) => serde_json::json!({"ok": true, "schema_version": v}), Err(e) => serde_json::json!({"ok": false, "error": e.to_string()}) },
        "tenants": state.tenants.len(),
        "deliveries_waiting": delivery.iter().map(|(t, e)| serde_json::json!({"tenant": t, "error": e})).collect::<Vec<_>>(),
    });
    text(code, "application/json", body.to_string())
}
