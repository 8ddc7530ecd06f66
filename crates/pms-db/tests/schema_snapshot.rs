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

/// Compares `actual` with the checked-in file, or rewrites the file when updating.
fn check(path: &Path, actual: &str) -> anyhow::Result<()> {
    if updating() {
        std::fs::write(path, actual).with_context(|| format!("writing {}", path.display()))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
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
        panic!(
            "{} is out of date (first difference at line {}):\n--- checked in ---\n{}\n--- live schema ---\n{}\n\
             regenerate with: PMS_UPDATE_SNAPSHOTS=1 cargo test -p pms-db --test schema_snapshot",
            path.display(),
            first + 1,
            context(&expected),
            context(actual)
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

#[tokio::test]
async fn schema_dump_matches_the_snapshot() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
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
    let dump = normalise(&String::from_utf8(output.stdout)?);
    assert!(
        dump.contains("CREATE TABLE public.goals"),
        "the dump is not of the migrated schema"
    );
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

#[test]
fn normalising_drops_what_varies() {
    let raw = "--\n-- PostgreSQL database dump\n\\restrict abc\nSET x = 1;\n\n\nCREATE TABLE t (a int);  \n\n\n\nCREATE INDEX i ON t (a);\n";
    assert_eq!(
        normalise(raw),
        "CREATE TABLE t (a int);\n\nCREATE INDEX i ON t (a);\n"
    );
}
