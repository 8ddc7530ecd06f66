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

-- On a Citus worker a trigger fires on a shard, named after its table and shard id
-- (departments_102345): the audit entry is named after the table (040_audit_row_change.sql asks
-- for names that end in digits). Any other name comes back as it is.
CREATE OR REPLACE FUNCTION pms_meta.citus_table_name(p_name text) RETURNS text
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_table text;
BEGIN
    IF to_regclass('pg_catalog.pg_dist_shard') IS NULL THEN
        RETURN p_name;
    END IF;
    EXECUTE 'SELECT c.relname::text FROM pg_catalog.pg_dist_shard s JOIN pg_catalog.pg_class c ON c.oid = s.logicalrelid
              WHERE s.shardid = $1'
        INTO v_table USING substring(p_name from '_([0-9]+)$')::bigint;
    RETURN coalesce(v_table, p_name);
END
$$;
ALTER FUNCTION pms_meta.citus_table_name(text) OWNER TO pms_owner;
GRANT EXECUTE ON FUNCTION pms_meta.citus_table_name(text) TO PUBLIC;
COMMENT ON FUNCTION pms_meta.citus_table_name(text) IS
    'Citus: the table a shard belongs to, for the audit entry of a trigger that fired on the shard';

-- The chain head's move at commit (first written in 20261125200100_create_audit_triggers.sql),
-- restated with statement_timestamp() for updated_at: on a Citus worker this UPDATE runs from
-- the audit_log shard's trigger through Citus's planner, which refuses a VOLATILE function
-- such as clock_timestamp() in an UPDATE of a distributed table. The same on a plain server,
-- give or take the microseconds between the statement's start and the commit.
CREATE OR REPLACE FUNCTION pms_meta.audit_chain_flush() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_stream text := TG_ARGV[0];
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_later boolean;
BEGIN
    PERFORM set_config('app.tenant_id', NEW.tenant_id::text, true);
    IF v_stream = 'audit' THEN
        v_later := EXISTS (SELECT 1 FROM public.audit_log a WHERE a.tenant_id = NEW.tenant_id AND a.seq > NEW.seq);
    ELSE
        v_later := EXISTS (SELECT 1 FROM public.security_events e WHERE e.tenant_id = NEW.tenant_id AND e.seq > NEW.seq);
    END IF;
    IF NOT v_later THEN
        UPDATE public.audit_chain_heads h SET seq = NEW.seq, hash = NEW.hash, updated_at = statement_timestamp()
         WHERE h.tenant_id = NEW.tenant_id AND h.stream = v_stream AND h.seq < NEW.seq;
    END IF;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.audit_chain_flush() FROM PUBLIC;
