//! The erasure plan covers the schema: every foreign key to `users`, every column named like a
//! person reference (`*_user_id`, `*_by`, `owner_id`, `reviewer_id`, ...), every array of ids,
//! JSON document and free-text column of a tenant table has a rule in
//! `pms_retention.erasure_rules`. Shown once with a throw-away table: its columns are listed
//! until they have rules, erasure refuses to run meanwhile (and changes nothing), and with the
//! rules in place the erasure applies them, arrays and CHECKs included.

use pms_test_support::{TestDb, catalog};
use sqlx::Executor;
use uuid::Uuid;

#[tokio::test]
async fn every_column_that_can_name_a_person_has_an_erasure_rule() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    let gaps = catalog::erasure_plan_gaps(&mut owner).await?;
    assert!(
        gaps.is_empty(),
        "columns without an erasure rule: {gaps:#?}"
    );
    // Every foreign key to users is among the covered columns, with an action.
    let (fks, covered): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                 WHERE k.contype = 'f' AND k.confrelid = 'users'::regclass AND NOT c.relispartition),
                (SELECT count(*) FROM pms_retention.erasure_coverage WHERE why = 'references users' AND action IS NOT NULL)",
    )
    .fetch_one(&mut owner)
    .await?;
    assert!(fks >= 100, "{fks} foreign keys to users");
    assert_eq!(covered, fks, "one rule per foreign-key column to users");
    Ok(())
}

#[tokio::test]
async fn a_table_without_rules_is_caught_and_blocks_erasure_until_it_has_them() -> anyhow::Result<()>
{
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    owner
        .execute(
            "CREATE TABLE fx_signoffs (
                 tenant_id uuid NOT NULL REFERENCES tenants (id),
                 id uuid NOT NULL DEFAULT gen_random_uuid(),
                 owner_id uuid NOT NULL,
                 approver_id uuid,
                 signed_off_by uuid,
                 attendee_ids uuid[] NOT NULL DEFAULT '{}',
                 notes text,
                 status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'SIGNED')),
                 meta jsonb NOT NULL DEFAULT '{}',
                 PRIMARY KEY (tenant_id, id),
                 FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
                 CHECK (approver_id IS DISTINCT FROM owner_id)
             );
             CREATE INDEX fx_signoffs_owner_idx ON fx_signoffs (tenant_id, owner_id);
             SELECT pms_meta.enable_tenant_rls('fx_signoffs');
             INSERT INTO pms_retention.erasure_rules (table_name, column_name, action, reason)
             VALUES ('fx_signoffs', 'gone_column', 'PSEUDONYMISE', 'a rule left behind');",
        )
        .await?;
    let gaps = catalog::erasure_plan_gaps(&mut owner).await?;
    assert_eq!(
        gaps,
        [
            "fx_signoffs.approver_id (named like a person reference)",
            "fx_signoffs.attendee_ids (named like a person reference)",
            "fx_signoffs.gone_column (rule: no such column)",
            "fx_signoffs.meta (a JSON document)",
            "fx_signoffs.notes (free text)",
            "fx_signoffs.owner_id (references users)",
            "fx_signoffs.signed_off_by (named like a person reference)",
        ],
        "the code-like status column needs no rule"
    );

    // Meanwhile an erasure refuses to run and changes nothing.
    let t = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'plan', 'Plan')")
        .bind(t)
        .execute(&db.maintenance)
        .await?;
    let mut people = Vec::new();
    for (email, first, last) in [
        ("ann.archer@example.com", "Ann", "Archer"),
        ("ben.bolt@example.com", "Ben", "Bolt"),
        ("cy.cole@example.com", "Cy", "Cole"),
    ] {
        people.push(
            sqlx::query_scalar::<_, Uuid>(
                "INSERT INTO users (tenant_id, email, first_name, last_name) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(t)
            .bind(email)
            .bind(first)
            .bind(last)
            .fetch_one(&db.maintenance)
            .await?,
        );
    }
    let (ann, ben, cy) = (people[0], people[1], people[2]);
    // Ann's own sign-off (approved by Ben), and Ben's (approved by Ann, with Ann and Cy there).
    sqlx::query(
        "INSERT INTO fx_signoffs (tenant_id, owner_id, approver_id, signed_off_by, attendee_ids, notes, meta) VALUES
             ($1, $2, $3, $3, '{}', 'Ann Archer signs off', '{}'),
             ($1, $3, $2, $2, ARRAY[$2, $4]::uuid[], 'Checked by Ann Archer (ann.archer@example.com)', jsonb_build_object('by', $2::text))",
    )
    .bind(t)
    .bind(ann)
    .bind(ben)
    .bind(cy)
    .execute(&db.maintenance)
    .await?;
    let erase = "SELECT pms_retention.erase_person_hot($1, $2, $3, NULL)";
    let err = sqlx::query(erase)
        .bind(t)
        .bind(ann)
        .bind(Uuid::now_v7())
        .execute(&db.maintenance)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("the erasure plan has no rule for")
            && err.contains("fx_signoffs.owner_id (references users)")
            && err.contains("nothing erased"),
        "{err}"
    );
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE tenant_id = $1")
        .bind(t)
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(left, 3);

    // With rules, the gaps are gone and the erasure applies them.
    owner
        .execute(
            "DELETE FROM pms_retention.erasure_rules WHERE table_name = 'fx_signoffs';
             INSERT INTO pms_retention.erasure_rules (table_name, column_name, action, reason) VALUES
                 ('fx_signoffs', 'owner_id', 'DELETE', 'their own sign-offs'),
                 ('fx_signoffs', 'approver_id', 'PSEUDONYMISE', 'an approval of someone else''s'),
                 ('fx_signoffs', 'signed_off_by', 'PSEUDONYMISE', 'a sign-off of someone else''s'),
                 ('fx_signoffs', 'attendee_ids', 'PSEUDONYMISE', 'who was there'),
                 ('fx_signoffs', 'notes', 'SCRUB', 'free text'),
                 ('fx_signoffs', 'meta', 'SCRUB', 'a document');",
        )
        .await?;
    assert!(catalog::erasure_plan_gaps(&mut owner).await?.is_empty());
    let pseudonym = Uuid::now_v7();
    let report: serde_json::Value = sqlx::query_scalar(erase)
        .bind(t)
        .bind(ann)
        .bind(pseudonym)
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(
        report["tables"]["fx_signoffs"],
        serde_json::json!({"deleted": 1, "pseudonymised": 1}),
        "{report}"
    );
    let row: (Uuid, Uuid, Vec<Uuid>, String, serde_json::Value) = sqlx::query_as(
        "SELECT approver_id, signed_off_by, attendee_ids, notes, meta FROM fx_signoffs WHERE tenant_id = $1",
    )
    .bind(t)
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(
        row,
        (
            pseudonym,
            pseudonym,
            vec![pseudonym, cy],
            "Checked by [erased] ([erased])".to_string(),
            serde_json::json!({"by": pseudonym.to_string()}),
        )
    );
    let erased: (String, String, Option<Uuid>) = sqlx::query_as(
        "SELECT first_name, status, (SELECT id FROM users WHERE tenant_id = $1 AND id = $2) FROM users WHERE tenant_id = $1 AND id = $3",
    )
    .bind(t)
    .bind(ann)
    .bind(pseudonym)
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(erased, ("Erased".into(), "TERMINATED".into(), None));
    Ok(())
}
