//! The backup gauges for the worker's `/metrics`: when the last backup and the last verified
//! backup finished, how the last drill went, and PostgreSQL's archiver counters
//! (`pg_stat_archiver`), so an alert fires when WAL stops reaching the repository.

use crate::config::BackupConfig;
use crate::error::Result;
use crate::pgbackrest::PgBackRest;
use crate::records;
use crate::server::PgServer;
use sqlx::PgConnection;

/// One gauge sample: name, labels, value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: &'static str,
    pub labels: Vec<(&'static str, String)>,
    pub value: f64,
}

fn sample(name: &'static str, repo: Option<u32>, value: f64) -> Sample {
    Sample {
        name,
        labels: repo
            .map(|r| vec![("repo", r.to_string())])
            .unwrap_or_default(),
        value,
    }
}

/// Reads the gauges. `conn` is any connection to the server (pg_stat_archiver is global).
pub async fn collect(
    cfg: &BackupConfig,
    server: &PgServer,
    conn: &mut PgConnection,
) -> Result<Vec<Sample>> {
    let mut out = Vec::new();
    let (archived, failed, last_archived, last_failed): (i64, i64, Option<f64>, Option<f64>) = sqlx::query_as(
        "SELECT archived_count, failed_count,
                extract(epoch FROM last_archived_time)::float8, extract(epoch FROM last_failed_time)::float8
           FROM pg_stat_archiver",
    )
    .fetch_one(&mut *conn)
    .await?;
    out.push(sample(
        "pms_backup_archiver_archived_total",
        None,
        archived as f64,
    ));
    out.push(sample(
        "pms_backup_archiver_failed_total",
        None,
        failed as f64,
    ));
    out.push(sample(
        "pms_backup_archiver_last_archived_timestamp_seconds",
        None,
        last_archived.unwrap_or(0.0),
    ));
    out.push(sample(
        "pms_backup_archiver_last_failed_timestamp_seconds",
        None,
        last_failed.unwrap_or(0.0),
    ));
    // Failing now: the newest attempt failed (a success since would be newer).
    let failing = matches!((last_failed, last_archived), (Some(f), a) if a.is_none_or(|a| f > a));
    out.push(sample(
        "pms_backup_archiver_failing",
        None,
        if failing { 1.0 } else { 0.0 },
    ));
    if !cfg.conf_file().is_file() {
        out.push(sample("pms_backup_configured", None, 0.0));
        return Ok(out);
    }
    out.push(sample("pms_backup_configured", None, 1.0));
    let sets = PgBackRest::new(cfg, server).backups()?;
    let recs = records::all(cfg)?;
    for repo in cfg.repos() {
        let last = sets.iter().filter(|s| s.repo == repo).map(|s| s.stop).max();
        out.push(sample(
            "pms_backup_last_success_timestamp_seconds",
            Some(repo),
            last.unwrap_or(0) as f64,
        ));
        let verified = sets
            .iter()
            .filter(|s| s.repo == repo)
            .filter(|s| {
                recs.iter()
                    .any(|r| r.repo == repo && r.label == s.label && r.verified())
            })
            .map(|s| s.stop)
            .max();
        out.push(sample(
            "pms_backup_last_verified_backup_timestamp_seconds",
            Some(repo),
            verified.unwrap_or(0) as f64,
        ));
        let last_drill = recs
            .iter()
            .filter(|r| r.repo == repo)
            .flat_map(|r| r.verifications.iter())
            .max_by(|a, b| a.at.cmp(&b.at));
        if let Some(v) = last_drill {
            out.push(sample(
                "pms_backup_last_verification_ok",
                Some(repo),
                if v.ok { 1.0 } else { 0.0 },
            ));
            let at =
                time::OffsetDateTime::parse(&v.at, &time::format_description::well_known::Rfc3339)
                    .map(|t| t.unix_timestamp() as f64)
                    .unwrap_or(0.0);
            out.push(sample(
                "pms_backup_last_verification_timestamp_seconds",
                Some(repo),
                at,
            ));
        }
    }
    Ok(out)
}

/// Sets the samples as gauges in the process's metrics recorder (the worker's `/metrics`).
pub fn publish(samples: &[Sample]) {
    for s in samples {
        let labels: Vec<metrics::Label> = s
            .labels
            .iter()
            .map(|(k, v)| metrics::Label::new(*k, v.clone()))
            .collect();
        metrics::gauge!(s.name, labels).set(s.value);
    }
}

/// The samples in Prometheus text format (for `pms backup metrics` and tests).
pub fn render(samples: &[Sample]) -> String {
    let mut out = String::new();
    for s in samples {
        let labels = if s.labels.is_empty() {
            String::new()
        } else {
            format!(
                "{{{}}}",
                s.labels
                    .iter()
                    .map(|(k, v)| format!("{k}=\"{v}\""))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        };
        out.push_str(&format!("{}{labels} {}\n", s.name, s.value));
    }
    out
}
