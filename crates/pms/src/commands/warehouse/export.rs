//! `pms warehouse export [--tenant SLUG] [--to URL]`.

use crate::context::Database;
use pms_core::Config;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Only this tenant (slug).
    #[arg(long)]
    tenant: Option<String>,
    /// Where to write: file:///dir or s3://bucket/prefix (default: the archive store's
    /// `warehouse/` prefix, PMS_ARCHIVE_URL style).
    #[arg(long)]
    to: Option<String>,
}

pub async fn run(_config: &Config, _db: &Database, _args: ExportArgs) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
