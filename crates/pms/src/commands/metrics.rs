//! `pms metrics ingest FILE`: load metric points from CSV or NDJSON through the validated,
//! batched binary-COPY path, with a progress bar and rows per second.

use crate::context::Database;
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use pms_core::Config;
use pms_timeseries::IngestOptions;
use pms_timeseries::parse::{COLUMNS, Format, RecordReader};
use std::io::{BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Load a CSV (with header tenant_id,user_id,metric_name,value,recorded_at) or NDJSON file.
    ///
    /// Every row is validated (tenant, user of that tenant, registered metric, finite value,
    /// time between 1970 and now + --max-future-hours). A batch with any bad row loads nothing;
    /// bad rows are listed with their line numbers. Exits non-zero when anything was rejected.
    Ingest {
        /// The file to load (.csv, .ndjson, .jsonl).
        file: String,
        /// Override the format guessed from the file name.
        #[arg(long, value_parser = ["csv", "ndjson"])]
        format: Option<String>,
        /// Rows per batch (one transaction each).
        #[arg(long, default_value_t = 50_000)]
        batch_size: usize,
        /// How far ahead of now a time may be.
        #[arg(long, default_value_t = 24)]
        max_future_hours: i64,
        /// How many rejected lines to print.
        #[arg(long, default_value_t = 20)]
        show: usize,
    },
}

/// Counts bytes read, for the progress bar.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let Action::Ingest {
        file,
        format,
        batch_size,
        max_future_hours,
        show,
    } = args.action;
    let format = match format.as_deref() {
        Some("csv") => Format::Csv,
        Some(_) => Format::Ndjson,
        None => Format::from_path(&file)?,
    };
    if batch_size == 0 {
        anyhow::bail!("--batch-size must be at least 1");
    }
    if !(0..=24 * 365).contains(&max_future_hours) {
        anyhow::bail!("--max-future-hours must be between 0 and 8760");
    }
    let f = std::fs::File::open(&file).with_context(|| format!("cannot open {file}"))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let read = Arc::new(AtomicU64::new(0));
    let reader = BufReader::with_capacity(
        1 << 20,
        Counting {
            inner: f,
            read: read.clone(),
        },
    );
    let records = RecordReader::new(reader, format).with_context(|| {
        format!(
            "{file} is not a metrics file (columns: {})",
            COLUMNS.join(",")
        )
    })?;

    let db = Database::open(config, false).await?;
    let pool = db.maintenance_pool().await?;
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let opts = IngestOptions {
        batch_size,
        max_future: time::Duration::hours(max_future_hours),
        ..IngestOptions::default()
    };
    let summary = pms_timeseries::ingest::ingest(&pool, records, &opts, &mut |s| {
        bar.set_position(read.load(Ordering::Relaxed));
        bar.set_message(format!(
            "{} rows loaded, {} rejected, {:.0} rows/s",
            s.rows_loaded,
            s.rows_rejected,
            s.rows_per_second()
        ));
    })
    .await
    .with_context(|| format!("ingesting {file}"))?;
    bar.finish_and_clear();
    println!(
        "{file}: {} rows read, {} loaded, {} rejected ({} invalid) in {:.2}s, {:.0} rows/s",
        summary.rows_read,
        summary.rows_loaded,
        summary.rows_rejected,
        summary.invalid_rows,
        summary.elapsed.as_secs_f64(),
        summary.rows_per_second()
    );
    for r in summary.rejections.iter().take(show) {
        println!("  line {}: {}", r.line, r.reason);
    }
    if summary.invalid_rows as usize > show {
        println!(
            "  ... and {} more invalid lines",
            summary.invalid_rows as usize - show
        );
    }
    if summary.rows_rejected > 0 {
        anyhow::bail!(
            "{} rows rejected in {} batch(es) (a batch with a bad row loads nothing); fix the lines above and load those batches again",
            summary.rows_rejected,
            summary.batches_rejected
        );
    }
    Ok(())
}
