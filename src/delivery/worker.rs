//! The outbox worker: picks due rows, delivers, and records delivered / failing (with the next try, by
//! exponential backoff with jitter) / failed permanently after `limits.delivery_attempts` (default 30,
//! about two days with the backoff below). Nothing is ever dropped:
//! a failed row stays visible and can be retried. After a restart, unfinished rows simply continue.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::DeliveryStatus;
use super::file_drop::{self, Content, DropError, DropFile, ManifestHead};
use super::package::{Failure, Package, PackageFile};
use super::xml;
use crate::cases::records::{OutboxRow, OutboxState, Submission};
use crate::clock::Clock;
use crate::config::SmtpConfig;
use crate::forms::FormDef;
use crate::forms::engine::{Engine, today_in_norway};
use crate::forms::summary::{self, Value};
use crate::i18n::I18n;
use crate::ids::Target;
use crate::state::Tenant;
use crate::store::Store;

/// The delivery worker's own handles: the store, the tenants' configuration and forms, the catalogues
/// for mail texts, and the status it shares. Not the web state.
pub struct Worker {
    pub store: Arc<Store>,
    pub tenants: Arc<Vec<Tenant>>,
    pub i18n: Arc<I18n>,
    pub smtp: Option<SmtpConfig>,
    pub data_dir: std::path::PathBuf,
    /// Attempts before a row is marked failed (`limits.delivery_attempts`).
    pub attempts: u32,
    pub status: Arc<DeliveryStatus>,
    pub clock: Clock,
    /// Signs the links in confirmation mails (the site's secret key).
    pub link_key: Vec<u8>,
    /// The HTTPS port the links point at (left out when 443).
    pub https_port: u16,
}

const FIRST_RETRY_SECS: i64 = 5;
/// Archive deliveries written and flushed together.
const ARCHIVE_BATCH: usize = 128;
/// Deliveries to other targets (HTTP, e-mail, receipt copies) in flight at once, and per target.
const OTHERS_IN_FLIGHT: usize = 16;
const PER_TARGET_IN_FLIGHT: usize = 4;
const LONGEST_WAIT_SECS: i64 = 3600;

/// Seconds to wait before attempt `n + 1`: 5 s doubling to an hour, ±20 % jitter so that many failing rows
/// do not retry in lockstep.
pub fn backoff(attempts: u32) -> i64 {
    let base = FIRST_RETRY_SECS
        .saturating_mul(1i64 << attempts.min(20))
        .min(LONGEST_WAIT_SECS);
    let mut r = [0u8; 2];
    let _ = getrandom::fill(&mut r);
    let jitter = (i64::from(u16::from_le_bytes(r)) % 41) - 20; // -20..=20 %
    (base + base * jitter / 100).max(1)
}

fn is_archive(row: &OutboxRow) -> bool {
    row.target == Target::Archive
}

/// Which queue a row waits in among the other targets: one per tenant and target, so that a slow
/// receiver holds at most [`PER_TARGET_IN_FLIGHT`] slots.
fn target_key(row: &OutboxRow) -> String {
    match &row.target {
        Target::ReceiptCopy(_) | Target::ReceiptConfirm(_) | Target::Notice(_) => {
            "receipt-copy".to_owned()
        }
        t => format!("{}/{t}", row.tenant),
    }
}

fn row_key(row: &OutboxRow) -> String {
    format!("{}/{}/{}", row.tenant, row.reference, row.target)
}

/// A row for the other lane that it does not have in flight (row key → target key).
fn waiting(row: &OutboxRow, in_flight: &HashMap<String, String>) -> bool {
    !is_archive(row) && !in_flight.contains_key(&row_key(row))
}

