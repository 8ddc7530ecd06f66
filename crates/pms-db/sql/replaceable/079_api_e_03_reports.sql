-- The content of a generated report, computed in SQL so that any application gets the same
-- report as the worker. Every function here is SECURITY INVOKER: it reads as the caller, under
-- the caller's row-level security, so a report run in a transaction as a person (the worker
-- runs each as its requester) holds only what that person may see: the people are those the
-- caller may see in the REVIEWS domain (themself, their chain below them, HR: everyone), and
-- each figure counts only the rows of those people the caller's visibility rules show.

-- The period a report covers when it runs on day p_as_of: the last complete period before it.
-- WEEKLY_SUMMARY: the Monday-to-Sunday week before the week of p_as_of; QUARTERLY_REVIEW: the
-- calendar quarter before; PERIOD_COMPARISON: the period of p_unit (week, month, quarter)
-- before; every other kind (MONTHLY_PERFORMANCE_CARD, ...): the calendar month before.
CREATE OR REPLACE FUNCTION public.pms_report_period(p_kind text, p_as_of date, p_unit text DEFAULT NULL,
                                                    OUT period_start date, OUT period_end date)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
    SELECT s::date, (s + u - interval '1 day')::date
      FROM (SELECT CASE
                       WHEN p_kind = 'WEEKLY_SUMMARY' OR (p_kind = 'PERIOD_COMPARISON' AND p_unit = 'week') THEN interval '1 week'
                       WHEN p_kind = 'QUARTERLY_REVIEW' OR (p_kind = 'PERIOD_COMPARISON' AND p_unit = 'quarter') THEN interval '3 months'
                       ELSE interval '1 month' END AS u,
                   CASE
                       WHEN p_kind = 'WEEKLY_SUMMARY' OR (p_kind = 'PERIOD_COMPARISON' AND p_unit = 'week') THEN 'week'
                       WHEN p_kind = 'QUARTERLY_REVIEW' OR (p_kind = 'PERIOD_COMPARISON' AND p_unit = 'quarter') THEN 'quarter'
                       ELSE 'month' END AS f) k
     CROSS JOIN LATERAL (SELECT date_trunc(k.f, p_as_of::timestamp) - k.u AS s) x
$$;

