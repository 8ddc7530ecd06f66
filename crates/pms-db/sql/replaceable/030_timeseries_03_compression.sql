-- Time-series engine, compression: a chunk past its horizon is packed into one row per
-- (tenant, user, chunk) in a partition of <hypertable>_compressed, and read back through
-- timeseries.<hypertable>_points() (raw rows + unpacked rows), which the rollups, the query
-- functions and the public <hypertable>_all views use.

-- Metric names by id (position = timeseries.metrics.id), to decode packed words.
CREATE OR REPLACE FUNCTION timeseries.metric_names_by_id() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(m.name ORDER BY g), '{}')
    FROM generate_series(1, (SELECT coalesce(max(id), 0) FROM timeseries.metrics)) g
    LEFT JOIN timeseries.metrics m ON m.id = g
$$;
GRANT EXECUTE ON FUNCTION timeseries.metric_names_by_id() TO pms_app, pms_maintenance, pms_readonly;

-- The points of one packed segment `z` as a subquery `u(metric_name, value, recorded_at)`,
-- for a CROSS JOIN LATERAL: the packed words, or else the exact arrays (the other branch is
-- skipped by a one-time filter). The name array is an uncorrelated scalar subquery, computed
-- once per query.
CREATE OR REPLACE FUNCTION timeseries.unpack_sql() RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT $q$(
        SELECT (SELECT timeseries.metric_names_by_id())[(w >> 32 & 255)::integer] AS metric_name,
               ((w << 32) >> 32)::float8 / 100 AS value,
               z.chunk_start + (w >> 40) * interval '1 second' AS recorded_at
        FROM unnest(z.packed) w
        WHERE z.packed IS NOT NULL
        UNION ALL
        SELECT z.metric_names[a.i], coalesce(a.vc::float8 / 100, a.vf), coalesce(z.chunk_start + a.s * interval '1 second', a.t)
        FROM unnest(z.metric_idx, z.time_secs, z.times, z.values_c, z.values_f) AS a(i, s, t, vc, vf)
        WHERE z.packed IS NULL
    ) u$q$
$f$;

