//! Real-browser tests: Debian's Chromium driven through chromedriver (WebDriver, fantoccini), with axe-core
//! injected into every page type in all three languages, the citizen's journey in three languages with
//! JavaScript on and off and with the keyboard alone, and no sideways scrolling at 320 px or 200 % zoom.
//! On failure a screenshot and the page source are saved under `tests/artifacts/`.
//! Chromium, chromedriver and axe-core are installed by `.ci/run`.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::support::{TestServer, free_port};

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start(javascript: bool) -> Browser {
        Self::start_with(javascript, json!({})).await
    }

    /// A browser with extra `goog:chromeOptions` entries (such as `mobileEmulation`).
    pub async fn start_with(javascript: bool, extra_options: Value) -> Browser {
        let driver_bin = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("chromedriver is not installed: apt-get install chromium chromium-driver (.ci/run does this)");
        let port = free_port();
        // Its own process group, so the browser it starts can be killed with it (see Drop).
        let driver = Command::new(driver_bin)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut prefs = json!({});
        if !javascript {
            prefs = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let caps = json!({
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": prefs,
            }
        });
        let Value::Object(mut caps) = caps else {
            unreachable!()
        };
        if let (Some(Value::Object(options)), Value::Object(extra)) =
            (caps.get_mut("goog:chromeOptions"), extra_options)
        {
            options.extend(extra);
        }
        let mut last = None;
        for _ in 0..3 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        driver,
                        _profile: profile,
                    };
                }
                Err(e) => {
                    last = Some(e.to_string());
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
            }
        }
        panic!("cannot start Chromium through chromedriver: {last:?}");
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// Finds an element, waiting up to 10 s (a click that submits a form returns before the next page).
    pub async fn el(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => e,
            Err(e) => {
                self.save_artifacts("missing-element").await;
                panic!("no element {css}: {e}");
            }
        }
    }

    /// Waits up to 5 s for the address to end with `suffix` (a click that submits a form returns before
    /// the next page has loaded).
    pub async fn wait_for_path(&self, suffix: &str) {
        let mut last = String::new();
        for _ in 0..100 {
            if let Ok(url) = self.client.current_url().await {
                if url.path().ends_with(suffix) {
                    return;
                }
                last = url.to_string();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.save_artifacts("wait-for-path").await;
        panic!("never reached {suffix}; still at {last}");
    }

    /// The focused element's `attr`, once it satisfies `want` or after 5 s (focus is moved by the page's
    /// script, which may run just after the element appears).
    pub async fn wait_for_focus(&self, attr: &str, want: impl Fn(&str) -> bool) -> String {
        let mut value = String::new();
        for _ in 0..100 {
            if let Ok(el) = self.client.active_element().await {
                value = el.attr(attr).await.ok().flatten().unwrap_or_default();
                if want(&value) {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        value
    }

    /// Chooses `lang` with the language switch on the current page (a POST with the page's token) and waits
    /// for the answer: navigating away before it arrives would cancel the POST.
    pub async fn choose_language(&self, lang: &str) {
        // On a step the buttons belong to the step's form (`sprak:…`), elsewhere to their own.
        self.el(&format!(
            ".lang-switch button[value={lang}], .lang-switch button[value='sprak:{lang}']"
        ))
        .await
        .click()
        .await
        .unwrap();
        for _ in 0..100 {
            let now = self
                .client
                .execute("return document.documentElement.lang;", vec![])
                .await
                .unwrap();
            if now.as_str() == Some(lang) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.save_artifacts("choose-language").await;
        panic!("the language switch never answered with {lang}");
    }

    pub async fn text(&self, css: &str) -> String {
        self.el(css).await.text().await.unwrap()
    }

    /// Saves a screenshot and the page source under tests/artifacts/<name>.*
    pub async fn save_artifacts(&self, name: &str) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
        if let Ok(src) = self.client.source().await {
            let _ = std::fs::write(dir.join(format!("{name}.html")), src);
        }
    }

    /// Runs axe-core with the WCAG 2.1 A and AA rules; returns the violations, one line each.
    pub async fn axe(&self) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("node_modules/axe-core/axe.min.js");
        let src = std::fs::read_to_string(&path)
            .expect("axe-core is not installed: npm ci (.ci/run does this)");
        self.client
            .execute(&format!("{src}\nreturn typeof window.axe;"), vec![])
            .await
            .unwrap();
        let res = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})
                   .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .unwrap();
        res.as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap_or("").to_owned())
            .collect()
    }

    /// Whether the page scrolls sideways.
    pub async fn scrolls_sideways(&self) -> bool {
        let v = self
            .client
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        v.as_bool().unwrap_or(true)
    }

    pub async fn stop(self) {
        let _ = self.client.clone().close().await;
    }
}

