//! The e-mail delivery target: one message per delivery over SMTP, with lettre on tokio and rustls
//! (ring; no aws-lc-rs, no native-tls/OpenSSL). A fresh connection per message; nothing is pooled.
//!
//! Outcome of [`send`]:
//! - delivered: the server accepted the message (250 after DATA); the proof is that reply;
//! - [`Failure::Permanent`]: the server refused the recipient or the message for good (550–556, unless
//!   the enhanced status says it is about authentication or our sender address), an invalid
//!   recipient address or Message-ID, an unusable attachment type;
//! - [`Failure::Retry`]: 4xx replies, connection, DNS and TLS errors, the timeout, and configuration
//!   problems: a rejected login (530/534/535/538, or enhanced X.7.0/X.7.8/…), a refused sender address
//!   (X.1.7/X.1.8), an invalid `from`, unencrypted SMTP to a host that is not loopback. Those need an
//!   administrator, but once the configuration is fixed, the waiting deliveries go out by themselves
//!   (a permanent failure would need each of them to be retried by hand).
//!
//! Headers are encoded by lettre: the subject and display names as RFC 2047 encoded words, attachment
//! file names as RFC 2231 parameters, so æ, ø and å arrive intact. The Message-ID is the caller's
//! (deterministic per delivery) so that a mailbox or a ticket system can drop a duplicate sent again
//! after a crash.

use std::error::Error as _;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::response::Response;
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};

use super::package::{Failure, PackageFile};
use crate::config::targets::{SmtpConfig, SmtpSecurity, check_address, is_loopback_host};

/// One message.
#[derive(Debug, Clone)]
pub struct Mail {
    /// One recipient, `kari@example.org` or `Kari Nordmann <kari@example.org>`.
    pub to: String,
    pub subject: String,
    /// The plain-text body (UTF-8).
    pub text: String,
    /// Attached under the last segment of their name (`attachments/1-bilde.jpg` as `1-bilde.jpg`).
    pub attachments: Vec<PackageFile>,
    /// The whole Message-ID header value, angle brackets included, e.g.
    /// `<2026-00017.archive@radhus>`. The same for every attempt of one delivery.
    pub message_id: String,
}

/// Sends `mail` through the server in `cfg`. Returns the server's reply to the message, e.g.
/// `250 2.0.0 Ok: queued as 4F2A1`, as the proof.
pub async fn send(cfg: &SmtpConfig, mail: &Mail) -> Result<String, Failure> {
    let message = build_message(cfg, mail)?;
    let transport = transport(cfg)?;
    match tokio::time::timeout(cfg.timeout, transport.send(message)).await {
        Err(_) => Err(Failure::Retry(format!(
            "no complete SMTP exchange with {}:{} within the timeout of {} ms",
            cfg.host,
            cfg.port,
            cfg.timeout.as_millis()
        ))),
        Ok(Ok(response)) => Ok(proof(&response)),
        Ok(Err(e)) => Err(classify(&e)),
    }
}

/// The message as it will be sent (lettre adds `Date` and `MIME-Version`).
fn build_message(cfg: &SmtpConfig, mail: &Mail) -> Result<Message, Failure> {
    let from: Mailbox = cfg.from.parse().map_err(|e| {
        Failure::Retry(format!(
            "the configured sender {:?} is not a valid address: {e}",
            cfg.from
        ))
    })?;
    if !check_address(&mail.to) {
        return Err(Failure::Permanent(format!(
            "the recipient {:?} is not a valid e-mail address",
            mail.to
        )));
    }
    let to: Mailbox = mail.to.parse().map_err(|e| {
        Failure::Permanent(format!(
            "the recipient {:?} is not a valid e-mail address: {e}",
            mail.to
        ))
    })?;
    if !valid_message_id(&mail.message_id) {
        return Err(Failure::Permanent(format!(
            "the Message-ID {:?} is not of the form <left@right>",
            mail.message_id
        )));
    }
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(one_line(&mail.subject))
        .message_id(Some(mail.message_id.clone()));
    let text = SinglePart::plain(mail.text.clone());
    let built = if mail.attachments.is_empty() {
        builder.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for file in &mail.attachments {
            let content_type = ContentType::parse(&file.content_type).map_err(|e| {
                Failure::Permanent(format!(
                    "the attachment {} has an unusable content type {:?}: {e}",
                    file.name, file.content_type
                ))
            })?;
            parts = parts.singlepart(
                Attachment::new(attachment_name(&file.name)).body(file.bytes.clone(), content_type),
            );
        }
        builder.multipart(parts)
    };
    built.map_err(|e| Failure::Permanent(format!("cannot build the message: {e}")))
}

