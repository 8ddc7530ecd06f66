-- Citus (issue 19): `ON DELETE SET NULL (x_id)` on a foreign key that contains the distribution
-- column is refused by Citus, even with PostgreSQL 15's column list that keeps tenant_id. On a
-- Citus coordinator `pms_db::citus::distribute` therefore puts such a key back as a plain one
-- (NO ACTION, still checked) and gives the referenced table a BEFORE DELETE trigger running this
-- function, which nulls the same columns first. The trigger fires on the worker's shard; the
-- UPDATE it runs names the tenant, so Citus routes it to the colocated shard on the same worker.
-- Unused (no trigger calls it) on a plain PostgreSQL server, where the keys keep their action.
--
-- Arguments: the referencing table, its key columns, the referenced columns (both
-- comma-separated, in key order), and the columns to set to NULL.

CREATE OR REPLACE FUNCTION pms_meta.citus_set_null() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_from text[] := string_to_array(TG_ARGV[1], ',');
    v_to text[] := string_to_array(TG_ARGV[2], ',');
    v_null text[] := string_to_array(TG_ARGV[3], ',');
    v_old jsonb := to_jsonb(OLD);
    v_set text;
    v_where text;
    v_saved_tenant text := current_setting('app.tenant_id', true);
BEGIN
    SELECT string_agg(format('%I = NULL', c), ', ') INTO v_set FROM unnest(v_null) AS c;
    SELECT string_agg(format('%I = %L', f, v_old ->> t), ' AND ') INTO v_where
      FROM unnest(v_from, v_to) AS k(f, t);
    IF v_where IS NULL OR EXISTS (SELECT 1 FROM unnest(v_to) AS t WHERE v_old ->> t IS NULL) THEN
        RETURN OLD;
    END IF;
    -- As the table's owner, in the row's tenant (a maintenance delete may have none set), as
    -- PostgreSQL's own referential action would.
    PERFORM set_config('app.tenant_id', v_old ->> 'tenant_id', true);
    EXECUTE format('UPDATE %s SET %s WHERE %s', TG_ARGV[0], v_set, v_where);
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN OLD;
END
$$;
ALTER FUNCTION pms_meta.citus_set_null() OWNER TO pms_owner;
REVOKE EXECUTE ON FUNCTION pms_meta.citus_set_null() FROM PUBLIC;
COMMENT ON FUNCTION pms_meta.citus_set_null() IS
    'Citus: the ON DELETE SET NULL (columns) action of a foreign key Citus refuses, as a BEFORE DELETE trigger of the referenced table';
