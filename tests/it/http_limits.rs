//! Limits and bad input: the right 4xx with a translated page, never a 5xx, nothing stored.

use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::support::{Html, TestServer, csrf_of, get_html, read_response};

fn status_of(resp: &str) -> u16 {
    resp.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn body_size_limit_gives_413_before_and_while_reading() {
    let srv = TestServer::start_with(|c| c.limits.max_form_bytes = 4096).await;
    let c = srv.client();
    let (_, home) = get_html(&c, &srv.url("eksempel.localhost", "/")).await;
    let token = csrf_of(&home);
    let big = "x".repeat(10_000);
    let r = c
        .post(srv.url("eksempel.localhost", "/sprak"))
        .form(&[
            ("csrf", token.as_str()),
            ("lang", "nb"),
            ("pad", big.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let h = Html::parse(&r.text().await.unwrap());
    assert_eq!(h.text("h1"), "Innholdet er for stort");
    assert!(h.text("main p.lead").contains("4 kB"));
    // Declared small, sent big (chunked): stopped at the limit.
    let raw = srv.raw("eksempel.localhost");
    let mut s = raw.connect().await;
    let head = "POST /sprak HTTP/1.1\r\nHost: eksempel.localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n";
    s.write_all(head.as_bytes()).await.unwrap();
    for _ in 0..3 {
        let chunk = "a".repeat(2000);
        let _ = s
            .write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes())
            .await;
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    assert_eq!(status_of(&read_response(&mut s).await), 413);
    assert_eq!(
        srv.running().state().store.sessions().unwrap().len(),
        0,
        "nothing stored"
    );
}

#[tokio::test]
async fn header_size_limit_gives_431() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let r = c
        .get(srv.url("eksempel.localhost", "/"))
        .header("x-padding", "y".repeat(20_000))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 431);
    let h = Html::parse(&r.text().await.unwrap());
    assert_eq!(
        h.text("h1"),
        "Forespørselen har for mye tilleggsinformasjon"
    );
    // Far beyond: hyper's own cap closes the connection or answers 431, never a 5xx.
    let raw = srv.raw("eksempel.localhost");
    let resp = raw
        .exchange(
            format!(
                "GET / HTTP/1.1\r\nHost: eksempel.localhost\r\nX-A: {}\r\n\r\n",
                "z".repeat(300_000)
            )
            .as_bytes(),
        )
        .await;
    let status = status_of(&resp);
    assert!(status == 0 || status == 431, "{status}");
}

#[tokio::test]
async fn slow_body_gives_408() {
    let srv = TestServer::start_with(|c| c.limits.body_timeout = Duration::from_millis(500)).await;
    let raw = srv.raw("eksempel.localhost");
    let mut s = raw.connect().await;
    let head = "POST /sprak HTTP/1.1\r\nHost: eksempel.localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nlang=";
    s.write_all(head.as_bytes()).await.unwrap();
    let resp = read_response(&mut s).await;
    assert_eq!(status_of(&resp), 408, "{resp}");
    assert!(resp.contains("Det tok for lang tid"));
}

#[tokio::test]
async fn bad_form_bodies_get_4xx() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let (_, home) = get_html(&c, &srv.url("eksempel.localhost", "/")).await;
    let token = csrf_of(&home);
    let url = srv.url("eksempel.localhost", "/sprak");
    let r = c
        .post(&url)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    for body in [
        format!("csrf={token}&lang=%ZZ"),
        format!("csrf={token}&lang=%C3"),
        format!("csrf={token}&lang=%FF%FE"),
    ] {
        let r = c
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{body}");
    }
    let r = c.put(&url).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "POST");
    let r = c
        .post(srv.url("eksempel.localhost", "/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "GET, HEAD");
    // Invalid UTF-8 and odd encodings in the path and query are 4xx or plain pages, never 5xx.
    let raw = srv.raw("eksempel.localhost");
    for path in [
        "/skjema/%FF",
        "/sok?q=%E2%28%A1",
        "/skjema/..%2F..%2Fetc%2Fpasswd",
        "/%00",
        "/skjema/ABC",
    ] {
        let resp = raw
            .exchange(
                format!(
                    "GET {path} HTTP/1.1\r\nHost: eksempel.localhost\r\nConnection: close\r\n\r\n"
                )
                .as_bytes(),
            )
            .await;
        let st = status_of(&resp);
        assert!((200..500).contains(&st), "{path}: {st}");
    }
    assert_eq!(
        srv.running().state().store.sessions().unwrap().len(),
        0,
        "nothing stored"
    );
}
