//! 360 feedback over the API on the demo company: every allowed move of a cycle, questionnaire,
//! nomination and request works and every other is refused with its code and changes nothing;
//! the conflict-of-interest check (in the API and in the database, as `pms_app`); answers
//! checked against the questionnaire; the report withholds a rater group at n−1 respondents
//! (its scores and comments absent, not zero) and shows it at n; the gap analysis; who sees
//! what (a rater their own requests only, the subject and their chain the aggregate, never
//! one person's answers); and a sweep of every endpoint from another tenant and from a person
//! of the tenant who has no part in the round (404, nothing changed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, Resp, acme_user, demo_user};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

const CYCLE_STATUSES: [&str; 5] = ["DRAFT", "NOMINATING", "COLLECTING", "CLOSED", "CANCELLED"];

fn cycle_allowed(from: &str) -> &'static [&'static str] {
    match from {
        "DRAFT" => &["NOMINATING", "CANCELLED"],
        "NOMINATING" => &["COLLECTING", "CANCELLED"],
        "COLLECTING" => &["CLOSED", "CANCELLED"],
        _ => &[],
    }
}

fn cycle_path(to: &str) -> &'static [&'static str] {
    match to {
        "DRAFT" => &[],
        "NOMINATING" => &["NOMINATING"],
        "COLLECTING" => &["NOMINATING", "COLLECTING"],
        "CLOSED" => &["NOMINATING", "COLLECTING", "CLOSED"],
        "CANCELLED" => &["CANCELLED"],
        _ => unreachable!(),
    }
}

fn assert_refused(r: &Resp, status: StatusCode, code: &str, what: &str) {
    assert_eq!(r.status, status, "{what}: {}", r.body);
    assert_eq!(r.code(), code, "{what}: {}", r.body);
}

