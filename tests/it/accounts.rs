//! Citizens' accounts over HTTP against the real server and a real SMTP server (aiosmtpd with STARTTLS
//! and AUTH): register → the verification mail → the link → log in; no answer that tells known from
//! unknown addresses; rate limits; the session id rotating at login and logout; forgotten and changed
//! passwords ending other logins; drafts kept with the account and resumed from a second client;
//! anonymous drafts attached only on request; Mine saker and its cases private to their account; forms
//! that need a login, and a level a password cannot give; timeouts that lose nothing posted.

use std::sync::Arc;
use std::time::Duration;

use crate::form_run::{HOST, Page, Walk};
use crate::support::{SmtpPeer, TestServer, client_with_jar, csrf_of, smtp_peer};
use crate::targets::{parse_eml, smtp_of};

const PASSWORD: &str = "blå hest på tur i fjellet";

struct Rig {
    peer: SmtpPeer,
    srv: TestServer,
}

async fn rig() -> Rig {
    let peer = smtp_peer().await;
    let smtp = smtp_of(&peer);
    let srv = TestServer::start_with(|c| {
        c.smtp = Some(smtp);
        // The municipality's own name for one status.
        c.tenants[0].status_names.decided = Some(radhus::i18n::Texts {
            nb: "Ferdig behandlet".into(),
            nn: "Ferdig handsama".into(),
            en: "Done".into(),
        });
        c.tenants[0].forms_dir = Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/login-forms"),
        );
    })
    .await;
    Rig { peer, srv }
}

impl Rig {
    fn browser(&self) -> (Walk<'_>, Arc<reqwest::cookie::Jar>) {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        (
            Walk {
                srv: &self.srv,
                client: client_with_jar(self.srv.addr, &self.srv.cert_pem, jar.clone()),
                lang: "nb",
                host: HOST,
            },
            jar,
        )
    }

    /// The mails the SMTP server has accepted so far (parsed), waiting until there are at least `n`.
    async fn mails(&self, n: usize) -> Vec<serde_json::Value> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let count = (1..)
                .take_while(|i| self.peer.out.join(format!("{i:04}.env")).exists())
                .count();
            if count >= n {
                let mut out = vec![];
                for i in 1..=count {
                    out.push(parse_eml(&self.peer.out.join(format!("{i:04}.eml"))).await);
                }
                return out;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{count} mails, waited for {n}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How many mails have arrived, after giving a background send time to land.
    async fn settled_count(&self) -> usize {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        (1..)
            .take_while(|i| self.peer.out.join(format!("{i:04}.env")).exists())
            .count()
    }

    /// Registers and verifies `email` through the mail; returns the verified account's browser, not
    /// logged in.
    async fn verified(&self, email: &str) -> Walk<'_> {
        let (w, _) = self.browser();
        let before = self.settled_count().await;
        let page = register(&w, email, PASSWORD).await;
        assert_eq!(page.status, 200, "{}", page.html.text("main"));
        let mails = self.mails(before + 1).await;
        let link = link_in(mails.last().unwrap()["text"].as_str().unwrap());
        assert!(link.starts_with("/konto/bekreft/"), "{link}");
        let done = w.get(&link).await;
        assert_eq!(done.status, 200);
        assert!(
            done.html.text("h1").contains("bekreftet"),
            "{}",
            done.html.text("main")
        );
        w
    }
}

/// The path of the first https link in a mail's text (its origin is the tenant's host and port).
fn link_in(text: &str) -> String {
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with("https://"))
        .unwrap_or_else(|| panic!("no link in {text}"));
    let after_host = link.trim_start_matches("https://");
    let path_at = after_host.find('/').unwrap();
    after_host[path_at..].to_owned()
}

async fn register(w: &Walk<'_>, email: &str, pass: &str) -> Page {
    let form = w.get("/registrer").await;
    w.post(
        "/registrer",
        &[
            ("csrf".into(), csrf_of(&form.html)),
            ("epost".into(), email.into()),
            ("passord".into(), pass.into()),
        ],
    )
    .await
}

/// POSTs the login form; returns the raw answer (status, Location) without following it.
async fn login_raw(w: &Walk<'_>, email: &str, pass: &str) -> reqwest::Response {
    let form = w.get("/logg-inn").await;
    w.client
        .post(w.srv.url(HOST, "/logg-inn"))
        .form(&[
            ("csrf", csrf_of(&form.html).as_str()),
            ("epost", email),
            ("passord", pass),
        ])
        .send()
        .await
        .unwrap()
}

async fn login(w: &Walk<'_>, email: &str, pass: &str) {
    let r = login_raw(w, email, pass).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
}