impl Worker {
    /// Runs until `stop` turns true, in two lanes: the archive lane writes due file-drop deliveries in
    /// batches at the disk's pace; the other lane runs HTTP, e-mail and receipt-copy deliveries
    /// concurrently, so that a slow mailbox or receiver never holds back the archive. Each lane is woken
    /// when a submission commits ([`DeliveryStatus::wake`]), else at its next row's due time (at most a
    /// second later: retries asked for by other processes are seen too).
    pub async fn run(self, stop: watch::Receiver<bool>) {
        // Temporary folders of deliveries a crash interrupted: removed once, before any delivery starts.
        for t in self.tenants.iter() {
            let dir = t.config.archive_dir.clone();
            let swept = tokio::task::spawn_blocking(move || file_drop::sweep_leftovers(&dir)).await;
            match swept {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => {
                    tracing::info!(tenant = %t.config.id, folders = n, "removed temporary folders of interrupted deliveries");
                }
                // A missing archive folder is reported by the deliveries that wait for it.
                Ok(Err(e)) => {
                    tracing::debug!(tenant = %t.config.id, error = %e, "archive folder not swept");
                }
                Err(e) => tracing::error!(error = %e, "archive sweep failed"),
            }
        }
        let me = Arc::new(self);
        tokio::join!(me.clone().archive_lane(stop.clone()), me.others_lane(stop));
    }

    /// How long a lane sleeps when nothing of its own is due: until its next row is, at most a second.
    fn wait_for(&self, want: impl Fn(&OutboxRow) -> bool) -> Duration {
        match self.store.system().next_due(want) {
            Ok(Some(at)) => Duration::from_secs(
                u64::try_from(at.saturating_sub(self.clock.unix())).unwrap_or(0),
            )
            .clamp(Duration::from_millis(10), Duration::from_secs(1)),
            _ => Duration::from_secs(1),
        }
    }

    async fn archive_lane(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        loop {
            self.status.turned(true);
            if *stop.borrow() {
                return;
            }
            let rows = match self.store.system().due_deliveries(
                self.clock.unix(),
                ARCHIVE_BATCH,
                is_archive,
            ) {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read the outbox");
                    vec![]
                }
            };
            if !rows.is_empty() {
                let me = self.clone();
                match tokio::task::spawn_blocking(move || me.archive_batch(rows)).await {
                    Ok(outcomes) => self.record(outcomes).await,
                    Err(e) => tracing::error!(error = %e, "an archive batch failed"),
                }
                // More may be due already: look again at once.
                tokio::task::yield_now().await;
                continue;
            }
            let wait = self.wait_for(is_archive);
            tokio::select! {
                _ = self.status.archive_wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        }
    }

