//! Mine saker: the logged-in citizen's drafts (kept with the account, resumed from any device), this
//! browser's drafts that are not (attached only when she asks), and her submitted cases with their
//! status. Only her own: another account's draft or case is a 404, whatever id is guessed.

use hyper::StatusCode;

use super::{Read as _, Request, frame};
use crate::http::Resp;
use crate::http::error::WebError;
use crate::http::response::{html, see_other};
use crate::ids::{DraftId, FormId};
use crate::paths;
use crate::store::accounts::Attached;
use crate::views::account::{self as v, CaseRow, CaseView, DraftRow, MyCasesView};

fn when(loc: crate::i18n::Loc<'_>, unix: i64) -> String {
    let t = crate::forms::engine::norway_time(
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
    );
    loc.tf(
        "my-cases-when",
        &[
            ("date", crate::forms::engine::format_date(t.date()).into()),
            ("time", format!("{:02}:{:02}", t.hour(), t.minute()).into()),
        ],
    )
}

/// GET /mine-saker
pub fn list(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let Some(current) = ctx.login().current() else {
        return Err(WebError::NotFound);
    };
    let state = ctx.state;
    let loc = ctx.loc();
    let now = state.clock.unix();
    let ts = state.store.tenant(&ctx.tenant.config.id);
    let account = &current.account;
    let title = |f: &FormId| {
        ctx.tenant
            .form(f)
            .map_or_else(|| f.to_string(), |d| d.title.get(ctx.lang).to_owned())
    };
    let mut drafts = vec![];
    for (form, id) in &account.drafts {
        let Some(d) = ts.draft(id)? else { continue };
        if d.submitted.is_some() || d.expires <= now || d.account.as_ref() != Some(&account.id) {
            continue;
        }
        drafts.push(DraftRow {
            form_title: title(form),
            continue_href: paths::landing(form),
            delete_action: Some(paths::draft_delete(id)),
            attach_action: None,
            updated: when(loc, d.updated),
            expires: when(loc, d.expires),
            newer_version: ctx
                .tenant
                .form(form)
                .is_some_and(|f| f.content_hash != d.form_hash),
        });
    }
    let mut browser_drafts = vec![];
    if let Some(s) = state.store.session(&ctx.session)? {
        for id in s.drafts.values() {
            let Some(d) = ts.draft(id)? else { continue };
            if d.account.is_some() || d.submitted.is_some() || d.expires <= now {
                continue;
            }
            browser_drafts.push(DraftRow {
                form_title: title(&d.form),
                continue_href: paths::landing(&d.form),
                delete_action: None,
                attach_action: Some(paths::draft_attach(&d.form)),
                updated: when(loc, d.updated),
                expires: when(loc, d.expires),
                newer_version: false,
            });
        }
    }
    let mut cases = vec![];
    for reference in account.submissions.iter().rev() {
        let Some(sub) = ts.submission(reference)? else {
            continue;
        };
        let t = crate::cases::timeline(&state.store, ctx.tenant, &sub)?;
        let status = crate::cases::status_name(
            loc,
            &ctx.tenant.config,
            ctx.tenant.form(&sub.form).map(|f| &**f),
            t.status,
        );
        cases.push(CaseRow {
            unread: t.unread,
            reference: reference.to_string(),
            form_title: title(&sub.form),
            sent: when(loc, sub.submitted),
            status,
            href: paths::case(reference),
        });
    }
    let notice = match ctx.query_param("melding").as_deref() {
        Some("slettet") => Some(loc.t("my-cases-deleted").to_owned()),
        Some("knyttet") => Some(loc.t("my-cases-attached").to_owned()),
        Some("har-utkast") => Some(loc.t("my-cases-has-draft").to_owned()),
        _ => None,
    };
    let elsewhere = elsewhere(ctx, &current.login, account, now)?;
    let shown = super::account::who(ctx, account);
    let view = MyCasesView {
        elsewhere,
        unread: cases.iter().map(|c| c.unread).sum(),
        email: &shown,
        last_login: account.previous_login.map(|t| when(loc, t)),
        drafts,
        browser_drafts,
        cases,
        notice,
    };
    let csrf = ctx.csrf_token();
    let here = ctx.here();
    let f = frame(ctx, &csrf, &here);
    Ok(html(StatusCode::OK, v::my_cases(&f, &view).into_string()))
}