#[tokio::test]
async fn every_allowed_move_works_and_every_other_is_refused_unchanged() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let hr = api.login("admin").await;
    let jane = api.login("jane").await;
    let manager = api.login("manager").await;
    let q = api.f360_questionnaire(&hr, "Moves").await;

    // Cycles: every pair of statuses (and "already in it").
    let (mut ok, mut refused) = (0, 0);
    for from in CYCLE_STATUSES {
        for to in CYCLE_STATUSES {
            let id = api.f360_draft(&hr, q.id, 3, true).await;
            for step in cycle_path(from) {
                api.f360_move(&hr, id, step).await;
            }
            let before = api.row_text("feedback_360_cycles", id).await;
            let r = api
                .post(
                    &format!("/api/v1/feedback-360/cycles/{id}/transition"),
                    &hr,
                    json!({ "status": to }),
                )
                .await;
            if cycle_allowed(from).contains(&to) {
                assert_eq!(r.status, StatusCode::OK, "{from} -> {to}: {}", r.body);
                assert_eq!(r.body["status"], to);
                ok += 1;
            } else {
                let code = if matches!(from, "CLOSED" | "CANCELLED") && from != to {
                    "record_closed"
                } else {
                    "invalid_transition"
                };
                assert_refused(&r, StatusCode::CONFLICT, code, &format!("{from} -> {to}"));
                assert_eq!(api.row_text("feedback_360_cycles", id).await, before);
                refused += 1;
            }
        }
    }
    assert_eq!((ok, refused), (6, 19));

    // Launch and close, If-Match, who may run a cycle, and what a launched cycle keeps.
    let id = api.f360_draft(&hr, q.id, 3, true).await;
    let got = api
        .get(&format!("/api/v1/feedback-360/cycles/{id}"), &hr)
        .await;
    let etag = got.etag();
    assert!(!etag.is_empty());
    let r = api
        .post(
            &format!("/api/v1/feedback-360/cycles/{id}/launch"),
            &jane,
            json!({}),
        )
        .await;
    assert_refused(
        &r,
        StatusCode::FORBIDDEN,
        "forbidden",
        "an employee launches",
    );
    let r = api
        .patch_if(
            &format!("/api/v1/feedback-360/cycles/{id}"),
            &hr,
            json!({"name": "Renamed"}),
            &etag,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = api
        .post_if(
            &format!("/api/v1/feedback-360/cycles/{id}/launch"),
            &hr,
            json!({}),
            &etag,
        )
        .await;
    assert_refused(
        &r,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
        "stale If-Match",
    );
    let r = api
        .post_if(
            &format!("/api/v1/feedback-360/cycles/{id}/launch"),
            &hr,
            json!({}),
            &r_etag(&api, &hr, id).await,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "NOMINATING");
    assert_eq!(r.body["next_statuses"], json!(["COLLECTING", "CANCELLED"]));
    let r = api
        .patch(
            &format!("/api/v1/feedback-360/cycles/{id}"),
            &hr,
            json!({"min_respondents": 1}),
        )
        .await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "cycle_phase",
        "threshold of a launched cycle",
    );
    let r = api
        .post(
            &format!("/api/v1/feedback-360/cycles/{id}/close"),
            &hr,
            json!({}),
        )
        .await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "invalid_transition",
        "close while nominating",
    );

    // A cycle with a draft questionnaire cannot be launched.
    let draft_q = api
        .post(
            "/api/v1/feedback-360/questionnaires",
            &hr,
            json!({"name": "Unpublished", "questions": [{"prompt": "Anything?"}]}),
        )
        .await;
    assert_eq!(draft_q.status, StatusCode::CREATED, "{}", draft_q.body);
    let c = api.f360_draft(&hr, draft_q.id(), 3, true).await;
    let r = api
        .post(
            &format!("/api/v1/feedback-360/cycles/{c}/launch"),
            &hr,
            json!({}),
        )
        .await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "questionnaire_not_ready",
        "launch on a draft questionnaire",
    );

    // Questionnaires: DRAFT -> PUBLISHED -> RETIRED, nothing else; published questions are fixed.
    let qn = draft_q.id();
    let qpath = format!("/api/v1/feedback-360/questionnaires/{qn}/transition");
    let r = api.post(&qpath, &hr, json!({"status": "RETIRED"})).await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "invalid_transition",
        "DRAFT -> RETIRED",
    );
    let r = api
        .post(&qpath, &manager, json!({"status": "PUBLISHED"}))
        .await;
    assert_refused(
        &r,
        StatusCode::FORBIDDEN,
        "forbidden",
        "a manager publishes",
    );
    assert_eq!(
        api.post(&qpath, &hr, json!({"status": "PUBLISHED"}))
            .await
            .status,
        StatusCode::OK
    );
    let r = api.post(&qpath, &hr, json!({"status": "DRAFT"})).await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "invalid_transition",
        "PUBLISHED -> DRAFT",
    );
    assert_eq!(
        api.as_app(demo_user("admin"), &format!("UPDATE feedback_360_questions SET prompt = 'changed' WHERE questionnaire_id = '{qn}'")).await,
        Err("record_closed".to_string())
    );
    assert_eq!(
        api.post(&qpath, &hr, json!({"status": "RETIRED"}))
            .await
            .status,
        StatusCode::OK
    );
    let r = api.post(&qpath, &hr, json!({"status": "PUBLISHED"})).await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "record_closed",
        "RETIRED -> PUBLISHED",
    );

    // Nominations: PENDING -> APPROVED | DECLINED (by the chain or HR), final after that.
    let draft = api.f360_draft(&hr, q.id, 3, true).await;
    let r = api
        .f360_nominate(
            &jane,
            draft,
            demo_user("jane"),
            demo_user("employee"),
            "PEER",
        )
        .await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "cycle_phase",
        "nominating in a DRAFT cycle",
    );
    let cycle = api.f360_cycle(&hr, q.id, 3, true).await;
    let mut ids = Vec::new();
    for who in ["employee", "raj", "lena"] {
        let r = api
            .f360_nominate(&jane, cycle, demo_user("jane"), demo_user(who), "PEER")
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.body["status"], "PENDING");
        ids.push(r.id());
    }
    let (a, d, w) = (ids[0], ids[1], ids[2]);
    let r = api
        .post(
            &format!("/api/v1/feedback-360/nominations/{a}/approve"),
            &jane,
            json!({}),
        )
        .await;
    assert_refused(
        &r,
        StatusCode::FORBIDDEN,
        "forbidden",
        "the subject approves their own nomination",
    );
    let r = api
        .post(
            &format!("/api/v1/feedback-360/nominations/{a}/approve"),
            &manager,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "APPROVED");
    let r = api
        .post(
            &format!("/api/v1/feedback-360/nominations/{d}/decline"),
            &hr,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for (id, action) in [
        (a, "decline"),
        (a, "approve"),
        (d, "approve"),
        (d, "decline"),
    ] {
        let before = api.row_text("feedback_360_nominations", id).await;
        let r = api
            .post(
                &format!("/api/v1/feedback-360/nominations/{id}/{action}"),
                &manager,
                json!({}),
            )
            .await;
        assert_refused(
            &r,
            StatusCode::CONFLICT,
            "record_closed",
            &format!("{action} a decided nomination"),
        );
        assert_eq!(api.row_text("feedback_360_nominations", id).await, before);
    }
    let r = api
        .call(
            Method::DELETE,
            &format!("/api/v1/feedback-360/nominations/{a}"),
            Some(&jane),
            None,
        )
        .await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "record_closed",
        "withdraw an approved nomination",
    );
    let r = api
        .call(
            Method::DELETE,
            &format!("/api/v1/feedback-360/nominations/{w}"),
            Some(&jane),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM feedback_360_nominations WHERE id = '{w}'"
        ))
        .await,
        0
    );
    // Every write names its author in the audit trail.
    assert!(
        api.audited("feedback_360_nominations", a, demo_user("jane"))
            .await
            >= 1
    );
    assert!(
        api.audited("feedback_360_nominations", a, demo_user("manager"))
            .await
            >= 1
    );
    assert!(
        api.audited("feedback_360_cycles", cycle, demo_user("admin"))
            .await
            >= 2
    );
    api.finish().await;
    Ok(())
}

