//! Storage: unused and duplicate indexes, dead tuples and vacuum/analyze times, the size of
//! the database and the disk of its data directory. Catalog and statistics reads only; sizes
//! are asked of the largest relations by `relpages`, not of every relation.

use super::{ReportOptions, Section, Status, human_bytes, table};
use serde_json::json;
use sqlx::PgConnection;
use time::OffsetDateTime;

fn when(t: Option<OffsetDateTime>) -> String {
    t.map_or_else(
        || "never".to_string(),
        |t| {
            let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
            t.format(&f).unwrap_or_default()
        },
    )
}

pub async fn indexes(c: &mut PgConnection) -> Result<Section, sqlx::Error> {
    let since: Option<OffsetDateTime> = sqlx::query_scalar(
        "SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()",
    )
    .fetch_one(&mut *c)
    .await?;
    let unused: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT s.schemaname || '.' || s.relname, s.indexrelname::text, pg_relation_size(s.indexrelid)
           FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
          WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion
          ORDER BY 3 DESC, 2 LIMIT 20",
    )
    .fetch_all(&mut *c)
    .await?;
    let unused_total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
          WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion",
    )
    .fetch_one(&mut *c)
    .await?;
    let dups: Vec<(String, Vec<String>, i64)> = sqlx::query_as(
        "SELECT i.indrelid::regclass::text, array_agg(i.indexrelid::regclass::text ORDER BY i.indexrelid::regclass::text),
                sum(pg_relation_size(i.indexrelid))::bigint
           FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
          GROUP BY i.indrelid, i.indkey::text, i.indclass::text, i.indcollation::text,
                   coalesce(pg_get_expr(i.indexprs, i.indrelid), ''), coalesce(pg_get_expr(i.indpred, i.indrelid), '')
         HAVING count(*) > 1
          ORDER BY 3 DESC LIMIT 20",
    )
    .fetch_all(&mut *c)
    .await?;
    let status = if dups.is_empty() {
        Status::Ok
    } else {
        Status::Warning
    };
    let summary = format!(
        "{unused_total} never scanned since {} (unique and primary keys not counted), {} set(s) of duplicates",
        since.map_or("the statistics began".to_string(), |t| when(Some(t))),
        dups.len()
    );
    let data = json!({
        "stats_since": since.map(|t| t.unix_timestamp()),
        "unused_total": unused_total,
        "unused": unused.iter().map(|r| json!({"table": r.0, "index": r.1, "bytes": r.2})).collect::<Vec<_>>(),
        "duplicates": dups.iter().map(|r| json!({"table": r.0, "indexes": r.1, "bytes": r.2})).collect::<Vec<_>>(),
    });
    let mut lines = Vec::new();
    if !unused.is_empty() {
        lines.push("largest unused:".to_string());
        lines.extend(table(
            &["table", "index", "size"],
            &unused
                .iter()
                .map(|r| vec![r.0.clone(), r.1.clone(), human_bytes(r.2 as f64)])
                .collect::<Vec<_>>(),
        ));
    }
    if !dups.is_empty() {
        lines.push(
            "duplicates (same columns, operator classes, expressions and predicate):".to_string(),
        );
        lines.extend(table(
            &["table", "indexes", "size"],
            &dups
                .iter()
                .map(|r| vec![r.0.clone(), r.1.join(", "), human_bytes(r.2 as f64)])
                .collect::<Vec<_>>(),
        ));
    }
    Ok(Section::new(status, summary, data).lines(lines))
}

