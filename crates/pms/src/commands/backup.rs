//! `pms backup ...`: pgBackRest-based backups of the platform's PostgreSQL (the private cluster,
//! or a `DATABASE_URL` server on this host): set-up, backups, the list with each backup's
//! verification, restore drills, point-in-time restore into a new cluster.

use crate::context::Database;
use anyhow::{Context as _, bail};
use pms_backup::create::BackupKind;
use pms_backup::list::human_bytes;
use pms_backup::{BackupConfig, PgServer};
use pms_core::Config;
use pms_db::cluster::Cluster;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Configure pgBackRest (stanza `pms`, local repository under PMS_DATA_DIR/backups, S3 when
    /// PMS_BACKUP_S3_URL is set), turn on WAL archiving (restarts the private cluster if
    /// needed), and run `pgbackrest check`.
    Init {
        /// Also set up a DATABASE_URL server (it must run on this host; pms changes its
        /// archive settings with ALTER SYSTEM).
        #[arg(long)]
        external: bool,
    },
    /// Check that WAL reaches every repository (`pgbackrest check`).
    Check,
    /// Take a backup and record its manifest (row counts, hashes, security) for verification.
    Create {
        /// full, diff or incr.
        #[arg(long = "type", default_value = "full")]
        kind: BackupKind,
        /// 1 = local repository, 2 = S3.
        #[arg(long, default_value_t = 1)]
        repo: u32,
    },
    /// Every backup: type, size, duration, WAL range, and whether a drill verified it.
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Restore drill: `pgbackrest verify`, restore into a scratch cluster, check everything
    /// against the manifest recorded at backup time. Exits non-zero when the backup fails.
    Verify {
        /// The backup label (default: the newest backup pms took).
        #[arg(long = "backup")]
        label: Option<String>,
        /// Only this repository.
        #[arg(long)]
        repo: Option<u32>,
    },
    /// Put ONE tenant back to a point in time, leaving every other tenant untouched: restore
    /// into a scratch cluster at TIME, then swap that tenant's rows in one transaction.
    RestoreTenant {
        /// The tenant's id.
        #[arg(long)]
        tenant: pms_core::TenantId,
        /// The time: 2026-12-02T15:04:05Z, or "2026-12-02 15:04:05" (UTC).
        #[arg(long)]
        to: String,
        /// Print the row counts that would change per table; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Logical export: the whole database (pg_dump custom format into FILE), or with
    /// --tenant one tenant as a portable directory (per-table COPY files, manifest, checksums).
    Export {
        /// Only this tenant.
        #[arg(long)]
        tenant: Option<pms_core::TenantId>,
        /// The file (database) or directory (tenant) to write; must not exist.
        #[arg(long)]
        to: PathBuf,
    },
    /// Import an export: a tenant directory into this platform's database (the tenant must not
    /// exist there), or a database dump into an EMPTY database (--into, default this platform's).
    Import {
        /// The export: a pg_dump file, or a tenant export directory.
        #[arg(long)]
        from: PathBuf,
        /// Target database URL (superuser) for a whole-database import.
        #[arg(long)]
        into: Option<String>,
    },
    /// Benchmark on this cluster as it is (seed it first): full backup against pg_basebackup
    /// in the same run, sizes, an incremental after a day of writes, restore time (RTO).
    Bench {
        /// Rounds of (pg_basebackup plain, pg_basebackup zstd, full backup, each variant).
        #[arg(long, default_value_t = 2)]
        rounds: u32,
        /// Also time full backups with these pgBackRest options (repeatable), written without
        /// their dashes and separated by commas: `--variant process-max=4,compress-level=3`.
        #[arg(long = "variant", value_name = "OPTIONS")]
        variants: Vec<String>,
        /// Skip the restore drill of the incremental (it restores and hashes everything).
        #[arg(long)]
        no_drill: bool,
    },
    /// Print the backup gauges (what the worker exports on /metrics) in Prometheus text format.
    Metrics,
    /// Point-in-time restore into a NEW cluster, left running on its own port.
    Restore(RestoreArgs),
}

/// The server whose backups are managed, without starting anything: a restore must work when
/// the server is dead.
pub(crate) async fn server(config: &Config, start: bool) -> anyhow::Result<PgServer> {
    match &config.database_url {
        Some(url) => PgServer::local(url).await.context("DATABASE_URL server"),
        None if start => {
            let db = Database::open(config, false).await?;
            let cluster = db.cluster.context("private cluster")?;
            Ok(PgServer::private(&cluster))
        }
        None => Ok(PgServer::private(
            &Cluster::new(&config.data_dir).context("private PostgreSQL cluster")?,
        )),
    }
}

/// The worker's backup jobs (none until `pms backup init` has run for this data directory).
pub async fn worker_jobs(
    config: &Config,
    db: &Database,
) -> anyhow::Result<Vec<std::sync::Arc<dyn pms_worker::Job>>> {
    let cfg = BackupConfig::from_env(&config.data_dir)?;
    if !cfg.conf_file().is_file() {
        return Ok(Vec::new());
    }
    let server = match &db.cluster {
        Some(c) => PgServer::private(c),
        None => server(config, false).await?,
    };
    Ok(pms_worker::jobs::backups::jobs(cfg, server))
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let cfg = BackupConfig::from_env(&config.data_dir)?;
    match args.action {
        Action::Init { external } => {
            if config.database_url.is_some() && !external {
                bail!(
                    "DATABASE_URL is set: pms would change that server's archive settings; run `pms backup init --external` to do so (the server must run on this host)"
                );
            }
            let server = server(config, true).await?;
            let report = pms_backup::init::init(&cfg, &server).await?;
            println!(
                "backups initialised: stanza `pms`, configuration {}",
                report.conf
            );
            println!("  local repository: {}", cfg.local_repo().display());
            if let Some(s3) = &cfg.s3 {
                println!(
                    "  S3 repository: s3://{}{} at {}:{}",
                    s3.bucket, s3.path, s3.endpoint, s3.port
                );
            }
            for c in &report.changed {
                println!("  set {c}");
            }
            if report.restarted {
                println!("  restarted PostgreSQL for WAL archiving");
            }
            println!("ok: pgbackrest check passed (WAL reaches every repository)");
        }
        Action::Check => {
            let server = server(config, true).await?;
            pms_backup::init::check(&cfg, &server)?;
            println!("ok: pgbackrest check passed (WAL reaches every repository)");
        }
        Action::Create { kind, repo } => {
            let server = server(config, true).await?;
            let (record, set) = pms_backup::create::create(&cfg, &server, kind, repo).await?;
            println!(
                "backup {} ({}) in repository {repo}: {} of data, {} stored, {:.1} s; restore point {} at {}",
                set.label,
                set.kind,
                human_bytes(set.database_bytes),
                human_bytes(set.repo_bytes),
                record.duration_ms as f64 / 1000.0,
                record.manifest.restore_point,
                record.manifest.restore_point_lsn
            );
            println!(
                "not verified yet: run `pms backup verify --backup {}`",
                set.label
            );
        }
        Action::List { json } => {
            let server = server(config, false).await?;
            let rows = pms_backup::list::list(&cfg, &server)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
                return Ok(());
            }
            println!(
                "{:<4} {:<34} {:<4} {:<19} {:>8} {:>10} {:>10}  {:<49} status",
                "repo", "label", "type", "stopped (UTC)", "duration", "data", "stored", "WAL range"
            );
            for r in &rows {
                let s = &r.set;
                let stopped = time::OffsetDateTime::from_unix_timestamp(s.stop)
                    .map(|t| {
                        format!(
                            "{} {:02}:{:02}:{:02}",
                            t.date(),
                            t.hour(),
                            t.minute(),
                            t.second()
                        )
                    })
                    .unwrap_or_default();
                println!(
                    "{:<4} {:<34} {:<4} {:<19} {:>7}s {:>10} {:>10}  {:<49} {}",
                    s.repo,
                    s.label,
                    s.kind,
                    stopped,
                    s.stop - s.start,
                    human_bytes(s.database_bytes),
                    human_bytes(s.repo_bytes),
                    format!("{}-{}", s.wal_start, s.wal_stop),
                    r.status()
                );
            }
            println!(
                "{} backup(s); a backup counts only once verified",
                rows.len()
            );
        }
        Action::Verify { label, repo } => {
            let server = server(config, true).await?;
            let report = pms_backup::verify::verify(&cfg, &server, label.as_deref(), repo).await?;
            let v = &report.verification;
            println!(
                "backup {} (repository {}): restored and checked in {:.1} s: {} tables, {} B-tree indexes, {} tenants' audit chains",
                report.label,
                report.repo,
                v.restore_ms as f64 / 1000.0,
                v.tables_checked,
                v.indexes_checked,
                v.tenants_checked
            );
            for p in &v.problems {
                println!("  PROBLEM {p}");
            }
            if !v.ok {
                bail!(
                    "backup {} failed verification ({} problem(s))",
                    report.label,
                    v.problems.len()
                );
            }
            println!("ok: backup {} verified", report.label);
        }
        Action::RestoreTenant {
            tenant,
            to,
            dry_run,
        } => {
            super::backup_restore::restore_tenant(config, &cfg, tenant, to, dry_run).await?;
        }
        Action::Export { tenant, to } => {
            super::backup_restore::export(config, tenant, to).await?;
        }
        Action::Import { from, into } => {
            super::backup_restore::import(config, from, into).await?;
        }
        Action::Bench {
            rounds,
            variants,
            no_drill,
        } => {
            let opts = pms_backup::bench::BenchOptions {
                rounds,
                variants: variants
                    .iter()
                    .map(|v| pms_backup::bench::parse_variant(v))
                    .collect::<Result<_, _>>()?,
                drill: !no_drill,
            };
            super::backup_restore::bench(config, &cfg, &opts).await?;
        }
        Action::Metrics => {
            let server = server(config, true).await?;
            let mut conn =
                <sqlx::PgConnection as sqlx::Connection>::connect(&server.admin_url).await?;
            let samples = pms_backup::metrics::collect(&cfg, &server, &mut conn).await?;
            print!("{}", pms_backup::metrics::render(&samples));
        }
        Action::Restore(a) => super::backup_restore::restore(config, &cfg, a).await?,
    }
    Ok(())
}

