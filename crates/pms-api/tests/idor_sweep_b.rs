//! The IDOR sweep of promotions, succession, org health, ML, engagement and metrics: people of
//! both demo tenants and of different roles send every request of these endpoints that takes
//! an id or a reference, with the ids of the other tenant and, inside their own tenant, of the
//! records and people outside their scope (asked of the database as each caller). No response
//! may carry foreign data, and no row of either tenant may change.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, Resp};
use futures::StreamExt;
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, tenant_id, user_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

const TABLES: &[&str] = &[
    "promotion_recommendations",
    "promotion_decisions",
    "succession_plans",
    "succession_candidates",
    "ml_models",
    "ml_model_predictions",
    "organizational_health_metrics",
    "department_health_metrics",
    "engagement_surveys",
    "survey_questions",
    "survey_responses",
    "survey_participations",
    "pulse_responses",
    "engagement_scores",
    "metric_ingestions",
    "performance_metrics_ts",
    "engagement_metrics_ts",
];

async fn fingerprint(api: &Api, tenant: Uuid) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in TABLES {
        let h: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM {t} x WHERE tenant_id = $1"
        )))
        .bind(tenant)
        .fetch_one(&api.db.maintenance)
        .await
        .unwrap();
        out.push((t.to_string(), h.unwrap_or_default()));
    }
    out
}

async fn all_ids(api: &Api, table: &str, tenant: Uuid) -> Vec<Uuid> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM {table} WHERE tenant_id = $1 ORDER BY id"
    )))
    .bind(tenant)
    .fetch_all(&api.db.maintenance)
    .await
    .unwrap()
}

/// Ids the caller may not see in their own tenant, as the database answers for them.
async fn invisible(api: &Api, tenant: Uuid, user: Uuid, sql: &str) -> Vec<Uuid> {
    let mut tx = TenantTx::begin(
        &api.db.app,
        TenantId::from(tenant),
        Some(UserId::from(user)),
    )
    .await
    .unwrap();
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&mut **tx)
        .await
        .unwrap()
}

/// Ids of `table` in the tenant that the caller's own reads do not return.
async fn unseen(api: &Api, tenant: Uuid, user: Uuid, table: &str) -> Vec<Uuid> {
    let seen = invisible(api, tenant, user, &format!("SELECT id FROM {table}")).await;
    all_ids(api, table, tenant)
        .await
        .into_iter()
        .filter(|id| !seen.contains(id))
        .collect()
}

struct Ctx {
    me: Uuid,
    model: Uuid,
    /// A person of each candidate list, for the successor requests.
    any_candidate: Uuid,
}

