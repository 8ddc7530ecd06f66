//! Team and department rollup rows follow membership changes (native engine): after buckets
//! are materialized, people move between departments and teams, leave teams, are deleted, and
//! a team is deleted; once the rollups are refreshed every team and department row (read as
//! the application) equals the aggregate of the raw points over the current membership, the
//! rows of untouched groups are unchanged, and the queue of changed groups is per tenant and
//! closed to the application.

mod common;

use anyhow::Context;
use pms_core::TenantId;
use pms_db::TenantTx;
use pms_test_support::TestDb;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// (public rollup, hypertable, bucket width)
const ROLLUPS: [(&str, &str, &str); 3] = [
    (
        "performance_metrics_daily",
        "performance_metrics_ts",
        "1 day",
    ),
    (
        "performance_metrics_monthly",
        "performance_metrics_ts",
        "1 month",
    ),
    (
        "engagement_metrics_weekly",
        "engagement_metrics_ts",
        "7 days",
    ),
];

/// 70 days of points for every user of the tenant, in both hypertables, before the UTC day of
/// `at` (hours, not days, are subtracted: they do not depend on the server's TimeZone).
async fn seed_points(db: &TestDb, tenant: Uuid, at: OffsetDateTime) -> anyhow::Result<()> {
    for (table, metrics) in [
        ("performance_metrics_ts", "ARRAY['quality', 'productivity']"),
        ("engagement_metrics_ts", "ARRAY['engagement_score']"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table}
             SELECT u.tenant_id, u.id, m, (abs(hashtext(u.id::text || m || d)) % 10000) / 100.0,
                    timeseries.bucket('1 day', $2) - make_interval(hours => 24 * d - d % 24)
             FROM users u, unnest({metrics}) m, generate_series(1, 70) d
             WHERE u.tenant_id = $1"
        )))
        .bind(tenant)
        .bind(at)
        .execute(&db.maintenance)
        .await?;
    }
    Ok(())
}

/// Refreshes every rollup as of `at`: the tests pin one instant, so that a later refresh does
/// not materialize a bucket that a week, month or day boundary completed in between (the
/// untouched groups' rows are compared across refreshes).
async fn refresh(db: &TestDb, at: OffsetDateTime) -> anyhow::Result<()> {
    sqlx::query("SELECT timeseries.refresh_all_rollups($1)")
        .bind(at)
        .execute(&db.maintenance)
        .await?;
    Ok(())
}

/// The instant a test runs as of, read from the database once.
async fn instant(db: &TestDb) -> anyhow::Result<OffsetDateTime> {
    Ok(sqlx::query_scalar("SELECT now()")
        .fetch_one(&db.maintenance)
        .await?)
}

/// Team and department rows of a public rollup, read as the application in its tenant, that
/// differ from the raw points joined with the current membership (at most 5, described), and
/// how many group rows were compared.
async fn group_mismatches(
    db: &TestDb,
    tenant: Uuid,
    (rollup, table, width): (&str, &str, &str),
) -> anyhow::Result<(Vec<String>, i64)> {
    let mut tx = TenantTx::begin(&db.app, TenantId(tenant), None).await?;
    let sql = format!(
        "WITH g AS (SELECT p.tenant_id, ug.grain, ug.subject_id, p.metric_name, p.value, p.recorded_at
                    FROM {table} p JOIN timeseries.user_groups ug ON ug.tenant_id = p.tenant_id AND ug.user_id = p.user_id),
         expected AS (SELECT tenant_id, grain, subject_id, metric_name, time_bucket('{width}', recorded_at) AS bucket,
                             count(*) AS n, sum(value) AS s, min(value) AS lo, max(value) AS hi
                      FROM g GROUP BY 1, 2, 3, 4, 5),
         actual AS (SELECT tenant_id, grain, subject_id, metric_name, bucket, sample_count AS n, sum_value AS s,
                           min_value AS lo, max_value AS hi FROM {rollup} WHERE grain IN ('team', 'department'))
         SELECT concat_ws(' ', coalesce(e.grain, a.grain), coalesce(e.subject_id, a.subject_id),
                          coalesce(e.metric_name, a.metric_name), coalesce(e.bucket, a.bucket),
                          'expected', e.n, e.s, e.lo, e.hi, 'got', a.n, a.s, a.lo, a.hi),
                count(*) OVER ()
         FROM expected e FULL JOIN actual a USING (tenant_id, grain, subject_id, metric_name, bucket)
         WHERE e.n IS DISTINCT FROM a.n OR abs(e.s - a.s) > 1e-6 OR e.lo IS DISTINCT FROM a.lo
            OR e.hi IS DISTINCT FROM a.hi OR e.n IS NULL OR a.n IS NULL
         LIMIT 5"
    );
    let bad: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut **tx)
        .await?;
    let compared: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM {rollup} WHERE grain IN ('team', 'department')"
    )))
    .fetch_one(&mut **tx)
    .await?;
    tx.rollback().await?;
    Ok((bad.into_iter().map(|(s, _)| s).collect(), compared))
}

