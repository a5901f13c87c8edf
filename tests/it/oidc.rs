//! Logging in through OpenID Connect against a real provider (panva's oidc-provider on Node, started by
//! the test: tests/peers/oidc_provider.mjs) with ID-porten's levels: each level, an `acr` below the one
//! asked for, a changed nonce or state, a replayed code, an expired token, a rotated key and a key
//! changed behind its id, an unknown provider and one that is down, the step-up back to the form with
//! nothing lost, Mine saker for the identity, and the provider's logout.

use std::sync::Arc;
use std::time::Duration;

use crate::form_run::{HOST, Walk};
use crate::support::{Html, TestServer, client_with_jar, csrf_of, free_port};

/// The provider as a child process; a restart makes a new signing key (under `kid`).
pub struct Peer {
    child: Option<tokio::process::Child>,
    port: u16,
    redirect: String,
    logout: String,
}

impl Peer {
    pub async fn start(port: u16, server_port: u16, kid: &str) -> Peer {
        let mut p = Peer {
            child: None,
            port,
            redirect: format!(
                "https://{HOST}:{server_port}/logg-inn/oidc/idporten/tilbake https://provestad.localhost:{server_port}/logg-inn/oidc/idporten/tilbake"
            ),
            logout: format!("https://{HOST}:{server_port}/logg-inn?utlogget=1"),
        };
        p.restart(kid).await;
        p
    }

    async fn restart(&mut self, kid: &str) {
        use tokio::io::AsyncBufReadExt;
        if let Some(mut c) = self.child.take() {
            let _ = c.kill().await;
            let _ = c.wait().await;
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut child = tokio::process::Command::new("node")
            .arg(root.join("tests/peers/oidc_provider.mjs"))
            .current_dir(root)
            .env("PORT", self.port.to_string())
            .env("REDIRECT", &self.redirect)
            .env("LOGOUT", &self.logout)
            .env("KID", kid)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node with oidc-provider (npm ci; scripts/install-test-peers does this)");
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .unwrap()
            .unwrap()
            .expect("the OpenID provider exited");
        assert!(line.starts_with("listening "), "{line}");
        // Keep reading: a provider whose stdout is closed dies of EPIPE at its next line.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        self.child = Some(child);
    }

    async fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill().await;
            let _ = c.wait().await;
        }
    }
}

pub fn provider_config(port: u16) -> radhus::config::OidcConfig {
    use radhus::forms::LoginLevel;
    radhus::config::OidcConfig {
        name: "idporten".into(),
        title: "ID-porten".into(),
        issuer: format!("http://127.0.0.1:{port}"),
        discovery_url: format!("http://127.0.0.1:{port}/.well-known/openid-configuration"),
        client_id: "radhus".into(),
        client_secret: "radhus-hemmelighet".into(),
        levels: vec![
            ("idporten-loa-substantial".into(), LoginLevel::Substantial),
            ("idporten-loa-high".into(), LoginLevel::High),
        ],
        scopes: "openid profile".into(),
        pid_claim: "pid".into(),
        ca_pem: None,
        timeout: Duration::from_secs(10),
        tenants: None,
    }
}

/// A server with the provider configured (and the test forms that need a login), and the provider.
async fn rig() -> (TestServer, Peer) {
    let op_port = free_port();
    let srv = TestServer::start_with(|c| {
        c.oidc = vec![provider_config(op_port)];
        c.tenants[0].forms_dir = Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/login-forms"),
        );
    })
    .await;
    let peer = Peer::start(op_port, srv.addr.port(), "k1").await;
    (srv, peer)
}

fn browser(srv: &TestServer) -> Walk<'_> {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    Walk {
        srv,
        client: client_with_jar(srv.addr, &srv.cert_pem, jar),
        lang: "nb",
        host: HOST,
    }
}

/// The provider side of the browser: its own cookies, plain HTTP, redirects followed by hand.
fn provider_browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(Arc::new(reqwest::cookie::Jar::default()))
        .build()
        .unwrap()
}

