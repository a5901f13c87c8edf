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
        Handler::Metrics if peer.ip().is_loopback() => text(
            StatusCode::OK,
            "text/plain; version=0.0.4; charset=utf-8",
            state.metrics.render(&[]),
        ),
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
    let (status, code) = match (&store, shutting_down) {
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
    });
    text(code, "application/json", body.to_string())
}
