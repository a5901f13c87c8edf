//! Uploads over HTTPS against the real server: upload, show, remove, submit with the submission; every
//! kind of bad file refused with its message and nothing stored; malformed bodies refused whole; the
//! orphan sweep; a real ClamAV daemon with a signature database made here.

use std::path::{Path, PathBuf};

use crate::form_run::{HOST, Page, Walk, example, fill_step};
use crate::support::{TestServer, csrf_of};

const FORM: &str = "kulturmidler";
const FIELD: &str = "budsjett";

fn example_file(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("forms/examples")
            .join(name),
    )
    .unwrap()
}

/// Walks the form with its example answers up to the step with the file input.
async fn to_upload_step(w: &Walk<'_>) -> Page {
    to_upload_step_of(w, FORM, FIELD).await
}

async fn to_upload_step_of(w: &Walk<'_>, form: &str, field: &str) -> Page {
    let mut answers = example(form);
    answers.remove(field);
    let mut page = w.start(form).await;
    for _ in 0..10 {
        if page.html.count("input[type=file]") > 0 {
            return page;
        }
        page = fill_step(w, page, &answers).await;
        assert_eq!(page.status, 200, "{}", page.url);
    }
    panic!("no upload step in {form}");
}

/// Every file under `<data>/files/<tenant>/` (not the temporary folder).
fn stored_files(srv: &TestServer) -> Vec<PathBuf> {
    let root = srv.dir.path().join("files");
    let mut out = vec![];
    for t in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        for f in std::fs::read_dir(t.path()).into_iter().flatten().flatten() {
            out.push(f.path());
        }
    }
    out.sort();
    out
}

async fn upload(w: &Walk<'_>, page: &Page, files: &[(&str, Vec<u8>)]) -> Page {
    upload_to(w, page, FIELD, files).await
}

async fn upload_to(w: &Walk<'_>, page: &Page, field: &str, files: &[(&str, Vec<u8>)]) -> Page {
    let action = page.html.attr("main form[method=post]", "action").unwrap();
    let fields = vec![
        ("csrf".to_owned(), csrf_of(&page.html)),
        ("handling".to_owned(), "last-opp".to_owned()),
    ];
    let files: Vec<(String, String, Vec<u8>)> = files
        .iter()
        .map(|(n, b)| (field.to_owned(), (*n).to_owned(), b.clone()))
        .collect();
    w.post_multipart(&action, &fields, &files).await
}

fn walk<'a>(srv: &'a TestServer, lang: &'static str) -> Walk<'a> {
    Walk::new(srv, lang, HOST)
}

