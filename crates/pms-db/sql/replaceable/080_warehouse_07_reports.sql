-- Reports over the star: the questions people ask of the warehouse, as set-returning functions
-- that run as their caller (SECURITY INVOKER, the default), so forced RLS applies and a
-- reporting session sees its own tenant (app.tenant_id) and nothing else. Each also filters on
-- that tenant explicitly, so a role that bypasses RLS gets one tenant too, and none without it.
-- `pms warehouse report NAME` calls them (pms-warehouse lists the same names). Dates are the
-- warehouse's UTC days; p_from and p_to bound the fact's day, both inclusive, NULL for open.

-- The tenant of the session, or NULL (no rows) when none is set.
CREATE OR REPLACE FUNCTION warehouse.report_tenant() RETURNS uuid
    LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT nullif(current_setting('app.tenant_id', true), '')::uuid
$$;

-- Does a fact's day fall in [p_from, p_to]?
CREATE OR REPLACE FUNCTION warehouse.report_in_range(p_date_key integer, p_from date, p_to date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
    SELECT (p_from IS NULL OR p_date_key >= warehouse.date_key(p_from))
       AND (p_to IS NULL OR p_date_key <= warehouse.date_key(p_to))
$$;

-- Rating distribution per department (as of the review) and cycle, in half-point bands (a band
-- is its lower bound: 3.5 holds 3.50 to 3.99): how many reviews had their original rating in
-- the band, and how many their calibrated one (the accepted calibration, else the original).
CREATE OR REPLACE FUNCTION warehouse.report_rating_distribution(p_from date DEFAULT NULL, p_to date DEFAULT NULL)
    RETURNS TABLE (department text, cycle text, rating numeric, original_reviews bigint, calibrated_reviews bigint)
    LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT d.name, c.name, b.band,
           count(*) FILTER (WHERE b.kind = 'original'), count(*) FILTER (WHERE b.kind = 'calibrated')
      FROM warehouse.fact_performance_review f
      LEFT JOIN warehouse.dim_department d ON d.tenant_id = f.tenant_id AND d.department_key = f.department_key
      LEFT JOIN warehouse.dim_review_cycle c ON c.tenant_id = f.tenant_id AND c.cycle_key = f.cycle_key
     CROSS JOIN LATERAL (VALUES ('original', (floor(f.original_rating * 2) / 2)::numeric(3, 1)),
                                ('calibrated', (floor(coalesce(f.calibrated_rating, f.original_rating) * 2) / 2)::numeric(3, 1))) b (kind, band)
     WHERE f.tenant_id = warehouse.report_tenant() AND b.band IS NOT NULL
       AND warehouse.report_in_range(f.date_key, p_from, p_to)
     GROUP BY d.name, c.name, c.period_start, b.band
     ORDER BY d.name NULLS LAST, c.period_start NULLS LAST, c.name, b.band
$$;

-- Engagement trend by department (as of the answer) per week (ISO, from Monday) or month: the
-- sample-weighted mean score per source (SURVEY answers, PULSE moods, the WEEKLY rollup per
-- metric), which are on different scales and so never averaged together.
CREATE OR REPLACE FUNCTION warehouse.report_engagement_trend(p_grain text DEFAULT 'month', p_from date DEFAULT NULL,
                                                             p_to date DEFAULT NULL)
    RETURNS TABLE (department text, period_start date, source text, metric text, samples bigint, avg_score numeric)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
    IF p_grain IS NULL OR p_grain NOT IN ('week', 'month') THEN
        RAISE EXCEPTION 'engagement trend grain must be week or month, not %', coalesce(p_grain, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT d.name, date_trunc(p_grain, dd.date)::date, f.source, f.metric_name,
           sum(f.sample_count)::bigint,
           round((sum(f.score * f.sample_count) / sum(f.sample_count))::numeric, 3)
      FROM warehouse.fact_engagement f
      JOIN warehouse.dim_date dd ON dd.tenant_id = f.tenant_id AND dd.date_key = f.date_key
      LEFT JOIN warehouse.dim_department d ON d.tenant_id = f.tenant_id AND d.department_key = f.department_key
     WHERE f.tenant_id = warehouse.report_tenant() AND f.score IS NOT NULL
       AND warehouse.report_in_range(f.date_key, p_from, p_to)
     GROUP BY 1, 2, 3, 4
     ORDER BY 1 NULLS LAST, 2, 3, 4;
END
$$;

-- Feedback volume and sentiment per month: items given, how many anonymously, how many carry
-- a sentiment score, its mean, and how many were positive, neutral (0) or negative.
CREATE OR REPLACE FUNCTION warehouse.report_feedback_monthly(p_from date DEFAULT NULL, p_to date DEFAULT NULL)
    RETURNS TABLE (month date, feedback bigint, anonymous bigint, scored bigint, avg_sentiment numeric,
                   positive bigint, neutral bigint, negative bigint)
    LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT dd.month_start, count(*), count(*) FILTER (WHERE f.is_anonymous), count(f.sentiment_score),
           round(avg(f.sentiment_score), 3),
           count(*) FILTER (WHERE f.sentiment_score > 0), count(*) FILTER (WHERE f.sentiment_score = 0),
           count(*) FILTER (WHERE f.sentiment_score < 0)
      FROM warehouse.fact_feedback f
      JOIN warehouse.dim_date dd ON dd.tenant_id = f.tenant_id AND dd.date_key = f.date_key
     WHERE f.tenant_id = warehouse.report_tenant() AND warehouse.report_in_range(f.date_key, p_from, p_to)
     GROUP BY dd.month_start
     ORDER BY dd.month_start
$$;

-- Goal completion by team and calendar quarter of the goal's period end: goals, completed
-- ones, the completion rate (percent) and the mean progress. Goals of no team form their own row.
CREATE OR REPLACE FUNCTION warehouse.report_goal_completion(p_from date DEFAULT NULL, p_to date DEFAULT NULL)
    RETURNS TABLE (team text, year integer, quarter integer, goals bigint, completed bigint,
                   completion_pct numeric, avg_progress numeric)
    LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT t.name, dd.year::integer, dd.quarter::integer, count(*), count(*) FILTER (WHERE f.is_completed),
           round(100.0 * count(*) FILTER (WHERE f.is_completed) / count(*), 1), round(avg(f.progress), 2)
      FROM warehouse.fact_goal_progress f
      JOIN warehouse.dim_date dd ON dd.tenant_id = f.tenant_id AND dd.date_key = f.date_key
      LEFT JOIN warehouse.dim_team t ON t.tenant_id = f.tenant_id AND t.team_key = f.team_key
     WHERE f.tenant_id = warehouse.report_tenant() AND warehouse.report_in_range(f.date_key, p_from, p_to)
     GROUP BY t.name, dd.year, dd.quarter
     ORDER BY t.name NULLS LAST, dd.year, dd.quarter
$$;

GRANT EXECUTE ON FUNCTION warehouse.report_tenant(), warehouse.report_in_range(integer, date, date),
    warehouse.report_rating_distribution(date, date), warehouse.report_engagement_trend(text, date, date),
    warehouse.report_feedback_monthly(date, date), warehouse.report_goal_completion(date, date)
    TO pms_readonly, pms_maintenance;
