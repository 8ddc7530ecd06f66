//! `pms pgbouncer bench`: what transaction pooling buys. On a scratch cluster of its own
//! (`max_connections = 200`, the private cluster's setting), migrated and given a few tenants
//! of people, one tenant-scoped transaction mix runs: directly with 25 connections (the
//! baseline), directly with 500 clients (more than the server admits), and through PgBouncer
//! with 25 and with 500 client connections over its 25 server connections. Ratios are against
//! the baseline, measured in the same run.

use anyhow::Context as _;
use pms_core::TenantId;
use pms_db::cluster::Cluster;
use pms_db::pgbouncer::{Auth, POOLED_ROLES, PgBouncerConfig};
use pms_db::pgbouncer_process::PgBouncer;
use pms_db::{DbUrls, RoleName, TenantTx};
use sqlx::{Connection, Executor, PgPool};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Seconds each configuration runs.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Client connections of the crowded runs.
    #[arg(long, default_value_t = 500)]
    clients: u32,
    /// Server connections: PgBouncer's pool, and the baseline's direct pool.
    #[arg(long, default_value_t = 25)]
    server_connections: u32,
    /// Tenants, and people in each.
    #[arg(long, default_value_t = 20)]
    tenants: usize,
    #[arg(long, default_value_t = 200)]
    people: usize,
}

struct Run {
    label: String,
    /// Connections the client pool had open at the end.
    opened: u32,
    tps: f64,
    failed: u64,
    first_error: Option<String>,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("pms-pgbouncer-bench-{}", std::process::id()));
    let cluster = Cluster::new(&dir).context("scratch cluster")?;
    let result = bench(&args, &cluster, &dir).await;
    let _ = cluster.stop();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn bench(args: &Args, cluster: &Cluster, dir: &std::path::Path) -> anyhow::Result<()> {
    println!(
        "scratch cluster on 127.0.0.1:{} ({})",
        cluster.port,
        dir.display()
    );
    cluster.ensure_started()?;
    let mut conn = sqlx::PgConnection::connect(&cluster.admin_url("postgres")).await?;
    conn.execute("CREATE DATABASE pms").await?;
    conn.close().await?;
    let urls = DbUrls::direct(cluster.admin_url("pms"));
    let mut admin = urls.connect(RoleName::Admin).await?;
    pms_db::migrate::migrate(&mut admin).await?;
    let max_conn: String = sqlx::query_scalar("SELECT current_setting('max_connections')")
        .fetch_one(&mut admin)
        .await?;
    let people = seed(&mut admin, args.tenants, args.people).await?;
    admin.close().await?;
    println!(
        "{} tenants x {} people; server max_connections = {max_conn}",
        args.tenants, args.people
    );

    let mut config = PgBouncerConfig::new(
        &dir.join("pgbouncer"),
        free_port()?,
        "127.0.0.1",
        cluster.port,
    );
    config.databases.push("pms".into());
    config.pool.default_pool_size = args.server_connections;
    config.auth = Auth::Trust(POOLED_ROLES.iter().map(|r| r.to_string()).collect());
    let bouncer = PgBouncer::start(config)?;
    let pooled = urls.clone().with_pgbouncer(Some(format!(
        "postgresql://127.0.0.1:{}",
        bouncer.config.listen_port
    )));
    let people = Arc::new(people);
    let secs = Duration::from_secs(args.seconds);
    let (n, c) = (args.server_connections, args.clients);
    let mut runs = Vec::new();
    runs.push(measure(&urls, &people, n, secs, format!("direct, {n} connections")).await?);
    // The pooled roles' options (statement cache off) without PgBouncer: what sqlx's re-parsing
    // costs, apart from the extra hop and PgBouncer's reset.
    let uncached = DbUrls {
        behind_pgbouncer: true,
        ..urls.clone()
    };
    runs.push(
        measure(
            &uncached,
            &people,
            n,
            secs,
            format!("direct, {n}, no statement cache"),
        )
        .await?,
    );
    runs.push(measure(&urls, &people, c, secs, format!("direct, {c} clients")).await?);
    runs.push(
        measure(
            &pooled,
            &people,
            n,
            secs,
            format!("PgBouncer, {n} clients over {n}"),
        )
        .await?,
    );
    runs.push(
        measure(
            &pooled,
            &people,
            c,
            secs,
            format!("PgBouncer, {c} clients over {n}"),
        )
        .await?,
    );
    drop(bouncer);
    let base = runs[0].tps.max(f64::MIN_POSITIVE);
    println!(
        "\ntransaction mix (3 reads, 1 in 5 an audited update), {}s each",
        args.seconds
    );
    for r in &runs {
        println!(
            "  {:<36} {:>7.0} tx/s  ratio {:>5.2}  connections {:>3}  failed {}{}",
            r.label,
            r.tps,
            r.tps / base,
            r.opened,
            r.failed,
            r.first_error
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        );
    }
    Ok(())
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Tenants and people, as the superuser; returns each tenant's people.
async fn seed(
    admin: &mut sqlx::PgConnection,
    tenants: usize,
    people: usize,
) -> anyhow::Result<Vec<(TenantId, Vec<uuid::Uuid>)>> {
    let mut out = Vec::new();
    for t in 0..tenants {
        let tenant = uuid::Uuid::now_v7();
        let mut tx = admin.begin().await?;
        sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $2)")
            .bind(tenant)
            .bind(format!("bench-{t}"))
            .execute(&mut *tx)
            .await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1::text, true)")
            .bind(tenant)
            .execute(&mut *tx)
            .await?;
        let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
            "INSERT INTO users (tenant_id, email, first_name, last_name, job_title)
             SELECT $1, 'p' || i || '@bench.example', 'P' || i, 'L' || (i % 37), 'Engineer'
               FROM generate_series(1, $2) i RETURNING id",
        )
        .bind(tenant)
        .bind(people as i32)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        out.push((TenantId(tenant), ids));
    }
    Ok(out)
}

