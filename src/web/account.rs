//! Citizens' accounts: log in and out, register, verify an address, forgotten password, and the account's
//! settings (password, address, deletion). What happens is the account layer's ([`crate::auth`]); these
//! handlers read the request and render.
//!
//! No page tells whether an address has an account: registering, asking for a new password and a
//! failed login answer the same, at once (mails go out in the background), for known and unknown
//! addresses alike.

use hyper::StatusCode;

use super::{Read as _, Request, frame};
use crate::auth::{self, Refused, Registration, password};
use crate::delivery::email::Mail;
use crate::http::Resp;
use crate::http::error::WebError;
use crate::http::request::{Ctx, safe_return_path};
use crate::http::response::{html, see_other};
use crate::i18n::Loc;
use crate::ids::SessionId;
use crate::paths;
use crate::views::account::{
    self as v, AccountView, FormView, Input, Kept, LoginView, MessageView, RegisterView,
};

/// `https://<host>[:port]` of this tenant, for links in mails: the host the request came to when it is
/// one of the tenant's own (never a name a client made up), else the tenant's first.
pub(super) fn origin(ctx: &Ctx<'_>, request_host: Option<&str>) -> String {
    let hosts = &ctx.tenant.config.hosts;
    let host = request_host
        .filter(|h| hosts.iter().any(|x| x == h))
        .or_else(|| hosts.first().map(String::as_str))
        .unwrap_or("localhost");
    paths::origin(host, ctx.state.https_port)
}

/// An account mail: `key` names its `<key>-subject` and `<key>-body` texts.
fn mail(
    ctx: &Ctx<'_>,
    loc: Loc<'_>,
    to: &str,
    key: (&'static str, &'static str),
    link: Option<String>,
) -> Mail {
    let mut args: Vec<(&str, fluent_bundle::FluentValue<'_>)> = vec![
        ("municipality", ctx.tenant.config.name.clone().into()),
        ("address", to.to_owned().into()),
    ];
    let o = origin(ctx, None);
    args.push((
        "link",
        link.map_or_else(|| format!("{o}{}", paths::LOGIN), |l| format!("{o}{l}"))
            .into(),
    ));
    args.push(("forgot", format!("{o}{}", paths::FORGOT).into()));
    let id = SessionId::generate().map_or_else(|_| "x".into(), |s| s.as_str().to_owned());
    Mail {
        to: to.to_owned(),
        subject: loc.tf(key.0, &args),
        text: loc.tf(key.1, &args),
        attachments: vec![],
        message_id: format!("<account.{id}@radhus>"),
    }
}

fn send(ctx: &Ctx<'_>, m: Mail) {
    auth::send_in_background(ctx.state.config.smtp.clone(), m);
}

fn page(
    ctx: &Ctx<'_>,
    status: StatusCode,
    render: impl FnOnce(&crate::views::Frame<'_>) -> maud::Markup,
) -> Resp {
    let csrf = ctx.csrf_token();
    let here = ctx.here();
    let f = frame(ctx, &csrf, &here);
    html(status, render(&f).into_string())
}

fn message(
    ctx: &Ctx<'_>,
    title: &str,
    paragraphs: Vec<String>,
    links: Vec<(&str, String)>,
    confirmation: bool,
) -> Resp {
    page(ctx, StatusCode::OK, |f| {
        v::message(
            f,
            &MessageView {
                title,
                paragraphs,
                links,
                confirmation,
            },
        )
    })
}

/// A page that says what happened, with links on (not a confirmation).
pub(super) fn message_page(
    ctx: &Ctx<'_>,
    title: &str,
    paragraphs: Vec<String>,
    links: Vec<(&str, String)>,
) -> Resp {
    message(ctx, title, paragraphs, links, false)
}

/// The login buttons of the tenant's providers that reach `level` (all of them for `None`).
fn provider_buttons<'c>(
    ctx: &'c Ctx<'_>,
    level: Option<crate::forms::LoginLevel>,
) -> Vec<v::ProviderButton<'c>> {
    ctx.state
        .providers(ctx.tenant)
        .filter(|p| level.is_none_or(|l| p.acr_for(l).is_some()))
        .map(|p| v::ProviderButton {
            title: &p.title,
            action: paths::oidc_start(&p.name),
            level: match level {
                Some(crate::forms::LoginLevel::Substantial) => Some("substantial"),
                Some(crate::forms::LoginLevel::High) => Some("high"),
                _ => None,
            },
        })
        .collect()
}

fn level_name(loc: Loc<'_>, l: crate::forms::LoginLevel) -> &str {
    loc.t(match l {
        crate::forms::LoginLevel::Low => "level-low",
        crate::forms::LoginLevel::Substantial => "level-substantial",
        crate::forms::LoginLevel::High => "level-high",
    })
}

