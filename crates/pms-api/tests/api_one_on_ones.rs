//! One-on-ones over the API on the demo company: the workflow (scheduled -> completed or
//! cancelled; every other move refused with its code, changing nothing), ETags and
//! Idempotency-Key, the agenda and action items, the notifications it sends, the audit trail
//! naming the acting person, and private notes that nobody but their writer ever sees.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_workflow_moves_only_forward_and_every_write_is_audited() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let manager = api.login("manager").await;
    let jane = api.login("jane").await;
    let (m_id, jane_id) = (demo_user("manager"), demo_user("jane"));

    // Schedule, with an agenda; a retry with the same Idempotency-Key replays the answer.
    let body = json!({"employee_id": jane_id, "scheduled_at": "2026-09-01T10:00:00Z",
                      "duration_minutes": 45, "recurrence": "WEEKLY", "agenda": ["Roadmap", "Growth"]});
    let key = [("Idempotency-Key", "o3-1")];
    let r = api
        .call_with(
            Method::POST,
            "/api/v1/one-on-ones",
            Some(&manager),
            Some(body.clone()),
            &key,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.id();
    assert_eq!(r.body["status"], "SCHEDULED");
    assert_eq!(r.body["manager_id"], m_id.to_string());
    assert_eq!(r.body["agenda"].as_array().unwrap().len(), 2);
    let again = api
        .call_with(
            Method::POST,
            "/api/v1/one-on-ones",
            Some(&manager),
            Some(body),
            &key,
        )
        .await;
    assert_eq!(again.id(), id);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(
        api.count(&format!("SELECT count(*) FROM one_on_ones WHERE manager_id = '{m_id}' AND scheduled_at = '2026-09-01T10:00:00Z'")).await,
        1
    );
    // Jane was told, the manager (who acted) was not.
    assert_eq!(api.notified(jane_id, "one_on_one.scheduled", id).await, 1);
    assert_eq!(api.notified(m_id, "one_on_one.scheduled", id).await, 0);
    let seen = api
        .get("/api/v1/notifications?event=one_on_one.scheduled", &jane)
        .await;
    assert!(
        seen.body["items"][0]["title"]
            .as_str()
            .unwrap()
            .contains("Morgan")
    );

    // Moving the meeting honours If-Match and notifies again.
    let stale = api
        .patch_if(
            &format!("/api/v1/one-on-ones/{id}"),
            &manager,
            json!({"scheduled_at": "2026-09-02T10:00:00Z"}),
            "\"1\"",
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let moved = api
        .patch_if(
            &format!("/api/v1/one-on-ones/{id}"),
            &manager,
            json!({"scheduled_at": "2026-09-02T10:00:00Z"}),
            &r.etag(),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(api.notified(jane_id, "one_on_one.scheduled", id).await, 2);

    // SCHEDULED -> COMPLETED, by the employee (either person may).
    let done = api
        .post_if(
            &format!("/api/v1/one-on-ones/{id}/complete"),
            &jane,
            json!({"shared_notes": "Agreed on the roadmap", "mood": 4}),
            &moved.etag(),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["status"], "COMPLETED");
    assert!(done.body["completed_at"].is_string());

    // From COMPLETED nothing moves, and its time is fixed; its notes stay open.
    let before = api.row_text("one_on_ones", id).await;
    for (path, body, code) in [
        ("complete", json!({}), "invalid_transition"),
        ("cancel", json!({"reason": "late"}), "invalid_transition"),
    ] {
        let r = api
            .post(&format!("/api/v1/one-on-ones/{id}/{path}"), &manager, body)
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, code),
            "{path}: {}",
            r.body
        );
    }
    let r = api
        .patch(
            &format!("/api/v1/one-on-ones/{id}"),
            &manager,
            json!({"scheduled_at": "2026-09-09T10:00:00Z"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "record_closed")
    );
    assert_eq!(
        api.row_text("one_on_ones", id).await,
        before,
        "refusals change nothing"
    );
    let notes = api
        .patch(
            &format!("/api/v1/one-on-ones/{id}"),
            &manager,
            json!({"shared_notes": "Follow-up in two weeks"}),
        )
        .await;
    assert_eq!(notes.status, StatusCode::OK);

    // SCHEDULED -> CANCELLED; a cancelled meeting refuses every change.
    let r = api
        .post(
            "/api/v1/one-on-ones",
            &manager,
            json!({"employee_id": jane_id, "scheduled_at": "2026-09-10T10:00:00Z"}),
        )
        .await;
    let second = r.id();
    let c = api
        .post(
            &format!("/api/v1/one-on-ones/{second}/cancel"),
            &manager,
            json!({"reason": "offsite"}),
        )
        .await;
    assert_eq!(
        (c.status, c.body["status"].as_str()),
        (StatusCode::OK, Some("CANCELLED"))
    );
    assert_eq!(c.body["cancellation_reason"], "offsite");
    assert_eq!(
        api.notified(jane_id, "one_on_one.cancelled", second).await,
        1
    );
    let before = api.row_text("one_on_ones", second).await;
    let agenda_before = api
        .count(&format!(
            "SELECT count(*) FROM one_on_one_agenda_items WHERE one_on_one_id = '{second}'"
        ))
        .await;
    for (method, path, body, code) in [
        (Method::POST, "complete", json!({}), "record_closed"),
        (Method::POST, "cancel", json!({}), "invalid_transition"),
        (
            Method::PATCH,
            "",
            json!({"shared_notes": "x"}),
            "record_closed",
        ),
        (
            Method::POST,
            "agenda",
            json!({"topic": "x"}),
            "record_closed",
        ),
        (
            Method::POST,
            "action-items",
            json!({"assignee_id": jane_id, "description": "x"}),
            "record_closed",
        ),
    ] {
        let url = if path.is_empty() {
            format!("/api/v1/one-on-ones/{second}")
        } else {
            format!("/api/v1/one-on-ones/{second}/{path}")
        };
        let r = api
            .call(method.clone(), &url, Some(&manager), Some(body))
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, code),
            "{method} {url}: {}",
            r.body
        );
    }
    assert_eq!(api.row_text("one_on_ones", second).await, before);
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM one_on_one_agenda_items WHERE one_on_one_id = '{second}'"
        ))
        .await,
        agenda_before
    );

    // Every write named its actor in the audit trail.
    assert!(
        api.audited("one_on_ones", id, m_id).await >= 2,
        "schedule and move by the manager"
    );
    assert!(
        api.audited("one_on_ones", id, jane_id).await >= 1,
        "completion by Jane"
    );
    assert!(api.audited("one_on_ones", second, m_id).await >= 2);
    Ok(())
}

