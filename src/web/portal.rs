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

pub fn search(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let query: String = ctx
        .query_param("q")
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let hits = ctx.tenant.search(ctx.lang, &query);
    let (csrf, here) = (ctx.csrf_token(), ctx.here());
    let f = frame(ctx, &csrf, &here);
    Ok(html(
        StatusCode::OK,
        views::portal::search(&f, &query, &hits).into_string(),
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
        views::portal::landing(&f, form).into_string()
    });
    Ok(html(StatusCode::OK, body))
}

/// GET /skjema/{form}/blankett.pdf: the form for filling in on paper, in the page's language.
pub async fn blank_pdf(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let form = r.form()?.clone();
    let now = ctx.state.clock.now();
    let lists = ctx.tenant.lists(ctx.state.clock.today());
    let bytes = crate::pdf::blank_pdf(
        &ctx.state.i18n,
        &ctx.tenant.letterhead,
        &lists,
        &form,
        ctx.lang,
        now,
    )
    .map_err(WebError::Internal)?;
    Ok(crate::http::response::pdf(
        bytes,
        &format!("{}.pdf", form.id),
    ))
}
