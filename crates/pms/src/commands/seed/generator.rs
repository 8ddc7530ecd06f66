//! Running the generator for `pms seed --employees` and its benchmark: verified bulk-load
//! sessions or per-row checks, the progress bar and Ctrl-C, and the report per table.

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use pms_seed::bulk::bulk_pool_with;
use pms_seed::generate::{
    GenerateOptions, GenerateSummary, SeedError, generate, generate_verified,
};
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub(super) fn print_tables(summary: &GenerateSummary) {
    if !summary.partition_build.is_zero() || !summary.partition_attach.is_zero() {
        println!(
            "  the tenant's own partitions: built (indexes, foreign-key checks) in {:.2}s, attached in {:.2}s",
            summary.partition_build.as_secs_f64(),
            summary.partition_attach.as_secs_f64()
        );
    }
    println!(
        "  {:<22} {:>10} {:>10} {:>10}",
        "table", "rows", "COPY s", "rows/s"
    );
    for (table, rows) in &summary.rows_by_table {
        let secs = summary
            .copy_time_by_table
            .get(table)
            .map_or(0.0, |d| d.as_secs_f64());
        println!(
            "  {table:<22} {rows:>10} {secs:>10.2} {:>10.0}",
            *rows as f64 / secs.max(1e-9)
        );
    }
}

pub(super) fn mode(verified: bool) -> &'static str {
    if verified {
        "verified bulk load"
    } else {
        "per-row checks"
    }
}

/// Bulk-load sessions for the employee batches, unless per-row checks were asked for or the
/// administrative login is not a superuser (then per-row checks, with a note).
pub(super) async fn bulk_sessions(
    admin: PgConnectOptions,
    opts: &GenerateOptions,
    per_row_checks: bool,
    wal_compression: &str,
) -> anyhow::Result<Option<PgPool>> {
    if per_row_checks {
        return Ok(None);
    }
    match bulk_pool_with(admin, opts.workers as u32, wal_compression).await {
        Ok(pool) => Ok(Some(pool)),
        Err(e @ SeedError::BulkNeedsSuperuser(_)) => {
            eprintln!("note: {e}");
            Ok(None)
        }
        Err(e) => Err(e).context("opening bulk-load sessions"),
    }
}

/// Runs the generator with a progress bar; Ctrl-C stops it after the current batch.
pub(super) async fn generate_with_progress(
    pool: &PgPool,
    bulk: Option<&PgPool>,
    opts: &GenerateOptions,
) -> anyhow::Result<GenerateSummary> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let watcher = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, Ordering::SeqCst);
        }
    });
    let bar = ProgressBar::new(opts.employees.max(0) as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} employees  {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut report = |p: &pms_seed::generate::Progress| {
        bar.set_position(p.employees_done);
        bar.set_message(format!(
            "{} rows{}",
            p.rows_loaded,
            if p.batch_skipped { " (resuming)" } else { "" }
        ));
        if stop.load(Ordering::SeqCst) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let result = match bulk {
        Some(bulk) => generate_verified(pool, bulk, opts, &mut report).await,
        None => generate(pool, opts, &mut report).await,
    };
    watcher.abort();
    bar.finish_and_clear();
    Ok(result?)
}
