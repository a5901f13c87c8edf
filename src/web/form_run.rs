//! The way through a form, POST/redirect/GET throughout:
//! start → steps (Back/Next, add/remove rows) → control page → check-answers → send → receipt.
//!
//! The handlers read the request and render; what happens to the draft and the submission is the case
//! layer's ([`crate::cases`]). The receipt is shown only after the transaction holding the submission and
//! its outbox rows has committed durably.

use std::sync::Arc;

use hyper::StatusCode;

use super::{Read as _, Request, frame};
use crate::cases::{self, Action, Next, OpenDraft, StepInput, SubmitError};
use crate::forms::FormDef;
use crate::forms::definition::Kind;
use crate::forms::engine::{Engine, FieldError, Lists, Message};
use crate::forms::summary::{self, FileShown};
use crate::http::Resp;
use crate::http::error::WebError;
use crate::http::multipart;
use crate::http::response::{html, see_other};
use crate::ids::Target;
use crate::paths;
use crate::store::Edited;
use crate::views;

/// This session's draft of `def`, on the form version it was started on.
fn session_draft(r: &Request<'_>, def: &Arc<FormDef>) -> Result<Option<OpenDraft>, WebError> {
    let ctx = r.ctx;
    let state = ctx.state;
    Ok(cases::open_draft(
        &state.store,
        ctx.tenant,
        &ctx.session,
        ctx.account(),
        def,
        state.clock.unix(),
    )?)
}

/// POST /skjema/{form}/start: resume this session's draft or make a new one.
/// What a request would add to the data folder, for the free-space floor ([`room_for`]).
#[derive(Clone, Copy)]
enum Growth {
    /// A new draft, or uploaded files.
    New,
    /// The submission of a draft already filled in: allowed down to a quarter of the floor.
    Submission,
}

/// Refuses work that would take the data folder's file system below its floor (`limits.min_free_mb`),
/// before anything is read or written, with the translated 507 page.
fn room_for(state: &crate::state::State, growth: Growth) -> Result<(), WebError> {
    let floor = match growth {
        Growth::New => state.config.limits.min_free_bytes,
        Growth::Submission => state.config.limits.min_free_bytes / 4,
    };
    match crate::metrics::disk(&state.config.server.data_dir) {
        Some(d) if d.free < floor => Err(WebError::StorageFull(format!(
            "{} bytes free on the data folder's file system, below the floor of {floor}",
            d.free
        ))),
        _ => Ok(()),
    }
}

/// The account as prefill sees it, completed from the registers for an identity a provider vouched
/// for: the population register's name and address (never an address under protection: then no
/// address at all is prefilled, the profile's neither), the contact register's e-mail address and
/// mobile number (not for a person who has reserved herself). What the citizen put in her profile
/// comes first. Nothing is stored.
async fn with_registers(
    ctx: &crate::http::request::Ctx<'_>,
    account: &crate::auth::records::Account,
) -> crate::auth::records::Account {
    let mut a = account.clone();
    let registers = &ctx.state.config.registers;
    let Some(pid) = account.pid.as_deref() else {
        return a;
    };
    if registers.population.is_none() && registers.contact.is_none() {
        return a;
    }
    let (person, contact) = crate::registers::about_person(registers, pid).await;
    if let Some(p) = person {
        if a.profile.name.is_empty() {
            a.profile.name = p.name.clone().unwrap_or_default();
        }
        if !p.address_may_prefill() {
            a.profile.street.clear();
            a.profile.postnummer.clear();
        } else if a.profile.street.is_empty()
            && let Some(addr) = p.address
        {
            a.profile.street = addr.street;
            a.profile.postnummer = addr.postnummer;
        }
    }
    if let Some(c) = contact.filter(|c| !c.reserved) {
        if a.email.is_empty() {
            a.email = c.email.unwrap_or_default();
        }
        if a.profile.phone.is_empty() {
            a.profile.phone = c.mobile.unwrap_or_default();
        }
    }
    a
}

