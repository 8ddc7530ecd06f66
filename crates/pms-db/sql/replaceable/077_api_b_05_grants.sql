-- The part-2 (b) definer functions: callable by the application only, never by PUBLIC.
DO $$
DECLARE f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['public.pms_api_b_can_see_succession_plan(uuid)', 'public.pms_api_b_can_see_health(uuid)',
        'public.pms_api_b_can_see_group(text,uuid)', 'public.pms_promotion_inputs(uuid,date)', 'public.pms_succession_bench(uuid)',
        'public.pms_org_health(uuid)', 'public.pms_org_health_version(uuid)', 'public.pms_survey_results(uuid,boolean)',
        'public.pms_pulse_results(uuid)'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', f);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO pms_app', f);
    END LOOP;
END
$$;
