//! The portal through HTTPS: tenants by host name, languages, search, landing pages, assets.

use crate::support::{Html, TestServer, csrf_of, get_html};

#[tokio::test]
async fn each_tenant_shows_its_own_name_theme_and_forms() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let (s1, eks) = get_html(&c, &srv.url("eksempel.localhost", "/")).await;
    let (s2, pro) = get_html(&c, &srv.url("provestad.localhost", "/")).await;
    assert_eq!((s1.as_u16(), s2.as_u16()), (200, 200));
    assert_eq!(eks.text(".site-header__name"), "Eksempel kommune");
    assert_eq!(pro.text(".site-header__name"), "Prøvestad kommune");
    let css_e = eks.attr("link[rel=stylesheet]", "href").unwrap();
    let css_p = pro.attr("link[rel=stylesheet]", "href").unwrap();
    assert_ne!(css_e, css_p, "each tenant has its own theme");
    // Prøvestad's stylesheet carries its colours; Eksempel's does not.
    let body_p = c
        .get(srv.url("provestad.localhost", &css_p))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let body_e = c
        .get(srv.url("eksempel.localhost", &css_e))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body_p.contains("--color-primary: #0b6b5e"));
    assert!(!body_e.contains("#0b6b5e"));
    // A tenant's asset is not served on another tenant's host.
    let cross = c
        .get(srv.url("eksempel.localhost", &css_p))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 404);
    // Prøvestad offers a subset of forms.
    assert!(eks.count(".form-list__link") > pro.count(".form-list__link"));
    assert!(pro.count("a[href='/skjema/kulturmidler']") == 0);
    assert!(eks.count("a[href='/skjema/kulturmidler']") == 1);
    let r = c
        .get(srv.url("provestad.localhost", "/skjema/kulturmidler"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        404,
        "forms a tenant does not offer do not exist there"
    );
}

#[tokio::test]
async fn unknown_host_gets_a_plain_404_that_reveals_nothing() {
    let srv = TestServer::start().await;
    // The certificate covers the demo names only, so connect as "localhost" and ask for another host.
    let resp = srv
        .raw("localhost")
        .exchange(b"GET / HTTP/1.1\r\nHost: unknown.localhost\r\nConnection: close\r\n\r\n")
        .await;
    assert!(resp.starts_with("HTTP/1.1 404"), "{resp}");
    assert!(!resp.to_ascii_lowercase().contains("set-cookie"));
    assert!(resp.ends_with("\r\n\r\nNot found\n"), "{resp}");
    for name in ["eksempel", "Eksempel", "provestad", "Prøvestad"] {
        assert!(!resp.contains(name), "leaks {name}");
    }
}

