//! What a running appliance shares: per tenant its configuration, forms, search indexes, assets and PDF
//! letterhead ([`Tenant`]); and the web side's [`State`] (configuration, store, catalogues, tenants,
//! metrics, clock). Built by `App::start`; read by `http/` and `web/`. The delivery workers
//! get their own handles (see [`crate::delivery::worker::Worker`]), not this.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::assets::{AssetSet, AssetUrls};
use crate::clock::Clock;
use crate::config::{Config, TenantConfig};
use crate::delivery::DeliveryStatus;
use crate::forms::lists::ValueList;
use crate::forms::search::SearchIndex;
use crate::forms::{FormDef, LoadError, Registry};
use crate::i18n::{I18n, Lang};
use crate::ids::FormId;
use crate::metrics::Metrics;
use crate::pdf::Letterhead;
use crate::store::{Store, StoreError};

/// Why a tenant could not be built from its configuration.
#[derive(Debug, thiserror::Error)]
pub enum TenantError {
    #[error("{0}")]
    Theme(#[from] crate::themes::ThemeError),
    #[error("the tenant's forms do not load:\n{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Forms(Vec<LoadError>),
}

/// The forms of `forms` that match `q`, best first, by the index for `lang` (one per language, in the
/// order of [`Lang::ALL`]).
fn hits<'a>(
    indexes: &[SearchIndex],
    forms: &'a [Arc<FormDef>],
    lang: Lang,
    q: &str,
) -> Vec<&'a Arc<FormDef>> {
    Lang::ALL
        .iter()
        .position(|l| *l == lang)
        .and_then(|i| indexes.get(i))
        .map(|s| {
            s.search(q)
                .into_iter()
                .filter_map(|i| forms.get(i))
                .collect()
        })
        .unwrap_or_default()
}

/// One municipality as served: its configuration, forms, search indexes and assets.
pub struct Tenant {
    pub config: TenantConfig,
    /// Every form the tenant offers, by URL.
    pub forms: Vec<Arc<FormDef>>,
    /// The forms shown on the portal and found by search.
    pub listed: Vec<Arc<FormDef>>,
    search: Vec<SearchIndex>,
    /// The library's forms this tenant does not offer, and their search indexes: a search that finds
    /// only these says the municipality does not offer them here.
    unoffered: Vec<Arc<FormDef>>,
    unoffered_search: Vec<SearchIndex>,
    pub assets: AssetSet,
    pub urls: AssetUrls,
    /// Name, logo and contact as the PDFs draw them.
    pub letterhead: Letterhead,
    /// The tenant's lists of values as stored (read at start; the list admin will refresh them).
    pub value_lists: BTreeMap<String, ValueList>,
    /// Earlier versions of forms that drafts or submissions were made on, parsed once when first needed.
    pinned: Mutex<HashMap<(FormId, String), Arc<FormDef>>>,
}

impl Tenant {
    pub fn build(cfg: &TenantConfig, registry: &Registry) -> Result<Tenant, TenantError> {
        let mut forms: Vec<Arc<FormDef>> = registry
            .all()
            .iter()
            .filter(|f| cfg.forms.includes(&f.id))
            .cloned()
            .collect();
        if let Some(dir) = &cfg.forms_dir {
            // The tenant's own forms: always offered; one with a library form's id replaces it. An
            // override is the library form with the tenant's changes; the parts that no longer fit this
            // version of the library are left out and logged (`radhus check-forms` names them).
            let own = crate::form_files::load_with_overrides(std::slice::from_ref(dir), registry)
                .map_err(TenantError::Forms)?;
            for m in &own.misfits {
                tracing::warn!(tenant = %cfg.id, "form override part left out: {m}");
            }
            for r in &own.reviews {
                tracing::warn!(
                    tenant = %cfg.id,
                    form = %r.form,
                    "{} was written for version {} of the form; the library has version {}: review it",
                    r.file, r.based_on, r.version
                );
            }
            let own = own.registry;
            forms.retain(|f| !own.contains(&f.id));
            forms.extend(own.all().iter().cloned());
        }
        let listed: Vec<Arc<FormDef>> = forms.iter().filter(|f| f.listed).cloned().collect();
        let search = Lang::ALL
            .iter()
            .map(|l| SearchIndex::build(&listed, *l))
            .collect();
        let unoffered: Vec<Arc<FormDef>> = registry
            .all()
            .iter()
            .filter(|f| f.listed && !forms.iter().any(|x| x.id == f.id))
            .cloned()
            .collect();
        let unoffered_search = Lang::ALL
            .iter()
            .map(|l| SearchIndex::build(&unoffered, *l))
            .collect();
        let theme = crate::themes::build(&cfg.theme, cfg.theme_dir.as_deref())?;
        let logo = match crate::pdf::VectorLogo::from_svg(&theme.logo_svg) {
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
            script: assets.add(
                "follow-up",
                "js",
                "text/javascript; charset=utf-8",
                crate::views::FOLLOW_UP_JS.as_bytes().to_vec(),
            ),
        };
        Ok(Tenant {
            letterhead: Letterhead {
                name: cfg.name.clone(),
                logo,
                contact_email: cfg.contact_email.clone(),
                postal_address: cfg.postal_address.clone(),
            },
            config: cfg.clone(),
            forms,
            listed,
            search,
            unoffered,
            unoffered_search,
            assets,
            urls,
            value_lists: BTreeMap::new(),
            pinned: Mutex::new(HashMap::new()),
        })
    }

