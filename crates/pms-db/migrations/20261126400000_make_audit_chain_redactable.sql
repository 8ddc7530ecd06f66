-- A redactable audit chain, so that erasing a person reaches audit_log and security_events
-- while the chain stays verifiable (docs/ARCHITECTURE.md, "Audit trail and erasure").
--
-- Each entry is split in two: a header (tenant, seq, id, time, table, operation, ...) and a
-- payload (the columns that can name a person: row_id, changes, actor_user_id; in security
-- events user_id, account, ip_address, user_agent, resource_id, details). The chain hash covers
-- the header and payload_digest = sha256(payload_salt || payload), not the payload itself.
-- Erasure (pms_meta.audit_redact_person, SECURITY DEFINER, maintenance role only) replaces a
-- payload with its pseudonymised form, drops the salt, and appends a chained DATA_ERASURE
-- security event that lists, for each entry, the digest it had and the digest it has now.
-- verify_audit_chain() accepts an entry whose payload no longer matches its digest only when
-- those records lead from its digest to its current payload. The salt (16 random bytes per
-- entry, destroyed on redaction) keeps the digest that stays in the chain from confirming a
-- guess of the erased content.
--
-- The canonical forms change, so every existing entry is re-sealed here, in chain order, after
-- checking each chain against the old form (a chain already broken stops the migration rather
-- than being laundered). Heads exported before this migration no longer match.

ALTER TABLE audit_log
    ADD COLUMN payload_salt bytea CHECK (length(payload_salt) = 16),
    ADD COLUMN payload_digest bytea CHECK (length(payload_digest) = 32);
ALTER TABLE security_events
    ADD COLUMN payload_salt bytea CHECK (length(payload_salt) = 16),
    ADD COLUMN payload_digest bytea CHECK (length(payload_digest) = 32);
ALTER TABLE security_events DROP CONSTRAINT security_events_event_type_check;
ALTER TABLE security_events ADD CONSTRAINT security_events_event_type_check
    CHECK (event_type IN ('LOGIN_SUCCESS', 'LOGIN_FAILURE', 'LOGOUT', 'PASSWORD_CHANGE', 'PERMISSION_DENIED',
                          'ROLE_CHANGE', 'DATA_EXPORT', 'SENSITIVE_READ', 'DATA_ERASURE'));

-- The redactable part of an entry, in canonical text form.
CREATE FUNCTION public.audit_log_payload(e public.audit_log) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_array('audit-payload', e.row_id, e.changes, e.actor_user_id)::text
$$;

CREATE FUNCTION public.security_event_payload(e public.security_events) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_array('security-payload', e.user_id, e.account, e.ip_address::text, e.user_agent,
                             e.resource_id, e.details)::text
$$;

-- The digest of a payload: salted while the entry is as written, unsalted once redacted.
CREATE FUNCTION public.audit_payload_digest(salt bytea, payload text) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(coalesce(salt, '\x'::bytea) || convert_to(payload, 'UTF8'))
$$;

-- The tenants that have entries, read from the partitions (the owner reads those without RLS).
CREATE FUNCTION pg_temp.audit_tenants() RETURNS SETOF uuid LANGUAGE plpgsql AS $$
DECLARE
    v_part text;
BEGIN
    FOR v_part IN
        SELECT c.relname::text
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relname IN ('audit_log', 'security_events') AND p.relnamespace = 'public'::regnamespace
    LOOP
        RETURN QUERY EXECUTE format('SELECT DISTINCT tenant_id FROM public.%I', v_part);
    END LOOP;
END
$$;

-- Check every chain against the canonical form it was written with, before anything is
-- re-sealed: a broken chain stops the migration.
DO $$
DECLARE
    v_tenant uuid;
    v_saved text := current_setting('app.tenant_id', true);
    v_bad bigint;