#[tokio::test]
async fn a_file_is_uploaded_shown_removed_and_goes_with_the_submission() {
    let srv = TestServer::start().await;
    let w = walk(&srv, "nb");
    let page = to_upload_step(&w).await;
    assert_eq!(
        page.html
            .attr("main form[method=post]", "enctype")
            .as_deref(),
        Some("multipart/form-data")
    );
    assert!(
        page.html
            .attr("input[type=file]", "accept")
            .unwrap()
            .contains("application/pdf")
    );
    // Next without the required file: the message says to upload one.
    let action = page.html.attr("main form[method=post]", "action").unwrap();
    let fields = vec![
        ("csrf".to_owned(), csrf_of(&page.html)),
        ("handling".to_owned(), "neste".to_owned()),
    ];
    let missing = w.post_multipart(&action, &fields, &[]).await;
    assert_eq!(missing.status, 422);
    assert!(
        missing
            .html
            .text(".error-summary")
            .contains("Last opp en fil"),
        "{}",
        missing.html.text(".error-summary")
    );

    // Upload with the Upload button: back on the step with the file listed by name and size.
    let pdf = example_file("budsjett-sommerkonsert.pdf");
    let page = upload(
        &w,
        &missing,
        &[("C:\\Mine filer\\Budsjett æøå.pdf", pdf.clone())],
    )
    .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.html.text(".file-list__name"), "Budsjett æøå.pdf");
    assert!(page.html.text(".file-list__size").contains("B"));
    // max_files = 1: no second input.
    assert_eq!(page.html.count("input[type=file]"), 0);
    let files = stored_files(&srv);
    assert_eq!(files.len(), 1);
    assert_eq!(std::fs::read(&files[0]).unwrap(), pdf);

    // Remove it: gone from the page and from the disk.
    let remove = page
        .html
        .attr(".file-list button[name=handling]", "value")
        .unwrap();
    assert!(remove.starts_with("fjern-fil:"));
    let fields = vec![
        ("csrf".to_owned(), csrf_of(&page.html)),
        ("handling".to_owned(), remove),
    ];
    let page = w.post_multipart(&action, &fields, &[]).await;
    assert_eq!(page.html.count(".file-list__item"), 0);
    assert!(stored_files(&srv).is_empty());

    // Choose the file and press Next directly (the walk sends the example's file with the step).
    let answers = example(FORM);
    let next = fill_step(&w, page, &answers).await;
    assert_eq!(next.status, 200);
    let mut page = next;
    for _ in 0..10 {
        if page.url.ends_with("/oppsummering") {
            break;
        }
        page = fill_step(&w, page, &answers).await;
    }
    assert!(page.url.ends_with("/oppsummering"), "{}", page.url);
    assert!(
        page.html
            .text("main")
            .contains("budsjett-sommerkonsert.pdf ("),
        "check-answers lists the file"
    );
    let token = csrf_of(&page.html);
    let receipt = w
        .post(&format!("/skjema/{FORM}/send"), &[("csrf".into(), token)])
        .await;
    let reference = receipt.html.text("#reference-id");
    let state = srv.running.as_ref().unwrap().state();
    let sub = state
        .store
        .tenant(&radhus::ids::TenantId::parse("eksempel").unwrap())
        .submission(&crate::support::rf(&reference))
        .unwrap()
        .unwrap();
    assert_eq!(sub.files.len(), 1);
    assert_eq!(sub.files[0].name, "budsjett-sommerkonsert.pdf");
    assert_eq!(sub.files[0].content_type, "application/pdf");
    assert_eq!(sub.files[0].size, pdf.len() as u64);
    let held = state.store.system().held_files().unwrap();
    let eksempel = radhus::ids::TenantId::parse("eksempel").unwrap();
    assert!(held.contains(&(eksempel.clone(), sub.files[0].id.clone())));
    assert_eq!(state.files.read(&eksempel, &sub.files[0].id).unwrap(), pdf);
}

#[tokio::test]
async fn bad_files_are_refused_with_messages_and_nothing_is_stored() {
    let srv = TestServer::start().await;
    for (lang, cases) in [
        (
            "nb",
            vec![
                (
                    "program.pdf",
                    b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0rest of an executable".to_vec(),
                    "filtype som ikke kan brukes",
                ),
                (
                    "setup.pdf",
                    b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec(),
                    "Last opp en fil av typen PDF",
                ),
                ("tom.pdf", vec![], "er tom"),
                (
                    "stor.pdf",
                    {
                        let mut v = b"%PDF-1.4\n".to_vec();
                        v.resize(10_000_001, b' ');
                        v
                    },
                    "høyst 10 MB",
                ),
                ("bilde.pdf", example_file("bilde-gatelys.jpg"), "typen PDF"),
            ],
        ),
        (
            "en",
            vec![(
                "program.pdf",
                b"\x7fELF\x02\x01\x01\0".to_vec(),
                "Upload a PDF file",
            )],
        ),
        ("nn", vec![("tom.pdf", vec![], "Fila «tom.pdf» er tom")]),
    ] {
        let w = walk(&srv, lang);
        let page = to_upload_step(&w).await;
        for (name, bytes, says) in cases {
            let refused = upload(&w, &page, &[(name, bytes)]).await;
            assert_eq!(refused.status, 422, "{name}");
            let msg = refused.html.text(".field__error");
            assert!(msg.contains(says), "{lang} {name}: {msg}");
            assert!(
                msg.contains(name),
                "{lang} {name}: the message names the file: {msg}"
            );
            assert_eq!(refused.html.count(".file-list__item"), 0);
            assert!(stored_files(&srv).is_empty(), "{name} left a file");
        }
    }
    // Two files where one is allowed: the first is kept, the second refused.
    let w = walk(&srv, "nb");
    let page = to_upload_step(&w).await;
    let pdf = example_file("budsjett-sommerkonsert.pdf");
    let two = upload(&w, &page, &[("a.pdf", pdf.clone()), ("b.pdf", pdf.clone())]).await;
    assert_eq!(two.status, 422);
    assert!(
        two.html.text(".field__error").contains("høyst 1 fil"),
        "{}",
        two.html.text(".field__error")
    );
    assert_eq!(two.html.count(".file-list__item"), 1);
    assert_eq!(stored_files(&srv).len(), 1);
    // Names with control and direction characters are cleaned for display.
    let w = walk(&srv, "nb");
    let page = to_upload_step(&w).await;
    let shown = upload(&w, &page, &[("../../x\u{202e}fdp.exe", pdf.clone())]).await;
    assert_eq!(shown.status, 200, "{}", shown.html.text("main"));
    assert_eq!(shown.html.text(".file-list__name"), "xfdp.exe");
    // A raw control character in the part header is not HTTP: refused whole, nothing stored.
    let w = walk(&srv, "nb");
    let page = to_upload_step(&w).await;
    let before = stored_files(&srv).len();
    let bell = upload(&w, &page, &[("a\u{7}.pdf", pdf)]).await;
    assert_eq!(bell.status, 400);
    assert_eq!(stored_files(&srv).len(), before);
    assert!(
        srv.dir
            .path()
            .join("files/tmp")
            .read_dir()
            .map_or(true, |mut d| d.next().is_none())
    );
}

