//! PDFs and the delivery targets besides the archive, against real peers: the receipt's PDF download and
//! the blank paper form (read back with pdftotext/pdfinfo); an HTTP receiver started here that checks
//! the signature and fails once; Python's aiosmtpd with STARTTLS and AUTH for the functional mailbox and
//! the citizen's receipt copy, the messages read back with Python's own MIME parser.

use std::path::Path;
use std::time::Duration;

use radhus::cases::records::OutboxState;

use crate::delivery::pdftotext;
use crate::form_run::{HOST, Walk, example, walk};
use crate::support::{TestServer, csrf_of, smtp_peer};

fn pdfinfo(file: &Path) -> String {
    let out = std::process::Command::new("pdfinfo")
        .arg(file)
        .output()
        .expect("pdfinfo (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn row_state(srv: &TestServer, reference: &str, target: &str) -> Option<OutboxState> {
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    srv.running()
        .state()
        .store
        .tenant(&tenant)
        .outbox_rows(&crate::support::rf(reference))
        .unwrap()
        .into_iter()
        .find(|r| r.target.to_string() == target)
        .map(|r| r.state)
}

async fn wait_delivered(srv: &TestServer, reference: &str, target: &str) -> String {
    for _ in 0..600 {
        if let Some(OutboxState::Delivered { proof, .. }) = row_state(srv, reference, target).await
        {
            return proof;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{target} of {reference} not delivered: {:?}",
        row_state(srv, reference, target).await
    );
}

#[tokio::test]
async fn the_receipt_offers_its_pdf_and_every_form_a_blank_pdf() {
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "nn", HOST);
    let reference = walk(&w, "barnehage-soknad", &example("barnehage-soknad")).await;
    let receipt = w
        .get(&format!("/skjema/barnehage-soknad/kvittering/{reference}"))
        .await;
    let href = receipt
        .html
        .attr("a[href$='/pdf']", "href")
        .expect("a PDF link on the receipt");
    let r = w.client.get(srv.url(HOST, &href)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("barnehage-soknad-{reference}.pdf"))
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kvittering.pdf");
    std::fs::write(&file, r.bytes().await.unwrap()).unwrap();
    let text = pdftotext(&file);
    assert!(
        text.contains(&reference) && text.contains("Kari Nordli"),
        "{text}"
    );
    assert!(text.contains("Særlege behov"), "nynorsk labels: {text}");
    assert!(
        text.contains("uttalelse-allergi.pdf"),
        "the attachment is listed"
    );
    let info = pdfinfo(&file);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("Author:          Eksempel kommune"), "{info}");
    assert!(!info.contains("1970"), "{info}");
    // The same bytes as the archived copy.
    let archived = srv
        .data_dir()
        .join(format!("archive/eksempel/{reference}/submission.pdf"));
    wait_delivered(&srv, &reference, "archive").await;
    assert_eq!(
        std::fs::read(&archived).unwrap(),
        std::fs::read(&file).unwrap()
    );
    // Another session gets nothing.
    let other = srv.client();
    let r = other.get(srv.url(HOST, &href)).send().await.unwrap();
    assert_eq!(r.status(), 404);

    // The blank form, linked from the landing page, in the page's language.
    for (lang, label) in [
        ("nb", "Barnets fødselsnummer"),
        ("en", "Child's national identity number"),
    ] {
        let w = Walk::new(&srv, lang, HOST);
        let landing = w.get("/skjema/barnehage-soknad").await;
        let href = landing
            .html
            .attr("a[href$='blankett.pdf']", "href")
            .expect("a blank-form link on the landing page");
        let r = w
            .client
            .get(srv.url(HOST, &href))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let file = dir.path().join(format!("blank-{lang}.pdf"));
        std::fs::write(&file, r.bytes().await.unwrap()).unwrap();
        let text = pdftotext(&file);
        assert!(text.contains(label), "{lang}: {text}");
        assert!(pdfinfo(&file).contains("Pages:"), "{lang}");
    }
}

/// Page 1 of `file` as pixels at 144 dpi (2 pixels per point), drawn by poppler's pdftoppm:
/// width, height and RGB bytes.
fn rasterise_first_page(file: &Path) -> (usize, usize, Vec<u8>) {
    let prefix = file.with_extension("page1");
    let out = std::process::Command::new("pdftoppm")
        .args(["-r", "144", "-f", "1", "-l", "1", "-singlefile"])
        .arg(file)
        .arg(&prefix)
        .output()
        .expect("pdftoppm (poppler-utils)");
    assert!(
        out.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ppm = std::fs::read(prefix.with_extension("page1.ppm")).unwrap();
    // "P6", width, height, max value, each followed by one whitespace byte, then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        let start = at;
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[start..at]).into_owned());
        at += 1;
    }
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P6", "255"));
    let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, ppm[at..].to_vec())
}

