//! Hardening: what one client can do to the others. Expensive work is cached and bounded, connections
//! and bodies have limits in size and time, budgets per client, a store that heals after a full disk,
//! and races that never duplicate or drop.

use crate::support::TestServer;

const HOST: &str = "eksempel.localhost";

#[tokio::test]
async fn a_blank_form_is_rendered_once_per_language_and_revalidated_by_its_tag() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let url = srv.url(HOST, "/skjema/kontaktskjema/blankett.pdf");
    let get = |lang: &'static str, tag: Option<String>| {
        let mut rq = c.get(&url).header("accept-language", lang);
        if let Some(t) = tag {
            rq = rq.header("if-none-match", t);
        }
        async move { rq.send().await.unwrap() }
    };
    let first = get("nb", None).await;
    assert_eq!(first.status(), 200);
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(tag.starts_with('"') && tag.len() > 10, "{tag}");
    assert_eq!(first.headers()["cache-control"], "public, no-cache");
    let bytes = first.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    // The same bytes again (printpdf's output differs from render to render: equal bytes mean cached).
    let again = get("nb", None).await;
    assert_eq!(again.headers()["etag"].to_str().unwrap(), tag);
    assert_eq!(again.bytes().await.unwrap(), bytes);
    let not_modified = get("nb", Some(tag.clone())).await;
    assert_eq!(not_modified.status(), 304);
    assert!(not_modified.bytes().await.unwrap().is_empty());
    // Another language is another document.
    let en = get("en", Some(tag.clone())).await;
    assert_eq!(en.status(), 200);
    assert_ne!(en.headers()["etag"].to_str().unwrap(), tag);
    let text = crate::support::pdf_text(&en.bytes().await.unwrap());
    assert!(text.contains("Your message"), "{text}");
}

/// Whether the server has closed `s` (EOF or a reset) within `within`.
async fn closed_within(s: &mut crate::support::TlsStream, within: std::time::Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 4096];
    let until = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(until, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn connections_are_limited_per_address_and_idle_ones_are_closed() {
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;
    let srv = TestServer::start_with(|c| {
        c.limits.max_connections_per_ip = 4;
        c.limits.idle_timeout = Duration::from_secs(1);
    })
    .await;
    let raw = srv.raw(HOST);
    let mut held = vec![];
    for _ in 0..4 {
        held.push(raw.connect().await);
    }
    // A fifth from the same address is closed before TLS completes.
    let tcp = tokio::net::TcpStream::connect(raw.addr).await.unwrap();
    let name = rustls_pki_types::ServerName::try_from(HOST).unwrap();
    let fifth = tokio_rustls::TlsConnector::from(raw.client_config(&[b"http/1.1"]))
        .connect(name, tcp)
        .await;
    assert!(fifth.is_err(), "the fifth connection was served");
    // The held ones work, and a keep-alive connection that then says nothing is closed after the idle
    // timeout.
    let mut s = held.pop().unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: eksempel.localhost\r\n\r\n")
        .await
        .unwrap();
    let page = crate::support::read_response(&mut s).await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        closed_within(&mut s, Duration::from_secs(4)).await,
        "idle, yet kept open"
    );
    for mut h in held.drain(..) {
        assert!(closed_within(&mut h, Duration::from_secs(4)).await);
    }
    // Their places are free again.
    let page = raw
        .exchange(b"GET / HTTP/1.1\r\nHost: eksempel.localhost\r\nConnection: close\r\n\r\n")
        .await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let metrics = srv.text(HOST, "/metrics").await;
    assert!(
        !metrics.contains("radhus_connections_refused_total 0\n")
            && !metrics.contains("radhus_connections_cut_total 0\n"),
        "{metrics}"
    );
}

