//! Server-side sessions. A session is written only when it carries state (a language choice now; drafts
//! and logins later); a plain page view never writes.

use redb::{ReadableDatabase, ReadableTable};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, key_value, records};
use crate::i18n::Lang;
use crate::ids::SessionId;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Session {
    /// Unix seconds.
    pub created: i64,
    pub updated: i64,
    pub lang: Option<Lang>,
    /// `tenant/form` → draft id: the drafts this session is filling in.
    #[serde(default)]
    pub drafts: std::collections::BTreeMap<String, crate::ids::DraftId>,
    /// `tenant/reference` of submissions made in this session (whose receipts it may see).
    #[serde(default)]
    pub receipts: Vec<String>,
    /// A form was sent from this session: its id is replaced when the citizen next sees the receipt, so
    /// an id someone else learned or planted before the submission sees nothing of it.
    #[serde(default)]
    pub rotate: bool,
    /// Set on the id a session moved away from (unix seconds): for [`MOVED_GRACE_SECS`] the old id still
    /// shows the receipts it had (a second tab's receipt arriving with the old cookie), and nothing else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_at: Option<i64>,
    /// The citizen logged in on this session (checked against the account and the timeouts each time
    /// it is used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<crate::auth::records::Login>,
    /// A login through an OpenID provider under way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc: Option<crate::auth::records::OidcPending>,
}

/// How long an id a session moved away from still shows its receipts.
pub const MOVED_GRACE_SECS: i64 = 120;

/// Receipts one session may see: the most recent ones.
pub const MAX_RECEIPTS: usize = 50;

impl Session {
    pub fn new(now: i64) -> Session {
        Session {
            created: now,
            updated: now,
            lang: None,
            drafts: Default::default(),
            receipts: vec![],
            rotate: false,
            moved_at: None,
            login: None,
            oidc: None,
        }
    }
}

impl records::Record for Session {
    const KIND: &'static str = "session";
    const VERSION: u8 = 1;
}

impl Store {
    pub fn session(&self, id: &SessionId) -> Result<Option<Session>, StoreError> {
        let tx = self.db()?.begin_read()?;
        let table = tx.open_table(key_value::SESSIONID_SESSION)?;
        match table.get(id.as_str())? {
            Some(v) => Ok(Some(records::decode(v.value())?)),
            None => Ok(None),
        }
    }

    /// Changes a session inside the writer's transaction (read, change, write as one step, so two
    /// requests of one session never overwrite each other's change); creates it when missing.
    /// `durable` when the change must survive a crash at once.
    pub async fn update_session(
        &self,
        id: &SessionId,
        now: i64,
        durable: bool,
        change: impl FnOnce(&mut Session) + Send + 'static,
    ) -> Result<(), StoreError> {
        let id = id.as_str().to_owned();
        self.write(durable, move |tx| {
            let mut s = super::tenant::get::<Session>(tx, key_value::SESSIONID_SESSION, &id)?
                .unwrap_or_else(|| Session::new(now));
            change(&mut s);
            s.updated = now;
            let bytes = records::encode(&s)?;
            tx.open_table(key_value::SESSIONID_SESSION)?
                .insert(id.as_str(), bytes.as_slice())?;
            Ok(())
        })
        .await
    }

    /// Moves a session to a new id if it asks for it ([`Session::rotate`]), in one write: the old id
    /// keeps only its receipts, for a short grace ([`Session::moved_at`]). `force` moves it whatever it asks (login and logout). Returns whether it
    /// moved; durable, as the browser is handed the new id at once.
    pub async fn rotate_session(
        &self,
        from: &SessionId,
        to: &SessionId,
        force: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let (from, to) = (from.as_str().to_owned(), to.as_str().to_owned());
        self.write(true, move |tx| {
            let Some(mut s) =
                super::tenant::get::<Session>(tx, key_value::SESSIONID_SESSION, &from)?
            else {
                return Ok(false);
            };
            if !(s.rotate || force) {
                return Ok(false);
            }
            s.rotate = false;
            s.moved_at = None;
            s.updated = now;
            let left = Session {
                receipts: s.receipts.clone(),
                moved_at: Some(now),
                ..Session::new(now)
            };
            let (moved, left) = (records::encode(&s)?, records::encode(&left)?);
            let mut table = tx.open_table(key_value::SESSIONID_SESSION)?;
            table.insert(from.as_str(), left.as_slice())?;
            table.insert(to.as_str(), moved.as_slice())?;
            Ok(true)
        })
        .await
    }

    /// Every stored session (operator tools and tests).
    pub fn sessions(&self) -> Result<Vec<Session>, StoreError> {
        let tx = self.db()?.begin_read()?;
        let table = tx.open_table(key_value::SESSIONID_SESSION)?;
        let mut out = vec![];
        for row in table.iter()? {
            let (_, v) = row?;
            out.push(records::decode(v.value())?);
        }
        Ok(out)
    }
}

impl super::SystemStore<'_> {
    /// Removes sessions not updated since `before` (unix seconds); returns how many.
    pub async fn expire_sessions(&self, before: i64) -> Result<usize, StoreError> {
        self.store
            .write(true, move |tx| {
                let mut n = 0;
                tx.open_table(key_value::SESSIONID_SESSION)?
                    .retain(|_, v| {
                        let keep = records::decode::<Session>(v).is_ok_and(|s| s.updated >= before);
                        n += usize::from(!keep);
                        keep
                    })?;
                Ok(n)
            })
            .await
    }
}
