//! The citizen's way through a form, over HTTPS against the real server: every form in the library walked
//! with its example answers in three languages, errors, conditions, rows, control page, change links,
//! restart, double submit, and concurrent submissions.

use std::collections::BTreeMap;

use radhus::forms::LoginRequirement;
use radhus::forms::answers::Answer;
use radhus::forms::engine::answers_from_example;

use crate::support::{Html, TestServer, csrf_of};

pub const HOST: &str = "eksempel.localhost";

/// Example answers by HTML name, from `forms/<id>.example.toml`.
pub fn example(form: &str) -> BTreeMap<String, Answer> {
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    let def = reg.get(&radhus::ids::FormId::parse(form).unwrap()).unwrap();
    let path = format!("{}/forms/{form}.example.toml", env!("CARGO_MANIFEST_DIR"));
    let table: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut a = answers_from_example(def, &table);
    // Group rows are filled as rows appear.
    for (g, n) in std::mem::take(&mut a.rows) {
        a.values
            .insert(format!("__rows:{g}"), Answer::One(n.to_string()));
    }
    a.values
}

pub struct Walk<'a> {
    pub srv: &'a TestServer,
    pub client: reqwest::Client,
    pub lang: &'static str,
    pub host: &'static str,
}

pub struct Page {
    pub status: u16,
    pub url: String,
    pub html: Html,
}

impl<'a> Walk<'a> {
    /// A citizen with a new client (and so no cookies yet) on `host`, reading `lang`.
    pub fn new(srv: &'a TestServer, lang: &'static str, host: &'static str) -> Walk<'a> {
        Walk {
            srv,
            client: srv.client(),
            lang,
            host,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            self.srv.url(self.host, path)
        };
        let r = self
            .client
            .get(&url)
            .header("accept-language", self.lang)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        if status == 303 {
            let loc = r.headers()["location"].to_str().unwrap().to_owned();
            return Box::pin(self.get(&loc)).await;
        }
        Page {
            status,
            url,
            html: Html::parse(&r.text().await.unwrap()),
        }
    }

    /// POSTs a form body and follows the redirect; returns the final page.
    pub async fn post(&self, path: &str, fields: &[(String, String)]) -> Page {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            self.srv.url(self.host, path)
        };
        let r = self
            .client
            .post(&url)
            .header("accept-language", self.lang)
            .form(fields)
            .send()
            .await
            .unwrap();
        self.follow(url, r).await
    }

    /// A POST's answer: the page it redirects to, or the page itself.
    async fn follow(&self, url: String, r: reqwest::Response) -> Page {
        let status = r.status().as_u16();
        if status == 303 {
            let loc = r.headers()["location"].to_str().unwrap().to_owned();
            return self.get(&loc).await;
        }
        Page {
            status,
            url,
            html: Html::parse(&r.text().await.unwrap()),
        }
    }

    /// POSTs `multipart/form-data` (fields in order, then files) and follows the redirect.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(String, String)],
        files: &[(String, String, Vec<u8>)],
    ) -> Page {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            self.srv.url(self.host, path)
        };
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.clone(), v.clone());
        }
        for (k, name, bytes) in files {
            form = form.part(
                k.clone(),
                reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.clone()),
            );
        }
        let r = self
            .client
            .post(&url)
            .header("accept-language", self.lang)
            .multipart(form)
            .send()
            .await
            .unwrap();
        self.follow(url, r).await
    }

    pub async fn start(&self, form: &str) -> Page {
        let landing = self.get(&format!("/skjema/{form}")).await;
        let token = csrf_of(&landing.html);
        self.post(&format!("/skjema/{form}/start"), &[("csrf".into(), token)])
            .await
    }
}

/// The names of the inputs in the page's main form, with their types.
fn inputs(h: &Html) -> Vec<(String, String)> {
    let sel = scraper::Selector::parse(
        "main form input[name], main form select[name], main form textarea[name]",
    )
    .unwrap();
    let mut out: Vec<(String, String)> = vec![];
    for e in h.0.select(&sel) {
        let name = e.value().attr("name").unwrap().to_owned();
        let ty = e
            .value()
            .attr("type")
            .unwrap_or(e.value().name())
            .to_owned();
        if !out.iter().any(|(n, _)| *n == name) {
            out.push((name, ty));
        }
    }
    out
}

fn multipart_form(h: &Html) -> bool {
    h.attr("main form[method=post]", "enctype").as_deref() == Some("multipart/form-data")
}

fn action_of(h: &Html) -> String {
    h.attr("main form[method=post]", "action")
        .expect("a step form")
}

/// Fills the current step from `answers` and presses Next (adding group rows first when needed).
pub async fn fill_step(w: &Walk<'_>, page: Page, answers: &BTreeMap<String, Answer>) -> Page {
    fill_step_with(w, page, answers, &[]).await
}

/// Like [`fill_step`], with some answers replaced by the values given (a wrong answer on purpose).
pub async fn fill_step_with(
    w: &Walk<'_>,
    page: Page,
    answers: &BTreeMap<String, Answer>,
    replaced: &[(String, String)],
) -> Page {
    let mut answers = answers.clone();
    for (name, value) in replaced {
        let wrong = match answers.get(name) {
            Some(Answer::Many(_)) => Answer::Many(vec![value.clone()]),
            _ => Answer::One(value.clone()),
        };
        answers.insert(name.clone(), wrong);
    }
    let answers = &answers;
    let mut page = page;
    loop {
        // Add rows until each group on the page has as many as the example.
        let add = scraper::Selector::parse("button[name=handling][value^='legg-til:']").unwrap();
        let mut wanted_add = None;
        for b in page.html.0.select(&add) {
            let g = b
                .value()
                .attr("value")
                .unwrap()
                .trim_start_matches("legg-til:")
                .to_owned();
            let want: usize = answers
                .get(&format!("__rows:{g}"))
                .map_or(0, |a| a.as_str().parse().unwrap());
            let have = page.html.count(&format!("[id^='f-{g}-row-']"));
            if have < want {
                wanted_add = Some(g);
                break;
            }
        }
        let mut fields = vec![("csrf".to_owned(), csrf_of(&page.html))];
        let mut files: Vec<(String, String, Vec<u8>)> = vec![];
        for (name, ty) in inputs(&page.html) {
            if name == "csrf" || name == "handling" || name == "tilbake" {
                continue;
            }
            if ty == "file" {
                // An example names a file in forms/examples/; upload it (once: it stays in the draft).
                if let Some(a) = answers.get(&name) {
                    for file in a.values() {
                        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                            .join("forms/examples")
                            .join(file);
                        let bytes = std::fs::read(&path)
                            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                        files.push((name.clone(), file.to_owned(), bytes));
                    }
                }
                continue;
            }
            match answers.get(&name) {
                Some(Answer::Many(vs)) => {
                    fields.extend(vs.iter().map(|v| (name.clone(), v.clone())))
                }
                Some(Answer::One(v)) if ty == "checkbox" && v != "ja" => {}
                Some(Answer::One(v)) => fields.push((name.clone(), v.clone())),
                None => {}
            }
        }
        let action = action_of(&page.html);
        match wanted_add {
            Some(g) => {
                fields.push(("handling".into(), format!("legg-til:{g}")));
                page = w.post(&action, &fields).await;
                assert_eq!(page.status, 200, "adding a row to {g}");
            }
            None => {
                fields.push(("handling".into(), "neste".into()));
                if multipart_form(&page.html) {
                    return w.post_multipart(&action, &fields, &files).await;
                }
                return w.post(&action, &fields).await;
            }
        }
    }
}