    async fn others_lane(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut running = tokio::task::JoinSet::new();
        let mut in_flight: HashMap<String, String> = HashMap::new(); // row key → target key
        loop {
            self.status.turned(false);
            if *stop.borrow() {
                return;
            }
            if running.len() < OTHERS_IN_FLIGHT {
                match self.store.system().due_deliveries(
                    self.clock.unix(),
                    OTHERS_IN_FLIGHT,
                    |row| waiting(row, &in_flight),
                ) {
                    Ok(rows) => {
                        for row in rows {
                            let target = target_key(&row);
                            let per_target = in_flight.values().filter(|t| **t == target).count();
                            if running.len() >= OTHERS_IN_FLIGHT
                                || per_target >= PER_TARGET_IN_FLIGHT
                            {
                                continue;
                            }
                            in_flight.insert(row_key(&row), target);
                            let me = self.clone();
                            running.spawn(async move {
                                let outcome = me.attempt(&row).await;
                                (row, outcome)
                            });
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "cannot read the outbox"),
                }
            }
            let wait = self.wait_for(|row| waiting(row, &in_flight));
            tokio::select! {
                Some(done) = running.join_next(), if !running.is_empty() => {
                    match done {
                        Ok((row, outcome)) => {
                            in_flight.remove(&row_key(&row));
                            self.record(vec![(row, outcome)]).await;
                        }
                        Err(e) => {
                            // A delivery task that panicked: its row stays due and is tried again.
                            tracing::error!(error = %e, "a delivery task failed");
                            in_flight.clear();
                        }
                    }
                }
                _ = self.status.others_wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        }
    }

    /// Records the outcomes of attempts in one durable transaction: delivered, failing with the next try
    /// (exponential backoff with jitter), or failed for good.
    async fn record(&self, outcomes: Vec<(OutboxRow, Result<String, Failure>)>) {
        let now = self.clock.unix();
        let failures = &self.status.failures;
        let mut changes = Vec::with_capacity(outcomes.len());
        for (row, outcome) in outcomes {
            let attempts = match &row.state {
                OutboxState::Failing { attempts, .. } => *attempts,
                _ => 0,
            };
            let new_state = match outcome {
                Ok(proof) => {
                    self.status.delivered(&row.tenant);
                    tracing::info!(tenant = %row.tenant, reference = %row.reference, target = %row.target, "delivered");
                    OutboxState::Delivered { at: now, proof }
                }
                Err(Failure::Permanent(e)) => {
                    failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    tracing::error!(tenant = %row.tenant, reference = %row.reference, target = %row.target, error = %e, "delivery failed permanently");
                    OutboxState::Failed {
                        attempts: attempts + 1,
                        last_error: e,
                    }
                }
                Err(Failure::Retry(e)) => {
                    failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    self.status.failed(&row.tenant, &e);
                    let n = attempts + 1;
                    if n >= self.attempts {
                        tracing::error!(tenant = %row.tenant, reference = %row.reference, error = %e, "delivery gave up after {n} attempts");
                        OutboxState::Failed {
                            attempts: n,
                            last_error: e,
                        }
                    } else {
                        tracing::warn!(tenant = %row.tenant, reference = %row.reference, target = %row.target, error = %e, attempt = n, "delivery will be retried");
                        OutboxState::Failing {
                            attempts: n,
                            last_error: e,
                            next_try: now + backoff(n),
                        }
                    }
                }
            };
            changes.push((row, new_state));
        }
        if let Err(e) = self.store.system().set_delivery_states(changes).await {
            tracing::error!(error = %e, "cannot record deliveries' states; they will be tried again");
        }
    }

    /// One batch of archive deliveries, on a blocking thread: each submission's files are prepared (its
    /// kept PDF rendered if it has none yet, the two XML files) and written into its temporary folder at
    /// once, so only the deliveries in hand are held in memory; then every folder is flushed and renamed
    /// together ([`file_drop::complete`]). A backlog gets more threads: the scheduler shares the cores per
    /// thread, and with two the web side's threads took so much that the archive fell behind the receipts
    /// (docs/performance.md: at 16 clients, 87 % of the receipts reached the archive in step; with four, 99 %).
    fn archive_batch(&self, rows: Vec<OutboxRow>) -> Vec<(OutboxRow, Result<String, Failure>)> {
        let threads = match rows.len() {
            0..8 => 1,
            8..64 => 2,
            _ => 4,
        };
        let written = super::in_threads(
            &rows,
            threads,
            |r| {
                let p = self.prepare_archive(r)?;
                let pending = file_drop::write(&file_drop::Delivery {
                    archive: &p.archive,
                    reference: &p.head.reference,
                    head: p.head.head(),
                    files: p.files,
                    mode: p.mode,
                });
                Ok((pending, p.unsynced))
            },
            |_| Err(Failure::Retry("preparing a delivery panicked".into())),
        );
        let mut also_sync = vec![];
        let mut pending = vec![];
        let mut slots = vec![]; // per row: Some(index into pending) or the preparation's failure
        for w in written {
            match w {
                Ok((p, unsynced)) => {
                    for f in unsynced {
                        if !also_sync.contains(&f) {
                            also_sync.push(f);
                        }
                    }
                    slots.push(Ok(pending.len()));
                    pending.push(p);
                }
                Err(e) => slots.push(Err(e)),
            }
        }
        let mut results: Vec<Option<Result<String, DropError>>> =
            file_drop::complete(pending, &also_sync)
                .into_iter()
                .map(Some)
                .collect();
        rows.into_iter()
            .zip(slots)
            .map(|(row, slot)| {
                let outcome = match slot {
                    Err(e) => Err(e),
                    Ok(i) => match results.get_mut(i).and_then(Option::take) {
                        Some(Ok(proof)) => Ok(format!("manifest sha256 {proof}")),
                        Some(Err(e @ (DropError::Conflict { .. } | DropError::BadName(_)))) => {
                            Err(Failure::Permanent(e.to_string()))
                        }
                        Some(Err(e)) => Err(Failure::Retry(e.to_string())),
                        None => Err(Failure::Retry("no result for this delivery".into())),
                    },
                };
                (row, outcome)
            })
            .collect()
    }

    /// What one archive delivery writes: the submission's files, with the PDF kept beside the store.
    fn prepare_archive(&self, row: &OutboxRow) -> Result<Prepared, Failure> {
        let (tenant, def, sub) = self.load(row)?;
        let (pdf, unsynced) =
            crate::cases::keep_pdf(&self.data_dir, &self.i18n, tenant, &def, &sub)
                .map_err(Failure::Retry)?;
        let files = self
            .render(tenant, &def, &sub, pdf)
            .map_err(Failure::Retry)?
            .into_iter()
            .map(|t| t.file)
            .collect();
        Ok(Prepared {
            archive: tenant.config.archive_dir.clone(),
            mode: tenant.config.archive_file_mode,
            head: OwnedHead::of(&sub),
            files,
            unsynced,
        })
    }

    /// The row's tenant, submission and the form version it was filled in on.
    fn load(&self, row: &OutboxRow) -> Result<(&Tenant, Arc<FormDef>, Submission), Failure> {
        let Some(tenant) = self.tenants.iter().find(|t| t.config.id == row.tenant) else {
            return Err(Failure::Retry(format!(
                "tenant {} is not configured now",
                row.tenant
            )));
        };
        let sub = match self
            .store
            .tenant(&tenant.config.id)
            .submission(&row.reference)
        {
            Ok(Some(s)) => s,
            Ok(None) => return Err(Failure::Permanent("the submission does not exist".into())),
            Err(e) => return Err(Failure::Retry(e.to_string())),
        };
        // The form as it was filled in: the version kept for the submission, not today's.
        match crate::cases::form_of(&self.store, tenant, &sub) {
            Ok(Some(def)) => Ok((tenant, def, sub)),
            Ok(None) => Err(Failure::Retry(format!(
                "the form {} is not known",
                sub.form
            ))),
            Err(e) => Err(Failure::Retry(e.to_string())),
        }
    }
}

/// An archive delivery ready to be written.
struct Prepared {
    archive: std::path::PathBuf,
    /// The mode of the archive's files.
    mode: u32,
    head: OwnedHead,
    files: Vec<DropFile>,
    /// A PDF kept just now, and its folder: flushed with the batch.
    unsynced: Vec<std::path::PathBuf>,
}

/// The manifest's head, owned, so it can move into a blocking task.
struct OwnedHead {
    reference: String,
    tenant: String,
    form: String,
    form_version: u32,
    form_hash: String,
}

impl OwnedHead {
    fn head(&self) -> ManifestHead<'_> {
        ManifestHead {
            reference: &self.reference,
            tenant: &self.tenant,
            form: &self.form,
            form_version: self.form_version,
            form_hash: &self.form_hash,
        }
    }
}

impl OwnedHead {
    fn of(sub: &Submission) -> OwnedHead {
        OwnedHead {
            reference: sub.reference.to_string(),
            tenant: sub.tenant.to_string(),
            form: sub.form.to_string(),
            form_version: sub.form_version,
            form_hash: sub.form_hash.clone(),
        }
    }
}

/// A delivery to another target, prepared off the executor (the PDF may be rendered, files are read).
enum Outgoing {
    Mail(super::email::Mail),
    Http {
        http: crate::config::targets::HttpTarget,
        name: String,
        package: Package,
    },
}

impl Worker {
    /// One delivery to a target other than the archive: prepared on a blocking thread, then sent.
    async fn attempt(self: Arc<Self>, row: &OutboxRow) -> Result<String, Failure> {
        let me = self.clone();
        let r = row.clone();
        let outgoing = tokio::task::spawn_blocking(move || me.prepare_other(&r))
            .await
            .map_err(|e| Failure::Retry(e.to_string()))??;
        match outgoing {
            Outgoing::Mail(mail) => {
                let Some(smtp) = &self.smtp else {
                    return Err(Failure::Retry("no [smtp] is configured".into()));
                };
                super::email::send(smtp, &mail).await
            }
            Outgoing::Http {
                http,
                name,
                package,
            } => {
                tokio::task::spawn_blocking(move || super::http_post::post(&http, &name, &package))
                    .await
                    .map_err(|e| Failure::Retry(e.to_string()))?
            }
        }
    }

