//! `pms serve bench --mixed`: the API under a mixed workload of many people, 90% reads (my
//! dashboard, my goals, my team's reviews, my team list) and 10% writes (goal check-ins,
//! feedback), measured three ways in one run:
//!
//! 1. the product: visibility policies on, the configured cache;
//! 2. the same mix with the cache off (an in-process cache that keeps nothing, so every
//!    session look-up and every read goes to PostgreSQL): the cache must pay for itself;
//! 3. the same mix on a scratch copy of the database whose visibility policies are dropped
//!    (tenant isolation kept): what the policies cost, goal ≤ 1.2× in p99.
//!
//! The copy is `CREATE DATABASE … TEMPLATE` the bench's database, so nothing else may be
//! connected to it while the bench runs (stop `pms serve` and `pms worker` first); the copy is
//! dropped at the end, also when the bench fails. The writes of phases 1 and 2 stay in the
//! tenant (check-ins on the people's own goals, feedback to their managers, each marked
//! `pms serve bench`).

use crate::bench::{BenchError, ms, pct, spawn};
use crate::{ApiConfig, AppState};
use pms_cache::{Cache, CacheOptions};
use pms_core::{TenantId, UserId};
use pms_db::{DbUrls, RoleName};
use rand::{Rng, SeedableRng};
use sqlx::{Connection, PgConnection, PgPool};
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// What to run against.
pub struct MixedOptions {
    /// The tenant (slug); `None`: the tenant with the most people.
    pub tenant: Option<String>,
    /// Length of each of the three phases.
    pub duration: Duration,
    /// Concurrent connections of the load generator.
    pub connections: usize,
    /// How many people the requests come from (managers and employees, half each at most).
    pub people: usize,
}

#[derive(Clone)]
struct Person {
    id: Uuid,
    manager: Option<Uuid>,
    leads: bool,
    goal: Option<Uuid>,
}

/// The requests of the mix, with their shares in per mille.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Dashboard,
    Goals,
    TeamReviews,
    TeamList,
    CheckIn,
    Feedback,
}

const MIX: [(Kind, u32); 6] = [
    (Kind::Dashboard, 300),
    (Kind::Goals, 250),
    (Kind::TeamReviews, 200),
    (Kind::TeamList, 150),
    (Kind::CheckIn, 50),
    (Kind::Feedback, 50),
];

fn pick(r: u32) -> Kind {
    let mut acc = 0;
    for (k, share) in MIX {
        acc += share;
        if r < acc {
            return k;
        }
    }
    Kind::Dashboard
}

/// What one phase measured.
struct Phase {
    rps: f64,
    p50: Duration,
    p99: Duration,
    writes_p99: Duration,
    failed: u64,
}

