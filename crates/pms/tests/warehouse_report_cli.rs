//! `pms warehouse report` with the real binary on the demo tenants: the three formats carry the
//! same rows as the report's SQL function read as pms_readonly (JSON keeps numbers as numbers,
//! CSV has the columns as its header, the table counts its rows); without --tenant every synced
//! tenant appears under a tenant column; an unknown report (the valid names listed), an unknown
//! tenant, a bad format, a bad date or a grain on the wrong report is a clear error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pms_db::RoleName;
use pms_seed::demo::{DEMO_COMPANY, SECOND_TENANT};
use pms_test_support::TestDb;
use sqlx::Connection as _;
use std::process::{Command, Output};

fn run(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(args)
        .env("DATABASE_URL", url)
        .env_remove("PMS_APP_DATABASE_URL")
        .env_remove("PMS_MAINTENANCE_DATABASE_URL")
        .env_remove("PMS_ARCHIVE_URL")
        .env("RUST_LOG", "error")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(url: &str, args: &[&str]) -> String {
    let out = run(url, args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

fn fails(url: &str, args: &[&str]) -> String {
    let out = run(url, args);
    assert!(
        !out.status.success(),
        "{args:?} succeeded: {}",
        text(&out.stdout)
    );
    text(&out.stderr)
}

#[tokio::test]
async fn formats_carry_the_functions_rows_and_bad_input_is_clear() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let demo = pms_seed::demo::tenant_id(&DEMO_COMPANY);
    let url = db.urls.admin.clone();
    let slug = DEMO_COMPANY.slug;
    ok(&url, &["warehouse", "sync"]);

    // The function's rows, as the reporting role sees them.
    let mut conn = db.urls.connect(RoleName::Readonly).await?;
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(demo.to_string())
        .execute(&mut *tx)
        .await?;
    let want: Vec<serde_json::Value> = sqlx::query_scalar::<_, String>(
        "SELECT row_to_json(r)::text FROM warehouse.report_feedback_monthly('2026-01-01', NULL) r",
    )
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|s| serde_json::from_str(s).unwrap())
    .collect();
    let goals: i64 = sqlx::query_scalar("SELECT count(*) FROM warehouse.report_goal_completion()")
        .fetch_one(&mut *tx)
        .await?;
    tx.rollback().await?;
    conn.close().await?;
    assert!(!want.is_empty() && goals > 0);

    let args = [
        "warehouse",
        "report",
        "feedback-monthly",
        "--tenant",
        slug,
        "--from",
        "2026-01-01",
    ];
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&url, &[&args[..], &["--format", "json"]].concat()))?;
    assert_eq!(json, want);
    assert!(json[0]["feedback"].is_number(), "{}", json[0]);

    let csv = ok(&url, &[&args[..], &["--format", "csv"]].concat());
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("month,feedback,anonymous,scored,avg_sentiment,positive,neutral,negative")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), want.len());
    assert_eq!(
        rows[0].split(',').nth(1).unwrap(),
        want[0]["feedback"].to_string(),
        "{csv}"
    );

    let table = ok(&url, &args);
    assert!(table.starts_with("month"), "{table}");
    assert!(
        table.contains(&format!("({} row(s))", want.len())),
        "{table}"
    );

    // Every tenant, with a tenant column.
    let all = ok(
        &url,
        &["warehouse", "report", "goal-completion", "--format", "csv"],
    );
    assert!(all.starts_with("tenant,team,year,quarter,"), "{all}");
    assert!(all.contains(&format!("\n{slug},")), "{all}");
    assert_eq!(
        all.lines()
            .filter(|l| l.starts_with(&format!("{slug},")))
            .count() as i64,
        goals
    );
    let both: Vec<serde_json::Value> = serde_json::from_str(&ok(
        &url,
        &[
            "warehouse",
            "report",
            "rating-distribution",
            "--format",
            "json",
        ],
    ))?;
    for s in [DEMO_COMPANY.slug, SECOND_TENANT.slug] {
        assert!(both.iter().any(|r| r["tenant"] == s), "{s} missing");
    }
    let weekly = ok(
        &url,
        &[
            "warehouse",
            "report",
            "engagement-trend",
            "--tenant",
            slug,
            "--grain",
            "week",
        ],
    );
    assert!(weekly.contains("period_start"), "{weekly}");
    // The list of reports.
    let list = ok(&url, &["warehouse", "report"]);
    assert!(list.contains("rating-distribution") && list.contains("goal-completion"));

    // Bad input: one clear message each (what follows `warehouse report`, what it must say).
    let cases: [(&[&str], &[&str]); 6] = [
        (
            &["ratings", "--tenant", slug],
            &[
                "no report named \"ratings\"",
                "rating-distribution, engagement-trend, feedback-monthly, goal-completion",
            ],
        ),
        (
            &["feedback-monthly", "--tenant", "no-such"],
            &["no tenant with slug \"no-such\""],
        ),
        (
            &["feedback-monthly", "--format", "xml"],
            &["xml", "table", "csv", "json"],
        ),
        (
            &["feedback-monthly", "--from", "2026-13-01"],
            &["not a date YYYY-MM-DD"],
        ),
        (
            &["goal-completion", "--tenant", slug, "--grain", "week"],
            &["--grain applies to engagement-trend only"],
        ),
        (
            &[
                "feedback-monthly",
                "--tenant",
                slug,
                "--from",
                "2026-05-01",
                "--to",
                "2026-04-01",
            ],
            &["after"],
        ),
    ];
    for (args, want) in cases {
        let err = fails(&url, &[&["warehouse", "report"][..], args].concat());
        for w in want {
            assert!(err.contains(w), "{args:?}: {err}");
        }
    }
    Ok(())
}
