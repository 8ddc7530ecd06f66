//! What every request shares: the `pms_app` pool (reachable only through [`crate::db::Db`]),
//! the cache, the session store, the login limiter and the settings.

use crate::config::ApiConfig;
use pms_cache::rate_limit::{LoginLimiter, LoginLimits};
use pms_cache::session::SessionStore;
use pms_cache::{Cache, Category};
use sqlx::PgPool;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Shared by all handlers; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
    /// The console's deliberate cross-tenant path (see [`crate::console::Operations`]); absent,
    /// the console shows its platform tiers as unavailable.
    operations: Option<Arc<crate::console::Operations>>,
}

struct Inner {
    pool: PgPool,
    cache: Cache,
    sessions: SessionStore,
    limiter: LoginLimiter,
    config: ApiConfig,
    login_permits: Semaphore,
    dummy_hash: String,
    eraser: std::sync::OnceLock<Arc<dyn crate::erasure::PersonEraser>>,
}

impl AppState {
    /// `pool` must log in as `pms_app` (the API owns nothing and bypasses no policy).
    pub fn new(pool: PgPool, cache: Cache, config: ApiConfig) -> Result<Self, String> {
        let limits = LoginLimits {
            per_account: config.login_per_account,
            per_address: config.login_per_address,
            window: Category::RateLimit.ttl(),
        };
        // An unknown tenant or email is checked against this hash, so that it costs what a
        // wrong password costs and the answer's timing says nothing about who exists.
        let dummy_hash = pms_seed::password::hash("pms: no such account")?;
        Ok(Self {
            inner: Arc::new(Inner {
                sessions: SessionStore::new(cache.clone(), pool.clone()),
                limiter: LoginLimiter::new(cache.clone(), limits),
                login_permits: Semaphore::new(config.login_concurrency),
                pool,
                cache,
                config,
                dummy_hash,
                eraser: std::sync::OnceLock::new(),
            }),
            operations: None,
        })
    }

    /// Gives the operations console its maintenance connection and storage settings.
    pub fn with_operations(mut self, ops: crate::console::Operations) -> Self {
        self.operations = Some(Arc::new(ops));
        self
    }

    pub(crate) fn operations(&self) -> Option<&crate::console::Operations> {
        self.operations.as_deref()
    }

    pub fn cache(&self) -> &Cache {
        &self.inner.cache
    }

    pub fn config(&self) -> &ApiConfig {
        &self.inner.config
    }

    pub fn sessions(&self) -> &SessionStore {
        &self.inner.sessions
    }

    pub(crate) fn limiter(&self) -> &LoginLimiter {
        &self.inner.limiter
    }

    pub(crate) fn login_permits(&self) -> &Semaphore {
        &self.inner.login_permits
    }

    pub(crate) fn dummy_hash(&self) -> &str {
        &self.inner.dummy_hash
    }

    /// Gives the API the erasure of `pms privacy erase` (set once, by `pms serve` or a test);
    /// false if one was set already.
    pub fn set_eraser(&self, eraser: Arc<dyn crate::erasure::PersonEraser>) -> bool {
        self.inner.eraser.set(eraser).is_ok()
    }

    pub(crate) fn eraser(&self) -> Option<&Arc<dyn crate::erasure::PersonEraser>> {
        self.inner.eraser.get()
    }

    /// Only the transaction types (`db`, the login's pre-session lookups, `/ready`) use this.
    pub(crate) fn pool(&self) -> &PgPool {
        &self.inner.pool
    }
}
