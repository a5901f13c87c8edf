//! The running appliance. [`App::start`] takes a validated [`Config`] and returns [`Running`]: the bound
//! addresses and the handles to reload TLS and to shut down. `main` and the tests both use it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::config::{Config, ConfigErrors};
use crate::delivery::DeliveryStatus;
use crate::forms::{LoadError, Registry};
use crate::http::tls::{CertResolver, TlsError};
use crate::http::{server, tls};
use crate::i18n::I18n;
use crate::metrics::Metrics;
use crate::state::{State, Tenant, TenantError};
use crate::store::{Store, StoreError};

/// Why the appliance did not start. [`StartError::exit_code`] maps to the CLI's codes.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(#[from] ConfigErrors),
    #[error("{0}")]
    Tls(#[from] TlsError),
    #[error("{0}")]
    Theme(#[from] crate::themes::ThemeError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Bind(std::io::Error),
    #[error("the form library does not load:\n{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Forms(Vec<LoadError>),
    #[error("{0}")]
    I18n(#[from] crate::i18n::I18nError),
    #[error("{0}")]
    Key(String),
}

impl From<TenantError> for StartError {
    fn from(e: TenantError) -> Self {
        match e {
            TenantError::Theme(t) => StartError::Theme(t),
            TenantError::Forms(f) => StartError::Forms(f),
        }
    }
}

impl StartError {
    /// 2 for problems in what the operator wrote (configuration, certificates, themes), 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            StartError::Config(_) | StartError::Tls(_) | StartError::Theme(_) => 2,
            _ => 1,
        }
    }
}

pub struct App;

