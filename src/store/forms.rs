//! Drafts, submissions, the delivery outbox, reference numbers and tenants' lists of values.
//!
//! A submission is written in ONE transaction with its outbox rows, the reference counter and the draft's
//! `submitted` mark, as an acknowledged (durable) write: when [`Store::submit`] returns, all of it is on
//! disk, and a second submit of the same draft returns the same reference.

use std::collections::BTreeMap;

use redb::{ReadableDatabase, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, key_value, records};
use crate::forms::answers::Answers;
use crate::i18n::{Lang, Texts};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Draft {
    pub tenant: String,
    pub form: String,
    pub form_version: u32,
    pub form_hash: String,
    pub lang: Lang,
    pub answers: Answers,
    /// Unix seconds.
    pub created: i64,
    pub updated: i64,
    pub expires: i64,
    /// Set in the submission's transaction: the reference it became.
    pub submitted: Option<String>,
    /// Uploaded files by id; the attachment field's answer lists the ids it holds.
    #[serde(default)]
    pub files: BTreeMap<String, StoredFile>,
}

/// An uploaded file: stored under `<data>/files/<tenant>/<id>`, described here.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredFile {
    /// Random id (also the file name on disk).
    pub id: String,
    /// The input name it was uploaded through (`vedlegg`, `barn[0].vedlegg`).
    pub field: String,
    /// The citizen's name for it, cleaned of paths and control characters (for display only).
    pub name: String,
    pub size: u64,
    /// Lowercase hex.
    pub sha256: String,
    /// Judged from the content, not the name.
    pub content_type: String,
    /// Extension for the content type (`pdf`, `jpg` …).
    pub ext: String,
}

