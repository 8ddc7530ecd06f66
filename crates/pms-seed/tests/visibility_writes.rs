//! Writes outside a person's scope are refused by the database (issue 15): a new row about
//! someone else fails the policy's WITH CHECK, a change of someone else's row changes nothing;
//! a delegation widens the delegate's scope only inside its window and only until it is revoked;
//! nobody but HR grants roles or moves people in the chain. As `pms_app` with `app.user_id`, on
//! the demo tenant.

use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use pms_seed::demo::{DEMO_COMPANY, seed_demo, tenant_id, user_id};
use pms_test_support::TestDb;
use uuid::Uuid;

fn person(local: &str) -> Uuid {
    user_id(&DEMO_COMPANY, local)
}

async fn as_person(db: &TestDb, local: &str) -> anyhow::Result<TenantTx> {
    Ok(TenantTx::begin(
        &db.app,
        TenantId(tenant_id(&DEMO_COMPANY)),
        Some(UserId(person(local))),
    )
    .await?)
}

fn is_rls_refusal(e: &sqlx::Error) -> bool {
    e.as_database_error().and_then(|d| d.code()).as_deref() == Some("42501")
}

async fn seeded() -> anyhow::Result<TestDb> {
    let db = TestDb::new().await?;
    seed_demo(&db.maintenance).await?;
    // The seed's own delegation covers a fixed calendar year: revoked, so that nothing here
    // depends on today's date.
    sqlx::query("UPDATE delegations SET revoked_at = starts_at")
        .execute(&db.maintenance)
        .await?;
    Ok(db)
}

/// Pay decisions: a peer cannot propose one for a peer, nor change one; the manager can.
#[tokio::test]
async fn writes_outside_the_scope_are_refused() -> anyhow::Result<()> {
    let db = seeded().await?;
    let t = tenant_id(&DEMO_COMPANY);
    let insert = "INSERT INTO compensation_decisions (tenant_id, employee_id, proposed_amount, effective_date)
                  VALUES ($1, $2, 1, DATE '2027-01-01')";
    let mut tx = as_person(&db, "employee").await?;
    let err = sqlx::query(insert)
        .bind(t)
        .bind(person("jane"))
        .execute(&mut **tx)
        .await
        .unwrap_err();
    assert!(is_rls_refusal(&err), "{err}");
    tx.rollback().await?;
    // Nor for themself.
    let mut tx = as_person(&db, "employee").await?;
    let err = sqlx::query(insert)
        .bind(t)
        .bind(person("employee"))
        .execute(&mut **tx)
        .await
        .unwrap_err();
    assert!(is_rls_refusal(&err), "{err}");
    tx.rollback().await?;
    // A change of a peer's review, or of another department's, touches nothing (but the review
    // a peer writes of Eli, Jane may change).
    for (who, whose, mine) in [
        ("employee", "jane", 0),
        ("sales.manager", "jane", 0),
        ("jane", "employee", 1),
    ] {
        let mut tx = as_person(&db, who).await?;
        let n = sqlx::query(
            "UPDATE performance_reviews SET overall_rating = 1 WHERE reviewee_id = $1 AND reviewer_id IS DISTINCT FROM $2",
        )
        .bind(person(whose))
        .bind(person(who))
        .execute(&mut **tx)
        .await?
        .rows_affected();
        assert_eq!(n, 0, "{who} changed a review of {whose}");
        let n = sqlx::query("UPDATE performance_reviews SET overall_rating = 1 WHERE reviewee_id = $1 AND reviewer_id = $2")
            .bind(person(whose))
            .bind(person(who))
            .execute(&mut **tx)
            .await?
            .rows_affected();
        assert_eq!(n, mine, "{who} writing their own review of {whose}");
        tx.rollback().await?;
    }
    // Moving a row out of scope: the manager may not hand a report's decision to someone outside.
    let mut tx = as_person(&db, "manager").await?;
    sqlx::query(insert)
        .bind(t)
        .bind(person("jane"))
        .execute(&mut **tx)
        .await?;
    let err =
        sqlx::query("UPDATE compensation_decisions SET employee_id = $1 WHERE employee_id = $2")
            .bind(person("lena"))
            .bind(person("jane"))
            .execute(&mut **tx)
            .await
            .unwrap_err();
    assert!(is_rls_refusal(&err), "{err}");
    tx.rollback().await?;
    // Private notes: the author must be one of the two people meeting.
    let meeting: Uuid = sqlx::query_scalar(
        "SELECT id FROM one_on_ones WHERE tenant_id = $1 AND employee_id = $2 LIMIT 1",
    )
    .bind(t)
    .bind(person("jane"))
    .fetch_one(&db.maintenance)
    .await?;
    let note = "INSERT INTO one_on_one_private_notes (tenant_id, one_on_one_id, author_id, body) VALUES ($1, $2, $3, 'x')";
    let mut tx = as_person(&db, "admin").await?;
    let err = sqlx::query(note)
        .bind(t)
        .bind(meeting)
        .bind(person("admin"))
        .execute(&mut **tx)
        .await
        .unwrap_err();
    assert!(is_rls_refusal(&err), "{err}");
    tx.rollback().await?;
    let mut tx = as_person(&db, "jane").await?;
    sqlx::query(note)
        .bind(t)
        .bind(meeting)
        .bind(person("jane"))
        .execute(&mut **tx)
        .await?;
    tx.rollback().await?;
    Ok(())
}

