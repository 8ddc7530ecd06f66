//! The reports over the star on the demo tenants: each report's figures, read as pms_readonly
//! through its SQL function, equal the same figures computed in the test straight from the OLTP
//! tables (and the time-series rollup), over the whole span and a date range; a reporting
//! session of one tenant sees nothing of the other through them, a session with no tenant sees
//! nothing, pms_app cannot call them; a bad grain or an unknown name is a clear error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use pms_db::RoleName;
use pms_seed::demo::{DEMO_COMPANY, SECOND_TENANT};
use pms_test_support::TestDb;
use pms_warehouse::report::{Grain, Report, ReportParams};
use sqlx::{Connection as _, PgConnection};
use uuid::Uuid;

/// Rows of a query as text, each as the database prints a record.
async fn texts(
    conn: &mut PgConnection,
    sql: &str,
    tenant: Uuid,
    from: Option<&str>,
    to: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT q::text FROM ({sql}) q"
    )))
    .bind(tenant)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?)
}

/// The OLTP side's date filter on an instant's UTC day ($2, $3 the bounds as text).
const IN_RANGE: &str = "(($2::date IS NULL OR (AT_ AT TIME ZONE 'UTC')::date >= $2::date) AND ($3::date IS NULL OR (AT_ AT TIME ZONE 'UTC')::date <= $3::date))";

fn in_range(at: &str) -> String {
    IN_RANGE.replace("AT_", at)
}

fn oltp_rating_distribution() -> String {
    format!(
        "SELECT d.name, c.name, b.band, count(*) FILTER (WHERE b.kind = 'o'), count(*) FILTER (WHERE b.kind = 'c')
           FROM performance_reviews r
           JOIN users u ON u.tenant_id = r.tenant_id AND u.id = r.reviewee_id
           LEFT JOIN departments d ON d.tenant_id = u.tenant_id AND d.id = u.department_id
           LEFT JOIN review_cycles c ON c.tenant_id = r.tenant_id AND c.id = r.cycle_id
           LEFT JOIN LATERAL (SELECT x.adjusted_rating FROM calibration_ratings x
                               WHERE x.tenant_id = r.tenant_id AND x.review_id = r.id AND x.status = 'ACCEPTED'
                                 AND x.adjusted_rating IS NOT NULL ORDER BY x.updated_at DESC, x.id DESC LIMIT 1) cal ON true
          CROSS JOIN LATERAL (VALUES ('o', (floor(r.overall_rating * 2) / 2)::numeric(3, 1)),
                                     ('c', (floor(coalesce(cal.adjusted_rating, r.overall_rating) * 2) / 2)::numeric(3, 1))) b (kind, band)
          WHERE r.tenant_id = $1 AND r.deleted_at IS NULL AND b.band IS NOT NULL AND {}
          GROUP BY d.name, c.name, c.period_start, b.band
          ORDER BY d.name NULLS LAST, c.period_start NULLS LAST, c.name, b.band",
        in_range("coalesce(r.submitted_at, r.created_at)")
    )
}

fn oltp_engagement_trend(grain: &str) -> String {
    format!(
        "SELECT d.name, date_trunc('{grain}', (a.at AT TIME ZONE 'UTC')::date)::date, a.source, a.metric,
                    sum(a.n)::bigint, round((sum(a.score * a.n) / sum(a.n))::numeric, 3)
           FROM (SELECT 'SURVEY' AS source, '' AS metric, s.submitted_at AS at, s.rating::float8 AS score, 1::bigint AS n,
                        coalesce(s.department_id, u.department_id) AS department_id
                   FROM survey_responses s LEFT JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.respondent_id
                  WHERE s.tenant_id = $1
                 UNION ALL
                 SELECT 'PULSE', '', p.responded_at, p.mood::float8, 1, u.department_id
                   FROM pulse_responses p LEFT JOIN users u ON u.tenant_id = p.tenant_id AND u.id = p.user_id
                  WHERE p.tenant_id = $1
                 UNION ALL
                 SELECT 'WEEKLY', m.metric_name, m.bucket, m.sum_value / m.sample_count, m.sample_count, u.department_id
                   FROM timeseries.engagement_metrics_weekly_mat m
                   LEFT JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.subject_id
                  WHERE m.tenant_id = $1 AND m.grain = 'user') a
           LEFT JOIN departments d ON d.tenant_id = $1 AND d.id = a.department_id
          WHERE a.score IS NOT NULL AND {}
          GROUP BY 1, 2, 3, 4 ORDER BY 1 NULLS LAST, 2, 3, 4",
        in_range("a.at")
    )
}

