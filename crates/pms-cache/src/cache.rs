//! The cache handle: cache-aside `get_or_set` with single flight and a cap on concurrent
//! loads, write-through `put`, exact invalidation by generation counters, and fail-open
//! reads. One API over Redis (standalone or cluster) and the in-process backend.

use crate::breaker::{Breaker, BreakerState};
use crate::key::{Key, Scope, check_part, gen_path};
use crate::pending::{Op, Pending, PendingOp};
use crate::stats::{CategoryStats, Stats};
use crate::store::{Store, Stored, local::LocalStore, redis as redis_store};
use crate::{CacheError, CacheOptions};
use pms_core::{TenantId, UserId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OnceCell, Semaphore};
use uuid::Uuid;

type Shared = Arc<dyn Any + Send + Sync>;
type Flight = Arc<OnceCell<Result<Shared, CacheError>>>;

/// Whether a write or an invalidation reached the cache now, or was queued for replay
/// (Redis unavailable; reads bypass the cache until the replay succeeds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    Deferred,
}

/// A cheap-to-clone handle on the cache.
#[derive(Clone)]
pub struct Cache {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    flights: Mutex<HashMap<String, Flight>>,
    loads: Semaphore,
    pending: Pending,
    replaying: tokio::sync::Mutex<()>,
    stats: Stats,
}

