//! The route table's shape and its matching. The table itself lives with the handlers (`web/routes.rs`)
//! and is handed to the pipeline as a [`Site`], so this module names no handler.
//!
//! Every route states who may call it ([`Access`]) and what of it is audited ([`Audit`]); the pipeline
//! enforces access before the handler runs ([`crate::http::handle`]). Both are required fields of
//! [`Route`] and of its constructors, so a route without them does not compile.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;

use hyper::Method;

use super::Resp;
use super::error::WebError;
use super::request::Ctx;
use crate::forms::LoginLevel;
use crate::state::State;

/// Where a route answers, and its label in metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteClass {
    /// On a tenant's host: pages and form posts.
    Public,
    /// On a tenant's host: embedded static assets.
    Static,
    /// Health and metrics: answered on any host name, without a tenant.
    System,
}

impl RouteClass {
    pub fn label(self) -> &'static str {
        match self {
            RouteClass::Public => "public",
            RouteClass::Static => "static",
            RouteClass::System => "system",
        }
    }
}

/// A member of staff's role within a tenant (the staff issue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Caseworker,
    TenantAdmin,
}

/// What an API client may do (the integration API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    ReadSubmissions,
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// Whoever the form in the `{form}` parameter admits: anyone for `login = "none"` or `"optional"`; a
    /// citizen logged in at the form's level for `"required"`.
    Form,
    /// A logged-in citizen at this level or higher.
    Citizen(LoginLevel),
    /// Staff of the request's tenant with this role (refused until the staff UI exists).
    Staff(Role),
    /// The instance's super-administrator (refused until it exists).
    SuperAdmin,
    /// An API client with this scope (refused until the API exists).
    Api(Scope),
}

/// What the audit log records of a route's use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audit {
    /// Nothing: citizens' own pages and public pages.
    None,
    /// Every read of someone else's data (staff reading a case).
    Reads,
    /// Every change (staff changing a case or a setting).
    Writes,
}

/// How much body a route accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLimit {
    None,
    /// `limits.max_form_bytes` from the config.
    Form,
    /// A form that may also carry files: urlencoded as [`BodyLimit::Form`], or `multipart/form-data`
    /// handed to the handler as a stream (limits from the form and `limits.max_upload_mb`).
    Upload,
}

/// The path parameters of a matched route, by the names in its pattern.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Params<'p>(Vec<(&'static str, &'p str)>);

impl<'p> Params<'p> {
    pub fn get(&self, name: &str) -> Option<&'p str> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

/// What the pipeline hands a page handler: the context, the path parameters, and the verified form
/// fields (or, on upload routes, the unread multipart body).
pub struct Request<'a> {
    pub ctx: &'a Ctx<'a>,
    pub params: &'a Params<'a>,
    pub form: &'a [(String, String)],
    /// A `multipart/form-data` body not read yet (upload routes only); the handler takes it.
    pub body: Option<&'a BodySlot>,
}

/// A request body handed to the handler unread.
pub type BodySlot = std::sync::Mutex<Option<(hyper::HeaderMap, hyper::body::Incoming)>>;

pub type Reply<'a> = Pin<Box<dyn Future<Output = Result<Resp, WebError>> + Send + 'a>>;
/// A page handler (on a tenant's host).
pub type PageFn = for<'a> fn(&'a Request<'a>) -> Reply<'a>;
/// A system handler (any host, no tenant).
pub type SystemFn = fn(&State, SocketAddr) -> Resp;

#[derive(Clone, Copy)]
pub enum Handler {
    Page(PageFn),
    System(SystemFn),
}

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Handler::Page(_) => "Page",
            Handler::System(_) => "System",
        })
    }
}

#[derive(Debug)]
pub struct Route {
    pub method: Method,
    pub pattern: &'static str,
    pub class: RouteClass,
    pub access: Access,
    pub audit: Audit,
    pub handler: Handler,
    pub body: BodyLimit,
}

impl Route {
    pub const fn get(
        pattern: &'static str,
        class: RouteClass,
        access: Access,
        audit: Audit,
        handler: Handler,
    ) -> Route {
        Route {
            method: Method::GET,
            pattern,
            class,
            access,
            audit,
            handler,
            body: BodyLimit::None,
        }
    }

    pub const fn post(
        pattern: &'static str,
        access: Access,
        audit: Audit,
        body: BodyLimit,
        handler: PageFn,
    ) -> Route {
        Route {
            method: Method::POST,
            pattern,
            class: RouteClass::Public,
            access,
            audit,
            handler: Handler::Page(handler),
            body,
        }
    }
}

