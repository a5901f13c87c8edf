//! Delivery: the outbox workers and the targets. Only this module (and, later, OIDC) uses the network or
//! writes outside the data folder.
//!
//! A submission's transaction writes one outbox row per target; [`worker`] picks due rows, renders the
//! files ([`xml`], the manifest), delivers them ([`file_drop`]), and records the outcome durably.

pub mod email;
pub mod file_drop;
pub mod http_post;
pub mod package;
pub mod worker;
pub mod xml;
