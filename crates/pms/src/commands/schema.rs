//! `pms schema doc`: docs/SCHEMA.md from the live catalog.

use crate::context::Database;
use anyhow::{Context as _, bail};
use pms_core::Config;
use pms_db::RoleName;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: SchemaCommand,
}

#[derive(clap::Subcommand)]
enum SchemaCommand {
    /// Write the schema document (domains, mermaid diagrams, every index and its access path).
    Doc {
        /// Where to write it.
        #[arg(long, default_value = "docs/SCHEMA.md")]
        output: PathBuf,
        /// Only compare with the file; fail if it is out of date.
        #[arg(long)]
        check: bool,
    },
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let SchemaCommand::Doc { output, check } = args.command;
    let db = Database::open(config, false).await?;
    db.migrate().await?;
    let mut conn = db.urls.connect(RoleName::Admin).await?;
    let doc = pms_db::schema_doc::render(&mut conn).await?;
    if check {
        let current = std::fs::read_to_string(&output)
            .with_context(|| format!("reading {}", output.display()))?;
        if current != doc {
            bail!("{} is out of date: run `pms schema doc`", output.display());
        }
        println!("{} is up to date", output.display());
        return Ok(());
    }
    std::fs::write(&output, &doc).with_context(|| format!("writing {}", output.display()))?;
    println!("wrote {} ({} lines)", output.display(), doc.lines().count());
    Ok(())
}
