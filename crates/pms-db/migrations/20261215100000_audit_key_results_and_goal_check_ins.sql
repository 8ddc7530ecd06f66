-- Key results and goal check-ins under the audit trail (issue 20: every write endpoint leaves
-- an audit entry naming the acting person). The walk of every write endpoint
-- (crates/pms-api/tests/audit_every_write.rs) found that adding a key result to a goal and
-- recording progress wrote these two tables unaudited: only the goal's own row change was in
-- the trail, not the key result's target nor the check-in's note and confidence.

SELECT pms_meta.enable_audit(v.t, v.e)
FROM (VALUES ('key_results'::regclass, 'KeyResult'),
             ('goal_progress_updates'::regclass, 'GoalProgressUpdate')) AS v(t, e)
WHERE NOT EXISTS (SELECT 1 FROM pms_meta.audited_tables a WHERE a.table_name = v.t::text);

-- key_results is loaded in verified bulk loads (pms seed --employees), where each batch is one
-- entry of the chain: like the other bulk-loaded audited tables (goals, users), its row
-- trigger stands aside in a bulk-load session.
DROP TRIGGER audit_row_change ON key_results;
CREATE TRIGGER audit_row_change AFTER INSERT OR UPDATE OR DELETE ON key_results FOR EACH ROW
    WHEN (pg_catalog.current_setting('session_replication_role') <> 'replica'
          OR coalesce(pg_catalog.current_setting('pms.bulk_load', true), '') = '')
    EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'KeyResult');
ALTER TABLE key_results ENABLE ALWAYS TRIGGER audit_row_change;
