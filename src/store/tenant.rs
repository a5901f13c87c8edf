//! The tenant-scoped handle: every read and write of one tenant's drafts, submissions, outbox rows, lists
//! and pinned form versions goes through [`TenantStore`], made by [`Store::tenant`]. Its keys all start with
//! the tenant's id (built in [`super::keys`]), so nothing of another tenant can be named through it.
//!
//! The API carries no redb types: this is the seam where another backend can go later.
//!
//! A submission is written in ONE transaction with its outbox rows (and their due-index entries), the
//! reference counter, the owners of its files, the draft's `submitted` mark and the session's right to see
//! the receipt, as an acknowledged (durable) write: when [`TenantStore::submit`] returns, all of it is on
//! disk, and a second submit of the same draft returns the same reference.

use std::collections::BTreeMap;

use redb::{ReadableDatabase, ReadableTable, WriteTransaction};

use super::sessions::Session;
use super::{Store, StoreError, key_value, keys, records};
use crate::attachments::StoredFile;
use crate::cases::records::{Draft, OutboxRow, OutboxState, Submission, SubmitRefused, Submitted};
use crate::forms::answers::Answers;
use crate::forms::lists::ValueList;
use crate::ids::{DraftId, FormId, Reference, SessionId, Target, TenantId};

/// One tenant's view of the store.
pub struct TenantStore<'s> {
    store: &'s Store,
    tenant: TenantId,
}

/// What [`TenantStore::edit_draft`] did.
#[derive(Debug, PartialEq)]
pub enum Edited<T> {
    /// Changed and saved: the change's result, and the draft as saved.
    Saved(T, Box<Draft>),
    /// No such draft (expired, or another tenant's id): nothing changed.
    Missing,
    /// The draft has been sent, as this reference: nothing changed.
    Sent(Reference),
}

/// What [`TenantStore::submit`] writes besides the draft it reads in the transaction.
pub struct SubmitRequest {
    pub draft: DraftId,
    /// The draft revision the caller validated: a change since then refuses the submission.
    pub rev: u64,
    /// Visible answers only.
    pub answers: Answers,
    pub files: Vec<StoredFile>,
    pub targets: Vec<Target>,
    /// The session that may see the receipt.
    pub session: SessionId,
    pub now: i64,
    pub year: i32,
}

/// A form version kept for drafts and submissions made on it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct PinnedForm {
    pub version: u32,
    /// The form file as it was (TOML).
    pub source: String,
}

/// Which receipt mail to add (see [`TenantStore::add_receipt_mail`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptMail {
    Confirm,
    Copy,
}

/// What [`TenantStore::add_receipt_mail`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptMailAdded {
    Added,
    NoSubmission,
    TooMany,
    TooSoon,
}

impl records::Record for crate::cases::records::CaseHistory {
    const KIND: &'static str = "case history";
    const VERSION: u8 = 1;
}

impl records::Record for PinnedForm {
    const KIND: &'static str = "pinned form";
    const VERSION: u8 = 1;
}

pub(super) fn get<R: records::Record>(
    tx: &WriteTransaction,
    table: redb::TableDefinition<&str, &[u8]>,
    key: &str,
) -> Result<Option<R>, StoreError> {
    let t = tx.open_table(table)?;
    let v = t.get(key)?;
    v.map(|v| records::decode(v.value())).transpose()
}

pub(super) fn put<R: records::Record>(
    tx: &WriteTransaction,
    table: redb::TableDefinition<&str, &[u8]>,
    key: &str,
    r: &R,
) -> Result<(), StoreError> {
    let bytes = records::encode(r)?;
    tx.open_table(table)?.insert(key, bytes.as_slice())?;
    Ok(())
}

/// Writes an outbox row and keeps the due index in step with its state.
/// The `meta` key of the outbox's counts by state: four big-endian u64 (pending, failing, failed,
/// delivered), kept in the transaction that changes a row, so `/metrics` reads them instead of every row
/// ever written. A store from before they were kept gets them counted once, in the first transaction that
/// changes a row (it sees every row as it was before that change).
pub(super) const OUTBOX_COUNTS: &str = "outbox_counts";

fn slot(s: &OutboxState) -> usize {
    match s {
        OutboxState::Pending => 0,
        OutboxState::Failing { .. } => 1,
        OutboxState::Failed { .. } => 2,
        OutboxState::Delivered { .. } => 3,
    }
}