-- Per person the caller may see, the figures of one period [p_start, p_end] (days, UTC).
CREATE OR REPLACE FUNCTION public.pms_report_person_figures(p_start date, p_end date, p_department uuid DEFAULT NULL)
    RETURNS TABLE (person_id uuid, name text, department text, goals_total int, goals_completed int,
                   avg_goal_progress numeric, feedback_received int, feedback_given int, one_on_ones_held int,
                   reviews_submitted int, avg_rating numeric, latest_rating numeric, engagement_score numeric)
    LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    WITH bounds AS (
        SELECT (p_start::timestamp AT TIME ZONE 'UTC') AS t0, ((p_end + 1)::timestamp AT TIME ZONE 'UTC') AS t1
    ), people AS (
        SELECT u.id, u.first_name || ' ' || u.last_name AS name, dp.name AS department, u.last_name, u.first_name
          FROM public.users u
          LEFT JOIN public.departments dp ON dp.tenant_id = u.tenant_id AND dp.id = u.department_id
         WHERE u.tenant_id = public.pms_current_tenant() AND u.deleted_at IS NULL AND u.status <> 'TERMINATED'
           AND (p_department IS NULL OR u.department_id = p_department)
           AND public.pms_can_see_person(u.id, 'REVIEWS')
    )
    SELECT p.id, p.name, p.department,
           g.total, g.completed, g.avg_progress,
           (SELECT count(*)::int FROM public.feedback f, bounds b
             WHERE f.recipient_id = p.id AND f.deleted_at IS NULL AND f.created_at >= b.t0 AND f.created_at < b.t1),
           (SELECT count(*)::int FROM public.feedback f, bounds b
             WHERE f.giver_id = p.id AND f.deleted_at IS NULL AND f.created_at >= b.t0 AND f.created_at < b.t1),
           (SELECT count(*)::int FROM public.one_on_ones o, bounds b
             WHERE o.employee_id = p.id AND o.deleted_at IS NULL AND o.status = 'COMPLETED'
               AND coalesce(o.completed_at, o.scheduled_at) >= b.t0 AND coalesce(o.completed_at, o.scheduled_at) < b.t1),
           r.submitted, r.avg_rating,
           (SELECT lr.overall_rating FROM public.performance_reviews lr, bounds b
             WHERE lr.reviewee_id = p.id AND lr.deleted_at IS NULL AND lr.review_type = 'MANAGER'
               AND lr.overall_rating IS NOT NULL AND lr.submitted_at < b.t1
             ORDER BY lr.submitted_at DESC, lr.id DESC LIMIT 1),
           (SELECT e.score FROM public.engagement_scores e
             WHERE e.tenant_id = public.pms_current_tenant() AND e.user_id = p.id AND e.driver = 'overall' AND e.period_start <= p_end
             ORDER BY e.period_start DESC, e.id DESC LIMIT 1)
      FROM people p
     CROSS JOIN LATERAL (
        SELECT count(*)::int AS total,
               count(*) FILTER (WHERE gl.status = 'COMPLETED')::int AS completed,
               round(avg(gl.progress), 2) AS avg_progress
          FROM public.goals gl
         WHERE gl.owner_id = p.id AND gl.deleted_at IS NULL AND gl.status <> 'CANCELLED'
           AND gl.period_start <= p_end AND gl.period_end >= p_start) g
     CROSS JOIN LATERAL (
        SELECT count(*)::int AS submitted, round(avg(rv.overall_rating), 2) AS avg_rating
          FROM public.performance_reviews rv, bounds b
         WHERE rv.reviewee_id = p.id AND rv.deleted_at IS NULL
           AND rv.submitted_at >= b.t0 AND rv.submitted_at < b.t1) r
     ORDER BY p.last_name, p.first_name, p.id
$$;