/// A raw HTTP/1.1 request over TLS: the body exactly as given.
async fn raw_post(
    srv: &TestServer,
    w: &Walk<'_>,
    path: &str,
    ctype: &str,
    body: &[u8],
    length: Option<usize>,
) -> u16 {
    let url = srv.url(HOST, path);
    let mut req = w
        .client
        .post(&url)
        .header("content-type", ctype)
        .body(body.to_vec());
    if let Some(n) = length {
        req = req.header("content-length", n.to_string());
    }
    match req.send().await {
        Ok(r) => r.status().as_u16(),
        Err(_) => 0,
    }
}

#[tokio::test]
async fn malformed_and_forged_multipart_bodies_store_nothing() {
    let srv = TestServer::start().await;
    let w = walk(&srv, "nb");
    let page = to_upload_step(&w).await;
    let action = page.html.attr("main form[method=post]", "action").unwrap();
    let csrf = csrf_of(&page.html);
    let pdf = example_file("budsjett-sommerkonsert.pdf");
    let part = |name: &str, file: Option<&str>, body: &[u8]| {
        let mut v =
            format!("--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"").into_bytes();
        if let Some(f) = file {
            v.extend_from_slice(
                format!("; filename=\"{f}\"\r\nContent-Type: application/pdf").as_bytes(),
            );
        }
        v.extend_from_slice(b"\r\n\r\n");
        v.extend_from_slice(body);
        v.extend_from_slice(b"\r\n");
        v
    };
    let ct = "multipart/form-data; boundary=XyZ";
    let good_start = [
        part("csrf", None, csrf.as_bytes()),
        part(FIELD, Some("a.pdf"), &pdf),
    ]
    .concat();
    // Truncated: no closing boundary.
    assert_eq!(
        raw_post(&srv, &w, &action, ct, &good_start, None).await,
        400
    );
    // Garbage instead of parts.
    assert_eq!(
        raw_post(&srv, &w, &action, ct, b"this is not multipart at all", None).await,
        400
    );
    // No boundary parameter.
    assert_eq!(
        raw_post(&srv, &w, &action, "multipart/form-data", &good_start, None).await,
        415
    );
    // The file before the token, and a forged token: 403, nothing written.
    let file_first = [
        part(FIELD, Some("a.pdf"), &pdf),
        part("csrf", None, csrf.as_bytes()),
        b"--XyZ--\r\n".to_vec(),
    ]
    .concat();
    assert_eq!(
        raw_post(&srv, &w, &action, ct, &file_first, None).await,
        403
    );
    let forged = [
        part("csrf", None, b"forged"),
        part(FIELD, Some("a.pdf"), &pdf),
        b"--XyZ--\r\n".to_vec(),
    ]
    .concat();
    assert_eq!(raw_post(&srv, &w, &action, ct, &forged, None).await, 403);
    // Invalid UTF-8 in a text field.
    let bad_utf8 = [
        part("csrf", None, csrf.as_bytes()),
        part("handling", None, b"\xff\xfe"),
        b"--XyZ--\r\n".to_vec(),
    ]
    .concat();
    assert_eq!(raw_post(&srv, &w, &action, ct, &bad_utf8, None).await, 400);
    // Declared larger than any submission may be: refused before the body is read.
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let raw = crate::support::RawTls {
            addr: srv.addr,
            host: HOST.into(),
            cert_pem: srv.cert_pem.clone(),
        };
        let mut s = raw.connect().await;
        let head = format!(
            "POST {action} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: {ct}\r\nContent-Length: 200000000\r\nConnection: close\r\n\r\n"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(b"--XyZ\r\n").await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), s.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        let head = String::from_utf8_lossy(&buf[..n]);
        assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    }
    assert!(stored_files(&srv).is_empty());
    let tmp = srv.dir.path().join("files/tmp");
    assert!(
        tmp.read_dir().map_or(true, |mut d| d.next().is_none()),
        "temporary files left"
    );
    // A well-formed body still works afterwards.
    let good = [
        part("csrf", None, csrf.as_bytes()),
        part("handling", None, b"last-opp"),
        part(FIELD, Some("a.pdf"), &pdf),
        b"--XyZ--\r\n".to_vec(),
    ]
    .concat();
    assert_eq!(raw_post(&srv, &w, &action, ct, &good, None).await, 303);
    assert_eq!(stored_files(&srv).len(), 1);
}

