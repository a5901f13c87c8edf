//! Logging in through an OpenID provider (ID-porten): the button's POST sends the citizen to the
//! provider with a new `state`, `nonce` and PKCE verifier kept in her session; the provider sends her
//! back to `/logg-inn/oidc/<provider>/tilbake`, where the code is exchanged and the ID token checked
//! ([`crate::auth::oidc`]). A verified identity gets its account (made at its first login), the
//! session moves to a new id with the login at the level the provider vouched for, and the citizen
//! returns where she was. Every failure is a translated page; no account or session changes then.

use hyper::StatusCode;

use super::{Read as _, Request};
use crate::auth::oidc::OidcError;
use crate::auth::records::{Login, OidcPending};
use crate::config::OidcConfig;
use crate::forms::LoginLevel;
use crate::http::Resp;
use crate::http::error::WebError;
use crate::http::request::{Ctx, safe_return_path};
use crate::http::response::see_other;
use crate::ids::SessionId;
use crate::paths;

/// How long the provider may take to send the citizen back.
const PENDING_SECS: i64 = 600;

fn provider<'c>(ctx: &'c Ctx<'_>, r: &Request<'_>) -> Result<&'c OidcConfig, WebError> {
    let name = r.params.get("provider").unwrap_or("");
    ctx.state
        .providers(ctx.tenant)
        .find(|p| p.name == name)
        .ok_or(WebError::NotFound)
}

/// The redirect URI registered with the provider: this host (one of the tenant's own), this port.
fn redirect_uri(ctx: &Ctx<'_>, cfg: &OidcConfig) -> String {
    format!(
        "{}{}",
        super::account::origin(ctx, Some(&ctx.host)),
        paths::oidc_back(&cfg.name)
    )
}

pub fn parse_level(s: Option<&str>) -> Option<LoginLevel> {
    match s? {
        "low" => Some(LoginLevel::Low),
        "substantial" => Some(LoginLevel::Substantial),
        "high" => Some(LoginLevel::High),
        _ => None,
    }
}

fn failed(ctx: &Ctx<'_>, e: &OidcError, back: Option<&str>) -> Resp {
    let loc = ctx.loc();
    tracing::warn!(request_id = %ctx.request_id, error = %e, "a login through a provider failed");
    let (status, body) = match e {
        OidcError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, loc.t("oidc-unavailable")),
        OidcError::Refused(_) => (StatusCode::BAD_REQUEST, loc.t("oidc-refused")),
    };
    let again = back.map_or_else(|| paths::LOGIN.to_owned(), paths::login_then);
    let mut r = super::account::message_page(
        ctx,
        loc.t("oidc-failed-title"),
        vec![body.to_owned(), loc.t("oidc-nothing-changed").to_owned()],
        vec![(loc.t("oidc-try-again"), again)],
    );
    *r.status_mut() = status;
    r
}

/// POST /logg-inn/oidc/{provider}: to the provider, asking for the level the page needs (`niva`) or
/// the provider's lowest.
pub async fn start(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let cfg = provider(ctx, r)?;
    let back = r.field("til").and_then(safe_return_path).map(str::to_owned);
    let resend = match (
        r.field("bevart-til").and_then(safe_return_path),
        r.field("bevart"),
    ) {
        (Some(a), Some(f)) if f.len() <= ctx.state.config.limits.max_form_bytes => {
            Some((a.to_owned(), f.to_owned()))
        }
        _ => None,
    };
    let level = parse_level(r.field("niva"))
        .or_else(|| cfg.levels.first().map(|(_, l)| *l))
        .unwrap_or(LoginLevel::Substantial);
    let Some(acr) = cfg.acr_for(level) else {
        return Err(WebError::LoginUnavailable);
    };
    let state = ctx.state;
    let started = match state.oidc.start(cfg, &redirect_uri(ctx, cfg), acr).await {
        Ok(s) => s,
        Err(e) => return Ok(failed(ctx, &e, back.as_deref())),
    };
    let now = state.clock.unix();
    let pending = OidcPending {
        provider: cfg.name.clone(),
        state: started.state,
        nonce: started.nonce,
        verifier: started.verifier,
        level,
        back,
        resend,
        created: now,
    };
    ctx.spend_session_if_new()?;
    state
        .store
        .update_session(&ctx.session, now, true, move |s| s.oidc = Some(pending))
        .await?;
    Ok(see_other(&started.url))
}

