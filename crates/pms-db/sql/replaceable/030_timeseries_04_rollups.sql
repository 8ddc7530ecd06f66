-- Time-series engine, rollups that behave like continuous aggregates: buckets below a
-- watermark are materialized; statement triggers log the (tenant, day) of every changed raw
-- row below the watermark; a refresh recomputes only those buckets and materializes the new
-- complete buckets; the public views add the not-yet-materialized tail on the fly.

-- Logs changed days from a transition table. Rows at or after the highest watermark of the
-- hypertable's rollups are skipped: the next refresh materializes them anyway.
CREATE OR REPLACE FUNCTION timeseries.log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_threshold timestamptz;
BEGIN
    SELECT max(r.watermark) INTO v_threshold FROM timeseries.rollups r
    WHERE r.hypertable = TG_TABLE_NAME AND r.source_rollup IS NULL;
    IF v_threshold IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO timeseries.invalidations (hypertable, tenant_id, day)
        SELECT DISTINCT TG_TABLE_NAME, n.tenant_id, timeseries.bucket('1 day', n.recorded_at)
        FROM changed_new n WHERE n.recorded_at < v_threshold;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO timeseries.invalidations (hypertable, tenant_id, day)
        SELECT DISTINCT TG_TABLE_NAME, o.tenant_id, timeseries.bucket('1 day', o.recorded_at)
        FROM changed_old o WHERE o.recorded_at < v_threshold;
    END IF;
    RETURN NULL;
