//! Rollup correctness as a property: random inserts (late and out of order), updates that move
//! rows across buckets, deletes, people changing department and joining or leaving teams, and
//! refreshes in between; afterwards (and after every refresh) every row of
//! performance_metrics_daily and performance_metrics_monthly, at every grain, equals the
//! aggregate computed straight from the raw rows over the current membership.

mod common;

use pms_test_support::TestDb;
use proptest::prelude::*;
use time::{OffsetDateTime, Time};
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Op {
    /// (user index, metric index, days ago, hour, value in cents)
    Insert(Vec<(usize, usize, i32, i32, i32)>),
    /// Add `delta` cents to one user's rows of one day.
    Update {
        user: usize,
        days_ago: i32,
        delta: i32,
    },
    /// Move one user's rows of one day `by` days earlier (across buckets).
    Move {
        user: usize,
        days_ago: i32,
        by: i32,
    },
    Delete {
        user: usize,
        days_ago: i32,
    },
    /// Moves one user to department 0 or 1, or out of any (None).
    Department {
        user: usize,
        to: Option<usize>,
    },
    /// One user joins team 0 or 1, or leaves it when already a member (by deleting the
    /// membership or by setting left_on).
    Team {
        user: usize,
        team: usize,
        delete: bool,
    },
    Refresh,
}

const METRICS: [&str; 3] = ["quality", "productivity", "competency"];
const USERS: usize = 3;

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => prop::collection::vec((0..USERS, 0..METRICS.len(), 0..20i32, 0..24i32, 0..10_000i32), 1..25).prop_map(Op::Insert),
        1 => (0..USERS, 0..20i32, -500..500i32).prop_map(|(user, days_ago, delta)| Op::Update { user, days_ago, delta }),
        1 => (0..USERS, 0..20i32, 1..40i32).prop_map(|(user, days_ago, by)| Op::Move { user, days_ago, by }),
        1 => (0..USERS, 0..20i32).prop_map(|(user, days_ago)| Op::Delete { user, days_ago }),
        1 => (0..USERS, prop::option::of(0..2usize)).prop_map(|(user, to)| Op::Department { user, to }),
        1 => (0..USERS, 0..2usize, any::<bool>()).prop_map(|(user, team, delete)| Op::Team { user, team, delete }),
        2 => Just(Op::Refresh),
    ]
}

/// The tenant's people and groups, and the instant every case runs as of (read from the
/// database once: days are counted back from its UTC midnight, and refreshes materialize up
/// to it, whenever the cases run).
struct Case {
    tenant: Uuid,
    users: Vec<Uuid>,
    departments: [Uuid; 2],
    teams: [Uuid; 2],
    at: OffsetDateTime,
}

