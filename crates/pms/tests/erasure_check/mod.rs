//! What every erasure test checks after erasing a person with the real binary: no trace of
//! their id, email, full name, display name or employee number in a data-only dump of their
//! tenant's rows, in the archive objects or in the cache; every foreign key and CHECK holds;
//! `pms audit verify` passes; every row that changed named them or depends on one that did
//! (so everyone else's rows are byte-identical); their kept compliance records have none of
//! their words left in their free text. And a second erasure says so and changes nothing.
#![allow(dead_code)]

use anyhow::Context as _;
use pms_cache::{Cache, CacheOptions, Key};
use pms_core::{TenantId, UserId};
use pms_db::{DbUrls, RoleName};
use pms_test_support::integrity::{self, TenantRows, contains_word};
use std::path::{Path, PathBuf};
use std::process::Output;
use uuid::Uuid;

/// Tables that an erasure changes by design and that are checked otherwise: the audit trail
/// (`pms audit verify`), the erasure log, the archive ledger and index (archive objects are
/// searched), the tiers' bookkeeping.
pub const BOOKKEEPING: &[&str] = &[
    "audit_log",
    "security_events",
    "audit_chain_heads",
    "privacy_erasures",
    "archive_batches",
    "archived_entities",
    "archive_pending",
    "storage_tier_state",
    "timeseries.invalidations",
    "timeseries.rollup_invalidations",
    "timeseries.membership_invalidations",
];

/// A server to erase on: the database's URLs, a private Redis, a data and an archive directory.
pub struct Env {
    pub urls: DbUrls,
    pub redis_url: String,
    pub data: PathBuf,
    pub archive: PathBuf,
}

impl Env {
    pub fn new(urls: DbUrls, redis_url: String, tag: &str) -> anyhow::Result<Self> {
        let data = std::env::temp_dir().join(format!("pms-{tag}-{}", Uuid::now_v7().simple()));
        let archive = data.join("archive");
        std::fs::create_dir_all(&archive)?;
        Ok(Self {
            urls,
            redis_url,
            data,
            archive,
        })
    }

    pub fn archive_url(&self) -> String {
        format!("file://{}", self.archive.display())
    }

    /// Runs the binary against this server.
    pub fn pms(&self, args: &[&str]) -> anyhow::Result<Output> {
        Ok(std::process::Command::new(env!("CARGO_BIN_EXE_pms"))
            .args(args)
            .env("DATABASE_URL", &self.urls.admin)
            .env("REDIS_URL", &self.redis_url)
            .env("PMS_DATA_DIR", &self.data)
            .env("PMS_ARCHIVE_URL", self.archive_url())
            .env_remove("PMS_APP_DATABASE_URL")
            .env_remove("PMS_MAINTENANCE_DATABASE_URL")
            .env("RUST_LOG", "error")
            // The cache tier must answer, not be fast: on a loaded machine the default 50 ms
            // deadline of a Redis call is missed now and then, and the erasure then (rightly)
            // reports the cache as not cleaned.
            .env("PMS_CACHE_TIMEOUT_MS", "2000")
            .output()?)
    }

