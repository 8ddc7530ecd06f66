//! The catalog of visibility inside a tenant (issue 15): every table that holds person-sensitive
//! data (the list below) carries restrictive policies for reads and for each kind of write,
//! made from its rule in `pms_meta.visibility_rules`; nothing is registered that the list does
//! not name; and a table with columns that look sensitive (pay, ratings, private text) is
//! either on the list or exempted here with its reason. Each check is also shown to fail.

use pms_test_support::TestDb;
use sqlx::{Executor, PgConnection};

/// The person-sensitive tables, each under a visibility rule. Adding a table that holds pay,
/// ratings, assessments, plans or private words about a person means adding it here and in
/// `sql/replaceable/070_visibility_03_policies.sql` (or `076_api_a_visibility.sql`, `079_api_e_01_visibility.sql`).
const SENSITIVE: &[&str] = &[
    "calibration_ratings",
    "compensation_decisions",
    "competency_assessments",
    "dashboard_widgets",
    "dashboards",
    "delegations",
    "development_activities",
    "development_checkpoints",
    "development_plans",
    "feedback",
    "feedback_360_aggregations",
    "feedback_360_cycles",
    "feedback_360_gap_analyses",
    "feedback_360_nominations",
    "feedback_360_questionnaires",
    "feedback_360_questions",
    "feedback_360_requests",
    "feedback_360_responses",
    "generated_reports",
    "ml_model_predictions",
    "notification_preferences",
    "notifications",
    "one_on_one_action_items",
    "one_on_one_agenda_items",
    "one_on_one_private_notes",
    "one_on_ones",
    "performance_improvement_plans",
    "performance_reviews",
    "pip_check_ins",
    "pip_milestones",
    "pip_templates",
    "promotion_decisions",
    "promotion_recommendations",
    "pulse_responses",
    "report_definitions",
    "report_schedules",
    "review_goals",
    "roles",
    "succession_candidates",
    "succession_plans",
    "survey_participations",
    "survey_responses",
    "user_roles",
];

/// Tables whose column names look sensitive but that hold no person's sensitive data, and why.
const NOT_SENSITIVE: &[(&str, &str)] = &[
    (
        "invoices",
        "the tenant's own billing: amounts owed by the customer, no person",
    ),
    (
        "review_templates",
        "rating scales of a template: configuration, no person",
    ),
];

/// Column names that say "sensitive about a person" wherever they appear.
const SENSITIVE_COLUMN: &str = "(salary|compensation|amount|bonus|rating|private|readiness)";

