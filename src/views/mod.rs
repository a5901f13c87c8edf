//! Views: pure maud functions of a view model. No IO, no store, no request — only what the handler passes.

pub mod account;
pub mod errors;
pub mod fields;
pub mod form_run;
pub mod layout;
pub mod portal;
pub mod statements;

pub use layout::Frame;

/// The optional script of form steps: reveals follow-up questions as they come to apply.
pub const FOLLOW_UP_JS: &str = include_str!("follow-up.js");
