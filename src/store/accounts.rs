//! Citizens' accounts in one tenant: the account records, the e-mail index, the single-use links, and the
//! session changes of logging in and out. Every write that a citizen is told about (an account made, a
//! password changed, a login) is durable.

use redb::WriteTransaction;

use super::sessions::Session;
use super::tenant::{TenantStore, get, put};
use super::{StoreError, key_value, keys, records};
use crate::auth::records::{Account, AccountToken, EmailOwner, Login, TokenKind};
use crate::cases::records::Draft;
use crate::i18n::Lang;
use crate::ids::{AccountId, DraftId, FormId, SessionId};

impl records::Record for Account {
    const KIND: &'static str = "account";
    const VERSION: u8 = 1;
}

impl records::Record for EmailOwner {
    const KIND: &'static str = "e-mail owner";
    const VERSION: u8 = 1;
}

impl records::Record for AccountToken {
    const KIND: &'static str = "account token";
    const VERSION: u8 = 1;
}

/// What [`TenantStore::register`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Registered {
    /// A new account, or an unverified one given the new password: verify it with the token stored.
    New(Box<Account>),
    /// A verified account has the address: nothing changed, no token stored.
    Taken(Box<Account>),
}

/// What [`TenantStore::attach_draft`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attached {
    Done,
    /// The account has a draft of that form already.
    HasOne,
    /// No such draft in the session.
    Missing,
}

/// Writes an account under its tenant's key.
fn put_account(tx: &WriteTransaction, a: &Account) -> Result<(), StoreError> {
    put(
        tx,
        key_value::TENANTACCOUNT_ACCOUNT,
        &keys::account(&a.tenant, &a.id),
        a,
    )
}

fn account_in(
    tx: &WriteTransaction,
    tenant: &crate::ids::TenantId,
    id: &AccountId,
) -> Result<Option<Account>, StoreError> {
    get::<Account>(
        tx,
        key_value::TENANTACCOUNT_ACCOUNT,
        &keys::account(tenant, id),
    )
}

