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
