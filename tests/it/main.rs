//! The one integration-test binary: real servers on 127.0.0.1:0, real TLS, real files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod accounts;
mod acme;
mod attachments;
mod backup;
mod browser;
mod check_forms;
mod cli;
mod config_fixtures;
mod crash;
mod delivery;
mod disk;
mod form_language;
mod form_library;
mod form_run;
mod hardening;
mod hostile;
mod house;
mod http_limits;
mod layers;
mod oidc;
mod portal;
mod registers;
mod security;
mod server_lifecycle;
mod support;
mod targets;
mod tls_scan;
mod upgrade;
