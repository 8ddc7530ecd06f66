//! `pms migrate` and `pms migrate status`.

use crate::context::Database;
use pms_core::Config;
use pms_db::RoleName;
use time::format_description::well_known::Rfc3339;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
}

#[derive(clap::Subcommand)]
enum Action {
    /// List applied and pending migrations.
    Status,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let db = Database::open(config, false).await?;
    match args.action {
        None => {
            let report = db.migrate().await?;
            if report.applied.is_empty() {
                println!("database is up to date");
            }
            for m in &report.applied {
                println!("applied {m}");
            }
            if report.replaceable_reapplied {
                println!("re-applied replaceable SQL (functions, views, triggers)");
            }
            if let Some(p) = &report.time_partitions {
                let at = p.at.format(&Rfc3339).unwrap_or_else(|_| p.at.to_string());
                let chunks = if p.backend == "native" {
                    format!("{} time-series chunk(s)", p.chunks_created)
                } else {
                    format!("no time-series chunks ({} makes its own)", p.backend)
                };
                println!(
                    "partitions by time range ready for {at}: {chunks} and {} audit month partition(s) created",
                    p.audit_partitions_created
                );
            }
            if let Some(placements) = &report.citus {
                print_citus(placements);
            }
        }
        Some(Action::Status) => {
            let mut conn = db.urls.connect(RoleName::Admin).await?;
            let list = pms_db::migrate::status(&mut conn).await?;
            let pending = list.iter().filter(|m| m.applied_at.is_none()).count();
            for m in list {
                match m.applied_at {
                    Some(at) => println!(
                        "applied  {}  {}  ({} ms)",
                        at.date(),
                        m.name,
                        m.duration_ms.unwrap_or(0)
                    ),
                    None => println!("pending  ----------  {}", m.name),
                }
            }
            println!("{pending} pending");
        }
    }
    Ok(())
}

/// What `pms migrate` did on a Citus coordinator: the counts, and each table or key Citus
/// refused with its reason (docs/SCALING.md says which stay on the coordinator and why).
fn print_citus(placements: &[pms_db::citus::Placement]) {
    use pms_db::citus::Kind;
    let placed = |kind: Kind| {
        placements
            .iter()
            .filter(|p| p.kind == kind && p.error.is_none())
            .count()
    };
    let refused: Vec<_> = placements.iter().filter(|p| p.error.is_some()).collect();
    println!(
        "Citus: {} tables distributed by tenant_id (one colocation group), {} reference tables, {} with a refusal",
        placed(Kind::Distributed),
        placed(Kind::Reference),
        refused.len()
    );
    for p in refused {
        println!("  {}: {}", p.table, p.error.as_deref().unwrap_or_default());
    }
}
