//! `pms timeseries status | compress | decompress | bench`: the time-series engine's chunks,
//! sizes and rollup watermarks; packing and unpacking chunks; the benchmark.

use crate::context::Database;
use pms_core::Config;
use pms_timeseries::bench::BenchConfig;
use pms_timeseries::status;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Each hypertable's chunks (raw and compressed sizes) and each rollup's watermark and lag.
    Status {
        /// Also list every chunk, not only the totals per hypertable.
        #[arg(long)]
        chunks: bool,
    },
    /// Pack one chunk now (normally the worker does it past the compression horizon).
    Compress {
        /// The chunk's name, as `pms timeseries status --chunks` lists it.
        chunk: String,
    },
    /// Unpack compressed chunks back into plain rows (e.g. before correcting old data).
    Decompress {
        /// The chunk's name; or use --hypertable with --all.
        chunk: Option<String>,
        /// With --all: every compressed chunk of this hypertable.
        #[arg(long)]
        hypertable: Option<String>,
        #[arg(long)]
        all: bool,
    },
    /// Build a dataset in a scratch database and measure ingest, rollup queries, refresh,
    /// compression and retention against baselines from the same run (use a release build).
    Bench(BenchArgs),
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Metric rows to generate (time-ordered over --days days).
    #[arg(long, default_value_t = 2_000_000)]
    rows: u64,
    /// Users of the one tenant.
    #[arg(long, default_value_t = 2_000)]
    users: u32,
    /// Days of history.
    #[arg(long, default_value_t = 730)]
    days: u32,
    /// Keep the scratch database afterwards.
    #[arg(long)]
    keep: bool,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    match args.action {
        Action::Status { chunks } => {
            let db = Database::open(config, false).await?;
            let pool = db.maintenance_pool().await?;
            print_status(&status::status(&pool).await?, chunks);
            Ok(())
        }
        Action::Compress { chunk } => {
            let db = Database::open(config, false).await?;
            let pool = db.maintenance_pool().await?;
            let n = status::compress_chunk(&pool, &chunk).await?;
            println!("{chunk}: packed into {n} segment rows");
            Ok(())
        }
        Action::Decompress {
            chunk,
            hypertable,
            all,
        } => {
            let chunks = match (chunk, hypertable, all) {
                (Some(c), None, false) => vec![c],
                (None, Some(h), true) => {
                    let h: pms_timeseries::Hypertable = h.parse().map_err(anyhow::Error::msg)?;
                    let db = Database::open(config, false).await?;
                    let pool = db.maintenance_pool().await?;
                    status::compressed_chunks(&pool, h.table()).await?
                }
                _ => anyhow::bail!("name one chunk, or pass --hypertable NAME --all"),
            };
            let db = Database::open(config, false).await?;
            let pool = db.maintenance_pool().await?;
            for c in &chunks {
                let n = status::decompress_chunk(&pool, c).await?;
                println!("{c}: {n} rows restored");
            }
            if chunks.is_empty() {
                println!("nothing to decompress");
            }
            Ok(())
        }
        Action::Bench(b) => {
            let db = Database::open(config, false).await?;
            let cfg = BenchConfig {
                rows: b.rows,
                users: b.users,
                days: b.days,
                keep: b.keep,
            };
            pms_timeseries::bench::run(&db.urls, &cfg, &mut |line| println!("{line}")).await?;
            Ok(())
        }
    }
}

fn mib(b: i64) -> String {
    format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
}

fn print_status(st: &status::Status, chunks: bool) {
    println!("backend: {}", st.backend);
    println!(
        "{:<24} {:>7} {:>11} {:>12} {:>14}",
        "hypertable", "chunks", "compressed", "raw", "compressed size"
    );
    let mut tables: Vec<&str> = st.chunks.iter().map(|c| c.hypertable.as_str()).collect();
    tables.dedup();
    for t in tables {
        let cs: Vec<_> = st.chunks.iter().filter(|c| c.hypertable == t).collect();
        let raw: i64 = cs.iter().map(|c| c.raw_bytes).sum();
        let comp: i64 = cs.iter().map(|c| c.compressed_bytes).sum();
        println!(
            "{:<24} {:>7} {:>11} {:>12} {:>14}",
            t,
            cs.len(),
            cs.iter().filter(|c| c.compressed).count(),
            mib(raw),
            mib(comp)
        );
        if chunks {
            for c in cs {
                println!(
                    "  {:<40} {} .. {} {:>10} {:>10}{}",
                    c.chunk_name,
                    c.range_start.date(),
                    c.range_end.date(),
                    mib(c.raw_bytes),
                    mib(c.compressed_bytes),
                    if c.compressed { "  compressed" } else { "" }
                );
            }
        }
    }
    println!();
    println!(
        "{:<28} {:<26} {:>12} {:>8} {:>16}",
        "rollup", "watermark", "lag", "pending", "last refresh"
    );
    for r in &st.rollups {
        let wm = r
            .watermark
            .map(|w| w.to_string())
            .unwrap_or_else(|| "never refreshed".into());
        let lag = r
            .lag_seconds
            .map(|s| format!("{:.1}h", s / 3600.0))
            .unwrap_or_else(|| "-".into());
        let last = r
            .last_refresh_ms
            .map(|ms| format!("{ms:.0} ms"))
            .unwrap_or_else(|| "-".into());
        println!(
            "{:<28} {:<26} {:>12} {:>8} {:>16}",
            r.rollup, wm, lag, r.pending_invalidations, last
        );
    }
}
