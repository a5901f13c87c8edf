//! THE route table: every route's method, path, who may call it, what is audited, its body limit and its
//! handler. Handed to the pipeline as [`SITE`]; the hostile-HTTP test walks it.

use crate::http::router::{Access, Audit, BodyLimit, Handler, PageFn, Route, RouteClass, Site};

use super::{assets, form_run, language, portal, system};

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

use Access::{Form, Public};
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
        ];
        let posts = [
            (paths::start(&f), Access::Form),
            (paths::step(&f, 2), Access::Form),
            (paths::send(&f), Access::Form),
            (paths::receipt_email(&f, &r), Access::Public),
            (paths::receipt_confirm(&f, &r), Access::Public),
            (paths::LANGUAGE.to_owned(), Access::Public),
        ];
        for (method, list) in [(Method::GET, &gets[..]), (Method::POST, &posts[..])] {
            for (p, access) in list {
                match find(ROUTES, &method, p) {
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
