//! Register lookups against a local HTTP server that answers in the registers' documented formats:
//! Enhetsregisteret's `enheter/<orgnr>`, the Folkeregister person document, KRR's `personer`. Each
//! adapter on its own, then through the server: an organisation's name filled from its number, a
//! draft prefilled from the population and contact registers after an ID-porten login, a protected
//! address never prefilled, and a register that is slow or down never holding a form up.

use std::sync::Arc;
use std::time::Duration;

use crate::form_run::{HOST, Walk};
use crate::support::{TestServer, client_with_jar, csrf_of};

const KARI: &str = "10915596784";
/// Strictly confidential address in the population register; reserved in the contact register.
const OLA: &str = "05910298382";

/// The registers' answers, as their APIs document them.
async fn registers() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(
                    |req: hyper::Request<hyper::body::Incoming>| async move {
                        use http_body_util::BodyExt;
                        let path = req.uri().path().to_owned();
                        let auth = req
                            .headers()
                            .get("authorization")
                            .map(|v| v.to_str().unwrap().to_owned());
                        let body = req.into_body().collect().await.unwrap().to_bytes();
                        let (status, json) = answer(&path, auth.as_deref(), &body).await;
                        Ok::<_, std::convert::Infallible>(
                            hyper::Response::builder()
                                .status(status)
                                .header("content-type", "application/json")
                                .body(http_body_util::Full::new(bytes::Bytes::from(json)))
                                .unwrap(),
                        )
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    port
}

async fn answer(path: &str, auth: Option<&str>, body: &[u8]) -> (u16, String) {
    match path {
        "/enhetsregisteret/api/enheter/974760673" => (
            200,
            serde_json::json!({
                "organisasjonsnummer": "974760673",
                "navn": "REGISTERENHETEN I BRØNNØYSUND",
                "organisasjonsform": { "kode": "ORGL", "beskrivelse": "Organisasjonsledd" },
                "forretningsadresse": { "land": "Norge", "adresse": ["Havnegata 48"], "postnummer": "8900", "poststed": "BRØNNØYSUND", "kommune": "BRØNNØY" }
            })
            .to_string(),
        ),
        // A unit that was deleted.
        "/enhetsregisteret/api/enheter/988077917" => (410, "{}".into()),
        // Too slow.
        "/enhetsregisteret/api/enheter/889640782" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            (200, "{}".into())
        }
        p if p.starts_with("/folkeregisteret/personer/") => {
            if auth != Some("Bearer freg-token") {
                return (401, "{}".into());
            }
            let protected = p.ends_with(OLA);
            let mut doc = serde_json::json!({
                "navn": [{ "fornavn": "Kari", "mellomnavn": null, "etternavn": "Nordmann", "erGjeldende": true }],
                "bostedsadresse": [{ "erGjeldende": true, "vegadresse": {
                    "adressenavn": "Storgata", "adressenummer": { "husnummer": "12", "husbokstav": "B" },
                    "poststed": { "postnummer": "3801", "poststedsnavn": "BØ I TELEMARK" } } }],
                "adressebeskyttelse": []
            });
            if protected {
                doc["navn"][0]["fornavn"] = "Ola".into();
                doc["adressebeskyttelse"] = serde_json::json!([{ "gradering": "strengtFortrolig", "erGjeldende": true }]);
            }
            (200, doc.to_string())
        }
        "/krr/rest/v1/personer" => {
            let asked: serde_json::Value = serde_json::from_slice(body).unwrap();
            let fnr = asked["personidentifikatorer"][0].as_str().unwrap().to_owned();
            let reserved = fnr == OLA;
            (
                200,
                serde_json::json!({ "personer": [{
                    "personidentifikator": fnr,
                    "reservasjon": if reserved { "JA" } else { "NEI" },
                    "status": "AKTIV",
                    "kontaktinformasjon": { "epostadresse": "kari.krr@example.no", "mobiltelefonnummer": "+4791234567" }
                }] })
                .to_string(),
            )
        }
        _ => (404, "{}".into()),
    }
}

fn config(port: u16) -> radhus::config::RegistersConfig {
    let reg = |p: &str, token: Option<&str>| {
        Some(radhus::config::RegisterConfig {
            url: format!("http://127.0.0.1:{port}/{p}"),
            token: token.map(str::to_owned),
        })
    };
    radhus::config::RegistersConfig {
        organisations: reg("enhetsregisteret/api", None),
        population: reg("folkeregisteret", Some("freg-token")),
        contact: reg("krr", None),
        timeout: Duration::from_millis(700),
    }
}

