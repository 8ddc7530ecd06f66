//! Every schema change is visible in review: the normalised `pg_dump --schema-only` of a
//! migrated database and the generated docs/SCHEMA.md are checked in, and these tests fail when
//! the live schema differs from them. After an intended change, regenerate both with
//!
//! ```sh
//! PMS_UPDATE_SNAPSHOTS=1 cargo test -p pms-db --test schema_snapshot
//! ```
//!
//! and commit the diff. `PMS_PG_DUMP` names the pg_dump binary (default: PostgreSQL 15's, else
//! the one on PATH); it must match the server's major version.

use anyhow::Context as _;
use pms_db::RoleName;
use pms_test_support::TestDb;
use std::path::{Path, PathBuf};

fn updating() -> bool {
    std::env::var("PMS_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1")
}

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Where `expected` and `actual` first differ, with a few lines of each around it.
fn first_difference(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let first = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(expected.lines().count().min(actual.lines().count()));
    let context = |s: &str| {
        s.lines()
            .skip(first.saturating_sub(2))
            .take(6)
            .collect::<Vec<_>>()
            .join("\n")
    };
    Some(format!(
        "first difference at line {}:\n--- expected ---\n{}\n--- live schema ---\n{}",
        first + 1,
        context(expected),
        context(actual)
    ))
}

/// Compares `actual` with the checked-in file, or rewrites the file when updating.
fn check(path: &Path, actual: &str) -> anyhow::Result<()> {
    if updating() {
        std::fs::write(path, actual).with_context(|| format!("writing {}", path.display()))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if let Some(diff) = first_difference(&expected, actual) {
        panic!(
            "{} is out of date ({diff})\n\
             regenerate with: PMS_UPDATE_SNAPSHOTS=1 cargo test -p pms-db --test schema_snapshot",
            path.display()
        );
    }
    Ok(())
}

fn pg_dump() -> String {
    if let Ok(p) = std::env::var("PMS_PG_DUMP") {
        return p;
    }
    let v15 = "/usr/lib/postgresql/15/bin/pg_dump";
    if Path::new(v15).exists() {
        v15.to_string()
    } else {
        "pg_dump".to_string()
    }
}

/// The partitions that are named and bounded by the calendar (the audit log's and security
/// events' months, the time-series chunks): every range partition but a DEFAULT one, with the
/// names of its indexes and constraints. `pms migrate` and maintenance create them relative to
/// the day they run, so the snapshot leaves them out and names the range-partitioned parents.
#[derive(Default)]
struct TimePartitions {
    /// `schema.parent` of every range-partitioned table.
    parents: std::collections::BTreeSet<String>,
    /// Every identifier that belongs to one of those partitions.
    names: std::collections::HashSet<String>,
}

async fn time_partitions(conn: &mut sqlx::PgConnection) -> anyhow::Result<TimePartitions> {
    // Constraints that a partition inherits (and constraint triggers) carry the parent's name:
    // only the names derived from the partition's own are its.
    let names: Vec<String> = sqlx::query_scalar(
        r#"SELECT n.name
           FROM pg_inherits h
           JOIN pg_class c ON c.oid = h.inhrelid
           JOIN pg_partitioned_table pt ON pt.partrelid = h.inhparent
           CROSS JOIN LATERAL (
               SELECT c.relname::text
               UNION ALL SELECT ic.relname::text FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                         WHERE i.indrelid = c.oid
               UNION ALL SELECT k.conname::text FROM pg_constraint k
                         WHERE k.conrelid = c.oid AND starts_with(k.conname::text, c.relname::text)) n(name)
           WHERE pt.partstrat = 'r' AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'"#,
    )
    .fetch_all(&mut *conn)
    .await?;
    let parents: Vec<String> = sqlx::query_scalar(
        r#"SELECT n.nspname || '.' || p.relname FROM pg_partitioned_table pt
           JOIN pg_class p ON p.oid = pt.partrelid JOIN pg_namespace n ON n.oid = p.relnamespace
           WHERE pt.partstrat = 'r' ORDER BY 1"#,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(TimePartitions {
        parents: parents.into_iter().collect(),
        names: names.into_iter().collect(),
    })
}

/// Leaves out the dump's entries (pg_dump's `-- Name: …` blocks) that name a time partition,
/// its indexes or its constraints, then normalises the rest and lists the parents whose time
/// partitions were left out.
fn without_time_partitions(dump: &str, parts: &TimePartitions) -> String {
    let mut kept = String::new();
    let mut entry = String::new();
    let mentions = |text: &str| {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|token| parts.names.contains(token))
    };
    for line in dump.lines() {
        if line.starts_with("-- Name: ") {
            if !mentions(&entry) {
                kept.push_str(&entry);
            }
            entry.clear();
        }
        entry.push_str(line);
        entry.push('\n');
    }
    if !mentions(&entry) {
        kept.push_str(&entry);
    }
    let mut out = normalise(&kept);
    if !parts.parents.is_empty() {
        out.push_str("\n-- Partitions by time range, left out because their names and bounds follow the date:\n");
        for p in &parts.parents {
            out.push_str(&format!("--   {p}\n"));
        }
    }
    out
}

