//! Bad input gets a clear 4xx with a stable code and the path of the bad field, and writes
//! nothing: malformed JSON, wrong types, unknown fields, oversized bodies, invalid ids and
//! cursors, dates out of range, workflow steps out of order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, CacheKind, demo_user};
use pms_api::ApiConfig;
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn raw(
    api: &Api,
    method: Method,
    path: &str,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> common::Resp {
    let r = api
        .client
        .request(method, format!("{}{path}", api.base))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let body = serde_json::from_str(&r.text().await.unwrap()).unwrap_or(serde_json::Value::Null);
    common::Resp {
        status,
        headers,
        body,
    }
}

#[tokio::test]
async fn bad_bodies_are_refused_and_nothing_is_written() -> anyhow::Result<()> {
    let config = ApiConfig {
        max_body_bytes: 4096,
        ..ApiConfig::default()
    };
    let api = Api::start_with(CacheKind::Local, config).await?;
    let t = api.login("jane").await;
    let goals_before = api.count("SELECT count(*) FROM goals").await;
    let good =
        json!({"title": "Ship it", "period_start": "2026-01-01", "period_end": "2026-03-31"});

    let r = raw(
        &api,
        Method::POST,
        "/api/v1/goals",
        &t,
        "application/json",
        b"{\"title\": ".to_vec(),
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_json"),
        "{}",
        r.body
    );

    let r = raw(
        &api,
        Method::POST,
        "/api/v1/goals",
        &t,
        "text/plain",
        serde_json::to_vec(&good)?,
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
    );

    let big = json!({"title": "x".repeat(5000), "period_start": "2026-01-01", "period_end": "2026-03-31"});
    let r = raw(
        &api,
        Method::POST,
        "/api/v1/goals",
        &t,
        "application/json",
        serde_json::to_vec(&big)?,
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        "{}",
        r.body
    );

    let cases = [
        (
            json!({"title": 5, "period_start": "2026-01-01", "period_end": "2026-03-31"}),
            "title",
        ),
        (
            json!({"title": "T", "period_start": "2026-13-01", "period_end": "2026-03-31"}),
            "period_start",
        ),
        (
            json!({"title": "T", "period_start": "2026-01-01", "period_end": "2026-03-31", "colour": "red"}),
            "body",
        ),
        (
            json!({"title": "T", "period_start": "2026-05-01", "period_end": "2026-03-31"}),
            "period_end",
        ),
        (
            json!({"title": "T", "period_start": "0100-05-01", "period_end": "2026-03-31"}),
            "period_start",
        ),
        (
            json!({"title": "  ", "period_start": "2026-01-01", "period_end": "2026-03-31"}),
            "title",
        ),
        (
            json!({"title": "T", "period_start": "2026-01-01", "period_end": "2026-03-31", "visibility": "SECRET"}),
            "visibility",
        ),
        (
            json!({"title": "T", "period_start": "2026-01-01", "period_end": "2026-03-31", "owner_id": "not-a-uuid"}),
            "owner_id",
        ),
        (
            json!({"title": "T", "period_start": "2026-01-01", "period_end": "2026-03-31",
                "key_results": [{"title": "ok", "target_value": 1}, {"title": "", "target_value": 2}]}),
            "key_results[1].title",
        ),
    ];
    for (body, field) in cases {
        let r = api
            .call(Method::POST, "/api/v1/goals", Some(&t), Some(body.clone()))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert_eq!(r.code(), "validation_failed");
        let paths: Vec<&str> = r.body["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        if field == "body" {
            assert!(
                r.body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("unknown field"),
                "{}",
                r.body
            );
        } else {
            assert!(
                paths.contains(&field),
                "{body}: expected {field} in {paths:?}"
            );
        }
    }
    assert_eq!(
        api.count("SELECT count(*) FROM goals").await,
        goals_before,
        "no bad request wrote a goal"
    );
    Ok(())
}

#[tokio::test]
async fn bad_ids_queries_and_cursors_are_400s() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let t = api.login("manager").await;
    for (path, code) in [
        ("/api/v1/goals/not-a-uuid", "invalid_path"),
        ("/api/v1/people/123", "invalid_path"),
        ("/api/v1/goals?limit=0", "invalid_query"),
        ("/api/v1/goals?limit=abc", "invalid_query"),
        ("/api/v1/goals?cursor=zzz", "invalid_cursor"),
        ("/api/v1/people?status=SLEEPING", "invalid_query"),
        ("/api/v1/reviews?cycle_id=nope", "invalid_query"),
    ] {
        let r = api.get(path, &t).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::BAD_REQUEST, code),
            "{path}: {}",
            r.body
        );
    }
    let r = api.get("/api/v1/no-such-thing", &t).await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"));
    let r = api.call(Method::PUT, "/api/v1/me", Some(&t), None).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
    let r = api
        .call_with(
            Method::PATCH,
            &format!("/api/v1/people/{}", common::demo_user("jane")),
            Some(&t),
            Some(json!({})),
            &[("if-match", "yesterday")],
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_if_match")
    );
    Ok(())
}