pub async fn start(r: &Request<'_>) -> Result<Resp, WebError> {
    let def = r.form()?;
    let ctx = r.ctx;
    let state = ctx.state;
    let open = session_draft(r, def)?;
    if open.is_none_or(|o| o.draft.submitted.is_some()) {
        room_for(state, Growth::New)?;
        r.ctx.spend_session_if_new()?;
        r.ctx.spend(crate::budgets::Spend::Draft, 1)?;
        let account = match ctx.account() {
            Some(a) => Some(with_registers(ctx, a).await),
            None => None,
        };
        let carried = carried_answers(r, def)?;
        cases::start_draft_with(
            &state.store,
            ctx.tenant,
            &ctx.session,
            def,
            ctx.lang,
            &state.clock,
            state.config.server.first_step_lifetime.as_secs() as i64,
            account.as_ref(),
            carried,
        )
        .await?;
    }
    Ok(see_other(&paths::step(&def.id, 0)))
}

/// A follow-up form started from a receipt (`fra` = the reference, `fra-skjema` = its form): the
/// answers the sent form's `[[follow_up]]` carries into this one, if this browser or account may see
/// that receipt; the account's prefill fills what they do not. `None` for a plain start.
fn carried_answers(
    r: &Request<'_>,
    def: &crate::forms::FormDef,
) -> Result<Option<crate::forms::answers::Answers>, WebError> {
    let ctx = r.ctx;
    let (Some(reference), Some(source)) = (r.field("fra"), r.field("fra-skjema")) else {
        return Ok(None);
    };
    let (Ok(reference), Ok(source)) = (
        crate::ids::Reference::parse(reference),
        crate::ids::FormId::parse(source),
    ) else {
        return Ok(None);
    };
    let Some(source_def) = ctx.tenant.form(&source) else {
        return Ok(None);
    };
    let Some(fu) = source_def
        .follow_ups
        .iter()
        .find(|f| f.form == def.id.as_str())
    else {
        return Ok(None);
    };
    let Some(sub) = cases::receipt(
        &ctx.state.store,
        ctx.tenant,
        &ctx.session,
        ctx.account().map(|a| &a.id),
        source_def,
        &reference,
        ctx.state.clock.unix(),
    )?
    else {
        return Ok(None);
    };
    let mut answers = ctx.account().map(|a| a.prefill(def)).unwrap_or_default();
    for (to, from) in &fu.carry {
        if let Some(v) = sub.answers.values.get(from) {
            answers.set(to.clone(), v.clone());
        }
    }
    let today = ctx.state.clock.today();
    let lists = ctx.tenant.lists(today);
    Ok(Some(Engine::new(def, &lists, today).prune(&answers)))
}

struct Loaded {
    open: OpenDraft,
    lists: Lists,
    today: time::Date,
}

impl Loaded {
    fn engine(&self) -> Engine<'_> {
        Engine::new(&self.open.def, &self.lists, self.today)
    }
}

enum Flow {
    Ready(Box<Loaded>),
    Redirect(Resp),
}

fn load(r: &Request<'_>) -> Result<Flow, WebError> {
    let def = r.form()?;
    let ctx = r.ctx;
    let state = ctx.state;
    let Some(open) = session_draft(r, def)? else {
        return Ok(Flow::Redirect(see_other(&paths::landing(&def.id))));
    };
    if let Some(reference) = &open.draft.submitted {
        return Ok(Flow::Redirect(see_other(&paths::receipt(
            &def.id, reference,
        ))));
    }
    let today = state.clock.today();
    Ok(Flow::Ready(Box::new(Loaded {
        open,
        lists: ctx.tenant.lists(today),
        today,
    })))
}

macro_rules! ready {
    ($r:expr) => {
        match load($r)? {
            Flow::Ready(l) => l,
            Flow::Redirect(resp) => return Ok(resp),
        }
    };
}

/// The first visible step with a problem, or None when everything is answered.
fn first_incomplete(engine: &Engine<'_>, l: &Loaded) -> Option<usize> {
    let answers = &l.open.draft.answers;
    engine
        .visible_steps(answers)
        .iter()
        .position(|si| !engine.validate_step(*si, answers).is_empty())
}

fn returns_to_summary(r: &Request<'_>) -> bool {
    r.ctx.query_param("fra").as_deref() == Some("oppsummering")
}

