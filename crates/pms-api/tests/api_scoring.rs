//! The scoring rules in SQL, against hand-computed cases at each threshold boundary
//! (promotion readiness, bench strength, organisational health), the promotion score of a
//! person end to end through the API (with its inputs), and the promotion decision's approval
//! workflow: every allowed transition works, every other one is refused with a clear code and
//! changes nothing, in the API and in the database itself.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use pms_seed::demo_tenants::{DEMO_COMPANY, tenant_id};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;
use uuid::Uuid;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn readiness(api: &Api, overall: &str, perf: &str, skills: &str) -> String {
    sqlx::query_scalar("SELECT pms_promotion_readiness($1, $2, $3)")
        .bind(d(overall))
        .bind(d(perf))
        .bind(d(skills))
        .fetch_one(&api.db.app)
        .await
        .unwrap()
}

async fn overall(api: &Api, v: [&str; 6]) -> Decimal {
    sqlx::query_scalar("SELECT pms_promotion_overall($1, $2, $3, $4, $5, $6)")
        .bind(d(v[0]))
        .bind(d(v[1]))
        .bind(d(v[2]))
        .bind(d(v[3]))
        .bind(d(v[4]))
        .bind(d(v[5]))
        .fetch_one(&api.db.app)
        .await
        .unwrap()
}

