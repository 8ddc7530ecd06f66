//! The role matrix of part 2: for each role — ADMIN alone, HR_ADMIN alone, MANAGER (the
//! engineering manager), EMPLOYEE (Eli, one of his reports) and the platform's SUPER_ADMIN —
//! what the 360 feedback, reports, dashboards, compensation, PIP, calibration, succession and
//! administration endpoints answer on the demo company's records, against the table below.
//! 404 where the caller may not see the record, 403 where they see it but the action is not
//! theirs, `D` where it is theirs and the record's state decides (2xx or 409). The platform
//! operator sees no tenant's HR records, and none of their answers carries a demo id.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::matrix::{Exp, Exp::D, Row, role_tokens, run, seeded};
use common::{Api, demo_user};
use reqwest::Method;
use std::collections::BTreeMap;

const fn s(n: u16) -> Exp {
    Exp::S(n)
}

/// Reads everyone of the tenant may make; the operator's own tenant lists nothing.
const ALL_200: [Exp; 5] = [s(200), s(200), s(200), s(200), s(200)];
/// A record every member of the tenant reads, unknown to the operator.
const TENANT: [Exp; 5] = [s(200), s(200), s(200), s(200), s(404)];
/// HR's alone; the others see that the action exists but is not theirs.
const HR_ONLY: [Exp; 5] = [D, D, s(403), s(403), s(403)];