    /// Runs the binary and returns its stdout; fails with its stderr.
    pub fn pms_ok(&self, args: &[&str]) -> anyhow::Result<String> {
        let out = self.pms(args)?;
        anyhow::ensure!(
            out.status.success(),
            "pms {args:?} failed: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        Ok(text(&out.stdout))
    }

    pub fn erase(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<Output> {
        self.pms(&[
            "privacy",
            "erase",
            "--tenant",
            &tenant.to_string(),
            "--user",
            &person.to_string(),
        ])
    }

    pub async fn admin(&self) -> anyhow::Result<sqlx::PgConnection> {
        Ok(self.urls.connect(RoleName::Admin).await?)
    }

    pub fn cache(&self) -> anyhow::Result<Cache> {
        Ok(Cache::open(CacheOptions {
            timeout: std::time::Duration::from_secs(2),
            ..CacheOptions::redis(self.redis_url.clone())
        })?)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.data).ok();
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// One person of a tenant, as their account says.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: Uuid,
    pub email: String,
    pub first: String,
    pub last: String,
    pub display: Option<String>,
    pub number: Option<String>,
    /// What must be found nowhere after their erasure besides their id: their email, full
    /// name, display name (more than one word) and employee number, each unless another person
    /// of the tenant has it too (two people called Zane Rossi).
    pub strong: Vec<String>,
}

impl Person {
    fn identifiers(&self) -> Vec<String> {
        let mut v = vec![self.email.clone(), format!("{} {}", self.first, self.last)];
        v.extend(self.display.iter().filter(|d| d.contains(' ')).cloned());
        v.extend(self.number.iter().cloned());
        v
    }

    /// True when `s` names them: their id anywhere, a strong term as whole words (both
    /// case-insensitive).
    pub fn named_in(&self, s: &str) -> bool {
        let lower = s.to_ascii_lowercase();
        lower.contains(&self.id.to_string())
            || self
                .strong
                .iter()
                .any(|n| lower.contains(&n.to_ascii_lowercase()) && contains_word(&lower, n))
    }
}

/// The people of `tenant`, by email.
pub async fn people(env: &Env, tenant: Uuid) -> anyhow::Result<Vec<Person>> {
    let mut admin = env.admin().await?;
    // id, email, first name, last name, display name, employee number
    type Account = (Uuid, String, String, String, Option<String>, Option<String>);
    let rows: Vec<Account> = sqlx::query_as(
        "SELECT id, email, first_name, last_name, display_name, employee_number FROM users
         WHERE tenant_id = $1 AND email NOT LIKE '%@erased.invalid' ORDER BY email",
    )
    .bind(tenant)
    .fetch_all(&mut admin)
    .await?;
    let mut people: Vec<Person> = rows
        .into_iter()
        .map(|(id, email, first, last, display, number)| Person {
            id,
            email,
            first,
            last,
            display,
            number,
            strong: Vec::new(),
        })
        .collect();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for p in &people {
        let mine: std::collections::BTreeSet<String> =
            p.identifiers().iter().map(|t| t.to_lowercase()).collect();
        for t in mine {
            *seen.entry(t).or_default() += 1;
        }
    }
    for p in &mut people {
        p.strong = p
            .identifiers()
            .into_iter()
            .filter(|t| seen.get(&t.to_lowercase()).copied().unwrap_or(0) <= 1)
            .collect();
    }
    Ok(people)
}

/// Cached entries about each person: their profile (keyed by their id) and an entry keyed by
/// something else that names them (a review, depending on someone else).
pub async fn plant_cache(env: &Env, tenant: Uuid, people: &[Person]) -> anyhow::Result<()> {
    let cache = env.cache()?;
    let t = TenantId(tenant);
    for (i, p) in people.iter().enumerate() {
        let other = &people[(i + 1) % people.len()];
        cache
            .put(
                &Key::user_profile(t, UserId(p.id)),
                &serde_json::json!({"email": p.email, "name": format!("{} {}", p.first, p.last)}),
            )
            .await?;
        cache
            .put(
                &Key::review(t, Uuid::now_v7(), UserId(other.id)),
                &serde_json::json!({"text": format!("{} {} helped {}", p.first, p.last, other.first)}),
            )
            .await?;
    }
    Ok(())
}

/// Lines of a data-only dump that belong to the tenant: those naming no other tenant.
pub fn tenant_lines<'a>(dump: &'a str, others: &[Uuid]) -> Vec<&'a str> {
    let others: Vec<String> = others.iter().map(Uuid::to_string).collect();
    dump.lines()
        .filter(|l| !others.iter().any(|o| l.contains(o.as_str())))
        .collect()
}

/// Every archive object's rows, as text (header and rows as JSON).
pub fn archive_texts(dir: &Path) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".ndjson.zst") {
                let bytes = std::fs::read(&path)?;
                let (header, rows) =
                    pms_archive::format::decode(&path.to_string_lossy(), &bytes, None)?;
                let text = serde_json::to_string(&(header, rows))?;
                out.push((path, text));
            }
        }
    }
    Ok(out)
}

