//! The HTTP POST delivery target: one signed JSON envelope per delivery, sent with ureq (blocking; the
//! worker calls [`post`] inside `spawn_blocking`). The receiver's contract is in `HTTP-TARGET.md`.
//!
//! - Body: the [`envelope_json`] of the package, every file inline as base64.
//! - Headers: `Content-Type: application/json`, `Idempotency-Key: <tenant>/<reference>/<target name>`,
//!   `X-Radhus-Timestamp: <unix seconds>` and
//!   `X-Radhus-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`.
//! - Outcome: 2xx is delivered; 408, 429, 5xx, timeouts and DNS, connection and TLS errors are retried;
//!   any other 4xx and every 3xx (redirects are never followed) fail permanently.
//!
//! TLS is rustls with the *ring* provider, passed explicitly (ureq is built with `rustls-no-provider`,
//! so aws-lc-rs is never linked). The trusted roots are Mozilla's (webpki-root-certs) plus the
//! target's own `ca_pem`, for a receiver with a self-signed or internal certificate. Plain `http://`
//! is only allowed to a loopback address.

use std::io::Read as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use hmac::{Hmac, Mac as _};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;
use serde::Serialize;
use sha2::Sha256;
use ureq::tls::{Certificate, RootCerts, TlsConfig, TlsProvider};

use super::package::{Failure, Package, hex, sha256_hex};
use crate::config::targets::{HttpTarget, is_loopback_host};

/// `<reference>/<target name>`: the same for every attempt of one delivery.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// Unix seconds when this attempt was signed.
pub const TIMESTAMP_HEADER: &str = "X-Radhus-Timestamp";
/// `sha256=` and the lower-case hex HMAC-SHA256 of `timestamp + "." + body`.
pub const SIGNATURE_HEADER: &str = "X-Radhus-Signature";

/// How much of a refusal's body goes into the error message.
const SNIPPET_CHARS: usize = 200;
/// How much of any response body is read (for the proof's hash and the error snippet).
const MAX_RESPONSE_READ: u64 = 64 * 1024;

#[derive(Serialize)]
struct Envelope<'a> {
    reference: &'a str,
    tenant: &'a str,
    form: &'a str,
    form_version: u32,
    /// RFC 3339 in UTC, e.g. `2026-03-14T09:15:00Z`.
    submitted: String,
    files: Vec<EnvelopeFile<'a>>,
}

#[derive(Serialize)]
struct EnvelopeFile<'a> {
    name: &'a str,
    content_type: &'a str,
    size: u64,
    sha256: String,
    content_base64: String,
}

/// Delivers `pkg` to `t`. `target_name` is the outbox row's target (it makes the idempotency key).
/// Returns a proof for the outbox, e.g.
/// `HTTP 201; sent 1234 bytes sha256 …; answer sha256 …`.
pub fn post(t: &HttpTarget, target_name: &str, pkg: &Package) -> Result<String, Failure> {
    check_url(&t.url)?;
    if t.secret.is_empty() {
        return Err(Failure::Retry(
            "no signing secret is configured for this HTTP target".into(),
        ));
    }
    let key = idempotency_key(pkg, target_name)?;
    let body = envelope_json(pkg)?;
    let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let signature = signature(&t.secret, timestamp, &body)?;
    let agent = agent(t)?;

    let started = Instant::now();
    let mut response = agent
        .post(&t.url)
        .header("Content-Type", "application/json")
        .header(IDEMPOTENCY_HEADER, &key)
        .header(TIMESTAMP_HEADER, timestamp.to_string())
        .header(SIGNATURE_HEADER, &signature)
        .send(body.as_slice())
        .map_err(|e| Failure::Retry(describe(&e, t.timeout, started.elapsed())))?;

    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut answer = Vec::new();
    let read = response
        .body_mut()
        .as_reader()
        .take(MAX_RESPONSE_READ)
        .read_to_end(&mut answer);
    let sent = format!("sent {} bytes sha256 {}", body.len(), sha256_hex(&body));
    classify(status, location.as_deref(), &answer, read.err(), &sent)
}

