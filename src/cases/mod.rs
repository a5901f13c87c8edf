//! The case layer: what happens to a draft and a submission, whoever asks — today the citizen's web
//! pages; later the staff UI, the API and the command line alike. Handlers stay thin: they read the
//! request, call this, and render.
//!
//! - [`open_draft`] / [`start_draft`]: the session's draft of a form, on the form version it started on
//!   (kept in the store when the draft starts, so a library update never restarts it).
//! - [`edit`]: one step's POST applied to a draft (answers, row actions, uploaded and removed files).
//! - [`submit`]: validate every step, choose the targets, and write the submission, its outbox rows and
//!   the session's right to the receipt in ONE durable transaction.
//! - [`receipt`]: a submission, for the session that sent it.

pub mod records;

use std::collections::HashSet;
use std::sync::Arc;

use crate::attachments::StoredFile;
use crate::clock::Clock;
use crate::forms::FormDef;
use crate::forms::answers::{Answer, anchor};
use crate::forms::definition::Kind;
use crate::forms::engine::{Engine, FieldError, Lists, Message};
use crate::i18n::Lang;
use crate::ids::{DraftId, FileId, Reference, SessionId, Target, TargetName};
use crate::state::Tenant;
use crate::store::{Edited, PinnedForm, Store, StoreError, SubmitRequest};
use records::{Draft, Submission, SubmitRefused, Submitted};

/// A draft with the form version it is filled in on.
pub struct OpenDraft {
    pub id: DraftId,
    pub draft: Draft,
    pub def: Arc<FormDef>,
    /// The form has changed since the draft started; the draft continues on its own version.
    pub older_version: bool,
}

/// The session's key for its draft of a form.
fn slot(tenant: &Tenant, form: &FormDef) -> String {
    format!("{}/{}", tenant.config.id, form.id)
}

/// The draft of `form` the citizen is filling in, if it has not expired: the logged-in account's (from
/// any device), else this session's.
pub fn open_draft(
    store: &Store,
    tenant: &Tenant,
    session: &SessionId,
    account: Option<&crate::auth::records::Account>,
    form: &Arc<FormDef>,
    now: i64,
) -> Result<Option<OpenDraft>, StoreError> {
    let ts = store.tenant(&tenant.config.id);
    let from_account = match account.and_then(|a| a.drafts.get(&form.id).map(|d| (a, d))) {
        Some((a, id)) => ts
            .draft(id)?
            .filter(|d| d.account.as_ref() == Some(&a.id) && d.submitted.is_none())
            .map(|d| (id.clone(), d)),
        None => None,
    };
    let found = match from_account {
        Some(found) => Some(found),
        None => {
            let Some(s) = store.session(session)? else {
                return Ok(None);
            };
            match s.drafts.get(&slot(tenant, form)) {
                // Another account's draft is never shown to this one (a shared computer).
                Some(id) => ts
                    .draft(id)?
                    .filter(|d| d.account.is_none() || d.account.as_ref() == account.map(|a| &a.id))
                    .map(|d| (id.clone(), d)),
                None => None,
            }
        }
    };
    let Some((id, draft)) = found else {
        return Ok(None);
    };
    let id = &id;
    if draft.form != form.id || draft.expires <= now {
        return Ok(None);
    }
    // A draft from before versions were kept, on a form that has changed, cannot be shown as it was:
    // it is not offered (the citizen starts again; this only affects stores older than schema 3).
    let Some(def) = tenant.form_version(store, &draft.form, &draft.form_hash)? else {
        return Ok(None);
    };
    Ok(Some(OpenDraft {
        older_version: def.content_hash != form.content_hash,
        id: id.clone(),
        draft,
        def,
    }))
}

