//! Accept loops: the TLS listener (HTTP/1.1 and HTTP/2 by ALPN) and the optional plain listener that only
//! redirects to HTTPS. Shutdown stops accepting, lets in-flight requests finish (up to the grace period),
//! then returns so the store can close.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use super::{conn, response};
use crate::state::State;

const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

fn builder(state: &State) -> auto::Builder<TokioExecutor> {
    let limits = &state.config.limits;
    let mut b = auto::Builder::new(TokioExecutor::new());
    b.http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        // hyper's own hard cap; our 431 page answers below it (limits.max_header_bytes).
        .max_buf_size((limits.max_header_bytes * 4).max(64 * 1024));
    b.http2()
        .timer(TokioTimer::new())
        .max_header_list_size(u32::try_from(limits.max_header_bytes * 4).unwrap_or(u32::MAX))
        .max_concurrent_streams(limits.max_streams_per_connection)
        // What one stream may hold of a response its client does not take (hyper's default is 400 KiB).
        .max_send_buf_size(32 * 1024);
    b
}

/// A place for a connection from `peer` under the limits, or None (counted; the caller drops it).
fn admit(
    state: &State,
    admission: &Arc<conn::Admission>,
    peer: SocketAddr,
) -> Option<conn::Admitted> {
    let limits = &state.config.limits;
    let ip = peer.ip().to_canonical();
    let admitted = admission.admit(
        ip,
        limits.max_connections,
        limits.max_connections_per_ip,
        limits.trusted_proxies.contains(&ip),
    );
    if admitted.is_none() {
        state
            .metrics
            .connections_refused
            .fetch_add(1, Ordering::Relaxed);
        tracing::debug!(%peer, "connection refused: too many open");
    }
    admitted
}

/// Serves one connection until it ends, is idle, or stops taking its responses (see [`conn`]).
async fn serve_conn<S, F>(state: &State, activity: &Arc<conn::Activity>, conn: F)
where
    F: std::future::Future<Output = Result<(), S>>,
    S: std::fmt::Display,
{
    let limits = &state.config.limits;
    let mut tick = tokio::time::interval(Duration::from_millis(500).min(limits.idle_timeout));
    tokio::pin!(conn);
    loop {
        tokio::select! {
            r = &mut conn => {
                if let Err(e) = r {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            _ = tick.tick() => {
                if let Some(why) = activity.verdict(limits.idle_timeout, limits.stall_timeout) {
                    state.metrics.connections_cut.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(reason = why, "connection closed");
                    return;
                }
            }
        }
    }
}

/// Serves HTTPS on `listener` until `stop` turns true, then drains.
pub async fn serve_tls(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    state: Arc<State>,
    site: &'static super::router::Site,
    mut stop: watch::Receiver<bool>,
) {
    let builder = Arc::new(builder(&state));
    let graceful = GracefulShutdown::new();
    let admission = Arc::new(conn::Admission::default());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (tcp, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        // Out of file descriptors and the like: back off instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = tcp.set_nodelay(true);
                state.metrics.connections_total.fetch_add(1, Ordering::Relaxed);
                let Some(admitted) = admit(&state, &admission, peer) else {
                    continue;
                };
                let acceptor = acceptor.clone();
                let state = state.clone();
                let builder = builder.clone();
                let watcher = graceful.watcher();
                tokio::spawn(async move {
                    let _admitted = admitted;
                    let tls = match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                        Ok(Ok(s)) => s,
                        Ok(Err(e)) => {
                            state.metrics.tls_handshake_failures.fetch_add(1, Ordering::Relaxed);
                            tracing::debug!(%peer, error = %e, "TLS handshake failed");
                            return;
                        }
                        Err(_) => {
                            state.metrics.tls_handshake_failures.fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                    };
                    let activity = conn::Activity::new();
                    let svc = {
                        let (state, activity) = (state.clone(), activity.clone());
                        service_fn(move |req: Request<Incoming>| {
                            let (state, activity) = (state.clone(), activity.clone());
                            let handling = activity.handling();
                            async move {
                                let resp = super::handle(state, site, req, peer).await;
                                let waiting = activity.sending();
                                drop(handling);
                                Ok::<_, Infallible>(resp.map(|b| conn::Tracked::new(b, waiting)))
                            }
                        })
                    };
                    let io = TokioIo::new(conn::Counted::new(tls, activity.clone()));
                    let conn = builder.serve_connection(io, svc).into_owned();
                    serve_conn(&state, &activity, watcher.watch(conn)).await;
                });
            }
            _ = stop.changed() => break,
        }
    }
    drop(listener);
    let grace = state.config.limits.shutdown_grace;
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("shutdown grace period over; closing the remaining connections");
    }
}

/// The plain-HTTP listener: every request on a tenant's host gets a 308 to the same URL over HTTPS.
pub async fn serve_redirect(
    listener: TcpListener,
    https_port: u16,
    state: Arc<State>,
    mut stop: watch::Receiver<bool>,
) {
    let graceful = GracefulShutdown::new();
    let builder = Arc::new(builder(&state));
    let admission = Arc::new(conn::Admission::default());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((tcp, peer)) = accepted else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let Some(admitted) = admit(&state, &admission, peer) else {
                    continue;
                };
                let state = state.clone();
                let builder = builder.clone();
                let watcher = graceful.watcher();
                tokio::spawn(async move {
                    let _admitted = admitted;
                    let activity = conn::Activity::new();
                    let svc = {
                        let (state, activity) = (state.clone(), activity.clone());
                        service_fn(move |req: Request<Incoming>| {
                            let handling = activity.handling();
                            let resp = redirect(&state, &req, https_port);
                            let waiting = activity.sending();
                            drop(handling);
                            async move { Ok::<_, Infallible>(resp.map(|b| conn::Tracked::new(b, waiting))) }
                        })
                    };
                    let io = TokioIo::new(conn::Counted::new(tcp, activity.clone()));
                    let conn = builder.serve_connection(io, svc).into_owned();
                    serve_conn(&state, &activity, watcher.watch(conn)).await;
                });
            }
            _ = stop.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(2), graceful.shutdown()).await;
}

fn redirect(state: &State, req: &Request<Incoming>, https_port: u16) -> response::Resp {
    // An ACME CA checking a challenge of an order under way.
    if let Some(token) = req
        .uri()
        .path()
        .strip_prefix("/.well-known/acme-challenge/")
    {
        let answer = state
            .acme_tokens
            .lock()
            .ok()
            .and_then(|t| t.get(token).cloned());
        return match answer {
            Some(key_authorization) => response::text(
                StatusCode::OK,
                "application/octet-stream",
                key_authorization,
            ),
            None => response::text(
                StatusCode::NOT_FOUND,
                "text/plain; charset=utf-8",
                "Not found\n",
            ),
        };
    }
    let mut resp = match super::request::host(req).filter(|h| state.tenant_for(h).is_some()) {
        None => response::text(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "Not found\n",
        ),
        Some(host) => {
            let port = if https_port == 443 {
                String::new()
            } else {
                format!(":{https_port}")
            };
            let pq = req.uri().path_and_query().map_or("/", |p| p.as_str());
            let mut r = response::text(
                StatusCode::PERMANENT_REDIRECT,
                "text/plain; charset=utf-8",
                "",
            );
            if let Ok(v) = HeaderValue::from_str(&format!("https://{host}{port}{pq}")) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
    };
    response::security_headers(resp.headers_mut());
    resp
}

/// Binds a listener; the error names the address.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, std::io::Error> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))
}
