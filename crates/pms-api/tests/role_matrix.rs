//! What each role and scope gets from each endpoint, on the demo tenant, against an
//! expectation table written here. Reviews follow the visibility policies (the person, their
//! management chain, the reviewer, HR); HR-only actions answer 403 to others who can see the
//! record, and 404 to those who cannot.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The demo company's reviews by a short name: reviewee-reviewer-cycle.
async fn reviews(api: &Api) -> BTreeMap<String, Uuid> {
    let rows: Vec<(Uuid, Uuid, Option<Uuid>, String)> = sqlx::query_as(
        "SELECT r.id, r.reviewee_id, r.reviewer_id, c.name FROM performance_reviews r
           JOIN review_cycles c ON c.tenant_id = r.tenant_id AND c.id = r.cycle_id WHERE r.tenant_id = $1",
    )
    .bind(pms_seed::demo_tenants::tenant_id(&pms_seed::demo_tenants::DEMO_COMPANY))
    .fetch_all(&api.db.maintenance)
    .await
    .unwrap();
    let name = |id: Uuid| {
        ["employee", "jane", "manager", "raj", "lena", "admin", "ceo"]
            .into_iter()
            .find(|l| demo_user(l) == id)
            .unwrap_or("?")
    };
    rows.into_iter()
        .map(|(id, ee, er, cycle)| {
            let year = if cycle.contains("2025") {
                "2025"
            } else {
                "2026"
            };
            (
                format!("{}-{}-{year}", name(ee), er.map(name).unwrap_or("none")),
                id,
            )
        })
        .collect()
}

const ALL: &[&str] = &[
    "jane-manager-2025",
    "employee-manager-2025",
    "jane-jane-2026",
    "jane-manager-2026",
    "employee-jane-2026",
];

