//! `pms backup verify`: a backup counts only once a restore drill proved it. The drill runs
//! `pgbackrest verify` (checksums of every file in the repository), restores the backup into a
//! scratch cluster on a free loopback port, recovers to the restore point written right after
//! the backup, and checks the copy: every table's row count and content hash against the
//! manifest recorded at backup time, `amcheck` on every B-tree index, forced row-level security
//! with the recorded policies on every tenant table, the audit hash chains of every tenant, and
//! the roles and their privileges. The result is recorded with the backup.

use crate::config::BackupConfig;
use crate::error::{BackupError, Result};
use crate::pgbackrest::{BackupSet, PgBackRest};
use crate::records::{self, BackupRecord, Verification};
use crate::scratch::{RecoveryTarget, RestoreRequest, Restored, free_port};
use crate::server::PgServer;
use sqlx::{Connection, Executor, PgConnection};
use std::time::Instant;

/// The outcome of one drill.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerifyReport {
    pub label: String,
    pub repo: u32,
    pub verification: Verification,
}

/// Picks the backup set: `label` (in `repo`, or any repository), else the newest one pms took.
pub fn choose(
    cfg: &BackupConfig,
    sets: &[BackupSet],
    label: Option<&str>,
    repo: Option<u32>,
) -> Result<(BackupSet, BackupRecord)> {
    let candidates: Vec<&BackupSet> = sets
        .iter()
        .filter(|s| repo.is_none_or(|r| s.repo == r))
        .filter(|s| label.is_none_or(|l| s.label == l))
        .collect();
    let Some(set) = candidates.last() else {
        return Err(match label {
            Some(l) => BackupError::Invalid(format!(
                "no backup labelled {l:?}{}; `pms backup list` shows the backups",
                repo.map(|r| format!(" in repository {r}"))
                    .unwrap_or_default()
            )),
            None => BackupError::Invalid(
                "there is no backup yet; take one with `pms backup create`".into(),
            ),
        });
    };
    let record = records::load(cfg, set.repo, &set.label)?.ok_or_else(|| {
        BackupError::Invalid(format!(
            "backup {} was not taken by `pms backup create` (no manifest recorded), so it cannot be checked against one",
            set.label
        ))
    })?;
    Ok(((*set).clone(), record))
}

/// Runs the drill on one backup and records the result (also when it fails).
pub async fn verify(
    cfg: &BackupConfig,
    server: &PgServer,
    label: Option<&str>,
    repo: Option<u32>,
) -> Result<VerifyReport> {
    if !cfg.conf_file().is_file() {
        return Err(BackupError::NotInitialised(cfg.data_dir.clone()));
    }
    let br = PgBackRest::new(cfg, server);
    let sets = br.backups()?;
    let (set, mut record) = choose(cfg, &sets, label, repo)?;
    let started = Instant::now();
    let mut problems = repository_problems(&br, &set)?;
    let mut counts = (0, 0, 0);
    if problems.is_empty() {
        match drill(cfg, server, &set, &record).await {
            Ok((p, c)) => {
                problems.extend(p);
                counts = c;
            }
            Err(e) => problems.push(format!("restore: {e}")),
        }
    }
    let verification = Verification {
        at: records::now_rfc3339(),
        ok: problems.is_empty(),
        problems,
        restore_ms: started.elapsed().as_millis() as u64,
        tables_checked: counts.0,
        indexes_checked: counts.1,
        tenants_checked: counts.2,
    };
    record.verifications.push(verification.clone());
    records::save(cfg, &record)?;
    tracing::info!(label = %set.label, ok = verification.ok, "backup verification");
    Ok(VerifyReport {
        label: set.label,
        repo: set.repo,
        verification,
    })
}

/// `pgbackrest verify`: every file of the backup set and the WAL it needs, by checksum. Its
/// exit status is 0 even when it finds damage, so its report is read.
fn repository_problems(br: &PgBackRest, set: &BackupSet) -> Result<Vec<String>> {
    let out = br.run(&[
        "verify".into(),
        format!("--repo={}", set.repo),
        "--output=text".into(),
        "--verbose".into(),
        "--log-level-console=info".into(),
    ])?;
    let mut problems = parse_verify(&out, &set.label);
    if set.repo == 1 {
        let manifest = br_manifest(br, &set.label);
        for p in problems.iter_mut() {
            if let Some(bundle) = manifest
                .as_deref()
                .and_then(|m| bundle_holding(m, &set.label, p))
            {
                *p = format!("{p} (stored in repository file {bundle})");
            }
        }
    }
    Ok(problems)
}

/// The text of a local backup set's `backup.manifest`.
fn br_manifest(br: &PgBackRest, label: &str) -> Option<String> {
    let repo = br.conf.parent()?.join("repo");
    std::fs::read_to_string(
        repo.join("backup")
            .join(crate::config::STANZA)
            .join(label)
            .join("backup.manifest"),
    )
    .ok()
}

