//! 360 feedback, part F, on the demo tenant as `pms_app` through the API: the list of a
//! closed cycle's reports (each subject's groups, withheld below the threshold as the
//! subject's own report withholds them, shown to the subject, their chain and HR only), and
//! the notification a rater gets when a 360 request is sent to them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

async fn my_request(api: &Api, token: &str, cycle: Uuid) -> Uuid {
    let r = api
        .get(
            &format!("/api/v1/feedback-360/requests?cycle_id={cycle}"),
            token,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["items"][0]["id"].as_str().unwrap().parse().unwrap()
}

/// The items of a list answer that are about `subject`.
fn about(list: &Value, subject: Uuid) -> Vec<&Value> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["subject_id"] == json!(subject))
        .collect()
}

fn group<'a>(item: &'a Value, rel: &str) -> Option<&'a Value> {
    item["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["relationship"] == rel)
}

#[tokio::test]
async fn a_closed_cycles_reports_are_listed_as_each_report_shows_them_and_raters_are_notified()
-> anyhow::Result<()> {
    let api = Api::start().await?;
    let hr = api.login("admin").await;
    let jane = api.login("jane").await;
    let manager = api.login("manager").await;
    let eli = api.login("employee").await;
    let raj = api.login("raj").await;
    let lena = api.login("lena").await;
    let q = api.f360_questionnaire(&hr, "Listed").await;
    // Threshold 2: two peers answer (shown), one manager (withheld), Jane herself (SELF).
    let cycle = api.f360_cycle(&hr, q.id, 2, true).await;
    for (who, rel) in [
        ("jane", "SELF"),
        ("manager", "MANAGER"),
        ("raj", "PEER"),
        ("lena", "PEER"),
    ] {
        let r = api
            .f360_nominate(&jane, cycle, demo_user("jane"), demo_user(who), rel)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = api
            .post(
                &format!("/api/v1/feedback-360/nominations/{}/approve", r.id()),
                &manager,
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let event = "feedback_360.requested";
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM notifications WHERE event = '{event}'"
        ))
        .await,
        0,
        "nothing before the requests are sent"
    );
    // Collecting (HR acts) sends the four requests, and each rater hears of theirs.
    api.f360_move(&hr, cycle, "COLLECTING").await;
    for (who, token) in [
        ("raj", &raj),
        ("lena", &lena),
        ("manager", &manager),
        ("jane", &jane),
    ] {
        let request = my_request(&api, token, cycle).await;
        assert_eq!(
            api.notified(demo_user(who), event, request).await,
            1,
            "{who}"
        );
        let r = api
            .get(&format!("/api/v1/notifications?event={event}"), token)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let n = &r.body["items"][0];
        assert_eq!(n["entity_type"], "feedback_360_request");
        assert_eq!(n["entity_id"], json!(request));
        let title = n["title"].as_str().unwrap();
        if who == "jane" {
            assert_eq!(title, "Your 360 self-assessment is requested");
        } else {
            assert!(title.contains("Jane"), "{title}");
        }
        assert!(
            n["body"].as_str().unwrap().starts_with("Due by 2026-10-01"),
            "{n}"
        );
    }
    // A nomination approved while collecting sends its request at once: Eli hears of it, the
    // manager who approved does not hear of his own act.
    let r = api
        .f360_nominate(
            &jane,
            cycle,
            demo_user("jane"),
            demo_user("employee"),
            "PEER",
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let before = api
        .count(&format!(
            "SELECT count(*) FROM notifications WHERE event = '{event}' AND recipient_id = '{}'",
            demo_user("manager")
        ))
        .await;
    let r = api
        .post(
            &format!("/api/v1/feedback-360/nominations/{}/approve", r.id()),
            &manager,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let eli_request = my_request(&api, &eli, cycle).await;
    assert_eq!(
        api.notified(demo_user("employee"), event, eli_request)
            .await,
        1
    );
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM notifications WHERE event = '{event}' AND recipient_id = '{}'",
            demo_user("manager")
        ))
        .await,
        before
    );
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM notifications WHERE event = '{event}' AND recipient_id = '{}'",
            demo_user("admin")
        ))
        .await,
        0,
        "HR is no rater"
    );
    // The event is one of the preferences.
    let r = api.get("/api/v1/notifications/preferences", &raj).await;
    assert!(
        r.body["preferences"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["event"] == event),
        "{}",
        r.body
    );

    // Answers: the two peers and the manager rate; Eli declines; Jane rates herself.
    for (token, c, t) in [(&raj, 4, 5), (&lena, 3, 3), (&manager, 2, 4), (&jane, 5, 5)] {
        let req = my_request(&api, token, cycle).await;
        let r = api
            .post(
                &format!("/api/v1/feedback-360/requests/{req}/submit"),
                token,
                json!({"answers": [{"question_id": q.collab, "rating": c}, {"question_id": q.tech, "rating": t}]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = api
        .post(
            &format!("/api/v1/feedback-360/requests/{eli_request}/decline"),
            &eli,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = format!("/api/v1/feedback-360/cycles/{cycle}/reports");
    let r = api.get(&list, &hr).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "cycle_phase"),
        "not closed yet"
    );
    api.f360_move(&hr, cycle, "CLOSED").await;

    // HR and Jane's chain: Jane's groups, the manager's withheld (one respondent of two).
    let jane_id = demo_user("jane");
    for token in [&hr, &manager] {
        let r = api.get(&list, token).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let items = about(&r.body, jane_id);
        assert_eq!(items.len(), 1, "{}", r.body);
        let item = items[0];
        assert!(item["subject_name"].as_str().unwrap().contains("Jane"));
        let single = api
            .get(
                &format!("/api/v1/feedback-360/cycles/{cycle}/reports/{jane_id}"),
                token,
            )
            .await;
        assert_eq!(single.status, StatusCode::OK);
        // Each listed group is the subject report's group over every rating question.
        let overall: Vec<&Value> = single.body["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["competency_id"].is_null())
            .collect();
        assert_eq!(item["groups"].as_array().unwrap().len(), overall.len());
        for g in overall {
            let mine = group(item, g["relationship"].as_str().unwrap()).unwrap();
            for k in ["respondent_count", "average_rating", "withheld"] {
                assert_eq!(mine[k], g[k], "{k} of {g}");
            }
        }
        let mgr_group = group(item, "MANAGER").unwrap();
        assert_eq!(mgr_group["withheld"], true);
        assert!(mgr_group["average_rating"].is_null(), "absent, not zero");
        let peers = group(item, "PEER").unwrap();
        assert_eq!(
            (
                peers["withheld"].as_bool(),
                peers["respondent_count"].as_i64()
            ),
            (Some(false), Some(2)),
            "two respondents of two: shown"
        );
        // The peers' average, by direct SQL: their ratings (4, 5, 3, 3).
        assert_eq!(peers["average_rating"].as_f64(), Some(3.75));
        assert_eq!(
            item["withheld_groups"].as_i64(),
            Some(
                item["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|g| g["withheld"] == true)
                    .count() as i64
            )
        );
        assert!(item["withheld_groups"].as_i64().unwrap() >= 1);
    }
    let peer_avg: f64 = sqlx::query_scalar(
        "SELECT avg(r.rating)::float8 FROM feedback_360_responses r
           JOIN feedback_360_requests q ON q.id = r.request_id
           JOIN feedback_360_nominations n ON n.id = q.nomination_id
          WHERE q.cycle_id = $1 AND q.status = 'SUBMITTED' AND n.relationship = 'PEER' AND r.rating IS NOT NULL",
    )
    .bind(cycle)
    .fetch_one(&api.db.maintenance)
    .await?;
    assert!((peer_avg - 3.75).abs() < 1e-9);

    // Jane: her own report, without the withheld group at all.
    let r = api.get(&list, &jane).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", r.body);
    assert!(group(&items[0], "MANAGER").is_none(), "{}", r.body);
    assert!(group(&items[0], "SELF").is_some());
    assert_eq!(items[0]["withheld_groups"], 0);
    // A peer outside her chain, and another tenant: nothing of it.
    let r = api.get(&list, &eli).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["items"].as_array().unwrap().is_empty(), "{}", r.body);
    let acme = api.login_acme("admin").await;
    assert_eq!(api.get(&list, &acme).await.status, StatusCode::NOT_FOUND);
    // Paged: a bad cursor is 400; one subject, no next page.
    assert_eq!(
        api.get(&format!("{list}?cursor=zz"), &hr).await.status,
        StatusCode::BAD_REQUEST
    );
    let r = api.get(&format!("{list}?limit=1"), &hr).await;
    assert!(r.body["next_cursor"].is_null(), "{}", r.body);
    api.finish().await;
    Ok(())
}

#[tokio::test]
async fn a_pip_for_someone_i_may_not_see_is_404_like_a_compensation_decision() -> anyhow::Result<()>
{
    let api = Api::start().await?;
    let eli = api.login("employee").await;
    let mgr = api.login("manager").await;
    let before = api
        .count("SELECT count(*) FROM performance_improvement_plans")
        .await;
    let body = |p: Uuid| json!({"employee_id": p, "reason": "Consistency", "starts_on": "2031-08-10", "ends_on": "2031-10-01"});
    // Unknown, another tenant's, and a peer Eli may not see: 404, as compensation answers.
    for p in [
        Uuid::new_v4(),
        common::acme_user("employee"),
        demo_user("jane"),
    ] {
        let r = api.post("/api/v1/pips", &eli, body(p)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}: {}", r.body);
        let c = api
            .post(
                "/api/v1/compensation-decisions",
                &eli,
                json!({"employee_id": p, "decision_type": "BONUS", "currency": "EUR", "proposed_amount": 1,
                       "effective_date": "2031-01-01"}),
            )
            .await;
        assert_eq!(c.status, r.status, "the same answer for {p}");
    }
    // Himself: he sees himself, and may not open his own PIP (403, as compensation).
    let r = api
        .post("/api/v1/pips", &eli, body(demo_user("employee")))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // His manager may.
    let r = api
        .post("/api/v1/pips", &mgr, body(demo_user("employee")))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        api.count("SELECT count(*) FROM performance_improvement_plans")
            .await,
        before + 1
    );
    api.finish().await;
    Ok(())
}
