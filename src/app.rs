//! The running appliance. [`App::start`] takes a validated [`Config`] and returns [`Running`]: the bound
//! addresses and the handles to reload TLS and to shut down. `main` and the tests both use it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Config, ConfigErrors, TenantConfig};
use crate::forms::search::SearchIndex;
use crate::forms::{FormDef, LoadError, Registry};
use crate::http::assets::{AssetSet, AssetUrls};
use crate::http::metrics::Metrics;
use crate::http::tls::{CertResolver, TlsError};
use crate::http::{server, tls};
use crate::i18n::{I18n, Lang};
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

/// One municipality as served: its configuration, forms, search indexes and assets.
pub struct Tenant {
    pub config: TenantConfig,
    /// Every form the tenant offers, by URL.
    pub forms: Vec<Arc<FormDef>>,
    /// The forms shown on the portal and found by search.
    pub listed: Vec<Arc<FormDef>>,
    search: Vec<SearchIndex>,
    pub assets: AssetSet,
    pub urls: AssetUrls,
    /// The theme's logo as the PDFs draw it; None when logo.svg uses what PDFs cannot draw (logged).
    pub pdf_logo: Option<Arc<crate::pdf::VectorLogo>>,
    /// The tenant's lists of values as stored (read at start; the list admin will refresh them).
    pub value_lists: std::collections::BTreeMap<String, crate::store::forms::ValueList>,
}

impl Tenant {
    /// The list items valid on `today`, per list.
    pub fn lists(&self, today: time::Date) -> crate::forms::engine::Lists {
        crate::forms::engine::lists_valid_on(self.value_lists.values(), today)
    }

    pub fn search(&self, lang: Lang, q: &str) -> Vec<&Arc<FormDef>> {
        let idx = Lang::ALL
            .iter()
            .position(|l| *l == lang)
            .and_then(|i| self.search.get(i));
        idx.map(|s| {
            s.search(q)
                .into_iter()
                .filter_map(|i| self.listed.get(i))
                .collect()
        })
        .unwrap_or_default()
    }

    pub fn form(&self, id: &str) -> Option<&Arc<FormDef>> {
        self.forms.iter().find(|f| f.id.as_str() == id)
    }
}

/// Shared state of a running appliance.
pub struct State {
    pub config: Config,
    pub store: Arc<Store>,
    pub i18n: I18n,
    pub registry: Arc<Registry>,
    pub tenants: Vec<Tenant>,
    hosts: HashMap<String, usize>,
    pub metrics: Metrics,
    pub csrf_key: Vec<u8>,
    pub shutting_down: AtomicBool,
    pub started: Instant,
    /// Wakes the delivery worker (after a submission or a retry).
    pub delivery_wake: tokio::sync::Notify,
    /// Tenants whose last delivery attempt failed and will be retried, with the error (for `/healthz`).
    pub delivery_health: std::sync::Mutex<HashMap<String, String>>,
    /// Uploaded files on disk.
    pub files: crate::attachments::FileStore,
}

impl State {
    pub fn tenant_for(&self, host: &str) -> Option<&Tenant> {
        self.hosts
            .get(host)
            .copied()
            .or(self.config.default_tenant)
            .and_then(|i| self.tenants.get(i))
    }
}