    /// The list items valid on `today`, per list.
    pub fn lists(&self, today: time::Date) -> crate::forms::engine::Lists {
        crate::forms::engine::lists_valid_on(self.value_lists.values(), today)
    }

    pub fn search(&self, lang: Lang, q: &str) -> Vec<&Arc<FormDef>> {
        hits(&self.search, &self.listed, lang, q)
    }

    /// Library forms the tenant does not offer that match `q` (for "not offered here").
    pub fn not_offered(&self, lang: Lang, q: &str) -> Vec<&Arc<FormDef>> {
        hits(&self.unoffered_search, &self.unoffered, lang, q)
    }

    /// The current version of a form the tenant offers.
    pub fn form(&self, id: &FormId) -> Option<&Arc<FormDef>> {
        self.forms.iter().find(|f| f.id == *id)
    }

    /// The form exactly as a draft or submission was made on it: the current version when the content
    /// hash matches, else the version kept in the store when the draft started. None when neither has
    /// it (a store from before versions were kept, made on a form that has since changed).
    pub fn form_version(
        &self,
        store: &Store,
        id: &FormId,
        hash: &str,
    ) -> Result<Option<Arc<FormDef>>, StoreError> {
        if let Some(f) = self.form(id).filter(|f| f.content_hash == hash) {
            return Ok(Some(f.clone()));
        }
        let key = (id.clone(), hash.to_owned());
        if let Some(f) = self.pinned.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(Some(f));
        }
        let Some(pinned) = store.tenant(&self.config.id).pinned_form(id, hash)? else {
            return Ok(None);
        };
        let file = format!("{id}.toml (version {}, kept)", pinned.version);
        match crate::forms::registry::parse_form(&file, &pinned.source, None) {
            Ok(def) => {
                let def = Arc::new(def);
                if let Ok(mut m) = self.pinned.lock() {
                    m.insert(key, def.clone());
                }
                Ok(Some(def))
            }
            Err(errors) => Err(StoreError::Corrupt {
                what: "pinned form",
                detail: errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
        }
    }
}

/// Shared state of the web side of a running appliance.
pub struct State {
    pub config: Config,
    pub store: Arc<Store>,
    pub i18n: Arc<I18n>,
    pub registry: Arc<Registry>,
    pub tenants: Arc<Vec<Tenant>>,
    pub hosts: HashMap<String, usize>,
    pub metrics: Metrics,
    pub csrf_key: Vec<u8>,
    /// The same key, keyed into HMAC once (CSRF tokens, session cookies).
    pub site_key: crate::site_key::SiteKey,
    pub shutting_down: AtomicBool,
    pub started: Instant,
    /// The delivery workers' wake-up and health, shared with them.
    pub deliveries: Arc<DeliveryStatus>,
    /// Uploaded files on disk.
    pub files: crate::attachments::FileStore,
    pub clock: Clock,
    /// When the certificate in use stops being valid (Unix seconds; 0 when it cannot be read). Set at
    /// start and on every reload.
    pub cert_not_after: std::sync::atomic::AtomicI64,
    /// Whether the certificate in use is the self-signed stand-in (until the real files or the ACME CA's
    /// certificate are there).
    pub cert_self_signed: AtomicBool,
    /// Bytes in the data folder, measured by the hourly sweep (and once at start); 0 until then.
    pub data_bytes: std::sync::atomic::AtomicU64,
    /// HTTP-01 challenges of an ACME order under way: token → key authorization, served on the plain
    /// listener at `/.well-known/acme-challenge/<token>`.
    pub acme_tokens: std::sync::Mutex<HashMap<String, String>>,
    /// Why the last ACME attempt failed, until one succeeds (for `/healthz`).
    pub acme_error: std::sync::Mutex<Option<String>>,
    /// Pages that are the same for everyone but the CSRF token, rendered once per tenant, language and
    /// page, split where the token goes (see `web::cached_page`).
    pub pages: PageCache,
    /// CPU-heavy renders (PDFs) run on blocking threads, this many at once: one core always stays for
    /// pages, however many PDFs are asked for.
    pub heavy: tokio::sync::Semaphore,
    /// Blank paper forms, rendered once per tenant, form version, language and day.
    pub blank_pdfs: BlankPdfCache,
    /// What each client, tenant and all may still spend this hour.
    pub budgets: crate::budgets::Budgets,
    /// Failed logins and account mails per address and client (src/auth).
    pub limiter: crate::auth::Limiter,
    /// The OpenID providers' discovery documents and key sets.
    pub oidc: crate::auth::oidc::Providers,
    /// The port the HTTPS listener is bound to, for links in mails (`https://<tenant's host>:<port>`).
    pub https_port: u16,
}

/// A blank form's key: the tenant's position, the form and its content hash, the language, the day (the
/// lists' values depend on it).
pub type BlankKey = (usize, FormId, String, Lang, time::Date);

/// A rendered blank form and its entity tag.
pub struct BlankPdf {
    pub bytes: bytes::Bytes,
    pub etag: String,
}

/// Rendered blank forms, at most [`BlankPdfCache::MAX_BYTES`] together.
#[derive(Default)]
pub struct BlankPdfCache {
    pdfs: std::sync::Mutex<HashMap<BlankKey, Arc<BlankPdf>>>,
}

impl BlankPdfCache {
    pub const MAX_BYTES: usize = 8 << 20;

