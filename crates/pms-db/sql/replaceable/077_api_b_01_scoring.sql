-- The platform's scoring rules (issue 20, items 6 and 8), in SQL so that every application
-- gets the same answer: promotion readiness, succession bench strength, organisational health.
-- The pure rules take numbers and are IMMUTABLE; the readers take a person, plan or department,
-- answer only what the acting user may see (no row otherwise), and read every input as the
-- owner (SECURITY DEFINER), so the answer does not depend on who asks.
--
-- Scores are on 0-100 and rounded to two decimals; the thresholds compare the rounded value,
-- so what is shown is what was decided.

-- Promotion readiness: the weighted sum of six inputs (a missing input counts as 0).
CREATE OR REPLACE FUNCTION public.pms_promotion_overall(
    p_performance numeric, p_potential numeric, p_skills numeric,
    p_leadership numeric, p_tenure numeric, p_engagement numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT round(0.30 * coalesce(p_performance, 0) + 0.25 * coalesce(p_potential, 0)
               + 0.20 * coalesce(p_skills, 0) + 0.15 * coalesce(p_leadership, 0)
               + 0.05 * coalesce(p_tenure, 0) + 0.05 * coalesce(p_engagement, 0), 2)
$$;

-- READY_NOW: overall >= 80, performance >= 75 and skills >= 70; READY_1_YEAR: overall >= 70
-- and performance >= 65; READY_2_YEARS: overall >= 60; otherwise NEEDS_DEVELOPMENT.
CREATE OR REPLACE FUNCTION public.pms_promotion_readiness(p_overall numeric, p_performance numeric, p_skills numeric)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN p_overall >= 80 AND coalesce(p_performance, 0) >= 75 AND coalesce(p_skills, 0) >= 70 THEN 'READY_NOW'
        WHEN p_overall >= 70 AND coalesce(p_performance, 0) >= 65 THEN 'READY_1_YEAR'
        WHEN p_overall >= 60 THEN 'READY_2_YEARS'
        ELSE 'NEEDS_DEVELOPMENT' END
$$;

-- The six inputs of a person's promotion score as of a day, each on 0-100 with where it came
-- from (NULL value: no data, counted as 0):
--   performance  the latest MANAGER review shared with them: overall_rating / 5 * 100
--   potential    the latest PROMOTION_READINESS prediction: score (0-1) * 100
--   skills       the latest assessed level per skill, averaged: level / 5 * 100
--   leadership   the latest leadership competency score per dimension, averaged: score / 5 * 100
--   tenure       years since hire / 5 * 100, at most 100
--   engagement   the latest overall engagement score of the person
-- Only reviews already shared count, so that the score never reveals a rating its person may
-- not see yet. Nothing (no rows) when the acting user may not see the person.
CREATE OR REPLACE FUNCTION public.pms_promotion_inputs(p_person uuid, p_as_of date)
    RETURNS TABLE (input text, weight numeric, value numeric, source text, source_id uuid, observed_on date)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
BEGIN
    IF p_as_of IS NULL THEN
        RAISE EXCEPTION 'pms_promotion_inputs: as_of is required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT public.pms_can_see_person(p_person, 'APPROVALS')
       OR NOT EXISTS (SELECT 1 FROM public.users u WHERE u.tenant_id = v_tenant AND u.id = p_person AND u.deleted_at IS NULL) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT 'performance', 0.30::numeric, round(r.overall_rating / 5 * 100, 2), 'performance_reviews', r.id,
           coalesce(r.shared_at, r.updated_at)::date
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
          SELECT pr.id, pr.overall_rating, pr.shared_at, pr.updated_at FROM public.performance_reviews pr
           WHERE pr.tenant_id = v_tenant AND pr.reviewee_id = p_person AND pr.review_type = 'MANAGER'
             AND pr.status IN ('SHARED', 'ACKNOWLEDGED') AND pr.overall_rating IS NOT NULL AND pr.deleted_at IS NULL
             AND coalesce(pr.shared_at, pr.updated_at)::date <= p_as_of
           ORDER BY coalesce(pr.shared_at, pr.updated_at) DESC, pr.id DESC LIMIT 1) r ON true
    UNION ALL
    SELECT 'potential', 0.25, round(least(greatest(m.score, 0), 1) * 100, 2), 'ml_model_predictions', m.id, m.predicted_at::date
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
          SELECT p.id, p.score, p.predicted_at FROM public.ml_model_predictions p
           WHERE p.tenant_id = v_tenant AND p.user_id = p_person AND p.prediction_type = 'PROMOTION_READINESS'
             AND p.predicted_at::date <= p_as_of
           ORDER BY p.predicted_at DESC, p.id DESC LIMIT 1) m ON true
    UNION ALL
    SELECT 'skills', 0.20, round(avg(s.level)::numeric / 5 * 100, 2), CASE WHEN count(*) > 0 THEN 'technical_skill_assessments' END,
           NULL::uuid, max(s.assessed_on)
      FROM (SELECT DISTINCT ON (a.skill_id) a.level, a.assessed_on FROM public.technical_skill_assessments a
             WHERE a.tenant_id = v_tenant AND a.user_id = p_person AND a.assessed_on <= p_as_of
             ORDER BY a.skill_id, a.assessed_on DESC, a.created_at DESC) s
    UNION ALL
    SELECT 'leadership', 0.15, round(avg(l.score) / 5 * 100, 2), CASE WHEN count(*) > 0 THEN 'leadership_competency_scores' END,
           NULL::uuid, max(l.created_at)::date
      FROM (SELECT DISTINCT ON (c.dimension) c.score, c.created_at FROM public.leadership_competency_scores c
             WHERE c.tenant_id = v_tenant AND c.user_id = p_person AND c.created_at::date <= p_as_of
             ORDER BY c.dimension, c.created_at DESC) l
    UNION ALL
    SELECT 'tenure', 0.05,
           CASE WHEN u.hire_date IS NOT NULL AND u.hire_date <= p_as_of
                THEN round(least((p_as_of - u.hire_date)::numeric / 365.25 / 5, 1) * 100, 2) END,
           CASE WHEN u.hire_date IS NOT NULL AND u.hire_date <= p_as_of THEN 'users.hire_date' END, NULL::uuid, u.hire_date
      FROM public.users u WHERE u.tenant_id = v_tenant AND u.id = p_person
    UNION ALL
    SELECT 'engagement', 0.05, e.score, CASE WHEN e.id IS NOT NULL THEN 'engagement_scores' END, e.id, e.period_start
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
          SELECT s.id, s.score, s.period_start FROM public.engagement_scores s
           WHERE s.tenant_id = v_tenant AND s.user_id = p_person AND s.driver = 'overall' AND s.period_start <= p_as_of
           ORDER BY s.period_start DESC, s.id DESC LIMIT 1) e ON true;
