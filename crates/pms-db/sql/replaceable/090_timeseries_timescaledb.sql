-- The time-series engine on TimescaleDB (see migration 20261126200000): when the hypertables
-- were moved onto the extension, the engine's functions and public views are replaced here,
-- under the same names and signatures, by ones that use TimescaleDB's chunks, compression,
-- retention and continuous aggregates. Applied after the native files; a no-op on the native
-- backend.

DO $outer$
DECLARE
    h record;
    r record;
BEGIN
    IF timeseries.backend() <> 'timescaledb' THEN
        RETURN;
    END IF;

    -- Raw points in a range: through the tenant-filtered public view, compressed chunks
    -- included (TimescaleDB decompresses on read).
    FOR h IN SELECT name FROM timeseries.hypertables LOOP
        EXECUTE format($f$
            CREATE OR REPLACE FUNCTION timeseries.%1$I(p_from timestamptz, p_to timestamptz)
            RETURNS TABLE (tenant_id uuid, user_id uuid, metric_name text, value double precision, recorded_at timestamptz)
            LANGUAGE sql STABLE AS $body$
                SELECT r.tenant_id, r.user_id, r.metric_name, r.value, r.recorded_at
                FROM public.%2$I r
                WHERE r.recorded_at >= p_from AND r.recorded_at < p_to
            $body$ $f$, h.name || '_points', h.name);
    END LOOP;

    -- The public rollups, four grains of the current tenant: persons from the per-person
    -- continuous aggregate; teams and departments from their materialized rows
    -- (timeseries.<rollup>_mat, 091) below the rollup's watermark; the tenant from the
    -- hierarchical aggregate over the per-person one (daily, weekly) or, for monthly rollups,
    -- like the groups (migration 20261218100000 says why). From the watermark on, the groups
    -- (and a monthly tenant) are the per-person buckets summed over the current membership, or,
    -- for a rollup built on another one (monthly from daily), that rollup's own rows summed:
    -- a few materialized rows rather than a month of raw points. No CTE: each branch reads its
    -- source itself, so a caller's filters reach its index.
    FOR r IN SELECT ro.*, to_regclass(format('timeseries.%I', ro.name || '_tenant_cagg')) IS NOT NULL AS tenant_cagg
             FROM timeseries.rollups ro ORDER BY ro.refresh_order, ro.name LOOP
        EXECUTE format($f$
            CREATE OR REPLACE VIEW public.%1$I WITH (security_barrier = true) AS
            SELECT c.tenant_id, 'user'::text AS grain, c.user_id AS subject_id, c.metric_name, c.bucket, c.sample_count,
                   c.sum_value / c.sample_count AS avg_value, c.min_value, c.max_value, c.sum_value
            FROM timeseries.%2$I c WHERE c.tenant_id = public.pms_current_tenant()
            UNION ALL
            SELECT m.tenant_id, m.grain, m.subject_id, m.metric_name, m.bucket, m.sample_count,
                   m.sum_value / m.sample_count, m.min_value, m.max_value, m.sum_value
            FROM timeseries.%3$I m
            WHERE m.tenant_id = public.pms_current_tenant() AND m.bucket < timeseries.watermark(%1$L)
            UNION ALL
            %4$s$f$,
            r.name, r.name || '_cagg', r.name || '_mat',
            CASE
            WHEN r.source_rollup IS NOT NULL THEN format($t$
            SELECT s.tenant_id, s.grain, s.subject_id, s.metric_name, public.time_bucket(%1$L::interval, s.bucket), sum(s.sample_count)::bigint,
                   sum(s.sum_value) / sum(s.sample_count), min(s.min_value), max(s.max_value), sum(s.sum_value)
            FROM public.%2$I s
            WHERE s.grain <> 'user' AND s.bucket >= timeseries.watermark(%3$L)
            GROUP BY s.tenant_id, s.grain, s.subject_id, s.metric_name, 5$t$, r.bucket_width, r.source_rollup, r.name)
            ELSE format($t$
            SELECT c.tenant_id, g.grain, g.subject_id, c.metric_name, c.bucket, sum(c.sample_count)::bigint,
                   sum(c.sum_value) / sum(c.sample_count), min(c.min_value), max(c.max_value), sum(c.sum_value)
            FROM timeseries.%1$I c JOIN timeseries.user_groups g ON g.tenant_id = c.tenant_id AND g.user_id = c.user_id
            WHERE c.tenant_id = public.pms_current_tenant() AND c.bucket >= timeseries.watermark(%2$L)
            GROUP BY c.tenant_id, g.grain, g.subject_id, c.metric_name, c.bucket
            UNION ALL
            %3$s$t$, r.name || '_cagg', r.name,
                CASE WHEN r.tenant_cagg THEN format($u$
            SELECT t.tenant_id, 'tenant'::text, t.tenant_id, t.metric_name, t.bucket, t.sample_count::bigint,
                   t.sum_value / t.sample_count, t.min_value, t.max_value, t.sum_value
            FROM timeseries.%1$I t WHERE t.tenant_id = public.pms_current_tenant()$u$, r.name || '_tenant_cagg')
                ELSE format($u$
            SELECT c.tenant_id, 'tenant'::text, c.tenant_id, c.metric_name, c.bucket, sum(c.sample_count)::bigint,
                   sum(c.sum_value) / sum(c.sample_count), min(c.min_value), max(c.max_value), sum(c.sum_value)
            FROM timeseries.%1$I c
            WHERE c.tenant_id = public.pms_current_tenant() AND c.bucket >= timeseries.watermark(%2$L)
            GROUP BY c.tenant_id, c.metric_name, c.bucket$u$, r.name || '_cagg', r.name) END)
            END);
        EXECUTE format('COMMENT ON VIEW public.%I IS %L', r.name,
            format('[timeseries] Rollup of %s per %s bucket and person, group and tenant of the current tenant: TimescaleDB continuous aggregates (real-time) and materialized group rows', r.hypertable, r.bucket_width));
        EXECUTE format('GRANT SELECT ON public.%I TO pms_app, pms_maintenance, pms_readonly', r.name);
    END LOOP;

    -- TimescaleDB creates chunks as rows arrive: nothing to prepare.
    CREATE OR REPLACE FUNCTION timeseries.ensure_chunks(p_hypertable text, p_from timestamptz, p_to timestamptz)
        RETURNS integer LANGUAGE sql AS 'SELECT 0';
    CREATE OR REPLACE FUNCTION timeseries.create_future_chunks(p_now timestamptz DEFAULT now()) RETURNS jsonb
        LANGUAGE sql AS $$ SELECT jsonb_build_object('partitions_created', 0, 'backend', 'timescaledb') $$;

    -- The rollup job (refresh_all_rollups) is in 091.

    -- Compression and retention now, with the registry's intervals: the same work the
    -- TimescaleDB policies do on their schedule, for the worker and `pms maintenance run`.
    CREATE OR REPLACE FUNCTION timeseries.compress_due_chunks(p_now timestamptz DEFAULT now()) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DECLARE
        n bigint := 0;
        c record;
    BEGIN
        FOR c IN
            SELECT format('%I.%I', k.chunk_schema, k.chunk_name) AS chunk
            FROM timeseries.hypertables h
            JOIN timescaledb_information.chunks k
              ON k.hypertable_schema = 'timeseries' AND k.hypertable_name = h.name || '_hyper'
            WHERE NOT k.is_compressed AND k.range_end <= (p_now AT TIME ZONE 'UTC' - h.compress_after) AT TIME ZONE 'UTC'
            ORDER BY k.range_start
        LOOP
            PERFORM public.compress_chunk(c.chunk::regclass, if_not_compressed => true);
            n := n + 1;
        END LOOP;
        RETURN jsonb_build_object('chunks_compressed', n);
    END
    $$;

    CREATE OR REPLACE FUNCTION timeseries.apply_retention(p_now timestamptz DEFAULT now()) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DECLARE
        n bigint := 0;
        d bigint;
        h record;
    BEGIN
        FOR h IN SELECT * FROM timeseries.hypertables WHERE retention IS NOT NULL LOOP
            SELECT count(*) INTO d
            FROM public.drop_chunks(format('timeseries.%I', h.name || '_hyper')::regclass, older_than => (p_now AT TIME ZONE 'UTC' - h.retention) AT TIME ZONE 'UTC');
            n := n + d;
        END LOOP;
        RETURN jsonb_build_object('chunks_dropped', n);
    END
    $$;

    -- Operator levers on one chunk, by the name `pms timeseries status` shows.
    CREATE OR REPLACE FUNCTION timeseries.compress_chunk(p_chunk text) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DECLARE
        k record;
    BEGIN
        SELECT * INTO k FROM timescaledb_information.chunks c
        WHERE c.hypertable_schema = 'timeseries' AND c.chunk_name = p_chunk;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unknown chunk %', p_chunk USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF k.is_compressed THEN
            RAISE EXCEPTION 'chunk % is already compressed', p_chunk USING ERRCODE = 'invalid_parameter_value';
        END IF;
        PERFORM public.compress_chunk(format('%I.%I', k.chunk_schema, k.chunk_name)::regclass);
        RETURN 1;
    END
    $$;

    CREATE OR REPLACE FUNCTION timeseries.decompress_chunk(p_chunk text) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DECLARE
        k record;
        n bigint;
    BEGIN
        SELECT * INTO k FROM timescaledb_information.chunks c
        WHERE c.hypertable_schema = 'timeseries' AND c.chunk_name = p_chunk;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unknown chunk %', p_chunk USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF NOT k.is_compressed THEN
            RAISE EXCEPTION 'chunk % is not compressed', p_chunk USING ERRCODE = 'invalid_parameter_value';
        END IF;
        PERFORM public.decompress_chunk(format('%I.%I', k.chunk_schema, k.chunk_name)::regclass);
        EXECUTE format('SELECT count(*) FROM %I.%I', k.chunk_schema, k.chunk_name) INTO n;
        RETURN n;
    END
    $$;

    -- Status in the native shape: chunks of the hypertables, and the continuous aggregates
    -- with their watermark and last policy run.
    CREATE OR REPLACE FUNCTION timeseries.chunk_status()
        RETURNS TABLE (hypertable text, chunk_name text, range_start timestamptz, range_end timestamptz,
                       compressed boolean, raw_bytes bigint, compressed_bytes bigint)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT h.name, k.chunk_name::text, k.range_start, k.range_end, k.is_compressed,
               CASE WHEN k.is_compressed THEN coalesce(s.before_compression_total_bytes, 0)
                    ELSE pg_total_relation_size(format('%I.%I', k.chunk_schema, k.chunk_name)::regclass) END,
               coalesce(s.after_compression_total_bytes, 0)
        FROM timeseries.hypertables h
        JOIN timescaledb_information.chunks k
          ON k.hypertable_schema = 'timeseries' AND k.hypertable_name = h.name || '_hyper'
        LEFT JOIN LATERAL public.chunk_compression_stats(format('timeseries.%I', h.name || '_hyper')::regclass) s
          ON s.chunk_schema = k.chunk_schema AND s.chunk_name = k.chunk_name
        ORDER BY h.name, k.range_start
    $$;

    CREATE OR REPLACE FUNCTION timeseries.rollup_status()
        RETURNS TABLE (rollup text, hypertable text, bucket_width interval, watermark timestamptz, lag interval,
                       pending_invalidations bigint, last_refresh_at timestamptz, last_refresh_ms double precision)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT r.name, r.hypertable, r.bucket_width, w.watermark, now() - w.watermark,
               (SELECT count(*) FROM _timescaledb_catalog.continuous_aggs_materialization_invalidation_log l
                 WHERE l.materialization_id = ca.mat_hypertable_id),
               nullif(js.last_successful_finish, '-infinity'),
               extract(epoch FROM js.last_run_duration) * 1000
        FROM timeseries.rollups r
        JOIN _timescaledb_catalog.continuous_agg ca
          ON ca.user_view_schema = 'timeseries' AND ca.user_view_name = r.name || '_cagg'
        -- Before the first refresh the watermark is TimescaleDB's lowest time: shown as none.
        CROSS JOIN LATERAL (SELECT nullif(greatest(_timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(ca.mat_hypertable_id)),
                                                   '1970-01-01'::timestamptz), '1970-01-01'::timestamptz) AS watermark) w
        LEFT JOIN timescaledb_information.jobs j
          ON j.proc_name = 'policy_refresh_continuous_aggregate' AND j.hypertable_schema = 'timeseries'
         AND j.hypertable_name = r.name || '_cagg'
        LEFT JOIN timescaledb_information.job_stats js ON js.job_id = j.job_id
        ORDER BY r.refresh_order, r.name
    $$;

    -- Settings stay in the registry; TimescaleDB's chunk interval and policies follow them.
    CREATE OR REPLACE FUNCTION timeseries.set_policy(
        p_hypertable text,
        p_chunk_interval interval DEFAULT NULL,
        p_retention interval DEFAULT NULL,
        p_compress_after interval DEFAULT NULL,
        p_chunks_ahead integer DEFAULT NULL
    ) RETURNS timeseries.hypertables LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DECLARE
        h timeseries.hypertables;
        v_rel regclass;
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
        v_rel := format('timeseries.%I', h.name || '_hyper')::regclass;
        PERFORM public.set_chunk_time_interval(v_rel, h.chunk_interval);
        PERFORM public.remove_retention_policy(v_rel, if_exists => true);
        IF h.retention IS NOT NULL THEN
            PERFORM public.add_retention_policy(v_rel, drop_after => h.retention);
        END IF;
        PERFORM public.remove_compression_policy(v_rel, if_exists => true);
        IF h.compress_after IS NOT NULL THEN
            PERFORM public.add_compression_policy(v_rel, compress_after => h.compress_after);
        END IF;
        RETURN h;
    END
    $$;
END
$outer$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA timeseries TO pms_maintenance;
