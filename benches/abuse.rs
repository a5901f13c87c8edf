//! Abuse patterns for `scripts/bench-abuse`: one client, from its own address (127.0.0.2), doing one
//! thing as hard as it can while the script measures the other citizens' pages and submissions.
//!
//! Usage: abuse ADDR HOST CERT.pem PATTERN SECONDS
//!
//! Patterns: `drafts` (a new session and a new draft, over and over), `pdf` (blank paper forms of every
//! form in every language, 8 at once), `h2zero` (HTTP/2 connections with a stream window of zero, 16
//! requests each, opened again as they are cut), `trickle` (uploads that send 16 bytes every 200 ms, 32
//! at once), `upload` (a new draft and a 5 MB image upload, over and over, 4 at once).
//!
//! Prints one line of JSON: what it sent and how the server answered.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;

const FROM: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2));

#[derive(Default)]
struct Tally {
    sent: AtomicU64,
    ok: AtomicU64,
    refused: AtomicU64,
    cut: AtomicU64,
}

fn client(cert: &reqwest::Certificate, host: &str, addr: SocketAddr) -> reqwest::Client {
    client_with(cert, host, addr, Arc::new(reqwest::cookie::Jar::default()))
}

fn client_with(
    cert: &reqwest::Certificate,
    host: &str,
    addr: SocketAddr,
    jar: Arc<reqwest::cookie::Jar>,
) -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(cert.clone())
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(jar)
        .local_address(FROM)
        .resolve(host, addr)
        .build()
        .unwrap()
}

fn csrf(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

fn tls_config(cert_pem: &[u8], alpn: &[u8]) -> Arc<rustls::ClientConfig> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(cert_pem) {
        roots.add(c.unwrap()).unwrap();
    }
    let mut cfg = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    cfg.alpn_protocols = vec![alpn.to_vec()];
    Arc::new(cfg)
}

async fn tls(
    addr: SocketAddr,
    host: &str,
    cfg: Arc<rustls::ClientConfig>,
) -> Option<tokio_rustls::client::TlsStream<tokio::net::TcpStream>> {
    let sock = tokio::net::TcpSocket::new_v4().ok()?;
    sock.bind(SocketAddr::new(FROM, 0)).ok()?;
    let tcp = sock.connect(addr).await.ok()?;
    let name = rustls_pki_types::ServerName::try_from(host.to_owned()).ok()?;
    tokio_rustls::TlsConnector::from(cfg)
        .connect(name, tcp)
        .await
        .ok()
}