/// One e-ID, every municipality of the installation: for a login through a provider with a verified
/// identity number, the same identity's cases and drafts in the other tenants that offer a provider,
/// each linking to its own host (password accounts stay per municipality).
fn elsewhere(
    ctx: &crate::http::request::Ctx<'_>,
    login: &crate::auth::records::Login,
    account: &crate::auth::records::Account,
    now: i64,
) -> Result<Vec<crate::views::account::Elsewhere>, WebError> {
    let (Some(_), Some(pid)) = (&login.provider, &account.pid) else {
        return Ok(vec![]);
    };
    let state = ctx.state;
    let loc = ctx.loc();
    let mut out = vec![];
    for t in state.tenants.iter() {
        if t.config.id == ctx.tenant.config.id || state.providers(t).next().is_none() {
            continue;
        }
        let ts = state.store.tenant(&t.config.id);
        let Some(other) = ts.account_by_identity(&format!("pid:{pid}"))? else {
            continue;
        };
        let Some(origin) = t
            .config
            .hosts
            .first()
            .map(|h| paths::origin(h, state.https_port))
        else {
            continue;
        };
        let mut cases = vec![];
        for reference in other.submissions.iter().rev() {
            let Some(sub) = ts.submission(reference)? else {
                continue;
            };
            let tl = crate::cases::timeline(&state.store, t, &sub)?;
            cases.push(CaseRow {
                unread: tl.unread,
                reference: reference.to_string(),
                form_title: t.form(&sub.form).map_or_else(
                    || sub.form.to_string(),
                    |d| d.title.get(ctx.lang).to_owned(),
                ),
                sent: when(loc, sub.submitted),
                status: crate::cases::status_name(
                    loc,
                    &t.config,
                    t.form(&sub.form).map(|f| &**f),
                    tl.status,
                ),
                href: format!("{origin}{}", paths::case(reference)),
            });
        }
        let drafts = other
            .drafts
            .values()
            .filter_map(|d| ts.draft(d).ok().flatten())
            .filter(|d| d.submitted.is_none() && d.expires > now)
            .count();
        if cases.is_empty() && drafts == 0 {
            continue;
        }
        out.push(crate::views::account::Elsewhere {
            municipality: t.config.name.clone(),
            cases,
            drafts,
            href: format!("{origin}{}", paths::MY_CASES),
        });
    }
    Ok(out)
}

/// GET /mine-saker/sak/{reference}: the case's timeline; opening it marks its changes seen.
pub async fn case(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let Some(current) = ctx.login().current() else {
        return Err(WebError::NotFound);
    };
    let reference = r.reference()?;
    let state = ctx.state;
    let sub = crate::cases::case_of(&state.store, ctx.tenant, &current.account.id, &reference)?
        .ok_or(WebError::NotFound)?;
    let loc = ctx.loc();
    let form_title = ctx.tenant.form(&sub.form).map_or_else(
        || sub.form.to_string(),
        |d| d.title.get(ctx.lang).to_owned(),
    );
    let t = crate::cases::timeline(&state.store, ctx.tenant, &sub)?;
    let def = ctx.tenant.form(&sub.form).map(|f| &**f);
    let name = |s| crate::cases::status_name(loc, &ctx.tenant.config, def, s);
    let history: Vec<(String, String)> = t
        .events
        .iter()
        .map(|e| {
            let what = match (&e.status, &e.message) {
                (Some(s), Some(m)) => format!("{}. {m}", name(*s)),
                (Some(s), None) => name(*s),
                (None, Some(m)) => loc.tf("case-message", &[("message", m.clone().into())]),
                (None, None) => String::new(),
            };
            (when(loc, e.at), what)
        })
        .collect();
    if t.unread > 0 {
        state
            .store
            .tenant(&ctx.tenant.config.id)
            .mark_case_seen(&reference)
            .await?;
    }
    let reference_text = reference.to_string();
    let copy_action = ctx
        .tenant
        .form(&sub.form)
        .is_some()
        .then(|| paths::case_copy(&reference));
    let view = CaseView {
        copy_action,
        reference: &reference_text,
        form_title: &form_title,
        sent: when(loc, sub.submitted),
        status: name(t.status),
        history,
        pdf_href: paths::receipt_pdf(&sub.form, &reference),
    };
    let csrf = ctx.csrf_token();
    let here = ctx.here();
    let f = frame(ctx, &csrf, &here);
    Ok(html(StatusCode::OK, v::case(&f, &view).into_string()))
}

