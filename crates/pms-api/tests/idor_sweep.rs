//! The IDOR sweep: people of two tenants and of different roles send well over a thousand
//! requests at every endpoint that takes an id or a reference, with ids of the other tenant
//! and of records outside their scope, as GET, PATCH, POST and DELETE. No response may carry
//! foreign data, and no foreign row may change (hashed in the database before and after).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::sweep::both_tenants;
use common::sweep_plan::{FLOOR, KINDS, TABLES, requests};
use common::{Api, Resp, acme_user, demo_user};
use futures::StreamExt;
use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, tenant_id};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use uuid::Uuid;

async fn ids_of(api: &Api, table: &str, tenant: Uuid, filter: &str) -> Vec<Uuid> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM {table} WHERE tenant_id = $1 {filter} ORDER BY id"
    )))
    .bind(tenant)
    .fetch_all(&api.db.maintenance)
    .await
    .unwrap()
}

/// Whether a response carries anything of the foreign record: its id, or rows in a list.
fn leaks(r: &Resp, id: Uuid) -> bool {
    let text = r.body.to_string();
    if text.contains(&id.to_string()) {
        return true;
    }
    r.status.is_success() && r.body["items"].as_array().is_some_and(|a| !a.is_empty())
        || r.status.is_success() && r.body.get("id").is_some()
}

#[tokio::test]
async fn a_thousand_foreign_ids_leak_nothing_and_change_nothing() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let demo = tenant_id(&DEMO_COMPANY);
    let acme = tenant_id(&SECOND_TENANT);
    // Callers: several roles of the demo company, and two people of Acme.
    let callers = [
        ("demo", "employee", api.login("employee").await),
        ("demo", "jane", api.login("jane").await),
        ("demo", "manager", api.login("manager").await),
        ("demo", "sales.manager", api.login("sales.manager").await),
        ("demo", "admin", api.login("admin").await),
        ("acme", "admin", api.login_acme("admin").await),
        ("acme", "employee", api.login_acme("employee").await),
    ];
    let before = both_tenants(&api, TABLES).await;

    // Foreign ids: everything of the other tenant; inside the demo company, the reviews each
    // caller may not see (the visibility rules).
    let mut foreign: Vec<(usize, &str, Uuid)> = Vec::new();
    for (i, (tenant, who, _)) in callers.iter().enumerate() {
        let other = if *tenant == "demo" { acme } else { demo };
        for (kind, table) in [
            ("person", "users"),
            ("department", "departments"),
            ("team", "teams"),
            ("goal", "goals"),
            ("cycle", "review_cycles"),
            ("review", "performance_reviews"),
            ("session", "sessions"),
        ] {
            for id in ids_of(&api, table, other, "").await {
                foreign.push((i, kind, id));
            }
        }
        if *tenant == "demo" {
            let me = demo_user(who);
            let invisible: Vec<Uuid> = sqlx::query_scalar(
                "SELECT id FROM performance_reviews r WHERE tenant_id = $1 AND $2::text NOT IN ('manager', 'admin')
                   AND NOT (r.reviewer_id = $3 OR (r.reviewee_id = $3 AND r.status IN ('SHARED', 'ACKNOWLEDGED')))",
            )
            .bind(demo)
            .bind(*who)
            .bind(me)
            .fetch_all(&api.db.maintenance)
            .await?;
            foreign.extend(invisible.into_iter().map(|id| (i, "review", id)));
            // Other people's sessions in the same tenant.
            for id in ids_of(&api, "sessions", demo, &format!("AND user_id <> '{me}'")).await {
                foreign.push((i, "session", id));
            }
        }
    }
    common::sweep::assert_every_kind("(part 1)", KINDS, foreign.iter().map(|f| f.1));
    let plan: Vec<(usize, Method, String, Option<Value>, Uuid)> = foreign
        .iter()
        .flat_map(|(i, kind, id)| {
            requests(kind, *id)
                .into_iter()
                .map(move |(m, p, b)| (*i, m, p, b, *id))
        })
        .collect();
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
    common::sweep::report("", results.len(), &by_status, &leaked);
    let after = both_tenants(&api, TABLES).await;
    assert_eq!(before, after, "no row of either tenant changed");
    let _ = acme_user("admin");
    Ok(())
}
