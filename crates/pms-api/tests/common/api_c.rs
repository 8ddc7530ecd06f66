//! Helpers of the calibration, administration and IDOR-sweep-c tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::{Api, demo_user};
use pms_seed::demo_tenants::{DEMO_COMPANY, tenant_id};
use uuid::Uuid;

impl Api {
    /// Runs statements as the maintenance role (test setup only).
    pub async fn exec(&self, sql: &str) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&self.db.maintenance)
            .await
            .unwrap();
    }

    /// A review cycle of the demo company in CALIBRATION with three submitted manager reviews
    /// (Jane 4.0, Eli 3.0, Raj 2.0): (cycle, [review ids]).
    pub async fn calibration_cycle(&self, name: &str) -> (Uuid, Vec<Uuid>) {
        let t = tenant_id(&DEMO_COMPANY);
        let cycle = Uuid::new_v4();
        let reviews: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
        let mgr = demo_user("manager");
        let people = [
            (demo_user("jane"), "4.0"),
            (demo_user("employee"), "3.0"),
            (demo_user("raj"), "2.0"),
        ];
        let mut sql = format!(
            "INSERT INTO review_cycles (tenant_id, id, name, status, period_start, period_end)
             VALUES ('{t}', '{cycle}', '{name}', 'CALIBRATION', '2026-07-01', '2026-09-30');"
        );
        for (r, (p, rating)) in reviews.iter().zip(people) {
            sql.push_str(&format!(
                "INSERT INTO performance_reviews (tenant_id, id, cycle_id, reviewee_id, reviewer_id, review_type, status, overall_rating, submitted_at)
                 VALUES ('{t}', '{r}', '{cycle}', '{p}', '{mgr}', 'MANAGER', 'SUBMITTED', {rating}, '2026-09-01 10:00Z');"
            ));
        }
        self.exec(&sql).await;
        (cycle, reviews)
    }

    /// A scalar as the maintenance role.
    pub async fn text(&self, sql: &str) -> String {
        sqlx::query_scalar::<_, Option<String>>(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.db.maintenance)
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Runs `sql` as `pms_app` in a tenant transaction acting as `user` of the demo company;
    /// the database's error (its HINT) when refused.
    pub async fn as_app(&self, user: Uuid, sql: &str) -> Result<(), String> {
        let mut tx = pms_db::TenantTx::begin(
            &self.db.app,
            pms_core::TenantId(tenant_id(&DEMO_COMPANY)),
            Some(pms_core::UserId(user)),
        )
        .await
        .unwrap();
        let r = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut **tx)
            .await;
        match r {
            Ok(_) => {
                tx.commit().await.unwrap();
                Ok(())
            }
            Err(sqlx::Error::Database(db)) => Err(db
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .and_then(|p| p.hint().map(str::to_string))
                .unwrap_or_else(|| db.message().to_string())),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// The real erasure of `pms privacy erase` (archive store in a scratch directory, the test's
/// maintenance pool), for the API's erasure endpoint.
pub struct TestEraser {
    pool: sqlx::PgPool,
    dir: std::path::PathBuf,
}

impl TestEraser {
    pub fn install(api: &Api) {
        let dir = std::env::temp_dir().join(format!("pms-api-erase-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let e = TestEraser {
            pool: api.db.maintenance.clone(),
            dir,
        };
        assert!(api.state.set_eraser(std::sync::Arc::new(e)));
    }
}

impl Drop for TestEraser {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl pms_api::erasure::PersonEraser for TestEraser {
    fn erase<'a>(
        &'a self,
        tenant: pms_core::TenantId,
        person: pms_core::UserId,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = pms_api::erasure::EraseResult> + Send + 'a>,
    > {
        Box::pin(async move {
            use pms_api::erasure::EraseError;
            let cfg = pms_archive::ArchiveConfig::for_url(format!("file://{}", self.dir.display()));
            let archiver = pms_archive::Archiver::new(self.pool.clone(), &cfg)
                .map_err(|e| EraseError::Failed(e.to_string()))?;
            match pms_archive::erase::erase_person(&archiver, tenant.as_uuid(), person.as_uuid())
                .await
            {
                Ok(r) => Ok(serde_json::to_value(&r).unwrap()),
                Err(pms_archive::ArchiveError::Held { .. }) => Err(EraseError::Held),
                Err(e) => Err(EraseError::Failed(e.to_string())),
            }
        })
    }
}
