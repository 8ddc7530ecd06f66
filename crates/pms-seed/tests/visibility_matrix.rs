//! The visibility policies, run directly in SQL as `pms_app` with `app.user_id` set (issue 15):
//! for every person of the demo tenant and every person-sensitive table, the rows they see and
//! the rows they can change, against an expectation computed here in Rust from the raw rows (read
//! by the maintenance role) and the management chain walked from `users.manager_id`. The rules
//! below are this test's own statement of docs/ARCHITECTURE.md ("Visibility inside a tenant"),
//! written independently of the SQL policies.

use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use pms_seed::demo::{DEMO_COMPANY, SECOND_TENANT, seed_demo, tenant_id, user_id};
use pms_test_support::TestDb;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// One row of a sensitive table as the rules need it: its id, the person it is about, up to two
/// other people it names, and a state (type/status/visibility).
#[derive(Debug, Clone)]
struct Row {
    id: String,
    subject: Option<Uuid>,
    other: Option<Uuid>,
    third: Option<Uuid>,
    state: String,
}

/// Per table: the query (as the maintenance role, `$1` the tenant) that yields its rows as
/// [`Row`]s.
const TABLES: &[(&str, &str)] = &[
    (
        "performance_reviews",
        "SELECT t.id::text, t.reviewee_id, t.reviewer_id, NULL::uuid, t.review_type || '/' || t.status FROM performance_reviews t WHERE t.tenant_id = $1",
    ),
    (
        "review_goals",
        "SELECT t.id::text, r.reviewee_id, r.reviewer_id, NULL::uuid, r.review_type || '/' || r.status FROM review_goals t JOIN performance_reviews r ON r.tenant_id = t.tenant_id AND r.id = t.review_id WHERE t.tenant_id = $1",
    ),
    (
        "competency_assessments",
        "SELECT t.id::text, t.user_id, t.assessor_id, NULL::uuid, '' FROM competency_assessments t WHERE t.tenant_id = $1",
    ),
    (
        "calibration_ratings",
        "SELECT t.id::text, t.employee_id, NULL::uuid, NULL::uuid, '' FROM calibration_ratings t WHERE t.tenant_id = $1",
    ),
    (
        "performance_improvement_plans",
        "SELECT t.id::text, t.employee_id, t.manager_id, t.hr_partner_id, t.status FROM performance_improvement_plans t WHERE t.tenant_id = $1",
    ),
    (
        "pip_milestones",
        "SELECT t.id::text, p.employee_id, p.manager_id, p.hr_partner_id, p.status FROM pip_milestones t JOIN performance_improvement_plans p ON p.tenant_id = t.tenant_id AND p.id = t.pip_id WHERE t.tenant_id = $1",
    ),
    (
        "pip_check_ins",
        "SELECT t.id::text, p.employee_id, p.manager_id, p.hr_partner_id, p.status FROM pip_check_ins t JOIN performance_improvement_plans p ON p.tenant_id = t.tenant_id AND p.id = t.pip_id WHERE t.tenant_id = $1",
    ),
    (
        "compensation_decisions",
        "SELECT t.id::text, t.employee_id, NULL::uuid, NULL::uuid, t.status FROM compensation_decisions t WHERE t.tenant_id = $1",
    ),
    (
        "promotion_decisions",
        "SELECT t.id::text, t.employee_id, NULL::uuid, NULL::uuid, t.status FROM promotion_decisions t WHERE t.tenant_id = $1",
    ),
    (
        "promotion_recommendations",
        "SELECT t.id::text, t.user_id, NULL::uuid, NULL::uuid, '' FROM promotion_recommendations t WHERE t.tenant_id = $1",
    ),
    (
        "succession_candidates",
        "SELECT t.id::text, t.candidate_id, NULL::uuid, NULL::uuid, '' FROM succession_candidates t WHERE t.tenant_id = $1",
    ),
    (
        "development_plans",
        "SELECT t.id::text, t.employee_id, NULL::uuid, NULL::uuid, '' FROM development_plans t WHERE t.tenant_id = $1",
    ),
    (
        "development_activities",
        "SELECT t.id::text, p.employee_id, NULL::uuid, NULL::uuid, '' FROM development_activities t JOIN development_plans p ON p.tenant_id = t.tenant_id AND p.id = t.plan_id WHERE t.tenant_id = $1",
    ),
    (
        "development_checkpoints",
        "SELECT t.id::text, p.employee_id, NULL::uuid, NULL::uuid, '' FROM development_checkpoints t JOIN development_plans p ON p.tenant_id = t.tenant_id AND p.id = t.plan_id WHERE t.tenant_id = $1",
    ),
    (
        "feedback",
        "SELECT t.id::text, t.recipient_id, t.giver_id, NULL::uuid, t.visibility FROM feedback t WHERE t.tenant_id = $1",
    ),
    (
        "feedback_360_responses",
        "SELECT t.id::text, q.subject_id, q.rater_id, NULL::uuid, '' FROM feedback_360_responses t JOIN feedback_360_requests q ON q.tenant_id = t.tenant_id AND q.id = t.request_id WHERE t.tenant_id = $1",
    ),
    (
        "feedback_360_aggregations",
        "SELECT t.id::text, t.subject_id, NULL::uuid, NULL::uuid, CASE WHEN t.is_suppressed THEN 'SUPPRESSED' ELSE '' END FROM feedback_360_aggregations t WHERE t.tenant_id = $1",
    ),
    (
        "feedback_360_gap_analyses",
        "SELECT t.id::text, t.subject_id, NULL::uuid, NULL::uuid, '' FROM feedback_360_gap_analyses t WHERE t.tenant_id = $1",
    ),
    (
        "survey_responses",
        "SELECT t.id::text, t.respondent_id, NULL::uuid, NULL::uuid, '' FROM survey_responses t WHERE t.tenant_id = $1",
    ),
    (
        "one_on_ones",
        "SELECT t.id::text, t.employee_id, t.manager_id, NULL::uuid, '' FROM one_on_ones t WHERE t.tenant_id = $1",
    ),
    (
        "one_on_one_private_notes",
        "SELECT t.id::text, t.author_id, o.manager_id, o.employee_id, '' FROM one_on_one_private_notes t JOIN one_on_ones o ON o.tenant_id = t.tenant_id AND o.id = t.one_on_one_id WHERE t.tenant_id = $1",
    ),
    (
        "delegations",
        "SELECT t.id::text, t.delegator_id, t.delegate_id, NULL::uuid, '' FROM delegations t WHERE t.tenant_id = $1",
    ),
];

