-- Verifying the per-tenant hash chains, exporting their heads, and checking a chain against a
-- head exported earlier (which catches a truncated tail or a rewrite of the whole chain, since
-- both leave the chain consistent with itself). An entry's hash covers its header and the
-- digest of its payload; the payload must match that digest, or, once erasure redacted it, the
-- last of the chained redaction records that lead from that digest (migration 20261126400000).

-- One row per stream ('audit', 'security'): how many entries were checked and, when the chain
-- is broken, the first broken link and why. SECURITY INVOKER: the application can verify its
-- own tenant; the maintenance role any tenant.
CREATE OR REPLACE FUNCTION public.verify_audit_chain(p_tenant uuid)
    RETURNS TABLE (stream text, entries bigint, last_seq bigint, ok boolean, broken_seq bigint,
                   broken_id uuid, problem text)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
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
$$;

-- The current head of each stream: export it (somewhere the database owner cannot write) and
-- check it later with check_audit_chain_head().
CREATE OR REPLACE FUNCTION public.audit_chain_head(p_tenant uuid)
    RETURNS TABLE (stream text, seq bigint, hash text, exported_at timestamptz)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM public.audit_require_tenant(p_tenant);
    RETURN QUERY
    SELECT s.stream, coalesce(h.seq, 0), encode(h.hash, 'hex'), now()
      FROM unnest(ARRAY['audit', 'security']) AS s(stream)
      LEFT JOIN public.audit_chain_heads h ON h.tenant_id = p_tenant AND h.stream = s.stream
     ORDER BY s.stream;
END
$$;

-- NULL when the chain still holds the exported head entry unchanged; otherwise what is wrong.
CREATE OR REPLACE FUNCTION public.check_audit_chain_head(p_tenant uuid, p_stream text, p_seq bigint, p_hash text)
    RETURNS text LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
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
$$;
