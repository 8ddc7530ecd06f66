//! Verified bulk-load sessions: how `pms seed --employees` loads a fresh tenant fast while the
//! database still checks every row.
//!
//! A bulk-load session is a connection of the administrative (superuser) login put in
//! `session_replication_role = replica`, so PostgreSQL's per-row foreign-key triggers do not
//! fire, then switched to `pms_maintenance` for the writes. In each batch transaction the loader
//! names the tenant (`app.tenant_id`) and the batch (`pms.bulk_load`); the statement trigger
//! `bulk_load_verify` of every bulk-enabled table then checks the statement's rows set-based
//! (tenant, one anti-join per foreign key, with the referenced rows locked) and records them in
//! `pms_meta.bulk_loads`, which the audit chain gets as one entry per table and batch at commit.
//! A bad reference fails the statement, so the whole batch rolls back. See migration
//! `20261126300000_create_verified_bulk_load.sql` for the rules and the reasons.

use super::error::SeedError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions as _, Connection as _, Executor as _, PgConnection, PgPool};
use std::time::Duration;
use uuid::Uuid;

/// The tables a generated tenant's employee batches load through verified statements (and the
/// ledger of batches): each must be enabled for verified bulk loads
/// (`pms_meta.enable_bulk_load`). The batches' other rows go to the tenant's own partitions
/// ([`super::generate::TENANT_PARTITIONED`]), checked when those are built.
pub const BULK_TABLES: &[&str] = &["users", "seed_batches"];

/// How a bulk-load session compresses the full-page images it writes to the WAL (the
/// superuser-only setting `wal_compression`) unless told otherwise: after each checkpoint the
/// first change to an index page logs the whole page, and a seed changes many index pages.
pub const DEFAULT_WAL_COMPRESSION: &str = "lz4";

/// The values `wal_compression` takes in PostgreSQL 15 (lz4 and zstd only where the server was
/// built with them; the server refuses the setting otherwise).
pub const WAL_COMPRESSION_METHODS: &[&str] = &["off", "pglz", "lz4", "zstd"];

/// A pool of bulk-load sessions, with [`DEFAULT_WAL_COMPRESSION`]; see [`bulk_pool_with`].
pub async fn bulk_pool(admin: PgConnectOptions, connections: u32) -> Result<PgPool, SeedError> {
    bulk_pool_with(admin, connections, DEFAULT_WAL_COMPRESSION).await
}

/// Sets `wal_compression` for this session (a superuser setting; `method` is one of
/// [`WAL_COMPRESSION_METHODS`]). The seed benchmark gives its baselines the same setting as the
/// seed's sessions, so both sides write their WAL alike.
pub async fn set_wal_compression(conn: &mut PgConnection, method: &str) -> Result<(), SeedError> {
    if !WAL_COMPRESSION_METHODS.contains(&method) {
        return Err(SeedError::BadWalCompression(method.to_string()));
    }
    Ok(apply_wal_compression(conn, method).await?)
}

/// The setting itself, without checking `method` (for `after_connect` hooks, once the method
/// has been checked by [`set_wal_compression`]).
pub async fn apply_wal_compression(conn: &mut PgConnection, method: &str) -> sqlx::Result<()> {
    sqlx::query("SELECT set_config('wal_compression', $1, false)")
        .bind(method)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A pool of bulk-load sessions that compress their WAL with `wal_compression` (one of
/// [`WAL_COMPRESSION_METHODS`]). `admin` must log in as a superuser (the only role that may set
/// `session_replication_role`); anything else gives [`SeedError::BulkNeedsSuperuser`], and the
/// caller can fall back to per-row checks.
pub async fn bulk_pool_with(
    admin: PgConnectOptions,
    connections: u32,
    wal_compression: &str,
) -> Result<PgPool, SeedError> {
    // One probe first: a login that may not set the parameter is a clear error, not a pool
    // that retries until it times out.
    let mut probe = admin.connect().await?;
    if let Err(e) = probe
        .execute("SET session_replication_role = replica")
        .await
    {
        return Err(match &e {
            sqlx::Error::Database(d) if d.code().as_deref() == Some("42501") => {
                SeedError::BulkNeedsSuperuser(d.message().to_string())
            }
            _ => SeedError::Db(e),
        });
    }
    // The method is checked here, once, with a clear error (the server may lack lz4 or zstd).
    set_wal_compression(&mut probe, wal_compression).await?;
    let _ = probe.close().await;
    let wal_compression = wal_compression.to_string();
    let pool = PgPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            let wal_compression = wal_compression.clone();
            Box::pin(async move {
                pms_db::nodelay::apply();
                apply_wal_compression(conn, &wal_compression).await?;
                conn.execute("SET session_replication_role = replica; SET ROLE pms_maintenance")
                    .await?;
                Ok(())
            })
        })
        .connect_lazy_with(admin);
    let mut conn = pool.acquire().await?;
    check_session(&mut conn).await?;
    Ok(pool)
}

/// Refuses a connection that is not a bulk-load session, or a schema where a table the seed
/// loads is not enabled for verified bulk loads (its foreign keys would go unchecked).
pub async fn check_session(conn: &mut PgConnection) -> Result<(), SeedError> {
    let role: String = sqlx::query_scalar("SELECT current_setting('session_replication_role')")
        .fetch_one(&mut *conn)
        .await?;
    if role != "replica" {
        return Err(SeedError::NotBulkSession(role));
    }
    let tables: Vec<String> = BULK_TABLES.iter().map(|t| t.to_string()).collect();
    let missing: Vec<String> = sqlx::query_scalar(
        "SELECT t.name FROM unnest($1::text[]) AS t (name)
          WHERE NOT EXISTS (SELECT 1 FROM pg_trigger g
                             WHERE g.tgrelid = to_regclass('public.' || quote_ident(t.name))
                               AND g.tgname = 'bulk_load_verify' AND g.tgenabled = 'A')",
    )
    .bind(&tables)
    .fetch_all(&mut *conn)
    .await?;
    if !missing.is_empty() {
        return Err(SeedError::NotBulkEnabled(missing.join(", ")));
    }
    Ok(())
}

/// Starts a verified batch in the open transaction of a bulk-load session: the tenant every row
/// must belong to, and the batch name recorded with each statement.
pub async fn begin_batch(
    conn: &mut PgConnection,
    tenant: Uuid,
    batch: &str,
) -> Result<(), SeedError> {
    sqlx::query(
        "SELECT set_config('app.tenant_id', $1, true), set_config('pms.bulk_load', $2, true)",
    )
    .bind(tenant.to_string())
    .bind(batch)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
