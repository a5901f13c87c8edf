//! Start, reload, redirect, shutdown and the store's refusals.

use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::support::{TestServer, client_for, read_response};

#[tokio::test]
async fn graceful_shutdown_finishes_an_in_flight_request() {
    let mut srv = TestServer::start().await;
    let raw = srv.raw("eksempel.localhost");
    let mut s = raw.connect().await;
    // Headers and half the body now; the rest after shutdown has begun.
    let body = "lang=nb&tilbake=%2F";
    let head = format!(
        "POST /sprak HTTP/1.1\r\nHost: eksempel.localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(&body.as_bytes()[..5]).await.unwrap();
    s.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let running = srv.running.take().unwrap();
    let stopping = tokio::spawn(running.shutdown());
    tokio::time::sleep(Duration::from_millis(300)).await;
    // New connections are no longer accepted.
    assert!(
        tokio::net::TcpStream::connect(srv.addr).await.is_err(),
        "listener closed"
    );
    s.write_all(&body.as_bytes()[5..]).await.unwrap();
    let resp = read_response(&mut s).await;
    // The request completes with a real answer (403: no CSRF token, since this client has no session).
    assert!(
        resp.starts_with("HTTP/1.1 403") || resp.starts_with("HTTP/1.1 503"),
        "{resp}"
    );
    tokio::time::timeout(Duration::from_secs(10), stopping)
        .await
        .unwrap()
        .unwrap();
    // The store was closed cleanly: it opens again at once.
    radhus::store::Store::open(srv.data_dir()).unwrap();
    srv.stop().await;
}

#[tokio::test]
async fn tls_certificate_reloads_without_dropping_connections() {
    let srv = TestServer::start().await;
    let c = srv.client();
    assert_eq!(
        c.get(srv.url("eksempel.localhost", "/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let before = srv.raw("eksempel.localhost").connect().await;
    let old_der = before.get_ref().1.peer_certificates().unwrap()[0].to_vec();

    // New certificate files, then reload (what SIGHUP does).
    let cert = srv.data_dir().join("tls/cert.pem");
    let key = srv.data_dir().join("tls/key.pem");
    radhus::http::tls::write_self_signed(&radhus::demo::HOSTS, &cert, &key).unwrap();
    srv.running().reload_tls().unwrap();
    let new_pem = std::fs::read(&cert).unwrap();
    let fresh = crate::support::RawTls {
        addr: srv.addr,
        host: "eksempel.localhost".into(),
        cert_pem: new_pem.clone(),
    };
    let after = fresh.connect().await;
    let new_der = after.get_ref().1.peer_certificates().unwrap()[0].to_vec();
    assert_ne!(old_der, new_der, "new handshakes get the new certificate");
    // The client from before still works on its pooled connection (HTTP/2 reuses it).
    assert_eq!(
        c.get(srv.url("eksempel.localhost", "/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // And a new client trusting only the new certificate works.
    let c2 = client_for(srv.addr, &new_pem);
    assert_eq!(
        c2.get(srv.url("eksempel.localhost", "/"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // A broken file keeps the old key in place.
    std::fs::write(&cert, "not a certificate").unwrap();
    assert!(srv.running().reload_tls().is_err());
    assert_eq!(
        c2.get(srv.url("eksempel.localhost", "/"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    drop(before);
}

#[tokio::test]
async fn plain_listener_only_redirects_to_https() {
    let srv =
        TestServer::start_with(|c| c.server.redirect_listen = Some("127.0.0.1:0".parse().unwrap()))
            .await;
    let plain = srv.running().redirect_addr.unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .resolve("eksempel.localhost", plain)
        .resolve("unknown.localhost", plain)
        .build()
        .unwrap();
    let r = client
        .get(format!(
            "http://eksempel.localhost:{}/sok?q=bhg",
            plain.port()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(
        r.headers()["location"],
        format!("https://eksempel.localhost:{}/sok?q=bhg", srv.addr.port()).as_str()
    );
    assert!(r.headers().get("strict-transport-security").is_some());
    let r = client
        .get(format!("http://unknown.localhost:{}/", plain.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "no open redirect for foreign host names");
}

#[tokio::test]
async fn default_tenant_answers_any_host() {
    let srv = TestServer::start_with(|c| c.default_tenant = Some(1)).await;
    let resp = srv
        .raw("localhost")
        .exchange(b"GET / HTTP/1.1\r\nHost: skjema.anything.example\r\nConnection: close\r\n\r\n")
        .await;
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.contains("Prøvestad kommune"));
}

#[tokio::test]
async fn store_refuses_a_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let store = radhus::store::Store::open(dir.path()).unwrap();
    store
        .force_schema_version(radhus::store::migrate::CURRENT + 7)
        .unwrap();
    drop(store);
    let err = radhus::store::Store::open(dir.path())
        .err()
        .unwrap()
        .to_string();
    let file = dir.path().join("radhus.redb");
    assert_eq!(
        err,
        format!(
            "the store {} was written by a newer version of Rådhus (schema version {}; this version supports up to {}); upgrade Rådhus or restore a backup made by this version",
            file.display(),
            radhus::store::migrate::CURRENT + 7,
            radhus::store::migrate::CURRENT
        )
    );
}

/// A certificate that expires within 30 days is named in `/healthz` (loopback) and in `check-config`; one
/// with months left is not; a reload to a fresh certificate clears the warning.
#[tokio::test]
async fn a_certificate_about_to_expire_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let now = time::OffsetDateTime::now_utc();
    let make = |name: &str, days: i64| {
        let mut params = rcgen::CertificateParams::new(
            radhus::demo::HOSTS
                .iter()
                .map(|h| (*h).to_owned())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        params.not_before = now - time::Duration::days(60);
        params.not_after = now + time::Duration::days(days);
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let (c, k) = (
            dir.path().join(format!("{name}-cert.pem")),
            dir.path().join(format!("{name}-key.pem")),
        );
        std::fs::write(&c, cert.pem()).unwrap();
        std::fs::write(&k, key.serialize_pem()).unwrap();
        (c, k, cert.pem())
    };
    let (cert, key, pem) = make("soon", 10);
    let (cert2, key2) = (cert.clone(), key.clone());
    let srv = TestServer::start_with(move |c| {
        c.server.tls_cert = cert2;
        c.server.tls_key = key2;
    })
    .await;
    let client = client_for(srv.addr, pem.as_bytes());
    let health = |client: reqwest::Client, url: String| async move {
        let text = client.get(url).send().await.unwrap().text().await.unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    let h = health(client.clone(), srv.url("eksempel.localhost", "/healthz")).await;
    let warnings = h["warnings"].to_string();
    assert!(
        warnings.contains("expires in 9 days") || warnings.contains("expires in 10 days"),
        "{h}"
    );
    assert_eq!(h["status"], "ok", "a warning, not a failure: {h}");
    assert!(
        h["tls"]["not_after"]
            .as_str()
            .unwrap()
            .starts_with(&(now + time::Duration::days(10)).year().to_string())
    );

    // check-config says the same.
    let config = srv.data_dir().join("radhus-demo.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("tls/cert.pem", cert.to_str().unwrap())
        .replace("tls/key.pem", key.to_str().unwrap());
    std::fs::write(&config, text).unwrap();
    let out = std::process::Command::new(crate::support::bin())
        .arg("check-config")
        .arg(&config)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: server.tls_cert: the TLS certificate expires in"),
        "{err}"
    );

    // Renewed: a reload clears the warning.
    let (fresh, fresh_key, _) = make("fresh", 90);
    std::fs::copy(&fresh, &cert).unwrap();
    std::fs::copy(&fresh_key, &key).unwrap();
    srv.running().reload_tls().unwrap();
    let client = client_for(srv.addr, &std::fs::read(&fresh).unwrap());
    let h = health(client, srv.url("eksempel.localhost", "/healthz")).await;
    assert_eq!(h["warnings"], serde_json::json!([]), "{h}");
}
