//! Shared setup: a tenant with a department, a team and users, made as pms_maintenance.
#![allow(dead_code)]

use pms_test_support::TestDb;
use uuid::Uuid;

pub struct Org {
    pub tenant: Uuid,
    pub department: Uuid,
    pub team: Uuid,
    pub users: Vec<Uuid>,
}

/// A tenant with `n` users: all in one department; the first half also in one team.
pub async fn org(db: &TestDb, slug: &str, n: usize) -> anyhow::Result<Org> {
    org_in(&db.maintenance, slug, n).await
}

/// As [`org`], through any pool of a role that may write every tenant (pms_maintenance).
pub async fn org_in(pool: &sqlx::PgPool, slug: &str, n: usize) -> anyhow::Result<Org> {
    let tenant = Uuid::now_v7();
    let department = Uuid::now_v7();
    let team = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $2)")
        .bind(tenant)
        .bind(slug)
        .execute(pool)
        .await?;
    sqlx::query(
        "INSERT INTO departments (tenant_id, id, code, name) VALUES ($1, $2, 'ENG', 'Engineering')",
    )
    .bind(tenant)
    .bind(department)
    .execute(pool)
    .await?;
    sqlx::query("INSERT INTO teams (tenant_id, id, code, name, department_id) VALUES ($1, $2, 'CORE', 'Core', $3)")
        .bind(tenant)
        .bind(team)
        .bind(department)
        .execute(pool)
        .await?;
    let mut users = Vec::new();
    for i in 0..n {
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO users (tenant_id, id, email, first_name, last_name, department_id) VALUES ($1, $2, $3, 'U', 'Ser', $4)",
        )
        .bind(tenant)
        .bind(id)
        .bind(format!("u{i}@{slug}.example.com"))
        .bind(department)
        .execute(pool)
        .await?;
        if i < n / 2 {
            sqlx::query(
                "INSERT INTO team_members (tenant_id, team_id, user_id) VALUES ($1, $2, $3)",
            )
            .bind(tenant)
            .bind(team)
            .bind(id)
            .execute(pool)
            .await?;
        }
        users.push(id);
    }
    Ok(Org {
        tenant,
        department,
        team,
        users,
    })
}

/// Loads `rows` through the platform's ingest path with default options, numbering them as
/// lines 1.. of an input.
pub async fn ingest_rows(
    pool: &sqlx::PgPool,
    rows: Vec<pms_timeseries::ingest::MetricRow>,
) -> anyhow::Result<pms_timeseries::ingest::IngestSummary> {
    let records = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 1, Ok(r)));
    Ok(pms_timeseries::ingest::ingest(
        pool,
        records,
        &pms_timeseries::ingest::IngestOptions::default(),
        &mut |_| {},
    )
    .await?)
}

/// Refreshes every grain of every rollup on TimescaleDB now: its continuous aggregates (person,
/// then tenant) as the owner, then the team and department rows as `pms_maintenance`, as the
/// worker's rollup job does. Returns how many continuous aggregates were refreshed.
pub async fn refresh_timescale_rollups(
    db: &pms_test_support::timescale::TimescaleDb,
) -> anyhow::Result<usize> {
    let mut owner = db.owner().await?;
    let n = pms_timeseries::backend::refresh_continuous_aggregates(&mut owner).await?;
    sqlx::Connection::close(owner).await?;
    sqlx::query("SELECT timeseries.refresh_all_rollups()")
        .execute(&db.maintenance)
        .await?;
    Ok(n)
}
