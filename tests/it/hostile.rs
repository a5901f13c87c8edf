//! Hostile HTTP: walk THE route table and, for every route, send wrong methods, missing and forged CSRF
//! tokens, oversized bodies and headers, invalid UTF-8 and percent-encoding, path traversal, unknown and
//! foreign ids, and bad cookies. Nothing may answer 5xx, nothing may panic, and the store must not change.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use radhus::http::router::RouteClass;
use radhus::web::routes::ROUTES;

use crate::support::{TestServer, csrf_of, get_html};

fn status_of(resp: &str) -> u16 {
    resp.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Concrete paths for a route pattern: a valid one and hostile variants of each parameter.
fn paths(pattern: &str) -> Vec<String> {
    let fill = |form: &str, n: &str, reference: &str, file: &str| {
        pattern
            .replace("{form}", form)
            .replace("{n}", n)
            .replace("{reference}", reference)
            .replace("{file}", file)
    };
    let mut v = vec![fill("kontaktskjema", "1", "2026-00001", "theme.css")];
    for bad in [
        "finnes-ikke",
        "kulturmidler",
        "..%2F..%2Fetc%2Fpasswd",
        "%FF%FE",
        "%E2%28%A1",
        "a%00b",
        "%",
        "%zz",
        &"x".repeat(3000),
    ] {
        v.push(fill(bad, bad, bad, bad));
    }
    v.push(fill(
        "kontaktskjema",
        "999999999999999999999",
        "../../radhus.redb",
        "../Cargo.toml",
    ));
    v.push(fill(
        "kontaktskjema",
        "-1",
        "2026-00001%2F..",
        "%2e%2e%2fCargo.toml",
    ));
    v
}

#[tokio::test]
async fn every_route_survives_hostile_requests_without_5xx_panics_or_store_changes() {
    let panics = Arc::new(AtomicUsize::new(0));
    {
        let panics = panics.clone();
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            panics.fetch_add(1, Ordering::SeqCst);
            default(info);
        }));
    }
    let srv = TestServer::start().await;
    // A legitimate visitor with a session and a draft, so form routes have something to refuse.
    let c = srv.client();
    let (_, landing) = get_html(&c, &srv.url("eksempel.localhost", "/skjema/kontaktskjema")).await;
    let token = csrf_of(&landing);
    c.post(srv.url("eksempel.localhost", "/skjema/kontaktskjema/start"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    let store = &srv.running().state().store;
    tokio::time::sleep(std::time::Duration::from_millis(700)).await; // let progress writes flush
    let before = store.system().digest().unwrap();

    let raw = srv.raw("eksempel.localhost");
    let forged = format!("{}A", &token[1..]);
    let mut sent = 0;
    let mut worst = 0;
    let mut check = |what: String, resp: String| {
        let st = status_of(&resp);
        sent += 1;
        worst = worst.max(st);
        assert!(
            st == 0 || (200..500).contains(&st),
            "{what}: {st}\n{}",
            &resp[..resp.len().min(400)]
        );
    };
    for route in ROUTES {
        for path in paths(route.pattern) {
            // Wrong methods.
            for m in [
                "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW",
            ] {
                let req = format!(
                    "{m} {path} HTTP/1.1\r\nHost: eksempel.localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                check(format!("{m} {path}"), raw.exchange(req.as_bytes()).await);
            }
            if route.class == RouteClass::System {
                continue;
            }
            // POST bodies: no token, a forged token, broken encodings, too big, wrong type.
            let big = "a=".to_owned() + &"b".repeat(300_000);
            for (what, ctype, body) in [
                (
                    "no token",
                    "application/x-www-form-urlencoded",
                    "lang=nb&handling=neste".to_owned(),
                ),
                (
                    "forged token",
                    "application/x-www-form-urlencoded",
                    format!("csrf={forged}&lang=nb"),
                ),
                (
                    "bad percent",
                    "application/x-www-form-urlencoded",
                    format!("csrf={token}&x=%G1%"),
                ),
                (
                    "bad utf-8",
                    "application/x-www-form-urlencoded",
                    format!("csrf={token}&x=%C3%28"),
                ),
                (
                    "oversized",
                    "application/x-www-form-urlencoded",
                    big.clone(),
                ),
                ("json", "application/json", "{\"csrf\":1}".to_owned()),
                (
                    "multipart",
                    "multipart/form-data; boundary=x",
                    "--x\r\n\r\n--x--".to_owned(),
                ),
            ] {
                let req = format!(
                    "POST {path} HTTP/1.1\r\nHost: eksempel.localhost\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCookie: __Host-sid=not-a-session\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                check(
                    format!("POST {path} ({what})"),
                    raw.exchange(req.as_bytes()).await,
                );
            }
            // Bad cookies and oversized headers on GET.
            for (what, cookie) in [
                ("garbage", "__Host-sid=%%%%; __Host-lang=\u{7f}".to_owned()),
                ("huge", format!("__Host-sid={}", "A".repeat(20_000))),
                (
                    "many",
                    (0..500)
                        .map(|i| format!("c{i}=v"))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                ("foreign session", format!("__Host-sid={}", "B".repeat(43))),
            ] {
                let req = format!(
                    "GET {path} HTTP/1.1\r\nHost: eksempel.localhost\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
                );
                check(
                    format!("GET {path} (cookie {what})"),
                    raw.exchange(req.as_bytes()).await,
                );
            }
            // Foreign and odd hosts.
            for host in [
                "provestad.localhost",
                "unknown.example",
                "eksempel.localhost:99999",
                "",
                "[::1]",
            ] {
                let req =
                    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
                check(
                    format!("GET {path} (host {host:?})"),
                    raw.exchange(req.as_bytes()).await,
                );
            }
        }
    }
    // Malformed request lines.
    for line in [
        "GET",
        "GET / HTTP/9.9",
        "\u{0}\u{1}\u{2}",
        "GET /\u{7f} HTTP/1.1",
        "GET http://evil.example/ HTTP/1.1",
    ] {
        let req = format!("{line}\r\nHost: eksempel.localhost\r\nConnection: close\r\n\r\n");
        check(format!("{line:?}"), raw.exchange(req.as_bytes()).await);
    }
    assert!(sent > 1000, "{sent} hostile requests");
    assert_eq!(panics.load(Ordering::SeqCst), 0, "no panic in the server");
    assert_eq!(
        store.system().digest().unwrap(),
        before,
        "refused requests changed nothing in the store"
    );
    assert!(worst < 500);
    let h = c
        .get(srv.url("localhost", "/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(h.status(), 200, "still healthy");
}
