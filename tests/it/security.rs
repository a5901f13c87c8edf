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
        // With a fresh token for this session: sending it again works.
        let fresh = h.attr("main form input[name=csrf]", "value").unwrap();
        assert_ne!(fresh, good, "masked afresh");
        let again = c
            .post(srv.url("eksempel.localhost", "/sprak"))
            .form(&[("csrf", fresh.as_str()), ("lang", "nb")])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 303, "{what}: the kept form goes through");
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

/// The session id in a jar, as the browser holds it.
fn sid_in(jar: &reqwest::cookie::Jar, url: &str) -> String {
    use reqwest::cookie::CookieStore;
    let all = jar.cookies(&url.parse().unwrap()).unwrap();
    all.to_str()
        .unwrap()
        .split("; ")
        .find_map(|c| c.strip_prefix("__Host-sid="))
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_session_id_the_client_chose_is_never_adopted() {
    let srv = TestServer::start().await;
    let chosen = radhus::ids::SessionId::generate().unwrap();
    let signed_elsewhere = format!("{}.{}", chosen.as_str(), "A".repeat(22));
    for cookie in [chosen.as_str().to_owned(), signed_elsewhere] {
        let c = srv.client();
        let r = c
            .get(srv.url("eksempel.localhost", "/skjema/kontaktskjema"))
            .header("cookie", format!("__Host-sid={cookie}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(set.starts_with("__Host-sid="), "{set}");
        assert!(
            !set.contains(chosen.as_str()),
            "{cookie}: a new id is issued instead"
        );
        let page = Html::parse(&r.text().await.unwrap());
        // A token from that page does not work with the chosen id either.
        let r = c
            .post(srv.url("eksempel.localhost", "/skjema/kontaktskjema/start"))
            .header("cookie", format!("__Host-sid={cookie}"))
            .form(&[("csrf", csrf_of(&page))])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
    }
    let store = &srv.running().state().store;
    assert!(store.session(&chosen).unwrap().is_none());
}

#[tokio::test]
async fn a_post_without_the_session_cookie_never_replaces_it() {
    // A cross-site POST arrives without the SameSite=Lax cookie: its refusal must not set one, or the
    // browser would drop the citizen's session (drafts and receipts) for the new one.
    let srv = TestServer::start().await;
    for (path, ctype, body) in [
        (
            "/sprak",
            "application/x-www-form-urlencoded",
            "lang=en&csrf=x".to_owned(),
        ),
        (
            "/skjema/kontaktskjema/start",
            "application/x-www-form-urlencoded",
            String::new(),
        ),
        (
            "/skjema/kontaktskjema/steg/1",
            "multipart/form-data; boundary=b",
            "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nx\r\n--b--\r\n".to_owned(),
        ),
        (
            "/skjema/kontaktskjema/send",
            "application/x-www-form-urlencoded",
            "csrf=x".to_owned(),
        ),
    ] {
        let r = srv
            .client()
            .post(srv.url("eksempel.localhost", path))
            .header("content-type", ctype)
            .header("origin", "https://evil.example")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_client_error() || r.status() == 303,
            "{path}: {}",
            r.status()
        );
        assert!(
            r.headers().get("set-cookie").is_none(),
            "{path}: no cookie on a POST's answer"
        );
    }
}

#[tokio::test]
async fn csrf_tokens_differ_on_every_page_and_all_of_them_work() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let url = srv.url("eksempel.localhost", "/sok?q=barnehage");
    let (_, a) = get_html(&c, &url).await;
    let (_, b) = get_html(&c, &url).await;
    let (ta, tb) = (csrf_of(&a), csrf_of(&b));
    assert_ne!(ta, tb, "a fresh mask per response");
    for t in [ta, tb] {
        let r = c
            .post(srv.url("eksempel.localhost", "/sprak"))
            .form(&[("csrf", t.as_str()), ("lang", "en")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "both tokens are the session's");
    }
}

#[tokio::test]
async fn the_session_id_changes_when_the_receipt_is_shown_and_two_tabs_both_get_theirs() {
    use crate::form_run::{HOST, Walk, example, fill};
    let srv = TestServer::start().await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let w = Walk {
        srv: &srv,
        client: crate::support::client_with_jar(srv.addr, &srv.cert_pem, jar.clone()),
        lang: "nb",
        host: HOST,
    };
    let base = srv.url(HOST, "/");
    // Two forms at check-answers in one browser (two tabs), sent at once.
    let a = fill(&w, "kontaktskjema", &example("kontaktskjema")).await;
    let b = fill(&w, "feil-vei-gatelys", &example("feil-vei-gatelys")).await;
    let before = sid_in(&jar, &base);
    let send = |form: &str, page: &crate::form_run::Page| {
        let c = w.client.clone();
        let url = srv.url(HOST, &format!("/skjema/{form}/send"));
        let token = csrf_of(&page.html);
        async move {
            let r = c.post(url).form(&[("csrf", token)]).send().await.unwrap();
            assert_eq!(r.status(), 303);
            assert!(r.headers().get("set-cookie").is_none());
            r.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    let (la, lb) = tokio::join!(send("kontaktskjema", &a), send("feil-vei-gatelys", &b));
    // Both receipts are asked for with the old cookie at once; both are shown.
    let old = srv.client();
    let get = |to: String| {
        let c = old.clone();
        let url = srv.url(HOST, &to);
        let cookie = format!("__Host-sid={before}");
        async move { c.get(url).header("cookie", cookie).send().await.unwrap() }
    };
    let (ra, rb) = tokio::join!(get(la.clone()), get(lb.clone()));
    assert_eq!((ra.status().as_u16(), rb.status().as_u16()), (200, 200));
    let moved: Vec<String> = [&ra, &rb]
        .iter()
        .filter_map(|r| r.headers().get("set-cookie"))
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(moved.len(), 1, "the id moved once: {moved:?}");
    let new = moved[0]
        .strip_prefix("__Host-sid=")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(new, before);
    // The new id sees both receipts.
    for l in [&la, &lb] {
        let r = srv
            .client()
            .get(srv.url(HOST, l))
            .header("cookie", format!("__Host-sid={new}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{l}");
    }
    // The old id sees them only for a short grace, and never a draft: after it, nothing.
    srv.running()
        .state()
        .clock
        .advance(radhus::store::sessions::MOVED_GRACE_SECS + 1);
    assert_eq!(get(la.clone()).await.status(), 404);
    let store = &srv.running().state().store;
    let old_sid = radhus::ids::SessionId::parse(before.split('.').next().unwrap()).unwrap();
    let left = store.session(&old_sid).unwrap().unwrap();
    assert!(left.drafts.is_empty() && left.moved_at.is_some());
}

#[tokio::test]
async fn a_host_named_twice_or_two_ways_is_refused() {
    let srv = TestServer::start().await;
    let raw = srv.raw("eksempel.localhost");
    for (what, req) in [
        (
            "two Host headers",
            "GET / HTTP/1.1\r\nHost: eksempel.localhost\r\nHost: provestad.localhost\r\nConnection: close\r\n\r\n",
        ),
        (
            "the same Host twice",
            "GET / HTTP/1.1\r\nHost: eksempel.localhost\r\nHost: eksempel.localhost\r\nConnection: close\r\n\r\n",
        ),
        (
            "an absolute URI for another host",
            "GET https://provestad.localhost/ HTTP/1.1\r\nHost: eksempel.localhost\r\nConnection: close\r\n\r\n",
        ),
    ] {
        let resp = raw.exchange(req.as_bytes()).await;
        assert!(resp.starts_with("HTTP/1.1 400"), "{what}: {resp}");
    }
    let ok = raw
        .exchange(b"GET https://eksempel.localhost/ HTTP/1.1\r\nHost: eksempel.localhost:443\r\nConnection: close\r\n\r\n")
        .await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
}

#[tokio::test]
async fn control_characters_are_refused_and_direction_controls_cannot_disguise_a_text() {
    use crate::form_run::{HOST, Walk, example, fill, fill_step};
    use radhus::forms::answers::Answer;
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "nb", HOST);
    // A control character in a one-line answer: the step says which answer, and stays.
    for bad in ["12\u{7}3", "12\u{0}3", "12\u{1b}[31m3", "12\n3"] {
        let mut answers = example("kontaktskjema");
        answers.insert("saksnummer".into(), Answer::One(bad.into()));
        let page = w.start("kontaktskjema").await;
        let page = fill_step(&w, page, &answers).await;
        assert!(page.url.ends_with("/steg/1"), "{bad:?}: {}", page.url);
        let errors = page.html.texts(".error-summary li");
        assert!(
            errors.iter().any(|e| e.contains("kontrolltegn")),
            "{bad:?}: {errors:?}"
        );
    }
    // Direction controls: gone from one-line answers, shown as [U+202E] in free text.
    let mut answers = example("kontaktskjema");
    answers.insert("saksnummer".into(), Answer::One("\u{202e}4202/321".into()));
    answers.insert(
        "melding".into(),
        Answer::One("Fra:\u{202e}alO\u{2066}\r\nHilsen".into()),
    );
    let page = fill(&w, "kontaktskjema", &answers).await;
    let text = page.html.text("main");
    assert!(text.contains("4202/321"), "{text}");
    assert!(text.contains("Fra:[U+202E]alO[U+2066]"), "{text}");
    assert!(!text.contains('\u{202e}') && !text.contains('\u{2066}'));
}
