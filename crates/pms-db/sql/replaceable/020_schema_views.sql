-- Read models over the OLTP schema. Every view is security_invoker, so the row-level security of
-- the tables underneath applies to the caller (a catalog test checks this for every view).

CREATE OR REPLACE VIEW goal_overview WITH (security_invoker = true) AS
SELECT g.tenant_id, g.id, g.owner_id, u.display_name AS owner_name, g.goal_type, g.status, g.title,
       g.period_start, g.period_end, g.progress,
       count(kr.id) AS key_result_count,
       count(kr.id) FILTER (WHERE kr.status IN ('AT_RISK', 'OFF_TRACK')) AS key_results_at_risk
FROM goals g
JOIN users u ON u.tenant_id = g.tenant_id AND u.id = g.owner_id
LEFT JOIN key_results kr ON kr.tenant_id = g.tenant_id AND kr.goal_id = g.id
WHERE g.deleted_at IS NULL
GROUP BY g.tenant_id, g.id, u.display_name;
COMMENT ON VIEW goal_overview IS '[performance] Live goals with owner name and key-result counts (security_invoker)';

CREATE OR REPLACE VIEW review_cycle_progress WITH (security_invoker = true) AS
SELECT c.tenant_id, c.id AS cycle_id, c.name, c.status AS cycle_status,
       count(r.id) AS reviews,
       count(r.id) FILTER (WHERE r.status IN ('SUBMITTED', 'CALIBRATED', 'FINALIZED', 'SHARED', 'ACKNOWLEDGED')) AS submitted,
       round(avg(r.overall_rating), 2) AS average_rating
FROM review_cycles c
LEFT JOIN performance_reviews r ON r.tenant_id = c.tenant_id AND r.cycle_id = c.id AND r.deleted_at IS NULL
WHERE c.deleted_at IS NULL
GROUP BY c.tenant_id, c.id;
COMMENT ON VIEW review_cycle_progress IS '[performance] Completion and average rating per review cycle (security_invoker)';