pub(super) fn decode_counts(v: &[u8]) -> Option<[u64; 4]> {
    let mut out = [0u64; 4];
    for (i, c) in v.chunks_exact(8).enumerate() {
        *out.get_mut(i)? = u64::from_be_bytes(c.try_into().ok()?);
    }
    (v.len() == 32).then_some(out)
}

/// Counts every outbox row by state (what the kept counts start from).
pub(super) fn count_rows(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
) -> Result<[u64; 4], StoreError> {
    let mut c = [0u64; 4];
    for e in t.iter()? {
        let (_, v) = e?;
        let row: OutboxRow = records::decode(v.value())?;
        if let Some(n) = c.get_mut(slot(&row.state)) {
            *n += 1;
        }
    }
    Ok(c)
}

fn count_change(
    tx: &WriteTransaction,
    old: Option<&OutboxState>,
    new: &OutboxState,
) -> Result<(), StoreError> {
    if old.is_some_and(|o| slot(o) == slot(new)) {
        return Ok(());
    }
    let mut meta = tx.open_table(key_value::META)?;
    let kept = meta
        .get(OUTBOX_COUNTS)?
        .and_then(|v| decode_counts(v.value()));
    let mut c = match kept {
        Some(c) => c,
        None => count_rows(&tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)?)?,
    };
    if let Some(n) = old.and_then(|o| c.get_mut(slot(o))) {
        *n = n.saturating_sub(1);
    }
    if let Some(n) = c.get_mut(slot(new)) {
        *n += 1;
    }
    let bytes: Vec<u8> = c.iter().flat_map(|n| n.to_be_bytes()).collect();
    meta.insert(OUTBOX_COUNTS, bytes.as_slice())?;
    Ok(())
}

pub(super) fn put_outbox(
    tx: &WriteTransaction,
    key: &str,
    old: Option<&OutboxState>,
    row: &OutboxRow,
) -> Result<(), StoreError> {
    count_change(tx, old, &row.state)?;
    let mut due = tx.open_table(key_value::DUEAT_OUTBOXKEY)?;
    if let Some(at) = old.and_then(|s| due_at(s, row.created)) {
        due.remove(keys::due(at, key).as_str())?;
    }
    if let Some(at) = due_at(&row.state, row.created) {
        due.insert(keys::due(at, key).as_str(), ())?;
    }
    drop(due);
    put(tx, key_value::TENANTREFERENCETARGET_OUTBOXROW, key, row)
}

/// When a row in this state is due, if it ever will be.
pub(super) fn due_at(state: &OutboxState, created: i64) -> Option<i64> {
    match state {
        OutboxState::Pending => Some(created),
        OutboxState::Failing { next_try, .. } => Some(*next_try),
        OutboxState::Delivered { .. } | OutboxState::Failed { .. } => None,
    }
}

impl Store {
    /// The handle through which everything of `tenant` is read and written.
    pub fn tenant(&self, tenant: &TenantId) -> TenantStore<'_> {
        TenantStore {
            store: self,
            tenant: tenant.clone(),
        }
    }

    pub(super) fn read<R: records::Record>(
        &self,
        table: redb::TableDefinition<&str, &[u8]>,
        key: &str,
    ) -> Result<Option<R>, StoreError> {
        let tx = self.db()?.begin_read()?;
        let t = tx.open_table(table)?;
        let v = t.get(key)?;
        v.map(|v| records::decode(v.value())).transpose()
    }

    /// Every record whose key starts with `prefix`, in key order.
    pub(super) fn scan_prefix<R: records::Record>(
        &self,
        table: redb::TableDefinition<&str, &[u8]>,
        prefix: &str,
    ) -> Result<Vec<R>, StoreError> {
        let tx = self.db()?.begin_read()?;
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
}

