//! The cache suite, run against every backend: in process, the shared Redis (own key
//! prefix), and a three-master Redis Cluster the test starts.

// These helpers panic where the test would fail anyway (clippy.toml covers #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use pms_cache::{Cache, Category, Key, Outcome};
use pms_core::{TenantId, UserId};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub tenant: Uuid,
    pub key: String,
    pub title: String,
}

pub fn tenant() -> TenantId {
    TenantId(Uuid::new_v4())
}

pub fn value(key: &Key, title: &str) -> Profile {
    Profile {
        tenant: key.tenant().as_uuid(),
        key: key.path().to_string(),
        title: title.into(),
    }
}

/// Reads `key` through `get_or_set`; returns the value and whether the loader ran.
pub async fn read(cache: &Cache, key: &Key, title: &str) -> anyhow::Result<(Profile, bool)> {
    let ran = Arc::new(AtomicUsize::new(0));
    let r = ran.clone();
    let v = value(key, title);
    let got = cache
        .get_or_set(key, || async move {
            r.fetch_add(1, Ordering::SeqCst);
            Ok::<_, Infallible>(v)
        })
        .await?;
    Ok((got, ran.load(Ordering::SeqCst) > 0))
}

/// Which of `keys` call their loader on the next read.
pub async fn reloaded(cache: &Cache, keys: &[Key]) -> anyhow::Result<Vec<bool>> {
    let mut out = Vec::new();
    for k in keys {
        out.push(read(cache, k, "again").await?.1);
    }
    Ok(out)
}

pub async fn ttls_per_category(cache: &Cache) -> anyhow::Result<()> {
    let t = tenant();
    let u = UserId(Uuid::new_v4());
    let keys = [
        Key::user_profile(t, u),
        Key::permissions(t, u),
        Key::review(t, Uuid::new_v4(), u),
        Key::goal(t, Uuid::new_v4(), u),
        Key::dashboard(t, u),
        Key::ml_prediction(t, u, "attrition")?,
        Key::org_health(t),
        Key::team_stats(t, Uuid::new_v4()),
        Key::department_stats(t, Uuid::new_v4()),
        Key::leaderboard(t, "okr")?,
        Key::report(t, "q3")?,
    ];
    for k in &keys {
        read(cache, k, "v").await?;
        let ttl = cache
            .remaining_ttl(k)
            .await?
            .ok_or_else(|| anyhow::anyhow!("{} has no TTL", k.path()))?;
        let want = k.category().ttl();
        assert!(
            ttl <= want && ttl + Duration::from_secs(30) >= want,
            "{:?}: ttl {ttl:?}, want {want:?}",
            k.category()
        );
    }
    // An entry really goes away when its TTL ends.
    let k = Key::report(t, "short")?;
    let ran = Arc::new(AtomicUsize::new(0));
    for _ in 0..2 {
        let r = ran.clone();
        cache
            .get_or_set_with_ttl(&k, Duration::from_millis(300), || async move {
                r.fetch_add(1, Ordering::SeqCst);
                Ok::<_, Infallible>(1u32)
            })
            .await?;
    }
    assert_eq!(
        ran.load(Ordering::SeqCst),
        1,
        "second read within the TTL is a hit"
    );
    tokio::time::sleep(Duration::from_millis(700)).await;
    let r = ran.clone();
    cache
        .get_or_set_with_ttl(&k, Duration::from_millis(300), || async move {
            r.fetch_add(1, Ordering::SeqCst);
            Ok::<_, Infallible>(1u32)
        })
        .await?;
    assert_eq!(
        ran.load(Ordering::SeqCst),
        2,
        "expired entry is loaded again"
    );
    Ok(())
}

pub async fn invalidation_is_exact(cache: &Cache) -> anyhow::Result<()> {
    let (t, other) = (tenant(), tenant());
    let (u1, u2) = (UserId(Uuid::new_v4()), UserId(Uuid::new_v4()));
    let (team1, team2, d1, d2) = (
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
    );
    let keys = vec![
        Key::user_profile(t, u1),      // 0
        Key::dashboard(t, u1),         // 1
        Key::user_profile(t, u2),      // 2
        Key::team_stats(t, team1),     // 3
        Key::team_stats(t, team2),     // 4
        Key::department_stats(t, d1),  // 5
        Key::department_stats(t, d2),  // 6
        Key::org_health(t),            // 7
        Key::user_profile(other, u1),  // 8: same user id, other tenant
        Key::team_stats(other, team1), // 9
    ];
    let warm = |c: &Cache| {
        let c = c.clone();
        let keys = keys.clone();
        async move { reloaded(&c, &keys).await }
    };
    warm(cache).await?;
    assert!(
        warm(cache).await?.iter().all(|r| !r),
        "warm cache: no loads"
    );

    assert_eq!(cache.invalidate_user(t, u1).await, Outcome::Applied);
    let got = warm(cache).await?;
    assert_eq!(
        got,
        [
            true, true, false, false, false, false, false, false, false, false
        ],
        "user"
    );

    cache.invalidate_team(t, team1).await;
    let got = warm(cache).await?;
    assert_eq!(
        got,
        [
            false, false, false, true, false, false, false, false, false, false
        ],
        "team"
    );

    cache.invalidate_department(t, d2).await;
    let got = warm(cache).await?;
    assert_eq!(
        got,
        [
            false, false, false, false, false, false, true, false, false, false
        ],
        "department"
    );

    cache.invalidate_tenant(t).await;
    let got = warm(cache).await?;
    assert_eq!(
        got,
        [true, true, true, true, true, true, true, true, false, false],
        "tenant"
    );

    cache.invalidate_key(&keys[2]).await;
    let got = warm(cache).await?;
    assert_eq!(
        got,
        [
            false, false, true, false, false, false, false, false, false, false
        ],
        "one key"
    );
    Ok(())
}

