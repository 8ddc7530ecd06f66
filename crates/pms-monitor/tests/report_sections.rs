//! `pms monitor`'s sections against a real database: every section answers on a migrated
//! database; what a server lacks (pg_stat_statements, the privilege to read other roles'
//! sessions, a replica, BYPASSRLS) is said in that section, with how to enable it, while the
//! rest still prints; a long-running query is listed past the threshold; a tiny statement
//! timeout turns into a clear per-section error.

use pms_monitor::report::{self, ReportOptions, SectionName, Status};
use pms_test_support::TestDb;
use sqlx::Executor;
use std::time::Duration;

fn opts(sections: &[SectionName]) -> ReportOptions {
    ReportOptions {
        sections: sections.to_vec(),
        ..Default::default()
    }
}

async fn admin_pool(db: &TestDb) -> anyhow::Result<sqlx::PgPool> {
    Ok(pms_monitor::monitor_pool(
        db.urls.options(pms_db::RoleName::Admin)?,
        Duration::from_secs(10),
    ))
}

#[tokio::test]
async fn every_section_answers_and_what_is_missing_is_said() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let pool = admin_pool(&db).await?;
    let r = report::run(&pool, &ReportOptions::default()).await;
    assert_eq!(r.sections.len(), SectionName::ALL.len());
    for (name, s) in &r.sections {
        assert_ne!(s.status, Status::Error, "{}: {}", name.as_str(), s.summary);
    }
    let json = r.to_json();
    for name in SectionName::ALL {
        assert!(json.get(name.as_str()).is_some(), "{json}");
    }
    // No replica here, and no backups yet.
    let repl = &r.sections[&SectionName::Replication];
    assert_eq!(repl.status, Status::Unavailable);
    assert!(
        repl.summary.contains("no streaming replica"),
        "{}",
        repl.summary
    );
    assert!(repl.notes[0].contains("pg_basebackup"), "{:?}", repl.notes);
    let backups = &r.sections[&SectionName::Backups];
    assert_eq!(backups.summary, "no backups configured");
    // The time-series engine and the archive are read.
    assert_eq!(
        r.sections[&SectionName::Timeseries].data["backend"],
        "native"
    );
    assert!(r.sections[&SectionName::Archive].data["pending_entities"].is_number());
    let text = report::text(&r);
    assert!(text.contains("== security"), "{text}");

    // Without pg_stat_statements in this database the section says how to get it.
    let mut admin = db.admin().await?;
    admin
        .execute("DROP EXTENSION IF EXISTS pg_stat_statements")
        .await?;
    let r = report::run(
        &pool,
        &opts(&[SectionName::Statements, SectionName::Connections]),
    )
    .await;
    let st = &r.sections[&SectionName::Statements];
    assert_eq!(st.status, Status::Unavailable);
    assert!(st.summary.contains("not installed"), "{}", st.summary);
    assert!(
        st.notes[0].contains("shared_preload_libraries")
            && st.notes[0].contains("CREATE EXTENSION")
    );
    assert_eq!(r.sections[&SectionName::Connections].status, Status::Ok);
    Ok(())
}

#[tokio::test]
async fn a_login_without_privileges_sees_notes_not_failures() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    // pms_app: no pg_read_all_stats, no BYPASSRLS.
    let pool = pms_monitor::monitor_pool(
        db.urls.options(pms_db::RoleName::App)?,
        Duration::from_secs(10),
    );
    // Another role's session, busy: pms_app cannot see what it runs.
    let mut admin = db.admin().await?;
    let sleeper = tokio::spawn(async move {
        let _ = admin.execute("SELECT pg_sleep(30)").await;
    });
    let mut hidden = 0;
    for _ in 0..100 {
        let r = report::run(&pool, &opts(&[SectionName::Queries])).await;
        hidden = r.sections[&SectionName::Queries].data["hidden_sessions"]
            .as_i64()
            .unwrap_or(0);
        if hidden > 0 {
            let q = &r.sections[&SectionName::Queries];
            assert!(
                q.notes.iter().any(|n| n.contains("pg_monitor")),
                "{:?}",
                q.notes
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(hidden > 0, "the superuser's session should count as hidden");
    let r = report::run(&pool, &ReportOptions::default()).await;
    let sec = &r.sections[&SectionName::Security];
    assert_eq!(sec.status, Status::Unavailable, "{}", sec.summary);
    assert!(sec.notes[0].contains("BYPASSRLS"), "{:?}", sec.notes);
    let disk = &r.sections[&SectionName::Disk];
    assert_ne!(disk.status, Status::Error, "{}", disk.summary);
    assert!(
        disk.notes.iter().any(|n| n.contains("data_directory")),
        "{:?}",
        disk.notes
    );
    sleeper.abort();
    Ok(())
}

#[tokio::test]
async fn long_queries_are_listed_past_the_threshold_and_timeouts_are_per_section()
-> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let pool = admin_pool(&db).await?;
    let mut app = db.app.acquire().await?;
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *app)
        .await?;
    let sleeper = tokio::spawn(async move {
        let _ = app.execute("SELECT pg_sleep(60)").await;
    });
    let o = ReportOptions {
        long_query: Duration::from_millis(200),
        ..opts(&[SectionName::Queries])
    };
    let mut listed = false;
    for _ in 0..100 {
        let r = report::run(&pool, &o).await;
        let q = &r.sections[&SectionName::Queries];
        if q.data["queries"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["pid"] == pid))
        {
            assert_eq!(q.status, Status::Warning);
            assert!(report::text(&r).contains("pg_sleep(60)"));
            listed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(listed, "the sleeping query should be listed");
    // At the default threshold (5 minutes) it is not.
    let r = report::run(&pool, &opts(&[SectionName::Queries])).await;
    assert_eq!(r.sections[&SectionName::Queries].status, Status::Ok);
    let mut admin = db.admin().await?;
    sqlx::query("SELECT pg_cancel_backend($1)")
        .bind(pid)
        .execute(&mut admin)
        .await?;
    let _ = sleeper.await;

    // A statement timeout too short for the indexes section: that section says so, the next
    // one still answers.
    let tiny = ReportOptions {
        statement_timeout: Duration::from_millis(1),
        sections: vec![SectionName::Indexes, SectionName::Backups],
        ..Default::default()
    };
    let mut saw_timeout = false;
    for _ in 0..20 {
        let r = report::run(&pool, &tiny).await;
        let ix = &r.sections[&SectionName::Indexes];
        if ix.status == Status::Error {
            assert!(ix.summary.contains("timed out"), "{}", ix.summary);
            saw_timeout = true;
            break;
        }
    }
    assert!(
        saw_timeout,
        "a 1 ms statement timeout should stop the index section"
    );
    Ok(())
}
