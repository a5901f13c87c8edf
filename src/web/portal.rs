//! The portal: start page, search, form landing pages.

use hyper::StatusCode;

use super::{Read as _, Request, cached_page, frame};
use crate::http::Resp;
use crate::http::error::WebError;
use crate::http::response::html;
use crate::views;

pub fn start(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let here = ctx.here();
    let body = cached_page(ctx, "portal", |csrf| {
        let mut f = frame(ctx, csrf, &here);
        let loc = ctx.loc();
        let intro = match &ctx.tenant.config.intro {
            Some(t) => t.get(ctx.lang),
            None => loc.t("portal-intro"),
        };
        f.description = Some(intro);
        views::portal::start(&f, intro, &ctx.tenant.listed).into_string()
    });
    Ok(html(StatusCode::OK, body))
}

/// The facts the tenant's statements name.
fn facts<'a>(ctx: &'a crate::http::request::Ctx<'_>) -> views::statements::Facts<'a> {
    let t = &ctx.tenant.config;
    let s = &t.statements;
    let server = &ctx.state.config.server;
    views::statements::Facts {
        tenant: &t.name,
        controller: &s.controller,
        privacy_email: &s.privacy_email,
        dpo_email: s.dpo_email.as_deref(),
        feedback_email: &s.feedback_email,
        statement_url: s.statement_url.as_deref(),
        draft_days: server.draft_lifetime.as_secs() / 86_400,
        first_step_hours: server.first_step_lifetime.as_secs() / 3600,
        accounts: ctx.state.config.accounts.enabled,
    }
}

/// GET /personvern: the privacy statement.
pub fn privacy(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let here = ctx.here();
    let body = cached_page(ctx, "privacy", |csrf| {
        let f = frame(ctx, csrf, &here);
        views::statements::privacy(&f, &facts(ctx)).into_string()
    });
    Ok(html(StatusCode::OK, body))
}

/// GET /tilgjengelighet: the accessibility statement.
pub fn accessibility(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let here = ctx.here();
    let body = cached_page(ctx, "accessibility", |csrf| {
        let f = frame(ctx, csrf, &here);
        views::statements::accessibility(&f, &facts(ctx)).into_string()
    });
    Ok(html(StatusCode::OK, body))
}

pub fn search(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let query: String = ctx
        .query_param("q")
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let hits = ctx.tenant.search(ctx.lang, &query);
    let elsewhere = if hits.is_empty() {
        ctx.tenant.not_offered(ctx.lang, &query)
    } else {
        vec![]
    };
    let (csrf, here) = (ctx.csrf_token(), ctx.here());
    let f = frame(ctx, &csrf, &here);
    Ok(html(
        StatusCode::OK,
        views::portal::search(&f, &query, &hits, &elsewhere).into_string(),
    ))
}

pub fn landing(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let form = r.form()?;
    let here = ctx.here();
    let body = cached_page(ctx, &format!("landing/{}", form.id), |csrf| {
        let mut f = frame(ctx, csrf, &here);
        f.description = Some(form.intro.get(ctx.lang));
        let kw = form.keywords.get(ctx.lang);
        f.keywords = (!kw.is_empty()).then(|| kw.join(", "));
        views::portal::landing(&f, form, ctx.state.login_offered(ctx.tenant)).into_string()
    });
    Ok(html(StatusCode::OK, body))
}

/// GET /skjema/{form}/blankett.pdf: the form for filling in on paper, in the page's language. Rendered
/// once per form version, language and day (off the async threads), then served from memory with an
/// entity tag.
pub async fn blank_pdf(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let state = ctx.state;
    let form = r.form()?.clone();
    let today = state.clock.today();
    let key = (
        state.tenant_index(ctx.tenant),
        form.id.clone(),
        form.content_hash.clone(),
        ctx.lang,
        today,
    );
    let pdf = match state.blank_pdfs.get(&key) {
        Some(p) => p,
        None => {
            let (i18n, head) = (state.i18n.clone(), ctx.tenant.letterhead.clone());
            let (lists, lang, now) = (ctx.tenant.lists(today), ctx.lang, state.clock.now());
            let def = form.clone();
            let bytes = super::heavy(state, move || {
                crate::pdf::blank_pdf(&i18n, &head, &lists, &def, lang, now)
            })
            .await?
            .map_err(WebError::Internal)?;
            use sha2::Digest;
            let digest = sha2::Sha256::digest(&bytes);
            let etag = format!(
                "\"{}\"",
                digest
                    .iter()
                    .take(12)
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            );
            let p = std::sync::Arc::new(crate::state::BlankPdf {
                bytes: bytes.into(),
                etag,
            });
            state.blank_pdfs.put(key, p.clone());
            p
        }
    };
    Ok(crate::http::response::shared_pdf(
        pdf.bytes.clone(),
        &format!("{}.pdf", form.id),
        &pdf.etag,
        ctx.if_none_match.as_deref(),
    ))
}