async fn r_etag(api: &Api, token: &str, cycle: Uuid) -> String {
    api.get(&format!("/api/v1/feedback-360/cycles/{cycle}"), token)
        .await
        .etag()
}

#[tokio::test]
async fn conflicts_of_interest_are_refused_and_nothing_is_written() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let hr = api.login("admin").await;
    let manager = api.login("manager").await;
    let jane = api.login("jane").await;
    let q = api.f360_questionnaire(&hr, "Conflicts").await;
    let strict = api.f360_cycle(&hr, q.id, 3, true).await;
    let open = api.f360_cycle(&hr, q.id, 3, false).await;
    let count = format!(
        "SELECT count(*) FROM feedback_360_nominations WHERE cycle_id IN ('{strict}', '{open}')"
    );
    let before = api.count(&count).await;

    // Eli reports to the manager: he may not rate him where the cycle forbids it, nor may Jane
    // rate the CEO two levels up (whoever nominates: the subject, or HR).
    let r = api
        .f360_nominate(
            &manager,
            strict,
            demo_user("manager"),
            demo_user("employee"),
            "DIRECT_REPORT",
        )
        .await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "conflict_of_interest",
        "a report rates their manager",
    );
    let ceo = api.login("ceo").await;
    let r = api
        .f360_nominate(&ceo, strict, demo_user("ceo"), demo_user("jane"), "OTHER")
        .await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "conflict_of_interest",
        "an indirect report rates the CEO",
    );
    let r = api
        .f360_nominate(&hr, strict, demo_user("manager"), demo_user("jane"), "PEER")
        .await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "conflict_of_interest",
        "HR nominates a report",
    );
    // Nobody rates themself as anything but SELF, and only the subject is SELF.
    let r = api
        .f360_nominate(&jane, open, demo_user("jane"), demo_user("jane"), "PEER")
        .await;
    assert_refused(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "self_as_rater",
        "self as a peer",
    );
    assert_eq!(r.body["error"]["fields"][0]["path"], "relationship");
    let r = api
        .f360_nominate(
            &jane,
            open,
            demo_user("jane"),
            demo_user("employee"),
            "SELF",
        )
        .await;
    assert_refused(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "self_as_rater",
        "someone else as SELF",
    );
    let r = api
        .f360_nominate(
            &jane,
            open,
            demo_user("jane"),
            demo_user("employee"),
            "BOSS",
        )
        .await;
    assert_refused(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "unknown relationship",
    );
    let r = api
        .f360_nominate(&jane, open, demo_user("jane"), Uuid::new_v4(), "PEER")
        .await;
    assert_refused(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "unknown nominee",
    );
    // Jane cannot nominate raters for a colleague she does not manage (she may not see them).
    let r = api
        .f360_nominate(&jane, open, demo_user("raj"), demo_user("employee"), "PEER")
        .await;
    assert_refused(
        &r,
        StatusCode::NOT_FOUND,
        "not_found",
        "nominating for someone else",
    );
    assert_eq!(
        api.count(&count).await,
        before,
        "a refused nomination wrote nothing"
    );

    // The database refuses it whoever writes, as pms_app: the check is not the API's alone.
    let t = pms_seed::demo_tenants::tenant_id(&pms_seed::demo_tenants::DEMO_COMPANY);
    let insert = format!(
        "INSERT INTO feedback_360_nominations (tenant_id, cycle_id, subject_id, nominee_id, nominated_by, relationship)
         VALUES ('{t}', '{strict}', '{}', '{}', '{}', 'PEER')",
        demo_user("manager"), demo_user("employee"), demo_user("manager")
    );
    assert_eq!(
        api.as_app(demo_user("manager"), &insert).await,
        Err("conflict_of_interest".into())
    );
    assert_eq!(api.count(&count).await, before);

    // Where the cycle allows upward feedback, the same nomination is made and approved; a
    // pending one approved after the reporting line changed is checked again.
    let r = api
        .f360_nominate(
            &manager,
            open,
            demo_user("manager"),
            demo_user("employee"),
            "DIRECT_REPORT",
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = api
        .f360_nominate(&jane, strict, demo_user("jane"), demo_user("raj"), "PEER")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pending = r.id();
    api.exec(&format!(
        "UPDATE users SET manager_id = '{}' WHERE id = '{}'",
        demo_user("jane"),
        demo_user("raj")
    ))
    .await;
    let before_row = api.row_text("feedback_360_nominations", pending).await;
    let r = api
        .post(
            &format!("/api/v1/feedback-360/nominations/{pending}/approve"),
            &manager,
            json!({}),
        )
        .await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "conflict_of_interest",
        "approved after Raj moved under Jane",
    );
    assert_eq!(
        api.row_text("feedback_360_nominations", pending).await,
        before_row
    );
    api.finish().await;
    Ok(())
}

