-- The TimescaleDB backend's team and department grains, and the tenant grain of the monthly
-- rollups (migration 20261218100000): rows in the native rollup tables timeseries.<rollup>_mat
-- below timeseries.rollups.watermark, refreshed by timeseries.refresh_all_rollups with the
-- native engine's rules. The person grain, and the tenant grain of the daily and weekly
-- rollups, are TimescaleDB's continuous aggregates (refreshed by its policies); the public
-- views (090) read all of them. A no-op on the native backend.
--
-- Changed raw days are logged by a row trigger on the storage hypertables, for inserts (COPY
-- included), updates and deletes. Not by statement triggers with transition tables, as on the
-- native engine: TimescaleDB 2.28 refuses them for DELETE once compression is on, and with one
-- for INSERT in place its COPY path stops logging its own continuous-aggregate invalidations
-- (seen: 100,000 rows copied below the invalidation threshold left no entry, an INSERT did;
-- without the trigger the COPY did too), so the per-person aggregates would miss late rows.
-- A row trigger on DELETE also makes TimescaleDB delete compressed batches row by row, where it
-- would drop a whole batch unseen. Days at or after the highest watermark of the hypertable's
-- rollups are not logged: the next refresh materializes them from the raw rows anyway.
-- Dropped chunks (retention) are not logged, as on the native engine: materialized buckets
-- outlive their raw rows.

-- Row trigger on timeseries.<hypertable>_hyper (TG_ARGV[0]: the public hypertable name). A
-- statement writing many points of one tenant and day (ingest sends them in time order) logs
-- the day once per transaction.
CREATE OR REPLACE FUNCTION timeseries.log_hyper_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_ht text := TG_ARGV[0];
    v_threshold timestamptz;
    v_day timestamptz;
    v_key text;
    r record;
BEGIN
    FOR r IN SELECT x.tenant_id, x.recorded_at FROM (
                 SELECT NEW.tenant_id, NEW.recorded_at WHERE TG_OP IN ('INSERT', 'UPDATE')
                 UNION ALL
                 SELECT OLD.tenant_id, OLD.recorded_at WHERE TG_OP IN ('DELETE', 'UPDATE')) x(tenant_id, recorded_at) LOOP
        v_day := public.time_bucket('1 day'::interval, r.recorded_at);
        v_key := v_ht || ' ' || r.tenant_id || ' ' || v_day;
        CONTINUE WHEN current_setting('timeseries.last_logged_day', true) IS NOT DISTINCT FROM v_key;
        IF v_threshold IS NULL THEN
            SELECT coalesce(max(w.watermark), '-infinity') INTO v_threshold FROM timeseries.rollups w WHERE w.hypertable = v_ht;
        END IF;
        IF r.recorded_at < v_threshold THEN
            INSERT INTO timeseries.invalidations (hypertable, tenant_id, day) VALUES (v_ht, r.tenant_id, v_day);
        END IF;
        PERFORM set_config('timeseries.last_logged_day', v_key, true);
    END LOOP;
    RETURN NULL;
END
$$;
GRANT EXECUTE ON FUNCTION timeseries.log_hyper_row() TO pms_app, pms_maintenance;

DO $$
DECLARE
    h record;
    t record;