#[allow(clippy::too_many_arguments)]
/// Makes a new draft of the form's current version for the session, and keeps that version. It lives
/// `lifetime_secs` (the short first-step lifetime) until the citizen goes past the first step.
pub async fn start_draft(
    store: &Store,
    tenant: &Tenant,
    session: &SessionId,
    form: &Arc<FormDef>,
    lang: Lang,
    clock: &Clock,
    lifetime_secs: i64,
    account: Option<&crate::auth::records::Account>,
) -> Result<DraftId, StoreError> {
    start_draft_with(
        store,
        tenant,
        session,
        form,
        lang,
        clock,
        lifetime_secs,
        account,
        None,
    )
    .await
}

/// [`start_draft`] with answers to start from (a case sent before, "use my answers from last time")
/// instead of the account's prefill.
#[allow(clippy::too_many_arguments)]
pub async fn start_draft_with(
    store: &Store,
    tenant: &Tenant,
    session: &SessionId,
    form: &Arc<FormDef>,
    lang: Lang,
    clock: &Clock,
    lifetime_secs: i64,
    account: Option<&crate::auth::records::Account>,
    answers: Option<crate::forms::answers::Answers>,
) -> Result<DraftId, StoreError> {
    let now = clock.unix();
    let id = DraftId::generate().map_err(|e| StoreError::Random(e.to_string()))?;
    let ts = store.tenant(&tenant.config.id);
    ts.pin_form(
        &form.id,
        &form.content_hash,
        PinnedForm {
            version: form.version,
            source: form.source.as_str().to_owned(),
        },
    )
    .await?;
    let draft = Draft {
        tenant: tenant.config.id.clone(),
        form: form.id.clone(),
        form_version: form.version,
        form_hash: form.content_hash.clone(),
        lang,
        answers: answers
            .or_else(|| account.map(|a| a.prefill(form)))
            .unwrap_or_default(),
        created: now,
        updated: now,
        expires: now + lifetime_secs,
        submitted: None,
        files: Default::default(),
        rev: 0,
        progressed: false,
        account: account.map(|a| a.id.clone()),
    };
    ts.start_draft(session, slot(tenant, form), id.clone(), draft, now)
        .await?;
    Ok(id)
}

/// What the citizen asked for with a step's buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Next,
    Back,
    Add(String),
    Remove(String, usize),
    Upload,
    RemoveFile(String),
    /// The language switch pressed on a step: what was typed is saved as it is (not validated) and the
    /// step is shown again in the new language.
    Language(Lang),
    /// Saves what was typed as it is and shows the step again (extending a login's idle time).
    Stay,
}

