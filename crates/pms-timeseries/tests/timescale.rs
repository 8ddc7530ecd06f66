//! The TimescaleDB backend: the same public names over hypertables, continuous aggregates and
//! TimescaleDB's compression and retention. Each test needs the extension (a private cluster
//! preloads it, or `PMS_TEST_TIMESCALE_URL`); without it each prints `SKIPPED` and returns.

mod common;

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

/// Inserts points as the maintenance role straight into the storage hypertable (as ingest does).
async fn points(
    pool: &PgPool,
    table: &str,
    tenant: Uuid,
    user: Uuid,
    metric: &str,
    sql_times: &str,
) -> anyhow::Result<u64> {
    let n = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO timeseries.{table}_hyper (tenant_id, user_id, metric_name, value, recorded_at)
         SELECT $1, $2, $3, (g * 7 % 100) + 0.25, t FROM ({sql_times}) AS x(g, t)"
    )))
    .bind(tenant)
    .bind(user)
    .bind(metric)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n)
}

/// Runs `sql` as pms_app inside `tenant` and returns one scalar.
async fn app_scalar<T>(db: &TimescaleDb, tenant: Uuid, sql: &str) -> anyhow::Result<T>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
{
    let mut tx = db.app.begin().await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await?;
    let v: T = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(v)
}

/// Rows of a rollup view that differ from the same aggregate computed from the raw rows, as
/// the application sees both (all four grains).
const ROLLUP_DIFF: &str = "
    WITH raw AS (
        SELECT p.tenant_id, 'user'::text AS grain, p.user_id AS subject_id, p.metric_name, public.time_bucket(WIDTH, p.recorded_at) AS bucket, p.value
        FROM public.TABLE p
        UNION ALL
        SELECT p.tenant_id, g.grain, g.subject_id, p.metric_name, public.time_bucket(WIDTH, p.recorded_at), p.value
        FROM public.TABLE p JOIN timeseries.user_groups g ON g.tenant_id = p.tenant_id AND g.user_id = p.user_id
        UNION ALL
        SELECT p.tenant_id, 'tenant', p.tenant_id, p.metric_name, public.time_bucket(WIDTH, p.recorded_at), p.value
        FROM public.TABLE p),
    expected AS (
        SELECT tenant_id, grain, subject_id, metric_name, bucket, count(*) AS n, round(sum(value)::numeric, 6) AS s,
               min(value) AS lo, max(value) AS hi
        FROM raw GROUP BY 1, 2, 3, 4, 5),
    actual AS (
        SELECT tenant_id, grain, subject_id, metric_name, bucket, sample_count AS n, round(sum_value::numeric, 6) AS s,
               min_value AS lo, max_value AS hi
        FROM public.ROLLUP)
    SELECT count(*) FROM ((SELECT * FROM expected EXCEPT SELECT * FROM actual)
                          UNION ALL (SELECT * FROM actual EXCEPT SELECT * FROM expected)) d";

fn rollup_diff(rollup: &str, table: &str, width: &str) -> String {
    ROLLUP_DIFF
        .replace("ROLLUP", rollup)
        .replace("TABLE", table)
        .replace("WIDTH", &format!("'{width}'::interval"))
}

