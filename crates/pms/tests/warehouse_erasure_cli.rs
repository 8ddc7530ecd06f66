//! `pms privacy erase` reaches the warehouse's Parquet export: after a sync and an export, the
//! erasure of a demo person (the warehouse rows erased in its transaction by the SQL hook)
//! rewrites, after its commit, the partitions of the export whose rows changed, the person's
//! `dim_user` partition among them, so a later `pms warehouse export` finds nothing left to do.
//! (That the rewritten files name the person nowhere: pms-warehouse's tests/erasure.rs.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pms_seed::demo::DEMO_COMPANY;
use pms_test_support::TestDb;
use std::process::{Command, Output};

fn run(url: &str, data: &std::path::Path, args: &[&str], export: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("PMS_DATA_DIR", data)
        .env("PMS_WAREHOUSE_EXPORT_URL", export)
        .env_remove("REDIS_URL")
        .env_remove("PMS_APP_DATABASE_URL")
        .env_remove("PMS_MAINTENANCE_DATABASE_URL")
        .env_remove("PMS_ARCHIVE_URL")
        .env("RUST_LOG", "error")
        .output()
        .unwrap()
}

fn ok(url: &str, data: &std::path::Path, args: &[&str], export: &str) -> String {
    let out = run(url, data, args, export);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn manifest(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("_manifest.json")).unwrap()).unwrap()
}

#[tokio::test]
async fn an_erasure_rewrites_the_exports_partitions_that_held_the_person() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let tenant = pms_seed::demo::tenant_id(&DEMO_COMPANY);
    let person = pms_seed::demo::user_id(&DEMO_COMPANY, "employee");
    let base = std::env::temp_dir().join(format!(
        "pms-wh-erase-cli-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let data = base.join("data");
    let dir = base.join("export");
    std::fs::create_dir_all(&data)?;
    let export = format!("file://{}", dir.display());
    let url = db.urls.admin.clone();
    ok(&url, &data, &["warehouse", "sync"], &export);
    ok(
        &url,
        &data,
        &["warehouse", "export", "--tenant", DEMO_COMPANY.slug],
        &export,
    );
    let before = manifest(&dir);
    let key = format!("dim_user/tenant_id={tenant}/part.parquet");
    assert!(before["partitions"][&key].is_object(), "{before}");

    let out = ok(
        &url,
        &data,
        &[
            "privacy",
            "erase",
            "--tenant",
            &tenant.to_string(),
            "--user",
            &person.to_string(),
        ],
        &export,
    );
    let report: serde_json::Value = serde_json::from_str(&out)?;
    assert!(
        report["database"]["hooks"]["warehouse"]["dim_user_pseudonymised"].as_i64() >= Some(1),
        "{out}"
    );
    let tier = &report["other_tiers"]["warehouse_export"];
    assert_eq!(tier["exported"], true, "{out}");
    assert!(tier["partitions_rewritten"].as_i64() >= Some(1), "{out}");
    let after = manifest(&dir);
    assert_ne!(
        before["partitions"][&key]["fingerprint"], after["partitions"][&key]["fingerprint"],
        "the person's dim_user partition was rewritten"
    );
    let again = ok(
        &url,
        &data,
        &["warehouse", "export", "--tenant", DEMO_COMPANY.slug],
        &export,
    );
    assert!(again.contains(": 0 partition(s) written"), "{again}");
    std::fs::remove_dir_all(&base).ok();
    Ok(())
}
