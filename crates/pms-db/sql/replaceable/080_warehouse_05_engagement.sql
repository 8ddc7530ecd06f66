-- Warehouse sync, the facts from engagement (survey answers, pulse check-ins, the weekly
-- rollup) and from the daily performance rollup. Only materialized rollup buckets reach the
-- warehouse; buckets the refresh rewrote are found in warehouse.rollup_changes.

-- Survey answers and pulse check-ins: one fact each, the person and department as of the answer.
CREATE OR REPLACE FUNCTION warehouse.sync_fact_engagement_answers(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_ids uuid[];
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_ids;
    INSERT INTO wh_ids
    SELECT s.id FROM public.survey_responses s WHERE s.tenant_id = p_tenant AND s.updated_at >= p_since
    UNION SELECT p.id FROM public.pulse_responses p WHERE p.tenant_id = p_tenant AND p.updated_at >= p_since
    UNION SELECT t.row_id FROM warehouse.tombstones t WHERE t.tenant_id = p_tenant
             AND t.source_table IN ('survey_responses', 'pulse_responses') AND t.deleted_at >= p_since
    UNION SELECT s.id FROM public.survey_responses s
           WHERE p_since > '-infinity' AND s.tenant_id = p_tenant
             AND (s.respondent_id IN (SELECT id FROM wh_changed_users)
                  OR s.department_id IN (SELECT id FROM wh_changed_departments))
    UNION SELECT p.id FROM public.pulse_responses p
           WHERE p_since > '-infinity' AND p.tenant_id = p_tenant AND p.user_id IN (SELECT id FROM wh_changed_users);
    ANALYZE wh_ids;
    -- The changed ids as a constant array: their rows are found through the keys, not by joins
    -- over the tenant's whole table.
    v_ids := ARRAY(SELECT id FROM wh_ids);

    DROP TABLE IF EXISTS wh_stage_engagement;
    CREATE TEMP TABLE wh_stage_engagement ON COMMIT DROP AS
    SELECT a.tenant_id, a.source, a.source_id, ''::text AS metric_name, u.user_key, dd.department_key,
           warehouse.date_key(a.at) AS date_key, a.score, 1::bigint AS sample_count
    FROM (SELECT s.tenant_id, 'SURVEY'::text AS source, s.id AS source_id, s.respondent_id AS user_id,
                 s.department_id, s.submitted_at AS at, s.rating::double precision AS score
            FROM public.survey_responses s WHERE s.tenant_id = p_tenant AND s.id = ANY (v_ids)
          UNION ALL
          SELECT p.tenant_id, 'PULSE', p.id, p.user_id, NULL::uuid, p.responded_at, p.mood::double precision
            FROM public.pulse_responses p WHERE p.tenant_id = p_tenant AND p.id = ANY (v_ids)) a
    LEFT JOIN warehouse.dim_user u ON u.tenant_id = p_tenant AND u.user_id = a.user_id
          AND u.valid_from <= a.at AND a.at < u.valid_to
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant
          AND dd.department_id = coalesce(a.department_id, u.department_id)
          AND dd.valid_from <= a.at AND a.at < dd.valid_to;
    ANALYZE wh_stage_engagement;

    DELETE FROM warehouse.fact_engagement f
     WHERE f.tenant_id = p_tenant AND f.source IN ('SURVEY', 'PULSE') AND f.source_id = ANY (v_ids)
       AND NOT EXISTS (SELECT 1 FROM wh_stage_engagement s WHERE s.source = f.source AND s.source_id = f.source_id
                         AND s.date_key = f.date_key);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    RETURN v_total + warehouse.merge_fact_engagement(p_tenant, p_since = '-infinity' AND NOT EXISTS (
        SELECT 1 FROM warehouse.fact_engagement f WHERE f.tenant_id = p_tenant AND f.source IN ('SURVEY', 'PULSE')));
END
$$;

-- Upserts the staged engagement rows, writing only those that differ; p_fresh: none of them
-- can conflict with a row already there (a source read whole, of which the tenant has no fact).
DROP FUNCTION IF EXISTS warehouse.merge_fact_engagement(uuid);
CREATE OR REPLACE FUNCTION warehouse.merge_fact_engagement(p_tenant uuid, p_fresh boolean) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_n bigint;
BEGIN
    IF p_fresh THEN
        -- Nothing to conflict with (a full rebuild, a first run): loaded, not merged.
        RETURN warehouse.load_facts('fact_engagement', p_tenant, 'wh_stage_engagement',
            'source, source_id, metric_name, user_key, department_key, date_key, score, sample_count');
    END IF;
    PERFORM warehouse.ensure_staged_months('fact_engagement', 'wh_stage_engagement');
    INSERT INTO warehouse.fact_engagement AS f (tenant_id, source, source_id, metric_name, user_key, department_key,
           date_key, score, sample_count)
    SELECT p_tenant, s.source, s.source_id, s.metric_name, s.user_key, s.department_key, s.date_key, s.score, s.sample_count
    FROM wh_stage_engagement s
    ON CONFLICT (tenant_id, source, source_id, metric_name, date_key) DO UPDATE
       SET user_key = excluded.user_key, department_key = excluded.department_key, score = excluded.score,
           sample_count = excluded.sample_count
     WHERE (f.user_key, f.department_key, f.score, f.sample_count)
           IS DISTINCT FROM (excluded.user_key, excluded.department_key, excluded.score, excluded.sample_count);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;

-- The first day (date key) that starts at or after p_at: the rollup facts of a person whose
-- versions changed from p_at on are those of that day and later.
CREATE OR REPLACE FUNCTION warehouse.first_day_from(p_at timestamptz) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_at < '1000-01-02' THEN 10000101
                ELSE warehouse.date_key(p_at + interval '1 day' - interval '1 microsecond') END
$$;

-- The rollup buckets to re-read: those rewritten since the watermark (all on a first run).
CREATE OR REPLACE FUNCTION warehouse.changed_buckets(p_tenant uuid, p_rollup text, p_since timestamptz) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    TRUNCATE wh_buckets;
    IF p_since > '-infinity' THEN
        INSERT INTO wh_buckets SELECT DISTINCT c.bucket FROM warehouse.rollup_changes c
         WHERE c.tenant_id = p_tenant AND c.rollup = p_rollup AND c.changed_at >= p_since;
    END IF;
    ANALYZE wh_buckets;
END
$$;

-- The weekly engagement rollup at the person grain: one fact per person, metric and week.
CREATE OR REPLACE FUNCTION warehouse.sync_fact_engagement_weekly(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_all boolean := p_since = '-infinity';
    v_days integer[];
    v_n bigint;
    v_total bigint;
BEGIN
    PERFORM warehouse.changed_buckets(p_tenant, 'engagement_metrics_weekly', p_since);
    DROP TABLE IF EXISTS wh_stage_engagement;
    CREATE TEMP TABLE wh_stage_engagement ON COMMIT DROP AS
    SELECT 'WEEKLY'::text AS source, m.subject_id AS source_id, m.metric_name, u.user_key, dd.department_key,
           warehouse.date_key(m.bucket) AS date_key, m.sum_value / m.sample_count AS score, m.sample_count
    -- Everything on a first run; else the re-read buckets and the changed people's rows from
    -- their first changed version on, each through its index (driven by the small sets).
    FROM (SELECT m0.* FROM timeseries.engagement_metrics_weekly_mat m0 WHERE v_all AND m0.tenant_id = p_tenant AND m0.grain = 'user'
          UNION ALL
          SELECT m1.* FROM wh_buckets b
          CROSS JOIN LATERAL (SELECT * FROM timeseries.engagement_metrics_weekly_mat x WHERE NOT v_all AND x.tenant_id = p_tenant
                                 AND x.bucket = b.bucket AND x.grain = 'user') m1
          UNION ALL
          SELECT m2.* FROM wh_changed_users c
          CROSS JOIN LATERAL (SELECT * FROM timeseries.engagement_metrics_weekly_mat x WHERE NOT v_all AND x.tenant_id = p_tenant AND x.grain = 'user'
                                 AND x.subject_id = c.id AND x.bucket >= c.since_at) m2
           WHERE m2.bucket NOT IN (SELECT bucket FROM wh_buckets)) m
    LEFT JOIN warehouse.dim_user u ON u.tenant_id = p_tenant AND u.user_id = m.subject_id
          AND u.valid_from <= m.bucket AND m.bucket < u.valid_to
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant AND dd.department_id = u.department_id
          AND dd.valid_from <= m.bucket AND m.bucket < dd.valid_to;
    ANALYZE wh_stage_engagement;
    -- Facts of the re-read buckets and people that the rollup no longer has (one statement
    -- per access path: by day, by person).
    IF v_all THEN
        DELETE FROM warehouse.fact_engagement f
         WHERE f.tenant_id = p_tenant AND f.source = 'WEEKLY'
           AND NOT EXISTS (SELECT 1 FROM wh_stage_engagement s WHERE s.source_id = f.source_id
                             AND s.metric_name = f.metric_name AND s.date_key = f.date_key);
        GET DIAGNOSTICS v_total = ROW_COUNT;
        v_n := 0;
    ELSE
        -- The re-read days as a constant array: only their months are scanned, by day.
        v_days := ARRAY(SELECT DISTINCT warehouse.date_key(bucket) FROM wh_buckets);
        DELETE FROM warehouse.fact_engagement f
         WHERE f.tenant_id = p_tenant AND f.source = 'WEEKLY' AND f.date_key = ANY (v_days)
           AND NOT EXISTS (SELECT 1 FROM wh_stage_engagement s WHERE s.source_id = f.source_id
                             AND s.metric_name = f.metric_name AND s.date_key = f.date_key);
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_total := v_n;
        -- Driven by the changed people, through the natural key (person, then day).
        DELETE FROM warehouse.fact_engagement f
         USING wh_changed_users c
         WHERE f.tenant_id = p_tenant AND f.source = 'WEEKLY' AND f.source_id = c.id
           AND f.date_key >= warehouse.first_day_from(c.since_at)
           AND NOT EXISTS (SELECT 1 FROM wh_stage_engagement s WHERE s.source_id = f.source_id
                             AND s.metric_name = f.metric_name AND s.date_key = f.date_key);
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;
    RETURN v_total + v_n + warehouse.merge_fact_engagement(p_tenant, v_all AND NOT EXISTS (
        SELECT 1 FROM warehouse.fact_engagement f WHERE f.tenant_id = p_tenant AND f.source = 'WEEKLY'));
END
$$;

-- The daily performance rollup at the person grain: one fact per person, metric and day.
CREATE OR REPLACE FUNCTION warehouse.sync_fact_performance_daily(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_all boolean := p_since = '-infinity';
    v_days integer[];
    v_n bigint;
    v_total bigint := 0;
BEGIN
    PERFORM warehouse.changed_buckets(p_tenant, 'performance_metrics_daily', p_since);
    DROP TABLE IF EXISTS wh_stage_daily;
    CREATE TEMP TABLE wh_stage_daily ON COMMIT DROP AS
    SELECT m.subject_id AS user_id, u.user_key, dd.department_key, warehouse.date_key(m.bucket) AS date_key,
           m.metric_name, m.sample_count, m.sum_value / m.sample_count AS avg_value, m.min_value, m.max_value
    -- Everything on a first run; else the re-read buckets and the changed people's rows from
    -- their first changed version on, each through its index (driven by the small sets).
    FROM (SELECT m0.* FROM timeseries.performance_metrics_daily_mat m0 WHERE v_all AND m0.tenant_id = p_tenant AND m0.grain = 'user'
          UNION ALL
          SELECT m1.* FROM wh_buckets b
          CROSS JOIN LATERAL (SELECT * FROM timeseries.performance_metrics_daily_mat x WHERE NOT v_all AND x.tenant_id = p_tenant
                                 AND x.bucket = b.bucket AND x.grain = 'user') m1
          UNION ALL
          SELECT m2.* FROM wh_changed_users c
          CROSS JOIN LATERAL (SELECT * FROM timeseries.performance_metrics_daily_mat x WHERE NOT v_all AND x.tenant_id = p_tenant AND x.grain = 'user'
                                 AND x.subject_id = c.id AND x.bucket >= c.since_at) m2
           WHERE m2.bucket NOT IN (SELECT bucket FROM wh_buckets)) m
    LEFT JOIN warehouse.dim_user u ON u.tenant_id = p_tenant AND u.user_id = m.subject_id
          AND u.valid_from <= m.bucket AND m.bucket < u.valid_to
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant AND dd.department_id = u.department_id
          AND dd.valid_from <= m.bucket AND m.bucket < dd.valid_to;
    ANALYZE wh_stage_daily;
    IF v_all THEN
        DELETE FROM warehouse.fact_performance_daily f
         WHERE f.tenant_id = p_tenant
           AND NOT EXISTS (SELECT 1 FROM wh_stage_daily s WHERE s.user_id = f.user_id
                             AND s.metric_name = f.metric_name AND s.date_key = f.date_key);
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_total := v_n;
    ELSE
        -- The re-read days as a constant array: only their months are scanned, by day.
        v_days := ARRAY(SELECT DISTINCT warehouse.date_key(bucket) FROM wh_buckets);
        DELETE FROM warehouse.fact_performance_daily f
         WHERE f.tenant_id = p_tenant AND f.date_key = ANY (v_days)
           AND NOT EXISTS (SELECT 1 FROM wh_stage_daily s WHERE s.user_id = f.user_id
                             AND s.metric_name = f.metric_name AND s.date_key = f.date_key);
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_total := v_n;
        -- Driven by the changed people, through the natural key (person, then day).
        DELETE FROM warehouse.fact_performance_daily f
         USING wh_changed_users c
         WHERE f.tenant_id = p_tenant AND f.user_id = c.id
           AND f.date_key >= warehouse.first_day_from(c.since_at)
           AND NOT EXISTS (SELECT 1 FROM wh_stage_daily s WHERE s.user_id = f.user_id
                             AND s.metric_name = f.metric_name AND s.date_key = f.date_key);
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_total := v_total + v_n;
    END IF;
    IF v_all AND NOT EXISTS (SELECT 1 FROM warehouse.fact_performance_daily WHERE tenant_id = p_tenant) THEN
        RETURN v_total + warehouse.load_facts('fact_performance_daily', p_tenant, 'wh_stage_daily',
            'user_id, user_key, department_key, date_key, metric_name, sample_count, avg_value, min_value, max_value');
    END IF;
    PERFORM warehouse.ensure_staged_months('fact_performance_daily', 'wh_stage_daily');
    INSERT INTO warehouse.fact_performance_daily AS f (tenant_id, user_id, user_key, department_key, date_key,
           metric_name, sample_count, avg_value, min_value, max_value)
    SELECT p_tenant, s.user_id, s.user_key, s.department_key, s.date_key, s.metric_name, s.sample_count,
           s.avg_value, s.min_value, s.max_value
    FROM wh_stage_daily s
    ON CONFLICT (tenant_id, date_key, user_id, metric_name) DO UPDATE
       SET user_key = excluded.user_key, department_key = excluded.department_key,
           sample_count = excluded.sample_count, avg_value = excluded.avg_value,
           min_value = excluded.min_value, max_value = excluded.max_value
     WHERE (f.user_key, f.department_key, f.sample_count, f.avg_value, f.min_value, f.max_value)
           IS DISTINCT FROM (excluded.user_key, excluded.department_key, excluded.sample_count, excluded.avg_value,
            excluded.min_value, excluded.max_value);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;
