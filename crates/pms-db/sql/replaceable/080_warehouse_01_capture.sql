-- Warehouse change capture for the sources the audit trail does not cover: hard deletes of
-- review cycles, competencies, survey answers and pulse check-ins become tombstones, and the
-- rollup buckets the time-series refresh rewrites are logged per day. Both carry the
-- transaction's start time (now()), like updated_at, so the sync's horizon covers them.

CREATE OR REPLACE FUNCTION warehouse.record_tombstones() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_saved text := current_setting('app.tenant_id', true);
    v_tenant uuid;
BEGIN
    FOR v_tenant IN SELECT DISTINCT o.tenant_id FROM old_rows o LOOP
        PERFORM set_config('app.tenant_id', v_tenant::text, true);
        INSERT INTO warehouse.tombstones (tenant_id, source_table, row_id)
        SELECT o.tenant_id, TG_TABLE_NAME, o.id FROM old_rows o WHERE o.tenant_id = v_tenant;
    END LOOP;
    PERFORM set_config('app.tenant_id', coalesce(v_saved, ''), true);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION warehouse.record_tombstones() FROM PUBLIC;

CREATE OR REPLACE FUNCTION warehouse.record_rollup_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_saved text := current_setting('app.tenant_id', true);
    v_tenant uuid;
    v_rollup text := regexp_replace(TG_TABLE_NAME, '_mat$', '');
BEGIN
    FOR v_tenant IN SELECT DISTINCT c.tenant_id FROM changed_rows c WHERE c.grain = 'user' LOOP
        PERFORM set_config('app.tenant_id', v_tenant::text, true);
        INSERT INTO warehouse.rollup_changes (tenant_id, rollup, bucket)
        SELECT DISTINCT c.tenant_id, v_rollup, c.bucket FROM changed_rows c
         WHERE c.tenant_id = v_tenant AND c.grain = 'user';
    END LOOP;
    PERFORM set_config('app.tenant_id', coalesce(v_saved, ''), true);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION warehouse.record_rollup_changes() FROM PUBLIC;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['review_cycles', 'competencies', 'survey_responses', 'pulse_responses'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS warehouse_tombstones ON public.%I', t);
        EXECUTE format('CREATE TRIGGER warehouse_tombstones AFTER DELETE ON public.%I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION warehouse.record_tombstones()', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['performance_metrics_daily_mat', 'engagement_metrics_weekly_mat'] LOOP
        IF to_regclass('timeseries.' || t) IS NOT NULL
           AND (SELECT relkind FROM pg_class WHERE oid = to_regclass('timeseries.' || t)) = 'r' THEN
            EXECUTE format('DROP TRIGGER IF EXISTS warehouse_rollup_inserts ON timeseries.%I', t);
            EXECUTE format('CREATE TRIGGER warehouse_rollup_inserts AFTER INSERT ON timeseries.%I REFERENCING NEW TABLE AS changed_rows '
                           'FOR EACH STATEMENT EXECUTE FUNCTION warehouse.record_rollup_changes()', t);
            EXECUTE format('DROP TRIGGER IF EXISTS warehouse_rollup_deletes ON timeseries.%I', t);
            EXECUTE format('CREATE TRIGGER warehouse_rollup_deletes AFTER DELETE ON timeseries.%I REFERENCING OLD TABLE AS changed_rows '
                           'FOR EACH STATEMENT EXECUTE FUNCTION warehouse.record_rollup_changes()', t);
        END IF;
    END LOOP;
END
$$;

-- Merges JSON objects in aggregation order, later keys winning: the state of a row before a
-- run of audited changes is its later state overlaid with their old values, earliest last.
CREATE OR REPLACE AGGREGATE warehouse.jsonb_merge(jsonb) (SFUNC = jsonb_concat, STYPE = jsonb, INITCOND = '{}');

-- The warehouse day of an instant: UTC calendar days, whatever the session's time zone.
CREATE OR REPLACE FUNCTION warehouse.date_key(p_at timestamptz) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer
$$;
CREATE OR REPLACE FUNCTION warehouse.date_key(p_day date) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_char(p_day, 'YYYYMMDD')::integer
$$;
GRANT EXECUTE ON FUNCTION warehouse.date_key(timestamptz), warehouse.date_key(date) TO pms_maintenance, pms_readonly;