/// The catalogue keys (`form-step-of`, `v-required`, …): a page that shows one lacks that text.
fn catalogue_keys() -> &'static std::collections::BTreeSet<String> {
    static KEYS: std::sync::OnceLock<std::collections::BTreeSet<String>> =
        std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n");
        let mut keys = std::collections::BTreeSet::new();
        for file in ["nb.ftl", "validation.nb.ftl"] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            for line in text.lines() {
                if let Some((k, _)) = line.split_once(" =")
                    && k.contains('-')
                    && k.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    keys.insert(k.to_owned());
                }
            }
        }
        assert!(keys.len() > 100, "{} keys", keys.len());
        keys
    })
}

/// A step renders every text in the page's language: no catalogue key shown in place of a text, no
/// empty label, legend or heading.
pub fn no_missing_text(page: &Page, form: &str, lang: &str) {
    let text = page.html.text("main");
    let keys = catalogue_keys();
    let shown: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || ".,:;«»()".contains(c))
        .filter(|w| keys.contains(*w))
        .collect();
    assert!(
        shown.is_empty(),
        "{form} {lang} {}: catalogue keys shown: {shown:?}",
        page.url
    );
    for sel in ["main h1", "main label", "main legend"] {
        for t in page.html.texts(sel) {
            assert!(
                !t.trim().is_empty(),
                "{form} {lang} {}: an empty {sel}",
                page.url
            );
        }
    }
    assert_eq!(
        page.html.attr("html", "lang").as_deref(),
        Some(lang),
        "{form}: the page is in the language asked for"
    );
    // `street-address` is a multi-line token (WCAG 1.3.5 wants valid purposes): never on an <input>.
    assert_eq!(
        page.html.count("input[autocomplete='street-address']"),
        0,
        "{form} {}: street-address on a single-line input",
        page.url
    );
    follow_ups_explain_themselves(page, form, lang);
    // A unit ("kr", "personer") sits beside its input, in the same row.
    assert_eq!(
        page.html.count(".input__unit"),
        page.html.count(".input__with-unit > .input + .input__unit"),
        "{form} {}: a unit outside its input's row",
        page.url
    );
}

/// Every follow-up question on the page (shown because a script may hide it) says when to answer it, and
/// names a question that is on the same page.
pub fn follow_ups_explain_themselves(page: &Page, form: &str, lang: &str) {
    let starts: &[&str] = match lang {
        "nn" => &["Svar berre dersom ", "Gjeld berre dersom "],
        "en" => &["Only answer this if ", "This applies only if "],
        _ => &["Svar bare hvis ", "Gjelder bare hvis "],
    };
    let sel = scraper::Selector::parse(".follow-up").unwrap();
    let cond = scraper::Selector::parse(".field__condition").unwrap();
    for f in page.html.0.select(&sel) {
        let source = f.value().attr("data-follow-up").unwrap();
        let texts: Vec<String> = f
            .select(&cond)
            .map(|c| c.text().collect::<String>())
            .collect();
        assert_eq!(texts.len(), 1, "{form} {lang}: one sentence per follow-up");
        let t = &texts[0];
        assert!(
            starts.iter().any(|s| t.starts_with(s)),
            "{form} {lang}: {t}"
        );
        assert!(
            t.contains('«') || t.contains('“'),
            "{form} {lang}: names the answer and question: {t}"
        );
        assert!(
            page.html.count(&format!("[name='{source}']")) > 0,
            "{form} {lang}: the follow-up depends on {source}, not on this page"
        );
        let values: Vec<String> =
            serde_json::from_str(f.value().attr("data-follow-values").unwrap()).unwrap();
        assert!(!values.is_empty(), "{form} {lang}: {source}");
    }
}

/// Starts `form` and fills in its steps from `answers` until one shows `selector`; that step's page.
pub async fn step_showing(
    w: &Walk<'_>,
    form: &str,
    answers: &BTreeMap<String, Answer>,
    selector: &str,
) -> Page {
    let mut page = w.start(form).await;
    for _ in 0..30 {
        if page.html.count(selector) > 0 {
            return page;
        }
        assert!(
            page.url.contains("/steg/"),
            "{form}: no step shows {selector} (at {})",
            page.url
        );
        page = fill_step(w, page, answers).await;
    }
    panic!("{form}: no step shows {selector}");
}

/// Walks a form from start to receipt; returns the reference id.
pub async fn walk(w: &Walk<'_>, form: &str, answers: &BTreeMap<String, Answer>) -> String {
    let page = fill(w, form, answers).await;
    let token = csrf_of(&page.html);
    let receipt = w
        .post(&format!("/skjema/{form}/send"), &[("csrf".into(), token)])
        .await;
    assert_eq!(receipt.status, 200, "{form}: receipt");
    assert!(receipt.url.contains("/kvittering/"), "{}", receipt.url);
    receipt.html.text("#reference-id")
}