-- The report: {"kind", "period_start", "period_end", "columns": [names], "rows": [[values]]}.
-- p_definition may carry "department_id" (only that department's people) and, for a
-- PERIOD_COMPARISON, "period" (week, month, quarter: what one period is; the previous period of
-- the same length before p_start is the one compared with).
CREATE OR REPLACE FUNCTION public.pms_report_content(p_kind text, p_start date, p_end date, p_definition jsonb DEFAULT '{}')
    RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
DECLARE
    v_dept uuid := nullif(p_definition ->> 'department_id', '')::uuid;
    v_columns text[];
    v_rows jsonb;
    v_prev_start date;
    v_prev_end date;
BEGIN
    IF p_start IS NULL OR p_end IS NULL OR p_end < p_start THEN
        RAISE EXCEPTION 'a report needs a period whose end is not before its start' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    CASE p_kind
    WHEN 'WEEKLY_SUMMARY' THEN
        v_columns := ARRAY['person_id', 'name', 'department', 'goals_total', 'goals_completed', 'feedback_received',
                           'feedback_given', 'one_on_ones_held'];
        SELECT coalesce(jsonb_agg(jsonb_build_array(f.person_id, f.name, f.department, f.goals_total, f.goals_completed,
                                                    f.feedback_received, f.feedback_given, f.one_on_ones_held)), '[]')
          INTO v_rows FROM public.pms_report_person_figures(p_start, p_end, v_dept) f;
    WHEN 'MONTHLY_PERFORMANCE_CARD' THEN
        v_columns := ARRAY['person_id', 'name', 'department', 'goals_total', 'goals_completed', 'avg_goal_progress',
                           'feedback_received', 'one_on_ones_held', 'latest_rating', 'engagement_score'];
        SELECT coalesce(jsonb_agg(jsonb_build_array(f.person_id, f.name, f.department, f.goals_total, f.goals_completed,
                                                    f.avg_goal_progress, f.feedback_received, f.one_on_ones_held,
                                                    f.latest_rating, f.engagement_score)), '[]')
          INTO v_rows FROM public.pms_report_person_figures(p_start, p_end, v_dept) f;
    WHEN 'QUARTERLY_REVIEW' THEN
        v_columns := ARRAY['person_id', 'name', 'department', 'reviews_submitted', 'avg_rating', 'latest_rating',
                           'goals_total', 'goals_completed', 'avg_goal_progress', 'feedback_received', 'engagement_score'];
        SELECT coalesce(jsonb_agg(jsonb_build_array(f.person_id, f.name, f.department, f.reviews_submitted, f.avg_rating,
                                                    f.latest_rating, f.goals_total, f.goals_completed, f.avg_goal_progress,
                                                    f.feedback_received, f.engagement_score)), '[]')
          INTO v_rows FROM public.pms_report_person_figures(p_start, p_end, v_dept) f;
    WHEN 'PERIOD_COMPARISON' THEN
        v_prev_end := p_start - 1;
        v_prev_start := CASE coalesce(p_definition ->> 'period', 'month')
            WHEN 'week' THEN p_start - 7
            WHEN 'quarter' THEN (p_start - interval '3 months')::date
            ELSE (p_start - interval '1 month')::date END;
        v_columns := ARRAY['person_id', 'name', 'metric', 'previous', 'current', 'change'];
        SELECT coalesce(jsonb_agg(jsonb_build_array(c.person_id, c.name, m.metric, m.prev, m.cur, m.cur - m.prev)
                                  ORDER BY c.ord, m.ord), '[]')
          INTO v_rows
          FROM (SELECT row_number() OVER () AS ord, f.* FROM public.pms_report_person_figures(p_start, p_end, v_dept) f) c
          JOIN public.pms_report_person_figures(v_prev_start, v_prev_end, v_dept) p ON p.person_id = c.person_id
         CROSS JOIN LATERAL (VALUES
               (1, 'goals_completed', p.goals_completed::numeric, c.goals_completed::numeric),
               (2, 'avg_goal_progress', p.avg_goal_progress, c.avg_goal_progress),
               (3, 'feedback_received', p.feedback_received::numeric, c.feedback_received::numeric),
               (4, 'one_on_ones_held', p.one_on_ones_held::numeric, c.one_on_ones_held::numeric),
               (5, 'avg_rating', p.avg_rating, c.avg_rating)) AS m(ord, metric, prev, cur);
    WHEN 'GOAL_PROGRESS' THEN
        v_columns := ARRAY['person_id', 'name', 'department', 'goals_total', 'goals_completed', 'avg_goal_progress'];
        SELECT coalesce(jsonb_agg(jsonb_build_array(f.person_id, f.name, f.department, f.goals_total, f.goals_completed,
                                                    f.avg_goal_progress)), '[]')
          INTO v_rows FROM public.pms_report_person_figures(p_start, p_end, v_dept) f;
    WHEN 'REVIEW_COMPLETION' THEN
        v_columns := ARRAY['person_id', 'name', 'department', 'reviews_submitted', 'avg_rating'];
        SELECT coalesce(jsonb_agg(jsonb_build_array(f.person_id, f.name, f.department, f.reviews_submitted, f.avg_rating)), '[]')
          INTO v_rows FROM public.pms_report_person_figures(p_start, p_end, v_dept) f;
    ELSE
        -- The schema's other report types (081_api_f_01_reports.sql).
        SELECT o.report_columns, o.report_rows INTO v_columns, v_rows
          FROM public.pms_report_content_other_kinds(p_kind, p_start, p_end, p_definition) o;
    END CASE;
    RETURN jsonb_build_object('kind', p_kind, 'period_start', p_start, 'period_end', p_end,
                              'previous_period', CASE WHEN v_prev_start IS NOT NULL
                                                      THEN jsonb_build_object('start', v_prev_start, 'end', v_prev_end) END,
                              'columns', to_jsonb(v_columns), 'rows', v_rows);
END
$$;
