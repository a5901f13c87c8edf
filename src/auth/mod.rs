//! Citizens' accounts: passwords, single-use links sent by mail, logins with their levels and timeouts,
//! and the limits on guessing. The web pages call this as they call the case layer; so will the staff UI
//! and the command line. No HTTP here.
//!
//! - [`register`]: a new account (or a new password for an address never verified) and its verification
//!   link; a verified address gets no new account and no change, and the page says the same either way.
//! - [`log_in`]: the password checked against argon2id (an unknown address costs the same time), the
//!   limits on failures per address and per client address, the session moved to a new id.
//! - [`current`]: the session's login if it is still valid: the account exists and is verified, its
//!   password has not changed since, and neither the idle nor the absolute timeout has passed.
//! - Links: [`new_token`] makes a token and the SHA-256 the store keeps; the token is only in the mail.

pub mod oidc;
pub mod password;
pub mod records;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use crate::config::AccountsConfig;
use crate::forms::LoginLevel;
use crate::i18n::Lang;
use crate::ids::{AccountId, SessionId, TenantId};
use crate::store::accounts::Registered;
use crate::store::sessions::Session;
use crate::store::{Store, StoreError};
use records::{Account, AccountToken, Login, TokenKind};

/// Failed logins one address (account or not) may have in [`FAIL_WINDOW_SECS`].
pub const FAILS_PER_ADDRESS: usize = 5;
/// Failed logins one client address may have in [`FAIL_WINDOW_SECS`], over all accounts.
pub const FAILS_PER_CLIENT: usize = 30;
pub const FAIL_WINDOW_SECS: i64 = 15 * 60;
/// Mails (verification, reset, new address) one e-mail address may be sent per hour, and one client
/// may cause per hour.
pub const MAILS_PER_ADDRESS: usize = 3;
pub const MAILS_PER_CLIENT: usize = 10;
/// A login's last use is written at most this often (the idle timeout is this much coarser).
pub const SEEN_EVERY_SECS: i64 = 60;

/// Counts of recent events per key (failed logins, mails sent), in memory: a restart forgets them,
/// which only lets an attacker start counting again.
#[derive(Default)]
pub struct Limiter {
    events: Mutex<HashMap<String, Vec<i64>>>,
}

impl Limiter {
    /// Seconds until `key` may have another event, if it has had `max` within `window`.
    pub fn blocked(&self, key: &str, max: usize, window: i64, now: i64) -> Option<i64> {
        let mut map = self.events.lock().ok()?;
        let list = map.get_mut(key)?;
        list.retain(|t| *t > now - window);
        if list.len() >= max {
            list.iter()
                .min()
                .map(|oldest| (oldest + window - now).max(1))
        } else {
            None
        }
    }

    pub fn record(&self, key: &str, now: i64) {
        if let Ok(mut map) = self.events.lock() {
            if map.len() > 100_000 {
                // Bounded: old keys go first.
                map.retain(|_, l| l.iter().any(|t| *t > now - 3600));
            }
            map.entry(key.to_owned()).or_default().push(now);
        }
    }

    pub fn clear(&self, key: &str) {
        if let Ok(mut map) = self.events.lock() {
            map.remove(key);
        }
    }
}

/// The limiter keys of a login attempt.
fn address_key(tenant: &TenantId, email: &str) -> String {
    format!("login:{tenant}/{email}")
}

fn client_key(ip: IpAddr) -> String {
    format!("login-ip:{ip}")
}

/// A new single-use token (32 random bytes, base64url) and the hex SHA-256 the store keeps it under.
pub fn new_token() -> Result<(String, String), StoreError> {
    use base64::Engine as _;
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| StoreError::Random(e.to_string()))?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// The store's key of a token, or `None` for a string that cannot be one of ours.
pub fn token_hash(token: &str) -> String {
    crate::delivery::package::sha256_hex(token.as_bytes())
}

/// Whether `token` has the shape of one of ours (43 base64url characters).
pub fn token_shaped(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// An e-mail address as accounts keep it: checked, trimmed, lower-cased. The error is the catalogue key.
pub fn normalise_email(typed: &str) -> Result<String, &'static str> {
    match crate::forms::validate::email::check(typed.trim()) {
        Ok(a) if a.len() <= 254 => Ok(a.to_lowercase()),
        Ok(_) => Err("account-email-invalid"),
        Err(_) => Err("account-email-invalid"),
    }
}

/// What [`register`] did; the page the citizen sees is the same for both.
pub enum Registration {
    /// Send the verification link with this token.
    Verify {
        token: String,
        account: Box<Account>,
    },
    /// The address has an account already: tell its owner by mail (no link that changes anything).
    Taken { account: Box<Account> },
}

