//! The archive directory on a tiny tmpfs: the run fails cleanly, deletes nothing, leaves no
//! ledger row or object behind, and says why. Needs root (mount); skips with a message
//! otherwise.

mod common;

use common::*;
use std::process::Command;

struct Mount(std::path::PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

#[tokio::test]
async fn a_full_disk_fails_the_run_and_deletes_nothing() -> anyhow::Result<()> {
    let dir = std::path::PathBuf::from(format!(
        "/var/tmp/pms-archive-full-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir)?;
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(&dir)
        .output();
    let ok = matches!(&mounted, Ok(o) if o.status.success());
    if !ok {
        let why = match mounted {
            Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
            Err(e) => e.to_string(),
        };
        let _ = std::fs::remove_dir(&dir);
        eprintln!(
            "SKIPPED a_full_disk_fails_the_run_and_deletes_nothing: cannot mount a tmpfs here ({why}); run as root"
        );
        return Ok(());
    }
    let _guard = Mount(dir.clone());

    let db = db().await?;
    let t = tenant(&db, "full").await?;
    sqlx::query(
        "INSERT INTO fx_goals (tenant_id, title, created_at)
         SELECT $1, encode(gen_random_bytes(1024), 'base64'), now() - interval '6 years' - g * interval '1 minute'
         FROM generate_series(1, 2000) g",
    )
    .bind(t)
    .execute(&db.maintenance)
    .await?;
    let a = archiver(&db, &dir, 1000)?;
    let err = a
        .run(&no_progress)
        .await
        .expect_err("the disk is too small")
        .to_string();
    assert!(
        err.contains("No space left on device") || err.contains("os error 28"),
        "{err}"
    );
    assert!(err.contains("nothing was deleted"), "{err}");
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM fx_goals").await?,
        2000
    );
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM archived_entities").await?,
        0
    );
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM archive_batches").await?,
        0
    );
    assert_eq!(a.store.list().await?, Vec::<String>::new());
    Ok(())
}