    fn prepare_other(&self, row: &OutboxRow) -> Result<Outgoing, Failure> {
        let (tenant, def, sub) = self.load(row)?;
        let pdf = || {
            crate::cases::kept_pdf(&self.data_dir, &self.i18n, tenant, &def, &sub)
                .map_err(Failure::Retry)
        };
        let loc = self.i18n.loc(sub.lang);
        let form_title = def.title.get(sub.lang).to_owned();
        let message_id = format!("<{}.{}.{}@radhus>", sub.tenant, sub.reference, row.target);
        let args = [
            ("form", form_title.clone().into()),
            ("reference", sub.reference.to_string().into()),
            ("municipality", tenant.config.name.clone().into()),
        ];
        let tc = match &row.target {
            Target::Archive => {
                return Err(Failure::Retry(
                    "archive deliveries are made by the archive lane".into(),
                ));
            }
            Target::ReceiptCopy(_) | Target::ReceiptConfirm(_) | Target::Notice(_) => {
                // Mails to an address a citizen typed: fixed texts with the receipt's facts only (form,
                // reference, time, a link), never the answers or the PDF; and the copy itself only
                // after the address has confirmed (its link is in the confirmation mail).
                if self.smtp.is_none() {
                    return Err(Failure::Retry(
                        "no [smtp] is configured for receipt copies".into(),
                    ));
                }
                let Some(to) = row.to.clone() else {
                    return Err(Failure::Permanent("the copy has no address".into()));
                };
                let host = tenant.config.hosts.first().cloned().unwrap_or_default();
                let origin = crate::paths::origin(&host, self.https_port);
                let at = crate::forms::engine::norway_time(sub.submitted_at());
                let mut args = args.to_vec();
                args.push((
                    "sent",
                    format!(
                        "{} {:02}:{:02}",
                        crate::forms::engine::format_date(at.date()),
                        at.hour(),
                        at.minute()
                    )
                    .into(),
                ));
                let (subject, text) = if let Target::ReceiptConfirm(_) = row.target {
                    let expires = row.created + crate::cases::COPY_LINK_SECS;
                    let sig = crate::cases::copy_link_sig(
                        &self.link_key,
                        &sub.tenant,
                        &sub.reference,
                        &to,
                        expires,
                    );
                    let query: String = form_urlencoded::Serializer::new(String::new())
                        .append_pair("til", &to)
                        .append_pair("utloper", &expires.to_string())
                        .append_pair("sig", &sig)
                        .finish();
                    let link = format!(
                        "{origin}{}?{query}",
                        crate::paths::receipt_confirm(&sub.form, &sub.reference)
                    );
                    args.push(("link", link.into()));
                    (
                        loc.tf("mail-confirm-subject", &args),
                        loc.tf("mail-confirm-body", &args),
                    )
                } else if let Target::Notice(_) = row.target {
                    // That the case changed, and where to read it: the status in the words of the
                    // language the form was sent in, never the message itself or the answers.
                    let history = self
                        .store
                        .tenant(&sub.tenant)
                        .case_history(&sub.reference)
                        .map_err(|e| Failure::Retry(e.to_string()))?;
                    let status = history
                        .events
                        .iter()
                        .rev()
                        .find_map(|e| e.status)
                        .unwrap_or(crate::cases::records::Status::Received);
                    args.push((
                        "status",
                        crate::cases::status_name(loc, &tenant.config, Some(&def), status).into(),
                    ));
                    args.push((
                        "link",
                        format!("{origin}{}", crate::paths::case(&sub.reference)).into(),
                    ));
                    (
                        loc.tf("mail-notice-subject", &args),
                        loc.tf("mail-notice-body", &args),
                    )
                } else {
                    args.push(("link", format!("{origin}/").into()));
                    (
                        loc.tf("mail-receipt-subject", &args),
                        loc.tf("mail-receipt-body", &args),
                    )
                };
                return Ok(Outgoing::Mail(super::email::Mail {
                    to,
                    subject,
                    text,
                    attachments: vec![],
                    message_id,
                }));
            }
            Target::Configured(name) => {
                let Some(tc) = tenant
                    .config
                    .targets
                    .iter()
                    .find(|t| t.name == name.as_str())
                else {
                    return Err(Failure::Permanent(format!(
                        "the tenant has no delivery target \"{name}\" (forms name it in [[delivery]]; configure it as [[tenant.target]])"
                    )));
                };
                tc
            }
        };
        if matches!(tc.kind, crate::config::TargetKind::Email { .. }) && self.smtp.is_none() {
            return Err(Failure::Retry("no [smtp] is configured".into()));
        }
        let (files, types): (Vec<DropFile>, Vec<String>) = self
            .render(tenant, &def, &sub, pdf()?)
            .map_err(Failure::Retry)?
            .into_iter()
            .map(|t| (t.file, t.content_type))
            .unzip();
        let manifest = file_drop::manifest(&OwnedHead::of(&sub).head(), &files);
        let mut package_files = vec![];
        for (f, content_type) in files.into_iter().zip(types) {
            let bytes = match f.content {
                Content::Bytes(b) => b,
                Content::Stored { path, .. } => std::fs::read(&path)
                    .map_err(|e| Failure::Retry(format!("reading {}: {e}", path.display())))?,
            };
            package_files.push(PackageFile {
                name: f.name,
                content_type,
                bytes,
            });
        }
        package_files.push(PackageFile {
            name: "manifest.json".into(),
            content_type: "application/json".into(),
            bytes: manifest,
        });
        Ok(match &tc.kind {
            crate::config::TargetKind::Http(http) => Outgoing::Http {
                http: http.clone(),
                name: tc.name.clone(),
                package: Package {
                    reference: sub.reference.to_string(),
                    tenant: sub.tenant.to_string(),
                    form: sub.form.to_string(),
                    form_version: sub.form_version,
                    submitted: sub.submitted,
                    files: package_files,
                },
            },
            crate::config::TargetKind::Email { to } => Outgoing::Mail(super::email::Mail {
                to: to.clone(),
                subject: loc.tf("mail-archive-subject", &args),
                text: loc.tf("mail-archive-body", &args),
                attachments: package_files,
                message_id,
            }),
        })
    }