fn oltp_feedback_monthly() -> String {
    format!(
        "SELECT date_trunc('month', f.created_at AT TIME ZONE 'UTC')::date, count(*), count(*) FILTER (WHERE f.is_anonymous),
                    count(f.sentiment_score), round(avg(f.sentiment_score), 3), count(*) FILTER (WHERE f.sentiment_score > 0),
                    count(*) FILTER (WHERE f.sentiment_score = 0), count(*) FILTER (WHERE f.sentiment_score < 0)
           FROM feedback f WHERE f.tenant_id = $1 AND f.deleted_at IS NULL AND {}
          GROUP BY 1 ORDER BY 1",
        in_range("f.created_at")
    )
}

fn oltp_goal_completion() -> String {
    format!(
        "SELECT t.name, extract(year FROM g.period_end)::integer, extract(quarter FROM g.period_end)::integer, count(*),
                    count(*) FILTER (WHERE g.status = 'COMPLETED'),
                    round(100.0 * count(*) FILTER (WHERE g.status = 'COMPLETED') / count(*), 1), round(avg(g.progress), 2)
           FROM goals g LEFT JOIN teams t ON t.tenant_id = g.tenant_id AND t.id = g.team_id
          WHERE g.tenant_id = $1 AND g.deleted_at IS NULL AND {}
          GROUP BY t.name, 2, 3 ORDER BY t.name NULLS LAST, 2, 3",
        in_range("g.period_end::timestamp AT TIME ZONE 'UTC'")
    )
}

/// The report's rows as `row(...)::text`, read through its function as pms_readonly.
async fn star(
    db: &TestDb,
    tenant: Uuid,
    report: Report,
    params: &ReportParams,
) -> anyhow::Result<Vec<String>> {
    let mut conn = common::reporting(db, tenant).await?;
    let r = pms_warehouse::report::run(&mut conn, tenant, report, params).await?;
    // The same rows as the database prints a record, for comparing with the OLTP side.
    let call = match report {
        Report::EngagementTrend => format!("{}($3, $1, $2)", report.function()),
        _ => format!("{}($1, $2)", report.function()),
    };
    let rows: Vec<String> =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT r::text FROM {call} r")))
            .bind(params.from)
            .bind(params.to)
            .bind(params.grain.unwrap_or_default().as_str())
            .fetch_all(&mut conn)
            .await?;
    assert_eq!(r.rows.len(), rows.len(), "{}", report.name());
    assert_eq!(r.json.len(), rows.len());
    for js in &r.json {
        let v: serde_json::Value = serde_json::from_str(js)?;
        assert_eq!(v.as_object().unwrap().len(), r.columns.len(), "{js}");
    }
    conn.close().await?;
    Ok(rows)
}

fn date(s: &str) -> time::Date {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
}

#[tokio::test]
async fn every_report_equals_the_same_figures_from_oltp() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let demo = pms_seed::demo::tenant_id(&DEMO_COMPANY);
    // A calibration that moves a rating to another band, so original and calibrated differ.
    let moved = sqlx::query("UPDATE calibration_ratings SET adjusted_rating = 2.5 WHERE tenant_id = $1 AND status = 'ACCEPTED' AND id = (SELECT id FROM calibration_ratings WHERE tenant_id = $1 AND status = 'ACCEPTED' ORDER BY id LIMIT 1)")
        .bind(demo).execute(&db.maintenance).await?;
    assert_eq!(moved.rows_affected(), 1);
    common::sync(&db, DEMO_COMPANY.slug, false).await?;
    let mut oltp = db.maintenance.acquire().await?;

    let ranges: [(Option<&str>, Option<&str>); 3] = [
        (None, None),
        (Some("2026-01-01"), Some("2026-03-31")),
        (Some("2026-04-01"), None),
    ];
    let mut nonempty = std::collections::BTreeMap::new();
    for (from, to) in ranges {
        let params = ReportParams {
            from: from.map(date),
            to: to.map(date),
            grain: None,
        };
        let cases = [
            (Report::RatingDistribution, oltp_rating_distribution(), None),
            (
                Report::EngagementTrend,
                oltp_engagement_trend("month"),
                None,
            ),
            (
                Report::EngagementTrend,
                oltp_engagement_trend("week"),
                Some(Grain::Week),
            ),
            (Report::FeedbackMonthly, oltp_feedback_monthly(), None),
            (Report::GoalCompletion, oltp_goal_completion(), None),
        ];
        for (report, sql, grain) in cases {
            let p = ReportParams {
                grain,
                ..params.clone()
            };
            let got = star(&db, demo, report, &p).await?;
            let want = texts(&mut oltp, &sql, demo, from, to).await?;
            assert_eq!(
                got,
                want,
                "{} {grain:?} from {from:?} to {to:?}",
                report.name()
            );
            *nonempty.entry(report.name()).or_insert(0) += got.len();
        }
    }
    // Every report has figures on the demo tenant: the comparison is not of two empty sets.
    for r in Report::ALL {
        assert!(
            nonempty.get(r.name()).copied().unwrap_or(0) > 0,
            "{} is empty",
            r.name()
        );
    }
    // The moved calibration shows: some band's original and calibrated counts differ.
    let all = star(
        &db,
        demo,
        Report::RatingDistribution,
        &ReportParams::default(),
    )
    .await?;
    let differs = all.iter().any(|r| {
        let f: Vec<&str> = r.trim_matches(['(', ')']).rsplit(',').take(2).collect();
        f[0] != f[1]
    });
    assert!(differs);
    Ok(())
}

