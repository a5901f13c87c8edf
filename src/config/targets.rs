//! The delivery targets' and the mail server's settings, as validated from the configuration. The
//! delivery code reads these structs; it does not define them (configuration owns its types).

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connect, then STARTTLS, which is required (usually port 587).
    StartTls,
    /// TLS from the first byte, "SMTPS" (usually port 465).
    Tls,
    /// No encryption at all. Only allowed to a loopback host (a local relay such as Postfix).
    None,
}

/// One configured SMTP server and sender.
#[derive(Clone)]
pub struct SmtpConfig {
    /// A host name or an IP address (IPv6 without brackets).
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// Both or neither: AUTH PLAIN or LOGIN (only ever over TLS, or to loopback).
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. `Rådhus <noreply@example.org>`.
    pub from: String,
    /// PEM with extra trusted root certificates (a server with a self-signed or internal certificate),
    /// added to Mozilla's roots.
    pub ca_pem: Option<Vec<u8>>,
    /// For the whole exchange, from connecting to the reply after the message.
    pub timeout: Duration,
}

/// Hides the password.
impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "(hidden)"))
            .field("from", &self.from)
            .field("ca_pem", &self.ca_pem.as_ref().map(Vec::len))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Whether `s` is a usable recipient: an address (`kari@example.org`) or a mailbox
/// (`Kari Nordmann <kari@example.org>`), as lettre parses them.
pub fn check_address(s: &str) -> bool {
    s.trim() == s && s.parse::<Mailbox>().is_ok()
}

/// True for `localhost` and loopback addresses (`127.0.0.0/8`, `::1`, also written `[::1]`): the
/// only hosts a target may reach without TLS.
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// One configured HTTP receiver.
#[derive(Debug, Clone)]
pub struct HttpTarget {
    /// `https://…`; `http://` only to `localhost`, `127.0.0.0/8` or `[::1]`.
    pub url: String,
    /// The HMAC key shared with the receiver. Must not be empty.
    pub secret: Vec<u8>,
    /// PEM with one or more extra trusted root certificates (e.g. a self-signed receiver's), added to
    /// Mozilla's roots.
    pub ca_pem: Option<Vec<u8>>,
    /// For the whole exchange: resolving, connecting, TLS, sending the body and reading the answer.
    pub timeout: Duration,
}

/// Where clamd listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClamdAddress {
    Unix(PathBuf),
    Tcp(String),
}

#[derive(Debug, Clone)]
pub struct ClamavConfig {
    pub address: ClamdAddress,
    pub timeout: Duration,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.8.9.1",
            "::1",
            "[::1]",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "example.org",
            "10.0.0.1",
            "0.0.0.0",
            "[::]",
            "localhost.example.org",
            "",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }
}
