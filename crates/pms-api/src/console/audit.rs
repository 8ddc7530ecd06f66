//! Audit and security: the tenant's security events with filters, suspicious-activity
//! findings, the history of an entity or a person, and the audit chain's verification. All of
//! it is read in the viewer's own tenant transaction; a platform operator additionally sees,
//! per tenant and through the audited operations path, only counts and the chains' verdicts.

use super::layout::{self, badge, unavailable};
use super::ops;
use super::session::{Scope, Viewer};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use pms_audit::{AuditEntry, ChainStatus, Finding, SecurityEvent};
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use serde::Deserialize;
use uuid::Uuid;

const TYPES: [&str; 8] = [
    "LOGIN_SUCCESS",
    "LOGIN_FAILURE",
    "LOGOUT",
    "PASSWORD_CHANGE",
    "PERMISSION_DENIED",
    "ROLE_CHANGE",
    "DATA_EXPORT",
    "SENSITIVE_READ",
];
const SEVERITIES: [&str; 5] = ["INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"];

#[derive(Deserialize, Default)]
pub(crate) struct Filters {
    #[serde(default)]
    event_type: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    entity_type: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    person: String,
}

struct Checked {
    event_type: Option<&'static str>,
    severity: Option<&'static str>,
    days: i32,
    entity: Option<(String, Uuid)>,
    person: Option<String>,
}

