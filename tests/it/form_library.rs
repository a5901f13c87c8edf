//! The form library as a municipality adopts it: every form's archive metadata in the delivered record, a
//! wrong answer for every validated question of every form, and a tenant's override of a library form that
//! is applied over HTTP and checked against a newer library version by `radhus check-forms`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use radhus::forms::answers::Answer;
use radhus::forms::definition::Kind;
use radhus::forms::{FormDef, LoginRequirement};

use crate::form_run::{HOST, Page, Walk, example, fill_step_with, step_showing, walk};
use crate::support::TestServer;

/// A server whose first tenant overrides every library form that requires a login with
/// `login = "optional"` (accounts do not exist yet), so that every form can be filled in. The folder is
/// returned with it and must be kept while the server runs.
pub async fn library_server() -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    for def in reg
        .all()
        .iter()
        .filter(|d| d.login == LoginRequirement::Required)
    {
        std::fs::write(
            dir.path().join(format!("{}.override.toml", def.id)),
            format!(
                "# Accounts are not built yet: this tenant lets the form be filled in without one.\nbased_on = {}\nlogin = \"optional\"\n",
                def.version
            ),
        )
        .unwrap();
    }
    let path = dir.path().to_path_buf();
    let srv = TestServer::start_with(|c| {
        c.tenants[0].forms_dir = Some(path);
        // One test client walks the whole library three times, from one address.
        for l in [
            &mut c.budgets.drafts,
            &mut c.budgets.sessions,
            &mut c.budgets.upload_files,
            &mut c.budgets.upload_bytes,
        ] {
            l.per_ip = l.total;
        }
    })
    .await;
    (dir, srv)
}

