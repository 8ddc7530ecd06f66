//! What a backup must contain, recorded when it is taken: every table's row count and a
//! content hash, the row-level security of every table, the roles and their privileges.
//!
//! The values must describe exactly the state a restore reaches, so they are read from a
//! snapshot that matches a WAL position: one transaction takes `SHARE` locks on every table
//! (waiting for writers in flight to commit, holding off new ones for a moment), exports its
//! snapshot and writes a named restore point; a second transaction adopts that snapshot, and
//! the first commits at once. Every commit that touched a table is then either before the
//! restore point and in the snapshot, or after it and in neither. Recovery to the restore point
//! reaches the same rows, which the hashes (read at leisure from the second transaction)
//! describe.

use crate::error::Result;
use serde::{Deserialize, Serialize};
use sqlx::{Connection, Executor, PgConnection};
use std::collections::BTreeMap;

/// A table's rows: how many, and an order-independent hash of their text form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDigest {
    pub rows: i64,
    pub hash: String,
}

/// Everything recorded at backup time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Manifest {
    pub restore_point: String,
    pub restore_point_lsn: String,
    /// Server time of the restore point (RFC 3339).
    pub restore_point_time: String,
    /// Every ordinary table (partitions included), `schema.table`.
    pub tables: BTreeMap<String, TableDigest>,
    /// Per table: `rls=t force=t` and its policies (name, command, roles, expressions).
    pub security: BTreeMap<String, String>,
    /// The platform's roles, their attributes, memberships and privileges, one line each.
    pub roles: Vec<String>,
}

/// Session settings that fix the text form of every value, so a hash taken on the live server
/// and one taken on a restored copy agree.
pub(crate) const STABLE_TEXT: &str = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; \
    SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'; \
    SET statement_timeout = 0";

const TABLES: &str = "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND c.relpersistence = 'p' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_%'
    ORDER BY 1";

/// Records the manifest of the live database at a new restore point named `name`.
pub async fn record(admin_url: &str, name: &str) -> Result<Manifest> {
    let mut locker = PgConnection::connect(admin_url).await?;
    let mut reader = PgConnection::connect(admin_url).await?;
    locker.execute("SET lock_timeout = '30s'").await?;
    let mut attempt = 0;
    let (lsn, at) = loop {
        attempt += 1;
        match lock_and_mark(&mut locker, &mut reader, name).await {
            Ok(v) => break v,
            // A deadlock with a writer, or a writer holding a lock too long: try again.
            Err(e) if attempt < 5 => {
                tracing::warn!(error = %e, attempt, "taking the backup snapshot; retrying");
                let _ = locker.execute("ROLLBACK").await;
                let _ = reader.execute("ROLLBACK").await;
            }
            Err(e) => return Err(e),
        }
    };
    locker.close().await.ok();
    let mut m = read_state(&mut reader).await?;
    reader.execute("COMMIT").await?;
    reader.close().await.ok();
    m.restore_point = name.to_string();
    m.restore_point_lsn = lsn;
    m.restore_point_time = at;
    Ok(m)
}

async fn lock_and_mark(
    locker: &mut PgConnection,
    reader: &mut PgConnection,
    name: &str,
) -> Result<(String, String)> {
    // Read committed: the exported snapshot is the one of its own statement, taken after the
    // locks were granted (a repeatable-read transaction would keep the listing's snapshot).
    locker.execute("BEGIN").await?;
    let tables: Vec<String> = sqlx::query_scalar(TABLES).fetch_all(&mut *locker).await?;
    if !tables.is_empty() {
        locker
            .execute(sqlx::AssertSqlSafe(format!(
                "LOCK TABLE {} IN SHARE MODE",
                tables.join(", ")
            )))
            .await?;
    }
    let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
        .fetch_one(&mut *locker)
        .await?;
    // A table created between the listing and the lock would be missing: start again.
    let again: Vec<String> = sqlx::query_scalar(TABLES).fetch_all(&mut *locker).await?;
    if again != tables {
        return Err(crate::error::BackupError::Check(
            "tables were created or dropped while the backup snapshot was taken".into(),
        ));
    }
    let (lsn, at): (String, String) = sqlx::query_as(
        "SELECT pg_create_restore_point($1)::text,
                to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
    )
    .bind(name)
    .fetch_one(&mut *locker)
    .await?;
    reader
        .execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await?;
    reader
        .execute(sqlx::AssertSqlSafe(format!(
            "SET TRANSACTION SNAPSHOT '{}'",
            snapshot.replace('\'', "")
        )))
        .await?;
    locker.execute("COMMIT").await?;
    Ok((lsn, at))
}