fn render_step(
    r: &Request<'_>,
    l: &Loaded,
    position: usize,
    errors: &[FieldError],
) -> Result<Resp, WebError> {
    render_step_as(r, l, position, errors, None)
}

/// A step page; `unsaved` when the step's answers could not be saved (the page then shows what was
/// typed, says it was not saved, and answers with that status).
fn render_step_as(
    r: &Request<'_>,
    l: &Loaded,
    position: usize,
    errors: &[FieldError],
    unsaved: Option<StatusCode>,
) -> Result<Resp, WebError> {
    let engine = l.engine();
    let def = &l.open.def;
    let visible = engine.visible_steps(&l.open.draft.answers);
    let Some(step) = visible.get(position).copied() else {
        return Err(WebError::NotFound);
    };
    let mut action = paths::step(&def.id, position);
    if returns_to_summary(r) {
        action.push_str("?fra=oppsummering");
    }
    let ctx = r.ctx;
    let (csrf, here) = (ctx.csrf_token(), ctx.here());
    let mut f = frame(ctx, &csrf, &here);
    f.switch_form = Some("step-form");
    let idle = ctx.login().current().map(|c| {
        let now = ctx.state.clock.unix();
        // This request has just extended the login when its last use was written now.
        let ends = if c.touch {
            now + ctx.state.config.accounts.idle.as_secs() as i64
        } else {
            c.idle_ends
        };
        let end = crate::forms::engine::norway_time(
            time::OffsetDateTime::from_unix_timestamp(ends)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        );
        (format!("{:02}:{:02}", end.hour(), end.minute()), ends - now)
    });
    if idle.is_some()
        || def.steps.get(step).is_some_and(|s| {
            s.fields.iter().any(|f| {
                f.reveal_on_page
                    || matches!(&f.kind, Kind::Group { fields, .. } if fields.iter().any(|x| x.reveal_on_page))
            })
        })
    {
        f.script_url = Some(&ctx.tenant.urls.script);
    }
    let view = views::form_run::StepView {
        engine: &engine,
        answers: &l.open.draft.answers,
        errors,
        position,
        step,
        visible: &visible,
        action,
        files: &l.open.draft.files,
        notice: if unsaved.is_some() {
            Some(ctx.loc().t("step-not-saved").to_owned())
        } else {
            l.open
                .older_version
                .then(|| ctx.loc().t("form-version-kept").to_owned())
        },
        uploads: step_has_uploads(def, step),
        idle,
    };
    let status = match unsaved {
        Some(s) => s,
        None if errors.is_empty() => StatusCode::OK,
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(html(status, views::form_run::step(&f, &view).into_string()))
}

/// Checks the step number against the visible steps and how far the citizen has come. On a bad number,
/// the URL of the step to go to instead.
fn position_of(r: &Request<'_>, l: &Loaded) -> Result<usize, String> {
    let engine = l.engine();
    let visible = engine.visible_steps(&l.open.draft.answers);
    let limit = first_incomplete(&engine, l).unwrap_or(visible.len().saturating_sub(1));
    match r.step_number().map(|n| n - 1) {
        Some(p) if p < visible.len() && p <= limit => Ok(p),
        // A tampered or skipped-ahead step number: go to the first step that still needs answers.
        _ => Err(paths::step(&l.open.def.id, limit)),
    }
}

pub fn step_get(r: &Request<'_>) -> Result<Resp, WebError> {
    let l = ready!(r);
    match position_of(r, &l) {
        Ok(p) => render_step(r, &l, p, &[]),
        Err(to) => Ok(see_other(&to)),
    }
}

/// Whether a step has a file input (directly or in a group): its form is sent as multipart.
fn step_has_uploads(def: &FormDef, step: usize) -> bool {
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
fn upload_rule(l: &Loaded, step: usize, name: &str) -> Option<multipart::FieldRule> {
    let (si, f) = l.open.def.field_for_name(name)?;
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
    let answers = &l.open.draft.answers;
    if let Some((group, rest)) = name.split_once('[') {
        let row: usize = rest.split_once(']')?.0.parse().ok()?;
        if row >= answers.row_count(group) {
            return None;
        }
    } else if f.id != name {
        return None;
    }
    Some(multipart::FieldRule {
        accept: accept.clone(),
        max_bytes: (max_size_mb * 1_000_000.0) as u64,
        max_files: *max_files as usize,
        already: answers.get(name).map_or(0, |a| a.values().len()),
    })
}

/// Reads a multipart step POST: text fields, and files stored durably on disk.
async fn read_multipart(
    r: &Request<'_>,
    l: &Loaded,
    step: usize,
) -> Result<Option<multipart::Parsed>, WebError> {
    let Some((headers, body)) = r
        .body
        .and_then(|slot| slot.lock().ok().and_then(|mut s| s.take()))
    else {
        return Ok(None);
    };
    let ctx = r.ctx;
    room_for(ctx.state, Growth::New)?;
    // Refused before a byte is read when the client (or the tenant, or all) has used up its uploads.
    ctx.budget_left(crate::budgets::Spend::UploadFile)?;
    ctx.budget_left(crate::budgets::Spend::UploadBytes)?;
    let cfg = &ctx.state.config;
    let limits = multipart::Limits {
        submission_bytes: cfg.limits.max_upload_bytes,
        submission_files: cfg.limits.max_attachments,
        text_bytes: cfg.limits.max_form_bytes,
        idle: cfg.limits.body_timeout,
        until: tokio::time::Instant::now() + cfg.limits.body_deadline,
    };
    let held = l.open.draft.files.values();
    let already = (
        held.len(),
        l.open.draft.files.values().map(|f| f.size).sum(),
    );
    let csrf_ok = |t: &str| {
        !ctx.new_session && crate::http::csrf::verify(&ctx.state.site_key, &ctx.session, t)
    };
    let rule = |name: &str| upload_rule(l, step, name);
    let cx = multipart::Context {
        files: &ctx.state.files,
        tenant: &ctx.tenant.config.id,
        clamav: cfg.clamav.as_ref(),
        limits: &limits,
        already,
        csrf_ok: &csrf_ok,
        rule: &rule,
    };
    match multipart::read(&headers, body, &cx).await {
        Ok(mut p) => {
            // Each file is paid for once it is in: over the budget, it is deleted and named.
            let mut kept = vec![];
            for f in std::mem::take(&mut p.files) {
                let paid = ctx
                    .spend(crate::budgets::Spend::UploadFile, 1)
                    .and_then(|()| ctx.spend(crate::budgets::Spend::UploadBytes, f.size));
                if paid.is_ok() {
                    kept.push(f);
                } else {
                    ctx.state.files.remove(&ctx.tenant.config.id, &f.id);
                    p.problems.push(multipart::Problem {
                        field: f.field.clone(),
                        key: "v-file-budget",
                        args: vec![("name", f.name.clone())],
                    });
                }
            }
            p.files = kept;
            Ok(Some(p))
        }
        Err(WebError::Csrf { .. }) => Err(WebError::Csrf {
            action: ctx.path.clone(),
            fields: vec![],
        }),
        Err(e) => Err(e),
    }
}

/// A valid organisasjonsnummer posted on this step fills its `fills` field with the organisation's name
/// from Enhetsregisteret, when that field was posted empty and a lookup is configured. A failed or
/// slow lookup leaves the field for the citizen to fill in.
async fn fill_from_enhetsregisteret(
    ctx: &crate::http::request::Ctx<'_>,
    def: &FormDef,
    step: usize,
    fields: &mut Vec<(String, String)>,
) {
    let registers = &ctx.state.config.registers;
    if registers.organisations.is_none() {
        return;
    }
    let Some(s) = def.steps.get(step) else {
        return;
    };
    for f in &s.fields {
        let Kind::Orgnr {
            fills: Some(target),
        } = &f.kind
        else {
            continue;
        };
        let posted = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
        };
        let Some(orgnr) = posted(&f.id).and_then(|v| crate::forms::validate::orgnr::check(&v).ok())
        else {
            continue;
        };
        if posted(target).is_some_and(|v| !v.is_empty()) {
            continue;
        }
        if let Some(org) = crate::registers::lookup_organisation(registers, &orgnr).await {
            fields.retain(|(k, _)| k != target);
            fields.push((target.clone(), org.name));
        }
    }
}

pub async fn step_post(r: &Request<'_>) -> Result<Resp, WebError> {
    // Nothing to attach to when there is no draft; a multipart body is then simply not read.
    let mut l = ready!(r);
    let position = match position_of(r, &l) {
        Ok(p) => p,
        Err(to) => return Ok(see_other(&to)),
    };
    let Some(step) = l
        .engine()
        .visible_steps(&l.open.draft.answers)
        .get(position)
        .copied()
    else {
        return Err(WebError::NotFound);
    };
    let parsed = read_multipart(r, &l, step).await?;
    let (mut fields, new_files, problems) = match parsed {
        Some(p) => (p.fields, p.files, p.problems),
        None => (r.form.to_vec(), vec![], vec![]),
    };
    fill_from_enhetsregisteret(r.ctx, &l.open.def, step, &mut fields).await;
    let problems: Vec<FieldError> = problems
        .into_iter()
        .map(|p| FieldError {
            name: p.field,
            step,
            message: Message::Key(p.key, p.args),
        })
        .collect();
    let action = Action::parse(
        fields
            .iter()
            .find(|(k, _)| k == "handling")
            .map(|(_, v)| v.as_str()),
    );
    let max_files = new_files
        .iter()
        .filter_map(|f| Some((f.field.clone(), upload_rule(&l, step, &f.field)?.max_files)))
        .collect();
    let limits = &r.ctx.state.config.limits;
    let input = StepInput {
        max_files,
        draft_limits: (limits.max_attachments, limits.max_upload_bytes),
        step,
        position,
        fields,
        new_files,
        problems,
        action,
        from_summary: returns_to_summary(r),
    };
    let ctx = r.ctx;
    let state = ctx.state;
    let typed = input.fields.clone();
    let switch_to = match &input.action {
        Action::Language(l) => Some(*l),
        _ => None,
    };
    let saved = cases::apply_step(
        &state.store,
        ctx.tenant,
        &l.open,
        input,
        switch_to.unwrap_or(ctx.lang),
        &state.clock,
        (
            state.config.server.first_step_lifetime.as_secs() as i64,
            state.config.server.draft_lifetime.as_secs() as i64,
        ),
    )
    .await;
    let saved = match saved {
        Ok(s) => s,
        Err(e) => {
            // Not saved (a full disk, a failing store): the page says so and keeps what was typed,
            // ready to send again; nothing claims a save that did not happen.
            let status = match WebError::from(e) {
                WebError::StorageFull(why) => {
                    tracing::error!(error = %why, "a step could not be saved");
                    StatusCode::INSUFFICIENT_STORAGE
                }
                other => {
                    tracing::error!(error = ?other, "a step could not be saved");
                    StatusCode::SERVICE_UNAVAILABLE
                }
            };
            let mut answers = l.open.draft.answers.clone();
            l.engine().apply(step, &mut answers, &typed);
            l.open.draft.answers = answers;
            return render_step_as(r, &l, position, &[], Some(status));
        }
    };
    let edited = match saved {
        Edited::Saved(applied, draft) => {
            l.open.draft = *draft;
            applied
        }
        Edited::Missing => return Ok(see_other(&paths::landing(&l.open.def.id))),
        Edited::Sent(reference) => {
            return Ok(see_other(&paths::receipt(&l.open.def.id, &reference)));
        }
    };
    for id in &edited.dropped {
        ctx.state.files.remove(&ctx.tenant.config.id, id);
    }
    let def = &l.open.def;
    let to = match edited.next {
        Next::Here(anchor) => format!("{}{anchor}", ctx.here()),
        Next::Previous if position == 0 => paths::landing(&def.id),
        Next::Previous => paths::step(&def.id, position - 1),
        Next::Step(p) => paths::step(&def.id, p),
        Next::CheckAnswers => paths::check_answers(&def.id),
        Next::Errors => return render_step(r, &l, position, &edited.errors),
    };
    let mut resp = see_other(&to);
    if let Some(lang) = switch_to {
        super::language::remember(ctx, lang, &mut resp).await?;
    }
    Ok(resp)
}

pub fn control(r: &Request<'_>) -> Result<Resp, WebError> {
    let l = ready!(r);
    let engine = l.engine();
    let errors = engine.validate_all(&l.open.draft.answers);
    if errors.is_empty() {
        return Ok(see_other(&paths::check_answers(&l.open.def.id)));
    }
    let ctx = r.ctx;
    let (csrf, here) = (ctx.csrf_token(), ctx.here());
    let f = frame(ctx, &csrf, &here);
    Ok(html(
        StatusCode::OK,
        views::form_run::control(&f, &engine, &l.open.draft.answers, &errors).into_string(),
    ))
}

pub fn check_answers(r: &Request<'_>) -> Result<Resp, WebError> {
    let l = ready!(r);
    let engine = l.engine();
    let answers = &l.open.draft.answers;
    if !engine.validate_all(answers).is_empty() {
        return Ok(see_other(&paths::control(&l.open.def.id)));
    }
    let ctx = r.ctx;
    let loc = ctx.loc();
    let files = &l.open.draft.files;
    let file = |id: &str| {
        files.get(id).map(|f| FileShown {
            name: f.name.clone(),
            size: f.size,
        })
    };
    let yes_no = (loc.t("answer-yes"), loc.t("answer-no"));
    let steps = summary::walk(&engine, answers, ctx.lang, yes_no, &file);
    let (csrf, here) = (ctx.csrf_token(), ctx.here());
    let f = frame(ctx, &csrf, &here);
    Ok(html(
        StatusCode::OK,
        views::form_run::check_answers(&f, &l.open.def, &steps).into_string(),
    ))
}

/// POST /skjema/{form}/send: validate everything, then one durable transaction; only then the receipt.
pub async fn submit(r: &Request<'_>) -> Result<Resp, WebError> {
    let def = r.form()?;
    let ctx = r.ctx;
    let state = ctx.state;
    let Some(open) = session_draft(r, def)? else {
        return Ok(see_other(&paths::landing(&def.id)));
    };
    room_for(state, Growth::Submission)?;
    match cases::submit(&state.store, ctx.tenant, &ctx.session, &open, &state.clock).await {
        Ok(sent) => {
            if sent.new {
                state.deliveries.wake();
            }
            Ok(see_other(&paths::receipt(&def.id, &sent.reference)))
        }
        Err(SubmitError::Incomplete) => Ok(see_other(&paths::control(&def.id))),
        Err(SubmitError::NoDraft) => Ok(see_other(&paths::landing(&def.id))),
        Err(SubmitError::Changed) => Ok(see_other(&paths::check_answers(&def.id))),
        Err(SubmitError::Store(e)) => Err(e.into()),
    }
}

/// The submission behind a receipt URL, if this session sent it.
fn receipt_submission<'t>(
    r: &Request<'t>,
) -> Result<(&'t Arc<FormDef>, crate::cases::records::Submission), WebError> {
    let def = r.form()?;
    let reference = r.reference()?;
    let ctx = r.ctx;
    let sub = cases::receipt(
        &ctx.state.store,
        ctx.tenant,
        &ctx.session_now(),
        ctx.account().map(|a| &a.id),
        def,
        &reference,
        ctx.state.clock.unix(),
    )?
    .ok_or(WebError::NotFound)?;
    Ok((def, sub))
}