#[tokio::test]
async fn hypertables_keep_the_registry_chunk_intervals_and_policies() -> anyhow::Result<()> {
    let db = timescale_db!("hypertables_keep_the_registry_chunk_intervals_and_policies");
    let mut admin = db.admin().await?;
    if std::env::var("PMS_TEST_TIMESCALE_URL").is_err() {
        // The private cluster never lets TimescaleDB report usage over the network.
        let telemetry: String =
            sqlx::query_scalar("SELECT current_setting('timescaledb.telemetry_level')")
                .fetch_one(&mut admin)
                .await?;
        assert_eq!(telemetry, "off");
    }
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
        // TimescaleDB measures a month as 30 days, as PostgreSQL's epoch of an interval does.
        let same: bool = sqlx::query_scalar(
            "SELECT extract(epoch FROM $1::interval) = extract(epoch FROM $2::interval)",
        )
        .bind(&registry)
        .bind(&timescale)
        .fetch_one(&mut admin)
        .await?;
        assert!(
            same,
            "{t}: chunk interval {timescale} is not the registry's {registry}"
        );

        // The public name is a tenant-filtered view; the hypertable is out of the app's reach.
        let kind: String =
            sqlx::query_scalar("SELECT relkind::text FROM pg_class WHERE oid = $1::regclass")
                .bind(format!("public.{t}"))
                .fetch_one(&mut admin)
                .await?;
        assert_eq!(kind, "v", "{t} is a view over the hypertable");
        let app_can: bool =
            sqlx::query_scalar("SELECT has_table_privilege('pms_app', $1, 'SELECT')")
                .bind(format!("timeseries.{t}_hyper"))
                .fetch_one(&mut admin)
                .await?;
        assert!(!app_can, "pms_app must not read timeseries.{t}_hyper");

        // Compression per tenant and person, ordered by time; policies with the registry's intervals.
        let segment_by: Vec<String> = sqlx::query_scalar(
            "SELECT attname::text FROM timescaledb_information.compression_settings
             WHERE hypertable_schema = 'timeseries' AND hypertable_name = $1 AND segmentby_column_index IS NOT NULL
             ORDER BY segmentby_column_index",
        )
        .bind(format!("{t}_hyper"))
        .fetch_all(&mut admin)
        .await?;
        assert_eq!(segment_by, ["tenant_id", "user_id"], "{t}: segment by");
        let policies: Vec<(String, bool)> = sqlx::query_as(
            "SELECT j.proc_name::text,
                    CASE j.proc_name WHEN 'policy_compression' THEN (j.config ->> 'compress_after')::interval = h.compress_after
                                     WHEN 'policy_retention' THEN (j.config ->> 'drop_after')::interval = h.retention END
             FROM timescaledb_information.jobs j JOIN timeseries.hypertables h ON h.name || '_hyper' = j.hypertable_name
             WHERE j.hypertable_schema = 'timeseries' AND h.name = $1 ORDER BY 1",
        )
        .bind(t)
        .fetch_all(&mut admin)
        .await?;
        assert_eq!(
            policies,
            [
                ("policy_compression".to_string(), true),
                ("policy_retention".to_string(), true)
            ],
            "{t}: compression and retention policies"
        );
    }
    // Every rollup is a real-time continuous aggregate with a refresh policy.
    let caggs: Vec<(String, bool, i64)> = sqlx::query_as(
        "SELECT r.name, NOT c.materialized_only,
                (SELECT count(*) FROM timescaledb_information.jobs j
                  WHERE j.proc_name = 'policy_refresh_continuous_aggregate' AND j.hypertable_schema = c.view_schema AND j.hypertable_name = c.view_name)
         FROM timeseries.rollups r
         JOIN timescaledb_information.continuous_aggregates c ON c.view_schema = 'timeseries' AND c.view_name = r.name || '_cagg'
         ORDER BY 1",
    )
    .fetch_all(&mut admin)
    .await?;
    assert_eq!(caggs.len(), 4, "four continuous aggregates: {caggs:?}");
    for (name, real_time, refresh_jobs) in caggs {
        assert!(real_time, "{name} is real-time");
        assert_eq!(refresh_jobs, 1, "{name} has a refresh policy");
    }
    // time_bucket is TimescaleDB's own.
    let from_extension: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                        WHERE d.objid = 'public.time_bucket(interval, timestamptz)'::regprocedure AND e.extname = 'timescaledb')",
    )
    .fetch_one(&mut admin)
    .await?;
    assert!(from_extension, "time_bucket comes from the extension");
    // A registry change moves TimescaleDB's policies and chunk interval along.
    sqlx::query("SELECT timeseries.set_policy('goal_progress_ts', p_chunk_interval => '2 months', p_compress_after => '9 months', p_retention => '4 years')")
        .execute(&db.maintenance)
        .await?;
    let (interval, compress, retain): (String, String, String) = sqlx::query_as(
        "SELECT (SELECT time_interval::text FROM timescaledb_information.dimensions WHERE hypertable_name = 'goal_progress_ts_hyper'),
                (SELECT config ->> 'compress_after' FROM timescaledb_information.jobs WHERE hypertable_name = 'goal_progress_ts_hyper' AND proc_name = 'policy_compression'),
                (SELECT config ->> 'drop_after' FROM timescaledb_information.jobs WHERE hypertable_name = 'goal_progress_ts_hyper' AND proc_name = 'policy_retention')",
    )
    .fetch_one(&mut admin)
    .await?;
    assert_eq!(
        (interval.as_str(), compress.as_str(), retain.as_str()),
        ("60 days", "9 mons", "4 years")
    );
    let status = pms_timeseries::status::status(&db.maintenance).await?;
    assert_eq!(status.backend, "timescaledb");
    assert_eq!(status.rollups.len(), 4);
    Ok(())
}

