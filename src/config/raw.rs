//! The configuration file as written: serde structs with `deny_unknown_fields`, no meaning attached yet.

use std::path::PathBuf;

use serde::Deserialize;

use crate::i18n::Texts;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub server: RawServer,
    #[serde(default)]
    pub limits: RawLimits,
    /// Virus scanning of uploads by a ClamAV daemon; off when absent.
    pub clamav: Option<RawClamav>,
    /// The SMTP server for e-mail targets and receipt copies; e-mail is off when absent.
    pub smtp: Option<RawSmtp>,
    /// Certificates from an ACME CA for every tenant's host names; the files in `server` are used when
    /// absent.
    pub acme: Option<RawAcme>,
    /// Per hour: what one address, one tenant and all may spend (src/budgets.rs).
    #[serde(default)]
    pub budgets: RawBudgets,
    /// Citizens' password accounts and logins; on with defaults when absent.
    #[serde(default)]
    pub accounts: RawAccounts,
    /// OpenID Connect providers (ID-porten and the like) citizens log in with.
    #[serde(default)]
    pub oidc: Vec<RawOidc>,
    /// Register lookups (Enhetsregisteret, population and contact registers); off when absent.
    pub registers: Option<RawRegisters>,
    #[serde(default, rename = "tenant")]
    pub tenants: Vec<RawTenant>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegisters {
    /// Enhetsregisteret's API (e.g. `https://data.brreg.no/enhetsregisteret/api`).
    pub enhetsregisteret: Option<RawRegister>,
    /// A population register answering `GET <url>/personer/<fnr>` with the Folkeregister document.
    pub folkeregisteret: Option<RawRegister>,
    /// The contact register (KRR): `POST <url>/rest/v1/personer`.
    pub kontaktregisteret: Option<RawRegister>,
    #[serde(default = "default_register_timeout_ms")]
    pub timeout_ms: u64,
}