/// The request body: the JSON envelope of `pkg`, keys in the documented order, no extra whitespace.
/// The same package always gives the same bytes.
pub fn envelope_json(pkg: &Package) -> Result<Vec<u8>, Failure> {
    let submitted = time::OffsetDateTime::from_unix_timestamp(pkg.submitted)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .ok_or_else(|| {
            Failure::Permanent(format!(
                "the submission time {} cannot be written as RFC 3339",
                pkg.submitted
            ))
        })?;
    let files = pkg
        .files
        .iter()
        .map(|f| EnvelopeFile {
            name: &f.name,
            content_type: &f.content_type,
            size: u64::try_from(f.bytes.len()).unwrap_or(u64::MAX),
            sha256: sha256_hex(&f.bytes),
            content_base64: base64::engine::general_purpose::STANDARD.encode(&f.bytes),
        })
        .collect();
    let envelope = Envelope {
        reference: &pkg.reference,
        tenant: &pkg.tenant,
        form: &pkg.form,
        form_version: pkg.form_version,
        submitted,
        files,
    };
    serde_json::to_vec(&envelope)
        .map_err(|e| Failure::Permanent(format!("cannot write the JSON envelope: {e}")))
}

/// The value of `X-Radhus-Signature`: `sha256=` + lower-case hex HMAC-SHA256 with `secret` as the key
/// over the ASCII decimal `timestamp`, a `.`, and the body bytes.
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> Result<String, Failure> {
    let mut mac = <Hmac<Sha256> as hmac::Mac>::new_from_slice(secret)
        .map_err(|e| Failure::Retry(format!("unusable signing secret: {e}")))?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(format!("sha256={}", hex(&mac.finalize().into_bytes())))
}

/// `<tenant>/<reference>/<target name>`, which must be printable ASCII to be a header value. The outbox row
/// keeps its target name, so a bad key cannot be fixed by configuration: permanent.
fn idempotency_key(pkg: &Package, target_name: &str) -> Result<String, Failure> {
    let key = format!("{}/{}/{}", pkg.tenant, pkg.reference, target_name);
    if pkg.reference.is_empty()
        || target_name.is_empty()
        || !key.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(Failure::Permanent(format!(
            "the idempotency key {key:?} is not a non-empty printable ASCII reference/target"
        )));
    }
    Ok(key)
}

/// Only `https://`, or `http://` to a loopback host. A bad URL is configuration: retry, so that
/// fixing it recovers the waiting deliveries.
fn check_url(url: &str) -> Result<(), Failure> {
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|e| Failure::Retry(format!("the target URL {url:?} is invalid: {e}")))?;
    let host = uri.host().unwrap_or_default();
    if host.is_empty() {
        return Err(Failure::Retry(format!(
            "the target URL {url:?} has no host"
        )));
    }
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if is_loopback_host(host) => Ok(()),
        Some("http") => Err(Failure::Retry(format!(
            "the target URL {url:?} is plain http to a host that is not loopback; use https://"
        ))),
        _ => Err(Failure::Retry(format!(
            "the target URL {url:?} must start with https://"
        ))),
    }
}

/// A fresh agent per delivery (deliveries are rare; nothing is pooled between them): no redirects,
/// statuses returned rather than turned into errors, ring, Mozilla's roots plus `ca_pem`.
fn agent(t: &HttpTarget) -> Result<ureq::Agent, Failure> {
    client(&t.url, t.ca_pem.as_deref(), t.timeout)
}

/// An HTTPS client for `url` as the appliance makes them (also for OpenID providers): no redirects,
/// statuses returned rather than turned into errors, rustls with ring, Mozilla's roots plus `ca_pem`, a
/// proxy from the environment except for loopback, and one timeout for the whole exchange.
pub fn client(
    url: &str,
    ca_pem: Option<&[u8]>,
    timeout: std::time::Duration,
) -> Result<ureq::Agent, Failure> {
    let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|c| Certificate::from_der(c.as_ref()))
        .collect();
    if let Some(pem) = ca_pem {
        roots.extend(extra_roots(pem)?);
    }
    let tls = TlsConfig::builder()
        .provider(TlsProvider::Rustls)
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .root_certs(RootCerts::Specific(Arc::new(roots)))
        .build();
    // A proxy from the environment (HTTPS_PROXY, honouring NO_PROXY) is used, except for loopback.
    let loopback = url
        .parse::<ureq::http::Uri>()
        .ok()
        .and_then(|u| u.host().map(is_loopback_host))
        .unwrap_or(false);
    let mut config = ureq::Agent::config_builder();
    if loopback {
        config = config.proxy(None);
    }
    let config = config
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .user_agent(concat!("Radhus/", env!("CARGO_PKG_VERSION")))
        .tls_config(tls)
        .build();
    Ok(config.new_agent())
}