/// One XPath string from an XML file, namespaces ignored (`a/b` → `*[local-name()='a']/…`).
pub fn xpath(file: &Path, expr: &str) -> String {
    let out = Command::new("xmllint")
        .args(["--xpath", expr])
        .arg(file)
        .output()
        .expect("xmllint is not installed: apt-get install libxml2-utils (.ci/run does this)");
    assert!(
        out.status.success(),
        "xpath {expr} on {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    text.strip_suffix('\n').unwrap_or(&text).to_owned()
}

fn el(path: &str) -> String {
    path.split('/')
        .map(|p| format!("*[local-name()='{p}']"))
        .collect::<Vec<_>>()
        .join("/")
}

/// The delivered `arkivmelding.xml` carries the form's archive metadata: the title from its pattern with
/// the answers filled in (nynorsk for a nynorsk submission), the document type of the main document,
/// the class, and the screening with its legal basis exactly where the form is confidential.
pub fn archive_record_matches_the_form(
    folder: &Path,
    def: &FormDef,
    sub: &radhus::cases::records::Submission,
) {
    let file = folder.join("arkivmelding.xml");
    let get = |path: &str| xpath(&file, &format!("string(/{})", el(path)));
    let count = |path: &str| xpath(&file, &format!("count(/{})", el(path)));
    let id = &def.id;
    let title = get("arkivmelding/mappe/tittel");
    let pattern = def.archive.title.as_ref().unwrap().get(sub.lang);
    assert!(!title.contains('{'), "{id}: {title}");
    let fixed = pattern
        .split('{')
        .next()
        .unwrap()
        .trim_end_matches([' ', '–', '-', ',', ':']);
    assert!(
        title.starts_with(fixed.trim()),
        "{id}: «{title}» from «{pattern}»"
    );
    if pattern.contains('{') {
        assert!(
            title.len() > fixed.trim().len(),
            "{id}: an answer is in «{title}»"
        );
    }
    assert_eq!(
        get("arkivmelding/mappe/basisregistrering/dokumentbeskrivelse/dokumenttype"),
        *def.archive.document_type.as_ref().unwrap(),
        "{id}"
    );
    let class = def.archive.classification.as_ref().unwrap();
    assert_eq!(
        get("arkivmelding/mappe/klassifikasjon/klasseID"),
        class.id,
        "{id}"
    );
    assert_eq!(
        get("arkivmelding/mappe/klassifikasjon/referanseKlassifikasjonssystem"),
        class.system,
        "{id}"
    );
    match &def.archive.screening {
        Some(s) => {
            for at in ["arkivmelding/mappe", "arkivmelding/mappe/basisregistrering"] {
                assert_eq!(
                    get(&format!("{at}/skjerming/tilgangsrestriksjon")),
                    s.code,
                    "{id}"
                );
                assert_eq!(
                    get(&format!("{at}/skjerming/skjermingshjemmel")),
                    s.basis,
                    "{id}"
                );
            }
            if s.metadata.iter().any(|m| m == "Tittel mappe") {
                let public = get("arkivmelding/mappe/offentligTittel");
                assert!(
                    !public.is_empty() && !public.contains('{') && public.len() <= title.len(),
                    "{id}: public title «{public}»"
                );
            }
        }
        None => assert_eq!(count("arkivmelding/mappe/skjerming"), "0", "{id}"),
    }
    // Norwegian time with its offset; the journal date is the Norwegian date.
    let received = get("arkivmelding/mappe/basisregistrering/mottattDato");
    assert!(
        received.ends_with("+01:00") || received.ends_with("+02:00"),
        "{id}: {received}"
    );
    assert_eq!(
        get("arkivmelding/mappe/basisregistrering/journaldato"),
        received[..10],
        "{id}"
    );
    // Each attachment's record is titled by its question and the citizen's file name.
    let n: usize = count("arkivmelding/mappe/basisregistrering/dokumentbeskrivelse")
        .parse()
        .unwrap();
    for f in &sub.files {
        let question = def.field_for_name(&f.field).unwrap().1;
        let want = format!(
            "{}: {}",
            radhus::forms::summary::label(question, sub.lang),
            f.name
        );
        let titles: Vec<String> = (1..=n)
            .map(|i| {
                xpath(
                    &file,
                    &format!(
                        "string((/{})[{i}]/*[local-name()='tittel'])",
                        el("arkivmelding/mappe/basisregistrering/dokumentbeskrivelse")
                    ),
                )
            })
            .collect();
        assert!(titles.contains(&want), "{id}: {want} in {titles:?}");
    }
    // Every delivered file's checksum is recorded, and matches the file on disk; the citizen's language
    // is recorded; the note says no archivist has handled it yet.
    let sums: usize = xpath(&file, "count(//*[local-name()='sjekksum'])")
        .parse()
        .unwrap();
    assert_eq!(sums, 2 + sub.files.len(), "{id}");
    for i in 1..=sums {
        let at = format!("(//*[local-name()='sjekksum'])[{i}]");
        let name = xpath(&file, &format!("string({at}/@fil)"));
        let want = xpath(&file, &format!("string({at})"));
        let bytes = std::fs::read(folder.join(&name)).unwrap();
        let got: String = <sha2::Sha256 as sha2::Digest>::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(got, want, "{id}: {name}");
    }
    assert_eq!(
        xpath(&file, "string(//*[local-name()='innsendtSpraak'])"),
        sub.lang.code(),
        "{id}"
    );
    assert!(
        get("arkivmelding/mappe/basisregistrering/merknad/merknadstekst").contains("Rådhus"),
        "{id}"
    );
    // submission.xml keeps every typed identifier, date and number normalised by its kind.
    let data = folder.join("submission.xml");
    for (name, answer) in &sub.answers.values {
        let Some((_, q)) = def.field_for_name(name) else {
            continue;
        };
        let Answer::One(typed) = answer else { continue };
        if typed.trim().is_empty() {
            continue;
        }
        let want = match &q.kind {
            Kind::Fodselsnummer | Kind::Orgnr { .. } | Kind::Kontonummer => typed
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>(),
            Kind::Date { .. } => {
                let d = radhus::forms::engine::parse_date(typed)
                    .unwrap_or_else(|e| panic!("{id}: {name} «{typed}»: {e}"));
                format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
            }
            _ => continue,
        };
        let raw = xpath(
            &data,
            &format!("string(//*[local-name()='answer'][@name='{name}']/*[local-name()='raw'])"),
        );
        // (An answer on a step the citizen did not see is not delivered.)
        if !raw.is_empty() {
            assert_eq!(raw, want, "{id}: {name} typed «{typed}»");
        }
    }
}

/// A wrong value for a question of this kind, or None when the kind has nothing to get wrong by typing.
fn wrong_value(kind: &Kind) -> Option<String> {
    Some(match kind {
        Kind::Fodselsnummer => "12345678901".into(),
        Kind::Orgnr { .. } => "12345678".into(),
        Kind::Kontonummer => "1234".into(),
        Kind::Postnummer { .. } => "12a4".into(),
        Kind::Email => "ikke-en-adresse".into(),
        Kind::Phone => "12".into(),
        Kind::Date { .. } => "31.02.2027".into(),
        Kind::Number { .. } => "mange".into(),
        Kind::Text {
            max_length: Some(n),
            ..
        }
        | Kind::Textarea {
            max_length: Some(n),
            ..
        } => "x".repeat(n + 1),
        Kind::Choice { .. } | Kind::List { .. } | Kind::YesNo => "finnes-ikke".into(),
        _ => return None,
    })
}

/// For every form of the library and every question on its way that validates what is typed (numbers,
/// identity, organisation and account numbers, postal codes, e-mail, phone, dates, text limits, choices),
/// one wrong answer with the rest of the example answers gives a 422 with that question's message beside
/// it and in the error summary, in each of the three languages; then the right answer takes the citizen
/// on.
#[tokio::test]
async fn a_wrong_answer_to_every_validated_question_gets_its_message() {
    let (_overrides, srv) = library_server().await;
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    let mut checked = 0;
    let mut messages: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (lang, def) in ["nb", "nn", "en"]
        .into_iter()
        .flat_map(|l| reg.all().iter().map(move |d| (l, d)))
    {
        let w = Walk::new(&srv, lang, HOST);
        let answers = example(def.id.as_str());
        let mut page: Page = w.start(def.id.as_str()).await;
        for _ in 0..30 {
            assert_eq!(page.status, 200, "{} at {}", def.id, page.url);
            if !page.url.contains("/steg/") {
                break;
            }
            let step_url = page.url.clone();
            let mut names: Vec<String> = page
                .html
                .attrs("main form [name]", "name")
                .into_iter()
                .filter(|n| answers.contains_key(n))
                .collect();
            names.dedup();
            for name in names {
                let Some((_, field)) = def.field_for_name(&name) else {
                    continue;
                };
                let Some(wrong) = wrong_value(&field.kind) else {
                    continue;
                };
                let fresh = w.get(&step_url).await;
                let p = fill_step_with(&w, fresh, &answers, &[(name.clone(), wrong.clone())]).await;
                let id = format!("{} {lang} {name}={wrong}", def.id);
                assert_eq!(p.status, 422, "{id}: refused");
                let anchor = radhus::forms::answers::anchor(&name);
                let summary = p.html.texts(".error-summary li a");
                let hrefs = p.html.attrs(".error-summary li a", "href");
                assert_eq!(
                    summary.len(),
                    1,
                    "{id}: one message, for this question: {summary:?}"
                );
                assert!(
                    hrefs[0].starts_with(&format!("#{anchor}")),
                    "{id}: the summary links to the question: {hrefs:?}"
                );
                let beside = p.html.texts(&format!("[id^='{anchor}'].field__error"));
                assert!(
                    beside.iter().any(|b| b.ends_with(summary[0].trim())),
                    "{id}: the message is beside the question too: {beside:?} / {summary:?}"
                );
                assert!(
                    !summary[0].contains("v-"),
                    "{id}: a catalogue key, not a text: {}",
                    summary[0]
                );
                messages.entry(lang).or_default().push(summary[0].clone());
                checked += 1;
            }
            page = crate::form_run::fill_step(&w, w.get(&step_url).await, &answers).await;
        }
        assert!(
            page.url.ends_with("/oppsummering"),
            "{}: {}",
            def.id,
            page.url
        );
    }
    eprintln!("{checked} questions checked");
    assert!(checked >= 600, "only {checked} questions checked");
    // The messages are translated: the English ones are not the bokmål ones.
    let nb: std::collections::BTreeSet<&String> = messages["nb"].iter().collect();
    let en_in_nb = messages["en"].iter().filter(|m| nb.contains(m)).count();
    assert_eq!(
        en_in_nb, 0,
        "English messages that are bokmål: {:?}",
        messages["en"]
    );
}

const OVERRIDE: &str = r#"# Eksempel kommune's changes to the library's kindergarten application.
based_on = 1
handling_time_days = 21

[texts]
"intro" = { nb = "Søk plass i barnehagene i Eksempel kommune. Hovedopptaket har frist 15. februar." }
"barnet.barn_navn.hint" = { nb = "Slik det står i folkeregisteret", nn = "Slik det står i folkeregisteret", en = "As registered in the population register" }

[archive]
classification = { system = "FE", id = "A10-EKS", title = "Barnehageopptak" }

[[question]]
step  = "barnet"
after = "barn_navn"
id    = "kallenavn"
kind  = "text"
max_length = 40
label = { nb = "Hva kaller dere barnet til daglig?", nn = "Kva kallar de barnet til dagleg?", en = "What do you call your child day to day?" }
"#;

/// A municipality's override of a library form: its texts, its extra question and its class are what
/// the citizen and the archive see, over HTTP; `check-forms` accepts it against this library, lists the
/// changes to review against a newer library version where it still fits, and names the parts that no
/// longer fit one where the question it changes was removed (exit 1).
#[tokio::test]
async fn a_tenant_override_is_served_and_checked_against_a_new_library_version() {
    let own = tempfile::tempdir().unwrap();
    std::fs::write(own.path().join("barnehage-soknad.override.toml"), OVERRIDE).unwrap();
    let dir = own.path().to_path_buf();
    let srv = TestServer::start_with(|c| c.tenants[0].forms_dir = Some(dir)).await;
    let w = Walk::new(&srv, "nb", HOST);
    let landing = w.get("/skjema/barnehage-soknad").await;
    assert!(
        landing
            .html
            .text("main")
            .contains("Hovedopptaket har frist 15. februar")
    );
    assert!(
        landing.html.text("main").contains("21"),
        "the handling time"
    );
    let step = w.start("barnehage-soknad").await;
    let labels = step.html.texts("main label");
    let at = labels
        .iter()
        .position(|l| l.contains("Hva kaller dere barnet"))
        .expect("the extra question");
    assert!(
        labels[at - 1].contains("navn"),
        "after the name: {labels:?}"
    );
    assert!(
        step.html
            .text("main")
            .contains("Slik det står i folkeregisteret")
    );
    let mut answers = example("barnehage-soknad");
    answers.insert("kallenavn".into(), Answer::One("Sofie".into()));
    let reference = walk(&w, "barnehage-soknad", &answers).await;
    let folder = srv.data_dir().join("archive/eksempel").join(&reference);
    for _ in 0..300 {
        if folder.join("manifest.json").exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let sub = folder.join("submission.xml");
    assert_eq!(
        xpath(
            &sub,
            "string(//*[local-name()='answer'][@name='kallenavn']/*[local-name()='value'])"
        ),
        "Sofie"
    );
    let ark = folder.join("arkivmelding.xml");
    assert_eq!(
        xpath(
            &ark,
            &format!(
                "string(/{})",
                el("arkivmelding/mappe/klassifikasjon/klasseID")
            )
        ),
        "A10-EKS"
    );
    // The library's title pattern and screening still apply.
    assert!(
        xpath(
            &ark,
            &format!("string(/{})", el("arkivmelding/mappe/tittel"))
        )
        .starts_with("Søknad om barnehageplass – ")
    );

    let radhus = env!("CARGO_BIN_EXE_radhus");
    let check = |args: &[&std::ffi::OsStr]| {
        let out = Command::new(radhus)
            .arg("check-forms")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = check(&[own.path().as_os_str()]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("1 forms ok") || stdout.contains("forms ok"),
        "{stdout}"
    );

    // A new library version 2 that adds a question and still fits: listed for review.
    let lib = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("forms/barnehage-soknad.toml"),
    )
    .unwrap();
    let v2 = text.replacen("version  = 1", "version  = 2", 1).replacen(
        "[[changes]]",
        "[[changes]]\nversion = 2\ndate    = 2027-01-10\nradhus  = \"0.2.0\"\ntext    = { nb = \"Nytt spørsmål om morsmål.\", nn = \"Nytt spørsmål om morsmål.\", en = \"A new question on the child's first language.\" }\n\n[[changes]]",
        1,
    );
    assert_ne!(v2, text);
    std::fs::write(lib.path().join("barnehage-soknad.toml"), &v2).unwrap();
    let library = [
        std::ffi::OsStr::new("--library"),
        lib.path().as_os_str(),
        own.path().as_os_str(),
    ];
    let (code, stdout, stderr) = check(&library);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("was written for version 1 of barnehage-soknad; the library has version 2")
            && stdout.contains("A new question on the child's first language."),
        "{stdout}"
    );

    // Version 3 renames the name question and now has its own `kallenavn`: both parts no longer fit.
    let v3 = v2
        .replacen("version  = 2", "version  = 3", 1)
        .replace("\"barn_navn\"", "\"barnets_navn\"")
        .replace("{barn_navn}", "{barnets_navn}")
        .replacen(
            "[[changes]]",
            "[[changes]]\nversion = 3\ndate    = 2027-06-01\nradhus  = \"0.3.0\"\ntext    = { nb = \"Nye navn på spørsmål.\", nn = \"Nye namn på spørsmål.\", en = \"Questions renamed.\" }\n\n[[changes]]",
            1,
        )
        .replacen(
            "  [[step.field]]\n  id       = \"barnets_navn\"",
            "  [[step.field]]\n  id       = \"kallenavn\"\n  kind     = \"text\"\n  label    = { nb = \"Kallenavn\", nn = \"Kallenamn\", en = \"Nickname\" }\n\n  [[step.field]]\n  id       = \"barnets_navn\"",
            1,
        );
    std::fs::write(lib.path().join("barnehage-soknad.toml"), &v3).unwrap();
    let (code, stdout, stderr) = check(&library);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("barnehage-soknad.override.toml:")
            && stderr.contains("no question \"barn_navn\" on step \"barnet\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("question \"kallenavn\": the library form has a question with this id now"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 override parts no longer fit the library"),
        "{stderr}"
    );
}

/// The library's table in `docs/form-library.md` (between the markers) is the library as built: every
/// form with its version, review date, legal basis and archive metadata, and the forms changed in this
/// release. `UPDATE_DOCS=1 cargo nextest run library_doc` writes it.
#[test]
fn the_library_doc_is_the_library() {
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    let mut t = String::from(
        "| form | version | last reviewed | legal basis | document type | class | screened |\n|---|---:|---|---|---|---|---|\n",
    );
    for f in reg.all() {
        let class = f.archive.classification.as_ref().unwrap();
        t.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} {} ({}) | {} |\n",
            f.id,
            f.version,
            f.last_reviewed.unwrap(),
            f.legal_basis.as_ref().unwrap().nb,
            f.archive.document_type.as_ref().unwrap(),
            class.system,
            class.id,
            class.title,
            f.archive
                .screening
                .as_ref()
                .map_or("–".to_owned(), |s| format!(
                    "{} ({})",
                    s.basis,
                    match s.document {
                        radhus::forms::ScreenedPart::Whole => "whole document",
                        radhus::forms::ScreenedPart::Part => "parts",
                    }
                )),
        ));
    }
    let release = radhus::VERSION;
    let changed = reg.changed_in(release);
    t.push_str(&format!(
        "\n### Forms new or changed in Rådhus {release}\n\n{} of {} forms (`radhus form-changes` prints this list):\n\n",
        changed.len(),
        reg.all().len()
    ));
    for (f, c) in changed {
        t.push_str(&format!(
            "- `{}` version {} ({}): {}\n",
            f.id, c.version, c.date, c.text.en
        ));
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/form-library.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    const START: &str = "<!-- library:start -->\n";
    const END: &str = "<!-- library:end -->";
    let (head, rest) = doc.split_once(START).expect("the start marker");
    let (_, tail) = rest.split_once(END).expect("the end marker");
    let want = format!("{head}{START}{t}{END}{tail}");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    assert!(
        doc == want,
        "docs/form-library.md is not the library: run UPDATE_DOCS=1 cargo nextest run library_doc"
    );
}