/// The receipt page of a submission [`receipt_submission`] has found.
fn receipt_page(
    r: &Request<'_>,
    (def, sub): (&Arc<FormDef>, &crate::cases::records::Submission),
    email_value: &str,
    email_error: Option<String>,
) -> Result<Resp, WebError> {
    let local = crate::forms::engine::norway_time(sub.submitted_at());
    let ctx = r.ctx;
    // After "send copy": the address of the newest copy.
    let email_sent = if r.ctx.query_param("kopi").is_some() {
        ctx.state
            .store
            .tenant(&ctx.tenant.config.id)
            .outbox_rows(&sub.reference)?
            .into_iter()
            .filter_map(|row| match row.target {
                Target::ReceiptConfirm(n) => Some((n, row.to?)),
                _ => None,
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
        can_email: ctx.state.can_send_mail() && def.receipt_copy,
        email_value,
        email_error,
        email_sent,
        follow_ups: def
            .follow_ups
            .iter()
            .filter_map(|fu| {
                let id = crate::ids::FormId::parse(&fu.form).ok()?;
                let next = ctx.tenant.form(&id)?;
                // Not a form this installation cannot let her start (a login level it does not offer).
                next.can_start_with(ctx.state.login_offered(ctx.tenant))
                    .then(|| (next.title.get(ctx.lang).to_owned(), paths::start(&id)))
            })
            .collect(),
    };
    Ok(html(
        status,
        views::form_run::receipt(&f, def, &v).into_string(),
    ))
}

/// GET …/kvittering/{reference}. The first time after a submission the session moves to a new id.
pub async fn receipt(r: &Request<'_>) -> Result<Resp, WebError> {
    // Only the session that sent it gets this far; the page then goes out under the new id.
    let (def, sub) = receipt_submission(r)?;
    let ctx = r.ctx;
    if let Some(to) =
        cases::rotate_after_submission(&ctx.state.store, &ctx.session, ctx.state.clock.unix())
            .await?
    {
        ctx.rotate_session(to);
    }
    receipt_page(r, (def, &sub), "", None)
}

/// GET …/kvittering/{reference}/pdf: the submission as a PDF, for the session that sent it, rendered on
/// the form version it was filled in on.
pub async fn receipt_pdf(r: &Request<'_>) -> Result<Resp, WebError> {
    let (current, sub) = receipt_submission(r)?;
    let ctx = r.ctx;
    let state = ctx.state;
    let def = cases::form_of(&state.store, ctx.tenant, &sub)?.unwrap_or_else(|| current.clone());
    let (data_dir, i18n) = (state.config.server.data_dir.clone(), state.i18n.clone());
    let (tenants, at) = (state.tenants.clone(), state.tenant_index(ctx.tenant));
    let name = format!("{}-{}.pdf", def.id, sub.reference);
    let bytes = super::heavy(state, move || {
        let tenant = tenants.get(at).ok_or("the tenant is gone")?;
        crate::cases::kept_pdf(&data_dir, &i18n, tenant, &def, &sub)
    })
    .await?
    .map_err(WebError::Internal)?;
    Ok(crate::http::response::pdf(bytes, &name))
}

/// Copies of the receipt one submission may have sent by e-mail (and confirmation mails asking for one).
const MAX_RECEIPT_COPIES: usize = 5;
/// At most one confirmation mail, and one copy, per receipt in this many seconds.
const RECEIPT_MAIL_GAP_SECS: i64 = 3600;

/// POST …/kvittering/{reference}/epost: queue a copy of the receipt to the address given. Only offered
/// (and only answered) when an SMTP server is configured: otherwise the copy could never leave.
pub async fn receipt_email(r: &Request<'_>) -> Result<Resp, WebError> {
    if !r.ctx.state.can_send_mail() {
        return Err(WebError::NotFound);
    }
    let (def, sub) = receipt_submission(r)?;
    if !def.receipt_copy {
        return Err(WebError::NotFound);
    }
    let typed = r.field("epost").unwrap_or("").trim().to_owned();
    let loc = r.ctx.loc();
    let address = match crate::forms::validate::email::check(&typed) {
        Ok(a) => a,
        Err(e) => {
            let msg = views::fields::message_text(
                loc,
                &Message::Key(e.key, e.args),
                loc.t("receipt-email-label"),
            );
            return receipt_page(r, (def, &sub), &typed, Some(msg));
        }
    };
    let ctx = r.ctx;
    // The municipality's mail server sends to typed addresses only what this budget allows.
    ctx.spend(crate::budgets::Spend::ReceiptCopy, 1)?;
    let added = ctx
        .state
        .store
        .tenant(&ctx.tenant.config.id)
        .add_receipt_mail(
            &sub.reference,
            crate::store::ReceiptMail::Confirm,
            address,
            ctx.state.clock.unix(),
            (MAX_RECEIPT_COPIES, RECEIPT_MAIL_GAP_SECS),
        )
        .await?;
    let refused = match added {
        crate::store::ReceiptMailAdded::Added => None,
        crate::store::ReceiptMailAdded::NoSubmission => return Err(WebError::NotFound),
        crate::store::ReceiptMailAdded::TooMany => Some(loc.tf(
            "receipt-email-too-many",
            &[("max", MAX_RECEIPT_COPIES.into())],
        )),
        crate::store::ReceiptMailAdded::TooSoon => Some(loc.t("receipt-email-too-soon").to_owned()),
    };
    if let Some(msg) = refused {
        return receipt_page(r, (def, &sub), &typed, Some(msg));
    }
    ctx.state.deliveries.wake();
    Ok(see_other(&format!(
        "{}?kopi=1",
        paths::receipt(&def.id, &sub.reference)
    )))
}

/// The confirmation link's parts, if the link is whole and this server's, and still valid.
fn confirm_link(r: &Request<'_>, reference: &crate::ids::Reference) -> Option<(String, String)> {
    let ctx = r.ctx;
    let to = ctx.query_param("til")?;
    let expires: i64 = ctx.query_param("utloper")?.parse().ok()?;
    let sig = ctx.query_param("sig")?;
    cases::copy_link_valid(
        &ctx.state.csrf_key,
        &ctx.tenant.config.id,
        reference,
        &to,
        expires,
        &sig,
        ctx.state.clock.unix(),
    )
    .then(|| (to, ctx.here()))
}

fn confirm_page(
    r: &Request<'_>,
    status: StatusCode,
    address: &str,
    action: Option<String>,
    message: Option<String>,
) -> Result<Resp, WebError> {
    let def = r.form()?;
    let reference = r.reference()?;
    let ctx = r.ctx;
    let (csrf, here) = (ctx.csrf_token(), ctx.here());
    let f = frame(ctx, &csrf, &here);
    let v = views::form_run::ConfirmView {
        reference: &reference,
        address,
        action,
        message,
    };
    Ok(html(
        status,
        views::form_run::receipt_confirm(&f, def, &v).into_string(),
    ))
}

/// GET …/kvittering/{reference}/bekreft?til=…&utloper=…&sig=…: the link from the confirmation mail. It
/// shows where the copy goes and a button; following the link alone sends nothing.
pub fn receipt_confirm(r: &Request<'_>) -> Result<Resp, WebError> {
    let reference = r.reference()?;
    match confirm_link(r, &reference) {
        Some((to, action)) => confirm_page(r, StatusCode::OK, &to, Some(action), None),
        None => {
            let msg = r.ctx.loc().t("confirm-invalid").to_owned();
            confirm_page(r, StatusCode::BAD_REQUEST, "", None, Some(msg))
        }
    }
}

/// POST …/kvittering/{reference}/bekreft?…: the address is proved; the copy (the receipt's facts, no
/// answers) is queued, at most one an hour.
pub async fn receipt_confirm_send(r: &Request<'_>) -> Result<Resp, WebError> {
    if !r.ctx.state.can_send_mail() {
        return Err(WebError::NotFound);
    }
    let reference = r.reference()?;
    let Some((to, _)) = confirm_link(r, &reference) else {
        let msg = r.ctx.loc().t("confirm-invalid").to_owned();
        return confirm_page(r, StatusCode::BAD_REQUEST, "", None, Some(msg));
    };
    let ctx = r.ctx;
    let loc = ctx.loc();
    let added = ctx
        .state
        .store
        .tenant(&ctx.tenant.config.id)
        .add_receipt_mail(
            &reference,
            crate::store::ReceiptMail::Copy,
            to.clone(),
            ctx.state.clock.unix(),
            (MAX_RECEIPT_COPIES, RECEIPT_MAIL_GAP_SECS),
        )
        .await?;
    let (status, msg) = match added {
        crate::store::ReceiptMailAdded::Added => {
            ctx.state.deliveries.wake();
            (
                StatusCode::OK,
                loc.tf("confirm-sent", &[("address", to.clone().into())]),
            )
        }
        crate::store::ReceiptMailAdded::NoSubmission => return Err(WebError::NotFound),
        crate::store::ReceiptMailAdded::TooMany | crate::store::ReceiptMailAdded::TooSoon => (
            StatusCode::TOO_MANY_REQUESTS,
            loc.t("confirm-too-soon").to_owned(),
        ),
    };
    confirm_page(r, status, &to, None, Some(msg))
}
