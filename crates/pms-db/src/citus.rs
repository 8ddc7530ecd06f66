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

/// True when the server can install Citus (`citus` in `pg_available_extensions`): what the
/// Citus tests ask before they start a cluster.
pub async fn available(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'citus')")
        .fetch_one(conn)
        .await
}

/// True when this database has the Citus extension (a coordinator, or a worker).
/// A simple-protocol query: safe on a connection through a transaction-pooling PgBouncer.
pub async fn is_citus(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Row;
    sqlx::raw_sql("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')")
        .fetch_one(conn)
        .await?
        .try_get(0)
}

/// True on a Citus coordinator that has workers to place shards on: where `pms migrate`
/// distributes the schema.
pub async fn has_workers(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    if !is_citus(&mut *conn).await? {
        return Ok(false);
    }
    sqlx::query_scalar(
        "SELECT citus_is_coordinator() AND EXISTS (SELECT 1 FROM pg_dist_node
                 WHERE noderole = 'primary' AND isactive AND shouldhaveshards AND groupid <> 0)",
    )
    .fetch_one(conn)
    .await
}

/// What the workers need before the migrations run on the coordinator: the platform's roles
/// (created on the coordinator by the bootstrap, which Citus copies to the workers) must own
/// `public` there too, as the bootstrap makes them do on the coordinator, since Citus creates
/// the distributed objects on every worker as the role that creates them. (Citus counts
/// `public` as one of its distributed objects and refuses DDL on it on a worker, unless DDL
/// propagation is off for that transaction.) Run after the bootstrap. Returns the workers
/// that refused, with their answer.
pub async fn prepare_workers(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
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

/// Why a table with a restrictive policy stays on the coordinator. Citus 13.2 copies a policy to
/// the shards without its `AS RESTRICTIVE` (`CreatePolicyCommandForPolicy` in its
/// `commands/policy.c`), so on the workers a restrictive policy would widen what it should
/// narrow; the platform's restrictive policies (the visibility rules) also read other tables,
/// which Citus refuses in a policy of a distributed table.
pub const RESTRICTIVE: &str = "left on the coordinator: it has a restrictive policy, which Citus 13.2 would copy to the shards as a permissive one";

/// A foreign key dropped for the placement, and how to put it back.
#[derive(sqlx::FromRow)]
struct ForeignKey {
    table: String,
    name: String,
    def: String,
    referenced: String,
    set_null: bool,
    def_without_action: String,
    columns: String,
    referenced_columns: String,
    set_null_columns: String,
    trigger: String,
}

/// Puts one foreign key back. Citus refuses `ON DELETE SET NULL` on a key that contains the
/// distribution column: such a key comes back without its action, and the referenced table gets
/// a trigger that does the nulling (`pms_meta.citus_set_null`, 096_citus_set_null.sql).
async fn restore(conn: &mut PgConnection, key: &ForeignKey) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let distributed: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = $1::regclass AND partmethod = 'h')",
    )
    .bind(&key.table)
    .fetch_one(&mut *conn)
    .await?;
    let def = if key.set_null && distributed {
        &key.def_without_action
    } else {
        &key.def
    };
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT set_config('citus.enable_unsafe_triggers', 'on', true)")
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {def}",
        key.table, key.name
    )))
    .execute(&mut *tx)
    .await?;
    if key.set_null && distributed {
        // One statement per query: Citus forwards a DDL statement's whole query text.
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP TRIGGER IF EXISTS {} ON {}",
            key.trigger, key.referenced
        )))
        .execute(&mut *tx)
        .await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE TRIGGER {trigger} BEFORE DELETE ON {referenced} FOR EACH ROW
                 EXECUTE FUNCTION pms_meta.citus_set_null({table}, {columns}, {to}, {nulls})",
            trigger = key.trigger,
            referenced = key.referenced,
            table = quote(&key.table),
            columns = quote(&key.columns),
            to = quote(&key.referenced_columns),
            nulls = quote(&key.set_null_columns),
        )))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// A reference table's triggers fire on every copy of it (the coordinator's and each worker's),