/// Registers `email` with `password` (checked by the caller with [`password::check_new`]).
pub async fn register(
    store: &Store,
    tenant: &TenantId,
    email: &str,
    pass: &str,
    lang: Lang,
    cfg: &AccountsConfig,
    now: i64,
) -> Result<Registration, StoreError> {
    let pass = pass.to_owned();
    let phc = tokio::task::spawn_blocking(move || password::hash(&pass))
        .await
        .map_err(|e| StoreError::Random(e.to_string()))?
        .map_err(StoreError::Random)?;
    let id = AccountId::generate().map_err(|e| StoreError::Random(e.to_string()))?;
    let (token, hash) = new_token()?;
    let account = Account {
        id: id.clone(),
        tenant: tenant.clone(),
        email: email.to_owned(),
        password: phc,
        created: now,
        verified: None,
        last_login: None,
        previous_login: None,
        login_generation: 0,
        lang,
        drafts: Default::default(),
        submissions: vec![],
        pid: None,
        profile: Default::default(),
    };
    let record = AccountToken {
        tenant: tenant.clone(),
        account: id,
        kind: TokenKind::Verify,
        created: now,
        expires: now + cfg.verify.as_secs() as i64,
    };
    Ok(
        match store.tenant(tenant).register(account, hash, record).await? {
            Registered::New(account) => Registration::Verify { token, account },
            Registered::Taken(account) => Registration::Taken { account },
        },
    )
}

/// Why a login was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Wrong address or password (the page does not say which).
    Wrong,
    /// Too many failures for this address or client: try again in this many seconds.
    TooMany(i64),
    /// The password is right but the address was never verified.
    Unverified,
}

/// Checks a password login and, when it is right, moves the session to `to` with the login at the
/// lowest level. Failures are counted per address and per client whether or not the address has an
/// account; an unknown address takes as long as a wrong password.
#[allow(clippy::too_many_arguments)]
pub async fn log_in(
    store: &Store,
    limiter: &Limiter,
    tenant: &TenantId,
    email: &str,
    pass: &str,
    client: IpAddr,
    (from, to): (&SessionId, &SessionId),
    now: i64,
) -> Result<Result<Account, Refused>, StoreError> {
    let (akey, ckey) = (address_key(tenant, email), client_key(client));
    let blocked = limiter
        .blocked(&akey, FAILS_PER_ADDRESS, FAIL_WINDOW_SECS, now)
        .or_else(|| limiter.blocked(&ckey, FAILS_PER_CLIENT, FAIL_WINDOW_SECS, now));
    if let Some(wait) = blocked {
        return Ok(Err(Refused::TooMany(wait)));
    }
    let ts = store.tenant(tenant);
    let account = ts.account_by_email(email)?;
    let pass_owned = pass.to_owned();
    let stored = account.as_ref().map(|a| a.password.clone());
    let ok = tokio::task::spawn_blocking(move || match stored {
        Some(phc) => password::verify(&pass_owned, &phc),
        None => {
            password::verify_nothing(&pass_owned);
            false
        }
    })
    .await
    .map_err(|e| StoreError::Random(e.to_string()))?;
    let Some(account) = account.filter(|_| ok) else {
        limiter.record(&akey, now);
        limiter.record(&ckey, now);
        return Ok(Err(Refused::Wrong));
    };
    limiter.clear(&akey);
    if account.verified.is_none() {
        return Ok(Err(Refused::Unverified));
    }
    if password::outdated(&account.password) {
        let pass = pass.to_owned();
        if let Ok(Ok(phc)) = tokio::task::spawn_blocking(move || password::hash(&pass)).await {
            ts.set_password(&account.id, phc, false).await?;
        }
    }
    let login = Login {
        tenant: tenant.clone(),
        account: account.id.clone(),
        level: LoginLevel::Low,
        generation: account.login_generation,
        provider: None,
        id_token: None,
        at: now,
        seen: now,
    };
    ts.log_in(from, to, login, now).await?;
    Ok(Ok(account))
}

/// A login that is still valid, with its account.
#[derive(Debug, Clone)]
pub struct Current {
    pub login: Login,
    pub account: Account,
    /// When the idle timeout ends it (unix seconds), unless the citizen does something first.
    pub idle_ends: i64,
    /// Whether the last use is old enough to be written again.
    pub touch: bool,
}

/// What a session's login is now.
#[derive(Debug, Clone)]
pub enum LoginState {
    None,
    /// It was there and has ended (a timeout, a changed password, a deleted account).
    Ended,
    Valid(Box<Current>),
}

