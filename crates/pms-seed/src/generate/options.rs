//! The parameters of a generated tenant and what a run reports. The parameters are checked before
//! anything is written and recorded with the run, so that only the same parameters resume it.

use crate::error::{MAX_EMPLOYEES, MAX_MONTHS, SeedError};
use crate::seed_id;
use std::collections::BTreeMap;
use std::time::Duration;
use uuid::Uuid;

/// Employees per batch (one transaction each): about 45k rows.
pub const BATCH_EMPLOYEES: u64 = 2_000;
/// The tables partitioned by tenant (`pms_meta.tenant_partitioned_tables()`, in attach order):
/// a verified bulk load fills the tenant's own partitions of these.
pub const TENANT_PARTITIONED: &[&str] = &[
    "teams",
    "team_members",
    "user_roles",
    "reporting_lines",
    "goals",
    "key_results",
    "performance_reviews",
    "feedback",
    "one_on_ones",
];

/// The layout of generated ids ([`crate::copy_text::Ids`]), part of a run's parameters: a run
/// interrupted under another layout is not resumed with this one.
const IDS_VERSION: u32 = 2;

/// The parameters of a generated tenant.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub employees: i64,
    pub months: i64,
    pub seed: u64,
    pub slug: String,
    pub name: Option<String>,
    /// Employees per batch (transaction); [`BATCH_EMPLOYEES`] unless tuned.
    pub batch_employees: u64,
    /// Batches loaded at the same time, each on its own connection (the pool needs one more).
    pub workers: u64,
}

/// Reported after each batch.
#[derive(Debug, Clone)]
pub struct Progress {
    pub employees_done: u64,
    pub employees_total: u64,
    pub rows_loaded: u64,
    pub batch_skipped: bool,
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct GenerateSummary {
    pub tenant_id: Uuid,
    pub rows: u64,
    pub bytes: u64,
    pub rows_by_table: BTreeMap<&'static str, u64>,
    /// Time spent in each table's COPY (where a slow seed spends it).
    pub copy_time_by_table: BTreeMap<&'static str, Duration>,
    pub batches_loaded: u64,
    pub batches_skipped: u64,
    /// Building the tenant's own partitions: their indexes and foreign-key checks
    /// (verified bulk loads only).
    pub partition_build: Duration,
    /// Attaching them (verified bulk loads only).
    pub partition_attach: Duration,
    pub elapsed: Duration,
}

impl GenerateOptions {
    /// Checks every parameter before anything is written.
    pub fn validate(&self) -> Result<u64, SeedError> {
        if self.employees < 1 {
            return Err(SeedError::NoEmployees(self.employees));
        }
        if self.employees > MAX_EMPLOYEES {
            return Err(SeedError::TooManyEmployees(self.employees));
        }
        if !(0..=MAX_MONTHS).contains(&self.months) {
            return Err(SeedError::BadMonths(self.months));
        }
        if !(1..=100_000).contains(&self.batch_employees) {
            return Err(SeedError::BadBatch(self.batch_employees));
        }
        if !(1..=16).contains(&self.workers) {
            return Err(SeedError::BadWorkers(self.workers));
        }
        let s = self.slug.as_bytes();
        let ok = (2..=63).contains(&s.len())
            && s[0].is_ascii_alphanumeric()
            && s.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-');
        if !ok {
            return Err(SeedError::BadSlug(self.slug.clone()));
        }
        Ok(self.employees as u64)
    }

    /// The parameters recorded with the run (and compared when it resumes). A verified bulk
    /// load puts the partitioned tables' rows into the tenant's own partitions, a per-row load
    /// into the shared ones: an interrupted run resumes only the way it started.
    pub(super) fn parameters(&self, partitions: bool) -> serde_json::Value {
        let mut p = serde_json::json!({ "employees": self.employees, "months": self.months, "seed": self.seed, "batch_employees": self.batch_employees, "ids": IDS_VERSION });
        if partitions {
            p["load"] = serde_json::json!("tenant-partitions");
        }
        p
    }
}

/// The id a generated tenant gets (deterministic, so a resumed run finds its own tenant).
pub fn generated_tenant_id(slug: &str) -> Uuid {
    seed_id(&["generated", slug])
}
