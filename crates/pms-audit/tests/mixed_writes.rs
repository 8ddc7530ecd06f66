//! 10,000 mixed writes across the sensitive tables, each checked against its audit entry
//! (table, operation, row, actor, request, diff), and 500 denied operations, each of which
//! must become a PERMISSION_DENIED security event of the right user.

mod common;

use common::{actor, add_users, chain_ok, make_tenant};
use pms_audit::events::run_recording_denials;
use pms_audit::{AuditError, is_denial};
use pms_core::UserId;
use pms_db::TenantTx;
use pms_test_support::TestDb;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use sqlx::{Executor, PgConnection};
use uuid::Uuid;

const WRITES: usize = 10_000;
const PER_TX: usize = 100;
const DENIALS: usize = 500;

/// What one write must have left in the trail.
struct Expected {
    table: &'static str,
    op: &'static str,
    row: Uuid,
    actor: UserId,
    request: String,
    column: &'static str,
    old: Option<Value>,
    new: Option<Value>,
}

/// Rows this test created, with the current value of the column it edits.
#[derive(Default)]
struct Live {
    rows: Vec<(Uuid, Value)>,
}

impl Live {
    fn pick(&self, rng: &mut StdRng) -> Option<usize> {
        (!self.rows.is_empty()).then(|| rng.random_range(0..self.rows.len()))
    }
}

async fn exec(conn: &mut PgConnection, sql: &'static str, binds: &[Value]) -> anyhow::Result<()> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = match b {
            Value::String(s) => match Uuid::parse_str(s) {
                Ok(u) => q.bind(u),
                Err(_) => q.bind(s.clone()),
            },
            Value::Number(n) => q.bind(n.as_i64().unwrap_or_default()),
            other => q.bind(other.clone()),
        };
    }
    let n = q.execute(conn).await?.rows_affected();
    anyhow::ensure!(n == 1, "{sql} affected {n} rows");
    Ok(())
}

