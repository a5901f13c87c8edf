//! Rådhus: a self-hostable municipal e-services appliance.
//!
//! Code map (tree order; `ARCHITECTURE.md` has the full picture and the invariants):
//!
//! - [`app`]: `App::start(config)` — the running appliance, used by `main` and by the tests.
//! - [`assets`]: a tenant's static files under content-hashed names.
//! - [`attachments`]: uploaded files judged by content and kept on disk; ClamAV.
//! - [`backup`]: online backup of a data folder and its restore, checked against a manifest.
//! - [`cases`]: the case layer — drafts, steps, submission, receipts — whoever asks.
//! - [`clock`]: the clock the product's rules read.
//! - [`cli`]: the command line (`serve`, `demo`, `check-config`, `version`).
//! - [`config`]: TOML → raw structs (`deny_unknown_fields`) → validated [`config::Config`].
//! - [`control`]: the control socket the `deliveries` command uses.
//! - [`delivery`]: the outbox worker and delivery targets (file drop to the archive).
//! - [`demo`]: the zero-configuration demo (two municipalities, self-signed certificate).
//! - [`form_files`]: form files read from disk for the pure loader.
//! - [`forms`]: the form engine, registry, summary walk and search index (pure, no IO).
//! - [`http`]: server, TLS, the pipeline with access checks, request context, CSRF, multipart, responses.
//! - [`i18n`]: languages (nb, nn, en), negotiation and message catalogues.
//! - [`ids`]: typed identifiers parsed at the boundary.
//! - [`metrics`]: request counters and latency histograms for `/metrics`.
//! - [`paths`]: every URL the pages link to, from typed ids.
//! - [`pdf`]: submission and blank-form PDFs (pure: bytes out).
//! - [`state`]: the shared state of the web side and each tenant as served.
//! - [`store`]: the only code that touches redb: tenant-scoped and system handles, records, migrations.
//! - [`themes`]: the embedded default theme and tenant overrides.
//! - [`views`]: maud views, pure functions of a view model.
//! - [`watchdog`]: systemd readiness, watchdog and stopping notifications.
//! - [`web`]: the route table and request handlers, one file per route group.

pub mod app;
pub mod assets;
pub mod attachments;
pub mod auth;
pub mod backup;
pub mod budgets;
pub mod cases;
pub mod cli;
pub mod clock;
pub mod config;
pub mod control;
pub mod delivery;
pub mod demo;
#[cfg(feature = "pdf")]
pub mod font_files;
pub mod form_files;
pub mod forms;
pub mod fs_modes;
pub mod http;
pub mod i18n;
pub mod ids;
pub mod memory;
pub mod metrics;
pub mod paths;
pub mod pdf;
pub mod registers;
pub mod site_key;
pub mod state;
pub mod store;
pub mod themes;
pub mod views;
pub mod watchdog;
pub mod web;

pub use app::{App, Running};

/// The version printed by `radhus version` and shown in `/healthz`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