async fn assert_groups_match(db: &TestDb, tenant: Uuid, when: &str) -> anyhow::Result<()> {
    for r in ROLLUPS {
        let (bad, compared) = group_mismatches(db, tenant, r).await?;
        assert!(bad.is_empty(), "{} {when}: {bad:#?}", r.0);
        assert!(compared > 0, "{} {when}: no group rows", r.0);
    }
    Ok(())
}

/// Every materialized row of the given groups, in a stable text form.
async fn group_rows(pool: &PgPool, subjects: &[Uuid]) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for mat in [
        "performance_metrics_daily_mat",
        "performance_metrics_monthly_mat",
        "engagement_metrics_weekly_mat",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT concat_ws(' ', '{mat}', m.*) FROM timeseries.{mat} m
             WHERE m.subject_id = ANY ($1) ORDER BY m.grain, m.subject_id, m.metric_name, m.bucket"
        )))
        .bind(subjects)
        .fetch_all(pool)
        .await?;
        out.extend(rows);
    }
    Ok(out)
}

async fn add_department(pool: &PgPool, tenant: Uuid, code: &str) -> anyhow::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO departments (tenant_id, id, code, name) VALUES ($1, $2, $3, $3)")
        .bind(tenant)
        .bind(id)
        .bind(code)
        .execute(pool)
        .await?;
    Ok(id)
}

async fn add_team(
    pool: &PgPool,
    tenant: Uuid,
    code: &str,
    members: &[Uuid],
) -> anyhow::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO teams (tenant_id, id, code, name) VALUES ($1, $2, $3, $3)")
        .bind(tenant)
        .bind(id)
        .bind(code)
        .execute(pool)
        .await?;
    sqlx::query(
        "INSERT INTO team_members (tenant_id, team_id, user_id) SELECT $1, $2, u FROM unnest($3::uuid[]) u",
    )
    .bind(tenant)
    .bind(id)
    .bind(members)
    .execute(pool)
    .await?;
    Ok(id)
}

async fn queued(db: &TestDb, tenant: Uuid) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM timeseries.membership_invalidations WHERE tenant_id = $1",
    )
    .bind(tenant)
    .fetch_one(&db.maintenance)
    .await?)
}

