//! B2: point-in-time recovery. Rows are written continuously; the writer notes the server's
//! time T between two commits, writes more, then a table is dropped. A restore to T, into a new
//! cluster on its own port, holds exactly the rows committed before T, and the dropped table.
//! Bad input (a time before the first backup, a time in the future, an unknown backup label, a
//! non-empty target directory, a port in use) gets a clear error and changes nothing.

mod common;

use common::*;
use pms_backup::create::{BackupKind, create};
use pms_backup::restore::{RestoreOptions, RestoreTo, restore};
use pms_backup::scratch::free_port;
use sqlx::{Connection, Executor, PgConnection};
use time::OffsetDateTime;

#[tokio::test]
async fn restore_to_a_time_brings_back_exactly_the_rows_before_it() -> anyhow::Result<()> {
    let env = env("b2").await?;
    let (t, u) = tenant(&env, "b2").await?;
    let app = env.app().await?;
    let mut admin = env.admin().await?;
    admin
        .execute("CREATE TABLE public.b2_notes (id int PRIMARY KEY, body text)")
        .await?;
    admin
        .execute("INSERT INTO b2_notes SELECT g, 'note ' || g FROM generate_series(1, 20) g")
        .await?;
    create(&env.cfg, &env.server, BackupKind::Full, 1).await?;

    // One writer, one row per transaction; T is read on the writer's own connection between
    // two commits, so every row is known to be before or after it.
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut at: Option<OffsetDateTime> = None;
    for i in 0..60 {
        if i == 35 {
            let now: OffsetDateTime = sqlx::query_scalar("SELECT clock_timestamp()")
                .fetch_one(&mut admin)
                .await?;
            at = Some(now);
        }
        let title = format!("w{i:03}");
        goals(&app, t, u, &title, 1).await?;
        if at.is_none() {
            before.push(format!("{title} 1"))
        } else {
            after.push(format!("{title} 1"))
        }
    }
    let at = at.expect("T noted");
    admin.execute("DROP TABLE b2_notes").await?;
    // The drop and the writes after T reach the archive with the next segment switch.
    admin.execute("SELECT pg_switch_wal()").await?;

    let target = env.dir.join("restores").join("at-t");
    let port = free_port()?;
    let now: OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&mut admin)
        .await?;
    let report = restore(
        &env.cfg,
        &env.server,
        &RestoreOptions {
            to: RestoreTo::Time(at),
            target_dir: target.clone(),
            port,
            start: true,
            repo: 1,
            in_place: false,
        },
        now,
    )
    .await?;
    eprintln!(
        "restored to {at}: {} (RTO {} ms)",
        report.recovery_point, report.rto_ms
    );
    assert!(
        report.recovery_point.contains("recovery stopping"),
        "{}",
        report.recovery_point
    );
    let url = report.restored.admin_url("pms");
    let got = titles(&url, t).await?;
    assert_eq!(
        got, before,
        "the restored copy must hold exactly the rows committed before T"
    );
    let mut c = PgConnection::connect(&url).await?;
    let notes: i64 = sqlx::query_scalar("SELECT count(*) FROM b2_notes")
        .fetch_one(&mut c)
        .await?;
    assert_eq!(notes, 20, "the dropped table is back");
    // The copy is a working platform database: the application role still sees by tenant only.
    c.close().await?;
    // The live database is untouched.
    assert_eq!(
        titles(&env.server.admin_url, t).await?.len(),
        before.len() + after.len()
    );
    report.restored.stop();
    Ok(())
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_changes_nothing() -> anyhow::Result<()> {
    let env = env("bad").await?;
    let (record, set) = create(&env.cfg, &env.server, BackupKind::Full, 1).await?;
    let mut admin = env.admin().await?;
    let now: OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&mut admin)
        .await?;
    let records_before = pms_backup::records::all(&env.cfg)?;
    let opts = |to, dir: &str, port| RestoreOptions {
        to,
        target_dir: env.dir.join("restores").join(dir),
        port,
        start: true,
        repo: 1,
        in_place: false,
    };
    let port = free_port()?;
    let err = |r: Result<_, pms_backup::BackupError>| match r {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    };

    let before_first = OffsetDateTime::from_unix_timestamp(set.start - 3600)?;
    let e = err(restore(
        &env.cfg,
        &env.server,
        &opts(RestoreTo::Time(before_first), "a", port),
        now,
    )
    .await);
    assert!(
        e.contains("before the first backup") && e.contains("nothing was changed"),
        "{e}"
    );

    let future = now + time::Duration::hours(1);
    let e = err(restore(
        &env.cfg,
        &env.server,
        &opts(RestoreTo::Time(future), "b", port),
        now,
    )
    .await);
    assert!(e.contains("in the future"), "{e}");

    let e = pms_backup::verify::verify(&env.cfg, &env.server, Some("20200101-000000F"), None)
        .await
        .expect_err("an unknown label")
        .to_string();
    assert!(e.contains("no backup labelled \"20200101-000000F\""), "{e}");

    let full = env.dir.join("restores").join("full");
    std::fs::create_dir_all(&full)?;
    std::fs::write(full.join("keep.txt"), "precious")?;
    let e = err(restore(
        &env.cfg,
        &env.server,
        &opts(RestoreTo::Latest, "full", port),
        now,
    )
    .await);
    assert!(e.contains("is not empty"), "{e}");
    assert_eq!(std::fs::read_to_string(full.join("keep.txt"))?, "precious");

    let taken = std::net::TcpListener::bind("127.0.0.1:0")?;
    let busy = taken.local_addr()?.port();
    let e = err(restore(
        &env.cfg,
        &env.server,
        &opts(RestoreTo::Latest, "c", busy),
        now,
    )
    .await);
    assert!(
        e.contains(&format!("port {busy}")) && e.contains("in use"),
        "{e}"
    );

    let e = err(restore(
        &env.cfg,
        &env.server,
        &opts(RestoreTo::Lsn("not-an-lsn".into()), "d", port),
        now,
    )
    .await);
    assert!(e.contains("not an LSN"), "{e}");

    // Nothing was written: no restore directories, the records as they were.
    let made: Vec<_> = std::fs::read_dir(env.dir.join("restores"))?
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(made, vec![std::ffi::OsString::from("full")]);
    assert_eq!(pms_backup::records::all(&env.cfg)?, records_before);
    assert_eq!(record.label, set.label);
    Ok(())
}

