//! `pms warehouse report NAME [--tenant SLUG] [--format table|csv|json] [--from D] [--to D]
//! [--grain week|month]`: a report over the star (see `pms_warehouse::report`), read as
//! pms_readonly inside a transaction scoped to the tenant, so RLS decides what it sees. Without
//! `--tenant`, every synced tenant in turn, with a `tenant` column first.

use super::{maintenance_connection, tenant_id};
use crate::context::Database;
use anyhow::Context as _;
use pms_db::RoleName;
use pms_warehouse::report::{Grain, Report, ReportParams, ReportRows};
use sqlx::Connection as _;
use uuid::Uuid;

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum GrainArg {
    Week,
    Month,
}

#[derive(clap::Args)]
pub struct ReportArgs {
    /// The report: rating-distribution, engagement-trend, feedback-monthly, goal-completion
    /// (left out: the list).
    name: Option<String>,
    /// Only this tenant (slug); every synced tenant when left out.
    #[arg(long)]
    tenant: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// First day (YYYY-MM-DD, UTC) of the facts counted.
    #[arg(long, value_parser = parse_date)]
    from: Option<time::Date>,
    /// Last day (YYYY-MM-DD, UTC, included) of the facts counted.
    #[arg(long, value_parser = parse_date)]
    to: Option<time::Date>,
    /// Buckets of the engagement trend (default month).
    #[arg(long, value_enum)]
    grain: Option<GrainArg>,
}

fn parse_date(s: &str) -> Result<time::Date, String> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|e| format!("{s:?} is not a date YYYY-MM-DD ({e})"))
}

pub async fn run(db: &Database, args: ReportArgs) -> anyhow::Result<()> {
    let Some(name) = args.name else {
        for r in Report::ALL {
            println!("{:<22} {}", r.name(), r.about());
        }
        return Ok(());
    };
    let report = Report::parse(&name)?;
    let params = ReportParams {
        from: args.from,
        to: args.to,
        grain: args.grain.map(|g| match g {
            GrainArg::Week => Grain::Week,
            GrainArg::Month => Grain::Month,
        }),
    };
    // Which tenants: the one named, or every tenant the warehouse holds.
    let mut conn = maintenance_connection(db).await?;
    let tenants: Vec<(Uuid, String)> = match &args.tenant {
        Some(slug) => vec![(tenant_id(&mut conn, slug).await?, slug.clone())],
        None => sqlx::query_as(
            "SELECT d.tenant_id, t.slug FROM warehouse.dim_tenant d JOIN tenants t ON t.id = d.tenant_id ORDER BY t.slug",
        )
        .fetch_all(&mut conn)
        .await
        .context("listing the warehouse's tenants")?,
    };
    let synced: Vec<Uuid> = sqlx::query_scalar("SELECT tenant_id FROM warehouse.dim_tenant")
        .fetch_all(&mut conn)
        .await
        .context("listing the warehouse's tenants")?;
    conn.close().await.ok();
    if let Some((id, slug)) = tenants.first()
        && args.tenant.is_some()
        && !synced.contains(id)
    {
        eprintln!(
            "tenant {slug} has not been synced yet (pms warehouse sync): the report is empty"
        );
    }

    let mut out = ReportRows::default();
    let with_tenant = args.tenant.is_none();
    for (id, slug) in &tenants {
        let mut conn = db
            .urls
            .connect(RoleName::Readonly)
            .await
            .context("connecting as pms_readonly")?;
        let mut tx = conn.begin().await.context("beginning the report")?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .context("setting the tenant")?;
        let r = pms_warehouse::report::run(&mut tx, *id, report, &params).await?;
        tx.rollback().await.ok();
        conn.close().await.ok();
        if with_tenant {
            out.columns = std::iter::once("tenant".to_string())
                .chain(r.columns)
                .collect();
            for (mut row, js) in r.rows.into_iter().zip(r.json) {
                row.insert(0, Some(slug.clone()));
                out.rows.push(row);
                let slug_json = serde_json::to_string(slug).context("quoting the slug")?;
                out.json.push(format!(
                    "{{\"tenant\":{slug_json},{}",
                    js.trim_start_matches('{')
                ));
            }
        } else {
            out = r;
        }
    }
    print!("{}", render(&out, args.format));
    Ok(())
}

fn render(r: &ReportRows, format: Format) -> String {
    let cell = |v: &Option<String>| v.clone().unwrap_or_default();
    match format {
        Format::Json => {
            let mut s = String::from("[");
            s.push_str(&r.json.join(",\n "));
            s.push_str("]\n");
            s
        }
        Format::Csv => {
            let line = |cells: Vec<String>| {
                cells
                    .iter()
                    .map(|c| csv_field(c))
                    .collect::<Vec<_>>()
                    .join(",")
                    + "\n"
            };
            let mut s = line(r.columns.clone());
            for row in &r.rows {
                s.push_str(&line(row.iter().map(cell).collect()));
            }
            s
        }
        Format::Table => {
            let mut widths: Vec<usize> = r.columns.iter().map(|c| c.chars().count()).collect();
            for row in &r.rows {
                for (w, v) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell(v).chars().count());
                }
            }
            let line = |cells: Vec<String>| {
                cells
                    .iter()
                    .zip(&widths)
                    .map(|(c, w)| format!("{c:<w$}"))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
                    + "\n"
            };
            let mut s = line(r.columns.clone());
            s.push_str(&line(widths.iter().map(|w| "-".repeat(*w)).collect()));
            for row in &r.rows {
                s.push_str(&line(row.iter().map(cell).collect()));
            }
            s.push_str(&format!("({} row(s))\n", r.rows.len()));
            s
        }
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
