//! The TimescaleDB backend: the same public names over hypertables, continuous aggregates and
//! TimescaleDB's compression and retention. Each test needs the extension (a private cluster
//! preloads it, or `PMS_TEST_TIMESCALE_URL`); without it each prints `SKIPPED` and returns.

use pms_test_support::timescale::TimescaleDb;
use sqlx::PgPool;
use uuid::Uuid;

macro_rules! timescale_db {
    ($test:expr) => {
        match TimescaleDb::new($test).await? {
            Some(db) => db,
            None => return Ok(()),
        }
    };
}

const TABLES: [&str; 4] = [
    "performance_metrics_ts",
    "engagement_metrics_ts",
    "goal_progress_ts",
    "feedback_activity_ts",
];

/// A tenant with a department, a team (first half of the users) and `n` users.
struct Org {
    tenant: Uuid,
    department: Uuid,
    team: Uuid,
    users: Vec<Uuid>,
}

async fn org(pool: &PgPool, slug: &str, n: usize) -> anyhow::Result<Org> {
    let (tenant, department, team) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
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
        sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name, department_id) VALUES ($1, $2, $3, 'U', 'Ser', $4)")
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

#[tokio::test]
async fn hypertables_keep_the_registry_chunk_intervals_and_policies() -> anyhow::Result<()> {
    let db = timescale_db!("hypertables_keep_the_registry_chunk_intervals_and_policies");
    let mut admin = db.admin().await?;
    for t in TABLES {
        let (registry, timescale): (String, String) = sqlx::query_as(
            "SELECT h.chunk_interval::text, d.time_interval::text
             FROM timeseries.hypertables h
             JOIN timescaledb_information.dimensions d
               ON d.hypertable_schema = 'timeseries' AND d.hypertable_name = h.name || '_hyper'
             WHERE h.name = $1",
        )
        .bind(t)
        .fetch_one(&mut admin)
        .await?;
        println!("{t}: registry {registry}, timescaledb {timescale}");
    }
    Ok(())
}
