//! `pms monitor` as an operator runs it: the text screen with every section, `--json` with a key
//! per section, `--section` to pick, and one clear line for bad flags; a section the server
//! cannot serve (no replica here) says so while the others print.

// These helpers panic where the test would fail anyway (clippy.toml covers #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pms_test_support::TestDb;
use std::process::Command;

fn pms(db: &TestDb, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(args)
        .env("DATABASE_URL", db.urls.url_for(pms_db::RoleName::Admin))
        .env("RUST_LOG", "error")
        .env_remove("PMS_MONITOR_DATABASE_URL")
        .env_remove("REDIS_URL")
        .output()
        .expect("run pms");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_screen_the_json_and_bad_flags() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let (code, out, err) = pms(&db, &["monitor"]);
    assert_eq!(code, Some(0), "{out}{err}");
    for section in [
        "queries",
        "statements",
        "connections",
        "cache",
        "indexes",
        "bloat",
        "disk",
        "timeseries",
        "archive",
        "backups",
        "replication",
        "security",
    ] {
        assert!(
            out.contains(&format!("== {section} (")),
            "{section} missing:\n{out}"
        );
    }
    assert!(out.contains("[unavailable] no backups configured"), "{out}");
    assert!(
        out.contains("[unavailable] no streaming replica is connected"),
        "{out}"
    );

    let (code, out, err) = pms(&db, &["monitor", "--json", "--section", "replication,disk"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out)?;
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["disk", "replication"], "{out}");
    assert_eq!(v["replication"]["status"], "unavailable");
    assert!(
        v["disk"]["data"]["database_bytes"].as_i64().unwrap() > 0,
        "{out}"
    );

    let (code, _, err) = pms(&db, &["monitor", "--section", "everything"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("unknown section `everything`; one of: queries"),
        "{err}"
    );
    let (code, _, err) = pms(&db, &["monitor", "--timeout-ms", "0"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("--timeout-ms must be at least 1"), "{err}");
    Ok(())
}
