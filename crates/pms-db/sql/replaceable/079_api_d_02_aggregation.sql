-- The 360 aggregation (issue 20, item 3): per subject, rater group (relationship) and
-- competency (NULL: every rating question), from the SUBMITTED requests of a cycle:
--   a group's row counts the raters who rated in it and holds their average, unless fewer than
--   the cycle's min_respondents rated: then it is suppressed and holds no average (absent, not
--   zero). The subject's SELF group is never suppressed (it is their own answer);
--   the ALL row is everyone but the subject, counted only over the groups that are shown, so
--   that a withheld group cannot be worked out by subtracting the shown groups from ALL;
--   the gap analysis per competency: self against ALL (others), BLIND_SPOT when the subject
--   rates themself at least half a point higher, HIDDEN_STRENGTH half a point lower, else
--   ALIGNED; without both sides, no classification.
-- Re-running replaces the cycle's rows. HR (or the cycle's closing, as the owner) runs it.
CREATE OR REPLACE FUNCTION public.pms_feedback_360_aggregate(p_cycle uuid, p_now timestamptz DEFAULT now())
    RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_cycle record;
    v_rows integer;
BEGIN
    IF current_user NOT IN ('pms_owner', 'pms_maintenance') AND NOT public.pms_is_tenant_hr() THEN
        RAISE EXCEPTION 'the 360 aggregation is run by HR' USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT c.tenant_id, c.id, c.min_respondents, c.status INTO v_cycle FROM public.feedback_360_cycles c
     WHERE c.tenant_id = public.pms_current_tenant() AND c.id = p_cycle;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no 360 cycle %', p_cycle USING ERRCODE = 'no_data_found';
    END IF;
    IF v_cycle.status <> 'CLOSED' THEN
        RAISE EXCEPTION 'the 360 cycle is %: it is aggregated once CLOSED', v_cycle.status USING HINT = 'cycle_phase';
    END IF;
    DELETE FROM public.feedback_360_gap_analyses g WHERE g.tenant_id = v_cycle.tenant_id AND g.cycle_id = p_cycle;
    DELETE FROM public.feedback_360_aggregations a WHERE a.tenant_id = v_cycle.tenant_id AND a.cycle_id = p_cycle;
    INSERT INTO public.feedback_360_aggregations
        (tenant_id, cycle_id, subject_id, competency_id, relationship, respondent_count, average_rating, is_suppressed, computed_at)
    WITH answers AS (
        SELECT q.subject_id, coalesce(n.relationship, 'OTHER') AS rel, q.rater_id, qu.competency_id, r.rating
          FROM public.feedback_360_requests q
          LEFT JOIN public.feedback_360_nominations n ON n.tenant_id = q.tenant_id AND n.id = q.nomination_id
          JOIN public.feedback_360_responses r ON r.tenant_id = q.tenant_id AND r.request_id = q.id
          JOIN public.feedback_360_questions qu ON qu.tenant_id = r.tenant_id AND qu.id = r.question_id
         WHERE q.tenant_id = v_cycle.tenant_id AND q.cycle_id = p_cycle AND q.status = 'SUBMITTED'
           AND r.rating IS NOT NULL),
    keyed AS (
        SELECT subject_id, rel, rater_id, competency_id AS comp, rating FROM answers WHERE competency_id IS NOT NULL
        UNION ALL
        SELECT subject_id, rel, rater_id, NULL, rating FROM answers),
    cells AS (
        SELECT subject_id, rel, comp, count(DISTINCT rater_id)::smallint AS n, avg(rating) AS a,
               (rel = 'SELF' OR count(DISTINCT rater_id) >= v_cycle.min_respondents) AS shown
          FROM keyed GROUP BY subject_id, rel, comp),
    others_shown AS (
        SELECT k.subject_id, k.comp, count(DISTINCT k.rater_id)::smallint AS n, avg(k.rating) AS a
          FROM keyed k JOIN cells c ON c.subject_id = k.subject_id AND c.rel = k.rel AND c.comp IS NOT DISTINCT FROM k.comp
         WHERE k.rel <> 'SELF' AND c.shown
         GROUP BY k.subject_id, k.comp),
    others_all AS (
        SELECT subject_id, comp, count(DISTINCT rater_id)::smallint AS n FROM keyed WHERE rel <> 'SELF' GROUP BY subject_id, comp)
    SELECT v_cycle.tenant_id, p_cycle, c.subject_id, c.comp, c.rel, c.n,
           CASE WHEN c.shown THEN round(c.a, 2) END, NOT c.shown, p_now
      FROM cells c
    UNION ALL
    SELECT v_cycle.tenant_id, p_cycle, t.subject_id, t.comp, 'ALL', coalesce(o.n, t.n), round(o.a, 2), o.n IS NULL, p_now
      FROM others_all t LEFT JOIN others_shown o ON o.subject_id = t.subject_id AND o.comp IS NOT DISTINCT FROM t.comp;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    INSERT INTO public.feedback_360_gap_analyses (tenant_id, cycle_id, subject_id, competency_id, self_rating, others_rating, classification)
    SELECT v_cycle.tenant_id, p_cycle, k.subject_id, k.competency_id, s.average_rating, o.average_rating,
           CASE WHEN s.average_rating IS NULL OR o.average_rating IS NULL THEN NULL
                WHEN s.average_rating - o.average_rating >= 0.5 THEN 'BLIND_SPOT'
                WHEN s.average_rating - o.average_rating <= -0.5 THEN 'HIDDEN_STRENGTH'
                ELSE 'ALIGNED' END
      FROM (SELECT DISTINCT a.subject_id, a.competency_id FROM public.feedback_360_aggregations a
             WHERE a.tenant_id = v_cycle.tenant_id AND a.cycle_id = p_cycle AND a.competency_id IS NOT NULL
               AND a.relationship IN ('SELF', 'ALL') AND NOT a.is_suppressed) k
      LEFT JOIN public.feedback_360_aggregations s ON s.tenant_id = v_cycle.tenant_id AND s.cycle_id = p_cycle
           AND s.subject_id = k.subject_id AND s.competency_id = k.competency_id AND s.relationship = 'SELF'
      LEFT JOIN public.feedback_360_aggregations o ON o.tenant_id = v_cycle.tenant_id AND o.cycle_id = p_cycle
           AND o.subject_id = k.subject_id AND o.competency_id = k.competency_id AND o.relationship = 'ALL' AND NOT o.is_suppressed;
    RETURN v_rows;
END
$$;
REVOKE ALL ON FUNCTION public.pms_feedback_360_aggregate(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_feedback_360_aggregate(uuid, timestamptz) TO pms_app;
