//! `pms audit ...`: verify the tamper-evident chains, export their heads, read the history of a
//! user or an entity, list security events and detect suspicious activity. Runs as the
//! maintenance role (it reads across tenants); it never writes the trail.

use crate::context::Database;
use anyhow::{Context as _, bail};
use pms_audit::{AuditEntry, ChainHead, chain, history, suspicious};
use pms_core::{Config, TenantId, UserId};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Verify the hash chains of one tenant (or all), optionally against exported heads.
    /// Exits non-zero when a chain is broken.
    Verify {
        /// Only this tenant (id).
        #[arg(long)]
        tenant: Option<TenantId>,
        /// A file written by `pms audit head`: also check that the chain still holds those heads
        /// (catches a truncated tail or a rewrite of the whole chain).
        #[arg(long)]
        head: Option<std::path::PathBuf>,
    },
    /// Export the current chain heads of a tenant as JSON (keep them outside the database).
    Head {
        #[arg(long)]
        tenant: TenantId,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// The audit history of a user (what they changed) or of one entity (every change to it).
    #[command(group(clap::ArgGroup::new("subject").required(true).args(["user", "entity"])))]
    History {
        /// A user id: the changes this user made.
        #[arg(long)]
        user: Option<UserId>,
        /// TYPE:ID, e.g. PerformanceReview:0190c8a2-... (the type may also be the table name).
        #[arg(long)]
        entity: Option<String>,
        /// How many days back (user history), 1..=1095.
        #[arg(long, default_value_t = 30, allow_negative_numbers = true)]
        days: i32,
        /// At most this many entries, 1..=1000.
        #[arg(long, default_value_t = 100, allow_negative_numbers = true)]
        limit: i32,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// A tenant's security events, newest first.
    Events {
        #[arg(long)]
        tenant: TenantId,
        /// 1..=1095.
        #[arg(long, default_value_t = 7, allow_negative_numbers = true)]
        days: i32,
        /// 1..=1000.
        #[arg(long, default_value_t = 100, allow_negative_numbers = true)]
        limit: i32,
        #[arg(long)]
        json: bool,
    },
    /// Suspicious activity of a tenant over the last hours (thresholds per tenant).
    Suspicious {
        #[arg(long)]
        tenant: TenantId,
        /// 1..=8760.
        #[arg(long, default_value_t = 24, allow_negative_numbers = true)]
        hours: i32,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let db = Database::open(config, false).await?;
    let pool = db.maintenance_pool().await?;
    let mut conn = pool
        .acquire()
        .await
        .context("connecting as pms_maintenance")?;
    match args.action {
        Action::Verify { tenant, head } => verify(&mut conn, tenant, head.as_deref()).await,
        Action::Head { tenant, out } => {
            let heads = chain::export_head(&mut conn, tenant).await?;
            let json = serde_json::to_string_pretty(&heads)?;
            match out {
                Some(path) => std::fs::write(&path, json + "\n")
                    .with_context(|| format!("writing {}", path.display()))?,
                None => println!("{json}"),
            }
            Ok(())
        }
        Action::History {
            user,
            entity,
            days,
            limit,
            json,
        } => {
            let entries = match (user, entity) {
                (Some(u), _) => history::user_history(&mut conn, u, days, limit).await?,
                (None, Some(e)) => {
                    let (ty, id) = parse_entity(&e)?;
                    history::entity_history(&mut conn, ty, id, limit).await?
                }
                (None, None) => bail!("pass --user ID or --entity TYPE:ID"),
            };
            print_history(&entries, json)
        }
        Action::Events {
            tenant,
            days,
            limit,
            json,
        } => {
            for e in history::tenant_events(&mut conn, tenant, days, limit).await? {
                if json {
                    println!("{}", serde_json::to_string(&e)?);
                } else {
                    println!(
                        "{}  #{:<6} {:<18} {:<8} user={} account={} ip={} resource={} {}",
                        when(e.occurred_at),
                        e.seq,
                        e.event_type,
                        e.severity,
                        opt(e.user_id),
                        opt(e.account),
                        opt(e.ip_address),
                        opt(e.resource_type),
                        e.details
                    );
                }
            }
            Ok(())
        }
        Action::Suspicious {
            tenant,
            hours,
            json,
        } => {
            let found = suspicious::detect(&mut conn, tenant, hours).await?;
            if found.is_empty() && !json {
                println!("no suspicious activity in the last {hours} hour(s)");
            }
            for f in found {
                if json {
                    println!("{}", serde_json::to_string(&f)?);
                } else {
                    println!(
                        "{:<8} {:<28} user={} account={} occurrences={} {}",
                        f.severity,
                        f.pattern,
                        opt(f.user_id),
                        opt(f.account),
                        f.occurrences,
                        f.details
                    );
                }
            }
            Ok(())
        }
    }
}

async fn verify(
    conn: &mut PgConnection,
    tenant: Option<TenantId>,
    head: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let heads: Vec<ChainHead> = match head {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            chain::parse_heads(&text).with_context(|| path.display().to_string())?
        }
        None => Vec::new(),
    };
    let tenants: Vec<(Uuid, String)> = match tenant {
        Some(t) => chain::tenants(conn)
            .await?
            .into_iter()
            .filter(|(id, _)| *id == t.as_uuid())
            .collect(),
        None => chain::tenants(conn).await?,
    };
    if let Some(t) = tenant.filter(|_| tenants.is_empty()) {
        bail!("unknown tenant {t}");
    }
    let mut broken = 0;
    for (id, slug) in &tenants {
        for s in chain::verify(conn, TenantId(*id)).await? {
            if s.ok {
                println!("ok      {slug} {:<8} {} entries", s.stream, s.entries);
            } else {
                broken += 1;
                println!(
                    "BROKEN  {slug} {:<8} at entry {}: {}",
                    s.stream,
                    opt(s.broken_seq),
                    s.problem.as_deref().unwrap_or("?")
                );
            }
        }
    }
    for h in heads
        .iter()
        .filter(|h| tenant.is_none_or(|t| t.as_uuid() == h.tenant_id))
    {
        match chain::check_head(conn, h).await? {
            None => println!(
                "ok      {} {:<8} holds the exported head at entry {}",
                h.tenant_id, h.stream, h.seq
            ),
            Some(problem) => {
                broken += 1;
                println!("BROKEN  {} {:<8} {problem}", h.tenant_id, h.stream);
            }
        }
    }
    if broken > 0 {
        bail!("{broken} audit chain problem(s) found");
    }
    Ok(())
}

fn parse_entity(s: &str) -> anyhow::Result<(&str, Uuid)> {
    let Some((ty, id)) = s.split_once(':') else {
        bail!(
            "--entity must be TYPE:ID, e.g. PerformanceReview:0190c8a2-7b4e-7000-8000-000000000000, got {s:?}"
        );
    };
    let id = Uuid::parse_str(id.trim())
        .map_err(|e| anyhow::anyhow!("--entity: {id:?} is not a UUID: {e}"))?;
    Ok((ty.trim(), id))
}

fn print_history(entries: &[AuditEntry], json: bool) -> anyhow::Result<()> {
    if entries.is_empty() && !json {
        println!("no audit entries");
    }
    for e in entries {
        if json {
            println!("{}", serde_json::to_string(e)?);
        } else {
            println!(
                "{}  #{:<6} {:<6} {:<20} {} by {} request={} {}",
                when(e.occurred_at),
                e.seq,
                e.operation,
                e.entity_type,
                opt(e.row_id),
                opt(e.actor_user_id),
                opt(e.request_id.clone()),
                e.changes
            );
        }
    }
    Ok(())
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_else(|| "-".into())
}

fn when(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}
