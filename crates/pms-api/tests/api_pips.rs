//! PIPs over the API on the demo company: every allowed move of the workflow works, every
//! other is refused with its code and changes nothing; plans from a template; check-ins and the
//! reminders they send; who sees a plan (the person once it is active, their chain, HR) and who
//! runs it; the audit trail; bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

const STATUSES: [&str; 8] = [
    "DRAFT",
    "ACTIVE",
    "ON_TRACK",
    "AT_RISK",
    "EXTENDED",
    "SUCCESSFUL",
    "UNSUCCESSFUL",
    "CANCELLED",
];

/// The workflow, written out by hand: the moves allowed from each status.
fn allowed(from: &str) -> &'static [&'static str] {
    match from {
        "DRAFT" => &["ACTIVE", "CANCELLED"],
        "ACTIVE" => &["ON_TRACK", "AT_RISK", "CANCELLED"],
        "ON_TRACK" => &["AT_RISK", "SUCCESSFUL", "UNSUCCESSFUL", "CANCELLED"],
        "AT_RISK" => &["ON_TRACK", "SUCCESSFUL", "UNSUCCESSFUL", "CANCELLED"],
        _ => &[],
    }
}

/// How to reach each status from DRAFT.
fn path_to(status: &str) -> &'static [&'static str] {
    match status {
        "DRAFT" => &[],
        "ACTIVE" => &["ACTIVE"],
        "ON_TRACK" => &["ACTIVE", "ON_TRACK"],
        "AT_RISK" => &["ACTIVE", "AT_RISK"],
        "SUCCESSFUL" => &["ACTIVE", "ON_TRACK", "SUCCESSFUL"],
        "UNSUCCESSFUL" => &["ACTIVE", "AT_RISK", "UNSUCCESSFUL"],
        "CANCELLED" => &["CANCELLED"],
        _ => unreachable!(),
    }
}