#[tokio::test]
async fn in_place_restore_needs_the_server_stopped_and_keeps_the_old_data() -> anyhow::Result<()> {
    let env = env("inplace").await?;
    let (t, u) = tenant(&env, "inplace").await?;
    let app = env.app().await?;
    goals(&app, t, u, "kept", 8).await?;
    create(&env.cfg, &env.server, BackupKind::Full, 1).await?;
    goals(&app, t, u, "archived", 2).await?;
    app.close().await;
    let mut admin = env.admin().await?;
    admin.execute("SELECT pg_switch_wal()").await?;
    admin.close().await?;
    pms_backup::init::check(&env.cfg, &env.server)?;
    let opts = RestoreOptions {
        to: RestoreTo::Latest,
        target_dir: env.dir.join("unused"),
        port: 1,
        start: true,
        repo: 1,
        in_place: true,
    };
    let e = restore(&env.cfg, &env.server, &opts, OffsetDateTime::now_utc())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("is running") && e.contains("nothing was changed"),
        "{e}"
    );
    env.cluster.stop()?;
    let report = restore(&env.cfg, &env.server, &opts, OffsetDateTime::now_utc()).await?;
    let aside = report
        .moved_aside
        .clone()
        .expect("the old data directory is kept");
    assert!(aside.join("PG_VERSION").is_file());
    assert_eq!(report.restored.port, env.cluster.port);
    assert_eq!(titles(&env.server.admin_url, t).await?.len(), 10);
    // It is the private cluster again: pms can stop and start it as before.
    report.restored.stop();
    env.cluster.ensure_started()?;
    assert_eq!(titles(&env.server.admin_url, t).await?.len(), 10);
    Ok(())
}
