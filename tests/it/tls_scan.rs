//! TLS scan with sslscan (Debian package, installed by .ci/run) against the running server: only TLS 1.2
//! and 1.3, no weak suites, the configured certificate, and HSTS on the response.

use std::process::Command;

use crate::support::TestServer;

#[tokio::test]
async fn sslscan_finds_only_tls12_and_tls13_with_strong_suites_and_our_certificate() {
    let srv = TestServer::start().await;
    let target = format!("127.0.0.1:{}", srv.addr.port());
    let out = tokio::task::spawn_blocking(move || {
        Command::new("sslscan")
            .args([
                "--no-colour",
                "--sni-name=eksempel.localhost",
                "--show-certificate",
                &target,
            ])
            .output()
    })
    .await
    .unwrap()
    .expect("sslscan is not installed: apt-get install sslscan (.ci/run does this)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let proto = |name: &str| -> String {
        text.lines()
            .find(|l| {
                l.trim_start().starts_with(name)
                    && (l.contains("enabled") || l.contains("disabled"))
            })
            .map(|l| {
                if l.contains("disabled") {
                    "disabled".to_owned()
                } else {
                    "enabled".to_owned()
                }
            })
            .unwrap_or_else(|| panic!("sslscan printed no line for {name}:\n{text}"))
    };
    for (p, want) in [
        ("SSLv2", "disabled"),
        ("SSLv3", "disabled"),
        ("TLSv1.0", "disabled"),
        ("TLSv1.1", "disabled"),
        ("TLSv1.2", "enabled"),
        ("TLSv1.3", "enabled"),
    ] {
        assert_eq!(proto(p), want, "{p}\n{text}");
    }
    let suites: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("Accepted") || l.starts_with("Preferred"))
        .collect();
    assert!(suites.len() >= 3, "{text}");
    for s in &suites {
        for weak in [
            "CBC", "RC4", "DES", "NULL", "EXP", "MD5", "anon", "SHA1 ", "CAMELLIA", "ARIA",
        ] {
            assert!(!s.contains(weak), "weak suite offered: {s}");
        }
        assert!(s.contains("TLSv1.2") || s.contains("TLSv1.3"), "{s}");
    }
    assert!(
        text.contains("eksempel.localhost"),
        "the configured certificate (its names) is served:\n{text}"
    );
    assert!(
        !text.to_lowercase().contains("heartbleed")
            || text.contains("not vulnerable to heartbleed"),
        "{text}"
    );
    // HSTS on the answer (sslscan does not look at HTTP).
    let r = srv
        .client()
        .get(srv.url("eksempel.localhost", "/"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
}
