//! `pms monitor bench`: what watching costs. Three measurements against the configured
//! database: `pms monitor --json` runs (every section), `/metrics` collections with the cache
//! off (every scrape collects both tiers: the worst case), and one minute of scrapes every 5 s
//! with the real cache intervals (what Prometheus does). Latency percentiles, and the CPU the
//! monitor's own PostgreSQL backends used (read from /proc when the server runs on this
//! machine), per scrape and as a share of one core.

use super::monitor_url;
use crate::context::Database;
use anyhow::Context as _;
use pms_monitor::cpu::{is_local_postgres, process_cpu_seconds};
use pms_monitor::report::{self, ReportOptions};
use pms_monitor::{MonitorOptions, Registry};
use sqlx::PgPool;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// `pms monitor --json` runs to time.
    #[arg(long, default_value_t = 10)]
    runs: usize,
    /// Uncached /metrics collections to time.
    #[arg(long, default_value_t = 50)]
    scrapes: usize,
    /// Length of the realistic run (scrapes every --interval seconds), in seconds.
    #[arg(long, default_value_t = 60)]
    minute: u64,
    /// Seconds between scrapes in the realistic run.
    #[arg(long, default_value_t = 5)]
    interval: u64,
}

const APP: &str = "pms-monitor-bench";

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// CPU seconds of this benchmark's backends (found by application_name) and of this process.
struct Cpu {
    admin: PgPool,
}

impl Cpu {
    async fn backends(&self) -> anyhow::Result<Option<f64>> {
        let pids: Vec<i32> =
            sqlx::query_scalar("SELECT pid FROM pg_stat_activity WHERE application_name = $1")
                .bind(APP)
                .fetch_all(&self.admin)
                .await?;
        let mut total = 0.0;
        for pid in pids {
            let pid = pid as u32;
            if !is_local_postgres(pid) {
                return Ok(None);
            }
            total += process_cpu_seconds(pid).unwrap_or(0.0);
        }
        Ok(Some(total))
    }

    fn own() -> f64 {
        process_cpu_seconds(std::process::id()).unwrap_or(0.0)
    }
}

fn line(what: &str, times: &mut [f64], server_cpu: Option<f64>, own_cpu: f64) {
    times.sort_by(f64::total_cmp);
    let n = times.len().max(1) as f64;
    println!(
        "{what:<34} n={:<4} p50 {:>8.2} ms  p99 {:>8.2} ms  server CPU {} per run  pms CPU {:.2} ms per run",
        times.len(),
        pct(times, 0.5) * 1000.0,
        pct(times, 0.99) * 1000.0,
        server_cpu.map_or("n/a (server not on this machine)".to_string(), |c| format!(
            "{:.2} ms",
            c / n * 1000.0
        )),
        own_cpu / n * 1000.0
    );
}

pub async fn run(db: &Database, args: Args) -> anyhow::Result<()> {
    let url = monitor_url(db);
    let options: sqlx::postgres::PgConnectOptions = url.parse().context("monitor database URL")?;
    let pool = pms_monitor::monitor_pool_as(options, Duration::from_secs(10), APP);
    let cpu = Cpu {
        admin: sqlx::PgPool::connect(&url)
            .await
            .context("connecting to measure")?,
    };
    let (people, size): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM users), pg_database_size(current_database())")
            .fetch_one(&cpu.admin)
            .await
            .unwrap_or((0, 0));
    println!(
        "pms monitor bench: database of {people} people, {} MB",
        size / 1_048_576
    );
    // Warm up: connections open, catalogs cached.
    let _ = report::run(&pool, &ReportOptions::default()).await;

    let mut times = Vec::new();
    let (s0, o0) = (cpu.backends().await?, Cpu::own());
    for _ in 0..args.runs {
        let t = Instant::now();
        let r = report::run(&pool, &ReportOptions::default()).await;
        let _ = serde_json::to_string(&r.to_json())?;
        times.push(t.elapsed().as_secs_f64());
    }
    let (s1, o1) = (cpu.backends().await?, Cpu::own());
    line(
        "pms monitor --json (all sections)",
        &mut times,
        s0.zip(s1).map(|(a, b)| b - a),
        o1 - o0,
    );

    let uncached = MonitorOptions {
        fast_ttl: Duration::ZERO,
        slow_ttl: Duration::ZERO,
        ..MonitorOptions::from_env()?
    };
    let registry = Registry::new(pool.clone(), uncached)?;
    let _ = registry.render().await;
    let mut times = Vec::new();
    let (s0, o0) = (cpu.backends().await?, Cpu::own());
    for _ in 0..args.scrapes {
        let t = Instant::now();
        let _ = registry.render().await;
        times.push(t.elapsed().as_secs_f64());
    }
    let (s1, o1) = (cpu.backends().await?, Cpu::own());
    let per_scrape = s0
        .zip(s1)
        .map(|(a, b)| (b - a) / args.scrapes.max(1) as f64);
    line(
        "/metrics, cache off (both tiers)",
        &mut times,
        s0.zip(s1).map(|(a, b)| b - a),
        o1 - o0,
    );

    let real = Registry::new(pool.clone(), MonitorOptions::from_env()?)?;
    let started = Instant::now();
    let mut times = Vec::new();
    let (s0, o0) = (cpu.backends().await?, Cpu::own());
    let interval = Duration::from_secs(args.interval.max(1));
    while started.elapsed() < Duration::from_secs(args.minute) {
        let t = Instant::now();
        let _ = real.render().await;
        times.push(t.elapsed().as_secs_f64());
        tokio::time::sleep(interval.saturating_sub(t.elapsed())).await;
    }
    let wall = started.elapsed().as_secs_f64();
    let (s1, o1) = (cpu.backends().await?, Cpu::own());
    let server = s0.zip(s1).map(|(a, b)| b - a);
    line(
        &format!("/metrics every {}s, cached", args.interval),
        &mut times,
        server,
        o1 - o0,
    );
    match server {
        Some(c) => println!(
            "  over {wall:.0} s: server CPU {:.3} s = {:.3}% of one core (goal: under 1%); pms CPU {:.3}% of one core",
            c,
            c / wall * 100.0,
            (o1 - o0) / wall * 100.0
        ),
        None => println!("  server CPU: not measurable (the server is not on this machine)"),
    }
    if let Some(p) = per_scrape {
        println!(
            "  worst case (every scrape collects both tiers, every {} s): {:.3}% of one core",
            args.interval,
            p / args.interval.max(1) as f64 * 100.0
        );
    }
    Ok(())
}
