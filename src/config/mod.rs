//! Configuration: TOML → [`raw`] structs (`deny_unknown_fields`) → a validated [`Config`], passed explicitly.
//!
//! Every error names the file, the key and what is wrong; parse errors also carry line and column. All
//! problems found in one pass are reported together, so an operator fixes a file in one round.

pub mod raw;
pub mod targets;

pub use targets::SmtpConfig;

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::i18n::{Lang, Texts};
use crate::ids::{FormId, TenantId};
use raw::{RawConfig, RawLogFormat, RawSecret};

/// One problem in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    /// Line and column (1-based) where the parser could tell.
    pub position: Option<(usize, usize)>,
    /// The key path, e.g. `tenant[1].hosts[0]`; empty for whole-file problems.
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All problems found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from (for messages); `None` for the built-in demo.
    pub source: Option<PathBuf>,
    pub server: ServerConfig,
    pub limits: Limits,
    /// Virus scanning of uploads, when configured.
    pub clamav: Option<targets::ClamavConfig>,
    /// SMTP for e-mail targets and receipt copies, when configured.
    pub smtp: Option<targets::SmtpConfig>,
    /// Certificates from an ACME CA, when configured.
    pub acme: Option<AcmeConfig>,
    /// What one address, one tenant and all may spend per hour.
    pub budgets: crate::budgets::BudgetConfig,
    /// Citizens' password accounts and logins.
    pub accounts: AccountsConfig,
    /// OpenID Connect providers citizens log in with.
    pub oidc: Vec<OidcConfig>,
    /// Register lookups; all off by default.
    pub registers: RegistersConfig,
    pub tenants: Vec<TenantConfig>,
    /// Index into `tenants` of the tenant that answers any host name.
    pub default_tenant: Option<usize>,
}

/// `[registers]`: the registers forms are prefilled from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegistersConfig {
    pub organisations: Option<RegisterConfig>,
    pub population: Option<RegisterConfig>,
    pub contact: Option<RegisterConfig>,
    /// How long one lookup may take before the form goes on without it.
    pub timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterConfig {
    pub url: String,
    pub token: Option<String>,
}

fn registers_config(
    errs: &mut Errors<'_>,
    base: &Path,
    r: Option<raw::RawRegisters>,
) -> RegistersConfig {
    let Some(r) = r else {
        return RegistersConfig {
            timeout: Duration::from_millis(2000),
            ..Default::default()
        };
    };
    let mut one = |key: &str, reg: Option<raw::RawRegister>| -> Option<RegisterConfig> {
        let reg = reg?;
        let loopback = reg
            .url
            .strip_prefix("http://")
            .and_then(|r| r.split(['/', ':']).next())
            .is_some_and(targets::is_loopback_host);
        if !(reg.url.starts_with("https://") || loopback) {
            errs.push(
                format!("registers.{key}.url"),
                "must be an https:// URL (http:// only on loopback)",
            );
            return None;
        }
        let token = match reg.token {
            Some(t) => Some(
                read_secret_as(errs, base, t, &format!("registers.{key}.token"), 1)
                    .and_then(|b| String::from_utf8(b).ok())?,
            ),
            None => None,
        };
        Some(RegisterConfig {
            url: reg.url,
            token,
        })
    };
    let organisations = one("enhetsregisteret", r.enhetsregisteret);
    let population = one("folkeregisteret", r.folkeregisteret);
    let contact = one("kontaktregisteret", r.kontaktregisteret);
    if r.timeout_ms == 0 || r.timeout_ms > 30_000 {
        errs.push("registers.timeout_ms", "must be between 1 and 30000");
    }
    RegistersConfig {
        organisations,
        population,
        contact,
        timeout: Duration::from_millis(r.timeout_ms.clamp(1, 30_000)),
    }
}

/// `[[oidc]]`: an OpenID Connect provider (ID-porten or another) citizens log in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcConfig {
    pub name: String,
    pub title: String,
    pub issuer: String,
    pub discovery_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// `acr` value → level, in the order of the levels (lowest first).
    pub levels: Vec<(String, crate::forms::LoginLevel)>,
    pub scopes: String,
    pub pid_claim: String,
    pub ca_pem: Option<Vec<u8>>,
    pub timeout: Duration,
    /// Tenant ids that offer it; `None`: every tenant.
    pub tenants: Option<Vec<String>>,
}

impl OidcConfig {
    /// The highest level this provider can give.
    pub fn top_level(&self) -> Option<crate::forms::LoginLevel> {
        self.levels.iter().map(|(_, l)| *l).max()
    }

    /// The `acr` to ask for to reach at least `level` (the lowest that does).
    pub fn acr_for(&self, level: crate::forms::LoginLevel) -> Option<&str> {
        self.levels
            .iter()
            .filter(|(_, l)| *l >= level)
            .min_by_key(|(_, l)| *l)
            .map(|(a, _)| a.as_str())
    }

    pub fn offered_by(&self, tenant: &str) -> bool {
        self.tenants
            .as_ref()
            .is_none_or(|t| t.iter().any(|x| x == "*" || x == tenant))
    }
}

