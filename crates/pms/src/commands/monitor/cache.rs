//! The platform cache's part of the cache section: Redis's own hit and miss counters (every
//! process's reads together), or a note that the in-process cache keeps its figures per
//! process (`pms_cache_*` on each process's `/metrics`).

use pms_cache::{Cache, CacheOptions};
use pms_core::Config;
use pms_monitor::report::{Report, SectionName, Status};
use serde_json::json;

fn field(info: &str, name: &str) -> Option<f64> {
    info.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .and_then(|v| v.trim().parse().ok())
}

pub async fn add_platform_cache(config: &Config, report: &mut Report) {
    let Some(section) = report.sections.get_mut(&SectionName::Cache) else {
        return;
    };
    let opened = CacheOptions::from_config(config)
        .map_err(|e| e.to_string())
        .and_then(|o| Cache::open(o).map_err(|e| e.to_string()));
    let cache = match opened {
        Ok(c) => c,
        Err(e) => {
            section
                .notes
                .push(format!("platform cache: cannot open it: {e}"));
            return;
        }
    };
    let Some(redis) = cache.redis() else {
        section.data["platform"] = json!({"backend": cache.backend()});
        section.notes.push(
            "platform cache: in process (no REDIS_URL); its hit ratio is per process, on each process's /metrics (pms_cache_hits_total, pms_cache_misses_total)".into(),
        );
        return;
    };
    match redis.info().await {
        Ok(info) => {
            let hits = field(&info, "keyspace_hits").unwrap_or(0.0);
            let misses = field(&info, "keyspace_misses").unwrap_or(0.0);
            let ratio = (hits + misses > 0.0).then(|| hits / (hits + misses));
            section.data["platform"] = json!({"backend": cache.backend(), "keyspace_hits": hits, "keyspace_misses": misses, "hit_ratio": ratio});
            section.summary.push_str(&format!(
                "; platform cache (Redis) {}",
                ratio.map_or("n/a".to_string(), |r| format!("{:.2}%", r * 100.0))
            ));
        }
        Err(e) => {
            section.status = Status::Warning;
            section.notes.push(format!(
                "platform cache: Redis did not answer INFO ({e}); reads fall back to the database"
            ));
        }
    }
}
