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

/// The demo's sample citizens: (tenant, e-mail address, password). Password accounts, verified.
pub const CITIZENS: [(&str, &str, &str); 2] = [
    (
        "eksempel",
        "kari.nordmann@eksempel.example",
        "rådhus demo kari",
    ),
    (
        "provestad",
        "ola.nordmann@provestad.example",
        "rådhus demo ola",
    ),
];

/// Makes the sample citizens (unless the data folder has them from an earlier run), each with a sent
/// contact form (`kontaktskjema`) and a kindergarten application (`barnehage-soknad`) filled in but not
/// sent, through the account and case layers the web pages use.
pub async fn seed_citizens(state: &crate::state::State) -> Result<(), String> {
    use crate::forms::engine::answers_from_example;
    use crate::ids::{FormId, SessionId, TenantId};
    let e = |e: crate::store::StoreError| e.to_string();
    for (tenant_id, email, password) in CITIZENS {
        let t = TenantId::parse(tenant_id).map_err(|e| e.to_string())?;
        let Some(tenant) = state.tenants.iter().find(|x| x.config.id == t) else {
            continue;
        };
        let ts = state.store.tenant(&t);
        if ts.account_by_email(email).map_err(e)?.is_some() {
            continue;
        }
        let now = state.clock.unix();
        let made = crate::auth::register(
            &state.store,
            &t,
            email,
            password,
            tenant.config.default_lang,
            &state.config.accounts,
            now,
        )
        .await
        .map_err(e)?;
        let crate::auth::Registration::Verify { token, account } = made else {
            continue;
        };
        ts.use_token(crate::auth::token_hash(&token), |_| true, None, now)
            .await
            .map_err(e)?;
        let session = SessionId::generate().map_err(|e| e.to_string())?;
        for (form, send) in [("kontaktskjema", true), ("barnehage-soknad", false)] {
            let id = FormId::parse(form).map_err(|e| e.to_string())?;
            let Some(def) = tenant.form(&id).cloned() else {
                continue;
            };
            let Some((_, text)) = crate::forms::embedded::EXAMPLES
                .iter()
                .find(|(n, _)| *n == format!("{form}.example.toml"))
            else {
                continue;
            };
            let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
            let answers = answers_from_example(&def, &table);
            let lifetime = state.config.server.draft_lifetime.as_secs() as i64;
            let draft = crate::cases::start_draft(
                &state.store,
                tenant,
                &session,
                &def,
                tenant.config.default_lang,
                &state.clock,
                lifetime,
                Some(&account),
            )
            .await
            .map_err(e)?;
            ts.edit_draft(&draft, true, move |d| {
                d.answers = answers;
                d.progressed = true;
                d.expires = now + lifetime;
            })
            .await
            .map_err(e)?;
            if send {
                let acct = ts.account(&account.id).map_err(e)?;
                let open = crate::cases::open_draft(
                    &state.store,
                    tenant,
                    &session,
                    acct.as_ref(),
                    &def,
                    now,
                )
                .map_err(e)?
                .ok_or("the demo draft is gone")?;
                crate::cases::submit(&state.store, tenant, &session, &open, &state.clock)
                    .await
                    .map_err(|e| format!("{e:?}"))?;
            }
        }
    }
    state.deliveries.wake();
    Ok(())
}