fn check(f: &Filters) -> Result<Checked, Vec<String>> {
    let mut problems = Vec::new();
    let pick = |v: &str, list: &[&'static str]| list.iter().copied().find(|x| *x == v);
    let event_type = match f.event_type.as_str() {
        "" => None,
        v => pick(v, &TYPES).or_else(|| {
            problems.push(format!("unknown event type {v:?}"));
            None
        }),
    };
    let severity = match f.severity.as_str() {
        "" => None,
        v => pick(v, &SEVERITIES).or_else(|| {
            problems.push(format!("unknown severity {v:?}"));
            None
        }),
    };
    let days = match f.days.trim() {
        "" => 7,
        v => match v.parse::<i32>() {
            Ok(n) if (1..=365).contains(&n) => n,
            _ => {
                problems.push(format!(
                    "days must be a whole number from 1 to 365, not {v:?}"
                ));
                7
            }
        },
    };
    let entity = match (f.entity_type.trim(), f.entity_id.trim()) {
        ("", "") => None,
        (t, id) => match Uuid::try_parse(id) {
            Ok(u) if !t.is_empty() => Some((t.to_string(), u)),
            _ => {
                problems.push("an entity's history needs its type (e.g. PerformanceReview) and its id (a UUID)".into());
                None
            }
        },
    };
    let person = Some(f.person.trim().to_string()).filter(|p| !p.is_empty());
    if problems.is_empty() {
        Ok(Checked {
            event_type,
            severity,
            days,
            entity,
            person,
        })
    } else {
        Err(problems)
    }
}

struct Own {
    events: Result<Vec<SecurityEvent>, String>,
    findings: Result<Vec<Finding>, String>,
    chain: Result<Vec<ChainStatus>, String>,
    entity: Option<Result<Vec<AuditEntry>, String>>,
    person: Option<Result<Vec<AuditEntry>, String>>,
}

fn db_err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

async fn own(state: &AppState, viewer: &Viewer, c: &Checked) -> Result<Own, String> {
    let tenant = viewer.auth.tenant;
    let mut tx = TenantTx::begin(state.pool(), tenant, Some(viewer.auth.user))
        .await
        .map_err(db_err)?;
    let events = pms_audit::history::tenant_events(&mut tx, tenant, c.days, 500)
        .await
        .map(|all| {
            all.into_iter()
                .filter(|e| c.event_type.is_none_or(|t| e.event_type == t))
                .filter(|e| c.severity.is_none_or(|s| e.severity == s))
                .take(100)
                .collect()
        })
        .map_err(db_err);
    let findings =
        pms_audit::suspicious::detect(&mut tx, tenant, c.days.saturating_mul(24).min(8760))
            .await
            .map_err(db_err);
    let chain = pms_audit::chain::verify(&mut tx, tenant)
        .await
        .map_err(db_err);
    // A failed read aborts the transaction; each lookup that may fail on bad input gets a
    // savepoint so that the others still answer.
    let mut entity = None;
    if let Some((t, id)) = &c.entity {
        entity = Some(
            savepoint(&mut tx, async |conn| {
                pms_audit::history::entity_history(conn, t, *id, 100).await
            })
            .await,
        );
    }
    let mut person = None;
    if let Some(p) = &c.person {
        let who: Result<Option<Uuid>, String> = match Uuid::try_parse(p) {
            Ok(u) => Ok(Some(u)),
            Err(_) => sqlx::query_scalar("SELECT id FROM users WHERE email = lower($1)")
                .bind(p)
                .fetch_optional(&mut **tx)
                .await
                .map_err(db_err),
        };
        person = Some(match who {
            Err(e) => Err(e),
            Ok(None) => Err(format!("no person {p:?} in this organisation")),
            Ok(Some(u)) => {
                savepoint(&mut tx, async |conn| {
                    pms_audit::history::user_history(conn, UserId(u), c.days, 100).await
                })
                .await
            }
        });
    }
    Ok(Own {
        events,
        findings,
        chain,
        entity,
        person,
    })
}

async fn savepoint<T>(
    tx: &mut TenantTx,
    op: impl AsyncFnOnce(&mut sqlx::PgConnection) -> Result<T, pms_audit::AuditError>,
) -> Result<T, String> {
    sqlx::query("SAVEPOINT console_lookup")
        .execute(&mut ***tx)
        .await
        .map_err(db_err)?;
    let r = op(&mut ***tx).await;
    let undo = if r.is_ok() {
        "RELEASE SAVEPOINT console_lookup"
    } else {
        "ROLLBACK TO SAVEPOINT console_lookup"
    };
    sqlx::query(undo)
        .execute(&mut ***tx)
        .await
        .map_err(db_err)?;
    r.map_err(db_err)
}

/// Per tenant: events by severity in the window, the chain's verdict, findings (counts only).
struct TenantSummary {
    slug: String,
    events: i64,
    high: i64,
    chain_ok: Option<bool>,
    findings: Option<usize>,
}

async fn platform_summary(o: &ops::Operations, days: i32) -> Result<Vec<TenantSummary>, String> {
    let mut tx = o.read().await.map_err(db_err)?;
    let rows: Vec<(Uuid, String, i64, i64)> = sqlx::query_as(
        "SELECT t.id, t.slug,
                (SELECT count(*) FROM security_events e WHERE e.tenant_id = t.id AND e.occurred_at > now() - make_interval(days => $1)),
                (SELECT count(*) FROM security_events e WHERE e.tenant_id = t.id AND e.occurred_at > now() - make_interval(days => $1)
                    AND e.severity IN ('HIGH', 'CRITICAL'))
           FROM tenants t WHERE t.deleted_at IS NULL ORDER BY t.slug",
    )
    .bind(days)
    .fetch_all(&mut *tx)
    .await
    .map_err(db_err)?;
    let mut out = Vec::new();
    for (id, slug, events, high) in rows {
        let chain = pms_audit::chain::verify(&mut tx, TenantId(id)).await.ok();
        let findings = pms_audit::suspicious::detect(&mut tx, TenantId(id), 24)
            .await
            .ok();
        out.push(TenantSummary {
            slug,
            events,
            high,
            chain_ok: chain.map(|c| c.iter().all(|s| s.ok)),
            findings: findings.map(|f| f.len()),
        });
    }
    Ok(out)
}

/// `GET /console/audit`.
pub(crate) async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(f): Query<Filters>,
) -> Response {
    let checked = check(&f);
    let platform = if viewer.scope == Scope::Platform {
        match ops::audited(&state, &viewer, "audit").await {
            Err(e) => return e.into_response(),
            Ok(None) => Some(Err(ops::NO_OPERATIONS.to_string())),
            Ok(Some(o)) => {
                let days = checked.as_ref().map(|c| c.days).unwrap_or(7);
                Some(platform_summary(o, days).await)
            }
        }
    } else {
        None
    };
    let own = match &checked {
        Ok(c) => Some(own(&state, &viewer, c).await),
        Err(_) => None,
    };
    let status = if checked.is_err() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let body = html! {
        (filters_form(&f))
        @if let Err(problems) = &checked {
            div class="problem" role="alert" id="filter-problems" {
                p { strong { "These filters cannot be used:" } }
                ul { @for p in problems { li { (p) } } }
            }
        }
        @if let Some(p) = &platform {
            h2 { "Every tenant" }
            p class="note" { "Counts and verdicts only; a tenant's events and history are for its own administrators." }
            @match p {
                Err(why) => { (unavailable("The tenants' summary", why)) }
                Ok(rows) => {
                    div class="scroll" { table id="tenants-summary" {
                        thead { tr { th scope="col" { "Tenant" } th scope="col" class="num" { "Events" } th scope="col" class="num" { "High or critical" }
                            th scope="col" { "Audit chain" } th scope="col" class="num" { "Findings (24 h)" } } }
                        tbody { @for r in rows { tr {
                            th scope="row" { (r.slug) } td class="num" { (r.events) } td class="num" { (r.high) }
                            td { @match r.chain_ok { Some(true) => { (badge("ok")) } Some(false) => { (badge("failing")) } None => { (badge("unavailable")) } } }
                            td class="num" { @match r.findings { Some(n) => { (n) } None => { "—" } } }
                        } } }
                    } }
                }
            }
        }
        @match own {
            None => {}
            Some(Err(why)) => { (unavailable("This organisation's audit trail", &why)) }
            Some(Ok(o)) => { (own_sections(&o, viewer.scope)) }
        }
    };
    (
        status,
        layout::page(&viewer, "/console/audit", "Audit and security", body),
    )
        .into_response()
}

