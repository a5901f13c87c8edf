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

#[derive(Clone)]
struct Step {
    fields: Vec<(String, String)>,
    files: Vec<(String, String, Vec<u8>)>,
}

fn steps(form: &str) -> Vec<Step> {
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    let def = reg
        .get(&radhus::ids::FormId::parse(form).unwrap())
        .unwrap_or_else(|| panic!("no form {form}"))
        .clone();
    let name = format!("{form}.example.toml");
    let text = radhus::forms::embedded::EXAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no example for {form}"))
        .1;
    let table: toml::Table = toml::from_str(text).unwrap();
    let example = radhus::forms::engine::answers_from_example(&def, &table);
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("forms/examples");
    def.steps
        .iter()
        .map(|s| {
            let mut step = Step {
                fields: vec![],
                files: vec![],
            };
            for f in &s.fields {
                let Some(v) = example.get(&f.id) else {
                    continue;
                };
                if matches!(f.kind, radhus::forms::definition::Kind::Attachment { .. }) {
                    let file = v.as_str().to_owned();
                    let bytes = std::fs::read(examples.join(&file)).unwrap();
                    step.files.push((f.id.clone(), file, bytes));
                } else {
                    step.fields.push((f.id.clone(), v.as_str().to_owned()));
                }
            }
            step
        })
        .collect()
}

fn csrf(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// One citizen's flow; the time to the receipt, or what went wrong.
async fn flow(
    c: &reqwest::Client,
    base: &str,
    form: &str,
    steps: &[Step],
) -> Result<Duration, String> {
    let t0 = Instant::now();
    let r = c
        .get(format!("{base}/skjema/{form}"))
        .send()
        .await
        .map_err(|x| x.to_string())?;
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie")?
        .to_owned();
    let token = csrf(&r.text().await.map_err(|x| x.to_string())?);
    let expect = |r: &reqwest::Response, code: u16, what: &str| {
        if r.status().as_u16() == code {
            Ok(())
        } else {
            Err(format!("{what}: {}", r.status()))
        }
    };
    let r = c
        .post(format!("{base}/skjema/{form}/start"))
        .header("cookie", &cookie)
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .map_err(|x| x.to_string())?;
    expect(&r, 303, "start")?;
    for (i, s) in steps.iter().enumerate() {
        let url = format!("{base}/skjema/{form}/steg/{}", i + 1);
        let req = c.post(url).header("cookie", &cookie);
        let req = if s.files.is_empty() {
            let mut body = vec![("csrf", token.as_str()), ("handling", "neste")];
            body.extend(s.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            req.form(&body)
        } else {
            let mut m = reqwest::multipart::Form::new()
                .text("csrf", token.clone())
                .text("handling", "neste");
            for (k, v) in &s.fields {
                m = m.text(k.clone(), v.clone());
            }
            for (k, name, bytes) in &s.files {
                let ct = if name.ends_with(".pdf") {
                    "application/pdf"
                } else {
                    "image/jpeg"
                };
                m = m.part(
                    k.clone(),
                    reqwest::multipart::Part::bytes(bytes.clone())
                        .file_name(name.clone())
                        .mime_str(ct)
                        .map_err(|x| x.to_string())?,
                );
            }
            req.multipart(m)
        };
        let r = req.send().await.map_err(|x| x.to_string())?;
        expect(&r, 303, &format!("step {}", i + 1))?;
    }
    let r = c
        .get(format!("{base}/skjema/{form}/oppsummering"))
        .header("cookie", &cookie)
        .send()
        .await
        .map_err(|x| x.to_string())?;
    expect(&r, 200, "check answers")?;
    let _ = r.bytes().await;
    let r = c
        .post(format!("{base}/skjema/{form}/send"))
        .header("cookie", &cookie)
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .map_err(|x| x.to_string())?;
    expect(&r, 303, "send")?;
    let receipt = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or("no receipt location")?
        .to_owned();
    let r = c
        .get(format!("{base}{receipt}"))
        .header("cookie", &cookie)
        .send()
        .await
        .map_err(|x| x.to_string())?;
    expect(&r, 200, "receipt")?;
    let _ = r.bytes().await;
    Ok(t0.elapsed())
}

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
            // One kept-alive connection per client, as a browser keeps its own.
            let c = reqwest::Client::builder()
                .use_rustls_tls()
                .tls_built_in_root_certs(false)
                .add_root_certificate(cert)
                .redirect(reqwest::redirect::Policy::none())
                .resolve(&host, addr)
                .build()
                .unwrap();
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