/// Starts a form and fills in every step; returns the check-answers page.
pub async fn fill(w: &Walk<'_>, form: &str, answers: &BTreeMap<String, Answer>) -> Page {
    let mut page = w.start(form).await;
    for _ in 0..30 {
        assert!(
            page.status == 200,
            "{form} {}: status {} at {}\n{:?}",
            w.lang,
            page.status,
            page.url,
            page.html.texts(".error-summary li")
        );
        if page.url.ends_with("/oppsummering") {
            break;
        }
        assert!(
            page.url.contains("/steg/"),
            "{form}: unexpected page {}",
            page.url
        );
        no_missing_text(&page, form, w.lang);
        page = fill_step(w, page, answers).await;
    }
    assert!(
        page.url.ends_with("/oppsummering"),
        "{form}: did not reach check-answers, at {}",
        page.url
    );
    page
}

/// A form with `login = "required"` says on its landing page, in the page's language, that login is not
/// available here, offers no start button, and every route into it is refused with a translated 403 —
/// nothing is stored.
#[tokio::test]
async fn forms_that_require_login_cannot_be_started_and_say_why() {
    let srv = TestServer::start().await;
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    let required: Vec<_> = reg
        .all()
        .iter()
        .filter(|d| d.login == LoginRequirement::Required)
        .collect();
    assert!(
        !required.is_empty(),
        "the library has forms that need a login"
    );
    let before = srv.running().state().store.system().digest().unwrap();
    for (lang, says) in [
        ("nb", "innloggingen er ikke tilgjengelig"),
        ("nn", "innlogginga er ikkje tilgjengeleg"),
        ("en", "sign-in is not available"),
    ] {
        for def in &required {
            let w = Walk::new(&srv, lang, HOST);
            let id = def.id.as_str();
            let landing = w.get(&format!("/skjema/{id}")).await;
            assert_eq!(landing.status, 200, "{id}");
            assert!(
                landing.html.text(".notice").to_lowercase().contains(says),
                "{id} {lang}: {}",
                landing.html.text(".notice")
            );
            assert!(
                landing.html.texts(".button--start").is_empty(),
                "{id}: no start button"
            );
            assert!(
                !landing
                    .html
                    .text(".facts > div:last-child .facts__value")
                    .contains("MinID"),
                "{id}: the login fact promises no login that does not exist"
            );
            let token = csrf_of(&landing.html);
            let start = w
                .post(&format!("/skjema/{id}/start"), &[("csrf".into(), token)])
                .await;
            assert_eq!(start.status, 403, "{id} {lang}: start is refused");
            assert!(
                start.html.text("h1").to_lowercase().contains(&says[..10]),
                "{id} {lang}: {}",
                start.html.text("h1")
            );
            for path in ["steg/1", "kontroll", "oppsummering"] {
                let page = w.get(&format!("/skjema/{id}/{path}")).await;
                assert_eq!(page.status, 403, "{id}/{path}");
            }
        }
    }
    assert_eq!(
        srv.running().state().store.system().digest().unwrap(),
        before,
        "nothing was stored"
    );
}

