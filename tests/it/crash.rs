//! Crash and fault tests against the real binary: SIGKILL at random moments while citizens submit forms
//! with attachments, then restart, many times over; afterwards every acknowledged submission exists with
//! its files, the references have no gaps, and each lands in the archive exactly once (complete, checked
//! against its manifest) and at the HTTP receiver and the mailbox (a real SMTP server) at least once, each
//! recognisable by its idempotency key or Message-ID. A data disk that is full (a file-size limit on the
//! process) refuses new submissions with a clear page instead of acknowledging them.
//!
//! `RADHUS_CRASH_ROUNDS` sets the number of rounds (default 50); `scripts/soak` runs 1,000.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use radhus::cases::records::OutboxState;

use crate::form_run::{HOST, Walk, example, walk};
use crate::support::{SmtpPeer, TestServer, bin, client_for, free_port, smtp_peer};

const SECRET: &str = "crash-test-secret-at-least-32-characters";

/// The demo setup in `dir`, plus an HTTP target (all forms) for the eksempel tenant and, with `smtp`, a
/// mailbox target (all forms) through that SMTP server.
pub(crate) fn write_config(
    dir: &Path,
    port: u16,
    receiver: u16,
    smtp: Option<&SmtpPeer>,
) -> PathBuf {
    let listen = format!("127.0.0.1:{port}").parse().unwrap();
    radhus::demo::prepare(dir, listen).unwrap();
    let mut targets = format!(
        "[[tenant.target]]\nname = \"saksystem\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{receiver}/inn\"\nsecret = \"{SECRET}\"\nall_forms = true\n\n"
    );
    let mut smtp_section = String::new();
    if let Some(peer) = smtp {
        let ca = dir.join("smtp-ca.pem");
        std::fs::write(&ca, &peer.cert_pem).unwrap();
        targets.push_str(
            "[[tenant.target]]\nname = \"postmottak\"\nkind = \"email\"\nto = \"postmottak@eksempel.example\"\nall_forms = true\n\n",
        );
        smtp_section = format!(
            "\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"starttls\"\nusername = \"radhus\"\npassword = \"hemmelig-passord\"\nfrom = \"Eksempel kommune <noreply@eksempel.example>\"\nca_file = \"{}\"\n",
            peer.port,
            ca.display()
        );
    }
    let mut text = radhus::demo::config_text(listen).replacen(
        "[tenant.intro]",
        &format!("{targets}[tenant.intro]"),
        1,
    );
    text.push_str(&smtp_section);
    // Hundreds of citizens come from this one address: the per-address budgets are not what these
    // tests are about (tests/it/hardening.rs is).
    text.push_str(
        "\n[budgets]\ndrafts = { per_ip = 1000000, per_tenant = 1000000, total = 1000000 }\nsessions = { per_ip = 1000000, per_tenant = 1000000, total = 1000000 }\n",
    );
    let path = dir.join("crash.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Starts `radhus serve`; with `fsize`, the process may not grow any file beyond that many bytes
/// (RLIMIT_FSIZE, SIGXFSZ ignored so writes fail with EFBIG instead of killing it). Only the soft limit
/// is set: [`lift_fsize`] can take it away again, as freeing space on a full disk would.
pub(crate) fn spawn(config: &Path, fsize: Option<u64>) -> tokio::process::Child {
    // tokio's process: waiting for the server never blocks this thread (the HTTP receiver runs on it).
    let mut cmd = tokio::process::Command::new(bin());
    // The server's warnings and errors go to server.log beside the config (shown when a test fails).
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(config.with_file_name("server.log"))
        .unwrap();
    cmd.arg("serve")
        .arg("--config")
        .arg(config)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .kill_on_drop(true);
    if let Some(limit) = fsize {
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: libc::RLIM_INFINITY,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                Ok(())
            });
        }
    }
    cmd.spawn().unwrap()
}

