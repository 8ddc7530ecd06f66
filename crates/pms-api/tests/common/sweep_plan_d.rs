//! The plan of the IDOR sweep (d) (`tests/idor_sweep_d.rs`): 360 feedback, reports (definitions,
//! schedules, runs, downloads), dashboards and widgets, compensation decisions, the id-less
//! endpoints with another tenant's ids in their filters and bodies (references to a foreign
//! person, department, cycle, questionnaire, competency, report or question), and every list
//! and `/me` read, checked for foreign ids in what it answers.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::sweep::{PLACEHOLDER, Req};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

/// The fewest requests the sweep may send (its binary asserts it).
pub const FLOOR: usize = 4000;

/// The kinds of record the sweep targets (each must get at least one target).
pub const KINDS: &[&str] = &[
    "questionnaire",
    "cycle360",
    "nomination",
    "request360",
    "question",
    "subject",
    "person",
    "review_cycle",
    "department",
    "competency",
    "definition",
    "schedule",
    "generated",
    "dashboard",
    "widget",
    "compensation",
    "reads",
];

pub const TABLES: &[&str] = &[
    "feedback_360_questionnaires",
    "feedback_360_questions",
    "feedback_360_cycles",
    "feedback_360_nominations",
    "feedback_360_requests",
    "feedback_360_responses",
    "feedback_360_aggregations",
    "feedback_360_gap_analyses",
    "report_definitions",
    "report_schedules",
    "generated_reports",
    "dashboards",
    "dashboard_widgets",
    "compensation_decisions",
    "performance_reviews",
    "users",
    "user_roles",
    "departments",
    "succession_plans",
    "calibration_sessions",
    "api_idempotency_keys",
];

/// The tables whose ids of the other tenant no answer may carry.
pub const FOREIGN_ID_TABLES: &[&str] = &[
    "users",
    "departments",
    "teams",
    "goals",
    "review_cycles",
    "performance_reviews",
    "competencies",
    "feedback",
    "feedback_360_questionnaires",
    "feedback_360_questions",
    "feedback_360_cycles",
    "feedback_360_nominations",
    "feedback_360_requests",
    "report_definitions",
    "report_schedules",
    "generated_reports",
    "dashboards",
    "dashboard_widgets",
    "compensation_decisions",
    "promotion_decisions",
    "one_on_ones",
    "performance_improvement_plans",
    "pip_templates",
    "development_plans",
    "career_paths",
    "notifications",
    "calibration_sessions",
    "succession_plans",
    "engagement_surveys",
    "ml_models",
    "legal_holds",
    "sessions",
];

/// The caller's own records that a request names next to the foreign one (a body's other
/// fields, the parent of a nested path).
pub struct Ctx {
    pub me: Uuid,
    /// A person of the caller's tenant.
    pub peer: Uuid,
    pub cycle360: Uuid,
    pub questionnaire: Uuid,
    /// A 360 request of the caller's (an open one if any).
    pub request360: Uuid,
    pub review_cycle: Uuid,
    pub dashboard: Uuid,
    pub widget: Uuid,
    pub definition: Uuid,
}

impl Ctx {
    pub fn placeholder() -> Self {
        Self {
            me: PLACEHOLDER,
            peer: PLACEHOLDER,
            cycle360: PLACEHOLDER,
            questionnaire: PLACEHOLDER,
            request360: PLACEHOLDER,
            review_cycle: PLACEHOLDER,
            dashboard: PLACEHOLDER,
            widget: PLACEHOLDER,
            definition: PLACEHOLDER,
        }
    }
}

