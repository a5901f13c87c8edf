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
