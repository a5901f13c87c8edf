//! Every URL the appliance links to, built in one place from typed ids. The route table
//! (`web/routes.rs`) has a test that each of these is answered by one of its routes.

use crate::ids::{FormId, Reference};

pub const PORTAL: &str = "/";
pub const SEARCH: &str = "/sok";
pub const LANGUAGE: &str = "/sprak";
/// The tenant's privacy statement (personvernerklæring).
pub const PRIVACY: &str = "/personvern";
/// The tenant's accessibility statement (tilgjengelighetserklæring).
pub const ACCESSIBILITY: &str = "/tilgjengelighet";

pub fn landing(f: &FormId) -> String {
    format!("/skjema/{f}")
}

pub fn start(f: &FormId) -> String {
    format!("/skjema/{f}/start")
}

/// The step at `position` among the visible steps (0-based; the URL counts from 1).
pub fn step(f: &FormId, position: usize) -> String {
    format!("/skjema/{f}/steg/{}", position + 1)
}

pub fn control(f: &FormId) -> String {
    format!("/skjema/{f}/kontroll")
}

pub fn check_answers(f: &FormId) -> String {
    format!("/skjema/{f}/oppsummering")
}

pub fn send(f: &FormId) -> String {
    format!("/skjema/{f}/send")
}

pub fn receipt(f: &FormId, r: &Reference) -> String {
    format!("/skjema/{f}/kvittering/{r}")
}

pub fn receipt_pdf(f: &FormId, r: &Reference) -> String {
    format!("/skjema/{f}/kvittering/{r}/pdf")
}

pub fn receipt_email(f: &FormId, r: &Reference) -> String {
    format!("/skjema/{f}/kvittering/{r}/epost")
}

/// The link in a mail that confirms the address for a copy of the receipt.
pub fn receipt_confirm(f: &FormId, r: &Reference) -> String {
    format!("/skjema/{f}/kvittering/{r}/bekreft")
}

pub fn blank_pdf(f: &FormId) -> String {
    format!("/skjema/{f}/blankett.pdf")
}