async fn people(
    maint: &PgPool,
    slug: Option<&str>,
    n: usize,
) -> Result<(TenantId, String, i64, Vec<Person>), BenchError> {
    let err = |what: &'static str| move |e: sqlx::Error| format!("{what}: {e}");
    let (tenant, slug, count): (Uuid, String, i64) = sqlx::query_as(
        "SELECT t.id, t.slug, (SELECT count(*) FROM users u WHERE u.tenant_id = t.id) AS n FROM tenants t
          WHERE $1::text IS NULL OR t.slug = $1 ORDER BY n DESC LIMIT 1",
    )
    .bind(slug)
    .fetch_optional(maint)
    .await
    .map_err(err("finding the tenant"))?
    .ok_or_else(|| match slug {
        Some(s) => format!("no tenant {s:?}; seed one with `pms seed --employees 100000 --tenant-slug {s}`"),
        None => "no tenant; seed one with `pms seed --employees 100000`".into(),
    })?;
    // Half managers (with people below them), half people with a manager; each with one of
    // their own open goals where they have one.
    let rows: Vec<(Uuid, Option<Uuid>, bool)> = sqlx::query_as(
        "WITH active AS (
             SELECT u.id, u.manager_id,
                    EXISTS (SELECT 1 FROM users r WHERE r.tenant_id = u.tenant_id AND r.manager_id = u.id
                              AND r.deleted_at IS NULL) AS leads
               FROM users u
              WHERE u.tenant_id = $1 AND u.deleted_at IS NULL AND u.status = 'ACTIVE')
         (SELECT id, manager_id, leads FROM active WHERE leads ORDER BY id LIMIT $2)
         UNION ALL
         (SELECT id, manager_id, leads FROM active WHERE NOT leads AND manager_id IS NOT NULL
           ORDER BY id LIMIT $2)",
    )
    .bind(tenant)
    .bind((n / 2).max(1) as i64)
    .fetch_all(maint)
    .await
    .map_err(err("finding people"))?;
    let mut out = Vec::new();
    for (id, manager, leads) in rows {
        let goal: Option<Uuid> = sqlx::query_scalar(
            "SELECT id FROM goals WHERE tenant_id = $1 AND owner_id = $2 AND deleted_at IS NULL
                AND status NOT IN ('COMPLETED', 'CANCELLED') ORDER BY id LIMIT 1",
        )
        .bind(tenant)
        .bind(id)
        .fetch_optional(maint)
        .await
        .map_err(err("finding goals"))?;
        out.push(Person {
            id,
            manager,
            leads,
            goal,
        });
    }
    if out.is_empty() {
        return Err(format!("tenant {slug} has no active people"));
    }
    Ok((TenantId(tenant), slug, count, out))
}

