//! Distributing the schema on a Citus coordinator: every tenant table by `tenant_id`, all
//! colocated (every key starts with `tenant_id`, so a tenant's rows, and the joins and foreign
//! keys between them, stay on one worker), and the tables without a tenant (the tenants
//! themselves, lookup catalogs) as reference tables copied to every worker. Tables outside
//! `public` (migrations bookkeeping, retention rules) stay on the coordinator.
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
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
          ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let edges: Vec<(String, String)> = sqlx::query_as(
        "SELECT conrelid::regclass::text, confrelid::regclass::text
           FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
          WHERE c.contype = 'f' AND r.relnamespace = 'public'::regnamespace
            AND c.conrelid <> c.confrelid AND c.conparentid = 0",
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

/// Distributes what [`plan`] lists. Needs the coordinator's superuser.
pub async fn distribute(conn: &mut PgConnection) -> Result<Vec<Placement>, sqlx::Error> {
    let mut out = Vec::new();
    let mut anchor: Option<String> = None;
    for (table, kind, already) in plan(conn).await? {
        let result = if already {
            Ok(())
        } else {
            match kind {
                Kind::Reference => sqlx::query("SELECT create_reference_table($1::regclass)")
                    .bind(&table)
                    .execute(&mut *conn)
                    .await
                    .map(|_| ()),
                Kind::Distributed => sqlx::query(
                    "SELECT create_distributed_table($1::regclass, 'tenant_id', colocate_with => $2)",
                )
                .bind(&table)
                .bind(anchor.clone().unwrap_or_else(|| "default".into()))
                .execute(&mut *conn)
                .await
                .map(|_| ()),
            }
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
    Ok(out)
}
