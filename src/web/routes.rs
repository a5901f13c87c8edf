//! THE route table: every route's method, path, who may call it, what is audited, its body limit and its
//! handler. Handed to the pipeline as [`SITE`]; the hostile-HTTP test walks it.

use crate::http::router::{Access, Audit, BodyLimit, Handler, PageFn, Route, RouteClass, Site};

use super::{account, assets, form_run, language, my_cases, oidc, portal, system};

/// Wraps an async handler as a [`PageFn`].
macro_rules! page {
    ($f:path) => {{
        fn call<'a>(r: &'a super::Request<'a>) -> crate::http::router::Reply<'a> {
            Box::pin($f(r))
        }
        call as PageFn
    }};
}

/// Wraps a handler that does not wait for anything as a [`PageFn`].
macro_rules! sync_page {
    ($f:path) => {{
        fn call<'a>(r: &'a super::Request<'a>) -> crate::http::router::Reply<'a> {
            Box::pin(std::future::ready($f(r)))
        }
        call as PageFn
    }};
}

use crate::forms::LoginLevel::Low;
use Access::{Citizen, Form, Public};
use Audit::None as NoAudit;
use RouteClass as C;

pub static ROUTES: &[Route] = &[
    Route::get(
        "/",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(sync_page!(portal::start)),
    ),
    Route::get(
        "/sok",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(sync_page!(portal::search)),
    ),
    Route::get(
        "/skjema/{form}",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(sync_page!(portal::landing)),
    ),
    Route::post(
        "/skjema/{form}/start",
        Form,
        NoAudit,
        BodyLimit::Form,
        page!(form_run::start),
    ),
    Route::get(
        "/skjema/{form}/steg/{n}",
        C::Public,
        Form,
        NoAudit,
        Handler::Page(sync_page!(form_run::step_get)),
    ),
    Route::post(
        "/skjema/{form}/steg/{n}",
        Form,
        NoAudit,
        BodyLimit::Upload,
        page!(form_run::step_post),
    ),
    Route::get(
        "/skjema/{form}/kontroll",
        C::Public,
        Form,
        NoAudit,
        Handler::Page(sync_page!(form_run::control)),
    ),
    Route::get(
        "/skjema/{form}/oppsummering",
        C::Public,
        Form,
        NoAudit,
        Handler::Page(sync_page!(form_run::check_answers)),
    ),
    Route::post(
        "/skjema/{form}/send",
        Form,
        NoAudit,
        BodyLimit::Form,
        page!(form_run::submit),
    ),
    // Receipts are bound to the session that sent the form (the case layer checks it).
    Route::get(
        "/skjema/{form}/kvittering/{reference}",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(page!(form_run::receipt)),
    ),
    Route::get(
        "/skjema/{form}/kvittering/{reference}/pdf",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(page!(form_run::receipt_pdf)),
    ),
    Route::post(
        "/skjema/{form}/kvittering/{reference}/epost",
        Public,
        NoAudit,
        BodyLimit::Form,
        page!(form_run::receipt_email),
    ),
    // The link in a confirmation mail: anyone holding it (it is signed) may have the copy sent.
    Route::get(
        "/skjema/{form}/kvittering/{reference}/bekreft",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(sync_page!(form_run::receipt_confirm)),
    ),
    Route::post(
        "/skjema/{form}/kvittering/{reference}/bekreft",
        Public,
        NoAudit,
        BodyLimit::Form,
        page!(form_run::receipt_confirm_send),
    ),
    Route::get(
        "/skjema/{form}/blankett.pdf",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(page!(portal::blank_pdf)),
    ),
    Route::get(
        "/personvern",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(sync_page!(portal::privacy)),
    ),
    Route::get(
        "/tilgjengelighet",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(sync_page!(portal::accessibility)),
    ),
    Route::get(
        "/logg-inn",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(sync_page!(account::login_page)),
    ),
    Route::post(
        "/logg-inn",
        Public,
        NoAudit,
        BodyLimit::Form,
        page!(account::login),
    ),
    Route::post(
        "/logg-inn/oidc/{provider}",
        Public,
        NoAudit,
        BodyLimit::Form,
        page!(oidc::start),
    ),
    // The provider sends the citizen back here (a cross-site top-level GET: the Lax session cookie
    // comes with it); the state in the session is the CSRF protection.
    Route::get(
        "/logg-inn/oidc/{provider}/tilbake",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(page!(oidc::back)),
    ),
    Route::post(
        "/logg-ut",
        Public,
        NoAudit,
        BodyLimit::Form,
        page!(account::logout),
    ),
    Route::get(
        "/registrer",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(sync_page!(account::register_page)),
    ),
    Route::post(
        "/registrer",
        Public,
        NoAudit,
        BodyLimit::Form,
        page!(account::register),
    ),
    // Links from mails: the token is the key (single-use, time-limited, kept only as its hash).
    Route::get(
        "/konto/bekreft/{token}",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(page!(account::verify)),
    ),
    Route::get(
        "/konto/ny-epost/{token}",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(page!(account::confirm_new_email)),
    ),
    Route::get(
        "/konto/nytt-passord/{token}",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(sync_page!(account::reset_page)),
    ),
    Route::post(
        "/konto/nytt-passord/{token}",
        Public,
        NoAudit,
        BodyLimit::Form,
        page!(account::reset),
    ),
    Route::get(
        "/glemt-passord",
        C::Public,
        Public,
        NoAudit,
        Handler::Page(sync_page!(account::forgot_page)),
    ),
    Route::post(
        "/glemt-passord",
        Public,
        NoAudit,
        BodyLimit::Form,
        page!(account::forgot),
    ),
    Route::get(
        "/konto",
        C::Public,
        Citizen(Low),
        NoAudit,
        Handler::Page(sync_page!(account::settings)),
    ),
    Route::post(
        "/konto/passord",
        Citizen(Low),
        NoAudit,
        BodyLimit::Form,
        page!(account::change_password),
    ),
    Route::post(
        "/konto/profil",
        Citizen(Low),
        NoAudit,
        BodyLimit::Form,
        page!(account::change_profile),
    ),
    Route::post(
        "/mine-saker/sak/{reference}/kopier",
        Citizen(Low),
        NoAudit,
        BodyLimit::Form,
        page!(my_cases::copy_case),
    ),
    Route::post(
        "/konto/epost",
        Citizen(Low),
        NoAudit,
        BodyLimit::Form,
        page!(account::change_email),
    ),
    Route::post(
        "/konto/slett",
        Citizen(Low),
        NoAudit,
        BodyLimit::Form,
        page!(account::delete),
    ),
    Route::get(
        "/mine-saker",
        C::Public,
        Citizen(Low),
        NoAudit,
        Handler::Page(sync_page!(my_cases::list)),
    ),
    Route::get(
        "/mine-saker/sak/{reference}",
        C::Public,
        Citizen(Low),
        NoAudit,
        Handler::Page(page!(my_cases::case)),
    ),
    Route::post(
        "/mine-saker/utkast/{draft}/slett",
        Citizen(Low),
        NoAudit,
        BodyLimit::Form,
        page!(my_cases::delete_draft),
    ),
    Route::post(
        "/mine-saker/knytt/{form}",
        Citizen(Low),
        NoAudit,
        BodyLimit::Form,
        page!(my_cases::attach_draft),
    ),
    Route::post(
        "/sprak",
        Public,
        NoAudit,
        BodyLimit::Form,
        page!(language::switch),
    ),
    Route::get(
        "/static/{file}",
        C::Static,
        Public,
        NoAudit,
        Handler::Page(sync_page!(assets::serve)),
    ),
    Route::get(
        "/robots.txt",
        C::Static,
        Public,
        NoAudit,
        Handler::Page(sync_page!(assets::robots)),
    ),
    Route::get(
        "/healthz",
        C::System,
        Public,
        NoAudit,
        Handler::System(system::healthz),
    ),
    Route::get(
        "/metrics",
        C::System,
        Public,
        NoAudit,
        Handler::System(system::metrics),
    ),
];

