-- Engagement survey results, aggregated by the database so that nobody reads the answers
-- themselves: per question (and per department when asked), the count, the average and the
-- distribution of ratings, with every group of fewer answers than the survey's
-- min_respondents withheld (no average, no distribution). HR sees any survey, by department
-- too; everyone else in the tenant sees a CLOSED or ARCHIVED survey's tenant-wide results.
-- No rows when the acting user may not see the results.

CREATE OR REPLACE FUNCTION public.pms_survey_results(p_survey uuid, p_by_department boolean)
    RETURNS TABLE (question_id uuid, department_id uuid, answers bigint, withheld boolean,
                   average numeric, distribution jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
    v_min integer;
    v_status text;
    v_hr boolean := public.pms_is_tenant_hr();
BEGIN
    SELECT s.min_respondents, s.status INTO v_min, v_status FROM public.engagement_surveys s
     WHERE s.tenant_id = v_tenant AND s.id = p_survey AND s.deleted_at IS NULL;
    IF v_min IS NULL OR public.pms_acting_user() IS NULL
       OR NOT (v_hr OR (v_status IN ('CLOSED', 'ARCHIVED') AND NOT coalesce(p_by_department, false))) THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH a AS (
        SELECT r.question_id AS q, CASE WHEN p_by_department THEN r.department_id END AS d, r.rating
          FROM public.survey_responses r
         WHERE r.tenant_id = v_tenant AND r.survey_id = p_survey),
    g AS (
        SELECT a.q, a.d, count(*) AS n, avg(a.rating) AS av FROM a GROUP BY a.q, a.d),
    dist AS (
        SELECT x.q, x.d, jsonb_object_agg(x.rating::text, x.c ORDER BY x.rating) AS js
          FROM (SELECT a.q, a.d, a.rating, count(*) AS c FROM a WHERE a.rating IS NOT NULL GROUP BY a.q, a.d, a.rating) x
         GROUP BY x.q, x.d)
    SELECT g.q, g.d, g.n, g.n < v_min,
           CASE WHEN g.n >= v_min THEN round(g.av, 2) END,
           CASE WHEN g.n >= v_min THEN coalesce(dist.js, '{}'::jsonb) END
      FROM g LEFT JOIN dist ON dist.q = g.q AND dist.d IS NOT DISTINCT FROM g.d
     ORDER BY g.q, g.d NULLS FIRST;
END
$$;
REVOKE ALL ON FUNCTION public.pms_survey_results(uuid, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_survey_results(uuid, boolean) TO pms_app, pms_readonly;

-- The pulse of a survey: count, average mood and distribution, withheld below the threshold.
CREATE OR REPLACE FUNCTION public.pms_pulse_results(p_survey uuid)
    RETURNS TABLE (responses bigint, withheld boolean, average numeric, distribution jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
    v_min integer;
    v_status text;
BEGIN
    SELECT s.min_respondents, s.status INTO v_min, v_status FROM public.engagement_surveys s
     WHERE s.tenant_id = v_tenant AND s.id = p_survey AND s.deleted_at IS NULL;
    IF v_min IS NULL OR public.pms_acting_user() IS NULL
       OR NOT (public.pms_is_tenant_hr() OR v_status IN ('CLOSED', 'ARCHIVED')) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT count(*), count(*) < v_min,
           CASE WHEN count(*) >= v_min THEN round(avg(p.mood), 2) END,
           CASE WHEN count(*) >= v_min THEN
               (SELECT jsonb_object_agg(x.mood::text, x.c ORDER BY x.mood)
                  FROM (SELECT q.mood, count(*) AS c FROM public.pulse_responses q
                         WHERE q.tenant_id = v_tenant AND q.survey_id = p_survey GROUP BY q.mood) x) END
      FROM public.pulse_responses p
     WHERE p.tenant_id = v_tenant AND p.survey_id = p_survey;
END
$$;
REVOKE ALL ON FUNCTION public.pms_pulse_results(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_pulse_results(uuid) TO pms_app, pms_readonly;
