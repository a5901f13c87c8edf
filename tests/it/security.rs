//! Security by default: TLS and HTTP/2, headers on every route class, cookies, CSRF.

use crate::support::{Html, TestServer, csrf_of, get_html};

const HEADERS: [(&str, &str); 4] = [
    (
        "strict-transport-security",
        "max-age=63072000; includeSubDomains",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("x-frame-options", "DENY"),
];

fn assert_security_headers(what: &str, h: &reqwest::header::HeaderMap) {
    for (name, value) in HEADERS {
        assert_eq!(
            h.get(name).map(|v| v.to_str().unwrap()),
            Some(value),
            "{what}: {name}"
        );
    }
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .unwrap();
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{what}: {csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("default-src 'none'"), "{what}: {csp}");
    assert!(h.get("x-request-id").is_some(), "{what}: request id");
}

#[tokio::test]
async fn tls_handshake_and_http2_by_alpn() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let r = c
        .get(srv.url("eksempel.localhost", "/"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.version(),
        reqwest::Version::HTTP_2,
        "h2 negotiated by ALPN"
    );
    // HTTP/1.1 only when the client offers only that.
    let raw = srv.raw("eksempel.localhost");
    let s = raw.connect().await;
    assert_eq!(s.get_ref().1.alpn_protocol(), Some(&b"http/1.1"[..]));
    let ver = s.get_ref().1.protocol_version().unwrap();
    assert!(matches!(ver, rustls::ProtocolVersion::TLSv1_3), "{ver:?}");
    // A TLS 1.2-only client is served too.
    let mut roots = rustls::RootCertStore::empty();
    use rustls_pki_types::pem::PemObject;
    for c in rustls_pki_types::CertificateDer::pem_slice_iter(&srv.cert_pem) {
        roots.add(c.unwrap()).unwrap();
    }
    let cfg = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS12])
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let s = raw.connect_with(std::sync::Arc::new(cfg)).await;
    assert!(matches!(
        s.get_ref().1.protocol_version(),
        Some(rustls::ProtocolVersion::TLSv1_2)
    ));
}

#[tokio::test]
async fn every_route_class_carries_the_security_headers() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let (_, home) = get_html(&c, &srv.url("eksempel.localhost", "/")).await;
    let css = home.attr("link[rel=stylesheet]", "href").unwrap();
    let token = csrf_of(&home);
    let cases: Vec<(&str, reqwest::RequestBuilder, u16)> = vec![
        ("portal", c.get(srv.url("eksempel.localhost", "/")), 200),
        (
            "search",
            c.get(srv.url("eksempel.localhost", "/sok?q=a")),
            200,
        ),
        (
            "landing",
            c.get(srv.url("eksempel.localhost", "/skjema/kontaktskjema")),
            200,
        ),
        ("static", c.get(srv.url("eksempel.localhost", &css)), 200),
        (
            "robots",
            c.get(srv.url("eksempel.localhost", "/robots.txt")),
            200,
        ),
        ("healthz", c.get(srv.url("localhost", "/healthz")), 200),
        ("metrics", c.get(srv.url("localhost", "/metrics")), 200),
        ("404", c.get(srv.url("eksempel.localhost", "/nope")), 404),
        ("405", c.delete(srv.url("eksempel.localhost", "/")), 405),
        (
            "303",
            c.post(srv.url("eksempel.localhost", "/sprak"))
                .form(&[("csrf", token.as_str()), ("lang", "nb")]),
            303,
        ),
        (
            "403",
            c.post(srv.url("eksempel.localhost", "/sprak"))
                .form(&[("lang", "nb")]),
            403,
        ),
    ];
    for (what, req, status) in cases {
        let r = req.send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{what}");
        assert_security_headers(what, r.headers());
    }
    let resp = srv
        .raw("localhost")
        .exchange(b"GET / HTTP/1.1\r\nHost: unknown.localhost\r\nConnection: close\r\n\r\n")
        .await
        .to_ascii_lowercase();
    for (name, value) in HEADERS {
        assert!(
            resp.contains(&format!("{name}: {}", value.to_ascii_lowercase())),
            "unknown host: {name}"
        );
    }
    assert!(resp.contains("content-security-policy: default-src 'none'"));
}

#[tokio::test]
async fn session_cookie_is_secure_httponly_lax_and_only_set_once() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let r = c
        .get(srv.url("eksempel.localhost", "/"))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-sid="), "{cookie}");
    for attr in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    let r = c
        .get(srv.url("eksempel.localhost", "/"))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers().get("set-cookie").is_none(),
        "the jar sent it back; no new session"
    );
    // Broken cookies are ignored, not an error.
    let r = srv
        .client()
        .get(srv.url("eksempel.localhost", "/"))
        .header("cookie", "__Host-sid=%%%; __Host-lang=xx; ;;=; junk")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers().get("set-cookie").is_some(),
        "a malformed session id is replaced"
    );
}

#[tokio::test]
async fn csrf_missing_or_wrong_is_refused_with_a_translated_page_that_keeps_the_input() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let (_, home) = get_html(&c, &srv.url("eksempel.localhost", "/")).await;
    let good = csrf_of(&home);
    let forged = format!("{}x", &good[1..]);
    for (what, fields) in [
        ("missing", vec![("lang", "en"), ("tilbake", "/sok?q=bhg")]),
        (
            "wrong",
            vec![
                ("csrf", forged.as_str()),
                ("lang", "en"),
                ("tilbake", "/sok?q=bhg"),
            ],
        ),
    ] {
        let r = c
            .post(srv.url("eksempel.localhost", "/sprak"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{what}");
        assert!(
            r.headers().get("set-cookie").is_none(),
            "{what}: the language did not change"
        );
        let h = Html::parse(&r.text().await.unwrap());
        assert_eq!(
            h.text("h1"),
            "Skjemaet ble ikke sendt",
            "{what}: translated (tenant default nb)"
        );
        assert!(h.text(".request-id").starts_with("Feilkode: "));
        // The user's input is kept, ready to send again with a fresh token.
        assert_eq!(
            h.attr("main form input[name=lang]", "value").as_deref(),
            Some("en")
        );
        assert_eq!(
            h.attr("main form input[name=tilbake]", "value").as_deref(),
            Some("/sok?q=bhg")
        );
        assert_eq!(h.attr("main form", "action").as_deref(), Some("/sprak"));
        assert_eq!(
            h.attr("main form input[name=csrf]", "value").as_deref(),
            Some(good.as_str())
        );
    }
    // A token from another session does not work either.
    let other = srv.client();
    let r = other
        .post(srv.url("eksempel.localhost", "/sprak"))
        .form(&[("csrf", good.as_str()), ("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // English page for an English browser without a session.
    let h = Html::parse(
        &srv.client()
            .post(srv.url("eksempel.localhost", "/sprak"))
            .header("accept-language", "en")
            .form(&[("lang", "en")])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(h.text("h1"), "The form was not sent");
}

#[tokio::test]
async fn healthz_and_metrics() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let r = c
        .get(srv.url("localhost", "/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["store"]["ok"], true);
    c.get(srv.url("eksempel.localhost", "/nope"))
        .send()
        .await
        .unwrap();
    let m = c
        .get(srv.url("127.0.0.1", "/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        m.contains("radhus_http_requests_total{class=\"system\",status=\"200\"}"),
        "{m}"
    );
    assert!(
        m.contains("radhus_http_requests_total{class=\"none\",status=\"404\"}"),
        "{m}"
    );
    assert!(m.contains("radhus_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
    assert!(m.contains("# TYPE radhus_http_requests_total counter"));
}