BEGIN
    FOR v_tenant IN SELECT DISTINCT t FROM pg_temp.audit_tenants() t LOOP
        PERFORM set_config('app.tenant_id', v_tenant::text, true);
        SELECT min(x.seq) INTO v_bad FROM (
            SELECT e.seq, e.prev_hash, lag(e.hash) OVER w AS before, row_number() OVER w AS n,
                   public.audit_chain_hash(e.prev_hash, public.audit_log_canonical(e)) IS DISTINCT FROM e.hash AS altered
              FROM public.audit_log e WHERE e.tenant_id = v_tenant WINDOW w AS (ORDER BY e.seq, e.occurred_at, e.id)) x
         WHERE x.altered OR (x.n > 1 AND x.prev_hash IS DISTINCT FROM x.before);
        IF v_bad IS NOT NULL THEN
            RAISE EXCEPTION 'the audit chain of tenant % is broken at entry %: refusing to re-seal it; run pms audit verify',
                v_tenant, v_bad;
        END IF;
        SELECT min(x.seq) INTO v_bad FROM (
            SELECT e.seq, e.prev_hash, lag(e.hash) OVER w AS before, row_number() OVER w AS n,
                   public.audit_chain_hash(e.prev_hash, public.security_event_canonical(e)) IS DISTINCT FROM e.hash AS altered
              FROM public.security_events e WHERE e.tenant_id = v_tenant WINDOW w AS (ORDER BY e.seq, e.occurred_at, e.id)) x
         WHERE x.altered OR (x.n > 1 AND x.prev_hash IS DISTINCT FROM x.before);
        IF v_bad IS NOT NULL THEN
            RAISE EXCEPTION 'the security chain of tenant % is broken at entry %: refusing to re-seal it; run pms audit verify',
                v_tenant, v_bad;
        END IF;
    END LOOP;
    PERFORM set_config('app.tenant_id', coalesce(v_saved, ''), true);
END
$$;