/// The colour of the pixel where the logo's viewBox point (`x`, `y`) lands: the logo is 40 pt tall
/// with its top left corner at the 20 mm margins, and both shipped logos have a 64 × 72 viewBox.
fn logo_pixel(page: &(usize, usize, Vec<u8>), x: f32, y: f32) -> [u8; 3] {
    let margin = 20.0 * 72.0 / 25.4;
    let scale = 40.0 / 72.0;
    let px = (2.0 * (margin + x * scale)).round() as usize;
    let py = (2.0 * (margin + y * scale)).round() as usize;
    let i = 3 * (py * page.0 + px);
    [page.2[i], page.2[i + 1], page.2[i + 2]]
}

#[tokio::test]
async fn pdfs_carry_the_municipalitys_own_logo() {
    let srv = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    for host in ["eksempel.localhost", "provestad.localhost"] {
        let r = srv
            .client()
            .get(srv.url(host, "/skjema/kontaktskjema/blankett.pdf"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{host}");
        let file = dir.path().join(format!("{host}.pdf"));
        std::fs::write(&file, r.bytes().await.unwrap()).unwrap();
        pages.push(rasterise_first_page(&file));
    }
    let (eksempel, provestad) = (&pages[0], &pages[1]);
    let white = [0xff, 0xff, 0xff];
    let probes = [
        // The default theme: a blue shield with a yellow roof.
        (eksempel, 8.0, 40.0, [0x1b, 0x5f, 0xa8], "eksempel shield"),
        (eksempel, 32.0, 20.0, [0xff, 0xd3, 0x3d], "eksempel roof"),
        // Prøvestad: a green shield (drawn through <use>), light waves clipped to the shield.
        (provestad, 8.0, 20.0, [0x0b, 0x61, 0x59], "provestad shield"),
        (provestad, 32.0, 62.0, [0x8f, 0xd8, 0xc8], "provestad waves"),
        (
            provestad,
            10.0,
            66.0,
            white,
            "provestad waves outside the shield, clipped away",
        ),
    ];
    for (page, x, y, want, what) in probes {
        let got = logo_pixel(page, x, y);
        let close = got.iter().zip(want).all(|(g, w)| g.abs_diff(w) <= 12);
        assert!(close, "{what}: pixel {got:?}, expected about {want:?}");
    }
    // The header text moved beside the logo is still there.
    let text = pdftotext(&dir.path().join("provestad.localhost.pdf"));
    assert!(text.contains("Prøvestad kommune"), "{text}");
}

const SECRET: &str = "a-shared-secret-of-at-least-32-characters";

/// A test server whose first tenant also delivers to an HTTP target "saksystem" on `port`.
async fn with_http_target(
    port: u16,
    tweak: impl FnOnce(&mut radhus::config::Config),
) -> TestServer {
    TestServer::start_with(|c| {
        c.tenants[0].targets.push(radhus::config::TargetConfig {
            name: "saksystem".into(),
            all_forms: true,
            kind: radhus::config::TargetKind::Http(radhus::config::targets::HttpTarget {
                url: format!("http://127.0.0.1:{port}/inn"),
                secret: SECRET.as_bytes().to_vec(),
                ca_pem: None,
                timeout: Duration::from_secs(10),
            }),
        });
        tweak(c);
    })
    .await
}

/// Fills in and sends `form` with its example answers in bokmål; returns the reference.
async fn submit(srv: &TestServer, form: &str) -> String {
    let w = Walk::new(srv, "nb", HOST);
    walk(&w, form, &example(form)).await
}

#[tokio::test]
async fn a_delivery_gives_up_after_the_configured_number_of_attempts() {
    // Always 503; two attempts allowed: the first, and one more after the first wait (10 s ± 20 %).
    let (port, seen) = crate::support::http_receiver(|_| 503).await;
    let srv = with_http_target(port, |c| c.limits.delivery_attempts = 2).await;
    let reference = submit(&srv, "kontaktskjema").await;
    let mut state = None;
    for _ in 0..600 {
        state = row_state(&srv, &reference, "saksystem").await;
        if matches!(state, Some(OutboxState::Failed { .. })) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    match state {
        Some(OutboxState::Failed {
            attempts,
            last_error,
        }) => {
            assert_eq!(attempts, 2);
            assert!(last_error.contains("503"), "{last_error}");
        }
        other => panic!("expected failed after 2 attempts, got {other:?}"),
    }
    assert_eq!(seen.lock().unwrap().len(), 2, "no attempt after giving up");
}

#[tokio::test]
async fn the_http_target_gets_a_signed_envelope_and_is_retried_after_a_5xx() {
    // 503 to the first request, then 201.
    let (port, seen) = crate::support::http_receiver(|n| if n == 1 { 503 } else { 201 }).await;
    let srv = with_http_target(port, |_| {}).await;
    assert_eq!(
        srv.running().state().config.tenants[0].id.as_str(),
        "eksempel"
    );
    let reference = submit(&srv, "barnehage-soknad").await;
    // The first answer is 503: the row waits for a retry, visible as failing.
    for _ in 0..200 {
        if matches!(
            row_state(&srv, &reference, "saksystem").await,
            Some(OutboxState::Failing { .. })
        ) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let s = row_state(&srv, &reference, "saksystem").await.unwrap();
    assert!(format!("{s:?}").contains("503"), "{s:?}");
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    srv.running()
        .state()
        .store
        .tenant(&tenant)
        .retry_deliveries(&crate::support::rf(&reference))
        .await
        .unwrap();
    srv.running().state().deliveries.wake();
    let proof = wait_delivered(&srv, &reference, "saksystem").await;
    assert!(proof.contains("201"), "{proof}");
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 2);
    for (headers, body) in &requests {
        // The receiver's check, as docs/http-target.md tells receivers to do it.
        let ts = headers["x-radhus-timestamp"].to_str().unwrap();
        use hmac::Mac;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(ts.as_bytes());
        mac.update(b".");
        mac.update(body);
        let want: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            headers["x-radhus-signature"],
            format!("sha256={want}").as_str()
        );
        assert_eq!(
            headers["idempotency-key"],
            format!("eksempel/{reference}/saksystem").as_str()
        );
    }
    assert_eq!(requests[0].1, requests[1].1, "the same envelope both times");
    let env: serde_json::Value = serde_json::from_slice(&requests[1].1).unwrap();
    assert_eq!(env["reference"], reference.as_str());
    let files = env["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"submission.pdf") && names.contains(&"manifest.json"),
        "{names:?}"
    );
    let att = files
        .iter()
        .find(|f| f["name"] == "attachments/1-uttalelse-allergi.pdf")
        .expect("the attachment is in the envelope");
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(att["content_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        bytes,
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("forms/examples/uttalelse-allergi.pdf")
        )
        .unwrap()
    );
    assert_eq!(att["content_type"], "application/pdf");
}

/// The test SMTP peer as the appliance reaches it: STARTTLS with the peer's certificate as the CA, AUTH.
pub fn smtp_of(peer: &crate::support::SmtpPeer) -> radhus::config::targets::SmtpConfig {
    radhus::config::targets::SmtpConfig {
        security: radhus::config::targets::SmtpSecurity::StartTls,
        username: Some("radhus".into()),
        password: Some("hemmelig-passord".into()),
        ca_pem: Some(peer.cert_pem.clone().into_bytes()),
        timeout: Duration::from_secs(20),
        ..smtp_on(peer.port)
    }
}

/// A plain SMTP relay on loopback at `port`, as Eksempel kommune's sender.
pub fn smtp_on(port: u16) -> radhus::config::targets::SmtpConfig {
    radhus::config::targets::SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security: radhus::config::targets::SmtpSecurity::None,
        username: None,
        password: None,
        from: "Eksempel kommune <noreply@eksempel.example>".into(),
        ca_pem: None,
        timeout: Duration::from_secs(5),
    }
}

/// The functional mailbox target "postmottak", for every form.
fn mailbox() -> radhus::config::TargetConfig {
    radhus::config::TargetConfig {
        name: "postmottak".into(),
        all_forms: true,
        kind: radhus::config::TargetKind::Email {
            to: "postmottak@eksempel.example".into(),
        },
    }
}

pub async fn parse_eml(path: &Path) -> serde_json::Value {
    const SCRIPT: &str = r#"
import email, email.policy, hashlib, json, sys
msg = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
atts = [{"filename": p.get_filename(), "content_type": p.get_content_type(),
         "sha256": hashlib.sha256(p.get_content()).hexdigest()} for p in msg.iter_attachments()]
body = msg.get_body(preferencelist=("plain",))
print(json.dumps({"subject": msg["subject"], "to": str(msg["to"]), "message_id": msg["message-id"],
                  "text": body.get_content(), "attachments": atts}))
"#;
    let out = tokio::process::Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(path)
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn the_mailbox_target_and_the_receipt_copy_arrive_by_smtp_with_starttls_and_auth() {
    let peer = smtp_peer().await;
    let smtp = smtp_of(&peer);
    let srv = TestServer::start_with(|c| {
        c.smtp = Some(smtp);
        c.tenants[0].targets.push(mailbox());
    })
    .await;
    let w = Walk::new(&srv, "nb", HOST);
    let reference = walk(&w, "barnehage-soknad", &example("barnehage-soknad")).await;
    wait_delivered(&srv, &reference, "postmottak").await;
    // The citizen asks for a copy on the receipt page; a wrong address first.
    let receipt = w
        .get(&format!("/skjema/barnehage-soknad/kvittering/{reference}"))
        .await;
    let action = receipt
        .html
        .attr("form[action$='/epost']", "action")
        .unwrap();
    let bad = w
        .post(
            &action,
            &[
                ("csrf".into(), csrf_of(&receipt.html)),
                ("epost".into(), "kari.example.no".into()),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.html.text(".field__error").contains("@"),
        "{}",
        bad.html.text(".field__error")
    );
    let ok = w
        .post(
            &action,
            &[
                ("csrf".into(), csrf_of(&bad.html)),
                ("epost".into(), "kari@example.no".into()),
            ],
        )
        .await;
    assert_eq!(ok.status, 200);
    assert!(
        ok.html.text(".notice").contains("kari@example.no"),
        "{}",
        ok.html.text("main")
    );
    // First a mail that asks the address to confirm: fixed text and a link, nothing of the answers.
    wait_delivered(&srv, &reference, "kvittering-bekreft-1").await;
    let mut mails = vec![];
    for n in 1..=2 {
        let env = std::fs::read_to_string(peer.out.join(format!("{n:04}.env"))).unwrap();
        assert!(
            env.contains("auth=True") && env.contains("tls=True"),
            "{env}"
        );
        mails.push(parse_eml(&peer.out.join(format!("{n:04}.eml"))).await);
    }
    let archive = &mails[0];
    assert_eq!(archive["to"], "postmottak@eksempel.example");
    assert!(archive["subject"].as_str().unwrap().contains(&reference));
    let names: Vec<&str> = archive["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["filename"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"submission.pdf") && names.contains(&"1-uttalelse-allergi.pdf"),
        "{names:?}"
    );
    assert_eq!(
        archive["message_id"],
        format!("<eksempel.{reference}.postmottak@radhus>").as_str()
    );
    let confirm = &mails[1];
    assert_eq!(confirm["to"], "kari@example.no");
    assert!(confirm["attachments"].as_array().unwrap().is_empty());
    let text = confirm["text"].as_str().unwrap().to_owned();
    let answers = example("barnehage-soknad");
    assert_no_answers(&text, &answers);
    // Asking again within the hour sends nothing more.
    let receipt = w
        .get(&format!("/skjema/barnehage-soknad/kvittering/{reference}"))
        .await;
    let again = w
        .post(
            &action,
            &[
                ("csrf".into(), csrf_of(&receipt.html)),
                ("epost".into(), "ola@example.no".into()),
            ],
        )
        .await;
    assert_eq!(again.status, 422);
    assert!(again.html.text(".field__error").contains("siste timen"));
    // The link, opened in another browser (a phone's mail app): it shows a button, and sends nothing
    // until the button is pressed.
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with("https://"))
        .unwrap()
        .to_owned();
    let port_at = link.find(".localhost:").unwrap() + ".localhost:".len();
    let path_at = link[port_at..].find('/').unwrap() + port_at;
    let phone = Walk::new(&srv, "nb", HOST);
    let page = phone.get(&link[path_at..]).await;
    assert_eq!(page.status, 200, "{}", page.html.text("main"));
    assert!(page.html.text("main").contains("kari@example.no"));
    assert!(
        !peer.out.join("0003.eml").exists(),
        "following the link alone sent nothing"
    );
    // A link changed by hand does not work.
    let forged = link[path_at..].replace("kari%40example.no", "ola%40example.no");
    assert_eq!(phone.get(&forged).await.status, 400);
    let action = page.html.attr("main form[method=post]", "action").unwrap();
    let sent = phone
        .post(&action, &[("csrf".into(), csrf_of(&page.html))])
        .await;
    assert_eq!(sent.status, 200);
    assert!(sent.html.text(".notice").contains("kari@example.no"));
    wait_delivered(&srv, &reference, "kvittering-1").await;
    let copy = parse_eml(&peer.out.join("0003.eml")).await;
    assert_eq!(copy["to"], "kari@example.no");
    assert!(
        copy["subject"]
            .as_str()
            .unwrap()
            .starts_with("Kvittering: Søk om barnehageplass"),
        "{}",
        copy["subject"]
    );
    let text = copy["text"].as_str().unwrap();
    assert!(text.contains(&reference));
    assert!(copy["attachments"].as_array().unwrap().is_empty(), "no PDF");
    assert_no_answers(text, &answers);
    // Once is enough: pressing again within the hour sends no second copy.
    let twice = phone
        .post(&action, &[("csrf".into(), csrf_of(&sent.html))])
        .await;
    assert_eq!(twice.status, 429);
}

/// No typed answer (a name, a fødselsnummer, an address, a free text) appears in a mail's text.
fn assert_no_answers(
    text: &str,
    answers: &std::collections::BTreeMap<String, radhus::forms::answers::Answer>,
) {
    for (k, a) in answers {
        for v in a.values() {
            // Short values (ja/nei, a choice, a number) may appear by chance; what identifies does not.
            if v.chars().count() >= 8 && !k.starts_with("__") {
                assert!(
                    !text.contains(v),
                    "the answer {k} = {v:?} is in the mail:\n{text}"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_hanging_receiver_and_a_mailbox_that_is_down_never_hold_back_the_archive() {
    // An HTTP receiver that accepts connections and never answers, and a mailbox nobody listens on.
    let hang = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = hang.local_addr().unwrap().port();
    let held = std::sync::Arc::new(std::sync::Mutex::new(vec![]));
    let h2 = held.clone();
    tokio::spawn(async move {
        while let Ok((s, _)) = hang.accept().await {
            h2.lock().unwrap().push(s);
        }
    });
    let closed = crate::support::free_port();
    let srv = with_http_target(port, |c| {
        c.smtp = Some(smtp_on(closed));
        c.tenants[0].targets.push(mailbox());
    })
    .await;
    let mut refs = vec![];
    for _ in 0..10 {
        refs.push(submit(&srv, "kontaktskjema").await);
    }
    // Every submission reaches the archive while the receiver hangs and the mailbox is down.
    for r in &refs {
        wait_delivered(&srv, r, "archive").await;
    }
    for r in &refs {
        assert!(
            !matches!(
                row_state(&srv, r, "saksystem").await,
                Some(OutboxState::Delivered { .. })
            ),
            "the hanging receiver cannot have taken {r}"
        );
        assert!(
            !matches!(
                row_state(&srv, r, "postmottak").await,
                Some(OutboxState::Delivered { .. })
            ),
            "the mailbox is down"
        );
    }
    // Once each in the archive folder.
    let archive = srv.data_dir().join("archive/eksempel");
    let mut folders: Vec<String> = std::fs::read_dir(&archive)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut want = refs.clone();
    want.sort();
    assert_eq!(folders, want);
    // The backlog and its age, for monitoring: the twenty other deliveries wait.
    let metrics = srv.text("localhost", "/metrics").await;
    let backlog: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("radhus_outbox_backlog "))
        .unwrap_or_else(|| panic!("{metrics}"))
        .parse()
        .unwrap();
    assert_eq!(backlog, 20, "{metrics}");
    assert!(
        metrics.contains("radhus_outbox_oldest_age_seconds "),
        "{metrics}"
    );
    let health: serde_json::Value =
        serde_json::from_str(&srv.text("localhost", "/healthz").await).unwrap();
    assert_eq!(health["backlog"]["rows"], 20, "{health}");
    assert!(health["backlog"]["oldest_age_seconds"].is_u64(), "{health}");
    assert!(
        !held.lock().unwrap().is_empty(),
        "the receiver was tried while the archive went on"
    );
}