/// What the pipeline serves.
pub static SITE: Site = Site {
    routes: ROUTES,
    error_page: super::errors::page,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::router::{Match, find};
    use crate::ids::{FormId, Reference};
    use crate::paths;
    use hyper::Method;

    /// Every URL the pages link to is answered by a route of this table, with the access it should have.
    #[test]
    fn every_built_path_has_a_route() {
        let f = FormId::parse("kontaktskjema").unwrap();
        let r = Reference::new(2026, 1);
        let gets = [
            (paths::PORTAL.to_owned(), Access::Public),
            (paths::SEARCH.to_owned(), Access::Public),
            (paths::landing(&f), Access::Public),
            (paths::step(&f, 0), Access::Form),
            (paths::control(&f), Access::Form),
            (paths::check_answers(&f), Access::Form),
            (paths::receipt(&f, &r), Access::Public),
            (paths::receipt_pdf(&f, &r), Access::Public),
            (paths::receipt_confirm(&f, &r), Access::Public),
            (paths::blank_pdf(&f), Access::Public),
            (paths::LOGIN.to_owned(), Access::Public),
            (paths::login_then("/mine-saker"), Access::Public),
            (paths::oidc_back("idporten"), Access::Public),
            (paths::REGISTER.to_owned(), Access::Public),
            (paths::FORGOT.to_owned(), Access::Public),
            (paths::verify("t"), Access::Public),
            (paths::new_email("t"), Access::Public),
            (paths::reset("t"), Access::Public),
            (paths::MY_CASES.to_owned(), Access::Citizen(Low)),
            (paths::ACCOUNT.to_owned(), Access::Citizen(Low)),
            (paths::case(&r), Access::Citizen(Low)),
        ];
        let posts = [
            (paths::start(&f), Access::Form),
            (paths::step(&f, 2), Access::Form),
            (paths::send(&f), Access::Form),
            (paths::receipt_email(&f, &r), Access::Public),
            (paths::receipt_confirm(&f, &r), Access::Public),
            (paths::LANGUAGE.to_owned(), Access::Public),
            (paths::LOGIN.to_owned(), Access::Public),
            (paths::LOGOUT.to_owned(), Access::Public),
            (paths::oidc_start("idporten"), Access::Public),
            (paths::REGISTER.to_owned(), Access::Public),
            (paths::FORGOT.to_owned(), Access::Public),
            (paths::reset("t"), Access::Public),
            (paths::ACCOUNT_PASSWORD.to_owned(), Access::Citizen(Low)),
            (paths::ACCOUNT_EMAIL.to_owned(), Access::Citizen(Low)),
            (paths::ACCOUNT_PROFILE.to_owned(), Access::Citizen(Low)),
            (paths::case_copy(&r), Access::Citizen(Low)),
            (paths::ACCOUNT_DELETE.to_owned(), Access::Citizen(Low)),
            (
                paths::draft_delete(&crate::ids::DraftId::generate().unwrap()),
                Access::Citizen(Low),
            ),
            (paths::draft_attach(&f), Access::Citizen(Low)),
        ];
        for (method, list) in [(Method::GET, &gets[..]), (Method::POST, &posts[..])] {
            for (p, access) in list {
                match find(ROUTES, &method, p.split('?').next().unwrap_or(p)) {
                    Match::Found { route, .. } => assert_eq!(route.access, *access, "{p}"),
                    other => panic!("{method} {p}: {other:?}"),
                }
            }
        }
    }

    /// Every route that carries a form's answers is guarded by the form's own login rule.
    #[test]
    fn form_routes_use_the_forms_access() {
        for r in ROUTES {
            let in_form = r.pattern.starts_with("/skjema/{form}/")
                && !r.pattern.contains("kvittering")
                && !r.pattern.ends_with("blankett.pdf");
            assert_eq!(in_form, r.access == Access::Form, "{}", r.pattern);
        }
    }
}