impl App {
    /// Opens the store, loads forms and themes, binds the listeners and starts serving.
    pub async fn start(config: Config) -> Result<Running, StartError> {
        let registry = Arc::new(Registry::load_embedded().map_err(StartError::Forms)?);
        let i18n = I18n::load()?;
        #[cfg(feature = "pdf")]
        crate::pdf::fallback::set_source(Box::new(crate::font_files::FontFolders::new(
            config.server.font_dirs.clone(),
        )));
        if config.server.tls_self_signed {
            self_signed(&config)?;
        }
        let resolver = Arc::new(CertResolver::new(
            &config.server.tls_cert,
            &config.server.tls_key,
        )?);
        let tls_config = tls::server_config(resolver.clone())?;
        let mut tenants = vec![];
        let mut hosts = HashMap::new();
        for (i, t) in config.tenants.iter().enumerate() {
            tenants.push(Tenant::build(t, &registry)?);
            for h in &t.hosts {
                hosts.insert(h.clone(), i);
            }
        }
        let data_dir = config.server.data_dir.clone();
        let store = tokio::task::spawn_blocking(move || Store::open(&data_dir))
            .await
            .map_err(|e| StartError::Bind(std::io::Error::other(e.to_string())))??;
        let seed = crate::forms::embedded_lists().map_err(StartError::Forms)?;
        for t in &mut tenants {
            let ts = store.tenant(&t.config.id);
            ts.seed_value_lists(seed.clone()).await?;
            t.value_lists = ts.value_lists()?;
        }
        let csrf_key = config
            .server
            .secret_key
            .clone()
            .unwrap_or_else(|| store.secret_key().to_vec());
        let listener = server::bind(config.server.listen)
            .await
            .map_err(StartError::Bind)?;
        let addr = listener.local_addr().map_err(StartError::Bind)?;
        let redirect = match config.server.redirect_listen {
            Some(a) => Some(server::bind(a).await.map_err(StartError::Bind)?),
            None => None,
        };
        let redirect_addr = redirect.as_ref().and_then(|l| l.local_addr().ok());
        let files = crate::attachments::FileStore::new(&config.server.data_dir);
        let config_self_signed = config.server.tls_self_signed;
        let budgets = config.budgets.clone();
        let state = Arc::new(State {
            config,
            store: Arc::new(store),
            i18n: Arc::new(i18n),
            registry,
            tenants: Arc::new(tenants),
            hosts,
            metrics: Metrics::default(),
            site_key: crate::site_key::SiteKey::new(&csrf_key)
                .ok_or_else(|| StartError::Key("the secret key cannot key HMAC".into()))?,
            csrf_key,
            shutting_down: AtomicBool::new(false),
            started: Instant::now(),
            deliveries: Arc::new(DeliveryStatus::default()),
            files,
            clock: Clock::system(),
            cert_not_after: std::sync::atomic::AtomicI64::new(resolver.not_after().unwrap_or(0)),
            cert_self_signed: AtomicBool::new(config_self_signed),
            data_bytes: Default::default(),
            acme_tokens: Default::default(),
            acme_error: Default::default(),
            pages: Default::default(),
            heavy: tokio::sync::Semaphore::new(heavy_renders()),
            budgets: crate::budgets::Budgets::new(budgets),
            limiter: crate::auth::Limiter::default(),
            https_port: addr.port(),
            oidc: Default::default(),
            blank_pdfs: Default::default(),
        });
        warn_if_expiring(&state);
        let worker = crate::delivery::worker::Worker {
            store: state.store.clone(),
            tenants: state.tenants.clone(),
            i18n: state.i18n.clone(),
            smtp: state.config.smtp.clone(),
            data_dir: state.config.server.data_dir.clone(),
            attempts: state.config.limits.delivery_attempts,
            status: state.deliveries.clone(),
            clock: state.clock.clone(),
            link_key: state.csrf_key.clone(),
            https_port: addr.port(),
        };
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = vec![tokio::spawn(server::serve_tls(
            listener,
            tokio_rustls::TlsAcceptor::from(tls_config),
            state.clone(),
            &crate::web::routes::SITE,
            stop_rx.clone(),
        ))];
        tasks.push(tokio::spawn(sweep(state.clone(), stop_rx.clone())));
        tasks.push(tokio::spawn(trim_memory(stop_rx.clone())));
        tasks.push(tokio::spawn(worker.run(stop_rx.clone())));
        if let Some(acme) = state.config.acme.clone() {
            tasks.push(tokio::spawn(crate::http::acme::run(
                state.clone(),
                acme,
                resolver.clone(),
                stop_rx.clone(),
            )));
        }
        match crate::control::bind(&state.config.server.data_dir) {
            Ok(l) => tasks.push(tokio::spawn(crate::control::serve(
                l,
                crate::control::Handles {
                    store: state.store.clone(),
                    wake: state.deliveries.clone(),
                    files: state.files.clone(),
                    data_dir: state.config.server.data_dir.clone(),
                },
                stop_rx.clone(),
            ))),
            Err(e) => {
                tracing::warn!(error = %e, "no control socket; `radhus deliveries` will not reach this server")
            }
        }
        if let Some(l) = redirect {
            tasks.push(tokio::spawn(server::serve_redirect(
                l,
                addr.port(),
                state.clone(),
                stop_rx,
            )));
        }
        tracing::info!(%addr, tenants = state.tenants.len(), "Rådhus is serving");
        Ok(Running {
            addr,
            redirect_addr,
            state,
            stop: stop_tx,
            tasks,
            resolver,
        })
    }
}

/// `tls_fallback = "self-signed"` and no certificate files: a new self-signed certificate for every
/// tenant's host names (and localhost), made at each start so it follows the configuration, with a log
/// line that says so and what to do.
fn self_signed(config: &Config) -> Result<(), TlsError> {
    let mut names: Vec<&str> = config
        .tenants
        .iter()
        .flat_map(|t| t.hosts.iter().map(String::as_str))
        .collect();
    names.push("localhost");
    tls::write_self_signed(&names, &config.server.tls_cert, &config.server.tls_key)?;
    tracing::warn!(
        certificate = %config.server.tls_cert.display(),
        hosts = names.join(" "),
        "no TLS certificate files yet: serving a SELF-SIGNED certificate, which browsers warn about; put the \
         real certificate and key where server.tls_cert and server.tls_key say, then restart"
    );
    Ok(())
}

/// Every five seconds: free memory back to the kernel, so that the process shrinks after a burst
/// ([`crate::memory`]).
async fn trim_memory(mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let _ = tokio::task::spawn_blocking(crate::memory::trim).await;
            }
            _ = stop.changed() => break,
        }
    }
}

