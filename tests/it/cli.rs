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
pub fn start_demo(dir: &std::path::Path) -> (std::process::Child, u16) {
    let (child, port, _) = start_demo_banner(dir);
    (child, port)
}

/// As [`start_demo`], with the whole banner it printed.
pub fn start_demo_banner(dir: &std::path::Path) -> (std::process::Child, u16, String) {
    let mut child = Command::new(bin())
        .args(["demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let mut banner = String::new();
    let mut port = None;
    use std::io::BufRead;
    for _ in 0..60 {
        line.clear();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        banner.push_str(&line);
        if let Some(rest) = line.split("https://eksempel.localhost:").nth(1) {
            port = Some(rest.trim().trim_end_matches('/').parse().unwrap());
        }
        if line.contains("Stop with") {
            break;
        }
    }
    if let Some(port) = port {
        return (child, port, banner);
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

/// Under systemd (`Type=notify`, `WatchdogSec=`): READY=1 once it listens, WATCHDOG=1 while it makes
/// progress, STOPPING=1 on SIGTERM, all on the socket systemd names in NOTIFY_SOCKET; the log has no
/// colour codes when it does not go to a terminal.
#[test]
fn it_tells_systemd_it_is_ready_alive_and_stopping() {
    let dir = tempfile::tempdir().unwrap();
    let socket_path = dir.path().join("notify.sock");
    let socket = std::os::unix::net::UnixDatagram::bind(&socket_path).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let log = dir.path().join("stderr.log");
    let mut child = Command::new(bin())
        .args(["demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("data"))
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "900000")
        .env_remove("WATCHDOG_PID")
        .env_remove("NO_COLOR")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let next = || {
        let mut buf = [0u8; 512];
        let n = socket.recv(&mut buf).expect("a notification within 10 s");
        String::from_utf8_lossy(&buf[..n]).into_owned()
    };
    let first = next();
    assert!(first.lines().any(|l| l == "READY=1"), "{first:?}");
    assert!(
        first.contains("STATUS=serving 2 tenants on 127.0.0.1:"),
        "{first:?}"
    );
    // Fed a third of the interval apart (300 ms) while the writer commits and the lanes turn.
    let started = std::time::Instant::now();
    for _ in 0..4 {
        assert_eq!(next(), "WATCHDOG=1\n");
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let stopping = loop {
        let m = next();
        if m != "WATCHDOG=1\n" {
            break m;
        }
    };
    assert!(stopping.lines().any(|l| l == "STOPPING=1"), "{stopping:?}");
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("Rådhus is serving"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes in a log file: {text:?}"
    );
}

/// The package's first start: the shipped configuration with no certificate placed by hand serves HTTPS
/// with a self-signed certificate for its host names, says so in the log and in check-config, and
/// "tls_fallback = none" refuses to start as before.
#[test]
fn the_packaged_configuration_starts_without_a_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::support::free_port();
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/packaging/radhus.toml"
    ))
    .unwrap();
    let data = dir.path().join("data");
    let text = shipped
        .replace(
            "listen = \"0.0.0.0:443\"",
            &format!("listen = \"127.0.0.1:{port}\""),
        )
        .replace("redirect_listen = \"0.0.0.0:80\"", "")
        .replace(
            "data_dir = \"/var/lib/radhus\"",
            &format!("data_dir = \"{}\"", data.display()),
        )
        .replace(
            "/etc/radhus/tls/",
            &format!("{}/etc-tls/", dir.path().display()),
        );
    assert_ne!(text, shipped);
    let config = dir.path().join("radhus.toml");
    std::fs::write(&config, &text).unwrap();
    let out = Command::new(bin())
        .arg("check-config")
        .arg(&config)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning") && err.contains("self-signed"),
        "{err}"
    );

    let log = dir.path().join("stderr.log");
    let mut child = Command::new(bin())
        .arg("serve")
        .arg("--config")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let cert = data.join("tls/self-signed-cert.pem");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let page = rt.block_on(async {
        for _ in 0..200 {
            if let Ok(pem) = std::fs::read(&cert) {
                let client = reqwest::Client::builder()
                    .use_rustls_tls()
                    .tls_built_in_root_certs(false)
                    .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
                    .resolve(
                        "skjema.eksempel.kommune.no",
                        format!("127.0.0.1:{port}").parse().unwrap(),
                    )
                    .build()
                    .unwrap();
                if let Ok(r) = client
                    .get(format!("https://skjema.eksempel.kommune.no:{port}/"))
                    .send()
                    .await
                {
                    return Some((r.status(), r.text().await.unwrap()));
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    });
    // The client's pooled connection goes with its runtime, so the server has nothing left to wait for.
    drop(rt);
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let (status, body) = page.expect("the server answered over HTTPS with the certificate it made");
    assert_eq!(status, 200, "{body}");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("SELF-SIGNED"), "{logged}");

    // Without the fallback, the missing files are an error, as before.
    std::fs::write(
        &config,
        text.replace("tls_fallback = \"self-signed\"", "tls_fallback = \"none\""),
    )
    .unwrap();
    let out = Command::new(bin())
        .arg("check-config")
        .arg(&config)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("server.tls_cert: the file"), "{err}");
}

/// A certificate and a key that do not belong together: check-config and serve refuse with exit 2 and say
/// which file.
#[test]
fn a_key_that_does_not_fit_the_certificate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    radhus::demo::prepare(&data, "127.0.0.1:0".parse().unwrap()).unwrap();
    let other = rcgen::KeyPair::generate().unwrap();
    std::fs::write(data.join("tls/key.pem"), other.serialize_pem()).unwrap();
    let config = data.join("radhus-demo.toml");
    for args in [vec!["check-config"], vec!["serve", "--config"]] {
        let out = Command::new(bin())
            .args(&args)
            .arg(&config)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("key.pem: the private key does not fit the certificate"),
            "{args:?}: {err}"
        );
    }
}
