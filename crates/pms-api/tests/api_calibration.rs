//! Calibration over the API on the demo company: every allowed session move works and every
//! other is refused with its code and changes nothing; a moved rating needs a rationale and
//! keeps its original; the distribution against the target curve; finalizing locks the
//! cycle's ratings, in the API and in the database (as `pms_app`, whatever the caller).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

const STATUSES: [&str; 4] = ["PLANNED", "IN_PROGRESS", "COMPLETED", "CANCELLED"];

fn allowed(from: &str) -> &'static [&'static str] {
    match from {
        "PLANNED" => &["IN_PROGRESS", "CANCELLED"],
        "IN_PROGRESS" => &["COMPLETED", "CANCELLED"],
        _ => &[],
    }
}

fn path_to(status: &str) -> &'static [&'static str] {
    match status {
        "PLANNED" => &[],
        "IN_PROGRESS" => &["IN_PROGRESS"],
        "COMPLETED" => &["IN_PROGRESS", "COMPLETED"],
        "CANCELLED" => &["CANCELLED"],
        _ => unreachable!(),
    }
}

async fn new_session(api: &Api, hr: &str, cycle: Uuid, target: serde_json::Value) -> Uuid {
    let r = api
        .post(
            "/api/v1/calibration/sessions",
            hr,
            json!({"cycle_id": cycle, "name": "Engineering calibration", "facilitator_id": demo_user("admin"),
                   "target_distribution": target}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["status"], "PLANNED");
    r.id()
}

async fn move_to(api: &Api, hr: &str, id: Uuid, status: &str) -> common::Resp {
    api.post(
        &format!("/api/v1/calibration/sessions/{id}/transition"),
        hr,
        json!({ "status": status }),
    )
    .await
}

#[tokio::test]
async fn every_allowed_session_move_works_and_every_other_is_refused_unchanged()
-> anyhow::Result<()> {
    let api = Api::start().await?;
    let hr = api.login("admin").await;
    let (cycle, _) = api.calibration_cycle("Q3 calibration moves").await;
    let (mut ok, mut refused) = (0, 0);
    for from in STATUSES {
        for to in STATUSES.iter().filter(|s| **s != from) {
            let id = new_session(&api, &hr, cycle, json!({})).await;
            for step in path_to(from) {
                let r = move_to(&api, &hr, id, step).await;
                assert_eq!(r.status, StatusCode::OK, "{from}: {step}: {}", r.body);
            }
            let before = api.row_text("calibration_sessions", id).await;
            let r = move_to(&api, &hr, id, to).await;
            if allowed(from).contains(to) {
                assert_eq!(r.status, StatusCode::OK, "{from} -> {to}: {}", r.body);
                assert_eq!(r.body["status"], *to);
                ok += 1;
            } else {
                assert_eq!(r.status, StatusCode::CONFLICT, "{from} -> {to}: {}", r.body);
                let want = if matches!(from, "COMPLETED" | "CANCELLED") {
                    "record_closed"
                } else {
                    "invalid_transition"
                };
                assert_eq!(r.code(), want, "{from} -> {to}: {}", r.body);
                assert_eq!(api.row_text("calibration_sessions", id).await, before);
                refused += 1;
            }
        }
    }
    assert_eq!((ok, refused), (4, 8));
    // Unknown status: 422; a manager: 403; an employee who takes no part: 404.
    let id = new_session(&api, &hr, cycle, json!({})).await;
    assert_eq!(
        move_to(&api, &hr, id, "DONE").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mgr = api.login("manager").await;
    let emp = api.login("employee").await;
    assert_eq!(
        move_to(&api, &mgr, id, "IN_PROGRESS").await.status,
        StatusCode::NOT_FOUND
    );
    let r = api
        .post(
            &format!("/api/v1/calibration/sessions/{id}/participants"),
            &hr,
            json!({"user_id": demo_user("manager")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        api.get(&format!("/api/v1/calibration/sessions/{id}"), &mgr)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        move_to(&api, &mgr, id, "IN_PROGRESS").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.get(&format!("/api/v1/calibration/sessions/{id}"), &emp)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A seat twice is a 409; a closed session's roster does not change.
    let r = api
        .post(
            &format!("/api/v1/calibration/sessions/{id}/participants"),
            &hr,
            json!({"user_id": demo_user("manager")}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "already_exists"),
        "{}",
        r.body
    );
    assert_eq!(
        move_to(&api, &hr, id, "CANCELLED").await.status,
        StatusCode::OK
    );
    let r = api
        .post(
            &format!("/api/v1/calibration/sessions/{id}/participants"),
            &hr,
            json!({"user_id": demo_user("jane")}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "record_closed"),
        "{}",
        r.body
    );
    let r = api
        .call(
            reqwest::Method::DELETE,
            &format!(
                "/api/v1/calibration/sessions/{id}/participants/{}",
                demo_user("manager")
            ),
            Some(&hr),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "record_closed"),
        "{}",
        r.body
    );
    // Every session write is audited with the acting person.
    assert!(
        api.audited("calibration_sessions", id, demo_user("admin"))
            .await
            >= 2
    );
    targets_and_sessions_are_checked(&api, &hr).await?;
    api.finish().await;
    Ok(())
}

#[tokio::test]
async fn a_moved_rating_needs_a_rationale_keeps_its_original_and_finalize_locks_the_cycle()
-> anyhow::Result<()> {
    let api = Api::start().await?;
    let hr = api.login("admin").await;
    let mgr = api.login("manager").await;
    let (cycle, reviews) = api.calibration_cycle("Q3 calibration").await;
    let (jane, eli) = (reviews[0], reviews[1]);
    let curve = json!({"1": 0.1, "2": 0.2, "3": 0.4, "4": 0.2, "5": 0.1});
    let s = new_session(&api, &hr, cycle, curve).await;
    let ratings = format!("/api/v1/calibration/sessions/{s}/ratings");
    let count = format!("SELECT count(*) FROM calibration_ratings WHERE session_id = '{s}'");

    // Not while the session is planned.
    let r = api
        .post(
            &ratings,
            &hr,
            json!({"review_id": jane, "rating": 4.5, "rationale": "Led the migration"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "session_not_in_progress"),
        "{}",
        r.body
    );
    assert_eq!(
        move_to(&api, &hr, s, "IN_PROGRESS").await.status,
        StatusCode::OK
    );

    // A moved rating without a rationale (absent or blank) is refused and changes nothing.
    let before = api.row_text("performance_reviews", jane).await;
    for body in [
        json!({"review_id": jane, "rating": 4.5}),
        json!({"review_id": jane, "rating": 4.5, "rationale": "   "}),
    ] {
        let r = api.post(&ratings, &hr, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            r.body["error"]["fields"][0]["path"], "rationale",
            "{}",
            r.body
        );
    }
    assert_eq!(api.row_text("performance_reviews", jane).await, before);
    assert_eq!(api.count(&count).await, 0);
    // Bad rating, manager (403), unknown review (422).
    let r = api
        .post(
            &ratings,
            &hr,
            json!({"review_id": jane, "rating": 5.5, "rationale": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = api
        .post(
            &ratings,
            &mgr,
            json!({"review_id": jane, "rating": 4.5, "rationale": "x"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a manager who takes no part does not see the session"
    );
    let r = api
        .post(
            &ratings,
            &hr,
            json!({"review_id": Uuid::new_v4(), "rating": 4.5, "rationale": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // With a rationale: the review takes the rating, the original is kept.
    let r = api
        .post(
            &ratings,
            &hr,
            json!({"review_id": jane, "rating": 4.5, "rationale": "Led the payments migration"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.body["original_rating"].as_f64(),
            r.body["adjusted_rating"].as_f64()
        ),
        (Some(4.0), Some(4.5))
    );
    assert_eq!(
        api.text(&format!(
            "SELECT status || ' ' || overall_rating FROM performance_reviews WHERE id = '{jane}'"
        ))
        .await,
        "CALIBRATED 4.50"
    );
    let r = api
        .post(
            &ratings,
            &hr,
            json!({"review_id": jane, "rating": 3.5, "rationale": "Aligned with peers"}),
        )
        .await;
    assert_eq!(r.body["original_rating"].as_f64(), Some(4.0), "{}", r.body);
    // Back to the original: no rationale needed.
    let r = api
        .post(&ratings, &hr, json!({"review_id": jane, "rating": 4.0}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = api
        .post(
            &ratings,
            &hr,
            json!({"review_id": eli, "rating": 3.5, "rationale": "Strong on-call quarter"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(api.count(&count).await, 2);

    // The database keeps the rules whatever the caller (pms_app, acting as HR).
    let admin = demo_user("admin");
    let e = api
        .as_app(
            admin,
            &format!(
                "UPDATE calibration_ratings SET original_rating = 1 WHERE review_id = '{jane}'"
            ),
        )
        .await;
    assert_eq!(e.unwrap_err(), "original_kept");
    let e = api.as_app(admin, &format!("UPDATE calibration_ratings SET adjusted_rating = 2, rationale = ' ' WHERE review_id = '{eli}'")).await;
    assert_eq!(e.unwrap_err(), "rationale_required");

    // The grid: original and current per review, by name (Doe, Employee, Patel).
    let g = api
        .get(
            &format!("/api/v1/review-cycles/{cycle}/calibration-grid"),
            &hr,
        )
        .await;
    assert_eq!(g.status, StatusCode::OK, "{}", g.body);
    let items = g.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["last_name"], "Doe");
    assert_eq!(
        (
            items[0]["original_rating"].as_f64(),
            items[0]["current_rating"].as_f64()
        ),
        (Some(4.0), Some(4.0))
    );
    assert_eq!(
        (
            items[1]["original_rating"].as_f64(),
            items[1]["current_rating"].as_f64()
        ),
        (Some(3.0), Some(3.5))
    );
    assert_eq!(items[1]["last_rationale"], "Strong on-call quarter");
    // The manager sees their people's rows; Jane, an employee, sees none (not her own either).
    let g = api
        .get(
            &format!("/api/v1/review-cycles/{cycle}/calibration-grid"),
            &mgr,
        )
        .await;
    assert_eq!(g.body["items"].as_array().unwrap().len(), 3, "{}", g.body);
    let jane_token = api.login("jane").await;
    let g = api
        .get(
            &format!("/api/v1/review-cycles/{cycle}/calibration-grid"),
            &jane_token,
        )
        .await;
    assert_eq!(g.body["items"].as_array().unwrap().len(), 0, "{}", g.body);

    // The distribution: 2.0, 3.5, 4.0 in bands 2, 4 and 4 (3.5 rounds up) against the curve.
    let d = api
        .get(
            &format!("/api/v1/calibration/sessions/{s}/distribution"),
            &hr,
        )
        .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(d.body["total"], 3);
    let bands = d.body["bands"].as_array().unwrap();
    let counts: Vec<i64> = bands.iter().map(|b| b["count"].as_i64().unwrap()).collect();
    assert_eq!(counts, vec![0, 1, 0, 2, 0]);
    assert_eq!(bands[3]["share"].as_f64(), Some(0.6667));
    assert_eq!(bands[3]["target_share"].as_f64(), Some(0.2));
    assert_eq!(bands[3]["gap"].as_f64(), Some(0.4667));
    assert_eq!(bands[2]["gap"].as_f64(), Some(-0.4));

    // Finalize: not by a manager, not with a session open, not on a cycle in another phase.
    let fin = format!("/api/v1/review-cycles/{cycle}/calibration/finalize");
    assert_eq!(
        api.post(&fin, &mgr, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let r = api.post(&fin, &hr, json!({})).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "sessions_open"),
        "{}",
        r.body
    );
    let mid_year = api
        .text("SELECT id::text FROM review_cycles WHERE name = 'Mid-year review 2026'")
        .await;
    let r = api
        .post(
            &format!("/api/v1/review-cycles/{mid_year}/calibration/finalize"),
            &hr,
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "cycle_phase"),
        "{}",
        r.body
    );
    assert_eq!(
        move_to(&api, &hr, s, "COMPLETED").await.status,
        StatusCode::OK
    );
    let r = api.post(&fin, &hr, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.body["reviews_finalized"].as_i64(),
            r.body["status"].as_str()
        ),
        (Some(3), Some("FINALIZATION"))
    );
    let r = api.post(&fin, &hr, json!({})).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "ratings_locked"),
        "{}",
        r.body
    );

    // Locked: no adjustment, no new session, no rating change, no unlock, even as pms_app.
    let before = api.row_text("performance_reviews", jane).await;
    let r = api
        .post(
            &ratings,
            &hr,
            json!({"review_id": jane, "rating": 5.0, "rationale": "Late news"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "ratings_locked"),
        "{}",
        r.body
    );
    let r = api
        .post(
            "/api/v1/calibration/sessions",
            &hr,
            json!({"cycle_id": cycle, "name": "Second look"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "ratings_locked"),
        "{}",
        r.body
    );
    let e = api
        .as_app(
            admin,
            &format!("UPDATE performance_reviews SET overall_rating = 1 WHERE id = '{jane}'"),
        )
        .await;
    assert_eq!(e.unwrap_err(), "ratings_locked");
    let e = api
        .as_app(
            admin,
            &format!("UPDATE review_cycles SET calibration_locked_at = NULL WHERE id = '{cycle}'"),
        )
        .await;
    assert_eq!(e.unwrap_err(), "ratings_locked");
    let e = api
        .as_app(
            admin,
            &format!("DELETE FROM calibration_ratings WHERE review_id = '{eli}'"),
        )
        .await;
    assert_eq!(e.unwrap_err(), "ratings_locked");
    assert_eq!(api.row_text("performance_reviews", jane).await, before);
    assert_eq!(api.count(&count).await, 2);
    // The adjustments are audited with the acting person.
    let cr: Uuid = api
        .text(&format!(
            "SELECT id::text FROM calibration_ratings WHERE review_id = '{jane}'"
        ))
        .await
        .parse()?;
    assert!(api.audited("calibration_ratings", cr, admin).await >= 3);
    api.finish().await;
    Ok(())
}

/// Target curves and session input are checked (on the session-move test's server).
async fn targets_and_sessions_are_checked(api: &Api, hr: &str) -> anyhow::Result<()> {
    let hr = hr.to_string();

    let (cycle, _) = api.calibration_cycle("Q3 checks").await;
    for bad in [
        json!({"1": 0.5, "2": 0.4}),
        json!({"top": 1.0}),
        json!({"exceeds": 1.5, "meets": -0.5}),
        json!([1]),
    ] {
        let r = api
            .post(
                "/api/v1/calibration/sessions",
                &hr,
                json!({"cycle_id": cycle, "name": "x", "target_distribution": bad}),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
    }
    let r = api
        .post(
            "/api/v1/calibration/sessions",
            &hr,
            json!({"cycle_id": Uuid::new_v4(), "name": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let emp = api.login("employee").await;
    let r = api
        .post(
            "/api/v1/calibration/sessions",
            &emp,
            json!({"cycle_id": cycle, "name": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM calibration_sessions WHERE cycle_id = '{cycle}'"
        ))
        .await,
        0
    );
    // Named bands: below / meets / exceeds.
    let s = new_session(
        api,
        &hr,
        cycle,
        json!({"below": 0.1, "meets": 0.7, "exceeds": 0.2}),
    )
    .await;
    let d = api
        .get(
            &format!("/api/v1/calibration/sessions/{s}/distribution"),
            &hr,
        )
        .await;
    let bands: Vec<(String, i64)> = d.body["bands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["band"].as_str().unwrap().to_string(),
                b["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        bands,
        vec![
            ("below".into(), 1),
            ("meets".into(), 1),
            ("exceeds".into(), 1)
        ]
    );
    // The list filters by cycle; the employee sees none.
    let l = api
        .get(
            &format!("/api/v1/calibration/sessions?cycle_id={cycle}"),
            &hr,
        )
        .await;
    assert_eq!(l.body["items"].as_array().unwrap().len(), 1);
    let l = api.get("/api/v1/calibration/sessions", &emp).await;
    assert_eq!(l.body["items"].as_array().unwrap().len(), 0);
    // PATCH with If-Match.
    let g = api
        .get(&format!("/api/v1/calibration/sessions/{s}"), &hr)
        .await;
    let r = api
        .patch_if(
            &format!("/api/v1/calibration/sessions/{s}"),
            &hr,
            json!({"name": "Renamed"}),
            "\"1\"",
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let r = api
        .patch_if(
            &format!("/api/v1/calibration/sessions/{s}"),
            &hr,
            json!({"name": "Renamed"}),
            &g.etag(),
        )
        .await;
    assert_eq!(
        (r.status, r.body["name"].as_str()),
        (StatusCode::OK, Some("Renamed")),
        "{}",
        r.body
    );

    Ok(())
}
