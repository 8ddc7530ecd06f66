//! `purge_idempotency_keys` deletes the API's idempotency keys older than a day, in every
//! tenant, and keeps the younger ones (ages set relative to the database's clock).

use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, tenant_id, user_id};
use pms_test_support::TestDb;
use pms_worker::jobs::purge_idempotency_keys::PurgeIdempotencyKeys;
use pms_worker::{JobContext, Scheduler};

#[tokio::test]
async fn idempotency_keys_older_than_a_day_go_and_younger_ones_stay() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let mut keys = Vec::new();
    for (t, local) in [(&DEMO_COMPANY, "employee"), (&SECOND_TENANT, "admin")] {
        for (key, age) in [
            ("old", "25 hours"),
            ("young", "23 hours"),
            ("new", "0 seconds"),
        ] {
            let key = format!("purge-{key}");
            sqlx::query(
                "INSERT INTO api_idempotency_keys (tenant_id, user_id, key, request_hash, created_at)
                 VALUES ($1, $2, $3, sha256('x'::bytea), now() - $4::interval)",
            )
            .bind(tenant_id(t))
            .bind(user_id(t, local))
            .bind(&key)
            .bind(age)
            .execute(&db.maintenance)
            .await?;
            keys.push(key);
        }
    }
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM api_idempotency_keys")
        .fetch_one(&db.maintenance)
        .await?;
    let ctx = JobContext::new(db.maintenance.clone());
    let report = Scheduler::run_once(&ctx, &PurgeIdempotencyKeys)
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert_eq!(report["deleted"], 2, "{report}");
    let left: Vec<String> = sqlx::query_scalar(
        "SELECT key FROM api_idempotency_keys WHERE key LIKE 'purge-%' ORDER BY key",
    )
    .fetch_all(&db.maintenance)
    .await?;
    assert_eq!(
        left,
        ["purge-new", "purge-new", "purge-young", "purge-young"]
    );
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM api_idempotency_keys")
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(after, before - 2, "only the two old keys went");
    // Idempotent: a second run finds nothing more.
    let again = Scheduler::run_once(&ctx, &PurgeIdempotencyKeys)
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert_eq!(again["deleted"], 0, "{again}");
    Ok(())
}