#[tokio::test]
async fn a_reporting_session_sees_only_its_tenant_through_the_reports() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let a = pms_seed::demo::tenant_id(&DEMO_COMPANY);
    let b = pms_seed::demo::tenant_id(&SECOND_TENANT);
    let mut conn = db.urls.connect(RoleName::Maintenance).await?;
    pms_warehouse::sync(&mut conn, &Default::default(), &mut |_| {}).await?;
    conn.close().await?;
    let mut oltp = db.maintenance.acquire().await?;

    for report in Report::ALL {
        let p = ReportParams::default();
        let of_a = star(&db, a, report, &p).await?;
        let of_b = star(&db, b, report, &p).await?;
        let sql = match report {
            Report::RatingDistribution => oltp_rating_distribution(),
            Report::EngagementTrend => oltp_engagement_trend("month"),
            Report::FeedbackMonthly => oltp_feedback_monthly(),
            Report::GoalCompletion => oltp_goal_completion(),
        };
        assert_eq!(
            of_a,
            texts(&mut oltp, &sql, a, None, None).await?,
            "{}",
            report.name()
        );
        assert_eq!(
            of_b,
            texts(&mut oltp, &sql, b, None, None).await?,
            "{}",
            report.name()
        );

        // A session of tenant A asking for B's rows (the tenant argument) gets nothing.
        let mut s = common::reporting(&db, a).await?;
        let r = pms_warehouse::report::run(&mut s, b, report, &p).await?;
        assert!(r.rows.is_empty(), "{}: {:?}", report.name(), r.rows);
        s.close().await?;
    }
    // The second tenant has reviews of its own, so A's figures leaving them out is a real test.
    let b_reviews: i64 = sqlx::query_scalar("SELECT count(*) FROM performance_reviews WHERE tenant_id = $1 AND overall_rating IS NOT NULL")
        .bind(b).fetch_one(&mut *oltp).await?;
    assert!(b_reviews > 0);
    let mut s = common::reporting(&db, a).await?;
    let (reviews, seen_b): (i64, bool) = sqlx::query_as(
        "SELECT coalesce(sum(original_reviews), 0)::bigint,
                EXISTS (SELECT 1 FROM warehouse.fact_performance_review WHERE tenant_id = $1)
           FROM warehouse.report_rating_distribution()",
    )
    .bind(b)
    .fetch_one(&mut s)
    .await?;
    let a_reviews: i64 = sqlx::query_scalar("SELECT count(*) FROM performance_reviews WHERE tenant_id = $1 AND overall_rating IS NOT NULL AND deleted_at IS NULL")
        .bind(a).fetch_one(&mut *oltp).await?;
    assert_eq!(reviews, a_reviews);
    assert!(!seen_b, "tenant A's session reads B's facts");
    s.close().await?;

    // No tenant set: no rows from any report, whatever the tenant argument.
    let mut s = db.urls.connect(RoleName::Readonly).await?;
    for report in Report::ALL {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM {}() r",
            report.function()
        )))
        .fetch_one(&mut s)
        .await?;
        assert_eq!(n, 0, "{} without a tenant", report.name());
    }
    s.close().await?;
    // The application role has no way into the warehouse.
    let mut app = db.urls.connect(RoleName::App).await?;
    let err = sqlx::query("SELECT * FROM warehouse.report_feedback_monthly()")
        .fetch_all(&mut app)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    Ok(())
}

#[tokio::test]
async fn bad_report_input_is_a_clear_error() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let err = Report::parse("ratings").unwrap_err().to_string();
    assert!(
        err.contains("\"ratings\"") && Report::ALL.iter().all(|r| err.contains(r.name())),
        "{err}"
    );
    let tenant = Uuid::new_v4();
    let mut s = common::reporting(&db, tenant).await?;
    let p = ReportParams {
        from: Some(date("2026-05-01")),
        to: Some(date("2026-04-01")),
        grain: None,
    };
    let err = pms_warehouse::report::run(&mut s, tenant, Report::FeedbackMonthly, &p)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("after"), "{err}");
    let p = ReportParams {
        grain: Some(Grain::Week),
        ..Default::default()
    };
    let err = pms_warehouse::report::run(&mut s, tenant, Report::GoalCompletion, &p)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--grain") && err.contains("engagement-trend"),
        "{err}"
    );
    let err = sqlx::query("SELECT * FROM warehouse.report_engagement_trend('day')")
        .fetch_all(&mut s)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("week or month"), "{err}");
    s.close().await?;
    Ok(())
}