-- Packs one chunk. A segment whose points all fit is one `packed` int8 array, a word per point:
-- bits 40-63 seconds from the chunk start (whole seconds, under 2^23), bits 32-39 the metric's
-- id in timeseries.metrics (1-255), bits 0-31 the value in cents as a signed int4 (when
-- value * 100 is exact): 8 bytes a point and no per-segment dictionary. Any other segment keeps
-- exact arrays (index into its own metric_names; seconds or timestamptz; cents or float8), so
-- unpacking returns exactly what was packed.
-- Refuses a chunk that a rollup has not materialized yet (the real-time tail reads raw rows).
CREATE OR REPLACE FUNCTION timeseries.compress_chunk(p_chunk text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    c timeseries.chunks;
    v_cname text := p_chunk || '_c';
    v_rows bigint;
    v_col text;
BEGIN
    SELECT * INTO c FROM timeseries.chunks WHERE chunk_name = p_chunk;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown chunk %', p_chunk USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM timeseries.rollups r WHERE r.hypertable = c.hypertable
               AND (r.watermark IS NULL OR r.watermark < c.range_end)) THEN
        RAISE EXCEPTION 'chunk % is not fully materialized by the rollups of %; refresh them first', p_chunk, c.hypertable
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.chunks.' || c.hypertable));
    IF to_regclass('timeseries.' || quote_ident(v_cname)) IS NULL THEN
        EXECUTE format('CREATE TABLE timeseries.%I PARTITION OF timeseries.%I FOR VALUES FROM (%L) TO (%L) WITH (toast_tuple_target = 128)',
                       v_cname, c.hypertable || '_compressed', c.range_start, c.range_end);
        -- Arrays are compressed in line (STORAGE MAIN): moving them to TOAST would cost more
        -- than it saves at a few hundred bytes each.
        FOREACH v_col IN ARRAY ARRAY['metric_names', 'packed', 'metric_idx', 'time_secs', 'times', 'values_c', 'values_f'] LOOP
            EXECUTE format('ALTER TABLE timeseries.%I ALTER COLUMN %I SET STORAGE MAIN', v_cname, v_col);
            BEGIN
                EXECUTE format('ALTER TABLE timeseries.%I ALTER COLUMN %I SET COMPRESSION lz4', v_cname, v_col);
            EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
                NULL; -- a server built without lz4 keeps pglz
            END;
        END LOOP;
    END IF;
    -- Lock the chunk against writers while it is packed and emptied.
    EXECUTE format('LOCK TABLE timeseries.%I IN EXCLUSIVE MODE', p_chunk);
    EXECUTE format($q$
        INSERT INTO timeseries.%1$I (tenant_id, user_id, chunk_start, point_count, metric_names, packed, metric_idx,
                                     time_secs, times, values_c, values_f)
        SELECT g.tenant_id, g.user_id, $1, g.n,
               CASE WHEN NOT g.fits THEN g.names END,
               CASE WHEN g.fits THEN g.words END,
               CASE WHEN NOT g.fits THEN g.idx END,
               CASE WHEN NOT g.fits AND g.all_secs THEN g.secs END,
               CASE WHEN NOT g.fits AND NOT g.all_secs THEN g.times END,
               CASE WHEN NOT g.fits AND g.all_cents THEN g.cents END,
               CASE WHEN NOT g.fits AND NOT g.all_cents THEN g.vals END
        FROM (
            SELECT p.tenant_id, p.user_id, s.names, count(*) AS n,
                   bool_and(p.secs IS NOT NULL AND p.secs < 8388608 AND p.cents IS NOT NULL
                            AND p.metric_id BETWEEN 1 AND 255) AS fits,
                   bool_and(p.secs IS NOT NULL) AS all_secs,
                   bool_and(p.cents IS NOT NULL) AS all_cents,
                   array_agg((p.secs::bigint << 40) | (p.metric_id::bigint << 32) | (p.cents::bigint & 4294967295)
                             ORDER BY p.recorded_at, p.metric_name) AS words,
                   array_agg(array_position(s.names, p.metric_name)::smallint ORDER BY p.recorded_at, p.metric_name) AS idx,
                   array_agg(p.secs ORDER BY p.recorded_at, p.metric_name) AS secs,
                   array_agg(p.recorded_at ORDER BY p.recorded_at, p.metric_name) AS times,
                   array_agg(p.cents ORDER BY p.recorded_at, p.metric_name) AS cents,
                   array_agg(p.value ORDER BY p.recorded_at, p.metric_name) AS vals
            FROM (
                SELECT r.tenant_id, r.user_id, r.metric_name, r.value, r.recorded_at, mm.id AS metric_id,
                       CASE WHEN date_trunc('second', r.recorded_at) = r.recorded_at
                             AND r.recorded_at >= $1 AND r.recorded_at - $1 < interval '24000 days'
                            THEN extract(epoch FROM r.recorded_at - $1)::integer END AS secs,
                       CASE WHEN abs(r.value) < 20000000 AND round(r.value * 100)::float8 / 100 = r.value AND r.value::text <> '-0'
                            THEN round(r.value * 100)::integer END AS cents
                FROM timeseries.%2$I r LEFT JOIN timeseries.metrics mm ON mm.name = r.metric_name
            ) p
            JOIN (SELECT tenant_id, user_id, array_agg(DISTINCT metric_name ORDER BY metric_name) AS names
                  FROM timeseries.%2$I GROUP BY tenant_id, user_id) s
              ON s.tenant_id = p.tenant_id AND s.user_id = p.user_id
            GROUP BY p.tenant_id, p.user_id, s.names
        ) g$q$, v_cname, p_chunk) USING c.range_start;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    EXECUTE format('TRUNCATE timeseries.%I', p_chunk);
    UPDATE timeseries.chunks SET compressed_at = now() WHERE chunk_name = p_chunk;
    RETURN v_rows;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.compress_chunk(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.compress_chunk(text) TO pms_maintenance;

-- Unpacks a compressed chunk back into plain rows (e.g. before correcting old data).
CREATE OR REPLACE FUNCTION timeseries.decompress_chunk(p_chunk text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    c timeseries.chunks;
    v_rows bigint := 0;
BEGIN
    SELECT * INTO c FROM timeseries.chunks WHERE chunk_name = p_chunk;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown chunk %', p_chunk USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF c.compressed_at IS NULL THEN
        RAISE EXCEPTION 'chunk % is not compressed', p_chunk USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.chunks.' || c.hypertable));
    IF to_regclass('timeseries.' || quote_ident(p_chunk || '_c')) IS NOT NULL THEN
        EXECUTE format($q$
            INSERT INTO timeseries.%1$I (tenant_id, user_id, metric_name, value, recorded_at)
            SELECT z.tenant_id, z.user_id, u.metric_name, u.value, u.recorded_at
            FROM timeseries.%2$I z CROSS JOIN LATERAL %3$s$q$,
            p_chunk, p_chunk || '_c', timeseries.unpack_sql());
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        EXECUTE format('DROP TABLE timeseries.%I', p_chunk || '_c');
    END IF;
    UPDATE timeseries.chunks SET compressed_at = NULL WHERE chunk_name = p_chunk;
    RETURN v_rows;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.decompress_chunk(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.decompress_chunk(text) TO pms_maintenance;

-- The compression job: every chunk past its hypertable's horizon that still holds raw rows
-- (including late rows that arrived after it was packed) and that the rollups materialized.
-- The horizon is p_now - compress_after in UTC, like the chunk bounds.
CREATE OR REPLACE FUNCTION timeseries.compress_due_chunks(p_now timestamptz DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql AS $$
DECLARE
    c record;
    v_n integer := 0;
    v_has_rows boolean;
BEGIN
    FOR c IN SELECT ch.chunk_name, ch.hypertable, ch.range_end FROM timeseries.chunks ch
             JOIN timeseries.hypertables h ON h.name = ch.hypertable
             WHERE h.compress_after IS NOT NULL
               AND ch.range_end <= (p_now AT TIME ZONE 'UTC' - h.compress_after) AT TIME ZONE 'UTC'
               AND NOT EXISTS (SELECT 1 FROM timeseries.rollups r WHERE r.hypertable = ch.hypertable
                               AND (r.watermark IS NULL OR r.watermark < ch.range_end))
             ORDER BY ch.hypertable, ch.range_start LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM timeseries.%I)', c.chunk_name) INTO v_has_rows;
        IF v_has_rows THEN
            PERFORM timeseries.compress_chunk(c.chunk_name);
            v_n := v_n + 1;
        END IF;
    END LOOP;
    RETURN jsonb_build_object('chunks_compressed', v_n);
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.compress_due_chunks(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.compress_due_chunks(timestamptz) TO pms_maintenance;

-- The start of the chunk of p_hypertable that holds p_ts, or p_ts when no chunk starts at or
-- before it: no packed segment that starts before this value holds a point at or after p_ts.
-- Lets readers of a time range unpack only the segments of the chunks it overlaps (run-time
-- partition pruning and an index bound on chunk_start; called as a scalar subquery, so once
-- per query rather than once per partition).
CREATE OR REPLACE FUNCTION timeseries.chunk_start_of(p_hypertable text, p_ts timestamptz) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce((SELECT max(c.range_start) FROM timeseries.chunks c
                     WHERE c.hypertable = p_hypertable AND c.range_start <= p_ts), p_ts)
$$;
GRANT EXECUTE ON FUNCTION timeseries.chunk_start_of(text, timestamptz) TO pms_app, pms_maintenance, pms_readonly;

-- Per hypertable: every point in [p_from, p_to), raw or packed. Plain SQL so the planner
-- inlines it and pushes tenant/user predicates into both branches.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['performance_metrics_ts', 'engagement_metrics_ts', 'goal_progress_ts', 'feedback_activity_ts'] LOOP
        EXECUTE format($f$
            CREATE OR REPLACE FUNCTION timeseries.%1$I(p_from timestamptz, p_to timestamptz)
            RETURNS TABLE (tenant_id uuid, user_id uuid, metric_name text, value double precision, recorded_at timestamptz)
            LANGUAGE sql STABLE AS $body$
                SELECT r.tenant_id, r.user_id, r.metric_name, r.value, r.recorded_at
                FROM public.%2$I r
                WHERE r.recorded_at >= p_from AND r.recorded_at < p_to
                UNION ALL
                SELECT z.tenant_id, z.user_id, u.metric_name, u.value, u.recorded_at
                FROM timeseries.%3$I z
                CROSS JOIN LATERAL %4$s
                WHERE z.chunk_start < p_to AND z.chunk_start >= (SELECT timeseries.chunk_start_of(%2$L, p_from))
                  AND u.recorded_at >= p_from AND u.recorded_at < p_to
            $body$ $f$, t || '_points', t, t || '_compressed', timeseries.unpack_sql());
        EXECUTE format('GRANT EXECUTE ON FUNCTION timeseries.%I(timestamptz, timestamptz) TO pms_app, pms_maintenance, pms_readonly', t || '_points');
        EXECUTE format($f$
            CREATE OR REPLACE VIEW public.%1$I WITH (security_invoker = true) AS
            SELECT * FROM timeseries.%2$I('-infinity', 'infinity')$f$, t || '_all', t || '_points');
        EXECUTE format('COMMENT ON VIEW public.%I IS %L', t || '_all',
            format('[timeseries] Every point of %s, raw and compressed chunks alike (RLS of the caller)', t));
    END LOOP;
END
$$;