async fn new_pip(api: &Api, token: &str) -> Uuid {
    let r = api
        .post(
            "/api/v1/pips",
            token,
            json!({"employee_id": demo_user("employee"), "reason": "Missed follow-ups",
                   "starts_on": "2026-08-01", "ends_on": "2026-09-30"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["status"], "DRAFT");
    r.id()
}

async fn move_to(api: &Api, token: &str, id: Uuid, status: &str) -> common::Resp {
    api.post(
        &format!("/api/v1/pips/{id}/transition"),
        token,
        json!({"status": status, "note": "Outcome recorded with HR"}),
    )
    .await
}

#[tokio::test]
async fn every_allowed_move_works_and_every_other_is_refused_unchanged() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let manager = api.login("manager").await;
    let mut allowed_seen = 0;
    let mut refused_seen = 0;
    for from in STATUSES.iter().filter(|s| **s != "EXTENDED") {
        // A plan in `from` for the refusals (each refusal leaves it as it was).
        let id = new_pip(&api, &manager).await;
        for step in path_to(from) {
            let r = move_to(&api, &manager, id, step).await;
            assert_eq!(r.status, StatusCode::OK, "{from} via {step}: {}", r.body);
        }
        let before = api.row_text("performance_improvement_plans", id).await;
        for to in STATUSES {
            if allowed(from).contains(&to) {
                // A fresh plan in `from`, then the move.
                let fresh = new_pip(&api, &manager).await;
                for step in path_to(from) {
                    move_to(&api, &manager, fresh, step).await;
                }
                let r = move_to(&api, &manager, fresh, to).await;
                assert_eq!(r.status, StatusCode::OK, "{from} -> {to}: {}", r.body);
                assert_eq!(r.body["status"], to);
                let closed = ["SUCCESSFUL", "UNSUCCESSFUL", "CANCELLED"].contains(&to);
                assert_eq!(r.body["closed_at"].is_string(), closed, "{from} -> {to}");
                allowed_seen += 1;
            } else {
                let r = move_to(&api, &manager, id, to).await;
                let code =
                    if ["SUCCESSFUL", "UNSUCCESSFUL", "CANCELLED"].contains(from) && *from != to {
                        "record_closed"
                    } else {
                        "invalid_transition"
                    };
                assert_eq!(
                    (r.status, r.code()),
                    (StatusCode::CONFLICT, code),
                    "{from} -> {to}: {}",
                    r.body
                );
                assert!(r.body["error"]["message"].as_str().unwrap().len() > 10);
                refused_seen += 1;
            }
        }
        assert_eq!(
            api.row_text("performance_improvement_plans", id).await,
            before,
            "the refused moves from {from} changed nothing"
        );
    }
    assert_eq!((allowed_seen, refused_seen), (13, 43));

    // Closing as SUCCESSFUL or UNSUCCESSFUL needs the outcome notes.
    let id = new_pip(&api, &manager).await;
    move_to(&api, &manager, id, "ACTIVE").await;
    move_to(&api, &manager, id, "AT_RISK").await;
    let r = api
        .post(
            &format!("/api/v1/pips/{id}/transition"),
            &manager,
            json!({"status": "UNSUCCESSFUL"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "outcome_required")
    );
    // If-Match: a stale version is refused, the current one applies.
    let cur = api.get(&format!("/api/v1/pips/{id}"), &manager).await;
    let r = api
        .post_if(
            &format!("/api/v1/pips/{id}/transition"),
            &manager,
            json!({"status": "ON_TRACK"}),
            "\"42\"",
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let r = api
        .post_if(
            &format!("/api/v1/pips/{id}/transition"),
            &manager,
            json!({"status": "ON_TRACK"}),
            &cur.etag(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["next_statuses"],
        json!(["AT_RISK", "SUCCESSFUL", "UNSUCCESSFUL", "CANCELLED"])
    );
    // A closed plan refuses edits too.
    move_to(&api, &manager, id, "SUCCESSFUL").await;
    let r = api
        .patch(
            &format!("/api/v1/pips/{id}"),
            &manager,
            json!({"reason": "rewritten"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "record_closed")
    );
    // Every move was audited with the manager as actor.
    assert!(
        api.audited("performance_improvement_plans", id, demo_user("manager"))
            .await
            >= 5
    );
    Ok(())
}

#[tokio::test]
async fn templates_check_ins_reminders_and_who_sees_what() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let manager = api.login("manager").await;
    let admin = api.login("admin").await;
    let eli = api.login("employee").await;
    let jane = api.login("jane").await;
    let sales = api.login("sales.manager").await;
    let ceo = api.login("ceo").await;
    let acme = api.login_acme("admin").await;
    let (m_id, eli_id) = (demo_user("manager"), demo_user("employee"));

    // HR writes templates; others may not.
    let tpl = json!({"name": "30-day focus plan", "duration_days": 30, "expectations": "Close incidents on time",
                     "check_in_every_days": 7, "sections": ["Goals", "Support"],
                     "milestones": [{"description": "Backlog cleared", "offset_days": 10}, {"description": "Runbook", "offset_days": 25}]});
    let r = api
        .post("/api/v1/pip-templates", &manager, tpl.clone())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let t = api.post("/api/v1/pip-templates", &admin, tpl.clone()).await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.body);
    let dup = api.post("/api/v1/pip-templates", &admin, tpl).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert!(
        api.get("/api/v1/pip-templates", &eli).await.body["items"]
            .as_array()
            .unwrap()
            .len()
            >= 2
    );

    // A plan from the template: its length, expectations, rhythm and milestones.
    let r = api
        .call_with(Method::POST, "/api/v1/pips", Some(&manager),
            Some(json!({"employee_id": eli_id, "template_id": t.id(), "reason": "Incident follow-ups", "starts_on": "2026-08-03"})),
            &[("Idempotency-Key", "pip-1")])
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.id();
    assert_eq!(r.body["ends_on"], "2026-09-02");
    assert_eq!(r.body["expectations"], "Close incidents on time");
    assert_eq!(r.body["check_in_every_days"], 7);
    assert_eq!(r.body["manager_id"], m_id.to_string());
    let due: Vec<&str> = r.body["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["due_date"].as_str().unwrap())
        .collect();
    assert_eq!(due, ["2026-08-13", "2026-08-28"]);

    // A draft: the person does not see it; nobody outside the chain and HR ever does.
    let url = format!("/api/v1/pips/{id}");
    for (who, status) in [
        (&eli, 404),
        (&jane, 404),
        (&sales, 404),
        (&acme, 404),
        (&ceo, 200),
        (&admin, 200),
        (&manager, 200),
    ] {
        assert_eq!(api.get(&url, who).await.status.as_u16(), status);
    }
    // Check-ins start once it is active.
    let ci = json!({"check_in_date": "2026-08-10", "progress_rating": "SOME_PROGRESS", "notes": "Half the backlog done"});
    let r = api
        .post(&format!("{url}/check-ins"), &manager, ci.clone())
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "invalid_transition")
    );

    // HR activates it: the first check-in is due one interval after the start, and the
    // manager and the person are told.
    let r = move_to(&api, &admin, id, "ACTIVE").await;
    assert_eq!(r.body["next_check_in_on"], "2026-08-10");
    assert_eq!(api.notified(m_id, "pip.check_in_due", id).await, 1);
    assert_eq!(api.notified(eli_id, "pip.check_in_due", id).await, 1);
    // Now the person sees the plan, but does not run it.
    assert_eq!(api.get(&url, &eli).await.status, StatusCode::OK);
    for (method, path, body) in [
        (Method::POST, "/transition", json!({"status": "ON_TRACK"})),
        (Method::POST, "/check-ins", ci.clone()),
        (Method::PATCH, "", json!({"reason": "mine"})),
        (
            Method::POST,
            "/milestones",
            json!({"description": "x", "due_date": "2026-08-20"}),
        ),
    ] {
        let r = api
            .call(method, &format!("{url}{path}"), Some(&eli), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
    }
    for who in [&jane, &sales, &acme] {
        let r = api
            .post(
                &format!("{url}/transition"),
                who,
                json!({"status": "CANCELLED"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }

    // The manager checks in: the next one is due a week later (the person is told).
    let r = api.post(&format!("{url}/check-ins"), &manager, ci).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["next_check_in_on"], "2026-08-17");
    assert_eq!(r.body["check_ins"].as_array().unwrap().len(), 1);
    assert_eq!(api.notified(eli_id, "pip.check_in_due", id).await, 2);
    let mine = api
        .get("/api/v1/notifications?event=pip.check_in_due", &eli)
        .await;
    assert_eq!(
        mine.body["items"][0]["title"],
        "PIP check-in due on 2026-08-17"
    );
    // Outside the plan's period: refused.
    let r = api
        .post(
            &format!("{url}/check-ins"),
            &manager,
            json!({"check_in_date": "2026-12-01", "progress_rating": "ON_TRACK"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "out_of_range"));
    // Milestones: met.
    let m = r_milestone(&api.get(&url, &manager).await, 0);
    let r = api
        .patch(
            &format!("{url}/milestones/{m}"),
            &manager,
            json!({"status": "MET"}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (StatusCode::OK, Some("MET"))
    );
    assert_eq!(
        api.audited("pip_milestones", m, m_id).await,
        2,
        "created and marked met"
    );

    // Closed: its parts are closed with it.
    move_to(&api, &manager, id, "ON_TRACK").await;
    move_to(&api, &manager, id, "SUCCESSFUL").await;
    let r = api
        .patch(
            &format!("{url}/milestones/{m}"),
            &manager,
            json!({"status": "PENDING"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "record_closed")
    );
    let r = api
        .post(
            &format!("{url}/check-ins"),
            &manager,
            json!({"check_in_date": "2026-08-20", "progress_rating": "ON_TRACK"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "record_closed")
    );
    let closed = api.get(&url, &eli).await;
    assert!(closed.body["next_check_in_on"].is_null());
    assert_eq!(closed.body["outcome_notes"], "Outcome recorded with HR");
    // Lists follow the same rule.
    let listed = |r: &common::Resp| {
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == id.to_string())
    };
    assert!(listed(&api.get("/api/v1/pips", &eli).await));
    assert!(!listed(&api.get("/api/v1/pips", &jane).await));
    assert!(!listed(&api.get("/api/v1/pips", &sales).await));
    assert!(
        api.get("/api/v1/pips", &acme).await.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != id.to_string())
    );
    // The audit trail names who acted: HR activated, the manager checked in and closed.
    assert!(
        api.audited("performance_improvement_plans", id, demo_user("admin"))
            .await
            >= 1
    );
    assert!(api.audited("performance_improvement_plans", id, m_id).await >= 3);
    let check_in: Uuid = sqlx::query_scalar("SELECT id FROM pip_check_ins WHERE pip_id = $1")
        .bind(id)
        .fetch_one(&api.db.maintenance)
        .await?;
    assert_eq!(api.audited("pip_check_ins", check_in, m_id).await, 1);
    Ok(())
}

fn r_milestone(r: &common::Resp, i: usize) -> Uuid {
    r.body["milestones"][i]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn bad_input_is_refused_with_the_error_shape() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let manager = api.login("manager").await;
    let eli = demo_user("employee");
    let before = api
        .count("SELECT count(*) FROM performance_improvement_plans")
        .await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (
            json!({"employee_id": eli, "reason": "x", "starts_on": "2026-08-01", "ends_on": "2026-09-01", "severity": 3}),
            422,
            "validation_failed",
        ),
        (
            json!({"employee_id": eli, "reason": 7, "starts_on": "2026-08-01", "ends_on": "2026-09-01"}),
            422,
            "validation_failed",
        ),
        (
            json!({"employee_id": eli, "reason": "x", "starts_on": "01/08/2026", "ends_on": "2026-09-01"}),
            422,
            "validation_failed",
        ),
        (
            json!({"employee_id": eli, "reason": "x", "starts_on": "2026-08-01"}),
            422,
            "validation_failed",
        ),
        (
            json!({"employee_id": eli, "reason": "x", "starts_on": "2026-08-01", "ends_on": "2026-07-01"}),
            422,
            "validation_failed",
        ),
        (
            json!({"employee_id": eli, "reason": "x", "starts_on": "2026-08-01", "ends_on": "2026-09-01", "check_in_every_days": 0}),
            422,
            "validation_failed",
        ),
        (
            json!({"employee_id": eli, "reason": "x", "starts_on": "2026-08-01", "template_id": Uuid::new_v4()}),
            422,
            "validation_failed",
        ),
        (
            // Lena is not the manager's to see: 404, as for a compensation decision.
            json!({"employee_id": demo_user("lena"), "reason": "x", "starts_on": "2026-08-01", "ends_on": "2026-09-01"}),
            404,
            "not_found",
        ),
    ];
    for (body, status, code) in cases {
        let r = api.post("/api/v1/pips", &manager, body.clone()).await;
        assert_eq!(
            (r.status.as_u16(), r.code()),
            (status, code),
            "{body}: {}",
            r.body
        );
        assert!(r.body["error"]["message"].is_string());
    }
    assert_eq!(
        api.count("SELECT count(*) FROM performance_improvement_plans")
            .await,
        before
    );
    let id = new_pip(&api, &manager).await;
    for body in [
        json!({"status": "PAUSED"}),
        json!({"status": "ACTIVE", "force": true}),
        json!({"status": 1}),
    ] {
        let r = api
            .post(
                &format!("/api/v1/pips/{id}/transition"),
                &manager,
                body.clone(),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{body}"
        );
    }
    let r = api
        .post(
            &format!("/api/v1/pips/{id}/milestones"),
            &manager,
            json!({"description": "x", "due_date": "soon"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = api.get("/api/v1/pips?status=DONE", &manager).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_query")
    );
    assert_eq!(
        api.get(&format!("/api/v1/pips/{id}"), &manager).await.body["status"],
        "DRAFT"
    );
    Ok(())
}
