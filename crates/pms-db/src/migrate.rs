//! Forward-only migrations and the replaceable SQL folder, applied under an advisory lock.
//!
//! * `migrations/NNNN_verb_object.sql`: each applied once, in name order, in its own
//!   transaction, as `pms_owner`; its checksum is recorded and must never change.
//! * `sql/replaceable/*.sql`: functions, views and triggers written with `CREATE OR REPLACE`;
//!   all of them are re-applied, in name order, in one transaction whenever their combined
//!   text changes (the Lemmy approach), so nobody hand-writes a migration for a function.
//! * then, on every run, the partitions by time range for the instant it runs at
//!   ([`crate::time_partitions`]): a migrated database is ready for its first ingest.

use crate::bootstrap;
pub use crate::migrate_error::MigrateError;
use sha2::{Digest, Sha256};
use sqlx::{Connection, Executor, PgConnection};
use std::time::Instant;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_sql.rs"));
}

/// The advisory lock key that serialises `pms migrate` runs on one database.
pub const MIGRATION_LOCK_KEY: i64 = 0x706d_735f_6d69_6772; // "pms_migr"

/// One embedded migration.
#[derive(Debug, Clone)]
pub struct Migration {
    pub name: &'static str,
    pub sql: &'static str,
    pub checksum: Vec<u8>,
}

impl Migration {
    /// A migration from a name and its SQL (the embedded ones come from [`migrations`]).
    pub fn new(name: &'static str, sql: &'static str) -> Self {
        Self {
            name,
            sql,
            checksum: Sha256::digest(sql.as_bytes()).to_vec(),
        }
    }
}

/// The embedded migrations, in the order they apply.
pub fn migrations() -> Vec<Migration> {
    embedded::MIGRATIONS
        .iter()
        .map(|(name, sql)| Migration {
            name,
            sql,
            checksum: Sha256::digest(sql.as_bytes()).to_vec(),
        })
        .collect()
}

/// The embedded replaceable files, in the order they apply.
pub fn replaceable() -> &'static [(&'static str, &'static str)] {
    embedded::REPLACEABLE
}

/// One checksum over every replaceable file's name and text.
pub fn replaceable_checksum() -> Vec<u8> {
    checksum_of(embedded::REPLACEABLE)
}

fn checksum_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut h = Sha256::new();
    for (name, sql) in files {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(sql.as_bytes());
        h.update([0]);
    }
    h.finalize().to_vec()
}

/// A checksum over everything `migrate` would apply: names the test template database.
pub fn schema_fingerprint() -> String {
    let mut h = Sha256::new();
    for m in migrations() {
        h.update(m.name.as_bytes());
        h.update(&m.checksum);
    }
    h.update(replaceable_checksum());
    h.update(bootstrap::BOOTSTRAP_SQL.as_bytes());
    hex::encode(&h.finalize()[..8])
}

/// State of one migration in `pms migrate status`.
#[derive(Debug, Clone)]
pub struct MigrationStatus {
    pub name: String,
    pub applied_at: Option<time::OffsetDateTime>,
    pub duration_ms: Option<i64>,
}

/// What `migrate` did.
#[derive(Debug, Default, Clone)]
pub struct MigrateReport {
    pub applied: Vec<String>,
    pub replaceable_reapplied: bool,
    /// The partitions by time range made for the instant of this run (always `Some` once
    /// `migrate` returns `Ok`).
    pub time_partitions: Option<crate::time_partitions::Prepared>,
    /// On a Citus coordinator with workers: where each table went ([`crate::citus::distribute`]).
    pub citus: Option<Vec<crate::citus::Placement>>,
}

async fn ensure_meta(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    // One statement per query: on a Citus coordinator these tables are reference tables, and
    // Citus forwards a DDL statement's whole query text to the workers.
    for sql in [
        "CREATE SCHEMA IF NOT EXISTS pms_meta AUTHORIZATION pms_owner",
        "CREATE TABLE IF NOT EXISTS pms_meta.migrations (
             name text PRIMARY KEY,
             checksum bytea NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now(),
             duration_ms bigint NOT NULL
         )",
        "CREATE TABLE IF NOT EXISTS pms_meta.replaceable (
             id boolean PRIMARY KEY DEFAULT true CHECK (id),
             checksum bytea NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
        "ALTER TABLE pms_meta.migrations OWNER TO pms_owner",
        "ALTER TABLE pms_meta.replaceable OWNER TO pms_owner",
    ] {
        conn.execute(sql).await?;
    }
    Ok(())
}

/// Applies bootstrap, pending migrations and changed replaceable SQL. `conn` must belong to a
/// superuser (or a role that can create roles and is a member of `pms_owner`).
pub async fn migrate(conn: &mut PgConnection) -> Result<MigrateReport, MigrateError> {
    migrate_with(conn, &migrations(), replaceable()).await
}

/// As [`migrate`], with an explicit list of migrations and replaceable files (tests use this
/// to show that a failing migration leaves nothing behind).
pub async fn migrate_with(
    conn: &mut PgConnection,
    known: &[Migration],
    replaceable: &[(&'static str, &'static str)],
) -> Result<MigrateReport, MigrateError> {
    conn.execute(sqlx::query("SELECT pg_advisory_lock($1)").bind(MIGRATION_LOCK_KEY))
        .await?;
    let result = migrate_locked(conn, known, replaceable).await;
    let _ = conn
        .execute(sqlx::query("SELECT pg_advisory_unlock($1)").bind(MIGRATION_LOCK_KEY))
        .await;
    result
}