fn oidc_config(
    errs: &mut Errors<'_>,
    base: &Path,
    i: usize,
    o: raw::RawOidc,
) -> Option<OidcConfig> {
    let k = |f: &str| format!("oidc[{i}].{f}");
    let mut ok = true;
    if o.name.is_empty()
        || !o
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errs.push(k("name"), "must be a–z, 0–9 and -");
        ok = false;
    }
    let loopback = |u: &str| {
        u.strip_prefix("http://")
            .and_then(|r| r.split(['/', ':']).next())
            .is_some_and(targets::is_loopback_host)
    };
    for (key, url) in [
        ("issuer", Some(&o.issuer)),
        ("discovery_url", o.discovery_url.as_ref()),
    ] {
        if let Some(url) = url
            && !(url.starts_with("https://") || loopback(url))
        {
            errs.push(k(key), "must be an https:// URL (http:// only on loopback)");
            ok = false;
        }
    }
    let mut levels = vec![];
    for (acr, level) in &o.levels {
        match level.as_str() {
            "low" => levels.push((acr.clone(), crate::forms::LoginLevel::Low)),
            "substantial" => levels.push((acr.clone(), crate::forms::LoginLevel::Substantial)),
            "high" => levels.push((acr.clone(), crate::forms::LoginLevel::High)),
            other => {
                errs.push(
                    k("levels"),
                    format!("\"{other}\" is not one of low, substantial, high"),
                );
                ok = false;
            }
        }
    }
    if levels.is_empty() {
        errs.push(k("levels"), "must map at least one acr value to a level");
        ok = false;
    }
    levels.sort_by_key(|(_, l)| *l);
    let secret = read_secret_as(errs, base, o.client_secret, &k("client_secret"), 1)
        .and_then(|b| String::from_utf8(b).ok());
    let ca_pem = o
        .ca_file
        .as_ref()
        .and_then(|f| read_pem(errs, base, &k("ca_file"), f));
    let secret = secret?;
    ok.then(|| OidcConfig {
        discovery_url: o.discovery_url.clone().unwrap_or_else(|| {
            format!(
                "{}/.well-known/openid-configuration",
                o.issuer.trim_end_matches('/')
            )
        }),
        name: o.name,
        title: o.title,
        issuer: o.issuer,
        client_id: o.client_id,
        client_secret: secret,
        levels,
        scopes: o.scopes,
        pid_claim: o.pid_claim,
        ca_pem,
        timeout: Duration::from_secs(o.timeout_secs.max(1)),
        tenants: o.tenants,
    })
}

/// `[accounts]`: citizens' password accounts and the timeouts of every login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountsConfig {
    /// Registration and password login (when false, only forms without login are offered).
    pub enabled: bool,
    /// Characters a new password needs at least (8–64; default 12).
    pub min_password_length: usize,
    /// A login ends after this long without a request (default 30 minutes).
    pub idle: Duration,
    /// A login ends this long after it began, however active (default 12 hours).
    pub absolute: Duration,
    /// How long a verification link (also for a new address) works (default 24 hours).
    pub verify: Duration,
    /// How long a link to set a new password works (default 60 minutes).
    pub reset: Duration,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        AccountsConfig {
            enabled: true,
            min_password_length: 12,
            idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 3600),
            verify: Duration::from_secs(24 * 3600),
            reset: Duration::from_secs(3600),
        }
    }
}

fn accounts_config(errs: &mut Errors<'_>, a: &raw::RawAccounts) -> AccountsConfig {
    let d = AccountsConfig::default();
    let mut num =
        |key: &str, v: Option<u32>, (lo, hi): (u32, u32), unit: u64, default: Duration| match v {
            None => default,
            Some(v) if v < lo || v > hi => {
                errs.push(
                    format!("accounts.{key}"),
                    format!("must be between {lo} and {hi}"),
                );
                default
            }
            Some(v) => Duration::from_secs(u64::from(v) * unit),
        };
    let min = num(
        "min_password_length",
        a.min_password_length,
        (8, 64),
        1,
        Duration::from_secs(d.min_password_length as u64),
    )
    .as_secs() as usize;
    AccountsConfig {
        enabled: a.enabled.unwrap_or(true),
        min_password_length: min,
        idle: num("idle_minutes", a.idle_minutes, (2, 24 * 60), 60, d.idle),
        absolute: num(
            "absolute_hours",
            a.absolute_hours,
            (1, 24 * 30),
            3600,
            d.absolute,
        ),
        verify: num("verify_hours", a.verify_hours, (1, 24 * 7), 3600, d.verify),
        reset: num("reset_minutes", a.reset_minutes, (5, 24 * 60), 60, d.reset),
    }
}