#[tokio::test]
async fn the_sweep_removes_orphans_and_keeps_held_files() {
    let srv = TestServer::start().await;
    let w = walk(&srv, "nb");
    let page = to_upload_step(&w).await;
    let page = upload(
        &w,
        &page,
        &[("a.pdf", example_file("budsjett-sommerkonsert.pdf"))],
    )
    .await;
    assert_eq!(page.html.count(".file-list__item"), 1);
    let held = stored_files(&srv);
    assert_eq!(held.len(), 1);
    // An orphan (a crash between the file and the draft), an old temporary file, and a fresh orphan.
    let dir = held[0].parent().unwrap();
    let orphan = dir.join("0123456789abcdef0123456789abcdef");
    let tmp = srv
        .dir
        .path()
        .join("files/tmp/fedcba9876543210fedcba9876543210");
    let fresh = dir.join("00000000000000000000000000000001");
    std::fs::write(&orphan, b"x").unwrap();
    std::fs::write(&tmp, b"x").unwrap();
    std::fs::write(&fresh, b"x").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    for p in [&orphan, &tmp, &held[0]] {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
    }
    let removed = radhus::app::sweep_files(srv.running.as_ref().unwrap().state()).await;
    assert_eq!(removed, 2);
    assert!(!orphan.exists() && !tmp.exists());
    assert!(
        held[0].exists(),
        "a file the draft holds is kept however old"
    );
    assert!(
        fresh.exists(),
        "a new file may belong to an upload still being recorded"
    );
}

/// A real clamd (Debian's clamav-daemon) with a signature database made here: the MD5 of one file.
struct Clamd {
    child: std::process::Child,
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Clamd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn md5_hex(bytes: &[u8]) -> String {
    let out = std::process::Command::new("md5sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(bytes)?;
            c.wait_with_output()
        })
        .unwrap();
    String::from_utf8(out.stdout).unwrap()[..32].to_owned()
}

