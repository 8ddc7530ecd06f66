//! `pms serve bench`: the API's three performance goals, each against a baseline measured in
//! the same run on the same machine.
//!
//! 1. Warm "my dashboard" requests/s against a bare axum handler that answers the same bytes
//!    from memory (goal ≥ 0.5).
//! 2. A manager's team review list with the visibility policies on (as `pms_app`, the API's
//!    query) against the same rows read with no policies (as `pms_maintenance`): p50 and p99
//!    (goal ≤ 1.2×); and the same list over HTTP.
//! 3. Logins/s at the configured Argon2id cost, and the p99 of a cached request while logins
//!    saturate the hashing permits, against its p99 without logins.

use crate::{ApiConfig, AppState};
use axum::Router;
use axum::routing::get;
use futures::StreamExt;
use pms_cache::Cache;
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// What to run against.
pub struct BenchOptions {
    /// The tenant (slug); `None`: the tenant with the most people.
    pub tenant: Option<String>,
    pub duration: Duration,
    pub connections: usize,
    /// Rounds of the team-review query per side.
    pub query_rounds: usize,
}

/// A failure of the benchmark, in words.
pub type BenchError = String;

fn e(what: &str) -> impl Fn(sqlx::Error) -> String + '_ {
    move |err| format!("{what}: {err}")
}

struct Target {
    tenant: TenantId,
    slug: String,
    people: i64,
    manager: UserId,
    team: i64,
    team_reviews: i64,
    logins: Vec<String>,
}

async fn target(maint: &PgPool, slug: Option<&str>) -> Result<Target, BenchError> {
    let (tenant, slug, people): (Uuid, String, i64) = sqlx::query_as(
        "SELECT t.id, t.slug, (SELECT count(*) FROM users u WHERE u.tenant_id = t.id) AS n FROM tenants t
          WHERE $1::text IS NULL OR t.slug = $1 ORDER BY n DESC LIMIT 1",
    )
    .bind(slug)
    .fetch_optional(maint)
    .await
    .map_err(e("finding the tenant"))?
    .ok_or_else(|| match slug {
        Some(s) => format!("no tenant {s:?}; seed one with `pms seed --employees 100000 --tenant-slug {s}`"),
        None => "no tenant; seed one with `pms seed --employees 100000`".into(),
    })?;
    // The manager whose (direct and indirect) team has the most reviews, among those whose
    // team fits in a page or two: the list a manager opens.
    let (manager, team, team_reviews): (Uuid, i64, i64) = sqlx::query_as(
        "WITH teams AS (
             SELECT ancestor_id AS root, count(*) AS people FROM reporting_chain
              WHERE tenant_id = $1 AND depth > 0 GROUP BY ancestor_id HAVING count(*) BETWEEN 5 AND 400)
         SELECT t.root, t.people,
                (SELECT count(*) FROM performance_reviews r JOIN reporting_chain c
                   ON c.tenant_id = r.tenant_id AND c.descendant_id = r.reviewee_id AND c.ancestor_id = t.root AND c.depth > 0
                  WHERE r.tenant_id = $1) AS reviews
           FROM teams t ORDER BY t.people DESC, t.root LIMIT 1",
    )
    .bind(tenant)
    .fetch_optional(maint)
    .await
    .map_err(e("finding a manager"))?
    .ok_or("the tenant has no manager with 5 to 400 people below them")?;
    let logins: Vec<String> = sqlx::query_scalar(
        "SELECT email FROM users WHERE tenant_id = $1 AND password_hash IS NOT NULL AND deleted_at IS NULL
            AND status = 'ACTIVE' ORDER BY id LIMIT 200",
    )
    .bind(tenant)
    .fetch_all(maint)
    .await
    .map_err(e("finding accounts"))?;
    Ok(Target {
        tenant: TenantId(tenant),
        slug,
        people,
        manager: UserId(manager),
        team,
        team_reviews,
        logins,
    })
}