impl TenantStore<'_> {
    pub fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError> {
        self.store().read(
            key_value::TENANTACCOUNT_ACCOUNT,
            &keys::account(self.id(), id),
        )
    }

    /// The account that has `address` (any case).
    pub fn account_by_email(&self, address: &str) -> Result<Option<Account>, StoreError> {
        let Some(owner) = self.store().read::<EmailOwner>(
            key_value::TENANTEMAIL_EMAILOWNER,
            &keys::email(self.id(), address),
        )?
        else {
            return Ok(None);
        };
        self.account(&owner.account)
    }

    /// The account of a verified identity (`pid:<number>`), if it has logged in here.
    pub fn account_by_identity(&self, identity: &str) -> Result<Option<Account>, StoreError> {
        let Some(owner) = self.store().read::<EmailOwner>(
            key_value::TENANTEMAIL_EMAILOWNER,
            &keys::identity(self.id(), identity),
        )?
        else {
            return Ok(None);
        };
        self.account(&owner.account)
    }

    /// Registers `account` under its address, with its verification token, in one durable write. An
    /// unverified account with the address is replaced (its owner never proved the address); a verified
    /// one is left as it is.
    pub async fn register(
        &self,
        mut account: Account,
        token_hash: String,
        token: AccountToken,
    ) -> Result<Registered, StoreError> {
        let tenant = self.id().clone();
        account.tenant = tenant.clone();
        self.store()
            .write(true, move |tx| {
                let email_key = keys::email(&tenant, &account.email);
                if let Some(owner) =
                    get::<EmailOwner>(tx, key_value::TENANTEMAIL_EMAILOWNER, &email_key)?
                    && let Some(old) = account_in(tx, &tenant, &owner.account)?
                {
                    if old.verified.is_some() {
                        return Ok(Registered::Taken(Box::new(old)));
                    }
                    tx.open_table(key_value::TENANTACCOUNT_ACCOUNT)?
                        .remove(keys::account(&tenant, &old.id).as_str())?;
                }
                put(
                    tx,
                    key_value::TENANTEMAIL_EMAILOWNER,
                    &email_key,
                    &EmailOwner {
                        account: account.id.clone(),
                    },
                )?;
                put_account(tx, &account)?;
                let mut token = token;
                token.account = account.id.clone();
                token.tenant = tenant.clone();
                put(tx, key_value::TOKENHASH_ACCOUNTTOKEN, &token_hash, &token)?;
                Ok(Registered::New(Box::new(account)))
            })
            .await
    }

    /// Keeps a single-use link's record (durable: the mail that carries it is sent after this).
    pub async fn put_token(
        &self,
        token_hash: String,
        mut token: AccountToken,
    ) -> Result<(), StoreError> {
        token.tenant = self.id().clone();
        self.store()
            .write(true, move |tx| {
                put(tx, key_value::TOKENHASH_ACCOUNTTOKEN, &token_hash, &token)
            })
            .await
    }

    /// The link's record if it is this tenant's and still valid, without using it up.
    pub fn peek_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<AccountToken>, StoreError> {
        let t: Option<AccountToken> = self
            .store()
            .read(key_value::TOKENHASH_ACCOUNTTOKEN, token_hash)?;
        Ok(t.filter(|t| &t.tenant == self.id() && t.expires > now))
    }

    /// Uses a link up and applies what it does, in one durable write: verifying marks the address
    /// verified; a reset sets `new_password` (a PHC string) and ends every login; a new address moves
    /// the index (refused, `None`, when another account took the address meanwhile). Returns the account
    /// as changed, or `None` for a link that is unknown, used, expired or another tenant's.
    pub async fn use_token(
        &self,
        token_hash: String,
        want: fn(&TokenKind) -> bool,
        new_password: Option<String>,
        now: i64,
    ) -> Result<Option<Account>, StoreError> {
        let tenant = self.id().clone();
        self.store()
            .write(true, move |tx| {
                let Some(token) =
                    get::<AccountToken>(tx, key_value::TOKENHASH_ACCOUNTTOKEN, &token_hash)?
                else {
                    return Ok(None);
                };
                if token.tenant != tenant || !want(&token.kind) {
                    return Ok(None);
                }
                tx.open_table(key_value::TOKENHASH_ACCOUNTTOKEN)?
                    .remove(token_hash.as_str())?;
                if token.expires <= now {
                    return Ok(None);
                }
                let Some(mut account) = account_in(tx, &tenant, &token.account)? else {
                    return Ok(None);
                };
                match &token.kind {
                    TokenKind::Verify => {
                        account.verified.get_or_insert(now);
                    }
                    TokenKind::Reset => {
                        let Some(phc) = new_password else {
                            return Ok(None);
                        };
                        account.password = phc;
                        account.login_generation += 1;
                        // Following a link from the mail proves the address as well as a verify link.
                        account.verified.get_or_insert(now);
                    }
                    TokenKind::NewEmail { email } => {
                        let new_key = keys::email(&tenant, email);
                        if get::<EmailOwner>(tx, key_value::TENANTEMAIL_EMAILOWNER, &new_key)?
                            .is_some_and(|o| o.account != account.id)
                        {
                            return Ok(None);
                        }
                        let mut index = tx.open_table(key_value::TENANTEMAIL_EMAILOWNER)?;
                        index.remove(keys::email(&tenant, &account.email).as_str())?;
                        drop(index);
                        account.email = email.to_lowercase();
                        put(
                            tx,
                            key_value::TENANTEMAIL_EMAILOWNER,
                            &new_key,
                            &EmailOwner {
                                account: account.id.clone(),
                            },
                        )?;
                    }
                }
                put_account(tx, &account)?;
                Ok(Some(account))
            })
            .await
    }

    /// Sets a new password (a PHC string). `end_logins` ends every login made before (a change by the
    /// citizen keeps the session it was made in: the caller logs it in again with the account
    /// returned).
    pub async fn set_password(
        &self,
        id: &AccountId,
        phc: String,
        end_logins: bool,
    ) -> Result<Option<Account>, StoreError> {
        self.change_account(id, move |a| {
            a.password = phc;
            if end_logins {
                a.login_generation += 1;
            }
        })
        .await
    }

    /// Changes an account inside the writer; `None` when it does not exist.
    pub async fn change_account(
        &self,
        id: &AccountId,
        change: impl FnOnce(&mut Account) + Send + 'static,
    ) -> Result<Option<Account>, StoreError> {
        let key = keys::account(self.id(), id);
        self.store()
            .write(true, move |tx| {
                let Some(mut a) = get::<Account>(tx, key_value::TENANTACCOUNT_ACCOUNT, &key)?
                else {
                    return Ok(None);
                };
                change(&mut a);
                put(tx, key_value::TENANTACCOUNT_ACCOUNT, &key, &a)?;
                Ok(Some(a))
            })
            .await
    }

    /// The account of a verified identity (`pid:<number>` or `oidc:<provider>:<sub>`), made in the same
    /// write when it is the first login of that identity here.
    pub async fn account_for_identity(
        &self,
        identity: String,
        pid: Option<String>,
        lang: Lang,
        now: i64,
    ) -> Result<Account, StoreError> {
        let tenant = self.id().clone();
        let id = AccountId::generate().map_err(|e| StoreError::Random(e.to_string()))?;
        self.store()
            .write(true, move |tx| {
                let key = keys::identity(&tenant, &identity);
                if let Some(owner) = get::<EmailOwner>(tx, key_value::TENANTEMAIL_EMAILOWNER, &key)?
                    && let Some(a) = account_in(tx, &tenant, &owner.account)?
                {
                    return Ok(a);
                }
                let a = Account {
                    id: id.clone(),
                    tenant: tenant.clone(),
                    email: String::new(),
                    password: String::new(),
                    created: now,
                    verified: Some(now),
                    last_login: None,
                    previous_login: None,
                    login_generation: 0,
                    lang,
                    drafts: Default::default(),
                    submissions: vec![],
                    pid,
                    profile: Default::default(),
                };
                put(
                    tx,
                    key_value::TENANTEMAIL_EMAILOWNER,
                    &key,
                    &EmailOwner { account: id },
                )?;
                put_account(tx, &a)?;
                Ok(a)
            })
            .await
    }

    /// Deletes the account, its e-mail index entry, its links and its drafts (their files are left to
    /// the orphan sweep), in one durable write. Submissions stay: they are the municipality's record.
    pub async fn delete_account(&self, id: &AccountId) -> Result<bool, StoreError> {
        let tenant = self.id().clone();
        let id = id.clone();
        self.store()
            .write(true, move |tx| {
                let Some(account) = account_in(tx, &tenant, &id)? else {
                    return Ok(false);
                };
                tx.open_table(key_value::TENANTACCOUNT_ACCOUNT)?
                    .remove(keys::account(&tenant, &id).as_str())?;
                tx.open_table(key_value::TENANTEMAIL_EMAILOWNER)?
                    .remove(keys::email(&tenant, &account.email).as_str())?;
                tx.open_table(key_value::TOKENHASH_ACCOUNTTOKEN)?
                    .retain(|_, v| {
                        records::decode::<AccountToken>(v)
                            .map_or(true, |t| !(t.tenant == tenant && t.account == id))
                    })?;
                let mut drafts = tx.open_table(key_value::TENANTDRAFT_DRAFT)?;
                for draft in account.drafts.values() {
                    drafts.remove(keys::draft(&tenant, draft).as_str())?;
                }
                Ok(true)
            })
            .await
    }

    /// Logs the browser in: the session moves to the id `to` (the old id is deleted, so an id planted
    /// before the login sees nothing after it) carrying `login`, and the account records the time. One
    /// durable write.
    pub async fn log_in(
        &self,
        from: &SessionId,
        to: &SessionId,
        login: Login,
        now: i64,
    ) -> Result<(), StoreError> {
        let (from, to) = (from.as_str().to_owned(), to.as_str().to_owned());
        let tenant = self.id().clone();
        self.store()
            .write(true, move |tx| {
                let mut s = get::<Session>(tx, key_value::SESSIONID_SESSION, &from)?
                    .unwrap_or_else(|| Session::new(now));
                let mut table = tx.open_table(key_value::SESSIONID_SESSION)?;
                table.remove(from.as_str())?;
                drop(table);
                if let Some(mut a) = account_in(tx, &tenant, &login.account)? {
                    a.previous_login = a.last_login;
                    a.last_login = Some(now);
                    put_account(tx, &a)?;
                }
                s.login = Some(login);
                s.rotate = false;
                s.moved_at = None;
                s.updated = now;
                put(tx, key_value::SESSIONID_SESSION, &to, &s)
            })
            .await
    }

    /// Logs the browser out: the session is deleted and a new one at `to` keeps only the language, so
    /// nothing of the account (its drafts, its receipts) is reachable from this browser after it.
    pub async fn log_out(
        &self,
        from: &SessionId,
        to: &SessionId,
        lang: Option<Lang>,
        now: i64,
    ) -> Result<(), StoreError> {
        let (from, to) = (from.as_str().to_owned(), to.as_str().to_owned());
        self.store()
            .write(true, move |tx| {
                tx.open_table(key_value::SESSIONID_SESSION)?
                    .remove(from.as_str())?;
                let s = Session {
                    lang,
                    ..Session::new(now)
                };
                put(tx, key_value::SESSIONID_SESSION, &to, &s)
            })
            .await
    }

    /// Attaches the session's anonymous draft of `form` to the account (only when the citizen asks).
    pub async fn attach_draft(
        &self,
        session: &SessionId,
        slot: String,
        form: FormId,
        account: &AccountId,
    ) -> Result<Attached, StoreError> {
        let sid = session.as_str().to_owned();
        let tenant = self.id().clone();
        let account = account.clone();
        self.store()
            .write(true, move |tx| {
                let Some(s) = get::<Session>(tx, key_value::SESSIONID_SESSION, &sid)? else {
                    return Ok(Attached::Missing);
                };
                let Some(id) = s.drafts.get(&slot).cloned() else {
                    return Ok(Attached::Missing);
                };
                let dkey = keys::draft(&tenant, &id);
                let Some(mut draft) = get::<Draft>(tx, key_value::TENANTDRAFT_DRAFT, &dkey)? else {
                    return Ok(Attached::Missing);
                };
                if draft.account.is_some() || draft.submitted.is_some() || draft.form != form {
                    return Ok(Attached::Missing);
                }
                let Some(mut a) = account_in(tx, &tenant, &account)? else {
                    return Ok(Attached::Missing);
                };
                if let Some(other) = a.drafts.get(&form)
                    && get::<Draft>(
                        tx,
                        key_value::TENANTDRAFT_DRAFT,
                        &keys::draft(&tenant, other),
                    )?
                    .is_some_and(|d| d.submitted.is_none())
                {
                    return Ok(Attached::HasOne);
                }
                draft.account = Some(account.clone());
                draft.rev += 1;
                put(tx, key_value::TENANTDRAFT_DRAFT, &dkey, &draft)?;
                a.drafts.insert(form, id);
                put_account(tx, &a)?;
                Ok(Attached::Done)
            })
            .await
    }

    /// Deletes one of the account's drafts (its files are left to the orphan sweep).
    pub async fn delete_account_draft(
        &self,
        account: &AccountId,
        draft: &DraftId,
    ) -> Result<bool, StoreError> {
        let tenant = self.id().clone();
        let (account, draft) = (account.clone(), draft.clone());
        self.store()
            .write(true, move |tx| {
                let Some(mut a) = account_in(tx, &tenant, &account)? else {
                    return Ok(false);
                };
                let Some(form) = a
                    .drafts
                    .iter()
                    .find(|(_, d)| **d == draft)
                    .map(|(f, _)| f.clone())
                else {
                    return Ok(false);
                };
                a.drafts.remove(&form);
                put_account(tx, &a)?;
                tx.open_table(key_value::TENANTDRAFT_DRAFT)?
                    .remove(keys::draft(&tenant, &draft).as_str())?;
                Ok(true)
            })
            .await
    }
}