/// Who is who: the HR people and everyone's managers.
struct Org {
    hr: HashSet<Uuid>,
    manager: HashMap<Uuid, Uuid>,
}

impl Org {
    /// Everyone below `me` (not `me`), by walking each person's managers up.
    fn managed(&self, me: Uuid) -> HashSet<Uuid> {
        let mut out = HashSet::new();
        for &person in self.manager.keys() {
            let mut at = person;
            let mut steps = 0;
            while let Some(&m) = self.manager.get(&at) {
                if m == me {
                    out.insert(person);
                    break;
                }
                at = m;
                steps += 1;
                assert!(steps < 100, "a cycle in the demo hierarchy");
            }
        }
        out
    }
}

/// (may read, may write) for `me` on one row of `table`: the rules in words of ARCHITECTURE.md.
fn expected(table: &str, r: &Row, me: Uuid, hr: bool, managed: &HashSet<Uuid>) -> (bool, bool) {
    let is = |p: Option<Uuid>| p == Some(me);
    let below = r.subject.is_some_and(|s| managed.contains(&s));
    let (kind, status) = r.state.split_once('/').unwrap_or(("", r.state.as_str()));
    match table {
        "performance_reviews" | "review_goals" => {
            let write = hr || below || (is(r.other) && (!is(r.subject) || kind == "SELF"));
            let read = hr
                || below
                || is(r.other)
                || (is(r.subject)
                    && (kind == "SELF" || ["SHARED", "ACKNOWLEDGED"].contains(&status)));
            if table == "review_goals" {
                (read, hr || below || is(r.other))
            } else {
                (read, write)
            }
        }
        "competency_assessments" => (
            hr || below || is(r.subject) || is(r.other),
            hr || below || is(r.other),
        ),
        "calibration_ratings" | "promotion_recommendations" | "succession_candidates" => {
            (hr || below, hr || below)
        }
        "performance_improvement_plans" | "pip_milestones" | "pip_check_ins" => (
            hr || below || is(r.other) || is(r.third) || (is(r.subject) && status != "DRAFT"),
            hr || below,
        ),
        "compensation_decisions" => (
            hr || below || (is(r.subject) && ["APPROVED", "APPLIED"].contains(&status)),
            hr || below,
        ),
        "promotion_decisions" => (
            hr || below || (is(r.subject) && ["APPROVED", "EFFECTIVE"].contains(&status)),
            hr || below,
        ),
        "development_plans" | "development_activities" | "development_checkpoints" => {
            let v = hr || below || is(r.subject);
            (v, v)
        }
        "feedback" => (
            hr || is(r.subject)
                || is(r.other)
                || status == "PUBLIC"
                || (status == "MANAGER" && below),
            hr || is(r.subject) || is(r.other),
        ),
        "feedback_360_responses" => (hr || is(r.other), is(r.other)),
        "feedback_360_aggregations" => {
            (hr || below || (is(r.subject) && status != "SUPPRESSED"), hr)
        }
        "feedback_360_gap_analyses" => (hr || below || is(r.subject), hr),
        "survey_responses" => (hr || is(r.subject), hr || is(r.subject)),
        "one_on_ones" => {
            let v = hr || below || is(r.subject) || is(r.other);
            (v, v)
        }
        "one_on_one_private_notes" => {
            (is(r.subject), is(r.subject) && (is(r.other) || is(r.third)))
        }
        "delegations" => (hr || is(r.subject) || is(r.other), hr || is(r.subject)),
        other => panic!("no rule in this test for {other}"),
    }
}