pub async fn bloat(c: &mut PgConnection) -> Result<Section, sqlx::Error> {
    type Row = (
        String,
        i64,
        i64,
        Option<f64>,
        Option<OffsetDateTime>,
        Option<OffsetDateTime>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT schemaname || '.' || relname, n_live_tup, n_dead_tup,
                CASE WHEN n_live_tup + n_dead_tup > 0 THEN n_dead_tup::float8 / (n_live_tup + n_dead_tup) END,
                greatest(last_vacuum, last_autovacuum), greatest(last_analyze, last_autoanalyze)
           FROM pg_stat_user_tables WHERE n_dead_tup > 0
          ORDER BY n_dead_tup DESC LIMIT 20",
    )
    .fetch_all(&mut *c)
    .await?;
    let bloated = rows
        .iter()
        .filter(|r| r.2 > 10_000 && r.3.is_some_and(|d| d > 0.2))
        .count();
    let status = if bloated > 0 {
        Status::Warning
    } else {
        Status::Ok
    };
    let summary = if rows.is_empty() {
        "no dead tuples".to_string()
    } else {
        format!(
            "{} table(s) with dead tuples; {bloated} over 20% dead and 10,000 rows",
            rows.len()
        )
    };
    let data = json!({"tables": rows.iter().map(|r| json!({
        "table": r.0, "live": r.1, "dead": r.2, "dead_ratio": r.3,
        "last_vacuum": r.4.map(|t| t.unix_timestamp()), "last_analyze": r.5.map(|t| t.unix_timestamp()),
    })).collect::<Vec<_>>()});
    let lines = if rows.is_empty() {
        Vec::new()
    } else {
        table(
            &[
                "table",
                "live",
                "dead",
                "dead %",
                "last vacuum",
                "last analyze",
            ],
            &rows
                .iter()
                .map(|r| {
                    vec![
                        r.0.clone(),
                        r.1.to_string(),
                        r.2.to_string(),
                        r.3.map_or("-".into(), |d| format!("{:.1}", d * 100.0)),
                        when(r.4),
                        when(r.5),
                    ]
                })
                .collect::<Vec<_>>(),
        )
    };
    Ok(Section::new(status, summary, data).lines(lines))
}

pub async fn disk(c: &mut PgConnection, o: &ReportOptions) -> Result<Section, sqlx::Error> {
    let size: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(&mut *c)
        .await?;
    let largest: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.oid::regclass::text, pg_total_relation_size(t.oid)
           FROM (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                    AND n.nspname NOT LIKE 'pg_toast%'
                  ORDER BY c.relpages DESC LIMIT 10) t
          ORDER BY 2 DESC",
    )
    .fetch_all(&mut *c)
    .await?;
    let opts = crate::MonitorOptions {
        data_dir: o.data_dir.clone(),
        ..Default::default()
    };
    sqlx::query("SAVEPOINT datadir").execute(&mut *c).await?;
    let dir = match crate::metrics::database::data_directory(c, &opts).await {
        Ok(d) => Some(d),
        Err(_) => {
            sqlx::query("ROLLBACK TO SAVEPOINT datadir")
                .execute(&mut *c)
                .await?;
            None
        }
    };
    let usage = dir.as_deref().and_then(crate::disk::usage);
    let mut data = json!({
        "database_bytes": size,
        "data_directory": dir.as_ref().map(|d| d.display().to_string()),
        "largest": largest.iter().map(|r| json!({"table": r.0, "bytes": r.1})).collect::<Vec<_>>(),
    });
    let mut notes = Vec::new();
    let (status, summary) = match (&dir, usage) {
        (_, Some(u)) => {
            data["disk"] = json!(u);
            data["disk_free_ratio"] = json!(u.free_ratio());
            let status = if u.free_ratio() < 0.2 {
                Status::Warning
            } else {
                Status::Ok
            };
            (
                status,
                format!(
                    "database {}; data directory's disk {:.1}% free ({} of {})",
                    human_bytes(size as f64),
                    u.free_ratio() * 100.0,
                    human_bytes(u.available_bytes as f64),
                    human_bytes(u.total_bytes as f64)
                ),
            )
        }
        (Some(d), None) => {
            notes.push(format!(
                "the data directory {} is not on this machine (or not readable): watch the database host's disk, or run pms on it, or set PMS_MONITOR_DATA_DIR",
                d.display()
            ));
            (
                Status::Ok,
                format!(
                    "database {}; disk not visible from here",
                    human_bytes(size as f64)
                ),
            )
        }
        (None, None) => {
            notes.push(
                "this login cannot read data_directory: grant it pg_read_all_settings (part of pg_monitor), or set PMS_MONITOR_DATA_DIR".to_string(),
            );
            (
                Status::Ok,
                format!(
                    "database {}; disk not visible from here",
                    human_bytes(size as f64)
                ),
            )
        }
    };
    let lines = table(
        &["largest tables", "size with indexes"],
        &largest
            .iter()
            .map(|r| vec![r.0.clone(), human_bytes(r.1 as f64)])
            .collect::<Vec<_>>(),
    );
    let mut s = Section::new(status, summary, data).lines(lines);
    s.notes = notes;
    Ok(s)
}
