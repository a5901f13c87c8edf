//! THE route table. Every route has a method, a path pattern, a class (who may call it, and the label in
//! metrics) and a body limit. The hostile-HTTP test walks this table.

use hyper::Method;

/// Who may call a route. Later classes (citizen with a login level, staff, admin) slot in here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteClass {
    /// Anyone, on a tenant's host.
    Public,
    /// Embedded static assets of a tenant.
    Static,
    /// Health and metrics: answered on any host name.
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

/// What handles a matched route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handler {
    Portal,
    Search,
    FormLanding,
    FormStart,
    StepGet,
    StepPost,
    Control,
    CheckAnswers,
    Submit,
    Receipt,
    ReceiptPdf,
    ReceiptEmail,
    BlankPdf,
    Language,
    Static,
    Healthz,
    Metrics,
    Robots,
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

#[derive(Debug)]
pub struct Route {
    pub method: Method,
    pub pattern: &'static str,
    pub class: RouteClass,
    pub handler: Handler,
    pub body: BodyLimit,
}

const fn get(pattern: &'static str, class: RouteClass, handler: Handler) -> Route {
    Route {
        method: Method::GET,
        pattern,
        class,
        handler,
        body: BodyLimit::None,
    }
}

const fn post(pattern: &'static str, handler: Handler) -> Route {
    Route {
        method: Method::POST,
        pattern,
        class: RouteClass::Public,
        handler,
        body: BodyLimit::Form,
    }
}

const fn upload(pattern: &'static str, handler: Handler) -> Route {
    Route {
        method: Method::POST,
        pattern,
        class: RouteClass::Public,
        handler,
        body: BodyLimit::Upload,
    }
}

pub static ROUTES: &[Route] = &[
    get("/", RouteClass::Public, Handler::Portal),
    get("/sok", RouteClass::Public, Handler::Search),
    get("/skjema/{form}", RouteClass::Public, Handler::FormLanding),
    post("/skjema/{form}/start", Handler::FormStart),
    get(
        "/skjema/{form}/steg/{n}",
        RouteClass::Public,
        Handler::StepGet,
    ),
    upload("/skjema/{form}/steg/{n}", Handler::StepPost),
    get(
        "/skjema/{form}/kontroll",
        RouteClass::Public,
        Handler::Control,
    ),
    get(
        "/skjema/{form}/oppsummering",
        RouteClass::Public,
        Handler::CheckAnswers,
    ),
    post("/skjema/{form}/send", Handler::Submit),
    get(
        "/skjema/{form}/kvittering/{reference}",
        RouteClass::Public,
        Handler::Receipt,
    ),
    get(
        "/skjema/{form}/kvittering/{reference}/pdf",
        RouteClass::Public,
        Handler::ReceiptPdf,
    ),
    post(
        "/skjema/{form}/kvittering/{reference}/epost",
        Handler::ReceiptEmail,
    ),
    get(
        "/skjema/{form}/blankett.pdf",
        RouteClass::Public,
        Handler::BlankPdf,
    ),
    post("/sprak", Handler::Language),
    get("/static/{file}", RouteClass::Static, Handler::Static),
    get("/robots.txt", RouteClass::Static, Handler::Robots),
    get("/healthz", RouteClass::System, Handler::Healthz),
    get("/metrics", RouteClass::System, Handler::Metrics),
];

/// The outcome of matching a request path.
#[derive(Debug)]
pub enum Match<'r, 'p> {
    Found {
        route: &'r Route,
        params: Vec<&'p str>,
    },
    /// The path exists but not for this method; the value lists the allowed methods.
    WrongMethod(String),
    NotFound,
}

fn match_pattern<'p>(pattern: &str, path: &'p str) -> Option<Vec<&'p str>> {
    let mut param = vec![];
    let mut pat = pattern.split('/');
    let mut segs = path.split('/');
    loop {
        match (pat.next(), segs.next()) {
            (None, None) => return Some(param),
            (Some(p), Some(s)) if p.starts_with('{') => {
                if s.is_empty() {
                    return None;
                }
                param.push(s);
            }
            (Some(p), Some(s)) if p == s => {}
            _ => return None,
        }
    }
}

pub fn find<'p>(method: &Method, path: &'p str) -> Match<'static, 'p> {
    let mut allowed: Vec<&str> = vec![];
    for route in ROUTES {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches() {
        let m = find(&Method::GET, "/skjema/kontaktskjema");
        assert!(matches!(m, Match::Found { params, .. } if params == vec!["kontaktskjema"]));
        let m = find(&Method::GET, "/skjema/kontaktskjema/steg/2");
        assert!(matches!(m, Match::Found { params, .. } if params == vec!["kontaktskjema", "2"]));
        assert!(matches!(find(&Method::GET, "/skjema/"), Match::NotFound));
        assert!(matches!(find(&Method::GET, "/skjema/a/b"), Match::NotFound));
        assert!(matches!(find(&Method::DELETE, "/"), Match::WrongMethod(a) if a == "GET, HEAD"));
        assert!(matches!(find(&Method::GET, "/sprak"), Match::WrongMethod(a) if a == "POST"));
        assert!(matches!(find(&Method::HEAD, "/"), Match::Found { .. }));
    }
}
