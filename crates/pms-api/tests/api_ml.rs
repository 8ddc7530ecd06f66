//! ML predictions over the API: who may read a person's predictions (the person, their chain,
//! HR; 404 for anyone else), recording one with its model and version (HR), the 24 h cache
//! under `ml:prediction:{userId}:{type}` and its replacement on a new prediction, on Redis.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, CacheKind, demo_user};
use pms_api::ApiConfig;
use pms_cache::{Category, Key};
use pms_core::{TenantId, UserId};
use pms_seed::demo_tenants::{DEMO_COMPANY, tenant_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

#[tokio::test]
async fn predictions_are_seen_by_the_person_their_chain_and_hr_and_cached_per_type()
-> anyhow::Result<()> {
    let api = Api::start_with(CacheKind::Redis, ApiConfig::default()).await?;
    let t = TenantId::from(tenant_id(&DEMO_COMPANY));
    let eli = demo_user("employee");
    let hr = api.login("admin").await;
    let mgr = api.login("manager").await;
    let own = api.login("employee").await;
    let path = format!("/api/v1/people/{eli}/predictions/ATTRITION_RISK");

    // The seeded prediction, with its model and version.
    let key = Key::ml_prediction(t, UserId::from(eli), "ATTRITION_RISK")?;
    assert!(
        key.path()
            .ends_with(&format!(":ml:prediction:{eli}:ATTRITION_RISK")),
        "{}",
        key.path()
    );
    for tok in [&own, &mgr, &hr] {
        let r = api.get(&path, tok).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["score"], json!(0.62));
        assert_eq!(r.body["model_name"], "attrition_risk");
        assert!(r.body["model_version"].is_string());
    }
    let cached: Value = api.state.cache().get(&key).await.expect("cached");
    assert_eq!(cached["score"], json!(0.62));
    let ttl = api.state.cache().remaining_ttl(&key).await?.expect("a TTL");
    assert!(
        ttl <= Category::MlPrediction.ttl() && ttl.as_secs() > 80_000,
        "{ttl:?}"
    );
    // Not for a peer, another team's manager or another tenant; nor an unknown person.
    for tok in [
        api.login("lena").await,
        api.login("sales.manager").await,
        api.login_acme("admin").await,
    ] {
        assert_eq!(api.get(&path, &tok).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            api.get(&format!("/api/v1/people/{eli}/predictions"), &tok)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
    let nobody = Uuid::new_v4();
    assert_eq!(
        api.get(
            &format!("/api/v1/people/{nobody}/predictions/ATTRITION_RISK"),
            &hr
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.get(&format!("/api/v1/people/{eli}/predictions/attrition"), &hr)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // A type without a prediction: 404 (cached too, until one is recorded).
    let none = format!("/api/v1/people/{eli}/predictions/PRODUCTIVITY");
    assert_eq!(api.get(&none, &mgr).await.status, StatusCode::NOT_FOUND);

    // HR records a new prediction: the cache holds it at once, every viewer sees it.
    let model: Uuid = sqlx::query_scalar(
        "SELECT id FROM ml_models WHERE tenant_id = $1 AND model_type = 'ATTRITION_RISK' AND status <> 'RETIRED' LIMIT 1",
    )
    .bind(t.as_uuid())
    .fetch_one(&api.db.maintenance)
    .await?;
    let r = api
        .call(
            Method::POST,
            "/api/v1/ml/predictions",
            Some(&hr),
            Some(json!({"user_id": eli, "model_id": model, "prediction_type": "ATTRITION_RISK", "score": 0.31,
                        "confidence": 0.9, "label": "LOW", "explanation": {"top_factors": ["new mentor"]}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["score"], json!(0.31));
    let id = r.body["id"].as_str().unwrap().to_string();
    let cached: Value = api.state.cache().get(&key).await.expect("replaced");
    assert_eq!(cached["id"], json!(id));
    for tok in [&own, &mgr, &hr] {
        assert_eq!(api.get(&path, tok).await.body["score"], json!(0.31));
    }
    // The list shows the latest of each type.
    let r = api
        .get(&format!("/api/v1/people/{eli}/predictions"), &own)
        .await;
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(
        items
            .iter()
            .filter(|i| i["prediction_type"] == "ATTRITION_RISK")
            .count(),
        1
    );
    assert!(items.iter().any(|i| i["id"] == json!(id)));
    // Audited, naming HR.
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM audit_log WHERE table_name = 'ml_model_predictions' AND row_id = '{id}' AND actor_user_id = '{}'",
            demo_user("admin")
        ))
        .await,
        1
    );
    // The new type's cached "none" is replaced as well.
    let r = api
        .call(
            Method::POST,
            "/api/v1/ml/predictions",
            Some(&hr),
            Some(json!({"user_id": eli, "model_id": model, "prediction_type": "PRODUCTIVITY", "score": 71.5})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(api.get(&none, &mgr).await.body["score"], json!(71.5));

    // Only HR records; bad input is refused and changes nothing.
    let before = api.count("SELECT count(*) FROM ml_model_predictions").await;
    let body = |v: Value| Some(v);
    let r = api
        .call(
            Method::POST,
            "/api/v1/ml/predictions",
            Some(&mgr),
            body(json!({"user_id": eli, "model_id": model, "prediction_type": "ATTRITION_RISK", "score": 0.5})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    sqlx::query("UPDATE ml_models SET status = 'RETIRED' WHERE id = $1")
        .bind(model)
        .execute(&api.db.maintenance)
        .await?;
    for (b, field) in [
        (
            json!({"user_id": eli, "model_id": model, "prediction_type": "ATTRITION_RISK", "score": 0.5}),
            "model_id",
        ),
        (
            json!({"user_id": eli, "model_id": Uuid::new_v4(), "prediction_type": "ATTRITION_RISK", "score": 0.5}),
            "model_id",
        ),
        (
            json!({"user_id": eli, "model_id": model, "prediction_type": "attrition", "score": 0.5}),
            "prediction_type",
        ),
        (
            json!({"user_id": eli, "model_id": model, "prediction_type": "ATTRITION_RISK", "score": 500}),
            "score",
        ),
        (
            json!({"user_id": eli, "model_id": model, "prediction_type": "ATTRITION_RISK", "score": 0.5, "confidence": 2}),
            "confidence",
        ),
        (
            json!({"user_id": eli, "model_id": model, "prediction_type": "ATTRITION_RISK", "score": 0.5, "explanation": [1]}),
            "explanation",
        ),
    ] {
        let r = api
            .call(
                Method::POST,
                "/api/v1/ml/predictions",
                Some(&hr),
                Some(b.clone()),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            r.body
        );
        assert_eq!(r.body["error"]["fields"][0]["path"], field, "{}", r.body);
    }
    let foreign =
        pms_seed::demo_tenants::user_id(&pms_seed::demo_tenants::SECOND_TENANT, "employee");
    let r = api
        .call(
            Method::POST,
            "/api/v1/ml/predictions",
            Some(&hr),
            body(json!({"user_id": foreign, "model_id": model, "prediction_type": "ATTRITION_RISK", "score": 0.5})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(
        api.count("SELECT count(*) FROM ml_model_predictions").await,
        before
    );
    // The cached prediction survived the refusals.
    assert_eq!(api.get(&path, &mgr).await.body["score"], json!(0.31));
    // Models are listed with their versions.
    let r = api.get("/api/v1/ml/models", &own).await;
    assert!(r.body["items"].as_array().unwrap().len() >= 2, "{}", r.body);
    api.finish().await;
    Ok(())
}
