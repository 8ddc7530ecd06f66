//! Logical exports. The whole database: `pg_dump` in custom format, imported with
//! `pg_restore` into an empty database of a server that has the platform's roles. One
//! tenant: a portable directory with one binary `COPY` file per tenant table (audit trail
//! included, so the hash chains verify where the tenant lands), the tenant's own row, and a
//! manifest with row counts and SHA-256 checksums, all read from one snapshot.

use crate::error::{BackupError, Result, io_at};
use crate::tenant_tables::all_tenant_tables;
use futures::StreamExt as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{Connection, Executor, PgConnection};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use uuid::Uuid;

/// Format version of a tenant export directory.
pub const TENANT_FORMAT: u32 = 1;

/// One table of a tenant export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedTable {
    pub table: String,
    pub columns: Vec<String>,
    pub file: String,
    pub rows: u64,
    pub sha256: String,
}

/// `manifest.json` of a tenant export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantManifest {
    pub format: u32,
    pub tenant: Uuid,
    /// The `tenants` row, as JSON.
    pub tenant_row: serde_json::Value,
    /// The last migration applied where it was exported: the target must be at the same one.
    pub schema_version: String,
    pub exported_at: String,
    /// Parents first.
    pub tables: Vec<ExportedTable>,
}

fn tool(bindir: &Path, name: &str) -> PathBuf {
    let p = bindir.join(name);
    if p.is_file() { p } else { PathBuf::from(name) }
}

fn run(mut c: Command, what: &str) -> Result<()> {
    let out = c.output().map_err(|e| BackupError::Tool {
        command: what.into(),
        status: "not started".into(),
        detail: e.to_string(),
    })?;
    if !out.status.success() {
        return Err(BackupError::Tool {
            command: what.into(),
            status: out
                .status
                .code()
                .map(|c| c.to_string())
                .unwrap_or_else(|| "killed".into()),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(())
}

fn refuse_existing(path: &Path) -> Result<()> {
    if path.exists() {
        return Err(BackupError::Invalid(format!(
            "{} already exists; export to a new path",
            path.display()
        )));
    }
    Ok(())
}

/// `pg_dump --format=custom` of the whole database into `file` (which must not exist).
pub fn export_database(bindir: &Path, url: &str, file: &Path) -> Result<()> {
    refuse_existing(file)?;
    let mut c = Command::new(tool(bindir, "pg_dump"));
    c.args(["--format=custom", "--compress=6", "--no-password", "--file"])
        .arg(file)
        .arg(url);
    run(c, "pg_dump")
}

/// `pg_restore` of a whole-database export into the database at `url`, which must be empty,
/// on a server that has the platform's roles. One transaction: a failure leaves it empty.
pub async fn import_database(bindir: &Path, url: &str, file: &Path) -> Result<()> {
    if !file.is_file() {
        return Err(BackupError::Invalid(format!(
            "{} is not a file",
            file.display()
        )));
    }
    let mut conn = PgConnection::connect(url).await?;
    check_roles(&mut conn).await?;
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await.ok();
    if tables > 0 {
        return Err(BackupError::Invalid(format!(
            "the target database is not empty ({tables} tables); import into a new, empty database"
        )));
    }
    let mut c = Command::new(tool(bindir, "pg_restore"));
    c.args([
        "--exit-on-error",
        "--single-transaction",
        "--no-password",
        "--dbname",
    ])
    .arg(url)
    .arg(file);
    run(c, "pg_restore")
}

async fn check_roles(conn: &mut PgConnection) -> Result<()> {
    let roles: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_roles WHERE rolname IN ('pms_owner', 'pms_app', 'pms_maintenance', 'pms_readonly')",
    )
    .fetch_one(&mut *conn)
    .await?;
    if roles < 4 {
        return Err(BackupError::Invalid(
            "the target server lacks the platform's roles (pms_owner, pms_app, pms_maintenance, pms_readonly); run `pms migrate` against it once first".into(),
        ));
    }
    Ok(())
}

async fn schema_version(conn: &mut PgConnection) -> Result<String> {
    Ok(
        sqlx::query_scalar("SELECT max(name) FROM pms_meta.migrations")
            .fetch_one(&mut *conn)
            .await
            .map(|v: Option<String>| v.unwrap_or_default())?,
    )
}

/// Exports one tenant into the new directory `dir`, from one snapshot (superuser URL).
pub async fn export_tenant(url: &str, tenant: Uuid, dir: &Path) -> Result<TenantManifest> {
    refuse_existing(dir)?;
    let mut conn = PgConnection::connect(url).await?;
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await?;
    let row: Option<serde_json::Value> =
        sqlx::query_scalar("SELECT to_jsonb(t) FROM tenants t WHERE id = $1")
            .bind(tenant)
            .fetch_optional(&mut conn)
            .await?;
    let Some(tenant_row) = row else {
        return Err(BackupError::Invalid(format!("there is no tenant {tenant}")));
    };
    let schema_version = schema_version(&mut conn).await?;
    let tables = all_tenant_tables(&mut conn).await?;
    std::fs::create_dir_all(dir).map_err(io_at(dir))?;
    let mut out = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let file = format!("{i:03}-{}.copy", t.name.replace('"', ""));
        let path = dir.join(&file);
        let mut f = std::fs::File::create(&path).map_err(io_at(&path))?;
        let mut hash = Sha256::new();
        let cols = t.columns.join(", ");
        let mut stream = conn
            .copy_out_raw(&format!(
                "COPY (SELECT {cols} FROM {} WHERE tenant_id = '{tenant}') TO STDOUT WITH (FORMAT binary)",
                t.name
            ))
            .await?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            hash.update(&chunk);
            f.write_all(&chunk).map_err(io_at(&path))?;
        }
        drop(stream);
        f.sync_all().map_err(io_at(&path))?;
        let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM {} WHERE tenant_id = $1",
            t.name
        )))
        .bind(tenant)
        .fetch_one(&mut conn)
        .await?;
        out.push(ExportedTable {
            table: t.name.clone(),
            columns: t.columns.clone(),
            file,
            rows: rows as u64,
            sha256: hex::encode(hash.finalize()),
        });
    }
    conn.execute("COMMIT").await?;
    conn.close().await.ok();
    let manifest = TenantManifest {
        format: TENANT_FORMAT,
        tenant,
        tenant_row,
        schema_version,
        exported_at: crate::records::now_rfc3339(),
        tables: out,
    };
    let path = dir.join("manifest.json");
    let text = serde_json::to_vec_pretty(&manifest).map_err(|source| BackupError::Json {
        what: "tenant manifest".into(),
        source,
    })?;
    std::fs::write(&path, text).map_err(io_at(&path))?;
    Ok(manifest)
}