/// Runs `n` requests-at-a-time of `path` for `d`; returns (requests/s, latencies).
async fn load(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    n: usize,
    d: Duration,
) -> (f64, Vec<Duration>) {
    let stop = Instant::now() + d;
    let done = Arc::new(AtomicU64::new(0));
    let tasks = (0..n).map(|_| {
        let client = client.clone();
        let url = url.to_string();
        let token = token.map(str::to_string);
        let done = done.clone();
        tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < stop {
                let t = Instant::now();
                let mut req = client.get(&url);
                if let Some(tok) = &token {
                    req = req.bearer_auth(tok);
                }
                if let Ok(r) = req.send().await
                    && r.status().is_success()
                    && r.bytes().await.is_ok()
                {
                    lat.push(t.elapsed());
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }
            lat
        })
    });
    let started = Instant::now();
    let mut all = Vec::new();
    for t in futures::future::join_all(tasks).await {
        all.extend(t.unwrap_or_default());
    }
    (
        done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64(),
        all,
    )
}

pub(crate) fn pct(v: &mut [Duration], p: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub(crate) async fn spawn(
    app: Router,
) -> Result<(String, tokio::sync::oneshot::Sender<()>), BenchError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let base = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(crate::serve(listener, app, async move {
        let _ = rx.await;
    }));
    Ok((base, tx))
}

/// The team-review list query of `GET /team/reviews`, the API's text.
const TEAM_SQL: &str = "SELECT r.id FROM performance_reviews r
    WHERE r.deleted_at IS NULL AND r.reviewee_id IN (SELECT person_id FROM pms_my_team())
    ORDER BY r.created_at DESC, r.id DESC LIMIT 51";
/// The same rows with no policies: the team from the chain, read by a role that bypasses RLS.
const BARE_SQL: &str = "SELECT r.id FROM performance_reviews r WHERE r.tenant_id = $1 AND r.deleted_at IS NULL
      AND r.reviewee_id IN (SELECT descendant_id FROM reporting_chain WHERE tenant_id = $1 AND ancestor_id = $2 AND depth > 0)
    ORDER BY r.created_at DESC, r.id DESC LIMIT 51";

/// The fastest execution time (ms) of the policy-on and the bare team query, inside the server.
async fn server_times(app: &PgPool, maint: &PgPool, t: &Target) -> Result<(f64, f64), BenchError> {
    let exec_ms = |plan: serde_json::Value| plan[0]["Execution Time"].as_f64().unwrap_or(f64::MAX);
    let mut tx = TenantTx::begin(app, t.tenant, Some(t.manager))
        .await
        .map_err(e("pms_app"))?;
    let mut with = f64::MAX;
    for _ in 0..30 {
        let plan: serde_json::Value = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {TEAM_SQL}"
        )))
        .fetch_one(&mut **tx)
        .await
        .map_err(e("explain team list"))?;
        with = with.min(exec_ms(plan));
    }
    tx.commit().await.map_err(e("commit"))?;
    let mut conn = maint.acquire().await.map_err(e("pms_maintenance"))?;
    let mut bare = f64::MAX;
    for _ in 0..30 {
        let plan: serde_json::Value = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {BARE_SQL}"
        )))
        .bind(t.tenant.as_uuid())
        .bind(t.manager.as_uuid())
        .fetch_one(&mut *conn)
        .await
        .map_err(e("explain bare team list"))?;
        bare = bare.min(exec_ms(plan));
    }
    Ok((with, bare))
}

