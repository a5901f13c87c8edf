//! The records of a case, as the store keeps them and every layer reads them: a draft being filled in, a
//! submission as sent, and one outbox row per (submission, delivery target). Plain data: no IO here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::attachments::StoredFile;
use crate::forms::answers::Answers;
use crate::i18n::Lang;
use crate::ids::{FileId, FormId, Reference, Target, TenantId};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Draft {
    pub tenant: TenantId,
    pub form: FormId,
    pub form_version: u32,
    pub form_hash: String,
    pub lang: Lang,
    pub answers: Answers,
    /// Unix seconds.
    pub created: i64,
    pub updated: i64,
    pub expires: i64,
    /// Set in the submission's transaction: the reference it became.
    pub submitted: Option<Reference>,
    /// Uploaded files by id; the attachment field's answer lists the ids it holds.
    #[serde(default)]
    pub files: BTreeMap<FileId, StoredFile>,
    /// Bumped by every save: a save based on an older revision is refused and applied again (two tabs
    /// never overwrite each other's answers).
    #[serde(default)]
    pub rev: u64,
    /// The account the draft is kept for (resumed from any device); `None` for a draft of this browser
    /// only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<crate::ids::AccountId>,
    /// The citizen has gone past the first step: the draft is kept for the full lifetime from its last
    /// change, not the short one of a draft begun and left.
    #[serde(default)]
    pub progressed: bool,
}

/// A case's status as the citizen sees it on Mine saker. Every submission starts as `Received`; the
/// caseworker inbox (the staff issue) moves it on.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Received,
    InProgress,
    Decided,
}

impl Status {
    /// The name in form files and the configuration (`status_names`).
    pub fn code(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::InProgress => "in_progress",
            Status::Decided => "decided",
        }
    }

    /// The catalogue key of its name.
    pub fn key(self) -> &'static str {
        match self {
            Status::Received => "status-received",
            Status::InProgress => "status-in-progress",
            Status::Decided => "status-decided",
        }
    }
}

/// One change of a case as the citizen sees it: a new status, a message to her, or both.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CaseEvent {
    /// Unix seconds.
    pub at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// What happened to a submitted case after it was received, and how much of it the citizen has seen on
/// Mine saker.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CaseHistory {
    pub events: Vec<CaseEvent>,
    /// How many of `events` the citizen has seen.
    #[serde(default)]
    pub seen: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Submission {
    pub tenant: TenantId,
    pub reference: Reference,
    pub form: FormId,
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
    /// The account that sent it, if the citizen was logged in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<crate::ids::AccountId>,
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
    pub tenant: TenantId,
    pub reference: Reference,
    pub target: Target,
    pub state: OutboxState,
    pub created: i64,
    /// For a copy of the receipt: the address the citizen gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// Why a submission was not written (nothing was changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitRefused {
    /// No such draft for this tenant (expired, or another tenant's id).
    NoDraft,
    /// The draft changed after the caller validated it (an upload or a save from another tab).
    Changed,
}

/// What the submitter needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub reference: Reference,
    /// False when the draft had been submitted before (double click, back-and-resubmit).
    pub new: bool,
}

impl Submission {
    /// When it was sent (the epoch for a time out of range, which the store never writes).
    pub fn submitted_at(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::from_unix_timestamp(self.submitted)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
    }

    /// One of the submission's files as the summary shows it, by id.
    pub fn file_shown(&self, id: &str) -> Option<crate::forms::summary::FileShown> {
        self.files
            .iter()
            .find(|f| f.id.as_str() == id)
            .map(|f| crate::forms::summary::FileShown {
                name: f.name.clone(),
                size: f.size,
            })
    }
}
