//! Form-engine benchmarks (run by `cargo bench --bench engine` and `scripts/bench`; not a test):
//!
//! 1. A generated form with 200 fields and a repeating group of 120 rows: server time to render the
//!    check-answers page, to apply and validate a step POST, and the page size (raw and gzip).
//! 2. Durable submissions per second through the store: one at a time, and with many concurrent callers
//!    sharing commits (group commit).
//! 3. Complete submissions per second over HTTPS: 64 concurrent clients each walking the contact form
//!    (start, every step, send) with its example answers against an in-process server.
//!
//! Prints a Markdown table; `scripts/bench` copies it into docs/performance.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

use radhus::forms::answers::{Answer, Answers, row_name};
use radhus::forms::engine::{Engine, Lists};
use radhus::i18n::{I18n, Lang};
use radhus::views::Frame;

mod flow_client;

const KINDS: [&str; 8] = [
    "text", "email", "phone", "date", "number", "select", "yes-no", "textarea",
];

/// A form with 200 top-level fields over 10 steps, and a step with a 120-row group of 3 fields.
fn generated_form() -> String {
    let mut s = String::from(
        "id = \"stor\"\nversion = 1\ntopic = \"kontakt\"\nlogin = \"none\"\n\
         title = { nb = \"Stort skjema\", nn = \"Stort skjema\", en = \"Large form\" }\n\
         intro = { nb = \"Mange felt\", nn = \"Mange felt\", en = \"Many fields\" }\n",
    );
    for step in 0..10 {
        let _ = write!(
            s,
            "\n[[step]]\nid = \"s{step}\"\ntitle = {{ nb = \"Steg {step}\", nn = \"Steg {step}\", en = \"Step {step}\" }}\n"
        );
        for f in 0..20 {
            let i = step * 20 + f;
            let kind = KINDS[i % KINDS.len()];
            let _ = write!(
                s,
                "  [[step.field]]\n  id = \"f{i}\"\n  kind = \"{kind}\"\n  required = true\n  label = {{ nb = \"Spørsmål nummer {i} om noe viktig\", nn = \"Spørsmål nummer {i}\", en = \"Question number {i}\" }}\n  hint = {{ nb = \"Hjelpetekst {i}\", nn = \"Hjelpetekst {i}\", en = \"Hint {i}\" }}\n"
            );
            match kind {
                "select" => s.push_str("  options = [\"a\", \"b\", \"c\", \"d\"]\n"),
                "number" => s.push_str("  min = 0\n  max = 1000\n"),
                "textarea" => s.push_str("  max_length = 2000\n"),
                _ => {}
            }
            if f == 5 {
                let _ = writeln!(s, "  show_if = \"f{} is not empty\"", i - 1);
            }
        }
    }
    s.push_str(
        "\n[[step]]\nid = \"rader\"\ntitle = { nb = \"Rader\", nn = \"Rader\", en = \"Rows\" }\n\
         [[step.field]]\nid = \"gruppe\"\nkind = \"group\"\nmin = 0\nmax = 150\n\
         label = { nb = \"Personer\", nn = \"Personar\", en = \"People\" }\n\
         fields = [\n\
           { id = \"navn\", kind = \"text\", required = true, label = { nb = \"Navn\", nn = \"Namn\", en = \"Name\" } },\n\
           { id = \"fodt\", kind = \"date\", required = true, label = { nb = \"Født\", nn = \"Fødd\", en = \"Born\" } },\n\
           { id = \"tlf\", kind = \"phone\", label = { nb = \"Telefon\", nn = \"Telefon\", en = \"Phone\" } },\n\
         ]\n",
    );
    s
}

