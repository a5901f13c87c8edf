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
    /// What the citizen has told us about herself, for prefilling forms (she sees and can change every
    /// prefilled answer).
    #[serde(default)]
    pub profile: Profile,
}

/// The citizen's own details, edited on the account page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Profile {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub postnummer: String,
}

impl Account {
    /// The answers a new draft of `def` starts with: each top-level field marked for prefill whose
    /// source this account has (the profile, the address, a provider's identity number).
    pub fn prefill(&self, def: &crate::forms::FormDef) -> crate::forms::answers::Answers {
        use crate::forms::answers::Answer;
        use crate::forms::definition::Prefill;
        let mut a = crate::forms::answers::Answers::default();
        let mut put = |name: String, v: &str| {
            if !v.is_empty() {
                a.set(name, Answer::One(v.to_owned()));
            }
        };
        for step in &def.steps {
            for f in &step.fields {
                match f.prefill {
                    Some(Prefill::Name) => put(f.id.clone(), &self.profile.name),
                    Some(Prefill::Phone) => put(f.id.clone(), &self.profile.phone),
                    Some(Prefill::Email) => put(f.id.clone(), &self.email),
                    Some(Prefill::Fnr) => put(f.id.clone(), self.pid.as_deref().unwrap_or("")),
                    Some(Prefill::Address) if !self.profile.street.is_empty() => {
                        put(format!("{}.gate", f.id), &self.profile.street);
                        put(format!("{}.postnummer", f.id), &self.profile.postnummer);
                        let place =
                            crate::forms::validate::postnummer::poststed(&self.profile.postnummer)
                                .map(crate::forms::validate::postnummer::poststed_display)
                                .unwrap_or_default();
                        put(format!("{}.poststed", f.id), &place);
                    }
                    _ => {}
                }
            }
        }
        a
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefill_fills_the_citizens_own_fields_and_never_a_groups_rows() {
        let text = r#"
id = "p"
version = 1
topic = "kontakt"
login = "optional"
title = { nb = "T", nn = "T", en = "T" }
intro = { nb = "I", nn = "I", en = "I" }
[[step]]
id = "a"
title = { nb = "A", nn = "A", en = "A" }
  [[step.field]]
  id = "navn"
  kind = "text"
  autocomplete = "name"
  label = { nb = "N", nn = "N", en = "N" }
  [[step.field]]
  id = "fnr"
  kind = "fodselsnummer"
  prefill = "person.fnr"
  label = { nb = "F", nn = "F", en = "F" }
  [[step.field]]
  id = "tlf"
  kind = "phone"
  label = { nb = "T", nn = "T", en = "T" }
  [[step.field]]
  id = "barn"
  kind = "group"
  min = 0
  max = 2
  label = { nb = "B", nn = "B", en = "B" }
    [[step.field.fields]]
    id = "barn_navn"
    kind = "text"
    autocomplete = "name"
    label = { nb = "BN", nn = "BN", en = "BN" }
"#;
        let def = crate::forms::registry::parse_form("p.toml", text, Some("p")).unwrap();
        let account: Account = serde_json::from_value(serde_json::json!({
            "id": crate::ids::AccountId::generate().unwrap(), "tenant": "t", "email": "a@b.no",
            "password": "", "created": 0, "verified": 0, "last_login": null, "previous_login": null,
            "lang": "nb", "pid": "10915596784",
            "profile": { "name": "Kari", "phone": "+4791234567" }
        }))
        .unwrap();
        let a = account.prefill(&def);
        let keys: Vec<&String> = a.values.keys().collect();
        assert_eq!(
            keys,
            ["fnr", "navn"],
            "no autocomplete token on tlf; no group row"
        );
    }
}