impl super::SystemStore<'_> {
    /// Removes links past their time, and accounts never verified that were made before
    /// `unverified_before` (with their address in the index): an address typed by someone who never
    /// proved it is not kept. Returns (links, accounts) removed.
    pub async fn expire_accounts(
        &self,
        now: i64,
        unverified_before: i64,
    ) -> Result<(usize, usize), StoreError> {
        self.store
            .write(true, move |tx| {
                let mut links = 0;
                tx.open_table(key_value::TOKENHASH_ACCOUNTTOKEN)?
                    .retain(|_, v| {
                        let keep =
                            records::decode::<AccountToken>(v).is_ok_and(|t| t.expires > now);
                        links += usize::from(!keep);
                        keep
                    })?;
                let mut gone = vec![];
                tx.open_table(key_value::TENANTACCOUNT_ACCOUNT)?
                    .retain(|_, v| {
                        let old_unverified = records::decode::<Account>(v)
                            .is_ok_and(|a| a.verified.is_none() && a.created < unverified_before);
                        if old_unverified && let Ok(a) = records::decode::<Account>(v) {
                            gone.push(keys::email(&a.tenant, &a.email));
                        }
                        !old_unverified
                    })?;
                let mut index = tx.open_table(key_value::TENANTEMAIL_EMAILOWNER)?;
                for k in &gone {
                    index.remove(k.as_str())?;
                }
                Ok((links, gone.len()))
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TenantId;

    fn account(t: &TenantId, email: &str, created: i64) -> Account {
        Account {
            id: AccountId::generate().unwrap(),
            tenant: t.clone(),
            email: email.into(),
            password: "x".into(),
            created,
            verified: None,
            last_login: None,
            previous_login: None,
            login_generation: 0,
            lang: Lang::Nb,
            drafts: Default::default(),
            submissions: vec![],
            pid: None,
            profile: Default::default(),
        }
    }

    fn token(t: &TenantId, kind: TokenKind, expires: i64) -> AccountToken {
        AccountToken {
            tenant: t.clone(),
            account: AccountId::generate().unwrap(),
            kind,
            created: 0,
            expires,
        }
    }

    #[tokio::test]
    async fn links_are_single_use_per_tenant_and_unverified_accounts_expire() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        let (a, b) = (TenantId::parse("a").unwrap(), TenantId::parse("b").unwrap());
        let ta = store.tenant(&a);
        let made = ta
            .register(
                account(&a, "kari@example.no", 100),
                "h1".into(),
                token(&a, TokenKind::Verify, 1000),
            )
            .await
            .unwrap();
        let Registered::New(acct) = made else {
            panic!("new")
        };
        // Another tenant cannot use the link, and a kind it was not made for is refused.
        assert!(
            store
                .tenant(&b)
                .use_token("h1".into(), |_| true, None, 200)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            ta.use_token("h1".into(), |k| *k == TokenKind::Reset, None, 200)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            ta.peek_token("h1", 200).unwrap().is_some(),
            "a refused use leaves the link"
        );
        // The same address in tenant b is another account.
        assert!(
            store
                .tenant(&b)
                .account_by_email("kari@example.no")
                .unwrap()
                .is_none()
        );
        // Unverified and old: swept with its index entry; a live link stays.
        ta.put_token("h2".into(), token(&a, TokenKind::Reset, 10_000))
            .await
            .unwrap();
        let (links, accounts) = store.system().expire_accounts(5000, 4000).await.unwrap();
        assert_eq!(
            (links, accounts),
            (1, 1),
            "h1 past its time, the account never verified"
        );
        assert!(ta.account(&acct.id).unwrap().is_none());
        assert!(ta.account_by_email("kari@example.no").unwrap().is_none());
        let (links, _) = store.system().expire_accounts(20_000, 0).await.unwrap();
        assert_eq!(links, 1, "h2 past its time");
    }
}
