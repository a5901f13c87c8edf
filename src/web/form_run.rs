//! The way through a form, POST/redirect/GET throughout:
//! start → steps (Back/Next, add/remove rows) → control page → check-answers → send → receipt.
//!
//! The draft lives in the store, bound to the session; the receipt is shown only after the transaction
//! holding the submission and its outbox rows has committed durably.

use std::sync::Arc;

use hyper::StatusCode;

use super::{Request, frame};
use crate::attachments::multipart;
use crate::forms::FormDef;
use crate::forms::engine::{Engine, Lists, today_in_norway};
use crate::http::Resp;
use crate::http::error::WebError;
use crate::http::response::{html, see_other};
use crate::store::forms::{Draft, SubmitRefused};
use crate::store::sessions::Session;
use crate::views;
use crate::web::language::unix_now;

fn today() -> time::Date {
    today_in_norway(time::OffsetDateTime::now_utc())
}

fn form<'t>(r: &Request<'_, 't>) -> Result<&'t Arc<FormDef>, WebError> {
    super::portal::form_of(r)
}

fn session_key(r: &Request<'_, '_>, def: &FormDef) -> String {
    format!("{}/{}", r.ctx.tenant.config.id, def.id)
}

fn new_id() -> Result<String, WebError> {
    crate::ids::SessionId::generate()
        .map(|s| s.as_str().to_owned())
        .map_err(|e| WebError::Internal(e.to_string()))
}

/// The session's draft for this form, if it still exists and belongs to this tenant and form.
fn load_draft(r: &Request<'_, '_>, def: &FormDef) -> Result<Option<(String, Draft)>, WebError> {
    let store = &r.ctx.state.store;
    let Some(session) = store.session(&r.ctx.session)? else {
        return Ok(None);
    };
    let Some(id) = session.drafts.get(&session_key(r, def)) else {
        return Ok(None);
    };
    let Some(d) = store.draft(id)? else {
        return Ok(None);
    };
    let ours = d.tenant == r.ctx.tenant.config.id.as_str() && d.form == def.id.as_str();
    Ok((ours && d.expires > unix_now()).then(|| (id.clone(), d)))
}

fn landing(def: &FormDef) -> Resp {
    see_other(&format!("/skjema/{}", def.id))
}

fn step_url(def: &FormDef, position: usize) -> String {
    format!("/skjema/{}/steg/{}", def.id, position + 1)
}

/// POST /skjema/{form}/start: resume this session's draft or make a new one.
pub async fn start(r: &Request<'_, '_>) -> Result<Resp, WebError> {
    let def = form(r)?;
    if let Some((_, d)) = load_draft(r, def)?
        && d.submitted.is_none()
        && d.form_version == def.version
    {
        return Ok(see_other(&step_url(def, 0)));
    }
    let now = unix_now();
    let id = new_id()?;
    let draft = Draft {
        tenant: r.ctx.tenant.config.id.to_string(),
        form: def.id.to_string(),
        form_version: def.version,
        form_hash: def.content_hash.clone(),
        lang: r.ctx.lang,
        answers: Default::default(),
        created: now,
        updated: now,
        expires: now + r.ctx.state.config.server.draft_lifetime.as_secs() as i64,
        submitted: None,
        files: Default::default(),
    };
    let store = &r.ctx.state.store;
    let mut session = store
        .session(&r.ctx.session)?
        .unwrap_or_else(|| Session::new(now));
    session.drafts.insert(session_key(r, def), id.clone());
    session.updated = now;
    store.save_draft(id, draft).await?;
    store.save_session(&r.ctx.session, session, false).await?;
    Ok(see_other(&step_url(def, 0)))
}

struct Loaded<'t> {
    def: &'t Arc<FormDef>,
    id: String,
    draft: Draft,
    lists: Lists,
}

enum Flow<'t> {
    Ready(Loaded<'t>),
    Redirect(Resp),
}

fn load<'t>(r: &Request<'_, 't>) -> Result<Flow<'t>, WebError> {
    let def = form(r)?;
    let Some((id, draft)) = load_draft(r, def)? else {
        return Ok(Flow::Redirect(landing(def)));
    };
    if let Some(reference) = &draft.submitted {
        return Ok(Flow::Redirect(see_other(&format!(
            "/skjema/{}/kvittering/{reference}",
            def.id
        ))));
    }
    let lists = r.ctx.tenant.lists(today());
    Ok(Flow::Ready(Loaded {
        def,
        id,
        draft,
        lists,
    }))
}

