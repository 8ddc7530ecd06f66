-- Key results and goal check-ins under the audit trail (issue 20: every write endpoint leaves
-- an audit entry naming the acting person). The walk of every write endpoint
-- (crates/pms-api/tests/audit_every_write.rs) found that adding a key result to a goal and
-- recording progress wrote these two tables unaudited: only the goal's own row change was in
-- the trail, not the key result's target nor the check-in's note and confidence.

SELECT pms_meta.enable_audit(v.t, v.e)
FROM (VALUES ('key_results'::regclass, 'KeyResult'),
             ('goal_progress_updates'::regclass, 'GoalProgressUpdate')) AS v(t, e)
WHERE NOT EXISTS (SELECT 1 FROM pms_meta.audited_tables a WHERE a.table_name = v.t::text);
