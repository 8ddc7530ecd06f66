//! detect_suspicious_activity() finds each seeded pattern, with its severity and user, reports
//! nothing on clean data just under every threshold, and honours per-tenant thresholds.

mod common;

use common::{add_users, make_tenant};
use pms_audit::suspicious::{self, AlertSettings};
use pms_audit::{NewSecurityEvent, SecurityEventKind};
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use pms_test_support::TestDb;
use serde_json::json;
use std::net::{IpAddr, Ipv4Addr};
use time::{OffsetDateTime, Time};

/// The database's clock, read once per test: security events take their time from it, so
/// working hours are placed around this instant (not the test machine's clock).
async fn db_now(db: &TestDb) -> anyhow::Result<OffsetDateTime> {
    Ok(sqlx::query_scalar("SELECT now()")
        .fetch_one(&db.app)
        .await?)
}

/// Working hours (UTC, every day of the week) that contain, or with `inside = false` exclude,
/// the hours from two before `now` to three after: the events a test records a few seconds
/// later fall inside (or outside) them at any time of day, midnight included (the windows
/// wrap around it).
fn hours_around(now: OffsetDateTime, inside: bool) -> (Time, Time) {
    let h = now.to_offset(time::UtcOffset::UTC).hour();
    let at = |x: u8| Time::from_hms(x % 24, 0, 0).unwrap_or(Time::MIDNIGHT);
    if inside {
        (at(h + 22), at(h + 3))
    } else {
        (at(h + 3), at(h + 5))
    }
}

async fn settings(
    db: &TestDb,
    tenant: TenantId,
    (now, inside): (OffsetDateTime, bool),
    tweak: impl FnOnce(&mut AlertSettings),
) -> anyhow::Result<()> {
    let (start, end) = hours_around(now, inside);
    let mut s = AlertSettings {
        work_day_start: start,
        work_day_end: end,
        work_days: (1..=7).collect(),
        ..AlertSettings::default()
    };
    tweak(&mut s);
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    suspicious::set_settings(&mut tx, tenant, &s).await?;
    tx.commit().await?;
    Ok(())
}

fn ip(n: u8) -> Option<IpAddr> {
    Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, n)))
}