#[allow(clippy::zombie_processes)] // Clamd's Drop kills and waits.
async fn start_clamd(infected: &[u8]) -> Clamd {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    std::fs::create_dir(&db).unwrap();
    std::fs::write(
        db.join("radhus-test.hdb"),
        format!(
            "{}:{}:Radhus.Test.Infected\n",
            md5_hex(infected),
            infected.len()
        ),
    )
    .unwrap();
    let socket = dir.path().join("clamd.sock");
    let conf = dir.path().join("clamd.conf");
    std::fs::write(
        &conf,
        format!(
            "Foreground yes\nLocalSocket {}\nDatabaseDirectory {}\nTemporaryDirectory {}\nLogFile {}\nPidFile {}\n",
            socket.display(),
            db.display(),
            dir.path().display(),
            dir.path().join("clamd.log").display(),
            dir.path().join("clamd.pid").display(),
        ),
    )
    .unwrap();
    let bin = if Path::new("/usr/sbin/clamd").exists() {
        "/usr/sbin/clamd"
    } else {
        "clamd"
    };
    let child = std::process::Command::new(bin)
        .arg("-c")
        .arg(&conf)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("clamd (apt-get install clamav-daemon; .ci/run installs it)");
    // Ready when it answers PING.
    for _ in 0..300 {
        if let Ok(mut s) = tokio::net::UnixStream::connect(&socket).await {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut buf = [0u8; 16];
            if s.write_all(b"zPING\0").await.is_ok()
                && let Ok(n) = s.read(&mut buf).await
                && buf[..n].starts_with(b"PONG")
            {
                return Clamd {
                    child,
                    socket,
                    _dir: dir,
                };
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let log = std::fs::read_to_string(dir.path().join("clamd.log")).unwrap_or_default();
    panic!("clamd did not start: {log}");
}

#[tokio::test]
async fn clamav_refuses_an_infected_file_and_a_scan_failure_fails_closed() {
    let mut infected = example_file("budsjett-sommerkonsert.pdf");
    infected.extend_from_slice(b"\n% RADHUS-TEST-SIGNATURE\n");
    let clamd = start_clamd(&infected).await;
    let socket = clamd.socket.clone();
    let srv = TestServer::start_with(|c| {
        c.clamav = Some(radhus::attachments::clamav::ClamavConfig {
            address: radhus::attachments::clamav::ClamdAddress::Unix(socket),
            timeout: std::time::Duration::from_secs(30),
        })
    })
    .await;
    let w = walk(&srv, "nb");
    let page = to_upload_step(&w).await;
    let refused = upload(&w, &page, &[("smittet.pdf", infected.clone())]).await;
    assert_eq!(refused.status, 422);
    let msg = refused.html.text(".field__error");
    assert!(msg.contains("virussjekken fant skadelig innhold"), "{msg}");
    assert!(
        stored_files(&srv).is_empty(),
        "an infected file is discarded"
    );
    let clean = upload(
        &w,
        &refused,
        &[("ren.pdf", example_file("budsjett-sommerkonsert.pdf"))],
    )
    .await;
    assert_eq!(clean.status, 200);
    assert_eq!(clean.html.text(".file-list__name"), "ren.pdf");
    assert_eq!(stored_files(&srv).len(), 1);
    // clamd gone: uploads are refused (never accepted unscanned) with a "try again" message.
    drop(clamd);
    let w = walk(&srv, "en");
    let page = to_upload_step(&w).await;
    let failed = upload(
        &w,
        &page,
        &[("later.pdf", example_file("budsjett-sommerkonsert.pdf"))],
    )
    .await;
    assert_eq!(failed.status, 422);
    assert!(
        failed
            .html
            .text(".field__error")
            .contains("could not check the file")
    );
    assert_eq!(stored_files(&srv).len(), 1);
}

#[tokio::test]
async fn files_are_judged_by_their_structure_not_their_first_bytes() {
    let srv = TestServer::start().await;
    let pdf = example_file("budsjett-sommerkonsert.pdf");
    let jpeg = example_file("bilde-gatelys.jpg");
    let with = |base: &[u8], tail: &[u8]| [base, tail].concat();
    let pdf_with_script = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nendobj\ntrailer << /Root 1 0 R >>\nstartxref\n0\n%%EOF\n".to_vec();
    let unreadable = "kunne ikke leses";
    let active = "inneholder kode";
    for (form, field, name, bytes, says) in [
        (
            FORM,
            FIELD,
            "kuttet.pdf",
            pdf[..pdf.len() / 2].to_vec(),
            unreadable,
        ),
        (
            FORM,
            FIELD,
            "topp.pdf",
            b"%PDF-1.7\n%%EOF\n".to_vec(),
            unreadable,
        ),
        (
            FORM,
            FIELD,
            "side.pdf",
            with(&pdf, b"<html><script>alert(1)</script>"),
            active,
        ),
        (FORM, FIELD, "skript.pdf", pdf_with_script, active),
        (
            "feil-vei-gatelys",
            "bilder",
            "tre.jpg",
            vec![0xFF, 0xD8, 0xFF],
            unreadable,
        ),
        (
            "feil-vei-gatelys",
            "bilder",
            "kuttet.jpg",
            jpeg[..40].to_vec(),
            unreadable,
        ),
        (
            "feil-vei-gatelys",
            "bilder",
            "polyglot.jpg",
            with(&jpeg, b"<!DOCTYPE html><body onload=x>"),
            active,
        ),
    ] {
        let w = walk(&srv, "nb");
        let page = to_upload_step_of(&w, form, field).await;
        let refused = upload_to(&w, &page, field, &[(name, bytes)]).await;
        assert_eq!(refused.status, 422, "{name}");
        let msg = refused.html.text(".field__error");
        assert!(msg.contains(says) && msg.contains(name), "{name}: {msg}");
        assert!(stored_files(&srv).is_empty(), "{name} left a file");
    }
    // Whole files of each kind still go through.
    for (form, field, name, bytes) in [
        (FORM, FIELD, "budsjett.pdf", pdf),
        ("feil-vei-gatelys", "bilder", "gatelys.jpg", jpeg),
    ] {
        let w = walk(&srv, "nb");
        let page = to_upload_step_of(&w, form, field).await;
        let kept = upload_to(&w, &page, field, &[(name, bytes)]).await;
        assert_eq!(
            kept.status,
            200,
            "{name}: {}",
            kept.html.text(".field__error")
        );
    }
}

/// The citizens' data is owner-only; the archive's files get the tenant's mode (here 0660).
#[tokio::test]
async fn data_files_are_private_and_archive_files_have_the_archive_mode() {
    use std::os::unix::fs::PermissionsExt;
    let srv = TestServer::start_with(|c| {
        c.tenants[0].archive_file_mode = 0o660;
    })
    .await;
    let w = walk(&srv, "nb");
    let page = to_upload_step(&w).await;
    let pdf = example_file("budsjett-sommerkonsert.pdf");
    let mut page = upload(&w, &page, &[("budsjett.pdf", pdf)]).await;
    assert_eq!(page.status, 200);
    let answers = example(FORM);
    while !page.url.ends_with("/oppsummering") {
        page = fill_step(&w, page, &answers).await;
    }
    let receipt = w
        .post(
            &format!("/skjema/{FORM}/send"),
            &[("csrf".into(), csrf_of(&page.html))],
        )
        .await;
    let reference = receipt.html.text("#reference-id");
    let data = srv.dir.path();
    let archived = data.join("archive/eksempel").join(&reference);
    for _ in 0..100 {
        if archived.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(data), 0o700, "data folder");
    assert_eq!(mode(&data.join("radhus.redb")), 0o600, "store");
    for f in stored_files(&srv) {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
        assert_eq!(mode(f.parent().unwrap()), 0o700, "{}", f.display());
    }
    assert_eq!(mode(&data.join("files/tmp")), 0o700);
    let kept = data.join(format!("pdf/eksempel/{reference}.pdf"));
    assert_eq!(mode(&kept), 0o600);
    assert_eq!(mode(&archived), 0o770, "archive folder");
    let mut seen = 0;
    for e in walk_dir(&archived) {
        let want = if e.is_dir() { 0o770 } else { 0o660 };
        assert_eq!(mode(&e), want, "{}", e.display());
        seen += 1;
    }
    assert!(seen >= 5, "xml, pdf, manifest and the attachment: {seen}");
}

fn walk_dir(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_dir(&p));
        }
        out.push(p);
    }
    out
}