/// A whistle-blowing report's receipt offers no copy by e-mail (`receipt_copy = false`), and a posted
/// request for one is refused, while another form's receipt on the same server offers it.
#[tokio::test]
async fn the_whistle_blowing_receipt_offers_no_copy_by_email() {
    let srv = TestServer::start_with(|c| {
        c.smtp = Some(crate::targets::smtp_on(crate::support::free_port()));
    })
    .await;
    let w = Walk::new(&srv, "nb", HOST);
    let other = walk(&w, "kontaktskjema", &example("kontaktskjema")).await;
    let page = w
        .get(&format!("/skjema/kontaktskjema/kvittering/{other}"))
        .await;
    assert_eq!(
        page.html.count("form[action$='/epost']"),
        1,
        "the control: copies are offered"
    );
    let reference = walk(&w, "varsling", &example("varsling")).await;
    let page = w
        .get(&format!("/skjema/varsling/kvittering/{reference}"))
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.html.count("form[action$='/epost']"),
        0,
        "no copy offered"
    );
    let asked = w
        .post(
            &format!("/skjema/varsling/kvittering/{reference}/epost"),
            &[
                ("csrf".into(), crate::support::csrf_of(&page.html)),
                ("epost".into(), "leder@eksempel.no".into()),
            ],
        )
        .await;
    assert_eq!(asked.status, 404);
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    let reference = radhus::ids::Reference::parse(&reference).unwrap();
    let rows = srv
        .running()
        .state()
        .store
        .tenant(&tenant)
        .outbox_rows(&reference)
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| !matches!(r.target, radhus::ids::Target::ReceiptConfirm(_))),
        "no mail queued"
    );
}

