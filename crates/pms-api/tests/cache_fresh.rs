//! After every write, every read that could show the changed data shows the new value on the
//! next request: goals (per viewer), profiles, reviews, dashboards along the management chain,
//! and re-organisations. Run on the in-process cache, on Redis and on a Redis Cluster.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, CacheKind, demo_user};
use pms_api::ApiConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn dash(api: &Api, t: &str) -> Value {
    let r = api.get("/api/v1/me/dashboard", t).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

async fn scenario(kind: CacheKind) -> anyhow::Result<()> {
    let api = Api::start_with(kind, ApiConfig::default()).await?;
    let eli = api.login("employee").await;
    let mgr = api.login("manager").await;
    let ceo = api.login("ceo").await;
    let hr = api.login("admin").await;

    // Warm every cache that will go stale.
    let d_eli = dash(&api, &eli).await;
    let d_mgr = dash(&api, &mgr).await;
    let d_ceo = dash(&api, &ceo).await;
    let r = api
        .call(Method::POST, "/api/v1/goals", Some(&eli), Some(json!({"title": "Cut p99", "period_start": "2026-01-01", "period_end": "2026-12-31", "visibility": "TEAM"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let goal = r.body["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/goals/{goal}");
    for t in [&eli, &mgr, &hr] {
        assert_eq!(api.get(&path, t).await.body["title"], "Cut p99");
    }
    assert_eq!(
        dash(&api, &eli).await["goals"].as_array().unwrap().len(),
        d_eli["goals"].as_array().unwrap().len() + 1
    );

    // A status change shows to every viewer and on the dashboards up the chain.
    let r = api
        .call(
            Method::PATCH,
            &path,
            Some(&eli),
            Some(json!({"status": "AT_RISK"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for t in [&eli, &mgr, &hr] {
        assert_eq!(api.get(&path, t).await.body["status"], "AT_RISK");
    }
    assert_eq!(
        dash(&api, &eli).await["goals_at_risk"],
        d_eli["goals_at_risk"].as_i64().unwrap() + 1
    );
    assert_eq!(
        dash(&api, &mgr).await["reports_goals_at_risk"],
        d_mgr["reports_goals_at_risk"].as_i64().unwrap() + 1
    );
    assert_eq!(
        dash(&api, &ceo).await["reports_goals_at_risk"],
        d_ceo["reports_goals_at_risk"].as_i64().unwrap() + 1
    );

    // Progress by the manager, seen by the owner.
    let r = api
        .call(
            Method::POST,
            &format!("{path}/progress"),
            Some(&mgr),
            Some(json!({"progress": 40, "confidence": "AT_RISK"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(api.get(&path, &eli).await.body["progress"], 40.0);
    let points = api
        .count(&format!(
            "SELECT count(*) FROM goal_progress_ts WHERE metric_name = 'goal_progress_pct' AND value = 40
                AND user_id = '{}' AND recorded_at > now() - interval '1 hour'",
            demo_user("employee")
        ))
        .await;
    assert_eq!(points, 1, "progress also lands in goal_progress_ts");
    let goals = api.get("/api/v1/goals?owner_id=", &mgr).await;
    assert_eq!(
        goals.status,
        StatusCode::BAD_REQUEST,
        "an empty id is refused"
    );

    // Deleted: gone for every viewer at once.
    assert_eq!(
        api.call(Method::DELETE, &path, Some(&eli), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    for t in [&eli, &mgr, &hr] {
        assert_eq!(api.get(&path, t).await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        dash(&api, &mgr).await["reports_goals_at_risk"],
        d_mgr["reports_goals_at_risk"]
    );

    // A profile change by HR shows to everyone.
    let jane = demo_user("jane");
    let ppath = format!("/api/v1/people/{jane}");
    assert_eq!(api.get(&ppath, &eli).await.status, StatusCode::OK);
    let r = api
        .call(
            Method::PATCH,
            &ppath,
            Some(&hr),
            Some(json!({"job_title": "Staff Engineer"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        api.get(&ppath, &eli).await.body["job_title"],
        "Staff Engineer"
    );

    // A re-organisation: jane moves to the sales manager; both managers' dashboards follow.
    let sales = api.login("sales.manager").await;
    let d_sales = dash(&api, &sales).await;
    let d_mgr = dash(&api, &mgr).await;
    let r = api
        .call(
            Method::PATCH,
            &ppath,
            Some(&hr),
            Some(json!({"manager_id": demo_user("sales.manager")})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        dash(&api, &sales).await["reports"],
        d_sales["reports"].as_i64().unwrap() + 1
    );
    assert_eq!(
        dash(&api, &mgr).await["reports"],
        d_mgr["reports"].as_i64().unwrap() - 1
    );

    // Feedback to eli shows on eli's dashboard.
    let before = dash(&api, &eli).await["feedback_received_30d"]
        .as_i64()
        .unwrap();
    let r = api
        .call(
            Method::POST,
            "/api/v1/feedback",
            Some(&mgr),
            Some(json!({"recipient_id": demo_user("employee"), "body": "Great incident write-up"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(dash(&api, &eli).await["feedback_received_30d"], before + 1);
    api.finish().await;
    Ok(())
}

#[tokio::test]
async fn writes_show_at_once_in_process() -> anyhow::Result<()> {
    scenario(CacheKind::Local).await
}

#[tokio::test]
async fn writes_show_at_once_on_redis() -> anyhow::Result<()> {
    scenario(CacheKind::Redis).await
}

#[tokio::test]
async fn writes_show_at_once_on_a_redis_cluster() -> anyhow::Result<()> {
    scenario(CacheKind::Cluster).await
}