impl Action {
    /// From the `handling` field of a step POST.
    pub fn parse(value: Option<&str>) -> Action {
        match value.unwrap_or("neste") {
            "tilbake" => Action::Back,
            // "Save and stay logged in": what was typed is saved as it is and the step is shown again
            // (the request itself extends the login).
            "forleng" => Action::Stay,
            "last-opp" => Action::Upload,
            a if a.starts_with("sprak:") => {
                Lang::parse(a.trim_start_matches("sprak:")).map_or(Action::Next, Action::Language)
            }
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
}

/// Where a step POST leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Back to this step, at an anchor (`#…`, possibly empty).
    Here(String),
    /// The previous step, or the landing page before the first.
    Previous,
    /// The next visible step (its position), or check-answers after the last.
    Step(usize),
    CheckAnswers,
    /// Show this step again with its errors.
    Errors,
}

/// A step POST, read once; applied to the draft inside the store's write (see [`apply_step`]).
pub struct StepInput {
    pub step: usize,
    pub position: usize,
    pub fields: Vec<(String, String)>,
    pub new_files: Vec<StoredFile>,
    /// The most files each input of `new_files` may hold, by input name.
    pub max_files: std::collections::BTreeMap<String, usize>,
    /// The most files, and bytes, a draft may hold in all.
    pub draft_limits: (usize, u64),
    /// Refused uploads, as errors on their fields.
    pub problems: Vec<FieldError>,
    pub action: Action,
    /// The citizen came from check-answers ("Endre").
    pub from_summary: bool,
}

/// The outcome of applying a step to a draft.
pub struct Applied {
    pub next: Next,
    pub errors: Vec<FieldError>,
    /// Files the draft no longer holds (removed, or their row removed): deleted after the save.
    pub dropped: Vec<FileId>,
}

/// Applies one step POST to the draft: answers, row actions, new and removed files; then decides where
/// the citizen goes.
pub fn edit(
    def: &FormDef,
    lists: &Lists,
    today: time::Date,
    draft: &mut Draft,
    input: &StepInput,
) -> Applied {
    let engine = Engine::new(def, lists, today);
    let step = input.step;
    // "Tilbake" after "Endre" on check-answers: back to the summary, and a half-finished change is not
    // saved (the answers stay as they were when the citizen checked them).
    let abandon_change = input.from_summary && input.action == Action::Back;
    if !abandon_change {
        engine.apply(step, &mut draft.answers, &input.fields);
    }
    let mut errors = input.problems.clone();
    let mut refused: Vec<FileId> = vec![];
    for f in &input.new_files {
        // The limits are checked here, inside the write, against the draft as it is now: uploads that
        // overlap (two tabs, a double click) are applied one at a time and cannot pass them together.
        let held = draft.answers.get(&f.field).map_or(0, |a| a.values().len());
        let max = input.max_files.get(&f.field).copied().unwrap_or(0);
        let (files, bytes) = input.draft_limits;
        let in_draft: u64 = draft.files.values().map(|x| x.size).sum();
        let over = if held >= max {
            Some(Message::Key(
                "v-file-too-many",
                vec![("max", max.to_string())],
            ))
        } else if draft.files.len() >= files {
            Some(Message::Key(
                "v-file-total-count",
                vec![("max", files.to_string())],
            ))
        } else if in_draft.saturating_add(f.size) > bytes {
            Some(Message::Key(
                "v-file-total-size",
                vec![("max", crate::attachments::megabytes(bytes))],
            ))
        } else {
            None
        };
        if let Some(message) = over {
            refused.push(f.id.clone());
            errors.push(FieldError {
                name: f.field.clone(),
                step,
                message,
            });
            continue;
        }
        let mut ids: Vec<String> = draft
            .answers
            .get(&f.field)
            .map(|a| a.values().into_iter().map(str::to_owned).collect())
            .unwrap_or_default();
        ids.push(f.id.to_string());
        draft.answers.set(f.field.clone(), Answer::Many(ids));
        draft.files.insert(f.id.clone(), f.clone());
    }
    // Row actions only for groups on this step.
    let group_here = |g: &str| {
        def.steps
            .get(step)
            .is_some_and(|s| s.fields.iter().any(|f| f.id == g))
    };
    let mut next = None;
    match &input.action {
        Action::Add(g) if group_here(g) => {
            if let Some(Kind::Group { max, .. }) = def.field(g).map(|f| &f.kind) {
                let n = draft.answers.row_count(g);
                if n < *max {
                    draft.answers.rows.insert(g.clone(), n + 1);
                }
                next = Some(Next::Here(format!("#{}-row-{n}", anchor(g))));
            }
        }
        Action::Remove(g, i) if group_here(g) => {
            draft.answers.remove_row(g, *i);
            next = Some(Next::Here(format!("#{}", anchor(g))));
        }
        Action::RemoveFile(id) => {
            if let Some(f) = draft.files.get(id.as_str()) {
                let field = f.field.clone();
                let left: Vec<String> = draft
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
                draft.answers.set(field.clone(), Answer::Many(left));
                next = Some(Next::Here(format!("#{}", anchor(&field))));
            }
        }
        Action::Upload if input.problems.is_empty() => {
            next = Some(Next::Here(first_file_anchor(def, step)));
        }
        _ => {}
    }
    // Files no answer holds any more (removed, or their row removed) leave the draft.
    let held: HashSet<String> = engine.file_ids(&draft.answers).into_iter().collect();
    let mut dropped: Vec<FileId> = draft
        .files
        .keys()
        .filter(|id| !held.contains(id.as_str()))
        .cloned()
        .collect();
    for id in &dropped {
        draft.files.remove(id);
    }
    dropped.extend(refused);
    if next.is_none() && errors.is_empty() {
        match &input.action {
            Action::Back if abandon_change => next = Some(Next::CheckAnswers),
            Action::Back => next = Some(Next::Previous),
            Action::Language(_) | Action::Stay => next = Some(Next::Here(String::new())),
            Action::Upload | Action::RemoveFile(_) => {}
            _ => {
                errors = engine.validate_step(step, &draft.answers);
                if errors.is_empty() {
                    let visible = engine.visible_steps(&draft.answers);
                    let here = visible
                        .iter()
                        .position(|s| *s == step)
                        .unwrap_or(input.position);
                    next = Some(if input.from_summary || here + 1 >= visible.len() {
                        Next::CheckAnswers
                    } else {
                        Next::Step(here + 1)
                    });
                }
            }
        }
    }
    Applied {
        next: next.unwrap_or(Next::Errors),
        errors,
        dropped,
    }
}

/// Applies one step POST to the newest stored draft inside the store's write, so two requests on one
/// draft (two tabs, an upload beside a step) never overwrite each other, and saves it.
pub async fn apply_step(
    store: &Store,
    tenant: &Tenant,
    open: &OpenDraft,
    input: StepInput,
    lang: Lang,
    clock: &Clock,
    (short, full): (i64, i64),
) -> Result<Edited<Applied>, StoreError> {
    let def = open.def.clone();
    let today = clock.today();
    let lists = tenant.lists(today);
    let now = clock.unix();
    // The citizen is told a step is saved (and a file uploaded) only once the draft holding it is
    // durable: a full disk fails the save visibly instead of losing it at the next flush.
    let durable = true;
    store
        .tenant(&tenant.config.id)
        .edit_draft(&open.id, durable, move |draft| {
            let applied = edit(&def, &lists, today, draft, &input);
            draft.updated = now;
            draft.lang = lang;
            // A draft's lifetime counts from its last change: short until it gets past the first step.
            if matches!(applied.next, Next::Step(_) | Next::CheckAnswers) {
                draft.progressed = true;
            }
            draft.expires = now + if draft.progressed { full } else { short };
            applied
        })
        .await
}

/// `#anchor` of the step's first file input, to land back at it after an upload.
fn first_file_anchor(def: &FormDef, step: usize) -> String {
    def.steps
        .get(step)
        .and_then(|s| {
            s.fields
                .iter()
                .find(|f| matches!(f.kind, Kind::Attachment { .. }))
        })
        .map(|f| format!("#{}", anchor(&f.id)))
        .unwrap_or_default()
}

/// The targets a submission of `def` goes to: the form's own, then the tenant's targets that take every
/// form. A name the tenant has not configured is kept (the delivery says so, loudly, and retries until
/// the configuration is fixed) unless it is not a valid target name at all.
pub fn targets(def: &FormDef, tenant: &Tenant) -> Vec<Target> {
    let mut out: Vec<Target> = def
        .delivery_targets
        .iter()
        .filter_map(|t| Target::parse(t).ok())
        .collect();
    for t in tenant.config.targets.iter().filter(|t| t.all_forms) {
        if let Ok(name) = TargetName::parse(&t.name) {
            let target = Target::Configured(name);
            if !out.contains(&target) {
                out.push(target);
            }
        }
    }
    out
}

/// Why a submission was not made.
#[derive(Debug)]
pub enum SubmitError {
    /// Some answers are missing or invalid: the control page lists them.
    Incomplete,
    /// No draft (expired, or never started).
    NoDraft,
    /// The draft changed while it was being sent (an upload or another tab): check-answers again.
    Changed,
    Store(StoreError),
}

impl From<StoreError> for SubmitError {
    fn from(e: StoreError) -> Self {
        SubmitError::Store(e)
    }
}

/// Validates every step, keeps only visible answers and their files, and writes the submission, its
/// outbox rows and the session's receipt right in one durable transaction. A second call for a sent
/// draft returns the same reference.
pub async fn submit(
    store: &Store,
    tenant: &Tenant,
    session: &SessionId,
    open: &OpenDraft,
    clock: &Clock,
) -> Result<Submitted, SubmitError> {
    let now = clock.now();
    let today = crate::forms::engine::today_in_norway(now);
    let (answers, files) = if open.draft.submitted.is_some() {
        // Already sent (double click, back-and-resubmit): the store returns the same reference.
        (open.draft.answers.clone(), vec![])
    } else {
        let lists = tenant.lists(today);
        let engine = Engine::new(&open.def, &lists, today);
        if !engine.validate_all(&open.draft.answers).is_empty() {
            return Err(SubmitError::Incomplete);
        }
        let answers = engine.prune(&open.draft.answers);
        // Only the files of visible answers go with the submission, numbered in the form's order.
        let files = engine
            .file_ids(&answers)
            .iter()
            .filter_map(|id| open.draft.files.get(id.as_str()).cloned())
            .collect();
        (answers, files)
    };
    let req = SubmitRequest {
        draft: open.id.clone(),
        rev: open.draft.rev,
        answers,
        files,
        targets: targets(&open.def, tenant),
        session: session.clone(),
        now: now.unix_timestamp(),
        year: today.year(),
    };
    match store.tenant(&tenant.config.id).submit(req).await? {
        Ok(s) => Ok(s),
        Err(SubmitRefused::NoDraft) => Err(SubmitError::NoDraft),
        Err(SubmitRefused::Changed) => Err(SubmitError::Changed),
    }
}

/// Gives the session a new id if a form was sent from it since its id last changed (shown the receipt,
/// the citizen carries on under an id nobody else can have learned before). Returns the new id.
pub async fn rotate_after_submission(
    store: &Store,
    session: &SessionId,
    now: i64,
) -> Result<Option<SessionId>, StoreError> {
    if !store.session(session)?.is_some_and(|s| s.rotate) {
        return Ok(None);
    }
    let to = SessionId::generate().map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(store
        .rotate_session(session, &to, false, now)
        .await?
        .then_some(to))
}

/// The submission behind a receipt, if this session sent it, or the logged-in `account` did, and it is
/// of this form.
pub fn receipt(
    store: &Store,
    tenant: &Tenant,
    session: &SessionId,
    account: Option<&crate::ids::AccountId>,
    form: &FormDef,
    reference: &Reference,
    now: i64,
) -> Result<Option<Submission>, StoreError> {
    let key = crate::store::keys::submission(&tenant.config.id, reference);
    let by_session = store.session(session)?.is_some_and(|s| {
        s.receipts.contains(&key)
            && s.moved_at
                .is_none_or(|t| now - t < crate::store::sessions::MOVED_GRACE_SECS)
    });
    let Some(sub) = store
        .tenant(&tenant.config.id)
        .submission(reference)?
        .filter(|s| s.form == form.id)
    else {
        return Ok(None);
    };
    let by_account = account.is_some_and(|a| sub.account.as_ref() == Some(a));
    Ok((by_session || by_account).then_some(sub))
}

/// One of the account's submissions, by reference; `None` for anyone else's (a guessed reference).
pub fn case_of(
    store: &Store,
    tenant: &Tenant,
    account: &crate::ids::AccountId,
    reference: &Reference,
) -> Result<Option<Submission>, StoreError> {
    Ok(store
        .tenant(&tenant.config.id)
        .submission(reference)?
        .filter(|s| s.account.as_ref() == Some(account)))
}

/// A case as the citizen sees it on Mine saker.
pub struct Timeline {
    /// Oldest first; the first is "received" at the moment the submission was committed.
    pub events: Vec<records::CaseEvent>,
    /// The status now.
    pub status: records::Status,
    /// Changes the citizen has not seen yet.
    pub unread: usize,
}

/// The case's timeline: received, then every change recorded by [`change_case`].
pub fn timeline(store: &Store, tenant: &Tenant, sub: &Submission) -> Result<Timeline, StoreError> {
    let h = store
        .tenant(&tenant.config.id)
        .case_history(&sub.reference)?;
    let mut events = vec![records::CaseEvent {
        at: sub.submitted,
        status: Some(records::Status::Received),
        message: None,
    }];
    let unread = h.events.len().saturating_sub(h.seen);
    events.extend(h.events);
    let status = events
        .iter()
        .rev()
        .find_map(|e| e.status)
        .unwrap_or(records::Status::Received);
    Ok(Timeline {
        events,
        status,
        unread,
    })
}

/// A status as the citizen reads it: the form's own name for it, else the municipality's, else the
/// catalogue's.
pub fn status_name(
    loc: crate::i18n::Loc<'_>,
    tenant: &crate::config::TenantConfig,
    form: Option<&FormDef>,
    status: records::Status,
) -> String {
    form.and_then(|f| f.status_names.get(status.code()))
        .or_else(|| tenant.status_names.get(status.code()))
        .map_or_else(
            || loc.t(status.key()).to_owned(),
            |t| t.get(loc.lang).to_owned(),
        )
}

/// What [`change_case`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// Recorded; `notified`: a notice to the citizen's address is in the outbox.
    Done {
        notified: bool,
    },
    NoSuchCase,
    /// Neither a status nor a message.
    Nothing,
}