/// Every certificate in `pem`, each checked to be usable as a trust anchor (ureq would silently skip
/// one that is not, and the failure would then look like an unknown issuer).
fn extra_roots(pem: &[u8]) -> Result<Vec<Certificate<'static>>, Failure> {
    let mut out = Vec::new();
    let mut check = rustls::RootCertStore::empty();
    for item in CertificateDer::pem_slice_iter(pem) {
        let der = item.map_err(|e| {
            Failure::Retry(format!("the target's CA certificate is not valid PEM: {e}"))
        })?;
        check.add(der.clone()).map_err(|e| {
            Failure::Retry(format!(
                "the target's CA certificate cannot be a trusted root: {e}"
            ))
        })?;
        out.push(Certificate::from_der(der.as_ref()).to_owned());
    }
    if out.is_empty() {
        return Err(Failure::Retry(
            "the target's CA PEM holds no certificate".into(),
        ));
    }
    Ok(out)
}

/// A transport error, for the outbox. Every one of them is retried.
fn describe(e: &ureq::Error, timeout: Duration, elapsed: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!(
            "no complete answer within the timeout of {} ms ({e})",
            timeout.as_millis()
        ),
        ureq::Error::HostNotFound => format!("host not found (DNS): {e}"),
        // A failed handshake (e.g. an untrusted certificate) comes as an io::Error around rustls's.
        ureq::Error::Io(io)
            if io
                .get_ref()
                .is_some_and(|inner| inner.is::<rustls::Error>()) =>
        {
            format!("TLS failed: {io}")
        }
        ureq::Error::Io(io) => format!("connection failed after {} ms: {io}", elapsed.as_millis()),
        ureq::Error::Rustls(_) | ureq::Error::Tls(_) | ureq::Error::Pem(_) => {
            format!("TLS failed: {e}")
        }
        _ => e.to_string(),
    }
}

/// The outcome of a response with `status`.
fn classify(
    status: u16,
    location: Option<&str>,
    answer: &[u8],
    read_error: Option<std::io::Error>,
    sent: &str,
) -> Result<String, Failure> {
    match status {
        200..=299 => Ok(match read_error {
            None => format!(
                "HTTP {status}; {sent}; answer sha256 {}",
                sha256_hex(answer)
            ),
            // The status line says the receiver took it; a broken answer body does not change that.
            Some(e) => format!("HTTP {status}; {sent}; answer body unreadable: {e}"),
        }),
        300..=399 => Err(Failure::Permanent(format!(
            "HTTP {status}: unexpected redirect to {}; redirects are not followed, configure the final URL",
            location.unwrap_or("(no Location)")
        ))),
        408 | 429 => Err(Failure::Retry(format!(
            "HTTP {status}: {}",
            snippet(answer)
        ))),
        400..=499 => Err(Failure::Permanent(format!(
            "HTTP {status}: {}",
            snippet(answer)
        ))),
        _ => Err(Failure::Retry(format!(
            "HTTP {status}: {}",
            snippet(answer)
        ))),
    }
}

