//! Deterministic history for a tenant's people, loaded through the ingest path: the same
//! (tenant, users, months, seed) always yields the same rows. `pms seed --employees N
//! --months M` calls [`history`].
//!
//! Per user: the five performance metrics weekly, engagement pulses weekly (eNPS monthly),
//! goal progress every two weeks, feedback counts weekly; each user has a baseline and a drift,
//! values have two decimals and times whole seconds, ending yesterday.

use crate::Result;
use crate::ingest::{self, IngestOptions, IngestSummary, MetricRow};
use crate::parse::Record;
use pms_core::{TenantId, UserId};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::PgPool;
use time::{Duration, OffsetDateTime, Time};

const PERFORMANCE: [&str; 5] = [
    "productivity",
    "quality",
    "collaboration",
    "goal_completion",
    "competency",
];
const ENGAGEMENT_WEEKLY: [&str; 3] = ["engagement_score", "satisfaction", "wellbeing"];
const FEEDBACK: [&str; 3] = ["feedback_given", "feedback_received", "feedback_requested"];

/// Generates and ingests `months` months of history for `users` of `tenant` (pms_maintenance
/// pool), ending at today's midnight (UTC). Returns the ingest summary (rows loaded, rows per
/// second).
pub async fn history(
    pool: &PgPool,
    tenant: TenantId,
    users: &[UserId],
    months: u32,
    seed: u64,
) -> Result<IngestSummary> {
    let end = OffsetDateTime::now_utc().replace_time(Time::MIDNIGHT);
    history_until(pool, tenant, users, months, seed, end).await
}

/// [`history`] ending at `end` rather than at today's midnight: the same arguments give the
/// same rows whenever they run (tests pin `end`, so that two runs straddling midnight still
/// load the same history).
pub async fn history_until(
    pool: &PgPool,
    tenant: TenantId,
    users: &[UserId],
    months: u32,
    seed: u64,
    end: OffsetDateTime,
) -> Result<IngestSummary> {
    let rows = rows(tenant, users, months, seed, end);
    let records = rows
        .enumerate()
        .map(|(i, r)| -> Record { (i as u64 + 1, Ok(r)) });
    ingest::ingest(pool, records, &IngestOptions::default(), &mut |_| {}).await
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The rows, lazily, user by user, for the `months` months before `end`.
pub fn rows(
    tenant: TenantId,
    users: &[UserId],
    months: u32,
    seed: u64,
    end: OffsetDateTime,
) -> impl Iterator<Item = MetricRow> + '_ {
    let start = end - Duration::days(i64::from(months) * 30);
    let weeks = (end - start).whole_weeks();
    users.iter().enumerate().flat_map(move |(i, user)| {
        let mut rng = StdRng::seed_from_u64(seed ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let base: f64 = rng.random_range(45.0..85.0);
        let drift: f64 = rng.random_range(-0.15..0.25);
        let offset = Duration::seconds(rng.random_range(8 * 3600..18 * 3600));
        let mut out = Vec::with_capacity(weeks as usize * 13);
        let point = |name: &str, value: f64, at: OffsetDateTime| MetricRow {
            tenant_id: tenant.as_uuid(),
            user_id: user.as_uuid(),
            metric_name: name.to_string(),
            value: round2(value),
            recorded_at: at,
        };
        for w in 0..weeks {
            let at = start + Duration::weeks(w) + offset;
            let trend = base + drift * w as f64;
            for m in PERFORMANCE {
                out.push(point(
                    m,
                    (trend + rng.random_range(-8.0..8.0)).clamp(0.0, 100.0),
                    at,
                ));
            }
            for m in ENGAGEMENT_WEEKLY {
                out.push(point(
                    m,
                    (trend + rng.random_range(-12.0..12.0)).clamp(0.0, 100.0),
                    at + Duration::hours(1),
                ));
            }
            if w % 4 == 0 {
                out.push(point(
                    "enps",
                    rng.random_range(-40.0..80.0),
                    at + Duration::hours(2),
                ));
            }
            if w % 2 == 0 {
                let progress =
                    ((w % 26) as f64 / 26.0 * 100.0 + rng.random_range(0.0..5.0)).min(100.0);
                out.push(point(
                    "goal_progress_pct",
                    progress,
                    at + Duration::hours(3),
                ));
            }
            for m in FEEDBACK {
                out.push(point(
                    m,
                    f64::from(rng.random_range(0u8..6)),
                    at + Duration::hours(4),
                ));
            }
        }
        out
    })
}