/// Activity just under every default threshold: 4 failures, 99 sensitive reads, 9 denials,
/// a small export off hours, a bulk export in hours, 4 addresses.
async fn clean_activity(db: &TestDb, tenant: TenantId, u: &[UserId]) -> anyhow::Result<()> {
    let mut tx = TenantTx::begin(&db.app, tenant, Some(u[0])).await?;
    let ev = |kind, user: UserId| {
        let mut e = NewSecurityEvent::new(kind);
        e.user = Some(user);
        e
    };
    for i in 0..4 {
        let mut e = ev(SecurityEventKind::LoginFailure, u[1]);
        e.ip = ip(1 + i % 2);
        pms_audit::events::record(&mut tx, &e).await?;
    }
    for i in 0..99u32 {
        let mut e = ev(SecurityEventKind::SensitiveRead, u[2]);
        e.resource_type =
            Some(["PerformanceReview", "PIP", "CompensationDecision"][i as usize % 3].into());
        pms_audit::events::record(&mut tx, &e).await?;
    }
    for _ in 0..9 {
        pms_audit::events::record(&mut tx, &ev(SecurityEventKind::PermissionDenied, u[3])).await?;
    }
    let mut e = ev(SecurityEventKind::DataExport, u[4]);
    e.resource_type = Some("PerformanceReview".into());
    e.details = json!({"rows": 999});
    pms_audit::events::record(&mut tx, &e).await?;
    for n in 1..=4 {
        let mut e = ev(SecurityEventKind::LoginSuccess, u[5]);
        e.ip = ip(n);
        pms_audit::events::record(&mut tx, &e).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[tokio::test]
async fn clean_data_reports_nothing_and_each_seeded_pattern_is_found() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let now = db_now(&db).await?;
    let clean = make_tenant(&db, "clean").await?;
    let seeded = make_tenant(&db, "seeded").await?;
    let uc = add_users(&db, clean, "c", 6).await?;
    let us = add_users(&db, seeded, "s", 6).await?;
    settings(&db, clean, (now, true), |_| {}).await?;
    clean_activity(&db, clean, &uc).await?;
    // A bulk export during working hours is fine too.
    let mut tx = TenantTx::begin(&db.app, clean, Some(uc[4])).await?;
    let mut e = NewSecurityEvent::new(SecurityEventKind::DataExport);
    e.resource_type = Some("CompensationDecision".into());
    e.details = json!({"rows": 50_000});
    pms_audit::events::record(&mut tx, &e).await?;
    let found = suspicious::detect(&mut tx, clean, 24).await?;
    tx.commit().await?;
    assert!(found.is_empty(), "clean data flagged: {found:#?}");

    // The same activity plus one more of each, and a bulk export outside working hours.
    settings(&db, seeded, (now, false), |_| {}).await?;
    clean_activity(&db, seeded, &us).await?;
    let mut tx = TenantTx::begin(&db.app, seeded, Some(us[0])).await?;
    let one = |kind, user: UserId| {
        let mut e = NewSecurityEvent::new(kind);
        e.user = Some(user);
        e
    };
    pms_audit::events::record(&mut tx, &one(SecurityEventKind::LoginFailure, us[1])).await?;
    let mut e = one(SecurityEventKind::SensitiveRead, us[2]);
    e.resource_type = Some("PIP".into());
    pms_audit::events::record(&mut tx, &e).await?;
    pms_audit::events::record(&mut tx, &one(SecurityEventKind::PermissionDenied, us[3])).await?;
    let mut e = one(SecurityEventKind::DataExport, us[4]);
    e.resource_type = Some("CompensationDecision".into());
    e.details = json!({"rows": 1000});
    pms_audit::events::record(&mut tx, &e).await?;
    let mut e = one(SecurityEventKind::Logout, us[5]);
    e.ip = ip(5);
    pms_audit::events::record(&mut tx, &e).await?;
    // A failed login for an unknown account, by login name only, five times.
    for _ in 0..5 {
        let mut e = NewSecurityEvent::new(SecurityEventKind::LoginFailure);
        e.account = Some("Ghost@Example.com".into());
        pms_audit::events::record(&mut tx, &e).await?;
    }
    let found = suspicious::detect(&mut tx, seeded, 24).await?;
    tx.commit().await?;
    type Finding = (String, String, Option<uuid::Uuid>, Option<String>, i64);
    let got: Vec<Finding> = found
        .iter()
        .map(|f| {
            (
                f.pattern.clone(),
                f.severity.clone(),
                f.user_id,
                f.account.clone(),
                f.occurrences,
            )
        })
        .collect();
    let u = |i: usize| Some(us[i].as_uuid());
    let mut want = vec![
        (
            "EXCESSIVE_SENSITIVE_READS".to_string(),
            "MEDIUM".to_string(),
            u(2),
            None,
            100,
        ),
        ("MANY_ADDRESSES".into(), "HIGH".into(), u(5), None, 5),
        ("OFF_HOURS_BULK_EXPORT".into(), "HIGH".into(), u(4), None, 1),
        (
            "REPEATED_LOGIN_FAILURES".into(),
            "HIGH".into(),
            None,
            Some("ghost@example.com".to_string()),
            5,
        ),
        (
            "REPEATED_LOGIN_FAILURES".into(),
            "HIGH".into(),
            u(1),
            None,
            5,
        ),
        (
            "REPEATED_PERMISSION_DENIALS".into(),
            "CRITICAL".into(),
            u(3),
            None,
            10,
        ),
    ];
    let mut got_sorted = got.clone();
    got_sorted.sort();
    want.sort();
    assert_eq!(got_sorted, want, "{found:#?}");

    // Thresholds are per tenant: the clean tenant with a stricter policy now sees its 4
    // failures and 4 addresses.
    settings(&db, clean, (now, true), |s| {
        s.failed_logins = 4;
        s.distinct_addresses = 4;
    })
    .await?;
    let mut tx = TenantTx::begin(&db.app, clean, None).await?;
    let found = suspicious::detect(&mut tx, clean, 24).await?;
    let patterns: Vec<&str> = found.iter().map(|f| f.pattern.as_str()).collect();
    assert_eq!(
        patterns,
        vec!["MANY_ADDRESSES", "REPEATED_LOGIN_FAILURES"],
        "{found:#?}"
    );
    tx.commit().await?;
    Ok(())
}

#[tokio::test]
async fn a_tenant_cannot_look_into_another_and_settings_are_checked() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let a = make_tenant(&db, "tenant-a").await?;
    let b = make_tenant(&db, "tenant-b").await?;
    let mut tx = TenantTx::begin(&db.app, a, None).await?;
    let err = suspicious::detect(&mut tx, b, 24)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is not the tenant of this transaction"),
        "{err}"
    );
    tx.rollback().await?;
    let mut tx = TenantTx::begin(&db.app, a, None).await?;
    let s = AlertSettings {
        timezone: "Mars/Olympus".into(),
        ..AlertSettings::default()
    };
    let err = suspicious::set_settings(&mut tx, a, &s)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown time zone"), "{err}");
    let s = AlertSettings {
        failed_logins: 0,
        ..AlertSettings::default()
    };
    let err = suspicious::set_settings(&mut tx, a, &s)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("out of range"), "{err}");
    tx.rollback().await?;
    // The maintenance role may look at any tenant.
    let mut conn = db.maintenance.acquire().await?;
    assert!(suspicious::detect(&mut conn, b, 1).await?.is_empty());
    Ok(())
}