async fn org(db: &TestDb, tenant: Uuid) -> anyhow::Result<Org> {
    let managers: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT id, manager_id FROM users WHERE tenant_id = $1 AND manager_id IS NOT NULL",
    )
    .bind(tenant)
    .fetch_all(&db.maintenance)
    .await?;
    let hr: Vec<Uuid> = sqlx::query_scalar(
        "SELECT ur.user_id FROM user_roles ur JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
          WHERE ur.tenant_id = $1 AND r.code IN ('ADMIN', 'HR_ADMIN')",
    )
    .bind(tenant)
    .fetch_all(&db.maintenance)
    .await?;
    Ok(Org {
        hr: hr.into_iter().collect(),
        manager: managers.into_iter().collect(),
    })
}

async fn rows(db: &TestDb, sql: &'static str, tenant: Uuid) -> anyhow::Result<Vec<Row>> {
    type Raw = (String, Option<Uuid>, Option<Uuid>, Option<Uuid>, String);
    let raw: Vec<Raw> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(tenant)
        .fetch_all(&db.maintenance)
        .await?;
    Ok(raw
        .into_iter()
        .map(|(id, subject, other, third, state)| Row {
            id,
            subject,
            other,
            third,
            state,
        })
        .collect())
}

/// The demo seed's own delegation runs over the year around the seed's day; revoked here so that what
/// this test expects does not depend on today's date (delegations get their own test below).
async fn seeded_without_delegations(db: &TestDb) -> anyhow::Result<()> {
    seed_demo(&db.maintenance).await?;
    sqlx::query("UPDATE delegations SET revoked_at = starts_at")
        .execute(&db.maintenance)
        .await?;
    Ok(())
}

const PEOPLE: &[&str] = &[
    "ceo",
    "admin",
    "manager",
    "sales.manager",
    "employee",
    "jane",
    "raj",
    "lena",
    "omar",
];