async fn apply(db: &TestDb, case: &Case, op: &Op) -> anyhow::Result<()> {
    let (tenant, users) = (case.tenant, &case.users);
    let midnight = case.at.replace_time(Time::MIDNIGHT);
    // The start of the day $3 days before `midnight` (bound as parameter $n). Hours, not days,
    // are subtracted: they do not depend on the server's TimeZone.
    let day = |n: u8| format!("${n}::timestamptz - make_interval(hours => 24 * $3)");
    match op {
        Op::Insert(rows) => {
            let u: Vec<Uuid> = rows.iter().map(|r| users[r.0]).collect();
            let m: Vec<&str> = rows.iter().map(|r| METRICS[r.1]).collect();
            let d: Vec<i32> = rows.iter().map(|r| r.2).collect();
            let h: Vec<i32> = rows.iter().map(|r| r.3).collect();
            let v: Vec<i32> = rows.iter().map(|r| r.4).collect();
            sqlx::query(
                "INSERT INTO performance_metrics_ts
                 SELECT $1, u, m, v / 100.0, $7::timestamptz - make_interval(hours => 24 * d - h)
                 FROM unnest($2::uuid[], $3::text[], $4::int[], $5::int[], $6::int[]) AS x(u, m, d, h, v)",
            )
            .bind(tenant)
            .bind(&u)
            .bind(&m)
            .bind(&d)
            .bind(&h)
            .bind(&v)
            .bind(midnight)
            .execute(&db.maintenance)
            .await?;
        }
        Op::Update {
            user,
            days_ago,
            delta,
        } => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE performance_metrics_ts SET value = value + $4 / 100.0
                 WHERE tenant_id = $1 AND user_id = $2 AND recorded_at >= {d} AND recorded_at < {d} + interval '24 hours'",
                d = day(5)
            )))
            .bind(tenant)
            .bind(users[*user])
            .bind(days_ago)
            .bind(delta)
            .bind(midnight)
            .execute(&db.maintenance)
            .await?;
        }
        Op::Move { user, days_ago, by } => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE performance_metrics_ts SET recorded_at = recorded_at - make_interval(hours => 24 * $4)
                 WHERE tenant_id = $1 AND user_id = $2 AND recorded_at >= {d} AND recorded_at < {d} + interval '24 hours'",
                d = day(5)
            )))
            .bind(tenant)
            .bind(users[*user])
            .bind(days_ago)
            .bind(by)
            .bind(midnight)
            .execute(&db.maintenance)
            .await?;
        }
        Op::Delete { user, days_ago } => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM performance_metrics_ts
                 WHERE tenant_id = $1 AND user_id = $2 AND recorded_at >= {d} AND recorded_at < {d} + interval '24 hours'",
                d = day(4)
            )))
            .bind(tenant)
            .bind(users[*user])
            .bind(days_ago)
            .bind(midnight)
            .execute(&db.maintenance)
            .await?;
        }
        Op::Department { user, to } => {
            sqlx::query("UPDATE users SET department_id = $3 WHERE tenant_id = $1 AND id = $2")
                .bind(tenant)
                .bind(users[*user])
                .bind(to.map(|d| case.departments[d]))
                .execute(&db.maintenance)
                .await?;
        }
        Op::Team { user, team, delete } => {
            let left = if *delete {
                "DELETE FROM team_members WHERE tenant_id = $1 AND user_id = $2 AND team_id = $3 AND left_on IS NULL"
            } else {
                "UPDATE team_members SET left_on = joined_on
                 WHERE tenant_id = $1 AND user_id = $2 AND team_id = $3 AND left_on IS NULL"
            };
            let done = sqlx::query(left)
                .bind(tenant)
                .bind(users[*user])
                .bind(case.teams[*team])
                .execute(&db.maintenance)
                .await?;
            if done.rows_affected() == 0 {
                sqlx::query(
                    "INSERT INTO team_members (tenant_id, user_id, team_id) VALUES ($1, $2, $3)",
                )
                .bind(tenant)
                .bind(users[*user])
                .bind(case.teams[*team])
                .execute(&db.maintenance)
                .await?;
            }
        }
        Op::Refresh => {
            sqlx::query("SELECT timeseries.refresh_all_rollups($1)")
                .bind(case.at)
                .execute(&db.maintenance)
                .await?;
        }
    }
    Ok(())
}

