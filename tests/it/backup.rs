//! Backup and restore through the real binary: `radhus backup` while citizens keep submitting (the running
//! server makes it through its control socket), `radhus restore` into a new folder, and a server started on
//! the restored folder. Every submission acknowledged before the backup began is there with its files byte
//! for byte and a delivery state the original had; bad backups and targets are refused with the documented
//! exit codes and change nothing.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use radhus::cases::records::OutboxState;
use radhus::ids::TenantId;
use radhus::store::Store;

use crate::crash::{outbox_rows, ready, spawn, unsafe_sigterm, view};
use crate::form_run::{HOST, Walk, example, walk};
use crate::support::{bin, client_for, free_port};

fn radhus(args: &[&dyn AsRef<std::ffi::OsStr>]) -> std::process::Output {
    let mut cmd = std::process::Command::new(bin());
    for a in args {
        cmd.arg(a);
    }
    cmd.output().unwrap()
}

fn says(out: &std::process::Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A copy of a backup folder (to damage one file of it).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[tokio::test]
async fn a_backup_under_load_restores_every_acknowledged_submission() {
    tokio::task::LocalSet::new()
        .run_until(backup_under_load())
        .await;
}

async fn backup_under_load() {
    crate::support::init_crypto();
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let port = free_port();
    let listen = format!("127.0.0.1:{port}").parse().unwrap();
    radhus::demo::prepare(&data, listen).unwrap();
    let config = data.join("radhus-demo.toml");
    let mut child = spawn(&config, None);
    let cert = std::fs::read(data.join("tls/cert.pem")).unwrap();
    let probe = client_for(listen, &cert);
    ready(&probe, port).await;

    // Citizens submit with and without attachments until told to stop.
    let acked: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let mut citizens = vec![];
    for (c, form) in [
        "kulturmidler",
        "kontaktskjema",
        "feil-vei-gatelys",
        "kulturmidler",
    ]
    .into_iter()
    .enumerate()
    {
        let (acked, cert) = (acked.clone(), cert.clone());
        citizens.push(tokio::task::spawn_local(async move {
            let srv = view(port, &cert);
            let answers = example(form);
            let lang = ["nb", "nn", "en", "nb"][c];
            loop {
                let w = Walk::new(&srv, lang, HOST);
                let reference = walk(&w, form, &answers).await;
                acked.lock().unwrap().push((reference, Instant::now()));
            }
        }));
    }
    while acked.lock().unwrap().len() < 12 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The backup, made by the running server while the citizens go on.
    // `RADHUS_BACKUP_ROUNDS` backups one after the other (default 1; `scripts/soak` takes 20), each
    // checked below against what had been acknowledged when it began.
    let rounds: usize = std::env::var("RADHUS_BACKUP_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let mut taken = vec![];
    for round in 0..rounds {
        let folder = root.path().join(format!("backups/round-{round}"));
        let began = Instant::now();
        let out = tokio::process::Command::new(bin())
            .args(["backup", "--config"])
            .arg(&config)
            .arg("--to")
            .arg(&folder)
            .output()
            .await
            .unwrap();
        assert!(out.status.success(), "{}", says(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("backup made"),
            "{}",
            says(&out)
        );
        taken.push((folder, began));
    }
    let (backup, began) = taken.last().cloned().unwrap();
    let acked_during = acked.lock().unwrap().len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    for c in citizens {
        c.abort();
        let _ = c.await;
    }
    let acked_before = |at: Instant| -> BTreeSet<String> {
        acked
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, t)| *t < at)
            .map(|(r, _)| r.clone())
            .collect()
    };
    let before = acked_before(began);
    assert!(
        acked.lock().unwrap().len() > acked_during,
        "the citizens kept submitting after the backup"
    );
    // The earlier rounds: each restores, and holds what was acknowledged before it began.
    for (i, (folder, at)) in taken.iter().enumerate().take(rounds - 1) {
        let dest = root.path().join(format!("round-{i}-restored"));
        let out = radhus(&[&"restore", &"--from", folder, &"--data", &dest]);
        assert!(out.status.success(), "round {i}: {}", says(&out));
        let store = Store::open(&dest).unwrap();
        let got: BTreeSet<String> = store
            .tenant(&TenantId::parse("eksempel").unwrap())
            .submissions()
            .unwrap()
            .iter()
            .map(|s| s.reference.to_string())
            .collect();
        let lost: Vec<_> = acked_before(*at).difference(&got).cloned().collect();
        assert!(lost.is_empty(), "round {i} lost {lost:?}");
        drop(store);
        std::fs::remove_dir_all(&dest).unwrap();
    }
    // A second backup into the same folder is refused (a usage error), and leaves the first one alone.
    let manifest_before = std::fs::read(backup.join("manifest.json")).unwrap();
    let out = radhus(&[&"backup", &"--config", &config, &"--to", &backup]);
    assert_eq!(out.status.code(), Some(2), "{}", says(&out));
    assert!(says(&out).contains("not empty"), "{}", says(&out));
    assert_eq!(
        std::fs::read(backup.join("manifest.json")).unwrap(),
        manifest_before
    );
    unsafe_sigterm(&child);
    child.wait().await.unwrap();

    // The backup checks out, and restores into a new folder.
    let out = radhus(&[&"restore", &"--check", &"--from", &backup]);
    assert!(out.status.success(), "{}", says(&out));
    let restored = root.path().join("restored");
    let out = radhus(&[&"restore", &"--from", &backup, &"--data", &restored]);
    assert!(out.status.success(), "{}", says(&out));

    let tenant = TenantId::parse("eksempel").unwrap();
    let original = Store::open(&data).unwrap();
    let copy = Store::open(&restored).unwrap();
    let (o, r) = (original.tenant(&tenant), copy.tenant(&tenant));
    let kept: Vec<_> = r.submissions().unwrap();
    let kept_refs: BTreeSet<String> = kept.iter().map(|s| s.reference.to_string()).collect();
    assert!(kept_refs.len() >= 12, "{kept_refs:?}");
    let lost: Vec<_> = before.difference(&kept_refs).collect();
    assert!(
        lost.is_empty(),
        "acknowledged before the backup began, missing from it: {lost:?}"
    );
    let mut files_compared = 0;
    // Submissions whose archive delivery was still to come when the backup was made.
    let mut waiting = BTreeSet::new();
    for sub in &kept {
        let theirs = o.submission(&sub.reference).unwrap().unwrap();
        assert_eq!(&theirs, sub, "{} is the same record", sub.reference);
        for f in &sub.files {
            let rel = format!("files/eksempel/{}", f.id);
            assert_eq!(
                std::fs::read(restored.join(&rel)).unwrap(),
                std::fs::read(data.join(&rel)).unwrap(),
                "{rel} byte for byte"
            );
            files_compared += 1;
        }
        let now = o.outbox_rows(&sub.reference).unwrap();
        let then = r.outbox_rows(&sub.reference).unwrap();
        assert_eq!(then.len(), now.len(), "{}: the same targets", sub.reference);
        for (t, n) in then.iter().zip(&now) {
            assert_eq!(t.target, n.target);
            if t.target == radhus::ids::Target::Archive
                && !matches!(t.state, OutboxState::Delivered { .. })
            {
                waiting.insert(sub.reference.to_string());
            }
            // The state at the backup: the one the original has now, or one it had before delivering.
            assert!(
                t.state == n.state
                    || (matches!(t.state, OutboxState::Pending | OutboxState::Failing { .. })
                        && matches!(n.state, OutboxState::Delivered { .. })),
                "{} {}: {:?} in the backup, {:?} now",
                sub.reference,
                t.target,
                t.state,
                n.state
            );
        }
    }
    assert!(files_compared > 0, "attachments were part of the test");
    let manifest: radhus::backup::Manifest =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(copy.system().digest().unwrap(), manifest.store_digest);
    assert_eq!(
        manifest.submissions as usize,
        kept.len() + copy_other_tenant(&copy)
    );
    let live_digest = original.system().digest().unwrap();
    drop((original, copy));

    export_and_import(root.path(), &config, &data, &live_digest);
    refusals(root.path(), &backup, &restored, &config).await;
    assert_eq!(
        Store::open(&data).unwrap().system().digest().unwrap(),
        live_digest,
        "nothing the refused commands did touched the live store"
    );

    // A server on the restored folder delivers what was waiting at the backup.
    let port = free_port();
    let listen = format!("127.0.0.1:{port}").parse().unwrap();
    radhus::demo::prepare(&restored, listen).unwrap();
    let mut child = spawn(&restored.join("radhus-demo.toml"), None);
    let cert = std::fs::read(restored.join("tls/cert.pem")).unwrap();
    let probe = client_for(listen, &cert);
    ready(&probe, port).await;
    // The disks it depends on, in /metrics and /healthz (loopback): the data folder's file system, and
    // whether each archive folder is there.
    let metrics =
        crate::support::fetch_text(&probe, &format!("https://localhost:{port}/metrics")).await;
    let free: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("radhus_data_free_bytes "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(free > 0, "{metrics}");
    assert!(
        metrics.contains("radhus_archive_present{tenant=\"eksempel\"} 1"),
        "{metrics}"
    );
    // Measured by the sweep that runs at start: at least the restored store and files.
    let restored_bytes = manifest.total_bytes();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text =
            crate::support::fetch_text(&probe, &format!("https://localhost:{port}/metrics")).await;
        let folder: u64 = text
            .lines()
            .find_map(|l| l.strip_prefix("radhus_data_folder_bytes "))
            .unwrap()
            .parse()
            .unwrap();
        if folder >= restored_bytes {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{folder} < {restored_bytes}: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    std::fs::remove_dir(restored.join("archive/provestad")).unwrap();
    let health: serde_json::Value = serde_json::from_str(
        &crate::support::fetch_text(&probe, &format!("https://localhost:{port}/healthz")).await,
    )
    .unwrap();
    assert!(
        health["disk"]["data"]["free_bytes"].as_u64().unwrap() > 0,
        "{health}"
    );
    assert_eq!(
        health["disk"]["archives"][1]["tenant"], "provestad",
        "{health}"
    );
    assert_eq!(health["disk"]["archives"][1]["present"], false, "{health}");
    assert_eq!(health["tls"]["self_signed"], false, "{health}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let rows = outbox_rows(&probe, port).await;
        assert_eq!(rows["failed"], 0, "{rows:?}");
        if rows["pending"] + rows["failing"] == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the restored outbox does not drain: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    unsafe_sigterm(&child);
    child.wait().await.unwrap();
    let archived: BTreeSet<String> = std::fs::read_dir(restored.join("archive/eksempel"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        archived, waiting,
        "the restored server delivered what was waiting at the backup (the rest was archived before)"
    );
}

/// Submissions of the other demo tenant (the manifest counts every tenant's).
fn copy_other_tenant(store: &Store) -> usize {
    store
        .tenant(&TenantId::parse("provestad").unwrap())
        .submissions()
        .unwrap()
        .len()
}

/// Damaged, interrupted and newer backups, a target that holds data, a full disk: each refused clearly,
/// with its exit code, and nothing written.
async fn refusals(root: &Path, backup: &Path, restored: &Path, config: &Path) {
    let target = root.join("never");
    let refuse = |from: &Path, code: i32, words: &str| {
        let out = radhus(&[&"restore", &"--from", &from, &"--data", &target]);
        assert_eq!(out.status.code(), Some(code), "{words}: {}", says(&out));
        assert!(says(&out).contains(words), "{words}: {}", says(&out));
        assert!(!target.exists(), "{words}: nothing restored");
        let leftovers: Vec<_> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("restoring"))
            .collect();
        assert!(leftovers.is_empty(), "{words}: {leftovers:?}");
    };
    // An attachment cut short.
    let cut = root.join("cut");
    copy_dir(backup, &cut);
    let manifest: radhus::backup::Manifest =
        serde_json::from_slice(&std::fs::read(cut.join("manifest.json")).unwrap()).unwrap();
    let file = manifest
        .entries
        .iter()
        .find(|e| e.path.starts_with("files/"))
        .unwrap();
    let bytes = std::fs::read(cut.join(&file.path)).unwrap();
    std::fs::write(cut.join(&file.path), &bytes[..bytes.len() / 2]).unwrap();
    refuse(&cut, 1, "is damaged");
    // One byte of the store changed, size kept.
    let flipped = root.join("flipped");
    copy_dir(backup, &flipped);
    let mut store = std::fs::read(flipped.join("radhus.redb")).unwrap();
    let mid = store.len() / 2;
    store[mid] ^= 0xff;
    std::fs::write(flipped.join("radhus.redb"), store).unwrap();
    refuse(&flipped, 1, "SHA-256");
    // A file missing.
    let gone = root.join("gone");
    copy_dir(backup, &gone);
    std::fs::remove_file(gone.join(&file.path)).unwrap();
    refuse(&gone, 1, "is missing");
    // Interrupted: no manifest.
    let interrupted = root.join("interrupted");
    copy_dir(backup, &interrupted);
    std::fs::remove_file(interrupted.join("manifest.json")).unwrap();
    refuse(&interrupted, 1, "not a complete backup");
    // From a newer Rådhus.
    let newer = root.join("newer");
    copy_dir(backup, &newer);
    let mut m = manifest.clone();
    m.schema_version += 1;
    std::fs::write(newer.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    refuse(&newer, 1, "newer Rådhus");
    // A manifest that names a path outside the backup.
    let escape = root.join("escape");
    copy_dir(backup, &escape);
    let mut m = manifest.clone();
    m.entries[0].path = "../data/radhus.redb".into();
    std::fs::write(
        escape.join("manifest.json"),
        serde_json::to_vec(&m).unwrap(),
    )
    .unwrap();
    refuse(&escape, 1, "not a file of a backup");
    // A target that holds data: refused as a usage error, and left exactly as it was.
    let digest = Store::open(restored).unwrap().system().digest().unwrap();
    let out = radhus(&[&"restore", &"--from", &backup, &"--data", &restored]);
    assert_eq!(out.status.code(), Some(2), "{}", says(&out));
    assert!(
        says(&out).contains("never writes over data"),
        "{}",
        says(&out)
    );
    assert_eq!(
        Store::open(restored).unwrap().system().digest().unwrap(),
        digest
    );

    // A full disk during a backup (the server is stopped: the command opens the store itself): a clear
    // message, exit 1, and no half-made backup left to be mistaken for one.
    let full = root.join("full");
    let mut cmd = std::process::Command::new(bin());
    cmd.args(["backup", "--config"])
        .arg(config)
        .arg("--to")
        .arg(&full);
    use std::os::unix::process::CommandExt;
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 16 * 1024,
                rlim_max: 16 * 1024,
            };
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", says(&out));
    assert!(!full.exists(), "no half-made backup: {}", says(&out));
}

/// An export of the (stopped) server's data folder imports into a new folder as an identical store, with
/// the same files; a tampered, newer or unknown export and a target that holds data are refused.
fn export_and_import(root: &Path, config: &Path, data: &Path, digest: &str) {
    let export = root.join("export");
    let out = radhus(&[&"export", &"--config", &config, &"--to", &export]);
    assert!(out.status.success(), "{}", says(&out));
    let lines = std::fs::read_to_string(export.join("store.jsonl")).unwrap();
    assert!(
        lines.lines().any(|l| l.starts_with(r#"{"table":"tenantreference_submission","key":"eksempel/2026-00001","format":1,"version":1,"record":{"#)),
        "submissions are readable JSON lines"
    );
    let imported = root.join("imported");
    let out = radhus(&[&"import", &"--from", &export, &"--data", &imported]);
    assert!(out.status.success(), "{}", says(&out));
    let store = Store::open(&imported).unwrap();
    assert_eq!(
        store.system().digest().unwrap(),
        digest,
        "the round trip gives the same store"
    );
    let tenant = TenantId::parse("eksempel").unwrap();
    let mut files = 0;
    for sub in store.tenant(&tenant).submissions().unwrap() {
        for f in &sub.files {
            let rel = format!("files/eksempel/{}", f.id);
            assert_eq!(
                std::fs::read(imported.join(&rel)).unwrap(),
                std::fs::read(data.join(&rel)).unwrap()
            );
            files += 1;
        }
    }
    assert!(files > 0);
    drop(store);

    // Into a store that holds data: refused, nothing changed.
    let out = radhus(&[&"import", &"--from", &export, &"--data", &imported]);
    assert_eq!(out.status.code(), Some(2), "{}", says(&out));
    // A backup is not an export, and the other way round.
    let out = radhus(&[&"restore", &"--check", &"--from", &export]);
    assert_eq!(out.status.code(), Some(1), "{}", says(&out));
    // A line changed after the export: its checksum no longer matches.
    let target = root.join("never-imported");
    let changed = root.join("export-changed");
    copy_dir(&export, &changed);
    std::fs::write(
        changed.join("store.jsonl"),
        lines.replacen("eksempel/2026-00001", "eksempel/2026-00009", 1),
    )
    .unwrap();
    let out = radhus(&[&"import", &"--from", &changed, &"--data", &target]);
    assert_eq!(out.status.code(), Some(1), "{}", says(&out));
    assert!(says(&out).contains("SHA-256"), "{}", says(&out));
    // A line for a table this version does not have, with a manifest that matches it.
    let unknown = root.join("export-unknown");
    copy_dir(&export, &unknown);
    let text = format!("{lines}{{\"table\":\"accounts\",\"key\":\"x\",\"text\":\"y\"}}\n");
    std::fs::write(unknown.join("store.jsonl"), &text).unwrap();
    let mut m: radhus::backup::Manifest =
        serde_json::from_slice(&std::fs::read(unknown.join("manifest.json")).unwrap()).unwrap();
    use sha2::Digest;
    m.entries[0].bytes = text.len() as u64;
    m.entries[0].sha256 = sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    std::fs::write(
        unknown.join("manifest.json"),
        serde_json::to_vec(&m).unwrap(),
    )
    .unwrap();
    let out = radhus(&[&"import", &"--from", &unknown, &"--data", &target]);
    assert_eq!(out.status.code(), Some(1), "{}", says(&out));
    assert!(
        says(&out).contains("\"accounts\" is not part of this schema"),
        "{}",
        says(&out)
    );
    // From a newer Rådhus.
    let newer = root.join("export-newer");
    copy_dir(&export, &newer);
    let mut m: radhus::backup::Manifest =
        serde_json::from_slice(&std::fs::read(newer.join("manifest.json")).unwrap()).unwrap();
    m.schema_version += 1;
    std::fs::write(newer.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    let out = radhus(&[&"import", &"--from", &newer, &"--data", &target]);
    assert_eq!(out.status.code(), Some(1), "{}", says(&out));
    assert!(says(&out).contains("newer Rådhus"), "{}", says(&out));
    assert!(!target.exists());
}
