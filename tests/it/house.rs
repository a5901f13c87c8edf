//! What the house issue promises, through the real server: two tabs never lose each other's answers, a
//! draft keeps its form version when the form changes, time moves for drafts without sleeping, receipt
//! copies only where mail can leave, and `/healthz` says no more than the status to the public.

use std::sync::Arc;

use crate::form_run::{HOST, Walk};
use crate::support::{TestServer, client_with_jar, csrf_of};

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Fills the contact form to check-answers; returns the CSRF token.
async fn contact_form_filled(w: &Walk<'_>) -> String {
    let first = w.start("kontaktskjema").await;
    assert_eq!(first.status, 200, "{}", first.url);
    let token = csrf_of(&first.html);
    let step2 = w
        .post(
            "/skjema/kontaktskjema/steg/1",
            &fields(&[
                ("csrf", &token),
                ("emne", "annet"),
                ("melding", "melding 0"),
                ("handling", "neste"),
            ]),
        )
        .await;
    assert!(step2.url.ends_with("/steg/2"), "{}", step2.url);
    let summary = w
        .post(
            "/skjema/kontaktskjema/steg/2",
            &fields(&[
                ("csrf", &token),
                ("svar_onskes", "ja"),
                ("svarmetode", "epost"),
                ("epost", "kari@example.no"),
                ("navn", "Navn 0"),
                ("handling", "neste"),
            ]),
        )
        .await;
    assert!(summary.url.ends_with("/oppsummering"), "{}", summary.url);
    token
}

/// Two tabs of one browser save different steps of one draft at the same moment, many times: every
/// round, both answers are there afterwards (a save that meets a newer draft is applied to it again).
#[tokio::test]
async fn two_tabs_saving_at_once_never_lose_an_answer() {
    let srv = TestServer::start().await;
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let tab = |_| Walk {
        srv: &srv,
        client: client_with_jar(srv.addr, &srv.cert_pem, jar.clone()),
        lang: "nb",
        host: HOST,
    };
    let (a, b) = (tab(0), tab(1));
    let token = contact_form_filled(&a).await;
    for i in 1..=40 {
        let (m, n) = (format!("melding {i}"), format!("Navn {i}"));
        let one = fields(&[
            ("csrf", &token),
            ("emne", "annet"),
            ("melding", &m),
            ("handling", "neste"),
        ]);
        let two = fields(&[
            ("csrf", &token),
            ("svar_onskes", "ja"),
            ("svarmetode", "epost"),
            ("epost", "kari@example.no"),
            ("navn", &n),
            ("handling", "neste"),
        ]);
        let (ra, rb) = tokio::join!(
            a.post("/skjema/kontaktskjema/steg/1?fra=oppsummering", &one),
            b.post("/skjema/kontaktskjema/steg/2", &two)
        );
        assert!(ra.url.ends_with("/oppsummering"), "{}", ra.url);
        assert!(rb.url.ends_with("/oppsummering"), "{}", rb.url);
        let summary = a.get("/skjema/kontaktskjema/oppsummering").await;
        let text = summary.html.text("main");
        assert!(
            text.contains(&m) && text.contains(&n),
            "round {i}: an answer was lost: {text}"
        );
    }
}

