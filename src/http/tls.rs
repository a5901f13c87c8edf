//! TLS with rustls (ring provider): TLS 1.2 and 1.3 only, ALPN `h2` and `http/1.1`, a certificate resolver
//! whose key can be swapped at run time (SIGHUP) without touching open connections, and the demo's
//! self-signed certificate.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls::crypto::CryptoProvider;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{}: cannot read a PEM certificate: {detail}", .path.display())]
    Cert { path: PathBuf, detail: String },
    #[error("{}: cannot read a PEM private key: {detail}", .path.display())]
    Key { path: PathBuf, detail: String },
    #[error("{}: the private key does not fit the certificate or is not supported: {detail}", .path.display())]
    Mismatch { path: PathBuf, detail: String },
    #[error("TLS setup: {0}")]
    Setup(String),
    #[error("cannot generate the demo certificate: {0}")]
    Generate(String),
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads a certificate chain and its key from PEM files into a rustls key.
pub fn load_key(cert_path: &Path, key_path: &Path) -> Result<CertifiedKey, TlsError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert_path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| TlsError::Cert {
            path: cert_path.to_path_buf(),
            detail: e.to_string(),
        })?;
    if certs.is_empty() {
        return Err(TlsError::Cert {
            path: cert_path.to_path_buf(),
            detail: "the file holds no CERTIFICATE block".into(),
        });
    }
    let key = PrivateKeyDer::from_pem_file(key_path).map_err(|e| TlsError::Key {
        path: key_path.to_path_buf(),
        detail: e.to_string(),
    })?;
    CertifiedKey::from_der(certs, key, &provider()).map_err(|e| TlsError::Mismatch {
        path: key_path.to_path_buf(),
        detail: e.to_string(),
    })
}

/// What the renewal and the warnings need to know of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertFacts {
    /// When it stops being valid, in Unix seconds.
    pub not_after: i64,
    /// Issued by itself (the demo's, the stand-in before the real one).
    pub self_signed: bool,
    /// The DNS names it covers.
    pub dns_names: Vec<String>,
}

/// [`CertFacts`] of the certificate a key serves (the first of its chain).
pub fn facts(key: &CertifiedKey) -> Option<CertFacts> {
    let der = key.cert.first()?;
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
    let dns_names = cert
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|san| {
            san.value
                .general_names
                .iter()
                .filter_map(|n| match n {
                    x509_parser::extensions::GeneralName::DNSName(d) => Some((*d).to_owned()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    Some(CertFacts {
        not_after: cert.validity().not_after.timestamp(),
        self_signed: cert.issuer() == cert.subject(),
        dns_names,
    })
}

/// When the certificate a key serves stops being valid, in Unix seconds.
pub fn not_after(key: &CertifiedKey) -> Option<i64> {
    facts(key).map(|f| f.not_after)
}

/// How many days ahead an expiring certificate is warned about (log, `/healthz`, `check-config`).
pub const WARN_DAYS: i64 = 30;

/// The warning for a certificate valid until `not_after`, at `now` (both Unix seconds): None while it has
/// more than [`WARN_DAYS`] left.
pub fn expiry_warning(not_after: i64, now: i64) -> Option<String> {
    let left = not_after - now;
    if left > WARN_DAYS * 86_400 {
        return None;
    }
    let date = time::OffsetDateTime::from_unix_timestamp(not_after)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| not_after.to_string());
    Some(if left <= 0 {
        format!("the TLS certificate expired on {date}; browsers refuse it: renew it, then reload")
    } else {
        format!(
            "the TLS certificate expires in {} days, on {date}: renew it, then reload (systemctl reload radhus)",
            left / 86_400
        )
    })
}

/// Serves the current key; [`CertResolver::reload`] swaps it for new handshakes only.
#[derive(Debug)]
pub struct CertResolver {
    current: RwLock<Arc<CertifiedKey>>,
    cert_path: PathBuf,
    key_path: PathBuf,
}

impl CertResolver {
    pub fn new(cert_path: &Path, key_path: &Path) -> Result<CertResolver, TlsError> {
        let key = load_key(cert_path, key_path)?;
        Ok(CertResolver {
            current: RwLock::new(Arc::new(key)),
            cert_path: cert_path.to_path_buf(),
            key_path: key_path.to_path_buf(),
        })
    }

    /// [`CertFacts`] of the certificate in use, if it can be read.
    pub fn facts(&self) -> Option<CertFacts> {
        let guard = match self.current.read() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        facts(&guard)
    }

    /// When the certificate in use stops being valid (Unix seconds), if it can be read.
    pub fn not_after(&self) -> Option<i64> {
        self.facts().map(|f| f.not_after)
    }

    /// Re-reads the PEM files. On error the old key stays in use.
    pub fn reload(&self) -> Result<(), TlsError> {
        let key = Arc::new(load_key(&self.cert_path, &self.key_path)?);
        match self.current.write() {
            Ok(mut guard) => *guard = key,
            Err(poisoned) => *poisoned.into_inner() = key,
        }
        Ok(())
    }
}

impl ResolvesServerCert for CertResolver {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let guard = match self.current.read() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        Some(guard.clone())
    }
}

/// The server's TLS configuration around a resolver.
pub fn server_config(resolver: Arc<CertResolver>) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| TlsError::Setup(e.to_string()))?
        .with_no_client_auth()
        .with_cert_resolver(resolver);
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(cfg))
}

/// Writes a self-signed certificate for `names` to `cert_path` and `key_path` (key readable by owner only).
pub fn write_self_signed(
    names: &[&str],
    cert_path: &Path,
    key_path: &Path,
) -> Result<(), TlsError> {
    let gen_err = |e: &dyn std::fmt::Display| TlsError::Generate(e.to_string());
    let names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    let ck = rcgen::generate_simple_self_signed(names).map_err(|e| gen_err(&e))?;
    if let Some(dir) = cert_path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| gen_err(&e))?;
    }
    std::fs::write(cert_path, ck.cert.pem()).map_err(|e| gen_err(&e))?;
    write_private(key_path, ck.signing_key.serialize_pem().as_bytes()).map_err(|e| gen_err(&e))?;
    Ok(())
}

fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(data)?;
    f.sync_all()
}