/// Reads and checks an export directory: the manifest, and every file against its checksum.
pub fn read_tenant_export(dir: &Path) -> Result<TenantManifest> {
    let path = dir.join("manifest.json");
    let bytes = std::fs::read(&path).map_err(io_at(&path))?;
    let m: TenantManifest = serde_json::from_slice(&bytes).map_err(|source| BackupError::Json {
        what: path.display().to_string(),
        source,
    })?;
    if m.format != TENANT_FORMAT {
        return Err(BackupError::Invalid(format!(
            "export format {} is not supported (this pms reads {TENANT_FORMAT})",
            m.format
        )));
    }
    for t in &m.tables {
        let p = dir.join(&t.file);
        let data = std::fs::read(&p).map_err(io_at(&p))?;
        let sum = hex::encode(Sha256::digest(&data));
        if sum != t.sha256 {
            return Err(BackupError::Invalid(format!(
                "{}: checksum {sum} does not match the manifest's {}: the export is damaged",
                p.display(),
                t.sha256
            )));
        }
    }
    Ok(m)
}

/// Imports a tenant export into the platform database at `url` (superuser), where the tenant
/// must not exist yet and the schema must be at the same migration. The rows are loaded as
/// they were (triggers and foreign-key checks are off for the load, `session_replication_role
/// = replica`: the audit entries are the exported ones, not new ones), in one transaction that
/// commits only when every table holds the exported count and the tenant's audit chain verifies.
pub async fn import_tenant(url: &str, dir: &Path) -> Result<TenantManifest> {
    let m = read_tenant_export(dir)?;
    let mut conn = PgConnection::connect(url).await?;
    let version = schema_version(&mut conn).await?;
    if version != m.schema_version {
        return Err(BackupError::Invalid(format!(
            "the export was made at migration {} and this database is at {version}; migrate both to the same version",
            m.schema_version
        )));
    }
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1)")
        .bind(m.tenant)
        .fetch_one(&mut conn)
        .await?;
    if exists {
        return Err(BackupError::Invalid(format!(
            "tenant {} already exists in the target database",
            m.tenant
        )));
    }
    conn.execute("BEGIN").await?;
    let r = load(&mut conn, dir, &m).await;
    match r {
        Ok(()) => {
            conn.execute("COMMIT").await?;
            Ok(m)
        }
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// The hypertables of the TimescaleDB backend (none on the native one), as `regclass` text.
async fn hypertables(conn: &mut PgConnection) -> Result<Vec<String>> {
    let timescale: bool =
        sqlx::query_scalar("SELECT to_regclass('_timescaledb_catalog.hypertable') IS NOT NULL")
            .fetch_one(&mut *conn)
            .await?;
    if !timescale {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_scalar(
        "SELECT format('%I.%I', schema_name, table_name)::regclass::text
           FROM _timescaledb_catalog.hypertable",
    )
    .fetch_all(&mut *conn)
    .await?)
}

async fn load(conn: &mut PgConnection, dir: &Path, m: &TenantManifest) -> Result<()> {
    // The audit triggers are ENABLE ALWAYS, so the replica role alone would still audit (and
    // chain) every loaded row anew. They are switched off inside this transaction and back to
    // their exact state before it commits: no other session ever sees them off (the ALTERs hold
    // their tables' locks until commit).
    let mut rels: Vec<String> = m.tables.iter().map(|t| t.table.clone()).collect();
    rels.push("public.tenants".into());
    let triggers: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT t.tgrelid::regclass::text, quote_ident(t.tgname), t.tgenabled::text
           FROM pg_trigger t
          WHERE NOT t.tgisinternal AND t.tgenabled <> 'D'
            AND (t.tgrelid IN (SELECT r::regclass FROM unnest($1::text[]) r)
                 OR t.tgrelid IN (SELECT p.relid FROM unnest($1::text[]) r, pg_partition_tree(r::regclass) p))",
    )
    .bind(&rels)
    .fetch_all(&mut *conn)
    .await?;
    // TimescaleDB refuses ONLY on a hypertable; there the ALTER reaches its chunks, which
    // carry the same triggers in the same state.
    let hypertables = hypertables(conn).await?;
    let only = |rel: &String| {
        if hypertables.contains(rel) {
            ""
        } else {
            "ONLY "
        }
    };
    for (rel, name, _) in &triggers {
        conn.execute(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE {}{rel} DISABLE TRIGGER {name}",
            only(rel)
        )))
        .await?;
    }
    conn.execute("SET LOCAL session_replication_role = replica")
        .await?;
    sqlx::query("INSERT INTO tenants SELECT * FROM jsonb_populate_record(NULL::tenants, $1)")
        .bind(&m.tenant_row)
        .execute(&mut *conn)
        .await?;
    for t in &m.tables {
        let p = dir.join(&t.file);
        let data = std::fs::read(&p).map_err(io_at(&p))?;
        let mut input = conn
            .copy_in_raw(&format!(
                "COPY {} ({}) FROM STDIN WITH (FORMAT binary)",
                t.table,
                t.columns.join(", ")
            ))
            .await?;
        input.send(data.as_slice()).await?;
        let n = input
            .finish()
            .await
            .map_err(|e| BackupError::Check(format!("loading {}: {e}", t.table)))?;
        if n != t.rows {
            return Err(BackupError::Check(format!(
                "{}: {n} rows loaded, the export holds {}",
                t.table, t.rows
            )));
        }
    }
    conn.execute("SET LOCAL session_replication_role = origin")
        .await?;
    for (rel, name, mode) in &triggers {
        let how = match mode.as_str() {
            "A" => "ENABLE ALWAYS",
            "R" => "ENABLE REPLICA",
            _ => "ENABLE",
        };
        conn.execute(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE {}{rel} {how} TRIGGER {name}",
            only(rel)
        )))
        .await?;
    }
    let broken: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT stream, problem FROM verify_audit_chain($1) WHERE NOT ok")
            .bind(m.tenant)
            .fetch_all(&mut *conn)
            .await?;
    if let Some((stream, problem)) = broken.first() {
        return Err(BackupError::Check(format!(
            "after the import the audit chain of tenant {} ({stream}) does not verify: {}; nothing was imported",
            m.tenant,
            problem.clone().unwrap_or_default()
        )));
    }
    Ok(())
}
