//! What the role matrices of part 2 share: one signed-in person per role (ADMIN alone, HR_ADMIN
//! alone, a MANAGER, an EMPLOYEE and the platform's SUPER_ADMIN), the expectation of a row, and
//! the run of a table of rows that reports every answer that differs from it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::{Api, demo_user};
use pms_db::MaintenanceTx;
use pms_seed::demo_tenants::{DEMO_COMPANY, tenant_id};
use reqwest::{Method, StatusCode};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The roles, in the order of a row's expectations.
pub const ROLES: [&str; 5] = ["ADMIN", "HR_ADMIN", "MANAGER", "EMPLOYEE", "SUPER_ADMIN"];

/// The order the roles send a row's request in: those refused first, so that a write that
/// succeeds for one role does not change what the next one meets.
const SEND_ORDER: [usize; 5] = [4, 3, 2, 1, 0];

/// What a role gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exp {
    /// This status exactly.
    S(u16),
    /// Allowed: the record's state decides (2xx, or 409 when the state refuses the move).
    D,
}

impl Exp {
    fn admits(self, s: StatusCode) -> bool {
        match self {
            Exp::S(n) => s.as_u16() == n,
            Exp::D => s.is_success() || s == StatusCode::CONFLICT,
        }
    }
}

/// A row: what it checks, the method, the path and the body (with `{name}` standing for an id
/// of `ids` and `{role}` for the caller's role), and what each role of [`ROLES`] gets.
pub type Row = (
    &'static str,
    Method,
    &'static str,
    Option<&'static str>,
    [Exp; 5],
);

/// A demo-company person with one role alone, under the CEO (password demo123).
pub async fn add_person(api: &Api, local: &str, role: &str) -> Uuid {
    let t = tenant_id(&DEMO_COMPANY);
    let id = Uuid::new_v4();
    let hash = pms_seed::password::hash("demo123").unwrap();
    let mut tx = MaintenanceTx::begin(&api.db.maintenance).await.unwrap();
    sqlx::query(
        "INSERT INTO users (tenant_id, id, email, first_name, last_name, display_name, password_hash, manager_id)
         VALUES ($1, $2, $3, 'Matrix', $4, 'Matrix ' || $4, $5, $6)",
    )
    .bind(t)
    .bind(id)
    .bind(format!("{local}@demo.pms-platform.local"))
    .bind(role)
    .bind(hash)
    .bind(demo_user("ceo"))
    .execute(&mut **tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO user_roles (tenant_id, id, user_id, role_id)
         SELECT $1, gen_random_uuid(), $2, id FROM roles WHERE tenant_id = $1 AND code = $3",
    )
    .bind(t)
    .bind(id)
    .bind(role)
    .execute(&mut **tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// One token per role of [`ROLES`]: a person with ADMIN alone and one with HR_ADMIN alone (made
/// here), the engineering manager, Eli (an employee of his), and the platform's operator.
pub async fn role_tokens(api: &Api) -> [String; 5] {
    add_person(api, "matrix.admin", "ADMIN").await;
    add_person(api, "matrix.hr", "HR_ADMIN").await;
    super::console::add_platform_operator(&api.db)
        .await
        .unwrap();
    [
        api.login("matrix.admin").await,
        api.login("matrix.hr").await,
        api.login("manager").await,
        api.login("employee").await,
        api.login_in(
            super::console::PLATFORM_SLUG,
            super::console::OPERATOR_EMAIL,
        )
        .await,
    ]
}

fn fill(s: &str, ids: &BTreeMap<&str, Uuid>, role: &str) -> String {
    let mut out = s.replace("{role}", &role.to_lowercase());
    for (k, v) in ids {
        out = out.replace(&format!("{{{k}}}"), &v.to_string());
    }
    out
}

/// Sends every row as every role and returns the answers that differ from the table, and the
/// platform operator's answers that carry any id of the demo company (none may).
pub async fn run(
    api: &Api,
    tokens: &[String; 5],
    ids: &BTreeMap<&str, Uuid>,
    rows: &[Row],
) -> Vec<String> {
    let demo = tenant_id(&DEMO_COMPANY);
    let demo_ids: std::collections::HashSet<Uuid> =
        sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1")
            .bind(demo)
            .fetch_all(&api.db.maintenance)
            .await
            .unwrap()
            .into_iter()
            .chain(ids.values().copied())
            .collect();
    let mut wrong = Vec::new();
    for (what, method, path, body, want) in rows {
        for r in SEND_ORDER {
            let role = ROLES[r];
            let p = fill(path, ids, role);
            let b = body.map(|b| serde_json::from_str(&fill(b, ids, role)).unwrap());
            let resp = api.call(method.clone(), &p, Some(&tokens[r]), b).await;
            if !want[r].admits(resp.status) {
                wrong.push(format!(
                    "{what} ({method} {p}) as {role}: {} (want {:?}) {}",
                    resp.status, want[r], resp.body
                ));
            }
            if role == "SUPER_ADMIN" {
                let carried: Vec<Uuid> = super::sweep::uuids_in(&resp.body.to_string())
                    .into_iter()
                    .filter(|id| demo_ids.contains(id))
                    .collect();
                if !carried.is_empty() {
                    wrong.push(format!(
                        "{what} ({method} {p}) as SUPER_ADMIN carried demo ids {carried:?}"
                    ));
                }
            }
        }
    }
    wrong
}

/// A demo-company seed record's id (`key` as in the demo SQL, e.g. `pip/eli`).
pub fn seeded(key: &str) -> Uuid {
    pms_seed::seed_id(&[DEMO_COMPANY.slug, key])
}
