//! The cache benchmark behind `pms cache bench`: a `get_or_set` hit against a raw Redis
//! `GET` of the same bytes over the same connection, and an in-process hit against a plain
//! locked map lookup, each pair measured in one run, interleaved so drift hits both alike.

use crate::{Cache, CacheError, CacheOptions, Key};
use pms_core::{TenantId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// A typical small cached value (a profile card).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Card {
    id: Uuid,
    name: String,
    title: String,
    department: String,
    level: u8,
    roles: Vec<String>,
}

fn card() -> Card {
    Card {
        id: Uuid::new_v4(),
        name: "Jane Example".into(),
        title: "Senior Engineer".into(),
        department: "Platform".into(),
        level: 6,
        roles: vec!["EMPLOYEE".into(), "MANAGER".into()],
    }
}

/// One measured path: per-operation median and mean.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub median: Duration,
    pub mean: Duration,
}

fn timing(mut samples: Vec<Duration>) -> Timing {
    samples.sort_unstable();
    let n = samples.len().max(1);
    let total: Duration = samples.iter().sum();
    Timing {
        median: samples.get(n / 2).copied().unwrap_or_default(),
        mean: total / n as u32,
    }
}

/// `get_or_set` hit vs raw `GET`, same key, same connection.
#[derive(Debug, Clone, Copy)]
pub struct RedisBench {
    pub raw_get: Timing,
    pub get_or_set_hit: Timing,
}

impl RedisBench {
    /// Median ratio (the goal is at most 1.3).
    pub fn ratio(&self) -> f64 {
        self.get_or_set_hit.median.as_secs_f64() / self.raw_get.median.as_secs_f64().max(1e-12)
    }
}

/// Sequential round trips, alternating blocks of raw `GET`s and `get_or_set` hits.
pub async fn redis(cache: &Cache, iterations: usize) -> Result<RedisBench, CacheError> {
    let r = cache
        .redis()
        .ok_or_else(|| CacheError::Config("the Redis benchmark needs REDIS_URL".into()))?;
    let key = Key::user_profile(TenantId(Uuid::new_v4()), UserId(Uuid::new_v4()));
    let value = card();
    let v = value.clone();
    cache
        .get_or_set(&key, || async move { Ok::<_, Infallible>(v) })
        .await?;
    if r.raw_get(key.path()).await?.is_none() {
        return Err(CacheError::Config(
            "the benchmark entry was not stored; is Redis reachable?".into(),
        ));
    }
    let (mut raw, mut hit) = (
        Vec::with_capacity(iterations),
        Vec::with_capacity(iterations),
    );
    let block = 500.min(iterations.max(1));
    // Warm both paths first.
    for _ in 0..block {
        r.raw_get(key.path()).await?;
        let _: Card = cache
            .get_or_set(&key, || async {
                Err::<Card, _>(CacheError::Config("miss".into()))
            })
            .await?;
    }
    while raw.len() < iterations {
        for _ in 0..block {
            let t = Instant::now();
            std::hint::black_box(r.raw_get(key.path()).await?);
            raw.push(t.elapsed());
        }
        for _ in 0..block {
            let t = Instant::now();
            let got: Card = cache
                .get_or_set(&key, || async {
                    Err::<Card, _>(CacheError::Config("unexpected miss".into()))
                })
                .await?;
            std::hint::black_box(got);
            hit.push(t.elapsed());
        }
    }
    cache.invalidate_key(&key).await;
    Ok(RedisBench {
        raw_get: timing(raw),
        get_or_set_hit: timing(hit),
    })
}

/// In-process hit vs a plain `RwLock<HashMap>` lookup and clone of the same value.
#[derive(Debug, Clone, Copy)]
pub struct LocalBench {
    pub map_lookup: Duration,
    pub get_or_set_hit: Duration,
}

impl LocalBench {
    pub fn ratio(&self) -> f64 {
        self.get_or_set_hit.as_secs_f64() / self.map_lookup.as_secs_f64().max(1e-12)
    }
}

/// Mean time per operation over batches (a single hit is too short to time alone).
pub async fn in_process(iterations: usize) -> Result<LocalBench, CacheError> {
    let cache = Cache::open(CacheOptions::local())?;
    let key = Key::user_profile(TenantId(Uuid::new_v4()), UserId(Uuid::new_v4()));
    let value = card();
    let v = value.clone();
    cache
        .get_or_set(&key, || async move { Ok::<_, Infallible>(v) })
        .await?;
    let map: RwLock<HashMap<String, Arc<Card>>> =
        RwLock::new(HashMap::from([(key.path().to_string(), Arc::new(value))]));
    let n = iterations.max(1);
    let (mut map_total, mut hit_total) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..10 {
        let t = Instant::now();
        for _ in 0..n / 10 + 1 {
            let got = map
                .read()
                .map_err(|_| CacheError::Config("poisoned".into()))?
                .get(key.path())
                .map(|c| Card::clone(c));
            std::hint::black_box(got);
        }
        map_total += t.elapsed();
        let t = Instant::now();
        for _ in 0..n / 10 + 1 {
            let got: Card = cache
                .get_or_set(&key, || async {
                    Err::<Card, _>(CacheError::Config("unexpected miss".into()))
                })
                .await?;
            std::hint::black_box(got);
        }
        hit_total += t.elapsed();
    }
    let ops = 10 * (n / 10 + 1) as u32;
    Ok(LocalBench {
        map_lookup: map_total / ops,
        get_or_set_hit: hit_total / ops,
    })
}