#[tokio::test]
async fn language_is_negotiated_then_chosen_and_remembered() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let url = srv.url("eksempel.localhost", "/");
    let lang_of = |h: &Html| h.attr("html", "lang").unwrap();

    // Tenant default (eksempel: nb; provestad: nn) without Accept-Language.
    let (_, h) = get_html(&c, &url).await;
    assert_eq!(lang_of(&h), "nb");
    let (_, h) = get_html(&c, &srv.url("provestad.localhost", "/")).await;
    assert_eq!(lang_of(&h), "nn");
    assert_eq!(h.text("h1"), "Skjema og søknader");

    for (header, expected, heading) in [
        ("nn-NO,nn;q=0.9", "nn", "Skjema og søknader"),
        ("en-GB,en;q=0.8", "en", "Forms and applications"),
        ("de-DE, fr;q=0.5", "nb", "Skjema og søknader"),
        ("garbage;;q=x", "nb", "Skjema og søknader"),
    ] {
        let body = c
            .get(&url)
            .header("accept-language", header)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let h = Html::parse(&body);
        assert_eq!(lang_of(&h), expected, "{header}");
        assert_eq!(h.text("h1"), heading);
    }

    // The switch: a POST with the page's CSRF token, back to where the user was.
    let (_, page) = get_html(&c, &srv.url("eksempel.localhost", "/sok?q=barnehage")).await;
    let token = csrf_of(&page);
    assert_eq!(
        page.attr("input[name=tilbake]", "value").unwrap(),
        "/sok?q=barnehage"
    );
    let r = c
        .post(srv.url("eksempel.localhost", "/sprak"))
        .form(&[
            ("csrf", token.as_str()),
            ("lang", "en"),
            ("tilbake", "/sok?q=barnehage"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/sok?q=barnehage");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-lang=en;"), "{cookie}");
    for attr in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    // The explicit choice beats Accept-Language from now on.
    let body = c
        .get(&url)
        .header("accept-language", "nn")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let h = Html::parse(&body);
    assert_eq!(lang_of(&h), "en");
    assert_eq!(h.attr("button[aria-current=true]", "value").unwrap(), "en");

    // An off-site return path is ignored; an unknown language is a 400 page, translated.
    let r = c
        .post(srv.url("eksempel.localhost", "/sprak"))
        .form(&[
            ("csrf", token.as_str()),
            ("lang", "nn"),
            ("tilbake", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/");
    let r = c
        .post(srv.url("eksempel.localhost", "/sprak"))
        .form(&[("csrf", token.as_str()), ("lang", "de")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let h = Html::parse(&r.text().await.unwrap());
    assert_eq!(lang_of(&h), "nn");
    assert_eq!(h.text("h1"), "Vi forstod ikkje førespurnaden");
}

#[tokio::test]
async fn language_choice_is_kept_in_the_server_side_session() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let (_, page) = get_html(&c, &srv.url("eksempel.localhost", "/")).await;
    let token = csrf_of(&page);
    c.post(srv.url("eksempel.localhost", "/sprak"))
        .form(&[("csrf", token.as_str()), ("lang", "nn")])
        .send()
        .await
        .unwrap();
    let store = &srv.running().state().store;
    // Plain page views wrote nothing; the choice made exactly one stored session, with the language.
    let sessions = store.sessions().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].lang, Some(radhus::i18n::Lang::Nn));
}

#[tokio::test]
async fn search_forgives_case_letters_and_knows_synonyms() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let hits = |q: &'static str| {
        let c = c.clone();
        let url = srv.url("eksempel.localhost", &format!("/sok?q={q}"));
        async move {
            let (status, h) = get_html(&c, &url).await;
            assert_eq!(status, 200);
            (
                h.texts(".results .form-list__link"),
                h.texts(".results__count, .empty-state"),
            )
        }
    };
    let (titles, _) = hits("barnehage").await;
    assert_eq!(
        titles.first().map(String::as_str),
        Some("Søk om barnehageplass")
    );
    let (titles, _) = hits("soknad%20barnehage").await;
    assert!(
        titles.contains(&"Søk om barnehageplass".to_string()),
        "søknad without ø: {titles:?}"
    );
    let (titles, _) = hits("S%C3%98KNAD%20BARNEHAGE").await;
    assert!(
        titles.contains(&"Søk om barnehageplass".to_string()),
        "upper case: {titles:?}"
    );
    let (titles, _) = hits("bhg").await;
    assert_eq!(titles, vec!["Søk om barnehageplass"], "synonym");
    let (titles, msg) = hits("xyzzy").await;
    assert!(titles.is_empty());
    assert!(msg[0].contains("xyzzy"), "{msg:?}");
    let (_, msg) = hits("").await;
    assert_eq!(msg, vec!["Skriv inn ett eller flere ord for å søke."]);
    // Every application by "søknad" and its word forms; typos; a longer word form.
    for q in ["s%C3%B8knad", "s%C3%B8knader", "s%C3%B8ke"] {
        let (titles, _) = hits(q).await;
        let asks = titles.iter().filter(|t| t.starts_with("Søk ")).count();
        assert!(asks >= 30, "{q}: {asks} of {titles:?}");
    }
    for q in ["barnehgae", "brnehage", "barnehagen"] {
        let (titles, _) = hits(q).await;
        assert_eq!(
            titles.first().map(String::as_str),
            Some("Søk om barnehageplass"),
            "{q}"
        );
    }
    // A municipality that does not offer a form says so, names it and points to itself (Prøvestad
    // offers four forms, in nynorsk).
    let (status, h) = get_html(
        &c,
        &srv.url("provestad.localhost", "/sok?q=skjenkebevilling"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(h.texts(".results .form-list__link").is_empty());
    let said = h.text(".results");
    assert!(
        said.contains("Prøvestad kommune har ikkje eit skjema på nett for «skjenkebevilling»"),
        "{said}"
    );
    assert!(said.contains("Søk om skjenkeløyve"), "{said}");
    assert_eq!(h.count(".results a[href^='mailto:']"), 1);
    let (_, h) = get_html(&c, &srv.url("provestad.localhost", "/sok?q=xyzzy")).await;
    assert!(!h.text(".results").contains("skjemabiblioteket"));
    // Hostile queries are just text.
    let (status, _) = get_html(
        &c,
        &srv.url("eksempel.localhost", "/sok?q=%3Cscript%3E%FF%FE"),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn form_landing_pages_have_stable_urls_and_meta() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let (status, h) = get_html(
        &c,
        &srv.url("eksempel.localhost", "/skjema/barnehage-soknad"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(h.text("h1"), "Søk om barnehageplass");
    assert!(h.attr("meta[name=description]", "content").unwrap().len() > 20);
    assert!(
        h.attr("meta[name=keywords]", "content")
            .unwrap()
            .contains("barnehage")
    );
    assert!(
        h.count(".facts dt") >= 2,
        "who can apply, handling time, login"
    );
    assert!(h.count(".checklist li") >= 1);
    assert!(h.count(".links a") >= 1);
    assert_eq!(
        h.attr("form[action='/skjema/barnehage-soknad/start']", "method")
            .as_deref(),
        Some("post")
    );
    // Every form in the library has a landing page in every language.
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    for f in reg.all() {
        for lang in ["nb", "nn", "en"] {
            let r = c
                .get(srv.url("eksempel.localhost", &format!("/skjema/{}", f.id)))
                .header("accept-language", lang)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{} {lang}", f.id);
            let h = Html::parse(&r.text().await.unwrap());
            assert_eq!(h.attr("html", "lang").unwrap(), lang);
            let l = radhus::i18n::Lang::parse(lang).unwrap();
            assert_eq!(h.text("h1"), f.title.get(l));
            // The act it is based on, as the privacy statement says every form's page names it.
            let basis = f.legal_basis.as_ref().expect("every library form has one");
            assert!(
                h.texts(".facts__value").iter().any(|v| v == basis.get(l)),
                "{} {lang}: the legal basis on the landing page",
                f.id
            );
        }
    }
    let (status, h) = get_html(&c, &srv.url("eksempel.localhost", "/skjema/finnes-ikke")).await;
    assert_eq!(status, 404);
    assert_eq!(h.text("h1"), "Vi fant ikke siden");
    assert!(h.text(".request-id").starts_with("Feilkode: "));
}

#[tokio::test]
async fn assets_are_hashed_cached_and_compressed() {
    let srv = TestServer::start().await;
    let c = srv.client();
    let (_, h) = get_html(&c, &srv.url("eksempel.localhost", "/")).await;
    let css = h.attr("link[rel=stylesheet]", "href").unwrap();
    assert!(
        css.starts_with("/static/theme.") && css.ends_with(".css"),
        "{css}"
    );
    let r = c
        .get(srv.url("eksempel.localhost", &css))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(r.headers()["content-type"], "text/css; charset=utf-8");
    // reqwest's gzip feature decodes transparently; the page is still the CSS.
    assert!(r.text().await.unwrap().contains("--color-primary"));
    // Without gzip support the identity body is sent.
    let raw = srv.raw("eksempel.localhost");
    let resp = raw
        .exchange(format!("GET {css} HTTP/1.1\r\nHost: eksempel.localhost\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n").as_bytes())
        .await;
    assert!(
        resp.to_ascii_lowercase().contains("content-encoding: gzip"),
        "{}",
        &resp[..300.min(resp.len())]
    );
    let logo = h.attr("img.site-header__logo", "src").unwrap();
    let r = c
        .get(srv.url("eksempel.localhost", &logo))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    // HTML pages are compressed too when asked.
    let resp = raw
        .exchange(b"GET / HTTP/1.1\r\nHost: eksempel.localhost\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n")
        .await;
    assert!(resp.to_ascii_lowercase().contains("content-encoding: gzip"));
    // Path tricks find nothing.
    for path in [
        "/static/..%2f..%2fCargo.toml",
        "/static/%2e%2e/Cargo.toml",
        "/static/../Cargo.toml",
        "/static/theme.css",
        "/static/",
        "/static/a/b",
    ] {
        let resp = raw
            .exchange(
                format!(
                    "GET {path} HTTP/1.1\r\nHost: eksempel.localhost\r\nConnection: close\r\n\r\n"
                )
                .as_bytes(),
            )
            .await;
        let status = resp.split(' ').nth(1).unwrap_or("");
        assert!(status == "404" || status == "400", "{path}: {status}");
    }
}

/// The privacy and accessibility statements: linked from the footer of every page type, in three
/// languages, naming the tenant's facts (defaults from the tenant, or the configured ones).
#[tokio::test]
async fn privacy_and_accessibility_statements_are_linked_from_every_page() {
    use crate::form_run::{Walk, example, walk};
    let srv = TestServer::start_with(|c| {
        let s = &mut c.tenants[1].statements;
        s.controller = "Prøvestad kommune, kommunedirektøren".into();
        s.dpo_email = Some("personvernombud@provestad.example".into());
        s.statement_url = Some("https://uustatus.no/nn/erklaringer/publisert/provestad".into());
    })
    .await;
    let host = "eksempel.localhost";
    let c = srv.client();
    let w = Walk::new(&srv, "nb", host);
    let reference = walk(&w, "kontaktskjema", &example("kontaktskjema")).await;
    let mut pages: Vec<String> = [
        "/",
        "/sok?q=barnehage",
        "/skjema/kontaktskjema",
        "/finnes-ikke",
        "/personvern",
        "/tilgjengelighet",
    ]
    .iter()
    .map(|p| srv.url(host, p))
    .collect();
    pages.push(srv.url(
        host,
        &format!("/skjema/kontaktskjema/kvittering/{reference}"),
    ));
    for url in &pages {
        let r = w.client.get(url).send().await.unwrap();
        let html = Html::parse(&r.text().await.unwrap());
        assert_eq!(
            html.attrs(".site-footer__links a", "href"),
            vec!["/personvern", "/tilgjengelighet"],
            "{url}"
        );
    }
    // A step and check-answers (a new draft).
    let step = w.start("kontaktskjema").await;
    assert_eq!(
        step.html.count(".site-footer__links a[href='/personvern']"),
        1
    );

    // Defaults: the tenant's name and contact address, the server's draft lifetimes.
    for (lang, title, says) in [
        (
            "nb",
            "Personvernerklæring",
            "Eksempel kommune er behandlingsansvarlig",
        ),
        (
            "nn",
            "Personvernerklæring",
            "Eksempel kommune er behandlingsansvarleg",
        ),
        (
            "en",
            "Privacy statement",
            "Eksempel kommune is the data controller",
        ),
    ] {
        let r = c
            .get(srv.url(host, "/personvern"))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let html = Html::parse(&r.text().await.unwrap());
        assert_eq!(html.text("h1"), title, "{lang}");
        let main = html.text("main");
        assert!(main.contains(says), "{lang}: {main}");
        assert!(main.contains("7"), "{lang}: the draft lifetime in days");
        assert!(main.contains("Datatilsynet"), "{lang}");
        let contact = &srv.running().state().tenants[0].config.contact_email;
        assert!(
            html.attrs("main a", "href")
                .contains(&format!("mailto:{contact}")),
            "{lang}"
        );
        assert_eq!(html.count("main a[href^='mailto:personvernombud']"), 0);
    }
    // Configured: Prøvestad (nynorsk by default) names its controller, officer and published statement.
    let (status, html) = get_html(&c, &srv.url("provestad.localhost", "/personvern")).await;
    assert_eq!(status, 200);
    assert!(
        html.text("main")
            .contains("Prøvestad kommune, kommunedirektøren er behandlingsansvarleg")
    );
    assert_eq!(
        html.count("main a[href='mailto:personvernombud@provestad.example']"),
        1
    );
    let (_, html) = get_html(&c, &srv.url("provestad.localhost", "/tilgjengelighet")).await;
    assert_eq!(html.text("h1"), "Tilgjengelegheitserklæring");
    let main = html.text("main");
    assert!(main.contains("WCAG 2.1"), "{main}");
    assert!(main.contains("Prøvestad kommune"), "{main}");
    assert_eq!(
        html.count("main a[href='https://uustatus.no/nn/erklaringer/publisert/provestad']"),
        1
    );
    assert_eq!(html.count("main a[href='https://www.uutilsynet.no/']"), 1);
}
