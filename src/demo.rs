//! `radhus demo`: two sample municipalities on `*.localhost`, a self-signed certificate made at start, and
//! a configuration file written into the data folder (so the evaluator can read what a config looks like).

use std::net::SocketAddr;
use std::path::Path;

use crate::config::{self, Config, ConfigErrors};
use crate::forms::Registry;
use crate::http::tls::{self, TlsError};

/// The demo's host names; the certificate covers all of them.
pub const HOSTS: [&str; 4] = [
    "eksempel.localhost",
    "provestad.localhost",
    "localhost",
    "127.0.0.1",
];

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("{0}")]
    Tls(#[from] TlsError),
    #[error("cannot prepare the demo data folder {}: {source}", .dir.display())]
    Io {
        dir: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("the built-in demo configuration is invalid (a bug):\n{0}")]
    Config(#[from] ConfigErrors),
}

/// The demo configuration text for a data folder and listen address.
pub fn config_text(listen: SocketAddr) -> String {
    format!(
        r#"# Written by `radhus demo`. Paths are relative to this file's folder.
[server]
listen = "{listen}"
data_dir = "."
tls_cert = "tls/cert.pem"
tls_key = "tls/key.pem"

[[tenant]]
id = "eksempel"
name = "Eksempel kommune"
hosts = ["eksempel.localhost", "localhost", "127.0.0.1"]
default_language = "nb"
theme = "default"
contact_email = "postmottak@eksempel.example"
contact_phone = "12 34 56 78"
postal_address = "Postboks 1, 9999 Eksempelby"
archive_dir = "archive/eksempel"
forms = ["*"]

[tenant.intro]
nb = "Velkommen til Eksempel kommunes selvbetjening. Her søker du om barnehageplass, melder fra om feil og kontakter kommunen."
nn = "Velkomen til sjølvbeteninga til Eksempel kommune. Her søkjer du om barnehageplass, melder frå om feil og kontaktar kommunen."
en = "Welcome to Eksempel municipality's online services. Apply for a kindergarten place, report a problem or contact us."

[[tenant]]
id = "provestad"
name = "Prøvestad kommune"
hosts = ["provestad.localhost"]
default_language = "nn"
theme = "provestad"
contact_email = "post@provestad.example"
contact_phone = "98 76 54 32"
archive_dir = "archive/provestad"
forms = ["barnehage-soknad", "sfo-soknad", "feil-vei-gatelys", "kontaktskjema"]
"#
    )
}

/// Prepares `data_dir` (certificate, archive folders, config file) and returns the validated config.
pub fn prepare(data_dir: &Path, listen: SocketAddr) -> Result<Config, DemoError> {
    let io = |source| DemoError::Io {
        dir: data_dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(data_dir.join("archive/eksempel")).map_err(io)?;
    std::fs::create_dir_all(data_dir.join("archive/provestad")).map_err(io)?;
    let cert = data_dir.join("tls/cert.pem");
    let key = data_dir.join("tls/key.pem");
    if !cert.is_file() || !key.is_file() {
        tls::write_self_signed(&HOSTS, &cert, &key)?;
    }
    let path = data_dir.join("radhus-demo.toml");
    std::fs::write(&path, config_text(listen)).map_err(io)?;
    let registry = Registry::load_embedded().unwrap_or_default();
    Ok(config::load(&path, &|id| registry.contains(id))?)
}

/// `radhus demo --load-test`: every simulated citizen of a load test comes from this machine's one
/// address, so the per-address budgets and connection limit are raised to the tenant's and the total's
/// (which still hold).
pub fn for_load_tests(cfg: &mut Config) {
    let b = &mut cfg.budgets;
    for l in [
        &mut b.drafts,
        &mut b.sessions,
        &mut b.upload_bytes,
        &mut b.upload_files,
        &mut b.receipt_copies,
    ] {
        l.per_ip = l.per_tenant;
    }
    cfg.limits.max_connections_per_ip = cfg.limits.max_connections;
    tracing::warn!("load-test mode: the per-address budgets and connection limit are lifted");
}