#[tokio::test]
async fn every_form_walks_through_with_its_example_answers_in_three_languages() {
    // Forms that need a login cannot be filled in until accounts exist (their own test below): the
    // tenant's overrides make login optional for them, so every form of the library is walked.
    let (_overrides, srv) = crate::form_library::library_server().await;
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    let served =
        |id: &radhus::ids::FormId| srv.running().state().tenants[0].form(id).cloned().unwrap();
    let mut refs = vec![];
    for lang in ["nb", "nn", "en"] {
        for def in reg.all().iter() {
            let w = Walk::new(&srv, lang, HOST);
            let mut answers = example(def.id.as_str());
            // In nynorsk and English, identifiers are typed the way people write them ("130972 48022",
            // "974 760 673", "1234.56.78903"): the archive still gets the bare digits.
            if lang != "nb" {
                as_people_write_them(def, &mut answers);
            }
            let reference = walk(&w, def.id.as_str(), &answers).await;
            refs.push(reference);
        }
    }
    let n = refs.len();
    refs.sort();
    refs.dedup();
    assert_eq!(refs.len(), n, "every reference is unique");
    // Stored with the form's version and hash, and only visible answers.
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    let subs = srv
        .running()
        .state()
        .store
        .tenant(&tenant)
        .submissions()
        .unwrap();
    assert_eq!(subs.len(), n);
    assert_eq!(n, reg.all().len() * 3);
    for s in &subs {
        let def = served(&s.form);
        assert_eq!(s.form_hash, def.content_hash);
        let rows = srv
            .running()
            .state()
            .store
            .tenant(&tenant)
            .outbox_rows(&s.reference)
            .unwrap();
        assert_eq!(
            rows.len(),
            def.delivery_targets.len(),
            "one outbox row per target"
        );
    }
    // Every one reaches the archive folder, and both XML files validate against their schemas.
    let delivered = |s: &radhus::cases::records::Submission| {
        srv.running()
            .state()
            .store
            .tenant(&tenant)
            .outbox_rows(&s.reference)
            .unwrap()
            .iter()
            .all(|r| {
                matches!(
                    r.state,
                    radhus::cases::records::OutboxState::Delivered { .. }
                )
            })
    };
    for _ in 0..600 {
        if subs.iter().all(delivered) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    for s in &subs {
        assert!(
            delivered(s),
            "{} ({}) was not delivered",
            s.reference,
            s.form
        );
        let folder = srv
            .data_dir()
            .join("archive/eksempel")
            .join(s.reference.as_str());
        crate::delivery::xmllint(&docs.join("submission.xsd"), &folder.join("submission.xml"));
        crate::delivery::xmllint(
            &docs.join("arkivmelding/arkivmelding.xsd"),
            &folder.join("arkivmelding.xml"),
        );
        crate::form_library::archive_record_matches_the_form(&folder, &served(&s.form), s);
    }
}

/// Identifiers with the spaces and dots people type.
fn as_people_write_them(def: &radhus::forms::FormDef, answers: &mut BTreeMap<String, Answer>) {
    use radhus::forms::definition::Kind;
    for (name, answer) in answers.iter_mut() {
        let Some((_, f)) = def.field_for_name(name) else {
            continue;
        };
        let Answer::One(v) = answer else { continue };
        let cuts: &[(usize, &str)] = match f.kind {
            Kind::Fodselsnummer if v.len() == 11 => &[(6, " ")],
            Kind::Orgnr { .. } if v.len() == 9 => &[(6, " "), (3, " ")],
            Kind::Kontonummer if v.len() == 11 => &[(6, "."), (4, ".")],
            _ => continue,
        };
        for (at, sep) in cuts {
            v.insert_str(*at, sep);
        }
    }
}

fn body(page: &Page, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v = vec![("csrf".to_owned(), csrf_of(&page.html))];
    v.extend(
        extra
            .iter()
            .map(|(k, val)| ((*k).to_owned(), (*val).to_owned())),
    );
    v
}

#[tokio::test]
async fn wrong_answers_get_messages_in_the_summary_and_beside_the_field() {
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "nb", HOST);
    let step1 = w.start("barnehage-soknad").await;
    assert_eq!(step1.status, 200);
    assert_eq!(step1.html.text("h1"), "Om barnet");
    // Nothing filled in: every required field is named.
    let p = w
        .post(
            &action_of(&step1.html),
            &body(&step1, &[("handling", "neste")]),
        )
        .await;
    assert_eq!(p.status, 422);
    let summary = p.html.texts(".error-summary li a");
    assert_eq!(summary.len(), 3, "{summary:?}");
    assert_eq!(summary[0], "Fyll ut «Barnets fulle navn».");
    assert_eq!(
        p.html.attr(".error-summary li a", "href").as_deref(),
        Some("#f-barn_navn")
    );
    assert_eq!(
        p.html.attr(".error-summary", "tabindex").as_deref(),
        Some("-1")
    );
    assert!(p.html.attr(".error-summary", "autofocus").is_some());
    // Beside the field, tied to the input.
    assert_eq!(
        p.html.attr("#f-barn_navn", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        p.html.attr("#f-barn_navn", "aria-describedby").as_deref(),
        // The hint states the name's length limit before it bites.
        Some("f-barn_navn-hint f-barn_navn-error")
    );
    assert!(
        p.html
            .text("#f-barn_navn-error")
            .ends_with("Fyll ut «Barnets fulle navn».")
    );

    // Each validator's message, with what was typed kept in the field.
    for (fnr, date, expected_fnr) in [
        ("1234", "16.08.2027", "11 siffer"),
        ("14832452442", "16.08.2027", "skrivefeil"),
        ("abcdefghijk", "16.08.2027", ""),
    ] {
        let p = w
            .post(
                &action_of(&step1.html),
                &body(
                    &step1,
                    &[
                        ("barn_navn", "Sofie"),
                        ("barn_fnr", fnr),
                        ("startdato", date),
                        ("handling", "neste"),
                    ],
                ),
            )
            .await;
        assert_eq!(p.status, 422, "{fnr}");
        let msg = p.html.text("#f-barn_fnr-error");
        assert!(msg.contains(expected_fnr), "{fnr}: {msg}");
        assert_eq!(
            p.html.attr("#f-barn_fnr", "value").as_deref(),
            Some(fnr),
            "input kept"
        );
        assert_eq!(
            p.html.attr("#f-barn_navn", "value").as_deref(),
            Some("Sofie")
        );
    }
    // Dates: format, not real, in the past.
    for (date, key_text) in [
        ("16/8", "for eksempel"),
        ("31.02.2027", "finnes ikke"),
        ("01.01.2020", ""),
    ] {
        let p = w
            .post(
                &action_of(&step1.html),
                &body(
                    &step1,
                    &[
                        ("barn_navn", "Sofie"),
                        ("barn_fnr", "14832452441"),
                        ("startdato", date),
                        ("handling", "neste"),
                    ],
                ),
            )
            .await;
        assert_eq!(p.status, 422, "{date}");
        assert!(
            p.html.text("#f-startdato-error").contains(key_text),
            "{date}"
        );
    }
    // The age rule on the fødselsnummer (a cross-field rule written in the form).
    let p = w
        .post(
            &action_of(&step1.html),
            &body(
                &step1,
                &[
                    ("barn_navn", "Ola"),
                    ("barn_fnr", "10915596784"),
                    ("startdato", "16.08.2027"),
                    ("handling", "neste"),
                ],
            ),
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(
        p.html
            .text("#f-barn_fnr-error")
            .contains("6 år eller eldre")
    );
    // Correct: on to step 2.
    let p = w
        .post(
            &action_of(&step1.html),
            &body(
                &step1,
                &[
                    ("barn_navn", "Sofie"),
                    ("barn_fnr", "148324 52441"),
                    ("startdato", "16.08.2027"),
                    ("handling", "neste"),
                ],
            ),
        )
        .await;
    assert_eq!(p.status, 200);
    assert!(p.url.ends_with("/steg/2"), "{}", p.url);
    // Values not among a choice's options, and unknown fields (ignored).
    let p2 = w
        .post(
            &action_of(&p.html),
            &body(
                &p,
                &[
                    ("valg_1", "finnes-ikke"),
                    ("plasstype", "999"),
                    ("ukjent", "x"),
                    ("handling", "neste"),
                ],
            ),
        )
        .await;
    assert_eq!(p2.status, 422);
    assert_eq!(p2.html.texts(".error-summary li").len(), 2);
    assert!(p2.html.text("#f-plasstype-error").contains("Velg"));
}

#[tokio::test]
async fn contact_and_address_validators_give_their_messages() {
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "en", HOST);
    let mut answers = example("barnehage-soknad");
    // Walk to the last step with valid answers.
    let mut page = w.start("barnehage-soknad").await;
    while !page.html.0.html().contains("soker_epost") {
        page = fill_step(&w, page, &answers).await;
    }
    answers.insert("soker_epost".into(), Answer::One("kari@@example".into()));
    answers.insert("soker_telefon".into(), Answer::One("1234".into()));
    answers.insert(
        "soker_adresse.postnummer".into(),
        Answer::One("0000".into()),
    );
    let p = fill_step(&w, page, &answers).await;
    assert_eq!(p.status, 422);
    assert_eq!(p.html.attr("html", "lang").as_deref(), Some("en"));
    for id in [
        "f-soker_epost-error",
        "f-soker_telefon-error",
        "f-soker_adresse-postnummer-error",
    ] {
        assert!(!p.html.text(&format!("#{id}")).is_empty(), "{id}");
    }
    assert_eq!(p.html.texts(".error-summary li").len(), 3);
    // A valid postnummer fills an empty poststed.
    answers.insert("soker_epost".into(), Answer::One("kari@example.no".into()));
    answers.insert("soker_telefon".into(), Answer::One("+47 412 34 567".into()));
    answers.insert(
        "soker_adresse.postnummer".into(),
        Answer::One("0150".into()),
    );
    answers.insert("soker_adresse.poststed".into(), Answer::One(String::new()));
    let p = fill_step(&w, p, &answers).await;
    assert!(p.url.ends_with("/oppsummering"), "{}", p.url);
    assert!(
        p.html.0.html().contains("0150 Oslo"),
        "poststed filled from the register"
    );
}

#[tokio::test]
async fn conditions_show_and_hide_fields_and_hidden_answers_are_dropped() {
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "nb", HOST);
    let mut answers = example("barnehage-soknad");
    answers.insert("saerlige_behov".into(), Answer::One("nei".into()));
    // The description is still typed in, but the condition hides it: not required, and dropped.
    let reference = walk(&w, "barnehage-soknad", &answers).await;
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    let sub = srv
        .running()
        .state()
        .store
        .tenant(&tenant)
        .submission(&crate::support::rf(&reference))
        .unwrap()
        .unwrap();
    assert!(
        sub.answers.get("behov_beskrivelse").is_none(),
        "hidden answer dropped on submit"
    );
    assert_eq!(sub.answers.text("saerlige_behov"), "nei");
    assert_eq!(sub.answers.text("soker_navn"), "Kari Nordli");

    // With "ja" and no description: required now.
    let w = Walk::new(&srv, "nb", HOST);
    let mut answers = example("barnehage-soknad");
    answers.remove("behov_beskrivelse");
    let mut page = w.start("barnehage-soknad").await;
    while !page.html.0.html().contains("name=\"saerlige_behov\"") {
        page = fill_step(&w, page, &answers).await;
    }
    let p = fill_step(&w, page, &answers).await;
    assert_eq!(p.status, 422);
    assert_eq!(
        p.html.texts(".error-summary li a"),
        vec!["Fyll ut «Beskriv hva barnet trenger»."]
    );

    // A condition on an earlier step's answer hides a field entirely (SFO: special needs only for years 5–7).
    let w = Walk::new(&srv, "nb", HOST);
    let page = w.start("sfo-soknad").await;
    assert!(
        !page.html.0.html().contains("name=\"saerskilte_behov\"")
            || page.html.0.html().contains("name=\"trinn\"")
    );
}