/// Changes a case: a new status, a message to the citizen, or both — what the caseworker inbox (the
/// staff issue), the API or the command line call. Recorded in one durable write with, when the case
/// was sent from an account with an address, a notice to it in the outbox (a mail in the language the
/// form was sent in, with the reference, the status and a link to the case; never the message or the
/// answers). A citizen who logged in only through ID-porten has no address with the account: the
/// contact register's is used, unless she has reserved herself. Mine saker shows the change and counts
/// it unread until the case is opened.
pub async fn change_case(
    store: &Store,
    tenant: &Tenant,
    registers: &crate::config::RegistersConfig,
    reference: &Reference,
    (status, message): (Option<records::Status>, Option<String>),
    now: i64,
) -> Result<Changed, StoreError> {
    let message = message
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty());
    if status.is_none() && message.is_none() {
        return Ok(Changed::Nothing);
    }
    let ts = store.tenant(&tenant.config.id);
    let Some(sub) = ts.submission(reference)? else {
        return Ok(Changed::NoSuchCase);
    };
    let account = match &sub.account {
        Some(a) => ts.account(a)?,
        None => None,
    };
    let notify = match account {
        Some(a) if !a.email.is_empty() => Some(a.email),
        Some(crate::auth::records::Account { pid: Some(pid), .. }) => {
            crate::registers::about_person(registers, &pid)
                .await
                .1
                .filter(|c| !c.reserved)
                .and_then(|c| c.email)
        }
        _ => None,
    };
    let notified = notify.is_some();
    let event = records::CaseEvent {
        at: now,
        status,
        message,
    };
    Ok(match ts.change_case(reference, event, notify).await? {
        Some(_) => Changed::Done { notified },
        None => Changed::NoSuchCase,
    })
}