/// The checks after `person` of `tenant` was erased (their pseudonym `pseudonym`); `before` is
/// the tenant's rows just before. Returns the rows after.
pub async fn check_erased(
    env: &Env,
    tenant: Uuid,
    others: &[Uuid],
    person: &Person,
    pseudonym: Uuid,
    before: &TenantRows,
) -> anyhow::Result<TenantRows> {
    let who = format!("{} ({})", person.email, person.id);
    let dump = integrity::data_dump(&env.urls.admin)?;
    for line in tenant_lines(&dump, others) {
        anyhow::ensure!(!person.named_in(line), "the dump still names {who}: {line}");
    }
    for (path, text) in archive_texts(&env.archive)? {
        anyhow::ensure!(
            !person.named_in(&text),
            "archive object {} still names {who}",
            path.display()
        );
    }
    let cache = env.cache()?;
    let redis = cache.redis().context("a Redis cache")?;
    for path in redis.scan_paths(None, usize::MAX).await? {
        let value = redis
            .raw_get(&path)
            .await?
            .map(|v| text(&v))
            .unwrap_or_default();
        anyhow::ensure!(
            !person.named_in(&path) && !person.named_in(&value),
            "the cache still names {who}: {path} = {value}"
        );
    }
    let mut admin = env.admin().await?;
    let broken = integrity::constraint_violations(&mut admin).await?;
    anyhow::ensure!(broken.is_empty(), "after erasing {who}: {broken:#?}");
    env.pms_ok(&["audit", "verify", "--tenant", &tenant.to_string()])?;

    let after = TenantRows::capture(&mut admin, tenant).await?;
    let named = |s: &str| person.named_in(s);
    let unexplained = before.unexplained_changes(&after, BOOKKEEPING, &named);
    anyhow::ensure!(
        unexplained.is_empty(),
        "erasing {who} changed rows that did not name them: {unexplained:#?}"
    );
    for added in before.added(&after) {
        let allowed = BOOKKEEPING
            .iter()
            .any(|b| added.starts_with(&format!("{b}|")))
            // The pseudonym's account, and its place in the reporting chain (the closure the
            // triggers on users keep: the pseudonym where the person was).
            || (added.starts_with("users|") || added.starts_with("reporting_chain|"))
                && after.rows[added].text.contains(&pseudonym.to_string());
        anyhow::ensure!(allowed, "erasing {who} added {added}");
    }
    // Their kept compliance records: under the pseudonym, none of their words in free text.
    let kept: Vec<(String, String)> = sqlx::query_as(
        "SELECT k.table_name, format('SELECT concat_ws('' '', %s) FROM %s t WHERE t.tenant_id = $1 AND t.%I = $2',
                                     coalesce((SELECT string_agg(format('t.%I::text', s.column_name), ', ')
                                               FROM pms_retention.erasure_rules s
                                               WHERE s.table_name = k.table_name AND s.action = 'SCRUB'), 'NULL'),
                                     k.table_name, k.column_name)
         FROM pms_retention.erasure_rules k WHERE k.action = 'COMPLIANCE'",
    )
    .fetch_all(&mut admin)
    .await?;
    for (table, sql) in kept {
        let texts: Vec<Option<String>> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(tenant)
            .bind(pseudonym)
            .fetch_all(&mut admin)
            .await?;
        for t in texts.into_iter().flatten() {
            for word in [&person.first, &person.last] {
                anyhow::ensure!(
                    !contains_word(&t, word),
                    "a kept {table} record of {who} still says {word}: {t}"
                );
            }
        }
    }
    Ok(after)
}

/// Erases `person` and checks everything; then erases them again: already erased, and (with
/// `recheck`, which reads the tenant once more) nothing changes. Returns the tenant's rows after.
pub async fn erase_and_check(
    env: &Env,
    tenant: Uuid,
    others: &[Uuid],
    person: &Person,
    before: &TenantRows,
    recheck: bool,
) -> anyhow::Result<TenantRows> {
    let out = env.erase(tenant, person.id)?;
    anyhow::ensure!(
        out.status.success(),
        "erasing {} failed: {}",
        person.email,
        text(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    anyhow::ensure!(report["already_erased"] == false, "{report}");
    let pseudonym: Uuid = report["pseudonym_id"]
        .as_str()
        .context("a pseudonym in the report")?
        .parse()?;
    let after = check_erased(env, tenant, others, person, pseudonym, before)
        .await
        .with_context(|| format!("report: {report}"))?;
    let out = env.erase(tenant, person.id)?;
    anyhow::ensure!(out.status.success(), "{}", text(&out.stderr));
    let again: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    anyhow::ensure!(
        again["already_erased"] == true && again["pseudonym_id"] == report["pseudonym_id"],
        "{again}"
    );
    if !recheck {
        return Ok(after);
    }
    let mut admin = env.admin().await?;
    let still = TenantRows::capture(&mut admin, tenant).await?;
    anyhow::ensure!(
        still == after,
        "a second erasure of {} changed rows: {:?}",
        person.email,
        after.unexplained_changes(&still, &[], &|_| false)
    );
    Ok(after)
}