/// One phase: an API on `pool` and `cache`, sessions for everyone, the mix for `d`.
async fn phase(
    pool: PgPool,
    cache: Cache,
    tenant: TenantId,
    who: &[Person],
    o: &MixedOptions,
) -> Result<Phase, BenchError> {
    let config = ApiConfig {
        login_per_account: 1_000_000,
        login_per_address: 1_000_000,
        ..ApiConfig::default()
    };
    let state = AppState::new(pool.clone(), cache, config.clone())?;
    let (base, stop) = spawn(crate::router(state.clone())).await?;
    let mut tokens = Vec::new();
    for p in who {
        let token = crate::auth::Token::generate(tenant);
        state
            .sessions()
            .create(tenant, UserId(p.id), &token.text, config.session_ttl)
            .await
            .map_err(|e| e.to_string())?;
        tokens.push(token.text);
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(o.connections * 2)
        .build()
        .map_err(|e| e.to_string())?;
    let who = Arc::new(who.to_vec());
    let tokens = Arc::new(tokens);
    let until = Instant::now() + o.duration;
    let started = Instant::now();
    let tasks: Vec<_> = (0..o.connections)
        .map(|c| {
            let (client, base, who, tokens) =
                (client.clone(), base.clone(), who.clone(), tokens.clone());
            tokio::spawn(async move {
                let mut rng = rand::rngs::StdRng::seed_from_u64(c as u64);
                let mut reads = Vec::new();
                let mut writes = Vec::new();
                let mut failed = 0u64;
                while Instant::now() < until {
                    let i = rng.random_range(0..who.len());
                    let p = &who[i];
                    let mut kind = pick(rng.random_range(0..1000));
                    if kind == Kind::TeamReviews && !p.leads {
                        kind = Kind::Dashboard;
                    }
                    if kind == Kind::CheckIn && p.goal.is_none() {
                        kind = Kind::Feedback;
                    }
                    let req = match kind {
                        Kind::Dashboard => client.get(format!("{base}/api/v1/me/dashboard")),
                        // The goals page opens on one's own goals.
                        Kind::Goals => client.get(format!(
                            "{base}/api/v1/goals?limit=20&owner_id={}",
                            p.id
                        )),
                        Kind::TeamReviews => client.get(format!("{base}/api/v1/team/reviews")),
                        Kind::TeamList => {
                            let of = if p.leads { Some(p.id) } else { p.manager };
                            client.get(format!(
                                "{base}/api/v1/people?limit=50&manager_id={}",
                                of.unwrap_or(p.id)
                            ))
                        }
                        Kind::CheckIn => client
                            .post(format!(
                                "{base}/api/v1/goals/{}/progress",
                                p.goal.unwrap_or_default()
                            ))
                            .json(&serde_json::json!({
                                "progress": rng.random_range(0..=100),
                                "confidence": "ON_TRACK",
                                "note": "pms serve bench check-in"
                            })),
                        Kind::Feedback => {
                            let to = p.manager.unwrap_or_else(|| who[(i + 1) % who.len()].id);
                            client.post(format!("{base}/api/v1/feedback")).json(&serde_json::json!({
                                "recipient_id": if to == p.id { who[(i + 1) % who.len()].id } else { to },
                                "body": "pms serve bench: thanks for the review notes",
                                "feedback_type": "PRAISE"
                            }))
                        }
                    };
                    let t = Instant::now();
                    let ok = match req.bearer_auth(&tokens[i]).send().await {
                        Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    if !ok {
                        failed += 1;
                        continue;
                    }
                    if matches!(kind, Kind::CheckIn | Kind::Feedback) {
                        writes.push(t.elapsed());
                    } else {
                        reads.push(t.elapsed());
                    }
                }
                (reads, writes, failed)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut writes = Vec::new();
    let mut failed = 0;
    for t in futures::future::join_all(tasks).await {
        let (r, w, f) = t.unwrap_or_default();
        all.extend(r);
        writes.extend(w.iter().copied());
        all.extend(w);
        failed += f;
    }
    let secs = started.elapsed().as_secs_f64();
    let _ = stop.send(());
    sqlx::query("UPDATE sessions SET revoked_at = now() WHERE tenant_id = $1 AND revoked_at IS NULL AND created_at >= now() - make_interval(secs => $2)")
        .bind(tenant.as_uuid())
        .bind(secs + 60.0)
        .execute(&pool)
        .await
        .ok();
    Ok(Phase {
        rps: all.len() as f64 / secs,
        p50: pct(&mut all, 0.5),
        p99: pct(&mut all, 0.99),
        writes_p99: pct(&mut writes, 0.99),
        failed,
    })
}

fn line(name: &str, p: &Phase) {
    println!(
        "  {name:<28} {:>7.0} req/s  p50 {:>9}  p99 {:>9}  writes p99 {:>9}  failed {}",
        p.rps,
        ms(p.p50),
        ms(p.p99),
        ms(p.writes_p99),
        p.failed
    );
}

fn database_name(url: &str) -> Result<String, BenchError> {
    let u = url::Url::parse(url).map_err(|e| format!("DATABASE_URL: {e}"))?;
    let name = u.path().trim_start_matches('/').to_string();
    if name.is_empty() {
        return Err("DATABASE_URL names no database".into());
    }
    Ok(name)
}

fn with_database(url: &str, db: &str) -> Result<String, BenchError> {
    let mut u = url::Url::parse(url).map_err(|e| format!("DATABASE_URL: {e}"))?;
    u.set_path(db);
    Ok(u.to_string())
}

/// The scratch copy with the visibility policies dropped; dropped again with [`drop_copy`].
async fn policy_free_copy(urls: &DbUrls, source: &str, copy: &str) -> Result<(), BenchError> {
    let mut admin = PgConnection::connect(&urls.admin)
        .await
        .map_err(|e| format!("connecting as the DATABASE_URL user: {e}"))?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{copy}\" WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .map_err(|e| format!("dropping an old scratch copy: {e}"))?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE \"{copy}\" TEMPLATE \"{source}\" STRATEGY FILE_COPY"
    )))
    .execute(&mut admin)
    .await
    .map_err(|e| {
        format!("copying {source} for the policy-free phase: {e} (stop `pms serve` and `pms worker` on it first: a template copy needs the database to itself)")
    })?;
    admin.close().await.ok();
    let mut conn = PgConnection::connect(&with_database(&urls.admin, copy)?)
        .await
        .map_err(|e| format!("connecting to the scratch copy: {e}"))?;
    let ddl: Vec<String> = sqlx::query_scalar(
        "SELECT format('DROP POLICY %I ON %I.%I', policyname, schemaname, tablename)
           FROM pg_policies WHERE policyname LIKE 'visibility\\_%'",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(|e| format!("listing the visibility policies: {e}"))?;
    for d in &ddl {
        sqlx::query(sqlx::AssertSqlSafe(d.clone()))
            .execute(&mut conn)
            .await
            .map_err(|e| format!("{d}: {e}"))?;
    }
    println!(
        "  scratch copy {copy}: {} visibility policies dropped (tenant isolation kept)",
        ddl.len()
    );
    conn.close().await.ok();
    Ok(())
}

async fn drop_copy(urls: &DbUrls, copy: &str) {
    if let Ok(mut admin) = PgConnection::connect(&urls.admin).await {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{copy}\" WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await;
    }
}

/// Runs the three phases and prints their lines and ratios.
pub async fn run(
    urls: &DbUrls,
    cache_options: CacheOptions,
    o: MixedOptions,
) -> Result<(), BenchError> {
    let direct = DbUrls::direct(urls.admin.clone());
    let pool_size = (o.connections as u32).clamp(4, 64);
    let maint = direct
        .pool(RoleName::Maintenance, 2)
        .await
        .map_err(|e| e.to_string())?;
    let (tenant, slug, count, who) = people(&maint, o.tenant.as_deref(), o.people).await?;
    maint.close().await;
    let cache = Cache::open(cache_options).map_err(|e| e.to_string())?;
    println!(
        "pms serve bench --mixed: tenant {slug} ({count} people), requests from {} people, {} connections, {:?} per phase; reads 90% (dashboard 30, my goals 25, team reviews 20, team list 15), writes 10% (check-ins 5, feedback 5); cache {}",
        who.len(),
        o.connections,
        o.duration,
        cache.backend()
    );

    let app = direct
        .pool(RoleName::App, pool_size)
        .await
        .map_err(|e| e.to_string())?;
    let product = phase(app.clone(), cache, tenant, &who, &o).await?;
    line("policies on, cache on", &product);
    let off = Cache::open(CacheOptions {
        local_max_entries: 0,
        ..CacheOptions::local()
    })
    .map_err(|e| e.to_string())?;
    let uncached = phase(app.clone(), off, tenant, &who, &o).await?;
    line("policies on, cache off", &uncached);
    app.close().await;

    let source = database_name(&urls.admin)?;
    let copy = format!("{source}_bench_no_policies");
    let free = async {
        policy_free_copy(urls, &source, &copy).await?;
        let copy_urls = DbUrls::direct(with_database(&urls.admin, &copy)?);
        let app = copy_urls
            .pool(RoleName::App, pool_size)
            .await
            .map_err(|e| e.to_string())?;
        let cache = Cache::open(CacheOptions::local()).map_err(|e| e.to_string())?;
        let r = phase(app.clone(), cache, tenant, &who, &o).await;
        app.close().await;
        r
    }
    .await;
    drop_copy(urls, &copy).await;
    let free = free?;
    line("no visibility policies", &free);
    let r = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    println!(
        "visibility policies: p99 {:.2}x, p50 {:.2}x, throughput {:.2}x of the policy-free copy (goal p99 <= 1.2)",
        r(product.p99, free.p99),
        r(product.p50, free.p50),
        product.rps / free.rps.max(1e-9)
    );
    println!(
        "cache: throughput {:.2}x, p99 {:.2}x of the cache-off run (the cache pays for itself with throughput above 1 and p99 below 1)",
        product.rps / uncached.rps.max(1e-9),
        r(product.p99, uncached.p99)
    );
    Ok(())
}
