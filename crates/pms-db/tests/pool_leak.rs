//! I5, pool leak: 32 concurrent workers over 4 server connections, each transaction for the
//! next tenant in turn, one transaction in ten aborted part-way (an error, a server-side
//! statement timeout, a client that gives up waiting, a connection dropped mid-transaction).
//! No read may see another tenant's rows, no write may land in another tenant (checked in the
//! database afterwards, the audit trail included), nothing of an aborted transaction may stay,
//! and no transaction may start with anything left over from an earlier one
//! (`pms_db::session_state`). Through PgBouncer (pool of 4) and directly on PostgreSQL (a sqlx
//! pool of 4).

use pms_core::TenantId;
use pms_db::{DbUrls, RoleName, session_state};
use pms_test_support::{TestDb, TestPgBouncer};
use sqlx::{Connection, PgPool};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use uuid::Uuid;

const WORKERS: usize = 32;
const SERVER_CONNECTIONS: u32 = 4;

fn transactions_per_worker() -> usize {
    std::env::var("PMS_POOL_LEAK_TXNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30)
}

#[derive(Default)]
struct Tally {
    committed: AtomicU64,
    aborted: AtomicU64,
    foreign_reads: AtomicU64,
    leftovers: AtomicU64,
    unexpected: std::sync::Mutex<Vec<String>>,
}

/// Tenants get a short tag carried in every row and request id they write.
fn tag(i: usize) -> String {
    format!("t{i}")
}

async fn tenants(db: &TestDb, n: usize) -> anyhow::Result<Vec<TenantId>> {
    let mut out = Vec::new();
    for i in 0..n {
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $2)")
            .bind(id)
            .bind(format!("leak-{}", tag(i)))
            .execute(&db.maintenance)
            .await?;
        out.push(TenantId(id));
    }
    Ok(out)
}

#[derive(Clone, Copy, Debug)]
enum Abort {
    Error,
    StatementTimeout,
    ClientGivesUp,
    DroppedConnection,
}

