//! What one client may hold of the server: connections per IP address and in total, and how long a
//! connection may sit without doing anything.
//!
//! - [`Admission`] counts open connections; one over `limits.max_connections` (all clients) or
//!   `limits.max_connections_per_ip` (one address; trusted proxies are exempt) is closed at once.
//! - [`Activity`] is each connection's clock: [`Counted`] stamps it on every byte written, each request
//!   stamps it when it starts; it counts the requests being handled and, through [`Tracked`] bodies, the
//!   responses not yet taken by the connection. The connection's task closes it when it has been idle
//!   (no request begun and nothing written, nothing handled or waiting) for `limits.idle_timeout_secs`,
//!   or when responses wait and nothing has been written for `limits.stall_timeout_secs` (a client that
//!   stops reading, or an HTTP/2 client that keeps its window at zero: what the server holds for it is
//!   then freed). Bytes a client sends without asking for anything (HTTP/2 pings, window updates) keep
//!   nothing open. A request being handled is bounded by the body deadline and the handlers' own
//!   timeouts instead.

use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Body, Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Open connections, by client address and in total.
#[derive(Default)]
pub struct Admission {
    total: AtomicUsize,
    per_ip: Mutex<HashMap<IpAddr, usize>>,
}

/// A connection's place; given back when dropped.
pub struct Admitted {
    admission: Arc<Admission>,
    ip: Option<IpAddr>,
}

impl Admission {
    /// Takes a place for a connection from `ip`, or None when a limit is reached. `per_ip` is not applied
    /// when `exempt` (a trusted proxy carries many clients).
    pub fn admit(
        self: &Arc<Self>,
        ip: IpAddr,
        total: usize,
        per_ip: usize,
        exempt: bool,
    ) -> Option<Admitted> {
        if self.total.fetch_add(1, Ordering::AcqRel) >= total {
            self.total.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        let counted = if exempt {
            None
        } else {
            let Ok(mut m) = self.per_ip.lock() else {
                self.total.fetch_sub(1, Ordering::AcqRel);
                return None;
            };
            let n = m.entry(ip).or_insert(0);
            if *n >= per_ip {
                drop(m);
                self.total.fetch_sub(1, Ordering::AcqRel);
                return None;
            }
            *n += 1;
            Some(ip)
        };
        Some(Admitted {
            admission: self.clone(),
            ip: counted,
        })
    }

    pub fn open(&self) -> usize {
        self.total.load(Ordering::Acquire)
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.admission.total.fetch_sub(1, Ordering::AcqRel);
        if let Some(ip) = self.ip
            && let Ok(mut m) = self.admission.per_ip.lock()
            && let Some(n) = m.get_mut(&ip)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.remove(&ip);
            }
        }
    }
}

/// A connection's activity: when it last read and wrote, what it is handling and what waits to be sent.
pub struct Activity {
    started: Instant,
    request_ms: AtomicU64,
    written_ms: AtomicU64,
    /// Requests whose handler runs.
    handling: AtomicUsize,
    /// Responses not yet all taken by the connection.
    sending: AtomicUsize,
}

impl Activity {
    pub fn new() -> Arc<Activity> {
        Arc::new(Activity {
            started: Instant::now(),
            request_ms: AtomicU64::new(0),
            written_ms: AtomicU64::new(0),
            handling: AtomicUsize::new(0),
            sending: AtomicUsize::new(0),
        })
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Why the connection should be closed now, if it should.
    pub fn verdict(&self, idle: Duration, stall: Duration) -> Option<&'static str> {
        let now = self.now_ms();
        let since =
            |t: &AtomicU64| Duration::from_millis(now.saturating_sub(t.load(Ordering::Relaxed)));
        if self.handling.load(Ordering::Acquire) > 0 {
            return None;
        }
        if self.sending.load(Ordering::Acquire) > 0 {
            return (since(&self.written_ms) >= stall).then_some("not taking its responses");
        }
        let last = since(&self.request_ms).min(since(&self.written_ms));
        (last >= idle).then_some("idle")
    }

    /// A request is being handled until the guard is dropped.
    pub fn handling(self: &Arc<Self>) -> InHand {
        self.request_ms.store(self.now_ms(), Ordering::Relaxed);
        self.handling.fetch_add(1, Ordering::AcqRel);
        InHand(self.clone(), Counter::Handling)
    }

    /// A response waits to be sent until the guard is dropped.
    pub fn sending(self: &Arc<Self>) -> InHand {
        self.sending.fetch_add(1, Ordering::AcqRel);
        InHand(self.clone(), Counter::Sending)
    }
}

enum Counter {
    Handling,
    Sending,
}

/// One request handled, or one response waiting (see [`Activity::handling`], [`Activity::sending`]).
pub struct InHand(Arc<Activity>, Counter);

impl Drop for InHand {
    fn drop(&mut self) {
        let c = match self.1 {
            Counter::Handling => &self.0.handling,
            Counter::Sending => &self.0.sending,
        };
        c.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A stream that stamps its connection's [`Activity`] on every byte written.
pub struct Counted<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S> Counted<S> {
    pub fn new(inner: S, activity: Arc<Activity>) -> Counted<S> {
        Counted { inner, activity }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Counted<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Counted<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            let now = self.activity.now_ms();
            self.activity.written_ms.store(now, Ordering::Relaxed);
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            let now = self.activity.now_ms();
            self.activity.written_ms.store(now, Ordering::Relaxed);
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A response body that keeps its request [`InHand`] until the connection has taken all of it (or
/// dropped it): a response an HTTP/2 client never lets through stays counted.
pub struct Tracked {
    inner: Full<Bytes>,
    waiting: Option<InHand>,
}

impl Tracked {
    pub fn new(inner: Full<Bytes>, waiting: InHand) -> Tracked {
        Tracked {
            inner,
            waiting: Some(waiting),
        }
    }
}

impl Body for Tracked {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let r = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(r, Poll::Ready(None)) {
            self.waiting = None;
        }
        r
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admission_per_ip_and_in_total() {
        let a = Arc::new(Admission::default());
        let ip1: IpAddr = "192.0.2.1".parse().unwrap();
        let ip2: IpAddr = "192.0.2.2".parse().unwrap();
        let x = a.admit(ip1, 3, 2, false).unwrap();
        let _y = a.admit(ip1, 3, 2, false).unwrap();
        assert!(a.admit(ip1, 3, 2, false).is_none(), "per address");
        let _z = a.admit(ip2, 3, 2, false).unwrap();
        assert!(a.admit(ip2, 3, 2, true).is_none(), "in total");
        drop(x);
        let w = a.admit(ip1, 3, 2, false);
        assert!(w.is_some());
        assert_eq!(a.open(), 3);
        drop(w);
        assert_eq!(a.open(), 2);
    }
}
