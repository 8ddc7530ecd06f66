//! `pms backup restore | restore-tenant | export | import | bench`: the commands that bring
//! data back (a new cluster at a point in time, one tenant, a logical export) and the
//! benchmark. `backup.rs` parses the arguments and calls these.

use crate::context::Database;
use anyhow::{Context as _, bail};
use pms_backup::BackupConfig;
use pms_backup::list::human_bytes;
use pms_backup::restore::{RestoreOptions, RestoreTo};
use pms_core::Config;
use std::path::PathBuf;

use super::backup::server;

pub async fn restore_tenant(
    config: &Config,
    cfg: &BackupConfig,
    tenant: pms_core::TenantId,
    to: String,
    dry_run: bool,
) -> anyhow::Result<()> {
    let at = pms_backup::restore::parse_time(&to)?;
    let server = server(config, true).await?;
    let now = time::OffsetDateTime::now_utc();
    let r = pms_backup::tenant_restore::restore_tenant(
        cfg,
        &server,
        tenant.as_uuid(),
        at,
        dry_run,
        now,
    )
    .await?;
    println!(
        "tenant {} at {at} (backup {}; {})",
        r.tenant, r.backup_label, r.recovery_point
    );
    println!(
        "{:<48} {:>10} {:>10} {:>10} {:>10}",
        "table", "rows now", "rows then", "removed", "added"
    );
    for c in &r.changes {
        println!(
            "{:<48} {:>10} {:>10} {:>10} {:>10}",
            c.table, c.live_rows, c.restored_rows, c.rows_removed, c.rows_added
        );
    }
    println!(
        "{} of {} tenant tables differ",
        r.changes.len(),
        r.tables_compared
    );
    if r.applied {
        println!("ok: restored in one transaction (audit request id `backup.restore-tenant`)");
    } else {
        println!("dry run: nothing was changed");
    }
    Ok(())
}

pub async fn export(
    config: &Config,
    tenant: Option<pms_core::TenantId>,
    to: PathBuf,
) -> anyhow::Result<()> {
    let server = server(config, true).await?;
    match tenant {
        Some(t) => {
            let m = pms_backup::export::export_tenant(&server.admin_url, t.as_uuid(), &to).await?;
            let rows: u64 = m.tables.iter().map(|t| t.rows).sum();
            println!(
                "tenant {} exported to {}: {} tables, {rows} rows, schema at {} (manifest.json holds counts and SHA-256 checksums)",
                m.tenant,
                to.display(),
                m.tables.len(),
                m.schema_version
            );
        }
        None => {
            pms_backup::export::export_database(&server.bindir, &server.admin_url, &to)?;
            let size = std::fs::metadata(&to).map(|m| m.len()).unwrap_or(0);
            println!(
                "database exported to {} (pg_dump custom format, {})",
                to.display(),
                human_bytes(size)
            );
        }
    }
    Ok(())
}

pub async fn import(config: &Config, from: PathBuf, into: Option<String>) -> anyhow::Result<()> {
    if from.join("manifest.json").is_file() {
        let db = Database::open(config, false).await?;
        let m = pms_backup::export::import_tenant(&db.urls.url_for(pms_db::RoleName::Admin), &from)
            .await?;
        let rows: u64 = m.tables.iter().map(|t| t.rows).sum();
        println!(
            "tenant {} imported: {} tables, {rows} rows; its audit chain verifies",
            m.tenant,
            m.tables.len()
        );
    } else {
        let url = match into {
            Some(u) => u,
            None => Database::open(config, false)
                .await?
                .urls
                .url_for(pms_db::RoleName::Admin),
        };
        // A new server has no platform roles yet: create them (and the extensions),
        // which adds no table.
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await?;
        pms_db::bootstrap::run(&mut conn)
            .await
            .context("creating the platform's roles")?;
        let (bindir, _) = pms_db::cluster::find_bindir()?;
        pms_backup::export::import_database(&bindir, &url, &from).await?;
        println!(
            "database imported from {} into {}",
            from.display(),
            pms_core::config::mask_url(&url)
        );
    }
    Ok(())
}

