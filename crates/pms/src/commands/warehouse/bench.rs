//! `pms warehouse bench`.

use crate::context::Database;

#[derive(clap::Args)]
pub struct BenchArgs {}

pub async fn run(_db: &Database, _args: BenchArgs) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
