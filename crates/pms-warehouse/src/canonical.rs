//! The warehouse's contents with every surrogate key replaced by the natural identity of the
//! row it points at (a person's version is `user_id@valid_from`): what an incremental sync and
//! a full rebuild must agree on, whatever keys each assigned. Used by the checks of the sync
//! and by `pms warehouse bench` to prove its runs built the same warehouse.

use crate::error::{Doing as _, Result};
use sqlx::PgConnection;
use std::collections::BTreeMap;
use uuid::Uuid;

const USER: &str = "(SELECT d.user_id || '@' || d.valid_from FROM warehouse.dim_user d WHERE d.tenant_id = f.tenant_id AND d.user_key = f.{col})";
const DEPARTMENT: &str = "(SELECT d.department_id || '@' || d.valid_from FROM warehouse.dim_department d WHERE d.tenant_id = f.tenant_id AND d.department_key = f.{col})";
const CYCLE: &str = "(SELECT d.cycle_id::text FROM warehouse.dim_review_cycle d WHERE d.tenant_id = f.tenant_id AND d.cycle_key = f.{col})";
const TEAM: &str = "(SELECT d.team_id::text FROM warehouse.dim_team d WHERE d.tenant_id = f.tenant_id AND d.team_key = f.{col})";

/// (table, key columns and the dimension each points at).
const TABLES: &[(&str, &[(&str, &str)])] = &[
    ("dim_tenant", &[("tenant_key", "")]),
    ("dim_date", &[]),
    ("dim_user", &[("user_key", "")]),
    ("dim_department", &[("department_key", "")]),
    ("dim_team", &[("team_key", "")]),
    ("dim_review_cycle", &[("cycle_key", "")]),
    ("dim_competency", &[("competency_key", "")]),
    (
        "fact_performance_review",
        &[
            ("review_key", ""),
            ("cycle_key", CYCLE),
            ("reviewee_key", USER),
            ("reviewer_key", USER),
            ("department_key", DEPARTMENT),
        ],
    ),
    (
        "fact_feedback",
        &[
            ("feedback_key", ""),
            ("giver_key", USER),
            ("receiver_key", USER),
            ("receiver_department_key", DEPARTMENT),
        ],
    ),
    (
        "fact_engagement",
        &[
            ("engagement_key", ""),
            ("user_key", USER),
            ("department_key", DEPARTMENT),
        ],
    ),
    (
        "fact_goal_progress",
        &[
            ("goal_key", ""),
            ("owner_key", USER),
            ("team_key", TEAM),
            ("department_key", DEPARTMENT),
        ],
    ),
    (
        "fact_performance_daily",
        &[
            ("daily_key", ""),
            ("user_key", USER),
            ("department_key", DEPARTMENT),
        ],
    ),
];

/// Every star table of one tenant as sorted JSON lines, keys resolved to natural identities
/// (a key with no dimension row behind it shows as `null`).
pub async fn contents(
    conn: &mut PgConnection,
    tenant: Uuid,
) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for (table, keys) in TABLES {
        let drop: Vec<String> = keys.iter().map(|(c, _)| format!("'{c}'")).collect();
        let resolved: Vec<String> = keys
            .iter()
            .filter(|(_, lookup)| !lookup.is_empty())
            .map(|(c, lookup)| format!("'{c}', {}", lookup.replace("{col}", c)))
            .collect();
        let minus = if drop.is_empty() {
            String::new()
        } else {
            format!(" - ARRAY[{}]::text[]", drop.join(", "))
        };
        let plus = if resolved.is_empty() {
            String::new()
        } else {
            format!(" || jsonb_build_object({})", resolved.join(", "))
        };
        let sql = format!(
            "SELECT (to_jsonb(f){minus}{plus})::text AS line FROM warehouse.{table} f WHERE f.tenant_id = $1 ORDER BY 1"
        );
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(tenant)
            .fetch_all(&mut *conn)
            .await
            .doing(format!("reading warehouse.{table}"))?;
        out.insert((*table).to_string(), rows);
    }
    Ok(out)
}

/// The SCD2 invariants, as violations (empty when they hold): at most one current row per
/// natural key, no overlapping validity, the current row is the open one, and versions of a
/// key meet end to start with no gap.
pub async fn scd2_violations(conn: &mut PgConnection, tenant: Uuid) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (table, id) in [("dim_user", "user_id"), ("dim_department", "department_id")] {
        let sql = format!(
            "WITH v AS (SELECT {id} AS id, valid_from, valid_to, is_current,
                               lead(valid_from) OVER (PARTITION BY {id} ORDER BY valid_from) AS next_from
                          FROM warehouse.{table} WHERE tenant_id = $1)
             SELECT '{table} ' || id || ': ' || reason FROM (
                 SELECT id, 'more than one current row' AS reason FROM v WHERE is_current GROUP BY id HAVING count(*) > 1
                 UNION ALL SELECT id, 'version ends at ' || valid_to || ' but the next starts at ' || next_from
                   FROM v WHERE next_from IS NOT NULL AND next_from <> valid_to
                 UNION ALL SELECT id, 'current row is not the open one' FROM v WHERE is_current <> (valid_to = 'infinity')
                 UNION ALL SELECT id, 'a version after the open one' FROM v WHERE valid_to = 'infinity' AND next_from IS NOT NULL
                 UNION ALL SELECT id, 'empty or reversed validity' FROM v WHERE valid_from >= valid_to) x
             ORDER BY 1"
        );
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(tenant)
            .fetch_all(&mut *conn)
            .await
            .doing(format!("checking warehouse.{table}"))?;
        out.extend(rows);
    }
    Ok(out)
}
