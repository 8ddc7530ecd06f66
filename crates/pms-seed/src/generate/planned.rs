//! A run computed without a database, by generating every batch again: its rows and bytes (what
//! the benchmark's baselines copy) and its partitions' digests (to check the audit chain).

use super::digests::{batch_digests, table_digests};
use super::employees::employee_batch;
use super::options::GenerateOptions;
use super::plan::{Plan, plan_for};
use super::structure::structure_rows;
use crate::copy_text::CopyBuf;
use crate::error::SeedError;
use std::collections::BTreeMap;

/// The digests a verified bulk load of `opts` records for its partitioned tables (see
/// [`table_digests`]), computed by generating every batch again without a database: anyone
/// holding a run's parameters (`seed_batches.parameters`) can check the audit chain's entries.
pub fn partition_digests(opts: &GenerateOptions) -> Result<serde_json::Value, SeedError> {
    let plan = plan_for(opts)?;
    let mut batches = BTreeMap::new();
    each_batch(&plan, opts.batch_employees, |b, tables| {
        batches.insert(b, batch_digests(tables));
    });
    Ok(table_digests(&batches))
}

/// Generates every employee batch of `plan` in order, `size` people each, without a database,
/// and hands each (its number, its tables) to `f`.
fn each_batch(
    plan: &Plan,
    size: u64,
    mut f: impl FnMut(u64, &[(&'static str, &'static str, CopyBuf)]),
) {
    let mut from = 0;
    while from < plan.employees {
        let to = (from + size).min(plan.employees);
        f(from / size, &employee_batch(plan, from, to).tables);
        from = to;
    }
}

/// The rows and COPY bytes a run with `opts` loads in all (what the benchmark's baselines
/// copy), computed by building every batch without loading it.
pub fn planned_size(opts: &GenerateOptions) -> Result<(u64, u64), SeedError> {
    let plan = plan_for(opts)?;
    let size = |tables: &[(&'static str, &'static str, CopyBuf)]| {
        tables.iter().fold((0, 0), |(r, b), t| {
            (r + t.2.rows, b + t.2.data.len() as u64)
        })
    };
    let (mut rows, mut bytes) = size(&structure_rows(&plan));
    each_batch(&plan, opts.batch_employees, |_, tables| {
        let (r, b) = size(tables);
        rows += r;
        bytes += b;
    });
    Ok((rows, bytes))
}