#[tokio::test]
async fn repeating_group_rows_are_added_and_removed_without_javascript() {
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "nb", HOST);
    let answers = example("barnehage-soknad");
    let mut page = w.start("barnehage-soknad").await;
    while !page.html.0.html().contains("legg-til:sosken_barnehage") {
        page = fill_step(&w, page, &answers).await;
    }
    let action = action_of(&page.html);
    assert_eq!(page.html.count("[id^='f-sosken_barnehage-row-']"), 0);
    let mut p = page;
    for n in 1..=3 {
        p = w
            .post(
                &action,
                &body(&p, &[("handling", "legg-til:sosken_barnehage")]),
            )
            .await;
        assert_eq!(p.status, 200);
        assert_eq!(p.html.count("[id^='f-sosken_barnehage-row-']"), n);
    }
    // Fill the rows, then remove the middle one: the last moves up.
    let p = w
        .post(
            &action,
            &body(
                &p,
                &[
                    ("sosken_barnehage[0].sosken_navn", "A"),
                    ("sosken_barnehage[0].sosken_bhg", "solsikken"),
                    ("sosken_barnehage[1].sosken_navn", "B"),
                    ("sosken_barnehage[1].sosken_bhg", "maurtua"),
                    ("sosken_barnehage[2].sosken_navn", "C"),
                    ("sosken_barnehage[2].sosken_bhg", "solsikken"),
                    ("handling", "fjern:sosken_barnehage:1"),
                ],
            ),
        )
        .await;
    assert_eq!(p.html.count("[id^='f-sosken_barnehage-row-']"), 2);
    assert_eq!(
        p.html
            .attr("[name='sosken_barnehage[0].sosken_navn']", "value")
            .as_deref(),
        Some("A")
    );
    assert_eq!(
        p.html
            .attr("[name='sosken_barnehage[1].sosken_navn']", "value")
            .as_deref(),
        Some("C")
    );
    // An empty row is validated.
    let p = w
        .post(
            &action,
            &body(&p, &[("handling", "legg-til:sosken_barnehage")]),
        )
        .await;
    let p = w
        .post(
            &action,
            &body(
                &p,
                &[
                    ("sosken_barnehage[0].sosken_navn", "A"),
                    ("sosken_barnehage[0].sosken_bhg", "solsikken"),
                    ("sosken_barnehage[1].sosken_navn", "C"),
                    ("sosken_barnehage[1].sosken_bhg", "solsikken"),
                    ("handling", "neste"),
                ],
            ),
        )
        .await;
    assert_eq!(p.status, 422);
    assert_eq!(
        p.html.texts(".error-summary li").len(),
        2,
        "name and kindergarten of row 3"
    );
    // Back keeps the answers without validating.
    // A browser posts every field with Back too.
    let back = w
        .post(
            &action,
            &body(
                &p,
                &[
                    ("sosken_barnehage[0].sosken_navn", "A"),
                    ("sosken_barnehage[0].sosken_bhg", "solsikken"),
                    ("sosken_barnehage[1].sosken_navn", "C"),
                    ("sosken_barnehage[1].sosken_bhg", "solsikken"),
                    ("handling", "tilbake"),
                ],
            ),
        )
        .await;
    assert!(back.url.ends_with("/steg/2"), "{}", back.url);
    let again = w.get(&action).await;
    assert_eq!(
        again
            .html
            .attr("[name='sosken_barnehage[1].sosken_navn']", "value")
            .as_deref(),
        Some("C")
    );
}