#[tokio::test]
async fn every_write_is_audited_with_actor_and_diff_and_every_denial_is_an_event()
-> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = make_tenant(&db, "mixed-writes").await?;
    let other = make_tenant(&db, "other-tenant").await?;
    let actors = add_users(&db, tenant, "actor", 5).await?;
    // The actors are the tenant's HR administrators: roles, grants and other people's
    // delegations are theirs to write (the visibility policies refuse them to anyone else).
    let ids: Vec<Uuid> = actors.iter().map(|a| a.as_uuid()).collect();
    sqlx::query(
        "WITH r AS (INSERT INTO roles (tenant_id, code, name) VALUES ($1, 'HR_ADMIN', 'HR') RETURNING id)
         INSERT INTO user_roles (tenant_id, user_id, role_id) SELECT $1, u, r.id FROM r, unnest($2::uuid[]) AS u",
    )
    .bind(tenant.as_uuid())
    .bind(&ids)
    .execute(&db.maintenance)
    .await?;
    let baseline: i64 = {
        let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
        let s: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM audit_log")
            .fetch_one(&mut **tx)
            .await?;
        tx.commit().await?;
        s
    };

    let mut rng = StdRng::seed_from_u64(6);
    let (mut users, mut roles, mut policies, mut delegations, mut teams, mut grants) = (
        Live::default(),
        Live::default(),
        Live::default(),
        Live::default(),
        Live::default(),
        Live::default(),
    );
    let mut expected: Vec<Expected> = Vec::with_capacity(WRITES);
    let t = tenant.as_uuid();
    for batch in 0..WRITES / PER_TX {
        let who = actors[rng.random_range(0..actors.len())];
        let request = format!("req-{batch}");
        let mut tx =
            TenantTx::begin_with_request(&db.app, tenant, Some(who), Some(&request)).await?;
        for i in 0..PER_TX {
            let n = batch * PER_TX + i;
            let id = Uuid::now_v7();
            let e = |table, op, row, column, old, new| Expected {
                table,
                op,
                row,
                actor: who,
                request: request.clone(),
                column,
                old,
                new,
            };
            match rng.random_range(0..14) {
                0 | 1 => {
                    let v = json!(format!("u{n}@example.com"));
                    exec(&mut tx, "INSERT INTO users (tenant_id, id, email, first_name, last_name, job_title) VALUES ($1, $2, $3, 'F', 'L', 'Analyst')", &[json!(t), json!(id), v.clone()]).await?;
                    users.rows.push((id, json!("Analyst")));
                    expected.push(e("users", "INSERT", id, "email", None, Some(v)));
                }
                2 if !users.rows.is_empty() => {
                    let k = users.pick(&mut rng).unwrap_or_default();
                    let (row, old) = users.rows[k].clone();
                    let v = json!(format!("Title {n}"));
                    exec(
                        &mut tx,
                        "UPDATE users SET job_title = $2 WHERE id = $1",
                        &[json!(row), v.clone()],
                    )
                    .await?;
                    users.rows[k].1 = v.clone();
                    expected.push(e("users", "UPDATE", row, "job_title", Some(old), Some(v)));
                }
                3 => {
                    let v = json!(format!("Role {n}"));
                    exec(
                        &mut tx,
                        "INSERT INTO roles (tenant_id, id, code, name) VALUES ($1, $2, $3, $4)",
                        &[json!(t), json!(id), json!(format!("R{n}")), v.clone()],
                    )
                    .await?;
                    roles.rows.push((id, v.clone()));
                    expected.push(e("roles", "INSERT", id, "name", None, Some(v)));
                }
                4 if !roles.rows.is_empty() => {
                    let k = roles.pick(&mut rng).unwrap_or_default();
                    let (row, old) = roles.rows[k].clone();
                    let v = json!(format!("Renamed {n}"));
                    exec(
                        &mut tx,
                        "UPDATE roles SET name = $2 WHERE id = $1",
                        &[json!(row), v.clone()],
                    )
                    .await?;
                    roles.rows[k].1 = v.clone();
                    expected.push(e("roles", "UPDATE", row, "name", Some(old), Some(v)));
                }
                5 if !roles.rows.is_empty() => {
                    let role = roles.rows[roles.pick(&mut rng).unwrap_or_default()].0;
                    let user = actors[rng.random_range(0..actors.len())].as_uuid();
                    if grants
                        .rows
                        .iter()
                        .any(|(_, v)| v == &json!(format!("{user}:{role}")))
                    {
                        exec(
                            &mut tx,
                            "UPDATE users SET display_name = $2 WHERE id = $1",
                            &[json!(user), json!(format!("D{n}"))],
                        )
                        .await?;
                        expected.push(e(
                            "users",
                            "UPDATE",
                            user,
                            "display_name",
                            None,
                            Some(json!(format!("D{n}"))),
                        ));
                    } else {
                        exec(&mut tx, "INSERT INTO user_roles (tenant_id, id, user_id, role_id, granted_by) VALUES ($1, $2, $3, $4, $5)", &[json!(t), json!(id), json!(user), json!(role), json!(who.as_uuid())]).await?;
                        grants.rows.push((id, json!(format!("{user}:{role}"))));
                        expected.push(e(
                            "user_roles",
                            "INSERT",
                            id,
                            "role_id",
                            None,
                            Some(json!(role)),
                        ));
                    }
                }
                6 if !grants.rows.is_empty() => {
                    let (row, _) = grants
                        .rows
                        .swap_remove(grants.pick(&mut rng).unwrap_or_default());
                    exec(
                        &mut tx,
                        "DELETE FROM user_roles WHERE id = $1",
                        &[json!(row)],
                    )
                    .await?;
                    expected.push(e("user_roles", "DELETE", row, "id", Some(json!(row)), None));
                }
                7 => {
                    exec(&mut tx, "INSERT INTO access_policies (tenant_id, id, name, resource, action, priority) VALUES ($1, $2, $3, 'reviews', 'READ', 100)", &[json!(t), json!(id), json!(format!("p{n}"))]).await?;
                    policies.rows.push((id, json!(100)));
                    expected.push(e(
                        "access_policies",
                        "INSERT",
                        id,
                        "priority",
                        None,
                        Some(json!(100)),
                    ));
                }
                8 if !policies.rows.is_empty() => {
                    let k = policies.pick(&mut rng).unwrap_or_default();
                    let (row, old) = policies.rows[k].clone();
                    let v = json!(n as i64);
                    exec(
                        &mut tx,
                        "UPDATE access_policies SET priority = $2::int WHERE id = $1",
                        &[json!(row), v.clone()],
                    )
                    .await?;
                    policies.rows[k].1 = v.clone();
                    expected.push(e(
                        "access_policies",
                        "UPDATE",
                        row,
                        "priority",
                        Some(old),
                        Some(v),
                    ));
                }
                9 if !policies.rows.is_empty() => {
                    let (row, old) = policies
                        .rows
                        .swap_remove(policies.pick(&mut rng).unwrap_or_default());
                    exec(
                        &mut tx,
                        "DELETE FROM access_policies WHERE id = $1",
                        &[json!(row)],
                    )
                    .await?;
                    expected.push(e(
                        "access_policies",
                        "DELETE",
                        row,
                        "priority",
                        Some(old),
                        None,
                    ));
                }
                10 => {
                    let v = json!(format!("holiday {n}"));
                    exec(&mut tx, "INSERT INTO delegations (tenant_id, id, delegator_id, delegate_id, scope, reason, ends_at) VALUES ($1, $2, $3, $4, 'REVIEWS', $5, now() + interval '7 days')", &[json!(t), json!(id), json!(actors[0].as_uuid()), json!(actors[1].as_uuid()), v.clone()]).await?;
                    delegations.rows.push((id, v.clone()));
                    expected.push(e("delegations", "INSERT", id, "reason", None, Some(v)));
                }
                11 if !delegations.rows.is_empty() => {
                    let k = delegations.pick(&mut rng).unwrap_or_default();
                    let (row, old) = delegations.rows[k].clone();
                    let v = json!(format!("changed {n}"));
                    exec(
                        &mut tx,
                        "UPDATE delegations SET reason = $2 WHERE id = $1",
                        &[json!(row), v.clone()],
                    )
                    .await?;
                    delegations.rows[k].1 = v.clone();
                    expected.push(e(
                        "delegations",
                        "UPDATE",
                        row,
                        "reason",
                        Some(old),
                        Some(v),
                    ));
                }
                12 if !delegations.rows.is_empty() => {
                    let (row, old) = delegations
                        .rows
                        .swap_remove(delegations.pick(&mut rng).unwrap_or_default());
                    exec(
                        &mut tx,
                        "DELETE FROM delegations WHERE id = $1",
                        &[json!(row)],
                    )
                    .await?;
                    expected.push(e("delegations", "DELETE", row, "reason", Some(old), None));
                }
                _ => {
                    if let Some(k) = teams.pick(&mut rng).filter(|_| rng.random_bool(0.5)) {
                        let (row, old) = teams.rows.swap_remove(k);
                        exec(&mut tx, "DELETE FROM teams WHERE id = $1", &[json!(row)]).await?;
                        expected.push(e("teams", "DELETE", row, "name", Some(old), None));
                    } else {
                        let v = json!(format!("Team {n}"));
                        exec(
                            &mut tx,
                            "INSERT INTO teams (tenant_id, id, code, name) VALUES ($1, $2, $3, $4)",
                            &[json!(t), json!(id), json!(format!("T{n}")), v.clone()],
                        )
                        .await?;
                        teams.rows.push((id, v.clone()));
                        expected.push(e("teams", "INSERT", id, "name", None, Some(v)));
                    }
                }
            }
        }
        tx.commit().await?;
    }
    assert_eq!(expected.len(), WRITES);

    // Every write, in order, has its entry.
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    type Entry = (
        i64,
        String,
        String,
        Option<Uuid>,
        Option<Uuid>,
        Option<String>,
        Value,
    );
    let rows: Vec<Entry> = sqlx::query_as(
        "SELECT seq, table_name, operation, row_id, actor_user_id, request_id, changes FROM audit_log WHERE seq > $1 ORDER BY seq",
    )
    .bind(baseline)
    .fetch_all(&mut **tx)
    .await?;
    tx.commit().await?;
    assert_eq!(rows.len(), WRITES, "one audit entry per write");
    for (i, (exp, (seq, table, op, row, who, request, changes))) in
        expected.iter().zip(&rows).enumerate()
    {
        let ctx = format!("write {i} (seq {seq})");
        assert_eq!(
            (table.as_str(), op.as_str(), *row),
            (exp.table, exp.op, Some(exp.row)),
            "{ctx}"
        );
        assert_eq!(*who, Some(exp.actor.as_uuid()), "{ctx}: actor");
        assert_eq!(
            request.as_deref(),
            Some(exp.request.as_str()),
            "{ctx}: request id"
        );
        let diff = &changes[exp.column];
        if let Some(old) = &exp.old {
            assert_eq!(&diff["old"], old, "{ctx}: old {}", exp.column);
        }
        if let Some(new) = &exp.new {
            assert_eq!(&diff["new"], new, "{ctx}: new {}", exp.column);
        }
        if exp.op == "UPDATE" && exp.old.is_some() {
            let cols: Vec<&String> = changes
                .as_object()
                .map(|o| o.keys().collect())
                .unwrap_or_default();
            assert!(
                cols.iter()
                    .all(|c| c.as_str() == exp.column || c.as_str() == "updated_at"),
                "{ctx}: only the changed column: {cols:?}"
            );
        }
    }

    // 500 denied operations, each a security event of its user.
    let kinds: [(&str, &str); 5] = [
        (
            "write into another tenant",
            "INSERT INTO departments (tenant_id, code, name) VALUES ('OTHER', 'X', 'X')",
        ),
        ("rewrite audit", "UPDATE audit_log SET changes = '{}'"),
        ("erase events", "DELETE FROM security_events"),
        (
            "disable audit",
            "ALTER TABLE users DISABLE TRIGGER audit_row_change",
        ),
        ("skip triggers", "SET session_replication_role = replica"),
    ];
    for i in 0..DENIALS {
        let who = actors[i % actors.len()];
        let (action, sql) = kinds[i % kinds.len()];
        let sql = sql.replace("OTHER", &other.to_string());
        let a = actor(tenant, who, &format!("deny-{i}"));
        let res = run_recording_denials(
            &db.app,
            &a,
            action,
            Some("Test"),
            async |tx: &mut TenantTx| {
                tx.execute(sqlx::AssertSqlSafe(sql.as_str()))
                    .await
                    .map(|_| ())
            },
        )
        .await;
        assert!(
            matches!(res, Err(AuditError::Denied(_))),
            "{action}: {res:?}"
        );
    }
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    let denials: Vec<(Option<Uuid>, Value, Option<String>)> = sqlx::query_as(
        "SELECT user_id, details, request_id FROM security_events WHERE event_type = 'PERMISSION_DENIED' ORDER BY seq",
    )
    .fetch_all(&mut **tx)
    .await?;
    tx.commit().await?;
    assert_eq!(denials.len(), DENIALS);
    for (i, (user, details, request)) in denials.iter().enumerate() {
        assert_eq!(
            *user,
            Some(actors[i % actors.len()].as_uuid()),
            "denial {i}"
        );
        assert_eq!(
            details["action"],
            json!(kinds[i % kinds.len()].0),
            "denial {i}"
        );
        assert_eq!(request.as_deref(), Some(format!("deny-{i}").as_str()));
    }
    // None of the denied operations changed anything; the chains still verify.
    let status = chain_ok(&db, tenant).await?;
    assert!(status.iter().all(|s| s.ok), "{status:?}");
    assert!(is_denial(
        &db.app
            .execute("UPDATE audit_log SET changes = '{}'")
            .await
            .unwrap_err()
    ));
    Ok(())
}
