//! Row validation against the database: the tenant exists, the user belongs to it, the metric
//! is registered (and so names its hypertable), the value is finite, the time is sane.
//! Look-ups are cached per tenant, so a file of millions of rows costs a handful of queries.

use super::MetricRow;
use super::copy::pg_timestamp;
use crate::{Hypertable, Result};
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A hasher for the validator's own keys: UUIDs (random already) and the few registered metric
/// names. Nobody outside chooses what goes into these tables, so the flooding resistance of
/// the standard SipHash buys nothing here, and its cost is paid three times per row.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut words = bytes.chunks_exact(8);
        for w in words.by_ref() {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            self.0 = (self.0.rotate_left(23) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &b in words.remainder() {
            self.0 = (self.0.rotate_left(23) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write(&n.to_le_bytes());
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits weakest; the table picks its bucket from those.
        self.0 ^ (self.0 >> 29)
    }
}

type Keyed = BuildHasherDefault<KeyHasher>;

/// Validates rows; built once per ingest run.
pub struct Validator {
    metrics: HashMap<String, Hypertable, Keyed>,
    tenants: HashMap<Uuid, Option<HashSet<Uuid, Keyed>>, Keyed>,
    latest: OffsetDateTime,
    /// `latest` and 1970-01-01 as [`pg_timestamp`] gives them: each row's time is compared as
    /// the integer it is encoded as anyway.
    latest_pg: i64,
    unix_epoch_pg: i64,
}

/// A row that passed: its hypertable and its time as [`pg_timestamp`] gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Checked {
    pub table: Hypertable,
    pub pg_time: i64,
}

impl Validator {
    /// Loads the metric registry; `max_future` is how far ahead of now a time may be.
    pub async fn load(pool: &PgPool, max_future: Duration) -> Result<Self> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT name, hypertable FROM timeseries.metrics")
                .fetch_all(pool)
                .await?;
        let mut metrics = HashMap::default();
        for (name, table) in rows {
            if let Ok(h) = table.parse::<Hypertable>() {
                metrics.insert(name, h);
            }
        }
        let latest = OffsetDateTime::now_utc() + max_future;
        Ok(Self {
            metrics,
            tenants: HashMap::default(),
            latest,
            latest_pg: pg_timestamp(latest),
            unix_epoch_pg: pg_timestamp(OffsetDateTime::UNIX_EPOCH),
        })
    }

    /// A validator whose look-ups are already made: the registry (`name`, `hypertable` of
    /// `timeseries.metrics`) and the people of one tenant, read by the caller in its own
    /// transaction (the API does, under its tenant's policy). `now` is where the future limit
    /// counts from. Rows of any other tenant are "does not exist".
    pub fn from_parts(
        registry: impl IntoIterator<Item = (String, String)>,
        tenant: Uuid,
        users: impl IntoIterator<Item = Uuid>,
        max_future: Duration,
        now: OffsetDateTime,
    ) -> Self {
        let mut metrics = HashMap::default();
        for (name, table) in registry {
            if let Ok(h) = table.parse::<Hypertable>() {
                metrics.insert(name, h);
            }
        }
        let mut tenants: HashMap<Uuid, Option<HashSet<Uuid, Keyed>>, Keyed> = HashMap::default();
        tenants.insert(tenant, Some(users.into_iter().collect()));
        let latest = now + max_future;
        Self {
            metrics,
            tenants,
            latest,
            latest_pg: pg_timestamp(latest),
            unix_epoch_pg: pg_timestamp(OffsetDateTime::UNIX_EPOCH),
        }
    }

    /// The verdict on a row of a validator made with [`Validator::from_parts`]: the same
    /// checks, in the same order and words, as [`Validator::check`].
    pub fn verdict(&self, row: &MetricRow) -> std::result::Result<Hypertable, String> {
        self.check_known(row)
            .unwrap_or_else(|| Err(format!("tenant {} does not exist", row.tenant_id)))
            .map(|c| c.table)
    }

    /// The hypertable the row belongs to, or why it is rejected.
    pub async fn check(
        &mut self,
        pool: &PgPool,
        row: &MetricRow,
    ) -> Result<std::result::Result<Hypertable, String>> {
        Ok(self.check_row(pool, row).await?.map(|c| c.table))
    }

    /// [`Validator::check`], also giving the row's encoded time. Only a row of a tenant not
    /// seen before waits for the database.
    pub(crate) async fn check_row(
        &mut self,
        pool: &PgPool,
        row: &MetricRow,
    ) -> Result<std::result::Result<Checked, String>> {
        if let Some(verdict) = self.check_known(row) {
            return Ok(verdict);
        }
        let users = load_tenant(pool, row.tenant_id).await?;
        self.tenants.insert(row.tenant_id, users);
        Ok(self
            .check_known(row)
            .unwrap_or_else(|| Err(format!("tenant {} could not be looked up", row.tenant_id))))
    }

    /// The verdict on a row, or None when its tenant has not been looked up yet.
    fn check_known(&self, row: &MetricRow) -> Option<std::result::Result<Checked, String>> {
        let users = self.tenants.get(&row.tenant_id)?;
        let pg_time = pg_timestamp(row.recorded_at);
        Some(if !row.value.is_finite() {
            Err(format!("value {} is not a finite number", row.value))
        } else if pg_time < self.unix_epoch_pg {
            Err(format!("recorded_at {} is before 1970", row.recorded_at))
        } else if pg_time > self.latest_pg {
            Err(format!(
                "recorded_at {} is in the future (later than {})",
                row.recorded_at, self.latest
            ))
        } else {
            match (self.metrics.get(&row.metric_name), users) {
                (None, _) => Err(format!(
                    "metric {:?} is not registered (see timeseries.metrics)",
                    row.metric_name
                )),
                (Some(&table), Some(users)) if users.contains(&row.user_id) => {
                    Ok(Checked { table, pg_time })
                }
                (Some(_), Some(_)) => Err(format!(
                    "user {} does not exist in tenant {}",
                    row.user_id, row.tenant_id
                )),
                (Some(_), None) => Err(format!("tenant {} does not exist", row.tenant_id)),
            }
        })
    }
}

