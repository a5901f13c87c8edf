//! The outbox worker: picks due rows, delivers, and records delivered / failing (with the next try, by
//! exponential backoff with jitter) / failed permanently after `limits.delivery_attempts` (default 30,
//! about two days with the backoff below). Nothing is ever dropped:
//! a failed row stays visible and can be retried. After a restart, unfinished rows simply continue.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::file_drop::{self, Content, DropError, DropFile, ManifestHead};
use super::package::{Failure, Package, PackageFile};
use super::xml;
use crate::app::State;
use crate::forms::answers::row_name;
use crate::forms::definition::Kind;
use crate::forms::engine::{Engine, today_in_norway};
use crate::store::forms::{OutboxRow, OutboxState, Submission};

const FIRST_RETRY_SECS: i64 = 5;
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

/// Runs until `stop` turns true; woken early by `state.delivery_wake`.
pub async fn run(state: Arc<State>, mut stop: watch::Receiver<bool>) {
    // Temporary folders of deliveries a crash interrupted: removed once, before any delivery starts.
    for t in &state.tenants {
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
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        match state.store.due_deliveries(now, 64) {
            Ok(rows) => {
                for (key, row) in rows {
                    if *stop.borrow() {
                        return;
                    }
                    deliver_one(&state, key, row).await;
                }
            }
            Err(e) => tracing::error!(error = %e, "cannot read the outbox"),
        }
        tokio::select! {
            _ = state.delivery_wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn deliver_one(state: &Arc<State>, key: String, row: OutboxRow) {
    let attempts = match &row.state {
        OutboxState::Failing { attempts, .. } => *attempts,
        _ => 0,
    };
    let outcome = attempt(state, &row).await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let new_state = match outcome {
        Ok(proof) => {
            state
                .delivery_health
                .lock()
                .map(|mut h| h.remove(&row.tenant))
                .ok();
            tracing::info!(tenant = %row.tenant, reference = %row.reference, target = %row.target, "delivered");
            OutboxState::Delivered { at: now, proof }
        }
        Err(Failure::Permanent(e)) => {
            state
                .metrics
                .delivery_failures
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            tracing::error!(tenant = %row.tenant, reference = %row.reference, target = %row.target, error = %e, "delivery failed permanently");
            OutboxState::Failed {
                attempts: attempts + 1,
                last_error: e,
            }
        }
        Err(Failure::Retry(e)) => {
            state
                .metrics
                .delivery_failures
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if let Ok(mut h) = state.delivery_health.lock() {
                h.insert(row.tenant.clone(), e.clone());
            }
            let n = attempts + 1;
            if n >= state.config.limits.delivery_attempts {
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
    if let Err(e) = state.store.set_delivery_state(key, new_state).await {
        tracing::error!(error = %e, "cannot record a delivery's state; it will be tried again");
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

async fn attempt(state: &Arc<State>, row: &OutboxRow) -> Result<String, Failure> {
    let Some(tenant) = state
        .tenants
        .iter()
        .find(|t| t.config.id.as_str() == row.tenant)
    else {
        return Err(Failure::Retry(format!(
            "tenant {} is not configured now",
            row.tenant
        )));
    };
    let sub = match state.store.submission(&tenant.config.id, &row.reference) {
        Ok(Some(s)) => s,
        Ok(None) => return Err(Failure::Permanent("the submission does not exist".into())),
        Err(e) => return Err(Failure::Retry(e.to_string())),
    };
    let def = form_of(state, tenant, &sub).map_err(Failure::Retry)?;
    let head_owned = OwnedHead {
        reference: sub.reference.clone(),
        tenant: sub.tenant.clone(),
        form: sub.form.clone(),
        form_version: sub.form_version,
        form_hash: sub.form_hash.clone(),
    };
    let target = row.target.as_str();
    if target == "archive" {
        let files: Vec<DropFile> = render(state, tenant, def, &sub)
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
    let loc = state.i18n.loc(sub.lang);
    let form_title = def.title.get(sub.lang).to_owned();
    let message_id = format!("<{}.{}.{}@radhus>", sub.tenant, sub.reference, target);
    if target.starts_with("kvittering-") {
        // A copy of the receipt to the address the citizen gave: the PDF only.
        let Some(smtp) = &state.config.smtp else {
            return Err(Failure::Retry(
                "no [smtp] is configured for receipt copies".into(),
            ));
        };
        let Some(to) = row.to.clone() else {
            return Err(Failure::Permanent("the copy has no address".into()));
        };
        let pdf = crate::pdf::submission_pdf_kept(
            &state.config.server.data_dir,
            &state.i18n,
            tenant,
            def,
            &sub,
        )
        .map_err(Failure::Retry)?;
        let args = [
            ("form", form_title.clone().into()),
            ("reference", sub.reference.clone().into()),
            ("municipality", tenant.config.name.clone().into()),
        ];
        let mail = super::email::Mail {
            to,
            subject: loc.tf("mail-receipt-subject", &args),
            text: loc.tf("mail-receipt-body", &args),
            attachments: vec![PackageFile {
                name: format!("{}-{}.pdf", sub.form, sub.reference),
                content_type: "application/pdf".into(),
                bytes: pdf,
            }],
            message_id,
        };
        return super::email::send(smtp, &mail).await;
    }
    let Some(tc) = tenant.config.targets.iter().find(|t| t.name == target) else {
        return Err(Failure::Permanent(format!(
            "the tenant has no delivery target \"{target}\" (forms name it in [[delivery]]; configure it as [[tenant.target]])"
        )));
    };
    let (files, types): (Vec<DropFile>, Vec<String>) = render(state, tenant, def, &sub)
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
                reference: sub.reference.clone(),
                tenant: sub.tenant.clone(),
                form: sub.form.clone(),
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
            let Some(smtp) = &state.config.smtp else {
                return Err(Failure::Retry("no [smtp] is configured".into()));
            };
            let args = [
                ("form", form_title.clone().into()),
                ("reference", sub.reference.clone().into()),
                ("municipality", tenant.config.name.clone().into()),
            ];
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

fn form_of<'a>(
    state: &'a State,
    tenant: &'a crate::app::Tenant,
    sub: &Submission,
) -> Result<&'a crate::forms::FormDef, String> {
    tenant
        .forms
        .iter()
        .find(|f| f.id.as_str() == sub.form)
        .or_else(|| {
            state
                .registry
                .all()
                .iter()
                .find(|f| f.id.as_str() == sub.form)
        })
        .map(|f| &**f)
        .ok_or_else(|| format!("the form {} is not known", sub.form))
}

/// A file of a delivery with its content type (the HTTP and e-mail targets send it; the file drop does not
/// need it).
struct Typed {
    file: DropFile,
    content_type: String,
}

/// The files of a delivery: our XML, the Noark 5 arkivmelding, the PDF and the attachments.
fn render(
    state: &State,
    tenant: &crate::app::Tenant,
    def: &crate::forms::FormDef,
    sub: &Submission,
) -> Result<Vec<Typed>, String> {
    let today = today_in_norway(time::OffsetDateTime::now_utc());
    let lists = tenant.lists(today);
    let engine = Engine::new(def, &lists, today);
    let loc = state.i18n.loc(sub.lang);
    let yes_no = (loc.t("answer-yes"), loc.t("answer-no"));
    let mut rows = vec![];
    for step in &def.steps {
        for f in step.fields.iter().filter(|f| f.kind.is_input()) {
            let label = |f: &crate::forms::definition::Field| {
                f.label
                    .as_ref()
                    .map_or_else(|| f.id.clone(), |l| l.get(sub.lang).to_owned())
            };
            match &f.kind {
                Kind::Group { fields, .. } => {
                    for i in 0..sub.answers.row_count(&f.id) {
                        for s in fields.iter().filter(|s| s.kind.is_input()) {
                            let name = row_name(&f.id, i, &s.id);
                            if sub.answers.get(&name).is_some() {
                                rows.push(xml::Row {
                                    step: step.title.get(sub.lang).to_owned(),
                                    label: format!("{} {} – {}", label(f), i + 1, label(s)),
                                    value: engine.display(s, &name, &sub.answers, sub.lang, yes_no),
                                    name,
                                });
                            }
                        }
                    }
                }
                Kind::Address if sub.answers.get(&format!("{}.gate", f.id)).is_some() => {
                    rows.push(xml::Row {
                        step: step.title.get(sub.lang).to_owned(),
                        label: label(f),
                        value: engine.display(f, &f.id, &sub.answers, sub.lang, yes_no),
                        name: f.id.clone(),
                    })
                }
                _ if sub.answers.get(&f.id).is_some() => rows.push(xml::Row {
                    step: step.title.get(sub.lang).to_owned(),
                    label: label(f),
                    value: engine.display(f, &f.id, &sub.answers, sub.lang, yes_no),
                    name: f.id.clone(),
                }),
                _ => {}
            }
        }
    }
    // The attachments, numbered in the form's order, under safe names.
    let mut attachments = vec![];
    for (i, f) in sub.files.iter().enumerate() {
        let path = state
            .files
            .path(&sub.tenant, &f.id)
            .ok_or_else(|| format!("bad file id {}", f.id))?;
        let name = format!(
            "attachments/{}-{}",
            i + 1,
            crate::attachments::safe_name(&f.name, &f.ext)
        );
        attachments.push((
            name,
            f.content_type.clone(),
            Content::Stored {
                path,
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
    let pdf = crate::pdf::submission_pdf_kept(
        &state.config.server.data_dir,
        &state.i18n,
        tenant,
        def,
        sub,
    )?;
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