/// `[acme]`: the certificate for every tenant's host names comes from this CA (HTTP-01 on
/// `redirect_listen`), kept in `<data>/acme/` and renewed 30 days before it expires.
#[derive(Debug, Clone)]
pub struct AcmeConfig {
    pub directory: String,
    /// `mailto:` URL.
    pub contact: Option<String>,
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    pub redirect_listen: Option<SocketAddr>,
    pub data_dir: PathBuf,
    pub tls_cert: PathBuf,
    pub tls_key: PathBuf,
    /// Neither certificate file exists and `tls_fallback = "self-signed"`: `tls_cert`/`tls_key` name a
    /// self-signed certificate in the data folder, made at every start for the tenants' host names.
    pub tls_self_signed: bool,
    pub log_format: LogFormat,
    /// Key for CSRF tokens; generated once and kept in the store when not configured.
    pub secret_key: Option<Vec<u8>>,
    /// How long anonymous drafts (from their last change) and idle sessions are kept.
    pub draft_lifetime: Duration,
    /// How long a draft that never got past its first step is kept after its last change.
    pub first_step_lifetime: Duration,
    /// Folders the PDFs take fallback fonts from (default: where Debian's fonts-noto-* put them).
    pub font_dirs: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Limits {
    pub max_header_bytes: usize,
    pub max_form_bytes: usize,
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub shutdown_grace: Duration,
    /// All attachments of one submission together.
    pub max_upload_bytes: u64,
    pub max_attachments: usize,
    /// Attempts per delivery before it is marked failed (`radhus deliveries retry` starts it again).
    pub delivery_attempts: u32,
    /// Free bytes the data folder's file system keeps (`limits.min_free_mb`).
    pub min_free_bytes: u64,
    pub max_connections: usize,
    pub max_connections_per_ip: usize,
    pub max_streams_per_connection: u32,
    pub idle_timeout: Duration,
    pub stall_timeout: Duration,
    /// The whole body of one request (uploads), however steadily it comes.
    pub body_deadline: Duration,
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for Limits {
    fn default() -> Self {
        let raw = raw::RawLimits::default();
        Limits {
            max_header_bytes: raw.max_header_bytes,
            max_form_bytes: raw.max_form_bytes,
            header_timeout: Duration::from_secs(raw.header_timeout_secs),
            body_timeout: Duration::from_secs(raw.body_timeout_secs),
            shutdown_grace: Duration::from_secs(raw.shutdown_grace_secs),
            max_upload_bytes: raw.max_upload_mb * 1_000_000,
            max_attachments: raw.max_attachments,
            delivery_attempts: raw.delivery_attempts,
            min_free_bytes: raw.min_free_mb * 1_000_000,
            max_connections: raw.max_connections,
            max_connections_per_ip: raw.max_connections_per_ip,
            max_streams_per_connection: raw.max_streams_per_connection,
            idle_timeout: Duration::from_secs(raw.idle_timeout_secs),
            stall_timeout: Duration::from_secs(raw.stall_timeout_secs),
            body_deadline: Duration::from_secs(raw.body_deadline_secs),
            trusted_proxies: vec![],
        }
    }
}

/// Which forms a tenant offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormSelection {
    All,
    Only(Vec<FormId>),
}

impl FormSelection {
    pub fn includes(&self, id: &FormId) -> bool {
        match self {
            FormSelection::All => true,
            FormSelection::Only(ids) => ids.contains(id),
        }
    }
}

/// What a tenant's privacy and accessibility statements name, with defaults from the tenant.
#[derive(Debug, Clone)]
pub struct Statements {
    /// Behandlingsansvarlig.
    pub controller: String,
    pub privacy_email: String,
    pub dpo_email: Option<String>,
    pub feedback_email: String,
    /// The published statement at uustatus.no.
    pub statement_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TenantConfig {
    pub id: TenantId,
    pub name: String,
    /// Lower-case host names without port.
    pub hosts: Vec<String>,
    pub default_lang: Lang,
    pub theme: String,
    pub theme_dir: Option<PathBuf>,
    /// The tenant's own forms (and overrides of library forms by id).
    pub forms_dir: Option<PathBuf>,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    /// Where paper forms are sent, printed on the blank PDFs.
    pub postal_address: Option<String>,
    /// The archive record's language (bokmål or nynorsk); None: nynorsk for a nynorsk submission, else
    /// bokmål.
    pub archive_lang: Option<Lang>,
    pub archive_dir: PathBuf,
    /// The mode of the files in the archive folder (default 0640; folders get search rights too).
    pub archive_file_mode: u32,
    pub forms: FormSelection,
    pub intro: Option<Texts>,
    /// Delivery targets besides the archive folder.
    pub targets: Vec<TargetConfig>,
    /// The facts of the tenant's privacy and accessibility statements.
    pub statements: Statements,
    /// The municipality's names of case statuses (a form's own come first).
    pub status_names: crate::forms::StatusNames,
}

/// A named delivery target of a tenant.
#[derive(Debug, Clone)]
pub struct TargetConfig {
    pub name: String,
    /// Every form delivers here, not only those that name it.
    pub all_forms: bool,
    pub kind: TargetKind,
}

#[derive(Debug, Clone)]
pub enum TargetKind {
    Http(targets::HttpTarget),
    Email { to: String },
}

/// Built-in themes a tenant may name with `theme = "…"`.
pub const BUILTIN_THEMES: [&str; 2] = ["default", "provestad"];

/// Reads and validates a configuration file. `form_exists` tells whether a form id is known.
pub fn load(path: &Path, form_exists: &dyn Fn(&FormId) -> bool) -> Result<Config, ConfigErrors> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigErrors(vec![ConfigError {
            file: file.clone(),
            position: None,
            key: String::new(),
            message: format!("cannot read the file: {e}"),
        }])
    })?;
    parse(&text, path, form_exists)
}

/// Parses and validates configuration text; `path` names the file in messages and anchors relative paths.
pub fn parse(
    text: &str,
    path: &Path,
    form_exists: &dyn Fn(&FormId) -> bool,
) -> Result<Config, ConfigErrors> {
    let file = path.display().to_string();
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let position = e.span().map(|s| line_col(text, s.start));
        ConfigErrors(vec![ConfigError {
            file: file.clone(),
            position,
            key: String::new(),
            message: friendly(e.message().trim_end()),
        }])
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    validate(raw, &file, &base, form_exists).map(|mut c| {
        c.source = Some(path.to_path_buf());
        c
    })
}