impl Cache {
    /// Opens the cache: Redis when `redis_url` is set (connecting lazily, so a down Redis
    /// does not stop the platform), otherwise the in-process cache.
    pub fn open(options: CacheOptions) -> Result<Self, CacheError> {
        options.validate()?;
        let store = match &options.redis_url {
            None => Store::Local(LocalStore::new(options.local_max_entries)),
            Some(url) => {
                let conn = redis_store::open(url, options.timeout)?;
                let breaker = Breaker::new(options.breaker_failures, options.breaker_open);
                Store::Redis(redis_store::RedisStore::new(
                    conn,
                    options.prefix.clone(),
                    options.timeout,
                    breaker,
                ))
            }
        };
        crate::stats::describe_metrics();
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                flights: Mutex::new(HashMap::new()),
                loads: Semaphore::new(options.max_concurrent_loads),
                pending: Pending::default(),
                replaying: tokio::sync::Mutex::new(()),
                stats: Stats::new(),
            }),
        })
    }

    /// `redis`, `redis-cluster` or `in-process`.
    pub fn backend(&self) -> &'static str {
        match &self.inner.store {
            Store::Redis(r) if r.is_cluster() => "redis-cluster",
            Store::Redis(_) => "redis",
            Store::Local(_) => "in-process",
        }
    }

    /// The breaker's state (always closed in process).
    pub fn breaker_state(&self) -> BreakerState {
        match &self.inner.store {
            Store::Redis(r) => r.breaker.state(),
            Store::Local(_) => BreakerState::Closed,
        }
    }

    /// Times the breaker opened since start.
    pub fn breaker_opened_total(&self) -> u64 {
        match &self.inner.store {
            Store::Redis(r) => r.breaker.opened_total(),
            Store::Local(_) => 0,
        }
    }

    /// Invalidations still waiting for Redis.
    pub fn pending_invalidations(&self) -> usize {
        self.inner.pending.len()
    }

    /// Sets the gauges that describe this handle's state (breaker, pending invalidations) on
    /// the installed metrics recorder; a process that serves `/metrics` calls it before each
    /// render. Counters (hits, misses, errors) are recorded as they happen.
    pub fn record_gauges(&self) {
        let state = match self.breaker_state() {
            BreakerState::Closed => 0.0,
            BreakerState::HalfOpen => 1.0,
            BreakerState::Open => 2.0,
        };
        metrics::gauge!("pms_cache_breaker_state", "backend" => self.backend()).set(state);
        metrics::gauge!("pms_cache_pending_invalidations", "backend" => self.backend())
            .set(self.pending_invalidations() as f64);
    }

    /// Hits, misses, errors and loader time per category, since this handle was opened.
    pub fn stats(&self) -> Vec<CategoryStats> {
        self.inner.stats.snapshot()
    }

    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Cache-aside with the category's TTL: the cached value, or the loader's (stored for
    /// next time). Concurrent misses on one key share one loader call. Redis trouble never
    /// surfaces here: the value then comes from the loader.
    pub async fn get_or_set<T, F, Fut, E>(&self, key: &Key, loader: F) -> Result<T, CacheError>
    where
        T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.get_or_set_with_ttl(key, key.category().ttl(), loader)
            .await
    }

    /// [`Cache::get_or_set`] with an explicit time to live.
    pub async fn get_or_set_with_ttl<T, F, Fut, E>(
        &self,
        key: &Key,
        ttl: Duration,
        loader: F,
    ) -> Result<T, CacheError>
    where
        T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let category = key.category();
        if let Some(v) = self.lookup::<T>(key).await {
            self.inner.stats.hit(category);
            return Ok(v);
        }
        self.inner.stats.miss(category);
        let flight = {
            let mut flights = self.inner.flights.lock().unwrap_or_else(|p| p.into_inner());
            flights.entry(key.path().to_string()).or_default().clone()
        };
        let result = flight
            .get_or_init(|| self.fill(key, ttl, loader))
            .await
            .clone();
        {
            let mut flights = self.inner.flights.lock().unwrap_or_else(|p| p.into_inner());
            if flights
                .get(key.path())
                .is_some_and(|f| Arc::ptr_eq(f, &flight))
            {
                flights.remove(key.path());
            }
        }
        let shared = result?;
        shared.downcast_ref::<T>().cloned().ok_or_else(|| {
            CacheError::Serialize(format!("key {} is used with two value types", key.path()))
        })
    }

    /// The cached value, if fresh; `None` on a miss and on any cache trouble.
    pub async fn get<T>(&self, key: &Key) -> Option<T>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        let v = self.lookup(key).await;
        match v {
            Some(_) => self.inner.stats.hit(key.category()),
            None => self.inner.stats.miss(key.category()),
        }
        v
    }

    /// Reads and checks an entry. Undecodable values (an old format) are misses.
    async fn lookup<T>(&self, key: &Key) -> Option<T>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        if !self.usable().await {
            return None;
        }
        match self
            .inner
            .store
            .read_fresh(key.category().label(), key.path(), key.gens())
            .await
        {
            Ok(fresh) => decode(fresh),
            Err(_) => {
                self.inner.stats.error(key.category());
                None
            }
        }
    }

    /// The miss path, run once per key at a time: check again (another caller may have just
    /// filled it), note the generations, load under the concurrency cap, store.
    async fn fill<T, F, Fut, E>(
        &self,
        key: &Key,
        ttl: Duration,
        loader: F,
    ) -> Result<Shared, CacheError>
    where
        T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let category = key.category();
        let label = category.label();
        let mut stamps = None;
        if self.usable().await {
            match self.inner.store.read(label, key.path(), key.gens()).await {
                Ok(read) => {
                    let gens: Option<Vec<u64>> = read.gens.iter().copied().collect();
                    if let Some(v) = decode::<T>(read.fresh()) {
                        return Ok(Arc::new(v));
                    }
                    stamps = match gens {
                        Some(g) => Some(g),
                        None => self.inner.store.init_gens(key.gens()).await.ok(),
                    };
                }
                Err(_) => self.inner.stats.error(category),
            }
        }
        let value = {
            let _permit = self
                .inner
                .loads
                .acquire()
                .await
                .map_err(|e| CacheError::Config(e.to_string()))?;
            let started = Instant::now();
            let loaded = loader().await;
            self.inner.stats.loaded(category, started.elapsed());
            loaded.map_err(|e| CacheError::Loader(Arc::from(e.into())))?
        };
        if let Some(stamps) = stamps.filter(|_| !self.inner.pending.is_dirty()) {
            // A write-through (or another process's load) that landed during our load is at
            // least as new as what we loaded: keep it.
            if let Ok(read) = self.inner.store.read(label, key.path(), key.gens()).await
                && let Some(newer) = decode::<T>(read.fresh())
            {
                return Ok(Arc::new(newer));
            }
            let stored = self.to_stored(&value)?;
            if self
                .inner
                .store
                .write(label, key.path(), &stamps, stored, ttl)
                .await
                .is_err()
            {
                self.inner.stats.error(category);
            }
        }
        Ok(Arc::new(value))
    }

    fn to_stored<T: Serialize + Send + Sync + Clone + 'static>(
        &self,
        value: &T,
    ) -> Result<Stored, CacheError> {
        Ok(match &self.inner.store {
            Store::Local(_) => Stored::Typed(Arc::new(value.clone())),
            Store::Redis(_) => Stored::Bytes(
                serde_json::to_vec(value).map_err(|e| CacheError::Serialize(e.to_string()))?,
            ),
        })
    }

    /// Write-through: after the source of truth changed, store the new value under the
    /// current generations. When Redis cannot take it, the entry is deleted on recovery.
    pub async fn put<T>(&self, key: &Key, value: &T) -> Result<Outcome, CacheError>
    where
        T: Serialize + Clone + Send + Sync + 'static,
    {
        let stored = self.to_stored(value)?;
        let op = PendingOp {
            tenant_gen: gen_path(key.tenant(), Scope::Tenant),
            op: Op::Delete(key.path().to_string()),
        };
        if !self.usable().await {
            self.inner.pending.push(op);
            return Ok(Outcome::Deferred);
        }
        let label = key.category().label();
        let written = match self.inner.store.init_gens(key.gens()).await {
            Ok(stamps) => {
                self.inner
                    .store
                    .write(label, key.path(), &stamps, stored, key.category().ttl())
                    .await
            }
            Err(e) => Err(e),
        };
        Ok(match written {
            Ok(()) => Outcome::Applied,
            Err(_) => {
                self.inner.stats.error(key.category());
                self.inner.pending.push(op);
                Outcome::Deferred
            }
        })
    }

    /// Invalidates every entry that depends on `scope` in `tenant`, and nothing else.
    pub async fn invalidate(&self, tenant: TenantId, scope: Scope) -> Outcome {
        let g = gen_path(tenant, scope);
        self.apply(PendingOp {
            tenant_gen: gen_path(tenant, Scope::Tenant),
            op: Op::Bump(g),
        })
        .await
    }

    /// Every entry of one person (profile, permissions, dashboard, predictions, reviews, goals).
    pub async fn invalidate_user(&self, tenant: TenantId, user: UserId) -> Outcome {
        self.invalidate(tenant, Scope::User(user)).await
    }

    pub async fn invalidate_team(&self, tenant: TenantId, team: Uuid) -> Outcome {
        self.invalidate(tenant, Scope::Team(team)).await
    }

    pub async fn invalidate_department(&self, tenant: TenantId, department: Uuid) -> Outcome {
        self.invalidate(tenant, Scope::Department(department)).await
    }

    /// Every entry of the tenant.
    pub async fn invalidate_tenant(&self, tenant: TenantId) -> Outcome {
        self.invalidate(tenant, Scope::Tenant).await
    }

    /// Deletes one entry.
    pub async fn invalidate_key(&self, key: &Key) -> Outcome {
        self.apply(PendingOp {
            tenant_gen: gen_path(key.tenant(), Scope::Tenant),
            op: Op::Delete(key.path().to_string()),
        })
        .await
    }

    async fn apply(&self, op: PendingOp) -> Outcome {
        if !self.usable().await {
            self.inner.pending.push(op);
            return Outcome::Deferred;
        }
        match self.run_op(&op.op).await {
            Ok(()) => Outcome::Applied,
            Err(_) => {
                self.inner.pending.push(op);
                Outcome::Deferred
            }
        }
    }

    async fn run_op(&self, op: &Op) -> Result<(), CacheError> {
        match op {
            Op::Bump(g) => self.inner.store.bump(std::slice::from_ref(g)).await,
            Op::Delete(p) => self.inner.store.delete(p).await,
        }
    }

    /// Whether the cache may be used now: true unless invalidations are queued and cannot
    /// be replayed yet.
    async fn usable(&self) -> bool {
        if !self.inner.pending.is_dirty() {
            return true;
        }
        self.replay().await
    }

    /// Replays queued invalidations; true once none is left.
    pub async fn replay(&self) -> bool {
        let Ok(_guard) = self.inner.replaying.try_lock() else {
            return false;
        };
        let mut ops = self.inner.pending.take().into_iter();
        while let Some(op) = ops.next() {
            if self.run_op(&op.op).await.is_err() {
                let mut failed = vec![op];
                failed.extend(ops);
                self.inner.pending.restore(failed);
                return false;
            }
        }
        let clean = self.inner.pending.finish();
        if clean {
            tracing::info!("cache: queued invalidations replayed");
        }
        clean
    }

    /// Operators' bulk delete: every key of `tenant` (or of all tenants) whose path after the
    /// tenant matches the glob `pattern` (`user:profile:*`). `SCAN` + `UNLINK`, never `KEYS`.
    pub async fn del_pattern(
        &self,
        tenant: Option<TenantId>,
        pattern: &str,
    ) -> Result<u64, CacheError> {
        check_part(pattern)?;
        let (path_pattern, route) = match tenant {
            Some(t) => (format!("{{{t}}}:{pattern}"), Some(format!("{{{t}}}:"))),
            None => (format!("{{*}}:{pattern}"), None),
        };
        self.inner
            .store
            .delete_matching(&path_pattern, route.as_deref())
            .await
    }

    /// Remaining time to live of an entry (`None` when absent).
    pub async fn remaining_ttl(&self, key: &Key) -> Result<Option<Duration>, CacheError> {
        self.inner.store.ttl(key.path()).await
    }

    /// The Redis backend, for the benchmark and `pms cache stats`.
    pub fn redis(&self) -> Option<&redis_store::RedisStore> {
        match &self.inner.store {
            Store::Redis(r) => Some(r),
            Store::Local(_) => None,
        }
    }

    /// Entries held by the in-process backend.
    pub fn local_entries(&self) -> Option<u64> {
        match &self.inner.store {
            Store::Local(l) => Some(l.entry_count()),
            Store::Redis(_) => None,
        }
    }
}

/// The value of a fresh entry, if it decodes as `T` (an old format does not: a miss).
fn decode<T: DeserializeOwned + Clone + 'static>(stored: Option<Stored>) -> Option<T> {
    match stored? {
        Stored::Typed(v) => v.downcast_ref::<T>().cloned(),
        Stored::Bytes(b) => serde_json::from_slice(&b).ok(),
    }
}