fn answers(def: &radhus::forms::FormDef) -> Answers {
    let mut a = Answers::default();
    for st in &def.steps {
        for f in &st.fields {
            let v = match &f.kind {
                radhus::forms::definition::Kind::Email => "ola.nordmann@example.no".to_owned(),
                radhus::forms::definition::Kind::Phone => "41234567".to_owned(),
                radhus::forms::definition::Kind::Date { .. } => "17.05.2026".to_owned(),
                radhus::forms::definition::Kind::Number { .. } => "42".to_owned(),
                radhus::forms::definition::Kind::Choice { .. } => "b".to_owned(),
                radhus::forms::definition::Kind::YesNo => "ja".to_owned(),
                radhus::forms::definition::Kind::Group { .. } => continue,
                _ => format!("Et svar med æøå til {}", f.id),
            };
            a.set(f.id.clone(), Answer::One(v));
        }
    }
    a.rows.insert("gruppe".into(), 120);
    for i in 0..120 {
        a.set(
            row_name("gruppe", i, "navn"),
            Answer::One(format!("Person {i} Ødegård")),
        );
        a.set(
            row_name("gruppe", i, "fodt"),
            Answer::One("01.02.1990".into()),
        );
        a.set(
            row_name("gruppe", i, "tlf"),
            Answer::One("+4741234567".into()),
        );
    }
    a
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time_it(n: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..5 {
        f();
    }
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f();
        v.push(t.elapsed());
    }
    let p99 = {
        let mut s = v.clone();
        s.sort();
        s[(s.len() * 99 / 100).min(s.len() - 1)]
    };
    (median(v), p99)
}

fn gzip_len(data: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap().len()
}

fn large_form(out: &mut String) {
    let text = generated_form();
    let def = radhus::forms::registry::parse_form("stor.toml", &text, Some("stor")).unwrap();
    let lists = Lists::new();
    let today = time::macros::date!(2026 - 11 - 24);
    let engine = Engine::new(&def, &lists, today);
    let a = answers(&def);
    assert!(
        engine.validate_all(&a).is_empty(),
        "generated answers are valid"
    );
    let i18n = I18n::load().unwrap();
    let frame = Frame {
        loc: i18n.loc(Lang::Nb),
        tenant_name: "Eksempel kommune",
        css_url: "/static/theme.x.css",
        logo_url: "/static/logo.x.svg",
        csrf: "token",
        here: "/skjema/stor/oppsummering",
        contact_email: "post@example.no",
        contact_phone: None,
        description: None,
        keywords: None,
        broadcasts: &[],
        switch_form: None,
        script_url: None,
    };
    let (render, render99) = time_it(200, || {
        let page = check_answers_page(&frame, &engine, &a);
        std::hint::black_box(page);
    });
    let page = check_answers_page(&frame, &engine, &a);
    // A POST of the group step: 120 rows × 3 fields, applied and validated.
    let posted: Vec<(String, String)> = a
        .values
        .iter()
        .filter(|(k, _)| k.starts_with("gruppe["))
        .map(|(k, v)| (k.clone(), v.as_str().to_owned()))
        .collect();
    let group_step = def.steps.len() - 1;
    let (validate, validate99) = time_it(500, || {
        let mut b = a.clone();
        engine.apply(group_step, &mut b, &posted);
        std::hint::black_box(engine.validate_step(group_step, &b));
    });
    let step0: Vec<(String, String)> = def.steps[0]
        .fields
        .iter()
        .map(|f| (f.id.clone(), a.text(&f.id).to_owned()))
        .collect();
    let (validate20, _) = time_it(2000, || {
        let mut b = a.clone();
        engine.apply(0, &mut b, &step0);
        std::hint::black_box(engine.validate_step(0, &b));
    });
    let (all, _) = time_it(200, || {
        std::hint::black_box(engine.validate_all(&a));
    });
    let _ = writeln!(
        out,
        "| check-answers render, 200 fields + 120-row group | {:.2} ms (p99 {:.2}) | ≤ 20 ms |",
        ms(render),
        ms(render99)
    );
    let _ = writeln!(
        out,
        "| step POST: apply + validate the 120-row group step | {:.3} ms (p99 {:.3}) | ≤ 5 ms |",
        ms(validate),
        ms(validate99)
    );
    let _ = writeln!(
        out,
        "| step POST: apply + validate a 20-field step | {:.3} ms | ≤ 5 ms |",
        ms(validate20)
    );
    let _ = writeln!(
        out,
        "| validate the whole form (control page) | {:.2} ms | – |",
        ms(all)
    );
    let _ = writeln!(
        out,
        "| check-answers page size | {} KB raw, {} KB gzip | ≤ 80 KB compressed |",
        page.len() / 1024,
        gzip_len(page.as_bytes()) / 1024
    );
}