/// `generate_reports` queues the due schedules and computes every queued run as its
/// requester, under row-level security: a manager's report covers the manager and the people
/// below them, and counts only the feedback the manager may see; HR's covers everyone. Pinned
/// to an instant (`JobContext::as_of`), the run and its repeat see the same clock.
#[tokio::test]
async fn generate_reports_computes_each_run_as_its_requester() -> anyhow::Result<()> {
    use pms_core::{TenantId, UserId};
    use pms_db::TenantTx;
    use pms_worker::jobs::generate_reports::GenerateReports;
    use time::macros::{date, datetime};

    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let t = tenant_id(&DEMO_COMPANY);
    let person = |local: &str| user_id(&DEMO_COMPANY, local);
    // Feedback to Eli in the week reported on: two the manager may see, one private.
    for (giver, visibility) in [("jane", "MANAGER"), ("raj", "MANAGER"), ("raj", "PRIVATE")] {
        sqlx::query(
            "INSERT INTO feedback (tenant_id, giver_id, recipient_id, feedback_type, visibility, body, created_at)
             VALUES ($1, $2, $3, 'PRAISE', $4, 'Thanks for the review.', '2031-03-12 10:00Z')",
        )
        .bind(t)
        .bind(person(giver))
        .bind(person("employee"))
        .bind(visibility)
        .execute(&db.maintenance)
        .await?;
    }
    // A weekly summary of the manager's, scheduled every Monday at 06:00 and due now, and one
    // requested run each of the manager and HR for the same week; one run of a report type the
    // platform does not generate.
    let mut runs = Vec::new();
    for local in ["manager", "admin"] {
        let mut tx = TenantTx::begin(&db.app, TenantId(t), Some(UserId(person(local)))).await?;
        let report: uuid::Uuid = sqlx::query_scalar(
            "INSERT INTO report_definitions (tenant_id, name, report_type, owner_id) VALUES ($1, 'Week', 'WEEKLY_SUMMARY', $2) RETURNING id",
        )
        .bind(t)
        .bind(person(local))
        .fetch_one(&mut **tx)
        .await?;
        if local == "manager" {
            sqlx::query(
                "INSERT INTO report_schedules (tenant_id, report_id, cron, format, next_run_at)
                 VALUES ($1, $2, '0 6 * * MON', 'JSON', '2031-03-17 06:00Z')",
            )
            .bind(t)
            .bind(report)
            .execute(&mut **tx)
            .await?;
        }
        let run: uuid::Uuid = sqlx::query_scalar(
            "INSERT INTO generated_reports (tenant_id, report_id, requested_by, format, period_start, period_end)
             VALUES ($1, $2, $3, 'CSV', '2031-03-10', '2031-03-16') RETURNING id",
        )
        .bind(t)
        .bind(report)
        .bind(person(local))
        .fetch_one(&mut **tx)
        .await?;
        runs.push(run);
        tx.commit().await?;
    }
    let custom: uuid::Uuid = sqlx::query_scalar(
        "WITH d AS (INSERT INTO report_definitions (tenant_id, name, report_type, owner_id, definition)
                    VALUES ($1, 'Custom', 'CUSTOM', $2, '{\"columns\": [\"salary\"]}') RETURNING id)
         INSERT INTO generated_reports (tenant_id, report_id, requested_by) SELECT $1, d.id, $2 FROM d RETURNING id",
    )
    .bind(t)
    .bind(person("manager"))
    .fetch_one(&db.maintenance)
    .await?;

    let at = datetime!(2031-03-17 06:01 UTC);
    // Due besides the manager's: the demo tenants' own weekly schedules.
    let due: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM report_schedules WHERE is_active AND next_run_at <= $1",
    )
    .bind(at)
    .fetch_one(&db.maintenance)
    .await?;
    assert!(due >= 2, "{due}");
    let ctx = JobContext::new(db.maintenance.clone())
        .as_of(at)
        .with_app(db.app.clone());
    let report = Scheduler::run_once(&ctx, &GenerateReports)
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert_eq!(report["scheduled"], due, "{report}");
    assert_eq!(report["generated"], due + 2, "{report}");
    assert_eq!(report["failed"], 1, "{report}");

    type Run = (String, Option<serde_json::Value>, Option<String>);
    let run = |id: uuid::Uuid| {
        let pool = db.maintenance.clone();
        async move {
            sqlx::query_as::<_, Run>(
                "SELECT status, content, error FROM generated_reports WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
        }
    };
    let people = |content: &serde_json::Value| -> Vec<(String, i64)> {
        content["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r[0].as_str().unwrap().to_string(), r[5].as_i64().unwrap()))
            .collect()
    };
    let eli = person("employee").to_string();
    let (status, content, _) = run(runs[0]).await?;
    assert_eq!(status, "SUCCEEDED");
    let content = content.unwrap();
    assert_eq!(content["columns"][5], "feedback_received", "{content}");
    let mut seen: Vec<String> = people(&content).into_iter().map(|p| p.0).collect();
    seen.sort();
    let mut team: Vec<String> = ["manager", "employee", "jane", "raj"]
        .iter()
        .map(|l| person(l).to_string())
        .collect();
    team.sort();
    assert_eq!(
        seen, team,
        "the manager's report: the manager and the team only"
    );
    let eli_row = people(&content).into_iter().find(|p| p.0 == eli).unwrap();
    assert_eq!(
        eli_row.1, 2,
        "the private feedback is not the manager's to count"
    );
    let (status, content, _) = run(runs[1]).await?;
    assert_eq!(status, "SUCCEEDED");
    let content = content.unwrap();
    let everyone: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE tenant_id = $1 AND deleted_at IS NULL AND status <> 'TERMINATED'",
    )
    .bind(t)
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(people(&content).len() as i64, everyone, "HR sees everyone");
    let eli_row = people(&content).into_iter().find(|p| p.0 == eli).unwrap();
    assert_eq!(eli_row.1, 3, "HR counts every feedback");
    let (status, content, error) = run(custom).await?;
    assert_eq!((status.as_str(), content), ("FAILED", None));
    // A column no report has (written around the API, which refuses it): the run fails.
    assert!(error.unwrap().contains("chooses its columns"));

    // The scheduled run: the week before the Monday it ran, as the manager, and the schedule
    // moved to the next Monday.
    type Scheduled = (time::Date, time::Date, String, serde_json::Value);
    let (start, end, format, content): Scheduled = sqlx::query_as(
        "SELECT g.period_start, g.period_end, g.format, g.content FROM generated_reports g
           JOIN report_schedules s ON s.tenant_id = g.tenant_id AND s.id = g.schedule_id
          WHERE g.tenant_id = $1 AND g.requested_by = $2",
    )
    .bind(t)
    .bind(person("manager"))
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(
        (start, end, format.as_str()),
        (date!(2031 - 03 - 10), date!(2031 - 03 - 16), "JSON")
    );
    assert_eq!(people(&content).len(), 4);
    let (next, last): (time::OffsetDateTime, time::OffsetDateTime) = sqlx::query_as(
        "SELECT s.next_run_at, s.last_run_at FROM report_schedules s JOIN report_definitions d ON d.tenant_id = s.tenant_id AND d.id = s.report_id
          WHERE s.tenant_id = $1 AND d.owner_id = $2",
    )
    .bind(t)
    .bind(person("manager"))
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!((next, last), (datetime!(2031-03-24 06:00 UTC), at));
    // Audited as the person it ran as, with the content withheld.
    let audited: (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE changes::text LIKE '%WITHHELD%')
           FROM audit_log WHERE table_name = 'generated_reports' AND row_id = $1 AND actor_user_id = $2",
    )
    .bind(runs[0])
    .bind(person("manager"))
    .fetch_one(&db.maintenance)
    .await?;
    assert!(audited.0 >= 2 && audited.1 >= 1, "{audited:?}");

    // Idempotent: the same instant again finds nothing to do.
    let again = Scheduler::run_once(&ctx, &GenerateReports)
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert_eq!(
        (&again["scheduled"], &again["generated"], &again["failed"]),
        (
            &serde_json::json!(0),
            &serde_json::json!(0),
            &serde_json::json!(0)
        ),
        "{again}"
    );
    // Without the application pool the job does nothing and says so.
    let bare = Scheduler::run_once(&JobContext::new(db.maintenance.clone()), &GenerateReports)
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert_eq!(bare["skipped"], "no application pool", "{bare}");
    Ok(())
}

