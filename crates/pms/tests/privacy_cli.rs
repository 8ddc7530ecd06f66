//! `pms privacy erase` end to end with the real binary, a test database and the real Redis:
//! the person's cached entries (keyed by their id, or keyed by something else but naming
//! them, and their login rate-limit window) are gone afterwards, other people's stay, and
//! the report lists the cache tier. And `pms config` shows every setting, secrets masked.

use pms_cache::rate_limit::{LoginLimiter, LoginLimits};
use pms_cache::{Cache, CacheOptions, Key};
use pms_core::{TenantId, UserId};
use pms_test_support::{TestDb, TestRedis};
use std::process::Output;
use uuid::Uuid;

fn pms(db: &TestDb, redis: &str, data: &std::path::Path, args: &[&str]) -> anyhow::Result<Output> {
    Ok(std::process::Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(args)
        .env("DATABASE_URL", &db.urls.admin)
        .env("REDIS_URL", redis)
        .env("PMS_DATA_DIR", data)
        .env_remove("PMS_APP_DATABASE_URL")
        .env_remove("PMS_MAINTENANCE_DATABASE_URL")
        .env_remove("PMS_ARCHIVE_URL")
        .env("RUST_LOG", "error")
        .output()?)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

async fn user(db: &TestDb, t: Uuid, email: &str, first: &str, last: &str) -> anyhow::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name) VALUES ($1, $2, $3, $4, $5)")
        .bind(t)
        .bind(id)
        .bind(email)
        .bind(first)
        .bind(last)
        .execute(&db.maintenance)
        .await?;
    Ok(id)
}

