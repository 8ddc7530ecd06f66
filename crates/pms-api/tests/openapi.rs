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

/// utoipa names a schema component after its type, so two types of one name (in two modules)
/// would silently share one component, and one endpoint would be documented with the other's
/// shape: every type deriving `ToSchema` has a name of its own.
#[test]
fn schema_types_have_names_of_their_own() {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                let mut schema = false;
                for line in text.lines() {
                    let l = line.trim();
                    if l.starts_with("#[derive(") && l.contains("ToSchema") {
                        schema = true;
                    } else if schema
                        && (l.starts_with("pub struct ")
                            || l.starts_with("pub enum ")
                            || l.starts_with("struct ")
                            || l.starts_with("enum "))
                    {
                        let name = l
                            .split_whitespace()
                            .nth(if l.starts_with("pub") { 2 } else { 1 })
                            .unwrap_or("");
                        let name: String = name
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        out.push((name, p.display().to_string()));
                        schema = false;
                    } else if !l.starts_with("#[") && !l.starts_with("///") && !l.is_empty() {
                        schema = false;
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(found.len() > 50, "{found:?}");
    found.sort();
    let dups: Vec<_> = found.windows(2).filter(|w| w[0].0 == w[1].0).collect();
    assert!(dups.is_empty(), "schema types sharing a name: {dups:?}");
}
