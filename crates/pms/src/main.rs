//! `pms`: one binary for the whole data platform of a performance management system.

mod commands;
mod context;
mod logging;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "pms",
    version,
    about = "The data platform of a multi-tenant performance management system"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole platform on this machine: database, migrations, demo data, API, worker.
    Up(commands::up::Args),
    /// Stop the private PostgreSQL cluster that `pms up` started.
    Down,
    /// Print the effective configuration (secrets masked).
    Config,
    /// Apply pending migrations (under an advisory lock), or list them.
    Migrate(commands::migrate::Args),
    /// Load demo data or generate a tenant.
    Seed(commands::seed::Args),
    /// Schema tooling: generate docs/SCHEMA.md from the live catalog.
    Schema(commands::schema::Args),
    /// Run the HTTP API (/api/v1, OpenAPI, /health, /ready, /metrics) until Ctrl-C.
    Serve(commands::serve::Args),
    /// Run the background worker (scheduled jobs, /health, /metrics) until Ctrl-C.
    Worker,
    /// Run maintenance now.
    Maintenance(commands::maintenance::Args),
    /// Load metric points into the time-series engine.
    Metrics(commands::metrics::Args),
    /// Time-series engine: status, compression, benchmark.
    Timeseries(commands::timeseries::Args),
    /// Audit trail: verify the hash chains, export heads, history, security events, suspicious activity.
    Audit(commands::audit::Args),
    /// Cache statistics, benchmark and purge (Redis from REDIS_URL, else in process).
    Cache(commands::cache::Args),
    /// Archive storage: list batches, get one archived entity, verify the archive.
    Archive(commands::archive::Args),
    /// Privacy: erase a person from every tier.
    Privacy(commands::privacy::Args),
    /// One screen of what to watch: queries, indexes, bloat, connections, cache, disk,
    /// time-series, archive, backups, replication, security; `bench` for the cost of watching.
    Monitor(commands::monitor::Args),
    /// Backups (pgBackRest): init, create, list, verify by restore, point-in-time restore.
    Backup(commands::backup::Args),
    /// PgBouncer (transaction pooling) for this database: config, start, stop, bench.
    Pgbouncer(commands::pgbouncer::Args),
    /// Streaming read replicas of the private cluster; the state of PMS_READ_DATABASE_URL's.
    Replica(commands::replica::Args),
    /// Large-tenant placement on Citus: isolate one tenant, rebalance the shards.
    Tenant(commands::tenant::Args),
    /// Data warehouse: incremental sync of the star schema, status, Parquet export, benchmark.
    Warehouse(commands::warehouse::Args),
}

fn main() -> ExitCode {
    // A missing .env is normal; a malformed one is reported.
    if let Err(e) = dotenvy::dotenv()
        && !e.not_found()
    {
        eprintln!("error: .env: {e}");
        return ExitCode::FAILURE;
    }
    let cli = Cli::parse();
    let config = match pms_core::Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: configuration: {e}");
            return ExitCode::FAILURE;
        }
    };
    logging::init(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Up(args) => commands::up::run(&config, args).await,
            Command::Down => commands::down::run(&config).await,
            Command::Config => commands::config::run(&config),
            Command::Migrate(args) => commands::migrate::run(&config, args).await,
            Command::Seed(args) => commands::seed::run(&config, args).await,
            Command::Schema(args) => commands::schema::run(&config, args).await,
            Command::Serve(args) => commands::serve::run(&config, args).await,
            Command::Worker => commands::worker::run(&config).await,
            Command::Maintenance(args) => commands::maintenance::run(&config, args).await,
            Command::Metrics(args) => commands::metrics::run(&config, args).await,
            Command::Timeseries(args) => commands::timeseries::run(&config, args).await,
            Command::Audit(args) => commands::audit::run(&config, args).await,
            Command::Cache(args) => commands::cache::run(&config, args).await,
            Command::Archive(args) => commands::archive::run(&config, args).await,
            Command::Privacy(args) => commands::privacy::run(&config, args).await,
            Command::Monitor(args) => commands::monitor::run(&config, args).await,
            Command::Backup(args) => commands::backup::run(&config, args).await,
            Command::Pgbouncer(args) => commands::pgbouncer::run(&config, args).await,
            Command::Replica(args) => commands::replica::run(&config, args).await,
            Command::Tenant(args) => commands::tenant::run(&config, args).await,
            Command::Warehouse(args) => commands::warehouse::run(&config, args).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