/// Uploads that overlap on one draft are applied one at a time, each against the limits as the draft is
/// then: however many arrive at once, an input never holds more than its `max_files`, and the refused
/// ones leave no file on disk. Repeated, as races are.
#[tokio::test]
async fn overlapping_uploads_to_one_draft_cannot_pass_the_limits_together() {
    let srv = TestServer::start().await;
    let jpeg = example_file("bilde-gatelys.jpg");
    for round in 0..5 {
        let w = walk(&srv, "nb");
        let page = to_upload_step_of(&w, "feil-vei-gatelys", "bilder").await;
        let action = page.html.attr("main form[method=post]", "action").unwrap();
        let token = csrf_of(&page.html);
        let mut uploads = tokio::task::JoinSet::new();
        for i in 0..8 {
            let (c, url, token, jpeg) = (
                w.client.clone(),
                srv.url(HOST, &action),
                token.clone(),
                jpeg.clone(),
            );
            uploads.spawn(async move {
                let form = reqwest::multipart::Form::new()
                    .text("csrf", token)
                    .text("handling", "last-opp")
                    .part(
                        "bilder",
                        reqwest::multipart::Part::bytes(jpeg).file_name(format!("bilde-{i}.jpg")),
                    );
                c.post(url)
                    .multipart(form)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            });
        }
        let statuses = uploads.join_all().await;
        assert!(
            statuses.iter().all(|s| *s == 303 || *s == 422),
            "round {round}: {statuses:?}"
        );
        let shown = w.get(&action).await;
        assert_eq!(
            shown.html.count(".file-list__item"),
            3,
            "round {round}: the input holds its maximum, no more"
        );
        let on_disk = stored_files(&srv).len();
        assert_eq!(
            on_disk,
            3 * (round + 1),
            "round {round}: refused files are deleted"
        );
    }
}