#[tokio::test]
async fn control_page_lists_every_missing_answer_and_change_links_return_to_check_answers() {
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "nb", HOST);
    let answers = example("kontaktskjema");
    let reference_walk = walk(&w, "kontaktskjema", &answers).await;
    assert!(!reference_walk.is_empty());

    // A new draft: tampered step numbers go to the first incomplete step.
    let w = Walk::new(&srv, "nb", HOST);
    let first = w.start("kontaktskjema").await;
    for bad in ["99", "0", "-1", "abc", "3"] {
        let p = w.get(&format!("/skjema/kontaktskjema/steg/{bad}")).await;
        assert_eq!(p.status, 200, "{bad}");
        assert!(p.url.ends_with("/steg/1"), "{bad} → {}", p.url);
    }
    // Check-answers with nothing answered sends the citizen to the control page.
    let p = w.get("/skjema/kontaktskjema/oppsummering").await;
    assert!(p.url.ends_with("/kontroll"), "{}", p.url);
    let links = p.html.texts(".error-summary li a");
    assert!(links.len() >= 2, "{links:?}");
    let href = p.html.attr(".error-summary li a", "href").unwrap();
    assert!(
        href.starts_with("/skjema/kontaktskjema/steg/1?fra=oppsummering#f-"),
        "{href}"
    );
    let _ = first;

    // Fill everything; then use a change link from check-answers and come back.
    let mut page = w.get("/skjema/kontaktskjema/steg/1").await;
    while !page.url.ends_with("/oppsummering") {
        page = fill_step(&w, page, &answers).await;
    }
    let change = page.html.attr(".summary-list__actions a", "href").unwrap();
    assert!(change.contains("?fra=oppsummering#"), "{change}");
    assert!(
        page.html
            .text(".summary-list__actions a")
            .starts_with("Endre")
    );
    let step = w.get(&change).await;
    assert_eq!(step.status, 200);
    assert!(action_of(&step.html).ends_with("?fra=oppsummering"));
    let back = fill_step(&w, step, &answers).await;
    assert!(
        back.url.ends_with("/oppsummering"),
        "Endre returns to check-answers: {}",
        back.url
    );
}

/// Presses a step's button `handling` with `fields` typed: a POST with the page's token to `action`, or
/// to the page's own form when None.
async fn press(
    w: &Walk<'_>,
    page: &Page,
    action: Option<&str>,
    fields: &[(&str, &str)],
    handling: &str,
) -> Page {
    let mut body = vec![("csrf".to_owned(), csrf_of(&page.html))];
    body.extend(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    body.push(("handling".to_owned(), handling.to_owned()));
    let to = action.map_or_else(|| action_of(&page.html), str::to_owned);
    w.post(&to, &body).await
}

/// Item 2 of the citizen issue: the language buttons on a step save what was typed (unvalidated) and
/// show the same step in the new language; "Tilbake" after "Endre" returns to check-answers and leaves
/// the answers as they were. All without JavaScript: plain form posts.
#[tokio::test]
async fn language_switch_mid_step_and_back_from_a_change_lose_and_save_nothing_unasked() {
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "nb", HOST);
    let step = w.start("kontaktskjema").await;
    assert!(step.url.ends_with("/steg/1"), "{}", step.url);
    // The header's buttons belong to the step's form.
    assert_eq!(
        step.html.attrs(".lang-switch button", "form"),
        vec!["step-form"; 3]
    );
    assert_eq!(
        step.html.attrs(".lang-switch button", "value"),
        vec!["sprak:nb", "sprak:nn", "sprak:en"]
    );
    let typed = "Halvferdig melding som ikke er sendt ennå";
    let p = press(
        &w,
        &step,
        Some("/skjema/kontaktskjema/steg/1"),
        &[("saksnummer", "2027/99"), ("melding", typed)],
        "sprak:en",
    )
    .await;
    assert_eq!(p.status, 200);
    assert!(p.url.ends_with("/steg/1"), "the same step: {}", p.url);
    assert_eq!(p.html.attr("html", "lang").as_deref(), Some("en"));
    assert_eq!(p.html.text("h1"), "Your message");
    assert_eq!(p.html.text("textarea[name=melding]"), typed);
    assert_eq!(
        p.html.attr("input[name=saksnummer]", "value").as_deref(),
        Some("2027/99")
    );
    // Unvalidated: the required subject left empty is not an error yet.
    assert_eq!(p.html.count(".error-summary"), 0);
    // The choice sticks (cookie and session) over the browser's Accept-Language.
    let again = w.get("/skjema/kontaktskjema/steg/1").await;
    assert_eq!(again.html.attr("html", "lang").as_deref(), Some("en"));
    assert_eq!(again.html.text("textarea[name=melding]"), typed);
    // An unknown language is no action but a plain Next (validated).
    let p = press(
        &w,
        &again,
        Some("/skjema/kontaktskjema/steg/1"),
        &[("melding", typed)],
        "sprak:xx",
    )
    .await;
    assert_eq!(p.status, 422);
    assert_eq!(p.html.attr("html", "lang").as_deref(), Some("en"));

    // Through to check-answers, then "Endre", a half-finished edit and "Back to your answers".
    let answers = example("kontaktskjema");
    let mut page = w.get("/skjema/kontaktskjema/steg/1").await;
    while !page.url.ends_with("/oppsummering") {
        page = fill_step(&w, page, &answers).await;
    }
    let before = page.html.texts(".summary-list__value");
    let change = page.html.attr(".summary-list__actions a", "href").unwrap();
    let step = w.get(&change).await;
    assert_eq!(
        step.html.text("button[value=tilbake]"),
        "Back to your answers"
    );
    let p = press(
        &w,
        &step,
        None,
        &[("melding", "Endret halvveis"), ("emne", "")],
        "tilbake",
    )
    .await;
    assert!(p.url.ends_with("/oppsummering"), "{}", p.url);
    assert_eq!(
        p.html.texts(".summary-list__value"),
        before,
        "nothing saved"
    );
    // The same edit with Continue is saved (and checked).
    let step = w.get(&change).await;
    let p = press(
        &w,
        &step,
        None,
        &[("melding", "Endret helt"), ("emne", "")],
        "neste",
    )
    .await;
    assert_eq!(p.status, 422, "the emptied subject is refused");
    // Without "fra=oppsummering", Back goes to the landing page from the first step (and saves).
    let p = press(
        &w,
        &p,
        Some("/skjema/kontaktskjema/steg/1"),
        &[("melding", "Lagret ved tilbake")],
        "tilbake",
    )
    .await;
    assert!(p.url.ends_with("/skjema/kontaktskjema"), "{}", p.url);
    let step = w.get("/skjema/kontaktskjema/steg/1").await;
    assert_eq!(
        step.html.text("textarea[name=melding]"),
        "Lagret ved tilbake"
    );
}

