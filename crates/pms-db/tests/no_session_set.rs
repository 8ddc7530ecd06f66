//! No session state in the code: behind PgBouncer's transaction pooling a session-level `SET`
//! (or `set_config(..., false)`) would follow the server connection to the next client. Every
//! Rust and SQL file of the workspace is scanned for a statement that starts with `SET` and is
//! not `SET LOCAL`, `SET CONSTRAINTS` or `SET TRANSACTION`, and for `set_config` whose third
//! argument is not `true`. Tests that show such a statement being refused or caught are listed
//! below with their reason; nothing else may have one.

use std::path::{Path, PathBuf};

/// Files that may, and why: connections of their own, directly on the server as an
/// administrative role (never a pooled role, never through PgBouncer), and tests that show the
/// danger itself. Anything else with a session-level setting fails this test.
const ALLOWED: [(&str, &str); 13] = [
    (
        "crates/pms-seed/src/bulk.rs",
        "bulk-load sessions of their own, as the superuser, directly on the server",
    ),
    (
        "crates/pms-backup/src/manifest.rs",
        "its own direct connections fix the text form of values for the backup manifest",
    ),
    (
        "crates/pms-db/tests/schema_snapshot.rs",
        "filters the SET lines out of pg_dump's output",
    ),
    (
        "crates/pms-db/tests/pool_leak.rs",
        "shows that a session-level tenant would leak and is caught",
    ),
    (
        "crates/pms-audit/tests/mixed_writes.rs",
        "shows that the application role cannot switch the audit triggers off",
    ),
    (
        "crates/pms-audit/tests/append_only.rs",
        "shows that no role can switch the audit triggers off",
    ),
    (
        "crates/pms/tests/audit_cli.rs",
        "tampers with the audit trail as the owner, on one connection",
    ),
    (
        "crates/pms-archive/tests/erasure_audit.rs",
        "tampers with the audit trail as the owner, on one connection",
    ),
    (
        "crates/pms-audit/tests/tamper.rs",
        "tampers with the audit trail as the owner, on one connection",
    ),
    (
        "crates/pms-audit/tests/retention.rs",
        "ages the audit trail as the owner, on one connection",
    ),
    (
        "crates/pms-audit/tests/legacy_writer.rs",
        "writes as an old writer would, as the owner, on one connection",
    ),
    (
        "crates/pms-seed/tests/verified_bulk_load.rs",
        "a superuser bulk-load session, as pms-seed's own",
    ),
    (
        "crates/pms-seed/tests/tenant_partitions.rs",
        "a superuser bulk-load session, as pms-seed's own",
    ),
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name();
        if p.is_dir() {
            if name != "target" && name != "snapshots" && !name.to_string_lossy().starts_with('.') {
                files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs" || x == "sql") {
            out.push(p);
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Statement-level `SET`s that are not transaction-scoped, as (line, text from `SET` on).
fn session_sets(text: &str) -> Vec<(usize, String)> {
    // SQL here is written in capitals; prose ("set PMS_DATA_DIR") is not.
    let sql = text;
    let bytes = sql.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = sql[from..].find("SET").map(|p| p + from) {
        from = pos + 3;
        let before = sql[..pos].chars().next_back();
        let after = sql[pos + 3..].chars().next();
        if before.is_some_and(is_word) || !after.is_some_and(|c| c.is_whitespace()) {
            continue;
        }
        // What precedes, skipping blanks: the start of a statement?
        let prev = sql[..pos].trim_end();
        // A quote ends a value (a function's own `SET x = 'v'` clause) unless it opens
        // dynamic SQL (`EXECUTE 'SET ...'`).
        let starts_statement = prev.is_empty()
            || prev.ends_with([';', '"', '('])
            || (prev.ends_with('\'') && prev[..prev.len() - 1].trim_end().ends_with("EXECUTE"))
            || ["BEGIN", "THEN", "ELSE", "LOOP", "EXECUTE"]
                .iter()
                .any(|k| prev.ends_with(k) && !prev[..prev.len() - k.len()].ends_with(is_word));
        if !starts_statement {
            continue;
        }
        let rest: String = sql[pos + 3..]
            .trim_start()
            .chars()
            .take_while(|c| is_word(*c))
            .collect();
        if ["LOCAL", "CONSTRAINTS", "TRANSACTION"].contains(&rest.as_str()) {
            continue;
        }
        let line = bytes[..pos].iter().filter(|b| **b == b'\n').count() + 1;
        let end = text[pos..].find('\n').map_or(text.len(), |e| pos + e);
        found.push((line, text[pos..end].trim().to_string()));
    }
    found
}

/// `set_config(name, value, is_local)` calls whose `is_local` is not `true`.
fn session_set_configs(text: &str) -> Vec<(usize, String)> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("set_config(").map(|p| p + from) {
        from = pos + 11;
        let mut depth = 0;
        let mut end = None;
        for (i, c) in lower[pos + 10..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(pos + 10 + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else { continue };
        let args = &lower[pos + 11..end];
        let last = args.rsplit(',').next().unwrap_or("").trim();
        if last != "true" && args.contains(',') {
            let line = lower[..pos].matches('\n').count() + 1;
            found.push((line, text[pos..=end].to_string()));
        }
    }
    found
}

#[test]
fn the_scanner_finds_what_it_must() {
    let bad = "x.execute(\"SET app.tenant_id = 'a'\")\n-- ok\nBEGIN; SET search_path TO x;
        EXECUTE 'SET ROLE x'; IF a THEN SET work_mem = '1MB'; END IF;";
    assert_eq!(session_sets(bad).len(), 4, "{:?}", session_sets(bad));
    let fine = "SET LOCAL ROLE pms_owner; UPDATE t SET a = 1; UPDATE t\n SET b = 2;
        CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$ SELECT 1 $$;
        SET CONSTRAINTS ALL DEFERRED; ALTER TABLE t SET (fillfactor = 90); ALTER ROLE r SET x = 1;
        CREATE FUNCTION g() RETURNS int LANGUAGE sql SET work_mem = '1MB' SET x = 0 AS $$ SELECT 1 $$;
        SELECT set_config('app.tenant_id', $1, true); -- set PMS_DATA_DIR to a folder";
    assert!(session_sets(fine).is_empty(), "{:?}", session_sets(fine));
    assert!(session_set_configs(fine).is_empty());
    assert_eq!(
        session_set_configs("SELECT set_config('a', coalesce($1, 'x'), false)").len(),
        1
    );
}

#[test]
fn no_code_sets_session_state() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    let mut all = Vec::new();
    files(&root.join("crates"), &mut all);
    assert!(
        all.len() > 100,
        "found only {} files under crates/",
        all.len()
    );
    let mut offences = Vec::new();
    for path in all {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        if rel.ends_with("tests/no_session_set.rs") {
            continue;
        }
        for (line, what) in session_sets(&text)
            .into_iter()
            .chain(session_set_configs(&text))
        {
            let allowed = ALLOWED.iter().any(|(f, _)| rel == *f);
            if !allowed {
                offences.push(format!("{rel}:{line}: {what}"));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "session-level settings (use set_config(..., true) or SET LOCAL inside the transaction):\n{}",
        offences.join("\n")
    );
}