/// The page for a login below the level a form needs, with the providers' buttons that reach it.
pub(super) fn step_up_page(
    ctx: &Ctx<'_>,
    needed: crate::forms::LoginLevel,
    have: Option<crate::forms::LoginLevel>,
    back: &str,
) -> Resp {
    let loc = ctx.loc();
    let providers = provider_buttons(ctx, Some(needed));
    let have = have.map_or_else(|| loc.t("level-unknown"), |h| level_name(loc, h));
    page(ctx, StatusCode::FORBIDDEN, |f| {
        v::step_up(
            f,
            &v::StepUpView {
                needed: level_name(loc, needed),
                have,
                back_to: back,
                providers,
            },
        )
    })
}

fn email_input<'a>(loc: Loc<'a>, value: &'a str, error: Option<String>) -> Input<'a> {
    Input {
        name: "epost",
        label: loc.t("account-email-label"),
        kind: "email",
        value,
        autocomplete: "email",
        hint: None,
        error,
    }
}

fn password_input<'a>(
    loc: Loc<'a>,
    name: &'a str,
    label_key: &'static str,
    new: bool,
    hint: Option<String>,
    error: Option<String>,
) -> Input<'a> {
    Input {
        name,
        label: loc.t(label_key),
        kind: "password",
        value: "",
        autocomplete: if new {
            "new-password"
        } else {
            "current-password"
        },
        hint,
        error,
    }
}

fn new_password_hint(ctx: &Ctx<'_>) -> String {
    ctx.loc().tf(
        "password-hint",
        &[("min", ctx.state.config.accounts.min_password_length.into())],
    )
}

fn weak_text(ctx: &Ctx<'_>, w: password::Weak) -> String {
    match w {
        password::Weak::TooShort { min } => ctx.loc().tf(w.key(), &[("min", min.into())]),
        _ => ctx.loc().t(w.key()).to_owned(),
    }
}

/// Why a new password is refused, if it is.
fn check_new_password(ctx: &Ctx<'_>, pass: &str, email: &str) -> Option<String> {
    let name = email.split('@').next().unwrap_or("");
    password::check_new(
        pass,
        ctx.state.config.accounts.min_password_length,
        &[name, &ctx.tenant.config.name, ctx.tenant.config.id.as_str()],
    )
    .err()
    .map(|w| weak_text(ctx, w))
}