/// The reviews of Eli (who reports to Morgan) as Sam (another manager), given a delegation from
/// Morgan: visible only while the delegation runs, in its domain, and not once revoked.
#[tokio::test]
async fn a_delegation_widens_the_scope_only_in_its_window_and_domain() -> anyhow::Result<()> {
    let db = seeded().await?;
    let t = tenant_id(&DEMO_COMPANY);
    let count = |table: &'static str| {
        let db = &db;
        async move {
            let mut tx = as_person(db, "sales.manager").await?;
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM {table} WHERE {} = $1",
                if table == "performance_reviews" {
                    "reviewee_id"
                } else {
                    "employee_id"
                }
            )))
            .bind(person("employee"))
            .fetch_one(&mut **tx)
            .await?;
            tx.rollback().await?;
            anyhow::Ok(n)
        }
    };
    let reviews_total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM performance_reviews WHERE tenant_id = $1 AND reviewee_id = $2",
    )
    .bind(t)
    .bind(person("employee"))
    .fetch_one(&db.maintenance)
    .await?;
    assert!(reviews_total > 0);
    assert_eq!(count("performance_reviews").await?, 0);
    // Jane cannot delegate Morgan's rights to herself.
    let mut tx = as_person(&db, "jane").await?;
    let err = sqlx::query(
        "INSERT INTO delegations (tenant_id, delegator_id, delegate_id, scope, starts_at, ends_at)
         VALUES ($1, $2, $3, 'ALL', now() - interval '1 hour', now() + interval '1 day')",
    )
    .bind(t)
    .bind(person("manager"))
    .bind(person("jane"))
    .execute(&mut **tx)
    .await
    .unwrap_err();
    assert!(is_rls_refusal(&err), "{err}");
    tx.rollback().await?;
    // Morgan delegates, as themself, windows relative to the database's clock.
    let delegate = |scope: &'static str, starts: &'static str, ends: &'static str| {
        let db = &db;
        async move {
            let mut tx = as_person(db, "manager").await?;
            let id: Uuid = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "INSERT INTO delegations (tenant_id, delegator_id, delegate_id, scope, starts_at, ends_at)
                 VALUES ($1, $2, $3, '{scope}', now() + interval '{starts}', now() + interval '{ends}') RETURNING id"
            )))
            .bind(t)
            .bind(person("manager"))
            .bind(person("sales.manager"))
            .fetch_one(&mut **tx)
            .await?;
            tx.commit().await?;
            anyhow::Ok(id)
        }
    };
    let future = delegate("REVIEWS", "1 day", "2 days").await?;
    assert_eq!(
        count("performance_reviews").await?,
        0,
        "a delegation that has not started"
    );
    let past = delegate("REVIEWS", "-2 days", "-1 day").await?;
    assert_eq!(
        count("performance_reviews").await?,
        0,
        "a delegation that has ended"
    );
    let approvals = delegate("APPROVALS", "-1 hour", "1 day").await?;
    assert_eq!(count("performance_reviews").await?, 0, "another domain");
    let comp_total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM compensation_decisions WHERE tenant_id = $1 AND employee_id = $2",
    )
    .bind(t)
    .bind(person("employee"))
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(
        count("compensation_decisions").await?,
        comp_total,
        "the delegated domain"
    );
    let running = delegate("REVIEWS", "-1 hour", "1 day").await?;
    assert_eq!(
        count("performance_reviews").await?,
        reviews_total,
        "a running delegation"
    );
    // Revoked by the delegator: the scope is back at once.
    let mut tx = as_person(&db, "manager").await?;
    let n = sqlx::query("UPDATE delegations SET revoked_at = now() WHERE id = ANY ($1)")
        .bind(vec![future, past, approvals, running])
        .execute(&mut **tx)
        .await?
        .rows_affected();
    assert_eq!(n, 4);
    tx.commit().await?;
    assert_eq!(count("performance_reviews").await?, 0, "revoked");
    assert_eq!(count("compensation_decisions").await?, 0, "revoked");
    // The delegate cannot undo the revocation.
    let mut tx = as_person(&db, "sales.manager").await?;
    let n = sqlx::query("UPDATE delegations SET revoked_at = NULL WHERE id = $1")
        .bind(running)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    assert_eq!(n, 0);
    Ok(())
}

