-- Reports, part F: what becomes of a deleted report definition, and the report types of the
-- schema that 079_api_e_03_reports.sql does not compute (PERFORMANCE_SUMMARY,
-- FEEDBACK_ACTIVITY, ENGAGEMENT, COMPENSATION, CALIBRATION, CUSTOM). Like that file, every
-- content function here is SECURITY INVOKER: it reads under the caller's row-level security,
-- so a run computed as its requester holds only what they may see.

-- A definition is deleted by setting deleted_at (its name is free again for its owner). Its
-- schedules and its runs go with it, in the same transaction, whoever ran them: a schedule of
-- a deleted report could never run, and a run is a copy of the report's figures that outlives
-- no report. The dashboard widgets that showed it keep their place without a report. A
-- definition removed for good (DELETE) does the same by its foreign keys (ON DELETE CASCADE
-- for schedules and runs, SET NULL for widgets). The function runs as the owner of the tables so that the runs of other
-- requesters of a shared report go too (the tenant's own rows only: the tenant policy holds).
CREATE OR REPLACE FUNCTION public.pms_report_definition_deleted() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    DELETE FROM public.generated_reports g WHERE g.tenant_id = NEW.tenant_id AND g.report_id = NEW.id;
    DELETE FROM public.report_schedules s WHERE s.tenant_id = NEW.tenant_id AND s.report_id = NEW.id;
    UPDATE public.dashboard_widgets w SET report_id = NULL WHERE w.tenant_id = NEW.tenant_id AND w.report_id = NEW.id;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.pms_report_definition_deleted() FROM PUBLIC;
CREATE OR REPLACE TRIGGER report_definition_deleted AFTER UPDATE OF deleted_at ON public.report_definitions
    FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
    EXECUTE FUNCTION public.pms_report_definition_deleted();

-- A deleted definition stays deleted: nothing of it is left to bring back.
CREATE OR REPLACE FUNCTION public.pms_report_definition_stays_deleted() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    RAISE EXCEPTION 'report definition %: a deleted report cannot be changed or restored', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'report_definitions_deleted_check';
END
$$;
CREATE OR REPLACE TRIGGER report_definition_stays_deleted BEFORE UPDATE ON public.report_definitions
    FOR EACH ROW WHEN (OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL)
    EXECUTE FUNCTION public.pms_report_definition_stays_deleted();

-- The per-person figures a CUSTOM report may choose from (its definition's "columns"), in
-- the order a report without a choice shows them. person_id and name always come first.
CREATE OR REPLACE FUNCTION public.pms_report_figure_names() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY['department', 'goals_total', 'goals_completed', 'avg_goal_progress', 'reviews_submitted', 'avg_rating',
                 'latest_rating', 'feedback_received', 'feedback_given', 'one_on_ones_held', 'engagement_score']
$$;

-- The columns and rows of the report types above, for pms_report_content (which adds the
-- kind and the period). p_definition may carry "department_id" (that department's people
-- only) and, for CUSTOM, "columns" (names of pms_report_figure_names()).
--
-- * PERFORMANCE_SUMMARY: every per-person figure of the period.
-- * FEEDBACK_ACTIVITY: feedback received (by type) and given per person.
-- * ENGAGEMENT: the latest overall engagement score, the average of those measured in the
--   period, and the pulse answers of the period (how many, their average mood).
-- * COMPENSATION: one row per compensation decision effective in the period that the caller
--   may see, with the change in percent of the current amount (when there is one).
-- * CALIBRATION: one row per calibrated rating the caller may see, of the sessions held (or,
--   unscheduled, created) in the period: original, calibrated and the change.
-- * CUSTOM: person_id, name and the chosen figures (all of them when none is chosen).
CREATE OR REPLACE FUNCTION public.pms_report_content_other_kinds(p_kind text, p_start date, p_end date, p_definition jsonb,
                                                                 OUT report_columns text[], OUT report_rows jsonb)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
DECLARE
    v_dept uuid := nullif(p_definition ->> 'department_id', '')::uuid;
    v_t0 timestamptz := p_start::timestamp AT TIME ZONE 'UTC';
    v_t1 timestamptz := (p_end + 1)::timestamp AT TIME ZONE 'UTC';
    v_tenant uuid := public.pms_current_tenant();
    v_chosen text[];
BEGIN
    CASE p_kind
    WHEN 'PERFORMANCE_SUMMARY', 'CUSTOM' THEN
        IF p_kind = 'CUSTOM' AND jsonb_typeof(p_definition -> 'columns') = 'array' THEN
            v_chosen := ARRAY(SELECT jsonb_array_elements_text(p_definition -> 'columns'));
            IF EXISTS (SELECT 1 FROM unnest(v_chosen) c WHERE c <> ALL (public.pms_report_figure_names())) THEN
                RAISE EXCEPTION 'a custom report chooses its columns among %', array_to_string(public.pms_report_figure_names(), ', ')
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
        END IF;
        IF coalesce(cardinality(v_chosen), 0) = 0 THEN
            v_chosen := public.pms_report_figure_names();
        END IF;
        report_columns := ARRAY['person_id', 'name'] || v_chosen;
        SELECT coalesce(jsonb_agg((SELECT jsonb_agg(x.j -> c.name ORDER BY c.o) FROM unnest(report_columns) WITH ORDINALITY c(name, o))
                                  ORDER BY x.ord), '[]')
          INTO report_rows
          FROM (SELECT row_number() OVER () AS ord, to_jsonb(f) AS j
                  FROM public.pms_report_person_figures(p_start, p_end, v_dept) f) x;
    WHEN 'FEEDBACK_ACTIVITY' THEN
        report_columns := ARRAY['person_id', 'name', 'department', 'feedback_received', 'praise_received', 'recognition_received',
                         'constructive_received', 'suggestion_received', 'feedback_requested', 'feedback_given'];
        SELECT coalesce(jsonb_agg(jsonb_build_array(f.person_id, f.name, f.department, f.feedback_received, k.praise, k.recognition,
                                                    k.constructive, k.suggestion, k.requested, f.feedback_given) ORDER BY f.ord), '[]')
          INTO report_rows
          FROM (SELECT row_number() OVER () AS ord, pf.* FROM public.pms_report_person_figures(p_start, p_end, v_dept) pf) f
         CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE fb.feedback_type = 'PRAISE')::int AS praise,
                   count(*) FILTER (WHERE fb.feedback_type = 'RECOGNITION')::int AS recognition,
                   count(*) FILTER (WHERE fb.feedback_type = 'CONSTRUCTIVE')::int AS constructive,
                   count(*) FILTER (WHERE fb.feedback_type = 'SUGGESTION')::int AS suggestion,
                   count(*) FILTER (WHERE fb.feedback_type = 'REQUEST')::int AS requested
              FROM public.feedback fb
             WHERE fb.tenant_id = v_tenant AND fb.recipient_id = f.person_id AND fb.deleted_at IS NULL
               AND fb.created_at >= v_t0 AND fb.created_at < v_t1) k;
    WHEN 'ENGAGEMENT' THEN
        report_columns := ARRAY['person_id', 'name', 'department', 'engagement_score', 'avg_engagement_in_period', 'pulse_responses',
                         'avg_pulse_mood'];
        SELECT coalesce(jsonb_agg(jsonb_build_array(f.person_id, f.name, f.department, f.engagement_score, e.avg_score,
                                                    pu.n, pu.mood) ORDER BY f.ord), '[]')
          INTO report_rows
          FROM (SELECT row_number() OVER () AS ord, pf.* FROM public.pms_report_person_figures(p_start, p_end, v_dept) pf) f
         CROSS JOIN LATERAL (
            SELECT round(avg(es.score), 2) AS avg_score FROM public.engagement_scores es
             WHERE es.tenant_id = v_tenant AND es.user_id = f.person_id AND es.driver = 'overall'
               AND es.period_start BETWEEN p_start AND p_end) e
         CROSS JOIN LATERAL (
            SELECT count(*)::int AS n, round(avg(pr.mood), 2) AS mood FROM public.pulse_responses pr
             WHERE pr.tenant_id = v_tenant AND pr.user_id = f.person_id
               AND pr.responded_at >= v_t0 AND pr.responded_at < v_t1) pu;
    WHEN 'COMPENSATION' THEN
        report_columns := ARRAY['decision_id', 'person_id', 'name', 'department', 'decision_type', 'status', 'currency',
                         'current_amount', 'proposed_amount', 'change_percent', 'effective_date'];
        SELECT coalesce(jsonb_agg(jsonb_build_array(cd.id, u.id, u.first_name || ' ' || u.last_name, dp.name, cd.decision_type,
                                                    cd.status, cd.currency, cd.current_amount, cd.proposed_amount,
                                                    CASE WHEN cd.current_amount > 0
                                                         THEN round((cd.proposed_amount - cd.current_amount) * 100 / cd.current_amount, 2) END,
                                                    cd.effective_date)
                                  ORDER BY u.last_name, u.first_name, u.id, cd.effective_date, cd.id), '[]')
          INTO report_rows
          FROM public.compensation_decisions cd
          JOIN public.users u ON u.tenant_id = cd.tenant_id AND u.id = cd.employee_id
          LEFT JOIN public.departments dp ON dp.tenant_id = u.tenant_id AND dp.id = u.department_id
         WHERE cd.tenant_id = v_tenant AND cd.effective_date BETWEEN p_start AND p_end
           AND u.deleted_at IS NULL AND (v_dept IS NULL OR u.department_id = v_dept)
           AND public.pms_can_see_person(u.id, 'REVIEWS');
    WHEN 'CALIBRATION' THEN
        report_columns := ARRAY['session_id', 'session', 'person_id', 'name', 'department', 'original_rating', 'calibrated_rating',
                         'change', 'status'];
        SELECT coalesce(jsonb_agg(jsonb_build_array(s.id, s.name, u.id, u.first_name || ' ' || u.last_name, dp.name,
                                                    cr.original_rating, coalesce(cr.adjusted_rating, cr.original_rating),
                                                    coalesce(cr.adjusted_rating, cr.original_rating) - cr.original_rating, cr.status)
                                  ORDER BY coalesce(s.scheduled_at, s.created_at), s.id, u.last_name, u.first_name, u.id, cr.id), '[]')
          INTO report_rows
          FROM public.calibration_ratings cr
          JOIN public.calibration_sessions s ON s.tenant_id = cr.tenant_id AND s.id = cr.session_id
          JOIN public.users u ON u.tenant_id = cr.tenant_id AND u.id = cr.employee_id
          LEFT JOIN public.departments dp ON dp.tenant_id = u.tenant_id AND dp.id = u.department_id
         WHERE cr.tenant_id = v_tenant AND coalesce(s.scheduled_at, s.created_at) >= v_t0
           AND coalesce(s.scheduled_at, s.created_at) < v_t1
           AND u.deleted_at IS NULL AND (v_dept IS NULL OR u.department_id = v_dept)
           AND public.pms_can_see_person(u.id, 'REVIEWS');
    ELSE
        RAISE EXCEPTION 'reports of type % are not generated by the platform', p_kind USING ERRCODE = 'feature_not_supported';
    END CASE;
END
$$;