END
$$;
GRANT EXECUTE ON FUNCTION timeseries.log_changes() TO pms_app, pms_maintenance;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['performance_metrics_ts', 'engagement_metrics_ts', 'goal_progress_ts', 'feedback_activity_ts'] LOOP
        CONTINUE WHEN timeseries.backend() <> 'native'; -- TimescaleDB logs its own invalidations
        EXECUTE format('CREATE OR REPLACE TRIGGER log_inserts AFTER INSERT ON public.%I REFERENCING NEW TABLE AS changed_new
                        FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes()', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER log_updates AFTER UPDATE ON public.%I REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
                        FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes()', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER log_deletes AFTER DELETE ON public.%I REFERENCING OLD TABLE AS changed_old
                        FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes()', t);
    END LOOP;
END
$$;

-- The aggregate a rollup materializes, as SQL over [$1, $2) for one tenant ($3) or all
-- (NULL): user grain from the points, team/department/tenant grains from the user rows.
CREATE OR REPLACE FUNCTION timeseries.rollup_sql(r timeseries.rollups) RETURNS text
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF r.source_rollup IS NOT NULL THEN
        RETURN format($q$
            SELECT m.tenant_id, m.grain, m.subject_id, m.metric_name, timeseries.bucket(%1$L, m.bucket),
                   sum(m.sample_count), sum(m.sum_value), min(m.min_value), max(m.max_value)
            FROM timeseries.%2$I m
            WHERE m.bucket >= $1 AND m.bucket < $2 AND ($3::uuid IS NULL OR m.tenant_id = $3)
            GROUP BY 1, 2, 3, 4, 5$q$, r.bucket_width, r.source_rollup || '_mat');
    END IF;
    RETURN format($q$
        WITH per_user AS MATERIALIZED (
            SELECT p.tenant_id, p.user_id, p.metric_name, timeseries.bucket(%1$L, p.recorded_at) AS bucket,
                   count(*) AS n, sum(p.value) AS s, min(p.value) AS lo, max(p.value) AS hi
            FROM timeseries.%2$I($1, $2) p
            WHERE ($3::uuid IS NULL OR p.tenant_id = $3)
            GROUP BY 1, 2, 3, 4)
        SELECT tenant_id, 'user', user_id, metric_name, bucket, n, s, lo, hi FROM per_user
        UNION ALL
        SELECT u.tenant_id, g.grain, g.subject_id, u.metric_name, u.bucket, sum(u.n), sum(u.s), min(u.lo), max(u.hi)
        FROM per_user u JOIN timeseries.user_groups g ON g.tenant_id = u.tenant_id AND g.user_id = u.user_id
        GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT tenant_id, 'tenant', tenant_id, metric_name, bucket, sum(n), sum(s), min(lo), max(hi)
        FROM per_user GROUP BY 1, 3, 4, 5$q$, r.bucket_width, r.hypertable || '_points');
END
$$;

-- Refreshes one rollup: recomputes invalidated buckets below the watermark, then
-- materializes every complete bucket up to the current one. Run by pms_maintenance (it reads
-- all tenants); idempotent.
CREATE OR REPLACE FUNCTION timeseries.refresh_rollup(p_name text, p_now timestamptz DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql AS $$
DECLARE
    r timeseries.rollups;
    v_sql text;
    v_old timestamptz;
    v_new timestamptz;
    v_started timestamptz := clock_timestamp();
    v_tenants uuid[];
    v_starts timestamptz[];
    v_buckets integer := 0;
    v_rows bigint := 0;
    v_n bigint;
    v_has_dependents boolean;
    v_from timestamptz;
    v_to timestamptz;
BEGIN
    SELECT * INTO r FROM timeseries.rollups WHERE name = p_name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown rollup %', p_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_sql := timeseries.rollup_sql(r);
    v_has_dependents := EXISTS (SELECT 1 FROM timeseries.rollups d WHERE d.source_rollup = p_name);
    IF r.source_rollup IS NULL THEN
        -- Writers that started before us finish first; later ones see the new watermark.
        EXECUTE format('LOCK TABLE public.%I IN SHARE MODE', r.hypertable);
        WITH d AS (DELETE FROM timeseries.invalidations WHERE hypertable = r.hypertable RETURNING tenant_id, day)
        INSERT INTO timeseries.rollup_invalidations (rollup, tenant_id, day)
        SELECT DISTINCT x.name, d.tenant_id, d.day FROM d
        JOIN timeseries.rollups x ON x.hypertable = r.hypertable AND x.source_rollup IS NULL;
        v_new := timeseries.bucket(r.bucket_width, p_now);
    ELSE
        v_new := timeseries.bucket(r.bucket_width, (SELECT s.watermark FROM timeseries.rollups s WHERE s.name = r.source_rollup));
    END IF;
    v_old := r.watermark;
    v_rows := v_rows + timeseries.refresh_membership(p_name); -- groups whose members changed

    -- 1. Invalidated buckets below the old watermark.
    WITH d AS (DELETE FROM timeseries.rollup_invalidations WHERE rollup = p_name RETURNING tenant_id, day)
    SELECT coalesce(array_agg(x.tenant_id ORDER BY x.bucket, x.tenant_id), '{}'),
           coalesce(array_agg(x.bucket ORDER BY x.bucket, x.tenant_id), '{}')
    INTO v_tenants, v_starts
    FROM (SELECT DISTINCT d.tenant_id, timeseries.bucket(r.bucket_width, d.day) AS bucket FROM d
          WHERE v_old IS NOT NULL AND d.day < v_old) x;
    FOR i IN 1 .. cardinality(v_starts) LOOP
        -- Replace the bucket: its old groups go, the recomputed ones come in (groups that no
        -- longer have any raw row simply are not inserted again). The new rows go in subject
        -- order, so each leaf of the key index is visited once. One tenant and one bucket
        -- here: the subject alone gives that order (a subject's metrics share a leaf), and a
        -- sort on one uuid is a fraction of a sort on the whole key, whose constant leading
        -- columns and text columns make every comparison a long one.
        EXECUTE format('DELETE FROM timeseries.%I WHERE tenant_id = $3 AND bucket >= $1 AND bucket < $2', p_name || '_mat')
            USING v_starts[i], (v_starts[i] AT TIME ZONE 'UTC' + r.bucket_width) AT TIME ZONE 'UTC', v_tenants[i];
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
        EXECUTE format('INSERT INTO timeseries.%I %s ORDER BY 3', p_name || '_mat', v_sql)
            USING v_starts[i], (v_starts[i] AT TIME ZONE 'UTC' + r.bucket_width) AT TIME ZONE 'UTC', v_tenants[i];
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
        v_buckets := v_buckets + 1;
        IF v_has_dependents THEN
            INSERT INTO timeseries.rollup_invalidations (rollup, tenant_id, day)
            SELECT d.name, v_tenants[i], v_starts[i] FROM timeseries.rollups d WHERE d.source_rollup = p_name;
        END IF;
    END LOOP;

    -- 2. New complete buckets [old watermark, new watermark).
    IF v_new IS NOT NULL THEN
        IF v_old IS NULL THEN
            IF r.source_rollup IS NULL THEN
                EXECUTE format('SELECT min(recorded_at) FROM timeseries.%I(''-infinity'', ''infinity'')', r.hypertable || '_points')
                    INTO v_old;
            ELSE
                EXECUTE format('SELECT min(bucket) FROM timeseries.%I', r.source_rollup || '_mat') INTO v_old;
            END IF;
            v_old := least(coalesce(timeseries.bucket(r.bucket_width, v_old), v_new), v_new);
        END IF;
        IF v_new > v_old THEN
            EXECUTE format('DELETE FROM timeseries.%I WHERE bucket >= $1', p_name || '_mat') USING v_old;
            -- A month (or one bucket, when wider) per statement, bucket by bucket and in
            -- subject order within a bucket: the aggregation stays in memory, each bucket's
            -- rows sit together in the heap (as the daily refreshes leave them later), so
            -- replacing an invalidated bucket deletes from a few heap pages rather than one
            -- per subject.
            v_from := v_old;
            WHILE v_from < v_new LOOP
                -- Calendar steps in UTC, like the buckets (not in the session's time zone).
                v_to := least(v_new, greatest(timeseries.bucket(r.bucket_width, (v_from AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC'),
                                              (v_from AT TIME ZONE 'UTC' + r.bucket_width) AT TIME ZONE 'UTC'));
                EXECUTE format('INSERT INTO timeseries.%I %s ORDER BY 5, 3', p_name || '_mat', v_sql)
                    USING v_from, v_to, NULL::uuid;
                GET DIAGNOSTICS v_n = ROW_COUNT;
                v_rows := v_rows + v_n;
                v_from := v_to;
            END LOOP;
        END IF;
        UPDATE timeseries.rollups SET watermark = greatest(v_new, v_old) WHERE name = p_name;
        IF r.source_rollup IS NULL THEN
            PERFORM timeseries.move_tail_floors();
        END IF;
    END IF;
    UPDATE timeseries.rollups
    SET last_refresh_at = now(),
        last_refresh_ms = extract(epoch FROM clock_timestamp() - v_started) * 1000
    WHERE name = p_name;
    RETURN jsonb_build_object('rollup', p_name, 'invalidated_buckets', v_buckets, 'rows_written', v_rows,
                              'watermark', (SELECT watermark FROM timeseries.rollups WHERE name = p_name));
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.refresh_rollup(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.refresh_rollup(text, timestamptz) TO pms_maintenance;

-- The rollup job: every rollup, sources before the rollups built on them.
CREATE OR REPLACE FUNCTION timeseries.refresh_all_rollups(p_now timestamptz DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql AS $$
DECLARE
    r record;
    v_out jsonb := '[]';
BEGIN
    FOR r IN SELECT name FROM timeseries.rollups ORDER BY refresh_order, name LOOP
        v_out := v_out || timeseries.refresh_rollup(r.name, p_now);
    END LOOP;
    RETURN jsonb_build_object('rollups_refreshed', jsonb_array_length(v_out), 'rollups', v_out);
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.refresh_all_rollups(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.refresh_all_rollups(timestamptz) TO pms_maintenance;

-- A lower bound of each hypertable's real-time tail that the planner can see. The tail of a
-- rollup view is "raw rows at or after the watermark"; the watermark lives in a table, so
-- the planner cannot prune chunks with it and would plan (and lock) every chunk of the
-- hypertable for every read. The views therefore also filter on tail_floor(hypertable), which
-- is IMMUTABLE on purpose: the planner folds it to a constant and prunes at plan time. It
-- never changes what a query returns, because the floor is always a chunk start at or below
-- every watermark of the hypertable's rollups (a week below, so even a transaction whose
-- snapshot predates a refresh still sees a watermark above it); a plan that kept an older
-- floor only scans more chunks. move_tail_floors() rewrites it after refreshes, which moves
-- it at most once per chunk interval.
CREATE OR REPLACE FUNCTION timeseries.tail_floor(p_hypertable text) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT '-infinity'::timestamptz $$;
GRANT EXECUTE ON FUNCTION timeseries.tail_floor(text) TO pms_app, pms_maintenance, pms_readonly;

-- Recomputes every floor from the watermarks and rewrites tail_floor() when one moved
-- (forward only). Owner rights: it replaces a function.
CREATE OR REPLACE FUNCTION timeseries.move_tail_floors() RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    h record;
    v_floor timestamptz;
    v_cases text := '';
    v_moved boolean := false;
BEGIN
    -- Two refreshes committing a new body at once would fail with a concurrent update.
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.tail_floor'));
    FOR h IN SELECT x.name, (SELECT min(coalesce(r.watermark, '-infinity')) FROM timeseries.rollups r
                             WHERE r.hypertable = x.name AND r.source_rollup IS NULL) AS low
             FROM timeseries.hypertables x ORDER BY x.name LOOP
        v_floor := '-infinity';
        IF h.low IS NOT NULL AND isfinite(h.low) THEN
            SELECT max(c.range_start) INTO v_floor FROM timeseries.chunks c
            WHERE c.hypertable = h.name AND c.range_start <= h.low - interval '168 hours';
            v_floor := coalesce(v_floor, '-infinity');
        END IF;
        v_floor := greatest(v_floor, timeseries.tail_floor(h.name));
        IF v_floor IS DISTINCT FROM timeseries.tail_floor(h.name) THEN
            v_moved := true;
        END IF;
        IF isfinite(v_floor) THEN
            v_cases := v_cases || format(' WHEN %L THEN %L::timestamptz', h.name, v_floor);
        END IF;
    END LOOP;
    IF v_moved THEN
        EXECUTE format($f$CREATE OR REPLACE FUNCTION timeseries.tail_floor(p_hypertable text) RETURNS timestamptz
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $b$ SELECT CASE p_hypertable%s ELSE '-infinity'::timestamptz END $b$ $f$, v_cases);
    END IF;
    RETURN v_moved;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.move_tail_floors() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.move_tail_floors() TO pms_maintenance;

-- The public rollups: materialized buckets plus the real-time tail, so readers never see a gap.
-- The tail's raw branches read only chunks from tail_floor() on (pruned at plan time), then
-- only rows from the watermark on.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM timeseries.rollups WHERE source_rollup IS NULL LOOP
        EXECUTE format($f$
            CREATE OR REPLACE VIEW public.%1$I WITH (security_invoker = true) AS
            SELECT m.tenant_id, m.grain, m.subject_id, m.metric_name, m.bucket, m.sample_count,
                   m.sum_value / m.sample_count AS avg_value, m.min_value, m.max_value, m.sum_value
            FROM timeseries.%2$I m WHERE m.bucket < timeseries.watermark(%1$L)
            UNION ALL
            SELECT p.tenant_id, 'user'::text, p.user_id, p.metric_name, timeseries.bucket(%3$L, p.recorded_at),
                   count(*), avg(p.value), min(p.value), max(p.value), sum(p.value)
            FROM public.%4$I p WHERE p.recorded_at >= timeseries.tail_floor(%4$L) AND p.recorded_at >= timeseries.watermark(%1$L)
            GROUP BY p.tenant_id, p.user_id, p.metric_name, 5
            UNION ALL
            SELECT p.tenant_id, g.grain, g.subject_id, p.metric_name, timeseries.bucket(%3$L, p.recorded_at),
                   count(*), avg(p.value), min(p.value), max(p.value), sum(p.value)
            FROM public.%4$I p JOIN timeseries.user_groups g ON g.tenant_id = p.tenant_id AND g.user_id = p.user_id
            WHERE p.recorded_at >= timeseries.tail_floor(%4$L) AND p.recorded_at >= timeseries.watermark(%1$L)
            GROUP BY p.tenant_id, g.grain, g.subject_id, p.metric_name, 5
            UNION ALL
            SELECT p.tenant_id, 'tenant'::text, p.tenant_id, p.metric_name, timeseries.bucket(%3$L, p.recorded_at),
                   count(*), avg(p.value), min(p.value), max(p.value), sum(p.value)
            FROM public.%4$I p WHERE p.recorded_at >= timeseries.tail_floor(%4$L) AND p.recorded_at >= timeseries.watermark(%1$L)
            GROUP BY p.tenant_id, p.metric_name, 5$f$,
            r.name, r.name || '_mat', r.bucket_width, r.hypertable);
        EXECUTE format('COMMENT ON VIEW public.%I IS %L', r.name,
            format('[timeseries] Rollup of %s per %s bucket and person, group and tenant: materialized buckets plus the live tail', r.hypertable, r.bucket_width));
    END LOOP;
    FOR r IN SELECT * FROM timeseries.rollups WHERE source_rollup IS NOT NULL LOOP
        EXECUTE format($f$
            CREATE OR REPLACE VIEW public.%1$I WITH (security_invoker = true) AS
            SELECT m.tenant_id, m.grain, m.subject_id, m.metric_name, m.bucket, m.sample_count,
                   m.sum_value / m.sample_count AS avg_value, m.min_value, m.max_value, m.sum_value
            FROM timeseries.%2$I m WHERE m.bucket < timeseries.watermark(%1$L)
            UNION ALL
            SELECT s.tenant_id, s.grain, s.subject_id, s.metric_name, timeseries.bucket(%3$L, s.bucket),
                   sum(s.sample_count)::bigint, sum(s.sum_value) / sum(s.sample_count), min(s.min_value), max(s.max_value), sum(s.sum_value)
            FROM public.%4$I s WHERE s.bucket >= timeseries.watermark(%1$L)
            GROUP BY s.tenant_id, s.grain, s.subject_id, s.metric_name, 5$f$,
            r.name, r.name || '_mat', r.bucket_width, r.source_rollup);
        EXECUTE format('COMMENT ON VIEW public.%I IS %L', r.name,
            format('[timeseries] Rollup of %s per %s bucket, built from %s: materialized buckets plus the live tail', r.hypertable, r.bucket_width, r.source_rollup));
    END LOOP;
END
$$;

-- Floors as far as the current watermarks allow (this file may be re-applied at any time).
SELECT timeseries.move_tail_floors();
