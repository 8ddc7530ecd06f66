//! `pms privacy erase --tenant T --user U`: erasure of one person in every tier pms reaches
//! (archive objects rewritten, hot tables, archive queue, registered hooks, the account, the
//! audit trail, then the cache and the warehouse's Parquet export), with a report of what was
//! done. Refused while a legal hold covers the person.

use crate::context::Database;
use anyhow::Context as _;
use pms_archive::erase::ErasureTier;
use pms_archive::{ArchiveConfig, Archiver};
use pms_cache::{Cache, CacheOptions, Category};
use pms_core::{Config, TenantId, UserId};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Erase a person: their data is deleted, or pseudonymised where compliance keeps it.
    Erase {
        /// The person's tenant.
        #[arg(long)]
        tenant: TenantId,
        /// The person's user id.
        #[arg(long)]
        user: UserId,
    },
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let Action::Erase { tenant, user } = args.action;
    let archive = ArchiveConfig::from_env(&config.data_dir)?;
    let cache =
        Cache::open(CacheOptions::from_config(config)?).context("opening the cache (REDIS_URL)")?;
    let db = Database::open(config, false).await?;
    let pool = db.maintenance_pool().await?;
    // The words that find the person's cached values: read before the account goes.
    let account: Option<(String, String, String)> = sqlx::query_as(
        "SELECT email, first_name, last_name FROM users WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant.as_uuid())
    .bind(user.as_uuid())
    .fetch_optional(&pool)
    .await
    .context("reading the person's account")?;
    let tier = CacheTier::new(
        cache,
        account
            .as_ref()
            .map(|(e, f, l)| (e.as_str(), f.as_str(), l.as_str())),
    );
    // The warehouse's Parquet export, rewritten after the commit where one exists.
    let export_url = match std::env::var("PMS_WAREHOUSE_EXPORT_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => crate::commands::warehouse::export_default_url(config)?,
    };
    let export = pms_warehouse::erasure::ExportTier::new(pool.clone(), export_url);
    let archiver = Archiver::new(pool, &archive)?;
    let report = pms_archive::erase::erase_person_with(
        &archiver,
        tenant.as_uuid(),
        user.as_uuid(),
        &[&tier, &export],
    )
    .await?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// The cache tier of an erasure. Keys that carry the person's id (profile, permissions,
/// dashboard, predictions, their generation counter) are deleted by pattern; entries keyed by
/// something else (a review, a goal, a session, a report) are found by their value naming the
/// person's id, email or full name, and deleted; their login rate-limit window (keyed by a
/// hash of the email) goes too. Their generation counter is among the keys deleted, which
/// makes every entry stamped with it stale (counters restart at a random value), so nothing
/// that depended on them is served again. With the in-process backend, this process holds
/// nothing, and other processes' entries expire with their TTL (at most 24 h).
pub struct CacheTier {
    cache: Cache,
    email: Option<String>,
    needles: Vec<String>,
}

impl CacheTier {
    /// `account` is (email, first name, last name) when the account still exists.
    pub fn new(cache: Cache, account: Option<(&str, &str, &str)>) -> Self {
        let mut needles = Vec::new();
        let mut email = None;
        if let Some((e, f, l)) = account {
            let e = e.trim().to_lowercase();
            if !e.is_empty() {
                needles.push(e.clone());
                email = Some(e);
            }
            let full = format!("{} {}", f.trim(), l.trim()).to_lowercase();
            if full.trim().len() >= 2 {
                needles.push(full);
            }
        }
        Self {
            cache,
            email,
            needles,
        }
    }

    async fn erase_cached(&self, tenant: Uuid, person: Uuid) -> Result<serde_json::Value, String> {
        let t = TenantId(tenant);
        let mut needles = self.needles.clone();
        needles.push(person.to_string());
        let err = |what: &str, e: pms_cache::CacheError| format!("{what}: {e}");
        let with_id = self
            .cache
            .del_pattern(Some(t), &format!("*{person}*"))
            .await
            .map_err(|e| err("deleting keys that carry the id", e))?;
        let mut rate_limits = 0;
        if let Some(email) = &self.email {
            let hash = hex::encode(&Sha256::digest(email.as_bytes())[..16]);
            let seg = Category::RateLimit.segment();
            rate_limits = self
                .cache
                .del_pattern(Some(t), &format!("{seg}:login:account:{hash}"))
                .await
                .map_err(|e| err("deleting the login rate-limit window", e))?;
        }
        let (mut scanned, mut by_value) = (0u64, 0u64);
        if let Some(redis) = self.cache.redis() {
            let route = format!("{{{t}}}:");
            let paths = redis
                .scan_paths(Some(&route), usize::MAX)
                .await
                .map_err(|e| err("scanning the tenant's keys", e))?;
            for path in paths.iter().filter(|p| p.starts_with(&route)) {
                scanned += 1;
                // Counters, rate-limit sets and other non-string keys hold no values of people.
                let Ok(Some(raw)) = redis.raw_get(path).await else {
                    continue;
                };
                let text = String::from_utf8_lossy(&raw).to_lowercase();
                if needles.iter().any(|n| text.contains(n.as_str())) {
                    by_value += self
                        .cache
                        .del_pattern(Some(t), &pms_cache::glob_escape(&path[route.len()..]))
                        .await
                        .map_err(|e| err("deleting an entry that names the person", e))?;
                }
            }
        }
        Ok(serde_json::json!({
            "backend": self.cache.backend(),
            "keys_with_id_deleted": with_id,
            "entries_naming_person_deleted": by_value,
            "rate_limit_keys_deleted": rate_limits,
            "keys_scanned": scanned,
        }))
    }
}

impl ErasureTier for CacheTier {
    fn name(&self) -> &'static str {
        "cache"
    }

    fn erase<'a>(
        &'a self,
        tenant: Uuid,
        person: Uuid,
        _pseudonym: Uuid,
    ) -> Pin<Box<dyn Future<Output = Result<serde_json::Value, String>> + Send + 'a>> {
        Box::pin(self.erase_cached(tenant, person))
    }
}