fn sid(jar: &reqwest::cookie::Jar, srv: &TestServer) -> String {
    use reqwest::cookie::CookieStore;
    let url = srv.url(HOST, "/").parse().unwrap();
    let all = jar.cookies(&url).unwrap();
    all.to_str()
        .unwrap()
        .split("; ")
        .find_map(|c| c.strip_prefix("__Host-sid="))
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn register_verify_by_mail_log_in_and_out_with_the_session_id_rotating() {
    let rig = rig().await;
    let (w, jar) = rig.browser();
    // A weak password and a bad address: a translated message each, nothing made, nothing sent.
    for (email, pass, says) in [
        ("kari@example.no", "kort", "minst 12 tegn"),
        ("kari@example.no", "password1234", "for vanlig"),
        ("kari@example.no", "kari-kari-kari-99", "e-postadressen"),
        ("kari.example.no", PASSWORD, "gyldig e-postadresse"),
    ] {
        let page = register(&w, email, pass).await;
        assert_eq!(page.status, 422, "{pass}");
        assert!(
            page.html.text(".error-summary").contains(says),
            "{pass}: {}",
            page.html.text(".error-summary")
        );
        assert_eq!(page.html.attr("#f-epost", "value").as_deref(), Some(email));
        assert_eq!(
            page.html.attr("#f-passord", "value").as_deref(),
            Some(""),
            "a password is never sent back"
        );
    }
    assert_eq!(rig.settled_count().await, 0);
    let page = register(&w, "Kari@Example.no", PASSWORD).await;
    assert_eq!(page.status, 200);
    assert!(page.html.text("main").contains("kari@example.no"));
    let mails = rig.mails(1).await;
    let mail = &mails[0];
    assert_eq!(mail["to"], "kari@example.no");
    assert!(mail["subject"].as_str().unwrap().contains("Bekreft"));
    let text = mail["text"].as_str().unwrap();
    assert!(!text.contains(PASSWORD));
    let link = link_in(text);
    // Not verified yet: the right password says so; a wrong one does not.
    let r = login_raw(&w, "kari@example.no", PASSWORD).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("ikke bekreftet"));
    // The link verifies once; again, it is dead.
    assert_eq!(w.get(&link).await.status, 200);
    let again = w.get(&link).await;
    assert_eq!(again.status, 404);
    assert!(again.html.text("h1").contains("virker ikke"));
    // A malformed, tampered or made-up link: the same clear page, no 500.
    for bad in [
        "/konto/bekreft/x",
        "/konto/bekreft/%00%ff",
        &format!("{}A", &link[..link.len() - 1]),
    ] {
        let p = w.get(bad).await;
        assert_eq!(p.status, 404, "{bad}");
        assert!(p.html.text("h1").contains("virker ikke"), "{bad}");
    }
    // Mine saker needs a login: to the login page and back.
    let r = w
        .client
        .get(rig.srv.url(HOST, "/mine-saker"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/logg-inn?til=%2Fmine-saker");
    let before = sid(&jar, &rig.srv);
    // An attacker who planted this id before the login.
    let planted = Arc::new(reqwest::cookie::Jar::default());
    planted.add_cookie_str(
        &format!("__Host-sid={before}; Path=/; Secure"),
        &rig.srv.url(HOST, "/").parse().unwrap(),
    );
    let attacker = client_with_jar(rig.srv.addr, &rig.srv.cert_pem, planted);
    let r = login_raw(&w, "KARI@example.no", PASSWORD).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/mine-saker");
    let after = sid(&jar, &rig.srv);
    assert_ne!(before, after, "a login gives the browser a new session id");
    let mine = w.get("/mine-saker").await;
    assert_eq!(mine.status, 200);
    assert!(mine.html.text("main").contains("kari@example.no"));
    let r = attacker
        .get(rig.srv.url(HOST, "/mine-saker"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the planted id is not logged in");
    // Log out: a new id again, and Mine saker asks for a login.
    let out = w
        .post("/logg-ut", &[("csrf".into(), csrf_of(&mine.html))])
        .await;
    assert!(out.html.text("main").contains("logget ut"));
    assert_ne!(sid(&jar, &rig.srv), after);
    let r = w
        .client
        .get(rig.srv.url(HOST, "/mine-saker"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // The password never reached the log or the store in the clear.
    let store = std::fs::read(rig.srv.data_dir().join("radhus.redb")).unwrap();
    assert!(
        !store
            .windows(PASSWORD.len())
            .any(|w| w == PASSWORD.as_bytes())
    );
}

#[tokio::test]
async fn known_and_unknown_addresses_get_the_same_answers_and_failures_are_limited() {
    let rig = rig().await;
    rig.verified("ola@example.no").await;
    let n0 = rig.settled_count().await;
    let (w, _) = rig.browser();
    // Registering a taken address: the same page as a new one; the owner gets a mail with no link that
    // changes anything; the account is unchanged (the old password still works).
    let taken = register(&w, "ola@example.no", "en helt annen passfrase").await;
    let fresh = register(&w, "per@example.no", PASSWORD).await;
    assert_eq!(taken.status, fresh.status);
    assert_eq!(
        taken.html.text("h1"),
        fresh.html.text("h1"),
        "the same page for a taken address"
    );
    let mails = rig.mails(n0 + 2).await;
    let to_ola = mails
        .iter()
        .find(|m| {
            m["to"] == "ola@example.no" && m["subject"].as_str().unwrap().contains("allerede")
        })
        .unwrap();
    assert!(!to_ola["text"].as_str().unwrap().contains("/konto/bekreft/"));
    login(&w, "ola@example.no", PASSWORD).await;
    // Forgotten password: the same page for known and unknown; only the known address gets a mail.
    let (w2, _) = rig.browser();
    let n1 = rig.settled_count().await;
    let f = w2.get("/glemt-passord").await;
    let known = w2
        .post(
            "/glemt-passord",
            &[
                ("csrf".into(), csrf_of(&f.html)),
                ("epost".into(), "ola@example.no".into()),
            ],
        )
        .await;
    let unknown = w2
        .post(
            "/glemt-passord",
            &[
                ("csrf".into(), csrf_of(&f.html)),
                ("epost".into(), "ingen@example.no".into()),
            ],
        )
        .await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(
        known.html.text("main").replace("ola@example.no", "X"),
        unknown.html.text("main").replace("ingen@example.no", "X")
    );
    assert_eq!(rig.settled_count().await, n1 + 1);
    // Wrong password for a known and for an unknown address: the same status and words.
    let a = login_raw(&w2, "ola@example.no", "feil passord her").await;
    let b = login_raw(&w2, "ingen@example.no", "feil passord her").await;
    assert_eq!(a.status(), 401);
    assert_eq!(b.status(), 401);
    let (ta, tb) = (a.text().await.unwrap(), b.text().await.unwrap());
    let msg = |t: &str| crate::support::Html::parse(t).text(".error-summary");
    assert_eq!(msg(&ta), msg(&tb));
    // Five failures for one address: the sixth try is refused, even with the right password, and
    // the page says how long to wait.
    for _ in 0..4 {
        assert_eq!(
            login_raw(&w2, "ola@example.no", "feil passord her")
                .await
                .status(),
            401
        );
    }
    let r = login_raw(&w2, "ola@example.no", PASSWORD).await;
    assert_eq!(r.status(), 429);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("For mange mislykkede forsøk")
    );
    // Another address from the same client is not blocked by that.
    let (w3, _) = rig.browser();
    rig.verified("kim@example.no").await;
    login(&w3, "kim@example.no", PASSWORD).await;
    // A quarter of an hour later the address may try again.
    rig.srv.running().state().clock.advance(16 * 60);
    login(&w2, "ola@example.no", PASSWORD).await;
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_by_the_link_and_ends_every_other_login() {
    let rig = rig().await;
    let (phone, _) = (rig.verified("eva@example.no").await, ());
    login(&phone, "eva@example.no", PASSWORD).await;
    assert_eq!(phone.get("/mine-saker").await.status, 200);
    let (w, _) = rig.browser();
    let n = rig.settled_count().await;
    let f = w.get("/glemt-passord").await;
    w.post(
        "/glemt-passord",
        &[
            ("csrf".into(), csrf_of(&f.html)),
            ("epost".into(), "eva@example.no".into()),
        ],
    )
    .await;
    let mails = rig.mails(n + 1).await;
    let link = link_in(mails.last().unwrap()["text"].as_str().unwrap());
    assert!(link.starts_with("/konto/nytt-passord/"), "{link}");
    let form = w.get(&link).await;
    assert_eq!(form.status, 200);
    let weak = w
        .post(
            &link,
            &[
                ("csrf".into(), csrf_of(&form.html)),
                ("passord".into(), "123456789012".into()),
            ],
        )
        .await;
    assert_eq!(weak.status, 422);
    let new = "en ny og lang passfrase";
    let done = w
        .post(
            &link,
            &[
                ("csrf".into(), csrf_of(&form.html)),
                ("passord".into(), new.into()),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.html.text("main"));
    assert!(done.html.text("h1").contains("endret"));
    // Used: the link is dead for a GET and a POST.
    assert_eq!(w.get(&link).await.status, 404);
    let reused = w
        .post(
            &link,
            &[
                ("csrf".into(), csrf_of(&form.html)),
                ("passord".into(), "enda en lang passfrase".into()),
            ],
        )
        .await;
    assert_eq!(reused.status, 404);
    // The phone's login has ended; the old password fails, the new one works.
    let r = phone
        .client
        .get(rig.srv.url(HOST, "/mine-saker"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "an ended login shows the login page");
    assert_eq!(
        login_raw(&w, "eva@example.no", PASSWORD).await.status(),
        401
    );
    login(&w, "eva@example.no", new).await;
    // An expired link (the clock moved past its hour) is dead too.
    let n = rig.settled_count().await;
    let f = w.get("/glemt-passord").await;
    w.post(
        "/glemt-passord",
        &[
            ("csrf".into(), csrf_of(&f.html)),
            ("epost".into(), "eva@example.no".into()),
        ],
    )
    .await;
    let mails = rig.mails(n + 1).await;
    let link = link_in(mails.last().unwrap()["text"].as_str().unwrap());
    rig.srv.running().state().clock.advance(61 * 60);
    assert_eq!(w.get(&link).await.status, 404);
}

#[tokio::test]
async fn the_account_page_changes_the_password_and_the_address_and_deletes_the_account() {
    let rig = rig().await;
    let w = rig.verified("siv@example.no").await;
    let (laptop, _) = rig.browser();
    login(&w, "siv@example.no", PASSWORD).await;
    login(&laptop, "siv@example.no", PASSWORD).await;
    let page = w.get("/konto").await;
    assert_eq!(page.status, 200);
    let csrf = csrf_of(&page.html);
    // Wrong current password: refused, nothing changed.
    let bad = w
        .post(
            "/konto/passord",
            &[
                ("csrf".into(), csrf.clone()),
                ("passord".into(), "feil".into()),
                ("nytt-passord".into(), "en ny og lang passfrase".into()),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.html
            .text(".error-summary")
            .contains("Passordet er feil")
    );
    let ok = w
        .post(
            "/konto/passord",
            &[
                ("csrf".into(), csrf.clone()),
                ("passord".into(), PASSWORD.into()),
                ("nytt-passord".into(), "en ny og lang passfrase".into()),
            ],
        )
        .await;
    assert_eq!(ok.status, 200);
    assert!(ok.html.text("main").contains("Passordet er endret"));
    // This browser stays logged in; the laptop is logged out.
    assert_eq!(w.get("/mine-saker").await.status, 200);
    let r = laptop
        .client
        .get(rig.srv.url(HOST, "/mine-saker"))
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 200);
    // A new address: a link goes to it; the account moves when it is followed.
    let page = w.get("/konto").await;
    let n = rig.settled_count().await;
    let asked = w
        .post(
            "/konto/epost",
            &[
                ("csrf".into(), csrf_of(&page.html)),
                ("ny-epost".into(), "siv.ny@example.no".into()),
                ("epost-passord".into(), "en ny og lang passfrase".into()),
            ],
        )
        .await;
    assert_eq!(asked.status, 200);
    let mails = rig.mails(n + 1).await;
    let m = mails
        .iter()
        .rev()
        .find(|m| m["to"] == "siv.ny@example.no")
        .unwrap();
    let link = link_in(m["text"].as_str().unwrap());
    let moved = w.get(&link).await;
    assert_eq!(moved.status, 200);
    assert!(moved.html.text("main").contains("siv.ny@example.no"));
    let (other, _) = rig.browser();
    assert_eq!(
        login_raw(&other, "siv@example.no", "en ny og lang passfrase")
            .await
            .status(),
        401
    );
    login(&other, "siv.ny@example.no", "en ny og lang passfrase").await;
    // Delete: with the password; afterwards no login works and the address is free again.
    let page = w.get("/konto").await;
    let refused = w
        .post(
            "/konto/slett",
            &[
                ("csrf".into(), csrf_of(&page.html)),
                ("slett-passord".into(), "feil".into()),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    let gone = w
        .post(
            "/konto/slett",
            &[
                ("csrf".into(), csrf_of(&page.html)),
                ("slett-passord".into(), "en ny og lang passfrase".into()),
            ],
        )
        .await;
    assert_eq!(gone.status, 200);
    assert!(
        gone.html
            .text("main")
            .contains("Kontoen og utkastene dine er slettet")
    );
    let r = other
        .client
        .get(rig.srv.url(HOST, "/mine-saker"))
        .send()
        .await
        .unwrap();
    assert_ne!(
        r.status(),
        200,
        "the other browser's login ended with the account"
    );
    assert_eq!(
        login_raw(&other, "siv.ny@example.no", "en ny og lang passfrase")
            .await
            .status(),
        401
    );
}

/// Fills the first step of the contact form (kontaktskjema) with a message and goes on.
async fn start_and_fill(w: &Walk<'_>, form: &str, fields: &[(&str, &str)]) -> Page {
    let landing = w.get(&format!("/skjema/{form}")).await;
    let step = w
        .post(
            &format!("/skjema/{form}/start"),
            &[("csrf".into(), csrf_of(&landing.html))],
        )
        .await;
    assert_eq!(step.status, 200, "{}", step.html.text("main"));
    let mut body = vec![("csrf".to_owned(), csrf_of(&step.html))];
    body.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    w.post(&format!("/skjema/{form}/steg/1"), &body).await
}

#[tokio::test]
async fn a_logged_in_draft_follows_the_account_to_a_second_device_and_cases_stay_private() {
    let rig = rig().await;
    let phone = rig.verified("anne@example.no").await;
    login(&phone, "anne@example.no", PASSWORD).await;
    let next = start_and_fill(&phone, "innlogget-test", &[("navn", "Anne Lie")]).await;
    assert_eq!(next.status, 200);
    assert!(
        next.url.ends_with("/steg/2") || next.html.text("h1").contains("Melding"),
        "{}",
        next.url
    );
    // A second device with its own cookies: Mine saker lists the draft; continuing shows the answer.
    let (laptop, _) = rig.browser();
    login(&laptop, "anne@example.no", PASSWORD).await;
    let mine = laptop.get("/mine-saker").await;
    assert!(
        mine.html.text("main").contains("Skjema for innloggede"),
        "{}",
        mine.html.text("main")
    );
    let landing = laptop.get("/skjema/innlogget-test").await;
    let step = laptop
        .post(
            "/skjema/innlogget-test/start",
            &[("csrf".into(), csrf_of(&landing.html))],
        )
        .await;
    assert_eq!(
        step.html.attr("#f-navn", "value").as_deref(),
        Some("Anne Lie"),
        "{}",
        step.html.text("main")
    );
    // Sent from the laptop; the phone's Mine saker shows the case with its status, and its PDF.
    let body = vec![
        ("csrf".to_owned(), csrf_of(&step.html)),
        ("navn".into(), "Anne Lie".into()),
    ];
    let two = laptop.post("/skjema/innlogget-test/steg/1", &body).await;
    let body = vec![
        ("csrf".to_owned(), csrf_of(&two.html)),
        ("melding".into(), "Hei fra laptopen".into()),
    ];
    let check = laptop.post("/skjema/innlogget-test/steg/2", &body).await;
    let sent = laptop
        .post(
            "/skjema/innlogget-test/send",
            &[("csrf".into(), csrf_of(&check.html))],
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.html.text("main"));
    let reference = sent.html.text("#reference-id");
    let mine = phone.get("/mine-saker").await;
    assert!(
        mine.html.text("table").contains(&reference),
        "{}",
        mine.html.text("main")
    );
    assert!(mine.html.text("table").contains("Mottatt"));
    assert!(
        !mine
            .html
            .text("main")
            .contains("Påbegynt i denne nettleseren")
    );
    let case = phone.get(&format!("/mine-saker/sak/{reference}")).await;
    assert_eq!(case.status, 200);
    let pdf = phone
        .client
        .get(rig.srv.url(
            HOST,
            &format!("/skjema/innlogget-test/kvittering/{reference}/pdf"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        pdf.status(),
        200,
        "the account's own receipt PDF, from a device that did not send it"
    );
    // Another citizen guessing the reference, the draft id or the receipt: 404 everywhere.
    let other = rig.verified("bjorn@example.no").await;
    login(&other, "bjorn@example.no", PASSWORD).await;
    assert_eq!(
        other
            .get(&format!("/mine-saker/sak/{reference}"))
            .await
            .status,
        404
    );
    let r = other
        .client
        .get(rig.srv.url(
            HOST,
            &format!("/skjema/innlogget-test/kvittering/{reference}/pdf"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        !other
            .get("/mine-saker")
            .await
            .html
            .text("main")
            .contains(&reference)
    );
    let mine = other.get("/mine-saker").await;
    let r = other
        .post(
            &format!("/mine-saker/utkast/{}/slett", "AAAAAAAAAAAAAAAAAAAAAA"),
            &[("csrf".into(), csrf_of(&mine.html))],
        )
        .await;
    assert_eq!(r.status, 404);
    // Bjørn starts the same form: his own empty draft, never Anne's.
    let landing = other.get("/skjema/innlogget-test").await;
    let step = other
        .post(
            "/skjema/innlogget-test/start",
            &[("csrf".into(), csrf_of(&landing.html))],
        )
        .await;
    assert_eq!(step.html.attr("#f-navn", "value").as_deref(), Some(""));
}

#[tokio::test]
async fn an_anonymous_draft_joins_the_account_only_when_the_citizen_asks() {
    let rig = rig().await;
    let (w, _) = rig.browser();
    rig.verified("tor@example.no").await;
    let step = start_and_fill(&w, "kontaktskjema", &[]).await;
    assert!(step.status == 200 || step.status == 422);
    login(&w, "tor@example.no", PASSWORD).await;
    let mine = w.get("/mine-saker").await;
    assert!(
        mine.html
            .text("main")
            .contains("Påbegynt i denne nettleseren"),
        "{}",
        mine.html.text("main")
    );
    assert!(
        !mine
            .html
            .text("main")
            .contains("Du har ingen påbegynte skjemaer")
            || mine.html.count("form[action^='/mine-saker/knytt/']") == 1
    );
    // Another device of the same account does not see it before it is attached.
    let (laptop, _) = rig.browser();
    login(&laptop, "tor@example.no", PASSWORD).await;
    assert!(
        laptop
            .get("/mine-saker")
            .await
            .html
            .text("main")
            .contains("ingen påbegynte")
    );
    let action = mine
        .html
        .attr("form[action^='/mine-saker/knytt/']", "action")
        .unwrap();
    let done = w
        .post(&action, &[("csrf".into(), csrf_of(&mine.html))])
        .await;
    assert!(
        done.html.text("main").contains("knyttet til kontoen"),
        "{}",
        done.html.text("main")
    );
    let there = laptop.get("/mine-saker").await;
    assert!(
        there.html.text("main").contains("Kontaktskjema")
            || there.html.count("a[href='/skjema/kontaktskjema']") == 1,
        "{}",
        there.html.text("main")
    );
    // Deleting it from the laptop removes it for both.
    let action = there.html.attr("form[action$='/slett']", "action").unwrap();
    let after = laptop
        .post(&action, &[("csrf".into(), csrf_of(&there.html))])
        .await;
    assert!(after.html.text("main").contains("Utkastet er slettet"));
    assert!(
        w.get("/mine-saker")
            .await
            .html
            .text("main")
            .contains("ingen påbegynte")
    );
}

#[tokio::test]
async fn forms_that_need_a_login_send_to_it_and_back_and_a_higher_level_gets_its_own_page() {
    let rig = rig().await;
    let w = rig.verified("liv@example.no").await;
    // Not logged in: the step asks for a login and returns to it.
    let r = w
        .client
        .get(rig.srv.url(HOST, "/skjema/innlogget-test/steg/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/logg-inn?til=%2Fskjema%2Finnlogget-test%2Fsteg%2F1"
    );
    let form = w
        .get("/logg-inn?til=%2Fskjema%2Finnlogget-test%2Fsteg%2F1")
        .await;
    assert_eq!(
        form.html.attr("input[name=til]", "value").as_deref(),
        Some("/skjema/innlogget-test/steg/1")
    );
    // A return path to another site is not followed.
    let evil = w.get("/logg-inn?til=https%3A%2F%2Fevil.example%2F").await;
    assert_eq!(evil.html.count("input[name=til]"), 0);
    let r = w
        .client
        .post(rig.srv.url(HOST, "/logg-inn"))
        .form(&[
            ("csrf", csrf_of(&form.html).as_str()),
            ("epost", "liv@example.no"),
            ("passord", PASSWORD),
            ("til", "/skjema/innlogget-test/steg/1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/skjema/innlogget-test/steg/1");
    // A form at level substantial: a password login cannot reach it, so neither the landing page nor
    // the pipeline asks for one (no login page that would lead nowhere), in every language.
    for (lang, says) in [
        ("nb", "innloggingen skjemaet krever"),
        ("nn", "innlogginga skjemaet krev"),
        ("en", "sign-in is not available"),
    ] {
        let r = w
            .client
            .get(rig.srv.url(HOST, "/skjema/idporten-test"))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "the landing page is public");
        let landing = crate::support::Html::parse(&r.text().await.unwrap());
        assert_eq!(landing.count(".button--start"), 0);
        let r = w
            .client
            .post(rig.srv.url(HOST, "/skjema/idporten-test/start"))
            .header("accept-language", lang)
            .form(&[("csrf", csrf_of(&landing).as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let page = crate::support::Html::parse(&r.text().await.unwrap());
        assert!(
            page.text("h1").to_lowercase().contains(says),
            "{lang}: {}",
            page.text("h1")
        );
    }
    // The low-level form's landing page says a login is needed, and has its start button.
    let landing = w.get("/skjema/innlogget-test").await;
    assert_eq!(landing.html.count(".button--start"), 1);
    assert!(landing.html.text(".notice").contains("logge inn"));
}

#[tokio::test]
async fn an_idle_login_ends_and_what_was_posted_is_kept_through_the_new_login() {
    let rig = rig().await;
    let w = rig.verified("mia@example.no").await;
    login(&w, "mia@example.no", PASSWORD).await;
    let two = start_and_fill(&w, "innlogget-test", &[("navn", "Mia")]).await;
    assert_eq!(two.status, 200);
    // Half an hour without a request: the login has ended. The citizen presses "Neste" with her
    // message typed: the login page comes back with it kept, and after the login one button sends it.
    rig.srv.running().state().clock.advance(31 * 60);
    let body = vec![
        ("csrf".to_owned(), csrf_of(&two.html)),
        ("melding".into(), "Teksten jeg skrev".into()),
    ];
    let r = w
        .client
        .post(rig.srv.url(HOST, "/skjema/innlogget-test/steg/2"))
        .form(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let page = crate::support::Html::parse(&r.text().await.unwrap());
    assert!(
        page.text("main").contains("logget ut"),
        "{}",
        page.text("main")
    );
    let kept = page.attr("input[name=bevart]", "value").unwrap();
    assert!(
        kept.contains("Teksten+jeg+skrev") || kept.contains("Teksten%20jeg%20skrev"),
        "{kept}"
    );
    let fields: Vec<(String, String)> = vec![
        ("csrf".into(), csrf_of(&page)),
        ("epost".into(), "mia@example.no".into()),
        ("passord".into(), PASSWORD.into()),
        ("til".into(), page.attr("input[name=til]", "value").unwrap()),
        (
            "bevart-til".into(),
            page.attr("input[name=bevart-til]", "value").unwrap(),
        ),
        ("bevart".into(), kept),
    ];
    let again = w.post("/logg-inn", &fields).await;
    assert_eq!(again.status, 200);
    assert_eq!(
        again
            .html
            .attr(
                "form[method=post][action='/skjema/innlogget-test/steg/2'] input[name=melding]",
                "value"
            )
            .as_deref(),
        Some("Teksten jeg skrev")
    );
    let form_fields = inputs(
        &again.html,
        "form[action='/skjema/innlogget-test/steg/2'] input[type=hidden]",
    );
    let check = w.post("/skjema/innlogget-test/steg/2", &form_fields).await;
    assert_eq!(check.status, 200);
    assert!(
        check.html.text("main").contains("Teksten jeg skrev"),
        "{}",
        check.html.text("main")
    );
}

/// `radhus demo` prints its sample citizens; each logs in on her own municipality's host and finds a
/// sent case and a draft on Mine saker (and not on the other municipality's host).
#[tokio::test]
async fn the_demo_prints_sample_citizens_who_can_log_in_and_see_their_cases() {
    crate::support::init_crypto();
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port, banner) = crate::cli::start_demo_banner(dir.path());
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let cert = std::fs::read(dir.path().join("tls/cert.pem")).unwrap();
    for (host, (_, email, password)) in [
        ("eksempel.localhost", radhus::demo::CITIZENS[0]),
        ("provestad.localhost", radhus::demo::CITIZENS[1]),
    ] {
        assert!(
            banner.contains(&format!("{email} / {password}")),
            "{banner}"
        );
        let client = crate::support::client_for(addr, &cert);
        let url = |p: &str| format!("https://{host}:{port}{p}");
        let form = crate::support::Html::parse(
            &client
                .get(url("/logg-inn"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
        let r = client
            .post(url("/logg-inn"))
            .form(&[
                ("csrf", csrf_of(&form).as_str()),
                ("epost", email),
                ("passord", password),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{host}: {}", r.text().await.unwrap());
        let mine = crate::support::Html::parse(
            &client
                .get(url("/mine-saker"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
        assert_eq!(
            mine.count("a[href^='/mine-saker/sak/']"),
            1,
            "{host}: {}",
            mine.text("main")
        );
        assert!(mine.count("form[action$='/slett']") >= 1, "{host}: a draft");
    }
    // Kari's password does not open Prøvestad (password accounts are per municipality).
    let client = crate::support::client_for(addr, &cert);
    let url = |p: &str| format!("https://provestad.localhost:{port}{p}");
    let form = crate::support::Html::parse(
        &client
            .get(url("/logg-inn"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let (_, email, password) = radhus::demo::CITIZENS[0];
    let r = client
        .post(url("/logg-inn"))
        .form(&[
            ("csrf", csrf_of(&form).as_str()),
            ("epost", email),
            ("passord", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let _ = child.kill();
    let _ = child.wait();
}

/// The profile on the account page fills the fields whose autocomplete tokens take the citizen's own
/// details; she sees and can change them. A sent case
/// starts a new draft with its answers ("use my answers from last time"), without its files.
#[tokio::test]
async fn the_profile_and_an_earlier_case_prefill_new_drafts_that_the_citizen_can_change() {
    let rig = rig().await;
    let w = rig.verified("nora@example.no").await;
    login(&w, "nora@example.no", PASSWORD).await;
    let page = w.get("/konto").await;
    let csrf = csrf_of(&page.html);
    // A bad phone number and postnummer: translated messages, nothing saved.
    let bad = w
        .post(
            "/konto/profil",
            &[
                ("csrf".into(), csrf.clone()),
                ("navn".into(), "Nora Nordmann".into()),
                ("telefon".into(), "12".into()),
                ("gate".into(), "Storgata 1".into()),
                ("postnummer".into(), "99999".into()),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.html.count(".error-summary li"),
        2,
        "{}",
        bad.html.text(".error-summary")
    );
    assert_eq!(
        bad.html.attr("#f-navn", "value").as_deref(),
        Some("Nora Nordmann"),
        "kept as typed"
    );
    let saved = w
        .post(
            "/konto/profil",
            &[
                ("csrf".into(), csrf),
                ("navn".into(), "Nora Nordmann".into()),
                ("telefon".into(), "+47 912 34 567".into()),
                ("gate".into(), "Storgata 1".into()),
                ("postnummer".into(), "3801".into()),
            ],
        )
        .await;
    assert!(saved.html.text("main").contains("Opplysningene er lagret"));
    let landing = w.get("/skjema/innlogget-test").await;
    let step = w
        .post(
            "/skjema/innlogget-test/start",
            &[("csrf".into(), csrf_of(&landing.html))],
        )
        .await;
    let value = |css: &str| step.html.attr(css, "value");
    assert_eq!(value("#f-navn").as_deref(), Some("Nora Nordmann"));
    assert_eq!(value("#f-epost").as_deref(), Some("nora@example.no"));
    assert!(
        value("#f-telefon").unwrap().contains("912"),
        "{:?}",
        value("#f-telefon")
    );
    assert_eq!(value("#f-adresse-gate").as_deref(), Some("Storgata 1"));
    assert_eq!(value("#f-adresse-postnummer").as_deref(), Some("3801"));
    assert_eq!(
        value("#f-adresse-poststed").as_deref(),
        Some("Bø i Telemark")
    );
    // She changes her name in this form; the change is what is sent.
    let body: Vec<(String, String)> = vec![
        ("csrf".into(), csrf_of(&step.html)),
        ("navn".into(), "Nora N. Nordmann".into()),
        ("telefon".into(), value("#f-telefon").unwrap()),
        ("epost".into(), "nora@example.no".into()),
        ("adresse.gate".into(), "Storgata 1".into()),
        ("adresse.postnummer".into(), "3801".into()),
        ("adresse.poststed".into(), "".into()),
    ];
    let two = w.post("/skjema/innlogget-test/steg/1", &body).await;
    assert_eq!(two.status, 200, "{}", two.html.text("main"));
    let check = w
        .post(
            "/skjema/innlogget-test/steg/2",
            &[
                ("csrf".into(), csrf_of(&two.html)),
                ("melding".into(), "Første".into()),
            ],
        )
        .await;
    let sent = w
        .post(
            "/skjema/innlogget-test/send",
            &[("csrf".into(), csrf_of(&check.html))],
        )
        .await;
    let reference = sent.html.text("#reference-id");
    // From the case: a new draft with its answers (the changed name), not the profile's.
    let case = w.get(&format!("/mine-saker/sak/{reference}")).await;
    let action = case.html.attr("form[action$='/kopier']", "action").unwrap();
    let again = w
        .post(&action, &[("csrf".into(), csrf_of(&case.html))])
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(
        again.html.attr("#f-navn", "value").as_deref(),
        Some("Nora N. Nordmann")
    );
    assert_eq!(
        again.html.attr("#f-adresse-gate", "value").as_deref(),
        Some("Storgata 1")
    );
    // Someone else's case cannot be copied.
    let other = rig.verified("per@example.no").await;
    login(&other, "per@example.no", PASSWORD).await;
    let mine = other.get("/mine-saker").await;
    let r = other
        .post(&action, &[("csrf".into(), csrf_of(&mine.html))])
        .await;
    assert_eq!(r.status, 404);
}

/// Sends the two-step test form that needs a login; returns its reference.
async fn send_logged_in_form(w: &Walk<'_>) -> String {
    let one = start_and_fill(w, "innlogget-test", &[("navn", "Tone Lie")]).await;
    assert_eq!(one.status, 200, "{}", one.html.text("main"));
    let check = w
        .post(
            "/skjema/innlogget-test/steg/2",
            &[
                ("csrf".into(), csrf_of(&one.html)),
                ("melding".into(), "Hemmelig innhold".into()),
            ],
        )
        .await;
    let sent = w
        .post(
            "/skjema/innlogget-test/send",
            &[("csrf".into(), csrf_of(&check.html))],
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.html.text("main"));
    sent.html.text("#reference-id")
}

/// The case layer's change (what the caseworker inbox will call): Mine saker shows the new status with
/// an unread count until the case is opened, the case shows the message, and the citizen gets a mail
/// in the language she sent the form in, with the reference, the status and a link, never the message
/// or her answers. A case sent without an account changes, and nobody is mailed.
#[tokio::test]
async fn a_case_change_shows_on_mine_saker_as_unread_and_mails_the_citizen_in_her_language() {
    let rig = rig().await;
    let mut w = rig.verified("tone@example.no").await;
    w.lang = "nn";
    login(&w, "tone@example.no", PASSWORD).await;
    let reference = send_logged_in_form(&w).await;
    let state = rig.srv.running().state();
    let tenant = &state.tenants[0];
    let r = radhus::ids::Reference::parse(&reference).unwrap();
    let n = rig.settled_count().await;
    let done = radhus::cases::change_case(
        &state.store,
        tenant,
        &state.config.registers,
        &r,
        (
            Some(radhus::cases::records::Status::InProgress),
            Some("Vi treng eit vedlegg til.".into()),
        ),
        state.clock.unix(),
    )
    .await
    .unwrap();
    assert_eq!(done, radhus::cases::Changed::Done { notified: true });
    state.deliveries.wake();
    let mails = rig.mails(n + 1).await;
    let mail = mails.last().unwrap();
    assert_eq!(mail["to"], "tone@example.no");
    let subject = mail["subject"].as_str().unwrap();
    assert!(
        subject.contains(&reference) && subject.contains("Saka di"),
        "{subject}"
    );
    let text = mail["text"].as_str().unwrap();
    assert!(
        text.contains("Vi ser på saka"),
        "the form's own name: {text}"
    );
    assert!(
        link_in(text).ends_with(&format!("/mine-saker/sak/{reference}")),
        "{text}"
    );
    for secret in ["Vi treng eit vedlegg", "Hemmelig innhold", "Tone Lie"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // Mine saker: the status and one unread change, until the case is opened.
    let mine = w.get("/mine-saker").await;
    assert!(
        mine.html.text("table").contains("Vi ser på saka"),
        "{}",
        mine.html.text("main")
    );
    assert_eq!(mine.html.count(".badge"), 1);
    let case = w.get(&format!("/mine-saker/sak/{reference}")).await;
    let history = case.html.text(".case-history");
    assert!(
        history.contains("Motteken") && history.contains("Vi treng eit vedlegg til."),
        "{history}"
    );
    assert_eq!(w.get("/mine-saker").await.html.count(".badge"), 0, "seen");
    // Decided: the municipality's own name.
    radhus::cases::change_case(
        &state.store,
        tenant,
        &state.config.registers,
        &r,
        (Some(radhus::cases::records::Status::Decided), None),
        state.clock.unix(),
    )
    .await
    .unwrap();
    assert!(
        w.get("/mine-saker")
            .await
            .html
            .text("table")
            .contains("Ferdig handsama")
    );
    // Nothing to change, or no such case: nothing recorded.
    let nothing = radhus::cases::change_case(
        &state.store,
        tenant,
        &state.config.registers,
        &r,
        (None, Some("  ".into())),
        0,
    )
    .await
    .unwrap();
    assert_eq!(nothing, radhus::cases::Changed::Nothing);
    let missing = radhus::ids::Reference::parse("2026-99999").unwrap();
    let none = radhus::cases::change_case(
        &state.store,
        tenant,
        &state.config.registers,
        &missing,
        (Some(radhus::cases::records::Status::Decided), None),
        0,
    )
    .await
    .unwrap();
    assert_eq!(none, radhus::cases::Changed::NoSuchCase);
    // A case sent without an account: recorded, nobody mailed.
    let (anon, _) = rig.browser();
    let reference = crate::form_run::walk(
        &anon,
        "kontaktskjema",
        &crate::form_run::example("kontaktskjema"),
    )
    .await;
    let r = radhus::ids::Reference::parse(&reference).unwrap();
    let done = radhus::cases::change_case(
        &state.store,
        tenant,
        &state.config.registers,
        &r,
        (Some(radhus::cases::records::Status::Decided), None),
        state.clock.unix(),
    )
    .await
    .unwrap();
    assert_eq!(done, radhus::cases::Changed::Done { notified: false });
}

/// The real binary's log after a refused link, a wrong password and a right one: the requests are
/// there, the token and the passwords are not.
#[tokio::test]
async fn passwords_and_tokens_never_reach_the_log() {
    use std::io::Read;
    crate::support::init_crypto();
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port, _) = crate::cli::start_demo_banner(dir.path());
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let cert = std::fs::read(dir.path().join("tls/cert.pem")).unwrap();
    let client = crate::support::client_for(addr, &cert);
    let url = |p: &str| format!("https://eksempel.localhost:{port}{p}");
    let token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";
    assert_eq!(token.len(), 43);
    let r = client
        .get(url(&format!("/konto/bekreft/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = client
        .get(url(&format!("/konto/nytt-passord/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let (_, email, password) = radhus::demo::CITIZENS[0];
    for pass in ["et-feil-passord-som-er-langt", password] {
        let form = crate::support::Html::parse(
            &client
                .get(url("/logg-inn"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
        client
            .post(url("/logg-inn"))
            .form(&[
                ("csrf", csrf_of(&form).as_str()),
                ("epost", email),
                ("passord", pass),
            ])
            .send()
            .await
            .unwrap();
    }
    drop(client);
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let _ = child.wait();
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(
        log.contains("/konto/bekreft/…"),
        "the refused link is logged, redacted: {log}"
    );
    assert!(log.contains("logged in with a password"), "{log}");
    for secret in [token, "et-feil-passord-som-er-langt", password] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
}

/// WCAG 2.2.1: a logged-in step says when the login ends and has one button that saves what was typed
/// and extends it; pressing it keeps the citizen logged in past the original end.
#[tokio::test]
async fn a_step_says_when_the_login_ends_and_one_button_saves_and_extends_it() {
    let rig = rig().await;
    let w = rig.verified("ida@example.no").await;
    login(&w, "ida@example.no", PASSWORD).await;
    let landing = w.get("/skjema/innlogget-test").await;
    let step = w
        .post(
            "/skjema/innlogget-test/start",
            &[("csrf".into(), csrf_of(&landing.html))],
        )
        .await;
    let notice = step.html.text(".idle-notice");
    assert!(notice.contains("logget ut kl."), "{notice}");
    let left: i64 = step
        .html
        .attr(".idle-notice", "data-idle-left")
        .unwrap()
        .parse()
        .unwrap();
    assert!((1700..=1800).contains(&left), "{left}");
    assert_eq!(
        step.html.attr(".idle-notice button", "form").as_deref(),
        Some("step-form"),
        "the button sends the step's own form"
    );
    // 20 minutes later she presses it with a name typed: saved unvalidated, the same step again.
    rig.srv.running().state().clock.advance(20 * 60);
    let again = w
        .post(
            "/skjema/innlogget-test/steg/1",
            &[
                ("csrf".into(), csrf_of(&step.html)),
                ("navn".into(), "Ida".into()),
                ("telefon".into(), "12".into()),
                ("handling".into(), "forleng".into()),
            ],
        )
        .await;
    assert_eq!(again.status, 200);
    assert!(again.url.ends_with("/steg/1"), "{}", again.url);
    assert_eq!(again.html.attr("#f-navn", "value").as_deref(), Some("Ida"));
    assert_eq!(again.html.count(".error-summary"), 0, "not validated");
    // 20 more minutes (40 since the start): still logged in, because the button extended it.
    rig.srv.running().state().clock.advance(20 * 60);
    assert_eq!(w.get("/mine-saker").await.status, 200);
    // And 31 minutes of nothing ends it.
    rig.srv.running().state().clock.advance(31 * 60);
    let r = w
        .client
        .get(rig.srv.url(HOST, "/mine-saker"))
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 200);
}

/// A service chain: the receipt of one form offers the next, and starting it from there carries the
/// answers the first form names into the new draft — also when the next form needs a login the
/// citizen gives on the way (what the button sent is kept through the login page). Another browser
/// holding the same reference gets a plain start.
#[tokio::test]
async fn a_receipt_starts_the_follow_up_form_with_carried_answers_through_a_login() {
    let rig = rig().await;
    rig.verified("eli@example.no").await;
    let (w, _) = rig.browser();
    let landing = w.get("/skjema/virksomhet-test").await;
    let one = w
        .post(
            "/skjema/virksomhet-test/start",
            &[("csrf".into(), csrf_of(&landing.html))],
        )
        .await;
    let two = w
        .post(
            "/skjema/virksomhet-test/steg/1",
            &[
                ("csrf".into(), csrf_of(&one.html)),
                ("orgnr".into(), "974760673".into()),
                ("virksomhet_navn".into(), "Eli sitt firma AS".into()),
            ],
        )
        .await;
    let check = w
        .post(
            "/skjema/virksomhet-test/steg/2",
            &[("csrf".into(), csrf_of(&two.html))],
        )
        .await;
    let receipt = w
        .post(
            "/skjema/virksomhet-test/send",
            &[("csrf".into(), csrf_of(&check.html))],
        )
        .await;
    assert_eq!(receipt.status, 200, "{}", receipt.html.text("main"));
    let form = "form[action='/skjema/innlogget-test/start']";
    assert_eq!(receipt.html.count(form), 1, "{}", receipt.html.text("main"));
    let body: Vec<(String, String)> = inputs(&receipt.html, &format!("{form} input"));
    // Not logged in: the login page keeps what the button sent; after the login it is sent again.
    let r = w
        .client
        .post(rig.srv.url(HOST, "/skjema/innlogget-test/start"))
        .form(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let page = crate::support::Html::parse(&r.text().await.unwrap());
    let fields = vec![
        ("csrf".to_owned(), csrf_of(&page)),
        ("epost".into(), "eli@example.no".into()),
        ("passord".into(), PASSWORD.into()),
        (
            "bevart-til".into(),
            page.attr("input[name=bevart-til]", "value").unwrap(),
        ),
        (
            "bevart".into(),
            page.attr("input[name=bevart]", "value").unwrap(),
        ),
    ];
    let again = w.post("/logg-inn", &fields).await;
    let resend = inputs(
        &again.html,
        "form[action='/skjema/innlogget-test/start'] input",
    );
    let step = w.post("/skjema/innlogget-test/start", &resend).await;
    assert_eq!(step.status, 200, "{}", step.html.text("main"));
    assert_eq!(
        step.html.attr("#f-navn", "value").as_deref(),
        Some("Eli sitt firma AS")
    );
    assert_eq!(
        step.html.attr("#f-epost", "value").as_deref(),
        Some("eli@example.no"),
        "prefill fills the rest"
    );
    // Another citizen with the same reference: a plain start, nothing of Eli's.
    let other = rig.verified("tor@example.no").await;
    login(&other, "tor@example.no", PASSWORD).await;
    let landing = other.get("/skjema/innlogget-test").await;
    let mut body = body;
    for (k, v) in body.iter_mut() {
        if k == "csrf" {
            *v = csrf_of(&landing.html);
        }
    }
    let theirs = other.post("/skjema/innlogget-test/start", &body).await;
    assert_eq!(theirs.html.attr("#f-navn", "value").as_deref(), Some(""));
}

/// The names and values of the inputs `css` selects (a form to send again as it is).
fn inputs(html: &crate::support::Html, css: &str) -> Vec<(String, String)> {
    html.0
        .select(&scraper::Selector::parse(css).unwrap())
        .map(|e| {
            (
                e.value().attr("name").unwrap().to_owned(),
                e.value().attr("value").unwrap_or("").to_owned(),
            )
        })
        .collect()
}
