//! Notifications over the API on the demo company: the workflows send them in the transaction
//! of their change (feedback received, review due, one-on-one scheduled), as the recipient's
//! preferences say; a person lists and marks read their own only (HR included); bad input is
//! refused with the error shape.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use pms_seed::demo_tenants::{DEMO_COMPANY, tenant_id};
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn workflows_notify_as_preferences_say_and_only_the_recipient_reads() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let manager = api.login("manager").await;
    let jane = api.login("jane").await;
    let admin = api.login("admin").await;
    let jane_id = demo_user("jane");

    // Feedback received: named giver, and anonymous (nobody named).
    let f = api
        .post(
            "/api/v1/feedback",
            &manager,
            json!({"recipient_id": jane_id, "body": "Great launch"}),
        )
        .await;
    assert_eq!(f.status, StatusCode::CREATED, "{}", f.body);
    assert_eq!(api.notified(jane_id, "feedback.received", f.id()).await, 1);
    let a = api
        .post("/api/v1/feedback", &admin, json!({"recipient_id": jane_id, "body": "Thanks", "is_anonymous": true, "visibility": "PRIVATE"}))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let list = api
        .get("/api/v1/notifications?event=feedback.received", &jane)
        .await;
    let titles: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "You received anonymous feedback",
            "Morgan Manager gave you feedback"
        ]
    );

    // Review due: the reviewer of a new review with a due date.
    let cycle: Uuid = sqlx::query_scalar("SELECT id FROM review_cycles WHERE tenant_id = $1 AND status NOT IN ('COMPLETED', 'CANCELLED') ORDER BY created_at DESC LIMIT 1")
        .bind(tenant_id(&DEMO_COMPANY))
        .fetch_one(&api.db.maintenance)
        .await?;
    let r = api
        .post(
            "/api/v1/reviews",
            &admin,
            json!({"cycle_id": cycle, "reviewee_id": jane_id, "reviewer_id": demo_user("raj"),
                                               "review_type": "PEER", "due_date": "2026-09-30"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        api.notified(demo_user("raj"), "review.due", r.id()).await,
        1
    );

    // Preferences: Jane turns the in-app one-on-one notice off and email on.
    let p = api.get("/api/v1/notifications/preferences", &jane).await;
    assert_eq!(p.body["preferences"].as_array().unwrap().len(), 7);
    assert!(
        p.body["preferences"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["in_app"] == true && e["email"] == false)
    );
    let put = api
        .call(Method::PUT, "/api/v1/notifications/preferences", Some(&jane),
              Some(json!({"preferences": [{"event": "one_on_one.scheduled", "in_app": false, "email": true}]})))
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let o = api
        .post(
            "/api/v1/one-on-ones",
            &manager,
            json!({"employee_id": jane_id, "scheduled_at": "2026-09-01T10:00:00Z"}),
        )
        .await;
    let (in_app, email): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE channel = 'IN_APP'), count(*) FILTER (WHERE channel = 'EMAIL' AND status = 'PENDING')
           FROM notifications WHERE recipient_id = $1 AND entity_id = $2",
    )
    .bind(jane_id)
    .bind(o.id())
    .fetch_one(&api.db.maintenance)
    .await?;
    assert_eq!((in_app, email), (0, 1));
    // The manager's preferences are his own: Jane's choice did not change them.
    let mp = api.get("/api/v1/notifications/preferences", &manager).await;
    assert!(
        mp.body["preferences"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["in_app"] == true)
    );

    // Mark read: one, then all; only mine.
    let unread = api.get("/api/v1/notifications?unread=true", &jane).await;
    let items = unread.body["items"].as_array().unwrap().clone();
    assert!(items.len() >= 2);
    let first: Uuid = items[0]["id"].as_str().unwrap().parse()?;
    let before = api.row_text("notifications", first).await;
    for (m, path) in [
        (Method::GET, format!("/api/v1/notifications/{first}")),
        (Method::POST, format!("/api/v1/notifications/{first}/read")),
    ] {
        let r = api.call(m, &path, Some(&admin), None).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "HR does not read others' notifications"
        );
    }
    assert_eq!(api.row_text("notifications", first).await, before);
    let r = api
        .post(
            &format!("/api/v1/notifications/{first}/read"),
            &jane,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["read_at"].is_string());
    assert_eq!(r.body["status"], "READ");
    assert_eq!(api.audited("notifications", first, jane_id).await, 1);
    let again = api
        .post(
            &format!("/api/v1/notifications/{first}/read"),
            &jane,
            json!({}),
        )
        .await;
    assert_eq!(
        again.body["read_at"], r.body["read_at"],
        "reading twice changes nothing"
    );
    let all = api
        .post("/api/v1/notifications/read-all", &jane, json!({}))
        .await;
    assert_eq!(all.body["marked"].as_i64().unwrap(), items.len() as i64 - 1);
    assert!(
        api.get("/api/v1/notifications?unread=true", &jane)
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The manager's own notifications were untouched by Jane's read-all.
    assert!(
        api.count(&format!(
            "SELECT count(*) FROM notifications WHERE recipient_id = '{}' AND read_at IS NULL",
            demo_user("manager")
        ))
        .await
            >= 1
    );
    Ok(())
}

#[tokio::test]
async fn bad_input_is_refused_with_the_error_shape() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let jane = api.login("jane").await;
    let before = api
        .count("SELECT count(*) FROM notification_preferences")
        .await;
    for body in [
        json!({"preferences": [{"event": "pizza.arrived", "in_app": true, "email": false}]}),
        json!({"preferences": [{"event": "review.due", "in_app": "yes", "email": false}]}),
        json!({"preferences": [{"event": "review.due", "in_app": true}]}),
        json!({"preferences": [], "sms": true}),
        json!({"preferences": "all"}),
    ] {
        let r = api
            .call(
                Method::PUT,
                "/api/v1/notifications/preferences",
                Some(&jane),
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{body}: {}",
            r.body
        );
        assert!(!r.body["error"]["fields"].as_array().unwrap().is_empty());
    }
    assert_eq!(
        api.count("SELECT count(*) FROM notification_preferences")
            .await,
        before
    );
    for q in [
        "event=pizza.arrived",
        "unread=maybe",
        "limit=0",
        "cursor=zz",
    ] {
        let r = api.get(&format!("/api/v1/notifications?{q}"), &jane).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}: {}", r.body);
    }
    let r = api
        .post("/api/v1/notifications/nope/read", &jane, json!({}))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_path")
    );
    Ok(())
}