/// The first [`SNIPPET_CHARS`] characters of a response body, on one line.
fn snippet(answer: &[u8]) -> String {
    String::from_utf8_lossy(answer)
        .chars()
        .take(SNIPPET_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use std::net::SocketAddr;
    use std::path::PathBuf;
    use std::sync::Mutex;

    use bytes::Bytes;
    use http_body_util::{BodyExt as _, Full};
    use hyper::body::Incoming;
    use hyper::service::service_fn;
    use hyper::{Request, Response};
    use hyper_util::rt::TokioIo;
    use sha2::Digest as _;
    use tokio::net::TcpListener;

    use super::super::package::PackageFile;
    use super::*;

    /// Where `HTTP-TARGET.md` (whose Python example is run below) lives, relative to the crate root.
    const DOC: &str = "docs/http-target.md";
    const SECRET: &[u8] = b"s3cret-shared-with-the-receiver";

    fn root() -> PathBuf {
        PathBuf::from(
            std::env::var("RADHUS_ROOT").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()),
        )
    }

    /// HMAC-SHA256 written out from RFC 2104 over plain SHA-256: the receiver's own code, independent
    /// of the `hmac` crate the sender uses.
    fn receiver_hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
        let mut k = [0u8; 64];
        if key.len() > 64 {
            k[..32].copy_from_slice(&sha2::Sha256::digest(key));
        } else {
            k[..key.len()].copy_from_slice(key);
        }
        let mut inner = sha2::Sha256::new();
        inner.update(k.map(|b| b ^ 0x36));
        inner.update(msg);
        let mut outer = sha2::Sha256::new();
        outer.update(k.map(|b| b ^ 0x5c));
        outer.update(inner.finalize());
        outer.finalize().into()
    }

    #[derive(Clone, Debug)]
    struct Seen {
        path: String,
        key: String,
        timestamp: String,
        signature: String,
        content_type: String,
        signature_ok: bool,
        body: Vec<u8>,
    }

    struct Receiver {
        addr: SocketAddr,
        seen: Arc<Mutex<Vec<Seen>>>,
    }

    /// A long refusal text with non-ASCII letters, so the 200-character cut is visible.
    fn refusal(status: u16) -> String {
        format!("refused with {status}: {}", "æøå".repeat(100))
    }

    /// A real HTTP/1.1 server on 127.0.0.1:0 (over TLS when `tls` is given) that checks the signature
    /// with its own HMAC, records every request, and answers by path: `/status/NNN` with NNN, `/hang`
    /// never, `/redirect` with a 301. A bad signature gets 401 whatever the path.
    async fn receiver(tls: Option<tokio_rustls::TlsAcceptor>) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let record = Arc::clone(&record);
                let tls = tls.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(req, Arc::clone(&record)));
                    let builder = hyper::server::conn::http1::Builder::new();
                    match tls {
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(tcp).await {
                                let _ = builder
                                    .serve_connection(TokioIo::new(stream), service)
                                    .await;
                            }
                        }
                        None => {
                            let _ = builder.serve_connection(TokioIo::new(tcp), service).await;
                        }
                    }
                });
            }
        });
        Receiver { addr, seen }
    }

    async fn handle(
        req: Request<Incoming>,
        seen: Arc<Mutex<Vec<Seen>>>,
    ) -> Result<Response<Full<Bytes>>, hyper::Error> {
        let header = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let (path, key, timestamp, signature, content_type) = (
            req.uri().path().to_owned(),
            header("idempotency-key"),
            header("x-radhus-timestamp"),
            header("x-radhus-signature"),
            header("content-type"),
        );
        let body = req.into_body().collect().await?.to_bytes().to_vec();
        let mut signed = timestamp.as_bytes().to_vec();
        signed.push(b'.');
        signed.extend_from_slice(&body);
        let expected = format!("sha256={}", hex(&receiver_hmac(SECRET, &signed)));
        let signature_ok = expected == signature;
        seen.lock().unwrap().push(Seen {
            path: path.clone(),
            key,
            timestamp,
            signature,
            content_type,
            signature_ok,
            body,
        });
        let reply = |status: u16, text: String| {
            Ok(Response::builder()
                .status(status)
                .header("content-type", "text/plain; charset=utf-8")
                .body(Full::new(Bytes::from(text)))
                .unwrap())
        };
        if !signature_ok {
            return reply(401, "bad signature".into());
        }
        if path == "/hang" {
            tokio::time::sleep(Duration::from_secs(60)).await;
            return reply(200, "late".into());
        }
        if path == "/redirect" {
            return Ok(Response::builder()
                .status(301)
                .header("location", "https://elsewhere.example/in")
                .body(Full::new(Bytes::new()))
                .unwrap());
        }
        let status: u16 = path
            .strip_prefix("/status/")
            .and_then(|s| s.parse().ok())
            .unwrap_or(404);
        if status == 201 {
            return reply(201, r#"{"received":true}"#.into());
        }
        reply(status, refusal(status))
    }

    /// A self-signed certificate for 127.0.0.1 and localhost: (acceptor, certificate PEM).
    fn tls_acceptor() -> (tokio_rustls::TlsAcceptor, String) {
        let ck = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
            .unwrap();
        let key = rustls_pki_types::PrivateKeyDer::Pkcs8(
            rustls_pki_types::PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()),
        );
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![ck.cert.der().clone()], key)
        .unwrap();
        (
            tokio_rustls::TlsAcceptor::from(Arc::new(config)),
            ck.cert.pem(),
        )
    }

    fn package() -> Package {
        let submitted = time::macros::datetime!(2026-03-14 09:15:00 UTC).unix_timestamp();
        let image: Vec<u8> = (0..100_000u32).map(|i| (i * 7 + i / 256) as u8).collect();
        Package {
            reference: "2026-00042".into(),
            tenant: "eksempel".into(),
            form: "barnehage-soknad".into(),
            form_version: 3,
            submitted,
            files: vec![
                PackageFile {
                    name: "submission.xml".into(),
                    content_type: "application/xml".into(),
                    bytes: "<value>Kari Ærlig-Øvrebø på Bø</value>\r\n\"<&>\""
                        .as_bytes()
                        .to_vec(),
                },
                PackageFile {
                    name: "attachments/1-bilde.jpg".into(),
                    content_type: "image/jpeg".into(),
                    bytes: image,
                },
                PackageFile {
                    name: "manifest.json".into(),
                    content_type: "application/json".into(),
                    bytes: b"{}".to_vec(),
                },
            ],
        }
    }

    fn target(url: String) -> HttpTarget {
        HttpTarget {
            url,
            secret: SECRET.to_vec(),
            ca_pem: None,
            timeout: Duration::from_secs(5),
        }
    }

    /// `post` is blocking: never call it on the runtime that runs the receiver.
    async fn post_off_runtime(t: HttpTarget, pkg: Package) -> Result<String, Failure> {
        tokio::task::spawn_blocking(move || post(&t, "integration", &pkg))
            .await
            .unwrap()
    }

    fn retry(r: Result<String, Failure>) -> String {
        match r {
            Err(Failure::Retry(m)) => {
                eprintln!("Retry: {m}");
                m
            }
            other => panic!("expected Retry, got {other:?}"),
        }
    }

    fn permanent(r: Result<String, Failure>) -> String {
        match r {
            Err(Failure::Permanent(m)) => {
                eprintln!("Permanent: {m}");
                m
            }
            other => panic!("expected Permanent, got {other:?}"),
        }
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // RFC 4231, test case 2; and a key longer than the block (test case 6).
        let tc2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assert_eq!(
            hex(&receiver_hmac(b"Jefe", b"what do ya want for nothing?")),
            tc2
        );
        let tc6 = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
        let msg = b"Test Using Larger Than Block-Size Key - Hash Key First";
        assert_eq!(hex(&receiver_hmac(&[0xaa; 131], msg)), tc6);
        // The sender's signature is the same construction over "timestamp.body".
        let sig = signature(&[0xaa; 131], 1_773_479_700, b"{}").unwrap();
        assert_eq!(
            sig,
            format!(
                "sha256={}",
                hex(&receiver_hmac(&[0xaa; 131], b"1773479700.{}"))
            )
        );
    }

    #[test]
    fn classification_of_statuses() {
        let ok = |s| classify(s, None, b"", None, "sent").is_ok();
        let is_retry = |s| matches!(classify(s, None, b"", None, "sent"), Err(Failure::Retry(_)));
        let is_perm = |s| {
            matches!(
                classify(s, None, b"", None, "sent"),
                Err(Failure::Permanent(_))
            )
        };
        assert!(ok(200) && ok(201) && ok(202) && ok(204));
        assert!(is_perm(301) && is_perm(302) && is_perm(307) && is_perm(308));
        assert!(is_perm(400) && is_perm(401) && is_perm(403) && is_perm(404) && is_perm(422));
        assert!(is_retry(408) && is_retry(429));
        assert!(is_retry(500) && is_retry(502) && is_retry(503) && is_retry(504));
        assert!(is_retry(100) && is_retry(600));
    }

    #[test]
    fn urls_and_keys_are_checked_before_any_connection() {
        let pkg = package();
        let m = retry(post(&target("http://example.org/in".into()), "t", &pkg));
        assert!(m.contains("https://"), "{m}");
        retry(post(&target("ftp://127.0.0.1/in".into()), "t", &pkg));
        retry(post(&target("not a url".into()), "t", &pkg));
        let mut no_secret = target("https://127.0.0.1:9/".into());
        no_secret.secret.clear();
        retry(post(&no_secret, "t", &pkg));
        let mut bad_ca = target("https://127.0.0.1:9/".into());
        bad_ca.ca_pem = Some(b"not a certificate".to_vec());
        retry(post(&bad_ca, "t", &pkg));
        permanent(post(
            &target("http://127.0.0.1:9/".into()),
            "målgruppe",
            &pkg,
        ));
    }

    #[test]
    fn envelope_is_documented_shape_and_deterministic() {
        let pkg = package();
        let a = envelope_json(&pkg).unwrap();
        assert_eq!(a, envelope_json(&pkg).unwrap());
        let text = String::from_utf8(a).unwrap();
        assert!(
            text.starts_with(r#"{"reference":"2026-00042","tenant":"eksempel","form":"barnehage-soknad","form_version":3,"submitted":"2026-03-14T09:15:00Z","files":[{"name":"submission.xml","content_type":"application/xml","size":"#),
            "{text:.300}"
        );
    }

    #[tokio::test]
    async fn delivers_signed_envelope_with_201_and_is_idempotent() {
        let rx = receiver(None).await;
        let pkg = package();
        let url = format!("http://{}/status/201", rx.addr);
        let proof = post_off_runtime(target(url.clone()), pkg.clone())
            .await
            .unwrap();
        assert!(proof.starts_with("HTTP 201; sent "), "{proof}");
        assert!(
            proof.ends_with(&format!(
                "answer sha256 {}",
                sha256_hex(br#"{"received":true}"#)
            )),
            "{proof}"
        );
        // The same delivery again (as after a crash): same key and same body, newly signed.
        post_off_runtime(target(url), pkg.clone()).await.unwrap();

        let seen = rx.seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 2);
        let first = &seen[0];
        assert!(first.signature_ok);
        assert_eq!(first.path, "/status/201");
        assert_eq!(first.key, "eksempel/2026-00042/integration");
        assert_eq!(first.content_type, "application/json");
        assert!(first.signature.starts_with("sha256=") && first.signature.len() == 7 + 64);
        let ts: i64 = first.timestamp.parse().unwrap();
        assert!((time::OffsetDateTime::now_utc().unix_timestamp() - ts).abs() < 60);
        assert_eq!(seen[1].key, first.key);
        assert_eq!(seen[1].body, first.body);
        assert!(seen[1].signature_ok);
        assert!(proof.contains(&sha256_hex(&first.body)), "{proof}");

        let v: serde_json::Value = serde_json::from_slice(&first.body).unwrap();
        assert_eq!(v["reference"], "2026-00042");
        assert_eq!(v["tenant"], "eksempel");
        assert_eq!(v["form"], "barnehage-soknad");
        assert_eq!(v["form_version"], 3);
        assert_eq!(v["submitted"], "2026-03-14T09:15:00Z");
        let files = v["files"].as_array().unwrap();
        assert_eq!(files.len(), pkg.files.len());
        for (f, want) in files.iter().zip(&pkg.files) {
            assert_eq!(f["name"], want.name.as_str());
            assert_eq!(f["content_type"], want.content_type.as_str());
            assert_eq!(f["size"], want.bytes.len());
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(f["content_base64"].as_str().unwrap())
                .unwrap();
            assert_eq!(bytes, want.bytes);
            assert_eq!(f["sha256"], hex(&sha2::Sha256::digest(&bytes)).as_str());
        }
        assert_eq!(v.as_object().unwrap().len(), 6, "no undocumented keys");
    }

    #[tokio::test]
    async fn documented_python_verifier_accepts_a_real_request() {
        let rx = receiver(None).await;
        post_off_runtime(target(format!("http://{}/status/201", rx.addr)), package())
            .await
            .unwrap();
        let seen = rx.seen.lock().unwrap()[0].clone();

        let doc = std::fs::read_to_string(root().join(DOC)).unwrap();
        let code = doc
            .split("```python\n")
            .nth(1)
            .and_then(|rest| rest.split("\n```").next())
            .expect("a ```python block in the doc");
        assert!(code.lines().count() <= 12, "the example should stay short");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("body"), &seen.body).unwrap();
        let script = format!(
            "{code}\n\nimport sys\nbody = open(sys.argv[1], 'rb').read()\n\
             h = {{'X-Radhus-Timestamp': sys.argv[2], 'X-Radhus-Signature': sys.argv[3]}}\n\
             print(verify(sys.argv[4].encode(), h, body), verify(sys.argv[4].encode(), h, body + b' '),\n\
             verify(b'wrong', h, body), verify(sys.argv[4].encode(), {{**h, 'X-Radhus-Timestamp': '1'}}, body))\n"
        );
        std::fs::write(dir.path().join("verify.py"), script).unwrap();
        let args = [
            dir.path().join("verify.py").display().to_string(),
            dir.path().join("body").display().to_string(),
            seen.timestamp.clone(),
            seen.signature.clone(),
            String::from_utf8(SECRET.to_vec()).unwrap(),
        ];
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new("python3").args(&args).output()
        })
        .await
        .unwrap()
        .expect("python3 is needed for this test");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(stdout.trim(), "True False False False");
    }

    #[tokio::test]
    async fn refusals_are_permanent_with_status_and_200_chars() {
        let rx = receiver(None).await;
        for status in [400u16, 404, 422] {
            let url = format!("http://{}/status/{status}", rx.addr);
            let m = permanent(post_off_runtime(target(url), package()).await);
            let cut: String = refusal(status).chars().take(200).collect();
            assert_eq!(m, format!("HTTP {status}: {cut}"));
        }
        let m = permanent(
            post_off_runtime(target(format!("http://{}/redirect", rx.addr)), package()).await,
        );
        assert!(
            m.contains("301") && m.contains("https://elsewhere.example/in"),
            "{m}"
        );
        // Redirects are not followed: exactly the four requests above reached the receiver.
        assert_eq!(rx.seen.lock().unwrap().len(), 4);

        // A receiver that rejects the signature (wrong secret) refuses with 401: permanent.
        let mut wrong = target(format!("http://{}/status/201", rx.addr));
        wrong.secret = b"another secret".to_vec();
        let m = permanent(post_off_runtime(wrong, package()).await);
        assert!(m.starts_with("HTTP 401: bad signature"), "{m}");
    }

    #[tokio::test]
    async fn busy_receivers_are_retried() {
        let rx = receiver(None).await;
        for status in [408u16, 429, 500, 503] {
            let url = format!("http://{}/status/{status}", rx.addr);
            let m = retry(post_off_runtime(target(url), package()).await);
            assert!(
                m.starts_with(&format!("HTTP {status}: refused with {status}")),
                "{m}"
            );
        }
    }

    #[tokio::test]
    async fn a_hanging_receiver_times_out_as_retry() {
        let rx = receiver(None).await;
        let mut t = target(format!("http://{}/hang", rx.addr));
        t.timeout = Duration::from_millis(800);
        let started = Instant::now();
        let m = retry(post_off_runtime(t, package()).await);
        let took = started.elapsed();
        assert!(m.contains("timeout"), "{m}");
        assert!(
            took >= Duration::from_millis(700) && took < Duration::from_secs(3),
            "{took:?}"
        );
        assert_eq!(rx.seen.lock().unwrap().len(), 1, "the request did arrive");
    }

    #[tokio::test]
    async fn a_closed_port_is_retry() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let m =
            retry(post_off_runtime(target(format!("http://127.0.0.1:{port}/in")), package()).await);
        assert!(m.contains("onnection"), "{m}");
    }

    #[tokio::test]
    async fn tls_receiver_needs_its_ca() {
        let (acceptor, pem) = tls_acceptor();
        let rx = receiver(Some(acceptor)).await;
        let url = format!("https://127.0.0.1:{}/status/201", rx.addr.port());

        // Without the receiver's certificate: not trusted, retried (configuration can fix it).
        let m = retry(post_off_runtime(target(url.clone()), package()).await);
        assert!(
            m.starts_with("TLS failed: ") && m.contains("UnknownIssuer"),
            "{m}"
        );
        assert!(
            rx.seen.lock().unwrap().is_empty(),
            "nothing was sent in the clear"
        );

        let mut t = target(url.clone());
        t.ca_pem = Some(pem.clone().into_bytes());
        let proof = post_off_runtime(t, package()).await.unwrap();
        assert!(proof.starts_with("HTTP 201"), "{proof}");
        let seen = rx.seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 1);
        assert!(seen[0].signature_ok);
    }
}
