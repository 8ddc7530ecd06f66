//! Reports, part F, on the demo tenant as `pms_app` through the API: report definitions and
//! schedules changed (`If-Match`, 412 on a lost update) and deleted by their owner only, what
//! a deletion takes with it (the database's rule, also when the row is changed in SQL), and
//! the report types of the schema that part E did not generate, each downloaded and its
//! figures checked against direct SQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, Resp, demo_user};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

fn fields(r: &Resp) -> Vec<String> {
    let mut f: Vec<String> = r.body["error"]["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["path"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    f.sort();
    f
}

async fn delete_if(api: &Api, path: &str, token: &str, etag: Option<&str>) -> Resp {
    let h: Vec<(&str, &str)> = etag.map(|e| vec![("If-Match", e)]).unwrap_or_default();
    api.call_with(Method::DELETE, path, Some(token), None, &h)
        .await
}

#[tokio::test]
async fn definitions_and_schedules_are_changed_and_deleted_by_their_owner() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let mgr = api.login("manager").await;
    let hr = api.login("admin").await;
    let eli = api.login("employee").await;
    let acme = api.login_acme("admin").await;

    let r = api
        .post(
            "/api/v1/reports/definitions",
            &mgr,
            json!({"name": "Team week", "report_type": "WEEKLY_SUMMARY"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let def = r.id();
    let tag = r.etag();
    let path = format!("/api/v1/reports/definitions/{def}");
    let r = api
        .post(
            "/api/v1/reports/definitions",
            &mgr,
            json!({"name": "Team month", "report_type": "MONTHLY_PERFORMANCE_CARD"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // Bad changes: every bad field named, nothing written.
    let before = api.row_text("report_definitions", def).await;
    let r = api
        .patch(
            &path,
            &mgr,
            json!({"name": " ", "report_type": "NOPE", "definition": {"period": "week"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(fields(&r), ["name", "report_type"]);
    let r = api
        .patch(&path, &mgr, json!({"definition": {"period": "week"}}))
        .await;
    assert_eq!(fields(&r), ["definition.period"], "{}", r.body);
    let r = api
        .patch(
            &path,
            &mgr,
            json!({"definition": {"columns": ["feedback_given"]}}),
        )
        .await;
    assert_eq!(fields(&r), ["definition.columns"], "{}", r.body);
    let r = api.patch(&path, &mgr, json!({"name": "Team month"})).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "already_exists")
    );
    // Not theirs: 404 to whoever may not see it, 403 to HR (who reads every report).
    assert_eq!(
        api.patch(&path, &eli, json!({"name": "x"})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.patch(&path, &acme, json!({"name": "x"})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.patch(&path, &hr, json!({"name": "x"})).await.status,
        StatusCode::FORBIDDEN
    );
    // A lost update: 412.
    let r = api
        .patch_if(&path, &mgr, json!({"name": "Stale"}), "\"1\"")
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
    assert_eq!(api.row_text("report_definitions", def).await, before);

    // The owner changes name, type, parameters and sharing at once.
    let r = api
        .patch_if(
            &path,
            &mgr,
            json!({"name": " Team fortnight ", "report_type": "PERIOD_COMPARISON",
                   "definition": {"period": "week"}, "is_shared": true}),
            &tag,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.body["name"].as_str(),
            r.body["report_type"].as_str(),
            r.body["definition"]["period"].as_str(),
            r.body["is_shared"].as_bool()
        ),
        (
            Some("Team fortnight"),
            Some("PERIOD_COMPARISON"),
            Some("week"),
            Some(true)
        )
    );
    let tag = r.etag();
    // Shared now: Eli reads and runs it, and still may not change or delete it.
    assert_eq!(api.get(&path, &eli).await.status, StatusCode::OK);
    assert_eq!(
        api.patch(&path, &eli, json!({"name": "x"})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        delete_if(&api, &path, &eli, None).await.status,
        StatusCode::FORBIDDEN
    );

    // Schedules: changed by the report's owner only, the next run following the cron.
    let r = api
        .post(
            "/api/v1/reports/schedules",
            &mgr,
            json!({"report_id": def, "cron": "0 6 * * MON"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let sched = r.id();
    let stag = r.etag();
    let spath = format!("/api/v1/reports/schedules/{sched}");
    let sbefore = api.row_text("report_schedules", sched).await;
    let r = api
        .patch(
            &spath,
            &mgr,
            json!({"cron": "0 0 31 2 *", "format": "XLSX", "recipients": ["nope"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(fields(&r), ["cron", "format", "recipients[0]"]);
    for (token, want) in [
        (&hr, StatusCode::FORBIDDEN),
        (&eli, StatusCode::NOT_FOUND),
        (&acme, StatusCode::NOT_FOUND),
    ] {
        assert_eq!(
            api.patch(&spath, token, json!({"cron": "0 7 * * TUE"}))
                .await
                .status,
            want
        );
        assert_eq!(delete_if(&api, &spath, token, None).await.status, want);
    }
    let r = api
        .patch_if(&spath, &mgr, json!({"cron": "0 7 * * TUE"}), "\"1\"")
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(api.row_text("report_schedules", sched).await, sbefore);
    let r = api
        .patch_if(
            &spath,
            &mgr,
            json!({"cron": "0  7 * * TUE", "format": "JSON", "recipients": ["Morgan@Demo.pms-platform.local"]}),
            &stag,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["cron"], "0 7 * * TUE");
    assert_eq!(r.body["format"], "JSON");
    assert_eq!(
        r.body["recipients"],
        json!(["morgan@demo.pms-platform.local"])
    );
    let next: time::OffsetDateTime = time::OffsetDateTime::parse(
        r.body["next_run_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )?;
    assert_eq!(
        (next.weekday(), next.hour(), next.minute()),
        (time::Weekday::Tuesday, 7, 0),
        "the next run follows the new cron"
    );

    // Runs: the schedule's, the manager's and Eli's (of the shared report), computed.
    api.exec(&format!(
        "UPDATE report_schedules SET next_run_at = '2031-03-18 07:00Z' WHERE id = '{sched}'"
    ))
    .await;
    let gen_path = format!("{path}/generate");
    let r = api
        .post(&gen_path, &mgr, json!({"as_of": "2031-03-20"}))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let mgr_run: Uuid = r.id();
    let r = api
        .post(&gen_path, &eli, json!({"as_of": "2031-03-20"}))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let eli_run: Uuid = r.id();
    let job = api.run_report_job("2031-03-18T07:01:00Z").await;
    assert!(job["scheduled"].as_i64().unwrap() >= 1, "{job}");
    let scheduled: Uuid = api
        .text(&format!(
            "SELECT id::text FROM generated_reports WHERE schedule_id = '{sched}'"
        ))
        .await
        .parse()?;

    // Deleting the schedule: it runs no more; its run stays, as a requested one.
    let r = delete_if(&api, &spath, &mgr, Some("\"1\"")).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let cur = api.get(&spath, &mgr).await.etag();
    let r = delete_if(&api, &spath, &mgr, Some(&cur)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(api.get(&spath, &mgr).await.status, StatusCode::NOT_FOUND);
    let r = api
        .get(&format!("/api/v1/reports/generated/{scheduled}"), &mgr)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["schedule_id"].clone(), r.body["status"].as_str()),
        (Value::Null, Some("SUCCEEDED"))
    );
    assert!(
        api.audited("report_schedules", sched, demo_user("manager"))
            .await
            >= 2
    );

    // Deleting the definition: HR and Eli may not; a stale version is 412; the owner's
    // deletion takes every run of it (Eli's too) and its schedules.
    let r = api
        .post(
            "/api/v1/reports/schedules",
            &mgr,
            json!({"report_id": def, "cron": "0 6 1 * *"}),
        )
        .await;
    let sched2 = r.id();
    // Eli shows the shared report on a dashboard of his.
    let r = api
        .post("/api/v1/dashboards", &eli, json!({"name": "Eli's board"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let board = r.id();
    let r = api
        .post(
            &format!("/api/v1/dashboards/{board}/widgets"),
            &eli,
            json!({"widget_type": "TABLE", "title": "Team", "report_id": def}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["widgets"][0]["report_id"], json!(def));
    assert_eq!(
        delete_if(&api, &path, &hr, None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        delete_if(&api, &path, &mgr, Some("\"1\"")).await.status,
        StatusCode::PRECONDITION_FAILED
    );
    let runs = format!("SELECT count(*) FROM generated_reports WHERE report_id = '{def}'");
    assert_eq!(api.count(&runs).await, 3);
    let r = delete_if(&api, &path, &mgr, Some(&tag)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(api.count(&runs).await, 0);
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM report_schedules WHERE report_id = '{def}'"
        ))
        .await,
        0
    );
    for run in [mgr_run, eli_run, scheduled] {
        assert!(
            api.count(&format!(
                "SELECT count(*) FROM audit_log WHERE table_name = 'generated_reports' AND row_id = '{run}'
                    AND operation = 'DELETE' AND actor_user_id = '{}'",
                demo_user("manager")
            ))
            .await
                == 1,
            "the run's deletion is audited as the manager's"
        );
    }
    assert_eq!(
        api.audited("report_schedules", sched2, demo_user("manager"))
            .await,
        2
    );
    for t in [&mgr, &eli, &hr] {
        assert_eq!(api.get(&path, t).await.status, StatusCode::NOT_FOUND);
    }
    let r = api.get(&format!("/api/v1/dashboards/{board}"), &eli).await;
    assert_eq!(r.body["widgets"].as_array().unwrap().len(), 1, "{}", r.body);
    assert!(
        r.body["widgets"][0]["report_id"].is_null(),
        "the widget stays, without the report: {}",
        r.body
    );
    assert_eq!(
        api.patch(&path, &mgr, json!({"name": "Back"})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        delete_if(&api, &path, &mgr, None).await.status,
        StatusCode::NOT_FOUND
    );
    // The name is free again.
    let r = api
        .post(
            "/api/v1/reports/definitions",
            &mgr,
            json!({"name": "Team fortnight", "report_type": "WEEKLY_SUMMARY"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let again = r.id();

    // The rule is the database's: a deletion written in SQL as the owner takes the schedule
    // and the run too, and a deleted report cannot be brought back.
    let r = api
        .post(
            "/api/v1/reports/schedules",
            &mgr,
            json!({"report_id": again, "cron": "0 6 * * MON"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = api
        .post(
            &format!("/api/v1/reports/definitions/{again}/generate"),
            &mgr,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    api.as_app(
        demo_user("manager"),
        &format!("UPDATE report_definitions SET deleted_at = now() WHERE id = '{again}'"),
    )
    .await
    .unwrap();
    assert_eq!(
        api.count(&format!(
            "SELECT (SELECT count(*) FROM report_schedules WHERE report_id = '{again}')
                  + (SELECT count(*) FROM generated_reports WHERE report_id = '{again}')"
        ))
        .await,
        0
    );
    let undo = api
        .as_app(
            demo_user("manager"),
            &format!("UPDATE report_definitions SET deleted_at = NULL WHERE id = '{again}'"),
        )
        .await;
    assert!(undo.is_err(), "a deleted report stays deleted");
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM report_definitions WHERE id = '{again}' AND deleted_at IS NOT NULL"
        ))
        .await,
        1
    );
    api.finish().await;
    Ok(())
}

/// A generated report's rows as `{column: value}`, downloaded as JSON, with its CSV's header.
async fn generate(
    api: &Api,
    token: &str,
    kind: &str,
    definition: Value,
    (start, end): (&str, &str),
) -> (Vec<String>, Vec<serde_json::Map<String, Value>>, String) {
    let r = api
        .post(
            "/api/v1/reports/definitions",
            token,
            json!({"name": format!("{kind} {}", Uuid::new_v4()), "report_type": kind, "definition": definition}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{kind}: {}", r.body);
    let def = r.id();
    let r = api
        .post(
            &format!("/api/v1/reports/definitions/{def}/generate"),
            token,
            json!({"format": "JSON", "period_start": start, "period_end": end}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{kind}: {}", r.body);
    let run = r.id();
    api.run_report_job("2031-06-02T00:00:00Z").await;
    let r = api
        .get(&format!("/api/v1/reports/generated/{run}"), token)
        .await;
    assert_eq!(r.body["status"], "SUCCEEDED", "{kind}: {}", r.body);
    let download = format!("/api/v1/reports/generated/{run}/download");
    let (status, _, doc) = api.download(&download, token, None).await;
    assert_eq!(status, StatusCode::OK, "{kind}: {doc}");
    let doc: Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(doc["report_type"], kind);
    let columns: Vec<String> = serde_json::from_value(doc["columns"].clone()).unwrap();
    let rows: Vec<serde_json::Map<String, Value>> =
        serde_json::from_value(doc["rows"].clone()).unwrap();
    assert_eq!(
        r.body["row_count"].as_u64(),
        Some(rows.len() as u64),
        "{kind}"
    );
    let (status, ct, csv) = api
        .download(&format!("{download}?format=csv"), token, None)
        .await;
    assert_eq!(
        (status, ct.as_str()),
        (StatusCode::OK, "text/csv; charset=utf-8")
    );
    assert_eq!(
        csv.split("\r\n").filter(|l| !l.is_empty()).count(),
        rows.len() + 1,
        "{kind}: a header and a line per row"
    );
    let header = csv.split("\r\n").next().unwrap().to_string();
    assert_eq!(header, columns.join(","), "{kind}");
    (columns, rows, header)
}

/// A number of a report row (JSON numbers, or null).
fn num(row: &serde_json::Map<String, Value>, col: &str) -> Option<f64> {
    row.get(col).and_then(Value::as_f64)
}

/// `person_id -> value` by direct SQL (as maintenance) over the demo company's people.
async fn by_person(api: &Api, sql: &str) -> BTreeMap<String, Option<f64>> {
    let rows: Vec<(Uuid, Option<f64>)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&api.db.maintenance)
        .await
        .unwrap();
    rows.into_iter().map(|(p, v)| (p.to_string(), v)).collect()
}

#[tokio::test]
async fn every_report_type_of_the_schema_is_generated_with_figures_as_direct_sql_finds()
-> anyhow::Result<()> {
    let api = Api::start().await?;
    let hr = api.login("admin").await;
    let mgr = api.login("manager").await;
    let t = pms_seed::demo_tenants::tenant_id(&pms_seed::demo_tenants::DEMO_COMPANY);
    let (eli, jane, raj) = (demo_user("employee"), demo_user("jane"), demo_user("raj"));
    let lena = demo_user("lena");
    let (cycle, reviews) = api.calibration_cycle("Report calibration").await;
    let session = Uuid::new_v4();
    api.exec(&format!(
        "INSERT INTO feedback (tenant_id, giver_id, recipient_id, feedback_type, visibility, body, created_at) VALUES
           ('{t}', '{jane}', '{eli}', 'PRAISE', 'PUBLIC', 'Thanks.', '2031-05-03 10:00Z'),
           ('{t}', '{raj}', '{eli}', 'CONSTRUCTIVE', 'MANAGER', 'Next time.', '2031-05-04 10:00Z'),
           ('{t}', '{raj}', '{eli}', 'RECOGNITION', 'PUBLIC', 'Well done.', '2031-05-31 23:59Z'),
           ('{t}', '{eli}', '{jane}', 'SUGGESTION', 'MANAGER', 'Try this.', '2031-05-20 10:00Z'),
           ('{t}', '{raj}', '{jane}', 'REQUEST', 'PRIVATE', 'Your view?', '2031-05-21 10:00Z'),
           ('{t}', '{jane}', '{eli}', 'PRAISE', 'PUBLIC', 'Outside.', '2031-06-01 00:00Z');
         INSERT INTO engagement_scores (tenant_id, user_id, period_start, driver, score) VALUES
           ('{t}', '{eli}', '2031-05-01', 'overall', 70), ('{t}', '{eli}', '2031-05-15', 'overall', 81),
           ('{t}', '{eli}', '2031-05-15', 'recognition', 20), ('{t}', '{eli}', '2031-06-01', 'overall', 10);
         INSERT INTO pulse_responses (tenant_id, user_id, mood, responded_at) VALUES
           ('{t}', '{eli}', 4, '2031-05-02 09:00Z'), ('{t}', '{eli}', 5, '2031-05-09 09:00Z'),
           ('{t}', '{jane}', 2, '2031-04-30 23:59Z');
         INSERT INTO compensation_decisions (tenant_id, employee_id, decided_by, decision_type, status, currency,
                                             current_amount, proposed_amount, effective_date) VALUES
           ('{t}', '{eli}', '{mgr_id}', 'MERIT_INCREASE', 'PROPOSED', 'EUR', 50000, 52000, '2031-05-15'),
           ('{t}', '{lena}', '{mgr_id}', 'BONUS', 'PROPOSED', 'EUR', NULL, 3000, '2031-05-20'),
           ('{t}', '{jane}', '{mgr_id}', 'MERIT_INCREASE', 'PROPOSED', 'EUR', 60000, 61000, '2031-07-01');
         INSERT INTO calibration_sessions (tenant_id, id, cycle_id, name, status, scheduled_at)
           VALUES ('{t}', '{session}', '{cycle}', 'May calibration', 'IN_PROGRESS', '2031-05-10 09:00Z');
         INSERT INTO calibration_ratings (tenant_id, session_id, review_id, employee_id, original_rating, adjusted_rating, rationale, status) VALUES
           ('{t}', '{session}', '{r0}', '{jane}', 4.0, 3.5, 'Calibrated against peers', 'ACCEPTED'),
           ('{t}', '{session}', '{r1}', '{eli}', 3.0, NULL, NULL, 'PROPOSED'),
           ('{t}', '{session}', '{r2}', '{raj}', 2.0, 2.5, 'Strong second half', 'ACCEPTED');",
        mgr_id = demo_user("manager"),
        r0 = reviews[0],
        r1 = reviews[1],
        r2 = reviews[2],
    ))
    .await;
    let may = ("2031-05-01", "2031-05-31");
    let people = "SELECT u.id FROM users u WHERE u.tenant_id = '{t}' AND u.deleted_at IS NULL AND u.status <> 'TERMINATED'"
        .replace("{t}", &t.to_string());
    let n_people = api
        .count(&format!("SELECT count(*) FROM ({people}) p"))
        .await as usize;
    let in_may = "created_at >= '2031-05-01 00:00Z' AND created_at < '2031-06-01 00:00Z' AND deleted_at IS NULL";

    // FEEDBACK_ACTIVITY: per type, against counts of the feedback table.
    let (cols, rows, _) = generate(&api, &hr, "FEEDBACK_ACTIVITY", json!({}), may).await;
    assert_eq!(
        cols,
        [
            "person_id",
            "name",
            "department",
            "feedback_received",
            "praise_received",
            "recognition_received",
            "constructive_received",
            "suggestion_received",
            "feedback_requested",
            "feedback_given"
        ]
    );
    assert_eq!(rows.len(), n_people);
    for (col, filter, who) in [
        ("feedback_received", "true", "recipient_id"),
        (
            "praise_received",
            "feedback_type = 'PRAISE'",
            "recipient_id",
        ),
        (
            "recognition_received",
            "feedback_type = 'RECOGNITION'",
            "recipient_id",
        ),
        (
            "constructive_received",
            "feedback_type = 'CONSTRUCTIVE'",
            "recipient_id",
        ),
        (
            "suggestion_received",
            "feedback_type = 'SUGGESTION'",
            "recipient_id",
        ),
        (
            "feedback_requested",
            "feedback_type = 'REQUEST'",
            "recipient_id",
        ),
        ("feedback_given", "true", "giver_id"),
    ] {
        let want = by_person(
            &api,
            &format!(
                "SELECT p.id, (SELECT count(*) FROM feedback f WHERE f.{who} = p.id AND {filter} AND f.{in_may})::float8
                   FROM ({people}) p"
            ),
        )
        .await;
        for row in &rows {
            let p = row["person_id"].as_str().unwrap();
            assert_eq!(num(row, col), want[p], "{col} of {p}");
        }
    }
    let eli_row = rows.iter().find(|r| r["person_id"] == json!(eli)).unwrap();
    assert_eq!(
        (
            num(eli_row, "feedback_received"),
            num(eli_row, "praise_received")
        ),
        (Some(3.0), Some(1.0)),
        "the feedback of 1 June is outside May"
    );

    // ENGAGEMENT: the latest overall score, May's average, May's pulse answers.
    let (cols, rows, _) = generate(&api, &hr, "ENGAGEMENT", json!({}), may).await;
    assert_eq!(
        cols[3..],
        [
            "engagement_score",
            "avg_engagement_in_period",
            "pulse_responses",
            "avg_pulse_mood"
        ]
    );
    for (col, sql) in [
        (
            "avg_engagement_in_period",
            "SELECT p.id, (SELECT round(avg(score), 2)::float8 FROM engagement_scores e WHERE e.user_id = p.id AND e.driver = 'overall'
                              AND e.period_start BETWEEN '2031-05-01' AND '2031-05-31') FROM ({people}) p",
        ),
        (
            "pulse_responses",
            "SELECT p.id, (SELECT count(*)::float8 FROM pulse_responses r WHERE r.user_id = p.id
                              AND r.responded_at >= '2031-05-01 00:00Z' AND r.responded_at < '2031-06-01 00:00Z') FROM ({people}) p",
        ),
        (
            "avg_pulse_mood",
            "SELECT p.id, (SELECT round(avg(mood), 2)::float8 FROM pulse_responses r WHERE r.user_id = p.id
                              AND r.responded_at >= '2031-05-01 00:00Z' AND r.responded_at < '2031-06-01 00:00Z') FROM ({people}) p",
        ),
        (
            "engagement_score",
            "SELECT p.id, (SELECT score::float8 FROM engagement_scores e WHERE e.user_id = p.id AND e.driver = 'overall'
                              AND e.period_start <= '2031-05-31' ORDER BY e.period_start DESC, e.id DESC LIMIT 1) FROM ({people}) p",
        ),
    ] {
        let want = by_person(&api, &sql.replace("{people}", &people)).await;
        for row in &rows {
            let p = row["person_id"].as_str().unwrap();
            assert_eq!(num(row, col), want[p], "{col} of {p}");
        }
    }
    let eli_row = rows.iter().find(|r| r["person_id"] == json!(eli)).unwrap();
    assert_eq!(
        (
            num(eli_row, "engagement_score"),
            num(eli_row, "avg_engagement_in_period"),
            num(eli_row, "pulse_responses"),
            num(eli_row, "avg_pulse_mood")
        ),
        (Some(81.0), Some(75.5), Some(2.0), Some(4.5))
    );

    // COMPENSATION: one row per decision effective in May, with the change in percent.
    let (cols, rows, _) = generate(&api, &hr, "COMPENSATION", json!({}), may).await;
    assert_eq!(cols[0], "decision_id");
    let want = api
        .count(&format!(
            "SELECT count(*) FROM compensation_decisions WHERE tenant_id = '{t}' AND effective_date BETWEEN '2031-05-01' AND '2031-05-31'"
        ))
        .await;
    assert_eq!(rows.len() as i64, want);
    let eli_row = rows
        .iter()
        .find(|r| r["person_id"] == json!(eli) && r["effective_date"] == "2031-05-15")
        .unwrap();
    assert_eq!(
        (
            num(eli_row, "current_amount"),
            num(eli_row, "proposed_amount"),
            num(eli_row, "change_percent")
        ),
        (Some(50000.0), Some(52000.0), Some(4.0))
    );
    let lena_row = rows.iter().find(|r| r["person_id"] == json!(lena)).unwrap();
    assert!(lena_row["change_percent"].is_null(), "no current amount");
    assert!(
        !rows.iter().any(|r| r["person_id"] == json!(jane)),
        "July is outside May"
    );
    // The manager's run: only the decisions of his people that he may see.
    let (_, mine, _) = generate(&api, &mgr, "COMPENSATION", json!({}), may).await;
    assert!(!mine.is_empty());
    for r in &mine {
        let p: Uuid = r["person_id"].as_str().unwrap().parse()?;
        assert_eq!(
            api.count(&format!(
                "SELECT count(*) FROM reporting_chain WHERE ancestor_id = '{}' AND descendant_id = '{p}' AND depth > 0",
                demo_user("manager")
            ))
            .await,
            1,
            "{p} is below the manager"
        );
    }

    // CALIBRATION: the session held in May, original, calibrated and the change.
    let (cols, rows, _) = generate(&api, &hr, "CALIBRATION", json!({}), may).await;
    assert_eq!(
        cols,
        [
            "session_id",
            "session",
            "person_id",
            "name",
            "department",
            "original_rating",
            "calibrated_rating",
            "change",
            "status"
        ]
    );
    let want: Vec<(Uuid, f64, f64)> = sqlx::query_as(
        "SELECT employee_id, original_rating::float8, coalesce(adjusted_rating, original_rating)::float8
           FROM calibration_ratings WHERE session_id = $1",
    )
    .bind(session)
    .fetch_all(&api.db.maintenance)
    .await?;
    let ours: Vec<_> = rows
        .iter()
        .filter(|r| r["session_id"] == json!(session))
        .collect();
    assert_eq!(ours.len(), want.len());
    for (p, orig, cal) in want {
        let r = ours.iter().find(|r| r["person_id"] == json!(p)).unwrap();
        assert_eq!(
            (
                num(r, "original_rating"),
                num(r, "calibrated_rating"),
                num(r, "change")
            ),
            (Some(orig), Some(cal), Some(cal - orig)),
            "{p}"
        );
    }

    // PERFORMANCE_SUMMARY and CUSTOM: the per-person figures, all or the chosen ones.
    let (cols, rows, _) = generate(&api, &hr, "PERFORMANCE_SUMMARY", json!({}), may).await;
    assert_eq!(cols.len(), 13);
    assert_eq!(rows.len(), n_people);
    let (cols, custom, header) = generate(
        &api,
        &hr,
        "CUSTOM",
        json!({"columns": ["feedback_given", "department", "feedback_received"]}),
        may,
    )
    .await;
    assert_eq!(
        header,
        "person_id,name,feedback_given,department,feedback_received"
    );
    assert_eq!(cols.len(), 5);
    let given = by_person(
        &api,
        &format!(
            "SELECT p.id, (SELECT count(*) FROM feedback f WHERE f.giver_id = p.id AND f.{in_may})::float8 FROM ({people}) p"
        ),
    )
    .await;
    for (summary, chosen) in rows.iter().zip(&custom) {
        assert_eq!(summary["person_id"], chosen["person_id"]);
        let p = chosen["person_id"].as_str().unwrap();
        assert_eq!(num(chosen, "feedback_given"), given[p], "{p}");
        for c in ["feedback_given", "department", "feedback_received"] {
            assert_eq!(summary[c], chosen[c], "{c} of {p}");
        }
    }
    // A custom report's columns are checked, each bad one named; nothing is written.
    let before = api.count("SELECT count(*) FROM report_definitions").await;
    let r = api
        .post(
            "/api/v1/reports/definitions",
            &hr,
            json!({"name": "Bad", "report_type": "CUSTOM", "definition": {"columns": ["salary", "department", "department"]}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        fields(&r),
        ["definition.columns[0]", "definition.columns[2]"]
    );
    let r = api
        .post(
            "/api/v1/reports/definitions",
            &hr,
            json!({"name": "Bad", "report_type": "CUSTOM", "definition": {"columns": []}}),
        )
        .await;
    assert_eq!(fields(&r), ["definition.columns"]);
    let r = api
        .post(
            "/api/v1/reports/definitions",
            &hr,
            json!({"name": "Bad", "report_type": "ENGAGEMENT", "definition": {"columns": ["department"]}}),
        )
        .await;
    assert_eq!(fields(&r), ["definition.columns"]);
    assert_eq!(
        api.count("SELECT count(*) FROM report_definitions").await,
        before
    );
    api.finish().await;
    Ok(())
}
