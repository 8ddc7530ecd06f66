-- Warehouse sync, one tenant's pass: the sources in dependency order (dimensions before the
-- facts that point at them, departments before people), then the calendar, the watermarks and
-- the run record. `pms warehouse sync` calls these inside one REPEATABLE READ transaction, so
-- the pass reads one snapshot and its writes and watermarks commit together or not at all.

-- The sources, in the order a pass reads them (pms-warehouse lists the same names).
CREATE OR REPLACE FUNCTION warehouse.sync_sources() RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['tenants', 'departments', 'users', 'teams', 'review_cycles', 'competencies',
                 'performance_reviews', 'feedback', 'engagement_answers', 'engagement_weekly', 'goals',
                 'performance_daily']
$$;

-- Syncs one source of one tenant from p_since on; returns the warehouse rows it changed.
CREATE OR REPLACE FUNCTION warehouse.sync_source(p_tenant uuid, p_source text, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_nestloop text := current_setting('enable_nestloop');
    v_work_mem text := current_setting('work_mem');
    v_n bigint;
BEGIN
    IF p_since = '-infinity' THEN
        -- A source read whole: its rows meet the dimensions by hash joins. Without this the
        -- planner, on the statistics of tables just loaded in this transaction (or not yet
        -- analyzed after a bulk load), nests loops over millions of rows.
        PERFORM set_config('enable_nestloop', 'off', true);
        PERFORM set_config('work_mem', '64MB', true);
        IF p_source IN ('performance_reviews', 'feedback', 'goals', 'engagement_weekly', 'performance_daily') THEN
            PERFORM warehouse.analyze_for_load(p_source);
        END IF;
    END IF;
    v_n := CASE p_source
        WHEN 'tenants' THEN warehouse.sync_dim_tenant(p_tenant, p_since)
        WHEN 'departments' THEN warehouse.sync_dim_department(p_tenant, p_since)
        WHEN 'users' THEN warehouse.sync_dim_user(p_tenant, p_since)
        WHEN 'teams' THEN warehouse.sync_dim_team(p_tenant, p_since)
        WHEN 'review_cycles' THEN warehouse.sync_dim_review_cycle(p_tenant, p_since)
        WHEN 'competencies' THEN warehouse.sync_dim_competency(p_tenant, p_since)
        WHEN 'performance_reviews' THEN warehouse.sync_fact_performance_review(p_tenant, p_since)
        WHEN 'feedback' THEN warehouse.sync_fact_feedback(p_tenant, p_since)
        WHEN 'engagement_answers' THEN warehouse.sync_fact_engagement_answers(p_tenant, p_since)
        WHEN 'engagement_weekly' THEN warehouse.sync_fact_engagement_weekly(p_tenant, p_since)
        WHEN 'goals' THEN warehouse.sync_fact_goal_progress(p_tenant, p_since)
        WHEN 'performance_daily' THEN warehouse.sync_fact_performance_daily(p_tenant, p_since)
    END;
    PERFORM set_config('enable_nestloop', v_nestloop, true);
    PERFORM set_config('work_mem', v_work_mem, true);
    RETURN v_n;
END
$$;

-- Ends a tenant's pass: the calendar, every source's watermark at p_horizon, change-log
-- entries older than the horizon pruned (this pass saw all of them), and the run recorded.
CREATE OR REPLACE FUNCTION warehouse.sync_tenant_finish(p_tenant uuid, p_horizon timestamptz, p_full boolean,
                                                        p_started timestamptz, p_changes jsonb) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_dates bigint := warehouse.sync_dim_date(p_tenant);
    v_changed bigint;
BEGIN
    INSERT INTO warehouse.sync_watermarks AS w (tenant_id, source, horizon, rows_changed, updated_at)
    SELECT p_tenant, s, p_horizon, coalesce((p_changes ->> s)::bigint, 0), clock_timestamp()
    FROM unnest(warehouse.sync_sources()) s
    ON CONFLICT (tenant_id, source) DO UPDATE
       SET horizon = excluded.horizon, rows_changed = excluded.rows_changed, updated_at = excluded.updated_at;
    DELETE FROM warehouse.tombstones WHERE tenant_id = p_tenant AND deleted_at < p_horizon;
    DELETE FROM warehouse.rollup_changes WHERE tenant_id = p_tenant AND changed_at < p_horizon;
    SELECT v_dates + coalesce(sum(value::bigint), 0) INTO v_changed FROM jsonb_each_text(p_changes);
    INSERT INTO warehouse.sync_runs (tenant_id, mode, horizon, started_at, finished_at, duration_ms, rows_changed, details)
    VALUES (p_tenant, CASE WHEN p_full THEN 'FULL' ELSE 'INCREMENTAL' END, p_horizon, p_started, clock_timestamp(),
            greatest(0, (extract(epoch FROM clock_timestamp() - p_started) * 1000)::bigint), v_changed,
            p_changes || jsonb_build_object('dates', v_dates));
    RETURN v_changed;
END
$$;

-- The oldest instant a change not yet visible could carry: the start of the oldest other open
-- transaction in this database, or now. Read before the sync's snapshot is taken, it bounds
-- updated_at (now() of the writer), audit occurred_at and the change logs of every row the
-- snapshot will miss. Needs pg_read_all_stats to see other roles' transactions.
CREATE OR REPLACE FUNCTION warehouse.sync_horizon() RETURNS timestamptz
    LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT least(now(), min(a.xact_start)) FROM pg_stat_activity a
     WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL
$$;

DO $$
BEGIN
    EXECUTE (SELECT 'GRANT EXECUTE ON FUNCTION ' || string_agg(p.oid::regprocedure::text, ', ') || ' TO pms_maintenance'
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'warehouse' AND p.prokind IN ('f', 'a') AND NOT p.prosecdef);
END
$$;