fn accounts_on(ctx: &Ctx<'_>) -> Result<(), WebError> {
    if ctx.state.config.accounts.enabled {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

/// The login page as the pipeline shows it when a page needs a login: a GET is sent to the login page
/// (and back after it); a POST gets the login page at once, carrying what it sent.
pub fn login_needed(ctx: &Ctx<'_>, e: &WebError) -> Resp {
    let WebError::LoginNeeded { ended, resend, .. } = e else {
        return see_other(paths::LOGIN);
    };
    let loc = ctx.loc();
    let notice = if *ended {
        loc.t("login-ended")
    } else {
        loc.t("login-needed")
    };
    let kept_fields = resend.as_ref().map(|(action, fields)| {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, val) in fields {
            ser.append_pair(k, val);
        }
        (action.clone(), ser.finish())
    });
    let back = match &kept_fields {
        Some((action, _)) => action.clone(),
        None => ctx.here(),
    };
    let level = match e {
        WebError::LoginNeeded { level, .. } => *level,
        _ => crate::forms::LoginLevel::Low,
    };
    if kept_fields.is_none() && !*ended {
        return see_other(&paths::login_for(&back, level));
    }
    let mut r = login_form(
        ctx,
        "",
        Some(&back),
        Some(notice.to_owned()),
        None,
        kept_fields.as_ref().map(|(a, f)| (a.as_str(), f.as_str())),
        level,
    );
    *r.status_mut() = StatusCode::UNAUTHORIZED;
    r
}

/// A form that needs a higher level than the login has.
pub fn step_up(ctx: &Ctx<'_>, e: &WebError) -> Resp {
    let WebError::StepUp { needed, have } = e else {
        return see_other(paths::LOGIN);
    };
    // Back to the same page after the new login (a GET; a POST's page is its form's step).
    let back = if ctx.path.ends_with("/start") || ctx.path.ends_with("/send") {
        ctx.path
            .rsplit_once('/')
            .map_or(paths::PORTAL.to_owned(), |(p, _)| p.to_owned())
    } else {
        ctx.here()
    };
    step_up_page(ctx, *needed, Some(*have), &back)
}

fn login_form(
    ctx: &Ctx<'_>,
    email: &str,
    back: Option<&str>,
    notice: Option<String>,
    error: Option<String>,
    kept: Option<(&str, &str)>,
    level: crate::forms::LoginLevel,
) -> Resp {
    let loc = ctx.loc();
    let providers = provider_buttons(
        ctx,
        (level > crate::forms::LoginLevel::Low).then_some(level),
    );
    let password_form = level == crate::forms::LoginLevel::Low && ctx.state.config.accounts.enabled;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page(ctx, status, |f| {
        v::login(
            f,
            &LoginView {
                providers,
                password_form,
                email: email_input(loc, email, None),
                password: password_input(
                    loc,
                    "passord",
                    "account-password-label",
                    false,
                    None,
                    None,
                ),
                back_to: back,
                notice,
                general_error: error,
                kept: kept.map(|(action, fields)| Kept { action, fields }),
                can_register: ctx.state.can_send_mail(),
            },
        )
    })
}

/// GET /logg-inn
pub fn login_page(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    accounts_on(ctx)?;
    let back = ctx.query_param("til");
    let back = back.as_deref().and_then(safe_return_path);
    if ctx.login().current().is_some() {
        return Ok(see_other(back.unwrap_or(paths::MY_CASES)));
    }
    let loc = ctx.loc();
    let level = super::oidc::parse_level(ctx.query_param("niva").as_deref())
        .unwrap_or(crate::forms::LoginLevel::Low);
    let notice = if ctx.query_param("utlogget").is_some() {
        Some(loc.t("logout-done").to_owned())
    } else if back.is_some() {
        Some(loc.t("login-needed").to_owned())
    } else {
        None
    };
    Ok(login_form(ctx, "", back, notice, None, None, level))
}

/// POST /logg-inn
pub async fn login(r: &Request<'_>) -> Result<Resp, WebError> {
    use crate::forms::LoginLevel::Low;
    let ctx = r.ctx;
    accounts_on(ctx)?;
    let loc = ctx.loc();
    let typed = r.field("epost").unwrap_or("").trim();
    let pass = r.field("passord").unwrap_or("");
    let back = r.field("til").and_then(safe_return_path);
    let kept = match (
        r.field("bevart-til").and_then(safe_return_path),
        r.field("bevart"),
    ) {
        (Some(a), Some(f)) => Some((a, f)),
        _ => None,
    };
    let wrong = || loc.t("login-wrong").to_owned();
    let Ok(email) = auth::normalise_email(typed) else {
        return Ok(login_form(ctx, typed, back, None, Some(wrong()), kept, Low));
    };
    if pass.is_empty() || pass.chars().count() > password::MAX_LENGTH {
        return Ok(login_form(ctx, typed, back, None, Some(wrong()), kept, Low));
    }
    let state = ctx.state;
    let to = SessionId::generate().map_err(|e| WebError::Internal(e.to_string()))?;
    let now = state.clock.unix();
    let outcome = auth::log_in(
        &state.store,
        &state.limiter,
        &ctx.tenant.config.id,
        &email,
        pass,
        ctx.client_ip,
        (&ctx.session, &to),
        now,
    )
    .await?;
    let error = match outcome {
        Ok(_) => None,
        Err(Refused::Wrong) => Some(wrong()),
        Err(Refused::Unverified) => Some(loc.t("login-unverified").to_owned()),
        Err(Refused::TooMany(secs)) => {
            Some(loc.tf("login-too-many", &[("minutes", ((secs + 59) / 60).into())]))
        }
    };
    if let Some(e) = error {
        let mut resp = login_form(ctx, typed, back, None, Some(e.clone()), kept, Low);
        if e == loc.t("login-wrong") {
            *resp.status_mut() = StatusCode::UNAUTHORIZED;
        } else if matches!(outcome, Err(Refused::TooMany(_))) {
            *resp.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        }
        return Ok(resp);
    }
    ctx.move_session(to.clone());
    tracing::info!(request_id = %ctx.request_id, "a citizen logged in with a password");
    if let Some((action, fields)) = kept {
        return Ok(resend_page(ctx, &to, action, fields));
    }
    Ok(see_other(back.unwrap_or(paths::MY_CASES)))
}

/// What a refused POST carried (url-encoded), ready to send again under the new session's token.
pub(super) fn resend_page(ctx: &Ctx<'_>, to: &SessionId, action: &str, fields: &str) -> Resp {
    let fields: Vec<(String, String)> = form_urlencoded::parse(fields.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .filter(|(k, _)| k != crate::http::csrf::FIELD)
        .collect();
    let csrf = crate::http::csrf::token(&ctx.state.site_key, to);
    let here = ctx.here();
    let f = frame(ctx, &csrf, &here);
    html(
        StatusCode::OK,
        crate::views::errors::resend_after_login(&f, action, &fields).into_string(),
    )
}

/// POST /logg-ut: this session ends here; a provider's login is ended at the provider too (its
/// logout page sends the citizen back to the login page).
pub async fn logout(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let state = ctx.state;
    let at_provider = match ctx.login().current() {
        Some(c) => super::oidc::logout_url(ctx, &c.login).await,
        None => None,
    };
    let to = SessionId::generate().map_err(|e| WebError::Internal(e.to_string()))?;
    let lang = ctx.lang_chosen.then_some(ctx.lang);
    state
        .store
        .tenant(&ctx.tenant.config.id)
        .log_out(&ctx.session, &to, lang, state.clock.unix())
        .await?;
    ctx.move_session(to);
    Ok(see_other(
        &at_provider.unwrap_or_else(|| format!("{}?utlogget=1", paths::LOGIN)),
    ))
}

fn register_form(
    ctx: &Ctx<'_>,
    email: &str,
    email_error: Option<String>,
    pass_error: Option<String>,
) -> Resp {
    let loc = ctx.loc();
    let status = if email_error.is_some() || pass_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let hint = new_password_hint(ctx);
    page(ctx, status, |f| {
        v::register(
            f,
            &RegisterView {
                email: Input {
                    hint: Some(loc.t("register-email-hint").to_owned()),
                    ..email_input(loc, email, email_error)
                },
                password: password_input(
                    loc,
                    "passord",
                    "account-new-password-label",
                    true,
                    Some(hint),
                    pass_error,
                ),
            },
        )
    })
}

fn registration_closed(ctx: &Ctx<'_>) -> Resp {
    let loc = ctx.loc();
    message(
        ctx,
        loc.t("register-title"),
        vec![loc.t("register-closed").to_owned()],
        vec![(loc.t("breadcrumb-home"), paths::PORTAL.to_owned())],
        false,
    )
}

/// GET /registrer
pub fn register_page(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    accounts_on(ctx)?;
    if !ctx.state.can_send_mail() {
        return Ok(registration_closed(ctx));
    }
    Ok(register_form(ctx, "", None, None))
}

/// POST /registrer
pub async fn register(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    accounts_on(ctx)?;
    if !ctx.state.can_send_mail() {
        return Ok(registration_closed(ctx));
    }
    let loc = ctx.loc();
    let typed = r.field("epost").unwrap_or("").trim();
    let pass = r.field("passord").unwrap_or("");
    let email = auth::normalise_email(typed);
    let email_error = email.as_ref().err().map(|k| loc.t(k).to_owned());
    let pass_error = check_new_password(ctx, pass, email.as_deref().unwrap_or(typed));
    let Ok(email) = email else {
        return Ok(register_form(ctx, typed, email_error, pass_error));
    };
    if pass_error.is_some() {
        return Ok(register_form(ctx, typed, None, pass_error));
    }
    let state = ctx.state;
    let now = state.clock.unix();
    if auth::may_mail(&state.limiter, &email, ctx.client_ip, now) {
        let done = auth::register(
            &state.store,
            &ctx.tenant.config.id,
            &email,
            pass,
            ctx.lang,
            &state.config.accounts,
            now,
        )
        .await?;
        match done {
            Registration::Verify { token, .. } => {
                send(
                    ctx,
                    mail(
                        ctx,
                        loc,
                        &email,
                        ("mail-verify-subject", "mail-verify-body"),
                        Some(paths::verify(&token)),
                    ),
                );
            }
            Registration::Taken { account } => {
                let l = state.i18n.loc(account.lang);
                send(
                    ctx,
                    mail(
                        ctx,
                        l,
                        &email,
                        ("mail-taken-subject", "mail-taken-body"),
                        None,
                    ),
                );
            }
        }
    }
    Ok(check_your_mail(ctx, &email))
}

fn check_your_mail(ctx: &Ctx<'_>, email: &str) -> Resp {
    let loc = ctx.loc();
    message(
        ctx,
        loc.t("register-sent-title"),
        vec![
            loc.tf(
                "register-sent-body",
                &[("address", email.to_owned().into())],
            ),
            loc.t("register-sent-none").to_owned(),
        ],
        vec![(loc.t("login-title"), paths::LOGIN.to_owned())],
        false,
    )
}

fn token_param(r: &Request<'_>) -> Option<String> {
    r.params
        .get("token")
        .filter(|t| auth::token_shaped(t))
        .map(auth::token_hash)
}

fn link_dead(ctx: &Ctx<'_>) -> Resp {
    let loc = ctx.loc();
    let mut resp = message(
        ctx,
        loc.t("link-dead-title"),
        vec![loc.t("link-dead-body").to_owned()],
        vec![
            (loc.t("login-title"), paths::LOGIN.to_owned()),
            (loc.t("login-forgot"), paths::FORGOT.to_owned()),
            (loc.t("register-title"), paths::REGISTER.to_owned()),
        ],
        false,
    );
    *resp.status_mut() = StatusCode::NOT_FOUND;
    resp
}

/// Uses up a link of the kind `want` and applies it; the account as changed, or `None` for a dead link.
async fn use_link(
    ctx: &Ctx<'_>,
    hash: String,
    want: fn(&auth::records::TokenKind) -> bool,
) -> Result<Option<auth::records::Account>, WebError> {
    Ok(ctx
        .state
        .store
        .tenant(&ctx.tenant.config.id)
        .use_token(hash, want, None, ctx.state.clock.unix())
        .await?)
}

/// GET /konto/bekreft/{token}: the address is verified (a link scanner following it does no harm:
/// verifying is all it does).
pub async fn verify(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    accounts_on(ctx)?;
    let Some(hash) = token_param(r) else {
        return Ok(link_dead(ctx));
    };
    let done = use_link(ctx, hash, |k| matches!(k, auth::records::TokenKind::Verify)).await?;
    let loc = ctx.loc();
    Ok(match done {
        Some(_) => message(
            ctx,
            loc.t("verified-title"),
            vec![loc.t("verified-body").to_owned()],
            vec![(loc.t("login-title"), paths::LOGIN.to_owned())],
            true,
        ),
        None => link_dead(ctx),
    })
}

/// GET /konto/ny-epost/{token}: the account moves to the address the link was sent to.
pub async fn confirm_new_email(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    accounts_on(ctx)?;
    let Some(hash) = token_param(r) else {
        return Ok(link_dead(ctx));
    };
    let done = use_link(ctx, hash, |k| {
        matches!(k, auth::records::TokenKind::NewEmail { .. })
    })
    .await?;
    let loc = ctx.loc();
    Ok(match done {
        Some(a) => message(
            ctx,
            loc.t("email-changed-title"),
            vec![loc.tf("email-changed-body", &[("address", a.email.into())])],
            vec![(loc.t("my-cases-title"), paths::MY_CASES.to_owned())],
            true,
        ),
        None => link_dead(ctx),
    })
}

fn forgot_form(ctx: &Ctx<'_>, email: &str, error: Option<String>) -> Resp {
    let loc = ctx.loc();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page(ctx, status, |f| {
        v::form_page(
            f,
            &FormView {
                title: loc.t("forgot-title"),
                intro: loc.t("forgot-intro").to_owned(),
                action: paths::FORGOT,
                inputs: vec![email_input(loc, email, error)],
                submit: loc.t("forgot-submit"),
                general_error: None,
            },
        )
    })
}

/// GET /glemt-passord
pub fn forgot_page(r: &Request<'_>) -> Result<Resp, WebError> {
    accounts_on(r.ctx)?;
    Ok(forgot_form(r.ctx, "", None))
}

/// POST /glemt-passord: a link goes to the address if it has an account; the page is the same either
/// way.
pub async fn forgot(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    accounts_on(ctx)?;
    let loc = ctx.loc();
    let typed = r.field("epost").unwrap_or("").trim();
    let email = match auth::normalise_email(typed) {
        Ok(e) => e,
        Err(k) => return Ok(forgot_form(ctx, typed, Some(loc.t(k).to_owned()))),
    };
    let state = ctx.state;
    let now = state.clock.unix();
    let ts = state.store.tenant(&ctx.tenant.config.id);
    if let Some(account) = ts.account_by_email(&email)?
        && auth::may_mail(&state.limiter, &email, ctx.client_ip, now)
    {
        let (token, hash) = auth::new_token()?;
        ts.put_token(
            hash,
            auth::records::AccountToken {
                tenant: ctx.tenant.config.id.clone(),
                account: account.id.clone(),
                kind: auth::records::TokenKind::Reset,
                created: now,
                expires: now + state.config.accounts.reset.as_secs() as i64,
            },
        )
        .await?;
        let l = state.i18n.loc(account.lang);
        send(
            ctx,
            mail(
                ctx,
                l,
                &email,
                ("mail-reset-subject", "mail-reset-body"),
                Some(paths::reset(&token)),
            ),
        );
    }
    Ok(message(
        ctx,
        loc.t("forgot-sent-title"),
        vec![
            loc.tf(
                "forgot-sent-body",
                &[
                    ("address", email.into()),
                    (
                        "minutes",
                        (state.config.accounts.reset.as_secs() / 60).into(),
                    ),
                ],
            ),
            loc.t("register-sent-none").to_owned(),
        ],
        vec![(loc.t("login-title"), paths::LOGIN.to_owned())],
        false,
    ))
}

fn reset_form(ctx: &Ctx<'_>, error: Option<String>) -> Resp {
    let loc = ctx.loc();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let hint = new_password_hint(ctx);
    let action = ctx.path.clone();
    page(ctx, status, |f| {
        v::form_page(
            f,
            &FormView {
                title: loc.t("reset-title"),
                intro: loc.t("reset-intro").to_owned(),
                action: &action,
                inputs: vec![password_input(
                    loc,
                    "passord",
                    "account-new-password-label",
                    true,
                    Some(hint),
                    error,
                )],
                submit: loc.t("reset-submit"),
                general_error: None,
            },
        )
    })
}

/// GET /konto/nytt-passord/{token}: the form, if the link still works (it is used up by the POST).
pub fn reset_page(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    accounts_on(ctx)?;
    let ok = match token_param(r) {
        Some(h) => ctx
            .state
            .store
            .tenant(&ctx.tenant.config.id)
            .peek_token(&h, ctx.state.clock.unix())?
            .is_some_and(|t| t.kind == auth::records::TokenKind::Reset),
        None => false,
    };
    Ok(if ok {
        reset_form(ctx, None)
    } else {
        link_dead(ctx)
    })
}

/// POST /konto/nytt-passord/{token}: the new password; every login of the account ends.
pub async fn reset(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    accounts_on(ctx)?;
    let Some(hash) = token_param(r) else {
        return Ok(link_dead(ctx));
    };
    let state = ctx.state;
    let ts = state.store.tenant(&ctx.tenant.config.id);
    let now = state.clock.unix();
    let Some(token) = ts.peek_token(&hash, now)? else {
        return Ok(link_dead(ctx));
    };
    let Some(account) = ts.account(&token.account)? else {
        return Ok(link_dead(ctx));
    };
    let pass = r.field("passord").unwrap_or("");
    if let Some(e) = check_new_password(ctx, pass, &account.email) {
        return Ok(reset_form(ctx, Some(e)));
    }
    let pass = pass.to_owned();
    let phc = super::heavy(state, move || password::hash(&pass))
        .await?
        .map_err(WebError::Internal)?;
    let done = ts
        .use_token(
            hash,
            |k| matches!(k, auth::records::TokenKind::Reset),
            Some(phc),
            now,
        )
        .await?;
    let loc = ctx.loc();
    Ok(match done {
        Some(_) => message(
            ctx,
            loc.t("reset-done-title"),
            vec![loc.t("reset-done-body").to_owned()],
            vec![(loc.t("login-title"), paths::LOGIN.to_owned())],
            true,
        ),
        None => link_dead(ctx),
    })
}

/// How the account is named on its pages: its address, or for a provider's account the identity number
/// with the last five digits hidden.
pub(super) fn who(ctx: &Ctx<'_>, a: &crate::auth::records::Account) -> String {
    if !a.email.is_empty() {
        return a.email.clone();
    }
    match &a.pid {
        Some(p) => ctx.loc().tf(
            "account-pid",
            &[("pid", format!("{}*****", p.get(..6).unwrap_or("")).into())],
        ),
        None => ctx.loc().t("account-provider").to_owned(),
    }
}

/// The errors of the settings page's inputs, by input name.
#[derive(Default)]
struct SettingsErrors {
    by_name: Vec<(&'static str, String)>,
    email_value: String,
    /// The profile as typed, when it was refused.
    profile: Option<crate::auth::records::Profile>,
}

impl SettingsErrors {
    fn get(&self, name: &str) -> Option<String> {
        self.by_name
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, e)| e.clone())
    }
}

fn settings_page(
    ctx: &Ctx<'_>,
    errors: &SettingsErrors,
    notice: Option<String>,
) -> Result<Resp, WebError> {
    let Some(current) = ctx.login().current() else {
        return Err(WebError::LoginNeeded {
            level: crate::forms::LoginLevel::Low,
            ended: true,
            resend: None,
        });
    };
    let loc = ctx.loc();
    let status = if errors.by_name.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let hint = new_password_hint(ctx);
    let shown = who(ctx, &current.account);
    let p = errors
        .profile
        .clone()
        .unwrap_or_else(|| current.account.profile.clone());
    let input =
        |name: &'static str, label: &'static str, kind: &'static str, ac: &'static str| Input {
            name,
            label: loc.t(label),
            kind,
            value: "",
            autocomplete: ac,
            hint: None,
            error: errors.get(name),
        };
    let profile = [
        Input {
            value: &p.name,
            ..input("navn", "profile-name", "text", "name")
        },
        Input {
            value: &p.phone,
            ..input("telefon", "profile-phone", "tel", "tel")
        },
        Input {
            value: &p.street,
            ..input("gate", "profile-street", "text", "street-address")
        },
        Input {
            value: &p.postnummer,
            ..input("postnummer", "profile-postnummer", "text", "postal-code")
        },
    ];
    Ok(page(ctx, status, |f| {
        v::account(
            f,
            &AccountView {
                email: &shown,
                password_account: current.account.has_password(),
                profile,
                notice,
                change_password: [
                    password_input(
                        loc,
                        "passord",
                        "account-password-label",
                        false,
                        None,
                        errors.get("passord"),
                    ),
                    password_input(
                        loc,
                        "nytt-passord",
                        "account-new-password-label",
                        true,
                        Some(hint),
                        errors.get("nytt-passord"),
                    ),
                ],
                change_email: [
                    Input {
                        name: "ny-epost",
                        label: loc.t("account-new-email-label"),
                        kind: "email",
                        value: &errors.email_value,
                        autocomplete: "email",
                        hint: Some(loc.t("account-new-email-hint").to_owned()),
                        error: errors.get("ny-epost"),
                    },
                    password_input(
                        loc,
                        "epost-passord",
                        "account-password-label",
                        false,
                        None,
                        errors.get("epost-passord"),
                    ),
                ],
                delete: password_input(
                    loc,
                    "slett-passord",
                    "account-password-label",
                    false,
                    Some(loc.t("account-delete-hint").to_owned()),
                    errors.get("slett-passord"),
                ),
            },
        )
    }))
}

/// GET /konto
pub fn settings(r: &Request<'_>) -> Result<Resp, WebError> {
    let loc = r.ctx.loc();
    let notice = match r.ctx.query_param("endret").as_deref() {
        Some("passord") => Some(loc.t("account-password-changed").to_owned()),
        Some("epost") => Some(loc.t("account-email-sent").to_owned()),
        Some("profil") => Some(loc.t("account-profile-saved").to_owned()),
        _ => None,
    };
    settings_page(r.ctx, &SettingsErrors::default(), notice)
}

/// Whether `pass` is the logged-in account's password (on a blocking thread; counted as a failed
/// login when wrong).
async fn password_right(ctx: &Ctx<'_>, pass: &str) -> Result<bool, WebError> {
    let Some(current) = ctx.login().current() else {
        return Ok(false);
    };
    let state = ctx.state;
    let now = state.clock.unix();
    let key = format!("confirm:{}", current.account.id);
    if state
        .limiter
        .blocked(&key, auth::FAILS_PER_ADDRESS, auth::FAIL_WINDOW_SECS, now)
        .is_some()
    {
        return Ok(false);
    }
    let (pass, phc) = (pass.to_owned(), current.account.password.clone());
    let ok = super::heavy(state, move || password::verify(&pass, &phc)).await?;
    if !ok {
        state.limiter.record(&key, now);
    }
    Ok(ok)
}

/// POST /konto/passord: the current password and a new one. Other logins of the account end; this one
/// goes on (logged in again at once, on a new session id).
pub async fn change_password(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let loc = ctx.loc();
    let Some(current) = ctx.login().current().cloned() else {
        return Err(WebError::NotFound);
    };
    let old = r.field("passord").unwrap_or("");
    let new = r.field("nytt-passord").unwrap_or("");
    let mut errors = SettingsErrors::default();
    if !password_right(ctx, old).await? {
        errors
            .by_name
            .push(("passord", loc.t("account-password-wrong").to_owned()));
    }
    if let Some(e) = check_new_password(ctx, new, &current.account.email) {
        errors.by_name.push(("nytt-passord", e));
    }
    if !errors.by_name.is_empty() {
        return settings_page(ctx, &errors, None);
    }
    let state = ctx.state;
    let now = state.clock.unix();
    let new = new.to_owned();
    let phc = super::heavy(state, move || password::hash(&new))
        .await?
        .map_err(WebError::Internal)?;
    let ts = state.store.tenant(&ctx.tenant.config.id);
    let Some(changed) = ts.set_password(&current.account.id, phc, true).await? else {
        return Err(WebError::NotFound);
    };
    let to = SessionId::generate().map_err(|e| WebError::Internal(e.to_string()))?;
    let login = auth::records::Login {
        generation: changed.login_generation,
        at: now,
        seen: now,
        ..current.login.clone()
    };
    ts.log_in(&ctx.session, &to, login, now).await?;
    ctx.move_session(to);
    send(
        ctx,
        mail(
            ctx,
            state.i18n.loc(current.account.lang),
            &current.account.email,
            (
                "mail-password-changed-subject",
                "mail-password-changed-body",
            ),
            None,
        ),
    );
    Ok(see_other(&format!("{}?endret=passord", paths::ACCOUNT)))
}

/// POST /konto/profil: the details forms are prefilled with. Each may be left empty.
pub async fn change_profile(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let loc = ctx.loc();
    let Some(current) = ctx.login().current().cloned() else {
        return Err(WebError::NotFound);
    };
    let field = |n: &str| {
        r.field(n)
            .unwrap_or("")
            .trim()
            .chars()
            .take(200)
            .collect::<String>()
    };
    let mut profile = crate::auth::records::Profile {
        name: field("navn"),
        phone: field("telefon"),
        street: field("gate"),
        postnummer: field("postnummer"),
    };
    let mut errors = SettingsErrors::default();
    let message = |e: crate::forms::validate::Invalid, label: &str| {
        crate::views::fields::message_text(
            loc,
            &crate::forms::engine::Message::Key(e.key, e.args),
            label,
        )
    };
    if !profile.phone.is_empty() {
        match crate::forms::validate::phone::check(&profile.phone) {
            Ok(p) => profile.phone = p,
            Err(e) => errors
                .by_name
                .push(("telefon", message(e, loc.t("profile-phone")))),
        }
    }
    if !profile.postnummer.is_empty()
        && let Err(e) = crate::forms::validate::postnummer::check(&profile.postnummer)
    {
        errors
            .by_name
            .push(("postnummer", message(e, loc.t("profile-postnummer"))));
    }
    if !errors.by_name.is_empty() {
        errors.profile = Some(profile);
        return settings_page(ctx, &errors, None);
    }
    ctx.state
        .store
        .tenant(&ctx.tenant.config.id)
        .change_account(&current.account.id, move |a| a.profile = profile)
        .await?;
    Ok(see_other(&format!("{}?endret=profil", paths::ACCOUNT)))
}

/// POST /konto/epost: a link goes to the new address; the account moves when it is followed.
pub async fn change_email(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let loc = ctx.loc();
    let Some(current) = ctx.login().current().cloned() else {
        return Err(WebError::NotFound);
    };
    let typed = r.field("ny-epost").unwrap_or("").trim();
    let pass = r.field("epost-passord").unwrap_or("");
    let mut errors = SettingsErrors {
        email_value: typed.to_owned(),
        ..Default::default()
    };
    let email = auth::normalise_email(typed);
    match &email {
        Err(k) => errors.by_name.push(("ny-epost", loc.t(k).to_owned())),
        Ok(e) if *e == current.account.email => errors
            .by_name
            .push(("ny-epost", loc.t("account-email-same").to_owned())),
        Ok(_) => {}
    }
    if !password_right(ctx, pass).await? {
        errors
            .by_name
            .push(("epost-passord", loc.t("account-password-wrong").to_owned()));
    }
    let Ok(email) = email.map_err(|_| ()) else {
        return settings_page(ctx, &errors, None);
    };
    if !errors.by_name.is_empty() {
        return settings_page(ctx, &errors, None);
    }
    let state = ctx.state;
    let now = state.clock.unix();
    let ts = state.store.tenant(&ctx.tenant.config.id);
    // An address another account has gets no link (and the page does not say so).
    if ts.account_by_email(&email)?.is_none()
        && auth::may_mail(&state.limiter, &email, ctx.client_ip, now)
    {
        let (token, hash) = auth::new_token()?;
        ts.put_token(
            hash,
            auth::records::AccountToken {
                tenant: ctx.tenant.config.id.clone(),
                account: current.account.id.clone(),
                kind: auth::records::TokenKind::NewEmail {
                    email: email.clone(),
                },
                created: now,
                expires: now + state.config.accounts.verify.as_secs() as i64,
            },
        )
        .await?;
        send(
            ctx,
            mail(
                ctx,
                loc,
                &email,
                ("mail-new-email-subject", "mail-new-email-body"),
                Some(paths::new_email(&token)),
            ),
        );
    }
    Ok(see_other(&format!("{}?endret=epost", paths::ACCOUNT)))
}

/// POST /konto/slett: with the password, the account, its drafts and its logins go; submissions stay.
pub async fn delete(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let loc = ctx.loc();
    let Some(current) = ctx.login().current().cloned() else {
        return Err(WebError::NotFound);
    };
    let pass = r.field("slett-passord").unwrap_or("");
    // An account made by a provider login has no password: its login (at a provider's level) is the
    // proof.
    if current.account.has_password() && !password_right(ctx, pass).await? {
        let errors = SettingsErrors {
            by_name: vec![("slett-passord", loc.t("account-password-wrong").to_owned())],
            ..Default::default()
        };
        return settings_page(ctx, &errors, None);
    }
    let state = ctx.state;
    let ts = state.store.tenant(&ctx.tenant.config.id);
    ts.delete_account(&current.account.id).await?;
    let to = SessionId::generate().map_err(|e| WebError::Internal(e.to_string()))?;
    ts.log_out(
        &ctx.session,
        &to,
        ctx.lang_chosen.then_some(ctx.lang),
        state.clock.unix(),
    )
    .await?;
    ctx.move_session(to);
    tracing::info!(request_id = %ctx.request_id, "a citizen deleted their account");
    Ok(message(
        ctx,
        loc.t("account-deleted-title"),
        vec![
            loc.t("account-deleted-body").to_owned(),
            loc.tf(
                "account-deleted-cases",
                &[("count", current.account.submissions.len().into())],
            ),
        ],
        vec![(loc.t("breadcrumb-home"), paths::PORTAL.to_owned())],
        true,
    ))
}
