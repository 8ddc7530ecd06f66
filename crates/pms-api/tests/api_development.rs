//! Development plans and career paths over the API on the demo company: the plan workflow
//! (every allowed move works, every other is refused unchanged), progress from activities,
//! checkpoints that keep the day's progress, career path suggestions from the schema's paths,
//! visibility, the audit trail, bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn plans_move_through_their_workflow_and_progress_follows_activities() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let jane = api.login("jane").await;
    let manager = api.login("manager").await;
    let lena = api.login("lena").await;
    let jane_id = demo_user("jane");

    let paths = api.get("/api/v1/career-paths", &jane).await;
    let ic = paths.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Engineering IC track")
        .unwrap()
        .clone();
    let staff = ic["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["level"] == 6)
        .unwrap()["id"]
        .clone();
    let r = api
        .post("/api/v1/development-plans", &jane, json!({"title": "Towards staff", "career_path_id": ic["id"], "target_step_id": staff, "starts_on": "2026-08-01", "ends_on": "2027-07-31"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.id();
    let url = format!("/api/v1/development-plans/{id}");
    assert_eq!(
        (r.body["status"].as_str(), r.body["manager_id"].as_str()),
        (
            Some("DRAFT"),
            Some(demo_user("manager").to_string().as_str())
        )
    );

    // Refused moves change nothing; allowed ones apply.
    let before = api.row_text("development_plans", id).await;
    for to in ["COMPLETED", "DRAFT"] {
        let r = api.patch(&url, &jane, json!({"status": to})).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "invalid_transition"),
            "DRAFT -> {to}"
        );
    }
    assert_eq!(api.row_text("development_plans", id).await, before);
    let r = api
        .patch_if(&url, &jane, json!({"status": "ACTIVE"}), "\"3\"")
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let cur = api.get(&url, &jane).await;
    let r = api
        .patch_if(&url, &jane, json!({"status": "ACTIVE"}), &cur.etag())
        .await;
    assert_eq!(r.body["status"], "ACTIVE", "{}", r.body);
    let r = api.patch(&url, &jane, json!({"status": "DRAFT"})).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "invalid_transition")
    );

    // Progress: the share of activities done, dropped ones not counted.
    let a1 = api
        .post(
            &format!("{url}/activities"),
            &jane,
            json!({"title": "Lead a design review", "activity_type": "STRETCH_ASSIGNMENT"}),
        )
        .await;
    assert_eq!(a1.status, StatusCode::CREATED, "{}", a1.body);
    let a2 = api
        .post(
            &format!("{url}/activities"),
            &manager,
            json!({"title": "Distributed systems course", "due_date": "2026-12-31"}),
        )
        .await;
    assert_eq!(a2.body["progress"], 0.0);
    let ids: Vec<String> = a2.body["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    let r = api
        .patch(
            &format!("{url}/activities/{}", ids[0]),
            &jane,
            json!({"status": "DONE"}),
        )
        .await;
    assert_eq!(r.body["progress"], 50.0, "{}", r.body);
    let r = api
        .patch(
            &format!("{url}/activities/{}", ids[1]),
            &jane,
            json!({"status": "DROPPED"}),
        )
        .await;
    assert_eq!(r.body["progress"], 100.0);

    // A checkpoint completed keeps the progress of that day, once.
    let c = api
        .post(
            &format!("{url}/checkpoints"),
            &manager,
            json!({"scheduled_on": "2026-10-01"}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let done = api
        .post(
            &format!("{url}/checkpoints/{}/complete", c.id()),
            &manager,
            json!({"notes": "On track"}),
        )
        .await;
    assert_eq!(
        (done.status, done.body["progress_snapshot"].as_f64()),
        (StatusCode::OK, Some(100.0)),
        "{}",
        done.body
    );
    let again = api
        .post(
            &format!("{url}/checkpoints/{}/complete", c.id()),
            &manager,
            json!({}),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "invalid_transition")
    );

    // Completed: the plan and its parts are closed.
    let r = api
        .patch(&url, &manager, json!({"status": "COMPLETED"}))
        .await;
    assert_eq!(r.body["status"], "COMPLETED");
    let before = api.row_text("development_plans", id).await;
    for (path, body) in [
        ("", json!({"title": "x"})),
        ("", json!({"status": "CANCELLED"})),
    ] {
        let r = api.patch(&format!("{url}{path}"), &jane, body).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "record_closed"),
            "{}",
            r.body
        );
    }
    let r = api
        .post(
            &format!("{url}/activities"),
            &jane,
            json!({"title": "more"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "record_closed")
    );
    assert_eq!(api.row_text("development_plans", id).await, before);
    // CANCELLED from DRAFT and from ACTIVE.
    for steps in [vec!["CANCELLED"], vec!["ACTIVE", "CANCELLED"]] {
        let p = api
            .post(
                "/api/v1/development-plans",
                &manager,
                json!({"employee_id": jane_id, "title": "Alt", "starts_on": "2026-08-01"}),
            )
            .await;
        for s in &steps {
            let r = api
                .patch(
                    &format!("/api/v1/development-plans/{}", p.id()),
                    &manager,
                    json!({"status": s}),
                )
                .await;
            assert_eq!(r.body["status"], *s, "{}", r.body);
        }
    }

    // Visibility: the person, their chain, HR; not a peer in another team.
    assert_eq!(api.get(&url, &lena).await.status, StatusCode::NOT_FOUND);
    assert_eq!(api.get(&url, &manager).await.status, StatusCode::OK);
    assert_eq!(
        api.patch(&url, &lena, json!({"title": "pwned"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = api
        .post(
            "/api/v1/development-plans",
            &lena,
            json!({"employee_id": jane_id, "title": "x", "starts_on": "2026-08-01"}),
        )
        .await;
    // Jane is not Lena's to see: 404, as for a compensation decision.
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Audit: Jane's and the manager's writes, each under their name.
    assert!(api.audited("development_plans", id, jane_id).await >= 2);
    assert!(
        api.audited("development_plans", id, demo_user("manager"))
            .await
            >= 1
    );
    assert_eq!(
        api.audited("development_checkpoints", c.id(), demo_user("manager"))
            .await,
        2
    );
    Ok(())
}

#[tokio::test]
async fn career_suggestions_come_from_the_career_paths() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let jane = api.login("jane").await;
    let manager = api.login("manager").await;
    let lena = api.login("lena").await;
    // Jane is a level-5 engineer: the next IC step (staff, level 6) before management (7).
    let r = api
        .get(
            &format!("/api/v1/people/{}/career-suggestions", demo_user("jane")),
            &jane,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let steps: Vec<(&str, i64, bool)> = r.body["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["step_title"].as_str().unwrap(),
                s["level_gap"].as_i64().unwrap(),
                s["same_department"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("Staff Software Engineer", 1, true),
            ("Engineering Manager", 2, true)
        ]
    );
    // Eli (level 4): senior first. His manager may ask; a peer elsewhere may not.
    let eli = format!(
        "/api/v1/people/{}/career-suggestions",
        demo_user("employee")
    );
    let r = api.get(&eli, &manager).await;
    assert_eq!(
        r.body["suggestions"][0]["step_title"],
        "Senior Software Engineer"
    );
    assert_eq!(api.get(&eli, &lena).await.status, StatusCode::NOT_FOUND);
    assert_eq!(api.get(&eli, &jane).await.status, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn bad_input_is_refused_with_the_error_shape() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let jane = api.login("jane").await;
    let before = api.count("SELECT count(*) FROM development_plans").await;
    for body in [
        json!({"title": "x", "starts_on": "2026-08-01", "mentor": "me"}),
        json!({"title": "", "starts_on": "2026-08-01"}),
        json!({"title": "x", "starts_on": 20260801}),
        json!({"title": "x", "starts_on": "2026-08-01", "ends_on": "2026-01-01"}),
        json!({"title": "x", "starts_on": "2026-08-01", "target_step_id": uuid::Uuid::new_v4()}),
        json!({"title": "x", "starts_on": "2026-08-01", "career_path_id": uuid::Uuid::new_v4()}),
    ] {
        let r = api
            .post("/api/v1/development-plans", &jane, body.clone())
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{body}: {}",
            r.body
        );
    }
    assert_eq!(
        api.count("SELECT count(*) FROM development_plans").await,
        before
    );
    let p = api
        .post(
            "/api/v1/development-plans",
            &jane,
            json!({"title": "x", "starts_on": "2026-08-01"}),
        )
        .await;
    let url = format!("/api/v1/development-plans/{}", p.id());
    for body in [json!({"status": "PAUSED"}), json!({"progress": 50})] {
        let r = api.patch(&url, &jane, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let r = api
        .post(
            &format!("{url}/activities"),
            &jane,
            json!({"title": "x", "activity_type": "NAP"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = api
        .get("/api/v1/development-plans?status=DONE", &jane)
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_query")
    );
    Ok(())
}