impl TenantStore<'_> {
    pub fn id(&self) -> &TenantId {
        &self.tenant
    }

    pub(super) fn store(&self) -> &Store {
        self.store
    }

    /// The draft, if it exists and belongs to this tenant.
    pub fn draft(&self, id: &DraftId) -> Result<Option<Draft>, StoreError> {
        self.store
            .read(key_value::TENANTDRAFT_DRAFT, &keys::draft(&self.tenant, id))
    }

    /// Saves a new draft and records it in the session under `slot` (`tenant/form`), and in its account
    /// when `draft.account` names one, in one write.
    pub async fn start_draft(
        &self,
        session: &SessionId,
        slot: String,
        id: DraftId,
        mut draft: Draft,
        now: i64,
    ) -> Result<(), StoreError> {
        draft.tenant = self.tenant.clone();
        draft.rev = 0;
        let key = keys::draft(&self.tenant, &id);
        let sid = session.as_str().to_owned();
        let tenant = self.tenant.clone();
        self.store
            .write(true, move |tx| {
                put(tx, key_value::TENANTDRAFT_DRAFT, &key, &draft)?;
                if let Some(account) = &draft.account {
                    let akey = keys::account(&tenant, account);
                    if let Some(mut a) = get::<crate::auth::records::Account>(
                        tx,
                        key_value::TENANTACCOUNT_ACCOUNT,
                        &akey,
                    )? {
                        a.drafts.insert(draft.form.clone(), id.clone());
                        put(tx, key_value::TENANTACCOUNT_ACCOUNT, &akey, &a)?;
                    }
                }
                let mut s = get::<Session>(tx, key_value::SESSIONID_SESSION, &sid)?
                    .unwrap_or_else(|| Session::new(now));
                s.drafts.insert(slot, id);
                s.updated = now;
                put(tx, key_value::SESSIONID_SESSION, &sid, &s)
            })
            .await
    }

    /// Changes the draft inside the writer's transaction, on the newest stored version, and saves it
    /// with its revision bumped: two requests on one draft (two tabs, an upload beside a step) are
    /// applied one after the other and neither overwrites the other. A sent draft is never changed.
    /// The web pages save every step `durable`: no page says "saved" for answers a full disk or a crash
    /// could still lose.
    pub async fn edit_draft<T: Send + 'static>(
        &self,
        id: &DraftId,
        durable: bool,
        change: impl FnOnce(&mut Draft) -> T + Send + 'static,
    ) -> Result<Edited<T>, StoreError> {
        let key = keys::draft(&self.tenant, id);
        self.store
            .write(durable, move |tx| {
                let Some(mut draft) = get::<Draft>(tx, key_value::TENANTDRAFT_DRAFT, &key)? else {
                    return Ok(Edited::Missing);
                };
                if let Some(reference) = draft.submitted {
                    return Ok(Edited::Sent(reference));
                }
                let out = change(&mut draft);
                draft.rev += 1;
                put(tx, key_value::TENANTDRAFT_DRAFT, &key, &draft)?;
                Ok(Edited::Saved(out, Box::new(draft)))
            })
            .await
    }

    /// Writes the submission, its outbox rows, the next reference, the draft's mark and the session's
    /// receipt right in one durable transaction. Idempotent per draft.
    pub async fn submit(
        &self,
        req: SubmitRequest,
    ) -> Result<Result<Submitted, SubmitRefused>, StoreError> {
        let tenant = self.tenant.clone();
        self.store
            .write(true, move |tx| submit_in(tx, &tenant, req))
            .await
    }

    pub fn submission(&self, reference: &Reference) -> Result<Option<Submission>, StoreError> {
        self.store.read(
            key_value::TENANTREFERENCE_SUBMISSION,
            &keys::submission(&self.tenant, reference),
        )
    }

    /// The tenant's submissions, oldest first.
    pub fn submissions(&self) -> Result<Vec<Submission>, StoreError> {
        self.store.scan_prefix(
            key_value::TENANTREFERENCE_SUBMISSION,
            &keys::tenant_prefix(&self.tenant),
        )
    }

    /// Outbox rows of one submission.
    pub fn outbox_rows(&self, reference: &Reference) -> Result<Vec<OutboxRow>, StoreError> {
        self.store.scan_prefix(
            key_value::TENANTREFERENCETARGET_OUTBOXROW,
            &keys::outbox_prefix(&self.tenant, reference),
        )
    }

    /// What happened to a case after it was received (empty when nothing has).
    pub fn case_history(
        &self,
        reference: &Reference,
    ) -> Result<crate::cases::records::CaseHistory, StoreError> {
        Ok(self
            .store
            .read(
                key_value::TENANTREFERENCE_CASEHISTORY,
                &keys::submission(&self.tenant, reference),
            )?
            .unwrap_or_default())
    }

    /// Records a change of a case and, when `notify` names an address, a notice to it in the outbox, in
    /// one durable write. `None` when there is no such submission.
    pub async fn change_case(
        &self,
        reference: &Reference,
        event: crate::cases::records::CaseEvent,
        notify: Option<String>,
    ) -> Result<Option<crate::cases::records::CaseHistory>, StoreError> {
        let key = keys::submission(&self.tenant, reference);
        let prefix = keys::outbox_prefix(&self.tenant, reference);
        let (tenant, reference) = (self.tenant.clone(), reference.clone());
        self.store
            .write(true, move |tx| {
                if get::<Submission>(tx, key_value::TENANTREFERENCE_SUBMISSION, &key)?.is_none() {
                    return Ok(None);
                }
                let mut h: crate::cases::records::CaseHistory =
                    get(tx, key_value::TENANTREFERENCE_CASEHISTORY, &key)?.unwrap_or_default();
                let now = event.at;
                h.events.push(event);
                put(tx, key_value::TENANTREFERENCE_CASEHISTORY, &key, &h)?;
                if let Some(to) = notify {
                    let n = {
                        let t = tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)?;
                        let mut n = 0u32;
                        for e in t.range(prefix.as_str()..)? {
                            let (k, v) = e?;
                            if !k.value().starts_with(&prefix) {
                                break;
                            }
                            let row: OutboxRow = super::records::decode(v.value())?;
                            n += u32::from(matches!(row.target, Target::Notice(_)));
                        }
                        n
                    };
                    let target = Target::Notice(n.saturating_add(1));
                    let okey = keys::outbox(&tenant, &reference, &target);
                    let row = OutboxRow {
                        tenant: tenant.clone(),
                        reference: reference.clone(),
                        target,
                        state: OutboxState::Pending,
                        created: now,
                        to: Some(to),
                    };
                    put_outbox(tx, &okey, None, &row)?;
                }
                Ok(Some(h))
            })
            .await
    }

    /// Marks a case's history seen by the citizen (Mine saker's unread count).
    pub async fn mark_case_seen(&self, reference: &Reference) -> Result<(), StoreError> {
        let key = keys::submission(&self.tenant, reference);
        self.store
            .write(false, move |tx| {
                let Some(mut h) = get::<crate::cases::records::CaseHistory>(
                    tx,
                    key_value::TENANTREFERENCE_CASEHISTORY,
                    &key,
                )?
                else {
                    return Ok(());
                };
                if h.seen != h.events.len() {
                    h.seen = h.events.len();
                    put(tx, key_value::TENANTREFERENCE_CASEHISTORY, &key, &h)?;
                }
                Ok(())
            })
            .await
    }

    /// Adds a receipt mail to the outbox: a confirmation of the address ([`Target::ReceiptConfirm`]) or,
    /// once it is confirmed, the copy ([`Target::ReceiptCopy`]). At most `max` of that kind per
    /// submission, and none if one was added less than `gap` seconds ago.
    pub async fn add_receipt_mail(
        &self,
        reference: &Reference,
        mail: ReceiptMail,
        to: String,
        now: i64,
        (max, gap): (usize, i64),
    ) -> Result<ReceiptMailAdded, StoreError> {
        let prefix = keys::receipt_copy_prefix(&self.tenant, reference);
        let sub_key = keys::submission(&self.tenant, reference);
        let (tenant, reference) = (self.tenant.clone(), reference.clone());
        self.store
            .write(true, move |tx| {
                if get::<Submission>(tx, key_value::TENANTREFERENCE_SUBMISSION, &sub_key)?.is_none()
                {
                    return Ok(ReceiptMailAdded::NoSubmission);
                }
                let (n, newest) = {
                    let t = tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)?;
                    let (mut n, mut newest) = (0usize, i64::MIN);
                    for e in t.range(prefix.as_str()..)? {
                        let (k, v) = e?;
                        if !k.value().starts_with(&prefix) {
                            break;
                        }
                        let row: OutboxRow = super::records::decode(v.value())?;
                        let same = match mail {
                            ReceiptMail::Confirm => matches!(row.target, Target::ReceiptConfirm(_)),
                            ReceiptMail::Copy => matches!(row.target, Target::ReceiptCopy(_)),
                        };
                        if same {
                            n += 1;
                            newest = newest.max(row.created);
                        }
                    }
                    (n, newest)
                };
                if n >= max {
                    return Ok(ReceiptMailAdded::TooMany);
                }
                if now.saturating_sub(newest) < gap {
                    return Ok(ReceiptMailAdded::TooSoon);
                }
                let k = u32::try_from(n + 1).unwrap_or(u32::MAX);
                let target = match mail {
                    ReceiptMail::Confirm => Target::ReceiptConfirm(k),
                    ReceiptMail::Copy => Target::ReceiptCopy(k),
                };
                let key = keys::outbox(&tenant, &reference, &target);
                let row = OutboxRow {
                    tenant,
                    reference,
                    target,
                    state: OutboxState::Pending,
                    created: now,
                    to: Some(to),
                };
                put_outbox(tx, &key, None, &row)?;
                Ok(ReceiptMailAdded::Added)
            })
            .await
    }

    /// Makes every undelivered row of a submission pending again ("deliver again"); returns how many.
    pub async fn retry_deliveries(&self, reference: &Reference) -> Result<usize, StoreError> {
        let prefix = keys::outbox_prefix(&self.tenant, reference);
        self.store
            .write(true, move |tx| {
                let mut rows = vec![];
                {
                    let t = tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)?;
                    for row in t.range(prefix.as_str()..)? {
                        let (k, v) = row?;
                        if !k.value().starts_with(&prefix) {
                            break;
                        }
                        let r: OutboxRow = records::decode(v.value())?;
                        if !matches!(r.state, OutboxState::Delivered { .. }) {
                            rows.push((k.value().to_owned(), r));
                        }
                    }
                }
                let n = rows.len();
                for (k, mut r) in rows {
                    let old = r.state.clone();
                    r.state = OutboxState::Pending;
                    put_outbox(tx, &k, Some(&old), &r)?;
                }
                Ok(n)
            })
            .await
    }

    /// The tenant's lists of values.
    pub fn value_lists(&self) -> Result<BTreeMap<String, ValueList>, StoreError> {
        let lists: Vec<ValueList> = self.store.scan_prefix(
            key_value::TENANTLIST_VALUELIST,
            &keys::tenant_prefix(&self.tenant),
        )?;
        Ok(lists.into_iter().map(|l| (l.id.clone(), l)).collect())
    }

    /// Stores the given lists where the tenant has none of that id yet (seeding from the library). Writes
    /// nothing (and waits for no fsync) when the tenant has them all, as on every start but the first.
    pub async fn seed_value_lists(&self, lists: Vec<ValueList>) -> Result<usize, StoreError> {
        let have = self.value_lists()?;
        let lists: Vec<ValueList> = lists
            .into_iter()
            .filter(|l| !have.contains_key(&l.id))
            .collect();
        if lists.is_empty() {
            return Ok(0);
        }
        let tenant = self.tenant.clone();
        self.store
            .write(true, move |tx| {
                let mut n = 0;
                for l in lists {
                    let key = keys::value_list(&tenant, &l.id);
                    if get::<ValueList>(tx, key_value::TENANTLIST_VALUELIST, &key)?.is_none() {
                        put(tx, key_value::TENANTLIST_VALUELIST, &key, &l)?;
                        n += 1;
                    }
                }
                Ok(n)
            })
            .await
    }

    /// Keeps a form version that a draft was started on (once per content hash; durable, since the draft
    /// and later its submission depend on it).
    pub async fn pin_form(
        &self,
        form: &FormId,
        hash: &str,
        pinned: PinnedForm,
    ) -> Result<(), StoreError> {
        let key = keys::form_version(&self.tenant, form, hash);
        if self
            .store
            .read::<PinnedForm>(key_value::TENANTFORMHASH_FORMVERSION, &key)?
            .is_some()
        {
            return Ok(());
        }
        self.store
            .write(true, move |tx| {
                if get::<PinnedForm>(tx, key_value::TENANTFORMHASH_FORMVERSION, &key)?.is_none() {
                    put(tx, key_value::TENANTFORMHASH_FORMVERSION, &key, &pinned)?;
                }
                Ok(())
            })
            .await
    }

    /// A kept form version, by content hash.
    pub fn pinned_form(&self, form: &FormId, hash: &str) -> Result<Option<PinnedForm>, StoreError> {
        self.store.read(
            key_value::TENANTFORMHASH_FORMVERSION,
            &keys::form_version(&self.tenant, form, hash),
        )
    }
}

