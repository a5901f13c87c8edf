//! The outbox worker: picks due rows, delivers, and records delivered / failing (with the next try, by
//! exponential backoff with jitter) / failed permanently after `limits.delivery_attempts` (default 30,
//! about two days with the backoff below). Nothing is ever dropped:
//! a failed row stays visible and can be retried. After a restart, unfinished rows simply continue.

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
}

const FIRST_RETRY_SECS: i64 = 5;
/// Due rows read per look at the index.
const BATCH: usize = 64;
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

impl Worker {
    /// Runs until `stop` turns true; woken early by a submission ([`DeliveryStatus::wake`]), else at the
    /// next row's due time (at most a second later: retries made by other processes are seen too).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
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
        loop {
            let now = self.clock.unix();
            let mut full = false;
            match self.store.system().due_deliveries(now, BATCH) {
                Ok(rows) => {
                    full = rows.len() == BATCH;
                    for row in rows {
                        if *stop.borrow() {
                            return;
                        }
                        self.deliver_one(row).await;
                    }
                }
                Err(e) => tracing::error!(error = %e, "cannot read the outbox"),
            }
            if full {
                // More are due: go on at once (the index makes each read cheap).
                tokio::task::yield_now().await;
                continue;
            }
            // Sleep until the next row is due, a submission wakes us, or a second passes.
            let wait = match self.store.system().next_due() {
                Ok(Some(at)) => Duration::from_secs(
                    u64::try_from(at.saturating_sub(self.clock.unix())).unwrap_or(0),
                )
                .clamp(Duration::from_millis(10), Duration::from_secs(1)),
                _ => Duration::from_secs(1),
            };
            tokio::select! {
                _ = self.status.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        }
    }

    async fn deliver_one(&self, row: OutboxRow) {
        let attempts = match &row.state {
            OutboxState::Failing { attempts, .. } => *attempts,
            _ => 0,
        };
        let outcome = self.attempt(&row).await;
        let now = self.clock.unix();
        let failures = &self.status.failures;
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
        if let Err(e) = self
            .store
            .system()
            .set_delivery_state(&row, new_state)
            .await
        {
            tracing::error!(error = %e, "cannot record a delivery's state; it will be tried again");
        }
    }
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

impl Worker {
    async fn attempt(&self, row: &OutboxRow) -> Result<String, Failure> {
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
        let def = match crate::cases::form_of(&self.store, tenant, &sub) {
            Ok(Some(def)) => def,
            Ok(None) => {
                return Err(Failure::Retry(format!(
                    "the form {} is not known",
                    sub.form
                )));
            }
            Err(e) => return Err(Failure::Retry(e.to_string())),
        };
        let head_owned = OwnedHead {
            reference: sub.reference.to_string(),
            tenant: sub.tenant.to_string(),
            form: sub.form.to_string(),
            form_version: sub.form_version,
            form_hash: sub.form_hash.clone(),
        };
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
                let files: Vec<DropFile> = self
                    .render(tenant, &def, &sub, pdf()?)
                    .map_err(Failure::Retry)?
                    .into_iter()
                    .map(|t| t.file)
                    .collect();
                let dir = tenant.config.archive_dir.clone();
                let result = tokio::task::spawn_blocking(move || {
                    file_drop::deliver(&dir, &head_owned.reference, &head_owned.head(), &files)
                })
                .await
                .map_err(|e| Failure::Retry(e.to_string()))?;
                return match result {
                    Ok(proof) => Ok(format!("manifest sha256 {proof}")),
                    Err(e @ (DropError::Conflict { .. } | DropError::BadName(_))) => {
                        Err(Failure::Permanent(e.to_string()))
                    }
                    Err(e) => Err(Failure::Retry(e.to_string())),
                };
            }
            Target::ReceiptCopy(_) => {
                // A copy of the receipt to the address the citizen gave: the PDF only.
                let Some(smtp) = &self.smtp else {
                    return Err(Failure::Retry(
                        "no [smtp] is configured for receipt copies".into(),
                    ));
                };
                let Some(to) = row.to.clone() else {
                    return Err(Failure::Permanent("the copy has no address".into()));
                };
                let mail = super::email::Mail {
                    to,
                    subject: loc.tf("mail-receipt-subject", &args),
                    text: loc.tf("mail-receipt-body", &args),
                    attachments: vec![PackageFile {
                        name: format!("{}-{}.pdf", sub.form, sub.reference),
                        content_type: "application/pdf".into(),
                        bytes: pdf()?,
                    }],
                    message_id,
                };
                return super::email::send(smtp, &mail).await;
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
        let (files, types): (Vec<DropFile>, Vec<String>) = self
            .render(tenant, &def, &sub, pdf()?)
            .map_err(Failure::Retry)?
            .into_iter()
            .map(|t| (t.file, t.content_type))
            .unzip();
        let manifest = file_drop::manifest(&head_owned.head(), &files);
        let mut package_files = vec![];
        for (f, content_type) in files.into_iter().zip(types) {
            let bytes = match f.content {
                Content::Bytes(b) => b,
                Content::Stored { path, .. } => tokio::fs::read(&path)
                    .await
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
        match &tc.kind {
            crate::config::TargetKind::Http(http) => {
                let package = Package {
                    reference: sub.reference.to_string(),
                    tenant: sub.tenant.to_string(),
                    form: sub.form.to_string(),
                    form_version: sub.form_version,
                    submitted: sub.submitted,
                    files: package_files,
                };
                let http = http.clone();
                let name = tc.name.clone();
                tokio::task::spawn_blocking(move || super::http_post::post(&http, &name, &package))
                    .await
                    .map_err(|e| Failure::Retry(e.to_string()))?
            }
            crate::config::TargetKind::Email { to } => {
                let Some(smtp) = &self.smtp else {
                    return Err(Failure::Retry("no [smtp] is configured".into()));
                };
                let mail = super::email::Mail {
                    to: to.clone(),
                    subject: loc.tf("mail-archive-subject", &args),
                    text: loc.tf("mail-archive-body", &args),
                    attachments: package_files,
                    message_id,
                };
                super::email::send(smtp, &mail).await
            }
        }
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
        for (i, f) in sub.files.iter().enumerate() {
            let name = format!(
                "attachments/{}-{}",
                i + 1,
                crate::attachments::safe_name(&f.name, &f.ext)
            );
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
        };
        let submission = xml::submission_xml(sub, &cx).map_err(|e| e.to_string())?;
        let arkiv = xml::arkivmelding_xml(sub, &cx).map_err(|e| e.to_string())?;
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
