-- The audit trigger of every audited table: one hash-chained audit_log entry per changed row,
-- secrets redacted, the entry named after the table the application writes to (a tenant
-- partition's parent). Last restated in 20261128100200_audit_partitions_under_their_parent.sql;
-- it lives here now, re-applied when its text changes. Arguments: the tenant column, the row id
-- column, the entity type, and (optional) a comma-separated list of columns whose values the
-- trail withholds (a private note's body: the entry says it changed, not what it says).

CREATE OR REPLACE FUNCTION pms_meta.audit_row_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_tenant_col text := TG_ARGV[0];
    v_id_col text := nullif(TG_ARGV[1], '');
    v_withheld text[] := coalesce(string_to_array(nullif(TG_ARGV[3], ''), ','), '{}');
    v_old jsonb;
    v_new jsonb;
    v_row jsonb;
    v_changes jsonb;
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_chain record;
    v_e public.audit_log;
BEGIN
    IF TG_OP <> 'INSERT' THEN v_old := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN v_new := to_jsonb(NEW); END IF;
    IF cardinality(v_withheld) > 0 THEN
        -- A withheld value that changed is marked as changed, without either value.
        SELECT CASE WHEN v_old IS NOT NULL THEN jsonb_object_agg(k, CASE WHEN k = ANY (v_withheld) AND v_old -> k <> 'null'::jsonb
                                                                          THEN '"[WITHHELD]"'::jsonb ELSE v_old -> k END) END,
               CASE WHEN v_new IS NOT NULL THEN jsonb_object_agg(k, CASE WHEN k = ANY (v_withheld) AND v_new -> k <> 'null'::jsonb
                                                                          THEN CASE WHEN v_old IS NOT NULL AND (v_old -> k) IS DISTINCT FROM (v_new -> k)
                                                                                    THEN '"[WITHHELD, CHANGED]"'::jsonb ELSE '"[WITHHELD]"'::jsonb END
                                                                          ELSE v_new -> k END) END
          INTO v_old, v_new
          FROM jsonb_object_keys(coalesce(v_new, v_old)) AS k;
    END IF;
    v_row := coalesce(v_new, v_old);
    SELECT coalesce(jsonb_object_agg(k, CASE TG_OP
               WHEN 'INSERT' THEN jsonb_build_object('new', pms_meta.audit_redact_value(k, v_new -> k))
               WHEN 'DELETE' THEN jsonb_build_object('old', pms_meta.audit_redact_value(k, v_old -> k))
               ELSE jsonb_build_object('old', pms_meta.audit_redact_value(k, v_old -> k),
                                       'new', pms_meta.audit_redact_value(k, v_new -> k)) END), '{}'::jsonb)
      INTO v_changes
      FROM jsonb_object_keys(v_row) AS k
     WHERE TG_OP <> 'UPDATE' OR (v_old -> k) IS DISTINCT FROM (v_new -> k);

    v_e.tenant_id := (v_row ->> v_tenant_col)::uuid;
    PERFORM set_config('app.tenant_id', v_e.tenant_id::text, true);
    v_chain := pms_meta.audit_chain_next(v_e.tenant_id, 'audit');
    v_e.id := gen_random_uuid();
    v_e.seq := v_chain.next_seq;
    v_e.occurred_at := clock_timestamp();
    v_e.table_name := CASE WHEN TG_TABLE_SCHEMA = 'pms_parts' THEN pms_meta.audited_table_name(TG_RELID, TG_TABLE_NAME)
                           WHEN TG_TABLE_NAME ~ '_[0-9]+$' THEN pms_meta.citus_table_name(TG_TABLE_NAME) ELSE TG_TABLE_NAME END;
    v_e.entity_type := TG_ARGV[2];
    v_e.operation := TG_OP;
    v_e.row_id := CASE WHEN v_id_col IS NOT NULL THEN (v_row ->> v_id_col)::uuid END;
    v_e.changes := v_changes;
    v_e.actor_user_id := public.pms_current_user_id();
    v_e.request_id := left(nullif(current_setting('app.request_id', true), ''), 200);
    v_e.db_user := session_user;
    v_e.txid := txid_current();
    v_e.prev_hash := v_chain.prev_hash;
    v_e.payload_salt := uuid_send(gen_random_uuid());
    v_e.payload_digest := public.audit_payload_digest(v_e.payload_salt, public.audit_log_payload(v_e));
    v_e.hash := public.audit_chain_hash(v_e.prev_hash, public.audit_log_canonical(v_e));
    INSERT INTO public.audit_log SELECT (v_e).*;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.audit_row_change() FROM PUBLIC;
