//! The free-space floor of the data folder (`limits.min_free_mb`): below it a new draft and an upload are
//! refused with the translated 507 page before anything is written; a citizen who has filled in a form can
//! still send it down to a quarter of the floor; below that the submission is refused too, the draft is
//! kept, and it goes through once there is room again.

use std::sync::Arc;

use crate::form_run::{HOST, Walk, example, fill};
use crate::support::{TestServer, client_with_jar, csrf_of};

/// The same citizen (cookie jar) on the server as it runs now.
fn citizen<'a>(srv: &'a TestServer, jar: &Arc<reqwest::cookie::Jar>) -> Walk<'a> {
    Walk {
        srv,
        client: client_with_jar(srv.addr, &srv.cert_pem, jar.clone()),
        lang: "nn",
        host: HOST,
    }
}

/// Free bytes on the file system of `dir` now.
fn free(dir: &std::path::Path) -> u64 {
    radhus::metrics::disk(dir).unwrap().free
}

#[tokio::test]
async fn below_the_floor_new_drafts_and_uploads_wait_but_filled_in_forms_are_sent() {
    let mut srv = TestServer::start().await;
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let data = srv.data_dir().to_path_buf();
    let form = "kulturmidler"; // has an upload step
    let answers = example(form);
    let w = citizen(&srv, &jar);
    let summary = fill(&w, form, &answers).await;
    let token = csrf_of(&summary.html);
    // A second draft, begun but not filled in.
    assert_eq!(w.start("feil-vei-gatelys").await.status, 200);

    // A floor of twice what is free: new work is refused, a filled-in form may still be sent.
    let mut config = srv.config.clone();
    config.limits.min_free_bytes = free(&data) * 2;
    srv.restart(config.clone()).await;
    let before = srv.running().state().store.system().digest().unwrap();
    let w = citizen(&srv, &jar);
    let refused = w.start("kontaktskjema").await;
    assert_eq!(refused.status, 507, "{}", refused.url);
    let h1 = refused.html.text("h1");
    assert_eq!(h1, "Vi kan ikkje ta imot innsendingar akkurat no");
    assert!(
        refused.html.text("main").contains("er teke vare på"),
        "{}",
        refused.html.text("main")
    );
    // An upload to a draft already started: refused before the body is read.
    let step = w.get("/skjema/feil-vei-gatelys/steg/1").await;
    assert_eq!(step.status, 200, "{}", step.url);
    let resp = w
        .post_multipart(
            "/skjema/feil-vei-gatelys/steg/1",
            &[("csrf".into(), csrf_of(&step.html))],
            &[(
                "bilde".into(),
                "gatelys.pdf".into(),
                b"%PDF-1.4\n%%EOF\n".to_vec(),
            )],
        )
        .await;
    assert_eq!(resp.status, 507, "{}", resp.url);
    assert_eq!(
        srv.running().state().store.system().digest().unwrap(),
        before,
        "nothing was written for the refused requests"
    );

    // A floor four times above what is free: the submission waits too, and the draft is kept.
    let mut tight = config.clone();
    tight.limits.min_free_bytes = free(&data) * 8;
    srv.restart(tight).await;
    let w = citizen(&srv, &jar);
    let waits = w
        .post(
            &format!("/skjema/{form}/send"),
            &[("csrf".into(), token.clone())],
        )
        .await;
    assert_eq!(waits.status, 507);
    let again = w.get(&format!("/skjema/{form}/oppsummering")).await;
    assert_eq!(again.status, 200, "the draft is still there");

    // Back at twice: the filled-in form is sent.
    srv.restart(config).await;
    let w = citizen(&srv, &jar);
    let sent = w
        .post(&format!("/skjema/{form}/send"), &[("csrf".into(), token)])
        .await;
    assert_eq!(sent.status, 200, "{}", sent.url);
    assert!(sent.url.contains("/kvittering/"), "{}", sent.url);
}

