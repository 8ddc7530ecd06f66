//! `pms seed --demo`.

use crate::context::Database;
use anyhow::bail;
use pms_core::Config;
use pms_db::RoleName;

#[derive(clap::Args)]
pub struct Args {
    /// The demo tenants and accounts (idempotent).
    #[arg(long)]
    demo: bool,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    if !args.demo {
        bail!("nothing to seed: pass --demo");
    }
    let db = Database::open(config, false).await?;
    db.migrate().await?;
    let pool = db.urls.pool(RoleName::Maintenance, 2).await?;
    let summary = pms_db::seed::demo::seed_demo(&pool).await?;
    println!("demo data ready ({} rows inserted by this run)", summary.inserted_rows);
    for (id, name) in &summary.tenants {
        println!("  tenant {name}: {id}");
    }
    for (login, password) in &summary.logins {
        println!("  login {login} / {password}");
    }
    Ok(())
}