async fn load_tenant(pool: &PgPool, tenant: Uuid) -> Result<Option<HashSet<Uuid, Keyed>>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validator_from_parts_gives_the_same_verdicts() {
        let tenant = Uuid::from_u128(1);
        let user = Uuid::from_u128(2);
        let now = time::macros::datetime!(2026-06-01 12:00 UTC);
        let v = Validator::from_parts(
            [
                (
                    "productivity".to_string(),
                    "performance_metrics_ts".to_string(),
                ),
                ("odd".to_string(), "not_a_hypertable".to_string()),
            ],
            tenant,
            [user],
            Duration::hours(24),
            now,
        );
        let row = |tenant_id, user_id, metric: &str, value, recorded_at| MetricRow {
            tenant_id,
            user_id,
            metric_name: metric.to_string(),
            value,
            recorded_at,
        };
        let ok = row(tenant, user, "productivity", 1.0, now);
        assert_eq!(v.verdict(&ok), Ok(Hypertable::PerformanceMetrics));
        let at_limit = row(tenant, user, "productivity", 1.0, now + Duration::hours(24));
        assert!(v.verdict(&at_limit).is_ok());
        let cases = [
            (
                row(tenant, user, "productivity", f64::NAN, now),
                "not a finite number",
            ),
            (
                row(tenant, user, "productivity", 1.0, now + Duration::hours(25)),
                "in the future",
            ),
            (
                row(
                    tenant,
                    user,
                    "productivity",
                    1.0,
                    OffsetDateTime::UNIX_EPOCH - Duration::seconds(1),
                ),
                "before 1970",
            ),
            (row(tenant, user, "odd", 1.0, now), "is not registered"),
            (
                row(tenant, Uuid::from_u128(3), "productivity", 1.0, now),
                "does not exist in tenant",
            ),
            (
                row(Uuid::from_u128(9), user, "productivity", 1.0, now),
                "tenant 00000000-0000-0000-0000-000000000009 does not exist",
            ),
        ];
        for (r, words) in cases {
            let e = v.verdict(&r).unwrap_err();
            assert!(e.contains(words), "{e}");
        }
    }
}
