//! Distributing the schema on a Citus coordinator: every tenant table by `tenant_id`, all
//! colocated (every key starts with `tenant_id`, so a tenant's rows, and the joins and foreign
//! keys between them, stay on one worker), and the tables without a tenant (the tenants
//! themselves, lookup catalogs, the retention rules and migration bookkeeping) as reference
//! tables copied to every worker.
//!
//! Each table is distributed in its own statement, referenced tables before the tables that
//! refer to them; a table Citus refuses is reported with Citus's reason and left local, so one
//! run shows everything that stands in the way.

use sqlx::PgConnection;

/// Where a table goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Hash-distributed by `tenant_id`, colocated with every other tenant table.
    Distributed,
    /// Copied to every worker.
    Reference,
}

/// What happened to one table.
#[derive(Debug, Clone)]
pub struct Placement {
    pub table: String,
    pub kind: Kind,
    /// Already so before this run.
    pub already: bool,
    /// Citus's refusal, when it refused.
    pub error: Option<String>,
}

/// True when this database has the Citus extension (a coordinator, or a worker).
pub async fn is_citus(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')")
        .fetch_one(conn)
        .await
}

/// What the workers need before the migrations run on the coordinator: the platform's roles
/// (created on the coordinator by the bootstrap, which Citus copies to the workers) must own
/// `public` there too, as the bootstrap makes them do on the coordinator, since Citus creates
/// the distributed objects on every worker as the role that creates them. (Citus counts
/// `public` as one of its distributed objects and refuses DDL on it on a worker, unless DDL
/// propagation is off for that transaction.) Returns the workers
/// that refused, with their answer.
pub async fn prepare_workers(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
    crate::bootstrap::run(conn)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("bootstrap on the coordinator: {e}")))?;
    let results: Vec<(String, i32, bool, String)> = sqlx::query_as(
        "SELECT nodename, nodeport, success, result FROM run_command_on_workers(
            $$SET LOCAL citus.enable_ddl_propagation TO off; ALTER SCHEMA public OWNER TO pms_owner$$)",
    )
    .fetch_all(conn)
    .await?;
    Ok(results
        .into_iter()
        .filter(|(_, _, ok, _)| !ok)
        .map(|(host, port, _, result)| format!("{host}:{port}: {result}"))
        .collect())
}

/// A table distributed by `tenant_id` to name the colocation group by (`users` when it is),
/// if any.
pub async fn anchor_table(conn: &mut PgConnection) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT logicalrelid::regclass::text FROM pg_dist_partition WHERE partmethod = 'h'
          ORDER BY logicalrelid::regclass::text = 'users' DESC, colocationid, logicalrelid::regclass::text
          LIMIT 1",
    )
    .fetch_optional(conn)
    .await
}

/// The tables of `public` to place, in an order where every table comes after the tables its
/// foreign keys reference (reference tables first), with what each becomes and whether Citus
/// already holds it.
pub async fn plan(conn: &mut PgConnection) -> Result<Vec<(String, Kind, bool)>, sqlx::Error> {
    let tables: Vec<(String, bool, bool)> = sqlx::query_as(
        "SELECT c.oid::regclass::text,
                EXISTS (SELECT 1 FROM pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped),
                EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.oid)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'citus', 'columnar', 'columnar_internal')
            AND n.nspname NOT LIKE 'pg\\_%'
            AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
          ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let edges: Vec<(String, String)> = sqlx::query_as(
        "SELECT conrelid::regclass::text, confrelid::regclass::text
           FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
          WHERE c.contype = 'f' AND c.conrelid <> c.confrelid AND c.conparentid = 0",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut placed: Vec<(String, Kind, bool)> = Vec::new();
    let mut left: Vec<(String, Kind, bool)> = tables
        .into_iter()
        .map(|(t, tenant, already)| {
            let kind = if tenant {
                Kind::Distributed
            } else {
                Kind::Reference
            };
            (t, kind, already)
        })
        .collect();
    // Reference tables first, then by foreign keys; a cycle is placed as it stands.
    left.sort_by_key(|(t, k, _)| (*k == Kind::Distributed, t.clone()));
    while !left.is_empty() {
        let ready = left.iter().position(|(t, _, _)| {
            edges.iter().all(|(from, to)| {
                from != t
                    || placed.iter().any(|(p, _, _)| p == to)
                    || !left.iter().any(|(l, _, _)| l == to)
            })
        });
        let i = ready.unwrap_or(0);
        placed.push(left.remove(i));
    }
    Ok(placed)
}