#[tokio::test]
async fn the_app_sees_only_its_tenant_in_tables_and_rollups() -> anyhow::Result<()> {
    let db = timescale_db!("the_app_sees_only_its_tenant_in_tables_and_rollups");
    let a = common::org_in(&db.maintenance, "tsdb-a", 2).await?;
    let b = common::org_in(&db.maintenance, "tsdb-b", 2).await?;
    for o in [&a, &b] {
        for u in &o.users {
            points(
                &db.maintenance,
                "performance_metrics_ts",
                o.tenant,
                *u,
                "quality",
                "SELECT g, now() - g * interval '1 day' FROM generate_series(1, 40) g",
            )
            .await?;
            points(
                &db.maintenance,
                "engagement_metrics_ts",
                o.tenant,
                *u,
                "engagement_score",
                "SELECT g, now() - g * interval '1 day' FROM generate_series(1, 40) g",
            )
            .await?;
        }
    }
    common::refresh_timescale_rollups(&db).await?;
    for view in [
        "performance_metrics_ts",
        "engagement_metrics_ts",
        "performance_metrics_ts_all",
        "performance_metrics_daily",
        "performance_metrics_monthly",
        "engagement_metrics_weekly",
    ] {
        let (mine, others): (i64, i64) = {
            let mut tx = db.app.begin().await?;
            sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
                .bind(a.tenant.to_string())
                .execute(&mut *tx)
                .await?;
            let r = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FILTER (WHERE tenant_id = $1), count(*) FILTER (WHERE tenant_id <> $1) FROM public.{view}"
            )))
            .bind(a.tenant)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            r
        };
        assert!(mine > 0, "{view}: tenant A sees its rows");
        assert_eq!(others, 0, "{view}: tenant A sees none of tenant B's rows");
        let unset: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM public.{view}"
        )))
        .fetch_one(&db.app)
        .await?;
        assert_eq!(unset, 0, "{view}: no tenant, no rows");
    }
    // The application's reads keep an index condition on the tenant; the bypass branch is
    // cut before execution.
    let plan: Vec<String> = {
        let mut tx = db.app.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(a.tenant.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("SET LOCAL enable_seqscan = off")
            .execute(&mut *tx)
            .await?;
        let p = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "EXPLAIN SELECT * FROM performance_metrics_ts WHERE user_id = '{}' AND recorded_at > now() - interval '7 days'",
            a.users[0]
        )))
        .fetch_all(&mut *tx)
        .await?;
        tx.rollback().await?;
        p
    };
    let plan = plan.join("\n");
    assert!(plan.contains("One-Time Filter"), "{plan}");
    assert!(plan.contains("Index Cond: ((tenant_id = "), "{plan}");
    // The storage and the aggregates themselves are out of reach.
    for internal in [
        "timeseries.performance_metrics_ts_hyper",
        "timeseries.performance_metrics_daily_cagg",
    ] {
        let e = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT 1 FROM {internal} LIMIT 1"
        )))
        .fetch_optional(&db.app)
        .await
        .expect_err("pms_app reads internal storage");
        assert!(
            e.to_string().contains("permission denied"),
            "{internal}: {e}"
        );
    }
    // Writes: own tenant through the view, never another's.
    let mut tx = db.app.begin().await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(a.tenant.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO performance_metrics_ts VALUES ($1, $2, 'quality', 50, now())")
        .bind(a.tenant)
        .bind(a.users[0])
        .execute(&mut *tx)
        .await?;
    let e = sqlx::query("INSERT INTO performance_metrics_ts VALUES ($1, $2, 'quality', 50, now())")
        .bind(b.tenant)
        .bind(b.users[0])
        .execute(&mut *tx)
        .await
        .expect_err("a row for another tenant");
    assert!(e.to_string().contains("row-level security"), "{e}");
    tx.rollback().await?;
    let deleted = {
        let mut tx = db.app.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(a.tenant.to_string())
            .execute(&mut *tx)
            .await?;
        let n = sqlx::query("DELETE FROM performance_metrics_ts WHERE tenant_id = $1")
            .bind(b.tenant)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        n
    };
    assert_eq!(deleted, 0, "tenant A cannot delete tenant B's points");
    // Own rows can be changed, but not moved into another tenant.
    let mut tx = db.app.begin().await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(a.tenant.to_string())
        .execute(&mut *tx)
        .await?;
    let updated = sqlx::query("UPDATE performance_metrics_ts SET value = value + 1 WHERE user_id = $1 AND recorded_at > now() - interval '3 days'")
        .bind(a.users[0])
        .execute(&mut *tx)
        .await?
        .rows_affected();
    assert!(updated >= 1, "own rows update");
    let e = sqlx::query("UPDATE performance_metrics_ts SET tenant_id = $1 WHERE user_id = $2")
        .bind(b.tenant)
        .bind(a.users[0])
        .execute(&mut *tx)
        .await
        .expect_err("moving rows into another tenant");
    assert!(e.to_string().contains("row-level security"), "{e}");
    tx.rollback().await?;
    // The maintenance role bypasses the tenant rule, as it bypasses RLS on the native engine.
    let all: i64 =
        sqlx::query_scalar("SELECT count(DISTINCT tenant_id) FROM performance_metrics_ts")
            .fetch_one(&db.maintenance)
            .await?;
    assert_eq!(all, 2, "pms_maintenance sees every tenant");
    let b_left: i64 =
        app_scalar(&db, b.tenant, "SELECT count(*) FROM performance_metrics_ts").await?;
    assert_eq!(b_left, 80);
    // The query functions answer nothing about another tenant's people.
    let leaked: i64 = app_scalar(
        &db,
        a.tenant,
        &format!(
            "SELECT count(*) FROM get_recent_performance_metrics('{}', '{}', 90)",
            b.tenant, b.users[0]
        ),
    )
    .await?;
    assert_eq!(leaked, 0);
    // Erasing a person reaches their points on this backend too, and only theirs.
    let report: serde_json::Value =
        sqlx::query_scalar("SELECT pms_retention.erase_timeseries_person($1, $2, $3)")
            .bind(a.tenant)
            .bind(a.users[1])
            .bind(Uuid::now_v7())
            .fetch_one(&db.maintenance)
            .await?;
    assert_eq!(report["performance_metrics_ts"]["points"], 40, "{report}");
    let (gone, kept): (i64, i64) = {
        let mut tx = db.app.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(a.tenant.to_string())
            .execute(&mut *tx)
            .await?;
        let r = sqlx::query_as("SELECT count(*) FILTER (WHERE user_id = $1), count(*) FILTER (WHERE user_id <> $1) FROM engagement_metrics_ts")
            .bind(a.users[1])
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        r
    };
    assert_eq!((gone, kept), (0, 40));
    Ok(())
}