/// so its audit trigger (`tenants`) would write one entry per copy: it is made into two
/// triggers, for INSERT/UPDATE and for DELETE, each with a WHEN condition that holds only on the
/// node of the tenant's audit_log shard (`pms_meta.citus_tenant_is_local`, 096_citus_audit.sql).
/// Returns the tables where that failed, with Citus's answer.
async fn audit_once_on_reference_tables(
    conn: &mut PgConnection,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    use sqlx::Connection;
    let triggers: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT t.tgrelid::regclass::text, quote_ident(t.tgname), split_part(encode(t.tgargs, 'escape'), '\\000', 1)
           FROM pg_trigger t JOIN pg_dist_partition p ON p.logicalrelid = t.tgrelid
          WHERE p.partmethod = 'n' AND NOT t.tgisinternal AND t.tgqual IS NULL
            AND t.tgfoid = 'pms_meta.audit_row_change'::regproc
          ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut failed = Vec::new();
    for (table, name, tenant_column) in triggers {
        let args: String = sqlx::query_scalar(
            "SELECT substring(pg_get_triggerdef(t.oid) from 'audit_row_change\\((.*)\\)$')
               FROM pg_trigger t WHERE t.tgrelid = $1::regclass AND quote_ident(t.tgname) = $2",
        )
        .bind(&table)
        .bind(&name)
        .fetch_one(&mut *conn)
        .await?;
        let column = quote_ident(&tenant_column);
        // One statement per query: Citus forwards a DDL statement's whole query text.
        let statements = [
            format!("DROP TRIGGER {name} ON {table}"),
            format!(
                "CREATE TRIGGER {name} AFTER INSERT OR UPDATE ON {table} FOR EACH ROW
                     WHEN (pms_meta.citus_tenant_is_local(NEW.{column}))
                     EXECUTE FUNCTION pms_meta.audit_row_change({args})"
            ),
            format!(
                "CREATE TRIGGER {name}_delete AFTER DELETE ON {table} FOR EACH ROW
                     WHEN (pms_meta.citus_tenant_is_local(OLD.{column}))
                     EXECUTE FUNCTION pms_meta.audit_row_change({args})"
            ),
        ];
        let mut tx = conn.begin().await?;
        sqlx::query("SELECT set_config('citus.enable_unsafe_triggers', 'on', true)")
            .execute(&mut *tx)
            .await?;
        let mut result = Ok(());
        for sql in statements {
            result = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await
                .map(|_| ());
            if result.is_err() {
                break;
            }
        }
        match result {
            Ok(()) => tx.commit().await?,
            Err(e) => {
                tx.rollback().await?;
                failed.push((table, e.to_string()));
            }
        }
    }
    Ok(failed)
}

