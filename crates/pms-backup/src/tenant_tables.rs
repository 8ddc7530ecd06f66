//! Which tables hold a tenant's restorable rows, their columns, and the order to write them
//! in: parents before children along the foreign keys, with each cycle (a department's head is
//! a user, a user's department is a department) broken at a nullable reference that is filled
//! in after both rows exist.

use crate::error::{BackupError, Result};
use sqlx::PgConnection;
use std::collections::{BTreeMap, BTreeSet};

/// Tables a tenant restore never rewrites: the audit trail and security log are append-only
/// (the restore is recorded there), legal holds, erasure records and retention overrides must
/// never be undone by going back in time, sessions must not come back to life, and queues and
/// bookkeeping belong to the platform. The reporting chain is derived from `users` by its
/// triggers, which rebuild it as the restore rewrites the tenant's people.
pub const KEPT: &[&str] = &[
    "public.reporting_chain",
    "public.audit_log",
    "public.audit_chain_heads",
    "public.security_events",
    "public.security_alert_settings",
    "public.legal_holds",
    "public.privacy_erasures",
    "public.retention_policy_overrides",
    "public.sessions",
    "public.background_jobs",
    "timeseries.invalidations",
    "timeseries.rollup_invalidations",
    "timeseries.membership_invalidations",
];

/// One tenant table as the restore writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantTable {
    /// `schema.table`, quoted where needed.
    pub name: String,
    /// Stored columns (generated ones are left to the table), quoted, in order.
    pub columns: Vec<String>,
    pub primary_key: Vec<String>,
    /// Columns written NULL at insert and set afterwards (the broken cycle references).
    pub deferred: Vec<String>,
    /// The tenant tables it references.
    pub parents: Vec<String>,
}

/// The tenant tables a restore rewrites (all but [`KEPT`]), parents first.
pub async fn tenant_tables(conn: &mut PgConnection) -> Result<Vec<TenantTable>> {
    tables_except(conn, KEPT).await
}

/// Every tenant table (what a tenant export holds, audit trail included), parents first.
pub async fn all_tenant_tables(conn: &mut PgConnection) -> Result<Vec<TenantTable>> {
    tables_except(conn, &[]).await
}

async fn tables_except(conn: &mut PgConnection, kept: &[&str]) -> Result<Vec<TenantTable>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence = 'p'
            AND n.nspname IN ('public', 'timeseries')
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                         AND a.attname = 'tenant_id' AND NOT a.attisdropped)
          ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let names: BTreeSet<String> = names
        .into_iter()
        .filter(|n| !kept.contains(&n.as_str()))
        .collect();
    let mut tables = BTreeMap::new();
    for name in &names {
        let columns: Vec<String> = sqlx::query_scalar(
            "SELECT quote_ident(attname) FROM pg_attribute
              WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
              ORDER BY attnum",
        )
        .bind(name)
        .fetch_all(&mut *conn)
        .await?;
        let primary_key: Vec<String> = sqlx::query_scalar(
            "SELECT quote_ident(a.attname) FROM pg_constraint k
               CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
              WHERE k.conrelid = $1::regclass AND k.contype = 'p' ORDER BY u.ord",
        )
        .bind(name)
        .fetch_all(&mut *conn)
        .await?;
        tables.insert(
            name.clone(),
            TenantTable {
                name: name.clone(),
                columns,
                primary_key,
                deferred: Vec::new(),
                parents: Vec::new(),
            },
        );
    }
    // Foreign keys between tenant tables: (child, parent, child's non-tenant columns, all nullable).
    let edges: Vec<(String, String, Vec<String>, bool)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text,
                coalesce(array_agg(quote_ident(a.attname) ORDER BY a.attnum) FILTER (WHERE a.attname <> 'tenant_id'), '{}'),
                bool_and(NOT a.attnotnull OR a.attname = 'tenant_id')
           FROM pg_constraint c
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
          WHERE c.contype = 'f' AND c.conparentid = 0 AND c.conrelid <> c.confrelid
          GROUP BY c.oid, c.conrelid, c.confrelid",
    )
    .fetch_all(&mut *conn)
    .await?;
    let qualify = |n: &str| {
        if n.contains('.') {
            n.to_string()
        } else {
            format!("public.{n}")
        }
    };
    let mut deps: BTreeMap<String, Vec<(String, Vec<String>, bool)>> = BTreeMap::new();
    for (child, parent, cols, nullable) in edges {
        let (child, parent) = (qualify(&child), qualify(&parent));
        if tables.contains_key(&child) && tables.contains_key(&parent) {
            if let Some(t) = tables.get_mut(&child)
                && !t.parents.contains(&parent)
            {
                t.parents.push(parent.clone());
            }
            deps.entry(child)
                .or_default()
                .push((parent, cols, nullable));
        }
    }
    order(tables, deps)
}

