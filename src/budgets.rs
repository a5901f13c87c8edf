//! Budgets: how much one client (IP address), one tenant and the whole appliance may spend per hour of
//! what costs disk or mail: drafts started, sessions made, upload bytes and files, receipt copies by
//! e-mail. A request over a budget gets the translated 429 page with `Retry-After`; nothing is written.
//!
//! Counted in memory (a restart forgives), over a sliding hour: the current hour's count plus the last
//! hour's, weighted by how much of it still lies within the past sixty minutes. Addresses not seen for
//! two hours are forgotten, and at most [`MAX_ADDRESSES`] are tracked (the oldest go first).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// What a budget is spent on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Spend {
    Draft,
    Session,
    UploadBytes,
    UploadFile,
    ReceiptCopy,
}

/// Per hour: one address, one tenant, all tenants together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub per_ip: u64,
    pub per_tenant: u64,
    pub total: u64,
}

/// The budgets of every kind (`[budgets]` in the configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetConfig {
    pub drafts: Limit,
    pub sessions: Limit,
    pub upload_bytes: Limit,
    pub upload_files: Limit,
    pub receipt_copies: Limit,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        const MB: u64 = 1_000_000;
        BudgetConfig {
            drafts: Limit {
                per_ip: 120,
                per_tenant: 10_000,
                total: 40_000,
            },
            sessions: Limit {
                per_ip: 300,
                per_tenant: 20_000,
                total: 80_000,
            },
            upload_bytes: Limit {
                per_ip: 1_000 * MB,
                per_tenant: 20_000 * MB,
                total: 50_000 * MB,
            },
            upload_files: Limit {
                per_ip: 400,
                per_tenant: 20_000,
                total: 50_000,
            },
            receipt_copies: Limit {
                per_ip: 10,
                per_tenant: 1_000,
                total: 4_000,
            },
        }
    }
}

impl BudgetConfig {
    fn limit(&self, s: Spend) -> Limit {
        match s {
            Spend::Draft => self.drafts,
            Spend::Session => self.sessions,
            Spend::UploadBytes => self.upload_bytes,
            Spend::UploadFile => self.upload_files,
            Spend::ReceiptCopy => self.receipt_copies,
        }
    }
}

/// Addresses tracked at most.
pub const MAX_ADDRESSES: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Scope {
    Ip(IpAddr),
    Tenant(usize),
    Total,
}

#[derive(Debug, Default, Clone, Copy)]
struct Window {
    hour: i64,
    now: u64,
    before: u64,
}

impl Window {
    /// What was spent in the sixty minutes before `at` (unix seconds).
    fn used(&self, at: i64) -> u64 {
        let hour = at.div_euclid(3600);
        let into = at.rem_euclid(3600) as u64;
        let (now, before) = match hour - self.hour {
            0 => (self.now, self.before),
            1 => (0, self.now),
            _ => (0, 0),
        };
        // Rounded up: a budget is never over-allowed by rounding.
        now + (before * (3600 - into)).div_ceil(3600)
    }

    fn add(&mut self, at: i64, n: u64) {
        let hour = at.div_euclid(3600);
        match hour - self.hour {
            0 => {}
            1 => {
                self.before = self.now;
                self.now = 0;
            }
            _ => {
                self.before = 0;
                self.now = 0;
            }
        }
        self.hour = hour;
        self.now = self.now.saturating_add(n);
    }
}

/// Over budget: which one, and when to try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    pub spend: Spend,
    /// "address", "tenant" or "all".
    pub scope: &'static str,
    pub retry_after_secs: u64,
}

#[derive(Default)]
pub struct Budgets {
    config: BudgetConfig,
    windows: Mutex<HashMap<(Spend, Scope), Window>>,
}

