-- Time-series engine, chunks: creation ahead of time and on demand, rows caught by the
-- DEFAULT partition moved into their chunk, retention by dropping whole partitions.
-- DDL needs the owner, so these run as pms_owner (SECURITY DEFINER) and touch partitions
-- directly; partitions have no grants for pms_app, which reaches rows only via the parents.

-- Creates the chunk that holds p_ts (NULL when it exists). Rows of that range waiting in the
-- DEFAULT partition move into the new chunk in the same transaction.
CREATE OR REPLACE FUNCTION timeseries.create_chunk(p_hypertable text, p_ts timestamptz) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    h timeseries.hypertables;
    v_start timestamptz;
    v_end timestamptz;
    v_name text;
BEGIN
    SELECT * INTO h FROM timeseries.hypertables WHERE name = p_hypertable;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown hypertable %', p_hypertable USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_ts IS NULL OR NOT isfinite(p_ts) THEN
        RAISE EXCEPTION 'a chunk needs a finite time, got %', p_ts USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.chunks.' || p_hypertable));
    IF EXISTS (SELECT 1 FROM timeseries.chunks c WHERE c.hypertable = p_hypertable
               AND c.range_start <= p_ts AND c.range_end > p_ts) THEN
        RETURN NULL;
    END IF;
    v_start := timeseries.bucket(h.chunk_interval, p_ts);
    -- In UTC, like the bucket: in the session's time zone a month after 1 March 00:00 UTC can
    -- be 29 March (west of Greenwich, 1 March is still 29 February there).
    v_end := (v_start AT TIME ZONE 'UTC' + h.chunk_interval) AT TIME ZONE 'UTC';
    -- After a change of chunk interval, clip to the neighbours so ranges never overlap.
    v_start := greatest(v_start, (SELECT max(c.range_end) FROM timeseries.chunks c
                                  WHERE c.hypertable = p_hypertable AND c.range_end <= p_ts));
    v_end := least(v_end, (SELECT min(c.range_start) FROM timeseries.chunks c
                           WHERE c.hypertable = p_hypertable AND c.range_start > p_ts));
    v_name := p_hypertable || '_p' || to_char(v_start AT TIME ZONE 'UTC', 'YYYYMMDD');
    IF to_regclass('timeseries.' || quote_ident(v_name)) IS NOT NULL THEN
        v_name := v_name || '_' || extract(epoch FROM v_start)::bigint;
    END IF;
    EXECUTE format('CREATE TABLE timeseries.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name, p_hypertable);
    EXECUTE format('WITH m AS (DELETE FROM timeseries.%I WHERE recorded_at >= $1 AND recorded_at < $2 RETURNING *)
                    INSERT INTO timeseries.%I SELECT * FROM m', p_hypertable || '_default', v_name)
        USING v_start, v_end;
    EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION timeseries.%I FOR VALUES FROM (%L) TO (%L)',
                   p_hypertable, v_name, v_start, v_end);
    INSERT INTO timeseries.chunks (hypertable, chunk_name, range_start, range_end)
    VALUES (p_hypertable, v_name, v_start, v_end);
    RETURN v_name;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.create_chunk(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.create_chunk(text, timestamptz) TO pms_maintenance;

-- Makes sure chunks cover [p_from, p_to]; returns how many were created. Ingest calls this
-- before each batch, so rows go straight to their chunk.
CREATE OR REPLACE FUNCTION timeseries.ensure_chunks(p_hypertable text, p_from timestamptz, p_to timestamptz)
    RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_ts timestamptz := p_from;
    v_created integer := 0;
    v_end timestamptz;
BEGIN
    IF p_to < p_from THEN
        RAISE EXCEPTION 'ensure_chunks: % is before %', p_to, p_from USING ERRCODE = 'invalid_parameter_value';
    END IF;
    LOOP
        IF timeseries.create_chunk(p_hypertable, v_ts) IS NOT NULL THEN
            v_created := v_created + 1;
        END IF;
        SELECT c.range_end INTO v_end FROM timeseries.chunks c
        WHERE c.hypertable = p_hypertable AND c.range_start <= v_ts AND c.range_end > v_ts;
        EXIT WHEN v_end > p_to;
        v_ts := v_end;
    END LOOP;
    RETURN v_created;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.ensure_chunks(text, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.ensure_chunks(text, timestamptz, timestamptz) TO pms_maintenance;

-- Rows that reached the DEFAULT partition (no chunk yet): one chunk start per waiting range.
CREATE OR REPLACE FUNCTION timeseries.default_partition_ranges(p_hypertable text) RETURNS SETOF timestamptz
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_interval interval;
BEGIN
    SELECT chunk_interval INTO v_interval FROM timeseries.hypertables WHERE name = p_hypertable;
    RETURN QUERY EXECUTE format('SELECT DISTINCT timeseries.bucket($1, recorded_at) FROM timeseries.%I ORDER BY 1',
                                p_hypertable || '_default') USING v_interval;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.default_partition_ranges(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.default_partition_ranges(text) TO pms_maintenance;

-- The partition job: the chunk holding p_now and `chunks_ahead` more for every hypertable,
-- plus a chunk for every range whose rows are waiting in the DEFAULT partition. `pms migrate`
-- runs it too, so a migrated database is ready for its first ingest. The horizon is computed
-- in UTC, like the chunk bounds, so the server's TimeZone does not move it.
CREATE OR REPLACE FUNCTION timeseries.create_future_chunks(p_now timestamptz DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql AS $$
DECLARE
    h timeseries.hypertables;
    v_ts timestamptz;
    v_created integer := 0;
    v_caught integer := 0;
BEGIN
    FOR h IN SELECT * FROM timeseries.hypertables ORDER BY name LOOP
        v_created := v_created + timeseries.ensure_chunks(h.name, p_now,
            (p_now AT TIME ZONE 'UTC' + h.chunk_interval * h.chunks_ahead) AT TIME ZONE 'UTC');
        FOR v_ts IN SELECT * FROM timeseries.default_partition_ranges(h.name) LOOP
            IF timeseries.create_chunk(h.name, v_ts) IS NOT NULL THEN
                v_created := v_created + 1;
                v_caught := v_caught + 1;
            END IF;
        END LOOP;
    END LOOP;
    RETURN jsonb_build_object('partitions_created', v_created, 'partitions_for_waiting_rows', v_caught);
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.create_future_chunks(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.create_future_chunks(timestamptz) TO pms_maintenance;

-- Drops one chunk and its compressed rows: a whole-partition drop, never a row-by-row DELETE.
-- Rollups keep their buckets (history outlives raw rows).
CREATE OR REPLACE FUNCTION timeseries.drop_chunk(p_chunk text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    c timeseries.chunks;
BEGIN
    SELECT * INTO c FROM timeseries.chunks WHERE chunk_name = p_chunk;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown chunk %', p_chunk USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.chunks.' || c.hypertable));
    EXECUTE format('DROP TABLE timeseries.%I', p_chunk);
    EXECUTE format('DROP TABLE IF EXISTS timeseries.%I', p_chunk || '_c');
    DELETE FROM timeseries.chunks WHERE chunk_name = p_chunk;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.drop_chunk(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.drop_chunk(text) TO pms_maintenance;

-- The retention job: drops every chunk that ended before p_now - retention (in UTC, like the
-- chunk bounds).
CREATE OR REPLACE FUNCTION timeseries.apply_retention(p_now timestamptz DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql AS $$
DECLARE
    c record;
    v_dropped text[] := '{}';
BEGIN
    FOR c IN SELECT ch.chunk_name FROM timeseries.chunks ch JOIN timeseries.hypertables h ON h.name = ch.hypertable
             WHERE h.retention IS NOT NULL AND ch.range_end <= (p_now AT TIME ZONE 'UTC' - h.retention) AT TIME ZONE 'UTC'
             ORDER BY ch.hypertable, ch.range_start LOOP
        PERFORM timeseries.drop_chunk(c.chunk_name);
        v_dropped := v_dropped || c.chunk_name;
    END LOOP;
    RETURN jsonb_build_object('chunks_dropped', cardinality(v_dropped), 'dropped', to_jsonb(v_dropped));
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.apply_retention(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.apply_retention(timestamptz) TO pms_maintenance;