fn build_tenant(cfg: &TenantConfig, registry: &Registry) -> Result<Tenant, StartError> {
    let mut forms: Vec<Arc<FormDef>> = registry
        .all()
        .iter()
        .filter(|f| cfg.forms.includes(&f.id))
        .cloned()
        .collect();
    if let Some(dir) = &cfg.forms_dir {
        // The tenant's own forms: always offered; one with a library form's id replaces it.
        let own = Registry::from_paths(std::slice::from_ref(dir)).map_err(StartError::Forms)?;
        forms.retain(|f| !own.contains(&f.id));
        forms.extend(own.all().iter().cloned());
    }
    let listed: Vec<Arc<FormDef>> = forms.iter().filter(|f| f.listed).cloned().collect();
    let search = Lang::ALL
        .iter()
        .map(|l| SearchIndex::build(&listed, *l))
        .collect();
    let theme = crate::themes::build(&cfg.theme, cfg.theme_dir.as_deref())?;
    let pdf_logo = match crate::pdf::VectorLogo::from_svg(&theme.logo_svg) {
        Ok(logo) => Some(Arc::new(logo)),
        Err(e) => {
            // The web pages still show the logo; only PDFs go without it.
            tracing::warn!(
                tenant = %cfg.id,
                "logo.svg cannot be drawn in PDFs, so PDFs are made without the logo: {e}"
            );
            None
        }
    };
    let mut assets = AssetSet::default();
    let urls = AssetUrls {
        css: assets.add(
            "theme",
            "css",
            "text/css; charset=utf-8",
            theme.css.into_bytes(),
        ),
        logo: assets.add("logo", "svg", "image/svg+xml", theme.logo_svg),
    };
    Ok(Tenant {
        config: cfg.clone(),
        forms,
        listed,
        search,
        assets,
        urls,
        pdf_logo,
        value_lists: Default::default(),
    })
}

pub struct App;

impl App {
    /// Opens the store, loads forms and themes, binds the listeners and starts serving.
    pub async fn start(config: Config) -> Result<Running, StartError> {
        let registry = Arc::new(Registry::load_embedded().map_err(StartError::Forms)?);
        let i18n = I18n::load()?;
        let resolver = Arc::new(CertResolver::new(
            &config.server.tls_cert,
            &config.server.tls_key,
        )?);
        let tls_config = tls::server_config(resolver.clone())?;
        let mut tenants = vec![];
        let mut hosts = HashMap::new();
        for (i, t) in config.tenants.iter().enumerate() {
            tenants.push(build_tenant(t, &registry)?);
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
            store.seed_value_lists(&t.config.id, seed.clone()).await?;
            t.value_lists = store.value_lists(&t.config.id)?;
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
        let state = Arc::new(State {
            config,
            store: Arc::new(store),
            i18n,
            registry,
            tenants,
            hosts,
            metrics: Metrics::default(),
            csrf_key,
            shutting_down: AtomicBool::new(false),
            started: Instant::now(),
            delivery_wake: tokio::sync::Notify::new(),
            delivery_health: std::sync::Mutex::new(HashMap::new()),
            files,
        });
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = vec![tokio::spawn(server::serve_tls(
            listener,
            tokio_rustls::TlsAcceptor::from(tls_config),
            state.clone(),
            stop_rx.clone(),
        ))];
        tasks.push(tokio::spawn(sweep(state.clone(), stop_rx.clone())));
        tasks.push(tokio::spawn(crate::delivery::worker::run(
            state.clone(),
            stop_rx.clone(),
        )));
        match crate::control::bind(&state.config.server.data_dir) {
            Ok(l) => tasks.push(tokio::spawn(crate::control::serve(
                l,
                state.clone(),
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

/// Hourly: drop expired drafts and idle sessions.
async fn sweep(state: Arc<State>, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                let idle = state.config.server.draft_lifetime.as_secs() as i64;
                match (state.store.expire_drafts(now).await, state.store.expire_sessions(now - idle).await) {
                    (Ok(d), Ok(s)) if d + s > 0 => tracing::info!(drafts = d, sessions = s, "expired drafts and sessions removed"),
                    (Err(e), _) | (_, Err(e)) => tracing::warn!(error = %e, "sweep failed"),
                    _ => {}
                }
                sweep_files(&state).await;
            }
            _ = stop.changed() => break,
        }
    }
}

/// Removes uploaded files that no draft and no submission holds (after a grace period).
pub async fn sweep_files(state: &Arc<State>) -> usize {
    let st = state.clone();
    let run = tokio::task::spawn_blocking(move || {
        let held = st.store.held_files()?;
        Ok::<_, crate::store::StoreError>(
            st.files.sweep(crate::attachments::ORPHAN_GRACE, &|t, id| {
                held.contains(&(t.to_owned(), id.to_owned()))
            }),
        )
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
        self.resolver.reload()
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