/// The erasure `pms serve` gives the API (`POST /admin/users/{id}/erasure`): the same steps
/// as `pms privacy erase`, with the maintenance pool, the archive store and the cache tier.
pub struct ApiEraser {
    pool: sqlx::PgPool,
    archive: ArchiveConfig,
    cache: Cache,
}

impl ApiEraser {
    pub fn new(pool: sqlx::PgPool, archive: ArchiveConfig, cache: Cache) -> Self {
        Self {
            pool,
            archive,
            cache,
        }
    }

    async fn run(&self, tenant: TenantId, user: UserId) -> pms_api::erasure::EraseResult {
        use pms_api::erasure::EraseError;
        let failed = |e: &dyn std::fmt::Display| EraseError::Failed(e.to_string());
        let account: Option<(String, String, String)> = sqlx::query_as(
            "SELECT email, first_name, last_name FROM users WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant.as_uuid())
        .bind(user.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| failed(&e))?;
        let tier = CacheTier::new(
            self.cache.clone(),
            account
                .as_ref()
                .map(|(e, f, l)| (e.as_str(), f.as_str(), l.as_str())),
        );
        let archiver = Archiver::new(self.pool.clone(), &self.archive).map_err(|e| failed(&e))?;
        match pms_archive::erase::erase_person_with(
            &archiver,
            tenant.as_uuid(),
            user.as_uuid(),
            &[&tier],
        )
        .await
        {
            Ok(report) => serde_json::to_value(&report).map_err(|e| failed(&e)),
            Err(pms_archive::ArchiveError::Held { .. }) => Err(EraseError::Held),
            Err(e) => Err(failed(&e)),
        }
    }
}

impl pms_api::erasure::PersonEraser for ApiEraser {
    fn erase<'a>(
        &'a self,
        tenant: TenantId,
        person: UserId,
    ) -> Pin<Box<dyn Future<Output = pms_api::erasure::EraseResult> + Send + 'a>> {
        Box::pin(self.run(tenant, person))
    }
}
