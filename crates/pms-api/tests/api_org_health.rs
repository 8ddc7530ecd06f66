//! Organisational health over the API: the tenant's and each department's score from their
//! inputs, who may see which (HR; the top of the organisation; a department's head and those
//! above the head), the org-health cache (1 h) and its invalidation when an input changes,
//! through the API and straight in SQL, with the in-process cache and with Redis.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, CacheKind, demo_user};
use pms_api::ApiConfig;
use pms_cache::{Category, Key};
use pms_core::TenantId;
use pms_seed::demo_tenants::{DEMO_COMPANY, tenant_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

async fn dept(api: &Api, code: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM departments WHERE tenant_id = $1 AND code = $2")
        .bind(tenant_id(&DEMO_COMPANY))
        .bind(code)
        .fetch_one(&api.db.maintenance)
        .await
        .unwrap()
}

fn value_of(h: &Value, component: &str) -> Value {
    h["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["component"] == component)
        .unwrap()["value"]
        .clone()
}

async fn scenario(kind: CacheKind) -> anyhow::Result<()> {
    let redis = matches!(kind, CacheKind::Redis);
    let api = Api::start_with(kind, ApiConfig::default()).await?;
    let t = TenantId::from(tenant_id(&DEMO_COMPANY));
    let hr = api.login("admin").await;
    let ceo = api.login("ceo").await;
    let mgr = api.login("manager").await;
    let eli = api.login("employee").await;
    let sales = api.login("sales.manager").await;

    // No component yet (the demo's other health metrics are not components): no score.
    let r = api.get("/api/v1/org-health", &hr).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["overall"].clone(), r.body["level"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(r.body["inputs"].as_array().unwrap().len(), 7);

    // HR records the seven inputs: 0.20*90 + 0.20*80 + 0.15*70 + 0.15*60 + 0.10*50 +
    // 0.10*40 + 0.10*30 = 65.50, FAIR.
    let inputs = json!({"period_start": "2026-04-01", "period_end": "2026-06-30", "values": {
        "engagement": 90, "performance": 80, "culture": 70, "leadership": 60,
        "collaboration": 50, "innovation": 40, "wellbeing": 30}});
    let r = api
        .call(
            Method::PUT,
            "/api/v1/org-health/inputs",
            Some(&hr),
            Some(inputs.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["overall"].clone(), r.body["level"].clone()),
        (json!(65.5), json!("FAIR"))
    );
    assert_eq!(r.body["period_start"], "2026-04-01");
    // The top of the organisation sees it too; a manager and an employee do not.
    assert_eq!(
        api.get("/api/v1/org-health", &ceo).await.body["overall"],
        json!(65.5)
    );
    for tok in [&mgr, &eli] {
        assert_eq!(
            api.get("/api/v1/org-health", tok).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // Cached, with the version of its inputs.
    let key = Key::org_health(t);
    if redis {
        let cached: Value = api.state.cache().get(&key).await.expect("cached");
        assert_eq!(cached["health"]["overall"], json!(65.5));
        let ttl = api.state.cache().remaining_ttl(&key).await?.expect("a TTL");
        assert!(
            ttl <= Category::OrgHealth.ttl() && ttl.as_secs() > 3000,
            "{ttl:?}"
        );
    }

    // An input changed straight in SQL (another application): the next read shows it.
    // Wellbeing 30 -> 80: 65.50 + 0.10 * 50 = 70.50, GOOD.
    sqlx::query(
        "UPDATE organizational_health_metrics SET value = 80 WHERE tenant_id = $1 AND metric = 'wellbeing'",
    )
    .bind(t.as_uuid())
    .execute(&api.db.maintenance)
    .await?;
    let r = api.get("/api/v1/org-health", &hr).await;
    assert_eq!(
        (r.body["overall"].clone(), r.body["level"].clone()),
        (json!(70.5), json!("GOOD"))
    );
    assert_eq!(value_of(&r.body, "wellbeing"), json!(80.0));
    // Removed in SQL: left out, the other weights scaled up.
    sqlx::query(
        "DELETE FROM organizational_health_metrics WHERE tenant_id = $1 AND metric = 'wellbeing'",
    )
    .bind(t.as_uuid())
    .execute(&api.db.maintenance)
    .await?;
    let r = api.get("/api/v1/org-health", &ceo).await;
    // (18 + 16 + 10.5 + 9 + 5 + 4) / 0.90 = 69.44
    assert_eq!(
        (r.body["overall"].clone(), r.body["level"].clone()),
        (json!(69.44), json!("FAIR"))
    );
    assert_eq!(value_of(&r.body, "wellbeing"), Value::Null);
    // A newer period through the API: the entry is dropped and the new value shows.
    let r = api
        .call(
            Method::PUT,
            "/api/v1/org-health/inputs",
            Some(&hr),
            Some(json!({"period_start": "2026-07-01", "values": {"wellbeing": 85, "engagement": 95}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // 19 + 16 + 10.5 + 9 + 5 + 4 + 8.5 = 72.00
    assert_eq!(r.body["overall"], json!(72.0));
    assert_eq!(r.body["period_start"], "2026-07-01");
    assert_eq!(
        api.get("/api/v1/org-health", &ceo).await.body["overall"],
        json!(72.0)
    );
    if redis {
        let cached: Value = api.state.cache().get(&key).await.expect("cached again");
        assert_eq!(cached["health"]["overall"], json!(72.0));
    }
    // Every input write is audited with its actor.
    let audited = api
        .count(&format!(
            "SELECT count(*) FROM audit_log WHERE table_name = 'organizational_health_metrics' AND actor_user_id = '{}'",
            demo_user("admin")
        ))
        .await;
    assert_eq!(audited, 9, "7 inserts, then 2 more");

    // Bad input is refused and changes nothing.
    let before = api
        .count("SELECT count(*) FROM organizational_health_metrics")
        .await;
    for body in [
        json!({"period_start": "2026-07-01", "values": {"morale": 50}}),
        json!({"period_start": "2026-07-01", "values": {"culture": 101}}),
        json!({"period_start": "2026-07-01", "values": {}}),
        json!({"period_start": "July", "values": {"culture": 50}}),
        json!({"period_start": "2026-07-01", "period_end": "2026-06-01", "values": {"culture": 50}}),
    ] {
        let r = api
            .call(
                Method::PUT,
                "/api/v1/org-health/inputs",
                Some(&hr),
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
    }
    let r = api
        .call(
            Method::PUT,
            "/api/v1/org-health/inputs",
            Some(&ceo),
            Some(inputs.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        api.count("SELECT count(*) FROM organizational_health_metrics")
            .await,
        before
    );

    // Departments: the head sees theirs, those above the head too, HR all; others 404.
    let eng = dept(&api, "ENG").await;
    let path = format!("/api/v1/departments/{eng}/health");
    let r = api
        .call(
            Method::PUT,
            &format!("/api/v1/departments/{eng}/health/inputs"),
            Some(&hr),
            Some(json!({"period_start": "2026-04-01", "values": {"engagement": 84.99}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["overall"].clone(), r.body["level"].clone()),
        (json!(84.99), json!("GOOD"))
    );
    for tok in [&mgr, &ceo, &hr] {
        assert_eq!(api.get(&path, tok).await.body["overall"], json!(84.99));
    }
    for tok in [&eli, &sales] {
        assert_eq!(api.get(&path, tok).await.status, StatusCode::NOT_FOUND);
    }
    let acme = api.login_acme("admin").await;
    assert_eq!(api.get(&path, &acme).await.status, StatusCode::NOT_FOUND);
    // 84.99 -> 85.00 in SQL: EXCELLENT on the next read.
    sqlx::query("UPDATE department_health_metrics SET value = 85 WHERE department_id = $1 AND metric = 'engagement'")
        .bind(eng)
        .execute(&api.db.maintenance)
        .await?;
    let r = api.get(&path, &mgr).await;
    assert_eq!(
        (r.body["overall"].clone(), r.body["level"].clone()),
        (json!(85.0), json!("EXCELLENT"))
    );
    // The list: what each may see.
    let list = |tok: String| {
        let api = &api;
        async move {
            let r = api.get("/api/v1/org-health/departments", &tok).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.body["items"].as_array().unwrap().len()
        }
    };
    let all = api.count("SELECT count(*) FROM departments WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'demo-company')").await;
    assert_eq!(list(hr.clone()).await as i64, all);
    assert_eq!(list(mgr.clone()).await, 1);
    assert_eq!(list(eli.clone()).await, 0);
    // A department head who is not HR may not write its inputs (403); someone else 404.
    let inputs_path = format!("/api/v1/departments/{eng}/health/inputs");
    let body = json!({"period_start": "2026-05-01", "values": {"culture": 10}});
    assert_eq!(
        api.call(Method::PUT, &inputs_path, Some(&mgr), Some(body.clone()))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.call(Method::PUT, &inputs_path, Some(&eli), Some(body))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    api.finish().await;
    Ok(())
}

#[tokio::test]
async fn org_health_in_process_cache() -> anyhow::Result<()> {
    scenario(CacheKind::Local).await
}

#[tokio::test]
async fn org_health_redis_cache() -> anyhow::Result<()> {
    scenario(CacheKind::Redis).await
}
