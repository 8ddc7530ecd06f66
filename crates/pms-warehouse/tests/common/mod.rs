//! A small tenant to change and sync: departments, people, a review cycle with a calibration
//! session, and the OLTP changes the property test draws from. OLTP is written as
//! pms_maintenance (setup; the property is the warehouse's), the warehouse read as
//! pms_readonly with the tenant set, as a reporting login would.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use pms_db::RoleName;
use pms_test_support::TestDb;
use pms_warehouse::SyncOptions;
use sqlx::{Connection as _, PgConnection, PgPool};
use std::collections::BTreeMap;
use uuid::Uuid;

pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub departments: Vec<Uuid>,
    pub users: Vec<Uuid>,
    pub cycle: Uuid,
    pub session: Uuid,
    pub reviews: Vec<Uuid>,
    pub feedback: Vec<Uuid>,
}

/// Creates a tenant with `departments` departments and `people` people.
pub async fn tenant(pool: &PgPool, departments: usize, people: usize) -> anyhow::Result<Tenant> {
    let id = Uuid::new_v4();
    let slug = format!("wh-{}", &id.simple().to_string()[..12]);
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, 'Warehouse test')")
        .bind(id)
        .bind(&slug)
        .execute(&mut *tx)
        .await?;
    let mut t = Tenant {
        id,
        slug,
        departments: Vec::new(),
        users: Vec::new(),
        cycle: Uuid::new_v4(),
        session: Uuid::new_v4(),
        reviews: Vec::new(),
        feedback: Vec::new(),
    };
    for i in 0..departments {
        let d = Uuid::new_v4();
        sqlx::query("INSERT INTO departments (tenant_id, id, code, name) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(d)
            .bind(format!("D{i}"))
            .bind(format!("Department {i}"))
            .execute(&mut *tx)
            .await?;
        t.departments.push(d);
    }
    tx.commit().await?;
    for _ in 0..people {
        hire(pool, &mut t, 0, 0).await?;
    }
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO review_cycles (tenant_id, id, name, period_start, period_end) VALUES ($1, $2, 'FY', '2026-01-01', '2026-12-31')")
        .bind(id).bind(t.cycle).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO calibration_sessions (tenant_id, id, cycle_id, name) VALUES ($1, $2, $3, 'Calibration')")
        .bind(id).bind(t.session).bind(t.cycle).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(t)
}

pub async fn hire(
    pool: &PgPool,
    t: &mut Tenant,
    dept: usize,
    manager: usize,
) -> anyhow::Result<()> {
    let u = Uuid::new_v4();
    let n = t.users.len();
    sqlx::query(
        "INSERT INTO users (tenant_id, id, email, first_name, last_name, department_id, manager_id, level, job_title)
         VALUES ($1, $2, $3, 'Person', $4, $5, $6, 3, 'Engineer')",
    )
    .bind(t.id)
    .bind(u)
    .bind(format!("p{n}-{}@example.com", &u.simple().to_string()[..8]))
    .bind(format!("Number{n}"))
    .bind(t.departments.get(dept % t.departments.len().max(1)))
    .bind(if t.users.is_empty() { None } else { Some(t.users[manager % t.users.len()]) })
    .execute(pool)
    .await?;
    t.users.push(u);
    Ok(())
}

/// One OLTP change of the kinds the issue names.
#[derive(Debug, Clone)]
pub enum Change {
    Hire {
        dept: usize,
        manager: usize,
    },
    Depart {
        user: usize,
    },
    MoveDepartment {
        user: usize,
        dept: usize,
    },
    NewManager {
        user: usize,
        manager: usize,
    },
    Promote {
        user: usize,
    },
    Rename {
        user: usize,
    },
    WriteReview {
        reviewee: usize,
        reviewer: usize,
        rating: u8,
    },
    Recalibrate {
        review: usize,
        rating: u8,
    },
    GiveFeedback {
        giver: usize,
        receiver: usize,
        anonymous: bool,
    },
    DeleteFeedback {
        feedback: usize,
    },
    RetractReview {
        review: usize,
    },
    ReparentDepartment {
        dept: usize,
        parent: usize,
    },
    Pulse {
        user: usize,
        mood: u8,
    },
}

