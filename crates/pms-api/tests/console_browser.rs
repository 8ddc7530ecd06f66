//! The operations console in headless Chromium (Debian's `chromium` and `chromium-driver`,
//! driven over WebDriver): sign in through the form, open every page, compare the figures
//! shown with the database, run the actions and find their audit entries, make sure a second
//! tenant's administrator sees nothing of the first tenant on any page or link, and that the
//! browser logged no error. Screenshots of every page at desktop and phone width go to
//! `PMS_CONSOLE_SCREENSHOTS` (default `target/console-screenshots`).
//!
//! Skips, saying so, where Chromium or chromedriver is not installed (scripts/test.sh installs
//! both).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::console::browser::{
    Driver, Shots, browser, browser_log, find_binary, int_of, open, sign_in, sign_out,
    start_driver, text_of,
};
use common::console::{Console, OPERATOR_EMAIL, PLATFORM_SLUG};
use fantoccini::{Client, Locator};
use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, tenant_id, user_id};
use serde_json::Value;
use std::collections::BTreeSet;
use uuid::Uuid;

/// Points in `[from, to)` over every hypertable, of one tenant or all.
async fn points(c: &Console, b: &Client, tenant: Option<Uuid>) -> (i64, i64) {
    let el = b.find(Locator::Id("points-total")).await.unwrap();
    let from: i64 = el
        .attr("data-from")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    let to: i64 = el.attr("data-to").await.unwrap().unwrap().parse().unwrap();
    let shown: i64 = el.text().await.unwrap().trim().parse().unwrap();
    let mut total = 0;
    for t in [
        "performance_metrics_ts",
        "engagement_metrics_ts",
        "goal_progress_ts",
        "feedback_activity_ts",
    ] {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM timeseries.{t}_points(to_timestamp($1), to_timestamp($2)) WHERE $3::uuid IS NULL OR tenant_id = $3"
        )))
        .bind(from as f64)
        .bind(to as f64)
        .bind(tenant)
        .fetch_one(&c.db.maintenance)
        .await
        .unwrap();
        total += n;
    }
    (shown, total)
}

