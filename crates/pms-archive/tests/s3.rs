//! The S3 path against a real S3-compatible server on loopback: moto's server (PyPI
//! `moto[server]`, installed by scripts/test.sh), started and stopped by this test. Skips with a
//! message when `moto_server` is not installed.

mod common;

use common::*;
use pms_archive::{ArchiveConfig, Archiver, failpoint};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http(port: u16, request: &str) -> std::io::Result<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    s.write_all(request.as_bytes())?;
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    Ok(out)
}

async fn start_moto() -> anyhow::Result<Option<(Server, u16)>> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(child) = child else { return Ok(None) };
    let server = Server(child);
    for _ in 0..150 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(Some((server, port)));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("moto_server did not listen on 127.0.0.1:{port} within 15 s")
}

#[tokio::test]
async fn archive_cycle_on_s3() -> anyhow::Result<()> {
    let Some((_server, port)) = start_moto().await? else {
        eprintln!(
            "SKIPPED archive_cycle_on_s3: moto_server is not installed (pip install 'moto[server]'; scripts/test.sh does it)"
        );
        return Ok(());
    };
    let created = http(
        port,
        &format!(
            "PUT /pms-archive HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    )?;
    assert!(
        created.starts_with("HTTP/1.1 200"),
        "creating the bucket: {created}"
    );

    let db = db().await?;
    let t = tenant(&db, "s3").await?;
    old_goals(&db.maintenance, t, 1200, "6 years").await?;
    let mut cfg = ArchiveConfig::for_url("s3://pms-archive/prod/archive");
    cfg.batch_size = 500;
    cfg.s3_options = vec![
        ("aws_endpoint".into(), format!("http://127.0.0.1:{port}")),
        ("aws_allow_http".into(), "true".into()),
        ("aws_access_key_id".into(), "testing".into()),
        ("aws_secret_access_key".into(), "testing".into()),
        ("aws_region".into(), "us-east-1".into()),
    ];
    let a = Archiver::new(db.maintenance.clone(), &cfg)?;
    a.failpoints.fail(failpoint::BEFORE_DELETE_COMMIT);
    assert!(a.run(&no_progress).await.is_err());
    a.failpoints.clear();
    let report = a.run(&no_progress).await?;
    assert_eq!(report.archived_rows, 1200);
    assert_eq!(report.archived_batches, 3);
    assert_consistent(&a).await?;
    let keys = a.store.list().await?;
    assert_eq!(keys.len(), 3);
    assert!(
        keys.iter().all(|k| k.starts_with(&format!("Goal/{t}/"))),
        "{keys:?}"
    );
    // The prefix is honoured on the server.
    let listing = http(
        port,
        &format!(
            "GET /pms-archive?list-type=2 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    )?;
    assert!(
        listing.contains(&format!("prod/archive/Goal/{t}/")),
        "{listing}"
    );

    let id: String = sqlx::query_scalar("SELECT id FROM archived_entities LIMIT 1 OFFSET 777")
        .fetch_one(&db.maintenance)
        .await?;
    let got = pms_archive::retrieve::retrieve(&db.maintenance, &a.store, Some(t), "Goal", &id)
        .await?
        .expect("on S3");
    assert_eq!(got.data["id"], serde_json::json!(id));
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM fx_goals").await?,
        0
    );
    Ok(())
}