#[tokio::test]
async fn rollups_equal_raw_aggregates_after_late_data_and_a_refresh() -> anyhow::Result<()> {
    let db = timescale_db!("rollups_equal_raw_aggregates_after_late_data_and_a_refresh");
    let o = common::org_in(&db.maintenance, "tsdb-roll", 4).await?;
    for (i, u) in o.users.iter().enumerate() {
        for metric in ["quality", "productivity"] {
            points(&db.maintenance, "performance_metrics_ts", o.tenant, *u, metric, &format!(
                "SELECT g, now() - g * interval '5 hours' - interval '{i} minutes' FROM generate_series(1, 400) g")).await?;
        }
        points(
            &db.maintenance,
            "engagement_metrics_ts",
            o.tenant,
            *u,
            "satisfaction",
            "SELECT g, now() - g * interval '1 day' FROM generate_series(1, 120) g",
        )
        .await?;
        points(
            &db.maintenance,
            "feedback_activity_ts",
            o.tenant,
            *u,
            "feedback_given",
            "SELECT g, now() - g * interval '2 days' FROM generate_series(1, 120) g",
        )
        .await?;
    }
    let checks = [
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
        ("feedback_trends_monthly", "feedback_activity_ts", "1 month"),
    ];
    // Before any refresh: everything comes from the real-time tail.
    for (rollup, table, width) in checks {
        let d: i64 = app_scalar(&db, o.tenant, &rollup_diff(rollup, table, width)).await?;
        assert_eq!(d, 0, "{rollup} before refresh");
    }
    // Continuous aggregates: the person grain of the four rollups, the tenant grain of the
    // daily and weekly ones; team and department grains (and the monthly rollups' tenant
    // grain): materialized rows of their own.
    assert_eq!(common::refresh_timescale_rollups(&db).await?, 6);
    for (rollup, table, width) in checks {
        let d: i64 = app_scalar(&db, o.tenant, &rollup_diff(rollup, table, width)).await?;
        assert_eq!(d, 0, "{rollup} after refresh");
    }
    let (person, tenant, groups): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM timeseries.performance_metrics_daily_cagg WHERE bucket < now() - interval '2 days'),
                (SELECT count(*) FROM timeseries.performance_metrics_daily_tenant_cagg WHERE bucket < now() - interval '2 days'),
                (SELECT count(*) FROM timeseries.performance_metrics_daily_mat WHERE tenant_id = $1)",
    )
    .bind(o.tenant)
    .fetch_one(&db.maintenance)
    .await?;
    assert!(
        person > 0 && tenant > 0 && groups > 0,
        "the refresh materialized every grain: {person} person, {tenant} tenant, {groups} group rows"
    );
    let group_grains: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT grain FROM timeseries.performance_metrics_daily_mat ORDER BY 1",
    )
    .fetch_all(&db.maintenance)
    .await?;
    assert_eq!(group_grains, ["department", "team"]);
    let monthly_grains: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT grain FROM timeseries.performance_metrics_monthly_mat ORDER BY 1",
    )
    .fetch_all(&db.maintenance)
    .await?;
    assert_eq!(monthly_grains, ["department", "team", "tenant"]);
    // Late data far below the watermark (by ingest's path and through the application's view),
    // a changed value and deleted points.
    points(&db.maintenance, "performance_metrics_ts", o.tenant, o.users[0], "quality",
        "SELECT g, now() - interval '30 days' + g * interval '1 minute' FROM generate_series(1, 10) g").await?;
    sqlx::query("UPDATE timeseries.performance_metrics_ts_hyper SET value = value + 1000 WHERE tenant_id = $1 AND user_id = $2 AND recorded_at < now() - interval '40 days'")
        .bind(o.tenant)
        .bind(o.users[1])
        .execute(&db.maintenance)
        .await?;
    let deleted = sqlx::query("DELETE FROM timeseries.performance_metrics_ts_hyper WHERE tenant_id = $1 AND user_id = $2 AND metric_name = 'productivity' AND recorded_at < now() - interval '50 days'")
        .bind(o.tenant)
        .bind(o.users[2])
        .execute(&db.maintenance)
        .await?
        .rows_affected();
    assert!(deleted > 100, "{deleted}");
    // Ingest's path (binary COPY into the hypertable), which TimescaleDB's own invalidations
    // must see too.
    let now = time::OffsetDateTime::now_utc();
    let late: Vec<_> = (0..24)
        .map(|h| {
            (
                pms_timeseries::Hypertable::PerformanceMetrics,
                pms_timeseries::MetricRow {
                    tenant_id: o.tenant,
                    user_id: o.users[1],
                    metric_name: "productivity".into(),
                    value: 3.0 + h as f64,
                    recorded_at: now - time::Duration::days(60) + time::Duration::hours(h),
                },
            )
        })
        .collect();
    pms_timeseries::ingest::load_batch(&db.maintenance, &late).await?;
    {
        let mut tx = db.app.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(o.tenant.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO performance_metrics_ts VALUES ($1, $2, 'quality', 12.5, now() - interval '20 days')")
            .bind(o.tenant)
            .bind(o.users[3])
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    let stale: i64 = app_scalar(
        &db,
        o.tenant,
        &rollup_diff(
            "performance_metrics_daily",
            "performance_metrics_ts",
            "1 day",
        ),
    )
    .await?;
    assert!(
        stale > 0,
        "late rows below the watermark wait for the refresh, as in the native engine"
    );
    common::refresh_timescale_rollups(&db).await?;
    for (rollup, table, width) in checks {
        let d: i64 = app_scalar(&db, o.tenant, &rollup_diff(rollup, table, width)).await?;
        assert_eq!(d, 0, "{rollup} after late data and a refresh");
    }
    let pending: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM timeseries.invalidations) + (SELECT count(*) FROM timeseries.rollup_invalidations)",
    )
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(pending, 0, "the refresh took every logged day");
    // The team and department grains exist and cover their members.
    let team_n: i64 = app_scalar(&db, o.tenant, &format!(
        "SELECT sum(sample_count)::int8 FROM performance_metrics_monthly WHERE grain = 'team' AND subject_id = '{}'", o.team)).await?;
    let dept_n: i64 = app_scalar(&db, o.tenant, &format!(
        "SELECT sum(sample_count)::int8 FROM performance_metrics_monthly WHERE grain = 'department' AND subject_id = '{}'", o.department)).await?;
    assert_eq!(dept_n, 4 * 800 + 10 + 24 + 1 - deleted as i64);
    assert_eq!(team_n, 2 * 800 + 10 + 24);
    Ok(())
}