#[tokio::test]
async fn group_rows_follow_moves_between_departments_and_teams() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let at = instant(&db).await?;
    // Department ENG with users 0..8, team CORE = users 0..4 (common::org).
    let org = common::org(&db, "moves", 8).await?;
    let u = &org.users;
    let m = &db.maintenance;
    let sales = add_department(m, org.tenant, "SALES").await?;
    let ops = add_department(m, org.tenant, "OPS").await?;
    let edge = add_team(m, org.tenant, "EDGE", &[u[5]]).await?;
    let doomed = add_team(m, org.tenant, "DOOMED", &[u[6], u[7]]).await?;
    // Untouched groups: OPS with two people of its own, and team QUIET of those two.
    let mut quiet_people = Vec::new();
    for i in 0..2 {
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO users (tenant_id, id, email, first_name, last_name, department_id) VALUES ($1, $2, $3, 'Q', 'Uiet', $4)",
        )
        .bind(org.tenant)
        .bind(id)
        .bind(format!("q{i}@moves.example.com"))
        .bind(ops)
        .execute(m)
        .await?;
        quiet_people.push(id);
    }
    let quiet = add_team(m, org.tenant, "QUIET", &quiet_people).await?;
    seed_points(&db, org.tenant, at).await?;
    refresh(&db, at).await?;
    assert_groups_match(&db, org.tenant, "after the first refresh").await?;
    let untouched_before = group_rows(m, &[ops, quiet]).await?;
    assert!(!untouched_before.is_empty());
    assert_eq!(
        queued(&db, org.tenant).await?,
        0,
        "the refresh empties the queue"
    );

    // The application changes membership, in one transaction of its tenant.
    let mut tx = TenantTx::begin(&db.app, TenantId(org.tenant), None).await?;
    let steps: [(&str, Vec<Uuid>); 7] = [
        // Two people change department in one statement (one of them is in CORE).
        (
            "UPDATE users SET department_id = $1 WHERE id IN ($2, $3)",
            vec![sales, u[0], u[4]],
        ),
        // Removed from a team.
        (
            "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2",
            vec![org.team, u[1]],
        ),
        // Leaves a team (history kept).
        (
            "UPDATE team_members SET left_on = joined_on WHERE team_id = $1 AND user_id = $2",
            vec![org.team, u[2]],
        ),
        // Joins a team.
        (
            "INSERT INTO team_members (tenant_id, team_id, user_id) VALUES (pms_current_tenant(), $1, $2)",
            vec![edge, u[3]],
        ),
        // A membership row moved to another team.
        (
            "UPDATE team_members SET team_id = $1 WHERE team_id = $2 AND user_id = $3",
            vec![org.team, edge, u[5]],
        ),
        // A team goes away (its memberships cascade).
        ("DELETE FROM teams WHERE id = $1", vec![doomed]),
        // Leaves the department without joining another.
        (
            "UPDATE users SET department_id = NULL WHERE id = $1",
            vec![u[7]],
        ),
    ];
    for (sql, args) in &steps {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(*sql));
        for a in args {
            q = q.bind(a);
        }
        let done = q.execute(&mut **tx).await?;
        assert!(done.rows_affected() > 0, "{sql} changed nothing");
    }
    // Updates that leave membership alone queue nothing more.
    sqlx::query("UPDATE users SET job_title = 'Engineer' WHERE tenant_id = pms_current_tenant()")
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;

    // ENG, SALES (departments), CORE, EDGE, DOOMED (teams), for each of the 4 rollups; nothing
    // for OPS or QUIET.
    let queued_groups: Vec<(String, Uuid, i64)> = sqlx::query_as(
        "SELECT grain, subject_id, count(DISTINCT rollup) FROM timeseries.membership_invalidations
         WHERE tenant_id = $1 GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .bind(org.tenant)
    .fetch_all(m)
    .await?;
    let mut expected_groups = vec![
        ("department".to_string(), org.department, 4),
        ("department".to_string(), sales, 4),
        ("team".to_string(), org.team, 4),
        ("team".to_string(), edge, 4),
        ("team".to_string(), doomed, 4),
    ];
    expected_groups.sort();
    assert_eq!(queued_groups, expected_groups);

    // Before the refresh the materialized group rows still show the old membership (so the
    // check below can fail).
    let (stale, _) = group_mismatches(&db, org.tenant, ROLLUPS[0]).await?;
    assert!(
        !stale.is_empty(),
        "the move should be visible as stale rows before the refresh"
    );

    refresh(&db, at).await?;
    assert_groups_match(&db, org.tenant, "after the moves and a refresh").await?;
    assert_eq!(group_rows(m, &[ops, quiet]).await?, untouched_before);
    assert!(group_rows(m, &[doomed]).await?.is_empty());
    assert_eq!(queued(&db, org.tenant).await?, 0);

    // A person deleted outright leaves their department and teams; refreshing the rollups one
    // by one, the monthly rollup first, gives the same result.
    sqlx::query("DELETE FROM users WHERE tenant_id = $1 AND id = $2")
        .bind(org.tenant)
        .bind(quiet_people[0])
        .execute(m)
        .await?;
    for name in [
        "performance_metrics_monthly",
        "performance_metrics_daily",
        "engagement_metrics_weekly",
        "feedback_trends_monthly",
        "performance_metrics_monthly",
    ] {
        sqlx::query("SELECT timeseries.refresh_rollup($1, $2)")
            .bind(name)
            .bind(at)
            .execute(m)
            .await?;
    }
    assert_groups_match(&db, org.tenant, "after a deletion").await?;
    assert_eq!(queued(&db, org.tenant).await?, 0);
    Ok(())
}

