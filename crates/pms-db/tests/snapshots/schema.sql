CREATE SCHEMA pms_meta;

ALTER SCHEMA pms_meta OWNER TO pms_owner;

CREATE SCHEMA pms_parts;

ALTER SCHEMA pms_parts OWNER TO pms_owner;

CREATE SCHEMA pms_retention;

ALTER SCHEMA pms_retention OWNER TO pms_owner;

ALTER SCHEMA public OWNER TO pms_owner;

CREATE SCHEMA timeseries;

ALTER SCHEMA timeseries OWNER TO pms_owner;

CREATE SCHEMA warehouse;

ALTER SCHEMA warehouse OWNER TO pms_owner;

CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

CREATE FUNCTION pms_meta.add_updated_at_trigger(tbl regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER touch_updated_at BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at()', tbl);
END
$$;

ALTER FUNCTION pms_meta.add_updated_at_trigger(tbl regclass) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.analyze_after_load(p_tables text[]) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

ALTER FUNCTION pms_meta.analyze_after_load(p_tables text[]) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_chain_flush() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

ALTER FUNCTION pms_meta.audit_chain_flush() OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_chain_next(p_tenant uuid, p_stream text, OUT next_seq bigint, OUT prev_hash bytea) RETURNS record
    LANGUAGE plpgsql
    AS $$
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

ALTER FUNCTION pms_meta.audit_chain_next(p_tenant uuid, p_stream text, OUT next_seq bigint, OUT prev_hash bytea) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_drop_expired_partitions(p_retention_months integer DEFAULT 36, p_now timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
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
$_$;

ALTER FUNCTION pms_meta.audit_drop_expired_partitions(p_retention_months integer, p_now timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_ensure_partitions(p_from date, p_months integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_parent text;
    v_start date;
    v_name text;
    v_created integer := 0;
BEGIN
    IF p_from IS NULL OR p_months IS NULL OR p_months < 0 OR p_months > 120 THEN
        RAISE EXCEPTION 'audit partitions: months ahead must be between 0 and 120, got %', p_months
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH v_parent IN ARRAY ARRAY['audit_log', 'security_events'] LOOP
        FOR i IN 0..p_months LOOP
            v_start := (date_trunc('month', p_from) + make_interval(months => i))::date;
            v_name := format('%s_p%s', v_parent, to_char(v_start, 'YYYYMM'));
            CONTINUE WHEN to_regclass('public.' || v_name) IS NOT NULL;
            EXECUTE format('CREATE TABLE public.%I PARTITION OF public.%I FOR VALUES FROM (%L) TO (%L)',
                           v_name, v_parent, v_start::timestamp AT TIME ZONE 'UTC',
                           (v_start + interval '1 month')::timestamp AT TIME ZONE 'UTC');
            EXECUTE format('REVOKE ALL ON public.%I FROM PUBLIC, pms_app, pms_maintenance, pms_readonly', v_name);
            EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', v_name);
            v_created := v_created + 1;
        END LOOP;
    END LOOP;
    RETURN v_created;
END
$$;

ALTER FUNCTION pms_meta.audit_ensure_partitions(p_from date, p_months integer) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_is_secret(name text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$
    SELECT name ~* '(passw|secret|token|api_?key|session_?id|private_?key|credential|(^|_)otp(_|$)|_hash$|^hash$|(^|_)salt(_|$))'
$_$;

ALTER FUNCTION pms_meta.audit_is_secret(name text) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_maintain_partitions(p_now timestamp with time zone DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_created integer := pms_meta.audit_ensure_partitions((p_now AT TIME ZONE 'UTC')::date, 3);
    v_dropped integer := pms_meta.audit_drop_expired_partitions(36, p_now);
BEGIN
    RETURN jsonb_build_object('created', v_created, 'dropped', v_dropped);
END
$$;

ALTER FUNCTION pms_meta.audit_maintain_partitions(p_now timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_redact_json(j jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    AS $$
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

ALTER FUNCTION pms_meta.audit_redact_json(j jsonb) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_redact_person(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[]) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_saved text := current_setting('app.tenant_id', true);
    v_person text := p_person::text;
    v_pseudo text := p_pseudonym::text;
    v_terms text[];
    v_strong text[];
    v_needles text[];
    v_linked boolean;
    v_items jsonb[] := '{}';
    v_from bytea;
    v_before text;
    v_after text;
    v_audit integer := 0;
    v_security integer := 0;
    v_events integer := 0;
    v_chain record;
    a public.audit_log;
    s public.security_events;
    v_was_subject boolean;
    v_e public.security_events;
BEGIN
    IF p_tenant IS NULL OR p_person IS NULL OR p_pseudonym IS NULL OR p_person = p_pseudonym THEN
        RAISE EXCEPTION 'audit redaction needs a tenant, a person and a different pseudonym'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF pms_retention.person_held(p_tenant, p_person) THEN
        RAISE EXCEPTION 'person % of tenant % is under a legal hold: nothing redacted', p_person, p_tenant
            USING ERRCODE = 'object_in_use';
    END IF;
    SELECT coalesce(array_agg(t), '{}') INTO v_terms
      FROM unnest(coalesce(p_terms, '{}')) t WHERE t IS NOT NULL AND length(trim(t)) >= 2;
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    -- Entries about the person (their row, their acts, their id in the payload) lose all their
    -- words; any other entry loses only the words that identify them wherever they appear.
    v_strong := pms_retention.strong_terms(p_tenant, p_person, v_terms);
    v_needles := array_append((SELECT coalesce(array_agg(lower(t)), '{}') FROM unnest(v_strong) t), v_person);

    FOR a IN
        SELECT * FROM public.audit_log e
         WHERE e.tenant_id = p_tenant
           AND (e.row_id = p_person OR e.actor_user_id = p_person
                OR EXISTS (SELECT 1 FROM unnest(v_needles) n WHERE strpos(lower(e.changes::text), n) > 0))
         ORDER BY e.seq
           FOR UPDATE
    LOOP
        v_before := public.audit_log_payload(a);
        IF a.payload_salt IS NOT NULL THEN
            IF public.audit_payload_digest(a.payload_salt, v_before) IS DISTINCT FROM a.payload_digest THEN
                RAISE EXCEPTION 'audit entry % of tenant % does not match its digest (tampered?): nothing redacted; run pms audit verify',
                    a.seq, p_tenant USING ERRCODE = 'data_corrupted';
            END IF;
            v_from := a.payload_digest;
        ELSE
            v_from := public.audit_payload_digest(NULL, v_before);
            IF v_from IS DISTINCT FROM pms_meta.audit_redacted_digest(p_tenant, 'audit', a.seq) THEN
                RAISE EXCEPTION 'audit entry % of tenant % does not match its redaction record (tampered?): nothing redacted; run pms audit verify',
                    a.seq, p_tenant USING ERRCODE = 'data_corrupted';
            END IF;
        END IF;
        v_linked := a.row_id IS NOT DISTINCT FROM p_person OR a.actor_user_id IS NOT DISTINCT FROM p_person
                    OR coalesce(strpos(a.changes::text, v_person) > 0, false);
        a.row_id := CASE WHEN a.row_id = p_person THEN p_pseudonym ELSE a.row_id END;
        a.actor_user_id := CASE WHEN a.actor_user_id = p_person THEN p_pseudonym ELSE a.actor_user_id END;
        a.changes := pms_retention.scrub_jsonb(a.changes, v_person, v_pseudo, CASE WHEN v_linked THEN v_terms ELSE v_strong END);
        v_after := public.audit_log_payload(a);
        CONTINUE WHEN v_after = v_before;
        UPDATE public.audit_log e
           SET row_id = a.row_id, actor_user_id = a.actor_user_id, changes = a.changes, payload_salt = NULL
         WHERE e.tenant_id = a.tenant_id AND e.id = a.id AND e.occurred_at = a.occurred_at;
        v_items := array_append(v_items, jsonb_build_object('s', 'audit', 'q', a.seq, 'from', encode(v_from, 'hex'),
                                                 'to', encode(public.audit_payload_digest(NULL, v_after), 'hex')));
        v_audit := v_audit + 1;
    END LOOP;

    FOR s IN
        SELECT * FROM public.security_events e
         WHERE e.tenant_id = p_tenant AND e.event_type <> 'DATA_ERASURE'
           AND (e.user_id = p_person OR e.resource_id = p_person
                OR EXISTS (SELECT 1 FROM unnest(v_needles) n
                            WHERE strpos(lower(concat_ws(' ', e.account, e.user_agent, e.details::text)), n) > 0))
         ORDER BY e.seq
           FOR UPDATE
    LOOP
        v_before := public.security_event_payload(s);
        IF s.payload_salt IS NOT NULL THEN
            IF public.audit_payload_digest(s.payload_salt, v_before) IS DISTINCT FROM s.payload_digest THEN
                RAISE EXCEPTION 'security event % of tenant % does not match its digest (tampered?): nothing redacted; run pms audit verify',
                    s.seq, p_tenant USING ERRCODE = 'data_corrupted';
            END IF;
            v_from := s.payload_digest;
        ELSE
            v_from := public.audit_payload_digest(NULL, v_before);
            IF v_from IS DISTINCT FROM pms_meta.audit_redacted_digest(p_tenant, 'security', s.seq) THEN
                RAISE EXCEPTION 'security event % of tenant % does not match its redaction record (tampered?): nothing redacted; run pms audit verify',
                    s.seq, p_tenant USING ERRCODE = 'data_corrupted';
            END IF;
        END IF;
        v_was_subject := s.user_id = p_person;
        v_linked := s.user_id IS NOT DISTINCT FROM p_person OR s.resource_id IS NOT DISTINCT FROM p_person
                    OR strpos(concat_ws(' ', s.account, s.user_agent, s.details::text), v_person) > 0;
        s.user_id := CASE WHEN s.user_id = p_person THEN p_pseudonym ELSE s.user_id END;
        s.resource_id := CASE WHEN s.resource_id = p_person THEN p_pseudonym ELSE s.resource_id END;
        s.account := pms_retention.scrub_text(replace(s.account, v_person, v_pseudo), CASE WHEN v_linked THEN v_terms ELSE v_strong END);
        s.user_agent := pms_retention.scrub_text(replace(s.user_agent, v_person, v_pseudo), CASE WHEN v_linked THEN v_terms ELSE v_strong END);
        s.details := pms_retention.scrub_jsonb(s.details, v_person, v_pseudo, CASE WHEN v_linked THEN v_terms ELSE v_strong END);
        -- Their own address is cut to its network (/24, /48): enough to see an attack's source.
        IF v_was_subject AND s.ip_address IS NOT NULL THEN
            s.ip_address := host(network(set_masklen(s.ip_address, CASE family(s.ip_address) WHEN 4 THEN 24 ELSE 48 END)))::inet;
        END IF;
        v_after := public.security_event_payload(s);
        CONTINUE WHEN v_after = v_before;
        UPDATE public.security_events e
           SET user_id = s.user_id, resource_id = s.resource_id, account = s.account, user_agent = s.user_agent,
               details = s.details, ip_address = s.ip_address, payload_salt = NULL
         WHERE e.tenant_id = s.tenant_id AND e.id = s.id AND e.occurred_at = s.occurred_at;
        v_items := array_append(v_items, jsonb_build_object('s', 'security', 'q', s.seq, 'from', encode(v_from, 'hex'),
                                                 'to', encode(public.audit_payload_digest(NULL, v_after), 'hex')));
        v_security := v_security + 1;
    END LOOP;

    -- The redaction records, chained in the security stream, at most 1000 per event.
    FOR i IN 0 .. (cardinality(v_items) - 1) / 1000 LOOP
        EXIT WHEN cardinality(v_items) = 0;
        v_chain := pms_meta.audit_chain_next(p_tenant, 'security');
        v_e := NULL;
        v_e.tenant_id := p_tenant;
        v_e.id := gen_random_uuid();
        v_e.seq := v_chain.next_seq;
        v_e.occurred_at := clock_timestamp();
        v_e.event_type := 'DATA_ERASURE';
        v_e.severity := 'MEDIUM';
        v_e.user_id := public.pms_current_user_id();
        v_e.resource_type := 'User';
        v_e.resource_id := p_pseudonym;
        v_e.details := jsonb_build_object('erasure', v_pseudo, 'part', i + 1,
                                          'redactions', to_jsonb(v_items[i * 1000 + 1 : (i + 1) * 1000]));
        v_e.request_id := left(nullif(current_setting('app.request_id', true), ''), 200);
        v_e.db_user := session_user;
        v_e.prev_hash := v_chain.prev_hash;
        v_e.payload_salt := uuid_send(gen_random_uuid());
        v_e.payload_digest := public.audit_payload_digest(v_e.payload_salt, public.security_event_payload(v_e));
        v_e.hash := public.audit_chain_hash(v_e.prev_hash, public.security_event_canonical(v_e));
        INSERT INTO public.security_events SELECT (v_e).*;
        v_events := v_events + 1;
    END LOOP;
    PERFORM set_config('app.tenant_id', coalesce(v_saved, ''), true);
    RETURN jsonb_build_object('audit_entries_redacted', v_audit, 'security_events_redacted', v_security,
                              'redaction_events', v_events);
END
$$;

ALTER FUNCTION pms_meta.audit_redact_person(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[]) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_redact_value(col text, v jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN v IS NULL OR v = 'null'::jsonb THEN v
                WHEN pms_meta.audit_is_secret(col) THEN '"[REDACTED]"'::jsonb
                WHEN jsonb_typeof(v) IN ('object', 'array') THEN pms_meta.audit_redact_json(v)
                ELSE v END
$$;

ALTER FUNCTION pms_meta.audit_redact_value(col text, v jsonb) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_redacted_digest(p_tenant uuid, p_stream text, p_seq bigint) RETURNS bytea
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
    SELECT decode(x.v ->> 'to', 'hex')
      FROM public.security_events r
     CROSS JOIN LATERAL jsonb_array_elements(r.details -> 'redactions') WITH ORDINALITY AS x(v, o)
     WHERE r.tenant_id = p_tenant AND r.event_type = 'DATA_ERASURE'
       AND x.v ->> 's' = p_stream AND (x.v ->> 'q')::bigint = p_seq
     ORDER BY r.seq DESC, x.o DESC
     LIMIT 1
$$;

ALTER FUNCTION pms_meta.audit_redacted_digest(p_tenant uuid, p_stream text, p_seq bigint) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RAISE EXCEPTION 'TRUNCATE of audited table % is refused: delete the rows, so that each deletion is audited', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

ALTER FUNCTION pms_meta.audit_refuse_truncate() OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_row_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
    v_e.table_name := CASE WHEN TG_TABLE_SCHEMA = 'pms_parts' THEN pms_meta.audited_table_name(TG_RELID, TG_TABLE_NAME) ELSE TG_TABLE_NAME END;
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

ALTER FUNCTION pms_meta.audit_row_change() OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audit_seal_payload() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

ALTER FUNCTION pms_meta.audit_seal_payload() OWNER TO pms_owner;

CREATE FUNCTION pms_meta.audited_table_name(p_relid oid, p_name name) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT coalesce((SELECT p.relname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                      WHERE i.inhrelid = p_relid AND p.relkind = 'p'), p_name::text)
$$;

ALTER FUNCTION pms_meta.audited_table_name(p_relid oid, p_name name) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.bulk_load_active() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT pg_catalog.current_setting('session_replication_role') = 'replica'
       AND coalesce(pg_catalog.current_setting('pms.bulk_load', true), '') <> ''
$$;

ALTER FUNCTION pms_meta.bulk_load_active() OWNER TO pms_owner;

CREATE FUNCTION pms_meta.bulk_load_audit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_entity text;
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_chain record;
    v_e public.audit_log;
BEGIN
    SELECT a.entity_type INTO v_entity FROM pms_meta.audited_tables a WHERE a.table_name = NEW.table_name;
    IF v_entity IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('app.tenant_id', NEW.tenant_id::text, true);
    v_chain := pms_meta.audit_chain_next(NEW.tenant_id, 'audit');
    v_e.tenant_id := NEW.tenant_id;
    v_e.id := gen_random_uuid();
    v_e.seq := v_chain.next_seq;
    v_e.occurred_at := clock_timestamp();
    v_e.table_name := NEW.table_name;
    v_e.entity_type := v_entity;
    v_e.operation := 'INSERT';
    v_e.row_id := NULL;
    v_e.changes := jsonb_build_object('bulk_load', jsonb_build_object(
        'batch', NEW.batch, 'rows', NEW.row_count, 'rows_sha256', encode(NEW.rows_sha256, 'hex')));
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

ALTER FUNCTION pms_meta.bulk_load_audit() OWNER TO pms_owner;

CREATE FUNCTION pms_meta.bulk_load_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF pms_meta.bulk_load_active() THEN
        RAISE EXCEPTION '% on % in a bulk-load session is refused: only inserts are verified there', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NULL;
END
$$;

ALTER FUNCTION pms_meta.bulk_load_guard() OWNER TO pms_owner;

CREATE FUNCTION pms_meta.bulk_load_verify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET work_mem TO '64MB'
    AS $_$
DECLARE
    v_batch text := current_setting('pms.bulk_load', true);
    v_tenant uuid := public.pms_current_tenant();
    v_me xid := pg_current_xact_id()::xid;
    v_rows bigint;
    v_foreign bigint;
    v_silenced text;
    v_fk record;
    v_keys text;
    v_refs text;
    v_match text;
    v_example text;
    v_missing bigint;
    v_missing_key text;
    v_digest bytea;
BEGIN
    IF NOT pms_meta.bulk_load_active() THEN
        RETURN NULL;
    END IF;
    IF v_tenant IS NULL THEN
        RAISE EXCEPTION 'bulk load % into %: no tenant set for this transaction (app.tenant_id)', v_batch, TG_TABLE_NAME
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT string_agg(quote_ident(t.tgname), ', ' ORDER BY t.tgname) INTO v_silenced
      FROM pg_trigger t
     WHERE t.tgrelid = TG_RELID AND NOT t.tgisinternal AND t.tgenabled = 'O' AND (t.tgtype & 4) <> 0;
    IF v_silenced IS NOT NULL THEN
        RAISE EXCEPTION 'bulk load % into %: trigger(s) % would not fire in a bulk-load session; load this table the ordinary way',
            v_batch, TG_TABLE_NAME, v_silenced USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    -- One pass over the statement's rows: their number, those of another tenant, and their
    -- digest (the binary form: independent of the session's settings, and cheaper than text).
    SELECT count(*), count(*) FILTER (WHERE n.tenant_id IS DISTINCT FROM v_tenant),
           sha256(coalesce(string_agg(record_send(n), ''::bytea ORDER BY n.id), ''::bytea))
      INTO v_rows, v_foreign, v_digest FROM new_rows n;
    IF v_foreign > 0 THEN
        RAISE EXCEPTION 'bulk load % into %: % of % rows belong to another tenant than %', v_batch, TG_TABLE_NAME,
            v_foreign, v_rows, v_tenant USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR v_fk IN
        SELECT c.conname, c.confrelid::regclass AS parent, c.confmatchtype,
               array_agg(a.attname::text ORDER BY k.ord) AS cols,
               array_agg(pa.attname::text ORDER BY k.ord) AS pcols
          FROM pg_constraint c
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k (col, pcol, ord)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
          JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pcol
         WHERE c.conrelid = TG_RELID AND c.contype = 'f' AND v_rows > 0
         GROUP BY c.oid, c.conname, c.confrelid, c.confmatchtype
    LOOP
        IF v_fk.confmatchtype <> 's' THEN
            RAISE EXCEPTION 'bulk load % into %: foreign key % is not MATCH SIMPLE; load this table the ordinary way',
                v_batch, TG_TABLE_NAME, v_fk.conname USING ERRCODE = 'feature_not_supported';
        END IF;
        -- Every new row's tenant_id is the transaction's tenant (checked above), so a key column
        -- that is tenant_id is that constant ($2): the distinct keys are those of the other
        -- columns (MATCH SIMPLE: a NULL column means no reference), and a foreign key on
        -- tenant_id alone is one key. Each key is looked up by the parent's key index: a row
        -- this transaction inserted as is, another's locked FOR KEY SHARE (as the RI trigger
        -- locks it, so it cannot be deleted before we commit). Probes per key, not a join: the
        -- planner's statistics of a table that is being bulk-loaded are stale, and a join
        -- planned on them can scan the whole parent table once per key.
        SELECT string_agg(format('n.%I AS k%s', c, o), ', ') FILTER (WHERE c <> 'tenant_id'),
               string_agg(format('n.%I IS NOT NULL', c), ' AND ') FILTER (WHERE c <> 'tenant_id'),
               string_agg(CASE WHEN c = 'tenant_id' THEN format('p.%I = $2', pc) ELSE format('p.%I = r.k%s', pc, o) END, ' AND '),
               string_agg(CASE WHEN c = 'tenant_id' THEN '$2::text' ELSE format('r.k%s', o) END, ', ')
          INTO v_keys, v_refs, v_match, v_example
          FROM unnest(v_fk.cols, v_fk.pcols) WITH ORDINALITY AS u (c, pc, o);
        v_refs := CASE WHEN v_keys IS NULL THEN 'SELECT'
                       ELSE format('SELECT DISTINCT %s FROM new_rows n WHERE %s', v_keys, v_refs) END;
        EXECUTE format('SELECT count(*), min(concat_ws(%L, %s)) FROM (%s) r '
                       'WHERE coalesce((SELECT 1 FROM %s p WHERE %s AND p.xmin = $1), '
                       '               (SELECT 1 FROM %s p WHERE %s AND NOT p.xmin = $1 FOR KEY SHARE OF p)) IS NULL',
                       ', ', v_example, v_refs, v_fk.parent, v_match, v_fk.parent, v_match)
            INTO v_missing, v_missing_key USING v_me, v_tenant;
        IF v_missing > 0 THEN
            RAISE EXCEPTION 'bulk load % into %: % row(s) reference a missing % row, e.g. (%) = (%); constraint %, the batch is rolled back',
                v_batch, TG_TABLE_NAME, v_missing, v_fk.parent,
                array_to_string(ARRAY(SELECT quote_ident(c) FROM unnest(v_fk.cols) AS c), ', '), v_missing_key, v_fk.conname
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END LOOP;
    INSERT INTO pms_meta.bulk_loads (tenant_id, batch, table_name, row_count, rows_sha256)
    VALUES (v_tenant, left(v_batch, 200), TG_TABLE_NAME, v_rows, v_digest);
    RETURN NULL;
END
$_$;

ALTER FUNCTION pms_meta.bulk_load_verify() OWNER TO pms_owner;

CREATE FUNCTION pms_meta.enable_audit(tbl regclass, entity_type text DEFAULT NULL::text, tenant_column name DEFAULT 'tenant_id'::name) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
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
$_$;

ALTER FUNCTION pms_meta.enable_audit(tbl regclass, entity_type text, tenant_column name) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.enable_bulk_load(tbl regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_table text;
    v_audit record;
BEGIN
    SELECT c.relname INTO v_table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = tbl AND n.nspname = 'public' AND c.relkind = 'r';
    IF v_table IS NULL THEN
        RAISE EXCEPTION 'enable_bulk_load: % is not a plain table in schema public', tbl;
    END IF;
    IF (SELECT count(*) FROM pg_attribute WHERE attrelid = tbl AND attname IN ('tenant_id', 'id')
          AND atttypid = 'uuid'::regtype AND NOT attisdropped) <> 2 THEN
        RAISE EXCEPTION 'enable_bulk_load: % needs uuid columns tenant_id and id', tbl;
    END IF;
    EXECUTE format('DROP TRIGGER IF EXISTS bulk_load_verify ON %s', tbl);
    EXECUTE format('CREATE TRIGGER bulk_load_verify AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify()', tbl);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER bulk_load_verify', tbl);
    EXECUTE format('DROP TRIGGER IF EXISTS bulk_load_guard ON %s', tbl);
    EXECUTE format('CREATE TRIGGER bulk_load_guard BEFORE UPDATE OR DELETE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard()', tbl);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER bulk_load_guard', tbl);
    SELECT a.* INTO v_audit FROM pms_meta.audited_tables a WHERE a.table_name = v_table;
    IF FOUND THEN
        EXECUTE format('DROP TRIGGER IF EXISTS audit_row_change ON %s', tbl);
        EXECUTE format('CREATE TRIGGER audit_row_change AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
                       'WHEN (pg_catalog.current_setting(''session_replication_role'') <> ''replica'' '
                       '   OR coalesce(pg_catalog.current_setting(''pms.bulk_load'', true), '''') = '''') '
                       'EXECUTE FUNCTION pms_meta.audit_row_change(%L, %L, %L)',
                       tbl, v_audit.tenant_column, coalesce(v_audit.row_id_column, ''), v_audit.entity_type);
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER audit_row_change', tbl);
    END IF;
END
$$;

ALTER FUNCTION pms_meta.enable_bulk_load(tbl regclass) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.enable_tenant_rls(tbl regclass, tenant_column name DEFAULT 'tenant_id'::name) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s USING (%I = public.pms_current_tenant()) WITH CHECK (%I = public.pms_current_tenant())',
        tbl, tenant_column, tenant_column);
END
$$;

ALTER FUNCTION pms_meta.enable_tenant_rls(tbl regclass, tenant_column name) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.enable_visibility(tbl regclass, p_domain text, p_read text, p_write text, p_readers text, p_writers text, p_insert text DEFAULT NULL::text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    v_write text := pms_meta.visibility_expand(p_write);
    v_cmd text;
BEGIN
    IF p_domain NOT IN ('REVIEWS', 'APPROVALS', 'GOALS', 'FEEDBACK', 'PRIVATE', 'ACCESS') THEN
        RAISE EXCEPTION 'enable_visibility: % is not a visibility domain (REVIEWS, APPROVALS, GOALS, FEEDBACK, PRIVATE, ACCESS)', p_domain
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_write IS NULL THEN
        RAISE EXCEPTION 'enable_visibility: % needs a write rule', tbl USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH v_cmd IN ARRAY ARRAY['select', 'insert', 'update', 'delete'] LOOP
        EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'visibility_' || v_cmd, tbl);
    END LOOP;
    IF p_read IS NOT NULL THEN
        EXECUTE format('CREATE POLICY visibility_select ON %s AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING %s',
                       tbl, pms_meta.visibility_expand(p_read));
    END IF;
    EXECUTE format('CREATE POLICY visibility_insert ON %s AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK %s',
                   tbl, pms_meta.visibility_expand(coalesce(p_insert, p_write)));
    EXECUTE format('CREATE POLICY visibility_update ON %s AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING %s WITH CHECK %s',
                   tbl, v_write, v_write);
    EXECUTE format('CREATE POLICY visibility_delete ON %s AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING %s', tbl, v_write);
    INSERT INTO pms_meta.visibility_rules (table_name, domain, read_rule, insert_rule, write_rule, readers, writers)
    VALUES (tbl::text, p_domain, p_read, coalesce(p_insert, p_write), p_write, p_readers, p_writers)
    ON CONFLICT (table_name) DO UPDATE
       SET domain = EXCLUDED.domain, read_rule = EXCLUDED.read_rule, insert_rule = EXCLUDED.insert_rule,
           write_rule = EXCLUDED.write_rule, readers = EXCLUDED.readers, writers = EXCLUDED.writers;
END
$$;

ALTER FUNCTION pms_meta.enable_visibility(tbl regclass, p_domain text, p_read text, p_write text, p_readers text, p_writers text, p_insert text) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.partition_by_tenant(p_table text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_old regclass := to_regclass(format('public.%I', p_table));
    v_default text := p_table || '_default';
    v_refs text[];
    v_fks text[];
    v_triggers text[];
    v_enabled text[];
    v_indexes text[];
    v_comments text[];
    v_policies text[];
    v_grants text[];
    v_comment text;
    v_sql text;
BEGIN
    IF v_old IS NULL OR (SELECT relkind FROM pg_class WHERE oid = v_old) <> 'r' THEN
        RAISE EXCEPTION 'partition_by_tenant: public.% is not a plain table', p_table;
    END IF;
    -- Foreign keys that reference the table (its own self-reference included): re-created
    -- against the parent at the end.
    SELECT coalesce(array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                                     pg_get_constraintdef(c.oid)) ORDER BY c.conrelid::regclass::text, c.conname), '{}')
      INTO v_refs FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = v_old AND c.conparentid = 0;
    -- Its own foreign keys (except the self-reference above): added on the parent, where
    -- PostgreSQL attaches the default partition's identical constraint instead of re-checking.
    SELECT coalesce(array_agg(format('ALTER TABLE public.%I ADD CONSTRAINT %I %s', p_table, c.conname,
                                     pg_get_constraintdef(c.oid)) ORDER BY c.conname), '{}')
      INTO v_fks FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = v_old AND c.confrelid <> v_old AND c.conparentid = 0;
    SELECT coalesce(array_agg(pg_get_triggerdef(t.oid) ORDER BY t.tgname), '{}'),
           coalesce(array_agg(format('ALTER TABLE public.%I %s TRIGGER %I', p_table,
                                     CASE t.tgenabled WHEN 'A' THEN 'ENABLE ALWAYS' WHEN 'R' THEN 'ENABLE REPLICA'
                                                      WHEN 'D' THEN 'DISABLE' ELSE 'ENABLE' END, t.tgname)
                              ORDER BY t.tgname), '{}')
      INTO v_triggers, v_enabled FROM pg_trigger t WHERE t.tgrelid = v_old AND NOT t.tgisinternal;
    -- Indexes: primary key and unique constraints as constraints, the others as indexes, each
    -- under its own name, with its comment (the access path it serves).
    SELECT coalesce(array_agg(CASE WHEN c.contype IN ('p', 'u')
                                   THEN format('ALTER TABLE public.%I ADD CONSTRAINT %I %s', p_table, c.conname, pg_get_constraintdef(c.oid))
                                   ELSE pg_get_indexdef(i.indexrelid) END ORDER BY i.indexrelid), '{}'),
           coalesce(array_agg(format('COMMENT ON INDEX public.%I IS %L', ic.relname, d.description) ORDER BY i.indexrelid)
                    FILTER (WHERE d.description IS NOT NULL), '{}')
      INTO v_indexes, v_comments
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = v_old AND c.contype IN ('p', 'u')
      LEFT JOIN pg_description d ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
     WHERE i.indrelid = v_old;
    v_policies := pms_meta.policy_copies(v_old, format('public.%I', p_table));
    SELECT coalesce(array_agg(format('GRANT %s ON public.%I TO %s', a.privilege_type, p_table,
                                     CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(a.grantee::regrole::text) END)
                              ORDER BY a.grantee, a.privilege_type), '{}')
      INTO v_grants FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = v_old AND a.grantee <> c.relowner;
    v_comment := obj_description(v_old, 'pg_class');

    FOREACH v_sql IN ARRAY (SELECT coalesce(array_agg(format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)), '{}')
                              FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = v_old AND c.conparentid = 0) LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY (SELECT coalesce(array_agg(format('DROP TRIGGER %I ON public.%I', t.tgname, p_table)), '{}')
                              FROM pg_trigger t WHERE t.tgrelid = v_old AND NOT t.tgisinternal) LOOP
        EXECUTE v_sql;
    END LOOP;

    -- The former table becomes the default partition: its indexes move with it to pms_parts,
    -- which frees their names for the parent's.
    EXECUTE format('ALTER TABLE public.%I SET SCHEMA pms_parts', p_table);
    EXECUTE format('ALTER TABLE pms_parts.%I RENAME TO %I', p_table, v_default);
    EXECUTE format('CREATE TABLE public.%I (LIKE pms_parts.%I INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS '
                   'INCLUDING COMMENTS INCLUDING STATISTICS INCLUDING COMPRESSION) PARTITION BY LIST (tenant_id)',
                   p_table, v_default);
    EXECUTE format('COMMENT ON TABLE public.%I IS %L', p_table, v_comment);
    EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION pms_parts.%I DEFAULT', p_table, v_default);
    -- Built on the parent, matched (not rebuilt) on the default partition.
    FOREACH v_sql IN ARRAY v_indexes LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY v_comments LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY v_fks LOOP
        EXECUTE v_sql;
    END LOOP;
    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', p_table);
    FOREACH v_sql IN ARRAY v_policies LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY v_grants LOOP
        EXECUTE v_sql;
    END LOOP;
    EXECUTE format('REVOKE ALL ON pms_parts.%I FROM PUBLIC, pms_app, pms_maintenance, pms_readonly', v_default);
    FOREACH v_sql IN ARRAY v_triggers LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY v_enabled LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY v_refs LOOP
        EXECUTE v_sql;
    END LOOP;
END
$$;

ALTER FUNCTION pms_meta.partition_by_tenant(p_table text) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.policy_copies(p_from regclass, p_target text) RETURNS text[]
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT coalesce(array_agg(format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s', p.policyname, p_target,
                                     p.permissive, p.cmd,
                                     (SELECT string_agg(quote_ident(r), ', ') FROM unnest(p.roles) AS r),
                                     CASE WHEN p.qual IS NOT NULL THEN ' USING (' || p.qual || ')' ELSE '' END,
                                     CASE WHEN p.with_check IS NOT NULL THEN ' WITH CHECK (' || p.with_check || ')' ELSE '' END)
                              ORDER BY p.policyname), '{}')
      FROM pg_policies p JOIN pg_class c ON c.relname = p.tablename
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = p.schemaname
     WHERE c.oid = p_from
$$;

ALTER FUNCTION pms_meta.policy_copies(p_from regclass, p_target text) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.reporting_chain_lock_key(p_tenant uuid) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT ('x' || left(md5('pms.reporting_chain/' || p_tenant::text), 16))::bit(64)::bigint
$$;

ALTER FUNCTION pms_meta.reporting_chain_lock_key(p_tenant uuid) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.reporting_chain_rebuild(p_tenant uuid) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET jit TO 'off'
    SET work_mem TO '128MB'
    AS $$
DECLARE
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_cycle text;
    v_rows bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(pms_meta.reporting_chain_lock_key(p_tenant));
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    -- A cycle has no root: its people are the ones the walk down from the roots never reaches.
    SELECT string_agg(u.id::text, ', ') INTO v_cycle FROM (
        WITH RECURSIVE down (id) AS (
            SELECT id FROM users WHERE tenant_id = p_tenant AND manager_id IS NULL
            UNION ALL
            SELECT u.id FROM down JOIN users u ON u.tenant_id = p_tenant AND u.manager_id = down.id)
        SELECT id FROM users WHERE tenant_id = p_tenant
        EXCEPT ALL SELECT id FROM down LIMIT 20) u;
    IF v_cycle IS NOT NULL THEN
        PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
        RAISE EXCEPTION 'reporting chain: the managers of tenant % make a cycle; people on it (or below it) include: %', p_tenant, v_cycle
            USING ERRCODE = 'check_violation', TABLE = 'users', COLUMN = 'manager_id';
    END IF;
    DELETE FROM reporting_chain WHERE tenant_id = p_tenant;
    INSERT INTO reporting_chain (tenant_id, ancestor_id, descendant_id, depth)
    WITH RECURSIVE down (ancestor_id, descendant_id, depth) AS (
        SELECT id, id, 0 FROM users WHERE tenant_id = p_tenant
        UNION ALL
        SELECT down.ancestor_id, u.id, down.depth + 1
          FROM down JOIN users u ON u.tenant_id = p_tenant AND u.manager_id = down.descendant_id)
    SELECT p_tenant, ancestor_id, descendant_id, depth FROM down ORDER BY ancestor_id, descendant_id;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN v_rows;
END
$$;

ALTER FUNCTION pms_meta.reporting_chain_rebuild(p_tenant uuid) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.tenant_loading_check(p_tenant uuid) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT 'tenant_loading_' || replace(p_tenant::text, '-', '')
$$;

ALTER FUNCTION pms_meta.tenant_loading_check(p_tenant uuid) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.tenant_partition_build(p_tenant uuid, p_table text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET maintenance_work_mem TO '256MB'
    SET work_mem TO '128MB'
    SET max_parallel_maintenance_workers TO '0'
    SET max_parallel_workers_per_gather TO '0'
    AS $_$
DECLARE
    v_part text;
    v_rel regclass;
    v_ix record;
    v_name text;
    v_rows bigint;
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_nestloop text := current_setting('enable_nestloop');
    v_mergejoin text := current_setting('enable_mergejoin');
    v_fk record;
    v_ref text;
    v_refs text;
    v_match text;
    v_example text;
    v_missing bigint;
    v_missing_key text;
BEGIN
    IF NOT p_table = ANY (pms_meta.tenant_partitioned_tables()) THEN
        RAISE EXCEPTION 'tenant partitions: % is not a tenant-partitioned table', p_table USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_part := pms_meta.tenant_partition_name(p_table, p_tenant);
    v_rel := to_regclass(format('pms_parts.%I', v_part));
    IF v_rel IS NULL OR EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = v_rel) THEN
        RAISE EXCEPTION 'tenant partitions: no detached partition of % for tenant % (run tenant_partitions_prepare first)', p_table, p_tenant
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    -- As its tenant from here: the partitions have forced RLS like every table.
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    -- Rows the tenant already has in the shared partition (from before the load began) could
    -- not move into its own: said plainly. Then the shared partition's CHECK against the
    -- tenant is validated (a scan that does not block writers).
    EXECUTE format('SELECT count(*) FROM pms_parts.%I WHERE tenant_id = $1', p_table || '_default')
       INTO v_rows USING p_tenant;
    IF v_rows > 0 THEN
        RAISE EXCEPTION 'tenant partitions: tenant % already has % row(s) of % in the shared (default) partition; delete or move them, then run the load again',
            p_tenant, v_rows, p_table USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    EXECUTE format('ALTER TABLE pms_parts.%I VALIDATE CONSTRAINT %I', p_table || '_default', pms_meta.tenant_loading_check(p_tenant));
    -- One index per index of the parent, under a name of its own (deterministic: a second
    -- build of the same partition keeps the indexes of the first).
    FOR v_ix IN
        SELECT ic.relname, c.oid AS con, c.contype, pg_get_indexdef(i.indexrelid) AS def
          FROM pg_index i
          JOIN pg_class ic ON ic.oid = i.indexrelid
          LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u')
         WHERE i.indrelid = format('public.%I', p_table)::regclass
         ORDER BY c.contype NULLS LAST, ic.relname
    LOOP
        v_name := left(v_ix.relname, 40) || '_' || left(md5(p_tenant::text || v_ix.relname), 12);
        CONTINUE WHEN to_regclass(format('pms_parts.%I', v_name)) IS NOT NULL;
        IF v_ix.con IS NOT NULL THEN
            EXECUTE format('ALTER TABLE pms_parts.%I ADD CONSTRAINT %I %s', v_part, v_name, pg_get_constraintdef(v_ix.con));
        ELSE
            EXECUTE regexp_replace(v_ix.def, '^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ ',
                                   format('CREATE \1INDEX %I ON pms_parts.%I ', v_name, v_part));
        END IF;
    END LOOP;
    -- Every foreign key, set-based: one hash anti-join of the partition's rows against the
    -- referenced rows of the tenant (for a tenant-partitioned table, its partition of this
    -- tenant, which holds all of the tenant's rows of that table once attached). MATCH SIMPLE:
    -- a row with a NULL key column references nothing. A missing key fails the build, naming
    -- one.
    FOR v_fk IN
        SELECT c.conname, c.confrelid, c.confmatchtype, rc.relname AS ref_name,
               array_agg(a.attname::text ORDER BY k.ord) AS cols, array_agg(pa.attname::text ORDER BY k.ord) AS pcols
          FROM pg_constraint c
          JOIN pg_class rc ON rc.oid = c.confrelid
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k (col, pcol, ord)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
          JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pcol
         WHERE c.conrelid = v_rel AND c.contype = 'f' AND c.conparentid = 0
         GROUP BY c.oid, c.conname, c.confrelid, c.confmatchtype, rc.relname
         ORDER BY c.conname
    LOOP
        IF v_fk.confmatchtype <> 's' THEN
            RAISE EXCEPTION 'tenant partitions: foreign key % of % is not MATCH SIMPLE', v_fk.conname, p_table
                USING ERRCODE = 'feature_not_supported';
        END IF;
        v_ref := CASE WHEN v_fk.ref_name = ANY (pms_meta.tenant_partitioned_tables())
                      THEN format('pms_parts.%I', pms_meta.tenant_partition_name(v_fk.ref_name, p_tenant))
                      ELSE v_fk.confrelid::regclass::text END;
        -- Every row's tenant_id is the tenant (the partition's CHECK), so a key column that is
        -- tenant_id is that constant ($1): the rows are matched on the other columns, and a
        -- foreign key on tenant_id alone is one probe.
        SELECT string_agg(format('n.%I IS NOT NULL', c), ' AND ') FILTER (WHERE c <> 'tenant_id'),
               string_agg(CASE WHEN c = 'tenant_id' THEN format('p.%I = $1', pc) ELSE format('p.%I = n.%I', pc, c) END, ' AND '),
               string_agg(CASE WHEN c = 'tenant_id' THEN '$1::text' ELSE format('n.%I::text', c) END, ', ')
          INTO v_refs, v_match, v_example
          FROM unnest(v_fk.cols, v_fk.pcols) WITH ORDINALITY AS u (c, pc, o);
        PERFORM set_config('enable_nestloop', 'off', true), set_config('enable_mergejoin', 'off', true);
        EXECUTE format('SELECT count(*), min(concat_ws(%L, %s)) FROM %s n WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)',
                       ', ', v_example,
                       CASE WHEN v_refs IS NULL THEN '(SELECT) AS'
                            ELSE format('pms_parts.%I', v_part) END,
                       coalesce(v_refs, 'true'), v_ref, v_match)
           INTO v_missing, v_missing_key USING p_tenant;
        PERFORM set_config('enable_nestloop', v_nestloop, true), set_config('enable_mergejoin', v_mergejoin, true);
        IF v_missing > 0 THEN
            RAISE EXCEPTION 'tenant partitions: % row(s) of % reference a missing % row, e.g. (%) = (%); constraint %',
                v_missing, p_table, v_fk.ref_name, array_to_string(v_fk.cols, ', '), v_missing_key, v_fk.conname
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END LOOP;
    -- The row count, recorded with the loader's digest at the attach.
    EXECUTE format('SELECT count(*) FROM pms_parts.%I', v_part) INTO v_rows;
    -- Recorded under the tenant (the ledger is under the tenant rule too), then the caller's
    -- tenant is back.
    INSERT INTO pms_meta.tenant_partition_builds (tenant_id, table_name, row_count)
    VALUES (p_tenant, p_table, v_rows)
    ON CONFLICT (tenant_id, table_name) DO UPDATE
       SET row_count = EXCLUDED.row_count, built_at = now();
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    -- Built and checked: nothing more comes in (the attach records this count without
    -- counting again).
    EXECUTE format('REVOKE INSERT ON pms_parts.%I FROM pms_maintenance', v_part);
    RETURN v_rows;
END
$_$;

ALTER FUNCTION pms_meta.tenant_partition_build(p_tenant uuid, p_table text) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.tenant_partition_name(p_table text, p_tenant uuid) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT p_table || '_t' || replace(p_tenant::text, '-', '')
$$;

ALTER FUNCTION pms_meta.tenant_partition_name(p_table text, p_tenant uuid) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.tenant_partitioned_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT ARRAY['teams', 'team_members', 'user_roles', 'reporting_lines',
                 'goals', 'key_results', 'performance_reviews', 'feedback', 'one_on_ones']
$$;

ALTER FUNCTION pms_meta.tenant_partitioned_tables() OWNER TO pms_owner;

CREATE FUNCTION pms_meta.tenant_partitions_attach(p_tenant uuid, p_batch text, p_digests jsonb) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET maintenance_work_mem TO '256MB'
    AS $_$
DECLARE
    v_table text;
    v_part text;
    v_build record;
    v_rows bigint := 0;
    v_saved_tenant text := current_setting('app.tenant_id', true);
BEGIN
    IF coalesce(p_batch, '') = '' THEN
        RAISE EXCEPTION 'tenant partitions: name the load (p_batch)' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The loader's SHA-256 of what it loaded, per table, before anything is attached.
    SELECT string_agg(t, ', ') INTO v_part
      FROM unnest(pms_meta.tenant_partitioned_tables()) AS t
     WHERE jsonb_typeof(p_digests -> t) IS DISTINCT FROM 'string' OR (p_digests ->> t) !~ '^[0-9a-f]{64}$';
    IF v_part IS NOT NULL THEN
        RAISE EXCEPTION 'tenant partitions: no digest for % (p_digests: the SHA-256 of each table''s load, 64 lowercase hex digits, by table name)', v_part
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- As the tenant: the foreign-key validation of ATTACH PARTITION runs its join under the
    -- tables' forced RLS, so with no tenant set it would see no rows, and check nothing.
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    FOREACH v_table IN ARRAY pms_meta.tenant_partitioned_tables() LOOP
        v_part := pms_meta.tenant_partition_name(v_table, p_tenant);
        IF to_regclass(format('pms_parts.%I', v_part)) IS NULL THEN
            RAISE EXCEPTION 'tenant partitions: no partition of % for tenant % to attach', v_table, p_tenant
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        SELECT * INTO v_build FROM pms_meta.tenant_partition_builds WHERE tenant_id = p_tenant AND table_name = v_table;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'tenant partitions: the partition of % for tenant % is not built (pms_meta.tenant_partition_build)', v_table, p_tenant
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        -- Rows the tenant has in the shared partition cannot move into its own: said plainly
        -- (the build checked already; ATTACH would refuse them too).
        EXECUTE format('SELECT count(*) FROM pms_parts.%I WHERE tenant_id = $1', v_table || '_default')
           INTO v_rows USING p_tenant;
        IF v_rows > 0 THEN
            RAISE EXCEPTION 'tenant partitions: tenant % already has % row(s) of % in the shared (default) partition; delete or move them, then run the load again',
                p_tenant, v_rows, v_table USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION pms_parts.%I FOR VALUES IN (%L)', v_table, v_part, p_tenant);
        -- The partition bound now keeps the tenant's rows out of the shared partition.
        EXECUTE format('ALTER TABLE pms_parts.%I DROP CONSTRAINT IF EXISTS %I', v_table || '_default',
                       pms_meta.tenant_loading_check(p_tenant));
        -- No row came in after the build: it took the loader's INSERT privilege away.
        EXECUTE format('REVOKE ALL ON pms_parts.%I FROM pms_maintenance', v_part);
        INSERT INTO pms_meta.bulk_loads (tenant_id, batch, table_name, row_count, rows_sha256)
        VALUES (p_tenant, left(p_batch, 200), v_table, v_build.row_count, decode(p_digests ->> v_table, 'hex'));
        DELETE FROM pms_meta.tenant_partition_builds WHERE tenant_id = p_tenant AND table_name = v_table;
    END LOOP;
    SELECT coalesce(sum(b.row_count), 0) INTO v_rows FROM pms_meta.bulk_loads b
     WHERE b.tenant_id = p_tenant AND b.batch = left(p_batch, 200);
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN v_rows;
END
$_$;

ALTER FUNCTION pms_meta.tenant_partitions_attach(p_tenant uuid, p_batch text, p_digests jsonb) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.tenant_partitions_prepare(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_table text;
    v_part text;
    v_sql text;
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_found boolean;
    v_fk record;
BEGIN
    -- tenants has forced RLS: a tenant sees only itself.
    PERFORM set_config('app.tenant_id', coalesce(p_tenant::text, ''), true);
    v_found := EXISTS (SELECT 1 FROM public.tenants WHERE id = p_tenant);
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    IF NOT v_found THEN
        RAISE EXCEPTION 'tenant partitions: no tenant %', p_tenant USING ERRCODE = 'foreign_key_violation';
    END IF;
    FOREACH v_table IN ARRAY pms_meta.tenant_partitioned_tables() LOOP
        v_part := pms_meta.tenant_partition_name(v_table, p_tenant);
        IF EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = format('public.%I', v_table)::regclass
                      AND c.relname = v_part) THEN
            RAISE EXCEPTION 'tenant % already has its own partition of %', p_tenant, v_table
                USING ERRCODE = 'duplicate_object';
        END IF;
        -- While the load runs, the shared partition refuses the tenant's rows (they belong in
        -- its own partition). NOT VALID, so adding it scans nothing; the build validates it
        -- without blocking writers, and ATTACH PARTITION, finding it, then skips its scan of
        -- the shared partition under an ACCESS EXCLUSIVE lock.
        IF NOT EXISTS (SELECT 1 FROM pg_constraint
                        WHERE conrelid = format('pms_parts.%I', v_table || '_default')::regclass
                          AND conname = pms_meta.tenant_loading_check(p_tenant)) THEN
            EXECUTE format('ALTER TABLE pms_parts.%I ADD CONSTRAINT %I CHECK (tenant_id <> %L::uuid) NOT VALID',
                           v_table || '_default', pms_meta.tenant_loading_check(p_tenant), p_tenant);
        END IF;
        CONTINUE WHEN to_regclass(format('pms_parts.%I', v_part)) IS NOT NULL;  -- a resumed load
        EXECUTE format('CREATE TABLE pms_parts.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING GENERATED '
                       'INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMPRESSION)', v_part, v_table);
        EXECUTE format('ALTER TABLE pms_parts.%I ADD CONSTRAINT partition_tenant CHECK (tenant_id IS NOT NULL AND tenant_id = %L::uuid)',
                       v_part, p_tenant);
        EXECUTE format('ALTER TABLE pms_parts.%I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', v_part);
        FOREACH v_sql IN ARRAY pms_meta.policy_copies(format('public.%I', v_table)::regclass,
                                                     format('pms_parts.%I', v_part)) LOOP
            EXECUTE v_sql;
        END LOOP;
        -- The parent's foreign keys, created while the table is empty: ATTACH PARTITION adopts
        -- them as they are, and from now on PostgreSQL's referenced-side triggers apply (a
        -- referenced row deleted during the load cascades or is refused as usual). The rows
        -- the loader COPYs (in bulk-load sessions, where the per-row checks do not fire) are
        -- checked by pms_meta.tenant_partition_build.
        FOR v_fk IN
            SELECT c.conname, pg_get_constraintdef(c.oid) AS def
              FROM pg_constraint c
             WHERE c.conrelid = format('public.%I', v_table)::regclass AND c.contype = 'f' AND c.conparentid = 0
             ORDER BY c.conname
        LOOP
            EXECUTE format('ALTER TABLE pms_parts.%I ADD CONSTRAINT %I %s', v_part, v_fk.conname, v_fk.def);
        END LOOP;
        EXECUTE format('REVOKE ALL ON pms_parts.%I FROM PUBLIC, pms_app, pms_readonly', v_part);
        EXECUTE format('GRANT INSERT, SELECT ON pms_parts.%I TO pms_maintenance', v_part);
    END LOOP;
END
$$;

ALTER FUNCTION pms_meta.tenant_partitions_prepare(p_tenant uuid) OWNER TO pms_owner;

CREATE FUNCTION pms_meta.visibility_expand(p_rule text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog'
    AS $_$
    SELECT format('(EXISTS (SELECT 1 FROM public.pms_acting_user_row()) AND (%s))',
                  regexp_replace(
                      replace(replace(p_rule, '$me', 'public.pms_current_user_id()'),
                              '$hr', 'EXISTS (SELECT 1 FROM public.pms_acting_hr_grants())'),
                      '\$managed\((\w+)\)', '(SELECT m FROM public.pms_managed_people(''\1'') m)', 'g'))
$_$;

ALTER FUNCTION pms_meta.visibility_expand(p_rule text) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.effective_policy(p_tenant uuid, p_entity text) RETURNS TABLE(hot_for interval, warm_for interval, cold_for interval, archive_for interval, compliance boolean)
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce(o.hot_for, p.hot_for), coalesce(o.warm_for, p.warm_for), coalesce(o.cold_for, p.cold_for),
           CASE WHEN o.id IS NULL THEN p.archive_for ELSE o.archive_for END, p.compliance
    FROM pms_retention.policies p
    LEFT JOIN public.retention_policy_overrides o ON o.entity_type = p.entity_type AND o.tenant_id = p_tenant
    WHERE p.entity_type = p_entity
$$;

ALTER FUNCTION pms_retention.effective_policy(p_tenant uuid, p_entity text) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.erase_person_hot(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[]) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    v_terms text[];
    v_strong text[];
    v_needles text[];
    v_gaps text;
    t record;
    s record;
    q record;
    x record;
    n bigint;
    counts jsonb;
    report jsonb := '{}';
    hooks jsonb := '{}';
    h record;
    out jsonb;
    queue_deleted bigint := 0;
    queue_rewritten bigint := 0;
BEGIN
    IF p_tenant IS NULL OR p_person IS NULL OR p_pseudonym IS NULL OR p_person = p_pseudonym THEN
        RAISE EXCEPTION 'erasure needs a tenant, a person and a different pseudonym' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF pms_retention.person_held(p_tenant, p_person) THEN
        RAISE EXCEPTION 'person % of tenant % is under a legal hold: nothing erased', p_person, p_tenant
            USING ERRCODE = 'object_in_use';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = p_tenant AND u.id = p_person) THEN
        RAISE EXCEPTION 'no user % in tenant %: nothing erased', p_person, p_tenant USING ERRCODE = 'no_data_found';
    END IF;
    IF EXISTS (SELECT 1 FROM privacy_erasures e WHERE e.tenant_id = p_tenant AND e.pseudonym_id = p_person) THEN
        RAISE EXCEPTION 'user % of tenant % is the pseudonym of an erased person: nobody to erase', p_person, p_tenant
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT string_agg(g, ', ') INTO v_gaps FROM pms_retention.erasure_plan_gaps() g;
    IF v_gaps IS NOT NULL THEN
        RAISE EXCEPTION 'the erasure plan has no rule for %: nothing erased (add rules to pms_retention.erasure_rules)', v_gaps
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    v_terms := coalesce(p_terms, pms_retention.person_terms(p_tenant, p_person));
    v_strong := pms_retention.strong_terms(p_tenant, p_person, v_terms);
    v_needles := array_append((SELECT coalesce(array_agg(lower(w)), '{}') FROM unnest(v_strong) w), p_person::text);

    INSERT INTO users (tenant_id, id, email, first_name, last_name, status, deleted_at, manager_id)
    SELECT p_tenant, p_pseudonym, 'erased-' || left(replace(p_pseudonym::text, '-', ''), 16) || '@erased.invalid',
           'Erased', 'Person', 'TERMINATED', now(), u.manager_id
    FROM users u WHERE u.tenant_id = p_tenant AND u.id = p_person
    ON CONFLICT DO NOTHING;

    FOR t IN SELECT DISTINCT r.table_name FROM pms_retention.erasure_rules r
             WHERE r.action IN ('DELETE', 'COMPLIANCE', 'PSEUDONYMISE', 'REMOVE', 'SCRUB')
               AND pms_retention.rule_table(r.table_name) IS NOT NULL
             ORDER BY 1 LOOP
        counts := '{}';
        FOR s IN SELECT * FROM pms_retention.erasure_statements(t.table_name) LOOP
            EXECUTE s.statement USING p_tenant, p_person, p_pseudonym, v_terms, v_strong, v_needles;
            GET DIAGNOSTICS n = ROW_COUNT;
            IF n > 0 THEN
                counts := counts || jsonb_build_object(CASE s.step WHEN 'delete' THEN 'deleted' WHEN 'keep' THEN 'kept'
                                                                   ELSE 'pseudonymised' END, n);
            END IF;
        END LOOP;
        IF counts <> '{}' THEN
            report := report || jsonb_build_object(t.table_name, counts);
        END IF;
    END LOOP;

    -- The archive queue (entities handed to archive_entity, not yet in an object), row by row.
    FOR q IN SELECT * FROM archive_pending p
             WHERE p.tenant_id = p_tenant
               AND (p_person = ANY (p.person_ids)
                    OR EXISTS (SELECT 1 FROM unnest(v_needles) w WHERE strpos(lower(p.data::text), w) > 0))
             FOR UPDATE LOOP
        SELECT * INTO x FROM pms_retention.erase_row(q.entity_type, q.data, p_person, p_pseudonym, v_terms, v_strong);
        IF x.action = 'DELETE' THEN
            DELETE FROM archive_pending p WHERE p.tenant_id = q.tenant_id AND p.entity_type = q.entity_type AND p.id = q.id;
            queue_deleted := queue_deleted + 1;
        ELSIF x.action <> 'NONE' OR p_person = ANY (q.person_ids) THEN
            UPDATE archive_pending p SET data = coalesce(x.row_after, q.data), person_ids = array_replace(q.person_ids, p_person, p_pseudonym)
            WHERE p.tenant_id = q.tenant_id AND p.entity_type = q.entity_type AND p.id = q.id;
            queue_rewritten := queue_rewritten + 1;
        END IF;
    END LOOP;

    FOR h IN SELECT * FROM pms_retention.erasure_hooks ORDER BY name LOOP
        EXECUTE format('SELECT %s($1, $2, $3)', h.function::regproc) INTO out USING p_tenant, p_person, p_pseudonym;
        hooks := hooks || jsonb_build_object(h.name, out);
    END LOOP;
    DELETE FROM users u WHERE u.tenant_id = p_tenant AND u.id = p_person;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN jsonb_build_object('tables', report, 'archive_pending_deleted', queue_deleted,
                              'archive_pending_pseudonymised', queue_rewritten,
                              'hooks', hooks, 'account_deleted', n > 0, 'pseudonym', p_pseudonym);
END
$_$;

ALTER FUNCTION pms_retention.erase_person_hot(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[]) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.erase_row(p_entity_type text, p_row jsonb, p_person uuid, p_pseudonym uuid, p_terms text[], p_strong text[], OUT action text, OUT row_after jsonb) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    v_table text := (SELECT e.table_name FROM pms_retention.entities e WHERE e.entity_type = p_entity_type);
    rel regclass := pms_retention.rule_table(v_table);
    v_person text := p_person::text;
    v_pseudo text := p_pseudonym::text;
    v_strong text[] := coalesce(p_strong, '{}');
    v_needles text[];
    v_compliance boolean := coalesce((SELECT p.compliance FROM pms_retention.policies p WHERE p.entity_type = p_entity_type), false);
    v_kept boolean := false;
    v_gone boolean := false;
    v_when boolean;
    v jsonb;
    r record;
BEGIN
    v_needles := array_append((SELECT coalesce(array_agg(lower(t)), '{}') FROM unnest(v_strong) t), v_person);
    IF rel IS NULL OR jsonb_typeof(p_row) IS DISTINCT FROM 'object'
       OR NOT EXISTS (SELECT 1 FROM pms_retention.erasure_rules x WHERE x.table_name = v_table) THEN
        IF strpos(p_row::text, v_person) > 0 THEN
            action := CASE WHEN v_compliance THEN 'KEEP' ELSE 'DELETE' END;
            row_after := CASE WHEN v_compliance THEN pms_retention.scrub_jsonb(p_row, v_person, v_pseudo, p_terms) END;
        ELSE
            row_after := pms_retention.scrub_jsonb(p_row, v_person, v_pseudo, v_strong);
            action := CASE WHEN row_after IS DISTINCT FROM p_row THEN 'PSEUDONYMISE' ELSE 'NONE' END;
        END IF;
        RETURN;
    END IF;
    FOR r IN SELECT x.*, coalesce(p.compliance, false) AS compliance FROM pms_retention.erasure_rules x
             LEFT JOIN pms_retention.policies p ON p.entity_type = x.entity_type
             WHERE x.table_name = v_table AND x.action IN ('DELETE', 'COMPLIANCE') AND p_row ? x.column_name LOOP
        v := p_row -> r.column_name;
        CONTINUE WHEN NOT (v = to_jsonb(v_person) OR (jsonb_typeof(v) = 'array' AND v @> jsonb_build_array(v_person)));
        IF r.action = 'COMPLIANCE' THEN
            v_kept := v_kept OR r.compliance;
            v_gone := v_gone OR NOT r.compliance;
        ELSE
            v_when := false;
            IF r.pseudonymise_when IS NOT NULL THEN
                EXECUTE format('SELECT coalesce((%s), false) FROM jsonb_populate_record(NULL::%s, $1) t', r.pseudonymise_when, rel)
                    INTO v_when USING p_row;
            END IF;
            v_gone := v_gone OR NOT v_when;
        END IF;
    END LOOP;
    IF v_gone AND NOT v_kept THEN
        action := 'DELETE';
        RETURN;
    END IF;
    SELECT coalesce(jsonb_object_agg(e.key, CASE
               WHEN x.action = 'REMOVE' AND jsonb_typeof(e.value) = 'array' THEN
                   (SELECT coalesce(jsonb_agg(el ORDER BY o), '[]') FROM jsonb_array_elements(e.value) WITH ORDINALITY AS u(el, o)
                    WHERE NOT (jsonb_typeof(el) = 'string' AND lower(el #>> '{}') = ANY (v_needles)))
               WHEN x.action = 'SCRUB' OR (a.attname IS NULL AND x.action IS NULL) THEN
                   pms_retention.scrub_jsonb(e.value, v_person, v_pseudo, CASE WHEN v_kept THEN p_terms ELSE v_strong END)
               ELSE pms_retention.scrub_jsonb(e.value, v_person, v_pseudo, '{}') END), '{}')
      INTO row_after
      FROM jsonb_each(p_row) e
      LEFT JOIN pms_retention.erasure_rules x ON x.table_name = v_table AND x.column_name = e.key
      LEFT JOIN pg_attribute a ON a.attrelid = rel AND a.attname = e.key AND a.attnum > 0 AND NOT a.attisdropped;
    action := CASE WHEN v_kept THEN 'KEEP' WHEN row_after IS DISTINCT FROM p_row THEN 'PSEUDONYMISE' ELSE 'NONE' END;
END
$_$;

ALTER FUNCTION pms_retention.erase_row(p_entity_type text, p_row jsonb, p_person uuid, p_pseudonym uuid, p_terms text[], p_strong text[], OUT action text, OUT row_after jsonb) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.erase_timeseries_person(p_tenant uuid, p_person uuid, p_pseudonym uuid) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
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
$_$;

ALTER FUNCTION pms_retention.erase_timeseries_person(p_tenant uuid, p_person uuid, p_pseudonym uuid) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.erasure_plan_gaps() RETURNS SETOF text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT c.table_name || '.' || c.column_name || ' (' || c.why || ')'
    FROM pms_retention.erasure_coverage c WHERE c.action IS NULL
    UNION ALL
    SELECT p.table_name || '.' || p.column_name || ' (rule: ' || p.problem || ')'
    FROM pms_retention.erasure_rule_problems p
$$;

ALTER FUNCTION pms_retention.erasure_plan_gaps() OWNER TO pms_owner;

CREATE FUNCTION pms_retention.erasure_rule_needed(p_table regclass, p_column name) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT CASE
        WHEN EXISTS (SELECT 1 FROM pg_constraint k
                     WHERE k.conrelid = p_table AND k.contype = 'f' AND k.confrelid = 'public.users'::regclass
                       AND a.attnum = ANY (k.conkey))
            THEN 'references users'
        WHEN pms_retention.names_a_person(a.attname) THEN 'named like a person reference'
        WHEN a.atttypid = 'uuid[]'::regtype THEN 'an array of ids'
        WHEN a.atttypid IN ('json'::regtype, 'jsonb'::regtype) THEN 'a JSON document'
        WHEN a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'text[]'::regtype, 'varchar[]'::regtype)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                             WHERE k.conrelid = p_table AND k.contype = 'c' AND k.conkey = ARRAY[a.attnum]
                               AND pg_get_constraintdef(k.oid) ~ '(= ANY \(ARRAY\[| ~ )')
            THEN 'free text'
        END
    FROM pg_attribute a
    WHERE a.attrelid = p_table AND a.attname = p_column AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname <> 'tenant_id'
$$;

ALTER FUNCTION pms_retention.erasure_rule_needed(p_table regclass, p_column name) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.erasure_statements(p_table text) RETURNS TABLE(step text, statement text)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    rel regclass := pms_retention.rule_table(p_table);
    r record;
    v_match text;
    kept text[] := '{}';
    gone text[] := '{}';
    named text[] := '{}';
    ref_sets text[] := '{}';
    ref_new text[] := '{}';
    ref_old text[] := '{}';
    scrub_cols text[] := '{}';
    scrub_keep text[] := '{}';
    scrub_other text[] := '{}';
    scrub_find text[] := '{}';
    v_own text := CASE WHEN rel = 'public.users'::regclass THEN ' AND t.id <> $2' ELSE '' END;
BEGIN
    IF rel IS NULL THEN
        RETURN;
    END IF;
    FOR r IN SELECT x.*, a.atttypid AS typ, coalesce(p.compliance, false) AS compliance
             FROM pms_retention.erasure_rules x
             JOIN pg_attribute a ON a.attrelid = rel AND a.attname = x.column_name AND a.attnum > 0 AND NOT a.attisdropped
             LEFT JOIN pms_retention.policies p ON p.entity_type = x.entity_type
             WHERE x.table_name = p_table AND x.action IN ('DELETE', 'COMPLIANCE', 'PSEUDONYMISE', 'REMOVE', 'SCRUB')
             ORDER BY a.attnum LOOP
        IF r.action = 'SCRUB' THEN
            scrub_cols := scrub_cols || format('%I', r.column_name);
            scrub_find := scrub_find || format('EXISTS (SELECT 1 FROM unnest($6) n WHERE strpos(lower(t.%I::text), n) > 0)', r.column_name);
            scrub_keep := scrub_keep || CASE r.typ
                WHEN 'jsonb'::regtype THEN format('pms_retention.scrub_jsonb(t.%I, $2::text, $3::text, $4)', r.column_name)
                WHEN 'text[]'::regtype THEN format('pms_retention.scrub_text_array(t.%I, $2::text, $3::text, $4)', r.column_name)
                ELSE format('pms_retention.scrub_text(replace(t.%I, $2::text, $3::text), $4)', r.column_name) END;
            scrub_other := scrub_other || replace(scrub_keep[cardinality(scrub_keep)], '$4)', '$5)');
            CONTINUE;
        END IF;
        v_match := CASE r.typ
            WHEN 'uuid'::regtype THEN format('t.%I = $2', r.column_name)
            WHEN 'uuid[]'::regtype THEN format('$2 = ANY (t.%I)', r.column_name)
            ELSE format('EXISTS (SELECT 1 FROM unnest(t.%I) x WHERE lower(x) = ANY ($6))', r.column_name) END;
        named := named || v_match;
        IF r.action = 'COMPLIANCE' AND r.compliance THEN
            kept := kept || v_match;
        ELSIF r.action = 'COMPLIANCE' THEN
            gone := gone || v_match;
        ELSIF r.action = 'DELETE' THEN
            gone := gone || CASE WHEN r.pseudonymise_when IS NULL THEN v_match
                                 ELSE format('(%s AND NOT coalesce((%s), false))', v_match, r.pseudonymise_when) END;
        END IF;
        ref_old := ref_old || format('t.%I', r.column_name);
        ref_new := ref_new || CASE
            WHEN r.typ = 'uuid'::regtype THEN format('CASE WHEN t.%1$I = $2 THEN $3 ELSE t.%1$I END', r.column_name)
            WHEN r.action = 'REMOVE' AND r.typ = 'uuid[]'::regtype THEN format('array_remove(t.%I, $2)', r.column_name)
            WHEN r.action = 'REMOVE' THEN format('CASE WHEN t.%1$I IS NULL THEN NULL ELSE ARRAY(SELECT x FROM unnest(t.%1$I) '
                                                 'WITH ORDINALITY AS u(x, o) WHERE NOT lower(x) = ANY ($6) ORDER BY o) END', r.column_name)
            ELSE format('array_replace(t.%I, $2, $3)', r.column_name) END;
        ref_sets := ref_sets || format('%I = %s', r.column_name, ref_new[cardinality(ref_new)]);
    END LOOP;
    IF cardinality(gone) > 0 THEN
        step := 'delete';
        statement := format('DELETE FROM %s t WHERE t.tenant_id = $1 AND (%s) AND NOT coalesce((%s), false)%s',
                            rel, array_to_string(gone, ' OR '),
                            CASE WHEN cardinality(kept) > 0 THEN array_to_string(kept, ' OR ') ELSE 'false' END, v_own);
        RETURN NEXT;
    END IF;
    IF cardinality(kept) > 0 THEN
        step := 'keep';
        statement := format('UPDATE %s t SET %s WHERE t.tenant_id = $1 AND (%s)%s', rel,
                            array_to_string(ref_sets || (SELECT coalesce(array_agg(format('%s = %s', c, e) ORDER BY o), '{}')
                                                         FROM unnest(scrub_cols, scrub_keep) WITH ORDINALITY AS u(c, e, o)), ', '),
                            array_to_string(kept, ' OR '), v_own);
        RETURN NEXT;
    END IF;
    IF cardinality(named) + cardinality(scrub_cols) > 0 THEN
        step := 'pseudonymise';
        statement := format('UPDATE %s t SET %s WHERE t.tenant_id = $1 AND (%s)%s AND ROW(%s) IS DISTINCT FROM ROW(%s)', rel,
                            array_to_string(ref_sets || (SELECT coalesce(array_agg(format('%s = %s', c, e) ORDER BY o), '{}')
                                                         FROM unnest(scrub_cols, scrub_other) WITH ORDINALITY AS u(c, e, o)), ', '),
                            array_to_string(named || scrub_find, ' OR '), v_own,
                            array_to_string(ref_new || scrub_other, ', '),
                            array_to_string(ref_old || (SELECT coalesce(array_agg('t.' || c), '{}') FROM unnest(scrub_cols) c), ', '));
        RETURN NEXT;
    END IF;
END
$_$;

ALTER FUNCTION pms_retention.erasure_statements(p_table text) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.is_held(p_tenant uuid, p_entity text, p_id text, p_persons uuid[]) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.legal_holds h
        WHERE h.tenant_id = p_tenant AND h.released_at IS NULL
          AND (h.scope = 'TENANT'
               OR (h.scope = 'PERSON' AND h.person_id = ANY (p_persons))
               OR (h.scope = 'ENTITY' AND h.entity_type = p_entity AND h.entity_id = p_id)))
$$;

ALTER FUNCTION pms_retention.is_held(p_tenant uuid, p_entity text, p_id text, p_persons uuid[]) OWNER TO pms_owner;

CREATE TABLE pms_retention.entities (
    entity_type text NOT NULL,
    table_name text NOT NULL,
    id_column name DEFAULT 'id'::name NOT NULL,
    time_column name DEFAULT 'created_at'::name NOT NULL,
    tenant_column name DEFAULT 'tenant_id'::name NOT NULL,
    person_columns name[] DEFAULT '{}'::name[] NOT NULL,
    pii_columns name[] DEFAULT '{}'::name[] NOT NULL,
    registered_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE pms_retention.entities OWNER TO pms_owner;

CREATE FUNCTION pms_retention.live_entity(p_entity text) RETURNS pms_retention.entities
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT e FROM pms_retention.entities e WHERE e.entity_type = p_entity AND to_regclass(e.table_name) IS NOT NULL
$$;

ALTER FUNCTION pms_retention.live_entity(p_entity text) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.names_a_person(p_column name) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog'
    AS $_$
    SELECT p_column::text ~ '_by$'
        OR p_column::text ~ ('^(.*_)?(user|users|person|persons|people|owner|manager|employee|reviewer|reviewee|'
                             'author|assessor|assignee|facilitator|nominee|subject|rater|recipient|sender|evaluator|'
                             'respondent|incumbent|candidate|partner|lead|head|delegate|delegator|giver|actor|member|'
                             'approver|requester|creator|participant|attendee|mentor|mentee|coach|calibrator|'
                             'interviewer|sponsor|reporter|signer)_ids?$')
$_$;

ALTER FUNCTION pms_retention.names_a_person(p_column name) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.not_held_sql(p_tenant uuid, e pms_retention.entities) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM legal_holds h WHERE h.tenant_id = p_tenant AND h.released_at IS NULL)
                THEN format('NOT pms_retention.is_held($1, $3, t.%I::text, %s)', e.id_column, pms_retention.persons_sql(e.person_columns))
                ELSE 'true' END
$_$;

ALTER FUNCTION pms_retention.not_held_sql(p_tenant uuid, e pms_retention.entities) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.person_held(p_tenant uuid, p_person uuid) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT EXISTS (SELECT 1 FROM legal_holds h WHERE h.tenant_id = p_tenant AND h.released_at IS NULL
                     AND (h.scope = 'TENANT' OR (h.scope = 'PERSON' AND h.person_id = p_person)))
$$;

ALTER FUNCTION pms_retention.person_held(p_tenant uuid, p_person uuid) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.person_terms(p_tenant uuid, p_person uuid) RETURNS text[]
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT coalesce(array_agg(t ORDER BY length(t) DESC, t), '{}')
    FROM (SELECT DISTINCT ON (lower(x.t)) x.t
          FROM users u
          CROSS JOIN LATERAL unnest(ARRAY[u.email, u.first_name || ' ' || u.last_name, u.display_name,
                                          u.employee_number, u.first_name, u.last_name]) AS x(t)
          WHERE u.tenant_id = p_tenant AND u.id = p_person AND length(trim(x.t)) >= 2
          ORDER BY lower(x.t), x.t) s
$$;

ALTER FUNCTION pms_retention.person_terms(p_tenant uuid, p_person uuid) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.persons_sql(p_columns name[]) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT CASE WHEN cardinality(p_columns) = 0 THEN '''{}''::uuid[]'
           ELSE 'array_remove(ARRAY[' || (SELECT string_agg(format('t.%I', c), ', ') FROM unnest(p_columns) c)
                || ']::uuid[], NULL)' END
$$;

ALTER FUNCTION pms_retention.persons_sql(p_columns name[]) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.register_entity(p_entity_type text, p_table text, p_person_columns name[] DEFAULT '{}'::name[], p_time_columns name[] DEFAULT '{created_at}'::name[], p_id_column name DEFAULT 'id'::name, p_if_present boolean DEFAULT false) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    rel regclass := to_regclass(p_table);
    time_col name;
    persons name[];
    missing text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pms_retention.policies WHERE entity_type = p_entity_type) THEN
        RAISE EXCEPTION 'unknown entity type %: add a retention policy first', p_entity_type
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF rel IS NULL THEN
        IF p_if_present THEN RETURN false; END IF;
        RAISE EXCEPTION 'table % does not exist', p_table USING ERRCODE = 'undefined_table';
    END IF;
    SELECT c INTO time_col FROM unnest(p_time_columns) WITH ORDINALITY AS u(c, n)
    WHERE EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = u.c AND NOT a.attisdropped
                    AND a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype))
    ORDER BY n LIMIT 1;
    SELECT string_agg(c, ', ') INTO missing FROM unnest(ARRAY[p_id_column, 'tenant_id']::name[]) AS c
    WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = c AND NOT a.attisdropped);
    IF time_col IS NULL OR missing IS NOT NULL THEN
        IF p_if_present THEN RETURN false; END IF;
        RAISE EXCEPTION 'table % lacks column(s) %', p_table,
            concat_ws(', ', missing, CASE WHEN time_col IS NULL THEN 'a time column among ' || p_time_columns::text END)
            USING ERRCODE = 'undefined_column';
    END IF;
    SELECT coalesce(array_agg(c ORDER BY n), '{}') INTO persons FROM unnest(p_person_columns) WITH ORDINALITY AS u(c, n)
    WHERE EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = u.c AND NOT a.attisdropped
                    AND a.atttypid = 'uuid'::regtype);
    IF cardinality(persons) <> cardinality(p_person_columns) AND NOT p_if_present THEN
        RAISE EXCEPTION 'table %: person columns must be existing uuid columns, got %', p_table, p_person_columns
            USING ERRCODE = 'undefined_column';
    END IF;
    INSERT INTO pms_retention.entities (entity_type, table_name, id_column, time_column, person_columns)
    VALUES (p_entity_type, rel::text, p_id_column, time_col, persons)
    ON CONFLICT (entity_type) DO UPDATE SET table_name = excluded.table_name, id_column = excluded.id_column,
        time_column = excluded.time_column, person_columns = excluded.person_columns, registered_at = now();
    RETURN true;
END
$$;

ALTER FUNCTION pms_retention.register_entity(p_entity_type text, p_table text, p_person_columns name[], p_time_columns name[], p_id_column name, p_if_present boolean) OWNER TO pms_owner;

CREATE TABLE pms_retention.policies (
    entity_type text NOT NULL,
    hot_for interval NOT NULL,
    warm_for interval NOT NULL,
    cold_for interval NOT NULL,
    archive_for interval,
    compliance boolean NOT NULL,
    managed_by text DEFAULT 'ARCHIVER'::text NOT NULL,
    min_retention interval NOT NULL,
    max_retention interval NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT policies_entity_type_check CHECK ((entity_type ~ '^[A-Z][A-Za-z0-9]{1,62}$'::text)),
    CONSTRAINT policies_managed_by_check CHECK ((managed_by = ANY (ARRAY['ARCHIVER'::text, 'TIMESERIES'::text, 'AUDIT_PARTITIONS'::text]))),
    CONSTRAINT retention_bounds_in_order CHECK ((min_retention <= max_retention))
);

ALTER TABLE pms_retention.policies OWNER TO pms_owner;

CREATE FUNCTION pms_retention.require_policy(p_entity text) RETURNS pms_retention.policies
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    p pms_retention.policies;
BEGIN
    SELECT * INTO p FROM pms_retention.policies WHERE entity_type = p_entity;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown entity type %; known: %', coalesce(p_entity, 'NULL'),
            (SELECT string_agg(entity_type, ', ' ORDER BY entity_type) FROM pms_retention.policies)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN p;
END
$$;

ALTER FUNCTION pms_retention.require_policy(p_entity text) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.rule_table(p_name text) RETURNS regclass
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT CASE WHEN strpos(p_name, '.') > 0 THEN to_regclass(p_name) ELSE to_regclass('public.' || p_name) END
$$;

ALTER FUNCTION pms_retention.rule_table(p_name text) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.scrub_jsonb(p_value jsonb, p_person text, p_pseudonym text, p_terms text[]) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog'
    AS $$
DECLARE
    out jsonb;
BEGIN
    CASE jsonb_typeof(p_value)
        WHEN 'string' THEN
            RETURN to_jsonb(pms_retention.scrub_text(replace(p_value #>> '{}', p_person, p_pseudonym), p_terms));
        WHEN 'object' THEN
            SELECT coalesce(jsonb_object_agg(key, pms_retention.scrub_jsonb(value, p_person, p_pseudonym, p_terms)), '{}'::jsonb)
              INTO out FROM jsonb_each(p_value);
            RETURN out;
        WHEN 'array' THEN
            SELECT coalesce(jsonb_agg(pms_retention.scrub_jsonb(value, p_person, p_pseudonym, p_terms) ORDER BY ord), '[]'::jsonb)
              INTO out FROM jsonb_array_elements(p_value) WITH ORDINALITY AS t(value, ord);
            RETURN out;
        ELSE
            RETURN p_value;
    END CASE;
END
$$;

ALTER FUNCTION pms_retention.scrub_jsonb(p_value jsonb, p_person text, p_pseudonym text, p_terms text[]) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.scrub_text(p_text text, p_terms text[]) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog'
    AS $_$
DECLARE
    term text;
    out text := p_text;
BEGIN
    IF out IS NULL THEN RETURN NULL; END IF;
    FOREACH term IN ARRAY coalesce(p_terms, '{}') LOOP
        CONTINUE WHEN term IS NULL OR length(term) < 2;
        out := regexp_replace(out, '(?<![[:alnum:]_])(?<![[:alnum:]_][.+@-])'
                                   || regexp_replace(term, '([.^$*+?()\[\]{}|\\-])', '\\\1', 'g')
                                   || '(?![[:alnum:]_])(?![.+@-][[:alnum:]_])', '[erased]', 'gi');
    END LOOP;
    RETURN out;
END
$_$;

ALTER FUNCTION pms_retention.scrub_text(p_text text, p_terms text[]) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.scrub_text_array(p_values text[], p_person text, p_pseudonym text, p_terms text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT CASE WHEN p_values IS NULL THEN NULL ELSE
        ARRAY(SELECT pms_retention.scrub_text(replace(v, p_person, p_pseudonym), p_terms)
              FROM unnest(p_values) WITH ORDINALITY AS u(v, o) ORDER BY o) END
$$;

ALTER FUNCTION pms_retention.scrub_text_array(p_values text[], p_person text, p_pseudonym text, p_terms text[]) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.strong_terms(p_tenant uuid, p_person uuid, p_terms text[]) RETURNS text[]
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT coalesce(array_agg(t ORDER BY o), '{}') FROM unnest(p_terms) WITH ORDINALITY AS u(t, o)
    WHERE t ~ '[^[:alpha:]]'
      AND NOT EXISTS (SELECT 1 FROM users x
                      WHERE x.tenant_id = p_tenant AND x.id <> p_person
                        AND lower(t) IN (lower(x.email), lower(x.first_name || ' ' || x.last_name),
                                         lower(x.display_name), lower(x.employee_number)))
$$;

ALTER FUNCTION pms_retention.strong_terms(p_tenant uuid, p_person uuid, p_terms text[]) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.tenant_policies(p_entity text) RETURNS TABLE(tenant_id uuid, hot_for interval, warm_for interval, cold_for interval, archive_for interval)
    LANGUAGE sql STABLE
    AS $$
    SELECT tn.id, pol.hot_for, pol.warm_for, pol.cold_for, pol.archive_for
    FROM public.tenants tn CROSS JOIN LATERAL pms_retention.effective_policy(tn.id, p_entity) pol
$$;

ALTER FUNCTION pms_retention.tenant_policies(p_entity text) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.tenants_with_rows(p_entity text) RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    e pms_retention.entities := pms_retention.live_entity(p_entity);
BEGIN
    RETURN QUERY SELECT DISTINCT q.tenant_id FROM archive_pending q WHERE q.entity_type = p_entity;
    IF e.entity_type IS NOT NULL THEN
        RETURN QUERY EXECUTE format('SELECT DISTINCT t.%I FROM %s t', e.tenant_column, e.table_name);
    END IF;
END
$$;

ALTER FUNCTION pms_retention.tenants_with_rows(p_entity text) OWNER TO pms_owner;

CREATE FUNCTION pms_retention.validate_tiers() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    p pms_retention.policies;
    total interval;
BEGIN
    IF NEW.hot_for <= interval '0' OR NEW.warm_for < interval '0' OR NEW.cold_for < interval '0'
       OR NEW.archive_for < interval '0' THEN
        RAISE EXCEPTION 'retention policy for %: durations must be positive (hot %, warm %, cold %, archive %)',
            NEW.entity_type, NEW.hot_for, NEW.warm_for, NEW.cold_for, coalesce(NEW.archive_for::text, 'delete')
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.warm_for < NEW.hot_for OR NEW.cold_for < NEW.warm_for OR NEW.archive_for < NEW.cold_for THEN
        RAISE EXCEPTION 'retention policy for %: tiers out of order: need hot (%) <= warm (%) <= cold (%) <= archive (%)',
            NEW.entity_type, NEW.hot_for, NEW.warm_for, NEW.cold_for, coalesce(NEW.archive_for::text, 'delete')
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_TABLE_NAME = 'retention_policy_overrides' THEN
        SELECT * INTO p FROM pms_retention.policies WHERE entity_type = NEW.entity_type;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unknown entity type %', NEW.entity_type USING ERRCODE = 'foreign_key_violation';
        END IF;
        total := coalesce(NEW.archive_for, NEW.cold_for);
        IF total < p.min_retention OR total > p.max_retention THEN
            RAISE EXCEPTION 'retention override for %: data would be kept for %, outside the legal bounds % to %',
                NEW.entity_type, total, p.min_retention, p.max_retention USING ERRCODE = 'check_violation';
        END IF;
        IF p.compliance AND NEW.archive_for IS NULL AND p.archive_for IS NOT NULL THEN
            RAISE EXCEPTION 'retention override for %: a compliance record must be archived, not deleted', NEW.entity_type
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION pms_retention.validate_tiers() OWNER TO pms_owner;

CREATE FUNCTION public.archive_entity(p_entity_type text, p_id text, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    p pms_retention.policies := pms_retention.require_policy(p_entity_type);
    e pms_retention.entities;
    persons uuid[] := '{}';
BEGIN
    IF p_tenant IS NULL OR p_id IS NULL OR length(trim(p_id)) = 0 THEN
        RAISE EXCEPTION 'archive_entity: tenant and id are required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_data IS NULL OR jsonb_typeof(p_data) <> 'object' THEN
        RAISE EXCEPTION 'archive_entity: data must be a JSON object' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_created IS NULL OR p_created > now() + interval '1 minute' THEN
        RAISE EXCEPTION 'archive_entity: created must be a time not in the future, got %', p_created
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p.archive_for IS NULL THEN
        RAISE EXCEPTION 'entity type % is deleted at the end of its life, never archived', p_entity_type
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM archived_entities a WHERE a.tenant_id = p_tenant AND a.entity_type = p_entity_type AND a.id = p_id) THEN
        RETURN 'ARCHIVED';
    END IF;
    SELECT r.* INTO e FROM pms_retention.entities r WHERE r.entity_type = p_entity_type;
    IF FOUND THEN
        BEGIN
            SELECT coalesce(array_agg((p_data ->> c)::uuid), '{}') INTO persons
            FROM unnest(e.person_columns) c WHERE p_data ->> c IS NOT NULL;
        EXCEPTION WHEN invalid_text_representation THEN
            RAISE EXCEPTION 'archive_entity: a person field of % (%) is not a UUID', p_entity_type, e.person_columns
                USING ERRCODE = 'invalid_parameter_value';
        END;
    END IF;
    INSERT INTO archive_pending (tenant_id, entity_type, id, data, created_at, person_ids)
    VALUES (p_tenant, p_entity_type, p_id, p_data, p_created, persons)
    ON CONFLICT (tenant_id, entity_type, id) DO UPDATE SET data = excluded.data, created_at = excluded.created_at,
        person_ids = excluded.person_ids;
    RETURN 'PENDING';
END
$$;

ALTER FUNCTION public.archive_entity(p_entity_type text, p_id text, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION public.archive_entity(p_entity_type text, p_id uuid, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) RETURNS text
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT archive_entity(p_entity_type, p_id::text, p_tenant, p_data, p_created)
$$;

ALTER FUNCTION public.archive_entity(p_entity_type text, p_id uuid, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION public.audit_chain_hash(prev bytea, canonical text) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT sha256(coalesce(prev, '\x'::bytea) || convert_to(canonical, 'UTF8'))
$$;

ALTER FUNCTION public.audit_chain_hash(prev bytea, canonical text) OWNER TO pms_owner;

CREATE FUNCTION public.audit_chain_head(p_tenant uuid) RETURNS TABLE(stream text, seq bigint, hash text, exported_at timestamp with time zone)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    PERFORM public.audit_require_tenant(p_tenant);
    RETURN QUERY
    SELECT s.stream, coalesce(h.seq, 0), encode(h.hash, 'hex'), now()
      FROM unnest(ARRAY['audit', 'security']) AS s(stream)
      LEFT JOIN public.audit_chain_heads h ON h.tenant_id = p_tenant AND h.stream = s.stream
     ORDER BY s.stream;
END
$$;

ALTER FUNCTION public.audit_chain_head(p_tenant uuid) OWNER TO pms_owner;

CREATE FUNCTION public.audit_check_range(p_name text, p_value bigint, p_max bigint) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_value IS NULL THEN
        RAISE EXCEPTION '% is required', p_name USING ERRCODE = 'invalid_parameter_value';
    ELSIF p_value < 1 OR p_value > p_max THEN
        RAISE EXCEPTION '% must be between 1 and %, got %', p_name, p_max, p_value
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

ALTER FUNCTION public.audit_check_range(p_name text, p_value bigint, p_max bigint) OWNER TO pms_owner;

CREATE TABLE public.audit_log (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    table_name text NOT NULL,
    entity_type text NOT NULL,
    operation text NOT NULL,
    row_id uuid,
    changes jsonb NOT NULL,
    actor_user_id uuid,
    request_id text,
    db_user text NOT NULL,
    txid bigint NOT NULL,
    prev_hash bytea,
    hash bytea NOT NULL,
    payload_salt bytea,
    payload_digest bytea NOT NULL,
    CONSTRAINT audit_log_hash_check CHECK ((length(hash) = 32)),
    CONSTRAINT audit_log_operation_check CHECK ((operation = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text]))),
    CONSTRAINT audit_log_payload_digest_check CHECK ((length(payload_digest) = 32)),
    CONSTRAINT audit_log_payload_salt_check CHECK ((length(payload_salt) = 16)),
    CONSTRAINT audit_log_prev_hash_check CHECK ((length(prev_hash) = 32)),
    CONSTRAINT audit_log_seq_check CHECK ((seq > 0))
)
PARTITION BY RANGE (occurred_at);

ALTER TABLE ONLY public.audit_log FORCE ROW LEVEL SECURITY;

ALTER TABLE public.audit_log OWNER TO pms_owner;

CREATE FUNCTION public.audit_log_canonical(e public.audit_log) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT jsonb_build_array('audit/2', e.tenant_id, e.seq, e.id,
               (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
               e.table_name, e.entity_type, e.operation, e.request_id, e.db_user, e.txid,
               encode(e.prev_hash, 'hex'), encode(e.payload_digest, 'hex'))::text
$$;

ALTER FUNCTION public.audit_log_canonical(e public.audit_log) OWNER TO pms_owner;

CREATE FUNCTION public.audit_log_payload(e public.audit_log) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT jsonb_build_array('audit-payload', e.row_id, e.changes, e.actor_user_id)::text
$$;

ALTER FUNCTION public.audit_log_payload(e public.audit_log) OWNER TO pms_owner;

CREATE FUNCTION public.audit_payload_digest(salt bytea, payload text) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT sha256(coalesce(salt, '\x'::bytea) || convert_to(payload, 'UTF8'))
$$;

ALTER FUNCTION public.audit_payload_digest(salt bytea, payload text) OWNER TO pms_owner;

CREATE FUNCTION public.audit_require_reader() RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF public.pms_current_tenant() IS NULL
       AND NOT (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'no tenant set for this transaction (app.tenant_id): audit history is per tenant'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

ALTER FUNCTION public.audit_require_reader() OWNER TO pms_owner;

CREATE FUNCTION public.audit_require_tenant(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF p_tenant IS NULL THEN
        RAISE EXCEPTION 'a tenant id is required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user)
       AND public.pms_current_tenant() IS DISTINCT FROM p_tenant THEN
        RAISE EXCEPTION 'tenant % is not the tenant of this transaction (app.tenant_id is %)',
            p_tenant, coalesce(public.pms_current_tenant()::text, 'not set')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.tenants WHERE id = p_tenant) THEN
        RAISE EXCEPTION 'unknown tenant %', p_tenant USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

ALTER FUNCTION public.audit_require_tenant(p_tenant uuid) OWNER TO pms_owner;

CREATE FUNCTION public.audit_resolve_entity_type(p_entity_type text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_entity text;
BEGIN
    SELECT a.entity_type INTO v_entity FROM pms_meta.audited_tables a
     WHERE lower(a.entity_type) = lower(trim(p_entity_type)) OR a.table_name = lower(trim(p_entity_type));
    IF v_entity IS NULL THEN
        RAISE EXCEPTION 'unknown entity type %; known: %', coalesce(quote_literal(p_entity_type), 'NULL'),
            (SELECT string_agg(entity_type, ', ' ORDER BY entity_type) FROM pms_meta.audited_tables)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN v_entity;
END
$$;

ALTER FUNCTION public.audit_resolve_entity_type(p_entity_type text) OWNER TO pms_owner;

CREATE FUNCTION public.calculate_engagement_trend(p_tenant_id uuid, p_user_id uuid, p_period interval DEFAULT '90 days'::interval) RETURNS TABLE(trend text, slope double precision, days_with_data bigint, average double precision)
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    IF p_tenant_id IS NULL OR p_user_id IS NULL THEN
        RAISE EXCEPTION 'calculate_engagement_trend: tenant and user are required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_period IS NULL OR p_period <= interval '0' OR p_period > interval '10 years' THEN
        RAISE EXCEPTION 'calculate_engagement_trend: period must be positive and at most 10 years, got %', p_period
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
        WITH daily AS (
            SELECT timeseries.bucket('1 day', p.recorded_at) AS day, avg(p.value) AS v
            FROM timeseries.engagement_metrics_ts_points(now() - p_period, 'infinity') p
            WHERE p.tenant_id = p_tenant_id AND p.user_id = p_user_id
            GROUP BY 1),
        fit AS (
            SELECT regr_slope(d.v, extract(epoch FROM d.day) / 86400) AS s, count(*) AS n, avg(d.v) AS a FROM daily d)
        SELECT CASE WHEN f.n < 2 OR f.s IS NULL THEN 'NO_DATA'
                    WHEN f.s > 0.05 THEN 'UP'
                    WHEN f.s < -0.05 THEN 'DOWN'
                    ELSE 'STABLE' END,
               f.s, f.n, f.a
        FROM fit f;
END
$$;

ALTER FUNCTION public.calculate_engagement_trend(p_tenant_id uuid, p_user_id uuid, p_period interval) OWNER TO pms_owner;

CREATE FUNCTION public.check_audit_chain_head(p_tenant uuid, p_stream text, p_seq bigint, p_hash text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
DECLARE
    v_head record;
    v_found bytea;
    v_exists boolean;
BEGIN
    PERFORM public.audit_require_tenant(p_tenant);
    IF p_stream IS NULL OR p_stream NOT IN ('audit', 'security') THEN
        RAISE EXCEPTION 'unknown chain stream %; known: audit, security', coalesce(quote_literal(p_stream), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_seq IS NULL OR p_seq < 0 THEN
        RAISE EXCEPTION 'exported head seq must be 0 or more, got %', coalesce(p_seq::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_seq > 0 AND (p_hash IS NULL OR p_hash !~ '^[0-9a-f]{64}$') THEN
        RAISE EXCEPTION 'exported head hash must be 64 lowercase hex digits'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT h.seq, h.anchor_seq, h.anchor_hash INTO v_head
      FROM public.audit_chain_heads h WHERE h.tenant_id = p_tenant AND h.stream = p_stream;
    IF p_seq = 0 THEN
        RETURN NULL;
    END IF;
    IF coalesce(v_head.seq, 0) < p_seq THEN
        RETURN format('the %s chain is at entry %s, behind the exported head at entry %s (truncated or rewound)',
                      p_stream, coalesce(v_head.seq, 0), p_seq);
    END IF;
    IF p_seq < v_head.anchor_seq THEN
        RETURN NULL; -- dropped by retention: nothing left to compare
    ELSIF p_seq = v_head.anchor_seq THEN
        v_found := v_head.anchor_hash; v_exists := true;
    ELSIF p_stream = 'audit' THEN
        SELECT a.hash, true INTO v_found, v_exists FROM public.audit_log a WHERE a.tenant_id = p_tenant AND a.seq = p_seq LIMIT 1;
    ELSE
        SELECT e.hash, true INTO v_found, v_exists FROM public.security_events e WHERE e.tenant_id = p_tenant AND e.seq = p_seq LIMIT 1;
    END IF;
    IF v_exists IS NULL THEN
        RETURN format('%s entry %s of the exported head is missing (the chain was truncated)', p_stream, p_seq);
    ELSIF encode(v_found, 'hex') <> p_hash THEN
        RETURN format('%s entry %s differs from the exported head (the chain was rewritten)', p_stream, p_seq);
    END IF;
    RETURN NULL;
END
$_$;

ALTER FUNCTION public.check_audit_chain_head(p_tenant uuid, p_stream text, p_seq bigint, p_hash text) OWNER TO pms_owner;

CREATE FUNCTION public.daily_data_maintenance() RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    started timestamptz := clock_timestamp();
    tiers integer;
    e record;
    tenant uuid;
    n bigint;
    deleted jsonb := '{}';
    errors jsonb := '[]';
    total_deleted bigint := 0;
    audit_cleaned bigint := 0;
    elsewhere jsonb;
    ts jsonb := NULL;
    due jsonb;
BEGIN
    FOR e IN SELECT r.entity_type FROM pms_retention.entities r JOIN pms_retention.policies p USING (entity_type)
             WHERE p.managed_by = 'ARCHIVER' AND to_regclass(r.table_name) IS NOT NULL ORDER BY 1 LOOP
        n := 0;
        FOR tenant IN SELECT pms_retention.tenants_with_rows(e.entity_type) LOOP
            BEGIN
                n := n + retention_delete_expired(e.entity_type, tenant);
            EXCEPTION WHEN OTHERS THEN
                errors := errors || jsonb_build_object('entity_type', e.entity_type, 'tenant_id', tenant, 'error', SQLERRM);
            END;
        END LOOP;
        IF n > 0 THEN
            deleted := deleted || jsonb_build_object(e.entity_type, n);
            total_deleted := total_deleted + n;
            IF e.entity_type = 'AuditLog' THEN audit_cleaned := audit_cleaned + n; END IF;
        END IF;
    END LOOP;
    tiers := update_storage_tiers();
    IF to_regprocedure('timeseries_maintenance(timestamptz)') IS NOT NULL THEN
        EXECUTE 'SELECT timeseries_maintenance()' INTO ts;
    END IF;
    SELECT coalesce(jsonb_agg(jsonb_build_object('entity_type', c.entity_type, 'tenant_id', c.tenant_id, 'action', c.action,
                                                 'rows', c.row_count, 'held', c.held)), '[]')
    INTO due FROM get_archival_candidates() c WHERE c.action IN ('ARCHIVE', 'EXPIRE') AND c.row_count + c.held > 0;
    SELECT coalesce(jsonb_object_agg(p.entity_type, p.managed_by), '{}') INTO elsewhere
    FROM pms_retention.policies p WHERE p.managed_by <> 'ARCHIVER';
    RETURN jsonb_build_object(
        'archived', 0,
        'tiers_updated', tiers,
        'expired_deleted', total_deleted,
        'expired_deleted_by_type', deleted,
        'audit_logs_cleaned', audit_cleaned,
        'managed_elsewhere', elsewhere,
        'partitions_created', coalesce((ts ->> 'partitions_created')::bigint, 0),
        'timeseries', ts,
        'archive_due', due,
        'errors', errors,
        'duration_ms', round(extract(epoch FROM clock_timestamp() - started) * 1000));
END
$$;

ALTER FUNCTION public.daily_data_maintenance() OWNER TO pms_owner;

CREATE FUNCTION public.detect_suspicious_activity(p_tenant uuid, p_hours integer DEFAULT 24) RETURNS TABLE(pattern text, severity text, user_id uuid, account text, occurrences bigint, first_seen timestamp with time zone, last_seen timestamp with time zone, details jsonb)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    s public.security_alert_settings;
BEGIN
    PERFORM public.audit_check_range('hours', p_hours, 8760);
    PERFORM public.audit_require_tenant(p_tenant);
    SELECT * INTO s FROM public.security_alert_settings x WHERE x.tenant_id = p_tenant;
    RETURN QUERY
    WITH cfg AS (
        SELECT coalesce(s.failed_logins, 5) AS failed_logins,
               coalesce(s.sensitive_reads, 100) AS sensitive_reads,
               coalesce(s.permission_denials, 10) AS permission_denials,
               coalesce(s.bulk_export_rows, 1000) AS bulk_export_rows,
               coalesce(s.distinct_addresses, 5) AS distinct_addresses,
               coalesce(s.address_window_minutes, 60) AS address_window_minutes,
               coalesce(s.work_day_start, '08:00'::time) AS work_day_start,
               coalesce(s.work_day_end, '18:00'::time) AS work_day_end,
               coalesce(s.work_days, '{1,2,3,4,5}'::smallint[]) AS work_days,
               coalesce(s.timezone, 'UTC') AS tz
    ), ev AS (
        SELECT e.* FROM public.security_events e
         WHERE e.tenant_id = p_tenant AND e.occurred_at >= now() - make_interval(hours => p_hours)
    ), failures AS (
        SELECT 'REPEATED_LOGIN_FAILURES'::text, 'HIGH'::text, (array_agg(e.user_id) FILTER (WHERE e.user_id IS NOT NULL))[1],
               max(e.account), count(*), min(e.occurred_at), max(e.occurred_at),
               jsonb_build_object('threshold', max(c.failed_logins), 'addresses', count(DISTINCT e.ip_address))
          FROM ev e CROSS JOIN cfg c
         WHERE e.event_type = 'LOGIN_FAILURE'
         GROUP BY coalesce(e.user_id::text, e.account)
        HAVING count(*) >= max(c.failed_logins)
    ), reads AS (
        SELECT 'EXCESSIVE_SENSITIVE_READS'::text, 'MEDIUM'::text, e.user_id, NULL::text, count(*),
               min(e.occurred_at), max(e.occurred_at),
               jsonb_build_object('threshold', max(c.sensitive_reads),
                                  'resource_types', jsonb_agg(DISTINCT e.resource_type))
          FROM ev e CROSS JOIN cfg c
         WHERE e.event_type = 'SENSITIVE_READ' AND e.user_id IS NOT NULL
         GROUP BY e.user_id
        HAVING count(*) >= max(c.sensitive_reads)
    ), denials AS (
        SELECT 'REPEATED_PERMISSION_DENIALS'::text, 'CRITICAL'::text, e.user_id, max(e.account), count(*),
               min(e.occurred_at), max(e.occurred_at),
               jsonb_build_object('threshold', max(c.permission_denials))
          FROM ev e CROSS JOIN cfg c
         WHERE e.event_type = 'PERMISSION_DENIED'
         GROUP BY e.user_id, CASE WHEN e.user_id IS NULL THEN coalesce(e.account, host(e.ip_address)) END
        HAVING count(*) >= max(c.permission_denials)
    ), exports AS (
        SELECT e.*, (e.occurred_at AT TIME ZONE c.tz) AS local_at, c.*
          FROM ev e CROSS JOIN cfg c
         WHERE e.event_type = 'DATA_EXPORT' AND jsonb_typeof(e.details -> 'rows') = 'number'
           AND (e.details ->> 'rows')::numeric >= c.bulk_export_rows
    ), off_hours AS (
        SELECT 'OFF_HOURS_BULK_EXPORT'::text, 'HIGH'::text, x.user_id, max(x.account), count(*),
               min(x.occurred_at), max(x.occurred_at),
               jsonb_build_object('threshold_rows', max(x.bulk_export_rows), 'rows', sum((x.details ->> 'rows')::numeric),
                                  'timezone', max(x.tz))
          FROM exports x
         WHERE NOT (extract(isodow FROM x.local_at)::smallint = ANY (x.work_days)
                    AND CASE WHEN x.work_day_start < x.work_day_end
                             THEN x.local_at::time >= x.work_day_start AND x.local_at::time < x.work_day_end
                             ELSE x.local_at::time >= x.work_day_start OR x.local_at::time < x.work_day_end END)
         GROUP BY x.user_id
    ), addresses AS (
        SELECT e.user_id, e.occurred_at,
               (SELECT count(DISTINCT o.ip_address) FROM ev o
                 WHERE o.user_id = e.user_id AND o.ip_address IS NOT NULL
                   AND o.occurred_at BETWEEN e.occurred_at - make_interval(mins => c.address_window_minutes) AND e.occurred_at) AS n,
               c.distinct_addresses, c.address_window_minutes
          FROM ev e CROSS JOIN cfg c
         WHERE e.user_id IS NOT NULL AND e.ip_address IS NOT NULL
    ), many AS (
        SELECT 'MANY_ADDRESSES'::text, 'HIGH'::text, a.user_id, NULL::text, max(a.n),
               min(a.occurred_at) FILTER (WHERE a.n >= a.distinct_addresses), max(a.occurred_at),
               jsonb_build_object('threshold', max(a.distinct_addresses), 'window_minutes', max(a.address_window_minutes))
          FROM addresses a
         GROUP BY a.user_id
        HAVING max(a.n) >= max(a.distinct_addresses)
    )
    SELECT * FROM failures
    UNION ALL SELECT * FROM reads
    UNION ALL SELECT * FROM denials
    UNION ALL SELECT * FROM off_hours
    UNION ALL SELECT * FROM many
    ORDER BY 2, 1, 3;
END
$$;

ALTER FUNCTION public.detect_suspicious_activity(p_tenant uuid, p_hours integer) OWNER TO pms_owner;

CREATE FUNCTION public.get_archival_candidates() RETURNS TABLE(entity_type text, tenant_id uuid, action text, row_count bigint, held bigint, oldest timestamp with time zone)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    e pms_retention.entities;
    holders uuid[] := ARRAY(SELECT DISTINCT h.tenant_id FROM legal_holds h WHERE h.released_at IS NULL);
BEGIN
    FOR e IN SELECT r.* FROM pms_retention.entities r JOIN pms_retention.policies p USING (entity_type)
             WHERE p.managed_by = 'ARCHIVER' AND to_regclass(r.table_name) IS NOT NULL ORDER BY 1 LOOP
        RETURN QUERY EXECUTE format(
            'SELECT $1::text, x.tenant_id, x.action, count(*) FILTER (WHERE NOT x.held), count(*) FILTER (WHERE x.held), min(x.ts)
             FROM (SELECT t.%1$I AS tenant_id, t.%2$I::timestamptz AS ts,
                          CASE WHEN pol.archive_for IS NULL OR t.%2$I < now() - pol.archive_for THEN ''DELETE'' ELSE ''ARCHIVE'' END AS action,
                          t.%1$I = ANY ($2) AND pms_retention.is_held(t.%1$I, $1, t.%3$I::text, %4$s) AS held
                   FROM %5$s t JOIN pms_retention.tenant_policies($1) pol ON pol.tenant_id = t.%1$I
                   WHERE t.%2$I < now() - pol.cold_for) x
             GROUP BY x.tenant_id, x.action',
            e.tenant_column, e.time_column, e.id_column, pms_retention.persons_sql(e.person_columns), e.table_name)
            USING e.entity_type, holders;
    END LOOP;
    RETURN QUERY
        SELECT q.entity_type, q.tenant_id, 'ARCHIVE'::text, count(*), 0::bigint, min(q.created_at)
        FROM archive_pending q GROUP BY q.entity_type, q.tenant_id;
    RETURN QUERY
        SELECT x.entity_type, x.tenant_id, 'EXPIRE'::text, sum(x.row_count)::bigint, 0::bigint, NULL::timestamptz
        FROM retention_expirable_batches(1000000) x GROUP BY x.entity_type, x.tenant_id;
END
$_$;

ALTER FUNCTION public.get_archival_candidates() OWNER TO pms_owner;

CREATE FUNCTION public.get_entity_audit_history(p_entity_type text, p_entity_id uuid, p_limit integer DEFAULT 100) RETURNS TABLE(id uuid, tenant_id uuid, seq bigint, occurred_at timestamp with time zone, table_name text, entity_type text, operation text, row_id uuid, changes jsonb, actor_user_id uuid, request_id text)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_entity text := public.audit_resolve_entity_type(p_entity_type);
BEGIN
    IF p_entity_id IS NULL THEN
        RAISE EXCEPTION 'an entity id is required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM public.audit_check_range('limit', p_limit, 1000);
    PERFORM public.audit_require_reader();
    RETURN QUERY
    SELECT a.id, a.tenant_id, a.seq, a.occurred_at, a.table_name, a.entity_type, a.operation, a.row_id,
           a.changes, a.actor_user_id, a.request_id
      FROM public.audit_log a
     WHERE a.entity_type = v_entity AND a.row_id = p_entity_id
     ORDER BY a.occurred_at DESC, a.seq DESC
     LIMIT p_limit;
END
$$;

ALTER FUNCTION public.get_entity_audit_history(p_entity_type text, p_entity_id uuid, p_limit integer) OWNER TO pms_owner;

CREATE FUNCTION public.get_recent_performance_metrics(p_tenant_id uuid, p_user_id uuid, p_days integer DEFAULT 30) RETURNS TABLE(metric_name text, value double precision, recorded_at timestamp with time zone)
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    IF p_tenant_id IS NULL OR p_user_id IS NULL THEN
        RAISE EXCEPTION 'get_recent_performance_metrics: tenant and user are required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_days IS NULL OR p_days < 1 OR p_days > 3650 THEN
        RAISE EXCEPTION 'get_recent_performance_metrics: days must be between 1 and 3650, got %', p_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
        SELECT p.metric_name, p.value, p.recorded_at
        FROM timeseries.performance_metrics_ts_points(now() - make_interval(days => p_days), 'infinity') p
        WHERE p.tenant_id = p_tenant_id AND p.user_id = p_user_id
        ORDER BY p.recorded_at, p.metric_name;
END
$$;

ALTER FUNCTION public.get_recent_performance_metrics(p_tenant_id uuid, p_user_id uuid, p_days integer) OWNER TO pms_owner;

CREATE FUNCTION public.get_storage_statistics() RETURNS TABLE(entity_type text, table_name text, tier text, row_count bigint, bytes bigint, compressed_bytes bigint, archived_bytes bigint)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    e pms_retention.entities;
BEGIN
    FOR e IN SELECT r.* FROM pms_retention.entities r WHERE to_regclass(r.table_name) IS NOT NULL ORDER BY 1 LOOP
        RETURN QUERY EXECUTE format(
            'SELECT $1::text, $2::text, x.tier, count(*), sum(x.sz)::bigint, NULL::bigint, NULL::bigint
             FROM (SELECT pg_column_size(t.*) AS sz,
                          CASE WHEN t.%1$I >= now() - pol.hot_for THEN ''HOT'' WHEN t.%1$I >= now() - pol.warm_for THEN ''WARM''
                               WHEN t.%1$I >= now() - pol.cold_for THEN ''COLD'' ELSE ''DUE'' END AS tier
                   FROM %2$s t JOIN pms_retention.tenant_policies($1) pol ON pol.tenant_id = t.%3$I) x
             GROUP BY x.tier
             UNION ALL
             SELECT $1::text, $2::text, ''TOTAL'', (SELECT count(*) FROM %2$s), pg_total_relation_size($2::regclass), NULL, NULL',
            e.time_column, e.table_name, e.tenant_column)
            USING e.entity_type, e.table_name;
    END LOOP;
    RETURN QUERY
        SELECT b.entity_type, 'archive'::text, 'ARCHIVE'::text, sum(b.row_count)::bigint, sum(b.raw_bytes)::bigint,
               sum(b.object_bytes)::bigint, sum(b.object_bytes)::bigint
        FROM archive_batches b WHERE b.status = 'ARCHIVED' GROUP BY b.entity_type;
    RETURN QUERY
        SELECT q.entity_type, 'archive_pending'::text, 'ARCHIVE_PENDING'::text, count(*), sum(pg_column_size(q.data))::bigint,
               NULL::bigint, NULL::bigint
        FROM archive_pending q GROUP BY q.entity_type;
END
$_$;

ALTER FUNCTION public.get_storage_statistics() OWNER TO pms_owner;

CREATE FUNCTION public.get_tenant_security_events(p_tenant uuid, p_days integer DEFAULT 7, p_limit integer DEFAULT 100) RETURNS TABLE(id uuid, seq bigint, occurred_at timestamp with time zone, event_type text, severity text, user_id uuid, account text, ip_address inet, user_agent text, resource_type text, resource_id uuid, details jsonb, request_id text)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    PERFORM public.audit_check_range('days', p_days, 1095);
    PERFORM public.audit_check_range('limit', p_limit, 1000);
    PERFORM public.audit_require_tenant(p_tenant);
    RETURN QUERY
    SELECT e.id, e.seq, e.occurred_at, e.event_type, e.severity, e.user_id, e.account, e.ip_address, e.user_agent,
           e.resource_type, e.resource_id, e.details, e.request_id
      FROM public.security_events e
     WHERE e.tenant_id = p_tenant AND e.occurred_at >= now() - make_interval(days => p_days)
     ORDER BY e.occurred_at DESC, e.seq DESC
     LIMIT p_limit;
END
$$;

ALTER FUNCTION public.get_tenant_security_events(p_tenant uuid, p_days integer, p_limit integer) OWNER TO pms_owner;

CREATE FUNCTION public.get_user_audit_history(p_user_id uuid, p_days integer DEFAULT 30, p_limit integer DEFAULT 100) RETURNS TABLE(id uuid, tenant_id uuid, seq bigint, occurred_at timestamp with time zone, table_name text, entity_type text, operation text, row_id uuid, changes jsonb, actor_user_id uuid, request_id text)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF p_user_id IS NULL THEN
        RAISE EXCEPTION 'a user id is required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM public.audit_check_range('days', p_days, 1095);
    PERFORM public.audit_check_range('limit', p_limit, 1000);
    PERFORM public.audit_require_reader();
    RETURN QUERY
    SELECT a.id, a.tenant_id, a.seq, a.occurred_at, a.table_name, a.entity_type, a.operation, a.row_id,
           a.changes, a.actor_user_id, a.request_id
      FROM public.audit_log a
     WHERE a.actor_user_id = p_user_id AND a.occurred_at >= now() - make_interval(days => p_days)
     ORDER BY a.occurred_at DESC, a.seq DESC
     LIMIT p_limit;
END
$$;

ALTER FUNCTION public.get_user_audit_history(p_user_id uuid, p_days integer, p_limit integer) OWNER TO pms_owner;

CREATE FUNCTION public.pms_acknowledge_review(p_review uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_me uuid := public.pms_acting_user();
BEGIN
    IF v_me IS NULL THEN
        RETURN false;
    END IF;
    UPDATE public.performance_reviews
       SET status = 'ACKNOWLEDGED', acknowledged_at = now()
     WHERE tenant_id = public.pms_current_tenant() AND id = p_review
       AND reviewee_id = v_me AND status = 'SHARED';
    RETURN FOUND;
END
$$;

ALTER FUNCTION public.pms_acknowledge_review(p_review uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_acting_hr_grants() RETURNS SETOF uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT ur.id FROM public.user_roles ur
      JOIN public.roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
     WHERE ur.tenant_id = public.pms_current_tenant()
       AND ur.user_id = (SELECT me FROM public.pms_acting_user_row() me)
       AND r.code IN ('ADMIN', 'HR_ADMIN')
       AND (ur.expires_at IS NULL OR ur.expires_at > now())
$$;

ALTER FUNCTION public.pms_acting_hr_grants() OWNER TO pms_owner;

CREATE FUNCTION public.pms_acting_user() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT me FROM public.pms_acting_user_row() me
$$;

ALTER FUNCTION public.pms_acting_user() OWNER TO pms_owner;

CREATE FUNCTION public.pms_acting_user_row() RETURNS SETOF uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT u.id FROM public.users u
     WHERE u.tenant_id = public.pms_current_tenant() AND u.id = public.pms_current_user_id()
       AND u.status NOT IN ('TERMINATED', 'DISABLED') AND u.deleted_at IS NULL
$$;

ALTER FUNCTION public.pms_acting_user_row() OWNER TO pms_owner;

CREATE FUNCTION public.pms_api_b_can_see_group(p_grain text, p_subject uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
    SELECT public.pms_acting_user() IS NOT NULL AND p_subject IS NOT NULL AND CASE p_grain
        WHEN 'user' THEN public.pms_can_see_person(p_subject, 'REVIEWS') AND EXISTS (
            SELECT 1 FROM public.users u
             WHERE u.tenant_id = public.pms_current_tenant() AND u.id = p_subject AND u.deleted_at IS NULL)
        WHEN 'team' THEN EXISTS (
            SELECT 1 FROM public.teams t
             WHERE t.tenant_id = public.pms_current_tenant() AND t.id = p_subject AND t.deleted_at IS NULL
               AND (public.pms_is_tenant_hr() OR t.lead_id = public.pms_acting_user()
                    OR t.lead_id IN (SELECT m.person_id FROM public.pms_my_team() m)))
        WHEN 'department' THEN public.pms_api_b_can_see_health(p_subject)
        WHEN 'tenant' THEN p_subject = public.pms_current_tenant() AND public.pms_api_b_can_see_health(NULL)
        ELSE false END
$$;

ALTER FUNCTION public.pms_api_b_can_see_group(p_grain text, p_subject uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_api_b_can_see_health(p_department uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
    SELECT public.pms_acting_user() IS NOT NULL AND CASE
        WHEN p_department IS NULL THEN
            public.pms_is_tenant_hr() OR EXISTS (
                SELECT 1 FROM public.users me
                 WHERE me.tenant_id = public.pms_current_tenant() AND me.id = public.pms_acting_user()
                   AND me.manager_id IS NULL
                   AND EXISTS (SELECT 1 FROM public.pms_my_team()))
        ELSE EXISTS (
            SELECT 1 FROM public.departments d
             WHERE d.tenant_id = public.pms_current_tenant() AND d.id = p_department AND d.deleted_at IS NULL
               AND (public.pms_is_tenant_hr() OR d.head_id = public.pms_acting_user()
                    OR d.head_id IN (SELECT t.person_id FROM public.pms_my_team() t)))
        END
$$;

ALTER FUNCTION public.pms_api_b_can_see_health(p_department uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_api_b_can_see_succession_plan(p_plan uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
    SELECT public.pms_acting_user() IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.succession_plans s
         WHERE s.tenant_id = public.pms_current_tenant() AND s.id = p_plan AND s.deleted_at IS NULL
           AND (public.pms_is_tenant_hr() OR s.owner_id = public.pms_acting_user()
                OR s.incumbent_id IN (SELECT m FROM public.pms_managed_people('APPROVALS') m)))
$$;

ALTER FUNCTION public.pms_api_b_can_see_succession_plan(p_plan uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_api_can_see_goal(p_owner uuid, p_visibility text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT p_visibility = 'PUBLIC'
        OR p_owner = public.pms_current_user_id()
        OR public.pms_api_manages(public.pms_current_user_id(), p_owner)
        OR (p_visibility = 'TEAM' AND EXISTS (
               SELECT 1 FROM public.users me JOIN public.users o ON o.tenant_id = me.tenant_id AND o.id = p_owner
                WHERE me.tenant_id = public.pms_current_tenant() AND me.id = public.pms_current_user_id()
                  AND (me.manager_id = o.manager_id OR me.manager_id = o.id)))
        OR public.pms_is_tenant_hr()
$$;

ALTER FUNCTION public.pms_api_can_see_goal(p_owner uuid, p_visibility text) OWNER TO pms_owner;

CREATE FUNCTION public.pms_api_manages(p_manager uuid, p_person uuid) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.reporting_chain c
         WHERE c.tenant_id = public.pms_current_tenant()
           AND c.ancestor_id = p_manager AND c.descendant_id = p_person AND c.depth > 0)
$$;

ALTER FUNCTION public.pms_api_manages(p_manager uuid, p_person uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_api_may_run_pip(p_employee uuid) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT public.pms_acting_user() IS NOT NULL
       AND (public.pms_is_tenant_hr() OR p_employee IN (SELECT m FROM public.pms_managed_people('REVIEWS') m))
$$;

ALTER FUNCTION public.pms_api_may_run_pip(p_employee uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_bench_strength(p_ready_now bigint, p_ready_1_year bigint, p_ready_2_years bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE
        WHEN coalesce(p_ready_now, 0) + coalesce(p_ready_1_year, 0) + coalesce(p_ready_2_years, 0) = 0 THEN 'NONE'
        WHEN coalesce(p_ready_now, 0) >= 1
             AND coalesce(p_ready_now, 0) + coalesce(p_ready_1_year, 0) + coalesce(p_ready_2_years, 0) >= 3 THEN 'STRONG'
        WHEN coalesce(p_ready_now, 0) >= 1 OR coalesce(p_ready_1_year, 0) >= 2 THEN 'ADEQUATE'
        ELSE 'WEAK' END
$$;

ALTER FUNCTION public.pms_bench_strength(p_ready_now bigint, p_ready_1_year bigint, p_ready_2_years bigint) OWNER TO pms_owner;

CREATE FUNCTION public.pms_calibration_participant_open() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    v_row record;
    v_status text;
BEGIN
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    SELECT s.status INTO v_status FROM public.calibration_sessions s
     WHERE s.tenant_id = v_row.tenant_id AND s.id = v_row.session_id;
    IF v_status IN ('COMPLETED', 'CANCELLED') AND current_user NOT IN ('pms_owner', 'pms_maintenance') THEN
        RAISE EXCEPTION 'calibration session % is %: its participants cannot change', v_row.session_id, v_status
            USING HINT = 'record_closed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_calibration_participant_open() OWNER TO pms_owner;

CREATE FUNCTION public.pms_calibration_rating_rules() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    v_row record;
    v_status text;
    v_locked timestamptz;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;  -- no change
    END IF;
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    SELECT s.status, c.calibration_locked_at INTO v_status, v_locked
      FROM public.calibration_sessions s
      JOIN public.review_cycles c ON c.tenant_id = s.tenant_id AND c.id = s.cycle_id
     WHERE s.tenant_id = v_row.tenant_id AND s.id = v_row.session_id;
    -- An erasure (the platform's own roles) pseudonymises the adjuster and scrubs the rationale
    -- of a locked rating; the ratings themselves never change.
    IF TG_OP = 'UPDATE' AND current_user IN ('pms_owner', 'pms_maintenance')
       AND (NEW.original_rating, NEW.adjusted_rating, NEW.session_id, NEW.review_id)
           IS NOT DISTINCT FROM (OLD.original_rating, OLD.adjusted_rating, OLD.session_id, OLD.review_id) THEN
        RETURN NEW;
    END IF;
    IF v_locked IS NOT NULL THEN
        RAISE EXCEPTION 'the calibration of this cycle was finalized: its ratings cannot change' USING HINT = 'ratings_locked';
    END IF;
    -- The demo seed and the maintenance tools record completed sessions' history; the
    -- application writes only while a session is open.
    IF current_user NOT IN ('pms_owner', 'pms_maintenance') AND (TG_OP <> 'INSERT' AND v_status = 'COMPLETED' OR v_status = 'CANCELLED') THEN
        RAISE EXCEPTION 'calibration session % is %: its ratings cannot change', v_row.session_id, v_status
            USING HINT = 'record_closed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.original_rating IS DISTINCT FROM OLD.original_rating THEN
        RAISE EXCEPTION 'the original rating of calibration rating % is kept: it cannot change', OLD.id
            USING HINT = 'original_kept';
    END IF;
    IF NEW.adjusted_rating IS NOT NULL AND NEW.adjusted_rating <> NEW.original_rating
       AND coalesce(btrim(NEW.rationale), '') = '' THEN
        RAISE EXCEPTION 'a rating moved in calibration (% to %) needs a rationale', NEW.original_rating, NEW.adjusted_rating
            USING HINT = 'rationale_required';
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_calibration_rating_rules() OWNER TO pms_owner;

CREATE FUNCTION public.pms_calibration_session_workflow() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    -- An update that changes nothing is no change (a closed session refuses changes only).
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    -- The platform's own roles (an erasure pseudonymising the facilitator, scrubbing the name)
    -- may change a closed or locked session's other columns, never its status or cycle.
    IF TG_OP = 'UPDATE' AND current_user IN ('pms_owner', 'pms_maintenance')
       AND NEW.status = OLD.status AND NEW.cycle_id = OLD.cycle_id THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM public.review_cycles c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.cycle_id
                  AND c.calibration_locked_at IS NOT NULL) THEN
        RAISE EXCEPTION 'the calibration of cycle % is finalized: its sessions cannot change', NEW.cycle_id
            USING HINT = 'ratings_locked';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status NOT IN ('PLANNED', 'IN_PROGRESS') AND current_user NOT IN ('pms_owner', 'pms_maintenance') THEN
            RAISE EXCEPTION 'a new calibration session is PLANNED or IN_PROGRESS, not %', NEW.status
                USING HINT = 'invalid_transition';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.status IN ('COMPLETED', 'CANCELLED') THEN
        RAISE EXCEPTION 'calibration session % is % and cannot change', OLD.id, OLD.status USING HINT = 'record_closed';
    END IF;
    IF NEW.cycle_id IS DISTINCT FROM OLD.cycle_id THEN
        RAISE EXCEPTION 'calibration session % cannot move to another cycle', OLD.id USING HINT = 'invalid_transition';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status
       AND NOT (OLD.status = 'PLANNED' AND NEW.status IN ('IN_PROGRESS', 'CANCELLED')
                OR OLD.status = 'IN_PROGRESS' AND NEW.status IN ('COMPLETED', 'CANCELLED')) THEN
        RAISE EXCEPTION 'calibration session % cannot move from % to %: PLANNED -> IN_PROGRESS -> COMPLETED, or CANCELLED',
            OLD.id, OLD.status, NEW.status USING HINT = 'invalid_transition';
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_calibration_session_workflow() OWNER TO pms_owner;

CREATE FUNCTION public.pms_can_see_person(p_person uuid, p_domain text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT public.pms_acting_user() IS NOT NULL
       AND (p_person = public.pms_acting_user()
            OR public.pms_is_tenant_hr()
            OR p_person IN (SELECT m FROM public.pms_managed_people(p_domain) m))
$$;

ALTER FUNCTION public.pms_can_see_person(p_person uuid, p_domain text) OWNER TO pms_owner;

CREATE FUNCTION public.pms_career_suggestions(p_person uuid, p_limit integer DEFAULT 10) RETURNS TABLE(path_id uuid, path_name text, track text, same_department boolean, step_id uuid, step_title text, step_level smallint, level_gap integer, typical_months smallint, requirements jsonb)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT p.id, p.name, p.track, p.department_id IS NOT DISTINCT FROM u.department_id AND p.department_id IS NOT NULL,
           s.id, s.title, s.level, s.level - coalesce(u.level, 0), s.typical_months, s.requirements
      FROM public.users u
      JOIN public.career_paths p ON p.tenant_id = u.tenant_id AND p.deleted_at IS NULL
      JOIN LATERAL (SELECT * FROM public.career_path_steps cs
                     WHERE cs.tenant_id = p.tenant_id AND cs.path_id = p.id AND cs.level > coalesce(u.level, 0)
                     ORDER BY cs.position LIMIT 1) s ON true
     WHERE u.tenant_id = public.pms_current_tenant() AND u.id = p_person AND u.deleted_at IS NULL
       AND public.pms_can_see_person(p_person, 'GOALS')
     ORDER BY 4 DESC, 8, p.name, s.id
     LIMIT greatest(1, least(p_limit, 50))
$$;

ALTER FUNCTION public.pms_career_suggestions(p_person uuid, p_limit integer) OWNER TO pms_owner;

CREATE FUNCTION public.pms_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

ALTER FUNCTION public.pms_current_tenant() OWNER TO pms_owner;

CREATE FUNCTION public.pms_current_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

ALTER FUNCTION public.pms_current_user_id() OWNER TO pms_owner;

CREATE FUNCTION public.pms_development_part_open() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    v_row record;
    v_status text;
    v_progress numeric;
BEGIN
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    SELECT p.status, p.progress INTO v_status, v_progress FROM public.development_plans p
     WHERE p.tenant_id = v_row.tenant_id AND p.id = v_row.plan_id;
    IF v_status IN ('COMPLETED', 'CANCELLED') THEN
        RAISE EXCEPTION 'development plan % is %: its % cannot change', v_row.plan_id, v_status,
            replace(TG_TABLE_NAME, 'development_', '') USING HINT = 'record_closed';
    END IF;
    IF TG_TABLE_NAME = 'development_activities' AND TG_OP <> 'DELETE' THEN
        NEW.completed_at := CASE WHEN NEW.status = 'DONE' THEN coalesce(NEW.completed_at, now()) END;
    END IF;
    IF TG_TABLE_NAME = 'development_checkpoints' AND TG_OP = 'UPDATE'
       AND NEW.completed_at IS NOT NULL AND OLD.completed_at IS NULL THEN
        NEW.progress_snapshot := v_progress;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_development_part_open() OWNER TO pms_owner;

CREATE FUNCTION public.pms_development_plan_workflow() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    IF OLD.status IN ('COMPLETED', 'CANCELLED') THEN
        IF (to_jsonb(NEW) - 'updated_at' - 'deleted_at') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at' - 'deleted_at') THEN
            RAISE EXCEPTION 'development plan % is % and cannot change', OLD.id, OLD.status USING HINT = 'record_closed';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status
       AND NOT (OLD.status = 'DRAFT' AND NEW.status IN ('ACTIVE', 'CANCELLED')
                OR OLD.status = 'ACTIVE' AND NEW.status IN ('COMPLETED', 'CANCELLED')) THEN
        RAISE EXCEPTION 'development plan % cannot move from % to %', OLD.id, OLD.status, NEW.status
            USING HINT = 'invalid_transition';
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_development_plan_workflow() OWNER TO pms_owner;

CREATE FUNCTION public.pms_development_progress() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    v_row record;
BEGIN
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    UPDATE public.development_plans p
       SET progress = a.pct
      FROM (SELECT round(100.0 * count(*) FILTER (WHERE x.status = 'DONE') / count(*), 2) AS pct
              FROM public.development_activities x
             WHERE x.tenant_id = v_row.tenant_id AND x.plan_id = v_row.plan_id AND x.status <> 'DROPPED'
            HAVING count(*) > 0) a
     WHERE p.tenant_id = v_row.tenant_id AND p.id = v_row.plan_id AND p.progress IS DISTINCT FROM a.pct;
    RETURN NULL;
END
$$;

ALTER FUNCTION public.pms_development_progress() OWNER TO pms_owner;

CREATE FUNCTION public.pms_feedback_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF public.pms_current_user_id() IS NULL THEN
        RETURN NULL;
    END IF;
    IF NEW.feedback_type = 'REQUEST' THEN
        PERFORM public.pms_notify(NEW.giver_id, 'feedback.requested',
            format('%s asks for your feedback', public.pms_person_name(NEW.recipient_id)), NULL, 'feedback', NEW.id);
    ELSE
        PERFORM public.pms_notify(NEW.recipient_id, 'feedback.received',
            CASE WHEN NEW.is_anonymous OR NEW.giver_id IS NULL THEN 'You received anonymous feedback'
                 ELSE format('%s gave you feedback', public.pms_person_name(NEW.giver_id)) END,
            NULL, 'feedback', NEW.id);
    END IF;
    RETURN NULL;
END
$$;

ALTER FUNCTION public.pms_feedback_notify() OWNER TO pms_owner;

CREATE FUNCTION public.pms_finalize_calibration(p_cycle uuid, p_now timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    v_status text;
    v_locked timestamptz;
    v_open integer;
    v_done integer;
BEGIN
    SELECT c.status, c.calibration_locked_at INTO v_status, v_locked FROM public.review_cycles c
     WHERE c.id = p_cycle AND c.deleted_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no review cycle %', p_cycle USING ERRCODE = 'no_data_found';
    END IF;
    IF v_locked IS NOT NULL THEN
        RAISE EXCEPTION 'the calibration of cycle % was finalized already', p_cycle USING HINT = 'ratings_locked';
    END IF;
    IF v_status <> 'CALIBRATION' THEN
        RAISE EXCEPTION 'cycle % is in %: finalizing its calibration needs CALIBRATION', p_cycle, v_status
            USING HINT = 'cycle_phase';
    END IF;
    SELECT count(*) INTO v_open FROM public.calibration_sessions s
     WHERE s.cycle_id = p_cycle AND s.status IN ('PLANNED', 'IN_PROGRESS');
    IF v_open > 0 THEN
        RAISE EXCEPTION '% calibration session(s) of cycle % are still open: complete or cancel them first', v_open, p_cycle
            USING HINT = 'sessions_open';
    END IF;
    UPDATE public.performance_reviews r SET status = 'FINALIZED'
     WHERE r.cycle_id = p_cycle AND r.status IN ('SUBMITTED', 'CALIBRATED') AND r.deleted_at IS NULL;
    GET DIAGNOSTICS v_done = ROW_COUNT;
    UPDATE public.review_cycles c SET calibration_locked_at = p_now, status = 'FINALIZATION' WHERE c.id = p_cycle;
    RETURN v_done;
END
$$;

ALTER FUNCTION public.pms_finalize_calibration(p_cycle uuid, p_now timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION public.pms_is_tenant_hr() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT EXISTS (SELECT 1 FROM public.pms_acting_hr_grants())
$$;

ALTER FUNCTION public.pms_is_tenant_hr() OWNER TO pms_owner;

CREATE FUNCTION public.pms_managed_people(p_domain text) RETURNS SETOF uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT c.descendant_id FROM public.reporting_chain c
     WHERE c.tenant_id = public.pms_current_tenant()
       AND c.ancestor_id = (SELECT me FROM public.pms_acting_user_row() me)
       AND c.depth > 0
    UNION ALL
    SELECT c.descendant_id
      FROM public.delegations d
      JOIN public.reporting_chain c ON c.tenant_id = d.tenant_id AND c.ancestor_id = d.delegator_id AND c.depth > 0
     WHERE d.tenant_id = public.pms_current_tenant()
       AND d.delegate_id = (SELECT me FROM public.pms_acting_user_row() me)
       AND d.scope IN (p_domain, 'ALL')
       AND d.revoked_at IS NULL
       AND d.starts_at <= now() AND now() < d.ends_at
$$;

ALTER FUNCTION public.pms_managed_people(p_domain text) OWNER TO pms_owner;

CREATE FUNCTION public.pms_my_team() RETURNS TABLE(person_id uuid, depth smallint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT c.descendant_id, c.depth FROM public.reporting_chain c
     WHERE c.tenant_id = public.pms_current_tenant()
       AND c.ancestor_id = (SELECT me FROM public.pms_acting_user_row() me)
       AND c.depth > 0
$$;

ALTER FUNCTION public.pms_my_team() OWNER TO pms_owner;

CREATE FUNCTION public.pms_notification_events() RETURNS TABLE(event text, description text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    VALUES ('one_on_one.scheduled', 'a one-on-one with you was scheduled or moved'),
           ('one_on_one.cancelled', 'a one-on-one with you was cancelled'),
           ('pip.check_in_due', 'a check-in of a performance improvement plan is due'),
           ('review.due', 'a review you are to write was assigned, with its due date'),
           ('feedback.received', 'someone gave you feedback'),
           ('feedback.requested', 'someone asked you for feedback')
$$;

ALTER FUNCTION public.pms_notification_events() OWNER TO pms_owner;

CREATE FUNCTION public.pms_notify(p_recipient uuid, p_event text, p_title text, p_body text, p_entity_type text, p_entity_id uuid) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
    v_actor uuid := public.pms_current_user_id();
    v_in_app boolean := true;
    v_email boolean := false;
    v_n integer := 0;
BEGIN
    IF v_tenant IS NULL OR v_actor IS NULL OR p_recipient IS NULL OR p_recipient = v_actor THEN
        RETURN 0;
    END IF;
    SELECT np.in_app, np.email INTO v_in_app, v_email
      FROM public.notification_preferences np
     WHERE np.tenant_id = v_tenant AND np.user_id = p_recipient AND np.event = p_event;
    v_in_app := coalesce(v_in_app, true);
    v_email := coalesce(v_email, false);
    IF v_in_app THEN
        INSERT INTO public.notifications (tenant_id, recipient_id, channel, status, title, body, entity_type, entity_id, event, sent_at)
        VALUES (v_tenant, p_recipient, 'IN_APP', 'DELIVERED', left(p_title, 300), p_body, p_entity_type, p_entity_id, p_event, now());
        v_n := v_n + 1;
    END IF;
    IF v_email THEN
        INSERT INTO public.notifications (tenant_id, recipient_id, channel, status, title, body, entity_type, entity_id, event)
        VALUES (v_tenant, p_recipient, 'EMAIL', 'PENDING', left(p_title, 300), p_body, p_entity_type, p_entity_id, p_event);
        v_n := v_n + 1;
    END IF;
    RETURN v_n;
END
$$;

ALTER FUNCTION public.pms_notify(p_recipient uuid, p_event text, p_title text, p_body text, p_entity_type text, p_entity_id uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_one_on_one_item_open() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    v_row record;
BEGIN
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    IF EXISTS (SELECT 1 FROM public.one_on_ones o WHERE o.tenant_id = v_row.tenant_id AND o.id = v_row.one_on_one_id
                  AND o.status = 'CANCELLED') THEN
        RAISE EXCEPTION 'one-on-one % is cancelled: its % cannot change', v_row.one_on_one_id, replace(TG_TABLE_NAME, 'one_on_one_', '')
            USING HINT = 'record_closed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_one_on_one_item_open() OWNER TO pms_owner;

CREATE FUNCTION public.pms_one_on_one_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_who uuid;
BEGIN
    IF public.pms_current_user_id() IS NULL THEN
        RETURN NULL;
    END IF;
    FOREACH v_who IN ARRAY ARRAY[NEW.manager_id, NEW.employee_id] LOOP
        IF TG_OP = 'INSERT' AND NEW.status = 'SCHEDULED'
           OR TG_OP = 'UPDATE' AND NEW.status = 'SCHEDULED' AND NEW.scheduled_at IS DISTINCT FROM OLD.scheduled_at THEN
            PERFORM public.pms_notify(v_who, 'one_on_one.scheduled',
                format('One-on-one with %s on %s', public.pms_person_name(CASE WHEN v_who = NEW.manager_id THEN NEW.employee_id ELSE NEW.manager_id END),
                       to_char(NEW.scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')),
                NULL, 'one_on_one', NEW.id);
        ELSIF TG_OP = 'UPDATE' AND NEW.status = 'CANCELLED' AND OLD.status <> 'CANCELLED' THEN
            PERFORM public.pms_notify(v_who, 'one_on_one.cancelled',
                format('One-on-one with %s on %s was cancelled',
                       public.pms_person_name(CASE WHEN v_who = NEW.manager_id THEN NEW.employee_id ELSE NEW.manager_id END),
                       to_char(NEW.scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')),
                NEW.cancellation_reason, 'one_on_one', NEW.id);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

ALTER FUNCTION public.pms_one_on_one_notify() OWNER TO pms_owner;

CREATE FUNCTION public.pms_one_on_one_workflow() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    IF OLD.status = 'CANCELLED' AND NEW.deleted_at IS NOT DISTINCT FROM OLD.deleted_at THEN
        RAISE EXCEPTION 'one-on-one % is cancelled and cannot change', OLD.id USING HINT = 'record_closed';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF OLD.status = 'COMPLETED' THEN
            RAISE EXCEPTION 'one-on-one % is COMPLETED and cannot become %', OLD.id, NEW.status USING HINT = 'invalid_transition';
        END IF;
        IF NOT (OLD.status IN ('SCHEDULED', 'RESCHEDULED') AND NEW.status IN ('COMPLETED', 'CANCELLED')
                OR OLD.status = 'RESCHEDULED' AND NEW.status = 'SCHEDULED') THEN
            RAISE EXCEPTION 'one-on-one % cannot move from % to %: a scheduled meeting is completed or cancelled',
                OLD.id, OLD.status, NEW.status USING HINT = 'invalid_transition';
        END IF;
        NEW.completed_at := CASE WHEN NEW.status = 'COMPLETED' THEN coalesce(NEW.completed_at, now()) END;
        NEW.cancelled_at := CASE WHEN NEW.status = 'CANCELLED' THEN coalesce(NEW.cancelled_at, now()) END;
    END IF;
    IF OLD.status = 'COMPLETED' AND (NEW.scheduled_at IS DISTINCT FROM OLD.scheduled_at
                                     OR NEW.duration_minutes IS DISTINCT FROM OLD.duration_minutes) THEN
        RAISE EXCEPTION 'one-on-one % is completed: its time cannot change', OLD.id USING HINT = 'record_closed';
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_one_on_one_workflow() OWNER TO pms_owner;

CREATE FUNCTION public.pms_org_health(p_department uuid) RETURNS TABLE(overall numeric, level text, inputs jsonb, period_start date, version text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
BEGIN
    IF NOT public.pms_api_b_can_see_health(p_department) THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH latest AS (
        SELECT c.component, c.weight, x.value, x.period_start
          FROM public.pms_org_health_components() c
          LEFT JOIN LATERAL (
              SELECT m.value, m.period_start FROM public.organizational_health_metrics m
               WHERE p_department IS NULL AND m.tenant_id = v_tenant AND m.metric = c.component
              UNION ALL
              SELECT d.value, d.period_start FROM public.department_health_metrics d
               WHERE p_department IS NOT NULL AND d.tenant_id = v_tenant AND d.department_id = p_department AND d.metric = c.component
              ORDER BY 2 DESC LIMIT 1) x ON true),
    score AS (
        SELECT public.pms_org_health_overall(
                   max(l.value) FILTER (WHERE l.component = 'engagement'), max(l.value) FILTER (WHERE l.component = 'performance'),
                   max(l.value) FILTER (WHERE l.component = 'culture'), max(l.value) FILTER (WHERE l.component = 'leadership'),
                   max(l.value) FILTER (WHERE l.component = 'collaboration'), max(l.value) FILTER (WHERE l.component = 'innovation'),
                   max(l.value) FILTER (WHERE l.component = 'wellbeing')) AS overall,
               jsonb_agg(jsonb_build_object('component', l.component, 'weight', l.weight, 'value', l.value, 'period_start', l.period_start)
                         ORDER BY l.weight DESC, l.component) AS inputs,
               max(l.period_start) AS period_start
          FROM latest l)
    SELECT s.overall, public.pms_org_health_level(s.overall), s.inputs, s.period_start,
           public.pms_org_health_version(p_department)
      FROM score s;
END
$$;

ALTER FUNCTION public.pms_org_health(p_department uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_org_health_components() RETURNS TABLE(component text, weight numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    VALUES ('engagement', 0.20), ('performance', 0.20), ('culture', 0.15), ('leadership', 0.15),
           ('collaboration', 0.10), ('innovation', 0.10), ('wellbeing', 0.10)
$$;

ALTER FUNCTION public.pms_org_health_components() OWNER TO pms_owner;

CREATE FUNCTION public.pms_org_health_level(p_overall numeric) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE WHEN p_overall IS NULL THEN NULL
                WHEN p_overall >= 85 THEN 'EXCELLENT' WHEN p_overall >= 70 THEN 'GOOD'
                WHEN p_overall >= 55 THEN 'FAIR' WHEN p_overall >= 40 THEN 'POOR'
                ELSE 'CRITICAL' END
$$;

ALTER FUNCTION public.pms_org_health_level(p_overall numeric) OWNER TO pms_owner;

CREATE FUNCTION public.pms_org_health_overall(p_engagement numeric, p_performance numeric, p_culture numeric, p_leadership numeric, p_collaboration numeric, p_innovation numeric, p_wellbeing numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT round(sum(w * v) / nullif(sum(w), 0), 2)
      FROM (VALUES (0.20, p_engagement), (0.20, p_performance), (0.15, p_culture), (0.15, p_leadership),
                   (0.10, p_collaboration), (0.10, p_innovation), (0.10, p_wellbeing)) AS c(w, v)
     WHERE v IS NOT NULL
$$;

ALTER FUNCTION public.pms_org_health_overall(p_engagement numeric, p_performance numeric, p_culture numeric, p_leadership numeric, p_collaboration numeric, p_innovation numeric, p_wellbeing numeric) OWNER TO pms_owner;

CREATE FUNCTION public.pms_org_health_version(p_department uuid) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
    v text;
BEGIN
    IF NOT public.pms_api_b_can_see_health(p_department) THEN
        RETURN NULL;
    END IF;
    IF p_department IS NULL THEN
        SELECT count(*) || ':' || coalesce((extract(epoch FROM max(m.updated_at)) * 1000000)::bigint, 0) INTO v
          FROM public.organizational_health_metrics m
         WHERE m.tenant_id = v_tenant AND m.metric IN (SELECT component FROM public.pms_org_health_components());
    ELSE
        SELECT count(*) || ':' || coalesce((extract(epoch FROM max(d.updated_at)) * 1000000)::bigint, 0) INTO v
          FROM public.department_health_metrics d
         WHERE d.tenant_id = v_tenant AND d.department_id = p_department
           AND d.metric IN (SELECT component FROM public.pms_org_health_components());
    END IF;
    RETURN v;
END
$$;

ALTER FUNCTION public.pms_org_health_version(p_department uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_person_name(p_person uuid) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
    SELECT coalesce(u.display_name, u.first_name || ' ' || u.last_name)
      FROM public.users u WHERE u.tenant_id = public.pms_current_tenant() AND u.id = p_person
$$;

ALTER FUNCTION public.pms_person_name(p_person uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_pip_check_in_schedule() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    UPDATE public.performance_improvement_plans p
       SET next_check_in_on = CASE WHEN NEW.check_in_date + p.check_in_every_days <= p.ends_on
                                   THEN NEW.check_in_date + p.check_in_every_days END
     WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.pip_id
       AND (p.next_check_in_on IS NULL OR p.next_check_in_on <= NEW.check_in_date + p.check_in_every_days);
    RETURN NULL;
END
$$;

ALTER FUNCTION public.pms_pip_check_in_schedule() OWNER TO pms_owner;

CREATE FUNCTION public.pms_pip_next_statuses(p_status text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE p_status
        WHEN 'DRAFT' THEN ARRAY['ACTIVE', 'CANCELLED']
        WHEN 'ACTIVE' THEN ARRAY['ON_TRACK', 'AT_RISK', 'CANCELLED']
        WHEN 'ON_TRACK' THEN ARRAY['AT_RISK', 'SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED']
        WHEN 'AT_RISK' THEN ARRAY['ON_TRACK', 'SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED']
        WHEN 'EXTENDED' THEN ARRAY['ON_TRACK', 'AT_RISK', 'SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED']
        ELSE ARRAY[]::text[] END
$$;

ALTER FUNCTION public.pms_pip_next_statuses(p_status text) OWNER TO pms_owner;

CREATE FUNCTION public.pms_pip_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_who uuid;
BEGIN
    IF public.pms_current_user_id() IS NULL OR NEW.next_check_in_on IS NULL
       OR NEW.next_check_in_on IS NOT DISTINCT FROM OLD.next_check_in_on THEN
        RETURN NULL;
    END IF;
    FOREACH v_who IN ARRAY ARRAY[NEW.manager_id, NEW.employee_id] LOOP
        PERFORM public.pms_notify(v_who, 'pip.check_in_due',
            format('PIP check-in due on %s', to_char(NEW.next_check_in_on, 'YYYY-MM-DD')),
            CASE WHEN v_who = NEW.manager_id THEN format('Performance improvement plan of %s', public.pms_person_name(NEW.employee_id)) END,
            'pip', NEW.id);
    END LOOP;
    RETURN NULL;
END
$$;

ALTER FUNCTION public.pms_pip_notify() OWNER TO pms_owner;

CREATE FUNCTION public.pms_pip_part_open() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    v_row record;
    v_plan record;
BEGIN
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    SELECT p.status, p.starts_on, p.ends_on INTO v_plan FROM public.performance_improvement_plans p
     WHERE p.tenant_id = v_row.tenant_id AND p.id = v_row.pip_id;
    IF v_plan.status IN ('SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED') THEN
        RAISE EXCEPTION 'PIP % is %: its % cannot change', v_row.pip_id, v_plan.status, replace(TG_TABLE_NAME, 'pip_', '')
            USING HINT = 'record_closed';
    END IF;
    IF TG_TABLE_NAME = 'pip_check_ins' AND TG_OP <> 'DELETE' THEN
        IF v_plan.status = 'DRAFT' THEN
            RAISE EXCEPTION 'PIP % is a draft: check-ins start once it is ACTIVE', v_row.pip_id USING HINT = 'invalid_transition';
        END IF;
        IF NEW.check_in_date < v_plan.starts_on OR NEW.check_in_date > v_plan.ends_on THEN
            RAISE EXCEPTION 'a check-in of PIP % is held between % and %', v_row.pip_id, v_plan.starts_on, v_plan.ends_on
                USING HINT = 'out_of_range';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_pip_part_open() OWNER TO pms_owner;

CREATE FUNCTION public.pms_pip_workflow() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    IF OLD.status IN ('SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED') THEN
        IF (to_jsonb(NEW) - 'updated_at' - 'deleted_at') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at' - 'deleted_at') THEN
            RAISE EXCEPTION 'PIP % is % and cannot change', OLD.id, OLD.status USING HINT = 'record_closed';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT NEW.status = ANY (public.pms_pip_next_statuses(OLD.status)) THEN
            RAISE EXCEPTION 'PIP % cannot move from % to %: the next status is one of %', OLD.id, OLD.status, NEW.status,
                array_to_string(public.pms_pip_next_statuses(OLD.status), ', ') USING HINT = 'invalid_transition';
        END IF;
        IF NEW.status IN ('SUCCESSFUL', 'UNSUCCESSFUL') AND length(trim(coalesce(NEW.outcome_notes, ''))) = 0 THEN
            RAISE EXCEPTION 'closing PIP % as % needs its outcome notes', OLD.id, NEW.status USING HINT = 'outcome_required';
        END IF;
        IF NEW.status IN ('SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED') THEN
            NEW.closed_at := now();
            NEW.next_check_in_on := NULL;
        ELSIF OLD.status = 'DRAFT' THEN
            -- The first check-in is due one interval after the plan starts.
            NEW.next_check_in_on := NEW.starts_on + NEW.check_in_every_days;
        END IF;
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_pip_workflow() OWNER TO pms_owner;

CREATE FUNCTION public.pms_promotion_decision_next(p_from text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE p_from
        WHEN 'PROPOSED' THEN ARRAY['APPROVED', 'REJECTED']
        WHEN 'APPROVED' THEN ARRAY['EFFECTIVE']
        ELSE ARRAY[]::text[] END
$$;

ALTER FUNCTION public.pms_promotion_decision_next(p_from text) OWNER TO pms_owner;

CREATE FUNCTION public.pms_promotion_decision_workflow() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    v_me uuid := public.pms_acting_user();
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'PROPOSED' AND v_me IS NOT NULL THEN
            RAISE EXCEPTION 'a promotion decision starts as PROPOSED, not %', NEW.status;
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status = OLD.status THEN
        -- A final decision keeps what was decided (its people and words may still be
        -- pseudonymised and scrubbed by an erasure).
        IF OLD.status IN ('REJECTED', 'EFFECTIVE') AND v_me IS NOT NULL
           AND (NEW.to_level, NEW.effective_date) IS DISTINCT FROM (OLD.to_level, OLD.effective_date) THEN
            RAISE EXCEPTION 'promotion decision % is % and its level and date cannot change', OLD.id, OLD.status;
        END IF;
        RETURN NEW;
    END IF;
    IF NOT NEW.status = ANY (public.pms_promotion_decision_next(OLD.status)) THEN
        RAISE EXCEPTION '%', format('promotion decision %s cannot move from %s to %s%s', OLD.id, OLD.status, NEW.status,
            CASE WHEN cardinality(public.pms_promotion_decision_next(OLD.status)) = 0 THEN ': it is final'
                 ELSE ': the next steps are ' || array_to_string(public.pms_promotion_decision_next(OLD.status), ', ') END);
    END IF;
    IF v_me IS NOT NULL THEN
        IF OLD.status = 'PROPOSED' THEN
            IF v_me = OLD.decided_by THEN
                RAISE EXCEPTION 'promotion decision %: its proposer cannot also approve or reject it', OLD.id;
            END IF;
            NEW.approved_by := v_me;
            NEW.approved_at := now();
        ELSIF NEW.status = 'EFFECTIVE' AND NOT public.pms_is_tenant_hr() THEN
            RAISE EXCEPTION 'promotion decision %: only HR makes a promotion effective', OLD.id;
        END IF;
    END IF;
    -- In effect: the person now holds the new level and title.
    IF NEW.status = 'EFFECTIVE' THEN
        UPDATE public.users SET level = NEW.to_level, job_title = NEW.to_title
         WHERE tenant_id = NEW.tenant_id AND id = NEW.employee_id;
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_promotion_decision_workflow() OWNER TO pms_owner;

CREATE FUNCTION public.pms_promotion_inputs(p_person uuid, p_as_of date) RETURNS TABLE(input text, weight numeric, value numeric, source text, source_id uuid, observed_on date)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
BEGIN
    IF p_as_of IS NULL THEN
        RAISE EXCEPTION 'pms_promotion_inputs: as_of is required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT public.pms_can_see_person(p_person, 'APPROVALS')
       OR NOT EXISTS (SELECT 1 FROM public.users u WHERE u.tenant_id = v_tenant AND u.id = p_person AND u.deleted_at IS NULL) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT 'performance', 0.30::numeric, round(r.overall_rating / 5 * 100, 2), 'performance_reviews', r.id,
           coalesce(r.shared_at, r.updated_at)::date
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
          SELECT pr.id, pr.overall_rating, pr.shared_at, pr.updated_at FROM public.performance_reviews pr
           WHERE pr.tenant_id = v_tenant AND pr.reviewee_id = p_person AND pr.review_type = 'MANAGER'
             AND pr.status IN ('SHARED', 'ACKNOWLEDGED') AND pr.overall_rating IS NOT NULL AND pr.deleted_at IS NULL
             AND coalesce(pr.shared_at, pr.updated_at)::date <= p_as_of
           ORDER BY coalesce(pr.shared_at, pr.updated_at) DESC, pr.id DESC LIMIT 1) r ON true
    UNION ALL
    SELECT 'potential', 0.25, round(least(greatest(m.score, 0), 1) * 100, 2), 'ml_model_predictions', m.id, m.predicted_at::date
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
          SELECT p.id, p.score, p.predicted_at FROM public.ml_model_predictions p
           WHERE p.tenant_id = v_tenant AND p.user_id = p_person AND p.prediction_type = 'PROMOTION_READINESS'
             AND p.predicted_at::date <= p_as_of
           ORDER BY p.predicted_at DESC, p.id DESC LIMIT 1) m ON true
    UNION ALL
    SELECT 'skills', 0.20, round(avg(s.level)::numeric / 5 * 100, 2), CASE WHEN count(*) > 0 THEN 'technical_skill_assessments' END,
           NULL::uuid, max(s.assessed_on)
      FROM (SELECT DISTINCT ON (a.skill_id) a.level, a.assessed_on FROM public.technical_skill_assessments a
             WHERE a.tenant_id = v_tenant AND a.user_id = p_person AND a.assessed_on <= p_as_of
             ORDER BY a.skill_id, a.assessed_on DESC, a.created_at DESC) s
    UNION ALL
    SELECT 'leadership', 0.15, round(avg(l.score) / 5 * 100, 2), CASE WHEN count(*) > 0 THEN 'leadership_competency_scores' END,
           NULL::uuid, max(l.created_at)::date
      FROM (SELECT DISTINCT ON (c.dimension) c.score, c.created_at FROM public.leadership_competency_scores c
             WHERE c.tenant_id = v_tenant AND c.user_id = p_person AND c.created_at::date <= p_as_of
             ORDER BY c.dimension, c.created_at DESC) l
    UNION ALL
    SELECT 'tenure', 0.05,
           CASE WHEN u.hire_date IS NOT NULL AND u.hire_date <= p_as_of
                THEN round(least((p_as_of - u.hire_date)::numeric / 365.25 / 5, 1) * 100, 2) END,
           CASE WHEN u.hire_date IS NOT NULL AND u.hire_date <= p_as_of THEN 'users.hire_date' END, NULL::uuid, u.hire_date
      FROM public.users u WHERE u.tenant_id = v_tenant AND u.id = p_person
    UNION ALL
    SELECT 'engagement', 0.05, e.score, CASE WHEN e.id IS NOT NULL THEN 'engagement_scores' END, e.id, e.period_start
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
          SELECT s.id, s.score, s.period_start FROM public.engagement_scores s
           WHERE s.tenant_id = v_tenant AND s.user_id = p_person AND s.driver = 'overall' AND s.period_start <= p_as_of
           ORDER BY s.period_start DESC, s.id DESC LIMIT 1) e ON true;
END
$$;

ALTER FUNCTION public.pms_promotion_inputs(p_person uuid, p_as_of date) OWNER TO pms_owner;

CREATE FUNCTION public.pms_promotion_overall(p_performance numeric, p_potential numeric, p_skills numeric, p_leadership numeric, p_tenure numeric, p_engagement numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT round(0.30 * coalesce(p_performance, 0) + 0.25 * coalesce(p_potential, 0)
               + 0.20 * coalesce(p_skills, 0) + 0.15 * coalesce(p_leadership, 0)
               + 0.05 * coalesce(p_tenure, 0) + 0.05 * coalesce(p_engagement, 0), 2)
$$;

ALTER FUNCTION public.pms_promotion_overall(p_performance numeric, p_potential numeric, p_skills numeric, p_leadership numeric, p_tenure numeric, p_engagement numeric) OWNER TO pms_owner;

CREATE FUNCTION public.pms_promotion_readiness(p_overall numeric, p_performance numeric, p_skills numeric) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE
        WHEN p_overall >= 80 AND coalesce(p_performance, 0) >= 75 AND coalesce(p_skills, 0) >= 70 THEN 'READY_NOW'
        WHEN p_overall >= 70 AND coalesce(p_performance, 0) >= 65 THEN 'READY_1_YEAR'
        WHEN p_overall >= 60 THEN 'READY_2_YEARS'
        ELSE 'NEEDS_DEVELOPMENT' END
$$;

ALTER FUNCTION public.pms_promotion_readiness(p_overall numeric, p_performance numeric, p_skills numeric) OWNER TO pms_owner;

CREATE FUNCTION public.pms_promotion_score(p_person uuid, p_as_of date) RETURNS TABLE(overall numeric, readiness text, inputs jsonb)
    LANGUAGE sql STABLE
    AS $$
    WITH i AS (SELECT * FROM public.pms_promotion_inputs(p_person, p_as_of)),
    v AS (SELECT public.pms_promotion_overall(
                     max(i.value) FILTER (WHERE i.input = 'performance'), max(i.value) FILTER (WHERE i.input = 'potential'),
                     max(i.value) FILTER (WHERE i.input = 'skills'), max(i.value) FILTER (WHERE i.input = 'leadership'),
                     max(i.value) FILTER (WHERE i.input = 'tenure'), max(i.value) FILTER (WHERE i.input = 'engagement')) AS overall,
                 max(i.value) FILTER (WHERE i.input = 'performance') AS performance,
                 max(i.value) FILTER (WHERE i.input = 'skills') AS skills,
                 jsonb_agg(jsonb_build_object('input', i.input, 'weight', i.weight, 'value', i.value, 'source', i.source,
                                              'source_id', i.source_id, 'observed_on', i.observed_on)
                           ORDER BY i.weight DESC, i.input) AS inputs,
                 count(*) AS n
            FROM i)
    SELECT v.overall, public.pms_promotion_readiness(v.overall, v.performance, v.skills), v.inputs FROM v WHERE v.n > 0
$$;

ALTER FUNCTION public.pms_promotion_score(p_person uuid, p_as_of date) OWNER TO pms_owner;

CREATE FUNCTION public.pms_pulse_results(p_survey uuid) RETURNS TABLE(responses bigint, withheld boolean, average numeric, distribution jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
    v_min integer;
    v_status text;
BEGIN
    SELECT s.min_respondents, s.status INTO v_min, v_status FROM public.engagement_surveys s
     WHERE s.tenant_id = v_tenant AND s.id = p_survey AND s.deleted_at IS NULL;
    IF v_min IS NULL OR public.pms_acting_user() IS NULL
       OR NOT (public.pms_is_tenant_hr() OR v_status IN ('CLOSED', 'ARCHIVED')) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT count(*), count(*) < v_min,
           CASE WHEN count(*) >= v_min THEN round(avg(p.mood), 2) END,
           CASE WHEN count(*) >= v_min THEN
               (SELECT jsonb_object_agg(x.mood::text, x.c ORDER BY x.mood)
                  FROM (SELECT q.mood, count(*) AS c FROM public.pulse_responses q
                         WHERE q.tenant_id = v_tenant AND q.survey_id = p_survey GROUP BY q.mood) x) END
      FROM public.pulse_responses p
     WHERE p.tenant_id = v_tenant AND p.survey_id = p_survey;
END
$$;

ALTER FUNCTION public.pms_pulse_results(p_survey uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_reporting_chain_forget(p_tenant uuid, p_people uuid[]) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_rows bigint;
BEGIN
    IF p_tenant IS NULL OR coalesce(cardinality(p_people), 0) = 0 THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(pms_meta.reporting_chain_lock_key(p_tenant));
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    SELECT coalesce(array_agg(p), '{}') INTO p_people FROM unnest(p_people) AS p
     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = p_tenant AND u.id = p);
    DELETE FROM reporting_chain c
     WHERE c.tenant_id = p_tenant AND (c.descendant_id = ANY (p_people) OR c.ancestor_id = ANY (p_people));
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN v_rows;
END
$$;

ALTER FUNCTION public.pms_reporting_chain_forget(p_tenant uuid, p_people uuid[]) OWNER TO pms_owner;

CREATE FUNCTION public.pms_reporting_chain_on_delete() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v record;
BEGIN
    FOR v IN SELECT o.tenant_id, array_agg(o.id) AS people FROM old_rows o GROUP BY o.tenant_id LOOP
        PERFORM public.pms_reporting_chain_forget(v.tenant_id, v.people);
    END LOOP;
    RETURN NULL;
END
$$;

ALTER FUNCTION public.pms_reporting_chain_on_delete() OWNER TO pms_owner;

CREATE FUNCTION public.pms_reporting_chain_on_insert() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v record;
BEGIN
    FOR v IN SELECT n.tenant_id, array_agg(n.id) AS people FROM new_rows n GROUP BY n.tenant_id LOOP
        PERFORM public.pms_reporting_chain_resync(v.tenant_id, v.people, false);
    END LOOP;
    RETURN NULL;
END
$$;

ALTER FUNCTION public.pms_reporting_chain_on_insert() OWNER TO pms_owner;

CREATE FUNCTION public.pms_reporting_chain_on_update() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v record;
BEGIN
    FOR v IN
        SELECT n.tenant_id, array_agg(n.id) AS people
          FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
         WHERE o.manager_id IS DISTINCT FROM n.manager_id
         GROUP BY n.tenant_id
    LOOP
        -- Who reports to whom decides who sees whose reviews: inside a tenant, only its HR may
        -- change it (the roles that RLS does not confine, and the owner's own cascades, may).
        IF NOT (SELECT r.rolbypassrls OR r.rolsuper FROM pg_roles r WHERE r.rolname = current_user)
           AND current_user <> 'pms_owner'
           AND NOT public.pms_is_tenant_hr() THEN
            RAISE EXCEPTION 'reporting chain: only an HR administrator of the tenant may change a manager (users.manager_id); app.user_id % is not one',
                coalesce(nullif(current_setting('app.user_id', true), ''), '(not set)')
                USING ERRCODE = 'insufficient_privilege', TABLE = 'users', COLUMN = 'manager_id';
        END IF;
        PERFORM public.pms_reporting_chain_resync(v.tenant_id, v.people, true);
    END LOOP;
    RETURN NULL;
END
$$;

ALTER FUNCTION public.pms_reporting_chain_on_update() OWNER TO pms_owner;

CREATE FUNCTION public.pms_reporting_chain_resync(p_tenant uuid, p_people uuid[], p_exclusive boolean) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET jit TO 'off'
    AS $$
DECLARE
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_cycle text;
    v_rows bigint;
BEGIN
    IF p_tenant IS NULL OR coalesce(cardinality(p_people), 0) = 0 THEN
        RETURN 0;
    END IF;
    IF p_exclusive THEN
        PERFORM pg_advisory_xact_lock(pms_meta.reporting_chain_lock_key(p_tenant));
    ELSE
        PERFORM pg_advisory_xact_lock_shared(pms_meta.reporting_chain_lock_key(p_tenant));
    END IF;
    -- As the tenant: users and reporting_chain have forced RLS like every tenant table.
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    -- Scratch tables of this session, created once (checked first: no notice on every call).
    IF to_regclass('pg_temp.reporting_chain_affected') IS NULL THEN
        CREATE TEMP TABLE reporting_chain_affected (id uuid PRIMARY KEY) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE reporting_chain_fresh (
            ancestor_id uuid NOT NULL, descendant_id uuid NOT NULL, depth integer NOT NULL) ON COMMIT DELETE ROWS;
    END IF;
    TRUNCATE pg_temp.reporting_chain_affected, pg_temp.reporting_chain_fresh;
    -- New people (p_exclusive false) have no chain rows yet, nor anyone below them but other
    -- new people of the same statement: D is just them, and there is nothing to delete.
    INSERT INTO pg_temp.reporting_chain_affected (id)
    SELECT p FROM unnest(p_people) AS p WHERE p IS NOT NULL
    UNION
    SELECT c.descendant_id FROM unnest(p_people) AS p
     CROSS JOIN LATERAL (SELECT x.descendant_id FROM reporting_chain x
                          WHERE p_exclusive AND x.tenant_id = p_tenant AND x.ancestor_id = p OFFSET 0) c;
    -- Up from every affected person while the manager is affected too; a row whose ancestor has
    -- a manager outside D ends the walk and brings that manager's chain. Every look-up is a
    -- LATERAL probe of an index, fenced (OFFSET 0) so that the planner drives from the few
    -- affected people whatever its statistics say: in the middle of a seed they describe a
    -- much smaller tenant, and a plan that scans the tenant would make each batch cost as much
    -- as all the batches before it.
    WITH RECURSIVE up (descendant_id, ancestor_id, depth, manager_id) AS (
        SELECT u.id, u.id, 0, u.manager_id
          FROM pg_temp.reporting_chain_affected a
         CROSS JOIN LATERAL (SELECT x.id, x.manager_id FROM users x
                              WHERE x.tenant_id = p_tenant AND x.id = a.id OFFSET 0) u
        UNION ALL
        SELECT up.descendant_id, m.id, up.depth + 1, m.manager_id
          FROM up
         CROSS JOIN LATERAL (SELECT x.id, x.manager_id FROM users x
                              WHERE x.tenant_id = p_tenant AND x.id = up.manager_id
                                AND EXISTS (SELECT 1 FROM pg_temp.reporting_chain_affected a WHERE a.id = x.id)
                             OFFSET 0) m
    ) CYCLE ancestor_id SET looped USING path,
    walked AS MATERIALIZED (SELECT up.descendant_id, up.ancestor_id, up.depth, up.manager_id, up.looped FROM up)
    INSERT INTO pg_temp.reporting_chain_fresh (ancestor_id, descendant_id, depth)
    SELECT w.ancestor_id, w.descendant_id, CASE WHEN w.looped THEN -1 ELSE w.depth END FROM walked w
    UNION ALL
    SELECT c.ancestor_id, w.descendant_id, w.depth + 1 + c.depth
      FROM walked w
     CROSS JOIN LATERAL (SELECT x.ancestor_id, x.depth FROM reporting_chain x
                          WHERE x.tenant_id = p_tenant AND x.descendant_id = w.manager_id OFFSET 0) c
     WHERE NOT w.looped
       AND w.manager_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_temp.reporting_chain_affected a WHERE a.id = w.manager_id);
    SELECT string_agg(DISTINCT f.descendant_id::text, ', ') INTO v_cycle
      FROM pg_temp.reporting_chain_fresh f WHERE f.depth < 0;
    IF v_cycle IS NOT NULL THEN
        PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
        RAISE EXCEPTION 'reporting chain: this change of manager_id makes a cycle (a person would report to themself, directly or through others); people whose chain would loop: %', v_cycle
            USING ERRCODE = 'check_violation', TABLE = 'users', COLUMN = 'manager_id';
    END IF;
    IF p_exclusive THEN
        DELETE FROM reporting_chain c
         WHERE c.tenant_id = p_tenant
           AND c.descendant_id = ANY (ARRAY(SELECT a.id FROM pg_temp.reporting_chain_affected a));
    END IF;
    INSERT INTO reporting_chain (tenant_id, ancestor_id, descendant_id, depth)
    SELECT p_tenant, f.ancestor_id, f.descendant_id, f.depth FROM pg_temp.reporting_chain_fresh f
     ORDER BY f.ancestor_id, f.descendant_id;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN v_rows;
END
$$;

ALTER FUNCTION public.pms_reporting_chain_resync(p_tenant uuid, p_people uuid[], p_exclusive boolean) OWNER TO pms_owner;

CREATE FUNCTION public.pms_review_cycle_forward_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    IF NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF OLD.status IN ('COMPLETED', 'CANCELLED') THEN
        RAISE EXCEPTION 'review cycle % is % and cannot change status', OLD.id, OLD.status;
    END IF;
    IF NEW.status = 'CANCELLED'
       OR public.pms_review_cycle_step(NEW.status) = public.pms_review_cycle_step(OLD.status) + 1 THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'review cycle % cannot move from % to %: the next step is %',
        OLD.id, OLD.status, NEW.status,
        (ARRAY['DRAFT', 'SCHEDULED', 'SELF_ASSESSMENT', 'MANAGER_REVIEW', 'CALIBRATION',
               'FINALIZATION', 'SHARING', 'COMPLETED'])[public.pms_review_cycle_step(OLD.status) + 1]
        || ' (or CANCELLED)';
END
$$;

ALTER FUNCTION public.pms_review_cycle_forward_only() OWNER TO pms_owner;

CREATE FUNCTION public.pms_review_cycle_lock_kept() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    IF OLD.calibration_locked_at IS NOT NULL AND NEW.calibration_locked_at IS DISTINCT FROM OLD.calibration_locked_at THEN
        RAISE EXCEPTION 'the ratings of cycle % are locked for good', OLD.id USING HINT = 'ratings_locked';
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_review_cycle_lock_kept() OWNER TO pms_owner;

CREATE FUNCTION public.pms_review_cycle_step(p_status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT array_position(ARRAY['DRAFT', 'SCHEDULED', 'SELF_ASSESSMENT', 'MANAGER_REVIEW',
                                'CALIBRATION', 'FINALIZATION', 'SHARING', 'COMPLETED'], p_status)
$$;

ALTER FUNCTION public.pms_review_cycle_step(p_status text) OWNER TO pms_owner;

CREATE FUNCTION public.pms_review_forward_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    IF public.pms_review_step(NEW.status) < public.pms_review_step(OLD.status) THEN
        RAISE EXCEPTION 'review % cannot go back from % to %', OLD.id, OLD.status, NEW.status;
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_review_forward_only() OWNER TO pms_owner;

CREATE FUNCTION public.pms_review_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF public.pms_current_user_id() IS NOT NULL AND NEW.reviewer_id IS NOT NULL AND NEW.due_date IS NOT NULL THEN
        PERFORM public.pms_notify(NEW.reviewer_id, 'review.due',
            format('Review of %s due on %s', public.pms_person_name(NEW.reviewee_id), to_char(NEW.due_date, 'YYYY-MM-DD')),
            NULL, 'performance_review', NEW.id);
    END IF;
    RETURN NULL;
END
$$;

ALTER FUNCTION public.pms_review_notify() OWNER TO pms_owner;

CREATE FUNCTION public.pms_review_rating_lock() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    IF NEW.overall_rating IS DISTINCT FROM OLD.overall_rating
       AND EXISTS (SELECT 1 FROM public.review_cycles c WHERE c.tenant_id = OLD.tenant_id AND c.id = OLD.cycle_id
                      AND c.calibration_locked_at IS NOT NULL) THEN
        RAISE EXCEPTION 'the ratings of review % are locked: its cycle''s calibration was finalized', OLD.id
            USING HINT = 'ratings_locked';
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_review_rating_lock() OWNER TO pms_owner;

CREATE FUNCTION public.pms_review_step(p_status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT array_position(ARRAY['NOT_STARTED', 'IN_PROGRESS', 'SUBMITTED', 'CALIBRATED',
                                'FINALIZED', 'SHARED', 'ACKNOWLEDGED'], p_status)
$$;

ALTER FUNCTION public.pms_review_step(p_status text) OWNER TO pms_owner;

CREATE FUNCTION public.pms_succession_bench(p_plan uuid) RETURNS TABLE(ready_now bigint, ready_1_year bigint, ready_2_years bigint, total bigint, strength text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF NOT public.pms_api_b_can_see_succession_plan(p_plan) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT count(*) FILTER (WHERE c.readiness = 'READY_NOW'), count(*) FILTER (WHERE c.readiness = 'READY_1_YEAR'),
           count(*) FILTER (WHERE c.readiness = 'READY_2_YEARS'), count(*),
           public.pms_bench_strength(count(*) FILTER (WHERE c.readiness = 'READY_NOW'),
                                     count(*) FILTER (WHERE c.readiness = 'READY_1_YEAR'),
                                     count(*) FILTER (WHERE c.readiness = 'READY_2_YEARS'))
      FROM public.succession_candidates c
     WHERE c.tenant_id = public.pms_current_tenant() AND c.plan_id = p_plan;
END
$$;

ALTER FUNCTION public.pms_succession_bench(p_plan uuid) OWNER TO pms_owner;

CREATE FUNCTION public.pms_survey_forward_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    IF NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF array_position(ARRAY['DRAFT', 'OPEN', 'CLOSED', 'ARCHIVED'], NEW.status)
       <> array_position(ARRAY['DRAFT', 'OPEN', 'CLOSED', 'ARCHIVED'], OLD.status) + 1 THEN
        RAISE EXCEPTION 'survey % cannot move from % to %', OLD.id, OLD.status, NEW.status;
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_survey_forward_only() OWNER TO pms_owner;

CREATE FUNCTION public.pms_survey_results(p_survey uuid, p_by_department boolean) RETURNS TABLE(question_id uuid, department_id uuid, answers bigint, withheld boolean, average numeric, distribution jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
    v_min integer;
    v_status text;
    v_hr boolean := public.pms_is_tenant_hr();
BEGIN
    SELECT s.min_respondents, s.status INTO v_min, v_status FROM public.engagement_surveys s
     WHERE s.tenant_id = v_tenant AND s.id = p_survey AND s.deleted_at IS NULL;
    IF v_min IS NULL OR public.pms_acting_user() IS NULL
       OR NOT (v_hr OR (v_status IN ('CLOSED', 'ARCHIVED') AND NOT coalesce(p_by_department, false))) THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH a AS (
        SELECT r.question_id AS q, CASE WHEN p_by_department THEN r.department_id END AS d, r.rating
          FROM public.survey_responses r
         WHERE r.tenant_id = v_tenant AND r.survey_id = p_survey),
    g AS (
        SELECT a.q, a.d, count(*) AS n, avg(a.rating) AS av FROM a GROUP BY a.q, a.d),
    dist AS (
        SELECT x.q, x.d, jsonb_object_agg(x.rating::text, x.c ORDER BY x.rating) AS js
          FROM (SELECT a.q, a.d, a.rating, count(*) AS c FROM a WHERE a.rating IS NOT NULL GROUP BY a.q, a.d, a.rating) x
         GROUP BY x.q, x.d)
    SELECT g.q, g.d, g.n, g.n < v_min,
           CASE WHEN g.n >= v_min THEN round(g.av, 2) END,
           CASE WHEN g.n >= v_min THEN coalesce(dist.js, '{}'::jsonb) END
      FROM g LEFT JOIN dist ON dist.q = g.q AND dist.d IS NOT DISTINCT FROM g.d
     ORDER BY g.q, g.d NULLS FIRST;
END
$$;

ALTER FUNCTION public.pms_survey_results(p_survey uuid, p_by_department boolean) OWNER TO pms_owner;

CREATE FUNCTION public.pms_touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

ALTER FUNCTION public.pms_touch_updated_at() OWNER TO pms_owner;

CREATE FUNCTION public.record_security_event(p_event_type text, p_user_id uuid DEFAULT NULL::uuid, p_ip_address inet DEFAULT NULL::inet, p_user_agent text DEFAULT NULL::text, p_resource_type text DEFAULT NULL::text, p_resource_id uuid DEFAULT NULL::uuid, p_details jsonb DEFAULT '{}'::jsonb, p_account text DEFAULT NULL::text, p_severity text DEFAULT NULL::text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
DECLARE
    v_type text := upper(trim(p_event_type));
    v_chain record;
    v_e public.security_events;
BEGIN
    v_e.tenant_id := public.pms_current_tenant();
    IF v_e.tenant_id IS NULL THEN
        RAISE EXCEPTION 'no tenant set for this transaction (app.tenant_id): a security event belongs to a tenant'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_type IS NULL OR v_type NOT IN ('LOGIN_SUCCESS', 'LOGIN_FAILURE', 'LOGOUT', 'PASSWORD_CHANGE',
                                        'PERMISSION_DENIED', 'ROLE_CHANGE', 'DATA_EXPORT', 'SENSITIVE_READ') THEN
        RAISE EXCEPTION 'unknown security event type %; known: LOGIN_SUCCESS, LOGIN_FAILURE, LOGOUT, PASSWORD_CHANGE, PERMISSION_DENIED, ROLE_CHANGE, DATA_EXPORT, SENSITIVE_READ',
            coalesce(quote_literal(p_event_type), 'NULL') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_severity IS NOT NULL AND upper(p_severity) NOT IN ('INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL') THEN
        RAISE EXCEPTION 'unknown severity %; known: INFO, LOW, MEDIUM, HIGH, CRITICAL', quote_literal(p_severity)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_details IS NOT NULL AND jsonb_typeof(p_details) <> 'object' THEN
        RAISE EXCEPTION 'security event details must be a JSON object, got %', jsonb_typeof(p_details)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_resource_type IS NOT NULL AND p_resource_type !~ '^[A-Za-z_]{1,64}$' THEN
        RAISE EXCEPTION 'resource type must be 1-64 letters or underscores, got %', quote_literal(p_resource_type)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_type IN ('SENSITIVE_READ', 'DATA_EXPORT') AND p_resource_type IS NULL THEN
        RAISE EXCEPTION '% needs a resource type (what was read or exported)', v_type
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_type = 'DATA_EXPORT' AND p_details ? 'rows'
       AND (jsonb_typeof(p_details -> 'rows') <> 'number' OR (p_details ->> 'rows')::numeric < 0
            OR (p_details ->> 'rows')::numeric <> trunc((p_details ->> 'rows')::numeric)) THEN
        RAISE EXCEPTION 'DATA_EXPORT details.rows must be a whole number of rows, got %', p_details -> 'rows'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_type = 'LOGIN_FAILURE' AND p_user_id IS NULL AND nullif(trim(p_account), '') IS NULL THEN
        RAISE EXCEPTION 'LOGIN_FAILURE needs the account (user id or the login name tried)'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    v_chain := pms_meta.audit_chain_next(v_e.tenant_id, 'security');
    v_e.id := gen_random_uuid();
    v_e.seq := v_chain.next_seq;
    v_e.occurred_at := clock_timestamp();
    v_e.event_type := v_type;
    v_e.severity := coalesce(upper(p_severity), CASE v_type
        WHEN 'LOGIN_SUCCESS' THEN 'INFO' WHEN 'LOGOUT' THEN 'INFO' WHEN 'LOGIN_FAILURE' THEN 'LOW'
        WHEN 'SENSITIVE_READ' THEN 'LOW' ELSE 'MEDIUM' END);
    -- The account concerned; by default the acting user, except for a failed login, whose
    -- account is never the one acting.
    v_e.user_id := CASE WHEN v_type = 'LOGIN_FAILURE' THEN p_user_id ELSE coalesce(p_user_id, public.pms_current_user_id()) END;
    v_e.account := left(lower(nullif(trim(p_account), '')), 320);
    v_e.ip_address := p_ip_address;
    v_e.user_agent := left(p_user_agent, 1000);
    v_e.resource_type := p_resource_type;
    v_e.resource_id := p_resource_id;
    v_e.details := pms_meta.audit_redact_json(coalesce(p_details, '{}'::jsonb));
    v_e.request_id := left(nullif(current_setting('app.request_id', true), ''), 200);
    v_e.db_user := session_user;
    v_e.prev_hash := v_chain.prev_hash;
    v_e.payload_salt := uuid_send(gen_random_uuid());
    v_e.payload_digest := public.audit_payload_digest(v_e.payload_salt, public.security_event_payload(v_e));
    v_e.hash := public.audit_chain_hash(v_e.prev_hash, public.security_event_canonical(v_e));
    INSERT INTO public.security_events SELECT (v_e).*;
    RETURN v_e.id;
END
$_$;

ALTER FUNCTION public.record_security_event(p_event_type text, p_user_id uuid, p_ip_address inet, p_user_agent text, p_resource_type text, p_resource_id uuid, p_details jsonb, p_account text, p_severity text) OWNER TO pms_owner;

CREATE FUNCTION public.retention_candidate_rows(p_entity text, p_tenant uuid, p_limit integer) RETURNS TABLE(source text, entity_id text, created_at timestamp with time zone, person_ids uuid[], data jsonb)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    pol record;
    e pms_retention.entities;
    n bigint;
BEGIN
    PERFORM pms_retention.require_policy(p_entity);
    IF p_limit IS NULL OR p_limit < 1 THEN
        RAISE EXCEPTION 'batch size must be at least 1, got %', p_limit USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO pol FROM pms_retention.effective_policy(p_tenant, p_entity);
    RETURN QUERY
        SELECT 'pending'::text, q.id, q.created_at, q.person_ids, q.data FROM archive_pending q
        WHERE q.tenant_id = p_tenant AND q.entity_type = p_entity
          AND NOT pms_retention.is_held(p_tenant, p_entity, q.id, q.person_ids)
        ORDER BY q.created_at, q.id LIMIT p_limit FOR UPDATE SKIP LOCKED;
    GET DIAGNOSTICS n = ROW_COUNT;
    e := pms_retention.live_entity(p_entity);
    IF n >= p_limit OR pol.archive_for IS NULL OR e.entity_type IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT ''table''::text, t.%1$I::text, t.%2$I::timestamptz, %3$s, to_jsonb(t) FROM %4$s t
         WHERE t.%5$I = $1 AND t.%2$I < now() - $2 AND %6$s
         ORDER BY t.%2$I, t.%1$I LIMIT $4 FOR UPDATE OF t SKIP LOCKED',
        e.id_column, e.time_column, pms_retention.persons_sql(e.person_columns), e.table_name, e.tenant_column,
        pms_retention.not_held_sql(p_tenant, e))
        USING p_tenant, pol.cold_for, p_entity, p_limit - n;
END
$_$;

ALTER FUNCTION public.retention_candidate_rows(p_entity text, p_tenant uuid, p_limit integer) OWNER TO pms_owner;

CREATE FUNCTION public.retention_delete_expired(p_entity text, p_tenant uuid) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    pol record;
    e pms_retention.entities := pms_retention.live_entity(p_entity);
    n bigint;
BEGIN
    PERFORM pms_retention.require_policy(p_entity);
    IF e.entity_type IS NULL THEN
        RETURN 0;
    END IF;
    SELECT * INTO pol FROM pms_retention.effective_policy(p_tenant, p_entity);
    EXECUTE format(
        'DELETE FROM %1$s t WHERE t.%2$I = $1 AND t.%3$I < now() - $2 AND %4$s',
        e.table_name, e.tenant_column, e.time_column, pms_retention.not_held_sql(p_tenant, e))
        USING p_tenant, coalesce(pol.archive_for, pol.cold_for), p_entity;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$_$;

ALTER FUNCTION public.retention_delete_expired(p_entity text, p_tenant uuid) OWNER TO pms_owner;

CREATE FUNCTION public.retention_delete_rows(p_entity text, p_tenant uuid, p_ids text[]) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    e pms_retention.entities;
    id_type text;
    n bigint;
    m bigint := 0;
BEGIN
    PERFORM pms_retention.require_policy(p_entity);
    DELETE FROM archive_pending q WHERE q.tenant_id = p_tenant AND q.entity_type = p_entity AND q.id = ANY (p_ids);
    GET DIAGNOSTICS n = ROW_COUNT;
    e := pms_retention.live_entity(p_entity);
    IF e.entity_type IS NOT NULL THEN
        SELECT format_type(a.atttypid, a.atttypmod) INTO id_type FROM pg_attribute a
        WHERE a.attrelid = e.table_name::regclass AND a.attname = e.id_column;
        EXECUTE format('DELETE FROM %s t WHERE t.%I = $1 AND t.%I = ANY ($2::%s[])',
                       e.table_name, e.tenant_column, e.id_column, id_type)
            USING p_tenant, p_ids;
        GET DIAGNOSTICS m = ROW_COUNT;
    END IF;
    RETURN n + m;
END
$_$;

ALTER FUNCTION public.retention_delete_rows(p_entity text, p_tenant uuid, p_ids text[]) OWNER TO pms_owner;

CREATE FUNCTION public.retention_expirable_batches(p_limit integer DEFAULT 1000) RETURNS TABLE(tenant_id uuid, batch_id uuid, entity_type text, object_key text, row_count integer)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT b.tenant_id, b.id, b.entity_type, b.object_key, b.row_count
    FROM archive_batches b
    CROSS JOIN LATERAL pms_retention.effective_policy(b.tenant_id, b.entity_type) pol
    WHERE b.status = 'ARCHIVED' AND pol.archive_for IS NOT NULL AND b.created_max < now() - pol.archive_for
      AND NOT EXISTS (SELECT 1 FROM archived_entities a
                      WHERE a.tenant_id = b.tenant_id AND a.batch_id = b.id
                        AND pms_retention.is_held(a.tenant_id, a.entity_type, a.id, a.person_ids))
    ORDER BY b.created_max LIMIT p_limit
$$;

ALTER FUNCTION public.retention_expirable_batches(p_limit integer) OWNER TO pms_owner;

CREATE FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id text) RETURNS TABLE(tenant_id uuid, entity_type text, entity_id text, state text, created_at timestamp with time zone, batch_id uuid, object_key text, frame_offset bigint, frame_length integer, object_sha256 text, data jsonb)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
BEGIN
    PERFORM pms_retention.require_policy(p_entity_type);
    RETURN QUERY
        SELECT q.tenant_id, q.entity_type, q.id, 'PENDING'::text, q.created_at, NULL::uuid, NULL::text, NULL::bigint,
               NULL::integer, NULL::text, q.data
        FROM archive_pending q WHERE q.entity_type = p_entity_type AND q.id = p_id
        UNION ALL
        SELECT a.tenant_id, a.entity_type, a.id, 'ARCHIVED', a.created_at, a.batch_id, b.object_key, a.frame_offset,
               a.frame_length, b.object_sha256, NULL::jsonb
        FROM archived_entities a JOIN archive_batches b ON b.tenant_id = a.tenant_id AND b.id = a.batch_id
        WHERE a.entity_type = p_entity_type AND a.id = p_id;
END
$$;

ALTER FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id text) OWNER TO pms_owner;

CREATE FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id uuid) RETURNS TABLE(tenant_id uuid, entity_type text, entity_id text, state text, created_at timestamp with time zone, batch_id uuid, object_key text, frame_offset bigint, frame_length integer, object_sha256 text, data jsonb)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT * FROM retrieve_archived_entity(p_entity_type, p_id::text)
$$;

ALTER FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id uuid) OWNER TO pms_owner;

CREATE TABLE public.security_events (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    event_type text NOT NULL,
    severity text NOT NULL,
    user_id uuid,
    account text,
    ip_address inet,
    user_agent text,
    resource_type text,
    resource_id uuid,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    request_id text,
    db_user text NOT NULL,
    prev_hash bytea,
    hash bytea NOT NULL,
    payload_salt bytea,
    payload_digest bytea NOT NULL,
    CONSTRAINT security_events_account_check CHECK ((length(account) <= 320)),
    CONSTRAINT security_events_details_check CHECK ((jsonb_typeof(details) = 'object'::text)),
    CONSTRAINT security_events_event_type_check CHECK ((event_type = ANY (ARRAY['LOGIN_SUCCESS'::text, 'LOGIN_FAILURE'::text, 'LOGOUT'::text, 'PASSWORD_CHANGE'::text, 'PERMISSION_DENIED'::text, 'ROLE_CHANGE'::text, 'DATA_EXPORT'::text, 'SENSITIVE_READ'::text, 'DATA_ERASURE'::text]))),
    CONSTRAINT security_events_hash_check CHECK ((length(hash) = 32)),
    CONSTRAINT security_events_payload_digest_check CHECK ((length(payload_digest) = 32)),
    CONSTRAINT security_events_payload_salt_check CHECK ((length(payload_salt) = 16)),
    CONSTRAINT security_events_prev_hash_check CHECK ((length(prev_hash) = 32)),
    CONSTRAINT security_events_resource_type_check CHECK ((resource_type ~ '^[A-Za-z_]{1,64}$'::text)),
    CONSTRAINT security_events_seq_check CHECK ((seq > 0)),
    CONSTRAINT security_events_severity_check CHECK ((severity = ANY (ARRAY['INFO'::text, 'LOW'::text, 'MEDIUM'::text, 'HIGH'::text, 'CRITICAL'::text]))),
    CONSTRAINT security_events_user_agent_check CHECK ((length(user_agent) <= 1000))
)
PARTITION BY RANGE (occurred_at);

ALTER TABLE ONLY public.security_events FORCE ROW LEVEL SECURITY;

ALTER TABLE public.security_events OWNER TO pms_owner;

CREATE FUNCTION public.security_event_canonical(e public.security_events) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT jsonb_build_array('security/2', e.tenant_id, e.seq, e.id,
               (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
               e.event_type, e.severity, e.resource_type, e.request_id, e.db_user,
               encode(e.prev_hash, 'hex'), encode(e.payload_digest, 'hex'))::text
$$;

ALTER FUNCTION public.security_event_canonical(e public.security_events) OWNER TO pms_owner;

CREATE FUNCTION public.security_event_payload(e public.security_events) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT jsonb_build_array('security-payload', e.user_id, e.account, e.ip_address::text, e.user_agent,
                             e.resource_id, e.details)::text
$$;

ALTER FUNCTION public.security_event_payload(e public.security_events) OWNER TO pms_owner;

CREATE FUNCTION public.time_bucket(bucket_width interval, ts timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$SELECT timeseries.bucket(bucket_width, ts)$$;

ALTER FUNCTION public.time_bucket(bucket_width interval, ts timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION public.timeseries_maintenance(p_now timestamp with time zone DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_parts jsonb;
    v_rollups jsonb;
    v_comp jsonb;
    v_ret jsonb;
BEGIN
    v_parts := timeseries.create_future_chunks(p_now);
    v_rollups := timeseries.refresh_all_rollups(p_now);
    v_comp := timeseries.compress_due_chunks(p_now);
    v_ret := timeseries.apply_retention(p_now);
    RETURN jsonb_build_object(
        'partitions_created', v_parts -> 'partitions_created',
        'rollups_refreshed', v_rollups -> 'rollups_refreshed',
        'chunks_compressed', v_comp -> 'chunks_compressed',
        'chunks_dropped', v_ret -> 'chunks_dropped');
END
$$;

ALTER FUNCTION public.timeseries_maintenance(p_now timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION public.update_storage_tiers() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    e pms_retention.entities;
    run_at timestamptz := clock_timestamp();
    n integer;
    total integer := 0;
BEGIN
    FOR e IN SELECT r.* FROM pms_retention.entities r WHERE to_regclass(r.table_name) IS NOT NULL LOOP
        EXECUTE format(
            'INSERT INTO storage_tier_state AS s (tenant_id, entity_type, tier, row_count, oldest, newest, computed_at)
             SELECT t.%1$I, $1,
                    CASE WHEN t.%2$I >= now() - pol.hot_for THEN ''HOT'' WHEN t.%2$I >= now() - pol.warm_for THEN ''WARM''
                         WHEN t.%2$I >= now() - pol.cold_for THEN ''COLD'' ELSE ''DUE'' END,
                    count(*), min(t.%2$I), max(t.%2$I), $2
             FROM %3$s t JOIN pms_retention.tenant_policies($1) pol ON pol.tenant_id = t.%1$I
             GROUP BY 1, 3
             ON CONFLICT (tenant_id, entity_type, tier) DO UPDATE SET row_count = excluded.row_count,
                 oldest = excluded.oldest, newest = excluded.newest, computed_at = excluded.computed_at',
            e.tenant_column, e.time_column, e.table_name)
            USING e.entity_type, run_at;
        GET DIAGNOSTICS n = ROW_COUNT;
        total := total + n;
    END LOOP;
    INSERT INTO storage_tier_state AS s (tenant_id, entity_type, tier, row_count, oldest, newest, computed_at)
    SELECT x.tenant_id, x.entity_type, 'ARCHIVE', count(*), min(x.created_at), max(x.created_at), run_at
    FROM (SELECT a.tenant_id, a.entity_type, a.created_at FROM archived_entities a
          UNION ALL SELECT q.tenant_id, q.entity_type, q.created_at FROM archive_pending q) x
    GROUP BY x.tenant_id, x.entity_type
    ON CONFLICT (tenant_id, entity_type, tier) DO UPDATE SET row_count = excluded.row_count,
        oldest = excluded.oldest, newest = excluded.newest, computed_at = excluded.computed_at;
    GET DIAGNOSTICS n = ROW_COUNT;
    DELETE FROM storage_tier_state s WHERE s.computed_at < run_at;
    RETURN total + n;
END
$_$;

ALTER FUNCTION public.update_storage_tiers() OWNER TO pms_owner;

CREATE FUNCTION public.verify_audit_chain(p_tenant uuid) RETURNS TABLE(stream text, entries bigint, last_seq bigint, ok boolean, broken_seq bigint, broken_id uuid, problem text)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
DECLARE
    v_head record;
    v_row record;
    v_expect bigint;
    v_prev bytea;
BEGIN
    PERFORM public.audit_require_tenant(p_tenant);
    FOREACH stream IN ARRAY ARRAY['audit', 'security'] LOOP
        SELECT h.seq, h.hash, h.anchor_seq, h.anchor_hash INTO v_head
          FROM public.audit_chain_heads h WHERE h.tenant_id = p_tenant AND h.stream = verify_audit_chain.stream;
        entries := 0; ok := true; broken_seq := NULL; broken_id := NULL; problem := NULL;
        v_expect := coalesce(v_head.anchor_seq, 0) + 1;
        v_prev := v_head.anchor_hash;
        -- Each entry with the redactions recorded for it (DATA_ERASURE security events, in
        -- the order they were made): the digests they lead from and to.
        FOR v_row IN EXECUTE format(
            'WITH red AS (
                 SELECT (x.v ->> ''q'')::bigint AS q, decode(x.v ->> ''from'', ''hex'') AS f,
                        decode(x.v ->> ''to'', ''hex'') AS t, r.seq AS by_seq, x.o
                   FROM public.security_events r
                  CROSS JOIN LATERAL jsonb_array_elements(r.details -> ''redactions'') WITH ORDINALITY AS x(v, o)
                  WHERE r.tenant_id = $1 AND r.event_type = ''DATA_ERASURE'' AND x.v ->> ''s'' = $2),
             redq AS (
                 SELECT q, array_agg(f ORDER BY by_seq, o) AS f, array_agg(t ORDER BY by_seq, o) AS t
                   FROM red GROUP BY q)
             SELECT e.seq, e.id, e.prev_hash, e.hash, e.payload_salt, e.payload_digest,
                    public.%s(e) AS canon, public.%s(e) AS payload, rq.f AS red_from, rq.t AS red_to
               FROM public.%I e LEFT JOIN redq rq ON rq.q = e.seq
              WHERE e.tenant_id = $1 ORDER BY e.seq, e.occurred_at, e.id',
            CASE stream WHEN 'audit' THEN 'audit_log_canonical' ELSE 'security_event_canonical' END,
            CASE stream WHEN 'audit' THEN 'audit_log_payload' ELSE 'security_event_payload' END,
            CASE stream WHEN 'audit' THEN 'audit_log' ELSE 'security_events' END) USING p_tenant, stream
        LOOP
            IF v_row.seq < v_expect THEN
                problem := format('entry %s appears more than once', v_row.seq);
            ELSIF v_row.seq > v_expect THEN
                problem := format('entry %s is missing (next entry found is %s)', v_expect, v_row.seq);
            ELSIF v_row.prev_hash IS DISTINCT FROM v_prev THEN
                problem := format('entry %s does not link to entry %s (prev_hash differs)', v_row.seq, v_row.seq - 1);
            ELSIF public.audit_chain_hash(v_row.prev_hash, v_row.canon) IS DISTINCT FROM v_row.hash THEN
                problem := format('entry %s was altered (its hash does not match its content)', v_row.seq);
            ELSIF v_row.red_to IS NULL THEN
                IF v_row.payload_salt IS NULL
                   OR public.audit_payload_digest(v_row.payload_salt, v_row.payload) IS DISTINCT FROM v_row.payload_digest THEN
                    problem := format('entry %s was altered (its content does not match its digest)', v_row.seq);
                END IF;
            ELSIF v_row.red_from[1] IS DISTINCT FROM v_row.payload_digest
                  OR v_row.red_from[2:] IS DISTINCT FROM v_row.red_to[:cardinality(v_row.red_to) - 1] THEN
                problem := format('entry %s: its redaction records do not lead from its sealed digest', v_row.seq);
            ELSIF v_row.payload_salt IS NOT NULL
                  OR public.audit_payload_digest(NULL, v_row.payload) IS DISTINCT FROM v_row.red_to[cardinality(v_row.red_to)] THEN
                problem := format('entry %s was altered after its redaction (its content does not match the redaction record)', v_row.seq);
            END IF;
            IF problem IS NOT NULL THEN
                ok := false; broken_seq := v_expect; broken_id := CASE WHEN v_row.seq = v_expect THEN v_row.id END;
                EXIT;
            END IF;
            entries := entries + 1;
            v_prev := v_row.hash;
            v_expect := v_expect + 1;
        END LOOP;
        last_seq := v_expect - 1;
        IF ok AND coalesce(v_head.seq, 0) <> last_seq THEN
            ok := false; broken_seq := last_seq + 1;
            problem := format('the chain head is at entry %s but the chain ends at entry %s (entries removed from the end)',
                              coalesce(v_head.seq, 0), last_seq);
        ELSIF ok AND v_head.hash IS DISTINCT FROM v_prev THEN
            ok := false; broken_seq := last_seq;
            problem := format('the chain head hash differs from entry %s', last_seq);
        END IF;
        RETURN NEXT;
    END LOOP;
END
$_$;

ALTER FUNCTION public.verify_audit_chain(p_tenant uuid) OWNER TO pms_owner;

CREATE FUNCTION timeseries.apply_retention(p_now timestamp with time zone DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    c record;
    v_dropped text[] := '{}';
BEGIN
    FOR c IN SELECT ch.chunk_name FROM timeseries.chunks ch JOIN timeseries.hypertables h ON h.name = ch.hypertable
             WHERE h.retention IS NOT NULL AND ch.range_end <= (p_now AT TIME ZONE 'UTC' - h.retention) AT TIME ZONE 'UTC'
             ORDER BY ch.hypertable, ch.range_start LOOP
        PERFORM timeseries.drop_chunk(c.chunk_name);
        v_dropped := v_dropped || c.chunk_name;
    END LOOP;
    RETURN jsonb_build_object('chunks_dropped', cardinality(v_dropped), 'dropped', to_jsonb(v_dropped));
END
$$;

ALTER FUNCTION timeseries.apply_retention(p_now timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.backend() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT CASE WHEN to_regclass('timeseries.performance_metrics_ts_hyper') IS NOT NULL
                THEN 'timescaledb' ELSE 'native' END
$$;

ALTER FUNCTION timeseries.backend() OWNER TO pms_owner;

CREATE FUNCTION timeseries.bucket(width interval, ts timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE
        WHEN width = interval '1 month' THEN
            date_trunc('month', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        WHEN date_part('year', width) <> 0 OR date_part('month', width) <> 0 THEN
            (timestamp '2000-01-01' + make_interval(months => (
                floor(((date_part('year', ts AT TIME ZONE 'UTC') - 2000) * 12 + date_part('month', ts AT TIME ZONE 'UTC') - 1)
                      / (date_part('year', width) * 12 + date_part('month', width)))
                * (date_part('year', width) * 12 + date_part('month', width)))::integer)) AT TIME ZONE 'UTC'
        ELSE date_bin(width, ts, timestamptz '2000-01-03 00:00:00+00')
    END
$$;

ALTER FUNCTION timeseries.bucket(width interval, ts timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.bypasses_rls() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT coalesce((SELECT r.rolbypassrls OR r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false)
$$;

ALTER FUNCTION timeseries.bypasses_rls() OWNER TO pms_owner;

CREATE FUNCTION timeseries.chunk_start_of(p_hypertable text, p_ts timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT coalesce((SELECT max(c.range_start) FROM timeseries.chunks c
                     WHERE c.hypertable = p_hypertable AND c.range_start <= p_ts), p_ts)
$$;

ALTER FUNCTION timeseries.chunk_start_of(p_hypertable text, p_ts timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.chunk_status() RETURNS TABLE(hypertable text, chunk_name text, range_start timestamp with time zone, range_end timestamp with time zone, compressed boolean, raw_bytes bigint, compressed_bytes bigint)
    LANGUAGE sql STABLE
    AS $$
    SELECT c.hypertable, c.chunk_name, c.range_start, c.range_end, c.compressed_at IS NOT NULL,
           coalesce(pg_total_relation_size(to_regclass('timeseries.' || quote_ident(c.chunk_name))), 0),
           coalesce(pg_total_relation_size(to_regclass('timeseries.' || quote_ident(c.chunk_name || '_c'))), 0)
    FROM timeseries.chunks c
    ORDER BY c.hypertable, c.range_start
$$;

ALTER FUNCTION timeseries.chunk_status() OWNER TO pms_owner;

CREATE FUNCTION timeseries.compress_chunk(p_chunk text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    c timeseries.chunks;
    v_cname text := p_chunk || '_c';
    v_rows bigint;
    v_col text;
BEGIN
    SELECT * INTO c FROM timeseries.chunks WHERE chunk_name = p_chunk;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown chunk %', p_chunk USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM timeseries.rollups r WHERE r.hypertable = c.hypertable
               AND (r.watermark IS NULL OR r.watermark < c.range_end)) THEN
        RAISE EXCEPTION 'chunk % is not fully materialized by the rollups of %; refresh them first', p_chunk, c.hypertable
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.chunks.' || c.hypertable));
    IF to_regclass('timeseries.' || quote_ident(v_cname)) IS NULL THEN
        EXECUTE format('CREATE TABLE timeseries.%I PARTITION OF timeseries.%I FOR VALUES FROM (%L) TO (%L) WITH (toast_tuple_target = 128)',
                       v_cname, c.hypertable || '_compressed', c.range_start, c.range_end);
        -- Arrays are compressed in line (STORAGE MAIN): moving them to TOAST would cost more
        -- than it saves at a few hundred bytes each.
        FOREACH v_col IN ARRAY ARRAY['metric_names', 'packed', 'metric_idx', 'time_secs', 'times', 'values_c', 'values_f'] LOOP
            EXECUTE format('ALTER TABLE timeseries.%I ALTER COLUMN %I SET STORAGE MAIN', v_cname, v_col);
            BEGIN
                EXECUTE format('ALTER TABLE timeseries.%I ALTER COLUMN %I SET COMPRESSION lz4', v_cname, v_col);
            EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
                NULL; -- a server built without lz4 keeps pglz
            END;
        END LOOP;
    END IF;
    -- Lock the chunk against writers while it is packed and emptied.
    EXECUTE format('LOCK TABLE timeseries.%I IN EXCLUSIVE MODE', p_chunk);
    EXECUTE format($q$
        INSERT INTO timeseries.%1$I (tenant_id, user_id, chunk_start, point_count, metric_names, packed, metric_idx,
                                     time_secs, times, values_c, values_f)
        SELECT g.tenant_id, g.user_id, $1, g.n,
               CASE WHEN NOT g.fits THEN g.names END,
               CASE WHEN g.fits THEN g.words END,
               CASE WHEN NOT g.fits THEN g.idx END,
               CASE WHEN NOT g.fits AND g.all_secs THEN g.secs END,
               CASE WHEN NOT g.fits AND NOT g.all_secs THEN g.times END,
               CASE WHEN NOT g.fits AND g.all_cents THEN g.cents END,
               CASE WHEN NOT g.fits AND NOT g.all_cents THEN g.vals END
        FROM (
            SELECT p.tenant_id, p.user_id, s.names, count(*) AS n,
                   bool_and(p.secs IS NOT NULL AND p.secs < 8388608 AND p.cents IS NOT NULL
                            AND p.metric_id BETWEEN 1 AND 255) AS fits,
                   bool_and(p.secs IS NOT NULL) AS all_secs,
                   bool_and(p.cents IS NOT NULL) AS all_cents,
                   array_agg((p.secs::bigint << 40) | (p.metric_id::bigint << 32) | (p.cents::bigint & 4294967295)
                             ORDER BY p.recorded_at, p.metric_name) AS words,
                   array_agg(array_position(s.names, p.metric_name)::smallint ORDER BY p.recorded_at, p.metric_name) AS idx,
                   array_agg(p.secs ORDER BY p.recorded_at, p.metric_name) AS secs,
                   array_agg(p.recorded_at ORDER BY p.recorded_at, p.metric_name) AS times,
                   array_agg(p.cents ORDER BY p.recorded_at, p.metric_name) AS cents,
                   array_agg(p.value ORDER BY p.recorded_at, p.metric_name) AS vals
            FROM (
                SELECT r.tenant_id, r.user_id, r.metric_name, r.value, r.recorded_at, mm.id AS metric_id,
                       CASE WHEN date_trunc('second', r.recorded_at) = r.recorded_at
                             AND r.recorded_at >= $1 AND r.recorded_at - $1 < interval '24000 days'
                            THEN extract(epoch FROM r.recorded_at - $1)::integer END AS secs,
                       CASE WHEN abs(r.value) < 20000000 AND round(r.value * 100)::float8 / 100 = r.value AND r.value::text <> '-0'
                            THEN round(r.value * 100)::integer END AS cents
                FROM timeseries.%2$I r LEFT JOIN timeseries.metrics mm ON mm.name = r.metric_name
            ) p
            JOIN (SELECT tenant_id, user_id, array_agg(DISTINCT metric_name ORDER BY metric_name) AS names
                  FROM timeseries.%2$I GROUP BY tenant_id, user_id) s
              ON s.tenant_id = p.tenant_id AND s.user_id = p.user_id
            GROUP BY p.tenant_id, p.user_id, s.names
        ) g$q$, v_cname, p_chunk) USING c.range_start;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    EXECUTE format('TRUNCATE timeseries.%I', p_chunk);
    UPDATE timeseries.chunks SET compressed_at = now() WHERE chunk_name = p_chunk;
    RETURN v_rows;
END
$_$;

ALTER FUNCTION timeseries.compress_chunk(p_chunk text) OWNER TO pms_owner;

CREATE FUNCTION timeseries.compress_due_chunks(p_now timestamp with time zone DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    c record;
    v_n integer := 0;
    v_has_rows boolean;
BEGIN
    FOR c IN SELECT ch.chunk_name, ch.hypertable, ch.range_end FROM timeseries.chunks ch
             JOIN timeseries.hypertables h ON h.name = ch.hypertable
             WHERE h.compress_after IS NOT NULL
               AND ch.range_end <= (p_now AT TIME ZONE 'UTC' - h.compress_after) AT TIME ZONE 'UTC'
               AND NOT EXISTS (SELECT 1 FROM timeseries.rollups r WHERE r.hypertable = ch.hypertable
                               AND (r.watermark IS NULL OR r.watermark < ch.range_end))
             ORDER BY ch.hypertable, ch.range_start LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM timeseries.%I)', c.chunk_name) INTO v_has_rows;
        IF v_has_rows THEN
            PERFORM timeseries.compress_chunk(c.chunk_name);
            v_n := v_n + 1;
        END IF;
    END LOOP;
    RETURN jsonb_build_object('chunks_compressed', v_n);
END
$$;

ALTER FUNCTION timeseries.compress_due_chunks(p_now timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.create_chunk(p_hypertable text, p_ts timestamp with time zone) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    h timeseries.hypertables;
    v_start timestamptz;
    v_end timestamptz;
    v_name text;
BEGIN
    SELECT * INTO h FROM timeseries.hypertables WHERE name = p_hypertable;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown hypertable %', p_hypertable USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_ts IS NULL OR NOT isfinite(p_ts) THEN
        RAISE EXCEPTION 'a chunk needs a finite time, got %', p_ts USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.chunks.' || p_hypertable));
    IF EXISTS (SELECT 1 FROM timeseries.chunks c WHERE c.hypertable = p_hypertable
               AND c.range_start <= p_ts AND c.range_end > p_ts) THEN
        RETURN NULL;
    END IF;
    v_start := timeseries.bucket(h.chunk_interval, p_ts);
    -- In UTC, like the bucket: in the session's time zone a month after 1 March 00:00 UTC can
    -- be 29 March (west of Greenwich, 1 March is still 29 February there).
    v_end := (v_start AT TIME ZONE 'UTC' + h.chunk_interval) AT TIME ZONE 'UTC';
    -- After a change of chunk interval, clip to the neighbours so ranges never overlap.
    v_start := greatest(v_start, (SELECT max(c.range_end) FROM timeseries.chunks c
                                  WHERE c.hypertable = p_hypertable AND c.range_end <= p_ts));
    v_end := least(v_end, (SELECT min(c.range_start) FROM timeseries.chunks c
                           WHERE c.hypertable = p_hypertable AND c.range_start > p_ts));
    v_name := p_hypertable || '_p' || to_char(v_start AT TIME ZONE 'UTC', 'YYYYMMDD');
    IF to_regclass('timeseries.' || quote_ident(v_name)) IS NOT NULL THEN
        v_name := v_name || '_' || extract(epoch FROM v_start)::bigint;
    END IF;
    EXECUTE format('CREATE TABLE timeseries.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name, p_hypertable);
    EXECUTE format('WITH m AS (DELETE FROM timeseries.%I WHERE recorded_at >= $1 AND recorded_at < $2 RETURNING *)
                    INSERT INTO timeseries.%I SELECT * FROM m', p_hypertable || '_default', v_name)
        USING v_start, v_end;
    EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION timeseries.%I FOR VALUES FROM (%L) TO (%L)',
                   p_hypertable, v_name, v_start, v_end);
    INSERT INTO timeseries.chunks (hypertable, chunk_name, range_start, range_end)
    VALUES (p_hypertable, v_name, v_start, v_end);
    RETURN v_name;
END
$_$;

ALTER FUNCTION timeseries.create_chunk(p_hypertable text, p_ts timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.create_future_chunks(p_now timestamp with time zone DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    h timeseries.hypertables;
    v_ts timestamptz;
    v_created integer := 0;
    v_caught integer := 0;
BEGIN
    FOR h IN SELECT * FROM timeseries.hypertables ORDER BY name LOOP
        v_created := v_created + timeseries.ensure_chunks(h.name, p_now,
            (p_now AT TIME ZONE 'UTC' + h.chunk_interval * h.chunks_ahead) AT TIME ZONE 'UTC');
        FOR v_ts IN SELECT * FROM timeseries.default_partition_ranges(h.name) LOOP
            IF timeseries.create_chunk(h.name, v_ts) IS NOT NULL THEN
                v_created := v_created + 1;
                v_caught := v_caught + 1;
            END IF;
        END LOOP;
    END LOOP;
    RETURN jsonb_build_object('partitions_created', v_created, 'partitions_for_waiting_rows', v_caught);
END
$$;

ALTER FUNCTION timeseries.create_future_chunks(p_now timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.decompress_chunk(p_chunk text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    c timeseries.chunks;
    v_rows bigint := 0;
BEGIN
    SELECT * INTO c FROM timeseries.chunks WHERE chunk_name = p_chunk;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown chunk %', p_chunk USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF c.compressed_at IS NULL THEN
        RAISE EXCEPTION 'chunk % is not compressed', p_chunk USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.chunks.' || c.hypertable));
    IF to_regclass('timeseries.' || quote_ident(p_chunk || '_c')) IS NOT NULL THEN
        EXECUTE format($q$
            INSERT INTO timeseries.%1$I (tenant_id, user_id, metric_name, value, recorded_at)
            SELECT z.tenant_id, z.user_id, u.metric_name, u.value, u.recorded_at
            FROM timeseries.%2$I z CROSS JOIN LATERAL %3$s$q$,
            p_chunk, p_chunk || '_c', timeseries.unpack_sql());
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        EXECUTE format('DROP TABLE timeseries.%I', p_chunk || '_c');
    END IF;
    UPDATE timeseries.chunks SET compressed_at = NULL WHERE chunk_name = p_chunk;
    RETURN v_rows;
END
$_$;

ALTER FUNCTION timeseries.decompress_chunk(p_chunk text) OWNER TO pms_owner;

CREATE FUNCTION timeseries.decompress_segment(p_hypertable text, p_tenant uuid, p_user uuid, p_ts timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    c timeseries.chunks;
    v_rows bigint;
BEGIN
    IF p_tenant IS DISTINCT FROM public.pms_current_tenant() THEN
        RAISE EXCEPTION 'decompress_segment: tenant % is not the tenant of this transaction', p_tenant
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO c FROM timeseries.chunks ch
     WHERE ch.hypertable = p_hypertable AND ch.range_start <= p_ts AND ch.range_end > p_ts;
    IF NOT FOUND OR c.compressed_at IS NULL
       OR to_regclass('timeseries.' || quote_ident(c.chunk_name || '_c')) IS NULL THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.chunks.' || p_hypertable));
    EXECUTE format($q$
        WITH z AS (DELETE FROM timeseries.%1$I s WHERE s.tenant_id = $1 AND s.user_id = $2 RETURNING s.*)
        INSERT INTO timeseries.%2$I (tenant_id, user_id, metric_name, value, recorded_at)
        SELECT z.tenant_id, z.user_id, u.metric_name, u.value, u.recorded_at
        FROM z CROSS JOIN LATERAL %3$s$q$,
        c.chunk_name || '_c', c.chunk_name, timeseries.unpack_sql())
        USING p_tenant, p_user;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    RETURN v_rows;
END
$_$;

ALTER FUNCTION timeseries.decompress_segment(p_hypertable text, p_tenant uuid, p_user uuid, p_ts timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.default_partition_ranges(p_hypertable text) RETURNS SETOF timestamp with time zone
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    v_interval interval;
BEGIN
    SELECT chunk_interval INTO v_interval FROM timeseries.hypertables WHERE name = p_hypertable;
    RETURN QUERY EXECUTE format('SELECT DISTINCT timeseries.bucket($1, recorded_at) FROM timeseries.%I ORDER BY 1',
                                p_hypertable || '_default') USING v_interval;
END
$_$;

ALTER FUNCTION timeseries.default_partition_ranges(p_hypertable text) OWNER TO pms_owner;

CREATE FUNCTION timeseries.drop_chunk(p_chunk text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
DECLARE
    c timeseries.chunks;
BEGIN
    SELECT * INTO c FROM timeseries.chunks WHERE chunk_name = p_chunk;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown chunk %', p_chunk USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.chunks.' || c.hypertable));
    EXECUTE format('DROP TABLE timeseries.%I', p_chunk);
    EXECUTE format('DROP TABLE IF EXISTS timeseries.%I', p_chunk || '_c');
    DELETE FROM timeseries.chunks WHERE chunk_name = p_chunk;
END
$$;

ALTER FUNCTION timeseries.drop_chunk(p_chunk text) OWNER TO pms_owner;

CREATE FUNCTION timeseries.engagement_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) RETURNS TABLE(tenant_id uuid, user_id uuid, metric_name text, value double precision, recorded_at timestamp with time zone)
    LANGUAGE sql STABLE
    AS $$
                SELECT r.tenant_id, r.user_id, r.metric_name, r.value, r.recorded_at
                FROM public.engagement_metrics_ts r
                WHERE r.recorded_at >= p_from AND r.recorded_at < p_to
                UNION ALL
                SELECT z.tenant_id, z.user_id, u.metric_name, u.value, u.recorded_at
                FROM timeseries.engagement_metrics_ts_compressed z
                CROSS JOIN LATERAL (
        SELECT (SELECT timeseries.metric_names_by_id())[(w >> 32 & 255)::integer] AS metric_name,
               ((w << 32) >> 32)::float8 / 100 AS value,
               z.chunk_start + (w >> 40) * interval '1 second' AS recorded_at
        FROM unnest(z.packed) w
        WHERE z.packed IS NOT NULL
        UNION ALL
        SELECT z.metric_names[a.i], coalesce(a.vc::float8 / 100, a.vf), coalesce(z.chunk_start + a.s * interval '1 second', a.t)
        FROM unnest(z.metric_idx, z.time_secs, z.times, z.values_c, z.values_f) AS a(i, s, t, vc, vf)
        WHERE z.packed IS NULL
    ) u
                WHERE z.chunk_start < p_to AND z.chunk_start >= (SELECT timeseries.chunk_start_of('engagement_metrics_ts', p_from))
                  AND u.recorded_at >= p_from AND u.recorded_at < p_to
            $$;

ALTER FUNCTION timeseries.engagement_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.ensure_chunks(p_hypertable text, p_from timestamp with time zone, p_to timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_ts timestamptz := p_from;
    v_created integer := 0;
    v_end timestamptz;
BEGIN
    IF p_to < p_from THEN
        RAISE EXCEPTION 'ensure_chunks: % is before %', p_to, p_from USING ERRCODE = 'invalid_parameter_value';
    END IF;
    LOOP
        IF timeseries.create_chunk(p_hypertable, v_ts) IS NOT NULL THEN
            v_created := v_created + 1;
        END IF;
        SELECT c.range_end INTO v_end FROM timeseries.chunks c
        WHERE c.hypertable = p_hypertable AND c.range_start <= v_ts AND c.range_end > v_ts;
        EXIT WHEN v_end > p_to;
        v_ts := v_end;
    END LOOP;
    RETURN v_created;
END
$$;

ALTER FUNCTION timeseries.ensure_chunks(p_hypertable text, p_from timestamp with time zone, p_to timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.feedback_activity_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) RETURNS TABLE(tenant_id uuid, user_id uuid, metric_name text, value double precision, recorded_at timestamp with time zone)
    LANGUAGE sql STABLE
    AS $$
                SELECT r.tenant_id, r.user_id, r.metric_name, r.value, r.recorded_at
                FROM public.feedback_activity_ts r
                WHERE r.recorded_at >= p_from AND r.recorded_at < p_to
                UNION ALL
                SELECT z.tenant_id, z.user_id, u.metric_name, u.value, u.recorded_at
                FROM timeseries.feedback_activity_ts_compressed z
                CROSS JOIN LATERAL (
        SELECT (SELECT timeseries.metric_names_by_id())[(w >> 32 & 255)::integer] AS metric_name,
               ((w << 32) >> 32)::float8 / 100 AS value,
               z.chunk_start + (w >> 40) * interval '1 second' AS recorded_at
        FROM unnest(z.packed) w
        WHERE z.packed IS NOT NULL
        UNION ALL
        SELECT z.metric_names[a.i], coalesce(a.vc::float8 / 100, a.vf), coalesce(z.chunk_start + a.s * interval '1 second', a.t)
        FROM unnest(z.metric_idx, z.time_secs, z.times, z.values_c, z.values_f) AS a(i, s, t, vc, vf)
        WHERE z.packed IS NULL
    ) u
                WHERE z.chunk_start < p_to AND z.chunk_start >= (SELECT timeseries.chunk_start_of('feedback_activity_ts', p_from))
                  AND u.recorded_at >= p_from AND u.recorded_at < p_to
            $$;

ALTER FUNCTION timeseries.feedback_activity_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.goal_progress_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) RETURNS TABLE(tenant_id uuid, user_id uuid, metric_name text, value double precision, recorded_at timestamp with time zone)
    LANGUAGE sql STABLE
    AS $$
                SELECT r.tenant_id, r.user_id, r.metric_name, r.value, r.recorded_at
                FROM public.goal_progress_ts r
                WHERE r.recorded_at >= p_from AND r.recorded_at < p_to
                UNION ALL
                SELECT z.tenant_id, z.user_id, u.metric_name, u.value, u.recorded_at
                FROM timeseries.goal_progress_ts_compressed z
                CROSS JOIN LATERAL (
        SELECT (SELECT timeseries.metric_names_by_id())[(w >> 32 & 255)::integer] AS metric_name,
               ((w << 32) >> 32)::float8 / 100 AS value,
               z.chunk_start + (w >> 40) * interval '1 second' AS recorded_at
        FROM unnest(z.packed) w
        WHERE z.packed IS NOT NULL
        UNION ALL
        SELECT z.metric_names[a.i], coalesce(a.vc::float8 / 100, a.vf), coalesce(z.chunk_start + a.s * interval '1 second', a.t)
        FROM unnest(z.metric_idx, z.time_secs, z.times, z.values_c, z.values_f) AS a(i, s, t, vc, vf)
        WHERE z.packed IS NULL
    ) u
                WHERE z.chunk_start < p_to AND z.chunk_start >= (SELECT timeseries.chunk_start_of('goal_progress_ts', p_from))
                  AND u.recorded_at >= p_from AND u.recorded_at < p_to
            $$;

ALTER FUNCTION timeseries.goal_progress_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.log_changes() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_threshold timestamptz;
BEGIN
    SELECT max(r.watermark) INTO v_threshold FROM timeseries.rollups r
    WHERE r.hypertable = TG_TABLE_NAME AND r.source_rollup IS NULL;
    IF v_threshold IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO timeseries.invalidations (hypertable, tenant_id, day)
        SELECT DISTINCT TG_TABLE_NAME, n.tenant_id, timeseries.bucket('1 day', n.recorded_at)
        FROM changed_new n WHERE n.recorded_at < v_threshold;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO timeseries.invalidations (hypertable, tenant_id, day)
        SELECT DISTINCT TG_TABLE_NAME, o.tenant_id, timeseries.bucket('1 day', o.recorded_at)
        FROM changed_old o WHERE o.recorded_at < v_threshold;
    END IF;
    RETURN NULL;
END
$$;

ALTER FUNCTION timeseries.log_changes() OWNER TO pms_owner;

CREATE FUNCTION timeseries.log_department_changes() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'department', c.department_id
        FROM (SELECT DISTINCT n.tenant_id, n.department_id FROM changed_new n WHERE n.department_id IS NOT NULL) c
        CROSS JOIN timeseries.rollups r;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'department', c.department_id
        FROM (SELECT DISTINCT o.tenant_id, o.department_id FROM changed_old o WHERE o.department_id IS NOT NULL) c
        CROSS JOIN timeseries.rollups r;
    ELSE
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'department', c.department_id
        FROM (SELECT DISTINCT x.tenant_id, x.department_id FROM (
                  (SELECT o.tenant_id, o.id, o.department_id FROM changed_old o WHERE o.department_id IS NOT NULL
                   EXCEPT SELECT n.tenant_id, n.id, n.department_id FROM changed_new n)
                  UNION ALL
                  (SELECT n.tenant_id, n.id, n.department_id FROM changed_new n WHERE n.department_id IS NOT NULL
                   EXCEPT SELECT o.tenant_id, o.id, o.department_id FROM changed_old o)) x) c
        CROSS JOIN timeseries.rollups r;
    END IF;
    RETURN NULL;
END
$$;

ALTER FUNCTION timeseries.log_department_changes() OWNER TO pms_owner;

CREATE FUNCTION timeseries.log_team_changes() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'team', c.team_id
        FROM (SELECT DISTINCT n.tenant_id, n.team_id FROM changed_new n WHERE n.left_on IS NULL) c
        CROSS JOIN timeseries.rollups r;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'team', c.team_id
        FROM (SELECT DISTINCT o.tenant_id, o.team_id FROM changed_old o WHERE o.left_on IS NULL) c
        CROSS JOIN timeseries.rollups r;
    ELSE
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'team', c.team_id
        FROM (SELECT DISTINCT x.tenant_id, x.team_id FROM (
                  (SELECT o.tenant_id, o.user_id, o.team_id FROM changed_old o WHERE o.left_on IS NULL
                   EXCEPT SELECT n.tenant_id, n.user_id, n.team_id FROM changed_new n WHERE n.left_on IS NULL)
                  UNION ALL
                  (SELECT n.tenant_id, n.user_id, n.team_id FROM changed_new n WHERE n.left_on IS NULL
                   EXCEPT SELECT o.tenant_id, o.user_id, o.team_id FROM changed_old o WHERE o.left_on IS NULL)) x) c
        CROSS JOIN timeseries.rollups r;
    END IF;
    RETURN NULL;
END
$$;

ALTER FUNCTION timeseries.log_team_changes() OWNER TO pms_owner;

CREATE FUNCTION timeseries.metric_names_by_id() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT coalesce(array_agg(m.name ORDER BY g), '{}')
    FROM generate_series(1, (SELECT coalesce(max(id), 0) FROM timeseries.metrics)) g
    LEFT JOIN timeseries.metrics m ON m.id = g
$$;

ALTER FUNCTION timeseries.metric_names_by_id() OWNER TO pms_owner;

CREATE FUNCTION timeseries.move_tail_floors() RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    h record;
    v_floor timestamptz;
    v_cases text := '';
    v_moved boolean := false;
BEGIN
    -- Two refreshes committing a new body at once would fail with a concurrent update.
    PERFORM pg_advisory_xact_lock(hashtext('timeseries.tail_floor'));
    FOR h IN SELECT x.name, (SELECT min(coalesce(r.watermark, '-infinity')) FROM timeseries.rollups r
                             WHERE r.hypertable = x.name AND r.source_rollup IS NULL) AS low
             FROM timeseries.hypertables x ORDER BY x.name LOOP
        v_floor := '-infinity';
        IF h.low IS NOT NULL AND isfinite(h.low) THEN
            SELECT max(c.range_start) INTO v_floor FROM timeseries.chunks c
            WHERE c.hypertable = h.name AND c.range_start <= h.low - interval '168 hours';
            v_floor := coalesce(v_floor, '-infinity');
        END IF;
        v_floor := greatest(v_floor, timeseries.tail_floor(h.name));
        IF v_floor IS DISTINCT FROM timeseries.tail_floor(h.name) THEN
            v_moved := true;
        END IF;
        IF isfinite(v_floor) THEN
            v_cases := v_cases || format(' WHEN %L THEN %L::timestamptz', h.name, v_floor);
        END IF;
    END LOOP;
    IF v_moved THEN
        EXECUTE format($f$CREATE OR REPLACE FUNCTION timeseries.tail_floor(p_hypertable text) RETURNS timestamptz
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $b$ SELECT CASE p_hypertable%s ELSE '-infinity'::timestamptz END $b$ $f$, v_cases);
    END IF;
    RETURN v_moved;
END
$_$;

ALTER FUNCTION timeseries.move_tail_floors() OWNER TO pms_owner;

CREATE FUNCTION timeseries.performance_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) RETURNS TABLE(tenant_id uuid, user_id uuid, metric_name text, value double precision, recorded_at timestamp with time zone)
    LANGUAGE sql STABLE
    AS $$
                SELECT r.tenant_id, r.user_id, r.metric_name, r.value, r.recorded_at
                FROM public.performance_metrics_ts r
                WHERE r.recorded_at >= p_from AND r.recorded_at < p_to
                UNION ALL
                SELECT z.tenant_id, z.user_id, u.metric_name, u.value, u.recorded_at
                FROM timeseries.performance_metrics_ts_compressed z
                CROSS JOIN LATERAL (
        SELECT (SELECT timeseries.metric_names_by_id())[(w >> 32 & 255)::integer] AS metric_name,
               ((w << 32) >> 32)::float8 / 100 AS value,
               z.chunk_start + (w >> 40) * interval '1 second' AS recorded_at
        FROM unnest(z.packed) w
        WHERE z.packed IS NOT NULL
        UNION ALL
        SELECT z.metric_names[a.i], coalesce(a.vc::float8 / 100, a.vf), coalesce(z.chunk_start + a.s * interval '1 second', a.t)
        FROM unnest(z.metric_idx, z.time_secs, z.times, z.values_c, z.values_f) AS a(i, s, t, vc, vf)
        WHERE z.packed IS NULL
    ) u
                WHERE z.chunk_start < p_to AND z.chunk_start >= (SELECT timeseries.chunk_start_of('performance_metrics_ts', p_from))
                  AND u.recorded_at >= p_from AND u.recorded_at < p_to
            $$;

ALTER FUNCTION timeseries.performance_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.refresh_all_rollups(p_now timestamp with time zone DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    r record;
    v_out jsonb := '[]';
BEGIN
    FOR r IN SELECT name FROM timeseries.rollups ORDER BY refresh_order, name LOOP
        v_out := v_out || timeseries.refresh_rollup(r.name, p_now);
    END LOOP;
    RETURN jsonb_build_object('rollups_refreshed', jsonb_array_length(v_out), 'rollups', v_out);
END
$$;

ALTER FUNCTION timeseries.refresh_all_rollups(p_now timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.refresh_membership(p_name text) RETURNS bigint
    LANGUAGE plpgsql
    AS $_$
DECLARE
    v_watermark timestamptz;
    v_tenants uuid[];
    v_grains text[];
    v_subjects uuid[];
    v_rows bigint := 0;
    v_n bigint;
BEGIN
    SELECT r.watermark INTO v_watermark FROM timeseries.rollups r WHERE r.name = p_name;
    WITH d AS (DELETE FROM timeseries.membership_invalidations WHERE rollup = p_name
               RETURNING tenant_id, grain, subject_id)
    SELECT coalesce(array_agg(x.tenant_id ORDER BY x.tenant_id, x.grain, x.subject_id), '{}'),
           coalesce(array_agg(x.grain ORDER BY x.tenant_id, x.grain, x.subject_id), '{}'),
           coalesce(array_agg(x.subject_id ORDER BY x.tenant_id, x.grain, x.subject_id), '{}')
    INTO v_tenants, v_grains, v_subjects
    FROM (SELECT DISTINCT d.tenant_id, d.grain, d.subject_id FROM d) x;
    -- Entries naming no rollup (the application may insert its own tenant's) would never be taken.
    DELETE FROM timeseries.membership_invalidations q
    WHERE NOT EXISTS (SELECT 1 FROM timeseries.rollups r WHERE r.name = q.rollup);
    IF cardinality(v_subjects) = 0 OR v_watermark IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
    SELECT d.name, s.tenant_id, s.grain, s.subject_id
    FROM timeseries.rollups d CROSS JOIN unnest(v_tenants, v_grains, v_subjects) AS s(tenant_id, grain, subject_id)
    WHERE d.source_rollup = p_name;

    -- Groups with no rows and no member with rows below the watermark have nothing to rebuild
    -- (the groups of a tenant just seeded, whose people have no points yet): one set-based
    -- pass leaves them out, rather than two statements each.
    EXECUTE format($q$
        SELECT coalesce(array_agg(s.tenant_id ORDER BY s.i), '{}'), coalesce(array_agg(s.grain ORDER BY s.i), '{}'),
               coalesce(array_agg(s.subject_id ORDER BY s.i), '{}')
        FROM unnest($1::uuid[], $2::text[], $3::uuid[]) WITH ORDINALITY AS s(tenant_id, grain, subject_id, i)
        WHERE EXISTS (SELECT 1 FROM timeseries.%1$I m
                      WHERE m.tenant_id = s.tenant_id AND m.grain = s.grain AND m.subject_id = s.subject_id AND m.bucket < $4)
           OR EXISTS (SELECT 1 FROM timeseries.user_groups g
                      JOIN timeseries.%1$I u ON u.tenant_id = g.tenant_id AND u.grain = 'user' AND u.subject_id = g.user_id
                                             AND u.bucket < $4
                      WHERE g.tenant_id = s.tenant_id AND g.grain = s.grain AND g.subject_id = s.subject_id)$q$,
        p_name || '_mat')
        INTO v_tenants, v_grains, v_subjects
        USING v_tenants, v_grains, v_subjects, v_watermark;

    -- One group per statement: with the group's id a constant, the planner sees how many
    -- members and user rows it has (and picks a hash aggregate rather than sorting them all),
    -- and each group's rows go in together.
    FOR i IN 1 .. cardinality(v_subjects) LOOP
        EXECUTE format('DELETE FROM timeseries.%I WHERE tenant_id = $1 AND grain = $2 AND subject_id = $3 AND bucket < $4',
                       p_name || '_mat')
            USING v_tenants[i], v_grains[i], v_subjects[i], v_watermark;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
        EXECUTE format($q$
            INSERT INTO timeseries.%1$I
            SELECT $1, $2, $3, u.metric_name, u.bucket,
                   sum(u.sample_count), sum(u.sum_value), min(u.min_value), max(u.max_value)
            FROM timeseries.user_groups g
            JOIN timeseries.%1$I u ON u.tenant_id = g.tenant_id AND u.grain = 'user' AND u.subject_id = g.user_id
                                   AND u.bucket < $4
            WHERE g.tenant_id = $1 AND g.grain = $2 AND g.subject_id = $3
            GROUP BY u.bucket, u.metric_name
            ORDER BY u.bucket, u.metric_name$q$,
            p_name || '_mat')
            USING v_tenants[i], v_grains[i], v_subjects[i], v_watermark;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
    END LOOP;
    RETURN v_rows;
END
$_$;

ALTER FUNCTION timeseries.refresh_membership(p_name text) OWNER TO pms_owner;

CREATE FUNCTION timeseries.refresh_rollup(p_name text, p_now timestamp with time zone DEFAULT now()) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    r timeseries.rollups;
    v_sql text;
    v_old timestamptz;
    v_new timestamptz;
    v_started timestamptz := clock_timestamp();
    v_tenants uuid[];
    v_starts timestamptz[];
    v_buckets integer := 0;
    v_rows bigint := 0;
    v_n bigint;
    v_has_dependents boolean;
    v_from timestamptz;
    v_to timestamptz;
BEGIN
    SELECT * INTO r FROM timeseries.rollups WHERE name = p_name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown rollup %', p_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_sql := timeseries.rollup_sql(r);
    v_has_dependents := EXISTS (SELECT 1 FROM timeseries.rollups d WHERE d.source_rollup = p_name);
    IF r.source_rollup IS NULL THEN
        -- Writers that started before us finish first; later ones see the new watermark.
        EXECUTE format('LOCK TABLE public.%I IN SHARE MODE', r.hypertable);
        WITH d AS (DELETE FROM timeseries.invalidations WHERE hypertable = r.hypertable RETURNING tenant_id, day)
        INSERT INTO timeseries.rollup_invalidations (rollup, tenant_id, day)
        SELECT DISTINCT x.name, d.tenant_id, d.day FROM d
        JOIN timeseries.rollups x ON x.hypertable = r.hypertable AND x.source_rollup IS NULL;
        v_new := timeseries.bucket(r.bucket_width, p_now);
    ELSE
        v_new := timeseries.bucket(r.bucket_width, (SELECT s.watermark FROM timeseries.rollups s WHERE s.name = r.source_rollup));
    END IF;
    v_old := r.watermark;
    v_rows := v_rows + timeseries.refresh_membership(p_name); -- groups whose members changed

    -- 1. Invalidated buckets below the old watermark.
    WITH d AS (DELETE FROM timeseries.rollup_invalidations WHERE rollup = p_name RETURNING tenant_id, day)
    SELECT coalesce(array_agg(x.tenant_id ORDER BY x.bucket, x.tenant_id), '{}'),
           coalesce(array_agg(x.bucket ORDER BY x.bucket, x.tenant_id), '{}')
    INTO v_tenants, v_starts
    FROM (SELECT DISTINCT d.tenant_id, timeseries.bucket(r.bucket_width, d.day) AS bucket FROM d
          WHERE v_old IS NOT NULL AND d.day < v_old) x;
    FOR i IN 1 .. cardinality(v_starts) LOOP
        -- Replace the bucket: its old groups go, the recomputed ones come in (groups that no
        -- longer have any raw row simply are not inserted again). The new rows go in subject
        -- order, so each leaf of the key index is visited once. One tenant and one bucket
        -- here: the subject alone gives that order (a subject's metrics share a leaf), and a
        -- sort on one uuid is a fraction of a sort on the whole key, whose constant leading
        -- columns and text columns make every comparison a long one.
        EXECUTE format('DELETE FROM timeseries.%I WHERE tenant_id = $3 AND bucket >= $1 AND bucket < $2', p_name || '_mat')
            USING v_starts[i], (v_starts[i] AT TIME ZONE 'UTC' + r.bucket_width) AT TIME ZONE 'UTC', v_tenants[i];
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
        EXECUTE format('INSERT INTO timeseries.%I %s ORDER BY 3', p_name || '_mat', v_sql)
            USING v_starts[i], (v_starts[i] AT TIME ZONE 'UTC' + r.bucket_width) AT TIME ZONE 'UTC', v_tenants[i];
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
        v_buckets := v_buckets + 1;
        IF v_has_dependents THEN
            INSERT INTO timeseries.rollup_invalidations (rollup, tenant_id, day)
            SELECT d.name, v_tenants[i], v_starts[i] FROM timeseries.rollups d WHERE d.source_rollup = p_name;
        END IF;
    END LOOP;

    -- 2. New complete buckets [old watermark, new watermark).
    IF v_new IS NOT NULL THEN
        IF v_old IS NULL THEN
            IF r.source_rollup IS NULL THEN
                EXECUTE format('SELECT min(recorded_at) FROM timeseries.%I(''-infinity'', ''infinity'')', r.hypertable || '_points')
                    INTO v_old;
            ELSE
                EXECUTE format('SELECT min(bucket) FROM timeseries.%I', r.source_rollup || '_mat') INTO v_old;
            END IF;
            v_old := least(coalesce(timeseries.bucket(r.bucket_width, v_old), v_new), v_new);
        END IF;
        IF v_new > v_old THEN
            EXECUTE format('DELETE FROM timeseries.%I WHERE bucket >= $1', p_name || '_mat') USING v_old;
            -- A month (or one bucket, when wider) per statement, bucket by bucket and in
            -- subject order within a bucket: the aggregation stays in memory, each bucket's
            -- rows sit together in the heap (as the daily refreshes leave them later), so
            -- replacing an invalidated bucket deletes from a few heap pages rather than one
            -- per subject.
            v_from := v_old;
            WHILE v_from < v_new LOOP
                -- Calendar steps in UTC, like the buckets (not in the session's time zone).
                v_to := least(v_new, greatest(timeseries.bucket(r.bucket_width, (v_from AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC'),
                                              (v_from AT TIME ZONE 'UTC' + r.bucket_width) AT TIME ZONE 'UTC'));
                EXECUTE format('INSERT INTO timeseries.%I %s ORDER BY 5, 3', p_name || '_mat', v_sql)
                    USING v_from, v_to, NULL::uuid;
                GET DIAGNOSTICS v_n = ROW_COUNT;
                v_rows := v_rows + v_n;
                v_from := v_to;
            END LOOP;
        END IF;
        UPDATE timeseries.rollups SET watermark = greatest(v_new, v_old) WHERE name = p_name;
        IF r.source_rollup IS NULL THEN
            PERFORM timeseries.move_tail_floors();
        END IF;
    END IF;
    UPDATE timeseries.rollups
    SET last_refresh_at = now(),
        last_refresh_ms = extract(epoch FROM clock_timestamp() - v_started) * 1000
    WHERE name = p_name;
    RETURN jsonb_build_object('rollup', p_name, 'invalidated_buckets', v_buckets, 'rows_written', v_rows,
                              'watermark', (SELECT watermark FROM timeseries.rollups WHERE name = p_name));
END
$_$;

ALTER FUNCTION timeseries.refresh_rollup(p_name text, p_now timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION timeseries.refuse_blind_write() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    v_ht text := TG_ARGV[0];
    v_chunks text;
BEGIN
    IF current_user IN ('pms_owner', 'pms_maintenance') THEN
        RETURN NULL;
    END IF;
    EXECUTE format($q$SELECT string_agg(ch.chunk_name, ', ' ORDER BY ch.range_start)
                      FROM timeseries.chunks ch
                      WHERE ch.hypertable = $1 AND ch.compressed_at IS NOT NULL
                        AND EXISTS (SELECT 1 FROM timeseries.%I z
                                    WHERE z.tenant_id = public.pms_current_tenant()
                                      AND z.chunk_start >= ch.range_start AND z.chunk_start < ch.range_end)$q$,
                   v_ht || '_compressed')
        INTO v_chunks USING v_ht;
    IF v_chunks IS NOT NULL THEN
        RAISE EXCEPTION '% on % could miss points of compressed chunks (%): their points are packed, not plain rows',
            TG_OP, v_ht, v_chunks
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = format('write corrections through public.%s_all (it unpacks what it changes), or decompress first: pms timeseries decompress CHUNK', v_ht);
    END IF;
    RETURN NULL;
END
$_$;

ALTER FUNCTION timeseries.refuse_blind_write() OWNER TO pms_owner;

CREATE FUNCTION timeseries.register_metric(p_name text, p_hypertable text, p_description text DEFAULT NULL::text) RETURNS void
    LANGUAGE sql
    AS $$
    INSERT INTO timeseries.metrics (name, hypertable, description) VALUES (p_name, p_hypertable, p_description)
    ON CONFLICT (name) DO UPDATE SET description = coalesce(excluded.description, timeseries.metrics.description)
        WHERE timeseries.metrics.hypertable = excluded.hypertable
$$;

ALTER FUNCTION timeseries.register_metric(p_name text, p_hypertable text, p_description text) OWNER TO pms_owner;

CREATE TABLE timeseries.rollups (
    name text NOT NULL,
    hypertable text NOT NULL,
    source_rollup text,
    bucket_width interval NOT NULL,
    watermark timestamp with time zone,
    last_refresh_at timestamp with time zone,
    last_refresh_ms double precision,
    refresh_order integer DEFAULT 0 NOT NULL
);

ALTER TABLE timeseries.rollups OWNER TO pms_owner;

CREATE FUNCTION timeseries.rollup_sql(r timeseries.rollups) RETURNS text
    LANGUAGE plpgsql STABLE
    AS $_$
BEGIN
    IF r.source_rollup IS NOT NULL THEN
        RETURN format($q$
            SELECT m.tenant_id, m.grain, m.subject_id, m.metric_name, timeseries.bucket(%1$L, m.bucket),
                   sum(m.sample_count), sum(m.sum_value), min(m.min_value), max(m.max_value)
            FROM timeseries.%2$I m
            WHERE m.bucket >= $1 AND m.bucket < $2 AND ($3::uuid IS NULL OR m.tenant_id = $3)
            GROUP BY 1, 2, 3, 4, 5$q$, r.bucket_width, r.source_rollup || '_mat');
    END IF;
    RETURN format($q$
        WITH per_user AS MATERIALIZED (
            SELECT p.tenant_id, p.user_id, p.metric_name, timeseries.bucket(%1$L, p.recorded_at) AS bucket,
                   count(*) AS n, sum(p.value) AS s, min(p.value) AS lo, max(p.value) AS hi
            FROM timeseries.%2$I($1, $2) p
            WHERE ($3::uuid IS NULL OR p.tenant_id = $3)
            GROUP BY 1, 2, 3, 4)
        SELECT tenant_id, 'user', user_id, metric_name, bucket, n, s, lo, hi FROM per_user
        UNION ALL
        SELECT u.tenant_id, g.grain, g.subject_id, u.metric_name, u.bucket, sum(u.n), sum(u.s), min(u.lo), max(u.hi)
        FROM per_user u JOIN timeseries.user_groups g ON g.tenant_id = u.tenant_id AND g.user_id = u.user_id
        GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT tenant_id, 'tenant', tenant_id, metric_name, bucket, sum(n), sum(s), min(lo), max(hi)
        FROM per_user GROUP BY 1, 3, 4, 5$q$, r.bucket_width, r.hypertable || '_points');
END
$_$;

ALTER FUNCTION timeseries.rollup_sql(r timeseries.rollups) OWNER TO pms_owner;

CREATE FUNCTION timeseries.rollup_status() RETURNS TABLE(rollup text, hypertable text, bucket_width interval, watermark timestamp with time zone, lag interval, pending_invalidations bigint, last_refresh_at timestamp with time zone, last_refresh_ms double precision)
    LANGUAGE sql STABLE
    AS $$
    SELECT r.name, r.hypertable, r.bucket_width, r.watermark, now() - r.watermark,
           (SELECT count(*) FROM timeseries.rollup_invalidations i WHERE i.rollup = r.name)
         + (SELECT count(*) FROM timeseries.invalidations i WHERE i.hypertable = r.hypertable AND r.source_rollup IS NULL),
           r.last_refresh_at, r.last_refresh_ms
    FROM timeseries.rollups r
    ORDER BY r.refresh_order, r.name
$$;

ALTER FUNCTION timeseries.rollup_status() OWNER TO pms_owner;

CREATE TABLE timeseries.hypertables (
    name text NOT NULL,
    chunk_interval interval NOT NULL,
    retention interval,
    compress_after interval,
    chunks_ahead integer DEFAULT 3 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT hypertables_chunk_interval_check CHECK (((chunk_interval >= '1 day'::interval) AND (chunk_interval <= '1 year'::interval))),
    CONSTRAINT hypertables_chunks_ahead_check CHECK (((chunks_ahead >= 1) AND (chunks_ahead <= 24))),
    CONSTRAINT hypertables_compress_after_check CHECK ((compress_after > '00:00:00'::interval)),
    CONSTRAINT hypertables_retention_check CHECK ((retention > '00:00:00'::interval))
);

ALTER TABLE timeseries.hypertables OWNER TO pms_owner;

CREATE FUNCTION timeseries.set_policy(p_hypertable text, p_chunk_interval interval DEFAULT NULL::interval, p_retention interval DEFAULT NULL::interval, p_compress_after interval DEFAULT NULL::interval, p_chunks_ahead integer DEFAULT NULL::integer) RETURNS timeseries.hypertables
    LANGUAGE plpgsql
    AS $$
DECLARE
    h timeseries.hypertables;
BEGIN
    UPDATE timeseries.hypertables SET
        chunk_interval = coalesce(p_chunk_interval, chunk_interval),
        retention = coalesce(p_retention, retention),
        compress_after = coalesce(p_compress_after, compress_after),
        chunks_ahead = coalesce(p_chunks_ahead, chunks_ahead),
        updated_at = now()
    WHERE name = p_hypertable
    RETURNING * INTO h;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown hypertable %', p_hypertable USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN h;
END
$$;

ALTER FUNCTION timeseries.set_policy(p_hypertable text, p_chunk_interval interval, p_retention interval, p_compress_after interval, p_chunks_ahead integer) OWNER TO pms_owner;

CREATE FUNCTION timeseries.tail_floor(p_hypertable text) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT '-infinity'::timestamptz $$;

ALTER FUNCTION timeseries.tail_floor(p_hypertable text) OWNER TO pms_owner;

CREATE FUNCTION timeseries.unpack_sql() RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$
    SELECT $q$(
        SELECT (SELECT timeseries.metric_names_by_id())[(w >> 32 & 255)::integer] AS metric_name,
               ((w << 32) >> 32)::float8 / 100 AS value,
               z.chunk_start + (w >> 40) * interval '1 second' AS recorded_at
        FROM unnest(z.packed) w
        WHERE z.packed IS NOT NULL
        UNION ALL
        SELECT z.metric_names[a.i], coalesce(a.vc::float8 / 100, a.vf), coalesce(z.chunk_start + a.s * interval '1 second', a.t)
        FROM unnest(z.metric_idx, z.time_secs, z.times, z.values_c, z.values_f) AS a(i, s, t, vc, vf)
        WHERE z.packed IS NULL
    ) u$q$
$_$;

ALTER FUNCTION timeseries.unpack_sql() OWNER TO pms_owner;

CREATE FUNCTION timeseries.watermark(rollup text) RETURNS timestamp with time zone
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$
BEGIN
    RETURN coalesce((SELECT r.watermark FROM timeseries.rollups r WHERE r.name = rollup), '-infinity'::timestamptz);
END
$$;

ALTER FUNCTION timeseries.watermark(rollup text) OWNER TO pms_owner;

CREATE FUNCTION timeseries.write_point() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    v_bypass boolean := coalesce((SELECT r.rolbypassrls OR r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false);
    v_target text := format('timeseries.%I', TG_TABLE_NAME || '_hyper');
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NOT v_bypass
       AND NEW.tenant_id IS DISTINCT FROM public.pms_current_tenant() THEN
        RAISE EXCEPTION 'new row violates row-level security policy for table "%"', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('INSERT INTO %s (tenant_id, user_id, metric_name, value, recorded_at) VALUES ($1, $2, $3, $4, $5)', v_target)
            USING NEW.tenant_id, NEW.user_id, NEW.metric_name, NEW.value, NEW.recorded_at;
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        EXECUTE format('UPDATE %s SET tenant_id = $6, user_id = $7, metric_name = $8, value = $9, recorded_at = $10
                        WHERE tenant_id = $1 AND user_id = $2 AND metric_name = $3 AND value = $4 AND recorded_at = $5', v_target)
            USING OLD.tenant_id, OLD.user_id, OLD.metric_name, OLD.value, OLD.recorded_at,
                  NEW.tenant_id, NEW.user_id, NEW.metric_name, NEW.value, NEW.recorded_at;
        RETURN NEW;
    ELSE
        EXECUTE format('DELETE FROM %s WHERE tenant_id = $1 AND user_id = $2 AND metric_name = $3 AND value = $4 AND recorded_at = $5', v_target)
            USING OLD.tenant_id, OLD.user_id, OLD.metric_name, OLD.value, OLD.recorded_at;
        RETURN OLD;
    END IF;
END
$_$;

ALTER FUNCTION timeseries.write_point() OWNER TO pms_owner;

CREATE FUNCTION timeseries.write_point_all() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $_$
DECLARE
    v_ht text := TG_ARGV[0];
    v_done bigint;
    v_match text := 't.tenant_id = $1 AND t.user_id = $2 AND t.metric_name = $3 AND t.recorded_at = $4
                     AND t.value IS NOT DISTINCT FROM $5';
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('INSERT INTO public.%I (tenant_id, user_id, metric_name, value, recorded_at) VALUES ($1, $2, $3, $4, $5)', v_ht)
            USING NEW.tenant_id, NEW.user_id, NEW.metric_name, NEW.value, NEW.recorded_at;
        RETURN NEW;
    END IF;
    PERFORM timeseries.decompress_segment(v_ht, OLD.tenant_id, OLD.user_id, OLD.recorded_at);
    -- One plain row per point read: identical duplicates are changed one per trigger call.
    IF TG_OP = 'UPDATE' THEN
        EXECUTE format('UPDATE public.%1$I t SET tenant_id = $6, user_id = $7, metric_name = $8, value = $9, recorded_at = $10
                         WHERE %2$s AND t.ctid = (SELECT t.ctid FROM public.%1$I t WHERE %2$s LIMIT 1)', v_ht, v_match)
            USING OLD.tenant_id, OLD.user_id, OLD.metric_name, OLD.recorded_at, OLD.value,
                  NEW.tenant_id, NEW.user_id, NEW.metric_name, NEW.value, NEW.recorded_at;
    ELSE
        EXECUTE format('DELETE FROM public.%1$I t WHERE %2$s AND t.ctid = (SELECT t.ctid FROM public.%1$I t WHERE %2$s LIMIT 1)',
                       v_ht, v_match)
            USING OLD.tenant_id, OLD.user_id, OLD.metric_name, OLD.recorded_at, OLD.value;
    END IF;
    GET DIAGNOSTICS v_done = ROW_COUNT;
    IF v_done = 0 THEN
        RETURN NULL; -- changed or deleted meanwhile: not counted
    END IF;
    RETURN CASE WHEN TG_OP = 'UPDATE' THEN NEW ELSE OLD END;
END
$_$;

ALTER FUNCTION timeseries.write_point_all() OWNER TO pms_owner;

CREATE FUNCTION warehouse.audited_ids(p_tenant uuid, p_entity text, p_since timestamp with time zone) RETURNS SETOF uuid
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT DISTINCT a.row_id FROM public.audit_log a
     WHERE a.tenant_id = p_tenant AND a.entity_type = p_entity AND a.occurred_at >= p_since AND a.row_id IS NOT NULL
$$;

ALTER FUNCTION warehouse.audited_ids(p_tenant uuid, p_entity text, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.bulk_loaded(p_tenant uuid, p_table text, p_since timestamp with time zone) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
    SELECT EXISTS (SELECT 1 FROM public.audit_log a
                    WHERE a.tenant_id = p_tenant AND a.table_name = p_table AND a.row_id IS NULL
                      AND a.occurred_at >= p_since)
$$;

ALTER FUNCTION warehouse.bulk_loaded(p_tenant uuid, p_table text, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.changed_buckets(p_tenant uuid, p_rollup text, p_since timestamp with time zone) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    TRUNCATE wh_buckets;
    IF p_since > '-infinity' THEN
        INSERT INTO wh_buckets SELECT DISTINCT c.bucket FROM warehouse.rollup_changes c
         WHERE c.tenant_id = p_tenant AND c.rollup = p_rollup AND c.changed_at >= p_since;
    END IF;
    ANALYZE wh_buckets;
END
$$;

ALTER FUNCTION warehouse.changed_buckets(p_tenant uuid, p_rollup text, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.date_key(p_day date) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT to_char(p_day, 'YYYYMMDD')::integer
$$;

ALTER FUNCTION warehouse.date_key(p_day date) OWNER TO pms_owner;

CREATE FUNCTION warehouse.date_key(p_at timestamp with time zone) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer
$$;

ALTER FUNCTION warehouse.date_key(p_at timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.merge_fact_engagement(p_tenant uuid) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_n bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM warehouse.fact_engagement WHERE tenant_id = p_tenant) THEN
        -- Nothing to conflict with (a full rebuild, a first run): the plain insert is cheaper.
        INSERT INTO warehouse.fact_engagement (tenant_id, source, source_id, metric_name, user_key, department_key,
               date_key, score, sample_count)
        SELECT p_tenant, s.source, s.source_id, s.metric_name, s.user_key, s.department_key, s.date_key, s.score, s.sample_count
        FROM wh_stage_engagement s;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        RETURN v_n;
    END IF;
    INSERT INTO warehouse.fact_engagement AS f (tenant_id, source, source_id, metric_name, user_key, department_key,
           date_key, score, sample_count)
    SELECT p_tenant, s.source, s.source_id, s.metric_name, s.user_key, s.department_key, s.date_key, s.score, s.sample_count
    FROM wh_stage_engagement s
    ON CONFLICT (tenant_id, source, source_id, metric_name, date_key) DO UPDATE
       SET user_key = excluded.user_key, department_key = excluded.department_key, score = excluded.score,
           sample_count = excluded.sample_count
     WHERE (f.user_key, f.department_key, f.score, f.sample_count)
           IS DISTINCT FROM (excluded.user_key, excluded.department_key, excluded.score, excluded.sample_count);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;

ALTER FUNCTION warehouse.merge_fact_engagement(p_tenant uuid) OWNER TO pms_owner;

CREATE FUNCTION warehouse.record_rollup_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
DECLARE
    v_saved text := current_setting('app.tenant_id', true);
    v_tenant uuid;
    v_rollup text := regexp_replace(TG_TABLE_NAME, '_mat$', '');
BEGIN
    FOR v_tenant IN SELECT DISTINCT c.tenant_id FROM changed_rows c WHERE c.grain = 'user' LOOP
        PERFORM set_config('app.tenant_id', v_tenant::text, true);
        INSERT INTO warehouse.rollup_changes (tenant_id, rollup, bucket)
        SELECT DISTINCT c.tenant_id, v_rollup, c.bucket FROM changed_rows c
         WHERE c.tenant_id = v_tenant AND c.grain = 'user';
    END LOOP;
    PERFORM set_config('app.tenant_id', coalesce(v_saved, ''), true);
    RETURN NULL;
END
$_$;

ALTER FUNCTION warehouse.record_rollup_changes() OWNER TO pms_owner;

CREATE FUNCTION warehouse.record_tombstones() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_saved text := current_setting('app.tenant_id', true);
    v_tenant uuid;
BEGIN
    FOR v_tenant IN SELECT DISTINCT o.tenant_id FROM old_rows o LOOP
        PERFORM set_config('app.tenant_id', v_tenant::text, true);
        INSERT INTO warehouse.tombstones (tenant_id, source_table, row_id)
        SELECT o.tenant_id, TG_TABLE_NAME, o.id FROM old_rows o WHERE o.tenant_id = v_tenant;
    END LOOP;
    PERFORM set_config('app.tenant_id', coalesce(v_saved, ''), true);
    RETURN NULL;
END
$$;

ALTER FUNCTION warehouse.record_tombstones() OWNER TO pms_owner;

CREATE FUNCTION warehouse.scd2_versions(p_tenant uuid, p_entity text, p_tracked text[]) RETURNS TABLE(id uuid, valid_from timestamp with time zone, valid_to timestamp with time zone, state jsonb)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN QUERY
    WITH ev AS (
        SELECT a.row_id AS id, a.seq, a.occurred_at,
               (SELECT coalesce(jsonb_object_agg(k, a.changes -> k -> 'old'), '{}') FROM unnest(p_tracked) k
                 WHERE a.changes ? k) AS old_vals
        FROM public.audit_log a
        WHERE a.tenant_id = p_tenant AND a.entity_type = p_entity
          AND a.row_id IN (SELECT c.id FROM wh_changed c)
          AND a.operation IN ('UPDATE', 'DELETE') AND a.changes ?| p_tracked
    ), m AS (
        SELECT ev.id, ev.occurred_at,
               warehouse.jsonb_merge(ev.old_vals) OVER (PARTITION BY ev.id ORDER BY ev.occurred_at DESC, ev.seq DESC) AS merged,
               row_number() OVER (PARTITION BY ev.id, ev.occurred_at ORDER BY ev.seq) AS rn
        FROM ev
    ), b AS (
        SELECT m.id, m.occurred_at AS at, m.merged FROM m WHERE m.rn = 1
    ), closed AS (
        SELECT b.id, lag(b.at, 1, '-infinity'::timestamptz) OVER (PARTITION BY b.id ORDER BY b.at) AS valid_from,
               b.at AS valid_to, coalesce(cur.state, '{}') || b.merged AS state
        FROM b LEFT JOIN wh_current cur ON cur.id = b.id
    )
    SELECT closed.id, closed.valid_from, closed.valid_to, closed.state FROM closed
    UNION ALL
    SELECT cur.id, coalesce((SELECT max(b.at) FROM b WHERE b.id = cur.id), '-infinity'), 'infinity'::timestamptz, cur.state
    FROM wh_current cur;
END
$$;

ALTER FUNCTION warehouse.scd2_versions(p_tenant uuid, p_entity text, p_tracked text[]) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_dim_competency(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_n bigint;
    v_total bigint := 0;
BEGIN
    DELETE FROM warehouse.dim_competency d
     WHERE d.tenant_id = p_tenant
       AND d.competency_id IN (SELECT s.row_id FROM warehouse.tombstones s WHERE s.tenant_id = p_tenant
                                 AND s.source_table = 'competencies' AND s.deleted_at >= p_since)
       AND NOT EXISTS (SELECT 1 FROM public.competencies c WHERE c.tenant_id = p_tenant AND c.id = d.competency_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.dim_competency AS d (tenant_id, competency_id, framework_id, code, name, category)
    SELECT c.tenant_id, c.id, c.framework_id, c.code, c.name, c.category
    FROM public.competencies c WHERE c.tenant_id = p_tenant AND c.updated_at >= p_since
    ON CONFLICT (tenant_id, competency_id) DO UPDATE
       SET framework_id = excluded.framework_id, code = excluded.code, name = excluded.name, category = excluded.category
     WHERE (d.framework_id, d.code, d.name, d.category)
           IS DISTINCT FROM (excluded.framework_id, excluded.code, excluded.name, excluded.category);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

ALTER FUNCTION warehouse.sync_dim_competency(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_dim_date(p_tenant uuid) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_lo integer;
    v_hi integer;
    v_fm smallint := coalesce((SELECT fiscal_year_start_month FROM warehouse.dim_tenant WHERE tenant_id = p_tenant), 1);
    v_n bigint;
    v_total bigint := 0;
BEGIN
    SELECT min(lo), max(hi) INTO v_lo, v_hi FROM (
        SELECT min(date_key) AS lo, max(date_key) AS hi FROM warehouse.fact_performance_review WHERE tenant_id = p_tenant
        UNION ALL SELECT min(date_key), max(date_key) FROM warehouse.fact_feedback WHERE tenant_id = p_tenant
        UNION ALL SELECT min(date_key), max(date_key) FROM warehouse.fact_engagement WHERE tenant_id = p_tenant
        UNION ALL SELECT min(date_key), max(date_key) FROM warehouse.fact_goal_progress WHERE tenant_id = p_tenant
        UNION ALL SELECT min(date_key), max(date_key) FROM warehouse.fact_performance_daily WHERE tenant_id = p_tenant) s;
    DELETE FROM warehouse.dim_date d WHERE d.tenant_id = p_tenant
       AND (v_lo IS NULL OR d.date_key < v_lo OR d.date_key > v_hi);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    IF v_lo IS NULL THEN
        RETURN v_total;
    END IF;
    INSERT INTO warehouse.dim_date AS d (tenant_id, date_key, date, year, quarter, month, day, iso_week, day_of_week,
                                         is_weekend, month_start, fiscal_year, fiscal_quarter)
    SELECT p_tenant, warehouse.date_key(g::date), g::date, extract(year FROM g), extract(quarter FROM g),
           extract(month FROM g), extract(day FROM g), extract(week FROM g), extract(isodow FROM g),
           extract(isodow FROM g) >= 6, date_trunc('month', g)::date,
           extract(year FROM g) + CASE WHEN v_fm > 1 AND extract(month FROM g) >= v_fm THEN 1 ELSE 0 END,
           ((extract(month FROM g)::int - v_fm + 12) % 12) / 3 + 1
    FROM generate_series(to_date(v_lo::text, 'YYYYMMDD')::timestamp, to_date(v_hi::text, 'YYYYMMDD')::timestamp,
                         interval '1 day') g
    ON CONFLICT (tenant_id, date_key) DO UPDATE
       SET fiscal_year = excluded.fiscal_year, fiscal_quarter = excluded.fiscal_quarter
     WHERE (d.fiscal_year, d.fiscal_quarter) IS DISTINCT FROM (excluded.fiscal_year, excluded.fiscal_quarter);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

ALTER FUNCTION warehouse.sync_dim_date(p_tenant uuid) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_dim_department(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_tracked text[] := ARRAY['code', 'name', 'parent_id', 'head_id', 'deleted_at'];
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_changed, wh_current;
    INSERT INTO wh_changed (id)
    SELECT d.id FROM public.departments d WHERE d.tenant_id = p_tenant AND d.updated_at >= p_since
    UNION SELECT x FROM warehouse.audited_ids(p_tenant, 'Department', p_since) x;
    ANALYZE wh_changed;
    INSERT INTO wh_current (id, state)
    SELECT d.id, jsonb_build_object('code', d.code, 'name', d.name, 'parent_id', d.parent_id, 'head_id', d.head_id,
                                    'deleted_at', d.deleted_at)
    FROM public.departments d WHERE d.tenant_id = p_tenant AND d.id IN (SELECT id FROM wh_changed);
    ANALYZE wh_current;

    TRUNCATE wh_department_versions;
    INSERT INTO wh_department_versions
    SELECT v.id, v.valid_from, v.valid_to, coalesce(v.state ->> 'code', ''), coalesce(v.state ->> 'name', ''),
           (v.state ->> 'parent_id')::uuid, (v.state ->> 'head_id')::uuid, (v.state ->> 'deleted_at')::timestamptz
    FROM warehouse.scd2_versions(p_tenant, 'Department', v_tracked) v
    WHERE v.valid_from < v.valid_to;

    INSERT INTO wh_changed_departments (id, since_at)
    SELECT x.id, min(x.at) FROM (
        SELECT d.department_id AS id, d.valid_from AS at FROM warehouse.dim_department d
         WHERE d.tenant_id = p_tenant AND d.department_id IN (SELECT id FROM wh_changed)
           AND NOT EXISTS (SELECT 1 FROM wh_department_versions w WHERE w.department_id = d.department_id
                             AND w.valid_from = d.valid_from
                             AND (w.code, w.name, w.parent_id, w.head_id, w.deleted_at)
                                 IS NOT DISTINCT FROM (d.code, d.name, d.parent_id, d.head_id, d.deleted_at))
        UNION ALL
        SELECT w.department_id, w.valid_from FROM wh_department_versions w
         WHERE NOT EXISTS (SELECT 1 FROM warehouse.dim_department d WHERE d.tenant_id = p_tenant
                             AND d.department_id = w.department_id AND d.valid_from = w.valid_from
                             AND (w.code, w.name, w.parent_id, w.head_id, w.deleted_at)
                                 IS NOT DISTINCT FROM (d.code, d.name, d.parent_id, d.head_id, d.deleted_at))
        UNION ALL
        SELECT d.department_id, least(d.valid_to, w.valid_to) FROM warehouse.dim_department d
          JOIN wh_department_versions w ON w.department_id = d.department_id AND w.valid_from = d.valid_from
         WHERE d.tenant_id = p_tenant AND d.valid_to <> w.valid_to) x
    GROUP BY x.id
    ON CONFLICT (id) DO UPDATE SET since_at = least(wh_changed_departments.since_at, excluded.since_at);

    DELETE FROM warehouse.dim_department d
    WHERE d.tenant_id = p_tenant AND d.department_id IN (SELECT id FROM wh_changed)
      AND NOT EXISTS (SELECT 1 FROM wh_department_versions w WHERE w.department_id = d.department_id
                        AND w.valid_from = d.valid_from
                        AND (w.code, w.name, w.parent_id, w.head_id, w.deleted_at)
                            IS NOT DISTINCT FROM (d.code, d.name, d.parent_id, d.head_id, d.deleted_at));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    UPDATE warehouse.dim_department d SET valid_to = w.valid_to, is_current = (w.valid_to = 'infinity')
      FROM wh_department_versions w
     WHERE d.tenant_id = p_tenant AND w.department_id = d.department_id AND w.valid_from = d.valid_from
       AND d.valid_to IS DISTINCT FROM w.valid_to;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.dim_department (tenant_id, department_id, code, name, parent_id, head_id, deleted_at,
                                          valid_from, valid_to, is_current)
    SELECT p_tenant, w.department_id, w.code, w.name, w.parent_id, w.head_id, w.deleted_at, w.valid_from, w.valid_to,
           w.valid_to = 'infinity'
    FROM wh_department_versions w
    WHERE NOT EXISTS (SELECT 1 FROM warehouse.dim_department d WHERE d.tenant_id = p_tenant
                        AND d.department_id = w.department_id AND d.valid_from = w.valid_from)
    ORDER BY w.department_id, w.valid_from;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    -- The people who ever belonged to a department whose versions changed: their facts from
    -- then on are re-pointed.
    INSERT INTO wh_changed_users (id, since_at)
    SELECT u.user_id, min(c.since_at) FROM warehouse.dim_user u
      JOIN wh_changed_departments c ON c.id = u.department_id
     WHERE u.tenant_id = p_tenant
     GROUP BY u.user_id
    ON CONFLICT (id) DO UPDATE SET since_at = least(wh_changed_users.since_at, excluded.since_at);
    ANALYZE wh_changed_users, wh_changed_departments;
    RETURN v_total;
END
$$;

ALTER FUNCTION warehouse.sync_dim_department(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_dim_review_cycle(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_n bigint;
    v_total bigint := 0;
BEGIN
    DELETE FROM warehouse.dim_review_cycle d
     WHERE d.tenant_id = p_tenant
       AND d.cycle_id IN (SELECT s.row_id FROM warehouse.tombstones s WHERE s.tenant_id = p_tenant
                            AND s.source_table = 'review_cycles' AND s.deleted_at >= p_since)
       AND NOT EXISTS (SELECT 1 FROM public.review_cycles c WHERE c.tenant_id = p_tenant AND c.id = d.cycle_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.dim_review_cycle AS d (tenant_id, cycle_id, name, cycle_type, status, period_start, period_end)
    SELECT c.tenant_id, c.id, c.name, c.cycle_type, c.status, c.period_start, c.period_end
    FROM public.review_cycles c WHERE c.tenant_id = p_tenant AND c.updated_at >= p_since
    ON CONFLICT (tenant_id, cycle_id) DO UPDATE
       SET name = excluded.name, cycle_type = excluded.cycle_type, status = excluded.status,
           period_start = excluded.period_start, period_end = excluded.period_end
     WHERE (d.name, d.cycle_type, d.status, d.period_start, d.period_end)
           IS DISTINCT FROM (excluded.name, excluded.cycle_type, excluded.status, excluded.period_start, excluded.period_end);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

ALTER FUNCTION warehouse.sync_dim_review_cycle(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_dim_team(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_since timestamptz := CASE WHEN warehouse.bulk_loaded(p_tenant, 'teams', p_since) THEN '-infinity' ELSE p_since END;
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_ids;
    INSERT INTO wh_ids SELECT x FROM warehouse.audited_ids(p_tenant, 'Team', v_since) x;
    DELETE FROM warehouse.dim_team d WHERE d.tenant_id = p_tenant AND d.team_id IN (SELECT id FROM wh_ids)
       AND NOT EXISTS (SELECT 1 FROM public.teams t WHERE t.tenant_id = p_tenant AND t.id = d.team_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.dim_team AS d (tenant_id, team_id, code, name, team_type, department_id)
    SELECT t.tenant_id, t.id, t.code, t.name, t.team_type, t.department_id
    FROM public.teams t WHERE t.tenant_id = p_tenant AND t.updated_at >= v_since
    ON CONFLICT (tenant_id, team_id) DO UPDATE
       SET code = excluded.code, name = excluded.name, team_type = excluded.team_type, department_id = excluded.department_id
     WHERE (d.code, d.name, d.team_type, d.department_id)
           IS DISTINCT FROM (excluded.code, excluded.name, excluded.team_type, excluded.department_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

ALTER FUNCTION warehouse.sync_dim_team(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_dim_tenant(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
DECLARE
    v_n bigint;
BEGIN
    INSERT INTO warehouse.dim_tenant AS d (tenant_id, slug, name, plan, status, fiscal_year_start_month)
    SELECT t.id, t.slug, t.name, t.plan, t.status,
           CASE WHEN t.settings ->> 'fiscal_year_start_month' ~ '^(1[0-2]|[1-9])$'
                THEN (t.settings ->> 'fiscal_year_start_month')::smallint ELSE 1 END
    FROM public.tenants t WHERE t.id = p_tenant AND t.updated_at >= p_since
    ON CONFLICT (tenant_id) DO UPDATE
       SET slug = excluded.slug, name = excluded.name, plan = excluded.plan, status = excluded.status,
           fiscal_year_start_month = excluded.fiscal_year_start_month
     WHERE (d.slug, d.name, d.plan, d.status, d.fiscal_year_start_month)
           IS DISTINCT FROM (excluded.slug, excluded.name, excluded.plan, excluded.status, excluded.fiscal_year_start_month);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$_$;

ALTER FUNCTION warehouse.sync_dim_tenant(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_dim_user(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_since timestamptz := CASE WHEN warehouse.bulk_loaded(p_tenant, 'users', p_since) THEN '-infinity' ELSE p_since END;
    v_tracked text[] := ARRAY['department_id', 'manager_id', 'level', 'job_title', 'timezone', 'status',
                              'employment_type', 'termination_date', 'deleted_at'];
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_changed, wh_current;
    INSERT INTO wh_changed (id)
    SELECT u.id FROM public.users u WHERE u.tenant_id = p_tenant AND u.updated_at >= v_since
    UNION SELECT x FROM warehouse.audited_ids(p_tenant, 'User', v_since) x;
    ANALYZE wh_changed;
    INSERT INTO wh_current (id, state)
    SELECT u.id, jsonb_build_object('department_id', u.department_id, 'manager_id', u.manager_id, 'level', u.level,
               'job_title', u.job_title, 'timezone', u.timezone, 'status', u.status, 'employment_type', u.employment_type,
               'termination_date', u.termination_date, 'deleted_at', u.deleted_at,
               'email', u.email, 'display_name', coalesce(u.display_name, u.first_name || ' ' || u.last_name),
               'employee_number', u.employee_number, 'hire_date', u.hire_date)
    FROM public.users u WHERE u.tenant_id = p_tenant AND u.id IN (SELECT id FROM wh_changed);
    ANALYZE wh_current;
    -- Deleted people: their type-1 attributes from the DELETE entry.
    INSERT INTO wh_current_deleted (id, state)
    SELECT DISTINCT ON (a.row_id) a.row_id,
           jsonb_build_object('email', a.changes -> 'email' -> 'old',
                              'display_name', coalesce(a.changes -> 'display_name' -> 'old',
                                  to_jsonb((a.changes -> 'first_name' ->> 'old') || ' ' || (a.changes -> 'last_name' ->> 'old'))),
                              'employee_number', a.changes -> 'employee_number' -> 'old',
                              'hire_date', a.changes -> 'hire_date' -> 'old')
    FROM public.audit_log a
    WHERE a.tenant_id = p_tenant AND a.entity_type = 'User' AND a.operation = 'DELETE'
      AND a.row_id IN (SELECT c.id FROM wh_changed c WHERE c.id NOT IN (SELECT id FROM wh_current))
    ORDER BY a.row_id, a.seq DESC;

    TRUNCATE wh_user_versions;
    INSERT INTO wh_user_versions
    SELECT v.id, v.valid_from, v.valid_to,
           coalesce(v.state ->> 'email', d.state ->> 'email', ''), coalesce(v.state ->> 'display_name', d.state ->> 'display_name', ''),
           coalesce(v.state ->> 'employee_number', d.state ->> 'employee_number'),
           coalesce(v.state ->> 'hire_date', d.state ->> 'hire_date')::date,
           (v.state ->> 'department_id')::uuid, (v.state ->> 'manager_id')::uuid, (v.state ->> 'level')::smallint,
           v.state ->> 'job_title', v.state ->> 'timezone', v.state ->> 'employment_type', v.state ->> 'status',
           (v.state ->> 'termination_date')::date, (v.state ->> 'deleted_at')::timestamptz
    FROM warehouse.scd2_versions(p_tenant, 'User', v_tracked) v
    LEFT JOIN wh_current_deleted d ON d.id = v.id
    WHERE v.valid_from < v.valid_to;
    ANALYZE wh_user_versions;
    -- Type-1 attributes of deleted people's closed versions come from the DELETE entry.
    UPDATE wh_user_versions w SET email = coalesce(d.state ->> 'email', w.email),
           display_name = coalesce(d.state ->> 'display_name', w.display_name),
           employee_number = coalesce(d.state ->> 'employee_number', w.employee_number),
           hire_date = coalesce((d.state ->> 'hire_date')::date, w.hire_date)
    FROM wh_current_deleted d WHERE d.id = w.user_id;
    TRUNCATE wh_current_deleted;

    -- From when each person's versions change: a version that goes or comes, or a validity
    -- that ends elsewhere (type-1 attributes move no key).
    INSERT INTO wh_changed_users (id, since_at)
    SELECT x.id, min(x.at) FROM (
        SELECT d.user_id AS id, d.valid_from AS at FROM warehouse.dim_user d
         WHERE d.tenant_id = p_tenant AND d.user_id IN (SELECT id FROM wh_changed)
           AND NOT EXISTS (SELECT 1 FROM wh_user_versions w WHERE w.user_id = d.user_id AND w.valid_from = d.valid_from
                             AND (w.department_id, w.manager_id, w.level, w.job_title, w.location, w.employment_type,
                                  w.employment_status, w.termination_date, w.deleted_at)
                                 IS NOT DISTINCT FROM (d.department_id, d.manager_id, d.level, d.job_title, d.location,
                                  d.employment_type, d.employment_status, d.termination_date, d.deleted_at))
        UNION ALL
        SELECT w.user_id, w.valid_from FROM wh_user_versions w
         WHERE NOT EXISTS (SELECT 1 FROM warehouse.dim_user d WHERE d.tenant_id = p_tenant AND d.user_id = w.user_id
                             AND d.valid_from = w.valid_from
                             AND (w.department_id, w.manager_id, w.level, w.job_title, w.location, w.employment_type,
                                  w.employment_status, w.termination_date, w.deleted_at)
                                 IS NOT DISTINCT FROM (d.department_id, d.manager_id, d.level, d.job_title, d.location,
                                  d.employment_type, d.employment_status, d.termination_date, d.deleted_at))
        UNION ALL
        SELECT d.user_id, least(d.valid_to, w.valid_to) FROM warehouse.dim_user d
          JOIN wh_user_versions w ON w.user_id = d.user_id AND w.valid_from = d.valid_from
         WHERE d.tenant_id = p_tenant AND d.valid_to <> w.valid_to) x
    GROUP BY x.id
    ON CONFLICT (id) DO UPDATE SET since_at = least(wh_changed_users.since_at, excluded.since_at);

    DELETE FROM warehouse.dim_user d
    WHERE d.tenant_id = p_tenant AND d.user_id IN (SELECT id FROM wh_changed)
      AND NOT EXISTS (SELECT 1 FROM wh_user_versions w WHERE w.user_id = d.user_id AND w.valid_from = d.valid_from
                        AND (w.department_id, w.manager_id, w.level, w.job_title, w.location, w.employment_type,
                             w.employment_status, w.termination_date, w.deleted_at)
                            IS NOT DISTINCT FROM (d.department_id, d.manager_id, d.level, d.job_title, d.location,
                             d.employment_type, d.employment_status, d.termination_date, d.deleted_at));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    UPDATE warehouse.dim_user d
       SET valid_to = w.valid_to, is_current = (w.valid_to = 'infinity'), email = w.email, display_name = w.display_name,
           employee_number = w.employee_number, hire_date = w.hire_date
      FROM wh_user_versions w
     WHERE d.tenant_id = p_tenant AND w.user_id = d.user_id AND w.valid_from = d.valid_from
       AND (d.valid_to, d.email, d.display_name, d.employee_number, d.hire_date)
           IS DISTINCT FROM (w.valid_to, w.email, w.display_name, w.employee_number, w.hire_date);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.dim_user (tenant_id, user_id, email, display_name, employee_number, hire_date, department_id,
                                    manager_id, level, job_title, location, employment_type, employment_status,
                                    termination_date, deleted_at, valid_from, valid_to, is_current)
    SELECT p_tenant, w.user_id, w.email, w.display_name, w.employee_number, w.hire_date, w.department_id,
           w.manager_id, w.level, w.job_title, w.location, w.employment_type, w.employment_status,
           w.termination_date, w.deleted_at, w.valid_from, w.valid_to, w.valid_to = 'infinity'
    FROM wh_user_versions w
    WHERE NOT EXISTS (SELECT 1 FROM warehouse.dim_user d WHERE d.tenant_id = p_tenant AND d.user_id = w.user_id
                        AND d.valid_from = w.valid_from)
    ORDER BY w.user_id, w.valid_from;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    ANALYZE wh_changed_users;
    RETURN v_total;
END
$$;

ALTER FUNCTION warehouse.sync_dim_user(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_fact_engagement_answers(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_ids;
    INSERT INTO wh_ids
    SELECT s.id FROM public.survey_responses s WHERE s.tenant_id = p_tenant AND s.updated_at >= p_since
    UNION SELECT p.id FROM public.pulse_responses p WHERE p.tenant_id = p_tenant AND p.updated_at >= p_since
    UNION SELECT t.row_id FROM warehouse.tombstones t WHERE t.tenant_id = p_tenant
             AND t.source_table IN ('survey_responses', 'pulse_responses') AND t.deleted_at >= p_since
    UNION SELECT s.id FROM public.survey_responses s
           WHERE p_since > '-infinity' AND s.tenant_id = p_tenant
             AND (s.respondent_id IN (SELECT id FROM wh_changed_users)
                  OR s.department_id IN (SELECT id FROM wh_changed_departments))
    UNION SELECT p.id FROM public.pulse_responses p
           WHERE p_since > '-infinity' AND p.tenant_id = p_tenant AND p.user_id IN (SELECT id FROM wh_changed_users);
    ANALYZE wh_ids;

    DROP TABLE IF EXISTS wh_stage_engagement;
    CREATE TEMP TABLE wh_stage_engagement ON COMMIT DROP AS
    SELECT a.tenant_id, a.source, a.source_id, ''::text AS metric_name, u.user_key, dd.department_key,
           warehouse.date_key(a.at) AS date_key, a.score, 1::bigint AS sample_count
    FROM (SELECT s.tenant_id, 'SURVEY'::text AS source, s.id AS source_id, s.respondent_id AS user_id,
                 s.department_id, s.submitted_at AS at, s.rating::double precision AS score
            FROM public.survey_responses s WHERE s.tenant_id = p_tenant AND s.id IN (SELECT id FROM wh_ids)
          UNION ALL
          SELECT p.tenant_id, 'PULSE', p.id, p.user_id, NULL::uuid, p.responded_at, p.mood::double precision
            FROM public.pulse_responses p WHERE p.tenant_id = p_tenant AND p.id IN (SELECT id FROM wh_ids)) a
    LEFT JOIN warehouse.dim_user u ON u.tenant_id = p_tenant AND u.user_id = a.user_id
          AND u.valid_from <= a.at AND a.at < u.valid_to
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant
          AND dd.department_id = coalesce(a.department_id, u.department_id)
          AND dd.valid_from <= a.at AND a.at < dd.valid_to;
    ANALYZE wh_stage_engagement;

    DELETE FROM warehouse.fact_engagement f
     WHERE f.tenant_id = p_tenant AND f.source IN ('SURVEY', 'PULSE') AND f.source_id IN (SELECT id FROM wh_ids)
       AND NOT EXISTS (SELECT 1 FROM wh_stage_engagement s WHERE s.source = f.source AND s.source_id = f.source_id
                         AND s.date_key = f.date_key);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    RETURN v_total + warehouse.merge_fact_engagement(p_tenant);
END
$$;

ALTER FUNCTION warehouse.sync_fact_engagement_answers(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_fact_engagement_weekly(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_all boolean := p_since = '-infinity';
    v_n bigint;
    v_total bigint;
BEGIN
    PERFORM warehouse.changed_buckets(p_tenant, 'engagement_metrics_weekly', p_since);
    DROP TABLE IF EXISTS wh_stage_engagement;
    CREATE TEMP TABLE wh_stage_engagement ON COMMIT DROP AS
    SELECT 'WEEKLY'::text AS source, m.subject_id AS source_id, m.metric_name, u.user_key, dd.department_key,
           warehouse.date_key(m.bucket) AS date_key, m.sum_value / m.sample_count AS score, m.sample_count
    -- Everything on a first run; else the re-read buckets and the changed people's rows from
    -- their first changed version on, each through its index (driven by the small sets).
    FROM (SELECT m0.* FROM timeseries.engagement_metrics_weekly_mat m0 WHERE v_all AND m0.tenant_id = p_tenant AND m0.grain = 'user'
          UNION ALL
          SELECT m1.* FROM wh_buckets b
          CROSS JOIN LATERAL (SELECT * FROM timeseries.engagement_metrics_weekly_mat x WHERE NOT v_all AND x.tenant_id = p_tenant
                                 AND x.bucket = b.bucket AND x.grain = 'user') m1
          UNION ALL
          SELECT m2.* FROM wh_changed_users c
          CROSS JOIN LATERAL (SELECT * FROM timeseries.engagement_metrics_weekly_mat x WHERE NOT v_all AND x.tenant_id = p_tenant AND x.grain = 'user'
                                 AND x.subject_id = c.id AND x.bucket >= c.since_at) m2
           WHERE m2.bucket NOT IN (SELECT bucket FROM wh_buckets)) m
    LEFT JOIN warehouse.dim_user u ON u.tenant_id = p_tenant AND u.user_id = m.subject_id
          AND u.valid_from <= m.bucket AND m.bucket < u.valid_to
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant AND dd.department_id = u.department_id
          AND dd.valid_from <= m.bucket AND m.bucket < dd.valid_to;
    ANALYZE wh_stage_engagement;
    -- Facts of the re-read buckets and people that the rollup no longer has (one statement
    -- per access path: by day, by person).
    DELETE FROM warehouse.fact_engagement f
     WHERE f.tenant_id = p_tenant AND f.source = 'WEEKLY'
       AND (v_all OR f.date_key IN (SELECT warehouse.date_key(bucket) FROM wh_buckets))
       AND NOT EXISTS (SELECT 1 FROM wh_stage_engagement s WHERE s.source_id = f.source_id
                         AND s.metric_name = f.metric_name AND s.date_key = f.date_key);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_n;
    DELETE FROM warehouse.fact_engagement f
     WHERE NOT v_all AND f.tenant_id = p_tenant AND f.source = 'WEEKLY'
       AND EXISTS (SELECT 1 FROM wh_changed_users c WHERE c.id = f.source_id
                     AND to_date(f.date_key::text, 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC' >= c.since_at)
       AND NOT EXISTS (SELECT 1 FROM wh_stage_engagement s WHERE s.source_id = f.source_id
                         AND s.metric_name = f.metric_name AND s.date_key = f.date_key);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n + warehouse.merge_fact_engagement(p_tenant);
END
$$;

ALTER FUNCTION warehouse.sync_fact_engagement_weekly(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_fact_feedback(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_since timestamptz := CASE WHEN warehouse.bulk_loaded(p_tenant, 'feedback', p_since) THEN '-infinity' ELSE p_since END;
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_ids;
    INSERT INTO wh_ids
    SELECT f.id FROM public.feedback f WHERE f.tenant_id = p_tenant AND f.updated_at >= v_since
    UNION SELECT x FROM warehouse.audited_ids(p_tenant, 'Feedback', v_since) x
    UNION SELECT f.id FROM public.feedback f
           WHERE v_since > '-infinity' AND f.tenant_id = p_tenant AND f.giver_id IN (SELECT id FROM wh_changed_users)
    UNION SELECT f.id FROM public.feedback f
           WHERE v_since > '-infinity' AND f.tenant_id = p_tenant AND f.recipient_id IN (SELECT id FROM wh_changed_users);
    ANALYZE wh_ids;

    DROP TABLE IF EXISTS wh_stage_feedback;
    CREATE TEMP TABLE wh_stage_feedback ON COMMIT DROP AS
    SELECT f.tenant_id, f.id AS feedback_id, CASE WHEN f.is_anonymous THEN NULL ELSE ug.user_key END AS giver_key,
           ur.user_key AS receiver_key, dd.department_key AS receiver_department_key,
           warehouse.date_key(f.created_at) AS date_key, f.feedback_type, f.visibility, f.is_anonymous,
           f.sentiment_score, f.created_at AS given_at
    FROM public.feedback f
    LEFT JOIN warehouse.dim_user ug ON NOT f.is_anonymous AND ug.tenant_id = p_tenant AND ug.user_id = f.giver_id
          AND ug.valid_from <= f.created_at AND f.created_at < ug.valid_to
    LEFT JOIN warehouse.dim_user ur ON ur.tenant_id = p_tenant AND ur.user_id = f.recipient_id
          AND ur.valid_from <= f.created_at AND f.created_at < ur.valid_to
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant AND dd.department_id = ur.department_id
          AND dd.valid_from <= f.created_at AND f.created_at < dd.valid_to
    WHERE f.tenant_id = p_tenant AND f.id IN (SELECT id FROM wh_ids) AND f.deleted_at IS NULL;
    ANALYZE wh_stage_feedback;

    DELETE FROM warehouse.fact_feedback f
     WHERE f.tenant_id = p_tenant AND f.feedback_id IN (SELECT id FROM wh_ids)
       AND NOT EXISTS (SELECT 1 FROM wh_stage_feedback s WHERE s.feedback_id = f.feedback_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.fact_feedback AS f (tenant_id, feedback_id, giver_key, receiver_key, receiver_department_key,
           date_key, feedback_type, visibility, is_anonymous, sentiment_score, given_at)
    SELECT s.tenant_id, s.feedback_id, s.giver_key, s.receiver_key, s.receiver_department_key, s.date_key,
           s.feedback_type, s.visibility, s.is_anonymous, s.sentiment_score, s.given_at
    FROM wh_stage_feedback s
    ON CONFLICT (tenant_id, feedback_id) DO UPDATE
       SET giver_key = excluded.giver_key, receiver_key = excluded.receiver_key,
           receiver_department_key = excluded.receiver_department_key, date_key = excluded.date_key,
           feedback_type = excluded.feedback_type, visibility = excluded.visibility,
           is_anonymous = excluded.is_anonymous, sentiment_score = excluded.sentiment_score, given_at = excluded.given_at
     WHERE (f.giver_key, f.receiver_key, f.receiver_department_key, f.date_key, f.feedback_type, f.visibility,
            f.is_anonymous, f.sentiment_score, f.given_at)
           IS DISTINCT FROM (excluded.giver_key, excluded.receiver_key, excluded.receiver_department_key,
            excluded.date_key, excluded.feedback_type, excluded.visibility, excluded.is_anonymous,
            excluded.sentiment_score, excluded.given_at);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

ALTER FUNCTION warehouse.sync_fact_feedback(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_fact_goal_progress(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_since timestamptz := CASE WHEN warehouse.bulk_loaded(p_tenant, 'goals', p_since) THEN '-infinity' ELSE p_since END;
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_ids;
    INSERT INTO wh_ids
    SELECT g.id FROM public.goals g WHERE g.tenant_id = p_tenant AND g.updated_at >= v_since
    UNION SELECT x FROM warehouse.audited_ids(p_tenant, 'Goal', v_since) x
    UNION SELECT g.id FROM public.goals g
           WHERE v_since > '-infinity' AND g.tenant_id = p_tenant
             AND (g.owner_id IN (SELECT id FROM wh_changed_users)
                  OR g.department_id IN (SELECT id FROM wh_changed_departments));
    ANALYZE wh_ids;

    DROP TABLE IF EXISTS wh_stage_goal;
    CREATE TEMP TABLE wh_stage_goal ON COMMIT DROP AS
    SELECT g.tenant_id, g.id AS goal_id, uo.user_key AS owner_key, dt.team_key, dd.department_key,
           warehouse.date_key(g.period_end) AS date_key, g.goal_type, g.status, g.progress, g.weight,
           g.status = 'COMPLETED' AS is_completed
    FROM public.goals g
    CROSS JOIN LATERAL (SELECT g.period_end::timestamp AT TIME ZONE 'UTC' AS at) x
    LEFT JOIN warehouse.dim_user uo ON uo.tenant_id = p_tenant AND uo.user_id = g.owner_id
          AND uo.valid_from <= x.at AND x.at < uo.valid_to
    LEFT JOIN warehouse.dim_team dt ON dt.tenant_id = p_tenant AND dt.team_id = g.team_id
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant
          AND dd.department_id = coalesce(g.department_id, uo.department_id)
          AND dd.valid_from <= x.at AND x.at < dd.valid_to
    WHERE g.tenant_id = p_tenant AND g.id IN (SELECT id FROM wh_ids) AND g.deleted_at IS NULL;
    ANALYZE wh_stage_goal;

    DELETE FROM warehouse.fact_goal_progress f
     WHERE f.tenant_id = p_tenant AND f.goal_id IN (SELECT id FROM wh_ids)
       AND NOT EXISTS (SELECT 1 FROM wh_stage_goal s WHERE s.goal_id = f.goal_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.fact_goal_progress AS f (tenant_id, goal_id, owner_key, team_key, department_key, date_key,
           goal_type, status, progress, weight, is_completed)
    SELECT s.tenant_id, s.goal_id, s.owner_key, s.team_key, s.department_key, s.date_key, s.goal_type, s.status,
           s.progress, s.weight, s.is_completed
    FROM wh_stage_goal s
    ON CONFLICT (tenant_id, goal_id) DO UPDATE
       SET owner_key = excluded.owner_key, team_key = excluded.team_key, department_key = excluded.department_key,
           date_key = excluded.date_key, goal_type = excluded.goal_type, status = excluded.status,
           progress = excluded.progress, weight = excluded.weight, is_completed = excluded.is_completed
     WHERE (f.owner_key, f.team_key, f.department_key, f.date_key, f.goal_type, f.status, f.progress, f.weight,
            f.is_completed)
           IS DISTINCT FROM (excluded.owner_key, excluded.team_key, excluded.department_key, excluded.date_key,
            excluded.goal_type, excluded.status, excluded.progress, excluded.weight, excluded.is_completed);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

ALTER FUNCTION warehouse.sync_fact_goal_progress(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_fact_performance_daily(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_all boolean := p_since = '-infinity';
    v_n bigint;
    v_total bigint := 0;
BEGIN
    PERFORM warehouse.changed_buckets(p_tenant, 'performance_metrics_daily', p_since);
    DROP TABLE IF EXISTS wh_stage_daily;
    CREATE TEMP TABLE wh_stage_daily ON COMMIT DROP AS
    SELECT m.subject_id AS user_id, u.user_key, dd.department_key, warehouse.date_key(m.bucket) AS date_key,
           m.metric_name, m.sample_count, m.sum_value / m.sample_count AS avg_value, m.min_value, m.max_value
    -- Everything on a first run; else the re-read buckets and the changed people's rows from
    -- their first changed version on, each through its index (driven by the small sets).
    FROM (SELECT m0.* FROM timeseries.performance_metrics_daily_mat m0 WHERE v_all AND m0.tenant_id = p_tenant AND m0.grain = 'user'
          UNION ALL
          SELECT m1.* FROM wh_buckets b
          CROSS JOIN LATERAL (SELECT * FROM timeseries.performance_metrics_daily_mat x WHERE NOT v_all AND x.tenant_id = p_tenant
                                 AND x.bucket = b.bucket AND x.grain = 'user') m1
          UNION ALL
          SELECT m2.* FROM wh_changed_users c
          CROSS JOIN LATERAL (SELECT * FROM timeseries.performance_metrics_daily_mat x WHERE NOT v_all AND x.tenant_id = p_tenant AND x.grain = 'user'
                                 AND x.subject_id = c.id AND x.bucket >= c.since_at) m2
           WHERE m2.bucket NOT IN (SELECT bucket FROM wh_buckets)) m
    LEFT JOIN warehouse.dim_user u ON u.tenant_id = p_tenant AND u.user_id = m.subject_id
          AND u.valid_from <= m.bucket AND m.bucket < u.valid_to
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant AND dd.department_id = u.department_id
          AND dd.valid_from <= m.bucket AND m.bucket < dd.valid_to;
    ANALYZE wh_stage_daily;
    DELETE FROM warehouse.fact_performance_daily f
     WHERE f.tenant_id = p_tenant
       AND (v_all OR f.date_key IN (SELECT warehouse.date_key(bucket) FROM wh_buckets))
       AND NOT EXISTS (SELECT 1 FROM wh_stage_daily s WHERE s.user_id = f.user_id
                         AND s.metric_name = f.metric_name AND s.date_key = f.date_key);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_n;
    DELETE FROM warehouse.fact_performance_daily f
     WHERE NOT v_all AND f.tenant_id = p_tenant
       AND EXISTS (SELECT 1 FROM wh_changed_users c WHERE c.id = f.user_id
                     AND to_date(f.date_key::text, 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC' >= c.since_at)
       AND NOT EXISTS (SELECT 1 FROM wh_stage_daily s WHERE s.user_id = f.user_id
                         AND s.metric_name = f.metric_name AND s.date_key = f.date_key);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    IF NOT EXISTS (SELECT 1 FROM warehouse.fact_performance_daily WHERE tenant_id = p_tenant) THEN
        INSERT INTO warehouse.fact_performance_daily (tenant_id, user_id, user_key, department_key, date_key,
               metric_name, sample_count, avg_value, min_value, max_value)
        SELECT p_tenant, s.user_id, s.user_key, s.department_key, s.date_key, s.metric_name, s.sample_count,
               s.avg_value, s.min_value, s.max_value
        FROM wh_stage_daily s ORDER BY s.date_key, s.user_id;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        RETURN v_total + v_n;
    END IF;
    INSERT INTO warehouse.fact_performance_daily AS f (tenant_id, user_id, user_key, department_key, date_key,
           metric_name, sample_count, avg_value, min_value, max_value)
    SELECT p_tenant, s.user_id, s.user_key, s.department_key, s.date_key, s.metric_name, s.sample_count,
           s.avg_value, s.min_value, s.max_value
    FROM wh_stage_daily s
    ON CONFLICT (tenant_id, date_key, user_id, metric_name) DO UPDATE
       SET user_key = excluded.user_key, department_key = excluded.department_key,
           sample_count = excluded.sample_count, avg_value = excluded.avg_value,
           min_value = excluded.min_value, max_value = excluded.max_value
     WHERE (f.user_key, f.department_key, f.sample_count, f.avg_value, f.min_value, f.max_value)
           IS DISTINCT FROM (excluded.user_key, excluded.department_key, excluded.sample_count, excluded.avg_value,
            excluded.min_value, excluded.max_value);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

ALTER FUNCTION warehouse.sync_fact_performance_daily(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_fact_performance_review(p_tenant uuid, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_since timestamptz := CASE WHEN warehouse.bulk_loaded(p_tenant, 'performance_reviews', p_since) THEN '-infinity' ELSE p_since END;
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_ids;
    INSERT INTO wh_ids
    SELECT r.id FROM public.performance_reviews r WHERE r.tenant_id = p_tenant AND r.updated_at >= v_since
    UNION SELECT x FROM warehouse.audited_ids(p_tenant, 'PerformanceReview', v_since) x
    UNION SELECT c.review_id FROM public.calibration_ratings c WHERE c.tenant_id = p_tenant AND c.updated_at >= v_since
    UNION SELECT (coalesce(a.changes -> 'review_id' ->> 'new', a.changes -> 'review_id' ->> 'old'))::uuid
            FROM public.audit_log a WHERE a.tenant_id = p_tenant AND a.entity_type = 'CalibrationRating'
             AND a.occurred_at >= v_since AND a.changes ? 'review_id'
    UNION SELECT r.id FROM public.performance_reviews r
           WHERE v_since > '-infinity' AND r.tenant_id = p_tenant AND r.reviewee_id IN (SELECT id FROM wh_changed_users)
    UNION SELECT r.id FROM public.performance_reviews r
           WHERE v_since > '-infinity' AND r.tenant_id = p_tenant AND r.reviewer_id IN (SELECT id FROM wh_changed_users);
    ANALYZE wh_ids;

    DROP TABLE IF EXISTS wh_stage_review;
    CREATE TEMP TABLE wh_stage_review ON COMMIT DROP AS
    SELECT r.tenant_id, r.id AS review_id, dc.cycle_key, ue.user_key AS reviewee_key, ur.user_key AS reviewer_key,
           dd.department_key, warehouse.date_key(x.at) AS date_key, r.review_type, r.status,
           r.overall_rating AS original_rating, cal.adjusted_rating AS calibrated_rating, x.at AS reviewed_at
    FROM public.performance_reviews r
    CROSS JOIN LATERAL (SELECT coalesce(r.submitted_at, r.created_at) AS at) x
    LEFT JOIN warehouse.dim_review_cycle dc ON dc.tenant_id = p_tenant AND dc.cycle_id = r.cycle_id
    LEFT JOIN warehouse.dim_user ue ON ue.tenant_id = p_tenant AND ue.user_id = r.reviewee_id
          AND ue.valid_from <= x.at AND x.at < ue.valid_to
    LEFT JOIN warehouse.dim_user ur ON ur.tenant_id = p_tenant AND ur.user_id = r.reviewer_id
          AND ur.valid_from <= x.at AND x.at < ur.valid_to
    LEFT JOIN warehouse.dim_department dd ON dd.tenant_id = p_tenant AND dd.department_id = ue.department_id
          AND dd.valid_from <= x.at AND x.at < dd.valid_to
    LEFT JOIN LATERAL (SELECT c.adjusted_rating FROM public.calibration_ratings c
                        WHERE c.tenant_id = p_tenant AND c.review_id = r.id AND c.status = 'ACCEPTED'
                          AND c.adjusted_rating IS NOT NULL
                        ORDER BY c.updated_at DESC, c.id DESC LIMIT 1) cal ON true
    WHERE r.tenant_id = p_tenant AND r.id IN (SELECT id FROM wh_ids) AND r.deleted_at IS NULL;
    ANALYZE wh_stage_review;

    DELETE FROM warehouse.fact_performance_review f
     WHERE f.tenant_id = p_tenant AND f.review_id IN (SELECT id FROM wh_ids)
       AND NOT EXISTS (SELECT 1 FROM wh_stage_review s WHERE s.review_id = f.review_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.fact_performance_review AS f (tenant_id, review_id, cycle_key, reviewee_key, reviewer_key,
           department_key, date_key, review_type, status, original_rating, calibrated_rating, reviewed_at)
    SELECT s.tenant_id, s.review_id, s.cycle_key, s.reviewee_key, s.reviewer_key, s.department_key, s.date_key,
           s.review_type, s.status, s.original_rating, s.calibrated_rating, s.reviewed_at
    FROM wh_stage_review s
    ON CONFLICT (tenant_id, review_id) DO UPDATE
       SET cycle_key = excluded.cycle_key, reviewee_key = excluded.reviewee_key, reviewer_key = excluded.reviewer_key,
           department_key = excluded.department_key, date_key = excluded.date_key, review_type = excluded.review_type,
           status = excluded.status, original_rating = excluded.original_rating,
           calibrated_rating = excluded.calibrated_rating, reviewed_at = excluded.reviewed_at
     WHERE (f.cycle_key, f.reviewee_key, f.reviewer_key, f.department_key, f.date_key, f.review_type, f.status,
            f.original_rating, f.calibrated_rating, f.reviewed_at)
           IS DISTINCT FROM (excluded.cycle_key, excluded.reviewee_key, excluded.reviewer_key, excluded.department_key,
            excluded.date_key, excluded.review_type, excluded.status, excluded.original_rating,
            excluded.calibrated_rating, excluded.reviewed_at);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

ALTER FUNCTION warehouse.sync_fact_performance_review(p_tenant uuid, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_horizon() RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT least(now(), min(a.xact_start)) FROM pg_stat_activity a
     WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL
$$;

ALTER FUNCTION warehouse.sync_horizon() OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_prepare() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS wh_changed (id uuid PRIMARY KEY) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_current (id uuid PRIMARY KEY, state jsonb NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_current_deleted (id uuid PRIMARY KEY, state jsonb NOT NULL) ON COMMIT DROP;
    -- People and departments whose versions changed in this pass, and from when: facts at or
    -- after since_at may now point at another version (earlier ones cannot).
    CREATE TEMP TABLE IF NOT EXISTS wh_changed_users (id uuid PRIMARY KEY, since_at timestamptz NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_changed_departments (id uuid PRIMARY KEY, since_at timestamptz NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_ids (id uuid PRIMARY KEY) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_buckets (bucket timestamptz PRIMARY KEY) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_user_versions (
        user_id uuid NOT NULL, valid_from timestamptz NOT NULL, valid_to timestamptz NOT NULL,
        email text, display_name text, employee_number text, hire_date date, department_id uuid,
        manager_id uuid, level smallint, job_title text, location text, employment_type text,
        employment_status text, termination_date date, deleted_at timestamptz,
        PRIMARY KEY (user_id, valid_from)) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_department_versions (
        department_id uuid NOT NULL, valid_from timestamptz NOT NULL, valid_to timestamptz NOT NULL,
        code text, name text, parent_id uuid, head_id uuid, deleted_at timestamptz,
        PRIMARY KEY (department_id, valid_from)) ON COMMIT DROP;
END
$$;

ALTER FUNCTION warehouse.sync_prepare() OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_source(p_tenant uuid, p_source text, p_since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN CASE p_source
        WHEN 'tenants' THEN warehouse.sync_dim_tenant(p_tenant, p_since)
        WHEN 'departments' THEN warehouse.sync_dim_department(p_tenant, p_since)
        WHEN 'users' THEN warehouse.sync_dim_user(p_tenant, p_since)
        WHEN 'teams' THEN warehouse.sync_dim_team(p_tenant, p_since)
        WHEN 'review_cycles' THEN warehouse.sync_dim_review_cycle(p_tenant, p_since)
        WHEN 'competencies' THEN warehouse.sync_dim_competency(p_tenant, p_since)
        WHEN 'performance_reviews' THEN warehouse.sync_fact_performance_review(p_tenant, p_since)
        WHEN 'feedback' THEN warehouse.sync_fact_feedback(p_tenant, p_since)
        WHEN 'engagement_answers' THEN warehouse.sync_fact_engagement_answers(p_tenant, p_since)
        WHEN 'engagement_weekly' THEN warehouse.sync_fact_engagement_weekly(p_tenant, p_since)
        WHEN 'goals' THEN warehouse.sync_fact_goal_progress(p_tenant, p_since)
        WHEN 'performance_daily' THEN warehouse.sync_fact_performance_daily(p_tenant, p_since)
    END;
END
$$;

ALTER FUNCTION warehouse.sync_source(p_tenant uuid, p_source text, p_since timestamp with time zone) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_sources() RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT ARRAY['tenants', 'departments', 'users', 'teams', 'review_cycles', 'competencies',
                 'performance_reviews', 'feedback', 'engagement_answers', 'engagement_weekly', 'goals',
                 'performance_daily']
$$;

ALTER FUNCTION warehouse.sync_sources() OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_tenant_begin(p_tenant uuid, p_full boolean) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
DECLARE
    v_n bigint := 0;
    v_m bigint;
    t text;
BEGIN
    PERFORM warehouse.sync_prepare();
    TRUNCATE wh_changed_users, wh_changed_departments;
    IF p_full THEN
        -- From scratch: facts first (they point at the dimensions), then dimensions, watermarks.
        FOREACH t IN ARRAY ARRAY['fact_performance_review', 'fact_feedback', 'fact_engagement', 'fact_goal_progress',
                                 'fact_performance_daily', 'dim_user', 'dim_department', 'dim_team', 'dim_review_cycle',
                                 'dim_competency', 'dim_date', 'dim_tenant', 'sync_watermarks'] LOOP
            EXECUTE format('DELETE FROM warehouse.%I WHERE tenant_id = $1', t) USING p_tenant;
            GET DIAGNOSTICS v_m = ROW_COUNT;
            v_n := v_n + v_m;
        END LOOP;
    END IF;
    RETURN v_n;
END
$_$;

ALTER FUNCTION warehouse.sync_tenant_begin(p_tenant uuid, p_full boolean) OWNER TO pms_owner;

CREATE FUNCTION warehouse.sync_tenant_finish(p_tenant uuid, p_horizon timestamp with time zone, p_full boolean, p_started timestamp with time zone, p_changes jsonb) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    v_dates bigint := warehouse.sync_dim_date(p_tenant);
    v_changed bigint;
BEGIN
    INSERT INTO warehouse.sync_watermarks AS w (tenant_id, source, horizon, rows_changed, updated_at)
    SELECT p_tenant, s, p_horizon, coalesce((p_changes ->> s)::bigint, 0), clock_timestamp()
    FROM unnest(warehouse.sync_sources()) s
    ON CONFLICT (tenant_id, source) DO UPDATE
       SET horizon = excluded.horizon, rows_changed = excluded.rows_changed, updated_at = excluded.updated_at;
    DELETE FROM warehouse.tombstones WHERE tenant_id = p_tenant AND deleted_at < p_horizon;
    DELETE FROM warehouse.rollup_changes WHERE tenant_id = p_tenant AND changed_at < p_horizon;
    SELECT v_dates + coalesce(sum(value::bigint), 0) INTO v_changed FROM jsonb_each_text(p_changes);
    INSERT INTO warehouse.sync_runs (tenant_id, mode, horizon, started_at, finished_at, duration_ms, rows_changed, details)
    VALUES (p_tenant, CASE WHEN p_full THEN 'FULL' ELSE 'INCREMENTAL' END, p_horizon, p_started, clock_timestamp(),
            greatest(0, (extract(epoch FROM clock_timestamp() - p_started) * 1000)::bigint), v_changed,
            p_changes || jsonb_build_object('dates', v_dates));
    RETURN v_changed;
END
$$;

ALTER FUNCTION warehouse.sync_tenant_finish(p_tenant uuid, p_horizon timestamp with time zone, p_full boolean, p_started timestamp with time zone, p_changes jsonb) OWNER TO pms_owner;

CREATE AGGREGATE warehouse.jsonb_merge(jsonb) (
    SFUNC = jsonb_concat,
    STYPE = jsonb,
    INITCOND = '{}'
);

ALTER AGGREGATE warehouse.jsonb_merge(jsonb) OWNER TO pms_owner;

CREATE TABLE pms_meta.audited_tables (
    table_name text NOT NULL,
    entity_type text NOT NULL,
    tenant_column text NOT NULL,
    row_id_column text,
    enabled_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT audited_tables_entity_type_check CHECK ((entity_type ~ '^[A-Z][A-Za-z]{1,63}$'::text))
);

ALTER TABLE pms_meta.audited_tables OWNER TO pms_owner;

CREATE TABLE pms_meta.bulk_loads (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    batch text NOT NULL,
    table_name text NOT NULL,
    row_count bigint NOT NULL,
    rows_sha256 bytea NOT NULL,
    db_user text DEFAULT SESSION_USER NOT NULL,
    txid bigint DEFAULT txid_current() NOT NULL,
    loaded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT bulk_loads_batch_check CHECK (((length(batch) >= 1) AND (length(batch) <= 200))),
    CONSTRAINT bulk_loads_row_count_check CHECK ((row_count >= 0)),
    CONSTRAINT bulk_loads_rows_sha256_check CHECK ((length(rows_sha256) = 32))
);

ALTER TABLE ONLY pms_meta.bulk_loads FORCE ROW LEVEL SECURITY;

ALTER TABLE pms_meta.bulk_loads OWNER TO pms_owner;

CREATE TABLE pms_meta.migrations (
    name text NOT NULL,
    checksum bytea NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    duration_ms bigint NOT NULL
);

ALTER TABLE pms_meta.migrations OWNER TO pms_owner;

CREATE TABLE pms_meta.replaceable (
    id boolean DEFAULT true NOT NULL,
    checksum bytea NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT replaceable_id_check CHECK (id)
);

ALTER TABLE pms_meta.replaceable OWNER TO pms_owner;

CREATE TABLE pms_meta.tenant_partition_builds (
    tenant_id uuid NOT NULL,
    table_name text NOT NULL,
    row_count bigint NOT NULL,
    built_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tenant_partition_builds_row_count_check CHECK ((row_count >= 0))
);

ALTER TABLE ONLY pms_meta.tenant_partition_builds FORCE ROW LEVEL SECURITY;

ALTER TABLE pms_meta.tenant_partition_builds OWNER TO pms_owner;

CREATE TABLE pms_meta.visibility_rules (
    table_name text NOT NULL,
    domain text NOT NULL,
    read_rule text,
    insert_rule text NOT NULL,
    write_rule text NOT NULL,
    readers text NOT NULL,
    writers text NOT NULL,
    CONSTRAINT visibility_rules_domain_check CHECK ((domain = ANY (ARRAY['REVIEWS'::text, 'APPROVALS'::text, 'GOALS'::text, 'FEEDBACK'::text, 'PRIVATE'::text, 'ACCESS'::text]))),
    CONSTRAINT visibility_rules_readers_check CHECK ((length(TRIM(BOTH FROM readers)) > 0)),
    CONSTRAINT visibility_rules_table_name_check CHECK ((table_name ~ '^[a-z_][a-z0-9_.]*$'::text)),
    CONSTRAINT visibility_rules_writers_check CHECK ((length(TRIM(BOTH FROM writers)) > 0))
);

ALTER TABLE pms_meta.visibility_rules OWNER TO pms_owner;

CREATE TABLE public.feedback (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    giver_id uuid,
    recipient_id uuid NOT NULL,
    requested_by uuid,
    goal_id uuid,
    feedback_type text DEFAULT 'PRAISE'::text NOT NULL,
    visibility text DEFAULT 'PRIVATE'::text NOT NULL,
    is_anonymous boolean DEFAULT false NOT NULL,
    body text NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    sentiment_score numeric(4,3),
    read_at timestamp with time zone,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, body)) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT feedback_body_check CHECK ((length(TRIM(BOTH FROM body)) > 0)),
    CONSTRAINT feedback_check CHECK ((giver_id IS DISTINCT FROM recipient_id)),
    CONSTRAINT feedback_check1 CHECK (((NOT is_anonymous) OR (visibility <> 'PUBLIC'::text))),
    CONSTRAINT feedback_feedback_type_check CHECK ((feedback_type = ANY (ARRAY['PRAISE'::text, 'CONSTRUCTIVE'::text, 'SUGGESTION'::text, 'REQUEST'::text, 'RECOGNITION'::text]))),
    CONSTRAINT feedback_sentiment_score_check CHECK (((sentiment_score >= ('-1'::integer)::numeric) AND (sentiment_score <= (1)::numeric))),
    CONSTRAINT feedback_visibility_check CHECK ((visibility = ANY (ARRAY['PRIVATE'::text, 'MANAGER'::text, 'PUBLIC'::text])))
)
PARTITION BY LIST (tenant_id);

ALTER TABLE ONLY public.feedback FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feedback OWNER TO pms_owner;

CREATE TABLE pms_parts.feedback_default (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    giver_id uuid,
    recipient_id uuid NOT NULL,
    requested_by uuid,
    goal_id uuid,
    feedback_type text DEFAULT 'PRAISE'::text NOT NULL,
    visibility text DEFAULT 'PRIVATE'::text NOT NULL,
    is_anonymous boolean DEFAULT false NOT NULL,
    body text NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    sentiment_score numeric(4,3),
    read_at timestamp with time zone,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, body)) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT feedback_body_check CHECK ((length(TRIM(BOTH FROM body)) > 0)),
    CONSTRAINT feedback_check CHECK ((giver_id IS DISTINCT FROM recipient_id)),
    CONSTRAINT feedback_check1 CHECK (((NOT is_anonymous) OR (visibility <> 'PUBLIC'::text))),
    CONSTRAINT feedback_feedback_type_check CHECK ((feedback_type = ANY (ARRAY['PRAISE'::text, 'CONSTRUCTIVE'::text, 'SUGGESTION'::text, 'REQUEST'::text, 'RECOGNITION'::text]))),
    CONSTRAINT feedback_sentiment_score_check CHECK (((sentiment_score >= ('-1'::integer)::numeric) AND (sentiment_score <= (1)::numeric))),
    CONSTRAINT feedback_visibility_check CHECK ((visibility = ANY (ARRAY['PRIVATE'::text, 'MANAGER'::text, 'PUBLIC'::text])))
);

ALTER TABLE ONLY pms_parts.feedback_default FORCE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.feedback_default OWNER TO pms_owner;

CREATE TABLE public.goals (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid NOT NULL,
    team_id uuid,
    department_id uuid,
    parent_id uuid,
    goal_type text DEFAULT 'INDIVIDUAL'::text NOT NULL,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    visibility text DEFAULT 'PUBLIC'::text NOT NULL,
    title text NOT NULL,
    description text,
    period_start date NOT NULL,
    period_end date NOT NULL,
    progress numeric(5,2) DEFAULT 0 NOT NULL,
    weight numeric(5,2) DEFAULT 1 NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    completed_at timestamp with time zone,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, ((COALESCE(title, ''::text) || ' '::text) || COALESCE(description, ''::text)))) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT goals_check CHECK ((period_end >= period_start)),
    CONSTRAINT goals_check1 CHECK ((parent_id IS DISTINCT FROM id)),
    CONSTRAINT goals_goal_type_check CHECK ((goal_type = ANY (ARRAY['INDIVIDUAL'::text, 'TEAM'::text, 'DEPARTMENT'::text, 'COMPANY'::text, 'OKR_OBJECTIVE'::text]))),
    CONSTRAINT goals_progress_check CHECK (((progress >= (0)::numeric) AND (progress <= (100)::numeric))),
    CONSTRAINT goals_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'ACTIVE'::text, 'AT_RISK'::text, 'ON_HOLD'::text, 'COMPLETED'::text, 'CANCELLED'::text]))),
    CONSTRAINT goals_title_check CHECK ((length(TRIM(BOTH FROM title)) > 0)),
    CONSTRAINT goals_visibility_check CHECK ((visibility = ANY (ARRAY['PUBLIC'::text, 'TEAM'::text, 'PRIVATE'::text]))),
    CONSTRAINT goals_weight_check CHECK ((weight > (0)::numeric))
)
PARTITION BY LIST (tenant_id);

ALTER TABLE ONLY public.goals FORCE ROW LEVEL SECURITY;

ALTER TABLE public.goals OWNER TO pms_owner;

CREATE TABLE pms_parts.goals_default (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid NOT NULL,
    team_id uuid,
    department_id uuid,
    parent_id uuid,
    goal_type text DEFAULT 'INDIVIDUAL'::text NOT NULL,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    visibility text DEFAULT 'PUBLIC'::text NOT NULL,
    title text NOT NULL,
    description text,
    period_start date NOT NULL,
    period_end date NOT NULL,
    progress numeric(5,2) DEFAULT 0 NOT NULL,
    weight numeric(5,2) DEFAULT 1 NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    completed_at timestamp with time zone,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, ((COALESCE(title, ''::text) || ' '::text) || COALESCE(description, ''::text)))) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT goals_check CHECK ((period_end >= period_start)),
    CONSTRAINT goals_check1 CHECK ((parent_id IS DISTINCT FROM id)),
    CONSTRAINT goals_goal_type_check CHECK ((goal_type = ANY (ARRAY['INDIVIDUAL'::text, 'TEAM'::text, 'DEPARTMENT'::text, 'COMPANY'::text, 'OKR_OBJECTIVE'::text]))),
    CONSTRAINT goals_progress_check CHECK (((progress >= (0)::numeric) AND (progress <= (100)::numeric))),
    CONSTRAINT goals_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'ACTIVE'::text, 'AT_RISK'::text, 'ON_HOLD'::text, 'COMPLETED'::text, 'CANCELLED'::text]))),
    CONSTRAINT goals_title_check CHECK ((length(TRIM(BOTH FROM title)) > 0)),
    CONSTRAINT goals_visibility_check CHECK ((visibility = ANY (ARRAY['PUBLIC'::text, 'TEAM'::text, 'PRIVATE'::text]))),
    CONSTRAINT goals_weight_check CHECK ((weight > (0)::numeric))
);

ALTER TABLE ONLY pms_parts.goals_default FORCE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.goals_default OWNER TO pms_owner;

CREATE TABLE public.key_results (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    goal_id uuid NOT NULL,
    owner_id uuid,
    title text NOT NULL,
    metric_type text DEFAULT 'NUMBER'::text NOT NULL,
    start_value numeric(14,2) DEFAULT 0 NOT NULL,
    target_value numeric(14,2) NOT NULL,
    current_value numeric(14,2) DEFAULT 0 NOT NULL,
    unit text,
    status text DEFAULT 'ON_TRACK'::text NOT NULL,
    confidence smallint,
    due_date date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT key_results_confidence_check CHECK (((confidence >= 0) AND (confidence <= 10))),
    CONSTRAINT key_results_metric_type_check CHECK ((metric_type = ANY (ARRAY['NUMBER'::text, 'PERCENT'::text, 'CURRENCY'::text, 'BOOLEAN'::text, 'MILESTONE'::text]))),
    CONSTRAINT key_results_status_check CHECK ((status = ANY (ARRAY['ON_TRACK'::text, 'AT_RISK'::text, 'OFF_TRACK'::text, 'ACHIEVED'::text, 'MISSED'::text]))),
    CONSTRAINT key_results_title_check CHECK ((length(TRIM(BOTH FROM title)) > 0))
)
PARTITION BY LIST (tenant_id);

ALTER TABLE ONLY public.key_results FORCE ROW LEVEL SECURITY;

ALTER TABLE public.key_results OWNER TO pms_owner;

CREATE TABLE pms_parts.key_results_default (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    goal_id uuid NOT NULL,
    owner_id uuid,
    title text NOT NULL,
    metric_type text DEFAULT 'NUMBER'::text NOT NULL,
    start_value numeric(14,2) DEFAULT 0 NOT NULL,
    target_value numeric(14,2) NOT NULL,
    current_value numeric(14,2) DEFAULT 0 NOT NULL,
    unit text,
    status text DEFAULT 'ON_TRACK'::text NOT NULL,
    confidence smallint,
    due_date date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT key_results_confidence_check CHECK (((confidence >= 0) AND (confidence <= 10))),
    CONSTRAINT key_results_metric_type_check CHECK ((metric_type = ANY (ARRAY['NUMBER'::text, 'PERCENT'::text, 'CURRENCY'::text, 'BOOLEAN'::text, 'MILESTONE'::text]))),
    CONSTRAINT key_results_status_check CHECK ((status = ANY (ARRAY['ON_TRACK'::text, 'AT_RISK'::text, 'OFF_TRACK'::text, 'ACHIEVED'::text, 'MISSED'::text]))),
    CONSTRAINT key_results_title_check CHECK ((length(TRIM(BOTH FROM title)) > 0))
);

ALTER TABLE ONLY pms_parts.key_results_default FORCE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.key_results_default OWNER TO pms_owner;

CREATE TABLE public.one_on_ones (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    manager_id uuid NOT NULL,
    employee_id uuid NOT NULL,
    scheduled_at timestamp with time zone NOT NULL,
    duration_minutes smallint DEFAULT 30 NOT NULL,
    status text DEFAULT 'SCHEDULED'::text NOT NULL,
    recurrence text DEFAULT 'NONE'::text NOT NULL,
    shared_notes text,
    mood smallint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    completed_at timestamp with time zone,
    cancelled_at timestamp with time zone,
    cancellation_reason text,
    CONSTRAINT one_on_ones_cancellation_reason_check CHECK ((length(cancellation_reason) <= 2000)),
    CONSTRAINT one_on_ones_check CHECK ((manager_id <> employee_id)),
    CONSTRAINT one_on_ones_duration_minutes_check CHECK (((duration_minutes >= 5) AND (duration_minutes <= 480))),
    CONSTRAINT one_on_ones_mood_check CHECK (((mood >= 1) AND (mood <= 5))),
    CONSTRAINT one_on_ones_recurrence_check CHECK ((recurrence = ANY (ARRAY['NONE'::text, 'WEEKLY'::text, 'BIWEEKLY'::text, 'MONTHLY'::text]))),
    CONSTRAINT one_on_ones_status_check CHECK ((status = ANY (ARRAY['SCHEDULED'::text, 'COMPLETED'::text, 'CANCELLED'::text, 'RESCHEDULED'::text])))
)
PARTITION BY LIST (tenant_id);

ALTER TABLE ONLY public.one_on_ones FORCE ROW LEVEL SECURITY;

ALTER TABLE public.one_on_ones OWNER TO pms_owner;

CREATE TABLE pms_parts.one_on_ones_default (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    manager_id uuid NOT NULL,
    employee_id uuid NOT NULL,
    scheduled_at timestamp with time zone NOT NULL,
    duration_minutes smallint DEFAULT 30 NOT NULL,
    status text DEFAULT 'SCHEDULED'::text NOT NULL,
    recurrence text DEFAULT 'NONE'::text NOT NULL,
    shared_notes text,
    mood smallint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    completed_at timestamp with time zone,
    cancelled_at timestamp with time zone,
    cancellation_reason text,
    CONSTRAINT one_on_ones_cancellation_reason_check CHECK ((length(cancellation_reason) <= 2000)),
    CONSTRAINT one_on_ones_check CHECK ((manager_id <> employee_id)),
    CONSTRAINT one_on_ones_duration_minutes_check CHECK (((duration_minutes >= 5) AND (duration_minutes <= 480))),
    CONSTRAINT one_on_ones_mood_check CHECK (((mood >= 1) AND (mood <= 5))),
    CONSTRAINT one_on_ones_recurrence_check CHECK ((recurrence = ANY (ARRAY['NONE'::text, 'WEEKLY'::text, 'BIWEEKLY'::text, 'MONTHLY'::text]))),
    CONSTRAINT one_on_ones_status_check CHECK ((status = ANY (ARRAY['SCHEDULED'::text, 'COMPLETED'::text, 'CANCELLED'::text, 'RESCHEDULED'::text])))
);

ALTER TABLE ONLY pms_parts.one_on_ones_default FORCE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.one_on_ones_default OWNER TO pms_owner;

CREATE TABLE public.performance_reviews (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    cycle_id uuid NOT NULL,
    reviewee_id uuid NOT NULL,
    reviewer_id uuid,
    template_id uuid,
    review_type text DEFAULT 'SELF'::text NOT NULL,
    status text DEFAULT 'NOT_STARTED'::text NOT NULL,
    overall_rating numeric(3,2),
    summary text,
    strengths text,
    improvements text,
    answers jsonb DEFAULT '{}'::jsonb NOT NULL,
    submitted_at timestamp with time zone,
    shared_at timestamp with time zone,
    acknowledged_at timestamp with time zone,
    due_date date,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, ((((COALESCE(summary, ''::text) || ' '::text) || COALESCE(strengths, ''::text)) || ' '::text) || COALESCE(improvements, ''::text)))) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT performance_reviews_overall_rating_check CHECK (((overall_rating >= (0)::numeric) AND (overall_rating <= (5)::numeric))),
    CONSTRAINT performance_reviews_review_type_check CHECK ((review_type = ANY (ARRAY['SELF'::text, 'MANAGER'::text, 'PEER'::text, 'UPWARD'::text, 'FULL_360'::text]))),
    CONSTRAINT performance_reviews_status_check CHECK ((status = ANY (ARRAY['NOT_STARTED'::text, 'IN_PROGRESS'::text, 'SUBMITTED'::text, 'CALIBRATED'::text, 'FINALIZED'::text, 'SHARED'::text, 'ACKNOWLEDGED'::text])))
)
PARTITION BY LIST (tenant_id);

ALTER TABLE ONLY public.performance_reviews FORCE ROW LEVEL SECURITY;

ALTER TABLE public.performance_reviews OWNER TO pms_owner;

CREATE TABLE pms_parts.performance_reviews_default (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    cycle_id uuid NOT NULL,
    reviewee_id uuid NOT NULL,
    reviewer_id uuid,
    template_id uuid,
    review_type text DEFAULT 'SELF'::text NOT NULL,
    status text DEFAULT 'NOT_STARTED'::text NOT NULL,
    overall_rating numeric(3,2),
    summary text,
    strengths text,
    improvements text,
    answers jsonb DEFAULT '{}'::jsonb NOT NULL,
    submitted_at timestamp with time zone,
    shared_at timestamp with time zone,
    acknowledged_at timestamp with time zone,
    due_date date,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, ((((COALESCE(summary, ''::text) || ' '::text) || COALESCE(strengths, ''::text)) || ' '::text) || COALESCE(improvements, ''::text)))) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT performance_reviews_overall_rating_check CHECK (((overall_rating >= (0)::numeric) AND (overall_rating <= (5)::numeric))),
    CONSTRAINT performance_reviews_review_type_check CHECK ((review_type = ANY (ARRAY['SELF'::text, 'MANAGER'::text, 'PEER'::text, 'UPWARD'::text, 'FULL_360'::text]))),
    CONSTRAINT performance_reviews_status_check CHECK ((status = ANY (ARRAY['NOT_STARTED'::text, 'IN_PROGRESS'::text, 'SUBMITTED'::text, 'CALIBRATED'::text, 'FINALIZED'::text, 'SHARED'::text, 'ACKNOWLEDGED'::text])))
);

ALTER TABLE ONLY pms_parts.performance_reviews_default FORCE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.performance_reviews_default OWNER TO pms_owner;

CREATE TABLE public.reporting_lines (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    employee_id uuid NOT NULL,
    manager_id uuid NOT NULL,
    line_type text DEFAULT 'SOLID'::text NOT NULL,
    is_primary boolean DEFAULT false NOT NULL,
    starts_on date DEFAULT CURRENT_DATE NOT NULL,
    ends_on date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reporting_lines_check CHECK ((employee_id <> manager_id)),
    CONSTRAINT reporting_lines_check1 CHECK (((ends_on IS NULL) OR (ends_on >= starts_on))),
    CONSTRAINT reporting_lines_line_type_check CHECK ((line_type = ANY (ARRAY['SOLID'::text, 'DOTTED'::text, 'FUNCTIONAL'::text, 'PROJECT'::text])))
)
PARTITION BY LIST (tenant_id);

ALTER TABLE ONLY public.reporting_lines FORCE ROW LEVEL SECURITY;

ALTER TABLE public.reporting_lines OWNER TO pms_owner;

CREATE TABLE pms_parts.reporting_lines_default (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    employee_id uuid NOT NULL,
    manager_id uuid NOT NULL,
    line_type text DEFAULT 'SOLID'::text NOT NULL,
    is_primary boolean DEFAULT false NOT NULL,
    starts_on date DEFAULT CURRENT_DATE NOT NULL,
    ends_on date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reporting_lines_check CHECK ((employee_id <> manager_id)),
    CONSTRAINT reporting_lines_check1 CHECK (((ends_on IS NULL) OR (ends_on >= starts_on))),
    CONSTRAINT reporting_lines_line_type_check CHECK ((line_type = ANY (ARRAY['SOLID'::text, 'DOTTED'::text, 'FUNCTIONAL'::text, 'PROJECT'::text])))
);

ALTER TABLE ONLY pms_parts.reporting_lines_default FORCE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.reporting_lines_default OWNER TO pms_owner;

CREATE TABLE public.team_members (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    team_id uuid NOT NULL,
    user_id uuid NOT NULL,
    member_role text DEFAULT 'MEMBER'::text NOT NULL,
    allocation_pct smallint DEFAULT 100 NOT NULL,
    joined_on date DEFAULT CURRENT_DATE NOT NULL,
    left_on date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT team_members_allocation_pct_check CHECK (((allocation_pct >= 1) AND (allocation_pct <= 100))),
    CONSTRAINT team_members_check CHECK (((left_on IS NULL) OR (left_on >= joined_on))),
    CONSTRAINT team_members_member_role_check CHECK ((member_role = ANY (ARRAY['LEAD'::text, 'MEMBER'::text, 'CONTRIBUTOR'::text])))
)
PARTITION BY LIST (tenant_id);

ALTER TABLE ONLY public.team_members FORCE ROW LEVEL SECURITY;

ALTER TABLE public.team_members OWNER TO pms_owner;

CREATE TABLE pms_parts.team_members_default (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    team_id uuid NOT NULL,
    user_id uuid NOT NULL,
    member_role text DEFAULT 'MEMBER'::text NOT NULL,
    allocation_pct smallint DEFAULT 100 NOT NULL,
    joined_on date DEFAULT CURRENT_DATE NOT NULL,
    left_on date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT team_members_allocation_pct_check CHECK (((allocation_pct >= 1) AND (allocation_pct <= 100))),
    CONSTRAINT team_members_check CHECK (((left_on IS NULL) OR (left_on >= joined_on))),
    CONSTRAINT team_members_member_role_check CHECK ((member_role = ANY (ARRAY['LEAD'::text, 'MEMBER'::text, 'CONTRIBUTOR'::text])))
);

ALTER TABLE ONLY pms_parts.team_members_default FORCE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.team_members_default OWNER TO pms_owner;

CREATE TABLE public.teams (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    team_type text DEFAULT 'FUNCTIONAL'::text NOT NULL,
    department_id uuid,
    lead_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT teams_code_check CHECK (((length(code) >= 1) AND (length(code) <= 32))),
    CONSTRAINT teams_name_check CHECK ((length(TRIM(BOTH FROM name)) > 0)),
    CONSTRAINT teams_team_type_check CHECK ((team_type = ANY (ARRAY['FUNCTIONAL'::text, 'PROJECT'::text, 'CROSS_FUNCTIONAL'::text, 'VIRTUAL'::text])))
)
PARTITION BY LIST (tenant_id);

ALTER TABLE ONLY public.teams FORCE ROW LEVEL SECURITY;

ALTER TABLE public.teams OWNER TO pms_owner;

CREATE TABLE pms_parts.teams_default (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    team_type text DEFAULT 'FUNCTIONAL'::text NOT NULL,
    department_id uuid,
    lead_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT teams_code_check CHECK (((length(code) >= 1) AND (length(code) <= 32))),
    CONSTRAINT teams_name_check CHECK ((length(TRIM(BOTH FROM name)) > 0)),
    CONSTRAINT teams_team_type_check CHECK ((team_type = ANY (ARRAY['FUNCTIONAL'::text, 'PROJECT'::text, 'CROSS_FUNCTIONAL'::text, 'VIRTUAL'::text])))
);

ALTER TABLE ONLY pms_parts.teams_default FORCE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.teams_default OWNER TO pms_owner;

CREATE TABLE public.user_roles (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    role_id uuid NOT NULL,
    granted_by uuid,
    granted_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
)
PARTITION BY LIST (tenant_id);

ALTER TABLE ONLY public.user_roles FORCE ROW LEVEL SECURITY;

ALTER TABLE public.user_roles OWNER TO pms_owner;

CREATE TABLE pms_parts.user_roles_default (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    role_id uuid NOT NULL,
    granted_by uuid,
    granted_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY pms_parts.user_roles_default FORCE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.user_roles_default OWNER TO pms_owner;

CREATE TABLE pms_retention.erasure_rules (
    table_name text NOT NULL,
    column_name name NOT NULL,
    action text NOT NULL,
    entity_type text,
    tier text,
    pseudonymise_when text,
    reason text NOT NULL,
    CONSTRAINT erasure_rule_compliance_names_a_type CHECK (((action = 'COMPLIANCE'::text) = (entity_type IS NOT NULL))),
    CONSTRAINT erasure_rule_condition_on_delete CHECK (((pseudonymise_when IS NULL) OR (action = 'DELETE'::text))),
    CONSTRAINT erasure_rule_tier_named CHECK (((action = 'TIER'::text) = (tier IS NOT NULL))),
    CONSTRAINT erasure_rules_action_check CHECK ((action = ANY (ARRAY['DELETE'::text, 'COMPLIANCE'::text, 'PSEUDONYMISE'::text, 'REMOVE'::text, 'SCRUB'::text, 'TIER'::text, 'NONE'::text]))),
    CONSTRAINT erasure_rules_reason_check CHECK ((length(TRIM(BOTH FROM reason)) > 0)),
    CONSTRAINT erasure_rules_table_name_check CHECK ((table_name ~ '^[a-z_][a-z0-9_.]*$'::text)),
    CONSTRAINT erasure_rules_tier_check CHECK ((tier = ANY (ARRAY['timeseries'::text, 'audit'::text, 'archive'::text])))
);

ALTER TABLE pms_retention.erasure_rules OWNER TO pms_owner;

CREATE TABLE public.users (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    display_name text,
    password_hash text,
    job_title text,
    employee_number text,
    department_id uuid,
    business_unit_id uuid,
    cost_center_id uuid,
    manager_id uuid,
    level smallint,
    employment_type text DEFAULT 'FULL_TIME'::text NOT NULL,
    status text DEFAULT 'ACTIVE'::text NOT NULL,
    hire_date date,
    termination_date date,
    locale text DEFAULT 'en'::text NOT NULL,
    timezone text DEFAULT 'UTC'::text NOT NULL,
    last_login_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT users_check CHECK ((manager_id IS DISTINCT FROM id)),
    CONSTRAINT users_check1 CHECK (((termination_date IS NULL) OR (hire_date IS NULL) OR (termination_date >= hire_date))),
    CONSTRAINT users_email_check CHECK (((email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'::text) AND (email = lower(email)))),
    CONSTRAINT users_employment_type_check CHECK ((employment_type = ANY (ARRAY['FULL_TIME'::text, 'PART_TIME'::text, 'CONTRACTOR'::text, 'INTERN'::text]))),
    CONSTRAINT users_first_name_check CHECK ((length(TRIM(BOTH FROM first_name)) > 0)),
    CONSTRAINT users_last_name_check CHECK ((length(TRIM(BOTH FROM last_name)) > 0)),
    CONSTRAINT users_level_check CHECK (((level >= 1) AND (level <= 20))),
    CONSTRAINT users_status_check CHECK ((status = ANY (ARRAY['INVITED'::text, 'ACTIVE'::text, 'ON_LEAVE'::text, 'DISABLED'::text, 'TERMINATED'::text])))
);

ALTER TABLE ONLY public.users FORCE ROW LEVEL SECURITY;

ALTER TABLE public.users OWNER TO pms_owner;

CREATE VIEW pms_retention.erasure_coverage WITH (security_invoker='true') AS
 WITH tables AS (
         SELECT (c.oid)::regclass AS rel,
                CASE
                    WHEN (n_1.nspname = 'public'::name) THEN (c.relname)::text
                    ELSE (((n_1.nspname)::text || '.'::text) || (c.relname)::text)
                END AS table_name
           FROM (pg_class c
             JOIN pg_namespace n_1 ON ((n_1.oid = c.relnamespace)))
          WHERE ((c.relkind = ANY (ARRAY['r'::"char", 'p'::"char"])) AND (NOT c.relispartition) AND (((n_1.nspname = ANY (ARRAY['public'::name, 'timeseries'::name])) AND (EXISTS ( SELECT 1
                   FROM pg_attribute a
                  WHERE ((a.attrelid = c.oid) AND (a.attname = 'tenant_id'::name) AND (NOT a.attisdropped))))) OR (EXISTS ( SELECT 1
                   FROM pg_constraint k
                  WHERE ((k.conrelid = c.oid) AND (k.contype = 'f'::"char") AND (k.confrelid = ('public.users'::regclass)::oid))))))
        ), needed AS (
         SELECT t.table_name,
            a.attname AS column_name,
            a.attnum,
            format_type(a.atttypid, a.atttypmod) AS column_type,
            pms_retention.erasure_rule_needed(t.rel, a.attname) AS why
           FROM (tables t
             JOIN pg_attribute a ON (((a.attrelid = (t.rel)::oid) AND (a.attnum > 0) AND (NOT a.attisdropped))))
        )
 SELECT n.table_name,
    n.column_name,
    n.column_type,
    n.why,
    r.action,
    r.entity_type,
    r.tier,
    r.pseudonymise_when,
    r.reason
   FROM (needed n
     LEFT JOIN pms_retention.erasure_rules r ON (((r.table_name = n.table_name) AND (r.column_name = n.column_name))))
  WHERE (n.why IS NOT NULL)
  ORDER BY n.table_name, n.attnum;

ALTER TABLE pms_retention.erasure_coverage OWNER TO pms_owner;

CREATE TABLE pms_retention.erasure_hooks (
    name text NOT NULL,
    function regproc NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE pms_retention.erasure_hooks OWNER TO pms_owner;

CREATE VIEW pms_retention.erasure_rule_problems WITH (security_invoker='true') AS
 SELECT p.table_name,
    p.column_name,
    p.problem
   FROM ( SELECT r.table_name,
            r.column_name,
                CASE
                    WHEN (pms_retention.rule_table(r.table_name) IS NULL) THEN
                    CASE
                        WHEN (r.action <> 'TIER'::text) THEN 'no such table'::text
                        ELSE NULL::text
                    END
                    WHEN (a.attname IS NULL) THEN 'no such column'::text
                    WHEN ((r.action = ANY (ARRAY['DELETE'::text, 'COMPLIANCE'::text, 'PSEUDONYMISE'::text])) AND (a.atttypid <> ALL (ARRAY[('uuid'::regtype)::oid, ('uuid[]'::regtype)::oid]))) THEN ((r.action || ' needs a uuid or uuid[] column, not '::text) || format_type(a.atttypid, a.atttypmod))
                    WHEN ((r.action = 'REMOVE'::text) AND (a.atttypid <> ALL (ARRAY[('uuid[]'::regtype)::oid, ('text[]'::regtype)::oid]))) THEN ('REMOVE needs a uuid[] or text[] column, not '::text || format_type(a.atttypid, a.atttypmod))
                    WHEN ((r.action = 'SCRUB'::text) AND (a.atttypid <> ALL (ARRAY[('text'::regtype)::oid, ('character varying'::regtype)::oid, ('text[]'::regtype)::oid, ('jsonb'::regtype)::oid]))) THEN ('SCRUB needs a text, text[] or jsonb column, not '::text || format_type(a.atttypid, a.atttypmod))
                    ELSE NULL::text
                END AS problem
           FROM (pms_retention.erasure_rules r
             LEFT JOIN pg_attribute a ON (((a.attrelid = (pms_retention.rule_table(r.table_name))::oid) AND (a.attname = r.column_name) AND (a.attnum > 0) AND (NOT a.attisdropped))))) p
  WHERE (p.problem IS NOT NULL);

ALTER TABLE pms_retention.erasure_rule_problems OWNER TO pms_owner;

CREATE TABLE public.access_policies (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    role_id uuid,
    resource text NOT NULL,
    action text NOT NULL,
    effect text DEFAULT 'ALLOW'::text NOT NULL,
    scope text DEFAULT 'SELF'::text NOT NULL,
    conditions jsonb DEFAULT '{}'::jsonb NOT NULL,
    priority integer DEFAULT 100 NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT access_policies_action_check CHECK ((action = ANY (ARRAY['READ'::text, 'CREATE'::text, 'UPDATE'::text, 'DELETE'::text, 'APPROVE'::text, 'EXPORT'::text, 'ALL'::text]))),
    CONSTRAINT access_policies_effect_check CHECK ((effect = ANY (ARRAY['ALLOW'::text, 'DENY'::text]))),
    CONSTRAINT access_policies_resource_check CHECK ((resource ~ '^[a-z_]+$'::text)),
    CONSTRAINT access_policies_scope_check CHECK ((scope = ANY (ARRAY['SELF'::text, 'TEAM'::text, 'DEPARTMENT'::text, 'BUSINESS_UNIT'::text, 'TENANT'::text])))
);

ALTER TABLE ONLY public.access_policies FORCE ROW LEVEL SECURITY;

ALTER TABLE public.access_policies OWNER TO pms_owner;

CREATE TABLE public.activity_events (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    project_id uuid,
    source text NOT NULL,
    event_type text NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT activity_events_event_type_check CHECK ((event_type ~ '^[a-z0-9_.]+$'::text)),
    CONSTRAINT activity_events_source_check CHECK ((source ~ '^[a-z0-9_]+$'::text))
);

ALTER TABLE ONLY public.activity_events FORCE ROW LEVEL SECURITY;

ALTER TABLE public.activity_events OWNER TO pms_owner;

CREATE TABLE public.alerts (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    recipient_id uuid NOT NULL,
    kpi_id uuid,
    anomaly_id uuid,
    alert_type text DEFAULT 'KPI_THRESHOLD'::text NOT NULL,
    severity text DEFAULT 'INFO'::text NOT NULL,
    title text NOT NULL,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    resolved_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT alerts_alert_type_check CHECK ((alert_type = ANY (ARRAY['KPI_THRESHOLD'::text, 'ANOMALY'::text, 'WORKLOAD'::text, 'SENTIMENT'::text, 'DEADLINE'::text, 'SYSTEM'::text]))),
    CONSTRAINT alerts_severity_check CHECK ((severity = ANY (ARRAY['INFO'::text, 'WARNING'::text, 'CRITICAL'::text])))
);

ALTER TABLE ONLY public.alerts FORCE ROW LEVEL SECURITY;

ALTER TABLE public.alerts OWNER TO pms_owner;

CREATE TABLE public.anomaly_detections (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    pattern_id uuid,
    model_id uuid,
    user_id uuid,
    team_id uuid,
    detected_at timestamp with time zone DEFAULT now() NOT NULL,
    score numeric(6,4) NOT NULL,
    status text DEFAULT 'NEW'::text NOT NULL,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT anomaly_detections_status_check CHECK ((status = ANY (ARRAY['NEW'::text, 'CONFIRMED'::text, 'FALSE_POSITIVE'::text, 'RESOLVED'::text])))
);

ALTER TABLE ONLY public.anomaly_detections FORCE ROW LEVEL SECURITY;

ALTER TABLE public.anomaly_detections OWNER TO pms_owner;

CREATE TABLE public.anomaly_patterns (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    description text,
    rule jsonb DEFAULT '{}'::jsonb NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT anomaly_patterns_code_check CHECK ((code ~ '^[a-z0-9_]+$'::text))
);

ALTER TABLE ONLY public.anomaly_patterns FORCE ROW LEVEL SECURITY;

ALTER TABLE public.anomaly_patterns OWNER TO pms_owner;

CREATE TABLE public.api_idempotency_keys (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    key text NOT NULL,
    request_hash bytea NOT NULL,
    status smallint,
    response jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT api_idempotency_keys_key_check CHECK (((length(key) >= 1) AND (length(key) <= 200))),
    CONSTRAINT api_idempotency_keys_request_hash_check CHECK ((length(request_hash) = 32))
);

ALTER TABLE ONLY public.api_idempotency_keys FORCE ROW LEVEL SECURITY;

ALTER TABLE public.api_idempotency_keys OWNER TO pms_owner;

CREATE TABLE public.archive_batches (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    entity_type text NOT NULL,
    object_key text NOT NULL,
    status text DEFAULT 'WRITING'::text NOT NULL,
    row_count integer NOT NULL,
    object_bytes bigint NOT NULL,
    raw_bytes bigint NOT NULL,
    object_sha256 text NOT NULL,
    created_min timestamp with time zone NOT NULL,
    created_max timestamp with time zone NOT NULL,
    archived_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT archive_batches_check CHECK ((created_max >= created_min)),
    CONSTRAINT archive_batches_object_bytes_check CHECK ((object_bytes >= 0)),
    CONSTRAINT archive_batches_object_sha256_check CHECK ((object_sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT archive_batches_raw_bytes_check CHECK ((raw_bytes >= 0)),
    CONSTRAINT archive_batches_row_count_check CHECK ((row_count >= 0)),
    CONSTRAINT archive_batches_status_check CHECK ((status = ANY (ARRAY['WRITING'::text, 'ARCHIVED'::text, 'RETIRING'::text])))
);

ALTER TABLE ONLY public.archive_batches FORCE ROW LEVEL SECURITY;

ALTER TABLE public.archive_batches OWNER TO pms_owner;

CREATE TABLE public.archive_pending (
    tenant_id uuid NOT NULL,
    entity_type text NOT NULL,
    id text NOT NULL,
    data jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    person_ids uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    queued_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY public.archive_pending FORCE ROW LEVEL SECURITY;

ALTER TABLE public.archive_pending OWNER TO pms_owner;

CREATE TABLE public.archived_entities (
    tenant_id uuid NOT NULL,
    entity_type text NOT NULL,
    id text NOT NULL,
    batch_id uuid NOT NULL,
    frame_offset bigint NOT NULL,
    frame_length integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    person_ids uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    archived_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT archived_entities_frame_length_check CHECK ((frame_length > 0)),
    CONSTRAINT archived_entities_frame_offset_check CHECK ((frame_offset >= 0))
);

ALTER TABLE ONLY public.archived_entities FORCE ROW LEVEL SECURITY;

ALTER TABLE public.archived_entities OWNER TO pms_owner;

CREATE TABLE public.assessment_cycles (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    cycle_type text DEFAULT 'SKILLS'::text NOT NULL,
    status text DEFAULT 'PLANNED'::text NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT assessment_cycles_check CHECK ((ends_on >= starts_on)),
    CONSTRAINT assessment_cycles_cycle_type_check CHECK ((cycle_type = ANY (ARRAY['SKILLS'::text, 'LEADERSHIP'::text, 'COMPLIANCE'::text, 'INNOVATION'::text, 'MIXED'::text]))),
    CONSTRAINT assessment_cycles_status_check CHECK ((status = ANY (ARRAY['PLANNED'::text, 'OPEN'::text, 'CLOSED'::text])))
);

ALTER TABLE ONLY public.assessment_cycles FORCE ROW LEVEL SECURITY;

ALTER TABLE public.assessment_cycles OWNER TO pms_owner;

CREATE TABLE public.audit_chain_heads (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    stream text NOT NULL,
    seq bigint DEFAULT 0 NOT NULL,
    hash bytea,
    anchor_seq bigint DEFAULT 0 NOT NULL,
    anchor_hash bytea,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT audit_chain_heads_anchor_hash_check CHECK ((length(anchor_hash) = 32)),
    CONSTRAINT audit_chain_heads_check CHECK (((anchor_seq >= 0) AND (anchor_seq <= seq))),
    CONSTRAINT audit_chain_heads_hash_check CHECK ((length(hash) = 32)),
    CONSTRAINT audit_chain_heads_seq_check CHECK ((seq >= 0)),
    CONSTRAINT audit_chain_heads_stream_check CHECK ((stream = ANY (ARRAY['audit'::text, 'security'::text])))
);

ALTER TABLE ONLY public.audit_chain_heads FORCE ROW LEVEL SECURITY;

ALTER TABLE public.audit_chain_heads OWNER TO pms_owner;

CREATE TABLE public.background_jobs (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    job_type text NOT NULL,
    status text DEFAULT 'QUEUED'::text NOT NULL,
    priority smallint DEFAULT 0 NOT NULL,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL,
    attempts smallint DEFAULT 0 NOT NULL,
    max_attempts smallint DEFAULT 5 NOT NULL,
    run_after timestamp with time zone DEFAULT now() NOT NULL,
    locked_at timestamp with time zone,
    finished_at timestamp with time zone,
    last_error text,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT background_jobs_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT background_jobs_job_type_check CHECK ((job_type ~ '^[a-z0-9_.]+$'::text)),
    CONSTRAINT background_jobs_max_attempts_check CHECK ((max_attempts > 0)),
    CONSTRAINT background_jobs_status_check CHECK ((status = ANY (ARRAY['QUEUED'::text, 'RUNNING'::text, 'SUCCEEDED'::text, 'FAILED'::text, 'CANCELLED'::text])))
);

ALTER TABLE ONLY public.background_jobs FORCE ROW LEVEL SECURITY;

ALTER TABLE public.background_jobs OWNER TO pms_owner;

CREATE TABLE public.behavioral_competency_scores (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    competency_id uuid,
    cycle_id uuid,
    dimension text NOT NULL,
    score numeric(4,2) NOT NULL,
    evidence_count smallint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT behavioral_competency_scores_score_check CHECK (((score >= (0)::numeric) AND (score <= (5)::numeric)))
);

ALTER TABLE ONLY public.behavioral_competency_scores FORCE ROW LEVEL SECURITY;

ALTER TABLE public.behavioral_competency_scores OWNER TO pms_owner;

CREATE TABLE public.benchmark_comparisons (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    benchmark_id uuid NOT NULL,
    user_id uuid,
    department_id uuid,
    value numeric(14,4) NOT NULL,
    percentile numeric(5,2),
    compared_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT benchmark_comparisons_percentile_check CHECK (((percentile >= (0)::numeric) AND (percentile <= (100)::numeric)))
);

ALTER TABLE ONLY public.benchmark_comparisons FORCE ROW LEVEL SECURITY;

ALTER TABLE public.benchmark_comparisons OWNER TO pms_owner;

CREATE TABLE public.benchmarks (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    metric text NOT NULL,
    source text DEFAULT 'INDUSTRY'::text NOT NULL,
    segment text DEFAULT 'all'::text NOT NULL,
    period_start date NOT NULL,
    p25 numeric(14,4),
    p50 numeric(14,4) NOT NULL,
    p75 numeric(14,4),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT benchmarks_source_check CHECK ((source = ANY (ARRAY['INDUSTRY'::text, 'INTERNAL'::text, 'PEER_GROUP'::text])))
);

ALTER TABLE ONLY public.benchmarks FORCE ROW LEVEL SECURITY;

ALTER TABLE public.benchmarks OWNER TO pms_owner;

CREATE TABLE public.business_units (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    head_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT business_units_code_check CHECK (((length(code) >= 1) AND (length(code) <= 32))),
    CONSTRAINT business_units_name_check CHECK ((length(TRIM(BOTH FROM name)) > 0))
);

ALTER TABLE ONLY public.business_units FORCE ROW LEVEL SECURITY;

ALTER TABLE public.business_units OWNER TO pms_owner;

CREATE TABLE public.calibration_participants (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    session_id uuid NOT NULL,
    user_id uuid NOT NULL,
    participant_role text DEFAULT 'CALIBRATOR'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT calibration_participants_participant_role_check CHECK ((participant_role = ANY (ARRAY['CALIBRATOR'::text, 'FACILITATOR'::text, 'OBSERVER'::text, 'HR_PARTNER'::text])))
);

ALTER TABLE ONLY public.calibration_participants FORCE ROW LEVEL SECURITY;

ALTER TABLE public.calibration_participants OWNER TO pms_owner;

CREATE TABLE public.calibration_ratings (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    session_id uuid NOT NULL,
    review_id uuid NOT NULL,
    employee_id uuid NOT NULL,
    adjusted_by uuid,
    original_rating numeric(3,2) NOT NULL,
    adjusted_rating numeric(3,2),
    rationale text,
    status text DEFAULT 'PROPOSED'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT calibration_ratings_adjusted_rating_check CHECK (((adjusted_rating >= (0)::numeric) AND (adjusted_rating <= (5)::numeric))),
    CONSTRAINT calibration_ratings_check CHECK (((adjusted_rating IS NULL) OR (adjusted_rating = original_rating) OR (rationale IS NOT NULL))),
    CONSTRAINT calibration_ratings_original_rating_check CHECK (((original_rating >= (0)::numeric) AND (original_rating <= (5)::numeric))),
    CONSTRAINT calibration_ratings_rationale_not_blank CHECK (((adjusted_rating IS NULL) OR (adjusted_rating = original_rating) OR (length(btrim(rationale)) > 0))),
    CONSTRAINT calibration_ratings_status_check CHECK ((status = ANY (ARRAY['PROPOSED'::text, 'ACCEPTED'::text, 'REJECTED'::text])))
);

ALTER TABLE ONLY public.calibration_ratings FORCE ROW LEVEL SECURITY;

ALTER TABLE public.calibration_ratings OWNER TO pms_owner;

CREATE TABLE public.calibration_sessions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    cycle_id uuid NOT NULL,
    facilitator_id uuid,
    department_id uuid,
    name text NOT NULL,
    status text DEFAULT 'PLANNED'::text NOT NULL,
    scheduled_at timestamp with time zone,
    target_distribution jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT calibration_sessions_status_check CHECK ((status = ANY (ARRAY['PLANNED'::text, 'IN_PROGRESS'::text, 'COMPLETED'::text, 'CANCELLED'::text])))
);

ALTER TABLE ONLY public.calibration_sessions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.calibration_sessions OWNER TO pms_owner;

CREATE TABLE public.career_path_steps (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    path_id uuid NOT NULL,
    "position" smallint NOT NULL,
    title text NOT NULL,
    level smallint NOT NULL,
    requirements jsonb DEFAULT '{}'::jsonb NOT NULL,
    typical_months smallint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT career_path_steps_level_check CHECK (((level >= 1) AND (level <= 20))),
    CONSTRAINT career_path_steps_position_check CHECK (("position" > 0)),
    CONSTRAINT career_path_steps_typical_months_check CHECK ((typical_months > 0))
);

ALTER TABLE ONLY public.career_path_steps FORCE ROW LEVEL SECURITY;

ALTER TABLE public.career_path_steps OWNER TO pms_owner;

CREATE TABLE public.career_paths (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    track text DEFAULT 'INDIVIDUAL_CONTRIBUTOR'::text NOT NULL,
    department_id uuid,
    description text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT career_paths_track_check CHECK ((track = ANY (ARRAY['INDIVIDUAL_CONTRIBUTOR'::text, 'MANAGEMENT'::text, 'SPECIALIST'::text])))
);

ALTER TABLE ONLY public.career_paths FORCE ROW LEVEL SECURITY;

ALTER TABLE public.career_paths OWNER TO pms_owner;

CREATE TABLE public.communication_sentiments (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    channel text NOT NULL,
    day date NOT NULL,
    sentiment_score numeric(4,3) NOT NULL,
    message_count integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT communication_sentiments_channel_check CHECK ((channel = ANY (ARRAY['EMAIL'::text, 'CHAT'::text, 'MEETING'::text, 'CODE_REVIEW'::text, 'OTHER'::text]))),
    CONSTRAINT communication_sentiments_sentiment_score_check CHECK (((sentiment_score >= ('-1'::integer)::numeric) AND (sentiment_score <= (1)::numeric)))
);

ALTER TABLE ONLY public.communication_sentiments FORCE ROW LEVEL SECURITY;

ALTER TABLE public.communication_sentiments OWNER TO pms_owner;

CREATE TABLE public.compensation_decisions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    employee_id uuid NOT NULL,
    cycle_id uuid,
    decided_by uuid,
    approved_by uuid,
    decision_type text DEFAULT 'MERIT_INCREASE'::text NOT NULL,
    status text DEFAULT 'PROPOSED'::text NOT NULL,
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    current_amount numeric(14,2),
    proposed_amount numeric(14,2) NOT NULL,
    effective_date date NOT NULL,
    rationale text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT compensation_decisions_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT compensation_decisions_current_amount_check CHECK ((current_amount >= (0)::numeric)),
    CONSTRAINT compensation_decisions_decision_type_check CHECK ((decision_type = ANY (ARRAY['MERIT_INCREASE'::text, 'BONUS'::text, 'EQUITY'::text, 'MARKET_ADJUSTMENT'::text, 'PROMOTION_INCREASE'::text]))),
    CONSTRAINT compensation_decisions_proposed_amount_check CHECK ((proposed_amount >= (0)::numeric)),
    CONSTRAINT compensation_decisions_status_check CHECK ((status = ANY (ARRAY['PROPOSED'::text, 'APPROVED'::text, 'REJECTED'::text, 'APPLIED'::text])))
);

ALTER TABLE ONLY public.compensation_decisions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.compensation_decisions OWNER TO pms_owner;

CREATE TABLE public.competencies (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    framework_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    category text DEFAULT 'TECHNICAL'::text NOT NULL,
    description text,
    level_expectations jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT competencies_category_check CHECK ((category = ANY (ARRAY['TECHNICAL'::text, 'LEADERSHIP'::text, 'BEHAVIORAL'::text, 'FUNCTIONAL'::text, 'CORE'::text]))),
    CONSTRAINT competencies_code_check CHECK (((length(code) >= 1) AND (length(code) <= 40)))
);

ALTER TABLE ONLY public.competencies FORCE ROW LEVEL SECURITY;

ALTER TABLE public.competencies OWNER TO pms_owner;

CREATE TABLE public.competency_assessments (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    competency_id uuid NOT NULL,
    assessor_id uuid,
    review_id uuid,
    assessment_type text DEFAULT 'SELF'::text NOT NULL,
    rating smallint NOT NULL,
    target_level smallint,
    comment text,
    assessed_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT competency_assessments_assessment_type_check CHECK ((assessment_type = ANY (ARRAY['SELF'::text, 'MANAGER'::text, 'PEER'::text]))),
    CONSTRAINT competency_assessments_rating_check CHECK (((rating >= 1) AND (rating <= 5))),
    CONSTRAINT competency_assessments_target_level_check CHECK (((target_level >= 1) AND (target_level <= 5)))
);

ALTER TABLE ONLY public.competency_assessments FORCE ROW LEVEL SECURITY;

ALTER TABLE public.competency_assessments OWNER TO pms_owner;

CREATE TABLE public.competency_frameworks (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    description text,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT competency_frameworks_name_check CHECK ((length(TRIM(BOTH FROM name)) > 0)),
    CONSTRAINT competency_frameworks_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'ACTIVE'::text, 'RETIRED'::text]))),
    CONSTRAINT competency_frameworks_version_check CHECK ((version > 0))
);

ALTER TABLE ONLY public.competency_frameworks FORCE ROW LEVEL SECURITY;

ALTER TABLE public.competency_frameworks OWNER TO pms_owner;

CREATE TABLE public.compliance_assessments (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    policy_id uuid NOT NULL,
    user_id uuid NOT NULL,
    cycle_id uuid,
    status text DEFAULT 'PENDING'::text NOT NULL,
    assessed_on date,
    expires_on date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT compliance_assessments_status_check CHECK ((status = ANY (ARRAY['PENDING'::text, 'COMPLIANT'::text, 'NON_COMPLIANT'::text, 'EXEMPT'::text])))
);

ALTER TABLE ONLY public.compliance_assessments FORCE ROW LEVEL SECURITY;

ALTER TABLE public.compliance_assessments OWNER TO pms_owner;

CREATE TABLE public.compliance_policies (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    category text DEFAULT 'TRAINING'::text NOT NULL,
    is_mandatory boolean DEFAULT true NOT NULL,
    renewal_months smallint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT compliance_policies_category_check CHECK ((category = ANY (ARRAY['TRAINING'::text, 'CONDUCT'::text, 'SECURITY'::text, 'PRIVACY'::text, 'SAFETY'::text, 'REGULATORY'::text]))),
    CONSTRAINT compliance_policies_code_check CHECK (((length(code) >= 1) AND (length(code) <= 40))),
    CONSTRAINT compliance_policies_renewal_months_check CHECK ((renewal_months > 0))
);

ALTER TABLE ONLY public.compliance_policies FORCE ROW LEVEL SECURITY;

ALTER TABLE public.compliance_policies OWNER TO pms_owner;

CREATE TABLE public.compliance_violations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    policy_id uuid NOT NULL,
    user_id uuid NOT NULL,
    reported_by uuid,
    severity text DEFAULT 'LOW'::text NOT NULL,
    description text NOT NULL,
    occurred_on date NOT NULL,
    resolved_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT compliance_violations_severity_check CHECK ((severity = ANY (ARRAY['LOW'::text, 'MEDIUM'::text, 'HIGH'::text, 'CRITICAL'::text])))
);

ALTER TABLE ONLY public.compliance_violations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.compliance_violations OWNER TO pms_owner;

CREATE TABLE public.contribution_scores (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    user_id uuid NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    score numeric(6,2) NOT NULL,
    share_pct numeric(5,2),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT contribution_scores_score_check CHECK ((score >= (0)::numeric)),
    CONSTRAINT contribution_scores_share_pct_check CHECK (((share_pct >= (0)::numeric) AND (share_pct <= (100)::numeric)))
);

ALTER TABLE ONLY public.contribution_scores FORCE ROW LEVEL SECURITY;

ALTER TABLE public.contribution_scores OWNER TO pms_owner;

CREATE TABLE public.cost_centers (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    business_unit_id uuid,
    annual_budget numeric(14,2),
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT cost_centers_annual_budget_check CHECK ((annual_budget >= (0)::numeric)),
    CONSTRAINT cost_centers_code_check CHECK (((length(code) >= 1) AND (length(code) <= 32))),
    CONSTRAINT cost_centers_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT cost_centers_name_check CHECK ((length(TRIM(BOTH FROM name)) > 0))
);

ALTER TABLE ONLY public.cost_centers FORCE ROW LEVEL SECURITY;

ALTER TABLE public.cost_centers OWNER TO pms_owner;

CREATE TABLE public.culture_diagnostics (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    survey_id uuid,
    department_id uuid,
    dimension text NOT NULL,
    score numeric(5,2) NOT NULL,
    diagnosed_on date NOT NULL,
    findings jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT culture_diagnostics_score_check CHECK (((score >= (0)::numeric) AND (score <= (100)::numeric)))
);

ALTER TABLE ONLY public.culture_diagnostics FORCE ROW LEVEL SECURITY;

ALTER TABLE public.culture_diagnostics OWNER TO pms_owner;

CREATE TABLE public.performance_metrics_ts (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    metric_name text NOT NULL,
    value double precision NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT performance_metrics_ts_value_check CHECK (((value <> 'NaN'::double precision) AND (value > '-Infinity'::double precision) AND (value < 'Infinity'::double precision)))
)
PARTITION BY RANGE (recorded_at);

ALTER TABLE ONLY public.performance_metrics_ts FORCE ROW LEVEL SECURITY;

ALTER TABLE public.performance_metrics_ts OWNER TO pms_owner;

CREATE TABLE timeseries.performance_metrics_daily_mat (
    tenant_id uuid NOT NULL,
    grain text NOT NULL,
    subject_id uuid NOT NULL,
    metric_name text NOT NULL,
    bucket timestamp with time zone NOT NULL,
    sample_count bigint NOT NULL,
    sum_value double precision NOT NULL,
    min_value double precision NOT NULL,
    max_value double precision NOT NULL,
    CONSTRAINT performance_metrics_daily_mat_grain_check CHECK ((grain = ANY (ARRAY['user'::text, 'team'::text, 'department'::text, 'tenant'::text]))),
    CONSTRAINT performance_metrics_daily_mat_sample_count_check CHECK ((sample_count > 0))
);

ALTER TABLE ONLY timeseries.performance_metrics_daily_mat FORCE ROW LEVEL SECURITY;

ALTER TABLE timeseries.performance_metrics_daily_mat OWNER TO pms_owner;

CREATE VIEW timeseries.user_groups WITH (security_invoker='true') AS
 SELECT u.tenant_id,
    u.id AS user_id,
    'department'::text AS grain,
    u.department_id AS subject_id
   FROM public.users u
  WHERE (u.department_id IS NOT NULL)
UNION ALL
 SELECT m.tenant_id,
    m.user_id,
    'team'::text AS grain,
    m.team_id AS subject_id
   FROM public.team_members m
  WHERE (m.left_on IS NULL);

ALTER TABLE timeseries.user_groups OWNER TO pms_owner;

CREATE VIEW public.performance_metrics_daily WITH (security_invoker='true') AS
 SELECT m.tenant_id,
    m.grain,
    m.subject_id,
    m.metric_name,
    m.bucket,
    m.sample_count,
    (m.sum_value / (m.sample_count)::double precision) AS avg_value,
    m.min_value,
    m.max_value,
    m.sum_value
   FROM timeseries.performance_metrics_daily_mat m
  WHERE (m.bucket < timeseries.watermark('performance_metrics_daily'::text))
UNION ALL
 SELECT p.tenant_id,
    'user'::text AS grain,
    p.user_id AS subject_id,
    p.metric_name,
    timeseries.bucket('1 day'::interval, p.recorded_at) AS bucket,
    count(*) AS sample_count,
    avg(p.value) AS avg_value,
    min(p.value) AS min_value,
    max(p.value) AS max_value,
    sum(p.value) AS sum_value
   FROM public.performance_metrics_ts p
  WHERE ((p.recorded_at >= timeseries.tail_floor('performance_metrics_ts'::text)) AND (p.recorded_at >= timeseries.watermark('performance_metrics_daily'::text)))
  GROUP BY p.tenant_id, p.user_id, p.metric_name, (timeseries.bucket('1 day'::interval, p.recorded_at))
UNION ALL
 SELECT p.tenant_id,
    g.grain,
    g.subject_id,
    p.metric_name,
    timeseries.bucket('1 day'::interval, p.recorded_at) AS bucket,
    count(*) AS sample_count,
    avg(p.value) AS avg_value,
    min(p.value) AS min_value,
    max(p.value) AS max_value,
    sum(p.value) AS sum_value
   FROM (public.performance_metrics_ts p
     JOIN timeseries.user_groups g ON (((g.tenant_id = p.tenant_id) AND (g.user_id = p.user_id))))
  WHERE ((p.recorded_at >= timeseries.tail_floor('performance_metrics_ts'::text)) AND (p.recorded_at >= timeseries.watermark('performance_metrics_daily'::text)))
  GROUP BY p.tenant_id, g.grain, g.subject_id, p.metric_name, (timeseries.bucket('1 day'::interval, p.recorded_at))
UNION ALL
 SELECT p.tenant_id,
    'tenant'::text AS grain,
    p.tenant_id AS subject_id,
    p.metric_name,
    timeseries.bucket('1 day'::interval, p.recorded_at) AS bucket,
    count(*) AS sample_count,
    avg(p.value) AS avg_value,
    min(p.value) AS min_value,
    max(p.value) AS max_value,
    sum(p.value) AS sum_value
   FROM public.performance_metrics_ts p
  WHERE ((p.recorded_at >= timeseries.tail_floor('performance_metrics_ts'::text)) AND (p.recorded_at >= timeseries.watermark('performance_metrics_daily'::text)))
  GROUP BY p.tenant_id, p.metric_name, (timeseries.bucket('1 day'::interval, p.recorded_at));

ALTER TABLE public.performance_metrics_daily OWNER TO pms_owner;

CREATE VIEW public.daily_metrics WITH (security_invoker='true') AS
 SELECT d.tenant_id,
    d.subject_id AS user_id,
    d.metric_name AS metric,
    ((d.bucket AT TIME ZONE 'UTC'::text))::date AS day,
    d.avg_value AS value,
    d.min_value,
    d.max_value,
    d.sample_count
   FROM public.performance_metrics_daily d
  WHERE (d.grain = 'user'::text);

ALTER TABLE public.daily_metrics OWNER TO pms_owner;

CREATE TABLE public.dashboard_widgets (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    dashboard_id uuid NOT NULL,
    report_id uuid,
    widget_type text DEFAULT 'LINE_CHART'::text NOT NULL,
    title text NOT NULL,
    "position" smallint DEFAULT 0 NOT NULL,
    config jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT dashboard_widgets_widget_type_check CHECK ((widget_type = ANY (ARRAY['LINE_CHART'::text, 'BAR_CHART'::text, 'PIE_CHART'::text, 'TABLE'::text, 'KPI_TILE'::text, 'HEATMAP'::text, 'LEADERBOARD'::text])))
);

ALTER TABLE ONLY public.dashboard_widgets FORCE ROW LEVEL SECURITY;

ALTER TABLE public.dashboard_widgets OWNER TO pms_owner;

CREATE TABLE public.dashboards (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid,
    name text NOT NULL,
    layout jsonb DEFAULT '{}'::jsonb NOT NULL,
    is_default boolean DEFAULT false NOT NULL,
    is_shared boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone
);

ALTER TABLE ONLY public.dashboards FORCE ROW LEVEL SECURITY;

ALTER TABLE public.dashboards OWNER TO pms_owner;

CREATE TABLE public.deadline_alerts (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    goal_id uuid,
    review_id uuid,
    alert_type text DEFAULT 'APPROACHING'::text NOT NULL,
    due_at timestamp with time zone NOT NULL,
    acknowledged_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT deadline_alerts_alert_type_check CHECK ((alert_type = ANY (ARRAY['APPROACHING'::text, 'DUE_TODAY'::text, 'OVERDUE'::text]))),
    CONSTRAINT deadline_alerts_check CHECK ((num_nonnulls(goal_id, review_id) <= 1))
);

ALTER TABLE ONLY public.deadline_alerts FORCE ROW LEVEL SECURITY;

ALTER TABLE public.deadline_alerts OWNER TO pms_owner;

CREATE TABLE public.delegations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    delegator_id uuid NOT NULL,
    delegate_id uuid NOT NULL,
    scope text NOT NULL,
    reason text,
    starts_at timestamp with time zone DEFAULT now() NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT delegations_check CHECK ((delegator_id <> delegate_id)),
    CONSTRAINT delegations_check1 CHECK ((ends_at > starts_at)),
    CONSTRAINT delegations_scope_check CHECK ((scope = ANY (ARRAY['REVIEWS'::text, 'APPROVALS'::text, 'GOALS'::text, 'FEEDBACK'::text, 'ALL'::text])))
);

ALTER TABLE ONLY public.delegations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.delegations OWNER TO pms_owner;

CREATE TABLE public.department_health_metrics (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    department_id uuid NOT NULL,
    metric text NOT NULL,
    period_start date NOT NULL,
    value numeric(14,4) NOT NULL,
    status text DEFAULT 'HEALTHY'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT department_health_metrics_metric_check CHECK ((metric ~ '^[a-z0-9_]+$'::text)),
    CONSTRAINT department_health_metrics_status_check CHECK ((status = ANY (ARRAY['HEALTHY'::text, 'WATCH'::text, 'AT_RISK'::text])))
);

ALTER TABLE ONLY public.department_health_metrics FORCE ROW LEVEL SECURITY;

ALTER TABLE public.department_health_metrics OWNER TO pms_owner;

CREATE TABLE public.departments (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    parent_id uuid,
    business_unit_id uuid,
    cost_center_id uuid,
    head_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT departments_check CHECK ((parent_id IS DISTINCT FROM id)),
    CONSTRAINT departments_code_check CHECK (((length(code) >= 1) AND (length(code) <= 32))),
    CONSTRAINT departments_name_check CHECK ((length(TRIM(BOTH FROM name)) > 0))
);

ALTER TABLE ONLY public.departments FORCE ROW LEVEL SECURITY;

ALTER TABLE public.departments OWNER TO pms_owner;

CREATE TABLE public.development_activities (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    plan_id uuid NOT NULL,
    skill_id uuid,
    competency_id uuid,
    activity_type text DEFAULT 'COURSE'::text NOT NULL,
    title text NOT NULL,
    status text DEFAULT 'PLANNED'::text NOT NULL,
    due_date date,
    completed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT development_activities_activity_type_check CHECK ((activity_type = ANY (ARRAY['COURSE'::text, 'MENTORING'::text, 'STRETCH_ASSIGNMENT'::text, 'READING'::text, 'CERTIFICATION'::text, 'SHADOWING'::text, 'CONFERENCE'::text]))),
    CONSTRAINT development_activities_status_check CHECK ((status = ANY (ARRAY['PLANNED'::text, 'IN_PROGRESS'::text, 'DONE'::text, 'DROPPED'::text])))
);

ALTER TABLE ONLY public.development_activities FORCE ROW LEVEL SECURITY;

ALTER TABLE public.development_activities OWNER TO pms_owner;

CREATE TABLE public.development_checkpoints (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    plan_id uuid NOT NULL,
    reviewer_id uuid,
    scheduled_on date NOT NULL,
    completed_at timestamp with time zone,
    notes text,
    progress_snapshot numeric(5,2),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT development_checkpoints_progress_snapshot_check CHECK (((progress_snapshot >= (0)::numeric) AND (progress_snapshot <= (100)::numeric)))
);

ALTER TABLE ONLY public.development_checkpoints FORCE ROW LEVEL SECURITY;

ALTER TABLE public.development_checkpoints OWNER TO pms_owner;

CREATE TABLE public.development_plans (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    employee_id uuid NOT NULL,
    manager_id uuid,
    career_path_id uuid,
    target_step_id uuid,
    title text NOT NULL,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    starts_on date NOT NULL,
    ends_on date,
    progress numeric(5,2) DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT development_plans_check CHECK (((ends_on IS NULL) OR (ends_on >= starts_on))),
    CONSTRAINT development_plans_progress_check CHECK (((progress >= (0)::numeric) AND (progress <= (100)::numeric))),
    CONSTRAINT development_plans_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'ACTIVE'::text, 'COMPLETED'::text, 'CANCELLED'::text])))
);

ALTER TABLE ONLY public.development_plans FORCE ROW LEVEL SECURITY;

ALTER TABLE public.development_plans OWNER TO pms_owner;

CREATE TABLE public.engagement_events (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    event_type text NOT NULL,
    impact numeric(4,2),
    occurred_at timestamp with time zone NOT NULL,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT engagement_events_event_type_check CHECK ((event_type = ANY (ARRAY['RECOGNITION'::text, 'PROMOTION'::text, 'MANAGER_CHANGE'::text, 'REORG'::text, 'SURVEY'::text, 'TRAINING'::text, 'OTHER'::text])))
);

ALTER TABLE ONLY public.engagement_events FORCE ROW LEVEL SECURITY;

ALTER TABLE public.engagement_events OWNER TO pms_owner;

CREATE TABLE public.engagement_metrics_ts (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    metric_name text NOT NULL,
    value double precision NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT engagement_metrics_ts_value_check CHECK (((value <> 'NaN'::double precision) AND (value > '-Infinity'::double precision) AND (value < 'Infinity'::double precision)))
)
PARTITION BY RANGE (recorded_at);

ALTER TABLE ONLY public.engagement_metrics_ts FORCE ROW LEVEL SECURITY;

ALTER TABLE public.engagement_metrics_ts OWNER TO pms_owner;

CREATE VIEW public.engagement_metrics_ts_all WITH (security_invoker='true') AS
 SELECT engagement_metrics_ts_points.tenant_id,
    engagement_metrics_ts_points.user_id,
    engagement_metrics_ts_points.metric_name,
    engagement_metrics_ts_points.value,
    engagement_metrics_ts_points.recorded_at
   FROM timeseries.engagement_metrics_ts_points('-infinity'::timestamp with time zone, 'infinity'::timestamp with time zone) engagement_metrics_ts_points(tenant_id, user_id, metric_name, value, recorded_at);

ALTER TABLE public.engagement_metrics_ts_all OWNER TO pms_owner;

CREATE TABLE timeseries.engagement_metrics_weekly_mat (
    tenant_id uuid NOT NULL,
    grain text NOT NULL,
    subject_id uuid NOT NULL,
    metric_name text NOT NULL,
    bucket timestamp with time zone NOT NULL,
    sample_count bigint NOT NULL,
    sum_value double precision NOT NULL,
    min_value double precision NOT NULL,
    max_value double precision NOT NULL,
    CONSTRAINT engagement_metrics_weekly_mat_grain_check CHECK ((grain = ANY (ARRAY['user'::text, 'team'::text, 'department'::text, 'tenant'::text]))),
    CONSTRAINT engagement_metrics_weekly_mat_sample_count_check CHECK ((sample_count > 0))
);

ALTER TABLE ONLY timeseries.engagement_metrics_weekly_mat FORCE ROW LEVEL SECURITY;

ALTER TABLE timeseries.engagement_metrics_weekly_mat OWNER TO pms_owner;

CREATE VIEW public.engagement_metrics_weekly WITH (security_invoker='true') AS
 SELECT m.tenant_id,
    m.grain,
    m.subject_id,
    m.metric_name,
    m.bucket,
    m.sample_count,
    (m.sum_value / (m.sample_count)::double precision) AS avg_value,
    m.min_value,
    m.max_value,
    m.sum_value
   FROM timeseries.engagement_metrics_weekly_mat m
  WHERE (m.bucket < timeseries.watermark('engagement_metrics_weekly'::text))
UNION ALL
 SELECT p.tenant_id,
    'user'::text AS grain,
    p.user_id AS subject_id,
    p.metric_name,
    timeseries.bucket('7 days'::interval, p.recorded_at) AS bucket,
    count(*) AS sample_count,
    avg(p.value) AS avg_value,
    min(p.value) AS min_value,
    max(p.value) AS max_value,
    sum(p.value) AS sum_value
   FROM public.engagement_metrics_ts p
  WHERE ((p.recorded_at >= timeseries.tail_floor('engagement_metrics_ts'::text)) AND (p.recorded_at >= timeseries.watermark('engagement_metrics_weekly'::text)))
  GROUP BY p.tenant_id, p.user_id, p.metric_name, (timeseries.bucket('7 days'::interval, p.recorded_at))
UNION ALL
 SELECT p.tenant_id,
    g.grain,
    g.subject_id,
    p.metric_name,
    timeseries.bucket('7 days'::interval, p.recorded_at) AS bucket,
    count(*) AS sample_count,
    avg(p.value) AS avg_value,
    min(p.value) AS min_value,
    max(p.value) AS max_value,
    sum(p.value) AS sum_value
   FROM (public.engagement_metrics_ts p
     JOIN timeseries.user_groups g ON (((g.tenant_id = p.tenant_id) AND (g.user_id = p.user_id))))
  WHERE ((p.recorded_at >= timeseries.tail_floor('engagement_metrics_ts'::text)) AND (p.recorded_at >= timeseries.watermark('engagement_metrics_weekly'::text)))
  GROUP BY p.tenant_id, g.grain, g.subject_id, p.metric_name, (timeseries.bucket('7 days'::interval, p.recorded_at))
UNION ALL
 SELECT p.tenant_id,
    'tenant'::text AS grain,
    p.tenant_id AS subject_id,
    p.metric_name,
    timeseries.bucket('7 days'::interval, p.recorded_at) AS bucket,
    count(*) AS sample_count,
    avg(p.value) AS avg_value,
    min(p.value) AS min_value,
    max(p.value) AS max_value,
    sum(p.value) AS sum_value
   FROM public.engagement_metrics_ts p
  WHERE ((p.recorded_at >= timeseries.tail_floor('engagement_metrics_ts'::text)) AND (p.recorded_at >= timeseries.watermark('engagement_metrics_weekly'::text)))
  GROUP BY p.tenant_id, p.metric_name, (timeseries.bucket('7 days'::interval, p.recorded_at));

ALTER TABLE public.engagement_metrics_weekly OWNER TO pms_owner;

CREATE TABLE public.engagement_scores (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid,
    department_id uuid,
    period_start date NOT NULL,
    driver text DEFAULT 'overall'::text NOT NULL,
    score numeric(5,2) NOT NULL,
    enps smallint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT engagement_scores_check CHECK ((num_nonnulls(user_id, department_id) <= 1)),
    CONSTRAINT engagement_scores_enps_check CHECK (((enps >= '-100'::integer) AND (enps <= 100))),
    CONSTRAINT engagement_scores_score_check CHECK (((score >= (0)::numeric) AND (score <= (100)::numeric)))
);

ALTER TABLE ONLY public.engagement_scores FORCE ROW LEVEL SECURITY;

ALTER TABLE public.engagement_scores OWNER TO pms_owner;

CREATE TABLE public.engagement_surveys (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    title text NOT NULL,
    survey_type text DEFAULT 'ENGAGEMENT'::text NOT NULL,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    is_anonymous boolean DEFAULT true NOT NULL,
    min_respondents smallint DEFAULT 5 NOT NULL,
    opens_at timestamp with time zone,
    closes_at timestamp with time zone,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT engagement_surveys_min_respondents_check CHECK ((min_respondents >= 1)),
    CONSTRAINT engagement_surveys_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'OPEN'::text, 'CLOSED'::text, 'ARCHIVED'::text]))),
    CONSTRAINT engagement_surveys_survey_type_check CHECK ((survey_type = ANY (ARRAY['ENGAGEMENT'::text, 'PULSE'::text, 'ONBOARDING'::text, 'EXIT'::text, 'CUSTOM'::text])))
);

ALTER TABLE ONLY public.engagement_surveys FORCE ROW LEVEL SECURITY;

ALTER TABLE public.engagement_surveys OWNER TO pms_owner;

CREATE TABLE public.evidence (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid NOT NULL,
    title text NOT NULL,
    evidence_type text DEFAULT 'DOCUMENT'::text NOT NULL,
    url text,
    description text,
    occurred_on date,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT evidence_evidence_type_check CHECK ((evidence_type = ANY (ARRAY['DOCUMENT'::text, 'LINK'::text, 'ACHIEVEMENT'::text, 'METRIC'::text, 'CERTIFICATE'::text])))
);

ALTER TABLE ONLY public.evidence FORCE ROW LEVEL SECURITY;

ALTER TABLE public.evidence OWNER TO pms_owner;

CREATE TABLE public.evidence_links (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    evidence_id uuid NOT NULL,
    goal_id uuid,
    review_id uuid,
    feedback_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT evidence_links_check CHECK ((num_nonnulls(goal_id, review_id, feedback_id) = 1))
);

ALTER TABLE ONLY public.evidence_links FORCE ROW LEVEL SECURITY;

ALTER TABLE public.evidence_links OWNER TO pms_owner;

CREATE TABLE public.feature_store_features (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    entity_type text DEFAULT 'USER'::text NOT NULL,
    value_type text DEFAULT 'NUMBER'::text NOT NULL,
    description text,
    ttl_days integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT feature_store_features_entity_type_check CHECK ((entity_type = ANY (ARRAY['USER'::text, 'TEAM'::text, 'DEPARTMENT'::text]))),
    CONSTRAINT feature_store_features_name_check CHECK ((name ~ '^[a-z0-9_]+$'::text)),
    CONSTRAINT feature_store_features_ttl_days_check CHECK ((ttl_days > 0)),
    CONSTRAINT feature_store_features_value_type_check CHECK ((value_type = ANY (ARRAY['NUMBER'::text, 'TEXT'::text, 'BOOLEAN'::text, 'VECTOR'::text])))
);

ALTER TABLE ONLY public.feature_store_features FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feature_store_features OWNER TO pms_owner;

CREATE TABLE public.feature_store_values (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    feature_id uuid NOT NULL,
    entity_id uuid NOT NULL,
    as_of timestamp with time zone NOT NULL,
    value jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY public.feature_store_values FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feature_store_values OWNER TO pms_owner;

CREATE TABLE public.feedback_360_aggregations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    cycle_id uuid NOT NULL,
    subject_id uuid NOT NULL,
    competency_id uuid,
    relationship text DEFAULT 'MANAGER'::text NOT NULL,
    respondent_count smallint NOT NULL,
    average_rating numeric(4,2),
    is_suppressed boolean DEFAULT false NOT NULL,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT feedback_360_aggregations_check CHECK ((is_suppressed OR (average_rating IS NOT NULL) OR (respondent_count = 0))),
    CONSTRAINT feedback_360_aggregations_relationship_check CHECK ((relationship = ANY (ARRAY['MANAGER'::text, 'PEER'::text, 'DIRECT_REPORT'::text, 'SELF'::text, 'EXTERNAL'::text, 'OTHER'::text, 'ALL'::text]))),
    CONSTRAINT feedback_360_aggregations_respondent_count_check CHECK ((respondent_count >= 0))
);

ALTER TABLE ONLY public.feedback_360_aggregations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_aggregations OWNER TO pms_owner;

CREATE TABLE public.feedback_360_cycles (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    questionnaire_id uuid NOT NULL,
    review_cycle_id uuid,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    min_respondents smallint DEFAULT 3 NOT NULL,
    opens_on date NOT NULL,
    closes_on date NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT feedback_360_cycles_check CHECK ((closes_on >= opens_on)),
    CONSTRAINT feedback_360_cycles_min_respondents_check CHECK ((min_respondents >= 1)),
    CONSTRAINT feedback_360_cycles_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'NOMINATING'::text, 'COLLECTING'::text, 'CLOSED'::text, 'CANCELLED'::text])))
);

ALTER TABLE ONLY public.feedback_360_cycles FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_cycles OWNER TO pms_owner;

CREATE TABLE public.feedback_360_gap_analyses (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    cycle_id uuid NOT NULL,
    subject_id uuid NOT NULL,
    competency_id uuid NOT NULL,
    self_rating numeric(4,2),
    others_rating numeric(4,2),
    gap numeric(4,2) GENERATED ALWAYS AS ((self_rating - others_rating)) STORED,
    classification text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT feedback_360_gap_analyses_classification_check CHECK ((classification = ANY (ARRAY['BLIND_SPOT'::text, 'HIDDEN_STRENGTH'::text, 'ALIGNED'::text])))
);

ALTER TABLE ONLY public.feedback_360_gap_analyses FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_gap_analyses OWNER TO pms_owner;

CREATE TABLE public.feedback_360_nominations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    cycle_id uuid NOT NULL,
    subject_id uuid NOT NULL,
    nominee_id uuid NOT NULL,
    nominated_by uuid,
    relationship text DEFAULT 'MANAGER'::text NOT NULL,
    status text DEFAULT 'PENDING'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT feedback_360_nominations_relationship_check CHECK ((relationship = ANY (ARRAY['MANAGER'::text, 'PEER'::text, 'DIRECT_REPORT'::text, 'SELF'::text, 'EXTERNAL'::text, 'OTHER'::text]))),
    CONSTRAINT feedback_360_nominations_status_check CHECK ((status = ANY (ARRAY['PENDING'::text, 'APPROVED'::text, 'DECLINED'::text])))
);

ALTER TABLE ONLY public.feedback_360_nominations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_nominations OWNER TO pms_owner;

CREATE TABLE public.feedback_360_questionnaires (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    description text,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT feedback_360_questionnaires_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'PUBLISHED'::text, 'RETIRED'::text])))
);

ALTER TABLE ONLY public.feedback_360_questionnaires FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_questionnaires OWNER TO pms_owner;

CREATE TABLE public.feedback_360_questions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    questionnaire_id uuid NOT NULL,
    competency_id uuid,
    "position" smallint DEFAULT 0 NOT NULL,
    prompt text NOT NULL,
    answer_type text DEFAULT 'RATING'::text NOT NULL,
    is_required boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT feedback_360_questions_answer_type_check CHECK ((answer_type = ANY (ARRAY['RATING'::text, 'TEXT'::text, 'CHOICE'::text])))
);

ALTER TABLE ONLY public.feedback_360_questions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_questions OWNER TO pms_owner;

CREATE TABLE public.feedback_360_requests (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    cycle_id uuid NOT NULL,
    nomination_id uuid,
    subject_id uuid NOT NULL,
    rater_id uuid NOT NULL,
    status text DEFAULT 'SENT'::text NOT NULL,
    sent_at timestamp with time zone DEFAULT now() NOT NULL,
    due_at timestamp with time zone,
    submitted_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT feedback_360_requests_status_check CHECK ((status = ANY (ARRAY['SENT'::text, 'OPENED'::text, 'SUBMITTED'::text, 'DECLINED'::text, 'EXPIRED'::text])))
);

ALTER TABLE ONLY public.feedback_360_requests FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_requests OWNER TO pms_owner;

CREATE TABLE public.feedback_360_responses (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    request_id uuid NOT NULL,
    question_id uuid NOT NULL,
    rating smallint,
    answer_text text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT feedback_360_responses_check CHECK (((rating IS NOT NULL) OR (answer_text IS NOT NULL))),
    CONSTRAINT feedback_360_responses_rating_check CHECK (((rating >= 1) AND (rating <= 5)))
);

ALTER TABLE ONLY public.feedback_360_responses FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_responses OWNER TO pms_owner;

CREATE TABLE public.feedback_activity_ts (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    metric_name text NOT NULL,
    value double precision NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT feedback_activity_ts_value_check CHECK (((value <> 'NaN'::double precision) AND (value > '-Infinity'::double precision) AND (value < 'Infinity'::double precision)))
)
PARTITION BY RANGE (recorded_at);

ALTER TABLE ONLY public.feedback_activity_ts FORCE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_activity_ts OWNER TO pms_owner;

CREATE VIEW public.feedback_activity_ts_all WITH (security_invoker='true') AS
 SELECT feedback_activity_ts_points.tenant_id,
    feedback_activity_ts_points.user_id,
    feedback_activity_ts_points.metric_name,
    feedback_activity_ts_points.value,
    feedback_activity_ts_points.recorded_at
   FROM timeseries.feedback_activity_ts_points('-infinity'::timestamp with time zone, 'infinity'::timestamp with time zone) feedback_activity_ts_points(tenant_id, user_id, metric_name, value, recorded_at);

ALTER TABLE public.feedback_activity_ts_all OWNER TO pms_owner;

CREATE TABLE timeseries.feedback_trends_monthly_mat (
    tenant_id uuid NOT NULL,
    grain text NOT NULL,
    subject_id uuid NOT NULL,
    metric_name text NOT NULL,
    bucket timestamp with time zone NOT NULL,
    sample_count bigint NOT NULL,
    sum_value double precision NOT NULL,
    min_value double precision NOT NULL,
    max_value double precision NOT NULL,
    CONSTRAINT feedback_trends_monthly_mat_grain_check CHECK ((grain = ANY (ARRAY['user'::text, 'team'::text, 'department'::text, 'tenant'::text]))),
    CONSTRAINT feedback_trends_monthly_mat_sample_count_check CHECK ((sample_count > 0))
);

ALTER TABLE ONLY timeseries.feedback_trends_monthly_mat FORCE ROW LEVEL SECURITY;

ALTER TABLE timeseries.feedback_trends_monthly_mat OWNER TO pms_owner;

CREATE VIEW public.feedback_trends_monthly WITH (security_invoker='true') AS
 SELECT m.tenant_id,
    m.grain,
    m.subject_id,
    m.metric_name,
    m.bucket,
    m.sample_count,
    (m.sum_value / (m.sample_count)::double precision) AS avg_value,
    m.min_value,
    m.max_value,
    m.sum_value
   FROM timeseries.feedback_trends_monthly_mat m
  WHERE (m.bucket < timeseries.watermark('feedback_trends_monthly'::text))
UNION ALL
 SELECT p.tenant_id,
    'user'::text AS grain,
    p.user_id AS subject_id,
    p.metric_name,
    timeseries.bucket('1 mon'::interval, p.recorded_at) AS bucket,
    count(*) AS sample_count,
    avg(p.value) AS avg_value,
    min(p.value) AS min_value,
    max(p.value) AS max_value,
    sum(p.value) AS sum_value
   FROM public.feedback_activity_ts p
  WHERE ((p.recorded_at >= timeseries.tail_floor('feedback_activity_ts'::text)) AND (p.recorded_at >= timeseries.watermark('feedback_trends_monthly'::text)))
  GROUP BY p.tenant_id, p.user_id, p.metric_name, (timeseries.bucket('1 mon'::interval, p.recorded_at))
UNION ALL
 SELECT p.tenant_id,
    g.grain,
    g.subject_id,
    p.metric_name,
    timeseries.bucket('1 mon'::interval, p.recorded_at) AS bucket,
    count(*) AS sample_count,
    avg(p.value) AS avg_value,
    min(p.value) AS min_value,
    max(p.value) AS max_value,
    sum(p.value) AS sum_value
   FROM (public.feedback_activity_ts p
     JOIN timeseries.user_groups g ON (((g.tenant_id = p.tenant_id) AND (g.user_id = p.user_id))))
  WHERE ((p.recorded_at >= timeseries.tail_floor('feedback_activity_ts'::text)) AND (p.recorded_at >= timeseries.watermark('feedback_trends_monthly'::text)))
  GROUP BY p.tenant_id, g.grain, g.subject_id, p.metric_name, (timeseries.bucket('1 mon'::interval, p.recorded_at))
UNION ALL
 SELECT p.tenant_id,
    'tenant'::text AS grain,
    p.tenant_id AS subject_id,
    p.metric_name,
    timeseries.bucket('1 mon'::interval, p.recorded_at) AS bucket,
    count(*) AS sample_count,
    avg(p.value) AS avg_value,
    min(p.value) AS min_value,
    max(p.value) AS max_value,
    sum(p.value) AS sum_value
   FROM public.feedback_activity_ts p
  WHERE ((p.recorded_at >= timeseries.tail_floor('feedback_activity_ts'::text)) AND (p.recorded_at >= timeseries.watermark('feedback_trends_monthly'::text)))
  GROUP BY p.tenant_id, p.metric_name, (timeseries.bucket('1 mon'::interval, p.recorded_at));

ALTER TABLE public.feedback_trends_monthly OWNER TO pms_owner;

CREATE TABLE public.generated_reports (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    report_id uuid NOT NULL,
    schedule_id uuid,
    requested_by uuid,
    status text DEFAULT 'QUEUED'::text NOT NULL,
    format text DEFAULT 'PDF'::text NOT NULL,
    storage_uri text,
    row_count integer,
    error text,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT generated_reports_format_check CHECK ((format = ANY (ARRAY['PDF'::text, 'CSV'::text, 'XLSX'::text, 'JSON'::text]))),
    CONSTRAINT generated_reports_row_count_check CHECK ((row_count >= 0)),
    CONSTRAINT generated_reports_status_check CHECK ((status = ANY (ARRAY['QUEUED'::text, 'RUNNING'::text, 'SUCCEEDED'::text, 'FAILED'::text])))
);

ALTER TABLE ONLY public.generated_reports FORCE ROW LEVEL SECURITY;

ALTER TABLE public.generated_reports OWNER TO pms_owner;

CREATE TABLE public.goal_alignments (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    goal_id uuid NOT NULL,
    aligned_to_goal_id uuid NOT NULL,
    alignment_type text DEFAULT 'SUPPORTS'::text NOT NULL,
    contribution_weight numeric(5,2) DEFAULT 1 NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT goal_alignments_alignment_type_check CHECK ((alignment_type = ANY (ARRAY['SUPPORTS'::text, 'CONTRIBUTES_TO'::text, 'DEPENDS_ON'::text]))),
    CONSTRAINT goal_alignments_check CHECK ((goal_id <> aligned_to_goal_id)),
    CONSTRAINT goal_alignments_contribution_weight_check CHECK ((contribution_weight > (0)::numeric))
);

ALTER TABLE ONLY public.goal_alignments FORCE ROW LEVEL SECURITY;

ALTER TABLE public.goal_alignments OWNER TO pms_owner;

CREATE TABLE public.goal_comments (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    goal_id uuid NOT NULL,
    author_id uuid NOT NULL,
    parent_comment_id uuid,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT goal_comments_body_check CHECK ((length(TRIM(BOTH FROM body)) > 0))
);

ALTER TABLE ONLY public.goal_comments FORCE ROW LEVEL SECURITY;

ALTER TABLE public.goal_comments OWNER TO pms_owner;

CREATE VIEW public.goal_overview AS
SELECT
    NULL::uuid AS tenant_id,
    NULL::uuid AS id,
    NULL::uuid AS owner_id,
    NULL::text AS owner_name,
    NULL::text AS goal_type,
    NULL::text AS status,
    NULL::text AS title,
    NULL::date AS period_start,
    NULL::date AS period_end,
    NULL::numeric(5,2) AS progress,
    NULL::bigint AS key_result_count,
    NULL::bigint AS key_results_at_risk;

ALTER TABLE public.goal_overview OWNER TO pms_owner;

CREATE TABLE public.goal_progress_ts (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    metric_name text NOT NULL,
    value double precision NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT goal_progress_ts_value_check CHECK (((value <> 'NaN'::double precision) AND (value > '-Infinity'::double precision) AND (value < 'Infinity'::double precision)))
)
PARTITION BY RANGE (recorded_at);

ALTER TABLE ONLY public.goal_progress_ts FORCE ROW LEVEL SECURITY;

ALTER TABLE public.goal_progress_ts OWNER TO pms_owner;

CREATE VIEW public.goal_progress_ts_all WITH (security_invoker='true') AS
 SELECT goal_progress_ts_points.tenant_id,
    goal_progress_ts_points.user_id,
    goal_progress_ts_points.metric_name,
    goal_progress_ts_points.value,
    goal_progress_ts_points.recorded_at
   FROM timeseries.goal_progress_ts_points('-infinity'::timestamp with time zone, 'infinity'::timestamp with time zone) goal_progress_ts_points(tenant_id, user_id, metric_name, value, recorded_at);

ALTER TABLE public.goal_progress_ts_all OWNER TO pms_owner;

CREATE TABLE public.goal_progress_updates (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    goal_id uuid NOT NULL,
    key_result_id uuid,
    author_id uuid NOT NULL,
    previous_progress numeric(5,2),
    new_progress numeric(5,2) NOT NULL,
    confidence_label text,
    note text,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT goal_progress_updates_confidence_label_check CHECK ((confidence_label = ANY (ARRAY['ON_TRACK'::text, 'AT_RISK'::text, 'OFF_TRACK'::text]))),
    CONSTRAINT goal_progress_updates_new_progress_check CHECK (((new_progress >= (0)::numeric) AND (new_progress <= (100)::numeric))),
    CONSTRAINT goal_progress_updates_previous_progress_check CHECK (((previous_progress >= (0)::numeric) AND (previous_progress <= (100)::numeric)))
);

ALTER TABLE ONLY public.goal_progress_updates FORCE ROW LEVEL SECURITY;

ALTER TABLE public.goal_progress_updates OWNER TO pms_owner;

CREATE VIEW public.hourly_metrics WITH (security_invoker='true') AS
 SELECT p.tenant_id,
    p.user_id,
    p.metric_name AS metric,
    public.time_bucket('01:00:00'::interval, p.recorded_at) AS bucket,
    avg(p.value) AS value,
    min(p.value) AS min_value,
    max(p.value) AS max_value,
    count(*) AS sample_count
   FROM public.performance_metrics_ts p
  GROUP BY p.tenant_id, p.user_id, p.metric_name, (public.time_bucket('01:00:00'::interval, p.recorded_at));

ALTER TABLE public.hourly_metrics OWNER TO pms_owner;

CREATE TABLE public.innovation_contributions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    project_id uuid,
    title text NOT NULL,
    description text,
    contribution_type text DEFAULT 'IDEA'::text NOT NULL,
    status text DEFAULT 'SUBMITTED'::text NOT NULL,
    submitted_on date DEFAULT CURRENT_DATE NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT innovation_contributions_contribution_type_check CHECK ((contribution_type = ANY (ARRAY['IDEA'::text, 'PATENT'::text, 'PROCESS_IMPROVEMENT'::text, 'PUBLICATION'::text, 'PROTOTYPE'::text]))),
    CONSTRAINT innovation_contributions_status_check CHECK ((status = ANY (ARRAY['SUBMITTED'::text, 'UNDER_REVIEW'::text, 'ACCEPTED'::text, 'IMPLEMENTED'::text, 'REJECTED'::text])))
);

ALTER TABLE ONLY public.innovation_contributions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.innovation_contributions OWNER TO pms_owner;

CREATE TABLE public.innovation_evaluations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    contribution_id uuid NOT NULL,
    evaluator_id uuid,
    cycle_id uuid,
    novelty_score smallint,
    impact_score smallint,
    feasibility_score smallint,
    comment text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT innovation_evaluations_feasibility_score_check CHECK (((feasibility_score >= 1) AND (feasibility_score <= 5))),
    CONSTRAINT innovation_evaluations_impact_score_check CHECK (((impact_score >= 1) AND (impact_score <= 5))),
    CONSTRAINT innovation_evaluations_novelty_score_check CHECK (((novelty_score >= 1) AND (novelty_score <= 5)))
);

ALTER TABLE ONLY public.innovation_evaluations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.innovation_evaluations OWNER TO pms_owner;

CREATE TABLE public.invoices (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    subscription_id uuid NOT NULL,
    number text NOT NULL,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    amount numeric(12,2) NOT NULL,
    issued_on date NOT NULL,
    due_on date NOT NULL,
    paid_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT invoices_amount_check CHECK ((amount >= (0)::numeric)),
    CONSTRAINT invoices_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT invoices_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'OPEN'::text, 'PAID'::text, 'VOID'::text, 'UNCOLLECTIBLE'::text])))
);

ALTER TABLE ONLY public.invoices FORCE ROW LEVEL SECURITY;

ALTER TABLE public.invoices OWNER TO pms_owner;

CREATE TABLE public.kpi_definitions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    unit text,
    direction text DEFAULT 'HIGHER_IS_BETTER'::text NOT NULL,
    scope text DEFAULT 'USER'::text NOT NULL,
    target_value numeric(14,4),
    warning_threshold numeric(14,4),
    critical_threshold numeric(14,4),
    owner_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT kpi_definitions_code_check CHECK ((code ~ '^[a-z0-9_]+$'::text)),
    CONSTRAINT kpi_definitions_direction_check CHECK ((direction = ANY (ARRAY['HIGHER_IS_BETTER'::text, 'LOWER_IS_BETTER'::text, 'TARGET'::text]))),
    CONSTRAINT kpi_definitions_scope_check CHECK ((scope = ANY (ARRAY['USER'::text, 'TEAM'::text, 'DEPARTMENT'::text, 'TENANT'::text])))
);

ALTER TABLE ONLY public.kpi_definitions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.kpi_definitions OWNER TO pms_owner;

CREATE TABLE public.kpi_values (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    kpi_id uuid NOT NULL,
    user_id uuid,
    team_id uuid,
    department_id uuid,
    period_start date NOT NULL,
    period_end date NOT NULL,
    value numeric(14,4) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT kpi_values_check CHECK ((period_end >= period_start))
);

ALTER TABLE ONLY public.kpi_values FORCE ROW LEVEL SECURITY;

ALTER TABLE public.kpi_values OWNER TO pms_owner;

CREATE TABLE public.leaderboard_entries (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    leaderboard_id uuid NOT NULL,
    user_id uuid NOT NULL,
    rank integer NOT NULL,
    score numeric(14,4) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT leaderboard_entries_rank_check CHECK ((rank > 0))
);

ALTER TABLE ONLY public.leaderboard_entries FORCE ROW LEVEL SECURITY;

ALTER TABLE public.leaderboard_entries OWNER TO pms_owner;

CREATE TABLE public.leaderboards (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    metric text NOT NULL,
    scope text DEFAULT 'TENANT'::text NOT NULL,
    department_id uuid,
    period_start date NOT NULL,
    period_end date NOT NULL,
    is_public boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT leaderboards_scope_check CHECK ((scope = ANY (ARRAY['TENANT'::text, 'DEPARTMENT'::text, 'TEAM'::text])))
);

ALTER TABLE ONLY public.leaderboards FORCE ROW LEVEL SECURITY;

ALTER TABLE public.leaderboards OWNER TO pms_owner;

CREATE TABLE public.leadership_competency_scores (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    competency_id uuid,
    cycle_id uuid,
    dimension text NOT NULL,
    score numeric(4,2) NOT NULL,
    source text DEFAULT 'ASSESSMENT'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT leadership_competency_scores_score_check CHECK (((score >= (0)::numeric) AND (score <= (5)::numeric))),
    CONSTRAINT leadership_competency_scores_source_check CHECK ((source = ANY (ARRAY['ASSESSMENT'::text, 'FEEDBACK_360'::text, 'MANAGER'::text])))
);

ALTER TABLE ONLY public.leadership_competency_scores FORCE ROW LEVEL SECURITY;

ALTER TABLE public.leadership_competency_scores OWNER TO pms_owner;

CREATE TABLE public.legal_holds (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    scope text NOT NULL,
    person_id uuid,
    entity_type text,
    entity_id text,
    reason text NOT NULL,
    placed_by uuid,
    placed_at timestamp with time zone DEFAULT now() NOT NULL,
    released_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT legal_hold_scope_fields CHECK ((((scope = 'TENANT'::text) AND (person_id IS NULL) AND (entity_id IS NULL)) OR ((scope = 'PERSON'::text) AND (person_id IS NOT NULL) AND (entity_id IS NULL)) OR ((scope = 'ENTITY'::text) AND (entity_type IS NOT NULL) AND (entity_id IS NOT NULL) AND (person_id IS NULL)))),
    CONSTRAINT legal_holds_check CHECK (((released_at IS NULL) OR (released_at >= placed_at))),
    CONSTRAINT legal_holds_reason_check CHECK ((length(TRIM(BOTH FROM reason)) > 0)),
    CONSTRAINT legal_holds_scope_check CHECK ((scope = ANY (ARRAY['TENANT'::text, 'PERSON'::text, 'ENTITY'::text])))
);

ALTER TABLE ONLY public.legal_holds FORCE ROW LEVEL SECURITY;

ALTER TABLE public.legal_holds OWNER TO pms_owner;

CREATE TABLE public.metric_anomalies (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid,
    metric text NOT NULL,
    observed_at timestamp with time zone NOT NULL,
    observed_value double precision NOT NULL,
    expected_value double precision,
    z_score double precision,
    severity text DEFAULT 'LOW'::text NOT NULL,
    status text DEFAULT 'OPEN'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT metric_anomalies_severity_check CHECK ((severity = ANY (ARRAY['LOW'::text, 'MEDIUM'::text, 'HIGH'::text, 'CRITICAL'::text]))),
    CONSTRAINT metric_anomalies_status_check CHECK ((status = ANY (ARRAY['OPEN'::text, 'ACKNOWLEDGED'::text, 'DISMISSED'::text, 'RESOLVED'::text])))
);

ALTER TABLE ONLY public.metric_anomalies FORCE ROW LEVEL SECURITY;

ALTER TABLE public.metric_anomalies OWNER TO pms_owner;

CREATE TABLE public.metric_ingestions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    ingested_by uuid,
    lines_total integer NOT NULL,
    lines_accepted integer NOT NULL,
    lines_rejected integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT metric_ingestions_check CHECK (((lines_accepted + lines_rejected) = lines_total)),
    CONSTRAINT metric_ingestions_lines_accepted_check CHECK ((lines_accepted >= 0)),
    CONSTRAINT metric_ingestions_lines_rejected_check CHECK ((lines_rejected >= 0)),
    CONSTRAINT metric_ingestions_lines_total_check CHECK ((lines_total >= 0))
);

ALTER TABLE ONLY public.metric_ingestions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.metric_ingestions OWNER TO pms_owner;

CREATE TABLE public.milestone_progress_events (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    milestone_id uuid NOT NULL,
    reported_by uuid,
    progress numeric(5,2) NOT NULL,
    note text,
    reported_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT milestone_progress_events_progress_check CHECK (((progress >= (0)::numeric) AND (progress <= (100)::numeric)))
);

ALTER TABLE ONLY public.milestone_progress_events FORCE ROW LEVEL SECURITY;

ALTER TABLE public.milestone_progress_events OWNER TO pms_owner;

CREATE TABLE public.ml_model_predictions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    model_id uuid NOT NULL,
    user_id uuid NOT NULL,
    prediction_type text NOT NULL,
    score numeric(6,4) NOT NULL,
    confidence numeric(5,4),
    label text,
    explanation jsonb DEFAULT '{}'::jsonb NOT NULL,
    predicted_at timestamp with time zone DEFAULT now() NOT NULL,
    valid_until timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ml_model_predictions_confidence_check CHECK (((confidence >= (0)::numeric) AND (confidence <= (1)::numeric)))
);

ALTER TABLE ONLY public.ml_model_predictions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.ml_model_predictions OWNER TO pms_owner;

CREATE TABLE public.ml_models (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    version text NOT NULL,
    model_type text DEFAULT 'ATTRITION_RISK'::text NOT NULL,
    status text DEFAULT 'TRAINING'::text NOT NULL,
    metrics jsonb DEFAULT '{}'::jsonb NOT NULL,
    trained_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ml_models_model_type_check CHECK ((model_type = ANY (ARRAY['ATTRITION_RISK'::text, 'PERFORMANCE_FORECAST'::text, 'PROMOTION_READINESS'::text, 'SENTIMENT'::text, 'PRODUCTIVITY'::text, 'ANOMALY'::text, 'ENGAGEMENT'::text]))),
    CONSTRAINT ml_models_name_check CHECK ((name ~ '^[a-z0-9_]+$'::text)),
    CONSTRAINT ml_models_status_check CHECK ((status = ANY (ARRAY['TRAINING'::text, 'ACTIVE'::text, 'SHADOW'::text, 'RETIRED'::text])))
);

ALTER TABLE ONLY public.ml_models FORCE ROW LEVEL SECURITY;

ALTER TABLE public.ml_models OWNER TO pms_owner;

CREATE TABLE public.notification_preferences (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    event text NOT NULL,
    in_app boolean DEFAULT true NOT NULL,
    email boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT notification_preferences_event_check CHECK ((event ~ '^[a-z0-9_]+\.[a-z0-9_]+$'::text))
);

ALTER TABLE ONLY public.notification_preferences FORCE ROW LEVEL SECURITY;

ALTER TABLE public.notification_preferences OWNER TO pms_owner;

CREATE TABLE public.notification_templates (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    channel text DEFAULT 'IN_APP'::text NOT NULL,
    locale text DEFAULT 'en'::text NOT NULL,
    subject text,
    body text NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT notification_templates_channel_check CHECK ((channel = ANY (ARRAY['IN_APP'::text, 'EMAIL'::text, 'SLACK'::text, 'SMS'::text]))),
    CONSTRAINT notification_templates_code_check CHECK ((code ~ '^[a-z0-9_.]+$'::text))
);

ALTER TABLE ONLY public.notification_templates FORCE ROW LEVEL SECURITY;

ALTER TABLE public.notification_templates OWNER TO pms_owner;

CREATE TABLE public.notifications (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    recipient_id uuid NOT NULL,
    template_id uuid,
    channel text DEFAULT 'IN_APP'::text NOT NULL,
    status text DEFAULT 'PENDING'::text NOT NULL,
    title text NOT NULL,
    body text,
    entity_type text,
    entity_id uuid,
    sent_at timestamp with time zone,
    read_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    event text,
    CONSTRAINT notifications_channel_check CHECK ((channel = ANY (ARRAY['IN_APP'::text, 'EMAIL'::text, 'SLACK'::text, 'SMS'::text]))),
    CONSTRAINT notifications_event_check CHECK ((event ~ '^[a-z0-9_]+\.[a-z0-9_]+$'::text)),
    CONSTRAINT notifications_status_check CHECK ((status = ANY (ARRAY['PENDING'::text, 'SENT'::text, 'DELIVERED'::text, 'FAILED'::text, 'READ'::text])))
);

ALTER TABLE ONLY public.notifications FORCE ROW LEVEL SECURITY;

ALTER TABLE public.notifications OWNER TO pms_owner;

CREATE TABLE public.one_on_one_action_items (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    one_on_one_id uuid NOT NULL,
    assignee_id uuid NOT NULL,
    description text NOT NULL,
    due_date date,
    completed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT one_on_one_action_items_description_check CHECK ((length(TRIM(BOTH FROM description)) > 0))
);

ALTER TABLE ONLY public.one_on_one_action_items FORCE ROW LEVEL SECURITY;

ALTER TABLE public.one_on_one_action_items OWNER TO pms_owner;

CREATE TABLE public.one_on_one_agenda_items (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    one_on_one_id uuid NOT NULL,
    added_by uuid,
    "position" smallint DEFAULT 0 NOT NULL,
    topic text NOT NULL,
    is_discussed boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT one_on_one_agenda_items_topic_check CHECK ((length(TRIM(BOTH FROM topic)) > 0))
);

ALTER TABLE ONLY public.one_on_one_agenda_items FORCE ROW LEVEL SECURITY;

ALTER TABLE public.one_on_one_agenda_items OWNER TO pms_owner;

CREATE TABLE public.one_on_one_private_notes (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    one_on_one_id uuid NOT NULL,
    author_id uuid NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT one_on_one_private_notes_body_check CHECK ((length(TRIM(BOTH FROM body)) > 0))
);

ALTER TABLE ONLY public.one_on_one_private_notes FORCE ROW LEVEL SECURITY;

ALTER TABLE public.one_on_one_private_notes OWNER TO pms_owner;

CREATE TABLE public.organizational_health_metrics (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    metric text NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    value numeric(14,4) NOT NULL,
    target_value numeric(14,4),
    status text DEFAULT 'HEALTHY'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT organizational_health_metrics_check CHECK ((period_end >= period_start)),
    CONSTRAINT organizational_health_metrics_metric_check CHECK ((metric ~ '^[a-z0-9_]+$'::text)),
    CONSTRAINT organizational_health_metrics_status_check CHECK ((status = ANY (ARRAY['HEALTHY'::text, 'WATCH'::text, 'AT_RISK'::text])))
);

ALTER TABLE ONLY public.organizational_health_metrics FORCE ROW LEVEL SECURITY;

ALTER TABLE public.organizational_health_metrics OWNER TO pms_owner;

CREATE TABLE public.performance_improvement_plans (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    employee_id uuid NOT NULL,
    manager_id uuid NOT NULL,
    hr_partner_id uuid,
    template_id uuid,
    review_id uuid,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    reason text NOT NULL,
    expectations text,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    outcome_notes text,
    closed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    check_in_every_days smallint DEFAULT 14 NOT NULL,
    next_check_in_on date,
    CONSTRAINT performance_improvement_plans_check CHECK ((ends_on > starts_on)),
    CONSTRAINT performance_improvement_plans_check1 CHECK ((employee_id <> manager_id)),
    CONSTRAINT performance_improvement_plans_check_in_every_days_check CHECK (((check_in_every_days >= 1) AND (check_in_every_days <= 90))),
    CONSTRAINT performance_improvement_plans_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'ACTIVE'::text, 'ON_TRACK'::text, 'AT_RISK'::text, 'EXTENDED'::text, 'SUCCESSFUL'::text, 'UNSUCCESSFUL'::text, 'CANCELLED'::text])))
);

ALTER TABLE ONLY public.performance_improvement_plans FORCE ROW LEVEL SECURITY;

ALTER TABLE public.performance_improvement_plans OWNER TO pms_owner;

CREATE TABLE timeseries.performance_metrics_monthly_mat (
    tenant_id uuid NOT NULL,
    grain text NOT NULL,
    subject_id uuid NOT NULL,
    metric_name text NOT NULL,
    bucket timestamp with time zone NOT NULL,
    sample_count bigint NOT NULL,
    sum_value double precision NOT NULL,
    min_value double precision NOT NULL,
    max_value double precision NOT NULL,
    CONSTRAINT performance_metrics_monthly_mat_grain_check CHECK ((grain = ANY (ARRAY['user'::text, 'team'::text, 'department'::text, 'tenant'::text]))),
    CONSTRAINT performance_metrics_monthly_mat_sample_count_check CHECK ((sample_count > 0))
);

ALTER TABLE ONLY timeseries.performance_metrics_monthly_mat FORCE ROW LEVEL SECURITY;

ALTER TABLE timeseries.performance_metrics_monthly_mat OWNER TO pms_owner;

CREATE VIEW public.performance_metrics_monthly WITH (security_invoker='true') AS
 SELECT m.tenant_id,
    m.grain,
    m.subject_id,
    m.metric_name,
    m.bucket,
    m.sample_count,
    (m.sum_value / (m.sample_count)::double precision) AS avg_value,
    m.min_value,
    m.max_value,
    m.sum_value
   FROM timeseries.performance_metrics_monthly_mat m
  WHERE (m.bucket < timeseries.watermark('performance_metrics_monthly'::text))
UNION ALL
 SELECT s.tenant_id,
    s.grain,
    s.subject_id,
    s.metric_name,
    timeseries.bucket('1 mon'::interval, s.bucket) AS bucket,
    (sum(s.sample_count))::bigint AS sample_count,
    (sum(s.sum_value) / (sum(s.sample_count))::double precision) AS avg_value,
    min(s.min_value) AS min_value,
    max(s.max_value) AS max_value,
    sum(s.sum_value) AS sum_value
   FROM public.performance_metrics_daily s
  WHERE (s.bucket >= timeseries.watermark('performance_metrics_monthly'::text))
  GROUP BY s.tenant_id, s.grain, s.subject_id, s.metric_name, (timeseries.bucket('1 mon'::interval, s.bucket));

ALTER TABLE public.performance_metrics_monthly OWNER TO pms_owner;

CREATE VIEW public.performance_metrics_ts_all WITH (security_invoker='true') AS
 SELECT performance_metrics_ts_points.tenant_id,
    performance_metrics_ts_points.user_id,
    performance_metrics_ts_points.metric_name,
    performance_metrics_ts_points.value,
    performance_metrics_ts_points.recorded_at
   FROM timeseries.performance_metrics_ts_points('-infinity'::timestamp with time zone, 'infinity'::timestamp with time zone) performance_metrics_ts_points(tenant_id, user_id, metric_name, value, recorded_at);

ALTER TABLE public.performance_metrics_ts_all OWNER TO pms_owner;

CREATE TABLE public.pip_check_ins (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    pip_id uuid NOT NULL,
    conducted_by uuid,
    check_in_date date NOT NULL,
    progress_rating text DEFAULT 'ON_TRACK'::text NOT NULL,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT pip_check_ins_progress_rating_check CHECK ((progress_rating = ANY (ARRAY['ON_TRACK'::text, 'SOME_PROGRESS'::text, 'NO_PROGRESS'::text])))
);

ALTER TABLE ONLY public.pip_check_ins FORCE ROW LEVEL SECURITY;

ALTER TABLE public.pip_check_ins OWNER TO pms_owner;

CREATE TABLE public.pip_milestones (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    pip_id uuid NOT NULL,
    description text NOT NULL,
    due_date date NOT NULL,
    status text DEFAULT 'PENDING'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT pip_milestones_status_check CHECK ((status = ANY (ARRAY['PENDING'::text, 'MET'::text, 'NOT_MET'::text, 'WAIVED'::text])))
);

ALTER TABLE ONLY public.pip_milestones FORCE ROW LEVEL SECURITY;

ALTER TABLE public.pip_milestones OWNER TO pms_owner;

CREATE TABLE public.pip_templates (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    duration_days smallint DEFAULT 60 NOT NULL,
    sections jsonb DEFAULT '[]'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    expectations text,
    check_in_every_days smallint DEFAULT 14 NOT NULL,
    milestones jsonb DEFAULT '[]'::jsonb NOT NULL,
    CONSTRAINT pip_templates_check_in_every_days_check CHECK (((check_in_every_days >= 1) AND (check_in_every_days <= 90))),
    CONSTRAINT pip_templates_duration_days_check CHECK (((duration_days >= 14) AND (duration_days <= 365))),
    CONSTRAINT pip_templates_expectations_check CHECK ((length(expectations) <= 10000)),
    CONSTRAINT pip_templates_milestones_check CHECK ((jsonb_typeof(milestones) = 'array'::text))
);

ALTER TABLE ONLY public.pip_templates FORCE ROW LEVEL SECURITY;

ALTER TABLE public.pip_templates OWNER TO pms_owner;

CREATE TABLE public.privacy_erasures (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    subject_hash text NOT NULL,
    pseudonym_id uuid NOT NULL,
    status text DEFAULT 'STARTED'::text NOT NULL,
    report jsonb DEFAULT '{}'::jsonb NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT privacy_erasures_status_check CHECK ((status = ANY (ARRAY['STARTED'::text, 'DONE'::text]))),
    CONSTRAINT privacy_erasures_subject_hash_check CHECK ((subject_hash ~ '^[0-9a-f]{64}$'::text))
);

ALTER TABLE ONLY public.privacy_erasures FORCE ROW LEVEL SECURITY;

ALTER TABLE public.privacy_erasures OWNER TO pms_owner;

CREATE TABLE public.productivity_predictions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    model_id uuid,
    period_start date NOT NULL,
    predicted_value numeric(8,3) NOT NULL,
    lower_bound numeric(8,3),
    upper_bound numeric(8,3),
    actual_value numeric(8,3),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY public.productivity_predictions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.productivity_predictions OWNER TO pms_owner;

CREATE TABLE public.project_evaluations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    user_id uuid NOT NULL,
    evaluator_id uuid,
    cycle_id uuid,
    quality_score smallint,
    delivery_score smallint,
    collaboration_score smallint,
    comment text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_evaluations_collaboration_score_check CHECK (((collaboration_score >= 1) AND (collaboration_score <= 5))),
    CONSTRAINT project_evaluations_delivery_score_check CHECK (((delivery_score >= 1) AND (delivery_score <= 5))),
    CONSTRAINT project_evaluations_quality_score_check CHECK (((quality_score >= 1) AND (quality_score <= 5)))
);

ALTER TABLE ONLY public.project_evaluations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.project_evaluations OWNER TO pms_owner;

CREATE TABLE public.project_milestones (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    owner_id uuid,
    name text NOT NULL,
    due_date date NOT NULL,
    status text DEFAULT 'PLANNED'::text NOT NULL,
    progress numeric(5,2) DEFAULT 0 NOT NULL,
    completed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_milestones_progress_check CHECK (((progress >= (0)::numeric) AND (progress <= (100)::numeric))),
    CONSTRAINT project_milestones_status_check CHECK ((status = ANY (ARRAY['PLANNED'::text, 'IN_PROGRESS'::text, 'DONE'::text, 'MISSED'::text, 'CANCELLED'::text])))
);

ALTER TABLE ONLY public.project_milestones FORCE ROW LEVEL SECURITY;

ALTER TABLE public.project_milestones OWNER TO pms_owner;

CREATE TABLE public.projects (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    owner_id uuid,
    department_id uuid,
    status text DEFAULT 'PLANNED'::text NOT NULL,
    starts_on date,
    ends_on date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT projects_code_check CHECK (((length(code) >= 1) AND (length(code) <= 40))),
    CONSTRAINT projects_status_check CHECK ((status = ANY (ARRAY['PLANNED'::text, 'ACTIVE'::text, 'ON_HOLD'::text, 'COMPLETED'::text, 'CANCELLED'::text])))
);

ALTER TABLE ONLY public.projects FORCE ROW LEVEL SECURITY;

ALTER TABLE public.projects OWNER TO pms_owner;

CREATE TABLE public.promotion_decisions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    employee_id uuid NOT NULL,
    cycle_id uuid,
    decided_by uuid,
    from_level smallint,
    to_level smallint NOT NULL,
    from_title text,
    to_title text NOT NULL,
    status text DEFAULT 'PROPOSED'::text NOT NULL,
    effective_date date NOT NULL,
    rationale text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    approved_by uuid,
    approved_at timestamp with time zone,
    decision_note text,
    CONSTRAINT promotion_decisions_check CHECK (((from_level IS NULL) OR (to_level > from_level))),
    CONSTRAINT promotion_decisions_decision_note_check CHECK ((length(decision_note) <= 2000)),
    CONSTRAINT promotion_decisions_from_level_check CHECK (((from_level >= 1) AND (from_level <= 20))),
    CONSTRAINT promotion_decisions_status_check CHECK ((status = ANY (ARRAY['PROPOSED'::text, 'APPROVED'::text, 'REJECTED'::text, 'EFFECTIVE'::text]))),
    CONSTRAINT promotion_decisions_to_level_check CHECK (((to_level >= 1) AND (to_level <= 20)))
);

ALTER TABLE ONLY public.promotion_decisions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.promotion_decisions OWNER TO pms_owner;

CREATE TABLE public.promotion_recommendations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    recommended_by uuid,
    model_id uuid,
    cycle_id uuid,
    target_level smallint,
    target_title text,
    readiness_score numeric(5,2) NOT NULL,
    readiness text DEFAULT 'READY_NOW'::text NOT NULL,
    status text DEFAULT 'OPEN'::text NOT NULL,
    rationale text,
    factors jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT promotion_recommendations_readiness_check CHECK ((readiness = ANY (ARRAY['READY_NOW'::text, 'READY_1_YEAR'::text, 'READY_2_YEARS'::text, 'NEEDS_DEVELOPMENT'::text, 'NOT_READY'::text]))),
    CONSTRAINT promotion_recommendations_readiness_score_check CHECK (((readiness_score >= (0)::numeric) AND (readiness_score <= (100)::numeric))),
    CONSTRAINT promotion_recommendations_status_check CHECK ((status = ANY (ARRAY['OPEN'::text, 'ACCEPTED'::text, 'DECLINED'::text, 'CONVERTED'::text]))),
    CONSTRAINT promotion_recommendations_target_level_check CHECK (((target_level >= 1) AND (target_level <= 20)))
);

ALTER TABLE ONLY public.promotion_recommendations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.promotion_recommendations OWNER TO pms_owner;

CREATE TABLE public.pulse_responses (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid,
    survey_id uuid,
    mood smallint NOT NULL,
    comment text,
    responded_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT pulse_responses_mood_check CHECK (((mood >= 1) AND (mood <= 5)))
);

ALTER TABLE ONLY public.pulse_responses FORCE ROW LEVEL SECURITY;

ALTER TABLE public.pulse_responses OWNER TO pms_owner;

CREATE TABLE public.report_aggregations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    report_id uuid,
    department_id uuid,
    metric text NOT NULL,
    dimension text NOT NULL,
    dimension_value text NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    value numeric(18,4) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY public.report_aggregations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.report_aggregations OWNER TO pms_owner;

CREATE TABLE public.report_definitions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    report_type text DEFAULT 'PERFORMANCE_SUMMARY'::text NOT NULL,
    owner_id uuid,
    definition jsonb DEFAULT '{}'::jsonb NOT NULL,
    is_shared boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT report_definitions_report_type_check CHECK ((report_type = ANY (ARRAY['PERFORMANCE_SUMMARY'::text, 'GOAL_PROGRESS'::text, 'REVIEW_COMPLETION'::text, 'FEEDBACK_ACTIVITY'::text, 'ENGAGEMENT'::text, 'COMPENSATION'::text, 'CALIBRATION'::text, 'CUSTOM'::text])))
);

ALTER TABLE ONLY public.report_definitions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.report_definitions OWNER TO pms_owner;

CREATE TABLE public.report_schedules (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    report_id uuid NOT NULL,
    cron text NOT NULL,
    format text DEFAULT 'PDF'::text NOT NULL,
    recipients text[] DEFAULT '{}'::text[] NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    next_run_at timestamp with time zone,
    last_run_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT report_schedules_cron_check CHECK (((length(cron) >= 9) AND (length(cron) <= 100))),
    CONSTRAINT report_schedules_format_check CHECK ((format = ANY (ARRAY['PDF'::text, 'CSV'::text, 'XLSX'::text, 'JSON'::text])))
);

ALTER TABLE ONLY public.report_schedules FORCE ROW LEVEL SECURITY;

ALTER TABLE public.report_schedules OWNER TO pms_owner;

CREATE TABLE public.reporting_chain (
    tenant_id uuid NOT NULL,
    ancestor_id uuid NOT NULL,
    descendant_id uuid NOT NULL,
    depth smallint NOT NULL,
    CONSTRAINT reporting_chain_check CHECK (((depth = 0) = (ancestor_id = descendant_id))),
    CONSTRAINT reporting_chain_depth_check CHECK ((depth >= 0))
);

ALTER TABLE ONLY public.reporting_chain FORCE ROW LEVEL SECURITY;

ALTER TABLE public.reporting_chain OWNER TO pms_owner;

CREATE TABLE public.retention_policy_overrides (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    entity_type text NOT NULL,
    hot_for interval NOT NULL,
    warm_for interval NOT NULL,
    cold_for interval NOT NULL,
    archive_for interval,
    reason text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT retention_policy_overrides_reason_check CHECK ((length(TRIM(BOTH FROM reason)) > 0))
);

ALTER TABLE ONLY public.retention_policy_overrides FORCE ROW LEVEL SECURITY;

ALTER TABLE public.retention_policy_overrides OWNER TO pms_owner;

CREATE VIEW public.review_cycle_progress AS
SELECT
    NULL::uuid AS tenant_id,
    NULL::uuid AS cycle_id,
    NULL::text AS name,
    NULL::text AS cycle_status,
    NULL::bigint AS reviews,
    NULL::bigint AS submitted,
    NULL::numeric AS average_rating;

ALTER TABLE public.review_cycle_progress OWNER TO pms_owner;

CREATE TABLE public.review_cycles (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    cycle_type text DEFAULT 'ANNUAL'::text NOT NULL,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    template_id uuid,
    period_start date NOT NULL,
    period_end date NOT NULL,
    self_assessment_due date,
    manager_review_due date,
    calibration_due date,
    closes_on date,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    calibration_locked_at timestamp with time zone,
    CONSTRAINT review_cycles_check CHECK ((period_end >= period_start)),
    CONSTRAINT review_cycles_cycle_type_check CHECK ((cycle_type = ANY (ARRAY['ANNUAL'::text, 'SEMI_ANNUAL'::text, 'QUARTERLY'::text, 'PROBATION'::text, 'PROJECT'::text]))),
    CONSTRAINT review_cycles_name_check CHECK ((length(TRIM(BOTH FROM name)) > 0)),
    CONSTRAINT review_cycles_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'SCHEDULED'::text, 'SELF_ASSESSMENT'::text, 'MANAGER_REVIEW'::text, 'CALIBRATION'::text, 'FINALIZATION'::text, 'SHARING'::text, 'COMPLETED'::text, 'CANCELLED'::text])))
);

ALTER TABLE ONLY public.review_cycles FORCE ROW LEVEL SECURITY;

ALTER TABLE public.review_cycles OWNER TO pms_owner;

CREATE TABLE public.review_goals (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    review_id uuid NOT NULL,
    goal_id uuid NOT NULL,
    rating numeric(3,2),
    comment text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT review_goals_rating_check CHECK (((rating >= (0)::numeric) AND (rating <= (5)::numeric)))
);

ALTER TABLE ONLY public.review_goals FORCE ROW LEVEL SECURITY;

ALTER TABLE public.review_goals OWNER TO pms_owner;

CREATE TABLE public.review_templates (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    review_type text DEFAULT 'SELF'::text NOT NULL,
    rating_scale_min smallint DEFAULT 1 NOT NULL,
    rating_scale_max smallint DEFAULT 5 NOT NULL,
    sections jsonb DEFAULT '[]'::jsonb NOT NULL,
    is_default boolean DEFAULT false NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT review_templates_check CHECK ((rating_scale_max > rating_scale_min)),
    CONSTRAINT review_templates_name_check CHECK ((length(TRIM(BOTH FROM name)) > 0)),
    CONSTRAINT review_templates_review_type_check CHECK ((review_type = ANY (ARRAY['SELF'::text, 'MANAGER'::text, 'PEER'::text, 'UPWARD'::text, 'FULL_360'::text])))
);

ALTER TABLE ONLY public.review_templates FORCE ROW LEVEL SECURITY;

ALTER TABLE public.review_templates OWNER TO pms_owner;

CREATE TABLE public.roles (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    description text,
    permissions text[] DEFAULT '{}'::text[] NOT NULL,
    is_system boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT roles_code_check CHECK ((code ~ '^[A-Z][A-Z0-9_]{1,39}$'::text))
);

ALTER TABLE ONLY public.roles FORCE ROW LEVEL SECURITY;

ALTER TABLE public.roles OWNER TO pms_owner;

CREATE TABLE public.scenario_analyses (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    created_by uuid,
    scenario_type text DEFAULT 'REORG'::text NOT NULL,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    inputs jsonb DEFAULT '{}'::jsonb NOT NULL,
    results jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT scenario_analyses_scenario_type_check CHECK ((scenario_type = ANY (ARRAY['REORG'::text, 'BUDGET'::text, 'ATTRITION'::text, 'HIRING'::text, 'PROMOTION_BUDGET'::text]))),
    CONSTRAINT scenario_analyses_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'COMPUTED'::text, 'ARCHIVED'::text])))
);

ALTER TABLE ONLY public.scenario_analyses FORCE ROW LEVEL SECURITY;

ALTER TABLE public.scenario_analyses OWNER TO pms_owner;

CREATE TABLE public.security_alert_settings (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    failed_logins integer DEFAULT 5 NOT NULL,
    sensitive_reads integer DEFAULT 100 NOT NULL,
    permission_denials integer DEFAULT 10 NOT NULL,
    bulk_export_rows integer DEFAULT 1000 NOT NULL,
    distinct_addresses integer DEFAULT 5 NOT NULL,
    address_window_minutes integer DEFAULT 60 NOT NULL,
    work_day_start time without time zone DEFAULT '08:00:00'::time without time zone NOT NULL,
    work_day_end time without time zone DEFAULT '18:00:00'::time without time zone NOT NULL,
    work_days smallint[] DEFAULT '{1,2,3,4,5}'::smallint[] NOT NULL,
    timezone text DEFAULT 'UTC'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT security_alert_settings_address_window_minutes_check CHECK (((address_window_minutes >= 1) AND (address_window_minutes <= 10080))),
    CONSTRAINT security_alert_settings_bulk_export_rows_check CHECK (((bulk_export_rows >= 1) AND (bulk_export_rows <= 1000000000))),
    CONSTRAINT security_alert_settings_check CHECK ((work_day_start <> work_day_end)),
    CONSTRAINT security_alert_settings_distinct_addresses_check CHECK (((distinct_addresses >= 2) AND (distinct_addresses <= 100000))),
    CONSTRAINT security_alert_settings_failed_logins_check CHECK (((failed_logins >= 1) AND (failed_logins <= 100000))),
    CONSTRAINT security_alert_settings_permission_denials_check CHECK (((permission_denials >= 1) AND (permission_denials <= 100000))),
    CONSTRAINT security_alert_settings_sensitive_reads_check CHECK (((sensitive_reads >= 1) AND (sensitive_reads <= 10000000))),
    CONSTRAINT security_alert_settings_timezone_check CHECK (((length(timezone) >= 1) AND (length(timezone) <= 64))),
    CONSTRAINT security_alert_settings_work_days_check CHECK ((work_days <@ '{1,2,3,4,5,6,7}'::smallint[]))
);

ALTER TABLE ONLY public.security_alert_settings FORCE ROW LEVEL SECURITY;

ALTER TABLE public.security_alert_settings OWNER TO pms_owner;

CREATE TABLE public.seed_batches (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    batch text NOT NULL,
    row_count bigint NOT NULL,
    parameters jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT seed_batches_row_count_check CHECK ((row_count >= 0))
);

ALTER TABLE ONLY public.seed_batches FORCE ROW LEVEL SECURITY;

ALTER TABLE public.seed_batches OWNER TO pms_owner;

CREATE TABLE public.sentiment_analyses (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    source_type text NOT NULL,
    source_id uuid NOT NULL,
    user_id uuid,
    score numeric(4,3) NOT NULL,
    label text DEFAULT 'NEGATIVE'::text NOT NULL,
    emotions jsonb DEFAULT '{}'::jsonb NOT NULL,
    analyzed_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT sentiment_analyses_label_check CHECK ((label = ANY (ARRAY['NEGATIVE'::text, 'NEUTRAL'::text, 'POSITIVE'::text, 'MIXED'::text]))),
    CONSTRAINT sentiment_analyses_score_check CHECK (((score >= ('-1'::integer)::numeric) AND (score <= (1)::numeric))),
    CONSTRAINT sentiment_analyses_source_type_check CHECK ((source_type = ANY (ARRAY['FEEDBACK'::text, 'SURVEY_RESPONSE'::text, 'REVIEW'::text, 'ONE_ON_ONE'::text, 'PULSE'::text])))
);

ALTER TABLE ONLY public.sentiment_analyses FORCE ROW LEVEL SECURITY;

ALTER TABLE public.sentiment_analyses OWNER TO pms_owner;

CREATE TABLE public.sentiment_trends (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    department_id uuid,
    team_id uuid,
    period_start date NOT NULL,
    average_score numeric(4,3) NOT NULL,
    sample_count integer NOT NULL,
    direction text DEFAULT 'IMPROVING'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT sentiment_trends_direction_check CHECK ((direction = ANY (ARRAY['IMPROVING'::text, 'STABLE'::text, 'DECLINING'::text]))),
    CONSTRAINT sentiment_trends_sample_count_check CHECK ((sample_count >= 0))
);

ALTER TABLE ONLY public.sentiment_trends FORCE ROW LEVEL SECURITY;

ALTER TABLE public.sentiment_trends OWNER TO pms_owner;

CREATE TABLE public.sessions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    ip_address inet,
    user_agent text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    CONSTRAINT sessions_check CHECK ((expires_at > created_at)),
    CONSTRAINT sessions_token_hash_check CHECK ((length(token_hash) = 32))
);

ALTER TABLE ONLY public.sessions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.sessions OWNER TO pms_owner;

CREATE TABLE public.skill_categories (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    parent_id uuid,
    name text NOT NULL,
    description text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY public.skill_categories FORCE ROW LEVEL SECURITY;

ALTER TABLE public.skill_categories OWNER TO pms_owner;

CREATE TABLE public.skill_progress_history (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    skill_id uuid NOT NULL,
    assessment_id uuid,
    from_level smallint,
    to_level smallint NOT NULL,
    changed_on date NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT skill_progress_history_from_level_check CHECK (((from_level >= 0) AND (from_level <= 5))),
    CONSTRAINT skill_progress_history_to_level_check CHECK (((to_level >= 1) AND (to_level <= 5)))
);

ALTER TABLE ONLY public.skill_progress_history FORCE ROW LEVEL SECURITY;

ALTER TABLE public.skill_progress_history OWNER TO pms_owner;

CREATE TABLE public.skills (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    category_id uuid NOT NULL,
    name text NOT NULL,
    description text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone
);

ALTER TABLE ONLY public.skills FORCE ROW LEVEL SECURITY;

ALTER TABLE public.skills OWNER TO pms_owner;

CREATE TABLE public.storage_tier_state (
    tenant_id uuid NOT NULL,
    entity_type text NOT NULL,
    tier text NOT NULL,
    row_count bigint NOT NULL,
    oldest timestamp with time zone,
    newest timestamp with time zone,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT storage_tier_state_row_count_check CHECK ((row_count >= 0)),
    CONSTRAINT storage_tier_state_tier_check CHECK ((tier = ANY (ARRAY['HOT'::text, 'WARM'::text, 'COLD'::text, 'DUE'::text, 'ARCHIVE'::text])))
);

ALTER TABLE ONLY public.storage_tier_state FORCE ROW LEVEL SECURITY;

ALTER TABLE public.storage_tier_state OWNER TO pms_owner;

CREATE TABLE public.subscriptions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    plan text DEFAULT 'STANDARD'::text NOT NULL,
    status text DEFAULT 'ACTIVE'::text NOT NULL,
    seats integer NOT NULL,
    billing_period text DEFAULT 'ANNUAL'::text NOT NULL,
    current_period_start date NOT NULL,
    current_period_end date NOT NULL,
    cancelled_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT subscriptions_billing_period_check CHECK ((billing_period = ANY (ARRAY['MONTHLY'::text, 'ANNUAL'::text]))),
    CONSTRAINT subscriptions_check CHECK ((current_period_end > current_period_start)),
    CONSTRAINT subscriptions_plan_check CHECK ((plan = ANY (ARRAY['FREE'::text, 'STANDARD'::text, 'ENTERPRISE'::text]))),
    CONSTRAINT subscriptions_seats_check CHECK ((seats > 0)),
    CONSTRAINT subscriptions_status_check CHECK ((status = ANY (ARRAY['TRIALING'::text, 'ACTIVE'::text, 'PAST_DUE'::text, 'CANCELLED'::text])))
);

ALTER TABLE ONLY public.subscriptions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.subscriptions OWNER TO pms_owner;

CREATE TABLE public.succession_candidates (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    plan_id uuid NOT NULL,
    candidate_id uuid NOT NULL,
    readiness text DEFAULT 'READY_NOW'::text NOT NULL,
    rank smallint DEFAULT 1 NOT NULL,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT succession_candidates_rank_check CHECK ((rank > 0)),
    CONSTRAINT succession_candidates_readiness_check CHECK ((readiness = ANY (ARRAY['READY_NOW'::text, 'READY_1_YEAR'::text, 'READY_2_YEARS'::text])))
);

ALTER TABLE ONLY public.succession_candidates FORCE ROW LEVEL SECURITY;

ALTER TABLE public.succession_candidates OWNER TO pms_owner;

CREATE TABLE public.succession_plans (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    position_title text NOT NULL,
    incumbent_id uuid,
    department_id uuid,
    owner_id uuid,
    criticality text DEFAULT 'LOW'::text NOT NULL,
    vacancy_risk text DEFAULT 'LOW'::text NOT NULL,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    review_date date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT succession_plans_criticality_check CHECK ((criticality = ANY (ARRAY['LOW'::text, 'MEDIUM'::text, 'HIGH'::text, 'CRITICAL'::text]))),
    CONSTRAINT succession_plans_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'ACTIVE'::text, 'ARCHIVED'::text]))),
    CONSTRAINT succession_plans_vacancy_risk_check CHECK ((vacancy_risk = ANY (ARRAY['LOW'::text, 'MEDIUM'::text, 'HIGH'::text])))
);

ALTER TABLE ONLY public.succession_plans FORCE ROW LEVEL SECURITY;

ALTER TABLE public.succession_plans OWNER TO pms_owner;

CREATE TABLE public.survey_participations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    survey_id uuid NOT NULL,
    user_id uuid NOT NULL,
    participated_on date DEFAULT CURRENT_DATE NOT NULL,
    created_at timestamp with time zone DEFAULT date_trunc('day'::text, now()) NOT NULL,
    updated_at timestamp with time zone DEFAULT date_trunc('day'::text, now()) NOT NULL
);

ALTER TABLE ONLY public.survey_participations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.survey_participations OWNER TO pms_owner;

CREATE TABLE public.survey_questions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    survey_id uuid NOT NULL,
    "position" smallint DEFAULT 0 NOT NULL,
    prompt text NOT NULL,
    answer_type text DEFAULT 'LIKERT_5'::text NOT NULL,
    driver text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT survey_questions_answer_type_check CHECK ((answer_type = ANY (ARRAY['LIKERT_5'::text, 'ENPS_10'::text, 'TEXT'::text, 'CHOICE'::text])))
);

ALTER TABLE ONLY public.survey_questions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.survey_questions OWNER TO pms_owner;

CREATE TABLE public.survey_responses (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    survey_id uuid NOT NULL,
    question_id uuid NOT NULL,
    respondent_id uuid,
    department_id uuid,
    rating smallint,
    answer_text text,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT survey_responses_check CHECK (((rating IS NOT NULL) OR (answer_text IS NOT NULL))),
    CONSTRAINT survey_responses_rating_check CHECK (((rating >= 0) AND (rating <= 10)))
);

ALTER TABLE ONLY public.survey_responses FORCE ROW LEVEL SECURITY;

ALTER TABLE public.survey_responses OWNER TO pms_owner;

CREATE TABLE public.team_composition_analyses (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    team_id uuid NOT NULL,
    analyzed_on date NOT NULL,
    headcount smallint NOT NULL,
    seniority_mix jsonb DEFAULT '{}'::jsonb NOT NULL,
    skill_coverage jsonb DEFAULT '{}'::jsonb NOT NULL,
    health_score numeric(5,2),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT team_composition_analyses_headcount_check CHECK ((headcount >= 0)),
    CONSTRAINT team_composition_analyses_health_score_check CHECK (((health_score >= (0)::numeric) AND (health_score <= (100)::numeric)))
);

ALTER TABLE ONLY public.team_composition_analyses FORCE ROW LEVEL SECURITY;

ALTER TABLE public.team_composition_analyses OWNER TO pms_owner;

CREATE TABLE public.team_optimizations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    team_id uuid NOT NULL,
    suggested_by_model_id uuid,
    optimization_type text DEFAULT 'REBALANCE_WORKLOAD'::text NOT NULL,
    status text DEFAULT 'PROPOSED'::text NOT NULL,
    expected_impact numeric(6,2),
    recommendation jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT team_optimizations_optimization_type_check CHECK ((optimization_type = ANY (ARRAY['REBALANCE_WORKLOAD'::text, 'HIRE'::text, 'MOVE_MEMBER'::text, 'SPLIT_TEAM'::text, 'MERGE_TEAM'::text, 'SKILL_GAP'::text]))),
    CONSTRAINT team_optimizations_status_check CHECK ((status = ANY (ARRAY['PROPOSED'::text, 'ACCEPTED'::text, 'REJECTED'::text, 'IMPLEMENTED'::text])))
);

ALTER TABLE ONLY public.team_optimizations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.team_optimizations OWNER TO pms_owner;

CREATE TABLE public.technical_skill_assessments (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    skill_id uuid NOT NULL,
    assessor_id uuid,
    cycle_id uuid,
    method text DEFAULT 'SELF'::text NOT NULL,
    level smallint NOT NULL,
    target_level smallint,
    assessed_on date DEFAULT CURRENT_DATE NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT technical_skill_assessments_level_check CHECK (((level >= 1) AND (level <= 5))),
    CONSTRAINT technical_skill_assessments_method_check CHECK ((method = ANY (ARRAY['SELF'::text, 'MANAGER'::text, 'TEST'::text, 'CERTIFICATION'::text, 'PEER'::text]))),
    CONSTRAINT technical_skill_assessments_target_level_check CHECK (((target_level >= 1) AND (target_level <= 5)))
);

ALTER TABLE ONLY public.technical_skill_assessments FORCE ROW LEVEL SECURITY;

ALTER TABLE public.technical_skill_assessments OWNER TO pms_owner;

CREATE TABLE public.tenants (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    domain text,
    status text DEFAULT 'ACTIVE'::text NOT NULL,
    plan text DEFAULT 'STANDARD'::text NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT tenants_domain_check CHECK ((domain ~ '^[a-z0-9.-]+$'::text)),
    CONSTRAINT tenants_name_check CHECK ((length(TRIM(BOTH FROM name)) > 0)),
    CONSTRAINT tenants_plan_check CHECK ((plan = ANY (ARRAY['FREE'::text, 'STANDARD'::text, 'ENTERPRISE'::text]))),
    CONSTRAINT tenants_slug_check CHECK ((slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'::text)),
    CONSTRAINT tenants_status_check CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'SUSPENDED'::text, 'CLOSED'::text])))
);

ALTER TABLE ONLY public.tenants FORCE ROW LEVEL SECURITY;

ALTER TABLE public.tenants OWNER TO pms_owner;

CREATE TABLE public.trend_analyses (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    subject_type text NOT NULL,
    subject_id uuid,
    metric text NOT NULL,
    window_start date NOT NULL,
    window_end date NOT NULL,
    slope double precision,
    direction text DEFAULT 'IMPROVING'::text NOT NULL,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT trend_analyses_direction_check CHECK ((direction = ANY (ARRAY['IMPROVING'::text, 'STABLE'::text, 'DECLINING'::text]))),
    CONSTRAINT trend_analyses_subject_type_check CHECK ((subject_type = ANY (ARRAY['USER'::text, 'TEAM'::text, 'DEPARTMENT'::text, 'TENANT'::text])))
);

ALTER TABLE ONLY public.trend_analyses FORCE ROW LEVEL SECURITY;

ALTER TABLE public.trend_analyses OWNER TO pms_owner;

CREATE TABLE public.workload_snapshots (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    captured_on date NOT NULL,
    open_tasks integer DEFAULT 0 NOT NULL,
    meeting_hours numeric(5,2) DEFAULT 0 NOT NULL,
    focus_hours numeric(5,2) DEFAULT 0 NOT NULL,
    utilization_pct numeric(5,2),
    burnout_risk text DEFAULT 'LOW'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workload_snapshots_burnout_risk_check CHECK ((burnout_risk = ANY (ARRAY['LOW'::text, 'MEDIUM'::text, 'HIGH'::text]))),
    CONSTRAINT workload_snapshots_open_tasks_check CHECK ((open_tasks >= 0)),
    CONSTRAINT workload_snapshots_utilization_pct_check CHECK ((utilization_pct >= (0)::numeric))
);

ALTER TABLE ONLY public.workload_snapshots FORCE ROW LEVEL SECURITY;

ALTER TABLE public.workload_snapshots OWNER TO pms_owner;

CREATE TABLE timeseries.chunks (
    hypertable text NOT NULL,
    chunk_name text NOT NULL,
    range_start timestamp with time zone NOT NULL,
    range_end timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    compressed_at timestamp with time zone,
    CONSTRAINT chunks_check CHECK ((range_end > range_start))
);

ALTER TABLE timeseries.chunks OWNER TO pms_owner;

CREATE TABLE timeseries.engagement_metrics_ts_compressed (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    chunk_start timestamp with time zone NOT NULL,
    point_count integer NOT NULL,
    metric_names text[],
    metric_idx smallint[],
    time_secs integer[],
    times timestamp with time zone[],
    values_c integer[],
    values_f double precision[],
    packed bigint[],
    CONSTRAINT engagement_metrics_ts_compressed_format_check CHECK ((((packed IS NOT NULL) AND (metric_names IS NULL) AND (metric_idx IS NULL) AND (time_secs IS NULL) AND (times IS NULL) AND (values_c IS NULL) AND (values_f IS NULL)) OR ((packed IS NULL) AND (metric_names IS NOT NULL) AND (metric_idx IS NOT NULL) AND ((time_secs IS NULL) <> (times IS NULL)) AND ((values_c IS NULL) <> (values_f IS NULL))))),
    CONSTRAINT engagement_metrics_ts_compressed_point_count_check CHECK ((point_count > 0))
)
PARTITION BY RANGE (chunk_start);

ALTER TABLE ONLY timeseries.engagement_metrics_ts_compressed FORCE ROW LEVEL SECURITY;

ALTER TABLE timeseries.engagement_metrics_ts_compressed OWNER TO pms_owner;

CREATE TABLE timeseries.engagement_metrics_ts_default (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    metric_name text NOT NULL,
    value double precision NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT engagement_metrics_ts_value_check CHECK (((value <> 'NaN'::double precision) AND (value > '-Infinity'::double precision) AND (value < 'Infinity'::double precision)))
);

ALTER TABLE timeseries.engagement_metrics_ts_default OWNER TO pms_owner;

CREATE TABLE timeseries.feedback_activity_ts_compressed (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    chunk_start timestamp with time zone NOT NULL,
    point_count integer NOT NULL,
    metric_names text[],
    metric_idx smallint[],
    time_secs integer[],
    times timestamp with time zone[],
    values_c integer[],
    values_f double precision[],
    packed bigint[],
    CONSTRAINT feedback_activity_ts_compressed_format_check CHECK ((((packed IS NOT NULL) AND (metric_names IS NULL) AND (metric_idx IS NULL) AND (time_secs IS NULL) AND (times IS NULL) AND (values_c IS NULL) AND (values_f IS NULL)) OR ((packed IS NULL) AND (metric_names IS NOT NULL) AND (metric_idx IS NOT NULL) AND ((time_secs IS NULL) <> (times IS NULL)) AND ((values_c IS NULL) <> (values_f IS NULL))))),
    CONSTRAINT feedback_activity_ts_compressed_point_count_check CHECK ((point_count > 0))
)
PARTITION BY RANGE (chunk_start);

ALTER TABLE ONLY timeseries.feedback_activity_ts_compressed FORCE ROW LEVEL SECURITY;

ALTER TABLE timeseries.feedback_activity_ts_compressed OWNER TO pms_owner;

CREATE TABLE timeseries.feedback_activity_ts_default (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    metric_name text NOT NULL,
    value double precision NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT feedback_activity_ts_value_check CHECK (((value <> 'NaN'::double precision) AND (value > '-Infinity'::double precision) AND (value < 'Infinity'::double precision)))
);

ALTER TABLE timeseries.feedback_activity_ts_default OWNER TO pms_owner;

CREATE TABLE timeseries.goal_progress_ts_compressed (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    chunk_start timestamp with time zone NOT NULL,
    point_count integer NOT NULL,
    metric_names text[],
    metric_idx smallint[],
    time_secs integer[],
    times timestamp with time zone[],
    values_c integer[],
    values_f double precision[],
    packed bigint[],
    CONSTRAINT goal_progress_ts_compressed_format_check CHECK ((((packed IS NOT NULL) AND (metric_names IS NULL) AND (metric_idx IS NULL) AND (time_secs IS NULL) AND (times IS NULL) AND (values_c IS NULL) AND (values_f IS NULL)) OR ((packed IS NULL) AND (metric_names IS NOT NULL) AND (metric_idx IS NOT NULL) AND ((time_secs IS NULL) <> (times IS NULL)) AND ((values_c IS NULL) <> (values_f IS NULL))))),
    CONSTRAINT goal_progress_ts_compressed_point_count_check CHECK ((point_count > 0))
)
PARTITION BY RANGE (chunk_start);

ALTER TABLE ONLY timeseries.goal_progress_ts_compressed FORCE ROW LEVEL SECURITY;

ALTER TABLE timeseries.goal_progress_ts_compressed OWNER TO pms_owner;

CREATE TABLE timeseries.goal_progress_ts_default (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    metric_name text NOT NULL,
    value double precision NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT goal_progress_ts_value_check CHECK (((value <> 'NaN'::double precision) AND (value > '-Infinity'::double precision) AND (value < 'Infinity'::double precision)))
);

ALTER TABLE timeseries.goal_progress_ts_default OWNER TO pms_owner;

CREATE TABLE timeseries.invalidations (
    hypertable text NOT NULL,
    tenant_id uuid NOT NULL,
    day timestamp with time zone NOT NULL,
    logged_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY timeseries.invalidations FORCE ROW LEVEL SECURITY;

ALTER TABLE timeseries.invalidations OWNER TO pms_owner;

CREATE TABLE timeseries.membership_invalidations (
    rollup text NOT NULL,
    tenant_id uuid NOT NULL,
    grain text NOT NULL,
    subject_id uuid NOT NULL,
    logged_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT membership_invalidations_grain_check CHECK ((grain = ANY (ARRAY['team'::text, 'department'::text])))
);

ALTER TABLE ONLY timeseries.membership_invalidations FORCE ROW LEVEL SECURITY;

ALTER TABLE timeseries.membership_invalidations OWNER TO pms_owner;

CREATE TABLE timeseries.metrics (
    name text NOT NULL,
    hypertable text NOT NULL,
    description text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    id smallint NOT NULL,
    CONSTRAINT metrics_name_check CHECK ((name ~ '^[a-z][a-z0-9_]{0,62}$'::text))
);

ALTER TABLE timeseries.metrics OWNER TO pms_owner;

ALTER TABLE timeseries.metrics ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME timeseries.metrics_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE timeseries.performance_metrics_ts_compressed (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    chunk_start timestamp with time zone NOT NULL,
    point_count integer NOT NULL,
    metric_names text[],
    metric_idx smallint[],
    time_secs integer[],
    times timestamp with time zone[],
    values_c integer[],
    values_f double precision[],
    packed bigint[],
    CONSTRAINT performance_metrics_ts_compressed_format_check CHECK ((((packed IS NOT NULL) AND (metric_names IS NULL) AND (metric_idx IS NULL) AND (time_secs IS NULL) AND (times IS NULL) AND (values_c IS NULL) AND (values_f IS NULL)) OR ((packed IS NULL) AND (metric_names IS NOT NULL) AND (metric_idx IS NOT NULL) AND ((time_secs IS NULL) <> (times IS NULL)) AND ((values_c IS NULL) <> (values_f IS NULL))))),
    CONSTRAINT performance_metrics_ts_compressed_point_count_check CHECK ((point_count > 0))
)
PARTITION BY RANGE (chunk_start);

ALTER TABLE ONLY timeseries.performance_metrics_ts_compressed FORCE ROW LEVEL SECURITY;

ALTER TABLE timeseries.performance_metrics_ts_compressed OWNER TO pms_owner;

CREATE TABLE timeseries.performance_metrics_ts_default (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    metric_name text NOT NULL,
    value double precision NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT performance_metrics_ts_value_check CHECK (((value <> 'NaN'::double precision) AND (value > '-Infinity'::double precision) AND (value < 'Infinity'::double precision)))
);

ALTER TABLE timeseries.performance_metrics_ts_default OWNER TO pms_owner;

CREATE TABLE timeseries.rollup_invalidations (
    rollup text NOT NULL,
    tenant_id uuid NOT NULL,
    day timestamp with time zone NOT NULL
);

ALTER TABLE ONLY timeseries.rollup_invalidations FORCE ROW LEVEL SECURITY;

ALTER TABLE timeseries.rollup_invalidations OWNER TO pms_owner;

CREATE TABLE warehouse.dim_competency (
    tenant_id uuid NOT NULL,
    competency_key bigint NOT NULL,
    competency_id uuid NOT NULL,
    framework_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    category text NOT NULL
);

ALTER TABLE ONLY warehouse.dim_competency FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_competency OWNER TO pms_owner;

ALTER TABLE warehouse.dim_competency ALTER COLUMN competency_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME warehouse.dim_competency_competency_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE warehouse.dim_date (
    tenant_id uuid NOT NULL,
    date_key integer NOT NULL,
    date date NOT NULL,
    year smallint NOT NULL,
    quarter smallint NOT NULL,
    month smallint NOT NULL,
    day smallint NOT NULL,
    iso_week smallint NOT NULL,
    day_of_week smallint NOT NULL,
    is_weekend boolean NOT NULL,
    month_start date NOT NULL,
    fiscal_year smallint NOT NULL,
    fiscal_quarter smallint NOT NULL,
    CONSTRAINT dim_date_date_key_check CHECK (((date_key >= 10000101) AND (date_key <= 99991231))),
    CONSTRAINT dim_date_day_check CHECK (((day >= 1) AND (day <= 31))),
    CONSTRAINT dim_date_day_of_week_check CHECK (((day_of_week >= 1) AND (day_of_week <= 7))),
    CONSTRAINT dim_date_fiscal_quarter_check CHECK (((fiscal_quarter >= 1) AND (fiscal_quarter <= 4))),
    CONSTRAINT dim_date_iso_week_check CHECK (((iso_week >= 1) AND (iso_week <= 53))),
    CONSTRAINT dim_date_month_check CHECK (((month >= 1) AND (month <= 12))),
    CONSTRAINT dim_date_quarter_check CHECK (((quarter >= 1) AND (quarter <= 4)))
);

ALTER TABLE ONLY warehouse.dim_date FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_date OWNER TO pms_owner;

CREATE TABLE warehouse.dim_department (
    tenant_id uuid NOT NULL,
    department_key bigint NOT NULL,
    department_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    parent_id uuid,
    head_id uuid,
    deleted_at timestamp with time zone,
    valid_from timestamp with time zone NOT NULL,
    valid_to timestamp with time zone DEFAULT 'infinity'::timestamp with time zone NOT NULL,
    is_current boolean NOT NULL,
    CONSTRAINT dim_department_check CHECK ((valid_from < valid_to)),
    CONSTRAINT dim_department_check1 CHECK ((is_current = (valid_to = 'infinity'::timestamp with time zone)))
);

ALTER TABLE ONLY warehouse.dim_department FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_department OWNER TO pms_owner;

ALTER TABLE warehouse.dim_department ALTER COLUMN department_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME warehouse.dim_department_department_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE warehouse.dim_review_cycle (
    tenant_id uuid NOT NULL,
    cycle_key bigint NOT NULL,
    cycle_id uuid NOT NULL,
    name text NOT NULL,
    cycle_type text NOT NULL,
    status text NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL
);

ALTER TABLE ONLY warehouse.dim_review_cycle FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_review_cycle OWNER TO pms_owner;

ALTER TABLE warehouse.dim_review_cycle ALTER COLUMN cycle_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME warehouse.dim_review_cycle_cycle_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE warehouse.dim_team (
    tenant_id uuid NOT NULL,
    team_key bigint NOT NULL,
    team_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    team_type text NOT NULL,
    department_id uuid
);

ALTER TABLE ONLY warehouse.dim_team FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_team OWNER TO pms_owner;

ALTER TABLE warehouse.dim_team ALTER COLUMN team_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME warehouse.dim_team_team_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE warehouse.dim_tenant (
    tenant_id uuid NOT NULL,
    tenant_key bigint NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    plan text NOT NULL,
    status text NOT NULL,
    fiscal_year_start_month smallint DEFAULT 1 NOT NULL,
    CONSTRAINT dim_tenant_fiscal_year_start_month_check CHECK (((fiscal_year_start_month >= 1) AND (fiscal_year_start_month <= 12)))
);

ALTER TABLE ONLY warehouse.dim_tenant FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_tenant OWNER TO pms_owner;

ALTER TABLE warehouse.dim_tenant ALTER COLUMN tenant_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME warehouse.dim_tenant_tenant_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE warehouse.dim_user (
    tenant_id uuid NOT NULL,
    user_key bigint NOT NULL,
    user_id uuid NOT NULL,
    email text NOT NULL,
    display_name text NOT NULL,
    employee_number text,
    hire_date date,
    department_id uuid,
    manager_id uuid,
    level smallint,
    job_title text,
    location text,
    employment_type text,
    employment_status text,
    termination_date date,
    deleted_at timestamp with time zone,
    valid_from timestamp with time zone NOT NULL,
    valid_to timestamp with time zone DEFAULT 'infinity'::timestamp with time zone NOT NULL,
    is_current boolean NOT NULL,
    CONSTRAINT dim_user_check CHECK ((valid_from < valid_to)),
    CONSTRAINT dim_user_check1 CHECK ((is_current = (valid_to = 'infinity'::timestamp with time zone)))
);

ALTER TABLE ONLY warehouse.dim_user FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_user OWNER TO pms_owner;

ALTER TABLE warehouse.dim_user ALTER COLUMN user_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME warehouse.dim_user_user_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE warehouse.fact_engagement (
    tenant_id uuid NOT NULL,
    engagement_key bigint NOT NULL,
    source text NOT NULL,
    source_id uuid NOT NULL,
    metric_name text DEFAULT ''::text NOT NULL,
    user_key bigint,
    department_key bigint,
    date_key integer NOT NULL,
    score double precision,
    sample_count bigint DEFAULT 1 NOT NULL,
    CONSTRAINT fact_engagement_sample_count_check CHECK ((sample_count > 0)),
    CONSTRAINT fact_engagement_source_check CHECK ((source = ANY (ARRAY['SURVEY'::text, 'PULSE'::text, 'WEEKLY'::text])))
);

ALTER TABLE ONLY warehouse.fact_engagement FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.fact_engagement OWNER TO pms_owner;

ALTER TABLE warehouse.fact_engagement ALTER COLUMN engagement_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME warehouse.fact_engagement_engagement_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE warehouse.fact_feedback (
    tenant_id uuid NOT NULL,
    feedback_key bigint NOT NULL,
    feedback_id uuid NOT NULL,
    giver_key bigint,
    receiver_key bigint,
    receiver_department_key bigint,
    date_key integer NOT NULL,
    feedback_type text NOT NULL,
    visibility text NOT NULL,
    is_anonymous boolean NOT NULL,
    sentiment_score numeric(4,3),
    given_at timestamp with time zone NOT NULL,
    CONSTRAINT fact_feedback_check CHECK (((NOT is_anonymous) OR (giver_key IS NULL)))
);

ALTER TABLE ONLY warehouse.fact_feedback FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.fact_feedback OWNER TO pms_owner;

ALTER TABLE warehouse.fact_feedback ALTER COLUMN feedback_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME warehouse.fact_feedback_feedback_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE warehouse.fact_goal_progress (
    tenant_id uuid NOT NULL,
    goal_key bigint NOT NULL,
    goal_id uuid NOT NULL,
    owner_key bigint,
    team_key bigint,
    department_key bigint,
    date_key integer NOT NULL,
    goal_type text NOT NULL,
    status text NOT NULL,
    progress numeric(5,2) NOT NULL,
    weight numeric(5,2) NOT NULL,
    is_completed boolean NOT NULL
);

ALTER TABLE ONLY warehouse.fact_goal_progress FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.fact_goal_progress OWNER TO pms_owner;

ALTER TABLE warehouse.fact_goal_progress ALTER COLUMN goal_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME warehouse.fact_goal_progress_goal_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE warehouse.fact_performance_daily (
    tenant_id uuid NOT NULL,
    daily_key bigint NOT NULL,
    user_id uuid NOT NULL,
    user_key bigint,
    department_key bigint,
    date_key integer NOT NULL,
    metric_name text NOT NULL,
    sample_count bigint NOT NULL,
    avg_value double precision NOT NULL,
    min_value double precision NOT NULL,
    max_value double precision NOT NULL,
    CONSTRAINT fact_performance_daily_sample_count_check CHECK ((sample_count > 0))
);

ALTER TABLE ONLY warehouse.fact_performance_daily FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.fact_performance_daily OWNER TO pms_owner;

ALTER TABLE warehouse.fact_performance_daily ALTER COLUMN daily_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME warehouse.fact_performance_daily_daily_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE warehouse.fact_performance_review (
    tenant_id uuid NOT NULL,
    review_key bigint NOT NULL,
    review_id uuid NOT NULL,
    cycle_key bigint,
    reviewee_key bigint,
    reviewer_key bigint,
    department_key bigint,
    date_key integer NOT NULL,
    review_type text NOT NULL,
    status text NOT NULL,
    original_rating numeric(3,2),
    calibrated_rating numeric(3,2),
    reviewed_at timestamp with time zone NOT NULL
);

ALTER TABLE ONLY warehouse.fact_performance_review FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.fact_performance_review OWNER TO pms_owner;

ALTER TABLE warehouse.fact_performance_review ALTER COLUMN review_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME warehouse.fact_performance_review_review_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE warehouse.rollup_changes (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    rollup text NOT NULL,
    bucket timestamp with time zone NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY warehouse.rollup_changes FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.rollup_changes OWNER TO pms_owner;

CREATE TABLE warehouse.sync_runs (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    mode text NOT NULL,
    horizon timestamp with time zone NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone NOT NULL,
    duration_ms bigint NOT NULL,
    rows_changed bigint NOT NULL,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT sync_runs_duration_ms_check CHECK ((duration_ms >= 0)),
    CONSTRAINT sync_runs_mode_check CHECK ((mode = ANY (ARRAY['FULL'::text, 'INCREMENTAL'::text]))),
    CONSTRAINT sync_runs_rows_changed_check CHECK ((rows_changed >= 0))
);

ALTER TABLE ONLY warehouse.sync_runs FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.sync_runs OWNER TO pms_owner;

CREATE TABLE warehouse.sync_watermarks (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    source text NOT NULL,
    horizon timestamp with time zone NOT NULL,
    rows_read bigint DEFAULT 0 NOT NULL,
    rows_changed bigint DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY warehouse.sync_watermarks FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.sync_watermarks OWNER TO pms_owner;

CREATE TABLE warehouse.tombstones (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    source_table text NOT NULL,
    row_id uuid NOT NULL,
    deleted_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY warehouse.tombstones FORCE ROW LEVEL SECURITY;

ALTER TABLE warehouse.tombstones OWNER TO pms_owner;

ALTER TABLE ONLY public.feedback ATTACH PARTITION pms_parts.feedback_default DEFAULT;

ALTER TABLE ONLY public.goals ATTACH PARTITION pms_parts.goals_default DEFAULT;

ALTER TABLE ONLY public.key_results ATTACH PARTITION pms_parts.key_results_default DEFAULT;

ALTER TABLE ONLY public.one_on_ones ATTACH PARTITION pms_parts.one_on_ones_default DEFAULT;

ALTER TABLE ONLY public.performance_reviews ATTACH PARTITION pms_parts.performance_reviews_default DEFAULT;

ALTER TABLE ONLY public.reporting_lines ATTACH PARTITION pms_parts.reporting_lines_default DEFAULT;

ALTER TABLE ONLY public.team_members ATTACH PARTITION pms_parts.team_members_default DEFAULT;

ALTER TABLE ONLY public.teams ATTACH PARTITION pms_parts.teams_default DEFAULT;

ALTER TABLE ONLY public.user_roles ATTACH PARTITION pms_parts.user_roles_default DEFAULT;

ALTER TABLE ONLY public.engagement_metrics_ts ATTACH PARTITION timeseries.engagement_metrics_ts_default DEFAULT;

ALTER TABLE ONLY public.feedback_activity_ts ATTACH PARTITION timeseries.feedback_activity_ts_default DEFAULT;

ALTER TABLE ONLY public.goal_progress_ts ATTACH PARTITION timeseries.goal_progress_ts_default DEFAULT;

ALTER TABLE ONLY public.performance_metrics_ts ATTACH PARTITION timeseries.performance_metrics_ts_default DEFAULT;

ALTER TABLE ONLY pms_meta.audited_tables
    ADD CONSTRAINT audited_tables_entity_type_key UNIQUE (entity_type);

ALTER TABLE ONLY pms_meta.audited_tables
    ADD CONSTRAINT audited_tables_pkey PRIMARY KEY (table_name);

ALTER TABLE ONLY pms_meta.bulk_loads
    ADD CONSTRAINT bulk_loads_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY pms_meta.migrations
    ADD CONSTRAINT migrations_pkey PRIMARY KEY (name);

ALTER TABLE ONLY pms_meta.replaceable
    ADD CONSTRAINT replaceable_pkey PRIMARY KEY (id);

ALTER TABLE ONLY pms_meta.tenant_partition_builds
    ADD CONSTRAINT tenant_partition_builds_pkey PRIMARY KEY (tenant_id, table_name);

ALTER TABLE ONLY pms_meta.visibility_rules
    ADD CONSTRAINT visibility_rules_pkey PRIMARY KEY (table_name);

ALTER TABLE ONLY public.feedback
    ADD CONSTRAINT feedback_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY pms_parts.feedback_default
    ADD CONSTRAINT feedback_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.goals
    ADD CONSTRAINT goals_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY pms_parts.goals_default
    ADD CONSTRAINT goals_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.key_results
    ADD CONSTRAINT key_results_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY pms_parts.key_results_default
    ADD CONSTRAINT key_results_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.one_on_ones
    ADD CONSTRAINT one_on_ones_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY pms_parts.one_on_ones_default
    ADD CONSTRAINT one_on_ones_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.performance_reviews
    ADD CONSTRAINT performance_reviews_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY pms_parts.performance_reviews_default
    ADD CONSTRAINT performance_reviews_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.reporting_lines
    ADD CONSTRAINT reporting_lines_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY pms_parts.reporting_lines_default
    ADD CONSTRAINT reporting_lines_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.team_members
    ADD CONSTRAINT team_members_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY pms_parts.team_members_default
    ADD CONSTRAINT team_members_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY pms_parts.teams_default
    ADD CONSTRAINT teams_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_tenant_id_code_key UNIQUE (tenant_id, code);

ALTER TABLE ONLY pms_parts.teams_default
    ADD CONSTRAINT teams_tenant_id_code_key UNIQUE (tenant_id, code);

ALTER TABLE ONLY public.user_roles
    ADD CONSTRAINT user_roles_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY pms_parts.user_roles_default
    ADD CONSTRAINT user_roles_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.user_roles
    ADD CONSTRAINT user_roles_tenant_id_user_id_role_id_key UNIQUE (tenant_id, user_id, role_id);

ALTER TABLE ONLY pms_parts.user_roles_default
    ADD CONSTRAINT user_roles_tenant_id_user_id_role_id_key UNIQUE (tenant_id, user_id, role_id);

ALTER TABLE ONLY pms_retention.entities
    ADD CONSTRAINT entities_pkey PRIMARY KEY (entity_type);

ALTER TABLE ONLY pms_retention.erasure_hooks
    ADD CONSTRAINT erasure_hooks_pkey PRIMARY KEY (name);

ALTER TABLE ONLY pms_retention.erasure_rules
    ADD CONSTRAINT erasure_rules_pkey PRIMARY KEY (table_name, column_name);

ALTER TABLE ONLY pms_retention.policies
    ADD CONSTRAINT policies_pkey PRIMARY KEY (entity_type);

ALTER TABLE ONLY public.access_policies
    ADD CONSTRAINT access_policies_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.access_policies
    ADD CONSTRAINT access_policies_tenant_id_name_key UNIQUE (tenant_id, name);

ALTER TABLE ONLY public.activity_events
    ADD CONSTRAINT activity_events_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.anomaly_detections
    ADD CONSTRAINT anomaly_detections_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.anomaly_patterns
    ADD CONSTRAINT anomaly_patterns_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.api_idempotency_keys
    ADD CONSTRAINT api_idempotency_keys_pkey PRIMARY KEY (tenant_id, user_id, key);

ALTER TABLE ONLY public.archive_batches
    ADD CONSTRAINT archive_batches_object_key_key UNIQUE (object_key);

ALTER TABLE ONLY public.archive_batches
    ADD CONSTRAINT archive_batches_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.archive_pending
    ADD CONSTRAINT archive_pending_pkey PRIMARY KEY (tenant_id, entity_type, id);

ALTER TABLE ONLY public.archived_entities
    ADD CONSTRAINT archived_entities_pkey PRIMARY KEY (tenant_id, entity_type, id);

ALTER TABLE ONLY public.assessment_cycles
    ADD CONSTRAINT assessment_cycles_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.audit_chain_heads
    ADD CONSTRAINT audit_chain_heads_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.audit_chain_heads
    ADD CONSTRAINT audit_chain_heads_tenant_id_stream_key UNIQUE (tenant_id, stream);

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (tenant_id, id, occurred_at);

ALTER TABLE ONLY public.background_jobs
    ADD CONSTRAINT background_jobs_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.behavioral_competency_scores
    ADD CONSTRAINT behavioral_competency_scores_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.benchmark_comparisons
    ADD CONSTRAINT benchmark_comparisons_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.benchmarks
    ADD CONSTRAINT benchmarks_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.business_units
    ADD CONSTRAINT business_units_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.business_units
    ADD CONSTRAINT business_units_tenant_id_code_key UNIQUE (tenant_id, code);

ALTER TABLE ONLY public.calibration_participants
    ADD CONSTRAINT calibration_participants_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.calibration_ratings
    ADD CONSTRAINT calibration_ratings_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.calibration_sessions
    ADD CONSTRAINT calibration_sessions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.career_path_steps
    ADD CONSTRAINT career_path_steps_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.career_paths
    ADD CONSTRAINT career_paths_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.communication_sentiments
    ADD CONSTRAINT communication_sentiments_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.compensation_decisions
    ADD CONSTRAINT compensation_decisions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.competencies
    ADD CONSTRAINT competencies_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.competency_assessments
    ADD CONSTRAINT competency_assessments_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.competency_frameworks
    ADD CONSTRAINT competency_frameworks_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.compliance_assessments
    ADD CONSTRAINT compliance_assessments_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.compliance_policies
    ADD CONSTRAINT compliance_policies_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.compliance_violations
    ADD CONSTRAINT compliance_violations_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.contribution_scores
    ADD CONSTRAINT contribution_scores_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.cost_centers
    ADD CONSTRAINT cost_centers_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.cost_centers
    ADD CONSTRAINT cost_centers_tenant_id_code_key UNIQUE (tenant_id, code);

ALTER TABLE ONLY public.culture_diagnostics
    ADD CONSTRAINT culture_diagnostics_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.dashboard_widgets
    ADD CONSTRAINT dashboard_widgets_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.dashboards
    ADD CONSTRAINT dashboards_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.deadline_alerts
    ADD CONSTRAINT deadline_alerts_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.delegations
    ADD CONSTRAINT delegations_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.department_health_metrics
    ADD CONSTRAINT department_health_metrics_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_tenant_id_code_key UNIQUE (tenant_id, code);

ALTER TABLE ONLY public.development_activities
    ADD CONSTRAINT development_activities_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.development_checkpoints
    ADD CONSTRAINT development_checkpoints_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.development_plans
    ADD CONSTRAINT development_plans_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.engagement_events
    ADD CONSTRAINT engagement_events_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.engagement_scores
    ADD CONSTRAINT engagement_scores_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.engagement_surveys
    ADD CONSTRAINT engagement_surveys_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.evidence_links
    ADD CONSTRAINT evidence_links_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.evidence
    ADD CONSTRAINT evidence_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.feature_store_features
    ADD CONSTRAINT feature_store_features_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.feature_store_values
    ADD CONSTRAINT feature_store_values_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.feedback_360_aggregations
    ADD CONSTRAINT feedback_360_aggregations_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.feedback_360_cycles
    ADD CONSTRAINT feedback_360_cycles_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.feedback_360_gap_analyses
    ADD CONSTRAINT feedback_360_gap_analyses_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.feedback_360_nominations
    ADD CONSTRAINT feedback_360_nominations_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.feedback_360_questionnaires
    ADD CONSTRAINT feedback_360_questionnaires_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.feedback_360_questions
    ADD CONSTRAINT feedback_360_questions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.feedback_360_requests
    ADD CONSTRAINT feedback_360_requests_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.feedback_360_responses
    ADD CONSTRAINT feedback_360_responses_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.generated_reports
    ADD CONSTRAINT generated_reports_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.goal_alignments
    ADD CONSTRAINT goal_alignments_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.goal_comments
    ADD CONSTRAINT goal_comments_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.goal_progress_updates
    ADD CONSTRAINT goal_progress_updates_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.innovation_contributions
    ADD CONSTRAINT innovation_contributions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.innovation_evaluations
    ADD CONSTRAINT innovation_evaluations_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.invoices
    ADD CONSTRAINT invoices_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.kpi_definitions
    ADD CONSTRAINT kpi_definitions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.kpi_values
    ADD CONSTRAINT kpi_values_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.leaderboard_entries
    ADD CONSTRAINT leaderboard_entries_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.leaderboards
    ADD CONSTRAINT leaderboards_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.leadership_competency_scores
    ADD CONSTRAINT leadership_competency_scores_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.legal_holds
    ADD CONSTRAINT legal_holds_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.metric_anomalies
    ADD CONSTRAINT metric_anomalies_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.metric_ingestions
    ADD CONSTRAINT metric_ingestions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.milestone_progress_events
    ADD CONSTRAINT milestone_progress_events_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.ml_model_predictions
    ADD CONSTRAINT ml_model_predictions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.ml_models
    ADD CONSTRAINT ml_models_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.notification_preferences
    ADD CONSTRAINT notification_preferences_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.notification_templates
    ADD CONSTRAINT notification_templates_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.one_on_one_action_items
    ADD CONSTRAINT one_on_one_action_items_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.one_on_one_agenda_items
    ADD CONSTRAINT one_on_one_agenda_items_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.one_on_one_private_notes
    ADD CONSTRAINT one_on_one_private_notes_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.organizational_health_metrics
    ADD CONSTRAINT organizational_health_metrics_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.performance_improvement_plans
    ADD CONSTRAINT performance_improvement_plans_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.pip_check_ins
    ADD CONSTRAINT pip_check_ins_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.pip_milestones
    ADD CONSTRAINT pip_milestones_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.pip_templates
    ADD CONSTRAINT pip_templates_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.privacy_erasures
    ADD CONSTRAINT privacy_erasures_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.privacy_erasures
    ADD CONSTRAINT privacy_erasures_tenant_id_subject_hash_key UNIQUE (tenant_id, subject_hash);

ALTER TABLE ONLY public.productivity_predictions
    ADD CONSTRAINT productivity_predictions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.project_evaluations
    ADD CONSTRAINT project_evaluations_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.project_milestones
    ADD CONSTRAINT project_milestones_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.promotion_decisions
    ADD CONSTRAINT promotion_decisions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.promotion_recommendations
    ADD CONSTRAINT promotion_recommendations_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.pulse_responses
    ADD CONSTRAINT pulse_responses_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.report_aggregations
    ADD CONSTRAINT report_aggregations_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.report_definitions
    ADD CONSTRAINT report_definitions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.report_schedules
    ADD CONSTRAINT report_schedules_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.reporting_chain
    ADD CONSTRAINT reporting_chain_pkey PRIMARY KEY (tenant_id, ancestor_id, descendant_id) INCLUDE (depth);

ALTER TABLE ONLY public.retention_policy_overrides
    ADD CONSTRAINT retention_policy_overrides_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.retention_policy_overrides
    ADD CONSTRAINT retention_policy_overrides_tenant_id_entity_type_key UNIQUE (tenant_id, entity_type);

ALTER TABLE ONLY public.review_cycles
    ADD CONSTRAINT review_cycles_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.review_goals
    ADD CONSTRAINT review_goals_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.review_templates
    ADD CONSTRAINT review_templates_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.roles
    ADD CONSTRAINT roles_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.roles
    ADD CONSTRAINT roles_tenant_id_code_key UNIQUE (tenant_id, code);

ALTER TABLE ONLY public.scenario_analyses
    ADD CONSTRAINT scenario_analyses_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.security_alert_settings
    ADD CONSTRAINT security_alert_settings_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.security_alert_settings
    ADD CONSTRAINT security_alert_settings_tenant_id_key UNIQUE (tenant_id);

ALTER TABLE ONLY public.security_events
    ADD CONSTRAINT security_events_pkey PRIMARY KEY (tenant_id, id, occurred_at);

ALTER TABLE ONLY public.seed_batches
    ADD CONSTRAINT seed_batches_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.sentiment_analyses
    ADD CONSTRAINT sentiment_analyses_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.sentiment_trends
    ADD CONSTRAINT sentiment_trends_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.skill_categories
    ADD CONSTRAINT skill_categories_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.skill_progress_history
    ADD CONSTRAINT skill_progress_history_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.skills
    ADD CONSTRAINT skills_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.storage_tier_state
    ADD CONSTRAINT storage_tier_state_pkey PRIMARY KEY (tenant_id, entity_type, tier);

ALTER TABLE ONLY public.subscriptions
    ADD CONSTRAINT subscriptions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.succession_candidates
    ADD CONSTRAINT succession_candidates_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.succession_plans
    ADD CONSTRAINT succession_plans_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.survey_participations
    ADD CONSTRAINT survey_participations_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.survey_questions
    ADD CONSTRAINT survey_questions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.survey_responses
    ADD CONSTRAINT survey_responses_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.team_composition_analyses
    ADD CONSTRAINT team_composition_analyses_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.team_optimizations
    ADD CONSTRAINT team_optimizations_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.technical_skill_assessments
    ADD CONSTRAINT technical_skill_assessments_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.tenants
    ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.trend_analyses
    ADD CONSTRAINT trend_analyses_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY public.workload_snapshots
    ADD CONSTRAINT workload_snapshots_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY timeseries.chunks
    ADD CONSTRAINT chunks_chunk_name_key UNIQUE (chunk_name);

ALTER TABLE ONLY timeseries.chunks
    ADD CONSTRAINT chunks_pkey PRIMARY KEY (hypertable, range_start);

ALTER TABLE ONLY timeseries.engagement_metrics_weekly_mat
    ADD CONSTRAINT engagement_metrics_weekly_mat_pkey PRIMARY KEY (tenant_id, grain, subject_id, bucket, metric_name) INCLUDE (sample_count, sum_value, min_value, max_value);

ALTER TABLE ONLY timeseries.feedback_trends_monthly_mat
    ADD CONSTRAINT feedback_trends_monthly_mat_pkey PRIMARY KEY (tenant_id, grain, subject_id, bucket, metric_name) INCLUDE (sample_count, sum_value, min_value, max_value);

ALTER TABLE ONLY timeseries.hypertables
    ADD CONSTRAINT hypertables_pkey PRIMARY KEY (name);

ALTER TABLE ONLY timeseries.metrics
    ADD CONSTRAINT metrics_id_key UNIQUE (id);

ALTER TABLE ONLY timeseries.metrics
    ADD CONSTRAINT metrics_pkey PRIMARY KEY (name);

ALTER TABLE ONLY timeseries.performance_metrics_daily_mat
    ADD CONSTRAINT performance_metrics_daily_mat_pkey PRIMARY KEY (tenant_id, grain, subject_id, bucket, metric_name) INCLUDE (sample_count, sum_value, min_value, max_value);

ALTER TABLE ONLY timeseries.performance_metrics_monthly_mat
    ADD CONSTRAINT performance_metrics_monthly_mat_pkey PRIMARY KEY (tenant_id, grain, subject_id, bucket, metric_name) INCLUDE (sample_count, sum_value, min_value, max_value);

ALTER TABLE ONLY timeseries.rollups
    ADD CONSTRAINT rollups_pkey PRIMARY KEY (name);

ALTER TABLE ONLY warehouse.dim_competency
    ADD CONSTRAINT dim_competency_pkey PRIMARY KEY (tenant_id, competency_key);

ALTER TABLE ONLY warehouse.dim_competency
    ADD CONSTRAINT dim_competency_tenant_id_competency_id_key UNIQUE (tenant_id, competency_id);

ALTER TABLE ONLY warehouse.dim_date
    ADD CONSTRAINT dim_date_pkey PRIMARY KEY (tenant_id, date_key);

ALTER TABLE ONLY warehouse.dim_date
    ADD CONSTRAINT dim_date_tenant_id_date_key UNIQUE (tenant_id, date);

ALTER TABLE ONLY warehouse.dim_department
    ADD CONSTRAINT dim_department_pkey PRIMARY KEY (tenant_id, department_key);

ALTER TABLE ONLY warehouse.dim_department
    ADD CONSTRAINT dim_department_tenant_id_department_id_tstzrange_excl EXCLUDE USING gist (tenant_id WITH =, department_id WITH =, tstzrange(valid_from, valid_to) WITH &&);

ALTER TABLE ONLY warehouse.dim_review_cycle
    ADD CONSTRAINT dim_review_cycle_pkey PRIMARY KEY (tenant_id, cycle_key);

ALTER TABLE ONLY warehouse.dim_review_cycle
    ADD CONSTRAINT dim_review_cycle_tenant_id_cycle_id_key UNIQUE (tenant_id, cycle_id);

ALTER TABLE ONLY warehouse.dim_team
    ADD CONSTRAINT dim_team_pkey PRIMARY KEY (tenant_id, team_key);

ALTER TABLE ONLY warehouse.dim_team
    ADD CONSTRAINT dim_team_tenant_id_team_id_key UNIQUE (tenant_id, team_id);

ALTER TABLE ONLY warehouse.dim_tenant
    ADD CONSTRAINT dim_tenant_pkey PRIMARY KEY (tenant_id, tenant_key);

ALTER TABLE ONLY warehouse.dim_tenant
    ADD CONSTRAINT dim_tenant_tenant_id_key UNIQUE (tenant_id);

ALTER TABLE ONLY warehouse.dim_user
    ADD CONSTRAINT dim_user_pkey PRIMARY KEY (tenant_id, user_key);

ALTER TABLE ONLY warehouse.dim_user
    ADD CONSTRAINT dim_user_tenant_id_user_id_tstzrange_excl EXCLUDE USING gist (tenant_id WITH =, user_id WITH =, tstzrange(valid_from, valid_to) WITH &&);

ALTER TABLE ONLY warehouse.fact_engagement
    ADD CONSTRAINT fact_engagement_pkey PRIMARY KEY (tenant_id, engagement_key);

ALTER TABLE ONLY warehouse.fact_engagement
    ADD CONSTRAINT fact_engagement_tenant_id_source_source_id_metric_name_date_key UNIQUE (tenant_id, source, source_id, metric_name, date_key);

ALTER TABLE ONLY warehouse.fact_feedback
    ADD CONSTRAINT fact_feedback_pkey PRIMARY KEY (tenant_id, feedback_key);

ALTER TABLE ONLY warehouse.fact_feedback
    ADD CONSTRAINT fact_feedback_tenant_id_feedback_id_key UNIQUE (tenant_id, feedback_id);

ALTER TABLE ONLY warehouse.fact_goal_progress
    ADD CONSTRAINT fact_goal_progress_pkey PRIMARY KEY (tenant_id, goal_key);

ALTER TABLE ONLY warehouse.fact_goal_progress
    ADD CONSTRAINT fact_goal_progress_tenant_id_goal_id_key UNIQUE (tenant_id, goal_id);

ALTER TABLE ONLY warehouse.fact_performance_daily
    ADD CONSTRAINT fact_performance_daily_pkey PRIMARY KEY (tenant_id, daily_key);

ALTER TABLE ONLY warehouse.fact_performance_daily
    ADD CONSTRAINT fact_performance_daily_tenant_id_date_key_user_id_metric_na_key UNIQUE (tenant_id, date_key, user_id, metric_name);

ALTER TABLE ONLY warehouse.fact_performance_review
    ADD CONSTRAINT fact_performance_review_pkey PRIMARY KEY (tenant_id, review_key);

ALTER TABLE ONLY warehouse.fact_performance_review
    ADD CONSTRAINT fact_performance_review_tenant_id_review_id_key UNIQUE (tenant_id, review_id);

ALTER TABLE ONLY warehouse.rollup_changes
    ADD CONSTRAINT rollup_changes_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY warehouse.sync_runs
    ADD CONSTRAINT sync_runs_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY warehouse.sync_watermarks
    ADD CONSTRAINT sync_watermarks_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY warehouse.sync_watermarks
    ADD CONSTRAINT sync_watermarks_tenant_id_source_key UNIQUE (tenant_id, source);

ALTER TABLE ONLY warehouse.tombstones
    ADD CONSTRAINT tombstones_pkey PRIMARY KEY (tenant_id, id);

CREATE INDEX feedback_giver_time_idx ON ONLY public.feedback USING btree (tenant_id, giver_id, created_at DESC) WHERE (giver_id IS NOT NULL);

CREATE INDEX feedback_giver_time_idx ON pms_parts.feedback_default USING btree (tenant_id, giver_id, created_at DESC) WHERE (giver_id IS NOT NULL);

CREATE INDEX feedback_goal_fk_idx ON ONLY public.feedback USING btree (tenant_id, goal_id) WHERE (goal_id IS NOT NULL);

CREATE INDEX feedback_goal_fk_idx ON pms_parts.feedback_default USING btree (tenant_id, goal_id) WHERE (goal_id IS NOT NULL);

CREATE INDEX feedback_public_time_idx ON ONLY public.feedback USING btree (tenant_id, created_at DESC) WHERE ((visibility = 'PUBLIC'::text) AND (deleted_at IS NULL));

CREATE INDEX feedback_public_time_idx ON pms_parts.feedback_default USING btree (tenant_id, created_at DESC) WHERE ((visibility = 'PUBLIC'::text) AND (deleted_at IS NULL));

CREATE INDEX feedback_recipient_time_idx ON ONLY public.feedback USING btree (tenant_id, recipient_id, created_at DESC) WHERE (deleted_at IS NULL);

CREATE INDEX feedback_recipient_time_idx ON pms_parts.feedback_default USING btree (tenant_id, recipient_id, created_at DESC) WHERE (deleted_at IS NULL);

CREATE INDEX feedback_requested_by_fk_idx ON ONLY public.feedback USING btree (tenant_id, requested_by) WHERE (requested_by IS NOT NULL);

CREATE INDEX feedback_requested_by_fk_idx ON pms_parts.feedback_default USING btree (tenant_id, requested_by) WHERE (requested_by IS NOT NULL);

CREATE INDEX feedback_search_idx ON ONLY public.feedback USING gin (search_vector);

CREATE INDEX feedback_search_idx ON pms_parts.feedback_default USING gin (search_vector);

CREATE INDEX feedback_tags_idx ON ONLY public.feedback USING gin (tags);

CREATE INDEX feedback_tags_idx ON pms_parts.feedback_default USING gin (tags);

CREATE INDEX feedback_unread_idx ON ONLY public.feedback USING btree (tenant_id, recipient_id) WHERE ((read_at IS NULL) AND (deleted_at IS NULL));

CREATE INDEX feedback_unread_idx ON pms_parts.feedback_default USING btree (tenant_id, recipient_id) WHERE ((read_at IS NULL) AND (deleted_at IS NULL));

CREATE INDEX goals_company_period_idx ON ONLY public.goals USING btree (tenant_id, goal_type, period_start) WHERE ((goal_type = ANY (ARRAY['COMPANY'::text, 'OKR_OBJECTIVE'::text])) AND (deleted_at IS NULL));

CREATE INDEX goals_company_period_idx ON pms_parts.goals_default USING btree (tenant_id, goal_type, period_start) WHERE ((goal_type = ANY (ARRAY['COMPANY'::text, 'OKR_OBJECTIVE'::text])) AND (deleted_at IS NULL));

CREATE INDEX goals_department_status_idx ON ONLY public.goals USING btree (tenant_id, department_id, status) WHERE ((department_id IS NOT NULL) AND (deleted_at IS NULL));

CREATE INDEX goals_department_status_idx ON pms_parts.goals_default USING btree (tenant_id, department_id, status) WHERE ((department_id IS NOT NULL) AND (deleted_at IS NULL));

CREATE INDEX goals_metadata_idx ON ONLY public.goals USING gin (metadata jsonb_path_ops);

CREATE INDEX goals_metadata_idx ON pms_parts.goals_default USING gin (metadata jsonb_path_ops);

CREATE INDEX goals_open_due_idx ON ONLY public.goals USING btree (tenant_id, period_end) WHERE ((status = ANY (ARRAY['ACTIVE'::text, 'AT_RISK'::text])) AND (deleted_at IS NULL));

CREATE INDEX goals_open_due_idx ON pms_parts.goals_default USING btree (tenant_id, period_end) WHERE ((status = ANY (ARRAY['ACTIVE'::text, 'AT_RISK'::text])) AND (deleted_at IS NULL));

CREATE INDEX goals_owner_period_idx ON ONLY public.goals USING btree (tenant_id, owner_id, period_start, period_end) INCLUDE (progress, status) WHERE (deleted_at IS NULL);

CREATE INDEX goals_owner_period_idx ON pms_parts.goals_default USING btree (tenant_id, owner_id, period_start, period_end) INCLUDE (progress, status) WHERE (deleted_at IS NULL);

CREATE INDEX goals_parent_idx ON ONLY public.goals USING btree (tenant_id, parent_id) WHERE (parent_id IS NOT NULL);

CREATE INDEX goals_parent_idx ON pms_parts.goals_default USING btree (tenant_id, parent_id) WHERE (parent_id IS NOT NULL);

CREATE INDEX goals_search_idx ON ONLY public.goals USING gin (search_vector);

CREATE INDEX goals_search_idx ON pms_parts.goals_default USING gin (search_vector);

CREATE INDEX goals_tags_idx ON ONLY public.goals USING gin (tags);

CREATE INDEX goals_tags_idx ON pms_parts.goals_default USING gin (tags);

CREATE INDEX goals_team_status_idx ON ONLY public.goals USING btree (tenant_id, team_id, status) WHERE ((team_id IS NOT NULL) AND (deleted_at IS NULL));

CREATE INDEX goals_team_status_idx ON pms_parts.goals_default USING btree (tenant_id, team_id, status) WHERE ((team_id IS NOT NULL) AND (deleted_at IS NULL));

CREATE INDEX key_results_goal_idx ON ONLY public.key_results USING btree (tenant_id, goal_id) INCLUDE (current_value, target_value, status);

CREATE INDEX key_results_goal_idx ON pms_parts.key_results_default USING btree (tenant_id, goal_id) INCLUDE (current_value, target_value, status);

CREATE INDEX key_results_owner_status_idx ON ONLY public.key_results USING btree (tenant_id, owner_id, status) WHERE (owner_id IS NOT NULL);

CREATE INDEX key_results_owner_status_idx ON pms_parts.key_results_default USING btree (tenant_id, owner_id, status) WHERE (owner_id IS NOT NULL);

CREATE INDEX one_on_ones_employee_time_idx ON ONLY public.one_on_ones USING btree (tenant_id, employee_id, scheduled_at DESC);

CREATE INDEX one_on_ones_employee_time_idx ON pms_parts.one_on_ones_default USING btree (tenant_id, employee_id, scheduled_at DESC);

CREATE INDEX one_on_ones_manager_time_idx ON ONLY public.one_on_ones USING btree (tenant_id, manager_id, scheduled_at DESC);

CREATE INDEX one_on_ones_manager_time_idx ON pms_parts.one_on_ones_default USING btree (tenant_id, manager_id, scheduled_at DESC);

CREATE INDEX one_on_ones_upcoming_idx ON ONLY public.one_on_ones USING btree (tenant_id, scheduled_at) WHERE ((status = 'SCHEDULED'::text) AND (deleted_at IS NULL));

CREATE INDEX one_on_ones_upcoming_idx ON pms_parts.one_on_ones_default USING btree (tenant_id, scheduled_at) WHERE ((status = 'SCHEDULED'::text) AND (deleted_at IS NULL));

CREATE UNIQUE INDEX performance_reviews_cycle_reviewee_key ON ONLY public.performance_reviews USING btree (tenant_id, cycle_id, reviewee_id, review_type, reviewer_id) NULLS NOT DISTINCT;

CREATE UNIQUE INDEX performance_reviews_cycle_reviewee_key ON pms_parts.performance_reviews_default USING btree (tenant_id, cycle_id, reviewee_id, review_type, reviewer_id) NULLS NOT DISTINCT;

CREATE INDEX performance_reviews_cycle_status_idx ON ONLY public.performance_reviews USING btree (tenant_id, cycle_id, status);

CREATE INDEX performance_reviews_cycle_status_idx ON pms_parts.performance_reviews_default USING btree (tenant_id, cycle_id, status);

CREATE INDEX performance_reviews_reviewee_idx ON ONLY public.performance_reviews USING btree (tenant_id, reviewee_id, created_at DESC) INCLUDE (cycle_id, status, overall_rating);

CREATE INDEX performance_reviews_reviewee_idx ON pms_parts.performance_reviews_default USING btree (tenant_id, reviewee_id, created_at DESC) INCLUDE (cycle_id, status, overall_rating);

CREATE INDEX performance_reviews_reviewer_open_idx ON ONLY public.performance_reviews USING btree (tenant_id, reviewer_id, due_date) WHERE ((status = ANY (ARRAY['NOT_STARTED'::text, 'IN_PROGRESS'::text])) AND (deleted_at IS NULL));

CREATE INDEX performance_reviews_reviewer_open_idx ON pms_parts.performance_reviews_default USING btree (tenant_id, reviewer_id, due_date) WHERE ((status = ANY (ARRAY['NOT_STARTED'::text, 'IN_PROGRESS'::text])) AND (deleted_at IS NULL));

CREATE INDEX performance_reviews_search_idx ON ONLY public.performance_reviews USING gin (search_vector);

CREATE INDEX performance_reviews_search_idx ON pms_parts.performance_reviews_default USING gin (search_vector);

CREATE INDEX performance_reviews_template_fk_idx ON ONLY public.performance_reviews USING btree (tenant_id, template_id) WHERE (template_id IS NOT NULL);

CREATE INDEX performance_reviews_template_fk_idx ON pms_parts.performance_reviews_default USING btree (tenant_id, template_id) WHERE (template_id IS NOT NULL);

CREATE INDEX reporting_lines_employee_idx ON ONLY public.reporting_lines USING btree (tenant_id, employee_id);

CREATE INDEX reporting_lines_employee_idx ON pms_parts.reporting_lines_default USING btree (tenant_id, employee_id);

CREATE INDEX reporting_lines_manager_idx ON ONLY public.reporting_lines USING btree (tenant_id, manager_id) INCLUDE (employee_id, line_type);

CREATE INDEX reporting_lines_manager_idx ON pms_parts.reporting_lines_default USING btree (tenant_id, manager_id) INCLUDE (employee_id, line_type);

CREATE UNIQUE INDEX reporting_lines_primary_key ON ONLY public.reporting_lines USING btree (tenant_id, employee_id) WHERE (is_primary AND (ends_on IS NULL));

CREATE UNIQUE INDEX reporting_lines_primary_key ON pms_parts.reporting_lines_default USING btree (tenant_id, employee_id) WHERE (is_primary AND (ends_on IS NULL));

CREATE UNIQUE INDEX team_members_current_key ON ONLY public.team_members USING btree (tenant_id, team_id, user_id) WHERE (left_on IS NULL);

CREATE UNIQUE INDEX team_members_current_key ON pms_parts.team_members_default USING btree (tenant_id, team_id, user_id) WHERE (left_on IS NULL);

CREATE INDEX team_members_team_idx ON ONLY public.team_members USING btree (tenant_id, team_id);

CREATE INDEX team_members_team_idx ON pms_parts.team_members_default USING btree (tenant_id, team_id);

CREATE INDEX team_members_user_idx ON ONLY public.team_members USING btree (tenant_id, user_id);

CREATE INDEX team_members_user_idx ON pms_parts.team_members_default USING btree (tenant_id, user_id);

CREATE INDEX teams_department_idx ON ONLY public.teams USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE INDEX teams_department_idx ON pms_parts.teams_default USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE INDEX teams_lead_idx ON ONLY public.teams USING btree (tenant_id, lead_id) WHERE (lead_id IS NOT NULL);

CREATE INDEX teams_lead_idx ON pms_parts.teams_default USING btree (tenant_id, lead_id) WHERE (lead_id IS NOT NULL);

CREATE INDEX user_roles_granted_by_idx ON ONLY public.user_roles USING btree (tenant_id, granted_by) WHERE (granted_by IS NOT NULL);

CREATE INDEX user_roles_granted_by_idx ON pms_parts.user_roles_default USING btree (tenant_id, granted_by) WHERE (granted_by IS NOT NULL);

CREATE INDEX user_roles_role_idx ON ONLY public.user_roles USING btree (tenant_id, role_id);

CREATE INDEX user_roles_role_idx ON pms_parts.user_roles_default USING btree (tenant_id, role_id);

CREATE INDEX erasure_rules_entity_type_idx ON pms_retention.erasure_rules USING btree (entity_type);

CREATE INDEX access_policies_lookup_idx ON public.access_policies USING btree (tenant_id, resource, action, priority) WHERE is_active;

CREATE INDEX access_policies_role_idx ON public.access_policies USING btree (tenant_id, role_id) WHERE (role_id IS NOT NULL);

CREATE INDEX activity_events_occurred_brin_idx ON public.activity_events USING brin (occurred_at);

CREATE INDEX activity_events_payload_idx ON public.activity_events USING gin (payload jsonb_path_ops);

CREATE INDEX activity_events_project_fk_idx ON public.activity_events USING btree (tenant_id, project_id) WHERE (project_id IS NOT NULL);

CREATE INDEX activity_events_type_time_idx ON public.activity_events USING btree (tenant_id, event_type, occurred_at DESC);

CREATE INDEX activity_events_user_time_idx ON public.activity_events USING btree (tenant_id, user_id, occurred_at DESC);

CREATE INDEX alerts_anomaly_fk_idx ON public.alerts USING btree (tenant_id, anomaly_id) WHERE (anomaly_id IS NOT NULL);

CREATE INDEX alerts_kpi_fk_idx ON public.alerts USING btree (tenant_id, kpi_id) WHERE (kpi_id IS NOT NULL);

CREATE INDEX alerts_recipient_open_idx ON public.alerts USING btree (tenant_id, recipient_id, created_at DESC) WHERE (resolved_at IS NULL);

CREATE INDEX alerts_severity_open_idx ON public.alerts USING btree (tenant_id, severity, created_at DESC) WHERE (resolved_at IS NULL);

CREATE INDEX anomaly_detections_model_fk_idx ON public.anomaly_detections USING btree (tenant_id, model_id) WHERE (model_id IS NOT NULL);

CREATE INDEX anomaly_detections_new_idx ON public.anomaly_detections USING btree (tenant_id, detected_at DESC) WHERE (status = 'NEW'::text);

CREATE INDEX anomaly_detections_pattern_fk_idx ON public.anomaly_detections USING btree (tenant_id, pattern_id) WHERE (pattern_id IS NOT NULL);

CREATE INDEX anomaly_detections_team_fk_idx ON public.anomaly_detections USING btree (tenant_id, team_id) WHERE (team_id IS NOT NULL);

CREATE INDEX anomaly_detections_user_time_idx ON public.anomaly_detections USING btree (tenant_id, user_id, detected_at DESC) WHERE (user_id IS NOT NULL);

CREATE UNIQUE INDEX anomaly_patterns_code_key ON public.anomaly_patterns USING btree (tenant_id, code);

CREATE INDEX api_idempotency_keys_created_idx ON public.api_idempotency_keys USING btree (created_at);

CREATE INDEX archive_batches_entity_type_idx ON public.archive_batches USING btree (entity_type);

CREATE UNIQUE INDEX archive_batches_id_key ON public.archive_batches USING btree (id);

CREATE INDEX archive_batches_status_idx ON public.archive_batches USING btree (status, created_max);

CREATE INDEX archive_pending_entity_type_idx ON public.archive_pending USING btree (entity_type);

CREATE INDEX archive_pending_person_idx ON public.archive_pending USING gin (person_ids);

CREATE INDEX archived_entities_batch_idx ON public.archived_entities USING btree (tenant_id, batch_id);

CREATE INDEX archived_entities_entity_type_idx ON public.archived_entities USING btree (entity_type);

CREATE INDEX archived_entities_lookup_idx ON public.archived_entities USING btree (entity_type, id);

CREATE INDEX archived_entities_person_idx ON public.archived_entities USING gin (person_ids);

CREATE UNIQUE INDEX assessment_cycles_name_key ON public.assessment_cycles USING btree (tenant_id, name);

CREATE INDEX assessment_cycles_open_idx ON public.assessment_cycles USING btree (tenant_id, ends_on) WHERE (status = 'OPEN'::text);

CREATE INDEX audit_log_actor_idx ON ONLY public.audit_log USING btree (actor_user_id, occurred_at DESC) WHERE (actor_user_id IS NOT NULL);

CREATE INDEX audit_log_chain_idx ON ONLY public.audit_log USING btree (tenant_id, seq);

CREATE INDEX audit_log_entity_idx ON ONLY public.audit_log USING btree (tenant_id, entity_type, row_id, occurred_at DESC);

CREATE INDEX background_jobs_created_by_fk_idx ON public.background_jobs USING btree (tenant_id, created_by) WHERE (created_by IS NOT NULL);

CREATE INDEX background_jobs_ready_idx ON public.background_jobs USING btree (priority DESC, run_after) WHERE (status = 'QUEUED'::text);

CREATE INDEX background_jobs_type_time_idx ON public.background_jobs USING btree (tenant_id, job_type, created_at DESC);

CREATE INDEX behavioral_competency_scores_competency_fk_idx ON public.behavioral_competency_scores USING btree (tenant_id, competency_id) WHERE (competency_id IS NOT NULL);

CREATE INDEX behavioral_competency_scores_cycle_fk_idx ON public.behavioral_competency_scores USING btree (tenant_id, cycle_id) WHERE (cycle_id IS NOT NULL);

CREATE INDEX behavioral_competency_scores_user_dimension_idx ON public.behavioral_competency_scores USING btree (tenant_id, user_id, dimension, created_at DESC);

CREATE INDEX benchmark_comparisons_benchmark_idx ON public.benchmark_comparisons USING btree (tenant_id, benchmark_id, percentile);

CREATE INDEX benchmark_comparisons_department_fk_idx ON public.benchmark_comparisons USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE INDEX benchmark_comparisons_user_fk_idx ON public.benchmark_comparisons USING btree (tenant_id, user_id) WHERE (user_id IS NOT NULL);

CREATE UNIQUE INDEX benchmarks_metric_segment_key ON public.benchmarks USING btree (tenant_id, metric, source, segment, period_start);

CREATE INDEX business_units_head_idx ON public.business_units USING btree (tenant_id, head_id) WHERE (head_id IS NOT NULL);

CREATE UNIQUE INDEX calibration_participants_session_user_key ON public.calibration_participants USING btree (tenant_id, session_id, user_id);

CREATE INDEX calibration_participants_user_idx ON public.calibration_participants USING btree (tenant_id, user_id);

CREATE INDEX calibration_ratings_adjusted_by_fk_idx ON public.calibration_ratings USING btree (tenant_id, adjusted_by) WHERE (adjusted_by IS NOT NULL);

CREATE INDEX calibration_ratings_employee_idx ON public.calibration_ratings USING btree (tenant_id, employee_id, created_at DESC);

CREATE INDEX calibration_ratings_review_idx ON public.calibration_ratings USING btree (tenant_id, review_id);

CREATE UNIQUE INDEX calibration_ratings_session_review_key ON public.calibration_ratings USING btree (tenant_id, session_id, review_id);

CREATE INDEX calibration_sessions_cycle_status_idx ON public.calibration_sessions USING btree (tenant_id, cycle_id, status);

CREATE INDEX calibration_sessions_department_fk_idx ON public.calibration_sessions USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE INDEX calibration_sessions_facilitator_fk_idx ON public.calibration_sessions USING btree (tenant_id, facilitator_id) WHERE (facilitator_id IS NOT NULL);

CREATE UNIQUE INDEX career_path_steps_path_position_key ON public.career_path_steps USING btree (tenant_id, path_id, "position");

CREATE INDEX career_paths_department_fk_idx ON public.career_paths USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE UNIQUE INDEX career_paths_name_key ON public.career_paths USING btree (tenant_id, name) WHERE (deleted_at IS NULL);

CREATE INDEX communication_sentiments_day_idx ON public.communication_sentiments USING btree (tenant_id, day DESC, sentiment_score);

CREATE UNIQUE INDEX communication_sentiments_user_channel_day_key ON public.communication_sentiments USING btree (tenant_id, user_id, channel, day);

CREATE INDEX compensation_decisions_cycle_status_idx ON public.compensation_decisions USING btree (tenant_id, cycle_id, status) WHERE (cycle_id IS NOT NULL);

CREATE INDEX compensation_decisions_decided_by_fk_idx ON public.compensation_decisions USING btree (tenant_id, decided_by) WHERE (decided_by IS NOT NULL);

CREATE INDEX compensation_decisions_employee_time_idx ON public.compensation_decisions USING btree (tenant_id, employee_id, effective_date DESC);

CREATE INDEX compensation_decisions_pending_approval_idx ON public.compensation_decisions USING btree (tenant_id, approved_by) WHERE (status = 'PROPOSED'::text);

CREATE INDEX competencies_category_idx ON public.competencies USING btree (tenant_id, category) WHERE (deleted_at IS NULL);

CREATE UNIQUE INDEX competencies_framework_code_key ON public.competencies USING btree (tenant_id, framework_id, code);

CREATE INDEX competency_assessments_assessor_fk_idx ON public.competency_assessments USING btree (tenant_id, assessor_id) WHERE (assessor_id IS NOT NULL);

CREATE INDEX competency_assessments_competency_idx ON public.competency_assessments USING btree (tenant_id, competency_id, rating);

CREATE INDEX competency_assessments_review_idx ON public.competency_assessments USING btree (tenant_id, review_id) WHERE (review_id IS NOT NULL);

CREATE INDEX competency_assessments_user_competency_idx ON public.competency_assessments USING btree (tenant_id, user_id, competency_id, assessed_at DESC) INCLUDE (rating);

CREATE UNIQUE INDEX competency_frameworks_name_version_key ON public.competency_frameworks USING btree (tenant_id, name, version);

CREATE INDEX compliance_assessments_cycle_fk_idx ON public.compliance_assessments USING btree (tenant_id, cycle_id) WHERE (cycle_id IS NOT NULL);

CREATE INDEX compliance_assessments_expiring_idx ON public.compliance_assessments USING btree (tenant_id, expires_on) WHERE (status = 'COMPLIANT'::text);

CREATE UNIQUE INDEX compliance_assessments_policy_user_cycle_key ON public.compliance_assessments USING btree (tenant_id, policy_id, user_id, cycle_id) NULLS NOT DISTINCT;

CREATE INDEX compliance_assessments_user_idx ON public.compliance_assessments USING btree (tenant_id, user_id, status);

CREATE UNIQUE INDEX compliance_policies_code_key ON public.compliance_policies USING btree (tenant_id, code);

CREATE INDEX compliance_violations_policy_open_idx ON public.compliance_violations USING btree (tenant_id, policy_id, severity) WHERE (resolved_at IS NULL);

CREATE INDEX compliance_violations_reported_by_fk_idx ON public.compliance_violations USING btree (tenant_id, reported_by) WHERE (reported_by IS NOT NULL);

CREATE INDEX compliance_violations_user_idx ON public.compliance_violations USING btree (tenant_id, user_id, occurred_on DESC);

CREATE UNIQUE INDEX contribution_scores_project_user_period_key ON public.contribution_scores USING btree (tenant_id, project_id, user_id, period_start);

CREATE INDEX contribution_scores_user_period_idx ON public.contribution_scores USING btree (tenant_id, user_id, period_start DESC);

CREATE INDEX cost_centers_business_unit_idx ON public.cost_centers USING btree (tenant_id, business_unit_id) WHERE (business_unit_id IS NOT NULL);

CREATE INDEX culture_diagnostics_department_fk_idx ON public.culture_diagnostics USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE INDEX culture_diagnostics_dimension_date_idx ON public.culture_diagnostics USING btree (tenant_id, dimension, diagnosed_on DESC);

CREATE INDEX culture_diagnostics_survey_fk_idx ON public.culture_diagnostics USING btree (tenant_id, survey_id) WHERE (survey_id IS NOT NULL);

CREATE INDEX dashboard_widgets_dashboard_position_idx ON public.dashboard_widgets USING btree (tenant_id, dashboard_id, "position");

CREATE INDEX dashboard_widgets_report_fk_idx ON public.dashboard_widgets USING btree (tenant_id, report_id) WHERE (report_id IS NOT NULL);

CREATE INDEX dashboards_owner_idx ON public.dashboards USING btree (tenant_id, owner_id) WHERE (deleted_at IS NULL);

CREATE INDEX dashboards_shared_idx ON public.dashboards USING btree (tenant_id, name) WHERE (is_shared AND (deleted_at IS NULL));

CREATE INDEX deadline_alerts_goal_fk_idx ON public.deadline_alerts USING btree (tenant_id, goal_id) WHERE (goal_id IS NOT NULL);

CREATE INDEX deadline_alerts_review_fk_idx ON public.deadline_alerts USING btree (tenant_id, review_id) WHERE (review_id IS NOT NULL);

CREATE INDEX deadline_alerts_user_open_idx ON public.deadline_alerts USING btree (tenant_id, user_id, due_at) WHERE (acknowledged_at IS NULL);

CREATE INDEX delegations_delegate_idx ON public.delegations USING btree (tenant_id, delegate_id, ends_at) WHERE (revoked_at IS NULL);

CREATE INDEX delegations_delegator_idx ON public.delegations USING btree (tenant_id, delegator_id, ends_at);

CREATE INDEX department_health_metrics_at_risk_idx ON public.department_health_metrics USING btree (tenant_id, period_start DESC) WHERE (status = 'AT_RISK'::text);

CREATE UNIQUE INDEX department_health_metrics_department_metric_key ON public.department_health_metrics USING btree (tenant_id, department_id, metric, period_start);

CREATE INDEX departments_business_unit_idx ON public.departments USING btree (tenant_id, business_unit_id) WHERE (business_unit_id IS NOT NULL);

CREATE INDEX departments_cost_center_idx ON public.departments USING btree (tenant_id, cost_center_id) WHERE (cost_center_id IS NOT NULL);

CREATE INDEX departments_head_idx ON public.departments USING btree (tenant_id, head_id) WHERE (head_id IS NOT NULL);

CREATE INDEX departments_parent_idx ON public.departments USING btree (tenant_id, parent_id) WHERE (parent_id IS NOT NULL);

CREATE INDEX development_activities_competency_fk_idx ON public.development_activities USING btree (tenant_id, competency_id) WHERE (competency_id IS NOT NULL);

CREATE INDEX development_activities_plan_status_idx ON public.development_activities USING btree (tenant_id, plan_id, status);

CREATE INDEX development_activities_skill_fk_idx ON public.development_activities USING btree (tenant_id, skill_id) WHERE (skill_id IS NOT NULL);

CREATE INDEX development_checkpoints_plan_date_idx ON public.development_checkpoints USING btree (tenant_id, plan_id, scheduled_on);

CREATE INDEX development_checkpoints_reviewer_fk_idx ON public.development_checkpoints USING btree (tenant_id, reviewer_id) WHERE (reviewer_id IS NOT NULL);

CREATE INDEX development_checkpoints_upcoming_idx ON public.development_checkpoints USING btree (tenant_id, scheduled_on) WHERE (completed_at IS NULL);

CREATE INDEX development_plans_career_path_fk_idx ON public.development_plans USING btree (tenant_id, career_path_id) WHERE (career_path_id IS NOT NULL);

CREATE INDEX development_plans_employee_status_idx ON public.development_plans USING btree (tenant_id, employee_id, status) WHERE (deleted_at IS NULL);

CREATE INDEX development_plans_manager_active_idx ON public.development_plans USING btree (tenant_id, manager_id) WHERE ((status = 'ACTIVE'::text) AND (deleted_at IS NULL));

CREATE INDEX development_plans_target_step_fk_idx ON public.development_plans USING btree (tenant_id, target_step_id) WHERE (target_step_id IS NOT NULL);

CREATE INDEX engagement_events_user_time_idx ON public.engagement_events USING btree (tenant_id, user_id, occurred_at DESC);

CREATE INDEX engagement_metrics_ts_tenant_time_idx ON ONLY public.engagement_metrics_ts USING btree (tenant_id, recorded_at);

CREATE INDEX engagement_metrics_ts_time_brin ON ONLY public.engagement_metrics_ts USING brin (recorded_at);

CREATE INDEX engagement_metrics_ts_user_time_idx ON ONLY public.engagement_metrics_ts USING btree (tenant_id, user_id, recorded_at);

CREATE INDEX engagement_scores_department_period_idx ON public.engagement_scores USING btree (tenant_id, department_id, period_start DESC) WHERE (department_id IS NOT NULL);

CREATE INDEX engagement_scores_user_period_idx ON public.engagement_scores USING btree (tenant_id, user_id, period_start DESC) WHERE (user_id IS NOT NULL);

CREATE INDEX engagement_surveys_created_by_fk_idx ON public.engagement_surveys USING btree (tenant_id, created_by) WHERE (created_by IS NOT NULL);

CREATE INDEX engagement_surveys_status_idx ON public.engagement_surveys USING btree (tenant_id, status, closes_at) WHERE (deleted_at IS NULL);

CREATE INDEX evidence_links_evidence_idx ON public.evidence_links USING btree (tenant_id, evidence_id);

CREATE INDEX evidence_links_feedback_idx ON public.evidence_links USING btree (tenant_id, feedback_id) WHERE (feedback_id IS NOT NULL);

CREATE INDEX evidence_links_goal_idx ON public.evidence_links USING btree (tenant_id, goal_id) WHERE (goal_id IS NOT NULL);

CREATE INDEX evidence_links_review_idx ON public.evidence_links USING btree (tenant_id, review_id) WHERE (review_id IS NOT NULL);

CREATE INDEX evidence_owner_time_idx ON public.evidence USING btree (tenant_id, owner_id, occurred_on DESC) WHERE (deleted_at IS NULL);

CREATE UNIQUE INDEX feature_store_features_name_key ON public.feature_store_features USING btree (tenant_id, entity_type, name);

CREATE INDEX feature_store_values_entity_idx ON public.feature_store_values USING btree (tenant_id, entity_id, as_of DESC);

CREATE UNIQUE INDEX feature_store_values_entity_time_key ON public.feature_store_values USING btree (tenant_id, feature_id, entity_id, as_of DESC);

CREATE INDEX feedback_360_aggregations_competency_fk_idx ON public.feedback_360_aggregations USING btree (tenant_id, competency_id) WHERE (competency_id IS NOT NULL);

CREATE INDEX feedback_360_aggregations_subject_idx ON public.feedback_360_aggregations USING btree (tenant_id, subject_id);

CREATE UNIQUE INDEX feedback_360_aggregations_subject_key ON public.feedback_360_aggregations USING btree (tenant_id, cycle_id, subject_id, relationship, competency_id) NULLS NOT DISTINCT;

CREATE INDEX feedback_360_cycles_questionnaire_fk_idx ON public.feedback_360_cycles USING btree (tenant_id, questionnaire_id);

CREATE INDEX feedback_360_cycles_review_cycle_fk_idx ON public.feedback_360_cycles USING btree (tenant_id, review_cycle_id) WHERE (review_cycle_id IS NOT NULL);

CREATE INDEX feedback_360_cycles_status_idx ON public.feedback_360_cycles USING btree (tenant_id, status, closes_on);

CREATE INDEX feedback_360_gap_analyses_blind_spot_idx ON public.feedback_360_gap_analyses USING btree (tenant_id, competency_id, gap DESC) WHERE (classification = 'BLIND_SPOT'::text);

CREATE UNIQUE INDEX feedback_360_gap_analyses_subject_competency_key ON public.feedback_360_gap_analyses USING btree (tenant_id, cycle_id, subject_id, competency_id);

CREATE INDEX feedback_360_gap_analyses_subject_idx ON public.feedback_360_gap_analyses USING btree (tenant_id, subject_id);

CREATE UNIQUE INDEX feedback_360_nominations_cycle_subject_nominee_key ON public.feedback_360_nominations USING btree (tenant_id, cycle_id, subject_id, nominee_id);

CREATE INDEX feedback_360_nominations_nominated_by_fk_idx ON public.feedback_360_nominations USING btree (tenant_id, nominated_by) WHERE (nominated_by IS NOT NULL);

CREATE INDEX feedback_360_nominations_nominee_idx ON public.feedback_360_nominations USING btree (tenant_id, nominee_id, status);

CREATE INDEX feedback_360_nominations_subject_idx ON public.feedback_360_nominations USING btree (tenant_id, subject_id);

CREATE INDEX feedback_360_questionnaires_created_by_fk_idx ON public.feedback_360_questionnaires USING btree (tenant_id, created_by) WHERE (created_by IS NOT NULL);

CREATE UNIQUE INDEX feedback_360_questionnaires_name_key ON public.feedback_360_questionnaires USING btree (tenant_id, name) WHERE (deleted_at IS NULL);

CREATE INDEX feedback_360_questions_competency_fk_idx ON public.feedback_360_questions USING btree (tenant_id, competency_id) WHERE (competency_id IS NOT NULL);

CREATE INDEX feedback_360_questions_questionnaire_position_idx ON public.feedback_360_questions USING btree (tenant_id, questionnaire_id, "position");

CREATE INDEX feedback_360_requests_cycle_subject_idx ON public.feedback_360_requests USING btree (tenant_id, cycle_id, subject_id, status);

CREATE INDEX feedback_360_requests_nomination_fk_idx ON public.feedback_360_requests USING btree (tenant_id, nomination_id) WHERE (nomination_id IS NOT NULL);

CREATE INDEX feedback_360_requests_rater_open_idx ON public.feedback_360_requests USING btree (tenant_id, rater_id, due_at) WHERE (status = ANY (ARRAY['SENT'::text, 'OPENED'::text]));

CREATE INDEX feedback_360_requests_subject_fk_idx ON public.feedback_360_requests USING btree (tenant_id, subject_id);

CREATE INDEX feedback_360_responses_question_idx ON public.feedback_360_responses USING btree (tenant_id, question_id) INCLUDE (rating);

CREATE UNIQUE INDEX feedback_360_responses_request_question_key ON public.feedback_360_responses USING btree (tenant_id, request_id, question_id);

CREATE INDEX feedback_activity_ts_tenant_time_idx ON ONLY public.feedback_activity_ts USING btree (tenant_id, recorded_at);

CREATE INDEX feedback_activity_ts_time_brin ON ONLY public.feedback_activity_ts USING brin (recorded_at);

CREATE INDEX feedback_activity_ts_user_time_idx ON ONLY public.feedback_activity_ts USING btree (tenant_id, user_id, recorded_at);

CREATE INDEX generated_reports_queued_idx ON public.generated_reports USING btree (created_at) WHERE (status = ANY (ARRAY['QUEUED'::text, 'RUNNING'::text]));

CREATE INDEX generated_reports_report_time_idx ON public.generated_reports USING btree (tenant_id, report_id, created_at DESC);

CREATE INDEX generated_reports_requested_by_fk_idx ON public.generated_reports USING btree (tenant_id, requested_by) WHERE (requested_by IS NOT NULL);

CREATE INDEX generated_reports_schedule_fk_idx ON public.generated_reports USING btree (tenant_id, schedule_id) WHERE (schedule_id IS NOT NULL);

CREATE INDEX goal_alignments_aligned_to_idx ON public.goal_alignments USING btree (tenant_id, aligned_to_goal_id) INCLUDE (goal_id, contribution_weight);

CREATE INDEX goal_alignments_created_by_fk_idx ON public.goal_alignments USING btree (tenant_id, created_by) WHERE (created_by IS NOT NULL);

CREATE UNIQUE INDEX goal_alignments_pair_key ON public.goal_alignments USING btree (tenant_id, goal_id, aligned_to_goal_id);

CREATE INDEX goal_comments_author_fk_idx ON public.goal_comments USING btree (tenant_id, author_id);

CREATE INDEX goal_comments_goal_time_idx ON public.goal_comments USING btree (tenant_id, goal_id, created_at) WHERE (deleted_at IS NULL);

CREATE INDEX goal_comments_parent_comment_fk_idx ON public.goal_comments USING btree (tenant_id, parent_comment_id) WHERE (parent_comment_id IS NOT NULL);

CREATE INDEX goal_progress_ts_tenant_time_idx ON ONLY public.goal_progress_ts USING btree (tenant_id, recorded_at);

CREATE INDEX goal_progress_ts_time_brin ON ONLY public.goal_progress_ts USING brin (recorded_at);

CREATE INDEX goal_progress_ts_user_time_idx ON ONLY public.goal_progress_ts USING btree (tenant_id, user_id, recorded_at);

CREATE INDEX goal_progress_updates_author_time_idx ON public.goal_progress_updates USING btree (tenant_id, author_id, recorded_at DESC);

CREATE INDEX goal_progress_updates_goal_time_idx ON public.goal_progress_updates USING btree (tenant_id, goal_id, recorded_at DESC);

CREATE INDEX goal_progress_updates_key_result_fk_idx ON public.goal_progress_updates USING btree (tenant_id, key_result_id) WHERE (key_result_id IS NOT NULL);

CREATE INDEX innovation_contributions_project_fk_idx ON public.innovation_contributions USING btree (tenant_id, project_id) WHERE (project_id IS NOT NULL);

CREATE INDEX innovation_contributions_review_queue_idx ON public.innovation_contributions USING btree (tenant_id, submitted_on) WHERE ((status = ANY (ARRAY['SUBMITTED'::text, 'UNDER_REVIEW'::text])) AND (deleted_at IS NULL));

CREATE INDEX innovation_contributions_user_idx ON public.innovation_contributions USING btree (tenant_id, user_id, submitted_on DESC);

CREATE UNIQUE INDEX innovation_evaluations_contribution_evaluator_key ON public.innovation_evaluations USING btree (tenant_id, contribution_id, evaluator_id);

CREATE INDEX innovation_evaluations_cycle_fk_idx ON public.innovation_evaluations USING btree (tenant_id, cycle_id) WHERE (cycle_id IS NOT NULL);

CREATE INDEX innovation_evaluations_evaluator_fk_idx ON public.innovation_evaluations USING btree (tenant_id, evaluator_id) WHERE (evaluator_id IS NOT NULL);

CREATE UNIQUE INDEX invoices_number_key ON public.invoices USING btree (tenant_id, number);

CREATE INDEX invoices_open_due_idx ON public.invoices USING btree (due_on) WHERE (status = 'OPEN'::text);

CREATE INDEX invoices_subscription_idx ON public.invoices USING btree (tenant_id, subscription_id, issued_on DESC);

CREATE UNIQUE INDEX kpi_definitions_code_key ON public.kpi_definitions USING btree (tenant_id, code);

CREATE INDEX kpi_definitions_owner_fk_idx ON public.kpi_definitions USING btree (tenant_id, owner_id) WHERE (owner_id IS NOT NULL);

CREATE INDEX kpi_values_department_fk_idx ON public.kpi_values USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE INDEX kpi_values_kpi_period_idx ON public.kpi_values USING btree (tenant_id, kpi_id, period_start DESC) INCLUDE (value);

CREATE INDEX kpi_values_team_period_idx ON public.kpi_values USING btree (tenant_id, team_id, period_start DESC) WHERE (team_id IS NOT NULL);

CREATE INDEX kpi_values_user_period_idx ON public.kpi_values USING btree (tenant_id, user_id, period_start DESC) WHERE (user_id IS NOT NULL);

CREATE INDEX leaderboard_entries_board_rank_idx ON public.leaderboard_entries USING btree (tenant_id, leaderboard_id, rank) INCLUDE (user_id, score);

CREATE UNIQUE INDEX leaderboard_entries_board_user_key ON public.leaderboard_entries USING btree (tenant_id, leaderboard_id, user_id);

CREATE INDEX leaderboard_entries_user_idx ON public.leaderboard_entries USING btree (tenant_id, user_id);

CREATE INDEX leaderboards_department_fk_idx ON public.leaderboards USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE INDEX leaderboards_metric_period_idx ON public.leaderboards USING btree (tenant_id, metric, period_start DESC);

CREATE INDEX leadership_competency_scores_competency_fk_idx ON public.leadership_competency_scores USING btree (tenant_id, competency_id) WHERE (competency_id IS NOT NULL);

CREATE INDEX leadership_competency_scores_cycle_fk_idx ON public.leadership_competency_scores USING btree (tenant_id, cycle_id) WHERE (cycle_id IS NOT NULL);

CREATE INDEX leadership_competency_scores_user_dimension_idx ON public.leadership_competency_scores USING btree (tenant_id, user_id, dimension, created_at DESC);

CREATE INDEX legal_holds_active_idx ON public.legal_holds USING btree (tenant_id, scope) WHERE (released_at IS NULL);

CREATE INDEX legal_holds_entity_type_idx ON public.legal_holds USING btree (entity_type) WHERE (entity_type IS NOT NULL);

CREATE INDEX metric_anomalies_open_idx ON public.metric_anomalies USING btree (tenant_id, severity, observed_at DESC) WHERE (status = 'OPEN'::text);

CREATE INDEX metric_anomalies_user_time_idx ON public.metric_anomalies USING btree (tenant_id, user_id, observed_at DESC);

CREATE INDEX metric_ingestions_ingested_by_fk_idx ON public.metric_ingestions USING btree (tenant_id, ingested_by) WHERE (ingested_by IS NOT NULL);

CREATE INDEX metric_ingestions_time_idx ON public.metric_ingestions USING btree (tenant_id, created_at DESC);

CREATE INDEX milestone_progress_events_milestone_time_idx ON public.milestone_progress_events USING btree (tenant_id, milestone_id, reported_at DESC);

CREATE INDEX milestone_progress_events_reported_by_fk_idx ON public.milestone_progress_events USING btree (tenant_id, reported_by) WHERE (reported_by IS NOT NULL);

CREATE INDEX ml_model_predictions_model_time_idx ON public.ml_model_predictions USING btree (tenant_id, model_id, predicted_at DESC);

CREATE INDEX ml_model_predictions_type_score_idx ON public.ml_model_predictions USING btree (tenant_id, prediction_type, score DESC);

CREATE INDEX ml_model_predictions_user_type_idx ON public.ml_model_predictions USING btree (tenant_id, user_id, prediction_type, predicted_at DESC) INCLUDE (score);

CREATE INDEX ml_models_active_type_idx ON public.ml_models USING btree (tenant_id, model_type) WHERE (status = 'ACTIVE'::text);

CREATE UNIQUE INDEX ml_models_name_version_key ON public.ml_models USING btree (tenant_id, name, version);

CREATE UNIQUE INDEX notification_preferences_user_event_key ON public.notification_preferences USING btree (tenant_id, user_id, event);

CREATE UNIQUE INDEX notification_templates_code_channel_key ON public.notification_templates USING btree (tenant_id, code, channel, locale);

CREATE INDEX notifications_entity_idx ON public.notifications USING btree (tenant_id, entity_type, entity_id) WHERE (entity_id IS NOT NULL);

CREATE INDEX notifications_pending_idx ON public.notifications USING btree (created_at) WHERE (status = 'PENDING'::text);

CREATE INDEX notifications_recipient_event_idx ON public.notifications USING btree (tenant_id, recipient_id, event, created_at DESC) WHERE (event IS NOT NULL);

CREATE INDEX notifications_recipient_time_idx ON public.notifications USING btree (tenant_id, recipient_id, created_at DESC);

CREATE INDEX notifications_recipient_unread_idx ON public.notifications USING btree (tenant_id, recipient_id, created_at DESC) WHERE (read_at IS NULL);

CREATE INDEX notifications_template_fk_idx ON public.notifications USING btree (tenant_id, template_id) WHERE (template_id IS NOT NULL);

CREATE INDEX one_on_one_action_items_assignee_open_idx ON public.one_on_one_action_items USING btree (tenant_id, assignee_id, due_date) WHERE (completed_at IS NULL);

CREATE INDEX one_on_one_action_items_meeting_idx ON public.one_on_one_action_items USING btree (tenant_id, one_on_one_id);

CREATE INDEX one_on_one_agenda_items_added_by_fk_idx ON public.one_on_one_agenda_items USING btree (tenant_id, added_by) WHERE (added_by IS NOT NULL);

CREATE INDEX one_on_one_agenda_items_meeting_position_idx ON public.one_on_one_agenda_items USING btree (tenant_id, one_on_one_id, "position");

CREATE UNIQUE INDEX one_on_one_private_notes_author_meeting_key ON public.one_on_one_private_notes USING btree (tenant_id, author_id, one_on_one_id);

CREATE INDEX one_on_one_private_notes_meeting_idx ON public.one_on_one_private_notes USING btree (tenant_id, one_on_one_id);

CREATE UNIQUE INDEX organizational_health_metrics_metric_period_key ON public.organizational_health_metrics USING btree (tenant_id, metric, period_start);

CREATE INDEX performance_improvement_plans_check_in_due_idx ON public.performance_improvement_plans USING btree (tenant_id, next_check_in_on) WHERE ((status = ANY (ARRAY['ACTIVE'::text, 'ON_TRACK'::text, 'AT_RISK'::text, 'EXTENDED'::text])) AND (deleted_at IS NULL));

CREATE INDEX performance_improvement_plans_employee_idx ON public.performance_improvement_plans USING btree (tenant_id, employee_id, starts_on DESC);

CREATE INDEX performance_improvement_plans_hr_partner_fk_idx ON public.performance_improvement_plans USING btree (tenant_id, hr_partner_id) WHERE (hr_partner_id IS NOT NULL);

CREATE INDEX performance_improvement_plans_manager_open_idx ON public.performance_improvement_plans USING btree (tenant_id, manager_id) WHERE ((status = ANY (ARRAY['ACTIVE'::text, 'ON_TRACK'::text, 'AT_RISK'::text, 'EXTENDED'::text])) AND (deleted_at IS NULL));

CREATE INDEX performance_improvement_plans_review_fk_idx ON public.performance_improvement_plans USING btree (tenant_id, review_id) WHERE (review_id IS NOT NULL);

CREATE INDEX performance_improvement_plans_template_fk_idx ON public.performance_improvement_plans USING btree (tenant_id, template_id) WHERE (template_id IS NOT NULL);

CREATE INDEX performance_metrics_ts_tenant_time_idx ON ONLY public.performance_metrics_ts USING btree (tenant_id, recorded_at);

CREATE INDEX performance_metrics_ts_time_brin ON ONLY public.performance_metrics_ts USING brin (recorded_at);

CREATE INDEX performance_metrics_ts_user_time_idx ON ONLY public.performance_metrics_ts USING btree (tenant_id, user_id, recorded_at);

CREATE INDEX pip_check_ins_conducted_by_fk_idx ON public.pip_check_ins USING btree (tenant_id, conducted_by) WHERE (conducted_by IS NOT NULL);

CREATE INDEX pip_check_ins_pip_date_idx ON public.pip_check_ins USING btree (tenant_id, pip_id, check_in_date);

CREATE INDEX pip_milestones_pip_due_idx ON public.pip_milestones USING btree (tenant_id, pip_id, due_date);

CREATE UNIQUE INDEX pip_templates_name_key ON public.pip_templates USING btree (tenant_id, name) WHERE (deleted_at IS NULL);

CREATE INDEX productivity_predictions_model_fk_idx ON public.productivity_predictions USING btree (tenant_id, model_id) WHERE (model_id IS NOT NULL);

CREATE UNIQUE INDEX productivity_predictions_user_period_key ON public.productivity_predictions USING btree (tenant_id, user_id, period_start, model_id) NULLS NOT DISTINCT;

CREATE INDEX project_evaluations_cycle_fk_idx ON public.project_evaluations USING btree (tenant_id, cycle_id) WHERE (cycle_id IS NOT NULL);

CREATE INDEX project_evaluations_evaluator_fk_idx ON public.project_evaluations USING btree (tenant_id, evaluator_id) WHERE (evaluator_id IS NOT NULL);

CREATE UNIQUE INDEX project_evaluations_project_user_key ON public.project_evaluations USING btree (tenant_id, project_id, user_id, cycle_id) NULLS NOT DISTINCT;

CREATE INDEX project_evaluations_user_idx ON public.project_evaluations USING btree (tenant_id, user_id, created_at DESC);

CREATE INDEX project_milestones_open_due_idx ON public.project_milestones USING btree (tenant_id, due_date) WHERE (status = ANY (ARRAY['PLANNED'::text, 'IN_PROGRESS'::text]));

CREATE INDEX project_milestones_owner_fk_idx ON public.project_milestones USING btree (tenant_id, owner_id) WHERE (owner_id IS NOT NULL);

CREATE INDEX project_milestones_project_due_idx ON public.project_milestones USING btree (tenant_id, project_id, due_date);

CREATE INDEX projects_active_idx ON public.projects USING btree (tenant_id, status, ends_on) WHERE (deleted_at IS NULL);

CREATE UNIQUE INDEX projects_code_key ON public.projects USING btree (tenant_id, code);

CREATE INDEX projects_department_fk_idx ON public.projects USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE INDEX projects_owner_fk_idx ON public.projects USING btree (tenant_id, owner_id) WHERE (owner_id IS NOT NULL);

CREATE INDEX promotion_decisions_approved_by_fk_idx ON public.promotion_decisions USING btree (tenant_id, approved_by) WHERE (approved_by IS NOT NULL);

CREATE INDEX promotion_decisions_cycle_status_idx ON public.promotion_decisions USING btree (tenant_id, cycle_id, status) WHERE (cycle_id IS NOT NULL);

CREATE INDEX promotion_decisions_decided_by_fk_idx ON public.promotion_decisions USING btree (tenant_id, decided_by) WHERE (decided_by IS NOT NULL);

CREATE INDEX promotion_decisions_employee_time_idx ON public.promotion_decisions USING btree (tenant_id, employee_id, effective_date DESC);

CREATE INDEX promotion_recommendations_cycle_fk_idx ON public.promotion_recommendations USING btree (tenant_id, cycle_id) WHERE (cycle_id IS NOT NULL);

CREATE INDEX promotion_recommendations_model_fk_idx ON public.promotion_recommendations USING btree (tenant_id, model_id) WHERE (model_id IS NOT NULL);

CREATE INDEX promotion_recommendations_open_score_idx ON public.promotion_recommendations USING btree (tenant_id, readiness_score DESC) WHERE (status = 'OPEN'::text);

CREATE INDEX promotion_recommendations_recommended_by_fk_idx ON public.promotion_recommendations USING btree (tenant_id, recommended_by) WHERE (recommended_by IS NOT NULL);

CREATE INDEX promotion_recommendations_user_idx ON public.promotion_recommendations USING btree (tenant_id, user_id, created_at DESC);

CREATE INDEX pulse_responses_survey_fk_idx ON public.pulse_responses USING btree (tenant_id, survey_id) WHERE (survey_id IS NOT NULL);

CREATE INDEX pulse_responses_time_idx ON public.pulse_responses USING btree (tenant_id, responded_at DESC) INCLUDE (mood);

CREATE INDEX pulse_responses_user_time_idx ON public.pulse_responses USING btree (tenant_id, user_id, responded_at DESC) WHERE (user_id IS NOT NULL);

CREATE INDEX report_aggregations_department_fk_idx ON public.report_aggregations USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE UNIQUE INDEX report_aggregations_metric_dimension_key ON public.report_aggregations USING btree (tenant_id, metric, dimension, dimension_value, period_start, period_end);

CREATE INDEX report_aggregations_report_fk_idx ON public.report_aggregations USING btree (tenant_id, report_id) WHERE (report_id IS NOT NULL);

CREATE UNIQUE INDEX report_definitions_owner_name_key ON public.report_definitions USING btree (tenant_id, owner_id, name) NULLS NOT DISTINCT WHERE (deleted_at IS NULL);

CREATE INDEX report_definitions_shared_type_idx ON public.report_definitions USING btree (tenant_id, report_type) WHERE (is_shared AND (deleted_at IS NULL));

CREATE INDEX report_schedules_due_idx ON public.report_schedules USING btree (next_run_at) WHERE is_active;

CREATE INDEX report_schedules_report_idx ON public.report_schedules USING btree (tenant_id, report_id);

CREATE INDEX reporting_chain_descendant_idx ON public.reporting_chain USING btree (tenant_id, descendant_id, ancestor_id) INCLUDE (depth);

CREATE INDEX retention_policy_overrides_entity_idx ON public.retention_policy_overrides USING btree (entity_type);

CREATE INDEX review_cycles_created_by_fk_idx ON public.review_cycles USING btree (tenant_id, created_by) WHERE (created_by IS NOT NULL);

CREATE UNIQUE INDEX review_cycles_name_key ON public.review_cycles USING btree (tenant_id, name) WHERE (deleted_at IS NULL);

CREATE INDEX review_cycles_status_period_idx ON public.review_cycles USING btree (tenant_id, status, period_end DESC) WHERE (deleted_at IS NULL);

CREATE INDEX review_cycles_template_fk_idx ON public.review_cycles USING btree (tenant_id, template_id) WHERE (template_id IS NOT NULL);

CREATE INDEX review_goals_goal_idx ON public.review_goals USING btree (tenant_id, goal_id);

CREATE UNIQUE INDEX review_goals_pair_key ON public.review_goals USING btree (tenant_id, review_id, goal_id);

CREATE INDEX review_templates_created_by_fk_idx ON public.review_templates USING btree (tenant_id, created_by) WHERE (created_by IS NOT NULL);

CREATE INDEX review_templates_default_idx ON public.review_templates USING btree (tenant_id, review_type) WHERE (is_default AND (deleted_at IS NULL));

CREATE UNIQUE INDEX review_templates_name_key ON public.review_templates USING btree (tenant_id, name) WHERE (deleted_at IS NULL);

CREATE INDEX scenario_analyses_creator_idx ON public.scenario_analyses USING btree (tenant_id, created_by, created_at DESC) WHERE (created_by IS NOT NULL);

CREATE INDEX security_events_chain_idx ON ONLY public.security_events USING btree (tenant_id, seq);

CREATE INDEX security_events_type_idx ON ONLY public.security_events USING btree (tenant_id, event_type, occurred_at DESC);

CREATE INDEX security_events_time_idx ON ONLY public.security_events USING btree (tenant_id, occurred_at DESC);

CREATE UNIQUE INDEX seed_batches_batch_key ON public.seed_batches USING btree (tenant_id, batch);

CREATE UNIQUE INDEX sentiment_analyses_source_key ON public.sentiment_analyses USING btree (tenant_id, source_type, source_id);

CREATE INDEX sentiment_analyses_user_time_idx ON public.sentiment_analyses USING btree (tenant_id, user_id, analyzed_at DESC) WHERE (user_id IS NOT NULL);

CREATE INDEX sentiment_trends_department_period_idx ON public.sentiment_trends USING btree (tenant_id, department_id, period_start DESC) WHERE (department_id IS NOT NULL);

CREATE INDEX sentiment_trends_team_period_idx ON public.sentiment_trends USING btree (tenant_id, team_id, period_start DESC) WHERE (team_id IS NOT NULL);

CREATE INDEX sessions_expires_idx ON public.sessions USING btree (expires_at);

CREATE UNIQUE INDEX sessions_token_hash_key ON public.sessions USING btree (token_hash);

CREATE INDEX sessions_user_active_idx ON public.sessions USING btree (tenant_id, user_id, expires_at) WHERE (revoked_at IS NULL);

CREATE UNIQUE INDEX skill_categories_name_key ON public.skill_categories USING btree (tenant_id, parent_id, name) NULLS NOT DISTINCT;

CREATE INDEX skill_categories_parent_fk_idx ON public.skill_categories USING btree (tenant_id, parent_id) WHERE (parent_id IS NOT NULL);

CREATE INDEX skill_progress_history_assessment_fk_idx ON public.skill_progress_history USING btree (tenant_id, assessment_id) WHERE (assessment_id IS NOT NULL);

CREATE INDEX skill_progress_history_skill_fk_idx ON public.skill_progress_history USING btree (tenant_id, skill_id);

CREATE INDEX skill_progress_history_user_skill_time_idx ON public.skill_progress_history USING btree (tenant_id, user_id, skill_id, changed_on);

CREATE UNIQUE INDEX skills_category_name_key ON public.skills USING btree (tenant_id, category_id, name);

CREATE INDEX storage_tier_state_entity_type_idx ON public.storage_tier_state USING btree (entity_type);

CREATE INDEX subscriptions_current_idx ON public.subscriptions USING btree (tenant_id, current_period_end DESC);

CREATE INDEX subscriptions_renewal_idx ON public.subscriptions USING btree (current_period_end) WHERE (status = ANY (ARRAY['ACTIVE'::text, 'PAST_DUE'::text]));

CREATE INDEX succession_candidates_candidate_idx ON public.succession_candidates USING btree (tenant_id, candidate_id);

CREATE UNIQUE INDEX succession_candidates_plan_candidate_key ON public.succession_candidates USING btree (tenant_id, plan_id, candidate_id);

CREATE INDEX succession_plans_critical_idx ON public.succession_plans USING btree (tenant_id, criticality, vacancy_risk) WHERE ((status = 'ACTIVE'::text) AND (deleted_at IS NULL));

CREATE INDEX succession_plans_department_fk_idx ON public.succession_plans USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE INDEX succession_plans_incumbent_idx ON public.succession_plans USING btree (tenant_id, incumbent_id) WHERE (incumbent_id IS NOT NULL);

CREATE INDEX succession_plans_owner_fk_idx ON public.succession_plans USING btree (tenant_id, owner_id) WHERE (owner_id IS NOT NULL);

CREATE UNIQUE INDEX survey_participations_survey_user_key ON public.survey_participations USING btree (tenant_id, survey_id, user_id);

CREATE INDEX survey_participations_user_fk_idx ON public.survey_participations USING btree (tenant_id, user_id);

CREATE INDEX survey_questions_survey_position_idx ON public.survey_questions USING btree (tenant_id, survey_id, "position");

CREATE INDEX survey_responses_department_idx ON public.survey_responses USING btree (tenant_id, department_id, survey_id) WHERE (department_id IS NOT NULL);

CREATE INDEX survey_responses_question_fk_idx ON public.survey_responses USING btree (tenant_id, question_id);

CREATE INDEX survey_responses_respondent_survey_key_idx ON public.survey_responses USING btree (tenant_id, respondent_id, survey_id) WHERE (respondent_id IS NOT NULL);

CREATE INDEX survey_responses_survey_question_idx ON public.survey_responses USING btree (tenant_id, survey_id, question_id) INCLUDE (rating);

CREATE UNIQUE INDEX team_composition_analyses_team_day_key ON public.team_composition_analyses USING btree (tenant_id, team_id, analyzed_on);

CREATE INDEX team_optimizations_suggested_by_model_fk_idx ON public.team_optimizations USING btree (tenant_id, suggested_by_model_id) WHERE (suggested_by_model_id IS NOT NULL);

CREATE INDEX team_optimizations_team_status_idx ON public.team_optimizations USING btree (tenant_id, team_id, status);

CREATE INDEX technical_skill_assessments_assessor_fk_idx ON public.technical_skill_assessments USING btree (tenant_id, assessor_id) WHERE (assessor_id IS NOT NULL);

CREATE INDEX technical_skill_assessments_cycle_fk_idx ON public.technical_skill_assessments USING btree (tenant_id, cycle_id) WHERE (cycle_id IS NOT NULL);

CREATE INDEX technical_skill_assessments_skill_level_idx ON public.technical_skill_assessments USING btree (tenant_id, skill_id, level DESC);

CREATE INDEX technical_skill_assessments_user_skill_idx ON public.technical_skill_assessments USING btree (tenant_id, user_id, skill_id, assessed_on DESC) INCLUDE (level);

CREATE UNIQUE INDEX tenants_domain_key ON public.tenants USING btree (domain) WHERE (domain IS NOT NULL);

CREATE UNIQUE INDEX tenants_slug_key ON public.tenants USING btree (slug);

CREATE INDEX trend_analyses_subject_metric_idx ON public.trend_analyses USING btree (tenant_id, subject_type, subject_id, metric, window_end DESC);

CREATE UNIQUE INDEX users_active_email_key ON public.users USING btree (tenant_id, email) WHERE (deleted_at IS NULL);

CREATE INDEX users_business_unit_idx ON public.users USING btree (tenant_id, business_unit_id) WHERE (business_unit_id IS NOT NULL);

CREATE INDEX users_cost_center_idx ON public.users USING btree (tenant_id, cost_center_id) WHERE (cost_center_id IS NOT NULL);

CREATE INDEX users_department_idx ON public.users USING btree (tenant_id, department_id) WHERE (department_id IS NOT NULL);

CREATE UNIQUE INDEX users_employee_number_key ON public.users USING btree (tenant_id, employee_number) WHERE (employee_number IS NOT NULL);

CREATE INDEX users_manager_idx ON public.users USING btree (tenant_id, manager_id) WHERE (manager_id IS NOT NULL);

CREATE INDEX users_status_idx ON public.users USING btree (tenant_id, status) WHERE (deleted_at IS NULL);

CREATE INDEX workload_snapshots_high_risk_idx ON public.workload_snapshots USING btree (tenant_id, captured_on DESC) WHERE (burnout_risk = 'HIGH'::text);

CREATE UNIQUE INDEX workload_snapshots_user_day_key ON public.workload_snapshots USING btree (tenant_id, user_id, captured_on);

CREATE INDEX engagement_metrics_ts_compressed_compressed_seg_idx ON ONLY timeseries.engagement_metrics_ts_compressed USING btree (tenant_id, user_id, chunk_start);

CREATE INDEX engagement_metrics_ts_default_recorded_at_idx ON timeseries.engagement_metrics_ts_default USING brin (recorded_at);

CREATE INDEX engagement_metrics_ts_default_tenant_id_recorded_at_idx ON timeseries.engagement_metrics_ts_default USING btree (tenant_id, recorded_at);

CREATE INDEX engagement_metrics_ts_default_tenant_id_user_id_recorded_at_idx ON timeseries.engagement_metrics_ts_default USING btree (tenant_id, user_id, recorded_at);

CREATE INDEX engagement_metrics_weekly_mat_bucket_idx ON timeseries.engagement_metrics_weekly_mat USING btree (tenant_id, bucket);

CREATE INDEX feedback_activity_ts_compressed_compressed_seg_idx ON ONLY timeseries.feedback_activity_ts_compressed USING btree (tenant_id, user_id, chunk_start);

CREATE INDEX feedback_activity_ts_default_recorded_at_idx ON timeseries.feedback_activity_ts_default USING brin (recorded_at);

CREATE INDEX feedback_activity_ts_default_tenant_id_recorded_at_idx ON timeseries.feedback_activity_ts_default USING btree (tenant_id, recorded_at);

CREATE INDEX feedback_activity_ts_default_tenant_id_user_id_recorded_at_idx ON timeseries.feedback_activity_ts_default USING btree (tenant_id, user_id, recorded_at);

CREATE INDEX feedback_trends_monthly_mat_bucket_idx ON timeseries.feedback_trends_monthly_mat USING btree (tenant_id, bucket);

CREATE INDEX goal_progress_ts_compressed_compressed_seg_idx ON ONLY timeseries.goal_progress_ts_compressed USING btree (tenant_id, user_id, chunk_start);

CREATE INDEX goal_progress_ts_default_recorded_at_idx ON timeseries.goal_progress_ts_default USING brin (recorded_at);

CREATE INDEX goal_progress_ts_default_tenant_id_recorded_at_idx ON timeseries.goal_progress_ts_default USING btree (tenant_id, recorded_at);

CREATE INDEX goal_progress_ts_default_tenant_id_user_id_recorded_at_idx ON timeseries.goal_progress_ts_default USING btree (tenant_id, user_id, recorded_at);

CREATE INDEX invalidations_hypertable_idx ON timeseries.invalidations USING btree (hypertable);

CREATE INDEX invalidations_tenant_idx ON timeseries.invalidations USING btree (tenant_id);

CREATE INDEX membership_invalidations_rollup_idx ON timeseries.membership_invalidations USING btree (rollup);

CREATE INDEX membership_invalidations_tenant_idx ON timeseries.membership_invalidations USING btree (tenant_id);

CREATE INDEX metrics_hypertable_idx ON timeseries.metrics USING btree (hypertable);

CREATE INDEX performance_metrics_daily_mat_bucket_idx ON timeseries.performance_metrics_daily_mat USING btree (tenant_id, bucket);

CREATE INDEX performance_metrics_monthly_mat_bucket_idx ON timeseries.performance_metrics_monthly_mat USING btree (tenant_id, bucket);

CREATE INDEX performance_metrics_ts_compressed_compressed_seg_idx ON ONLY timeseries.performance_metrics_ts_compressed USING btree (tenant_id, user_id, chunk_start);

CREATE INDEX performance_metrics_ts_defaul_tenant_id_user_id_recorded_at_idx ON timeseries.performance_metrics_ts_default USING btree (tenant_id, user_id, recorded_at);

CREATE INDEX performance_metrics_ts_default_recorded_at_idx ON timeseries.performance_metrics_ts_default USING brin (recorded_at);

CREATE INDEX performance_metrics_ts_default_tenant_id_recorded_at_idx ON timeseries.performance_metrics_ts_default USING btree (tenant_id, recorded_at);

CREATE INDEX rollup_invalidations_rollup_idx ON timeseries.rollup_invalidations USING btree (rollup);

CREATE INDEX rollup_invalidations_tenant_idx ON timeseries.rollup_invalidations USING btree (tenant_id);

CREATE INDEX rollups_hypertable_idx ON timeseries.rollups USING btree (hypertable);

CREATE INDEX rollups_source_idx ON timeseries.rollups USING btree (source_rollup);

CREATE UNIQUE INDEX dim_department_current_key ON warehouse.dim_department USING btree (tenant_id, department_id) WHERE is_current;

CREATE UNIQUE INDEX dim_user_current_key ON warehouse.dim_user USING btree (tenant_id, user_id) WHERE is_current;

CREATE INDEX fact_engagement_date_idx ON warehouse.fact_engagement USING btree (tenant_id, date_key);

CREATE INDEX fact_engagement_department_idx ON warehouse.fact_engagement USING btree (tenant_id, department_key);

CREATE INDEX fact_engagement_user_idx ON warehouse.fact_engagement USING btree (tenant_id, user_key);

CREATE INDEX fact_feedback_date_idx ON warehouse.fact_feedback USING btree (tenant_id, date_key);

CREATE INDEX fact_feedback_department_idx ON warehouse.fact_feedback USING btree (tenant_id, receiver_department_key);

CREATE INDEX fact_feedback_giver_idx ON warehouse.fact_feedback USING btree (tenant_id, giver_key);

CREATE INDEX fact_feedback_receiver_idx ON warehouse.fact_feedback USING btree (tenant_id, receiver_key);

CREATE INDEX fact_goal_progress_date_idx ON warehouse.fact_goal_progress USING btree (tenant_id, date_key);

CREATE INDEX fact_goal_progress_department_idx ON warehouse.fact_goal_progress USING btree (tenant_id, department_key);

CREATE INDEX fact_goal_progress_owner_idx ON warehouse.fact_goal_progress USING btree (tenant_id, owner_key);

CREATE INDEX fact_goal_progress_team_idx ON warehouse.fact_goal_progress USING btree (tenant_id, team_key);

CREATE INDEX fact_performance_daily_department_idx ON warehouse.fact_performance_daily USING btree (tenant_id, department_key);

CREATE INDEX fact_performance_daily_person_idx ON warehouse.fact_performance_daily USING btree (tenant_id, user_id);

CREATE INDEX fact_performance_daily_user_idx ON warehouse.fact_performance_daily USING btree (tenant_id, user_key);

CREATE INDEX fact_performance_review_cycle_idx ON warehouse.fact_performance_review USING btree (tenant_id, cycle_key);

CREATE INDEX fact_performance_review_date_idx ON warehouse.fact_performance_review USING btree (tenant_id, date_key);

CREATE INDEX fact_performance_review_department_idx ON warehouse.fact_performance_review USING btree (tenant_id, department_key);

CREATE INDEX fact_performance_review_reviewee_idx ON warehouse.fact_performance_review USING btree (tenant_id, reviewee_key);

CREATE INDEX fact_performance_review_reviewer_idx ON warehouse.fact_performance_review USING btree (tenant_id, reviewer_key);

CREATE INDEX rollup_changes_time_idx ON warehouse.rollup_changes USING btree (tenant_id, rollup, changed_at);

CREATE INDEX sync_runs_time_idx ON warehouse.sync_runs USING btree (tenant_id, finished_at DESC);

CREATE INDEX tombstones_time_idx ON warehouse.tombstones USING btree (tenant_id, source_table, deleted_at);

ALTER INDEX public.feedback_giver_time_idx ATTACH PARTITION pms_parts.feedback_giver_time_idx;

ALTER INDEX public.feedback_goal_fk_idx ATTACH PARTITION pms_parts.feedback_goal_fk_idx;

ALTER INDEX public.feedback_pkey ATTACH PARTITION pms_parts.feedback_pkey;

ALTER INDEX public.feedback_public_time_idx ATTACH PARTITION pms_parts.feedback_public_time_idx;

ALTER INDEX public.feedback_recipient_time_idx ATTACH PARTITION pms_parts.feedback_recipient_time_idx;

ALTER INDEX public.feedback_requested_by_fk_idx ATTACH PARTITION pms_parts.feedback_requested_by_fk_idx;

ALTER INDEX public.feedback_search_idx ATTACH PARTITION pms_parts.feedback_search_idx;

ALTER INDEX public.feedback_tags_idx ATTACH PARTITION pms_parts.feedback_tags_idx;

ALTER INDEX public.feedback_unread_idx ATTACH PARTITION pms_parts.feedback_unread_idx;

ALTER INDEX public.goals_company_period_idx ATTACH PARTITION pms_parts.goals_company_period_idx;

ALTER INDEX public.goals_department_status_idx ATTACH PARTITION pms_parts.goals_department_status_idx;

ALTER INDEX public.goals_metadata_idx ATTACH PARTITION pms_parts.goals_metadata_idx;

ALTER INDEX public.goals_open_due_idx ATTACH PARTITION pms_parts.goals_open_due_idx;

ALTER INDEX public.goals_owner_period_idx ATTACH PARTITION pms_parts.goals_owner_period_idx;

ALTER INDEX public.goals_parent_idx ATTACH PARTITION pms_parts.goals_parent_idx;

ALTER INDEX public.goals_pkey ATTACH PARTITION pms_parts.goals_pkey;

ALTER INDEX public.goals_search_idx ATTACH PARTITION pms_parts.goals_search_idx;

ALTER INDEX public.goals_tags_idx ATTACH PARTITION pms_parts.goals_tags_idx;

ALTER INDEX public.goals_team_status_idx ATTACH PARTITION pms_parts.goals_team_status_idx;

ALTER INDEX public.key_results_goal_idx ATTACH PARTITION pms_parts.key_results_goal_idx;

ALTER INDEX public.key_results_owner_status_idx ATTACH PARTITION pms_parts.key_results_owner_status_idx;

ALTER INDEX public.key_results_pkey ATTACH PARTITION pms_parts.key_results_pkey;

ALTER INDEX public.one_on_ones_employee_time_idx ATTACH PARTITION pms_parts.one_on_ones_employee_time_idx;

ALTER INDEX public.one_on_ones_manager_time_idx ATTACH PARTITION pms_parts.one_on_ones_manager_time_idx;

ALTER INDEX public.one_on_ones_pkey ATTACH PARTITION pms_parts.one_on_ones_pkey;

ALTER INDEX public.one_on_ones_upcoming_idx ATTACH PARTITION pms_parts.one_on_ones_upcoming_idx;

ALTER INDEX public.performance_reviews_cycle_reviewee_key ATTACH PARTITION pms_parts.performance_reviews_cycle_reviewee_key;

ALTER INDEX public.performance_reviews_cycle_status_idx ATTACH PARTITION pms_parts.performance_reviews_cycle_status_idx;

ALTER INDEX public.performance_reviews_pkey ATTACH PARTITION pms_parts.performance_reviews_pkey;

ALTER INDEX public.performance_reviews_reviewee_idx ATTACH PARTITION pms_parts.performance_reviews_reviewee_idx;

ALTER INDEX public.performance_reviews_reviewer_open_idx ATTACH PARTITION pms_parts.performance_reviews_reviewer_open_idx;

ALTER INDEX public.performance_reviews_search_idx ATTACH PARTITION pms_parts.performance_reviews_search_idx;

ALTER INDEX public.performance_reviews_template_fk_idx ATTACH PARTITION pms_parts.performance_reviews_template_fk_idx;

ALTER INDEX public.reporting_lines_employee_idx ATTACH PARTITION pms_parts.reporting_lines_employee_idx;

ALTER INDEX public.reporting_lines_manager_idx ATTACH PARTITION pms_parts.reporting_lines_manager_idx;

ALTER INDEX public.reporting_lines_pkey ATTACH PARTITION pms_parts.reporting_lines_pkey;

ALTER INDEX public.reporting_lines_primary_key ATTACH PARTITION pms_parts.reporting_lines_primary_key;

ALTER INDEX public.team_members_current_key ATTACH PARTITION pms_parts.team_members_current_key;

ALTER INDEX public.team_members_pkey ATTACH PARTITION pms_parts.team_members_pkey;

ALTER INDEX public.team_members_team_idx ATTACH PARTITION pms_parts.team_members_team_idx;

ALTER INDEX public.team_members_user_idx ATTACH PARTITION pms_parts.team_members_user_idx;

ALTER INDEX public.teams_department_idx ATTACH PARTITION pms_parts.teams_department_idx;

ALTER INDEX public.teams_lead_idx ATTACH PARTITION pms_parts.teams_lead_idx;

ALTER INDEX public.teams_pkey ATTACH PARTITION pms_parts.teams_pkey;

ALTER INDEX public.teams_tenant_id_code_key ATTACH PARTITION pms_parts.teams_tenant_id_code_key;

ALTER INDEX public.user_roles_granted_by_idx ATTACH PARTITION pms_parts.user_roles_granted_by_idx;

ALTER INDEX public.user_roles_pkey ATTACH PARTITION pms_parts.user_roles_pkey;

ALTER INDEX public.user_roles_role_idx ATTACH PARTITION pms_parts.user_roles_role_idx;

ALTER INDEX public.user_roles_tenant_id_user_id_role_id_key ATTACH PARTITION pms_parts.user_roles_tenant_id_user_id_role_id_key;

ALTER INDEX public.engagement_metrics_ts_time_brin ATTACH PARTITION timeseries.engagement_metrics_ts_default_recorded_at_idx;

ALTER INDEX public.engagement_metrics_ts_tenant_time_idx ATTACH PARTITION timeseries.engagement_metrics_ts_default_tenant_id_recorded_at_idx;

ALTER INDEX public.engagement_metrics_ts_user_time_idx ATTACH PARTITION timeseries.engagement_metrics_ts_default_tenant_id_user_id_recorded_at_idx;

ALTER INDEX public.feedback_activity_ts_time_brin ATTACH PARTITION timeseries.feedback_activity_ts_default_recorded_at_idx;

ALTER INDEX public.feedback_activity_ts_tenant_time_idx ATTACH PARTITION timeseries.feedback_activity_ts_default_tenant_id_recorded_at_idx;

ALTER INDEX public.feedback_activity_ts_user_time_idx ATTACH PARTITION timeseries.feedback_activity_ts_default_tenant_id_user_id_recorded_at_idx;

ALTER INDEX public.goal_progress_ts_time_brin ATTACH PARTITION timeseries.goal_progress_ts_default_recorded_at_idx;

ALTER INDEX public.goal_progress_ts_tenant_time_idx ATTACH PARTITION timeseries.goal_progress_ts_default_tenant_id_recorded_at_idx;

ALTER INDEX public.goal_progress_ts_user_time_idx ATTACH PARTITION timeseries.goal_progress_ts_default_tenant_id_user_id_recorded_at_idx;

ALTER INDEX public.performance_metrics_ts_user_time_idx ATTACH PARTITION timeseries.performance_metrics_ts_defaul_tenant_id_user_id_recorded_at_idx;

ALTER INDEX public.performance_metrics_ts_time_brin ATTACH PARTITION timeseries.performance_metrics_ts_default_recorded_at_idx;

ALTER INDEX public.performance_metrics_ts_tenant_time_idx ATTACH PARTITION timeseries.performance_metrics_ts_default_tenant_id_recorded_at_idx;

CREATE OR REPLACE VIEW public.goal_overview WITH (security_invoker='true') AS
 SELECT g.tenant_id,
    g.id,
    g.owner_id,
    u.display_name AS owner_name,
    g.goal_type,
    g.status,
    g.title,
    g.period_start,
    g.period_end,
    g.progress,
    count(kr.id) AS key_result_count,
    count(kr.id) FILTER (WHERE (kr.status = ANY (ARRAY['AT_RISK'::text, 'OFF_TRACK'::text]))) AS key_results_at_risk
   FROM ((public.goals g
     JOIN public.users u ON (((u.tenant_id = g.tenant_id) AND (u.id = g.owner_id))))
     LEFT JOIN public.key_results kr ON (((kr.tenant_id = g.tenant_id) AND (kr.goal_id = g.id))))
  WHERE (g.deleted_at IS NULL)
  GROUP BY g.tenant_id, g.id, u.display_name;

CREATE OR REPLACE VIEW public.review_cycle_progress WITH (security_invoker='true') AS
 SELECT c.tenant_id,
    c.id AS cycle_id,
    c.name,
    c.status AS cycle_status,
    count(r.id) AS reviews,
    count(r.id) FILTER (WHERE (r.status = ANY (ARRAY['SUBMITTED'::text, 'CALIBRATED'::text, 'FINALIZED'::text, 'SHARED'::text, 'ACKNOWLEDGED'::text]))) AS submitted,
    round(avg(r.overall_rating), 2) AS average_rating
   FROM (public.review_cycles c
     LEFT JOIN public.performance_reviews r ON (((r.tenant_id = c.tenant_id) AND (r.cycle_id = c.id) AND (r.deleted_at IS NULL))))
  WHERE (c.deleted_at IS NULL)
  GROUP BY c.tenant_id, c.id;

CREATE CONSTRAINT TRIGGER bulk_load_audit AFTER INSERT ON pms_meta.bulk_loads DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pms_meta.bulk_load_audit();

ALTER TABLE pms_meta.bulk_loads ENABLE ALWAYS TRIGGER bulk_load_audit;

CREATE TRIGGER validate_tiers BEFORE INSERT OR UPDATE ON pms_retention.policies FOR EACH ROW EXECUTE FUNCTION pms_retention.validate_tiers();

CREATE CONSTRAINT TRIGGER audit_chain_flush AFTER INSERT ON public.audit_log DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_chain_flush('audit');

ALTER TABLE public.audit_log ENABLE ALWAYS TRIGGER audit_chain_flush;

CREATE CONSTRAINT TRIGGER audit_chain_flush AFTER INSERT ON public.security_events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_chain_flush('security');

ALTER TABLE public.security_events ENABLE ALWAYS TRIGGER audit_chain_flush;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.access_policies FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.access_policies ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.business_units FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.business_units ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.calibration_participants FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.calibration_participants ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.calibration_ratings FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.calibration_ratings ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.calibration_sessions FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.calibration_sessions ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.compensation_decisions FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.compensation_decisions ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.cost_centers FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.cost_centers ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.delegations FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.delegations ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.department_health_metrics FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.department_health_metrics ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.departments FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.departments ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.development_activities FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.development_activities ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.development_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.development_checkpoints ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.development_plans FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.development_plans ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.engagement_surveys FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.engagement_surveys ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.feedback FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.feedback ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.goal_progress_updates FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.goal_progress_updates ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.goals FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.goals ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.key_results FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.key_results ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.legal_holds FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.legal_holds ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.metric_ingestions FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.metric_ingestions ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.ml_model_predictions FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.ml_model_predictions ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.ml_models FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.ml_models ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.notification_preferences FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.notification_preferences ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.notifications FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.notifications ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.one_on_one_action_items FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.one_on_one_action_items ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.one_on_one_agenda_items FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.one_on_one_agenda_items ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.one_on_one_private_notes FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.one_on_one_private_notes ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.one_on_ones FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.one_on_ones ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.organizational_health_metrics FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.organizational_health_metrics ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.performance_improvement_plans FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.performance_improvement_plans ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.performance_reviews FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.performance_reviews ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.pip_check_ins FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.pip_check_ins ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.pip_milestones FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.pip_milestones ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.pip_templates FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.pip_templates ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.promotion_decisions FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.promotion_decisions ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.promotion_recommendations FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.promotion_recommendations ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.reporting_lines FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.reporting_lines ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.retention_policy_overrides FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.retention_policy_overrides ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.review_cycles FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.review_cycles ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.roles FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.roles ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.security_alert_settings FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.security_alert_settings ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.succession_candidates FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.succession_candidates ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.succession_plans FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.succession_plans ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.survey_participations FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.survey_participations ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.survey_questions FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.survey_questions ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.team_members FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.team_members ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.teams FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.teams ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.tenants FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.tenants ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.user_roles FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.user_roles ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON public.users FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.audit_refuse_truncate();

ALTER TABLE public.users ENABLE ALWAYS TRIGGER audit_refuse_truncate;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.access_policies FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'AccessPolicy');

ALTER TABLE public.access_policies ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.business_units FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'BusinessUnit');

ALTER TABLE public.business_units ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.calibration_participants FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'CalibrationParticipant');

ALTER TABLE public.calibration_participants ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.calibration_ratings FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'CalibrationRating');

ALTER TABLE public.calibration_ratings ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.calibration_sessions FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'CalibrationSession');

ALTER TABLE public.calibration_sessions ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.compensation_decisions FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'CompensationDecision');

ALTER TABLE public.compensation_decisions ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.cost_centers FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'CostCenter');

ALTER TABLE public.cost_centers ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.delegations FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'Delegation');

ALTER TABLE public.delegations ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.department_health_metrics FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'DepartmentHealthMetric');

ALTER TABLE public.department_health_metrics ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.departments FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'Department');

ALTER TABLE public.departments ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.development_activities FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'DevelopmentActivity');

ALTER TABLE public.development_activities ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.development_checkpoints FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'DevelopmentCheckpoint');

ALTER TABLE public.development_checkpoints ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.development_plans FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'DevelopmentPlan');

ALTER TABLE public.development_plans ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.engagement_surveys FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'EngagementSurvey');

ALTER TABLE public.engagement_surveys ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.feedback FOR EACH ROW WHEN (((current_setting('session_replication_role'::text) <> 'replica'::text) OR (COALESCE(current_setting('pms.bulk_load'::text, true), ''::text) = ''::text))) EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'Feedback');

ALTER TABLE public.feedback ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.goal_progress_updates FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'GoalProgressUpdate');

ALTER TABLE public.goal_progress_updates ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.goals FOR EACH ROW WHEN (((current_setting('session_replication_role'::text) <> 'replica'::text) OR (COALESCE(current_setting('pms.bulk_load'::text, true), ''::text) = ''::text))) EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'Goal');

ALTER TABLE public.goals ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.key_results FOR EACH ROW WHEN (((current_setting('session_replication_role'::text) <> 'replica'::text) OR (COALESCE(current_setting('pms.bulk_load'::text, true), ''::text) = ''::text))) EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'KeyResult');

ALTER TABLE public.key_results ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.legal_holds FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'LegalHold');

ALTER TABLE public.legal_holds ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.metric_ingestions FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'MetricIngestion');

ALTER TABLE public.metric_ingestions ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.ml_model_predictions FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'MlModelPrediction');

ALTER TABLE public.ml_model_predictions ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.ml_models FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'MlModel');

ALTER TABLE public.ml_models ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.notification_preferences FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'NotificationPreference');

ALTER TABLE public.notification_preferences ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.notifications FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'Notification');

ALTER TABLE public.notifications ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.one_on_one_action_items FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'OneOnOneActionItem');

ALTER TABLE public.one_on_one_action_items ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.one_on_one_agenda_items FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'OneOnOneAgendaItem');

ALTER TABLE public.one_on_one_agenda_items ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.one_on_one_private_notes FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'OneOnOnePrivateNote', 'body');

ALTER TABLE public.one_on_one_private_notes ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.one_on_ones FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'OneOnOne');

ALTER TABLE public.one_on_ones ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.organizational_health_metrics FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'OrganizationalHealthMetric');

ALTER TABLE public.organizational_health_metrics ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.performance_improvement_plans FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'PIP');

ALTER TABLE public.performance_improvement_plans ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.performance_reviews FOR EACH ROW WHEN (((current_setting('session_replication_role'::text) <> 'replica'::text) OR (COALESCE(current_setting('pms.bulk_load'::text, true), ''::text) = ''::text))) EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'PerformanceReview');

ALTER TABLE public.performance_reviews ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.pip_check_ins FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'PipCheckIn');

ALTER TABLE public.pip_check_ins ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.pip_milestones FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'PipMilestone');

ALTER TABLE public.pip_milestones ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.pip_templates FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'PipTemplate');

ALTER TABLE public.pip_templates ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.promotion_decisions FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'PromotionDecision');

ALTER TABLE public.promotion_decisions ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.promotion_recommendations FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'PromotionRecommendation');

ALTER TABLE public.promotion_recommendations ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.reporting_lines FOR EACH ROW WHEN (((current_setting('session_replication_role'::text) <> 'replica'::text) OR (COALESCE(current_setting('pms.bulk_load'::text, true), ''::text) = ''::text))) EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'ReportingLine');

ALTER TABLE public.reporting_lines ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.retention_policy_overrides FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'RetentionPolicyOverride');

ALTER TABLE public.retention_policy_overrides ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.review_cycles FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'ReviewCycle');

ALTER TABLE public.review_cycles ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.roles FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'Role');

ALTER TABLE public.roles ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.security_alert_settings FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'SecurityAlertSetting');

ALTER TABLE public.security_alert_settings ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.succession_candidates FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'SuccessionCandidate');

ALTER TABLE public.succession_candidates ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.succession_plans FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'SuccessionPlan');

ALTER TABLE public.succession_plans ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.survey_participations FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'SurveyParticipation');

ALTER TABLE public.survey_participations ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.survey_questions FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'SurveyQuestion');

ALTER TABLE public.survey_questions ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.team_members FOR EACH ROW WHEN (((current_setting('session_replication_role'::text) <> 'replica'::text) OR (COALESCE(current_setting('pms.bulk_load'::text, true), ''::text) = ''::text))) EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'TeamMember');

ALTER TABLE public.team_members ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.teams FOR EACH ROW WHEN (((current_setting('session_replication_role'::text) <> 'replica'::text) OR (COALESCE(current_setting('pms.bulk_load'::text, true), ''::text) = ''::text))) EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'Team');

ALTER TABLE public.teams ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.tenants FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_row_change('id', 'id', 'Tenant');

ALTER TABLE public.tenants ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.user_roles FOR EACH ROW WHEN (((current_setting('session_replication_role'::text) <> 'replica'::text) OR (COALESCE(current_setting('pms.bulk_load'::text, true), ''::text) = ''::text))) EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'UserRole');

ALTER TABLE public.user_roles ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON public.users FOR EACH ROW WHEN (((current_setting('session_replication_role'::text) <> 'replica'::text) OR (COALESCE(current_setting('pms.bulk_load'::text, true), ''::text) = ''::text))) EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'User');

ALTER TABLE public.users ENABLE ALWAYS TRIGGER audit_row_change;

CREATE TRIGGER audit_seal_payload BEFORE INSERT ON public.audit_log FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_seal_payload('audit');

ALTER TABLE public.audit_log ENABLE ALWAYS TRIGGER audit_seal_payload;

CREATE TRIGGER audit_seal_payload BEFORE INSERT ON public.security_events FOR EACH ROW EXECUTE FUNCTION pms_meta.audit_seal_payload('security');

ALTER TABLE public.security_events ENABLE ALWAYS TRIGGER audit_seal_payload;

CREATE TRIGGER bulk_load_guard BEFORE DELETE OR UPDATE ON public.feedback FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard();

ALTER TABLE public.feedback ENABLE ALWAYS TRIGGER bulk_load_guard;

CREATE TRIGGER bulk_load_guard BEFORE DELETE OR UPDATE ON public.goals FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard();

ALTER TABLE public.goals ENABLE ALWAYS TRIGGER bulk_load_guard;

CREATE TRIGGER bulk_load_guard BEFORE DELETE OR UPDATE ON public.key_results FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard();

ALTER TABLE public.key_results ENABLE ALWAYS TRIGGER bulk_load_guard;

CREATE TRIGGER bulk_load_guard BEFORE DELETE OR UPDATE ON public.one_on_ones FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard();

ALTER TABLE public.one_on_ones ENABLE ALWAYS TRIGGER bulk_load_guard;

CREATE TRIGGER bulk_load_guard BEFORE DELETE OR UPDATE ON public.performance_reviews FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard();

ALTER TABLE public.performance_reviews ENABLE ALWAYS TRIGGER bulk_load_guard;

CREATE TRIGGER bulk_load_guard BEFORE DELETE OR UPDATE ON public.reporting_lines FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard();

ALTER TABLE public.reporting_lines ENABLE ALWAYS TRIGGER bulk_load_guard;

CREATE TRIGGER bulk_load_guard BEFORE DELETE OR UPDATE ON public.seed_batches FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard();

ALTER TABLE public.seed_batches ENABLE ALWAYS TRIGGER bulk_load_guard;

CREATE TRIGGER bulk_load_guard BEFORE DELETE OR UPDATE ON public.team_members FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard();

ALTER TABLE public.team_members ENABLE ALWAYS TRIGGER bulk_load_guard;

CREATE TRIGGER bulk_load_guard BEFORE DELETE OR UPDATE ON public.teams FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard();

ALTER TABLE public.teams ENABLE ALWAYS TRIGGER bulk_load_guard;

CREATE TRIGGER bulk_load_guard BEFORE DELETE OR UPDATE ON public.user_roles FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard();

ALTER TABLE public.user_roles ENABLE ALWAYS TRIGGER bulk_load_guard;

CREATE TRIGGER bulk_load_guard BEFORE DELETE OR UPDATE ON public.users FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard();

ALTER TABLE public.users ENABLE ALWAYS TRIGGER bulk_load_guard;

CREATE TRIGGER bulk_load_verify AFTER INSERT ON public.feedback REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify();

ALTER TABLE public.feedback ENABLE ALWAYS TRIGGER bulk_load_verify;

CREATE TRIGGER bulk_load_verify AFTER INSERT ON public.goals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify();

ALTER TABLE public.goals ENABLE ALWAYS TRIGGER bulk_load_verify;

CREATE TRIGGER bulk_load_verify AFTER INSERT ON public.key_results REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify();

ALTER TABLE public.key_results ENABLE ALWAYS TRIGGER bulk_load_verify;

CREATE TRIGGER bulk_load_verify AFTER INSERT ON public.one_on_ones REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify();

ALTER TABLE public.one_on_ones ENABLE ALWAYS TRIGGER bulk_load_verify;

CREATE TRIGGER bulk_load_verify AFTER INSERT ON public.performance_reviews REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify();

ALTER TABLE public.performance_reviews ENABLE ALWAYS TRIGGER bulk_load_verify;

CREATE TRIGGER bulk_load_verify AFTER INSERT ON public.reporting_lines REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify();

ALTER TABLE public.reporting_lines ENABLE ALWAYS TRIGGER bulk_load_verify;

CREATE TRIGGER bulk_load_verify AFTER INSERT ON public.seed_batches REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify();

ALTER TABLE public.seed_batches ENABLE ALWAYS TRIGGER bulk_load_verify;

CREATE TRIGGER bulk_load_verify AFTER INSERT ON public.team_members REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify();

ALTER TABLE public.team_members ENABLE ALWAYS TRIGGER bulk_load_verify;

CREATE TRIGGER bulk_load_verify AFTER INSERT ON public.teams REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify();

ALTER TABLE public.teams ENABLE ALWAYS TRIGGER bulk_load_verify;

CREATE TRIGGER bulk_load_verify AFTER INSERT ON public.user_roles REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify();

ALTER TABLE public.user_roles ENABLE ALWAYS TRIGGER bulk_load_verify;

CREATE TRIGGER bulk_load_verify AFTER INSERT ON public.users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify();

ALTER TABLE public.users ENABLE ALWAYS TRIGGER bulk_load_verify;

CREATE TRIGGER calibration_participant_open BEFORE INSERT OR DELETE OR UPDATE ON public.calibration_participants FOR EACH ROW EXECUTE FUNCTION public.pms_calibration_participant_open();

CREATE TRIGGER calibration_rating_rules BEFORE INSERT OR DELETE OR UPDATE ON public.calibration_ratings FOR EACH ROW EXECUTE FUNCTION public.pms_calibration_rating_rules();

CREATE TRIGGER calibration_session_workflow BEFORE INSERT OR UPDATE ON public.calibration_sessions FOR EACH ROW EXECUTE FUNCTION public.pms_calibration_session_workflow();

CREATE TRIGGER development_part_open BEFORE INSERT OR DELETE OR UPDATE ON public.development_activities FOR EACH ROW EXECUTE FUNCTION public.pms_development_part_open();

CREATE TRIGGER development_part_open BEFORE INSERT OR DELETE OR UPDATE ON public.development_checkpoints FOR EACH ROW EXECUTE FUNCTION public.pms_development_part_open();

CREATE TRIGGER development_plan_workflow BEFORE UPDATE ON public.development_plans FOR EACH ROW EXECUTE FUNCTION public.pms_development_plan_workflow();

CREATE TRIGGER development_progress AFTER INSERT OR DELETE OR UPDATE OF status ON public.development_activities FOR EACH ROW EXECUTE FUNCTION public.pms_development_progress();

CREATE TRIGGER feedback_notify AFTER INSERT ON public.feedback FOR EACH ROW EXECUTE FUNCTION public.pms_feedback_notify();

CREATE TRIGGER log_deletes AFTER DELETE ON public.engagement_metrics_ts REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER log_deletes AFTER DELETE ON public.feedback_activity_ts REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER log_deletes AFTER DELETE ON public.goal_progress_ts REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER log_deletes AFTER DELETE ON public.performance_metrics_ts REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER log_inserts AFTER INSERT ON public.engagement_metrics_ts REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER log_inserts AFTER INSERT ON public.feedback_activity_ts REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER log_inserts AFTER INSERT ON public.goal_progress_ts REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER log_inserts AFTER INSERT ON public.performance_metrics_ts REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER log_membership_deletes AFTER DELETE ON public.team_members REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_team_changes();

ALTER TABLE public.team_members ENABLE ALWAYS TRIGGER log_membership_deletes;

CREATE TRIGGER log_membership_deletes AFTER DELETE ON public.users REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_department_changes();

ALTER TABLE public.users ENABLE ALWAYS TRIGGER log_membership_deletes;

CREATE TRIGGER log_membership_inserts AFTER INSERT ON public.team_members REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_team_changes();

ALTER TABLE public.team_members ENABLE ALWAYS TRIGGER log_membership_inserts;

CREATE TRIGGER log_membership_inserts AFTER INSERT ON public.users REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_department_changes();

ALTER TABLE public.users ENABLE ALWAYS TRIGGER log_membership_inserts;

CREATE TRIGGER log_membership_updates AFTER UPDATE ON public.team_members REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_team_changes();

ALTER TABLE public.team_members ENABLE ALWAYS TRIGGER log_membership_updates;

CREATE TRIGGER log_membership_updates AFTER UPDATE ON public.users REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_department_changes();

ALTER TABLE public.users ENABLE ALWAYS TRIGGER log_membership_updates;

CREATE TRIGGER log_updates AFTER UPDATE ON public.engagement_metrics_ts REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER log_updates AFTER UPDATE ON public.feedback_activity_ts REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER log_updates AFTER UPDATE ON public.goal_progress_ts REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER log_updates AFTER UPDATE ON public.performance_metrics_ts REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION timeseries.log_changes();

CREATE TRIGGER one_on_one_item_open BEFORE INSERT OR DELETE OR UPDATE ON public.one_on_one_action_items FOR EACH ROW EXECUTE FUNCTION public.pms_one_on_one_item_open();

CREATE TRIGGER one_on_one_item_open BEFORE INSERT OR DELETE OR UPDATE ON public.one_on_one_agenda_items FOR EACH ROW EXECUTE FUNCTION public.pms_one_on_one_item_open();

CREATE TRIGGER one_on_one_notify AFTER INSERT OR UPDATE OF status, scheduled_at ON public.one_on_ones FOR EACH ROW EXECUTE FUNCTION public.pms_one_on_one_notify();

CREATE TRIGGER one_on_one_workflow BEFORE UPDATE ON public.one_on_ones FOR EACH ROW EXECUTE FUNCTION public.pms_one_on_one_workflow();

CREATE TRIGGER pip_check_in_schedule AFTER INSERT ON public.pip_check_ins FOR EACH ROW EXECUTE FUNCTION public.pms_pip_check_in_schedule();

CREATE TRIGGER pip_notify AFTER UPDATE ON public.performance_improvement_plans FOR EACH ROW EXECUTE FUNCTION public.pms_pip_notify();

CREATE TRIGGER pip_part_open BEFORE INSERT OR DELETE OR UPDATE ON public.pip_check_ins FOR EACH ROW EXECUTE FUNCTION public.pms_pip_part_open();

CREATE TRIGGER pip_part_open BEFORE INSERT OR DELETE OR UPDATE ON public.pip_milestones FOR EACH ROW EXECUTE FUNCTION public.pms_pip_part_open();

CREATE TRIGGER pip_workflow BEFORE UPDATE ON public.performance_improvement_plans FOR EACH ROW EXECUTE FUNCTION public.pms_pip_workflow();

CREATE TRIGGER promotion_decision_workflow BEFORE INSERT OR UPDATE ON public.promotion_decisions FOR EACH ROW EXECUTE FUNCTION public.pms_promotion_decision_workflow();

CREATE TRIGGER refuse_blind_write BEFORE DELETE OR UPDATE ON public.engagement_metrics_ts FOR EACH STATEMENT EXECUTE FUNCTION timeseries.refuse_blind_write('engagement_metrics_ts');

CREATE TRIGGER refuse_blind_write BEFORE DELETE OR UPDATE ON public.feedback_activity_ts FOR EACH STATEMENT EXECUTE FUNCTION timeseries.refuse_blind_write('feedback_activity_ts');

CREATE TRIGGER refuse_blind_write BEFORE DELETE OR UPDATE ON public.goal_progress_ts FOR EACH STATEMENT EXECUTE FUNCTION timeseries.refuse_blind_write('goal_progress_ts');

CREATE TRIGGER refuse_blind_write BEFORE DELETE OR UPDATE ON public.performance_metrics_ts FOR EACH STATEMENT EXECUTE FUNCTION timeseries.refuse_blind_write('performance_metrics_ts');

CREATE TRIGGER reporting_chain_delete AFTER DELETE ON public.users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pms_reporting_chain_on_delete();

ALTER TABLE public.users ENABLE ALWAYS TRIGGER reporting_chain_delete;

CREATE TRIGGER reporting_chain_insert AFTER INSERT ON public.users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pms_reporting_chain_on_insert();

ALTER TABLE public.users ENABLE ALWAYS TRIGGER reporting_chain_insert;

CREATE TRIGGER reporting_chain_update AFTER UPDATE ON public.users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pms_reporting_chain_on_update();

ALTER TABLE public.users ENABLE ALWAYS TRIGGER reporting_chain_update;

CREATE TRIGGER review_cycle_forward_only BEFORE UPDATE OF status ON public.review_cycles FOR EACH ROW EXECUTE FUNCTION public.pms_review_cycle_forward_only();

CREATE TRIGGER review_cycle_lock_kept BEFORE UPDATE OF calibration_locked_at ON public.review_cycles FOR EACH ROW EXECUTE FUNCTION public.pms_review_cycle_lock_kept();

CREATE TRIGGER review_forward_only BEFORE UPDATE OF status ON public.performance_reviews FOR EACH ROW EXECUTE FUNCTION public.pms_review_forward_only();

CREATE TRIGGER review_notify AFTER INSERT ON public.performance_reviews FOR EACH ROW EXECUTE FUNCTION public.pms_review_notify();

CREATE TRIGGER review_rating_lock BEFORE UPDATE OF overall_rating ON public.performance_reviews FOR EACH ROW EXECUTE FUNCTION public.pms_review_rating_lock();

CREATE TRIGGER survey_forward_only BEFORE UPDATE OF status ON public.engagement_surveys FOR EACH ROW EXECUTE FUNCTION public.pms_survey_forward_only();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.access_policies FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.activity_events FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.alerts FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.anomaly_detections FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.anomaly_patterns FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.api_idempotency_keys FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.archive_batches FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.archive_pending FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.archived_entities FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.assessment_cycles FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.background_jobs FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.behavioral_competency_scores FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.benchmark_comparisons FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.benchmarks FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.business_units FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.calibration_participants FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.calibration_ratings FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.calibration_sessions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.career_path_steps FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.career_paths FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.communication_sentiments FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.compensation_decisions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.competencies FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.competency_assessments FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.competency_frameworks FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.compliance_assessments FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.compliance_policies FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.compliance_violations FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.contribution_scores FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.cost_centers FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.culture_diagnostics FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.dashboard_widgets FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.dashboards FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.deadline_alerts FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.delegations FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.department_health_metrics FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.departments FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.development_activities FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.development_checkpoints FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.development_plans FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.engagement_events FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.engagement_scores FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.engagement_surveys FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.evidence FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.evidence_links FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.feature_store_features FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.feature_store_values FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.feedback FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.feedback_360_aggregations FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.feedback_360_cycles FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.feedback_360_gap_analyses FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.feedback_360_nominations FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.feedback_360_questionnaires FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.feedback_360_questions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.feedback_360_requests FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.feedback_360_responses FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.generated_reports FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.goal_alignments FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.goal_comments FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.goal_progress_updates FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.goals FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.innovation_contributions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.innovation_evaluations FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.invoices FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.key_results FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.kpi_definitions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.kpi_values FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.leaderboard_entries FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.leaderboards FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.leadership_competency_scores FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.legal_holds FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.metric_anomalies FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.metric_ingestions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.milestone_progress_events FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.ml_model_predictions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.ml_models FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.notification_preferences FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.notification_templates FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.notifications FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.one_on_one_action_items FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.one_on_one_agenda_items FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.one_on_one_private_notes FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.one_on_ones FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.organizational_health_metrics FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.performance_improvement_plans FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.performance_reviews FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.pip_check_ins FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.pip_milestones FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.pip_templates FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.privacy_erasures FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.productivity_predictions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.project_evaluations FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.project_milestones FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.projects FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.promotion_decisions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.promotion_recommendations FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.pulse_responses FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.report_aggregations FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.report_definitions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.report_schedules FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.reporting_lines FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.retention_policy_overrides FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.review_cycles FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.review_goals FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.review_templates FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.roles FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.scenario_analyses FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.security_alert_settings FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.seed_batches FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.sentiment_analyses FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.sentiment_trends FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.sessions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.skill_categories FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.skill_progress_history FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.skills FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.storage_tier_state FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.subscriptions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.succession_candidates FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.succession_plans FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.survey_participations FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.survey_questions FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.survey_responses FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.team_composition_analyses FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.team_members FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.team_optimizations FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.teams FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.technical_skill_assessments FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.tenants FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.trend_analyses FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.user_roles FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.workload_snapshots FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at();

CREATE TRIGGER validate_tiers BEFORE INSERT OR UPDATE ON public.retention_policy_overrides FOR EACH ROW EXECUTE FUNCTION pms_retention.validate_tiers();

CREATE TRIGGER warehouse_tombstones AFTER DELETE ON public.competencies REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION warehouse.record_tombstones();

CREATE TRIGGER warehouse_tombstones AFTER DELETE ON public.pulse_responses REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION warehouse.record_tombstones();

CREATE TRIGGER warehouse_tombstones AFTER DELETE ON public.review_cycles REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION warehouse.record_tombstones();

CREATE TRIGGER warehouse_tombstones AFTER DELETE ON public.survey_responses REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION warehouse.record_tombstones();

CREATE TRIGGER write_point_all INSTEAD OF INSERT OR DELETE OR UPDATE ON public.engagement_metrics_ts_all FOR EACH ROW EXECUTE FUNCTION timeseries.write_point_all('engagement_metrics_ts');

CREATE TRIGGER write_point_all INSTEAD OF INSERT OR DELETE OR UPDATE ON public.feedback_activity_ts_all FOR EACH ROW EXECUTE FUNCTION timeseries.write_point_all('feedback_activity_ts');

CREATE TRIGGER write_point_all INSTEAD OF INSERT OR DELETE OR UPDATE ON public.goal_progress_ts_all FOR EACH ROW EXECUTE FUNCTION timeseries.write_point_all('goal_progress_ts');

CREATE TRIGGER write_point_all INSTEAD OF INSERT OR DELETE OR UPDATE ON public.performance_metrics_ts_all FOR EACH ROW EXECUTE FUNCTION timeseries.write_point_all('performance_metrics_ts');

CREATE TRIGGER warehouse_rollup_deletes AFTER DELETE ON timeseries.engagement_metrics_weekly_mat REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION warehouse.record_rollup_changes();

CREATE TRIGGER warehouse_rollup_deletes AFTER DELETE ON timeseries.performance_metrics_daily_mat REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION warehouse.record_rollup_changes();

CREATE TRIGGER warehouse_rollup_inserts AFTER INSERT ON timeseries.engagement_metrics_weekly_mat REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION warehouse.record_rollup_changes();

CREATE TRIGGER warehouse_rollup_inserts AFTER INSERT ON timeseries.performance_metrics_daily_mat REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION warehouse.record_rollup_changes();

ALTER TABLE ONLY pms_retention.entities
    ADD CONSTRAINT entities_entity_type_fkey FOREIGN KEY (entity_type) REFERENCES pms_retention.policies(entity_type);

ALTER TABLE ONLY pms_retention.erasure_rules
    ADD CONSTRAINT erasure_rules_entity_type_fkey FOREIGN KEY (entity_type) REFERENCES pms_retention.policies(entity_type);

ALTER TABLE ONLY public.access_policies
    ADD CONSTRAINT access_policies_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.access_policies
    ADD CONSTRAINT access_policies_tenant_id_role_id_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES public.roles(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.activity_events
    ADD CONSTRAINT activity_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.activity_events
    ADD CONSTRAINT activity_events_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES public.projects(tenant_id, id) ON DELETE SET NULL (project_id);

ALTER TABLE ONLY public.activity_events
    ADD CONSTRAINT activity_events_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_tenant_id_anomaly_id_fkey FOREIGN KEY (tenant_id, anomaly_id) REFERENCES public.metric_anomalies(tenant_id, id) ON DELETE SET NULL (anomaly_id);

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_tenant_id_kpi_id_fkey FOREIGN KEY (tenant_id, kpi_id) REFERENCES public.kpi_definitions(tenant_id, id) ON DELETE SET NULL (kpi_id);

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_tenant_id_recipient_id_fkey FOREIGN KEY (tenant_id, recipient_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.anomaly_detections
    ADD CONSTRAINT anomaly_detections_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.anomaly_detections
    ADD CONSTRAINT anomaly_detections_tenant_id_model_id_fkey FOREIGN KEY (tenant_id, model_id) REFERENCES public.ml_models(tenant_id, id) ON DELETE SET NULL (model_id);

ALTER TABLE ONLY public.anomaly_detections
    ADD CONSTRAINT anomaly_detections_tenant_id_pattern_id_fkey FOREIGN KEY (tenant_id, pattern_id) REFERENCES public.anomaly_patterns(tenant_id, id) ON DELETE SET NULL (pattern_id);

ALTER TABLE ONLY public.anomaly_detections
    ADD CONSTRAINT anomaly_detections_tenant_id_team_id_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES public.teams(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.anomaly_detections
    ADD CONSTRAINT anomaly_detections_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.anomaly_patterns
    ADD CONSTRAINT anomaly_patterns_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.api_idempotency_keys
    ADD CONSTRAINT api_idempotency_keys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.api_idempotency_keys
    ADD CONSTRAINT api_idempotency_keys_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.archive_batches
    ADD CONSTRAINT archive_batches_entity_type_fkey FOREIGN KEY (entity_type) REFERENCES pms_retention.policies(entity_type);

ALTER TABLE ONLY public.archive_batches
    ADD CONSTRAINT archive_batches_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.archive_pending
    ADD CONSTRAINT archive_pending_entity_type_fkey FOREIGN KEY (entity_type) REFERENCES pms_retention.policies(entity_type);

ALTER TABLE ONLY public.archive_pending
    ADD CONSTRAINT archive_pending_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.archived_entities
    ADD CONSTRAINT archived_entities_entity_type_fkey FOREIGN KEY (entity_type) REFERENCES pms_retention.policies(entity_type);

ALTER TABLE ONLY public.archived_entities
    ADD CONSTRAINT archived_entities_tenant_id_batch_id_fkey FOREIGN KEY (tenant_id, batch_id) REFERENCES public.archive_batches(tenant_id, id);

ALTER TABLE ONLY public.archived_entities
    ADD CONSTRAINT archived_entities_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.assessment_cycles
    ADD CONSTRAINT assessment_cycles_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.audit_chain_heads
    ADD CONSTRAINT audit_chain_heads_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.audit_log
    ADD CONSTRAINT audit_log_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.background_jobs
    ADD CONSTRAINT background_jobs_tenant_id_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (created_by);

ALTER TABLE ONLY public.background_jobs
    ADD CONSTRAINT background_jobs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.behavioral_competency_scores
    ADD CONSTRAINT behavioral_competency_scores_tenant_id_competency_id_fkey FOREIGN KEY (tenant_id, competency_id) REFERENCES public.competencies(tenant_id, id) ON DELETE SET NULL (competency_id);

ALTER TABLE ONLY public.behavioral_competency_scores
    ADD CONSTRAINT behavioral_competency_scores_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.assessment_cycles(tenant_id, id) ON DELETE SET NULL (cycle_id);

ALTER TABLE ONLY public.behavioral_competency_scores
    ADD CONSTRAINT behavioral_competency_scores_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.behavioral_competency_scores
    ADD CONSTRAINT behavioral_competency_scores_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.benchmark_comparisons
    ADD CONSTRAINT benchmark_comparisons_tenant_id_benchmark_id_fkey FOREIGN KEY (tenant_id, benchmark_id) REFERENCES public.benchmarks(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.benchmark_comparisons
    ADD CONSTRAINT benchmark_comparisons_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.benchmark_comparisons
    ADD CONSTRAINT benchmark_comparisons_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.benchmark_comparisons
    ADD CONSTRAINT benchmark_comparisons_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.benchmarks
    ADD CONSTRAINT benchmarks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.business_units
    ADD CONSTRAINT business_units_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.business_units
    ADD CONSTRAINT business_units_tenant_id_head_id_fkey FOREIGN KEY (tenant_id, head_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (head_id);

ALTER TABLE ONLY public.calibration_participants
    ADD CONSTRAINT calibration_participants_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.calibration_participants
    ADD CONSTRAINT calibration_participants_tenant_id_session_id_fkey FOREIGN KEY (tenant_id, session_id) REFERENCES public.calibration_sessions(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.calibration_participants
    ADD CONSTRAINT calibration_participants_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.calibration_ratings
    ADD CONSTRAINT calibration_ratings_tenant_id_adjusted_by_fkey FOREIGN KEY (tenant_id, adjusted_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (adjusted_by);

ALTER TABLE ONLY public.calibration_ratings
    ADD CONSTRAINT calibration_ratings_tenant_id_employee_id_fkey FOREIGN KEY (tenant_id, employee_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.calibration_ratings
    ADD CONSTRAINT calibration_ratings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.calibration_ratings
    ADD CONSTRAINT calibration_ratings_tenant_id_review_id_fkey FOREIGN KEY (tenant_id, review_id) REFERENCES public.performance_reviews(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.calibration_ratings
    ADD CONSTRAINT calibration_ratings_tenant_id_session_id_fkey FOREIGN KEY (tenant_id, session_id) REFERENCES public.calibration_sessions(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.calibration_sessions
    ADD CONSTRAINT calibration_sessions_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.review_cycles(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.calibration_sessions
    ADD CONSTRAINT calibration_sessions_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE SET NULL (department_id);

ALTER TABLE ONLY public.calibration_sessions
    ADD CONSTRAINT calibration_sessions_tenant_id_facilitator_id_fkey FOREIGN KEY (tenant_id, facilitator_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (facilitator_id);

ALTER TABLE ONLY public.calibration_sessions
    ADD CONSTRAINT calibration_sessions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.career_path_steps
    ADD CONSTRAINT career_path_steps_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.career_path_steps
    ADD CONSTRAINT career_path_steps_tenant_id_path_id_fkey FOREIGN KEY (tenant_id, path_id) REFERENCES public.career_paths(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.career_paths
    ADD CONSTRAINT career_paths_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE SET NULL (department_id);

ALTER TABLE ONLY public.career_paths
    ADD CONSTRAINT career_paths_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.communication_sentiments
    ADD CONSTRAINT communication_sentiments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.communication_sentiments
    ADD CONSTRAINT communication_sentiments_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.compensation_decisions
    ADD CONSTRAINT compensation_decisions_tenant_id_approved_by_fkey FOREIGN KEY (tenant_id, approved_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (approved_by);

ALTER TABLE ONLY public.compensation_decisions
    ADD CONSTRAINT compensation_decisions_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.review_cycles(tenant_id, id) ON DELETE SET NULL (cycle_id);

ALTER TABLE ONLY public.compensation_decisions
    ADD CONSTRAINT compensation_decisions_tenant_id_decided_by_fkey FOREIGN KEY (tenant_id, decided_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (decided_by);

ALTER TABLE ONLY public.compensation_decisions
    ADD CONSTRAINT compensation_decisions_tenant_id_employee_id_fkey FOREIGN KEY (tenant_id, employee_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.compensation_decisions
    ADD CONSTRAINT compensation_decisions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.competencies
    ADD CONSTRAINT competencies_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.competencies
    ADD CONSTRAINT competencies_tenant_id_framework_id_fkey FOREIGN KEY (tenant_id, framework_id) REFERENCES public.competency_frameworks(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.competency_assessments
    ADD CONSTRAINT competency_assessments_tenant_id_assessor_id_fkey FOREIGN KEY (tenant_id, assessor_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (assessor_id);

ALTER TABLE ONLY public.competency_assessments
    ADD CONSTRAINT competency_assessments_tenant_id_competency_id_fkey FOREIGN KEY (tenant_id, competency_id) REFERENCES public.competencies(tenant_id, id);

ALTER TABLE ONLY public.competency_assessments
    ADD CONSTRAINT competency_assessments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.competency_assessments
    ADD CONSTRAINT competency_assessments_tenant_id_review_id_fkey FOREIGN KEY (tenant_id, review_id) REFERENCES public.performance_reviews(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.competency_assessments
    ADD CONSTRAINT competency_assessments_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.competency_frameworks
    ADD CONSTRAINT competency_frameworks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.compliance_assessments
    ADD CONSTRAINT compliance_assessments_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.assessment_cycles(tenant_id, id) ON DELETE SET NULL (cycle_id);

ALTER TABLE ONLY public.compliance_assessments
    ADD CONSTRAINT compliance_assessments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.compliance_assessments
    ADD CONSTRAINT compliance_assessments_tenant_id_policy_id_fkey FOREIGN KEY (tenant_id, policy_id) REFERENCES public.compliance_policies(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.compliance_assessments
    ADD CONSTRAINT compliance_assessments_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.compliance_policies
    ADD CONSTRAINT compliance_policies_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.compliance_violations
    ADD CONSTRAINT compliance_violations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.compliance_violations
    ADD CONSTRAINT compliance_violations_tenant_id_policy_id_fkey FOREIGN KEY (tenant_id, policy_id) REFERENCES public.compliance_policies(tenant_id, id);

ALTER TABLE ONLY public.compliance_violations
    ADD CONSTRAINT compliance_violations_tenant_id_reported_by_fkey FOREIGN KEY (tenant_id, reported_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (reported_by);

ALTER TABLE ONLY public.compliance_violations
    ADD CONSTRAINT compliance_violations_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.contribution_scores
    ADD CONSTRAINT contribution_scores_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.contribution_scores
    ADD CONSTRAINT contribution_scores_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES public.projects(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.contribution_scores
    ADD CONSTRAINT contribution_scores_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.cost_centers
    ADD CONSTRAINT cost_centers_tenant_id_business_unit_id_fkey FOREIGN KEY (tenant_id, business_unit_id) REFERENCES public.business_units(tenant_id, id) ON DELETE SET NULL (business_unit_id);

ALTER TABLE ONLY public.cost_centers
    ADD CONSTRAINT cost_centers_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.culture_diagnostics
    ADD CONSTRAINT culture_diagnostics_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.culture_diagnostics
    ADD CONSTRAINT culture_diagnostics_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.culture_diagnostics
    ADD CONSTRAINT culture_diagnostics_tenant_id_survey_id_fkey FOREIGN KEY (tenant_id, survey_id) REFERENCES public.engagement_surveys(tenant_id, id) ON DELETE SET NULL (survey_id);

ALTER TABLE ONLY public.dashboard_widgets
    ADD CONSTRAINT dashboard_widgets_tenant_id_dashboard_id_fkey FOREIGN KEY (tenant_id, dashboard_id) REFERENCES public.dashboards(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.dashboard_widgets
    ADD CONSTRAINT dashboard_widgets_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.dashboard_widgets
    ADD CONSTRAINT dashboard_widgets_tenant_id_report_id_fkey FOREIGN KEY (tenant_id, report_id) REFERENCES public.report_definitions(tenant_id, id) ON DELETE SET NULL (report_id);

ALTER TABLE ONLY public.dashboards
    ADD CONSTRAINT dashboards_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.dashboards
    ADD CONSTRAINT dashboards_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (owner_id);

ALTER TABLE ONLY public.deadline_alerts
    ADD CONSTRAINT deadline_alerts_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.deadline_alerts
    ADD CONSTRAINT deadline_alerts_tenant_id_goal_id_fkey FOREIGN KEY (tenant_id, goal_id) REFERENCES public.goals(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.deadline_alerts
    ADD CONSTRAINT deadline_alerts_tenant_id_review_id_fkey FOREIGN KEY (tenant_id, review_id) REFERENCES public.performance_reviews(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.deadline_alerts
    ADD CONSTRAINT deadline_alerts_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.delegations
    ADD CONSTRAINT delegations_tenant_id_delegate_id_fkey FOREIGN KEY (tenant_id, delegate_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.delegations
    ADD CONSTRAINT delegations_tenant_id_delegator_id_fkey FOREIGN KEY (tenant_id, delegator_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.delegations
    ADD CONSTRAINT delegations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.department_health_metrics
    ADD CONSTRAINT department_health_metrics_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.department_health_metrics
    ADD CONSTRAINT department_health_metrics_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_tenant_id_business_unit_id_fkey FOREIGN KEY (tenant_id, business_unit_id) REFERENCES public.business_units(tenant_id, id) ON DELETE SET NULL (business_unit_id);

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_tenant_id_cost_center_id_fkey FOREIGN KEY (tenant_id, cost_center_id) REFERENCES public.cost_centers(tenant_id, id) ON DELETE SET NULL (cost_center_id);

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_tenant_id_head_id_fkey FOREIGN KEY (tenant_id, head_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (head_id);

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_tenant_id_parent_id_fkey FOREIGN KEY (tenant_id, parent_id) REFERENCES public.departments(tenant_id, id) ON DELETE SET NULL (parent_id);

ALTER TABLE ONLY public.development_activities
    ADD CONSTRAINT development_activities_tenant_id_competency_id_fkey FOREIGN KEY (tenant_id, competency_id) REFERENCES public.competencies(tenant_id, id) ON DELETE SET NULL (competency_id);

ALTER TABLE ONLY public.development_activities
    ADD CONSTRAINT development_activities_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.development_activities
    ADD CONSTRAINT development_activities_tenant_id_plan_id_fkey FOREIGN KEY (tenant_id, plan_id) REFERENCES public.development_plans(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.development_activities
    ADD CONSTRAINT development_activities_tenant_id_skill_id_fkey FOREIGN KEY (tenant_id, skill_id) REFERENCES public.skills(tenant_id, id) ON DELETE SET NULL (skill_id);

ALTER TABLE ONLY public.development_checkpoints
    ADD CONSTRAINT development_checkpoints_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.development_checkpoints
    ADD CONSTRAINT development_checkpoints_tenant_id_plan_id_fkey FOREIGN KEY (tenant_id, plan_id) REFERENCES public.development_plans(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.development_checkpoints
    ADD CONSTRAINT development_checkpoints_tenant_id_reviewer_id_fkey FOREIGN KEY (tenant_id, reviewer_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (reviewer_id);

ALTER TABLE ONLY public.development_plans
    ADD CONSTRAINT development_plans_tenant_id_career_path_id_fkey FOREIGN KEY (tenant_id, career_path_id) REFERENCES public.career_paths(tenant_id, id) ON DELETE SET NULL (career_path_id);

ALTER TABLE ONLY public.development_plans
    ADD CONSTRAINT development_plans_tenant_id_employee_id_fkey FOREIGN KEY (tenant_id, employee_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.development_plans
    ADD CONSTRAINT development_plans_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.development_plans
    ADD CONSTRAINT development_plans_tenant_id_manager_id_fkey FOREIGN KEY (tenant_id, manager_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (manager_id);

ALTER TABLE ONLY public.development_plans
    ADD CONSTRAINT development_plans_tenant_id_target_step_id_fkey FOREIGN KEY (tenant_id, target_step_id) REFERENCES public.career_path_steps(tenant_id, id) ON DELETE SET NULL (target_step_id);

ALTER TABLE ONLY public.engagement_events
    ADD CONSTRAINT engagement_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.engagement_events
    ADD CONSTRAINT engagement_events_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.engagement_scores
    ADD CONSTRAINT engagement_scores_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.engagement_scores
    ADD CONSTRAINT engagement_scores_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.engagement_scores
    ADD CONSTRAINT engagement_scores_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.engagement_surveys
    ADD CONSTRAINT engagement_surveys_tenant_id_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (created_by);

ALTER TABLE ONLY public.engagement_surveys
    ADD CONSTRAINT engagement_surveys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.evidence_links
    ADD CONSTRAINT evidence_links_tenant_id_evidence_id_fkey FOREIGN KEY (tenant_id, evidence_id) REFERENCES public.evidence(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.evidence_links
    ADD CONSTRAINT evidence_links_tenant_id_feedback_id_fkey FOREIGN KEY (tenant_id, feedback_id) REFERENCES public.feedback(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.evidence_links
    ADD CONSTRAINT evidence_links_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.evidence_links
    ADD CONSTRAINT evidence_links_tenant_id_goal_id_fkey FOREIGN KEY (tenant_id, goal_id) REFERENCES public.goals(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.evidence_links
    ADD CONSTRAINT evidence_links_tenant_id_review_id_fkey FOREIGN KEY (tenant_id, review_id) REFERENCES public.performance_reviews(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.evidence
    ADD CONSTRAINT evidence_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.evidence
    ADD CONSTRAINT evidence_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.feature_store_features
    ADD CONSTRAINT feature_store_features_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.feature_store_values
    ADD CONSTRAINT feature_store_values_tenant_id_feature_id_fkey FOREIGN KEY (tenant_id, feature_id) REFERENCES public.feature_store_features(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.feature_store_values
    ADD CONSTRAINT feature_store_values_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.feedback_360_aggregations
    ADD CONSTRAINT feedback_360_aggregations_tenant_id_competency_id_fkey FOREIGN KEY (tenant_id, competency_id) REFERENCES public.competencies(tenant_id, id) ON DELETE SET NULL (competency_id);

ALTER TABLE ONLY public.feedback_360_aggregations
    ADD CONSTRAINT feedback_360_aggregations_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.feedback_360_cycles(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.feedback_360_aggregations
    ADD CONSTRAINT feedback_360_aggregations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.feedback_360_aggregations
    ADD CONSTRAINT feedback_360_aggregations_tenant_id_subject_id_fkey FOREIGN KEY (tenant_id, subject_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.feedback_360_cycles
    ADD CONSTRAINT feedback_360_cycles_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.feedback_360_cycles
    ADD CONSTRAINT feedback_360_cycles_tenant_id_questionnaire_id_fkey FOREIGN KEY (tenant_id, questionnaire_id) REFERENCES public.feedback_360_questionnaires(tenant_id, id);

ALTER TABLE ONLY public.feedback_360_cycles
    ADD CONSTRAINT feedback_360_cycles_tenant_id_review_cycle_id_fkey FOREIGN KEY (tenant_id, review_cycle_id) REFERENCES public.review_cycles(tenant_id, id) ON DELETE SET NULL (review_cycle_id);

ALTER TABLE ONLY public.feedback_360_gap_analyses
    ADD CONSTRAINT feedback_360_gap_analyses_tenant_id_competency_id_fkey FOREIGN KEY (tenant_id, competency_id) REFERENCES public.competencies(tenant_id, id);

ALTER TABLE ONLY public.feedback_360_gap_analyses
    ADD CONSTRAINT feedback_360_gap_analyses_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.feedback_360_cycles(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.feedback_360_gap_analyses
    ADD CONSTRAINT feedback_360_gap_analyses_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.feedback_360_gap_analyses
    ADD CONSTRAINT feedback_360_gap_analyses_tenant_id_subject_id_fkey FOREIGN KEY (tenant_id, subject_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.feedback_360_nominations
    ADD CONSTRAINT feedback_360_nominations_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.feedback_360_cycles(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.feedback_360_nominations
    ADD CONSTRAINT feedback_360_nominations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.feedback_360_nominations
    ADD CONSTRAINT feedback_360_nominations_tenant_id_nominated_by_fkey FOREIGN KEY (tenant_id, nominated_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (nominated_by);

ALTER TABLE ONLY public.feedback_360_nominations
    ADD CONSTRAINT feedback_360_nominations_tenant_id_nominee_id_fkey FOREIGN KEY (tenant_id, nominee_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.feedback_360_nominations
    ADD CONSTRAINT feedback_360_nominations_tenant_id_subject_id_fkey FOREIGN KEY (tenant_id, subject_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.feedback_360_questionnaires
    ADD CONSTRAINT feedback_360_questionnaires_tenant_id_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (created_by);

ALTER TABLE ONLY public.feedback_360_questionnaires
    ADD CONSTRAINT feedback_360_questionnaires_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.feedback_360_questions
    ADD CONSTRAINT feedback_360_questions_tenant_id_competency_id_fkey FOREIGN KEY (tenant_id, competency_id) REFERENCES public.competencies(tenant_id, id) ON DELETE SET NULL (competency_id);

ALTER TABLE ONLY public.feedback_360_questions
    ADD CONSTRAINT feedback_360_questions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.feedback_360_questions
    ADD CONSTRAINT feedback_360_questions_tenant_id_questionnaire_id_fkey FOREIGN KEY (tenant_id, questionnaire_id) REFERENCES public.feedback_360_questionnaires(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.feedback_360_requests
    ADD CONSTRAINT feedback_360_requests_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.feedback_360_cycles(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.feedback_360_requests
    ADD CONSTRAINT feedback_360_requests_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.feedback_360_requests
    ADD CONSTRAINT feedback_360_requests_tenant_id_nomination_id_fkey FOREIGN KEY (tenant_id, nomination_id) REFERENCES public.feedback_360_nominations(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.feedback_360_requests
    ADD CONSTRAINT feedback_360_requests_tenant_id_rater_id_fkey FOREIGN KEY (tenant_id, rater_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.feedback_360_requests
    ADD CONSTRAINT feedback_360_requests_tenant_id_subject_id_fkey FOREIGN KEY (tenant_id, subject_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.feedback_360_responses
    ADD CONSTRAINT feedback_360_responses_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.feedback_360_responses
    ADD CONSTRAINT feedback_360_responses_tenant_id_question_id_fkey FOREIGN KEY (tenant_id, question_id) REFERENCES public.feedback_360_questions(tenant_id, id);

ALTER TABLE ONLY public.feedback_360_responses
    ADD CONSTRAINT feedback_360_responses_tenant_id_request_id_fkey FOREIGN KEY (tenant_id, request_id) REFERENCES public.feedback_360_requests(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE public.feedback
    ADD CONSTRAINT feedback_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.feedback
    ADD CONSTRAINT feedback_tenant_id_giver_id_fkey FOREIGN KEY (tenant_id, giver_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (giver_id);

ALTER TABLE public.feedback
    ADD CONSTRAINT feedback_tenant_id_goal_id_fkey FOREIGN KEY (tenant_id, goal_id) REFERENCES public.goals(tenant_id, id) ON DELETE SET NULL (goal_id);

ALTER TABLE public.feedback
    ADD CONSTRAINT feedback_tenant_id_recipient_id_fkey FOREIGN KEY (tenant_id, recipient_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE public.feedback
    ADD CONSTRAINT feedback_tenant_id_requested_by_fkey FOREIGN KEY (tenant_id, requested_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (requested_by);

ALTER TABLE ONLY public.generated_reports
    ADD CONSTRAINT generated_reports_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.generated_reports
    ADD CONSTRAINT generated_reports_tenant_id_report_id_fkey FOREIGN KEY (tenant_id, report_id) REFERENCES public.report_definitions(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.generated_reports
    ADD CONSTRAINT generated_reports_tenant_id_requested_by_fkey FOREIGN KEY (tenant_id, requested_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (requested_by);

ALTER TABLE ONLY public.generated_reports
    ADD CONSTRAINT generated_reports_tenant_id_schedule_id_fkey FOREIGN KEY (tenant_id, schedule_id) REFERENCES public.report_schedules(tenant_id, id) ON DELETE SET NULL (schedule_id);

ALTER TABLE ONLY public.goal_alignments
    ADD CONSTRAINT goal_alignments_tenant_id_aligned_to_goal_id_fkey FOREIGN KEY (tenant_id, aligned_to_goal_id) REFERENCES public.goals(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.goal_alignments
    ADD CONSTRAINT goal_alignments_tenant_id_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (created_by);

ALTER TABLE ONLY public.goal_alignments
    ADD CONSTRAINT goal_alignments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.goal_alignments
    ADD CONSTRAINT goal_alignments_tenant_id_goal_id_fkey FOREIGN KEY (tenant_id, goal_id) REFERENCES public.goals(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.goal_comments
    ADD CONSTRAINT goal_comments_tenant_id_author_id_fkey FOREIGN KEY (tenant_id, author_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.goal_comments
    ADD CONSTRAINT goal_comments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.goal_comments
    ADD CONSTRAINT goal_comments_tenant_id_goal_id_fkey FOREIGN KEY (tenant_id, goal_id) REFERENCES public.goals(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.goal_comments
    ADD CONSTRAINT goal_comments_tenant_id_parent_comment_id_fkey FOREIGN KEY (tenant_id, parent_comment_id) REFERENCES public.goal_comments(tenant_id, id) ON DELETE SET NULL (parent_comment_id);

ALTER TABLE ONLY public.goal_progress_updates
    ADD CONSTRAINT goal_progress_updates_tenant_id_author_id_fkey FOREIGN KEY (tenant_id, author_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.goal_progress_updates
    ADD CONSTRAINT goal_progress_updates_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.goal_progress_updates
    ADD CONSTRAINT goal_progress_updates_tenant_id_goal_id_fkey FOREIGN KEY (tenant_id, goal_id) REFERENCES public.goals(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.goal_progress_updates
    ADD CONSTRAINT goal_progress_updates_tenant_id_key_result_id_fkey FOREIGN KEY (tenant_id, key_result_id) REFERENCES public.key_results(tenant_id, id) ON DELETE SET NULL (key_result_id);

ALTER TABLE public.goals
    ADD CONSTRAINT goals_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE SET NULL (department_id);

ALTER TABLE public.goals
    ADD CONSTRAINT goals_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.goals
    ADD CONSTRAINT goals_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE public.goals
    ADD CONSTRAINT goals_tenant_id_parent_id_fkey FOREIGN KEY (tenant_id, parent_id) REFERENCES public.goals(tenant_id, id) ON DELETE SET NULL (parent_id);

ALTER TABLE public.goals
    ADD CONSTRAINT goals_tenant_id_team_id_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES public.teams(tenant_id, id) ON DELETE SET NULL (team_id);

ALTER TABLE ONLY public.innovation_contributions
    ADD CONSTRAINT innovation_contributions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.innovation_contributions
    ADD CONSTRAINT innovation_contributions_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES public.projects(tenant_id, id) ON DELETE SET NULL (project_id);

ALTER TABLE ONLY public.innovation_contributions
    ADD CONSTRAINT innovation_contributions_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.innovation_evaluations
    ADD CONSTRAINT innovation_evaluations_tenant_id_contribution_id_fkey FOREIGN KEY (tenant_id, contribution_id) REFERENCES public.innovation_contributions(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.innovation_evaluations
    ADD CONSTRAINT innovation_evaluations_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.assessment_cycles(tenant_id, id) ON DELETE SET NULL (cycle_id);

ALTER TABLE ONLY public.innovation_evaluations
    ADD CONSTRAINT innovation_evaluations_tenant_id_evaluator_id_fkey FOREIGN KEY (tenant_id, evaluator_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (evaluator_id);

ALTER TABLE ONLY public.innovation_evaluations
    ADD CONSTRAINT innovation_evaluations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.invoices
    ADD CONSTRAINT invoices_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.invoices
    ADD CONSTRAINT invoices_tenant_id_subscription_id_fkey FOREIGN KEY (tenant_id, subscription_id) REFERENCES public.subscriptions(tenant_id, id);

ALTER TABLE public.key_results
    ADD CONSTRAINT key_results_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.key_results
    ADD CONSTRAINT key_results_tenant_id_goal_id_fkey FOREIGN KEY (tenant_id, goal_id) REFERENCES public.goals(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE public.key_results
    ADD CONSTRAINT key_results_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (owner_id);

ALTER TABLE ONLY public.kpi_definitions
    ADD CONSTRAINT kpi_definitions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.kpi_definitions
    ADD CONSTRAINT kpi_definitions_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (owner_id);

ALTER TABLE ONLY public.kpi_values
    ADD CONSTRAINT kpi_values_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.kpi_values
    ADD CONSTRAINT kpi_values_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.kpi_values
    ADD CONSTRAINT kpi_values_tenant_id_kpi_id_fkey FOREIGN KEY (tenant_id, kpi_id) REFERENCES public.kpi_definitions(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.kpi_values
    ADD CONSTRAINT kpi_values_tenant_id_team_id_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES public.teams(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.kpi_values
    ADD CONSTRAINT kpi_values_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.leaderboard_entries
    ADD CONSTRAINT leaderboard_entries_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.leaderboard_entries
    ADD CONSTRAINT leaderboard_entries_tenant_id_leaderboard_id_fkey FOREIGN KEY (tenant_id, leaderboard_id) REFERENCES public.leaderboards(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.leaderboard_entries
    ADD CONSTRAINT leaderboard_entries_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.leaderboards
    ADD CONSTRAINT leaderboards_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.leaderboards
    ADD CONSTRAINT leaderboards_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.leadership_competency_scores
    ADD CONSTRAINT leadership_competency_scores_tenant_id_competency_id_fkey FOREIGN KEY (tenant_id, competency_id) REFERENCES public.competencies(tenant_id, id) ON DELETE SET NULL (competency_id);

ALTER TABLE ONLY public.leadership_competency_scores
    ADD CONSTRAINT leadership_competency_scores_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.assessment_cycles(tenant_id, id) ON DELETE SET NULL (cycle_id);

ALTER TABLE ONLY public.leadership_competency_scores
    ADD CONSTRAINT leadership_competency_scores_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.leadership_competency_scores
    ADD CONSTRAINT leadership_competency_scores_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.legal_holds
    ADD CONSTRAINT legal_holds_entity_type_fkey FOREIGN KEY (entity_type) REFERENCES pms_retention.policies(entity_type);

ALTER TABLE ONLY public.legal_holds
    ADD CONSTRAINT legal_holds_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.metric_anomalies
    ADD CONSTRAINT metric_anomalies_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.metric_anomalies
    ADD CONSTRAINT metric_anomalies_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.metric_ingestions
    ADD CONSTRAINT metric_ingestions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.metric_ingestions
    ADD CONSTRAINT metric_ingestions_tenant_id_ingested_by_fkey FOREIGN KEY (tenant_id, ingested_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (ingested_by);

ALTER TABLE ONLY public.milestone_progress_events
    ADD CONSTRAINT milestone_progress_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.milestone_progress_events
    ADD CONSTRAINT milestone_progress_events_tenant_id_milestone_id_fkey FOREIGN KEY (tenant_id, milestone_id) REFERENCES public.project_milestones(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.milestone_progress_events
    ADD CONSTRAINT milestone_progress_events_tenant_id_reported_by_fkey FOREIGN KEY (tenant_id, reported_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (reported_by);

ALTER TABLE ONLY public.ml_model_predictions
    ADD CONSTRAINT ml_model_predictions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.ml_model_predictions
    ADD CONSTRAINT ml_model_predictions_tenant_id_model_id_fkey FOREIGN KEY (tenant_id, model_id) REFERENCES public.ml_models(tenant_id, id);

ALTER TABLE ONLY public.ml_model_predictions
    ADD CONSTRAINT ml_model_predictions_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.ml_models
    ADD CONSTRAINT ml_models_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.notification_preferences
    ADD CONSTRAINT notification_preferences_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.notification_preferences
    ADD CONSTRAINT notification_preferences_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.notification_templates
    ADD CONSTRAINT notification_templates_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_tenant_id_recipient_id_fkey FOREIGN KEY (tenant_id, recipient_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_tenant_id_template_id_fkey FOREIGN KEY (tenant_id, template_id) REFERENCES public.notification_templates(tenant_id, id) ON DELETE SET NULL (template_id);

ALTER TABLE ONLY public.one_on_one_action_items
    ADD CONSTRAINT one_on_one_action_items_tenant_id_assignee_id_fkey FOREIGN KEY (tenant_id, assignee_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.one_on_one_action_items
    ADD CONSTRAINT one_on_one_action_items_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.one_on_one_action_items
    ADD CONSTRAINT one_on_one_action_items_tenant_id_one_on_one_id_fkey FOREIGN KEY (tenant_id, one_on_one_id) REFERENCES public.one_on_ones(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.one_on_one_agenda_items
    ADD CONSTRAINT one_on_one_agenda_items_tenant_id_added_by_fkey FOREIGN KEY (tenant_id, added_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (added_by);

ALTER TABLE ONLY public.one_on_one_agenda_items
    ADD CONSTRAINT one_on_one_agenda_items_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.one_on_one_agenda_items
    ADD CONSTRAINT one_on_one_agenda_items_tenant_id_one_on_one_id_fkey FOREIGN KEY (tenant_id, one_on_one_id) REFERENCES public.one_on_ones(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.one_on_one_private_notes
    ADD CONSTRAINT one_on_one_private_notes_tenant_id_author_id_fkey FOREIGN KEY (tenant_id, author_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.one_on_one_private_notes
    ADD CONSTRAINT one_on_one_private_notes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.one_on_one_private_notes
    ADD CONSTRAINT one_on_one_private_notes_tenant_id_one_on_one_id_fkey FOREIGN KEY (tenant_id, one_on_one_id) REFERENCES public.one_on_ones(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE public.one_on_ones
    ADD CONSTRAINT one_on_ones_tenant_id_employee_id_fkey FOREIGN KEY (tenant_id, employee_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE public.one_on_ones
    ADD CONSTRAINT one_on_ones_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.one_on_ones
    ADD CONSTRAINT one_on_ones_tenant_id_manager_id_fkey FOREIGN KEY (tenant_id, manager_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.organizational_health_metrics
    ADD CONSTRAINT organizational_health_metrics_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.performance_improvement_plans
    ADD CONSTRAINT performance_improvement_plans_tenant_id_employee_id_fkey FOREIGN KEY (tenant_id, employee_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.performance_improvement_plans
    ADD CONSTRAINT performance_improvement_plans_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.performance_improvement_plans
    ADD CONSTRAINT performance_improvement_plans_tenant_id_hr_partner_id_fkey FOREIGN KEY (tenant_id, hr_partner_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (hr_partner_id);

ALTER TABLE ONLY public.performance_improvement_plans
    ADD CONSTRAINT performance_improvement_plans_tenant_id_manager_id_fkey FOREIGN KEY (tenant_id, manager_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.performance_improvement_plans
    ADD CONSTRAINT performance_improvement_plans_tenant_id_review_id_fkey FOREIGN KEY (tenant_id, review_id) REFERENCES public.performance_reviews(tenant_id, id) ON DELETE SET NULL (review_id);

ALTER TABLE ONLY public.performance_improvement_plans
    ADD CONSTRAINT performance_improvement_plans_tenant_id_template_id_fkey FOREIGN KEY (tenant_id, template_id) REFERENCES public.pip_templates(tenant_id, id) ON DELETE SET NULL (template_id);

ALTER TABLE public.performance_reviews
    ADD CONSTRAINT performance_reviews_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.review_cycles(tenant_id, id);

ALTER TABLE public.performance_reviews
    ADD CONSTRAINT performance_reviews_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.performance_reviews
    ADD CONSTRAINT performance_reviews_tenant_id_reviewee_id_fkey FOREIGN KEY (tenant_id, reviewee_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE public.performance_reviews
    ADD CONSTRAINT performance_reviews_tenant_id_reviewer_id_fkey FOREIGN KEY (tenant_id, reviewer_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (reviewer_id);

ALTER TABLE public.performance_reviews
    ADD CONSTRAINT performance_reviews_tenant_id_template_id_fkey FOREIGN KEY (tenant_id, template_id) REFERENCES public.review_templates(tenant_id, id) ON DELETE SET NULL (template_id);

ALTER TABLE ONLY public.pip_check_ins
    ADD CONSTRAINT pip_check_ins_tenant_id_conducted_by_fkey FOREIGN KEY (tenant_id, conducted_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (conducted_by);

ALTER TABLE ONLY public.pip_check_ins
    ADD CONSTRAINT pip_check_ins_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.pip_check_ins
    ADD CONSTRAINT pip_check_ins_tenant_id_pip_id_fkey FOREIGN KEY (tenant_id, pip_id) REFERENCES public.performance_improvement_plans(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.pip_milestones
    ADD CONSTRAINT pip_milestones_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.pip_milestones
    ADD CONSTRAINT pip_milestones_tenant_id_pip_id_fkey FOREIGN KEY (tenant_id, pip_id) REFERENCES public.performance_improvement_plans(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.pip_templates
    ADD CONSTRAINT pip_templates_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.privacy_erasures
    ADD CONSTRAINT privacy_erasures_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.productivity_predictions
    ADD CONSTRAINT productivity_predictions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.productivity_predictions
    ADD CONSTRAINT productivity_predictions_tenant_id_model_id_fkey FOREIGN KEY (tenant_id, model_id) REFERENCES public.ml_models(tenant_id, id) ON DELETE SET NULL (model_id);

ALTER TABLE ONLY public.productivity_predictions
    ADD CONSTRAINT productivity_predictions_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.project_evaluations
    ADD CONSTRAINT project_evaluations_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.assessment_cycles(tenant_id, id) ON DELETE SET NULL (cycle_id);

ALTER TABLE ONLY public.project_evaluations
    ADD CONSTRAINT project_evaluations_tenant_id_evaluator_id_fkey FOREIGN KEY (tenant_id, evaluator_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (evaluator_id);

ALTER TABLE ONLY public.project_evaluations
    ADD CONSTRAINT project_evaluations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.project_evaluations
    ADD CONSTRAINT project_evaluations_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES public.projects(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.project_evaluations
    ADD CONSTRAINT project_evaluations_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.project_milestones
    ADD CONSTRAINT project_milestones_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.project_milestones
    ADD CONSTRAINT project_milestones_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (owner_id);

ALTER TABLE ONLY public.project_milestones
    ADD CONSTRAINT project_milestones_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES public.projects(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE SET NULL (department_id);

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (owner_id);

ALTER TABLE ONLY public.promotion_decisions
    ADD CONSTRAINT promotion_decisions_approved_by_fkey FOREIGN KEY (tenant_id, approved_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (approved_by);

ALTER TABLE ONLY public.promotion_decisions
    ADD CONSTRAINT promotion_decisions_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.review_cycles(tenant_id, id) ON DELETE SET NULL (cycle_id);

ALTER TABLE ONLY public.promotion_decisions
    ADD CONSTRAINT promotion_decisions_tenant_id_decided_by_fkey FOREIGN KEY (tenant_id, decided_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (decided_by);

ALTER TABLE ONLY public.promotion_decisions
    ADD CONSTRAINT promotion_decisions_tenant_id_employee_id_fkey FOREIGN KEY (tenant_id, employee_id) REFERENCES public.users(tenant_id, id);

ALTER TABLE ONLY public.promotion_decisions
    ADD CONSTRAINT promotion_decisions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.promotion_recommendations
    ADD CONSTRAINT promotion_recommendations_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.review_cycles(tenant_id, id) ON DELETE SET NULL (cycle_id);

ALTER TABLE ONLY public.promotion_recommendations
    ADD CONSTRAINT promotion_recommendations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.promotion_recommendations
    ADD CONSTRAINT promotion_recommendations_tenant_id_model_id_fkey FOREIGN KEY (tenant_id, model_id) REFERENCES public.ml_models(tenant_id, id) ON DELETE SET NULL (model_id);

ALTER TABLE ONLY public.promotion_recommendations
    ADD CONSTRAINT promotion_recommendations_tenant_id_recommended_by_fkey FOREIGN KEY (tenant_id, recommended_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (recommended_by);

ALTER TABLE ONLY public.promotion_recommendations
    ADD CONSTRAINT promotion_recommendations_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.pulse_responses
    ADD CONSTRAINT pulse_responses_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.pulse_responses
    ADD CONSTRAINT pulse_responses_tenant_id_survey_id_fkey FOREIGN KEY (tenant_id, survey_id) REFERENCES public.engagement_surveys(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.pulse_responses
    ADD CONSTRAINT pulse_responses_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (user_id);

ALTER TABLE ONLY public.report_aggregations
    ADD CONSTRAINT report_aggregations_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.report_aggregations
    ADD CONSTRAINT report_aggregations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.report_aggregations
    ADD CONSTRAINT report_aggregations_tenant_id_report_id_fkey FOREIGN KEY (tenant_id, report_id) REFERENCES public.report_definitions(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.report_definitions
    ADD CONSTRAINT report_definitions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.report_definitions
    ADD CONSTRAINT report_definitions_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (owner_id);

ALTER TABLE ONLY public.report_schedules
    ADD CONSTRAINT report_schedules_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.report_schedules
    ADD CONSTRAINT report_schedules_tenant_id_report_id_fkey FOREIGN KEY (tenant_id, report_id) REFERENCES public.report_definitions(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.reporting_chain
    ADD CONSTRAINT reporting_chain_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.reporting_lines
    ADD CONSTRAINT reporting_lines_tenant_id_employee_id_fkey FOREIGN KEY (tenant_id, employee_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE public.reporting_lines
    ADD CONSTRAINT reporting_lines_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.reporting_lines
    ADD CONSTRAINT reporting_lines_tenant_id_manager_id_fkey FOREIGN KEY (tenant_id, manager_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.retention_policy_overrides
    ADD CONSTRAINT retention_policy_overrides_entity_type_fkey FOREIGN KEY (entity_type) REFERENCES pms_retention.policies(entity_type);

ALTER TABLE ONLY public.retention_policy_overrides
    ADD CONSTRAINT retention_policy_overrides_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.review_cycles
    ADD CONSTRAINT review_cycles_tenant_id_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (created_by);

ALTER TABLE ONLY public.review_cycles
    ADD CONSTRAINT review_cycles_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.review_cycles
    ADD CONSTRAINT review_cycles_tenant_id_template_id_fkey FOREIGN KEY (tenant_id, template_id) REFERENCES public.review_templates(tenant_id, id) ON DELETE SET NULL (template_id);

ALTER TABLE ONLY public.review_goals
    ADD CONSTRAINT review_goals_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.review_goals
    ADD CONSTRAINT review_goals_tenant_id_goal_id_fkey FOREIGN KEY (tenant_id, goal_id) REFERENCES public.goals(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.review_goals
    ADD CONSTRAINT review_goals_tenant_id_review_id_fkey FOREIGN KEY (tenant_id, review_id) REFERENCES public.performance_reviews(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.review_templates
    ADD CONSTRAINT review_templates_tenant_id_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (created_by);

ALTER TABLE ONLY public.review_templates
    ADD CONSTRAINT review_templates_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.roles
    ADD CONSTRAINT roles_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.scenario_analyses
    ADD CONSTRAINT scenario_analyses_tenant_id_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (created_by);

ALTER TABLE ONLY public.scenario_analyses
    ADD CONSTRAINT scenario_analyses_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.security_alert_settings
    ADD CONSTRAINT security_alert_settings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.security_events
    ADD CONSTRAINT security_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.seed_batches
    ADD CONSTRAINT seed_batches_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.sentiment_analyses
    ADD CONSTRAINT sentiment_analyses_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.sentiment_analyses
    ADD CONSTRAINT sentiment_analyses_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.sentiment_trends
    ADD CONSTRAINT sentiment_trends_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.sentiment_trends
    ADD CONSTRAINT sentiment_trends_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.sentiment_trends
    ADD CONSTRAINT sentiment_trends_tenant_id_team_id_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES public.teams(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.skill_categories
    ADD CONSTRAINT skill_categories_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.skill_categories
    ADD CONSTRAINT skill_categories_tenant_id_parent_id_fkey FOREIGN KEY (tenant_id, parent_id) REFERENCES public.skill_categories(tenant_id, id) ON DELETE SET NULL (parent_id);

ALTER TABLE ONLY public.skill_progress_history
    ADD CONSTRAINT skill_progress_history_tenant_id_assessment_id_fkey FOREIGN KEY (tenant_id, assessment_id) REFERENCES public.technical_skill_assessments(tenant_id, id) ON DELETE SET NULL (assessment_id);

ALTER TABLE ONLY public.skill_progress_history
    ADD CONSTRAINT skill_progress_history_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.skill_progress_history
    ADD CONSTRAINT skill_progress_history_tenant_id_skill_id_fkey FOREIGN KEY (tenant_id, skill_id) REFERENCES public.skills(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.skill_progress_history
    ADD CONSTRAINT skill_progress_history_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.skills
    ADD CONSTRAINT skills_tenant_id_category_id_fkey FOREIGN KEY (tenant_id, category_id) REFERENCES public.skill_categories(tenant_id, id);

ALTER TABLE ONLY public.skills
    ADD CONSTRAINT skills_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.storage_tier_state
    ADD CONSTRAINT storage_tier_state_entity_type_fkey FOREIGN KEY (entity_type) REFERENCES pms_retention.policies(entity_type);

ALTER TABLE ONLY public.storage_tier_state
    ADD CONSTRAINT storage_tier_state_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.subscriptions
    ADD CONSTRAINT subscriptions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.succession_candidates
    ADD CONSTRAINT succession_candidates_tenant_id_candidate_id_fkey FOREIGN KEY (tenant_id, candidate_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.succession_candidates
    ADD CONSTRAINT succession_candidates_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.succession_candidates
    ADD CONSTRAINT succession_candidates_tenant_id_plan_id_fkey FOREIGN KEY (tenant_id, plan_id) REFERENCES public.succession_plans(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.succession_plans
    ADD CONSTRAINT succession_plans_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE SET NULL (department_id);

ALTER TABLE ONLY public.succession_plans
    ADD CONSTRAINT succession_plans_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.succession_plans
    ADD CONSTRAINT succession_plans_tenant_id_incumbent_id_fkey FOREIGN KEY (tenant_id, incumbent_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (incumbent_id);

ALTER TABLE ONLY public.succession_plans
    ADD CONSTRAINT succession_plans_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (owner_id);

ALTER TABLE ONLY public.survey_participations
    ADD CONSTRAINT survey_participations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.survey_participations
    ADD CONSTRAINT survey_participations_tenant_id_survey_id_fkey FOREIGN KEY (tenant_id, survey_id) REFERENCES public.engagement_surveys(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.survey_participations
    ADD CONSTRAINT survey_participations_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.survey_questions
    ADD CONSTRAINT survey_questions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.survey_questions
    ADD CONSTRAINT survey_questions_tenant_id_survey_id_fkey FOREIGN KEY (tenant_id, survey_id) REFERENCES public.engagement_surveys(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.survey_responses
    ADD CONSTRAINT survey_responses_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE SET NULL (department_id);

ALTER TABLE ONLY public.survey_responses
    ADD CONSTRAINT survey_responses_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.survey_responses
    ADD CONSTRAINT survey_responses_tenant_id_question_id_fkey FOREIGN KEY (tenant_id, question_id) REFERENCES public.survey_questions(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.survey_responses
    ADD CONSTRAINT survey_responses_tenant_id_respondent_id_fkey FOREIGN KEY (tenant_id, respondent_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (respondent_id);

ALTER TABLE ONLY public.survey_responses
    ADD CONSTRAINT survey_responses_tenant_id_survey_id_fkey FOREIGN KEY (tenant_id, survey_id) REFERENCES public.engagement_surveys(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.team_composition_analyses
    ADD CONSTRAINT team_composition_analyses_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.team_composition_analyses
    ADD CONSTRAINT team_composition_analyses_tenant_id_team_id_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES public.teams(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE public.team_members
    ADD CONSTRAINT team_members_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.team_members
    ADD CONSTRAINT team_members_tenant_id_team_id_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES public.teams(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE public.team_members
    ADD CONSTRAINT team_members_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.team_optimizations
    ADD CONSTRAINT team_optimizations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.team_optimizations
    ADD CONSTRAINT team_optimizations_tenant_id_suggested_by_model_id_fkey FOREIGN KEY (tenant_id, suggested_by_model_id) REFERENCES public.ml_models(tenant_id, id) ON DELETE SET NULL (suggested_by_model_id);

ALTER TABLE ONLY public.team_optimizations
    ADD CONSTRAINT team_optimizations_tenant_id_team_id_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES public.teams(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE public.teams
    ADD CONSTRAINT teams_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE SET NULL (department_id);

ALTER TABLE public.teams
    ADD CONSTRAINT teams_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.teams
    ADD CONSTRAINT teams_tenant_id_lead_id_fkey FOREIGN KEY (tenant_id, lead_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (lead_id);

ALTER TABLE ONLY public.technical_skill_assessments
    ADD CONSTRAINT technical_skill_assessments_tenant_id_assessor_id_fkey FOREIGN KEY (tenant_id, assessor_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (assessor_id);

ALTER TABLE ONLY public.technical_skill_assessments
    ADD CONSTRAINT technical_skill_assessments_tenant_id_cycle_id_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES public.assessment_cycles(tenant_id, id) ON DELETE SET NULL (cycle_id);

ALTER TABLE ONLY public.technical_skill_assessments
    ADD CONSTRAINT technical_skill_assessments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.technical_skill_assessments
    ADD CONSTRAINT technical_skill_assessments_tenant_id_skill_id_fkey FOREIGN KEY (tenant_id, skill_id) REFERENCES public.skills(tenant_id, id);

ALTER TABLE ONLY public.technical_skill_assessments
    ADD CONSTRAINT technical_skill_assessments_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.trend_analyses
    ADD CONSTRAINT trend_analyses_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.user_roles
    ADD CONSTRAINT user_roles_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE public.user_roles
    ADD CONSTRAINT user_roles_tenant_id_granted_by_fkey FOREIGN KEY (tenant_id, granted_by) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (granted_by);

ALTER TABLE public.user_roles
    ADD CONSTRAINT user_roles_tenant_id_role_id_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES public.roles(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE public.user_roles
    ADD CONSTRAINT user_roles_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_tenant_id_business_unit_id_fkey FOREIGN KEY (tenant_id, business_unit_id) REFERENCES public.business_units(tenant_id, id) ON DELETE SET NULL (business_unit_id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_tenant_id_cost_center_id_fkey FOREIGN KEY (tenant_id, cost_center_id) REFERENCES public.cost_centers(tenant_id, id) ON DELETE SET NULL (cost_center_id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_tenant_id_department_id_fkey FOREIGN KEY (tenant_id, department_id) REFERENCES public.departments(tenant_id, id) ON DELETE SET NULL (department_id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_tenant_id_manager_id_fkey FOREIGN KEY (tenant_id, manager_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (manager_id);

ALTER TABLE ONLY public.workload_snapshots
    ADD CONSTRAINT workload_snapshots_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY public.workload_snapshots
    ADD CONSTRAINT workload_snapshots_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES public.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY timeseries.chunks
    ADD CONSTRAINT chunks_hypertable_fkey FOREIGN KEY (hypertable) REFERENCES timeseries.hypertables(name);

ALTER TABLE timeseries.engagement_metrics_ts_compressed
    ADD CONSTRAINT engagement_metrics_ts_compressed_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE timeseries.feedback_activity_ts_compressed
    ADD CONSTRAINT feedback_activity_ts_compressed_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE timeseries.goal_progress_ts_compressed
    ADD CONSTRAINT goal_progress_ts_compressed_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY timeseries.invalidations
    ADD CONSTRAINT invalidations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY timeseries.membership_invalidations
    ADD CONSTRAINT membership_invalidations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY timeseries.metrics
    ADD CONSTRAINT metrics_hypertable_fkey FOREIGN KEY (hypertable) REFERENCES timeseries.hypertables(name);

ALTER TABLE timeseries.performance_metrics_ts_compressed
    ADD CONSTRAINT performance_metrics_ts_compressed_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY timeseries.rollup_invalidations
    ADD CONSTRAINT rollup_invalidations_rollup_fkey FOREIGN KEY (rollup) REFERENCES timeseries.rollups(name);

ALTER TABLE ONLY timeseries.rollup_invalidations
    ADD CONSTRAINT rollup_invalidations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY timeseries.rollups
    ADD CONSTRAINT rollups_hypertable_fkey FOREIGN KEY (hypertable) REFERENCES timeseries.hypertables(name);

ALTER TABLE ONLY timeseries.rollups
    ADD CONSTRAINT rollups_source_rollup_fkey FOREIGN KEY (source_rollup) REFERENCES timeseries.rollups(name);

ALTER TABLE ONLY warehouse.dim_competency
    ADD CONSTRAINT dim_competency_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.dim_date
    ADD CONSTRAINT dim_date_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.dim_department
    ADD CONSTRAINT dim_department_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.dim_review_cycle
    ADD CONSTRAINT dim_review_cycle_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.dim_team
    ADD CONSTRAINT dim_team_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.dim_tenant
    ADD CONSTRAINT dim_tenant_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.dim_user
    ADD CONSTRAINT dim_user_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.fact_engagement
    ADD CONSTRAINT fact_engagement_tenant_id_date_key_fkey FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date(tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_engagement
    ADD CONSTRAINT fact_engagement_tenant_id_department_key_fkey FOREIGN KEY (tenant_id, department_key) REFERENCES warehouse.dim_department(tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_engagement
    ADD CONSTRAINT fact_engagement_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.fact_engagement
    ADD CONSTRAINT fact_engagement_tenant_id_user_key_fkey FOREIGN KEY (tenant_id, user_key) REFERENCES warehouse.dim_user(tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_feedback
    ADD CONSTRAINT fact_feedback_tenant_id_date_key_fkey FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date(tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_feedback
    ADD CONSTRAINT fact_feedback_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.fact_feedback
    ADD CONSTRAINT fact_feedback_tenant_id_giver_key_fkey FOREIGN KEY (tenant_id, giver_key) REFERENCES warehouse.dim_user(tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_feedback
    ADD CONSTRAINT fact_feedback_tenant_id_receiver_department_key_fkey FOREIGN KEY (tenant_id, receiver_department_key) REFERENCES warehouse.dim_department(tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_feedback
    ADD CONSTRAINT fact_feedback_tenant_id_receiver_key_fkey FOREIGN KEY (tenant_id, receiver_key) REFERENCES warehouse.dim_user(tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_goal_progress
    ADD CONSTRAINT fact_goal_progress_tenant_id_date_key_fkey FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date(tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_goal_progress
    ADD CONSTRAINT fact_goal_progress_tenant_id_department_key_fkey FOREIGN KEY (tenant_id, department_key) REFERENCES warehouse.dim_department(tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_goal_progress
    ADD CONSTRAINT fact_goal_progress_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.fact_goal_progress
    ADD CONSTRAINT fact_goal_progress_tenant_id_owner_key_fkey FOREIGN KEY (tenant_id, owner_key) REFERENCES warehouse.dim_user(tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_goal_progress
    ADD CONSTRAINT fact_goal_progress_tenant_id_team_key_fkey FOREIGN KEY (tenant_id, team_key) REFERENCES warehouse.dim_team(tenant_id, team_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_performance_daily
    ADD CONSTRAINT fact_performance_daily_tenant_id_date_key_fkey FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date(tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_performance_daily
    ADD CONSTRAINT fact_performance_daily_tenant_id_department_key_fkey FOREIGN KEY (tenant_id, department_key) REFERENCES warehouse.dim_department(tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_performance_daily
    ADD CONSTRAINT fact_performance_daily_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.fact_performance_daily
    ADD CONSTRAINT fact_performance_daily_tenant_id_user_key_fkey FOREIGN KEY (tenant_id, user_key) REFERENCES warehouse.dim_user(tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_performance_review
    ADD CONSTRAINT fact_performance_review_tenant_id_cycle_key_fkey FOREIGN KEY (tenant_id, cycle_key) REFERENCES warehouse.dim_review_cycle(tenant_id, cycle_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_performance_review
    ADD CONSTRAINT fact_performance_review_tenant_id_date_key_fkey FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date(tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_performance_review
    ADD CONSTRAINT fact_performance_review_tenant_id_department_key_fkey FOREIGN KEY (tenant_id, department_key) REFERENCES warehouse.dim_department(tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_performance_review
    ADD CONSTRAINT fact_performance_review_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.fact_performance_review
    ADD CONSTRAINT fact_performance_review_tenant_id_reviewee_key_fkey FOREIGN KEY (tenant_id, reviewee_key) REFERENCES warehouse.dim_user(tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.fact_performance_review
    ADD CONSTRAINT fact_performance_review_tenant_id_reviewer_key_fkey FOREIGN KEY (tenant_id, reviewer_key) REFERENCES warehouse.dim_user(tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY warehouse.rollup_changes
    ADD CONSTRAINT rollup_changes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.sync_runs
    ADD CONSTRAINT sync_runs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.sync_watermarks
    ADD CONSTRAINT sync_watermarks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE ONLY warehouse.tombstones
    ADD CONSTRAINT tombstones_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

ALTER TABLE pms_meta.bulk_loads ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON pms_meta.bulk_loads USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON pms_meta.tenant_partition_builds USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

ALTER TABLE pms_meta.tenant_partition_builds ENABLE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.feedback_default ENABLE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.goals_default ENABLE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.key_results_default ENABLE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.one_on_ones_default ENABLE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.performance_reviews_default ENABLE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.reporting_lines_default ENABLE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.team_members_default ENABLE ROW LEVEL SECURITY;

ALTER TABLE pms_parts.teams_default ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON pms_parts.feedback_default USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON pms_parts.goals_default USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON pms_parts.key_results_default USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON pms_parts.one_on_ones_default USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON pms_parts.performance_reviews_default USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON pms_parts.reporting_lines_default USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON pms_parts.team_members_default USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON pms_parts.teams_default USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON pms_parts.user_roles_default USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

ALTER TABLE pms_parts.user_roles_default ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.access_policies ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.activity_events ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.alerts ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.anomaly_detections ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.anomaly_patterns ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.api_idempotency_keys ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.archive_batches ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.archive_pending ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.archived_entities ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.assessment_cycles ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.audit_chain_heads ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.audit_log ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.background_jobs ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.behavioral_competency_scores ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.benchmark_comparisons ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.benchmarks ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.business_units ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.calibration_participants ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.calibration_ratings ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.calibration_sessions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.career_path_steps ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.career_paths ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.communication_sentiments ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.compensation_decisions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.competencies ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.competency_assessments ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.competency_frameworks ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.compliance_assessments ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.compliance_policies ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.compliance_violations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.contribution_scores ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.cost_centers ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.culture_diagnostics ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.dashboard_widgets ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.dashboards ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.deadline_alerts ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.delegations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.department_health_metrics ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.departments ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.development_activities ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.development_checkpoints ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.development_plans ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.engagement_events ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.engagement_metrics_ts ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.engagement_scores ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.engagement_surveys ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.evidence ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.evidence_links ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feature_store_features ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feature_store_values ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feedback ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_aggregations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_cycles ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_gap_analyses ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_nominations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_questionnaires ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_questions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_requests ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_360_responses ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.feedback_activity_ts ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.generated_reports ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.goal_alignments ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.goal_comments ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.goal_progress_ts ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.goal_progress_updates ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.goals ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.innovation_contributions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.innovation_evaluations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.invoices ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.key_results ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.kpi_definitions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.kpi_values ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.leaderboard_entries ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.leaderboards ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.leadership_competency_scores ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.legal_holds ENABLE ROW LEVEL SECURITY;

CREATE POLICY login_by_slug ON public.tenants FOR SELECT TO pms_app USING ((slug = NULLIF(current_setting('app.login_slug'::text, true), ''::text)));

ALTER TABLE public.metric_anomalies ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.metric_ingestions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.milestone_progress_events ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.ml_model_predictions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.ml_models ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.notification_preferences ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.notification_templates ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.notifications ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.one_on_one_action_items ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.one_on_one_agenda_items ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.one_on_one_private_notes ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.one_on_ones ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.organizational_health_metrics ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.performance_improvement_plans ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.performance_metrics_ts ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.performance_reviews ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.pip_check_ins ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.pip_milestones ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.pip_templates ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.privacy_erasures ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.productivity_predictions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.project_evaluations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.project_milestones ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.projects ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.promotion_decisions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.promotion_recommendations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.pulse_responses ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.report_aggregations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.report_definitions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.report_schedules ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.reporting_chain ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.reporting_lines ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.retention_policy_overrides ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.review_cycles ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.review_goals ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.review_templates ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.roles ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.scenario_analyses ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.security_alert_settings ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.security_events ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.seed_batches ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.sentiment_analyses ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.sentiment_trends ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.sessions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.skill_categories ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.skill_progress_history ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.skills ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.storage_tier_state ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.subscriptions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.succession_candidates ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.succession_plans ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.survey_participations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.survey_questions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.survey_responses ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.team_composition_analyses ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.team_members ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.team_optimizations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.teams ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.technical_skill_assessments ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON public.access_policies USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.activity_events USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.alerts USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.anomaly_detections USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.anomaly_patterns USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.api_idempotency_keys USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.archive_batches USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.archive_pending USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.archived_entities USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.assessment_cycles USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.audit_chain_heads USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.audit_log USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.background_jobs USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.behavioral_competency_scores USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.benchmark_comparisons USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.benchmarks USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.business_units USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.calibration_participants USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.calibration_ratings USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.calibration_sessions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.career_path_steps USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.career_paths USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.communication_sentiments USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.compensation_decisions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.competencies USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.competency_assessments USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.competency_frameworks USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.compliance_assessments USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.compliance_policies USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.compliance_violations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.contribution_scores USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.cost_centers USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.culture_diagnostics USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.dashboard_widgets USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.dashboards USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.deadline_alerts USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.delegations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.department_health_metrics USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.departments USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.development_activities USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.development_checkpoints USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.development_plans USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.engagement_events USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.engagement_metrics_ts USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.engagement_scores USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.engagement_surveys USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.evidence USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.evidence_links USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feature_store_features USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feature_store_values USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feedback USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feedback_360_aggregations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feedback_360_cycles USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feedback_360_gap_analyses USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feedback_360_nominations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feedback_360_questionnaires USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feedback_360_questions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feedback_360_requests USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feedback_360_responses USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.feedback_activity_ts USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.generated_reports USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.goal_alignments USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.goal_comments USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.goal_progress_ts USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.goal_progress_updates USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.goals USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.innovation_contributions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.innovation_evaluations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.invoices USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.key_results USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.kpi_definitions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.kpi_values USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.leaderboard_entries USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.leaderboards USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.leadership_competency_scores USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.legal_holds USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.metric_anomalies USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.metric_ingestions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.milestone_progress_events USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.ml_model_predictions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.ml_models USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.notification_preferences USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.notification_templates USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.notifications USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.one_on_one_action_items USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.one_on_one_agenda_items USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.one_on_one_private_notes USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.one_on_ones USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.organizational_health_metrics USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.performance_improvement_plans USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.performance_metrics_ts USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.performance_reviews USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.pip_check_ins USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.pip_milestones USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.pip_templates USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.privacy_erasures USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.productivity_predictions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.project_evaluations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.project_milestones USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.projects USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.promotion_decisions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.promotion_recommendations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.pulse_responses USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.report_aggregations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.report_definitions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.report_schedules USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.reporting_chain USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.reporting_lines USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.retention_policy_overrides USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.review_cycles USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.review_goals USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.review_templates USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.roles USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.scenario_analyses USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.security_alert_settings USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.security_events USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.seed_batches USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.sentiment_analyses USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.sentiment_trends USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.sessions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.skill_categories USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.skill_progress_history USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.skills USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.storage_tier_state USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.subscriptions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.succession_candidates USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.succession_plans USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.survey_participations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.survey_questions USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.survey_responses USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.team_composition_analyses USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.team_members USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.team_optimizations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.teams USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.technical_skill_assessments USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.tenants USING ((id = public.pms_current_tenant())) WITH CHECK ((id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.trend_analyses USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.user_roles USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.users USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON public.workload_snapshots USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

ALTER TABLE public.tenants ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.trend_analyses ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.user_roles ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;

CREATE POLICY visibility_delete ON public.calibration_ratings AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_delete ON public.compensation_decisions AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_delete ON public.competency_assessments AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (assessor_id = public.pms_current_user_id()) OR (user_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_delete ON public.delegations AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (delegator_id = public.pms_current_user_id()))));

CREATE POLICY visibility_delete ON public.development_activities AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.development_plans p
  WHERE ((p.tenant_id = development_activities.tenant_id) AND (p.id = development_activities.plan_id))))));

CREATE POLICY visibility_delete ON public.development_checkpoints AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.development_plans p
  WHERE ((p.tenant_id = development_checkpoints.tenant_id) AND (p.id = development_checkpoints.plan_id))))));

CREATE POLICY visibility_delete ON public.development_plans AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id = public.pms_current_user_id()) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('GOALS'::text) m(m))))));

CREATE POLICY visibility_delete ON public.feedback AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (giver_id = public.pms_current_user_id()) OR (recipient_id = public.pms_current_user_id()))));

CREATE POLICY visibility_delete ON public.feedback_360_aggregations AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_delete ON public.feedback_360_gap_analyses AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_delete ON public.feedback_360_responses AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.feedback_360_requests q
  WHERE ((q.tenant_id = feedback_360_responses.tenant_id) AND (q.id = feedback_360_responses.request_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (q.rater_id = public.pms_current_user_id())))))));

CREATE POLICY visibility_delete ON public.ml_model_predictions AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_delete ON public.notification_preferences AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (user_id = public.pms_current_user_id())));

CREATE POLICY visibility_delete ON public.notifications AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (recipient_id = public.pms_current_user_id())));

CREATE POLICY visibility_delete ON public.one_on_one_action_items AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_action_items.tenant_id) AND (o.id = one_on_one_action_items.one_on_one_id))))));

CREATE POLICY visibility_delete ON public.one_on_one_agenda_items AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_agenda_items.tenant_id) AND (o.id = one_on_one_agenda_items.one_on_one_id))))));

CREATE POLICY visibility_delete ON public.one_on_one_private_notes AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((author_id = public.pms_current_user_id()) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_private_notes.tenant_id) AND (o.id = one_on_one_private_notes.one_on_one_id) AND ((public.pms_current_user_id() = o.manager_id) OR (public.pms_current_user_id() = o.employee_id))))))));

CREATE POLICY visibility_delete ON public.one_on_ones AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (manager_id = public.pms_current_user_id()) OR (employee_id = public.pms_current_user_id()) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_delete ON public.performance_improvement_plans AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_delete ON public.performance_reviews AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (reviewee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))) OR ((reviewer_id = public.pms_current_user_id()) AND ((reviewee_id <> public.pms_current_user_id()) OR (review_type = 'SELF'::text))))));

CREATE POLICY visibility_delete ON public.pip_check_ins AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_improvement_plans p
  WHERE ((p.tenant_id = pip_check_ins.tenant_id) AND (p.id = pip_check_ins.pip_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (p.employee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m)))))))));

CREATE POLICY visibility_delete ON public.pip_milestones AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_improvement_plans p
  WHERE ((p.tenant_id = pip_milestones.tenant_id) AND (p.id = pip_milestones.pip_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (p.employee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m)))))))));

CREATE POLICY visibility_delete ON public.pip_templates AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_delete ON public.promotion_decisions AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_delete ON public.promotion_recommendations AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_delete ON public.pulse_responses AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id()))));

CREATE POLICY visibility_delete ON public.review_goals AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_reviews r
  WHERE ((r.tenant_id = review_goals.tenant_id) AND (r.id = review_goals.review_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (r.reviewee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m))) OR (r.reviewer_id = public.pms_current_user_id())))))));

CREATE POLICY visibility_delete ON public.roles AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_delete ON public.succession_candidates AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (candidate_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_delete ON public.succession_plans AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (owner_id = public.pms_current_user_id()))));

CREATE POLICY visibility_delete ON public.survey_participations AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id()))));

CREATE POLICY visibility_delete ON public.survey_responses AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (respondent_id = public.pms_current_user_id()))));

CREATE POLICY visibility_delete ON public.user_roles AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_insert ON public.calibration_ratings AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_insert ON public.compensation_decisions AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_insert ON public.competency_assessments AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (assessor_id = public.pms_current_user_id()) OR (user_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_insert ON public.delegations AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (delegator_id = public.pms_current_user_id()))));

CREATE POLICY visibility_insert ON public.development_activities AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.development_plans p
  WHERE ((p.tenant_id = development_activities.tenant_id) AND (p.id = development_activities.plan_id))))));

CREATE POLICY visibility_insert ON public.development_checkpoints AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.development_plans p
  WHERE ((p.tenant_id = development_checkpoints.tenant_id) AND (p.id = development_checkpoints.plan_id))))));

CREATE POLICY visibility_insert ON public.development_plans AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id = public.pms_current_user_id()) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('GOALS'::text) m(m))))));

CREATE POLICY visibility_insert ON public.feedback AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (giver_id = public.pms_current_user_id()) OR (requested_by = public.pms_current_user_id()) OR (is_anonymous AND (giver_id IS NULL)))));

CREATE POLICY visibility_insert ON public.feedback_360_aggregations AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_insert ON public.feedback_360_gap_analyses AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_insert ON public.feedback_360_responses AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.feedback_360_requests q
  WHERE ((q.tenant_id = feedback_360_responses.tenant_id) AND (q.id = feedback_360_responses.request_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (q.rater_id = public.pms_current_user_id())))))));

CREATE POLICY visibility_insert ON public.ml_model_predictions AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_insert ON public.notification_preferences AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (user_id = public.pms_current_user_id())));

CREATE POLICY visibility_insert ON public.notifications AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (recipient_id = public.pms_current_user_id())));

CREATE POLICY visibility_insert ON public.one_on_one_action_items AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_action_items.tenant_id) AND (o.id = one_on_one_action_items.one_on_one_id))))));

CREATE POLICY visibility_insert ON public.one_on_one_agenda_items AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_agenda_items.tenant_id) AND (o.id = one_on_one_agenda_items.one_on_one_id))))));

CREATE POLICY visibility_insert ON public.one_on_one_private_notes AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((author_id = public.pms_current_user_id()) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_private_notes.tenant_id) AND (o.id = one_on_one_private_notes.one_on_one_id) AND ((public.pms_current_user_id() = o.manager_id) OR (public.pms_current_user_id() = o.employee_id))))))));

CREATE POLICY visibility_insert ON public.one_on_ones AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (manager_id = public.pms_current_user_id()) OR (employee_id = public.pms_current_user_id()) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_insert ON public.performance_improvement_plans AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_insert ON public.performance_reviews AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (reviewee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))) OR ((reviewer_id = public.pms_current_user_id()) AND ((reviewee_id <> public.pms_current_user_id()) OR (review_type = 'SELF'::text))))));

CREATE POLICY visibility_insert ON public.pip_check_ins AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_improvement_plans p
  WHERE ((p.tenant_id = pip_check_ins.tenant_id) AND (p.id = pip_check_ins.pip_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (p.employee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m)))))))));

CREATE POLICY visibility_insert ON public.pip_milestones AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_improvement_plans p
  WHERE ((p.tenant_id = pip_milestones.tenant_id) AND (p.id = pip_milestones.pip_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (p.employee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m)))))))));

CREATE POLICY visibility_insert ON public.pip_templates AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_insert ON public.promotion_decisions AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_insert ON public.promotion_recommendations AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_insert ON public.pulse_responses AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id()) OR (user_id IS NULL))));

CREATE POLICY visibility_insert ON public.review_goals AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_reviews r
  WHERE ((r.tenant_id = review_goals.tenant_id) AND (r.id = review_goals.review_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (r.reviewee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m))) OR (r.reviewer_id = public.pms_current_user_id())))))));

CREATE POLICY visibility_insert ON public.roles AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_insert ON public.succession_candidates AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (candidate_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_insert ON public.succession_plans AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_insert ON public.survey_participations AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id()))));

CREATE POLICY visibility_insert ON public.survey_responses AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (respondent_id = public.pms_current_user_id()) OR (respondent_id IS NULL))));

CREATE POLICY visibility_insert ON public.user_roles AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_select ON public.calibration_ratings AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_select ON public.compensation_decisions AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))) OR ((employee_id = public.pms_current_user_id()) AND (status = ANY (ARRAY['APPROVED'::text, 'APPLIED'::text]))))));

CREATE POLICY visibility_select ON public.competency_assessments AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id()) OR (assessor_id = public.pms_current_user_id()) OR (user_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_select ON public.delegations AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (delegator_id = public.pms_current_user_id()) OR (delegate_id = public.pms_current_user_id()))));

CREATE POLICY visibility_select ON public.development_activities AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.development_plans p
  WHERE ((p.tenant_id = development_activities.tenant_id) AND (p.id = development_activities.plan_id))))));

CREATE POLICY visibility_select ON public.development_checkpoints AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.development_plans p
  WHERE ((p.tenant_id = development_checkpoints.tenant_id) AND (p.id = development_checkpoints.plan_id))))));

CREATE POLICY visibility_select ON public.development_plans AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id = public.pms_current_user_id()) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('GOALS'::text) m(m))))));

CREATE POLICY visibility_select ON public.feedback AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (giver_id = public.pms_current_user_id()) OR (recipient_id = public.pms_current_user_id()) OR (visibility = 'PUBLIC'::text) OR ((visibility = 'MANAGER'::text) AND (recipient_id IN ( SELECT m.m
   FROM public.pms_managed_people('FEEDBACK'::text) m(m)))))));

CREATE POLICY visibility_select ON public.feedback_360_aggregations AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (subject_id IN ( SELECT m.m
   FROM public.pms_managed_people('FEEDBACK'::text) m(m))) OR ((subject_id = public.pms_current_user_id()) AND (NOT is_suppressed)))));

CREATE POLICY visibility_select ON public.feedback_360_gap_analyses AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (subject_id = public.pms_current_user_id()) OR (subject_id IN ( SELECT m.m
   FROM public.pms_managed_people('FEEDBACK'::text) m(m))))));

CREATE POLICY visibility_select ON public.feedback_360_responses AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.feedback_360_requests q
  WHERE ((q.tenant_id = feedback_360_responses.tenant_id) AND (q.id = feedback_360_responses.request_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (q.rater_id = public.pms_current_user_id()) OR (q.subject_id IN ( SELECT m.m
           FROM public.pms_managed_people('FEEDBACK'::text) m(m)))))))));

CREATE POLICY visibility_select ON public.ml_model_predictions AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id()) OR (user_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_select ON public.notification_preferences AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (user_id = public.pms_current_user_id())));

CREATE POLICY visibility_select ON public.notifications AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (recipient_id = public.pms_current_user_id())));

CREATE POLICY visibility_select ON public.one_on_one_action_items AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_action_items.tenant_id) AND (o.id = one_on_one_action_items.one_on_one_id))))));

CREATE POLICY visibility_select ON public.one_on_one_agenda_items AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_agenda_items.tenant_id) AND (o.id = one_on_one_agenda_items.one_on_one_id))))));

CREATE POLICY visibility_select ON public.one_on_one_private_notes AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (author_id = public.pms_current_user_id())));

CREATE POLICY visibility_select ON public.one_on_ones AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (manager_id = public.pms_current_user_id()) OR (employee_id = public.pms_current_user_id()) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_select ON public.performance_improvement_plans AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))) OR (manager_id = public.pms_current_user_id()) OR (hr_partner_id = public.pms_current_user_id()) OR ((employee_id = public.pms_current_user_id()) AND (status <> 'DRAFT'::text)))));

CREATE POLICY visibility_select ON public.performance_reviews AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (reviewee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))) OR (reviewer_id = public.pms_current_user_id()) OR ((reviewee_id = public.pms_current_user_id()) AND ((review_type = 'SELF'::text) OR (status = ANY (ARRAY['SHARED'::text, 'ACKNOWLEDGED'::text])))))));

CREATE POLICY visibility_select ON public.pip_check_ins AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_improvement_plans p
  WHERE ((p.tenant_id = pip_check_ins.tenant_id) AND (p.id = pip_check_ins.pip_id))))));

CREATE POLICY visibility_select ON public.pip_milestones AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_improvement_plans p
  WHERE ((p.tenant_id = pip_milestones.tenant_id) AND (p.id = pip_milestones.pip_id))))));

CREATE POLICY visibility_select ON public.promotion_decisions AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))) OR ((employee_id = public.pms_current_user_id()) AND (status = ANY (ARRAY['APPROVED'::text, 'EFFECTIVE'::text]))))));

CREATE POLICY visibility_select ON public.promotion_recommendations AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_select ON public.pulse_responses AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id()))));

CREATE POLICY visibility_select ON public.review_goals AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_reviews r
  WHERE ((r.tenant_id = review_goals.tenant_id) AND (r.id = review_goals.review_id))))));

CREATE POLICY visibility_select ON public.succession_candidates AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (candidate_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_select ON public.succession_plans AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (owner_id = public.pms_current_user_id()) OR (incumbent_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_select ON public.survey_participations AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id()))));

CREATE POLICY visibility_select ON public.survey_responses AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (respondent_id = public.pms_current_user_id()))));

CREATE POLICY visibility_update ON public.calibration_ratings AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_update ON public.compensation_decisions AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_update ON public.competency_assessments AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (assessor_id = public.pms_current_user_id()) OR (user_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (assessor_id = public.pms_current_user_id()) OR (user_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_update ON public.delegations AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (delegator_id = public.pms_current_user_id())))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (delegator_id = public.pms_current_user_id()))));

CREATE POLICY visibility_update ON public.development_activities AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.development_plans p
  WHERE ((p.tenant_id = development_activities.tenant_id) AND (p.id = development_activities.plan_id)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.development_plans p
  WHERE ((p.tenant_id = development_activities.tenant_id) AND (p.id = development_activities.plan_id))))));

CREATE POLICY visibility_update ON public.development_checkpoints AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.development_plans p
  WHERE ((p.tenant_id = development_checkpoints.tenant_id) AND (p.id = development_checkpoints.plan_id)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.development_plans p
  WHERE ((p.tenant_id = development_checkpoints.tenant_id) AND (p.id = development_checkpoints.plan_id))))));

CREATE POLICY visibility_update ON public.development_plans AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id = public.pms_current_user_id()) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('GOALS'::text) m(m)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id = public.pms_current_user_id()) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('GOALS'::text) m(m))))));

CREATE POLICY visibility_update ON public.feedback AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (giver_id = public.pms_current_user_id()) OR (recipient_id = public.pms_current_user_id())))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (giver_id = public.pms_current_user_id()) OR (recipient_id = public.pms_current_user_id()))));

CREATE POLICY visibility_update ON public.feedback_360_aggregations AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_update ON public.feedback_360_gap_analyses AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_update ON public.feedback_360_responses AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.feedback_360_requests q
  WHERE ((q.tenant_id = feedback_360_responses.tenant_id) AND (q.id = feedback_360_responses.request_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (q.rater_id = public.pms_current_user_id()))))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.feedback_360_requests q
  WHERE ((q.tenant_id = feedback_360_responses.tenant_id) AND (q.id = feedback_360_responses.request_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (q.rater_id = public.pms_current_user_id())))))));

CREATE POLICY visibility_update ON public.ml_model_predictions AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_update ON public.notification_preferences AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (user_id = public.pms_current_user_id()))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (user_id = public.pms_current_user_id())));

CREATE POLICY visibility_update ON public.notifications AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (recipient_id = public.pms_current_user_id()))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (recipient_id = public.pms_current_user_id())));

CREATE POLICY visibility_update ON public.one_on_one_action_items AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_action_items.tenant_id) AND (o.id = one_on_one_action_items.one_on_one_id)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_action_items.tenant_id) AND (o.id = one_on_one_action_items.one_on_one_id))))));

CREATE POLICY visibility_update ON public.one_on_one_agenda_items AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_agenda_items.tenant_id) AND (o.id = one_on_one_agenda_items.one_on_one_id)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_agenda_items.tenant_id) AND (o.id = one_on_one_agenda_items.one_on_one_id))))));

CREATE POLICY visibility_update ON public.one_on_one_private_notes AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((author_id = public.pms_current_user_id()) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_private_notes.tenant_id) AND (o.id = one_on_one_private_notes.one_on_one_id) AND ((public.pms_current_user_id() = o.manager_id) OR (public.pms_current_user_id() = o.employee_id)))))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((author_id = public.pms_current_user_id()) AND (EXISTS ( SELECT 1
   FROM public.one_on_ones o
  WHERE ((o.tenant_id = one_on_one_private_notes.tenant_id) AND (o.id = one_on_one_private_notes.one_on_one_id) AND ((public.pms_current_user_id() = o.manager_id) OR (public.pms_current_user_id() = o.employee_id))))))));

CREATE POLICY visibility_update ON public.one_on_ones AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (manager_id = public.pms_current_user_id()) OR (employee_id = public.pms_current_user_id()) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (manager_id = public.pms_current_user_id()) OR (employee_id = public.pms_current_user_id()) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_update ON public.performance_improvement_plans AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))))));

CREATE POLICY visibility_update ON public.performance_reviews AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (reviewee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))) OR ((reviewer_id = public.pms_current_user_id()) AND ((reviewee_id <> public.pms_current_user_id()) OR (review_type = 'SELF'::text)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (reviewee_id IN ( SELECT m.m
   FROM public.pms_managed_people('REVIEWS'::text) m(m))) OR ((reviewer_id = public.pms_current_user_id()) AND ((reviewee_id <> public.pms_current_user_id()) OR (review_type = 'SELF'::text))))));

CREATE POLICY visibility_update ON public.pip_check_ins AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_improvement_plans p
  WHERE ((p.tenant_id = pip_check_ins.tenant_id) AND (p.id = pip_check_ins.pip_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (p.employee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m))))))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_improvement_plans p
  WHERE ((p.tenant_id = pip_check_ins.tenant_id) AND (p.id = pip_check_ins.pip_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (p.employee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m)))))))));

CREATE POLICY visibility_update ON public.pip_milestones AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_improvement_plans p
  WHERE ((p.tenant_id = pip_milestones.tenant_id) AND (p.id = pip_milestones.pip_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (p.employee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m))))))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_improvement_plans p
  WHERE ((p.tenant_id = pip_milestones.tenant_id) AND (p.id = pip_milestones.pip_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (p.employee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m)))))))));

CREATE POLICY visibility_update ON public.pip_templates AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_update ON public.promotion_decisions AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (employee_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_update ON public.promotion_recommendations AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_update ON public.pulse_responses AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id())))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id()))));

CREATE POLICY visibility_update ON public.review_goals AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_reviews r
  WHERE ((r.tenant_id = review_goals.tenant_id) AND (r.id = review_goals.review_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (r.reviewee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m))) OR (r.reviewer_id = public.pms_current_user_id()))))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.performance_reviews r
  WHERE ((r.tenant_id = review_goals.tenant_id) AND (r.id = review_goals.review_id) AND ((EXISTS ( SELECT 1
           FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (r.reviewee_id IN ( SELECT m.m
           FROM public.pms_managed_people('REVIEWS'::text) m(m))) OR (r.reviewer_id = public.pms_current_user_id())))))));

CREATE POLICY visibility_update ON public.roles AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

CREATE POLICY visibility_update ON public.succession_candidates AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (candidate_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m)))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (candidate_id IN ( SELECT m.m
   FROM public.pms_managed_people('APPROVALS'::text) m(m))))));

CREATE POLICY visibility_update ON public.succession_plans AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (owner_id = public.pms_current_user_id())))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (owner_id = public.pms_current_user_id()))));

CREATE POLICY visibility_update ON public.survey_participations AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id())))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (user_id = public.pms_current_user_id()))));

CREATE POLICY visibility_update ON public.survey_responses AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (respondent_id = public.pms_current_user_id())))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND ((EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))) OR (respondent_id = public.pms_current_user_id()))));

CREATE POLICY visibility_update ON public.user_roles AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants))))) WITH CHECK (((EXISTS ( SELECT 1
   FROM public.pms_acting_user_row() pms_acting_user_row(pms_acting_user_row))) AND (EXISTS ( SELECT 1
   FROM public.pms_acting_hr_grants() pms_acting_hr_grants(pms_acting_hr_grants)))));

ALTER TABLE public.workload_snapshots ENABLE ROW LEVEL SECURITY;

ALTER TABLE timeseries.engagement_metrics_ts_compressed ENABLE ROW LEVEL SECURITY;

ALTER TABLE timeseries.engagement_metrics_weekly_mat ENABLE ROW LEVEL SECURITY;

ALTER TABLE timeseries.feedback_activity_ts_compressed ENABLE ROW LEVEL SECURITY;

ALTER TABLE timeseries.feedback_trends_monthly_mat ENABLE ROW LEVEL SECURITY;

ALTER TABLE timeseries.goal_progress_ts_compressed ENABLE ROW LEVEL SECURITY;

ALTER TABLE timeseries.invalidations ENABLE ROW LEVEL SECURITY;

ALTER TABLE timeseries.membership_invalidations ENABLE ROW LEVEL SECURITY;

ALTER TABLE timeseries.performance_metrics_daily_mat ENABLE ROW LEVEL SECURITY;

ALTER TABLE timeseries.performance_metrics_monthly_mat ENABLE ROW LEVEL SECURITY;

ALTER TABLE timeseries.performance_metrics_ts_compressed ENABLE ROW LEVEL SECURITY;

ALTER TABLE timeseries.rollup_invalidations ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON timeseries.engagement_metrics_ts_compressed USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON timeseries.engagement_metrics_weekly_mat USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON timeseries.feedback_activity_ts_compressed USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON timeseries.feedback_trends_monthly_mat USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON timeseries.goal_progress_ts_compressed USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON timeseries.invalidations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON timeseries.membership_invalidations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON timeseries.performance_metrics_daily_mat USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON timeseries.performance_metrics_monthly_mat USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON timeseries.performance_metrics_ts_compressed USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON timeseries.rollup_invalidations USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

ALTER TABLE warehouse.dim_competency ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_date ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_department ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_review_cycle ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_team ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_tenant ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.dim_user ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.fact_engagement ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.fact_feedback ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.fact_goal_progress ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.fact_performance_daily ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.fact_performance_review ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.rollup_changes ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.sync_runs ENABLE ROW LEVEL SECURITY;

ALTER TABLE warehouse.sync_watermarks ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON warehouse.dim_competency USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.dim_date USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.dim_department USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.dim_review_cycle USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.dim_team USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.dim_tenant USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.dim_user USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.fact_engagement USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.fact_feedback USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.fact_goal_progress USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.fact_performance_daily USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.fact_performance_review USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.rollup_changes USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.sync_runs USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.sync_watermarks USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

CREATE POLICY tenant_isolation ON warehouse.tombstones USING ((tenant_id = public.pms_current_tenant())) WITH CHECK ((tenant_id = public.pms_current_tenant()));

ALTER TABLE warehouse.tombstones ENABLE ROW LEVEL SECURITY;

GRANT USAGE ON SCHEMA pms_meta TO pms_maintenance;
GRANT USAGE ON SCHEMA pms_meta TO pms_readonly;

GRANT USAGE ON SCHEMA pms_parts TO pms_maintenance;

GRANT USAGE ON SCHEMA pms_retention TO pms_app;
GRANT USAGE ON SCHEMA pms_retention TO pms_maintenance;
GRANT USAGE ON SCHEMA pms_retention TO pms_readonly;

GRANT USAGE ON SCHEMA public TO pms_app;
GRANT USAGE ON SCHEMA public TO pms_maintenance;
GRANT USAGE ON SCHEMA public TO pms_readonly;

GRANT USAGE ON SCHEMA timeseries TO pms_app;
GRANT USAGE ON SCHEMA timeseries TO pms_maintenance;
GRANT USAGE ON SCHEMA timeseries TO pms_readonly;

GRANT USAGE ON SCHEMA warehouse TO pms_maintenance;
GRANT USAGE ON SCHEMA warehouse TO pms_readonly;

REVOKE ALL ON FUNCTION pms_meta.add_updated_at_trigger(tbl regclass) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.analyze_after_load(p_tables text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_meta.analyze_after_load(p_tables text[]) TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_meta.audit_chain_flush() FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.audit_chain_next(p_tenant uuid, p_stream text, OUT next_seq bigint, OUT prev_hash bytea) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.audit_drop_expired_partitions(p_retention_months integer, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_meta.audit_drop_expired_partitions(p_retention_months integer, p_now timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_meta.audit_ensure_partitions(p_from date, p_months integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_meta.audit_ensure_partitions(p_from date, p_months integer) TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_meta.audit_is_secret(name text) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.audit_maintain_partitions(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_meta.audit_maintain_partitions(p_now timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_meta.audit_redact_json(j jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.audit_redact_person(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_meta.audit_redact_person(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[]) TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_meta.audit_redact_value(col text, v jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.audit_redacted_digest(p_tenant uuid, p_stream text, p_seq bigint) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.audit_refuse_truncate() FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.audit_row_change() FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.audit_seal_payload() FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.audited_table_name(p_relid oid, p_name name) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.bulk_load_active() FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.bulk_load_audit() FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.bulk_load_guard() FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.bulk_load_verify() FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.enable_audit(tbl regclass, entity_type text, tenant_column name) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.enable_bulk_load(tbl regclass) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.enable_tenant_rls(tbl regclass, tenant_column name) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.enable_visibility(tbl regclass, p_domain text, p_read text, p_write text, p_readers text, p_writers text, p_insert text) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.partition_by_tenant(p_table text) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.policy_copies(p_from regclass, p_target text) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.reporting_chain_lock_key(p_tenant uuid) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.reporting_chain_rebuild(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_meta.reporting_chain_rebuild(p_tenant uuid) TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_meta.tenant_loading_check(p_tenant uuid) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.tenant_partition_build(p_tenant uuid, p_table text) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_meta.tenant_partition_build(p_tenant uuid, p_table text) TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_meta.tenant_partition_name(p_table text, p_tenant uuid) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.tenant_partitioned_tables() FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_meta.tenant_partitions_attach(p_tenant uuid, p_batch text, p_digests jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_meta.tenant_partitions_attach(p_tenant uuid, p_batch text, p_digests jsonb) TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_meta.tenant_partitions_prepare(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_meta.tenant_partitions_prepare(p_tenant uuid) TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_meta.visibility_expand(p_rule text) FROM PUBLIC;

REVOKE ALL ON FUNCTION pms_retention.effective_policy(p_tenant uuid, p_entity text) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.effective_policy(p_tenant uuid, p_entity text) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.effective_policy(p_tenant uuid, p_entity text) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.effective_policy(p_tenant uuid, p_entity text) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.erase_person_hot(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.erase_person_hot(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[]) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.erase_person_hot(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[]) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.erase_person_hot(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[]) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.erase_row(p_entity_type text, p_row jsonb, p_person uuid, p_pseudonym uuid, p_terms text[], p_strong text[], OUT action text, OUT row_after jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.erase_row(p_entity_type text, p_row jsonb, p_person uuid, p_pseudonym uuid, p_terms text[], p_strong text[], OUT action text, OUT row_after jsonb) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.erase_row(p_entity_type text, p_row jsonb, p_person uuid, p_pseudonym uuid, p_terms text[], p_strong text[], OUT action text, OUT row_after jsonb) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.erase_row(p_entity_type text, p_row jsonb, p_person uuid, p_pseudonym uuid, p_terms text[], p_strong text[], OUT action text, OUT row_after jsonb) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.erase_timeseries_person(p_tenant uuid, p_person uuid, p_pseudonym uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.erase_timeseries_person(p_tenant uuid, p_person uuid, p_pseudonym uuid) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.erase_timeseries_person(p_tenant uuid, p_person uuid, p_pseudonym uuid) TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_retention.erasure_plan_gaps() FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.erasure_plan_gaps() TO pms_app;
GRANT ALL ON FUNCTION pms_retention.erasure_plan_gaps() TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.erasure_plan_gaps() TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.erasure_rule_needed(p_table regclass, p_column name) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.erasure_rule_needed(p_table regclass, p_column name) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.erasure_rule_needed(p_table regclass, p_column name) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.erasure_rule_needed(p_table regclass, p_column name) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.erasure_statements(p_table text) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.erasure_statements(p_table text) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.erasure_statements(p_table text) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.erasure_statements(p_table text) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.is_held(p_tenant uuid, p_entity text, p_id text, p_persons uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.is_held(p_tenant uuid, p_entity text, p_id text, p_persons uuid[]) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.is_held(p_tenant uuid, p_entity text, p_id text, p_persons uuid[]) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.is_held(p_tenant uuid, p_entity text, p_id text, p_persons uuid[]) TO pms_readonly;

GRANT SELECT ON TABLE pms_retention.entities TO pms_app;
GRANT SELECT ON TABLE pms_retention.entities TO pms_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE pms_retention.entities TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_retention.live_entity(p_entity text) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.live_entity(p_entity text) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.live_entity(p_entity text) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.live_entity(p_entity text) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.names_a_person(p_column name) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.names_a_person(p_column name) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.names_a_person(p_column name) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.names_a_person(p_column name) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.not_held_sql(p_tenant uuid, e pms_retention.entities) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.not_held_sql(p_tenant uuid, e pms_retention.entities) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.not_held_sql(p_tenant uuid, e pms_retention.entities) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.not_held_sql(p_tenant uuid, e pms_retention.entities) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.person_held(p_tenant uuid, p_person uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.person_held(p_tenant uuid, p_person uuid) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.person_held(p_tenant uuid, p_person uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.person_held(p_tenant uuid, p_person uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.person_terms(p_tenant uuid, p_person uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.person_terms(p_tenant uuid, p_person uuid) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.person_terms(p_tenant uuid, p_person uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.person_terms(p_tenant uuid, p_person uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.persons_sql(p_columns name[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.persons_sql(p_columns name[]) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.persons_sql(p_columns name[]) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.persons_sql(p_columns name[]) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.register_entity(p_entity_type text, p_table text, p_person_columns name[], p_time_columns name[], p_id_column name, p_if_present boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.register_entity(p_entity_type text, p_table text, p_person_columns name[], p_time_columns name[], p_id_column name, p_if_present boolean) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.register_entity(p_entity_type text, p_table text, p_person_columns name[], p_time_columns name[], p_id_column name, p_if_present boolean) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.register_entity(p_entity_type text, p_table text, p_person_columns name[], p_time_columns name[], p_id_column name, p_if_present boolean) TO pms_readonly;

GRANT SELECT ON TABLE pms_retention.policies TO pms_app;
GRANT SELECT ON TABLE pms_retention.policies TO pms_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE pms_retention.policies TO pms_maintenance;

REVOKE ALL ON FUNCTION pms_retention.require_policy(p_entity text) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.require_policy(p_entity text) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.require_policy(p_entity text) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.require_policy(p_entity text) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.rule_table(p_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.rule_table(p_name text) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.rule_table(p_name text) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.rule_table(p_name text) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.scrub_jsonb(p_value jsonb, p_person text, p_pseudonym text, p_terms text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.scrub_jsonb(p_value jsonb, p_person text, p_pseudonym text, p_terms text[]) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.scrub_jsonb(p_value jsonb, p_person text, p_pseudonym text, p_terms text[]) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.scrub_jsonb(p_value jsonb, p_person text, p_pseudonym text, p_terms text[]) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.scrub_text(p_text text, p_terms text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.scrub_text(p_text text, p_terms text[]) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.scrub_text(p_text text, p_terms text[]) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.scrub_text(p_text text, p_terms text[]) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.scrub_text_array(p_values text[], p_person text, p_pseudonym text, p_terms text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.scrub_text_array(p_values text[], p_person text, p_pseudonym text, p_terms text[]) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.scrub_text_array(p_values text[], p_person text, p_pseudonym text, p_terms text[]) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.scrub_text_array(p_values text[], p_person text, p_pseudonym text, p_terms text[]) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.strong_terms(p_tenant uuid, p_person uuid, p_terms text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.strong_terms(p_tenant uuid, p_person uuid, p_terms text[]) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.strong_terms(p_tenant uuid, p_person uuid, p_terms text[]) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.strong_terms(p_tenant uuid, p_person uuid, p_terms text[]) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.tenant_policies(p_entity text) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.tenant_policies(p_entity text) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.tenant_policies(p_entity text) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.tenant_policies(p_entity text) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.tenants_with_rows(p_entity text) FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.tenants_with_rows(p_entity text) TO pms_app;
GRANT ALL ON FUNCTION pms_retention.tenants_with_rows(p_entity text) TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.tenants_with_rows(p_entity text) TO pms_readonly;

REVOKE ALL ON FUNCTION pms_retention.validate_tiers() FROM PUBLIC;
GRANT ALL ON FUNCTION pms_retention.validate_tiers() TO pms_app;
GRANT ALL ON FUNCTION pms_retention.validate_tiers() TO pms_maintenance;
GRANT ALL ON FUNCTION pms_retention.validate_tiers() TO pms_readonly;

REVOKE ALL ON FUNCTION public.archive_entity(p_entity_type text, p_id text, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.archive_entity(p_entity_type text, p_id text, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) TO pms_app;
GRANT ALL ON FUNCTION public.archive_entity(p_entity_type text, p_id text, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) TO pms_maintenance;
GRANT ALL ON FUNCTION public.archive_entity(p_entity_type text, p_id text, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) TO pms_readonly;

REVOKE ALL ON FUNCTION public.archive_entity(p_entity_type text, p_id uuid, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.archive_entity(p_entity_type text, p_id uuid, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) TO pms_app;
GRANT ALL ON FUNCTION public.archive_entity(p_entity_type text, p_id uuid, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) TO pms_maintenance;
GRANT ALL ON FUNCTION public.archive_entity(p_entity_type text, p_id uuid, p_tenant uuid, p_data jsonb, p_created timestamp with time zone) TO pms_readonly;

REVOKE ALL ON FUNCTION public.audit_chain_hash(prev bytea, canonical text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.audit_chain_hash(prev bytea, canonical text) TO pms_app;
GRANT ALL ON FUNCTION public.audit_chain_hash(prev bytea, canonical text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.audit_chain_hash(prev bytea, canonical text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.audit_chain_head(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.audit_chain_head(p_tenant uuid) TO pms_app;
GRANT ALL ON FUNCTION public.audit_chain_head(p_tenant uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.audit_chain_head(p_tenant uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.audit_check_range(p_name text, p_value bigint, p_max bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.audit_check_range(p_name text, p_value bigint, p_max bigint) TO pms_app;
GRANT ALL ON FUNCTION public.audit_check_range(p_name text, p_value bigint, p_max bigint) TO pms_maintenance;
GRANT ALL ON FUNCTION public.audit_check_range(p_name text, p_value bigint, p_max bigint) TO pms_readonly;

GRANT SELECT ON TABLE public.audit_log TO pms_app;
GRANT SELECT ON TABLE public.audit_log TO pms_maintenance;
GRANT SELECT ON TABLE public.audit_log TO pms_readonly;

REVOKE ALL ON FUNCTION public.audit_log_canonical(e public.audit_log) FROM PUBLIC;
GRANT ALL ON FUNCTION public.audit_log_canonical(e public.audit_log) TO pms_app;
GRANT ALL ON FUNCTION public.audit_log_canonical(e public.audit_log) TO pms_maintenance;
GRANT ALL ON FUNCTION public.audit_log_canonical(e public.audit_log) TO pms_readonly;

REVOKE ALL ON FUNCTION public.audit_log_payload(e public.audit_log) FROM PUBLIC;
GRANT ALL ON FUNCTION public.audit_log_payload(e public.audit_log) TO pms_app;
GRANT ALL ON FUNCTION public.audit_log_payload(e public.audit_log) TO pms_maintenance;
GRANT ALL ON FUNCTION public.audit_log_payload(e public.audit_log) TO pms_readonly;

REVOKE ALL ON FUNCTION public.audit_payload_digest(salt bytea, payload text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.audit_payload_digest(salt bytea, payload text) TO pms_app;
GRANT ALL ON FUNCTION public.audit_payload_digest(salt bytea, payload text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.audit_payload_digest(salt bytea, payload text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.audit_require_reader() FROM PUBLIC;
GRANT ALL ON FUNCTION public.audit_require_reader() TO pms_app;
GRANT ALL ON FUNCTION public.audit_require_reader() TO pms_maintenance;
GRANT ALL ON FUNCTION public.audit_require_reader() TO pms_readonly;

REVOKE ALL ON FUNCTION public.audit_require_tenant(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.audit_require_tenant(p_tenant uuid) TO pms_app;
GRANT ALL ON FUNCTION public.audit_require_tenant(p_tenant uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.audit_require_tenant(p_tenant uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.audit_resolve_entity_type(p_entity_type text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.audit_resolve_entity_type(p_entity_type text) TO pms_app;
GRANT ALL ON FUNCTION public.audit_resolve_entity_type(p_entity_type text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.audit_resolve_entity_type(p_entity_type text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.calculate_engagement_trend(p_tenant_id uuid, p_user_id uuid, p_period interval) FROM PUBLIC;
GRANT ALL ON FUNCTION public.calculate_engagement_trend(p_tenant_id uuid, p_user_id uuid, p_period interval) TO pms_app;
GRANT ALL ON FUNCTION public.calculate_engagement_trend(p_tenant_id uuid, p_user_id uuid, p_period interval) TO pms_maintenance;
GRANT ALL ON FUNCTION public.calculate_engagement_trend(p_tenant_id uuid, p_user_id uuid, p_period interval) TO pms_readonly;

REVOKE ALL ON FUNCTION public.check_audit_chain_head(p_tenant uuid, p_stream text, p_seq bigint, p_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.check_audit_chain_head(p_tenant uuid, p_stream text, p_seq bigint, p_hash text) TO pms_app;
GRANT ALL ON FUNCTION public.check_audit_chain_head(p_tenant uuid, p_stream text, p_seq bigint, p_hash text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.check_audit_chain_head(p_tenant uuid, p_stream text, p_seq bigint, p_hash text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.daily_data_maintenance() FROM PUBLIC;
GRANT ALL ON FUNCTION public.daily_data_maintenance() TO pms_app;
GRANT ALL ON FUNCTION public.daily_data_maintenance() TO pms_maintenance;
GRANT ALL ON FUNCTION public.daily_data_maintenance() TO pms_readonly;

REVOKE ALL ON FUNCTION public.detect_suspicious_activity(p_tenant uuid, p_hours integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.detect_suspicious_activity(p_tenant uuid, p_hours integer) TO pms_app;
GRANT ALL ON FUNCTION public.detect_suspicious_activity(p_tenant uuid, p_hours integer) TO pms_maintenance;
GRANT ALL ON FUNCTION public.detect_suspicious_activity(p_tenant uuid, p_hours integer) TO pms_readonly;

REVOKE ALL ON FUNCTION public.get_archival_candidates() FROM PUBLIC;
GRANT ALL ON FUNCTION public.get_archival_candidates() TO pms_app;
GRANT ALL ON FUNCTION public.get_archival_candidates() TO pms_maintenance;
GRANT ALL ON FUNCTION public.get_archival_candidates() TO pms_readonly;

REVOKE ALL ON FUNCTION public.get_entity_audit_history(p_entity_type text, p_entity_id uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.get_entity_audit_history(p_entity_type text, p_entity_id uuid, p_limit integer) TO pms_app;
GRANT ALL ON FUNCTION public.get_entity_audit_history(p_entity_type text, p_entity_id uuid, p_limit integer) TO pms_maintenance;
GRANT ALL ON FUNCTION public.get_entity_audit_history(p_entity_type text, p_entity_id uuid, p_limit integer) TO pms_readonly;

REVOKE ALL ON FUNCTION public.get_recent_performance_metrics(p_tenant_id uuid, p_user_id uuid, p_days integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.get_recent_performance_metrics(p_tenant_id uuid, p_user_id uuid, p_days integer) TO pms_app;
GRANT ALL ON FUNCTION public.get_recent_performance_metrics(p_tenant_id uuid, p_user_id uuid, p_days integer) TO pms_maintenance;
GRANT ALL ON FUNCTION public.get_recent_performance_metrics(p_tenant_id uuid, p_user_id uuid, p_days integer) TO pms_readonly;

REVOKE ALL ON FUNCTION public.get_storage_statistics() FROM PUBLIC;
GRANT ALL ON FUNCTION public.get_storage_statistics() TO pms_app;
GRANT ALL ON FUNCTION public.get_storage_statistics() TO pms_maintenance;
GRANT ALL ON FUNCTION public.get_storage_statistics() TO pms_readonly;

REVOKE ALL ON FUNCTION public.get_tenant_security_events(p_tenant uuid, p_days integer, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.get_tenant_security_events(p_tenant uuid, p_days integer, p_limit integer) TO pms_app;
GRANT ALL ON FUNCTION public.get_tenant_security_events(p_tenant uuid, p_days integer, p_limit integer) TO pms_maintenance;
GRANT ALL ON FUNCTION public.get_tenant_security_events(p_tenant uuid, p_days integer, p_limit integer) TO pms_readonly;

REVOKE ALL ON FUNCTION public.get_user_audit_history(p_user_id uuid, p_days integer, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.get_user_audit_history(p_user_id uuid, p_days integer, p_limit integer) TO pms_app;
GRANT ALL ON FUNCTION public.get_user_audit_history(p_user_id uuid, p_days integer, p_limit integer) TO pms_maintenance;
GRANT ALL ON FUNCTION public.get_user_audit_history(p_user_id uuid, p_days integer, p_limit integer) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_acknowledge_review(p_review uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_acknowledge_review(p_review uuid) TO pms_app;
GRANT ALL ON FUNCTION public.pms_acknowledge_review(p_review uuid) TO pms_maintenance;

REVOKE ALL ON FUNCTION public.pms_acting_hr_grants() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_acting_hr_grants() TO pms_app;
GRANT ALL ON FUNCTION public.pms_acting_hr_grants() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_acting_hr_grants() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_acting_user() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_acting_user() TO pms_app;
GRANT ALL ON FUNCTION public.pms_acting_user() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_acting_user() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_acting_user_row() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_acting_user_row() TO pms_app;
GRANT ALL ON FUNCTION public.pms_acting_user_row() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_acting_user_row() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_api_b_can_see_group(p_grain text, p_subject uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_api_b_can_see_group(p_grain text, p_subject uuid) TO pms_app;
GRANT ALL ON FUNCTION public.pms_api_b_can_see_group(p_grain text, p_subject uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_api_b_can_see_group(p_grain text, p_subject uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_api_b_can_see_health(p_department uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_api_b_can_see_health(p_department uuid) TO pms_app;
GRANT ALL ON FUNCTION public.pms_api_b_can_see_health(p_department uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_api_b_can_see_health(p_department uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_api_b_can_see_succession_plan(p_plan uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_api_b_can_see_succession_plan(p_plan uuid) TO pms_app;
GRANT ALL ON FUNCTION public.pms_api_b_can_see_succession_plan(p_plan uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_api_b_can_see_succession_plan(p_plan uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_api_can_see_goal(p_owner uuid, p_visibility text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_api_can_see_goal(p_owner uuid, p_visibility text) TO pms_app;
GRANT ALL ON FUNCTION public.pms_api_can_see_goal(p_owner uuid, p_visibility text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_api_can_see_goal(p_owner uuid, p_visibility text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_api_manages(p_manager uuid, p_person uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_api_manages(p_manager uuid, p_person uuid) TO pms_app;
GRANT ALL ON FUNCTION public.pms_api_manages(p_manager uuid, p_person uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_api_manages(p_manager uuid, p_person uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_api_may_run_pip(p_employee uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_api_may_run_pip(p_employee uuid) TO pms_app;
GRANT ALL ON FUNCTION public.pms_api_may_run_pip(p_employee uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_api_may_run_pip(p_employee uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_bench_strength(p_ready_now bigint, p_ready_1_year bigint, p_ready_2_years bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_bench_strength(p_ready_now bigint, p_ready_1_year bigint, p_ready_2_years bigint) TO pms_app;
GRANT ALL ON FUNCTION public.pms_bench_strength(p_ready_now bigint, p_ready_1_year bigint, p_ready_2_years bigint) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_bench_strength(p_ready_now bigint, p_ready_1_year bigint, p_ready_2_years bigint) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_calibration_participant_open() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_calibration_participant_open() TO pms_app;
GRANT ALL ON FUNCTION public.pms_calibration_participant_open() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_calibration_participant_open() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_calibration_rating_rules() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_calibration_rating_rules() TO pms_app;
GRANT ALL ON FUNCTION public.pms_calibration_rating_rules() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_calibration_rating_rules() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_calibration_session_workflow() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_calibration_session_workflow() TO pms_app;
GRANT ALL ON FUNCTION public.pms_calibration_session_workflow() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_calibration_session_workflow() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_can_see_person(p_person uuid, p_domain text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_can_see_person(p_person uuid, p_domain text) TO pms_app;
GRANT ALL ON FUNCTION public.pms_can_see_person(p_person uuid, p_domain text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_can_see_person(p_person uuid, p_domain text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_career_suggestions(p_person uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_career_suggestions(p_person uuid, p_limit integer) TO pms_app;
GRANT ALL ON FUNCTION public.pms_career_suggestions(p_person uuid, p_limit integer) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_career_suggestions(p_person uuid, p_limit integer) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_current_tenant() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_current_tenant() TO pms_app;
GRANT ALL ON FUNCTION public.pms_current_tenant() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_current_tenant() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_current_user_id() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_current_user_id() TO pms_app;
GRANT ALL ON FUNCTION public.pms_current_user_id() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_current_user_id() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_development_part_open() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_development_part_open() TO pms_app;
GRANT ALL ON FUNCTION public.pms_development_part_open() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_development_part_open() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_development_plan_workflow() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_development_plan_workflow() TO pms_app;
GRANT ALL ON FUNCTION public.pms_development_plan_workflow() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_development_plan_workflow() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_development_progress() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_development_progress() TO pms_app;
GRANT ALL ON FUNCTION public.pms_development_progress() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_development_progress() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_feedback_notify() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_feedback_notify() TO pms_app;
GRANT ALL ON FUNCTION public.pms_feedback_notify() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_feedback_notify() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_finalize_calibration(p_cycle uuid, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_finalize_calibration(p_cycle uuid, p_now timestamp with time zone) TO pms_app;
GRANT ALL ON FUNCTION public.pms_finalize_calibration(p_cycle uuid, p_now timestamp with time zone) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_finalize_calibration(p_cycle uuid, p_now timestamp with time zone) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_is_tenant_hr() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_is_tenant_hr() TO pms_app;
GRANT ALL ON FUNCTION public.pms_is_tenant_hr() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_is_tenant_hr() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_managed_people(p_domain text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_managed_people(p_domain text) TO pms_app;
GRANT ALL ON FUNCTION public.pms_managed_people(p_domain text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_managed_people(p_domain text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_my_team() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_my_team() TO pms_app;
GRANT ALL ON FUNCTION public.pms_my_team() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_my_team() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_notification_events() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_notification_events() TO pms_app;
GRANT ALL ON FUNCTION public.pms_notification_events() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_notification_events() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_notify(p_recipient uuid, p_event text, p_title text, p_body text, p_entity_type text, p_entity_id uuid) FROM PUBLIC;

REVOKE ALL ON FUNCTION public.pms_one_on_one_item_open() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_one_on_one_item_open() TO pms_app;
GRANT ALL ON FUNCTION public.pms_one_on_one_item_open() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_one_on_one_item_open() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_one_on_one_notify() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_one_on_one_notify() TO pms_app;
GRANT ALL ON FUNCTION public.pms_one_on_one_notify() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_one_on_one_notify() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_one_on_one_workflow() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_one_on_one_workflow() TO pms_app;
GRANT ALL ON FUNCTION public.pms_one_on_one_workflow() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_one_on_one_workflow() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_org_health(p_department uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_org_health(p_department uuid) TO pms_app;
GRANT ALL ON FUNCTION public.pms_org_health(p_department uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_org_health(p_department uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_org_health_components() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_org_health_components() TO pms_app;
GRANT ALL ON FUNCTION public.pms_org_health_components() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_org_health_components() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_org_health_level(p_overall numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_org_health_level(p_overall numeric) TO pms_app;
GRANT ALL ON FUNCTION public.pms_org_health_level(p_overall numeric) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_org_health_level(p_overall numeric) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_org_health_overall(p_engagement numeric, p_performance numeric, p_culture numeric, p_leadership numeric, p_collaboration numeric, p_innovation numeric, p_wellbeing numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_org_health_overall(p_engagement numeric, p_performance numeric, p_culture numeric, p_leadership numeric, p_collaboration numeric, p_innovation numeric, p_wellbeing numeric) TO pms_app;
GRANT ALL ON FUNCTION public.pms_org_health_overall(p_engagement numeric, p_performance numeric, p_culture numeric, p_leadership numeric, p_collaboration numeric, p_innovation numeric, p_wellbeing numeric) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_org_health_overall(p_engagement numeric, p_performance numeric, p_culture numeric, p_leadership numeric, p_collaboration numeric, p_innovation numeric, p_wellbeing numeric) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_org_health_version(p_department uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_org_health_version(p_department uuid) TO pms_app;
GRANT ALL ON FUNCTION public.pms_org_health_version(p_department uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_org_health_version(p_department uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_person_name(p_person uuid) FROM PUBLIC;

REVOKE ALL ON FUNCTION public.pms_pip_check_in_schedule() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_pip_check_in_schedule() TO pms_app;
GRANT ALL ON FUNCTION public.pms_pip_check_in_schedule() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_pip_check_in_schedule() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_pip_next_statuses(p_status text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_pip_next_statuses(p_status text) TO pms_app;
GRANT ALL ON FUNCTION public.pms_pip_next_statuses(p_status text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_pip_next_statuses(p_status text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_pip_notify() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_pip_notify() TO pms_app;
GRANT ALL ON FUNCTION public.pms_pip_notify() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_pip_notify() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_pip_part_open() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_pip_part_open() TO pms_app;
GRANT ALL ON FUNCTION public.pms_pip_part_open() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_pip_part_open() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_pip_workflow() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_pip_workflow() TO pms_app;
GRANT ALL ON FUNCTION public.pms_pip_workflow() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_pip_workflow() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_promotion_decision_next(p_from text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_promotion_decision_next(p_from text) TO pms_app;
GRANT ALL ON FUNCTION public.pms_promotion_decision_next(p_from text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_promotion_decision_next(p_from text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_promotion_decision_workflow() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_promotion_decision_workflow() TO pms_app;
GRANT ALL ON FUNCTION public.pms_promotion_decision_workflow() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_promotion_decision_workflow() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_promotion_inputs(p_person uuid, p_as_of date) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_promotion_inputs(p_person uuid, p_as_of date) TO pms_app;
GRANT ALL ON FUNCTION public.pms_promotion_inputs(p_person uuid, p_as_of date) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_promotion_inputs(p_person uuid, p_as_of date) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_promotion_overall(p_performance numeric, p_potential numeric, p_skills numeric, p_leadership numeric, p_tenure numeric, p_engagement numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_promotion_overall(p_performance numeric, p_potential numeric, p_skills numeric, p_leadership numeric, p_tenure numeric, p_engagement numeric) TO pms_app;
GRANT ALL ON FUNCTION public.pms_promotion_overall(p_performance numeric, p_potential numeric, p_skills numeric, p_leadership numeric, p_tenure numeric, p_engagement numeric) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_promotion_overall(p_performance numeric, p_potential numeric, p_skills numeric, p_leadership numeric, p_tenure numeric, p_engagement numeric) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_promotion_readiness(p_overall numeric, p_performance numeric, p_skills numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_promotion_readiness(p_overall numeric, p_performance numeric, p_skills numeric) TO pms_app;
GRANT ALL ON FUNCTION public.pms_promotion_readiness(p_overall numeric, p_performance numeric, p_skills numeric) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_promotion_readiness(p_overall numeric, p_performance numeric, p_skills numeric) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_promotion_score(p_person uuid, p_as_of date) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_promotion_score(p_person uuid, p_as_of date) TO pms_app;
GRANT ALL ON FUNCTION public.pms_promotion_score(p_person uuid, p_as_of date) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_promotion_score(p_person uuid, p_as_of date) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_pulse_results(p_survey uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_pulse_results(p_survey uuid) TO pms_app;
GRANT ALL ON FUNCTION public.pms_pulse_results(p_survey uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_pulse_results(p_survey uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_reporting_chain_forget(p_tenant uuid, p_people uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_reporting_chain_forget(p_tenant uuid, p_people uuid[]) TO pms_app;
GRANT ALL ON FUNCTION public.pms_reporting_chain_forget(p_tenant uuid, p_people uuid[]) TO pms_maintenance;

REVOKE ALL ON FUNCTION public.pms_reporting_chain_on_delete() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_reporting_chain_on_delete() TO pms_app;
GRANT ALL ON FUNCTION public.pms_reporting_chain_on_delete() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_reporting_chain_on_delete() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_reporting_chain_on_insert() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_reporting_chain_on_insert() TO pms_app;
GRANT ALL ON FUNCTION public.pms_reporting_chain_on_insert() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_reporting_chain_on_insert() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_reporting_chain_on_update() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_reporting_chain_on_update() TO pms_app;
GRANT ALL ON FUNCTION public.pms_reporting_chain_on_update() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_reporting_chain_on_update() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_reporting_chain_resync(p_tenant uuid, p_people uuid[], p_exclusive boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_reporting_chain_resync(p_tenant uuid, p_people uuid[], p_exclusive boolean) TO pms_app;
GRANT ALL ON FUNCTION public.pms_reporting_chain_resync(p_tenant uuid, p_people uuid[], p_exclusive boolean) TO pms_maintenance;

REVOKE ALL ON FUNCTION public.pms_review_cycle_forward_only() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_review_cycle_forward_only() TO pms_app;
GRANT ALL ON FUNCTION public.pms_review_cycle_forward_only() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_review_cycle_forward_only() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_review_cycle_lock_kept() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_review_cycle_lock_kept() TO pms_app;
GRANT ALL ON FUNCTION public.pms_review_cycle_lock_kept() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_review_cycle_lock_kept() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_review_cycle_step(p_status text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_review_cycle_step(p_status text) TO pms_app;
GRANT ALL ON FUNCTION public.pms_review_cycle_step(p_status text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_review_cycle_step(p_status text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_review_forward_only() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_review_forward_only() TO pms_app;
GRANT ALL ON FUNCTION public.pms_review_forward_only() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_review_forward_only() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_review_notify() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_review_notify() TO pms_app;
GRANT ALL ON FUNCTION public.pms_review_notify() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_review_notify() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_review_rating_lock() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_review_rating_lock() TO pms_app;
GRANT ALL ON FUNCTION public.pms_review_rating_lock() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_review_rating_lock() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_review_step(p_status text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_review_step(p_status text) TO pms_app;
GRANT ALL ON FUNCTION public.pms_review_step(p_status text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_review_step(p_status text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_succession_bench(p_plan uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_succession_bench(p_plan uuid) TO pms_app;
GRANT ALL ON FUNCTION public.pms_succession_bench(p_plan uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_succession_bench(p_plan uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_survey_forward_only() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_survey_forward_only() TO pms_app;
GRANT ALL ON FUNCTION public.pms_survey_forward_only() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_survey_forward_only() TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_survey_results(p_survey uuid, p_by_department boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_survey_results(p_survey uuid, p_by_department boolean) TO pms_app;
GRANT ALL ON FUNCTION public.pms_survey_results(p_survey uuid, p_by_department boolean) TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_survey_results(p_survey uuid, p_by_department boolean) TO pms_readonly;

REVOKE ALL ON FUNCTION public.pms_touch_updated_at() FROM PUBLIC;
GRANT ALL ON FUNCTION public.pms_touch_updated_at() TO pms_app;
GRANT ALL ON FUNCTION public.pms_touch_updated_at() TO pms_maintenance;
GRANT ALL ON FUNCTION public.pms_touch_updated_at() TO pms_readonly;

REVOKE ALL ON FUNCTION public.record_security_event(p_event_type text, p_user_id uuid, p_ip_address inet, p_user_agent text, p_resource_type text, p_resource_id uuid, p_details jsonb, p_account text, p_severity text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.record_security_event(p_event_type text, p_user_id uuid, p_ip_address inet, p_user_agent text, p_resource_type text, p_resource_id uuid, p_details jsonb, p_account text, p_severity text) TO pms_app;
GRANT ALL ON FUNCTION public.record_security_event(p_event_type text, p_user_id uuid, p_ip_address inet, p_user_agent text, p_resource_type text, p_resource_id uuid, p_details jsonb, p_account text, p_severity text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.record_security_event(p_event_type text, p_user_id uuid, p_ip_address inet, p_user_agent text, p_resource_type text, p_resource_id uuid, p_details jsonb, p_account text, p_severity text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.retention_candidate_rows(p_entity text, p_tenant uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.retention_candidate_rows(p_entity text, p_tenant uuid, p_limit integer) TO pms_app;
GRANT ALL ON FUNCTION public.retention_candidate_rows(p_entity text, p_tenant uuid, p_limit integer) TO pms_maintenance;
GRANT ALL ON FUNCTION public.retention_candidate_rows(p_entity text, p_tenant uuid, p_limit integer) TO pms_readonly;

REVOKE ALL ON FUNCTION public.retention_delete_expired(p_entity text, p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.retention_delete_expired(p_entity text, p_tenant uuid) TO pms_app;
GRANT ALL ON FUNCTION public.retention_delete_expired(p_entity text, p_tenant uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.retention_delete_expired(p_entity text, p_tenant uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION public.retention_delete_rows(p_entity text, p_tenant uuid, p_ids text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION public.retention_delete_rows(p_entity text, p_tenant uuid, p_ids text[]) TO pms_app;
GRANT ALL ON FUNCTION public.retention_delete_rows(p_entity text, p_tenant uuid, p_ids text[]) TO pms_maintenance;
GRANT ALL ON FUNCTION public.retention_delete_rows(p_entity text, p_tenant uuid, p_ids text[]) TO pms_readonly;

REVOKE ALL ON FUNCTION public.retention_expirable_batches(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.retention_expirable_batches(p_limit integer) TO pms_app;
GRANT ALL ON FUNCTION public.retention_expirable_batches(p_limit integer) TO pms_maintenance;
GRANT ALL ON FUNCTION public.retention_expirable_batches(p_limit integer) TO pms_readonly;

REVOKE ALL ON FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id text) TO pms_app;
GRANT ALL ON FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id text) TO pms_maintenance;
GRANT ALL ON FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id text) TO pms_readonly;

REVOKE ALL ON FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id uuid) TO pms_app;
GRANT ALL ON FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.retrieve_archived_entity(p_entity_type text, p_id uuid) TO pms_readonly;

GRANT SELECT ON TABLE public.security_events TO pms_app;
GRANT SELECT ON TABLE public.security_events TO pms_maintenance;
GRANT SELECT ON TABLE public.security_events TO pms_readonly;

REVOKE ALL ON FUNCTION public.security_event_canonical(e public.security_events) FROM PUBLIC;
GRANT ALL ON FUNCTION public.security_event_canonical(e public.security_events) TO pms_app;
GRANT ALL ON FUNCTION public.security_event_canonical(e public.security_events) TO pms_maintenance;
GRANT ALL ON FUNCTION public.security_event_canonical(e public.security_events) TO pms_readonly;

REVOKE ALL ON FUNCTION public.security_event_payload(e public.security_events) FROM PUBLIC;
GRANT ALL ON FUNCTION public.security_event_payload(e public.security_events) TO pms_app;
GRANT ALL ON FUNCTION public.security_event_payload(e public.security_events) TO pms_maintenance;
GRANT ALL ON FUNCTION public.security_event_payload(e public.security_events) TO pms_readonly;

REVOKE ALL ON FUNCTION public.time_bucket(bucket_width interval, ts timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.time_bucket(bucket_width interval, ts timestamp with time zone) TO pms_app;
GRANT ALL ON FUNCTION public.time_bucket(bucket_width interval, ts timestamp with time zone) TO pms_maintenance;
GRANT ALL ON FUNCTION public.time_bucket(bucket_width interval, ts timestamp with time zone) TO pms_readonly;

REVOKE ALL ON FUNCTION public.timeseries_maintenance(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.timeseries_maintenance(p_now timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION public.update_storage_tiers() FROM PUBLIC;
GRANT ALL ON FUNCTION public.update_storage_tiers() TO pms_app;
GRANT ALL ON FUNCTION public.update_storage_tiers() TO pms_maintenance;
GRANT ALL ON FUNCTION public.update_storage_tiers() TO pms_readonly;

REVOKE ALL ON FUNCTION public.verify_audit_chain(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.verify_audit_chain(p_tenant uuid) TO pms_app;
GRANT ALL ON FUNCTION public.verify_audit_chain(p_tenant uuid) TO pms_maintenance;
GRANT ALL ON FUNCTION public.verify_audit_chain(p_tenant uuid) TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.apply_retention(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.apply_retention(p_now timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.backend() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.backend() TO pms_app;
GRANT ALL ON FUNCTION timeseries.backend() TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.backend() TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.bucket(width interval, ts timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.bucket(width interval, ts timestamp with time zone) TO pms_app;
GRANT ALL ON FUNCTION timeseries.bucket(width interval, ts timestamp with time zone) TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.bucket(width interval, ts timestamp with time zone) TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.bypasses_rls() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.bypasses_rls() TO pms_app;
GRANT ALL ON FUNCTION timeseries.bypasses_rls() TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.bypasses_rls() TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.chunk_start_of(p_hypertable text, p_ts timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.chunk_start_of(p_hypertable text, p_ts timestamp with time zone) TO pms_app;
GRANT ALL ON FUNCTION timeseries.chunk_start_of(p_hypertable text, p_ts timestamp with time zone) TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.chunk_start_of(p_hypertable text, p_ts timestamp with time zone) TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.chunk_status() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.chunk_status() TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.chunk_status() TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.compress_chunk(p_chunk text) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.compress_chunk(p_chunk text) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.compress_due_chunks(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.compress_due_chunks(p_now timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.create_chunk(p_hypertable text, p_ts timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.create_chunk(p_hypertable text, p_ts timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.create_future_chunks(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.create_future_chunks(p_now timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.decompress_chunk(p_chunk text) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.decompress_chunk(p_chunk text) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.decompress_segment(p_hypertable text, p_tenant uuid, p_user uuid, p_ts timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.decompress_segment(p_hypertable text, p_tenant uuid, p_user uuid, p_ts timestamp with time zone) TO pms_app;
GRANT ALL ON FUNCTION timeseries.decompress_segment(p_hypertable text, p_tenant uuid, p_user uuid, p_ts timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.default_partition_ranges(p_hypertable text) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.default_partition_ranges(p_hypertable text) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.drop_chunk(p_chunk text) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.drop_chunk(p_chunk text) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.engagement_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.engagement_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_app;
GRANT ALL ON FUNCTION timeseries.engagement_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.engagement_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.ensure_chunks(p_hypertable text, p_from timestamp with time zone, p_to timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.ensure_chunks(p_hypertable text, p_from timestamp with time zone, p_to timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.feedback_activity_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.feedback_activity_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_app;
GRANT ALL ON FUNCTION timeseries.feedback_activity_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.feedback_activity_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.goal_progress_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.goal_progress_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_app;
GRANT ALL ON FUNCTION timeseries.goal_progress_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.goal_progress_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.log_changes() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.log_changes() TO pms_app;
GRANT ALL ON FUNCTION timeseries.log_changes() TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.log_department_changes() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.log_department_changes() TO pms_app;
GRANT ALL ON FUNCTION timeseries.log_department_changes() TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.log_team_changes() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.log_team_changes() TO pms_app;
GRANT ALL ON FUNCTION timeseries.log_team_changes() TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.metric_names_by_id() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.metric_names_by_id() TO pms_app;
GRANT ALL ON FUNCTION timeseries.metric_names_by_id() TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.metric_names_by_id() TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.move_tail_floors() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.move_tail_floors() TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.performance_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.performance_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_app;
GRANT ALL ON FUNCTION timeseries.performance_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.performance_metrics_ts_points(p_from timestamp with time zone, p_to timestamp with time zone) TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.refresh_all_rollups(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.refresh_all_rollups(p_now timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.refresh_membership(p_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.refresh_membership(p_name text) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.refresh_rollup(p_name text, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.refresh_rollup(p_name text, p_now timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.refuse_blind_write() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.refuse_blind_write() TO pms_app;
GRANT ALL ON FUNCTION timeseries.refuse_blind_write() TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.refuse_blind_write() TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.register_metric(p_name text, p_hypertable text, p_description text) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.register_metric(p_name text, p_hypertable text, p_description text) TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.rollups TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.rollups TO pms_app;
GRANT SELECT ON TABLE timeseries.rollups TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.rollup_sql(r timeseries.rollups) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.rollup_sql(r timeseries.rollups) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.rollup_status() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.rollup_status() TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.rollup_status() TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.hypertables TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.hypertables TO pms_app;
GRANT SELECT ON TABLE timeseries.hypertables TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.set_policy(p_hypertable text, p_chunk_interval interval, p_retention interval, p_compress_after interval, p_chunks_ahead integer) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.set_policy(p_hypertable text, p_chunk_interval interval, p_retention interval, p_compress_after interval, p_chunks_ahead integer) TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.tail_floor(p_hypertable text) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.tail_floor(p_hypertable text) TO pms_app;
GRANT ALL ON FUNCTION timeseries.tail_floor(p_hypertable text) TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.tail_floor(p_hypertable text) TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.unpack_sql() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.unpack_sql() TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.watermark(rollup text) FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.watermark(rollup text) TO pms_app;
GRANT ALL ON FUNCTION timeseries.watermark(rollup text) TO pms_maintenance;
GRANT ALL ON FUNCTION timeseries.watermark(rollup text) TO pms_readonly;

REVOKE ALL ON FUNCTION timeseries.write_point() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.write_point() TO pms_app;
GRANT ALL ON FUNCTION timeseries.write_point() TO pms_maintenance;

REVOKE ALL ON FUNCTION timeseries.write_point_all() FROM PUBLIC;
GRANT ALL ON FUNCTION timeseries.write_point_all() TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.audited_ids(p_tenant uuid, p_entity text, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.audited_ids(p_tenant uuid, p_entity text, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.bulk_loaded(p_tenant uuid, p_table text, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.bulk_loaded(p_tenant uuid, p_table text, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.changed_buckets(p_tenant uuid, p_rollup text, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.changed_buckets(p_tenant uuid, p_rollup text, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.date_key(p_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.date_key(p_day date) TO pms_maintenance;
GRANT ALL ON FUNCTION warehouse.date_key(p_day date) TO pms_readonly;

REVOKE ALL ON FUNCTION warehouse.date_key(p_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.date_key(p_at timestamp with time zone) TO pms_maintenance;
GRANT ALL ON FUNCTION warehouse.date_key(p_at timestamp with time zone) TO pms_readonly;

REVOKE ALL ON FUNCTION warehouse.merge_fact_engagement(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.merge_fact_engagement(p_tenant uuid) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.record_rollup_changes() FROM PUBLIC;

REVOKE ALL ON FUNCTION warehouse.record_tombstones() FROM PUBLIC;

REVOKE ALL ON FUNCTION warehouse.scd2_versions(p_tenant uuid, p_entity text, p_tracked text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.scd2_versions(p_tenant uuid, p_entity text, p_tracked text[]) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_dim_competency(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_dim_competency(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_dim_date(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_dim_date(p_tenant uuid) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_dim_department(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_dim_department(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_dim_review_cycle(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_dim_review_cycle(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_dim_team(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_dim_team(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_dim_tenant(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_dim_tenant(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_dim_user(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_dim_user(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_fact_engagement_answers(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_fact_engagement_answers(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_fact_engagement_weekly(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_fact_engagement_weekly(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_fact_feedback(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_fact_feedback(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_fact_goal_progress(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_fact_goal_progress(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_fact_performance_daily(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_fact_performance_daily(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_fact_performance_review(p_tenant uuid, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_fact_performance_review(p_tenant uuid, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_horizon() FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_horizon() TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_prepare() FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_prepare() TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_source(p_tenant uuid, p_source text, p_since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_source(p_tenant uuid, p_source text, p_since timestamp with time zone) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_sources() FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_sources() TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_tenant_begin(p_tenant uuid, p_full boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_tenant_begin(p_tenant uuid, p_full boolean) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.sync_tenant_finish(p_tenant uuid, p_horizon timestamp with time zone, p_full boolean, p_started timestamp with time zone, p_changes jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.sync_tenant_finish(p_tenant uuid, p_horizon timestamp with time zone, p_full boolean, p_started timestamp with time zone, p_changes jsonb) TO pms_maintenance;

REVOKE ALL ON FUNCTION warehouse.jsonb_merge(jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION warehouse.jsonb_merge(jsonb) TO pms_maintenance;

GRANT SELECT ON TABLE pms_meta.audited_tables TO pms_maintenance;
GRANT SELECT ON TABLE pms_meta.audited_tables TO pms_readonly;

GRANT SELECT ON TABLE pms_meta.bulk_loads TO pms_maintenance;
GRANT SELECT ON TABLE pms_meta.bulk_loads TO pms_readonly;

GRANT SELECT ON TABLE pms_meta.tenant_partition_builds TO pms_maintenance;
GRANT SELECT ON TABLE pms_meta.tenant_partition_builds TO pms_readonly;

GRANT SELECT ON TABLE pms_meta.visibility_rules TO pms_maintenance;
GRANT SELECT ON TABLE pms_meta.visibility_rules TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goals TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goals TO pms_maintenance;
GRANT SELECT ON TABLE public.goals TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.key_results TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.key_results TO pms_maintenance;
GRANT SELECT ON TABLE public.key_results TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.one_on_ones TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.one_on_ones TO pms_maintenance;
GRANT SELECT ON TABLE public.one_on_ones TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_reviews TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_reviews TO pms_maintenance;
GRANT SELECT ON TABLE public.performance_reviews TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.reporting_lines TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.reporting_lines TO pms_maintenance;
GRANT SELECT ON TABLE public.reporting_lines TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.team_members TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.team_members TO pms_maintenance;
GRANT SELECT ON TABLE public.team_members TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.teams TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.teams TO pms_maintenance;
GRANT SELECT ON TABLE public.teams TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.user_roles TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.user_roles TO pms_maintenance;
GRANT SELECT ON TABLE public.user_roles TO pms_readonly;

GRANT SELECT ON TABLE pms_retention.erasure_rules TO pms_app;
GRANT SELECT ON TABLE pms_retention.erasure_rules TO pms_maintenance;
GRANT SELECT ON TABLE pms_retention.erasure_rules TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.users TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.users TO pms_maintenance;
GRANT SELECT ON TABLE public.users TO pms_readonly;

GRANT SELECT ON TABLE pms_retention.erasure_coverage TO pms_app;
GRANT SELECT ON TABLE pms_retention.erasure_coverage TO pms_maintenance;
GRANT SELECT ON TABLE pms_retention.erasure_coverage TO pms_readonly;

GRANT SELECT ON TABLE pms_retention.erasure_hooks TO pms_app;
GRANT SELECT ON TABLE pms_retention.erasure_hooks TO pms_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE pms_retention.erasure_hooks TO pms_maintenance;

GRANT SELECT ON TABLE pms_retention.erasure_rule_problems TO pms_app;
GRANT SELECT ON TABLE pms_retention.erasure_rule_problems TO pms_maintenance;
GRANT SELECT ON TABLE pms_retention.erasure_rule_problems TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.access_policies TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.access_policies TO pms_maintenance;
GRANT SELECT ON TABLE public.access_policies TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.activity_events TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.activity_events TO pms_maintenance;
GRANT SELECT ON TABLE public.activity_events TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.alerts TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.alerts TO pms_maintenance;
GRANT SELECT ON TABLE public.alerts TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.anomaly_detections TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.anomaly_detections TO pms_maintenance;
GRANT SELECT ON TABLE public.anomaly_detections TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.anomaly_patterns TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.anomaly_patterns TO pms_maintenance;
GRANT SELECT ON TABLE public.anomaly_patterns TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.api_idempotency_keys TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.api_idempotency_keys TO pms_maintenance;
GRANT SELECT ON TABLE public.api_idempotency_keys TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.archive_batches TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.archive_batches TO pms_maintenance;
GRANT SELECT ON TABLE public.archive_batches TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.archive_pending TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.archive_pending TO pms_maintenance;
GRANT SELECT ON TABLE public.archive_pending TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.archived_entities TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.archived_entities TO pms_maintenance;
GRANT SELECT ON TABLE public.archived_entities TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.assessment_cycles TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.assessment_cycles TO pms_maintenance;
GRANT SELECT ON TABLE public.assessment_cycles TO pms_readonly;

GRANT SELECT ON TABLE public.audit_chain_heads TO pms_app;
GRANT SELECT ON TABLE public.audit_chain_heads TO pms_maintenance;
GRANT SELECT ON TABLE public.audit_chain_heads TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.background_jobs TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.background_jobs TO pms_maintenance;
GRANT SELECT ON TABLE public.background_jobs TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.behavioral_competency_scores TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.behavioral_competency_scores TO pms_maintenance;
GRANT SELECT ON TABLE public.behavioral_competency_scores TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.benchmark_comparisons TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.benchmark_comparisons TO pms_maintenance;
GRANT SELECT ON TABLE public.benchmark_comparisons TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.benchmarks TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.benchmarks TO pms_maintenance;
GRANT SELECT ON TABLE public.benchmarks TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.business_units TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.business_units TO pms_maintenance;
GRANT SELECT ON TABLE public.business_units TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.calibration_participants TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.calibration_participants TO pms_maintenance;
GRANT SELECT ON TABLE public.calibration_participants TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.calibration_ratings TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.calibration_ratings TO pms_maintenance;
GRANT SELECT ON TABLE public.calibration_ratings TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.calibration_sessions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.calibration_sessions TO pms_maintenance;
GRANT SELECT ON TABLE public.calibration_sessions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.career_path_steps TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.career_path_steps TO pms_maintenance;
GRANT SELECT ON TABLE public.career_path_steps TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.career_paths TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.career_paths TO pms_maintenance;
GRANT SELECT ON TABLE public.career_paths TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.communication_sentiments TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.communication_sentiments TO pms_maintenance;
GRANT SELECT ON TABLE public.communication_sentiments TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compensation_decisions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compensation_decisions TO pms_maintenance;
GRANT SELECT ON TABLE public.compensation_decisions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.competencies TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.competencies TO pms_maintenance;
GRANT SELECT ON TABLE public.competencies TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.competency_assessments TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.competency_assessments TO pms_maintenance;
GRANT SELECT ON TABLE public.competency_assessments TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.competency_frameworks TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.competency_frameworks TO pms_maintenance;
GRANT SELECT ON TABLE public.competency_frameworks TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compliance_assessments TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compliance_assessments TO pms_maintenance;
GRANT SELECT ON TABLE public.compliance_assessments TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compliance_policies TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compliance_policies TO pms_maintenance;
GRANT SELECT ON TABLE public.compliance_policies TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compliance_violations TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compliance_violations TO pms_maintenance;
GRANT SELECT ON TABLE public.compliance_violations TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.contribution_scores TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.contribution_scores TO pms_maintenance;
GRANT SELECT ON TABLE public.contribution_scores TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.cost_centers TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.cost_centers TO pms_maintenance;
GRANT SELECT ON TABLE public.cost_centers TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.culture_diagnostics TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.culture_diagnostics TO pms_maintenance;
GRANT SELECT ON TABLE public.culture_diagnostics TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_metrics_ts TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_metrics_ts TO pms_maintenance;
GRANT SELECT ON TABLE public.performance_metrics_ts TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.performance_metrics_daily_mat TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.performance_metrics_daily_mat TO pms_app;
GRANT SELECT ON TABLE timeseries.performance_metrics_daily_mat TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.user_groups TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.user_groups TO pms_app;
GRANT SELECT ON TABLE timeseries.user_groups TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_metrics_daily TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_metrics_daily TO pms_maintenance;
GRANT SELECT ON TABLE public.performance_metrics_daily TO pms_readonly;

GRANT SELECT ON TABLE public.daily_metrics TO pms_app;
GRANT SELECT ON TABLE public.daily_metrics TO pms_maintenance;
GRANT SELECT ON TABLE public.daily_metrics TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.dashboard_widgets TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.dashboard_widgets TO pms_maintenance;
GRANT SELECT ON TABLE public.dashboard_widgets TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.dashboards TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.dashboards TO pms_maintenance;
GRANT SELECT ON TABLE public.dashboards TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.deadline_alerts TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.deadline_alerts TO pms_maintenance;
GRANT SELECT ON TABLE public.deadline_alerts TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.delegations TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.delegations TO pms_maintenance;
GRANT SELECT ON TABLE public.delegations TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.department_health_metrics TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.department_health_metrics TO pms_maintenance;
GRANT SELECT ON TABLE public.department_health_metrics TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.departments TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.departments TO pms_maintenance;
GRANT SELECT ON TABLE public.departments TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.development_activities TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.development_activities TO pms_maintenance;
GRANT SELECT ON TABLE public.development_activities TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.development_checkpoints TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.development_checkpoints TO pms_maintenance;
GRANT SELECT ON TABLE public.development_checkpoints TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.development_plans TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.development_plans TO pms_maintenance;
GRANT SELECT ON TABLE public.development_plans TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_events TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_events TO pms_maintenance;
GRANT SELECT ON TABLE public.engagement_events TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_metrics_ts TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_metrics_ts TO pms_maintenance;
GRANT SELECT ON TABLE public.engagement_metrics_ts TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_metrics_ts_all TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_metrics_ts_all TO pms_maintenance;
GRANT SELECT ON TABLE public.engagement_metrics_ts_all TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.engagement_metrics_weekly_mat TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.engagement_metrics_weekly_mat TO pms_app;
GRANT SELECT ON TABLE timeseries.engagement_metrics_weekly_mat TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_metrics_weekly TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_metrics_weekly TO pms_maintenance;
GRANT SELECT ON TABLE public.engagement_metrics_weekly TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_scores TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_scores TO pms_maintenance;
GRANT SELECT ON TABLE public.engagement_scores TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_surveys TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.engagement_surveys TO pms_maintenance;
GRANT SELECT ON TABLE public.engagement_surveys TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.evidence TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.evidence TO pms_maintenance;
GRANT SELECT ON TABLE public.evidence TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.evidence_links TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.evidence_links TO pms_maintenance;
GRANT SELECT ON TABLE public.evidence_links TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feature_store_features TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feature_store_features TO pms_maintenance;
GRANT SELECT ON TABLE public.feature_store_features TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feature_store_values TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feature_store_values TO pms_maintenance;
GRANT SELECT ON TABLE public.feature_store_values TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_aggregations TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_aggregations TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback_360_aggregations TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_cycles TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_cycles TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback_360_cycles TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_gap_analyses TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_gap_analyses TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback_360_gap_analyses TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_nominations TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_nominations TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback_360_nominations TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_questionnaires TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_questionnaires TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback_360_questionnaires TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_questions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_questions TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback_360_questions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_requests TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_requests TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback_360_requests TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_responses TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_360_responses TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback_360_responses TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_activity_ts TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_activity_ts TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback_activity_ts TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_activity_ts_all TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_activity_ts_all TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback_activity_ts_all TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.feedback_trends_monthly_mat TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.feedback_trends_monthly_mat TO pms_app;
GRANT SELECT ON TABLE timeseries.feedback_trends_monthly_mat TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_trends_monthly TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.feedback_trends_monthly TO pms_maintenance;
GRANT SELECT ON TABLE public.feedback_trends_monthly TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.generated_reports TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.generated_reports TO pms_maintenance;
GRANT SELECT ON TABLE public.generated_reports TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_alignments TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_alignments TO pms_maintenance;
GRANT SELECT ON TABLE public.goal_alignments TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_comments TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_comments TO pms_maintenance;
GRANT SELECT ON TABLE public.goal_comments TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_overview TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_overview TO pms_maintenance;
GRANT SELECT ON TABLE public.goal_overview TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_progress_ts TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_progress_ts TO pms_maintenance;
GRANT SELECT ON TABLE public.goal_progress_ts TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_progress_ts_all TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_progress_ts_all TO pms_maintenance;
GRANT SELECT ON TABLE public.goal_progress_ts_all TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_progress_updates TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.goal_progress_updates TO pms_maintenance;
GRANT SELECT ON TABLE public.goal_progress_updates TO pms_readonly;

GRANT SELECT ON TABLE public.hourly_metrics TO pms_app;
GRANT SELECT ON TABLE public.hourly_metrics TO pms_maintenance;
GRANT SELECT ON TABLE public.hourly_metrics TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.innovation_contributions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.innovation_contributions TO pms_maintenance;
GRANT SELECT ON TABLE public.innovation_contributions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.innovation_evaluations TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.innovation_evaluations TO pms_maintenance;
GRANT SELECT ON TABLE public.innovation_evaluations TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.invoices TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.invoices TO pms_maintenance;
GRANT SELECT ON TABLE public.invoices TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.kpi_definitions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.kpi_definitions TO pms_maintenance;
GRANT SELECT ON TABLE public.kpi_definitions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.kpi_values TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.kpi_values TO pms_maintenance;
GRANT SELECT ON TABLE public.kpi_values TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.leaderboard_entries TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.leaderboard_entries TO pms_maintenance;
GRANT SELECT ON TABLE public.leaderboard_entries TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.leaderboards TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.leaderboards TO pms_maintenance;
GRANT SELECT ON TABLE public.leaderboards TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.leadership_competency_scores TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.leadership_competency_scores TO pms_maintenance;
GRANT SELECT ON TABLE public.leadership_competency_scores TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.legal_holds TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.legal_holds TO pms_maintenance;
GRANT SELECT ON TABLE public.legal_holds TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.metric_anomalies TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.metric_anomalies TO pms_maintenance;
GRANT SELECT ON TABLE public.metric_anomalies TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.metric_ingestions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.metric_ingestions TO pms_maintenance;
GRANT SELECT ON TABLE public.metric_ingestions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.milestone_progress_events TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.milestone_progress_events TO pms_maintenance;
GRANT SELECT ON TABLE public.milestone_progress_events TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.ml_model_predictions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.ml_model_predictions TO pms_maintenance;
GRANT SELECT ON TABLE public.ml_model_predictions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.ml_models TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.ml_models TO pms_maintenance;
GRANT SELECT ON TABLE public.ml_models TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notification_preferences TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notification_preferences TO pms_maintenance;
GRANT SELECT ON TABLE public.notification_preferences TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notification_templates TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notification_templates TO pms_maintenance;
GRANT SELECT ON TABLE public.notification_templates TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notifications TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notifications TO pms_maintenance;
GRANT SELECT ON TABLE public.notifications TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.one_on_one_action_items TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.one_on_one_action_items TO pms_maintenance;
GRANT SELECT ON TABLE public.one_on_one_action_items TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.one_on_one_agenda_items TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.one_on_one_agenda_items TO pms_maintenance;
GRANT SELECT ON TABLE public.one_on_one_agenda_items TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.one_on_one_private_notes TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.one_on_one_private_notes TO pms_maintenance;
GRANT SELECT ON TABLE public.one_on_one_private_notes TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.organizational_health_metrics TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.organizational_health_metrics TO pms_maintenance;
GRANT SELECT ON TABLE public.organizational_health_metrics TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_improvement_plans TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_improvement_plans TO pms_maintenance;
GRANT SELECT ON TABLE public.performance_improvement_plans TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.performance_metrics_monthly_mat TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.performance_metrics_monthly_mat TO pms_app;
GRANT SELECT ON TABLE timeseries.performance_metrics_monthly_mat TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_metrics_monthly TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_metrics_monthly TO pms_maintenance;
GRANT SELECT ON TABLE public.performance_metrics_monthly TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_metrics_ts_all TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.performance_metrics_ts_all TO pms_maintenance;
GRANT SELECT ON TABLE public.performance_metrics_ts_all TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pip_check_ins TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pip_check_ins TO pms_maintenance;
GRANT SELECT ON TABLE public.pip_check_ins TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pip_milestones TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pip_milestones TO pms_maintenance;
GRANT SELECT ON TABLE public.pip_milestones TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pip_templates TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pip_templates TO pms_maintenance;
GRANT SELECT ON TABLE public.pip_templates TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.privacy_erasures TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.privacy_erasures TO pms_maintenance;
GRANT SELECT ON TABLE public.privacy_erasures TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.productivity_predictions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.productivity_predictions TO pms_maintenance;
GRANT SELECT ON TABLE public.productivity_predictions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_evaluations TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_evaluations TO pms_maintenance;
GRANT SELECT ON TABLE public.project_evaluations TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_milestones TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_milestones TO pms_maintenance;
GRANT SELECT ON TABLE public.project_milestones TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.projects TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.projects TO pms_maintenance;
GRANT SELECT ON TABLE public.projects TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.promotion_decisions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.promotion_decisions TO pms_maintenance;
GRANT SELECT ON TABLE public.promotion_decisions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.promotion_recommendations TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.promotion_recommendations TO pms_maintenance;
GRANT SELECT ON TABLE public.promotion_recommendations TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pulse_responses TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pulse_responses TO pms_maintenance;
GRANT SELECT ON TABLE public.pulse_responses TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.report_aggregations TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.report_aggregations TO pms_maintenance;
GRANT SELECT ON TABLE public.report_aggregations TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.report_definitions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.report_definitions TO pms_maintenance;
GRANT SELECT ON TABLE public.report_definitions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.report_schedules TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.report_schedules TO pms_maintenance;
GRANT SELECT ON TABLE public.report_schedules TO pms_readonly;

GRANT SELECT ON TABLE public.reporting_chain TO pms_app;
GRANT SELECT ON TABLE public.reporting_chain TO pms_maintenance;
GRANT SELECT ON TABLE public.reporting_chain TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.retention_policy_overrides TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.retention_policy_overrides TO pms_maintenance;
GRANT SELECT ON TABLE public.retention_policy_overrides TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.review_cycle_progress TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.review_cycle_progress TO pms_maintenance;
GRANT SELECT ON TABLE public.review_cycle_progress TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.review_cycles TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.review_cycles TO pms_maintenance;
GRANT SELECT ON TABLE public.review_cycles TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.review_goals TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.review_goals TO pms_maintenance;
GRANT SELECT ON TABLE public.review_goals TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.review_templates TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.review_templates TO pms_maintenance;
GRANT SELECT ON TABLE public.review_templates TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.roles TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.roles TO pms_maintenance;
GRANT SELECT ON TABLE public.roles TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.scenario_analyses TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.scenario_analyses TO pms_maintenance;
GRANT SELECT ON TABLE public.scenario_analyses TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.security_alert_settings TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.security_alert_settings TO pms_maintenance;
GRANT SELECT ON TABLE public.security_alert_settings TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.seed_batches TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.seed_batches TO pms_maintenance;
GRANT SELECT ON TABLE public.seed_batches TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.sentiment_analyses TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.sentiment_analyses TO pms_maintenance;
GRANT SELECT ON TABLE public.sentiment_analyses TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.sentiment_trends TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.sentiment_trends TO pms_maintenance;
GRANT SELECT ON TABLE public.sentiment_trends TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.sessions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.sessions TO pms_maintenance;
GRANT SELECT ON TABLE public.sessions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.skill_categories TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.skill_categories TO pms_maintenance;
GRANT SELECT ON TABLE public.skill_categories TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.skill_progress_history TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.skill_progress_history TO pms_maintenance;
GRANT SELECT ON TABLE public.skill_progress_history TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.skills TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.skills TO pms_maintenance;
GRANT SELECT ON TABLE public.skills TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.storage_tier_state TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.storage_tier_state TO pms_maintenance;
GRANT SELECT ON TABLE public.storage_tier_state TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.subscriptions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.subscriptions TO pms_maintenance;
GRANT SELECT ON TABLE public.subscriptions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.succession_candidates TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.succession_candidates TO pms_maintenance;
GRANT SELECT ON TABLE public.succession_candidates TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.succession_plans TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.succession_plans TO pms_maintenance;
GRANT SELECT ON TABLE public.succession_plans TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.survey_participations TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.survey_participations TO pms_maintenance;
GRANT SELECT ON TABLE public.survey_participations TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.survey_questions TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.survey_questions TO pms_maintenance;
GRANT SELECT ON TABLE public.survey_questions TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.survey_responses TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.survey_responses TO pms_maintenance;
GRANT SELECT ON TABLE public.survey_responses TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.team_composition_analyses TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.team_composition_analyses TO pms_maintenance;
GRANT SELECT ON TABLE public.team_composition_analyses TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.team_optimizations TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.team_optimizations TO pms_maintenance;
GRANT SELECT ON TABLE public.team_optimizations TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.technical_skill_assessments TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.technical_skill_assessments TO pms_maintenance;
GRANT SELECT ON TABLE public.technical_skill_assessments TO pms_readonly;

GRANT SELECT,UPDATE ON TABLE public.tenants TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.tenants TO pms_maintenance;
GRANT SELECT ON TABLE public.tenants TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.trend_analyses TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.trend_analyses TO pms_maintenance;
GRANT SELECT ON TABLE public.trend_analyses TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.workload_snapshots TO pms_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.workload_snapshots TO pms_maintenance;
GRANT SELECT ON TABLE public.workload_snapshots TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.chunks TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.chunks TO pms_app;
GRANT SELECT ON TABLE timeseries.chunks TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.engagement_metrics_ts_compressed TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.engagement_metrics_ts_compressed TO pms_app;
GRANT SELECT ON TABLE timeseries.engagement_metrics_ts_compressed TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.engagement_metrics_ts_default TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.feedback_activity_ts_compressed TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.feedback_activity_ts_compressed TO pms_app;
GRANT SELECT ON TABLE timeseries.feedback_activity_ts_compressed TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.feedback_activity_ts_default TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.goal_progress_ts_compressed TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.goal_progress_ts_compressed TO pms_app;
GRANT SELECT ON TABLE timeseries.goal_progress_ts_compressed TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.goal_progress_ts_default TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.invalidations TO pms_maintenance;
GRANT INSERT ON TABLE timeseries.invalidations TO pms_app;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.membership_invalidations TO pms_maintenance;
GRANT INSERT ON TABLE timeseries.membership_invalidations TO pms_app;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.metrics TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.metrics TO pms_app;
GRANT SELECT ON TABLE timeseries.metrics TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.performance_metrics_ts_compressed TO pms_maintenance;
GRANT SELECT ON TABLE timeseries.performance_metrics_ts_compressed TO pms_app;
GRANT SELECT ON TABLE timeseries.performance_metrics_ts_compressed TO pms_readonly;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.performance_metrics_ts_default TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLE timeseries.rollup_invalidations TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.dim_competency TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.dim_competency TO pms_readonly;

GRANT SELECT,USAGE ON SEQUENCE warehouse.dim_competency_competency_key_seq TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.dim_date TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.dim_date TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.dim_department TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.dim_department TO pms_readonly;

GRANT SELECT,USAGE ON SEQUENCE warehouse.dim_department_department_key_seq TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.dim_review_cycle TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.dim_review_cycle TO pms_readonly;

GRANT SELECT,USAGE ON SEQUENCE warehouse.dim_review_cycle_cycle_key_seq TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.dim_team TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.dim_team TO pms_readonly;

GRANT SELECT,USAGE ON SEQUENCE warehouse.dim_team_team_key_seq TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.dim_tenant TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.dim_tenant TO pms_readonly;

GRANT SELECT,USAGE ON SEQUENCE warehouse.dim_tenant_tenant_key_seq TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.dim_user TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.dim_user TO pms_readonly;

GRANT SELECT,USAGE ON SEQUENCE warehouse.dim_user_user_key_seq TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.fact_engagement TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.fact_engagement TO pms_readonly;

GRANT SELECT,USAGE ON SEQUENCE warehouse.fact_engagement_engagement_key_seq TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.fact_feedback TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.fact_feedback TO pms_readonly;

GRANT SELECT,USAGE ON SEQUENCE warehouse.fact_feedback_feedback_key_seq TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.fact_goal_progress TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.fact_goal_progress TO pms_readonly;

GRANT SELECT,USAGE ON SEQUENCE warehouse.fact_goal_progress_goal_key_seq TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.fact_performance_daily TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.fact_performance_daily TO pms_readonly;

GRANT SELECT,USAGE ON SEQUENCE warehouse.fact_performance_daily_daily_key_seq TO pms_maintenance;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.fact_performance_review TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.fact_performance_review TO pms_readonly;

GRANT SELECT,USAGE ON SEQUENCE warehouse.fact_performance_review_review_key_seq TO pms_maintenance;

GRANT SELECT,DELETE ON TABLE warehouse.rollup_changes TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.rollup_changes TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.sync_runs TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.sync_runs TO pms_readonly;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE warehouse.sync_watermarks TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.sync_watermarks TO pms_readonly;

GRANT SELECT,DELETE ON TABLE warehouse.tombstones TO pms_maintenance;
GRANT SELECT ON TABLE warehouse.tombstones TO pms_readonly;

ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public GRANT SELECT,USAGE ON SEQUENCES  TO pms_app;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public GRANT SELECT,USAGE ON SEQUENCES  TO pms_maintenance;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public GRANT SELECT,USAGE ON SEQUENCES  TO pms_readonly;

ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public GRANT ALL ON FUNCTIONS  TO pms_app;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public GRANT ALL ON FUNCTIONS  TO pms_maintenance;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public GRANT ALL ON FUNCTIONS  TO pms_readonly;

ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public GRANT SELECT,INSERT,DELETE,UPDATE ON TABLES  TO pms_app;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public GRANT SELECT,INSERT,DELETE,UPDATE ON TABLES  TO pms_maintenance;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public GRANT SELECT ON TABLES  TO pms_readonly;

ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA timeseries GRANT SELECT,INSERT,DELETE,TRUNCATE,UPDATE ON TABLES  TO pms_maintenance;

ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA warehouse GRANT SELECT,USAGE ON SEQUENCES  TO pms_maintenance;

ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA warehouse GRANT SELECT,INSERT,DELETE,UPDATE ON TABLES  TO pms_maintenance;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA warehouse GRANT SELECT ON TABLES  TO pms_readonly;

ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


-- Partitions by time range, left out because their names and bounds follow the date:
--   public.audit_log
--   public.engagement_metrics_ts
--   public.feedback_activity_ts
--   public.goal_progress_ts
--   public.performance_metrics_ts
--   public.security_events
--   timeseries.engagement_metrics_ts_compressed
--   timeseries.feedback_activity_ts_compressed
--   timeseries.goal_progress_ts_compressed
--   timeseries.performance_metrics_ts_compressed