async fn migrate_locked(
    conn: &mut PgConnection,
    known: &[Migration],
    replaceable: &[(&'static str, &'static str)],
) -> Result<MigrateReport, MigrateError> {
    bootstrap::run(conn).await?;
    let citus = crate::citus::has_workers(conn).await?;
    if citus {
        let refused = crate::citus::prepare_workers(conn).await?;
        if !refused.is_empty() {
            return Err(MigrateError::Citus(format!(
                "workers refused the preparation: {}",
                refused.join("; ")
            )));
        }
    }
    ensure_meta(conn).await?;
    let applied: Vec<(String, Vec<u8>)> =
        sqlx::query_as("SELECT name, checksum FROM pms_meta.migrations ORDER BY name")
            .fetch_all(&mut *conn)
            .await?;
    for (name, checksum) in &applied {
        match known.iter().find(|m| m.name == name) {
            None => return Err(MigrateError::Unknown { name: name.clone() }),
            Some(m) if &m.checksum != checksum => {
                return Err(MigrateError::Changed { name: name.clone() });
            }
            Some(_) => {}
        }
    }
    let mut report = MigrateReport::default();
    for m in known
        .iter()
        .filter(|m| !applied.iter().any(|(n, _)| n == m.name))
    {
        let started = Instant::now();
        let mut tx = conn.begin().await?;
        tx.execute("SET LOCAL ROLE pms_owner").await?;
        tx.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(m.sql)))
            .await
            .map_err(|source| MigrateError::Migration {
                name: m.name.to_string(),
                source,
            })?;
        tx.execute("RESET ROLE").await?;
        sqlx::query(
            "INSERT INTO pms_meta.migrations (name, checksum, duration_ms) VALUES ($1, $2, $3)",
        )
        .bind(m.name)
        .bind(&m.checksum)
        .bind(started.elapsed().as_millis() as i64)
        .execute(&mut *tx)
        .await?;
        tx.commit()
            .await
            .map_err(|source| MigrateError::Migration {
                name: m.name.to_string(),
                source,
            })?;
        tracing::info!(
            migration = m.name,
            duration_ms = started.elapsed().as_millis() as u64,
            "applied migration"
        );
        report.applied.push(m.name.to_string());
    }
    let stored: Option<Vec<u8>> = sqlx::query_scalar("SELECT checksum FROM pms_meta.replaceable")
        .fetch_optional(&mut *conn)
        .await?;
    let wanted = checksum_of(replaceable);
    if stored.as_deref() != Some(wanted.as_slice()) {
        let mut tx = conn.begin().await?;
        tx.execute("SET LOCAL ROLE pms_owner").await?;
        for (name, sql) in replaceable {
            tx.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(*sql)))
                .await
                .map_err(|source| MigrateError::Replaceable {
                    name: name.to_string(),
                    source,
                })?;
        }
        tx.execute("RESET ROLE").await?;
        sqlx::query(
            "INSERT INTO pms_meta.replaceable (id, checksum) VALUES (true, $1)
             ON CONFLICT (id) DO UPDATE SET checksum = excluded.checksum, applied_at = now()",
        )
        .bind(&wanted)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        report.replaceable_reapplied = true;
        tracing::info!(files = replaceable.len(), "re-applied replaceable SQL");
    }
    // Every run, not only when something was applied: the partitions follow the clock.
    let mut tx = conn.begin().await?;
    tx.execute("SET LOCAL ROLE pms_owner").await?;
    let prepared = crate::time_partitions::prepare(&mut tx, None)
        .await
        .map_err(MigrateError::TimePartitions)?;
    tx.execute("RESET ROLE").await?;
    tx.commit().await.map_err(MigrateError::TimePartitions)?;
    tracing::info!(
        at = %prepared.at,
        backend = %prepared.backend,
        chunks_created = prepared.chunks_created,
        audit_partitions_created = prepared.audit_partitions_created,
        "partitions by time range ready"
    );
    report.time_partitions = Some(prepared);
    if citus {
        report.citus = Some(crate::citus::distribute(conn).await?);
    }
    Ok(report)
}

/// Lists every embedded migration with when it was applied (None = pending).
pub async fn status(conn: &mut PgConnection) -> Result<Vec<MigrationStatus>, sqlx::Error> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('pms_meta.migrations') IS NOT NULL")
        .fetch_one(&mut *conn)
        .await?;
    let applied: Vec<(String, time::OffsetDateTime, i64)> = if exists {
        sqlx::query_as("SELECT name, applied_at, duration_ms FROM pms_meta.migrations")
            .fetch_all(&mut *conn)
            .await?
    } else {
        Vec::new()
    };
    Ok(migrations()
        .into_iter()
        .map(|m| {
            let a = applied.iter().find(|(n, _, _)| n == m.name);
            MigrationStatus {
                name: m.name.to_string(),
                applied_at: a.map(|(_, t, _)| *t),
                duration_ms: a.map(|(_, _, d)| *d),
            }
        })
        .collect())
}
