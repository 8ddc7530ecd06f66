//! `pms backup restore-tenant`: one tenant back to a point in time, the others untouched. The
//! backup is restored into a scratch cluster at that time; then, in ONE transaction on the
//! live database, that tenant's rows are deleted from every tenant table (children first) and
//! its rows as of the time are copied in from the scratch cluster (parents first, binary COPY
//! into a temporary table, then INSERT, so every trigger runs: the audit trail records each
//! deleted and re-inserted row of the audited tables under the request id
//! `backup.restore-tenant`). Rows of other tenants are never read or written. `--dry-run` does
//! the same comparison and writes nothing.

use crate::config::BackupConfig;
use crate::error::{BackupError, Result};
use crate::pgbackrest::PgBackRest;
use crate::restore::{RestoreTo, choose_set, target_time};
use crate::scratch::{RecoveryTarget, RestoreRequest, Restored, free_port};
use crate::server::PgServer;
use crate::tenant_tables::{TenantTable, tenant_tables};
use futures::StreamExt as _;
use sqlx::{Connection, Executor, PgConnection};
use time::OffsetDateTime;
use uuid::Uuid;

/// What changes (or changed) in one table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableChange {
    pub table: String,
    pub live_rows: i64,
    pub restored_rows: i64,
    /// Live rows with no identical row at the time (deleted or changed since).
    pub rows_removed: i64,
    /// Rows at the time with no identical live row (to come back).
    pub rows_added: i64,
}

/// The outcome of a tenant restore.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TenantRestoreReport {
    pub tenant: Uuid,
    pub backup_label: String,
    pub recovery_point: String,
    /// Tables whose rows differ; unchanged tables are left out.
    pub changes: Vec<TableChange>,
    pub tables_compared: usize,
    pub applied: bool,
}

/// Restores tenant `tenant` to `at` (or only reports, with `dry_run`).
pub async fn restore_tenant(
    cfg: &BackupConfig,
    server: &PgServer,
    tenant: Uuid,
    at: OffsetDateTime,
    dry_run: bool,
    now: OffsetDateTime,
) -> Result<TenantRestoreReport> {
    if !cfg.conf_file().is_file() {
        return Err(BackupError::NotInitialised(cfg.data_dir.clone()));
    }
    let mut live = PgConnection::connect(&server.admin_url).await?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1)")
        .bind(tenant)
        .fetch_one(&mut live)
        .await?;
    if !exists {
        return Err(BackupError::Invalid(format!("there is no tenant {tenant}")));
    }
    // Going back must not bring back a person erased since.
    let erased: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM privacy_erasures WHERE tenant_id = $1 AND started_at > $2",
    )
    .bind(tenant)
    .bind(at)
    .fetch_one(&mut live)
    .await?;
    if erased > 0 {
        return Err(BackupError::Invalid(format!(
            "{erased} person(s) of tenant {tenant} were erased after {at}; restoring to before the erasure would bring their data back (restore to a later time, or erase them again right after)"
        )));
    }
    let sets = PgBackRest::new(cfg, server).backups()?;
    let set = choose_set(&sets, 1, &RestoreTo::Time(at), now)?;
    crate::restore::mark_time(cfg, server).await;
    let scratch = Restored::restore(
        cfg,
        server,
        &RestoreRequest {
            root: cfg
                .dir()
                .join("tenant-restores")
                .join(&Uuid::new_v4().simple().to_string()[..8]),
            port: free_port()?,
            repo: 1,
            set: Some(set.label.clone()),
            target: RecoveryTarget::Time(target_time(at)),
            scratch: true,
            in_place: false,
        },
    )?;
    scratch.start().await?;
    let recovery_point = scratch.recovery_point();
    let mut old =
        PgConnection::connect(&scratch.admin_url(&crate::verify::database_name(&server.admin_url)))
            .await?;
    let tables = tenant_tables(&mut live).await?;
    let then = tenant_tables(&mut old).await?;
    for t in &tables {
        match then.iter().find(|o| o.name == t.name) {
            Some(o) if o.columns == t.columns => {}
            _ => {
                return Err(BackupError::Invalid(format!(
                    "table {} has changed shape since {at} (a migration ran in between); a tenant restore across a schema change is not supported",
                    t.name
                )));
            }
        }
    }
    live.execute(crate::manifest::STABLE_TEXT).await?;
    live.execute("BEGIN").await?;
    let result = swap(&mut live, &mut old, &tables, tenant, at, dry_run).await;
    match result {
        Ok(changes) if !dry_run => {
            live.execute("COMMIT").await?;
            tracing::info!(%tenant, tables = changes.len(), "tenant restored");
            Ok(report(
                tenant,
                set.label,
                recovery_point,
                changes,
                tables.len(),
                true,
            ))
        }
        Ok(changes) => {
            live.execute("ROLLBACK").await?;
            Ok(report(
                tenant,
                set.label,
                recovery_point,
                changes,
                tables.len(),
                false,
            ))
        }
        Err(e) => {
            let _ = live.execute("ROLLBACK").await;
            Err(e)
        }
    }
}