    /// The files of a delivery: our XML, the Noark 5 arkivmelding, the PDF and the attachments.
    fn render(
        &self,
        tenant: &Tenant,
        def: &FormDef,
        sub: &Submission,
        pdf: Vec<u8>,
    ) -> Result<Vec<Typed>, String> {
        // The lists as they were on the day it was sent.
        let today = today_in_norway(sub.submitted_at());
        let lists = tenant.lists(today);
        let engine = Engine::new(def, &lists, today);
        let loc = self.i18n.loc(sub.lang);
        let yes_no = (loc.t("answer-yes"), loc.t("answer-no"));
        let file = |id: &str| sub.file_shown(id);
        let mut rows = vec![];
        for step in summary::walk(&engine, &sub.answers, sub.lang, yes_no, &file) {
            for e in step.entries.iter().filter(|e| e.value.answered()) {
                match &e.value {
                    Value::Rows { rows: group, .. } => {
                        for (i, row) in group.iter().enumerate() {
                            for c in row {
                                if let Some(v) = c.value.as_ref().filter(|v| v.answered()) {
                                    rows.push(xml::Row {
                                        step: step.title.clone(),
                                        label: format!("{} {} – {}", e.label, i + 1, c.label),
                                        value: v.plain(", "),
                                        name: c.name.clone(),
                                    });
                                }
                            }
                        }
                    }
                    v => rows.push(xml::Row {
                        step: step.title.clone(),
                        label: e.label.clone(),
                        value: v.plain(", "),
                        name: v.name().to_owned(),
                    }),
                }
            }
        }
        // The attachments, numbered in the form's order, under safe names.
        let files = crate::attachments::FileStore::new(&self.data_dir);
        let mut attachments = vec![];
        let mut titles = vec![];
        for (i, f) in sub.files.iter().enumerate() {
            let name = format!(
                "attachments/{}-{}",
                i + 1,
                crate::attachments::safe_name(&f.name, &f.ext)
            );
            // In the archive record: the question it answers and the file's own name.
            let question = def
                .field_for_name(&f.field)
                .map(|(_, q)| summary::label(q, sub.lang))
                .unwrap_or_default();
            let title = if question.is_empty() {
                f.name.clone()
            } else {
                format!("{question}: {}", f.name)
            };
            titles.push((name.clone(), title));
            attachments.push((
                name,
                f.content_type.clone(),
                Content::Stored {
                    path: files.path(&sub.tenant, &f.id),
                    size: f.size,
                    sha256: f.sha256.clone(),
                },
            ));
        }
        let mut listed: Vec<(String, String)> = vec![
            ("submission.xml".into(), "application/xml".into()),
            ("submission.pdf".into(), "application/pdf".into()),
        ];
        listed.extend(attachments.iter().map(|(n, t, _)| (n.clone(), t.clone())));
        let cx = xml::Context {
            tenant_name: &tenant.config.name,
            form_title: def.title.get(sub.lang),
            rows: &rows,
            files: &listed,
            archive: &def.archive,
            titles: &titles,
            checksums: &[],
            record_lang: tenant.config.archive_lang,
        };
        // The archive keeps each answer normalised by its kind (identifiers as digits, ISO dates, …);
        // the display values in the rows are as the citizen saw them.
        let mut archived = sub.clone();
        archived.answers = engine.normalised_answers(&sub.answers);
        let submission = xml::submission_xml(&archived, &cx).map_err(|e| e.to_string())?;
        let hex = super::package::sha256_hex;
        let mut checksums = vec![
            ("submission.xml".to_owned(), hex(&submission)),
            ("submission.pdf".to_owned(), hex(&pdf)),
        ];
        checksums.extend(
            sub.files
                .iter()
                .zip(&attachments)
                .map(|(f, (name, _, _))| (name.clone(), f.sha256.clone())),
        );
        let cx = xml::Context {
            checksums: &checksums,
            ..cx
        };
        let arkiv = xml::arkivmelding_xml(&archived, &cx).map_err(|e| e.to_string())?;
        let typed = |file: DropFile, content_type: &str| Typed {
            file,
            content_type: content_type.to_owned(),
        };
        let mut out = vec![
            typed(
                DropFile::bytes("submission.xml", submission),
                "application/xml",
            ),
            typed(
                DropFile::bytes("arkivmelding.xml", arkiv),
                "application/xml",
            ),
            typed(DropFile::bytes("submission.pdf", pdf), "application/pdf"),
        ];
        out.extend(
            attachments
                .into_iter()
                .map(|(name, content_type, content)| Typed {
                    file: DropFile { name, content },
                    content_type,
                }),
        );
        Ok(out)
    }
}

/// A file of a delivery with its content type (the HTTP and e-mail targets send it; the file drop does not
/// need it).
struct Typed {
    file: DropFile,
    content_type: String,
}