/// An identifier, quoted.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A string literal (trigger arguments take no parameters).
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Distributes what [`plan`] lists. The foreign keys are dropped first and put back after
/// (Citus refuses a reference table that local tables still refer to, and a distributed table
/// referring to a table not yet placed); a key Citus refuses to put back is reported on its
/// table. Needs the coordinator's superuser.
pub async fn distribute(conn: &mut PgConnection) -> Result<Vec<Placement>, sqlx::Error> {
    use sqlx::Connection;
    let plan = plan(conn).await?;
    let keys: Vec<ForeignKey> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text AS \"table\", quote_ident(c.conname) AS name,
                pg_get_constraintdef(c.oid) AS def, c.confrelid::regclass::text AS referenced,
                c.confdeltype = 'n' AS set_null,
                regexp_replace(pg_get_constraintdef(c.oid), ' ON DELETE SET NULL( \\([^)]*\\))?', '') AS def_without_action,
                (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(att, n)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att) AS columns,
                (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(att, n)
                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.att) AS referenced_columns,
                (SELECT string_agg(a.attname, ',' ORDER BY k.n)
                   FROM unnest(coalesce(nullif(c.confdelsetcols, '{}'), c.conkey)) WITH ORDINALITY k(att, n)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att) AS set_null_columns,
                'citus_set_null_' || left(md5(c.conrelid::regclass::text || '.' || c.conname), 16) AS \"trigger\"
           FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
          WHERE c.contype = 'f' AND c.conparentid = 0
            AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.conrelid)
            AND r.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
          ORDER BY 1, 2",
    )
    .fetch_all(&mut *conn)
    .await?;
    // The tenant context must reach the workers (see crate::tenant): SET LOCAL is forwarded
    // only with this setting, on the coordinator's database.
    sqlx::raw_sql(
        "DO $$BEGIN EXECUTE format('ALTER DATABASE %I SET citus.propagate_set_commands = local', current_database()); END$$",
    )
    .execute(&mut *conn)
    .await?;
    let mut tx = conn.begin().await?;
    for ForeignKey { table, name, .. } in &keys {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE {table} DROP CONSTRAINT {name}"
        )))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let mut out = Vec::new();
    let mut anchor: Option<String> = None;
    let restrictive: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT polrelid::regclass::text FROM pg_policy WHERE NOT polpermissive",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, kind, already) in plan {
        let error = if already {
            None
        } else if restrictive.contains(&table) {
            Some(RESTRICTIVE.to_owned())
        } else {
            place(conn, &table, kind, anchor.as_deref())
                .await
                .err()
                .map(|e| e.to_string())
        };
        if kind == Kind::Distributed && error.is_none() && anchor.is_none() {
            anchor = Some(table.clone());
        }
        out.push(Placement {
            table,
            kind,
            already,
            error,
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
    // Schema privileges granted before Citus copied a schema to the workers stayed on the
    // coordinator; granted again now, Citus forwards them.
    let grants: Vec<String> = sqlx::query_scalar(
        "SELECT format('GRANT %s ON SCHEMA %I TO %I', a.privilege_type, n.nspname, r.rolname)
           FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a
           JOIN pg_roles r ON r.oid = a.grantee
          WHERE n.nspacl IS NOT NULL AND a.grantee <> n.nspowner
            AND EXISTS (SELECT 1 FROM pg_dist_object o
                         WHERE o.classid = 'pg_namespace'::regclass AND o.objid = n.oid)
          ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    for grant in grants {
        sqlx::raw_sql(sqlx::AssertSqlSafe(grant))
            .execute(&mut *conn)
            .await?;
    }
    for (table, e) in audit_once_on_reference_tables(conn).await? {
        if let Some(p) = out.iter_mut().find(|p| p.table == table) {
            p.error = Some(format!("audit trigger not made to fire once: {e}"));
        }
    }
    for key in &keys {
        let r = restore(conn, key).await;
        if let Err(e) = r
            && let Some(p) = out.iter_mut().find(|p| p.table == key.table)
        {
            let msg = format!("foreign key {} not restored: {e}", key.name);
            p.error = Some(match p.error.take() {
                Some(prev) => format!("{prev}; {msg}"),
                None => msg,
            });
        }
    }
    Ok(out)
}

/// How Citus moves shards: `force_logical` (logical replication; writes keep running) when the
/// server has `wal_level = logical`, else `block_writes`.
pub async fn transfer_mode(conn: &mut PgConnection) -> Result<&'static str, sqlx::Error> {
    let level: String = sqlx::query_scalar("SELECT current_setting('wal_level')")
        .fetch_one(conn)
        .await?;
    Ok(if level == "logical" {
        "force_logical"
    } else {
        "block_writes"
    })
}

/// One tenant's shards after [`isolate_tenant`].
#[derive(Debug, Clone)]
pub struct Isolated {
    /// The table the colocation group was named by.
    pub anchor: String,
    /// The tenant's new shard of the anchor table.
    pub shard: i64,
    /// How the shards moved.
    pub mode: &'static str,
}

/// Moves one tenant to shards of its own in every colocated table
/// (`isolate_tenant_to_new_shard(..., 'CASCADE')`), online where the server allows it
/// ([`transfer_mode`]). The rebalancer can then move those shards to a worker of their own.
pub async fn isolate_tenant(
    conn: &mut PgConnection,
    tenant: sqlx::types::Uuid,
) -> Result<Option<Isolated>, sqlx::Error> {
    let Some(anchor) = anchor_table(&mut *conn).await? else {
        return Ok(None);
    };
    let mode = transfer_mode(&mut *conn).await?;
    let shard: i64 = sqlx::query_scalar(
        "SELECT isolate_tenant_to_new_shard($1::regclass, $2::uuid, 'CASCADE', shard_transfer_mode => $3::citus.shard_transfer_mode)",
    )
    .bind(&anchor)
    .bind(tenant)
    .bind(mode)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(Isolated {
        anchor,
        shard,
        mode,
    }))
}

/// Runs Citus's shard rebalancer and waits for it; returns how the shards moved.
pub async fn rebalance(conn: &mut PgConnection) -> Result<&'static str, sqlx::Error> {
    let mode = transfer_mode(&mut *conn).await?;
    sqlx::query(
        "SELECT citus_rebalance_start(shard_transfer_mode => $1::citus.shard_transfer_mode)",
    )
    .bind(mode)
    .execute(&mut *conn)
    .await?;
    sqlx::query("SELECT citus_rebalance_wait()")
        .execute(&mut *conn)
        .await?;
    Ok(mode)
}