#[tokio::test]
async fn the_queue_is_per_tenant_and_closed_to_the_application() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let at = instant(&db).await?;
    let a = common::org(&db, "queue-a", 4).await?;
    let b = common::org(&db, "queue-b", 4).await?;
    seed_points(&db, a.tenant, at).await?;
    seed_points(&db, b.tenant, at).await?;
    refresh(&db, at).await?;
    let b_before = group_rows(&db.maintenance, &[b.department, b.team]).await?;
    let sales = add_department(&db.maintenance, a.tenant, "SALES").await?;

    let mut tx = TenantTx::begin(&db.app, TenantId(a.tenant), None).await?;
    sqlx::query("UPDATE users SET department_id = $1 WHERE id = $2")
        .bind(sales)
        .bind(a.users[0])
        .execute(&mut **tx)
        .await?;
    // Another tenant's people are out of reach, so nothing of theirs is queued.
    let other = sqlx::query("UPDATE users SET department_id = NULL WHERE tenant_id = $1")
        .bind(b.tenant)
        .execute(&mut **tx)
        .await?;
    assert_eq!(other.rows_affected(), 0);
    tx.commit().await?;
    assert_eq!(queued(&db, b.tenant).await?, 0);
    assert_eq!(queued(&db, a.tenant).await?, 2 * 4);

    // The application cannot read, change or empty the queue, nor queue for another tenant.
    for sql in [
        "SELECT count(*) FROM timeseries.membership_invalidations",
        "DELETE FROM timeseries.membership_invalidations",
        "UPDATE timeseries.membership_invalidations SET grain = 'team'",
        "SELECT timeseries.refresh_membership('performance_metrics_daily')",
    ] {
        let mut tx = TenantTx::begin(&db.app, TenantId(a.tenant), None).await?;
        let err = sqlx::query(sql)
            .execute(&mut **tx)
            .await
            .err()
            .with_context(|| format!("{sql} was allowed"))?
            .to_string();
        assert!(err.contains("permission denied"), "{sql}: {err}");
    }
    let mut tx = TenantTx::begin(&db.app, TenantId(a.tenant), None).await?;
    let err = sqlx::query(
        "INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
         VALUES ('performance_metrics_daily', $1, 'department', $2)",
    )
    .bind(b.tenant)
    .bind(b.department)
    .execute(&mut **tx)
    .await
    .err()
    .context("an entry for another tenant was allowed")?
    .to_string();
    assert!(err.contains("row-level security"), "{err}");
    tx.rollback().await?;
    // Its own tenant's entries it may insert; one naming no rollup is cleared by a refresh.
    let mut tx = TenantTx::begin(&db.app, TenantId(a.tenant), None).await?;
    sqlx::query(
        "INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
         VALUES ('no_such_rollup', $1, 'department', $2)",
    )
    .bind(a.tenant)
    .bind(a.department)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;

    refresh(&db, at).await?;
    assert_groups_match(&db, a.tenant, "after the move").await?;
    assert_groups_match(&db, b.tenant, "of the other tenant").await?;
    assert_eq!(
        group_rows(&db.maintenance, &[b.department, b.team]).await?,
        b_before
    );
    assert_eq!(queued(&db, a.tenant).await?, 0);
    Ok(())
}
