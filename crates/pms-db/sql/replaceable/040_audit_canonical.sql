-- The canonical text an audit entry's or security event's hash covers: the header, and the
-- payload only through its digest (so that redaction can rewrite a payload and keep the chain
-- verifiable). First written in 20261126400000_make_audit_chain_redactable.sql; they live here
-- now, re-applied when their text changes.

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
