-- The TimescaleDB backend of the time-series engine. Bootstrap creates the extension (it needs
-- a superuser) when it is installed, preloaded and not refused with PMS_TIMESERIES_BACKEND=native;
-- this migration then moves the four hypertables onto it. Without the extension it only defines
-- timeseries.backend() and changes nothing.
--
-- TimescaleDB refuses compression and continuous aggregates on a table with row-level
-- security, so on this backend the rows live in internal hypertables timeseries.<name>_hyper
-- that pms_app cannot reach, and the public names become owner-rights views that apply the
-- tenant policy themselves: the current tenant's rows, and every row for a role that bypasses
-- RLS (pms_maintenance), as the policy would. Writes go through INSTEAD OF triggers that hold
-- new rows to the same rule. Rollups are continuous aggregates per user; the public rollup
-- views (replaceable SQL) derive the team, department and tenant grains from them and filter
-- by tenant the same way.

-- Which engine stores the time series: 'timescaledb' once this migration converted the
-- hypertables, otherwise 'native'. Read by the replaceable SQL, the Rust side and `status`.
CREATE FUNCTION timeseries.backend() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN to_regclass('timeseries.performance_metrics_ts_hyper') IS NOT NULL
                THEN 'timescaledb' ELSE 'native' END
$$;
GRANT EXECUTE ON FUNCTION timeseries.backend() TO pms_app, pms_maintenance, pms_readonly;