#[tokio::test]
async fn an_upload_that_trickles_is_cut_off_at_the_body_deadline() {
    use reqwest::cookie::CookieStore;
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;
    let srv = TestServer::start_with(|c| {
        c.limits.body_deadline = Duration::from_secs(2);
        c.limits.body_timeout = Duration::from_secs(30);
    })
    .await;
    // A citizen at the upload step, whose browser then sends the body a few bytes at a time, each well
    // within the idle timeout between pieces.
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let w = crate::form_run::Walk {
        srv: &srv,
        client: crate::support::client_with_jar(srv.addr, &srv.cert_pem, jar.clone()),
        lang: "nb",
        host: HOST,
    };
    let page = at_upload_step(&w).await;
    let action = page.html.attr("main form[method=post]", "action").unwrap();
    let token = crate::support::csrf_of(&page.html);
    let cookies = jar
        .cookies(&srv.url(HOST, "/").parse().unwrap())
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let mut s = srv.raw(HOST).connect().await;
    let b = "trickle";
    let head = format!(
        "POST {action} HTTP/1.1\r\nHost: {HOST}\r\nCookie: {cookies}\r\nContent-Type: multipart/form-data; boundary={b}\r\nContent-Length: 10000000\r\n\r\n--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n--{b}\r\nContent-Disposition: form-data; name=\"bilder\"; filename=\"x.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(b"\xff\xd8\xff\xe0").await.unwrap();
    let started = std::time::Instant::now();
    let mut answered = String::new();
    while started.elapsed() < Duration::from_secs(10) {
        if s.write_all(&[0u8; 16]).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut buf = [0u8; 4096];
        if let Ok(Ok(n)) = tokio::time::timeout(
            Duration::from_millis(10),
            tokio::io::AsyncReadExt::read(&mut s, &mut buf),
        )
        .await
        {
            answered.push_str(&String::from_utf8_lossy(&buf[..n]));
            break;
        }
    }
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(1500) && took < Duration::from_secs(6),
        "cut off after {took:?}: {answered}"
    );
    assert!(answered.starts_with("HTTP/1.1 408"), "{answered}");
    // Nothing of it is left in the temporary folder.
    let tmp = srv.data_dir().join("files/tmp");
    assert!(tmp.read_dir().map_or(true, |mut d| d.next().is_none()));
}

/// An HTTP/2 client that asks for responses and never lets them through (a stream window of zero) is cut
/// off once nothing has been written for the stall timeout; what the server held for it is freed, and
/// other clients are served meanwhile.
#[tokio::test]
async fn an_http2_client_that_takes_no_data_is_cut_off() {
    use std::time::{Duration, Instant};
    let srv = TestServer::start_with(|c| c.limits.stall_timeout = Duration::from_secs(1)).await;
    let raw = srv.raw(HOST);
    let tls = raw.connect_with(raw.client_config(&[b"h2"])).await;
    let (mut client, conn) = h2::client::Builder::new()
        .initial_window_size(0)
        .handshake::<_, bytes::Bytes>(tls)
        .await
        .unwrap();
    let ended = tokio::spawn(conn);
    let mut waiting = vec![];
    for path in [
        "/",
        "/sok?q=barnehage",
        "/skjema/kontaktskjema/blankett.pdf",
    ]
    .iter()
    .cycle()
    .take(12)
    {
        let req = hyper::Request::get(format!("https://{HOST}{path}"))
            .body(())
            .unwrap();
        let (resp, _) = client.send_request(req, true).unwrap();
        waiting.push(resp);
    }
    let started = Instant::now();
    // The headers come; the bodies cannot.
    let first = waiting.remove(0).await.unwrap();
    assert_eq!(first.status(), 200);
    // Meanwhile another citizen is served as usual.
    let other = srv.client().get(srv.url(HOST, "/")).send().await.unwrap();
    assert_eq!(other.status(), 200);
    let closed = tokio::time::timeout(Duration::from_secs(8), ended).await;
    assert!(closed.is_ok(), "the connection was kept open");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(800), "closed after {took:?}");
    let metrics = srv.text(HOST, "/metrics").await;
    assert!(
        metrics.contains("radhus_connections_cut_total 1\n"),
        "{metrics}"
    );
}

fn small_budgets(c: &mut radhus::config::Config) {
    use radhus::budgets::Limit;
    c.budgets.drafts = Limit {
        per_ip: 3,
        per_tenant: 5,
        total: 100,
    };
    c.budgets.upload_files = Limit {
        per_ip: 2,
        per_tenant: 100,
        total: 100,
    };
    c.limits.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
}

