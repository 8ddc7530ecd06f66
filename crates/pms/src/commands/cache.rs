//! `pms cache`: what the cache holds (`stats`), how fast a hit is (`bench`), and an
//! operator's bulk delete (`purge`, `SCAN` + `UNLINK` under the key prefix).

use anyhow::Context as _;
use pms_cache::{Cache, CacheOptions, Category};
use pms_core::{Config, TenantId};
use std::collections::BTreeMap;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Backend, Redis server figures, and keys per category (from a bounded SCAN).
    Stats {
        /// Stop counting after this many keys.
        #[arg(long, default_value_t = 100_000)]
        scan_limit: usize,
        /// Count only this tenant's keys.
        #[arg(long)]
        tenant: Option<TenantId>,
    },
    /// Time a get_or_set hit against a raw Redis GET (same connection) and an in-process hit.
    Bench {
        /// Operations per measured path.
        #[arg(long, default_value_t = 20_000)]
        iterations: usize,
    },
    /// Delete the keys whose path after the tenant matches a glob, e.g. 'user:profile:*'.
    Purge {
        /// The tenant whose keys to delete.
        #[arg(long, required_unless_present = "all_tenants")]
        tenant: Option<TenantId>,
        /// Delete matching keys of every tenant (on a cluster: every master is scanned).
        #[arg(long)]
        all_tenants: bool,
        /// Glob over the path after the tenant: `*`, `?`, `\` escapes.
        pattern: String,
    },
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let cache =
        Cache::open(CacheOptions::from_config(config)?).context("opening the cache (REDIS_URL)")?;
    match args.action {
        Action::Stats { scan_limit, tenant } => stats(&cache, scan_limit, tenant).await,
        Action::Bench { iterations } => bench(&cache, iterations).await,
        Action::Purge {
            tenant,
            all_tenants: _,
            pattern,
        } => {
            let n = cache
                .del_pattern(tenant, &pattern)
                .await
                .context("purging keys")?;
            println!("deleted {n} key(s)");
            Ok(())
        }
    }
}

async fn stats(cache: &Cache, scan_limit: usize, tenant: Option<TenantId>) -> anyhow::Result<()> {
    println!("backend  {}", cache.backend());
    let Some(r) = cache.redis() else {
        println!(
            "(in-process: entries live in each process; counters are on each process's /metrics)"
        );
        println!("\n{:<18} {:>9}", "category", "ttl");
        for c in Category::ALL {
            println!("{:<18} {:>9}", c.label(), human(c.ttl()));
        }
        return Ok(());
    };
    let info = r.info().await.context("Redis INFO")?;
    for field in [
        "redis_version",
        "redis_mode",
        "used_memory_human",
        "connected_clients",
        "keyspace_hits",
        "keyspace_misses",
        "evicted_keys",
        "expired_keys",
    ] {
        if let Some(v) = info
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{field}:")))
        {
            println!("{field:<18} {}", v.trim());
        }
    }
    let route = tenant.map(|t| format!("{{{t}}}:"));
    let paths = r
        .scan_paths(route.as_deref(), scan_limit)
        .await
        .context("scanning keys")?;
    let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut tenants = std::collections::HashSet::new();
    for p in &paths {
        let (tag, rest) = p.split_once("}:").unwrap_or(("", p));
        tenants.insert(tag.to_string());
        let label = if rest.starts_with("gen:") {
            "(generation counters)"
        } else {
            Category::of_path(rest)
                .map(Category::label)
                .unwrap_or("(other)")
        };
        *counts.entry(label).or_default() += 1;
    }
    println!(
        "\nkeys under prefix {:?}: {}{} in {} tenant(s)",
        r.prefix(),
        paths.len(),
        if paths.len() >= scan_limit { "+" } else { "" },
        tenants.len()
    );
    println!("{:<22} {:>9} {:>9}", "category", "keys", "ttl");
    for c in Category::ALL {
        println!(
            "{:<22} {:>9} {:>9}",
            c.label(),
            counts.get(c.label()).copied().unwrap_or(0),
            human(c.ttl())
        );
    }
    for extra in ["(generation counters)", "(other)"] {
        if let Some(n) = counts.get(extra) {
            println!("{extra:<22} {n:>9}");
        }
    }
    Ok(())
}

async fn bench(cache: &Cache, iterations: usize) -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        println!(
            "note: a debug build; run `cargo run --release -p pms -- cache bench` for real figures"
        );
    }
    let local = pms_cache::bench::in_process(iterations.max(100_000)).await?;
    println!(
        "in-process get_or_set hit   {:>10.0} ns/op",
        local.get_or_set_hit.as_nanos() as f64
    );
    println!(
        "RwLock<HashMap> get+clone   {:>10.0} ns/op   (baseline)",
        local.map_lookup.as_nanos() as f64
    );
    println!(
        "ratio                       {:>10.2}x        (goal: hit < 1 us)",
        local.ratio()
    );
    if cache.redis().is_none() {
        println!("\nREDIS_URL is unset: the Redis comparison needs a Redis server");
        return Ok(());
    }
    let r = pms_cache::bench::redis(cache, iterations).await?;
    println!("\n{:<27} {:>10} {:>10}", "", "median", "mean");
    println!(
        "{:<27} {:>8.1}us {:>8.1}us   (baseline)",
        "raw GET",
        us(r.raw_get.median),
        us(r.raw_get.mean)
    );
    println!(
        "{:<27} {:>8.1}us {:>8.1}us",
        "get_or_set hit (MGET+gens)",
        us(r.get_or_set_hit.median),
        us(r.get_or_set_hit.mean)
    );
    println!(
        "ratio (median)              {:>10.2}x        (goal: <= 1.3x)",
        r.ratio()
    );
    Ok(())
}

fn us(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn human(d: std::time::Duration) -> String {
    let s = d.as_secs();
    if s.is_multiple_of(3600) {
        format!("{}h", s / 3600)
    } else {
        format!("{}min", s / 60)
    }
}