pub async fn bench(
    config: &Config,
    cfg: &BackupConfig,
    opts: &pms_backup::bench::BenchOptions,
) -> anyhow::Result<()> {
    let server = server(config, true).await?;
    let r = pms_backup::bench::run(cfg, &server, opts, &|step| eprintln!("  {step}...")).await?;
    let mb = |b: u64| b as f64 / 1e6;
    println!(
        "data: database {:.0} MB, cluster directory {:.0} MB",
        mb(r.database_bytes as u64),
        mb(r.cluster_bytes)
    );
    let level = pms_backup::bench::COMPRESS_LEVEL;
    for (i, round) in r.rounds.iter().enumerate() {
        println!(
            "round {}: pg_basebackup plain {:.1} s, {:.0} MB; with client zstd level {level}: {:.1} s, {:.0} MB",
            i + 1,
            round.basebackup_plain_s,
            mb(round.basebackup_plain_bytes),
            round.basebackup_zstd_s,
            mb(round.basebackup_zstd_bytes)
        );
        for f in &round.fulls {
            println!(
                "  pgBackRest full{}: {:.1} s, {:.0} MB stored ({:.1}% of the data): {:.2}x the zstd pg_basebackup's time, {:.2}x the plain one's; copying files {:.1} s ({:.2}x the zstd pg_basebackup's time)",
                if f.options.is_empty() {
                    " (pms's configuration)".to_string()
                } else {
                    format!(" with {}", f.options.join(" "))
                },
                f.secs,
                mb(f.repo_bytes),
                100.0 * f.repo_bytes as f64 / r.cluster_bytes.max(1) as f64,
                f.secs / round.basebackup_zstd_s,
                f.secs / round.basebackup_plain_s,
                f.copy_s,
                f.copy_s / round.basebackup_zstd_s,
            );
            for (at, msg) in &f.phases {
                println!("      {at:7.2} s  {msg}");
            }
        }
    }
    println!(
        "incremental after a day of writes ({} rows): {:.1} s, {:.1} MB stored; pms's manifest after it: {:.1} s",
        r.day_of_writes_rows,
        r.incr_s,
        mb(r.incr_repo_bytes),
        r.manifest_s
    );
    println!(
        "restore to a point in time, accepting writes (RTO): {:.1} s",
        r.restore_rto_s
    );
    match r.verify_s {
        Some(s) => println!("restore drill of the incremental (restore + every check): {s:.1} s"),
        None => println!("restore drill: skipped (--no-drill)"),
    }
    Ok(())
}

pub async fn restore(
    config: &Config,
    cfg: &BackupConfig,
    a: super::backup::RestoreArgs,
) -> anyhow::Result<()> {
    let super::backup::RestoreArgs {
        to,
        lsn,
        latest,
        target,
        port,
        no_start,
        repo,
        in_place,
        yes,
    } = a;
    if in_place && !yes {
        eprint!(
            "restore OVER the private cluster in {} (its data directory is kept aside)? type yes: ",
            config.data_dir.display()
        );
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .context("reading the confirmation")?;
        if answer.trim() != "yes" {
            bail!("not confirmed; nothing was changed");
        }
    }
    let point = match (to, lsn, latest) {
        (Some(t), _, _) => RestoreTo::Time(pms_backup::restore::parse_time(&t)?),
        (None, Some(l), _) => RestoreTo::Lsn(l),
        _ => RestoreTo::Latest,
    };
    let server = server(config, false).await?;
    let now = time::OffsetDateTime::now_utc();
    let target = target.unwrap_or_else(|| {
        cfg.data_dir.join("restores").join(format!(
            "{:04}{:02}{:02}-{:02}{:02}{:02}",
            now.year(),
            now.month() as u8,
            now.day(),
            now.hour(),
            now.minute(),
            now.second()
        ))
    });
    let port = match port {
        Some(p) => p,
        None => pms_backup::scratch::free_port()?,
    };
    let opts = RestoreOptions {
        to: point,
        target_dir: target,
        port,
        start: !no_start,
        repo,
        in_place,
    };
    let report = pms_backup::restore::restore(cfg, &server, &opts, now).await?;
    println!(
        "restored backup {} into {}",
        report.backup_label,
        report.restored.root.display()
    );
    if no_start {
        println!(
            "  left stopped; start it with: PMS_DATA_DIR={} pms up --no-worker",
            report.restored.root.display()
        );
    } else {
        println!(
            "  running on 127.0.0.1:{}: psql 'postgresql://postgres@127.0.0.1:{}/pms'",
            report.restored.port, report.restored.port
        );
        println!("  recovery point reached: {}", report.recovery_point);
    }
    if let Some(aside) = &report.moved_aside {
        println!(
            "  the previous data directory is kept in {}",
            aside.display()
        );
    }
    println!(
        "  restore took {:.1} s (RTO)",
        report.rto_ms as f64 / 1000.0
    );
    Ok(())
}
