//! Delivery to the archive (file drop) through the real server: a submission appears as a complete folder
//! with XML that validates (xmllint), exactly once; a missing archive folder makes /healthz say degraded
//! and deliveries wait; a folder that differs is never overwritten.

use std::path::{Path, PathBuf};
use std::time::Duration;

use radhus::cases::records::OutboxState;

use crate::form_run::{Walk, example, walk};
use crate::support::TestServer;

const HOST: &str = "eksempel.localhost";

pub fn pdftotext(file: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(file)
        .arg("-")
        .output()
        .expect("pdftotext is not installed: apt-get install poppler-utils (.ci/run does this)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn xmllint(schema: &Path, file: &Path) {
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(schema)
        .arg(file)
        .output()
        .expect("xmllint is not installed: apt-get install libxml2-utils (.ci/run does this)");
    assert!(
        out.status.success(),
        "{} does not validate against {}:\n{}",
        file.display(),
        schema.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn state_of(srv: &TestServer, reference: &str) -> OutboxState {
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    let rows = srv
        .running()
        .state()
        .store
        .tenant(&tenant)
        .outbox_rows(&crate::support::rf(reference))
        .unwrap();
    assert_eq!(rows.len(), 1);
    rows[0].state.clone()
}

async fn wait_for(
    srv: &TestServer,
    reference: &str,
    done: impl Fn(&OutboxState) -> bool,
) -> OutboxState {
    for _ in 0..200 {
        let s = state_of(srv, reference).await;
        if done(&s) {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "delivery of {reference} never reached the expected state: {:?}",
        state_of(srv, reference).await
    );
}

fn archive(srv: &TestServer) -> PathBuf {
    srv.data_dir().join("archive/eksempel")
}

#[tokio::test]
async fn a_submission_lands_in_the_archive_once_with_valid_xml() {
    let srv = TestServer::start().await;
    let w = Walk::new(&srv, "nb", HOST);
    let reference = walk(&w, "barnehage-soknad", &example("barnehage-soknad")).await;
    let s = wait_for(&srv, &reference, |s| {
        matches!(s, OutboxState::Delivered { .. })
    })
    .await;
    let OutboxState::Delivered { proof, .. } = s else {
        unreachable!()
    };
    assert!(proof.starts_with("manifest sha256 "));
    let folder = archive(&srv).join(&reference);
    for f in ["submission.xml", "arkivmelding.xml", "manifest.json"] {
        assert!(folder.join(f).is_file(), "{f}");
    }
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    xmllint(&docs.join("submission.xsd"), &folder.join("submission.xml"));
    xmllint(
        &docs.join("arkivmelding/arkivmelding.xsd"),
        &folder.join("arkivmelding.xml"),
    );
    let xml = std::fs::read_to_string(folder.join("submission.xml")).unwrap();
    assert!(
        xml.contains("Kari Nordli") && xml.contains(&reference),
        "the answers and the reference are in the XML"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["reference"], reference.as_str());
    assert_eq!(manifest["form"], "barnehage-soknad");
    // The PDF carries the answers (text extractable, Norwegian letters intact) and the attachment is
    // there byte for byte under its safe name; the manifest lists every file with size and SHA-256.
    let text = pdftotext(&folder.join("submission.pdf"));
    assert!(
        text.contains("Kari Nordli") && text.contains(&reference),
        "{text}"
    );
    assert!(
        text.contains("Søk om barnehageplass") && text.contains("Særlige behov"),
        "{text}"
    );
    let attached = folder.join("attachments/1-uttalelse-allergi.pdf");
    let original = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("forms/examples/uttalelse-allergi.pdf"),
    )
    .unwrap();
    assert_eq!(std::fs::read(&attached).unwrap(), original);
    let names: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "submission.xml",
            "arkivmelding.xml",
            "submission.pdf",
            "attachments/1-uttalelse-allergi.pdf",
            "manifest.json"
        ][..4]
    );
    for f in manifest["files"].as_array().unwrap() {
        let bytes = std::fs::read(folder.join(f["name"].as_str().unwrap())).unwrap();
        assert_eq!(f["size"].as_u64().unwrap(), bytes.len() as u64);
        use sha2::Digest;
        let sha: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(f["sha256"], sha.as_str());
    }
    assert!(
        xml.contains("attachments/1-uttalelse-allergi.pdf"),
        "the XML lists the files"
    );
    // Delivering again (as after a crash between the rename and the commit) finds the same folder: done,
    // nothing duplicated.
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    let store = &srv.running().state().store;
    let row = store
        .tenant(&tenant)
        .outbox_rows(&crate::support::rf(&reference))
        .unwrap()
        .remove(0);
    store
        .system()
        .set_delivery_states(vec![(row.clone(), OutboxState::Pending)])
        .await
        .unwrap();
    srv.running().state().deliveries.wake();
    wait_for(&srv, &reference, |s| {
        matches!(s, OutboxState::Delivered { .. })
    })
    .await;
    let entries: Vec<_> = std::fs::read_dir(archive(&srv))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        entries.len(),
        1,
        "exactly one folder, no temporary leftovers: {entries:?}"
    );
    // A folder with other content is never overwritten: the row fails loudly.
    std::fs::write(folder.join("manifest.json"), b"{}").unwrap();
    store
        .system()
        .set_delivery_states(vec![(row.clone(), OutboxState::Pending)])
        .await
        .unwrap();
    srv.running().state().deliveries.wake();
    let s = wait_for(&srv, &reference, |s| {
        matches!(s, OutboxState::Failed { .. })
    })
    .await;
    assert!(format!("{s:?}").contains("never overwritten"), "{s:?}");
    assert_eq!(std::fs::read(folder.join("manifest.json")).unwrap(), b"{}");
    let _ = tenant;

    // The operator's view through the real binary, talking to this running server over its control socket.
    let config = srv.data_dir().join("radhus-demo.toml");
    // The command blocks; run it off this (single-threaded) runtime so the server can answer.
    let run = |args: Vec<String>| {
        let config = config.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                let out = std::process::Command::new(crate::support::bin())
                    .arg("deliveries")
                    .arg("--config")
                    .arg(&config)
                    .args(&args)
                    .output()
                    .unwrap();
                (
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout).into_owned(),
                    String::from_utf8_lossy(&out.stderr).into_owned(),
                )
            })
            .await
            .unwrap()
        }
    };
    let (code, out, _) = run(vec![]).await;
    assert_eq!(code, Some(0));
    assert!(
        out.contains(&reference) && out.contains("failed") && out.contains("never overwritten"),
        "{out}"
    );
    let (_, failing, _) = run(vec!["--failing".into()]).await;
    assert!(failing.contains(&reference), "{failing}");
    let (code, out, _) = run(vec!["retry".into(), reference.clone()]).await;
    assert_eq!(
        (code, out.trim()),
        (
            Some(0),
            format!("1 deliveries of {reference} will be tried again").as_str()
        )
    );
    let (code, _, err) = run(vec!["retry".into(), "1999-99999".into()]).await;
    assert_eq!(code, Some(1));
    assert_eq!(err.trim(), "no submission has the reference 1999-99999");
}

