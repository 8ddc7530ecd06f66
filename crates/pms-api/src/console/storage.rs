//! Storage and retention: `get_storage_statistics()` by entity and tier, the archival
//! candidates, legal holds and the last maintenance runs; for platform operators, the actions
//! "run maintenance now" and "verify the archive", each recorded as a security event before
//! its result is shown.

use super::layout::{self, unavailable};
use super::ops::{self, ACTION_RESOURCE, NO_OPERATIONS, Operations};
use super::session::{CsrfForm, Scope, Viewer, check_csrf, csrf_field, not_found};
use crate::state::AppState;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use pms_audit::events::{NewSecurityEvent, SecurityEventKind, Severity};
use pms_db::TenantTx;
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct StatRow {
    entity_type: String,
    table_name: String,
    tier: String,
    row_count: i64,
    bytes: Option<i64>,
    compressed_bytes: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Candidate {
    entity_type: String,
    tenant: String,
    action: String,
    row_count: i64,
    held: i64,
    oldest: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct Hold {
    tenant: String,
    scope: String,
    entity_type: Option<String>,
    reason: Option<String>,
    placed_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct Run {
    occurred_at: OffsetDateTime,
    action: Option<String>,
    outcome: Option<String>,
    summary: Option<String>,
}

struct Figures {
    stats: Result<Vec<StatRow>, String>,
    candidates: Result<Vec<Candidate>, String>,
    holds: Result<Vec<Hold>, String>,
    tiers_at: Option<OffsetDateTime>,
}

async fn read(conn: &mut PgConnection, platform: bool) -> Figures {
    let stats = sqlx::query_as::<_, StatRow>(
        "SELECT entity_type, table_name, tier, row_count, bytes, compressed_bytes FROM get_storage_statistics()
          ORDER BY entity_type, table_name, array_position(ARRAY['HOT','WARM','COLD','DUE','ARCHIVE','ARCHIVE_PENDING','TOTAL'], tier)",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| e.to_string());
    // A tenant sees its own rows; on-disk table sizes are the platform's, so they stay hidden.
    let stats = stats.map(|rows| {
        rows.into_iter()
            .map(|mut r| {
                if !platform && r.tier == "TOTAL" {
                    r.bytes = None;
                }
                r
            })
            .collect()
    });
    let candidates = sqlx::query_as::<_, Candidate>(
        "SELECT c.entity_type, coalesce(t.slug, c.tenant_id::text) AS tenant, c.action, c.row_count, c.held, c.oldest
           FROM get_archival_candidates() c LEFT JOIN tenants t ON t.id = c.tenant_id
          WHERE c.row_count + c.held > 0 ORDER BY 2, 1, 3",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| e.to_string());
    // Operators see that holds stand (and where), not why: the reason is the tenant's matter.
    let holds = sqlx::query_as::<_, Hold>(
        "SELECT t.slug AS tenant, h.scope, h.entity_type, CASE WHEN $1 THEN NULL ELSE h.reason END AS reason, h.placed_at
           FROM legal_holds h JOIN tenants t ON t.id = h.tenant_id
          WHERE h.released_at IS NULL ORDER BY h.placed_at DESC LIMIT 100",
    )
    .bind(platform)
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| e.to_string());
    let tiers_at = if platform {
        sqlx::query_scalar("SELECT max(computed_at) FROM storage_tier_state")
            .fetch_one(&mut *conn)
            .await
            .ok()
            .flatten()
    } else {
        None
    };
    Figures {
        stats,
        candidates,
        holds,
        tiers_at,
    }
}

/// The console's own maintenance runs and verifications, from the viewer's tenant's events.
async fn runs(state: &AppState, viewer: &Viewer) -> Result<Vec<Run>, String> {
    let mut tx = TenantTx::begin(state.pool(), viewer.auth.tenant, Some(viewer.auth.user))
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query_as::<_, Run>(
        "SELECT occurred_at, details->>'action' AS action, details->>'outcome' AS outcome, details->>'summary' AS summary
           FROM security_events WHERE resource_type = $1 AND event_type = 'SENSITIVE_READ'
          ORDER BY occurred_at DESC LIMIT 10",
    )
    .bind(ACTION_RESOURCE)
    .fetch_all(&mut **tx)
    .await
    .map_err(|e| e.to_string())
}

fn opt_bytes(b: Option<i64>) -> String {
    b.map(layout::bytes).unwrap_or_default()
}

/// `GET /console/storage`.
pub(crate) async fn page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let platform = viewer.scope == Scope::Platform;
    let figures = if platform {
        match ops::audited(&state, &viewer, "storage").await {
            Err(e) => return e.into_response(),
            Ok(None) => None,
            Ok(Some(o)) => match o.read().await {
                Ok(mut tx) => Some(read(&mut tx, true).await),
                Err(e) => return crate::error::ApiError::from(e).into_response(),
            },
        }
    } else {
        match TenantTx::begin(state.pool(), viewer.auth.tenant, Some(viewer.auth.user)).await {
            Ok(mut tx) => Some(read(&mut tx, false).await),
            Err(e) => return crate::error::ApiError::from(e).into_response(),
        }
    };
    let runs = runs(&state, &viewer).await;
    let body = html! {
        @if platform {
            h2 { "Actions" }
            p class="note" { "Each action is recorded in the audit trail under your name before its result is shown." }
            form class="inline" method="post" action="/console/storage/maintenance" {
                (csrf_field(&viewer.csrf))
                button type="submit" { "Run maintenance now" }
            }
            form class="inline" method="post" action="/console/storage/verify-archive" {
                (csrf_field(&viewer.csrf))
                button type="submit" { "Verify the archive" }
            }
        }
        @match figures {
            None => { (unavailable("Storage figures", NO_OPERATIONS)) }
            Some(f) => { (sections(&f, platform)) }
        }
        h2 { "Last maintenance runs" }
        @match &runs {
            Err(why) => { (unavailable("The runs", why)) }
            Ok(r) if r.is_empty() => { p class="note" id="runs-none" { "No run from this console yet." } }
            Ok(r) => {
                div class="scroll" { table id="runs" {
                    thead { tr { th scope="col" { "When" } th scope="col" { "Action" } th scope="col" { "Outcome" } th scope="col" { "Result" } } }
                    tbody { @for x in r { tr {
                        td { (layout::when(x.occurred_at)) }
                        td { (x.action.clone().unwrap_or_default()) }
                        td { (layout::badge(x.outcome.as_deref().unwrap_or("unavailable"))) }
                        td { (x.summary.clone().unwrap_or_default()) }
                    } } }
                } }
            }
        }
    };
    layout::page(&viewer, "/console/storage", "Storage and retention", body).into_response()
}

fn sections(f: &Figures, platform: bool) -> Markup {
    html! {
        h2 { "By entity and tier" }
        @if let Some(t) = f.tiers_at { p class="note" { "Tiers last computed " (layout::when(t)) " (by the daily maintenance pass)." } }
        @match &f.stats {
            Err(why) => { (unavailable("get_storage_statistics()", why)) }
            Ok(rows) => {
                div class="scroll" { table id="storage" {
                    thead { tr { th scope="col" { "Entity" } th scope="col" { "Table" } th scope="col" { "Tier" }
                        th scope="col" class="num" { "Rows" } th scope="col" class="num" { "Bytes" } th scope="col" class="num" { "Compressed" } } }
                    tbody { @for r in rows { tr data-entity=(r.entity_type) data-tier=(r.tier) {
                        td { (r.entity_type) } td { (r.table_name) } td { (r.tier) }
                        td class="num rows" { (r.row_count) }
                        td class="num" { (opt_bytes(r.bytes)) } td class="num" { (opt_bytes(r.compressed_bytes)) }
                    } } }
                } }
            }
        }
        h2 { "Archival candidates" }
        @match &f.candidates {
            Err(why) => { (unavailable("get_archival_candidates()", why)) }
            Ok(rows) if rows.is_empty() => { p class="note" { "Nothing is due for archiving or deletion." } }
            Ok(rows) => {
                div class="scroll" { table id="candidates" {
                    thead { tr { @if platform { th scope="col" { "Tenant" } } th scope="col" { "Entity" } th scope="col" { "Action" }
                        th scope="col" class="num" { "Rows" } th scope="col" class="num" { "Held" } th scope="col" { "Oldest" } } }
                    tbody { @for c in rows { tr {
                        @if platform { td { (c.tenant) } }
                        td { (c.entity_type) } td { (c.action) } td class="num" { (c.row_count) } td class="num" { (c.held) }
                        td { (layout::opt_when(c.oldest)) }
                    } } }
                } }
            }
        }
        h2 { "Legal holds" }
        @match &f.holds {
            Err(why) => { (unavailable("The legal holds", why)) }
            Ok(rows) if rows.is_empty() => { p class="note" { "No legal hold stands." } }
            Ok(rows) => {
                div class="scroll" { table id="holds" {
                    thead { tr { @if platform { th scope="col" { "Tenant" } } th scope="col" { "Scope" } th scope="col" { "Entity" }
                        @if !platform { th scope="col" { "Reason" } } th scope="col" { "Placed" } } }
                    tbody { @for h in rows { tr {
                        @if platform { td { (h.tenant) } }
                        td { (h.scope) } td { (h.entity_type.clone().unwrap_or_default()) }
                        @if !platform { td { (h.reason.clone().unwrap_or_default()) } }
                        td { (layout::when(h.placed_at)) }
                    } } }
                } }
            }
        }
    }
}

/// Records an action's outcome in the operator's tenant; returns an error page if it cannot.
async fn record_action(
    state: &AppState,
    viewer: &Viewer,
    action: &str,
    outcome: &str,
    summary: &str,
    details: serde_json::Value,
) -> Result<(), Response> {
    let mut e = NewSecurityEvent::new(SecurityEventKind::SensitiveRead);
    e.user = Some(viewer.auth.user);
    e.resource_type = Some(ACTION_RESOURCE.into());
    e.resource_id = Some(Uuid::now_v7());
    e.severity = Some(if outcome == "ok" {
        Severity::Medium
    } else {
        Severity::High
    });
    e.details = serde_json::json!({"action": action, "outcome": outcome, "summary": summary, "result": details});
    ops::record_event(state, viewer, &e)
        .await
        .map_err(IntoResponse::into_response)
}

async fn platform_ops<'a>(
    state: &'a AppState,
    viewer: &Viewer,
    csrf: Option<&str>,
    action: &str,
) -> Result<&'a Operations, Response> {
    if viewer.scope != Scope::Platform {
        return Err(not_found());
    }
    check_csrf(state, viewer, csrf, action).await?;
    state.operations().ok_or_else(|| {
        (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            layout::bare("Unavailable", unavailable("This action", NO_OPERATIONS)),
        )
            .into_response()
    })
}

/// `POST /console/storage/maintenance`: one `daily_data_maintenance()` pass, then the archiver
/// when an archive is configured (what the worker's daily job does).
pub(crate) async fn run_maintenance(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<CsrfForm>,
) -> Response {
    let o = match platform_ops(&state, &viewer, f.csrf.as_deref(), "run_maintenance").await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let result: Result<serde_json::Value, String> = async {
        let mut report: serde_json::Value = sqlx::query_scalar("SELECT daily_data_maintenance()")
            .fetch_one(&o.pool)
            .await
            .map_err(|e| format!("daily_data_maintenance(): {e}"))?;
        if let Some(cfg) = &o.archive {
            let archiver = pms_archive::Archiver::new(o.pool.clone(), cfg)
                .map_err(|e| format!("opening the archive store: {e}"))?;
            let archived = archiver
                .run(&|_| {})
                .await
                .map_err(|e| format!("archiving: {e}"))?;
            sqlx::query("SELECT update_storage_tiers()")
                .execute(&o.pool)
                .await
                .map_err(|e| format!("update_storage_tiers(): {e}"))?;
            report["archived"] = archived.archived_rows.into();
        }
        if let Some(m) = report.as_object_mut() {
            m.remove("archive_due");
        }
        Ok(report)
    }
    .await;
    let (outcome, summary, details) = match &result {
        Ok(r) => (
            "ok",
            format!(
                "{} expired rows deleted, {} archived, {} tier rows updated",
                r["expired_deleted"].as_i64().unwrap_or(0),
                r["archived"].as_i64().unwrap_or(0),
                r["tiers_updated"].as_i64().unwrap_or(0)
            ),
            r.clone(),
        ),
        Err(e) => ("failing", e.clone(), serde_json::Value::Null),
    };
    if let Err(r) = record_action(
        &state,
        &viewer,
        "run_maintenance",
        outcome,
        &summary,
        details,
    )
    .await
    {
        return r;
    }
    Redirect::to("/console/storage#runs").into_response()
}

/// `POST /console/storage/verify-archive`: every batch's object, checksum, rows and index.
pub(crate) async fn verify_archive(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<CsrfForm>,
) -> Response {
    let o = match platform_ops(&state, &viewer, f.csrf.as_deref(), "verify_archive").await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let result = async {
        let cfg = o
            .archive
            .as_ref()
            .ok_or("no archive store configured (PMS_ARCHIVE_URL)")?;
        let store = pms_archive::ArchiveStore::open(cfg)
            .map_err(|e| format!("opening the archive store: {e}"))?;
        pms_archive::verify::verify(&o.pool, &store, None)
            .await
            .map_err(|e| format!("verifying: {e}"))
    }
    .await;
    let (outcome, summary, details) = match &result {
        Ok(r) if r.problems.is_empty() => (
            "ok",
            format!(
                "{} batches, {} rows, {} objects: no problem",
                r.batches, r.rows, r.objects
            ),
            serde_json::json!({"batches": r.batches, "rows": r.rows, "objects": r.objects}),
        ),
        Ok(r) => (
            "failing",
            format!(
                "{} problem(s): {}",
                r.problems.len(),
                r.problems
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            serde_json::json!({"batches": r.batches, "problems": r.problems}),
        ),
        Err(e) => ("failing", e.to_string(), serde_json::Value::Null),
    };
    if let Err(r) = record_action(
        &state,
        &viewer,
        "verify_archive",
        outcome,
        &summary,
        details,
    )
    .await
    {
        return r;
    }
    Redirect::to("/console/storage#runs").into_response()
}
