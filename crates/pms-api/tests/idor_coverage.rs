//! The IDOR sweeps cover the whole API: every operation (method and path) of
//! `/api/openapi.json` is sent by the plan of one of the sweep binaries (`idor_sweep*.rs`, whose
//! plans are in `common/sweep_plan*.rs`) or stands in the exemption list below with the reason
//! it names no record of anyone else. A new endpoint fails this test until a sweep sends it.
//! It also fails on a planned request that matches no documented operation (a stale plan) and
//! on an exemption that a plan covers or the document no longer has, and it prints the total
//! of the sweeps' request floors (each binary asserts its own).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::sweep::{operations_of, template_for};
use common::{sweep_plan, sweep_plan_a, sweep_plan_b, sweep_plan_c, sweep_plan_d};
use reqwest::{Method, StatusCode};
use std::collections::BTreeSet;

/// Operations no sweep sends, and why: none takes an id or a reference to a record, so there is
/// no foreign or out-of-scope record to name; each acts on the caller alone or creates a record
/// from plain values. Their rules are checked where named.
const EXEMPT: &[(&str, &str, &str)] = &[
    (
        "POST",
        "/api/v1/auth/login",
        "no session yet: tenant, email and password (auth_sessions.rs)",
    ),
    (
        "POST",
        "/api/v1/auth/logout",
        "ends the caller's own session, which the sweep still needs (auth_sessions.rs)",
    ),
    (
        "POST",
        "/api/v1/me/password",
        "the caller's own password; a change ends their sessions (auth_sessions.rs)",
    ),
    (
        "POST",
        "/api/v1/notifications/read-all",
        "the caller's own notifications, no id (api_notifications.rs)",
    ),
    (
        "PUT",
        "/api/v1/notifications/preferences",
        "the caller's own preferences, no id (api_notifications.rs)",
    ),
    (
        "POST",
        "/api/v1/review-cycles",
        "a cycle from a name and dates, no reference (role_matrix.rs: HR only)",
    ),
    (
        "POST",
        "/api/v1/pip-templates",
        "a template from plain values, no reference (api_pips.rs)",
    ),
    (
        "POST",
        "/api/v1/surveys",
        "a survey from plain values and questions, no reference (api_engagement.rs)",
    ),
    (
        "POST",
        "/api/v1/dashboards",
        "the caller's own dashboard from a name and a layout (api_reports.rs)",
    ),
    (
        "PUT",
        "/api/v1/org-health/inputs",
        "the tenant's own inputs, no id (api_org_health.rs)",
    ),
    (
        "PUT",
        "/api/v1/admin/retention/overrides/{entity_type}",
        "a table name of the retention catalogue, not a record (api_admin.rs)",
    ),
    (
        "DELETE",
        "/api/v1/admin/retention/overrides/{entity_type}",
        "a table name of the retention catalogue, not a record (api_admin.rs)",
    ),
    (
        "POST",
        "/api/v1/metrics",
        "NDJSON whose tenant comes from the session; a line naming another tenant is refused \
         (api_metrics.rs), and an accepted batch writes rows by design",
    ),
];

#[tokio::test]
async fn every_operation_is_swept_or_exempt_with_a_reason() -> anyhow::Result<()> {
    let api = common::Api::start().await?;
    let r = api.call(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let mut documented: BTreeSet<(String, String)> = BTreeSet::new();
    for (path, item) in r.body["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let templates: Vec<String> = documented.iter().map(|(_, p)| p.clone()).collect();

    let plans = [
        ("idor_sweep", sweep_plan::all_requests(), sweep_plan::FLOOR),
        (
            "idor_sweep_a",
            sweep_plan_a::all_requests(),
            sweep_plan_a::FLOOR,
        ),
        (
            "idor_sweep_b",
            sweep_plan_b::all_requests(),
            sweep_plan_b::FLOOR,
        ),
        (
            "idor_sweep_c",
            sweep_plan_c::all_requests(),
            sweep_plan_c::FLOOR,
        ),
        (
            "idor_sweep_d",
            sweep_plan_d::all_requests(),
            sweep_plan_d::FLOOR,
        ),
    ];
    let mut swept: BTreeSet<(String, String)> = BTreeSet::new();
    let mut stale = Vec::new();
    let mut total_floor = 0;
    for (binary, reqs, floor) in plans {
        total_floor += floor;
        let ops = operations_of(reqs);
        let mut mine = BTreeSet::new();
        for (m, p) in ops {
            match template_for(&p, &templates) {
                Some(t) if documented.contains(&(m.clone(), t.to_string())) => {
                    mine.insert((m, t.to_string()));
                }
                _ => stale.push(format!("{binary}: {m} {p}")),
            }
        }
        println!(
            "{binary}: {} operations, at least {floor} requests",
            mine.len()
        );
        swept.extend(mine);
    }
    assert!(
        stale.is_empty(),
        "planned requests that match no documented operation:\n{}",
        stale.join("\n")
    );
    let exempt: BTreeSet<(String, String)> = EXEMPT
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    let unknown: Vec<_> = exempt.difference(&documented).collect();
    assert!(unknown.is_empty(), "exempt but not documented: {unknown:?}");
    let both: Vec<_> = exempt.intersection(&swept).collect();
    assert!(both.is_empty(), "exempt but swept: {both:?}");
    let missing: Vec<String> = documented
        .iter()
        .filter(|op| !swept.contains(*op) && !exempt.contains(*op))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    println!(
        "IDOR coverage: {} operations documented, {} swept, {} exempt; the sweeps send at least {total_floor} requests in all",
        documented.len(),
        swept.len(),
        exempt.len()
    );
    assert!(
        missing.is_empty(),
        "{} operations are in no sweep plan and not exempt:\n{}",
        missing.len(),
        missing.join("\n")
    );
    assert!(
        total_floor >= 3000,
        "the sweeps' floors add up to {total_floor}"
    );
    Ok(())
}