-- Whether the current role would bypass a row-level security policy.
CREATE FUNCTION timeseries.bypasses_rls() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce((SELECT r.rolbypassrls OR r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false)
$$;
GRANT EXECUTE ON FUNCTION timeseries.bypasses_rls() TO pms_app, pms_maintenance, pms_readonly;

-- Writes through the public views. SECURITY DEFINER (the app cannot write the hypertable
-- itself), so the caller is the login role: session_user, which pms_app cannot change.
CREATE FUNCTION timeseries.write_point() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_bypass boolean := coalesce((SELECT r.rolbypassrls OR r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false);
    v_target text := format('timeseries.%I', TG_TABLE_NAME || '_hyper');
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NOT v_bypass
       AND NEW.tenant_id IS DISTINCT FROM public.pms_current_tenant() THEN
        RAISE EXCEPTION 'new row violates row-level security policy for table "%"', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('INSERT INTO %s (tenant_id, user_id, metric_name, value, recorded_at) VALUES ($1, $2, $3, $4, $5)', v_target)
            USING NEW.tenant_id, NEW.user_id, NEW.metric_name, NEW.value, NEW.recorded_at;
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        EXECUTE format('UPDATE %s SET tenant_id = $6, user_id = $7, metric_name = $8, value = $9, recorded_at = $10
                        WHERE tenant_id = $1 AND user_id = $2 AND metric_name = $3 AND value = $4 AND recorded_at = $5', v_target)
            USING OLD.tenant_id, OLD.user_id, OLD.metric_name, OLD.value, OLD.recorded_at,
                  NEW.tenant_id, NEW.user_id, NEW.metric_name, NEW.value, NEW.recorded_at;
        RETURN NEW;
    ELSE
        EXECUTE format('DELETE FROM %s WHERE tenant_id = $1 AND user_id = $2 AND metric_name = $3 AND value = $4 AND recorded_at = $5', v_target)
            USING OLD.tenant_id, OLD.user_id, OLD.metric_name, OLD.value, OLD.recorded_at;
        RETURN OLD;
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.write_point() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.write_point() TO pms_app, pms_maintenance;

DO $$
DECLARE
    h record;
    r record;
    v_hyper text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        RETURN;
    END IF;

    FOR h IN SELECT * FROM timeseries.hypertables ORDER BY name LOOP
        v_hyper := h.name || '_hyper';
        EXECUTE format('CREATE TABLE timeseries.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_hyper, h.name);
        PERFORM public.create_hypertable(format('timeseries.%I', v_hyper)::regclass,
            public.by_range('recorded_at', h.chunk_interval), create_default_indexes => false);
        EXECUTE format('CREATE INDEX %1$s_user_time_idx ON timeseries.%1$I (tenant_id, user_id, recorded_at)', v_hyper);
        EXECUTE format('COMMENT ON INDEX timeseries.%I IS %L', v_hyper || '_user_time_idx',
            'one person''s points over a time range (query functions, per-user reads)');
        EXECUTE format('CREATE INDEX %1$s_tenant_time_idx ON timeseries.%1$I (tenant_id, recorded_at)', v_hyper);
        EXECUTE format('COMMENT ON INDEX timeseries.%I IS %L', v_hyper || '_tenant_time_idx',
            'a tenant''s points over a time range (tenant-wide reads, continuous aggregate refresh)');
        EXECUTE format('COMMENT ON TABLE timeseries.%I IS %L', v_hyper,
            format('[timeseries] TimescaleDB hypertable behind the view public.%s (no RLS: TimescaleDB refuses it with compression)', h.name));

        -- Rows already stored natively move over (owners pass non-forced RLS).
        EXECUTE format('ALTER TABLE public.%I NO FORCE ROW LEVEL SECURITY', h.name);
        EXECUTE format('ALTER TABLE timeseries.%I NO FORCE ROW LEVEL SECURITY', h.name || '_compressed');
        IF to_regprocedure(format('timeseries.%I(timestamptz, timestamptz)', h.name || '_points')) IS NOT NULL THEN
            EXECUTE format('INSERT INTO timeseries.%I SELECT * FROM timeseries.%I(''-infinity'', ''infinity'')', v_hyper, h.name || '_points');
        ELSE
            EXECUTE format('INSERT INTO timeseries.%I SELECT * FROM public.%I', v_hyper, h.name);
        END IF;
        EXECUTE format('TRUNCATE timeseries.%I', h.name || '_compressed');
        EXECUTE format('ALTER TABLE timeseries.%I FORCE ROW LEVEL SECURITY', h.name || '_compressed');
        EXECUTE format('DROP TABLE public.%I CASCADE', h.name);
        DELETE FROM timeseries.chunks WHERE hypertable = h.name;

        -- Two branches so the application's branch keeps an index condition on tenant_id;
        -- the other is cut at plan start (a one-time filter) unless the role bypasses RLS.
        EXECUTE format($f$
            CREATE VIEW public.%1$I WITH (security_barrier = true) AS
            SELECT tenant_id, user_id, metric_name, value, recorded_at FROM timeseries.%2$I
            WHERE tenant_id = public.pms_current_tenant()
            UNION ALL
            SELECT tenant_id, user_id, metric_name, value, recorded_at FROM timeseries.%2$I
            WHERE timeseries.bypasses_rls() AND tenant_id IS DISTINCT FROM public.pms_current_tenant()$f$, h.name, v_hyper);
        EXECUTE format('CREATE TRIGGER write_point INSTEAD OF INSERT OR UPDATE OR DELETE ON public.%I
                        FOR EACH ROW EXECUTE FUNCTION timeseries.write_point()', h.name);
        EXECUTE format('COMMENT ON VIEW public.%I IS %L', h.name,
            format('[timeseries] Points of the current tenant in the TimescaleDB hypertable timeseries.%s (chunks of %s)', v_hyper, h.chunk_interval));
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO pms_app, pms_maintenance', h.name);
        EXECUTE format('GRANT SELECT ON public.%I TO pms_readonly', h.name);

        EXECUTE format($f$ALTER TABLE timeseries.%I SET (timescaledb.compress,
            timescaledb.compress_segmentby = 'tenant_id, user_id',
            timescaledb.compress_orderby = 'recorded_at, metric_name')$f$, v_hyper);
        PERFORM public.add_compression_policy(format('timeseries.%I', v_hyper)::regclass, compress_after => h.compress_after);
        PERFORM public.add_retention_policy(format('timeseries.%I', v_hyper)::regclass, drop_after => h.retention);
    END LOOP;

    -- Continuous aggregates per person, tenant and metric; real-time (materialized buckets
    -- plus the raw tail). Every rollup reads the raw rows, the monthly one too. The refresh
    -- window reaches back as far as the raw rows are kept, so dropped chunks never empty
    -- materialized buckets, and stops one bucket before now, so only whole buckets are stored.
    FOR r IN SELECT ro.*, ht.retention FROM timeseries.rollups ro JOIN timeseries.hypertables ht ON ht.name = ro.hypertable LOOP
        EXECUTE format($f$
            CREATE MATERIALIZED VIEW timeseries.%1$I
            WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
            SELECT tenant_id, user_id, metric_name, public.time_bucket(%2$L::interval, recorded_at) AS bucket,
                   count(*) AS sample_count, sum(value) AS sum_value, min(value) AS min_value, max(value) AS max_value
            FROM timeseries.%3$I
            GROUP BY tenant_id, user_id, metric_name, public.time_bucket(%2$L::interval, recorded_at)
            WITH NO DATA$f$, r.name || '_cagg', r.bucket_width, r.hypertable || '_hyper');
        EXECUTE format('COMMENT ON VIEW timeseries.%I IS %L', r.name || '_cagg',
            format('[timeseries] TimescaleDB continuous aggregate behind public.%s (per person)', r.name));
        PERFORM public.add_continuous_aggregate_policy(format('timeseries.%I', r.name || '_cagg')::regclass,
            start_offset => r.retention, end_offset => r.bucket_width, schedule_interval => interval '1 hour');
    END LOOP;
END
$$;
