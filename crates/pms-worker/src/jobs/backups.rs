//! The backup schedule: `backup_create` takes the backup that is due (weekly full, daily
//! differential into the local repository; weekly full on S3), `backup_verify` runs the weekly
//! restore drill and fails (a failed-job alert) when the backup does not verify,
//! `backup_metrics` refreshes the `pms_backup_*` gauges. Each decides from the repository's
//! own list, so a restart or a second worker never doubles a backup. They are registered only
//! when `pms backup init` has run for this data directory.

use crate::scheduler::{Job, JobContext, JobFuture};
use pms_backup::{BackupConfig, PgServer};
use std::sync::Arc;
use std::time::Duration;

/// The backup jobs, or none when backups are not initialised.
pub fn jobs(cfg: BackupConfig, server: PgServer) -> Vec<Arc<dyn Job>> {
    if !cfg.conf_file().is_file() {
        return Vec::new();
    }
    let shared = Arc::new((cfg, server));
    vec![
        Arc::new(BackupCreate(shared.clone())),
        Arc::new(BackupVerify(shared.clone())),
        Arc::new(BackupMetrics(shared)),
    ]
}

type Shared = Arc<(BackupConfig, PgServer)>;

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

pub struct BackupCreate(Shared);

impl Job for BackupCreate {
    fn name(&self) -> &'static str {
        "backup_create"
    }
    fn interval(&self) -> Duration {
        Duration::from_secs(15 * 60)
    }
    fn run<'a>(&'a self, _ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            let (cfg, server) = &*self.0;
            let mut taken = Vec::new();
            for repo in cfg.repos() {
                let sets = pms_backup::pgbackrest::PgBackRest::new(cfg, server)
                    .backups()
                    .map_err(|e| format!("listing backups: {e}"))?;
                if let Some(kind) = pms_backup::schedule::due_backup(cfg, &sets, repo, now()) {
                    let (_, set) = pms_backup::create::create(cfg, server, kind, repo)
                        .await
                        .map_err(|e| {
                            format!("{} backup into repository {repo}: {e}", kind.as_str())
                        })?;
                    taken.push(
                        serde_json::json!({"repo": repo, "label": set.label, "type": set.kind}),
                    );
                }
            }
            Ok(serde_json::json!({ "taken": taken }))
        })
    }
}

pub struct BackupVerify(Shared);

impl Job for BackupVerify {
    fn name(&self) -> &'static str {
        "backup_verify"
    }
    fn interval(&self) -> Duration {
        Duration::from_secs(60 * 60)
    }
    fn run<'a>(&'a self, _ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            let (cfg, server) = &*self.0;
            let records = pms_backup::records::all(cfg)
                .map_err(|e| format!("reading backup records: {e}"))?;
            if !pms_backup::schedule::due_verification(cfg, &records, now()) {
                return Ok(serde_json::json!({ "due": false }));
            }
            let report = pms_backup::verify::verify(cfg, server, None, None)
                .await
                .map_err(|e| format!("backup drill: {e}"))?;
            if !report.verification.ok {
                return Err(format!(
                    "backup {} failed verification: {}",
                    report.label,
                    report.verification.problems.join("; ")
                )
                .into());
            }
            Ok(
                serde_json::json!({ "verified": report.label, "restore_ms": report.verification.restore_ms }),
            )
        })
    }
}

pub struct BackupMetrics(Shared);

impl Job for BackupMetrics {
    fn name(&self) -> &'static str {
        "backup_metrics"
    }
    fn interval(&self) -> Duration {
        Duration::from_secs(60)
    }
    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            let (cfg, server) = &*self.0;
            let mut conn = ctx
                .maintenance
                .acquire()
                .await
                .map_err(|e| format!("connection: {e}"))?;
            let samples = pms_backup::metrics::collect(cfg, server, &mut conn)
                .await
                .map_err(|e| format!("backup metrics: {e}"))?;
            pms_backup::metrics::publish(&samples);
            Ok(serde_json::json!({ "gauges": samples.len() }))
        })
    }
}
