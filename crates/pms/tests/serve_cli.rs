//! `pms serve` as an operator runs it: it prints its URL, answers `/health`, `/ready` and
//! `/metrics` (with the HTTP route metrics), and on SIGTERM lets the request in flight finish
//! before it exits cleanly; a port in use is one clear line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pms_test_support::TestDb;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(db: &TestDb, port: u16) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pms"));
    c.arg("serve")
        .env("DATABASE_URL", db.urls.url_for(pms_db::RoleName::Admin))
        .env("PMS_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .env_remove("REDIS_URL")
        .env_remove("PMS_APP_DATABASE_URL")
        .env_remove("PMS_MAINTENANCE_DATABASE_URL");
    c
}

#[tokio::test]
async fn serve_answers_and_stops_cleanly_finishing_requests_in_flight() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let port = free_port();
    let child = serve(&db, port)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        if client
            .get(format!("{base}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "pms serve did not come up"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let ready = client.get(format!("{base}/ready")).send().await?;
    assert_eq!(ready.status(), 200);
    // The operations console, with its maintenance connection (the database tier's size is
    // read through it).
    let form = client.get(format!("{base}/console/login")).send().await?;
    assert_eq!(form.status(), 200);
    assert!(
        form.headers()["content-security-policy"]
            .to_str()?
            .contains("default-src 'self'")
    );
    let token: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"tenant": "demo-company", "email": "admin@demo.pms-platform.local", "password": "demo123"}))
        .send()
        .await?
        .json()
        .await?;
    let overview = client
        .get(format!("{base}/console"))
        .header(
            "cookie",
            format!("pms_session={}", token["token"].as_str().unwrap_or("")),
        )
        .send()
        .await?
        .text()
        .await?;
    assert!(overview.contains("on disk"), "{overview}");
    // A login is in flight (it spends tens of milliseconds hashing) when SIGTERM arrives.
    let login = tokio::spawn({
        let client = client.clone();
        let url = format!("{base}/api/v1/auth/login");
        async move {
            client
                .post(url)
                .json(&serde_json::json!({"tenant": "demo-company", "email": "jane@demo.pms-platform.local", "password": "demo123"}))
                .send()
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(15)).await;
    let metrics = client
        .get(format!("{base}/metrics"))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        metrics.contains("pms_http_requests_total{route=\"/ready\""),
        "route metrics on /metrics"
    );
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()?;
    assert!(kill.success());
    let resp = login.await??;
    assert_eq!(resp.status(), 200, "the request in flight finished");
    let out = tokio::task::spawn_blocking(move || child.wait_with_output()).await??;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(&format!("http://127.0.0.1:{port}/api/v1"))
            && text.contains("stopped cleanly"),
        "{text}"
    );
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions WHERE revoked_at IS NULL AND user_agent IS DISTINCT FROM 'pms demo seed'")
        .fetch_one(&db.maintenance)
        .await?;
    assert!(sessions >= 1, "the login's session was written");

    // A port in use.
    let busy = std::net::TcpListener::bind("127.0.0.1:0")?;
    let out = serve(&db, busy.local_addr()?.port()).output()?;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("PMS_LISTEN") && err.contains("in use"),
        "{err}"
    );
    Ok(())
}

/// `pms serve bench --mixed` on the demo data: its three phases run without a failed request,
/// and the policy-free scratch copy it makes is gone afterwards (a smoke test of the command;
/// its figures mean nothing at this size and go in docs/BENCHMARKS.md from a 100k tenant).
#[tokio::test]
async fn the_mixed_benchmark_runs_its_three_phases_and_drops_its_copy() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    // The scratch copy is a template copy: nothing else may be connected to the database.
    db.app.close().await;
    db.maintenance.close().await;
    let out = Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(["serve", "bench", "--mixed", "--tenant", "demo-company"])
        .args(["--seconds", "1", "--connections", "4", "--people", "10"])
        .env("DATABASE_URL", db.urls.url_for(pms_db::RoleName::Admin))
        .env("RUST_LOG", "error")
        .env_remove("REDIS_URL")
        .env_remove("PMS_APP_DATABASE_URL")
        .env_remove("PMS_MAINTENANCE_DATABASE_URL")
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for phase in [
        "policies on, cache on",
        "policies on, cache off",
        "no visibility policies",
    ] {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(phase))
            .unwrap_or_else(|| panic!("no {phase:?} line in {text}"));
        assert!(line.trim_end().ends_with("failed 0"), "{line}");
    }
    assert!(text.contains("visibility policies dropped"), "{text}");
    assert!(text.contains("visibility policies: p99"), "{text}");
    let mut admin = db.urls.connect(pms_db::RoleName::Admin).await?;
    let copies: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(format!("{}_bench_no_policies", db.name))
        .fetch_one(&mut admin)
        .await?;
    assert_eq!(copies, 0, "the scratch copy is dropped");
    Ok(())
}