#[tokio::test]
async fn compression_keeps_rows_queryable_and_retention_drops_expired_chunks() -> anyhow::Result<()>
{
    let db = timescale_db!("compression_keeps_rows_queryable_and_retention_drops_expired_chunks");
    let o = common::org_in(&db.maintenance, "tsdb-comp", 2).await?;
    for u in &o.users {
        // 30 months back: some chunks past the 6-month compression horizon, some past the
        // 2-year retention.
        points(
            &db.maintenance,
            "performance_metrics_ts",
            o.tenant,
            *u,
            "quality",
            "SELECT g, now() - g * interval '1 day' FROM generate_series(1, 900) g",
        )
        .await?;
    }
    let before: (i64, f64) = {
        let mut tx = db.app.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(o.tenant.to_string())
            .execute(&mut *tx)
            .await?;
        let r = sqlx::query_as("SELECT count(*), sum(value) FROM performance_metrics_ts WHERE recorded_at > now() - interval '2 years' + interval '1 day'")
            .fetch_one(&mut *tx).await?;
        tx.commit().await?;
        r
    };
    let compressed: serde_json::Value =
        sqlx::query_scalar("SELECT timeseries.compress_due_chunks()")
            .fetch_one(&db.maintenance)
            .await?;
    let n = compressed["chunks_compressed"].as_i64().unwrap_or(0);
    assert!(n >= 10, "chunks past 6 months compressed: {compressed}");
    let again: serde_json::Value = sqlx::query_scalar("SELECT timeseries.compress_due_chunks()")
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(again["chunks_compressed"], 0, "idempotent");
    let status = pms_timeseries::status::status(&db.maintenance).await?;
    let packed: Vec<_> = status
        .chunks
        .iter()
        .filter(|c| c.hypertable == "performance_metrics_ts" && c.compressed)
        .collect();
    assert_eq!(packed.len() as i64, n);
    assert!(
        packed
            .iter()
            .all(|c| c.compressed_bytes > 0 && c.raw_bytes > 0)
    );
    // The operator's levers: list, unpack and pack one chunk by the name status shows.
    let listed =
        pms_timeseries::status::compressed_chunks(&db.maintenance, "performance_metrics_ts")
            .await?;
    assert_eq!(listed.len() as i64, n);
    let restored = pms_timeseries::status::decompress_chunk(&db.maintenance, &listed[0]).await?;
    assert!(restored > 0, "rows back in the chunk");
    let e = pms_timeseries::status::decompress_chunk(&db.maintenance, &listed[0])
        .await
        .expect_err("not compressed any more");
    assert!(e.to_string().contains("is not compressed"), "{e}");
    pms_timeseries::status::compress_chunk(&db.maintenance, &listed[0]).await?;
    let after: (i64, f64) = {
        let mut tx = db.app.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(o.tenant.to_string())
            .execute(&mut *tx)
            .await?;
        let r = sqlx::query_as("SELECT count(*), sum(value) FROM performance_metrics_ts WHERE recorded_at > now() - interval '2 years' + interval '1 day'")
            .fetch_one(&mut *tx).await?;
        tx.commit().await?;
        r
    };
    assert_eq!(before.0, after.0, "row count through compression");
    assert!((before.1 - after.1).abs() < 1e-6, "sum through compression");
    let old_points: i64 = app_scalar(
        &db,
        o.tenant,
        &format!(
            "SELECT count(*) FROM get_recent_performance_metrics('{}', '{}', 400)",
            o.tenant, o.users[0]
        ),
    )
    .await?;
    assert_eq!(
        old_points, 399,
        "the query function reads compressed chunks (days 1..399 back: day 400 left the window as time moved on)"
    );

    // Retention: whole chunks older than 2 years go, the rest stays.
    let dropped: serde_json::Value = sqlx::query_scalar("SELECT timeseries.apply_retention()")
        .fetch_one(&db.maintenance)
        .await?;
    assert!(
        dropped["chunks_dropped"].as_i64().unwrap_or(0) >= 1,
        "{dropped}"
    );
    let oldest_ok: bool = app_scalar(&db, o.tenant,
        "SELECT min(recorded_at) > now() - interval '2 years' - interval '31 days' FROM performance_metrics_ts").await?;
    assert!(
        oldest_ok,
        "nothing older than the retention plus one chunk is left"
    );
    let recent: i64 = app_scalar(&db, o.tenant,
        "SELECT count(*) FROM performance_metrics_ts WHERE recorded_at > now() - interval '2 years' + interval '1 day'").await?;
    assert_eq!(recent, before.0, "unexpired rows stay");
    // The whole maintenance pass runs on this backend too.
    let pass: serde_json::Value = sqlx::query_scalar("SELECT timeseries_maintenance()")
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(pass["chunks_dropped"], 0, "{pass}");
    Ok(())
}