fn transport(cfg: &SmtpConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, Failure> {
    let tls = match cfg.security {
        SmtpSecurity::StartTls => Tls::Required(tls_parameters(cfg)?),
        SmtpSecurity::Tls => Tls::Wrapper(tls_parameters(cfg)?),
        SmtpSecurity::None if is_loopback_host(&cfg.host) => Tls::None,
        SmtpSecurity::None => {
            return Err(Failure::Retry(format!(
                "unencrypted SMTP is only allowed to a loopback host, not {:?}; use STARTTLS or TLS",
                cfg.host
            )));
        }
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.as_str())
        .port(cfg.port)
        .tls(tls)
        .timeout(Some(cfg.timeout));
    match (&cfg.username, &cfg.password) {
        (Some(user), Some(password)) => {
            builder = builder
                .credentials(Credentials::new(user.clone(), password.clone()))
                .authentication(vec![Mechanism::Plain, Mechanism::Login]);
        }
        (None, None) => {}
        _ => {
            return Err(Failure::Retry(
                "the SMTP username and password must be configured together".into(),
            ));
        }
    }
    Ok(builder.build())
}

/// TLS for `cfg.host` (a name or an IP address, checked against the certificate), trusting Mozilla's
/// roots and `ca_pem`.
fn tls_parameters(cfg: &SmtpConfig) -> Result<TlsParameters, Failure> {
    let mut builder = TlsParameters::builder(cfg.host.clone());
    if let Some(pem) = &cfg.ca_pem {
        let cert = Certificate::from_pem(pem).map_err(|e| {
            Failure::Retry(format!(
                "the SMTP server's CA certificate is not usable: {e}"
            ))
        })?;
        builder = builder.add_root_certificate(cert);
    }
    builder
        .build()
        .map_err(|e| Failure::Retry(format!("cannot set up TLS for SMTP: {e}")))
}

/// The server's reply to the message, on one line.
fn proof(response: &Response) -> String {
    let lines: Vec<&str> = response.message().collect();
    format!("{} {}", response.code(), lines.join(" "))
}

/// Whether a failed send can succeed later; see the module documentation.
fn classify(e: &lettre::transport::smtp::Error) -> Failure {
    let server_text = e.source().map(ToString::to_string).unwrap_or_default();
    let Some(code) = e.status().map(u16::from) else {
        let what = if e.is_timeout() {
            "SMTP timed out"
        } else if e.is_tls() || caused_by_tls(e) {
            "SMTP TLS failed"
        } else if e.is_client() {
            "SMTP session not possible with this configuration"
        } else {
            "SMTP connection failed"
        };
        return Failure::Retry(format!("{what}: {e}"));
    };
    let enhanced = enhanced_status(&server_text);
    let auth = matches!(code, 530 | 534 | 535 | 538)
        || matches!(enhanced, Some((_, 7, 0 | 8 | 9 | 11 | 12 | 13)));
    let sender = matches!(enhanced, Some((_, 1, 7 | 8)));
    match code {
        400..=499 => Failure::Retry(format!("SMTP server busy or temporarily refusing: {e}")),
        _ if auth => Failure::Retry(format!(
            "SMTP authentication refused ({code}); check the username, password and security \
             setting, waiting deliveries resume once it is fixed: {e}"
        )),
        _ if sender => Failure::Retry(format!(
            "the SMTP server refused the configured sender address: {e}"
        )),
        550..=556 => Failure::Permanent(format!(
            "the SMTP server refused the recipient or the message: {e}"
        )),
        _ => Failure::Retry(format!("the SMTP server refused the session: {e}")),
    }
}

/// Whether a rustls error is somewhere in the chain (lettre reports a failed handshake, e.g. an
/// untrusted certificate, as a connection error).
fn caused_by_tls(e: &lettre::transport::smtp::Error) -> bool {
    let mut next: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(err) = next {
        if err.is::<rustls::Error>() {
            return true;
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && io
                .get_ref()
                .is_some_and(|inner| inner.is::<rustls::Error>())
        {
            return true;
        }
        next = err.source();
    }
    false
}

/// The RFC 3463 enhanced status code at the start of a reply's text, e.g. `5.7.8` as (5, 7, 8).
fn enhanced_status(text: &str) -> Option<(u16, u16, u16)> {
    let first = text.split_whitespace().next()?;
    let mut parts = first.split('.').map(str::parse::<u16>);
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(Ok(class @ 2..=5)), Some(Ok(subject)), Some(Ok(detail)), None) => {
            Some((class, subject, detail))
        }
        _ => None,
    }
}