/// The form version a submission was filled in on: the current one, or the one kept for it. A
/// submission from before versions were kept (schema 2), on a form that has changed since, gets the
/// current version; None when the tenant no longer has the form at all.
pub fn form_of(
    store: &Store,
    tenant: &Tenant,
    sub: &Submission,
) -> Result<Option<Arc<FormDef>>, StoreError> {
    Ok(tenant
        .form_version(store, &sub.form, &sub.form_hash)?
        .or_else(|| tenant.form(&sub.form).cloned()))
}

/// The submission's PDF, rendered once and kept under `<data>/pdf/<tenant>/<reference>.pdf`: the archive,
/// the HTTP and e-mail targets, the receipt download and every retry get the same bytes (printpdf's
/// output is not byte-for-byte repeatable, and the file drop's idempotency compares manifests).
pub fn kept_pdf(
    data_dir: &std::path::Path,
    i18n: &crate::i18n::I18n,
    tenant: &Tenant,
    def: &FormDef,
    sub: &Submission,
) -> Result<Vec<u8>, String> {
    let (bytes, unsynced) = keep_pdf(data_dir, i18n, tenant, def, sub)?;
    for p in unsynced {
        std::fs::File::open(&p)
            .and_then(|f| f.sync_all())
            .map_err(|e| format!("keeping the PDF in {}: {e}", p.display()))?;
    }
    Ok(bytes)
}