/// A new session at the upload step of `feil-vei-gatelys`: the client and the step's address and token.
async fn at_upload_step(c: &reqwest::Client, base: &str) -> Option<(String, String)> {
    let page = c
        .get(format!("{base}/skjema/feil-vei-gatelys"))
        .send()
        .await
        .ok()?;
    let token = csrf(&page.text().await.ok()?);
    let r = c
        .post(format!("{base}/skjema/feil-vei-gatelys/start"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .ok()?;
    if r.status() != 303 {
        return None;
    }
    let step = format!("{base}/skjema/feil-vei-gatelys/steg/1");
    let token = csrf(&c.get(&step).send().await.ok()?.text().await.ok()?);
    Some((step, token))
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 6 {
        eprintln!("usage: abuse ADDR HOST CERT.pem PATTERN SECONDS");
        std::process::exit(2);
    }
    let addr: SocketAddr = args[1].parse().unwrap();
    let host = args[2].clone();
    let cert_pem = std::fs::read(&args[3]).unwrap();
    let cert = reqwest::Certificate::from_pem(&cert_pem).unwrap();
    let pattern = args[4].clone();
    let secs: f64 = args[5].parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let base = format!("https://{host}:{}", addr.port());
    let tally = Arc::new(Tally::default());
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    let forms: Vec<String> = reg.all().iter().map(|f| f.id.to_string()).collect();
    let mut set = tokio::task::JoinSet::new();
    let workers = match pattern.as_str() {
        "pdf" => 8,
        "h2zero" => 4,
        "trickle" => 32,
        "upload" => 4,
        "drafts" => 4,
        other => panic!("unknown pattern {other}"),
    };
    let image = {
        // A JPEG header and 5 MB after it: judged by structure, it is refused, after it has been read.
        let mut v = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("forms/examples/bilde-gatelys.jpg"),
        )
        .unwrap();
        v.resize(5_000_000, 0);
        v
    };
    for w in 0..workers {
        let (tally, host, base, cert, cert_pem, pattern, forms, image) = (
            tally.clone(),
            host.clone(),
            base.clone(),
            cert.clone(),
            cert_pem.clone(),
            pattern.clone(),
            forms.clone(),
            image.clone(),
        );
        set.spawn(async move {
            let mut n = w;
            while Instant::now() < deadline {
                n += 1;
                tally.sent.fetch_add(1, Ordering::Relaxed);
                let status = match pattern.as_str() {
                    "drafts" => {
                        let c = client(&cert, &host, addr);
                        let Ok(p) = c.get(format!("{base}/skjema/kontaktskjema")).send().await else {
                            tally.cut.fetch_add(1, Ordering::Relaxed);
                            continue;
                        };
                        let token = csrf(&p.text().await.unwrap_or_default());
                        c.post(format!("{base}/skjema/kontaktskjema/start"))
                            .form(&[("csrf", token.as_str())])
                            .send()
                            .await
                            .map(|r| r.status().as_u16())
                    }
                    "pdf" => {
                        let c = client(&cert, &host, addr);
                        let langs = ["nb", "nn", "en"];
                        let r = c
                            .get(format!("{base}/skjema/{}/blankett.pdf", forms[n % forms.len()]))
                            .header("accept-language", langs[n % 3])
                            .send()
                            .await;
                        match r {
                            Ok(r) => {
                                let s = r.status().as_u16();
                                let _ = r.bytes().await;
                                Ok(s)
                            }
                            Err(e) => Err(e),
                        }
                    }
                    "upload" => {
                        let c = client(&cert, &host, addr);
                        match at_upload_step(&c, &base).await {
                            None => Ok(429),
                            Some((step, token)) => {
                                let form = reqwest::multipart::Form::new()
                                    .text("csrf", token)
                                    .text("handling", "last-opp")
                                    .part(
                                        "bilder",
                                        reqwest::multipart::Part::bytes(image.clone())
                                            .file_name("stor.jpg"),
                                    );
                                c.post(step).multipart(form).send().await.map(|r| r.status().as_u16())
                            }
                        }
                    }
                    "h2zero" => {
                        let Some(s) = tls(addr, &host, tls_config(&cert_pem, b"h2")).await else {
                            tally.cut.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        };
                        let Ok((mut h2c, conn)) = h2::client::Builder::new()
                            .initial_window_size(0)
                            .handshake::<_, bytes::Bytes>(s)
                            .await
                        else {
                            continue;
                        };
                        let ended = tokio::spawn(conn);
                        for _ in 0..16 {
                            let req = hyper::Request::get(format!("https://{host}/skjema/barnehage-soknad"))
                                .body(())
                                .unwrap();
                            if h2c.send_request(req, true).is_err() {
                                break;
                            }
                        }
                        let left = deadline.saturating_duration_since(Instant::now());
                        match tokio::time::timeout(left, ended).await {
                            Ok(_) => {
                                tally.cut.fetch_add(1, Ordering::Relaxed);
                                continue;
                            }
                            Err(_) => break,
                        }
                    }
                    "trickle" => {
                        use reqwest::cookie::CookieStore;
                        let jar = Arc::new(reqwest::cookie::Jar::default());
                        let c = client_with(&cert, &host, addr, jar.clone());
                        let Some((step, token)) = at_upload_step(&c, &base).await else {
                            tally.refused.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(Duration::from_millis(200)).await;
                            continue;
                        };
                        // The session cookie, for the raw connection.
                        let cookie = jar
                            .cookies(&base.parse().unwrap())
                            .and_then(|v| v.to_str().ok().map(str::to_owned))
                            .unwrap_or_default();
                        let Some(mut s) = tls(addr, &host, tls_config(&cert_pem, b"http/1.1")).await
                        else {
                            tally.cut.fetch_add(1, Ordering::Relaxed);
                            continue;
                        };
                        let path = step.trim_start_matches(&base).to_owned();
                        let head = format!(
                            "POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000000\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n--b\r\nContent-Disposition: form-data; name=\"bilder\"; filename=\"x.jpg\"\r\n\r\n"
                        );
                        if s.write_all(head.as_bytes()).await.is_err() {
                            continue;
                        }
                        while Instant::now() < deadline {
                            if s.write_all(&[0u8; 16]).await.is_err() {
                                tally.cut.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                            tokio::time::sleep(Duration::from_millis(200)).await;
                        }
                        continue;
                    }
                    _ => unreachable!(),
                };
                match status {
                    Ok(200..=399) => tally.ok.fetch_add(1, Ordering::Relaxed),
                    Ok(_) => tally.refused.fetch_add(1, Ordering::Relaxed),
                    Err(_) => tally.cut.fetch_add(1, Ordering::Relaxed),
                };
            }
        });
    }
    set.join_all().await;
    println!(
        "{}",
        serde_json::json!({
            "pattern": pattern,
            "sent": tally.sent.load(Ordering::Relaxed),
            "answered": tally.ok.load(Ordering::Relaxed),
            "refused": tally.refused.load(Ordering::Relaxed),
            "cut_or_failed": tally.cut.load(Ordering::Relaxed),
        })
    );
}