/// Every step of every library form sent empty names each missing question with its own message (no two
/// questions on a page share one), and the page's title begins with "Feil:" / "Error:"; the control page
/// of an empty draft links every missing question of the form with distinct texts, under the same title
/// rule. In bokmål and English.
#[tokio::test]
async fn messages_name_their_question_and_error_pages_say_so_in_the_title() {
    let (_overrides, srv) = library_server().await;
    let reg = radhus::forms::Registry::load_embedded().unwrap();
    let mut problems = vec![];
    for (lang, prefix) in [("nb", "Feil: "), ("en", "Error: ")] {
        for def in reg.all() {
            let id = def.id.as_str();
            let w = Walk::new(&srv, lang, HOST);
            let answers = example(id);
            let mut page = w.start(id).await;
            // The control page of the empty draft first.
            let control = w.get(&format!("/skjema/{id}/kontroll")).await;
            let links = control.html.texts(".error-summary li a");
            if !links.is_empty() {
                let title = control.html.text("title");
                if !title.starts_with(prefix) {
                    problems.push(format!("{id} {lang} control: title «{title}»"));
                }
                let mut seen = std::collections::BTreeSet::new();
                for l in &links {
                    if !seen.insert(l.clone()) {
                        problems.push(format!("{id} {lang} control: «{l}» twice"));
                    }
                }
            }
            for _ in 0..30 {
                if !page.url.contains("/steg/") {
                    break;
                }
                let empty = w
                    .post(
                        &page.html.attr("main form[method=post]", "action").unwrap(),
                        &[
                            ("csrf".into(), crate::support::csrf_of(&page.html)),
                            ("handling".into(), "neste".into()),
                        ],
                    )
                    .await;
                if empty.status == 422 {
                    let title = empty.html.text("title");
                    if !title.starts_with(prefix) {
                        problems.push(format!("{id} {lang} {}: title «{title}»", page.url));
                    }
                    let msgs = empty.html.texts(".error-summary li a");
                    let mut seen = std::collections::BTreeSet::new();
                    for m in &msgs {
                        if !seen.insert(m.clone()) {
                            problems.push(format!("{id} {lang} {}: «{m}» twice", page.url));
                        }
                    }
                } else if empty.url.contains("/steg/")
                    && empty.status == 200
                    && empty.url == page.url
                {
                    problems.push(format!(
                        "{id} {lang} {}: an empty step neither moved on nor said why",
                        page.url
                    ));
                }
                let fresh = w.get(&page.url).await;
                page = crate::form_run::fill_step(&w, fresh, &answers).await;
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The citizen's own address gets the autofill tokens of its three lines; an address that is not hers (the
/// venue of a licence) gets none, so a browser does not fill it with hers.
#[tokio::test]
async fn only_the_citizens_own_address_is_autofilled() {
    let (_overrides, srv) = library_server().await;
    let w = Walk::new(&srv, "nb", HOST);
    let venue = step_showing(
        &w,
        "serveringsbevilling",
        &example("serveringsbevilling"),
        "[name='sted_adresse.gate']",
    )
    .await;
    for part in ["gate", "postnummer", "poststed"] {
        assert_eq!(
            venue
                .html
                .attr(&format!("[name='sted_adresse.{part}']"), "autocomplete"),
            None,
            "{part}"
        );
    }
    let page = step_showing(
        &w,
        "barnehage-soknad",
        &example("barnehage-soknad"),
        "[name='soker_adresse.gate']",
    )
    .await;
    for (part, token) in [
        ("gate", "address-line1"),
        ("postnummer", "postal-code"),
        ("poststed", "address-level2"),
    ] {
        assert_eq!(
            page.html
                .attr(&format!("[name='soker_adresse.{part}']"), "autocomplete")
                .as_deref(),
            Some(token),
            "{part}"
        );
    }
}

/// A text limit is stated in the hint before the citizen meets it (tied to the input), once; a postal
/// code the register does not know is named as typed ("0000", not "0").
#[tokio::test]
async fn limits_are_stated_before_they_bite_and_messages_show_what_was_typed() {
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "nb", HOST);
    // The contact form's own hint states its limit: said once.
    let page = step_showing(&w, "kontaktskjema", &example("kontaktskjema"), "#f-melding").await;
    let hint = page.html.text("#f-melding-hint");
    assert_eq!(
        hint.matches("4000").count() + hint.matches("4 000").count(),
        1,
        "{hint}"
    );
    // A free-text question without its own word on the limit gets the engine's.
    let page = step_showing(
        &w,
        "barnehage-soknad",
        &example("barnehage-soknad"),
        "main textarea",
    )
    .await;
    let id = page.html.attr("main textarea", "id").unwrap();
    let described = page.html.attr("main textarea", "aria-describedby").unwrap();
    assert!(described.contains(&format!("{id}-hint")), "{described}");
    let hint = page.html.text(&format!("#{id}-hint"));
    assert!(hint.contains("tegn"), "the limit in the hint: {hint}");

    let wrong = radhus::forms::validate::postnummer::check("0000").unwrap_err();
    assert_eq!(wrong.key, "v-postnummer-unknown");
    let cat = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n/validation.nb.ftl"),
    )
    .unwrap();
    assert!(cat.contains("Postnummeret { $postnummer } finnes ikke"));
    // Over HTTP: the bulky-waste pickup's address, postcode 0000.
    let answers = example("grovavfall");
    let page = step_showing(&w, "grovavfall", &answers, "[name='adresse.postnummer']").await;
    let p = crate::form_run::fill_step_with(
        &w,
        page,
        &answers,
        &[("adresse.postnummer".into(), "0000".into())],
    )
    .await;
    assert_eq!(p.status, 422);
    let msg = p.html.texts(".error-summary li a").join(" | ");
    assert!(msg.contains("Postnummeret 0000 finnes ikke"), "{msg}");
}

/// Amounts as each language writes them on check-answers ("14 800 kr", "14,800 NOK", four digits kept
/// together), limits in messages the same way, and a poststed the postnummer fills says so truthfully
/// (the server fills it: no script needed).
#[tokio::test]
async fn numbers_are_written_as_each_language_writes_them_and_the_poststed_hint_is_true() {
    let (_dir, srv) = library_server().await;
    let mut answers = example("ettergivelse-skatt");
    answers.insert("belop".into(), Answer::One("14800".into()));
    for (lang, label, shown) in [
        ("nb", "Hvor mye skylder du til sammen?", "14\u{a0}800 kr"),
        ("nn", "Kor mykje skuldar du til saman?", "14\u{a0}800 kr"),
        ("en", "How much do you owe in total?", "14,800 NOK"),
    ] {
        let w = Walk::new(&srv, lang, HOST);
        let mut page = w.start("ettergivelse-skatt").await;
        while !page.url.ends_with("/oppsummering") {
            page = crate::form_run::fill_step(&w, page, &answers).await;
            assert!(page.status < 400, "{lang} {}", page.url);
        }
        let keys = page.html.texts(".summary-list__key");
        let values = page.html.texts(".summary-list__value");
        let at = keys.iter().position(|k| k == label).expect(label);
        // (The helper folds white space; the page has a no-break space, so the number never breaks.)
        assert_eq!(values[at], shown.replace('\u{a0}', " "), "{lang}");
        assert!(
            page.html
                .0
                .html()
                .replace("&nbsp;", "\u{a0}")
                .contains(shown),
            "{lang}: {shown}"
        );
    }
    // A limit in a message: the event grant's amount has a maximum of 500 000.
    let w = Walk::new(&srv, "nb", HOST);
    let answers = example("arrangementstilskudd");
    let page = step_showing(&w, "arrangementstilskudd", &answers, "[name=soknadsbelop]").await;
    let p = crate::form_run::fill_step_with(
        &w,
        page,
        &answers,
        &[("soknadsbelop".into(), "2 500 000".into())],
    )
    .await;
    assert_eq!(p.status, 422);
    let msg = p.html.text("#f-soknadsbelop-error");
    assert!(msg.contains("500 000"), "{msg}");
    assert!(
        p.html
            .0
            .html()
            .replace("&nbsp;", "\u{a0}")
            .contains("500\u{a0}000")
    );
    assert!(!msg.contains("500000"), "{msg}");

    // The street-light report: poststed is filled from the postcode, and the hint says when.
    let answers = example("feil-vei-gatelys");
    let page = step_showing(&w, "feil-vei-gatelys", &answers, "[name=poststed]").await;
    let hint = page.html.text("#f-poststed-hint");
    assert!(
        hint.contains("fylles ut fra postnummeret når du går videre"),
        "{hint}"
    );
    assert!(
        page.html
            .attr("#f-poststed", "aria-describedby")
            .unwrap()
            .contains("f-poststed-hint")
    );
    let mut typed = answers.clone();
    typed.insert("postnummer".into(), Answer::One("9990".into()));
    typed.insert("poststed".into(), Answer::One(String::new()));
    let mut page = crate::form_run::fill_step(&w, page, &typed).await;
    while !page.url.ends_with("/oppsummering") {
        page = crate::form_run::fill_step(&w, page, &typed).await;
    }
    let text = page.html.text("main");
    assert!(
        text.contains("Båtsfjord"),
        "the server filled poststed: {text}"
    );
    // An address's own poststed says the same.
    let page = step_showing(
        &w,
        "grovavfall",
        &example("grovavfall"),
        "[name='adresse.poststed']",
    )
    .await;
    assert!(
        page.html
            .text("[id='f-adresse-poststed-hint']")
            .contains("fylles ut fra postnummeret")
    );
}
