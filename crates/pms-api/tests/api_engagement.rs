//! Engagement over the API: a survey's life (DRAFT -> OPEN -> CLOSED -> ARCHIVED, nothing
//! else), answers once per person, anonymous answers that name nobody (and keep only the day),
//! results withheld for every group below the minimum respondents (n - 1 withheld, n shown),
//! pulse answers under the same rule, and engagement scores in the caller's scope.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use pms_seed::demo_tenants::{DEMO_COMPANY, tenant_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

async fn transition(api: &Api, token: &str, id: &str, status: &str) -> common::Resp {
    api.call(
        Method::POST,
        &format!("/api/v1/surveys/{id}/transition"),
        Some(token),
        Some(json!({"status": status})),
    )
    .await
}

fn question(results: &Value, q: &str) -> Value {
    results["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["question_id"] == q && r["department_id"].is_null())
        .cloned()
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn surveys_answers_thresholds_and_pulses() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let hr = api.login("admin").await;
    let people = ["employee", "jane", "raj", "lena"];
    let mut tokens = Vec::new();
    for p in people {
        tokens.push(api.login(p).await);
    }

    // HR creates an anonymous survey with a threshold of 3.
    let r = api
        .call(
            Method::POST,
            "/api/v1/surveys",
            Some(&hr),
            Some(
                json!({"title": "Team health", "min_respondents": 3, "questions": [
                {"prompt": "I can raise a concern without fear.", "driver": "safety"},
                {"prompt": "How likely are you to recommend us?", "answer_type": "ENPS_10"},
                {"prompt": "What would you change?", "answer_type": "TEXT"}]}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        (r.body["status"].clone(), r.body["is_anonymous"].clone()),
        (json!("DRAFT"), json!(true))
    );
    let id = r.body["id"].as_str().unwrap().to_string();
    let qs: Vec<String> = r.body["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect();
    // A draft is HR's only; only HR writes surveys.
    assert_eq!(
        api.get(&format!("/api/v1/surveys/{id}"), &tokens[0])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = api
        .call(
            Method::POST,
            "/api/v1/surveys",
            Some(&tokens[0]),
            Some(json!({"title": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Answers wait for OPEN; the workflow moves one step at a time.
    let answers = |likert: i64, enps: i64| {
        json!({"answers": [
        {"question_id": qs[0], "rating": likert}, {"question_id": qs[1], "rating": enps},
        {"question_id": qs[2], "text": "More focus time."}]})
    };
    let path = format!("/api/v1/surveys/{id}/responses");
    let r = api
        .call(Method::POST, &path, Some(&tokens[0]), Some(answers(4, 9)))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"));
    for to in ["CLOSED", "ARCHIVED", "DRAFT"] {
        let r = transition(&api, &hr, &id, to).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "invalid_transition"),
            "DRAFT -> {to}"
        );
    }
    assert_eq!(
        transition(&api, &tokens[0], &id, "OPEN").await.status,
        StatusCode::NOT_FOUND
    );
    let r = transition(&api, &hr, &id, "OPEN").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        transition(&api, &tokens[0], &id, "CLOSED").await.status,
        StatusCode::FORBIDDEN
    );

    // Bad answers change nothing.
    let before = api.count("SELECT count(*) FROM survey_responses").await;
    for bad in [
        json!({"answers": []}),
        json!({"answers": [{"question_id": qs[0], "rating": 6}]}),
        json!({"answers": [{"question_id": qs[1], "rating": 11}]}),
        json!({"answers": [{"question_id": qs[2], "rating": 3}]}),
        json!({"answers": [{"question_id": Uuid::new_v4(), "rating": 3}]}),
        json!({"answers": [{"question_id": qs[0], "rating": 3}, {"question_id": qs[0], "rating": 4}]}),
    ] {
        let r = api
            .call(Method::POST, &path, Some(&tokens[0]), Some(bad.clone()))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
    }
    assert_eq!(
        api.count("SELECT count(*) FROM survey_responses").await,
        before
    );

    // n - 1 = 2 respondents: every group withheld; the third brings it to n = 3: shown.
    let results = format!("/api/v1/surveys/{id}/results");
    for (i, (l, e)) in [(4, 9), (2, 6)].into_iter().enumerate() {
        let r = api
            .call(Method::POST, &path, Some(&tokens[i]), Some(answers(l, e)))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.body["anonymous"], true);
    }
    let r = api.get(&results, &hr).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for q in &qs {
        let x = question(&r.body, q);
        assert_eq!(
            (x["answers"].clone(), x["withheld"].clone()),
            (json!(2), json!(true)),
            "{x}"
        );
        assert!(x["average"].is_null() && x["distribution"].is_null(), "{x}");
    }
    // Answering twice is refused.
    let r = api
        .call(Method::POST, &path, Some(&tokens[0]), Some(answers(5, 10)))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "already_answered")
    );
    let r = api
        .call(Method::POST, &path, Some(&tokens[2]), Some(answers(3, 3)))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = api.get(&results, &hr).await;
    let x = question(&r.body, &qs[0]);
    assert_eq!(
        (
            x["answers"].clone(),
            x["withheld"].clone(),
            x["average"].clone()
        ),
        (json!(3), json!(false), json!(3.0)),
        "{x}"
    );
    assert_eq!(x["distribution"], json!({"2": 1, "3": 1, "4": 1}));
    assert_eq!(question(&r.body, &qs[1])["average"], json!(6.0));
    // By department: Engineering has 2 of them (withheld), Product 1 (withheld).
    let r = api.get(&format!("{results}?by=department"), &hr).await;
    let by_dept: Vec<&Value> = r.body["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["question_id"] == qs[0])
        .collect();
    assert_eq!(by_dept.len(), 2, "{}", r.body);
    assert!(by_dept.iter().all(|x| x["withheld"] == true), "{}", r.body);
    // The answers name nobody and keep only their day; participations name each person, audited.
    let t = tenant_id(&DEMO_COMPANY);
    assert_eq!(
        api.count(&format!("SELECT count(*) FROM survey_responses WHERE survey_id = '{id}' AND respondent_id IS NULL AND submitted_at = date_trunc('day', submitted_at) AND created_at = date_trunc('day', created_at)")).await,
        9
    );
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM survey_participations WHERE survey_id = '{id}'"
        ))
        .await,
        3
    );
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM audit_log WHERE tenant_id = '{t}' AND table_name = 'survey_participations' AND actor_user_id = '{}'",
            demo_user("raj")
        ))
        .await,
        1
    );
    assert_eq!(
        api.count("SELECT count(*) FROM audit_log WHERE table_name = 'survey_responses'")
            .await,
        0
    );
    // While open, results are HR's; closed, everyone sees the tenant-wide ones (not by department).
    assert_eq!(
        api.get(&results, &tokens[3]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        transition(&api, &hr, &id, "CLOSED").await.status,
        StatusCode::OK
    );
    let r = api.get(&results, &tokens[3]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(question(&r.body, &qs[0])["average"], json!(3.0));
    assert_eq!(
        api.get(&format!("{results}?by=department"), &tokens[3])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = api
        .call(Method::POST, &path, Some(&tokens[3]), Some(answers(5, 10)))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "survey_not_open")
    );
    let r = api.get(&format!("/api/v1/surveys/{id}"), &tokens[0]).await;
    assert_eq!(r.body["answered"], true);
    assert_eq!(
        api.get(&format!("/api/v1/surveys/{id}"), &tokens[3])
            .await
            .body["answered"],
        false
    );

    // The demo's June pulse (anonymous, threshold 3) has 2 answers: withheld; a third shows it.
    let pulse: Uuid = sqlx::query_scalar(
        "SELECT id FROM engagement_surveys WHERE tenant_id = $1 AND survey_type = 'PULSE'",
    )
    .bind(t)
    .fetch_one(&api.db.maintenance)
    .await?;
    let pr = format!("/api/v1/surveys/{pulse}/results");
    let r = api.get(&pr, &hr).await;
    assert_eq!(
        (
            r.body["pulse"]["responses"].clone(),
            r.body["pulse"]["withheld"].clone()
        ),
        (json!(2), json!(true)),
        "{}",
        r.body
    );
    let r = api
        .call(
            Method::POST,
            "/api/v1/pulse",
            Some(&tokens[3]),
            Some(json!({"survey_id": pulse, "mood": 3})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = api.get(&pr, &hr).await;
    assert_eq!(
        (
            r.body["pulse"]["responses"].clone(),
            r.body["pulse"]["withheld"].clone(),
            r.body["pulse"]["average"].clone()
        ),
        (json!(3), json!(false), json!(3.0))
    );
    let r = api
        .call(
            Method::POST,
            "/api/v1/pulse",
            Some(&tokens[3]),
            Some(json!({"survey_id": pulse, "mood": 5})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "already_answered")
    );
    for bad in [
        json!({"survey_id": pulse, "mood": 6}),
        json!({"survey_id": id, "mood": 3}),
        json!({"survey_id": Uuid::new_v4(), "mood": 3}),
    ] {
        let r = api
            .call(
                Method::POST,
                "/api/v1/pulse",
                Some(&tokens[0]),
                Some(bad.clone()),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
    }
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM pulse_responses WHERE survey_id = '{pulse}' AND user_id IS NULL"
        ))
        .await,
        3
    );
    // Anonymous pulses name nobody, so they are not in my pulse history.
    assert_eq!(
        api.get("/api/v1/me/pulse", &tokens[3]).await.body["items"],
        json!([])
    );

    // Engagement scores over time, in scope.
    let jane = demo_user("jane");
    let q = format!("/api/v1/engagement/scores?grain=user&subject_id={jane}");
    let r = api.get(&q, &tokens[1]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["scores"][0]["score"], json!(88.0));
    assert!(!r.body["weekly"]["items"].as_array().unwrap().is_empty());
    assert_eq!(api.get(&q, &tokens[0]).await.status, StatusCode::NOT_FOUND);
    let eng: Uuid =
        sqlx::query_scalar("SELECT id FROM departments WHERE tenant_id = $1 AND code = 'ENG'")
            .bind(t)
            .fetch_one(&api.db.maintenance)
            .await?;
    let mgr = api.login("manager").await;
    let r = api
        .get(
            &format!("/api/v1/engagement/scores?grain=department&subject_id={eng}"),
            &mgr,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["scores"][0]["score"], json!(72.0));
    assert_eq!(
        api.get(
            &format!("/api/v1/engagement/scores?grain=department&subject_id={eng}"),
            &tokens[0]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    Ok(())
}
