//! Headless Chromium for the console's browser test: chromedriver on a free loopback port,
//! a WebDriver session (fantoccini over plain HTTP), the browser's log, screenshots, and the
//! steps every role repeats (sign in, open a page, sign out).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use uuid::Uuid;

pub fn find_binary(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(var) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| names.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

pub struct Driver {
    child: Child,
    pub url: String,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

pub async fn start_driver(driver: &Path) -> anyhow::Result<Driver> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let profile =
        std::env::temp_dir().join(format!("pms-console-chromium-{}", Uuid::new_v4().simple()));
    let d = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        profile,
    };
    // chromedriver answers /status once it listens; wait for that (bounded).
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{}/status", d.url)).await
            && r.status().is_success()
        {
            return Ok(d);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    anyhow::bail!("chromedriver did not start on port {port}")
}

pub async fn browser(d: &Driver, chromium: &Path) -> anyhow::Result<Client> {
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium.display().to_string(),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1",
                     format!("--user-data-dir={}", d.profile.display())],
        },
        "goog:loggingPrefs": {"browser": "ALL"},
    });
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    Ok(ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&d.url)
        .await?)
}

/// What the browser logged since the last call (chromedriver's log endpoint).
pub async fn browser_log(d: &Driver, b: &Client) -> Vec<Value> {
    let id = b.session_id().await.unwrap().unwrap();
    let r: Value = reqwest::Client::new()
        .post(format!("{}/session/{id}/se/log", d.url))
        .json(&json!({"type": "browser"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["value"].as_array().cloned().unwrap_or_default()
}

pub struct Shots {
    dir: PathBuf,
}

impl Shots {
    pub fn new() -> Self {
        let dir = std::env::var("PMS_CONSOLE_SCREENSHOTS")
            .map(PathBuf::from)
            .unwrap_or_else(|_| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/console-screenshots")
            });
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir }
    }

    /// The page at desktop and at phone width.
    pub async fn take(&self, b: &Client, name: &str) {
        for (suffix, w, h) in [("desktop", 1280, 1100), ("phone", 390, 844)] {
            b.set_window_size(w, h).await.unwrap();
            let png = b.screenshot().await.unwrap();
            std::fs::write(self.dir.join(format!("{name}-{suffix}.png")), png).unwrap();
        }
        b.set_window_size(1280, 1100).await.unwrap();
    }
}

pub async fn sign_in(b: &Client, base: &str, tenant: &str, email: &str) {
    b.goto(&format!("{base}/console/login")).await.unwrap();
    b.find(Locator::Id("tenant"))
        .await
        .unwrap()
        .send_keys(tenant)
        .await
        .unwrap();
    b.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    b.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("demo123")
        .await
        .unwrap();
    b.find(Locator::Css("main.login button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait().for_element(Locator::Css("nav")).await.unwrap();
    assert_eq!(
        b.current_url().await.unwrap().path(),
        "/console",
        "{email} lands on the overview"
    );
}

pub async fn sign_out(b: &Client) {
    b.find(Locator::Css("form.logout button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait().for_element(Locator::Id("tenant")).await.unwrap();
}

pub async fn open(b: &Client, base: &str, path: &str) -> String {
    b.goto(&format!("{base}{path}")).await.unwrap();
    let h1 = b
        .find(Locator::Css("main h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !h1.is_empty() && h1 != "Not found",
        "{path} opens (got {h1:?})"
    );
    b.find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub async fn text_of(b: &Client, css: &str) -> String {
    b.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub async fn int_of(b: &Client, css: &str) -> i64 {
    let t = text_of(b, css).await;
    t.trim()
        .parse()
        .unwrap_or_else(|_| panic!("{css}: {t:?} is not a number"))
}