/// One transaction of the mix for a tenant and a person in it.
async fn transaction(
    pool: &PgPool,
    tenant: TenantId,
    person: uuid::Uuid,
    write: bool,
) -> Result<(), sqlx::Error> {
    let mut tx = TenantTx::begin(pool, tenant, None).await?;
    let _: (String, String) =
        sqlx::query_as("SELECT email, first_name || ' ' || last_name FROM users WHERE id = $1")
            .bind(person)
            .fetch_one(&mut **tx)
            .await?;
    let _: Vec<(uuid::Uuid, String)> =
        sqlx::query_as("SELECT id, email FROM users ORDER BY last_name, id LIMIT 20")
            .fetch_all(&mut **tx)
            .await?;
    let _: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE job_title = 'Engineer'")
        .fetch_one(&mut **tx)
        .await?;
    if write {
        sqlx::query("UPDATE users SET job_title = 'Engineer' WHERE id = $1")
            .bind(person)
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await
}

async fn measure(
    urls: &DbUrls,
    people: &Arc<Vec<(TenantId, Vec<uuid::Uuid>)>>,
    clients: u32,
    secs: Duration,
    label: String,
) -> anyhow::Result<Run> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(clients)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy_with(urls.options(RoleName::App)?);
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let first_error = Arc::new(std::sync::Mutex::new(None::<String>));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (pool, people, done, failed, first_error) = (
            pool.clone(),
            people.clone(),
            done.clone(),
            failed.clone(),
            first_error.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut state = u64::from(c).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            while start.elapsed() < secs {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let (tenant, ids) = &people[(state % people.len() as u64) as usize];
                let person = ids[((state >> 16) % ids.len() as u64) as usize];
                match transaction(&pool, *tenant, person, (state >> 40) % 5 == 0).await {
                    Ok(()) => {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        if let Ok(mut f) = first_error.lock() {
                            f.get_or_insert_with(|| e.to_string());
                        }
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let opened = pool.size();
    pool.close().await;
    let run = Run {
        label,
        opened,
        tps: done.load(Ordering::Relaxed) as f64 / elapsed,
        failed: failed.load(Ordering::Relaxed),
        first_error: first_error.lock().ok().and_then(|f| f.clone()),
    };
    println!(
        "  {}: {:.0} tx/s, {} failed",
        run.label, run.tps, run.failed
    );
    Ok(run)
}