/// The first visible step with a problem, or None when everything is answered.
fn first_incomplete(engine: &Engine<'_>, draft: &Draft) -> Option<usize> {
    let visible = engine.visible_steps(&draft.answers);
    visible
        .iter()
        .position(|si| !engine.validate_step(*si, &draft.answers).is_empty())
}

fn returns_to_summary(r: &Request<'_, '_>) -> bool {
    r.ctx.query_param("fra").as_deref() == Some("oppsummering")
}

fn render_step(
    r: &Request<'_, '_>,
    l: &Loaded<'_>,
    position: usize,
    errors: &[crate::forms::engine::FieldError],
) -> Result<Resp, WebError> {
    let engine = Engine::new(l.def, &l.lists, today());
    let visible = engine.visible_steps(&l.draft.answers);
    let Some(step) = visible.get(position).copied() else {
        return Err(WebError::NotFound);
    };
    let mut action = step_url(l.def, position);
    if returns_to_summary(r) {
        action.push_str("?fra=oppsummering");
    }
    let ctx = r.ctx;
    let (csrf, here) = (ctx.csrf_token(), ctx.here());
    let f = frame(ctx, &csrf, &here);
    let view = views::form_run::StepView {
        engine: &engine,
        answers: &l.draft.answers,
        errors,
        position,
        step,
        visible: &visible,
        action,
        files: &l.draft.files,
        uploads: step_has_uploads(l.def, step),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html(status, views::form_run::step(&f, &view).into_string()))
}

/// Parses `{n}` (1-based) and checks it against the visible steps and how far the citizen has come.
/// On a bad number, the URL of the step to go to instead.
fn position_of(r: &Request<'_, '_>, l: &Loaded<'_>) -> Result<usize, String> {
    let engine = Engine::new(l.def, &l.lists, today());
    let visible = engine.visible_steps(&l.draft.answers);
    let limit = first_incomplete(&engine, &l.draft).unwrap_or(visible.len().saturating_sub(1));
    let asked = r
        .param(1)
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .map(|n| n - 1);
    match asked {
        Some(p) if p < visible.len() && p <= limit => Ok(p),
        // A tampered or skipped-ahead step number: go to the first step that still needs answers.
        _ => Err(step_url(l.def, limit)),
    }
}

pub fn step_get(r: &Request<'_, '_>) -> Result<Resp, WebError> {
    let l = match load(r)? {
        Flow::Ready(l) => l,
        Flow::Redirect(resp) => return Ok(resp),
    };
    let position = match position_of(r, &l) {
        Ok(p) => p,
        Err(to) => return Ok(see_other(&to)),
    };
    render_step(r, &l, position, &[])
}

enum Action {
    Next,
    Back,
    Add(String),
    Remove(String, usize),
    Upload,
    RemoveFile(String),
}

fn action(r: &Request<'_, '_>) -> Action {
    match r.field("handling").unwrap_or("neste") {
        "tilbake" => Action::Back,
        "last-opp" => Action::Upload,
        a if a.starts_with("fjern-fil:") => {
            Action::RemoveFile(a.trim_start_matches("fjern-fil:").to_owned())
        }
        a if a.starts_with("legg-til:") => {
            Action::Add(a.trim_start_matches("legg-til:").to_owned())
        }
        a if a.starts_with("fjern:") => {
            let rest = a.trim_start_matches("fjern:");
            match rest
                .rsplit_once(':')
                .and_then(|(g, i)| Some((g.to_owned(), i.parse().ok()?)))
            {
                Some((g, i)) => Action::Remove(g, i),
                None => Action::Next,
            }
        }
        _ => Action::Next,
    }
}

/// Whether a step has a file input (directly or in a group): its form is sent as multipart.
fn step_has_uploads(def: &FormDef, step: usize) -> bool {
    use crate::forms::definition::Kind;
    def.steps.get(step).is_some_and(|s| {
        s.fields.iter().any(|f| match &f.kind {
            Kind::Attachment { .. } => true,
            Kind::Group { fields, .. } => fields
                .iter()
                .any(|x| matches!(x.kind, Kind::Attachment { .. })),
            _ => false,
        })
    })
}

