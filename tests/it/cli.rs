//! The real binary: exit codes, the second-process refusal, the static build.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::bin;

#[test]
fn version_and_usage_errors() {
    let out = Command::new(bin()).arg("version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("radhus {}\n", radhus::VERSION)
    );
    let out = Command::new(bin()).arg("no-such-command").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(bin()).args(["serve"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "missing --config is a usage error"
    );
    let out = Command::new(bin())
        .args(["serve", "--config", "/nonexistent/radhus.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "/nonexistent/radhus.toml: cannot read the file: No such file or directory (os error 2)\n"
    );
}

#[test]
fn binary_is_statically_linked() {
    let out = Command::new("ldd")
        .arg(bin())
        .output()
        .expect("ldd (libc-bin) is installed");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("not a dynamic executable") || text.contains("statically linked"),
        "ldd says: {text}"
    );
}

/// Starts `radhus demo` on a free port in `dir`; returns the child and its port once it prints its URLs.
fn start_demo(dir: &std::path::Path) -> (std::process::Child, u16) {
    let mut child = Command::new(bin())
        .args(["demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    use std::io::BufRead;
    for _ in 0..50 {
        line.clear();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(rest) = line.split("https://eksempel.localhost:").nth(1) {
            let port = rest.trim().trim_end_matches('/').parse().unwrap();
            return (child, port);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let mut err = String::new();
    use std::io::Read;
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    panic!("demo did not start: {err}");
}

#[test]
fn a_second_process_on_the_same_data_folder_is_refused_clearly_then_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (mut first, _) = start_demo(dir.path());
    let out = Command::new(bin())
        .args(["demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "the data folder {} is in use by another radhus process (the store file {} is locked)",
            dir.path().display(),
            dir.path().join("radhus.redb").display()
        )),
        "{err}"
    );
    // SIGTERM: a clean stop with exit code 0, and the store opens again.
    unsafe { libc::kill(first.id() as i32, libc::SIGTERM) };
    let mut status = None;
    for _ in 0..100 {
        if let Some(s) = first.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = status.expect("demo stopped within 5 s");
    assert_eq!(status.code(), Some(0));
    radhus::store::Store::open(dir.path()).unwrap();
}

#[test]
fn demo_without_data_folder_removes_its_temporary_folder() {
    let mut child = Command::new(bin())
        .args(["demo", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    use std::io::BufRead;
    let mut data = None;
    let mut line = String::new();
    while stdout.read_line(&mut line).unwrap() > 0 {
        if let Some(rest) = line.strip_prefix("Data folder: ") {
            data = Some(std::path::PathBuf::from(
                rest.split(" (").next().unwrap().trim(),
            ));
            break;
        }
        line.clear();
    }
    let data = data.expect("demo prints its data folder");
    assert!(data.join("radhus.redb").exists());
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert!(!data.exists(), "temporary data folder removed on exit");
}

#[test]
fn sighup_reloads_the_certificate_of_the_running_binary() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = start_demo(dir.path());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let peer_cert = |pem: Vec<u8>| {
        rt.block_on(async {
            let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
            let raw = crate::support::RawTls {
                addr,
                host: "localhost".into(),
                cert_pem: pem,
            };
            let s = raw.connect().await;
            s.get_ref().1.peer_certificates().unwrap()[0].to_vec()
        })
    };
    let cert = dir.path().join("tls/cert.pem");
    let before = peer_cert(std::fs::read(&cert).unwrap());
    radhus::http::tls::write_self_signed(
        &radhus::demo::HOSTS,
        &cert,
        &dir.path().join("tls/key.pem"),
    )
    .unwrap();
    unsafe { libc::kill(child.id() as i32, libc::SIGHUP) };
    let new_pem = std::fs::read(&cert).unwrap();
    let mut after = before.clone();
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(50));
        if let Ok(c) =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| peer_cert(new_pem.clone())))
        {
            after = c;
            break;
        }
    }
    assert_ne!(before, after, "the new certificate is served after SIGHUP");
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