/// Rust type names mean nothing to an operator.
fn friendly(msg: &str) -> String {
    msg.replace("expected usize", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace("expected u32", "expected a whole number")
}

pub use crate::forms::error::line_col;

struct Errors<'a> {
    file: &'a str,
    list: Vec<ConfigError>,
}

impl Errors<'_> {
    fn push(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.list.push(ConfigError {
            file: self.file.to_owned(),
            position: None,
            key: key.into(),
            message: message.into(),
        });
    }
}

fn resolve(base: &Path, p: &Path) -> PathBuf {
    let rel: PathBuf = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    match (p.is_absolute(), rel.as_os_str().is_empty()) {
        (true, _) => rel,
        (false, true) => base.to_path_buf(),
        (false, false) => base.join(rel),
    }
}

fn parse_addr(errs: &mut Errors<'_>, key: &str, value: &str) -> Option<SocketAddr> {
    match value.parse() {
        Ok(a) => Some(a),
        Err(_) => {
            errs.push(
                key,
                format!("\"{value}\" is not an address; write it as IP:PORT, for example \"0.0.0.0:443\""),
            );
            None
        }
    }
}

/// A host name as it may appear in `Host`: letters, digits, '-', '.', no empty labels.
pub fn valid_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

fn read_pem(errs: &mut Errors<'_>, base: &Path, key: &str, file: &Path) -> Option<Vec<u8>> {
    let p = resolve(base, file);
    match std::fs::read(&p) {
        Ok(b) if b.starts_with(b"-----BEGIN") => Some(b),
        Ok(_) => {
            errs.push(key, format!("{} is not a PEM certificate", p.display()));
            None
        }
        Err(e) => {
            errs.push(key, format!("cannot read {}: {e}", p.display()));
            None
        }
    }
}

fn smtp_config(errs: &mut Errors<'_>, base: &Path, m: raw::RawSmtp) -> Option<targets::SmtpConfig> {
    use targets::{SmtpConfig, SmtpSecurity};
    let before = errs.list.len();
    let security = match m.security.as_str() {
        "starttls" => SmtpSecurity::StartTls,
        "tls" => SmtpSecurity::Tls,
        "none" if targets::is_loopback_host(&m.host) => SmtpSecurity::None,
        "none" => {
            errs.push(
                "smtp.security",
                "\"none\" (no TLS) is only allowed for a server on this machine (localhost, 127.0.0.1, ::1)",
            );
            SmtpSecurity::None
        }
        other => {
            errs.push(
                "smtp.security",
                format!("\"{other}\" is not one of starttls, tls, none"),
            );
            SmtpSecurity::None
        }
    };
    if m.host.trim().is_empty() {
        errs.push("smtp.host", "must not be empty");
    }
    if !targets::check_address(&m.from) {
        errs.push(
            "smtp.from",
            format!(
                "\"{}\" is not an e-mail address (\"Name <address>\" or an address)",
                m.from
            ),
        );
    }
    if m.username.is_some() != m.password.is_some() {
        errs.push(
            "smtp.password",
            "give both username and password, or neither",
        );
    }
    let password = m
        .password
        .and_then(|p| read_secret_as(errs, base, p, "smtp.password", 1))
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let ca_pem = m
        .ca_file
        .as_deref()
        .and_then(|f| read_pem(errs, base, "smtp.ca_file", f));
    if errs.list.len() > before {
        return None;
    }
    Some(SmtpConfig {
        host: m.host,
        port: m.port,
        security,
        username: m.username,
        password,
        from: m.from,
        ca_pem,
        timeout: Duration::from_secs(m.timeout_secs.max(1)),
    })
}

fn target_config(
    errs: &mut Errors<'_>,
    base: &Path,
    key: &str,
    t: raw::RawTarget,
    smtp: bool,
) -> Option<TargetConfig> {
    let k = |f: &str| format!("{key}.{f}");
    let name_ok = !t.name.is_empty()
        && t.name.len() <= 40
        && t.name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !name_ok || t.name == "archive" || t.name.starts_with("kvittering") {
        errs.push(
            k("name"),
            format!(
                "\"{}\" must be 1–40 of a–z, 0–9 and -, and not \"archive\" or start with \"kvittering\"",
                t.name
            ),
        );
        return None;
    }
    let timeout = Duration::from_secs(t.timeout_secs.max(1));
    let kind = match t.kind.as_str() {
        "http" => {
            let url = t.url.unwrap_or_default();
            let host = url
                .strip_prefix("http://")
                .or_else(|| url.strip_prefix("https://"))
                .map(|rest| rest.split(['/', '?']).next().unwrap_or_default())
                .map(|hp| {
                    if let Some(v6) = hp.strip_prefix('[') {
                        v6.split(']').next().unwrap_or_default().to_owned()
                    } else {
                        hp.rsplit_once(':').map_or(hp, |(h, _)| h).to_owned()
                    }
                });
            match host {
                None => {
                    errs.push(k("url"), format!("\"{url}\" must start with https://"));
                    return None;
                }
                Some(h) if url.starts_with("http://") && !targets::is_loopback_host(&h) => {
                    errs.push(
                        k("url"),
                        "must use https:// (http:// is only allowed for a receiver on this machine)",
                    );
                    return None;
                }
                Some(_) => {}
            }
            let Some(secret) = t.secret else {
                errs.push(
                    k("secret"),
                    "an http target needs a secret for its signature (at least 32 characters)",
                );
                return None;
            };
            let secret = read_secret_as(errs, base, secret, &k("secret"), 32)?;
            let ca_pem = t
                .ca_file
                .as_deref()
                .and_then(|f| read_pem(errs, base, &k("ca_file"), f));
            TargetKind::Http(targets::HttpTarget {
                url,
                secret,
                ca_pem,
                timeout,
            })
        }
        "email" => {
            let to = t.to.unwrap_or_default();
            if !targets::check_address(&to) {
                errs.push(k("to"), format!("\"{to}\" is not an e-mail address"));
                return None;
            }
            if !smtp {
                errs.push(k("kind"), "an email target needs an [smtp] section");
                return None;
            }
            TargetKind::Email { to }
        }
        other => {
            errs.push(k("kind"), format!("\"{other}\" is not one of http, email"));
            return None;
        }
    };
    Some(TargetConfig {
        name: t.name,
        all_forms: t.all_forms,
        kind,
    })
}

