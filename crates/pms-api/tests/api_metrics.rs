//! Time-series over the API: NDJSON ingestion with the checks of `pms metrics ingest`, each
//! line accepted or rejected with its reason, nothing written when no line is accepted; a
//! person's recent metrics and engagement trend; daily and monthly rollups of a person, team,
//! department and the tenant, each in the caller's scope (404 outside it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, tenant_id, user_id};
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

async fn post_ndjson(api: &Api, token: &str, body: &str, content_type: &str) -> common::Resp {
    let r = api
        .client
        .post(format!("{}/api/v1/metrics", api.base))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    common::Resp {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

fn line(tenant: Uuid, user: Uuid, metric: &str, value: Value, at: &str) -> String {
    json!({"tenant_id": tenant, "user_id": user, "metric_name": metric, "value": value, "recorded_at": at}).to_string()
}

async fn sample_count(api: &Api, token: &str, query: &str) -> (StatusCode, i64) {
    let r = api
        .get(&format!("/api/v1/metrics/rollups?{query}"), token)
        .await;
    let n = r.body["items"]
        .as_array()
        .map(|a| a.iter().map(|b| b["sample_count"].as_i64().unwrap()).sum())
        .unwrap_or(-1);
    (r.status, n)
}

#[tokio::test]
async fn ingestion_reads_and_scopes() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let t = tenant_id(&DEMO_COMPANY);
    let eli = demo_user("employee");
    let hr = api.login("admin").await;
    let mgr = api.login("manager").await;
    let own = api.login("employee").await;
    let lena = api.login("lena").await;
    let ceo = api.login("ceo").await;
    // Times relative to the database's clock, so that nothing depends on today's date.
    let now: OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&api.db.maintenance)
        .await?;
    let at = |days: i64| (now - time::Duration::days(days)).format(&Rfc3339).unwrap();
    let day2 = (now - time::Duration::days(2)).date();
    let window = format!("from={}&to={}", day2, day2.next_day().unwrap());
    let user_q = format!("rollup=daily&grain=user&subject_id={eli}&metric=productivity&{window}");
    let (_, before) = sample_count(&api, &mgr, &user_q).await;

    let acme = tenant_id(&SECOND_TENANT);
    let body = [
        line(t, eli, "productivity", json!(42.5), &at(2)),
        line(t, eli, "engagement_score", json!(77), &at(1)),
        "not json".to_string(),
        String::new(),
        line(t, eli, "mood_score", json!(1), &at(1)),
        line(
            acme,
            user_id(&SECOND_TENANT, "employee"),
            "productivity",
            json!(1),
            &at(1),
        ),
        line(t, Uuid::new_v4(), "productivity", json!(1), &at(1)),
        line(t, eli, "productivity", json!(1), "2999-01-01T00:00:00Z"),
        line(t, eli, "productivity", json!(1), "1969-12-31T00:00:00Z"),
        line(t, eli, "productivity", json!("abc"), &at(1)),
        line(t, eli, "productivity", json!(1), "yesterday"),
    ]
    .join("\n");
    let r = post_ndjson(&api, &hr, &body, "application/x-ndjson").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.body["lines"].clone(),
            r.body["accepted"].clone(),
            r.body["rejected"].clone()
        ),
        (json!(10), json!(2), json!(8))
    );
    assert_eq!(
        r.body["by_table"],
        json!({"engagement_metrics_ts": 1, "performance_metrics_ts": 1})
    );
    let results = r.body["results"].as_array().unwrap();
    let reason = |n: u64| {
        results
            .iter()
            .find(|x| x["line"] == json!(n))
            .map(|x| {
                (
                    x["status"].as_str().unwrap().to_string(),
                    x["reason"].as_str().unwrap_or("").to_string(),
                )
            })
            .unwrap()
    };
    assert_eq!(reason(1).0, "accepted");
    assert_eq!(reason(2).0, "accepted");
    for (n, words) in [
        (3, "not valid JSON"),
        (5, "is not registered"),
        (6, &format!("tenant {acme} does not exist")),
        (7, "does not exist in tenant"),
        (8, "is in the future"),
        (9, "is before 1970"),
        (10, "value is missing or not a number"),
        (11, "not an RFC 3339 time"),
    ] {
        let (status, why) = reason(n);
        assert_eq!(status, "rejected", "line {n}");
        assert!(why.contains(words), "line {n}: {why}");
    }
    assert!(
        results.iter().all(|x| x["line"] != json!(4)),
        "blank lines are skipped"
    );
    // Loaded, and the upload is recorded and audited with its sender.
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM performance_metrics_ts WHERE user_id = '{eli}' AND value = 42.5 AND metric_name = 'productivity'"
        ))
        .await,
        1
    );
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM engagement_metrics_ts WHERE user_id = '{eli}' AND value = 77"
        ))
        .await,
        1
    );
    let ingestion = r.body["ingestion_id"].as_str().unwrap();
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM audit_log WHERE table_name = 'metric_ingestions' AND row_id = '{ingestion}' AND actor_user_id = '{}'",
            demo_user("admin")
        ))
        .await,
        1
    );
    // The rollup's live tail shows the new point at once.
    let (status, after) = sample_count(&api, &mgr, &user_q).await;
    assert_eq!((status, after), (StatusCode::OK, before + 1));

    // Nothing accepted: 422 naming each line, and nothing written at all.
    let points = api
        .count("SELECT count(*) FROM performance_metrics_ts")
        .await;
    let uploads = api.count("SELECT count(*) FROM metric_ingestions").await;
    let bad = [
        line(t, eli, "mood_score", json!(1), &at(1)),
        "{}".to_string(),
    ]
    .join("\n");
    let r = post_ndjson(&api, &hr, &bad, "application/x-ndjson").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "no_line_accepted"),
        "{}",
        r.body
    );
    assert_eq!(r.body["error"]["fields"][1]["path"], "line 2");
    let ok = line(t, eli, "productivity", json!(1), &at(1));
    for (tok, ct, want) in [
        (&mgr, "application/x-ndjson", StatusCode::FORBIDDEN),
        (&hr, "application/json", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ] {
        assert_eq!(post_ndjson(&api, tok, &ok, ct).await.status, want);
    }
    assert_eq!(
        post_ndjson(&api, &hr, "\n\n", "application/x-ndjson")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        api.count("SELECT count(*) FROM performance_metrics_ts")
            .await,
        points
    );
    assert_eq!(
        api.count("SELECT count(*) FROM metric_ingestions").await,
        uploads
    );

    // A person's recent metrics and engagement trend: the person, their chain, HR.
    let recent = format!("/api/v1/people/{eli}/metrics/recent?days=3");
    for tok in [&own, &mgr, &hr] {
        let r = api.get(&recent, tok).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["value"] == json!(42.5)),
            "{}",
            r.body
        );
    }
    let trend = format!("/api/v1/people/{eli}/engagement/trend?days=60");
    let r = api.get(&trend, &mgr).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        ["UP", "DOWN", "STABLE"].contains(&r.body["trend"].as_str().unwrap()),
        "{}",
        r.body
    );
    assert!(r.body["days_with_data"].as_i64().unwrap() >= 2);
    for p in [&recent, &trend] {
        assert_eq!(api.get(p, &lena).await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        api.get(&format!("/api/v1/people/{eli}/metrics/recent?days=0"), &mgr)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // Rollups by grain, each in scope or 404.
    let team: Uuid =
        sqlx::query_scalar("SELECT id FROM teams WHERE tenant_id = $1 AND code = 'PLATFORM'")
            .bind(t)
            .fetch_one(&api.db.maintenance)
            .await?;
    let eng: Uuid =
        sqlx::query_scalar("SELECT id FROM departments WHERE tenant_id = $1 AND code = 'ENG'")
            .bind(t)
            .fetch_one(&api.db.maintenance)
            .await?;
    let cases: Vec<(String, Vec<&String>, Vec<&String>)> = vec![
        (
            format!("rollup=daily&grain=user&subject_id={eli}"),
            vec![&own, &mgr, &hr, &ceo],
            vec![&lena],
        ),
        (
            format!("rollup=monthly&grain=team&subject_id={team}"),
            vec![&mgr, &hr, &ceo],
            vec![&own, &lena],
        ),
        (
            format!("rollup=daily&grain=department&subject_id={eng}"),
            vec![&mgr, &hr, &ceo],
            vec![&own, &lena],
        ),
        (
            "rollup=monthly&grain=tenant".to_string(),
            vec![&hr, &ceo],
            vec![&own, &mgr, &lena],
        ),
        (
            format!("rollup=engagement_weekly&grain=tenant&subject_id={t}"),
            vec![&hr],
            vec![&mgr],
        ),
        (
            format!("rollup=daily&grain=tenant&subject_id={acme}"),
            vec![],
            vec![&hr],
        ),
    ];
    for (q, yes, no) in &cases {
        for tok in yes {
            let (status, n) = sample_count(&api, tok, q).await;
            assert_eq!(status, StatusCode::OK, "{q}");
            assert!(n > 0, "{q}: {n}");
        }
        for tok in no {
            assert_eq!(
                sample_count(&api, tok, q).await.0,
                StatusCode::NOT_FOUND,
                "{q}"
            );
        }
    }
    for q in [
        "rollup=weekly&grain=user",
        "rollup=daily&grain=planet",
        "rollup=daily&grain=team",
        "rollup=daily&grain=tenant&from=soon",
    ] {
        assert_eq!(
            sample_count(&api, &hr, q).await.0,
            StatusCode::BAD_REQUEST,
            "{q}"
        );
    }
    Ok(())
}
