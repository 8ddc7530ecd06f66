-- Warehouse sync, the facts. Each function collects the ids of its source changed since the
-- watermark (updated_at, the audit trail for deletes of audited tables, tombstones or the
-- rollup change log otherwise, and the rows of people and departments whose versions were
-- recomputed in this pass), stages their rows resolved against the dimensions as of the
-- fact's instant, deletes facts whose source row is gone (or soft-deleted), and upserts only
-- rows that differ: a second run writes nothing.

CREATE OR REPLACE FUNCTION warehouse.sync_fact_performance_review(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_since timestamptz := CASE WHEN warehouse.bulk_loaded(p_tenant, 'performance_reviews', p_since) THEN '-infinity' ELSE p_since END;
    v_ids uuid[];
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_ids;
    INSERT INTO wh_ids
    SELECT r.id FROM public.performance_reviews r WHERE r.tenant_id = p_tenant AND r.updated_at >= v_since
    UNION SELECT x FROM warehouse.audited_ids(p_tenant, 'PerformanceReview', v_since) x
    UNION SELECT c.review_id FROM public.calibration_ratings c WHERE c.tenant_id = p_tenant AND c.updated_at >= v_since
    UNION SELECT (coalesce(a.changes -> 'review_id' ->> 'new', a.changes -> 'review_id' ->> 'old'))::uuid
            FROM public.audit_log a WHERE a.tenant_id = p_tenant AND a.entity_type = 'CalibrationRating'
             AND a.occurred_at >= v_since AND a.changes ? 'review_id'
    UNION SELECT r.id FROM public.performance_reviews r
           WHERE v_since > '-infinity' AND r.tenant_id = p_tenant AND r.reviewee_id IN (SELECT id FROM wh_changed_users)
    UNION SELECT r.id FROM public.performance_reviews r
           WHERE v_since > '-infinity' AND r.tenant_id = p_tenant AND r.reviewer_id IN (SELECT id FROM wh_changed_users);
    ANALYZE wh_ids;
    -- The changed ids as a constant array: their rows are found through the keys, not by joins
    -- over the tenant's whole table.
    v_ids := ARRAY(SELECT id FROM wh_ids);

    DROP TABLE IF EXISTS wh_stage_review;
    CREATE TEMP TABLE wh_stage_review ON COMMIT DROP AS
    SELECT r.tenant_id, r.id AS review_id, dc.cycle_key, ue.user_key AS reviewee_key, ur.user_key AS reviewer_key,
           dd.department_key, warehouse.date_key(x.at) AS date_key, r.review_type, r.status,
           r.overall_rating AS original_rating, cal.adjusted_rating AS calibrated_rating, x.at AS reviewed_at
    FROM public.performance_reviews r
    CROSS JOIN LATERAL (SELECT coalesce(r.submitted_at, r.created_at) AS at) x
    LEFT JOIN warehouse.dim_review_cycle dc ON dc.tenant_id = p_tenant AND dc.cycle_id = r.cycle_id
    LEFT JOIN warehouse.dim_user ue ON ue.tenant_id = p_tenant AND ue.user_id = r.reviewee_id
          AND ue.valid_from <= x.at AND x.at < ue.valid_to
    LEFT JOIN warehouse.dim_user ur ON ur.tenant_id = p_tenant AND ur.user_id = r.reviewer_id
          AND ur.valid_from <= x.at AND x.at < ur.valid_to
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant AND dd.department_id = ue.department_id
          AND dd.valid_from <= x.at AND x.at < dd.valid_to
    -- The latest accepted calibration of each review, set-based (one pass, not one probe per review).
    LEFT JOIN (SELECT DISTINCT ON (c.review_id) c.review_id, c.adjusted_rating FROM public.calibration_ratings c
                WHERE c.tenant_id = p_tenant AND c.status = 'ACCEPTED' AND c.adjusted_rating IS NOT NULL
                  AND c.review_id = ANY (v_ids)
                ORDER BY c.review_id, c.updated_at DESC, c.id DESC) cal ON cal.review_id = r.id
    WHERE r.tenant_id = p_tenant AND r.id = ANY (v_ids) AND r.deleted_at IS NULL;
    ANALYZE wh_stage_review;

    DELETE FROM warehouse.fact_performance_review f
     WHERE f.tenant_id = p_tenant AND f.review_id = ANY (v_ids)
       AND NOT EXISTS (SELECT 1 FROM wh_stage_review s WHERE s.review_id = f.review_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.fact_performance_review AS f (tenant_id, review_id, cycle_key, reviewee_key, reviewer_key,
           department_key, date_key, review_type, status, original_rating, calibrated_rating, reviewed_at)
    SELECT s.tenant_id, s.review_id, s.cycle_key, s.reviewee_key, s.reviewer_key, s.department_key, s.date_key,
           s.review_type, s.status, s.original_rating, s.calibrated_rating, s.reviewed_at
    FROM wh_stage_review s
    ON CONFLICT (tenant_id, review_id) DO UPDATE
       SET cycle_key = excluded.cycle_key, reviewee_key = excluded.reviewee_key, reviewer_key = excluded.reviewer_key,
           department_key = excluded.department_key, date_key = excluded.date_key, review_type = excluded.review_type,
           status = excluded.status, original_rating = excluded.original_rating,
           calibrated_rating = excluded.calibrated_rating, reviewed_at = excluded.reviewed_at
     WHERE (f.cycle_key, f.reviewee_key, f.reviewer_key, f.department_key, f.date_key, f.review_type, f.status,
            f.original_rating, f.calibrated_rating, f.reviewed_at)
           IS DISTINCT FROM (excluded.cycle_key, excluded.reviewee_key, excluded.reviewer_key, excluded.department_key,
            excluded.date_key, excluded.review_type, excluded.status, excluded.original_rating,
            excluded.calibrated_rating, excluded.reviewed_at);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

CREATE OR REPLACE FUNCTION warehouse.sync_fact_feedback(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_since timestamptz := CASE WHEN warehouse.bulk_loaded(p_tenant, 'feedback', p_since) THEN '-infinity' ELSE p_since END;
    v_ids uuid[];
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_ids;
    INSERT INTO wh_ids
    SELECT f.id FROM public.feedback f WHERE f.tenant_id = p_tenant AND f.updated_at >= v_since
    UNION SELECT x FROM warehouse.audited_ids(p_tenant, 'Feedback', v_since) x
    UNION SELECT f.id FROM public.feedback f
           WHERE v_since > '-infinity' AND f.tenant_id = p_tenant AND f.giver_id IN (SELECT id FROM wh_changed_users)
    UNION SELECT f.id FROM public.feedback f
           WHERE v_since > '-infinity' AND f.tenant_id = p_tenant AND f.recipient_id IN (SELECT id FROM wh_changed_users);
    ANALYZE wh_ids;
    -- The changed ids as a constant array: their rows are found through the keys, not by joins
    -- over the tenant's whole table.
    v_ids := ARRAY(SELECT id FROM wh_ids);

    DROP TABLE IF EXISTS wh_stage_feedback;
    CREATE TEMP TABLE wh_stage_feedback ON COMMIT DROP AS
    SELECT f.tenant_id, f.id AS feedback_id, CASE WHEN f.is_anonymous THEN NULL ELSE ug.user_key END AS giver_key,
           ur.user_key AS receiver_key, dd.department_key AS receiver_department_key,
           warehouse.date_key(f.created_at) AS date_key, f.feedback_type, f.visibility, f.is_anonymous,
           f.sentiment_score, f.created_at AS given_at
    FROM public.feedback f
    LEFT JOIN warehouse.dim_user ug ON NOT f.is_anonymous AND ug.tenant_id = p_tenant AND ug.user_id = f.giver_id
          AND ug.valid_from <= f.created_at AND f.created_at < ug.valid_to
    LEFT JOIN warehouse.dim_user ur ON ur.tenant_id = p_tenant AND ur.user_id = f.recipient_id
          AND ur.valid_from <= f.created_at AND f.created_at < ur.valid_to
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant AND dd.department_id = ur.department_id
          AND dd.valid_from <= f.created_at AND f.created_at < dd.valid_to
    WHERE f.tenant_id = p_tenant AND f.id = ANY (v_ids) AND f.deleted_at IS NULL;
    ANALYZE wh_stage_feedback;

    DELETE FROM warehouse.fact_feedback f
     WHERE f.tenant_id = p_tenant AND f.feedback_id = ANY (v_ids)
       AND NOT EXISTS (SELECT 1 FROM wh_stage_feedback s WHERE s.feedback_id = f.feedback_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.fact_feedback AS f (tenant_id, feedback_id, giver_key, receiver_key, receiver_department_key,
           date_key, feedback_type, visibility, is_anonymous, sentiment_score, given_at)
    SELECT s.tenant_id, s.feedback_id, s.giver_key, s.receiver_key, s.receiver_department_key, s.date_key,
           s.feedback_type, s.visibility, s.is_anonymous, s.sentiment_score, s.given_at
    FROM wh_stage_feedback s
    ON CONFLICT (tenant_id, feedback_id) DO UPDATE
       SET giver_key = excluded.giver_key, receiver_key = excluded.receiver_key,
           receiver_department_key = excluded.receiver_department_key, date_key = excluded.date_key,
           feedback_type = excluded.feedback_type, visibility = excluded.visibility,
           is_anonymous = excluded.is_anonymous, sentiment_score = excluded.sentiment_score, given_at = excluded.given_at
     WHERE (f.giver_key, f.receiver_key, f.receiver_department_key, f.date_key, f.feedback_type, f.visibility,
            f.is_anonymous, f.sentiment_score, f.given_at)
           IS DISTINCT FROM (excluded.giver_key, excluded.receiver_key, excluded.receiver_department_key,
            excluded.date_key, excluded.feedback_type, excluded.visibility, excluded.is_anonymous,
            excluded.sentiment_score, excluded.given_at);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

CREATE OR REPLACE FUNCTION warehouse.sync_fact_goal_progress(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_since timestamptz := CASE WHEN warehouse.bulk_loaded(p_tenant, 'goals', p_since) THEN '-infinity' ELSE p_since END;
    v_ids uuid[];
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_ids;
    INSERT INTO wh_ids
    SELECT g.id FROM public.goals g WHERE g.tenant_id = p_tenant AND g.updated_at >= v_since
    UNION SELECT x FROM warehouse.audited_ids(p_tenant, 'Goal', v_since) x
    UNION SELECT g.id FROM public.goals g
           WHERE v_since > '-infinity' AND g.tenant_id = p_tenant
             AND (g.owner_id IN (SELECT id FROM wh_changed_users)
                  OR g.department_id IN (SELECT id FROM wh_changed_departments));
    ANALYZE wh_ids;
    -- The changed ids as a constant array: their rows are found through the keys, not by joins
    -- over the tenant's whole table.
    v_ids := ARRAY(SELECT id FROM wh_ids);

    DROP TABLE IF EXISTS wh_stage_goal;
    CREATE TEMP TABLE wh_stage_goal ON COMMIT DROP AS
    SELECT g.tenant_id, g.id AS goal_id, uo.user_key AS owner_key, dt.team_key, dd.department_key,
           warehouse.date_key(g.period_end) AS date_key, g.goal_type, g.status, g.progress, g.weight,
           g.status = 'COMPLETED' AS is_completed
    FROM public.goals g
    CROSS JOIN LATERAL (SELECT g.period_end::timestamp AT TIME ZONE 'UTC' AS at) x
    LEFT JOIN warehouse.dim_user uo ON uo.tenant_id = p_tenant AND uo.user_id = g.owner_id
          AND uo.valid_from <= x.at AND x.at < uo.valid_to
    LEFT JOIN warehouse.dim_team dt ON dt.tenant_id = p_tenant AND dt.team_id = g.team_id
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant
          AND dd.department_id = coalesce(g.department_id, uo.department_id)
          AND dd.valid_from <= x.at AND x.at < dd.valid_to
    WHERE g.tenant_id = p_tenant AND g.id = ANY (v_ids) AND g.deleted_at IS NULL;
    ANALYZE wh_stage_goal;

    -- Goals gone, and rows whose period end moved (the day is part of the key: partitioned by it).
    DELETE FROM warehouse.fact_goal_progress f
     WHERE f.tenant_id = p_tenant AND f.goal_id = ANY (v_ids)
       AND NOT EXISTS (SELECT 1 FROM wh_stage_goal s WHERE s.goal_id = f.goal_id AND s.date_key = f.date_key);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    IF v_since = '-infinity' AND NOT EXISTS (SELECT 1 FROM warehouse.fact_goal_progress WHERE tenant_id = p_tenant) THEN
        RETURN v_total + warehouse.load_facts('fact_goal_progress', p_tenant, 'wh_stage_goal',
            'goal_id, owner_key, team_key, department_key, date_key, goal_type, status, progress, weight, is_completed');
    END IF;
    PERFORM warehouse.ensure_staged_months('fact_goal_progress', 'wh_stage_goal');
    INSERT INTO warehouse.fact_goal_progress AS f (tenant_id, goal_id, owner_key, team_key, department_key, date_key,
           goal_type, status, progress, weight, is_completed)
    SELECT s.tenant_id, s.goal_id, s.owner_key, s.team_key, s.department_key, s.date_key, s.goal_type, s.status,
           s.progress, s.weight, s.is_completed
    FROM wh_stage_goal s
    ON CONFLICT (tenant_id, goal_id, date_key) DO UPDATE
       SET owner_key = excluded.owner_key, team_key = excluded.team_key, department_key = excluded.department_key,
           date_key = excluded.date_key, goal_type = excluded.goal_type, status = excluded.status,
           progress = excluded.progress, weight = excluded.weight, is_completed = excluded.is_completed
     WHERE (f.owner_key, f.team_key, f.department_key, f.date_key, f.goal_type, f.status, f.progress, f.weight,
            f.is_completed)
           IS DISTINCT FROM (excluded.owner_key, excluded.team_key, excluded.department_key, excluded.date_key,
            excluded.goal_type, excluded.status, excluded.progress, excluded.weight, excluded.is_completed);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;
