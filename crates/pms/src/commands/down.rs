//! `pms down`: stop the private cluster.

use anyhow::Context as _;
use pms_core::Config;
use pms_db::cluster::Cluster;

pub async fn run(config: &Config) -> anyhow::Result<()> {
    if config.database_url.is_some() {
        println!("DATABASE_URL is set: pms does not manage that server; nothing to stop");
        return Ok(());
    }
    let c = Cluster::new(&config.data_dir).context("private PostgreSQL cluster")?;
    if c.stop().context("stopping the private cluster")? {
        println!("stopped PostgreSQL ({})", c.data.display());
    } else {
        println!("PostgreSQL ({}) was not running", c.data.display());
    }
    Ok(())
}