async fn health(api: &Api, v: [Option<&str>; 7]) -> (Option<Decimal>, Option<String>) {
    sqlx::query_as(
        "SELECT o, pms_org_health_level(o) FROM (SELECT pms_org_health_overall($1, $2, $3, $4, $5, $6, $7) AS o) x",
    )
    .bind(v[0].map(d))
    .bind(v[1].map(d))
    .bind(v[2].map(d))
    .bind(v[3].map(d))
    .bind(v[4].map(d))
    .bind(v[5].map(d))
    .bind(v[6].map(d))
    .fetch_one(&api.db.app)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_rules_at_every_boundary() -> anyhow::Result<()> {
    let api = Api::start().await?;
    // Readiness: (overall, performance, skills) -> level, on each side of each threshold.
    let cases = [
        ("79.99", "90", "90", "READY_1_YEAR"),
        ("80.00", "90", "90", "READY_NOW"),
        ("90", "74.99", "90", "READY_1_YEAR"),
        ("90", "75.00", "90", "READY_NOW"),
        ("90", "90", "69.99", "READY_1_YEAR"),
        ("90", "90", "70.00", "READY_NOW"),
        ("80.00", "75.00", "70.00", "READY_NOW"),
        ("69.99", "90", "90", "READY_2_YEARS"),
        ("70.00", "90", "90", "READY_1_YEAR"),
        ("75", "64.99", "90", "READY_2_YEARS"),
        ("75", "65.00", "0", "READY_1_YEAR"),
        ("70.00", "65.00", "0", "READY_1_YEAR"),
        ("59.99", "100", "100", "NEEDS_DEVELOPMENT"),
        ("60.00", "0", "0", "READY_2_YEARS"),
        ("0", "0", "0", "NEEDS_DEVELOPMENT"),
        ("100", "100", "100", "READY_NOW"),
    ];
    for (o, p, s, want) in cases {
        assert_eq!(
            readiness(&api, o, p, s).await,
            want,
            "overall {o}, performance {p}, skills {s}"
        );
    }
    // The weights, by hand: 0.30*90 + 0.25*80 + 0.20*70 + 0.15*60 + 0.05*50 + 0.05*40 = 74.50.
    assert_eq!(
        overall(&api, ["90", "80", "70", "60", "50", "40"]).await,
        d("74.50")
    );
    for x in ["79.99", "80.00", "69.99", "70.00", "59.99", "60.00"] {
        assert_eq!(overall(&api, [x, x, x, x, x, x]).await, d(x), "all {x}");
    }
    // Each weight alone.
    for (i, w) in ["30.00", "25.00", "20.00", "15.00", "5.00", "5.00"]
        .into_iter()
        .enumerate()
    {
        let mut v = ["0"; 6];
        v[i] = "100";
        assert_eq!(overall(&api, v).await, d(w), "input {i}");
    }
    // Rounding: 0.95 * 79.99 + 0.05 * 80.09 = 79.995, shown and decided as 80.00.
    let o = overall(&api, ["79.99", "79.99", "79.99", "79.99", "80.09", "79.99"]).await;
    assert_eq!(o, d("80.00"));
    assert_eq!(
        readiness(&api, &o.to_string(), "79.99", "79.99").await,
        "READY_NOW"
    );
    // A missing input counts as 0: 0.30*100 + 0.25*100 + 0.20*100 = 75 without the others.
    let missing: Decimal =
        sqlx::query_scalar("SELECT pms_promotion_overall(100, 100, 100, NULL, NULL, NULL)")
            .fetch_one(&api.db.app)
            .await?;
    assert_eq!(missing, d("75.00"));

    // Bench strength.
    for (now, one, two, want) in [
        (0, 0, 0, "NONE"),
        (0, 0, 1, "WEAK"),
        (0, 1, 1, "WEAK"),
        (0, 2, 0, "ADEQUATE"),
        (1, 0, 0, "ADEQUATE"),
        (1, 1, 0, "ADEQUATE"),
        (1, 1, 1, "STRONG"),
        (1, 0, 2, "STRONG"),
        (3, 0, 0, "STRONG"),
        (0, 5, 5, "ADEQUATE"),
    ] {
        let got: String = sqlx::query_scalar("SELECT pms_bench_strength($1, $2, $3)")
            .bind(now as i64)
            .bind(one as i64)
            .bind(two as i64)
            .fetch_one(&api.db.app)
            .await?;
        assert_eq!(got, want, "{now} ready now, {one} in a year, {two} in two");
    }

    // Organisational health levels on each side of each threshold.
    for (x, want) in [
        ("84.99", "GOOD"),
        ("85.00", "EXCELLENT"),
        ("69.99", "FAIR"),
        ("70.00", "GOOD"),
        ("54.99", "POOR"),
        ("55.00", "FAIR"),
        ("39.99", "CRITICAL"),
        ("40.00", "POOR"),
        ("0", "CRITICAL"),
        ("100", "EXCELLENT"),
    ] {
        let v = Some(x);
        let (o, level) = health(&api, [v, v, v, v, v, v, v]).await;
        assert_eq!(o, Some(d(x)));
        assert_eq!(level.as_deref(), Some(want), "health {x}");
    }
    // The weights, by hand: 0.20*90 + 0.20*80 + 0.15*70 + 0.15*60 + 0.10*50 + 0.10*40 +
    // 0.10*30 = 65.50.
    let (o, level) = health(
        &api,
        [
            Some("90"),
            Some("80"),
            Some("70"),
            Some("60"),
            Some("50"),
            Some("40"),
            Some("30"),
        ],
    )
    .await;
    assert_eq!((o, level.as_deref()), (Some(d("65.50")), Some("FAIR")));
    // Missing components are left out: (0.20*80 + 0.20*60) / 0.40 = 70.00.
    let (o, level) = health(&api, [Some("80"), Some("60"), None, None, None, None, None]).await;
    assert_eq!((o, level.as_deref()), (Some(d("70.00")), Some("GOOD")));
    // Each weight alone is the whole score (the others missing), and together they sum to 1.
    let (o, _) = health(&api, [None, None, None, None, None, None, Some("42")]).await;
    assert_eq!(o, Some(d("42.00")));
    let (o, level) = health(&api, [None; 7]).await;
    assert_eq!((o, level), (None, None));
    let sum: Decimal = sqlx::query_scalar("SELECT sum(weight) FROM pms_org_health_components()")
        .fetch_one(&api.db.app)
        .await?;
    assert_eq!(sum, d("1.00"));
    Ok(())
}

/// Puts exact inputs in place for Raj (as the platform's maintenance role): every input 80
/// except engagement, so that the overall is 0.95 * 80 + 0.05 * engagement.
async fn raj_inputs(api: &Api, engagement: &str) -> anyhow::Result<()> {
    let t = tenant_id(&DEMO_COMPANY);
    let raj = demo_user("raj");
    let mgr = demo_user("manager");
    let m = &api.db.maintenance;
    let cycle: Uuid = sqlx::query_scalar(
        "SELECT id FROM review_cycles WHERE tenant_id = $1 ORDER BY period_start LIMIT 1",
    )
    .bind(t)
    .fetch_one(m)
    .await?;
    sqlx::query(
        "INSERT INTO performance_reviews (tenant_id, cycle_id, reviewee_id, reviewer_id, review_type, status, overall_rating, shared_at)
         VALUES ($1, $2, $3, $4, 'MANAGER', 'SHARED', 4.00, '2026-02-01 10:00Z')
         ON CONFLICT DO NOTHING",
    )
    .bind(t)
    .bind(cycle)
    .bind(raj)
    .bind(mgr)
    .execute(m)
    .await?;
    let model: Uuid = sqlx::query_scalar(
        "SELECT id FROM ml_models WHERE tenant_id = $1 AND model_type = 'PROMOTION_READINESS' LIMIT 1",
    )
    .bind(t)
    .fetch_one(m)
    .await?;
    sqlx::query(
        "INSERT INTO ml_model_predictions (tenant_id, model_id, user_id, prediction_type, score, predicted_at)
         VALUES ($1, $2, $3, 'PROMOTION_READINESS', 0.80, '2026-02-01 00:00Z')",
    )
    .bind(t)
    .bind(model)
    .bind(raj)
    .execute(m)
    .await?;
    let skill: Uuid = sqlx::query_scalar("SELECT id FROM skills WHERE tenant_id = $1 LIMIT 1")
        .bind(t)
        .fetch_one(m)
        .await?;
    sqlx::query(
        "INSERT INTO technical_skill_assessments (tenant_id, user_id, skill_id, method, level, assessed_on)
         VALUES ($1, $2, $3, 'MANAGER', 4, '2026-02-01')",
    )
    .bind(t)
    .bind(raj)
    .bind(skill)
    .execute(m)
    .await?;
    sqlx::query(
        "INSERT INTO leadership_competency_scores (tenant_id, user_id, dimension, score, created_at)
         VALUES ($1, $2, 'coaching', 4.00, '2026-02-01 00:00Z')",
    )
    .bind(t)
    .bind(raj)
    .execute(m)
    .await?;
    // Four years before the day asked: 1461 / 365.25 = 4 years, 4 / 5 * 100 = 80.
    sqlx::query(
        "UPDATE users SET hire_date = DATE '2026-03-01' - 1461 WHERE tenant_id = $1 AND id = $2",
    )
    .bind(t)
    .bind(raj)
    .execute(m)
    .await?;
    sqlx::query("DELETE FROM engagement_scores WHERE tenant_id = $1 AND user_id = $2")
        .bind(t)
        .bind(raj)
        .execute(m)
        .await?;
    sqlx::query(
        "INSERT INTO engagement_scores (tenant_id, user_id, period_start, driver, score) VALUES ($1, $2, '2026-02-01', 'overall', $3)",
    )
    .bind(t)
    .bind(raj)
    .bind(d(engagement))
    .execute(m)
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_persons_score_through_the_api_with_its_inputs() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let raj = demo_user("raj");
    let path = format!("/api/v1/people/{raj}/promotion-score?as_of=2026-03-01");
    raj_inputs(&api, "80").await?;
    let mgr = api.login("manager").await;
    let r = api.get(&path, &mgr).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["overall"], json!(80.0), "{}", r.body);
    assert_eq!(r.body["readiness"], "READY_NOW");
    let inputs = r.body["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 6);
    for i in inputs {
        assert_eq!(i["value"], json!(80.0), "{i}");
        assert!(i["source"].is_string(), "{i}");
    }
    let w: Vec<(String, f64)> = inputs
        .iter()
        .map(|i| {
            (
                i["input"].as_str().unwrap().to_string(),
                i["weight"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        w,
        [
            ("performance", 0.30),
            ("potential", 0.25),
            ("skills", 0.20),
            ("leadership", 0.15),
            ("engagement", 0.05),
            ("tenure", 0.05)
        ]
        .map(|(n, w)| (n.to_string(), w))
    );
    // Engagement 79.80: 0.95 * 80 + 0.05 * 79.80 = 79.99, one step below READY_NOW.
    raj_inputs(&api, "79.80").await?;
    let r = api.get(&path, &mgr).await;
    assert_eq!(
        (r.body["overall"].clone(), r.body["readiness"].clone()),
        (json!(79.99), json!("READY_1_YEAR"))
    );
    // The person sees their own score; HR does; someone of another team, another team's
    // manager and another tenant do not (404).
    let own = api.login("raj").await;
    assert_eq!(api.get(&path, &own).await.body["overall"], json!(79.99));
    let hr = api.login("admin").await;
    assert_eq!(api.get(&path, &hr).await.body["overall"], json!(79.99));
    for t in [
        api.login("lena").await,
        api.login("sales.manager").await,
        api.login_acme("admin").await,
    ] {
        assert_eq!(api.get(&path, &t).await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        api.get(
            &format!("/api/v1/people/{raj}/promotion-score?as_of=nope"),
            &mgr
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    // A recommendation keeps the score and its inputs; the person cannot recommend themself
    // (403) nor see the recommendation (404).
    let r = api
        .call(
            Method::POST,
            "/api/v1/promotion-recommendations",
            Some(&mgr),
            Some(json!({"user_id": raj, "target_title": "Senior Product Designer", "target_level": 5, "as_of": "2026-03-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["readiness"], "READY_1_YEAR");
    assert_eq!(r.body["readiness_score"], json!(79.99));
    assert_eq!(r.body["factors"]["inputs"].as_array().unwrap().len(), 6);
    let rec = r.body["id"].as_str().unwrap().to_string();
    let audited = api
        .count(&format!(
            "SELECT count(*) FROM audit_log WHERE table_name = 'promotion_recommendations' AND row_id = '{rec}'
               AND actor_user_id = '{}' AND operation = 'INSERT'",
            demo_user("manager")
        ))
        .await;
    assert_eq!(audited, 1);
    assert_eq!(
        api.get(&format!("/api/v1/promotion-recommendations/{rec}"), &own)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = api
        .call(
            Method::POST,
            "/api/v1/promotion-recommendations",
            Some(&own),
            Some(json!({"user_id": raj})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    Ok(())
}

/// Proposes Eli's promotion to the level above their current one (or `level` above it).
async fn propose(api: &Api, mgr: &str, above: i64) -> String {
    let current: Option<i16> = sqlx::query_scalar("SELECT level FROM users WHERE id = $1")
        .bind(demo_user("employee"))
        .fetch_one(&api.db.maintenance)
        .await
        .unwrap();
    let level = i64::from(current.unwrap_or(1)) + above;
    let r = api
        .call(
            Method::POST,
            "/api/v1/promotion-decisions",
            Some(mgr),
            Some(json!({"employee_id": demo_user("employee"), "to_level": level, "to_title": "Senior Software Engineer", "effective_date": "2026-09-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["status"], "PROPOSED");
    r.body["id"].as_str().unwrap().to_string()
}

async fn move_to(api: &Api, token: &str, id: &str, status: &str) -> common::Resp {
    api.call(
        Method::POST,
        &format!("/api/v1/promotion-decisions/{id}/transition"),
        Some(token),
        Some(json!({"status": status, "note": "checked"})),
    )
    .await
}

async fn row(api: &Api, id: &str) -> String {
    sqlx::query_scalar("SELECT x::text FROM promotion_decisions x WHERE id = $1::uuid")
        .bind(id)
        .fetch_one(&api.db.maintenance)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_promotion_decision_workflow() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let mgr = api.login("manager").await;
    let hr = api.login("admin").await;
    let ceo = api.login("ceo").await;
    let eli = api.login("employee").await;
    let all = ["PROPOSED", "APPROVED", "REJECTED", "EFFECTIVE"];
    // Eli's profile, cached before the promotion takes effect.
    let profile = format!("/api/v1/people/{}", demo_user("employee"));
    assert_eq!(
        api.get(&profile, &eli).await.body["job_title"],
        "Software Engineer"
    );
    // How to bring a new decision to each status (HR approves what the manager proposed).
    let paths: [(&str, &[&str]); 4] = [
        ("PROPOSED", &[]),
        ("APPROVED", &["APPROVED"]),
        ("REJECTED", &["REJECTED"]),
        ("EFFECTIVE", &["APPROVED", "EFFECTIVE"]),
    ];
    let allowed = [
        ("PROPOSED", "APPROVED"),
        ("PROPOSED", "REJECTED"),
        ("APPROVED", "EFFECTIVE"),
    ];
    let mut refused = 0;
    for (from, steps) in paths {
        for to in all {
            let id = propose(&api, &mgr, 1).await;
            for s in steps {
                let r = move_to(&api, &hr, &id, s).await;
                assert_eq!(r.status, StatusCode::OK, "{from}: {s}: {}", r.body);
            }
            let before = row(&api, &id).await;
            let r = move_to(&api, &hr, &id, to).await;
            if allowed.contains(&(from, to)) {
                assert_eq!(r.status, StatusCode::OK, "{from} -> {to}: {}", r.body);
                assert_eq!(r.body["status"], to);
                if to == "EFFECTIVE" {
                    let (level, title): (Option<i16>, Option<String>) =
                        sqlx::query_as("SELECT level, job_title FROM users WHERE id = $1")
                            .bind(demo_user("employee"))
                            .fetch_one(&api.db.maintenance)
                            .await?;
                    assert_eq!(
                        (level.map(i64::from), title.as_deref()),
                        (
                            r.body["to_level"].as_i64(),
                            Some("Senior Software Engineer")
                        ),
                        "in effect"
                    );
                    let me = api.get(&profile, &eli).await;
                    assert_eq!(
                        me.body["job_title"], "Senior Software Engineer",
                        "{}",
                        me.body
                    );
                }
                if from == "PROPOSED" {
                    assert_eq!(r.body["approved_by"], json!(demo_user("admin")));
                    assert_eq!(r.body["decision_note"], "checked");
                }
            } else {
                assert_eq!(r.status, StatusCode::CONFLICT, "{from} -> {to}: {}", r.body);
                assert_eq!(r.code(), "invalid_transition", "{}", r.body);
                assert!(
                    r.body["error"]["message"].as_str().unwrap().contains(from),
                    "{}",
                    r.body
                );
                assert_eq!(
                    row(&api, &id).await,
                    before,
                    "{from} -> {to} changed nothing"
                );
                refused += 1;
            }
        }
    }
    assert_eq!(refused, 13);

    // Four eyes: the proposer cannot approve; the CEO (above the manager) can.
    let id = propose(&api, &mgr, 1).await;
    let before = row(&api, &id).await;
    let r = move_to(&api, &mgr, &id, "APPROVED").await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "four_eyes"));
    assert_eq!(row(&api, &id).await, before);
    // The person does not see a proposal about them.
    assert_eq!(
        api.get(&format!("/api/v1/promotion-decisions/{id}"), &eli)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = move_to(&api, &ceo, &id, "APPROVED").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["approved_by"], json!(demo_user("ceo")));
    assert_eq!(r.body["next"], json!(["EFFECTIVE"]));
    // Once approved they see it, but may not act on it; only HR makes it effective.
    let r = api
        .get(&format!("/api/v1/promotion-decisions/{id}"), &eli)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let before = row(&api, &id).await;
    assert_eq!(
        move_to(&api, &eli, &id, "EFFECTIVE").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        move_to(&api, &ceo, &id, "EFFECTIVE").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(row(&api, &id).await, before);
    // If-Match: a stale version is 412 and changes nothing.
    let r = api
        .call_with(
            Method::POST,
            &format!("/api/v1/promotion-decisions/{id}/transition"),
            Some(&hr),
            Some(json!({"status": "EFFECTIVE"})),
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
    assert_eq!(row(&api, &id).await, before);
    // Bad input: an unknown status is 422; a promotion to a lower level too.
    assert_eq!(
        move_to(&api, &hr, &id, "DONE").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = api
        .call(
            Method::POST,
            "/api/v1/promotion-decisions",
            Some(&mgr),
            Some(json!({"employee_id": demo_user("employee"), "to_level": 1, "to_title": "x", "effective_date": "2026-09-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // Every transition left an audit entry naming its actor.
    let audited = api
        .count(&format!(
            "SELECT count(*) FROM audit_log WHERE table_name = 'promotion_decisions' AND row_id = '{id}'
               AND operation = 'UPDATE' AND actor_user_id = '{}'",
            demo_user("ceo")
        ))
        .await;
    assert_eq!(audited, 1);

    // The database keeps the workflow whatever the caller: as pms_app, HR, straight in SQL.
    let t = TenantId::from(tenant_id(&DEMO_COMPANY));
    let admin = UserId::from(demo_user("admin"));
    for (sql, words) in [
        (
            "UPDATE promotion_decisions SET status = 'PROPOSED' WHERE id = $1::uuid",
            "cannot move from APPROVED to PROPOSED",
        ),
        (
            "UPDATE promotion_decisions SET status = 'REJECTED' WHERE id = $1::uuid",
            "cannot move from APPROVED to REJECTED",
        ),
    ] {
        let mut tx = TenantTx::begin(&api.db.app, t, Some(admin)).await?;
        let e = sqlx::query(sql)
            .bind(&id)
            .execute(&mut **tx)
            .await
            .unwrap_err();
        assert!(e.to_string().contains(words), "{e}");
    }
    let fresh = propose(&api, &mgr, 2).await;
    let mut tx = TenantTx::begin(&api.db.app, t, Some(UserId::from(demo_user("manager")))).await?;
    let e = sqlx::query("UPDATE promotion_decisions SET status = 'APPROVED' WHERE id = $1::uuid")
        .bind(&fresh)
        .execute(&mut **tx)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("proposer"), "{e}");
    drop(tx);
    let mut tx = TenantTx::begin(&api.db.app, t, Some(admin)).await?;
    let e = sqlx::query(
        "INSERT INTO promotion_decisions (tenant_id, employee_id, to_level, to_title, status, effective_date)
         VALUES ($1, $2, 9, 'x', 'EFFECTIVE', '2026-01-01')",
    )
    .bind(t.as_uuid())
    .bind(demo_user("employee"))
    .execute(&mut **tx)
    .await
    .unwrap_err();
    assert!(e.to_string().contains("starts as PROPOSED"), "{e}");
    let _: Value = json!(null);
    Ok(())
}
