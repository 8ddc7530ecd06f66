-- Time-series engine, core helpers: bucketing and registry look-ups.

-- Buckets like TimescaleDB's time_bucket: month-based widths align to 2000-01-01, other
-- widths to Monday 2000-01-03 (UTC), so weeks start on Monday and days at midnight UTC.
-- Not STRICT on purpose: the planner then inlines it (a NULL argument still gives NULL).
CREATE OR REPLACE FUNCTION timeseries.bucket(width interval, ts timestamptz) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN width = interval '1 month' THEN
            date_trunc('month', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        WHEN date_part('year', width) <> 0 OR date_part('month', width) <> 0 THEN
            (timestamp '2000-01-01' + make_interval(months => (
                floor(((date_part('year', ts AT TIME ZONE 'UTC') - 2000) * 12 + date_part('month', ts AT TIME ZONE 'UTC') - 1)
                      / (date_part('year', width) * 12 + date_part('month', width)))
                * (date_part('year', width) * 12 + date_part('month', width)))::integer)) AT TIME ZONE 'UTC'
        ELSE date_bin(width, ts, timestamptz '2000-01-03 00:00:00+00')
    END
$$;
GRANT EXECUTE ON FUNCTION timeseries.bucket(interval, timestamptz) TO pms_app, pms_maintenance, pms_readonly;

-- `time_bucket` without TimescaleDB; when the extension is installed its own function wins.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts timestamptz) RETURNS timestamptz
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT timeseries.bucket(bucket_width, ts)';
    END IF;
END
$$;

-- How far a rollup is materialized ('-infinity' before its first refresh). PL/pgSQL on
-- purpose: a SQL function with a subquery is not inlined and re-plans its body at every call
-- site of every execution, while PL/pgSQL keeps its plan for the session; the rollup views call
-- this a few times per read (index conditions, run-time partition pruning).
CREATE OR REPLACE FUNCTION timeseries.watermark(rollup text) RETURNS timestamptz
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN coalesce((SELECT r.watermark FROM timeseries.rollups r WHERE r.name = rollup), '-infinity'::timestamptz);
END
$$;
GRANT EXECUTE ON FUNCTION timeseries.watermark(text) TO pms_app, pms_maintenance, pms_readonly;

-- Changes a hypertable's settings (NULL keeps a setting). A new chunk interval applies to
-- chunks created from now on; existing chunks keep their bounds.
CREATE OR REPLACE FUNCTION timeseries.set_policy(
    p_hypertable text,
    p_chunk_interval interval DEFAULT NULL,
    p_retention interval DEFAULT NULL,
    p_compress_after interval DEFAULT NULL,
    p_chunks_ahead integer DEFAULT NULL
) RETURNS timeseries.hypertables LANGUAGE plpgsql AS $$
DECLARE
    h timeseries.hypertables;
BEGIN
    UPDATE timeseries.hypertables SET
        chunk_interval = coalesce(p_chunk_interval, chunk_interval),
        retention = coalesce(p_retention, retention),
        compress_after = coalesce(p_compress_after, compress_after),
        chunks_ahead = coalesce(p_chunks_ahead, chunks_ahead),
        updated_at = now()
    WHERE name = p_hypertable
    RETURNING * INTO h;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown hypertable %', p_hypertable USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN h;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.set_policy(text, interval, interval, interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.set_policy(text, interval, interval, interval, integer) TO pms_maintenance;

-- Registers a metric name for a hypertable (idempotent).
CREATE OR REPLACE FUNCTION timeseries.register_metric(p_name text, p_hypertable text, p_description text DEFAULT NULL)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO timeseries.metrics (name, hypertable, description) VALUES (p_name, p_hypertable, p_description)
    ON CONFLICT (name) DO UPDATE SET description = coalesce(excluded.description, timeseries.metrics.description)
        WHERE timeseries.metrics.hypertable = excluded.hypertable
$$;
REVOKE EXECUTE ON FUNCTION timeseries.register_metric(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.register_metric(text, text, text) TO pms_maintenance;

-- Who a user's rows roll up to besides themselves and their tenant: department and current
-- teams. Rollup rows of teams and departments follow it (030_timeseries_06_membership.sql).
CREATE OR REPLACE VIEW timeseries.user_groups WITH (security_invoker = true) AS
    SELECT u.tenant_id, u.id AS user_id, 'department'::text AS grain, u.department_id AS subject_id
    FROM public.users u WHERE u.department_id IS NOT NULL
    UNION ALL
    SELECT m.tenant_id, m.user_id, 'team'::text, m.team_id
    FROM public.team_members m WHERE m.left_on IS NULL;
GRANT SELECT ON timeseries.user_groups TO pms_app, pms_maintenance, pms_readonly;