#[tokio::test]
async fn draft_survives_a_restart_and_submission_is_idempotent() {
    let mut srv = TestServer::start().await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let answers = example("kontaktskjema");
    let first_step_done = {
        let w = Walk {
            srv: &srv,
            client: crate::support::client_with_jar(srv.addr, &srv.cert_pem, jar.clone()),
            lang: "nb",
            host: HOST,
        };
        let p = w.start("kontaktskjema").await;
        let p = fill_step(&w, p, &answers).await;
        p.url.rsplit('/').next().unwrap().to_owned()
    };
    // Restart on the same data folder (a new port; the same browser and cookies).
    srv.stop().await;
    let config = radhus::demo::prepare(srv.data_dir(), "127.0.0.1:0".parse().unwrap()).unwrap();
    srv.running = Some(radhus::App::start(config).await.unwrap());
    srv.addr = srv.running().addr;
    let w = Walk {
        srv: &srv,
        client: crate::support::client_with_jar(srv.addr, &srv.cert_pem, jar.clone()),
        lang: "nb",
        host: HOST,
    };
    let p = w.get("/skjema/kontaktskjema/steg/1").await;
    assert_eq!(p.status, 200);
    let typed = answers
        .get("emne")
        .or_else(|| answers.values().next())
        .unwrap()
        .as_str()
        .to_owned();
    assert!(
        p.html.0.html().contains(&typed),
        "the answers of step 1 are still there after the restart"
    );
    // Starting again resumes the same draft.
    let again = w.start("kontaktskjema").await;
    assert!(again.url.ends_with("/steg/1"));
    let mut page = w
        .get(&format!("/skjema/kontaktskjema/steg/{first_step_done}"))
        .await;
    while !page.url.ends_with("/oppsummering") {
        page = fill_step(&w, page, &answers).await;
    }
    // Double click: two POSTs of the same draft, one submission, the same receipt.
    let token = csrf_of(&page.html);
    let send = || {
        let c = w.client.clone();
        let url = srv.url(HOST, "/skjema/kontaktskjema/send");
        let token = token.clone();
        async move { c.post(url).form(&[("csrf", token)]).send().await.unwrap() }
    };
    let (a, b) = tokio::join!(send(), send());
    let (la, lb) = (
        a.headers()["location"].to_str().unwrap().to_owned(),
        b.headers()["location"].to_str().unwrap().to_owned(),
    );
    assert_eq!(la, lb);
    let c = send().await;
    assert_eq!(
        c.headers()["location"].to_str().unwrap(),
        la,
        "back-and-resubmit"
    );
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    assert_eq!(
        srv.running()
            .state()
            .store
            .tenant(&tenant)
            .submissions()
            .unwrap()
            .len(),
        1
    );
    // The receipt can be reloaded; the steps now lead to it.
    let r1 = w.get(&la).await;
    let r2 = w.get(&la).await;
    assert_eq!(r1.html.text("#reference-id"), r2.html.text("#reference-id"));
    assert!(r1.html.text("main").contains("Sendt "));
    let p = w.get("/skjema/kontaktskjema/steg/1").await;
    assert!(p.url.contains("/kvittering/"), "{}", p.url);
    // Another browser cannot see this receipt.
    let other = Walk::new(&srv, "nb", HOST);
    assert_eq!(other.get(&la).await.status, 404);
}

#[tokio::test]
async fn concurrent_submissions_get_distinct_gap_free_references_per_tenant() {
    let srv = TestServer::start().await;
    let answers = example("kontaktskjema");
    // Prepare 100 citizens at check-answers, 50 per tenant … then send all at once.
    let mut ready = vec![];
    for i in 0..100 {
        let host = if i % 2 == 0 {
            "eksempel.localhost"
        } else {
            "provestad.localhost"
        };
        let w = Walk::new(&srv, "nb", host);
        let mut page = w.start("kontaktskjema").await;
        for _ in 0..10 {
            if page.url.ends_with("/oppsummering") {
                break;
            }
            page = fill_step(&w, page, &answers).await;
        }
        assert!(page.url.ends_with("/oppsummering"), "{}", page.url);
        ready.push((w.client.clone(), host, csrf_of(&page.html)));
    }
    let mut sends = tokio::task::JoinSet::new();
    for (c, host, token) in ready {
        let url = srv.url(host, "/skjema/kontaktskjema/send");
        sends.spawn(async move {
            let r = c.post(url).form(&[("csrf", token)]).send().await.unwrap();
            assert_eq!(r.status(), 303);
            let location = r.headers()["location"].to_str().unwrap();
            (host, location.rsplit('/').next().unwrap().to_owned())
        });
    }
    let results = sends.join_all().await;
    for tenant in ["eksempel", "provestad"] {
        let mut refs: Vec<String> = results
            .iter()
            .filter(|(h, _)| h.starts_with(tenant))
            .map(|(_, r)| r.clone())
            .collect();
        refs.sort();
        let year = refs[0].split('-').next().unwrap().to_owned();
        let expected: Vec<String> = (1..=50).map(|n| format!("{year}-{n:05}")).collect();
        assert_eq!(refs, expected, "{tenant}: distinct and gap-free");
    }
}

/// A server whose first tenant also has the test-only form folder.
async fn with_test_forms() -> TestServer {
    TestServer::start_with(|c| {
        c.tenants[0].forms_dir = Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tenant-forms"),
        );
    })
    .await
}

fn test_form_example() -> BTreeMap<String, Answer> {
    let path = format!(
        "{}/tests/fixtures/tenant-forms/alle-felt.example.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let reg = radhus::form_files::load(&[std::path::PathBuf::from(format!(
        "{}/tests/fixtures/tenant-forms",
        env!("CARGO_MANIFEST_DIR")
    ))])
    .unwrap();
    let def = reg
        .get(&radhus::ids::FormId::parse("alle-felt").unwrap())
        .unwrap();
    let table: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut a = radhus::forms::engine::answers_from_example(def, &table);
    for (g, n) in std::mem::take(&mut a.rows) {
        a.values
            .insert(format!("__rows:{g}"), Answer::One(n.to_string()));
    }
    a.values
}