/// Presses a provider button (a POST to `/logg-inn/oidc/idporten` with `fields`), lets `tamper` change
/// the address the appliance sends the browser to, goes through the provider, and returns the
/// address the provider sends the browser back with.
pub async fn through_provider(
    w: &Walk<'_>,
    fields: &[(&str, &str)],
    tamper: impl Fn(String) -> String,
) -> String {
    let page = w.get("/logg-inn").await;
    let mut body = vec![("csrf", csrf_of(&page.html))];
    body.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let r = w
        .client
        .post(w.srv.url(HOST, "/logg-inn/oidc/idporten"))
        .form(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let url = tamper(r.headers()["location"].to_str().unwrap().to_owned());
    follow_provider(&url).await
}

/// Goes through the provider from `url` (its authorization endpoint) until it sends the browser back
/// to the appliance; returns that address.
async fn follow_provider(start: &str) -> String {
    let mut url = start.to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let op = provider_browser();
    for _ in 0..8 {
        let r = op.get(&url).send().await.unwrap();
        let loc = r
            .headers()
            .get("location")
            .unwrap_or_else(|| panic!("the provider answered {} at {url}", r.status()))
            .to_str()
            .unwrap()
            .to_owned();
        let next = if loc.starts_with('/') {
            let origin_end = url[8..].find('/').map_or(url.len(), |i| i + 8);
            format!("{}{loc}", &url[..origin_end])
        } else {
            loc
        };
        if next.starts_with("https://") {
            return next;
        }
        url = next;
    }
    panic!("the provider never sent the browser back");
}

/// Follows the provider's answer in the appliance; returns status, Location and page.
pub async fn come_back(w: &Walk<'_>, url: &str) -> (u16, Option<String>, Html) {
    let r = w.client.get(url).send().await.unwrap();
    let status = r.status().as_u16();
    let loc = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    (status, loc, Html::parse(&r.text().await.unwrap()))
}

fn replace_param(url: &str, name: &str, value: &str) -> String {
    let (base, q) = url.split_once('?').unwrap();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| {
            if k == name {
                (k.into_owned(), value.to_owned())
            } else {
                (k.into_owned(), v.into_owned())
            }
        })
        .collect();
    let q: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{base}?{q}")
}

async fn logged_in(w: &Walk<'_>) -> bool {
    let r = w
        .client
        .get(w.srv.url(HOST, "/mine-saker"))
        .send()
        .await
        .unwrap();
    r.status() == 200
}

