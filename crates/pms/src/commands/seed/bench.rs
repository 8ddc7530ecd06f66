//! `pms seed --employees N --bench`: the seed and its baselines in a scratch database that is
//! dropped afterwards (see docs/BENCHMARKS.md).

use super::generator::{bulk_sessions, generate_with_progress, mode, print_tables};
use crate::context::Database;
use anyhow::Context as _;
use pms_db::RoleName;
use pms_seed::baseline::{baseline_copy, baseline_same_rows};
use pms_seed::bulk::apply_wal_compression;
use pms_seed::generate::{GenerateOptions, GenerateSummary};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor, PgConnection};
use std::time::Duration;

/// The seed benchmark, in a scratch database that is dropped afterwards.
pub(super) async fn bench(
    db: &Database,
    opts: &GenerateOptions,
    per_row_checks: bool,
    wal_compression: &str,
) -> anyhow::Result<()> {
    let admin_url = db.urls.url_for(RoleName::Admin);
    let name = format!("pms_seed_bench_{}", std::process::id());
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .context("connecting to the server")?;
    admin
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE \"{name}\""
        ))))
        .await?;
    let result = bench_in(&admin_url, &name, opts, per_row_checks, wal_compression).await;
    let dropped = admin
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE \"{name}\" WITH (FORCE)"
        ))))
        .await;
    let (seed, verified, baselines) = result?;
    dropped.context("dropping the scratch database")?;
    let rate = |d: std::time::Duration| seed.rows as f64 / d.as_secs_f64().max(1e-9);
    let seed_rate = rate(seed.elapsed);
    println!(
        "seed:     {} rows ({} MB of COPY text) in {:.2}s = {:.0} rows/s ({}, {} workers, wal_compression {wal_compression} on both sides)",
        seed.rows,
        seed.bytes / 1_000_000,
        seed.elapsed.as_secs_f64(),
        seed_rate,
        mode(verified),
        opts.workers
    );
    let mut ratios = Vec::new();
    for b in &baselines {
        let mean = (b.before + b.after) / 2;
        let ratio = seed_rate / rate(mean);
        println!(
            "baseline: {}, {}: {:.2}s before the seed, {:.2}s after; mean {:.0} rows/s; ratio {ratio:.2}",
            b.kind.describe(),
            streams(b.streams),
            b.before.as_secs_f64(),
            b.after.as_secs_f64(),
            rate(mean),
        );
        if b.kind == BaselineKind::SameRows {
            ratios.push((b.streams, ratio));
        }
    }
    for (k, (n, ratio)) in ratios.iter().enumerate() {
        let label = if k == 0 { "ratio:   " } else { "         " };
        if *n == 1 {
            println!(
                "{label} {ratio:.2} against a plain COPY of the seed's own rows (one stream; goal >= 0.5)"
            );
        } else {
            println!(
                "{label} {ratio:.2} against COPYs of the seed's own rows at the seed's parallelism ({})",
                streams(*n)
            );
        }
    }
    print_tables(&seed);
    Ok(())
}

fn streams(n: u64) -> String {
    if n == 1 {
        "one stream".to_string()
    } else {
        format!("{n} streams")
    }
}

/// What a baseline of the seed benchmark copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BaselineKind {
    /// The seed's own COPY payloads into plain copies of its tables.
    SameRows,
    /// As many rows of as many bytes into one 3-column table.
    Synthetic,
}

impl BaselineKind {
    fn describe(self) -> &'static str {
        match self {
            BaselineKind::SameRows => "the seed's own rows into plain copies of its tables",
            BaselineKind::Synthetic => "as many rows of as many bytes into one 3-column table",
        }
    }
}

/// One baseline, timed before and after the seed.
#[derive(Debug)]
struct Baseline {
    kind: BaselineKind,
    streams: u64,
    before: Duration,
    after: Duration,
}