#[tokio::test]
async fn erase_removes_the_persons_cached_entries_from_redis() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let redis = TestRedis::new().await?;
    let t = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'privacy-cli', 'Privacy CLI')")
        .bind(t)
        .execute(&db.maintenance)
        .await?;
    let jane = user(&db, t, "jane.cache@example.com", "Janine", "Cachewright").await?;
    let otto = user(&db, t, "otto.cache@example.com", "Otto", "Keeper").await?;
    let (tt, uj, uo) = (TenantId(t), UserId(jane), UserId(otto));

    // The binary's cache: same URL and key prefix.
    let cache = Cache::open(CacheOptions::redis(redis.url.clone()))?;
    let review = Uuid::now_v7();
    let goal = Uuid::now_v7();
    let session = [7u8; 32];
    let hers = [
        Key::user_profile(tt, uj),
        Key::dashboard(tt, uj),
        Key::review(tt, review, uo), // keyed by the review, depends on Otto, names Jane
        Key::session(tt, &session),
    ];
    let values = [
        serde_json::json!({"email": "jane.cache@example.com", "name": "Janine Cachewright"}),
        serde_json::json!({"widgets": 3}),
        serde_json::json!({"reviewer": otto, "text": "Janine Cachewright helped"}),
        serde_json::json!({"user_id": jane}),
    ];
    for (k, v) in hers.iter().zip(&values) {
        cache.put(k, v).await?;
    }
    let others = [
        Key::user_profile(tt, uo),
        Key::goal(tt, goal, uo),
        Key::org_health(tt),
    ];
    for k in &others {
        cache
            .put(k, &serde_json::json!({"about": "Otto Keeper"}))
            .await?;
    }
    let limiter = LoginLimiter::new(cache.clone(), LoginLimits::default());
    limiter
        .check(tt, "Jane.Cache@example.com", "192.0.2.10".parse()?)
        .await?;
    let r = cache
        .redis()
        .ok_or_else(|| anyhow::anyhow!("a Redis cache was opened"))?;
    let route = format!("{{{t}}}:");
    let rate_limit_keys = async || -> anyhow::Result<usize> {
        Ok(r.scan_paths(Some(&route), usize::MAX)
            .await?
            .iter()
            .filter(|p| p.starts_with(&route) && p.contains(":login:account:"))
            .count())
    };
    assert_eq!(rate_limit_keys().await?, 1);
    for k in hers.iter().chain(&others) {
        assert!(
            r.raw_get(k.path()).await?.is_some(),
            "{} not planted",
            k.path()
        );
    }

    let data = std::env::temp_dir().join(format!("pms-privacy-cli-{}", Uuid::now_v7().simple()));
    std::fs::create_dir_all(&data)?;
    let out = pms(
        &db,
        &redis.url,
        &data,
        &[
            "privacy",
            "erase",
            "--tenant",
            &t.to_string(),
            "--user",
            &jane.to_string(),
        ],
    )?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let c = &report["other_tiers"]["cache"];
    assert_eq!(c["backend"], "redis", "{report}");
    assert!(
        c["keys_with_id_deleted"].as_u64().unwrap_or(0) >= 2,
        "{report}"
    );
    assert!(
        c["entries_naming_person_deleted"].as_u64().unwrap_or(0) >= 2,
        "{report}"
    );
    assert_eq!(c["rate_limit_keys_deleted"], 1, "{report}");
    assert!(
        report["audit"]["audit_entries_redacted"]
            .as_u64()
            .unwrap_or(0)
            >= 2,
        "{report}"
    );

    for k in &hers {
        assert!(
            r.raw_get(k.path()).await?.is_none(),
            "{} survived the erasure",
            k.path()
        );
    }
    assert_eq!(rate_limit_keys().await?, 0);
    for k in &others {
        assert!(
            r.raw_get(k.path()).await?.is_some(),
            "{} was deleted too",
            k.path()
        );
    }
    let names_her = r
        .scan_paths(Some(&route), usize::MAX)
        .await?
        .into_iter()
        .filter(|p| p.starts_with(&route))
        .filter(|p| p.contains(&jane.to_string()))
        .count();
    assert_eq!(names_her, 0);

    // The chain still verifies through the CLI.
    let out = pms(
        &db,
        &redis.url,
        &data,
        &["audit", "verify", "--tenant", &t.to_string()],
    )?;
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // Erasing again: already erased, the cache is asked again and finds nothing.
    let out = pms(
        &db,
        &redis.url,
        &data,
        &[
            "privacy",
            "erase",
            "--tenant",
            &t.to_string(),
            "--user",
            &jane.to_string(),
        ],
    )?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let again: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(again["already_erased"], true, "{again}");
    assert_eq!(
        again["other_tiers"]["cache"]["entries_naming_person_deleted"], 0,
        "{again}"
    );

    cache.del_pattern(Some(tt), "*").await?;
    std::fs::remove_dir_all(&data).ok();
    Ok(())
}

#[test]
fn config_prints_archive_and_cache_settings_with_secrets_masked() -> anyhow::Result<()> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pms"))
        .arg("config")
        .env("PMS_ARCHIVE_URL", "s3://bucket/prefix")
        .env("PMS_CACHE_TIMEOUT_MS", "75")
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY123")
        .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIK7MDENG")
        .env("REDIS_URL", "redis://:redispass@127.0.0.1:6379")
        .output()?;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for want in [
        "PMS_ARCHIVE_URL",
        "s3://bucket/prefix",
        "PMS_ARCHIVE_BATCH_SIZE",
        "PMS_CACHE_TIMEOUT_MS         75",
        "PMS_CACHE_BREAKER_FAILURES",
        "PMS_CACHE_BREAKER_OPEN_MS",
        "PMS_CACHE_MAX_LOADS",
        "PMS_CACHE_LOCAL_ENTRIES",
        "AKIA****",
    ] {
        assert!(stdout.contains(want), "missing {want}: {stdout}");
    }
    for secret in ["wJalrXUtnFEMIK7MDENG", "AKIAEXAMPLEKEY123", "redispass"] {
        assert!(!stdout.contains(secret), "{secret} leaked: {stdout}");
    }
    // A bad cache setting is one clear error, not a silent default.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pms"))
        .arg("config")
        .env("PMS_CACHE_TIMEOUT_MS", "soon")
        .output()?;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("PMS_CACHE_TIMEOUT_MS"),
        "{}",
        text(&out.stderr)
    );
    Ok(())
}
