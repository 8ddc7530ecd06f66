//! Every write endpoint leaves an audit entry naming the acting person (issue 20). The test
//! reads the OpenAPI document the server publishes, takes every POST, PUT, PATCH and DELETE
//! operation in it, and walks them on the demo company in an order where each step leaves the
//! data fit for the next: each request must answer 2xx and add at least one `audit_log` row of
//! the tenant whose `actor_user_id` is the caller. A write operation of the document without a
//! step fails the test (a new endpoint cannot escape the check), and so does a step whose
//! operation has left the document.
//!
//! Each step must also write no table outside the trail but those of `UNAUDITED` (each with
//! its reason): the trail covers the endpoint's whole write, not one row of it.
//!
//! Outside the audit trail by design, each checked for what it records instead:
//! - `POST /auth/logout` and `DELETE /auth/sessions/{id}` end a session; sessions are
//!   credentials, not audited rows: each records a LOGOUT security event of the caller.
//! - `POST /admin/users/{id}/erasure-request` changes no row (it answers who would be erased
//!   and a confirmation code): it records a SENSITIVE_READ security event of the caller. The
//!   erasure itself runs with a real eraser (`TestEraser`) and is audited.
//!
//! Adding an endpoint: add its step(s) to `steps()` where its data exists, e.g.
//! `step("POST", "/things/{thing}/close", "admin").body(json!({..})).keep("x", "/id")`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::api_c::TestEraser;
use common::audit_walk::{Leaves, Step, Walk, coverage, step, write_operations};
use common::{Api, demo_user};
use pms_seed::demo_tenants::{DEMO_COMPANY, tenant_id};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// The demo people the walk acts as or names (`{jane}` in a path or body is Jane's id).
const PEOPLE: [&str; 9] = [
    "admin",
    "ceo",
    "manager",
    "sales.manager",
    "jane",
    "employee",
    "raj",
    "lena",
    "omar",
];

/// Tables of the tenant that a write may change outside the audit trail, and why. Any other
/// table a step writes must be audited.
const UNAUDITED: &[(&str, &str)] = &[
    (
        "sessions",
        "credentials; signing in and out are security events",
    ),
    (
        "api_idempotency_keys",
        "the replay store of Idempotency-Key answers",
    ),
    (
        "survey_responses",
        "anonymous answers: an entry would name the respondent; the participation is audited",
    ),
    ("pulse_responses", "anonymous answers, as survey_responses"),
    (
        "performance_metrics_ts",
        "time-series samples; their ingestion batch (metric_ingestions) is audited",
    ),
    (
        "engagement_metrics_ts",
        "time-series samples, as performance_metrics_ts",
    ),
    (
        "goal_progress_ts",
        "the time series of goal progress; the goal and its check-in are audited",
    ),
    (
        "privacy_erasures",
        "the erasure's own ledger (a hash of the person, the pseudonym, the report); the account's closing is audited",
    ),
    (
        "reporting_chain",
        "derived from users.manager_id (audited) by trigger",
    ),
];