    pub fn get(&self, key: &BlankKey) -> Option<Arc<BlankPdf>> {
        self.pdfs.lock().ok()?.get(key).cloned()
    }

    /// Keeps a render; older ones make room (yesterday's first, as their day no longer comes).
    pub fn put(&self, key: BlankKey, pdf: Arc<BlankPdf>) {
        let Ok(mut m) = self.pdfs.lock() else {
            return;
        };
        let today = key.4;
        m.retain(|k, _| k.4 >= today);
        let mut held: usize = m.values().map(|p| p.bytes.len()).sum();
        while held + pdf.bytes.len() > Self::MAX_BYTES {
            let Some(k) = m.keys().next().cloned() else {
                break;
            };
            held -= m.remove(&k).map_or(0, |p| p.bytes.len());
        }
        if pdf.bytes.len() <= Self::MAX_BYTES {
            m.insert(key, pdf);
        }
    }
}

/// A cached page's key: the tenant's position, the language and the page.
pub type PageKey = (usize, Lang, String);

/// Rendered pages split at the CSRF token: `parts.join(token)` is the page.
#[derive(Default)]
pub struct PageCache {
    pages: std::sync::RwLock<HashMap<PageKey, Arc<Vec<String>>>>,
}

impl PageCache {
    /// Entries kept at most (tenants × languages × pages is far below this; a bound all the same).
    const MAX: usize = 4096;

    pub fn get(&self, key: &PageKey) -> Option<Arc<Vec<String>>> {
        self.pages.read().ok()?.get(key).cloned()
    }

    pub fn put(&self, key: PageKey, parts: Arc<Vec<String>>) {
        if let Ok(mut m) = self.pages.write()
            && m.len() < Self::MAX
        {
            m.insert(key, parts);
        }
    }
}

impl State {
    /// The position of a tenant in [`State::tenants`] (the page cache's key).
    pub fn tenant_index(&self, t: &Tenant) -> usize {
        self.tenants
            .iter()
            .position(|x| std::ptr::eq(x, t))
            .unwrap_or(usize::MAX)
    }

    pub fn tenant_for(&self, host: &str) -> Option<&Tenant> {
        self.hosts
            .get(host)
            .copied()
            .or(self.config.default_tenant)
            .and_then(|i| self.tenants.get(i))
    }

    /// Whether receipt copies can be sent by e-mail (an SMTP server is configured).
    /// The highest login level a citizen of `tenant` can reach: a password account gives the lowest, an
    /// OpenID provider the levels its `acr` values map to; none when neither is on.
    pub fn login_offered(&self, tenant: &Tenant) -> Option<crate::forms::LoginLevel> {
        let password = self
            .config
            .accounts
            .enabled
            .then_some(crate::forms::LoginLevel::Low);
        self.providers(tenant)
            .filter_map(crate::config::OidcConfig::top_level)
            .chain(password)
            .max()
    }

    /// The OpenID providers `tenant` offers.
    pub fn providers<'s>(
        &'s self,
        tenant: &'s Tenant,
    ) -> impl Iterator<Item = &'s crate::config::OidcConfig> + 's {
        self.config
            .oidc
            .iter()
            .filter(|o| o.offered_by(tenant.config.id.as_str()))
    }

    pub fn can_send_mail(&self) -> bool {
        self.config.smtp.is_some()
    }
}
