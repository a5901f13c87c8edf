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
pub const LOGIN: &str = "/logg-inn";
pub const LOGOUT: &str = "/logg-ut";
pub const REGISTER: &str = "/registrer";
pub const FORGOT: &str = "/glemt-passord";
/// The citizen's drafts and cases.
pub const MY_CASES: &str = "/mine-saker";
/// The account's settings: password, address, deletion.
pub const ACCOUNT: &str = "/konto";
pub const ACCOUNT_PASSWORD: &str = "/konto/passord";
pub const ACCOUNT_PROFILE: &str = "/konto/profil";
pub const ACCOUNT_EMAIL: &str = "/konto/epost";
pub const ACCOUNT_DELETE: &str = "/konto/slett";

/// `https://<host>` with the port unless it is 443: where links in mails and to other tenants point.
pub fn origin(host: &str, port: u16) -> String {
    match port {
        443 => format!("https://{host}"),
        p => format!("https://{host}:{p}"),
    }
}

/// The link in a verification mail.
pub fn verify(token: &str) -> String {
    format!("/konto/bekreft/{token}")
}

/// The link in a mail that confirms a new address.
pub fn new_email(token: &str) -> String {
    format!("/konto/ny-epost/{token}")
}

/// The link in a forgotten-password mail.
pub fn reset(token: &str) -> String {
    format!("/konto/nytt-passord/{token}")
}

/// The login page, returning to `back` (a same-site path) afterwards.
pub fn login_then(back: &str) -> String {
    let q: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("til", back)
        .finish();
    format!("{LOGIN}?{q}")
}

/// The login page for a page that needs `level` (an ID-porten level shows the provider's button).
pub fn login_for(back: &str, level: crate::forms::LoginLevel) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("til", back);
    match level {
        crate::forms::LoginLevel::Low => {}
        crate::forms::LoginLevel::Substantial => {
            q.append_pair("niva", "substantial");
        }
        crate::forms::LoginLevel::High => {
            q.append_pair("niva", "high");
        }
    }
    format!("{LOGIN}?{}", q.finish())
}

/// Starts a login through an OpenID provider (POST).
pub fn oidc_start(provider: &str) -> String {
    format!("/logg-inn/oidc/{provider}")
}

/// Where the provider sends the citizen back (the redirect URI to register with it).
pub fn oidc_back(provider: &str) -> String {
    format!("/logg-inn/oidc/{provider}/tilbake")
}

/// One of the citizen's cases on Mine saker.
pub fn case(r: &Reference) -> String {
    format!("/mine-saker/sak/{r}")
}

/// Starts a new draft of a case's form with its answers.
pub fn case_copy(r: &Reference) -> String {
    format!("/mine-saker/sak/{r}/kopier")
}

/// Deletes one of the account's drafts.
pub fn draft_delete(d: &crate::ids::DraftId) -> String {
    format!("/mine-saker/utkast/{d}/slett")
}

/// Attaches this browser's draft of a form to the account.
pub fn draft_attach(f: &FormId) -> String {
    format!("/mine-saker/knytt/{f}")
}

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
