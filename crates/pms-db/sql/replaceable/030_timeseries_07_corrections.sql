-- Time-series engine, corrections of stored points (native engine): an UPDATE or DELETE never
-- silently misses a point because its chunk is compressed.
--
-- * Through public.<hypertable>_all, which shows every point, raw or packed, a correction of a
--   packed point unpacks that person's segment of that chunk into plain rows first (only that
--   segment: the rest of the chunk stays packed; the compression job packs the segment again
--   later), then applies the change to the plain row.
-- * Directly on public.<hypertable>, which holds plain rows only, the application's UPDATE or
--   DELETE is refused while the tenant has packed segments in that hypertable, with the chunks
--   named and the two ways out (the _all view, or `pms timeseries decompress`).
-- The platform's own roles (pms_owner, pms_maintenance: erasure, retention) handle the packed
-- segments themselves and are not refused. With TimescaleDB, public.<hypertable> is a view over
-- the hypertable and TimescaleDB decompresses what a write touches: nothing here applies.

-- Unpacks the packed segment of (tenant, person) in the compressed chunk of p_hypertable that
-- holds p_ts into plain rows of that chunk; returns how many points it unpacked (0 when the
-- chunk is not compressed or the person has no segment there).
CREATE OR REPLACE FUNCTION timeseries.decompress_segment(p_hypertable text, p_tenant uuid, p_user uuid, p_ts timestamptz)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    c timeseries.chunks;
    v_rows bigint;
BEGIN
    IF p_tenant IS DISTINCT FROM public.pms_current_tenant() THEN
        RAISE EXCEPTION 'decompress_segment: tenant % is not the tenant of this transaction', p_tenant
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO c FROM timeseries.chunks ch
     WHERE ch.hypertable = p_hypertable AND ch.range_start <= p_ts AND ch.range_end > p_ts;
    IF NOT FOUND OR c.compressed_at IS NULL
       OR to_regclass('timeseries.' || quote_ident(c.chunk_name || '_c')) IS NULL THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.chunks.' || p_hypertable));
    EXECUTE format($q$
        WITH z AS (DELETE FROM timeseries.%1$I s WHERE s.tenant_id = $1 AND s.user_id = $2 RETURNING s.*)
        INSERT INTO timeseries.%2$I (tenant_id, user_id, metric_name, value, recorded_at)
        SELECT z.tenant_id, z.user_id, u.metric_name, u.value, u.recorded_at
        FROM z CROSS JOIN LATERAL %3$s$q$,
        c.chunk_name || '_c', c.chunk_name, timeseries.unpack_sql())
        USING p_tenant, p_user;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    RETURN v_rows;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.decompress_segment(text, uuid, uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.decompress_segment(text, uuid, uuid, timestamptz) TO pms_app, pms_maintenance;

-- INSTEAD OF INSERT, UPDATE and DELETE on public.<hypertable>_all (TG_ARGV[0] = hypertable).
-- Runs as the owner, whom the forced tenant policy confines like the caller: the row was read
-- under the caller's tenant, and a change into another tenant fails the policy's WITH CHECK.
CREATE OR REPLACE FUNCTION timeseries.write_point_all() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_ht text := TG_ARGV[0];
    v_done bigint;
    v_match text := 't.tenant_id = $1 AND t.user_id = $2 AND t.metric_name = $3 AND t.recorded_at = $4
                     AND t.value IS NOT DISTINCT FROM $5';
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('INSERT INTO public.%I (tenant_id, user_id, metric_name, value, recorded_at) VALUES ($1, $2, $3, $4, $5)', v_ht)
            USING NEW.tenant_id, NEW.user_id, NEW.metric_name, NEW.value, NEW.recorded_at;
        RETURN NEW;
    END IF;
    PERFORM timeseries.decompress_segment(v_ht, OLD.tenant_id, OLD.user_id, OLD.recorded_at);
    -- One plain row per point read: identical duplicates are changed one per trigger call.
    IF TG_OP = 'UPDATE' THEN
        EXECUTE format('UPDATE public.%1$I t SET tenant_id = $6, user_id = $7, metric_name = $8, value = $9, recorded_at = $10
                         WHERE %2$s AND t.ctid = (SELECT t.ctid FROM public.%1$I t WHERE %2$s LIMIT 1)', v_ht, v_match)
            USING OLD.tenant_id, OLD.user_id, OLD.metric_name, OLD.recorded_at, OLD.value,
                  NEW.tenant_id, NEW.user_id, NEW.metric_name, NEW.value, NEW.recorded_at;
    ELSE
        EXECUTE format('DELETE FROM public.%1$I t WHERE %2$s AND t.ctid = (SELECT t.ctid FROM public.%1$I t WHERE %2$s LIMIT 1)',
                       v_ht, v_match)
            USING OLD.tenant_id, OLD.user_id, OLD.metric_name, OLD.recorded_at, OLD.value;
    END IF;
    GET DIAGNOSTICS v_done = ROW_COUNT;
    IF v_done = 0 THEN
        RETURN NULL; -- changed or deleted meanwhile: not counted
    END IF;
    RETURN CASE WHEN TG_OP = 'UPDATE' THEN NEW ELSE OLD END;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.write_point_all() FROM PUBLIC;

-- BEFORE UPDATE OR DELETE, for each statement, on public.<hypertable> (TG_ARGV[0]).
CREATE OR REPLACE FUNCTION timeseries.refuse_blind_write() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_ht text := TG_ARGV[0];
    v_chunks text;
BEGIN
    IF current_user IN ('pms_owner', 'pms_maintenance') THEN
        RETURN NULL;
    END IF;
    EXECUTE format($q$SELECT string_agg(ch.chunk_name, ', ' ORDER BY ch.range_start)
                      FROM timeseries.chunks ch
                      WHERE ch.hypertable = $1 AND ch.compressed_at IS NOT NULL
                        AND EXISTS (SELECT 1 FROM timeseries.%I z
                                    WHERE z.tenant_id = public.pms_current_tenant()
                                      AND z.chunk_start >= ch.range_start AND z.chunk_start < ch.range_end)$q$,
                   v_ht || '_compressed')
        INTO v_chunks USING v_ht;
    IF v_chunks IS NOT NULL THEN
        RAISE EXCEPTION '% on % could miss points of compressed chunks (%): their points are packed, not plain rows',
            TG_OP, v_ht, v_chunks
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = format('write corrections through public.%s_all (it unpacks what it changes), or decompress first: pms timeseries decompress CHUNK', v_ht);
    END IF;
    RETURN NULL;
END
$$;
GRANT EXECUTE ON FUNCTION timeseries.refuse_blind_write() TO pms_app, pms_maintenance, pms_readonly;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['performance_metrics_ts', 'engagement_metrics_ts', 'goal_progress_ts', 'feedback_activity_ts'] LOOP
        CONTINUE WHEN (SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass('public.' || t)) IS DISTINCT FROM 'p';
        EXECUTE format('DROP TRIGGER IF EXISTS write_point_all ON public.%I', t || '_all');
        EXECUTE format('CREATE TRIGGER write_point_all INSTEAD OF INSERT OR UPDATE OR DELETE ON public.%I
                        FOR EACH ROW EXECUTE FUNCTION timeseries.write_point_all(%L)', t || '_all', t);
        EXECUTE format('DROP TRIGGER IF EXISTS refuse_blind_write ON public.%I', t);
        EXECUTE format('CREATE TRIGGER refuse_blind_write BEFORE UPDATE OR DELETE ON public.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION timeseries.refuse_blind_write(%L)', t, t);
    END LOOP;
END
$$;