#[tokio::test]
async fn each_role_sees_and_may_do_what_the_table_says() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let ids = reviews(&api).await;
    assert_eq!(
        ids.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        ALL.iter().copied().collect(),
        "the demo's reviews"
    );
    let people = [
        "employee",
        "jane",
        "raj",
        "manager",
        "sales.manager",
        "lena",
        "admin",
        "ceo",
    ];
    let mut tokens = BTreeMap::new();
    for p in people {
        tokens.insert(p, api.login(p).await);
    }

    // Who sees which reviews (GET /reviews, and each GET /reviews/{id} agrees).
    let sees: &[(&str, &[&str])] = &[
        // their shared manager review; not the peer review about them, not started
        ("employee", &["employee-manager-2025"]),
        // the shared one about them, their self review, the peer review they write
        (
            "jane",
            &["jane-manager-2025", "jane-jane-2026", "employee-jane-2026"],
        ),
        ("raj", &[]),
        // the chain of jane and eli, and the reviewer of three
        ("manager", ALL),
        ("sales.manager", &[]),
        ("lena", &[]),
        ("admin", ALL),
        ("ceo", ALL),
    ];
    for (who, expected) in sees {
        let t = &tokens[who];
        let r = api.get("/api/v1/reviews?limit=200", t).await;
        assert_eq!(r.status, StatusCode::OK);
        let got: BTreeSet<Uuid> = r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().parse().unwrap())
            .collect();
        let want: BTreeSet<Uuid> = expected.iter().map(|n| ids[*n]).collect();
        assert_eq!(got, want, "GET /reviews as {who}");
        for (name, id) in &ids {
            let r = api.get(&format!("/api/v1/reviews/{id}"), t).await;
            let want = if expected.contains(&name.as_str()) {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(r.status, want, "GET /reviews/{name} as {who}");
        }
    }

    // A manager's team list: the reviews of everyone below them.
    for (who, n) in [
        ("manager", 5),
        ("ceo", 5),
        ("employee", 0),
        ("sales.manager", 0),
        ("admin", 0),
    ] {
        let r = api.get("/api/v1/team/reviews", &tokens[who]).await;
        assert_eq!(
            r.body["items"].as_array().unwrap().len(),
            n,
            "GET /team/reviews as {who}"
        );
    }

    // Writing a review: its reviewer only; HR sees it but does not write it; others do not see it.
    let in_progress = ids["jane-manager-2026"];
    for (who, want) in [
        ("jane", StatusCode::NOT_FOUND),
        ("employee", StatusCode::NOT_FOUND),
        ("sales.manager", StatusCode::NOT_FOUND),
        ("admin", StatusCode::FORBIDDEN),
        ("ceo", StatusCode::FORBIDDEN),
        ("manager", StatusCode::OK),
    ] {
        let r = api
            .call(
                Method::PATCH,
                &format!("/api/v1/reviews/{in_progress}"),
                Some(&tokens[who]),
                Some(json!({"summary": format!("by {who}")})),
            )
            .await;
        assert_eq!(r.status, want, "PATCH review as {who}: {}", r.body);
    }
    let summary: String =
        sqlx::query_scalar("SELECT summary FROM performance_reviews WHERE id = $1")
            .bind(in_progress)
            .fetch_one(&api.db.maintenance)
            .await?;
    assert_eq!(summary, "by manager");

    // Acknowledging a shared review: its reviewee only.
    let shared = ids["employee-manager-2025"];
    for (who, want) in [
        ("jane", StatusCode::NOT_FOUND),
        ("manager", StatusCode::FORBIDDEN),
        ("employee", StatusCode::OK),
    ] {
        let r = api
            .call(
                Method::POST,
                &format!("/api/v1/reviews/{shared}/acknowledge"),
                Some(&tokens[who]),
                None,
            )
            .await;
        assert_eq!(r.status, want, "acknowledge as {who}: {}", r.body);
    }

    // HR-only actions: 403 for the others (the records are visible to them), 2xx for HR.
    let jane = demo_user("jane");
    let cycle = json!({"name": "Q4", "period_start": "2026-10-01", "period_end": "2026-12-31"});
    for who in ["employee", "manager", "ceo"] {
        let t = &tokens[who];
        assert_eq!(
            api.call(
                Method::POST,
                "/api/v1/review-cycles",
                Some(t),
                Some(cycle.clone())
            )
            .await
            .status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            api.call(
                Method::PATCH,
                &format!("/api/v1/people/{jane}"),
                Some(t),
                Some(json!({"job_title": "x"}))
            )
            .await
            .status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    assert_eq!(
        api.call(
            Method::POST,
            "/api/v1/review-cycles",
            Some(&tokens["admin"]),
            Some(cycle)
        )
        .await
        .status,
        StatusCode::CREATED
    );

    // Goals: I create mine; a manager creates one for a report; not for a peer or a stranger.
    let g = |owner: &str| json!({"title": "G", "period_start": "2026-01-01", "period_end": "2026-12-31", "owner_id": demo_user(owner)});
    for (who, owner, want) in [
        ("employee", "employee", StatusCode::CREATED),
        ("manager", "employee", StatusCode::CREATED),
        ("ceo", "employee", StatusCode::CREATED),
        ("admin", "lena", StatusCode::CREATED),
        ("jane", "employee", StatusCode::FORBIDDEN),
        ("sales.manager", "employee", StatusCode::FORBIDDEN),
    ] {
        let r = api
            .call(
                Method::POST,
                "/api/v1/goals",
                Some(&tokens[who]),
                Some(g(owner)),
            )
            .await;
        assert_eq!(
            r.status, want,
            "{who} creates a goal for {owner}: {}",
            r.body
        );
    }

    // PRIVATE goals: the owner, their chain and HR.
    let r = api
        .call(Method::POST, "/api/v1/goals", Some(&tokens["employee"]), Some(json!({"title": "Private", "visibility": "PRIVATE", "period_start": "2026-01-01", "period_end": "2026-12-31"})))
        .await;
    let private = r.body["id"].as_str().unwrap().to_string();
    for (who, want) in [
        ("employee", StatusCode::OK),
        ("manager", StatusCode::OK),
        ("ceo", StatusCode::OK),
        ("admin", StatusCode::OK),
        ("jane", StatusCode::NOT_FOUND),
        ("sales.manager", StatusCode::NOT_FOUND),
    ] {
        assert_eq!(
            api.get(&format!("/api/v1/goals/{private}"), &tokens[who])
                .await
                .status,
            want,
            "private goal as {who}"
        );
    }
    Ok(())
}

/// A review action: its path segment, the review, its body, the one whose action it is, and
/// those who see the review but may not.
type Action<'a> = (
    &'a str,
    &'a str,
    Option<serde_json::Value>,
    &'a [&'a str],
    &'a [&'a str],
);