#[tokio::test]
async fn the_console_in_a_real_browser() -> anyhow::Result<()> {
    let (Some(driver), Some(chromium)) = (
        find_binary("PMS_CHROMEDRIVER", &["chromedriver"]),
        find_binary(
            "PMS_CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        ),
    ) else {
        eprintln!(
            "SKIPPED the console's browser test: chromium and chromedriver are not installed (apt-get install chromium chromium-driver; scripts/test.sh does)"
        );
        return Ok(());
    };
    if std::env::var_os("PMS_PGBOUNCER_URL").is_some() {
        // scripts/test.sh's second pass through PgBouncer: the console's database path is the
        // API's (console_http.rs runs there); the browser adds nothing but a minute of CI.
        eprintln!(
            "SKIPPED the console's browser test in the PgBouncer pass (it ran in the main pass)"
        );
        return Ok(());
    }
    let c = Console::start().await?;
    // A backup three hours old (its age is shown, never asserted).
    let taken = time::OffsetDateTime::now_utc() - time::Duration::hours(3);
    let label = format!("{}F", taken.unix_timestamp());
    c.record_backup(
        &label,
        &taken.format(&time::format_description::well_known::Rfc3339)?,
    );
    let d = start_driver(&driver).await?;
    let b = browser(&d, &chromium).await?;
    let result = run(&c, &d, &b, &label).await;
    let _ = b.close().await;
    result
}

async fn run(c: &Console, d: &Driver, b: &Client, label: &str) -> anyhow::Result<()> {
    let shots = Shots::new();
    let base = c.base.as_str();
    b.set_window_size(1280, 1100).await?;

    // The error channel works: a page that answers 404 is logged as an error...
    b.goto(&format!("{base}/console/no-such-page")).await?;
    let logged = browser_log(d, b).await;
    assert!(
        logged.iter().any(|e| e["level"] == "SEVERE"),
        "chromedriver reports the browser's errors: {logged:?}"
    );
    // ...and from here on none may appear. The login page itself:
    b.goto(&format!("{base}/console/login")).await?;
    shots.take(b, "login").await;

    // ---- The platform operator: every platform page.
    sign_in(b, base, PLATFORM_SLUG, OPERATOR_EMAIL).await;
    let text = open(b, base, "/console").await;
    for tier in [
        "Database",
        "Time-series",
        "Cache",
        "Archive",
        "Warehouse",
        "Backups",
    ] {
        assert!(text.contains(tier), "overview names the {tier} tier");
    }
    assert!(text.contains("Firing alerts"));
    shots.take(b, "overview").await;

    open(b, base, "/console/storage").await;
    let shown: BTreeSet<(String, String, i64)> = {
        let mut s = BTreeSet::new();
        for row in b.find_all(Locator::Css("#storage tbody tr")).await? {
            let e = row.attr("data-entity").await?.unwrap();
            let t = row.attr("data-tier").await?.unwrap();
            let n: i64 = row
                .find(Locator::Css("td.rows"))
                .await?
                .text()
                .await?
                .parse()?;
            s.insert((e, t, n));
        }
        s
    };
    let db: BTreeSet<(String, String, i64)> = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT entity_type, tier, sum(row_count)::bigint FROM get_storage_statistics() GROUP BY 1, 2, table_name",
    )
    .fetch_all(&c.db.maintenance)
    .await?
    .into_iter()
    .collect();
    assert!(!shown.is_empty(), "storage statistics are shown");
    assert_eq!(shown, db, "the storage figures are the database's");
    shots.take(b, "storage").await;

    // The two actions: each leaves an audit entry in the operator's tenant, shown on the page.
    for (button, action) in [
        ("Verify the archive", "verify_archive"),
        ("Run maintenance now", "run_maintenance"),
    ] {
        let forms = b.find_all(Locator::Css("form.inline button")).await?;
        let mut clicked = false;
        for f in forms {
            if f.text().await? == button {
                f.click().await?;
                clicked = true;
                break;
            }
        }
        assert!(clicked, "the {button} button");
        // The form posts and the browser follows the redirect back to this page: wait for the
        // new page's first run to be this action (the old page may still be there a moment).
        let mut runs = String::new();
        for _ in 0..200 {
            if let Ok(row) = b.find(Locator::Css("#runs tbody tr:first-child")).await
                && let Ok(t) = row.text().await
                && t.contains(action)
            {
                runs = t;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(
            runs.contains(action) && runs.contains("ok"),
            "{action}: {runs:?}"
        );
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM security_events e JOIN users u ON u.tenant_id = e.tenant_id AND u.id = e.user_id
              WHERE e.resource_type = 'ConsoleAction' AND e.details->>'action' = $1 AND e.details->>'outcome' = 'ok' AND u.email = $2",
        )
        .bind(action)
        .bind(OPERATOR_EMAIL)
        .fetch_one(&c.db.maintenance)
        .await?;
        assert_eq!(
            n, 1,
            "{action} is in the audit trail under the operator's name"
        );
    }
    let chain_ok: bool = sqlx::query_scalar(
        "SELECT bool_and(ok) FROM verify_audit_chain((SELECT id FROM tenants WHERE slug = $1))",
    )
    .bind(PLATFORM_SLUG)
    .fetch_one(&c.db.maintenance)
    .await?;
    assert!(chain_ok, "the audit entries are chained");

    open(b, base, "/console/timeseries").await;
    let (shown, counted) = points(c, b, None).await;
    assert!(counted > 0, "the demo has points in the last 30 days");
    assert_eq!(shown, counted, "points per day: every tenant's");
    for row in b.find_all(Locator::Css("#chunks tbody tr")).await? {
        let h = row.attr("data-hypertable").await?.unwrap();
        let n: i64 = row
            .find(Locator::Css("td.chunks"))
            .await?
            .text()
            .await?
            .parse()?;
        let db: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM timeseries.chunk_status() WHERE hypertable = $1",
        )
        .bind(&h)
        .fetch_one(&c.db.maintenance)
        .await?;
        assert_eq!(n, db, "chunks of {h}");
    }
    assert_eq!(
        b.find_all(Locator::Css("#points-chart rect.bar"))
            .await?
            .len(),
        30,
        "a bar per day"
    );
    shots.take(b, "timeseries").await;

    let text = open(b, base, "/console/audit").await;
    for slug in [PLATFORM_SLUG, DEMO_COMPANY.slug, SECOND_TENANT.slug] {
        assert!(text.contains(slug), "the tenants' summary lists {slug}");
    }
    shots.take(b, "audit").await;

    let text = open(b, base, "/console/backups").await;
    assert!(text.contains(label), "the recorded backup");
    assert_eq!(text_of(b, "#cache-backend").await, "in-process");
    shots.take(b, "backups").await;
    // The overview again, after the maintenance pass refreshed the rollups.
    open(b, base, "/console").await;
    shots.take(b, "overview").await;
    assert_no_errors(d, b, "the operator's pages").await;
    sign_out(b).await;

    // ---- The demo company's HR administrator: their tenant's pages, people included.
    sign_in(
        b,
        base,
        DEMO_COMPANY.slug,
        &format!("admin@{}", DEMO_COMPANY.domain),
    )
    .await;
    let demo = tenant_id(&DEMO_COMPANY);
    open(b, base, "/console/people").await;
    let heads: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE tenant_id = $1 AND deleted_at IS NULL AND status IN ('ACTIVE', 'ON_LEAVE')")
        .bind(demo)
        .fetch_one(&c.db.maintenance)
        .await?;
    assert_eq!(int_of(b, "#headcount").await, heads);
    assert!(
        b.find_all(Locator::Css("#engagement-chart polyline"))
            .await?
            .len()
            >= 4,
        "a line per engagement metric"
    );
    shots.take(b, "tenant-people").await;
    open(b, base, "/console/timeseries").await;
    let (shown, counted) = points(c, b, Some(demo)).await;
    assert_eq!(shown, counted, "points per day: this tenant's only");
    shots.take(b, "tenant-timeseries").await;
    let review: Uuid = sqlx::query_scalar(
        "SELECT id FROM performance_reviews WHERE tenant_id = $1 ORDER BY id LIMIT 1",
    )
    .bind(demo)
    .fetch_one(&c.db.maintenance)
    .await?;
    let audit_url = format!("/console/audit?entity_type=PerformanceReview&entity_id={review}");
    open(b, base, &audit_url).await;
    let rows = b
        .find_all(Locator::Css("#entity-history tbody tr"))
        .await?
        .len();
    let db: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND row_id = $2")
            .bind(demo)
            .bind(review)
            .fetch_one(&c.db.maintenance)
            .await?;
    assert!(
        db > 0 && rows as i64 == db.min(100),
        "the review's history: {rows} shown, {db} in the trail"
    );
    shots.take(b, "tenant-audit").await;
    for p in ["/console", "/console/storage"] {
        open(b, base, p).await;
    }
    assert_no_errors(d, b, "the tenant administrator's pages").await;
    sign_out(b).await;

    // ---- The second tenant's administrator: nothing of the demo company anywhere.
    sign_in(
        b,
        base,
        SECOND_TENANT.slug,
        &format!("admin@{}", SECOND_TENANT.domain),
    )
    .await;
    let mut forbidden: Vec<String> = vec![
        DEMO_COMPANY.name.into(),
        DEMO_COMPANY.slug.into(),
        DEMO_COMPANY.domain.into(),
        demo.to_string(),
        demo.simple().to_string(),
        // Nor of the platform's own tenant (its slug is inside every demo domain).
        "PMS Platform".into(),
        "Olive".into(),
        // People only the demo company has.
        "Raj".into(),
        "Lena".into(),
        "Omar".into(),
    ];
    for local in [
        "ceo",
        "admin",
        "manager",
        "sales.manager",
        "employee",
        "jane",
        "raj",
        "lena",
        "omar",
    ] {
        forbidden.push(user_id(&DEMO_COMPANY, local).to_string());
    }
    let mut to_visit: Vec<String> = vec!["/console".into(), audit_url.clone()];
    let mut seen = BTreeSet::new();
    while let Some(path) = to_visit.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        b.goto(&format!("{base}{path}")).await?;
        let text = b.find(Locator::Css("body")).await?.text().await?;
        let source = b.source().await?;
        for f in &forbidden {
            assert!(
                !text.contains(f.as_str()) && !source.contains(f.as_str()),
                "{path} shows {f:?} to the second tenant"
            );
        }
        for a in b.find_all(Locator::Css("a[href], form[action]")).await? {
            let href = match a.attr("href").await? {
                Some(h) => h,
                None => a.attr("action").await?.unwrap_or_default(),
            };
            for f in &forbidden {
                assert!(!href.contains(f.as_str()), "a link on {path} names {f:?}");
            }
            let local = href.split('#').next().unwrap_or("").to_string();
            if local.starts_with("/console")
                && !local.contains("logout")
                && !local.contains("login")
                && !local.contains("/storage/")
                && !local.contains("/assets/")
            {
                to_visit.push(local);
            }
        }
    }
    for p in [
        "/console",
        "/console/storage",
        "/console/timeseries",
        "/console/audit",
        "/console/people",
    ] {
        assert!(
            seen.contains(p),
            "the second tenant's admin reached {p} by its links"
        );
    }
    // The demo review's id, typed in by hand, finds nothing: its history is not this tenant's.
    let text = open(b, base, &audit_url).await;
    assert!(
        b.find_all(Locator::Css("#entity-history tbody tr"))
            .await?
            .is_empty()
    );
    assert!(text.contains("No change recorded."), "{text}");
    shots.take(b, "second-tenant-overview").await;
    assert_no_errors(d, b, "the second tenant's pages").await;
    Ok(())
}

async fn assert_no_errors(d: &Driver, b: &Client, what: &str) {
    let errors: Vec<Value> = browser_log(d, b)
        .await
        .into_iter()
        .filter(|e| e["level"] == "SEVERE" || e["level"] == "WARNING")
        .collect();
    assert!(
        errors.is_empty(),
        "the browser logged errors on {what}: {errors:#?}"
    );
}
