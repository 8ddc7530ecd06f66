//! The S3 repository (pgBackRest's repo2) against an S3-compatible server on loopback: moto's
//! server (PyPI `moto[server]`, installed by scripts/test.sh) behind a TLS terminator (socat,
//! with a certificate this test makes with openssl and hands to pgBackRest as its CA file, so
//! TLS is verified). pgBackRest speaks to S3 over TLS only, and moto's own TLS mode closes
//! connections without a TLS close-notify, which pgBackRest refuses. WAL is archived to both
//! repositories; a full backup goes to S3, is listed, and passes a restore drill from S3.

mod common;

use common::*;
use pms_backup::config::S3Repo;
use pms_backup::create::{BackupKind, create};
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

fn port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn wait_listening(port: u16, what: &str) -> anyhow::Result<()> {
    for _ in 0..150 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("{what} did not listen on 127.0.0.1:{port} within 15 s")
}

#[tokio::test]
async fn backup_to_s3_and_verify_from_it() -> anyhow::Result<()> {
    require_pgbackrest();
    let tls_dir =
        std::env::temp_dir().join(format!("pms-bk-tls-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&tls_dir)?;
    let (cert, key) = (tls_dir.join("cert.pem"), tls_dir.join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
        ])
        .args(["-addext", "subjectAltName=DNS:localhost"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| {
            anyhow::anyhow!("openssl is needed for this test (apt-get install openssl): {e}")
        })?;
    assert!(made.success(), "openssl could not make a certificate");
    let pem = tls_dir.join("both.pem");
    std::fs::write(&pem, [std::fs::read(&cert)?, std::fs::read(&key)?].concat())?;

    let moto_port = port()?;
    let moto = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &moto_port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| anyhow::anyhow!("moto_server is not installed (pip install 'moto[server]'; scripts/test.sh does it): {e}"))?;
    let _moto = Server(moto);
    wait_listening(moto_port, "moto_server").await?;
    let tls_port = port()?;
    let socat = Command::new("socat")
        .arg(format!(
            "OPENSSL-LISTEN:{tls_port},bind=127.0.0.1,reuseaddr,fork,verify=0,cert={}",
            pem.display()
        ))
        .arg(format!("TCP:127.0.0.1:{moto_port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            anyhow::anyhow!("socat is needed for this test (apt-get install socat): {e}")
        })?;
    let _socat = Server(socat);
    wait_listening(tls_port, "socat").await?;
    let mut s = TcpStream::connect(("127.0.0.1", moto_port))?;
    s.write_all(
        format!("PUT /pms-backups HTTP/1.1\r\nHost: 127.0.0.1:{moto_port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
    )?;
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    assert!(
        reply.starts_with("HTTP/1.1 200"),
        "creating the bucket: {reply}"
    );

    let ca = cert.clone();
    let env = env_with("s3", move |cfg| {
        cfg.s3 = Some(S3Repo {
            bucket: "pms-backups".into(),
            path: "/prod/pms".into(),
            endpoint: "localhost".into(),
            port: tls_port,
            region: "us-east-1".into(),
            key: "testing".into(),
            secret: "testing".into(),
            ca_file: Some(ca),
            verify_tls: true,
        });
    })
    .await?;
    let (t, u) = tenant(&env, "s3").await?;
    let app = env.app().await?;
    goals(&app, t, u, "goal", 10).await?;
    let (_, set) = create(&env.cfg, &env.server, BackupKind::Full, 2).await?;
    assert_eq!(set.repo, 2);
    let listed = pms_backup::list::list(&env.cfg, &env.server)?;
    assert!(
        listed
            .iter()
            .any(|l| l.set.repo == 2 && l.set.label == set.label),
        "{listed:?}"
    );
    let report =
        pms_backup::verify::verify(&env.cfg, &env.server, Some(&set.label), Some(2)).await?;
    assert!(
        report.verification.ok,
        "{:#?}",
        report.verification.problems
    );
    // The conf holds the S3 secret: only the server's user may read it.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(env.cfg.conf_file())?.permissions().mode() & 0o077,
        0
    );
    drop(env);
    let _ = std::fs::remove_dir_all(&tls_dir);
    Ok(())
}
