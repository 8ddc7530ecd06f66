//! Erasure reaches the warehouse: a demo person erased (`pms_archive::erase::erase_person`, the
//! path of `pms privacy erase`) after a sync leaves, in the same transaction, no trace of their
//! id, email, full name or employee number in any warehouse table; the facts OLTP keeps (the
//! reviews of them, compliance records) keep their figures, the rating distribution by
//! department included, and what OLTP deleted (feedback they received, their goals) is gone
//! from the reports too. The next sync brings nothing back and ends where a full rebuild does;
//! the next export rewrites the partitions that held them, and no Parquet file names them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use arrow_array::{Array, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use pms_archive::{ArchiveConfig, ArchiveStore, Archiver};
use pms_db::RoleName;
use pms_seed::demo::DEMO_COMPANY;
use pms_test_support::TestDb;
use sqlx::Connection as _;
use uuid::Uuid;

/// Rows of the tenant's warehouse that name any of `needles` (lower case), as 'table: row'.
async fn traces(db: &TestDb, tenant: Uuid, needles: &[String]) -> anyhow::Result<Vec<String>> {
    let mut conn = db.urls.connect(RoleName::Maintenance).await?;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'warehouse' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await?;
    assert!(tables.len() >= 12, "{tables:?}");
    let mut found = Vec::new();
    for t in tables {
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT t::text FROM warehouse.{t} t WHERE t.tenant_id = $1
                AND EXISTS (SELECT 1 FROM unnest($2::text[]) w WHERE strpos(lower(t::text), w) > 0)"
        )))
        .bind(tenant)
        .bind(needles)
        .fetch_all(&mut conn)
        .await?;
        found.extend(rows.into_iter().map(|r| format!("{t}: {r}")));
    }
    conn.close().await?;
    Ok(found)
}

/// Every string of every Parquet file under `dir` that names any of `needles`.
fn export_traces(
    dir: &std::path::Path,
    needles: &[String],
) -> anyhow::Result<(usize, Vec<String>)> {
    let mut files = 0;
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "parquet") {
                continue;
            }
            files += 1;
            let reader =
                ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(std::fs::read(&p)?))?
                    .build()?;
            for b in reader {
                let b = b?;
                for col in b.columns() {
                    if let Some(s) = col.as_any().downcast_ref::<StringArray>() {
                        for i in (0..s.len()).filter(|i| !s.is_null(*i)) {
                            let v = s.value(i).to_lowercase();
                            if needles.iter().any(|n| v.contains(n.as_str())) {
                                found.push(format!("{}: {v}", p.display()));
                            }
                        }
                    }
                }
            }
        }
    }
    Ok((files, found))
}

/// A report's rows as text, read as the reporting role.
async fn report(db: &TestDb, tenant: Uuid, function: &str) -> anyhow::Result<Vec<String>> {
    let mut conn = common::reporting(db, tenant).await?;
    let rows = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT r::text FROM {function}() r"
    )))
    .fetch_all(&mut conn)
    .await?;
    conn.close().await?;
    Ok(rows)
}

