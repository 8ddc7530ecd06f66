//! Succession plans over the API: HR creates them, successors are named by HR or the
//! candidate's chain, the bench strength follows the candidates (counted over every candidate,
//! whoever asks), and each plan and candidacy is seen only by those its rules name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn add(api: &Api, token: &str, plan: &str, who: &str, readiness: &str) -> common::Resp {
    api.call(
        Method::POST,
        &format!("/api/v1/succession-plans/{plan}/successors"),
        Some(token),
        Some(json!({"candidate_id": demo_user(who), "readiness": readiness})),
    )
    .await
}

fn bench(v: &Value) -> (i64, i64, i64, i64, String) {
    let b = &v["bench"];
    (
        b["ready_now"].as_i64().unwrap(),
        b["ready_1_year"].as_i64().unwrap(),
        b["ready_2_years"].as_i64().unwrap(),
        b["total"].as_i64().unwrap(),
        b["strength"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn plans_successors_and_bench_strength() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let hr = api.login("admin").await;
    let mgr = api.login("manager").await;
    let ceo = api.login("ceo").await;
    let sales = api.login("sales.manager").await;
    let eli = api.login("employee").await;

    // Only HR creates plans.
    // A sales position whose plan the engineering manager owns.
    let body = json!({"position_title": "Sales Development Lead", "incumbent_id": demo_user("omar"),
                      "owner_id": demo_user("manager"), "criticality": "HIGH", "status": "ACTIVE"});
    let r = api
        .call(
            Method::POST,
            "/api/v1/succession-plans",
            Some(&mgr),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = api
        .call(
            Method::POST,
            "/api/v1/succession-plans",
            Some(&hr),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let plan = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(bench(&r.body), (0, 0, 0, 0, "NONE".into()));

    // The bench grows: WEAK, ADEQUATE, STRONG.
    let r = add(&api, &mgr, &plan, "raj", "READY_2_YEARS").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(bench(&r.body), (0, 0, 1, 1, "WEAK".into()));
    let r = add(&api, &mgr, &plan, "employee", "READY_1_YEAR").await;
    assert_eq!(bench(&r.body), (0, 1, 1, 2, "WEAK".into()));
    // Naming them again changes their readiness.
    let r = add(&api, &hr, &plan, "raj", "READY_1_YEAR").await;
    assert_eq!(bench(&r.body), (0, 2, 0, 2, "ADEQUATE".into()));
    let r = add(&api, &hr, &plan, "lena", "READY_NOW").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(bench(&r.body), (1, 2, 0, 3, "STRONG".into()));
    // Someone outside the candidate's chain may not name them: to the manager, Omar is no
    // person they know (422 on the field, as for another tenant's id); bad input is 422;
    // nothing changes.
    let r = add(&api, &mgr, &plan, "omar", "READY_NOW").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["error"]["fields"][0]["path"], "candidate_id");
    let r = add(&api, &hr, &plan, "omar", "SOON").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = api
        .call(
            Method::POST,
            &format!("/api/v1/succession-plans/{plan}/successors"),
            Some(&hr),
            Some(json!({"candidate_id": pms_seed::demo_tenants::user_id(&pms_seed::demo_tenants::SECOND_TENANT, "employee"), "readiness": "READY_NOW"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM succession_candidates WHERE plan_id = '{plan}'"
        ))
        .await,
        3
    );

    // Who sees what: HR, the owner and those above the incumbent see the plan; the successors
    // each sees are the candidacies they may see; the bench counts all of them for everyone.
    let path = format!("/api/v1/succession-plans/{plan}");
    let names = |v: &Value| -> Vec<String> {
        let mut n: Vec<String> = v["successors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["candidate_id"].as_str().unwrap().to_string())
            .collect();
        n.sort();
        n
    };
    let r = api.get(&path, &hr).await;
    assert_eq!(r.body["successors"].as_array().unwrap().len(), 3);
    let r = api.get(&path, &mgr).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut mine = vec![
        demo_user("employee").to_string(),
        demo_user("raj").to_string(),
    ];
    mine.sort();
    assert_eq!(names(&r.body), mine);
    assert_eq!(bench(&r.body).3, 3);
    let r = api.get(&path, &ceo).await;
    assert_eq!(
        (r.status, r.body["successors"].as_array().unwrap().len()),
        (StatusCode::OK, 3)
    );
    let r = api.get(&path, &sales).await;
    assert_eq!(names(&r.body), vec![demo_user("lena").to_string()]);
    assert_eq!(bench(&r.body).4, "STRONG");
    // The incumbent, the candidates and someone else do not see it.
    for tok in [
        api.login("omar").await,
        api.login("lena").await,
        eli.clone(),
        api.login("jane").await,
    ] {
        assert_eq!(api.get(&path, &tok).await.status, StatusCode::NOT_FOUND);
    }
    let listed = |tok: String| {
        let api = &api;
        let plan = plan.clone();
        async move {
            let r = api.get("/api/v1/succession-plans", &tok).await;
            r.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["id"] == json!(plan))
        }
    };
    assert!(listed(hr.clone()).await && listed(mgr.clone()).await && listed(sales.clone()).await);
    assert!(!listed(eli.clone()).await);

    // Removing a successor: the bench follows; an unknown one is 404.
    let del = |who: &str| {
        format!(
            "/api/v1/succession-plans/{plan}/successors/{}",
            demo_user(who)
        )
    };
    assert_eq!(
        api.call(Method::DELETE, &del("lena"), Some(&hr), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        bench(&api.get(&path, &hr).await.body),
        (0, 2, 0, 2, "ADEQUATE".into())
    );
    assert_eq!(
        api.call(Method::DELETE, &del("lena"), Some(&hr), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.call(Method::DELETE, &del("raj"), Some(&eli), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The demo's plans: the CEO's plan has one successor two years out: WEAK.
    let r = api.get("/api/v1/succession-plans", &hr).await;
    let ceo_plan = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["position_title"] == "Chief Executive Officer")
        .unwrap()
        .clone();
    assert_eq!(bench(&ceo_plan), (0, 0, 1, 1, "WEAK".into()));

    // Every write is audited with its actor.
    let n = api
        .count(&format!(
            "SELECT count(*) FROM audit_log WHERE table_name = 'succession_candidates' AND actor_user_id = '{}'",
            demo_user("manager")
        ))
        .await;
    assert_eq!(n, 2);
    let n = api
        .count(&format!(
            "SELECT count(*) FROM audit_log WHERE table_name = 'succession_plans' AND row_id = '{plan}' AND actor_user_id = '{}'",
            demo_user("admin")
        ))
        .await;
    assert_eq!(n, 1);
    Ok(())
}