/// What is wrong with the visibility catalog, one line per problem.
async fn violations(conn: &mut PgConnection) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let registered: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT table_name, read_rule FROM pms_meta.visibility_rules ORDER BY 1")
            .fetch_all(&mut *conn)
            .await?;
    for table in SENSITIVE {
        let Some((_, read_rule)) = registered.iter().find(|(t, _)| t == table) else {
            out.push(format!(
                "{table}: sensitive, but no visibility rule is registered"
            ));
            continue;
        };
        // The restrictive policies that apply to pms_app, by command, and whether their USING
        // and WITH CHECK name the acting user.
        let policies: Vec<(String, bool, bool)> = sqlx::query_as(
            "SELECT p.polcmd::text,
                    coalesce(pg_get_expr(p.polqual, p.polrelid) LIKE '%pms_acting_user_row()%', false),
                    coalesce(pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%pms_acting_user_row()%', false)
               FROM pg_policy p
              WHERE p.polrelid = to_regclass('public.' || $1) AND NOT p.polpermissive
                AND 'pms_app'::regrole = ANY (p.polroles)",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await?;
        let has = |cmd: &str, using: bool, check: bool| {
            policies
                .iter()
                .any(|(c, u, w)| c == cmd && (!using || *u) && (!check || *w))
        };
        if read_rule.is_some() && !has("r", true, false) {
            out.push(format!(
                "{table}: no restrictive read policy on the acting user"
            ));
        }
        if !has("a", false, true) {
            out.push(format!(
                "{table}: no restrictive insert policy (WITH CHECK) on the acting user"
            ));
        }
        if !has("w", true, true) {
            out.push(format!(
                "{table}: no restrictive update policy (USING and WITH CHECK) on the acting user"
            ));
        }
        if !has("d", true, false) {
            out.push(format!(
                "{table}: no restrictive delete policy on the acting user"
            ));
        }
    }
    for (table, _) in &registered {
        if !SENSITIVE.contains(&table.as_str()) {
            out.push(format!(
                "{table}: registered, but not in the test's list of sensitive tables"
            ));
        }
    }
    // A table with visibility policies that the registry does not know.
    let unregistered: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT c.relname::text FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND p.polname LIKE 'visibility\\_%'
            AND NOT EXISTS (SELECT 1 FROM pms_meta.visibility_rules r WHERE r.table_name = c.relname)",
    )
    .fetch_all(&mut *conn)
    .await?;
    out.extend(
        unregistered
            .into_iter()
            .map(|t| format!("{t}: visibility policies without a registered rule")),
    );
    // The heuristic: sensitive-looking columns in a table neither listed nor exempted.
    let looks: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, string_agg(a.attname::text, ', ' ORDER BY a.attnum)
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            AND a.attnum > 0 AND NOT a.attisdropped AND a.attname ~ $1
          GROUP BY 1 ORDER BY 1",
    )
    .bind(SENSITIVE_COLUMN)
    .fetch_all(&mut *conn)
    .await?;
    for (table, columns) in looks {
        if !SENSITIVE.contains(&table.as_str()) && !NOT_SENSITIVE.iter().any(|(t, _)| *t == table) {
            out.push(format!("{table}: columns {columns} look person-sensitive, and the table has no visibility rule"));
        }
    }
    Ok(out)
}

#[tokio::test]
async fn every_sensitive_table_has_its_restrictive_policies() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    let found = violations(&mut owner).await?;
    assert!(found.is_empty(), "{found:#?}");
    // One rule per listed table, each saying in words who reads and who writes (the registry's
    // CHECKs refuse empty words).
    let rules: i64 = sqlx::query_scalar("SELECT count(*) FROM pms_meta.visibility_rules")
        .fetch_one(&mut owner)
        .await?;
    assert_eq!(rules, SENSITIVE.len() as i64);
    Ok(())
}

#[tokio::test]
async fn the_check_catches_a_missing_policy_a_stray_rule_and_a_sensitive_column()
-> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    owner
        .execute(
            "DROP POLICY visibility_update ON performance_reviews;
             DROP POLICY visibility_select ON calibration_ratings;
             DELETE FROM pms_meta.visibility_rules WHERE table_name = 'pip_milestones';
             INSERT INTO pms_meta.visibility_rules (table_name, domain, insert_rule, write_rule, readers, writers)
                  VALUES ('teams', 'ACCESS', 'true', 'true', 'anyone', 'anyone');
             ALTER TABLE evidence ADD COLUMN bonus_amount numeric;
             DROP POLICY visibility_delete ON feedback;
             CREATE POLICY visibility_delete ON feedback AS RESTRICTIVE FOR DELETE TO pms_app USING (true);",
        )
        .await?;
    let found = violations(&mut owner).await?;
    for expected in [
        "performance_reviews: no restrictive update policy",
        "calibration_ratings: no restrictive read policy",
        "pip_milestones: sensitive, but no visibility rule is registered",
        "pip_milestones: visibility policies without a registered rule",
        "teams: registered, but not in the test's list",
        "evidence: columns bonus_amount look person-sensitive",
        "feedback: no restrictive delete policy",
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(expected)),
            "{expected} not caught in {found:#?}"
        );
    }
    Ok(())
}
