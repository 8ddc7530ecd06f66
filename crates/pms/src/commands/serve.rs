//! `pms serve`: the HTTP API (`/api/v1`, `/api/openapi.json`, `/health`, `/ready`) and
//! `/metrics`, until Ctrl-C or SIGTERM; requests in flight then finish.

use crate::context::Database;
use anyhow::Context as _;
use axum::Router;
use axum::routing::get;
use pms_api::{ApiConfig, AppState};
use pms_core::Config;
use pms_db::RoleName;
use pms_monitor::Registry;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
}

#[derive(clap::Subcommand)]
enum Action {
    /// The API benchmark on this database: warm dashboard vs a bare handler, a manager's team
    /// reviews with the visibility policies vs none, logins (see docs/BENCHMARKS.md).
    Bench(BenchArgs),
}

#[derive(clap::Args)]
struct BenchArgs {
    /// The tenant's slug (default: the tenant with the most people).
    #[arg(long)]
    tenant: Option<String>,
    /// Seconds of each load phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent connections of the load generator.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Rounds of the team-review query, per side.
    #[arg(long, default_value_t = 200)]
    rounds: usize,
    /// Instead: the mixed workload (90% reads, 10% writes from many people) with the policies
    /// on, with the cache off, and on a scratch copy without the visibility policies.
    #[arg(long)]
    mixed: bool,
    /// People the mixed workload's requests come from.
    #[arg(long, default_value_t = 200)]
    people: usize,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let db = Database::open(config, false).await?;
    if let Some(Action::Bench(b)) = args.action {
        if b.seconds == 0 || b.connections == 0 || b.rounds == 0 || b.people == 0 {
            anyhow::bail!("--seconds, --connections, --rounds and --people must be at least 1");
        }
        if b.mixed {
            let options = pms_api::bench_mixed::MixedOptions {
                tenant: b.tenant,
                duration: std::time::Duration::from_secs(b.seconds),
                connections: b.connections,
                people: b.people,
            };
            let cache = pms_cache::CacheOptions::from_config(config)?;
            return pms_api::bench_mixed::run(&db.urls, cache, options)
                .await
                .map_err(anyhow::Error::msg);
        }
        let app = db
            .urls
            .pool(RoleName::App, (b.connections as u32).clamp(4, 64))
            .await?;
        let maint = db.maintenance_pool().await?;
        let cache = pms_cache::Cache::open(pms_cache::CacheOptions::from_config(config)?)?;
        let options = pms_api::bench::BenchOptions {
            tenant: b.tenant,
            duration: std::time::Duration::from_secs(b.seconds),
            connections: b.connections,
            query_rounds: b.rounds,
        };
        return pms_api::bench::run(app, maint, cache, options)
            .await
            .map_err(anyhow::Error::msg);
    }
    let metrics = crate::commands::monitor::registry(&db)?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let (addr, server) = start(config, &db, metrics, stop_rx).await?;
    println!(
        "pms serve: http://{addr}/api/v1 (OpenAPI at http://{addr}/api/openapi.json), console at http://{addr}/console; Ctrl-C stops"
    );
    crate::commands::worker::shutdown_signal().await;
    println!("\nstopping: finishing requests in flight...");
    let _ = stop_tx.send(true);
    finish(server).await?;
    println!("stopped cleanly");
    Ok(())
}

/// Binds `PMS_LISTEN` and serves the API in a task until `stop` turns true; shared with
/// `pms up`. Returns the bound address and the task.
pub async fn start(
    config: &Config,
    db: &Database,
    metrics: Arc<Registry>,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<(SocketAddr, JoinHandle<std::io::Result<()>>)> {
    let api = ApiConfig::from_env()?;
    let pool = db
        .urls
        .pool(RoleName::App, api.db_connections)
        .await
        .context("connecting as pms_app for the API")?;
    metrics.pools.observe("app", pool.clone());
    let cache = pms_cache::Cache::open(pms_cache::CacheOptions::from_config(config)?)
        .context("opening the cache (REDIS_URL)")?;
    let gauges = cache.clone();
    metrics.on_render(Box::new(move || gauges.record_gauges()));
    let eraser_cache = cache.clone();
    let mut state = AppState::new(pool, cache, api).map_err(anyhow::Error::msg)?;
    match operations(config, db).await {
        Ok(ops) => state = state.with_operations(ops),
        // The API does not need it: the console then shows its platform figures as unavailable.
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "the operations console has no maintenance connection")
        }
    }
    // The erasure endpoint runs `pms privacy erase`'s steps; without an archive store it
    // answers 503 and the rest of the API serves as usual.
    match pms_archive::ArchiveConfig::from_env(&config.data_dir) {
        Ok(archive) => {
            state.set_eraser(Arc::new(crate::commands::privacy::ApiEraser::new(
                db.maintenance_pool().await?,
                archive,
                eraser_cache,
            )));
        }
        Err(e) => tracing::warn!("erasure over the API is off: {e}"),
    }
    let m = metrics.clone();
    let app = pms_api::router(state).merge(Router::new().route(
        "/metrics",
        get(move || {
            let m = m.clone();
            async move {
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "text/plain; version=0.0.4",
                    )],
                    m.render().await,
                )
            }
        }),
    ));
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (PMS_LISTEN); is the port in use?",
                config.listen
            )
        })?;
    let addr = listener.local_addr()?;
    tracing::info!(listen = %addr, "api started");
    let server = tokio::spawn(pms_api::serve(listener, app, async move {
        let _ = stop.changed().await;
    }));
    Ok((addr, server))
}

/// The console's platform path: a small `pms_maintenance` pool and where the archive and the
/// backups live (each absent when not configured; the console then says so).
async fn operations(
    config: &Config,
    db: &Database,
) -> anyhow::Result<pms_api::console::Operations> {
    let pool = db
        .urls
        .pool(RoleName::Maintenance, 2)
        .await
        .context("connecting as pms_maintenance for the operations console")?;
    let archive = pms_archive::ArchiveConfig::from_env(&config.data_dir).ok();
    let backup = pms_backup::BackupConfig::from_env(&config.data_dir)
        .ok()
        .filter(|c| c.conf_file().is_file());
    Ok(pms_api::console::Operations {
        pool,
        archive,
        backup,
    })
}

/// Waits for the server task and reports how it ended.
pub async fn finish(server: JoinHandle<std::io::Result<()>>) -> anyhow::Result<()> {
    match server.await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e).context("API server"),
        Err(e) => Err(e).context("API server task"),
    }
}
