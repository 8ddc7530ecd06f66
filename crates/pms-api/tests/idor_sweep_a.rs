//! The IDOR sweep of the one-on-one, PIP, development and notification endpoints: people of
//! both demo tenants and of different roles send GET, PATCH, POST, PUT and DELETE requests
//! naming records of the other tenant and records outside their scope inside their own (PIPs
//! of people they do not manage, drafts, one-on-ones they are not part of, other people's
//! notifications and private notes). No response may carry the foreign record, and no row of
//! either tenant may change (hashed in the database before and after).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::sweep::both_tenants;
use common::sweep_plan_a::{FLOOR, KINDS, TABLES, requests};
use common::{Api, Resp, demo_user};
use futures::StreamExt;
use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, tenant_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

fn leaks(r: &Resp, id: Uuid) -> bool {
    let text = r.body.to_string();
    text.contains(&id.to_string())
        || r.status.is_success() && r.body["items"].as_array().is_some_and(|a| !a.is_empty())
        || r.status.is_success() && r.body.get("id").is_some()
        || r.status.is_success()
            && r.body["suggestions"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
}

#[tokio::test]
async fn foreign_and_out_of_scope_ids_leak_nothing_and_change_nothing() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let demo = tenant_id(&DEMO_COMPANY);
    let acme = tenant_id(&SECOND_TENANT);
    // A draft PIP of Eli (his manager's and HR's only) and a one-on-one between the sales
    // manager and Lena (outside the engineering chain), made through the API.
    let manager = api.login("manager").await;
    let sales = api.login("sales.manager").await;
    let r = api
        .post("/api/v1/pips", &manager, json!({"employee_id": demo_user("employee"), "reason": "draft", "starts_on": "2026-08-01", "ends_on": "2026-09-01"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = api
        .post("/api/v1/one-on-ones", &sales, json!({"employee_id": demo_user("lena"), "scheduled_at": "2026-09-01T10:00:00Z", "agenda": ["Pipeline"]}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let sales_meeting = r.id();
    let r = api
        .post(
            &format!("/api/v1/one-on-ones/{sales_meeting}/action-items"),
            &sales,
            json!({"assignee_id": demo_user("lena"), "description": "Call Northwind"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let callers = [
        ("demo", "employee", api.login("employee").await),
        ("demo", "jane", api.login("jane").await),
        ("demo", "lena", api.login("lena").await),
        ("demo", "manager", manager.clone()),
        ("demo", "sales.manager", sales.clone()),
        ("demo", "admin", api.login("admin").await),
        ("acme", "admin", api.login_acme("admin").await),
        ("acme", "employee", api.login_acme("employee").await),
    ];
    let before = both_tenants(&api, TABLES).await;

    // (caller, kind, id, parent)
    let mut foreign: Vec<(usize, &str, Uuid, Uuid)> = Vec::new();
    for (i, (tenant, who, _)) in callers.iter().enumerate() {
        let other = if *tenant == "demo" { acme } else { demo };
        let everything: [(&str, &str); 12] = [
            (
                "meeting",
                "SELECT id, id FROM one_on_ones WHERE tenant_id = $1",
            ),
            (
                "agenda",
                "SELECT id, one_on_one_id FROM one_on_one_agenda_items WHERE tenant_id = $1",
            ),
            (
                "action",
                "SELECT id, one_on_one_id FROM one_on_one_action_items WHERE tenant_id = $1",
            ),
            (
                "pip",
                "SELECT id, id FROM performance_improvement_plans WHERE tenant_id = $1",
            ),
            (
                "milestone",
                "SELECT id, pip_id FROM pip_milestones WHERE tenant_id = $1",
            ),
            (
                "template",
                "SELECT id, id FROM pip_templates WHERE tenant_id = $1",
            ),
            (
                "plan",
                "SELECT id, id FROM development_plans WHERE tenant_id = $1",
            ),
            (
                "activity",
                "SELECT id, plan_id FROM development_activities WHERE tenant_id = $1",
            ),
            (
                "checkpoint",
                "SELECT id, plan_id FROM development_checkpoints WHERE tenant_id = $1",
            ),
            (
                "career_path",
                "SELECT id, id FROM career_paths WHERE tenant_id = $1",
            ),
            (
                "notification",
                "SELECT id, id FROM notifications WHERE tenant_id = $1",
            ),
            ("person", "SELECT id, id FROM users WHERE tenant_id = $1"),
        ];
        for (kind, sql) in everything {
            let rows: Vec<(Uuid, Uuid)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
                .bind(other)
                .fetch_all(&api.db.maintenance)
                .await?;
            foreign.extend(rows.into_iter().map(|(id, p)| (i, kind, id, p)));
        }
        if *tenant != "demo" {
            continue;
        }
        // Inside the demo company: what the caller's scope leaves out.
        let me = demo_user(who);
        let scoped: [(&str, &str); 8] = [
            ("meeting", "SELECT id, id FROM one_on_ones o WHERE tenant_id = $1 AND $2 NOT IN (o.manager_id, o.employee_id)
                          AND NOT EXISTS (SELECT 1 FROM reporting_chain c WHERE c.tenant_id = o.tenant_id AND c.ancestor_id = $2 AND c.descendant_id = o.employee_id AND c.depth > 0)"),
            ("agenda", "SELECT a.id, a.one_on_one_id FROM one_on_one_agenda_items a JOIN one_on_ones o ON o.id = a.one_on_one_id
                         WHERE a.tenant_id = $1 AND $2 NOT IN (o.manager_id, o.employee_id)
                           AND NOT EXISTS (SELECT 1 FROM reporting_chain c WHERE c.tenant_id = o.tenant_id AND c.ancestor_id = $2 AND c.descendant_id = o.employee_id AND c.depth > 0)"),
            ("action", "SELECT a.id, a.one_on_one_id FROM one_on_one_action_items a JOIN one_on_ones o ON o.id = a.one_on_one_id
                         WHERE a.tenant_id = $1 AND $2 NOT IN (o.manager_id, o.employee_id)
                           AND NOT EXISTS (SELECT 1 FROM reporting_chain c WHERE c.tenant_id = o.tenant_id AND c.ancestor_id = $2 AND c.descendant_id = o.employee_id AND c.depth > 0)"),
            ("pip", "SELECT id, id FROM performance_improvement_plans p WHERE tenant_id = $1 AND NOT (p.employee_id = $2 AND p.status <> 'DRAFT')
                      AND NOT EXISTS (SELECT 1 FROM reporting_chain c WHERE c.tenant_id = p.tenant_id AND c.ancestor_id = $2 AND c.descendant_id = p.employee_id AND c.depth > 0)"),
            ("milestone", "SELECT m.id, m.pip_id FROM pip_milestones m JOIN performance_improvement_plans p ON p.id = m.pip_id
                            WHERE m.tenant_id = $1 AND p.employee_id <> $2
                              AND NOT EXISTS (SELECT 1 FROM reporting_chain c WHERE c.tenant_id = p.tenant_id AND c.ancestor_id = $2 AND c.descendant_id = p.employee_id AND c.depth > 0)"),
            ("plan", "SELECT id, id FROM development_plans p WHERE tenant_id = $1 AND p.employee_id <> $2
                       AND NOT EXISTS (SELECT 1 FROM reporting_chain c WHERE c.tenant_id = p.tenant_id AND c.ancestor_id = $2 AND c.descendant_id = p.employee_id AND c.depth > 0)"),
            ("activity", "SELECT a.id, a.plan_id FROM development_activities a JOIN development_plans p ON p.id = a.plan_id
                           WHERE a.tenant_id = $1 AND p.employee_id <> $2
                             AND NOT EXISTS (SELECT 1 FROM reporting_chain c WHERE c.tenant_id = p.tenant_id AND c.ancestor_id = $2 AND c.descendant_id = p.employee_id AND c.depth > 0)"),
            // Everybody's notifications but mine, HR included.
            ("notification", "SELECT id, id FROM notifications WHERE tenant_id = $1 AND recipient_id <> $2"),
        ];
        for (kind, sql) in scoped {
            // HR sees every record of the tenant but the notifications of others.
            if *who == "admin" && kind != "notification" {
                continue;
            }
            let rows: Vec<(Uuid, Uuid)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
                .bind(demo)
                .bind(me)
                .fetch_all(&api.db.maintenance)
                .await?;
            foreign.extend(rows.into_iter().map(|(id, p)| (i, kind, id, p)));
        }
    }
    common::sweep::assert_every_kind("(a)", KINDS, foreign.iter().map(|f| f.1));
    let plan: Vec<(usize, Method, String, Option<Value>, Uuid)> = foreign
        .iter()
        .flat_map(|(i, kind, id, parent)| {
            requests(kind, *id, *parent)
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
                || r.body["suggestions"]
                    .as_array()
                    .is_some_and(|a| a.is_empty()));
        if leaks(r, *id) || !(refused || empty) {
            leaked.push(format!(
                "{} {}: {m} {p} -> {} {}",
                callers[*i].0, callers[*i].1, r.status, r.body
            ));
        }
    }
    common::sweep::report(" (a)", results.len(), &by_status, &leaked);
    let after = both_tenants(&api, TABLES).await;
    assert_eq!(before, after, "no row of either tenant changed");
    Ok(())
}