// The adapters block (ureq): the register server needs a thread of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_adapter_reads_its_registers_documented_answer() {
    let port = registers().await;
    let cfg = config(port);
    let t = Duration::from_secs(2);
    let org = radhus::registers::organisation(cfg.organisations.as_ref().unwrap(), "974760673", t)
        .unwrap()
        .unwrap();
    assert_eq!(org.name, "REGISTERENHETEN I BRØNNØYSUND");
    assert_eq!(org.form, Some(("ORGL".into(), "Organisasjonsledd".into())));
    assert_eq!(org.address.unwrap().postnummer, "8900");
    assert_eq!(
        radhus::registers::organisation(cfg.organisations.as_ref().unwrap(), "988077917", t)
            .unwrap(),
        None,
        "deleted"
    );
    let kari = radhus::registers::person(cfg.population.as_ref().unwrap(), KARI, t)
        .unwrap()
        .unwrap();
    assert_eq!(kari.name.as_deref(), Some("Kari Nordmann"));
    assert_eq!(kari.address.as_ref().unwrap().street, "Storgata 12B");
    assert!(kari.address_may_prefill());
    let ola = radhus::registers::person(cfg.population.as_ref().unwrap(), OLA, t)
        .unwrap()
        .unwrap();
    assert_eq!(
        ola.protection,
        radhus::registers::Protection::StrictlyConfidential
    );
    assert_eq!(ola.address, None, "not even read out of the answer");
    assert!(!ola.address_may_prefill());
    // Without its token the population register refuses: an error, not a person.
    let no_token = radhus::config::RegisterConfig {
        url: cfg.population.as_ref().unwrap().url.clone(),
        token: None,
    };
    assert!(radhus::registers::person(&no_token, KARI, t).is_err());
    let c = radhus::registers::contact(cfg.contact.as_ref().unwrap(), KARI, t)
        .unwrap()
        .unwrap();
    assert_eq!(c.email.as_deref(), Some("kari.krr@example.no"));
    assert!(!c.reserved);
    assert!(
        radhus::registers::contact(cfg.contact.as_ref().unwrap(), OLA, t)
            .unwrap()
            .unwrap()
            .reserved
    );
}

async fn server(port: u16) -> (TestServer, crate::oidc::Peer) {
    let op_port = crate::support::free_port();
    let srv = TestServer::start_with(|c| {
        c.registers = config(port);
        c.oidc = vec![crate::oidc::provider_config(op_port)];
        c.tenants[0].forms_dir = Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/login-forms"),
        );
    })
    .await;
    let peer = crate::oidc::Peer::start(op_port, srv.addr.port(), "k1").await;
    (srv, peer)
}

fn browser(srv: &TestServer) -> Walk<'_> {
    Walk {
        srv,
        client: client_with_jar(
            srv.addr,
            &srv.cert_pem,
            Arc::new(reqwest::cookie::Jar::default()),
        ),
        lang: "nb",
        host: HOST,
    }
}

#[tokio::test]
async fn an_organisation_number_fills_its_name_and_a_slow_register_holds_nothing_up() {
    let port = registers().await;
    let (srv, _peer) = server(port).await;
    let w = browser(&srv);
    for (orgnr, name, slow) in [
        ("974 760 673", "REGISTERENHETEN I BRØNNØYSUND", false),
        ("988077917", "", false),
        ("889640782", "", true),
    ] {
        let landing = w.get("/skjema/virksomhet-test").await;
        let step = w
            .post(
                "/skjema/virksomhet-test/start",
                &[("csrf".into(), csrf_of(&landing.html))],
            )
            .await;
        let started = std::time::Instant::now();
        let next = w
            .post(
                "/skjema/virksomhet-test/steg/1",
                &[
                    ("csrf".into(), csrf_of(&step.html)),
                    ("orgnr".into(), orgnr.into()),
                    ("virksomhet_navn".into(), "".into()),
                ],
            )
            .await;
        assert_eq!(next.status, 200, "{}", next.html.text("main"));
        if slow {
            assert!(
                started.elapsed() < Duration::from_secs(3),
                "{:?}",
                started.elapsed()
            );
        }
        let back = w.get("/skjema/virksomhet-test/steg/1").await;
        assert_eq!(
            back.html.attr("#f-virksomhet_navn", "value").as_deref(),
            Some(name),
            "{orgnr}"
        );
    }
    // A name the citizen typed is hers.
    let step = w.get("/skjema/virksomhet-test/steg/1").await;
    w.post(
        "/skjema/virksomhet-test/steg/1",
        &[
            ("csrf".into(), csrf_of(&step.html)),
            ("orgnr".into(), "974760673".into()),
            ("virksomhet_navn".into(), "Brønnøysundregistrene".into()),
        ],
    )
    .await;
    let back = w.get("/skjema/virksomhet-test/steg/1").await;
    assert_eq!(
        back.html.attr("#f-virksomhet_navn", "value").as_deref(),
        Some("Brønnøysundregistrene")
    );
}