/// A tenant's own form changes (a new version with a new question text) while a citizen's draft is open:
/// the draft continues on the version it started on and says so, check-answers, the receipt PDF and the
/// archive show the questions as they were asked; a new draft gets the new version.
#[tokio::test]
async fn a_draft_keeps_its_form_version_when_the_form_changes() {
    let own = tempfile::tempdir().unwrap();
    let lib = std::fs::read_to_string(format!(
        "{}/forms/kontaktskjema.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    const OLD: &str = "Hva gjelder meldingen?";
    const NEW: &str = "Hva handler henvendelsen om?";
    assert!(lib.contains(OLD));
    std::fs::write(own.path().join("kontaktskjema.toml"), &lib).unwrap();
    let dir = own.path().to_path_buf();
    let mut srv = TestServer::start_with(|c| c.tenants[0].forms_dir = Some(dir)).await;
    let config = srv.config.clone();
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let w = Walk {
        srv: &srv,
        client: client_with_jar(srv.addr, &srv.cert_pem, jar.clone()),
        lang: "nb",
        host: HOST,
    };
    let token = contact_form_filled(&w).await;
    drop(w);

    // The municipality publishes version 2 and the server restarts.
    let v2 = lib
        .replacen("version  = 1", "version  = 2", 1)
        .replace(OLD, NEW);
    assert_ne!(v2, lib);
    std::fs::write(own.path().join("kontaktskjema.toml"), &v2).unwrap();
    srv.restart(config).await;
    let w = Walk {
        srv: &srv,
        client: client_with_jar(srv.addr, &srv.cert_pem, jar.clone()),
        lang: "nb",
        host: HOST,
    };
    let step = w.get("/skjema/kontaktskjema/steg/1").await;
    assert_eq!(step.status, 200);
    assert!(step.html.text("main").contains(OLD), "the old question");
    assert!(
        step.html
            .text(".notice")
            .contains("endret siden du begynte"),
        "the citizen is told: {}",
        step.html.text(".notice")
    );
    let summary = w.get("/skjema/kontaktskjema/oppsummering").await;
    assert!(summary.html.text("main").contains(OLD));
    assert!(!summary.html.text("main").contains(NEW));
    let receipt = w
        .post("/skjema/kontaktskjema/send", &fields(&[("csrf", &token)]))
        .await;
    assert_eq!(receipt.status, 200, "{}", receipt.url);
    let reference = receipt.html.text("#reference-id");
    let pdf = w
        .client
        .get(srv.url(
            HOST,
            &format!("/skjema/kontaktskjema/kvittering/{reference}/pdf"),
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = crate::support::pdf_text(&pdf);
    assert!(text.contains(OLD), "the PDF asks the old question: {text}");
    // The archive copy too.
    let folder = srv.data_dir().join("archive/eksempel").join(&reference);
    for _ in 0..100 {
        if folder.join("submission.xml").exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let xml = std::fs::read_to_string(folder.join("submission.xml")).unwrap();
    assert!(xml.contains(OLD), "the archive XML has the old label");
    // Someone starting now gets version 2.
    let fresh = Walk::new(&srv, "nb", HOST);
    let first = fresh.start("kontaktskjema").await;
    assert!(first.html.text("main").contains(NEW));
    assert!(!first.html.text("main").contains("endret siden du begynte"));
}

/// The clock moves past a draft's lifetime: the draft is gone (the citizen is sent to the landing page),
/// without a test that sleeps for a week.
#[tokio::test]
async fn a_draft_expires_when_the_clock_passes_its_lifetime() {
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "nb", HOST);
    contact_form_filled(&w).await;
    let lifetime = srv.config.server.draft_lifetime.as_secs() as i64;
    let clock = &srv.running().state().clock;
    clock.advance(lifetime - 60);
    let still = w.get("/skjema/kontaktskjema/oppsummering").await;
    assert!(still.url.ends_with("/oppsummering"), "{}", still.url);
    clock.advance(120);
    let gone = w.get("/skjema/kontaktskjema/oppsummering").await;
    assert!(gone.url.ends_with("/skjema/kontaktskjema"), "{}", gone.url);
}

/// Without an SMTP server, the receipt offers no e-mail copy and refuses one asked for by hand: nothing is
/// queued that could never be sent.
#[tokio::test]
async fn no_receipt_copy_is_offered_without_a_mail_server() {
    let srv = TestServer::start_with(|c| c.smtp = None).await;
    let w = Walk::new(&srv, "nb", HOST);
    let token = contact_form_filled(&w).await;
    let receipt = w
        .post("/skjema/kontaktskjema/send", &fields(&[("csrf", &token)]))
        .await;
    let reference = receipt.html.text("#reference-id");
    assert!(receipt.html.texts("#f-epost").is_empty(), "no e-mail form");
    // The session moved to a new id with the receipt: its pages carry the tokens that work now.
    let token = csrf_of(&receipt.html);
    let asked = w
        .post(
            &format!("/skjema/kontaktskjema/kvittering/{reference}/epost"),
            &fields(&[("csrf", &token), ("epost", "kari@example.no")]),
        )
        .await;
    assert_eq!(asked.status, 404);
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    let rows = srv
        .running()
        .state()
        .store
        .tenant(&tenant)
        .outbox_rows(&crate::support::rf(&reference))
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| !matches!(r.target, radhus::ids::Target::ReceiptCopy(_))),
        "{rows:?}"
    );
}

/// `/healthz` tells a caller from outside the status alone; loopback also gets the details.
#[tokio::test]
async fn healthz_details_are_for_loopback_only() {
    let srv = TestServer::start().await;
    let state = srv.running().state();
    let body = |peer: &str| {
        let resp = radhus::web::system::healthz(state, peer.parse().unwrap());
        assert_eq!(resp.status(), 200);
        resp
    };
    let public = crate::support::body_text(body("192.0.2.7:40000")).await;
    let json: serde_json::Value = serde_json::from_str(&public).unwrap();
    assert_eq!(json, serde_json::json!({"status": "ok"}));
    let local = crate::support::body_text(body("127.0.0.1:40000")).await;
    let json: serde_json::Value = serde_json::from_str(&local).unwrap();
    assert_eq!(json["status"], "ok");
    assert!(json["store"]["schema_version"].is_number());
    assert!(json["tenants"].is_number());
}

/// The portal and landing pages are rendered once and joined with each visitor's own CSRF token: two
/// visitors get the same page but their own tokens, and each token works only for its own session.
#[tokio::test]
async fn cached_pages_carry_each_visitors_own_token() {
    let srv = TestServer::start().await;
    for path in ["/", "/skjema/kontaktskjema"] {
        let (a, b) = (srv.client(), srv.client());
        let url = srv.url(HOST, path);
        let (sa, ha) = crate::support::get_html(&a, &url).await;
        let (sb, hb) = crate::support::get_html(&b, &url).await;
        assert_eq!((sa.as_u16(), sb.as_u16()), (200, 200));
        let (ta, tb) = (csrf_of(&ha), csrf_of(&hb));
        assert_ne!(ta, tb, "{path}: each visitor has a token of their own");
        assert!(!ha.text("body").contains("~csrf~"), "{path}: no slot left");
        let switch = |c: &reqwest::Client, token: &str| {
            let c = c.clone();
            let form = fields(&[("csrf", token), ("lang", "nn"), ("tilbake", path)]);
            let url = srv.url(HOST, "/sprak");
            async move {
                c.post(url)
                    .form(&form)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(switch(&a, &ta).await, 303, "{path}: own token works");
        assert_eq!(
            switch(&b, &ta).await,
            403,
            "{path}: another's token does not"
        );
    }
}