/// Submits a rater's answers: (collaboration, technical depth, comment).
async fn answer(
    api: &Api,
    token: &str,
    request: Uuid,
    q: &common::api_d::Questions,
    collab: i64,
    tech: i64,
    comment: &str,
) {
    let r = api
        .post(
            &format!("/api/v1/feedback-360/requests/{request}/submit"),
            token,
            json!({"answers": [{"question_id": q.collab, "rating": collab}, {"question_id": q.tech, "rating": tech},
                               {"question_id": q.open, "answer_text": comment}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "SUBMITTED");
}

/// My request of a cycle.
async fn my_request(api: &Api, token: &str, cycle: Uuid) -> Uuid {
    let r = api
        .get(
            &format!("/api/v1/feedback-360/requests?cycle_id={cycle}"),
            token,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", r.body);
    items[0]["id"].as_str().unwrap().parse().unwrap()
}

/// A round about Jane (min 3): herself, her manager and three peers nominated and approved,
/// requests sent. Returns the cycle.
async fn round(
    api: &Api,
    hr: &str,
    jane: &str,
    manager: &str,
    q: &common::api_d::Questions,
) -> Uuid {
    let cycle = api.f360_cycle(hr, q.id, 3, true).await;
    for (who, rel) in [
        ("jane", "SELF"),
        ("manager", "MANAGER"),
        ("employee", "PEER"),
        ("raj", "PEER"),
        ("lena", "PEER"),
    ] {
        let r = api
            .f360_nominate(jane, cycle, demo_user("jane"), demo_user(who), rel)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.id();
        let r = api
            .post(
                &format!("/api/v1/feedback-360/nominations/{id}/approve"),
                manager,
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    api.f360_move(hr, cycle, "COLLECTING").await;
    assert_eq!(api.count(&format!("SELECT count(*) FROM feedback_360_requests WHERE cycle_id = '{cycle}' AND status = 'SENT'")).await, 5);
    cycle
}

fn rows<'a>(report: &'a Value, rel: &str) -> Vec<&'a Value> {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["relationship"] == rel)
        .collect()
}

fn score(report: &Value, rel: &str, competency: Option<Uuid>) -> Option<f64> {
    rows(report, rel)
        .into_iter()
        .find(|g| {
            g["competency_id"]
                .as_str()
                .map(|s| s.parse::<Uuid>().unwrap())
                == competency
        })
        .and_then(|g| g["average_rating"].as_f64())
}

#[tokio::test]
async fn the_report_withholds_a_group_at_n_minus_one_and_shows_it_at_n() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let hr = api.login("admin").await;
    let jane = api.login("jane").await;
    let manager = api.login("manager").await;
    let eli = api.login("employee").await;
    let raj = api.login("raj").await;
    let lena = api.login("lena").await;
    let ceo = api.login("ceo").await;
    let omar = api.login("omar").await;
    let q = api.f360_questionnaire(&hr, "Threshold").await;
    let collab = api.competency("COLLABORATION").await;
    let tech = api.competency("TECH_DEPTH").await;

    // Round A: two of three peers answer (n - 1), the third declines.
    let a = round(&api, &hr, &jane, &manager, &q).await;
    let eli_a = my_request(&api, &eli, a).await;
    // Answers are checked against the questionnaire, with every field named; nothing is kept.
    let bad = api
        .post(
            &format!("/api/v1/feedback-360/requests/{eli_a}/submit"),
            &eli,
            json!({"answers": [{"question_id": q.collab, "rating": 6}, {"question_id": Uuid::new_v4(), "rating": 3},
                               {"question_id": q.open, "rating": 2}]}),
        )
        .await;
    assert_refused(
        &bad,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "bad answers",
    );
    let paths: Vec<&str> = bad.body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"answers[0].rating")
            && paths.contains(&"answers[1].question_id")
            && paths.contains(&"answers[2].rating"),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.starts_with("answers[question_id=")),
        "the unanswered required question is named: {paths:?}"
    );
    let missing = api
        .post(
            &format!("/api/v1/feedback-360/requests/{eli_a}/submit"),
            &eli,
            json!({"answers": [{"question_id": q.collab, "rating": 4}]}),
        )
        .await;
    assert_refused(
        &missing,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "a required question unanswered",
    );
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM feedback_360_responses WHERE request_id = '{eli_a}'"
        ))
        .await,
        0
    );
    assert!(
        api.row_text("feedback_360_requests", eli_a)
            .await
            .contains(",SENT,")
    );
    // HR sees the request but does not answer it; the subject and her manager do not see it.
    let r = api
        .post(
            &format!("/api/v1/feedback-360/requests/{eli_a}/submit"),
            &hr,
            json!({"answers": []}),
        )
        .await;
    assert_refused(
        &r,
        StatusCode::FORBIDDEN,
        "forbidden",
        "HR answers for a rater",
    );
    for t in [&jane, &manager, &raj] {
        let r = api
            .get(&format!("/api/v1/feedback-360/requests/{eli_a}"), t)
            .await;
        assert_refused(
            &r,
            StatusCode::NOT_FOUND,
            "not_found",
            "someone else's request",
        );
    }
    // Saving a draft opens the request; the database refuses an answer of the wrong form.
    let r = api
        .call(
            Method::PUT,
            &format!("/api/v1/feedback-360/requests/{eli_a}/answers"),
            Some(&eli),
            Some(json!({"answers": [{"question_id": q.collab, "rating": 4}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "OPENED");
    assert_eq!(r.body["answers"][0]["rating"], 4);
    let t = pms_seed::demo_tenants::tenant_id(&pms_seed::demo_tenants::DEMO_COMPANY);
    assert!(api.as_app(demo_user("employee"), &format!(
        "INSERT INTO feedback_360_responses (tenant_id, request_id, question_id, answer_text) VALUES ('{t}', '{eli_a}', '{}', 'no rating')", q.tech)).await.is_err());
    answer(&api, &eli, eli_a, &q, 4, 2, "Eli: great pairing").await;
    answer(
        &api,
        &raj,
        my_request(&api, &raj, a).await,
        &q,
        5,
        3,
        "Raj: clear designs",
    )
    .await;
    let lena_a = my_request(&api, &lena, a).await;
    let r = api
        .post(
            &format!("/api/v1/feedback-360/requests/{lena_a}/decline"),
            &lena,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "DECLINED");
    // Final requests refuse every further move, and change nothing.
    for (path, body) in [("submit", json!({"answers": []})), ("decline", json!({}))] {
        for (req, token) in [(eli_a, &eli), (lena_a, &lena)] {
            let before = api.row_text("feedback_360_requests", req).await;
            let r = api
                .post(
                    &format!("/api/v1/feedback-360/requests/{req}/{path}"),
                    token,
                    body.clone(),
                )
                .await;
            assert_refused(
                &r,
                StatusCode::CONFLICT,
                "record_closed",
                &format!("{path} a final request"),
            );
            assert_eq!(api.row_text("feedback_360_requests", req).await, before);
        }
    }
    answer(
        &api,
        &manager,
        my_request(&api, &manager, a).await,
        &q,
        4,
        4,
        "Manager: ready for more",
    )
    .await;
    answer(
        &api,
        &jane,
        my_request(&api, &jane, a).await,
        &q,
        5,
        2,
        "Jane: I enjoy mentoring",
    )
    .await;
    // Not CLOSED yet: no report.
    let r = api
        .get(
            &format!(
                "/api/v1/feedback-360/cycles/{a}/reports/{}",
                demo_user("jane")
            ),
            &jane,
        )
        .await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "cycle_phase",
        "the report of an open cycle",
    );
    api.f360_move(&hr, a, "CLOSED").await;

    let report = |t: String, c: Uuid| {
        let api = &api;
        async move {
            api.get(
                &format!(
                    "/api/v1/feedback-360/cycles/{c}/reports/{}",
                    demo_user("jane")
                ),
                &t,
            )
            .await
        }
    };
    // The subject: her own SELF scores; no PEER, MANAGER or ALL group at all, no peer comment.
    let mine = report(jane.clone(), a).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert!(
        rows(&mine.body, "PEER").is_empty()
            && rows(&mine.body, "MANAGER").is_empty()
            && rows(&mine.body, "ALL").is_empty(),
        "{}",
        mine.body
    );
    assert_eq!(score(&mine.body, "SELF", Some(collab)), Some(5.0));
    let comments: Vec<&Value> = mine.body["comments"].as_array().unwrap().iter().collect();
    assert_eq!(comments.len(), 1, "{}", mine.body);
    assert_eq!(comments[0]["relationship"], "SELF");
    let gap = mine.body["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["competency_id"] == json!(collab))
        .unwrap();
    assert!(
        gap["others_rating"].is_null() && gap["classification"].is_null(),
        "{gap}"
    );
    // Her manager (and the CEO above him): the PEER group is there, withheld, with no score.
    for t in [&manager, &ceo, &hr] {
        let chain = report(t.clone(), a).await;
        assert_eq!(chain.status, StatusCode::OK, "{}", chain.body);
        let peers = rows(&chain.body, "PEER");
        assert_eq!(
            peers.len(),
            3,
            "overall and two competencies: {}",
            chain.body
        );
        for g in peers {
            assert_eq!(g["withheld"], true);
            assert!(g["average_rating"].is_null(), "absent, not zero: {g}");
            assert_eq!(g["respondent_count"], 2);
        }
        assert!(
            rows(&chain.body, "ALL")
                .iter()
                .all(|g| g["withheld"] == true && g["average_rating"].is_null())
        );
        assert!(
            chain.body["comments"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["relationship"] == "SELF")
        );
    }
    // Someone outside her chain sees no report.
    for t in [&raj, &omar] {
        let r = report(t.clone(), a).await;
        assert_refused(
            &r,
            StatusCode::NOT_FOUND,
            "not_found",
            "a colleague's report",
        );
    }
    // The database keeps the suppressed rows without a score, and hides them from the subject.
    assert_eq!(api.count(&format!("SELECT count(*) FROM feedback_360_aggregations WHERE cycle_id = '{a}' AND relationship = 'PEER' AND is_suppressed AND average_rating IS NULL")).await, 3);
    assert_eq!(api.count_as(demo_user("jane"), &format!("SELECT count(*) FROM feedback_360_aggregations WHERE cycle_id = '{a}' AND is_suppressed")).await, 0);

    // Round B: all three peers answer (n).
    let b = round(&api, &hr, &jane, &manager, &q).await;
    answer(
        &api,
        &eli,
        my_request(&api, &eli, b).await,
        &q,
        4,
        2,
        "Eli: great pairing",
    )
    .await;
    answer(
        &api,
        &raj,
        my_request(&api, &raj, b).await,
        &q,
        5,
        3,
        "Raj: clear designs",
    )
    .await;
    answer(
        &api,
        &lena,
        my_request(&api, &lena, b).await,
        &q,
        3,
        4,
        "Lena: helps sales too",
    )
    .await;
    answer(
        &api,
        &manager,
        my_request(&api, &manager, b).await,
        &q,
        4,
        4,
        "Manager: ready for more",
    )
    .await;
    answer(
        &api,
        &jane,
        my_request(&api, &jane, b).await,
        &q,
        5,
        2,
        "Jane: I enjoy mentoring",
    )
    .await;
    // Raters see their own answers only, in the database too.
    assert_eq!(api.count_as(demo_user("jane"), &format!("SELECT count(*) FROM feedback_360_responses r JOIN feedback_360_requests q ON q.id = r.request_id WHERE q.cycle_id = '{b}'")).await, 3);
    assert_eq!(
        api.count_as(
            demo_user("manager"),
            &format!("SELECT count(*) FROM feedback_360_requests WHERE cycle_id = '{b}'")
        )
        .await,
        1
    );
    api.f360_move(&hr, b, "CLOSED").await;
    let mine = report(jane.clone(), b).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert_eq!(score(&mine.body, "PEER", Some(collab)), Some(4.0));
    assert_eq!(score(&mine.body, "PEER", Some(tech)), Some(3.0));
    assert_eq!(score(&mine.body, "PEER", None), Some(3.5));
    assert!(
        rows(&mine.body, "PEER")
            .iter()
            .all(|g| g["respondent_count"] == 3 && g["withheld"] == false)
    );
    // ALL counts the shown groups only: the single manager stays withheld and out of it.
    assert!(rows(&mine.body, "MANAGER").is_empty());
    assert_eq!(score(&mine.body, "ALL", Some(collab)), Some(4.0));
    assert_eq!(rows(&mine.body, "ALL")[0]["respondent_count"], 3);
    let mut peer_comments: Vec<&str> = mine.body["comments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["relationship"] == "PEER")
        .map(|c| c["answer_text"].as_str().unwrap())
        .collect();
    peer_comments.sort();
    assert_eq!(
        peer_comments,
        [
            "Eli: great pairing",
            "Lena: helps sales too",
            "Raj: clear designs"
        ]
    );
    for c in mine.body["comments"].as_array().unwrap() {
        let mut keys: Vec<&String> = c.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["answer_text", "prompt", "question_id", "relationship"],
            "a comment names nobody"
        );
    }
    let gaps = mine.body["gaps"].as_array().unwrap();
    let gap = |c: Uuid| {
        gaps.iter()
            .find(|g| g["competency_id"] == json!(c))
            .unwrap()
    };
    assert_eq!(
        (
            gap(collab)["gap"].as_f64(),
            gap(collab)["classification"].as_str()
        ),
        (Some(1.0), Some("BLIND_SPOT"))
    );
    assert_eq!(
        (
            gap(tech)["gap"].as_f64(),
            gap(tech)["classification"].as_str()
        ),
        (Some(-1.0), Some("HIDDEN_STRENGTH"))
    );
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM feedback_360_gap_analyses WHERE cycle_id = '{b}'"
        ))
        .await,
        2
    );
    // HR aggregates again: the same rows; anyone else may not.
    let r = api
        .post(
            &format!("/api/v1/feedback-360/cycles/{b}/aggregate"),
            &manager,
            json!({}),
        )
        .await;
    assert_refused(
        &r,
        StatusCode::FORBIDDEN,
        "forbidden",
        "a manager aggregates",
    );
    let before = api
        .count(&format!(
            "SELECT count(*) FROM feedback_360_aggregations WHERE cycle_id = '{b}'"
        ))
        .await;
    let r = api
        .post(
            &format!("/api/v1/feedback-360/cycles/{b}/aggregate"),
            &hr,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["rows"].as_i64(), Some(before));
    // The audit trail names each rater's write, with their answers withheld.
    let eli_b = my_request(&api, &eli, b).await;
    assert!(
        api.audited("feedback_360_requests", eli_b, demo_user("employee"))
            .await
            >= 1
    );
    let leaked = api.count(&format!(
        "SELECT count(*) FROM audit_log WHERE table_name = 'feedback_360_responses' AND actor_user_id = '{}'
            AND changes::text LIKE '%great pairing%'", demo_user("employee"))).await;
    assert_eq!(leaked, 0, "the trail keeps no answer's words");
    let withheld = api.count(&format!(
        "SELECT count(*) FROM audit_log WHERE table_name = 'feedback_360_responses' AND actor_user_id = '{}'
            AND operation = 'INSERT' AND changes::text LIKE '%WITHHELD%'", demo_user("employee"))).await;
    assert!(
        withheld >= 3,
        "each answer is recorded, its rating and words withheld"
    );
    assert!(api.count(&format!("SELECT count(*) FROM audit_log WHERE table_name = 'feedback_360_responses' AND actor_user_id = '{}'", demo_user("employee"))).await >= 3);
    // Lists are cursor-paged.
    let first = api.get("/api/v1/feedback-360/cycles?limit=1", &hr).await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 1);
    let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
    let second = api
        .get(
            &format!("/api/v1/feedback-360/cycles?limit=1&cursor={cursor}"),
            &hr,
        )
        .await;
    assert_eq!(second.status, StatusCode::OK);
    assert_ne!(second.body["items"][0]["id"], first.body["items"][0]["id"]);
    api.finish().await;
    Ok(())
}

const SWEPT: &[&str] = &[
    "feedback_360_questionnaires",
    "feedback_360_questions",
    "feedback_360_cycles",
    "feedback_360_nominations",
    "feedback_360_requests",
    "feedback_360_responses",
    "feedback_360_aggregations",
    "feedback_360_gap_analyses",
];

async fn fingerprint(api: &Api) -> Vec<String> {
    let mut out = Vec::new();
    for t in SWEPT {
        out.push(
            api.text(&format!(
                "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM {t} x"
            ))
            .await,
        );
    }
    out
}

/// Every 360 endpoint naming the demo round's records.
fn sweep(
    cycle: Uuid,
    questionnaire: Uuid,
    nomination: Uuid,
    request: Uuid,
    subject: Uuid,
    other: Uuid,
) -> Vec<(Method, String, Option<Value>)> {
    let p = |s: &str| format!("/api/v1/feedback-360{s}");
    vec![
        (
            Method::GET,
            p(&format!("/questionnaires/{questionnaire}")),
            None,
        ),
        (
            Method::POST,
            p(&format!("/questionnaires/{questionnaire}/transition")),
            Some(json!({"status": "RETIRED"})),
        ),
        (Method::GET, p(&format!("/cycles/{cycle}")), None),
        (
            Method::PATCH,
            p(&format!("/cycles/{cycle}")),
            Some(json!({"name": "pwned"})),
        ),
        (
            Method::POST,
            p(&format!("/cycles/{cycle}/transition")),
            Some(json!({"status": "CANCELLED"})),
        ),
        (
            Method::POST,
            p(&format!("/cycles/{cycle}/launch")),
            Some(json!({})),
        ),
        (
            Method::POST,
            p(&format!("/cycles/{cycle}/close")),
            Some(json!({})),
        ),
        (
            Method::POST,
            p(&format!("/cycles/{cycle}/aggregate")),
            Some(json!({})),
        ),
        (
            Method::GET,
            p(&format!("/cycles/{cycle}/nominations")),
            None,
        ),
        (
            Method::POST,
            p(&format!("/cycles/{cycle}/nominations")),
            Some(json!({"subject_id": subject, "nominee_id": other, "relationship": "PEER"})),
        ),
        (
            Method::GET,
            p(&format!("/cycles/{cycle}/reports/{subject}")),
            None,
        ),
        (Method::GET, p(&format!("/nominations/{nomination}")), None),
        (
            Method::POST,
            p(&format!("/nominations/{nomination}/approve")),
            Some(json!({})),
        ),
        (
            Method::POST,
            p(&format!("/nominations/{nomination}/decline")),
            Some(json!({})),
        ),
        (
            Method::DELETE,
            p(&format!("/nominations/{nomination}")),
            None,
        ),
        (Method::GET, p(&format!("/requests/{request}")), None),
        (
            Method::PUT,
            p(&format!("/requests/{request}/answers")),
            Some(json!({"answers": []})),
        ),
        (
            Method::POST,
            p(&format!("/requests/{request}/submit")),
            Some(json!({"answers": []})),
        ),
        (
            Method::POST,
            p(&format!("/requests/{request}/decline")),
            Some(json!({})),
        ),
    ]
}

#[tokio::test]
async fn another_tenant_and_an_outsider_get_404_and_change_nothing() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let hr = api.login("admin").await;
    let jane = api.login("jane").await;
    let manager = api.login("manager").await;
    let q = api.f360_questionnaire(&hr, "Sweep").await;
    let cycle = api.f360_cycle(&hr, q.id, 3, true).await;
    let r = api
        .f360_nominate(
            &jane,
            cycle,
            demo_user("jane"),
            demo_user("employee"),
            "PEER",
        )
        .await;
    let nomination = r.id();
    let pending = api
        .f360_nominate(&jane, cycle, demo_user("jane"), demo_user("raj"), "PEER")
        .await
        .id();
    assert_eq!(
        api.post(
            &format!("/api/v1/feedback-360/nominations/{nomination}/approve"),
            &manager,
            json!({})
        )
        .await
        .status,
        StatusCode::OK
    );
    api.f360_move(&hr, cycle, "COLLECTING").await;
    let request: Uuid = api
        .text(&format!(
            "SELECT id::text FROM feedback_360_requests WHERE nomination_id = '{nomination}'"
        ))
        .await
        .parse()?;
    let before = fingerprint(&api).await;

    // Another tenant's administrator and employee: every record of the demo company is unknown.
    let acme_admin = api.login_acme("admin").await;
    let acme_jane = api.login_acme("jane").await;
    for token in [&acme_admin, &acme_jane] {
        for (m, path, body) in sweep(
            cycle,
            q.id,
            nomination,
            request,
            demo_user("jane"),
            acme_user("employee"),
        ) {
            let r = api.call(m.clone(), &path, Some(token), body).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {path}: {}", r.body);
            assert_eq!(r.code(), "not_found");
        }
    }
    // Omar (sales, no part in the round, not above Jane): the nomination, request and report
    // are unknown to him (the cycle and questionnaire are the tenant's, readable; he cannot
    // run them: 403), and nothing changes.
    let omar = api.login("omar").await;
    for (m, path, body) in sweep(
        cycle,
        q.id,
        pending,
        request,
        demo_user("jane"),
        demo_user("lena"),
    ) {
        let r = api.call(m.clone(), &path, Some(&omar), body).await;
        let public = (path.ends_with(&format!("/cycles/{cycle}"))
            || path.ends_with(&format!("/questionnaires/{}", q.id))
            || path.ends_with("/nominations"))
            && m == Method::GET;
        if public {
            assert_eq!(r.status, StatusCode::OK, "{m} {path}: {}", r.body);
            if path.ends_with("/nominations") {
                assert_eq!(
                    r.body["items"],
                    json!([]),
                    "nominations about others are not his to see"
                );
            }
        } else if path.contains("/nominations/")
            || path.contains("/requests/")
            || path.contains("/reports/")
            || path.ends_with("/nominations")
        {
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {path}: {}", r.body);
        } else {
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{m} {path}: {}", r.body);
        }
    }
    let r = api.get("/api/v1/feedback-360/requests", &omar).await;
    assert_eq!(r.body["items"], json!([]));
    assert_eq!(fingerprint(&api).await, before, "no 360 row changed");

    // Only the rater moves their request, in the database too (HR as pms_app is refused).
    let as_hr =
        format!("UPDATE feedback_360_requests SET status = 'DECLINED' WHERE id = '{request}'");
    assert_eq!(
        api.as_app(demo_user("admin"), &as_hr).await,
        Err("not_rater".into())
    );
    // Closing the cycle expires the open request, which refuses answers from then on.
    let eli = api.login("employee").await;
    api.f360_move(&hr, cycle, "CLOSED").await;
    let r = api
        .get(&format!("/api/v1/feedback-360/requests/{request}"), &eli)
        .await;
    assert_eq!(r.body["status"], "EXPIRED", "{}", r.body);
    let r = api
        .call(
            Method::PUT,
            &format!("/api/v1/feedback-360/requests/{request}/answers"),
            Some(&eli),
            Some(json!({"answers": [{"question_id": q.collab, "rating": 3}]})),
        )
        .await;
    assert_refused(
        &r,
        StatusCode::CONFLICT,
        "record_closed",
        "answering an expired request",
    );
    api.finish().await;
    Ok(())
}
