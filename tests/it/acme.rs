//! Certificates from a real ACME server (Pebble, Let's Encrypt's test CA, started here): a server with
//! `[acme]` starts on a self-signed certificate, gets one for every tenant host from the CA and serves it
//! without a restart; the HTTP-01 answers are served on the plain listener; a CA that is down leaves the
//! certificate in use and says why in `/healthz`.

use std::time::{Duration, Instant};

use crate::support::{TestServer, free_port};

struct Pebble {
    child: std::process::Child,
    directory: String,
    management: u16,
    ca_pem: Vec<u8>,
    ca_file: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Pebble {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Pebble on free ports, with its own certificate; challenges are taken as valid (the CA cannot reach
/// this test's host names), so the answers on the plain listener are checked apart. A port taken between
/// choosing it and pebble binding it (other tests run beside this one) makes pebble exit: then again, on
/// other ports.
async fn pebble() -> Pebble {
    let mut logs = vec![];
    for _ in 0..3 {
        match pebble_once().await {
            Ok(p) => return p,
            Err(log) => logs.push(log),
        }
    }
    panic!("pebble did not come up:\n{}", logs.join("\n---\n"));
}

async fn pebble_once() -> Result<Pebble, String> {
    let dir = tempfile::tempdir().unwrap();
    let params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    let ca_file = dir.path().join("pebble-cert.pem");
    std::fs::write(&ca_file, cert.pem()).unwrap();
    std::fs::write(dir.path().join("pebble-key.pem"), key.serialize_pem()).unwrap();
    let (api, management) = (free_port(), free_port());
    let config = serde_json::json!({"pebble": {
        "listenAddress": format!("127.0.0.1:{api}"),
        "managementListenAddress": format!("127.0.0.1:{management}"),
        "certificate": dir.path().join("pebble-cert.pem"),
        "privateKey": dir.path().join("pebble-key.pem"),
        "httpPort": free_port(), "tlsPort": free_port(),
        "ocspResponderURL": "", "externalAccountBindingRequired": false
    }});
    std::fs::write(dir.path().join("pebble.json"), config.to_string()).unwrap();
    let child = std::process::Command::new("pebble")
        .arg("-config")
        .arg(dir.path().join("pebble.json"))
        .env("PEBBLE_VA_ALWAYS_VALID", "1")
        .env("PEBBLE_VA_NOSLEEP", "1")
        .env("PEBBLE_WFE_NONCEREJECT", "0")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("pebble.log")).unwrap())
        .spawn()
        .expect("pebble is installed (scripts/install-test-peers)");
    let p = Pebble {
        child,
        directory: format!("https://127.0.0.1:{api}/dir"),
        management,
        ca_pem: cert.pem().into_bytes(),
        ca_file,
        _dir: dir,
    };
    let mut p = p;
    let client = trusting(&p.ca_pem, None);
    // Up to 30 s: the whole suite shares two cores.
    for _ in 0..600 {
        if client.get(&p.directory).send().await.is_ok() {
            return Ok(p);
        }
        if p.child.try_wait().ok().flatten().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(std::fs::read_to_string(p._dir.path().join("pebble.log")).unwrap_or_default())
}

fn trusting(ca_pem: &[u8], server: Option<std::net::SocketAddr>) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem).unwrap());
    if let Some(addr) = server {
        for host in radhus::demo::HOSTS {
            b = b.resolve(host, addr);
        }
    }
    b.build().unwrap()
}

fn with_acme(c: &mut radhus::config::Config, directory: String, ca_file: std::path::PathBuf) {
    c.acme = Some(radhus::config::AcmeConfig {
        directory,
        contact: Some("mailto:it@eksempel.example".into()),
        ca_file: Some(ca_file),
    });
    c.server.redirect_listen = Some("127.0.0.1:0".parse().unwrap());
    c.server.tls_cert = c.server.data_dir.join("acme/cert.pem");
    c.server.tls_key = c.server.data_dir.join("acme/key.pem");
    c.server.tls_self_signed = true;
}

#[tokio::test]
async fn a_certificate_comes_from_the_acme_ca_without_a_restart() {
    let p = pebble().await;
    let (directory, ca_file) = (p.directory.clone(), p.ca_file.clone());
    let srv = TestServer::start_with(move |c| with_acme(c, directory, ca_file)).await;
    // The root the CA issues under, from its management interface.
    let root = trusting(&p.ca_pem, None)
        .get(format!("https://127.0.0.1:{}/roots/0", p.management))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let client = trusting(root.as_bytes(), Some(srv.addr));
    let deadline = Instant::now() + Duration::from_secs(30);
    let health = loop {
        if let Ok(r) = client
            .get(srv.url("eksempel.localhost", "/healthz"))
            .send()
            .await
        {
            break r.text().await.unwrap();
        }
        if Instant::now() > deadline {
            let insecure = reqwest::Client::builder()
                .danger_accept_invalid_certs(true)
                .resolve("eksempel.localhost", srv.addr)
                .build()
                .unwrap();
            let h =
                crate::support::fetch_text(&insecure, &srv.url("eksempel.localhost", "/healthz"))
                    .await;
            panic!("no certificate from the CA in 30 s; /healthz: {h}; root: {root}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let h: serde_json::Value = serde_json::from_str(&health).unwrap();
    assert_eq!(h["warnings"], serde_json::json!([]), "{h}");
    assert_eq!(h["status"], "ok", "{h}");
    // Both tenants' host names are on it.
    let other = client
        .get(srv.url("provestad.localhost", "/"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    // The account and the key are kept for the owner only.
    use std::os::unix::fs::PermissionsExt;
    for f in ["account.json", "key.pem", "cert.pem"] {
        let meta = std::fs::metadata(srv.data_dir().join("acme").join(f)).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{f}");
    }

    // The plain listener answers an HTTP-01 challenge of an order under way, and nothing else.
    let plain = srv.running().redirect_addr.unwrap();
    srv.running()
        .state()
        .acme_tokens
        .lock()
        .unwrap()
        .insert("tok3n".into(), "tok3n.thumbprint".into());
    let http = reqwest::Client::new();
    let answer = http
        .get(format!("http://{plain}/.well-known/acme-challenge/tok3n"))
        .header("host", "eksempel.localhost")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.unwrap(), "tok3n.thumbprint");
    let unknown = http
        .get(format!("http://{plain}/.well-known/acme-challenge/other"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn a_ca_that_is_down_leaves_the_certificate_in_use_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    std::fs::write(&ca, cert.pem()).unwrap();
    let closed = format!("https://127.0.0.1:{}/dir", free_port());
    let srv = TestServer::start_with(move |c| with_acme(c, closed, ca)).await;
    let cert = std::fs::read(srv.data_dir().join("acme/cert.pem")).unwrap();
    let client = crate::support::client_for(srv.addr, &cert);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text =
            crate::support::fetch_text(&client, &srv.url("eksempel.localhost", "/healthz")).await;
        let h: serde_json::Value = serde_json::from_str(&text).unwrap();
        let warnings = h["warnings"].to_string();
        if warnings.contains("no certificate from the ACME CA") {
            assert!(warnings.contains("self-signed"), "{h}");
            assert_eq!(h["status"], "ok", "{h}");
            break;
        }
        assert!(Instant::now() < deadline, "{h}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