-- The text an entry's hash covers from now on: the header, and the payload only through its digest.
CREATE OR REPLACE FUNCTION public.audit_log_canonical(e public.audit_log) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_array('audit/2', e.tenant_id, e.seq, e.id,
               (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
               e.table_name, e.entity_type, e.operation, e.request_id, e.db_user, e.txid,
               encode(e.prev_hash, 'hex'), encode(e.payload_digest, 'hex'))::text
$$;

CREATE OR REPLACE FUNCTION public.security_event_canonical(e public.security_events) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_array('security/2', e.tenant_id, e.seq, e.id,
               (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
               e.event_type, e.severity, e.resource_type, e.request_id, e.db_user,
               encode(e.prev_hash, 'hex'), encode(e.payload_digest, 'hex'))::text
$$;

-- Re-seal every chain in order, keeping the link of its first entry (an anchor, when retention
-- dropped older months), and move each head to the new hash of its last entry.
DO $$
DECLARE
    v_tenant uuid;
    v_saved text := current_setting('app.tenant_id', true);
    v_prev bytea;
    v_first boolean;
    a public.audit_log;
    s public.security_events;
BEGIN
    FOR v_tenant IN SELECT DISTINCT t FROM pg_temp.audit_tenants() t LOOP
        PERFORM set_config('app.tenant_id', v_tenant::text, true);
        v_first := true;
        v_prev := NULL;
        FOR a IN SELECT * FROM public.audit_log e WHERE e.tenant_id = v_tenant ORDER BY e.seq, e.occurred_at, e.id LOOP
            IF v_first THEN v_prev := a.prev_hash; v_first := false; END IF;
            a.prev_hash := v_prev;
            a.payload_salt := uuid_send(gen_random_uuid());
            a.payload_digest := public.audit_payload_digest(a.payload_salt, public.audit_log_payload(a));
            a.hash := public.audit_chain_hash(a.prev_hash, public.audit_log_canonical(a));
            UPDATE public.audit_log e
               SET prev_hash = a.prev_hash, payload_salt = a.payload_salt, payload_digest = a.payload_digest, hash = a.hash
             WHERE e.tenant_id = a.tenant_id AND e.id = a.id AND e.occurred_at = a.occurred_at;
            v_prev := a.hash;
        END LOOP;
        IF NOT v_first THEN
            UPDATE public.audit_chain_heads h SET hash = v_prev, updated_at = clock_timestamp()
             WHERE h.tenant_id = v_tenant AND h.stream = 'audit';
        END IF;
        v_first := true;
        v_prev := NULL;
        FOR s IN SELECT * FROM public.security_events e WHERE e.tenant_id = v_tenant ORDER BY e.seq, e.occurred_at, e.id LOOP
            IF v_first THEN v_prev := s.prev_hash; v_first := false; END IF;
            s.prev_hash := v_prev;
            s.payload_salt := uuid_send(gen_random_uuid());
            s.payload_digest := public.audit_payload_digest(s.payload_salt, public.security_event_payload(s));
            s.hash := public.audit_chain_hash(s.prev_hash, public.security_event_canonical(s));
            UPDATE public.security_events e
               SET prev_hash = s.prev_hash, payload_salt = s.payload_salt, payload_digest = s.payload_digest, hash = s.hash
             WHERE e.tenant_id = s.tenant_id AND e.id = s.id AND e.occurred_at = s.occurred_at;
            v_prev := s.hash;
        END LOOP;
        IF NOT v_first THEN
            UPDATE public.audit_chain_heads h SET hash = v_prev, updated_at = clock_timestamp()
             WHERE h.tenant_id = v_tenant AND h.stream = 'security';
        END IF;
    END LOOP;
    PERFORM set_config('app.tenant_id', coalesce(v_saved, ''), true);
END
$$;
DROP FUNCTION pg_temp.audit_tenants();

ALTER TABLE audit_log ALTER COLUMN payload_digest SET NOT NULL;
ALTER TABLE security_events ALTER COLUMN payload_digest SET NOT NULL;

-- A writer that does not know the payload columns (one written against the earlier form)
-- leaves payload_digest empty and hashed the entry without it: seal the payload and hash the
-- entry again before it is stored, so that every entry is in the redactable form. Writers
-- that seal the payload themselves are left alone. Only the owner can insert at all.
CREATE FUNCTION pms_meta.audit_seal_payload() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    a public.audit_log;
    s public.security_events;
BEGIN
    -- NEW has the partition's row type: read it as the parent's.
    IF NEW.payload_digest IS NOT NULL THEN
        RETURN NEW;
    ELSIF TG_ARGV[0] = 'audit' THEN
        a := jsonb_populate_record(NULL::public.audit_log, to_jsonb(NEW));
        a.payload_salt := uuid_send(gen_random_uuid());
        a.payload_digest := public.audit_payload_digest(a.payload_salt, public.audit_log_payload(a));
        NEW.payload_salt := a.payload_salt;
        NEW.payload_digest := a.payload_digest;
        NEW.hash := public.audit_chain_hash(a.prev_hash, public.audit_log_canonical(a));
    ELSE
        s := jsonb_populate_record(NULL::public.security_events, to_jsonb(NEW));
        s.payload_salt := uuid_send(gen_random_uuid());
        s.payload_digest := public.audit_payload_digest(s.payload_salt, public.security_event_payload(s));
        NEW.payload_salt := s.payload_salt;
        NEW.payload_digest := s.payload_digest;
        NEW.hash := public.audit_chain_hash(s.prev_hash, public.security_event_canonical(s));
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.audit_seal_payload() FROM PUBLIC;
CREATE TRIGGER audit_seal_payload BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_seal_payload('audit');
CREATE TRIGGER audit_seal_payload BEFORE INSERT ON security_events FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_seal_payload('security');
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_seal_payload;
ALTER TABLE security_events ENABLE ALWAYS TRIGGER audit_seal_payload;

-- The row-change trigger, now sealing the payload with a fresh salt.
CREATE OR REPLACE FUNCTION pms_meta.audit_row_change() RETURNS trigger
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
    v_e.payload_salt := uuid_send(gen_random_uuid());
    v_e.payload_digest := public.audit_payload_digest(v_e.payload_salt, public.audit_log_payload(v_e));
    v_e.hash := public.audit_chain_hash(v_e.prev_hash, public.audit_log_canonical(v_e));
    INSERT INTO public.audit_log SELECT (v_e).*;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.audit_row_change() FROM PUBLIC;
