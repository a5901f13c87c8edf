//! The records of citizens' accounts as the store keeps them: plain data, no IO.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::forms::LoginLevel;
use crate::i18n::Lang;
use crate::ids::{AccountId, DraftId, FormId, Reference, TenantId};

/// A password account of one tenant (password accounts are per municipality).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Account {
    pub id: AccountId,
    pub tenant: TenantId,
    /// The address as verified, lower-cased (the key of the e-mail index).
    pub email: String,
    /// argon2id, PHC string (see [`super::password`]).
    pub password: String,
    /// Unix seconds.
    pub created: i64,
    /// When the address was verified; an unverified account cannot log in.
    pub verified: Option<i64>,
    /// This login and the one before it ("last logged in" on Mine saker).
    pub last_login: Option<i64>,
    pub previous_login: Option<i64>,
    /// Bumped by a password change or reset: a login made under another generation has ended (logged
    /// out everywhere).
    #[serde(default)]
    pub login_generation: u64,
    pub lang: Lang,
    /// The account's draft of each form, resumed from any device.
    #[serde(default)]
    pub drafts: BTreeMap<FormId, DraftId>,
    /// Submissions sent while logged in, oldest first.
    #[serde(default)]
    pub submissions: Vec<Reference>,
    /// The verified national identity number from an OpenID provider (ID-porten's `pid`); an account
    /// made by a provider login has no e-mail address or password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<String>,
}

impl Account {
    /// Whether the citizen logs in with a password (else only through a provider).
    pub fn has_password(&self) -> bool {
        !self.password.is_empty()
    }
}

/// A login through a provider under way: what the session keeps until the provider sends the citizen
/// back (single-use; ten minutes).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OidcPending {
    pub provider: String,
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    pub level: LoginLevel,
    /// A same-site path to return to.
    pub back: Option<String>,
    /// What a refused POST carried (its action and url-encoded fields), sent again after the login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resend: Option<(String, String)>,
    pub created: i64,
}

/// The e-mail index's value: which account has the address.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EmailOwner {
    pub account: AccountId,
}

/// What a single-use link in a mail does.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TokenKind {
    /// Verifies the address an account registered with.
    Verify,
    /// Lets the holder set a new password.
    Reset,
    /// Moves the account to a new address once that address is confirmed.
    NewEmail { email: String },
}

/// A single-use link's record, kept under the SHA-256 of the token (the token itself is only in the
/// mail): deleted when used, refused after `expires`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccountToken {
    pub tenant: TenantId,
    pub account: AccountId,
    #[serde(flatten)]
    pub kind: TokenKind,
    pub created: i64,
    pub expires: i64,
}

/// A session's login.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Login {
    pub tenant: TenantId,
    pub account: AccountId,
    pub level: LoginLevel,
    /// The provider that logged the citizen in, and its ID token (for the provider's logout); `None`
    /// for a password login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// The account's [`Account::login_generation`] when the login was made.
    #[serde(default)]
    pub generation: u64,
    /// Unix seconds: when the citizen logged in, and when the session was last used while logged in
    /// (updated at most once a minute; the idle timeout counts from it).
    pub at: i64,
    pub seen: i64,
}
