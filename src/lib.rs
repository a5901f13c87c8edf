//! Rådhus: a self-hostable municipal e-services appliance.
//!
//! Code map (tree order; `ARCHITECTURE.md` has the full picture and the invariants):
//!
//! - [`app`]: `App::start(config)` — the running appliance, used by `main` and by the tests.
//! - [`cli`]: the command line (`serve`, `demo`, `check-config`, `version`).
//! - [`config`]: TOML → raw structs (`deny_unknown_fields`) → validated [`config::Config`].
//! - [`control`]: the control socket the `deliveries` command uses.
//! - [`delivery`]: the outbox worker and delivery targets (file drop to the archive).
//! - [`demo`]: the zero-configuration demo (two municipalities, self-signed certificate).
//! - [`forms`]: the form registry over `forms/` and the portal search index (pure, no IO but loading).
//! - [`http`]: server, TLS, router, request context, sessions, CSRF, assets, metrics, responses.
//! - [`i18n`]: languages (nb, nn, en), negotiation and message catalogues.
//! - [`ids`]: typed identifiers parsed at the boundary.
//! - [`store`]: the only code that touches redb: tables, records, migrations, sessions.
//! - [`themes`]: the embedded default theme and tenant overrides.
//! - [`views`]: maud views, pure functions of a view model.
//! - [`web`]: request handlers, one file per route group.

pub mod app;
pub mod attachments;
pub mod cli;
pub mod config;
pub mod control;
pub mod delivery;
pub mod demo;
pub mod forms;
pub mod http;
pub mod i18n;
pub mod ids;
pub mod pdf;
pub mod store;
pub mod themes;
pub mod views;
pub mod web;

pub use app::{App, Running};

/// The version printed by `radhus version` and shown in `/healthz`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
