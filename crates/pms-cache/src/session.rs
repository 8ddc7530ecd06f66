//! Login sessions. PostgreSQL's `sessions` table is the record; the cache only saves the
//! lookup. A cache failure falls through to PostgreSQL, never to "valid"; a database failure
//! is an error, never "valid". Keys use the SHA-256 of the token, as the table does.

use crate::{Cache, CacheError, Key, Outcome, Scope};
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

/// A live session as the API needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: Uuid,
    pub tenant: TenantId,
    pub user: UserId,
    /// Unix seconds.
    pub expires_at: i64,
    /// Unix seconds of the last recorded activity (for the idle timeout); refreshed by
    /// [`SessionStore::touch`], at most as often as the caller chooses.
    #[serde(default)]
    pub last_seen_at: i64,
}

/// The SHA-256 of a token: what the table and the cache key hold.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[derive(Debug, thiserror::Error)]
#[error("no such session")]
struct NoSession;

/// Sessions backed by PostgreSQL (as `pms_app`, under the tenant's RLS) and sped up by the
/// cache.
#[derive(Clone)]
pub struct SessionStore {
    cache: Cache,
    pool: PgPool,
}

fn db(e: sqlx::Error) -> CacheError {
    CacheError::Database(e.to_string())
}

fn check_token(token: &str) -> Result<(), CacheError> {
    if token.len() < 16 || token.len() > 512 || token.chars().any(char::is_control) {
        return Err(CacheError::InvalidKey(
            "a session token must be 16 to 512 printable characters".into(),
        ));
    }
    Ok(())
}

impl SessionStore {
    pub fn new(cache: Cache, pool: PgPool) -> Self {
        Self { cache, pool }
    }

    /// Records a new session for `user` that lasts `ttl`.
    pub async fn create(
        &self,
        tenant: TenantId,
        user: UserId,
        token: &str,
        ttl: Duration,
    ) -> Result<Session, CacheError> {
        check_token(token)?;
        let secs = i64::try_from(ttl.as_secs())
            .unwrap_or(i64::MAX)
            .clamp(1, 366 * 86_400);
        let mut tx = TenantTx::begin(&self.pool, tenant, Some(user))
            .await
            .map_err(db)?;
        let (id, expires, seen): (Uuid, OffsetDateTime, OffsetDateTime) = sqlx::query_as(
            "INSERT INTO sessions (tenant_id, user_id, token_hash, expires_at)
             VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING id, expires_at, last_seen_at",
        )
        .bind(tenant.as_uuid())
        .bind(user.as_uuid())
        .bind(token_hash(token).as_slice())
        .bind(secs as f64)
        .fetch_one(&mut **tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(Session {
            id,
            tenant,
            user,
            expires_at: expires.unix_timestamp(),
            last_seen_at: seen.unix_timestamp(),
        })
    }

    /// Records activity on the session of `token` now (PostgreSQL first, then the cached
    /// lookup is dropped so the next one sees the new time). Returns whether a live session
    /// was touched.
    pub async fn touch(&self, tenant: TenantId, token: &str) -> Result<bool, CacheError> {
        check_token(token)?;
        let hash = token_hash(token);
        let mut tx = TenantTx::begin(&self.pool, tenant, None)
            .await
            .map_err(db)?;
        let n = sqlx::query(
            "UPDATE sessions SET last_seen_at = now()
             WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()",
        )
        .bind(hash.as_slice())
        .execute(&mut **tx)
        .await
        .map_err(db)?
        .rows_affected();
        tx.commit().await.map_err(db)?;
        self.cache.invalidate(tenant, Scope::Session(hash)).await;
        Ok(n > 0)
    }

    /// The live session of `token` in `tenant`, or `None` (unknown, revoked or expired).
    pub async fn lookup(
        &self,
        tenant: TenantId,
        token: &str,
    ) -> Result<Option<Session>, CacheError> {
        check_token(token)?;
        let hash = token_hash(token);
        let key = Key::session(tenant, &hash);
        let pool = self.pool.clone();
        let found = self
            .cache
            .get_or_set(&key, || async move {
                let mut tx = TenantTx::begin(&pool, tenant, None).await?;
                let row: Option<(Uuid, Uuid, OffsetDateTime, OffsetDateTime)> = sqlx::query_as(
                    "SELECT id, user_id, expires_at, last_seen_at FROM sessions
                     WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()",
                )
                .bind(hash.as_slice())
                .fetch_optional(&mut **tx)
                .await?;
                tx.commit().await?;
                match row {
                    Some((id, user, expires, seen)) => Ok(Session {
                        id,
                        tenant,
                        user: UserId(user),
                        expires_at: expires.unix_timestamp(),
                        last_seen_at: seen.unix_timestamp(),
                    }),
                    None => Err(Box::new(NoSession) as Box<dyn std::error::Error + Send + Sync>),
                }
            })
            .await;
        match found {
            Ok(s)
                if s.expires_at > OffsetDateTime::now_utc().unix_timestamp()
                    && s.tenant == tenant =>
            {
                Ok(Some(s))
            }
            Ok(_) => Ok(None),
            Err(CacheError::Loader(e)) if e.downcast_ref::<NoSession>().is_some() => Ok(None),
            Err(CacheError::Loader(e)) => Err(CacheError::Database(e.to_string())),
            Err(e) => Err(e),
        }
    }

    /// Revokes the session of `token`: PostgreSQL first (the record), then the cache entry
    /// is invalidated. `Outcome::Deferred` means Redis was unreachable: the invalidation is
    /// replayed before this process reads the cache again.
    pub async fn revoke(
        &self,
        tenant: TenantId,
        token: &str,
    ) -> Result<(bool, Outcome), CacheError> {
        check_token(token)?;
        let hash = token_hash(token);
        let mut tx = TenantTx::begin(&self.pool, tenant, None)
            .await
            .map_err(db)?;
        let n = sqlx::query(
            "UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(hash.as_slice())
        .execute(&mut **tx)
        .await
        .map_err(db)?
        .rows_affected();
        tx.commit().await.map_err(db)?;
        let outcome = self.cache.invalidate(tenant, Scope::Session(hash)).await;
        Ok((n > 0, outcome))
    }

    /// Revokes every live session of a person (password change, offboarding).
    pub async fn revoke_user(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<(u64, Outcome), CacheError> {
        let mut tx = TenantTx::begin(&self.pool, tenant, None)
            .await
            .map_err(db)?;
        let hashes: Vec<Vec<u8>> = sqlx::query_scalar(
            "UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING token_hash",
        )
        .bind(user.as_uuid())
        .fetch_all(&mut **tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        let mut outcome = Outcome::Applied;
        for h in &hashes {
            let Ok(hash) = <[u8; 32]>::try_from(h.as_slice()) else {
                continue;
            };
            if self.cache.invalidate(tenant, Scope::Session(hash)).await == Outcome::Deferred {
                outcome = Outcome::Deferred;
            }
        }
        Ok((hashes.len() as u64, outcome))
    }
}
