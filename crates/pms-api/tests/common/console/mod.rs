//! The operations console under test: a real server with the console's operations path (the
//! maintenance pool, a file archive and a backup-records directory of its own), a platform
//! tenant with a SUPER_ADMIN, and plain-HTTP helpers that carry the session cookie.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod browser;

use pms_api::console::Operations;
use pms_api::{ApiConfig, AppState};
use pms_cache::{Cache, CacheOptions};
use pms_db::MaintenanceTx;
use pms_test_support::TestDb;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, HeaderMap, LOCATION, SET_COOKIE};
use std::path::PathBuf;
use uuid::Uuid;

pub const PLATFORM_SLUG: &str = "pms-platform";
pub const OPERATOR_EMAIL: &str = "operator@platform.pms-platform.local";

pub struct Console {
    pub db: TestDb,
    pub base: String,
    pub state: AppState,
    /// Redirects are not followed, so that tests see them.
    pub http: reqwest::Client,
    pub dir: PathBuf,
    pub backup: pms_backup::BackupConfig,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// `application/x-www-form-urlencoded` for `pairs`.
pub fn form(pairs: &[(&str, &str)]) -> String {
    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of the hidden `csrf` field in a page.
pub fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[at..at + 64].to_string()
}

fn cookie_from(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

impl Console {
    /// A console server; `archive_url` overrides the file archive (a failing tier).
    pub async fn start() -> anyhow::Result<Self> {
        let db = TestDb::new().await?;
        pms_seed::demo::seed_demo(&db.maintenance).await?;
        add_platform_operator(&db).await?;
        let dir = std::env::temp_dir().join(format!("pms-console-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(dir.join("archive"))?;
        let backup = pms_backup::BackupConfig::for_data_dir(&dir)?;
        let ops = Operations {
            pool: db.maintenance.clone(),
            archive: Some(pms_archive::ArchiveConfig::for_url(format!(
                "file://{}",
                dir.join("archive").display()
            ))),
            backup: Some(backup.clone()),
        };
        let config = ApiConfig {
            cookie_secure: false,
            ..ApiConfig::default()
        };
        let cache = Cache::open(CacheOptions::local())?;
        let state = AppState::new(db.app.clone(), cache, config)
            .map_err(anyhow::Error::msg)?
            .with_operations(ops);
        let app = pms_api::router(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(pms_api::serve(listener, app, async move {
            let _ = rx.await;
        }));
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            db,
            base,
            state,
            http,
            dir,
            backup,
            stop: Some(tx),
        })
    }

    /// Records one backup set with a passed restore drill, restore point at `taken_at`.
    pub fn record_backup(&self, label: &str, taken_at: &str) {
        let record = pms_backup::records::BackupRecord {
            label: label.into(),
            repo: 1,
            kind: "full".into(),
            duration_ms: 4200,
            manifest: pms_backup::manifest::Manifest {
                restore_point: format!("pms-{label}"),
                restore_point_lsn: "0/3000060".into(),
                restore_point_time: taken_at.into(),
                tables: Default::default(),
                security: Default::default(),
                roles: Vec::new(),
            },
            verifications: vec![pms_backup::records::Verification {
                at: taken_at.into(),
                ok: true,
                problems: Vec::new(),
                restore_ms: 9100,
                tables_checked: 120,
                indexes_checked: 300,
                tenants_checked: 3,
            }],
        };
        pms_backup::records::save(&self.backup, &record).unwrap();
    }

    /// Signs in through the console's form; returns the session cookie's value.
    pub async fn sign_in(&self, tenant: &str, email: &str) -> String {
        let form_page = self
            .http
            .get(format!("{}/console/login", self.base))
            .send()
            .await
            .unwrap();
        let login_cookie =
            cookie_from(form_page.headers(), "pms_console_login").expect("login cookie");
        let html = form_page.text().await.unwrap();
        let r = self
            .http
            .post(format!("{}/console/login", self.base))
            .header(COOKIE, format!("pms_console_login={login_cookie}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("csrf", &csrf_of(&html)),
                ("tenant", tenant),
                ("email", email),
                ("password", "demo123"),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "login of {email}");
        cookie_from(r.headers(), "pms_session").expect("session cookie")
    }

    pub async fn get(&self, path: &str, session: Option<&str>) -> Page {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(s) = session {
            req = req.header(COOKIE, format!("pms_session={s}"));
        }
        Self::page(req.send().await.unwrap()).await
    }

    pub async fn post(&self, path: &str, session: Option<&str>, body: &[(&str, &str)]) -> Page {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(body));
        if let Some(s) = session {
            req = req.header(COOKIE, format!("pms_session={s}"));
        }
        Self::page(req.send().await.unwrap()).await
    }

    async fn page(r: reqwest::Response) -> Page {
        Page {
            status: r.status(),
            headers: r.headers().clone(),
            body: r.text().await.unwrap_or_default(),
        }
    }

    pub async fn scalar_i64(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.db.maintenance)
            .await
            .unwrap()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The platform's own tenant and its operator (SUPER_ADMIN; password demo123).
pub async fn add_platform_operator(db: &TestDb) -> anyhow::Result<()> {
    let tenant = Uuid::new_v5(&Uuid::NAMESPACE_OID, b"pms-console-test-platform");
    let user = Uuid::new_v5(&Uuid::NAMESPACE_OID, b"pms-console-test-operator");
    let role = Uuid::new_v5(&Uuid::NAMESPACE_OID, b"pms-console-test-super-admin");
    let hash = pms_seed::password::hash("demo123").map_err(anyhow::Error::msg)?;
    let mut tx = MaintenanceTx::begin(&db.maintenance).await?;
    sqlx::query("INSERT INTO tenants (id, slug, name, domain) VALUES ($1, $2, 'PMS Platform', 'platform.pms-platform.local')")
        .bind(tenant)
        .bind(PLATFORM_SLUG)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO roles (tenant_id, id, code, name, permissions, is_system) VALUES ($1, $2, 'SUPER_ADMIN', 'Platform operator', '{\"platform:*\"}', true)")
        .bind(tenant)
        .bind(role)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name, display_name, password_hash) VALUES ($1, $2, $3, 'Olive', 'Operator', 'Olive Operator', $4)")
        .bind(tenant)
        .bind(user)
        .bind(OPERATOR_EMAIL)
        .bind(hash)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO user_roles (tenant_id, id, user_id, role_id) VALUES ($1, gen_random_uuid(), $2, $3)")
        .bind(tenant)
        .bind(user)
        .bind(role)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