/// POST /mine-saker/sak/{reference}/kopier: "use my answers from last time" — a new draft of the form's
/// current version starts from the case's answers (those the form still asks; files are not carried),
/// and the citizen goes through every step to see and change them.
pub async fn copy_case(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let Some(current) = ctx.login().current().cloned() else {
        return Err(WebError::NotFound);
    };
    let reference = r.reference()?;
    let state = ctx.state;
    let sub = crate::cases::case_of(&state.store, ctx.tenant, &current.account.id, &reference)?
        .ok_or(WebError::NotFound)?;
    let def = ctx
        .tenant
        .form(&sub.form)
        .ok_or(WebError::NotFound)?
        .clone();
    let today = state.clock.today();
    let lists = ctx.tenant.lists(today);
    let engine = crate::forms::engine::Engine::new(&def, &lists, today);
    let mut answers = engine.prune(&sub.answers);
    // Files belong to the case sent; the new draft asks for them again.
    let file_ids = engine.file_ids(&answers);
    answers.values.retain(|_, v| match v {
        crate::forms::answers::Answer::One(s) => !file_ids.iter().any(|f| f.as_str() == s),
        crate::forms::answers::Answer::Many(m) => {
            !m.iter().any(|s| file_ids.iter().any(|f| f.as_str() == s))
        }
    });
    ctx.spend(crate::budgets::Spend::Draft, 1)?;
    crate::cases::start_draft_with(
        &state.store,
        ctx.tenant,
        &ctx.session,
        &def,
        ctx.lang,
        &state.clock,
        state.config.server.first_step_lifetime.as_secs() as i64,
        Some(&current.account),
        Some(answers),
    )
    .await?;
    Ok(see_other(&paths::step(&def.id, 0)))
}

/// POST /mine-saker/utkast/{draft}/slett
pub async fn delete_draft(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let Some(current) = ctx.login().current() else {
        return Err(WebError::NotFound);
    };
    let draft = r
        .params
        .get("draft")
        .and_then(|d| DraftId::parse(d).ok())
        .ok_or(WebError::NotFound)?;
    let done = ctx
        .state
        .store
        .tenant(&ctx.tenant.config.id)
        .delete_account_draft(&current.account.id, &draft)
        .await?;
    if !done {
        return Err(WebError::NotFound);
    }
    Ok(see_other(&format!("{}?melding=slettet", paths::MY_CASES)))
}

/// POST /mine-saker/knytt/{form}: this browser's draft of the form is kept with the account from now on.
pub async fn attach_draft(r: &Request<'_>) -> Result<Resp, WebError> {
    let ctx = r.ctx;
    let Some(current) = ctx.login().current() else {
        return Err(WebError::NotFound);
    };
    let form = r
        .params
        .get("form")
        .and_then(|f| FormId::parse(f).ok())
        .ok_or(WebError::NotFound)?;
    let slot = format!("{}/{}", ctx.tenant.config.id, form);
    let done = ctx
        .state
        .store
        .tenant(&ctx.tenant.config.id)
        .attach_draft(&ctx.session, slot, form, &current.account.id)
        .await?;
    let msg = match done {
        Attached::Done => "knyttet",
        Attached::HasOne => "har-utkast",
        Attached::Missing => return Err(WebError::NotFound),
    };
    Ok(see_other(&format!("{}?melding={msg}", paths::MY_CASES)))
}