/// Rows of the rollup that differ from the raw aggregate (at most 5, described).
async fn mismatches(
    db: &TestDb,
    tenant: Uuid,
    rollup: &str,
    width: &str,
) -> anyhow::Result<Vec<String>> {
    let sql = format!(
        "WITH pts AS (SELECT * FROM performance_metrics_ts WHERE tenant_id = $1),
         g AS (SELECT p.tenant_id, 'user' AS grain, p.user_id AS subject_id, p.metric_name, p.value, p.recorded_at FROM pts p
               UNION ALL SELECT p.tenant_id, 'tenant', p.tenant_id, p.metric_name, p.value, p.recorded_at FROM pts p
               UNION ALL SELECT p.tenant_id, ug.grain, ug.subject_id, p.metric_name, p.value, p.recorded_at
                         FROM pts p JOIN timeseries.user_groups ug ON ug.tenant_id = p.tenant_id AND ug.user_id = p.user_id),
         expected AS (SELECT tenant_id, grain, subject_id, metric_name, time_bucket('{width}', recorded_at) AS bucket,
                             count(*) AS n, sum(value) AS s, min(value) AS lo, max(value) AS hi
                      FROM g GROUP BY 1, 2, 3, 4, 5),
         actual AS (SELECT tenant_id, grain, subject_id, metric_name, bucket, sample_count AS n, sum_value AS s,
                           min_value AS lo, max_value AS hi FROM {rollup} WHERE tenant_id = $1)
         SELECT concat_ws(' ', coalesce(e.grain, a.grain), coalesce(e.metric_name, a.metric_name), coalesce(e.bucket, a.bucket),
                          'expected', e.n, e.s, e.lo, e.hi, 'got', a.n, a.s, a.lo, a.hi)
         FROM expected e FULL JOIN actual a USING (tenant_id, grain, subject_id, metric_name, bucket)
         WHERE e.n IS DISTINCT FROM a.n OR abs(e.s - a.s) > 1e-6 OR e.lo IS DISTINCT FROM a.lo OR e.hi IS DISTINCT FROM a.hi
            OR e.n IS NULL OR a.n IS NULL
         LIMIT 5"
    );
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(tenant)
        .fetch_all(&db.maintenance)
        .await?)
}

async fn check(db: &TestDb, tenant: Uuid, when: &str) -> anyhow::Result<()> {
    for (rollup, width) in [
        ("performance_metrics_daily", "1 day"),
        ("performance_metrics_monthly", "1 month"),
    ] {
        let bad = mismatches(db, tenant, rollup, width).await?;
        anyhow::ensure!(bad.is_empty(), "{rollup} {when}: {bad:?}");
    }
    Ok(())
}

async fn run_case(db: &TestDb, case: usize, at: OffsetDateTime, ops: &[Op]) -> anyhow::Result<()> {
    let org = common::org(db, &format!("prop-{case}"), USERS).await?;
    let (department, team) = (Uuid::now_v7(), Uuid::now_v7());
    sqlx::query(
        "INSERT INTO departments (tenant_id, id, code, name) VALUES ($1, $2, 'OPS', 'Operations')",
    )
    .bind(org.tenant)
    .bind(department)
    .execute(&db.maintenance)
    .await?;
    sqlx::query("INSERT INTO teams (tenant_id, id, code, name) VALUES ($1, $2, 'EDGE', 'Edge')")
        .bind(org.tenant)
        .bind(team)
        .execute(&db.maintenance)
        .await?;
    let case = Case {
        tenant: org.tenant,
        users: org.users,
        departments: [org.department, department],
        teams: [org.team, team],
        at,
    };
    for (i, op) in ops.iter().enumerate() {
        apply(db, &case, op).await?;
        if matches!(op, Op::Refresh) {
            check(db, case.tenant, &format!("after op {i} ({op:?})")).await?;
        }
    }
    sqlx::query("SELECT timeseries.refresh_all_rollups($1)")
        .bind(at)
        .execute(&db.maintenance)
        .await?;
    check(db, case.tenant, "after the final refresh").await
}

#[test]
fn rollups_equal_raw_aggregates_under_random_changes() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let db = rt.block_on(TestDb::new())?;
    let at: OffsetDateTime =
        rt.block_on(sqlx::query_scalar("SELECT now()").fetch_one(&db.maintenance))?;
    let case = std::sync::atomic::AtomicUsize::new(0);
    let config = ProptestConfig {
        cases: 12,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(ops in prop::collection::vec(op(), 1..14))| {
        let n = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let result = rt.block_on(run_case(&db, n, at, &ops));
        prop_assert!(result.is_ok(), "{:?}", result.err());
    });
    Ok(())
}
