//! The property of issue 18: random sequences of OLTP changes (hires, departures, department
//! and manager moves, promotions, reviews written, recalibrated and retracted, feedback given
//! and deleted, department re-parenting, pulse answers), each followed by an incremental sync,
//! end in exactly the warehouse a `--full` rebuild from scratch produces; the SCD2 invariants
//! hold after every step, and a second incremental pass changes nothing.

mod common;

use common::Change;
use pms_test_support::TestDb;
use proptest::prelude::*;

fn change() -> impl Strategy<Value = Change> {
    let i = 0usize..64;
    prop_oneof![
        (i.clone(), i.clone()).prop_map(|(dept, manager)| Change::Hire { dept, manager }),
        i.clone().prop_map(|user| Change::Depart { user }),
        (i.clone(), i.clone()).prop_map(|(user, dept)| Change::MoveDepartment { user, dept }),
        (i.clone(), i.clone()).prop_map(|(user, manager)| Change::NewManager { user, manager }),
        i.clone().prop_map(|user| Change::Promote { user }),
        i.clone().prop_map(|user| Change::Rename { user }),
        (i.clone(), i.clone(), 0u8..11).prop_map(|(reviewee, reviewer, rating)| {
            Change::WriteReview {
                reviewee,
                reviewer,
                rating,
            }
        }),
        (i.clone(), 0u8..11).prop_map(|(review, rating)| Change::Recalibrate { review, rating }),
        (i.clone(), i.clone(), any::<bool>()).prop_map(|(giver, receiver, anonymous)| {
            Change::GiveFeedback {
                giver,
                receiver,
                anonymous,
            }
        }),
        i.clone()
            .prop_map(|feedback| Change::DeleteFeedback { feedback }),
        i.clone()
            .prop_map(|review| Change::RetractReview { review }),
        (i.clone(), i.clone())
            .prop_map(|(dept, parent)| Change::ReparentDepartment { dept, parent }),
        (i, 0u8..5).prop_map(|(user, mood)| Change::Pulse { user, mood }),
    ]
}

/// Each step is a batch of changes (several may fall between two syncs), then a sync.
fn steps() -> impl Strategy<Value = Vec<Vec<Change>>> {
    prop::collection::vec(prop::collection::vec(change(), 1..4), 3..8)
}

async fn check(db: &TestDb, steps: Vec<Vec<Change>>) -> anyhow::Result<()> {
    let mut t = common::tenant(&db.maintenance, 3, 5).await?;
    common::sync(db, &t.slug, false).await?;
    for batch in &steps {
        for c in batch {
            common::apply(&db.maintenance, &mut t, c).await?;
        }
        common::sync(db, &t.slug, false).await?;
        let v = common::scd2_violations(db, t.id).await?;
        anyhow::ensure!(
            v.is_empty(),
            "SCD2 invariants broken after {batch:?}: {v:?}"
        );
    }
    let again = common::sync(db, &t.slug, false).await?;
    anyhow::ensure!(
        again.total_changed() == 0,
        "a second pass changed {:?}",
        again.tenants[0].changed
    );
    let incremental = common::contents(db, t.id).await?;
    common::sync(db, &t.slug, true).await?;
    let full = common::contents(db, t.id).await?;
    if let Some(d) = common::first_difference(&incremental, &full) {
        anyhow::bail!("incremental and full rebuild differ: {d}");
    }
    anyhow::ensure!(
        common::scd2_violations(db, t.id).await?.is_empty(),
        "SCD2 invariants broken after the full rebuild"
    );
    Ok(())
}

#[test]
fn incremental_syncs_end_in_the_full_rebuild() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt.block_on(TestDb::new()).unwrap();
    let config = ProptestConfig {
        cases: 6,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(s in steps())| {
        rt.block_on(check(&db, s)).map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
    });
}