/// Lifts the running server's file-size limit ("space was freed").
pub(crate) fn lift_fsize(child: &tokio::process::Child) {
    let pid = child.id().unwrap() as libc::pid_t;
    let lim = libc::rlimit {
        rlim_cur: libc::RLIM_INFINITY,
        rlim_max: libc::RLIM_INFINITY,
    };
    // SAFETY: prlimit on our own child with a valid struct.
    let rc = unsafe { libc::prlimit(pid, libc::RLIMIT_FSIZE, &lim, std::ptr::null_mut()) };
    assert_eq!(rc, 0, "prlimit: {}", std::io::Error::last_os_error());
}

pub(crate) async fn ready(client: &reqwest::Client, port: u16) {
    for _ in 0..400 {
        if let Ok(r) = client
            .get(format!("https://localhost:{port}/healthz"))
            .send()
            .await
            && r.status().is_success() | (r.status() == 503)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the server did not come up");
}

/// The outbox rows by state, from the server's /metrics.
pub(crate) async fn outbox_rows(client: &reqwest::Client, port: u16) -> BTreeMap<String, u64> {
    let text = client
        .get(format!("https://localhost:{port}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let rows: BTreeMap<String, u64> = text
        .lines()
        .filter_map(|l| l.strip_prefix("radhus_outbox_rows{state=\""))
        .filter_map(|l| l.split_once("\"} "))
        .map(|(state, n)| (state.to_owned(), n.parse().unwrap()))
        .collect();
    assert_eq!(rows.len(), 4, "outbox rows in /metrics: {text}");
    rows
}

/// A view of the external server for the walking helpers (they only need its address and certificate).
pub(crate) fn view(port: u16, cert_pem: &[u8]) -> TestServer {
    /// The walking helpers never read the configuration of a view: one made once serves them all.
    static CONFIG: std::sync::OnceLock<radhus::config::Config> = std::sync::OnceLock::new();
    let dir = tempfile::tempdir().unwrap();
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    let config = CONFIG
        .get_or_init(|| radhus::demo::prepare(dir.path(), addr).unwrap())
        .clone();
    TestServer {
        running: None,
        addr,
        config,
        dir,
        cert_pem: cert_pem.to_vec(),
    }
}

fn rand_below(n: u64) -> u64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap();
    u64::from_le_bytes(b) % n
}

#[tokio::test]
async fn submissions_survive_sigkill_and_land_exactly_once() {
    // The page parser is not Send: the citizens run as local tasks on this thread.
    tokio::task::LocalSet::new()
        .run_until(sigkill_rounds())
        .await;
}

/// While true, panics are not printed: citizens' walks end in a panic when the server is killed under them.
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

async fn sigkill_rounds() {
    crate::support::init_crypto();
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
            default_hook(info);
        }
    }));
    let rounds: usize = std::env::var("RADHUS_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let dir = tempfile::tempdir().unwrap();
    let (receiver_port, requests) = crate::support::http_receiver(|_| 200).await;
    let mailbox = smtp_peer().await;
    let port = free_port();
    let config = write_config(dir.path(), port, receiver_port, Some(&mailbox));
    let cert = std::fs::read(dir.path().join("tls/cert.pem")).unwrap();
    let probe = client_for(format!("127.0.0.1:{port}").parse().unwrap(), &cert);
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let forms = ["kulturmidler", "kontaktskjema", "feil-vei-gatelys"];
    QUIET.store(true, std::sync::atomic::Ordering::Relaxed);
    for round in 0..rounds {
        let mut child = spawn(&config, None);
        ready(&probe, port).await;
        let mut tasks = vec![];
        for c in 0..4 {
            let (acked, cert) = (acked.clone(), cert.clone());
            let form = forms[(round + c) % forms.len()];
            tasks.push(tokio::task::spawn_local(async move {
                let srv = view(port, &cert);
                let answers = example(form);
                loop {
                    let w = Walk::new(&srv, "nb", HOST);
                    // A walk that meets the kill panics inside its own task; its acknowledgement, if any,
                    // was recorded by then only when the receipt page came back.
                    let reference = walk(&w, form, &answers).await;
                    acked.lock().unwrap().push(reference);
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(50 + rand_below(450))).await;
        child.kill().await.unwrap(); // SIGKILL, then reaped
        for t in tasks {
            t.abort();
            let _ = t.await;
        }
    }
    QUIET.store(false, std::sync::atomic::Ordering::Relaxed);
    // Let the outbox drain with the server up (its /metrics counts the rows by state), then stop it cleanly
    // and read the store directly. A long soak leaves thousands of e-mails queued, so the wait is for
    // progress, not for a fixed time.
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    let mut child = spawn(&config, None);
    ready(&probe, port).await;
    let (mut least, mut since) = (u64::MAX, std::time::Instant::now());
    loop {
        let rows = outbox_rows(&probe, port).await;
        let (pending, failing, failed) = (rows["pending"], rows["failing"], rows["failed"]);
        assert_eq!(failed, 0, "deliveries failed for good: {rows:?}");
        if pending + failing == 0 {
            break;
        }
        if pending + failing < least {
            (least, since) = (pending + failing, std::time::Instant::now());
        }
        assert!(
            since.elapsed() < Duration::from_secs(60),
            "the outbox stopped draining: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    unsafe_sigterm(&child);
    child.wait().await.unwrap();
    let store = radhus::store::Store::open(dir.path()).unwrap();
    let subs = store.tenant(&tenant).submissions().unwrap();
    for sub in &subs {
        for row in store.tenant(&tenant).outbox_rows(&sub.reference).unwrap() {
            assert!(
                matches!(row.state, OutboxState::Delivered { .. }),
                "{} to {}: {:?}",
                sub.reference,
                row.target,
                row.state
            );
        }
    }
    let refs: BTreeSet<String> = subs.iter().map(|s| s.reference.to_string()).collect();
    let acked: BTreeSet<String> = acked.lock().unwrap().iter().cloned().collect();
    assert!(
        acked.len() >= rounds / 2,
        "too few submissions to prove anything: {}",
        acked.len()
    );
    let missing: Vec<_> = acked.difference(&refs).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    // Gap-free: the counter moves only with a committed submission.
    for (i, s) in subs.iter().enumerate() {
        let n: usize = s
            .reference
            .as_str()
            .rsplit('-')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(n, i + 1, "references have a gap at {}", s.reference);
    }
    // Idempotency keys the receiver has seen, with counts.
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    for (headers, _) in requests.lock().unwrap().iter() {
        let key = headers["idempotency-key"].to_str().unwrap().to_owned();
        *keys.entry(key).or_default() += 1;
    }
    // Message-IDs the mailbox has seen, with counts (the raw messages as received).
    let mut message_ids: BTreeMap<String, usize> = BTreeMap::new();
    for e in std::fs::read_dir(&mailbox.out).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "eml") {
            let raw = std::fs::read_to_string(&path).unwrap();
            let id = raw
                .lines()
                .take_while(|l| !l.is_empty())
                .find_map(|l| l.strip_prefix("Message-ID: "))
                .unwrap_or_else(|| panic!("{} has no Message-ID", path.display()));
            *message_ids.entry(id.to_owned()).or_default() += 1;
        }
    }
    // Exactly once in the archive, complete, nothing else there.
    let archive = dir.path().join("archive/eksempel");
    let entries: BTreeSet<String> = std::fs::read_dir(&archive)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        entries, refs,
        "the archive holds one folder per submission and nothing else"
    );
    let example_pdf = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("forms/examples/budsjett-sommerkonsert.pdf"),
    )
    .unwrap();
    for s in &subs {
        let folder = archive.join(s.reference.as_str());
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
        let mut listed = BTreeSet::from(["manifest.json".to_owned()]);
        for f in manifest["files"].as_array().unwrap() {
            let name = f["name"].as_str().unwrap();
            listed.insert(name.split('/').next().unwrap().to_owned());
            let bytes = std::fs::read(folder.join(name)).unwrap();
            use sha2::Digest;
            let sha: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(f["sha256"], sha.as_str(), "{}/{name}", s.reference);
        }
        let present: BTreeSet<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(present, listed, "{}", s.reference);
        if s.form.as_str() == "kulturmidler" {
            assert_eq!(s.files.len(), 1);
            let att = folder.join("attachments/1-budsjett-sommerkonsert.pdf");
            assert_eq!(std::fs::read(att).unwrap(), example_pdf, "{}", s.reference);
        }
        let key = format!("eksempel/{}/saksystem", s.reference);
        assert!(
            keys.get(&key).copied().unwrap_or(0) >= 1,
            "the HTTP receiver never got {key}"
        );
        let id = format!("<eksempel.{}.postmottak@radhus>", s.reference);
        assert!(
            message_ids.get(&id).copied().unwrap_or(0) >= 1,
            "the mailbox never got {id}"
        );
    }
    let seen = keys;
    eprintln!(
        "{rounds} rounds: {} acknowledged, {} committed, {} HTTP deliveries for {} keys, {} e-mails for {} \
         Message-IDs",
        acked.len(),
        subs.len(),
        seen.values().sum::<usize>(),
        seen.len(),
        message_ids.values().sum::<usize>(),
        message_ids.len()
    );
}

pub(crate) fn unsafe_sigterm(child: &tokio::process::Child) {
    let pid = i32::try_from(child.id().unwrap()).unwrap();
    // SAFETY: sending a signal to our own child.
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
}

#[tokio::test]
async fn a_full_disk_refuses_submissions_clearly_and_keeps_what_was_acknowledged() {
    crate::support::init_crypto();
    let dir = tempfile::tempdir().unwrap();
    let (receiver_port, _requests) = crate::support::http_receiver(|_| 200).await;
    let port = free_port();
    let config = write_config(dir.path(), port, receiver_port, None);
    let cert = std::fs::read(dir.path().join("tls/cert.pem")).unwrap();
    let probe = client_for(format!("127.0.0.1:{port}").parse().unwrap(), &cert);
    // No file of the process may grow past 600 kB: the store fills up after a few dozen submissions.
    let mut child = spawn(&config, Some(600 * 1024));
    ready(&probe, port).await;
    let srv = view(port, &cert);
    let mut acked = vec![];
    let mut refused = None;
    'outer: for _ in 0..400 {
        let client = srv.client();
        let w = Walk {
            srv: &srv,
            client: client.clone(),
            lang: "nb",
            host: HOST,
        };
        // The walk by hand, so that a refusal anywhere is seen.
        let mut page = w.start("kontaktskjema").await;
        let answers = example("kontaktskjema");
        for _ in 0..10 {
            if page.status == 507 {
                refused = Some(page);
                break 'outer;
            }
            assert_eq!(
                page.status,
                200,
                "{}\n{}",
                page.url,
                std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default()
            );
            if page.url.ends_with("/oppsummering") {
                let token = crate::support::csrf_of(&page.html);
                let r = client
                    .post(srv.url(HOST, "/skjema/kontaktskjema/send"))
                    .form(&[("csrf", token)])
                    .send()
                    .await
                    .unwrap();
                match r.status().as_u16() {
                    303 => {
                        let loc = r.headers()["location"].to_str().unwrap().to_owned();
                        acked.push(loc.rsplit('/').next().unwrap().to_owned());
                        continue 'outer;
                    }
                    507 => {
                        refused = Some(crate::form_run::Page {
                            status: 507,
                            url: String::new(),
                            html: crate::support::Html::parse(&r.text().await.unwrap()),
                        });
                        break 'outer;
                    }
                    other => panic!("sending got {other}"),
                }
            }
            page = crate::form_run::fill_step(&w, page, &answers).await;
        }
    }
    let refused = refused.expect("the disk never filled up");
    assert!(
        refused
            .html
            .text("h1")
            .contains("Vi kan ikke ta imot innsendinger"),
        "{}",
        refused.html.text("main")
    );
    assert!(!acked.is_empty());
    unsafe_sigterm(&child);
    child.wait().await.unwrap();
    // Without the limit, everything acknowledged is there.
    assert_kept(dir.path(), &acked);
}

/// Every acknowledged reference is a submission of the eksempel tenant in the stopped store in `data`.
pub(crate) fn assert_kept(data: &Path, acked: &[String]) {
    let store = radhus::store::Store::open(data).unwrap();
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    let refs: BTreeSet<String> = store
        .tenant(&tenant)
        .submissions()
        .unwrap()
        .into_iter()
        .map(|s| s.reference.to_string())
        .collect();
    for a in acked {
        assert!(refs.contains(a), "{a} was acknowledged and is gone");
    }
}