BEGIN
    IF timeseries.backend() <> 'timescaledb' THEN
        RETURN;
    END IF;
    FOR h IN SELECT name FROM timeseries.hypertables ORDER BY name LOOP
        -- Dropped and created (not replaced): TimescaleDB copies row triggers onto every chunk.
        EXECUTE format('DROP TRIGGER IF EXISTS log_changes ON timeseries.%I', h.name || '_hyper');
        EXECUTE format('CREATE TRIGGER log_changes AFTER INSERT OR UPDATE OR DELETE ON timeseries.%I
                        FOR EACH ROW EXECUTE FUNCTION timeseries.log_hyper_row(%L)', h.name || '_hyper', h.name);
    END LOOP;

    -- Membership changes queue their groups, as on the native engine (030_timeseries_06 leaves
    -- these triggers out on this backend; they are created here, after it).
    FOR t IN SELECT * FROM (VALUES ('users', 'log_department_changes'), ('team_members', 'log_team_changes')) v(tbl, fn) LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER log_membership_inserts AFTER INSERT ON public.%I REFERENCING NEW TABLE AS changed_new
                        FOR EACH STATEMENT EXECUTE FUNCTION timeseries.%I()', t.tbl, t.fn);
        EXECUTE format('CREATE OR REPLACE TRIGGER log_membership_updates AFTER UPDATE ON public.%I REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
                        FOR EACH STATEMENT EXECUTE FUNCTION timeseries.%I()', t.tbl, t.fn);
        EXECUTE format('CREATE OR REPLACE TRIGGER log_membership_deletes AFTER DELETE ON public.%I REFERENCING OLD TABLE AS changed_old
                        FOR EACH STATEMENT EXECUTE FUNCTION timeseries.%I()', t.tbl, t.fn);
        EXECUTE format('ALTER TABLE public.%I ENABLE ALWAYS TRIGGER log_membership_inserts, ENABLE ALWAYS TRIGGER log_membership_updates,
                        ENABLE ALWAYS TRIGGER log_membership_deletes', t.tbl);
    END LOOP;
END
$$;

-- Whether a rollup's tenant grain is a hierarchical continuous aggregate (fixed-width
-- buckets) rather than rows of timeseries.<rollup>_mat (monthly buckets).
CREATE OR REPLACE FUNCTION timeseries.has_tenant_cagg(p_name text) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT to_regclass(format('timeseries.%I', p_name || '_tenant_cagg')) IS NOT NULL
$$;
GRANT EXECUTE ON FUNCTION timeseries.has_tenant_cagg(text) TO pms_maintenance;

-- The materialized rows of a rollup over [$1, $2) for one tenant ($3) or all (NULL), from the
-- raw rows: per person first (the aggregate's input shrinks before the join), then summed over
-- timeseries.user_groups, and over the tenant when it has no tenant aggregate. From the raw
-- rows rather than the per-person aggregate: that one is refreshed on TimescaleDB's schedule
-- and may still miss a day logged here.
CREATE OR REPLACE FUNCTION timeseries.group_rollup_sql(p_name text) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT format($q$
        WITH per_user AS MATERIALIZED (
            SELECT p.tenant_id, p.user_id, p.metric_name, public.time_bucket(%1$L::interval, p.recorded_at) AS bucket,
                   count(*) AS n, sum(p.value) AS s, min(p.value) AS lo, max(p.value) AS hi
            FROM timeseries.%2$I p
            WHERE p.recorded_at >= $1 AND p.recorded_at < $2 AND ($3::uuid IS NULL OR p.tenant_id = $3)
            GROUP BY 1, 2, 3, 4)
        SELECT u.tenant_id, g.grain, g.subject_id, u.metric_name, u.bucket, sum(u.n), sum(u.s), min(u.lo), max(u.hi)
        FROM per_user u JOIN timeseries.user_groups g ON g.tenant_id = u.tenant_id AND g.user_id = u.user_id
        GROUP BY 1, 2, 3, 4, 5%3$s$q$,
        r.bucket_width, r.hypertable || '_hyper',
        CASE WHEN timeseries.has_tenant_cagg(r.name) THEN '' ELSE $t$
        UNION ALL
        SELECT tenant_id, 'tenant', tenant_id, metric_name, bucket, sum(n), sum(s), min(lo), max(hi)
        FROM per_user GROUP BY 1, 3, 4, 5$t$ END)
    FROM timeseries.rollups r WHERE r.name = p_name
$$;
GRANT EXECUTE ON FUNCTION timeseries.group_rollup_sql(text) TO pms_maintenance;

-- Rebuilds the rows below the watermark of the groups queued for one rollup, from their
-- current members' raw rows (one group per statement, as on the native engine). Returns the
-- rows deleted and written.
CREATE OR REPLACE FUNCTION timeseries.refresh_group_membership(p_name text) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    r timeseries.rollups;
    v_tenants uuid[];
    v_grains text[];
    v_subjects uuid[];
    v_rows bigint := 0;
    v_n bigint;
BEGIN
    SELECT * INTO r FROM timeseries.rollups WHERE name = p_name;
    WITH d AS (DELETE FROM timeseries.membership_invalidations WHERE rollup = p_name
               RETURNING tenant_id, grain, subject_id)
    SELECT coalesce(array_agg(x.tenant_id ORDER BY x.tenant_id, x.grain, x.subject_id), '{}'),
           coalesce(array_agg(x.grain ORDER BY x.tenant_id, x.grain, x.subject_id), '{}'),
           coalesce(array_agg(x.subject_id ORDER BY x.tenant_id, x.grain, x.subject_id), '{}')
    INTO v_tenants, v_grains, v_subjects
    FROM (SELECT DISTINCT d.tenant_id, d.grain, d.subject_id FROM d) x;
    DELETE FROM timeseries.membership_invalidations q
    WHERE NOT EXISTS (SELECT 1 FROM timeseries.rollups x WHERE x.name = q.rollup);
    IF cardinality(v_subjects) = 0 OR r.watermark IS NULL THEN
        RETURN 0;
    END IF;
    FOR i IN 1 .. cardinality(v_subjects) LOOP
        EXECUTE format('DELETE FROM timeseries.%I WHERE tenant_id = $1 AND grain = $2 AND subject_id = $3 AND bucket < $4',
                       p_name || '_mat')
            USING v_tenants[i], v_grains[i], v_subjects[i], r.watermark;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
        EXECUTE format($q$
            INSERT INTO timeseries.%1$I
            SELECT $1, $2, $3, p.metric_name, public.time_bucket(%3$L::interval, p.recorded_at),
                   count(*), sum(p.value), min(p.value), max(p.value)
            FROM timeseries.user_groups g
            JOIN timeseries.%2$I p ON p.tenant_id = g.tenant_id AND p.user_id = g.user_id AND p.recorded_at < $4
            WHERE g.tenant_id = $1 AND g.grain = $2 AND g.subject_id = $3
            GROUP BY 5, 4
            ORDER BY 5, 4$q$,
            p_name || '_mat', r.hypertable || '_hyper', r.bucket_width)
            USING v_tenants[i], v_grains[i], v_subjects[i], r.watermark;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
    END LOOP;
    RETURN v_rows;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.refresh_group_membership(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.refresh_group_membership(text) TO pms_maintenance;

-- Refreshes one rollup's team and department rows: queued groups, then invalidated buckets
-- below the watermark, then every complete bucket up to the current one. Run by
-- pms_maintenance (all tenants); idempotent.
CREATE OR REPLACE FUNCTION timeseries.refresh_group_rollup(p_name text, p_now timestamptz DEFAULT now()) RETURNS jsonb
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
    v_from timestamptz;
    v_to timestamptz;
BEGIN
    SELECT * INTO r FROM timeseries.rollups WHERE name = p_name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown rollup %', p_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_sql := timeseries.group_rollup_sql(p_name);
    -- Writers that started before us finish first; later ones see the new watermark.
    EXECUTE format('LOCK TABLE timeseries.%I IN SHARE MODE', r.hypertable || '_hyper');
    WITH d AS (DELETE FROM timeseries.invalidations WHERE hypertable = r.hypertable RETURNING tenant_id, day)
    INSERT INTO timeseries.rollup_invalidations (rollup, tenant_id, day)
    SELECT DISTINCT x.name, d.tenant_id, d.day FROM d JOIN timeseries.rollups x ON x.hypertable = r.hypertable;
    v_new := public.time_bucket(r.bucket_width, p_now);
    v_old := r.watermark;
    v_rows := v_rows + timeseries.refresh_group_membership(p_name);

    -- 1. Invalidated buckets below the old watermark: replaced, one tenant and bucket at a time.
    WITH d AS (DELETE FROM timeseries.rollup_invalidations WHERE rollup = p_name RETURNING tenant_id, day)
    SELECT coalesce(array_agg(x.tenant_id ORDER BY x.bucket, x.tenant_id), '{}'),
           coalesce(array_agg(x.bucket ORDER BY x.bucket, x.tenant_id), '{}')
    INTO v_tenants, v_starts
    FROM (SELECT DISTINCT d.tenant_id, public.time_bucket(r.bucket_width, d.day) AS bucket FROM d
          WHERE v_old IS NOT NULL AND d.day < v_old) x;
    FOR i IN 1 .. cardinality(v_starts) LOOP
        v_to := (v_starts[i] AT TIME ZONE 'UTC' + r.bucket_width) AT TIME ZONE 'UTC';
        EXECUTE format('DELETE FROM timeseries.%I WHERE tenant_id = $3 AND bucket >= $1 AND bucket < $2', p_name || '_mat')
            USING v_starts[i], v_to, v_tenants[i];
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
        EXECUTE format('INSERT INTO timeseries.%I %s ORDER BY 3', p_name || '_mat', v_sql)
            USING v_starts[i], v_to, v_tenants[i];
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
        v_buckets := v_buckets + 1;
    END LOOP;

    -- 2. New complete buckets [old watermark, new watermark), a month (or a bucket) per statement.
    IF v_old IS NULL THEN
        EXECUTE format('SELECT min(recorded_at) FROM timeseries.%I', r.hypertable || '_hyper') INTO v_old;
        v_old := least(coalesce(public.time_bucket(r.bucket_width, v_old), v_new), v_new);
    END IF;
    IF v_new > v_old THEN
        EXECUTE format('DELETE FROM timeseries.%I WHERE bucket >= $1', p_name || '_mat') USING v_old;
        v_from := v_old;
        WHILE v_from < v_new LOOP
            v_to := least(v_new, greatest(public.time_bucket(r.bucket_width, (v_from AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC'),
                                          (v_from AT TIME ZONE 'UTC' + r.bucket_width) AT TIME ZONE 'UTC'));
            EXECUTE format('INSERT INTO timeseries.%I %s ORDER BY 5, 3', p_name || '_mat', v_sql)
                USING v_from, v_to, NULL::uuid;
            GET DIAGNOSTICS v_n = ROW_COUNT;
            v_rows := v_rows + v_n;
            v_from := v_to;
        END LOOP;
    END IF;
    UPDATE timeseries.rollups
    SET watermark = greatest(v_new, v_old),
        last_refresh_at = now(),
        last_refresh_ms = extract(epoch FROM clock_timestamp() - v_started) * 1000
    WHERE name = p_name;
    RETURN jsonb_build_object('rollup', p_name, 'grains', 'team, department', 'invalidated_buckets', v_buckets,
                              'rows_written', v_rows, 'watermark', greatest(v_new, v_old));
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.refresh_group_rollup(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.refresh_group_rollup(text, timestamptz) TO pms_maintenance;

-- The rollup job on this backend: the person and tenant grains are refreshed by TimescaleDB's
-- refresh policies (a refresh needs the owner and cannot run inside a function); the team and
-- department grains here.
DO $outer$
BEGIN
    IF timeseries.backend() <> 'timescaledb' THEN
        RETURN;
    END IF;
    CREATE OR REPLACE FUNCTION timeseries.refresh_all_rollups(p_now timestamptz DEFAULT now()) RETURNS jsonb
        LANGUAGE plpgsql AS $$
    DECLARE
        r record;
        v_out jsonb := '[]';
    BEGIN
        FOR r IN SELECT name FROM timeseries.rollups ORDER BY refresh_order, name LOOP
            v_out := v_out || timeseries.refresh_group_rollup(r.name, p_now);
        END LOOP;
        RETURN jsonb_build_object('rollups_refreshed', jsonb_array_length(v_out), 'rollups', v_out,
                                  'refreshed_by', 'timescaledb refresh policies (person and tenant grains)');
    END
    $$;
    REVOKE EXECUTE ON FUNCTION timeseries.refresh_all_rollups(timestamptz) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION timeseries.refresh_all_rollups(timestamptz) TO pms_maintenance;
END
$outer$;
