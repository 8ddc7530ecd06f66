//! Choosing the time-series backend for a database that is already migrated: pms does not
//! convert a native database, so an explicit request for TimescaleDB there must fail saying
//! why, and leave the database as it was.

use pms_db::backend::{self, Requested};
use pms_db::migrate::MigrateError;
use pms_test_support::TestDb;

#[tokio::test]
async fn a_native_database_is_not_silently_kept_when_timescaledb_is_asked_for() -> anyhow::Result<()>
{
    let db = TestDb::new().await?;
    let mut admin = db.admin().await?;
    anyhow::ensure!(
        backend::current(&mut admin).await? == "native",
        "the shared test server migrates natively"
    );

    let err = backend::create_timescaledb_if(&mut admin, Requested::Timescaledb)
        .await
        .err()
        .ok_or_else(|| anyhow::anyhow!("asking for timescaledb on a native database succeeded"))?;
    let MigrateError::Bootstrap(msg) = &err else {
        anyhow::bail!("expected a bootstrap error, got {err:?}");
    };
    assert!(
        msg.contains("migrated onto the native time-series engine")
            && msg.contains("PMS_TIMESERIES_BACKEND"),
        "the error says what happened and what to do: {msg}"
    );

    // auto and native keep the database as it is, without an error.
    backend::create_timescaledb_if(&mut admin, Requested::Auto).await?;
    backend::create_timescaledb_if(&mut admin, Requested::Native).await?;
    assert_eq!(backend::current(&mut admin).await?, "native");
    let extension: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')",
    )
    .fetch_one(&mut admin)
    .await?;
    assert!(!extension, "nothing was installed into the database");

    // And the database still migrates with the default request.
    let again = pms_db::migrate::migrate(&mut admin).await;
    assert!(
        again.is_ok(),
        "re-migrating with the default request works: {again:?}"
    );
    Ok(())
}
