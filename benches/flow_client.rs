//! A citizen walking a form over HTTPS, for the benchmarks: `benches/flows.rs` (the load generator of
//! `scripts/bench-flows`) and the complete-submissions row of `benches/engine.rs`. Each flow is a new
//! citizen whose session cookie is carried by hand; the answers are the form's example, and the file an
//! example names (in forms/examples/) is uploaded with its step.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct Step {
    fields: Vec<(String, String)>,
    files: Vec<(String, String, Vec<u8>)>,
}

pub fn steps(form: &str) -> Vec<Step> {
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

/// One citizen's flow on one kept-alive client: the landing page, start, every step, check-answers,
/// send and the receipt (9 requests for a four-step form); the time to the receipt, or what went wrong.
pub async fn flow(
    c: &reqwest::Client,
    base: &str,
    form: &str,
    steps: &[Step],
) -> Result<Duration, String> {
    let t0 = Instant::now();
    let xff = forwarded_for();
    let r = c
        .get(format!("{base}/skjema/{form}"))
        .header("x-forwarded-for", &xff)
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
        .header("x-forwarded-for", &xff)
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .map_err(|x| x.to_string())?;
    expect(&r, 303, "start")?;
    for (i, s) in steps.iter().enumerate() {
        let url = format!("{base}/skjema/{form}/steg/{}", i + 1);
        let req = c
            .post(url)
            .header("cookie", &cookie)
            .header("x-forwarded-for", &xff);
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
        .header("x-forwarded-for", &xff)
        .send()
        .await
        .map_err(|x| x.to_string())?;
    expect(&r, 200, "check answers")?;
    let _ = r.bytes().await;
    let r = c
        .post(format!("{base}/skjema/{form}/send"))
        .header("cookie", &cookie)
        .header("x-forwarded-for", &xff)
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
        .header("x-forwarded-for", &xff)
        .send()
        .await
        .map_err(|x| x.to_string())?;
    expect(&r, 200, "receipt")?;
    let _ = r.bytes().await;
    Ok(t0.elapsed())
}

/// With `FLOWS_FORWARDED=1`, each flow comes from an address of its own behind a trusted proxy (the
/// server must list 127.0.0.1 in `limits.trusted_proxies`): 10.x.y.z, at random. Otherwise empty (the
/// server then counts the connection's own address).
fn forwarded_for() -> String {
    if std::env::var_os("FLOWS_FORWARDED").is_none() {
        return String::new();
    }
    let mut b = [0u8; 3];
    let _ = getrandom::fill(&mut b);
    format!("10.{}.{}.{}", b[0], b[1], b[2])
}

/// A client with one kept-alive connection, as a browser keeps its own, trusting `cert` and sending
/// `host` to `addr`.
pub fn client(cert: reqwest::Certificate, host: &str, addr: SocketAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(cert)
        .redirect(reqwest::redirect::Policy::none())
        .resolve(host, addr)
        .build()
        .unwrap()
}
