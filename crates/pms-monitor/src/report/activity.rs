//! Sessions and statements: long-running queries, the slowest statements, connections against
//! `max_connections` per role (the pools as the server sees them), buffer hit ratios.

use super::{GRANT_STATS, ReportOptions, Section, Status, human_secs, reads_all_stats, table};
use crate::sql::quote_ident;
use serde_json::json;
use sqlx::PgConnection;

pub async fn queries(c: &mut PgConnection, o: &ReportOptions) -> Result<Section, sqlx::Error> {
    type Row = (
        i32,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        f64,
        Option<f64>,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT pid, usename::text, datname::text, state, wait_event_type || ':' || wait_event,
                    extract(epoch FROM clock_timestamp() - query_start)::float8,
                    extract(epoch FROM clock_timestamp() - xact_start)::float8,
                    left(query, 300)
               FROM pg_stat_activity
              WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
                AND state IS DISTINCT FROM 'idle'
                AND query_start < clock_timestamp() - make_interval(secs => $1)
              ORDER BY query_start LIMIT 50",
    )
    .bind(o.long_query.as_secs_f64())
    .fetch_all(&mut *c)
    .await?;
    let hidden: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE query = '<insufficient privilege>' AND datid IS NOT NULL",
    )
    .fetch_one(&mut *c)
    .await?;
    let threshold = human_secs(o.long_query.as_secs_f64());
    let status = if rows.is_empty() {
        Status::Ok
    } else {
        Status::Warning
    };
    let summary = if rows.is_empty() {
        format!("none running longer than {threshold}")
    } else {
        format!("{} running longer than {threshold}", rows.len())
    };
    let data = json!({
        "threshold_seconds": o.long_query.as_secs_f64(),
        "hidden_sessions": hidden,
        "queries": rows.iter().map(|r| json!({
            "pid": r.0, "user": r.1, "database": r.2, "state": r.3, "wait": r.4,
            "seconds": r.5, "transaction_seconds": r.6, "query": r.7,
        })).collect::<Vec<_>>(),
    });
    let lines = if rows.is_empty() {
        Vec::new()
    } else {
        table(
            &["pid", "user", "db", "running", "state", "wait", "query"],
            &rows
                .iter()
                .map(|r| {
                    vec![
                        r.0.to_string(),
                        r.1.clone().unwrap_or_default(),
                        r.2.clone().unwrap_or_default(),
                        human_secs(r.5),
                        r.3.clone().unwrap_or_default(),
                        r.4.clone().unwrap_or_default(),
                        r.7.clone(),
                    ]
                })
                .collect::<Vec<_>>(),
        )
    };
    let mut s = Section::new(status, summary, data).lines(lines);
    if hidden > 0 {
        s = s.note(format!(
            "{hidden} session(s) of other roles are hidden from this login (pg_stat_activity shows <insufficient privilege>): {GRANT_STATS}"
        ));
    }
    Ok(s)
}

pub async fn statements(c: &mut PgConnection) -> Result<Section, sqlx::Error> {
    let schema: Option<String> = sqlx::query_scalar(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_stat_statements'",
    )
    .fetch_optional(&mut *c)
    .await?;
    let Some(schema) = schema else {
        return Ok(Section::unavailable(
            "pg_stat_statements is not installed in this database",
            "enable it: add pg_stat_statements to shared_preload_libraries in postgresql.conf, restart PostgreSQL, then run CREATE EXTENSION pg_stat_statements (pms migrate does this when run as a superuser; the private cluster preloads it)",
        ));
    };
    let sql = format!(
        "SELECT queryid, calls, total_exec_time, mean_exec_time, max_exec_time, rows, left(query, 300)
           FROM {}.pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          ORDER BY total_exec_time DESC LIMIT 10",
        quote_ident(&schema)
    );
    sqlx::query("SAVEPOINT pgss").execute(&mut *c).await?;
    type Stmt = (Option<i64>, i64, f64, f64, f64, i64, Option<String>);
    let rows: Result<Vec<Stmt>, _> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *c)
        .await;
    let rows = match rows {
        Ok(r) => r,
        Err(e) if e.to_string().contains("shared_preload_libraries") => {
            sqlx::query("ROLLBACK TO SAVEPOINT pgss")
                .execute(&mut *c)
                .await?;
            return Ok(Section::unavailable(
                "pg_stat_statements is installed but not loaded",
                "add pg_stat_statements to shared_preload_libraries in postgresql.conf and restart PostgreSQL",
            ));
        }
        Err(e) => return Err(e),
    };
    let all = reads_all_stats(c).await?;
    let data = json!({"statements": rows.iter().map(|r| json!({
        "queryid": r.0, "calls": r.1, "total_ms": r.2, "mean_ms": r.3, "max_ms": r.4, "rows": r.5, "query": r.6,
    })).collect::<Vec<_>>()});
    let slow = rows.iter().filter(|r| r.3 > 1000.0).count();
    let summary = if slow > 0 {
        format!("{slow} of the top {} average over 1 s", rows.len())
    } else {
        format!("top {} by total time", rows.len())
    };
    let lines = table(
        &["calls", "total", "mean", "max", "query"],
        &rows
            .iter()
            .map(|r| {
                vec![
                    r.1.to_string(),
                    human_secs(r.2 / 1000.0),
                    format!("{:.1} ms", r.3),
                    format!("{:.1} ms", r.4),
                    r.6.clone()
                        .unwrap_or_else(|| "<insufficient privilege>".into()),
                ]
            })
            .collect::<Vec<_>>(),
    );
    let status = if slow > 0 {
        Status::Warning
    } else {
        Status::Ok
    };
    let mut s = Section::new(status, summary, data).lines(lines);
    if !all {
        s = s.note(format!(
            "statements of other roles show no text: {GRANT_STATS}"
        ));
    }
    Ok(s)
}