/// The seed and its baselines in the scratch database `name`, each baseline before and after
/// the seed (the machine's load drifts), in as many batches as the seed: the seed's own COPY
/// payloads into plain copies of its tables, and as many rows of as many bytes into one
/// 3-column table, each as a plain COPY (one stream) and, when the seed has more workers, at
/// the seed's parallelism. Both sides' sessions compress their WAL alike (`wal_compression`).
/// Returns the seed's summary, whether it used verified bulk loads, and the baselines.
async fn bench_in(
    admin_url: &str,
    name: &str,
    opts: &GenerateOptions,
    per_row_checks: bool,
    wal_compression: &str,
) -> anyhow::Result<(GenerateSummary, bool, Vec<Baseline>)> {
    use std::str::FromStr as _;
    let mut url = url::Url::parse(admin_url).context("DATABASE_URL is not a URL")?;
    url.set_path(&format!("/{name}"));
    let mut scratch = PgConnection::connect(url.as_str()).await?;
    pms_db::migrate::migrate(&mut scratch).await?;
    scratch.close().await.ok();
    let method = wal_compression.to_string();
    let admin_pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(opts.workers as u32)
        .after_connect(move |conn, _| {
            let method = method.clone();
            Box::pin(async move {
                pms_db::nodelay::apply();
                apply_wal_compression(conn, &method).await
            })
        })
        .connect(url.as_str())
        .await?;
    // The same rows and bytes as the seed (known in advance: the tenant is a pure function of
    // the parameters), in as many transactions.
    let (rows, bytes) = pms_seed::generate::planned_size(opts)?;
    let batches = (opts.employees.max(1) as u64).div_ceil(opts.batch_employees) + 1;
    let mut plan = Vec::new();
    for streams in [1, opts.workers] {
        for kind in [BaselineKind::SameRows, BaselineKind::Synthetic] {
            if !plan.iter().any(|(k, s)| *k == kind && *s == streams) {
                plan.push((kind, streams));
            }
        }
    }
    let run = |kind: BaselineKind, streams: u64| {
        let admin_pool = &admin_pool;
        async move {
            match kind {
                BaselineKind::SameRows => {
                    let (copied, elapsed) = baseline_same_rows(admin_pool, opts, streams).await?;
                    anyhow::ensure!(
                        copied == rows,
                        "the baseline copied {copied} rows, not {rows}"
                    );
                    Ok(elapsed)
                }
                BaselineKind::Synthetic => {
                    Ok(baseline_copy(admin_pool, rows, bytes, batches, streams).await?)
                }
            }
        }
    };
    let mut before = Vec::new();
    for (kind, streams) in &plan {
        before.push(run(*kind, *streams).await?);
    }
    let mut maintenance = url.clone();
    maintenance.set_username("pms_maintenance").ok();
    maintenance.set_password(None).ok();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(opts.workers as u32 + 1)
        .after_connect(|_, _| {
            Box::pin(async {
                pms_db::nodelay::apply();
                Ok(())
            })
        })
        .connect(maintenance.as_str())
        .await?;
    let bulk = bulk_sessions(
        PgConnectOptions::from_str(url.as_str())?,
        opts,
        per_row_checks,
        wal_compression,
    )
    .await?;
    let summary = generate_with_progress(&pool, bulk.as_ref(), opts).await?;
    let verified = bulk.is_some();
    if let Some(bulk) = bulk {
        bulk.close().await;
    }
    pool.close().await;
    anyhow::ensure!(
        summary.rows == rows,
        "the seed loaded {} rows, not {rows}",
        summary.rows
    );
    // After the seed in the opposite order, so that each baseline's mean sits at the same
    // distance from the seed.
    let mut baselines = Vec::new();
    for ((kind, streams), before) in plan.iter().zip(before).rev() {
        baselines.push(Baseline {
            kind: *kind,
            streams: *streams,
            before,
            after: run(*kind, *streams).await?,
        });
    }
    baselines.reverse();
    admin_pool.close().await;
    Ok((summary, verified, baselines))
}