fn requests(kind: &str, id: Uuid, c: &Ctx) -> Vec<(Method, String, Option<Value>)> {
    let b = |v: Value| Some(v);
    match kind {
        "person" => vec![
            (
                Method::GET,
                format!("/api/v1/people/{id}/promotion-score?as_of=2026-06-01"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/people/{id}/predictions"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/people/{id}/predictions/ATTRITION_RISK"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/people/{id}/metrics/recent"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/people/{id}/engagement/trend"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/metrics/rollups?rollup=daily&grain=user&subject_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/engagement/scores?grain=user&subject_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/promotion-recommendations?user_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/promotion-decisions?employee_id={id}"),
                None,
            ),
            (
                Method::POST,
                "/api/v1/promotion-recommendations".into(),
                b(json!({"user_id": id})),
            ),
            (
                Method::POST,
                "/api/v1/promotion-decisions".into(),
                b(
                    json!({"employee_id": id, "to_level": 19, "to_title": "pwned", "effective_date": "2026-09-01"}),
                ),
            ),
            (
                Method::POST,
                "/api/v1/ml/predictions".into(),
                b(
                    json!({"user_id": id, "model_id": c.model, "prediction_type": "ATTRITION_RISK", "score": 0.99}),
                ),
            ),
        ],
        "recommendation" => vec![(
            Method::GET,
            format!("/api/v1/promotion-recommendations/{id}"),
            None,
        )],
        "decision" => vec![
            (
                Method::GET,
                format!("/api/v1/promotion-decisions/{id}"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/promotion-decisions/{id}/transition"),
                b(json!({"status": "APPROVED"})),
            ),
            (
                Method::POST,
                format!("/api/v1/promotion-decisions/{id}/transition"),
                b(json!({"status": "REJECTED"})),
            ),
            (
                Method::POST,
                format!("/api/v1/promotion-decisions/{id}/transition"),
                b(json!({"status": "EFFECTIVE"})),
            ),
        ],
        "plan" => vec![
            (Method::GET, format!("/api/v1/succession-plans/{id}"), None),
            (
                Method::POST,
                format!("/api/v1/succession-plans/{id}/successors"),
                b(json!({"candidate_id": c.me, "readiness": "READY_NOW"})),
            ),
            (
                Method::DELETE,
                format!(
                    "/api/v1/succession-plans/{id}/successors/{}",
                    c.any_candidate
                ),
                None,
            ),
        ],
        "department" => vec![
            (
                Method::GET,
                format!("/api/v1/departments/{id}/health"),
                None,
            ),
            (
                Method::PUT,
                format!("/api/v1/departments/{id}/health/inputs"),
                b(json!({"period_start": "2026-01-01", "values": {"culture": 1}})),
            ),
            (
                Method::GET,
                format!("/api/v1/metrics/rollups?rollup=daily&grain=department&subject_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/engagement/scores?grain=department&subject_id={id}"),
                None,
            ),
        ],
        "team" => vec![
            (
                Method::GET,
                format!("/api/v1/metrics/rollups?rollup=monthly&grain=team&subject_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/engagement/scores?grain=team&subject_id={id}"),
                None,
            ),
        ],
        "survey" => vec![
            (Method::GET, format!("/api/v1/surveys/{id}"), None),
            (Method::GET, format!("/api/v1/surveys/{id}/results"), None),
            (
                Method::GET,
                format!("/api/v1/surveys/{id}/results?by=department"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/surveys/{id}/transition"),
                b(json!({"status": "CLOSED"})),
            ),
            (
                Method::POST,
                format!("/api/v1/surveys/{id}/responses"),
                b(json!({"answers": [{"question_id": id, "rating": 1}]})),
            ),
            (
                Method::POST,
                "/api/v1/pulse".into(),
                b(json!({"survey_id": id, "mood": 1})),
            ),
        ],
        "model" => vec![(
            Method::POST,
            "/api/v1/ml/predictions".into(),
            b(
                json!({"user_id": c.me, "model_id": id, "prediction_type": "ATTRITION_RISK", "score": 0.5}),
            ),
        )],
        "tenant" => vec![
            (
                Method::GET,
                format!("/api/v1/metrics/rollups?rollup=monthly&grain=tenant&subject_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/engagement/scores?grain=tenant&subject_id={id}"),
                None,
            ),
        ],
        _ => unreachable!(),
    }
}

fn leaks(r: &Resp, id: Uuid) -> bool {
    let text = r.body.to_string();
    text.contains(&id.to_string())
        || r.status.is_success() && r.body["items"].as_array().is_some_and(|a| !a.is_empty())
        || r.status.is_success() && r.body.get("id").is_some()
}

#[tokio::test]
async fn foreign_and_out_of_scope_ids_leak_nothing_and_change_nothing() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let demo = tenant_id(&DEMO_COMPANY);
    let acme = tenant_id(&SECOND_TENANT);
    let callers = [
        ("demo", "employee", api.login("employee").await),
        ("demo", "jane", api.login("jane").await),
        ("demo", "lena", api.login("lena").await),
        ("demo", "manager", api.login("manager").await),
        ("demo", "sales.manager", api.login("sales.manager").await),
        ("demo", "admin", api.login("admin").await),
        ("acme", "admin", api.login_acme("admin").await),
        ("acme", "employee", api.login_acme("employee").await),
    ];
    let before = (fingerprint(&api, demo).await, fingerprint(&api, acme).await);

    let mut plan: Vec<(usize, Method, String, Option<Value>, Uuid)> = Vec::new();
    for (i, (tenant, who, _)) in callers.iter().enumerate() {
        let (mine, other, me) = if *tenant == "demo" {
            (demo, acme, user_id(&DEMO_COMPANY, who))
        } else {
            (acme, demo, user_id(&SECOND_TENANT, who))
        };
        let model = all_ids(&api, "ml_models", mine)
            .await
            .first()
            .copied()
            .unwrap_or_else(Uuid::new_v4);
        let any_candidate: Uuid = sqlx::query_scalar(
            "SELECT coalesce((SELECT candidate_id FROM succession_candidates ORDER BY id LIMIT 1), gen_random_uuid())",
        )
        .fetch_one(&api.db.maintenance)
        .await?;
        let ctx = Ctx {
            me,
            model,
            any_candidate,
        };
        let mut foreign: Vec<(&str, Uuid)> = Vec::new();
        for (kind, table) in [
            ("person", "users"),
            ("recommendation", "promotion_recommendations"),
            ("decision", "promotion_decisions"),
            ("plan", "succession_plans"),
            ("department", "departments"),
            ("team", "teams"),
            ("survey", "engagement_surveys"),
            ("model", "ml_models"),
        ] {
            foreign.extend(
                all_ids(&api, table, other)
                    .await
                    .into_iter()
                    .map(|id| (kind, id)),
            );
        }
        foreign.push(("tenant", other));
        // Inside the caller's tenant: what the database says they may not see.
        let people = invisible(
            &api,
            mine,
            me,
            "SELECT id FROM users WHERE deleted_at IS NULL AND NOT pms_can_see_person(id, 'REVIEWS')
                AND NOT pms_can_see_person(id, 'APPROVALS')",
        )
        .await;
        foreign.extend(people.into_iter().map(|id| ("person", id)));
        for (kind, table) in [
            ("recommendation", "promotion_recommendations"),
            ("decision", "promotion_decisions"),
            ("plan", "succession_plans"),
        ] {
            foreign.extend(
                unseen(&api, mine, me, table)
                    .await
                    .into_iter()
                    .map(|id| (kind, id)),
            );
        }
        let depts = invisible(
            &api,
            mine,
            me,
            "SELECT id FROM departments WHERE NOT pms_api_b_can_see_health(id)",
        )
        .await;
        foreign.extend(depts.into_iter().map(|id| ("department", id)));
        let teams = invisible(
            &api,
            mine,
            me,
            "SELECT id FROM teams WHERE NOT pms_api_b_can_see_group('team', id)",
        )
        .await;
        foreign.extend(teams.into_iter().map(|id| ("team", id)));
        for (kind, id) in foreign {
            for (m, p, b) in requests(kind, id, &ctx) {
                plan.push((i, m, p, b, id));
            }
        }
    }
    assert!(plan.len() >= 600, "the sweep sends {} requests", plan.len());

    let results: Vec<(usize, Method, String, Resp, Uuid)> = futures::stream::iter(plan)
        .map(|(i, m, p, b, id)| {
            let api = &api;
            let token = callers[i].2.clone();
            async move {
                let r = api.call(m.clone(), &p, Some(&token), b).await;
                (i, m, p, r, id)
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let mut by_status = std::collections::BTreeMap::<u16, usize>::new();
    let mut leaked = Vec::new();
    for (i, m, p, r, id) in &results {
        *by_status.entry(r.status.as_u16()).or_default() += 1;
        let refused = matches!(
            r.status,
            StatusCode::BAD_REQUEST
                | StatusCode::FORBIDDEN
                | StatusCode::NOT_FOUND
                | StatusCode::CONFLICT
                | StatusCode::UNPROCESSABLE_ENTITY
        );
        let empty_list =
            r.status == StatusCode::OK && r.body["items"].as_array().is_some_and(|a| a.is_empty());
        if leaks(r, *id) || !(refused || empty_list) {
            leaked.push(format!(
                "{} {}: {m} {p} -> {} {}",
                callers[*i].0, callers[*i].1, r.status, r.body
            ));
        }
        assert!(!r.status.is_server_error(), "{m} {p}: {}", r.body);
    }
    println!(
        "IDOR sweep (b): {} requests, statuses {by_status:?}",
        results.len()
    );
    assert!(
        leaked.is_empty(),
        "{} responses carried foreign data or were not refused:\n{}",
        leaked.len(),
        leaked.join("\n")
    );
    let after = (fingerprint(&api, demo).await, fingerprint(&api, acme).await);
    assert_eq!(before, after, "no row of either tenant changed");
    Ok(())
}
