//! `GET /goals` without an owner reads the union of a few index-ordered streams of candidate
//! goals (HR's, PUBLIC, mine, my reports' walked or joined, my peers' TEAM goals) instead of
//! checking every goal of the tenant. Here every page, for people of every kind — an employee,
//! a line manager, someone over more than 2,000 people (the walked stream), HR, and the demo
//! tenant's people — equals what the one visibility rule (`pms_api_can_see_goal`) gives when
//! applied to every goal, with and without a status filter.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use pms_api::auth::Token;
use pms_core::{TenantId, UserId};
use pms_db::RoleName;
use pms_db::TenantTx;
use pms_seed::bulk::bulk_pool;
use pms_seed::demo_tenants::{DEMO_COMPANY, tenant_id};
use pms_seed::generate::{GenerateOptions, generate_verified, generated_tenant_id};
use reqwest::StatusCode;
use std::time::Duration;
use uuid::Uuid;

/// What the rule gives over every goal, newest first.
async fn by_the_rule(api: &Api, tenant: Uuid, user: Uuid, status: Option<&str>) -> Vec<Uuid> {
    let mut tx = TenantTx::begin(&api.db.app, TenantId::from(tenant), Some(UserId(user)))
        .await
        .unwrap();
    let ids = sqlx::query_scalar(
        "SELECT id FROM goals g WHERE g.deleted_at IS NULL
            AND pms_api_can_see_goal(g.owner_id, g.visibility)
            AND ($1::text IS NULL OR g.status = $1)
          ORDER BY g.created_at DESC, g.id DESC",
    )
    .bind(status)
    .fetch_all(&mut **tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    ids
}

/// The first `pages` pages of `limit` of the API's list.
async fn listed(
    api: &Api,
    token: &str,
    status: Option<&str>,
    limit: usize,
    pages: usize,
) -> Vec<Uuid> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..pages {
        let mut path = format!("/api/v1/goals?limit={limit}");
        if let Some(s) = status {
            path.push_str(&format!("&status={s}"));
        }
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let r = api.get(&path, token).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        out.extend(
            r.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["id"].as_str().unwrap().parse::<Uuid>().unwrap()),
        );
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    out
}

/// Equal lists, or a failure that says where they part (not thousands of ids).
fn same(got: &[Uuid], want: &[Uuid], what: &str) {
    if got != want {
        let at = got.iter().zip(want).take_while(|(a, b)| a == b).count();
        panic!(
            "{what}: {} listed, {} by the rule; first difference at {at}: {:?} vs {:?}",
            got.len(),
            want.len(),
            got.get(at),
            want.get(at)
        );
    }
}

async fn check(api: &Api, tenant: Uuid, user: Uuid, token: &str, who: &str) -> usize {
    let mut seen = 0;
    for status in [None, Some("ACTIVE")] {
        let expected = by_the_rule(api, tenant, user, status).await;
        // The whole list in pages of 200 (at most 60 of them), and its start in pages of 7.
        let all = listed(api, token, status, 200, 60).await;
        let n = expected.len().min(200 * 60);
        same(
            &all,
            &expected[..n],
            &format!("{who} ({status:?}): pages of 200"),
        );
        let start = listed(api, token, status, 7, 4).await;
        same(
            &start,
            &expected[..expected.len().min(28)],
            &format!("{who} ({status:?}): pages of 7"),
        );
        seen += expected.len();
    }
    seen
}

#[tokio::test]
async fn every_page_of_the_goal_list_is_what_the_visibility_rule_gives() -> anyhow::Result<()> {
    let api = Api::start().await?;

    // The demo tenant's people, with their real logins.
    let demo = tenant_id(&DEMO_COMPANY);
    for local in ["employee", "manager", "admin", "lena", "sales.manager"] {
        let token = api.login(local).await;
        check(&api, demo, demo_user(local), &token, local).await;
    }

    // A generated tenant big enough for a manager of more than 2,000 people.
    let opts = GenerateOptions {
        employees: 2_200,
        months: 0,
        seed: 5,
        slug: "goal-list".into(),
        name: None,
        batch_employees: 300,
        workers: 2,
    };
    let admin = bulk_pool(api.db.urls.options(RoleName::Admin)?, 2).await?;
    generate_verified(&api.db.maintenance, &admin, &opts, &mut |_| {
        std::ops::ControlFlow::Continue(())
    })
    .await?;
    let t = generated_tenant_id("goal-list");
    // The generator's goals are all PUBLIC; most goals are not, so that an employee sees few.
    sqlx::query(
        "UPDATE goals SET visibility = CASE abs(hashtext(id::text)) % 10
                WHEN 0 THEN 'PUBLIC' WHEN 1 THEN 'PUBLIC' WHEN 2 THEN 'TEAM' WHEN 3 THEN 'TEAM'
                WHEN 4 THEN 'TEAM' WHEN 5 THEN 'TEAM' ELSE 'PRIVATE' END
          WHERE tenant_id = $1",
    )
    .bind(t)
    .execute(&admin)
    .await?;
    // People by the size of their team (descendants in the chain).
    let teams: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT u.id, (SELECT count(*) FROM reporting_chain c
                        WHERE c.tenant_id = u.tenant_id AND c.ancestor_id = u.id AND c.depth > 0)
           FROM users u WHERE u.tenant_id = $1 AND u.deleted_at IS NULL ORDER BY 2 DESC, u.id",
    )
    .bind(t)
    .fetch_all(&api.db.maintenance)
    .await?;
    let big = teams
        .iter()
        .find(|(_, n)| *n >= 2_000)
        .expect("someone over 2,000 people");
    let line = teams
        .iter()
        .find(|(_, n)| (3..=40).contains(n))
        .expect("a line manager");
    let employee = teams
        .iter()
        .rev()
        .find(|(_, n)| *n == 0)
        .expect("an employee");
    let hr: Option<Uuid> = sqlx::query_scalar(
        "SELECT ur.user_id FROM user_roles ur JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
          WHERE ur.tenant_id = $1 AND r.code = 'HR_ADMIN' LIMIT 1",
    )
    .bind(t)
    .fetch_optional(&api.db.maintenance)
    .await?;
    let mut people = vec![
        (big.0, "over 2,000"),
        (line.0, "line manager"),
        (employee.0, "employee"),
    ];
    if let Some(h) = hr {
        people.push((h, "HR"));
    }
    let mut total = 0;
    for (user, who) in people {
        let token = Token::generate(TenantId::from(t));
        api.state
            .sessions()
            .create(
                TenantId::from(t),
                UserId(user),
                &token.text,
                Duration::from_secs(600),
            )
            .await?;
        total += check(&api, t, user, &token.text, who).await;
    }
    assert!(
        total > 1_000,
        "the generated people see {total} goals in all"
    );
    Ok(())
}
