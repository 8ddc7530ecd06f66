//! Replication: on a primary, every streaming replica's state and lag (time and bytes) and the
//! replication slots; on a standby, how far replay is behind. No replica is not an error: the
//! section says so and where to read how to add one.

use super::{GRANT_STATS, Section, Status, human_bytes, human_secs, reads_all_stats, table};
use serde_json::json;
use sqlx::PgConnection;

pub async fn replication(c: &mut PgConnection) -> Result<Section, sqlx::Error> {
    let standby: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
        .fetch_one(&mut *c)
        .await?;
    if standby {
        let (delay, paused): (Option<f64>, bool) = sqlx::query_as(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                         ELSE extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) END::float8,
                    pg_is_wal_replay_paused()",
        )
        .fetch_one(&mut *c)
        .await?;
        let status = if paused || delay.is_some_and(|d| d > 60.0) {
            Status::Warning
        } else {
            Status::Ok
        };
        return Ok(Section::new(
            status,
            format!(
                "this server is a standby; replay {} behind{}",
                delay.map_or("?".into(), human_secs),
                if paused { ", replay PAUSED" } else { "" }
            ),
            json!({"role": "standby", "replay_delay_seconds": delay, "replay_paused": paused}),
        ));
    }
    type Row = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT nullif(application_name, ''), host(client_addr), state, sync_state,
                extract(epoch FROM write_lag)::float8, extract(epoch FROM replay_lag)::float8,
                pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8
           FROM pg_stat_replication ORDER BY 1, 2",
    )
    .fetch_all(&mut *c)
    .await?;
    let slots: Vec<(String, bool, Option<f64>)> = sqlx::query_as(
        "SELECT slot_name::text, active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8
           FROM pg_replication_slots ORDER BY 1",
    )
    .fetch_all(&mut *c)
    .await?;
    let data = json!({
        "role": "primary",
        "replicas": rows.iter().map(|r| json!({
            "name": r.0, "client": r.1, "state": r.2, "sync_state": r.3,
            "write_lag_seconds": r.4, "replay_lag_seconds": r.5, "replay_lag_bytes": r.6,
        })).collect::<Vec<_>>(),
        "slots": slots.iter().map(|s| json!({"slot": s.0, "active": s.1, "retained_bytes": s.2})).collect::<Vec<_>>(),
    });
    if rows.is_empty() {
        let mut s = Section::unavailable(
            "no streaming replica is connected (pg_stat_replication is empty)",
            "to add one: pg_basebackup -R -D <dir> from this server, start it, and it appears here; see docs/OPERATIONS.md, \"Replication\"",
        );
        s.data = data;
        if slots.iter().any(|s| !s.1) {
            s.status = Status::Warning;
            s.notes.push("an inactive replication slot retains WAL: drop it (pg_drop_replication_slot) if its replica is gone".into());
        }
        return Ok(s);
    }
    let worst = rows.iter().filter_map(|r| r.5).fold(0.0_f64, f64::max);
    let status = if worst > 60.0 {
        Status::Warning
    } else {
        Status::Ok
    };
    let lines = table(
        &["replica", "client", "state", "sync", "replay lag", "behind"],
        &rows
            .iter()
            .map(|r| {
                vec![
                    r.0.clone().unwrap_or_default(),
                    r.1.clone().unwrap_or_else(|| "local".into()),
                    r.2.clone().unwrap_or_else(|| "?".into()),
                    r.3.clone().unwrap_or_default(),
                    r.5.map_or("0".into(), human_secs),
                    r.6.map_or("?".into(), human_bytes),
                ]
            })
            .collect::<Vec<_>>(),
    );
    let mut s = Section::new(
        status,
        format!(
            "{} replica(s); worst replay lag {}",
            rows.len(),
            human_secs(worst)
        ),
        data,
    )
    .lines(lines);
    if !reads_all_stats(c).await? {
        s = s.note(format!(
            "lag columns are empty for this login: {GRANT_STATS}"
        ));
    }
    Ok(s)
}
