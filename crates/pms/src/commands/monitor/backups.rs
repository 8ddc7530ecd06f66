//! The backups section from the backups themselves: pgBackRest's list and pms's records of the
//! restore drills (`PMS_DATA_DIR/backups`), which live outside the database so that they
//! outlive it. `pms-monitor` sees only the database; the binary, which knows both, fills the
//! section in when `pms backup init` has run for this data directory.

use pms_backup::config::BackupConfig;
use pms_core::Config;
use pms_monitor::report::{Report, Section, SectionName, Status};
use serde_json::json;

/// Age after which the newest backup is a warning: the schedule takes one a day.
const STALE_BACKUP_SECS: f64 = 26.0 * 3600.0;
/// Age after which the newest verification is a warning: the drill runs weekly.
const STALE_VERIFICATION_SECS: f64 = 8.0 * 24.0 * 3600.0;

pub async fn add_platform_backups(config: &Config, report: &mut Report) {
    if !report.sections.contains_key(&SectionName::Backups) {
        return;
    }
    let Ok(cfg) = BackupConfig::from_env(&config.data_dir) else {
        return;
    };
    if !cfg.conf_file().is_file() {
        return; // not configured: the database-side section says so
    }
    let section = match collect(config, &cfg).await {
        Ok(s) => s,
        Err(e) => Section::new(
            Status::Error,
            format!("backups are configured but cannot be read: {e:#}"),
            serde_json::Value::Null,
        ),
    };
    report.sections.insert(SectionName::Backups, section);
}

async fn collect(config: &Config, cfg: &BackupConfig) -> anyhow::Result<Section> {
    let server = super::super::backup::server(config, false).await?;
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&server.admin_url).await?;
    let samples = pms_backup::metrics::collect(cfg, &server, &mut conn).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp() as f64;
    let value = |name: &str| {
        samples
            .iter()
            .filter(|s| s.name == name && s.value > 0.0)
            .map(|s| s.value)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
    };
    let age = |t: Option<f64>| t.map(|t| (now - t).max(0.0));
    let backup_age = age(value("pms_backup_last_success_timestamp_seconds"));
    let verified_age = age(value("pms_backup_last_verified_backup_timestamp_seconds"));
    let drill_ok = samples
        .iter()
        .filter(|s| s.name == "pms_backup_last_verification_ok")
        .all(|s| s.value == 1.0);
    let archiver_failing = value("pms_backup_archiver_failing").is_some();
    let mut problems = Vec::new();
    match backup_age {
        None => problems.push("no backup taken yet (pms backup create)".to_string()),
        Some(a) if a > STALE_BACKUP_SECS => {
            problems.push(format!("the newest backup is {} old", hours(a)))
        }
        _ => {}
    }
    match verified_age {
        None => {
            problems.push("no backup verified by a restore drill yet (pms backup verify)".into())
        }
        Some(a) if a > STALE_VERIFICATION_SECS => {
            problems.push(format!("the newest verified backup is {} old", hours(a)))
        }
        _ => {}
    }
    if !drill_ok {
        problems.push("the last restore drill failed (pms backup list)".into());
    }
    if archiver_failing {
        problems.push("WAL archiving is failing (pg_stat_archiver)".into());
    }
    let summary = format!(
        "newest backup {}, newest verified {}{}",
        backup_age.map_or("none".into(), hours),
        verified_age.map_or("none".into(), hours),
        if problems.is_empty() {
            String::new()
        } else {
            format!(": {}", problems.join("; "))
        }
    );
    let status = if problems.is_empty() {
        Status::Ok
    } else {
        Status::Warning
    };
    Ok(Section::new(
        status,
        summary,
        json!({
            "configured": true,
            "last_backup_age_seconds": backup_age,
            "last_verified_backup_age_seconds": verified_age,
            "last_drill_ok": drill_ok,
            "archiver_failing": archiver_failing,
        }),
    ))
}

fn hours(secs: f64) -> String {
    if secs < 3600.0 {
        format!("{:.0} min ago", secs / 60.0)
    } else {
        format!("{:.1} h ago", secs / 3600.0)
    }
}
