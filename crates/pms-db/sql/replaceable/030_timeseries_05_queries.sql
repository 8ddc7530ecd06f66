-- Time-series engine, the SQL contract: query functions, status and the maintenance entry point.

-- Every point of one user's performance metrics in the last p_days days (raw or compressed).
-- SECURITY INVOKER: RLS decides what the caller sees; another tenant's id returns nothing.
CREATE OR REPLACE FUNCTION public.get_recent_performance_metrics(p_tenant_id uuid, p_user_id uuid, p_days integer DEFAULT 30)
    RETURNS TABLE (metric_name text, value double precision, recorded_at timestamptz)
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_tenant_id IS NULL OR p_user_id IS NULL THEN
        RAISE EXCEPTION 'get_recent_performance_metrics: tenant and user are required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_days IS NULL OR p_days < 1 OR p_days > 3650 THEN
        RAISE EXCEPTION 'get_recent_performance_metrics: days must be between 1 and 3650, got %', p_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
        SELECT p.metric_name, p.value, p.recorded_at
        FROM timeseries.performance_metrics_ts_points(now() - make_interval(days => p_days), 'infinity') p
        WHERE p.tenant_id = p_tenant_id AND p.user_id = p_user_id
        ORDER BY p.recorded_at, p.metric_name;
END
$$;

-- The direction of one user's engagement over a period: the least-squares slope of the daily
-- average of their engagement metrics, in points per day. |slope| < 0.05 is STABLE; fewer
-- than two days with data is NO_DATA.
CREATE OR REPLACE FUNCTION public.calculate_engagement_trend(p_tenant_id uuid, p_user_id uuid, p_period interval DEFAULT '90 days')
    RETURNS TABLE (trend text, slope double precision, days_with_data bigint, average double precision)
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_tenant_id IS NULL OR p_user_id IS NULL THEN
        RAISE EXCEPTION 'calculate_engagement_trend: tenant and user are required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_period IS NULL OR p_period <= interval '0' OR p_period > interval '10 years' THEN
        RAISE EXCEPTION 'calculate_engagement_trend: period must be positive and at most 10 years, got %', p_period
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
        WITH daily AS (
            SELECT timeseries.bucket('1 day', p.recorded_at) AS day, avg(p.value) AS v
            FROM timeseries.engagement_metrics_ts_points(now() - p_period, 'infinity') p
            WHERE p.tenant_id = p_tenant_id AND p.user_id = p_user_id
            GROUP BY 1),
        fit AS (
            SELECT regr_slope(d.v, extract(epoch FROM d.day) / 86400) AS s, count(*) AS n, avg(d.v) AS a FROM daily d)
        SELECT CASE WHEN f.n < 2 OR f.s IS NULL THEN 'NO_DATA'
                    WHEN f.s > 0.05 THEN 'UP'
                    WHEN f.s < -0.05 THEN 'DOWN'
                    ELSE 'STABLE' END,
               f.s, f.n, f.a
        FROM fit f;
END
$$;

-- One row per chunk: range, raw and compressed bytes (table + indexes + TOAST), state.
CREATE OR REPLACE FUNCTION timeseries.chunk_status()
    RETURNS TABLE (hypertable text, chunk_name text, range_start timestamptz, range_end timestamptz,
                   compressed boolean, raw_bytes bigint, compressed_bytes bigint)
    LANGUAGE sql STABLE AS $$
    SELECT c.hypertable, c.chunk_name, c.range_start, c.range_end, c.compressed_at IS NOT NULL,
           coalesce(pg_total_relation_size(to_regclass('timeseries.' || quote_ident(c.chunk_name))), 0),
           coalesce(pg_total_relation_size(to_regclass('timeseries.' || quote_ident(c.chunk_name || '_c'))), 0)
    FROM timeseries.chunks c
    ORDER BY c.hypertable, c.range_start
$$;
GRANT EXECUTE ON FUNCTION timeseries.chunk_status() TO pms_maintenance, pms_readonly;

-- One row per rollup: watermark, lag behind now, pending invalidations, last refresh.
CREATE OR REPLACE FUNCTION timeseries.rollup_status()
    RETURNS TABLE (rollup text, hypertable text, bucket_width interval, watermark timestamptz, lag interval,
                   pending_invalidations bigint, last_refresh_at timestamptz, last_refresh_ms double precision)
    LANGUAGE sql STABLE AS $$
    SELECT r.name, r.hypertable, r.bucket_width, r.watermark, now() - r.watermark,
           (SELECT count(*) FROM timeseries.rollup_invalidations i WHERE i.rollup = r.name)
         + (SELECT count(*) FROM timeseries.invalidations i WHERE i.hypertable = r.hypertable AND r.source_rollup IS NULL),
           r.last_refresh_at, r.last_refresh_ms
    FROM timeseries.rollups r
    ORDER BY r.refresh_order, r.name
$$;
GRANT EXECUTE ON FUNCTION timeseries.rollup_status() TO pms_maintenance, pms_readonly;

-- The engine's whole maintenance pass, for daily_data_maintenance(), the worker and
-- `pms maintenance run`: partitions ahead, rollups refreshed, chunks compressed, expired
-- chunks dropped, all at the instant p_now. Runs as pms_maintenance (cross-tenant); idempotent.
CREATE OR REPLACE FUNCTION public.timeseries_maintenance(p_now timestamptz DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql AS $$
DECLARE
    v_parts jsonb;
    v_rollups jsonb;
    v_comp jsonb;
    v_ret jsonb;
BEGIN
    v_parts := timeseries.create_future_chunks(p_now);
    v_rollups := timeseries.refresh_all_rollups(p_now);
    v_comp := timeseries.compress_due_chunks(p_now);
    v_ret := timeseries.apply_retention(p_now);
    RETURN jsonb_build_object(
        'partitions_created', v_parts -> 'partitions_created',
        'rollups_refreshed', v_rollups -> 'rollups_refreshed',
        'chunks_compressed', v_comp -> 'chunks_compressed',
        'chunks_dropped', v_ret -> 'chunks_dropped');
END
$$;
REVOKE EXECUTE ON FUNCTION public.timeseries_maintenance(timestamptz) FROM PUBLIC, pms_app, pms_readonly;
GRANT EXECUTE ON FUNCTION public.timeseries_maintenance(timestamptz) TO pms_maintenance;

-- The maintenance role runs every engine function; the application role only what its
-- reads and writes call (bucket, watermark, *_points, the trigger), granted where defined.
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA timeseries TO pms_maintenance;