fn read_secret(errs: &mut Errors<'_>, base: &Path, secret: RawSecret) -> Option<Vec<u8>> {
    read_secret_as(errs, base, secret, "server.secret_key", 32)
}

fn read_secret_as(
    errs: &mut Errors<'_>,
    base: &Path,
    secret: RawSecret,
    key: &str,
    min_len: usize,
) -> Option<Vec<u8>> {
    let value = match secret {
        RawSecret::Value(v) => v,
        RawSecret::Env { env } => match std::env::var(&env) {
            Ok(v) => v,
            Err(_) => {
                errs.push(key, format!("the environment variable {env} is not set"));
                return None;
            }
        },
        RawSecret::File { file } => {
            let p = resolve(base, &file);
            // A regular file, read with a cap: /dev/zero or a pipe must not hang the start.
            let read = std::fs::metadata(&p).and_then(|m| {
                if !m.is_file() {
                    return Err(std::io::Error::other("not a regular file"));
                }
                let mut s = String::new();
                use std::io::Read;
                std::fs::File::open(&p)?
                    .take(64 * 1024)
                    .read_to_string(&mut s)?;
                Ok(s)
            });
            match read {
                Ok(v) => v.trim_end().to_owned(),
                Err(e) => {
                    errs.push(key, format!("cannot read {}: {e}", p.display()));
                    return None;
                }
            }
        }
    };
    if value.len() < min_len {
        errs.push(key, format!("must be at least {min_len} characters long"));
        return None;
    }
    Some(value.into_bytes())
}