END
$$;
REVOKE ALL ON FUNCTION public.pms_promotion_inputs(uuid, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_promotion_inputs(uuid, date) TO pms_app, pms_readonly;

-- A person's promotion score as of a day: overall, readiness and the inputs (a JSON array of
-- {input, weight, value, source, source_id, observed_on}). No row when the acting user may not
-- see the person.
CREATE OR REPLACE FUNCTION public.pms_promotion_score(p_person uuid, p_as_of date)
    RETURNS TABLE (overall numeric, readiness text, inputs jsonb)
    LANGUAGE sql STABLE AS $$
    WITH i AS (SELECT * FROM public.pms_promotion_inputs(p_person, p_as_of)),
    v AS (SELECT public.pms_promotion_overall(
                     max(i.value) FILTER (WHERE i.input = 'performance'), max(i.value) FILTER (WHERE i.input = 'potential'),
                     max(i.value) FILTER (WHERE i.input = 'skills'), max(i.value) FILTER (WHERE i.input = 'leadership'),
                     max(i.value) FILTER (WHERE i.input = 'tenure'), max(i.value) FILTER (WHERE i.input = 'engagement')) AS overall,
                 max(i.value) FILTER (WHERE i.input = 'performance') AS performance,
                 max(i.value) FILTER (WHERE i.input = 'skills') AS skills,
                 jsonb_agg(jsonb_build_object('input', i.input, 'weight', i.weight, 'value', i.value, 'source', i.source,
                                              'source_id', i.source_id, 'observed_on', i.observed_on)
                           ORDER BY i.weight DESC, i.input) AS inputs,
                 count(*) AS n
            FROM i)
    SELECT v.overall, public.pms_promotion_readiness(v.overall, v.performance, v.skills), v.inputs FROM v WHERE v.n > 0