#[tokio::test]
async fn query_functions_and_ingest_work_the_same() -> anyhow::Result<()> {
    let db = timescale_db!("query_functions_and_ingest_work_the_same");
    let o = common::org_in(&db.maintenance, "tsdb-q", 2).await?;
    // Ingest goes through validation and COPY into the storage hypertable.
    let now = time::OffsetDateTime::now_utc();
    let mut rows = Vec::new();
    for d in 0..60i64 {
        rows.push((
            pms_timeseries::Hypertable::EngagementMetrics,
            pms_timeseries::MetricRow {
                tenant_id: o.tenant,
                user_id: o.users[0],
                metric_name: "engagement_score".into(),
                value: 40.0 + d as f64 * 0.5,
                recorded_at: now - time::Duration::days(60 - d),
            },
        ));
        rows.push((
            pms_timeseries::Hypertable::PerformanceMetrics,
            pms_timeseries::MetricRow {
                tenant_id: o.tenant,
                user_id: o.users[1],
                metric_name: "quality".into(),
                value: 70.0,
                recorded_at: now - time::Duration::days(d),
            },
        ));
    }
    pms_timeseries::ingest::load_batch(&db.maintenance, &rows).await?;
    let (trend, days): (String, i64) = {
        let mut tx = db.app.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(o.tenant.to_string())
            .execute(&mut *tx)
            .await?;
        let r = sqlx::query_as(
            "SELECT trend, days_with_data FROM calculate_engagement_trend($1, $2, '90 days')",
        )
        .bind(o.tenant)
        .bind(o.users[0])
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        r
    };
    assert_eq!(trend, "UP");
    assert!(days >= 59, "{days}");
    let flat: String = app_scalar(
        &db,
        o.tenant,
        &format!(
            "SELECT trend FROM calculate_engagement_trend('{}', '{}', '90 days')",
            o.tenant, o.users[1]
        ),
    )
    .await?;
    assert_eq!(flat, "NO_DATA", "no engagement points for that person");
    let last_week: i64 = app_scalar(
        &db,
        o.tenant,
        &format!(
            "SELECT count(*) FROM get_recent_performance_metrics('{}', '{}', 7)",
            o.tenant, o.users[1]
        ),
    )
    .await?;
    assert!((7..=8).contains(&last_week), "{last_week}");
    let e = sqlx::query("SELECT * FROM get_recent_performance_metrics($1, $2, 0)")
        .bind(o.tenant)
        .bind(o.users[1])
        .fetch_all(&db.app)
        .await
        .expect_err("days out of range");
    assert!(e.to_string().contains("days must be between"), "{e}");
    Ok(())
}