impl LoginState {
    pub fn current(&self) -> Option<&Current> {
        match self {
            LoginState::Valid(c) => Some(c),
            _ => None,
        }
    }

    pub fn level(&self) -> Option<LoginLevel> {
        self.current().map(|c| c.login.level)
    }
}

/// The session's login, checked against the account and the timeouts.
pub fn current(
    store: &Store,
    tenant: &TenantId,
    session: Option<&Session>,
    cfg: &AccountsConfig,
    now: i64,
) -> Result<LoginState, StoreError> {
    let Some(login) = session.and_then(|s| s.login.clone()) else {
        return Ok(LoginState::None);
    };
    if &login.tenant != tenant {
        return Ok(LoginState::None);
    }
    let idle_ends = login.seen + cfg.idle.as_secs() as i64;
    if now >= idle_ends || now >= login.at + cfg.absolute.as_secs() as i64 {
        return Ok(LoginState::Ended);
    }
    let Some(account) = store.tenant(tenant).account(&login.account)? else {
        return Ok(LoginState::Ended);
    };
    if account.verified.is_none() || login.generation != account.login_generation {
        return Ok(LoginState::Ended);
    }
    Ok(LoginState::Valid(Box::new(Current {
        touch: now - login.seen >= SEEN_EVERY_SECS,
        idle_ends,
        login,
        account,
    })))
}

/// Records that the login was used now (progress class: a crash may lose it, which only shortens the
/// idle time).
pub async fn touch(store: &Store, session: &SessionId, now: i64) -> Result<(), StoreError> {
    store
        .update_session(session, now, false, move |s| {
            if let Some(l) = &mut s.login {
                l.seen = now;
            }
        })
        .await
}

/// Whether one more mail may go to `email` on behalf of `client`; counts it when it may.
pub fn may_mail(limiter: &Limiter, email: &str, client: IpAddr, now: i64) -> bool {
    let (a, c) = (format!("mail:{email}"), format!("mail-ip:{client}"));
    if limiter.blocked(&a, MAILS_PER_ADDRESS, 3600, now).is_some()
        || limiter.blocked(&c, MAILS_PER_CLIENT, 3600, now).is_some()
    {
        return false;
    }
    limiter.record(&a, now);
    limiter.record(&c, now);
    true
}

/// Sends an account mail in the background: the page answers at once, the same whether or not a
/// mail goes out, so its timing tells nothing about which addresses have accounts. A failure is
/// logged without the message (it carries a token).
pub fn send_in_background(
    smtp: Option<crate::config::SmtpConfig>,
    mail: crate::delivery::email::Mail,
) {
    let Some(cfg) = smtp else {
        tracing::warn!("an account mail was not sent: no [smtp] is configured");
        return;
    };
    tokio::spawn(async move {
        // Neither the address nor the server's words (which may quote it) go to the log.
        match crate::delivery::email::send(&cfg, &mail).await {
            Ok(_) => tracing::debug!("an account mail was sent"),
            Err(crate::delivery::package::Failure::Retry(_)) => {
                tracing::warn!(
                    "an account mail could not be sent now (the mail server is down, slow or refused the login)"
                )
            }
            Err(crate::delivery::package::Failure::Permanent(_)) => {
                tracing::info!("an account mail was refused by the mail server (a bad address)")
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_blocks_after_max_and_forgets_after_the_window() {
        let l = Limiter::default();
        for t in 0..5 {
            assert_eq!(l.blocked("k", 5, 900, 100 + t), None);
            l.record("k", 100 + t);
        }
        assert_eq!(l.blocked("k", 5, 900, 200), Some(800));
        assert_eq!(l.blocked("k", 5, 900, 1001), None);
        l.clear("k");
        assert_eq!(l.blocked("k", 1, 900, 1001), None);
    }

    #[test]
    fn tokens_are_random_and_kept_as_their_hash() {
        let (a, ha) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_ne!(a, b);
        assert!(token_shaped(&a), "{a}");
        assert_eq!(ha, token_hash(&a));
        assert_eq!(ha.len(), 64);
        assert!(!ha.contains(&a));
        assert!(!token_shaped("../../etc/passwd"));
    }

    #[test]
    fn addresses_are_checked_and_lower_cased() {
        assert_eq!(
            normalise_email("  Kari@Eksempel.NO ").as_deref(),
            Ok("kari@eksempel.no")
        );
        assert!(normalise_email("kari").is_err());
        assert!(normalise_email("").is_err());
    }
}