/// One transaction of worker `w`, number `i`, for tenant number `t`.
async fn one_transaction(
    pool: &PgPool,
    tenants: &[TenantId],
    t: usize,
    w: usize,
    i: usize,
    abort: Option<Abort>,
    tally: &Tally,
) -> Result<(), sqlx::Error> {
    let tenant = tenants[t];
    let mut pooled = pool.acquire().await?;
    let mut detached;
    let conn: &mut sqlx::PgConnection = if matches!(abort, Some(Abort::DroppedConnection)) {
        detached = pooled.detach();
        &mut detached
    } else {
        &mut pooled
    };
    let mut tx = conn.begin().await?;
    let left = session_state::leftovers(&mut tx).await?;
    if !left.is_empty() {
        tally.leftovers.fetch_add(1, Ordering::Relaxed);
        tally
            .unexpected
            .lock()
            .map(|mut u| u.push(format!("leftover {left:?}")))
            .ok();
    }
    // No tenant yet: no rows at all.
    let visible: i64 = sqlx::query_scalar("SELECT count(*) FROM departments")
        .fetch_one(&mut *tx)
        .await?;
    if visible != 0 {
        tally.foreign_reads.fetch_add(1, Ordering::Relaxed);
    }
    let kind = if abort.is_some() { "abort" } else { "ok" };
    let request = format!("{}:{kind}:{w}:{i}", tag(t));
    sqlx::query(
        "SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', '', true), set_config('app.request_id', $2, true)",
    )
    .bind(tenant.to_string())
    .bind(&request)
    .execute(&mut *tx)
    .await?;
    let code = format!("{kind}-{w}-{i}");
    sqlx::query("INSERT INTO departments (tenant_id, code, name) VALUES ($1, $2, $3)")
        .bind(tenant.as_uuid())
        .bind(&code)
        .bind(format!("{}:{code}", tag(t)))
        .execute(&mut *tx)
        .await?;
    let (foreign, mine): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE tenant_id <> $1 OR name NOT LIKE $2 || ':%'),
                count(*) FILTER (WHERE code = $3)
           FROM departments",
    )
    .bind(tenant.as_uuid())
    .bind(tag(t))
    .bind(&code)
    .fetch_one(&mut *tx)
    .await?;
    if foreign != 0 {
        tally.foreign_reads.fetch_add(1, Ordering::Relaxed);
    }
    if mine != 1 {
        tally
            .unexpected
            .lock()
            .map(|mut u| u.push(format!("{code}: own row seen {mine} times")))
            .ok();
    }
    match abort {
        None => {
            tx.commit().await?;
            tally.committed.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        Some(Abort::Error) => {
            // The same code again: a unique violation aborts the transaction.
            let r =
                sqlx::query("INSERT INTO departments (tenant_id, code, name) VALUES ($1, $2, 'x')")
                    .bind(tenant.as_uuid())
                    .bind(&code)
                    .execute(&mut *tx)
                    .await;
            assert!(r.is_err());
            drop(tx);
        }
        Some(Abort::StatementTimeout) => {
            sqlx::query("SELECT set_config('statement_timeout', '20ms', true)")
                .execute(&mut *tx)
                .await?;
            let r = sqlx::query("SELECT pg_sleep(0.5)").execute(&mut *tx).await;
            assert!(r.is_err());
            drop(tx);
        }
        Some(Abort::ClientGivesUp) => {
            let q = sqlx::query("SELECT pg_sleep(0.1)").execute(&mut *tx);
            let r = tokio::time::timeout(Duration::from_millis(10), q).await;
            assert!(r.is_err(), "pg_sleep(0.1) answered within 10 ms");
            drop(tx);
        }
        Some(Abort::DroppedConnection) => {
            // Dropping the transaction and then the detached connection closes the socket with
            // the transaction open.
            drop(tx);
        }
    }
    tally.aborted.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

async fn run_workload(db: &TestDb, pool: PgPool, label: &str) -> anyhow::Result<()> {
    let tenants = Arc::new(tenants(db, 4).await?);
    let tally = Arc::new(Tally::default());
    let per_worker = transactions_per_worker();
    let mut tasks = Vec::new();
    for w in 0..WORKERS {
        let (pool, tenants, tally) = (pool.clone(), tenants.clone(), tally.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..per_worker {
                let t = (w + i) % tenants.len();
                let abort = ((w + i) % 10 == 0).then(|| match (w + i / 10) % 4 {
                    0 => Abort::Error,
                    1 => Abort::StatementTimeout,
                    2 => Abort::ClientGivesUp,
                    _ => Abort::DroppedConnection,
                });
                if let Err(e) = one_transaction(&pool, &tenants, t, w, i, abort, &tally).await {
                    tally
                        .unexpected
                        .lock()
                        .map(|mut u| u.push(format!("{w}/{i} {abort:?}: {e}")))
                        .ok();
                }
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    pool.close().await;
    let committed = tally.committed.load(Ordering::Relaxed);
    let aborted = tally.aborted.load(Ordering::Relaxed);
    eprintln!("{label}: {committed} committed, {aborted} aborted part-way");
    let unexpected = tally
        .unexpected
        .lock()
        .map(|u| u.clone())
        .unwrap_or_default();
    assert!(unexpected.is_empty(), "{label}: {unexpected:?}");
    assert_eq!(
        tally.foreign_reads.load(Ordering::Relaxed),
        0,
        "{label}: reads saw another tenant"
    );
    assert_eq!(
        tally.leftovers.load(Ordering::Relaxed),
        0,
        "{label}: session state left over"
    );
    let total = (WORKERS * per_worker) as u64;
    assert_eq!(committed + aborted, total);
    assert_eq!(
        aborted,
        total / 10,
        "{label}: one transaction in ten aborts"
    );

    // In the database, as the superuser (no RLS): every row in its own tenant, nothing of an
    // aborted transaction, every committed row once, and its audit entry in the same tenant.
    let mut admin = db.admin().await?;
    let tags: Vec<(Uuid, String)> = tenants
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_uuid(), tag(i)))
        .collect();
    let (ids, names): (Vec<Uuid>, Vec<String>) = tags.into_iter().unzip();
    let (rows, misplaced, aborted_rows): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*),
                count(*) FILTER (WHERE split_part(d.name, ':', 1) IS DISTINCT FROM t.tag),
                count(*) FILTER (WHERE d.code LIKE 'abort-%')
           FROM departments d
           LEFT JOIN unnest($1::uuid[], $2::text[]) t(id, tag) ON t.id = d.tenant_id",
    )
    .bind(&ids)
    .bind(&names)
    .fetch_one(&mut admin)
    .await?;
    assert_eq!(misplaced, 0, "{label}: rows in the wrong tenant");
    assert_eq!(aborted_rows, 0, "{label}: rows of aborted transactions");
    assert_eq!(rows as u64, committed, "{label}: committed rows");
    let (audited, audit_misplaced): (i64, i64) = sqlx::query_as(
        "SELECT count(*),
                count(*) FILTER (WHERE split_part(a.request_id, ':', 1) IS DISTINCT FROM t.tag
                                    OR split_part(a.request_id, ':', 2) <> 'ok'
                                    OR NOT EXISTS (SELECT 1 FROM departments d
                                                    WHERE d.tenant_id = a.tenant_id AND d.id = a.row_id))
           FROM audit_log a
           LEFT JOIN unnest($1::uuid[], $2::text[]) t(id, tag) ON t.id = a.tenant_id
          WHERE a.table_name = 'departments'",
    )
    .bind(&ids)
    .bind(&names)
    .fetch_one(&mut admin)
    .await?;
    assert_eq!(
        audit_misplaced, 0,
        "{label}: audit entries in the wrong tenant"
    );
    assert_eq!(audited as u64, committed, "{label}: audit entries");
    admin.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_leak_through_pgbouncer() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let bouncer = TestPgBouncer::start(SERVER_CONNECTIONS)?;
    let urls = DbUrls::new(db.urls.admin.clone()).with_pgbouncer(Some(bouncer.base_url()));
    let pool = urls.pool(RoleName::App, WORKERS as u32).await?;
    run_workload(&db, pool, "through PgBouncer").await?;
    // The server connections PgBouncer kept: never more than its pool.
    let mut console = sqlx::PgConnection::connect(&bouncer.console_url()).await?;
    let servers = sqlx::raw_sql("SHOW SERVERS")
        .fetch_all(&mut console)
        .await?
        .len();
    assert!(
        servers <= SERVER_CONNECTIONS as usize,
        "{servers} server connections"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_leak_directly_on_postgresql() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let urls = DbUrls::direct(db.urls.admin.clone());
    let pool = urls.pool(RoleName::App, SERVER_CONNECTIONS).await?;
    run_workload(&db, pool, "directly").await
}

/// The check can fail: a session-level `SET` of the tenant follows the connection into the
/// next transaction, shows its tenant's rows there, and is reported as left over.
#[tokio::test]
async fn a_session_set_would_leak_and_is_caught() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let t = tenants(&db, 1).await?[0];
    let mut tx = pms_db::TenantTx::begin(&db.app, t, None).await?;
    sqlx::query("INSERT INTO departments (tenant_id, code, name) VALUES ($1, 'X', 'x')")
        .bind(t.as_uuid())
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    let mut conn = DbUrls::direct(db.urls.admin.clone())
        .connect(RoleName::App)
        .await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("SET app.tenant_id = '{t}'")))
        .execute(&mut conn)
        .await?;
    let mut tx = conn.begin().await?;
    let left = session_state::leftovers(&mut tx).await?;
    assert!(
        left.iter().any(|l| l.starts_with("app.tenant_id=")),
        "{left:?}"
    );
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM departments")
        .fetch_one(&mut *tx)
        .await?;
    assert_eq!(seen, 1);
    tx.rollback().await?;
    conn.close().await?;
    Ok(())
}