/// Drops what varies between runs or tool versions: comments, SET lines, the random
/// `\restrict` keys of newer pg_dump releases, the optional pg_stat_statements extension, and
/// runs of blank lines.
fn normalise(dump: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in dump.lines() {
        if line.starts_with("--")
            || line.starts_with("SET ")
            || line.starts_with("SELECT pg_catalog.set_config")
            || line.starts_with("\\restrict")
            || line.starts_with("\\unrestrict")
            || line.contains("EXTENSION IF NOT EXISTS pg_stat_statements")
        {
            continue;
        }
        if line.trim().is_empty() {
            if !blank && !out.is_empty() {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        blank = false;
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The dump of `db`'s schema with the time partitions left out.
async fn schema_dump(db: &TestDb) -> anyhow::Result<String> {
    let url = db.urls.url_for(RoleName::Admin);
    let output = std::process::Command::new(pg_dump())
        .args(["--schema-only", "--no-comments", "--dbname", &url])
        .output()
        .context("running pg_dump (set PMS_PG_DUMP to its path)")?;
    assert!(
        output.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let raw = String::from_utf8(output.stdout)?;
    assert!(
        raw.contains("CREATE TABLE public.goals"),
        "the dump is not of the migrated schema"
    );
    let parts = time_partitions(&mut db.admin().await?).await?;
    Ok(without_time_partitions(&raw, &parts))
}

#[tokio::test]
async fn schema_dump_matches_the_snapshot() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let dump = schema_dump(&db).await?;
    check(&repo_file("tests/snapshots/schema.sql"), &dump)
}

#[tokio::test]
async fn schema_doc_matches_the_live_catalog() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    let doc = pms_db::schema_doc::render(&mut owner).await?;
    assert!(doc.contains("```mermaid"));
    check(&repo_file("../../docs/SCHEMA.md"), &doc)
}

/// The snapshot and docs/SCHEMA.md hold on any day: after maintenance has created the
/// partitions of months years ahead (as it would on the first day of a later month) and
/// retention has dropped the oldest audit month, both are unchanged.
#[tokio::test]
async fn snapshot_and_doc_do_not_depend_on_the_month() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let before = schema_dump(&db).await?;
    let doc_before = pms_db::schema_doc::render(&mut db.owner().await?).await?;

    let mut admin = db.admin().await?;
    // Months five years after today's (UTC): beyond anything migration or maintenance made.
    let later: time::Date = sqlx::query_scalar(
        "SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '5 years')::date",
    )
    .fetch_one(&mut admin)
    .await?;
    let created: i32 = sqlx::query_scalar("SELECT pms_meta.audit_ensure_partitions($1, 2)")
        .bind(later)
        .fetch_one(&mut admin)
        .await?;
    assert_eq!(
        created, 6,
        "three months of audit_log and of security_events"
    );
    let chunks: i64 = sqlx::query_scalar(
        "SELECT sum(timeseries.ensure_chunks(name, ($1::date)::timestamp AT TIME ZONE 'UTC',
                                            ($1::date + interval '6 months') AT TIME ZONE 'UTC'))::bigint
         FROM timeseries.hypertables",
    )
    .bind(later)
    .fetch_one(&mut admin)
    .await?;
    assert!(chunks > 0, "no time-series chunk was created");
    let oldest: String = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
         WHERE h.inhparent = 'public.audit_log'::regclass AND c.relname ~ '_p[0-9]{6}$' ORDER BY 1 LIMIT 1",
    )
    .fetch_one(&mut admin)
    .await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP TABLE public.{oldest}")))
        .execute(&mut admin)
        .await?;

    let after = schema_dump(&db).await?;
    if let Some(diff) = first_difference(&before, &after) {
        panic!("the normalised schema changed with the month ({diff})");
    }
    let doc_after = pms_db::schema_doc::render(&mut db.owner().await?).await?;
    assert_eq!(
        doc_before, doc_after,
        "docs/SCHEMA.md changed with the month"
    );
    Ok(())
}

/// The partitions really are in the raw dump: leaving them out is what keeps it stable.
#[test]
fn time_partitions_are_left_out_and_their_parent_named() {
    let dump = "--\n-- Name: audit_log; Type: TABLE; Schema: public; Owner: o\n--\n\nCREATE TABLE public.audit_log (a int);\n\n\
                --\n-- Name: audit_log_p203102; Type: TABLE; Schema: public; Owner: o\n--\n\nCREATE TABLE public.audit_log_p203102 (a int);\n\n\
                --\n-- Name: audit_log_p203102_a_idx; Type: INDEX ATTACH; Schema: public; Owner: o\n--\n\nALTER INDEX public.audit_log_a_idx ATTACH PARTITION public.audit_log_p203102_a_idx;\n";
    let parts = TimePartitions {
        parents: ["public.audit_log".to_string()].into(),
        names: [
            "audit_log_p203102".to_string(),
            "audit_log_p203102_a_idx".to_string(),
        ]
        .into(),
    };
    let out = without_time_partitions(dump, &parts);
    assert!(out.starts_with("CREATE TABLE public.audit_log (a int);\n"));
    assert!(!out.contains("p203102"), "{out}");
    assert!(out.contains("--   public.audit_log\n"), "{out}");
}

#[test]
fn normalising_drops_what_varies() {
    let raw = "--\n-- PostgreSQL database dump\n\\restrict abc\nSET x = 1;\n\n\nCREATE TABLE t (a int);  \n\n\n\nCREATE INDEX i ON t (a);\n";
    assert_eq!(
        normalise(raw),
        "CREATE TABLE t (a int);\n\nCREATE INDEX i ON t (a);\n"
    );
}