#[tokio::test]
async fn the_test_form_with_every_field_kind_walks_through_and_stays_off_the_portal() {
    let srv = with_test_forms().await;
    let c = srv.client();
    let (_, home) = crate::support::get_html(&c, &srv.url(HOST, "/")).await;
    assert_eq!(home.count("a[href='/skjema/alle-felt']"), 0, "unlisted");
    let (_, hits) = crate::support::get_html(&c, &srv.url(HOST, "/sok?q=testskjema")).await;
    assert!(hits.texts(".results .form-list__link").is_empty());
    let (_, other) =
        crate::support::get_html(&c, &srv.url("provestad.localhost", "/skjema/alle-felt")).await;
    assert_eq!(
        other.text("h1"),
        "Vi fann ikkje sida",
        "only the tenant with the folder has it (Prøvestad: nynorsk)"
    );
    let answers = test_form_example();
    for lang in ["nb", "nn", "en"] {
        let w = Walk::new(&srv, lang, HOST);
        let reference = walk(&w, "alle-felt", &answers).await;
        let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
        let sub = srv
            .running()
            .state()
            .store
            .tenant(&tenant)
            .submission(&crate::support::rf(&reference))
            .unwrap()
            .unwrap();
        // Row conditions: the 3-year-old is not asked about school.
        assert_eq!(sub.answers.text("barn[0].barn_skole"), "ja");
        assert!(sub.answers.get("barn[1].barn_skole").is_none());
        assert_eq!(sub.answers.text("sted"), "Oslo");
        assert_eq!(
            sub.answers.get("dager"),
            Some(&Answer::Many(vec!["man".into(), "ons".into()]))
        );
    }
}

#[tokio::test]
async fn step_conditions_skip_steps_and_count_reveals_questions() {
    let srv = with_test_forms().await;
    // "ekstra = nei" hides the whole last step: check-answers comes after step 3.
    let mut answers = test_form_example();
    answers.insert("ekstra".into(), Answer::One("nei".into()));
    let w = Walk::new(&srv, "nb", HOST);
    let reference = walk(&w, "alle-felt", &answers).await;
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    let sub = srv
        .running()
        .state()
        .store
        .tenant(&tenant)
        .submission(&crate::support::rf(&reference))
        .unwrap()
        .unwrap();
    assert!(
        sub.answers.get("samtykke").is_none(),
        "answers of a hidden step are dropped"
    );
    assert_eq!(sub.answers.row_count("barn"), 0);

    // Three children: count(barn) > 2 makes the textarea required.
    let mut answers = test_form_example();
    answers.insert("__rows:barn".into(), Answer::One("3".into()));
    answers.insert("barn[2].barn_navn".into(), Answer::One("Ola".into()));
    answers.insert("barn[2].barn_alder".into(), Answer::One("1".into()));
    let w = Walk::new(&srv, "nb", HOST);
    let mut page = w.start("alle-felt").await;
    while !page.html.0.html().contains("legg-til:barn") {
        page = fill_step(&w, page, &answers).await;
    }
    let p = fill_step(&w, page, &answers).await;
    assert_eq!(p.status, 422);
    assert_eq!(
        p.html.texts(".error-summary li a"),
        vec!["Fyll ut «Fortell om barna»."]
    );
    // Checkbox limits, pattern, number range and age limits.
    let mut bad = test_form_example();
    bad.insert("kode".into(), Answer::One("abc".into()));
    bad.insert("antall".into(), Answer::One("11".into()));
    bad.insert("fodt".into(), Answer::One("01.01.2020".into()));
    let w = Walk::new(&srv, "nb", HOST);
    let page = w.start("alle-felt").await;
    let p = fill_step(&w, page, &bad).await;
    assert_eq!(p.status, 422);
    for id in ["f-kode-error", "f-antall-error", "f-fodt-error"] {
        assert!(!p.html.text(&format!("#{id}")).is_empty(), "{id}");
    }
    assert!(
        p.html.text("#f-antall-error").contains("10"),
        "{}",
        p.html.text("#f-antall-error")
    );
    assert!(
        p.html.text("#f-fodt-error").contains("18"),
        "{}",
        p.html.text("#f-fodt-error")
    );
}

#[tokio::test]
async fn organisation_and_account_numbers_and_oversized_values_are_refused_with_messages() {
    let srv = with_test_forms().await;
    let w = Walk::new(&srv, "nb", HOST);
    let mut bad = test_form_example();
    bad.insert("navn".into(), Answer::One("x".repeat(600)));
    let page = w.start("alle-felt").await;
    let p = fill_step(&w, page, &bad).await;
    assert_eq!(p.status, 422);
    assert!(
        p.html.text("#f-navn-error").contains("40"),
        "{}",
        p.html.text("#f-navn-error")
    );
    let page = fill_step(&w, p, &test_form_example()).await;
    assert!(page.url.ends_with("/steg/2"));
    bad = test_form_example();
    bad.insert("orgnr".into(), Answer::One("988077918".into()));
    bad.insert("konto".into(), Answer::One("8601 11 17948".into()));
    let p = fill_step(&w, page, &bad).await;
    assert_eq!(p.status, 422);
    assert_eq!(p.html.texts(".error-summary li").len(), 2);
    for id in ["f-orgnr-error", "f-konto-error"] {
        let msg = p.html.text(&format!("#{id}"));
        assert!(msg.len() > 20, "{id}: {msg}");
    }
}

/// The kindergarten application's receipt offers the reduced-fee application only where that form can
/// be started: it needs ID-porten, which the demo does not have (the chain itself: tests/it/accounts.rs).
#[tokio::test]
async fn a_receipt_offers_no_follow_up_form_this_installation_cannot_start() {
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "nb", HOST);
    let reference = walk(&w, "barnehage-soknad", &example("barnehage-soknad")).await;
    let receipt = w
        .get(&format!("/skjema/barnehage-soknad/kvittering/{reference}"))
        .await;
    assert_eq!(
        receipt
            .html
            .count("form[action='/skjema/barnehage-redusert-betaling/start']"),
        0
    );
}