/// The columns: ADMIN, HR_ADMIN, MANAGER, EMPLOYEE, SUPER_ADMIN.
const ROWS: &[Row] = &[
    // 360 feedback: cycles and questionnaires are the tenant's; nominations, requests and
    // reports the subject's, the rater's, the subject's chain and HR's.
    (
        "360 cycles",
        Method::GET,
        "/api/v1/feedback-360/cycles",
        None,
        ALL_200,
    ),
    (
        "a 360 cycle",
        Method::GET,
        "/api/v1/feedback-360/cycles/{c360}",
        None,
        TENANT,
    ),
    (
        "create a 360 cycle",
        Method::POST,
        "/api/v1/feedback-360/cycles",
        Some(
            r#"{"name": "Matrix {role}", "questionnaire_id": "{q360}", "opens_on": "2031-09-01", "closes_on": "2031-09-30"}"#,
        ),
        HR_ONLY,
    ),
    (
        "create a 360 questionnaire",
        Method::POST,
        "/api/v1/feedback-360/questionnaires",
        Some(r#"{"name": "Matrix {role}", "questions": [{"prompt": "Collaborates"}]}"#),
        HR_ONLY,
    ),
    (
        "aggregate a 360 cycle",
        Method::POST,
        "/api/v1/feedback-360/cycles/{c360}/aggregate",
        Some("{}"),
        [D, D, s(403), s(403), s(404)],
    ),
    (
        "a 360 cycle's nominations",
        Method::GET,
        "/api/v1/feedback-360/cycles/{c360}/nominations",
        None,
        TENANT,
    ),
    (
        "a nomination of Jane's manager",
        Method::GET,
        "/api/v1/feedback-360/nominations/{n360}",
        None,
        [s(200), s(200), s(200), s(404), s(404)],
    ),
    (
        "Jane's 360 report",
        Method::GET,
        "/api/v1/feedback-360/cycles/{c360}/reports/{jane}",
        None,
        // The round is still COLLECTING: 409 cycle_phase to those who may read it.
        [D, D, D, s(404), s(404)],
    ),
    (
        "the 360 request Eli rates",
        Method::GET,
        "/api/v1/feedback-360/requests/{r360}",
        None,
        [s(200), s(200), s(404), s(200), s(404)],
    ),
    (
        "my 360 requests",
        Method::GET,
        "/api/v1/feedback-360/requests",
        None,
        ALL_200,
    ),
    // Reports: a shared definition is read and run by all, scheduled by its owner; a
    // schedule and a scheduled run are their owner's and HR's.
    (
        "report definitions",
        Method::GET,
        "/api/v1/reports/definitions",
        None,
        ALL_200,
    ),
    (
        "a shared report",
        Method::GET,
        "/api/v1/reports/definitions/{rep}",
        None,
        TENANT,
    ),
    (
        "define a report",
        Method::POST,
        "/api/v1/reports/definitions",
        Some(r#"{"name": "Matrix {role}", "report_type": "WEEKLY_SUMMARY"}"#),
        [s(201), s(201), s(201), s(201), s(201)],
    ),
    (
        "run a shared report",
        Method::POST,
        "/api/v1/reports/definitions/{rep}/generate",
        Some(r#"{"format": "JSON"}"#),
        [s(202), s(202), s(202), s(202), s(404)],
    ),
    (
        "schedule HR's shared report",
        Method::POST,
        "/api/v1/reports/schedules",
        Some(r#"{"report_id": "{rep}", "cron": "0 6 * * MON"}"#),
        [s(403), s(403), s(403), s(403), s(404)],
    ),
    (
        "HR's weekly schedule",
        Method::GET,
        "/api/v1/reports/schedules/{sched}",
        None,
        [s(200), s(200), s(404), s(404), s(404)],
    ),
    (
        "report schedules",
        Method::GET,
        "/api/v1/reports/schedules",
        None,
        ALL_200,
    ),
    (
        "a scheduled run",
        Method::GET,
        "/api/v1/reports/generated/{gen}",
        None,
        [s(200), s(200), s(404), s(404), s(404)],
    ),
    (
        "report runs",
        Method::GET,
        "/api/v1/reports/generated",
        None,
        ALL_200,
    ),
    // Dashboards: a private one is its owner's, a shared one read by all and changed by its
    // owner.
    (
        "dashboards",
        Method::GET,
        "/api/v1/dashboards",
        None,
        ALL_200,
    ),
    (
        "the manager's private dashboard",
        Method::GET,
        "/api/v1/dashboards/{dash_mgr}",
        None,
        // HR reads every dashboard of the tenant (read-only).
        [s(200), s(200), s(200), s(404), s(404)],
    ),
    (
        "the CEO's shared dashboard",
        Method::GET,
        "/api/v1/dashboards/{dash_exec}",
        None,
        TENANT,
    ),
    (
        "rename the CEO's shared dashboard",
        Method::PATCH,
        "/api/v1/dashboards/{dash_exec}",
        Some(r#"{"name": "Mine now"}"#),
        [s(403), s(403), s(403), s(403), s(404)],
    ),
    (
        "create a dashboard",
        Method::POST,
        "/api/v1/dashboards",
        Some(r#"{"name": "Matrix {role}"}"#),
        [s(201), s(201), s(201), s(201), s(201)],
    ),
    // Compensation: the chain and HR; the person once approved; never one's own proposal.
    (
        "Eli's proposed raise",
        Method::GET,
        "/api/v1/compensation-decisions/{comp_eli}",
        None,
        [s(200), s(200), s(200), s(404), s(404)],
    ),
    (
        "Jane's applied raise",
        Method::GET,
        "/api/v1/compensation-decisions/{comp_jane}",
        None,
        [s(200), s(200), s(200), s(404), s(404)],
    ),
    (
        "compensation decisions",
        Method::GET,
        "/api/v1/compensation-decisions",
        None,
        ALL_200,
    ),
    (
        "propose a bonus for Eli",
        Method::POST,
        "/api/v1/compensation-decisions",
        Some(
            r#"{"employee_id": "{eli}", "decision_type": "BONUS", "currency": "EUR", "proposed_amount": 500, "effective_date": "2031-01-01"}"#,
        ),
        [s(201), s(201), s(201), s(403), s(404)],
    ),
    (
        "approve the manager's proposal for Eli",
        Method::POST,
        "/api/v1/compensation-decisions/{comp_eli}/transition",
        Some(r#"{"status": "APPROVED"}"#),
        [D, D, s(409), s(404), s(404)],
    ),
    // PIPs: the person (once active), their chain and HR.
    ("Eli's PIP", Method::GET, "/api/v1/pips/{pip}", None, TENANT),
    ("PIPs", Method::GET, "/api/v1/pips", None, ALL_200),
    (
        "open a PIP for Jane",
        Method::POST,
        "/api/v1/pips",
        Some(
            r#"{"employee_id": "{jane}", "reason": "Matrix", "starts_on": "2031-08-10", "ends_on": "2031-10-01"}"#,
        ),
        // Jane is not Eli's to see (404, as for compensation), nor anyone of the operator's
        // tenant.
        [s(201), s(201), s(201), s(404), s(404)],
    ),
    (
        "check in on Eli's PIP",
        Method::POST,
        "/api/v1/pips/{pip}/check-ins",
        Some(r#"{"check_in_date": "2031-05-01", "progress_rating": "ON_TRACK"}"#),
        [D, D, D, s(403), s(404)],
    ),
    (
        "create a PIP template",
        Method::POST,
        "/api/v1/pip-templates",
        Some(r#"{"name": "Matrix {role}", "duration_days": 30}"#),
        HR_ONLY,
    ),
    // Calibration: its participants and HR.
    (
        "the 2025 engineering calibration",
        Method::GET,
        "/api/v1/calibration/sessions/{cal}",
        None,
        [s(200), s(200), s(200), s(404), s(404)],
    ),
    (
        "its distribution",
        Method::GET,
        "/api/v1/calibration/sessions/{cal}/distribution",
        None,
        [s(200), s(200), s(200), s(404), s(404)],
    ),
    (
        "the 2025 calibration grid",
        Method::GET,
        "/api/v1/review-cycles/{cycle25}/calibration-grid",
        None,
        // The manager reviews each caller may see (Eli: none of this grid).
        TENANT,
    ),
    (
        "open a calibration session",
        Method::POST,
        "/api/v1/calibration/sessions",
        Some(r#"{"cycle_id": "{cycle26}", "name": "Matrix {role}"}"#),
        [D, D, s(403), s(403), s(403)],
    ),
    // Succession: HR's, and the plan owner's.
    (
        "succession plans",
        Method::GET,
        "/api/v1/succession-plans",
        None,
        ALL_200,
    ),
    (
        "the engineering manager's succession",
        Method::GET,
        "/api/v1/succession-plans/{succ}",
        None,
        [s(200), s(200), s(404), s(404), s(404)],
    ),
    (
        "plan a succession",
        Method::POST,
        "/api/v1/succession-plans",
        Some(r#"{"position_title": "Matrix {role}"}"#),
        HR_ONLY,
    ),
    // Administration: ADMIN and HR_ADMIN; granting ADMIN is ADMIN's alone.
    ("roles", Method::GET, "/api/v1/admin/roles", None, HR_ONLY),
    (
        "security events",
        Method::GET,
        "/api/v1/admin/security-events",
        None,
        HR_ONLY,
    ),
    (
        "Eli's roles",
        Method::GET,
        "/api/v1/admin/users/{eli}/roles",
        None,
        [s(200), s(200), s(403), s(403), s(403)],
    ),
    (
        "Eli's audit history",
        Method::GET,
        "/api/v1/admin/audit/people/{eli}",
        None,
        [s(200), s(200), s(403), s(403), s(403)],
    ),
    (
        "create a department",
        Method::POST,
        "/api/v1/admin/departments",
        Some(r#"{"code": "MX-{role}", "name": "Matrix {role}"}"#),
        HR_ONLY,
    ),
    (
        "make Raj an ADMIN",
        Method::POST,
        "/api/v1/admin/users/{raj}/roles",
        Some(r#"{"role": "ADMIN"}"#),
        [D, s(403), s(403), s(403), s(403)],
    ),
    // Part 2, the rest: a report and its schedule are changed and deleted by their owner only
    // (the demo's HR person, none of these callers); a cycle's 360 reports are listed once it
    // is closed (this one is COLLECTING: 409 cycle_phase to every member of the tenant).
    (
        "rename HR's shared report",
        Method::PATCH,
        "/api/v1/reports/definitions/{rep}",
        Some(r#"{"name": "Mine now"}"#),
        [s(403), s(403), s(403), s(403), s(404)],
    ),
    (
        "delete HR's shared report",
        Method::DELETE,
        "/api/v1/reports/definitions/{rep}",
        None,
        [s(403), s(403), s(403), s(403), s(404)],
    ),
    (
        "change HR's weekly schedule",
        Method::PATCH,
        "/api/v1/reports/schedules/{sched}",
        Some(r#"{"cron": "0 7 * * TUE"}"#),
        [s(403), s(403), s(404), s(404), s(404)],
    ),
    (
        "delete HR's weekly schedule",
        Method::DELETE,
        "/api/v1/reports/schedules/{sched}",
        None,
        [s(403), s(403), s(404), s(404), s(404)],
    ),
    (
        "the 360 reports of the 2026 round",
        Method::GET,
        "/api/v1/feedback-360/cycles/{c360}/reports",
        None,
        [s(409), s(409), s(409), s(409), s(404)],
    ),
];

#[tokio::test]
async fn each_role_gets_what_the_part_2_table_says() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let tokens = role_tokens(&api).await;
    let ids: BTreeMap<&str, uuid::Uuid> = [
        ("c360", seeded("c360/2026")),
        ("q360", seeded("q360/standard")),
        ("n360", seeded("n360/jane-manager")),
        ("r360", seeded("r360/eli")),
        ("rep", seeded("rep/goal-progress")),
        ("sched", seeded("repsch/weekly")),
        ("gen", seeded("repgen/1")),
        ("dash_mgr", seeded("dash/manager")),
        ("dash_exec", seeded("dash/exec")),
        ("comp_eli", seeded("comp-dec/eli")),
        ("comp_jane", seeded("comp-dec/jane")),
        ("pip", seeded("pip/eli")),
        ("cal", seeded("cal/2025-eng")),
        ("cycle25", seeded("cycle/2025")),
        ("cycle26", seeded("cycle/2026-h1")),
        ("succ", seeded("succ/eng-manager")),
        ("jane", demo_user("jane")),
        ("eli", demo_user("employee")),
        ("raj", demo_user("raj")),
    ]
    .into_iter()
    .collect();
    for (name, id) in &ids {
        let n = api
            .count(&format!(
                "SELECT count(*) FROM (SELECT id FROM users UNION ALL SELECT id FROM feedback_360_cycles
                   UNION ALL SELECT id FROM feedback_360_questionnaires UNION ALL SELECT id FROM feedback_360_nominations
                   UNION ALL SELECT id FROM feedback_360_requests UNION ALL SELECT id FROM report_definitions
                   UNION ALL SELECT id FROM report_schedules UNION ALL SELECT id FROM generated_reports
                   UNION ALL SELECT id FROM dashboards UNION ALL SELECT id FROM compensation_decisions
                   UNION ALL SELECT id FROM performance_improvement_plans UNION ALL SELECT id FROM calibration_sessions
                   UNION ALL SELECT id FROM review_cycles UNION ALL SELECT id FROM succession_plans) x WHERE id = '{id}'"
            ))
            .await;
        assert_eq!(n, 1, "the seed has {name}");
    }
    let wrong = run(&api, &tokens, &ids, ROWS).await;
    println!(
        "role matrix (b): {} rows x 5 roles, {} answers off the table",
        ROWS.len(),
        wrong.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    api.finish().await;
    Ok(())
}