/// Runs the benchmark and prints its lines.
pub async fn run(
    app_pool: PgPool,
    maint: PgPool,
    cache: Cache,
    o: BenchOptions,
) -> Result<(), BenchError> {
    let t = target(&maint, o.tenant.as_deref()).await?;
    println!(
        "pms serve bench: tenant {} ({} people), manager {} with {} people below and {} team reviews; cache {}",
        t.slug,
        t.people,
        t.manager,
        t.team,
        t.team_reviews,
        cache.backend()
    );
    let config = ApiConfig {
        login_per_account: 1_000_000,
        login_per_address: 1_000_000,
        ..ApiConfig::default()
    };
    let state = AppState::new(app_pool.clone(), cache, config.clone())?;
    let (base, stop_api) = spawn(crate::router(state.clone())).await?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(o.connections * 2)
        .build()
        .map_err(|e| e.to_string())?;
    let token = crate::auth::Token::generate(t.tenant);
    state
        .sessions()
        .create(t.tenant, t.manager, &token.text, config.session_ttl)
        .await
        .map_err(|e| e.to_string())?;

    // 1. Warm dashboard against a bare handler with the same bytes.
    let dash = format!("{base}/api/v1/me/dashboard");
    let body = client
        .get(&dash)
        .bearer_auth(&token.text)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .bytes()
        .await
        .map_err(|e| e.to_string())?;
    let bytes = body.clone();
    let bare = Router::new().route(
        "/",
        get(move || {
            let b = bytes.clone();
            async move { ([("content-type", "application/json")], b) }
        }),
    );
    let (bare_base, stop_bare) = spawn(bare).await?;
    let (bare_rps, mut bare_lat) = load(
        &client,
        &format!("{bare_base}/"),
        None,
        o.connections,
        o.duration,
    )
    .await;
    let (api_rps, mut api_lat) =
        load(&client, &dash, Some(&token.text), o.connections, o.duration).await;
    let _ = stop_bare.send(());
    println!(
        "warm dashboard ({} bytes, {} connections, {:?}): pms serve {api_rps:.0} req/s (p50 {}, p99 {}), bare axum {bare_rps:.0} req/s (p50 {}, p99 {}): ratio {:.2} (goal >= 0.5)",
        body.len(),
        o.connections,
        o.duration,
        ms(pct(&mut api_lat, 0.5)),
        ms(pct(&mut api_lat, 0.99)),
        ms(pct(&mut bare_lat, 0.5)),
        ms(pct(&mut bare_lat, 0.99)),
        api_rps / bare_rps.max(1.0)
    );

    // 2. The team list, policies on vs none, in SQL; then over HTTP.
    let mut with = Vec::new();
    let mut without = Vec::new();
    for round in 0..o.query_rounds * 2 {
        let s = Instant::now();
        if round % 2 == 0 {
            let mut tx = TenantTx::begin(&app_pool, t.tenant, Some(t.manager))
                .await
                .map_err(e("pms_app"))?;
            let n: Vec<Uuid> = sqlx::query_scalar(TEAM_SQL)
                .fetch_all(&mut **tx)
                .await
                .map_err(e("team list"))?;
            tx.commit().await.map_err(e("commit"))?;
            std::hint::black_box(n);
            with.push(s.elapsed());
        } else {
            // The same transaction shape (begin, the settings, the query, commit), by a role
            // that no policy applies to: what is left of the difference is the policies.
            let mut tx = maint.begin().await.map_err(e("pms_maintenance"))?;
            sqlx::query(
                "SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true), set_config('app.request_id', '', true)",
            )
            .bind(t.tenant.to_string())
            .bind(t.manager.to_string())
            .execute(&mut *tx)
            .await
            .map_err(e("settings"))?;
            let n: Vec<Uuid> = sqlx::query_scalar(BARE_SQL)
                .bind(t.tenant.as_uuid())
                .bind(t.manager.as_uuid())
                .fetch_all(&mut *tx)
                .await
                .map_err(e("bare team list"))?;
            tx.commit().await.map_err(e("commit"))?;
            std::hint::black_box(n);
            without.push(s.elapsed());
        }
    }
    let (w50, w99, b50, b99) = (
        pct(&mut with, 0.5),
        pct(&mut with, 0.99),
        pct(&mut without, 0.5),
        pct(&mut without, 0.99),
    );
    println!(
        "team reviews (cold, {} rounds): policies on p50 {} p99 {}, no policies p50 {} p99 {}: ratio p50 {:.2}, p99 {:.2} (goal <= 1.2)",
        o.query_rounds,
        ms(w50),
        ms(w99),
        ms(b50),
        ms(b99),
        w50.as_secs_f64() / b50.as_secs_f64().max(1e-9),
        w99.as_secs_f64() / b99.as_secs_f64().max(1e-9)
    );
    // The same two queries timed inside the server (EXPLAIN ANALYZE without per-node timing,
    // the fastest of 30 runs each on one connection): what the policies cost PostgreSQL, without
    // the round trips and the client that both sides share.
    let (srv_with, srv_bare) = server_times(&app_pool, &maint, &t).await?;
    println!(
        "team reviews inside PostgreSQL (fastest of 30): policies on {srv_with:.3} ms, no policies {srv_bare:.3} ms: ratio {:.2}",
        srv_with / srv_bare.max(1e-9)
    );
    let (rps, mut lat) = load(
        &client,
        &format!("{base}/api/v1/team/reviews"),
        Some(&token.text),
        4,
        o.duration / 2,
    )
    .await;
    let h50 = pct(&mut lat, 0.5);
    println!(
        "team reviews over HTTP (4 connections): {rps:.0} req/s, p50 {}, p99 {}: p50 against the SQL transaction's (policies on) {:.2}",
        ms(h50),
        ms(pct(&mut lat, 0.99)),
        h50.as_secs_f64() / w50.as_secs_f64().max(1e-9)
    );

    // 3. Logins, and a cached request's p99 while they run.
    let me = format!("{base}/api/v1/me/dashboard");
    let (_, mut quiet) = load(&client, &me, Some(&token.text), 2, o.duration / 2).await;
    let running = Arc::new(AtomicBool::new(true));
    let logins = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let loginers: Vec<_> = (0..4)
        .map(|i| {
            let client = client.clone();
            let url = format!("{base}/api/v1/auth/login");
            let accounts = t.logins.clone();
            let slug = t.slug.clone();
            let running = running.clone();
            let logins = logins.clone();
            tokio::spawn(async move {
                let mut k = i;
                while running.load(Ordering::Relaxed) && !accounts.is_empty() {
                    let email = &accounts[k % accounts.len()];
                    k += 4;
                    let r = client
                        .post(&url)
                        .json(&serde_json::json!({"tenant": slug, "email": email, "password": "demo123"}))
                        .send()
                        .await;
                    if r.is_ok_and(|r| r.status().is_success()) {
                        logins.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let (_, mut busy) = load(&client, &me, Some(&token.text), 2, o.duration / 2).await;
    running.store(false, Ordering::Relaxed);
    futures::stream::iter(loginers)
        .for_each(|h| async {
            let _ = h.await;
        })
        .await;
    let lps = logins.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    // The baseline: bare password checks on as many threads as the login permits, for as long
    // (what a login cannot beat: the rest is the request, the look-up and the session).
    let hash = pms_seed::password::hash("demo123")?;
    let checks = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + o.duration / 2;
    let threads: Vec<_> = (0..config.login_concurrency.max(1))
        .map(|_| {
            let (hash, checks) = (hash.clone(), checks.clone());
            tokio::task::spawn_blocking(move || {
                while Instant::now() < until {
                    std::hint::black_box(pms_seed::password::verify("demo123", &hash));
                    checks.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for t in threads {
        let _ = t.await;
    }
    let cps = checks.load(Ordering::Relaxed) as f64 / (o.duration / 2).as_secs_f64();
    println!(
        "logins: {lps:.1}/s against {cps:.1} bare Argon2id checks/s on as many threads: ratio {:.2}",
        lps / cps.max(1e-9)
    );
    println!(
        "logins: Argon2id m=19456 t=2 p=1 on {} permit(s); a cached request's p99 {} while logging in vs {} without: ratio {:.2}",
        config.login_concurrency,
        ms(pct(&mut busy, 0.99)),
        ms(pct(&mut quiet, 0.99)),
        pct(&mut busy, 0.99).as_secs_f64() / pct(&mut quiet, 0.99).as_secs_f64().max(1e-9)
    );
    if t.logins.is_empty() {
        println!("  (no account with a password in the tenant: the login figure is empty)");
    }
    // The bench's own session and the logins' sessions end.
    sqlx::query("UPDATE sessions SET revoked_at = now() WHERE tenant_id = $1 AND revoked_at IS NULL AND created_at >= now() - make_interval(secs => $2)")
        .bind(t.tenant.as_uuid())
        .bind(started.elapsed().as_secs_f64() + o.duration.as_secs_f64() * 4.0)
        .execute(&maint)
        .await
        .map_err(e("ending the bench's sessions"))?;
    let _ = stop_api.send(());
    Ok(())
}
