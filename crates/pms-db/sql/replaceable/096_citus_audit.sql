-- Citus (issue 19): the audit trail on a distributed schema. Unused on a plain PostgreSQL
-- server (no trigger and no other function calls these there).
--
-- A trigger of a reference table fires on every copy of the table: the coordinator's and each
-- worker's. The audit trigger of such a table (`tenants`) must write its entry once, where the
-- tenant's audit_log shard is, so `pms_db::citus::distribute` gives it a WHEN condition on this
-- function: true only on the node that holds the audit_log shard of the tenant.

CREATE OR REPLACE FUNCTION pms_meta.citus_tenant_is_local(p_tenant uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_here boolean;
BEGIN
    IF p_tenant IS NULL OR to_regclass('pg_catalog.pg_dist_placement') IS NULL THEN
        RETURN false;
    END IF;
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_placement p
                              WHERE p.shardid = pg_catalog.get_shard_id_for_distribution_column(''public.audit_log'', $1)
                                AND p.groupid = (SELECT groupid FROM pg_catalog.pg_dist_local_group))'
        INTO v_here USING p_tenant;
    RETURN v_here;
END
$$;
ALTER FUNCTION pms_meta.citus_tenant_is_local(uuid) OWNER TO pms_owner;
-- A trigger's WHEN condition runs as whoever writes the row.
GRANT EXECUTE ON FUNCTION pms_meta.citus_tenant_is_local(uuid) TO PUBLIC;
COMMENT ON FUNCTION pms_meta.citus_tenant_is_local(uuid) IS
    'Citus: true on the node holding the tenant''s audit_log shard (where a reference table''s audit trigger writes)';
