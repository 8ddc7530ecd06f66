//! Fail points: named places in the archive protocol where tests (or an operator, through
//! `PMS_FAILPOINTS=name,name`) make the run fail or run a callback, to prove that a crash at
//! that point leaves a state the next run completes. Scoped to one [`crate::Archiver`], so
//! tests running in parallel do not affect each other.

use crate::error::{ArchiveError, Result};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// After the ledger's WRITING intent is committed, before the object is written.
pub const AFTER_INTENT: &str = "after_intent";
/// After the object is written, before it is read back.
pub const AFTER_OBJECT_WRITE: &str = "after_object_write";
/// After the object was read back and verified.
pub const AFTER_VERIFY: &str = "after_verify";
/// Inside the ledger-and-delete transaction, after the DELETE, before COMMIT.
pub const BEFORE_DELETE_COMMIT: &str = "before_delete_commit";
/// After the ledger-and-delete transaction committed.
pub const AFTER_DELETE_COMMIT: &str = "after_delete_commit";
/// After a retiring batch's index rows are gone, before its object is deleted.
pub const BEFORE_OBJECT_DELETE: &str = "before_object_delete";

type Callback = Arc<dyn Fn(&str) + Send + Sync>;

#[derive(Clone)]
enum Action {
    Error,
    Call(Callback),
}

/// A registry of armed fail points.
#[derive(Clone, Default)]
pub struct FailPoints {
    armed: Arc<Mutex<HashMap<String, Action>>>,
}

impl FailPoints {
    /// Fail points armed by `PMS_FAILPOINTS` (comma-separated names), each failing the run.
    pub fn from_env() -> Self {
        let fp = Self::default();
        if let Ok(list) = std::env::var("PMS_FAILPOINTS") {
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                fp.fail(name);
            }
        }
        fp
    }

    /// Makes `name` fail the run each time it is reached.
    pub fn fail(&self, name: &str) {
        if let Ok(mut m) = self.armed.lock() {
            m.insert(name.to_string(), Action::Error);
        }
    }

    /// Runs `f` each time `name` is reached (e.g. to kill the database there), then goes on.
    pub fn call(&self, name: &str, f: impl Fn(&str) + Send + Sync + 'static) {
        if let Ok(mut m) = self.armed.lock() {
            m.insert(name.to_string(), Action::Call(Arc::new(f)));
        }
    }

    pub fn clear(&self) {
        if let Ok(mut m) = self.armed.lock() {
            m.clear();
        }
    }

    /// Called by the protocol at each named point.
    pub(crate) fn hit(&self, name: &str) -> Result<()> {
        let action = self.armed.lock().ok().and_then(|m| m.get(name).cloned());
        match action {
            None => Ok(()),
            Some(Action::Error) => Err(ArchiveError::FailPoint(name.to_string())),
            Some(Action::Call(f)) => {
                f(name);
                Ok(())
            }
        }
    }
}
