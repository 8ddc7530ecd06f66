//! The overview: every tier's health and the alerts firing now (a tier's own, a broken audit
//! chain, suspicious activity). A tier that cannot be read is shown failing with its reason.

use super::layout::{self, badge};
use super::ops;
use super::session::{Scope, Viewer};
use super::tiers::{self, Health};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use pms_core::TenantId;
use pms_db::TenantTx;

/// A firing alert: its name, where it comes from and what it says.
pub(crate) struct Alert {
    pub name: String,
    pub source: String,
    pub message: String,
}

/// Broken chains and suspicious findings: of every tenant (platform, by slug, counts only),
/// or of the viewer's own tenant.
async fn audit_alerts(
    state: &AppState,
    ops: Option<&ops::Operations>,
    viewer: &Viewer,
) -> Vec<Alert> {
    let mut out = Vec::new();
    let tenants: Vec<(TenantId, String)> = match (viewer.scope, ops) {
        (Scope::Platform, Some(o)) => sqlx::query_as::<_, (uuid::Uuid, String)>(
            "SELECT id, slug FROM tenants WHERE deleted_at IS NULL ORDER BY slug",
        )
        .fetch_all(&o.pool)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(id, s)| (TenantId(id), s))
        .collect(),
        _ => vec![(viewer.auth.tenant, "this organisation".into())],
    };
    for (tenant, label) in tenants {
        let result = match (viewer.scope, ops) {
            (Scope::Platform, Some(o)) => match o.read().await {
                Ok(mut tx) => checks(&mut tx, tenant).await,
                Err(e) => Err(e.to_string()),
            },
            _ => match TenantTx::begin(state.pool(), tenant, Some(viewer.auth.user)).await {
                Ok(mut tx) => checks(&mut tx, tenant).await,
                Err(e) => Err(e.to_string()),
            },
        };
        match result {
            Ok((chain, found)) => {
                for c in chain.iter().filter(|c| !c.ok) {
                    out.push(Alert {
                        name: "PmsAuditChainBroken".into(),
                        source: format!("audit chain of {label}"),
                        message: format!(
                            "stream {} broken at entry {}: {}",
                            c.stream,
                            c.broken_seq.unwrap_or(0),
                            c.problem.clone().unwrap_or_default()
                        ),
                    });
                }
                if !found.is_empty() {
                    out.push(Alert {
                        name: "PmsSuspiciousActivity".into(),
                        source: format!("security events of {label}"),
                        message: format!(
                            "{} finding(s) in the last 24 h: {}",
                            found.len(),
                            found
                                .iter()
                                .map(|f| f.pattern.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                }
            }
            Err(e) => out.push(Alert {
                name: "PmsAuditCheckFailing".into(),
                source: format!("audit of {label}"),
                message: format!("the chain and findings could not be read: {e}"),
            }),
        }
    }
    out
}

type Checks = (Vec<pms_audit::ChainStatus>, Vec<pms_audit::Finding>);

/// Verifies the tenant's chain and looks for suspicious activity; reads only (the caller's
/// transaction is rolled back when dropped).
async fn checks(conn: &mut sqlx::PgConnection, tenant: TenantId) -> Result<Checks, String> {
    let chain = pms_audit::chain::verify(conn, tenant)
        .await
        .map_err(|e| e.to_string())?;
    let found = pms_audit::suspicious::detect(conn, tenant, 24)
        .await
        .map_err(|e| e.to_string())?;
    Ok((chain, found))
}

/// `GET /console`.
pub(crate) async fn page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let ops = match ops::audited(&state, &viewer, "overview").await {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    let tiers = tiers::all(&state, ops, viewer.scope, viewer.auth.tenant).await;
    let mut alerts: Vec<Alert> = tiers
        .iter()
        .filter(|t| matches!(t.health, Health::Warning | Health::Failing))
        .filter_map(|t| {
            t.alert.map(|a| Alert {
                name: a.into(),
                source: format!("{} tier", t.name),
                message: t.summary.clone(),
            })
        })
        .collect();
    // Verifying chains reads them whole: bounded like a tier, so a large platform's overview
    // still answers (the audit page and the worker's audit_chain_verify job go further).
    match tokio::time::timeout(
        std::time::Duration::from_secs(5),
        audit_alerts(&state, ops, &viewer),
    )
    .await
    {
        Ok(found) => alerts.extend(found),
        Err(_) => alerts.push(Alert {
            name: "PmsAuditCheckFailing".into(),
            source: "audit chains".into(),
            message: "not verified within 5 s here; see Audit and security, or the worker's audit_chain_verify job".into(),
        }),
    }
    let failing: Vec<&str> = tiers
        .iter()
        .filter(|t| t.health == Health::Failing)
        .map(|t| t.name)
        .collect();
    let body = html! {
        @if !failing.is_empty() {
            p class="problem" role="alert" id="failing" {
                strong { "Failing: " (failing.join(", ")) } ". The details are in the tier below; the other tiers are unaffected."
            }
        }
        h2 { "Tiers" }
        ul class="tiers" {
            @for t in &tiers {
                li class="tier" id={ "tier-" (t.name.to_lowercase()) } {
                    h3 { (t.name) (badge(t.health.as_str())) }
                    p { (t.summary) }
                }
            }
        }
        h2 { "Firing alerts" }
        @if alerts.is_empty() {
            p id="alerts-none" { "No alert is firing." }
        } @else {
            div class="scroll" { table id="alerts" {
                thead { tr { th scope="col" { "Alert" } th scope="col" { "Where" } th scope="col" { "What" } } }
                tbody { @for a in &alerts { tr { td { (a.name) } td { (a.source) } td { (a.message) } } } }
            } }
        }
        p class="note" { "Prometheus evaluates the same conditions from /metrics (deploy/prometheus/alerts.yml) and pages on them; this list is what holds at this moment." }
    };
    layout::page(&viewer, "/console", "Overview", body).into_response()
}
