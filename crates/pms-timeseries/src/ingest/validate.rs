//! Row validation against the database: the tenant exists, the user belongs to it, the metric
//! is registered (and so names its hypertable), the value is finite, the time is sane.
//! Look-ups are cached per tenant, so a file of millions of rows costs a handful of queries.

use super::MetricRow;
use crate::{Hypertable, Result};
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Validates rows; built once per ingest run.
pub struct Validator {
    metrics: HashMap<String, Hypertable>,
    tenants: HashMap<Uuid, Option<HashSet<Uuid>>>,
    latest: OffsetDateTime,
}

impl Validator {
    /// Loads the metric registry; `max_future` is how far ahead of now a time may be.
    pub async fn load(pool: &PgPool, max_future: Duration) -> Result<Self> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT name, hypertable FROM timeseries.metrics")
                .fetch_all(pool)
                .await?;
        let mut metrics = HashMap::new();
        for (name, table) in rows {
            if let Ok(h) = table.parse::<Hypertable>() {
                metrics.insert(name, h);
            }
        }
        Ok(Self {
            metrics,
            tenants: HashMap::new(),
            latest: OffsetDateTime::now_utc() + max_future,
        })
    }

    /// The hypertable the row belongs to, or why it is rejected.
    pub async fn check(
        &mut self,
        pool: &PgPool,
        row: &MetricRow,
    ) -> Result<std::result::Result<Hypertable, String>> {
        if !row.value.is_finite() {
            return Ok(Err(format!("value {} is not a finite number", row.value)));
        }
        if row.recorded_at.unix_timestamp() < 0 {
            return Ok(Err(format!(
                "recorded_at {} is before 1970",
                row.recorded_at
            )));
        }
        if row.recorded_at > self.latest {
            return Ok(Err(format!(
                "recorded_at {} is in the future (later than {})",
                row.recorded_at, self.latest
            )));
        }
        let Some(&table) = self.metrics.get(&row.metric_name) else {
            return Ok(Err(format!(
                "metric {:?} is not registered (see timeseries.metrics)",
                row.metric_name
            )));
        };
        if !self.tenants.contains_key(&row.tenant_id) {
            let users = load_tenant(pool, row.tenant_id).await?;
            self.tenants.insert(row.tenant_id, users);
        }
        match self.tenants.get(&row.tenant_id) {
            Some(Some(users)) if users.contains(&row.user_id) => Ok(Ok(table)),
            Some(Some(_)) => Ok(Err(format!(
                "user {} does not exist in tenant {}",
                row.user_id, row.tenant_id
            ))),
            _ => Ok(Err(format!("tenant {} does not exist", row.tenant_id))),
        }
    }
}

async fn load_tenant(pool: &PgPool, tenant: Uuid) -> Result<Option<HashSet<Uuid>>> {
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1)")
        .bind(tenant)
        .fetch_one(pool)
        .await?;
    if !exists {
        return Ok(None);
    }
    let users: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1")
        .bind(tenant)
        .fetch_all(pool)
        .await?;
    Ok(Some(users.into_iter().collect()))
}
