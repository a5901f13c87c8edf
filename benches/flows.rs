//! Load generator for `scripts/bench`: N clients submit complete flows of one form against a running
//! server for a fixed time, each flow a new citizen: the landing page, start, every step with the example
//! answers (the file the example names uploaded with its step), check-answers, send, and the receipt.
//!
//! Usage: flows ADDR HOST CERT.pem CLIENTS SECONDS [FORM]
//!
//! Prints one line of JSON: receipts, errors, seconds, and receipt latency percentiles. The server's own
//! CPU, memory and archive are measured by the script from /proc and the archive folder, so that the load
//! generator's cost does not count.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

mod flow_client;
use flow_client::{client, flow, steps};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 6 {
        eprintln!("usage: flows ADDR HOST CERT.pem CLIENTS SECONDS [FORM]");
        std::process::exit(2);
    }
    let addr: SocketAddr = args[1].parse().unwrap();
    let host = args[2].clone();
    let cert = reqwest::Certificate::from_pem(&std::fs::read(&args[3]).unwrap()).unwrap();
    let clients: usize = args[4].parse().unwrap();
    let secs: f64 = args[5].parse().unwrap();
    let form = args
        .get(6)
        .cloned()
        .unwrap_or_else(|| "feil-vei-gatelys".into());
    let steps = steps(&form);
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let t = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (cert, steps, host, form) = (cert.clone(), steps.clone(), host.clone(), form.clone());
        set.spawn(async move {
            let c = client(cert, &host, addr);
            let base = format!("https://{host}:{}", addr.port());
            let (mut times, mut errors) = (vec![], vec![]);
            while Instant::now() < deadline {
                match flow(&c, &base, &form, &steps).await {
                    Ok(d) => times.push(d),
                    Err(e) => errors.push(e),
                }
            }
            (times, errors)
        });
    }
    let mut times = vec![];
    let mut errors: Vec<String> = vec![];
    for (t, e) in set.join_all().await {
        times.extend(t);
        errors.extend(e);
    }
    let secs = t.elapsed().as_secs_f64();
    times.sort();
    let pct = |p: f64| {
        times
            .get(((times.len() as f64 * p) as usize).min(times.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let failed = errors.len();
    errors.sort();
    errors.dedup();
    println!(
        "{}",
        serde_json::json!({
            "receipts": times.len(),
            "errors": failed,
            "first_errors": errors.iter().take(3).collect::<Vec<_>>(),
            "seconds": secs,
            "flow_ms_p50": pct(0.5),
            "flow_ms_p99": pct(0.99),
        })
    );
}
