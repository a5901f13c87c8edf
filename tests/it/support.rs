//! Test rig: a real server on 127.0.0.1:0 with a temporary data folder, an HTTPS client that trusts the
//! demo certificate and sends the right Host/SNI, a raw TLS client for slow or broken requests, and HTML
//! assertions through CSS selectors.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use radhus::config::Config;
use radhus::{App, Running};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct TestServer {
    pub running: Option<Running>,
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub cert_pem: Vec<u8>,
    /// The configuration it was started with (for a restart on the same data folder).
    pub config: Config,
}

/// Chooses ring, the app's rustls provider, as the process default before any client is built, so no
/// test client depends on which providers the dependency tree happens to enable.
pub fn init_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// Starts the demo configuration on a free port, after `tweak` has adjusted it.
    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> TestServer {
        init_crypto();
        let dir = tempfile::tempdir().unwrap();
        let mut config = radhus::demo::prepare(dir.path(), "127.0.0.1:0".parse().unwrap()).unwrap();
        tweak(&mut config);
        let running = App::start(config.clone()).await.unwrap();
        let cert_pem = std::fs::read(dir.path().join("tls/cert.pem")).unwrap();
        TestServer {
            addr: running.addr,
            running: Some(running),
            dir,
            cert_pem,
            config,
        }
    }

    /// Stops the server and starts it again on the same data folder (on a new port: clients must be
    /// made again, with the same cookie jar to be the same browser).
    pub async fn restart(&mut self, config: Config) {
        self.stop().await;
        let running = App::start(config).await.unwrap();
        self.addr = running.addr;
        self.running = Some(running);
    }

    pub fn running(&self) -> &Running {
        self.running.as_ref().unwrap()
    }

    pub async fn stop(&mut self) {
        if let Some(r) = self.running.take() {
            r.shutdown().await;
        }
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// https://HOST:PORT + path
    pub fn url(&self, host: &str, path: &str) -> String {
        format!("https://{host}:{}{path}", self.addr.port())
    }

    /// A client with a cookie jar, no redirects, trusting the demo certificate.
    pub fn client(&self) -> reqwest::Client {
        client_for(self.addr, &self.cert_pem)
    }

    /// The body of `GET path` on `host`, as text (a fresh client without cookies).
    pub async fn text(&self, host: &str, path: &str) -> String {
        self.client()
            .get(self.url(host, path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub fn raw(&self, host: &str) -> RawTls {
        RawTls {
            addr: self.addr,
            host: host.to_owned(),
            cert_pem: self.cert_pem.clone(),
        }
    }
}

pub fn client_for(addr: SocketAddr, cert_pem: &[u8]) -> reqwest::Client {
    client_with_jar(addr, cert_pem, Arc::new(reqwest::cookie::Jar::default()))
}

/// A client with a given cookie jar: the same "browser" across a server restart.
pub fn client_with_jar(
    addr: SocketAddr,
    cert_pem: &[u8],
    jar: Arc<reqwest::cookie::Jar>,
) -> reqwest::Client {
    let cert = reqwest::Certificate::from_pem(cert_pem).unwrap();
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(cert)
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(jar);
    for host in radhus::demo::HOSTS {
        b = b.resolve(host, addr);
    }
    b.build().unwrap()
}

/// A raw TLS connection for requests no well-behaved client sends.
pub struct RawTls {
    pub addr: SocketAddr,
    pub host: String,
    pub cert_pem: Vec<u8>,
}

pub type TlsStream = tokio_rustls::client::TlsStream<tokio::net::TcpStream>;

impl RawTls {
    pub fn client_config(&self, alpn: &[&[u8]]) -> Arc<rustls::ClientConfig> {
        use rustls_pki_types::CertificateDer;
        use rustls_pki_types::pem::PemObject;
        let mut roots = rustls::RootCertStore::empty();
        for c in CertificateDer::pem_slice_iter(&self.cert_pem) {
            roots.add(c.unwrap()).unwrap();
        }
        let mut cfg = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        cfg.alpn_protocols = alpn.iter().map(|a| a.to_vec()).collect();
        Arc::new(cfg)
    }

    pub async fn connect(&self) -> TlsStream {
        self.connect_with(self.client_config(&[b"http/1.1"])).await
    }

    pub async fn connect_with(&self, cfg: Arc<rustls::ClientConfig>) -> TlsStream {
        let tcp = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        let name = rustls_pki_types::ServerName::try_from(self.host.clone()).unwrap();
        tokio_rustls::TlsConnector::from(cfg)
            .connect(name, tcp)
            .await
            .unwrap()
    }

    /// Sends raw bytes and reads the whole response (until the server closes or 10 s pass).
    pub async fn exchange(&self, request: &[u8]) -> String {
        let mut s = self.connect().await;
        s.write_all(request).await.unwrap();
        read_response(&mut s).await
    }
}

/// Reads until the server closes the connection or a complete response with Content-Length has arrived.
pub async fn read_response(s: &mut TlsStream) -> String {
    let mut buf = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut chunk = [0u8; 16384];
    loop {
        let n = match tokio::time::timeout_at(deadline, s.read(&mut chunk)).await {
            Ok(Ok(n)) => n,
            _ => break,
        };
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head.lines().find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
            });
            if len.is_some_and(|len| body.len() >= len) {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Parsed HTML with CSS-selector helpers.
pub struct Html(pub scraper::Html);

impl Html {
    pub fn parse(s: &str) -> Html {
        Html(scraper::Html::parse_document(s))
    }

    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.0
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.texts(selector)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    pub fn attr(&self, selector: &str, attr: &str) -> Option<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.0
            .select(&sel)
            .next()
            .and_then(|e| e.value().attr(attr))
            .map(str::to_owned)
    }

    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.0
            .select(&sel)
            .filter_map(|e| e.value().attr(attr))
            .map(str::to_owned)
            .collect()
    }

    pub fn count(&self, selector: &str) -> usize {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.0.select(&sel).count()
    }
}

pub async fn get_html(client: &reqwest::Client, url: &str) -> (reqwest::StatusCode, Html) {
    let r = client.get(url).send().await.unwrap();
    let status = r.status();
    (status, Html::parse(&r.text().await.unwrap()))
}

/// The CSRF token of the first form on a page.
pub fn csrf_of(html: &Html) -> String {
    html.attr("input[name=csrf]", "value")
        .expect("page has a CSRF token")
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_radhus"))
}

/// A request as an HTTP receiver saw it: headers and body.
pub type Received = (hyper::HeaderMap, Vec<u8>);

/// A real HTTP/1.1 receiver on 127.0.0.1 that records every request and answers the n-th (from 1) with
/// `status(n)`. Runs on the caller's runtime.
pub async fn http_receiver(
    status: fn(usize) -> u16,
) -> (u16, Arc<std::sync::Mutex<Vec<Received>>>) {
    use http_body_util::BodyExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Arc<std::sync::Mutex<Vec<Received>>> = Arc::default();
    let s2 = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let s3 = s2.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let s4 = s3.clone();
                        async move {
                            let (parts, body) = req.into_parts();
                            let bytes = body.collect().await.unwrap().to_bytes().to_vec();
                            let n = {
                                let mut v = s4.lock().unwrap();
                                v.push((parts.headers, bytes));
                                v.len()
                            };
                            Ok::<_, std::convert::Infallible>(
                                hyper::Response::builder()
                                    .status(status(n))
                                    .body(http_body_util::Full::new(bytes::Bytes::from_static(
                                        b"stored",
                                    )))
                                    .unwrap(),
                            )
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    (port, seen)
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Python's aiosmtpd with STARTTLS required and AUTH required (tests/peers/smtp_peer.py).
pub struct SmtpPeer {
    _child: tokio::process::Child,
    pub port: u16,
    /// The peer's self-signed certificate, to trust as the CA.
    pub cert_pem: String,
    /// Where every accepted message lands as NNNN.eml.
    pub out: PathBuf,
    _dir: tempfile::TempDir,
}

pub async fn smtp_peer() -> SmtpPeer {
    use tokio::io::AsyncBufReadExt;
    let dir = tempfile::tempdir().unwrap();
    let ck =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    let out = dir.path().join("out");
    let mut child = tokio::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/smtp_peer.py"))
        .args([
            "--mode",
            "starttls",
            "--user",
            "radhus",
            "--password",
            "hemmelig-passord",
        ])
        .arg("--outdir")
        .arg(&out)
        .arg("--cert")
        .arg(&cert)
        .arg("--key")
        .arg(&key)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("python3 with aiosmtpd (pip install aiosmtpd; .ci/run does this)");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .expect("the SMTP peer exited: is aiosmtpd installed?");
    let port = line
        .strip_prefix("listening 127.0.0.1:")
        .unwrap()
        .parse()
        .unwrap();
    SmtpPeer {
        _child: child,
        port,
        cert_pem: ck.cert.pem(),
        out,
        _dir: dir,
    }
}

/// A reference as the store takes it.
pub fn rf(s: &str) -> radhus::ids::Reference {
    radhus::ids::Reference::parse(s).unwrap()
}

/// The text of a PDF, by pdftotext.
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.pdf");
    std::fs::write(&file, bytes).unwrap();
    crate::delivery::pdftotext(&file)
}

/// The body of a response made in-process, as text.
pub async fn body_text(resp: radhus::http::Resp) -> String {
    use http_body_util::BodyExt;
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// GET `url` with `client`: the body as text (the request must succeed).
pub async fn fetch_text(client: &reqwest::Client, url: &str) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}
