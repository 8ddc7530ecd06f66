-- Partition upkeep for audit_log and security_events: partitions are created ahead, and whole
-- months older than the retention (3 years by the specification, never less) are dropped.
-- Before a month is dropped, each tenant's chain head records the last entry it held as the
-- anchor, so verify_audit_chain() starts from there instead of reporting the gap.

CREATE OR REPLACE FUNCTION pms_meta.audit_drop_expired_partitions(p_retention_months integer DEFAULT 36,
                                                                  p_now timestamptz DEFAULT now())
    RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_cutoff date;
    v_part record;
    v_last record;
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_dropped integer := 0;
BEGIN
    IF p_now IS NULL OR NOT isfinite(p_now) THEN
        RAISE EXCEPTION 'audit retention needs a finite instant, got %', p_now USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_retention_months IS NULL OR p_retention_months < 36 OR p_retention_months > 1200 THEN
        RAISE EXCEPTION 'audit retention must be between 36 and 1200 months (the specification keeps audit data 3 years), got %',
            p_retention_months USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_cutoff := (date_trunc('month', p_now AT TIME ZONE 'UTC') - make_interval(months => p_retention_months))::date;
    FOR v_part IN
        SELECT c.relname::text AS name, p.relname::text AS parent,
               CASE p.relname WHEN 'audit_log' THEN 'audit' ELSE 'security' END AS stream,
               to_date(right(c.relname, 6), 'YYYYMM') AS month_start
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent
          JOIN pg_namespace n ON n.oid = p.relnamespace
         WHERE n.nspname = 'public' AND p.relname IN ('audit_log', 'security_events')
           AND c.relname ~ '_p[0-9]{6}$'
           AND (to_date(right(c.relname, 6), 'YYYYMM') + interval '1 month')::date <= v_cutoff
         ORDER BY 4, 1
    LOOP
        -- The partition itself is not subject to RLS for its owner: read every tenant's last entry.
        FOR v_last IN EXECUTE format(
            'SELECT DISTINCT ON (tenant_id) tenant_id, seq, hash FROM public.%I ORDER BY tenant_id, seq DESC', v_part.name)
        LOOP
            PERFORM set_config('app.tenant_id', v_last.tenant_id::text, true);
            UPDATE public.audit_chain_heads h
               SET anchor_seq = v_last.seq, anchor_hash = v_last.hash, updated_at = clock_timestamp()
             WHERE h.tenant_id = v_last.tenant_id AND h.stream = v_part.stream AND h.anchor_seq < v_last.seq;
        END LOOP;
        PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
        EXECUTE format('DROP TABLE public.%I', v_part.name);
        v_dropped := v_dropped + 1;
    END LOOP;
    RETURN v_dropped;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.audit_drop_expired_partitions(integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pms_meta.audit_drop_expired_partitions(integer, timestamptz) TO pms_maintenance;

-- What the worker runs: partitions for the (UTC) month of p_now and the next three, then
-- retention as of p_now.
CREATE OR REPLACE FUNCTION pms_meta.audit_maintain_partitions(p_now timestamptz DEFAULT now())
    RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_created integer := pms_meta.audit_ensure_partitions((p_now AT TIME ZONE 'UTC')::date, 3);
    v_dropped integer := pms_meta.audit_drop_expired_partitions(36, p_now);
BEGIN
    RETURN jsonb_build_object('created', v_created, 'dropped', v_dropped);
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.audit_maintain_partitions(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pms_meta.audit_maintain_partitions(timestamptz) TO pms_maintenance;