/// The lists and reads that take no id: sent once by every caller, their answers checked for
/// foreign ids (and, inside the tenant, for ids the caller may not see).
pub const READS: &[&str] = &[
    "/api/v1/me",
    "/api/v1/me/dashboard",
    "/api/v1/me/pulse",
    "/api/v1/auth/sessions",
    "/api/v1/people?limit=200",
    "/api/v1/departments?limit=200",
    "/api/v1/teams?limit=200",
    "/api/v1/goals?limit=200",
    "/api/v1/review-cycles?limit=200",
    "/api/v1/reviews?limit=200",
    "/api/v1/team/reviews?limit=200",
    "/api/v1/feedback/given?limit=200",
    "/api/v1/feedback/received?limit=200",
    "/api/v1/feedback/received/anonymous?limit=200",
    "/api/v1/feedback/requests?limit=200",
    "/api/v1/one-on-ones?limit=200",
    "/api/v1/pips?limit=200",
    "/api/v1/pip-templates?limit=200",
    "/api/v1/development-plans?limit=200",
    "/api/v1/career-paths?limit=200",
    "/api/v1/notifications?limit=200",
    "/api/v1/notifications/preferences",
    "/api/v1/calibration/sessions?limit=200",
    "/api/v1/succession-plans?limit=200",
    "/api/v1/promotion-recommendations?limit=200",
    "/api/v1/promotion-decisions?limit=200",
    "/api/v1/surveys?limit=200",
    "/api/v1/engagement/scores?grain=tenant",
    "/api/v1/metrics/rollups?rollup=monthly&grain=tenant",
    "/api/v1/org-health",
    "/api/v1/org-health/departments",
    "/api/v1/ml/models",
    "/api/v1/feedback-360/questionnaires?limit=200",
    "/api/v1/feedback-360/cycles?limit=200",
    "/api/v1/feedback-360/requests?limit=200",
    "/api/v1/reports/definitions?limit=200",
    "/api/v1/reports/schedules?limit=200",
    "/api/v1/reports/generated?limit=200",
    "/api/v1/dashboards?limit=200",
    "/api/v1/compensation-decisions?limit=200",
    "/api/v1/admin/roles",
    "/api/v1/admin/legal-holds?limit=200",
    "/api/v1/admin/retention/overrides",
    "/api/v1/admin/security-events?limit=200",
    "/api/v1/admin/suspicious-activity",
];

