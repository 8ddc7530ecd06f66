//! B1: a full backup, then `verify`: the drill restores it into a scratch cluster and finds
//! every table, index, policy, audit chain and privilege as recorded at backup time; `list`
//! shows it verified. Corrupting one file in the repository makes the next drill fail with a
//! message naming the file, and `list` shows the failure.

mod common;

use common::*;
use pms_backup::create::{BackupKind, create};
use pms_backup::{list, verify};

#[tokio::test]
async fn full_backup_verifies_and_a_corrupt_file_is_named() -> anyhow::Result<()> {
    let env = env("b1").await?;
    let (t, u) = tenant(&env, "b1").await?;
    let app = env.app().await?;
    goals(&app, t, u, "goal", 50).await?;

    let (record, set) = create(&env.cfg, &env.server, BackupKind::Full, 1).await?;
    assert_eq!(set.kind, "full");
    let goal_rows: i64 = record
        .manifest
        .tables
        .iter()
        .filter(|(t, _)| t.contains("goals"))
        .map(|(_, d)| d.rows)
        .sum();
    assert_eq!(
        goal_rows,
        50,
        "{:?}",
        record
            .manifest
            .tables
            .keys()
            .filter(|t| t.contains("goal"))
            .collect::<Vec<_>>()
    );
    // Writes after the backup are not part of what the drill must find.
    goals(&app, t, u, "later", 7).await?;

    let listed = list::list(&env.cfg, &env.server)?;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status(), "not verified");

    let report = verify::verify(&env.cfg, &env.server, None, None).await?;
    assert!(
        report.verification.ok,
        "{:#?}",
        report.verification.problems
    );
    assert!(report.verification.tables_checked > 100, "{report:?}");
    assert!(report.verification.indexes_checked > 100, "{report:?}");
    assert_eq!(report.verification.tenants_checked, 1);
    let listed = list::list(&env.cfg, &env.server)?;
    assert!(
        listed[0].status().starts_with("verified "),
        "{}",
        listed[0].status()
    );

    // Damage the largest file of the backup set.
    let set_dir = env.cfg.local_repo().join("backup/pms").join(&set.label);
    let mut files = Vec::new();
    walk(&set_dir, &mut files);
    files.retain(|(p, _)| !p.to_string_lossy().contains("backup.manifest"));
    files.sort_by_key(|(_, len)| *len);
    let (victim, len) = files.last().cloned().expect("files in the backup set");
    let mut bytes = std::fs::read(&victim)?;
    let mid = (len / 2) as usize;
    bytes[mid] ^= 0xff;
    std::fs::write(&victim, bytes)?;
    let name = victim
        .strip_prefix(env.cfg.local_repo().join("backup/pms"))?
        .to_string_lossy()
        .into_owned();

    let report = verify::verify(&env.cfg, &env.server, Some(&set.label), None).await?;
    assert!(!report.verification.ok);
    let problems = report.verification.problems.join("\n");
    assert!(
        problems.contains(&name),
        "the corrupt file {name} is not named in:\n{problems}"
    );
    let listed = list::list(&env.cfg, &env.server)?;
    assert!(
        listed[0].status().starts_with("FAILED "),
        "{}",
        listed[0].status()
    );
    // Drills clean up after themselves.
    let drills = std::fs::read_dir(env.cfg.dir().join("drills"))
        .map(|rd| rd.count())
        .unwrap_or(0);
    assert_eq!(drills, 0);
    Ok(())
}

fn walk(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, u64)>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if let Ok(m) = e.metadata() {
            out.push((p, m.len()));
        }
    }
}