/// The upload rules for an input name on this step (an attachment field, or one in an existing row).
fn upload_rule(
    def: &FormDef,
    step: usize,
    draft: &Draft,
    name: &str,
) -> Option<multipart::FieldRule> {
    use crate::forms::definition::Kind;
    let (si, f) = def.field_for_name(name)?;
    if si != step {
        return None;
    }
    let Kind::Attachment {
        accept,
        max_size_mb,
        max_files,
    } = &f.kind
    else {
        return None;
    };
    if let Some((group, rest)) = name.split_once('[') {
        let row: usize = rest.split_once(']')?.0.parse().ok()?;
        if row >= draft.answers.row_count(group) {
            return None;
        }
    } else if f.id != name {
        return None;
    }
    Some(multipart::FieldRule {
        accept: accept.clone(),
        max_bytes: (max_size_mb * 1_000_000.0) as u64,
        max_files: *max_files as usize,
        already: draft.answers.get(name).map_or(0, |a| a.values().len()),
    })
}

/// Reads a multipart step POST: text fields, and files stored durably on disk.
async fn read_multipart(
    r: &Request<'_, '_>,
    l: &Loaded<'_>,
    step: usize,
) -> Result<Option<multipart::Parsed>, WebError> {
    let Some(taken) = r
        .body
        .and_then(|slot| slot.lock().ok().and_then(|mut s| s.take()))
    else {
        return Ok(None);
    };
    let (headers, body) = taken;
    let ctx = r.ctx;
    let cfg = &ctx.state.config;
    let limits = multipart::Limits {
        submission_bytes: cfg.limits.max_upload_bytes,
        submission_files: cfg.limits.max_attachments,
        text_bytes: cfg.limits.max_form_bytes,
        idle: cfg.limits.body_timeout,
    };
    let held = l.draft.files.values();
    let already = (held.len(), l.draft.files.values().map(|f| f.size).sum());
    let csrf_ok = |t: &str| {
        !ctx.new_session && crate::http::csrf::verify(&ctx.state.csrf_key, &ctx.session, t)
    };
    let rule = |name: &str| upload_rule(l.def, step, &l.draft, name);
    let cx = multipart::Context {
        files: &ctx.state.files,
        tenant: ctx.tenant.config.id.as_str(),
        clamav: cfg.clamav.as_ref(),
        limits: &limits,
        already,
        csrf_ok: &csrf_ok,
        rule: &rule,
    };
    match multipart::read(&headers, body, &cx).await {
        Ok(p) => Ok(Some(p)),
        Err(WebError::Csrf { .. }) => Err(WebError::Csrf {
            action: ctx.path.clone(),
            fields: vec![],
        }),
        Err(e) => Err(e),
    }
}

