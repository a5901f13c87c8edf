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