#[tokio::test]
async fn a_form_at_level_substantial_logs_in_through_the_provider_and_comes_back_to_the_form() {
    let (srv, _peer) = rig().await;
    let w = browser(&srv);
    // The landing page offers the form now that a provider gives its level.
    let landing = w.get("/skjema/idporten-test").await;
    assert_eq!(landing.html.count(".button--start"), 1);
    // A step without a login: to the login page at that level, which offers only the provider.
    let r = w
        .client
        .get(srv.url(HOST, "/skjema/idporten-test/steg/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        to,
        "/logg-inn?til=%2Fskjema%2Fidporten-test%2Fsteg%2F1&niva=substantial"
    );
    let page = w.get(&to).await;
    assert_eq!(page.html.count("form[action='/logg-inn/oidc/idporten']"), 1);
    assert_eq!(
        page.html.count("#f-passord"),
        0,
        "a password cannot give this level"
    );
    assert!(page.html.text("main").contains("Logg inn med ID-porten"));
    let back = through_provider(
        &w,
        &[
            ("til", "/skjema/idporten-test/steg/1"),
            ("niva", "substantial"),
        ],
        |u| {
            assert!(u.contains("acr_values=idporten-loa-substantial"), "{u}");
            assert!(u.contains("code_challenge_method=S256"), "{u}");
            u
        },
    )
    .await;
    assert!(back.contains("/logg-inn/oidc/idporten/tilbake?"), "{back}");
    let (status, loc, page) = come_back(&w, &back).await;
    assert_eq!(status, 303, "{}", page.text("main"));
    assert_eq!(loc.as_deref(), Some("/skjema/idporten-test/steg/1"));
    let step = w.get("/skjema/idporten-test/steg/1").await;
    assert_eq!(step.status, 200);
    // No draft yet on a GET of a step: start one; the identity number ID-porten vouched for is filled in.
    let landing = w.get("/skjema/idporten-test").await;
    let step = w
        .post(
            "/skjema/idporten-test/start",
            &[("csrf".into(), csrf_of(&landing.html))],
        )
        .await;
    assert_eq!(
        step.html.attr("#f-fnr", "value").as_deref(),
        Some("10915596784")
    );
    // Mine saker names the identity by its number, the last five digits hidden.
    let mine = w.get("/mine-saker").await;
    assert!(
        mine.html.text("main").contains("109155*****"),
        "{}",
        mine.html.text("main")
    );
    assert!(!mine.html.text("main").contains("10915596784"));
    // The account page of a provider's account has no password to change.
    let account = w.get("/konto").await;
    assert_eq!(account.html.count("#f-nytt-passord"), 0);
    // The provider's logout: this session ends, and the browser goes to the provider's end-session
    // endpoint with the ID token as a hint and the login page to come back to.
    let r = w
        .client
        .post(srv.url(HOST, "/logg-ut"))
        .form(&[("csrf", csrf_of(&mine.html))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let end = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        end.starts_with("http://127.0.0.1:") && end.contains("/session/end?"),
        "{end}"
    );
    assert!(
        end.contains("id_token_hint=") && end.contains("post_logout_redirect_uri="),
        "{end}"
    );
    assert!(!logged_in(&w).await);
}

#[tokio::test]
async fn each_level_is_given_as_asked_and_a_lower_acr_gets_the_step_up_page() {
    let (srv, _peer) = rig().await;
    // High: asked for and given.
    let w = browser(&srv);
    let back = through_provider(&w, &[("niva", "high")], |u| {
        assert!(u.contains("acr_values=idporten-loa-high"), "{u}");
        u
    })
    .await;
    assert_eq!(come_back(&w, &back).await.0, 303);
    assert!(logged_in(&w).await);
    assert_eq!(
        w.get("/skjema/idporten-test/steg/1").await.status,
        200,
        "high covers substantial"
    );
    // High asked for, substantial given (the browser changed the request): not logged in; the
    // step-up page names both levels and offers the login at the right level.
    let w = browser(&srv);
    let back = through_provider(
        &w,
        &[("niva", "high"), ("til", "/skjema/idporten-test")],
        |u| replace_param(&u, "acr_values", "idporten-loa-substantial"),
    )
    .await;
    let (status, _, page) = come_back(&w, &back).await;
    assert_eq!(status, 403);
    assert!(
        page.text("h1").contains("sikrere innlogging"),
        "{}",
        page.text("main")
    );
    assert!(page.text("main").contains("høyt"));
    assert_eq!(
        page.attr(
            "form[action='/logg-inn/oidc/idporten'] input[name=niva]",
            "value"
        )
        .as_deref(),
        Some("high")
    );
    assert!(!logged_in(&w).await);
}

#[tokio::test]
async fn a_changed_nonce_or_state_a_replayed_code_and_an_expired_token_log_nobody_in() {
    let (srv, _peer) = rig().await;
    // A nonce the appliance did not send: the ID token carries the changed one.
    let w = browser(&srv);
    let back = through_provider(&w, &[], |u| {
        replace_param(&u, "nonce", "an-attackers-nonce")
    })
    .await;
    let (status, _, page) = come_back(&w, &back).await;
    assert_eq!(status, 400);
    assert!(
        page.text("h1").contains("kunne ikke fullføres"),
        "{}",
        page.text("main")
    );
    assert!(!logged_in(&w).await);
    // A state the session does not have.
    let w = browser(&srv);
    let back = through_provider(&w, &[], |u| u).await;
    let (status, _, _) = come_back(&w, &replace_param(&back, "state", "tampered")).await;
    assert_eq!(status, 400);
    assert!(!logged_in(&w).await);
    // The answer arriving in another browser (no login under way there).
    let w = browser(&srv);
    let back = through_provider(&w, &[], |u| u).await;
    let other = browser(&srv);
    assert_eq!(come_back(&other, &back).await.0, 400);
    // In its own browser it works, once: the pending login is used up by its answer.
    assert_eq!(come_back(&w, &back).await.0, 303);
    assert_eq!(
        come_back(&w, &back).await.0,
        400,
        "the pending login was used up"
    );
    // A code used once: replayed under a new login's state, the provider refuses it.
    let w = browser(&srv);
    let first = through_provider(&w, &[], |u| u).await;
    assert_eq!(come_back(&w, &first).await.0, 303);
    let second = through_provider(&w, &[], |u| u).await;
    let code = |u: &str| {
        form_urlencoded::parse(u.split_once('?').unwrap().1.as_bytes())
            .find(|(k, _)| k == "code")
            .unwrap()
            .1
            .into_owned()
    };
    let replayed = replace_param(&second, "code", &code(&first));
    let (status, _, page) = come_back(&w, &replayed).await;
    assert_eq!(status, 400, "{}", page.text("main"));
    // An expired ID token: the appliance's clock is two hours ahead of the provider's.
    let w = browser(&srv);
    srv.running().state().clock.advance(2 * 3600);
    let back = through_provider(&w, &[], |u| u).await;
    let (status, _, _) = come_back(&w, &back).await;
    assert_eq!(status, 400);
    assert!(!logged_in(&w).await);
}

#[tokio::test]
async fn a_rotated_key_is_fetched_and_a_key_changed_behind_its_id_is_refused() {
    let (srv, mut peer) = rig().await;
    let w = browser(&srv);
    let back = through_provider(&w, &[], |u| u).await;
    assert_eq!(
        come_back(&w, &back).await.0,
        303,
        "the key set is fetched and cached"
    );
    // Rotation: the provider signs with a new key under a new id.
    peer.restart("k2").await;
    let w = browser(&srv);
    let back = through_provider(&w, &[], |u| u).await;
    assert_eq!(come_back(&w, &back).await.0, 303, "the new key is fetched");
    // A different key under an id already known: the signature does not verify.
    peer.restart("k2").await;
    let w = browser(&srv);
    let back = through_provider(&w, &[], |u| u).await;
    let (status, _, page) = come_back(&w, &back).await;
    assert_eq!(status, 400, "{}", page.text("main"));
    assert!(!logged_in(&w).await);
}

#[tokio::test]
async fn an_unknown_provider_is_a_404_and_one_that_is_down_a_clear_page() {
    let (srv, mut peer) = rig().await;
    let w = browser(&srv);
    let page = w.get("/logg-inn").await;
    let r = w
        .client
        .post(srv.url(HOST, "/logg-inn/oidc/finnes-ikke"))
        .form(&[("csrf", csrf_of(&page.html))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = w
        .client
        .get(srv.url(HOST, "/logg-inn/oidc/finnes-ikke/tilbake?code=x&state=y"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Down before its discovery document was ever read: a translated page, nothing changed.
    peer.stop().await;
    for (lang, says) in [
        ("nb", "svarer ikke"),
        ("nn", "svarar ikkje"),
        ("en", "not answering"),
    ] {
        let r = w
            .client
            .post(srv.url(HOST, "/logg-inn/oidc/idporten"))
            .header("accept-language", lang)
            .form(&[("csrf", csrf_of(&page.html))])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 503);
        let body = Html::parse(&r.text().await.unwrap());
        assert!(
            body.text("main").contains(says),
            "{lang}: {}",
            body.text("main")
        );
    }
    assert!(!logged_in(&w).await);
}

#[tokio::test]
async fn an_ended_login_keeps_what_was_posted_through_the_provider() {
    let (srv, _peer) = rig().await;
    let w = browser(&srv);
    let back = through_provider(&w, &[("niva", "substantial")], |u| u).await;
    assert_eq!(come_back(&w, &back).await.0, 303);
    let landing = w.get("/skjema/idporten-test").await;
    let step = w
        .post(
            "/skjema/idporten-test/start",
            &[("csrf".into(), csrf_of(&landing.html))],
        )
        .await;
    assert_eq!(step.status, 200, "{}", step.html.text("main"));
    // Half an hour idle, then "Neste" with a name typed: the login page carries it; the provider
    // login brings it back, ready to send.
    srv.running().state().clock.advance(31 * 60);
    let r = w
        .client
        .post(srv.url(HOST, "/skjema/idporten-test/steg/1"))
        .form(&[
            ("csrf", csrf_of(&step.html).as_str()),
            ("navn", "Kari Nordmann"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let page = Html::parse(&r.text().await.unwrap());
    let button = "form[action='/logg-inn/oidc/idporten']";
    let kept = page
        .attr(&format!("{button} input[name=bevart]"), "value")
        .unwrap();
    assert!(kept.contains("Kari+Nordmann"), "{kept}");
    let action = page
        .attr(&format!("{button} input[name=bevart-til]"), "value")
        .unwrap();
    let back = through_provider(
        &w,
        &[
            ("niva", "substantial"),
            ("bevart-til", &action),
            ("bevart", &kept),
        ],
        |u| u,
    )
    .await;
    let (status, _, again) = come_back(&w, &back).await;
    assert_eq!(status, 200);
    assert_eq!(
        again
            .attr(
                "form[action='/skjema/idporten-test/steg/1'] input[name=navn]",
                "value"
            )
            .as_deref(),
        Some("Kari Nordmann")
    );
}

/// One e-ID, every municipality: a case sent in Prøvestad after an ID-porten login there shows on
/// Eksempel's Mine saker for the same identity, linking to Prøvestad's own host; another identity sees
/// nothing of it, and neither does a password account.
#[tokio::test]
async fn one_e_id_sees_its_cases_in_every_municipality_of_the_installation() {
    let (srv, _peer) = rig().await;
    // Prøvestad: Kari logs in (its host has its own session) and sends the contact form.
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let p = Walk {
        srv: &srv,
        client: client_with_jar(srv.addr, &srv.cert_pem, jar),
        lang: "nn",
        host: "provestad.localhost",
    };
    let page = p.get("/logg-inn").await;
    let r = p
        .client
        .post(srv.url("provestad.localhost", "/logg-inn/oidc/idporten"))
        .form(&[("csrf", csrf_of(&page.html).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let url = r.headers()["location"].to_str().unwrap().to_owned();
    let back = follow_provider(&url).await;
    // The provider sends the browser back to the host it came from.
    assert!(back.starts_with("https://provestad.localhost:"), "{back}");
    assert_eq!(p.client.get(&back).send().await.unwrap().status(), 303);
    let reference = crate::form_run::walk(
        &p,
        "kontaktskjema",
        &crate::form_run::example("kontaktskjema"),
    )
    .await;
    // Eksempel: the same identity sees it, linking to Prøvestad.
    let w = browser(&srv);
    let back = through_provider(&w, &[], |u| u).await;
    assert_eq!(come_back(&w, &back).await.0, 303);
    let mine = w.get("/mine-saker").await;
    let text = mine.html.text("main");
    assert!(
        text.contains("I andre kommuner") && text.contains("Prøvestad kommune"),
        "{text}"
    );
    let href = mine
        .html
        .attr(&format!("a[href$='/mine-saker/sak/{reference}']"), "href")
        .unwrap();
    assert!(href.starts_with("https://provestad.localhost:"), "{href}");
    // Another identity (ola) sees nothing of Kari's.
    let o = browser(&srv);
    let back = through_provider(&o, &[], |u| format!("{u}&login_hint=ola")).await;
    assert_eq!(come_back(&o, &back).await.0, 303);
    let theirs = o.get("/mine-saker").await.html.text("main");
    assert!(theirs.contains("05910298382".get(..6).unwrap()), "{theirs}");
    assert!(
        !theirs.contains(&reference) && !theirs.contains("I andre kommuner"),
        "{theirs}"
    );
}