#[tokio::test]
async fn agenda_and_action_items_follow_the_meeting() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let manager = api.login("manager").await;
    let eli = api.login("employee").await;
    let lena = api.login("lena").await;
    let eli_id = demo_user("employee");
    let r = api
        .post("/api/v1/one-on-ones", &eli, json!({"employee_id": eli_id, "manager_id": demo_user("manager"), "scheduled_at": "2026-10-01T09:00:00Z"}))
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "an employee may book time with their manager: {}",
        r.body
    );
    let id = r.id();
    assert_eq!(
        api.notified(demo_user("manager"), "one_on_one.scheduled", id)
            .await,
        1
    );

    let a = api
        .post(
            &format!("/api/v1/one-on-ones/{id}/agenda"),
            &eli,
            json!({"topic": "Promotion"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let item = a.id();
    let d = api
        .patch_if(
            &format!("/api/v1/one-on-ones/{id}/agenda/{item}"),
            &manager,
            json!({"is_discussed": true}),
            &a.etag(),
        )
        .await;
    assert_eq!(
        (d.status, d.body["is_discussed"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    assert_eq!(
        api.audited("one_on_one_agenda_items", item, demo_user("manager"))
            .await,
        1
    );

    // Action items go to one of the two people meeting.
    let bad = api
        .post(
            &format!("/api/v1/one-on-ones/{id}/action-items"),
            &manager,
            json!({"assignee_id": demo_user("jane"), "description": "x"}),
        )
        .await;
    assert_eq!(
        (bad.status, bad.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let ai = api
        .post(&format!("/api/v1/one-on-ones/{id}/action-items"), &manager, json!({"assignee_id": eli_id, "description": "Write the runbook", "due_date": "2026-10-15"}))
        .await;
    assert_eq!(ai.status, StatusCode::CREATED, "{}", ai.body);
    let done = api
        .patch(
            &format!("/api/v1/one-on-ones/{id}/action-items/{}", ai.id()),
            &eli,
            json!({"done": true}),
        )
        .await;
    assert!(done.body["completed_at"].is_string(), "{}", done.body);

    // Someone outside the meeting's circle sees none of it.
    for path in [
        format!("/api/v1/one-on-ones/{id}"),
        format!("/api/v1/one-on-ones/{id}/private-note"),
    ] {
        assert_eq!(api.get(&path, &lena).await.status, StatusCode::NOT_FOUND);
    }
    let r = api
        .patch(
            &format!("/api/v1/one-on-ones/{id}/agenda/{item}"),
            &lena,
            json!({"topic": "pwned"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = api
        .call(
            Method::DELETE,
            &format!("/api/v1/one-on-ones/{id}/agenda/{item}"),
            Some(&lena),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let del = api
        .call(
            Method::DELETE,
            &format!("/api/v1/one-on-ones/{id}/agenda/{item}"),
            Some(&eli),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let list = api
        .get(
            &format!("/api/v1/one-on-ones?person_id={eli_id}&status=SCHEDULED"),
            &manager,
        )
        .await;
    assert!(
        list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == id.to_string())
    );
    assert!(
        api.get("/api/v1/one-on-ones", &lena).await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    Ok(())
}

#[tokio::test]
async fn private_notes_are_seen_by_their_writer_only() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let manager = api.login("manager").await;
    let jane = api.login("jane").await;
    let admin = api.login("admin").await;
    let ceo = api.login("ceo").await;
    let r = api
        .post(
            "/api/v1/one-on-ones",
            &manager,
            json!({"employee_id": demo_user("jane"), "scheduled_at": "2026-11-01T10:00:00Z"}),
        )
        .await;
    let id = r.id();
    let url = format!("/api/v1/one-on-ones/{id}/private-note");
    let m = api
        .call(
            Method::PUT,
            &url,
            Some(&manager),
            Some(json!({"body": "manager-secret-7f3"})),
        )
        .await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    let j = api
        .call(
            Method::PUT,
            &url,
            Some(&jane),
            Some(json!({"body": "jane-secret-91c"})),
        )
        .await;
    assert_eq!(j.status, StatusCode::OK, "{}", j.body);
    // Rewriting with a stale If-Match is refused; with the ETag it applies.
    let stale = api
        .call_with(
            Method::PUT,
            &url,
            Some(&jane),
            Some(json!({"body": "jane-secret-91c v2"})),
            &[("If-Match", "\"5\"")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let v2 = api
        .call_with(
            Method::PUT,
            &url,
            Some(&jane),
            Some(json!({"body": "jane-secret-91c v2"})),
            &[("If-Match", &j.etag())],
        )
        .await;
    assert_eq!(v2.status, StatusCode::OK, "{}", v2.body);

    let text = |r: &common::Resp| r.body.to_string();
    let own = api
        .get(&format!("/api/v1/one-on-ones/{id}"), &manager)
        .await;
    assert_eq!(own.body["my_private_note"]["body"], "manager-secret-7f3");
    assert!(!text(&own).contains("jane-secret"));
    let own = api.get(&format!("/api/v1/one-on-ones/{id}"), &jane).await;
    assert_eq!(own.body["my_private_note"]["body"], "jane-secret-91c v2");
    assert!(!text(&own).contains("manager-secret"));
    assert!(!text(&api.get(&url, &jane).await).contains("manager-secret"));
    // HR and the chain above see the meeting, but no private note.
    for who in [&admin, &ceo] {
        let r = api.get(&format!("/api/v1/one-on-ones/{id}"), who).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body["my_private_note"].is_null());
        assert!(!text(&r).contains("secret"), "{}", r.body);
        assert_eq!(api.get(&url, who).await.status, StatusCode::NOT_FOUND);
        let w = api
            .call(
                Method::PUT,
                &url,
                Some(who),
                Some(json!({"body": "hr note"})),
            )
            .await;
        assert_eq!(w.status, StatusCode::FORBIDDEN, "{}", w.body);
        let d = api.call(Method::DELETE, &url, Some(who), None).await;
        assert_eq!(d.status, StatusCode::NOT_FOUND);
    }
    // The seeded notes of other meetings stay their authors' too: HR lists meetings, no notes.
    let all = api.get("/api/v1/one-on-ones?limit=200", &admin).await;
    assert!(!text(&all).contains("ready for more scope"));
    // The audit trail records the notes' writes by their authors, without their words.
    let (entries, leaked): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE changes::text LIKE '%secret%') FROM audit_log
          WHERE table_name = 'one_on_one_private_notes' AND actor_user_id IN ($1, $2)",
    )
    .bind(demo_user("manager"))
    .bind(demo_user("jane"))
    .fetch_one(&api.db.maintenance)
    .await?;
    assert_eq!((entries, leaked), (3, 0));
    // Deleting my note leaves the other one.
    assert_eq!(
        api.call(Method::DELETE, &url, Some(&jane), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api.get(&url, &manager).await.body["body"],
        "manager-secret-7f3"
    );
    Ok(())
}

#[tokio::test]
async fn bad_input_is_refused_with_the_error_shape_and_creates_nothing() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let manager = api.login("manager").await;
    let jane = demo_user("jane");
    let before = api.count("SELECT count(*) FROM one_on_ones").await;
    for (body, field) in [
        (
            json!({"employee_id": jane, "scheduled_at": "2026-09-01T10:00:00Z", "colour": "red"}),
            "body",
        ),
        (
            json!({"employee_id": jane, "scheduled_at": 12}),
            "scheduled_at",
        ),
        (
            json!({"employee_id": "not-a-uuid", "scheduled_at": "2026-09-01T10:00:00Z"}),
            "employee_id",
        ),
        (
            json!({"employee_id": jane, "scheduled_at": "2026-09-01T10:00:00Z", "recurrence": "HOURLY"}),
            "recurrence",
        ),
        (
            json!({"employee_id": jane, "scheduled_at": "2026-09-01T10:00:00Z", "duration_minutes": 2}),
            "duration_minutes",
        ),
        (
            json!({"employee_id": jane, "scheduled_at": "2026-09-01T10:00:00Z", "agenda": ["  "]}),
            "agenda[0]",
        ),
        (
            json!({"employee_id": demo_user("lena"), "scheduled_at": "2026-09-01T10:00:00Z"}),
            "manager_id",
        ),
    ] {
        let r = api
            .post("/api/v1/one-on-ones", &manager, body.clone())
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert_eq!(r.code(), "validation_failed");
        let fields = r.body["error"]["fields"].as_array().unwrap();
        assert!(
            fields.iter().any(|f| f["path"]
                .as_str()
                .unwrap()
                .starts_with(field.split('[').next().unwrap()))
                || field == "body",
            "{body}: {}",
            r.body
        );
    }
    let r = api.get("/api/v1/one-on-ones?status=LATER", &manager).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_query")
    );
    let r = api.get("/api/v1/one-on-ones/123", &manager).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_path")
    );
    let r = api.get("/api/v1/one-on-ones?cursor=zz", &manager).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_cursor")
    );
    assert_eq!(api.count("SELECT count(*) FROM one_on_ones").await, before);
    Ok(())
}
