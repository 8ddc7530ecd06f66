-- Erasure rules of the columns the API's part 2 added (050_retention_erasure_rules.sql refills
-- the table first; the replaceable files are re-applied together, in name order).

INSERT INTO pms_retention.erasure_rules (table_name, column_name, action, entity_type, tier, pseudonymise_when, reason)
VALUES
    ('promotion_decisions', 'approved_by', 'PSEUDONYMISE', NULL, NULL, NULL, 'a decision they approved about someone else stays'),
    ('promotion_decisions', 'decision_note', 'SCRUB', NULL, NULL, NULL, 'free text that may mention people'),
    ('survey_participations', 'user_id', 'DELETE', NULL, NULL, NULL, 'that they answered a survey'),
    ('metric_ingestions', 'ingested_by', 'PSEUDONYMISE', NULL, NULL, NULL, 'an upload they made stays, without them')
ON CONFLICT (table_name, column_name) DO UPDATE
    SET action = EXCLUDED.action, entity_type = EXCLUDED.entity_type, tier = EXCLUDED.tier,
        pseudonymise_when = EXCLUDED.pseudonymise_when, reason = EXCLUDED.reason;

-- The archive registry's person columns, as 050 computes them, with these rules included.
UPDATE pms_retention.entities e
SET person_columns = p.columns
FROM (SELECT r.table_name, array_agg(r.column_name ORDER BY a.attnum) AS columns
      FROM pms_retention.erasure_rules r
      JOIN pg_attribute a ON a.attrelid = pms_retention.rule_table(r.table_name) AND a.attname = r.column_name
      WHERE r.action IN ('DELETE', 'COMPLIANCE', 'PSEUDONYMISE') AND a.atttypid = 'uuid'::regtype
      GROUP BY r.table_name) p
WHERE p.table_name = e.table_name AND e.person_columns IS DISTINCT FROM p.columns;