/// The requests that name `id`, a record of `kind` (`parent` is its parent where the path
/// nests it; `c` the caller's own records).
pub fn requests(kind: &str, id: Uuid, parent: Uuid, c: &Ctx) -> Vec<Req> {
    let b = |v: serde_json::Value| Some(v);
    let f = |s: &str| format!("/api/v1/feedback-360{s}");
    let cycle360 = |q: Uuid, review_cycle: Option<Uuid>| {
        json!({"name": "pwned", "questionnaire_id": q, "review_cycle_id": review_cycle,
               "opens_on": "2026-09-01", "closes_on": "2026-09-30"})
    };
    let comp = |employee: Uuid, cycle: Option<Uuid>| {
        json!({"employee_id": employee, "cycle_id": cycle, "decision_type": "BONUS", "currency": "EUR",
               "proposed_amount": 1000, "effective_date": "2031-01-01"})
    };
    let invite = |department: Option<Uuid>, manager: Option<Uuid>| {
        json!({"email": format!("pwned.{}@demo.pms-platform.local", &id.to_string()[..8]),
               "first_name": "P", "last_name": "Wned", "department_id": department, "manager_id": manager})
    };
    match kind {
        "questionnaire" => vec![
            (Method::GET, f(&format!("/questionnaires/{id}")), None),
            (
                Method::POST,
                f(&format!("/questionnaires/{id}/transition")),
                b(json!({"status": "RETIRED"})),
            ),
            (Method::POST, f("/cycles"), b(cycle360(id, None))),
        ],
        "cycle360" => vec![
            (Method::GET, f(&format!("/cycles/{id}")), None),
            (
                Method::PATCH,
                f(&format!("/cycles/{id}")),
                b(json!({"name": "pwned"})),
            ),
            (
                Method::POST,
                f(&format!("/cycles/{id}/transition")),
                b(json!({"status": "CANCELLED"})),
            ),
            (
                Method::POST,
                f(&format!("/cycles/{id}/launch")),
                b(json!({})),
            ),
            (
                Method::POST,
                f(&format!("/cycles/{id}/close")),
                b(json!({})),
            ),
            (
                Method::POST,
                f(&format!("/cycles/{id}/aggregate")),
                b(json!({})),
            ),
            (Method::GET, f(&format!("/cycles/{id}/nominations")), None),
            (
                Method::POST,
                f(&format!("/cycles/{id}/nominations")),
                b(json!({"subject_id": c.me, "nominee_id": c.peer, "relationship": "PEER"})),
            ),
            (
                Method::GET,
                f(&format!("/cycles/{id}/reports/{}", c.me)),
                None,
            ),
            (Method::GET, f(&format!("/requests?cycle_id={id}")), None),
            (Method::GET, f(&format!("/cycles/{id}/reports")), None),
        ],
        "nomination" => vec![
            (Method::GET, f(&format!("/nominations/{id}")), None),
            (
                Method::POST,
                f(&format!("/nominations/{id}/approve")),
                b(json!({})),
            ),
            (
                Method::POST,
                f(&format!("/nominations/{id}/decline")),
                b(json!({})),
            ),
            (Method::DELETE, f(&format!("/nominations/{id}")), None),
        ],
        "request360" => vec![
            (Method::GET, f(&format!("/requests/{id}")), None),
            (
                Method::PUT,
                f(&format!("/requests/{id}/answers")),
                b(json!({"answers": []})),
            ),
            (
                Method::POST,
                f(&format!("/requests/{id}/submit")),
                b(json!({"answers": []})),
            ),
            (
                Method::POST,
                f(&format!("/requests/{id}/decline")),
                b(json!({})),
            ),
        ],
        // Another tenant's question in an answer to the caller's own request.
        "question" => vec![(
            Method::PUT,
            f(&format!("/requests/{}/answers", c.request360)),
            b(json!({"answers": [{"question_id": id, "rating": 3}]})),
        )],
        // A person the caller may not see (inside the tenant or outside it): their 360
        // report, their nominations and pay.
        "subject" => vec![
            (
                Method::GET,
                f(&format!("/cycles/{}/reports/{id}", c.cycle360)),
                None,
            ),
            (
                Method::GET,
                f(&format!(
                    "/cycles/{}/nominations?subject_id={id}",
                    c.cycle360
                )),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/compensation-decisions?employee_id={id}"),
                None,
            ),
            (
                Method::POST,
                "/api/v1/compensation-decisions".into(),
                b(comp(id, None)),
            ),
        ],
        // Another tenant's person as a reference in the body of a create or a change.
        "person" => vec![
            (
                Method::POST,
                f(&format!("/cycles/{}/nominations", c.cycle360)),
                b(json!({"subject_id": id, "nominee_id": c.me, "relationship": "PEER"})),
            ),
            (
                Method::POST,
                f(&format!("/cycles/{}/nominations", c.cycle360)),
                b(json!({"subject_id": c.me, "nominee_id": id, "relationship": "PEER"})),
            ),
            (
                Method::POST,
                "/api/v1/reviews".into(),
                b(json!({"cycle_id": c.review_cycle, "reviewee_id": id, "review_type": "MANAGER"})),
            ),
            (
                Method::POST,
                "/api/v1/reviews".into(),
                b(
                    json!({"cycle_id": c.review_cycle, "reviewee_id": c.peer, "reviewer_id": id, "review_type": "PEER"}),
                ),
            ),
            (
                Method::POST,
                "/api/v1/admin/users".into(),
                b(invite(None, Some(id))),
            ),
            (
                Method::PUT,
                format!("/api/v1/admin/users/{}/manager", c.peer),
                b(json!({"manager_id": id})),
            ),
            (
                Method::PATCH,
                format!("/api/v1/people/{}", c.peer),
                b(json!({"manager_id": id})),
            ),
            (
                Method::POST,
                "/api/v1/admin/departments".into(),
                b(json!({"code": "PWN", "name": "pwned", "head_id": id})),
            ),
            (
                Method::POST,
                "/api/v1/admin/teams".into(),
                b(json!({"code": "PWN", "name": "pwned", "lead_id": id})),
            ),
            (
                Method::POST,
                "/api/v1/succession-plans".into(),
                b(json!({"position_title": "pwned", "incumbent_id": id})),
            ),
            (
                Method::POST,
                "/api/v1/succession-plans".into(),
                b(json!({"position_title": "pwned", "owner_id": id})),
            ),
            (
                Method::POST,
                "/api/v1/calibration/sessions".into(),
                b(json!({"cycle_id": c.review_cycle, "name": "pwned", "facilitator_id": id})),
            ),
            (
                Method::POST,
                "/api/v1/one-on-ones".into(),
                b(
                    json!({"employee_id": c.peer, "manager_id": id, "scheduled_at": "2026-09-01T10:00:00Z"}),
                ),
            ),
            (
                Method::POST,
                "/api/v1/pips".into(),
                b(
                    json!({"employee_id": c.peer, "hr_partner_id": id, "reason": "x", "starts_on": "2026-08-10", "ends_on": "2026-10-01"}),
                ),
            ),
        ],
        "review_cycle" => vec![
            (
                Method::POST,
                "/api/v1/reviews".into(),
                b(json!({"cycle_id": id, "reviewee_id": c.peer, "review_type": "MANAGER"})),
            ),
            (
                Method::GET,
                format!("/api/v1/compensation-decisions?cycle_id={id}"),
                None,
            ),
            (
                Method::POST,
                "/api/v1/compensation-decisions".into(),
                b(comp(c.peer, Some(id))),
            ),
            (
                Method::POST,
                f("/cycles"),
                b(cycle360(c.questionnaire, Some(id))),
            ),
            (
                Method::POST,
                "/api/v1/promotion-recommendations".into(),
                b(json!({"user_id": c.peer, "cycle_id": id})),
            ),
        ],
        "department" => vec![
            (
                Method::POST,
                "/api/v1/admin/users".into(),
                b(invite(Some(id), None)),
            ),
            (
                Method::PUT,
                format!("/api/v1/admin/users/{}/department", c.peer),
                b(json!({"department_id": id})),
            ),
            (
                Method::PATCH,
                format!("/api/v1/people/{}", c.peer),
                b(json!({"department_id": id})),
            ),
            (
                Method::POST,
                "/api/v1/admin/departments".into(),
                b(json!({"code": "PWN", "name": "pwned", "parent_id": id})),
            ),
            (
                Method::POST,
                "/api/v1/succession-plans".into(),
                b(json!({"position_title": "pwned", "department_id": id})),
            ),
            (
                Method::POST,
                "/api/v1/calibration/sessions".into(),
                b(json!({"cycle_id": c.review_cycle, "name": "pwned", "department_id": id})),
            ),
            (
                Method::GET,
                format!(
                    "/api/v1/review-cycles/{}/calibration-grid?department_id={id}",
                    c.review_cycle
                ),
                None,
            ),
            (
                Method::POST,
                "/api/v1/reports/definitions".into(),
                b(
                    json!({"name": format!("pwned {id}"), "report_type": "WEEKLY_SUMMARY", "definition": {"department_id": id}}),
                ),
            ),
        ],
        "competency" => vec![(
            Method::POST,
            f("/questionnaires"),
            b(json!({"name": "pwned", "questions": [{"prompt": "x", "competency_id": id}]})),
        )],
        "definition" => vec![
            (
                Method::GET,
                format!("/api/v1/reports/definitions/{id}"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/reports/definitions/{id}/generate"),
                b(json!({"format": "JSON"})),
            ),
            (
                Method::POST,
                "/api/v1/reports/schedules".into(),
                b(json!({"report_id": id, "cron": "0 6 * * MON"})),
            ),
            (
                Method::GET,
                format!("/api/v1/reports/generated?report_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/reports/schedules?report_id={id}"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/dashboards/{}/widgets", c.dashboard),
                b(json!({"widget_type": "TABLE", "title": "pwned", "report_id": id})),
            ),
            (
                Method::PATCH,
                format!("/api/v1/dashboards/{}/widgets/{}", c.dashboard, c.widget),
                b(json!({"report_id": id})),
            ),
            (
                Method::PATCH,
                format!("/api/v1/reports/definitions/{id}"),
                b(json!({"name": "pwned", "is_shared": true})),
            ),
            (
                Method::DELETE,
                format!("/api/v1/reports/definitions/{id}"),
                None,
            ),
        ],
        "schedule" => vec![
            (Method::GET, format!("/api/v1/reports/schedules/{id}"), None),
            (
                Method::POST,
                format!("/api/v1/reports/schedules/{id}/pause"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/reports/schedules/{id}/resume"),
                None,
            ),
            (
                Method::PATCH,
                format!("/api/v1/reports/schedules/{id}"),
                b(json!({"cron": "0 6 * * MON", "recipients": ["pwned@example.com"]})),
            ),
            (
                Method::DELETE,
                format!("/api/v1/reports/schedules/{id}"),
                None,
            ),
        ],
        "generated" => vec![
            (Method::GET, format!("/api/v1/reports/generated/{id}"), None),
            (
                Method::GET,
                format!("/api/v1/reports/generated/{id}/download"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/reports/generated/{id}/download?format=csv"),
                None,
            ),
        ],
        "dashboard" => vec![
            (Method::GET, format!("/api/v1/dashboards/{id}"), None),
            (
                Method::PATCH,
                format!("/api/v1/dashboards/{id}"),
                b(json!({"name": "pwned"})),
            ),
            (Method::DELETE, format!("/api/v1/dashboards/{id}"), None),
            (
                Method::POST,
                format!("/api/v1/dashboards/{id}/widgets"),
                b(json!({"widget_type": "TABLE", "title": "pwned"})),
            ),
        ],
        "widget" => vec![
            (
                Method::PATCH,
                format!("/api/v1/dashboards/{parent}/widgets/{id}"),
                b(json!({"title": "pwned"})),
            ),
            (
                Method::DELETE,
                format!("/api/v1/dashboards/{parent}/widgets/{id}"),
                None,
            ),
            // The widget under the caller's own dashboard.
            (
                Method::PATCH,
                format!("/api/v1/dashboards/{}/widgets/{id}", c.dashboard),
                b(json!({"title": "pwned"})),
            ),
        ],
        "compensation" => vec![
            (
                Method::GET,
                format!("/api/v1/compensation-decisions/{id}"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/compensation-decisions/{id}/transition"),
                b(json!({"status": "APPROVED"})),
            ),
            (
                Method::POST,
                format!("/api/v1/compensation-decisions/{id}/transition"),
                b(json!({"status": "REJECTED", "note": "pwned"})),
            ),
            (
                Method::POST,
                format!("/api/v1/compensation-decisions/{id}/transition"),
                b(json!({"status": "APPLIED"})),
            ),
        ],
        "reads" => READS
            .iter()
            .map(|p| (Method::GET, (*p).to_string(), None))
            .collect(),
        _ => unreachable!("{kind}"),
    }
}

/// Every request the plan can send, with stand-in ids (for the coverage test).
pub fn all_requests() -> Vec<Req> {
    let c = Ctx::placeholder();
    KINDS
        .iter()
        .flat_map(|kind| requests(kind, PLACEHOLDER, PLACEHOLDER, &c))
        .collect()
}