pub async fn tenants_never_share(cache: &Cache) -> anyhow::Result<()> {
    let (a, b) = (tenant(), tenant());
    let users: Vec<UserId> = (0..20).map(|_| UserId(Uuid::new_v4())).collect();
    for t in [a, b] {
        for u in &users {
            read(cache, &Key::user_profile(t, *u), "warm").await?;
        }
    }
    let mut wrong = 0;
    for _ in 0..5 {
        for t in [a, b] {
            for u in &users {
                let (v, ran) = read(cache, &Key::user_profile(t, *u), "cold").await?;
                assert!(!ran, "warm cache");
                if v.tenant != t.as_uuid() {
                    wrong += 1;
                }
            }
        }
    }
    assert_eq!(wrong, 0, "entries served to the wrong tenant");
    Ok(())
}

/// 500 concurrent `get_or_set` on one key after it was flushed: one loader call.
pub async fn stampede(cache: &Cache) -> anyhow::Result<()> {
    let t = tenant();
    let key = Key::org_health(t);
    read(cache, &key, "before").await?;
    let flushed = cache.del_pattern(Some(t), "*").await?;
    assert!(flushed >= 1, "the flush removed the entry");
    let calls = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..500 {
        let (cache, key, calls) = (cache.clone(), key.clone(), calls.clone());
        tasks.push(tokio::spawn(async move {
            let v = value(&key, "fresh");
            cache
                .get_or_set(&key, || async move {
                    calls.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    Ok::<_, Infallible>(v)
                })
                .await
        }));
    }
    for t in tasks {
        assert_eq!(t.await??.title, "fresh");
    }
    let errors: u64 = cache.stats().iter().map(|s| s.errors).sum();
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the loader ran once for 500 callers ({errors} cache errors)"
    );
    Ok(())
}

pub async fn write_through(cache: &Cache) -> anyhow::Result<()> {
    let t = tenant();
    let key = Key::user_profile(t, UserId(Uuid::new_v4()));
    read(cache, &key, "v1").await?;
    assert_eq!(cache.put(&key, &value(&key, "v2")).await?, Outcome::Applied);
    let (v, ran) = read(cache, &key, "loader").await?;
    assert!(!ran, "write-through value is served");
    assert_eq!(v.title, "v2");
    Ok(())
}

/// A value of another shape (a format change) is a miss, and is replaced.
pub async fn undecodable_values_are_misses(cache: &Cache) -> anyhow::Result<()> {
    let t = tenant();
    let key = Key::user_profile(t, UserId(Uuid::new_v4()));
    cache.put(&key, &vec![1u8, 2, 3]).await?;
    let (v, ran) = read(cache, &key, "new format").await?;
    assert!(ran && v.title == "new format", "old format read as a miss");
    let (_, ran) = read(cache, &key, "again").await?;
    assert!(!ran, "the replaced value is served");
    // Garbage bytes (not even our envelope) in Redis.
    if let Some(r) = cache.redis() {
        r.raw_set(key.path(), b"\xff\x00not json", Duration::from_secs(60))
            .await?;
        let (v, ran) = read(cache, &key, "after garbage").await?;
        assert!(ran && v.title == "after garbage");
    }
    let e = Key::report(t, "bad\u{7}key").unwrap_err();
    assert!(e.to_string().contains("control character"), "{e}");
    let e = Key::report(t, &"k".repeat(pms_cache::MAX_KEY_LEN + 1)).unwrap_err();
    assert!(e.to_string().contains("limit"), "{e}");
    assert!(cache.del_pattern(Some(t), "a\nb").await.is_err());
    Ok(())
}

/// `del_pattern` removes the matching keys of the tenant, and nothing else.
pub async fn del_pattern_is_scoped(cache: &Cache) -> anyhow::Result<()> {
    let (a, b) = (tenant(), tenant());
    let u = UserId(Uuid::new_v4());
    let keys = vec![
        Key::user_profile(a, u),
        Key::dashboard(a, u),
        Key::user_profile(b, u),
    ];
    reloaded(cache, &keys).await?;
    let n = cache.del_pattern(Some(a), "user:profile:*").await?;
    assert_eq!(n, 1);
    assert_eq!(reloaded(cache, &keys).await?, [true, false, false]);
    assert_eq!(
        Category::of_path("user:profile:x"),
        Some(Category::UserProfile)
    );
    Ok(())
}
