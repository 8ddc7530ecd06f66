//! `pms pgbouncer`: a PgBouncer (transaction pooling) for this platform's database: its
//! configuration (`config`), running one (`start`, `stop`, and `pms up --pgbouncer`), and the
//! benchmark (`bench`). What the platform's connections do behind it: `pms_db::pgbouncer`.

use crate::context::Database;
use anyhow::Context as _;
use pms_core::Config;
use pms_db::RoleName;
use pms_db::pgbouncer::{POOLED_ROLES, PgBouncerConfig, auth_from_server};
use pms_db::pgbouncer_process::PgBouncer;
use sqlx::Connection;
use std::path::{Path, PathBuf};

/// The port PgBouncer listens on unless told otherwise (its customary one).
pub const DEFAULT_PORT: u16 = 6432;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Args, Clone)]
pub struct ConfigArgs {
    /// Folder for pgbouncer.ini and userlist.txt (default PMS_DATA_DIR/pgbouncer).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Port PgBouncer listens on (127.0.0.1).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Also pass any other database name through to the server (`* =`), e.g. for test databases.
    #[arg(long)]
    any_database: bool,
    /// Server connections per database and role (the specification's 25).
    #[arg(long, default_value_t = 25)]
    pool_size: u32,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Write pgbouncer.ini and userlist.txt for DATABASE_URL's database (or the private
    /// cluster's), runnable as `pgbouncer -d DIR/pgbouncer.ini` by the postgres user.
    Config(ConfigArgs),
    /// Write the configuration and start PgBouncer in the background.
    Start(ConfigArgs),
    /// Stop the PgBouncer that `start` or `pms up --pgbouncer` started.
    Stop {
        /// Its folder (default PMS_DATA_DIR/pgbouncer).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Transactions/s of a tenant-scoped mix directly and through PgBouncer (500 clients over
    /// 25 server connections), on a scratch cluster of its own.
    Bench(super::pgbouncer_bench::Args),
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    match args.action {
        Action::Config(a) => {
            let db = Database::open(config, false).await?;
            let c = configure(config, &db, &a).await?;
            let ini = c.write()?;
            println!(
                "wrote {} and {}",
                ini.display(),
                c.userlist_path().display()
            );
            println!(
                "run it (as the postgres user when root): pgbouncer -d {}",
                ini.display()
            );
            print_urls(&db, &c);
            Ok(())
        }
        Action::Start(a) => {
            let db = Database::open(config, false).await?;
            let c = configure(config, &db, &a).await?;
            let port = c.listen_port;
            let b = PgBouncer::start(c).context("starting PgBouncer")?;
            println!(
                "PgBouncer running on 127.0.0.1:{port} (pid {})",
                b.pid().unwrap_or(0)
            );
            print_urls(&db, &b.config);
            b.detach();
            Ok(())
        }
        Action::Stop { out } => {
            let dir = out.unwrap_or_else(|| default_dir(config));
            if stop_in(&dir) {
                println!("PgBouncer stopped");
            } else {
                println!("no PgBouncer running from {}", dir.display());
            }
            Ok(())
        }
        Action::Bench(a) => super::pgbouncer_bench::run(a).await,
    }
}

fn default_dir(config: &Config) -> PathBuf {
    let dir = config.data_dir.join("pgbouncer");
    std::path::absolute(&dir).unwrap_or(dir)
}

/// The configuration for this platform's database: its server, its database, the platform's
/// roles as the server authenticates them, the administrative user for the console.
async fn configure(
    config: &Config,
    db: &Database,
    args: &ConfigArgs,
) -> anyhow::Result<PgBouncerConfig> {
    let admin = url::Url::parse(&db.urls.admin).context("DATABASE_URL is not a URL")?;
    let host = admin.host_str().unwrap_or("127.0.0.1").to_string();
    let database = admin.path().trim_start_matches('/').to_string();
    anyhow::ensure!(
        !database.is_empty(),
        "DATABASE_URL names no database: add one, e.g. postgresql://host/pms"
    );
    let dir = args.out.clone().unwrap_or_else(|| default_dir(config));
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    let mut c = PgBouncerConfig::new(&dir, args.port, &host, admin.port().unwrap_or(5432));
    c.databases.push(database);
    c.any_database = args.any_database;
    c.pool.default_pool_size = args.pool_size;
    let admin_user = match admin.username() {
        "" => "postgres".to_string(),
        u => u.to_string(),
    };
    let mut roles: Vec<String> = POOLED_ROLES.iter().map(|r| r.to_string()).collect();
    roles.push(admin_user.clone());
    let mut conn = db.urls.connect(RoleName::Admin).await?;
    let (auth, without) = auth_from_server(&mut conn, &roles).await.context(
        "reading the roles' password verifiers (pg_authid) needs a superuser DATABASE_URL",
    )?;
    conn.close().await.ok();
    for r in &without {
        eprintln!(
            "warning: role {r} has no password on the server, so it cannot log in through PgBouncer's password check"
        );
    }
    c.auth = auth;
    c.admin_users = vec![admin_user];
    Ok(c)
}

fn print_urls(db: &Database, c: &PgBouncerConfig) {
    let base = format!("postgresql://{}:{}", c.listen_addr, c.listen_port);
    let through = db.urls.clone().with_pgbouncer(Some(base.clone()));
    println!(
        "  as the application, through PgBouncer: psql '{}'",
        pms_core::config::mask_url(&through.url_for(RoleName::App))
    );
    println!("  the platform uses it with: PMS_PGBOUNCER_URL={base}");
}

/// Stops the PgBouncer whose pid file is in `dir`; false when none was running.
fn stop_in(dir: &Path) -> bool {
    let Some(pid) = std::fs::read_to_string(dir.join("pgbouncer.pid"))
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
    else {
        return false;
    };
    if std::fs::metadata(format!("/proc/{pid}")).is_err() {
        return false;
    }
    let sent = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .is_ok_and(|s| s.success());
    // Wait for it to let go of its port.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while sent
        && std::fs::metadata(format!("/proc/{pid}")).is_ok()
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    sent
}

/// `pms up --pgbouncer`: a PgBouncer in front of the database (restarted with a fresh
/// configuration if one is running from an earlier `pms up`), left running like the private
/// cluster; the returned database sends the application's connections through it.
pub async fn front(config: &Config, mut db: Database, enabled: bool) -> anyhow::Result<Database> {
    if !enabled {
        return Ok(db);
    }
    let args = ConfigArgs {
        out: None,
        port: DEFAULT_PORT,
        any_database: false,
        pool_size: 25,
    };
    let c = configure(config, &db, &args).await?;
    stop_in(&c.dir);
    let base = format!("postgresql://{}:{}", c.listen_addr, c.listen_port);
    let b = PgBouncer::start(c).context("starting PgBouncer (pms up --pgbouncer)")?;
    println!(
        "  PgBouncer (transaction pooling) on {base}, pid {}; `pms pgbouncer stop` stops it",
        b.pid().unwrap_or(0)
    );
    b.detach();
    db.urls = db.urls.with_pgbouncer(Some(base));
    Ok(db)
}