/// A client that starts draft after draft, or uploads file after file, is stopped at its budget with
/// the translated 429 page; another client (here behind the trusted proxy, by `X-Forwarded-For`) is
/// not, until the tenant's own budget is spent.
#[tokio::test]
async fn budgets_per_address_and_per_tenant_stop_a_flood_of_drafts_and_uploads() {
    let srv = TestServer::start_with(small_budgets).await;
    let start = |from: &'static str| {
        let c = srv.client();
        let url = srv.url(HOST, "/skjema/kontaktskjema");
        let start = srv.url(HOST, "/skjema/kontaktskjema/start");
        async move {
            let (_, landing) = crate::support::get_html(&c, &url).await;
            c.post(start)
                .header("x-forwarded-for", from)
                .header("accept-language", "nb")
                .form(&[("csrf", crate::support::csrf_of(&landing))])
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..3 {
        assert_eq!(start("198.51.100.7").await.status(), 303);
    }
    let refused = start("198.51.100.7").await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    let page = crate::support::Html::parse(&refused.text().await.unwrap());
    assert_eq!(page.text("h1"), "Du har gjort dette for mange ganger");
    // Another address has its own budget, until the tenant's (5 an hour here) is spent.
    assert_eq!(start("203.0.113.9").await.status(), 303);
    assert_eq!(start("203.0.113.9").await.status(), 303);
    assert_eq!(start("203.0.113.10").await.status(), 429);
    // The other tenant's budget is its own (an address's is one across tenants).
    let c = srv.client();
    let (_, landing) =
        crate::support::get_html(&c, &srv.url("provestad.localhost", "/skjema/kontaktskjema"))
            .await;
    let r = c
        .post(srv.url("provestad.localhost", "/skjema/kontaktskjema/start"))
        .header("x-forwarded-for", "192.0.2.50")
        .form(&[("csrf", crate::support::csrf_of(&landing))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn an_upload_over_the_budget_is_refused_by_name_and_not_kept() {
    let srv = TestServer::start_with(small_budgets).await;
    let w = crate::form_run::Walk::new(&srv, "nb", HOST);
    let page = at_upload_step(&w).await;
    let action = page.html.attr("main form[method=post]", "action").unwrap();
    let jpeg = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("forms/examples/bilde-gatelys.jpg"),
    )
    .unwrap();
    let files: Vec<(String, String, Vec<u8>)> = (0..3)
        .map(|i| ("bilder".to_owned(), format!("bilde-{i}.jpg"), jpeg.clone()))
        .collect();
    let fields = vec![
        ("csrf".to_owned(), crate::support::csrf_of(&page.html)),
        ("handling".to_owned(), "last-opp".to_owned()),
    ];
    let after = w.post_multipart(&action, &fields, &files).await;
    assert_eq!(after.status, 422);
    assert_eq!(after.html.count(".file-list__item"), 2);
    let msg = after.html.text(".field__error");
    assert!(
        msg.contains("bilde-2.jpg") && msg.contains("den siste timen"),
        "{msg}"
    );
    // Now the budget is spent: the next upload is refused before it is read.
    let page = w.get(&action).await;
    let fields = vec![
        ("csrf".to_owned(), crate::support::csrf_of(&page.html)),
        ("handling".to_owned(), "last-opp".to_owned()),
    ];
    let refused = w.post_multipart(&action, &fields, &files[..1]).await;
    assert_eq!(refused.status, 429);
    let on_disk: usize = std::fs::read_dir(srv.data_dir().join("files/eksempel"))
        .unwrap()
        .count();
    assert_eq!(on_disk, 2);
}

/// A draft begun and left on its first step is gone after hours, not days; one the citizen has worked
/// on lives the full lifetime from its last change.
#[tokio::test]
async fn a_draft_left_on_its_first_step_expires_within_hours_and_others_from_their_last_change() {
    let srv = TestServer::start().await;
    let clock = srv.running().state().clock.clone();
    let server = &srv.running().state().config.server;
    let (short, full) = (
        server.first_step_lifetime.as_secs() as i64,
        server.draft_lifetime.as_secs() as i64,
    );
    assert_eq!(short, 6 * 3600);
    let answers = crate::form_run::example("kontaktskjema");
    let walker = || crate::form_run::Walk::new(&srv, "nb", HOST);
    let left = walker();
    assert!(left.start("kontaktskjema").await.url.ends_with("/steg/1"));
    let worked = walker();
    let first = worked.start("kontaktskjema").await;
    let second = crate::form_run::fill_step(&worked, first, &answers).await;
    assert!(second.url.ends_with("/steg/2"), "{}", second.url);
    clock.advance(short + 60);
    let again = left.get("/skjema/kontaktskjema/steg/1").await;
    assert!(
        again.url.ends_with("/skjema/kontaktskjema"),
        "gone: {}",
        again.url
    );
    let kept = worked.get("/skjema/kontaktskjema/steg/2").await;
    assert!(kept.url.ends_with("/steg/2"), "kept: {}", kept.url);
    // Saving again, days later, starts its lifetime again.
    clock.advance(full - short - 3600);
    let saved = crate::form_run::fill_step(&worked, kept, &answers).await;
    assert_eq!(saved.status, 200);
    clock.advance(full - 3600);
    let still = worked.get("/skjema/kontaktskjema/steg/2").await;
    assert!(
        still.url.ends_with("/steg/2"),
        "from its last change: {}",
        still.url
    );
}

/// The step of `feil-vei-gatelys` with the photo upload, its other steps filled in.
async fn at_upload_step(w: &crate::form_run::Walk<'_>) -> crate::form_run::Page {
    let mut answers = crate::form_run::example("feil-vei-gatelys");
    answers.remove("bilder");
    let mut page = w.start("feil-vei-gatelys").await;
    while page.html.count("input[type=file]") == 0 {
        page = crate::form_run::fill_step(w, page, &answers).await;
    }
    page
}

/// A client from another address (127.0.0.2), for the abuse tests.
fn abuser(srv: &TestServer) -> reqwest::Client {
    abuser_at(srv.addr, &srv.cert_pem)
}

fn abuser_at(addr: std::net::SocketAddr, cert_pem: &[u8]) -> reqwest::Client {
    client_as(
        addr,
        cert_pem,
        Some(std::net::IpAddr::from([127, 0, 0, 2])),
        None,
    )
}

/// A browser with its own cookies: from `local` when given, and behind the trusted proxy as
/// `forwarded_for` when given.
fn client_as(
    addr: std::net::SocketAddr,
    cert_pem: &[u8],
    local: Option<std::net::IpAddr>,
    forwarded_for: Option<&str>,
) -> reqwest::Client {
    let cert = reqwest::Certificate::from_pem(cert_pem).unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(f) = forwarded_for {
        headers.insert("x-forwarded-for", f.parse().unwrap());
    }
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(cert)
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .default_headers(headers)
        .local_address(local);
    for host in radhus::demo::HOSTS {
        b = b.resolve(host, addr);
    }
    b.build().unwrap()
}

/// While one client floods (new drafts, blank PDFs in every language, zero-window HTTP/2 connections),
/// the other citizens' pages stay fast and every one of their submissions gets its receipt. The bound
/// here is loose (a debug build on two shared cores); `scripts/bench-abuse` measures the release build.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_citizens_are_served_while_one_client_floods() {
    use std::time::{Duration, Instant};
    let srv = TestServer::start_with(|c| {
        c.limits.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        c.limits.stall_timeout = Duration::from_secs(2);
    })
    .await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let refused = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut flood = tokio::task::JoinSet::new();
    // New drafts, as fast as they are answered.
    for _ in 0..2 {
        let (stop, refused) = (stop.clone(), refused.clone());
        let fresh = {
            let (addr, cert) = (srv.addr, srv.cert_pem.clone());
            move || abuser_at(addr, &cert)
        };
        let landing = srv.url(HOST, "/skjema/kontaktskjema");
        let start = srv.url(HOST, "/skjema/kontaktskjema/start");
        flood.spawn(async move {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // A new session each time (a session has one draft of a form).
                let c = fresh();
                let token = {
                    let (_, page) = crate::support::get_html(&c, &landing).await;
                    crate::support::csrf_of(&page)
                };
                let r = c
                    .post(&start)
                    .form(&[("csrf", token)])
                    .send()
                    .await
                    .unwrap();
                if r.status() == 429 {
                    refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
        });
    }
    // Blank PDFs of every form in every language.
    let forms: Vec<String> = srv
        .running()
        .state()
        .registry
        .all()
        .iter()
        .map(|f| f.id.to_string())
        .collect();
    for i in 0..4 {
        let (c, stop) = (abuser(&srv), stop.clone());
        let urls: Vec<String> = forms
            .iter()
            .map(|f| srv.url(HOST, &format!("/skjema/{f}/blankett.pdf")))
            .collect();
        flood.spawn(async move {
            let langs = ["nb", "nn", "en"];
            let mut n = i;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let r = c
                    .get(&urls[n % urls.len()])
                    .header("accept-language", langs[n % 3])
                    .send()
                    .await
                    .unwrap();
                assert!(r.status() == 200 || r.status() == 429, "{}", r.status());
                let _ = r.bytes().await;
                n += 7;
            }
        });
    }
    // HTTP/2 connections that take no data, opened again as they are cut.
    for _ in 0..2 {
        let (raw, stop) = (srv.raw(HOST), stop.clone());
        flood.spawn(async move {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let sock = tokio::net::TcpSocket::new_v4().unwrap();
                sock.bind("127.0.0.2:0".parse().unwrap()).unwrap();
                let tcp = sock.connect(raw.addr).await.unwrap();
                let name = rustls_pki_types::ServerName::try_from(HOST).unwrap();
                let Ok(tls) = tokio_rustls::TlsConnector::from(raw.client_config(&[b"h2"]))
                    .connect(name, tcp)
                    .await
                else {
                    continue;
                };
                let Ok((mut client, conn)) = h2::client::Builder::new()
                    .initial_window_size(0)
                    .handshake::<_, bytes::Bytes>(tls)
                    .await
                else {
                    continue;
                };
                let ended = tokio::spawn(conn);
                for _ in 0..16 {
                    let req =
                        hyper::Request::get(format!("https://{HOST}/skjema/barnehage-soknad"))
                            .body(())
                            .unwrap();
                    if client.send_request(req, true).is_err() {
                        break;
                    }
                }
                let _ = tokio::time::timeout(Duration::from_secs(10), ended).await;
            }
        });
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Meanwhile: citizens (each its own address behind the trusted proxy) read pages and send forms.
    let answers = crate::form_run::example("kontaktskjema");
    let mut citizens = tokio::task::JoinSet::new();
    for i in 0..6u8 {
        let srv_url = |p: &str| srv.url(HOST, p);
        let (home, search) = (srv_url("/"), srv_url("/sok?q=barnehage"));
        let c = client_as(
            srv.addr,
            &srv.cert_pem,
            None,
            Some(&format!("198.51.100.{i}")),
        );
        citizens.spawn(async move {
            let mut times = vec![];
            for _ in 0..10 {
                for u in [&home, &search] {
                    let t = Instant::now();
                    let r = c.get(u).send().await.unwrap();
                    assert_eq!(r.status(), 200);
                    let _ = r.bytes().await.unwrap();
                    times.push(t.elapsed());
                }
            }
            (c, times)
        });
    }
    let mut times = vec![];
    let mut clients = vec![];
    for (c, t) in citizens.join_all().await {
        times.extend(t);
        clients.push(c);
    }
    // And every citizen sends a form.
    for c in clients {
        let w = crate::form_run::Walk {
            srv: &srv,
            client: c,
            lang: "nb",
            host: HOST,
        };
        let reference = crate::form_run::walk(&w, "kontaktskjema", &answers).await;
        assert!(!reference.is_empty());
    }
    // The flood keeps going until its budget stops it.
    let until = Instant::now() + Duration::from_secs(60);
    while refused.load(std::sync::atomic::Ordering::Relaxed) == 0 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    flood.abort_all();
    times.sort();
    let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];
    let p50 = times[times.len() / 2];
    eprintln!(
        "pages while flooded: p50 {p50:?}, p99 {p99:?} ({} requests)",
        times.len()
    );
    assert!(p99 < Duration::from_millis(1500), "p99 {p99:?}");
    assert!(
        refused.load(std::sync::atomic::Ordering::Relaxed) > 0,
        "the draft flood was never stopped by its budget"
    );
    let metrics = srv.text(HOST, "/metrics").await;
    assert!(
        metrics.contains("radhus_http_requests_total{class=\"public\",status=\"429\"}")
            && !metrics.contains("status=\"429\"} 0\n"),
        "{metrics}"
    );
}

/// GET `url` (in bokmål): the body's bytes.
async fn fetch_bytes(client: &reqwest::Client, url: &str) -> Vec<u8> {
    client
        .get(url)
        .header("accept-language", "nb")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

/// Sends the contact form with `answers` (in bokmål) and fetches its receipt PDF: the reference and the
/// PDF's bytes.
async fn sent_contact_pdf(
    srv: &TestServer,
    answers: &std::collections::BTreeMap<String, radhus::forms::answers::Answer>,
) -> (String, Vec<u8>) {
    use crate::form_run::{Walk, walk};
    let w = Walk::new(srv, "nb", HOST);
    let reference = walk(&w, "kontaktskjema", answers).await;
    let url = srv.url(
        HOST,
        &format!("/skjema/kontaktskjema/kvittering/{reference}/pdf"),
    );
    let bytes = fetch_bytes(&w.client, &url).await;
    (reference, bytes)
}

/// A PDF's text with its white space folded to single spaces.
fn folded_text(pdf: &[u8]) -> String {
    crate::support::pdf_text(pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The PDF's document title (`pdfinfo`).
fn pdf_title(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdfinfo")
        .arg(&file)
        .output()
        .expect("pdfinfo (poppler-utils) is installed by scripts/install-test-peers");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Title:"))
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The paper form and the submission's PDF have titles of their own; the paper form ends with a
/// signature line and where to send it (the tenant's postal address, else its contact address).
#[tokio::test]
async fn the_paper_form_is_signed_and_addressed_and_each_pdf_has_its_own_title() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let blank = fetch_bytes(&c, &srv.url(HOST, "/skjema/kontaktskjema/blankett.pdf")).await;
    assert_eq!(
        pdf_title(&blank),
        "Send oss en melding – skjema til utfylling på papir"
    );
    let text = folded_text(&blank);
    for want in [
        "Sted og dato",
        "Underskrift",
        "Send skjemaet til Eksempel kommune, Postboks 1, 9999 Eksempelby.",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    // Prøvestad has no postal address configured: hand it in, or send it to the contact address.
    let url = srv.url("provestad.localhost", "/skjema/kontaktskjema/blankett.pdf");
    let text = folded_text(&fetch_bytes(&c, &url).await);
    assert!(
        text.contains("Lever skjemaet til Prøvestad kommune eller send det som vedlegg til post@provestad.example"),
        "{text}"
    );
    // The submission's PDF: what was sent, under which reference.
    let (reference, pdf) = sent_contact_pdf(&srv, &crate::form_run::example("kontaktskjema")).await;
    assert_eq!(
        pdf_title(&pdf),
        format!("Send oss en melding – sendt inn, referanse {reference}")
    );
}

/// A submission in scripts the embedded font lacks or must shape: the receipt PDF draws Chinese and
/// Ethiopic with fallback fonts from the font folders, Arabic and Hebrew ordered and shaped, names what
/// no font has, and reads back in logical order.
#[tokio::test]
async fn names_in_every_script_reach_the_pdf_and_read_back() {
    use radhus::forms::answers::Answer;
    let srv = TestServer::start().await;
    let message = "محمد علي og שלום כהן skriver: 王小明 og አበበ በቀለ hilser. Áŋŋá Čuđe. 😀 \u{E000}";
    let mut answers = crate::form_run::example("kontaktskjema");
    answers.insert("melding".into(), Answer::One(message.into()));
    let (_, pdf) = sent_contact_pdf(&srv, &answers).await;
    let text = folded_text(&pdf);
    for part in [
        "محمد علي",
        "שלום כהן",
        "王小明",
        "አበበ በቀለ",
        "Áŋŋá Čuđe",
        // An emoji DejaVu draws; a private-use character no font has, named.
        "😀",
        "[U+E000]",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(!text.contains('\u{FFFD}'), "{text}");
    // The time it was sent, in Norwegian time with its offset.
    assert!(
        text.contains("(UTC+01:00)") || text.contains("(UTC+02:00)"),
        "{text}"
    );
    // And it renders: pdftoppm draws the page, with ink on it.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("receipt.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "40", "-f", "1", "-l", "1"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(status.success());
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("a page image");
    assert!(
        std::fs::metadata(png).unwrap().len() > 2_000,
        "a page with text on it"
    );
}

/// The receipt PDF and the paper form pass `pdfua check` (the 16 machine-checkable PDF/UA-1 rules the
/// tool implements; installed by scripts/install-test-peers), and say PDF/A-2u and PDF/UA-1 in their XMP.
#[tokio::test]
async fn the_pdfs_pass_the_pdf_ua_checker() {
    let srv = TestServer::start().await;
    let (_, receipt) = sent_contact_pdf(&srv, &crate::form_run::example("kontaktskjema")).await;
    let blank = fetch_bytes(
        &srv.client(),
        &srv.url(HOST, "/skjema/kontaktskjema/blankett.pdf"),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [("receipt", receipt), ("blank", blank)] {
        let file = dir.path().join(format!("{name}.pdf"));
        std::fs::write(&file, &bytes).unwrap();
        let out = std::process::Command::new("pdfua")
            .arg("check")
            .arg(&file)
            .output()
            .expect("pdfua is installed by scripts/install-test-peers");
        let said = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{name}: {said}");
        assert!(said.contains("errors=0 warnings=0"), "{name}: {said}");
        let meta = std::process::Command::new("pdfinfo")
            .arg("-meta")
            .arg(&file)
            .output()
            .unwrap();
        let meta = String::from_utf8_lossy(&meta.stdout);
        assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{name}");
        assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{name}");
    }
}