/// What the handlers give the pipeline: the route table and the error page.
pub struct Site {
    pub routes: &'static [Route],
    pub error_page: fn(&Ctx<'_>, &WebError) -> Resp,
}

/// The outcome of matching a request path.
#[derive(Debug)]
pub enum Match<'r, 'p> {
    Found {
        route: &'r Route,
        params: Params<'p>,
    },
    /// The path exists but not for this method; the value lists the allowed methods.
    WrongMethod(String),
    NotFound,
}

fn match_pattern<'p>(pattern: &'static str, path: &'p str) -> Option<Params<'p>> {
    let mut params = vec![];
    let mut pat = pattern.split('/');
    let mut segs = path.split('/');
    loop {
        match (pat.next(), segs.next()) {
            (None, None) => return Some(Params(params)),
            (Some(p), Some(s)) if p.starts_with('{') && p.ends_with('}') => {
                if s.is_empty() {
                    return None;
                }
                let name = p.get(1..p.len() - 1).unwrap_or("");
                params.push((name, s));
            }
            (Some(p), Some(s)) if p == s => {}
            _ => return None,
        }
    }
}

pub fn find<'r, 'p>(routes: &'r [Route], method: &Method, path: &'p str) -> Match<'r, 'p> {
    let mut allowed: Vec<&str> = vec![];
    for route in routes {
        if let Some(params) = match_pattern(route.pattern, path) {
            if route.method == method || (method == Method::HEAD && route.method == Method::GET) {
                return Match::Found { route, params };
            }
            allowed.push(route.method.as_str());
        }
    }
    if allowed.is_empty() {
        Match::NotFound
    } else {
        if allowed.contains(&"GET") {
            allowed.push("HEAD");
        }
        Match::WrongMethod(allowed.join(", "))
    }
}

/// Whether the caller may use the route; decided before the handler runs. `form` is the login
/// requirement and level of the form named by the route's `{form}` parameter, when it names one the
/// tenant offers; `have` the session's login, read when the route or the form needs one; `offered`
/// the highest level this installation can log a citizen in at (a level above it is unavailable, not a
/// login to ask for).
pub fn check_access(
    access: Access,
    form: Option<(crate::forms::LoginRequirement, Option<LoginLevel>)>,
    have: Option<&crate::auth::LoginState>,
    offered: Option<LoginLevel>,
) -> Result<(), WebError> {
    use crate::forms::LoginRequirement;
    let need = |level: LoginLevel| -> Result<(), WebError> {
        if offered.is_none_or(|o| o < level) {
            return Err(WebError::LoginUnavailable);
        }
        match have {
            Some(crate::auth::LoginState::Valid(c)) if c.login.level >= level => Ok(()),
            Some(crate::auth::LoginState::Valid(c)) => Err(WebError::StepUp {
                needed: level,
                have: c.login.level,
            }),
            Some(crate::auth::LoginState::Ended) => Err(WebError::LoginNeeded {
                level,
                ended: true,
                resend: None,
            }),
            _ => Err(WebError::LoginNeeded {
                level,
                ended: false,
                resend: None,
            }),
        }
    };
    match access {
        Access::Public => Ok(()),
        // An unknown form is the handler's 404.
        Access::Form => match form {
            Some((LoginRequirement::Required, level)) => need(level.unwrap_or(LoginLevel::Low)),
            _ => Ok(()),
        },
        Access::Citizen(level) => need(level),
        Access::Staff(_) | Access::SuperAdmin | Access::Api(_) => Err(WebError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page<'a>(_: &'a Request<'a>) -> Reply<'a> {
        Box::pin(std::future::ready(Err(WebError::NotFound)))
    }

    static TABLE: &[Route] = &[
        Route::get(
            "/",
            RouteClass::Public,
            Access::Public,
            Audit::None,
            Handler::Page(page),
        ),
        Route::get(
            "/skjema/{form}",
            RouteClass::Public,
            Access::Public,
            Audit::None,
            Handler::Page(page),
        ),
        Route::get(
            "/skjema/{form}/steg/{n}",
            RouteClass::Public,
            Access::Form,
            Audit::None,
            Handler::Page(page),
        ),
        Route::post("/sprak", Access::Public, Audit::None, BodyLimit::Form, page),
    ];

    #[test]
    fn matches_and_names_parameters() {
        let m = find(TABLE, &Method::GET, "/skjema/kontaktskjema");
        assert!(
            matches!(m, Match::Found { params, .. } if params.get("form") == Some("kontaktskjema"))
        );
        let Match::Found { params, .. } = find(TABLE, &Method::GET, "/skjema/kontaktskjema/steg/2")
        else {
            panic!("no match");
        };
        assert_eq!(params.get("form"), Some("kontaktskjema"));
        assert_eq!(params.get("n"), Some("2"));
        assert_eq!(params.get("reference"), None);
        assert!(matches!(
            find(TABLE, &Method::GET, "/skjema/"),
            Match::NotFound
        ));
        assert!(matches!(
            find(TABLE, &Method::GET, "/skjema/a/b"),
            Match::NotFound
        ));
        assert!(
            matches!(find(TABLE, &Method::DELETE, "/"), Match::WrongMethod(a) if a == "GET, HEAD")
        );
        assert!(
            matches!(find(TABLE, &Method::GET, "/sprak"), Match::WrongMethod(a) if a == "POST")
        );
        assert!(matches!(
            find(TABLE, &Method::HEAD, "/"),
            Match::Found { .. }
        ));
    }

    #[test]
    fn access_follows_the_login_and_its_level() {
        use crate::auth::LoginState;
        use crate::forms::LoginRequirement as L;
        let valid = |level| {
            LoginState::Valid(Box::new(crate::auth::Current {
                login: crate::auth::records::Login {
                    tenant: crate::ids::TenantId::parse("t").unwrap(),
                    account: crate::ids::AccountId::generate().unwrap(),
                    level,
                    generation: 0,
                    provider: None,
                    id_token: None,
                    at: 0,
                    seen: 0,
                },
                account: serde_json::from_value(serde_json::json!({
                    "id": crate::ids::AccountId::generate().unwrap(), "tenant": "t",
                    "email": "a@b.no", "password": "", "created": 0, "verified": 0,
                    "last_login": null, "previous_login": null, "login_generation": 0, "lang": "nb"
                }))
                .unwrap(),
                idle_ends: 0,
                touch: false,
            }))
        };
        let low = valid(LoginLevel::Low);
        let high = valid(LoginLevel::High);
        assert!(check_access(Access::Public, None, None, Some(LoginLevel::High)).is_ok());
        assert!(
            check_access(
                Access::Form,
                Some((L::None, None)),
                None,
                Some(LoginLevel::High)
            )
            .is_ok()
        );
        assert!(
            check_access(
                Access::Form,
                Some((L::Optional, None)),
                None,
                Some(LoginLevel::High)
            )
            .is_ok()
        );
        assert!(
            check_access(Access::Form, None, None, Some(LoginLevel::High)).is_ok(),
            "unknown form: the handler's 404"
        );
        let required = Some((L::Required, Some(LoginLevel::Substantial)));
        assert!(matches!(
            check_access(Access::Form, required, Some(&low), Some(LoginLevel::Low)),
            Err(WebError::LoginUnavailable)
        ));
        assert!(matches!(
            check_access(
                Access::Form,
                required,
                Some(&LoginState::None),
                Some(LoginLevel::High)
            ),
            Err(WebError::LoginNeeded { ended: false, .. })
        ));
        assert!(matches!(
            check_access(
                Access::Form,
                required,
                Some(&LoginState::Ended),
                Some(LoginLevel::High)
            ),
            Err(WebError::LoginNeeded { ended: true, .. })
        ));
        assert!(matches!(
            check_access(Access::Form, required, Some(&low), Some(LoginLevel::High)),
            Err(WebError::StepUp {
                needed: LoginLevel::Substantial,
                have: LoginLevel::Low
            })
        ));
        assert!(check_access(Access::Form, required, Some(&high), Some(LoginLevel::High)).is_ok());
        assert!(
            check_access(
                Access::Citizen(LoginLevel::Low),
                None,
                Some(&low),
                Some(LoginLevel::High)
            )
            .is_ok()
        );
        assert!(matches!(
            check_access(Access::Citizen(LoginLevel::Low), None, Some(&low), None),
            Err(WebError::LoginUnavailable)
        ));
        for a in [
            Access::Staff(Role::Caseworker),
            Access::Staff(Role::TenantAdmin),
            Access::SuperAdmin,
            Access::Api(Scope::ReadSubmissions),
        ] {
            assert!(
                matches!(
                    check_access(a, None, Some(&high), Some(LoginLevel::High)),
                    Err(WebError::Forbidden)
                ),
                "{a:?}"
            );
        }
    }
}