/// [`kept_pdf`] for a delivery batch: a PDF rendered now is linked into place but not yet flushed; the
/// file and its folder are returned, for the caller to flush together with the batch before anything
/// that holds these bytes becomes visible.
pub fn keep_pdf(
    data_dir: &std::path::Path,
    i18n: &crate::i18n::I18n,
    tenant: &Tenant,
    def: &FormDef,
    sub: &Submission,
) -> Result<(Vec<u8>, Vec<std::path::PathBuf>), String> {
    let dir = data_dir.join("pdf").join(sub.tenant.as_str());
    let path = dir.join(format!("{}.pdf", sub.reference));
    let cut_short = match std::fs::read(&path) {
        Ok(b) if pdf_complete(&b) => return Ok((b, vec![])),
        // Written but not flushed when the machine stopped: nothing that holds these bytes became
        // visible (a batch flushes the PDF before it renames its folders), so it is rendered again.
        Ok(_) => true,
        Err(_) => false,
    };
    // The lists as they were on the day it was sent.
    let lists = tenant.lists(crate::forms::engine::today_in_norway(sub.submitted_at()));
    let bytes = crate::pdf::submission_pdf(i18n, &tenant.letterhead, &lists, def, sub)?;
    let io = |e: std::io::Error| format!("keeping the PDF in {}: {e}", dir.display());
    crate::fs_modes::create_dirs(&dir, crate::fs_modes::PRIVATE_DIR).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
    std::io::Write::write_all(&mut tmp, &bytes).map_err(io)?;
    let kept = if cut_short {
        tmp.persist(&path).map(|_| ())
    } else {
        // Create-if-absent: when two callers race, the first file wins and both return it.
        tmp.persist_noclobber(&path).map(|_| ())
    };
    match kept {
        Ok(()) => Ok((bytes, vec![path, dir])),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::read(&path).map(|b| (b, vec![])).map_err(io)
        }
        Err(e) => Err(io(e.error)),
    }
}

