-- Erasure in the audit tier: the entries of audit_log and security_events that name a person
-- get their payload pseudonymised (the person's id becomes the pseudonym; in the entries about
-- them (their row, their acts, their id in the payload) their email, names and employee number
-- become [erased], in any other entry the terms that identify them anywhere (email, a full name
-- or employee number nobody else in the tenant has: pms_retention.strong_terms), so another
-- Zane keeps his name; the source address of their own security events is cut to its network),
-- and each change is recorded in a chained DATA_ERASURE security event:
-- stream, entry, the digest the entry had and the digest it has now. The chain hashes cover
-- only the payload digests (migration 20261126400000), so every hash stays as it was and
-- verify_audit_chain() checks a redacted payload against the last of its redaction records.
--
-- Only the erasure path may do this: the function runs as the owner (nobody else may update
-- the audit tables) and only pms_maintenance may execute it. An entry that already fails its
-- digest is never redacted (that would launder tampering): the erasure stops and says so.

-- The digest a redacted entry must have now: the 'to' of its latest redaction record.
CREATE OR REPLACE FUNCTION pms_meta.audit_redacted_digest(p_tenant uuid, p_stream text, p_seq bigint) RETURNS bytea
    LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT decode(x.v ->> 'to', 'hex')
      FROM public.security_events r
     CROSS JOIN LATERAL jsonb_array_elements(r.details -> 'redactions') WITH ORDINALITY AS x(v, o)
     WHERE r.tenant_id = p_tenant AND r.event_type = 'DATA_ERASURE'
       AND x.v ->> 's' = p_stream AND (x.v ->> 'q')::bigint = p_seq
     ORDER BY r.seq DESC, x.o DESC
     LIMIT 1
$$;
REVOKE ALL ON FUNCTION pms_meta.audit_redacted_digest(uuid, text, bigint) FROM PUBLIC, pms_app, pms_readonly;

CREATE OR REPLACE FUNCTION pms_meta.audit_redact_person(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[])
    RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
REVOKE ALL ON FUNCTION pms_meta.audit_redact_person(uuid, uuid, uuid, text[]) FROM PUBLIC, pms_app, pms_readonly;
GRANT EXECUTE ON FUNCTION pms_meta.audit_redact_person(uuid, uuid, uuid, text[]) TO pms_maintenance;
