//! Fixtures for the archive tests: tenant tables created as the owner (tenant-scoped, forced
//! RLS, like every real table) and registered for retention, and old rows to archive.
#![allow(dead_code)]

use pms_archive::{ArchiveConfig, Archiver};
use pms_test_support::TestDb;
use sqlx::{Executor, PgPool};
use uuid::Uuid;

pub const FIXTURES: &str = r#"
CREATE TABLE fx_goals (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    owner_id uuid,
    title text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX fx_goals_owner_idx ON fx_goals (tenant_id, owner_id);
CREATE INDEX fx_goals_created_idx ON fx_goals (tenant_id, created_at, id);
CREATE TABLE fx_reviews (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    employee_id uuid NOT NULL,
    reviewer_id uuid,
    comments text NOT NULL,
    rating smallint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, reviewer_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX fx_reviews_employee_idx ON fx_reviews (tenant_id, employee_id);
CREATE INDEX fx_reviews_reviewer_idx ON fx_reviews (tenant_id, reviewer_id);
CREATE TABLE fx_notifications (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
SELECT pms_meta.enable_tenant_rls(t) FROM unnest(ARRAY['fx_goals', 'fx_reviews', 'fx_notifications']::regclass[]) t;
SELECT pms_retention.register_entity('Goal', 'fx_goals', '{owner_id}');
SELECT pms_retention.register_entity('PerformanceReview', 'fx_reviews', '{employee_id,reviewer_id}');
SELECT pms_retention.register_entity('Notification', 'fx_notifications', '{user_id}');
INSERT INTO pms_retention.erasure_rules (table_name, column_name, action, entity_type, reason) VALUES
    ('fx_goals', 'owner_id', 'DELETE', NULL, 'their goals'),
    ('fx_goals', 'title', 'SCRUB', NULL, 'free text'),
    ('fx_reviews', 'employee_id', 'COMPLIANCE', 'PerformanceReview', 'reviews of them'),
    ('fx_reviews', 'reviewer_id', 'PSEUDONYMISE', NULL, 'a review they wrote is the reviewee''s'),
    ('fx_reviews', 'comments', 'SCRUB', NULL, 'free text'),
    ('fx_notifications', 'user_id', 'DELETE', NULL, 'notifications to them'),
    ('fx_notifications', 'body', 'SCRUB', NULL, 'free text');
"#;

/// A test database with the fixture tables registered.
pub async fn db() -> anyhow::Result<TestDb> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    owner.execute(FIXTURES).await?;
    Ok(db)
}

pub async fn tenant(db: &TestDb, slug: &str) -> anyhow::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $2)")
        .bind(id)
        .bind(slug)
        .execute(&db.maintenance)
        .await?;
    Ok(id)
}

pub async fn user(
    pool: &PgPool,
    tenant: Uuid,
    email: &str,
    first: &str,
    last: &str,
) -> anyhow::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name) VALUES ($1, $2, $3, $4, $5)")
        .bind(tenant)
        .bind(id)
        .bind(email)
        .bind(first)
        .bind(last)
        .execute(pool)
        .await?;
    Ok(id)
}

/// `n` goals of `tenant` created `age` ago (an interval such as '6 years').
pub async fn old_goals(pool: &PgPool, tenant: Uuid, n: i64, age: &str) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO fx_goals (tenant_id, title, created_at)
         SELECT $1, 'goal ' || g, now() - $3::interval - g * interval '1 minute' FROM generate_series(1, $2) g",
    )
    .bind(tenant)
    .bind(n)
    .bind(age)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn count(pool: &PgPool, sql: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(pool)
        .await?)
}

/// An archiver on the maintenance pool writing under `dir`.
pub fn archiver(db: &TestDb, dir: &std::path::Path, batch: u32) -> anyhow::Result<Archiver> {
    let mut cfg = ArchiveConfig::for_url(format!("file://{}", dir.display()));
    cfg.batch_size = batch;
    Ok(Archiver::new(db.maintenance.clone(), &cfg)?)
}

/// Ledger and store agree 1:1 and every archived row is indexed once.
pub async fn assert_consistent(a: &Archiver) -> anyhow::Result<()> {
    let report = pms_archive::verify::verify(&a.pool, &a.store, None).await?;
    assert!(
        report.problems.is_empty(),
        "verify found: {:#?}",
        report.problems
    );
    assert_eq!(
        report.objects, report.batches,
        "objects and ledger rows differ"
    );
    Ok(())
}

pub fn no_progress(_: &pms_archive::Progress) {}

pub fn tempdir(tag: &str) -> anyhow::Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!("pms-archive-{tag}-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
