//! Administration over the API on the demo company: anyone but ADMIN/HR_ADMIN gets 403 on
//! every `/admin` endpoint and changes nothing; disabling ends the person's sessions at once;
//! erasure needs its confirmation step (and stops at a legal hold); every admin write leaves
//! an audit entry naming the acting person; the reporting chain follows a new manager.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::api_c::TestEraser;
use common::{Api, demo_user};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// Every admin endpoint, with a plausible body.
fn endpoints() -> Vec<(Method, String, Option<Value>)> {
    let p = demo_user("omar");
    let d = Uuid::new_v4();
    vec![
        (
            Method::POST,
            "/api/v1/admin/users".into(),
            Some(
                json!({"email": "new@demo.pms-platform.local", "first_name": "N", "last_name": "P"}),
            ),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{p}/disable"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{p}/enable"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/admin/users/{p}/manager"),
            Some(json!({"manager_id": demo_user("manager")})),
        ),
        (
            Method::PUT,
            format!("/api/v1/admin/users/{p}/department"),
            Some(json!({"department_id": null})),
        ),
        (Method::GET, "/api/v1/admin/roles".into(), None),
        (Method::GET, format!("/api/v1/admin/users/{p}/roles"), None),
        (
            Method::POST,
            format!("/api/v1/admin/users/{p}/roles"),
            Some(json!({"role": "MANAGER"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/admin/users/{p}/roles/EMPLOYEE"),
            None,
        ),
        (
            Method::POST,
            "/api/v1/admin/departments".into(),
            Some(json!({"code": "OPS", "name": "Operations"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/admin/departments/{d}"),
            Some(json!({"name": "X"})),
        ),
        (
            Method::POST,
            "/api/v1/admin/teams".into(),
            Some(json!({"code": "OPS", "name": "Operations"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/admin/teams/{d}"),
            Some(json!({"name": "X"})),
        ),
        (
            Method::GET,
            "/api/v1/admin/retention/overrides".into(),
            None,
        ),
        (
            Method::PUT,
            "/api/v1/admin/retention/overrides/Feedback".into(),
            Some(
                json!({"hot_days": 90, "warm_days": 365, "cold_days": 730, "archive_days": 1095, "reason": "Works council"}),
            ),
        ),
        (
            Method::DELETE,
            "/api/v1/admin/retention/overrides/Feedback".into(),
            None,
        ),
        (Method::GET, "/api/v1/admin/legal-holds".into(), None),
        (
            Method::POST,
            "/api/v1/admin/legal-holds".into(),
            Some(json!({"scope": "PERSON", "person_id": p, "reason": "Litigation"})),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/legal-holds/{d}/release"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{p}/erasure-request"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{p}/erasure"),
            Some(json!({"confirmation": "0"})),
        ),
        (
            Method::GET,
            format!("/api/v1/admin/audit/entities/User/{p}"),
            None,
        ),
        (Method::GET, format!("/api/v1/admin/audit/people/{p}"), None),
        (Method::GET, "/api/v1/admin/security-events".into(), None),
        (
            Method::GET,
            "/api/v1/admin/suspicious-activity".into(),
            None,
        ),
    ]
}

/// What the admin endpoints could change, as text (maintenance role).
async fn admin_state(api: &Api) -> String {
    api.text(
        "SELECT concat_ws('|',
            (SELECT string_agg(u::text, ',' ORDER BY id) FROM users u),
            (SELECT string_agg(r::text, ',' ORDER BY id) FROM user_roles r),
            (SELECT string_agg(d::text, ',' ORDER BY id) FROM departments d),
            (SELECT string_agg(t::text, ',' ORDER BY id) FROM teams t),
            (SELECT string_agg(h::text, ',' ORDER BY id) FROM legal_holds h),
            (SELECT string_agg(o::text, ',' ORDER BY id) FROM retention_policy_overrides o))",
    )
    .await
}

#[tokio::test]
async fn only_administrators_reach_administration() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let mut tokens = Vec::new();
    for who in ["manager", "employee", "ceo"] {
        tokens.push((who, api.login(who).await));
    }
    let before = admin_state(&api).await;
    let mut n = 0;
    for (who, t) in &tokens {
        for (m, path, body) in endpoints() {
            let r = api.call(m.clone(), &path, Some(t), body).await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{who} {m} {path}: {}",
                r.body
            );
            assert_eq!(r.code(), "forbidden", "{who} {m} {path}: {}", r.body);
            n += 1;
        }
    }
    assert_eq!(n, 75);
    // Without a session: 401.
    for (m, path, body) in endpoints() {
        let r = api.call(m.clone(), &path, None, body).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{m} {path}");
    }
    assert_eq!(admin_state(&api).await, before);
    api.finish().await;
    Ok(())
}

#[tokio::test]
async fn disabling_ends_the_sessions_at_once_and_enabling_lets_the_person_back()
-> anyhow::Result<()> {
    let api = Api::start().await?;
    let admin = api.login("admin").await;
    let eli = api.login("employee").await;
    let eli2 = api.login("employee").await;
    assert_eq!(api.get("/api/v1/me", &eli).await.status, StatusCode::OK);
    let id = demo_user("employee");
    let r = api
        .post(
            &format!("/api/v1/admin/users/{id}/disable"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (StatusCode::OK, Some("DISABLED")),
        "{}",
        r.body
    );
    for t in [&eli, &eli2] {
        assert_eq!(
            api.get("/api/v1/me", t).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM sessions WHERE user_id = '{id}' AND revoked_at IS NULL"
        ))
        .await,
        0
    );
    let r = api
        .call(Method::POST, "/api/v1/auth/login", None,
              Some(json!({"tenant": "demo-company", "email": "employee@demo.pms-platform.local", "password": "demo123"})))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    // Twice: 409, nothing changes; one's own account: 409.
    let r = api
        .post(
            &format!("/api/v1/admin/users/{id}/disable"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "invalid_transition")
    );
    let me = demo_user("admin");
    let r = api
        .post(
            &format!("/api/v1/admin/users/{me}/disable"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "cannot_change_self")
    );
    let r = api
        .post(
            &format!("/api/v1/admin/users/{id}/enable"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (StatusCode::OK, Some("ACTIVE")),
        "{}",
        r.body
    );
    assert_eq!(
        api.get("/api/v1/me", &api.login("employee").await)
            .await
            .status,
        StatusCode::OK
    );
    // Both moves are in the audit trail with the acting person.
    assert!(api.audited("users", id, me).await >= 2);
    api.finish().await;
    Ok(())
}

#[tokio::test]
async fn erasure_needs_its_confirmation_step_and_stops_at_a_legal_hold() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let admin = api.login("admin").await;
    let omar = demo_user("omar");
    let me = demo_user("admin");
    let omar_token = api.login("omar").await;
    // Without an eraser configured: 503 (nothing erased).
    let c = api
        .post(
            &format!("/api/v1/admin/users/{omar}/erasure-request"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    assert_eq!(
        (c.body["email"].as_str(), c.body["legal_hold"].as_bool()),
        (Some("omar@demo.pms-platform.local"), Some(false))
    );
    let code = c.body["confirmation"].as_str().unwrap().to_string();
    let before = api.row_text("users", omar).await;
    let r = api
        .post(
            &format!("/api/v1/admin/users/{omar}/erasure"),
            &admin,
            json!({"confirmation": code}),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert_eq!(api.row_text("users", omar).await, before);
    TestEraser::install(&api);
    // A wrong code, or one from another session: 422, nothing changes.
    let r = api
        .post(
            &format!("/api/v1/admin/users/{omar}/erasure"),
            &admin,
            json!({"confirmation": "0123"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let admin2 = api.login("admin").await;
    let r = api
        .post(
            &format!("/api/v1/admin/users/{omar}/erasure"),
            &admin2,
            json!({"confirmation": code}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(api.row_text("users", omar).await, before);
    // A legal hold stops it.
    let h = api
        .post(
            "/api/v1/admin/legal-holds",
            &admin,
            json!({"scope": "PERSON", "person_id": omar, "reason": "Pending litigation"}),
        )
        .await;
    assert_eq!(h.status, StatusCode::CREATED, "{}", h.body);
    let c = api
        .post(
            &format!("/api/v1/admin/users/{omar}/erasure-request"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(c.body["legal_hold"], true);
    let r = api
        .post(
            &format!("/api/v1/admin/users/{omar}/erasure"),
            &admin,
            json!({"confirmation": code}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "legal_hold"),
        "{}",
        r.body
    );
    assert_eq!(api.row_text("users", omar).await, before);
    let hold = h.id();
    let r = api
        .post(
            &format!("/api/v1/admin/legal-holds/{hold}/release"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = api
        .post(
            &format!("/api/v1/admin/legal-holds/{hold}/release"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "record_closed")
    );
    // One's own account: 409.
    let r = api
        .post(
            &format!("/api/v1/admin/users/{me}/erasure-request"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "cannot_change_self")
    );
    // The right code: erased in every tier; the person's sessions are gone.
    let r = api
        .post(
            &format!("/api/v1/admin/users/{omar}/erasure"),
            &admin,
            json!({"confirmation": code}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["report"]["pseudonym_id"].is_string(), "{}", r.body);
    assert_eq!(
        api.get("/api/v1/me", &omar_token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        api.count("SELECT count(*) FROM users WHERE email = 'omar@demo.pms-platform.local' OR last_name = 'Haddad'").await,
        0
    );
    // The closing of the account before the erasure is audited with the acting person, and
    // so are the hold's placing and release.
    assert!(
        api.count(&format!(
            "SELECT count(*) FROM audit_log WHERE table_name = 'users' AND actor_user_id = '{me}'"
        ))
        .await
            >= 1
    );
    assert!(api.audited("legal_holds", hold, me).await >= 2);
    api.finish().await;
    Ok(())
}

#[tokio::test]
async fn every_admin_write_is_audited_with_the_acting_person() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let admin = api.login("admin").await;
    let me = demo_user("admin");
    // Invite: an INVITED account with its role; a taken email is a 409, a bad one a 422.
    let r = api
        .post("/api/v1/admin/users", &admin,
              json!({"email": "Nina@Demo.pms-platform.local", "first_name": "Nina", "last_name": "Ode", "manager_id": demo_user("manager"), "roles": ["EMPLOYEE"]}))
        .await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (StatusCode::CREATED, Some("INVITED")),
        "{}",
        r.body
    );
    let nina = r.id();
    assert!(api.audited("users", nina, me).await >= 1);
    let r = api
        .post(
            "/api/v1/admin/users",
            &admin,
            json!({"email": "nina@demo.pms-platform.local", "first_name": "N", "last_name": "O"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "already_exists"),
        "{}",
        r.body
    );
    let r = api
        .post(
            "/api/v1/admin/users",
            &admin,
            json!({"email": "not an email", "first_name": "N", "last_name": "O"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Roles: grant (twice: 409), revoke; audited.
    let r = api
        .post(
            &format!("/api/v1/admin/users/{nina}/roles"),
            &admin,
            json!({"role": "MANAGER"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = api
        .post(
            &format!("/api/v1/admin/users/{nina}/roles"),
            &admin,
            json!({"role": "MANAGER"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "already_granted")
    );
    let r = api
        .post(
            &format!("/api/v1/admin/users/{nina}/roles"),
            &admin,
            json!({"role": "SUPER_ADMIN"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api
        .call(
            Method::DELETE,
            &format!("/api/v1/admin/users/{nina}/roles/MANAGER"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert!(api.count(&format!("SELECT count(*) FROM audit_log WHERE table_name = 'user_roles' AND actor_user_id = '{me}'")).await >= 3);
    // A role of the employee applies from their next request: the manager role shows on /me.
    let eli = demo_user("employee");
    let t = api.login("employee").await;
    api.post(
        &format!("/api/v1/admin/users/{eli}/roles"),
        &admin,
        json!({"role": "MANAGER"}),
    )
    .await;
    let m = api.get("/api/v1/me", &t).await;
    assert!(m.body.to_string().contains("MANAGER"), "{}", m.body);
    // Change manager: the closure follows; a loop is refused.
    let r = api
        .call(
            Method::PUT,
            &format!("/api/v1/admin/users/{nina}/manager"),
            Some(&admin),
            Some(json!({"manager_id": demo_user("sales.manager")})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(api.count(&format!("SELECT count(*) FROM reporting_chain WHERE ancestor_id = '{}' AND descendant_id = '{nina}'", demo_user("sales.manager"))).await, 1);
    assert_eq!(api.count(&format!("SELECT count(*) FROM reporting_chain WHERE ancestor_id = '{}' AND descendant_id = '{nina}'", demo_user("manager"))).await, 0);
    let ceo = demo_user("ceo");
    let r = api
        .call(
            Method::PUT,
            &format!("/api/v1/admin/users/{ceo}/manager"),
            Some(&admin),
            Some(json!({"manager_id": nina})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "reporting_loop"),
        "{}",
        r.body
    );
    // Departments and teams.
    let d = api
        .post(
            "/api/v1/admin/departments",
            &admin,
            json!({"code": "OPS", "name": "Operations"}),
        )
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    let dept = d.id();
    let r = api
        .patch(
            &format!("/api/v1/admin/departments/{dept}"),
            &admin,
            json!({"name": "Operations & Support"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = api
        .post(
            "/api/v1/admin/departments",
            &admin,
            json!({"code": "OPS", "name": "Again"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = api
        .call(
            Method::PUT,
            &format!("/api/v1/admin/users/{nina}/department"),
            Some(&admin),
            Some(json!({"department_id": dept})),
        )
        .await;
    assert_eq!(r.body["department_id"], dept.to_string(), "{}", r.body);
    let tm = api.post("/api/v1/admin/teams", &admin, json!({"code": "SRE", "name": "Site reliability", "department_id": dept, "lead_id": nina})).await;
    assert_eq!(tm.status, StatusCode::CREATED, "{}", tm.body);
    let team = tm.id();
    let r = api
        .patch(
            &format!("/api/v1/admin/teams/{team}"),
            &admin,
            json!({"team_type": "PROJECT"}),
        )
        .await;
    assert_eq!(r.body["team_type"], "PROJECT", "{}", r.body);
    assert!(api.audited("departments", dept, me).await >= 2);
    assert!(api.audited("teams", team, me).await >= 2);
    assert!(api.audited("users", nina, me).await >= 3);
    // Retention overrides: within bounds (else 422), audited; delete.
    let put = |days: i32| json!({"hot_days": 90, "warm_days": 365, "cold_days": 730, "archive_days": days, "reason": "Works council agreement"});
    let r = api
        .call(
            Method::PUT,
            "/api/v1/admin/retention/overrides/Feedback",
            Some(&admin),
            Some(put(1095)),
        )
        .await;
    assert_eq!(
        (r.status, r.body["archive_days"].as_i64()),
        (StatusCode::OK, Some(1095)),
        "{}",
        r.body
    );
    let r = api
        .call(
            Method::PUT,
            "/api/v1/admin/retention/overrides/Feedback",
            Some(&admin),
            Some(put(100)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = api
        .call(
            Method::PUT,
            "/api/v1/admin/retention/overrides/NoSuchType",
            Some(&admin),
            Some(put(1095)),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let ov: Uuid = api
        .text("SELECT id::text FROM retention_policy_overrides WHERE entity_type = 'Feedback'")
        .await
        .parse()?;
    assert!(api.audited("retention_policy_overrides", ov, me).await >= 1);
    let r = api
        .call(
            Method::DELETE,
            "/api/v1/admin/retention/overrides/Feedback",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    // The audit reads.
    let h = api
        .get(&format!("/api/v1/admin/audit/people/{me}?days=1"), &admin)
        .await;
    assert_eq!(h.status, StatusCode::OK, "{}", h.body);
    assert!(
        h.body["actions"].as_array().unwrap().len() >= 10,
        "{}",
        h.body
    );
    let h = api
        .get(&format!("/api/v1/admin/audit/entities/User/{nina}"), &admin)
        .await;
    assert!(
        h.body
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor_user_id"] == me.to_string()),
        "{}",
        h.body
    );
    let h = api
        .get(
            "/api/v1/admin/audit/entities/NoSuchThing/00000000-0000-0000-0000-000000000000",
            &admin,
        )
        .await;
    assert_eq!(h.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", h.body);
    let s = api
        .get("/api/v1/admin/security-events?days=1", &admin)
        .await;
    assert!(
        s.body
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event_type"] == "LOGIN_SUCCESS"),
        "{}",
        s.body
    );
    assert_eq!(
        api.get("/api/v1/admin/suspicious-activity?hours=0", &admin)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        api.get("/api/v1/admin/suspicious-activity", &admin)
            .await
            .status,
        StatusCode::OK
    );
    api.finish().await;
    Ok(())
}
