//! A real `pms serve` for a test: its own migrated database with the demo tenants, a cache
//! (in process, Redis, or a Redis Cluster), the router on a loopback port, and a client.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod api_a;
pub mod api_c;
pub mod api_d;
pub mod api_e;
pub mod audit_walk;
pub mod console;
pub mod matrix;
pub mod sweep;
pub mod sweep_plan;
pub mod sweep_plan_a;
pub mod sweep_plan_b;
pub mod sweep_plan_c;
pub mod sweep_plan_d;

use pms_api::{ApiConfig, AppState};
use pms_cache::{Cache, CacheOptions};
use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, user_id};
use pms_test_support::{RedisCluster, TestDb, TestRedis};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// Which cache the server runs with.
pub enum CacheKind {
    Local,
    Redis,
    Cluster,
}

pub struct Api {
    pub db: TestDb,
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    _redis: Option<TestRedis>,
    _cluster: Option<RedisCluster>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Resp {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

pub fn demo_user(local: &str) -> Uuid {
    user_id(&DEMO_COMPANY, local)
}

pub fn acme_user(local: &str) -> Uuid {
    user_id(&SECOND_TENANT, local)
}

impl Api {
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(CacheKind::Local, ApiConfig::default()).await
    }

    pub async fn start_with(kind: CacheKind, mut config: ApiConfig) -> anyhow::Result<Self> {
        let db = TestDb::new().await?;
        pms_seed::demo::seed_demo(&db.maintenance).await?;
        let (cache, redis, cluster) = match kind {
            CacheKind::Local => (Cache::open(CacheOptions::local())?, None, None),
            CacheKind::Redis => {
                let r = TestRedis::new().await?;
                let mut o = CacheOptions::redis(r.url.clone());
                o.prefix = r.prefix.clone();
                (Cache::open(o)?, Some(r), None)
            }
            CacheKind::Cluster => {
                let c = RedisCluster::start()?;
                (Cache::open(CacheOptions::redis(c.url()))?, None, Some(c))
            }
        };
        config.cookie_secure = false;
        let state = AppState::new(db.app.clone(), cache, config).map_err(anyhow::Error::msg)?;
        let app = pms_api::router(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(pms_api::serve(listener, app, async move {
            let _ = rx.await;
        }));
        Ok(Self {
            db,
            base,
            client: reqwest::Client::new(),
            state,
            _redis: redis,
            _cluster: cluster,
            stop: Some(tx),
        })
    }

    /// Signs in a person of the demo company (`local` is the email's local part).
    pub async fn login(&self, local: &str) -> String {
        self.login_in("demo-company", &format!("{local}@demo.pms-platform.local"))
            .await
    }

    pub async fn login_acme(&self, local: &str) -> String {
        self.login_in("acme-test", &format!("{local}@acme.pms-platform.local"))
            .await
    }

    pub async fn login_in(&self, tenant: &str, email: &str) -> String {
        let r = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"tenant": tenant, "email": email, "password": "demo123"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login of {email}: {}", r.body);
        r.body["token"].as_str().unwrap().to_string()
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        self.call_with(method, path, token, body, &[]).await
    }

    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    /// Removes this test's Redis keys (the shared server keeps no other test's state).
    pub async fn finish(&self) {
        if let Some(r) = &self._redis {
            r.cleanup().await.ok();
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.call(Method::GET, path, Some(token), None).await
    }

    /// A count in the database, as the maintenance role (what was really written).
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.db.maintenance)
            .await
            .unwrap()
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}
