-- Fresh planner statistics for tables a bulk load just filled. A generated tenant arrives in
-- minutes, long before autovacuum's analyze threshold is crossed on every table; until then the
-- planner believes the tables empty (reltuples = -1) and picks, for the visibility policies'
-- look-ups, any index whose leading column matches instead of the primary key. The loader
-- (pms_maintenance, which owns no table) asks the owner to analyze them: public tables only,
-- named without a schema; unknown names are refused.
CREATE OR REPLACE FUNCTION pms_meta.analyze_after_load(p_tables text[]) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_name text;
    v_rel regclass;
    v_done integer := 0;
BEGIN
    FOREACH v_name IN ARRAY coalesce(p_tables, '{}') LOOP
        v_rel := to_regclass('public.' || quote_ident(v_name));
        IF v_rel IS NULL OR NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = v_rel AND c.relkind IN ('r', 'p')) THEN
            RAISE EXCEPTION 'analyze_after_load: % is not a table of the public schema', v_name
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        EXECUTE format('ANALYZE %s', v_rel);
        v_done := v_done + 1;
    END LOOP;
    RETURN v_done;
END
$$;
REVOKE ALL ON FUNCTION pms_meta.analyze_after_load(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pms_meta.analyze_after_load(text[]) TO pms_maintenance;
