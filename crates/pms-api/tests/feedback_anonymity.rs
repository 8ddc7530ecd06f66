//! Anonymous feedback never reveals its author: no giver stored or shown, not in the giver's
//! own list, not counted on the recipient's dashboard, and shown to the recipient only once
//! there are at least three, by week and in an order unrelated to time. Private feedback is
//! seen by its two people (and HR), not by a peer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn anonymity_holds_below_and_above_the_threshold() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let lena = demo_user("lena");
    let givers = ["omar", "sales.manager", "jane"];
    let dash_before = api
        .get("/api/v1/me/dashboard", &api.login("lena").await)
        .await
        .body["feedback_received_30d"]
        .as_i64()
        .unwrap();
    let baseline: i64 = api
        .count(&format!(
            "SELECT count(*) FROM feedback WHERE recipient_id = '{lena}' AND is_anonymous"
        ))
        .await;
    assert_eq!(baseline, 0, "the demo gives lena no anonymous feedback");
    let mut tokens = Vec::new();
    for (i, g) in givers.iter().enumerate() {
        let t = api.login(g).await;
        let r = api
            .call(Method::POST, "/api/v1/feedback", Some(&t), Some(json!({"recipient_id": lena, "body": format!("anonymous note {i}"), "is_anonymous": true, "visibility": "PRIVATE"})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert!(
            r.body["giver_id"].is_null(),
            "the answer to the giver names no giver either"
        );
        tokens.push(t);
        let lt = api.login("lena").await;
        let anon = api.get("/api/v1/feedback/received/anonymous", &lt).await;
        assert_eq!(anon.status, StatusCode::OK);
        if i < 2 {
            assert_eq!(
                anon.body["withheld"],
                true,
                "{} anonymous items are withheld",
                i + 1
            );
            assert_eq!(anon.body["items"].as_array().unwrap().len(), 0);
            assert!(
                anon.body.get("count").is_none(),
                "not even a count below the threshold"
            );
        } else {
            assert_eq!(anon.body["withheld"], false);
            let items = anon.body["items"].as_array().unwrap();
            assert_eq!(items.len(), 3);
            for it in items {
                assert!(
                    it.get("giver_id").is_none()
                        && it.get("id").is_none()
                        && it.get("created_at").is_none(),
                    "{it}"
                );
            }
        }
        // Never in the received list, never on the dashboard's count.
        let received = api.get("/api/v1/feedback/received?limit=200", &lt).await;
        assert!(
            received.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["is_anonymous"] == false)
        );
        assert_eq!(
            api.get("/api/v1/me/dashboard", &lt).await.body["feedback_received_30d"],
            dash_before
        );
    }
    let stored: i64 = api
        .count(&format!("SELECT count(*) FROM feedback WHERE recipient_id = '{lena}' AND is_anonymous AND giver_id IS NULL"))
        .await;
    assert_eq!(stored, 3, "no giver is stored");
    // The givers' own lists do not hold them.
    for t in &tokens {
        let given = api.get("/api/v1/feedback/given?limit=200", t).await;
        assert!(
            given.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["recipient_id"] != lena.to_string() || f["is_anonymous"] == false)
        );
    }

    // Private feedback with a name: the two people and HR see it; a peer of the recipient does not.
    let omar = api.login("omar").await;
    let r = api
        .call(
            Method::POST,
            "/api/v1/feedback",
            Some(&omar),
            Some(json!({"recipient_id": lena, "body": "thanks for the demo"})),
        )
        .await;
    let id = r.body["id"].as_str().unwrap().to_string();
    let seen_by = |t: String| {
        let api = &api;
        let id = id.clone();
        async move {
            let l = api
                .get("/api/v1/feedback/received?limit=200", &t)
                .await
                .body["items"]
                .as_array()
                .unwrap()
                .clone();
            let g = api.get("/api/v1/feedback/given?limit=200", &t).await.body["items"]
                .as_array()
                .unwrap()
                .clone();
            l.iter().chain(g.iter()).any(|f| f["id"] == id.as_str())
        }
    };
    assert!(seen_by(api.login("lena").await).await);
    assert!(seen_by(omar.clone()).await);
    let visible_to_peer: i64 = {
        let mut tx = pms_db::TenantTx::begin(
            &api.db.app,
            pms_core::TenantId(pms_seed::demo_tenants::tenant_id(
                &pms_seed::demo_tenants::DEMO_COMPANY,
            )),
            Some(pms_core::UserId(demo_user("employee"))),
        )
        .await?;
        let n = sqlx::query_scalar("SELECT count(*) FROM feedback WHERE id = $1::uuid")
            .bind(&id)
            .fetch_one(&mut **tx)
            .await?;
        tx.commit().await?;
        n
    };
    assert_eq!(
        visible_to_peer, 0,
        "a peer's transaction does not see private feedback"
    );
    Ok(())
}