fn validate(
    raw: RawConfig,
    file: &str,
    base: &Path,
    form_exists: &dyn Fn(&FormId) -> bool,
) -> Result<Config, ConfigErrors> {
    let mut errs = Errors { file, list: vec![] };
    let s = raw.server;
    let listen = parse_addr(&mut errs, "server.listen", &s.listen);
    let redirect_listen = s
        .redirect_listen
        .as_deref()
        .and_then(|v| parse_addr(&mut errs, "server.redirect_listen", v));
    let acme = raw.acme.map(|a| AcmeConfig {
        directory: a.directory,
        contact: a
            .contact
            .map(|c| format!("mailto:{}", c.trim_start_matches("mailto:"))),
        ca_file: a.ca_file.map(|p| resolve(base, &p)),
    });
    if let Some(a) = &acme {
        if !(a.directory.starts_with("https://") || a.directory.starts_with("http://")) {
            errs.push(
                "acme.directory",
                "must be an https:// URL of the CA's ACME directory",
            );
        }
        if let Some(f) = a.ca_file.as_ref().filter(|f| !f.is_file()) {
            errs.push(
                "acme.ca_file",
                format!("the file {} does not exist", f.display()),
            );
        }
        if redirect_listen.is_none() {
            errs.push(
                "acme",
                "needs server.redirect_listen (port 80): the CA checks the HTTP-01 challenge there",
            );
        }
    }
    let data_dir = resolve(base, &s.data_dir);
    let (mut tls_cert, mut tls_key) = match (&acme, &s.tls_cert, &s.tls_key) {
        // Certificates from the CA live in the data folder.
        (Some(_), _, _) => (
            data_dir.join("acme/cert.pem"),
            data_dir.join("acme/key.pem"),
        ),
        (None, Some(c), Some(k)) => (resolve(base, c), resolve(base, k)),
        (None, c, k) => {
            for (key, v) in [("server.tls_cert", c), ("server.tls_key", k)] {
                if v.is_none() {
                    errs.push(key, "required (or an [acme] section)");
                }
            }
            (PathBuf::new(), PathBuf::new())
        }
    };
    // Neither file there yet: a self-signed certificate is made at start (see app::self_signed), where the
    // CA's will go with [acme], else in the data folder.
    let tls_self_signed = (acme.is_some() || s.tls_fallback == raw::RawTlsFallback::SelfSigned)
        && !tls_cert.is_file()
        && !tls_key.is_file();
    if tls_self_signed && acme.is_none() {
        tls_cert = data_dir.join("tls/self-signed-cert.pem");
        tls_key = data_dir.join("tls/self-signed-key.pem");
    } else if !tls_self_signed && acme.is_none() && !tls_cert.as_os_str().is_empty() {
        for (key, p) in [("server.tls_cert", &tls_cert), ("server.tls_key", &tls_key)] {
            if !p.is_file() {
                errs.push(key, format!("the file {} does not exist", p.display()));
            }
        }
    }
    let secret_key = s
        .secret_key
        .and_then(|sec| read_secret(&mut errs, base, sec));
    let l = raw.limits;
    if l.max_header_bytes < 8192 {
        errs.push("limits.max_header_bytes", "must be at least 8192");
    }
    if s.draft_days == 0 || s.draft_days > 365 {
        errs.push("server.draft_days", "must be between 1 and 365");
    }
    if s.first_step_hours == 0 || u64::from(s.first_step_hours) > u64::from(s.draft_days) * 24 {
        errs.push(
            "server.first_step_hours",
            "must be at least 1 and at most server.draft_days in hours",
        );
    }
    if l.max_form_bytes < 1024 {
        errs.push("limits.max_form_bytes", "must be at least 1024");
    }
    if l.max_upload_mb == 0 || l.max_upload_mb > 10_000 {
        errs.push("limits.max_upload_mb", "must be between 1 and 10000");
    }
    if l.max_attachments == 0 {
        errs.push("limits.max_attachments", "must be at least 1");
    }
    if l.delivery_attempts == 0 || l.delivery_attempts > 1000 {
        errs.push("limits.delivery_attempts", "must be between 1 and 1000");
    }
    let clamav = raw.clamav.as_ref().and_then(|c| {
        use targets::{ClamavConfig, ClamdAddress};
        let address = if c.address.starts_with('/') {
            ClamdAddress::Unix(PathBuf::from(&c.address))
        } else if c
            .address
            .rsplit_once(':')
            .is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok())
        {
            ClamdAddress::Tcp(c.address.clone())
        } else {
            errs.push(
                "clamav.address",
                "must be a unix socket path (starting with /) or host:port",
            );
            return None;
        };
        if c.timeout_secs == 0 {
            errs.push("clamav.timeout_secs", "must be at least 1");
        }
        Some(ClamavConfig {
            address,
            timeout: Duration::from_secs(c.timeout_secs.max(1)),
        })
    });
    let smtp = raw.smtp.and_then(|m| smtp_config(&mut errs, base, m));
    let accounts = accounts_config(&mut errs, &raw.accounts);
    let registers = registers_config(&mut errs, base, raw.registers);
    let mut oidc = vec![];
    for (i, o) in raw.oidc.into_iter().enumerate() {
        if let Some(c) = oidc_config(&mut errs, base, i, o) {
            if oidc.iter().any(|x: &OidcConfig| x.name == c.name) {
                errs.push(
                    format!("oidc[{i}].name"),
                    format!("\"{}\" is used twice", c.name),
                );
            }
            oidc.push(c);
        }
    }
    for (key, v) in [
        ("limits.header_timeout_secs", l.header_timeout_secs),
        ("limits.body_timeout_secs", l.body_timeout_secs),
        ("limits.idle_timeout_secs", l.idle_timeout_secs),
        ("limits.stall_timeout_secs", l.stall_timeout_secs),
        ("limits.body_deadline_secs", l.body_deadline_secs),
        ("limits.max_connections", l.max_connections as u64),
        (
            "limits.max_connections_per_ip",
            l.max_connections_per_ip as u64,
        ),
        (
            "limits.max_streams_per_connection",
            u64::from(l.max_streams_per_connection),
        ),
    ] {
        if v == 0 {
            errs.push(key, "must be at least 1");
        }
    }
    let mut trusted_proxies = vec![];
    for (i, p) in l.trusted_proxies.iter().enumerate() {
        match p.parse::<std::net::IpAddr>() {
            Ok(ip) => trusted_proxies.push(ip),
            Err(_) => errs.push(
                format!("limits.trusted_proxies[{i}]"),
                format!("\"{p}\" is not an IP address"),
            ),
        }
    }

    let budgets = {
        use crate::budgets::Limit;
        let d = crate::budgets::BudgetConfig::default();
        let b = &raw.budgets;
        let mut one = |key: &str, given: Option<raw::RawBudget>, def: Limit, unit: u64| {
            let g = given.unwrap_or_default();
            let l = Limit {
                per_ip: g.per_ip.map_or(def.per_ip, |v| v.saturating_mul(unit)),
                per_tenant: g
                    .per_tenant
                    .map_or(def.per_tenant, |v| v.saturating_mul(unit)),
                total: g.total.map_or(def.total, |v| v.saturating_mul(unit)),
            };
            if l.per_ip == 0 || l.per_tenant == 0 || l.total == 0 {
                errs.push(format!("budgets.{key}"), "every budget must be at least 1");
            }
            l
        };
        crate::budgets::BudgetConfig {
            drafts: one("drafts", b.drafts, d.drafts, 1),
            sessions: one("sessions", b.sessions, d.sessions, 1),
            upload_bytes: one("upload_mb", b.upload_mb, d.upload_bytes, 1_000_000),
            upload_files: one("upload_files", b.upload_files, d.upload_files, 1),
            receipt_copies: one("receipt_copies", b.receipt_copies, d.receipt_copies, 1),
        }
    };
    if raw.tenants.is_empty() {
        errs.push("tenant", "no [[tenant]] is configured; add at least one");
    }
    let mut tenants: Vec<TenantConfig> = vec![];
    let mut hosts_seen: Vec<(String, String)> = vec![];
    let mut ids_seen: Vec<String> = vec![];
    for (i, mut t) in raw.tenants.into_iter().enumerate() {
        let k = |f: &str| format!("tenant[{i}].{f}");
        let mut targets: Vec<TargetConfig> = vec![];
        for (j, rt) in std::mem::take(&mut t.targets).into_iter().enumerate() {
            let key = k(&format!("target[{j}]"));
            if let Some(tc) = target_config(&mut errs, base, &key, rt, smtp.is_some()) {
                if targets.iter().any(|x| x.name == tc.name) {
                    errs.push(
                        format!("{key}.name"),
                        format!("\"{}\" is used twice", tc.name),
                    );
                }
                targets.push(tc);
            }
        }
        let id = match TenantId::parse(&t.id) {
            Ok(id) => Some(id),
            Err(e) => {
                errs.push(k("id"), format!("\"{}\" {e}", t.id));
                None
            }
        };
        if let Some(j) = ids_seen.iter().position(|x| *x == t.id) {
            errs.push(
                k("id"),
                format!("\"{}\" is already used by tenant[{j}]", t.id),
            );
        }
        ids_seen.push(t.id.clone());
        if t.name.trim().is_empty() {
            errs.push(k("name"), "must not be empty");
        }
        if t.hosts.is_empty() {
            errs.push(
                k("hosts"),
                "list at least one host name, for example [\"skjema.eksempel.kommune.no\"]",
            );
        }
        let mut hosts = vec![];
        for (h_i, h) in t.hosts.iter().enumerate() {
            let key = format!("tenant[{i}].hosts[{h_i}]");
            let lower = h.to_ascii_lowercase();
            if !valid_host(&lower) {
                errs.push(
                    key,
                    format!("\"{h}\" is not a valid host name (no scheme, port or path)"),
                );
                continue;
            }
            if let Some((_, owner)) = hosts_seen.iter().find(|(seen, _)| *seen == lower) {
                errs.push(
                    key,
                    format!("\"{h}\" is already used by tenant \"{owner}\""),
                );
                continue;
            }
            hosts_seen.push((lower.clone(), t.id.clone()));
            hosts.push(lower);
        }
        let default_lang = Lang::parse(&t.default_language);
        if default_lang.is_none() {
            errs.push(
                k("default_language"),
                format!(
                    "\"{}\" is not supported; use \"nb\", \"nn\" or \"en\"",
                    t.default_language
                ),
            );
        }
        if !BUILTIN_THEMES.contains(&t.theme.as_str()) {
            errs.push(
                k("theme"),
                format!(
                    "unknown theme \"{}\"; the built-in themes are {}",
                    t.theme,
                    BUILTIN_THEMES.map(|x| format!("\"{x}\"")).join(" and ")
                ),
            );
        }
        let theme_dir = t.theme_dir.as_ref().map(|d| resolve(base, d));
        if let Some(d) = &theme_dir
            && !d.is_dir()
        {
            errs.push(
                k("theme_dir"),
                format!("the folder {} does not exist", d.display()),
            );
        }
        let forms_dir = t.forms_dir.as_ref().map(|d| resolve(base, d));
        if let Some(d) = &forms_dir
            && !d.is_dir()
        {
            errs.push(
                k("forms_dir"),
                format!("the folder {} does not exist", d.display()),
            );
        }
        let email_ok = t.contact_email.split_once('@').is_some_and(|(a, b)| {
            !a.is_empty() && b.contains('.') && !t.contact_email.contains(' ')
        });
        if !email_ok {
            errs.push(
                k("contact_email"),
                format!("\"{}\" is not an e-mail address", t.contact_email),
            );
        }
        let archive_file_mode = match t.archive_file_mode.as_deref() {
            None => crate::fs_modes::ARCHIVE_FILE,
            Some(m) => crate::fs_modes::parse_file_mode(m).unwrap_or_else(|e| {
                errs.push(k("archive_file_mode"), e);
                crate::fs_modes::ARCHIVE_FILE
            }),
        };
        let forms = if t.forms.iter().any(|f| f == "*") {
            FormSelection::All
        } else {
            let mut ids = vec![];
            for (f_i, f) in t.forms.iter().enumerate() {
                match FormId::parse(f) {
                    Ok(fid) if form_exists(&fid) => ids.push(fid),
                    _ => errs.push(
                        format!("tenant[{i}].forms[{f_i}]"),
                        format!("no form has the id \"{f}\""),
                    ),
                }
            }
            FormSelection::Only(ids)
        };
        let mut email_at = |key: &str, v: &Option<String>| -> Option<String> {
            let v = v.as_ref()?.trim().to_owned();
            let ok = v
                .split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !v.contains(' '));
            if !ok {
                errs.push(k(key), format!("\"{v}\" is not an e-mail address"));
            }
            Some(v)
        };
        let privacy_email = email_at("privacy.email", &t.privacy.email);
        let dpo_email = email_at("privacy.dpo_email", &t.privacy.dpo_email);
        let feedback_email = email_at(
            "accessibility.feedback_email",
            &t.accessibility.feedback_email,
        );
        if let Some(u) = &t.accessibility.statement_url
            && !u.starts_with("https://")
        {
            errs.push(
                k("accessibility.statement_url"),
                format!("\"{u}\" is not an https:// address"),
            );
        }
        let archive_lang = match t.archive_language.as_deref() {
            None => None,
            Some("nb") => Some(Lang::Nb),
            Some("nn") => Some(Lang::Nn),
            Some(other) => {
                errs.push(
                    k("archive_language"),
                    format!("\"{other}\" is not an archive language; use \"nb\" or \"nn\""),
                );
                None
            }
        };
        let statements = Statements {
            controller: t
                .privacy
                .controller
                .clone()
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| t.name.clone()),
            privacy_email: privacy_email.unwrap_or_else(|| t.contact_email.clone()),
            dpo_email,
            feedback_email: feedback_email.unwrap_or_else(|| t.contact_email.clone()),
            statement_url: t.accessibility.statement_url.clone(),
        };
        if let (Some(id), Some(default_lang)) = (id, default_lang) {
            tenants.push(TenantConfig {
                id,
                name: t.name,
                hosts,
                default_lang,
                theme: t.theme,
                theme_dir,
                forms_dir,
                contact_email: t.contact_email,
                contact_phone: t.contact_phone,
                postal_address: t
                    .postal_address
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty()),
                archive_lang,
                archive_dir: resolve(base, &t.archive_dir),
                archive_file_mode,
                forms,
                intro: t.intro,
                targets,
                statements,
                status_names: t.status_names,
            });
        }
    }
    let default_tenant = match &s.default_tenant {
        None => None,
        Some(d) => {
            let found = tenants.iter().position(|t| t.id.as_str() == d);
            if found.is_none() {
                errs.push(
                    "server.default_tenant",
                    format!("no tenant has the id \"{d}\""),
                );
            }
            found
        }
    };
    if !errs.list.is_empty() {
        return Err(ConfigErrors(errs.list));
    }
    let Some(listen) = listen else {
        return Err(ConfigErrors(errs.list));
    };
    Ok(Config {
        source: None,
        acme,
        budgets,
        accounts,
        oidc,
        registers,
        server: ServerConfig {
            listen,
            redirect_listen,
            data_dir,
            tls_cert,
            tls_key,
            tls_self_signed,
            log_format: match s.log_format {
                RawLogFormat::Text => LogFormat::Text,
                RawLogFormat::Json => LogFormat::Json,
            },
            secret_key,
            draft_lifetime: Duration::from_secs(u64::from(s.draft_days) * 24 * 3600),
            first_step_lifetime: Duration::from_secs(u64::from(s.first_step_hours) * 3600),
            font_dirs: s.font_dirs.clone().map_or_else(
                || {
                    crate::pdf::DEFAULT_FONT_DIRS
                        .iter()
                        .map(PathBuf::from)
                        .collect()
                },
                |dirs| dirs.iter().map(|d| resolve(base, d)).collect(),
            ),
        },
        limits: Limits {
            max_header_bytes: l.max_header_bytes,
            max_form_bytes: l.max_form_bytes,
            header_timeout: Duration::from_secs(l.header_timeout_secs),
            body_timeout: Duration::from_secs(l.body_timeout_secs),
            shutdown_grace: Duration::from_secs(l.shutdown_grace_secs),
            max_upload_bytes: l.max_upload_mb.saturating_mul(1_000_000),
            max_attachments: l.max_attachments,
            delivery_attempts: l.delivery_attempts,
            min_free_bytes: l.min_free_mb.saturating_mul(1_000_000),
            max_connections: l.max_connections,
            max_connections_per_ip: l.max_connections_per_ip,
            max_streams_per_connection: l.max_streams_per_connection,
            idle_timeout: Duration::from_secs(l.idle_timeout_secs),
            stall_timeout: Duration::from_secs(l.stall_timeout_secs),
            body_deadline: Duration::from_secs(l.body_deadline_secs),
            trusted_proxies,
        },
        clamav,
        smtp,
        tenants,
        default_tenant,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("a\nbc\nd", 0), (1, 1));
        assert_eq!(line_col("a\nbc\nd", 3), (2, 2));
        assert_eq!(line_col("a\nbc\nd", 5), (3, 1));
    }

    #[test]
    fn relative_paths_anchor_at_the_config_folder() {
        let base = Path::new("/etc/radhus");
        assert_eq!(resolve(base, Path::new(".")), PathBuf::from("/etc/radhus"));
        assert_eq!(
            resolve(base, Path::new("./tls/a.pem")),
            PathBuf::from("/etc/radhus/tls/a.pem")
        );
        assert_eq!(
            resolve(base, Path::new("/var/lib/radhus")),
            PathBuf::from("/var/lib/radhus")
        );
    }

    #[test]
    fn hosts() {
        for (h, ok) in [
            ("eksempel.localhost", true),
            ("a-b.c", true),
            ("", false),
            ("a..b", false),
            ("-a.b", false),
            ("a b", false),
            ("a:443", false),
            ("https://a", false),
        ] {
            assert_eq!(valid_host(h), ok, "{h}");
        }
    }
}