/// Applies a change; changes that do not apply (no such row yet, a constraint) are skipped.
pub async fn apply(pool: &PgPool, t: &mut Tenant, c: &Change) -> anyhow::Result<()> {
    let user = |i: usize| t.users[i % t.users.len()];
    let result = match c {
        Change::Hire { dept, manager } => return hire(pool, t, *dept, *manager).await,
        Change::Depart { user: i } => sqlx::query("UPDATE users SET status = 'TERMINATED', termination_date = coalesce(hire_date, '2026-06-30') WHERE tenant_id = $1 AND id = $2")
            .bind(t.id).bind(user(*i)).execute(pool).await,
        Change::MoveDepartment { user: i, dept } => sqlx::query("UPDATE users SET department_id = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(t.id).bind(user(*i)).bind(t.departments[dept % t.departments.len()]).execute(pool).await,
        Change::NewManager { user: i, manager } => {
            if user(*i) == user(*manager) { return Ok(()); }
            // A move under one's own report would make a cycle, which the reporting chain's
            // trigger refuses: such a change is not one a person could make, so it is skipped.
            sqlx::query(
                "UPDATE users SET manager_id = $3 WHERE tenant_id = $1 AND id = $2
                    AND NOT EXISTS (SELECT 1 FROM reporting_chain c
                                     WHERE c.tenant_id = $1 AND c.ancestor_id = $2 AND c.descendant_id = $3)",
            )
                .bind(t.id).bind(user(*i)).bind(user(*manager)).execute(pool).await
        }
        Change::Promote { user: i } => sqlx::query("UPDATE users SET level = least(level + 1, 20), job_title = 'Senior ' || job_title WHERE tenant_id = $1 AND id = $2")
            .bind(t.id).bind(user(*i)).execute(pool).await,
        Change::Rename { user: i } => sqlx::query("UPDATE users SET last_name = last_name || 'x' WHERE tenant_id = $1 AND id = $2")
            .bind(t.id).bind(user(*i)).execute(pool).await,
        Change::WriteReview { reviewee, reviewer, rating } => {
            let r = Uuid::new_v4();
            let res = sqlx::query(
                "INSERT INTO performance_reviews (tenant_id, id, cycle_id, reviewee_id, reviewer_id, review_type, status, overall_rating, submitted_at)
                 VALUES ($1, $2, $3, $4, $5, 'MANAGER', 'SUBMITTED', $6::numeric / 2, clock_timestamp())
                 ON CONFLICT DO NOTHING",
            )
            .bind(t.id).bind(r).bind(t.cycle).bind(user(*reviewee)).bind(user(*reviewer)).bind(i32::from(*rating % 11))
            .execute(pool).await?;
            if res.rows_affected() == 1 { t.reviews.push(r); }
            return Ok(());
        }
        Change::Recalibrate { review, rating } => {
            if t.reviews.is_empty() { return Ok(()); }
            let r = t.reviews[review % t.reviews.len()];
            sqlx::query(
                "INSERT INTO calibration_ratings (tenant_id, session_id, review_id, employee_id, original_rating, adjusted_rating, rationale, status)
                 SELECT r.tenant_id, $3, r.id, r.reviewee_id, coalesce(r.overall_rating, 0), $4::numeric / 2, 'calibrated', 'ACCEPTED'
                   FROM performance_reviews r WHERE r.tenant_id = $1 AND r.id = $2
                 ON CONFLICT (tenant_id, session_id, review_id) DO UPDATE SET adjusted_rating = excluded.adjusted_rating",
            )
            .bind(t.id).bind(r).bind(t.session).bind(i32::from(*rating % 11))
            .execute(pool).await
        }
        Change::GiveFeedback { giver, receiver, anonymous } => {
            if user(*giver) == user(*receiver) { return Ok(()); }
            let f = Uuid::new_v4();
            sqlx::query("INSERT INTO feedback (tenant_id, id, giver_id, recipient_id, is_anonymous, body, sentiment_score) VALUES ($1, $2, $3, $4, $5, 'well done', 0.5)")
                .bind(t.id).bind(f).bind(user(*giver)).bind(user(*receiver)).bind(*anonymous)
                .execute(pool).await?;
            t.feedback.push(f);
            return Ok(());
        }
        Change::DeleteFeedback { feedback } => {
            if t.feedback.is_empty() { return Ok(()); }
            let f = t.feedback.remove(feedback % t.feedback.len());
            sqlx::query("DELETE FROM feedback WHERE tenant_id = $1 AND id = $2").bind(t.id).bind(f).execute(pool).await
        }
        Change::RetractReview { review } => {
            if t.reviews.is_empty() { return Ok(()); }
            let r = t.reviews[review % t.reviews.len()];
            sqlx::query("UPDATE performance_reviews SET deleted_at = now() WHERE tenant_id = $1 AND id = $2").bind(t.id).bind(r).execute(pool).await
        }
        Change::ReparentDepartment { dept, parent } => {
            let (d, p) = (t.departments[dept % t.departments.len()], t.departments[parent % t.departments.len()]);
            if d == p { return Ok(()); }
            sqlx::query("UPDATE departments SET parent_id = $3 WHERE tenant_id = $1 AND id = $2").bind(t.id).bind(d).bind(p).execute(pool).await
        }
        Change::Pulse { user: i, mood } => sqlx::query("INSERT INTO pulse_responses (tenant_id, user_id, mood) VALUES ($1, $2, $3)")
            .bind(t.id).bind(user(*i)).bind(i16::from(*mood % 5 + 1)).execute(pool).await,
    };
    result?;
    Ok(())
}

/// One sync pass of one tenant, on a maintenance connection of its own.
pub async fn sync(
    db: &TestDb,
    slug: &str,
    full: bool,
) -> anyhow::Result<pms_warehouse::SyncReport> {
    let mut conn = db.urls.connect(RoleName::Maintenance).await?;
    let opts = SyncOptions {
        tenant: Some(slug.to_string()),
        full,
        ..Default::default()
    };
    let report = pms_warehouse::sync(&mut conn, &opts, &mut |_| {}).await?;
    conn.close().await?;
    Ok(report)
}

/// A reporting connection (pms_readonly) in a transaction scoped to the tenant.
pub async fn reporting(db: &TestDb, tenant: Uuid) -> anyhow::Result<PgConnection> {
    let mut conn = db.urls.connect(RoleName::Readonly).await?;
    sqlx::query("BEGIN").execute(&mut conn).await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut conn)
        .await?;
    Ok(conn)
}

