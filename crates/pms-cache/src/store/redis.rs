//! The Redis backend: one multiplexed, auto-reconnecting connection (a `ConnectionManager`,
//! or a cluster connection for `redis+cluster://`), every call bounded by a timeout and
//! guarded by the circuit breaker.

use super::{GEN_START_MAX, GEN_TTL, Read, Stored, decode, encode};
use crate::CacheError;
use crate::breaker::Breaker;
use rand::Rng as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::cluster_async::ClusterConnection;
use redis::cluster_routing::{Route, RoutingInfo, SingleNodeRoutingInfo, SlotAddr};
use redis::{Cmd, FromRedisValue, Pipeline};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub(crate) enum Conn {
    Single(ConnectionManager),
    Cluster(ClusterConnection),
}

/// The Redis backend of a [`crate::Cache`] (see [`crate::Cache::redis`]).
pub struct RedisStore {
    conn: Conn,
    prefix: String,
    timeout: Duration,
    pub(crate) breaker: Breaker,
}

/// Opens a connection lazily, so the platform starts (and serves from the source) while
/// Redis is down; `redis+cluster://host:port` (or `redis-cluster://`) seeds a cluster.
pub(crate) fn open(url: &str, timeout: Duration) -> Result<Conn, CacheError> {
    let parsed = url::Url::parse(url)
        .map_err(|e| CacheError::Config(format!("REDIS_URL is not a URL: {e}")))?;
    match parsed.scheme() {
        "redis" | "rediss" => {
            let client = redis::Client::open(url)
                .map_err(|e| CacheError::Config(format!("REDIS_URL: {e}")))?;
            let config = ConnectionManagerConfig::new()
                .set_connection_timeout(Some(timeout.max(Duration::from_millis(250))))
                .set_response_timeout(None)
                .set_number_of_retries(1)
                .set_max_delay(Duration::from_millis(500));
            Ok(Conn::Single(ConnectionManager::new_lazy_with_config(
                client, config,
            )?))
        }
        "redis+cluster" | "redis-cluster" => {
            let seed = url.replacen(parsed.scheme(), "redis", 1);
            let client = redis::cluster::ClusterClientBuilder::new(vec![seed])
                .retries(1)
                .build()
                .map_err(|e| CacheError::Config(format!("REDIS_URL: {e}")))?;
            let config = redis::cluster::ClusterConfig::new()
                .set_connection_timeout(timeout.max(Duration::from_millis(250)))
                .set_response_timeout(timeout.max(Duration::from_millis(250)));
            Ok(Conn::Cluster(
                client.get_pending_async_connection_with_config(config),
            ))
        }
        other => Err(CacheError::Config(format!(
            "REDIS_URL scheme {other:?} is not redis, rediss or redis+cluster"
        ))),
    }
}

impl RedisStore {
    pub(crate) fn new(conn: Conn, prefix: String, timeout: Duration, breaker: Breaker) -> Self {
        Self {
            conn,
            prefix,
            timeout,
            breaker,
        }
    }