#[tokio::test]
async fn each_person_sees_and_changes_exactly_the_rows_the_rules_give_them() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    seeded_without_delegations(&db).await?;
    let demo = tenant_id(&DEMO_COMPANY);
    let org = org(&db, demo).await?;
    // (table, person) -> (seen, changed), to show that the rules tell people apart.
    let mut outcomes: BTreeMap<&str, BTreeSet<(usize, usize)>> = BTreeMap::new();
    for (table, sql) in TABLES {
        let all = rows(&db, sql, demo).await?;
        assert!(!all.is_empty(), "{table}: the demo seed has no rows");
        for local in PEOPLE {
            let me = user_id(&DEMO_COMPANY, local);
            let managed = org.managed(me);
            let hr = org.hr.contains(&me);
            let want_read: BTreeSet<&str> = all
                .iter()
                .filter(|r| expected(table, r, me, hr, &managed).0)
                .map(|r| r.id.as_str())
                .collect();
            let want_write: BTreeSet<&str> = all
                .iter()
                .filter(|r| {
                    let (read, write) = expected(table, r, me, hr, &managed);
                    read && write
                })
                .map(|r| r.id.as_str())
                .collect();
            let mut tx = TenantTx::begin(&db.app, TenantId(demo), Some(UserId(me))).await?;
            let seen: BTreeSet<String> =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT id::text FROM {table}")))
                    .fetch_all(&mut **tx)
                    .await?
                    .into_iter()
                    .collect();
            let seen: BTreeSet<&str> = seen.iter().map(String::as_str).collect();
            assert_eq!(seen, want_read, "{table}: rows {local} sees");
            // A change of every row in the tenant: only those the person may write are touched.
            let changed: BTreeSet<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET tenant_id = tenant_id WHERE tenant_id = $1 RETURNING id::text"
            )))
            .bind(demo)
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect();
            let changed: BTreeSet<&str> = changed.iter().map(String::as_str).collect();
            assert_eq!(changed, want_write, "{table}: rows {local} can change");
            outcomes
                .entry(table)
                .or_default()
                .insert((seen.len(), changed.len()));
            tx.rollback().await?;
        }
    }
    // The API's question "may I see this person's rows of a domain": self, chain, HR.
    for local in PEOPLE {
        let me = user_id(&DEMO_COMPANY, local);
        let managed = org.managed(me);
        let mut tx = TenantTx::begin(&db.app, TenantId(demo), Some(UserId(me))).await?;
        for other in PEOPLE {
            let them = user_id(&DEMO_COMPANY, other);
            let may: bool = sqlx::query_scalar("SELECT pms_can_see_person($1, 'REVIEWS')")
                .bind(them)
                .fetch_one(&mut **tx)
                .await?;
            let want = them == me || org.hr.contains(&me) || managed.contains(&them);
            assert_eq!(may, want, "{local} may see {other}");
        }
        // The team: everyone below, with their depth.
        let team: BTreeSet<Uuid> = sqlx::query_scalar("SELECT person_id FROM pms_my_team()")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect();
        assert_eq!(team, managed.iter().copied().collect(), "{local}'s team");
        tx.rollback().await?;
    }
    for (table, seen) in outcomes {
        assert!(
            seen.len() > 1,
            "{table}: every person sees the same, the rule tells nobody apart"
        );
    }
    Ok(())
}

#[tokio::test]
async fn no_user_another_tenants_user_or_a_terminated_user_sees_nothing() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    seeded_without_delegations(&db).await?;
    let demo = tenant_id(&DEMO_COMPANY);
    let acme = tenant_id(&SECOND_TENANT);
    let demo_hr = UserId(user_id(&DEMO_COMPANY, "admin"));
    sqlx::query("UPDATE users SET status = 'TERMINATED' WHERE tenant_id = $1 AND id = $2")
        .bind(demo)
        .bind(user_id(&DEMO_COMPANY, "manager"))
        .execute(&db.maintenance)
        .await?;
    let registered: Vec<String> = sqlx::query_scalar(
        "SELECT table_name FROM pms_meta.visibility_rules WHERE read_rule IS NOT NULL",
    )
    .fetch_all(&db.maintenance)
    .await?;
    assert!(registered.len() >= 15, "{registered:?}");
    for table in &registered {
        for (tenant, user) in [
            (demo, None),
            (acme, Some(demo_hr)),
            (demo, Some(UserId(user_id(&DEMO_COMPANY, "manager")))),
        ] {
            let mut tx = TenantTx::begin(&db.app, TenantId(tenant), user).await?;
            let n: i64 =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                    .fetch_one(&mut **tx)
                    .await?;
            assert_eq!(n, 0, "{table} in tenant {tenant} as {user:?}");
            let changed = sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET tenant_id = tenant_id"
            )))
            .execute(&mut **tx)
            .await?
            .rows_affected();
            assert_eq!(changed, 0, "{table} in tenant {tenant} as {user:?}");
            tx.rollback().await?;
        }
    }
    // The same HR person in their own tenant sees the rows: the checks above are not vacuous.
    let mut tx = TenantTx::begin(&db.app, TenantId(demo), Some(demo_hr)).await?;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM performance_reviews")
        .fetch_one(&mut **tx)
        .await?;
    assert!(n > 0);
    Ok(())
}