fn submit_in(
    tx: &WriteTransaction,
    tenant: &TenantId,
    req: SubmitRequest,
) -> Result<Result<Submitted, SubmitRefused>, StoreError> {
    let draft_key = keys::draft(tenant, &req.draft);
    let Some(mut draft) = get::<Draft>(tx, key_value::TENANTDRAFT_DRAFT, &draft_key)? else {
        return Ok(Err(SubmitRefused::NoDraft));
    };
    let (reference, new) = match &draft.submitted {
        // Already sent (double click, back-and-resubmit): the same reference.
        Some(reference) => (reference.clone(), false),
        None => {
            if draft.rev != req.rev {
                // Changed since the caller validated it (an upload or a save in another tab).
                return Ok(Err(SubmitRefused::Changed));
            }
            let n = {
                let mut counters = tx.open_table(key_value::TENANT_REFERENCECOUNTER)?;
                let next = counters.get(tenant.as_str())?.map_or(0, |v| v.value()) + 1;
                counters.insert(tenant.as_str(), next)?;
                next
            };
            let reference = Reference::new(req.year, n);
            let sub = Submission {
                tenant: tenant.clone(),
                reference: reference.clone(),
                form: draft.form.clone(),
                form_version: draft.form_version,
                form_hash: draft.form_hash.clone(),
                lang: draft.lang,
                answers: req.answers,
                draft_started: draft.created,
                submitted: req.now,
                files: req.files,
                account: draft.account.clone(),
            };
            if let Some(account) = &draft.account {
                // The account lists what it sent; the draft leaves its list of drafts.
                let akey = keys::account(tenant, account);
                if let Some(mut a) = get::<crate::auth::records::Account>(
                    tx,
                    key_value::TENANTACCOUNT_ACCOUNT,
                    &akey,
                )? {
                    if a.drafts.get(&draft.form) == Some(&req.draft) {
                        a.drafts.remove(&draft.form);
                    }
                    a.submissions.push(reference.clone());
                    put(tx, key_value::TENANTACCOUNT_ACCOUNT, &akey, &a)?;
                }
            }
            put(
                tx,
                key_value::TENANTREFERENCE_SUBMISSION,
                &keys::submission(tenant, &reference),
                &sub,
            )?;
            {
                // The files now belong to the submission: the orphan sweep keeps them for good.
                let mut owners = tx.open_table(key_value::TENANTFILE_REFERENCE)?;
                for f in &sub.files {
                    owners.insert(keys::file_owner(tenant, &f.id).as_str(), reference.as_str())?;
                }
            }
            for target in req.targets {
                let key = keys::outbox(tenant, &reference, &target);
                let row = OutboxRow {
                    tenant: tenant.clone(),
                    reference: reference.clone(),
                    target,
                    state: OutboxState::Pending,
                    created: req.now,
                    to: None,
                };
                put_outbox(tx, &key, None, &row)?;
            }
            draft.submitted = Some(reference.clone());
            draft.updated = req.now;
            draft.rev += 1;
            put(tx, key_value::TENANTDRAFT_DRAFT, &draft_key, &draft)?;
            (reference, true)
        }
    };
    // The right to see the receipt is granted in the same transaction, never in a later session write.
    let sid = req.session.as_str();
    let mut s = get::<Session>(tx, key_value::SESSIONID_SESSION, sid)?
        .unwrap_or_else(|| Session::new(req.now));
    let receipt = keys::submission(tenant, &reference);
    if new {
        s.rotate = true;
    }
    if !s.receipts.contains(&receipt) || new {
        if !s.receipts.contains(&receipt) {
            s.receipts.push(receipt);
        }
        // A browser keeps the right to its most recent receipts; the session stays small however many
        // forms are sent from it.
        if s.receipts.len() > super::sessions::MAX_RECEIPTS {
            let extra = s.receipts.len() - super::sessions::MAX_RECEIPTS;
            s.receipts.drain(..extra);
        }
        s.updated = req.now;
        put(tx, key_value::SESSIONID_SESSION, sid, &s)?;
    }
    Ok(Ok(Submitted { reference, new }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn draft(tenant: &TenantId) -> Draft {
        Draft {
            tenant: tenant.clone(),
            form: FormId::parse("kontaktskjema").unwrap(),
            form_version: 1,
            form_hash: "h".into(),
            lang: Lang::Nb,
            answers: Answers::default(),
            created: 1,
            updated: 1,
            expires: i64::MAX,
            submitted: None,
            files: BTreeMap::new(),
            rev: 0,
            progressed: false,
            account: None,
        }
    }

    /// A submission of draft `id` as validated at revision `rev`, by session `sid`, to the archive.
    fn request(id: &DraftId, sid: &SessionId, rev: u64) -> SubmitRequest {
        SubmitRequest {
            draft: id.clone(),
            rev,
            answers: Answers::default(),
            files: vec![],
            targets: vec![Target::Archive],
            session: sid.clone(),
            now: 2,
            year: 2026,
        }
    }

    /// The outbox's counts by state are kept with the rows: a submission adds pending rows, a delivery
    /// moves one to delivered and another to failed, and the kept counts always equal a count of every
    /// row; a store without kept counts (from before them) is counted once, in its first change.
    #[test]
    fn outbox_counts_are_kept_with_the_rows() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let a = TenantId::parse("a").unwrap();
        let ta = store.tenant(&a);
        let sid = SessionId::generate().unwrap();
        let counted = |store: &Store| {
            let tx = store.db().unwrap().begin_read().unwrap();
            count_rows(
                &tx.open_table(key_value::TENANTREFERENCETARGET_OUTBOXROW)
                    .unwrap(),
            )
            .unwrap()
        };
        let kept = |store: &Store| {
            let c = store.system().outbox_counts().unwrap();
            [c.pending, c.failing, c.failed, c.delivered]
        };
        rt.block_on(async {
            let mut refs = vec![];
            for _ in 0..3 {
                let id = DraftId::generate().unwrap();
                ta.start_draft(&sid, format!("a/{id}"), id.clone(), draft(&a), 1)
                    .await
                    .unwrap();
                let mut req = request(&id, &sid, 0);
                req.targets = vec![Target::Archive, Target::parse("postmottak").unwrap()];
                refs.push(ta.submit(req).await.unwrap().unwrap().reference);
            }
            assert_eq!(kept(&store), [6, 0, 0, 0]);
            assert_eq!(kept(&store), counted(&store));
            let rows = ta.outbox_rows(&refs[0]).unwrap();
            store
                .system()
                .set_delivery_states(vec![
                    (
                        rows[0].clone(),
                        OutboxState::Delivered {
                            at: 5,
                            proof: "p".into(),
                        },
                    ),
                    (
                        rows[1].clone(),
                        OutboxState::Failed {
                            attempts: 1,
                            last_error: "nei".into(),
                        },
                    ),
                ])
                .await
                .unwrap();
            assert_eq!(kept(&store), [4, 0, 1, 1]);
            assert_eq!(kept(&store), counted(&store));
            // A store from before the kept counts: the first change counts every row.
            let removed = store
                .write(true, |tx| {
                    let mut meta = tx.open_table(key_value::META)?;
                    Ok(meta.remove(OUTBOX_COUNTS)?.is_some())
                })
                .await
                .unwrap();
            assert!(removed);
            assert_eq!(kept(&store), [4, 0, 1, 1], "counted row by row meanwhile");
            let rows = ta.outbox_rows(&refs[1]).unwrap();
            store
                .system()
                .set_delivery_states(vec![(
                    rows[0].clone(),
                    OutboxState::Delivered {
                        at: 6,
                        proof: "p".into(),
                    },
                )])
                .await
                .unwrap();
            assert_eq!(kept(&store), [3, 0, 1, 2]);
            assert_eq!(kept(&store), counted(&store));
        });
    }

    /// Everything tenant A writes is invisible and unchangeable through tenant B's handle, even with A's
    /// ids in hand.
    #[test]
    fn nothing_of_one_tenant_is_reachable_through_another() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (a, b) = (TenantId::parse("a").unwrap(), TenantId::parse("b").unwrap());
        let (ta, tb) = (store.tenant(&a), store.tenant(&b));
        let sid = SessionId::generate().unwrap();
        let id = DraftId::generate().unwrap();
        let form = FormId::parse("kontaktskjema").unwrap();
        rt.block_on(async {
            ta.start_draft(&sid, "a/kontaktskjema".into(), id.clone(), draft(&a), 1)
                .await
                .unwrap();
            ta.pin_form(
                &form,
                "h",
                PinnedForm {
                    version: 1,
                    source: "x".into(),
                },
            )
            .await
            .unwrap();
            let list = ValueList {
                id: "skoler".into(),
                title: crate::i18n::Texts {
                    nb: "Skoler".into(),
                    nn: "Skular".into(),
                    en: "Schools".into(),
                },
                items: vec![],
            };
            ta.seed_value_lists(vec![list]).await.unwrap();
            // B cannot change or submit A's draft, even with its id.
            assert_eq!(
                tb.edit_draft(&id, true, |d| d.lang = Lang::En)
                    .await
                    .unwrap(),
                Edited::Missing
            );
            let req = |rev| request(&id, &sid, rev);
            assert_eq!(
                tb.submit(req(0)).await.unwrap(),
                Err(SubmitRefused::NoDraft)
            );
            let sent = ta.submit(req(0)).await.unwrap().unwrap();
            assert!(sent.new);
            let again = ta.submit(req(0)).await.unwrap().unwrap();
            assert_eq!(again.reference, sent.reference);
            assert!(!again.new, "a second submit is not new");
            assert_eq!(
                tb.add_receipt_mail(
                    &sent.reference,
                    ReceiptMail::Copy,
                    "x@example.org".into(),
                    3,
                    (5, 0)
                )
                .await
                .unwrap(),
                ReceiptMailAdded::NoSubmission
            );
            assert_eq!(tb.retry_deliveries(&sent.reference).await.unwrap(), 0);
            assert!(ta.draft(&id).unwrap().is_some());
            assert!(tb.draft(&id).unwrap().is_none());
            assert!(ta.submission(&sent.reference).unwrap().is_some());
            assert!(tb.submission(&sent.reference).unwrap().is_none());
            assert_eq!(ta.submissions().unwrap().len(), 1);
            assert!(tb.submissions().unwrap().is_empty());
            assert_eq!(ta.outbox_rows(&sent.reference).unwrap().len(), 1);
            assert!(tb.outbox_rows(&sent.reference).unwrap().is_empty());
            assert_eq!(ta.value_lists().unwrap().len(), 1);
            assert!(tb.value_lists().unwrap().is_empty());
            assert!(ta.pinned_form(&form, "h").unwrap().is_some());
            assert!(tb.pinned_form(&form, "h").unwrap().is_none());
        });
    }

    /// Edits apply one after the other on the newest draft; a sent draft is not changed again.
    #[test]
    fn edits_apply_in_turn_and_never_reopen_a_sent_draft() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let a = TenantId::parse("a").unwrap();
        let t = store.tenant(&a);
        let sid = SessionId::generate().unwrap();
        let id = DraftId::generate().unwrap();
        rt.block_on(async {
            t.start_draft(&sid, "a/f".into(), id.clone(), draft(&a), 1)
                .await
                .unwrap();
            let set = |name: &'static str| {
                t.edit_draft(&id, false, move |d| {
                    d.answers
                        .set(name.into(), crate::forms::answers::Answer::One("x".into()))
                })
            };
            let (one, two) = tokio::join!(set("en"), set("to"));
            assert!(matches!(one.unwrap(), Edited::Saved(..)));
            assert!(matches!(two.unwrap(), Edited::Saved(..)));
            let d = t.draft(&id).unwrap().unwrap();
            assert_eq!(
                (d.answers.text("en"), d.answers.text("to"), d.rev),
                ("x", "x", 2)
            );
            let req = request(&id, &sid, 1);
            assert_eq!(
                t.submit(req).await.unwrap(),
                Err(SubmitRefused::Changed),
                "validated at revision 1, but it is at 2"
            );
            let req = request(&id, &sid, 2);
            let sent = t.submit(req).await.unwrap().unwrap();
            assert_eq!(
                set("tre").await.unwrap(),
                Edited::Sent(sent.reference),
                "a sent draft is not saved again"
            );
        });
    }
}