impl records::Record for Draft {
    const KIND: &'static str = "draft";
    const VERSION: u8 = 1;
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Submission {
    pub tenant: String,
    pub reference: String,
    pub form: String,
    pub form_version: u32,
    pub form_hash: String,
    pub lang: Lang,
    /// Visible answers only.
    pub answers: Answers,
    pub draft_started: i64,
    pub submitted: i64,
    /// Attachments in the order they are numbered in deliveries (`attachments/1-…`).
    #[serde(default)]
    pub files: Vec<StoredFile>,
}

impl records::Record for Submission {
    const KIND: &'static str = "submission";
    const VERSION: u8 = 1;
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OutboxState {
    Pending,
    Delivered {
        at: i64,
        proof: String,
    },
    Failing {
        attempts: u32,
        last_error: String,
        next_try: i64,
    },
    Failed {
        attempts: u32,
        last_error: String,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OutboxRow {
    pub tenant: String,
    pub reference: String,
    pub target: String,
    pub state: OutboxState,
    pub created: i64,
    /// For a copy of the receipt: the address the citizen gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

impl records::Record for OutboxRow {
    const KIND: &'static str = "outbox row";
    const VERSION: u8 = 1;
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredItem {
    pub id: String,
    pub label: Texts,
    /// `YYYY-MM-DD`, inclusive.
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ValueList {
    pub id: String,
    pub title: Texts,
    #[serde(rename = "item", default)]
    pub items: Vec<StoredItem>,
}

impl records::Record for ValueList {
    const KIND: &'static str = "value list";
    const VERSION: u8 = 1;
}

/// Why a submission was not written (nothing was changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitRefused {
    NoDraft,
    WrongForm,
}

/// What the submitter needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub reference: String,
    /// False when the draft had been submitted before (double click, back-and-resubmit).
    pub new: bool,
}

/// Formats the n-th reference of a tenant: the year, then the counter. Short enough to read on the phone.
pub fn reference(year: i32, n: u64) -> String {
    format!("{year}-{n:05}")
}

fn get<R: records::Record>(
    tx: &WriteTransaction,
    table: redb::TableDefinition<&str, &[u8]>,
    key: &str,
) -> Result<Option<R>, StoreError> {
    let t = tx.open_table(table)?;
    let v = t.get(key)?;
    v.map(|v| records::decode(v.value())).transpose()
}

fn put<R: records::Record>(
    tx: &WriteTransaction,
    table: redb::TableDefinition<&str, &[u8]>,
    key: &str,
    r: &R,
) -> Result<(), StoreError> {
    let bytes = records::encode(r)?;
    tx.open_table(table)?.insert(key, bytes.as_slice())?;
    Ok(())
}

impl Store {
    fn read<R: records::Record>(
        &self,
        table: redb::TableDefinition<&str, &[u8]>,
        key: &str,
    ) -> Result<Option<R>, StoreError> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(table)?;
        let v = t.get(key)?;
        v.map(|v| records::decode(v.value())).transpose()
    }

    /// Every record whose key starts with `prefix`, in key order.
    fn scan_prefix<R: records::Record>(
        &self,
        table: redb::TableDefinition<&str, &[u8]>,
        prefix: &str,
    ) -> Result<Vec<R>, StoreError> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(table)?;
        let mut out = vec![];
        for row in t.range(prefix..)? {
            let (k, v) = row?;
            if !k.value().starts_with(prefix) {
                break;
            }
            out.push(records::decode(v.value())?);
        }
        Ok(out)
    }

    pub fn draft(&self, id: &str) -> Result<Option<Draft>, StoreError> {
        self.read(key_value::DRAFTID_DRAFT, id)
    }

    /// Saves a draft (progress class: durable within a second, not per keystroke).
    pub async fn save_draft(&self, id: String, draft: Draft) -> Result<(), StoreError> {
        self.write(false, move |tx| {
            put(tx, key_value::DRAFTID_DRAFT, &id, &draft)
        })
        .await
    }

    /// Writes the submission, its outbox rows, the next reference and the draft's mark in one durable
    /// transaction. Idempotent per draft.
    pub async fn submit(
        &self,
        draft_id: String,
        answers: Answers,
        files: Vec<StoredFile>,
        targets: Vec<String>,
        now: i64,
        year: i32,
    ) -> Result<Result<Submitted, SubmitRefused>, StoreError> {
        self.write(true, move |tx| {
            let Some(mut draft) = get::<Draft>(tx, key_value::DRAFTID_DRAFT, &draft_id)? else {
                return Ok(Err(SubmitRefused::NoDraft));
            };
            if let Some(reference) = &draft.submitted {
                return Ok(Ok(Submitted {
                    reference: reference.clone(),
                    new: false,
                }));
            }
            let n = {
                let mut counters = tx.open_table(key_value::TENANT_REFERENCECOUNTER)?;
                let next = counters
                    .get(draft.tenant.as_str())?
                    .map_or(0, |v| v.value())
                    + 1;
                counters.insert(draft.tenant.as_str(), next)?;
                next
            };
            let reference = reference(year, n);
            let key = format!("{}/{reference}", draft.tenant);
            let sub = Submission {
                tenant: draft.tenant.clone(),
                reference: reference.clone(),
                form: draft.form.clone(),
                form_version: draft.form_version,
                form_hash: draft.form_hash.clone(),
                lang: draft.lang,
                answers,
                draft_started: draft.created,
                submitted: now,
                files,
            };
            put(tx, key_value::TENANTREFERENCE_SUBMISSION, &key, &sub)?;
            {
                // The files now belong to the submission: the orphan sweep keeps them for good.
                let mut owners = tx.open_table(key_value::TENANTFILE_REFERENCE)?;
                for f in &sub.files {
                    owners.insert(
                        format!("{}/{}", draft.tenant, f.id).as_str(),
                        reference.as_str(),
                    )?;
                }
            }
            for target in targets {
                let row = OutboxRow {
                    tenant: draft.tenant.clone(),
                    reference: reference.clone(),
                    target: target.clone(),
                    state: OutboxState::Pending,
                    created: now,
                    to: None,
                };
                put(
                    tx,
                    key_value::TENANTREFERENCETARGET_OUTBOXROW,
                    &format!("{key}/{target}"),
                    &row,
                )?;
            }
            draft.submitted = Some(reference.clone());
            draft.updated = now;
            put(tx, key_value::DRAFTID_DRAFT, &draft_id, &draft)?;
            Ok(Ok(Submitted {
                reference,
                new: true,
            }))
        })
        .await
    }

    pub fn submission(
        &self,
        tenant: &crate::ids::TenantId,
        reference: &str,
    ) -> Result<Option<Submission>, StoreError> {
        if reference.contains('/') {
            return Ok(None);
        }
        self.read(
            key_value::TENANTREFERENCE_SUBMISSION,
            &format!("{tenant}/{reference}"),
        )
    }

    /// A tenant's submissions, oldest first.
    pub fn submissions(
        &self,
        tenant: &crate::ids::TenantId,
    ) -> Result<Vec<Submission>, StoreError> {
        self.scan_prefix(key_value::TENANTREFERENCE_SUBMISSION, &format!("{tenant}/"))
    }

    /// Outbox rows of one submission.
    pub fn outbox_rows(
        &self,
        tenant: &crate::ids::TenantId,
        reference: &str,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        self.scan_prefix(
            key_value::TENANTREFERENCETARGET_OUTBOXROW,
            &format!("{tenant}/{reference}/"),
        )
    }

    /// Removes drafts whose lifetime is over (submitted ones included: the submission holds the answers).
    pub async fn expire_drafts(&self, now: i64) -> Result<usize, StoreError> {
        self.write(true, move |tx| {
            let mut n = 0;
            tx.open_table(key_value::DRAFTID_DRAFT)?.retain(|_, v| {
                let keep = records::decode::<Draft>(v).is_ok_and(|d| d.expires > now);
                n += usize::from(!keep);
                keep
            })?;
            Ok(n)
        })
        .await
    }

    /// Adds a copy of the receipt to the outbox (target `kvittering-<n>`), at most `max` per submission.
    /// Returns false when the submission has that many already.
    pub async fn add_receipt_copy(
        &self,
        tenant: &crate::ids::TenantId,
        reference: &str,
        to: String,
        now: i64,
        max: usize,
    ) -> Result<bool, StoreError> {
        let prefix = format!("{tenant}/{reference}/kvittering-");
        let (tenant, reference) = (tenant.to_string(), reference.to_owned());
        self.write(true, move |tx| {
            let n = {
                let t = tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)?;
                let mut n = 0;
                for e in t.range(prefix.as_str()..)? {
                    let (k, _) = e?;
                    if !k.value().starts_with(&prefix) {
                        break;
                    }
                    n += 1;
                }
                n
            };
            if n >= max {
                return Ok(false);
            }
            let target = format!("kvittering-{}", n + 1);
            let row = OutboxRow {
                tenant: tenant.clone(),
                reference: reference.clone(),
                target: target.clone(),
                state: OutboxState::Pending,
                created: now,
                to: Some(to),
            };
            put(
                tx,
                key_value::TENANTREFERENCETARGET_OUTBOXROW,
                &format!("{tenant}/{reference}/{target}"),
                &row,
            )?;
            Ok(true)
        })
        .await
    }

    /// Saves a draft durably (after an upload: the file it points at is already on disk).
    pub async fn save_draft_durably(&self, id: String, draft: Draft) -> Result<(), StoreError> {
        self.write(true, move |tx| {
            put(tx, key_value::DRAFTID_DRAFT, &id, &draft)
        })
        .await
    }

    /// Every `(tenant, file id)` held by a draft or owned by a submission — what the orphan sweep keeps.
    pub fn held_files(&self) -> Result<std::collections::HashSet<(String, String)>, StoreError> {
        let tx = self.db.begin_read()?;
        let mut held = std::collections::HashSet::new();
        for entry in tx.open_table(key_value::DRAFTID_DRAFT)?.iter()? {
            let (_, v) = entry?;
            if let Ok(d) = records::decode::<Draft>(v.value()) {
                for id in d.files.keys() {
                    held.insert((d.tenant.clone(), id.clone()));
                }
            }
        }
        for entry in tx.open_table(key_value::TENANTFILE_REFERENCE)?.iter()? {
            let (k, _) = entry?;
            if let Some((t, id)) = k.value().split_once('/') {
                held.insert((t.to_owned(), id.to_owned()));
            }
        }
        Ok(held)
    }

    /// A tenant's lists of values.
    pub fn value_lists(
        &self,
        tenant: &crate::ids::TenantId,
    ) -> Result<BTreeMap<String, ValueList>, StoreError> {
        let lists: Vec<ValueList> =
            self.scan_prefix(key_value::TENANTLIST_VALUELIST, &format!("{tenant}/"))?;
        Ok(lists.into_iter().map(|l| (l.id.clone(), l)).collect())
    }

    /// Stores the given lists for a tenant where it has none of that id yet (seeding from the library).
    pub async fn seed_value_lists(
        &self,
        tenant: &crate::ids::TenantId,
        lists: Vec<ValueList>,
    ) -> Result<usize, StoreError> {
        let tenant = tenant.to_string();
        self.write(true, move |tx| {
            let mut n = 0;
            for l in lists {
                let key = format!("{tenant}/{}", l.id);
                if get::<ValueList>(tx, key_value::TENANTLIST_VALUELIST, &key)?.is_none() {
                    put(tx, key_value::TENANTLIST_VALUELIST, &key, &l)?;
                    n += 1;
                }
            }
            Ok(n)
        })
        .await
    }
}
