//! The reporting-chain closure (`reporting_chain`), kept by the triggers on `users`: after new
//! hires, moves of whole subtrees (one person or several in one statement), deletions and a
//! refused cycle, it equals the chain a recursive walk of `users.manager_id` gives; and so it
//! does after random sequences of such changes (a property test).

use pms_test_support::TestDb;
use proptest::prelude::*;
use sqlx::PgPool;
use uuid::Uuid;

const TENANT: Uuid = Uuid::from_u128(0x7e57_0000_0000_0000_0000_0000_0000_00c1);

fn person(n: u32) -> Uuid {
    Uuid::from_u128(0x7e57_0000_0000_0000_0000_0000_0001_0000 + u128::from(n))
}

/// The closure as the triggers keep it, and as a recursive walk of manager_id gives it.
const DIFF: &str = "WITH RECURSIVE up (d, a, depth) AS (
        SELECT id, id, 0 FROM users WHERE tenant_id = $1
        UNION ALL
        SELECT up.d, u.manager_id, up.depth + 1 FROM up JOIN users u ON u.tenant_id = $1 AND u.id = up.a
         WHERE u.manager_id IS NOT NULL AND up.depth < 1000),
    truth AS (SELECT a, d, depth FROM up),
    kept AS (SELECT ancestor_id AS a, descendant_id AS d, depth::int FROM reporting_chain WHERE tenant_id = $1)
    SELECT (SELECT count(*) FROM (SELECT * FROM truth EXCEPT SELECT * FROM kept) x)
         + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM truth) y),
           (SELECT count(*) FROM kept)";

async fn differences(db: &PgPool) -> anyhow::Result<(i64, i64)> {
    Ok(sqlx::query_as(DIFF).bind(TENANT).fetch_one(db).await?)
}

async fn tenant(db: &TestDb) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'chain', 'Chain')")
        .bind(TENANT)
        .execute(&db.maintenance)
        .await?;
    Ok(())
}

/// Hires people 0..n in one statement, person i reporting to `managers[i]`.
async fn hire(db: &PgPool, people: &[(u32, Option<u32>)]) -> Result<(), sqlx::Error> {
    let ids: Vec<Uuid> = people.iter().map(|p| person(p.0)).collect();
    let managers: Vec<Option<Uuid>> = people.iter().map(|p| p.1.map(person)).collect();
    sqlx::query(
        "INSERT INTO users (tenant_id, id, email, first_name, last_name, manager_id)
         SELECT $1, i, 'p' || left(i::text, 8) || right(i::text, 4) || '@chain.example', 'P', 'Q', m
           FROM unnest($2::uuid[], $3::uuid[]) AS x (i, m)",
    )
    .bind(TENANT)
    .bind(&ids)
    .bind(&managers)
    .execute(db)
    .await?;
    Ok(())
}

/// Moves each person under their new manager, all in one UPDATE.
async fn moves(db: &PgPool, moves: &[(u32, Option<u32>)]) -> Result<u64, sqlx::Error> {
    let ids: Vec<Uuid> = moves.iter().map(|p| person(p.0)).collect();
    let managers: Vec<Option<Uuid>> = moves.iter().map(|p| p.1.map(person)).collect();
    Ok(sqlx::query(
        "UPDATE users u SET manager_id = x.m FROM unnest($2::uuid[], $3::uuid[]) AS x (i, m)
          WHERE u.tenant_id = $1 AND u.id = x.i",
    )
    .bind(TENANT)
    .bind(&ids)
    .bind(&managers)
    .execute(db)
    .await?
    .rows_affected())
}

