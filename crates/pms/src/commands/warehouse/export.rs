//! `pms warehouse export [--tenant SLUG] [--to URL]`: the star as Parquet for DuckDB, Spark and
//! Trino (see `pms_warehouse::export`).

use super::{maintenance_connection, tenant_id};
use crate::context::Database;
use anyhow::Context as _;
use pms_archive::{ArchiveConfig, ArchiveStore};
use pms_core::Config;
use sqlx::Connection as _;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Only this tenant (slug).
    #[arg(long)]
    tenant: Option<String>,
    /// Where to write: file:///dir or s3://bucket/prefix (S3 settings from AWS_*); default
    /// PMS_WAREHOUSE_EXPORT_URL, else file://PMS_DATA_DIR/warehouse.
    #[arg(long, env = "PMS_WAREHOUSE_EXPORT_URL")]
    to: Option<String>,
}

/// The export's URL when none is given.
pub fn default_url(config: &Config) -> anyhow::Result<String> {
    let dir = std::path::absolute(config.data_dir.join("warehouse"))
        .context("making the data directory absolute")?;
    Ok(format!("file://{}", dir.display()))
}

pub async fn run(config: &Config, db: &Database, args: ExportArgs) -> anyhow::Result<()> {
    let url = match args.to {
        Some(u) => u,
        None => default_url(config)?,
    };
    let store = ArchiveStore::open(&ArchiveConfig::for_url(url.clone()))
        .with_context(|| format!("--to {url}: nothing exported"))?;
    let mut conn = maintenance_connection(db).await?;
    let tenant = match &args.tenant {
        Some(slug) => Some(tenant_id(&mut conn, slug).await?),
        None => None,
    };
    let r = pms_warehouse::export::export(&mut conn, &store, tenant)
        .await
        .with_context(|| format!("exporting the warehouse to {}", store.url()))?;
    conn.close().await.ok();
    println!(
        "warehouse export to {}: {} partition(s) written ({} rows, {} bytes), {} unchanged, {} removed",
        r.url, r.written, r.rows_written, r.bytes_written, r.unchanged, r.removed
    );
    Ok(())
}