pub async fn connections(c: &mut PgConnection) -> Result<Section, sqlx::Error> {
    let (max, reserved, total): (i32, i32, i64) = sqlx::query_as(
        "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int,
                (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'
                    OR (backend_type IS NULL AND datid IS NOT NULL))",
    )
    .fetch_one(&mut *c)
    .await?;
    type ByRole = (Option<String>, Option<String>, i64, i64, i64, i64);
    let rows: Vec<ByRole> = sqlx::query_as(
        "SELECT usename::text, nullif(application_name, ''),
                count(*) FILTER (WHERE state = 'active'), count(*) FILTER (WHERE state = 'idle'),
                count(*) FILTER (WHERE state LIKE 'idle in transaction%'), count(*)
           FROM pg_stat_activity
          WHERE backend_type = 'client backend' OR (backend_type IS NULL AND datid IS NOT NULL)
          GROUP BY 1, 2 ORDER BY 6 DESC LIMIT 30",
    )
    .fetch_all(&mut *c)
    .await?;
    let usable = (max - reserved).max(1);
    let share = total as f64 / f64::from(usable);
    let status = if share >= 0.9 {
        Status::Warning
    } else {
        Status::Ok
    };
    let summary = format!(
        "{total} of {usable} connections in use ({:.0}%; max_connections {max}, {reserved} reserved for superusers)",
        share * 100.0
    );
    let data = json!({
        "max_connections": max, "superuser_reserved": reserved, "in_use": total,
        "by_role": rows.iter().map(|r| json!({
            "role": r.0, "application": r.1, "active": r.2, "idle": r.3, "idle_in_transaction": r.4, "total": r.5,
        })).collect::<Vec<_>>(),
    });
    let lines = table(
        &[
            "role",
            "application",
            "active",
            "idle",
            "idle in tx",
            "total",
        ],
        &rows
            .iter()
            .map(|r| {
                vec![
                    r.0.clone().unwrap_or_default(),
                    r.1.clone().unwrap_or_default(),
                    r.2.to_string(),
                    r.3.to_string(),
                    r.4.to_string(),
                    r.5.to_string(),
                ]
            })
            .collect::<Vec<_>>(),
    );
    Ok(Section::new(status, summary, data).lines(lines).note(
        "the pools of a running worker (size, idle, in use, waiters, acquire time) are on its /metrics as pms_pool_*; the rows above are the pools as the server sees them",
    ))
}

pub async fn cache(c: &mut PgConnection) -> Result<Section, sqlx::Error> {
    let (hit, read, idx_hit, idx_read): (f64, f64, f64, f64) = sqlx::query_as(
        "SELECT blks_hit::float8, blks_read::float8,
                (SELECT coalesce(sum(idx_blks_hit), 0)::float8 FROM pg_statio_user_indexes),
                (SELECT coalesce(sum(idx_blks_read), 0)::float8 FROM pg_statio_user_indexes)
           FROM pg_stat_database WHERE datname = current_database()",
    )
    .fetch_one(&mut *c)
    .await?;
    let ratio = |h: f64, r: f64| if h + r > 0.0 { Some(h / (h + r)) } else { None };
    let (all, idx) = (ratio(hit, read), ratio(idx_hit, idx_read));
    let pct = |r: Option<f64>| r.map_or("n/a".to_string(), |r| format!("{:.2}%", r * 100.0));
    let status = if all.is_some_and(|r| r < 0.95) {
        Status::Warning
    } else {
        Status::Ok
    };
    let summary = format!("PostgreSQL buffers {} (indexes {})", pct(all), pct(idx));
    let data = json!({"postgres": {"blocks_hit": hit, "blocks_read": read, "hit_ratio": all,
                                   "index_blocks_hit": idx_hit, "index_blocks_read": idx_read, "index_hit_ratio": idx}});
    Ok(Section::new(status, summary, data))
}
