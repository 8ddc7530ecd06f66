//! `pms archive list|get|verify`: the archive ledger, one archived entity by id (one index
//! lookup and one ranged read), and a check that ledger, index and objects agree.

use crate::context::Database;
use anyhow::Context as _;
use pms_archive::{ArchiveConfig, ArchiveStore};
use pms_core::{Config, TenantId};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// List archived batches, newest first.
    List {
        /// Only this tenant's batches.
        #[arg(long)]
        tenant: Option<TenantId>,
        /// Only this entity type (e.g. PerformanceReview).
        #[arg(long)]
        entity_type: Option<String>,
        /// At most this many batches.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Print one archived entity as JSON.
    Get {
        /// Entity type, e.g. Goal.
        #[arg(long)]
        entity_type: String,
        /// The entity's id.
        #[arg(long)]
        id: String,
        /// The tenant (needed when ids could repeat across tenants).
        #[arg(long)]
        tenant: Option<TenantId>,
    },
    /// Check every archived batch: object present, checksum and row count, index complete,
    /// and no object without a ledger row. Exits non-zero on any problem.
    Verify {
        /// Only this tenant's batches.
        #[arg(long)]
        tenant: Option<TenantId>,
    },
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let archive = ArchiveConfig::from_env(&config.data_dir)?;
    let store = ArchiveStore::open(&archive)?;
    let db = Database::open(config, false).await?;
    let pool = db.maintenance_pool().await?;
    match args.action {
        Action::List {
            tenant,
            entity_type,
            limit,
        } => {
            if limit < 1 {
                anyhow::bail!("--limit must be at least 1");
            }
            type BatchRow = (
                String,
                uuid::Uuid,
                uuid::Uuid,
                String,
                i32,
                i64,
                time::OffsetDateTime,
                String,
            );
            let rows: Vec<BatchRow> = sqlx::query_as(
                "SELECT entity_type, tenant_id, id, status, row_count, object_bytes, created_max, object_key
                 FROM archive_batches
                 WHERE ($1::uuid IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR entity_type = $2)
                 ORDER BY created_at DESC LIMIT $3",
            )
            .bind(tenant.map(|t| t.as_uuid()))
            .bind(&entity_type)
            .bind(limit)
            .fetch_all(&pool)
            .await
            .context("reading the archive ledger")?;
            println!("archive: {}", store.url());
            println!(
                "{:<20} {:<9} {:>7} {:>10}  {:<10}  key",
                "entity type", "status", "rows", "bytes", "newest"
            );
            for (entity, _tenant, _id, status, n, bytes, newest, key) in &rows {
                println!(
                    "{entity:<20} {status:<9} {n:>7} {bytes:>10}  {}  {key}",
                    newest.date()
                );
            }
            println!("{} batch(es)", rows.len());
        }
        Action::Get {
            entity_type,
            id,
            tenant,
        } => {
            let found = pms_archive::retrieve::retrieve(
                &pool,
                &store,
                tenant.map(|t| t.as_uuid()),
                &entity_type,
                &id,
            )
            .await?;
            let Some(found) = found else {
                anyhow::bail!("no archived {entity_type} with id {id}");
            };
            println!("{}", serde_json::to_string_pretty(&found)?);
        }
        Action::Verify { tenant } => {
            let report =
                pms_archive::verify::verify(&pool, &store, tenant.map(|t| t.as_uuid())).await?;
            println!(
                "archive {}: {} batch(es), {} row(s), {} object(s)",
                store.url(),
                report.batches,
                report.rows,
                report.objects
            );
            for p in &report.problems {
                println!("  PROBLEM {p}");
            }
            if !report.problems.is_empty() {
                anyhow::bail!("{} problem(s) in the archive", report.problems.len());
            }
            println!("ok: ledger, index and objects agree");
        }
    }
    Ok(())
}