#[tokio::test]
async fn workflow_steps_out_of_order_are_refused() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let hr = api.login("admin").await;
    let r = api
        .call(
            Method::POST,
            "/api/v1/review-cycles",
            Some(&hr),
            Some(json!({"name": "H2", "period_start": "2026-07-01", "period_end": "2026-12-31"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/review-cycles/{id}/transition");
    let step = |to: &str| api.call(Method::POST, &path, Some(&hr), Some(json!({"status": to})));
    let r = step("CALIBRATION").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "invalid_transition"),
        "{}",
        r.body
    );
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("SCHEDULED"),
        "says what the next step is: {}",
        r.body
    );
    assert_eq!(step("SCHEDULED").await.status, StatusCode::OK);
    let r = step("DRAFT").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "never backwards");
    let r = step("BOGUS").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(step("CANCELLED").await.status, StatusCode::OK);
    assert_eq!(
        step("SELF_ASSESSMENT").await.status,
        StatusCode::CONFLICT,
        "a cancelled cycle stays cancelled"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM review_cycles WHERE id = $1::uuid")
        .bind(&id)
        .fetch_one(&api.db.maintenance)
        .await?;
    assert_eq!(status, "CANCELLED");
    // The database refuses it too, whoever asks.
    let err = sqlx::query("UPDATE review_cycles SET status = 'DRAFT' WHERE id = $1::uuid")
        .bind(&id)
        .execute(&api.db.maintenance)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot change status"), "{err}");
    // An employee cannot create cycles.
    let e = api.login("employee").await;
    let r = api
        .call(
            Method::POST,
            "/api/v1/review-cycles",
            Some(&e),
            Some(json!({"name": "X", "period_start": "2026-07-01", "period_end": "2026-12-31"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    Ok(())
}

#[tokio::test]
async fn lost_updates_get_412_and_idempotent_creates_create_once() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let t = api.login("jane").await;
    let body =
        json!({"title": "Write the RFC", "period_start": "2026-01-01", "period_end": "2026-06-30"});
    let key = [("idempotency-key", "jane-rfc-1")];
    let a = api
        .call_with(
            Method::POST,
            "/api/v1/goals",
            Some(&t),
            Some(body.clone()),
            &key,
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let b = api
        .call_with(
            Method::POST,
            "/api/v1/goals",
            Some(&t),
            Some(body.clone()),
            &key,
        )
        .await;
    assert_eq!(b.status, StatusCode::CREATED);
    assert_eq!(
        a.body["id"], b.body["id"],
        "the retry replays the first answer"
    );
    assert_eq!(b.headers["idempotent-replayed"], "true");
    let n = api
        .count("SELECT count(*) FROM goals WHERE title = 'Write the RFC'")
        .await;
    assert_eq!(n, 1);
    let other = json!({"title": "Something else", "period_start": "2026-01-01", "period_end": "2026-06-30"});
    let c = api
        .call_with(Method::POST, "/api/v1/goals", Some(&t), Some(other), &key)
        .await;
    assert_eq!(
        (c.status, c.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
    );

    let id = a.body["id"].as_str().unwrap();
    let etag = a.headers["etag"].to_str()?.to_string();
    let first = api
        .call_with(
            Method::PATCH,
            &format!("/api/v1/goals/{id}"),
            Some(&t),
            Some(json!({"title": "RFC v2"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let stale = api
        .call_with(
            Method::PATCH,
            &format!("/api/v1/goals/{id}"),
            Some(&t),
            Some(json!({"title": "RFC v3"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(
        (stale.status, stale.code()),
        (StatusCode::PRECONDITION_FAILED, "precondition_failed")
    );
    let title: String = sqlx::query_scalar("SELECT title FROM goals WHERE id = $1::uuid")
        .bind(id)
        .fetch_one(&api.db.maintenance)
        .await?;
    assert_eq!(title, "RFC v2", "the lost update wrote nothing");
    Ok(())
}

#[tokio::test]
async fn key_results_and_feedback_requests_are_created_once_per_key() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let t = api.login("jane").await;
    let goal = api
        .call(
            Method::POST,
            "/api/v1/goals",
            Some(&t),
            Some(json!({"title": "Ship the importer", "period_start": "2026-01-01", "period_end": "2026-06-30"})),
        )
        .await;
    assert_eq!(goal.status, StatusCode::CREATED, "{}", goal.body);
    let id = goal.body["id"].as_str().unwrap().to_string();
    let kr = json!({"title": "Importer handles 10k rows", "target_value": 10000});
    let key = [("idempotency-key", "jane-kr-1")];
    let path = format!("/api/v1/goals/{id}/key-results");
    for _ in 0..2 {
        let r = api
            .call_with(Method::POST, &path, Some(&t), Some(kr.clone()), &key)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let n = api
        .count("SELECT count(*) FROM key_results WHERE title = 'Importer handles 10k rows'")
        .await;
    assert_eq!(n, 1, "the retry added no second key result");
    // The same key and body aimed at another goal is another request.
    let other = api
        .call(
            Method::POST,
            "/api/v1/goals",
            Some(&t),
            Some(json!({"title": "Second goal", "period_start": "2026-01-01", "period_end": "2026-06-30"})),
        )
        .await;
    let elsewhere = format!(
        "/api/v1/goals/{}/key-results",
        other.body["id"].as_str().unwrap()
    );
    let r = api
        .call_with(Method::POST, &elsewhere, Some(&t), Some(kr), &key)
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
    );

    let ask = json!({"from_id": demo_user("manager"), "message": "How did the demo go?"});
    let key = [("idempotency-key", "jane-ask-1")];
    let first = api
        .call_with(
            Method::POST,
            "/api/v1/feedback/requests",
            Some(&t),
            Some(ask.clone()),
            &key,
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = api
        .call_with(
            Method::POST,
            "/api/v1/feedback/requests",
            Some(&t),
            Some(ask),
            &key,
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(first.body["id"], again.body["id"]);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let n = api
        .count("SELECT count(*) FROM feedback WHERE feedback_type = 'REQUEST' AND body = 'How did the demo go?'")
        .await;
    assert_eq!(n, 1, "the retry asked no second time");
    Ok(())
}