/// The tenant's warehouse, keys resolved, read as the reporting role.
pub async fn contents(db: &TestDb, tenant: Uuid) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    let mut conn = reporting(db, tenant).await?;
    let c = pms_warehouse::canonical::contents(&mut conn, tenant).await?;
    conn.close().await?;
    Ok(c)
}

pub async fn scd2_violations(db: &TestDb, tenant: Uuid) -> anyhow::Result<Vec<String>> {
    let mut conn = reporting(db, tenant).await?;
    let v = pms_warehouse::canonical::scd2_violations(&mut conn, tenant).await?;
    conn.close().await?;
    Ok(v)
}

/// The first difference between two warehouses, for a readable failure.
pub fn first_difference(
    a: &BTreeMap<String, Vec<String>>,
    b: &BTreeMap<String, Vec<String>>,
) -> Option<String> {
    for (table, rows) in a {
        let other = b.get(table).cloned().unwrap_or_default();
        if *rows != other {
            let only_a: Vec<_> = rows.iter().filter(|r| !other.contains(r)).take(3).collect();
            let only_b: Vec<_> = other.iter().filter(|r| !rows.contains(r)).take(3).collect();
            return Some(format!(
                "{table}: {} vs {} rows; only in incremental {only_a:?}; only in full {only_b:?}",
                rows.len(),
                other.len()
            ));
        }
    }
    None
}

/// As [`reporting`], from the database's URLs.
pub async fn reporting_urls(urls: &pms_db::DbUrls, tenant: Uuid) -> anyhow::Result<PgConnection> {
    let mut conn = urls.connect(RoleName::Readonly).await?;
    sqlx::query("BEGIN").execute(&mut conn).await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut conn)
        .await?;
    Ok(conn)
}