/// Logs in through the provider as `who` and starts the test form at level substantial.
async fn start_logged_in<'s>(srv: &'s TestServer, who: &str) -> (Walk<'s>, crate::support::Html) {
    let w = browser(srv);
    let hint = format!("&login_hint={who}");
    let back =
        crate::oidc::through_provider(&w, &[("niva", "substantial")], |u| format!("{u}{hint}"))
            .await;
    assert_eq!(crate::oidc::come_back(&w, &back).await.0, 303);
    let landing = w.get("/skjema/idporten-test").await;
    let step = w
        .post(
            "/skjema/idporten-test/start",
            &[("csrf".into(), csrf_of(&landing.html))],
        )
        .await;
    assert_eq!(step.status, 200, "{}", step.html.text("main"));
    (w, step.html)
}

#[tokio::test]
async fn the_registers_prefill_an_id_porten_draft_and_a_protected_address_never() {
    let port = registers().await;
    let (srv, _peer) = server(port).await;
    let (_, page) = start_logged_in(&srv, "kari").await;
    let v = |css: &str| page.attr(css, "value").unwrap_or_default();
    assert_eq!(v("#f-navn"), "Kari Nordmann");
    assert_eq!(v("#f-fnr"), KARI);
    assert_eq!(v("#f-epost"), "kari.krr@example.no");
    assert!(v("#f-telefon").contains("91234567"), "{}", v("#f-telefon"));
    assert_eq!(v("#f-adresse-gate"), "Storgata 12B");
    assert_eq!(v("#f-adresse-postnummer"), "3801");
    // Strictly confidential address and reserved from digital contact: the name only.
    let (_, page) = start_logged_in(&srv, "ola").await;
    let v = |css: &str| page.attr(css, "value").unwrap_or_default();
    assert_eq!(v("#f-navn"), "Ola Nordmann");
    assert_eq!(v("#f-adresse-gate"), "");
    assert_eq!(v("#f-adresse-postnummer"), "");
    assert_eq!(v("#f-epost"), "");
    assert_eq!(v("#f-telefon"), "");
    let body = page.0.html();
    assert!(
        !body.contains("Storgata"),
        "the protected address is nowhere in the page"
    );
}

#[tokio::test]
async fn registers_that_are_down_leave_the_form_as_it_would_be_without_them() {
    // Nothing listens at the registers' port.
    let (srv, _peer) = server(crate::support::free_port()).await;
    let started = std::time::Instant::now();
    let (_, page) = start_logged_in(&srv, "kari").await;
    assert!(started.elapsed() < Duration::from_secs(8));
    assert_eq!(page.attr("#f-fnr", "value").as_deref(), Some(KARI));
    assert_eq!(page.attr("#f-navn", "value").as_deref(), Some(""));
}

/// A citizen who logged in only through ID-porten has no address with her account: a change of her
/// case is noticed to the contact register's address, and to nobody when she has reserved herself.
#[tokio::test]
async fn a_case_change_is_noticed_to_the_contact_registers_address_unless_reserved() {
    let port = registers().await;
    let (srv, _peer) = server(port).await;
    let state = srv.running().state();
    for (who, expect) in [("kari", Some("kari.krr@example.no")), ("ola", None)] {
        let (w, page) = start_logged_in(&srv, who).await;
        let two = w
            .post(
                "/skjema/idporten-test/steg/1",
                &[
                    ("csrf".into(), csrf_of(&page)),
                    ("navn".into(), "Navn Navnesen".into()),
                ],
            )
            .await;
        let check = w
            .post(
                "/skjema/idporten-test/steg/2",
                &[
                    ("csrf".into(), csrf_of(&two.html)),
                    ("melding".into(), "Hei".into()),
                ],
            )
            .await;
        let sent = w
            .post(
                "/skjema/idporten-test/send",
                &[("csrf".into(), csrf_of(&check.html))],
            )
            .await;
        assert_eq!(sent.status, 200, "{who}: {}", sent.html.text("main"));
        let r = radhus::ids::Reference::parse(&sent.html.text("#reference-id")).unwrap();
        let done = radhus::cases::change_case(
            &state.store,
            &state.tenants[0],
            &state.config.registers,
            &r,
            (Some(radhus::cases::records::Status::InProgress), None),
            state.clock.unix(),
        )
        .await
        .unwrap();
        assert_eq!(
            done,
            radhus::cases::Changed::Done {
                notified: expect.is_some()
            },
            "{who}"
        );
        let rows = state
            .store
            .tenant(&state.tenants[0].config.id)
            .outbox_rows(&r)
            .unwrap();
        let notice: Vec<_> = rows
            .iter()
            .filter(|row| matches!(row.target, radhus::ids::Target::Notice(_)))
            .map(|row| row.to.clone())
            .collect();
        match expect {
            Some(address) => assert_eq!(notice, [Some(address.to_owned())], "{who}"),
            None => assert!(notice.is_empty(), "{who}: {notice:?}"),
        }
    }
}
