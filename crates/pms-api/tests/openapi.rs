//! The OpenAPI document: 3.1, served without a session, every operation tagged and answering
//! with documented bodies, the error shape a component, the bearer scheme declared.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Api;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn the_document_describes_every_route() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let r = api.call(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.body;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path} has a tag"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{method} {path} documents its success"
            );
        }
    }
    assert!(operations >= 40, "{operations} operations");
    // Login is the one operation without the bearer requirement.
    let login = &doc["paths"]["/api/v1/auth/login"]["post"];
    assert_eq!(login["security"], serde_json::json!([{}]));
    // Health and readiness need no session either.
    assert_eq!(
        api.call(Method::GET, "/health", None, None).await.status,
        StatusCode::OK
    );
    let ready = api.call(Method::GET, "/ready", None, None).await;
    assert_eq!(
        (ready.status, ready.body["database"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
    // Security headers and the request id on every answer.
    let h = &ready.headers;
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h.contains_key("x-request-id"));
    assert!(
        h["content-security-policy"]
            .to_str()?
            .contains("default-src 'none'")
    );
    Ok(())
}
