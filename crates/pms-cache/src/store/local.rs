//! The in-process backend (the embedded default): a moka cache with a per-entry TTL, the
//! generation counters in a map, and rate-limit windows. Values are kept as themselves, so a
//! hit costs no deserialization.

use super::{Entry, Read, Stored, glob_match};
use rand::Rng as _;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub(crate) struct LocalEntry {
    stamps: Vec<u64>,
    value: Stored,
    ttl: Duration,
    expires: Instant,
}

struct PerEntryTtl;

impl moka::Expiry<String, Arc<LocalEntry>> for PerEntryTtl {
    fn expire_after_create(
        &self,
        _key: &String,
        value: &Arc<LocalEntry>,
        _created_at: Instant,
    ) -> Option<Duration> {
        Some(value.ttl)
    }

    fn expire_after_update(
        &self,
        _key: &String,
        value: &Arc<LocalEntry>,
        _updated_at: Instant,
        _duration_until_expiry: Option<Duration>,
    ) -> Option<Duration> {
        Some(value.ttl)
    }
}

pub(crate) struct LocalStore {
    entries: moka::future::Cache<String, Arc<LocalEntry>>,
    gens: RwLock<HashMap<String, u64>>,
}

impl LocalStore {
    pub fn new(max_entries: u64) -> Self {
        Self {
            entries: moka::future::Cache::builder()
                .max_capacity(max_entries)
                .expire_after(PerEntryTtl)
                .build(),
            gens: RwLock::new(HashMap::new()),
        }
    }

    fn gens_read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, u64>> {
        self.gens.read().unwrap_or_else(|p| p.into_inner())
    }

    fn gens_write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, u64>> {
        self.gens.write().unwrap_or_else(|p| p.into_inner())
    }

    pub async fn read(&self, path: &str, gens: &[String]) -> Read {
        let entry = self.entries.get(path).await.and_then(|e| {
            (e.expires > Instant::now()).then(|| Entry {
                stamps: e.stamps.clone(),
                value: e.value.clone(),
            })
        });
        let map = self.gens_read();
        Read {
            entry,
            gens: gens.iter().map(|g| map.get(g).copied()).collect(),
        }
    }

    /// The hit path: the value when the entry exists and every stamp is current, without
    /// allocating.
    pub async fn read_fresh(&self, path: &str, gens: &[String]) -> Option<Stored> {
        let e = self.entries.get(path).await?;
        if e.expires <= Instant::now() || e.stamps.len() != gens.len() {
            return None;
        }
        let map = self.gens_read();
        e.stamps
            .iter()
            .zip(gens)
            .all(|(s, g)| map.get(g) == Some(s))
            .then(|| e.value.clone())
    }

    pub async fn write(&self, path: &str, stamps: &[u64], value: Stored, ttl: Duration) {
        let entry = LocalEntry {
            stamps: stamps.to_vec(),
            value,
            ttl,
            expires: Instant::now() + ttl,
        };
        self.entries.insert(path.to_string(), Arc::new(entry)).await;
    }

    pub fn init_gens(&self, gens: &[String]) -> Vec<u64> {
        let mut map = self.gens_write();
        let mut rng = rand::rng();
        gens.iter()
            .map(|g| {
                *map.entry(g.clone())
                    .or_insert_with(|| rng.random_range(1..super::GEN_START_MAX))
            })
            .collect()
    }

    pub fn bump(&self, gens: &[String]) {
        let mut map = self.gens_write();
        let mut rng = rand::rng();
        for g in gens {
            let v = map
                .entry(g.clone())
                .or_insert_with(|| rng.random_range(1..super::GEN_START_MAX));
            *v = v.wrapping_add(1);
        }
    }

    pub async fn delete(&self, path: &str) {
        self.entries.invalidate(path).await;
    }

    pub async fn delete_matching(&self, pattern: &str) -> u64 {
        let doomed: Vec<Arc<String>> = self
            .entries
            .iter()
            .filter(|(k, _)| glob_match(pattern.as_bytes(), k.as_bytes()))
            .map(|(k, _)| k)
            .collect();
        let mut n = 0;
        for k in doomed {
            if self.entries.remove(k.as_str()).await.is_some() {
                n += 1;
            }
        }
        n
    }

    pub async fn ttl(&self, path: &str) -> Option<Duration> {
        self.entries
            .get(path)
            .await
            .map(|e| e.expires.saturating_duration_since(Instant::now()))
    }

    pub fn entry_count(&self) -> u64 {
        self.entries.entry_count()
    }
}
