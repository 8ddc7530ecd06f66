-- Erasure hook for the time-series tier: a person's points are deleted from the four
-- hypertables, both the plain rows and the compressed segments (compression packs one row per
-- tenant, user and chunk, so the person's compressed rows are removed whole without touching
-- anyone else's), and their per-user rollup buckets. Team, department and tenant buckets are
-- aggregates over many people and stay. Registered in pms_retention.erasure_hooks, which
-- erase_person_hot calls as fn(tenant, person, pseudonym).

CREATE OR REPLACE FUNCTION pms_retention.erase_timeseries_person(p_tenant uuid, p_person uuid, p_pseudonym uuid)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    t text;
    n bigint;
    points bigint;
    segments bigint;
    report jsonb := '{}';
    saved text := current_setting('app.tenant_id', true);
BEGIN
    IF p_tenant IS NULL OR p_person IS NULL THEN
        RAISE EXCEPTION 'time-series erasure needs a tenant and a person' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The tables force RLS for their owner too: act inside the person's tenant only.
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    FOREACH t IN ARRAY ARRAY['performance_metrics_ts', 'engagement_metrics_ts', 'goal_progress_ts', 'feedback_activity_ts'] LOOP
        CONTINUE WHEN to_regclass(format('public.%I', t)) IS NULL;
        EXECUTE format('DELETE FROM public.%I WHERE tenant_id = $1 AND user_id = $2', t) USING p_tenant, p_person;
        GET DIAGNOSTICS points = ROW_COUNT;
        segments := 0;
        IF to_regclass(format('timeseries.%I', t || '_compressed')) IS NOT NULL THEN
            EXECUTE format('WITH d AS (DELETE FROM timeseries.%I WHERE tenant_id = $1 AND user_id = $2 RETURNING point_count)
                            SELECT coalesce(sum(point_count), 0) FROM d', t || '_compressed')
                INTO segments USING p_tenant, p_person;
        END IF;
        report := report || jsonb_build_object(t, jsonb_build_object('points', points, 'compressed_points', segments));
    END LOOP;
    FOREACH t IN ARRAY ARRAY['performance_metrics_daily_mat', 'performance_metrics_monthly_mat',
                             'engagement_metrics_weekly_mat', 'feedback_trends_monthly_mat'] LOOP
        CONTINUE WHEN to_regclass(format('timeseries.%I', t)) IS NULL;
        EXECUTE format('DELETE FROM timeseries.%I WHERE tenant_id = $1 AND grain = ''user'' AND subject_id = $2', t)
            USING p_tenant, p_person;
        GET DIAGNOSTICS n = ROW_COUNT;
        report := report || jsonb_build_object(t, jsonb_build_object('user_buckets', n));
    END LOOP;
    PERFORM set_config('app.tenant_id', coalesce(saved, ''), true);
    RETURN report;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_retention.erase_timeseries_person(uuid, uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pms_retention.erase_timeseries_person(uuid, uuid, uuid) TO pms_app, pms_maintenance;

INSERT INTO pms_retention.erasure_hooks (name, function)
VALUES ('timeseries', 'pms_retention.erase_timeseries_person'::regproc)
ON CONFLICT (name) DO UPDATE SET function = excluded.function;
