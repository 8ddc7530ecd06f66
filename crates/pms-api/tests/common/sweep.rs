//! What the IDOR sweeps share: a planned request, the operation (method and path template) a
//! request is an instance of, the tables' fingerprints, and the check that a plan reaches every
//! kind of record it names. The plans themselves are in `sweep_plan*.rs`, one per sweep
//! binary, so that `idor_coverage` can list their operations without sending anything.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::Api;
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeSet;
use uuid::Uuid;

/// One request of a plan: method, path (with its query) and body.
pub type Req = (Method, String, Option<Value>);

/// A stand-in id for listing a plan's operations (never sent).
pub const PLACEHOLDER: Uuid = Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0001);

/// The path of a request without its query string.
pub fn path_only(path: &str) -> &str {
    path.split_once('?').map_or(path, |(p, _)| p)
}

/// The (method, path) pairs of a plan's requests, queries dropped, each once.
pub fn operations_of(reqs: impl IntoIterator<Item = Req>) -> BTreeSet<(String, String)> {
    reqs.into_iter()
        .map(|(m, p, _)| (m.to_string(), path_only(&p).to_string()))
        .collect()
}

/// The template of `templates` that `path` is an instance of: same segment count, each
/// segment equal or a `{parameter}`; of several, the one with the most literal segments.
pub fn template_for<'a>(path: &str, templates: &'a [String]) -> Option<&'a str> {
    let segs: Vec<&str> = path_only(path).split('/').collect();
    templates
        .iter()
        .filter_map(|t| {
            let ts: Vec<&str> = t.split('/').collect();
            if ts.len() != segs.len() {
                return None;
            }
            let mut literal = 0;
            for (a, b) in ts.iter().zip(&segs) {
                if a.starts_with('{') && a.ends_with('}') {
                    continue;
                }
                if a != b {
                    return None;
                }
                literal += 1;
            }
            Some((literal, t.as_str()))
        })
        .max_by_key(|(n, _)| *n)
        .map(|(_, t)| t)
}

/// One fingerprint per table of every row of `tenant` (as the maintenance role).
pub async fn fingerprint(api: &Api, tables: &[&str], tenant: Uuid) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in tables {
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

/// Fails unless the sweep found at least one target of every kind its plan declares (so that
/// every operation the coverage test credits to the plan is really sent).
pub fn assert_every_kind<'a>(
    sweep: &str,
    kinds: &[&str],
    found: impl IntoIterator<Item = &'a str>,
) {
    let found: BTreeSet<&str> = found.into_iter().collect();
    let missing: Vec<&&str> = kinds.iter().filter(|k| !found.contains(**k)).collect();
    assert!(
        missing.is_empty(),
        "sweep {sweep} found no target of the kinds {missing:?}"
    );
}

/// The ids of `table` in `tenant` (as the maintenance role).
pub async fn ids_of(api: &Api, table: &str, tenant: Uuid) -> Vec<Uuid> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM {table} WHERE tenant_id = $1 ORDER BY id"
    )))
    .bind(tenant)
    .fetch_all(&api.db.maintenance)
    .await
    .unwrap()
}

/// What `sql` answers as `pms_app` acting as `user` in `tenant` (what the policies let them see).
pub async fn ids_as(api: &Api, tenant: Uuid, user: Uuid, sql: &str) -> Vec<Uuid> {
    let mut tx = pms_db::TenantTx::begin(
        &api.db.app,
        pms_core::TenantId::from(tenant),
        Some(pms_core::UserId::from(user)),
    )
    .await
    .unwrap();
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&mut **tx)
        .await
        .unwrap()
}

/// The ids of `table` in `tenant` that `user` may not read (the policies hide them).
pub async fn unseen_by(api: &Api, tenant: Uuid, user: Uuid, table: &str) -> Vec<Uuid> {
    let seen: BTreeSet<Uuid> = ids_as(api, tenant, user, &format!("SELECT id FROM {table}"))
        .await
        .into_iter()
        .collect();
    ids_of(api, table, tenant)
        .await
        .into_iter()
        .filter(|id| !seen.contains(id))
        .collect()
}

/// Every uuid written in `text` (8-4-4-4-12 hex digits).
pub fn uuids_in(text: &str) -> Vec<Uuid> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 36 <= b.len() {
        if b[i + 8] == b'-'
            && b[i + 13] == b'-'
            && b[i + 18] == b'-'
            && b[i + 23] == b'-'
            && let Some(id) = text.get(i..i + 36).and_then(|s| Uuid::parse_str(s).ok())
        {
            out.push(id);
            i += 36;
            continue;
        }
        i += 1;
    }
    out
}

/// Prints a sweep's count and its answers by status, and fails listing every answer that
/// carried foreign data or was not refused.
pub fn report(
    label: &str,
    sent: usize,
    by_status: &std::collections::BTreeMap<u16, usize>,
    leaked: &[String],
) {
    println!("IDOR sweep{label}: {sent} requests, statuses {by_status:?}");
    assert!(
        leaked.is_empty(),
        "{} responses carried foreign data or were not refused:\n{}",
        leaked.len(),
        leaked.join("\n")
    );
}

/// The fingerprints of `tables` in both demo tenants: what a sweep compares before and after.
pub async fn both_tenants(api: &Api, tables: &[&str]) -> [Vec<(String, String)>; 2] {
    use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, tenant_id};
    [
        fingerprint(api, tables, tenant_id(&DEMO_COMPANY)).await,
        fingerprint(api, tables, tenant_id(&SECOND_TENANT)).await,
    ]
}

/// Whether a status refuses the request (what every request naming a foreign record gets).
pub fn refused(s: reqwest::StatusCode) -> bool {
    use reqwest::StatusCode as S;
    matches!(
        s,
        S::BAD_REQUEST | S::FORBIDDEN | S::NOT_FOUND | S::CONFLICT | S::UNPROCESSABLE_ENTITY
    )
}