/// `<left@right>` in printable ASCII without spaces.
fn valid_message_id(id: &str) -> bool {
    id.strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .and_then(|s| s.split_once('@'))
        .is_some_and(|(left, right)| {
            !left.is_empty()
                && !right.is_empty()
                && [left, right].iter().all(|p| {
                    p.bytes()
                        .all(|b| b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'@'))
                })
        })
}

/// The file name a mail client shows: the last path segment.
fn attachment_name(name: &str) -> String {
    let last = name.rsplit('/').next().unwrap_or(name);
    if last.is_empty() {
        "attachment".to_owned()
    } else {
        last.to_owned()
    }
}

/// A header text on one line: control characters (a pasted line break) become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::process::Stdio;

    use tokio::io::{AsyncBufReadExt as _, BufReader};
    use tokio::process::{Child, Command};

    use super::super::package::sha256_hex;
    use super::*;
    use std::time::Duration;

    /// The SMTP peer script, relative to the crate root.
    const PEER: &str = "tests/peers/smtp_peer.py";
    const PYTHON: &str = "python3";
    const USER: &str = "radhus";
    const PASSWORD: &str = "pass-æøå-word";

    fn root() -> PathBuf {
        PathBuf::from(
            std::env::var("RADHUS_ROOT").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()),
        )
    }

    /// A running `smtp_peer.py` (killed on drop) and the folder it writes messages to.
    struct Peer {
        _child: Child,
        port: u16,
        cert_pem: String,
        out: PathBuf,
        _dir: tempfile::TempDir,
    }

    /// Starts the aiosmtpd peer in `mode` (`starttls`, `tls` or `plain`) with a fresh self-signed
    /// certificate for 127.0.0.1 and localhost, and waits for its "listening" line.
    async fn peer(mode: &str) -> Peer {
        let dir = tempfile::tempdir().unwrap();
        let ck = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
            .unwrap();
        let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        std::fs::write(&cert, ck.cert.pem()).unwrap();
        std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
        let out = dir.path().join("out");
        let mut child = Command::new(PYTHON)
            .arg(root().join(PEER))
            .args(["--mode", mode, "--user", USER, "--password", PASSWORD])
            .arg("--outdir")
            .arg(&out)
            .arg("--cert")
            .arg(&cert)
            .arg("--key")
            .arg(&key)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {PYTHON}: {e}"));
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("the SMTP peer did not start within 30 s")
            .unwrap();
        let Some(line) = first else {
            let mut err = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                use tokio::io::AsyncReadExt as _;
                let _ = stderr.read_to_string(&mut err).await;
            }
            panic!("the SMTP peer exited (is aiosmtpd installed? pip install aiosmtpd): {err}");
        };
        let port = line
            .strip_prefix("listening 127.0.0.1:")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line from the peer: {line}"));
        Peer {
            _child: child,
            port,
            cert_pem: ck.cert.pem(),
            out,
            _dir: dir,
        }
    }

    fn config(peer: &Peer, security: SmtpSecurity) -> SmtpConfig {
        SmtpConfig {
            host: "127.0.0.1".into(),
            port: peer.port,
            security,
            username: Some(USER.into()),
            password: Some(PASSWORD.into()),
            from: "Rådhus Ærø kommune <noreply@example.org>".into(),
            ca_pem: Some(peer.cert_pem.clone().into_bytes()),
            timeout: Duration::from_secs(20),
        }
    }

    fn mail(to: &str, attachments: Vec<PackageFile>) -> Mail {
        Mail {
            to: to.into(),
            subject: "Søknad om barnehageplass – Ærlig Øvrebø på Å (2026-00017)".into(),
            text: "Hei!\r\nVedlagt er søknaden. Æ ø å.\r\n".into(),
            attachments,
            message_id: "<2026-00017.archive@radhus>".into(),
        }
    }

    /// One megabyte that is not text: every byte value, in a pattern.
    fn pdf_megabyte() -> Vec<u8> {
        let mut b = b"%PDF-1.7\n".to_vec();
        b.extend((0..1_048_576u32 - 9).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        b
    }

    fn retry(r: Result<String, Failure>) -> String {
        match r {
            Err(Failure::Retry(m)) => {
                eprintln!("Retry: {m}");
                m
            }
            other => panic!("expected Retry, got {other:?}"),
        }
    }

    fn permanent(r: Result<String, Failure>) -> String {
        match r {
            Err(Failure::Permanent(m)) => {
                eprintln!("Permanent: {m}");
                m
            }
            other => panic!("expected Permanent, got {other:?}"),
        }
    }

    /// The `key=value` lines of the peer's NNNN.env.
    fn envelope(out: &Path, n: u32) -> std::collections::HashMap<String, String> {
        std::fs::read_to_string(out.join(format!("{n:04}.env")))
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// Reads an .eml with Python's `email` package (an independent MIME parser) and returns its view
    /// as JSON: decoded headers, text, and each attachment's decoded file name, type, size and SHA-256.
    async fn parse_eml(path: &Path) -> serde_json::Value {
        const SCRIPT: &str = r#"
import email, email.policy, hashlib, json, sys
msg = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
atts = [{"filename": p.get_filename(), "content_type": p.get_content_type(),
         "size": len(p.get_content()), "sha256": hashlib.sha256(p.get_content()).hexdigest()}
        for p in msg.iter_attachments()]
body = msg.get_body(preferencelist=("plain",))
print(json.dumps({"subject": msg["subject"], "from": str(msg["from"]), "to": str(msg["to"]),
                  "message_id": msg["message-id"], "date": msg["date"], "text": body.get_content(),
                  "content_type": msg.get_content_type(), "attachments": atts}))
"#;
        let out = Command::new(PYTHON)
            .args(["-c", SCRIPT])
            .arg(path)
            .output()
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// The decoded text body with line ends normalised (the parser keeps the CR LF of the wire).
    fn text_of(v: &serde_json::Value) -> String {
        v["text"]
            .as_str()
            .unwrap()
            .replace("\r\n", "\n")
            .trim_end()
            .to_owned()
    }

    #[test]
    fn addresses() {
        for ok in [
            "kari@example.org",
            "Kari Nordmann <kari@example.org>",
            "Åse Ørn <ase@bø.example.no>",
            "post+skjema@kommune.no",
        ] {
            assert!(check_address(ok), "{ok}");
        }
        for bad in [
            "",
            "kari",
            "kari@",
            "@example.org",
            "kari@@example.org",
            "kari example.org",
            " kari@example.org",
            "kari@example.org\r\nBcc: x@y.z",
            "a@b.c, d@e.f",
        ] {
            assert!(!check_address(bad), "{bad}");
        }
    }

    #[test]
    fn message_ids_and_names() {
        assert!(valid_message_id("<2026-00017.archive@radhus>"));
        for bad in [
            "2026@radhus",
            "<2026>",
            "<@radhus>",
            "<a b@radhus>",
            "<a@b@c>",
            "<a@b>\r\n",
        ] {
            assert!(!valid_message_id(bad), "{bad}");
        }
        assert_eq!(attachment_name("attachments/1-bilde.jpg"), "1-bilde.jpg");
        assert_eq!(attachment_name("søknad-æøå.pdf"), "søknad-æøå.pdf");
        assert_eq!(attachment_name("dir/"), "attachment");
        assert_eq!(
            enhanced_status("5.7.8 Authentication credentials invalid"),
            Some((5, 7, 8))
        );
        assert_eq!(enhanced_status("Mailbox unavailable"), None);
        assert_eq!(enhanced_status("5.7 x"), None);
    }

    #[test]
    fn headers_are_encoded_as_ascii() {
        let cfg = SmtpConfig {
            host: "127.0.0.1".into(),
            port: 25,
            security: SmtpSecurity::StartTls,
            username: None,
            password: None,
            from: "Rådhus <noreply@example.org>".into(),
            ca_pem: None,
            timeout: Duration::from_secs(1),
        };
        let file = PackageFile {
            name: "attachments/søknad-æøå.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: b"%PDF".to_vec(),
        };
        let raw = build_message(&cfg, &mail("kari@example.org", vec![file]))
            .unwrap()
            .formatted();
        let text = String::from_utf8(raw).unwrap();
        assert!(text.is_ascii(), "the whole message is 7-bit: {text}");
        let subject = text.lines().find(|l| l.starts_with("Subject: ")).unwrap();
        assert!(subject.contains("=?utf-8?"), "RFC 2047: {subject}");
        assert!(text.contains("filename*"), "RFC 2231 file name");
        assert!(text.contains("Message-ID: <2026-00017.archive@radhus>\r\n"));
        let cfg_bad_from = SmtpConfig {
            from: "not an address".into(),
            ..cfg.clone()
        };
        retry(
            build_message(&cfg_bad_from, &mail("kari@example.org", vec![])).map(|_| String::new()),
        );
        permanent(build_message(&cfg, &mail("kari", vec![])).map(|_| String::new()));
        let mut m = mail("kari@example.org", vec![]);
        m.message_id = "no brackets".into();
        permanent(build_message(&cfg, &m).map(|_| String::new()));
    }

    #[tokio::test]
    async fn starttls_auth_delivers_a_megabyte_attachment_with_norwegian_names() {
        let peer = peer("starttls").await;
        let pdf = pdf_megabyte();
        let jpg: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
        let files = vec![
            PackageFile {
                name: "søknad-æøå.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: pdf.clone(),
            },
            PackageFile {
                name: "attachments/1-bilde.jpg".into(),
                content_type: "image/jpeg".into(),
                bytes: jpg.clone(),
            },
        ];
        let cfg = config(&peer, SmtpSecurity::StartTls);
        let proof = send(&cfg, &mail("Kari Ørn <kari@example.org>", files))
            .await
            .unwrap();
        assert_eq!(proof, "250 2.0.0 Ok: queued as 0001");

        let env = envelope(&peer.out, 1);
        assert_eq!(env["from"], "noreply@example.org");
        assert_eq!(env["to"], "kari@example.org");
        assert_eq!(env["auth"], "True");
        assert_eq!(env["tls"], "True");
        assert_eq!(env["user"], USER);
        assert!(env["tls_version"].starts_with("TLSv1."), "{env:?}");

        let eml = peer.out.join("0001.eml");
        let raw = std::fs::read(&eml).unwrap();
        let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        assert!(
            raw[..head_end].is_ascii(),
            "headers are encoded, not raw UTF-8"
        );

        let v = parse_eml(&eml).await;
        assert_eq!(
            v["subject"],
            "Søknad om barnehageplass – Ærlig Øvrebø på Å (2026-00017)"
        );
        assert_eq!(v["from"], "Rådhus Ærø kommune <noreply@example.org>");
        assert_eq!(v["to"], "Kari Ørn <kari@example.org>");
        assert_eq!(v["message_id"], "<2026-00017.archive@radhus>");
        assert!(v["date"].as_str().is_some_and(|d| !d.is_empty()));
        assert_eq!(v["content_type"], "multipart/mixed");
        assert_eq!(text_of(&v), "Hei!\nVedlagt er søknaden. Æ ø å.");
        let atts = v["attachments"].as_array().unwrap();
        assert_eq!(atts.len(), 2);
        assert_eq!(atts[0]["filename"], "søknad-æøå.pdf");
        assert_eq!(atts[0]["content_type"], "application/pdf");
        assert_eq!(atts[0]["size"], 1_048_576);
        assert_eq!(atts[0]["sha256"], sha256_hex(&pdf).as_str());
        assert_eq!(atts[1]["filename"], "1-bilde.jpg");
        assert_eq!(atts[1]["content_type"], "image/jpeg");
        assert_eq!(atts[1]["sha256"], sha256_hex(&jpg).as_str());
    }

    #[tokio::test]
    async fn implicit_tls_delivers() {
        let peer = peer("tls").await;
        let cfg = config(&peer, SmtpSecurity::Tls);
        let proof = send(&cfg, &mail("kari@example.org", vec![])).await.unwrap();
        assert!(proof.starts_with("250 "), "{proof}");
        let env = envelope(&peer.out, 1);
        assert_eq!(
            (env["auth"].as_str(), env["tls"].as_str()),
            ("True", "True")
        );
        let v = parse_eml(&peer.out.join("0001.eml")).await;
        assert_eq!(v["content_type"], "text/plain");
        assert_eq!(text_of(&v), "Hei!\nVedlagt er søknaden. Æ ø å.");

        // STARTTLS against a server that speaks TLS from the first byte: no session, retried.
        let wrong = config(&peer, SmtpSecurity::StartTls);
        let cfg = SmtpConfig {
            timeout: Duration::from_millis(1500),
            ..wrong
        };
        retry(send(&cfg, &mail("kari@example.org", vec![])).await);
    }

    #[tokio::test]
    async fn plain_smtp_only_to_loopback() {
        let peer = peer("plain").await;
        let mut cfg = config(&peer, SmtpSecurity::None);
        cfg.ca_pem = None;
        let proof = send(&cfg, &mail("kari@example.org", vec![])).await.unwrap();
        assert!(proof.starts_with("250 "), "{proof}");
        let env = envelope(&peer.out, 1);
        assert_eq!(
            (env["auth"].as_str(), env["tls"].as_str()),
            ("True", "False")
        );

        cfg.host = "smtp.example.org".into();
        let m = retry(send(&cfg, &mail("kari@example.org", vec![])).await);
        assert!(m.contains("loopback"), "{m}");
    }

    #[tokio::test]
    async fn refusals() {
        let peer = peer("starttls").await;
        let cfg = config(&peer, SmtpSecurity::StartTls);

        let m = permanent(send(&cfg, &mail("reject-me@example.org", vec![])).await);
        assert!(m.contains("550") && m.contains("5.1.1"), "{m}");
        let m = retry(send(&cfg, &mail("busy@example.org", vec![])).await);
        assert!(m.contains("451"), "{m}");

        let wrong = SmtpConfig {
            password: Some("wrong".into()),
            ..cfg.clone()
        };
        let m = retry(send(&wrong, &mail("kari@example.org", vec![])).await);
        assert!(m.contains("535") && m.contains("authentication"), "{m}");

        // Without the server's certificate the TLS handshake fails: retried (configuration).
        let untrusted = SmtpConfig {
            ca_pem: None,
            ..cfg.clone()
        };
        let m = retry(send(&untrusted, &mail("kari@example.org", vec![])).await);
        assert!(
            m.starts_with("SMTP TLS failed: ") && m.contains("UnknownIssuer"),
            "{m}"
        );

        // Nothing of the above reached a mailbox.
        assert!(!peer.out.join("0001.eml").exists());
        send(&cfg, &mail("kari@example.org", vec![])).await.unwrap();
        assert!(peer.out.join("0001.eml").exists());
    }

    #[tokio::test]
    async fn no_server_and_a_silent_server_are_retried() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let cfg = SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::StartTls,
            username: Some(USER.into()),
            password: Some(PASSWORD.into()),
            from: "noreply@example.org".into(),
            ca_pem: None,
            timeout: Duration::from_secs(5),
        };
        let m = retry(send(&cfg, &mail("kari@example.org", vec![])).await);
        assert!(m.contains("onnect"), "{m}");

        // A server that accepts the connection and never greets.
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = silent.local_addr().unwrap().port();
        let hold = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((s, _)) = silent.accept().await {
                held.push(s);
            }
        });
        let cfg = SmtpConfig {
            port,
            timeout: Duration::from_millis(700),
            ..cfg
        };
        let started = std::time::Instant::now();
        let m = retry(send(&cfg, &mail("kari@example.org", vec![])).await);
        assert!(m.contains("timeout"), "{m}");
        assert!(started.elapsed() < Duration::from_secs(3));
        hold.abort();
    }
}
