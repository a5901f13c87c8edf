//! Errors a handler or the request pipeline can end in. Each knows its status and the catalogue keys of
//! the page the user sees; internal details go to the log with the request id, never to the page.

use hyper::StatusCode;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not found")]
    NotFound,
    #[error("method not allowed (allowed: {0})")]
    MethodNotAllowed(String),
    #[error("request body not received in time")]
    Timeout,
    #[error("request body larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("unsupported content type")]
    UnsupportedMediaType,
    #[error("request headers too large")]
    HeadersTooLarge,
    /// A missing or wrong CSRF token. Keeps what the user sent so the page can offer to send it again.
    #[error("CSRF token missing or wrong")]
    Csrf {
        action: String,
        fields: Vec<(String, String)>,
    },
    #[error("shutting down")]
    Unavailable,
    /// The form needs a login this installation cannot offer yet.
    #[error("login required, and no login is available")]
    LoginUnavailable,
    /// The route needs a citizen logged in at `level` (or the form does). `ended`: a login this session
    /// had has ended (a timeout). `resend`: what a refused POST carried, to send again after the login.
    #[error("login at {level:?} required")]
    LoginNeeded {
        level: crate::forms::LoginLevel,
        ended: bool,
        resend: Option<(String, Vec<(String, String)>)>,
    },
    /// Logged in, but below the level the form needs.
    #[error("a login at {needed:?} is needed, the session has {have:?}")]
    StepUp {
        needed: crate::forms::LoginLevel,
        have: crate::forms::LoginLevel,
    },
    /// The route is for a kind of caller this request is not (staff, super-admin, API).
    #[error("access refused")]
    Forbidden,
    /// Over a budget (src/budgets.rs): nothing was written; try again after `retry_after` seconds.
    #[error("over the {scope} budget of {spend:?}")]
    TooMany {
        spend: crate::budgets::Spend,
        scope: &'static str,
        retry_after: u64,
    },
    /// The data disk is full (or the store cannot write): nothing was acknowledged.
    #[error("storage full: {0}")]
    StorageFull(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            WebError::Timeout => StatusCode::REQUEST_TIMEOUT,
            WebError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            WebError::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            WebError::Csrf { .. } => StatusCode::FORBIDDEN,
            WebError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            WebError::LoginUnavailable | WebError::Forbidden | WebError::StepUp { .. } => {
                StatusCode::FORBIDDEN
            }
            WebError::LoginNeeded { .. } => StatusCode::UNAUTHORIZED,
            WebError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            WebError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Catalogue keys of the page's heading and text.
    pub fn keys(&self) -> (&'static str, &'static str) {
        match self {
            WebError::BadRequest(_) => ("error-400-title", "error-400-body"),
            WebError::NotFound => ("error-404-title", "error-404-body"),
            WebError::MethodNotAllowed(_) => ("error-405-title", "error-405-body"),
            WebError::Timeout => ("error-408-title", "error-408-body"),
            WebError::TooLarge { .. } => ("error-413-title", "error-413-body"),
            WebError::UnsupportedMediaType => ("error-415-title", "error-415-body"),
            WebError::HeadersTooLarge => ("error-431-title", "error-431-body"),
            WebError::Csrf { .. } => ("error-403-title", "error-403-body"),
            WebError::Unavailable => ("error-503-title", "error-503-body"),
            WebError::LoginUnavailable => ("error-403-login-title", "error-403-login-body"),
            WebError::LoginNeeded { .. } => ("login-title", "login-needed"),
            WebError::StepUp { .. } => ("stepup-title", "stepup-none-here"),
            WebError::Forbidden => ("error-403-access-title", "error-403-access-body"),
            WebError::StorageFull(_) => ("error-507-title", "error-507-body"),
            WebError::TooMany { .. } => ("error-429-title", "error-429-body"),
            WebError::Internal(_) => ("error-500-title", "error-500-body"),
        }
    }
}

impl From<crate::budgets::Exceeded> for WebError {
    fn from(e: crate::budgets::Exceeded) -> Self {
        WebError::TooMany {
            spend: e.spend,
            scope: e.scope,
            retry_after: e.retry_after_secs,
        }
    }
}

/// Whether an error text says the disk is full: ENOSPC, EFBIG (a file-size limit), EDQUOT — or redb's
/// refusal to write after such an error.
pub fn is_storage_full(text: &str) -> bool {
    [
        "(os error 28)",
        "(os error 27)",
        "(os error 122)",
        "revious I/O error",
    ]
    .iter()
    .any(|m| text.contains(m))
}

impl From<crate::store::StoreError> for WebError {
    fn from(e: crate::store::StoreError) -> Self {
        let text = e.to_string();
        if is_storage_full(&text) {
            WebError::StorageFull(text)
        } else {
            WebError::Internal(text)
        }
    }
}