pub async fn step_post(r: &Request<'_, '_>) -> Result<Resp, WebError> {
    let mut l = match load(r)? {
        Flow::Ready(l) => l,
        Flow::Redirect(resp) => {
            // Nothing to attach to; a multipart body is simply not read.
            return Ok(resp);
        }
    };
    let position = match position_of(r, &l) {
        Ok(p) => p,
        Err(to) => return Ok(see_other(&to)),
    };
    let today = today();
    let step = {
        let engine = Engine::new(l.def, &l.lists, today);
        let visible = engine.visible_steps(&l.draft.answers);
        let Some(step) = visible.get(position).copied() else {
            return Err(WebError::NotFound);
        };
        step
    };
    let parsed = read_multipart(r, &l, step).await?;
    let (fields, new_files, problems) = match parsed {
        Some(p) => (p.fields, p.files, p.problems),
        None => (r.form.to_vec(), vec![], vec![]),
    };
    let r = &Request {
        ctx: r.ctx,
        params: r.params,
        form: &fields,
        body: None,
    };
    Engine::new(l.def, &l.lists, today).apply(step, &mut l.draft.answers, r.form);
    let uploaded = !new_files.is_empty();
    for f in new_files {
        let mut ids: Vec<String> = l
            .draft
            .answers
            .get(&f.field)
            .map(|a| a.values().into_iter().map(str::to_owned).collect())
            .unwrap_or_default();
        ids.push(f.id.clone());
        l.draft
            .answers
            .set(f.field.clone(), crate::forms::answers::Answer::Many(ids));
        l.draft.files.insert(f.id.clone(), f);
    }
    let def = l.def;
    let act = action(r);
    // Row actions only for groups on this step.
    let group_here = |g: &str| {
        def.steps
            .get(step)
            .is_some_and(|s| s.fields.iter().any(|f| f.id == g))
    };
    let mut redirect = None;
    match &act {
        Action::Add(g) if group_here(g) => {
            if let Some(crate::forms::definition::Kind::Group { max, .. }) =
                def.field(g).map(|f| &f.kind)
            {
                let n = l.draft.answers.row_count(g);
                if n < *max {
                    l.draft.answers.rows.insert(g.clone(), n + 1);
                }
                let anchor = crate::forms::answers::anchor(g);
                redirect = Some(format!("{}#{anchor}-row-{n}", r.ctx.here()));
            }
        }
        Action::Remove(g, i) if group_here(g) => {
            l.draft.answers.remove_row(g, *i);
            redirect = Some(format!(
                "{}#{}",
                r.ctx.here(),
                crate::forms::answers::anchor(g)
            ));
        }
        Action::RemoveFile(id) => {
            if let Some(f) = l.draft.files.get(id) {
                let field = f.field.clone();
                let left: Vec<String> = l
                    .draft
                    .answers
                    .get(&field)
                    .map(|a| {
                        a.values()
                            .into_iter()
                            .filter(|v| v != id)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                l.draft
                    .answers
                    .set(field.clone(), crate::forms::answers::Answer::Many(left));
                redirect = Some(format!(
                    "{}#{}",
                    r.ctx.here(),
                    crate::forms::answers::anchor(&field)
                ));
            }
        }
        Action::Upload if problems.is_empty() => {
            let to = fields_anchor(def, step);
            redirect = Some(format!("{}{to}", r.ctx.here()));
        }
        _ => {}
    }
    // Files no answer holds any more (removed, or their row removed) leave the draft.
    let engine = Engine::new(def, &l.lists, today);
    let held: std::collections::HashSet<String> =
        engine.file_ids(&l.draft.answers).into_iter().collect();
    let dropped: Vec<String> = l
        .draft
        .files
        .keys()
        .filter(|id| !held.contains(*id))
        .cloned()
        .collect();
    for id in &dropped {
        l.draft.files.remove(id);
    }
    let mut errors: Vec<crate::forms::engine::FieldError> = problems
        .iter()
        .map(|p| crate::forms::engine::FieldError {
            name: p.field.clone(),
            step,
            message: crate::forms::engine::Message::Key(p.key, p.args.clone()),
        })
        .collect();
    if redirect.is_none() && errors.is_empty() {
        match act {
            Action::Back => {
                redirect = Some(if position == 0 {
                    format!("/skjema/{}", def.id)
                } else {
                    step_url(def, position - 1)
                });
            }
            Action::Upload | Action::RemoveFile(_) => {}
            _ => {
                errors = engine.validate_step(step, &l.draft.answers);
                if errors.is_empty() {
                    let visible = engine.visible_steps(&l.draft.answers);
                    let here = visible.iter().position(|s| *s == step).unwrap_or(position);
                    redirect = Some(if returns_to_summary(r) || here + 1 >= visible.len() {
                        format!("/skjema/{}/oppsummering", def.id)
                    } else {
                        step_url(def, here + 1)
                    });
                }
            }
        }
    }
    l.draft.updated = unix_now();
    l.draft.lang = r.ctx.lang;
    let store = &r.ctx.state.store;
    if uploaded {
        // The citizen sees the file as uploaded only once the draft holding it is durable.
        store
            .save_draft_durably(l.id.clone(), l.draft.clone())
            .await?;
    } else {
        store.save_draft(l.id.clone(), l.draft.clone()).await?;
    }
    for id in &dropped {
        r.ctx
            .state
            .files
            .remove(r.ctx.tenant.config.id.as_str(), id);
    }
    match redirect {
        Some(to) => Ok(see_other(&to)),
        None => render_step(r, &l, position, &errors),
    }
}

/// `#anchor` of the step's first file input, to land back at it after an upload.
fn fields_anchor(def: &FormDef, step: usize) -> String {
    def.steps
        .get(step)
        .and_then(|s| {
            s.fields
                .iter()
                .find(|f| matches!(f.kind, crate::forms::definition::Kind::Attachment { .. }))
        })
        .map(|f| format!("#{}", crate::forms::answers::anchor(&f.id)))
        .unwrap_or_default()
}

pub fn control(r: &Request<'_, '_>) -> Result<Resp, WebError> {
    let l = match load(r)? {
        Flow::Ready(l) => l,
        Flow::Redirect(resp) => return Ok(resp),
    };
    let engine = Engine::new(l.def, &l.lists, today());
    let errors = engine.validate_all(&l.draft.answers);
    if errors.is_empty() {
        return Ok(see_other(&format!("/skjema/{}/oppsummering", l.def.id)));
    }
    let ctx = r.ctx;
    let (csrf, here) = (ctx.csrf_token(), ctx.here());
    let f = frame(ctx, &csrf, &here);
    Ok(html(
        StatusCode::OK,
        views::form_run::control(&f, &engine, &l.draft.answers, &errors).into_string(),
    ))
}

pub fn check_answers(r: &Request<'_, '_>) -> Result<Resp, WebError> {
    let l = match load(r)? {
        Flow::Ready(l) => l,
        Flow::Redirect(resp) => return Ok(resp),
    };
    let engine = Engine::new(l.def, &l.lists, today());
    if !engine.validate_all(&l.draft.answers).is_empty() {
        return Ok(see_other(&format!("/skjema/{}/kontroll", l.def.id)));
    }
    let ctx = r.ctx;
    let (csrf, here) = (ctx.csrf_token(), ctx.here());
    let f = frame(ctx, &csrf, &here);
    Ok(html(
        StatusCode::OK,
        views::form_run::check_answers(&f, &engine, &l.draft.answers, &l.draft.files).into_string(),
    ))
}

/// POST /skjema/{form}/send: validate everything, then one durable transaction; only then the receipt.
pub async fn submit(r: &Request<'_, '_>) -> Result<Resp, WebError> {
    let def = form(r)?;
    let store = &r.ctx.state.store;
    let Some((id, draft)) = load_draft(r, def)? else {
        return Ok(landing(def));
    };
    let (answers, files) = if draft.submitted.is_some() {
        // Already sent (double click, back-and-resubmit): the store returns the same reference.
        (draft.answers.clone(), vec![])
    } else {
        let lists = r.ctx.tenant.lists(today());
        let engine = Engine::new(def, &lists, today());
        if !engine.validate_all(&draft.answers).is_empty() {
            return Ok(see_other(&format!("/skjema/{}/kontroll", def.id)));
        }
        let answers = engine.prune(&draft.answers);
        // Only the files of visible answers go with the submission, numbered in the form's order.
        let files = engine
            .file_ids(&answers)
            .iter()
            .filter_map(|id| draft.files.get(id).cloned())
            .collect();
        (answers, files)
    };
    let now = time::OffsetDateTime::now_utc();
    // The form's targets, and the tenant's targets that take every form.
    let mut targets = def.delivery_targets.clone();
    for t in r.ctx.tenant.config.targets.iter().filter(|t| t.all_forms) {
        if !targets.contains(&t.name) {
            targets.push(t.name.clone());
        }
    }
    let submitted = store
        .submit(
            id,
            answers,
            files,
            targets,
            now.unix_timestamp(),
            today_in_norway(now).year(),
        )
        .await?
        .map_err(|e| match e {
            SubmitRefused::NoDraft | SubmitRefused::WrongForm => WebError::NotFound,
        })?;
    r.ctx.state.delivery_wake.notify_one();
    let key = format!("{}/{}", r.ctx.tenant.config.id, submitted.reference);
    let mut session = store
        .session(&r.ctx.session)?
        .unwrap_or_else(|| Session::new(now.unix_timestamp()));
    if !session.receipts.contains(&key) {
        session.receipts.push(key);
        store.save_session(&r.ctx.session, session, true).await?;
    }
    Ok(see_other(&format!(
        "/skjema/{}/kvittering/{}",
        def.id, submitted.reference
    )))
}

/// The submission behind a receipt URL, if this session sent it.
fn receipt_submission<'t>(
    r: &Request<'_, 't>,
) -> Result<(&'t Arc<FormDef>, crate::store::forms::Submission), WebError> {
    let def = form(r)?;
    let reference = r.param(1).ok_or(WebError::NotFound)?;
    let store = &r.ctx.state.store;
    let key = format!("{}/{reference}", r.ctx.tenant.config.id);
    let allowed = store
        .session(&r.ctx.session)?
        .is_some_and(|s| s.receipts.contains(&key));
    if !allowed {
        return Err(WebError::NotFound);
    }
    let sub = store
        .submission(&r.ctx.tenant.config.id, reference)?
        .ok_or(WebError::NotFound)?;
    if sub.form != def.id.as_str() {
        return Err(WebError::NotFound);
    }
    Ok((def, sub))
}

fn receipt_page(
    r: &Request<'_, '_>,
    email_value: &str,
    email_error: Option<String>,
) -> Result<Resp, WebError> {
    let (def, sub) = receipt_submission(r)?;
    let at = time::OffsetDateTime::from_unix_timestamp(sub.submitted)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let local = crate::forms::engine::norway_time(at);
    let ctx = r.ctx;
    // After "send copy": the address of the newest copy.
    let email_sent = if r.ctx.query_param("kopi").is_some() {
        ctx.state
            .store
            .outbox_rows(&ctx.tenant.config.id, &sub.reference)?
            .into_iter()
            .filter_map(|row| {
                let n: u32 = row.target.strip_prefix("kvittering-")?.parse().ok()?;
                Some((n, row.to?))
            })
            .max_by_key(|(n, _)| *n)
            .map(|(_, to)| to)
    } else {
        None
    };
    let (csrf, here) = (ctx.csrf_token(), ctx.here());
    let f = frame(ctx, &csrf, &here);
    let status = if email_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let v = views::form_run::ReceiptView {
        reference: &sub.reference,
        date: crate::forms::engine::format_date(local.date()),
        time: format!("{:02}:{:02}", local.hour(), local.minute()),
        email_value,
        email_error,
        email_sent,
    };
    Ok(html(
        status,
        views::form_run::receipt(&f, def, &v).into_string(),
    ))
}

pub fn receipt(r: &Request<'_, '_>) -> Result<Resp, WebError> {
    receipt_page(r, "", None)
}

/// GET …/kvittering/{reference}/pdf: the submission as a PDF, for the session that sent it.
pub async fn receipt_pdf(r: &Request<'_, '_>) -> Result<Resp, WebError> {
    let (def, sub) = receipt_submission(r)?;
    let bytes = crate::pdf::submission_pdf_kept(
        &r.ctx.state.config.server.data_dir,
        &r.ctx.state.i18n,
        r.ctx.tenant,
        def,
        &sub,
    )
    .map_err(WebError::Internal)?;
    Ok(crate::http::response::pdf(
        bytes,
        &format!("{}-{}.pdf", def.id, sub.reference),
    ))
}

/// Copies of the receipt one submission may have sent by e-mail.
const MAX_RECEIPT_COPIES: usize = 5;

/// POST …/kvittering/{reference}/epost: queue a copy of the receipt to the address given.
pub async fn receipt_email(r: &Request<'_, '_>) -> Result<Resp, WebError> {
    let (def, sub) = receipt_submission(r)?;
    let typed = r.field("epost").unwrap_or("").trim().to_owned();
    let loc = r.ctx.loc();
    let address = match crate::forms::validate::email::check(&typed) {
        Ok(a) => a,
        Err(e) => {
            let msg = views::fields::message_text(
                loc,
                &crate::forms::engine::Message::Key(e.key, e.args),
                loc.t("receipt-email-label"),
            );
            return receipt_page(r, &typed, Some(msg));
        }
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let added = r
        .ctx
        .state
        .store
        .add_receipt_copy(
            &r.ctx.tenant.config.id,
            &sub.reference,
            address,
            now,
            MAX_RECEIPT_COPIES,
        )
        .await?;
    if !added {
        let msg = loc.tf(
            "receipt-email-too-many",
            &[("max", MAX_RECEIPT_COPIES.into())],
        );
        return receipt_page(r, &typed, Some(msg));
    }
    r.ctx.state.delivery_wake.notify_one();
    Ok(see_other(&format!(
        "/skjema/{}/kvittering/{}?kopi=1",
        def.id, sub.reference
    )))
}