    pub fn is_cluster(&self) -> bool {
        matches!(self.conn, Conn::Cluster(_))
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn full(&self, path: &str) -> String {
        let mut k = String::with_capacity(self.prefix.len() + path.len());
        k.push_str(&self.prefix);
        k.push_str(path);
        k
    }

    /// Runs one Redis round trip under the breaker and the timeout, recording its latency.
    async fn guarded<T, F>(
        &self,
        label: &'static str,
        op: &'static str,
        fut: F,
    ) -> Result<T, CacheError>
    where
        F: std::future::Future<Output = redis::RedisResult<T>>,
    {
        if !self.breaker.allow() {
            return Err(CacheError::CircuitOpen);
        }
        let started = Instant::now();
        let out = tokio::time::timeout(self.timeout, fut).await;
        metrics::histogram!("pms_cache_redis_seconds", "category" => label, "op" => op)
            .record(started.elapsed().as_secs_f64());
        match out {
            Ok(Ok(v)) => {
                self.breaker.on_success();
                Ok(v)
            }
            Ok(Err(e)) => {
                self.breaker.on_failure();
                Err(e.into())
            }
            Err(_) => {
                self.breaker.on_failure();
                Err(CacheError::Timeout(self.timeout))
            }
        }
    }

    async fn cmd<T: FromRedisValue>(
        &self,
        label: &'static str,
        op: &'static str,
        cmd: &Cmd,
    ) -> Result<T, CacheError> {
        let conn = self.conn.clone();
        self.guarded(label, op, async move {
            match conn {
                Conn::Single(mut c) => cmd.query_async(&mut c).await,
                Conn::Cluster(mut c) => cmd.query_async(&mut c).await,
            }
        })
        .await
    }

    async fn pipe<T: FromRedisValue>(
        &self,
        label: &'static str,
        op: &'static str,
        pipe: &Pipeline,
    ) -> Result<T, CacheError> {
        let conn = self.conn.clone();
        self.guarded(label, op, async move {
            match conn {
                Conn::Single(mut c) => pipe.query_async(&mut c).await,
                Conn::Cluster(mut c) => pipe.query_async(&mut c).await,
            }
        })
        .await
    }

    /// A command for one node: the master owning `target`'s slot, or a master by address
    /// (cluster); the server itself (standalone).
    async fn routed<T: FromRedisValue>(
        &self,
        op: &'static str,
        target: &Target,
        cmd: Cmd,
    ) -> Result<T, CacheError> {
        let routing = match target {
            Target::Slot(path) => SingleNodeRoutingInfo::SpecificNode(Route::with_key(
                self.full(path),
                SlotAddr::Master,
            )),
            Target::Node(host, port) => SingleNodeRoutingInfo::ByAddress {
                host: host.clone(),
                port: *port,
            },
        };
        let conn = self.conn.clone();
        self.guarded("admin", op, async move {
            match conn {
                Conn::Single(mut c) => cmd.query_async(&mut c).await,
                Conn::Cluster(mut c) => {
                    let v = c
                        .route_command(cmd, RoutingInfo::SingleNode(routing))
                        .await?;
                    redis::from_redis_value(v).map_err(redis::RedisError::from)
                }
            }
        })
        .await
    }

    /// The nodes a scan must visit: the tenant's slot owner, every master of a cluster, or
    /// the one server.
    async fn scan_targets(&self, route: Option<&str>) -> Result<Vec<Target>, CacheError> {
        if let Some(r) = route {
            return Ok(vec![Target::Slot(r.to_string())]);
        }
        if !self.is_cluster() {
            return Ok(vec![Target::Slot(String::new())]);
        }
        let nodes: String = self
            .cmd("admin", "cluster_nodes", redis::cmd("CLUSTER").arg("NODES"))
            .await?;
        let masters: Vec<Target> = nodes
            .lines()
            .filter_map(|line| {
                let mut f = line.split_whitespace();
                let addr = f.nth(1)?;
                let flags = f.next()?;
                if !flags.split(',').any(|x| x == "master")
                    || flags.contains("fail")
                    || flags.contains("noaddr")
                {
                    return None;
                }
                let hostport = addr.split('@').next()?;
                let (host, port) = hostport.rsplit_once(':')?;
                Some(Target::Node(host.to_string(), port.parse().ok()?))
            })
            .collect();
        if masters.is_empty() {
            return Err(CacheError::Redis(
                "CLUSTER NODES listed no reachable master".into(),
            ));
        }
        Ok(masters)
    }

    /// Paths of the keys under the prefix matching `path_pattern`, node by node.
    async fn scan(
        &self,
        path_pattern: &str,
        route: Option<&str>,
        limit: usize,
    ) -> Result<Vec<String>, CacheError> {
        let pattern = format!("{}{path_pattern}", super::glob_escape(&self.prefix));
        let mut out = Vec::new();
        for target in self.scan_targets(route).await? {
            let mut cursor: u64 = 0;
            loop {
                let mut scan = redis::cmd("SCAN");
                scan.arg(cursor)
                    .arg("MATCH")
                    .arg(&pattern)
                    .arg("COUNT")
                    .arg(1000);
                let (next, keys): (u64, Vec<String>) = self.routed("scan", &target, scan).await?;
                out.extend(
                    keys.into_iter()
                        .filter_map(|k| k.strip_prefix(&self.prefix).map(str::to_string)),
                );
                if next == 0 || out.len() >= limit {
                    break;
                }
                cursor = next;
            }
        }
        Ok(out)
    }

    /// One `MGET` of the entry and its generation counters (all in the tenant's slot).
    pub(crate) async fn read(
        &self,
        label: &'static str,
        path: &str,
        gens: &[String],
    ) -> Result<Read, CacheError> {
        let mut c = redis::cmd("MGET");
        c.arg(self.full(path));
        for g in gens {
            c.arg(self.full(g));
        }
        let mut vals: Vec<Option<Vec<u8>>> = self.cmd(label, "read", &c).await?;
        let gens = vals
            .drain(1.min(vals.len())..)
            .map(|v| {
                v.and_then(|b| {
                    std::str::from_utf8(&b)
                        .ok()
                        .and_then(|s| s.parse::<u64>().ok())
                })
            })
            .collect();
        let entry = vals.pop().flatten().and_then(decode);
        Ok(Read { entry, gens })
    }

    pub(crate) async fn write(
        &self,
        label: &'static str,
        path: &str,
        stamps: &[u64],
        value: Stored,
        ttl: Duration,
    ) -> Result<(), CacheError> {
        let Stored::Bytes(payload) = value else {
            return Err(CacheError::Serialize(
                "an in-process value reached the Redis backend".into(),
            ));
        };
        let mut c = redis::cmd("SET");
        c.arg(self.full(path))
            .arg(encode(stamps, &payload))
            .arg("PX")
            .arg(ttl_ms(ttl));
        self.cmd::<()>(label, "write", &c).await
    }

    pub(crate) async fn init_gens(&self, gens: &[String]) -> Result<Vec<u64>, CacheError> {
        let mut p = redis::pipe();
        for g in gens {
            p.cmd("SET")
                .arg(self.full(g))
                .arg(rand::rng().random_range(1..GEN_START_MAX))
                .arg("NX")
                .arg("PX")
                .arg(ttl_ms(GEN_TTL))
                .ignore();
        }
        let mut mget = redis::cmd("MGET");
        for g in gens {
            mget.arg(self.full(g));
        }
        p.add_command(mget);
        let (vals,): (Vec<u64>,) = self.pipe("generation", "init_gens", &p).await?;
        Ok(vals)
    }

    pub(crate) async fn bump(&self, gens: &[String]) -> Result<(), CacheError> {
        let mut p = redis::pipe();
        for g in gens {
            let k = self.full(g);
            p.cmd("INCR").arg(&k).ignore();
            p.cmd("PEXPIRE").arg(&k).arg(ttl_ms(GEN_TTL)).ignore();
        }
        self.pipe::<()>("generation", "bump", &p).await
    }

    pub(crate) async fn delete(&self, path: &str) -> Result<(), CacheError> {
        let mut c = redis::cmd("UNLINK");
        c.arg(self.full(path));
        self.cmd::<()>("admin", "delete", &c).await
    }

    /// `SCAN` + `UNLINK` over keys whose path matches `path_pattern`; the prefix is put in
    /// front, escaped. On a cluster the scan visits the tenant's slot owner (`route`) or
    /// every master.
    pub(crate) async fn delete_matching(
        &self,
        path_pattern: &str,
        route: Option<&str>,
    ) -> Result<u64, CacheError> {
        let paths = self.scan(path_pattern, route, usize::MAX).await?;
        let mut deleted = 0u64;
        for path in &paths {
            // One key per command: keys of different tenants live in different slots.
            let mut unlink = redis::cmd("UNLINK");
            unlink.arg(self.full(path));
            let n: u64 = self.cmd("admin", "unlink", &unlink).await?;
            deleted += n;
        }
        Ok(deleted)
    }

    pub(crate) async fn ttl(&self, path: &str) -> Result<Option<Duration>, CacheError> {
        let mut c = redis::cmd("PTTL");
        c.arg(self.full(path));
        let ms: i64 = self.cmd("admin", "ttl", &c).await?;
        Ok(u64::try_from(ms).ok().map(Duration::from_millis))
    }

    /// A plain `GET` over the same connection, with no envelope, breaker or timeout: the
    /// benchmark's baseline.
    pub async fn raw_get(&self, path: &str) -> Result<Option<Vec<u8>>, CacheError> {
        let mut c = redis::cmd("GET");
        c.arg(self.full(path));
        Ok(match self.conn.clone() {
            Conn::Single(mut conn) => c.query_async(&mut conn).await?,
            Conn::Cluster(mut conn) => c.query_async(&mut conn).await?,
        })
    }

    /// A raw `SET` (tests and the benchmark use it to plant values).
    pub async fn raw_set(&self, path: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        let mut c = redis::cmd("SET");
        c.arg(self.full(path)).arg(value).arg("PX").arg(ttl_ms(ttl));
        self.cmd::<()>("admin", "raw_set", &c).await
    }

    /// Runs a Lua script on the keys' slot (rate limits).
    pub(crate) async fn eval<T: FromRedisValue>(
        &self,
        label: &'static str,
        script: &str,
        paths: &[&str],
        args: &[String],
    ) -> Result<T, CacheError> {
        let mut c = redis::cmd("EVAL");
        c.arg(script).arg(paths.len());
        for p in paths {
            c.arg(self.full(p));
        }
        for a in args {
            c.arg(a);
        }
        self.cmd(label, "eval", &c).await
    }

    /// `INFO` of the server (standalone) or of one master (cluster).
    pub async fn info(&self) -> Result<String, CacheError> {
        let target = self
            .scan_targets(None)
            .await?
            .into_iter()
            .next()
            .unwrap_or(Target::Slot(String::new()));
        self.routed("info", &target, redis::cmd("INFO")).await
    }

    /// Paths of the keys under the prefix (a tenant's, or all: every master of a cluster),
    /// stopping after about `limit`.
    pub async fn scan_paths(
        &self,
        route: Option<&str>,
        limit: usize,
    ) -> Result<Vec<String>, CacheError> {
        self.scan("*", route, limit).await
    }
}

/// Where an administrative command goes.
enum Target {
    Slot(String),
    Node(String, u16),
}

fn ttl_ms(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}
