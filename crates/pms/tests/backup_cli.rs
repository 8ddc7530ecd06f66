//! `pms backup ...` end to end with the real binary on a private cluster of its own (a fresh
//! PMS_DATA_DIR under /var/tmp, its own loopback port; never the shared server): migrate and
//! seed the demo tenants, init, create, list (not verified), verify (verified), a tenant
//! export, a point-in-time restore `--latest` into a new directory that is left stopped, the
//! metrics, and clear errors for bad input.

use std::path::{Path, PathBuf};
use std::process::Output;

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = pms(&self.0, &["down"]);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn pms(data: &Path, args: &[&str]) -> std::io::Result<Output> {
    std::process::Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(args)
        .env("PMS_DATA_DIR", data)
        .env("PMS_BACKUP_ARCHIVE_TIMEOUT", "5s")
        .env_remove("DATABASE_URL")
        .env_remove("PMS_PG_PORT")
        .env_remove("PMS_BACKUP_S3_URL")
        .env_remove("PMS_APP_DATABASE_URL")
        .env_remove("PMS_MAINTENANCE_DATABASE_URL")
        .env("RUST_LOG", "error")
        .output()
}

fn ok(data: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = pms(data, args)?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    anyhow::ensure!(
        out.status.success(),
        "pms {args:?} failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(text)
}

fn fails(data: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = pms(data, args)?;
    anyhow::ensure!(!out.status.success(), "pms {args:?} should have failed");
    Ok(String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn backup_commands_end_to_end() -> anyhow::Result<()> {
    assert!(
        std::process::Command::new("pgbackrest")
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success()),
        "pgBackRest is not installed: apt-get install pgbackrest (scripts/test.sh installs it)"
    );
    let dir = Dir(PathBuf::from(format!(
        "/var/tmp/pms-bkcli-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    )));
    let data = dir.0.as_path();
    ok(data, &["migrate"])?;
    ok(data, &["seed", "--demo"])?;
    let init = ok(data, &["backup", "init"])?;
    assert!(init.contains("pgbackrest check passed"), "{init}");
    assert!(init.contains("archive_mode = on"), "{init}");
    let created = ok(data, &["backup", "create", "--type", "full"])?;
    assert!(created.contains("(full) in repository 1"), "{created}");
    let list = ok(data, &["backup", "list"])?;
    assert!(
        list.contains(" full ") && list.contains("not verified"),
        "{list}"
    );
    let verified = ok(data, &["backup", "verify"])?;
    assert!(
        verified.contains("ok: backup") && verified.contains("2 tenants' audit chains"),
        "{verified}"
    );
    let list = ok(data, &["backup", "list"])?;
    assert!(list.contains("verified 20"), "{list}");
    let metrics = ok(data, &["backup", "metrics"])?;
    assert!(
        metrics.contains("pms_backup_last_verification_ok{repo=\"1\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("pms_backup_archiver_failing 0"),
        "{metrics}"
    );
    // pms monitor reads the backups themselves: the newest one and its drill, just now.
    let monitor = ok(data, &["monitor", "--section", "backups", "--json"])?;
    let v: serde_json::Value = serde_json::from_str(&monitor)?;
    let b = &v["backups"];
    assert_eq!(b["status"], "ok", "{monitor}");
    assert_eq!(b["data"]["configured"], true, "{monitor}");
    assert_eq!(b["data"]["last_drill_ok"], true, "{monitor}");
    assert!(
        b["data"]["last_backup_age_seconds"].is_number()
            && b["data"]["last_verified_backup_age_seconds"].is_number(),
        "{monitor}"
    );

    let e = fails(data, &["backup", "verify", "--backup", "nope"])?;
    assert!(e.contains("no backup labelled \"nope\""), "{e}");
    let e = fails(data, &["backup", "restore", "--to", "2001-01-01 00:00:00"])?;
    assert!(e.contains("before the first backup"), "{e}");
    let e = fails(data, &["backup", "restore", "--to", "not a time"])?;
    assert!(e.contains("is not a time"), "{e}");
    let e = fails(data, &["backup", "create", "--type", "weekly"])?;
    assert!(e.contains("full, diff or incr"), "{e}");

    let restored = data.join("restores").join("latest");
    let out = ok(
        data,
        &[
            "backup",
            "restore",
            "--latest",
            "--no-start",
            "--target",
            restored.to_str().unwrap_or_default(),
        ],
    )?;
    assert!(out.contains("left stopped") && out.contains("RTO"), "{out}");
    assert!(restored.join("pg/data/PG_VERSION").is_file());
    let e = fails(
        data,
        &[
            "backup",
            "restore",
            "--latest",
            "--target",
            restored.to_str().unwrap_or_default(),
        ],
    )?;
    assert!(e.contains("is not empty"), "{e}");

    let exported = data.join("export-all.dump");
    let out = ok(
        data,
        &[
            "backup",
            "export",
            "--to",
            exported.to_str().unwrap_or_default(),
        ],
    )?;
    assert!(out.contains("pg_dump custom format"), "{out}");
    Ok(())
}