type Deps = BTreeMap<String, Vec<(String, Vec<String>, bool)>>;

/// Kahn's algorithm; when only cycles are left, defers one nullable reference and goes on.
fn order(mut tables: BTreeMap<String, TenantTable>, mut deps: Deps) -> Result<Vec<TenantTable>> {
    let mut out = Vec::new();
    let mut done: BTreeSet<String> = BTreeSet::new();
    while !tables.is_empty() {
        let ready: Vec<String> = tables
            .keys()
            .filter(|t| {
                deps.get(*t)
                    .is_none_or(|ps| ps.iter().all(|(p, _, _)| done.contains(p)))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            // Break a cycle at a nullable reference of a waiting table.
            let pick = tables.keys().find_map(|t| {
                deps.get(t)?
                    .iter()
                    .position(|(p, _, nullable)| *nullable && !done.contains(p))
                    .map(|i| (t.clone(), i))
            });
            let Some((t, i)) = pick else {
                return Err(BackupError::Check(format!(
                    "the foreign keys between {} form a cycle with no nullable reference to break; a tenant restore cannot order them",
                    tables.keys().cloned().collect::<Vec<_>>().join(", ")
                )));
            };
            let (_, cols, _) = deps
                .get_mut(&t)
                .map(|v| v.remove(i))
                .ok_or_else(|| BackupError::Check("cycle".into()))?;
            if let Some(table) = tables.get_mut(&t) {
                for c in cols {
                    if !table.deferred.contains(&c) {
                        table.deferred.push(c);
                    }
                }
            }
            continue;
        }
        for t in ready {
            if let Some(table) = tables.remove(&t) {
                out.push(table);
            }
            done.insert(t);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str) -> (String, TenantTable) {
        (
            name.to_string(),
            TenantTable {
                name: name.into(),
                columns: vec![],
                primary_key: vec![],
                deferred: vec![],
                parents: vec![],
            },
        )
    }

    #[test]
    fn orders_parents_first_and_breaks_cycles_at_nullable_references() {
        let tables: BTreeMap<_, _> = [t("users"), t("departments"), t("goals")]
            .into_iter()
            .collect();
        let mut deps: Deps = BTreeMap::new();
        deps.insert(
            "users".into(),
            vec![("departments".into(), vec!["department_id".into()], true)],
        );
        deps.insert(
            "departments".into(),
            vec![("users".into(), vec!["head_id".into()], true)],
        );
        deps.insert(
            "goals".into(),
            vec![("users".into(), vec!["owner_id".into()], false)],
        );
        let out = order(tables, deps).unwrap();
        let names: Vec<&str> = out.iter().map(|t| t.name.as_str()).collect();
        let pos = |n| names.iter().position(|x| *x == n).unwrap();
        assert!(pos("users") < pos("goals"));
        let deferred: usize = out.iter().map(|t| t.deferred.len()).sum();
        assert_eq!(deferred, 1);
        // A cycle of NOT NULL references cannot be ordered.
        let tables: BTreeMap<_, _> = [t("a"), t("b")].into_iter().collect();
        let mut deps: Deps = BTreeMap::new();
        deps.insert("a".into(), vec![("b".into(), vec!["b_id".into()], false)]);
        deps.insert("b".into(), vec![("a".into(), vec!["a_id".into()], false)]);
        assert!(order(tables, deps).is_err());
    }
}
