//! The IDOR sweep of 360 feedback, reports (definitions, schedules, runs, downloads), dashboards
//! and widgets, compensation decisions, and the id-less endpoints: people of both demo tenants
//! and of several roles send every request of these endpoints that names a record, with the
//! records of the other tenant and, inside their own, the records the database hides from them
//! (asked of it as each caller); creates and changes carry another tenant's people,
//! departments, cycles, questionnaires, competencies, reports and questions in their bodies;
//! every list and `/me` read is sent by every caller. No answer may carry an id of the other
//! tenant or a hidden record's id, every request naming a foreign or hidden record is refused
//! (or lists nothing), and no row of either tenant changes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::sweep::{
    PLACEHOLDER, assert_every_kind, both_tenants, ids_as, ids_of, unseen_by, uuids_in,
};
use common::sweep_plan_d::{Ctx, FLOOR, FOREIGN_ID_TABLES, KINDS, TABLES, requests};
use common::{Api, Resp};
use futures::StreamExt;
use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, tenant_id, user_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

/// A planned request: the caller, the target's kind, method, path, body, and whether the
/// target is the other tenant's.
type Planned<'a> = (usize, &'a str, Method, String, Option<Value>, bool);

/// One record of the caller's own tenant by a query (or the stand-in when there is none).
async fn one(api: &Api, sql: &str, tenant: Uuid, me: Uuid) -> Uuid {
    let id: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(tenant)
        .bind(me)
        .fetch_optional(&api.db.maintenance)
        .await
        .unwrap();
    id.unwrap_or(PLACEHOLDER)
}