impl Budgets {
    pub fn new(config: BudgetConfig) -> Budgets {
        Budgets {
            config,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Spends `n` of `spend` for a client at `ip` of the tenant at `tenant`, at `at` (unix seconds), if
    /// every budget it falls under has room; otherwise spends nothing.
    pub fn spend(
        &self,
        spend: Spend,
        n: u64,
        ip: IpAddr,
        tenant: usize,
        at: i64,
    ) -> Result<(), Exceeded> {
        let scopes = self.scopes(spend, ip, tenant);
        let Ok(mut w) = self.windows.lock() else {
            return Ok(());
        };
        over(&w, spend, &scopes, n, at)?;
        for (scope, _, _) in scopes {
            w.entry((spend, scope)).or_default().add(at, n);
        }
        if w.len() > MAX_ADDRESSES {
            let hour = at.div_euclid(3600);
            w.retain(|_, x| hour - x.hour <= 1);
            if w.len() > MAX_ADDRESSES {
                w.retain(|(_, s), _| !matches!(s, Scope::Ip(_)));
            }
        }
        Ok(())
    }

    /// Whether a budget has any room now (before reading something whose size is not known yet).
    pub fn has_room(
        &self,
        spend: Spend,
        ip: IpAddr,
        tenant: usize,
        at: i64,
    ) -> Result<(), Exceeded> {
        let scopes = self.scopes(spend, ip, tenant);
        let Ok(w) = self.windows.lock() else {
            return Ok(());
        };
        over(&w, spend, &scopes, 0, at)
    }

    /// The three budgets a spend falls under, with their limits and names.
    fn scopes(&self, spend: Spend, ip: IpAddr, tenant: usize) -> [(Scope, u64, &'static str); 3] {
        let limit = self.config.limit(spend);
        [
            (Scope::Ip(ip), limit.per_ip, "address"),
            (Scope::Tenant(tenant), limit.per_tenant, "tenant"),
            (Scope::Total, limit.total, "all"),
        ]
    }
}

/// The first of `scopes` that has no room for `n` more at `at`. A budget with nothing spent has room
/// for any first amount, so that one large file is judged by its own limits.
fn over(
    w: &HashMap<(Spend, Scope), Window>,
    spend: Spend,
    scopes: &[(Scope, u64, &'static str); 3],
    n: u64,
    at: i64,
) -> Result<(), Exceeded> {
    for (scope, max, name) in scopes {
        let used = w.get(&(spend, *scope)).map_or(0, |x| x.used(at));
        if used >= *max || (used > 0 && used.saturating_add(n) > *max) {
            return Err(Exceeded {
                spend,
                scope: name,
                retry_after_secs: 3600 - at.rem_euclid(3600) as u64,
            });
        }
    }
    Ok(())
}

/// The client's address: the peer's, or, when the peer is a trusted proxy, the nearest address in
/// `X-Forwarded-For` that is not one of the trusted proxies.
pub fn client_ip(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted.contains(&peer) {
        return peer;
    }
    forwarded_for
        .into_iter()
        .flat_map(|v| v.rsplit(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .map(|a| a.to_canonical())
        .find(|a| !trusted.contains(a))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn per_address_per_tenant_and_in_total_over_a_sliding_hour() {
        let cfg = BudgetConfig {
            drafts: Limit {
                per_ip: 2,
                per_tenant: 3,
                total: 4,
            },
            ..BudgetConfig::default()
        };
        let b = Budgets::new(cfg);
        let t = 3600 * 100;
        assert!(b.spend(Spend::Draft, 1, ip("192.0.2.1"), 0, t).is_ok());
        assert!(b.spend(Spend::Draft, 1, ip("192.0.2.1"), 0, t).is_ok());
        let e = b.spend(Spend::Draft, 1, ip("192.0.2.1"), 0, t).unwrap_err();
        assert_eq!(e.scope, "address");
        assert!(b.spend(Spend::Draft, 1, ip("192.0.2.2"), 0, t).is_ok());
        assert_eq!(
            b.spend(Spend::Draft, 1, ip("192.0.2.3"), 0, t)
                .unwrap_err()
                .scope,
            "tenant"
        );
        assert!(b.spend(Spend::Draft, 1, ip("192.0.2.3"), 1, t).is_ok());
        assert_eq!(
            b.spend(Spend::Draft, 1, ip("192.0.2.4"), 2, t)
                .unwrap_err()
                .scope,
            "all"
        );
        // A minute into the next hour the last hour still counts nearly whole; half an hour in, half.
        let at = |secs: i64| b.spend(Spend::Draft, 1, ip("192.0.2.1"), 0, t + secs);
        assert!(at(3600 + 60).is_err());
        assert!(at(3600 + 1800).is_ok());
        assert!(at(3600 + 1800).is_err());
        assert!(at(3 * 3600).is_ok());
        // Other kinds have their own budgets.
        assert!(b.spend(Spend::UploadFile, 1, ip("192.0.2.1"), 0, t).is_ok());
    }

    #[test]
    fn the_client_behind_a_trusted_proxy() {
        let proxy = ip("10.0.0.2");
        assert_eq!(
            client_ip(ip("192.0.2.9"), Some("198.51.100.1"), &[proxy]),
            ip("192.0.2.9")
        );
        assert_eq!(
            client_ip(proxy, Some("203.0.113.5, 198.51.100.1, 10.0.0.2"), &[proxy]),
            ip("198.51.100.1")
        );
        assert_eq!(client_ip(proxy, Some("junk"), &[proxy]), proxy);
        assert_eq!(client_ip(proxy, None, &[proxy]), proxy);
    }
}