/// Roles and the chain itself: only HR grants a role or changes a manager.
#[tokio::test]
async fn only_hr_grants_roles_and_moves_people() -> anyhow::Result<()> {
    let db = seeded().await?;
    let t = tenant_id(&DEMO_COMPANY);
    let hr_role: Uuid =
        sqlx::query_scalar("SELECT id FROM roles WHERE tenant_id = $1 AND code = 'HR_ADMIN'")
            .bind(t)
            .fetch_one(&db.maintenance)
            .await?;
    let grant = "INSERT INTO user_roles (tenant_id, user_id, role_id) VALUES ($1, $2, $3)";
    let mut tx = as_person(&db, "manager").await?;
    let err = sqlx::query(grant)
        .bind(t)
        .bind(person("manager"))
        .bind(hr_role)
        .execute(&mut **tx)
        .await
        .unwrap_err();
    assert!(is_rls_refusal(&err), "{err}");
    tx.rollback().await?;
    let mut tx = as_person(&db, "admin").await?;
    sqlx::query(grant)
        .bind(t)
        .bind(person("manager"))
        .bind(hr_role)
        .execute(&mut **tx)
        .await?;
    tx.rollback().await?;
    // Making a peer report to oneself would show their reviews: refused.
    let mut tx = as_person(&db, "jane").await?;
    let err = sqlx::query("UPDATE users SET manager_id = $1 WHERE id = $2")
        .bind(person("jane"))
        .bind(person("employee"))
        .execute(&mut **tx)
        .await
        .unwrap_err();
    assert_eq!(
        err.as_database_error().and_then(|d| d.code()).as_deref(),
        Some("42501"),
        "{err}"
    );
    assert!(
        err.to_string().contains("only an HR administrator"),
        "{err}"
    );
    tx.rollback().await?;
    // HR moves Eli under Jane: Jane sees Eli's reviews at once, Morgan still does (above Jane).
    let mut tx = as_person(&db, "admin").await?;
    sqlx::query("UPDATE users SET manager_id = $1 WHERE id = $2")
        .bind(person("jane"))
        .bind(person("employee"))
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    for who in ["jane", "manager", "ceo"] {
        let mut tx = as_person(&db, who).await?;
        let n: i64 =
            sqlx::query_scalar("SELECT count(*) FROM calibration_ratings WHERE employee_id = $1")
                .bind(person("employee"))
                .fetch_one(&mut **tx)
                .await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM calibration_ratings WHERE tenant_id = $1 AND employee_id = $2",
        )
        .bind(t)
        .bind(person("employee"))
        .fetch_one(&db.maintenance)
        .await?;
        assert!(total > 0);
        assert_eq!(n, total, "{who}");
        tx.rollback().await?;
    }
    Ok(())
}

/// A shared review is acknowledged by its reviewee through `pms_acknowledge_review`, and by
/// nobody else; the reviewee still cannot rewrite it.
#[tokio::test]
async fn the_reviewee_acknowledges_a_shared_review_and_changes_nothing_else() -> anyhow::Result<()>
{
    let db = seeded().await?;
    let t = tenant_id(&DEMO_COMPANY);
    let review: Uuid = sqlx::query_scalar(
        "SELECT id FROM performance_reviews WHERE tenant_id = $1 AND reviewee_id = $2 AND status = 'SHARED' LIMIT 1",
    )
    .bind(t)
    .bind(person("jane"))
    .fetch_one(&db.maintenance)
    .await?;
    let ack = "SELECT pms_acknowledge_review($1)";
    for who in ["employee", "manager", "admin"] {
        let mut tx = as_person(&db, who).await?;
        let done: bool = sqlx::query_scalar(ack)
            .bind(review)
            .fetch_one(&mut **tx)
            .await?;
        assert!(!done, "{who} acknowledged Jane's review");
        tx.rollback().await?;
    }
    let mut tx = as_person(&db, "jane").await?;
    let n = sqlx::query("UPDATE performance_reviews SET overall_rating = 5 WHERE id = $1")
        .bind(review)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    assert_eq!(n, 0, "the reviewee rewrote their manager's review");
    let done: bool = sqlx::query_scalar(ack)
        .bind(review)
        .fetch_one(&mut **tx)
        .await?;
    assert!(done);
    let again: bool = sqlx::query_scalar(ack)
        .bind(review)
        .fetch_one(&mut **tx)
        .await?;
    assert!(!again, "acknowledged twice");
    tx.commit().await?;
    let status: String = sqlx::query_scalar(
        "SELECT status FROM performance_reviews WHERE tenant_id = $1 AND id = $2",
    )
    .bind(t)
    .bind(review)
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(status, "ACKNOWLEDGED");
    Ok(())
}