#[tokio::test]
async fn the_schema_checks_hold_on_timescaledb() -> anyhow::Result<()> {
    let db = timescale_db!("the_schema_checks_hold_on_timescaledb");
    let mut admin = db.admin().await?;
    use pms_test_support::catalog;
    assert_eq!(
        catalog::rls_violations(&mut admin).await?,
        Vec::<String>::new(),
        "RLS"
    );
    assert_eq!(
        catalog::uncommented_indexes(&mut admin).await?,
        Vec::<String>::new(),
        "indexes"
    );
    assert_eq!(
        catalog::security_definer_violations(&mut admin).await?,
        Vec::<String>::new(),
        "SECURITY DEFINER"
    );
    assert_eq!(
        catalog::objects_owned_by(&mut admin, "pms_app").await?,
        Vec::<String>::new(),
        "pms_app owns nothing"
    );
    assert_eq!(
        pms_timeseries::catalog::rls_violations(&mut admin).await?,
        Vec::<String>::new(),
        "engine RLS"
    );
    // The only owner-rights views are the eight public names, which filter by tenant
    // themselves (TimescaleDB storage cannot carry RLS).
    // (TimescaleDB's own views behind the aggregates run with their owner's rights too, but the
    // application and reporting roles may not read them.)
    let mut owner_rights = Vec::new();
    for v in catalog::views_without_security_invoker(&mut admin).await? {
        let readable: bool = sqlx::query_scalar(
            "SELECT has_table_privilege('pms_app', $1::regclass, 'SELECT') OR has_table_privilege('pms_readonly', $1::regclass, 'SELECT')",
        )
        .bind(&v)
        .fetch_one(&mut admin)
        .await?;
        if readable {
            owner_rights.push(format!("public.{}", v.trim_start_matches("public.")));
        }
    }
    owner_rights.sort();
    let mut expected: Vec<String> = TABLES
        .iter()
        .chain(&[
            "performance_metrics_daily",
            "performance_metrics_monthly",
            "engagement_metrics_weekly",
            "feedback_trends_monthly",
        ])
        .map(|n| format!("public.{n}"))
        .collect();
    expected.sort();
    assert_eq!(owner_rights, expected);
    Ok(())
}

/// A database that ran the native engine (with data, some of it packed) before this backend
/// existed moves its rows onto TimescaleDB when it is migrated.
#[tokio::test]
async fn a_native_database_moves_its_rows_onto_timescaledb() -> anyhow::Result<()> {
    let Some(mut db) =
        TimescaleDb::unmigrated("a_native_database_moves_its_rows_onto_timescaledb").await?
    else {
        return Ok(());
    };
    let mut admin = db.admin().await?;
    // The schema as it was before the switch migration: its migrations, and of today's
    // replaceable SQL only the native time-series engine's files (the others define functions
    // and views over tables that later migrations create), without the guard that calls
    // timeseries.backend(), and without the membership triggers and their refresh, whose
    // queue a later migration creates.
    let old: Vec<pms_db::migrate::Migration> = pms_db::migrate::migrations()
        .into_iter()
        .filter(|m| m.name < pms_db::backend::SWITCH_MIGRATION)
        .collect();
    let old_replaceable: Vec<(&'static str, &'static str)> = pms_db::migrate::replaceable()
        .iter()
        .filter(|(n, _)| n.starts_with("030_timeseries_") && !n.starts_with("030_timeseries_06_"))
        .map(|(n, sql)| {
            let text: &'static str = Box::leak(
                sql.replace("        CONTINUE WHEN timeseries.backend() <> 'native'; -- TimescaleDB logs its own invalidations\n", "")
                    .replace("    v_rows := v_rows + timeseries.refresh_membership(p_name); -- groups whose members changed\n", "")
                    .into_boxed_str(),
            );
            (*n, text)
        })
        .collect();
    pms_db::migrate::migrate_with(&mut admin, &old, &old_replaceable).await?;
    let (tenant, user) = (Uuid::now_v7(), Uuid::now_v7());
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'moved', 'Moved')")
        .bind(tenant)
        .execute(&mut admin)
        .await?;
    sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name) VALUES ($1, $2, 'm@moved.example.com', 'M', 'V')")
        .bind(tenant)
        .bind(user)
        .execute(&mut admin)
        .await?;
    sqlx::query("INSERT INTO performance_metrics_ts SELECT $1, $2, 'quality', g % 100 + 0.5, now() - g * interval '1 day' FROM generate_series(1, 400) g")
        .bind(tenant)
        .bind(user)
        .execute(&mut admin)
        .await?;
    let native: serde_json::Value = sqlx::query_scalar("SELECT timeseries_maintenance()")
        .fetch_one(&mut admin)
        .await?;
    assert!(
        native["chunks_compressed"].as_i64().unwrap_or(0) >= 1,
        "native packing happened: {native}"
    );
    db.migrate().await?;
    let (n, sum): (i64, f64) = app_scalar_pair(
        &db,
        tenant,
        "SELECT count(*), sum(value) FROM performance_metrics_ts",
    )
    .await?;
    assert_eq!(n, 400, "every row moved, packed ones included");
    let expected: f64 = (1..=400).map(|g| (g % 100) as f64 + 0.5).sum();
    assert!((sum - expected).abs() < 1e-6, "{sum} vs {expected}");
    Ok(())
}