/// With bundling, small files are stored together: the bundle (`LABEL/bundle/N`) that holds
/// the file a problem names, read from the set's manifest (`"bni":N`).
pub fn bundle_holding(manifest: &str, label: &str, problem: &str) -> Option<String> {
    let start = problem.find(&format!("{label}/pg_data/"))? + label.len() + 1;
    let rest = &problem[start..];
    let file = rest.split([':', ' ']).next()?;
    let file = file.strip_suffix(".zst").unwrap_or(file);
    let line = manifest
        .lines()
        .find(|l| l.starts_with(&format!("{file}={{")))?;
    let i = line.find("\"bni\":")? + 6;
    let n: String = line[i..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (!n.is_empty()).then(|| format!("{label}/bundle/{n}"))
}

/// The problems `pgbackrest verify` reports for backup `label` or for the WAL archive.
pub fn parse_verify(out: &str, label: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for line in out.lines() {
        let l = line.trim();
        for kind in [
            "invalid checksum",
            "invalid size",
            "missing",
            "invalid result",
        ] {
            if let Some(i) = l.find(&format!("{kind} '")) {
                let file = l[i + kind.len() + 1..].trim().trim_matches('\'');
                if file.starts_with(label) || !file.contains('/') || file.contains("archive") {
                    problems.push(format!("repository file {file}: {kind}"));
                }
            }
        }
        if l.starts_with(&format!("backup: {label}, status:")) && !l.contains("status: valid") {
            problems.push(format!("pgbackrest verify: {l}"));
        }
        if l.starts_with("archiveId:")
            && l.contains("total WAL checked")
            && let Some((checked, valid)) = wal_counts(l)
            && checked != valid
        {
            problems.push(format!("pgbackrest verify: WAL archive: {l}"));
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

fn wal_counts(l: &str) -> Option<(u64, u64)> {
    let num = |key: &str| -> Option<u64> {
        let i = l.find(key)? + key.len();
        l[i..]
            .trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    Some((num("total WAL checked:")?, num("total valid WAL:")?))
}

type Counts = (usize, usize, usize);

async fn drill(
    cfg: &BackupConfig,
    server: &PgServer,
    set: &BackupSet,
    record: &BackupRecord,
) -> Result<(Vec<String>, Counts)> {
    let root = cfg
        .dir()
        .join("drills")
        .join(&uuid::Uuid::new_v4().simple().to_string()[..8]);
    let copy = Restored::restore(
        cfg,
        server,
        &RestoreRequest {
            root,
            port: free_port()?,
            repo: set.repo,
            set: Some(set.label.clone()),
            target: RecoveryTarget::Name(record.manifest.restore_point.clone()),
            scratch: true,
            in_place: false,
        },
    )?;
    copy.start().await?;
    let db = database_name(&server.admin_url);
    let mut conn = PgConnection::connect(&copy.admin_url(&db)).await?;
    let restored = crate::manifest::read_state(&mut conn).await?;
    let mut problems = crate::manifest::compare(&record.manifest, &restored);
    let tenant_tables = check_tenant_rls(&mut conn, &mut problems).await?;
    let indexes = check_indexes(&mut conn, &mut problems).await?;
    let tenants = check_audit_chains(&mut conn, &mut problems).await?;
    conn.close().await.ok();
    let _ = tenant_tables;
    Ok((problems, (restored.tables.len(), indexes, tenants)))
}

/// The database name in a PostgreSQL URL (`pms` by default).
pub fn database_name(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .map(|u| u.path().trim_start_matches('/').to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| pms_db::cluster::DATABASE.to_string())
}

/// Every tenant table (a `tenant_id` column, schema `public`, not a partition) must still
/// enable and force row-level security and carry a policy.
async fn check_tenant_rls(conn: &mut PgConnection, problems: &mut Vec<String>) -> Result<usize> {
    let rows: Vec<(String, bool, bool, i64)> = sqlx::query_as(
        "SELECT c.oid::regclass::text, c.relrowsecurity, c.relforcerowsecurity,
                (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public' AND NOT c.relispartition
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                         AND a.attname = 'tenant_id' AND NOT a.attisdropped)",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (t, rls, force, policies) in &rows {
        if !(rls & force) || *policies == 0 {
            problems.push(format!(
                "tenant table {t}: row-level security enabled={rls} forced={force} with {policies} policy(ies)"
            ));
        }
    }
    Ok(rows.len())
}

/// `amcheck`'s `bt_index_check` (with the heap check) on every valid B-tree index.
async fn check_indexes(conn: &mut PgConnection, problems: &mut Vec<String>) -> Result<usize> {
    conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        .await?;
    let indexes: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.oid::bigint, c.oid::regclass::text
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
          WHERE a.amname = 'btree' AND c.relkind = 'i' AND i.indisvalid AND i.indisready
            AND c.relpersistence = 'p'
          ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (oid, name) in &indexes {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT bt_index_check({oid}::oid::regclass, true)"
        )))
        .execute(&mut *conn)
        .await;
        if let Err(e) = r {
            problems.push(format!("index {name}: amcheck: {e}"));
        }
    }
    Ok(indexes.len())
}

/// `verify_audit_chain` (what `pms audit verify` runs) for every tenant.
async fn check_audit_chains(conn: &mut PgConnection, problems: &mut Vec<String>) -> Result<usize> {
    let has: bool =
        sqlx::query_scalar("SELECT to_regproc('public.verify_audit_chain') IS NOT NULL")
            .fetch_one(&mut *conn)
            .await?;
    if !has {
        return Ok(0);
    }
    let tenants: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM tenants ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    for t in &tenants {
        let rows: Vec<(String, bool, Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT stream, ok, broken_seq, problem FROM verify_audit_chain($1)")
                .bind(t)
                .fetch_all(&mut *conn)
                .await?;
        for (stream, ok, seq, problem) in rows {
            if !ok {
                problems.push(format!(
                    "audit chain of tenant {t}, stream {stream}: broken at seq {} ({})",
                    seq.map(|s| s.to_string()).unwrap_or_default(),
                    problem.unwrap_or_default()
                ));
            }
        }
    }
    Ok(tenants.len())
}
