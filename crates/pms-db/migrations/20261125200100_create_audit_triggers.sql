-- The write path of the audit trail: the canonical form and hash of an entry, the per-tenant
-- chain, the row-change trigger, and enable_audit() which attaches it. The canonical form is
-- part of every stored hash, so it lives here (forward-only) and never changes in place.

-- The text an audit entry's hash covers: every column but the hash, in a fixed order;
-- timestamps as microseconds since the epoch (independent of the session's TimeZone); jsonb in
-- PostgreSQL's own normalised text form (keys sorted, whitespace fixed).
CREATE FUNCTION public.audit_log_canonical(e public.audit_log) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_array('audit', e.tenant_id, e.seq, e.id,
               (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
               e.table_name, e.entity_type, e.operation, e.row_id, e.changes,
               e.actor_user_id, e.request_id, e.db_user, e.txid, encode(e.prev_hash, 'hex'))::text
$$;

CREATE FUNCTION public.security_event_canonical(e public.security_events) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_array('security', e.tenant_id, e.seq, e.id,
               (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
               e.event_type, e.severity, e.user_id, e.account, e.ip_address::text, e.user_agent,
               e.resource_type, e.resource_id, e.details, e.request_id, e.db_user,
               encode(e.prev_hash, 'hex'))::text
$$;

-- One link of the chain: sha256(previous hash || canonical entry).
CREATE FUNCTION public.audit_chain_hash(prev bytea, canonical text) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(coalesce(prev, '\x'::bytea) || convert_to(canonical, 'UTF8'))
$$;

-- Column names whose values are never written to the audit trail (only the fact of a change).
CREATE FUNCTION pms_meta.audit_is_secret(name text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT name ~* '(passw|secret|token|api_?key|session_?id|private_?key|credential|(^|_)otp(_|$)|_hash$|^hash$|(^|_)salt(_|$))'
$$;

-- Replaces the values of secret-named keys anywhere inside a jsonb value.
CREATE FUNCTION pms_meta.audit_redact_json(j jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_out jsonb;
BEGIN
    IF j IS NULL THEN
        RETURN NULL;
    ELSIF jsonb_typeof(j) = 'object' THEN
        SELECT coalesce(jsonb_object_agg(key, CASE WHEN pms_meta.audit_is_secret(key) AND value <> 'null'::jsonb
                                                   THEN '"[REDACTED]"'::jsonb
                                                   ELSE pms_meta.audit_redact_json(value) END), '{}'::jsonb)
          INTO v_out FROM jsonb_each(j);
        RETURN v_out;
    ELSIF jsonb_typeof(j) = 'array' THEN
        SELECT coalesce(jsonb_agg(pms_meta.audit_redact_json(value) ORDER BY ord), '[]'::jsonb)
          INTO v_out FROM jsonb_array_elements(j) WITH ORDINALITY AS t(value, ord);
        RETURN v_out;
    END IF;
    RETURN j;
END
$$;

-- A column's value as the audit trail keeps it.
CREATE FUNCTION pms_meta.audit_redact_value(col text, v jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL OR v = 'null'::jsonb THEN v
                WHEN pms_meta.audit_is_secret(col) THEN '"[REDACTED]"'::jsonb
                WHEN jsonb_typeof(v) IN ('object', 'array') THEN pms_meta.audit_redact_json(v)
                ELSE v END
$$;

-- Locks the chain head of (tenant, stream) until the end of the transaction and returns the
-- next sequence number and the previous hash. The lock is what makes the chain linear under
-- any concurrency: a second writer of the same tenant waits here for the first to commit or
-- roll back, then reads the entries it committed. The head row is only locked here, not
-- updated (updating one row once per entry makes a long version chain within a transaction);
-- audit_chain_flush() moves it to the last entry once, at commit. The caller has set
-- app.tenant_id to p_tenant.
CREATE FUNCTION pms_meta.audit_chain_next(p_tenant uuid, p_stream text, OUT next_seq bigint, OUT prev_hash bytea)
    LANGUAGE plpgsql AS $$
DECLARE
    v_head_seq bigint;
    v_head_hash bytea;
    v_last_seq bigint;
    v_last_hash bytea;
BEGIN
    SELECT h.seq, h.hash INTO v_head_seq, v_head_hash
      FROM public.audit_chain_heads h WHERE h.tenant_id = p_tenant AND h.stream = p_stream FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO public.audit_chain_heads (tenant_id, stream) VALUES (p_tenant, p_stream)
            ON CONFLICT (tenant_id, stream) DO NOTHING;
        SELECT h.seq, h.hash INTO v_head_seq, v_head_hash
          FROM public.audit_chain_heads h WHERE h.tenant_id = p_tenant AND h.stream = p_stream FOR UPDATE;
    END IF;
    IF p_stream = 'audit' THEN
        SELECT a.seq, a.hash INTO v_last_seq, v_last_hash
          FROM public.audit_log a WHERE a.tenant_id = p_tenant ORDER BY a.seq DESC LIMIT 1;
    ELSE
        SELECT e.seq, e.hash INTO v_last_seq, v_last_hash
          FROM public.security_events e WHERE e.tenant_id = p_tenant ORDER BY e.seq DESC LIMIT 1;
    END IF;
    -- The head is ahead of the entries only when retention dropped them all (or the tail was
    -- cut, which verification reports): continue from the head then.
    IF v_last_seq IS NULL OR v_head_seq > v_last_seq THEN
        next_seq := v_head_seq + 1;
        prev_hash := v_head_hash;
    ELSE
        next_seq := v_last_seq + 1;
        prev_hash := v_last_hash;
    END IF;
END
$$;

-- Deferred to commit, once per new entry: the transaction's last entry of a tenant moves the
-- chain head to itself (the others find a later entry and do nothing).
CREATE FUNCTION pms_meta.audit_chain_flush() RETURNS trigger
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
        UPDATE public.audit_chain_heads h SET seq = NEW.seq, hash = NEW.hash, updated_at = clock_timestamp()
         WHERE h.tenant_id = NEW.tenant_id AND h.stream = v_stream AND h.seq < NEW.seq;
    END IF;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.audit_chain_flush() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER audit_chain_flush AFTER INSERT ON public.audit_log
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_chain_flush('audit');
CREATE CONSTRAINT TRIGGER audit_chain_flush AFTER INSERT ON public.security_events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_chain_flush('security');
ALTER TABLE public.audit_log ENABLE ALWAYS TRIGGER audit_chain_flush;
ALTER TABLE public.security_events ENABLE ALWAYS TRIGGER audit_chain_flush;

-- The row-change trigger. Arguments: tenant column, row-id column ('' for none), entity type.
-- Runs as the owner (the application has no right to write the audit tables), switches
-- app.tenant_id to the row's tenant for its own writes (so a maintenance job without a tenant
-- is audited too) and puts it back.
CREATE FUNCTION pms_meta.audit_row_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_tenant_col text := TG_ARGV[0];
    v_id_col text := nullif(TG_ARGV[1], '');
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
    v_e.table_name := TG_TABLE_NAME;
    v_e.entity_type := TG_ARGV[2];
    v_e.operation := TG_OP;
    v_e.row_id := CASE WHEN v_id_col IS NOT NULL THEN (v_row ->> v_id_col)::uuid END;
    v_e.changes := v_changes;
    v_e.actor_user_id := public.pms_current_user_id();
    v_e.request_id := left(nullif(current_setting('app.request_id', true), ''), 200);
    v_e.db_user := session_user;
    v_e.txid := txid_current();
    v_e.prev_hash := v_chain.prev_hash;
    v_e.hash := public.audit_chain_hash(v_e.prev_hash, public.audit_log_canonical(v_e));
    INSERT INTO public.audit_log SELECT (v_e).*;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.audit_row_change() FROM PUBLIC;

-- TRUNCATE fires no row trigger, so it would erase history silently: refused on audited tables.
CREATE FUNCTION pms_meta.audit_refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'TRUNCATE of audited table % is refused: delete the rows, so that each deletion is audited', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Attaches the audit trigger (and the TRUNCATE guard) to a table and registers its entity
-- type. Idempotent. Both triggers are ENABLE ALWAYS, so they fire even when a superuser sets
-- session_replication_role = replica. The entity type defaults to the singular CamelCase of
-- the table name (performance_reviews -> PerformanceReview).
CREATE FUNCTION pms_meta.enable_audit(tbl regclass, entity_type text DEFAULT NULL, tenant_column name DEFAULT 'tenant_id')
    RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_table text;
    v_entity text;
    v_id_col text;
BEGIN
    SELECT c.relname INTO v_table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = tbl AND n.nspname = 'public' AND c.relkind IN ('r', 'p');
    IF v_table IS NULL THEN
        RAISE EXCEPTION 'enable_audit: % is not a table in schema public', tbl;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl AND attname = tenant_column
                     AND atttypid = 'uuid'::regtype AND NOT attisdropped) THEN
        RAISE EXCEPTION 'enable_audit: % has no uuid column %', tbl, tenant_column;
    END IF;
    SELECT 'id' INTO v_id_col FROM pg_attribute
     WHERE attrelid = tbl AND attname = 'id' AND atttypid = 'uuid'::regtype AND NOT attisdropped;
    v_entity := coalesce(entity_type, (
        SELECT string_agg(initcap(w), '' ORDER BY o)
          FROM regexp_split_to_table(regexp_replace(regexp_replace(v_table, 'ies$', 'y'), '([^s])s$', '\1'), '_')
               WITH ORDINALITY AS t(w, o)));
    INSERT INTO pms_meta.audited_tables (table_name, entity_type, tenant_column, row_id_column)
    VALUES (v_table, v_entity, tenant_column, v_id_col)
    ON CONFLICT (table_name) DO UPDATE
        SET entity_type = excluded.entity_type, tenant_column = excluded.tenant_column,
            row_id_column = excluded.row_id_column, enabled_at = now();
    EXECUTE format('DROP TRIGGER IF EXISTS audit_row_change ON %s', tbl);
    EXECUTE format('CREATE TRIGGER audit_row_change AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
                   'EXECUTE FUNCTION pms_meta.audit_row_change(%L, %L, %L)', tbl, tenant_column, coalesce(v_id_col, ''), v_entity);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER audit_row_change', tbl);
    EXECUTE format('DROP TRIGGER IF EXISTS audit_refuse_truncate ON %s', tbl);
    EXECUTE format('CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT '
                   'EXECUTE FUNCTION pms_meta.audit_refuse_truncate()', tbl);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER audit_refuse_truncate', tbl);
END
$$;

-- Identity, organisation and access: everything that exists at this point and holds personal
-- or decision data. sessions is left out on purpose: it holds token hashes and session ids,
-- which must never reach the audit trail; logins and logouts are security events instead.
SELECT pms_meta.enable_audit('tenants', 'Tenant', 'id');
SELECT pms_meta.enable_audit(t)
FROM unnest(ARRAY['business_units', 'cost_centers', 'departments', 'users', 'teams', 'team_members',
                  'reporting_lines', 'roles', 'user_roles', 'access_policies', 'delegations',
                  'security_alert_settings']::regclass[]) AS t;

-- The performance domain, created by the schema migrations (which run before this one when
-- both are present). Guarded so that this migration also applies where they do not exist.
SELECT pms_meta.enable_audit(to_regclass('public.' || t), e)
FROM (VALUES ('performance_reviews', 'PerformanceReview'),
             ('calibration_ratings', 'CalibrationRating'),
             ('feedback', 'Feedback'),
             ('goals', 'Goal'),
             ('performance_improvement_plans', 'PIP'),
             ('compensation_decisions', 'CompensationDecision'),
             ('promotion_decisions', 'PromotionDecision'),
             ('development_plans', 'DevelopmentPlan'),
             ('succession_plans', 'SuccessionPlan')) AS v(t, e)
WHERE to_regclass('public.' || t) IS NOT NULL;