/// The schedules' clock, `pms_cron_next`: the first instant after the given one at which a
/// five-field cron expression (UTC) fires, or none for an expression that is not valid or never
/// fires.
#[tokio::test]
async fn cron_schedules_fire_when_their_expression_says() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let after = "2031-03-17 08:07Z"; // a Monday
    for (cron, next) in [
        ("0 8 * * MON", Some("2031-03-24 08:00:00+00")),
        ("*/15 * * * *", Some("2031-03-17 08:15:00+00")),
        ("7 8 * * *", Some("2031-03-18 08:07:00+00")),
        ("0 0 1 */3 *", Some("2031-04-01 00:00:00+00")),
        ("30 9 1-7 * 1", Some("2031-03-17 09:30:00+00")),
        ("0 12 15 JAN,jul *", Some("2031-07-15 12:00:00+00")),
        ("0 0 * * 7", Some("2031-03-23 00:00:00+00")),
        ("0 0 29 2 *", Some("2032-02-29 00:00:00+00")),
        ("0 0 31 2 *", None),
        ("61 * * * *", None),
        ("0 8 * *", None),
        ("0 8 * * MON-", None),
        ("0 8 5-1 * *", None),
    ] {
        let got: Option<String> = sqlx::query_scalar(
            "SELECT to_char(pms_cron_next($1, $2::timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'",
        )
        .bind(cron)
        .bind(after)
        .fetch_one(&db.maintenance)
        .await?;
        assert_eq!(got.as_deref(), next, "{cron}");
    }
    Ok(())
}
