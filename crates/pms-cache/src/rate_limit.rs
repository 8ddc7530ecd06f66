//! The login rate limiter: a sliding window per account and per source address. In Redis it
//! is one script over two sorted sets in the tenant's slot (atomic, cluster-safe). It does
//! not fail open: when Redis is unavailable (or not configured) the same windows are kept in
//! process, so limits still hold (per process) instead of vanishing.

use crate::store::Store;
use crate::{Cache, CacheError, Category, Key};
use pms_core::TenantId;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many attempts each window allows.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub per_account: u32,
    pub per_address: u32,
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            per_account: 5,
            per_address: 20,
            window: Category::RateLimit.ttl(),
        }
    }
}

/// Which window refused an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Account,
    Address,
}

/// The verdict on one login attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limited_by: Option<Limit>,
    /// When refused: how long until the oldest counted attempt leaves the window.
    pub retry_after: Duration,
}

const SCRIPT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limits = {tonumber(ARGV[2]), tonumber(ARGV[3])}
local wait = 0
local by = 0
for i = 1, 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  if redis.call('ZCARD', KEYS[i]) >= limits[i] then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    local w = tonumber(oldest[2]) + window - now
    if w > wait then wait = w end
    if by == 0 then by = i end
  end
end
if by == 0 then
  for i = 1, 2 do
    redis.call('ZADD', KEYS[i], now, ARGV[4])
    redis.call('PEXPIRE', KEYS[i], window)
  end
end
return {by, wait}
";

/// Counts login attempts; call [`LoginLimiter::check`] before verifying a password and
/// [`LoginLimiter::reset_account`] after a successful login.
pub struct LoginLimiter {
    cache: Cache,
    limits: LoginLimits,
    local: Mutex<HashMap<String, VecDeque<Instant>>>,
}

fn account_part(account: &str) -> Result<String, CacheError> {
    let a = account.trim().to_lowercase();
    if a.is_empty() || a.len() > 320 || a.chars().any(char::is_control) {
        return Err(CacheError::InvalidKey(
            "an account must be 1 to 320 printable characters".into(),
        ));
    }
    // The address book stays out of Redis: the key holds a hash of the account.
    Ok(hex::encode(&Sha256::digest(a.as_bytes())[..16]))
}

impl LoginLimiter {
    pub fn new(cache: Cache, limits: LoginLimits) -> Self {
        Self {
            cache,
            limits,
            local: Mutex::new(HashMap::new()),
        }
    }

    fn keys(tenant: TenantId, account: &str, address: IpAddr) -> Result<(Key, Key), CacheError> {
        let acc = Key::new(
            tenant,
            Category::RateLimit,
            &["login", "account", &account_part(account)?],
        )?;
        let addr = Key::new(
            tenant,
            Category::RateLimit,
            &["login", "address", &address.to_string()],
        )?;
        Ok((acc, addr))
    }

    /// Counts one attempt for `account` from `address` unless a window is full.
    pub async fn check(
        &self,
        tenant: TenantId,
        account: &str,
        address: IpAddr,
    ) -> Result<Decision, CacheError> {
        let (acc, addr) = Self::keys(tenant, account, address)?;
        if let Store::Redis(r) = self.cache.store() {
            let args = [
                self.limits.window.as_millis().to_string(),
                self.limits.per_account.to_string(),
                self.limits.per_address.to_string(),
                uuid::Uuid::new_v4().to_string(),
            ];
            match r
                .eval::<(i64, i64)>("rate_limit", SCRIPT, &[acc.path(), addr.path()], &args)
                .await
            {
                Ok((by, wait)) => {
                    let limited_by = match by {
                        1 => Some(Limit::Account),
                        2 => Some(Limit::Address),
                        _ => None,
                    };
                    return Ok(Decision {
                        allowed: limited_by.is_none(),
                        limited_by,
                        retry_after: Duration::from_millis(u64::try_from(wait).unwrap_or(0)),
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "login rate limiter: Redis unavailable, counting in process")
                }
            }
        }
        Ok(self.check_local(acc.path(), addr.path()))
    }

    fn check_local(&self, acc: &str, addr: &str) -> Decision {
        let now = Instant::now();
        let mut map = self.local.lock().unwrap_or_else(|p| p.into_inner());
        let mut limited_by = None;
        let mut wait = Duration::ZERO;
        for (key, limit, which) in [
            (acc, self.limits.per_account, Limit::Account),
            (addr, self.limits.per_address, Limit::Address),
        ] {
            let q = map.entry(key.to_string()).or_default();
            while q
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.limits.window)
            {
                q.pop_front();
            }
            if q.len() >= limit as usize {
                let w = q
                    .front()
                    .map(|t| self.limits.window.saturating_sub(now.duration_since(*t)))
                    .unwrap_or_default();
                wait = wait.max(w);
                limited_by = limited_by.or(Some(which));
            }
        }
        if limited_by.is_none() {
            for key in [acc, addr] {
                map.entry(key.to_string()).or_default().push_back(now);
            }
        }
        Decision {
            allowed: limited_by.is_none(),
            limited_by,
            retry_after: wait,
        }
    }

    /// Forgets an account's attempts (after a successful login).
    pub async fn reset_account(&self, tenant: TenantId, account: &str) -> Result<(), CacheError> {
        let acc = Key::new(
            tenant,
            Category::RateLimit,
            &["login", "account", &account_part(account)?],
        )?;
        self.local
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(acc.path());
        if let Store::Redis(r) = self.cache.store() {
            r.delete(acc.path()).await?;
        }
        Ok(())
    }
}
