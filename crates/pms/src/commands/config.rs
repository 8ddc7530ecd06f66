//! `pms config`: the effective settings, secrets masked. Each area's settings are read by the
//! same parser the area uses (core, cache, archive), so what is printed is what runs, and a
//! bad value fails here with the same one-line error.

use anyhow::Context as _;
use pms_archive::ArchiveConfig;
use pms_cache::CacheOptions;
use pms_core::Config;
use pms_core::config::{mask_secret, mask_url};

pub fn run(config: &Config) -> anyhow::Result<()> {
    for (name, value) in describe(config, |k| std::env::var(k).ok())? {
        println!("{name:<28} {value}");
    }
    Ok(())
}

/// Every setting as `(name, value)`, through `get` (the environment).
pub fn describe(
    config: &Config,
    get: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Vec<(&'static str, String)>> {
    let set = |k: &str| get(k).filter(|v| !v.trim().is_empty());
    let mut out = config.describe();
    let role_url = |var: &'static str, role: &str| {
        (
            var,
            set(var).map(|v| mask_url(&v)).unwrap_or_else(|| {
                format!("(unset: DATABASE_URL or the private cluster, as {role})")
            }),
        )
    };
    out.insert(1, role_url("PMS_APP_DATABASE_URL", "pms_app"));
    out.insert(
        2,
        role_url("PMS_MAINTENANCE_DATABASE_URL", "pms_maintenance"),
    );
    out.push((
        "PMS_PG_PORT",
        set("PMS_PG_PORT").unwrap_or_else(|| "(unset: last used, else a free port)".into()),
    ));

    // Scale-out (docs/SCALING.md): PgBouncer in front of the pooled roles, read replicas.
    out.push((
        "PMS_PGBOUNCER_URL",
        set("PMS_PGBOUNCER_URL")
            .map(|v| mask_url(&v))
            .unwrap_or_else(|| "(unset: pms_app and pms_readonly connect directly)".into()),
    ));
    out.push((
        "PMS_PGBOUNCER",
        set("PMS_PGBOUNCER").unwrap_or_else(|| "(unset: off unless PMS_PGBOUNCER_URL)".into()),
    ));
    out.push((
        "PMS_READ_DATABASE_URL",
        set("PMS_READ_DATABASE_URL")
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(mask_url)
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_else(|| "(unset: reads go to the primary)".into()),
    ));
    let reads = pms_db::read_route::RouterOptions::from_lookup(&get)
        .map_err(anyhow::Error::msg)
        .context("read replica settings (PMS_READ_*)")?;
    let ms = |d: std::time::Duration| format!("{}ms", d.as_millis());
    out.extend([
        ("PMS_READ_MAX_LAG", ms(reads.max_lag)),
        ("PMS_READ_WAIT", ms(reads.wait)),
        ("PMS_READ_CHECK_INTERVAL", ms(reads.check_every)),
    ]);

    let cache = CacheOptions::from_lookup(config.redis_url.clone(), &get)
        .context("cache settings (PMS_CACHE_*)")?;
    out.extend([
        (
            "PMS_CACHE_TIMEOUT_MS",
            cache.timeout.as_millis().to_string(),
        ),
        (
            "PMS_CACHE_BREAKER_FAILURES",
            cache.breaker_failures.to_string(),
        ),
        (
            "PMS_CACHE_BREAKER_OPEN_MS",
            cache.breaker_open.as_millis().to_string(),
        ),
        (
            "PMS_CACHE_MAX_LOADS",
            cache.max_concurrent_loads.to_string(),
        ),
        (
            "PMS_CACHE_LOCAL_ENTRIES",
            cache.local_max_entries.to_string(),
        ),
        ("cache key prefix", cache.prefix),
    ]);

    let archive = ArchiveConfig::from_lookup(&config.data_dir, &get)
        .context("archive settings (PMS_ARCHIVE_*)")?;
    out.extend([
        ("PMS_ARCHIVE_URL", mask_url(&archive.url)),
        ("PMS_ARCHIVE_BATCH_SIZE", archive.batch_size.to_string()),
    ]);
    let backup = pms_backup::BackupConfig::from_lookup(&config.data_dir, &get)
        .context("backup settings (PMS_BACKUP_*)")?;
    let secs = |d: std::time::Duration| format!("{}s", d.as_secs());
    out.extend([
        (
            "PMS_BACKUP_S3_URL",
            backup
                .s3
                .as_ref()
                .map(|s| {
                    format!(
                        "s3://{}{} at {}:{} ({})",
                        s.bucket, s.path, s.endpoint, s.port, s.region
                    )
                })
                .unwrap_or_else(|| "(unset: local repository only)".into()),
        ),
        ("backup repository", backup.dir().display().to_string()),
        (
            "PMS_BACKUP_RETENTION_FULL_LOCAL",
            backup.local_retention_full.to_string(),
        ),
        (
            "PMS_BACKUP_RETENTION_FULL_S3",
            backup.s3_retention_full.to_string(),
        ),
        ("PMS_BACKUP_ARCHIVE_TIMEOUT", secs(backup.archive_timeout)),
        ("PMS_BACKUP_FULL_EVERY", secs(backup.full_every)),
        ("PMS_BACKUP_DIFF_EVERY", secs(backup.diff_every)),
        ("PMS_BACKUP_VERIFY_EVERY", secs(backup.verify_every)),
    ]);

    let api = pms_api::ApiConfig::from_lookup(&get).context("API settings")?;
    out.extend([
        (
            "PMS_SESSION_TTL_SECS",
            api.session_ttl.as_secs().to_string(),
        ),
        (
            "PMS_SESSION_IDLE_SECS",
            api.session_idle.as_secs().to_string(),
        ),
        ("PMS_MAX_BODY_BYTES", api.max_body_bytes.to_string()),
        (
            "PMS_REQUEST_TIMEOUT_MS",
            api.request_timeout.as_millis().to_string(),
        ),
        (
            "PMS_CORS_ORIGINS",
            if api.cors_origins.is_empty() {
                "(unset: no CORS headers)".into()
            } else {
                api.cors_origins.join(",")
            },
        ),
        ("PMS_COOKIE_INSECURE", (!api.cookie_secure).to_string()),
        ("PMS_TRUST_PROXY", api.trust_proxy.to_string()),
        ("PMS_LOGIN_CONCURRENCY", api.login_concurrency.to_string()),
        ("PMS_LOGIN_PER_ACCOUNT", api.login_per_account.to_string()),
        ("PMS_LOGIN_PER_ADDRESS", api.login_per_address.to_string()),
        ("PMS_API_DB_CONNECTIONS", api.db_connections.to_string()),
    ]);
    let unset = || "(unset)".to_string();
    out.extend([
        (
            "AWS_ACCESS_KEY_ID",
            set("AWS_ACCESS_KEY_ID")
                .map(|v| mask_secret(&v))
                .unwrap_or_else(unset),
        ),
        (
            "AWS_SECRET_ACCESS_KEY",
            set("AWS_SECRET_ACCESS_KEY")
                .map(|_| "****".to_string())
                .unwrap_or_else(unset),
        ),
        (
            "AWS_SESSION_TOKEN",
            set("AWS_SESSION_TOKEN")
                .map(|_| "****".to_string())
                .unwrap_or_else(unset),
        ),
        ("AWS_REGION", set("AWS_REGION").unwrap_or_else(unset)),
        (
            "AWS_ENDPOINT_URL",
            set("AWS_ENDPOINT_URL")
                .map(|v| mask_url(&v))
                .unwrap_or_else(unset),
        ),
        (
            "AWS_ALLOW_HTTP",
            set("AWS_ALLOW_HTTP").unwrap_or_else(unset),
        ),
        (
            "PMS_FAILPOINTS",
            set("PMS_FAILPOINTS").unwrap_or_else(|| "(unset: none armed)".into()),
        ),
    ]);
    Ok(out)
}