fn default_register_timeout_ms() -> u64 {
    2000
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegister {
    pub url: String,
    /// A bearer token, when the register needs one.
    pub token: Option<RawSecret>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOidc {
    /// A short name (a–z, 0–9, -) in URLs: `/logg-inn/oidc/<name>`.
    pub name: String,
    /// What the login button says ("ID-porten").
    pub title: String,
    pub issuer: String,
    /// The discovery document; `<issuer>/.well-known/openid-configuration` when absent.
    pub discovery_url: Option<String>,
    pub client_id: String,
    pub client_secret: RawSecret,
    /// `acr` value → Rådhus level (`low`, `substantial`, `high`).
    pub levels: std::collections::BTreeMap<String, String>,
    #[serde(default = "default_oidc_scopes")]
    pub scopes: String,
    /// The claim that carries the person's national identity number (ID-porten: `pid`).
    #[serde(default = "default_pid_claim")]
    pub pid_claim: String,
    /// An extra trusted CA certificate (PEM).
    pub ca_file: Option<PathBuf>,
    #[serde(default = "default_target_timeout")]
    pub timeout_secs: u64,
    /// Tenants that offer it (`["*"]`, the default: every tenant).
    pub tenants: Option<Vec<String>>,
}

fn default_oidc_scopes() -> String {
    "openid profile".into()
}

fn default_pid_claim() -> String {
    "pid".into()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccounts {
    pub enabled: Option<bool>,
    pub min_password_length: Option<u32>,
    pub idle_minutes: Option<u32>,
    pub absolute_hours: Option<u32>,
    pub verify_hours: Option<u32>,
    pub reset_minutes: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBudgets {
    pub drafts: Option<RawBudget>,
    pub sessions: Option<RawBudget>,
    pub upload_mb: Option<RawBudget>,
    pub upload_files: Option<RawBudget>,
    pub receipt_copies: Option<RawBudget>,
}

/// One budget per hour; a key left out keeps its default.
#[derive(Debug, Default, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct RawBudget {
    pub per_ip: Option<u64>,
    pub per_tenant: Option<u64>,
    pub total: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServer {
    pub listen: String,
    pub redirect_listen: Option<String>,
    pub data_dir: PathBuf,
    #[serde(default)]
    pub tls_cert: Option<PathBuf>,
    #[serde(default)]
    pub tls_key: Option<PathBuf>,
    /// What to do when neither certificate file exists.
    #[serde(default)]
    pub tls_fallback: RawTlsFallback,
    pub default_tenant: Option<String>,
    #[serde(default)]
    pub log_format: RawLogFormat,
    pub secret_key: Option<RawSecret>,
    /// Days an anonymous draft (and an idle session) is kept.
    #[serde(default = "default_draft_days")]
    pub draft_days: u32,
    /// Hours a draft that never got past its first step is kept after its last change.
    #[serde(default = "default_first_step_hours")]
    pub first_step_hours: u32,
    /// Folders with fallback fonts for the PDFs (characters DejaVu Sans lacks).
    pub font_dirs: Option<Vec<PathBuf>>,
}

fn default_first_step_hours() -> u32 {
    6
}

fn default_draft_days() -> u32 {
    7
}

#[derive(Debug, Default, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RawLogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAcme {
    /// The CA's directory URL.
    pub directory: String,
    /// An e-mail address the CA may write to about the certificates.
    pub contact: Option<String>,
    /// A PEM file of the CA certificate that signs the ACME server's own HTTPS certificate (a private or
    /// test CA); the system's roots otherwise.
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum RawTlsFallback {
    /// Refuse to start (the certificate files are required).
    #[default]
    None,
    /// Serve a self-signed certificate for the tenants' host names, made in the data folder.
    SelfSigned,
}

/// A secret given inline, from an environment variable, or from a file.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawSecret {
    Value(String),
    Env { env: String },
    File { file: PathBuf },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    #[serde(default = "default_header_bytes")]
    pub max_header_bytes: usize,
    #[serde(default = "default_body_bytes")]
    pub max_form_bytes: usize,
    #[serde(default = "default_header_timeout")]
    pub header_timeout_secs: u64,
    #[serde(default = "default_body_timeout")]
    pub body_timeout_secs: u64,
    #[serde(default = "default_grace")]
    pub shutdown_grace_secs: u64,
    /// All attachments of one submission together, in megabytes.
    #[serde(default = "default_upload_mb")]
    pub max_upload_mb: u64,
    /// Attachments per submission.
    #[serde(default = "default_attachments")]
    pub max_attachments: usize,
    /// Attempts per delivery (one submission to one target) before it is marked failed.
    #[serde(default = "default_delivery_attempts")]
    pub delivery_attempts: u32,
    /// Free space (MB) the data folder's file system keeps: below it new drafts and uploads are refused,
    /// below a quarter of it submissions too.
    #[serde(default = "default_min_free_mb")]
    pub min_free_mb: u64,
    /// Open connections at once, from all clients.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// Open connections at once from one IP address (trusted proxies are exempt).
    #[serde(default = "default_max_connections_per_ip")]
    pub max_connections_per_ip: usize,
    /// Requests at once on one HTTP/2 connection.
    #[serde(default = "default_max_streams")]
    pub max_streams_per_connection: u32,
    /// A connection with no request and nothing written for this long is closed.
    #[serde(default = "default_idle_timeout")]
    pub idle_timeout_secs: u64,
    /// A connection whose responses wait and that has taken no byte of them for this long is closed.
    #[serde(default = "default_stall_timeout")]
    pub stall_timeout_secs: u64,
    /// The longest a whole request body (an upload) may take, however steadily it trickles.
    #[serde(default = "default_body_deadline")]
    pub body_deadline_secs: u64,
    /// Reverse proxies in front of Rådhus (IP addresses): exempt from the per-address connection limit,
    /// and trusted for the client's address in `X-Forwarded-For`.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
}

fn default_max_connections() -> usize {
    4096
}
fn default_max_connections_per_ip() -> usize {
    128
}
fn default_max_streams() -> u32 {
    16
}
fn default_idle_timeout() -> u64 {
    60
}
fn default_stall_timeout() -> u64 {
    30
}
fn default_body_deadline() -> u64 {
    600
}

fn default_min_free_mb() -> u64 {
    512
}

fn default_delivery_attempts() -> u32 {
    30
}

fn default_upload_mb() -> u64 {
    100
}
fn default_attachments() -> usize {
    20
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClamav {
    /// A unix socket path (`/run/clamav/clamd.ctl`) or `host:port`.
    pub address: String,
    #[serde(default = "default_clamav_timeout")]
    pub timeout_secs: u64,
}

fn default_clamav_timeout() -> u64 {
    60
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSmtp {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    /// `starttls` (default), `tls` (implicit TLS, port 465) or `none` (loopback only).
    #[serde(default = "default_smtp_security")]
    pub security: String,
    pub username: Option<String>,
    pub password: Option<RawSecret>,
    /// `Name <address>` or an address.
    pub from: String,
    /// An extra trusted CA certificate (PEM), for a server with its own CA.
    pub ca_file: Option<PathBuf>,
    #[serde(default = "default_target_timeout")]
    pub timeout_secs: u64,
}

fn default_smtp_port() -> u16 {
    587
}
fn default_smtp_security() -> String {
    "starttls".into()
}
fn default_target_timeout() -> u64 {
    30
}

/// A delivery target of a tenant besides its archive folder.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    /// The name forms use in `[[delivery]] target = "…"`.
    pub name: String,
    /// `http` or `email`.
    pub kind: String,
    /// Every form of the tenant delivers here too, not only forms that name it.
    #[serde(default)]
    pub all_forms: bool,
    /// http: the receiver's URL, the HMAC secret, an extra CA (PEM).
    pub url: Option<String>,
    pub secret: Option<RawSecret>,
    pub ca_file: Option<PathBuf>,
    /// email: the functional mailbox.
    pub to: Option<String>,
    #[serde(default = "default_target_timeout")]
    pub timeout_secs: u64,
}

impl Default for RawLimits {
    fn default() -> Self {
        RawLimits {
            max_header_bytes: default_header_bytes(),
            max_form_bytes: default_body_bytes(),
            header_timeout_secs: default_header_timeout(),
            body_timeout_secs: default_body_timeout(),
            shutdown_grace_secs: default_grace(),
            max_upload_mb: default_upload_mb(),
            max_attachments: default_attachments(),
            delivery_attempts: default_delivery_attempts(),
            min_free_mb: default_min_free_mb(),
            max_connections: default_max_connections(),
            max_connections_per_ip: default_max_connections_per_ip(),
            max_streams_per_connection: default_max_streams(),
            idle_timeout_secs: default_idle_timeout(),
            stall_timeout_secs: default_stall_timeout(),
            body_deadline_secs: default_body_deadline(),
            trusted_proxies: vec![],
        }
    }
}

fn default_header_bytes() -> usize {
    16 * 1024
}
fn default_body_bytes() -> usize {
    256 * 1024
}
fn default_header_timeout() -> u64 {
    10
}
fn default_body_timeout() -> u64 {
    30
}
fn default_grace() -> u64 {
    20
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTenant {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(default = "default_lang")]
    pub default_language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    pub theme_dir: Option<PathBuf>,
    pub forms_dir: Option<PathBuf>,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    /// Where paper forms are sent ("Postboks 1, 1234 Eksempel"), printed on the blank PDFs.
    pub postal_address: Option<String>,
    /// The language of the archive record ("nb" or "nn"); unset, a nynorsk submission gets a nynorsk
    /// record and every other a bokmål one.
    pub archive_language: Option<String>,
    pub archive_dir: PathBuf,
    /// Octal mode of the files written into the archive folder ("0640").
    pub archive_file_mode: Option<String>,
    #[serde(default = "all_forms")]
    pub forms: Vec<String>,
    pub intro: Option<Texts>,
    #[serde(default, rename = "target")]
    pub targets: Vec<RawTarget>,
    /// The municipality's own names of case statuses on Mine saker and in notices (`received`,
    /// `in_progress`, `decided`); a form's own names come first.
    #[serde(default)]
    pub status_names: crate::forms::StatusNames,
    /// The privacy statement's facts (personvernerklæring, `/personvern`).
    #[serde(default)]
    pub privacy: RawPrivacy,
    /// The accessibility statement's facts (tilgjengelighetserklæring, `/tilgjengelighet`).
    #[serde(default)]
    pub accessibility: RawAccessibility,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrivacy {
    /// The data controller (behandlingsansvarlig); default the tenant's name.
    pub controller: Option<String>,
    /// Where to ask about personal data; default the tenant's contact e-mail.
    pub email: Option<String>,
    /// The data protection officer's address (personvernombud), if the municipality names one.
    pub dpo_email: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccessibility {
    /// Where to report what does not work; default the tenant's contact e-mail.
    pub feedback_email: Option<String>,
    /// The municipality's published statement at uustatus.no, if any.
    pub statement_url: Option<String>,
}

fn default_lang() -> String {
    "nb".into()
}
fn default_theme() -> String {
    "default".into()
}
fn all_forms() -> Vec<String> {
    vec!["*".into()]
}
