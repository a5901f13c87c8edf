//! Prometheus metrics with lock-free counters on the hot path: requests by route class and status, and a
//! latency histogram. Later capabilities add their own counters here.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const CLASSES: [&str; 4] = ["public", "static", "system", "none"];
const STATUSES: [u16; 19] = [
    200, 301, 303, 304, 308, 400, 403, 404, 405, 408, 413, 415, 422, 429, 431, 500, 503, 507, 0,
];
/// Upper bounds in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

pub struct Metrics {
    requests: Vec<AtomicU64>,
    buckets: Vec<AtomicU64>,
    latency_count: AtomicU64,
    latency_sum_us: AtomicU64,
    pub tls_handshake_failures: AtomicU64,
    pub connections_total: AtomicU64,
    /// Connections closed at once: over the limit per address or in total.
    pub connections_refused: AtomicU64,
    /// Connections closed for being idle or not taking their responses.
    pub connections_cut: AtomicU64,
    pub delivery_failures: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: (0..CLASSES.len() * STATUSES.len())
                .map(|_| AtomicU64::new(0))
                .collect(),
            buckets: (0..BUCKETS.len()).map(|_| AtomicU64::new(0)).collect(),
            latency_count: AtomicU64::new(0),
            latency_sum_us: AtomicU64::new(0),
            tls_handshake_failures: AtomicU64::new(0),
            connections_total: AtomicU64::new(0),
            connections_refused: AtomicU64::new(0),
            connections_cut: AtomicU64::new(0),
            delivery_failures: AtomicU64::new(0),
        }
    }
}

impl Metrics {
    pub fn record(&self, class: &str, status: u16, elapsed: Duration) {
        let c = CLASSES
            .iter()
            .position(|x| *x == class)
            .unwrap_or(CLASSES.len() - 1);
        let s = STATUSES
            .iter()
            .position(|x| *x == status)
            .unwrap_or(STATUSES.len() - 1);
        if let Some(counter) = self.requests.get(c * STATUSES.len() + s) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        let secs = elapsed.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b)
            && let Some(b) = self.buckets.get(i)
        {
            b.fetch_add(1, Ordering::Relaxed);
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        let us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.latency_sum_us.fetch_add(us, Ordering::Relaxed);
    }

    /// The Prometheus text exposition format.
    pub fn render(&self, extra: &[(&str, &str, u64)]) -> String {
        let mut out = String::with_capacity(4096);
        out.push_str(
            "# HELP radhus_http_requests_total HTTP requests by route class and status.\n",
        );
        out.push_str("# TYPE radhus_http_requests_total counter\n");
        for (ci, class) in CLASSES.iter().enumerate() {
            for (si, status) in STATUSES.iter().enumerate() {
                let n = self
                    .requests
                    .get(ci * STATUSES.len() + si)
                    .map_or(0, |a| a.load(Ordering::Relaxed));
                if n > 0 {
                    let status = if *status == 0 {
                        "other".to_string()
                    } else {
                        status.to_string()
                    };
                    let _ = writeln!(
                        out,
                        "radhus_http_requests_total{{class=\"{class}\",status=\"{status}\"}} {n}"
                    );
                }
            }
        }
        out.push_str(
            "# HELP radhus_http_request_duration_seconds Time from request to response head.\n",
        );
        out.push_str("# TYPE radhus_http_request_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (i, le) in BUCKETS.iter().enumerate() {
            cumulative += self.buckets.get(i).map_or(0, |a| a.load(Ordering::Relaxed));
            let _ = writeln!(
                out,
                "radhus_http_request_duration_seconds_bucket{{le=\"{le}\"}} {cumulative}"
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "radhus_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let sum = self.latency_sum_us.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "radhus_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "radhus_http_request_duration_seconds_count {count}");
        let counters = [
            (
                "radhus_tls_handshake_failures_total",
                "Failed or timed-out TLS handshakes.",
                self.tls_handshake_failures.load(Ordering::Relaxed),
            ),
            (
                "radhus_connections_total",
                "Accepted TCP connections.",
                self.connections_total.load(Ordering::Relaxed),
            ),
            (
                "radhus_connections_refused_total",
                "Connections closed at once: over the limit per address or in total.",
                self.connections_refused.load(Ordering::Relaxed),
            ),
            (
                "radhus_connections_cut_total",
                "Connections closed for being idle or not taking their responses.",
                self.connections_cut.load(Ordering::Relaxed),
            ),
        ];
        for (name, help, v) in counters.iter().chain(extra.iter()) {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}"
            );
        }
        out
    }
}

/// A file system's free space (for an unprivileged process) and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disk {
    pub free: u64,
    pub size: u64,
}

/// [`Disk`] of the file system holding `path`; None when it cannot be asked (the path is missing).
pub fn disk(path: &std::path::Path) -> Option<Disk> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: a NUL-terminated path and a buffer of the right type, which statvfs fills on success.
    let st = unsafe {
        if libc::statvfs(c.as_ptr(), st.as_mut_ptr()) != 0 {
            return None;
        }
        st.assume_init()
    };
    // The field types differ between platforms (u32 or u64); these conversions never lose anything.
    #[allow(clippy::useless_conversion)]
    let (block, avail, blocks) = (
        u64::from(st.f_frsize),
        u64::from(st.f_bavail),
        u64::from(st.f_blocks),
    );
    Some(Disk {
        free: avail.saturating_mul(block),
        size: blocks.saturating_mul(block),
    })
}

/// Bytes held by the regular files below `dir` (symbolic links are not followed). Walks the whole tree:
/// call it off the async threads, now and then.
pub fn folder_bytes(dir: &std::path::Path) -> u64 {
    let mut total = 0u64;
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => todo.push(e.path()),
                Ok(t) if t.is_file() => total += e.metadata().map(|m| m.len()).unwrap_or(0),
                _ => {}
            }
        }
    }
    total
}