#[tokio::test]
async fn a_missing_archive_folder_makes_deliveries_wait_and_health_degraded() {
    let srv = TestServer::start().await;
    std::fs::remove_dir_all(archive(&srv)).unwrap();
    let w = Walk::new(&srv, "nb", HOST);
    let reference = walk(&w, "kontaktskjema", &example("kontaktskjema")).await;
    let s = wait_for(&srv, &reference, |s| {
        matches!(s, OutboxState::Failing { .. })
    })
    .await;
    assert!(format!("{s:?}").contains("not available"), "{s:?}");
    let health: serde_json::Value =
        serde_json::from_str(&srv.text("localhost", "/healthz").await).unwrap();
    assert_eq!(health["status"], "degraded");
    assert_eq!(health["deliveries_waiting"][0]["tenant"], "eksempel");
    let metrics = srv.text("localhost", "/metrics").await;
    assert!(
        metrics.contains("radhus_outbox_rows{state=\"failing\"} 1"),
        "{metrics}"
    );
    // The share comes back; "deliver again" does not wait for the backoff.
    std::fs::create_dir_all(archive(&srv)).unwrap();
    let tenant = radhus::ids::TenantId::parse("eksempel").unwrap();
    assert_eq!(
        srv.running()
            .state()
            .store
            .tenant(&tenant)
            .retry_deliveries(&crate::support::rf(&reference))
            .await
            .unwrap(),
        1
    );
    srv.running().state().deliveries.wake();
    wait_for(&srv, &reference, |s| {
        matches!(s, OutboxState::Delivered { .. })
    })
    .await;
    assert!(
        archive(&srv)
            .join(&reference)
            .join("manifest.json")
            .is_file()
    );
    let health: serde_json::Value =
        serde_json::from_str(&srv.text("localhost", "/healthz").await).unwrap();
    assert_eq!(health["status"], "ok");
}