/// Logs a warning when the certificate in use expires within [`tls::WARN_DAYS`] (or has expired).
fn warn_if_expiring(state: &State) {
    let not_after = state.cert_not_after.load(Ordering::Relaxed);
    if not_after != 0
        && let Some(w) = tls::expiry_warning(not_after, state.clock.unix())
    {
        tracing::warn!(certificate = %state.config.server.tls_cert.display(), "{w}");
    }
}

/// Hourly: drop expired drafts and idle sessions; daily, the certificate's expiry.
async fn sweep(state: Arc<State>, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    let mut hours = 0u64;
    loop {
        tokio::select! {
            _ = tick.tick() => {
                hours += 1;
                if hours.is_multiple_of(24) {
                    warn_if_expiring(&state);
                }
                let now = state.clock.unix();
                let idle = state.config.server.draft_lifetime.as_secs() as i64;
                let system = state.store.system();
                match (system.expire_drafts(now).await, system.expire_sessions(now - idle).await) {
                    (Ok(d), Ok(s)) if d + s > 0 => tracing::info!(drafts = d, sessions = s, "expired drafts and sessions removed"),
                    (Err(e), _) | (_, Err(e)) => tracing::warn!(error = %e, "sweep failed"),
                    _ => {}
                }
                let verify = state.config.accounts.verify.as_secs() as i64;
                match system.expire_accounts(now, now - verify).await {
                    Ok((l, a)) if l + a > 0 => tracing::info!(links = l, accounts = a, "expired account links and unverified accounts removed"),
                    Err(e) => tracing::warn!(error = %e, "account sweep failed"),
                    _ => {}
                }
                sweep_files(&state).await;
                let dir = state.config.server.data_dir.clone();
                if let Ok(bytes) = tokio::task::spawn_blocking(move || crate::metrics::folder_bytes(&dir)).await {
                    state.data_bytes.store(bytes, Ordering::Relaxed);
                }
            }
            _ = stop.changed() => break,
        }
    }
}

/// Removes uploaded files that no draft and no submission holds (after a grace period).
pub async fn sweep_files(state: &Arc<State>) -> usize {
    let st = state.clone();
    let run = tokio::task::spawn_blocking(move || {
        let held = st.store.system().held_files()?;
        Ok::<_, crate::store::StoreError>(st.files.sweep(
            crate::attachments::ORPHAN_GRACE,
            &|t, id| {
                match (
                    crate::ids::TenantId::parse(t),
                    crate::ids::FileId::parse(id),
                ) {
                    (Ok(t), Ok(id)) => held.contains(&(t, id)),
                    // Not a name this code gives a file: nothing refers to it.
                    _ => false,
                }
            },
        ))
    })
    .await;
    match run
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()))
    {
        Ok(n) => {
            if n > 0 {
                tracing::info!(files = n, "orphaned uploads removed");
            }
            n
        }
        Err(e) => {
            tracing::warn!(error = %e, "file sweep failed");
            0
        }
    }
}

/// A running appliance.
pub struct Running {
    pub addr: SocketAddr,
    pub redirect_addr: Option<SocketAddr>,
    state: Arc<State>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    resolver: Arc<CertResolver>,
}

impl Running {
    pub fn state(&self) -> &Arc<State> {
        &self.state
    }

    /// Re-reads the certificate and key; new handshakes use them, open connections are untouched.
    pub fn reload_tls(&self) -> Result<(), TlsError> {
        self.resolver.reload()?;
        self.state
            .cert_not_after
            .store(self.resolver.not_after().unwrap_or(0), Ordering::Relaxed);
        warn_if_expiring(&self.state);
        Ok(())
    }

    /// Stops accepting, finishes in-flight requests (up to the grace period) and closes the store.
    pub async fn shutdown(self) {
        self.state.shutting_down.store(true, Ordering::Relaxed);
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
        let Running { state, .. } = self;
        // The last reference closes redb cleanly; connection tasks past the grace period may hold one
        // a moment longer, and redb closes when they drop it.
        drop(state);
        tracing::info!("Rådhus stopped");
    }
}

/// CPU-heavy renders at once: all cores but one (at least one).
fn heavy_renders() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
}