/// One table in one transaction. The platform's tables carry triggers (audit, `updated_at`,
/// the reporting-chain closure), which Citus refuses to distribute unless told they are safe
/// (`citus.enable_unsafe_triggers`): they are, because each trigger touches only rows of the
/// same tenant, which are colocated on the same worker.
async fn place(
    conn: &mut PgConnection,
    table: &str,
    kind: Kind,
    anchor: Option<&str>,
) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT set_config('citus.enable_unsafe_triggers', 'on', true)")
        .execute(&mut *tx)
        .await?;
    match kind {
        Kind::Reference => {
            sqlx::query("SELECT create_reference_table($1::regclass)")
                .bind(table)
                .execute(&mut *tx)
                .await?;
        }
        Kind::Distributed => {
            sqlx::query(
                "SELECT create_distributed_table($1::regclass, 'tenant_id', colocate_with => $2)",
            )
            .bind(table)
            .bind(anchor.unwrap_or("default"))
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

/// Distributes what [`plan`] lists. The foreign keys are dropped first and put back after
/// (Citus refuses a reference table that local tables still refer to, and a distributed table
/// referring to a table not yet placed); a key Citus refuses to put back is reported on its
/// table. Needs the coordinator's superuser.
pub async fn distribute(conn: &mut PgConnection) -> Result<Vec<Placement>, sqlx::Error> {
    use sqlx::Connection;
    let plan = plan(conn).await?;
    let keys: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid)
           FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
          WHERE c.contype = 'f' AND c.conparentid = 0
            AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.conrelid)
            AND r.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tx = conn.begin().await?;
    for (table, name, _) in &keys {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE {table} DROP CONSTRAINT {name}"
        )))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let mut out = Vec::new();
    let mut anchor: Option<String> = None;
    for (table, kind, already) in plan {
        let result = if already {
            Ok(())
        } else {
            place(conn, &table, kind, anchor.as_deref()).await
        };
        if kind == Kind::Distributed && result.is_ok() && anchor.is_none() {
            anchor = Some(table.clone());
        }
        out.push(Placement {
            table,
            kind,
            already,
            error: result.err().map(|e| e.to_string()),
        });
    }
    // Functions created before their tables were distributed stayed on the coordinator; the
    // triggers and policies now run on the workers' shards and need them there.
    let functions: Vec<String> = sqlx::query_scalar(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'citus', 'columnar', 'columnar_internal')
            AND n.nspname NOT LIKE 'pg\\_%' AND p.prokind IN ('f', 'p')
            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
            AND NOT EXISTS (SELECT 1 FROM pg_dist_object o
                             WHERE o.classid = 'pg_proc'::regclass AND o.objid = p.oid)
          ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    for f in &functions {
        if let Err(e) = sqlx::query("SELECT create_distributed_function($1::regprocedure)")
            .bind(f)
            .execute(&mut *conn)
            .await
        {
            out.push(Placement {
                table: f.clone(),
                kind: Kind::Reference,
                already: false,
                error: Some(format!("function not copied to the workers: {e}")),
            });
        }
    }
    for (table, name, def) in &keys {
        let r = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE {table} ADD CONSTRAINT {name} {def}"
        )))
        .execute(&mut *conn)
        .await;
        if let Err(e) = r
            && let Some(p) = out.iter_mut().find(|p| &p.table == table)
        {
            let msg = format!("foreign key {name} not restored: {e}");
            p.error = Some(match p.error.take() {
                Some(prev) => format!("{prev}; {msg}"),
                None => msg,
            });
        }
    }
    Ok(out)
}
