//! `pms worker`: scheduled jobs plus `/health` and `/metrics`, until Ctrl-C or SIGTERM.

use crate::context::Database;
use anyhow::Context as _;
use pms_core::Config;
use pms_db::RoleName;
use pms_monitor::Registry;
use pms_worker::{JobContext, Scheduler};
use std::sync::Arc;
use tokio::sync::watch;

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let db = Database::open(config, false).await?;
    let metrics = crate::commands::monitor::registry(&db)?;
    serve(config, &db, metrics).await
}

/// Runs the worker in the foreground until Ctrl-C or SIGTERM; shared with `pms up`, which
/// passes the process's one metrics registry (the API reports into it too).
pub async fn serve(config: &Config, db: &Database, metrics: Arc<Registry>) -> anyhow::Result<()> {
    // Each running job holds one connection for its advisory lock and needs at least one more
    // for its work; size the pool so that every job can run at once without starving.
    let mut jobs = pms_worker::jobs::all();
    jobs.extend(crate::commands::backup::worker_jobs(config, db).await?);
    let maintenance = db
        .urls
        .pool(RoleName::Maintenance, (jobs.len() as u32) * 2 + 4)
        .await?;
    let listener = tokio::net::TcpListener::bind(config.worker_listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (PMS_WORKER_LISTEN); is the port in use?",
                config.worker_listen
            )
        })?;
    let (stop_tx, stop_rx) = watch::channel(false);
    // The report job computes each report as its requester, under row-level security.
    let app = db.urls.pool(RoleName::App, 4).await?;
    let scheduler = Scheduler::new(JobContext::new(maintenance.clone()).with_app(app), jobs);
    metrics.pools.observe("maintenance", maintenance.clone());
    pms_worker::job_metrics::register(&scheduler.job_names());
    tracing::info!(jobs = ?scheduler.job_names(), listen = %config.worker_listen, "worker started");
    let sched = tokio::spawn(scheduler.run(stop_rx.clone()));
    // The platform's cache, opened here so that its metrics (hits, misses, errors and breaker
    // state per category) are on the worker's /metrics like the jobs'.
    let cache = pms_cache::Cache::open(pms_cache::CacheOptions::from_config(config)?)
        .context("opening the cache (REDIS_URL)")?;
    tracing::info!(backend = cache.backend(), "cache opened");
    metrics.on_render(Box::new(move || cache.record_gauges()));
    crate::commands::replica::observe(db, &metrics).await?;
    let app = pms_worker::http::router(maintenance, metrics, "worker");
    let mut http_stop = stop_rx.clone();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = http_stop.changed().await;
            })
            .await
    });
    shutdown_signal().await;
    println!("\nstopping...");
    let _ = stop_tx.send(true);
    let _ = sched.await;
    match server.await {
        Ok(Err(e)) => return Err(e).context("HTTP server"),
        Err(e) => return Err(e).context("HTTP server task"),
        Ok(Ok(())) => {}
    }
    println!("stopped cleanly");
    Ok(())
}

pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
