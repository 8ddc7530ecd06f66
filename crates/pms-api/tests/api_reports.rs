//! Reports, dashboards and compensation decisions over the API, on the demo tenant: report
//! definitions, schedules and runs computed by the worker's job as their requester (a
//! manager's report covers their team only), downloads as CSV and JSON; dashboard
//! configuration with sharing; the compensation approval workflow, every move allowed and
//! every other refused without a change. Each test reuses one seeded database for its checks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, demo_user};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn fields(r: &common::Resp) -> Vec<String> {
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

fn etag(r: &common::Resp) -> String {
    r.headers["etag"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn reports_are_defined_scheduled_generated_as_their_requester_and_downloaded()
-> anyhow::Result<()> {
    let api = Api::start().await?;
    let mgr = api.login("manager").await;
    let hr = api.login("admin").await;
    let eli = api.login("employee").await;
    let t = pms_seed::demo_tenants::tenant_id(&pms_seed::demo_tenants::DEMO_COMPANY);
    // Names that need CSV quoting and defusing; feedback to Eli in the week reported on, two
    // the manager may see and one private.
    api.exec(&format!(
        "UPDATE users SET last_name = 'Doe, \"JD\"' WHERE id = '{jane}';
         UPDATE users SET first_name = '=Raj' WHERE id = '{raj}';
         INSERT INTO feedback (tenant_id, giver_id, recipient_id, feedback_type, visibility, body, created_at) VALUES
           ('{t}', '{jane}', '{eli}', 'PRAISE', 'MANAGER', 'Thanks.', '2031-03-12 10:00Z'),
           ('{t}', '{raj}', '{eli}', 'PRAISE', 'MANAGER', 'Thanks.', '2031-03-12 10:00Z'),
           ('{t}', '{raj}', '{eli}', 'PRAISE', 'PRIVATE', 'Thanks.', '2031-03-12 10:00Z');",
        jane = demo_user("jane"),
        raj = demo_user("raj"),
        eli = demo_user("employee"),
    ))
    .await;

    // Definitions: validated with every bad field named, and nothing written.
    let before = api.count("SELECT count(*) FROM report_definitions").await;
    let r = api
        .post(
            "/api/v1/reports/definitions",
            &mgr,
            json!({"name": " ", "report_type": "NOPE", "definition": {"period": "week"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(fields(&r), ["definition.period", "name", "report_type"]);
    let r = api
        .post(
            "/api/v1/reports/definitions",
            &mgr,
            json!({"name": "x", "report_type": "WEEKLY_SUMMARY", "definition": {"colour": "red"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        api.count("SELECT count(*) FROM report_definitions").await,
        before
    );
    let r = api
        .post(
            "/api/v1/reports/definitions",
            &mgr,
            json!({"name": "Team week", "report_type": "WEEKLY_SUMMARY"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.headers.contains_key("etag"));
    let week = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["owner_id"], json!(demo_user("manager")));
    let r = api
        .post(
            "/api/v1/reports/definitions",
            &mgr,
            json!({"name": "Team week", "report_type": "QUARTERLY_REVIEW"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "already_exists")
    );
    // An unshared definition is its owner's (and HR's) only.
    let r = api
        .get(&format!("/api/v1/reports/definitions/{week}"), &eli)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = api
        .get(&format!("/api/v1/reports/definitions/{week}"), &hr)
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // A run requested now: validated, queued, mine only; nothing to download until generated.
    let gen_path = format!("/api/v1/reports/definitions/{week}/generate");
    let r = api
        .post(
            &gen_path,
            &mgr,
            json!({"format": "PDF", "period_start": "2031-03-16", "period_end": "2031-03-10"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(fields(&r), ["format", "period_end"]);
    let r = api
        .post(
            &gen_path,
            &mgr,
            json!({"format": "CSV", "period_start": "2031-03-10", "period_end": "2031-03-16"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert_eq!(r.body["status"], "QUEUED");
    let run = r.body["id"].as_str().unwrap().to_string();
    let r = api.post(&gen_path, &eli, json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "not Eli's to run");
    let download = format!("/api/v1/reports/generated/{run}/download");
    let (status, _, body) = api.download(&download, &mgr, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("report_not_ready"));
    let r = api
        .get(&format!("/api/v1/reports/generated/{run}"), &eli)
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a run is its requester's (and HR's)"
    );
    assert_eq!(
        api.download(&download, &eli, None).await.0,
        StatusCode::NOT_FOUND
    );
    let r = api
        .get(&format!("/api/v1/reports/generated/{run}"), &hr)
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // A report shared by HR: Eli runs it, and Eli's run covers Eli only.
    let r = api
        .post(
            "/api/v1/reports/definitions",
            &hr,
            json!({"name": "Quarter", "report_type": "QUARTERLY_REVIEW", "is_shared": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let quarter = r.body["id"].as_str().unwrap().to_string();
    let r = api
        .get(
            "/api/v1/reports/definitions?report_type=QUARTERLY_REVIEW",
            &eli,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == json!(quarter))
    );
    let r = api
        .post(
            &format!("/api/v1/reports/definitions/{quarter}/generate"),
            &eli,
            json!({"format": "JSON", "as_of": "2031-04-02"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert_eq!(
        (
            r.body["period_start"].as_str(),
            r.body["period_end"].as_str()
        ),
        (Some("2031-01-01"), Some("2031-03-31")),
        "the quarter before"
    );
    let eli_run = r.body["id"].as_str().unwrap().to_string();

    // Schedules: the owner's only; a cron that never fires is refused; paused and resumed.
    let r = api
        .post(
            "/api/v1/reports/schedules",
            &mgr,
            json!({"report_id": week, "cron": "0 0 31 2 *"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(fields(&r), ["cron"]);
    let r = api
        .post(
            "/api/v1/reports/schedules",
            &mgr,
            json!({"report_id": week, "cron": "61 * * * *", "format": "XLSX", "recipients": ["nope"]}),
        )
        .await;
    assert_eq!(fields(&r), ["cron", "format", "recipients[0]"]);
    let r = api
        .post(
            "/api/v1/reports/schedules",
            &eli,
            json!({"report_id": quarter, "cron": "0 6 * * MON"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a shared report is scheduled by its owner"
    );
    let r = api
        .post(
            "/api/v1/reports/schedules",
            &mgr,
            json!({"report_id": week, "cron": "0  6 * *  MON", "format": "JSON", "recipients": ["morgan@demo.pms-platform.local"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["cron"], "0 6 * * MON");
    assert!(r.body["next_run_at"].is_string());
    let schedule = r.body["id"].as_str().unwrap().to_string();
    let tag = etag(&r);
    let pause = format!("/api/v1/reports/schedules/{schedule}/pause");
    let r = api
        .call_with(
            Method::POST,
            &pause,
            Some(&mgr),
            None,
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let r = api
        .call_with(
            Method::POST,
            &pause,
            Some(&mgr),
            None,
            &[("If-Match", &tag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["is_active"].clone(), r.body["next_run_at"].clone()),
        (json!(false), Value::Null)
    );
    let r = api.call(Method::POST, &pause, Some(&mgr), None).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "invalid_transition")
    );
    let r = api
        .call(
            Method::POST,
            &pause.replace("pause", "resume"),
            Some(&mgr),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["next_run_at"].is_string());
    let r = api
        .get(&format!("/api/v1/reports/schedules/{schedule}"), &eli)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Due at a pinned instant: the worker queues and computes it as the manager.
    api.exec(&format!(
        "UPDATE report_schedules SET next_run_at = '2031-03-17 06:00Z' WHERE id = '{schedule}'"
    ))
    .await;

    let report = api.run_report_job("2031-03-17T06:01:00Z").await;
    assert!(report["generated"].as_i64().unwrap() >= 3, "{report}");
    let r = api
        .get(&format!("/api/v1/reports/generated/{run}"), &mgr)
        .await;
    assert_eq!(
        (r.body["status"].as_str(), r.body["row_count"].as_i64()),
        (Some("SUCCEEDED"), Some(4)),
        "{}",
        r.body
    );

    // CSV: the header, one line per person the manager may see, fields quoted and defused.
    let (status, ct, csv) = api
        .download(&format!("{download}?format=csv"), &mgr, None)
        .await;
    assert_eq!(
        (status, ct.as_str()),
        (StatusCode::OK, "text/csv; charset=utf-8"),
        "{csv}"
    );
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "person_id,name,department,goals_total,goals_completed,feedback_received,feedback_given,one_on_ones_held"
    );
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(csv.contains("\"Jane Doe, \"\"JD\"\"\""), "{csv}");
    assert!(csv.contains(",'=Raj Patel,"), "{csv}");
    let eli_line = lines
        .iter()
        .find(|l| l.starts_with(&demo_user("employee").to_string()))
        .unwrap();
    assert_eq!(
        eli_line.split(',').nth(5),
        Some("2"),
        "the private feedback is not counted: {eli_line}"
    );
    for other in ["lena", "omar", "ceo", "admin"] {
        assert!(
            !csv.contains(&demo_user(other).to_string()),
            "{other} is not the manager's to see"
        );
    }
    // JSON by Accept; an Accept naming neither format is 406; a bad ?format= 400.
    let (status, ct, doc) = api
        .download(&download, &mgr, Some("application/json"))
        .await;
    assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/json"));
    let doc: Value = serde_json::from_str(&doc)?;
    assert_eq!(
        (doc["report_type"].as_str(), doc["period_start"].as_str()),
        (Some("WEEKLY_SUMMARY"), Some("2031-03-10"))
    );
    let eli_row = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["person_id"] == json!(demo_user("employee")))
        .unwrap();
    assert_eq!(eli_row["feedback_received"], 2);
    assert_eq!(
        api.download(&download, &mgr, Some("application/pdf"))
            .await
            .0,
        StatusCode::NOT_ACCEPTABLE
    );
    assert_eq!(
        api.download(&format!("{download}?format=xml"), &mgr, None)
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    // Eli's run of the shared report: Eli alone, JSON by default.
    let (status, ct, doc) = api
        .download(
            &format!("/api/v1/reports/generated/{eli_run}/download"),
            &eli,
            None,
        )
        .await;
    assert_eq!(
        (status, ct.as_str()),
        (StatusCode::OK, "application/json"),
        "{doc}"
    );
    let doc: Value = serde_json::from_str(&doc)?;
    assert_eq!(doc["rows"].as_array().unwrap().len(), 1);
    assert_eq!(doc["rows"][0]["person_id"], json!(demo_user("employee")));
    // The scheduled run is the manager's, listed with theirs, paged.
    let r = api.get("/api/v1/reports/generated?limit=1", &mgr).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    let cursor = r.body["next_cursor"].as_str().unwrap().to_string();
    let r = api
        .get(
            &format!("/api/v1/reports/generated?limit=50&cursor={cursor}"),
            &mgr,
        )
        .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1, "{}", r.body);
    let r = api
        .get(&format!("/api/v1/reports/schedules/{schedule}"), &mgr)
        .await;
    assert_eq!(r.body["next_run_at"], "2031-03-24T06:00:00Z");
    // Another tenant's HR sees none of it.
    let acme = api.login_acme("admin").await;
    for path in [
        format!("/api/v1/reports/definitions/{week}"),
        format!("/api/v1/reports/generated/{run}"),
        format!("/api/v1/reports/schedules/{schedule}"),
    ] {
        assert_eq!(
            api.get(&path, &acme).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        api.download(&download, &acme, None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.post(&gen_path, &acme, json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    // Every write audited with the acting person.
    let n = api
        .count(&format!(
            "SELECT count(*) FROM audit_log WHERE table_name IN ('report_definitions', 'report_schedules', 'generated_reports')
              AND actor_user_id = '{}'",
            demo_user("manager")
        ))
        .await;
    assert!(n >= 6, "{n}");
    api.finish().await;
    Ok(())
}

#[tokio::test]
async fn dashboards_are_configured_by_their_owner_and_shared_read_only() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let mgr = api.login("manager").await;
    let eli = api.login("employee").await;
    let r = api.get("/api/v1/dashboards", &mgr).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.body["items"].as_array().unwrap().clone();
    let mine = items.iter().find(|d| d["name"] == "My team").unwrap();
    let shared = items
        .iter()
        .find(|d| d["name"] == "Company health")
        .unwrap();
    assert_eq!(
        (mine["editable"].clone(), shared["editable"].clone()),
        (json!(true), json!(false))
    );
    let my_team = mine["id"].as_str().unwrap().to_string();
    let company = shared["id"].as_str().unwrap().to_string();

    let before = api.count("SELECT count(*) FROM dashboards").await;
    let r = api
        .post(
            "/api/v1/dashboards",
            &mgr,
            json!({"name": "", "layout": {"columns": 40}}),
        )
        .await;
    assert_eq!(fields(&r), ["layout.columns", "name"]);
    assert_eq!(api.count("SELECT count(*) FROM dashboards").await, before);
    let r = api
        .post(
            "/api/v1/dashboards",
            &mgr,
            json!({"name": "Quarter", "layout": {"columns": 3}, "is_default": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let quarter = r.body["id"].as_str().unwrap().to_string();
    let r = api
        .get(&format!("/api/v1/dashboards/{my_team}"), &mgr)
        .await;
    assert_eq!(r.body["is_default"], false, "one default per person");

    // Widgets: each field checked against its type; nothing written when refused.
    let widgets = format!("/api/v1/dashboards/{quarter}/widgets");
    let r = api
        .post(
            &widgets,
            &mgr,
            json!({"widget_type": "BAR_CHART", "title": "x", "position": 5000,
                   "config": {"limit": 0, "w": 13, "thresholds": [1, 2], "period": "decade"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        fields(&r),
        [
            "config.limit",
            "config.period",
            "config.thresholds",
            "config.w",
            "position"
        ]
    );
    let r = api
        .post(
            &widgets,
            &mgr,
            json!({"widget_type": "TABLE", "title": "x", "config": {"sql": "DROP"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = api
        .post(
            &widgets,
            &mgr,
            json!({"widget_type": "TABLE", "title": "x", "report_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert_eq!(fields(&r), ["report_id"]);
    assert_eq!(
        api.count(&format!(
            "SELECT count(*) FROM dashboard_widgets WHERE dashboard_id = '{quarter}'"
        ))
        .await,
        0
    );
    let r = api
        .post(&widgets, &mgr, json!({"widget_type": "KPI_TILE", "title": "eNPS", "config": {"metric": "enps", "thresholds": [0, 30], "x": 0, "y": 0, "w": 2, "h": 1}}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = api
        .post(&widgets, &mgr, json!({"widget_type": "LINE_CHART", "title": "Goals", "config": {"metric": "goal_progress", "period": "quarter"}}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ws = r.body["widgets"].as_array().unwrap().clone();
    assert_eq!(
        ws.iter()
            .map(|w| w["position"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [0, 1]
    );
    let w0 = ws[0]["id"].as_str().unwrap().to_string();
    let w0_tag = format!("\"{}\"", api.row_state("dashboard_widgets", &w0).await.1);
    let wpath = format!("{widgets}/{w0}");
    let r = api
        .call_with(
            Method::PATCH,
            &wpath,
            Some(&mgr),
            Some(json!({"position": 7})),
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    // Changing the type re-checks the kept configuration: a bar chart has no thresholds.
    let r = api
        .call(
            Method::PATCH,
            &wpath,
            Some(&mgr),
            Some(json!({"widget_type": "BAR_CHART"})),
        )
        .await;
    assert_eq!(fields(&r), ["config.thresholds"]);
    let r = api
        .call_with(
            Method::PATCH,
            &wpath,
            Some(&mgr),
            Some(json!({"position": 7, "title": "Engagement"})),
            &[("If-Match", &w0_tag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["widgets"][1]["title"], "Engagement");

    // Sharing: a private dashboard is the owner's; a shared one is read by all, changed by its owner.
    assert_eq!(
        api.get(&format!("/api/v1/dashboards/{quarter}"), &eli)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = api
        .get(&format!("/api/v1/dashboards/{company}"), &eli)
        .await;
    assert_eq!(
        (r.status, r.body["editable"].clone()),
        (StatusCode::OK, json!(false))
    );
    assert_eq!(r.body["widgets"].as_array().unwrap().len(), 2);
    let r = api
        .call(
            Method::PATCH,
            &format!("/api/v1/dashboards/{company}"),
            Some(&eli),
            Some(json!({"name": "Mine now"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api
        .post(
            &format!("/api/v1/dashboards/{company}/widgets"),
            &eli,
            json!({"widget_type": "TABLE", "title": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api
        .call(
            Method::PATCH,
            &format!("/api/v1/dashboards/{quarter}"),
            Some(&mgr),
            Some(json!({"is_shared": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        api.get(&format!("/api/v1/dashboards/{quarter}"), &eli)
            .await
            .status,
        StatusCode::OK
    );
    // The dashboard read endpoint is untouched.
    assert_eq!(
        api.get("/api/v1/me/dashboard", &mgr).await.status,
        StatusCode::OK
    );

    let acme = api.login_acme("admin").await;
    assert_eq!(
        api.get(&format!("/api/v1/dashboards/{quarter}"), &acme)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = api
        .call(
            Method::PATCH,
            &wpath,
            Some(&acme),
            Some(json!({"title": "Taken"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another tenant's widget");
    let r = api.call(Method::DELETE, &wpath, Some(&mgr), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = api
        .call(
            Method::DELETE,
            &format!("/api/v1/dashboards/{quarter}"),
            Some(&mgr),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        api.get(&format!("/api/v1/dashboards/{quarter}"), &mgr)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let n = api
        .count(&format!(
            "SELECT count(*) FROM audit_log WHERE table_name IN ('dashboards', 'dashboard_widgets') AND actor_user_id = '{}'",
            demo_user("manager")
        ))
        .await;
    assert!(n >= 7, "{n}");
    api.finish().await;
    Ok(())
}

#[tokio::test]
async fn compensation_decisions_follow_their_workflow_and_visibility() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let mgr = api.login("manager").await;
    let hr = api.login("admin").await;
    let ceo = api.login("ceo").await;
    let eli = api.login("employee").await;
    let jane = api.login("jane").await;
    let raj = api.login("raj").await;
    let sales = api.login("sales.manager").await;
    let path = "/api/v1/compensation-decisions";
    let proposal = |who: &str| {
        json!({"employee_id": demo_user(who), "decision_type": "MERIT_INCREASE", "currency": "EUR",
               "current_amount": 100000, "proposed_amount": 104500.5, "effective_date": "2031-01-01"})
    };

    // Validated: every bad amount named, nothing written.
    let before = api
        .count("SELECT count(*) FROM compensation_decisions")
        .await;
    let r = api
        .post(path, &mgr, json!({"employee_id": demo_user("employee"), "decision_type": "RAISE", "currency": "eur",
                                  "current_amount": -1, "proposed_amount": 10.123, "effective_date": "2031-01-01"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        fields(&r),
        [
            "currency",
            "current_amount",
            "decision_type",
            "proposed_amount"
        ]
    );
    let r = api
        .post(path, &mgr, json!({"employee_id": demo_user("employee"), "decision_type": "MERIT_INCREASE",
                                  "current_amount": 100000, "proposed_amount": 90000, "effective_date": "2031-01-01"}))
        .await;
    assert_eq!(
        fields(&r),
        ["proposed_amount"],
        "an increase below the current pay"
    );
    let r = api
        .post(
            path,
            &mgr,
            json!({"employee_id": demo_user("employee"), "decision_type": "BONUS",
                                  "proposed_amount": 0, "effective_date": "2031-01-01"}),
        )
        .await;
    assert_eq!(fields(&r), ["proposed_amount"], "a bonus of nothing");
    assert_eq!(
        api.count("SELECT count(*) FROM compensation_decisions")
            .await,
        before
    );
    // Who may propose: the chain and HR; one's own pay never; others' people are not seen.
    assert_eq!(
        api.post(path, &mgr, proposal("manager")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.post(path, &mgr, proposal("lena")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.post(path, &raj, proposal("employee")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.count("SELECT count(*) FROM compensation_decisions")
            .await,
        before
    );

    let r = api
        .call_with(
            Method::POST,
            path,
            Some(&mgr),
            Some(proposal("employee")),
            &[("Idempotency-Key", "comp-1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        (r.body["status"].as_str(), r.body["decided_by"].clone()),
        (Some("PROPOSED"), json!(demo_user("manager")))
    );
    assert_eq!(r.body["proposed_amount"], 104500.5);
    assert_eq!(r.body["next"], json!(["APPROVED", "REJECTED"]));
    let id = r.body["id"].as_str().unwrap().to_string();
    let again = api
        .call_with(
            Method::POST,
            path,
            Some(&mgr),
            Some(proposal("employee")),
            &[("Idempotency-Key", "comp-1")],
        )
        .await;
    assert_eq!(
        (
            again.body["id"].as_str(),
            again.headers.contains_key("idempotent-replayed")
        ),
        (Some(id.as_str()), true)
    );
    let one = format!("{path}/{id}");

    // Seen by the chain, HR and the APPROVALS delegate; not by peers, others, or the person yet.
    for (who, token, seen) in [
        ("ceo", &ceo, true),
        ("admin", &hr, true),
        ("jane (delegate)", &jane, true),
        ("raj", &raj, false),
        ("sales.manager", &sales, false),
        ("employee", &eli, false),
    ] {
        let r = api.get(&one, token).await;
        assert_eq!(r.status == StatusCode::OK, seen, "{who}: {}", r.status);
        let listed = api
            .get(
                &format!("{path}?employee_id={}", demo_user("employee")),
                token,
            )
            .await;
        assert_eq!(
            listed.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["id"] == json!(id)),
            seen,
            "{who}"
        );
    }

    // Another tenant's HR: nothing to see, nothing to move.
    let acme = api.login_acme("admin").await;
    assert_eq!(api.get(&one, &acme).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        api.post(
            &format!("{one}/transition"),
            &acme,
            json!({"status": "APPROVED"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.post(path, &acme, proposal("employee")).await.status,
        StatusCode::NOT_FOUND
    );
    // Every refused move changes nothing.
    let transition = format!("{one}/transition");
    let state = api.row_state("compensation_decisions", &id).await;
    let refusals: [(&str, &String, Value, StatusCode, &str); 5] = [
        (
            "the proposer",
            &mgr,
            json!({"status": "APPROVED"}),
            StatusCode::CONFLICT,
            "four_eyes",
        ),
        (
            "a delegate below the proposer",
            &jane,
            json!({"status": "APPROVED"}),
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
        (
            "HR, skipping approval",
            &hr,
            json!({"status": "APPLIED"}),
            StatusCode::CONFLICT,
            "invalid_transition",
        ),
        (
            "the person",
            &eli,
            json!({"status": "APPROVED"}),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "an unknown status",
            &ceo,
            json!({"status": "PAID"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
    ];
    for (who, token, body, status, code) in refusals {
        let r = api.post(&transition, token, body).await;
        assert_eq!((r.status, r.code()), (status, code), "{who}: {}", r.body);
        assert_eq!(
            api.row_state("compensation_decisions", &id).await,
            state,
            "{who} changed nothing"
        );
    }
    let r = api
        .call_with(
            Method::POST,
            &transition,
            Some(&ceo),
            Some(json!({"status": "APPROVED"})),
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    // PROPOSED -> APPROVED by the manager above the proposer; then the person sees it.
    let tag = etag(&api.get(&one, &ceo).await);
    let r = api
        .call_with(
            Method::POST,
            &transition,
            Some(&ceo),
            Some(json!({"status": "APPROVED", "note": "Fair."})),
            &[("If-Match", &tag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.body["approved_by"].clone(),
            r.body["decision_note"].clone()
        ),
        (json!(demo_user("ceo")), json!("Fair."))
    );
    assert!(r.body["approved_at"].is_string());
    assert_eq!(
        api.get(&one, &eli).await.status,
        StatusCode::OK,
        "the person sees an approved decision"
    );
    assert_eq!(api.get(&one, &raj).await.status, StatusCode::NOT_FOUND);
    // APPROVED -> APPLIED by HR only.
    let r = api
        .post(&transition, &mgr, json!({"status": "APPLIED"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api
        .post(&transition, &hr, json!({"status": "APPLIED"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["applied_at"].is_string());
    assert_eq!(r.body["next"], json!([]));
    // PROPOSED -> REJECTED: HR's proposal, rejected by the CEO; the person never sees it.
    let r = api.post(path, &hr, proposal("raj")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let rejected = r.body["id"].as_str().unwrap().to_string();
    let r = api
        .post(
            &format!("{path}/{rejected}/transition"),
            &hr,
            json!({"status": "REJECTED"}),
        )
        .await;
    assert_eq!(r.code(), "four_eyes");
    let r = api
        .post(
            &format!("{path}/{rejected}/transition"),
            &ceo,
            json!({"status": "REJECTED"}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (StatusCode::OK, Some("REJECTED")),
        "{}",
        r.body
    );
    assert_eq!(
        api.get(&format!("{path}/{rejected}"), &raj).await.status,
        StatusCode::NOT_FOUND
    );

    // Every move the workflow does not allow, from every status: 409, nothing changed.
    let t = pms_seed::demo_tenants::tenant_id(&pms_seed::demo_tenants::DEMO_COMPANY);
    let statuses = ["PROPOSED", "APPROVED", "REJECTED", "APPLIED"];
    let allowed = [
        ("PROPOSED", "APPROVED"),
        ("PROPOSED", "REJECTED"),
        ("APPROVED", "APPLIED"),
    ];
    for from in statuses {
        let row = uuid::Uuid::new_v4();
        api.exec(&format!(
            "INSERT INTO compensation_decisions (tenant_id, id, employee_id, decided_by, decision_type, status, proposed_amount, effective_date)
             VALUES ('{t}', '{row}', '{}', '{}', 'BONUS', '{from}', 5000, '2031-02-01')",
            demo_user("jane"),
            demo_user("sales.manager")
        ))
        .await;
        let state = api
            .row_state("compensation_decisions", &row.to_string())
            .await;
        for to in statuses {
            if allowed.contains(&(from, to)) {
                continue;
            }
            let r = api
                .post(
                    &format!("{path}/{row}/transition"),
                    &hr,
                    json!({"status": to}),
                )
                .await;
            assert_eq!(
                (r.status, r.code()),
                (StatusCode::CONFLICT, "invalid_transition"),
                "{from} -> {to}: {}",
                r.body
            );
            assert_eq!(
                api.row_state("compensation_decisions", &row.to_string())
                    .await,
                state,
                "{from} -> {to}"
            );
        }
    }
    // The database keeps the workflow whatever the caller: the proposer approving in SQL.
    let demo_proposal = api
        .text(&format!(
            "SELECT id::text FROM compensation_decisions WHERE employee_id = '{}' AND status = 'PROPOSED' AND decided_by = '{}' AND proposed_amount = 123600",
            demo_user("employee"),
            demo_user("manager")
        ))
        .await;
    let err = api
        .as_app(
            demo_user("manager"),
            &format!(
                "UPDATE compensation_decisions SET status = 'APPROVED' WHERE id = '{demo_proposal}'"
            ),
        )
        .await
        .unwrap_err();
    assert!(err.contains("proposer"), "{err}");
    // Audited with the acting person.
    let audited = api
        .count(&format!(
            "SELECT count(*) FROM audit_log WHERE table_name = 'compensation_decisions' AND row_id = '{id}'
              AND actor_user_id IN ('{}', '{}', '{}')",
            demo_user("manager"),
            demo_user("ceo"),
            demo_user("admin")
        ))
        .await;
    assert_eq!(audited, 3, "proposed, approved, applied");
    api.finish().await;
    Ok(())
}
