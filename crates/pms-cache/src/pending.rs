//! Invalidations that could not reach Redis. They are replayed before the cache serves
//! anything again, so an update made while Redis was down or paused never leaves a stale
//! entry behind. Until the replay succeeds, reads bypass the cache.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Queued operations beyond this collapse into whole-tenant invalidations.
const MAX_OPS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Op {
    /// Bump a generation counter (its path).
    Bump(String),
    /// Delete one entry (its path).
    Delete(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PendingOp {
    /// The generation path of the op's tenant, for collapsing.
    pub tenant_gen: String,
    pub op: Op,
}

#[derive(Default)]
pub(crate) struct Pending {
    ops: Mutex<Vec<PendingOp>>,
    dirty: AtomicBool,
}

impl Pending {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<PendingOp>> {
        self.ops.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether some invalidation has not reached Redis yet.
    pub fn is_dirty(&self) -> bool {
        self.dirty.load(Ordering::Acquire)
    }

    pub fn push(&self, op: PendingOp) {
        metrics::counter!("pms_cache_deferred_invalidations_total").increment(1);
        let mut ops = self.lock();
        self.dirty.store(true, Ordering::Release);
        if ops.contains(&op) {
            return;
        }
        ops.push(op);
        if ops.len() > MAX_OPS {
            // Too many exact invalidations: invalidate each affected tenant whole.
            let tenants: HashSet<String> = ops.drain(..).map(|p| p.tenant_gen).collect();
            ops.extend(tenants.into_iter().map(|t| PendingOp {
                op: Op::Bump(t.clone()),
                tenant_gen: t,
            }));
        }
    }

    /// Takes every queued op for a replay.
    pub fn take(&self) -> Vec<PendingOp> {
        std::mem::take(&mut *self.lock())
    }

    /// Puts back ops a replay could not apply (in front of anything queued meanwhile).
    pub fn restore(&self, mut failed: Vec<PendingOp>) {
        let mut ops = self.lock();
        failed.retain(|f| !ops.contains(f));
        failed.append(&mut ops);
        *ops = failed;
        self.dirty.store(true, Ordering::Release);
    }

    /// Clears the dirty flag when nothing was queued during the replay; true when clean.
    pub fn finish(&self) -> bool {
        let ops = self.lock();
        if ops.is_empty() {
            self.dirty.store(false, Ordering::Release);
            true
        } else {
            false
        }
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_collapses_into_tenants() {
        let p = Pending::default();
        for i in 0..=MAX_OPS {
            p.push(PendingOp {
                tenant_gen: format!("t{}", i % 2),
                op: Op::Delete(format!("k{i}")),
            });
        }
        assert!(p.is_dirty());
        let ops = p.take();
        assert_eq!(ops.len(), 2);
        assert!(
            ops.iter()
                .all(|o| matches!(&o.op, Op::Bump(t) if *t == o.tenant_gen))
        );
        assert!(p.finish());
        assert!(!p.is_dirty());
    }
}