/// GET /logg-inn/oidc/{provider}/tilbake: the provider's answer.
pub async fn back(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let cfg = provider(ctx, r)?;
    let state = ctx.state;
    let now = state.clock.unix();
    // The pending login is used up by this request, whatever it brings.
    let pending = state
        .store
        .session(&ctx.session)?
        .and_then(|s| s.oidc)
        .filter(|p| p.provider == cfg.name);
    if pending.is_some() {
        state
            .store
            .update_session(&ctx.session, now, false, |s| s.oidc = None)
            .await?;
    }
    let got_state = ctx.query_param("state").unwrap_or_default();
    let Some(pending) = pending.filter(|p| {
        now - p.created <= PENDING_SECS
            && bool::from(subtle::ConstantTimeEq::ct_eq(
                p.state.as_bytes(),
                got_state.as_bytes(),
            ))
    }) else {
        return Ok(failed(
            ctx,
            &OidcError::Refused("no login under way with this state".into()),
            None,
        ));
    };
    let back = pending.back.as_deref();
    if ctx.query_param("error").is_some() {
        let loc = ctx.loc();
        let again = back.map_or_else(|| paths::LOGIN.to_owned(), paths::login_then);
        return Ok(super::account::message_page(
            ctx,
            loc.t("oidc-cancelled-title"),
            vec![loc.t("oidc-cancelled-body").to_owned()],
            vec![(loc.t("oidc-try-again"), again)],
        ));
    }
    if let Some(iss) = ctx.query_param("iss")
        && iss.trim_end_matches('/') != cfg.issuer.trim_end_matches('/')
    {
        return Ok(failed(
            ctx,
            &OidcError::Refused(format!("the answer names the issuer {iss:?}")),
            back,
        ));
    }
    let Some(code) = ctx
        .query_param("code")
        .filter(|c| !c.is_empty() && c.len() < 4096)
    else {
        return Ok(failed(ctx, &OidcError::Refused("no code".into()), back));
    };
    let done = state
        .oidc
        .finish(
            cfg,
            &code,
            &redirect_uri(ctx, cfg),
            (&pending.verifier, &pending.nonce),
            now,
        )
        .await;
    let (verified, id_token) = match done {
        Ok(v) => v,
        Err(e) => return Ok(failed(ctx, &e, back)),
    };
    let Some(level) = verified.level.filter(|l| *l >= pending.level) else {
        tracing::info!(request_id = %ctx.request_id, acr = ?verified.acr, wanted = ?pending.level, "a provider login below the level asked for");
        return Ok(super::account::step_up_page(
            ctx,
            pending.level,
            verified.level,
            back.unwrap_or(paths::PORTAL),
        ));
    };
    let identity = match &verified.pid {
        Some(pid) => format!("pid:{pid}"),
        None => format!("oidc:{}:{}", cfg.name, verified.subject),
    };
    let ts = state.store.tenant(&ctx.tenant.config.id);
    let account = ts
        .account_for_identity(identity, verified.pid.clone(), ctx.lang, now)
        .await?;
    let to = SessionId::generate().map_err(|e| WebError::Internal(e.to_string()))?;
    let login = Login {
        tenant: ctx.tenant.config.id.clone(),
        account: account.id.clone(),
        level,
        provider: Some(cfg.name.clone()),
        id_token: Some(id_token),
        generation: account.login_generation,
        at: now,
        seen: now,
    };
    ts.log_in(&ctx.session, &to, login, now).await?;
    ctx.move_session(to.clone());
    tracing::info!(request_id = %ctx.request_id, provider = %cfg.name, level = ?level, "a citizen logged in through a provider");
    if let Some((action, fields)) = &pending.resend {
        return Ok(super::account::resend_page(ctx, &to, action, fields));
    }
    Ok(see_other(back.unwrap_or(paths::MY_CASES)))
}

/// Where the provider's logout is, for a login it made: its end-session endpoint with the ID token as
/// a hint and the login page to come back to.
pub async fn logout_url(ctx: &Ctx<'_>, login: &Login) -> Option<String> {
    let name = login.provider.as_deref()?;
    let cfg = ctx.state.providers(ctx.tenant).find(|p| p.name == name)?;
    let d = ctx.state.oidc.discovery(cfg).await.ok()?;
    let end = d.end_session_endpoint?;
    let mut q = form_urlencoded::Serializer::new(String::new());
    if let Some(t) = &login.id_token {
        q.append_pair("id_token_hint", t);
    }
    q.append_pair("client_id", &cfg.client_id);
    q.append_pair(
        "post_logout_redirect_uri",
        &format!(
            "{}{}?utlogget=1",
            super::account::origin(ctx, Some(&ctx.host)),
            paths::LOGIN
        ),
    );
    let sep = if end.contains('?') { '&' } else { '?' };
    Some(format!("{end}{sep}{}", q.finish()))
}