/// An upload racing the submission of the same draft either lands before it (and goes with it, or makes
/// the citizen confirm check-answers again) or is turned away to the receipt: never a second
/// submission, never a sent draft re-opened. Repeated, as races are.
#[tokio::test]
async fn an_upload_racing_the_submission_never_reopens_or_duplicates_it() {
    use crate::form_run::fill;
    let srv = TestServer::start().await;
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    let store = srv.running().state().store.clone();
    let jpeg = example_file("bilde-gatelys.jpg");
    for round in 0..8 {
        let w = walk(&srv, "nb");
        let mut answers = example("feil-vei-gatelys");
        answers.remove("bilder");
        let summary = fill(&w, "feil-vei-gatelys", &answers).await;
        let token = csrf_of(&summary.html);
        let upload = {
            let (c, url, token, jpeg) = (
                w.client.clone(),
                srv.url(HOST, "/skjema/feil-vei-gatelys/steg/3"),
                token.clone(),
                jpeg.clone(),
            );
            async move {
                let form = reqwest::multipart::Form::new()
                    .text("csrf", token)
                    .text("handling", "last-opp")
                    .part(
                        "bilder",
                        reqwest::multipart::Part::bytes(jpeg).file_name("sent.jpg"),
                    );
                c.post(url).multipart(form).send().await.unwrap()
            }
        };
        let send = {
            let (c, url, token) = (
                w.client.clone(),
                srv.url(HOST, "/skjema/feil-vei-gatelys/send"),
                token.clone(),
            );
            async move { c.post(url).form(&[("csrf", token)]).send().await.unwrap() }
        };
        let (up, sent) = tokio::join!(upload, send);
        assert_eq!(up.status(), 303, "round {round}");
        assert_eq!(sent.status(), 303, "round {round}");
        // Whatever happened, sending again ends at one receipt.
        let again = w
            .post(
                "/skjema/feil-vei-gatelys/send",
                &[(
                    "csrf".into(),
                    csrf_of(&w.get("/skjema/feil-vei-gatelys/oppsummering").await.html),
                )],
            )
            .await;
        assert!(
            again.url.contains("/kvittering/"),
            "round {round}: {}",
            again.url
        );
        let subs = store.tenant(&tenant).submissions().unwrap();
        assert_eq!(
            subs.len(),
            round + 1,
            "round {round}: one submission per draft"
        );
        let refs: std::collections::BTreeSet<_> =
            subs.iter().map(|s| s.reference.clone()).collect();
        assert_eq!(refs.len(), subs.len());
        // The steps of a sent draft lead to its receipt: it was not re-opened.
        let step = w.get("/skjema/feil-vei-gatelys/steg/3").await;
        assert!(
            step.url.contains("/kvittering/"),
            "round {round}: {}",
            step.url
        );
    }
}
