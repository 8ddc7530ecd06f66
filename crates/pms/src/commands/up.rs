//! `pms up`: everything a newcomer needs, in the foreground.

use crate::context::Database;
use pms_core::Config;
use pms_db::RoleName;

#[derive(clap::Args)]
pub struct Args {
    /// Prepare database, migrations and demo data, print where everything is, and exit
    /// instead of running the API and the worker.
    #[arg(long)]
    no_worker: bool,
    /// Also run a PgBouncer (transaction pooling, port 6432) in front of the database and send
    /// the application's connections through it.
    #[arg(long)]
    pgbouncer: bool,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    println!("pms up");
    let db = Database::open(config, true).await?;
    let db = crate::commands::pgbouncer::front(config, db, args.pgbouncer).await?;
    let report = db.migrate().await?;
    println!(
        "  migrations: {} applied now, database up to date",
        report.applied.len()
    );
    let pool = db.maintenance_pool().await?;
    let demo = pms_seed::demo::seed_demo(&pool).await?;
    println!(
        "  demo data: ready ({} rows inserted now)",
        demo.inserted_rows
    );
    println!();
    println!("database");
    println!(
        "  as the application (RLS applies): {}",
        db.psql_hint(RoleName::App)
    );
    println!(
        "  as the administrator:             {}",
        db.psql_hint(RoleName::Admin)
    );
    if let Some(c) = &db.cluster {
        println!(
            "  private cluster: data {}, log {}",
            c.data.display(),
            c.log_file.display()
        );
    }
    if let Some((tenant, _)) = demo.tenants.first() {
        println!(
            "  rows of one tenant:  BEGIN; SELECT set_config('app.tenant_id', '{tenant}', true); SELECT email FROM users; COMMIT;"
        );
        println!(
            "  tenants: {}",
            demo.tenants
                .iter()
                .map(|(id, n)| format!("{n} = {id}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!("demo logins (tenant demo-company, password demo123)");
    for (login, _) in &demo.logins {
        println!("  {login}");
    }
    if args.no_worker {
        println!("\n(--no-worker: not starting the API and the worker)");
        return Ok(());
    }
    let metrics = crate::commands::monitor::registry(&db)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let (addr, api) = crate::commands::serve::start(config, &db, metrics.clone(), stop_rx).await?;
    println!("api");
    println!("  base:    http://{addr}/api/v1");
    println!("  openapi: http://{addr}/api/openapi.json");
    if let Some((login, _)) = demo.logins.first() {
        println!(
            "  sign in: curl -s http://{addr}/api/v1/auth/login -H 'content-type: application/json' -d '{{\"tenant\":\"demo-company\",\"email\":\"{}\",\"password\":\"demo123\"}}'",
            login.split_whitespace().next().unwrap_or(login)
        );
    }
    println!("worker");
    println!("  health:  http://{}/health", config.worker_listen);
    println!("  metrics: http://{}/metrics", config.worker_listen);
    println!("\nrunning; press Ctrl-C to stop (the database keeps running; `pms down` stops it)");
    let worker = crate::commands::worker::serve(config, &db, metrics).await;
    let _ = stop_tx.send(true);
    crate::commands::serve::finish(api).await?;
    worker
}