/// Portal search over 300 forms: the words of real titles, keywords and synonyms, mixed.
fn search(out: &mut String) {
    let words = [
        "søknad",
        "barnehage",
        "parkering",
        "tilskudd",
        "kultur",
        "vei",
        "gatelys",
        "innsyn",
        "skjenking",
        "avfall",
        "slam",
        "byggesak",
        "ferdigattest",
        "skole",
        "sfo",
        "omsorg",
        "bolig",
        "startlån",
        "vigsel",
        "hund",
    ];
    let mut files = vec![];
    for i in 0..300 {
        let (a, b, c) = (
            words[i % 20],
            words[(i * 7 + 3) % 20],
            words[(i * 13 + 5) % 20],
        );
        files.push((
            format!("f{i}.toml"),
            format!(
                "id = \"f{i}\"\nversion = 1\ntopic = \"kontakt\"\nlogin = \"none\"\n\
                 title = {{ nb = \"Søk om {a} og {b} nr {i}\", nn = \"Søk om {a} {i}\", en = \"Apply for {a} {i}\" }}\n\
                 intro = {{ nb = \"Her kan du søke om {c} i kommunen.\", nn = \"Her kan du søkje om {c}.\", en = \"Apply for {c}.\" }}\n\
                 keywords = {{ nb = [\"{b}\", \"{c}\"], nn = [\"{b}\"], en = [\"{c}\"] }}\n\
                 synonyms = {{ nb = [\"{a}{b}\"], nn = [], en = [] }}\n"
            ),
        ));
    }
    let reg =
        radhus::forms::Registry::from_files(files.iter().map(|(n, t)| (n.clone(), t.as_str())))
            .unwrap();
    let forms = reg.all().to_vec();
    let idx = radhus::forms::search::SearchIndex::build(&forms, Lang::Nb);
    let queries = [
        "soknad barnehage",
        "parkering",
        "bhg",
        "kultur tilskudd",
        "xyzzy",
        "vei gatelys",
        "Søknad om SKJENKING",
        "søknader",
        "søke barnehagen",
    ];
    // Slips that match nothing as typed: each goes through the vocabulary for words a slip or two away.
    let typos = [
        "barnehgae",
        "parkerng",
        "tilskud kultr",
        "gatelsy",
        "ferdigatest",
        "skjenkng",
        "omsrog bollig",
    ];
    for (name, queries) in [
        ("as typed and word forms", &queries[..]),
        ("with typos", &typos[..]),
    ] {
        let (med, p99) = time_it(2000, || {
            for q in queries {
                std::hint::black_box(idx.search(q));
            }
        });
        let per = |d: Duration| ms(d) / queries.len() as f64;
        let _ = writeln!(
            out,
            "| portal search, 300 forms, per query {name} | {:.3} ms (p99 {:.3}) | under 1 ms |",
            per(med),
            per(p99)
        );
    }
    for q in typos {
        assert!(!idx.search(q).is_empty(), "«{q}» finds something");
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Each draft is a different citizen's, with a session of its own (as on the web).
fn request(draft: radhus::ids::DraftId, a: &Answers) -> radhus::store::SubmitRequest {
    radhus::store::SubmitRequest {
        draft,
        rev: 0,
        answers: a.clone(),
        files: vec![],
        targets: vec![radhus::ids::Target::Archive],
        session: radhus::ids::SessionId::generate().unwrap(),
        now: 0,
        year: 2026,
    }
}

async fn store_submissions(out: &mut String) {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(radhus::store::Store::open(dir.path()).unwrap());
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    let make = |n: usize| {
        let store = store.clone();
        let tenant = tenant.clone();
        async move {
            let mut ids = vec![];
            for _ in 0..n {
                let id = radhus::ids::DraftId::generate().unwrap();
                let d = radhus::cases::records::Draft {
                    tenant: tenant.clone(),
                    form: radhus::ids::FormId::parse("kontaktskjema").unwrap(),
                    form_version: 1,
                    form_hash: "h".into(),
                    lang: Lang::Nb,
                    answers: Answers::default(),
                    created: 0,
                    updated: 0,
                    expires: i64::MAX,
                    submitted: None,
                    files: Default::default(),
                    rev: 0,
                    progressed: false,
                    account: None,
                };
                store
                    .tenant(&tenant)
                    .start_draft(
                        &radhus::ids::SessionId::generate().unwrap(),
                        "eksempel/kontaktskjema".into(),
                        id.clone(),
                        d,
                        0,
                    )
                    .await
                    .unwrap();
                ids.push(id);
            }
            ids
        }
    };
    let mut a = Answers::default();
    for i in 0..12 {
        a.set(
            format!("felt{i}"),
            Answer::One("Et typisk svar på et spørsmål, med æøå".into()),
        );
    }
    // One at a time: each submission waits for its own fsync.
    let ids = make(1000).await;
    let t = Instant::now();
    for id in ids {
        store
            .tenant(&tenant)
            .submit(request(id, &a))
            .await
            .unwrap()
            .unwrap();
    }
    let seq = 1000.0 / t.elapsed().as_secs_f64();
    // 256 callers at once: the writer batches whatever is waiting into one durable commit.
    let n = 20_000;
    let ids = make(n).await;
    let t = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for chunk in ids.chunks(n / 256 + 1) {
        let store = store.clone();
        let chunk = chunk.to_vec();
        let a = a.clone();
        let tenant = tenant.clone();
        set.spawn(async move {
            for id in chunk {
                store
                    .tenant(&tenant)
                    .submit(request(id, &a))
                    .await
                    .unwrap()
                    .unwrap();
            }
        });
    }
    set.join_all().await;
    let conc = n as f64 / t.elapsed().as_secs_f64();
    let _ = writeln!(
        out,
        "| durable submissions/s, store, one at a time (1 fsync each) | {seq:.0} /s | – |"
    );
    let _ = writeln!(
        out,
        "| durable submissions/s, store, 256 concurrent callers (group commit) | {conc:.0} /s | ≥ 2,000 /s |"
    );
}

/// The summary walk and the check-answers page, as the handler makes them.
fn check_answers_page(
    frame: &radhus::views::Frame<'_>,
    engine: &radhus::forms::engine::Engine<'_>,
    a: &Answers,
) -> String {
    let steps = radhus::forms::summary::walk(engine, a, Lang::Nb, ("Ja", "Nei"), &|_: &str| None);
    radhus::views::form_run::check_answers(frame, engine.def, &steps).into_string()
}

/// 64 clients, each walking the contact form start → steps → send, until `dur` has passed.
async fn http_submissions(out: &mut String, dur: Duration) {
    let dir = tempfile::tempdir().unwrap();
    let config = radhus::demo::prepare(dir.path(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let running = radhus::App::start(config).await.unwrap();
    let addr = running.addr;
    let cert =
        reqwest::Certificate::from_pem(&std::fs::read(dir.path().join("tls/cert.pem")).unwrap())
            .unwrap();
    let steps = flow_client::steps("kontaktskjema");
    let deadline = Instant::now() + dur;
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let (cert, steps) = (cert.clone(), steps.clone());
        set.spawn(async move {
            let c = flow_client::client(cert, "eksempel.localhost", addr);
            let base = format!("https://eksempel.localhost:{}", addr.port());
            let mut done = 0u64;
            while Instant::now() < deadline {
                flow_client::flow(&c, &base, "kontaktskjema", &steps)
                    .await
                    .unwrap();
                done += 1;
            }
            done
        });
    }
    let t = Instant::now();
    let total: u64 = set.join_all().await.into_iter().sum();
    let per_s = total as f64 / t.elapsed().as_secs_f64();
    let requests = 5 + steps.len();
    let _ = writeln!(
        out,
        "| complete submissions/s over HTTPS, 64 concurrent clients on kept-alive connections, contact form ({requests} requests per citizen) | {per_s:.0} /s | ≥ 2,000 /s (engine target) |"
    );
    running.shutdown().await;
}

/// PDF render time: a two-page submission (24 answers and a 10-row table) and a long one (500 answers).
fn pdf(out: &mut String) {
    use radhus::pdf::{Block, PdfDoc};
    let fonts = radhus::pdf::fonts().unwrap();
    radhus::pdf::fallback::set_source(Box::new(radhus::font_files::FontFolders::debian()));
    let logo = std::sync::Arc::new(
        radhus::pdf::VectorLogo::from_svg(include_bytes!("../themes/default/logo.svg")).unwrap(),
    );
    let doc = |answers: usize, table: bool, rtl: bool, cjk: bool| {
        let mut blocks = vec![Block::Heading("Om barnet".into())];
        for i in 0..answers {
            blocks.push(Block::Answer {
                label: format!("Spørsmål {i}: hva heter barnet, og når skal det begynne?"),
                value: if cjk && i % 2 == 0 {
                    format!("王小明 김민준 አበበ በቀለ, 東京都 {i} 番地 – 서울특별시 {i}")
                } else if rtl && i % 2 == 0 {
                    format!("محمد علي بن أحمد، شارع الملك {i} – שלום כהן, רחוב הרצל {i}")
                } else {
                    format!(
                        "Ærlig Øvrebø på Å, svar nummer {i} – med litt mer tekst som fyller linjen"
                    )
                },
            });
        }
        if table {
            blocks.push(Block::Table {
                headers: vec!["Navn".into(), "Fødselsdato".into(), "Barnehage".into()],
                rows: (0..10)
                    .map(|i| {
                        vec![
                            format!("Søsken {i}"),
                            "01.02.2020".into(),
                            "Åsen barnehage".into(),
                        ]
                    })
                    .collect(),
            });
        }
        blocks.push(Block::Bullets(vec!["uttalelse.pdf (120 kB)".into()]));
        PdfDoc {
            title: "Søk om barnehageplass".into(),
            author: "Eksempel kommune".into(),
            subject: Some("Referanse 2026-00017".into()),
            lang: "nb".into(),
            created: time::OffsetDateTime::now_utc(),
            header: "Eksempel kommune".into(),
            logo: Some(logo.clone()),
            footer: "Søk om barnehageplass · Referanse 2026-00017".into(),
            blocks,
        }
    };
    let two = doc(24, true, false, false);
    let bytes = radhus::pdf::render(fonts, &two).unwrap();
    let (med, _) = time_it(200, || {
        radhus::pdf::render(fonts, &two).unwrap();
    });
    let _ = writeln!(
        out,
        "| PDF of a 2-page submission (24 answers, 10-row table; {} KB) | {:.2} ms | ≤ 10 ms |",
        bytes.len() / 1000,
        ms(med)
    );
    // Half the answers in Arabic and Hebrew: every such line ordered (bidi) and shaped (rustybuzz).
    let rtl = doc(24, true, true, false);
    let (med, _) = time_it(200, || {
        radhus::pdf::render(fonts, &rtl).unwrap();
    });
    let _ = writeln!(
        out,
        "| PDF of the same with 12 answers in Arabic and Hebrew (ordered and shaped) | {:.2} ms | ≤ 10 ms |",
        ms(med)
    );
    // Half the answers in Chinese, Korean and Amharic: fallback fonts from the font folders (Debian's
    // fonts-noto-*), read and parsed by the first render, then subset into each PDF.
    let cjk = doc(24, true, false, true);
    let first = std::time::Instant::now();
    let bytes = radhus::pdf::render(fonts, &cjk).unwrap();
    let first = first.elapsed();
    let (med, _) = time_it(50, || {
        radhus::pdf::render(fonts, &cjk).unwrap();
    });
    let _ = writeln!(
        out,
        "| PDF of the same with 12 answers in Chinese, Korean and Amharic (fallback fonts; {} KB; the first, reading the font folders: {:.0} ms) | {:.2} ms | ≤ 10 ms |",
        bytes.len() / 1000,
        ms(first),
        ms(med)
    );
    let long = doc(500, false, false, false);
    let (med, _) = time_it(20, || {
        radhus::pdf::render(fonts, &long).unwrap();
    });
    let _ = writeln!(
        out,
        "| PDF of 500 answers (28 pages) | {:.1} ms | – |",
        ms(med)
    );
}

/// File-drop deliveries to a folder on the same disk as `target/`, one at a time as the worker does them,
/// beside a plain fsync baseline measured in the same run.
fn file_drop(out: &mut String) {
    use radhus::delivery::file_drop::{Content, DropFile, ManifestHead, deliver};
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-file-drop");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    // Baseline: write 4 KiB and fdatasync, as `dd bs=4k oflag=dsync` does.
    let n = 300;
    let mut f = std::fs::File::create(base.join("baseline")).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        f.write_all(&[7u8; 4096]).unwrap();
        f.sync_data().unwrap();
    }
    let syncs = n as f64 / t.elapsed().as_secs_f64();
    let head = ManifestHead {
        reference: "",
        tenant: "eksempel",
        form: "barnehage-soknad",
        form_version: 1,
        form_hash: "abc",
    };
    let small = || {
        vec![
            DropFile::bytes("submission.xml", vec![b'x'; 6_000]),
            DropFile::bytes("arkivmelding.xml", vec![b'y'; 5_000]),
            DropFile::bytes("submission.pdf", vec![b'z'; 35_000]),
        ]
    };
    let archive = base.join("small");
    std::fs::create_dir_all(&archive).unwrap();
    let t = Instant::now();
    for i in 0..n {
        let r = format!("2026-{i:05}");
        let h = ManifestHead {
            reference: &r,
            ..head
        };
        deliver(&archive, &r, &h, small()).unwrap();
    }
    let per_s = n as f64 / t.elapsed().as_secs_f64();
    let _ = writeln!(
        out,
        "| file-drop deliveries/s, small submission (XML ×2, 35 KB PDF, manifest), one at a time | {per_s:.0} /s (fdatasync baseline {syncs:.0} /s) | – |"
    );
    // In batches of 128, as the archive lane takes them when submissions keep arriving.
    let archive = base.join("batched");
    std::fs::create_dir_all(&archive).unwrap();
    let refs: Vec<String> = (0..1024).map(|i| format!("2026-{i:05}")).collect();
    let t = Instant::now();
    for chunk in refs.chunks(128) {
        let batch: Vec<radhus::delivery::file_drop::Delivery<'_>> = chunk
            .iter()
            .map(|r| radhus::delivery::file_drop::Delivery {
                archive: &archive,
                reference: r,
                head: ManifestHead {
                    reference: r,
                    ..head
                },
                files: small(),
                mode: radhus::fs_modes::ARCHIVE_FILE,
            })
            .collect();
        for r in radhus::delivery::file_drop::deliver_batch(&batch, &[]) {
            r.unwrap();
        }
    }
    let batched = refs.len() as f64 / t.elapsed().as_secs_f64();
    let _ = writeln!(
        out,
        "| file-drop deliveries/s, the same in batches of 128 (one flush for the batch, one fsync of the archive folder) | {batched:.0} /s | ≥ 500 /s |"
    );
    // With a 1 MB attachment copied from the store.
    let att = base.join("attachment");
    std::fs::write(&att, vec![0x25u8; 1_000_000]).unwrap();
    let archive = base.join("large");
    std::fs::create_dir_all(&archive).unwrap();
    let m = 100;
    let t = Instant::now();
    for i in 0..m {
        let r = format!("2026-{i:05}");
        let h = ManifestHead {
            reference: &r,
            ..head
        };
        let mut files = small();
        files.push(DropFile {
            name: "attachments/1-vedlegg.pdf".into(),
            content: Content::Stored {
                path: att.clone(),
                size: 1_000_000,
                sha256: "0".repeat(64),
            },
        });
        deliver(&archive, &r, &h, files).unwrap();
    }
    let secs = t.elapsed().as_secs_f64();
    let mb_s = m as f64 * 1.046 / secs;
    // Baseline: 1 MB writes with fdatasync.
    let mut f = std::fs::File::create(base.join("baseline-mb")).unwrap();
    let t = Instant::now();
    for _ in 0..m {
        f.write_all(&vec![7u8; 1_000_000]).unwrap();
        f.sync_data().unwrap();
    }
    let base_mb = m as f64 / t.elapsed().as_secs_f64();
    let _ = writeln!(
        out,
        "| file-drop with a 1 MB attachment | {:.0} /s, {mb_s:.0} MB/s (1 MB fdatasync baseline {base_mb:.0} MB/s) | – |",
        m as f64 / secs
    );
    let _ = std::fs::remove_dir_all(&base);
}

/// The whole form library: parsing it at start, checking its example answers (`radhus check-forms`), and a
/// tenant override applied to every form (a text, a question, the handling time).
fn library(out: &mut String) {
    use radhus::forms::Registry;
    use radhus::forms::overrides::Override;
    let n = Registry::load_embedded().unwrap().all().len();
    let (load, load_p99) = time_it(50, || {
        std::hint::black_box(Registry::load_embedded().unwrap());
    });
    let _ = writeln!(
        out,
        "| parse the library ({n} forms) | median {:.1} ms, p99 {:.1} ms | – |",
        load.as_secs_f64() * 1e3,
        load_p99.as_secs_f64() * 1e3
    );
    let reg = Registry::load_embedded().unwrap();
    let examples: Vec<(String, String)> = radhus::forms::embedded::EXAMPLES
        .iter()
        .map(|(n, t)| (format!("forms/{n}"), (*t).to_owned()))
        .collect();
    let (check, check_p99) = time_it(50, || {
        let p = radhus::forms::check::examples(&reg, &examples);
        assert!(p.is_empty(), "{p:?}");
    });
    let _ = writeln!(
        out,
        "| check the library's example answers | median {:.1} ms, p99 {:.1} ms | – |",
        check.as_secs_f64() * 1e3,
        check_p99.as_secs_f64() * 1e3
    );
    let overrides: Vec<Override> = reg
        .all()
        .iter()
        .map(|d| {
            let step = &d.steps[0].id;
            let text = format!(
                "based_on = {}\nhandling_time_days = 9\n[texts]\n\"intro\" = {{ nb = \"Kommunens egen innledning.\" }}\n[[question]]\nstep = \"{step}\"\nid = \"kommunens_sporsmal\"\nkind = \"text\"\nlabel = {{ nb = \"Spørsmål\", nn = \"Spørsmål\", en = \"Question\" }}\n",
                d.version
            );
            Override::parse(&format!("t/{}.override.toml", d.id), &text).unwrap()
        })
        .collect();
    let (apply, apply_p99) = time_it(20, || {
        for (o, d) in overrides.iter().zip(reg.all()) {
            let a = o.apply(d).unwrap();
            assert!(a.misfits.is_empty(), "{:?}", a.misfits);
        }
    });
    let _ = writeln!(
        out,
        "| apply an override to every form ({n}) | median {:.1} ms, p99 {:.1} ms | – |",
        apply.as_secs_f64() * 1e3,
        apply_p99.as_secs_f64() * 1e3
    );
}

fn main() {
    // Benches build with the dev-dependencies, which bring a second rustls provider; pick ring.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    // `cargo bench --bench engine -- pdf file-drop` runs only the parts named.
    let parts = [
        "form",
        "search",
        "library",
        "pdf",
        "file-drop",
        "store",
        "http",
    ];
    let named: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| args.iter().any(|a| a == p))
        .collect();
    let run = |p: &str| named.is_empty() || named.contains(&p);
    let mut out = String::from("| measure | result | target |\n|---|---:|---:|\n");
    if run("form") {
        large_form(&mut out);
    }
    if run("search") {
        search(&mut out);
    }
    if run("library") {
        library(&mut out);
    }
    if run("pdf") {
        pdf(&mut out);
    }
    if run("file-drop") {
        file_drop(&mut out);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    if run("store") {
        rt.block_on(store_submissions(&mut out));
    }
    if run("http") {
        rt.block_on(http_submissions(
            &mut out,
            Duration::from_secs(if quick { 3 } else { 10 }),
        ));
    }
    print!("{out}");
}