/// The walk, in order. Dates lie in 2030, inside every validation window and apart from the
/// demo data; times "now" come from the database.
fn steps() -> Vec<Step> {
    let (admin, mgr) = ("admin", "manager");
    vec![
        // Signing in writes the person's last login (audited) and a LOGIN_SUCCESS event.
        step("POST", "/auth/login", "raj").no_session().and_event("LOGIN_SUCCESS").body(json!(
            {"tenant": "demo-company", "email": "raj@demo.pms-platform.local", "password": "demo123"})),
        step("POST", "/auth/logout", "raj").fresh_session().instead(
            "LOGOUT",
            "ends the caller's session; sessions are credentials, not audited rows",
        ),
        step("POST", "/auth/login", "jane").no_session().and_event("LOGIN_SUCCESS").body(json!(
            {"tenant": "demo-company", "email": "jane@demo.pms-platform.local", "password": "demo123"})),
        step("DELETE", "/auth/sessions/{session}", "jane")
            .find("session", "SELECT id FROM sessions WHERE tenant_id = '{tenant}' AND user_id = '{jane}' AND revoked_at IS NULL ORDER BY created_at DESC")
            .instead("LOGOUT", "ends one of the caller's other sessions; sessions are not audited rows"),
        // Administration: two people of the walk's own, the organisation, retention, holds.
        step("POST", "/admin/users", admin)
            .body(json!({"email": "walk.one@demo.pms-platform.local", "first_name": "Walk", "last_name": "One",
                         "manager_id": "{manager}", "roles": ["EMPLOYEE"]}))
            .keep("w1", "/id"),
        step("POST", "/admin/users", admin)
            .body(json!({"email": "walk.two@demo.pms-platform.local", "first_name": "Walk", "last_name": "Two"}))
            .keep("w2", "/id"),
        step("POST", "/admin/users/{w1}/roles", admin).body(json!({"role": "MANAGER"})),
        step("DELETE", "/admin/users/{w1}/roles/{role}", admin).set("role", "MANAGER"),
        step("PUT", "/admin/users/{w1}/manager", admin).body(json!({"manager_id": "{sales.manager}"})),
        step("POST", "/admin/departments", admin)
            .body(json!({"code": "WALK", "name": "Walk operations"}))
            .keep("dept", "/id"),
        step("PATCH", "/admin/departments/{dept}", admin).body(json!({"name": "Walk operations & support"})),
        step("PUT", "/admin/users/{w1}/department", admin).body(json!({"department_id": "{dept}"})),
        step("POST", "/admin/teams", admin)
            .body(json!({"code": "WALK", "name": "Walkers", "department_id": "{dept}"}))
            .keep("team", "/id"),
        step("PATCH", "/admin/teams/{team}", admin).body(json!({"team_type": "PROJECT"})),
        step("PATCH", "/people/{w1}", admin).body(json!({"job_title": "Walk lead", "status": "ACTIVE"})),
        step("POST", "/admin/users/{w1}/disable", admin).body(json!({})),
        step("POST", "/admin/users/{w1}/enable", admin).body(json!({})),
        step("PUT", "/admin/retention/overrides/{entity}", admin)
            .set("entity", "Feedback").body(json!(
            {"hot_days": 90, "warm_days": 365, "cold_days": 730, "archive_days": 1095, "reason": "Works council"})),
        step("DELETE", "/admin/retention/overrides/{entity}", admin),
        step("POST", "/admin/legal-holds", admin)
            .body(json!({"scope": "PERSON", "person_id": "{w1}", "reason": "Walk litigation"}))
            .keep("hold", "/id"),
        step("POST", "/admin/legal-holds/{hold}/release", admin).body(json!({})),
        step("POST", "/admin/users/{w2}/erasure-request", admin)
            .body(json!({}))
            .keep("code", "/confirmation")
            .instead(
                "SENSITIVE_READ",
                "changes no row (it answers who would be erased and a confirmation code); the erasure itself is audited",
            ),
        step("POST", "/admin/users/{w2}/erasure", admin).body(json!({"confirmation": "{code}"})),
        step("DELETE", "/people/{w1}", admin),
        // Goals and feedback.
        step("POST", "/goals", "jane")
            .body(json!({"title": "Walk the API", "period_start": "2030-01-01", "period_end": "2030-12-31"}))
            .keep("goal", "/id"),
        step("PATCH", "/goals/{goal}", "jane").body(json!({"title": "Walk every endpoint"})),
        step("POST", "/goals/{goal}/key-results", "jane").body(json!({"title": "Endpoints walked", "target_value": 90})),
        step("POST", "/goals/{goal}/progress", "jane").body(json!({"progress": 40, "note": "Halfway"})),
        step("DELETE", "/goals/{goal}", "jane"),
        step("POST", "/feedback", "jane").body(json!({"recipient_id": "{raj}", "body": "Thanks for the walk-through"})),
        step("POST", "/feedback/requests", "jane").body(json!({"from_id": "{manager}", "message": "How did the walk go?"})),
        // A review cycle from draft to sharing, with a review and its calibration.
        step("POST", "/review-cycles", admin)
            .body(json!({"name": "Walk cycle 2030", "period_start": "2030-01-01", "period_end": "2030-06-30"}))
            .keep("cycle", "/id"),
        step("POST", "/review-cycles/{cycle}/transition", admin).body(json!({"status": "SCHEDULED"})),
        step("POST", "/review-cycles/{cycle}/transition", admin).body(json!({"status": "SELF_ASSESSMENT"})),
        step("POST", "/reviews", mgr)
            .body(json!({"cycle_id": "{cycle}", "reviewee_id": "{jane}", "review_type": "MANAGER"}))
            .keep("review", "/id"),
        step("PATCH", "/reviews/{review}", mgr).body(json!({"overall_rating": 4.0, "summary": "A steady half"})),
        step("POST", "/reviews/{review}/submit", mgr),
        step("POST", "/review-cycles/{cycle}/transition", admin).body(json!({"status": "MANAGER_REVIEW"})),
        step("POST", "/review-cycles/{cycle}/transition", admin).body(json!({"status": "CALIBRATION"})),
        step("POST", "/calibration/sessions", admin)
            .body(json!({"cycle_id": "{cycle}", "name": "Walk calibration", "facilitator_id": "{admin}"}))
            .keep("session", "/id"),
        step("PATCH", "/calibration/sessions/{session}", admin).body(json!({"name": "Walk calibration (all)"})),
        step("POST", "/calibration/sessions/{session}/participants", admin).body(json!({"user_id": "{manager}"})),
        step("DELETE", "/calibration/sessions/{session}/participants/{manager}", admin),
        step("POST", "/calibration/sessions/{session}/transition", admin).body(json!({"status": "IN_PROGRESS"})),
        step("POST", "/calibration/sessions/{session}/ratings", admin)
            .body(json!({"review_id": "{review}", "rating": 4.5, "rationale": "Led the walk"})),
        step("POST", "/reviews/{review}/calibrate", admin)
            .body(json!({"session_id": "{session}", "rating": 4.0, "rationale": "Back in line with peers"})),
        step("POST", "/calibration/sessions/{session}/transition", admin).body(json!({"status": "COMPLETED"})),
        step("POST", "/review-cycles/{cycle}/calibration/finalize", admin).body(json!({})),
        step("POST", "/review-cycles/{cycle}/transition", admin).body(json!({"status": "SHARING"})),
        step("POST", "/reviews/{review}/share", admin),
        step("POST", "/reviews/{review}/acknowledge", "jane"),
        // One-on-ones: a meeting held, one cancelled.
        step("POST", "/one-on-ones", mgr)
            .body(json!({"employee_id": "{jane}", "scheduled_at": "2030-03-01T10:00:00Z", "agenda": ["Roadmap"]}))
            .keep("meeting", "/id"),
        step("PATCH", "/one-on-ones/{meeting}", mgr).body(json!({"scheduled_at": "2030-03-02T10:00:00Z"})),
        step("POST", "/one-on-ones/{meeting}/agenda", "jane")
            .body(json!({"topic": "Growth"}))
            .keep("item", "/id"),
        step("PATCH", "/one-on-ones/{meeting}/agenda/{item}", mgr).body(json!({"is_discussed": true})),
        step("DELETE", "/one-on-ones/{meeting}/agenda/{item}", "jane"),
        step("POST", "/one-on-ones/{meeting}/action-items", mgr)
            .body(json!({"assignee_id": "{jane}", "description": "Write the walk-through"}))
            .keep("action", "/id"),
        step("PATCH", "/one-on-ones/{meeting}/action-items/{action}", "jane").body(json!({"done": true})),
        step("PUT", "/one-on-ones/{meeting}/private-note", mgr).body(json!({"body": "Ready for more scope"})),
        step("DELETE", "/one-on-ones/{meeting}/private-note", mgr),
        step("POST", "/one-on-ones/{meeting}/complete", "jane").body(json!({"shared_notes": "Agreed", "mood": 4})),
        step("POST", "/one-on-ones", mgr)
            .body(json!({"employee_id": "{jane}", "scheduled_at": "2030-04-01T10:00:00Z"}))
            .keep("meeting2", "/id"),
        step("POST", "/one-on-ones/{meeting2}/cancel", mgr).body(json!({"reason": "Offsite"})),
        // Notifications (the meetings above told Jane).
        step("POST", "/notifications/{note}/read", "jane")
            .find("note", "SELECT id FROM notifications WHERE tenant_id = '{tenant}' AND recipient_id = '{jane}' AND read_at IS NULL ORDER BY created_at DESC")
            .body(json!({})),
        step("POST", "/notifications/read-all", "jane").body(json!({})),
        step("PUT", "/notifications/preferences", "jane").body(json!(
            {"preferences": [{"event": "one_on_one.scheduled", "in_app": false, "email": true}]})),
        // PIPs.
        step("POST", "/pip-templates", admin)
            .body(json!({"name": "Walk plan", "duration_days": 30, "expectations": "Close the walk",
                         "milestones": [{"description": "Halfway", "offset_days": 10}]})),
        step("POST", "/pips", mgr)
            .body(json!({"employee_id": "{employee}", "reason": "Missed follow-ups",
                         "starts_on": "2030-01-01", "ends_on": "2030-03-31"}))
            .keep("pip", "/id"),
        step("PATCH", "/pips/{pip}", mgr).body(json!({"reason": "Missed incident follow-ups"})),
        step("POST", "/pips/{pip}/milestones", mgr).body(json!({"description": "Backlog cleared", "due_date": "2030-02-01"})),
        step("PATCH", "/pips/{pip}/milestones/{milestone}", mgr)
            .find("milestone", "SELECT id FROM pip_milestones WHERE tenant_id = '{tenant}' AND pip_id = '{pip}' ORDER BY created_at")
            .body(json!({"status": "MET"})),
        step("POST", "/pips/{pip}/transition", mgr).body(json!({"status": "ACTIVE"})),
        step("POST", "/pips/{pip}/check-ins", mgr)
            .body(json!({"check_in_date": "2030-01-15", "progress_rating": "SOME_PROGRESS", "notes": "Half done"})),
        // Development plans.
        step("POST", "/development-plans", "jane")
            .body(json!({"title": "Walk towards staff", "starts_on": "2030-01-01"}))
            .keep("plan", "/id"),
        step("PATCH", "/development-plans/{plan}", "jane").body(json!({"status": "ACTIVE"})),
        step("POST", "/development-plans/{plan}/activities", "jane").body(json!({"title": "Lead a design review"})),
        step("PATCH", "/development-plans/{plan}/activities/{activity}", "jane")
            .find("activity", "SELECT id FROM development_activities WHERE tenant_id = '{tenant}' AND plan_id = '{plan}'")
            .body(json!({"status": "DONE"})),
        step("POST", "/development-plans/{plan}/checkpoints", mgr)
            .body(json!({"scheduled_on": "2030-06-01"}))
            .keep("checkpoint", "/id"),
        step("POST", "/development-plans/{plan}/checkpoints/{checkpoint}/complete", mgr).body(json!({"notes": "On track"})),
        // Promotions and succession.
        step("POST", "/promotion-recommendations", mgr).body(json!({"user_id": "{raj}"})),
        step("POST", "/promotion-decisions", mgr)
            .find("level", "SELECT coalesce(level, 1) + 1 FROM users WHERE tenant_id = '{tenant}' AND id = '{employee}'")
            .body(json!({"employee_id": "{employee}", "to_level": "{level}", "to_title": "Senior Software Engineer",
                         "effective_date": "2030-09-01"}))
            .keep("decision", "/id"),
        step("POST", "/promotion-decisions/{decision}/transition", "ceo").body(json!({"status": "APPROVED", "note": "Agreed"})),
        step("POST", "/succession-plans", admin)
            .body(json!({"position_title": "Walk lead", "incumbent_id": "{omar}", "owner_id": "{manager}",
                         "criticality": "HIGH", "status": "ACTIVE"}))
            .keep("succession", "/id"),
        step("POST", "/succession-plans/{succession}/successors", admin)
            .body(json!({"candidate_id": "{jane}", "readiness": "READY_NOW"})),
        step("DELETE", "/succession-plans/{succession}/successors/{jane}", admin),
        // Engagement.
        step("POST", "/surveys", admin)
            .body(json!({"title": "Walk check", "min_respondents": 3,
                         "questions": [{"prompt": "I can raise a concern without fear.", "driver": "safety"}]}))
            .keep("survey", "/id")
            .keep("question", "/questions/0/id"),
        step("POST", "/surveys/{survey}/transition", admin).body(json!({"status": "OPEN"})),
        step("POST", "/surveys/{survey}/responses", "jane")
            .body(json!({"answers": [{"question_id": "{question}", "rating": 4}]})),
        step("POST", "/surveys/{survey}/transition", admin).body(json!({"status": "CLOSED"})),
        step("POST", "/pulse", "lena")
            .find("pulse", "SELECT id FROM engagement_surveys WHERE tenant_id = '{tenant}' AND survey_type = 'PULSE' AND status = 'OPEN'")
            .body(json!({"survey_id": "{pulse}", "mood": 4})),
        // Org health, metrics, ML.
        step("PUT", "/org-health/inputs", admin)
            .body(json!({"period_start": "2030-01-01", "period_end": "2030-03-31", "values": {"culture": 70}})),
        step("PUT", "/departments/{hdept}/health/inputs", admin)
            .find("hdept", "SELECT id FROM departments WHERE tenant_id = '{tenant}' AND code <> 'WALK' ORDER BY code")
            .body(json!({"period_start": "2030-01-01", "values": {"culture": 60}})),
        step("POST", "/metrics", admin)
            .find("at", "SELECT to_char((now() - interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
            .raw(
                "application/x-ndjson",
                r#"{"tenant_id": "{tenant}", "user_id": "{employee}", "metric_name": "productivity", "value": 42.5, "recorded_at": "{at}"}"#,
            ),
        step("POST", "/ml/predictions", admin)
            .find("model", "SELECT id FROM ml_models WHERE tenant_id = '{tenant}' AND model_type = 'ATTRITION_RISK' AND status <> 'RETIRED'")
            .body(json!({"user_id": "{employee}", "model_id": "{model}", "prediction_type": "ATTRITION_RISK", "score": 0.31})),
        // 360 feedback: a questionnaire, a round about Jane (nominations approved, declined and
        // withdrawn), answers saved and submitted, a request declined, closed and aggregated.
        step("POST", "/feedback-360/questionnaires", admin)
            .find("comp", "SELECT id FROM competencies WHERE tenant_id = '{tenant}' AND code = 'COLLABORATION'")
            .body(json!({"name": "Walk 360", "questions": [
                {"prompt": "Collaborates across teams", "competency_id": "{comp}"},
                {"prompt": "What should they keep doing?", "answer_type": "TEXT", "is_required": false}]}))
            .keep("q360", "/id")
            .keep("q360a", "/questions/0/id"),
        step("POST", "/feedback-360/questionnaires/{q360}/transition", admin).body(json!({"status": "PUBLISHED"})),
        step("POST", "/feedback-360/cycles", admin)
            .body(json!({"name": "Walk 360 round", "questionnaire_id": "{q360}", "min_respondents": 1,
                         "forbid_rating_managers": true, "opens_on": "2030-09-01", "closes_on": "2030-09-30"}))
            .keep("c360", "/id"),
        step("PATCH", "/feedback-360/cycles/{c360}", admin).body(json!({"name": "Walk 360 round, autumn"})),
        step("POST", "/feedback-360/cycles/{c360}/launch", admin).body(json!({})),
        step("POST", "/feedback-360/cycles/{c360}/nominations", "jane")
            .body(json!({"subject_id": "{jane}", "nominee_id": "{raj}", "relationship": "PEER"}))
            .keep("n_raj", "/id"),
        step("POST", "/feedback-360/nominations/{n_raj}/approve", mgr).body(json!({})),
        step("POST", "/feedback-360/cycles/{c360}/nominations", "jane")
            .body(json!({"subject_id": "{jane}", "nominee_id": "{lena}", "relationship": "PEER"}))
            .keep("n_lena", "/id"),
        step("POST", "/feedback-360/nominations/{n_lena}/approve", mgr).body(json!({})),
        step("POST", "/feedback-360/cycles/{c360}/nominations", "jane")
            .body(json!({"subject_id": "{jane}", "nominee_id": "{employee}", "relationship": "PEER"}))
            .keep("n_eli", "/id"),
        step("POST", "/feedback-360/nominations/{n_eli}/decline", mgr).body(json!({})),
        step("POST", "/feedback-360/cycles/{c360}/nominations", "jane")
            .body(json!({"subject_id": "{jane}", "nominee_id": "{omar}", "relationship": "PEER"}))
            .keep("n_omar", "/id"),
        step("DELETE", "/feedback-360/nominations/{n_omar}", "jane"),
        step("POST", "/feedback-360/cycles/{c360}/transition", admin).body(json!({"status": "COLLECTING"})),
        step("PUT", "/feedback-360/requests/{r_raj}/answers", "raj")
            .find("r_raj", "SELECT id FROM feedback_360_requests WHERE tenant_id = '{tenant}' AND cycle_id = '{c360}' AND rater_id = '{raj}'")
            .body(json!({"answers": [{"question_id": "{q360a}", "rating": 4}]})),
        step("POST", "/feedback-360/requests/{r_raj}/submit", "raj")
            .body(json!({"answers": [{"question_id": "{q360a}", "rating": 4}]})),
        step("POST", "/feedback-360/requests/{r_lena}/decline", "lena")
            .find("r_lena", "SELECT id FROM feedback_360_requests WHERE tenant_id = '{tenant}' AND cycle_id = '{c360}' AND rater_id = '{lena}'"),
        step("POST", "/feedback-360/cycles/{c360}/close", admin).body(json!({})),
        step("POST", "/feedback-360/cycles/{c360}/aggregate", admin),
        // Reports: a definition, a run requested now, a schedule paused and resumed.
        step("POST", "/reports/definitions", mgr)
            .body(json!({"name": "Walk week", "report_type": "WEEKLY_SUMMARY"}))
            .keep("rep", "/id"),
        step("POST", "/reports/definitions/{rep}/generate", mgr)
            .body(json!({"format": "CSV", "period_start": "2030-03-11", "period_end": "2030-03-17"})),
        step("POST", "/reports/schedules", mgr)
            .body(json!({"report_id": "{rep}", "cron": "0 6 * * MON", "format": "JSON"}))
            .keep("sched", "/id"),
        step("POST", "/reports/schedules/{sched}/pause", mgr),
        step("POST", "/reports/schedules/{sched}/resume", mgr),
        step("PATCH", "/reports/schedules/{sched}", mgr).body(json!({"cron": "0 7 * * TUE"})),
        step("PATCH", "/reports/definitions/{rep}", mgr).body(json!({"name": "Walk week, shared", "is_shared": true})),
        step("DELETE", "/reports/schedules/{sched}", mgr),
        // Deleting the definition deletes its run with it (both audited).
        step("DELETE", "/reports/definitions/{rep}", mgr),
        // Dashboards: one with a widget, both changed, then removed.
        step("POST", "/dashboards", mgr)
            .body(json!({"name": "Walk board", "layout": {"columns": 3}}))
            .keep("board", "/id"),
        step("PATCH", "/dashboards/{board}", mgr).body(json!({"name": "Walk board, shared", "is_shared": true})),
        step("POST", "/dashboards/{board}/widgets", mgr)
            .body(json!({"widget_type": "LINE_CHART", "title": "Goals", "config": {"metric": "goal_progress", "period": "quarter"}}))
            .keep("widget", "/widgets/0/id"),
        step("PATCH", "/dashboards/{board}/widgets/{widget}", mgr).body(json!({"position": 2, "title": "Goal progress"})),
        step("DELETE", "/dashboards/{board}/widgets/{widget}", mgr),
        step("DELETE", "/dashboards/{board}", mgr),
        // Compensation: the manager proposes, HR approves and applies (four eyes).
        step("POST", "/compensation-decisions", mgr)
            .body(json!({"employee_id": "{employee}", "decision_type": "MERIT_INCREASE", "currency": "EUR",
                         "current_amount": 100000, "proposed_amount": 104000, "effective_date": "2031-01-01"}))
            .keep("comp_dec", "/id"),
        step("POST", "/compensation-decisions/{comp_dec}/transition", admin).body(json!({"status": "APPROVED"})),
        step("POST", "/compensation-decisions/{comp_dec}/transition", admin).body(json!({"status": "APPLIED"})),
        // Last: changing a password ends every session of the person.
        step("POST", "/me/password", "raj")
            .fresh_session()
            .and_event("PASSWORD_CHANGE")
            .body(json!({"current_password": "demo123", "new_password": "a-walk-password-2030"})),
    ]
}

#[tokio::test]
async fn every_write_leaves_an_audit_entry_naming_the_caller() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let api = Api::start().await?;
    TestEraser::install(&api);
    let r = api.call(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = write_operations(&r.body);
    let steps = steps();
    assert!(doc.len() >= 80, "{} write operations", doc.len());
    // Named with the walk's own failures, so that one run says everything that is wrong.
    let (missing, stale) = coverage(&doc, &steps);
    let mut failures: Vec<String> = missing
        .iter()
        .map(|op| format!("{op}: a write operation of the OpenAPI document without a step"))
        .chain(
            stale
                .iter()
                .map(|op| format!("{op}: a step of an operation no longer in the document")),
        )
        .collect();

    let people: Vec<(&str, uuid::Uuid)> = PEOPLE.iter().map(|p| (*p, demo_user(p))).collect();
    let unaudited: Vec<&str> = UNAUDITED.iter().map(|(t, _)| *t).collect();
    let mut walk = Walk::new(&api, tenant_id(&DEMO_COMPANY), &people, &unaudited).await;
    for s in &steps {
        match walk.run(s).await {
            Ok(tables) => println!("{} (as {}): {}", s.operation(), s.who, tables.join(", ")),
            Err(e) => failures.push(e),
        }
    }
    let exempt: std::collections::BTreeSet<String> = steps
        .iter()
        .filter_map(|s| match &s.leaves {
            Leaves::SecurityEvent { event_type, reason } => {
                Some(format!("{} ({event_type}: {reason})", s.operation()))
            }
            Leaves::Audit => None,
        })
        .collect();
    println!(
        "{} write operations walked in {} steps ({:.1} s); outside the audit trail: {exempt:?}",
        doc.len(),
        steps.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    Ok(())
}

/// The coverage check itself: an operation without a step is named, and so is a step whose
/// operation the document does not have.
#[test]
fn a_write_without_a_step_and_a_step_without_an_operation_are_named() {
    let doc = write_operations(&json!({"paths": {
        "/api/v1/goals/{id}": {"patch": {}, "get": {}},
        "/api/v1/widgets/{id}/spin": {"post": {}},
    }}));
    let steps = vec![
        step("PATCH", "/goals/{goal}", "jane"),
        step("DELETE", "/gadgets/{g}", "jane"),
    ];
    let (missing, stale) = coverage(&doc, &steps);
    assert_eq!(missing, vec!["POST /widgets/{id}/spin".to_string()]);
    assert_eq!(stale, vec!["DELETE /gadgets/{}".to_string()]);
}
