//! The platform's cache: Redis (standalone or cluster, from `REDIS_URL`) or an in-process
//! cache with the same categories and TTLs when no Redis is configured.
//!
//! Keys carry the tenant (`pms:{tenant}:user:profile:{user}`). Reads are cache-aside with
//! single flight and fail open to the source; invalidation is exact, by generation
//! counters; sessions and rate limits do not fail open.

pub mod bench;
mod breaker;
mod cache;
mod category;
mod error;
mod gauges;
mod key;
mod options;
mod pending;
pub mod rate_limit;
pub mod session;
mod stats;
mod store;

pub use breaker::BreakerState;
pub use cache::{Cache, Outcome};
pub use category::Category;
pub use error::CacheError;
pub use gauges::{describe_gauges, publish_gauges};
pub use key::{Key, MAX_KEY_LEN, Scope};
pub use options::CacheOptions;
pub use stats::{CategoryStats, describe_metrics};
pub use store::glob_escape;
pub use store::redis::RedisStore;