/// Whether a kept PDF is whole: it ends with its end-of-file marker.
pub(crate) fn pdf_complete(bytes: &[u8]) -> bool {
    bytes.trim_ascii_end().ends_with(b"%%EOF")
}

/// How long the link in a confirmation mail works.
pub const COPY_LINK_SECS: i64 = 24 * 3600;

/// The signature on a confirmation link: that this server sent `to` a link for this submission's copy,
/// valid until `expires`. The link carries everything; nothing is stored until it is followed.
pub fn copy_link_sig(
    key: &[u8],
    tenant: &crate::ids::TenantId,
    reference: &Reference,
    to: &str,
    expires: i64,
) -> String {
    use base64::Engine;
    use hmac::Mac;
    let Ok(mut m) = hmac::Hmac::<sha2::Sha256>::new_from_slice(key) else {
        return String::new();
    };
    for part in [
        "radhus-receipt-copy-v1",
        tenant.as_str(),
        reference.as_str(),
        to,
        &expires.to_string(),
    ] {
        m.update(part.as_bytes());
        m.update(&[0]);
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
}

/// Whether a followed confirmation link is this server's and still valid at `now`.
pub fn copy_link_valid(
    key: &[u8],
    tenant: &crate::ids::TenantId,
    reference: &Reference,
    to: &str,
    expires: i64,
    sig: &str,
    now: i64,
) -> bool {
    use subtle::ConstantTimeEq;
    let expected = copy_link_sig(key, tenant, reference, to, expires);
    now <= expires && !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(sig.as_bytes()))
}