#[tokio::test]
async fn an_erased_person_leaves_no_trace_in_the_warehouse_or_its_export() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let demo = pms_seed::demo::tenant_id(&DEMO_COMPANY);
    let person = pms_seed::demo::user_id(&DEMO_COMPANY, "employee");
    common::sync(&db, DEMO_COMPANY.slug, false).await?;

    let (email, full, number): (String, String, Option<String>) = sqlx::query_as(
        "SELECT email, first_name || ' ' || last_name, employee_number FROM users WHERE tenant_id = $1 AND id = $2",
    )
    .bind(demo)
    .bind(person)
    .fetch_one(&db.maintenance)
    .await?;
    let mut needles = vec![
        person.to_string(),
        email.to_lowercase(),
        full.to_lowercase(),
    ];
    needles.extend(number.map(|n| n.to_lowercase()));
    let before = traces(&db, demo, &needles).await?;
    assert!(
        before.iter().any(|r| r.starts_with("dim_user")),
        "{before:?}"
    );
    // What the person is part of in the star: reviews of them, feedback both ways, a goal.
    let (reviews, received, given, goals): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM warehouse.fact_performance_review f JOIN warehouse.dim_user u USING (tenant_id)
                  WHERE f.tenant_id = $1 AND u.user_key = f.reviewee_key AND u.user_id = $2),
                (SELECT count(*) FROM warehouse.fact_feedback f JOIN warehouse.dim_user u USING (tenant_id)
                  WHERE f.tenant_id = $1 AND u.user_key = f.receiver_key AND u.user_id = $2),
                (SELECT count(*) FROM warehouse.fact_feedback f JOIN warehouse.dim_user u USING (tenant_id)
                  WHERE f.tenant_id = $1 AND u.user_key = f.giver_key AND u.user_id = $2),
                (SELECT count(*) FROM warehouse.fact_goal_progress f JOIN warehouse.dim_user u USING (tenant_id)
                  WHERE f.tenant_id = $1 AND u.user_key = f.owner_key AND u.user_id = $2)",
    )
    .bind(demo)
    .bind(person)
    .fetch_one(&db.maintenance)
    .await?;
    assert!(
        reviews > 0 && received > 0 && given > 0 && goals > 0,
        "{reviews} {received} {given} {goals}"
    );
    let ratings_before = report(&db, demo, "warehouse.report_rating_distribution").await?;
    let feedback_total = |db: &TestDb| {
        let pool = db.maintenance.clone();
        async move {
            let (star, oltp): (i64, i64) = sqlx::query_as(
                "SELECT (SELECT count(*) FROM warehouse.fact_feedback WHERE tenant_id = $1),
                        (SELECT count(*) FROM feedback WHERE tenant_id = $1 AND deleted_at IS NULL)",
            )
            .bind(demo)
            .fetch_one(&pool)
            .await?;
            anyhow::Ok((star, oltp))
        }
    };
    let (fb_before, _) = feedback_total(&db).await?;

    // An export before the erasure holds the person.
    let dir = std::env::temp_dir().join(format!("pms-wh-erase-{}", Uuid::new_v4().simple()));
    let store = ArchiveStore::open(&ArchiveConfig::for_url(format!("file://{}", dir.display())))?;
    let mut conn = db.urls.connect(RoleName::Maintenance).await?;
    pms_warehouse::export::export(&mut conn, &store, Some(demo)).await?;
    let (files, in_export) = export_traces(&dir, &needles)?;
    assert!(files > 10 && !in_export.is_empty(), "{files} files");

    let archive_dir =
        std::env::temp_dir().join(format!("pms-wh-erase-archive-{}", Uuid::new_v4().simple()));
    let archiver = Archiver::new(
        db.maintenance.clone(),
        &ArchiveConfig::for_url(format!("file://{}", archive_dir.display())),
    )?;
    let erased = pms_archive::erase::erase_person(&archiver, demo, person).await?;
    let hook = &erased.database["hooks"]["warehouse"];
    assert!(hook["dim_user_pseudonymised"].as_i64() >= Some(1), "{hook}");
    assert!(
        hook["fact_feedback_deleted"].as_i64() >= Some(received),
        "{hook}"
    );

    // In the erasure's own transaction: no trace, the kept facts kept, the deleted ones gone.
    assert_eq!(traces(&db, demo, &needles).await?, Vec::<String>::new());
    assert_eq!(
        report(&db, demo, "warehouse.report_rating_distribution").await?,
        ratings_before
    );
    let (fb_after, fb_oltp) = feedback_total(&db).await?;
    assert_eq!(fb_after, fb_oltp, "the star's feedback is OLTP's");
    assert_eq!(
        fb_after,
        fb_before - received,
        "only the feedback they received went"
    );
    let pseudo = erased.pseudonym_id;
    let kept: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM warehouse.fact_performance_review f JOIN warehouse.dim_user u USING (tenant_id)
          WHERE f.tenant_id = $1 AND u.user_key = f.reviewee_key AND u.user_id = $2 AND f.department_key IS NOT NULL",
    )
    .bind(demo)
    .bind(pseudo)
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(
        kept, reviews,
        "the reviews of them are kept under the pseudonym, with their department"
    );

    // The next sync brings nothing back, keeps the figures, and equals a full rebuild.
    common::sync(&db, DEMO_COMPANY.slug, false).await?;
    assert_eq!(traces(&db, demo, &needles).await?, Vec::<String>::new());
    assert_eq!(
        report(&db, demo, "warehouse.report_rating_distribution").await?,
        ratings_before
    );
    let (fb_synced, fb_oltp) = feedback_total(&db).await?;
    assert_eq!(fb_synced, fb_oltp);
    let goal_rows: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM goals WHERE tenant_id = $1 AND deleted_at IS NULL",
    )
    .bind(demo)
    .fetch_one(&db.maintenance)
    .await?;
    let star_goals: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM warehouse.fact_goal_progress WHERE tenant_id = $1",
    )
    .bind(demo)
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(star_goals, goal_rows);
    let incremental = common::contents(&db, demo).await?;
    assert!(common::scd2_violations(&db, demo).await?.is_empty());
    let again = common::sync(&db, DEMO_COMPANY.slug, false).await?;
    assert_eq!(again.total_changed(), 0, "{:?}", again.tenants[0].changed);
    common::sync(&db, DEMO_COMPANY.slug, true).await?;
    let full = common::contents(&db, demo).await?;
    assert_eq!(common::first_difference(&incremental, &full), None);
    assert_eq!(traces(&db, demo, &needles).await?, Vec::<String>::new());

    // The next export rewrites what held them; no file names them any more.
    let r = pms_warehouse::export::export(&mut conn, &store, Some(demo)).await?;
    assert!(r.written > 0, "{r:?}");
    let (_, in_export) = export_traces(&dir, &needles)?;
    assert_eq!(in_export, Vec::<String>::new());
    conn.close().await?;
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&archive_dir).ok();
    Ok(())
}
