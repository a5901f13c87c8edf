//! The outbox worker: picks due rows, delivers, and records delivered / failing (with the next try, by
//! exponential backoff with jitter) / failed permanently after [`MAX_ATTEMPTS`]. Nothing is ever dropped:
//! a failed row stays visible and can be retried. After a restart, unfinished rows simply continue.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::file_drop::{self, DropError, DropFile, ManifestHead};
use super::xml;
use crate::app::State;
use crate::forms::answers::row_name;
use crate::forms::definition::Kind;
use crate::forms::engine::{Engine, today_in_norway};
use crate::store::forms::{OutboxRow, OutboxState, Submission};

/// Attempts before a row is marked failed (about two days of retries with the backoff below).
pub const MAX_ATTEMPTS: u32 = 30;
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

/// Why one delivery did not happen, and whether trying again can help.
enum Failure {
    Retry(String),
    Permanent(String),
}

/// Runs until `stop` turns true; woken early by `state.delivery_wake`.
pub async fn run(state: Arc<State>, mut stop: watch::Receiver<bool>) {
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
            if n >= MAX_ATTEMPTS {
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
    match row.target.as_str() {
        "archive" => {
            let files = render(state, tenant, &sub).map_err(Failure::Retry)?;
            let dir = tenant.config.archive_dir.clone();
            let head_owned = (
                sub.reference.clone(),
                sub.tenant.clone(),
                sub.form.clone(),
                sub.form_version,
                sub.form_hash.clone(),
            );
            let result = tokio::task::spawn_blocking(move || {
                let head = ManifestHead {
                    reference: &head_owned.0,
                    tenant: &head_owned.1,
                    form: &head_owned.2,
                    form_version: head_owned.3,
                    form_hash: &head_owned.4,
                };
                file_drop::deliver(&dir, &head_owned.0, &head, &files)
            })
            .await
            .map_err(|e| Failure::Retry(e.to_string()))?;
            match result {
                Ok(proof) => Ok(format!("manifest sha256 {proof}")),
                Err(e @ (DropError::Conflict { .. } | DropError::BadName(_))) => {
                    Err(Failure::Permanent(e.to_string()))
                }
                Err(e) => Err(Failure::Retry(e.to_string())),
            }
        }
        other => Err(Failure::Permanent(format!(
            "unknown delivery target \"{other}\""
        ))),
    }
}

/// The files of a delivery: our XML and the Noark 5 arkivmelding (the PDF and attachments come with the
/// attachments capability).
fn render(
    state: &State,
    tenant: &crate::app::Tenant,
    sub: &Submission,
) -> Result<Vec<DropFile>, String> {
    let def = tenant
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
        .ok_or_else(|| format!("the form {} is not known", sub.form))?;
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
    let files: Vec<(String, String)> = vec![("submission.xml".into(), "application/xml".into())];
    let cx = xml::Context {
        tenant_name: &tenant.config.name,
        form_title: def.title.get(sub.lang),
        rows: &rows,
        files: &files,
    };
    let submission = xml::submission_xml(sub, &cx).map_err(|e| e.to_string())?;
    let arkiv = xml::arkivmelding_xml(sub, &cx).map_err(|e| e.to_string())?;
    Ok(vec![
        DropFile {
            name: "submission.xml".into(),
            bytes: submission,
        },
        DropFile {
            name: "arkivmelding.xml".into(),
            bytes: arkiv,
        },
    ])
}