/// A private dashboard with a widget and a private report definition of the caller, made
/// through the API, and a run of the report: records of theirs that the others may not touch.
async fn own_records(api: &Api, token: &str, who: &str) -> (Uuid, Uuid, Uuid) {
    let r = api
        .post(
            "/api/v1/dashboards",
            token,
            json!({"name": format!("Sweep of {who}")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{who}: {}", r.body);
    let dashboard = r.id();
    let r = api
        .post(
            &format!("/api/v1/dashboards/{dashboard}/widgets"),
            token,
            json!({"widget_type": "KPI_TILE", "title": "eNPS", "config": {"metric": "enps"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{who}: {}", r.body);
    let widget: Uuid = r.body["widgets"][0]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let r = api
        .post(
            "/api/v1/reports/definitions",
            token,
            json!({"name": format!("Sweep week of {who}"), "report_type": "WEEKLY_SUMMARY"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{who}: {}", r.body);
    let definition = r.id();
    let r = api
        .post(
            &format!("/api/v1/reports/definitions/{definition}/generate"),
            token,
            json!({"format": "JSON", "period_start": "2031-03-10", "period_end": "2031-03-16"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{who}: {}", r.body);
    (dashboard, widget, definition)
}

/// Whether an answer to a request naming a foreign or hidden record shows something: a
/// record, or a list with rows.
fn shows_something(r: &Resp) -> bool {
    r.status.is_success()
        && (r.body["items"].as_array().is_some_and(|a| !a.is_empty())
            || r.body.get("id").is_some()
            || r.body["rows"].as_array().is_some_and(|a| !a.is_empty())
            || r.body.as_str().is_some_and(|s| !s.is_empty()))
}

#[tokio::test]
async fn foreign_and_hidden_records_leak_nothing_and_change_nothing() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let demo = tenant_id(&DEMO_COMPANY);
    let acme = tenant_id(&SECOND_TENANT);
    let callers = [
        ("demo", "employee", api.login("employee").await),
        ("demo", "jane", api.login("jane").await),
        ("demo", "lena", api.login("lena").await),
        ("demo", "manager", api.login("manager").await),
        ("demo", "sales.manager", api.login("sales.manager").await),
        ("demo", "ceo", api.login("ceo").await),
        ("demo", "admin", api.login("admin").await),
        ("acme", "admin", api.login_acme("admin").await),
        ("acme", "employee", api.login_acme("employee").await),
    ];
    let mut own = Vec::new();
    for (_, who, token) in &callers {
        own.push(own_records(&api, token, who).await);
    }
    let before = both_tenants(&api, TABLES).await;

    let foreign_of = |t: Uuid| if t == demo { acme } else { demo };
    let mut foreign_ids: BTreeMap<Uuid, HashSet<Uuid>> = BTreeMap::new();
    for t in [demo, acme] {
        let mut set: HashSet<Uuid> = HashSet::from([t]);
        for table in FOREIGN_ID_TABLES {
            set.extend(ids_of(&api, table, t).await);
        }
        foreign_ids.insert(t, set);
    }

    // (caller, kind, id, parent, whether the record is the other tenant's)
    let mut targets: Vec<(usize, &str, Uuid, Uuid, bool)> = Vec::new();
    let mut ctxs = Vec::new();
    // Per caller: the ids no answer to them may carry.
    let mut forbidden: Vec<HashSet<Uuid>> = Vec::new();
    for (i, (tenant, who, _)) in callers.iter().enumerate() {
        let (mine, me) = if *tenant == "demo" {
            (demo, user_id(&DEMO_COMPANY, who))
        } else {
            (acme, user_id(&SECOND_TENANT, who))
        };
        let other = foreign_of(mine);
        let first = |table: &str| {
            format!(
                "SELECT id FROM {table} WHERE tenant_id = $1 AND $2::uuid IS NOT NULL ORDER BY id LIMIT 1"
            )
        };
        let (dashboard, widget, definition) = own[i];
        let ctx = Ctx {
            me,
            peer: one(
                &api,
                "SELECT id FROM users WHERE tenant_id = $1 AND id <> $2 AND deleted_at IS NULL ORDER BY email LIMIT 1",
                mine,
                me,
            )
            .await,
            cycle360: one(&api, &first("feedback_360_cycles"), mine, me).await,
            questionnaire: one(&api, &first("feedback_360_questionnaires"), mine, me).await,
            request360: one(
                &api,
                "SELECT id FROM feedback_360_requests WHERE tenant_id = $1 AND rater_id = $2 ORDER BY status = 'OPENED' DESC, id LIMIT 1",
                mine,
                me,
            )
            .await,
            review_cycle: one(&api, &first("review_cycles"), mine, me).await,
            dashboard,
            widget,
            definition,
        };
        ctxs.push(ctx);

        // The other tenant: everything.
        for (kind, sql) in [
            (
                "questionnaire",
                "SELECT id, id FROM feedback_360_questionnaires WHERE tenant_id = $1",
            ),
            (
                "cycle360",
                "SELECT id, id FROM feedback_360_cycles WHERE tenant_id = $1",
            ),
            (
                "nomination",
                "SELECT id, id FROM feedback_360_nominations WHERE tenant_id = $1",
            ),
            (
                "request360",
                "SELECT id, id FROM feedback_360_requests WHERE tenant_id = $1",
            ),
            (
                "question",
                "SELECT id, id FROM feedback_360_questions WHERE tenant_id = $1",
            ),
            ("subject", "SELECT id, id FROM users WHERE tenant_id = $1"),
            ("person", "SELECT id, id FROM users WHERE tenant_id = $1"),
            (
                "review_cycle",
                "SELECT id, id FROM review_cycles WHERE tenant_id = $1",
            ),
            (
                "department",
                "SELECT id, id FROM departments WHERE tenant_id = $1",
            ),
            (
                "competency",
                "SELECT id, id FROM competencies WHERE tenant_id = $1",
            ),
            (
                "definition",
                "SELECT id, id FROM report_definitions WHERE tenant_id = $1",
            ),
            (
                "schedule",
                "SELECT id, id FROM report_schedules WHERE tenant_id = $1",
            ),
            (
                "generated",
                "SELECT id, id FROM generated_reports WHERE tenant_id = $1",
            ),
            (
                "dashboard",
                "SELECT id, id FROM dashboards WHERE tenant_id = $1",
            ),
            (
                "widget",
                "SELECT id, dashboard_id FROM dashboard_widgets WHERE tenant_id = $1",
            ),
            (
                "compensation",
                "SELECT id, id FROM compensation_decisions WHERE tenant_id = $1",
            ),
        ] {
            let rows: Vec<(Uuid, Uuid)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(other)
                .fetch_all(&api.db.maintenance)
                .await?;
            targets.extend(rows.into_iter().map(|(id, p)| (i, kind, id, p, true)));
        }
        targets.push((i, "reads", PLACEHOLDER, PLACEHOLDER, false));

        // Inside the caller's tenant: what the database hides from them.
        let mut hidden: HashSet<Uuid> = HashSet::new();
        for (kind, table) in [
            ("nomination", "feedback_360_nominations"),
            ("request360", "feedback_360_requests"),
            ("definition", "report_definitions"),
            ("schedule", "report_schedules"),
            ("generated", "generated_reports"),
            ("dashboard", "dashboards"),
            ("compensation", "compensation_decisions"),
        ] {
            for id in unseen_by(&api, mine, me, table).await {
                hidden.insert(id);
                targets.push((i, kind, id, id, false));
            }
        }
        let widgets: Vec<(Uuid, Uuid)> = sqlx::query_as(
            "SELECT id, dashboard_id FROM dashboard_widgets WHERE tenant_id = $1 ORDER BY id",
        )
        .bind(mine)
        .fetch_all(&api.db.maintenance)
        .await?;
        let seen_widgets: HashSet<Uuid> =
            ids_as(&api, mine, me, "SELECT id FROM dashboard_widgets")
                .await
                .into_iter()
                .collect();
        for (id, parent) in widgets {
            if !seen_widgets.contains(&id) {
                hidden.insert(id);
                targets.push((i, "widget", id, parent, false));
            }
        }
        for id in ids_as(
            &api,
            mine,
            me,
            "SELECT id FROM users WHERE deleted_at IS NULL AND NOT pms_can_see_person(id, 'FEEDBACK')
                AND NOT pms_can_see_person(id, 'APPROVALS')",
        )
        .await
        {
            targets.push((i, "subject", id, id, false));
        }
        let mut f = foreign_ids[&other].clone();
        f.extend(hidden);
        forbidden.push(f);
    }
    assert_every_kind("(d)", KINDS, targets.iter().map(|t| t.1));
    let plan: Vec<Planned> = targets
        .iter()
        .flat_map(|(i, kind, id, parent, foreign)| {
            requests(kind, *id, *parent, &ctxs[*i])
                .into_iter()
                .map(move |(m, p, b)| (*i, *kind, m, p, b, *foreign))
        })
        .collect();
    assert!(
        plan.len() >= FLOOR,
        "the sweep sends {} requests",
        plan.len()
    );

    let results: Vec<(usize, &str, Method, String, Resp, bool)> = futures::stream::iter(plan)
        .map(|(i, kind, m, p, b, foreign)| {
            let api = &api;
            let token = callers[i].2.clone();
            async move {
                let r = api.call(m.clone(), &p, Some(&token), b).await;
                (i, kind, m, p, r, foreign)
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let mut by_status = BTreeMap::<u16, usize>::new();
    let mut leaked = Vec::new();
    for (i, kind, m, p, r, foreign) in &results {
        *by_status.entry(r.status.as_u16()).or_default() += 1;
        assert!(!r.status.is_server_error(), "{m} {p}: {}", r.body);
        let carried: Vec<Uuid> = uuids_in(&r.body.to_string())
            .into_iter()
            .filter(|id| forbidden[*i].contains(id))
            .collect();
        let refused = common::sweep::refused(r.status);
        let empty =
            r.status == StatusCode::OK && r.body["items"].as_array().is_some_and(|a| a.is_empty());
        let listed = r.status == StatusCode::OK && r.body["items"].is_array();
        let wrong = if *kind == "reads" {
            !(r.status.is_success() || refused)
        } else if listed && !*foreign {
            // A list filtered by a record hidden from the caller may still list the caller's
            // own (a nomination naming them as the rater): none of the hidden ones.
            false
        } else {
            shows_something(r) || !(refused || empty)
        };
        if !carried.is_empty() || wrong {
            leaked.push(format!(
                "{} {}: {m} {p} -> {} carried {carried:?}: {}",
                callers[*i].0, callers[*i].1, r.status, r.body
            ));
        }
    }
    common::sweep::report(" (d)", results.len(), &by_status, &leaked);
    let after = both_tenants(&api, TABLES).await;
    assert_eq!(before, after, "no row of either tenant changed");
    api.finish().await;
    Ok(())
}