/// Reads the counts, hashes, security and roles on `conn` (inside whatever transaction or
/// snapshot it is in): the same function runs at backup time and on the restored copy.
pub async fn read_state(conn: &mut PgConnection) -> Result<Manifest> {
    conn.execute(STABLE_TEXT).await?;
    let tables: Vec<String> = sqlx::query_scalar(TABLES).fetch_all(&mut *conn).await?;
    let mut m = Manifest::default();
    for t in tables {
        let (rows, hash): (i64, String) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric), 0)::text
               FROM ONLY {t} t"
        )))
        .fetch_one(&mut *conn)
        .await?;
        m.tables.insert(t, TableDigest { rows, hash });
    }
    let security: Vec<(String, String)> = sqlx::query_as(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),
                format('rls=%s force=%s policies=[%s]', c.relrowsecurity, c.relforcerowsecurity,
                  coalesce((SELECT string_agg(format('%s %s %s to %s using (%s) check (%s)', p.polname,
                      p.polcmd, CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END,
                      (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END, ',' ORDER BY 1)
                         FROM unnest(p.polroles) r),
                      pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)), '; ' ORDER BY p.polname)
                     FROM pg_policy p WHERE p.polrelid = c.oid), ''))
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            AND n.nspname NOT LIKE 'pg\\_%'",
    )
    .fetch_all(&mut *conn)
    .await?;
    m.security = security.into_iter().collect();
    m.roles = sqlx::query_scalar(
        "SELECT line FROM (
           SELECT format('role %s super=%s login=%s bypassrls=%s createrole=%s createdb=%s inherit=%s',
                         rolname, rolsuper, rolcanlogin, rolbypassrls, rolcreaterole, rolcreatedb, rolinherit) AS line
             FROM pg_roles WHERE rolname LIKE 'pms\\_%'
           UNION ALL
           SELECT format('member %s of %s', m.member::regrole, m.roleid::regrole)
             FROM pg_auth_members m WHERE m.member::regrole::text LIKE 'pms\\_%'
           UNION ALL
           SELECT format('acl %s.%s %s', n.nspname, c.relname, c.relacl::text)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_%'
           UNION ALL
           SELECT format('schema %s %s', nspname, nspacl::text) FROM pg_namespace
            WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
           UNION ALL
           SELECT format('function %s %s', p.oid::regprocedure, p.proacl::text)
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
              AND p.proacl IS NOT NULL
         ) x ORDER BY line",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(m)
}

/// The differences between what was recorded and what a restored copy holds, one line each.
pub fn compare(recorded: &Manifest, restored: &Manifest) -> Vec<String> {
    let mut problems = Vec::new();
    for (t, want) in &recorded.tables {
        match restored.tables.get(t) {
            None => problems.push(format!("table {t} is missing from the restored copy")),
            Some(got) if got.rows != want.rows => problems.push(format!(
                "table {t}: {} row(s) restored, {} recorded at backup time",
                got.rows, want.rows
            )),
            Some(got) if got.hash != want.hash => problems.push(format!(
                "table {t}: {} row(s) as recorded, but their content hash differs",
                got.rows
            )),
            Some(_) => {}
        }
    }
    for t in restored
        .tables
        .keys()
        .filter(|t| !recorded.tables.contains_key(*t))
    {
        problems.push(format!(
            "table {t} is in the restored copy but was not recorded at backup time"
        ));
    }
    for (t, want) in &recorded.security {
        match restored.security.get(t) {
            Some(got) if got == want => {}
            Some(got) => problems.push(format!(
                "row-level security of {t}: restored `{got}`, recorded `{want}`"
            )),
            None => problems.push(format!("row-level security of {t}: table missing")),
        }
    }
    let want: std::collections::BTreeSet<&String> = recorded.roles.iter().collect();
    let got: std::collections::BTreeSet<&String> = restored.roles.iter().collect();
    for line in want.difference(&got).take(20) {
        problems.push(format!(
            "roles and privileges: `{line}` recorded but not restored"
        ));
    }
    for line in got.difference(&want).take(20) {
        problems.push(format!(
            "roles and privileges: `{line}` restored but not recorded"
        ));
    }
    problems
}