$$;

-- Bench strength of a succession plan from its candidates' readiness: NONE (no candidate),
-- STRONG (a successor ready now and at least three in all), ADEQUATE (one ready now, or two
-- ready within a year), WEAK (otherwise).
CREATE OR REPLACE FUNCTION public.pms_bench_strength(p_ready_now bigint, p_ready_1_year bigint, p_ready_2_years bigint)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN coalesce(p_ready_now, 0) + coalesce(p_ready_1_year, 0) + coalesce(p_ready_2_years, 0) = 0 THEN 'NONE'
        WHEN coalesce(p_ready_now, 0) >= 1
             AND coalesce(p_ready_now, 0) + coalesce(p_ready_1_year, 0) + coalesce(p_ready_2_years, 0) >= 3 THEN 'STRONG'
        WHEN coalesce(p_ready_now, 0) >= 1 OR coalesce(p_ready_1_year, 0) >= 2 THEN 'ADEQUATE'
        ELSE 'WEAK' END
$$;

-- The bench of a plan the acting user may see: counts by readiness over every candidate
-- (counted as the owner: the counts do not depend on whose candidacies the caller may read).
CREATE OR REPLACE FUNCTION public.pms_succession_bench(p_plan uuid)
    RETURNS TABLE (ready_now bigint, ready_1_year bigint, ready_2_years bigint, total bigint, strength text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT public.pms_api_b_can_see_succession_plan(p_plan) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT count(*) FILTER (WHERE c.readiness = 'READY_NOW'), count(*) FILTER (WHERE c.readiness = 'READY_1_YEAR'),
           count(*) FILTER (WHERE c.readiness = 'READY_2_YEARS'), count(*),
           public.pms_bench_strength(count(*) FILTER (WHERE c.readiness = 'READY_NOW'),
                                     count(*) FILTER (WHERE c.readiness = 'READY_1_YEAR'),
                                     count(*) FILTER (WHERE c.readiness = 'READY_2_YEARS'))
      FROM public.succession_candidates c
     WHERE c.tenant_id = public.pms_current_tenant() AND c.plan_id = p_plan;
END
$$;
REVOKE ALL ON FUNCTION public.pms_succession_bench(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_succession_bench(uuid) TO pms_app, pms_readonly;

-- Organisational health: the weighted mean of seven components, each 0-100. A component
-- without a value is left out and the others' weights are scaled up to 1; with none, NULL.
CREATE OR REPLACE FUNCTION public.pms_org_health_overall(
    p_engagement numeric, p_performance numeric, p_culture numeric, p_leadership numeric,
    p_collaboration numeric, p_innovation numeric, p_wellbeing numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT round(sum(w * v) / nullif(sum(w), 0), 2)
      FROM (VALUES (0.20, p_engagement), (0.20, p_performance), (0.15, p_culture), (0.15, p_leadership),
                   (0.10, p_collaboration), (0.10, p_innovation), (0.10, p_wellbeing)) AS c(w, v)
     WHERE v IS NOT NULL
$$;

-- EXCELLENT >= 85, GOOD >= 70, FAIR >= 55, POOR >= 40, else CRITICAL; NULL without data.
CREATE OR REPLACE FUNCTION public.pms_org_health_level(p_overall numeric) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_overall IS NULL THEN NULL
                WHEN p_overall >= 85 THEN 'EXCELLENT' WHEN p_overall >= 70 THEN 'GOOD'
                WHEN p_overall >= 55 THEN 'FAIR' WHEN p_overall >= 40 THEN 'POOR'
                ELSE 'CRITICAL' END
$$;

-- The components and their weights, in order.
CREATE OR REPLACE FUNCTION public.pms_org_health_components() RETURNS TABLE (component text, weight numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    VALUES ('engagement', 0.20), ('performance', 0.20), ('culture', 0.15), ('leadership', 0.15),
           ('collaboration', 0.10), ('innovation', 0.10), ('wellbeing', 0.10)
$$;

-- The health of the tenant (p_department NULL: organizational_health_metrics) or of one
-- department (department_health_metrics): the latest value of each component metric, the
-- overall score and level, and a version of the inputs (changes whenever an input row is
-- added, changed or removed) that the API's cache compares. No row when the acting user may
-- not see it (pms_api_b_can_see_health).
CREATE OR REPLACE FUNCTION public.pms_org_health(p_department uuid)
    RETURNS TABLE (overall numeric, level text, inputs jsonb, period_start date, version text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
BEGIN
    IF NOT public.pms_api_b_can_see_health(p_department) THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH latest AS (
        SELECT c.component, c.weight, x.value, x.period_start
          FROM public.pms_org_health_components() c
          LEFT JOIN LATERAL (
              SELECT m.value, m.period_start FROM public.organizational_health_metrics m
               WHERE p_department IS NULL AND m.tenant_id = v_tenant AND m.metric = c.component
              UNION ALL
              SELECT d.value, d.period_start FROM public.department_health_metrics d
               WHERE p_department IS NOT NULL AND d.tenant_id = v_tenant AND d.department_id = p_department AND d.metric = c.component
              ORDER BY 2 DESC LIMIT 1) x ON true),
    score AS (
        SELECT public.pms_org_health_overall(
                   max(l.value) FILTER (WHERE l.component = 'engagement'), max(l.value) FILTER (WHERE l.component = 'performance'),
                   max(l.value) FILTER (WHERE l.component = 'culture'), max(l.value) FILTER (WHERE l.component = 'leadership'),
                   max(l.value) FILTER (WHERE l.component = 'collaboration'), max(l.value) FILTER (WHERE l.component = 'innovation'),
                   max(l.value) FILTER (WHERE l.component = 'wellbeing')) AS overall,
               jsonb_agg(jsonb_build_object('component', l.component, 'weight', l.weight, 'value', l.value, 'period_start', l.period_start)
                         ORDER BY l.weight DESC, l.component) AS inputs,
               max(l.period_start) AS period_start
          FROM latest l)
    SELECT s.overall, public.pms_org_health_level(s.overall), s.inputs, s.period_start,
           public.pms_org_health_version(p_department)
      FROM score s;
END
$$;
REVOKE ALL ON FUNCTION public.pms_org_health(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_org_health(uuid) TO pms_app, pms_readonly;

-- The version of a health's inputs: count and latest change of its metric rows. NULL when the
-- acting user may not see it.
CREATE OR REPLACE FUNCTION public.pms_org_health_version(p_department uuid) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
    v text;
BEGIN
    IF NOT public.pms_api_b_can_see_health(p_department) THEN
        RETURN NULL;
    END IF;
    IF p_department IS NULL THEN
        SELECT count(*) || ':' || coalesce((extract(epoch FROM max(m.updated_at)) * 1000000)::bigint, 0) INTO v
          FROM public.organizational_health_metrics m
         WHERE m.tenant_id = v_tenant AND m.metric IN (SELECT component FROM public.pms_org_health_components());
    ELSE
        SELECT count(*) || ':' || coalesce((extract(epoch FROM max(d.updated_at)) * 1000000)::bigint, 0) INTO v
          FROM public.department_health_metrics d
         WHERE d.tenant_id = v_tenant AND d.department_id = p_department
           AND d.metric IN (SELECT component FROM public.pms_org_health_components());
    END IF;
    RETURN v;
END
$$;
REVOKE ALL ON FUNCTION public.pms_org_health_version(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_org_health_version(uuid) TO pms_app, pms_readonly;
