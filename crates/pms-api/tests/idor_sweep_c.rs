//! The IDOR sweep of the calibration and administration endpoints: people of both demo
//! tenants and of different roles send GET, PATCH, POST, PUT and DELETE requests naming
//! records of the other tenant (sessions, cycles, people, departments, teams, legal holds) and,
//! inside their own, calibration sessions they take no part in. No response may carry the
//! foreign record, and no row of either tenant may change (hashed before and after).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::sweep::both_tenants;
use common::sweep_plan_c::{FLOOR, KINDS, TABLES, requests};
use common::{Api, Resp, acme_user, demo_user};
use futures::StreamExt;
use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, tenant_id};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use uuid::Uuid;

fn leaks(r: &Resp, id: Uuid) -> bool {
    let text = r.body.to_string();
    text.contains(&id.to_string())
        || r.status.is_success() && r.body["items"].as_array().is_some_and(|a| !a.is_empty())
        || r.status.is_success() && r.body.as_array().is_some_and(|a| !a.is_empty())
        || r.status.is_success() && r.body.get("id").is_some()
}

/// A cycle in CALIBRATION in `tenant` with one submitted review of `person` by `reviewer`, a
/// session in progress with `seat` seated and an adjustment, and a legal hold.
async fn calibration_data(api: &Api, tenant: Uuid, person: Uuid, reviewer: Uuid, seat: Uuid) {
    let (c, r, s) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    api.exec(&format!(
        "INSERT INTO review_cycles (tenant_id, id, name, status, period_start, period_end)
              VALUES ('{tenant}', '{c}', 'Sweep cycle', 'CALIBRATION', '2026-07-01', '2026-09-30');
         INSERT INTO performance_reviews (tenant_id, id, cycle_id, reviewee_id, reviewer_id, review_type, status, overall_rating)
              VALUES ('{tenant}', '{r}', '{c}', '{person}', '{reviewer}', 'MANAGER', 'SUBMITTED', 3.0);
         INSERT INTO calibration_sessions (tenant_id, id, cycle_id, name, status, target_distribution)
              VALUES ('{tenant}', '{s}', '{c}', 'Sweep session', 'IN_PROGRESS', '{{\"meets\": 1.0}}');
         INSERT INTO calibration_participants (tenant_id, session_id, user_id) VALUES ('{tenant}', '{s}', '{seat}');
         INSERT INTO calibration_ratings (tenant_id, session_id, review_id, employee_id, original_rating, adjusted_rating, rationale)
              VALUES ('{tenant}', '{s}', '{r}', '{person}', 3.0, 3.5, 'Sweep rationale');
         INSERT INTO legal_holds (tenant_id, scope, person_id, reason) VALUES ('{tenant}', 'PERSON', '{person}', 'Sweep hold');"
    ))
    .await;
}

#[tokio::test]
async fn foreign_and_out_of_scope_ids_leak_nothing_and_change_nothing() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let demo = tenant_id(&DEMO_COMPANY);
    let acme = tenant_id(&SECOND_TENANT);
    calibration_data(
        &api,
        demo,
        demo_user("jane"),
        demo_user("manager"),
        demo_user("admin"),
    )
    .await;
    calibration_data(
        &api,
        acme,
        acme_user("employee"),
        acme_user("admin"),
        acme_user("admin"),
    )
    .await;

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

    let kinds: [(&str, &str); 6] = [
        (
            "session",
            "SELECT id FROM calibration_sessions WHERE tenant_id = $1",
        ),
        ("cycle", "SELECT id FROM review_cycles WHERE tenant_id = $1"),
        ("person", "SELECT id FROM users WHERE tenant_id = $1"),
        (
            "department",
            "SELECT id FROM departments WHERE tenant_id = $1",
        ),
        ("team", "SELECT id FROM teams WHERE tenant_id = $1"),
        ("hold", "SELECT id FROM legal_holds WHERE tenant_id = $1"),
    ];
    // (caller, kind, id, another id of that tenant)
    let mut targets: Vec<(usize, &str, Uuid, Uuid)> = Vec::new();
    for (i, (tenant, who, _)) in callers.iter().enumerate() {
        let other = if *tenant == "demo" { acme } else { demo };
        let someone: Uuid =
            sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1 ORDER BY id LIMIT 1")
                .bind(other)
                .fetch_one(&api.db.maintenance)
                .await?;
        for (kind, sql) in kinds {
            let ids: Vec<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(other)
                .fetch_all(&api.db.maintenance)
                .await?;
            targets.extend(ids.into_iter().map(|id| (i, kind, id, someone)));
        }
        // Inside the tenant: the sessions of people who take no part in them (not HR).
        if *tenant == "demo" && *who != "admin" {
            let mine = demo_user(who);
            let ids: Vec<Uuid> = sqlx::query_scalar(
                "SELECT s.id FROM calibration_sessions s WHERE s.tenant_id = $1 AND s.facilitator_id IS DISTINCT FROM $2
                    AND NOT EXISTS (SELECT 1 FROM calibration_participants p WHERE p.session_id = s.id AND p.user_id = $2)",
            )
            .bind(demo)
            .bind(mine)
            .fetch_all(&api.db.maintenance)
            .await?;
            targets.extend(
                ids.into_iter()
                    .map(|id| (i, "session", id, demo_user("omar"))),
            );
        }
    }
    common::sweep::assert_every_kind("(c)", KINDS, targets.iter().map(|t| t.1));
    let plan: Vec<(usize, Method, String, Option<Value>, Uuid)> = targets
        .iter()
        .flat_map(|(i, kind, id, other)| {
            requests(kind, *id, *other)
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
        assert!(!r.status.is_server_error(), "{m} {p}: {}", r.body);
        let refused = common::sweep::refused(r.status);
        let empty = r.status == StatusCode::OK
            && (r.body["items"].as_array().is_some_and(|a| a.is_empty())
                || r.body.as_array().is_some_and(|a| a.is_empty()));
        if leaks(r, *id) || !(refused || empty) {
            leaked.push(format!(
                "{} {}: {m} {p} -> {} {}",
                callers[*i].0, callers[*i].1, r.status, r.body
            ));
        }
    }
    common::sweep::report(" (c)", results.len(), &by_status, &leaked);
    let after = both_tenants(&api, TABLES).await;
    assert_eq!(before, after, "no row of either tenant changed");
    Ok(())
}