/// chromedriver and every Chromium process it started go when the Browser does, also when a test panics
/// (chromedriver killed alone leaves its browser running).
impl Drop for Browser {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.driver.id()) {
            // SAFETY: kill(2) on the process group this Browser created; no memory is touched.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
        }
        let _ = self.driver.wait();
    }
}

/// Fills in the contact form in `lang` through the page like a person would: chooses the language, finds
/// the form by one of its synonyms in that language, makes one mistake on the way and corrects it through
/// the error summary link. Returns the reference id on the receipt.
async fn contact_journey(b: &Browser, srv: &TestServer, name: &str, lang: &str) -> String {
    b.goto(&srv.url("eksempel.localhost", "/")).await;
    b.choose_language(lang).await;
    // Find the form by search.
    let query = match lang {
        "nn" => "spørje kommunen",
        "en" => "get in touch",
        _ => "melding kommunen",
    };
    b.el("#q").await.send_keys(query).await.unwrap();
    b.el(".search__button").await.click().await.unwrap();
    b.el(".results a[href='/skjema/kontaktskjema']")
        .await
        .click()
        .await
        .unwrap();
    b.el(".button--start").await.click().await.unwrap();
    // Step 1: forget the message (a mistake).
    let emne = b.el("#f-emne").await;
    emne.select_by_value("annet").await.unwrap();
    b.el(".button-group button[value=neste]")
        .await
        .click()
        .await
        .unwrap();
    let summary = b.text(".error-summary").await;
    assert!(!summary.is_empty(), "{name}: error summary shown");
    let focused = b
        .wait_for_focus("class", |v| v.contains("error-summary"))
        .await;
    assert!(
        focused.contains("error-summary"),
        "{name}: focus moved to the error summary, not {focused}"
    );
    // Follow the summary's link to the field and correct it.
    b.el(".error-summary a").await.click().await.unwrap();
    let field = b.wait_for_focus("id", |v| v == "f-melding").await;
    assert_eq!(
        field, "f-melding",
        "{name}: the link puts focus on the field"
    );
    b.el("#f-melding")
        .await
        .send_keys("Gatelyset i Storgata har vært mørkt i en uke. Æ ø å.")
        .await
        .unwrap();
    // Another language mid-step and back: what was typed stays.
    let other = if lang == "en" { "nb" } else { "en" };
    b.choose_language(other).await;
    b.choose_language(lang).await;
    assert_eq!(
        b.el("#f-melding")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Gatelyset i Storgata har vært mørkt i en uke. Æ ø å."),
        "{name}: the language switch kept the message"
    );
    b.el(".button-group button[value=neste]")
        .await
        .click()
        .await
        .unwrap();
    // Step 2: ask for an answer by e-mail. The way to answer is a follow-up: with JavaScript it appears
    // when "yes" is chosen; without, it is there with a sentence saying when to answer it.
    let js = !name.ends_with("-nojs");
    let method = b.el(".follow-up[data-follow-up=svar_onskes]").await;
    assert_eq!(
        method.is_displayed().await.unwrap(),
        !js,
        "{name}: the follow-up before the answer"
    );
    if !js {
        let sentence = b.text(".follow-up .field__condition").await;
        assert!(
            sentence.contains('«') || sentence.contains('“'),
            "{name}: {sentence}"
        );
    }
    b.el("#f-svar_onskes").await.click().await.unwrap();
    assert!(
        method.is_displayed().await.unwrap(),
        "{name}: the follow-up after the answer"
    );
    if js {
        assert!(
            !b.el(".follow-up .field__condition")
                .await
                .is_displayed()
                .await
                .unwrap(),
            "{name}: the sentence is for pages without the script"
        );
    }
    b.el("#f-svarmetode").await.click().await.unwrap();
    b.el("#f-epost")
        .await
        .send_keys("kari@example.no")
        .await
        .unwrap();
    b.el("#f-navn")
        .await
        .send_keys("Kari Nordmann")
        .await
        .unwrap();
    b.el(".button-group button[value=neste]")
        .await
        .click()
        .await
        .unwrap();
    // Check answers, then send.
    b.wait_for_path("/oppsummering").await;
    assert!(b.text("main").await.contains("Kari Nordmann"));
    assert!(
        !b.scrolls_sideways().await,
        "{name}: check-answers scrolls sideways"
    );
    b.el("main form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.text("#reference-id").await
}

/// Starts the contact form and presses Next with nothing filled in: the first step with its errors.
async fn step_with_errors(b: &Browser, srv: &TestServer) {
    b.goto(&srv.url("eksempel.localhost", "/skjema/kontaktskjema"))
        .await;
    b.el(".button--start").await.click().await.unwrap();
    b.el(".button-group button[value=neste]")
        .await
        .click()
        .await
        .unwrap();
    b.el(".error-summary").await;
}

#[tokio::test]
async fn citizen_journey_in_three_languages_with_and_without_javascript() {
    let srv = TestServer::start().await;
    for js in [true, false] {
        let b = Browser::start(js).await;
        for lang in ["nb", "nn", "en"] {
            let name = format!("journey-{lang}-{}", if js { "js" } else { "nojs" });
            let result = tokio::time::timeout(
                Duration::from_secs(60),
                contact_journey(&b, &srv, &name, lang),
            )
            .await;
            if result.is_err() {
                b.save_artifacts(&name).await;
            }
            let reference = result.expect("journey finished in time");
            assert!(reference.starts_with("20"), "{name}: {reference}");
        }
        b.stop().await;
    }
}

/// WCAG 1.4.10 (reflow): no page type scrolls sideways on a phone 320 CSS px wide, nor at 200 % zoom of a
/// 1280 × 900 window (a desktop viewport of 640 × 450 CSS px at a device pixel ratio of 2: the same 1280
/// device pixels and 640 px layout width as browser zoom gives). Both through Chromium's device emulation:
/// a window cannot be narrower than 500 px, and a window's size does not follow the scale factor.
/// JavaScript is on only so the test can measure (the pages have none; chromedriver's scripts hang under
/// device emulation with JavaScript switched off).
#[tokio::test]
async fn no_page_scrolls_sideways_at_320px_or_at_200_percent_zoom() {
    let srv = TestServer::start().await;
    let phone = json!({ "mobileEmulation": { "deviceMetrics": { "width": 320, "height": 640, "pixelRatio": 2 } } });
    let zoomed = json!({ "mobileEmulation": { "deviceMetrics": {
        "width": 640, "height": 450, "pixelRatio": 2, "mobile": false, "touch": false } } });
    for (name, options, width, ratio) in
        [("phone-320px", phone, 320, 2), ("zoom-200", zoomed, 640, 2)]
    {
        let b = Browser::start_with(true, options).await;
        b.goto(&srv.url("eksempel.localhost", "/")).await;
        let got = b
            .client
            .execute(
                "return [window.innerWidth, window.devicePixelRatio];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(got, json!([width, ratio]), "{name}: the viewport");
        let mut pages = vec![];
        for path in [
            "/",
            "/sok?q=barnehage",
            "/skjema/parkering-forflytningshemmet",
            "/finnes-ikke",
            "/personvern",
            "/tilgjengelighet",
        ] {
            b.goto(&srv.url("eksempel.localhost", path)).await;
            pages.push((path.to_owned(), b.scrolls_sideways().await));
        }
        // A step with errors, then the way to the receipt (check-answers on the way).
        step_with_errors(&b, &srv).await;
        pages.push(("step with errors".into(), b.scrolls_sideways().await));
        contact_journey(&b, &srv, name, "nb").await;
        pages.push(("receipt".into(), b.scrolls_sideways().await));
        let wide: Vec<_> = pages.iter().filter(|(_, w)| *w).map(|(p, _)| p).collect();
        if !wide.is_empty() {
            b.save_artifacts(name).await;
        }
        assert!(wide.is_empty(), "{name}: these scroll sideways: {wide:?}");
        b.stop().await;
    }
}

#[tokio::test]
async fn every_page_type_passes_axe_in_three_languages() {
    let srv = TestServer::start().await;
    // axe is JavaScript: run it in a browser with scripts on (the pages themselves have none).
    let b = Browser::start(true).await;
    let c = &b.client;
    let mut failures = vec![];
    for lang in ["nb", "nn", "en"] {
        // Choose the language with the switch on the page (a POST with the page's token).
        b.goto(&srv.url("eksempel.localhost", "/")).await;
        b.choose_language(lang).await;
        let mut pages: Vec<(String, String)> = vec![];
        for (kind, path) in [
            ("portal", "/"),
            ("search", "/sok?q=barnehage"),
            ("landing", "/skjema/barnehage-soknad"),
            ("404", "/finnes-ikke"),
            ("privacy", "/personvern"),
            ("accessibility", "/tilgjengelighet"),
        ] {
            pages.push((kind.into(), path.into()));
        }
        for (kind, path) in &pages {
            b.goto(&srv.url("eksempel.localhost", path)).await;
            check_page(&b, lang, kind, &mut failures).await;
        }
        // A step with errors, the control page, check-answers and the receipt.
        step_with_errors(&b, &srv).await;
        check_page(&b, lang, "step-with-errors", &mut failures).await;
        b.goto(&srv.url("eksempel.localhost", "/skjema/kontaktskjema/kontroll"))
            .await;
        check_page(&b, lang, "control", &mut failures).await;
        b.goto(&srv.url("eksempel.localhost", "/skjema/kontaktskjema/steg/1"))
            .await;
        b.el("#f-emne")
            .await
            .select_by_value("annet")
            .await
            .unwrap();
        b.el("#f-melding").await.send_keys("Hei").await.unwrap();
        b.el(".button-group button[value=neste]")
            .await
            .click()
            .await
            .unwrap();
        check_page(&b, lang, "step-2", &mut failures).await;
        b.el("#f-svar_onskes-2").await.click().await.unwrap();
        b.el(".button-group button[value=neste]")
            .await
            .click()
            .await
            .unwrap();
        check_page(&b, lang, "check-answers", &mut failures).await;
        b.el("main form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        check_page(&b, lang, "receipt", &mut failures).await;
        // The CSRF refusal page: a language switch whose token has been tampered with.
        b.goto(&srv.url("eksempel.localhost", "/")).await;
        c.execute(
            "document.querySelector('.lang-switch input[name=csrf]').value = 'forged';",
            vec![],
        )
        .await
        .unwrap();
        b.el(&format!(".lang-switch button[value={lang}]"))
            .await
            .click()
            .await
            .unwrap();
        check_page(&b, lang, "403", &mut failures).await;
    }
    b.stop().await;
    assert!(
        failures.is_empty(),
        "axe found violations:\n{}",
        failures.join("\n")
    );
}

async fn check_page(b: &Browser, lang: &str, kind: &str, failures: &mut Vec<String>) {
    let html_lang = b
        .client
        .execute("return document.documentElement.lang;", vec![])
        .await
        .unwrap();
    if html_lang.as_str() != Some(lang) {
        failures.push(format!("{kind} ({lang}): <html lang> is {html_lang}"));
    }
    let title = b.client.title().await.unwrap_or_default();
    if title.contains("Privacy error") {
        failures.push(format!(
            "{kind} ({lang}): the browser refused the certificate"
        ));
    }
    let v = b.axe().await;
    if !v.is_empty() {
        b.save_artifacts(&format!("axe-{kind}-{lang}")).await;
        failures.extend(v.into_iter().map(|x| format!("{kind} ({lang}): {x}")));
    }
}

/// Presses a key on whatever has focus.
async fn press(b: &Browser, key: fantoccini::key::Key) {
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys(&key.to_string())
        .await
        .unwrap();
}

/// Moves focus with Tab until the focused element matches `css`; fails after 60 presses.
async fn tab_to(b: &Browser, css: &str) {
    for _ in 0..60 {
        let hit = b
            .client
            .execute(
                "return document.activeElement && document.activeElement.matches(arguments[0]);",
                vec![json!(css)],
            )
            .await
            .unwrap();
        if hit.as_bool() == Some(true) {
            return;
        }
        press(b, fantoccini::key::Key::Tab).await;
    }
    b.save_artifacts("keyboard").await;
    panic!("Tab never reached {css}");
}

#[tokio::test]
async fn the_whole_journey_works_with_the_keyboard_alone() {
    use fantoccini::key::Key;
    let srv = TestServer::start().await;
    let b = Browser::start(false).await;
    b.goto(&srv.url("eksempel.localhost", "/")).await;
    // The skip link is the first stop.
    press(&b, Key::Tab).await;
    let first = b
        .client
        .execute("return document.activeElement.className;", vec![])
        .await
        .unwrap();
    assert_eq!(first.as_str(), Some("skip-link"));
    tab_to(&b, "#q").await;
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys("kontakt")
        .await
        .unwrap();
    press(&b, Key::Enter).await;
    b.wait_for_path("/sok").await;
    tab_to(&b, ".results a[href='/skjema/kontaktskjema']").await;
    press(&b, Key::Enter).await;
    b.wait_for_path("/skjema/kontaktskjema").await;
    tab_to(&b, ".button--start").await;
    press(&b, Key::Space).await;
    b.wait_for_path("/steg/1").await;
    // Step 1: the select with the keyboard, the message, then one Tab too far and back with Shift+Tab.
    tab_to(&b, "#f-emne").await;
    press(&b, Key::End).await; // the last option, "annet", in any language
    tab_to(&b, "#f-melding").await;
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys("Skrevet med tastaturet alene.")
        .await
        .unwrap();
    tab_to(&b, ".button-group button[value=tilbake]").await;
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys(&format!("{}{}", Key::Shift, Key::Tab))
        .await
        .unwrap();
    let on_next = b
        .client
        .execute(
            "return document.activeElement.matches('.button-group button[value=neste]');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(on_next.as_bool(), Some(true), "Shift+Tab goes back to Next");
    press(&b, Key::Enter).await;
    b.wait_for_path("/steg/2").await;
    // Step 2: radios with Space and the arrow keys ("Nei": no reply wanted).
    tab_to(&b, "#f-svar_onskes").await;
    press(&b, Key::Space).await;
    press(&b, Key::Down).await;
    tab_to(&b, ".button-group button[value=neste]").await;
    press(&b, Key::Enter).await;
    b.wait_for_path("/oppsummering").await;
    tab_to(&b, "main form button[type=submit]").await;
    press(&b, Key::Enter).await;
    let reference = b.text("#reference-id").await;
    assert!(reference.starts_with("20"), "{reference}");
    b.stop().await;
}

/// A citizen uploads an attachment (the file chooser is a real file input), sees it listed, sends the form,
/// and downloads the receipt's PDF in the browser's own session — with JavaScript on and off. The upload
/// step, with a file listed and with an error, passes axe.
#[tokio::test]
async fn an_attachment_is_uploaded_and_the_receipt_pdf_downloaded_in_the_browser() {
    let srv = TestServer::start_with(|c| {
        c.tenants[0].forms_dir = Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tenant-forms"),
        );
    })
    .await;
    let pdf = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("forms/examples/legeerklaering-parkering.pdf");
    for js in [true, false] {
        let b = Browser::start(js).await;
        let name = if js { "upload-js" } else { "upload-nojs" };
        let run = async {
            b.goto(&srv.url("eksempel.localhost", "/skjema/vedlegg-test"))
                .await;
            b.el(".button--start").await.click().await.unwrap();
            b.el("#f-navn")
                .await
                .send_keys("Åse Ødegård")
                .await
                .unwrap();
            // Next without the file: the error is beside the file input.
            b.el(".button-group button[value=neste]")
                .await
                .click()
                .await
                .unwrap();
            b.el(".error-summary a[href='#f-dokument']").await;
            if js {
                let v = b.axe().await;
                assert!(v.is_empty(), "axe on the upload step with an error: {v:?}");
            }
            b.el("input[type=file]")
                .await
                .send_keys(pdf.to_str().unwrap())
                .await
                .unwrap();
            b.el("button.file-upload").await.click().await.unwrap();
            assert_eq!(
                b.text(".file-list__name").await,
                "legeerklaering-parkering.pdf"
            );
            if js {
                let v = b.axe().await;
                assert!(v.is_empty(), "axe on the upload step with a file: {v:?}");
            }
            b.el(".button-group button[value=neste]")
                .await
                .click()
                .await
                .unwrap();
            b.wait_for_path("/oppsummering").await;
            assert!(
                b.text("main")
                    .await
                    .contains("legeerklaering-parkering.pdf (")
            );
            b.el("main form button[type=submit]")
                .await
                .click()
                .await
                .unwrap();
            let reference = b.text("#reference-id").await;
            let href = b
                .el("a[href$='/pdf']")
                .await
                .attr("href")
                .await
                .unwrap()
                .unwrap();
            assert!(href.ends_with(&format!("/kvittering/{reference}/pdf")));
            reference
        };
        let result = tokio::time::timeout(Duration::from_secs(60), run).await;
        if result.is_err() {
            b.save_artifacts(name).await;
        }
        let reference = result.expect("the upload journey finished in time");
        if js {
            // The download, in the browser's session (its cookie): a PDF with the answers.
            let got = b
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     fetch(document.querySelector(\"a[href$='/pdf']\").href)
                       .then(r => r.arrayBuffer().then(b => done([r.status, r.headers.get('content-type'),
                         String.fromCharCode(...new Uint8Array(b).slice(0, 5)), b.byteLength])))
                       .catch(e => done(['error', String(e)]));",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(got[0], 200, "{got}");
            assert_eq!(got[1], "application/pdf", "{got}");
            assert_eq!(got[2], "%PDF-", "{got}");
            assert!(got[3].as_u64().unwrap() > 5_000, "{got}");
        }
        assert!(reference.starts_with("20"), "{name}: {reference}");
        b.stop().await;
    }
}

/// Every page a citizen meets in every form of the library — its landing page, each step with the example
/// answers filled in, and check-answers — passes axe-core in bokmål; ten forms (every fourth and a half,
/// spread over the topics) also in nynorsk and English. The answers are filled in over HTTP and the
/// session handed to the browser, so the pages are exactly those a citizen's browser gets.
#[tokio::test]
async fn every_step_of_every_library_form_passes_axe() {
    use crate::form_run::{Walk, example, fill_step};
    use reqwest::cookie::CookieStore;
    let (_overrides, srv) = crate::form_library::library_server().await;
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    let b = Browser::start(true).await;
    let mut failures = vec![];
    let mut checked = 0;
    let all: Vec<_> = reg.all().iter().collect();
    let some: Vec<_> = all
        .iter()
        .step_by(all.len().div_ceil(10))
        .copied()
        .collect();
    for (lang, forms) in [("nb", &all), ("nn", &some), ("en", &some)] {
        for def in forms.iter() {
            let id = def.id.as_str();
            let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
            let w = Walk {
                srv: &srv,
                client: crate::support::client_with_jar(srv.addr, &srv.cert_pem, jar.clone()),
                lang,
                host: crate::form_run::HOST,
            };
            let answers = example(id);
            let mut paths = vec![format!("/skjema/{id}")];
            let mut page = w.start(id).await;
            for _ in 0..30 {
                assert_eq!(page.status, 200, "{id} {lang}: {}", page.url);
                let path = page.url.split_once(".localhost:").map_or("", |(_, p)| p);
                let path = path
                    .split_once('/')
                    .map_or(String::new(), |(_, p)| format!("/{p}"));
                paths.push(path);
                if page.url.ends_with("/oppsummering") {
                    break;
                }
                page = fill_step(&w, page, &answers).await;
            }
            // The browser takes over the session (and the language) the answers were given in.
            let url = srv.url(crate::form_run::HOST, "/");
            b.goto(&url).await;
            b.client.delete_all_cookies().await.unwrap();
            let header = jar.cookies(&url.parse().unwrap()).unwrap();
            let lang_cookie = format!("__Host-lang={lang}");
            for pair in header
                .to_str()
                .unwrap()
                .split("; ")
                .chain([lang_cookie.as_str()])
            {
                let (name, value) = pair.split_once('=').unwrap();
                // Set from the page (WebDriver's add-cookie refuses the .localhost host); the server
                // reads it like the one it set.
                b.client
                    .execute(
                        "document.cookie = arguments[0] + '=' + arguments[1] + '; Secure; Path=/; SameSite=Lax';",
                        vec![json!(name), json!(value)],
                    )
                    .await
                    .unwrap();
            }
            for path in &paths {
                b.goto(&srv.url(crate::form_run::HOST, path)).await;
                let now = b.client.current_url().await.unwrap();
                if !now
                    .path()
                    .ends_with(path.rsplit('/').next().unwrap_or_default())
                {
                    failures.push(format!("{id} ({lang}): {path} went to {now}"));
                    continue;
                }
                check_page(&b, lang, &format!("{id} {path}"), &mut failures).await;
                checked += 1;
            }
        }
    }
    b.stop().await;
    eprintln!("{checked} pages checked with axe");
    assert!(
        failures.is_empty(),
        "axe found violations:\n{}",
        failures.join("\n")
    );
    assert!(checked >= 250, "only {checked} pages checked");
}

/// The account pages in Chromium: axe-core over each (empty, with errors, logged in) in three
/// languages, and the whole journey — log in, Mine saker, a case, the account page, log out — with
/// JavaScript off as well as on.
#[tokio::test]
async fn the_account_pages_pass_axe_and_work_without_javascript() {
    let srv = TestServer::start_with(|c| {
        // Registration needs a mail server in the configuration; nothing is sent in this test.
        c.smtp = Some(crate::targets::smtp_on(1));
        // A provider that is not running: its button and the page for a provider that is down.
        c.oidc = vec![crate::oidc::provider_config(crate::support::free_port())];
    })
    .await;
    radhus::demo::seed_citizens(srv.running().state())
        .await
        .unwrap();
    let (_, email, password) = radhus::demo::CITIZENS[0];
    let host = "eksempel.localhost";
    let mut failures = vec![];
    let b = Browser::start(true).await;
    for lang in ["nb", "nn", "en"] {
        b.goto(&srv.url(host, "/")).await;
        b.choose_language(lang).await;
        for (kind, path) in [
            ("login", "/logg-inn"),
            ("login-substantial", "/logg-inn?til=%2F&niva=substantial"),
            ("register", "/registrer"),
            ("forgot", "/glemt-passord"),
            ("link-dead", "/konto/bekreft/ugyldig"),
        ] {
            b.goto(&srv.url(host, path)).await;
            check_page(&b, lang, kind, &mut failures).await;
        }
        // The provider is down: its page.
        b.goto(&srv.url(host, "/logg-inn?til=%2F&niva=substantial"))
            .await;
        b.el("form[action='/logg-inn/oidc/idporten'] button")
            .await
            .click()
            .await
            .unwrap();
        b.wait_for_path("/logg-inn/oidc/idporten").await;
        check_page(&b, lang, "provider-down", &mut failures).await;
        // The register form with its errors.
        b.goto(&srv.url(host, "/registrer")).await;
        b.el("#f-epost")
            .await
            .send_keys("ikke-en-adresse")
            .await
            .unwrap();
        b.el("#f-passord").await.send_keys("kort").await.unwrap();
        b.el("main form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        b.el(".error-summary").await;
        check_page(&b, lang, "register-errors", &mut failures).await;
        // A wrong password, then the right one.
        b.goto(&srv.url(host, "/logg-inn")).await;
        b.el("#f-epost").await.send_keys(email).await.unwrap();
        b.el("#f-passord")
            .await
            .send_keys("feil passord")
            .await
            .unwrap();
        b.el("form[action='/logg-inn'] button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        b.el(".error-summary").await;
        check_page(&b, lang, "login-error", &mut failures).await;
        b.el("#f-epost").await.clear().await.unwrap();
        b.el("#f-epost").await.send_keys(email).await.unwrap();
        b.el("#f-passord").await.send_keys(password).await.unwrap();
        b.el("form[action='/logg-inn'] button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        b.wait_for_path("/mine-saker").await;
        check_page(&b, lang, "my-cases", &mut failures).await;
        let case = b
            .el("a[href^='/mine-saker/sak/']")
            .await
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        b.goto(&srv.url(host, &case)).await;
        check_page(&b, lang, "case", &mut failures).await;
        b.goto(&srv.url(host, "/konto")).await;
        check_page(&b, lang, "account", &mut failures).await;
        b.el("#f-slett-passord")
            .await
            .send_keys("feil")
            .await
            .unwrap();
        b.el("form[action='/konto/slett'] button")
            .await
            .click()
            .await
            .unwrap();
        b.el(".error-summary").await;
        check_page(&b, lang, "account-errors", &mut failures).await;
        b.goto(&srv.url(host, "/mine-saker")).await;
        b.el("form[action='/logg-ut'] button")
            .await
            .click()
            .await
            .unwrap();
        b.wait_for_path("/logg-inn").await;
        check_page(&b, lang, "logged-out", &mut failures).await;
    }
    b.stop().await;
    assert!(
        failures.is_empty(),
        "axe found violations:\n{}",
        failures.join("\n")
    );
    // Idle time: with scripts on, the notice on a step becomes an alert two minutes before the end (the
    // shortest idle time the configuration allows is two minutes: at once here).
    {
        let srv2 = TestServer::start_with(|c| {
            c.accounts.idle = std::time::Duration::from_secs(120);
        })
        .await;
        radhus::demo::seed_citizens(srv2.running().state())
            .await
            .unwrap();
        let b = Browser::start(true).await;
        b.goto(&srv2.url(host, "/logg-inn")).await;
        b.el("#f-epost").await.send_keys(email).await.unwrap();
        b.el("#f-passord").await.send_keys(password).await.unwrap();
        b.el("form[action='/logg-inn'] button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        b.wait_for_path("/mine-saker").await;
        b.goto(&srv2.url(host, "/skjema/kontaktskjema")).await;
        b.el(".button--start").await.click().await.unwrap();
        b.el(".idle-notice[role=alert]").await;
        let soon = b
            .el(".idle-notice__soon")
            .await
            .is_displayed()
            .await
            .unwrap();
        assert!(soon, "the warning is shown");
        let mut fails = vec![];
        check_page(&b, "en", "idle-alert", &mut fails).await;
        assert!(fails.is_empty(), "{fails:?}");
        b.stop().await;
    }
    // Without JavaScript: the same journey, plain forms and links all the way.
    let b = Browser::start(false).await;
    b.goto(&srv.url(host, "/mine-saker")).await;
    b.wait_for_path("/logg-inn").await;
    b.el("#f-epost").await.send_keys(email).await.unwrap();
    b.el("#f-passord").await.send_keys(password).await.unwrap();
    b.el("form[action='/logg-inn'] button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for_path("/mine-saker").await;
    let text = b.el("main").await.text().await.unwrap();
    assert!(text.contains(email), "{text}");
    b.el("a[href^='/mine-saker/sak/']")
        .await
        .click()
        .await
        .unwrap();
    b.el(".case-history").await;
    b.goto(&srv.url(host, "/mine-saker")).await;
    b.el("form[action='/logg-ut'] button")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for_path("/logg-inn").await;
    b.goto(&srv.url(host, "/mine-saker")).await;
    b.wait_for_path("/logg-inn").await;
    b.stop().await;
}