async fn app_scalar_pair(db: &TimescaleDb, tenant: Uuid, sql: &str) -> anyhow::Result<(i64, f64)> {
    let mut tx = db.app.begin().await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await?;
    let v = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(v)
}

/// Team and department grains follow membership changes as on the native engine: the
/// membership triggers queue the groups that gained or lost a member, the materialized group
/// rows wait for the next refresh, which rebuilds exactly those groups.
#[tokio::test]
async fn group_grains_follow_membership_after_a_refresh() -> anyhow::Result<()> {
    let db = timescale_db!("group_grains_follow_membership_after_a_refresh");
    let o = common::org_in(&db.maintenance, "tsdb-members", 4).await?;
    for u in &o.users {
        points(
            &db.maintenance,
            "performance_metrics_ts",
            o.tenant,
            *u,
            "quality",
            "SELECT g, now() - g * interval '1 day' FROM generate_series(1, 90) g",
        )
        .await?;
    }
    common::refresh_timescale_rollups(&db).await?;
    let triggers: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'log_membership_%'")
            .fetch_one(&db.maintenance)
            .await?;
    assert_eq!(triggers, 6, "membership triggers on users and team_members");
    // User 0 leaves the department and the team.
    sqlx::query("UPDATE users SET department_id = NULL WHERE tenant_id = $1 AND id = $2")
        .bind(o.tenant)
        .bind(o.users[0])
        .execute(&db.maintenance)
        .await?;
    sqlx::query("DELETE FROM team_members WHERE tenant_id = $1 AND user_id = $2")
        .bind(o.tenant)
        .bind(o.users[0])
        .execute(&db.maintenance)
        .await?;
    let queued: Vec<(String, Uuid)> = sqlx::query_as(
        "SELECT DISTINCT grain, subject_id FROM timeseries.membership_invalidations WHERE rollup = 'performance_metrics_monthly' ORDER BY 1",
    )
    .fetch_all(&db.maintenance)
    .await?;
    assert_eq!(
        queued,
        [
            ("department".to_string(), o.department),
            ("team".to_string(), o.team)
        ]
    );
    let stale: i64 = app_scalar(
        &db,
        o.tenant,
        &rollup_diff(
            "performance_metrics_daily",
            "performance_metrics_ts",
            "1 day",
        ),
    )
    .await?;
    assert!(stale > 0, "materialized group rows wait for the refresh");
    common::refresh_timescale_rollups(&db).await?;
    for (rollup, width) in [
        ("performance_metrics_daily", "1 day"),
        ("performance_metrics_monthly", "1 month"),
    ] {
        let d: i64 = app_scalar(
            &db,
            o.tenant,
            &rollup_diff(rollup, "performance_metrics_ts", width),
        )
        .await?;
        assert_eq!(d, 0, "{rollup} after the move and a refresh");
    }
    let dept_n: i64 = app_scalar(&db, o.tenant, &format!(
        "SELECT sum(sample_count)::int8 FROM performance_metrics_monthly WHERE grain = 'department' AND subject_id = '{}'", o.department)).await?;
    let team_n: i64 = app_scalar(&db, o.tenant, &format!(
        "SELECT sum(sample_count)::int8 FROM performance_metrics_monthly WHERE grain = 'team' AND subject_id = '{}'", o.team)).await?;
    assert_eq!((dept_n, team_n), (3 * 90, 90));
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM timeseries.membership_invalidations")
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(left, 0, "the refresh took every queued group");
    Ok(())
}
