//! Certificates from an ACME CA (`[acme]` in the configuration): one certificate for every tenant's host
//! names, by the HTTP-01 challenge on the plain listener (`server.redirect_listen`, port 80), kept in
//! `<data>/acme/` (account credentials, certificate, key; owner only) and put into service with the same
//! reload SIGHUP uses, so open connections are never dropped.
//!
//! At start the server serves what `<data>/acme/` holds, or a self-signed certificate until the CA's
//! first one arrives. This task orders a certificate when the one in use is self-signed, does not cover
//! every host, or expires within [`super::tls::WARN_DAYS`] days; it looks again twice a day, and after a
//! failure (the CA is down, a challenge failed) in five minutes, doubling up to six hours. A failure is
//! logged and shown in `/healthz`; the certificate in use stays.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use instant_acme::{
    Account, AccountCredentials, AuthorizationStatus, ChallengeType, Identifier, NewAccount,
    NewOrder, OrderStatus, RetryPolicy,
};
use tokio::sync::watch;

use super::tls::CertResolver;
use crate::config::AcmeConfig;
use crate::state::State;

const ACCOUNT: &str = "account.json";

pub async fn run(
    state: Arc<State>,
    acme: AcmeConfig,
    resolver: Arc<CertResolver>,
    mut stop: watch::Receiver<bool>,
) {
    let dir = state.config.server.data_dir.join("acme");
    let mut hosts: Vec<String> = state
        .tenants
        .iter()
        .flat_map(|t| t.config.hosts.iter().cloned())
        // A host given as an IP address gets no name on the certificate (ACME CAs certify names).
        .filter(|h| h.parse::<std::net::IpAddr>().is_err())
        .collect();
    hosts.sort();
    hosts.dedup();
    let mut backoff = Duration::from_secs(300);
    loop {
        let wait = if due(&resolver, &hosts, state.clock.unix()) {
            match obtain(&state, &acme, &dir, &hosts).await {
                Ok(()) => match resolver.reload() {
                    Ok(()) => {
                        let not_after = resolver.not_after().unwrap_or(0);
                        state
                            .cert_not_after
                            .store(not_after, std::sync::atomic::Ordering::Relaxed);
                        state
                            .cert_self_signed
                            .store(false, std::sync::atomic::Ordering::Relaxed);
                        set_error(&state, None);
                        tracing::info!(hosts = hosts.join(" "), directory = %acme.directory, "certificate from the ACME CA in use");
                        backoff = Duration::from_secs(300);
                        Duration::from_secs(12 * 3600)
                    }
                    Err(e) => failed(
                        &state,
                        &mut backoff,
                        format!("the new certificate does not load: {e}"),
                    ),
                },
                Err(e) => failed(&state, &mut backoff, e),
            }
        } else {
            Duration::from_secs(12 * 3600)
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
    }
}

fn failed(state: &State, backoff: &mut Duration, e: String) -> Duration {
    let msg = format!(
        "no certificate from the ACME CA: {e}; the certificate in use stays, next try in {} min",
        backoff.as_secs() / 60
    );
    tracing::warn!("{msg}");
    set_error(state, Some(msg));
    let wait = *backoff;
    *backoff = (*backoff * 2).min(Duration::from_secs(6 * 3600));
    wait
}

fn set_error(state: &State, e: Option<String>) {
    if let Ok(mut slot) = state.acme_error.lock() {
        *slot = e;
    }
}

/// Whether the certificate in use should be replaced: unreadable, self-signed, not covering every host, or
/// within [`super::tls::WARN_DAYS`] of its end.
fn due(resolver: &CertResolver, hosts: &[String], now: i64) -> bool {
    resolver.facts().is_none_or(|f| {
        f.self_signed
            || f.not_after - now < super::tls::WARN_DAYS * 86_400
            || !hosts.iter().all(|h| f.dns_names.contains(h))
    })
}

async fn obtain(
    state: &State,
    acme: &AcmeConfig,
    dir: &Path,
    hosts: &[String],
) -> Result<(), String> {
    crate::fs_modes::create_dirs(dir, crate::fs_modes::PRIVATE_DIR)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let account = account(acme, dir).await?;
    let identifiers: Vec<Identifier> = hosts.iter().map(|h| Identifier::Dns(h.clone())).collect();
    let mut order = account
        .new_order(&NewOrder::new(&identifiers))
        .await
        .map_err(|e| format!("new order: {e}"))?;
    let mut tokens = vec![];
    let mut authorizations = order.authorizations();
    while let Some(next) = authorizations.next().await {
        let mut authz = next.map_err(|e| format!("authorization: {e}"))?;
        match authz.status {
            AuthorizationStatus::Pending => {}
            AuthorizationStatus::Valid => continue,
            other => return Err(format!("authorization is {other:?}")),
        }
        let mut challenge = authz
            .challenge(ChallengeType::Http01)
            .ok_or("the CA offers no HTTP-01 challenge")?;
        let token = challenge.token.clone();
        let answer = challenge.key_authorization().as_str().to_owned();
        if let Ok(mut t) = state.acme_tokens.lock() {
            t.insert(token.clone(), answer);
        }
        tokens.push(token);
        challenge
            .set_ready()
            .await
            .map_err(|e| format!("challenge: {e}"))?;
    }
    let retry = RetryPolicy::default().timeout(Duration::from_secs(120));
    let status = order.poll_ready(&retry).await;
    if let Ok(mut t) = state.acme_tokens.lock() {
        for token in &tokens {
            t.remove(token);
        }
    }
    let status = status.map_err(|e| format!("waiting for the order: {e}"))?;
    if status != OrderStatus::Ready {
        return Err(format!("the order is {status:?}, not ready"));
    }
    let key_pem = order
        .finalize()
        .await
        .map_err(|e| format!("finalize: {e}"))?;
    let chain_pem = order
        .poll_certificate(&retry)
        .await
        .map_err(|e| format!("certificate: {e}"))?;
    // Key first, then the certificate: a reload never pairs a new certificate with an old key for long,
    // and a failed write leaves the old pair.
    write_private(&dir.join("key.pem.new"), key_pem.as_bytes())?;
    write_private(&dir.join("cert.pem.new"), chain_pem.as_bytes())?;
    for name in ["key.pem", "cert.pem"] {
        std::fs::rename(dir.join(format!("{name}.new")), dir.join(name))
            .map_err(|e| format!("{}: {e}", dir.join(name).display()))?;
    }
    Ok(())
}

/// The ACME account, from `<data>/acme/account.json`, or made now and kept there.
async fn account(acme: &AcmeConfig, dir: &Path) -> Result<Account, String> {
    let builder = || {
        match &acme.ca_file {
            Some(ca) => Account::builder_with_root(ca),
            None => Account::builder(),
        }
        .map_err(|e| format!("HTTP client for the CA: {e}"))
    };
    let path: PathBuf = dir.join(ACCOUNT);
    if let Ok(text) = std::fs::read(&path)
        && let Ok(creds) = serde_json::from_slice::<AccountCredentials>(&text)
    {
        return builder()?
            .from_credentials(creds)
            .await
            .map_err(|e| format!("the account in {}: {e}", path.display()));
    }
    let contact: Vec<&str> = acme.contact.iter().map(String::as_str).collect();
    let (account, creds) = builder()?
        .create(
            &NewAccount {
                contact: &contact,
                terms_of_service_agreed: true,
                only_return_existing: false,
            },
            acme.directory.clone(),
            None,
        )
        .await
        .map_err(|e| format!("new account at {}: {e}", acme.directory))?;
    let text = serde_json::to_vec(&creds).map_err(|e| e.to_string())?;
    write_private(&path, &text)?;
    Ok(account)
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .map_err(|e| format!("{}: {e}", path.display()))
}