/// The review workflow's actions, the feedback lists, the organisation reads and the session
/// list, per role: 404 where the caller cannot see the record, 403 where they see it but the
/// action is not theirs, and for the one whose action it is an answer decided by the record's
/// state (2xx or 409), never 403/404.
#[tokio::test]
async fn actions_feedback_org_and_sessions_follow_the_roles() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let ids = reviews(&api).await;
    let people = [
        "employee",
        "jane",
        "raj",
        "manager",
        "sales.manager",
        "lena",
        "admin",
        "ceo",
    ];
    let mut tokens = BTreeMap::new();
    for p in people {
        tokens.insert(p, api.login(p).await);
    }
    let decided = |s: StatusCode| s.is_success() || s == StatusCode::CONFLICT;

    // Review actions: (action, review, body, the one whose action it is, who sees but may not).
    let session: Option<Uuid> = sqlx::query_scalar(
        "SELECT s.id FROM calibration_sessions s JOIN performance_reviews r
            ON r.tenant_id = s.tenant_id AND r.cycle_id = s.cycle_id WHERE r.id = $1 LIMIT 1",
    )
    .bind(ids["jane-manager-2026"])
    .fetch_optional(&api.db.maintenance)
    .await?;
    let calibrate = json!({"session_id": session.unwrap_or_else(Uuid::nil), "rating": 4.0, "rationale": "matrix"});
    let actions: &[Action] = &[
        (
            "submit",
            "jane-manager-2026",
            None,
            &["manager"],
            &["admin", "ceo"],
        ),
        (
            "submit",
            "jane-jane-2026",
            None,
            &["jane"],
            &["admin", "ceo", "manager"],
        ),
        (
            "calibrate",
            "jane-manager-2026",
            Some(calibrate.clone()),
            &["admin"],
            &["manager", "ceo"],
        ),
        (
            "share",
            "jane-manager-2026",
            None,
            &["admin"],
            &["manager", "ceo"],
        ),
        (
            "share",
            "employee-manager-2025",
            None,
            &["admin"],
            &["manager", "ceo", "employee"],
        ),
    ];
    for (action, review, body, owners, seers) in actions {
        let id = ids[*review];
        for who in people {
            let r = api
                .call(
                    Method::POST,
                    &format!("/api/v1/reviews/{id}/{action}"),
                    Some(&tokens[who]),
                    body.clone(),
                )
                .await;
            if owners.contains(&who) {
                assert!(
                    decided(r.status),
                    "{action} {review} as {who}: {} {}",
                    r.status,
                    r.body
                );
            } else if seers.contains(&who) {
                assert_eq!(
                    r.status,
                    StatusCode::FORBIDDEN,
                    "{action} {review} as {who}: {}",
                    r.body
                );
            } else {
                // Not visible to them (the reviewee sees a review of them once it is shared:
                // then the action is not theirs).
                let want = if r.status == StatusCode::FORBIDDEN {
                    let visible = api
                        .get(&format!("/api/v1/reviews/{id}"), &tokens[who])
                        .await;
                    assert_eq!(
                        visible.status,
                        StatusCode::OK,
                        "{who} got 403 for a review they cannot see"
                    );
                    StatusCode::FORBIDDEN
                } else {
                    StatusCode::NOT_FOUND
                };
                assert_eq!(r.status, want, "{action} {review} as {who}: {}", r.body);
            }
        }
    }

    // Feedback lists: mine only, and as many as the database holds for me.
    for who in people {
        let me = demo_user(who);
        for (list, column, filter) in [
            (
                "received",
                "recipient_id",
                "feedback_type <> 'REQUEST' AND NOT is_anonymous",
            ),
            ("given", "giver_id", "feedback_type <> 'REQUEST'"),
            (
                "requests",
                "giver_id",
                "feedback_type = 'REQUEST' AND read_at IS NULL",
            ),
        ] {
            let r = api
                .get(&format!("/api/v1/feedback/{list}?limit=200"), &tokens[who])
                .await;
            assert_eq!(r.status, StatusCode::OK, "{list} as {who}");
            let items = r.body["items"].as_array().unwrap();
            for i in items {
                assert_eq!(
                    i[column].as_str(),
                    Some(me.to_string().as_str()),
                    "{list} as {who}: {i}"
                );
            }
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM feedback WHERE {column} = $1 AND deleted_at IS NULL AND {filter}"
            )))
            .bind(me)
            .fetch_one(&api.db.maintenance)
            .await?;
            assert_eq!(items.len() as i64, n, "{list} as {who}");
        }
        // Anonymous feedback about me: no giver, whoever asks.
        let r = api
            .get("/api/v1/feedback/received/anonymous", &tokens[who])
            .await;
        assert_eq!(r.status, StatusCode::OK, "anonymous as {who}");
        assert!(
            !r.body.to_string().contains("\"giver_id\":\""),
            "anonymous as {who}: {}",
            r.body
        );
    }

    // The organisation: every member reads the whole tenant's departments and teams.
    let tenant = pms_seed::demo_tenants::tenant_id(&pms_seed::demo_tenants::DEMO_COMPANY);
    for (list, table) in [("departments", "departments"), ("teams", "teams")] {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM {table} WHERE tenant_id = $1 AND deleted_at IS NULL"
        )))
        .bind(tenant)
        .fetch_one(&api.db.maintenance)
        .await?;
        assert!(n > 0, "the demo has {table}");
        for who in people {
            let r = api
                .get(&format!("/api/v1/{list}?limit=200"), &tokens[who])
                .await;
            assert_eq!(r.status, StatusCode::OK, "{list} as {who}");
            assert_eq!(
                r.body["items"].as_array().unwrap().len() as i64,
                n,
                "{list} as {who}"
            );
        }
    }

    // Sessions: each sees their own only, and cannot end anyone else's.
    let jane_sessions = api.get("/api/v1/auth/sessions", &tokens["jane"]).await;
    let jane_ids: Vec<String> = jane_sessions.body["items"]
        .as_array()
        .or_else(|| jane_sessions.body.as_array())
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!jane_ids.is_empty());
    for who in people.into_iter().filter(|w| *w != "jane") {
        let r = api.get("/api/v1/auth/sessions", &tokens[who]).await;
        let text = r.body.to_string();
        for id in &jane_ids {
            assert!(!text.contains(id.as_str()), "{who} lists jane's session");
            let del = api
                .call(
                    Method::DELETE,
                    &format!("/api/v1/auth/sessions/{id}"),
                    Some(&tokens[who]),
                    None,
                )
                .await;
            assert_eq!(
                del.status,
                StatusCode::NOT_FOUND,
                "{who} ends jane's session"
            );
        }
    }
    assert_eq!(
        api.get("/api/v1/me", &tokens["jane"]).await.status,
        StatusCode::OK,
        "jane's session lives"
    );
    Ok(())
}