/// The store after a full disk, in the real binary under a file-size limit: once it cannot write, a step
/// save says so and keeps what was typed, `/healthz` says `failing`; when the limit is lifted (space
/// freed) the same process writes again without a restart, and everything acknowledged is there.
#[tokio::test]
async fn after_a_full_disk_the_store_heals_without_a_restart() {
    use crate::crash::{lift_fsize, ready, spawn, unsafe_sigterm, view, write_config};
    crate::support::init_crypto();
    let dir = tempfile::tempdir().unwrap();
    let (receiver_port, _requests) = crate::support::http_receiver(|_| 200).await;
    let port = crate::support::free_port();
    let config = write_config(dir.path(), port, receiver_port, None);
    let cert = std::fs::read(dir.path().join("tls/cert.pem")).unwrap();
    let probe = crate::support::client_for(format!("127.0.0.1:{port}").parse().unwrap(), &cert);
    let mut child = spawn(&config, Some(600 * 1024));
    ready(&probe, port).await;
    let srv = view(port, &cert);
    let answers = example("kontaktskjema");
    // One citizen is on the first step when the disk fills up.
    let waiting = Walk::new(&srv, "nb", HOST);
    let first_step = waiting.start("kontaktskjema").await;
    assert_eq!(first_step.status, 200);
    // Others send forms until the store cannot write.
    let mut acked = vec![];
    let mut full = false;
    for _ in 0..400 {
        let w = Walk::new(&srv, "nb", HOST);
        let mut page = w.start("kontaktskjema").await;
        while page.status == 200 && !page.url.ends_with("/oppsummering") {
            page = crate::form_run::fill_step(&w, page, &answers).await;
        }
        if page.status != 200 {
            assert!(
                matches!(page.status, 503 | 507),
                "{}: {}",
                page.status,
                page.html.text("main")
            );
            full = true;
            break;
        }
        let r = w
            .client
            .post(srv.url(HOST, "/skjema/kontaktskjema/send"))
            .form(&[("csrf", csrf_of(&page.html))])
            .send()
            .await
            .unwrap();
        if r.status() != 303 {
            assert!(matches!(r.status().as_u16(), 503 | 507), "{}", r.status());
            full = true;
            break;
        }
        acked.push(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned(),
        );
    }
    assert!(full && !acked.is_empty(), "the store never filled up");
    // /healthz tells the truth (and why, on loopback).
    let health = probe
        .get(format!("https://localhost:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503);
    let body: serde_json::Value = serde_json::from_str(&health.text().await.unwrap()).unwrap();
    assert_eq!(body["status"], "failing", "{body}");
    assert!(
        body["store"]["error"]
            .as_str()
            .is_some_and(|e| !e.is_empty()),
        "{body}"
    );
    // A step save now: not saved, said so, and the typed answers are still on the page.
    let unsaved = crate::form_run::fill_step(&waiting, first_step, &answers).await;
    assert!(
        matches!(unsaved.status, 503 | 507),
        "{}: {}",
        unsaved.status,
        unsaved.html.text("main")
    );
    assert!(
        unsaved.html.text(".notice").contains("ble ikke lagret"),
        "{}",
        unsaved.html.text("main")
    );
    let typed = answers["melding"].as_str().to_owned();
    assert_eq!(unsaved.html.text("textarea[name=melding]"), typed);
    // Space is freed: the same process writes again.
    lift_fsize(&child);
    let mut healed = false;
    for _ in 0..100 {
        let r = probe
            .get(format!("https://localhost:{port}/healthz"))
            .send()
            .await
            .unwrap();
        if r.status() == 200 {
            healed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        healed,
        "still failing: {}",
        std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default()
    );
    let again = crate::form_run::fill_step(&waiting, unsaved, &answers).await;
    assert_eq!(again.status, 200, "{}", again.html.text("main"));
    assert!(!again.url.ends_with("/steg/1"), "{}", again.url);
    let w = Walk::new(&srv, "nb", HOST);
    let reference = crate::form_run::walk(&w, "kontaktskjema", &answers).await;
    acked.push(reference);
    assert!(child.try_wait().unwrap().is_none(), "no restart");
    unsafe_sigterm(&child);
    child.wait().await.unwrap();
    crate::crash::assert_kept(dir.path(), &acked);
}