fn filters_form(f: &Filters) -> Markup {
    html! {
        form class="filters" method="get" action="/console/audit" {
            div { label for="event_type" { "Event type" }
                select id="event_type" name="event_type" {
                    option value="" { "any" }
                    @for t in TYPES { option value=(t) selected[f.event_type == t] { (t) } }
                } }
            div { label for="severity" { "Severity" }
                select id="severity" name="severity" {
                    option value="" { "any" }
                    @for s in SEVERITIES { option value=(s) selected[f.severity == s] { (s) } }
                } }
            div { label for="days" { "Days" } input id="days" name="days" type="number" min="1" max="365" value=(f.days) placeholder="7"; }
            div { label for="entity_type" { "Entity type" } input id="entity_type" name="entity_type" type="text" value=(f.entity_type) placeholder="PerformanceReview"; }
            div { label for="entity_id" { "Entity id" } input id="entity_id" name="entity_id" type="text" value=(f.entity_id); }
            div { label for="person" { "Person (email or id)" } input id="person" name="person" type="text" value=(f.person); }
            div { button type="submit" { "Show" } }
        }
    }
}

fn history(title: &str, id: &str, r: &Result<Vec<AuditEntry>, String>) -> Markup {
    html! {
        h2 { (title) }
        @match r {
            Err(why) => { (unavailable(title, why)) }
            Ok(rows) if rows.is_empty() => { p class="note" { "No change recorded." } }
            Ok(rows) => {
                div class="scroll" { table id=(id) {
                    thead { tr { th scope="col" { "When" } th scope="col" { "Entity" } th scope="col" { "Operation" } th scope="col" { "Changes" } } }
                    tbody { @for e in rows { tr {
                        td { (layout::when(e.occurred_at)) } td { (e.entity_type) } td { (e.operation) }
                        td { (e.changes.to_string().chars().take(300).collect::<String>()) }
                    } } }
                } }
            }
        }
    }
}

fn own_sections(o: &Own, scope: Scope) -> Markup {
    let whose = if scope == Scope::Platform {
        "the platform's own organisation"
    } else {
        "this organisation"
    };
    html! {
        h2 { "Audit chain" }
        @match &o.chain {
            Err(why) => { (unavailable("The chain's verification", why)) }
            Ok(streams) => {
                ul class="figures" id="chain" {
                    @for s in streams { li {
                        (s.stream) " " (badge(if s.ok { "ok" } else { "failing" }))
                        span class="v" { (s.entries) " entries" }
                        @if let Some(p) = &s.problem { span { (p) } }
                    } }
                }
            }
        }
        h2 { "Suspicious activity" }
        @match &o.findings {
            Err(why) => { (unavailable("The findings", why)) }
            Ok(f) if f.is_empty() => { p id="findings-none" { "No suspicious activity in " (whose) " in this window." } }
            Ok(f) => {
                div class="scroll" { table id="findings" {
                    thead { tr { th scope="col" { "Pattern" } th scope="col" { "Severity" } th scope="col" { "Account" } th scope="col" class="num" { "Occurrences" } th scope="col" { "Last seen" } } }
                    tbody { @for x in f { tr {
                        td { (x.pattern) } td { (x.severity) } td { (x.account.clone().unwrap_or_default()) }
                        td class="num" { (x.occurrences) } td { (layout::opt_when(x.last_seen)) }
                    } } }
                } }
            }
        }
        @if let Some(r) = &o.entity { (history("Entity history", "entity-history", r)) }
        @if let Some(r) = &o.person { (history("Person history", "person-history", r)) }
        h2 { "Security events of " (whose) }
        @match &o.events {
            Err(why) => { (unavailable("The security events", why)) }
            Ok(ev) if ev.is_empty() => { p class="note" { "No event matches." } }
            Ok(ev) => {
                div class="scroll" { table id="events" {
                    caption class="note" { (ev.len()) " events, newest first (at most 100)" }
                    thead { tr { th scope="col" { "When" } th scope="col" { "Type" } th scope="col" { "Severity" } th scope="col" { "Account" }
                        th scope="col" { "Address" } th scope="col" { "Resource" } th scope="col" { "Details" } } }
                    tbody { @for e in ev { tr class="event" data-type=(e.event_type) {
                        td { (layout::when(e.occurred_at)) } td { (e.event_type) } td { (e.severity) }
                        td { (e.account.clone().unwrap_or_default()) } td { (e.ip_address.clone().unwrap_or_default()) }
                        td { (e.resource_type.clone().unwrap_or_default()) }
                        td { (e.details.to_string().chars().take(200).collect::<String>()) }
                    } } }
                } }
            }
        }
    }
}
