//! 8 connections writing audited rows and security events of the same tenants at once leave
//! chains that verify, numbered without gaps, with one entry per committed write; rolled-back
//! writes leave no entry and no gap.

mod common;

use common::{add_users, chain_ok, make_tenant};
use pms_audit::{NewSecurityEvent, SecurityEventKind};
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use pms_test_support::TestDb;

const WORKERS: usize = 8;
const TXS: usize = 40;

async fn worker(
    pool: sqlx::PgPool,
    tenant: TenantId,
    users: Vec<UserId>,
    w: usize,
) -> anyhow::Result<(usize, usize)> {
    let (mut writes, mut events) = (0, 0);
    for t in 0..TXS {
        let me = users[(w + t) % users.len()];
        let mut tx =
            TenantTx::begin_with_request(&pool, tenant, Some(me), Some(&format!("w{w}-{t}")))
                .await?;
        for u in users.iter().skip(w % 3).step_by(3).take(3) {
            sqlx::query("UPDATE users SET job_title = $2 WHERE id = $1")
                .bind(u.as_uuid())
                .bind(format!("w{w} t{t}"))
                .execute(&mut **tx)
                .await?;
            writes += 1;
        }
        if t % 4 == 0 {
            let mut ev = NewSecurityEvent::new(SecurityEventKind::SensitiveRead);
            ev.resource_type = Some("PIP".into());
            pms_audit::events::record(&mut tx, &ev).await?;
            events += 1;
        }
        if t % 10 == 9 {
            tx.rollback().await?; // aborted work leaves no trace and no gap
            writes -= 3;
            events -= usize::from(t % 4 == 0);
        } else {
            tx.commit().await?;
        }
    }
    Ok((writes, events))
}

#[tokio::test]
async fn eight_concurrent_writers_leave_chains_that_verify() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let a = make_tenant(&db, "busy-a").await?;
    let b = make_tenant(&db, "busy-b").await?;
    let users_a = add_users(&db, a, "a", 9).await?;
    let users_b = add_users(&db, b, "b", 9).await?;
    let mut handles = Vec::new();
    for w in 0..WORKERS {
        // Six writers on tenant A (all contending for one chain), two on tenant B.
        let (tenant, users) = if w < 6 {
            (a, users_a.clone())
        } else {
            (b, users_b.clone())
        };
        handles.push(tokio::spawn(worker(db.app.clone(), tenant, users, w)));
    }
    let mut totals = [(0usize, 0usize); 2];
    for (w, h) in handles.into_iter().enumerate() {
        let (writes, events) = h.await??;
        let t = &mut totals[usize::from(w >= 6)];
        t.0 += writes;
        t.1 += events;
    }
    for (tenant, (writes, events)) in [(a, totals[0]), (b, totals[1])] {
        let status = chain_ok(&db, tenant).await?;
        assert!(status.iter().all(|s| s.ok), "{status:?}");
        let audit = status
            .iter()
            .find(|s| s.stream == "audit")
            .map(|s| s.entries)
            .unwrap_or_default();
        let security = status
            .iter()
            .find(|s| s.stream == "security")
            .map(|s| s.entries)
            .unwrap_or_default();
        // tenant row + 9 users + every committed update
        assert_eq!(audit as usize, 1 + 9 + writes, "audit entries of {tenant}");
        assert_eq!(security as usize, events, "security events of {tenant}");
    }
    Ok(())
}
