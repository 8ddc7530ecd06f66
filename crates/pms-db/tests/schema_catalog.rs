//! Catalog tests for the full OLTP schema: its size, a purpose for every index, locked-down
//! SECURITY DEFINER functions and security_invoker views. Each check is also shown to catch a
//! broken schema.

use pms_test_support::{TestDb, catalog};
use sqlx::Executor;

#[tokio::test]
async fn at_least_100_tables_and_300_indexes_each_with_its_access_path() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    let (tables, indexes) = catalog::table_and_index_counts(&mut owner).await?;
    assert!(tables >= 100, "only {tables} tables");
    assert!(
        indexes >= 300,
        "only {indexes} indexes besides primary keys"
    );
    let uncommented = catalog::uncommented_indexes(&mut owner).await?;
    assert!(
        uncommented.is_empty(),
        "indexes without a COMMENT naming their access path: {uncommented:#?}"
    );
    // Every table says which domain it belongs to (docs/SCHEMA.md groups by it).
    let undomained: Vec<String> = sqlx::query_scalar(
        r#"SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
             AND coalesce(obj_description(c.oid, 'pg_class'), '') !~ '^\[[a-z0-9_]+\] '
           ORDER BY 1"#,
    )
    .fetch_all(&mut owner)
    .await?;
    assert!(
        undomained.is_empty(),
        "tables whose comment does not start with [domain]: {undomained:#?}"
    );

    owner
        .execute("CREATE INDEX probe_idx ON goals (tenant_id, title)")
        .await?;
    assert_eq!(
        catalog::uncommented_indexes(&mut owner).await?,
        vec!["probe_idx".to_string()]
    );
    Ok(())
}

#[tokio::test]
async fn the_named_tables_of_the_specification_exist() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    let tables = catalog::tenant_tables(&mut owner).await?;
    for name in [
        "goals",
        "key_results",
        "goal_alignments",
        "goal_progress_updates",
        "goal_comments",
        "review_cycles",
        "review_templates",
        "performance_reviews",
        "review_goals",
        "competency_frameworks",
        "competencies",
        "competency_assessments",
        "feedback",
        "one_on_ones",
        "one_on_one_action_items",
        "calibration_sessions",
        "calibration_participants",
        "calibration_ratings",
        "evidence",
        "evidence_links",
        "compensation_decisions",
        "promotion_decisions",
        "ml_model_predictions",
        "engagement_surveys",
        "survey_responses",
        "promotion_recommendations",
        "succession_plans",
        "development_plans",
        "team_optimizations",
        "performance_improvement_plans",
        "organizational_health_metrics",
        "notifications",
        "notification_templates",
        "background_jobs",
        "subscriptions",
        "invoices",
    ] {
        assert!(tables.iter().any(|t| t == name), "missing table {name}");
    }
    // Tables that audit and retention attach to carry created_at, updated_at and a person.
    for (table, person) in [
        ("performance_reviews", "reviewee_id"),
        ("calibration_ratings", "employee_id"),
        ("feedback", "recipient_id"),
        ("goals", "owner_id"),
        ("performance_improvement_plans", "employee_id"),
        ("compensation_decisions", "employee_id"),
        ("promotion_decisions", "employee_id"),
        ("development_plans", "employee_id"),
        ("succession_plans", "incumbent_id"),
        ("notifications", "recipient_id"),
    ] {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
               AND column_name IN ('created_at', 'updated_at', $2)",
        )
        .bind(table)
        .bind(person)
        .fetch_one(&mut owner)
        .await?;
        assert_eq!(n, 3, "{table} lacks created_at, updated_at or {person}");
    }
    Ok(())
}

#[tokio::test]
async fn security_definer_functions_have_a_fixed_search_path_and_no_public_execute()
-> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    let violations = catalog::security_definer_violations(&mut owner).await?;
    assert!(violations.is_empty(), "{violations:#?}");

    owner
        .execute(
            "CREATE FUNCTION public.probe_definer() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
             GRANT EXECUTE ON FUNCTION public.probe_definer() TO PUBLIC;",
        )
        .await?;
    let violations = catalog::security_definer_violations(&mut owner).await?;
    assert_eq!(
        violations,
        vec!["probe_definer(): no fixed search_path, PUBLIC may execute".to_string()]
    );
    Ok(())
}

#[tokio::test]
async fn views_run_with_the_callers_rights() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    let views: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_views WHERE schemaname = 'public'")
            .fetch_one(&mut owner)
            .await?;
    assert!(views >= 2, "the schema's views are missing");
    let violations = catalog::views_without_security_invoker(&mut owner).await?;
    assert!(
        violations.is_empty(),
        "views without security_invoker: {violations:#?}"
    );

    owner
        .execute("CREATE VIEW probe_view AS SELECT id FROM goals")
        .await?;
    assert_eq!(
        catalog::views_without_security_invoker(&mut owner).await?,
        vec!["probe_view".to_string()]
    );
    Ok(())
}