#[tokio::test]
async fn hires_moves_deletes_and_a_refused_cycle() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    tenant(&db).await?;
    let m = &db.maintenance;
    // 0 ─ 1 ─ 3 ─ 5        a hire of a whole tree in one statement, managers listed after
    //   │   └ 4            their reports, and a second tree.
    //   └ 2 ─ 6
    // 7 ─ 8
    hire(
        m,
        &[
            (5, Some(3)),
            (3, Some(1)),
            (4, Some(1)),
            (1, Some(0)),
            (0, None),
            (6, Some(2)),
            (2, Some(0)),
            (8, Some(7)),
            (7, None),
        ],
    )
    .await?;
    assert_eq!(differences(m).await?, (0, 9 + 7 + 4 + 1));
    // A new hire under an existing manager.
    hire(m, &[(9, Some(5))]).await?;
    assert_eq!(differences(m).await?.0, 0);
    // The subtree of 1 (1, 3, 4, 5, 9) moves under 8: one statement.
    moves(m, &[(1, Some(8))]).await?;
    assert_eq!(differences(m).await?.0, 0);
    let depth: i16 = sqlx::query_scalar(
        "SELECT depth FROM reporting_chain WHERE tenant_id = $1 AND ancestor_id = $2 AND descendant_id = $3",
    )
    .bind(TENANT)
    .bind(person(7))
    .bind(person(9))
    .fetch_one(m)
    .await?;
    assert_eq!(depth, 5);
    // Two moves in one statement, one inside the other's subtree.
    moves(m, &[(3, Some(2)), (1, None)]).await?;
    assert_eq!(differences(m).await?.0, 0);
    // A cycle: 2 under 5, which is below 2 now. Refused, nothing changed.
    let before = differences(m).await?;
    let err = moves(m, &[(2, Some(5))]).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("makes a cycle"), "{text}");
    assert_eq!(
        err.as_database_error().and_then(|d| d.code()).as_deref(),
        Some("23514")
    );
    assert_eq!(differences(m).await?, before);
    // 0 under 6, which is below 0, is a cycle alone; with 6 leaving for the top in the same
    // statement it is not: the statement's moves are judged together.
    let moved = moves(m, &[(0, Some(6)), (6, None)]).await;
    assert!(moved.is_ok(), "{moved:?}");
    assert_eq!(differences(m).await?.0, 0);
    // Deleting a manager: their reports become roots (ON DELETE SET NULL), the chain follows.
    sqlx::query("DELETE FROM users WHERE tenant_id = $1 AND id = $2")
        .bind(TENANT)
        .bind(person(3))
        .execute(m)
        .await?;
    assert_eq!(differences(m).await?.0, 0);
    // An update that changes no manager leaves the chain alone (and costs no lock).
    sqlx::query("UPDATE users SET job_title = 'x' WHERE tenant_id = $1")
        .bind(TENANT)
        .execute(m)
        .await?;
    assert_eq!(differences(m).await?.0, 0);
    // The rebuild gives the same rows.
    let kept_before = differences(m).await?.1;
    sqlx::query("SELECT pms_meta.reporting_chain_rebuild($1)")
        .bind(TENANT)
        .execute(m)
        .await?;
    assert_eq!(differences(m).await?, (0, kept_before));
    Ok(())
}

#[derive(Debug, Clone)]
enum Op {
    Hire(Option<u8>),
    Move(Vec<(u8, Option<u8>)>),
    Delete(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => proptest::option::weighted(0.8, 0u8..40).prop_map(Op::Hire),
        5 => prop::collection::vec((0u8..40, proptest::option::weighted(0.85, 0u8..40)), 1..4).prop_map(Op::Move),
        1 => (0u8..40).prop_map(Op::Delete),
    ]
}

/// Applies the operations one by one (ignoring those that name nobody), then compares the
/// closure with the walk after each: a cycle must be refused and change nothing.
async fn run_case(db: &PgPool, ops: &[Op]) -> anyhow::Result<()> {
    let mut next = 0u32;
    let mut alive: Vec<u32> = Vec::new();
    let pick =
        |alive: &[u32], i: u8| (!alive.is_empty()).then(|| alive[usize::from(i) % alive.len()]);
    for op in ops {
        match op {
            Op::Hire(m) => {
                let manager = m.and_then(|i| pick(&alive, i));
                hire(db, &[(next, manager)]).await?;
                alive.push(next);
                next += 1;
            }
            Op::Move(list) => {
                let mut seen = std::collections::BTreeMap::new();
                for (p, m) in list {
                    if let Some(p) = pick(&alive, *p) {
                        seen.insert(p, m.and_then(|i| pick(&alive, i)).filter(|m| *m != p));
                    }
                }
                let list: Vec<(u32, Option<u32>)> = seen.into_iter().collect();
                let before = differences(db).await?;
                match moves(db, &list).await {
                    Ok(_) => {}
                    Err(e) if e.to_string().contains("makes a cycle") => {
                        anyhow::ensure!(
                            differences(db).await? == before,
                            "a refused move changed the chain"
                        );
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Op::Delete(i) => {
                if let Some(p) = pick(&alive, *i) {
                    sqlx::query("DELETE FROM users WHERE tenant_id = $1 AND id = $2")
                        .bind(TENANT)
                        .bind(person(p))
                        .execute(db)
                        .await?;
                    alive.retain(|a| *a != p);
                }
            }
        }
        let (diff, _) = differences(db).await?;
        anyhow::ensure!(
            diff == 0,
            "after {op:?}: {diff} rows differ from the walk of manager_id"
        );
    }
    sqlx::query("DELETE FROM users WHERE tenant_id = $1")
        .bind(TENANT)
        .execute(db)
        .await?;
    Ok(())
}

#[test]
fn random_changes_keep_the_closure_equal_to_the_walk() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let db = rt.block_on(TestDb::new())?;
    rt.block_on(tenant(&db))?;
    let config = ProptestConfig {
        cases: 24,
        ..ProptestConfig::default()
    };
    proptest!(config, |(ops in prop::collection::vec(op(), 1..40))| {
        let result = rt.block_on(run_case(&db.maintenance, &ops));
        prop_assert!(result.is_ok(), "{:?}", result.err());
    });
    Ok(())
}
