//! The IDOR sweep of promotions, succession, org health, ML, engagement and metrics: people of
//! both demo tenants and of different roles send every request of these endpoints that takes
//! an id or a reference, with the ids of the other tenant and, inside their own tenant, of the
//! records and people outside their scope (asked of the database as each caller). No response
//! may carry foreign data, and no row of either tenant may change.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::sweep::{both_tenants, ids_as, ids_of, unseen_by};
use common::sweep_plan_b::{Ctx, FLOOR, KINDS, TABLES, requests};
use common::{Api, Resp};
use futures::StreamExt;
use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, tenant_id, user_id};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use uuid::Uuid;

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
    let before = both_tenants(&api, TABLES).await;

    let mut plan: Vec<(usize, Method, String, Option<Value>, Uuid)> = Vec::new();
    let mut kinds_found: Vec<&str> = Vec::new();
    for (i, (tenant, who, _)) in callers.iter().enumerate() {
        let (mine, other, me) = if *tenant == "demo" {
            (demo, acme, user_id(&DEMO_COMPANY, who))
        } else {
            (acme, demo, user_id(&SECOND_TENANT, who))
        };
        let model = ids_of(&api, "ml_models", mine)
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
                ids_of(&api, table, other)
                    .await
                    .into_iter()
                    .map(|id| (kind, id)),
            );
        }
        foreign.push(("tenant", other));
        // Inside the caller's tenant: what the database says they may not see.
        let people = ids_as(
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
                unseen_by(&api, mine, me, table)
                    .await
                    .into_iter()
                    .map(|id| (kind, id)),
            );
        }
        let depts = ids_as(
            &api,
            mine,
            me,
            "SELECT id FROM departments WHERE NOT pms_api_b_can_see_health(id)",
        )
        .await;
        foreign.extend(depts.into_iter().map(|id| ("department", id)));
        let teams = ids_as(
            &api,
            mine,
            me,
            "SELECT id FROM teams WHERE NOT pms_api_b_can_see_group('team', id)",
        )
        .await;
        foreign.extend(teams.into_iter().map(|id| ("team", id)));
        for (kind, id) in foreign {
            kinds_found.push(kind);
            for (m, p, b) in requests(kind, id, &ctx) {
                plan.push((i, m, p, b, id));
            }
        }
    }
    common::sweep::assert_every_kind("(b)", KINDS, kinds_found);
    assert!(
        plan.len() >= FLOOR,
        "the sweep sends {} requests",
        plan.len()
    );

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
        let refused = common::sweep::refused(r.status);
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
    common::sweep::report(" (b)", results.len(), &by_status, &leaked);
    let after = both_tenants(&api, TABLES).await;
    assert_eq!(before, after, "no row of either tenant changed");
    Ok(())
}