fn report(
    tenant: Uuid,
    backup_label: String,
    recovery_point: String,
    changes: Vec<TableChange>,
    tables_compared: usize,
    applied: bool,
) -> TenantRestoreReport {
    TenantRestoreReport {
        tenant,
        backup_label,
        recovery_point,
        changes,
        tables_compared,
        applied,
    }
}

async fn swap(
    live: &mut PgConnection,
    old: &mut PgConnection,
    tables: &[TenantTable],
    tenant: Uuid,
    at: OffsetDateTime,
    dry_run: bool,
) -> Result<Vec<TableChange>> {
    sqlx::query(
        "SELECT set_config('app.tenant_id', $1, true), set_config('app.request_id', $2, true)",
    )
    .bind(tenant.to_string())
    .bind(format!("backup.restore-tenant to {at}"))
    .execute(&mut *live)
    .await?;
    let mut changes = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let cols = t.columns.join(", ");
        let tmp = format!("pms_restore_{i}");
        live.execute(sqlx::AssertSqlSafe(format!(
            "CREATE TEMP TABLE {tmp} ON COMMIT DROP AS SELECT {cols} FROM {} WITH NO DATA",
            t.name
        )))
        .await?;
        let mut out = old
            .copy_out_raw(&format!(
                "COPY (SELECT {cols} FROM {} WHERE tenant_id = '{tenant}') TO STDOUT WITH (FORMAT binary)",
                t.name
            ))
            .await?;
        let mut input = live
            .copy_in_raw(&format!(
                "COPY {tmp} ({cols}) FROM STDIN WITH (FORMAT binary)"
            ))
            .await?;
        while let Some(chunk) = out.next().await {
            match chunk {
                Ok(c) => {
                    input.send(c).await?;
                }
                Err(e) => {
                    let _ = input.abort("reading the scratch cluster failed").await;
                    return Err(e.into());
                }
            }
        }
        drop(out);
        input.finish().await?;
        let row = |src: &str| format!("SELECT md5(ROW({cols})::text) FROM {src}");
        let live_src = format!("{} WHERE tenant_id = '{tenant}'", t.name);
        let (live_rows, restored_rows, removed, added): (i64, i64, i64, i64) =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT (SELECT count(*) FROM {live_src}), (SELECT count(*) FROM {tmp}),
                    (SELECT count(*) FROM ({} EXCEPT ALL {}) d),
                    (SELECT count(*) FROM ({} EXCEPT ALL {}) d)",
                row(&live_src),
                row(&tmp),
                row(&tmp),
                row(&live_src)
            )))
            .fetch_one(&mut *live)
            .await?;
        if removed > 0 || added > 0 {
            changes.push(TableChange {
                table: t.name.clone(),
                live_rows,
                restored_rows,
                rows_removed: removed,
                rows_added: added,
            });
        }
    }
    if dry_run {
        return Ok(changes);
    }
    // A changed table is rewritten whole (for this tenant). Deleting its rows cascades into (or
    // nulls) the rows that reference them, so every table that references a rewritten one is
    // rewritten too; the others are left alone.
    let mut rewritten: std::collections::BTreeSet<&str> =
        changes.iter().map(|c| c.table.as_str()).collect();
    loop {
        let more: Vec<&str> = tables
            .iter()
            .filter(|t| !rewritten.contains(t.name.as_str()))
            .filter(|t| t.parents.iter().any(|p| rewritten.contains(p.as_str())))
            .map(|t| t.name.as_str())
            .collect();
        if more.is_empty() {
            break;
        }
        rewritten.extend(more);
    }
    let rewrite: Vec<(usize, &TenantTable)> = tables
        .iter()
        .enumerate()
        .filter(|(_, t)| rewritten.contains(t.name.as_str()))
        .collect();
    for (_, t) in rewrite.iter().rev() {
        live.execute(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {} WHERE tenant_id = '{tenant}'",
            t.name
        )))
        .await?;
    }
    for (i, t) in &rewrite {
        let values: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                if t.deferred.contains(c) {
                    "NULL".to_string()
                } else {
                    c.clone()
                }
            })
            .collect();
        live.execute(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {} ({}) SELECT {} FROM pms_restore_{i}",
            t.name,
            t.columns.join(", "),
            values.join(", ")
        )))
        .await?;
    }
    for (i, t) in &rewrite {
        if t.deferred.is_empty() {
            continue;
        }
        let set: Vec<String> = t.deferred.iter().map(|c| format!("{c} = s.{c}")).collect();
        let on: Vec<String> = t
            .primary_key
            .iter()
            .map(|c| format!("d.{c} = s.{c}"))
            .collect();
        if on.is_empty() {
            return Err(BackupError::Check(format!(
                "table {} has no primary key to fill in its deferred references",
                t.name
            )));
        }
        live.execute(sqlx::AssertSqlSafe(format!(
            "UPDATE {} d SET {} FROM pms_restore_{i} s WHERE {} AND ({}) IS DISTINCT FROM ({})",
            t.name,
            set.join(", "),
            on.join(" AND "),
            t.deferred
                .iter()
                .map(|c| format!("d.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
            t.deferred
                .iter()
                .map(|c| format!("s.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        )))
        .await?;
    }
    Ok(changes)
}