/// `pms backup restore` arguments.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("point").required(true).args(["to", "lsn", "latest"])))]
pub struct RestoreArgs {
    /// A time: 2026-12-02T15:04:05Z, or "2026-12-02 15:04:05" (UTC).
    #[arg(long)]
    pub to: Option<String>,
    /// A WAL position, e.g. 0/3000028.
    #[arg(long)]
    pub lsn: Option<String>,
    /// As far as the archived WAL goes.
    #[arg(long)]
    pub latest: bool,
    /// The new cluster's directory, laid out like PMS_DATA_DIR (new or empty; default
    /// PMS_DATA_DIR/restores/<time>).
    #[arg(long)]
    pub target: Option<PathBuf>,
    /// Its loopback port (default: a free one).
    #[arg(long)]
    pub port: Option<u16>,
    /// Leave the restored cluster stopped.
    #[arg(long)]
    pub no_start: bool,
    /// Repository to restore from.
    #[arg(long, default_value_t = 1)]
    pub repo: u32,
    /// Restore over the private cluster itself (it must be stopped: `pms down`); its data
    /// directory is kept aside, not deleted. Asks for confirmation unless --yes.
    #[arg(long)]
    pub in_place: bool,
    /// Confirm --in-place without asking.
    #[arg(long)]
    pub yes: bool,
}
