//! What sqlx 0.9 needs behind PgBouncer 1.18 in transaction pooling, shown on a real PgBouncer
//! with the platform's configuration (`pms_db::pgbouncer`): sqlx's defaults fail, the options
//! pms uses behind PgBouncer work, and a query with binds outside a transaction fails loudly.

use pms_db::{DbUrls, RoleName};
use pms_test_support::{TestDb, TestPgBouncer};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgPool};
use std::str::FromStr;

async fn workload(pool: &PgPool, clients: usize, rounds: usize) -> Vec<String> {
    let mut tasks = Vec::new();
    for c in 0..clients {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut errors = Vec::new();
            for i in 0..rounds {
                let r: Result<(), sqlx::Error> = async {
                    let mut tx = pool.begin().await?;
                    let v: i64 = sqlx::query_scalar("SELECT $1::bigint + 1")
                        .bind((c * 1000 + i) as i64)
                        .fetch_one(&mut *tx)
                        .await?;
                    assert_eq!(v, (c * 1000 + i) as i64 + 1);
                    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants WHERE slug = $1")
                        .bind("none")
                        .fetch_one(&mut *tx)
                        .await?;
                    assert_eq!(n, 0);
                    tx.commit().await
                }
                .await;
                if let Err(e) = r {
                    errors.push(e.to_string());
                }
            }
            errors
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap_or_else(|e| vec![e.to_string()]));
    }
    all
}

#[tokio::test]
async fn sqlx_needs_its_statement_cache_off_behind_pgbouncer() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let bouncer = TestPgBouncer::start(2)?;
    let url = bouncer.url_for("pms_app", &db.name);

    // sqlx's defaults: statements cached per client connection, which the next server
    // connection does not have.
    let defaults = PgConnectOptions::from_str(&url)?;
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect_with(defaults)
        .await?;
    let errors = workload(&pool, 8, 20).await;
    pool.close().await;
    eprintln!(
        "sqlx defaults behind PgBouncer: {} of 160 transactions failed, e.g. {:?}",
        errors.len(),
        errors.first()
    );
    assert!(
        errors.iter().any(|e| e.contains("prepared statement")),
        "sqlx's statement cache was expected to break behind transaction pooling: {errors:?}"
    );

    // What pms uses behind PgBouncer: no statement cache, no extra_float_digits.
    let urls = DbUrls::new(db.urls.admin.clone()).with_pgbouncer(Some(bouncer.base_url()));
    assert!(
        urls.url_for(RoleName::App)
            .contains(&format!(":{}/", bouncer.bouncer.config.listen_port))
    );
    assert!(
        !urls
            .url_for(RoleName::Maintenance)
            .contains(&format!(":{}/", bouncer.bouncer.config.listen_port))
    );
    let pool = urls.pool(RoleName::App, 8).await?;
    let errors = workload(&pool, 8, 50).await;
    assert!(errors.is_empty(), "{errors:?}");

    // Outside a transaction, a query with binds parses on one server connection and executes in
    // a second round trip; PgBouncer's reset in between makes that fail every time, loudly,
    // rather than meet another client's statement.
    for _ in 0..3 {
        let r: Result<i64, _> = sqlx::query_scalar("SELECT $1::bigint")
            .bind(7_i64)
            .fetch_one(&pool)
            .await;
        let e = r.expect_err("a query with binds outside a transaction must fail behind PgBouncer");
        eprintln!("outside a transaction: {e}");
        assert!(e.to_string().contains("does not exist"), "{e}");
    }
    // Without binds sqlx uses the simple protocol: one round trip, fine anywhere.
    let mut conn = pool.acquire().await?;
    sqlx::raw_sql("SELECT 1").execute(&mut *conn).await?;
    drop(conn);
    pool.close().await;

    // Directly on PostgreSQL the same pool options work outside transactions too.
    let direct = DbUrls::direct(db.urls.admin.clone());
    let mut conn = direct.connect(RoleName::App).await?;
    let v: i64 = sqlx::query_scalar("SELECT $1::bigint")
        .bind(7_i64)
        .fetch_one(&mut conn)
        .await?;
    assert_eq!(v, 7);
    conn.close().await?;
    Ok(())
}
